//! What the game screens show and what players ask for: the session state and the intents
//! that change it. Plain Rust: one Bevy system feeds intents to [`Session::handle`], which
//! calls the engine; the egui panels only read the session.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use super::storage::Store;
use crate::i18n::Tr;
use crate::sim::bundled::BUNDLED;
use crate::sim::play::save::Bundle;
use crate::sim::{Game, Scenario, load_str};
use crate::t;

mod access;
mod files;
mod intent;
mod live;
mod parts;
mod play;
mod results;
mod state;

pub use files::ResumeError;
pub use intent::{Dialog, Intent, News, TimerOrder};
pub use live::{Live, LiveRole, LiveStatus, LiveTimer, ServerEvent, TeamReplica, join_url, open_vote};
pub use parts::{
    Board, Debrief, Entry, EntryText, ErrorPanel, Settings, TurnTimer, lang_of_locales, motion_default, system_lang,
};
use parts::{Library, Messages, Play, Results};

/// The screens of the game.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    Briefing,
    Playing,
    Summary,
    Debrief,
    /// Team results on this machine and imported ones, ranked.
    Leaderboard,
    /// The facilitator's view of a live workshop: every team's game side by side.
    Workshop,
}

/// The app's state, one part per job: the library, the game in play, the team results and
/// the messages. [`Session::handle`] and [`Session::news`] are the only places it changes
/// (the turn timer's clock and the watched file aside); the screens read it through its
/// accessors.
#[derive(Resource, Debug)]
pub struct Session {
    library: Library,
    play: Play,
    results: Results,
    messages: Messages,
    quit: bool,
    /// What the session asks the file dialogs (or the page) to do, taken by the one system
    /// that calls the engine and handed to the dialogs.
    dialogs: Vec<Dialog>,
}
impl Session {
    /// A session with the bundled scenarios, saving to files in `data_dir`.
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        Self::with_store(data_dir.map(Store::Dir))
    }

    /// A session with the bundled scenarios, saving to `store`.
    pub fn with_store(store: Option<Store>) -> Self {
        let catalog = BUNDLED
            .iter()
            .filter_map(|(name, text)| {
                let loaded = load_str(text, name).ok()?;
                Some(Entry::new((*name).to_owned(), (*text).to_owned(), None, &loaded.scenario))
            })
            .collect();
        let settings: Settings =
            store.as_ref().and_then(|s| s.read(SETTINGS)).and_then(|t| ron::from_str(&t).ok()).unwrap_or_default();
        let tr = settings.lang.tr();
        let mut notice = None;
        let results: Vec<Bundle> = match store.as_ref().and_then(|s| s.read(RESULTS)) {
            None => Vec::new(),
            Some(text) => ron::Options::default().with_recursion_limit(32).from_str(&text).unwrap_or_else(|e| {
                // Never overwrite results we cannot read: keep the file aside and say so.
                let error = e.to_string();
                notice = Some(match store.as_ref().and_then(|s| s.keep_aside(RESULTS)) {
                    Some(place) => t!(tr, "notice-results-unreadable-kept", error = error, place = place),
                    None => t!(tr, "notice-results-unreadable", error = error),
                });
                Vec::new()
            }),
        };
        let mut session = Self {
            library: Library { catalog, store, settings, watched: None, reload_offered: false },
            play: Play {
                current: None,
                game: None,
                seed: 1,
                summary_turn: 0,
                debrief: None,
                console: false,
                timer: TurnTimer::default(),
                live: None,
            },
            results: Results { kept: results, boards: Vec::new() },
            messages: Messages { errors: None, notice },
            quit: false,
            dialogs: Vec::new(),
        };
        session.rebuild_boards();
        session
    }

    /// The game's own texts in the player's language.
    pub fn tr(&self) -> &'static Tr {
        self.library.settings.lang.tr()
    }

    pub fn scenario(&self) -> Option<&Arc<Scenario>> {
        self.play.game.as_ref().map(Game::scenario)
    }

    /// Whether an autosave exists to continue.
    pub fn has_autosave(&self) -> bool {
        self.library.store.as_ref().is_some_and(|s| s.exists(AUTOSAVE))
    }

    /// The autosave's text, for "Export save".
    pub fn autosave_text(&self) -> Option<String> {
        self.library.store.as_ref()?.read(AUTOSAVE)
    }

    /// Handles one player's intent on `screen`; returns the screen to go to, if it changes.
    /// In a workshop the moves go to its server (`live`); each part of the app has its own
    /// handler.
    pub fn handle(&mut self, intent: Intent, screen: Screen) -> Option<Screen> {
        let live = self.play.live.is_some();
        match intent {
            Intent::JoinWorkshop(link) => self.join(&link),
            Intent::LeaveWorkshop => self.leave(),
            i @ (Intent::EndTurnFor(..)
            | Intent::ConsoleOn(..)
            | Intent::ConsoleForAll(..)
            | Intent::WorkshopTimer(..)
            | Intent::TakeSeat { .. }
            | Intent::Decide { .. }
            | Intent::CallVote(..)) => {
                self.handle_workshop(i);
                None
            }
            // Starting something else on this machine leaves the workshop.
            i @ (Intent::NewGame(..) | Intent::OpenPath(..) | Intent::OpenText { .. } | Intent::Resume) => {
                self.play.live = None;
                self.handle_files(i, screen)
            }
            i @ (Intent::Facilitate(..) | Intent::StepBack) if live => {
                self.live_console(i);
                None
            }
            i @ (Intent::Act(..)
            | Intent::Note(..)
            | Intent::EndTurn
            | Intent::ContinueFromSummary
            | Intent::Undo
            | Intent::PlayAgain
            | Intent::ReplayFrom(..)
            | Intent::SetTimer(..)
            | Intent::ExportSave)
                if live =>
            {
                self.live_move(i)
            }
            i @ (Intent::Reload
            | Intent::PickFile
            | Intent::PickSave
            | Intent::ExportSave
            | Intent::ExportReport
            | Intent::CreateWorkshop { .. }) => self.handle_files(i, screen),
            i @ (Intent::Note(..)
            | Intent::StartPlaying
            | Intent::Act(..)
            | Intent::EndTurn
            | Intent::ContinueFromSummary
            | Intent::Undo
            | Intent::PlayAgain
            | Intent::ReplayFrom(..)) => self.handle_play(i),
            i @ (Intent::ToggleConsole
            | Intent::Facilitate(..)
            | Intent::StepBack
            | Intent::SetTimer(..)
            | Intent::PauseTimer(..)) => self.handle_facilitator(i),
            i @ (Intent::RecordResult(..)
            | Intent::ShowLeaderboard
            | Intent::PickResults
            | Intent::RemoveResult(..)) => self.handle_results(i),
            i @ (Intent::ToTitle
            | Intent::DismissErrors
            | Intent::DismissNotice
            | Intent::SetScale(..)
            | Intent::SetDark(..)
            | Intent::SetMotion(..)
            | Intent::SetLang(..)
            | Intent::Quit) => self.handle_app(i),
        }
    }

    /// Handles news from outside the screens on `screen`; returns the screen to go to, if
    /// it changes.
    pub fn news(&mut self, news: News, screen: Screen) -> Option<Screen> {
        match news {
            News::Server(event) => self.server_event(event, screen),
            News::TimeUp if self.play.live.is_some() => None,
            News::TimeUp => self.time_up(screen),
            News::Notice(text) => {
                self.messages.notice = Some(text);
                None
            }
            News::ScenarioFile(path) => self.handle(Intent::OpenPath(path), screen),
            News::ScenarioText { name, text } => self.handle(Intent::OpenText { name, text }, screen),
            News::SaveFile { name, text } => {
                self.play.live = None;
                self.import(&name, &text)
            }
            News::ResultFile { name, text } => self.import_result(&name, &text),
            News::JoinLink(link) => self.join(&link),
        }
    }

    /// The requests for the file dialogs (or the page) made since last asked.
    pub fn take_dialogs(&mut self) -> Vec<Dialog> {
        std::mem::take(&mut self.dialogs)
    }

    /// Navigation, messages and settings.
    fn handle_app(&mut self, intent: Intent) -> Option<Screen> {
        match intent {
            Intent::ToTitle => Some(Screen::Title),
            Intent::DismissErrors => {
                self.messages.errors = None;
                None
            }
            Intent::DismissNotice => {
                self.messages.notice = None;
                None
            }
            Intent::SetScale(s) => {
                self.library.settings.scale = s.clamp(0.75, 3.0);
                self.save_settings();
                None
            }
            Intent::SetDark(d) => {
                self.library.settings.dark = d;
                self.save_settings();
                None
            }
            Intent::SetMotion(on) => {
                self.library.settings.motion = on;
                self.save_settings();
                None
            }
            Intent::SetLang(lang) => {
                self.library.settings.lang = lang;
                self.save_settings();
                self.relocalize();
                // The leaderboards' notes are written in the language they were built in.
                self.rebuild_boards();
                None
            }
            Intent::Quit => {
                self.quit = true;
                None
            }
            _ => None,
        }
    }

    /// Puts the game in play into the player's language where its scenario speaks it: the
    /// same game (the model and the log do not change), replayed on the other texts.
    fn relocalize(&mut self) {
        let tag = self.library.settings.lang.tag();
        let Some(game) = self.play.game.as_ref() else { return };
        if game.scenario().meta.language.eq_ignore_ascii_case(tag) || !game.scenario().speaks(tag) {
            return;
        }
        let sc = Arc::new(game.scenario().in_language(tag));
        match crate::sim::play::save::SaveFile::of(game).resume(&sc) {
            Ok(g) => {
                let finished = g.is_finished();
                self.play.game = Some(g);
                if finished {
                    self.compute_debrief();
                }
            }
            Err(e) => self.messages.notice = Some(e.to_string()),
        }
    }

    /// Writes a serialised record to the store; a serialisation or storage failure becomes
    /// a notice and never overwrites what is kept.
    fn keep(&mut self, key: &str, text: Result<String, ron::Error>, what: String) {
        let tr = self.tr();
        let written = match text {
            Ok(text) => self.library.store.as_ref().map(|s| s.write(key, &text).map_err(|e| e.text(tr))),
            Err(e) => Some(Err(t!(tr, "notice-not-ron", error = e.to_string()))),
        };
        if let Some(Err(why)) = written {
            self.messages.notice = Some(t!(tr, "notice-what-why", what = what, why = why));
        }
    }
}

/// The autosave: a [`Bundle`], so custom scenarios resume too.
const AUTOSAVE: &str = "autosave.ron";
const SETTINGS: &str = "settings.ron";
const RESULTS: &str = "results.ron";
