//! The workshop protocol: every message a client sends to `ttx serve` and every message the
//! server sends back, as typed JSON that the server (`serve`) and the app (`app`) both use.
//!
//! Messages are tagged by `type` and refuse fields they do not know, so a malformed frame is
//! refused whole, with serde's reason, instead of being half understood.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::play::save::SaveFile;
use crate::sim::play::step::{Step, StepAt};
use crate::sim::present::player::{BriefingView, PlayerView};

/// A message from a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// A step for the sender's team; from the facilitator, for `team` (a team's name, or
    /// `*` for every team, each at its own turn).
    Step {
        /// The turn the client sees: a step meant for one turn never lands on the next
        /// (required to end a turn, so two players' clicks cannot end two turns).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        turn: Option<usize>,
        step: Step,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
    },
    /// The whole game so far again (the facilitator names a team or `*`).
    Sync {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
    },
    /// The facilitator sets the session's turn timer.
    Timer { order: TimerOrder },
    /// A player says who they are and which roles they hold (ids of the scenario's roles;
    /// sent again to change them). The facilitator seats a team's player by `player` and
    /// `team`.
    Seat {
        name: String,
        roles: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
    },
    /// A player holding the owning role (or the facilitator) accepts or declines a proposal.
    Decide {
        proposal: u64,
        accept: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
    },
    /// Puts a team decision to a vote that ends in `seconds`.
    CallVote {
        decision: String,
        seconds: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
    },
    /// A player's vote in an open vote (again to change it).
    Ballot { decision: String, option: String },
}

/// What the facilitator does with the turn timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TimerOrder {
    /// Every team's current turn ends this many seconds from now, and each turn after it.
    Start {
        seconds: u64,
    },
    Pause,
    Resume,
    Off,
}

/// Who ends a session's turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// Each team ends its own turns (and the facilitator may end them too).
    #[default]
    Free,
    /// Only the facilitator (or the timer) ends turns: the teams move in step.
    Synchronized,
}

impl Pace {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Synchronized => "synchronized",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "free" => Some(Self::Free),
            "synchronized" | "sync" => Some(Self::Synchronized),
            _ => None,
        }
    }
}

/// Whose link a client joined with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    Team,
    Facilitator,
}

/// A message from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ServerMsg {
    /// The first message on a connection: the session and the client's place in it.
    Welcome(Welcome),
    /// A team's whole game so far, and the number of steps it stands at (the facilitator's:
    /// players are sent views).
    Sync { team: String, seq: u64, save: SaveFile },
    /// A team's step `seq` was accepted and is on disk (to the facilitator).
    Update { team: String, seq: u64, step: StepAt },
    /// What a team's players are shown of their game after its step `seq`, in the language
    /// they joined with: the game's state as views, never the scenario behind it.
    View { team: String, seq: u64, view: Box<PlayerView> },
    /// The sender's request was done (on disk first): each team it was done for, and each
    /// team that refused it (a facilitator's request for `*`); a move the sender's role does
    /// not own was proposed to its owners instead (`proposed`).
    Ok {
        #[serde(default)]
        done: Vec<Done>,
        #[serde(default)]
        refused: Vec<TeamRefusal>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proposed: Option<u64>,
    },
    /// The sender's request was refused: nothing changed.
    Error(Refusal),
    /// The client missed announcements (or the server undid a group that did not reach
    /// the disk): it must sync again.
    Lagged { missed: u64 },
    /// How many players of a team are connected (to the facilitator).
    Presence { team: String, online: u32 },
    /// The turn timer: seconds per turn, milliseconds left, paused; no seconds when off.
    Timer { seconds: Option<u64>, left_ms: Option<i64>, paused: bool },
    /// A player's briefing again, after their roles changed.
    Briefing { briefing: Box<BriefingView> },
    /// A team's table: who holds which role, the proposals and the votes (to the team's
    /// players and the facilitator, whenever it changes).
    Floor { team: String, floor: Floor },
}

/// Longest player name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// Someone at a team's table: a connected player's name and roles (ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Who {
    pub name: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A team's table as its players and the facilitator see it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Floor {
    /// Players connected now, by their connection's number.
    pub players: Vec<(u64, Who)>,
    pub proposals: Vec<Proposal>,
    pub votes: Vec<Vote>,
    /// The table's record of who did what (to the facilitator only, for the report): the
    /// latest [`MAX_DEEDS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deeds: Vec<crate::sim::present::deeds::Deed>,
}

/// Most deeds a facilitator's table message carries (the database keeps them all).
pub const MAX_DEEDS: usize = 400;

/// A move proposed to the role that owns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub id: u64,
    pub turn: usize,
    pub step: Step,
    /// The owning role's id.
    pub owner: String,
    pub by: Who,
    pub state: ProposalState,
}

/// Where a proposal stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ProposalState {
    Open,
    Accepted {
        by: Who,
    },
    Declined {
        by: Who,
    },
    /// Its turn ended, or the move could no longer be made, before anyone decided.
    Lapsed,
}

/// A vote on a team decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    /// The decision's id.
    pub decision: String,
    pub turn: usize,
    pub by: Who,
    /// When it ends (ms since the Unix epoch, the server's clock) and ms left when sent.
    pub deadline_ms: i64,
    pub left_ms: i64,
    /// Each player's vote (an option id), by name.
    pub ballots: Vec<(String, String)>,
    /// The option taken when it ended, and whether that was the default (a tie or no vote).
    pub result: Option<(String, bool)>,
}

