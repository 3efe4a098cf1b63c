//! The desktop and browser game: a thin Bevy + egui layer over `sim`.
//!
//! [`game_plugin`] holds the state and the one system that calls the engine; it runs
//! headless in tests. [`ui_plugin`] draws the screens with egui and turns clicks and keys
//! into [`Intent`]s. No rule lives in a system.

pub mod fonts;
pub mod session;
pub mod storage;
pub mod ui;
pub mod web;

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

pub use session::{Intent, Screen, Session};

/// Opens the game window; returns the process exit code.
pub fn run(scenario: Option<&Path>) -> i32 {
    app_started();
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "ttx — incident-response tabletop".into(),
                    resolution: WindowResolution::new(1600, 900),
                    // In the browser: draw into the page's canvas and follow its size.
                    canvas: Some("#ttx-canvas".into()),
                    fit_canvas_to_parent: true,
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin { meta_check: bevy::asset::AssetMetaCheck::Never, ..default() }),
    )
    .add_plugins(EguiPlugin::default())
    .add_plugins((game_plugin, ui_plugin));
    app.insert_resource(Session::with_store(storage::Store::platform()));
    if let Some(path) = scenario {
        app.insert_resource(OpenAtStart(path.to_owned()));
    }
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(dir) = std::env::var("TTX_SCREENSHOTS") {
        app.insert_resource(Tour { dir: PathBuf::from(dir), frame: 0, step: 0, decision_shot: false });
        app.add_systems(Update, run_tour);
    }
    match app.run() {
        AppExit::Success => 0,
        AppExit::Error(code) => i32::from(code.get()),
    }
}

/// A scenario file named on the command line, opened on the first frame.
#[derive(Resource)]
struct OpenAtStart(PathBuf);

/// The game's state and rules glue, without any window or rendering (tests use it alone).
pub fn game_plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_message::<Intent>()
        .add_message::<FileDragAndDrop>()
        .add_systems(Startup, open_at_start)
        .add_systems(
            Update,
            (open_dropped_files, open_page_files, watch_scenario_file, run_turn_timer, resolve_intents, publish_state)
                .chain(),
        );
    if !app.world().contains_resource::<Session>() {
        app.insert_resource(Session::new(None));
    }
}

fn open_at_start(start: Option<Res<OpenAtStart>>, mut intents: MessageWriter<Intent>) {
    if let Some(s) = start {
        intents.write(Intent::OpenPath(s.0.clone()));
    }
}

/// The one system that calls the engine: every intent goes through [`Session::handle`].
pub fn resolve_intents(
    mut intents: MessageReader<Intent>,
    mut session: ResMut<Session>,
    state: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
    mut exit: MessageWriter<AppExit>,
) {
    let mut screen = *state.get();
    for intent in intents.read() {
        if let Some(to) = session.handle(intent.clone(), screen) {
            screen = to;
            next.set(to);
        }
    }
    if session.quit {
        exit.write(AppExit::Success);
    }
}

/// Counts the workshop's turn timer down; the session says when time is up.
fn run_turn_timer(
    time: Res<Time>,
    mut session: ResMut<Session>,
    state: Res<State<Screen>>,
    mut intents: MessageWriter<Intent>,
) {
    if session.tick(time.delta_secs_f64(), *state.get()) {
        intents.write(Intent::TimeUp);
    }
}

fn open_dropped_files(mut drops: MessageReader<FileDragAndDrop>, mut intents: MessageWriter<Intent>) {
    for d in drops.read() {
        if let FileDragAndDrop::DroppedFile { path_buf, .. } = d {
            intents.write(Intent::OpenPath(path_buf.clone()));
        }
    }
}

/// Scenario text the page handed over (drop on the page, `?scenario=URL`).
fn open_page_files(mut intents: MessageWriter<Intent>) {
    for (name, text) in web::drain_inbox() {
        intents.write(Intent::OpenText { name, text });
    }
}

/// The state the page (and its end-to-end test) can read.
fn publish_state(session: Res<Session>, state: Res<State<Screen>>) {
    web::publish(session.state_json(*state.get()));
}

/// Polls the custom scenario file about once a second; a change offers a reload.
fn watch_scenario_file(time: Res<Time>, mut since: Local<f32>, mut session: ResMut<Session>) {
    *since += time.delta_secs();
    if *since >= 1.0 {
        *since = 0.0;
        session.poll_watched();
    }
}

