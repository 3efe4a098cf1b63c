//! One rule for how far a metric moved, whoever shows it: the turn screen (over the last
//! resolved turn), the facilitator's dashboard (since the start) and the command line's
//! turn (since this turn began) all ask here, for the figure, its words and its colour.

use crate::i18n::Tr;
use crate::sim::play::game::Game;
use crate::sim::present::view::good_move;

/// Below this a metric did not move.
const STILL: f64 = 1e-9;

/// From when a metric's change is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// The start of the game (the facilitator's dashboard).
    Start,
    /// Over the last resolved turn (the turn screen: what last turn did).
    LastTurn,
    /// Since the turn being played began (the command line's turn).
    TurnStart,
}

/// How far a metric moved, in figures and in words.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricChange {
    pub delta: f64,
    /// The change in words ("+3.2"); None when it did not move.
    pub text: Option<String>,
    /// Whether the move is good for the players (None: no move, or a neutral metric).
    pub good: Option<bool>,
}

/// How far metric `k` of `game` moved `since`.
pub fn delta(game: &Game, k: usize, since: Since) -> f64 {
    let history = game.history();
    let now = game.metrics();
    match since {
        Since::Start => now[k] - history.first().map_or(now[k], |h| h[k]),
        Since::LastTurn => {
            let last = history.last().map_or(now, Vec::as_slice);
            let before = if history.len() >= 2 { history[history.len() - 2].as_slice() } else { last };
            last[k] - before[k]
        }
        Since::TurnStart => now[k] - history.last().map_or(game.metrics_at_turn_start()[k], |h| h[k]),
    }
}

/// How far metric `k` of `game` moved `since`, in the words of `tr`.
pub fn metric_change(game: &Game, k: usize, since: Since, tr: &Tr) -> MetricChange {
    let m = &game.scenario().metrics[k];
    let delta = delta(game, k, since);
    let moved = delta.abs() > STILL;
    MetricChange {
        delta,
        text: moved.then(|| tr.signed(delta, m.decimals)),
        good: if moved { good_move(m.good, delta) } else { None },
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::sim::bundled::BUNDLED;
    use crate::sim::load_str;

    #[test]
    fn the_three_baselines_agree_with_the_games_history() {
        let (name, text) = BUNDLED[0];
        let sc = Arc::new(load_str(text, name).expect("bundled").scenario);
        let mut g = Game::new(sc, 7);
        let tr = crate::i18n::Lang::En.tr();
        for k in 0..g.scenario().metrics.len() {
            assert_eq!(metric_change(&g, k, Since::Start, tr).text, None, "nothing moved before play");
            assert_eq!(delta(&g, k, Since::LastTurn), 0.0);
        }
        g.end_turn();
        g.end_turn();
        for k in 0..g.scenario().metrics.len() {
            let h = g.history();
            assert_eq!(delta(&g, k, Since::Start), g.metrics()[k] - h[0][k]);
            assert_eq!(delta(&g, k, Since::LastTurn), h[2][k] - h[1][k]);
            assert_eq!(delta(&g, k, Since::TurnStart), g.metrics()[k] - h[2][k]);
        }
    }

    #[test]
    fn the_summary_calls_out_its_largest_changes() {
        let (name, text) = BUNDLED[0];
        let sc = Arc::new(load_str(text, name).expect("bundled").scenario);
        let mut g = Game::new(sc, 7);
        let tr = crate::i18n::Lang::En.tr();
        let mut seen = false;
        while !g.is_finished() {
            let turn = g.turn();
            g.end_turn();
            let s = crate::sim::present::view::turn_summary(&g, turn, tr).expect("resolved");
            assert!(s.biggest.len() <= 3 && s.biggest.len() <= s.changes.len());
            let size = |i: usize| {
                let f = s.changes[i].figures.as_ref().expect("figures");
                let m = g.scenario().metrics.iter().find(|m| m.label == s.changes[i].metric).expect("metric");
                crate::sim::present::biggest::relative_size(m, f.from, f.to)
            };
            for w in s.biggest.windows(2) {
                assert!(size(w[0]) >= size(w[1]), "largest first");
            }
            for i in (0..s.changes.len()).filter(|i| !s.biggest.contains(i)) {
                assert!(s.biggest.iter().all(|&b| size(b) >= size(i)), "a change left out is no larger");
            }
            seen |= !s.biggest.is_empty();
        }
        assert!(seen, "some turn of the bundled game moved a metric");
    }
}
