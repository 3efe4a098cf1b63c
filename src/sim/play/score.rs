//! The score: weighted components with grades, explained by what moved each one.
//!
//! Two explanations: the outcome log's attribution (which inject, decision, mitigation or
//! rule changed the metrics a component reads), and what-if replays that measure what each
//! of the players' choices was worth (the same seed, the same path minus that choice).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::i18n::{Lang, Tr};
use crate::sim::play::game::{Cause, Game, Outcome, path_of, play_path};
use crate::sim::scenario::{Action, Good, MetricIdx, MitigationIdx, Path, Scenario};
use crate::t;

/// The score of a game state, with its parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0 to 100.
    pub total: f64,
    pub grade: String,
    pub verdict: String,
    pub components: Vec<ComponentScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentScore {
    pub id: String,
    pub label: String,
    /// The component's raw value (e.g. yen lost).
    pub value: f64,
    /// 0 (nothing) to 1 (at `best`), by the component's curve.
    pub fraction: f64,
    /// The share of those points that count (the component's `counts`; 1 without it).
    pub counted: f64,
    /// Points this component adds to the total.
    pub points: f64,
    /// Points it could add at best.
    pub max_points: f64,
}

/// Scores the game's current state.
pub fn score(game: &Game) -> Score {
    score_values(game.scenario(), |f| game.eval(f))
}

/// Just the total, without the breakdown: what the balancer and calibration need, fast.
pub fn total(game: &Game) -> f64 {
    total_with_metrics(game, game.metrics())
}

/// Where a game's choices so far lead: its final score if nothing more were done (every
/// remaining turn ended as it stands, unanswered decisions taking their defaults, on the
/// game's own seed); a finished game's own score. Unlike the score so far, it compares
/// games at different turns, and it counts a measure's benefits as soon as it is paid for
/// (a score so far counts the cost before the benefits arrive).
pub fn heading(game: &Game) -> f64 {
    let mut rest = game.clone();
    // One turn ends per call: the scenario's turn count bounds the loop.
    for _ in 0..game.scenario().turns.len() {
        if rest.is_finished() {
            break;
        }
        rest.end_turn();
    }
    total(&rest)
}

/// A live leaderboard's order: the teams (by index) from the best `heading` down; teams
/// without a game last, in their order; ties go to the team further on, then the first.
pub fn live_order(teams: &[Option<(usize, f64)>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..teams.len()).collect();
    let key = |k: usize| teams[k].map_or((f64::NEG_INFINITY, 0), |(turn, heading)| (heading, turn));
    // A stable sort: equal keys keep the session's order.
    order.sort_by(|&a, &b| {
        let (a, b) = (key(a), key(b));
        b.0.total_cmp(&a.0).then(b.1.cmp(&a.1))
    });
    order
}

/// The total the game would have with these metric values (e.g. after an earlier turn).
pub fn total_with_metrics(game: &Game, metrics: &[f64]) -> f64 {
    let sc = game.scenario();
    let (mut sum, mut weights) = (0.0, 0.0);
    for c in &sc.scoring.components {
        let counted = c.counts.as_ref().map_or(1.0, |f| counted_share(game.eval_with_metrics(f, metrics)));
        sum += c.fraction(game.eval_with_metrics(&c.value, metrics)) * counted * c.weight;
        weights += c.weight;
    }
    100.0 * sum / weights
}

/// A component's `counts` as a share: clamped to 0..1, nothing for a value that is not a
/// number.
fn counted_share(v: f64) -> f64 {
    if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 }
}

fn score_values(scenario: &Scenario, eval: impl Fn(&crate::sim::expr::Formula) -> f64) -> Score {
    let total_weight: f64 = scenario.scoring.components.iter().map(|c| c.weight).sum();
    let mut total = 0.0;
    let components = scenario
        .scoring
        .components
        .iter()
        .map(|c| {
            let value = eval(&c.value);
            let fraction = c.fraction(value);
            let counted = c.counts.as_ref().map_or(1.0, |f| counted_share(eval(f)));
            let max_points = 100.0 * c.weight / total_weight;
            let points = fraction * counted * max_points;
            total += points;
            ComponentScore { id: c.id.clone(), label: c.label.clone(), value, fraction, counted, points, max_points }
        })
        .collect();
    let g = scenario.grade(total);
    Score { total, grade: g.grade.clone(), verdict: g.verdict.clone(), components }
}

