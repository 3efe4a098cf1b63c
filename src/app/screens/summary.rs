//! The turn summary: what changed on the turn just resolved, and why.

use bevy_egui::egui::{self, Color32, Key, RichText, Vec2};

use super::super::session::Intent;
use super::form::{self, Form};
use super::motion::{self, Clock};
use super::{ACCENT, good_color, line_label};
use crate::i18n::Tr;
use crate::sim::present::player::TurnSummary;
use crate::sim::present::view::Change;
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
    // The figures count to their new values once per summary (any key or click skips).
    let clock = match s {
        Some(s) => motion::clock(
            &ctx,
            "summary",
            (&s.label, s.changes.iter().map(|c| (&c.metric, &c.after)).collect::<Vec<_>>()),
            motion::COUNT_SECONDS,
        ),
        None => Clock::Done,
    };
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
            let on = motion::setting(ui.ctx());
            let label = if on { t!(tr, "settings-motion-on") } else { t!(tr, "settings-motion-off") };
            let toggle = form::choice(ui, form, on, label);
            form::mark(ui, "motion", toggle.rect);
            if toggle.clicked() {
                out.push(Intent::SetMotion(!on));
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if let Some(s) = s {
                super::live_region(ui, &t!(tr, "summary-heading", label = &s.label));
                summary_body(ui, s, tr, form, clock);
            }
            super::follow_focus(ui);
        });
    });
    // Enter goes on unless a control has the keyboard (a focused button's Enter is its own)
    // or it skipped the figures' count.
    if clock != Clock::Skipped && !ctx.egui_wants_keyboard_input() && ctx.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::ContinueFromSummary);
    }
    if ctx.input(|i| i.modifiers.command && i.key_pressed(Key::Z)) {
        out.push(Intent::Undo);
    }
}

fn summary_body(ui: &mut egui::Ui, s: &TurnSummary, tr: &Tr, form: Form, clock: Clock) {
    ui.heading(form::heading(t!(tr, "summary-heading", label = &s.label), 26.0, form));
    for l in &s.happened {
        line_label(ui, l);
    }
    ui.add_space(8.0);
    callout(ui, s, tr, form);
    if form == Form::Phone {
        // Each change as a block: four columns are wider than a phone.
        for c in &s.changes {
            ui.separator();
            ui.label(RichText::new(&c.metric).strong());
            let (before, after) = (t!(tr, "summary-col-before"), t!(tr, "summary-col-after"));
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{before} {} · {after}", c.before));
                ui.label(after_text(ui, c, tr, clock));
            });
            if !c.why.is_empty() {
                ui.label(c.why.join("\n"));
            }
        }
    } else {
        changes_grid(ui, s, tr, clock);
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
fn changes_grid(ui: &mut egui::Ui, s: &TurnSummary, tr: &Tr, clock: Clock) {
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
            ui.label(after_text(ui, c, tr, clock));
            ui.label(c.why.join("\n"));
            ui.end_row();
        }
    });
}

/// A change's new value: counted from the old one while the clock runs, in the colour of
/// a good or bad move.
fn after_text(ui: &egui::Ui, c: &Change, tr: &Tr, clock: Clock) -> RichText {
    let Some(f) = &c.figures else { return RichText::new(&c.after).strong() };
    let text = motion::figure_text(tr, Some(f), &c.after, clock);
    RichText::new(text).strong().color(good_color(ui, f.good))
}

/// The turn's largest changes called out, each with its arrow, its change and, in words,
/// whether it is better or worse for the team (not by colour alone).
fn callout(ui: &mut egui::Ui, s: &TurnSummary, tr: &Tr, form: Form) {
    let called: Vec<(&Change, &crate::sim::present::view::Figures)> =
        s.biggest.iter().filter_map(|&i| s.changes.get(i)).filter_map(|c| Some((c, c.figures.as_ref()?))).collect();
    if called.is_empty() {
        return;
    }
    ui.label(form::heading(t!(tr, "summary-biggest"), 20.0, form));
    // Side by side, top-aligned, on a desktop; one under another on a phone.
    let layout = match form == Form::Phone {
        true => egui::Layout::top_down(egui::Align::Min),
        false => egui::Layout::left_to_right(egui::Align::TOP).with_main_wrap(true),
    };
    let size = if form == Form::Phone { 17.0 } else { 20.0 };
    ui.with_layout(layout, |ui| {
        for (c, f) in called {
            let up = f.to > f.from;
            let (metric, delta) = (c.metric.as_str(), f.delta.as_str());
            let text = match f.good {
                Some(true) => t!(tr, "summary-better", metric = metric, delta = delta),
                Some(false) => t!(tr, "summary-worse", metric = metric, delta = delta),
                None => format!("{metric} {delta}"),
            };
            let color = good_color(ui, f.good);
            let frame =
                egui::Frame::group(ui.style()).inner_margin(8.0).stroke(egui::Stroke::new(1.5, good_color(ui, f.good)));
            frame.show(ui, |ui| {
                ui.horizontal(|ui| {
                    arrow(ui, up, color);
                    ui.add(egui::Label::new(RichText::new(text).size(size).strong().color(color)).wrap());
                });
            });
        }
    });
    ui.add_space(8.0);
}

/// An arrow up or down, drawn (not every font has one); the text beside it says the same
/// with its sign.
fn arrow(ui: &mut egui::Ui, up: bool, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::new(16.0, 18.0), egui::Sense::hover());
    let (c, h, w) = (rect.center(), 7.0, 7.0);
    let (tip, base) = if up { (c.y - h, c.y + h) } else { (c.y + h, c.y - h) };
    let points = vec![egui::pos2(c.x, tip), egui::pos2(c.x + w, base), egui::pos2(c.x - w, base)];
    ui.painter().add(egui::Shape::convex_polygon(points, color, egui::Stroke::NONE));
}
