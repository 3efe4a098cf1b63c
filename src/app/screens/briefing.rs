//! The briefing: the scenario's story, objectives, metrics and how it is scored.

use bevy_egui::egui::{self, Key, RichText};

use super::super::session::Intent;
use crate::sim::Game;
use crate::sim::scenario::format_number;

/// The scenario's story, objectives, what is watched and how it is scored.
pub fn briefing_ui(root: &mut egui::Ui, g: &Game, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    let sc = g.scenario();
    egui::Panel::bottom("briefing_start").show(root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new("Start the first turn  [Enter]").size(20.0)).clicked() {
                out.push(Intent::StartPlaying);
            }
            if ui.button("Back to the title").clicked() {
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
                ui.label(RichText::new("Your objectives").size(20.0).strong());
                for o in &sc.meta.objectives {
                    ui.label(format!("•  {o}"));
                }
            }
            if !sc.meta.facts.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new("What this is based on").size(20.0).strong());
                for f in &sc.meta.facts {
                    ui.label(format!("•  {f}"));
                }
            }
            ui.add_space(8.0);
            ui.label(RichText::new("What you will watch").size(20.0).strong());
            egui::Grid::new("briefing_metrics").striped(true).show(ui, |ui| {
                for m in sc.metrics.iter().filter(|m| m.visible) {
                    ui.label(&m.label);
                    ui.label(m.format(m.initial));
                    ui.label(RichText::new(&m.description).weak());
                    ui.end_row();
                }
            });
            ui.add_space(8.0);
            ui.label(RichText::new("How you are scored").size(20.0).strong());
            let total: f64 = sc.scoring.components.iter().map(|c| c.weight).sum();
            for c in &sc.scoring.components {
                ui.label(format!(
                    "•  {} — {:.0} of 100 points ({}). {}",
                    c.label,
                    100.0 * c.weight / total,
                    c.describe_curve(),
                    c.description
                ));
            }
            ui.add_space(8.0);
            let r = &sc.resources;
            let budget = r.budget.map(|b| format!(" and a budget of {} {}", format_number(b, 0), r.currency)).unwrap_or_default();
            ui.label(format!(
                "Each turn you have {} action point(s){budget}. Mitigations cost points and money and take time to work; some can be switched off again.",
                r.action_points
            ));
        });
    });
    if ctx.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::StartPlaying);
    }
}
