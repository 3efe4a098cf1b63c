//! A team's table in a live workshop: who holds which role, the moves proposed to the role
//! that owns them, and the votes on team decisions. Kept as a list of stored events (the
//! `floor` table), so a restarted server rebuilds it and the session's record says who
//! proposed, decided and voted what, and when.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::protocol::{Floor, Proposal, ProposalState, Vote, Who};
use crate::sim::Game;
use crate::sim::play::step::{Resolved, Step};
use crate::sim::present::deeds::{Deed, DeedKind};
use crate::sim::scenario::{Action, RoleIdx, Scenario};

pub use crate::protocol::MAX_NAME_CHARS;
/// Open proposals a team may have at once (a flood of them is refused).
pub const MAX_OPEN_PROPOSALS: usize = 30;
/// Decided proposals a table shows (the record keeps them all).
const SHOWN_DECIDED: usize = 12;
/// Most ballots a vote takes (players changing their minds included): a flood is refused.
pub const MAX_BALLOTS: usize = 64;
/// Shortest and longest vote, in seconds.
pub const VOTE_SECONDS: std::ops::RangeInclusive<u64> = 10..=900;

/// One change at a team's table, as stored (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum FloorEvent {
    /// A player made a move themselves: their team's step number `seq`, on `turn`.
    Acted { seq: u64, turn: usize, step: Step, by: Who },
    /// A move proposed to the role that owns it.
    Proposed { id: u64, turn: usize, step: Step, owner: String, by: Who },
    /// A proposal accepted (its move became step `seq`) or declined.
    Decided { id: u64, accept: bool, by: Who, seq: Option<u64> },
    /// A team decision put to a vote until `deadline_ms`.
    VoteCalled { decision: String, turn: usize, deadline_ms: i64, by: Who },
    /// A player's vote (a later one replaces it).
    Ballot { decision: String, turn: usize, option: String, by: Who },
    /// A vote ended: the option taken (None: the turn ended or the team answered first),
    /// whether it was the default, and the step it became.
    VoteClosed { decision: String, turn: usize, option: Option<String>, by_default: bool, seq: Option<u64> },
}

/// A team's table: its connected players (not stored) and what its events made of it.
#[derive(Debug, Default)]
pub struct Table {
    /// Connected players by connection number.
    pub seats: BTreeMap<u64, Who>,
    proposals: Vec<Proposal>,
    votes: Vec<Vote>,
    /// Every event with its time, in order (the session's record).
    pub record: Vec<(i64, FloorEvent)>,
}

impl Table {
    /// The table after one more event (from a request, or replayed from the database).
    pub fn apply(&mut self, at_ms: i64, event: FloorEvent) {
        match &event {
            FloorEvent::Acted { .. } => {}
            FloorEvent::Proposed { id, turn, step, owner, by } => self.proposals.push(Proposal {
                id: *id,
                turn: *turn,
                step: step.clone(),
                owner: owner.clone(),
                by: by.clone(),
                state: ProposalState::Open,
            }),
            FloorEvent::Decided { id, accept, by, .. } => {
                if let Some(p) = self.proposals.iter_mut().find(|p| p.id == *id) {
                    p.state = if *accept {
                        ProposalState::Accepted { by: by.clone() }
                    } else {
                        ProposalState::Declined { by: by.clone() }
                    };
                }
            }
            FloorEvent::VoteCalled { decision, turn, deadline_ms, by } => self.votes.push(Vote {
                decision: decision.clone(),
                turn: *turn,
                by: by.clone(),
                deadline_ms: *deadline_ms,
                left_ms: 0,
                ballots: Vec::new(),
                result: None,
            }),
            FloorEvent::Ballot { decision, turn, option, by } => {
                if let Some(v) = self.vote_mut(decision, *turn) {
                    v.ballots.retain(|(name, _)| *name != by.name);
                    v.ballots.push((by.name.clone(), option.clone()));
                }
            }
            FloorEvent::VoteClosed { decision, turn, option, by_default, .. } => {
                if let Some(v) = self.vote_mut(decision, *turn) {
                    v.result = Some((option.clone().unwrap_or_default(), *by_default));
                }
            }
        }
        self.record.push((at_ms, event));
    }

