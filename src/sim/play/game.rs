//! The running game: a seeded, deterministic turn loop over a checked scenario.
//!
//! Every change goes through one door: a step computes [`Outcome`]s from the state, and
//! only [`Game::apply`] changes it, appending each outcome to the log. Replays, undo, the
//! score's attribution and reports all read that same log.

mod control;
mod text;
mod turn;

use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::i18n::number;
use crate::sim::expr::{Ctx, Formula, MitStatus};
use crate::sim::scenario::*;

/// Why a metric changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Cause {
    /// An inject's effect.
    Inject(InjectIdx),
    /// The effect of a decision's option.
    Decision(InjectIdx, u16),
    /// What taking a mitigation cost.
    Cost(MitigationIdx),
    /// A mitigation's effect when taken.
    Take(MitigationIdx),
    /// A mitigation's effect when it took effect.
    Activate(MitigationIdx),
    /// A mitigation's ongoing effect or upkeep.
    Ongoing(MitigationIdx),
    /// A toggle switched off.
    Stop(MitigationIdx),
    /// A per-turn dynamic rule.
    Dynamic(u16),
    /// A per-turn metric returning to its base value.
    Reset,
    /// The facilitator set the metric by hand.
    Facilitator,
}

/// A facilitator's intervention from the console: outside the players' moves, logged and
/// saved like them, and replayed exactly on resume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Intervention {
    /// Fire an inject now, whatever its schedule, condition or chance.
    Trigger { inject: InjectIdx },
    /// Keep an inject from firing on later turns (`on: false` lets it fire again).
    Suppress { inject: InjectIdx, on: bool },
    /// Set a metric to a value (clamped to its range).
    SetMetric { metric: MetricIdx, value: f64 },
    /// Fix this turn's random draw of a dynamic rule: 0 is the low end of its noise, 0.5
    /// no variation, 1 the high end.
    Roll { dynamic: u16, draw: f64 },
    /// The facilitator stepped back from turn `from` to the turn before (a record: the
    /// turn itself was undone).
    SteppedBack { from: u16 },
    /// The turn timer ran out: the turn ended with the moves made so far, and unanswered
    /// decisions took their defaults.
    TimeUp,
}

/// One entry of the outcome log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    TurnStarted {
        turn: u16,
    },
    InjectFired {
        inject: InjectIdx,
    },
    MitigationTaken {
        mitigation: MitigationIdx,
        points: u32,
    },
    MitigationActivated {
        mitigation: MitigationIdx,
    },
    MitigationStopped {
        mitigation: MitigationIdx,
    },
    DecisionMade {
        inject: InjectIdx,
        option: u16,
        by_default: bool,
    },
    MetricChanged {
        metric: MetricIdx,
        from: f64,
        to: f64,
        cause: Cause,
    },
    /// The players' stated reason for what they did this turn.
    Note {
        text: String,
    },
    /// The facilitator intervened (its effects follow as their own entries).
    Facilitator {
        act: Intervention,
    },
    /// A formula gave no finite number (e.g. a division by zero); the metric was left alone.
    EffectSkipped {
        metric: MetricIdx,
        cause: Cause,
    },
    /// Money spent from the budget when no metric tracks spending (with a `spend_metric`,
    /// spending is that metric's change).
    Spent {
        amount: f64,
        cause: Cause,
    },
    TurnEnded {
        turn: u16,
    },
    GameEnded,
}

