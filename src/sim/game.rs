//! The running game: a seeded, deterministic turn loop over a checked scenario.
//!
//! Every change goes through one door: a step computes [`Outcome`]s from the state, and
//! only [`Game::apply`] changes it, appending each outcome to the log. Replays, undo, the
//! score's attribution and reports all read that same log.

use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::expr::{Ctx, Formula, MitStatus};
use super::scenario::*;
use crate::i18n::{Lang, Tr};
use crate::t;

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

impl Intervention {
    /// What the facilitator did, in English words (see [`Intervention::describe_in`]).
    pub fn describe(&self, sc: &Scenario) -> String {
        self.describe_in(sc, Lang::En.tr())
    }

    /// What the facilitator did, in the players' language (for the event feed and the report).
    pub fn describe_in(&self, sc: &Scenario, tr: &Tr) -> String {
        let inject = |i: &InjectIdx| sc.injects.get(i.ix()).map_or("?", |x| x.title.as_str());
        match self {
            Self::Trigger { inject: i } => t!(tr, "act-trigger", title = inject(i)),
            Self::Suppress { inject: i, on: true } => t!(tr, "act-suppress", title = inject(i)),
            Self::Suppress { inject: i, on: false } => t!(tr, "act-allow", title = inject(i)),
            Self::SetMetric { metric, value } => match sc.metrics.get(metric.ix()) {
                Some(m) => t!(tr, "act-set-metric", metric = m.label.as_str(), value = tr.metric(m, *value)),
                None => t!(tr, "act-set-a-metric"),
            },
            Self::Roll { dynamic, draw } => {
                let label = sc.dynamics.get(*dynamic as usize).map_or("?", |d| d.label.as_str());
                let percent = format!("{:.0}", draw * 100.0);
                match *draw {
                    d if d < 0.34 => t!(tr, "act-roll-low", label = label, percent = percent),
                    d if d > 0.66 => t!(tr, "act-roll-high", label = label, percent = percent),
                    _ => t!(tr, "act-roll-middle", label = label, percent = percent),
                }
            }
            Self::SteppedBack { from } => {
                let label = |t: u16| {
                    sc.turns.get(usize::from(t)).map_or_else(|| t!(tr, "act-end-of-game"), |x| x.label.clone())
                };
                t!(tr, "act-stepped-back", from = label(*from), to = label(from.saturating_sub(1)))
            }
            Self::TimeUp => t!(tr, "act-time-up"),
        }
    }
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
    #[error("costs {need}; {left} left in the budget")]
    Budget { need: String, left: String },
    #[error("“{0}” is not running")]
    NotRunning(String),
    #[error("“{0}” is one-shot: it cannot be switched off once under way")]
    OneShot(String),
    #[error("“{0}” is not a decision facing the players this turn")]
    NoDecision(String),
    #[error("no such {0}")]
    Unknown(&'static str),
    #[error("made before the facilitator's change this turn, so it stays")]
    BeforeIntervention,
    #[error("“{0}” has fired and does not repeat")]
    Fired(String),
    #[error("“{0}” is already facing the players this turn")]
    AlreadyDue(String),
    #[error("there is no earlier turn to step back to")]
    NothingToUndo,
    #[error("{0} is not a finite number")]
    NotANumber(String),
    #[error("a turn keeps at most {0} notes and records")]
    TooManyRecords(usize),
}

impl Lock {
    /// Why, in the players' language (the `Display` text is the English one, for errors
    /// and diagnostics).
    pub fn describe(&self, tr: &Tr) -> String {
        match self {
            Self::Finished => t!(tr, "lock-finished"),
            Self::Active => t!(tr, "lock-active"),
            Self::Pending => t!(tr, "lock-pending"),
            Self::Done => t!(tr, "lock-done"),
            Self::Requires(label) => t!(tr, "lock-requires", label = label),
            Self::Unavailable(why) => t!(tr, "lock-unavailable", why = why),
            Self::NeedsFormula(formula) => t!(tr, "lock-needs-formula", formula = formula),
            Self::Points { need, left } => t!(tr, "lock-points", need = *need, left = *left),
            Self::Budget { need, left } => t!(tr, "lock-budget", need = money_in(need, tr), left = money_in(left, tr)),
            Self::NotRunning(label) => t!(tr, "lock-not-running", label = label),
            Self::OneShot(label) => t!(tr, "lock-one-shot", label = label),
            Self::NoDecision(title) => t!(tr, "lock-no-decision", title = title),
            Self::Unknown("mitigation") => t!(tr, "lock-unknown-mitigation"),
            Self::Unknown("decision") => t!(tr, "lock-unknown-decision"),
            Self::Unknown("option") => t!(tr, "lock-unknown-option"),
            Self::Unknown("inject") => t!(tr, "lock-unknown-inject"),
            Self::Unknown("metric") => t!(tr, "lock-unknown-metric"),
            Self::Unknown("dynamic rule") => t!(tr, "lock-unknown-dynamic"),
            Self::Unknown(UNDO_RECORD) => t!(tr, "lock-no-undo-record"),
            Self::Unknown("intervention") => t!(tr, "lock-unknown-intervention"),
            Self::Unknown(thing) => t!(tr, "lock-unknown", thing = *thing),
            Self::BeforeIntervention => t!(tr, "lock-before-intervention"),
            Self::Fired(title) => t!(tr, "lock-fired", title = title),
            Self::AlreadyDue(title) => t!(tr, "lock-already-due", title = title),
            Self::NothingToUndo => t!(tr, "lock-nothing-to-undo"),
            Self::NotANumber(what) if what == DRAW => t!(tr, "lock-draw-not-a-number"),
            Self::NotANumber(what) => t!(tr, "lock-not-a-number", what = what),
            Self::TooManyRecords(n) => t!(tr, "lock-too-many-records", n = *n),
        }
    }
}

/// What [`Lock::Unknown`] names when a game keeps no undo records.
const UNDO_RECORD: &str = "undo record (this game keeps none)";
/// What [`Lock::NotANumber`] names for a facilitator's roll.
const DRAW: &str = "the draw";

/// An amount a [`Lock::Budget`] holds ("80,000 JPY") written the language's way.
fn money_in(amount: &str, tr: &Tr) -> String {
    amount
        .rsplit_once(' ')
        .and_then(|(n, currency)| Some(tr.money(n.replace(',', "").parse().ok()?, currency)))
        .unwrap_or_else(|| amount.to_owned())
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

const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

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

    /// The only place state changes: every change is an entry of the log.
    fn apply(&mut self, o: Outcome) {
        let s = &mut self.state;
        match &o {
            Outcome::TurnStarted { turn } => {
                s.turn = *turn as usize;
                s.prev.clone_from(&s.metrics);
                s.points_left = self.scenario.resources.action_points;
                s.due.clear();
                s.rolls.iter_mut().for_each(|r| *r = None);
            }
            Outcome::InjectFired { inject } => {
                s.fired[inject.ix()] += 1;
                if self.scenario.injects[inject.ix()].is_decision() {
                    s.due.push((*inject, false));
                }
            }
            Outcome::MitigationTaken { mitigation, points } => {
                let m = mitigation.ix();
                s.status[m] = MitStatus::Pending;
                s.taken[m] = true;
                s.ready_day[m] = self.scenario.turns[s.turn].start_day + self.scenario.mitigations[m].lead_days;
                s.points_left -= points;
            }
            Outcome::MitigationActivated { mitigation } => s.status[mitigation.ix()] = MitStatus::Active,
            Outcome::MitigationStopped { mitigation } => s.status[mitigation.ix()] = MitStatus::Done,
            Outcome::DecisionMade { inject, option, .. } => {
                s.chosen[inject.ix()] = Some(*option);
                if let Some(d) = s.due.iter_mut().find(|(i, _)| i == inject) {
                    d.1 = true;
                }
            }
            Outcome::MetricChanged { metric, to, cause, from } => {
                s.metrics[metric.ix()] = *to;
                if let Cause::Cost(_) | Cause::Ongoing(_) = cause
                    && self.scenario.resources.spend_metric == Some(*metric)
                {
                    s.spent += to - from;
                }
            }
            Outcome::Facilitator { act } => match act {
                Intervention::Suppress { inject, on } => s.suppressed[inject.ix()] = *on,
                Intervention::Roll { dynamic, draw } => s.rolls[*dynamic as usize] = Some(*draw),
                _ => {}
            },
            Outcome::Spent { amount, .. } => s.spent += amount,
            Outcome::EffectSkipped { .. } | Outcome::Note { .. } => {}
            Outcome::TurnEnded { .. } => {}
            Outcome::GameEnded => s.finished = true,
        }
        self.log.push(o);
    }

    /// Applies `metric op= value` with clamping; logs a change only if the value moves.
    fn effect(&mut self, metric: MetricIdx, op: Op, value: f64, cause: Cause) {
        let def = &self.scenario.metrics[metric.ix()];
        let from = self.state.metrics[metric.ix()];
        let raw = match op {
            Op::Add => from + value,
            Op::Sub => from - value,
            Op::Mul => from * value,
            Op::Set => value,
        };
        if !raw.is_finite() {
            self.apply(Outcome::EffectSkipped { metric, cause });
            return;
        }
        let to = raw.clamp(def.min, def.max);
        if to != from {
            self.apply(Outcome::MetricChanged { metric, from, to, cause });
        }
    }

    fn effects(&mut self, effects: &[Effect], cause: Cause) {
        for e in effects {
            let v = e.value.eval(&self.ctx());
            self.effect(e.metric, e.op, v, cause);
        }
    }

    /// Positions the random stream at slot `slot` of turn `turn`. Each inject and each
    /// dynamic owns a slot, drawn whether used or not, so one choice never shifts the
    /// random numbers of another: what-if replays compare like with like.
    fn seek(&mut self, turn: usize, slot: usize) {
        self.rng.set_stream(turn as u64);
        self.rng.set_word_pos(2 * slot as u128);
    }

    /// The next uniform draw in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * UNIT
    }

