//! A workshop's requests: steps (and the proposals of a move another role owns), seats,
//! decisions on proposals, votes and ballots, the turn timer, and which teams a request
//! acts on; each checked, stored, then applied and announced.

use std::sync::Arc;

use super::{MAX_TEAM_NAME, Refused, Role, TIMER_SECONDS, Workshop, refusal_of};
use crate::protocol::{ClientMsg, Code, Done, ServerMsg, TeamRefusal, TimerOrder, Who};
use crate::serve::error::CommitError;
use crate::serve::floor::{self, FloorEvent};
use crate::serve::now_ms;
use crate::serve::store::{Pace, Store, Timer};
use crate::sim::play::step::{Author, Resolved, Step, StepAt, StepError};
use crate::sim::scenario::Action;

impl Workshop {
    /// Handles a request from `role` (an unseated player's: see [`Workshop::handle_as`]).
    pub fn handle(&mut self, store: &mut Store, role: Role, msg: &ClientMsg) -> Result<ServerMsg, Refused> {
        self.handle_as(store, role, 0, msg)
    }

    /// Handles a request from `role`, player `player` of a team (0: nobody seated): checks
    /// it, writes each accepted step or table event to `store` before applying it,
    /// announces it; returns the reply to the sender.
    pub fn handle_as(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        msg: &ClientMsg,
    ) -> Result<ServerMsg, Refused> {
        let ok = || ServerMsg::Ok { done: Vec::new(), refused: Vec::new(), proposed: None };
        match msg {
            // The timer is the whole session's: no team to name.
            ClientMsg::Timer { order } => self.set_timer(store, role, *order, now_ms()).map(|()| ok()),
            ClientMsg::Sync { team } => self.targets(role, team.as_deref()).map(|_| ok()),
            ClientMsg::Step { turn, step, team } => {
                // A token acts only for its own team, proposals included.
                self.targets(role, team.as_deref())?;
                if let Role::Team(k) = role
                    && let Some(proposed) = self.owned_step(store, k, player, *turn, step)?
                {
                    return Ok(proposed);
                }
                let reply = self.step(store, role, *turn, step, team.as_deref())?;
                // Who made each move, for the session's record (scenarios with roles).
                if let Role::Team(k) = role
                    && !self.scenario.roles.is_empty()
                    && let ServerMsg::Ok { done, .. } = &reply
                    && !done.is_empty()
                {
                    let by = self.who(k, player);
                    let seq = self.teams[k].steps.saturating_sub(1);
                    // The turn the step was taken on (the one the request named, else the game's).
                    let turn = turn.unwrap_or(self.teams[k].game.turn());
                    let event = FloorEvent::Acted { seq, turn, step: step.clone(), by };
                    self.record(store, k, event, false)?;
                }
                Ok(reply)
            }
            ClientMsg::Seat { name, roles, player: seated, team } => {
                self.seat(role, player, (name, roles), *seated, team.as_deref()).map(|()| ok())
            }
            ClientMsg::Decide { proposal, accept, team } => {
                self.decide(store, role, player, *proposal, *accept, team.as_deref())
            }
            ClientMsg::CallVote { decision, seconds, team } => {
                self.call_vote(store, role, player, decision, *seconds, team.as_deref()).map(|()| ok())
            }
            ClientMsg::Ballot { decision, option } => self.ballot(store, role, player, decision, option).map(|()| ok()),
        }
    }

    /// Who player `player` of team `k` is (the facilitator, for player 0 of no seat).
    fn who(&self, k: usize, player: u64) -> Who {
        self.teams[k]
            .table
            .seats
            .get(&player)
            .cloned()
            .unwrap_or_else(|| Who { name: format!("Player {player}"), roles: Vec::new() })
    }

