//! A phone's on-screen keyboard (egui_kittest, no GPU): with a text field focused, the screen
//! gets shorter (the page hands the game the room the keyboard leaves), and the field is
//! still wholly on what is left of it, on every player screen with a text field.
#![cfg(feature = "app")]

use bevy_egui::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::{Inputs, screen_ui};
use ttx::app::{Intent, Screen, Session};
use ttx::i18n::Lang;

/// A phone in portrait (CSS px at 1 px a point), and what the keyboard leaves of it.
const PHONE: [f32; 2] = [360.0, 740.0];
const ABOVE_KEYBOARD: f32 = 330.0;

fn english() -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(Lang::En), Screen::Title);
    s
}

fn playing() -> Session {
    let mut s = english();
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    s
}

fn debrief() -> Session {
    let mut s = playing();
    while !s.game().expect("game").is_finished() {
        s.handle(Intent::EndTurn, Screen::Playing);
    }
    s.handle(Intent::ContinueFromSummary, Screen::Summary);
    s
}

fn harness(session: &Session, screen: Screen) -> Harness<'_> {
    let mut inputs = Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(PHONE[0], PHONE[1])).build_ui(move |ui| {
        screen_ui(ui, session, screen, &mut inputs);
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    h
}

fn is_field(role: Role) -> bool {
    matches!(role, Role::TextInput | Role::MultilineTextInput)
}

/// For the `index`th text field of the screen: its rect once scrolled into view before the
/// keyboard (a problem of its own if it is not then on the screen), and the focused
/// widget's rect once the keyboard took the lower part of the screen (None: no such field,
/// or nothing focused).
fn under_keyboard(session: &Session, screen: Screen, index: usize) -> Option<(egui::Rect, Option<egui::Rect>)> {
    let mut h = harness(session, screen);
    // The player scrolls to the field first, as a finger would, then taps into it.
    h.query_all_by(|n| is_field(n.role())).nth(index)?.scroll_to_me();
    h.run();
    let before = {
        let field = h.query_all_by(|n| is_field(n.role())).nth(index)?;
        let rect = field.rect();
        field.focus();
        rect
    };
    h.run();
    h.set_size(egui::vec2(PHONE[0], ABOVE_KEYBOARD));
    h.run();
    let focused = h.query_all_by(|n| is_field(n.role())).find(|n| n.accesskit_node().is_focused()).map(|n| n.rect());
    Some((before, focused))
}

#[test]
fn the_field_being_typed_in_stays_above_the_keyboard() {
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(PHONE[0], ABOVE_KEYBOARD));
    let (mut checked, mut moved, mut problems) = (0, 0, Vec::new());
    for (name, session, on) in [
        ("title", english(), Screen::Title),
        ("turn", playing(), Screen::Playing),
        ("debrief", debrief(), Screen::Debrief),
    ] {
        for index in 0.. {
            let Some((before, after)) = under_keyboard(&session, on, index) else { break };
            checked += 1;
            let phone = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(PHONE[0], PHONE[1]));
            if !phone.expand(0.5).contains_rect(before) {
                problems.push(format!(
                    "{name}, field {index}: at {before:?} even when scrolled to, off the phone's screen"
                ));
                continue;
            }
            match after {
                None => problems.push(format!("{name}, field {index}: lost the focus when the screen got shorter")),
                Some(r) if !screen.expand(0.5).contains_rect(r) => {
                    problems.push(format!("{name}, field {index} (was at {before:?}): at {r:?}, under the keyboard"));
                }
                Some(_) if !screen.contains_rect(before) => moved += 1,
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{} of {checked} fields:\n{}", problems.len(), problems.join("\n"));
    // Not only fields that were high on the screen anyway: some had to be brought up.
    assert!(moved > 0, "none of the {checked} fields was below the keyboard's top edge: the check saw nothing move");
}
