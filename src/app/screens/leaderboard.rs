//! The leaderboard: team results ranked per scenario, imported result files.

use bevy_egui::egui::{self, Key, RichText};

use super::super::session::{Intent, Session};
use super::BAD;
use crate::sim::teams::Leaderboard;

/// Team results ranked per scenario: score, grade, each part of the score, where each team
/// left the leader's path, and who did best on each part.
pub fn leaderboard_ui(root: &mut egui::Ui, session: &Session, out: &mut Vec<Intent>) {
    egui::Panel::top("board_bar").show(root, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new("Leaderboard").size(22.0).strong());
            ui.separator();
            if ui.button("Import result files…").on_hover_text("Saves exported by other teams' games").clicked() {
                out.push(Intent::PickResults);
            }
            if ui.button("Back  [Esc]").clicked() {
                out.push(Intent::ToTitle);
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        if session.results.boards.is_empty() {
            ui.label("No results yet. After a game, name your team on the debrief and add the result; teams on other machines export their save and you import it here.");
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for b in &session.results.boards {
                for (k, why) in &b.broken {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format!("Not ranked — {why}")).color(BAD));
                        if ui.small_button("Remove").clicked() {
                            out.push(Intent::RemoveResult(*k));
                        }
                    });
                }
                match &b.board {
                    Err(e) => {
                        ui.label(RichText::new(format!("{}: {e}", b.scenario_id)).color(BAD));
                        for &k in &b.entries {
                            let team = session.results.kept.get(k).and_then(|r| r.save.team.clone()).unwrap_or_default();
                            ui.horizontal(|ui| {
                                ui.label(team);
                                if ui.small_button("Remove").clicked() {
                                    out.push(Intent::RemoveResult(k));
                                }
                            });
                        }
                    }
                    Ok(board) => {
                        board_ui(ui, board, &b.entries, out);
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
fn board_ui(ui: &mut egui::Ui, board: &Leaderboard, entries: &[usize], out: &mut Vec<Intent>) {
    ui.label(RichText::new(&board.scenario).size(20.0).strong());
    if board.mixed_seeds {
        ui.label(RichText::new("The teams played different seeds: their random events differed.").color(BAD));
    }
    egui::Grid::new(("board", &board.scenario)).striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
        for h in ["#", "team", "score", "grade"] {
            ui.label(RichText::new(h).strong());
        }
        if let Some(first) = board.rows.first() {
            for c in &first.score.components {
                ui.label(RichText::new(&c.label).strong());
            }
        }
        for h in ["moves", "first differed from the leader", ""] {
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
            ui.label(r.path_note());
            if ui.small_button("Remove").clicked() {
                out.push(Intent::RemoveResult(k));
            }
            ui.end_row();
        }
    });
    for (label, team, value) in &board.best_on {
        ui.label(format!("Best on {}: {team} ({value})", label.to_lowercase()));
    }
    ui.add_space(12.0);
}