    /// Stores one of team `k`'s table events, then applies it; announced with its group's
    /// commit (`shown`: whether it changes what the table shows).
    fn record(&mut self, store: &mut Store, k: usize, event: FloorEvent, shown: bool) -> Result<(), Refused> {
        let json = serde_json::to_string(&event).map_err(|e| not_saved(&e))?;
        let at = now_ms();
        store.append_floor(&self.id, k, self.teams[k].floor_seq, at, &json).map_err(|e| not_saved(&e))?;
        let team = &mut self.teams[k];
        team.floor_seq += 1;
        team.table.apply(at, event);
        self.held_floor.push((k, shown));
        if !store.in_group() {
            self.announce_held();
        }
        Ok(())
    }

    /// A team player's move owned by a role they do not hold and another player at the
    /// table does: stored as a proposal to that role's players (Some: the reply). A decision addressed to other roles is refused as
    /// the engine refuses one it does not know; a decision under a vote waits for it.
    fn owned_step(
        &mut self,
        store: &mut Store,
        k: usize,
        player: u64,
        turn: Option<usize>,
        step: &Step,
    ) -> Result<Option<ServerMsg>, Refused> {
        let sc = Arc::clone(&self.scenario);
        let by = self.who(k, player);
        let held = floor::roles_of(&sc, &by);
        if let (Ok(Resolved::Act(Action::Choose(i, _))), Step::Choose { decision, .. }) = (step.resolve(&sc), step) {
            if !sc.roles.is_empty() && !sc.injects[i.ix()].reaches(Some(&held)) {
                return Err(refusal_of(&StepError::UnknownId { what: "decision", id: decision.clone() }));
            }
            if self.teams[k].table.open_vote(decision, self.teams[k].game.turn()).is_some() {
                return Err(Refused::new(Code::NoVote, "the team is voting on this decision: cast your vote")
                    .arg("decision", decision));
            }
        }
        let Some(owner) = floor::owner_of(&sc, step) else { return Ok(None) };
        // The owner's player acts; so does anyone when nobody at the table holds the role
        // (a team never waits for a seat nobody sits in).
        if held.contains(&owner) || !self.teams[k].table.held(&sc.roles[owner.ix()].id) {
            return Ok(None);
        }
        step.check_sizes().map_err(|e| refusal_of(&e))?;
        let game = &self.teams[k].game;
        let now = game.turn();
        // A proposal the owner could not accept now is refused now, with the engine's reason.
        if let Some(asked) = turn.filter(|t| *t != now) {
            return Err(refusal_of(&StepError::WrongTurn { now: now + 1, asked: asked.saturating_add(1) }));
        }
        game.check(step).map_err(|e| refusal_of(&e))?;
        let table = &self.teams[k].table;
        if let Some(same) = table.open_proposals_of(now).find(|p| p.step == *step) {
            return Ok(Some(ServerMsg::Ok { done: Vec::new(), refused: Vec::new(), proposed: Some(same.id) }));
        }
        if table.open_proposals(now) >= floor::MAX_OPEN_PROPOSALS {
            return Err(Refused::new(Code::TooLong, "too many open proposals: decide some first")
                .arg("most", floor::MAX_OPEN_PROPOSALS));
        }
        let id = table.next_proposal();
        let owner = sc.roles[owner.ix()].id.clone();
        self.record(store, k, FloorEvent::Proposed { id, turn: now, step: step.clone(), owner, by }, true)?;
        Ok(Some(ServerMsg::Ok { done: Vec::new(), refused: Vec::new(), proposed: Some(id) }))
    }

    /// The one team a table request is for.
    fn one_team(&self, role: Role, team: Option<&str>) -> Result<usize, Refused> {
        match self.targets(role, team)?.as_slice() {
            [k] => Ok(*k),
            _ => Err(Refused::new(Code::WhichTeam, "say which team: a table request is for one team")),
        }
    }

