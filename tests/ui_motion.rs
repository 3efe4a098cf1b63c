//! Motion that explains what a turn did, on the rendered screens (egui_kittest, no GPU, a
//! clock of 0.05 s a frame): with motion on the summary's figures count from their old
//! values to their new ones and a key skips to the end; with it off the first frame is
//! final; the next turn's injects arrive in the feed one after another; the setting is
//! remembered. The headless harness turns egui's animations off (as every other panel test
//! sees it, motion is then over at once); these tests turn them back on.
#![cfg(feature = "app")]

mod common;
use common::missing;

use std::cell::RefCell;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ttx::app::screens::motion::{COUNT_SECONDS, Clock, counted};
use ttx::app::screens::screen_ui;
use ttx::app::{Intent, Screen, Session};
use ttx::i18n::{Lang, Measure};
use ttx::sim::present::player::{TurnSummary, summary_view, turn_view};

/// Seconds a frame of the harness.
const FRAME: f64 = 0.05;

/// Renders `screen` of `session` with egui's animations on (so motion plays), one frame so far.
fn moving<'a>(session: &'a Session, screen: Screen, sent: &'a RefCell<Vec<Intent>>) -> Harness<'a> {
    let mut inputs = ttx::app::screens::Inputs::default();
    let h = Harness::builder().with_size(egui::vec2(1600.0, 900.0)).with_step_dt(FRAME as f32).build_ui(move |ui| {
        sent.borrow_mut().extend(screen_ui(ui, session, screen, &mut inputs));
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.ctx.all_styles_mut(|s| s.animation_time = 1.0 / 12.0);
    h
}

/// A 7pay game in English with motion `on`, at its first turn.
fn playing(on: bool) -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(Lang::En), Screen::Title);
    s.handle(Intent::SetMotion(on), Screen::Title);
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    s
}

/// The session after its first turn, on the summary, and that summary.
fn summarised(on: bool) -> (Session, TurnSummary) {
    let mut s = playing(on);
    s.handle(Intent::EndTurn, Screen::Playing);
    let summary = summary_view(s.game().expect("game"), 0, s.tr()).expect("a summary");
    (s, summary)
}

/// The largest change's old and new value in words, and its value `t` seconds into the count.
fn largest(s: &Session, summary: &TurnSummary, t: f64) -> (String, String, String) {
    let c = &summary.changes[*summary.biggest.first().expect("the first turn moves a metric")];
    let f = c.figures.as_ref().expect("figures");
    let mid =
        s.tr().quantity(counted(f.from, f.to, Clock::Running(t)), Measure { decimals: f.decimals, unit: &f.unit });
    (c.before.clone(), c.after.clone(), mid)
}

#[test]
fn with_motion_on_the_figures_count_to_their_new_values() {
    let (s, summary) = summarised(true);
    let sent = RefCell::new(Vec::new());
    let mut h = moving(&s, Screen::Summary, &sent);
    h.step(); // the count begins
    h.step(); // 0.05 s in
    h.step(); // 0.1 s in
    let (before, after, mid) = largest(&s, &summary, 2.0 * FRAME);
    assert!(mid != before && mid != after, "a count that shows something between {before} and {after}: {mid}");
    assert_eq!(missing(&h, &[&mid]), Vec::<String>::new(), "the value on its way");
    assert_eq!(missing(&h, &[&after]), vec![after.clone()], "not yet the new value");
    let frames = (COUNT_SECONDS / FRAME).ceil() as usize;
    for _ in 0..frames {
        h.step();
    }
    assert_eq!(missing(&h, &[&after]), Vec::<String>::new(), "the new value once counted");
    // The largest changes are called out in words, whatever their colour.
    let c = &summary.changes[summary.biggest[0]];
    let f = c.figures.as_ref().expect("figures");
    let word = if f.good == Some(true) { "better" } else { "worse" };
    let callout = format!("{} {} ({word})", c.metric, f.delta);
    assert_eq!(missing(&h, &[&callout]), Vec::<String>::new());
}

#[test]
fn a_key_skips_the_count_to_the_end_without_going_on() {
    let (s, summary) = summarised(true);
    let sent = RefCell::new(Vec::new());
    let mut h = moving(&s, Screen::Summary, &sent);
    for _ in 0..4 {
        h.step();
    }
    let (_, after, _) = largest(&s, &summary, 3.0 * FRAME);
    assert_eq!(missing(&h, &[&after]), vec![after.clone()], "still counting");
    // Enter skips (a key pressed down and let go: two frames, still well inside the count).
    h.key_press(egui::Key::Enter);
    h.step();
    assert_eq!(missing(&h, &[&after]), Vec::<String>::new(), "the new value at once");
    assert!(!sent.borrow().contains(&Intent::ContinueFromSummary), "the skipping Enter does not go on");
    h.key_press(egui::Key::Enter);
    h.step();
    assert!(sent.borrow().contains(&Intent::ContinueFromSummary), "the next Enter does");
}