/// One cause's share of a metric's movement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    pub cause: Cause,
    /// "Dynamic: account takeovers", "Inject: first fraud report", ...
    pub label: String,
    pub metric: String,
    /// Total change caused, in the metric's unit.
    pub delta: f64,
    /// Whether the change was good for the players (from the metric's `good` direction).
    pub good: Option<bool>,
}

/// Sums the logged changes of each metric by cause, largest first.
pub fn drivers(game: &Game, metric: MetricIdx) -> Vec<Driver> {
    let sc = game.scenario();
    let mut sums: BTreeMap<Cause, f64> = BTreeMap::new();
    for o in game.log() {
        if let Outcome::MetricChanged { metric: m, from, to, cause } = o
            && *m == metric
            && *cause != Cause::Reset
        {
            *sums.entry(*cause).or_default() += to - from;
        }
    }
    let def = &sc.metrics[metric.ix()];
    let mut out: Vec<Driver> = sums
        .into_iter()
        .filter(|(_, d)| d.abs() > 1e-9)
        .map(|(cause, delta)| Driver {
            cause,
            label: cause_label(sc, cause),
            metric: def.label.clone(),
            delta,
            good: match def.good {
                Good::Higher => Some(delta > 0.0),
                Good::Lower => Some(delta < 0.0),
                Good::Neutral => None,
            },
        })
        .collect();
    out.sort_by(|a, b| b.delta.abs().total_cmp(&a.delta.abs()).then(a.cause.cmp(&b.cause)));
    out
}

/// A readable name for a cause, in English (see [`cause_text`]).
pub fn cause_label(sc: &Scenario, cause: Cause) -> String {
    cause_text(sc, cause, Lang::En.tr())
}

/// A readable name for a cause, in the players' language: "event “…”", "the facilitator's
/// change".
pub fn cause_text(sc: &Scenario, cause: Cause, tr: &Tr) -> String {
    let mitigation = |m: MitigationIdx| sc.mitigations[m.ix()].label.as_str();
    match cause {
        Cause::Inject(i) => t!(tr, "cause-inject", title = sc.injects[i.ix()].title.as_str()),
        Cause::Decision(i, o) => {
            let inj = &sc.injects[i.ix()];
            t!(tr, "cause-decision", title = inj.title.as_str(), option = inj.options[o as usize].label.as_str())
        }
        Cause::Cost(m) => t!(tr, "cause-cost", label = mitigation(m)),
        Cause::Take(m) => t!(tr, "cause-take", label = mitigation(m)),
        Cause::Activate(m) => t!(tr, "cause-activate", label = mitigation(m)),
        Cause::Ongoing(m) => t!(tr, "cause-ongoing", label = mitigation(m)),
        Cause::Stop(m) => t!(tr, "cause-stop", label = mitigation(m)),
        Cause::Dynamic(d) => sc.dynamics[d as usize].label.clone(),
        Cause::Reset => t!(tr, "cause-reset"),
        Cause::Facilitator => t!(tr, "cause-facilitator"),
    }
}

/// What one of the players' choices was worth: the score with it minus the score of the
/// same seed and path without it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceValue {
    pub turn: usize,
    #[serde(skip)]
    pub action: Action,
    pub label: String,
    pub delta: f64,
}

/// What-if replays: each choice's marginal value, largest effect first.
pub fn choice_values(game: &Game) -> Vec<ChoiceValue> {
    let sc = game.scenario();
    let path = path_of(game);
    let base = score(&play_path(sc, game.seed(), &path)).total;
    let mut out = Vec::new();
    for (t, actions) in path.choices.iter().enumerate() {
        for (k, &action) in actions.iter().enumerate() {
            let mut without = path.clone();
            without.choices[t].remove(k);
            let other = score(&play_path(sc, game.seed(), &without)).total;
            let label = format!("{}: {}", sc.turns[t].label, sc.describe(action));
            out.push(ChoiceValue { turn: t, action, label, delta: base - other });
        }
    }
    out.sort_by(|a, b| b.delta.abs().total_cmp(&a.delta.abs()).then(a.turn.cmp(&b.turn)));
    out
}

