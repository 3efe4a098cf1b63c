//! The facilitator console (F2): turn timer, this turn's notes, injects, metrics, random
//! outcomes and stepping back. Every button sends an intent; the engine logs what it does.

use bevy_egui::egui::{self, RichText, Vec2};

use super::super::session::{Intent, Session};
use super::clock;
use crate::sim::game::Intervention;
use crate::sim::{Game, MetricIdx, Outcome, view};

/// What the facilitator is typing in the console.
#[derive(Debug, Default)]
pub struct Typing {
    /// The metric editor: which metric, and the value to set.
    pub metric: usize,
    pub value: f64,
    /// Minutes per turn for the timer, before it is started.
    pub timer_minutes: f64,
}

/// The facilitator console (F2): hidden from players until opened. Every button sends an
/// intent; the engine logs what it does.
pub fn console_ui(ctx: &egui::Context, session: &Session, g: &Game, inputs: &mut Typing, out: &mut Vec<Intent>) {
    let mut open = true;
    egui::Window::new(RichText::new("Facilitator console").strong())
        .id(egui::Id::new("console"))
        .open(&mut open)
        .default_width(560.0)
        .default_height(640.0)
        .anchor(egui::Align2::RIGHT_TOP, Vec2::new(-12.0, 60.0))
        .show(ctx, |ui| {
            ui.label(RichText::new("For the facilitator: players do not see this until F2 opens it. Everything done here goes into the log, the save and the report.").weak());
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::CollapsingHeader::new(RichText::new("Turn timer").strong()).default_open(true).show(ui, |ui| {
                    timer_ui(ui, session, inputs, out);
                });
                egui::CollapsingHeader::new(RichText::new("This turn: notes and questions").strong())
                    .default_open(true)
                    .show(ui, |ui| {
                        notes_ui(ui, g);
                    });
                egui::CollapsingHeader::new(RichText::new("Injects").strong()).show(ui, |ui| {
                    injects_ui(ui, g, out);
                });
                egui::CollapsingHeader::new(RichText::new("Metrics").strong()).show(ui, |ui| {
                    metric_editor_ui(ui, g, inputs, out);
                });
                rolls_ui(ui, g, out);
                history_ui(ui, g, out);
            });
        });
    if !open {
        out.push(Intent::ToggleConsole);
    }
}

fn timer_ui(ui: &mut egui::Ui, session: &Session, inputs: &mut Typing, out: &mut Vec<Intent>) {
    match session.time_left() {
        Some(left) => {
            ui.horizontal(|ui| {
                ui.label(RichText::new(clock(left)).size(22.0).strong());
                let paused = session.play.timer.paused;
                if ui.button(if paused { "Resume" } else { "Pause" }).clicked() {
                    out.push(Intent::PauseTimer(!paused));
                }
                if ui.button("Switch off").clicked() {
                    out.push(Intent::SetTimer(None));
                }
            });
        }
        None => {
            ui.horizontal(|ui| {
                if inputs.timer_minutes <= 0.0 {
                    inputs.timer_minutes = 5.0;
                }
                ui.add(egui::DragValue::new(&mut inputs.timer_minutes).range(0.5..=120.0).speed(0.5).suffix(" min"));
                if ui.button("Start the timer").clicked() {
                    out.push(Intent::SetTimer(Some(inputs.timer_minutes * 60.0)));
                }
            });
        }
    }
    ui.label(
        RichText::new(
            "When time runs out the turn ends with the moves made so far; unanswered decisions take their default.",
        )
        .weak(),
    );
}

fn metric_editor_ui(ui: &mut egui::Ui, g: &Game, inputs: &mut Typing, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    if sc.metrics.is_empty() {
        return;
    }
    let k = inputs.metric.min(sc.metrics.len() - 1);
    let name = |k: usize| {
        let m = &sc.metrics[k];
        if m.visible { m.label.clone() } else { format!("{} (hidden)", m.label) }
    };
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("console_metric").selected_text(name(k)).width(260.0).show_ui(ui, |ui| {
            for j in 0..sc.metrics.len() {
                if ui.selectable_label(j == k, name(j)).clicked() {
                    inputs.metric = j;
                    inputs.value = g.metrics()[j];
                }
            }
        });
        ui.label(format!("now {}", sc.metrics[k].format(g.metrics()[k])));
    });
    ui.horizontal(|ui| {
        let m = &sc.metrics[k];
        let range = if m.min.is_finite() { m.min } else { -1e15 }..=if m.max.is_finite() { m.max } else { 1e15 };
        ui.add(egui::DragValue::new(&mut inputs.value).range(range));
        if ui.button("Set").clicked() {
            out.push(Intent::Facilitate(Intervention::SetMetric { metric: MetricIdx::at(k), value: inputs.value }));
        }
    });
}