    fn begin_turn(&mut self, turn: usize) {
        self.apply(Outcome::TurnStarted { turn: turn as u16 });
        let scenario = Arc::clone(&self.scenario);
        self.seek(turn, 0);
        for (i, inj) in scenario.injects.iter().enumerate() {
            let u = self.uniform();
            if (self.state.fired[i] > 0 && !inj.repeat) || self.state.suppressed[i] {
                continue;
            }
            if inj.at.is_some_and(|t| t != turn) || !self.holds(&inj.when) {
                continue;
            }
            let p = inj.probability.as_ref().map_or(1.0, |p| p.eval(&self.ctx()));
            if u >= p {
                continue;
            }
            self.apply(Outcome::InjectFired { inject: InjectIdx::at(i) });
            self.effects(&inj.effects, Cause::Inject(InjectIdx::at(i)));
        }
        if self.keep_undo {
            self.turn_start = Some(self.mark());
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            state: self.state.clone(),
            log_len: self.log.len(),
            actions_len: self.actions.len(),
            history_len: self.history.len(),
        }
    }

    fn restore(&mut self, mark: Mark) {
        self.state = mark.state;
        self.log.truncate(mark.log_len);
        self.actions.truncate(mark.actions_len);
        self.history.truncate(mark.history_len);
    }

