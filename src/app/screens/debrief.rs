//! The debrief: score, breakdown, what each choice was worth, charts and questions, drawn
//! from the engine's [`DebriefView`] alone.

use bevy_egui::egui::{self, Color32, RichText, Vec2};

use super::super::session::Intent;
use super::form::{self, Form};
use super::{ACCENT, BAD, GOOD, WARN, good_color};
use crate::i18n::Tr;
use crate::sim::present::player::DebriefView;
use crate::t;

/// What is being typed on the debrief.
#[derive(Debug, Default)]
pub struct Typing {
    /// The team's name for the leaderboard.
    pub team: String,
}

/// The debrief screen of a [`DebriefView`] (None while it is being worked out).
pub fn view_ui(
    root: &mut egui::Ui,
    debrief: Option<&DebriefView>,
    tr: &Tr,
    form: Form,
    typing: &mut Typing,
    out: &mut Vec<Intent>,
) {
    let team = &mut typing.team;
    // R exports the report from the keyboard.
    if !root.ctx().egui_wants_keyboard_input()
        && root.ctx().input(|i| i.key_pressed(egui::Key::R) && !i.modifiers.command)
    {
        out.push(Intent::ExportReport);
    }
    egui::Panel::bottom("debrief_bar").show(root, |ui| {
        debrief_bar_ui(ui, debrief, tr, form, team, out);
    });
    let Some(d) = debrief else {
        egui::CentralPanel::default().show(root, |ui| {
            ui.label(t!(tr, "debrief-scoring"));
        });
        return;
    };
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if form == Form::Phone {
                ui.label(RichText::new(format!("{:.1}", d.total)).size(48.0).strong());
                ui.label(RichText::new(t!(tr, "debrief-grade", grade = &d.grade)).size(26.0).strong());
                ui.label(RichText::new(&d.verdict).size(16.0));
            } else {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{:.1}", d.total)).size(48.0).strong());
                    ui.vertical(|ui| {
                        ui.label(RichText::new(t!(tr, "debrief-grade", grade = &d.grade)).size(26.0).strong());
                        ui.label(RichText::new(&d.verdict).size(16.0));
                    });
                });
            }
            ui.add_space(8.0);
            if form == Form::Phone {
                score_parts_ui(ui, d, tr, form);
                ui.add_space(8.0);
                choices_ui(ui, d, tr, form);
            } else {
                ui.columns(2, |cols| {
                    let ui = &mut cols[0];
                    score_parts_ui(ui, d, tr, form);
                    let ui = &mut cols[1];
                    choices_ui(ui, d, tr, form);
                });
            }
            ui.add_space(10.0);
            ui.label(RichText::new(t!(tr, "debrief-charts")).size(20.0).strong());
            let per_row = ((ui.available_width() / 280.0).floor() as usize).max(1);
            egui::Grid::new("charts").spacing(Vec2::new(16.0, 10.0)).show(ui, |ui| {
                for (n, c) in d.charts.iter().enumerate() {
                    ui.vertical(|ui| {
                        ui.label(&c.label);
                        let width = if form.touch() { ui.available_width().min(260.0) } else { 260.0 };
                        let name = t!(tr, "debrief-chart-name", metric = &c.label);
                        chart(ui, (&c.id, &name, width), &c.series, c.history.as_deref(), &d.moves, tr);
                    });
                    if (n + 1).is_multiple_of(per_row) {
                        ui.end_row();
                    }
                }
            });
            if !d.questions.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new(t!(tr, "debrief-questions")).size(20.0).strong());
                for q in &d.questions {
                    ui.label(format!("•  {q}"));
                }
            }
            if form == Form::Phone {
                phone_extras_ui(ui, d, tr, team, out);
            }
        });
    });
}