/// Why an action cannot be taken now.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Lock {
    #[error("the game is over")]
    Finished,
    #[error("already active")]
    Active,
    #[error("already under way")]
    Pending,
    #[error("already done")]
    Done,
    #[error("needs “{0}” first")]
    Requires(String),
    #[error("not available now: {0}")]
    Unavailable(String),
    /// Not available: the mitigation's `available` formula (its source) does not hold.
    #[error("not available now: needs {0}")]
    NeedsFormula(String),
    #[error("needs {need} action point(s); {left} left this turn")]
    Points { need: u32, left: u32 },
    /// Costs more than the budget has left: both amounts in `currency`.
    #[error("costs {} {currency}; {} {currency} left in the budget", number(*.need, 0), number(*.left, 0))]
    Budget { need: f64, left: f64, currency: String },
    #[error("“{0}” is not running")]
    NotRunning(String),
    #[error("“{0}” is one-shot: it cannot be switched off once under way")]
    OneShot(String),
    #[error("“{0}” is not a decision facing the players this turn")]
    NoDecision(String),
    #[error("no such {0}")]
    Unknown(Missing),
    #[error("made before the facilitator's change this turn, so it stays")]
    BeforeIntervention,
    #[error("“{0}” has fired and does not repeat")]
    Fired(String),
    #[error("“{0}” is already facing the players this turn")]
    AlreadyDue(String),
    #[error("there is no earlier turn to step back to")]
    NothingToUndo,
    /// A metric (its label) set to NaN or infinity.
    #[error("{0} is not a finite number")]
    NotANumber(String),
    /// A facilitator's roll with a draw that is NaN or infinite.
    #[error("the draw is not a finite number")]
    DrawNotANumber,
    #[error("a turn keeps at most {0} notes and records")]
    TooManyRecords(usize),
}

/// What a [`Lock::Unknown`] found missing (its `Display` text is the English name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Missing {
    #[error("mitigation")]
    Mitigation,
    #[error("decision")]
    Decision,
    #[error("option")]
    Option,
    #[error("inject")]
    Inject,
    #[error("metric")]
    Metric,
    #[error("dynamic rule")]
    DynamicRule,
    /// The game keeps no undo records, so a move cannot be taken back.
    #[error("undo record (this game keeps none)")]
    UndoRecord,
    /// An intervention the console cannot make (a step back, the timer).
    #[error("intervention")]
    Intervention,
}

/// Most notes and records (a step back, the timer) one turn keeps: taking a move back
/// replays them, so this bounds what a take-back costs.
pub const MAX_RECORDS_PER_TURN: usize = 200;

/// Where a mitigation card stands, for display.
#[derive(Debug, Clone, PartialEq)]
pub enum CardState {
    Available,
    Locked(Lock),
    /// Taken; effective from turn `ready_turn` (None: after the last turn).
    Pending {
        ready_turn: Option<usize>,
        taken_this_turn: bool,
    },
    Active {
        taken_this_turn: bool,
    },
    Done,
}

/// Everything that changes while playing. Private: only `apply` writes it.
#[derive(Debug, Clone, PartialEq)]
struct Progress {
    turn: usize,
    finished: bool,
    metrics: Vec<f64>,
    /// Metrics when the turn began.
    prev: Vec<f64>,
    status: Vec<MitStatus>,
    taken: Vec<bool>,
    /// The day a pending mitigation takes effect.
    ready_day: Vec<f64>,
    fired: Vec<u32>,
    chosen: Vec<Option<u16>>,
    /// Decisions facing the players this turn, and whether each has been answered.
    due: Vec<(InjectIdx, bool)>,
    points_left: u32,
    spent: f64,
    /// Injects the facilitator keeps from firing.
    suppressed: Vec<bool>,
    /// Dynamics' random draws fixed by the facilitator for this turn.
    rolls: Vec<Option<f64>>,
}

/// What the undo stack keeps: everything before a step.
#[derive(Debug, Clone)]
struct Mark {
    state: Progress,
    log_len: usize,
    actions_len: usize,
    history_len: usize,
}

/// A game in progress.
#[derive(Debug, Clone)]
pub struct Game {
    scenario: Arc<Scenario>,
    seed: u64,
    rng: ChaCha8Rng,
    state: Progress,
    log: Vec<Outcome>,
    /// The players' accepted actions, with the turn of each.
    actions: Vec<(usize, Action)>,
    /// Metric values at the start and after each resolved turn.
    history: Vec<Vec<f64>>,
    /// Before each `end_turn`, for undo, with that turn's retract point.
    turn_marks: Vec<(Mark, Option<Mark>)>,
    /// The state once this turn's injects have fired, to retract an action.
    turn_start: Option<Mark>,
    keep_undo: bool,
}

