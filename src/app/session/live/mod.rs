//! Playing in a live workshop (`ttx serve`): the server runs the team's game and is the
//! only one to change it. A team's player receives views of the game (`sim::player`), built
//! by the server in the player's language after every change, and never the scenario
//! behind them: the facilitator's notes, the injects still to come and the hidden metrics
//! stay on the server. The players' moves go to the server as steps; the screens change
//! only when a new view comes, so every player of a team, on any device, sees the same
//! game. The facilitator's dashboard keeps a replica of every team's game: the game the
//! server sends (and after any gap), then every step it announces, applied with the same
//! engine rule (`step::apply_step`) in the same order.

use std::sync::Arc;

use crate::protocol::{ClientMsg, Floor};
use crate::sim::play::step::{Step, StepError};
use crate::sim::present::player::{BriefingView, PlayerView};
use crate::sim::present::teams::TeamGame;
use crate::sim::scenario::InjectIdx;
use crate::sim::{Action, Game, Scenario};

mod requests;
mod server;
#[cfg(test)]
mod tests;

/// Requests kept while the connection is down; more are refused with a notice.
const MAX_OUTBOX: usize = 64;
/// Longest workshop token accepted in a link (the server issues 32 hex digits).
const MAX_TOKEN: usize = 64;
/// Longest team code accepted as typed (the server issues `K7QM-3XPR`).
const MAX_CODE: usize = 16;

/// Something the connection to the workshop server reports.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerEvent {
    Opened,
    /// A message from the server (JSON text).
    Text(String),
    /// The connection failed or closed, and why; the app reconnects by itself.
    Closed(String),
}

/// The state of the connection.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveStatus {
    Connecting,
    Connected,
    /// Lost, and why: reconnecting.
    Lost(String),
}

/// Whose link joined: a team's (its game is the game in play) or the facilitator's (every
/// team's game, on the workshop dashboard).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveRole {
    Team,
    Facilitator,
}

/// The facilitator's replica of one team's game.
#[derive(Debug)]
pub struct TeamReplica {
    name: String,
    game: Option<Game>,
    seq: u64,
    /// The team's players connected now.
    online: u32,
    /// The team's join link, for the facilitator to hand out or show.
    link: Option<String>,
    /// The team's short code, to type instead of the link.
    code: Option<String>,
    /// Where the team's choices so far lead (`score::heading`), worked out once per change
    /// of its game, for the live leaderboard.
    heading: Option<f64>,
    /// The team's table: who holds which role, proposals, votes.
    floor: Option<Floor>,
}

impl TeamReplica {
    /// The game changed (or was replaced): its heading again.
    fn changed(&mut self) {
        self.heading = self.game.as_ref().map(crate::sim::play::score::heading);
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The team's game as replicated here (None until the server sent it).
    pub fn game(&self) -> Option<&Game> {
        self.game.as_ref()
    }

    /// The team's players connected now.
    pub fn online(&self) -> u32 {
        self.online
    }

    /// The team's join link, for the facilitator to hand out or show.
    pub fn link(&self) -> Option<&str> {
        self.link.as_deref()
    }

    /// The team's short code, to type instead of the link.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Where the team's choices so far lead, for the live leaderboard.
    pub fn heading(&self) -> Option<f64> {
        self.heading
    }

    /// The team's table: who holds which role, proposals, votes.
    pub fn floor(&self) -> Option<&Floor> {
        self.floor.as_ref()
    }
}

/// The server's turn timer as this client sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveTimer {
    /// Seconds per turn.
    pub seconds: u64,
    /// Seconds left (counted down here between the server's word, unless paused).
    pub left: f64,
    pub paused: bool,
}