    fn vote_mut(&mut self, decision: &str, turn: usize) -> Option<&mut Vote> {
        self.votes.iter_mut().rev().find(|v| v.decision == decision && v.turn == turn)
    }

    /// The number the next proposal gets.
    pub fn next_proposal(&self) -> u64 {
        self.proposals.last().map_or(1, |p| p.id + 1)
    }

    /// The open proposal `id` of turn `turn`.
    pub fn open_proposal(&self, id: u64, turn: usize) -> Option<&Proposal> {
        self.proposals.iter().find(|p| p.id == id && p.turn == turn && p.state == ProposalState::Open)
    }

    /// Proposals still open on turn `turn`.
    pub fn open_proposals(&self, turn: usize) -> usize {
        self.open_proposals_of(turn).count()
    }

    /// The proposals still open on turn `turn`.
    pub fn open_proposals_of(&self, turn: usize) -> impl Iterator<Item = &Proposal> {
        self.proposals.iter().filter(move |p| p.turn == turn && p.state == ProposalState::Open)
    }

    /// The vote still open on `decision` in turn `turn`.
    pub fn open_vote(&self, decision: &str, turn: usize) -> Option<&Vote> {
        self.votes.iter().rev().find(|v| v.decision == decision && v.turn == turn && v.result.is_none())
    }

    /// Votes not closed yet.
    pub fn open_votes(&self) -> impl Iterator<Item = &Vote> {
        self.votes.iter().filter(|v| v.result.is_none())
    }

    /// The table as its players see it on turn `turn` at `now_ms`: the players, this turn's
    /// open proposals (earlier turns' open ones shown as lapsed) and the last decided ones,
    /// this turn's votes.
    pub fn floor(&self, turn: usize, now_ms: i64) -> Floor {
        let mut proposals: Vec<Proposal> = self
            .proposals
            .iter()
            .rev()
            .filter(|p| p.state != ProposalState::Open || p.turn + 1 >= turn)
            .take(MAX_OPEN_PROPOSALS + SHOWN_DECIDED)
            .map(|p| {
                let mut p = p.clone();
                if p.state == ProposalState::Open && p.turn != turn {
                    p.state = ProposalState::Lapsed;
                }
                p
            })
            .collect();
        proposals.reverse();
        let votes = self
            .votes
            .iter()
            .filter(|v| v.turn == turn)
            .map(|v| Vote { left_ms: (v.deadline_ms - now_ms).max(0), ..v.clone() })
            .collect();
        Floor {
            players: self.seats.iter().map(|(k, w)| (*k, w.clone())).collect(),
            proposals,
            votes,
            deeds: Vec::new(),
        }
    }

    /// Whether any connected player holds `role` (an id).
    pub fn held(&self, role: &str) -> bool {
        self.seats.values().any(|w| w.roles.iter().any(|r| r == role))
    }
}

