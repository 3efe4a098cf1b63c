//! Motion that explains what a turn did: on the summary the figures count from their old
//! values to their new ones, and on the next turn the feed's new injects arrive one after
//! another. Presentation only: the screens draw the engine's views, and this says how far
//! into its motion a screen is.
//!
//! The clock is egui's (`input.time`), so it runs on the desktop and in the browser alike.
//! Any key or click skips to the end. Motion is off with the player's setting, and whenever
//! egui's own animations are off (`animation_time` 0, as in the headless test harness): then
//! every screen is drawn in its final state on its first frame.

use std::hash::{Hash, Hasher};

use bevy_egui::egui;

use crate::i18n::{Measure, Tr};
use crate::sim::present::view::Figures;

/// How long a figure takes to count to its new value, in seconds.
pub const COUNT_SECONDS: f64 = 0.8;
/// Between two injects arriving in the feed, in seconds.
pub const ARRIVAL_SECONDS: f64 = 0.25;

/// Where a screen's motion is this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    /// Running: this many seconds since it began.
    Running(f64),
    /// A key or a click skipped it this frame (that input was for the skip).
    Skipped,
    /// Over, or off: draw the final state.
    Done,
}

/// One screen's motion: what it shows (a hash) and when it began.
#[derive(Debug, Clone, Copy)]
struct Run {
    key: u64,
    start: f64,
    skipped: bool,
}

fn setting_id() -> egui::Id {
    egui::Id::new("ttx-motion-setting")
}

/// Remembers the player's motion setting for this frame's screens (called once a frame).
pub fn set_setting(ctx: &egui::Context, on: bool) {
    ctx.data_mut(|d| d.insert_temp(setting_id(), on));
}

/// The player's motion setting, as [`set_setting`] left it (off when never set).
pub fn setting(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp(setting_id())).unwrap_or(false)
}

/// Whether screens move: the player's setting, and egui's animations not turned off.
fn moving(ctx: &egui::Context) -> bool {
    setting(ctx) && ctx.global_style().animation_time > 0.0
}

/// The clock of the motion in `slot` (one per screen part) showing `key`, `length` seconds
/// long. A new `key` starts it again; the same one goes on (or stays over). While it runs,
/// the next frame is asked for.
pub fn clock(ctx: &egui::Context, slot: &str, key: impl Hash, length: f64) -> Clock {
    if !moving(ctx) {
        return Clock::Done;
    }
    let id = egui::Id::new(("ttx-motion", slot));
    let key = {
        let mut h = std::hash::DefaultHasher::new();
        key.hash(&mut h);
        h.finish()
    };
    let now = ctx.input(|i| i.time);
    let kept = ctx.data(|d| d.get_temp::<Run>(id)).filter(|r| r.key == key);
    let mut run = kept.unwrap_or(Run { key, start: now, skipped: false });
    let elapsed = now - run.start;
    // The input that brought this screen up is not a skip: only input while it runs is.
    let skip = kept.is_some() && !run.skipped && elapsed < length && skipping_input(ctx);
    run.skipped |= skip;
    ctx.data_mut(|d| d.insert_temp(id, run));
    if skip {
        let pass = ctx.cumulative_pass_nr();
        ctx.data_mut(|d| d.insert_temp(skipped_id(), pass));
        return Clock::Skipped;
    }
    if run.skipped || elapsed >= length {
        return Clock::Done;
    }
    ctx.request_repaint();
    Clock::Running(elapsed.max(0.0))
}

fn skipped_id() -> egui::Id {
    egui::Id::new("ttx-motion-skipped")
}

/// Whether a key or a click skipped some motion this frame: then that input was for the
/// skip, and a screen's keys do not act on it too (Enter does not also end the turn).
pub fn skipped_this_frame(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp::<u64>(skipped_id())) == Some(ctx.cumulative_pass_nr())
}

/// A key pressed or a pointer button pressed this frame.
fn skipping_input(ctx: &egui::Context) -> bool {
    ctx.input(|i| {
        i.events.iter().any(|e| {
            matches!(e, egui::Event::Key { pressed: true, .. } | egui::Event::PointerButton { pressed: true, .. })
        })
    })
}

/// How far a count of `length` seconds is at `clock`, from 0 to 1, easing out (fast at
/// first, settling on the new value).
pub fn progress(clock: Clock, length: f64) -> f64 {
    match clock {
        Clock::Running(t) if length > 0.0 => {
            let p = (t / length).clamp(0.0, 1.0);
            1.0 - (1.0 - p).powi(3)
        }
        Clock::Running(_) | Clock::Skipped | Clock::Done => 1.0,
    }
}

/// A value counted from `from` to `to` at `clock`.
pub fn counted(from: f64, to: f64, clock: Clock) -> f64 {
    from + (to - from) * progress(clock, COUNT_SECONDS)
}

/// A metric's value in words at `clock`: counted from its old value while the clock runs,
/// else `fin` (the view's own words for the new value).
pub fn figure_text(tr: &Tr, figures: Option<&Figures>, fin: &str, clock: Clock) -> String {
    match (figures, clock) {
        (Some(f), Clock::Running(_)) => {
            tr.quantity(counted(f.from, f.to, clock), Measure { decimals: f.decimals, unit: &f.unit })
        }
        _ => fin.to_owned(),
    }
}

/// How many of `n` arriving items have arrived at `clock`, and how far the last of them is
/// in (its opacity, 0 to 1).
pub fn arrived(clock: Clock, n: usize) -> (usize, f32) {
    match clock {
        Clock::Running(t) => {
            let steps = t / ARRIVAL_SECONDS;
            let whole = steps.floor() as usize;
            if whole >= n { (n, 1.0) } else { (whole + 1, (steps - whole as f64) as f32) }
        }
        Clock::Skipped | Clock::Done => (n, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_ease_from_the_old_value_to_the_new_one() {
        assert_eq!(counted(60.0, 48.0, Clock::Running(0.0)), 60.0);
        let mid = counted(60.0, 48.0, Clock::Running(COUNT_SECONDS / 2.0));
        assert!(mid < 60.0 && mid > 48.0, "{mid}");
        assert_eq!(counted(60.0, 48.0, Clock::Running(COUNT_SECONDS)), 48.0);
        assert_eq!(counted(60.0, 48.0, Clock::Done), 48.0);
        assert_eq!(counted(60.0, 48.0, Clock::Skipped), 48.0);
    }

    #[test]
    fn items_arrive_one_after_another() {
        assert_eq!(arrived(Clock::Running(0.0), 3), (1, 0.0));
        assert_eq!(arrived(Clock::Running(ARRIVAL_SECONDS * 1.5), 3), (2, 0.5));
        assert_eq!(arrived(Clock::Running(ARRIVAL_SECONDS * 9.0), 3), (3, 1.0));
        assert_eq!(arrived(Clock::Done, 3), (3, 1.0));
        assert_eq!(arrived(Clock::Running(0.0), 0), (0, 1.0));
    }
}
