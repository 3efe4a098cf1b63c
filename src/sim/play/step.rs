//! The one typed step: every change a player, the facilitator or the turn timer makes to a
//! game, as saves, the workshop server, its database and every client speak it.
//!
//! A step names what it acts on by id (a mitigation, an inject, a metric), so a save stays
//! readable and a client in another language sends the same step. [`Game::check`] says,
//! without changing anything, whether a step would be taken; [`apply_step`] takes it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::sim::play::game::{Game, Intervention, Lock, NOTE_MAX_CHARS, note_text};
use crate::sim::scenario::{Action, Scenario};

/// Longest id or option a step may carry, in bytes.
pub const MAX_ID_BYTES: usize = 200;

/// One change to a game.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// The players take a mitigation.
    Take { mitigation: String },
    /// The players stop a running mitigation (or take back one taken this turn).
    Stop { mitigation: String },
    /// The players answer a decision facing them.
    Choose { decision: String, option: String },
    /// The players' stated reason for what they did this turn.
    Note { text: String },
    /// The turn ends (the players, the facilitator or the timer).
    EndTurn,
    /// The turn timer ran out (a record; the turn's end follows as its own step).
    TimeUp,
    /// The facilitator fires an inject now.
    Trigger { inject: String },
    /// The facilitator keeps an inject from firing.
    Suppress { inject: String },
    /// The facilitator lets a suppressed inject fire again.
    Allow { inject: String },
    /// The facilitator sets a metric.
    SetMetric { metric: String, value: f64 },
    /// The facilitator fixes this turn's draw of a dynamic rule (0 to 1).
    Roll { dynamic: String, draw: f64 },
    /// The facilitator steps the game back a turn.
    StepBack,
    /// The record a step back leaves in a save: the turn it stepped back from.
    SteppedBack { from: u16 },
}

/// A step and the turn it is made on (the turn the player sees, so a step meant for one
/// turn never lands on the next).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepAt {
    pub turn: usize,
    pub step: Step,
}

/// Who may send a step to a workshop server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// The team's players (and the facilitator for them).
    Players,
    /// The facilitator alone.
    Facilitator,
    /// Only the server itself (the timer) or a save's replay.
    Server,
}