/// A chart (egui_plot) of one metric over the turns: you, the historical path dashed, and a
/// marker on every turn where you moved.
fn chart(
    ui: &mut egui::Ui,
    (id, name, width): (&str, &str, f32),
    series: &[f64],
    history: Option<&[f64]>,
    moves: &[usize],
    tr: &Tr,
) {
    use egui_plot::{Line, LineStyle, Plot, PlotPoints, VLine};
    let size = Vec2::new(width, 110.0);
    let (move_name, history_name, you_name) =
        (t!(tr, "debrief-chart-move"), t!(tr, "debrief-chart-history"), t!(tr, "debrief-chart-you"));
    let points = |v: &[f64]| -> PlotPoints<'static> {
        v.iter().enumerate().map(|(i, y)| [i as f64, *y]).collect::<Vec<_>>().into()
    };
    let you = points(series);
    let hist = history.map(points);
    let mut turns: Vec<usize> = moves.to_vec();
    turns.dedup();
    // A picture to screen readers and the keyboard: nothing in it takes a click or the focus
    // (its axis would be an invisible Tab stop), disabled without fading.
    ui.style_mut().visuals.disabled_alpha = 1.0;
    ui.disable();
    let shown = Plot::new(("chart", id))
        .sense(egui::Sense::hover())
        .width(size.x)
        .height(size.y)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_axes([false, true])
        .show(ui, move |plot| {
            for t in turns {
                // A move on turn t shows in the values after it: point t + 1.
                plot.vline(
                    VLine::new(move_name.clone(), (t + 1) as f64)
                        .color(Color32::from_rgba_unmultiplied(250, 200, 60, 110)),
                );
            }
            if let Some(h) = hist {
                plot.line(Line::new(history_name, h).color(Color32::GRAY).style(LineStyle::dashed_loose()));
            }
            plot.line(Line::new(you_name, you).color(ACCENT).width(2.0));
        });
    shown.response.ctx.accesskit_node_builder(shown.response.id, |node| {
        node.set_role(egui::accesskit::Role::Image);
        node.set_label(name);
    });
}

/// The debrief's bar: the team name for the leaderboard, play again, replay from a turn, export, back.
fn debrief_bar_ui(
    ui: &mut egui::Ui,
    d: Option<&DebriefView>,
    tr: &Tr,
    form: Form,
    team: &mut String,
    out: &mut Vec<Intent>,
) {
    ui.add_space(6.0);
    // A phone keeps its bar to the main actions: the rest ends the debrief's scroll.
    let phone = form == Form::Phone;
    if !phone {
        team_ui(ui, tr, form, team, out);
    }
    ui.horizontal_wrapped(|ui| {
        let again = form::button(ui, form, false, RichText::new(t!(tr, "debrief-play-again")).size(17.0));
        form::mark(ui, "play_again", again.rect);
        if again.clicked() {
            out.push(Intent::PlayAgain);
        }
        if !phone {
            replay_ui(ui, d, tr, form, out);
        }
        if form::button(ui, form, false, t!(tr, "back-to-title")).clicked() {
            out.push(Intent::ToTitle);
        }
    });
    ui.add_space(6.0);
}

/// On a phone, what the desktop's debrief bar has besides its main actions.
fn phone_extras_ui(ui: &mut egui::Ui, d: &DebriefView, tr: &Tr, team: &mut String, out: &mut Vec<Intent>) {
    ui.add_space(8.0);
    ui.separator();
    team_ui(ui, tr, Form::Phone, team, out);
    ui.horizontal_wrapped(|ui| replay_ui(ui, Some(d), tr, Form::Phone, out));
}

/// The team's name and the button that puts the result on the leaderboard.
fn team_ui(ui: &mut egui::Ui, tr: &Tr, form: Form, team: &mut String, out: &mut Vec<Intent>) {
    form::row(ui, form, |ui| {
        let caption = ui.label(t!(tr, "debrief-team-name"));
        let width = form::field_width(ui, form, 200.0, 0.0);
        ui.add(form::field(
            ui,
            egui::TextEdit::singleline(team).hint_text(t!(tr, "debrief-team-hint")).desired_width(width),
        ))
        .labelled_by(caption.id);
        let add = form::button(ui, form, false, t!(tr, "debrief-add-result"))
            .on_hover_text(t!(tr, "debrief-add-result-hover"));
        if add.clicked() {
            out.push(Intent::RecordResult(team.clone()));
        }
    });
}

