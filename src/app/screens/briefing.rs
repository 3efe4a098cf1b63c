//! The briefing: the scenario's story, objectives, metrics and how it is scored, drawn from
//! the engine's [`BriefingView`] alone.

use bevy_egui::egui::{self, Key, RichText};

use super::super::session::Intent;
use super::form::{self, Form};
use super::table;
use crate::i18n::Tr;
use crate::protocol::{Floor, Who};
use crate::sim::present::player::BriefingView;
use crate::t;

/// The scenario's story, objectives, what is watched and how it is scored.
pub fn briefing_ui(root: &mut egui::Ui, v: &BriefingView, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    view_ui(root, v, tr, form, None, out);
}

/// A workshop player's seat picker on the briefing.
pub struct Picker<'a> {
    /// The player's seat as the server knows it.
    pub seated: Option<&'a Who>,
    pub floor: Option<&'a Floor>,
    pub typing: &'a mut table::Typing,
}

/// The briefing screen of a [`BriefingView`]; with a `picker`, a workshop player also picks
/// their name and roles (in a scenario with roles).
pub fn view_ui(
    root: &mut egui::Ui,
    v: &BriefingView,
    tr: &Tr,
    form: Form,
    picker: Option<Picker<'_>>,
    out: &mut Vec<Intent>,
) {
    let ctx = root.ctx().clone();
    // Enter in the name field is the field's, also in the frame it lets go of the keyboard.
    let typing = ctx.egui_wants_keyboard_input();
    egui::Panel::bottom("briefing_start").show(root, |ui| {
        ui.add_space(6.0);
        form::row(ui, form, |ui| {
            let start = form::button(ui, form, false, RichText::new(t!(tr, "briefing-start")).size(20.0));
            form::mark(ui, "start", start.rect);
            if start.clicked() {
                out.push(Intent::StartPlaying);
            }
            if form::button(ui, form, false, t!(tr, "back-to-title")).clicked() {
                out.push(Intent::ToTitle);
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(form::heading(&v.title, 28.0, form));
            ui.label(&v.summary);
            ui.add_space(8.0);
            if let (false, Some(p)) = (v.roles.is_empty(), picker) {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    table::seat_ui(ui, &v.roles, p.seated, p.floor, tr, p.typing, out);
                });
                ui.add_space(8.0);
            }
            if !v.objectives.is_empty() {
                ui.label(RichText::new(t!(tr, "briefing-objectives")).size(20.0).strong());
                for o in &v.objectives {
                    ui.label(format!("•  {o}"));
                }
            }
            if !v.facts.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new(t!(tr, "briefing-facts")).size(20.0).strong());
                for f in &v.facts {
                    ui.label(format!("•  {f}"));
                }
            }
            if !v.roles.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new(t!(tr, "briefing-roles")).size(20.0).strong());
                for r in &v.roles {
                    match &r.briefing {
                        Some(brief) if r.held => {
                            ui.label(RichText::new(t!(tr, "briefing-your-role", role = r.label.as_str())).strong());
                            ui.label(brief);
                        }
                        Some(brief) => {
                            ui.label(RichText::new(&r.label).strong());
                            ui.label(RichText::new(brief).weak());
                        }
                        None => {
                            ui.label(format!("•  {}", r.label));
                        }
                    }
                }
            }
            ui.add_space(8.0);
            ui.label(RichText::new(t!(tr, "briefing-metrics")).size(20.0).strong());
            if form.touch() {
                // One metric under another: a three-column grid is wider than a phone or a tablet.
                for (label, value, description) in &v.metrics {
                    ui.label(RichText::new(format!("{label}: {value}")).strong());
                    ui.label(RichText::new(description).weak());
                }
            } else {
                egui::Grid::new("briefing_metrics").striped(true).show(ui, |ui| {
                    for (label, value, description) in &v.metrics {
                        ui.label(label);
                        ui.label(value);
                        ui.label(RichText::new(description).weak());
                        ui.end_row();
                    }
                });
            }
            ui.add_space(8.0);
            ui.label(RichText::new(t!(tr, "briefing-scoring")).size(20.0).strong());
            for part in &v.scoring {
                ui.label(format!("•  {part}"));
            }
            ui.add_space(8.0);
            ui.label(&v.resources);
            super::follow_focus(ui);
        });
    });
    if !typing && !ctx.egui_wants_keyboard_input() && ctx.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::StartPlaying);
    }
}