/// Why a step was not taken.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum StepError {
    #[error("the team is on turn {now}, not {asked}: resync and try again")]
    WrongTurn { now: usize, asked: usize },
    #[error("the game is over")]
    Over,
    #[error("there is no {what} `{id}` in this scenario")]
    UnknownId { what: &'static str, id: String },
    #[error("that changes nothing in the game")]
    NoChange,
    #[error("{what} is too long (at most {most} characters)")]
    TooLong { what: &'static str, most: usize },
    #[error("{what} is not a finite number")]
    NotANumber { what: &'static str },
    #[error(transparent)]
    Locked(#[from] Lock),
}

/// A step with its ids looked up in a scenario: what the engine does with it.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Act(Action),
    Note(String),
    Intervene(Intervention),
    /// A record only (the timer, a step back replayed from a save).
    Record(Intervention),
    EndTurn,
    StepBack,
}

impl Step {
    /// Who may send it.
    pub fn author(&self) -> Author {
        match self {
            Self::Take { .. } | Self::Stop { .. } | Self::Choose { .. } | Self::Note { .. } | Self::EndTurn => {
                Author::Players
            }
            Self::Trigger { .. }
            | Self::Suppress { .. }
            | Self::Allow { .. }
            | Self::SetMetric { .. }
            | Self::Roll { .. }
            | Self::StepBack => Author::Facilitator,
            Self::TimeUp | Self::SteppedBack { .. } => Author::Server,
        }
    }

    /// Its name in the protocol and the database (`take`, `end_turn`, ...).
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Take { .. } => "take",
            Self::Stop { .. } => "stop",
            Self::Choose { .. } => "choose",
            Self::Note { .. } => "note",
            Self::EndTurn => "end_turn",
            Self::TimeUp => "time_up",
            Self::Trigger { .. } => "trigger",
            Self::Suppress { .. } => "suppress",
            Self::Allow { .. } => "allow",
            Self::SetMetric { .. } => "set_metric",
            Self::Roll { .. } => "roll",
            Self::StepBack => "step_back",
            Self::SteppedBack { .. } => "stepped_back",
        }
    }

    /// A player's move as a step.
    pub fn of_action(sc: &Scenario, action: Action) -> Self {
        match action {
            Action::Take(m) => Self::Take { mitigation: sc.mitigations[m.ix()].id.clone() },
            Action::Stop(m) => Self::Stop { mitigation: sc.mitigations[m.ix()].id.clone() },
            Action::Choose(i, o) => {
                let inj = &sc.injects[i.ix()];
                Self::Choose {
                    decision: inj.id.clone(),
                    option: inj.options.get(o as usize).map(|o| o.id.clone()).unwrap_or_default(),
                }
            }
        }
    }

    /// A facilitator's intervention (or a record) as a step.
    pub fn of_intervention(sc: &Scenario, act: &Intervention) -> Self {
        match *act {
            Intervention::Trigger { inject } => Self::Trigger { inject: sc.injects[inject.ix()].id.clone() },
            Intervention::Suppress { inject, on: true } => {
                Self::Suppress { inject: sc.injects[inject.ix()].id.clone() }
            }
            Intervention::Suppress { inject, on: false } => Self::Allow { inject: sc.injects[inject.ix()].id.clone() },
            Intervention::SetMetric { metric, value } => {
                Self::SetMetric { metric: sc.metrics[metric.ix()].id.clone(), value }
            }
            Intervention::Roll { dynamic, draw } => {
                Self::Roll { dynamic: sc.dynamics[dynamic as usize].id.clone(), draw }
            }
            Intervention::SteppedBack { from } => Self::SteppedBack { from },
            Intervention::TimeUp => Self::TimeUp,
        }
    }

    /// Refuses a step whose texts are longer than any game keeps (before looking anything up).
    pub fn check_sizes(&self) -> Result<(), StepError> {
        let long = |text: &str, what, most_bytes: usize, most: usize| {
            (text.len() > most_bytes || text.chars().count() > most).then_some(StepError::TooLong { what, most })
        };
        let id = |text: &str, what| long(text, what, MAX_ID_BYTES, MAX_ID_BYTES);
        let found = match self {
            Self::Take { mitigation } | Self::Stop { mitigation } => id(mitigation, "`mitigation`"),
            Self::Choose { decision, option } => id(decision, "`decision`").or_else(|| id(option, "`option`")),
            // A note the game would cut is still taken (cut), up to four bytes a character.
            Self::Note { text } => long(text, "`text`", NOTE_MAX_CHARS * 4, NOTE_MAX_CHARS),
            Self::Trigger { inject } | Self::Suppress { inject } | Self::Allow { inject } => id(inject, "`inject`"),
            Self::SetMetric { metric, .. } => id(metric, "`metric`"),
            Self::Roll { dynamic, .. } => id(dynamic, "`dynamic`"),
            Self::EndTurn | Self::TimeUp | Self::StepBack | Self::SteppedBack { .. } => None,
        };
        found.map_or(Ok(()), Err)
    }

    /// The step with its ids looked up in `sc`.
    pub fn resolve(&self, sc: &Scenario) -> Result<Resolved, StepError> {
        let unknown = |what, id: &str| StepError::UnknownId { what, id: id.to_owned() };
        let inject = |id: &str| sc.inject_index(id).ok_or_else(|| unknown("inject", id));
        let mitigation = |id: &str| sc.mitigation_index(id).ok_or_else(|| unknown("mitigation", id));
        Ok(match self {
            Self::Take { mitigation: m } => Resolved::Act(Action::Take(mitigation(m)?)),
            Self::Stop { mitigation: m } => Resolved::Act(Action::Stop(mitigation(m)?)),
            Self::Choose { decision, option } => {
                let i = sc.inject_index(decision).ok_or_else(|| unknown("decision", decision))?;
                let o = sc.injects[i.ix()].options.iter().position(|o| o.id == *option);
                Resolved::Act(Action::Choose(i, o.ok_or_else(|| unknown("option", option))? as u16))
            }
            Self::Note { text } => Resolved::Note(note_text(text)),
            Self::EndTurn => Resolved::EndTurn,
            Self::StepBack => Resolved::StepBack,
            Self::TimeUp => Resolved::Record(Intervention::TimeUp),
            Self::SteppedBack { from } => Resolved::Record(Intervention::SteppedBack { from: *from }),
            Self::Trigger { inject: id } => Resolved::Intervene(Intervention::Trigger { inject: inject(id)? }),
            Self::Suppress { inject: id } => {
                Resolved::Intervene(Intervention::Suppress { inject: inject(id)?, on: true })
            }
            Self::Allow { inject: id } => {
                Resolved::Intervene(Intervention::Suppress { inject: inject(id)?, on: false })
            }
            Self::SetMetric { metric, value } => {
                let m = sc.metric_index(metric).ok_or_else(|| unknown("metric", metric))?;
                if !value.is_finite() {
                    return Err(StepError::NotANumber { what: "`value`" });
                }
                Resolved::Intervene(Intervention::SetMetric { metric: m, value: *value })
            }
            Self::Roll { dynamic, draw } => {
                let d = sc
                    .dynamics
                    .iter()
                    .position(|d| d.id == *dynamic)
                    .ok_or_else(|| unknown("dynamic rule", dynamic))?;
                if !draw.is_finite() {
                    return Err(StepError::NotANumber { what: "`draw`" });
                }
                Resolved::Intervene(Intervention::Roll { dynamic: d as u16, draw: *draw })
            }
        })
    }

    /// The step as the database's columns (verb, id, option): the form version 1 saves
    /// also used.
    pub fn columns(&self) -> (&'static str, String, Option<String>) {
        let verb = self.verb();
        match self {
            Self::Take { mitigation: id } | Self::Stop { mitigation: id } => (verb, id.clone(), None),
            Self::Choose { decision, option } => (verb, decision.clone(), Some(option.clone())),
            Self::Note { text } => (verb, text.clone(), None),
            Self::Trigger { inject } | Self::Suppress { inject } | Self::Allow { inject } => {
                (verb, inject.clone(), None)
            }
            Self::SetMetric { metric, value } => ("set", metric.clone(), Some(value.to_string())),
            Self::Roll { dynamic, draw } => (verb, dynamic.clone(), Some(draw.to_string())),
            // A step back's record was called "back" in version 1 saves.
            Self::SteppedBack { from } => ("back", from.to_string(), None),
            Self::EndTurn | Self::TimeUp | Self::StepBack => (verb, String::new(), None),
        }
    }

    /// A step from a workshop database's columns: as [`Step::from_columns`], but an
    /// `option` on a step that takes none (which servers before typed steps stored as sent,
    /// and ignored) is ignored again.
    pub fn from_stored(verb: &str, id: &str, option: Option<&str>) -> Result<Self, ColumnsError> {
        match Self::from_columns(verb, id, option) {
            Err(ColumnsError::StrayOption { .. }) => Self::from_columns(verb, id, None),
            other => other,
        }
    }

    /// A step from the database's columns (or a version 1 save's action).
    pub fn from_columns(verb: &str, id: &str, option: Option<&str>) -> Result<Self, ColumnsError> {
        let number = |what| {
            let text = option.unwrap_or("");
            text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or(ColumnsError::Number { what, text: text.into() })
        };
        let id = id.to_owned();
        let step = match verb {
            "take" => Self::Take { mitigation: id },
            "stop" => Self::Stop { mitigation: id },
            "choose" => Self::Choose { decision: id, option: option.unwrap_or("").to_owned() },
            "note" => Self::Note { text: id },
            "end_turn" => Self::EndTurn,
            "time_up" => Self::TimeUp,
            "trigger" => Self::Trigger { inject: id },
            "suppress" => Self::Suppress { inject: id },
            "allow" => Self::Allow { inject: id },
            "set" => Self::SetMetric { metric: id, value: number("value")? },
            "roll" => Self::Roll { dynamic: id, draw: number("draw")? },
            "step_back" => Self::StepBack,
            "back" => {
                Self::SteppedBack { from: id.parse().map_err(|_| ColumnsError::Number { what: "turn", text: id })? }
            }
            other => return Err(ColumnsError::Verb(other.into())),
        };
        match option {
            Some(o) if !matches!(step, Self::Choose { .. } | Self::SetMetric { .. } | Self::Roll { .. }) => {
                Err(ColumnsError::StrayOption { verb: verb.into(), option: o.into() })
            }
            _ => Ok(step),
        }
    }
}

