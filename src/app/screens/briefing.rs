//! The briefing: the scenario's story, objectives, metrics and how it is scored.

use bevy_egui::egui::{self, Key, RichText};

use super::super::session::Intent;
use crate::i18n::Tr;
use crate::sim::Game;
use crate::t;

/// The scenario's story, objectives, what is watched and how it is scored.
pub fn briefing_ui(root: &mut egui::Ui, g: &Game, tr: &Tr, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    let sc = g.scenario();
    egui::Panel::bottom("briefing_start").show(root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new(t!(tr, "briefing-start")).size(20.0)).clicked() {
                out.push(Intent::StartPlaying);
            }
            if ui.button(t!(tr, "back-to-title")).clicked() {
                out.push(Intent::ToTitle);
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(RichText::new(&sc.meta.title).size(28.0).strong());
            ui.label(&sc.meta.summary);
            ui.add_space(8.0);
            if !sc.meta.objectives.is_empty() {
                ui.label(RichText::new(t!(tr, "briefing-objectives")).size(20.0).strong());
                for o in &sc.meta.objectives {
                    ui.label(format!("•  {o}"));
                }
            }
            if !sc.meta.facts.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new(t!(tr, "briefing-facts")).size(20.0).strong());
                for f in &sc.meta.facts {
                    ui.label(format!("•  {f}"));
                }
            }
            ui.add_space(8.0);
            ui.label(RichText::new(t!(tr, "briefing-metrics")).size(20.0).strong());
            egui::Grid::new("briefing_metrics").striped(true).show(ui, |ui| {
                for m in sc.metrics.iter().filter(|m| m.visible) {
                    ui.label(&m.label);
                    ui.label(tr.metric(m, m.initial));
                    ui.label(RichText::new(&m.description).weak());
                    ui.end_row();
                }
            });
            ui.add_space(8.0);
            ui.label(RichText::new(t!(tr, "briefing-scoring")).size(20.0).strong());
            let total: f64 = sc.scoring.components.iter().map(|c| c.weight).sum();
            for c in &sc.scoring.components {
                let points = format!("{:.0}", 100.0 * c.weight / total);
                let part = t!(tr, "briefing-component", label = &c.label, points = points, curve = c.describe_curve());
                ui.label(format!("•  {part} {}", c.description));
            }
            ui.add_space(8.0);
            let r = &sc.resources;
            let resources = match r.budget {
                Some(b) => {
                    t!(tr, "briefing-resources-budget", points = r.action_points, budget = tr.money(b, &r.currency))
                }
                None => t!(tr, "briefing-resources", points = r.action_points),
            };
            ui.label(format!("{resources} {}", t!(tr, "briefing-mitigations")));
        });
    });
    if ctx.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::StartPlaying);
    }
}