/// This turn's facilitator notes and discussion questions.
fn notes_ui(ui: &mut egui::Ui, g: &Game) {
    let sc = g.scenario();
    let mut any = false;
    for i in g.injects_this_turn() {
        let inj = &sc.injects[i.ix()];
        if inj.facilitator_notes.is_empty() && inj.questions.is_empty() {
            continue;
        }
        any = true;
        ui.label(RichText::new(&inj.title).strong());
        if !inj.facilitator_notes.is_empty() {
            ui.label(&inj.facilitator_notes);
        }
        for q in &inj.questions {
            ui.label(format!("• {q}"));
        }
        ui.add_space(4.0);
    }
    if !any {
        ui.label(RichText::new("No notes or questions for this turn's events.").weak());
    }
}

/// Every inject: where it stands, trigger it now, suppress or allow it.
fn injects_ui(ui: &mut egui::Ui, g: &Game, out: &mut Vec<Intent>) {
    egui::Grid::new("console_injects").striped(true).show(ui, |ui| {
        for row in view::inject_rows(g, crate::i18n::Lang::En.tr()) {
            ui.label(&row.title);
            ui.label(RichText::new(&row.status).weak());
            if ui.add_enabled(row.can_trigger, egui::Button::new("Trigger now")).clicked() {
                out.push(Intent::Facilitate(Intervention::Trigger { inject: row.index }));
            }
            if ui.button(if row.suppressed { "Allow" } else { "Suppress" }).clicked() {
                out.push(Intent::Facilitate(Intervention::Suppress { inject: row.index, on: !row.suppressed }));
            }
            ui.end_row();
        }
    });
}

/// Fixing where this turn's random rules land.
fn rolls_ui(ui: &mut egui::Ui, g: &Game, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    let noisy: Vec<usize> = (0..sc.dynamics.len()).filter(|&d| sc.dynamics[d].noise > 0.0).collect();
    if !noisy.is_empty() {
        egui::CollapsingHeader::new(RichText::new("Random outcomes this turn").strong()).show(ui, |ui| {
            ui.label(RichText::new("Fix where a random rule lands when this turn ends.").weak());
            egui::Grid::new("console_rolls").show(ui, |ui| {
                for d in noisy {
                    let dy = &sc.dynamics[d];
                    ui.label(format!("{} (±{:.0}%)", dy.label, dy.noise * 100.0));
                    let fixed = g.fixed_roll(d as u16);
                    for (name, draw) in [("Low", 0.0), ("Middle", 0.5), ("High", 1.0)] {
                        if ui.selectable_label(fixed == Some(draw), name).clicked() {
                            out.push(Intent::Facilitate(Intervention::Roll { dynamic: d as u16, draw }));
                        }
                    }
                    ui.end_row();
                }
            });
        });
    }
}

/// Stepping back a turn, and what was done from the console so far.
fn history_ui(ui: &mut egui::Ui, g: &Game, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    ui.separator();
    ui.horizontal(|ui| {
        if ui.add_enabled(g.can_undo(), egui::Button::new("Step back a turn")).clicked() {
            out.push(Intent::StepBack);
        }
        ui.label(RichText::new("back to before the last “End turn”").weak());
    });
    let done: Vec<String> = g
        .log()
        .iter()
        .filter_map(|o| if let Outcome::Facilitator { act } = o { Some(act.describe(sc)) } else { None })
        .collect();
    if !done.is_empty() {
        ui.separator();
        ui.label(RichText::new("Done from the console").strong());
        for line in done {
            ui.label(format!("• {line}"));
        }
    }
}