/// Replays a step a workshop server stored: as [`apply_step`], but a step that changed the
/// game only in the order of its log (an answer given again) is taken as the server then
/// took it, so every database written before [`Game::check`] existed replays.
pub fn replay_step(game: &mut Game, at: &StepAt) -> Result<(), StepError> {
    match apply_step(game, at) {
        Err(StepError::NoChange) if matches!(at.step, Step::Choose { .. }) => {
            if let Resolved::Act(action) = at.step.resolve(game.scenario())? {
                game.act(action)?;
            }
            Ok(())
        }
        other => other,
    }
}

/// Why stored columns are not a step.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum ColumnsError {
    #[error("“{0}” is not a step")]
    Verb(String),
    #[error("a “{verb}” carries no `option` (it has “{option}”)")]
    StrayOption { verb: String, option: String },
    #[error("the {what} “{text}” is not a finite number")]
    Number { what: &'static str, text: String },
}

impl Game {
    /// Whether `step` would be taken now, and why not, without changing anything: the
    /// same answer [`apply_step`] gives (a step that would change nothing, like an empty
    /// note or the answer already given, is refused too).
    pub fn check(&self, step: &Step) -> Result<(), StepError> {
        step.check_sizes()?;
        // A decision that has not reached the players is no decision at all: a guessed id
        // learns nothing of what is to come (not its title, not whether its options exist).
        if let Step::Choose { decision, .. } = step {
            let fired = self.scenario().inject_index(decision).is_some_and(|i| self.fired_count(i) > 0);
            if !fired {
                return Err(StepError::UnknownId { what: "decision", id: decision.clone() });
            }
        }
        let resolved = step.resolve(self.scenario())?;
        // A finished game takes only a step back.
        if self.is_finished() && resolved != Resolved::StepBack {
            return Err(StepError::Over);
        }
        match resolved {
            Resolved::Act(action) => {
                self.check_action(action)?;
                if let Action::Choose(i, o) = action
                    && self.chosen_this_turn(i) == Some(o)
                {
                    return Err(StepError::NoChange);
                }
                self.retraction(action)?;
            }
            Resolved::Note(text) if text.is_empty() => return Err(StepError::NoChange),
            Resolved::Note(_) | Resolved::Record(_) => self.room_for_record()?,
            Resolved::Intervene(act) => self.check_intervention(&act)?,
            Resolved::EndTurn => {}
            Resolved::StepBack => self.check_step_back()?,
        }
        Ok(())
    }
}

