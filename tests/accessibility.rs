//! Every control a player can reach has an accessible name: each screen is rendered headless
//! (egui_kittest builds the same AccessKit tree a screen reader reads on the desktop) in both
//! languages, and every node that can be clicked or focused must have a label of its own or
//! one it is labelled by. A button drawn without one fails here by role and position.
#![cfg(feature = "app")]

mod common;
use common::harness;

use std::cell::RefCell;

use bevy_egui::egui;
use bevy_egui::egui::accesskit::{Action, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::screen_ui;
use ttx::app::{Intent, Screen, Session};
use ttx::i18n::Lang;

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

/// A game driven by the keyboard alone: the session, its screen and the intents of the last
/// frame, applied between frames as the game's systems would.
struct Keyboard {
    session: RefCell<Session>,
    screen: std::cell::Cell<Screen>,
    sent: RefCell<Vec<Intent>>,
}

impl Keyboard {
    /// Applies the intents sent; returns them.
    fn apply(&self) -> Vec<Intent> {
        let sent = std::mem::take(&mut *self.sent.borrow_mut());
        for intent in &sent {
            let next = self.session.borrow_mut().handle(intent.clone(), self.screen.get());
            if let Some(next) = next {
                self.screen.set(next);
            }
        }
        sent
    }
}

/// Presses Tab until the focused control's name satisfies `want`; every stop on the way
/// must be a named control inside the window (the focus never lands on something unseen).
fn tab_to(h: &mut Harness, k: &Keyboard, want: impl Fn(&str) -> bool) -> String {
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 900.0));
    let mut stops = Vec::new();
    for _ in 0..80 {
        h.key_press(egui::Key::Tab);
        h.run();
        assert_eq!(k.apply(), Vec::<Intent>::new(), "Tab sends nothing");
        let focused: Vec<_> = h.query_all_by(|n| n.is_focused()).collect();
        assert_eq!(focused.len(), 1, "one focused control after {stops:?}");
        let node = focused[0].accesskit_node();
        let name = if node.label_comes_from_value() { node.value() } else { node.label() }.unwrap_or_default();
        let r = node.bounding_box().expect("the focused control has a place");
        let inside =
            egui::Rect::from_min_max(egui::pos2(r.x0 as f32, r.y0 as f32), egui::pos2(r.x1 as f32, r.y1 as f32));
        assert!(!name.trim().is_empty(), "a Tab stop without a name ({:?}) after {stops:?}", node.role());
        assert!(window.intersects(inside), "{name} is focused outside the window: {inside:?}");
        if want(&name) {
            return name;
        }
        stops.push(name);
    }
    panic!("not reached by Tab: {stops:?}");
}

#[test]
fn a_game_plays_with_the_keyboard_alone() {
    let k = Keyboard {
        session: RefCell::new(start(Lang::En)),
        screen: std::cell::Cell::new(Screen::Title),
        sent: RefCell::new(Vec::new()),
    };
    let mut inputs = ttx::app::screens::Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(1600.0, 900.0)).build_ui(|ui| {
        let s = k.session.borrow();
        k.sent.borrow_mut().extend(screen_ui(ui, &s, k.screen.get(), &mut inputs));
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    let enter = |h: &mut Harness| {
        h.key_press(egui::Key::Enter);
        h.run();
        k.apply()
    };
    tab_to(&mut h, &k, |n| n.starts_with("Play"));
    assert_eq!(enter(&mut h), [Intent::NewGame(0)]);
    assert_eq!(k.screen.get(), Screen::Briefing);
    h.run();
    tab_to(&mut h, &k, |n| n.starts_with("Start the first turn"));
    assert_eq!(enter(&mut h), [Intent::StartPlaying]);
    assert_eq!(k.screen.get(), Screen::Playing);
    h.run();
    // A card's button: Enter takes the card, and does not end the turn as well.
    let card = tab_to(&mut h, &k, |n| n.starts_with("Take: "));
    let sent = enter(&mut h);
    assert!(matches!(sent[..], [Intent::Act(_)]), "{card}: {sent:?}");
    assert_eq!(k.session.borrow().game().map(|g| g.actions().len()), Some(1), "{card} taken");
    tab_to(&mut h, &k, |n| n.starts_with("End turn"));
    assert_eq!(enter(&mut h), [Intent::EndTurn]);
    assert_eq!(k.screen.get(), Screen::Summary);
    h.run();
    // On a focused button Enter presses that button alone: Undo, not Undo and go on.
    tab_to(&mut h, &k, |n| n.starts_with("Undo"));
    assert_eq!(enter(&mut h), [Intent::Undo]);
    assert_eq!(k.screen.get(), Screen::Playing);
    h.run();
    tab_to(&mut h, &k, |n| n.starts_with("End turn"));
    assert_eq!(enter(&mut h), [Intent::EndTurn]);
    assert_eq!(k.screen.get(), Screen::Summary);
    h.run();
    // Nothing focused on the new screen: Enter goes on.
    assert_eq!(enter(&mut h), [Intent::ContinueFromSummary]);
    assert_eq!(k.screen.get(), Screen::Playing);
}