/// Drawing: the camera egui renders through, fonts, theme, scale and the screens; and the
/// system file dialog.
pub fn ui_plugin(app: &mut App) {
    app.init_resource::<PickedFile>()
        .add_systems(Startup, spawn_camera)
        .add_systems(Update, (open_file_dialog, receive_picked_file))
        .add_systems(EguiPrimaryContextPass, draw_screens);
}

/// What a file dialog brought back, filled by the dialog's thread or task.
#[derive(Debug)]
enum Picked {
    #[cfg_attr(target_arch = "wasm32", expect(dead_code, reason = "the browser's dialog hands over text, not a path"))]
    Scenario(PathBuf),
    #[cfg_attr(not(target_arch = "wasm32"), expect(dead_code, reason = "only the browser's dialog hands over text"))]
    ScenarioText {
        name: String,
        text: String,
    },
    Save {
        name: String,
        text: String,
    },
    Result {
        name: String,
        text: String,
    },
    Notice(String),
}

#[derive(Resource, Default, Clone)]
struct PickedFile(std::sync::Arc<std::sync::Mutex<Vec<Picked>>>);

impl PickedFile {
    fn put(&self, p: Picked) {
        if let Ok(mut v) = self.0.lock() {
            v.push(p);
        }
    }
}

/// Opens the system file dialogs off the game loop (a thread on the desktop, a task in the
/// browser), so the game keeps drawing meanwhile.
fn open_file_dialog(mut intents: MessageReader<Intent>, picked: Res<PickedFile>, session: Res<Session>) {
    for intent in intents.read() {
        let slot = picked.clone();
        match intent {
            Intent::PickFile => dialogs::pick_scenario(slot),
            Intent::PickSave => dialogs::pick_save(slot),
            Intent::PickResults => dialogs::pick_results(slot),
            Intent::ExportReport => match &session.game {
                Some(g) => {
                    let r = crate::sim::report::build(g);
                    dialogs::export_report(slot, r.markdown, r.html);
                }
                None => slot.put(Picked::Notice("There is no game to report on.".into())),
            },
            Intent::ExportSave => match session.autosave_text() {
                Some(text) => dialogs::export_save(slot, text),
                None => slot.put(Picked::Notice("There is no save to export yet: play a turn first.".into())),
            },
            _ => {}
        }
    }
}

