//! A phone's on-screen keyboard: when it takes the lower part of the screen, the field being
//! typed in is scrolled back into what is left.
//!
//! The page lets the keyboard resize the game (web/index.html: the viewport's
//! `interactive-widget=resizes-content`, and the visual viewport's height where a browser
//! ignores it), so the game sees a shorter screen. What was laid out below the new bottom
//! edge, often the very field that brought the keyboard up, would be hidden under it. egui
//! lets only a scroll area's own content ask it to scroll, so each screen's scroll areas
//! call [`super::follow_focus`] last, which asks on a frame where [`shrank`] says so.

use bevy_egui::egui;

/// The screen's height on the last frame drawn.
#[derive(Debug, Clone, Copy)]
struct LastHeight(f32);

/// Whether the screen is shorter on this frame than on the last one.
#[derive(Debug, Clone, Copy)]
struct Shrank(bool);

const LAST: &str = "ttx-keyboard-last-height";
const SHRANK: &str = "ttx-keyboard-shrank";

/// Called at the start of every frame: notes whether the screen got shorter since the last.
pub fn note_screen(ctx: &egui::Context) {
    let height = ctx.viewport_rect().height();
    ctx.data_mut(|d| {
        let last = d.get_temp::<LastHeight>(egui::Id::new(LAST));
        d.insert_temp(egui::Id::new(LAST), LastHeight(height));
        d.insert_temp(egui::Id::new(SHRANK), Shrank(last.is_some_and(|LastHeight(h)| height < h - 0.5)));
    });
}

/// Whether the screen got shorter on this frame (a keyboard came up, a window was made
/// shorter): the focused control is then brought back into view even though the focus did
/// not move.
pub fn shrank(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp::<Shrank>(egui::Id::new(SHRANK))).is_some_and(|Shrank(s)| s)
}