    /// The first turn in which a mitigation ready on `ready_day` is in effect: the turn whose
    /// days that day falls in (a lead of half a day on a one-day turn works that same turn).
    fn ready_turn(&self, ready_day: f64) -> Option<usize> {
        self.scenario.turns.iter().position(|t| ready_before_end(ready_day, t)).map(|t| t.max(self.state.turn))
    }

    fn taken_this_turn(&self, m: MitigationIdx) -> bool {
        let t = self.state.turn;
        self.actions.iter().rev().take_while(|(at, _)| *at == t).any(|(_, a)| *a == Action::Take(m))
    }

    /// Where a mitigation card stands now.
    pub fn card(&self, m: MitigationIdx) -> CardState {
        let this_turn = self.taken_this_turn(m);
        match self.state.status[m.ix()] {
            MitStatus::Active => CardState::Active { taken_this_turn: this_turn },
            MitStatus::Pending => CardState::Pending {
                ready_turn: self.ready_turn(self.state.ready_day[m.ix()]),
                taken_this_turn: this_turn,
            },
            MitStatus::Done if self.scenario.mitigations[m.ix()].kind == Kind::OneShot => CardState::Done,
            _ => match self.check_action(Action::Take(m)) {
                Ok(()) => CardState::Available,
                Err(lock) => CardState::Locked(lock),
            },
        }
    }