/// A team's table record as the reports' deeds: each move a player made, proposed,
/// accepted or declined, and each vote's outcome (under the name of whoever called it).
pub fn deeds(record: &[(i64, FloorEvent)]) -> Vec<Deed> {
    let mut proposals: BTreeMap<u64, (usize, Step, String)> = BTreeMap::new();
    let mut callers: BTreeMap<(String, usize), Who> = BTreeMap::new();
    let mut out = Vec::new();
    let deed = |at_ms: i64, turn: usize, by: &Who, kind: DeedKind, step: Step| Deed {
        at_ms,
        turn,
        who: by.name.clone(),
        roles: by.roles.clone(),
        kind,
        step,
    };
    for (at, e) in record {
        match e {
            FloorEvent::Acted { turn, step, by, .. } => {
                if matches!(step, Step::Take { .. } | Step::Stop { .. } | Step::Choose { .. }) {
                    out.push(deed(*at, *turn, by, DeedKind::Made, step.clone()));
                }
            }
            FloorEvent::Proposed { id, turn, step, by, .. } => {
                proposals.insert(*id, (*turn, step.clone(), by.name.clone()));
                out.push(deed(*at, *turn, by, DeedKind::Proposed, step.clone()));
            }
            FloorEvent::Decided { id, accept, by, .. } => {
                let Some((turn, step, proposer)) = proposals.get(id) else { continue };
                let proposer = proposer.clone();
                let kind = if *accept { DeedKind::Accepted { proposer } } else { DeedKind::Declined { proposer } };
                out.push(deed(*at, *turn, by, kind, step.clone()));
            }
            FloorEvent::VoteCalled { decision, turn, by, .. } => {
                callers.insert((decision.clone(), *turn), by.clone());
            }
            FloorEvent::VoteClosed { decision, turn, option: Some(option), by_default, .. } => {
                let by = callers
                    .get(&(decision.clone(), *turn))
                    .cloned()
                    .unwrap_or(Who { name: String::new(), roles: Vec::new() });
                let step = Step::Choose { decision: decision.clone(), option: option.clone() };
                out.push(deed(*at, *turn, &by, DeedKind::Voted { by_default: *by_default }, step));
            }
            FloorEvent::Ballot { .. } | FloorEvent::VoteClosed { .. } => {}
        }
    }
    out
}

/// The role that owns a move, if the scenario gives it one: a card's owner for taking or
/// stopping it, a decision's for answering it.
pub fn owner_of(sc: &Scenario, step: &Step) -> Option<RoleIdx> {
    match step.resolve(sc).ok()? {
        Resolved::Act(Action::Take(m) | Action::Stop(m)) => sc.mitigations.get(m.ix())?.owner,
        Resolved::Act(Action::Choose(i, _)) => sc.injects.get(i.ix())?.owner,
        _ => None,
    }
}

/// The roles a seat holds, as indices of the scenario's roles.
pub fn roles_of(sc: &Scenario, who: &Who) -> Vec<RoleIdx> {
    RoleIdx::all(sc.roles.len()).filter(|r| who.roles.iter().any(|id| *id == sc.roles[r.ix()].id)).collect()
}

/// A set of roles as a bit mask (validation keeps a team's roles within 16).
pub fn mask(roles: &[RoleIdx]) -> u16 {
    roles.iter().filter(|r| r.ix() < 16).fold(0, |m, r| m | (1 << r.ix()))
}

/// The roles of a bit mask.
pub fn unmask(sc: &Scenario, mask: u16) -> Vec<RoleIdx> {
    RoleIdx::all(sc.roles.len().min(16)).filter(|r| mask & (1 << r.ix()) != 0).collect()
}