/// Replay from a turn, and export the report (into the caller's row).
fn replay_ui(ui: &mut egui::Ui, d: Option<&DebriefView>, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    ui.label(t!(tr, "debrief-replay-from"));
    let replay_hover = t!(tr, "debrief-replay-hover");
    for (t, label) in d.map_or(&[][..], |d| d.replay_from.as_slice()) {
        if form::button(ui, form, true, label).on_hover_text(&replay_hover).clicked() {
            out.push(Intent::ReplayFrom(*t));
        }
    }
    let export = form::button(ui, form, false, t!(tr, "debrief-export-report"))
        .on_hover_text(t!(tr, "debrief-export-report-hover"));
    if export.clicked() {
        out.push(Intent::ExportReport);
    }
}

/// Each score component, its bar and the largest causes behind it.
fn score_parts_ui(ui: &mut egui::Ui, d: &DebriefView, tr: &Tr, form: Form) {
    ui.label(RichText::new(t!(tr, "debrief-score-parts")).size(20.0).strong());
    for c in &d.components {
        let (points, max) = (format!("{:.1}", c.points), format!("{:.1}", c.max_points));
        ui.label(t!(tr, "debrief-component", label = &c.label, points = points, max = max));
        let bar = egui::ProgressBar::new(c.fraction as f32).desired_width(ui.available_width().min(320.0));
        // Not a control: a touch form's taller controls leave it its own height.
        ui.add(if form.touch() { bar.desired_height(14.0) } else { bar });
        for (text, good) in &c.drivers {
            ui.label(RichText::new(format!("   {text}")).color(good_color(ui, *good)).size(13.0));
        }
    }
}

/// What each choice was worth (replayed away), and the game against history.
fn choices_ui(ui: &mut egui::Ui, d: &DebriefView, tr: &Tr, form: Form) {
    ui.label(RichText::new(t!(tr, "debrief-choices")).size(20.0).strong());
    ui.label(RichText::new(t!(tr, "debrief-choices-help")).weak());
    if d.facilitated {
        ui.label(RichText::new(t!(tr, "debrief-facilitated")).color(WARN));
    }
    if d.choices.is_empty() {
        ui.label(t!(tr, "debrief-no-actions"));
    }
    for (delta, text) in &d.choices {
        let color = if *delta >= 0.0 { GOOD } else { BAD };
        ui.label(RichText::new(format!("{}  {text}", tr.signed(*delta, 1))).color(color));
    }
    if let Some(h) = &d.history {
        ui.add_space(8.0);
        ui.label(RichText::new(format!("{}: {:.1} ({})", h.label, h.total, h.grade)).size(18.0).strong());
        if form == Form::Phone {
            // A line each: three columns are wider than a phone.
            let (you_head, history_head) = (t!(tr, "debrief-col-you"), t!(tr, "debrief-col-history"));
            for (label, you, history) in &h.rows {
                ui.label(RichText::new(label).strong());
                ui.label(format!("{you_head}: {you} · {history_head}: {history}"));
            }
            return;
        }
        egui::Grid::new("vs_history").striped(true).show(ui, |ui| {
            ui.allocate_space(Vec2::ZERO);
            ui.label(RichText::new(t!(tr, "debrief-col-you")).strong());
            ui.label(RichText::new(t!(tr, "debrief-col-history")).strong());
            ui.end_row();
            for (label, you, history) in &h.rows {
                ui.label(label);
                ui.label(you);
                ui.label(history);
                ui.end_row();
            }
        });
    }
}
