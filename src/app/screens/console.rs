//! The facilitator console (F2): turn timer, this turn's notes, injects, metrics, random
//! outcomes and stepping back. Every button sends an intent; the engine logs what it does.

use bevy_egui::egui::{self, RichText, Vec2};

use super::super::session::{Intent, Session};
use super::{clock, lang_picker};
use crate::i18n::Tr;
use crate::sim::play::game::Intervention;
use crate::sim::present::console::ConsoleView;
use crate::t;

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
/// intent; the engine logs what it does. On the workshop dashboard it acts on one team's
/// game on the server (`team`), without the timer and stepping back, which are this
/// machine's.
pub fn console_ui(
    ctx: &egui::Context,
    session: &Session,
    v: &ConsoleView,
    team: Option<&str>,
    tr: &Tr,
    inputs: &mut Typing,
    out: &mut Vec<Intent>,
) {
    let mut open = true;
    let title = match team {
        Some(team) => t!(tr, "console-title-team", team = team),
        None => t!(tr, "console-title"),
    };
    egui::Window::new(RichText::new(title).strong())
        .id(egui::Id::new("console"))
        .open(&mut open)
        .default_width(560.0)
        .default_height(640.0)
        .anchor(egui::Align2::RIGHT_TOP, Vec2::new(-12.0, 60.0))
        .show(ctx, |ui| {
            ui.label(RichText::new(t!(tr, "console-intro")).weak());
            if team.is_some() {
                let mut all = session.live().is_some_and(|l| l.console_all());
                if ui.checkbox(&mut all, t!(tr, "console-every-team")).changed() {
                    out.push(Intent::ConsoleForAll(all));
                }
            }
            ui.horizontal(|ui| {
                ui.label(t!(tr, "settings-language"));
                lang_picker(ui, session.settings().lang, tr, out);
            });
            egui::ScrollArea::vertical().show(ui, |ui| {
                let section = |id: &str, title: String| {
                    egui::CollapsingHeader::new(RichText::new(title).strong()).id_salt(("console", id.to_owned()))
                };
                if team.is_none() {
                    section("timer", t!(tr, "console-timer")).default_open(true).show(ui, |ui| {
                        timer_ui(ui, session, tr, inputs, out);
                    });
                }
                section("notes", t!(tr, "console-notes")).default_open(true).show(ui, |ui| {
                    notes_ui(ui, v, tr);
                });
                section("injects", t!(tr, "console-injects")).show(ui, |ui| {
                    injects_ui(ui, v, tr, out);
                });
                section("metrics", t!(tr, "console-metrics")).show(ui, |ui| {
                    metric_editor_ui(ui, v, tr, inputs, out);
                });
                rolls_ui(ui, v, tr, out);
                if team.is_none() {
                    history_ui(ui, v, tr, out);
                }
            });
        });
    if !open {
        out.push(if team.is_some() { Intent::ConsoleOn(None) } else { Intent::ToggleConsole });
    }
}

fn timer_ui(ui: &mut egui::Ui, session: &Session, tr: &Tr, inputs: &mut Typing, out: &mut Vec<Intent>) {
    match session.time_left() {
        Some(left) => {
            ui.horizontal(|ui| {
                ui.label(RichText::new(clock(left)).size(22.0).strong());
                let paused = session.timer().paused;
                let pause = if paused { t!(tr, "console-timer-resume") } else { t!(tr, "console-timer-pause") };
                if ui.button(pause).clicked() {
                    out.push(Intent::PauseTimer(!paused));
                }
                if ui.button(t!(tr, "console-timer-off")).clicked() {
                    out.push(Intent::SetTimer(None));
                }
            });
        }
        None => {
            ui.horizontal(|ui| {
                if inputs.timer_minutes <= 0.0 {
                    inputs.timer_minutes = 5.0;
                }
                let minutes = format!(" {}", t!(tr, "console-minutes"));
                ui.add(egui::DragValue::new(&mut inputs.timer_minutes).range(0.5..=120.0).speed(0.5).suffix(minutes));
                if ui.button(t!(tr, "console-timer-start")).clicked() {
                    out.push(Intent::SetTimer(Some(inputs.timer_minutes * 60.0)));
                }
            });
        }
    }
    ui.label(RichText::new(t!(tr, "console-timer-help")).weak());
}

