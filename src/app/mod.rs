//! The desktop and browser game: a thin Bevy + egui layer over `sim`.
//!
//! [`game_plugin`] holds the state and the one system that calls the engine; it runs
//! headless in tests. [`ui_plugin`] draws the screens with egui and turns clicks and keys
//! into [`Intent`]s; news from outside the screens arrives as [`News`]. No rule lives in a
//! system. Where things are:
//!
//! - `screens/`: one module per screen (title, briefing, turn, summary, debrief,
//!   leaderboard) plus the facilitator console and the overlays;
//! - `session`: what a click changes ([`Session::handle`]); `storage`: saves and settings;
//! - `intents`: the game's systems; `draw`: the drawing system and fonts; `dialogs`: file
//!   dialogs; `web`: the page bridge; `mirror`: the browser's accessible DOM mirror of the
//!   screens; `link`: the connection to a live workshop's server;
//!   `tour`: the screenshot tour.

mod dialogs;
mod draw;
pub mod fonts;
mod intents;
mod link;
pub mod mirror;
pub mod screens;
pub mod session;
pub mod storage;
#[cfg(not(target_arch = "wasm32"))]
mod tour;
pub mod web;

use std::path::Path;

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy_egui::EguiPlugin;

pub use intents::resolve_intents;
pub use session::{Dialog, Intent, News, Screen, Session};

/// The window's size: 1600×900, or `TTX_WINDOW=WIDTHxHEIGHT` (the screenshot tour of a
/// phone's screen, or trying a layout by hand).
fn window_size() -> WindowResolution {
    let asked = std::env::var("TTX_WINDOW").ok().and_then(|s| {
        let (w, h) = s.split_once('x')?;
        Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?))
    });
    match asked {
        Some((w, h)) if (200..=8000).contains(&w) && (200..=8000).contains(&h) => WindowResolution::new(w, h),
        Some(_) | None => {
            if let Ok(s) = std::env::var("TTX_WINDOW") {
                eprintln!("TTX_WINDOW={s} is not a window size like 412x839 (200 to 8000 each): using 1600x900");
            }
            WindowResolution::new(1600, 900)
        }
    }
}

/// Opens the game window; returns the process exit code.
pub fn run(scenario: Option<&Path>) -> i32 {
    draw::app_started();
    let session = Session::with_store(storage::Store::platform());
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: crate::t!(session.tr(), "app-title"),
                    resolution: window_size(),
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
    app.insert_resource(idle_friendly_updates());
    app.insert_resource(session);
    if let Some(path) = scenario {
        app.insert_resource(intents::OpenAtStart(path.to_owned()));
    }
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(dir) = std::env::var("TTX_SCREENSHOTS") {
        // The tour counts frames: every frame runs, as fast as the renderer allows.
        app.insert_resource(bevy::winit::WinitSettings::continuous());
        tour::plugin(&mut app, dir.into());
    }
    match app.run() {
        AppExit::Success => 0,
        AppExit::Error(code) => i32::from(code.get()),
    }
}

/// When frames run: at once on input and whenever egui asks to repaint (an animation, a
/// changed screen); otherwise a few times a second, often enough for the turn timer and a
/// live workshop's news. A game left open through a workshop day, in a browser tab or on a
/// laptop, draws nothing while nothing changes instead of redrawing the same screen sixty
/// times a second.
fn idle_friendly_updates() -> bevy::winit::WinitSettings {
    use bevy::winit::{UpdateMode, WinitSettings};
    use std::time::Duration;
    WinitSettings {
        focused_mode: UpdateMode::reactive(Duration::from_millis(100)),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::from_millis(250)),
    }
}

/// The game's state and rules glue, without any window or rendering (tests use it alone).
pub fn game_plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_message::<Intent>()
        .add_message::<News>()
        .add_message::<Dialog>()
        .add_message::<FileDragAndDrop>()
        .add_systems(Startup, intents::open_at_start)
        .add_systems(
            Update,
            (
                intents::open_dropped_files,
                intents::open_page_files,
                intents::watch_scenario_file,
                intents::run_turn_timer,
                link::pump_link,
                resolve_intents,
                intents::publish_state,
            )
                .chain(),
        );
    link::plugin(app);
    if !app.world().contains_resource::<Session>() {
        app.insert_resource(Session::new(None));
    }
}

/// Drawing: the camera egui renders through, fonts, theme, scale and the screens; and the
/// system file dialogs.
pub fn ui_plugin(app: &mut App) {
    app.add_plugins((draw::plugin, dialogs::plugin, mirror::plugin));
}