    /// A player says who they are and which roles they hold; the facilitator seats one.
    fn seat(
        &mut self,
        role: Role,
        player: u64,
        (name, roles): (&str, &[String]),
        seated: Option<u64>,
        team: Option<&str>,
    ) -> Result<(), Refused> {
        let k = self.one_team(role, team)?;
        let player = match (role, seated) {
            (Role::Team(_), None) => player,
            (Role::Team(_), Some(p)) if p == player => player,
            (Role::Team(_), Some(_)) => {
                return Err(Refused::new(Code::FacilitatorOnly, "only the facilitator seats another player")
                    .arg("verb", "seat"));
            }
            (Role::Facilitator, Some(p)) => p,
            (Role::Facilitator, None) => return Err(Refused::new(Code::WhichTeam, "say which player: `player`")),
        };
        if !self.teams[k].table.seats.contains_key(&player) {
            return Err(Refused::new(Code::NoTeam, format!("no player {player} at this table")).arg("team", player));
        }
        let name = floor::check_name(name)
            .map_err(|why| Refused::new(Code::TooLong, why.to_string()).arg("most", floor::MAX_NAME_CHARS))?;
        let mut held: Vec<String> = Vec::new();
        for id in roles.iter().take(crate::sim::author::validate::MAX_ROLES + 1) {
            if !self.scenario.roles.iter().any(|r| r.id == *id) {
                let known: Vec<&str> = self.scenario.roles.iter().map(|r| r.id.as_str()).collect();
                let hint = if known.is_empty() { "this scenario has no roles".to_owned() } else { known.join(", ") };
                return Err(Refused::new(
                    Code::Refused,
                    format!("no role `{}`: {hint}", id.chars().take(40).collect::<String>()),
                )
                .arg("why", hint));
            }
            if !held.contains(id) {
                held.push(id.clone());
            }
        }
        self.teams[k].table.seats.insert(player, Who { name, roles: held });
        self.announce_floor(k);
        // Who may act for which role changed: every player's buttons follow.
        self.publish(k);
        Ok(())
    }

    /// A player holding the owning role (or the facilitator) accepts or declines a proposal.
    fn decide(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        id: u64,
        accept: bool,
        team: Option<&str>,
    ) -> Result<ServerMsg, Refused> {
        let k = self.one_team(role, team)?;
        let turn = self.teams[k].game.turn();
        let Some(p) = self.teams[k].table.open_proposal(id, turn).cloned() else {
            return Err(Refused::new(Code::NoProposal, format!("no open proposal {id} this turn")).arg("proposal", id));
        };
        let by = match role {
            Role::Facilitator => Who { name: "Facilitator".into(), roles: Vec::new() },
            Role::Team(_) => self.who(k, player),
        };
        if role != Role::Facilitator && !by.roles.contains(&p.owner) {
            let label =
                self.scenario.roles.iter().find(|r| r.id == p.owner).map_or(p.owner.clone(), |r| r.label.clone());
            return Err(Refused::new(Code::NotYourRole, format!("{label} decides this")).arg("role", label));
        }
        let mut done = Vec::new();
        let seq = if accept {
            let refusals = self
                .commit_all(store, vec![(k, StepAt { turn: p.turn, step: p.step.clone() })], None)
                .map_err(|e| not_saved(&e))?;
            if let Some(Some(why)) = refusals.into_iter().next() {
                return Err(why);
            }
            done.push(Done { team: self.teams[k].name.clone(), seq: self.teams[k].steps });
            Some(self.teams[k].steps - 1)
        } else {
            None
        };
        self.record(store, k, FloorEvent::Decided { id, accept, by, seq }, true)?;
        Ok(ServerMsg::Ok { done, refused: Vec::new(), proposed: None })
    }

