//! Every control a player can reach has an accessible name: each screen is rendered headless
//! (egui_kittest builds the same AccessKit tree a screen reader reads on the desktop) in both
//! languages, and every node that can be clicked or focused must have a label of its own or
//! one it is labelled by. A button drawn without one fails here by role and position.
#![cfg(feature = "app")]

use std::cell::RefCell;

use bevy_egui::egui;
use bevy_egui::egui::accesskit::{Action, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::screen_ui;
use ttx::app::{Intent, Screen, Session};
use ttx::i18n::Lang;

/// Renders `screen` of `session` at the desktop window's size.
fn harness<'a>(session: &'a Session, screen: Screen, sent: &'a RefCell<Vec<Intent>>) -> Harness<'a> {
    let mut inputs = ttx::app::screens::Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(1600.0, 900.0)).build_ui(move |ui| {
        sent.borrow_mut().extend(screen_ui(ui, session, screen, &mut inputs));
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    h
}

/// The controls (nodes that take a click or the keyboard focus) without an accessible name,
/// as "role at (x, y)" with the node's value when it has one.
fn unnamed(h: &Harness) -> Vec<String> {
    h.query_all_by(|_| true)
        .filter_map(|n| {
            let node = n.accesskit_node();
            let data = node.data();
            let control = data.supports_action(Action::Click) || data.supports_action(Action::Focus);
            // A label's name is its text, which AccessKit keeps in the value (a screen reader
            // reads it so: `label_comes_from_value`); every other role needs a label.
            let name = if node.label_comes_from_value() { node.value() } else { node.label() };
            let named = name.is_some_and(|l| !l.trim().is_empty());
            // A scroll area's bar is egui's own, not one of the game's controls; ARIA asks no
            // name of a scrollbar (screen readers scroll the content itself).
            let scroll_bar = node.role() == Role::ScrollBar;
            // A disabled area with no role at all (a chart's axis) takes neither the focus
            // nor a click, and is announced as nothing.
            let inert = node.role() == Role::Unknown && node.is_disabled();
            if !control || named || scroll_bar || inert || node.is_hidden() {
                return None;
            }
            let at = node.bounding_box().map(|r| format!(" at ({:.0}, {:.0})", r.x0, r.y0)).unwrap_or_default();
            Some(format!("{:?}{at} value {:?}", node.role(), node.value()))
        })
        .collect()
}

/// The number of controls on the screen (so a screen that drew nothing cannot pass).
fn controls(h: &Harness) -> usize {
    h.query_all_by(|_| true)
        .filter(|n| {
            let data = n.accesskit_node().data();
            data.supports_action(Action::Click) || data.supports_action(Action::Focus)
        })
        .count()
}

fn start(lang: Lang) -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(lang), Screen::Title);
    s
}

/// Checks one screen: some controls, every one named.
fn check(s: &Session, screen: Screen, what: &str, least: usize) {
    let sent = RefCell::new(Vec::new());
    let h = harness(s, screen, &sent);
    let n = controls(&h);
    assert!(n >= least, "{what}: only {n} controls");
    assert_eq!(unnamed(&h), Vec::<String>::new(), "{what}: controls without an accessible name");
}

#[test]
fn every_control_on_every_player_screen_has_an_accessible_name() {
    for lang in [Lang::En, Lang::Ja] {
        let mut s = start(lang);
        check(&s, Screen::Title, &format!("{lang} title"), 5);
        s.handle(Intent::NewGame(0), Screen::Title);
        check(&s, Screen::Briefing, &format!("{lang} briefing"), 1);
        s.handle(Intent::StartPlaying, Screen::Briefing);
        check(&s, Screen::Playing, &format!("{lang} turn"), 10);
        let mut screen = s.handle(Intent::EndTurn, Screen::Playing).unwrap_or(Screen::Playing);
        assert_eq!(screen, Screen::Summary);
        check(&s, Screen::Summary, &format!("{lang} summary"), 1);
        // On to the first turn with a decision to take, then to the end.
        let mut saw_decision = false;
        for _ in 0..60 {
            screen = match screen {
                Screen::Summary => s.handle(Intent::ContinueFromSummary, Screen::Summary).unwrap_or(screen),
                Screen::Playing => {
                    if !saw_decision && s.game().is_some_and(|g| g.due_decisions().count() > 0) {
                        check(&s, Screen::Playing, &format!("{lang} turn with a decision"), 10);
                        saw_decision = true;
                    }
                    s.handle(Intent::EndTurn, Screen::Playing).unwrap_or(screen)
                }
                _ => break,
            };
        }
        assert!(saw_decision, "{lang}: no turn with a decision");
        assert_eq!(screen, Screen::Debrief, "{lang}");
        check(&s, Screen::Debrief, &format!("{lang} debrief"), 1);
        check(&s, Screen::Leaderboard, &format!("{lang} leaderboard"), 1);
    }
}

/// The test of the check: a button with no text and an unlabelled text field are found, a
/// named button and a field labelled by its caption are not.
#[test]
fn the_check_finds_a_control_without_a_name() {
    let mut text = String::from("abc");
    let mut h = Harness::builder().with_size(egui::vec2(400.0, 300.0)).build_ui(|ui| {
        let _ = ui.button("Named");
        let caption = ui.label("Join code");
        ui.text_edit_singleline(&mut text).labelled_by(caption.id);
        let _ = ui.add(egui::Button::new(""));
        let mut other = String::new();
        ui.text_edit_singleline(&mut other);
    });
    h.run();
    let found = unnamed(&h);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with(&format!("{:?}", Role::Button)), "{found:?}");
    assert!(found[1].starts_with(&format!("{:?}", Role::TextInput)), "{found:?}");
}

/// The names of the polite live regions on a screen (what a screen reader announces as it
/// changes).
fn live_regions(h: &Harness) -> Vec<String> {
    h.query_all_by(|_| true)
        .filter(|n| n.accesskit_node().data().live() == Some(bevy_egui::egui::accesskit::Live::Polite))
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect()
}

#[test]
fn the_event_feed_and_the_turn_summary_are_live_regions() {
    let mut s = start(Lang::En);
    s.handle(Intent::NewGame(0), Screen::Title);
    let sent = RefCell::new(Vec::new());
    assert_eq!(live_regions(&harness(&s, Screen::Title, &sent)), Vec::<String>::new());
    s.handle(Intent::StartPlaying, Screen::Briefing);
    let h = harness(&s, Screen::Playing, &sent);
    assert_eq!(live_regions(&h), ["Event feed"]);
    // What the feed shows is inside the region.
    let feed = h.query_all_by(|_| true).find(|n| n.accesskit_node().data().live().is_some()).expect("the feed");
    let inside = h.query_all_by(|_| true).filter(|n| {
        let mut up = n.accesskit_node().parent();
        while let Some(p) = up {
            if p.id() == feed.accesskit_node().id() {
                return true;
            }
            up = p.parent();
        }
        false
    });
    assert!(inside.count() >= 2, "the feed's texts are in the live region");
    drop(h);
    assert_eq!(s.handle(Intent::EndTurn, Screen::Playing), Some(Screen::Summary));
    let regions = live_regions(&harness(&s, Screen::Summary, &sent));
    assert_eq!(regions.len(), 1, "{regions:?}");
    assert!(regions[0].starts_with("What happened on "), "{regions:?}");
}