fn metric_editor_ui(ui: &mut egui::Ui, v: &ConsoleView, tr: &Tr, inputs: &mut Typing, out: &mut Vec<Intent>) {
    let Some(last) = v.metrics.len().checked_sub(1) else { return };
    let k = inputs.metric.min(last);
    let m = &v.metrics[k];
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("console_metric").selected_text(&m.name).width(260.0).show_ui(ui, |ui| {
            for (j, other) in v.metrics.iter().enumerate() {
                if ui.selectable_label(j == k, &other.name).clicked() {
                    inputs.metric = j;
                    inputs.value = other.value;
                }
            }
        });
        ui.label(t!(tr, "console-metric-now", value = m.value_text.as_str()));
    });
    ui.horizontal(|ui| {
        let range = if m.min.is_finite() { m.min } else { -1e15 }..=if m.max.is_finite() { m.max } else { 1e15 };
        ui.add(egui::DragValue::new(&mut inputs.value).range(range));
        if ui.button(t!(tr, "console-set")).clicked() {
            out.push(Intent::Facilitate(Intervention::SetMetric { metric: m.metric, value: inputs.value }));
        }
    });
}

/// This turn's facilitator notes and discussion questions.
fn notes_ui(ui: &mut egui::Ui, v: &ConsoleView, tr: &Tr) {
    for inj in &v.notes {
        ui.label(RichText::new(&inj.title).strong());
        if !inj.notes.is_empty() {
            ui.label(&inj.notes);
        }
        for q in &inj.questions {
            ui.label(format!("• {q}"));
        }
        ui.add_space(4.0);
    }
    if v.notes.is_empty() {
        ui.label(RichText::new(t!(tr, "console-no-notes")).weak());
    }
}

/// Every inject: where it stands, trigger it now, suppress or allow it.
fn injects_ui(ui: &mut egui::Ui, v: &ConsoleView, tr: &Tr, out: &mut Vec<Intent>) {
    egui::Grid::new("console_injects").striped(true).show(ui, |ui| {
        for row in &v.injects {
            ui.label(&row.title);
            ui.label(RichText::new(&row.status).weak());
            if ui.add_enabled(row.can_trigger, egui::Button::new(t!(tr, "console-trigger"))).clicked() {
                out.push(Intent::Facilitate(Intervention::Trigger { inject: row.index }));
            }
            let label = if row.suppressed { t!(tr, "console-allow") } else { t!(tr, "console-suppress") };
            if ui.button(label).clicked() {
                out.push(Intent::Facilitate(Intervention::Suppress { inject: row.index, on: !row.suppressed }));
            }
            ui.end_row();
        }
    });
}

/// Fixing where this turn's random rules land.
fn rolls_ui(ui: &mut egui::Ui, v: &ConsoleView, tr: &Tr, out: &mut Vec<Intent>) {
    if !v.rolls.is_empty() {
        let header = egui::CollapsingHeader::new(RichText::new(t!(tr, "console-rolls")).strong());
        header.id_salt(("console", "rolls")).show(ui, |ui| {
            ui.label(RichText::new(t!(tr, "console-rolls-help")).weak());
            egui::Grid::new("console_rolls").show(ui, |ui| {
                for roll in &v.rolls {
                    ui.label(&roll.label);
                    let sides = [
                        (t!(tr, "console-roll-low"), 0.0),
                        (t!(tr, "console-roll-middle"), 0.5),
                        (t!(tr, "console-roll-high"), 1.0),
                    ];
                    for (name, draw) in sides {
                        if ui.selectable_label(roll.fixed == Some(draw), name).clicked() {
                            out.push(Intent::Facilitate(Intervention::Roll { dynamic: roll.dynamic, draw }));
                        }
                    }
                    ui.end_row();
                }
            });
        });
    }
}

/// Stepping back a turn, and what was done from the console so far.
fn history_ui(ui: &mut egui::Ui, v: &ConsoleView, tr: &Tr, out: &mut Vec<Intent>) {
    ui.separator();
    ui.horizontal(|ui| {
        if ui.add_enabled(v.can_undo, egui::Button::new(t!(tr, "console-step-back"))).clicked() {
            out.push(Intent::StepBack);
        }
        ui.label(RichText::new(t!(tr, "console-step-back-help")).weak());
    });
    if !v.done.is_empty() {
        ui.separator();
        ui.label(RichText::new(t!(tr, "console-done")).strong());
        for line in &v.done {
            ui.label(format!("• {line}"));
        }
    }
}
