//! The form of the screen the player has — phone, tablet or desktop — chosen once a frame
//! from the space available in egui points (never from the user agent), and the touch
//! sizing the phone and tablet layouts share.

use bevy_egui::egui::{self, Response, RichText, Vec2, WidgetText};

/// How the screens arrange themselves: one column on a phone, two on a tablet, the full
/// layout on a desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Narrower than [`TABLET_FROM`] points, or shorter than [`TALL_FROM`] (a phone turned
    /// sideways): one column, tabs, a bottom bar, touch-sized controls.
    Phone,
    /// Narrower than [`DESKTOP_FROM`]: two columns, touch-sized controls.
    Tablet,
    /// The layout the game always had.
    Desktop,
}

/// From this width in points up a screen is a tablet's.
pub const TABLET_FROM: f32 = 600.0;
/// From this width in points up a screen is a desktop's.
pub const DESKTOP_FROM: f32 = 1000.0;
/// Below this height in points a screen is a phone's, whatever its width (landscape).
pub const TALL_FROM: f32 = 480.0;
/// The smallest touch target, in CSS pixels (WCAG 2.5.5, Apple's guidelines).
pub const TOUCH_CSS_PX: f32 = 44.0;

impl Form {
    /// The form for a screen of `size` points.
    pub fn of(size: Vec2) -> Self {
        if size.x < TABLET_FROM || size.y < TALL_FROM {
            Form::Phone
        } else if size.x < DESKTOP_FROM {
            Form::Tablet
        } else {
            Form::Desktop
        }
    }

    /// Whether controls are sized and arranged for touch (phone and tablet).
    pub fn touch(self) -> bool {
        self != Form::Desktop
    }
}

/// The smallest touch target in points: [`TOUCH_CSS_PX`] at the text size's zoom (egui
/// points are CSS pixels times the zoom factor in the browser).
pub fn touch_points(ctx: &egui::Context) -> f32 {
    TOUCH_CSS_PX / ctx.zoom_factor()
}

/// On a touch form, makes every button, field, checkbox and selectable label of `ui` (and
/// of the panels inside it) at least a touch target tall, with room between them.
pub fn touch_style(ui: &mut egui::Ui, form: Form) {
    if !form.touch() {
        return;
    }
    let t = touch_points(ui.ctx());
    let s = ui.spacing_mut();
    s.interact_size = Vec2::new(s.interact_size.x.max(t), t);
    s.button_padding = Vec2::new(12.0, 6.0);
    s.item_spacing = Vec2::new(8.0, 8.0);
    s.scroll.bar_width = s.scroll.bar_width.max(10.0);
}

/// A button at least a touch target wide and tall on a touch form; `small` keeps the
/// desktop's small button.
pub fn button(ui: &mut egui::Ui, form: Form, small: bool, text: impl Into<WidgetText>) -> Response {
    if form.touch() {
        let t = touch_points(ui.ctx());
        ui.add(egui::Button::new(text).min_size(Vec2::splat(t)))
    } else if small {
        ui.small_button(text)
    } else {
        ui.button(text)
    }
}

/// A choice among a few (a selectable label), a touch target on a touch form.
pub fn choice(ui: &mut egui::Ui, form: Form, selected: bool, text: impl Into<WidgetText>) -> Response {
    if form.touch() {
        let t = touch_points(ui.ctx());
        ui.add(egui::Button::selectable(selected, text).min_size(Vec2::splat(t)))
    } else {
        ui.selectable_label(selected, text)
    }
}

/// A one-line text field at least as tall as the style's interaction size: a touch target,
/// its text centred, under [`touch_style`]; unchanged on a desktop (its fields are taller
/// than the mouse's 18 points).
pub fn field<'t>(ui: &egui::Ui, edit: egui::TextEdit<'t>) -> egui::TextEdit<'t> {
    let tall = ui.spacing().interact_size.y;
    let edit = edit.min_size(Vec2::new(0.0, tall));
    if tall >= touch_points(ui.ctx()) - 0.5 { edit.vertical_align(egui::Align::Center) } else { edit }
}