    /// Whether an action is legal now, and why not (the rule cards and bots read; a
    /// player's step is checked whole by [`Game::check`]).
    pub fn check_action(&self, action: Action) -> Result<(), Lock> {
        if self.state.finished {
            return Err(Lock::Finished);
        }
        let sc = &self.scenario;
        match action {
            Action::Take(m) => {
                let def = sc.mitigations.get(m.ix()).ok_or(Lock::Unknown("mitigation"))?;
                match self.state.status[m.ix()] {
                    MitStatus::Active => return Err(Lock::Active),
                    MitStatus::Pending => return Err(Lock::Pending),
                    MitStatus::Done if def.kind == Kind::OneShot => return Err(Lock::Done),
                    _ => {}
                }
                if let Some(r) = def.requires.iter().find(|r| !self.state.taken[r.ix()]) {
                    return Err(Lock::Requires(sc.mitigations[r.ix()].label.clone()));
                }
                if !self.holds(&def.available) {
                    return Err(if def.unavailable_text.is_empty() {
                        Lock::NeedsFormula(def.available.as_ref().map(|f| f.source().to_owned()).unwrap_or_default())
                    } else {
                        Lock::Unavailable(def.unavailable_text.clone())
                    });
                }
                if def.points > self.state.points_left {
                    return Err(Lock::Points { need: def.points, left: self.state.points_left });
                }
                if let Some(left) = self.budget_left()
                    && def.money > left + 1e-6
                {
                    let cur = &sc.resources.currency;
                    return Err(Lock::Budget {
                        need: format!("{} {cur}", format_number(def.money, 0)),
                        left: format!("{} {cur}", format_number(left, 0)),
                    });
                }
                Ok(())
            }
            Action::Stop(m) => {
                let def = sc.mitigations.get(m.ix()).ok_or(Lock::Unknown("mitigation"))?;
                let running = matches!(self.state.status[m.ix()], MitStatus::Active | MitStatus::Pending);
                if !running {
                    return Err(Lock::NotRunning(def.label.clone()));
                }
                if def.kind == Kind::OneShot && !self.taken_this_turn(m) {
                    return Err(Lock::OneShot(def.label.clone()));
                }
                Ok(())
            }
            Action::Choose(i, o) => {
                let inj = sc.injects.get(i.ix()).ok_or(Lock::Unknown("decision"))?;
                if !self.state.due.iter().any(|(d, _)| *d == i) {
                    return Err(Lock::NoDecision(inj.title.clone()));
                }
                if o as usize >= inj.options.len() {
                    return Err(Lock::Unknown("option"));
                }
                Ok(())
            }
        }
    }