fn receive_picked_file(picked: Res<PickedFile>, mut intents: MessageWriter<Intent>, mut session: ResMut<Session>) {
    let answers = picked.0.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default();
    for answer in answers {
        match answer {
            Picked::Scenario(path) => {
                intents.write(Intent::OpenPath(path));
            }
            Picked::ScenarioText { name, text } => {
                intents.write(Intent::OpenText { name, text });
            }
            Picked::Save { name, text } => {
                intents.write(Intent::ImportSave { name, text });
            }
            Picked::Result { name, text } => {
                intents.write(Intent::ImportResult { name, text });
            }
            Picked::Notice(n) => session.notice = Some(n),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod dialogs {
    use super::{Picked, PickedFile};

    pub(super) fn pick_scenario(slot: PickedFile) {
        std::thread::spawn(move || {
            let file = rfd::FileDialog::new()
                .set_title("Open a ttx scenario")
                .add_filter("ttx scenario", &["ron"])
                .pick_file();
            if let Some(path) = file {
                slot.put(Picked::Scenario(path));
            }
        });
    }

    pub(super) fn pick_save(slot: PickedFile) {
        std::thread::spawn(move || {
            let Some(path) =
                rfd::FileDialog::new().set_title("Import a ttx save").add_filter("ttx save", &["ron"]).pick_file()
            else {
                return;
            };
            match crate::sim::input::read_text(&path, crate::sim::input::MAX_SAVE_BYTES, "save") {
                Ok(text) => slot.put(Picked::Save { name: path.display().to_string(), text }),
                Err(e) => slot.put(Picked::Notice(e.to_string())),
            }
        });
    }

    pub(super) fn pick_results(slot: PickedFile) {
        std::thread::spawn(move || {
            let files = rfd::FileDialog::new()
                .set_title("Import team result files")
                .add_filter("ttx save", &["ron"])
                .pick_files()
                .unwrap_or_default();
            for path in files {
                match crate::sim::input::read_text(&path, crate::sim::input::MAX_SAVE_BYTES, "result file") {
                    Ok(text) => slot.put(Picked::Result { name: path.display().to_string(), text }),
                    Err(e) => slot.put(Picked::Notice(e.to_string())),
                }
            }
        });
    }

    pub(super) fn export_report(slot: PickedFile, markdown: String, html: String) {
        std::thread::spawn(move || {
            let Some(path) = rfd::FileDialog::new()
                .set_title("Save the after-action report")
                .set_file_name("ttx-report.html")
                .save_file()
            else {
                return;
            };
            let md = path.with_extension("md");
            let n = match crate::files::write_atomic(&path, &html)
                .and_then(|()| crate::files::write_atomic(&md, &markdown))
            {
                Ok(()) => format!("Report written to {} and {}.", path.display(), md.display()),
                Err(e) => format!("Could not write the report to {}: {e}", path.display()),
            };
            slot.put(Picked::Notice(n));
        });
    }

    pub(super) fn export_save(slot: PickedFile, text: String) {
        std::thread::spawn(move || {
            let Some(path) =
                rfd::FileDialog::new().set_title("Export the save").set_file_name("ttx-save.ron").save_file()
            else {
                return;
            };
            let n = match crate::files::write_atomic(&path, &text) {
                Ok(()) => format!("Save exported to {}.", path.display()),
                Err(e) => format!("Could not export to {}: {e}", path.display()),
            };
            slot.put(Picked::Notice(n));
        });
    }
}

#[cfg(target_arch = "wasm32")]
mod dialogs {
    use super::{Picked, PickedFile};

    async fn pick(title: &str) -> Option<(String, String)> {
        let file = rfd::AsyncFileDialog::new().set_title(title).add_filter("ttx", &["ron"]).pick_file().await?;
        let bytes = file.read().await;
        Some((file.file_name(), String::from_utf8_lossy(&bytes).into_owned()))
    }

    pub(super) fn pick_scenario(slot: PickedFile) {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some((name, text)) = pick("Open a ttx scenario").await {
                slot.put(Picked::ScenarioText { name, text });
            }
        });
    }

    pub(super) fn pick_save(slot: PickedFile) {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some((name, text)) = pick("Import a ttx save").await {
                slot.put(Picked::Save { name, text });
            }
        });
    }

    pub(super) fn pick_results(slot: PickedFile) {
        wasm_bindgen_futures::spawn_local(async move {
            let files = rfd::AsyncFileDialog::new()
                .set_title("Import team result files")
                .add_filter("ttx", &["ron"])
                .pick_files()
                .await
                .unwrap_or_default();
            for file in files {
                let bytes = file.read().await;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                slot.put(Picked::Result { name: file.file_name(), text });
            }
        });
    }

    pub(super) fn export_report(slot: PickedFile, markdown: String, html: String) {
        let n = match super::web::download("ttx-report.html", &html)
            .and_then(|()| super::web::download("ttx-report.md", &markdown))
        {
            Ok(()) => "Report downloaded (HTML and Markdown).".to_owned(),
            Err(e) => e,
        };
        slot.put(Picked::Notice(n));
    }

    pub(super) fn export_save(slot: PickedFile, text: String) {
        let n = match super::web::download("ttx-save.ron", &text) {
            Ok(()) => "Save exported: look in your downloads.".to_owned(),
            Err(e) => e,
        };
        slot.put(Picked::Notice(n));
    }
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

static STARTED: std::sync::OnceLock<bevy::platform::time::Instant> = std::sync::OnceLock::new();

fn app_started() {
    let _ = STARTED.set(bevy::platform::time::Instant::now());
}

/// Frame timing of the UI, logged: time to the first frame, and the CPU time of drawing.
#[derive(Default)]
struct UiTiming {
    frames: u32,
    total: std::time::Duration,
}

/// Draws the current screen and sends the player's intents.
fn draw_screens(
    mut contexts: EguiContexts,
    session: Res<Session>,
    state: Res<State<Screen>>,
    mut intents: MessageWriter<Intent>,
    mut inputs: Local<ui::Inputs>,
    mut applied: Local<Option<session::Settings>>,
    mut timing: Local<UiTiming>,
    mut fonts_state: Local<FontsState>,
) -> Result {
    let began = bevy::platform::time::Instant::now();
    let ctx = contexts.ctx_mut()?;
    update_fonts(ctx, &session, &mut fonts_state);
    if *applied != Some(session.settings) {
        ctx.set_zoom_factor(session.settings.scale);
        ctx.set_theme(if session.settings.dark { egui::Theme::Dark } else { egui::Theme::Light });
        *applied = Some(session.settings);
    }
    let mut root = egui::Ui::new(
        ctx.clone(),
        "screens".into(),
        egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect()),
    );
    for intent in ui::screen_ui(&mut root, &session, *state.get(), &mut inputs) {
        intents.write(intent);
    }
    timing.frames += 1;
    timing.total += began.elapsed();
    if timing.frames == 1
        && let Some(start) = STARTED.get()
    {
        info!("first frame drawn {:.0} ms after launch", start.elapsed().as_secs_f64() * 1000.0);
    }
    if timing.frames.is_multiple_of(300) {
        info!(
            "UI drawing: {:.2} ms CPU per frame (mean of {} frames)",
            timing.total.as_secs_f64() * 1000.0 / f64::from(timing.frames),
            timing.frames
        );
    }
    Ok(())
}

