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
            let per_row = ((ui.available_width() / (CHART_WIDTH + 20.0)).floor() as usize).max(1);
            let axis = Axis::of(d, tr);
            egui::Grid::new("charts").spacing(Vec2::new(16.0, 10.0)).show(ui, |ui| {
                for (n, c) in d.charts.iter().enumerate() {
                    ui.vertical(|ui| {
                        ui.label(&c.label);
                        let width = if form.touch() { ui.available_width().min(CHART_WIDTH) } else { CHART_WIDTH };
                        let name = t!(tr, "debrief-chart-name", metric = &c.label);
                        chart(ui, (&c.id, &name, width), &c.series, c.history.as_deref(), &axis, tr);
                    });
                    if (n + 1).is_multiple_of(per_row) {
                        ui.end_row();
                    }
                }
            });
            moves_legend(ui, &axis, tr);
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
            super::follow_focus(ui);
        });
    });
}

/// A chart's width on a desktop.
const CHART_WIDTH: f32 = 360.0;

/// The charts' shared time axis: the turn screen's timeline of the week. Point `i` of a
/// series is the state after turn `i - 1` (point 0: the start), named by that turn's label;
/// a move on turn `t` shows from point `t + 1`, marked with its number in the legend.
struct Axis {
    /// The name of each point: "Start", then each turn's label.
    names: Vec<String>,
    /// The turns the team moved on, in order, each with its moves in words (none from an
    /// older server: markers without a legend).
    moves: Vec<(usize, Vec<String>)>,
}

impl Axis {
    fn of(d: &DebriefView, tr: &Tr) -> Self {
        let names = std::iter::once(t!(tr, "debrief-chart-start")).chain(d.timeline.iter().map(|t| t.label.clone()));
        let mut moves: Vec<(usize, Vec<String>)> = match d.timeline.is_empty() {
            true => d.moves.iter().map(|&t| (t, Vec::new())).collect(),
            false => d
                .timeline
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.moves.is_empty())
                .map(|(k, t)| (k, t.moves.clone()))
                .collect(),
        };
        moves.dedup_by_key(|(t, _)| *t);
        Self { names: names.collect(), moves }
    }

    /// The name of point `i` (a turn's number when the view has no timeline).
    fn name(&self, i: usize) -> String {
        match (self.names.len() > 1, i) {
            (true, _) => self.names.get(i).cloned().unwrap_or_default(),
            (false, 0) => self.names[0].clone(),
            (false, i) => i.to_string(),
        }
    }
}

/// Under the charts: each numbered marker, the turn it is on and the team's moves then.
fn moves_legend(ui: &mut egui::Ui, axis: &Axis, tr: &Tr) {
    if axis.moves.iter().all(|(_, m)| m.is_empty()) {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new(t!(tr, "debrief-moves-legend")).strong());
    for (n, (turn, moves)) in axis.moves.iter().enumerate() {
        let line = format!("{}  {} — {}", n + 1, axis.name(turn + 1), moves.join("; "));
        ui.label(RichText::new(line).color(MARKER_TEXT));
    }
}

/// The colour of a move's marker, and of its number.
const MARKER: Color32 = Color32::from_rgba_premultiplied(110, 88, 26, 110);
const MARKER_TEXT: Color32 = Color32::from_rgb(0xd9, 0xa4, 0x1e);

/// A chart (egui_plot) of one metric over the turns of the week: you, the historical path
/// dashed, and a numbered marker on every turn where you moved.
fn chart(
    ui: &mut egui::Ui,
    (id, name, width): (&str, &str, f32),
    series: &[f64],
    history: Option<&[f64]>,
    axis: &Axis,
    tr: &Tr,
) {
    use egui_plot::{GridMark, Line, LineStyle, Plot, PlotPoint, PlotPoints, Text, VLine};
    let size = Vec2::new(width, 130.0);
    let (move_name, history_name, you_name) =
        (t!(tr, "debrief-chart-move"), t!(tr, "debrief-chart-history"), t!(tr, "debrief-chart-you"));
    let points = |v: &[f64]| -> PlotPoints<'static> {
        v.iter().enumerate().map(|(i, y)| [i as f64, *y]).collect::<Vec<_>>().into()
    };
    let you = points(series);
    let hist = history.map(points);
    let turns: Vec<usize> = axis.moves.iter().map(|(t, _)| *t).collect();
    let top = series.iter().chain(history.unwrap_or_default()).fold(f64::NEG_INFINITY, |a, b| a.max(*b));
    // A turn's label under every `every`-th point: as many as fit side by side.
    let points_n = series.len().max(2);
    let font = egui::TextStyle::Small.resolve(ui.style());
    let widest = (0..points_n)
        .map(|i| ui.ctx().fonts_mut(|f| f.layout_no_wrap(axis.name(i), font.clone(), Color32::WHITE).size().x))
        .fold(0.0f32, f32::max);
    let step = width / (points_n - 1) as f32;
    let every = ((widest + 12.0) / step).ceil().max(1.0) as usize;
    let names: Vec<String> = (0..points_n).map(|i| axis.name(i)).collect();
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
        .show_axes([true, true])
        .x_grid_spacer(move |input| {
            (0..points_n)
                .filter(|i| i % every == 0 && (*i as f64) >= input.bounds.0 && (*i as f64) <= input.bounds.1)
                .map(|i| GridMark { value: i as f64, step_size: every as f64 })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            match (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                true => names.get(i as usize).cloned().unwrap_or_default(),
                false => String::new(),
            }
        })
        .show(ui, move |plot| {
            for (n, t) in turns.into_iter().enumerate() {
                // A move on turn t shows in the values after it: point t + 1.
                let x = (t + 1) as f64;
                plot.vline(VLine::new(move_name.clone(), x).color(MARKER));
                if top.is_finite() {
                    let number = RichText::new((n + 1).to_string()).color(MARKER_TEXT).strong();
                    plot.text(
                        Text::new(move_name.clone(), PlotPoint::new(x, top), number).anchor(egui::Align2::LEFT_TOP),
                    );
                }
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
