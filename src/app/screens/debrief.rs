//! The debrief: score, breakdown, what each choice was worth, charts and questions.

use bevy_egui::egui::{self, Color32, RichText, Vec2};

use super::super::session::{Debrief, Intent};
use super::{ACCENT, BAD, GOOD, WARN, good_color};
use crate::sim::{Game, view};

/// What is being typed on the debrief.
#[derive(Debug, Default)]
pub struct Typing {
    /// The team's name for the leaderboard.
    pub team: String,
}

/// The debrief: score and grade, breakdown, charts, history, what each choice was worth.
pub fn debrief_ui(
    root: &mut egui::Ui,
    g: &Game,
    debrief: Option<&Debrief>,
    typing: &mut Typing,
    out: &mut Vec<Intent>,
) {
    let sc = g.scenario();
    let team = &mut typing.team;
    egui::Panel::bottom("debrief_bar").show(root, |ui| {
        debrief_bar_ui(ui, g, team, out);
    });
    let Some(d) = debrief else {
        egui::CentralPanel::default().show(root, |ui| {
            ui.label("Scoring…");
        });
        return;
    };
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{:.1}", d.score.total)).size(48.0).strong());
                ui.vertical(|ui| {
                    ui.label(RichText::new(format!("Grade {}", d.score.grade)).size(26.0).strong());
                    ui.label(RichText::new(&d.score.verdict).size(16.0));
                });
            });
            ui.add_space(8.0);
            ui.columns(2, |cols| {
                let ui = &mut cols[0];
                score_parts_ui(ui, g, d);
                let ui = &mut cols[1];
                choices_ui(ui, g, d);
            });
            ui.add_space(10.0);
            ui.label(RichText::new("Over the turns (markers: your moves)").size(20.0).strong());
            let moves: Vec<usize> = g.actions().iter().map(|(t, _)| *t).collect();
            let per_row = ((ui.available_width() / 280.0).floor() as usize).max(1);
            egui::Grid::new("charts").spacing(Vec2::new(16.0, 10.0)).show(ui, |ui| {
                for (n, (k, m)) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible).enumerate() {
                    ui.vertical(|ui| {
                        ui.label(&m.label);
                        let series: Vec<f64> = g.history().iter().map(|h| h[k]).collect();
                        let hist: Option<Vec<f64>> =
                            d.history.as_ref().map(|(hg, _)| hg.history().iter().map(|h| h[k]).collect());
                        chart(ui, &m.id, &series, hist.as_deref(), &moves, Vec2::new(260.0, 110.0));
                    });
                    if (n + 1).is_multiple_of(per_row) {
                        ui.end_row();
                    }
                }
            });
            let questions = view::questions(g);
            if !questions.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new("Questions for the debrief").size(20.0).strong());
                for q in questions {
                    ui.label(format!("•  {q}"));
                }
            }
        });
    });
}

/// A chart (egui_plot) of one metric over the turns: you, the historical path dashed, and a
/// marker on every turn where you moved.
fn chart(ui: &mut egui::Ui, id: &str, series: &[f64], history: Option<&[f64]>, moves: &[usize], size: Vec2) {
    use egui_plot::{Line, LineStyle, Plot, PlotPoints, VLine};
    let points = |v: &[f64]| -> PlotPoints<'static> {
        v.iter().enumerate().map(|(i, y)| [i as f64, *y]).collect::<Vec<_>>().into()
    };
    let you = points(series);
    let hist = history.map(points);
    let mut turns: Vec<usize> = moves.to_vec();
    turns.dedup();
    Plot::new(("chart", id))
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
                    VLine::new("your move", (t + 1) as f64).color(Color32::from_rgba_unmultiplied(250, 200, 60, 110)),
                );
            }
            if let Some(h) = hist {
                plot.line(Line::new("history", h).color(Color32::GRAY).style(LineStyle::dashed_loose()));
            }
            plot.line(Line::new("you", you).color(ACCENT).width(2.0));
        });
}

/// The debrief's bar: the team name for the leaderboard, play again, replay from a turn, export, back.
fn debrief_bar_ui(ui: &mut egui::Ui, g: &Game, team: &mut String, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label("Team name");
        ui.add(egui::TextEdit::singleline(team).hint_text("e.g. Blue team").desired_width(200.0));
        if ui
            .button("Add to the leaderboard")
            .on_hover_text(
                "Keeps this result on this machine; “Export save…” on the title screen writes it as a result file",
            )
            .clicked()
        {
            out.push(Intent::RecordResult(team.clone()));
        }
    });
    ui.horizontal(|ui| {
        if ui.button(RichText::new("Play again with the same seed").size(17.0)).clicked() {
            out.push(Intent::PlayAgain);
        }
        ui.label("Replay from:");
        for (t, turn) in sc.turns.iter().enumerate().skip(1) {
            if ui
                .small_button(&turn.label)
                .on_hover_text("Branch a what-if: your moves up to here are replayed")
                .clicked()
            {
                out.push(Intent::ReplayFrom(t));
            }
        }
        if ui
            .button("Export the report…")
            .on_hover_text("Markdown and HTML: timeline, charts, comparison, questions, improvement plan")
            .clicked()
        {
            out.push(Intent::ExportReport);
        }
        if ui.button("Back to the title").clicked() {
            out.push(Intent::ToTitle);
        }
    });
    ui.add_space(6.0);
}

/// Each score component, its bar and the largest causes behind it.
fn score_parts_ui(ui: &mut egui::Ui, g: &Game, d: &Debrief) {
    ui.label(RichText::new("The score, part by part").size(20.0).strong());
    for c in &d.score.components {
        ui.label(format!("{} — {:.1} of {:.1}", c.label, c.points, c.max_points));
        ui.add(egui::ProgressBar::new(c.fraction as f32).desired_width(320.0));
        for d in view::component_drivers(g, &c.id, 2, crate::i18n::Lang::En.tr()) {
            ui.label(RichText::new(format!("   {}", d.text)).color(good_color(ui, d.good)).size(13.0));
        }
    }
}

/// What each choice was worth (replayed away), and the game against history.
fn choices_ui(ui: &mut egui::Ui, g: &Game, d: &Debrief) {
    let sc = g.scenario();
    ui.label(RichText::new("What your choices were worth").size(20.0).strong());
    ui.label(RichText::new("Each one replayed away on the same seed.").weak());
    if view::facilitated(g) {
        ui.label(
            RichText::new("The facilitator intervened in this game: these replays and “Replay from” repeat the players' moves only.")
                .color(WARN),
        );
    }
    if d.choices.is_empty() {
        ui.label("You took no actions.");
    }
    for c in d.choices.iter().take(8) {
        let color = if c.delta >= 0.0 { GOOD } else { BAD };
        ui.label(RichText::new(format!("{:+.1}  {}", c.delta, c.label)).color(color));
    }
    if let (Some(h), Some((hg, hs))) = (sc.history.as_ref(), d.history.as_ref()) {
        ui.add_space(8.0);
        ui.label(RichText::new(format!("{}: {:.1} ({})", h.label, hs.total, hs.grade)).size(18.0).strong());
        egui::Grid::new("vs_history").striped(true).show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("You").strong());
            ui.label(RichText::new("History (model)").strong());
            ui.end_row();
            for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
                ui.label(&m.label);
                ui.label(m.format(g.metrics()[k]));
                ui.label(m.format(hg.metrics()[k]));
                ui.end_row();
            }
        });
    }
}