/// A row of widgets: on a desktop a plain row, on a touch form a row that wraps rather
/// than run past the right edge.
pub fn row<R>(ui: &mut egui::Ui, form: Form, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    if form.touch() { ui.horizontal_wrapped(add).inner } else { ui.horizontal(add).inner }
}

/// A heading sized for the form: `size` on a desktop and tablet, smaller on a phone.
pub fn heading(text: impl Into<String>, size: f32, form: Form) -> RichText {
    let size = if form == Form::Phone { (size * 0.8).max(16.0) } else { size };
    RichText::new(text).size(size).strong()
}

/// The width a fixed-width field may take: `desired` on a desktop, at most what is left of
/// the row (less `reserve` for the widgets after it) on a touch form.
pub fn field_width(ui: &egui::Ui, form: Form, desired: f32, reserve: f32) -> f32 {
    if form.touch() { desired.min((ui.available_width() - reserve).max(120.0)) } else { desired }
}

/// The places of the frame's main actions by name, for the page (`ttx_state().targets`):
/// a browser test taps a button by name, not by coordinates that change with the layout.
#[derive(Debug, Clone, Default)]
struct Targets(Vec<(String, egui::Rect)>);

/// Records where the action `name` is drawn this frame.
pub fn mark(ui: &egui::Ui, name: &str, rect: egui::Rect) {
    ui.ctx().data_mut(|d| d.get_temp_mut_or_default::<Targets>(egui::Id::NULL).0.push((name.to_owned(), rect)));
}

/// The actions recorded by [`mark`] since the last call, in the order they were drawn.
pub fn take_targets(ctx: &egui::Context) -> Vec<(String, egui::Rect)> {
    ctx.data_mut(|d| d.remove_temp::<Targets>(egui::Id::NULL)).map(|t| t.0).unwrap_or_default()
}

/// How long a press may last and still be a click, not counting the frames: egui's own.
pub const CLICK_SECONDS: f64 = 0.8;

/// Lets a tap or click be one however slowly frames come. egui times a press from the frame
/// that saw it go down to the frame that saw it come up, so a tap whose touch-down and
/// touch-up fall either side of a slow frame (a phone busy loading, a software renderer)
/// measures as long as that frame: past [`CLICK_SECONDS`] it would count as a long press
/// and do nothing. The measurement can be late by at most the frame's own length, so the
/// allowance grows by exactly that, `frame_seconds` (the time since the previous frame);
/// a press held for longer than [`CLICK_SECONDS`] plus that is still no click.
pub fn allow_click_across_frame(ctx: &egui::Context, frame_seconds: f64) {
    let frame = if frame_seconds.is_nan() { 0.0 } else { frame_seconds.clamp(0.0, 10.0) };
    let allowed = CLICK_SECONDS + frame;
    ctx.options_mut(|o| {
        if o.input_options.max_click_duration != allowed {
            o.input_options.max_click_duration = allowed;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_follows_the_space_not_the_device() {
        // A phone in portrait and in landscape at the text size M (1.25 CSS px a point).
        assert_eq!(Form::of(Vec2::new(412.0, 839.0) / 1.25), Form::Phone);
        assert_eq!(Form::of(Vec2::new(839.0, 412.0) / 1.25), Form::Phone);
        // A tablet in portrait; in landscape it has a desktop's room.
        assert_eq!(Form::of(Vec2::new(820.0, 1180.0) / 1.25), Form::Tablet);
        assert_eq!(Form::of(Vec2::new(1180.0, 820.0)), Form::Desktop);
        assert_eq!(Form::of(Vec2::new(1600.0, 900.0)), Form::Desktop);
        assert!(!Form::Desktop.touch() && Form::Phone.touch() && Form::Tablet.touch());
    }
}
