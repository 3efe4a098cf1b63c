//! The rules of a turn: what a move does (checked first, then performed), taking a move
//! back, and ending a turn (injects, dynamics, decisions' defaults, the next turn's start).
//! Every change of state goes through [`Game::apply`].

use super::*;

impl Game {
    /// The only place state changes: every change is an entry of the log.
    pub(super) fn apply(&mut self, o: Outcome) {
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
    pub(super) fn effect(&mut self, metric: MetricIdx, op: Op, value: f64, cause: Cause) {
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

    pub(super) fn effects(&mut self, effects: &[Effect], cause: Cause) {
        for e in effects {
            let v = e.value.eval(&self.ctx());
            self.effect(e.metric, e.op, v, cause);
        }
    }

    /// Positions the random stream at slot `slot` of turn `turn`. Each inject and each
    /// dynamic owns a slot, drawn whether used or not, so one choice never shifts the
    /// random numbers of another: what-if replays compare like with like.
    pub(super) fn seek(&mut self, turn: usize, slot: usize) {
        self.rng.set_stream(turn as u64);
        self.rng.set_word_pos(2 * slot as u128);
    }

    /// The next uniform draw in [0, 1).
    pub(super) fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * UNIT
    }

    pub(super) fn begin_turn(&mut self, turn: usize) {
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

    pub(super) fn mark(&self) -> Mark {
        Mark {
            state: self.state.clone(),
            log_len: self.log.len(),
            actions_len: self.actions.len(),
            history_len: self.history.len(),
        }
    }

    pub(super) fn restore(&mut self, mark: Mark) {
        self.state = mark.state;
        self.log.truncate(mark.log_len);
        self.actions.truncate(mark.actions_len);
        self.history.truncate(mark.history_len);
    }

    /// The first turn in which a mitigation ready on `ready_day` is in effect: the turn whose
    /// days that day falls in (a lead of half a day on a one-day turn works that same turn).
    pub(super) fn ready_turn(&self, ready_day: f64) -> Option<usize> {
        self.scenario.turns.iter().position(|t| ready_before_end(ready_day, t)).map(|t| t.max(self.state.turn))
    }

    pub(super) fn taken_this_turn(&self, m: MitigationIdx) -> bool {
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
                let def = sc.mitigations.get(m.ix()).ok_or(Lock::Unknown(Missing::Mitigation))?;
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
                    return Err(Lock::Budget { need: def.money, left, currency: sc.resources.currency.clone() });
                }
                Ok(())
            }
            Action::Stop(m) => {
                let def = sc.mitigations.get(m.ix()).ok_or(Lock::Unknown(Missing::Mitigation))?;
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
                let inj = sc.injects.get(i.ix()).ok_or(Lock::Unknown(Missing::Decision))?;
                if !self.state.due.iter().any(|(d, _)| *d == i) {
                    return Err(Lock::NoDecision(inj.title.clone()));
                }
                if o as usize >= inj.options.len() {
                    return Err(Lock::Unknown(Missing::Option));
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
            return Err(Lock::Unknown(Missing::UndoRecord));
        };
        if !self.actions[start.actions_len.min(self.actions.len())..].iter().any(|(_, a)| *a == old) {
            return Err(Lock::BeforeIntervention);
        }
        Ok(Some(old))
    }

    pub(super) fn this_turn_actions(&self) -> impl Iterator<Item = Action> + '_ {
        let t = self.state.turn;
        self.actions.iter().rev().take_while(move |(at, _)| *at == t).map(|(_, a)| *a)
    }

    /// Rebuilds this turn from its start without `old`.
    pub(super) fn retract(&mut self, old: Action) -> Result<(), Lock> {
        let Some(start) = self.turn_start.clone() else {
            return Err(Lock::Unknown(Missing::UndoRecord));
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

    pub(super) fn perform(&mut self, action: Action) {
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
}
