//! The turn summary: what changed on the turn just resolved, and why.

use bevy_egui::egui::{self, Color32, Key, RichText, Vec2};

use super::super::session::Intent;
use super::{ACCENT, line_label};
use crate::i18n::Tr;
use crate::sim::Game;
use crate::sim::present::player::{TurnSummary, summary_view};
use crate::t;

/// What changed on the turn just resolved, and why; what comes next.
pub fn summary_ui(root: &mut egui::Ui, g: &Game, turn: usize, tr: &Tr, out: &mut Vec<Intent>) {
    let s = summary_view(g, turn, tr);
    view_ui(root, s.as_ref(), g.is_finished(), tr, out);
}

/// The summary screen of a [`TurnSummary`]; `finished`: the game is over (the debrief is next).
pub fn view_ui(root: &mut egui::Ui, s: Option<&TurnSummary>, finished: bool, tr: &Tr, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    egui::Panel::bottom("summary_bar").show(root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let next = if finished { t!(tr, "summary-to-debrief") } else { t!(tr, "summary-next-turn") };
            if ui.add(egui::Button::new(RichText::new(next).size(20.0).color(Color32::WHITE)).fill(ACCENT)).clicked() {
                out.push(Intent::ContinueFromSummary);
            }
            if ui.button(t!(tr, "summary-undo")).clicked() {
                out.push(Intent::Undo);
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if let Some(s) = s {
                super::live_region(ui, &t!(tr, "summary-heading", label = &s.label));
                summary_body(ui, s, tr);
            }
        });
    });
    // Enter goes on unless a control has the keyboard: a focused button's Enter is its own.
    if !ctx.egui_wants_keyboard_input() && ctx.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::ContinueFromSummary);
    }
    if ctx.input(|i| i.modifiers.command && i.key_pressed(Key::Z)) {
        out.push(Intent::Undo);
    }
}

fn summary_body(ui: &mut egui::Ui, s: &TurnSummary, tr: &Tr) {
    ui.heading(RichText::new(t!(tr, "summary-heading", label = &s.label)).size(26.0).strong());
    for l in &s.happened {
        line_label(ui, l);
    }
    ui.add_space(8.0);
    egui::Grid::new("summary_grid").striped(true).spacing(Vec2::new(16.0, 6.0)).show(ui, |ui| {
        let heads = [
            t!(tr, "summary-col-metric"),
            t!(tr, "summary-col-before"),
            t!(tr, "summary-col-after"),
            t!(tr, "summary-col-why"),
        ];
        for h in heads {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for c in &s.changes {
            ui.label(&c.metric);
            ui.label(&c.before);
            ui.label(RichText::new(&c.after).strong());
            ui.label(c.why.join("\n"));
            ui.end_row();
        }
    });
    if let Some((label, events)) = &s.coming_up {
        ui.add_space(10.0);
        ui.label(RichText::new(t!(tr, "summary-coming-up", label = label)).size(20.0).strong());
        for l in events {
            line_label(ui, l);
        }
    }
}