    /// Every action legal now (mitigations to take or stop, options of due decisions).
    pub fn legal_actions(&self) -> Vec<Action> {
        let mut out = Vec::new();
        for m in MitigationIdx::all(self.scenario.mitigations.len()) {
            for a in [Action::Take(m), Action::Stop(m)] {
                if self.check_action(a).is_ok() {
                    out.push(a);
                }
            }
        }
        for &(i, _) in &self.state.due {
            for o in 0..self.scenario.injects[i.ix()].options.len() as u16 {
                out.push(Action::Choose(i, o));
            }
        }
        out
    }

    /// Records the players' reasoning for this turn (kept in the log and the report): the
    /// text trimmed, its first `NOTE_MAX_CHARS` characters.
    pub fn note(&mut self, text: &str) -> Result<(), Lock> {
        let text = note_text(text);
        if !text.is_empty() && !self.state.finished {
            self.room_for_record()?;
            self.apply(Outcome::Note { text });
        }
        Ok(())
    }

    /// Refuses one more note or record on a turn that holds [`MAX_RECORDS_PER_TURN`].
    pub(crate) fn room_for_record(&self) -> Result<(), Lock> {
        if records_in_last_turn(&self.log) >= MAX_RECORDS_PER_TURN {
            Err(Lock::TooManyRecords(MAX_RECORDS_PER_TURN))
        } else {
            Ok(())
        }
    }

    /// Takes an action in the current turn. Stopping a mitigation taken this turn, or
    /// choosing again in a decision, takes the earlier move back as if never made.
    pub fn act(&mut self, action: Action) -> Result<(), Lock> {
        self.check_action(action)?;
        if let Some(old) = self.retraction(action)? {
            self.retract(old)?;
            if matches!(action, Action::Stop(_)) {
                return Ok(());
            }
        }
        self.perform(action);
        self.actions.push((self.state.turn, action));
        Ok(())
    }

    /// The earlier move of this turn that `action` takes back, if any, once it is known
    /// that it can be taken back (it was made since the turn began or since the
    /// facilitator's last change, which stays).
    pub(crate) fn retraction(&self, action: Action) -> Result<Option<Action>, Lock> {
        let old = match action {
            Action::Stop(m) if self.taken_this_turn(m) => Some(Action::Take(m)),
            Action::Choose(i, _) => self.this_turn_actions().find(|a| matches!(a, Action::Choose(j, _) if *j == i)),
            _ => None,
        };
        let Some(old) = old else { return Ok(None) };
        let Some(start) = self.turn_start.as_ref() else {
            return Err(Lock::Unknown(UNDO_RECORD));
        };
        if !self.actions[start.actions_len.min(self.actions.len())..].iter().any(|(_, a)| *a == old) {
            return Err(Lock::BeforeIntervention);
        }
        Ok(Some(old))
    }