    /// The open, unanswered decision `decision` of team `k` that a player holding `by`'s
    /// roles may see (an inject index).
    fn open_decision(&self, k: usize, decision: &str, by: Option<&Who>) -> Result<usize, Refused> {
        let sc = &self.scenario;
        let game = &self.teams[k].game;
        let found = sc.inject_index(decision).filter(|i| {
            game.due_decisions().any(|(d, chosen)| d == *i && chosen.is_none())
                && by.is_none_or(|w| sc.roles.is_empty() || sc.injects[i.ix()].reaches(Some(&floor::roles_of(sc, w))))
        });
        found.map(|i| i.ix()).ok_or_else(|| {
            Refused::new(
                Code::NoVote,
                format!("no decision `{}` waits for an answer", decision.chars().take(64).collect::<String>()),
            )
            .arg("decision", decision.chars().take(64).collect::<String>())
        })
    }

    /// Puts a team decision to a vote.
    fn call_vote(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        decision: &str,
        seconds: u64,
        team: Option<&str>,
    ) -> Result<(), Refused> {
        let k = self.one_team(role, team)?;
        let by = match role {
            Role::Facilitator => Who { name: "Facilitator".into(), roles: Vec::new() },
            Role::Team(_) => self.who(k, player),
        };
        let i = self.open_decision(k, decision, (role != Role::Facilitator).then_some(&by))?;
        if let Some(owner) = self.scenario.injects[i].owner {
            let label = self.scenario.roles[owner.ix()].label.clone();
            return Err(Refused::new(Code::NotYourRole, format!("{label} decides this: propose an answer instead"))
                .arg("role", label));
        }
        if !floor::VOTE_SECONDS.contains(&seconds) {
            let (lo, hi) = (floor::VOTE_SECONDS.start(), floor::VOTE_SECONDS.end());
            return Err(Refused::new(Code::TimerOption, format!("a vote lasts {lo} to {hi} seconds, not {seconds}"))
                .arg("text", seconds));
        }
        let turn = self.teams[k].game.turn();
        if self.teams[k].table.open_vote(decision, turn).is_some() {
            return Err(Refused::new(Code::NoVote, "a vote on this decision is open already").arg("decision", decision));
        }
        let deadline_ms = now_ms().saturating_add(seconds as i64 * 1000);
        let event = FloorEvent::VoteCalled { decision: self.scenario.injects[i].id.clone(), turn, deadline_ms, by };
        self.record(store, k, event, true)
    }

    /// A player's vote; the vote ends at once when every player at the table has voted.
    fn ballot(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        decision: &str,
        option: &str,
    ) -> Result<(), Refused> {
        let Role::Team(k) = role else {
            return Err(Refused::new(Code::NoVote, "the facilitator does not vote").arg("decision", decision));
        };
        let by = self.who(k, player);
        let i = self.open_decision(k, decision, Some(&by))?;
        let turn = self.teams[k].game.turn();
        let Some(vote) = self.teams[k].table.open_vote(decision, turn) else {
            return Err(Refused::new(Code::NoVote, "no vote is open on this decision").arg("decision", decision));
        };
        if vote.ballots.iter().any(|(name, o)| *name == by.name && o == option) {
            return Err(refusal_of(&StepError::NoChange));
        }
        let cast = self.teams[k].table.record.iter().filter(
            |(_, e)| matches!(e, FloorEvent::Ballot { decision: d, turn: t, .. } if d == decision && *t == turn),
        );
        if cast.count() >= floor::MAX_BALLOTS {
            return Err(Refused::new(Code::TooLong, "this vote has taken all the votes it takes")
                .arg("most", floor::MAX_BALLOTS));
        }
        if !self.scenario.injects[i].options.iter().any(|o| o.id == option) {
            let e = StepError::UnknownId { what: "option", id: option.chars().take(64).collect() };
            return Err(refusal_of(&e));
        }
        let event = FloorEvent::Ballot { decision: decision.to_owned(), turn, option: option.to_owned(), by };
        self.record(store, k, event, true)?;
        self.close_votes(store, now_ms()).map_err(|e| not_saved(&e))
    }

