//! Drawing: the camera egui renders through, fonts, theme and text size, and the screens,
//! whose intents go back to the game's systems.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPreUpdateSet, EguiPrimaryContextPass, egui};

use super::{Intent, Screen, Session, fonts, screens, session, web};

/// The camera, the one drawing system, and the window's title in the player's language.
pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_camera)
        .add_systems(EguiPrimaryContextPass, draw_screens)
        .add_systems(
            PreUpdate,
            click_across_slow_frames.after(EguiPreUpdateSet::ProcessInput).before(EguiPreUpdateSet::BeginPass),
        )
        .add_systems(Update, (title_window, super::intents::compose_page_text));
}

/// Names the window in the player's language (again when it changes).
fn title_window(session: Res<Session>, mut windows: Query<&mut Window, With<bevy::window::PrimaryWindow>>) {
    if !session.is_changed() {
        return;
    }
    let title = crate::t!(session.tr(), "app-title");
    for mut w in &mut windows {
        if w.title != title {
            w.title.clone_from(&title);
        }
    }
}

/// A tap stays a tap when the frames are slow (see [`screens::allow_click_across_frame`]).
fn click_across_slow_frames(mut contexts: EguiContexts, time: Res<Time<Real>>) -> Result {
    screens::allow_click_across_frame(contexts.ctx_mut()?, time.delta_secs_f64());
    Ok(())
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

static STARTED: std::sync::OnceLock<bevy::platform::time::Instant> = std::sync::OnceLock::new();

pub(super) fn app_started() {
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
    mut inputs: Local<screens::Inputs>,
    mut applied: Local<Option<session::Settings>>,
    mut timing: Local<UiTiming>,
    mut fonts_state: Local<FontsState>,
    mut caret: Local<Option<[i32; 4]>>,
) -> Result {
    let began = bevy::platform::time::Instant::now();
    let ctx = contexts.ctx_mut()?;
    update_fonts(ctx, &session, &mut fonts_state);
    if *applied != Some(session.settings()) {
        ctx.set_zoom_factor(session.settings().scale);
        ctx.set_theme(if session.settings().dark { egui::Theme::Dark } else { egui::Theme::Light });
        *applied = Some(session.settings());
    }
    let mut root = egui::Ui::new(
        ctx.clone(),
        "screens".into(),
        egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect()),
    );
    for intent in screens::screen_ui(&mut root, &session, *state.get(), &mut inputs) {
        intents.write(intent);
    }
    place_composition_field(ctx, &mut caret);
    web::set_screen(ctx.viewport_rect().size().into(), ctx.pixels_per_point());
    let targets = screens::take_targets(ctx);
    web::set_targets(targets.into_iter().map(|(name, r)| (name, [r.min.x, r.min.y, r.width(), r.height()])).collect());
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

/// In the browser, keeps the page's input-method field at the focused text field's caret
/// (told only when it moves or the focus comes or goes).
fn place_composition_field(ctx: &egui::Context, placed: &mut Option<[i32; 4]>) {
    let zoom = ctx.zoom_factor();
    let caret = ctx.output(|o| o.ime).map(|ime| {
        let r = ime.cursor_rect;
        [r.min.x * zoom, r.min.y * zoom, r.width().max(1.0) * zoom, r.height() * zoom]
    });
    let key = caret.map(|c| c.map(|v| v.round() as i32));
    if key != *placed {
        *placed = key;
        web::place_composition_field(caret);
    }
}

/// Which fonts egui has: the built-in set from the first frame, the Japanese fallback once
/// something shown needs it (the browser downloads it then).
#[derive(Default)]
struct FontsState {
    installed: bool,
    cjk_requested: bool,
    /// What the session's texts were last looked at for (language, scenarios listed, the
    /// game's scenario, results kept): they are looked at again only when it changes.
    checked: Option<(crate::i18n::Lang, usize, usize, usize)>,
}

fn update_fonts(ctx: &egui::Context, session: &Session, state: &mut FontsState) {
    if !state.installed {
        fonts::install(ctx, None);
        state.installed = true;
    }
    if fonts::cjk_embedded().is_some() {
        return;
    }
    if !state.cjk_requested {
        // The game's scenario, or whether a workshop player has views yet.
        let live =
            session.live().map_or(0, |l| usize::from(l.view().is_some()) + 2 * usize::from(l.briefing().is_some()));
        let game = session.scenario().map_or(live, |sc| std::sync::Arc::as_ptr(sc) as usize);
        let key = Some((session.settings().lang, session.catalog().len(), game, session.results().len()));
        let mut needed = fonts::messages_need_cjk(session);
        if state.checked != key {
            state.checked = key;
            needed = needed || fonts::session_needs_cjk(session);
        }
        if needed {
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
