//! The game's systems without any window: files named, dropped or handed over by the page
//! become news, the turn timer counts down, and one system hands every player's intent and
//! every piece of news to the engine through [`Session::handle`] and [`Session::news`],
//! passing on what the session asks of the file dialogs.

use std::path::PathBuf;

use bevy::prelude::*;

use super::session::{Dialog, News};
use super::{Intent, Screen, Session, web};

/// A scenario file named on the command line, opened on the first frame.
#[derive(Resource)]
pub(super) struct OpenAtStart(pub(super) PathBuf);

pub(super) fn open_at_start(start: Option<Res<OpenAtStart>>, mut news: MessageWriter<News>) {
    if let Some(s) = start {
        news.write(News::ScenarioFile(s.0.clone()));
    }
}

/// The one system that calls the engine: every player's intent goes through
/// [`Session::handle`], every piece of news through [`Session::news`]; what the session
/// asks of the file dialogs goes on to them.
pub fn resolve_intents(
    mut intents: MessageReader<Intent>,
    mut news: MessageReader<News>,
    mut session: ResMut<Session>,
    state: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
    mut dialogs: MessageWriter<Dialog>,
    mut exit: MessageWriter<AppExit>,
) {
    let mut screen = *state.get();
    for intent in intents.read() {
        if let Some(to) = session.handle(intent.clone(), screen) {
            screen = to;
            next.set(to);
        }
    }
    for n in news.read() {
        if let Some(to) = session.news(n.clone(), screen) {
            screen = to;
            next.set(to);
        }
    }
    dialogs.write_batch(session.take_dialogs());
    if session.wants_quit() {
        exit.write(AppExit::Success);
    }
}

/// Counts the workshop's turn timer down; the session says when time is up.
pub(super) fn run_turn_timer(
    time: Res<Time>,
    mut session: ResMut<Session>,
    state: Res<State<Screen>>,
    mut news: MessageWriter<News>,
) {
    if session.tick(time.delta_secs_f64(), *state.get()) {
        news.write(News::TimeUp);
    }
}

pub(super) fn open_dropped_files(mut drops: MessageReader<FileDragAndDrop>, mut news: MessageWriter<News>) {
    for d in drops.read() {
        if let FileDragAndDrop::DroppedFile { path_buf, .. } = d {
            news.write(News::ScenarioFile(path_buf.clone()));
        }
    }
}

/// Scenario text the page handed over (drop on the page, `?scenario=URL`).
pub(super) fn open_page_files(mut news: MessageWriter<News>) {
    for (name, text) in web::drain_inbox() {
        news.write(News::ScenarioText { name, text });
    }
    if let Some(link) = web::take_join() {
        news.write(News::JoinLink(link));
    }
    for text in web::take_notices() {
        news.write(News::Notice(text));
    }
}

/// Compositions from the page's input-method field, as the window system's input-method
/// messages: bevy_egui hands them to the focused text field as it does on the desktop.
pub(super) fn compose_page_text(
    mut ime: MessageWriter<bevy::window::Ime>,
    windows: Query<Entity, With<bevy::window::PrimaryWindow>>,
) {
    let compositions = web::drain_compositions();
    let Ok(window) = windows.single() else { return };
    for c in compositions {
        ime.write(match c {
            web::Composition::Preedit(value) => {
                let end = value.chars().count();
                bevy::window::Ime::Preedit { window, value, cursor: Some((end, end)) }
            }
            web::Composition::Commit(value) => bevy::window::Ime::Commit { window, value },
        });
    }
}

/// The state the page (and its end-to-end test) can read.
pub(super) fn publish_state(session: Res<Session>, state: Res<State<Screen>>) {
    web::publish(session.state_json(*state.get()));
}

/// Polls the custom scenario file about once a second; a change offers a reload.
pub(super) fn watch_scenario_file(time: Res<Time>, mut since: Local<f32>, mut session: ResMut<Session>) {
    *since += time.delta_secs();
    if *since >= 1.0 {
        *since = 0.0;
        session.poll_watched();
    }
}