    /// Ends the votes whose time is up (or that every player at the table has voted in):
    /// the answer most voted for is chosen, the decision's default on a tie or with no
    /// votes. A vote whose turn ended, or whose decision the team answered (a facilitator's
    /// choice), ends with no answer of its own.
    pub fn close_votes(&mut self, store: &mut Store, now_ms: i64) -> Result<(), CommitError> {
        for k in 0..self.teams.len() {
            let due: Vec<(String, usize, Vec<(String, String)>, i64)> = self.teams[k]
                .table
                .open_votes()
                .map(|v| (v.decision.clone(), v.turn, v.ballots.clone(), v.deadline_ms))
                .collect();
            for (decision, turn, ballots, deadline_ms) in due {
                let team = &self.teams[k];
                let everyone = !team.table.seats.is_empty()
                    && team.table.seats.values().all(|w| ballots.iter().any(|(n, _)| *n == w.name));
                let open = team.game.turn() == turn && self.open_decision(k, &decision, None).is_ok();
                if open && now_ms < deadline_ms && !everyone {
                    continue;
                }
                let mut closed = FloorEvent::VoteClosed {
                    decision: decision.clone(),
                    turn,
                    option: None,
                    by_default: false,
                    seq: None,
                };
                if open
                    && let Some(i) = self.scenario.inject_index(&decision)
                    && let Some((o, by_default)) = floor::tally(&self.teams[k].game, i.ix(), &ballots)
                {
                    let option = self.scenario.injects[i.ix()].options[usize::from(o)].id.clone();
                    let step = Step::Choose { decision: decision.clone(), option: option.clone() };
                    let refusals = self.commit_all(store, vec![(k, StepAt { turn, step })], None)?;
                    if refusals.first().is_some_and(Option::is_none) {
                        let seq = Some(self.teams[k].steps - 1);
                        closed = FloorEvent::VoteClosed { decision, turn, option: Some(option), by_default, seq };
                    }
                }
                self.record(store, k, closed, true).map_err(CommitError::Refused)?;
            }
        }
        Ok(())
    }

    /// A step for the teams a request names.
    fn step(
        &mut self,
        store: &mut Store,
        role: Role,
        turn: Option<usize>,
        step: &Step,
        team: Option<&str>,
    ) -> Result<ServerMsg, Refused> {
        step.check_sizes().map_err(|e| refusal_of(&e))?;
        if team.is_some_and(|t| t.chars().count() > MAX_TEAM_NAME) {
            return Err(Refused::new(Code::TooLong, "`team` is too long").arg("most", MAX_TEAM_NAME));
        }
        let targets = self.targets(role, team)?;
        match (step.author(), role) {
            (Author::Players, _) | (Author::Facilitator, Role::Facilitator) => {}
            (Author::Facilitator, Role::Team(_)) => return Err(facilitators(step.verb())),
            (Author::Server, _) => {
                return Err(Refused::new(Code::NotARequest, format!("`{}` is the server's own step", step.verb())));
            }
        }
        if *step == Step::EndTurn && self.pace == Pace::Synchronized && role != Role::Facilitator {
            return Err(Refused::new(
                Code::FacilitatorEndsTurns,
                "in this workshop the facilitator ends the turns: wait for the next turn",
            ));
        }
        // `*` ends each team's turn at its own turn; one team's end needs the turn it ends.
        if *step == Step::EndTurn && turn.is_none() && team != Some("*") {
            return Err(Refused::new(Code::WhichTurn, "say which turn ends: `turn`"));
        }
        let steps: Vec<(usize, StepAt)> = targets
            .iter()
            .map(|&k| {
                let game = &self.teams[k].game;
                // With `*`, each team at its own turn.
                let turn = if team == Some("*") { game.turn() } else { turn.unwrap_or(game.turn()) };
                (k, StepAt { turn, step: step.clone() })
            })
            .collect();
        // Every team's step in one transaction: for `*`, all the accepted ones or none.
        let refusals = self.commit_all(store, steps, None).map_err(|e| not_saved(&e))?;
        let mut done = Vec::new();
        let mut refused = Vec::new();
        for (k, refusal) in targets.into_iter().zip(refusals) {
            let name = &self.teams[k].name;
            match refusal {
                None => done.push(Done { team: name.clone(), seq: self.teams[k].steps }),
                Some(why) => refused.push((name.clone(), why)),
            }
        }
        if done.is_empty() && refused.len() == 1 {
            return Err(refused.remove(0).1);
        }
        let refused = refused.into_iter().map(|(team, why)| TeamRefusal { team, why: why.message }).collect();
        Ok(ServerMsg::Ok { done, refused, proposed: None })
    }

