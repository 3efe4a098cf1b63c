//! The turn summary: what changed on the turn just resolved, and why.

use bevy_egui::egui::{self, Color32, Key, RichText, Vec2};

use super::super::session::Intent;
use super::form::{self, Form};
use super::{ACCENT, line_label};
use crate::i18n::Tr;
use crate::sim::present::player::TurnSummary;
use crate::t;

/// The summary screen of a [`TurnSummary`]; `finished`: the game is over (the debrief is next).
pub fn view_ui(
    root: &mut egui::Ui,
    s: Option<&TurnSummary>,
    finished: bool,
    tr: &Tr,
    form: Form,
    out: &mut Vec<Intent>,
) {
    let ctx = root.ctx().clone();
    egui::Panel::bottom("summary_bar").show(root, |ui| {
        ui.add_space(6.0);
        form::row(ui, form, |ui| {
            let next = if finished { t!(tr, "summary-to-debrief") } else { t!(tr, "summary-next-turn") };
            let min = if form.touch() { Vec2::splat(form::touch_points(ui.ctx())) } else { Vec2::ZERO };
            let next =
                egui::Button::new(RichText::new(next).size(20.0).color(Color32::WHITE)).fill(ACCENT).min_size(min);
            let next = ui.add(next);
            form::mark(ui, "next", next.rect);
            if next.clicked() {
                out.push(Intent::ContinueFromSummary);
            }
            if form::button(ui, form, false, t!(tr, "summary-undo")).clicked() {
                out.push(Intent::Undo);
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if let Some(s) = s {
                super::live_region(ui, &t!(tr, "summary-heading", label = &s.label));
                summary_body(ui, s, tr, form);
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

fn summary_body(ui: &mut egui::Ui, s: &TurnSummary, tr: &Tr, form: Form) {
    ui.heading(form::heading(t!(tr, "summary-heading", label = &s.label), 26.0, form));
    for l in &s.happened {
        line_label(ui, l);
    }
    ui.add_space(8.0);
    if form == Form::Phone {
        // Each change as a block: four columns are wider than a phone.
        for c in &s.changes {
            ui.separator();
            ui.label(RichText::new(&c.metric).strong());
            let (before, after) = (t!(tr, "summary-col-before"), t!(tr, "summary-col-after"));
            ui.label(format!("{before} {} · {after} {}", c.before, c.after));
            if !c.why.is_empty() {
                ui.label(c.why.join("\n"));
            }
        }
    } else {
        changes_grid(ui, s, tr);
    }
    if let Some((label, events)) = &s.coming_up {
        ui.add_space(10.0);
        ui.label(form::heading(t!(tr, "summary-coming-up", label = label), 20.0, form));
        for l in events {
            line_label(ui, l);
        }
    }
}

/// The changes as a table: metric, before, after, why.
fn changes_grid(ui: &mut egui::Ui, s: &TurnSummary, tr: &Tr) {
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
}