pub(crate) const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// Whether an outcome is a record that survives taking a move back: the players' notes, a
/// step back, the timer.
fn is_record(o: &Outcome) -> bool {
    matches!(
        o,
        Outcome::Note { .. } | Outcome::Facilitator { act: Intervention::SteppedBack { .. } | Intervention::TimeUp }
    )
}

/// Notes and records in the last turn of `log`.
fn records_in_last_turn(log: &[Outcome]) -> usize {
    let start = log.iter().rposition(|o| matches!(o, Outcome::TurnStarted { .. })).unwrap_or(0);
    log[start..].iter().filter(|o| is_record(o)).count()
}

/// Whether a mitigation ready on `ready_day` is in effect by the end of `turn`, i.e. its lead
/// time ends before the turn does.
fn ready_before_end(ready_day: f64, turn: &Turn) -> bool {
    ready_day < turn.start_day + turn.days - 1e-9
}

/// The longest note a game keeps, in characters.
pub const NOTE_MAX_CHARS: usize = 2_000;

/// A note as a game keeps it: trimmed, at most `NOTE_MAX_CHARS` characters.
pub fn note_text(text: &str) -> String {
    text.trim().chars().take(NOTE_MAX_CHARS).collect()
}

impl Game {
    /// Starts a game; the first turn's injects fire at once.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Self {
        Self::build(scenario, seed, true)
    }

    /// A game without undo bookkeeping, for bots and the balancer.
    pub fn new_fast(scenario: Arc<Scenario>, seed: u64) -> Self {
        Self::build(scenario, seed, false)
    }

    fn build(scenario: Arc<Scenario>, seed: u64, keep_undo: bool) -> Self {
        let metrics: Vec<f64> = scenario.metrics.iter().map(|m| m.initial).collect();
        let n_mit = scenario.mitigations.len();
        let n_inj = scenario.injects.len();
        let state = Progress {
            turn: 0,
            finished: false,
            prev: metrics.clone(),
            metrics: metrics.clone(),
            status: vec![MitStatus::Idle; n_mit],
            taken: vec![false; n_mit],
            ready_day: vec![0.0; n_mit],
            fired: vec![0; n_inj],
            chosen: vec![None; n_inj],
            due: Vec::new(),
            points_left: scenario.resources.action_points,
            spent: 0.0,
            suppressed: vec![false; n_inj],
            rolls: vec![None; scenario.dynamics.len()],
        };
        let turns = scenario.turns.len();
        let mut game = Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            state,
            log: Vec::with_capacity(turns * 40),
            actions: Vec::new(),
            history: vec![metrics],
            turn_marks: Vec::new(),
            turn_start: None,
            keep_undo,
            scenario,
        };
        game.begin_turn(0);
        game
    }

    /// The same game over `scenario`, the same scenario in another language (the same
    /// model and fingerprint): what a player reading that language is shown.
    pub fn in_scenario(&self, scenario: Arc<Scenario>) -> Game {
        debug_assert_eq!(scenario.fingerprint, self.scenario.fingerprint, "the same scenario");
        Game { scenario, ..self.clone() }
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// 0-based index of the current turn (the last turn once finished).
    pub fn turn(&self) -> usize {
        self.state.turn
    }

    pub fn is_finished(&self) -> bool {
        self.state.finished
    }

    pub fn metrics(&self) -> &[f64] {
        &self.state.metrics
    }

    /// Metric values when the current turn began.
    pub fn metrics_at_turn_start(&self) -> &[f64] {
        &self.state.prev
    }

    /// Metric values at the start (index 0) and after each resolved turn.
    pub fn history(&self) -> &[Vec<f64>] {
        &self.history
    }

    pub fn log(&self) -> &[Outcome] {
        &self.log
    }

    /// The accepted actions, with the turn each was taken on.
    pub fn actions(&self) -> &[(usize, Action)] {
        &self.actions
    }

    pub fn points_left(&self) -> u32 {
        self.state.points_left
    }

    pub fn spent(&self) -> f64 {
        self.state.spent
    }

    /// Money left, if the scenario has a budget.
    pub fn budget_left(&self) -> Option<f64> {
        self.scenario.resources.budget.map(|b| b - self.state.spent)
    }

    pub fn mitigation_status(&self, m: MitigationIdx) -> MitStatus {
        self.state.status[m.ix()]
    }

    /// How often each inject has fired.
    pub fn fired_count(&self, i: InjectIdx) -> u32 {
        self.state.fired[i.ix()]
    }

    /// The option chosen for a decision, if any.
    pub fn chosen(&self, i: InjectIdx) -> Option<u16> {
        self.state.chosen[i.ix()]
    }

    /// The answer given this turn to a decision facing the players, if any.
    pub fn chosen_this_turn(&self, i: InjectIdx) -> Option<u16> {
        let answered = self.state.due.iter().any(|(d, answered)| *d == i && *answered);
        if answered { self.chosen(i) } else { None }
    }

    /// Decisions facing the players this turn, with the option chosen so far.
    pub fn due_decisions(&self) -> impl Iterator<Item = (InjectIdx, Option<u16>)> + '_ {
        self.state.due.iter().map(|&(i, answered)| (i, if answered { self.state.chosen[i.ix()] } else { None }))
    }

    /// Log entries of the current turn (from its `TurnStarted`).
    pub fn current_turn_log(&self) -> &[Outcome] {
        let start = self.log.iter().rposition(|o| matches!(o, Outcome::TurnStarted { .. })).unwrap_or(0);
        &self.log[start..]
    }

    /// Log entries grouped per turn: `turn_logs()[t]` is everything that happened on turn `t`.
    pub fn turn_logs(&self) -> Vec<&[Outcome]> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, o) in self.log.iter().enumerate() {
            if matches!(o, Outcome::TurnStarted { .. }) && i > start {
                out.push(&self.log[start..i]);
                start = i;
            }
        }
        out.push(&self.log[start..]);
        out
    }

    /// Injects that fired this turn, in order.
    pub fn injects_this_turn(&self) -> impl Iterator<Item = InjectIdx> + '_ {
        self.current_turn_log().iter().filter_map(|o| match o {
            Outcome::InjectFired { inject } => Some(*inject),
            _ => None,
        })
    }

    /// The channels (media) this turn's injects came through, each once, in order.
    pub fn channels_this_turn(&self) -> Vec<Channel> {
        let mut out = Vec::new();
        for i in self.injects_this_turn() {
            let c = self.scenario.injects[i.ix()].channel;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    fn ctx(&self) -> Ctx<'_> {
        let turn = &self.scenario.turns[self.state.turn];
        Ctx {
            metrics: &self.state.metrics,
            prev: &self.state.prev,
            turn: self.state.turn,
            day: turn.start_day,
            days: turn.days,
            mitigations: &self.state.status,
            taken: &self.state.taken,
            fired: &self.state.fired,
            chosen: &self.state.chosen,
        }
    }

    /// Evaluates any formula of this scenario against the current state.
    pub fn eval(&self, f: &Formula) -> f64 {
        f.eval(&self.ctx())
    }

    /// Evaluates a formula against the current state but with other metric values (e.g. a
    /// row of [`Game::history`]).
    pub fn eval_with_metrics(&self, f: &Formula, metrics: &[f64]) -> f64 {
        let mut ctx = self.ctx();
        ctx.metrics = metrics;
        f.eval(&ctx)
    }

    fn holds(&self, f: &Option<Formula>) -> bool {
        f.as_ref().is_none_or(|f| f.eval(&self.ctx()) != 0.0)
    }
}

/// Plays a whole game along `path` without undo bookkeeping.
pub fn play_path(scenario: &Arc<Scenario>, seed: u64, path: &Path) -> Game {
    let mut g = Game::new_fast(Arc::clone(scenario), seed);
    g.play_out(path);
    g
}

/// The path a finished (or running) game has taken so far.
pub fn path_of(game: &Game) -> Path {
    let mut path = Path::default();
    for &(t, a) in game.actions() {
        if path.choices.len() <= t {
            path.choices.resize(t + 1, Vec::new());
        }
        path.choices[t].push(a);
    }
    path
}