/// Takes one step at its turn: what a save's replay, a workshop server and every client
/// replica do, in the same order, so they hold the same game.
pub fn apply_step(game: &mut Game, at: &StepAt) -> Result<(), StepError> {
    if at.turn != game.turn() {
        return Err(StepError::WrongTurn { now: game.turn() + 1, asked: at.turn.saturating_add(1) });
    }
    game.check(&at.step)?;
    match at.step.resolve(game.scenario())? {
        Resolved::Act(action) => game.act(action)?,
        Resolved::Note(text) => game.note(&text)?,
        Resolved::Intervene(act) => game.intervene(act)?,
        Resolved::Record(act) => game.record(act)?,
        Resolved::EndTurn => game.end_turn(),
        Resolved::StepBack => game.step_back()?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rand::{Rng as _, SeedableRng as _};

    use super::*;

    fn below(rng: &mut rand_chacha::ChaCha8Rng, n: usize) -> usize {
        (rng.next_u64() % n.max(1) as u64) as usize
    }

    fn between(rng: &mut rand_chacha::ChaCha8Rng, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Every step a player or the facilitator could send now, right or wrong.
    fn candidates(g: &Game, rng: &mut rand_chacha::ChaCha8Rng) -> Vec<Step> {
        let sc = g.scenario();
        let mut out = vec![
            Step::EndTurn,
            Step::TimeUp,
            Step::StepBack,
            Step::SteppedBack { from: 1 },
            Step::Note { text: "   ".into() },
            Step::Note { text: format!("why {}", rng.next_u32()) },
            Step::Take { mitigation: "no-such-card".into() },
            Step::SetMetric { metric: sc.metrics[0].id.clone(), value: f64::NAN },
        ];
        for m in &sc.mitigations {
            out.push(Step::Take { mitigation: m.id.clone() });
            out.push(Step::Stop { mitigation: m.id.clone() });
        }
        for inj in &sc.injects {
            for o in &inj.options {
                out.push(Step::Choose { decision: inj.id.clone(), option: o.id.clone() });
            }
            out.push(Step::Trigger { inject: inj.id.clone() });
            out.push(Step::Suppress { inject: inj.id.clone() });
            out.push(Step::Allow { inject: inj.id.clone() });
        }
        let m = &sc.metrics[below(rng, sc.metrics.len())];
        out.push(Step::SetMetric { metric: m.id.clone(), value: between(rng, -10.0, 200.0) });
        if let Some(d) = sc.dynamics.first() {
            out.push(Step::Roll { dynamic: d.id.clone(), draw: between(rng, 0.0, 1.0) });
        }
        out
    }

    /// `Game::check` gives the answer taking the step gives, for every kind of step, at
    /// every point of many random 7pay games, and changes nothing.
    #[test]
    fn check_answers_as_applying_would_for_every_kind_of_step() {
        let sc = Arc::new(crate::sim::bundled::seven_pay().expect("7pay").scenario);
        let (mut accepted, mut refused) = (0, 0);
        for seed in 0..6u64 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let mut g = Game::new(Arc::clone(&sc), seed);
            let mut moves = 0;
            while !g.is_finished() || moves < 2 {
                moves += 1;
                if moves > 400 {
                    break;
                }
                let before = g.log().to_vec();
                let mut ok = Vec::new();
                for step in candidates(&g, &mut rng) {
                    let checked = g.check(&step);
                    assert_eq!(g.log(), before.as_slice(), "check changed the game");
                    let mut trial = g.clone();
                    let applied = apply_step(&mut trial, &StepAt { turn: g.turn(), step: step.clone() });
                    // What the server holds: a step is taken when it is accepted and changes the log.
                    let taken = applied.is_ok() && trial.log() != before.as_slice();
                    match &checked {
                        Ok(()) => assert!(taken, "{step:?} checked fine but {applied:?} / unchanged"),
                        Err(StepError::NoChange) => assert!(!taken || matches!(step, Step::Choose { .. }), "{step:?}"),
                        Err(e) => assert!(applied.is_err(), "{step:?} refused by check ({e}) but applied"),
                    }
                    if checked.is_ok() {
                        accepted += 1;
                        ok.push(step);
                    } else {
                        refused += 1;
                    }
                }
                // Move on: mostly players' steps, the turn's end now and then, and at the
                // end a step back or two.
                let pick = ok
                    .iter()
                    .filter(|s| !matches!(s, Step::EndTurn | Step::StepBack | Step::SteppedBack { .. }))
                    .nth(below(&mut rng, ok.len()))
                    .filter(|_| below(&mut rng, 4) > 0)
                    .cloned()
                    .unwrap_or(if g.is_finished() { Step::StepBack } else { Step::EndTurn });
                let turn = g.turn();
                if apply_step(&mut g, &StepAt { turn, step: pick }).is_err() {
                    break;
                }
            }
        }
        assert!(accepted > 1_000 && refused > 1_000, "both answers are exercised: {accepted} / {refused}");
    }

    #[test]
    fn columns_read_back_as_the_same_step() {
        let steps = [
            Step::Take { mitigation: "a".into() },
            Step::Stop { mitigation: "a".into() },
            Step::Choose { decision: "d".into(), option: "o".into() },
            Step::Note { text: "why, “quoted”".into() },
            Step::EndTurn,
            Step::TimeUp,
            Step::Trigger { inject: "i".into() },
            Step::Suppress { inject: "i".into() },
            Step::Allow { inject: "i".into() },
            Step::SetMetric { metric: "m".into(), value: 0.1 + 0.2 },
            Step::Roll { dynamic: "d".into(), draw: 1.0 / 3.0 },
            Step::StepBack,
            Step::SteppedBack { from: 4 },
        ];
        for step in steps {
            let (verb, id, option) = step.columns();
            assert_eq!(Step::from_columns(verb, &id, option.as_deref()), Ok(step));
        }
        assert!(Step::from_columns("set", "m", Some("NaN")).is_err());
        assert!(Step::from_columns("take", "a", Some("x")).is_err());
        assert!(Step::from_columns("TAKE", "a", None).is_err());
    }
}