/// This app's part in a live workshop: the client of the workshop server. It owns the
/// connection's state (the address, whether it is open, the requests waiting to go out)
/// and what the server sent; the session changes it only through its methods, and the
/// connection system only takes its requests.
#[derive(Debug)]
pub struct Live {
    /// The server's WebSocket address, with the team's token.
    url: String,
    /// The server as the player knows it (host and port).
    server: String,
    status: LiveStatus,
    /// Known once the server welcomed this client.
    role: Option<LiveRole>,
    team: Option<String>,
    /// The facilitator's view of every team, in the session's order.
    teams: Vec<TeamReplica>,
    /// The team the facilitator's console acts on, while it is open.
    console: Option<usize>,
    /// The console acts on every team at once (each at its own turn).
    console_all: bool,
    /// The server's turn timer.
    timer: Option<LiveTimer>,
    /// Only the facilitator ends the turns (the session's pace is synchronized).
    synchronized: bool,
    /// Steps of the team's game the replica holds (the server numbers them).
    seq: u64,
    /// Requests for the server, sent once the connection is open.
    outbox: Vec<String>,
    /// A team's player: the briefing, as the server sent it.
    briefing: Option<BriefingView>,
    /// A team's player: the team's game as last shown by the server.
    view: Option<PlayerView>,
    /// A team's player: their number at the team's table, and the table.
    player: Option<u64>,
    floor: Option<Floor>,
    /// The name and roles this player took, said again after a reconnection.
    seat: Option<(String, Vec<String>)>,
    /// The session's scenario in its own language, as the server sent it.
    scenario: Option<Arc<Scenario>>,
}

impl Live {
    fn new(url: String, server: String) -> Self {
        Self {
            url,
            server,
            status: LiveStatus::Connecting,
            role: None,
            team: None,
            teams: Vec::new(),
            console: None,
            console_all: false,
            timer: None,
            synchronized: false,
            seq: 0,
            outbox: Vec::new(),
            briefing: None,
            view: None,
            player: None,
            floor: None,
            seat: None,
            scenario: None,
        }
    }

    /// The server's WebSocket address, with the team's token.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server as the player knows it (host and port).
    pub fn server(&self) -> &str {
        &self.server
    }

    pub fn status(&self) -> &LiveStatus {
        &self.status
    }

    /// Known once the server welcomed this client.
    pub fn role(&self) -> Option<LiveRole> {
        self.role
    }

    pub fn is_facilitator(&self) -> bool {
        self.role == Some(LiveRole::Facilitator)
    }

    /// A team's player: the team's name.
    pub fn team(&self) -> Option<&str> {
        self.team.as_deref()
    }

    /// The facilitator's view of every team, in the session's order.
    pub fn teams(&self) -> &[TeamReplica] {
        &self.teams
    }

    /// The team the facilitator's console acts on, while it is open.
    pub fn console(&self) -> Option<usize> {
        self.console
    }

    /// The console acts on every team at once.
    pub fn console_all(&self) -> bool {
        self.console_all
    }

    /// The server's turn timer.
    pub fn timer(&self) -> Option<LiveTimer> {
        self.timer
    }

    /// Only the facilitator ends the turns.
    pub fn synchronized(&self) -> bool {
        self.synchronized
    }

    /// Steps of the team's game shown (the server numbers them).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// A team's player: the briefing, as the server sent it.
    pub fn briefing(&self) -> Option<&BriefingView> {
        self.briefing.as_ref()
    }

    /// A team's player: the team's game as last shown by the server.
    pub fn view(&self) -> Option<&PlayerView> {
        self.view.as_ref()
    }

    /// A team's player: their number at the team's table.
    pub fn player(&self) -> Option<u64> {
        self.player
    }

    /// A team's player: the team's table.
    pub fn floor(&self) -> Option<&Floor> {
        self.floor.as_ref()
    }

    /// The requests waiting for the server, taken to be sent (the connection is open).
    pub fn take_outbox(&mut self) -> Vec<String> {
        std::mem::take(&mut self.outbox)
    }

