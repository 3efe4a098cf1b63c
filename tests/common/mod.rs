//! What the egui panel tests share: a screen of a session rendered headless at the desktop
//! window's size, and the texts of a list that no widget on it shows. Each test crate uses
//! the part it needs.
#![allow(dead_code)]

use std::cell::RefCell;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::screen_ui;
use ttx::app::{Intent, Screen, Session};

/// Renders `screen` of `session` at the desktop window's size; what it asks for goes to `sent`.
pub fn harness<'a>(session: &'a Session, screen: Screen, sent: &'a RefCell<Vec<Intent>>) -> Harness<'a> {
    let mut inputs = ttx::app::screens::Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(1600.0, 900.0)).build_ui(move |ui| {
        sent.borrow_mut().extend(screen_ui(ui, session, screen, &mut inputs));
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    h
}

/// The texts of `expected` that no widget on the screen shows (as its label or value),
/// whitespace-insensitively (a wrapped label keeps its words).
pub fn missing<S: AsRef<str>>(h: &Harness, expected: &[S]) -> Vec<String> {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown: Vec<String> = h
        .query_all_by(|_| true)
        .flat_map(|n| [n.accesskit_node().label(), n.accesskit_node().value()])
        .flatten()
        .map(|t| squash(&t))
        .collect();
    expected
        .iter()
        .map(AsRef::as_ref)
        .filter(|e| !shown.iter().any(|s| s.contains(&squash(e))))
        .map(str::to_owned)
        .collect()
}