    /// The facilitator sets the turn timer: the current turn of every team ends that many
    /// seconds from now; a paused timer keeps the time left until it resumes.
    fn set_timer(&mut self, store: &mut Store, role: Role, order: TimerOrder, now_ms: i64) -> Result<(), Refused> {
        if role != Role::Facilitator {
            return Err(facilitators("timer"));
        }
        let timer = match (order, self.timer) {
            (TimerOrder::Off, _) => None,
            (TimerOrder::Pause, Some(t)) if t.paused_left_ms.is_none() => {
                Some(Timer { paused_left_ms: Some((t.deadline_ms - now_ms).max(0)), ..t })
            }
            (TimerOrder::Resume, Some(Timer { seconds, paused_left_ms: Some(left), .. })) => {
                Some(Timer { seconds, deadline_ms: now_ms.saturating_add(left), paused_left_ms: None })
            }
            (TimerOrder::Pause, _) => return Err(Refused::new(Code::TimerNotRunning, "the timer is not running")),
            (TimerOrder::Resume, _) => return Err(Refused::new(Code::TimerNotPaused, "the timer is not paused")),
            (TimerOrder::Start { seconds }, _) if TIMER_SECONDS.contains(&seconds) => {
                Some(Timer { seconds, deadline_ms: now_ms.saturating_add(seconds as i64 * 1000), paused_left_ms: None })
            }
            (TimerOrder::Start { seconds }, _) => {
                let (lo, hi) = (TIMER_SECONDS.start(), TIMER_SECONDS.end());
                return Err(Refused::new(
                    Code::TimerOption,
                    format!("a turn lasts {lo} to {hi} seconds, not {seconds}"),
                )
                .arg("text", seconds));
            }
        };
        store.set_timer(&self.id, timer).map_err(|e| not_saved(&e))?;
        self.timer = timer;
        self.announce_timer(now_ms);
        Ok(())
    }

    /// The teams a request acts on: a team token only ever its own team.
    pub fn targets(&self, role: Role, team: Option<&str>) -> Result<Vec<usize>, Refused> {
        match (role, team) {
            (Role::Team(k), None) => Ok(vec![k]),
            (Role::Team(k), Some(name)) if name == self.teams[k].name => Ok(vec![k]),
            (Role::Team(_), Some(_)) => Err(Refused::new(Code::OwnTeam, "a team's token acts only for its own team")),
            (Role::Facilitator, Some("*")) => Ok((0..self.teams.len()).collect()),
            (Role::Facilitator, Some(name)) => {
                self.teams.iter().position(|t| t.name == name).map(|k| vec![k]).ok_or_else(|| {
                    Refused::new(Code::NoTeam, format!("no team “{name}”: one of {}", self.team_names().join(", ")))
                        .arg("team", name)
                })
            }
            (Role::Facilitator, None) => {
                Err(Refused::new(Code::WhichTeam, "say which team: `team` is a team's name or `*` for all"))
            }
        }
    }
}

/// `verb` is the facilitator's alone.
fn facilitators(verb: &str) -> Refused {
    Refused::new(Code::FacilitatorOnly, format!("`{verb}` is the facilitator's")).arg("verb", verb)
}

/// The database did not take a step (or the timer), so it was not done.
fn not_saved(e: &dyn std::fmt::Display) -> Refused {
    Refused::new(Code::NotSaved, format!("not saved, so not done: {e}")).arg("why", e.to_string())
}