/// The same seed played along the historical path, for "7pay did this; you did that".
pub fn historical(scenario: &Arc<Scenario>, seed: u64) -> Option<Game> {
    let h = scenario.history.as_ref()?;
    Some(play_path(scenario, seed, &h.path))
}

/// Summary statistics of one quantity over many seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Spread {
    pub fn of(mut values: Vec<f64>) -> Self {
        values.retain(|v| v.is_finite());
        if values.is_empty() {
            return Self { mean: f64::NAN, p5: f64::NAN, p50: f64::NAN, p95: f64::NAN };
        }
        values.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let idx = p * (values.len() - 1) as f64;
            let (lo, hi) = (idx.floor() as usize, idx.ceil() as usize);
            values[lo] + (values[hi] - values[lo]) * (idx - lo as f64)
        };
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Self { mean, p5: q(0.05), p50: q(0.5), p95: q(0.95) }
    }
}

/// A path played over many seeds: the spread of the score and of every metric.
#[derive(Debug, Clone, Serialize)]
pub struct PathStats {
    pub score: Spread,
    /// By metric index.
    pub metrics: Vec<Spread>,
}

/// Plays `path` on seeds `first..first + count`.
pub fn path_stats(scenario: &Arc<Scenario>, path: &Path, first: u64, count: u64) -> PathStats {
    let mut scores = Vec::new();
    let mut metrics: Vec<Vec<f64>> = vec![Vec::new(); scenario.metrics.len()];
    for seed in first..first + count {
        let g = play_path(scenario, seed, path);
        scores.push(total(&g));
        for (k, v) in g.metrics().iter().enumerate() {
            metrics[k].push(*v);
        }
    }
    PathStats { score: Spread::of(scores), metrics: metrics.into_iter().map(Spread::of).collect() }
}

/// How one visible metric moved over a resolved turn, and the main reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricChange {
    pub metric: MetricIdx,
    pub before: f64,
    pub after: f64,
    /// Causes with their share of the change, largest first (those that round to nothing
    /// at the metric's precision are left out).
    pub causes: Vec<(String, f64)>,
}

/// What changed on turn `turn` (already resolved) and why, for the turn summary; the causes
/// are named in `tr`'s language.
pub fn turn_changes(game: &Game, turn: usize, tr: &Tr) -> Vec<MetricChange> {
    let sc = game.scenario();
    let (Some(log), Some(before), Some(after)) =
        (game.turn_logs().get(turn).copied(), game.history().get(turn), game.history().get(turn + 1))
    else {
        return Vec::new();
    };
    let mut by_metric: BTreeMap<MetricIdx, Vec<(String, f64)>> = BTreeMap::new();
    for o in log {
        if let Outcome::MetricChanged { metric, from, to, cause } = o
            && sc.metrics[metric.ix()].visible
            && *cause != Cause::Reset
        {
            let label = cause_text(sc, *cause, tr);
            let causes = by_metric.entry(*metric).or_default();
            match causes.iter_mut().find(|(l, _)| *l == label) {
                Some(c) => c.1 += to - from,
                None => causes.push((label, to - from)),
            }
        }
    }
    by_metric
        .into_iter()
        .filter_map(|(m, mut causes)| {
            let def = &sc.metrics[m.ix()];
            let shown = 10f64.powi(-i32::from(def.decimals)) / 2.0;
            let (b, a) = (before[m.ix()], after[m.ix()]);
            if (a - b).abs() < shown {
                return None;
            }
            causes.retain(|(_, d)| d.abs() >= shown);
            causes.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()));
            Some(MetricChange { metric: m, before: b, after: a, causes })
        })
        .collect()
}
