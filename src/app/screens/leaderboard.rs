//! The leaderboard: team results ranked per scenario, imported result files.

use bevy_egui::egui::{self, Key, RichText};

use super::super::session::{Intent, Session};
use super::BAD;
use crate::i18n::Tr;
use crate::sim::present::teams::{Leaderboard, TeamError};
use crate::t;

/// Team results ranked per scenario: score, grade, each part of the score, where each team
/// left the leader's path, and who did best on each part.
pub fn leaderboard_ui(root: &mut egui::Ui, session: &Session, tr: &Tr, out: &mut Vec<Intent>) {
    egui::Panel::top("board_bar").show(root, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(t!(tr, "board-title")).size(22.0).strong());
            ui.separator();
            let import = ui.button(t!(tr, "board-import")).on_hover_text(t!(tr, "board-import-hover"));
            if import.clicked() {
                out.push(Intent::PickResults);
            }
            if ui.button(t!(tr, "board-back")).clicked() {
                out.push(Intent::ToTitle);
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        if session.boards().is_empty() {
            ui.label(t!(tr, "board-empty"));
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for b in session.boards() {
                for (k, why) in &b.broken {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(t!(tr, "board-not-ranked", why = why)).color(BAD));
                        if ui.small_button(t!(tr, "board-remove")).clicked() {
                            out.push(Intent::RemoveResult(*k));
                        }
                    });
                }
                match &b.board {
                    Err(e) => {
                        ui.label(RichText::new(format!("{}: {}", b.scenario_id, team_error_text(e, tr))).color(BAD));
                        for &k in &b.entries {
                            let team = session.results().get(k).and_then(|r| r.save.team.clone()).unwrap_or_default();
                            ui.horizontal(|ui| {
                                ui.label(team);
                                if ui.small_button(t!(tr, "board-remove")).clicked() {
                                    out.push(Intent::RemoveResult(k));
                                }
                            });
                        }
                    }
                    Ok(board) => {
                        board_ui(ui, board, &b.entries, tr, out);
                    }
                }
            }
        });
    });
    if root.ctx().input(|i| i.key_pressed(Key::Escape)) {
        out.push(Intent::ToTitle);
    }
}

/// One scenario's ranking: a row per team, its score by part, where it left the leader.
fn board_ui(ui: &mut egui::Ui, board: &Leaderboard, entries: &[usize], tr: &Tr, out: &mut Vec<Intent>) {
    ui.label(RichText::new(&board.scenario).size(20.0).strong());
    if board.mixed_seeds {
        ui.label(RichText::new(t!(tr, "board-mixed-seeds")).color(BAD));
    }
    egui::Grid::new(("board", &board.scenario)).striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
        let heads = ["#".to_owned(), t!(tr, "board-col-team"), t!(tr, "board-col-score"), t!(tr, "board-col-grade")];
        for h in heads {
            ui.label(RichText::new(h).strong());
        }
        if let Some(first) = board.rows.first() {
            for c in &first.score.components {
                ui.label(RichText::new(&c.label).strong());
            }
        }
        for h in [t!(tr, "board-col-moves"), t!(tr, "board-col-differed"), String::new()] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for (r, &k) in board.rows.iter().zip(entries) {
            ui.label(r.rank.to_string());
            ui.label(RichText::new(&r.team).strong());
            ui.label(format!("{:.1}", r.score.total));
            ui.label(&r.score.grade);
            for c in &r.score.components {
                ui.label(format!("{:.1} / {:.0}", c.points, c.max_points));
            }
            ui.label(r.moves.to_string());
            ui.label(r.path_note(tr));
            if ui.small_button(t!(tr, "board-remove")).clicked() {
                out.push(Intent::RemoveResult(k));
            }
            ui.end_row();
        }
    });
    for (label, team, value) in &board.best_on {
        ui.label(t!(tr, "board-best-on", part = label.to_lowercase(), team = team, value = value));
    }
    ui.add_space(12.0);
}

/// Why results cannot be merged, in the language of `tr`.
fn team_error_text(e: &TeamError, tr: &Tr) -> String {
    match e {
        TeamError::Empty => t!(tr, "board-error-empty"),
        TeamError::OtherScenario { team, theirs, ours } => {
            t!(tr, "board-error-other-scenario", team = team, theirs = theirs, ours = ours)
        }
        TeamError::OtherVersion { team, scenario } => {
            t!(tr, "board-error-other-version", team = team, title = scenario)
        }
    }
}