/// What a client is told as it connects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Welcome {
    pub session: String,
    pub seat: Seat,
    /// The client's team (a team's link).
    pub team: Option<String>,
    pub teams: Vec<String>,
    /// The scenario's id.
    pub scenario: String,
    pub scenario_name: String,
    /// The scenario itself, to the facilitator only (whose dashboard keeps a replica of
    /// every team's game): players never receive the facilitator's script.
    pub scenario_text: Option<String>,
    /// The scenario's briefing, to a team's players, in their language.
    pub briefing: Option<Box<BriefingView>>,
    /// Players connected, per team.
    pub online: Vec<u32>,
    /// The teams' join tokens and codes (the facilitator's only; empty for a team).
    pub tokens: Vec<String>,
    pub codes: Vec<String>,
    pub seed: u64,
    pub pace: Pace,
    /// The connection's number at its team's table (a team's player).
    #[serde(default)]
    pub player: Option<u64>,
}

/// A team a request was done for, and its step count after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Done {
    pub team: String,
    pub seq: u64,
}

/// A team that refused a facilitator's request for every team, and why (in English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamRefusal {
    pub team: String,
    pub why: String,
}

/// Why a request was refused: a code and its arguments, which the clients put in the
/// player's language, and the same in English for logs and scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub code: Code,
    pub message: String,
    #[serde(default)]
    pub args: BTreeMap<String, String>,
}

impl Refusal {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self { code, args: BTreeMap::new(), message: message.into() }
    }

    /// The refusal with one more argument.
    pub fn arg(mut self, name: &str, value: impl ToString) -> Self {
        self.args.insert(name.to_owned(), value.to_string());
        self
    }

    /// The message that carries it.
    pub fn to_json(&self) -> String {
        ServerMsg::Error(self.clone()).to_json()
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What kind of refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The message is not one of [`ClientMsg`].
    NotARequest,
    /// A binary message.
    SendJson,
    OwnTeam,
    NoTeam,
    WhichTeam,
    WhichTurn,
    FacilitatorOnly,
    FacilitatorEndsTurns,
    TooLong,
    NoChange,
    WrongTurn,
    GameOver,
    /// The engine refused the step (`why`).
    Refused,
    TimerNotRunning,
    TimerNotPaused,
    TimerOption,
    NotSaved,
    SessionGone,
    /// The sender does not hold the role that owns the move (it was proposed instead).
    NotYourRole,
    /// No such proposal, or it is decided already.
    NoProposal,
    /// No vote open on that decision, or one already is.
    NoVote,
    /// A code from a newer server: its English message is shown.
    #[serde(other)]
    Other,
}

impl ServerMsg {
    /// The message as sent.
    pub fn to_json(&self) -> String {
        // Every field is a string, a number, a list or a map of them: nothing to fail on.
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"type":"error","code":"not-a-request","message":"unwritable message: {e}","args":{{}}}}"#)
        })
    }
}

impl ClientMsg {
    /// The message as sent; an error rather than an empty frame if it cannot be written.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_back_as_written_and_strays_are_refused() {
        let msgs = [
            ClientMsg::Step {
                turn: Some(2),
                step: Step::Choose { decision: "press".into(), option: "disclose".into() },
                team: None,
            },
            ClientMsg::Step { turn: None, step: Step::EndTurn, team: Some("*".into()) },
            ClientMsg::Step { turn: Some(0), step: Step::SetMetric { metric: "trust".into(), value: 0.1 }, team: None },
            ClientMsg::Sync { team: None },
            ClientMsg::Timer { order: TimerOrder::Start { seconds: 300 } },
            ClientMsg::Timer { order: TimerOrder::Pause },
        ];
        for m in msgs {
            let text = m.to_json().expect("written");
            assert_eq!(serde_json::from_str::<ClientMsg>(&text).expect(&text), m);
        }
        assert_eq!(
            ClientMsg::Step { turn: Some(1), step: Step::Take { mitigation: "2fa".into() }, team: None }
                .to_json()
                .expect("written"),
            r#"{"type":"step","turn":1,"step":{"take":{"mitigation":"2fa"}}}"#
        );
        // A stray field, at the top or inside the step, an unknown step or message: refused.
        for bad in [
            r#"{"type":"sync","verb":"take"}"#,
            r#"{"type":"step","turn":1,"step":{"take":{"mitigation":"x","option":"y"}}}"#,
            r#"{"type":"step","step":"launch_missiles"}"#,
            r#"{"type":"step","step":{"take":{}}}"#,
            r#"{"type":"become_facilitator"}"#,
            r#"{"verb":"take","id":"2fa"}"#,
            r#"{"type":"timer","order":{"start":{"seconds":-1}}}"#,
        ] {
            assert!(serde_json::from_str::<ClientMsg>(bad).is_err(), "{bad}");
        }
        let refusal = Refusal::new(Code::WrongTurn, "wrong turn").arg("now", 3);
        let back: ServerMsg = serde_json::from_str(&refusal.to_json()).expect("reads back");
        assert_eq!(back, ServerMsg::Error(refusal));
        assert!(refusal_json_has_kebab_code());
    }

    fn refusal_json_has_kebab_code() -> bool {
        Refusal::new(Code::FacilitatorEndsTurns, "x").to_json().contains(r#""code":"facilitator-ends-turns""#)
    }
}