#[test]
fn with_motion_off_the_first_frame_is_final() {
    let (s, summary) = summarised(false);
    let sent = RefCell::new(Vec::new());
    let mut h = moving(&s, Screen::Summary, &sent);
    h.step();
    let (_, after, _) = largest(&s, &summary, 0.0);
    assert_eq!(missing(&h, &[&after]), Vec::<String>::new());
    // The setting's button says so, and turns it on.
    h.get_by_label("Motion: off").click();
    h.step();
    assert!(sent.borrow().contains(&Intent::SetMotion(true)), "{:?}", sent.borrow());
}

#[test]
fn the_turns_injects_arrive_one_after_another() {
    let s = playing(true);
    // In the feed's order.
    let v = turn_view(s.game().expect("game"), s.tr());
    let now = v.feed.iter().find(|t| t.turn == v.turn).expect("this turn in the feed");
    let texts: Vec<String> = now.items.iter().map(|item| item.text.clone()).collect();
    assert!(texts.len() >= 2, "the first turn of 7pay has several injects: {}", texts.len());
    let sent = RefCell::new(Vec::new());
    let mut h = moving(&s, Screen::Playing, &sent);
    h.step();
    // One after another, a quarter second apart: the first (fading in), then each next.
    for k in 0..texts.len() {
        assert_eq!(missing(&h, &texts[..=k]), Vec::<String>::new(), "{k} arrived");
        assert_eq!(missing(&h, &texts[k + 1..]), texts[k + 1..].to_vec(), "the rest after {k} not yet");
        for _ in 0..(0.25 / FRAME).round() as usize {
            h.step();
        }
    }
    // A key brings them all at once.
    let mut h = moving(&s, Screen::Playing, &sent);
    h.step();
    h.step();
    assert_eq!(missing(&h, &texts[1..]), texts[1..].to_vec(), "still arriving");
    h.key_press(egui::Key::Enter);
    h.step();
    assert_eq!(missing(&h, &texts), Vec::<String>::new(), "a key brings them all");
    assert!(!sent.borrow().contains(&Intent::EndTurn), "the skipping Enter does not end the turn");
    h.key_press(egui::Key::Enter);
    h.step();
    assert!(sent.borrow().contains(&Intent::EndTurn), "the next Enter does");
}

#[test]
fn the_motion_setting_is_remembered() {
    let dir = std::env::temp_dir().join(format!("ttx-motion-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut s = Session::new(Some(dir.clone()));
    assert_eq!(s.settings().motion, ttx::app::session::motion_default(), "on unless asked otherwise");
    s.handle(Intent::SetMotion(false), Screen::Summary);
    assert!(!Session::new(Some(dir.clone())).settings().motion, "off after a restart");
    s.handle(Intent::SetMotion(true), Screen::Summary);
    assert!(Session::new(Some(dir.clone())).settings().motion, "and on again");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_dashboard_counts_to_the_values_the_last_turn_left() {
    let (mut s, _) = summarised(true);
    s.handle(Intent::ContinueFromSummary, Screen::Summary);
    let v = turn_view(s.game().expect("game"), s.tr());
    let m = v.metrics.iter().find(|m| m.figures.is_some()).expect("a metric the first turn moved");
    let f = m.figures.as_ref().expect("figures");
    let mid = s
        .tr()
        .quantity(counted(f.from, f.to, Clock::Running(2.0 * FRAME)), Measure { decimals: f.decimals, unit: &f.unit });
    let before = s.tr().quantity(f.from, Measure { decimals: f.decimals, unit: &f.unit });
    assert!(mid != before && mid != m.value, "a count between {before} and {}: {mid}", m.value);
    let sent = RefCell::new(Vec::new());
    let mut h = moving(&s, Screen::Playing, &sent);
    for _ in 0..3 {
        h.step();
    }
    assert_eq!(missing(&h, &[&mid]), Vec::<String>::new(), "{} on its way", m.label);
    for _ in 0..(COUNT_SECONDS / FRAME).ceil() as usize {
        h.step();
    }
    assert_eq!(missing(&h, &[&m.value]), Vec::<String>::new(), "{} at its new value", m.label);
    assert_eq!(missing(&h, &[&mid]), vec![mid.clone()], "and no longer on its way");
}

#[test]
fn the_title_screens_settings_turn_motion_off_and_on() {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(Lang::En), Screen::Title);
    for (on, label, asks) in [(true, "Motion: on", false), (false, "Motion: off", true)] {
        s.handle(Intent::SetMotion(on), Screen::Title);
        let sent = RefCell::new(Vec::new());
        let mut h = moving(&s, Screen::Title, &sent);
        h.step();
        // Under "Files, workshops and settings", with the text size and the theme.
        assert!(h.query_by_label(label).is_none(), "the setting waits under the collapsed header");
        h.get_by_label("Files, workshops and settings").click();
        h.step();
        h.step();
        h.get_by_label(label).click();
        h.step();
        assert!(sent.borrow().contains(&Intent::SetMotion(asks)), "{label}: {:?}", sent.borrow());
    }
}