    fn this_turn_actions(&self) -> impl Iterator<Item = Action> + '_ {
        let t = self.state.turn;
        self.actions.iter().rev().take_while(move |(at, _)| *at == t).map(|(_, a)| *a)
    }

    /// Rebuilds this turn from its start without `old`.
    fn retract(&mut self, old: Action) -> Result<(), Lock> {
        let Some(start) = self.turn_start.clone() else {
            return Err(Lock::Unknown(UNDO_RECORD));
        };
        // Since the turn began, or since the facilitator's last change (which stays).
        let mut redo: Vec<Action> = self.actions[start.actions_len..].iter().map(|(_, a)| *a).collect();
        let Some(pos) = redo.iter().position(|a| *a == old) else {
            return Err(Lock::BeforeIntervention);
        };
        redo.remove(pos);
        // Records made since then (the players' notes, a step back, the timer) stay, in order.
        let kept: Vec<Outcome> =
            self.log[start.log_len.min(self.log.len())..].iter().filter(|o| is_record(o)).cloned().collect();
        self.restore(start);
        for o in kept {
            self.apply(o);
        }
        for a in redo {
            // Actions that depended on the retracted one are dropped with it.
            if self.check_action(a).is_ok() {
                self.perform(a);
                self.actions.push((self.state.turn, a));
            }
        }
        Ok(())
    }

    fn perform(&mut self, action: Action) {
        let scenario = Arc::clone(&self.scenario);
        match action {
            Action::Take(m) => {
                let def = &scenario.mitigations[m.ix()];
                self.apply(Outcome::MitigationTaken { mitigation: m, points: def.points });
                if let Some(spend) = scenario.resources.spend_metric
                    && def.money > 0.0
                {
                    self.effect(spend, Op::Add, def.money, Cause::Cost(m));
                } else if def.money > 0.0 {
                    self.apply(Outcome::Spent { amount: def.money, cause: Cause::Cost(m) });
                }
                self.effects(&def.on_take, Cause::Take(m));
            }
            Action::Stop(m) => {
                self.apply(Outcome::MitigationStopped { mitigation: m });
                self.effects(&scenario.mitigations[m.ix()].on_stop, Cause::Stop(m));
            }
            Action::Choose(i, o) => {
                self.apply(Outcome::DecisionMade { inject: i, option: o, by_default: false });
                self.effects(&scenario.injects[i.ix()].options[o as usize].effects, Cause::Decision(i, o));
            }
        }
    }

    /// Resolves the turn: unanswered decisions take their default, mitigations whose lead
    /// time is over take effect, ongoing effects and dynamics run, then the next turn
    /// begins (or the game ends).
    pub fn end_turn(&mut self) {
        if self.state.finished {
            return;
        }
        if self.keep_undo {
            self.turn_marks.push((self.mark(), self.turn_start.clone()));
        }
        let scenario = Arc::clone(&self.scenario);
        let turn = self.state.turn;
        let tdef = &scenario.turns[turn];
        for k in 0..self.state.due.len() {
            let (i, answered) = self.state.due[k];
            if !answered {
                let inj = &scenario.injects[i.ix()];
                self.apply(Outcome::DecisionMade { inject: i, option: inj.default_option, by_default: true });
                self.effects(&inj.options[inj.default_option as usize].effects, Cause::Decision(i, inj.default_option));
            }
        }
        for (m, def) in scenario.mitigations.iter().enumerate() {
            if self.state.status[m] == MitStatus::Pending && ready_before_end(self.state.ready_day[m], tdef) {
                self.apply(Outcome::MitigationActivated { mitigation: MitigationIdx::at(m) });
                self.effects(&def.on_activate, Cause::Activate(MitigationIdx::at(m)));
            }
        }
        for (k, def) in scenario.metrics.iter().enumerate() {
            if let Some(base) = def.resets_to {
                self.effect(MetricIdx::at(k), Op::Set, base, Cause::Reset);
            }
        }
        for (m, def) in scenario.mitigations.iter().enumerate() {
            if self.state.status[m] != MitStatus::Active {
                continue;
            }
            let cause = Cause::Ongoing(MitigationIdx::at(m));
            if def.upkeep > 0.0 {
                match scenario.resources.spend_metric {
                    Some(spend) => self.effect(spend, Op::Add, def.upkeep * tdef.days, cause),
                    None => self.apply(Outcome::Spent { amount: def.upkeep * tdef.days, cause }),
                }
            }
            self.effects(&def.while_active, cause);
        }
        self.seek(turn, scenario.injects.len());
        for (d, dynamic) in scenario.dynamics.iter().enumerate() {
            let drawn = self.uniform();
            let u = self.state.rolls[d].unwrap_or(drawn);
            if !self.holds(&dynamic.when) {
                continue;
            }
            let mut v = dynamic.effect.value.eval(&self.ctx());
            if dynamic.noise > 0.0 {
                v *= 1.0 + dynamic.noise * (2.0 * u - 1.0);
            }
            self.effect(dynamic.effect.metric, dynamic.effect.op, v, Cause::Dynamic(d as u16));
        }
        self.apply(Outcome::TurnEnded { turn: turn as u16 });
        self.history.push(self.state.metrics.clone());
        if turn + 1 < scenario.turns.len() {
            self.begin_turn(turn + 1);
        } else {
            self.apply(Outcome::GameEnded);
        }
    }

    /// Whether an inject is kept from firing by the facilitator.
    pub fn is_suppressed(&self, i: InjectIdx) -> bool {
        self.state.suppressed.get(i.ix()).copied().unwrap_or(false)
    }

    /// This turn's draw of a dynamic, if the facilitator fixed it.
    pub fn fixed_roll(&self, d: u16) -> Option<f64> {
        self.state.rolls.get(d as usize).copied().flatten()
    }

    /// Whether the facilitator's console can do `act` now, and why not (an inject that
    /// fired and does not repeat, or is facing the players, cannot be triggered).
    pub fn check_intervention(&self, act: &Intervention) -> Result<(), Lock> {
        if self.state.finished {
            return Err(Lock::Finished);
        }
        let sc = &self.scenario;
        match *act {
            Intervention::Trigger { inject } => {
                let inj = sc.injects.get(inject.ix()).ok_or(Lock::Unknown("inject"))?;
                if self.state.fired[inject.ix()] > 0 && !inj.repeat {
                    return Err(Lock::Fired(inj.title.clone()));
                }
                if self.state.due.iter().any(|(i, _)| *i == inject) {
                    return Err(Lock::AlreadyDue(inj.title.clone()));
                }
            }
            Intervention::Suppress { inject, .. } => {
                sc.injects.get(inject.ix()).ok_or(Lock::Unknown("inject"))?;
            }
            Intervention::SetMetric { metric, value } => {
                let def = sc.metrics.get(metric.ix()).ok_or(Lock::Unknown("metric"))?;
                if !value.is_finite() {
                    return Err(Lock::NotANumber(def.label.clone()));
                }
            }
            Intervention::Roll { dynamic, draw } => {
                sc.dynamics.get(dynamic as usize).ok_or(Lock::Unknown("dynamic rule"))?;
                if !draw.is_finite() {
                    return Err(Lock::NotANumber(DRAW.into()));
                }
            }
            Intervention::SteppedBack { .. } | Intervention::TimeUp => return Err(Lock::Unknown("intervention")),
        }
        Ok(())
    }

    /// Applies a facilitator's intervention from the console. Stepping back and the turn
    /// timer have their own methods ([`Game::step_back`], [`Game::time_up`]).
    pub fn intervene(&mut self, act: Intervention) -> Result<(), Lock> {
        self.check_intervention(&act)?;
        let scenario = Arc::clone(&self.scenario);
        match act {
            Intervention::Trigger { inject } => {
                self.apply(Outcome::Facilitator { act });
                self.apply(Outcome::InjectFired { inject });
                self.effects(&scenario.injects[inject.ix()].effects, Cause::Inject(inject));
            }
            Intervention::Suppress { .. } => self.apply(Outcome::Facilitator { act }),
            Intervention::SetMetric { metric, value } => {
                let def = &scenario.metrics[metric.ix()];
                let value = value.clamp(def.min, def.max);
                self.apply(Outcome::Facilitator { act: Intervention::SetMetric { metric, value } });
                self.effect(metric, Op::Set, value, Cause::Facilitator);
            }
            Intervention::Roll { dynamic, draw } => {
                self.apply(Outcome::Facilitator { act: Intervention::Roll { dynamic, draw: draw.clamp(0.0, 1.0) } });
            }
            Intervention::SteppedBack { .. } | Intervention::TimeUp => return Err(Lock::Unknown("intervention")),
        }
        // Taking back a player's move rebuilds the turn from here: the change stays.
        if self.keep_undo {
            self.turn_start = Some(self.mark());
        }
        Ok(())
    }

    /// The facilitator steps back a turn: the previous turn as it stood before "End turn",
    /// with a record of the step in the log.
    /// The players' moves of the turn stepped back to can still be changed.
    pub fn step_back(&mut self) -> Result<(), Lock> {
        self.check_step_back()?;
        // From a finished game, the step is back from its end.
        let from = if self.state.finished { self.scenario.turns.len() } else { self.state.turn } as u16;
        self.undo();
        self.apply(Outcome::Facilitator { act: Intervention::SteppedBack { from } });
        Ok(())
    }

    /// Whether the facilitator can step back a turn now, and why not.
    pub fn check_step_back(&self) -> Result<(), Lock> {
        let Some((mark, _)) = self.turn_marks.last() else { return Err(Lock::NothingToUndo) };
        // The turn stepped back to must have room for the record of the step.
        if records_in_last_turn(&self.log[..mark.log_len.min(self.log.len())]) >= MAX_RECORDS_PER_TURN {
            return Err(Lock::TooManyRecords(MAX_RECORDS_PER_TURN));
        }
        Ok(())
    }

    /// Re-applies an intervention that is only a record (a step back, the timer), when a
    /// save is replayed.
    pub(crate) fn record(&mut self, act: Intervention) -> Result<(), Lock> {
        self.room_for_record()?;
        self.apply(Outcome::Facilitator { act });
        Ok(())
    }

    /// The turn timer ran out: records it and ends the turn (decisions take their defaults).
    pub fn time_up(&mut self) {
        if self.state.finished {
            return;
        }
        self.apply(Outcome::Facilitator { act: Intervention::TimeUp });
        self.end_turn();
    }

    /// Whether `undo` can step back.
    pub fn can_undo(&self) -> bool {
        !self.turn_marks.is_empty()
    }

    /// Steps back to the previous turn as it stood before "End turn", with its actions still
    /// taken (they can then be changed). Returns false if there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some((mark, turn_start)) = self.turn_marks.pop() else { return false };
        self.restore(mark);
        self.turn_start = turn_start;
        true
    }

    /// Plays every remaining turn, taking each turn's actions from `path` (illegal ones are
    /// skipped), and returns how many actions were refused.
    pub fn play_out(&mut self, path: &Path) -> usize {
        self.play_until(path, usize::MAX)
    }

    /// Like [`Game::play_out`], but stops at the start of turn `turn` (a what-if branches
    /// there: "Replay from").
    pub fn play_until(&mut self, path: &Path, turn: usize) -> usize {
        let mut refused = 0;
        while !self.state.finished && self.state.turn < turn {
            for &a in path.on(self.state.turn) {
                if self.act(a).is_err() {
                    refused += 1;
                }
            }
            self.end_turn();
        }
        refused
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

/// A seeded bot that takes random legal actions, for tests and the balancer.
#[derive(Debug, Clone)]
pub struct RandomBot {
    rng: ChaCha8Rng,
    /// Chance of taking one more action each time it considers one.
    pub eagerness: f64,
}

impl RandomBot {
    pub fn new(seed: u64) -> Self {
        Self { rng: ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15), eagerness: 0.5 }
    }

    fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * UNIT
    }

    /// Takes this turn's actions (answering every due decision), without ending the turn.
    pub fn act(&mut self, game: &mut Game) {
        let due: Vec<InjectIdx> = game.due_decisions().map(|(i, _)| i).collect();
        for i in due {
            let n = game.scenario().injects[i.ix()].options.len() as u64;
            let o = (self.rng.next_u64() % n.max(1)) as u16;
            let _ = game.act(Action::Choose(i, o));
        }
        while self.uniform() < self.eagerness {
            let legal: Vec<Action> =
                game.legal_actions().into_iter().filter(|a| !matches!(a, Action::Choose(..))).collect();
            if legal.is_empty() {
                break;
            }
            let a = legal[(self.rng.next_u64() % legal.len() as u64) as usize];
            let _ = game.act(a);
        }
    }

    /// Plays a whole game.
    pub fn play(&mut self, game: &mut Game) {
        while !game.is_finished() {
            self.act(game);
            game.end_turn();
        }
    }
}
