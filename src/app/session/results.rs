//! Team results kept on this machine and their leaderboards.

use super::files::{ResumeError, resume_bundle};
use super::{Board, Intent, RESULTS, Screen, Session};
use crate::sim::load_str;
use crate::sim::play::save::Bundle;
use crate::sim::present::teams::{TeamGame, leaderboard_in};
use crate::t;

impl Session {
    /// Team results and the leaderboard.
    pub(super) fn handle_results(&mut self, intent: Intent) -> Option<Screen> {
        match intent {
            Intent::RecordResult(team) => {
                let team = team.trim().to_owned();
                let mut bundle = self.bundle()?;
                let n = self.results.kept.len() + 1;
                bundle.save.team = Some(if team.is_empty() { t!(self.tr(), "team-default", n = n) } else { team });
                // The autosave carries the team name too, so "Export save" is the result file.
                self.write_autosave(&bundle);
                match self.add_result(bundle) {
                    Ok(()) => Some(Screen::Leaderboard),
                    Err(e) => {
                        self.messages.notice = Some(e.text(self.tr()));
                        None
                    }
                }
            }
            Intent::ShowLeaderboard => Some(Screen::Leaderboard),
            Intent::PickResults => {
                self.dialogs.push(super::Dialog::PickResults);
                None
            }
            Intent::RemoveResult(k) => {
                if k < self.results.kept.len() {
                    self.results.kept.remove(k);
                    self.save_results();
                    self.rebuild_boards();
                }
                None
            }
            _ => None,
        }
    }

    /// A result file from another machine (its name and text) for the leaderboard.
    pub(super) fn import_result(&mut self, name: &str, text: &str) -> Option<Screen> {
        let added = crate::sim::play::save::read_any(text).map_err(ResumeError::from).and_then(|(save, carried)| {
            let (scenario_name, scenario_text) = match carried {
                Some(c) => c,
                // A bare save: it must be of a scenario listed here.
                None => self
                    .library
                    .catalog
                    .iter()
                    .find(|e| load_str(&e.text, &e.name).is_ok_and(|l| l.scenario.meta.id == save.scenario_id))
                    .map(|e| (e.name.clone(), e.text.clone()))
                    .ok_or_else(|| ResumeError::NotOpenHere(save.scenario_id.clone()))?,
            };
            self.add_result(Bundle { scenario_name, scenario_text, save })
        });
        if let Err(e) = added {
            let why = e.text(self.tr());
            self.messages.notice = Some(t!(self.tr(), "notice-result-not-added", name = name, why = why));
        }
        Some(Screen::Leaderboard)
    }

    /// Adds a result (a bundle) after checking it resumes and fits the results already kept.
    pub(super) fn add_result(&mut self, bundle: Bundle) -> Result<(), ResumeError> {
        let (_, game) = resume_bundle(&bundle, self.library.settings.lang)?;
        let sc = game.scenario();
        let team = bundle.save.team.clone().unwrap_or_default();
        for other in &self.results.kept {
            if other.save.scenario_id == sc.meta.id && other.save.fingerprint != bundle.save.fingerprint {
                return Err(ResumeError::OtherVersion { team, title: sc.meta.title.clone() });
            }
        }
        self.results.kept.push(bundle);
        self.save_results();
        self.rebuild_boards();
        Ok(())
    }

    /// Keeps the results; a failure leaves the kept file as it was and says so.
    pub(super) fn save_results(&mut self) {
        let text = ron::ser::to_string_pretty(&self.results.kept, ron::ser::PrettyConfig::new().depth_limit(3));
        let what = t!(self.tr(), "notice-results-not-kept");
        self.keep(RESULTS, text, what);
    }

    /// Recomputes the leaderboards from `results`.
    pub(super) fn rebuild_boards(&mut self) {
        let tr = self.tr();
        let mut ids: Vec<String> = self.results.kept.iter().map(|b| b.save.scenario_id.clone()).collect();
        ids.dedup();
        let mut seen = std::collections::BTreeSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        self.results.boards = ids
            .into_iter()
            .map(|id| {
                let mut entries = Vec::new();
                let mut teams = Vec::new();
                let mut broken = Vec::new();
                for (k, b) in self.results.kept.iter().enumerate().filter(|(_, b)| b.save.scenario_id == id) {
                    match resume_bundle(b, self.library.settings.lang) {
                        Ok((_, game)) => {
                            let n = teams.len() + 1;
                            let team = b.save.team.clone().unwrap_or_else(|| t!(tr, "team-default", n = n));
                            teams.push(TeamGame { team, game, deeds: Vec::new() });
                            entries.push(k);
                        }
                        // Shown with a Remove button; the others still rank.
                        Err(e) => {
                            let team = b.save.team.clone().unwrap_or_else(|| t!(tr, "board-a-result"));
                            broken.push((k, t!(tr, "notice-what-why", what = team, why = e.text(tr))));
                        }
                    }
                }
                let board = leaderboard_in(&teams, tr);
                // Rows are ranked: map each back to its result by its place in the input.
                let ranked = match &board {
                    Ok(b) => b.rows.iter().filter_map(|r| entries.get(r.source).copied()).collect(),
                    Err(_) => entries,
                };
                Board { scenario_id: id, board, entries: ranked, broken }
            })
            .collect();
    }
}
