//! The week as a timeline: every turn of the scenario by its label and length, with the
//! team's moves on the turns played. The turn screen's strip and the debrief's charts share it.

use serde::{Deserialize, Serialize};

use crate::i18n::Tr;
use crate::sim::play::game::Game;
use crate::sim::present::view;

/// One turn on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineTurn {
    pub label: String,
    /// Days the turn covers.
    pub days: f64,
    /// The team's moves that turn, in words (empty for turns still to come).
    pub moves: Vec<String>,
    /// What everyone knows is coming that turn (the scenario's agenda), for every turn.
    #[serde(default)]
    pub agenda: Vec<String>,
}

/// The scenario's turns with the team's moves in each turn played.
pub(crate) fn timeline(game: &Game, tr: &Tr) -> Vec<TimelineTurn> {
    let sc = game.scenario();
    let mut turns: Vec<TimelineTurn> = sc
        .turns
        .iter()
        .map(|t| TimelineTurn { label: t.label.clone(), days: t.days, moves: Vec::new(), agenda: t.agenda.clone() })
        .collect();
    for &(t, a) in game.actions() {
        if let Some(turn) = turns.get_mut(t) {
            turn.moves.push(view::action_text(sc, a, tr));
        }
    }
    turns
}
