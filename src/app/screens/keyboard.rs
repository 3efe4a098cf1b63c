//! A phone's on-screen keyboard: when it takes the lower part of the screen, the field being
//! typed in is scrolled back into what is left.
//!
//! The page lets the keyboard resize the game (web/index.html: the viewport's
//! `interactive-widget=resizes-content`, and the visual viewport's height where a browser
//! ignores it), so the game sees a shorter screen. What was laid out below the new bottom
//! edge, often the very field that brought the keyboard up, would be hidden under it.

use bevy_egui::egui;

/// The screen's height on the last frame drawn.
#[derive(Debug, Clone, Copy)]
struct LastHeight(f32);

/// On a frame where the screen got shorter, scrolls the focused widget (a text field, or a
/// control reached with the keyboard) back onto the screen if it is not wholly on it. Called
/// before the screen is drawn: the scroll areas of this frame take the request.
pub fn keep_focus_in_view(ctx: &egui::Context) {
    let screen = ctx.viewport_rect();
    let id = egui::Id::new("ttx-keyboard-last-height");
    let last = ctx.data_mut(|d| {
        let last = d.get_temp::<LastHeight>(id);
        d.insert_temp(id, LastHeight(screen.height()));
        last
    });
    if !last.is_some_and(|LastHeight(h)| screen.height() < h - 0.5) {
        return;
    }
    let Some(focused) = ctx.memory(|m| m.focused()) else { return };
    let Some(response) = ctx.read_response(focused) else { return };
    if !screen.contains_rect(response.rect) {
        response.scroll_to_me(Some(egui::Align::Center));
    }
}