/// Which fonts egui has: the built-in set from the first frame, the Japanese fallback once a
/// listed scenario needs it (the browser downloads it then).
#[derive(Default)]
struct FontsState {
    installed: bool,
    cjk_requested: bool,
    scenarios_checked: usize,
}

fn update_fonts(ctx: &egui::Context, session: &Session, state: &mut FontsState) {
    if !state.installed {
        fonts::install(ctx, None);
        state.installed = true;
    }
    if fonts::cjk_embedded().is_some() {
        return;
    }
    if !state.cjk_requested && state.scenarios_checked != session.catalog.len() {
        state.scenarios_checked = session.catalog.len();
        if session.catalog.iter().any(|e| fonts::needs_cjk(&e.text)) {
            state.cjk_requested = true;
            web::fetch_font(fonts::CJK_URL);
        }
    }
    if let Some(bytes) = web::take_font()
        && !fonts::install(ctx, Some(bytes))
    {
        warn!("{} is not a font file: Japanese text will show as boxes", fonts::CJK_URL);
    }
}

/// Screenshot tour (TTX_SCREENSHOTS=dir): walks title → briefing → turn → summary →
/// debrief on the bundled scenario, saving a PNG of each screen, then quits.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Resource)]
struct Tour {
    dir: PathBuf,
    frame: u32,
    step: usize,
    decision_shot: bool,
}

#[cfg(not(target_arch = "wasm32"))]
fn run_tour(
    mut tour: ResMut<Tour>,
    mut commands: Commands,
    mut intents: MessageWriter<Intent>,
    session: Res<Session>,
    mut exit: MessageWriter<AppExit>,
) {
    use bevy::render::view::screenshot::{Screenshot, save_to_disk};
    tour.frame += 1;
    // Software rendering is slow to settle: give every screen time before capturing.
    if tour.frame < 45 {
        return;
    }
    tour.frame = 0;
    let shot = |commands: &mut Commands, name: &str, dir: &Path| {
        commands.spawn(Screenshot::primary_window()).observe(save_to_disk(dir.join(format!("{name}.png"))));
    };
    let dir = tour.dir.clone();
    let step = tour.step;
    tour.step += 1;
    match step {
        0 => shot(&mut commands, "1-title", &dir),
        1 => {
            intents.write(Intent::NewGame(0));
        }
        2 => shot(&mut commands, "2-briefing", &dir),
        3 => {
            intents.write(Intent::StartPlaying);
            for id in ["staged_rollout", "brief_stores"] {
                if let Some(m) = session.scenario().and_then(|s| s.mitigation_index(id)) {
                    intents.write(Intent::Act(crate::sim::Action::Take(m)));
                }
            }
        }
        4 => shot(&mut commands, "3-turn", &dir),
        5 => {
            intents.write(Intent::EndTurn);
        }
        6 => shot(&mut commands, "4-summary", &dir),
        7 => {
            // The facilitator opens the console and starts a five-minute timer.
            intents.write(Intent::ContinueFromSummary);
            intents.write(Intent::ToggleConsole);
            intents.write(Intent::SetTimer(Some(300.0)));
        }
        8 => shot(&mut commands, "7-console", &dir),
        9 => {
            // Play on to a decision turn, then to the end.
            intents.write(Intent::ToggleConsole);
            intents.write(Intent::SetTimer(None));
        }
        10..=40 => {
            let Some(g) = session.game.as_ref() else { return };
            if session.debrief.is_some() {
                tour.step = 41;
            } else if g.is_finished() {
                intents.write(Intent::ContinueFromSummary);
            } else if g.due_decisions().any(|(_, c)| c.is_none()) && !tour.decision_shot {
                tour.decision_shot = true;
                shot(&mut commands, "5-decision", &dir);
            } else {
                intents.write(Intent::EndTurn);
                intents.write(Intent::ContinueFromSummary);
            }
        }
        41 => shot(&mut commands, "6-debrief", &dir),
        42 => {
            intents.write(Intent::RecordResult("Blue team".into()));
        }
        43 => shot(&mut commands, "8-leaderboard", &dir),
        _ => {
            exit.write(AppExit::Success);
        }
    }
}