/// The answer a vote on decision `decision` (an inject index) ends with: the option most
/// voted for, or the decision's default on a tie or with no votes; and whether it was the
/// default.
pub fn tally(game: &Game, decision: usize, ballots: &[(String, String)]) -> Option<(u16, bool)> {
    let inj = game.scenario().injects.get(decision)?;
    let mut counts = vec![0usize; inj.options.len()];
    for (_, option) in ballots {
        if let Some(o) = inj.options.iter().position(|x| x.id == *option) {
            counts[o] += 1;
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0);
    let leaders: Vec<usize> = (0..counts.len()).filter(|o| counts[*o] == most).collect();
    match leaders.as_slice() {
        [one] if most > 0 => Some((*one as u16, false)),
        _ => Some((inj.default_option, true)),
    }
}

/// A player's name that is empty, too long or holds control characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a name is 1 to {MAX_NAME_CHARS} printable characters")]
pub struct BadName;

/// A name as given, checked: 1 to `MAX_NAME_CHARS` printable characters.
pub fn check_name(name: &str) -> Result<String, BadName> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(BadName);
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(name: &str, roles: &[&str]) -> Who {
        Who { name: name.into(), roles: roles.iter().map(|r| (*r).to_owned()).collect() }
    }

    #[test]
    fn events_read_back_and_build_the_table() {
        let events = [
            FloorEvent::Proposed {
                id: 1,
                turn: 2,
                step: Step::Take { mitigation: "warn_users".into() },
                owner: "comms".into(),
                by: who("Ken", &["engineering"]),
            },
            FloorEvent::Decided { id: 1, accept: true, by: who("Aiko", &["comms"]), seq: Some(4) },
            FloorEvent::VoteCalled { decision: "rebuild".into(), turn: 2, deadline_ms: 10_000, by: who("Ken", &[]) },
            FloorEvent::Ballot { decision: "rebuild".into(), turn: 2, option: "patch".into(), by: who("Ken", &[]) },
            FloorEvent::Ballot { decision: "rebuild".into(), turn: 2, option: "deep".into(), by: who("Ken", &[]) },
        ];
        let mut t = Table::default();
        for (n, e) in events.iter().enumerate() {
            let json = serde_json::to_string(e).expect("JSON");
            let back: FloorEvent = serde_json::from_str(&json).expect("reads back");
            assert_eq!(&back, e);
            t.apply(n as i64, back);
        }
        let stray = r#"{"event":"acted","seq":1,"turn":0,"step":"end_turn","by":{"name":"x"},"x":1}"#;
        assert!(serde_json::from_str::<FloorEvent>(stray).is_err());
        assert!(serde_json::from_str::<FloorEvent>(&stray.replace(r#","x":1"#, "")).is_ok());
        let f = t.floor(2, 4_000);
        assert_eq!(f.proposals[0].state, ProposalState::Accepted { by: who("Aiko", &["comms"]) });
        assert_eq!(f.votes[0].ballots, [("Ken".to_owned(), "deep".to_owned())], "a second vote replaces the first");
        assert_eq!(f.votes[0].left_ms, 6_000);
        assert_eq!(t.next_proposal(), 2);
        // An open proposal of an earlier turn shows as lapsed and cannot be decided.
        t.apply(9, events[0].clone());
        assert!(t.open_proposal(1, 3).is_none());
        assert_eq!(t.floor(3, 0).proposals.last().map(|p| p.state.clone()), Some(ProposalState::Lapsed));
    }

    #[test]
    fn a_vote_takes_the_most_voted_answer_and_the_default_on_a_tie_or_silence() {
        let sc = std::sync::Arc::new(crate::sim::bundled::seven_pay().expect("7pay").scenario);
        let game = Game::new(std::sync::Arc::clone(&sc), 1);
        let (d, inj) = sc.injects.iter().enumerate().find(|(_, i)| i.options.len() >= 2).expect("a decision");
        let (a, b) = (inj.options[0].id.clone(), inj.options[1].id.clone());
        let ballot = |n: &str, o: &str| (n.to_owned(), o.to_owned());
        assert_eq!(tally(&game, d, &[ballot("x", &b), ballot("y", &b), ballot("z", &a)]), Some((1, false)));
        assert_eq!(tally(&game, d, &[ballot("x", &a), ballot("y", &b)]), Some((inj.default_option, true)));
        assert_eq!(tally(&game, d, &[]), Some((inj.default_option, true)));
        assert_eq!(tally(&game, d, &[ballot("x", "no_such_option")]), Some((inj.default_option, true)));
        assert!(check_name(" Aiko ").is_ok_and(|n| n == "Aiko"));
        assert!(check_name("").is_err() && check_name(&"x".repeat(41)).is_err() && check_name("a\nb").is_err());
    }
}
