//! A tap is a click however slowly the frames come: egui times a press by the frames that
//! saw it, so a quick tap split by one slow frame (a busy phone, a software renderer) would
//! read as a long press and do nothing. The game widens egui's click window by the frame's
//! own length, and no more: a press really held is still no click.
#![cfg(feature = "app")]

use bevy_egui::egui;
use ttx::app::screens::{CLICK_SECONDS, allow_click_across_frame};

/// One frame at `time` seconds with `events`, the frame before it `frame` seconds earlier;
/// with `allow`, the game's allowance is applied first. Whether the button was clicked.
fn frame(ctx: &egui::Context, time: f64, frame: f64, events: Vec<egui::Event>, allow: bool) -> bool {
    if allow {
        allow_click_across_frame(ctx, frame);
    }
    let input = egui::RawInput {
        time: Some(time),
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(400.0, 300.0))),
        events,
        ..Default::default()
    };
    let mut clicked = false;
    ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            clicked |= ui.add_sized([200.0, 60.0], egui::Button::new("Play")).clicked();
        });
    })
    .drop_without_applying_deltas();
    clicked
}

const AT: egui::Pos2 = egui::pos2(60.0, 30.0);

fn down() -> Vec<egui::Event> {
    vec![
        egui::Event::PointerMoved(AT),
        egui::Event::PointerButton {
            pos: AT,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: Default::default(),
        },
    ]
}

fn up() -> Vec<egui::Event> {
    vec![
        egui::Event::PointerButton {
            pos: AT,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Default::default(),
        },
        egui::Event::PointerGone,
    ]
}

/// A tap: touch-down seen by the frame at 1.0 s, touch-up by the next frame, `gap` seconds
/// later, with frames every `step` seconds in between (a held press) or none.
fn tap(gap: f64, step: Option<f64>, allow: bool) -> bool {
    let ctx = egui::Context::default();
    let mut clicked = frame(&ctx, 0.0, 0.0, vec![], allow);
    clicked |= frame(&ctx, 1.0, 1.0, down(), allow);
    let mut t = 1.0;
    if let Some(step) = step {
        while t + step < 1.0 + gap - 1e-9 {
            t += step;
            clicked |= frame(&ctx, t, step, vec![], allow);
        }
    }
    clicked | frame(&ctx, 1.0 + gap, 1.0 + gap - t, up(), allow)
}

#[test]
fn a_quick_tap_across_one_slow_frame_is_a_click() {
    // The tap took no time; the frame that saw it end came 1.2 s after the one that saw it
    // begin (a loaded machine drawing a phone-sized canvas in software).
    assert!(tap(1.2, None, true), "a quick tap split by a 1.2 s frame is a click");
    // egui alone times it as a 1.2 s press: no click. This is what the allowance fixes.
    assert!(!tap(1.2, None, false), "without the allowance egui reads the tap as a long press");
    // At a normal frame rate nothing changes.
    assert!(tap(0.05, None, true) && tap(0.05, None, false));
}

#[test]
fn a_press_held_past_the_click_window_is_still_no_click() {
    // Held 1.5 s at 10 frames a second: the allowance is one frame, 0.1 s.
    assert!(!tap(1.5, Some(0.1), true), "a held press is not a click");
    // Held just under the window plus one frame: a click.
    assert!(tap(CLICK_SECONDS, Some(0.1), true));
}

#[test]
fn the_allowance_is_bounded() {
    let ctx = egui::Context::default();
    allow_click_across_frame(&ctx, f64::INFINITY);
    let window = ctx.options(|o| o.input_options.max_click_duration);
    assert!(window <= CLICK_SECONDS + 10.0, "a frame of any length widens the window by at most 10 s: {window}");
    allow_click_across_frame(&ctx, f64::NAN);
    let window = ctx.options(|o| o.input_options.max_click_duration);
    assert!(window.is_finite() && window >= CLICK_SECONDS, "a NaN frame time leaves a sane window: {window}");
}
