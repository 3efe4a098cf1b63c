//! Team play: several teams' games of one scenario merged into a leaderboard — ranks,
//! who did best on each part of the score, and where each team's path left the leader's.

use thiserror::Error;

use crate::i18n::{Lang, Tr};
use crate::sim::play::game::{Game, path_of};
use crate::sim::play::score::{self, Score};
use crate::sim::present::view::{pad_left, pad_right};
use crate::t;

/// One team's finished (or stopped) game.
#[derive(Debug, Clone)]
pub struct TeamGame {
    pub team: String,
    pub game: Game,
    /// What its players did at the table (a live workshop with roles; else empty).
    pub deeds: Vec<crate::sim::present::deeds::Deed>,
}

/// The merged results, best score first.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaderboard {
    pub scenario: String,
    pub rows: Vec<Row>,
    /// Per score component: its label, the best team and that team's value, formatted.
    pub best_on: Vec<(String, String, String)>,
    /// The teams played different seeds: their random events differed.
    pub mixed_seeds: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub rank: usize,
    /// Index of this team in the input, whatever its name.
    pub source: usize,
    pub team: String,
    pub score: Score,
    pub seed: u64,
    pub turns_played: usize,
    pub finished: bool,
    pub moves: usize,
    /// Where this team's moves first differed from the leader's (None: the leader itself,
    /// or the same moves throughout).
    pub diverged: Option<String>,
}

/// Why results cannot be merged.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum TeamError {
    #[error("no results to compare")]
    Empty,
    #[error("{team} played “{theirs}”, not “{ours}”: compare results of one scenario")]
    OtherScenario { team: String, theirs: String, ours: String },
    #[error("{team} played another version of “{scenario}” (the file changed between games)")]
    OtherVersion { team: String, scenario: String },
}

/// Merges teams' games of the same scenario into a leaderboard (values in English; see
/// [`leaderboard_in`]).
pub fn leaderboard(teams: &[TeamGame]) -> Result<Leaderboard, TeamError> {
    leaderboard_in(teams, Lang::En.tr())
}

/// Merges teams' games of the same scenario into a leaderboard, its values written the way
/// `tr`'s language writes them.
pub fn leaderboard_in(teams: &[TeamGame], tr: &Tr) -> Result<Leaderboard, TeamError> {
    let first = teams.first().ok_or(TeamError::Empty)?;
    let sc = first.game.scenario();
    for t in &teams[1..] {
        let theirs = t.game.scenario();
        if theirs.meta.id != sc.meta.id {
            return Err(TeamError::OtherScenario {
                team: t.team.clone(),
                theirs: theirs.meta.title.clone(),
                ours: sc.meta.title.clone(),
            });
        }
        if theirs.fingerprint != sc.fingerprint {
            return Err(TeamError::OtherVersion { team: t.team.clone(), scenario: sc.meta.title.clone() });
        }
    }
    let mut scored: Vec<(usize, &TeamGame, Score)> =
        teams.iter().enumerate().map(|(k, t)| (k, t, score::score(&t.game))).collect();
    // Best first; ties keep the order the results came in.
    scored.sort_by(|a, b| b.2.total.total_cmp(&a.2.total));
    let leader = path_of(&scored[0].1.game);
    let rows = scored
        .iter()
        .enumerate()
        .map(|(k, (source, t, s))| {
            let path = path_of(&t.game);
            let diverged = (0..sc.turns.len()).find(|&turn| path.on(turn) != leader.on(turn));
            Row {
                rank: k + 1,
                source: *source,
                team: t.team.clone(),
                score: s.clone(),
                seed: t.game.seed(),
                turns_played: t.game.history().len() - 1,
                finished: t.game.is_finished(),
                moves: t.game.actions().len(),
                diverged: if k == 0 { None } else { diverged.map(|turn| sc.turns[turn].label.clone()) },
            }
        })
        .collect();
    // "Best on" compares teams: with one result there is nobody to compare with.
    let compared = if scored.len() > 1 { sc.scoring.components.as_slice() } else { &[] };
    let best_on = compared
        .iter()
        .enumerate()
        .filter_map(|(c, comp)| {
            let (_, t, s) = scored.iter().max_by(|a, b| {
                // The earlier team wins a tie.
                a.2.components[c].points.total_cmp(&b.2.components[c].points).then(std::cmp::Ordering::Greater)
            })?;
            let value = s.components[c].value;
            let shown = match sc.metric_index(comp.value.source().trim()) {
                Some(m) => tr.quantity(value, sc.metrics[m.ix()].measure()),
                None => tr.number(value, 1),
            };
            Some((comp.label.clone(), t.team.clone(), shown))
        })
        .collect();
    let mixed_seeds = teams.iter().any(|t| t.game.seed() != first.game.seed());
    Ok(Leaderboard { scenario: sc.meta.title.clone(), rows, best_on, mixed_seeds })
}

impl Row {
    /// Where this team left the leader's path, in words, with "(unfinished)" if it is.
    pub fn path_note(&self, tr: &Tr) -> String {
        let diverged = match (&self.diverged, self.rank) {
            (_, 1) => t!(tr, "compare-leader"),
            (Some(t), _) => t.clone(),
            (None, _) => t!(tr, "compare-same-moves"),
        };
        if self.finished { diverged } else { t!(tr, "compare-unfinished", note = diverged) }
    }
}

impl Leaderboard {
    /// The leaderboard as plain text (the `ttx compare` output), in `tr`'s language.
    pub fn to_text(&self, tr: &Tr) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let mut head = t!(tr, "compare-heading", title = self.scenario.as_str(), n = self.rows.len());
        if self.mixed_seeds {
            head.push_str(&t!(tr, "compare-mixed-seeds"));
        }
        let _ = writeln!(out, "{head}");
        let _ = writeln!(
            out,
            "{}  {} {} {} {}  {}",
            pad_left(&t!(tr, "compare-col-rank"), 4),
            pad_right(&t!(tr, "compare-col-team"), 20),
            pad_left(&t!(tr, "compare-col-score"), 7),
            pad_left(&t!(tr, "compare-col-grade"), 6),
            pad_left(&t!(tr, "compare-col-moves"), 6),
            t!(tr, "compare-col-diverged")
        );
        for r in &self.rows {
            let _ = writeln!(
                out,
                "{:>4}  {} {:>7} {} {:>6}  {}",
                r.rank,
                pad_right(&r.team, 20),
                tr.number(r.score.total, 1),
                pad_left(&r.score.grade, 6),
                r.moves,
                r.path_note(tr)
            );
        }
        for (label, team, value) in &self.best_on {
            let _ = writeln!(
                out,
                "{}",
                t!(
                    tr,
                    "compare-best-on",
                    component = label.to_lowercase(),
                    team = team.as_str(),
                    value = value.as_str()
                )
            );
        }
        out
    }
}
