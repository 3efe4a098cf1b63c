//! The facilitator's hand on a game (triggering and suppressing injects, setting metrics,
//! fixing rolls, stepping back, the timer), undo, and playing a scripted path.

use super::*;

impl Game {
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
                let inj = sc.injects.get(inject.ix()).ok_or(Lock::Unknown(Missing::Inject))?;
                if self.state.fired[inject.ix()] > 0 && !inj.repeat {
                    return Err(Lock::Fired(inj.title.clone()));
                }
                if self.state.due.iter().any(|(i, _)| *i == inject) {
                    return Err(Lock::AlreadyDue(inj.title.clone()));
                }
            }
            Intervention::Suppress { inject, .. } => {
                sc.injects.get(inject.ix()).ok_or(Lock::Unknown(Missing::Inject))?;
            }
            Intervention::SetMetric { metric, value } => {
                let def = sc.metrics.get(metric.ix()).ok_or(Lock::Unknown(Missing::Metric))?;
                if !value.is_finite() {
                    return Err(Lock::NotANumber(def.label.clone()));
                }
            }
            Intervention::Roll { dynamic, draw } => {
                sc.dynamics.get(dynamic as usize).ok_or(Lock::Unknown(Missing::DynamicRule))?;
                if !draw.is_finite() {
                    return Err(Lock::DrawNotANumber);
                }
            }
            Intervention::SteppedBack { .. } | Intervention::TimeUp => {
                return Err(Lock::Unknown(Missing::Intervention));
            }
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
            Intervention::SteppedBack { .. } | Intervention::TimeUp => {
                return Err(Lock::Unknown(Missing::Intervention));
            }
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