    /// Every team's game the facilitator's dashboard holds, for the workshop's report.
    pub fn team_games(&self) -> Vec<TeamGame> {
        self.teams
            .iter()
            .filter_map(|t| {
                Some(TeamGame {
                    team: t.name.clone(),
                    game: t.game.clone()?,
                    deeds: t.floor.as_ref().map(|f| f.deeds.clone()).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Queues a request; false when too many wait already (the connection is down). A
    /// request that cannot be written is logged and dropped (see [`frame`]).
    fn send(&mut self, request: &ClientMsg) -> bool {
        if self.outbox.len() >= MAX_OUTBOX {
            return false;
        }
        self.outbox.extend(frame(request));
        true
    }

    /// Queues a request, without a limit (an answer to the server's own news); first: ahead
    /// of everything waiting.
    fn queue(&mut self, request: &ClientMsg, first: bool) {
        if let Some(text) = frame(request) {
            if first { self.outbox.insert(0, text) } else { self.outbox.push(text) }
        }
    }

    /// Counts the server's timer and the open votes down by `dt` seconds between the
    /// server's words.
    pub(in crate::app::session) fn tick(&mut self, dt: f64) {
        if let Some(t) = self.timer.as_mut().filter(|t| !t.paused) {
            t.left = (t.left - dt.max(0.0)).max(0.0);
        }
        let ms = (dt.max(0.0) * 1000.0) as i64;
        let floors = self.floor.iter_mut().chain(self.teams.iter_mut().filter_map(|t| t.floor.as_mut()));
        for v in floors.flat_map(|f| f.votes.iter_mut()).filter(|v| v.result.is_none()) {
            v.left_ms = (v.left_ms - ms).max(0);
        }
    }
}

/// Why a step is refused, in the player's language.
fn step_refusal(e: &StepError, tr: &crate::i18n::Tr) -> String {
    match e {
        StepError::Locked(lock) => lock.describe(tr),
        other => other.to_string(),
    }
}

/// How long a vote the players call lasts, in seconds.
const VOTE_SECONDS: u64 = 120;

/// The id of decision `inject` as the view's moves name it.
fn decision_id(view: &PlayerView, inject: InjectIdx) -> Option<String> {
    view.moves.iter().find_map(|(a, s)| match (a, s) {
        (Action::Choose(i, _), Step::Choose { decision, .. }) if *i == inject => Some(decision.clone()),
        _ => None,
    })
}

/// Whether the team is voting on `decision` on turn `turn`.
pub fn open_vote(floor: &Floor, decision: &str, turn: usize) -> bool {
    floor.votes.iter().any(|v| v.decision == decision && v.turn == turn && v.result.is_none())
}

/// A step for the server, on the turn the player sees (and, from the facilitator, for a
/// team or `*`).
fn step_request(turn: usize, step: Step, team: Option<&str>) -> ClientMsg {
    ClientMsg::Step { turn: Some(turn), step, team: team.map(str::to_owned) }
}

/// A request as sent; None (and logged) if it cannot be written, so that no empty frame
/// goes to the server.
fn frame(msg: &ClientMsg) -> Option<String> {
    msg.to_json().map_err(|e| bevy::log::error!("a request to the server could not be written: {e}")).ok()
}

/// A team's join link (`http://host:port/?join=TOKEN`, as `ttx serve` prints it) or code
/// as the server's WebSocket address and the server's name. A bare token or code joins the
/// server the page came from (`origin`, in the browser); elsewhere the server comes first,
/// then the code (`192.168.1.5:8080 K7QM-3XPR`). None when the text is neither.
pub fn join_url(link: &str, origin: Option<&str>) -> Option<(String, String)> {
    let link = link.trim();
    let (base, token) = match link.split_once("join=") {
        Some((base, rest)) => (Some(base), rest.split(['&', '#']).next().unwrap_or("")),
        None => match link.rsplit_once(char::is_whitespace) {
            Some((base, code)) => (Some(base.trim()), code),
            None => (None, link),
        },
    };
    let hex = token.len() <= MAX_TOKEN && token.bytes().all(|b| b.is_ascii_hexdigit());
    let code = code_shaped(token);
    if token.is_empty() || !(hex || code) {
        return None;
    }
    let base = match base {
        Some(b) if !b.trim_end_matches(['?', '/']).is_empty() => b,
        _ => origin?,
    };
    let (secure, rest) = if let Some(r) = base.strip_prefix("https://") {
        (true, r)
    } else {
        (false, base.strip_prefix("http://").unwrap_or(base))
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b));
    if !host_ok {
        return None;
    }
    let scheme = if secure { "wss" } else { "ws" };
    Some((format!("{scheme}://{host}/api/ws?token={token}"), host.to_owned()))
}

/// Whether `text` has the shape of a team's code: 8 letters and digits, dashes aside.
fn code_shaped(text: &str) -> bool {
    let chars = text.bytes().filter(|b| *b != b'-');
    text.len() <= MAX_CODE && chars.clone().count() == 8 && chars.clone().all(|b| b.is_ascii_alphanumeric())
}
