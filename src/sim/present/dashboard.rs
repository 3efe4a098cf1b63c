//! A team's card on the facilitator's workshop dashboard, as the engine presents it: turn,
//! score, every visible metric with its course, this turn's moves, role names and what the
//! open proposals ask for.

use crate::i18n::Tr;
use crate::sim::play::game::Game;
use crate::sim::play::score;
use crate::sim::play::step::{Resolved, Step};
use crate::sim::present::change::{Since, metric_change};
use crate::sim::present::view::action_text;

/// One team's game on the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamCard {
    pub scenario_title: String,
    /// The turn being played (0-based) and its label ("Mon 1 Jul").
    pub turn: usize,
    pub turn_label: String,
    pub turns: usize,
    pub finished: bool,
    pub score: f64,
    /// The scenario's roles: id and label.
    pub roles: Vec<(String, String)>,
    pub metrics: Vec<CardMetric>,
    /// This turn's moves, described.
    pub moves: Vec<String>,
    /// The open proposals asked about: id and what each would do.
    pub proposals: Vec<(u64, String)>,
    /// The scenario's grades, best first: the lowest score of each and its letter.
    pub grades: Vec<(f64, String)>,
}

/// A visible metric on a card: its value and its course since the start.
#[derive(Debug, Clone, PartialEq)]
pub struct CardMetric {
    pub label: String,
    pub value_text: String,
    /// Its value after every turn so far.
    pub series: Vec<f64>,
    /// Whether it went the good way since the start (None: unchanged or neither).
    pub good: Option<bool>,
}

impl TeamCard {
    /// A role's label, or its id if the scenario has no such role.
    pub fn role_label(&self, id: &str) -> String {
        self.roles.iter().find(|(r, _)| r == id).map_or_else(|| id.to_owned(), |(_, l)| l.clone())
    }

    /// The grade of a score (as the scenario grades: the first band it reaches, else the
    /// last).
    pub fn grade(&self, score: f64) -> &str {
        self.grades.iter().find(|(min, _)| score >= *min).or(self.grades.last()).map_or("", |(_, g)| g.as_str())
    }

    /// What an open proposal would do, if it was asked about.
    pub fn proposal_text(&self, id: u64) -> Option<&str> {
        self.proposals.iter().find(|(p, _)| *p == id).map(|(_, t)| t.as_str())
    }
}

/// The card of `game`; `proposals` (id and step) are the team's open proposals to describe.
pub fn team_card(game: &Game, proposals: &[(u64, &Step)], tr: &Tr) -> TeamCard {
    let sc = game.scenario();
    let metrics = sc
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| m.visible)
        .map(|(m, metric)| CardMetric {
            label: metric.label.clone(),
            value_text: tr.quantity(game.metrics()[m], metric.measure()),
            series: game.history().iter().map(|h| h[m]).collect(),
            good: metric_change(game, m, Since::Start, tr).good,
        })
        .collect();
    let moves =
        game.actions().iter().filter(|(turn, _)| *turn == game.turn()).map(|(_, a)| action_text(sc, *a, tr)).collect();
    let proposals = proposals
        .iter()
        .map(|(id, step)| {
            let what = match step.resolve(sc) {
                Ok(Resolved::Act(a)) => action_text(sc, a, tr),
                _ => step.verb().to_owned(),
            };
            (*id, what)
        })
        .collect();
    let turn = game.turn().min(sc.turns.len().saturating_sub(1));
    TeamCard {
        scenario_title: sc.meta.title.clone(),
        turn: game.turn(),
        turn_label: sc.turns.get(turn).map_or_else(String::new, |t| t.label.clone()),
        turns: sc.turns.len(),
        finished: game.is_finished(),
        score: score::total(game),
        roles: sc.roles.iter().map(|r| (r.id.clone(), r.label.clone())).collect(),
        metrics,
        moves,
        proposals,
        grades: sc.scoring.grades.iter().map(|g| (g.min, g.grade.clone())).collect(),
    }
}
