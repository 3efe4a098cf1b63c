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

use super::{Intent, Screen, Session, TimerOrder};
use crate::protocol::{self, ClientMsg, Code, Floor, Pace, Seat, ServerMsg};
use crate::sim::play::save::SaveFile;
use crate::sim::play::step::{Step, StepError, apply_step};
use crate::sim::present::player::{BriefingView, PlayerView};
use crate::sim::{Game, Scenario, load_str};
use crate::t;

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
    pub name: String,
    pub game: Option<Game>,
    pub seq: u64,
    /// The team's players connected now.
    pub online: u32,
    /// The team's join link, for the facilitator to hand out or show.
    pub link: Option<String>,
    /// The team's short code, to type instead of the link.
    pub code: Option<String>,
    /// Where the team's choices so far lead (`score::heading`), worked out once per change
    /// of its game, for the live leaderboard.
    pub heading: Option<f64>,
    /// The team's table: who holds which role, proposals, votes.
    pub floor: Option<Floor>,
}

impl TeamReplica {
    /// The game changed (or was replaced): its heading again.
    fn changed(&mut self) {
        self.heading = self.game.as_ref().map(crate::sim::play::score::heading);
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

/// This app's part in a live workshop.
#[derive(Debug)]
pub struct Live {
    /// The server's WebSocket address, with the team's token.
    pub url: String,
    /// The server as the player knows it (host and port).
    pub server: String,
    pub status: LiveStatus,
    /// Known once the server welcomed this client.
    pub role: Option<LiveRole>,
    pub team: Option<String>,
    /// The facilitator's view of every team, in the session's order.
    pub teams: Vec<TeamReplica>,
    /// The team the facilitator's console acts on, while it is open.
    pub console: Option<usize>,
    /// The console acts on every team at once (each at its own turn).
    pub console_all: bool,
    /// The server's turn timer.
    pub timer: Option<LiveTimer>,
    /// Only the facilitator ends the turns (the session's pace is synchronized).
    pub synchronized: bool,
    /// Steps of the team's game the replica holds (the server numbers them).
    pub seq: u64,
    /// Requests for the server, sent once the connection is open.
    pub outbox: Vec<String>,
    /// A team's player: the briefing, as the server sent it.
    pub briefing: Option<BriefingView>,
    /// A team's player: the team's game as last shown by the server.
    pub view: Option<PlayerView>,
    /// A team's player: their number at the team's table, and the table.
    pub player: Option<u64>,
    pub floor: Option<Floor>,
    /// The name and roles this player took, said again after a reconnection.
    pub seat: Option<(String, Vec<String>)>,
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
fn decision_id(view: &PlayerView, inject: crate::sim::scenario::InjectIdx) -> Option<String> {
    view.moves.iter().find_map(|(a, s)| match (a, s) {
        (crate::sim::Action::Choose(i, _), Step::Choose { decision, .. }) if *i == inject => Some(decision.clone()),
        _ => None,
    })
}

/// Whether the team is voting on `decision` on turn `turn`.
pub fn open_vote(floor: &Floor, decision: &str, turn: usize) -> bool {
    floor.votes.iter().any(|v| v.decision == decision && v.turn == turn && v.result.is_none())
}

/// A step for the server, on the turn the player sees (and, from the facilitator, for a
/// team or `*`).
fn step_request(turn: usize, step: Step, team: Option<&str>) -> String {
    ClientMsg::Step { turn: Some(turn), step, team: team.map(str::to_owned) }.to_json()
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

/// A server's refusal in the player's language, from its code and arguments; None for a
/// code this version does not know (the server's English message is shown then).
fn refusal(tr: &crate::i18n::Tr, r: &protocol::Refusal) -> Option<String> {
    let arg = |name: &str| r.args.get(name).cloned().unwrap_or_default();
    Some(match r.code {
        Code::OwnTeam => t!(tr, "srv-own-team"),
        Code::NoTeam => t!(tr, "srv-no-team", team = arg("team")),
        Code::WhichTeam => t!(tr, "srv-which-team"),
        Code::WhichTurn => t!(tr, "srv-which-turn"),
        Code::FacilitatorOnly => t!(tr, "srv-facilitator-only"),
        Code::FacilitatorEndsTurns => t!(tr, "live-facilitator-ends-turns"),
        Code::TooLong => t!(tr, "srv-too-long", most = arg("most")),
        Code::NoChange => t!(tr, "srv-no-change"),
        Code::WrongTurn => t!(tr, "srv-wrong-turn", now = arg("now"), asked = arg("asked")),
        Code::GameOver => t!(tr, "srv-game-over"),
        Code::TimerNotRunning => t!(tr, "srv-timer-not-running"),
        Code::TimerNotPaused => t!(tr, "srv-timer-not-paused"),
        Code::TimerOption => t!(tr, "srv-timer-option", text = arg("text")),
        Code::NotSaved => t!(tr, "srv-not-saved", why = arg("why")),
        Code::SessionGone => t!(tr, "srv-session-gone"),
        Code::NotYourRole => t!(tr, "srv-not-your-role", role = arg("role")),
        Code::NoProposal => t!(tr, "srv-no-proposal"),
        Code::NoVote => t!(tr, "srv-no-vote"),
        // The server's own words (in English) for the rest.
        Code::NotARequest | Code::SendJson | Code::Refused | Code::Other => return None,
    })
}

/// Whether `text` has the shape of a team's code: 8 letters and digits, dashes aside.
fn code_shaped(text: &str) -> bool {
    let chars = text.bytes().filter(|b| *b != b'-');
    text.len() <= MAX_CODE && chars.clone().count() == 8 && chars.clone().all(|b| b.is_ascii_alphanumeric())
}

impl Session {
    /// The body of a request creating a workshop on catalog entry `scenario` (its text, so a
    /// scenario opened from a file works too); None if there is no such entry.
    pub fn workshop_request(&self, scenario: usize, teams: &[String], synchronized: bool, seed: u64) -> Option<String> {
        let entry = self.library.catalog.get(scenario)?;
        let body = serde_json::json!({
            "scenario_text": entry.text,
            "seed": seed,
            "teams": teams,
            "pace": if synchronized { "synchronized" } else { "free" },
        });
        Some(body.to_string())
    }
}

impl Session {
    /// Joining and leaving a workshop, the server's messages, and (while in a workshop) the
    /// players' moves, which go to the server instead of the engine. Gives the intent back
    /// when it is not a workshop matter.
    pub(super) fn handle_live(&mut self, intent: Intent, screen: Screen) -> Result<Option<Screen>, Intent> {
        let tr = self.tr();
        match intent {
            Intent::JoinWorkshop(link) => {
                let origin = crate::app::web::page_origin();
                match join_url(&link, origin.as_deref()) {
                    Some((url, server)) => {
                        // The server writes the team's views in the player's language.
                        let url = format!("{url}&lang={}", self.library.settings.lang.tag());
                        self.play.game = None;
                        self.play.debrief = None;
                        self.play.timer = Default::default();
                        self.messages.notice = None;
                        self.play.live = Some(Live::new(url, server));
                    }
                    // A code alone, away from the server's page: the server is missing.
                    None if origin.is_none()
                        && !link.contains("join=")
                        && !link.trim().contains(char::is_whitespace) =>
                    {
                        self.messages.notice = Some(t!(tr, "live-code-needs-server"));
                    }
                    None => self.messages.notice = Some(t!(tr, "live-not-a-link")),
                }
                return Ok(None);
            }
            Intent::LeaveWorkshop => {
                self.play.live = None;
                self.play.game = None;
                return Ok(Some(Screen::Title));
            }
            Intent::Server(event) => return Ok(self.server_event(event, screen)),
            Intent::ConsoleOn(team) => {
                if let Some(live) = self.play.live.as_mut().filter(|l| l.role == Some(LiveRole::Facilitator)) {
                    live.console = team.filter(|k| *k < live.teams.len());
                }
                return Ok(None);
            }
            Intent::Facilitate(act)
                if self.play.live.as_ref().is_some_and(|l| l.role == Some(LiveRole::Facilitator)) =>
            {
                let live = self.play.live.as_mut().expect("checked above");
                let Some(TeamReplica { name, game: Some(g), .. }) = live.console.and_then(|k| live.teams.get(k)) else {
                    return Ok(None);
                };
                // The same check the server makes, on the replica.
                let step = Step::of_intervention(g.scenario(), &act);
                if let Err(e) = g.check(&step) {
                    let what = act.describe_in(g.scenario(), tr);
                    let why = step_refusal(&e, tr);
                    self.messages.notice = Some(t!(tr, "notice-console-refused", what = what, why = why));
                    return Ok(None);
                }
                let team = if live.console_all { "*" } else { name.as_str() };
                live.outbox.push(step_request(g.turn(), step, Some(team)));
                return Ok(None);
            }
            Intent::StepBack if self.play.live.as_ref().is_some_and(|l| l.role == Some(LiveRole::Facilitator)) => {
                let live = self.play.live.as_mut().expect("checked above");
                let Some(TeamReplica { name, game: Some(g), .. }) = live.console.and_then(|k| live.teams.get(k)) else {
                    return Ok(None);
                };
                // The same check the server makes, on the replica.
                if let Err(e) = g.check(&Step::StepBack) {
                    self.messages.notice = Some(t!(tr, "notice-step-back-refused", why = step_refusal(&e, tr)));
                    return Ok(None);
                }
                let team = if live.console_all { "*" } else { name.as_str() };
                live.outbox.push(step_request(g.turn(), Step::StepBack, Some(team)));
                return Ok(None);
            }
            Intent::ConsoleForAll(all) => {
                if let Some(live) = self.play.live.as_mut() {
                    live.console_all = all;
                }
                return Ok(None);
            }
            Intent::WorkshopTimer(order) => {
                let Some(live) = self.play.live.as_mut().filter(|l| l.role == Some(LiveRole::Facilitator)) else {
                    return Ok(None);
                };
                let order = match order {
                    TimerOrder::Start(seconds) => protocol::TimerOrder::Start { seconds },
                    TimerOrder::Pause => protocol::TimerOrder::Pause,
                    TimerOrder::Resume => protocol::TimerOrder::Resume,
                    TimerOrder::Stop => protocol::TimerOrder::Off,
                };
                live.outbox.push(ClientMsg::Timer { order }.to_json());
                return Ok(None);
            }
            Intent::TakeSeat { name, roles } => {
                let Some(live) = self.play.live.as_mut().filter(|l| l.role == Some(LiveRole::Team)) else {
                    return Ok(None);
                };
                live.seat = Some((name.clone(), roles.clone()));
                live.outbox.push(ClientMsg::Seat { name, roles, player: None, team: None }.to_json());
                return Ok(None);
            }
            Intent::Decide { proposal, accept, team } => {
                if let Some(live) = self.play.live.as_mut() {
                    live.outbox.push(ClientMsg::Decide { proposal, accept, team }.to_json());
                }
                return Ok(None);
            }
            Intent::CallVote(inject) => {
                let Some(live) = self.play.live.as_mut() else { return Ok(None) };
                let Some(decision) = live.view.as_ref().and_then(|v| decision_id(v, inject)) else { return Ok(None) };
                live.outbox.push(ClientMsg::CallVote { decision, seconds: VOTE_SECONDS, team: None }.to_json());
                return Ok(None);
            }
            Intent::EndTurnFor(team) => {
                let Some(live) = self.play.live.as_mut().filter(|l| l.role == Some(LiveRole::Facilitator)) else {
                    return Ok(None);
                };
                let request = match team {
                    None => ClientMsg::Step { turn: None, step: Step::EndTurn, team: Some("*".into()) }.to_json(),
                    Some(k) => {
                        let Some(TeamReplica { name, game: Some(g), .. }) = live.teams.get(k) else { return Ok(None) };
                        step_request(g.turn(), Step::EndTurn, Some(name))
                    }
                };
                live.outbox.push(request);
                return Ok(None);
            }
            _ => {}
        }
        let Some(live) = self.play.live.as_mut() else { return Err(intent) };
        let request = match &intent {
            // Starting something else on this machine leaves the workshop.
            Intent::NewGame(..)
            | Intent::OpenPath(..)
            | Intent::OpenText { .. }
            | Intent::Resume
            | Intent::ImportSave { .. } => {
                self.play.live = None;
                return Err(intent);
            }
            // A team's player moves by the steps its view offers; the server checks them.
            Intent::Act(action) => {
                let Some(view) = live.view.as_ref() else { return Ok(None) };
                let Some((_, step)) = view.moves.iter().find(|(a, _)| a == action) else {
                    self.messages.notice = Some(t!(tr, "live-not-here"));
                    return Ok(None);
                };
                // An answer to a decision the team is voting on is this player's vote.
                match step {
                    Step::Choose { decision, option }
                        if live.floor.as_ref().is_some_and(|f| open_vote(f, decision, view.turn.turn)) =>
                    {
                        ClientMsg::Ballot { decision: decision.clone(), option: option.clone() }.to_json()
                    }
                    _ => step_request(view.turn.turn, step.clone(), None),
                }
            }
            Intent::Note(text) => {
                let Some(view) = live.view.as_ref() else { return Ok(None) };
                // As the game keeps it (trimmed, cut to its length), so the server takes it too.
                let text = crate::sim::play::game::note_text(text);
                if text.is_empty() {
                    return Ok(None);
                }
                step_request(view.turn.turn, Step::Note { text }, None)
            }
            Intent::StartPlaying if live.view.is_some() => return Ok(Some(Screen::Playing)),
            Intent::ContinueFromSummary => {
                let Some(view) = live.view.as_ref() else { return Ok(None) };
                return Ok(Some(if view.finished { Screen::Debrief } else { Screen::Playing }));
            }
            // The server's timer ends the turn, for every player at once.
            Intent::TimeUp => return Ok(None),
            Intent::EndTurn if live.synchronized => {
                self.messages.notice = Some(t!(tr, "live-facilitator-ends-turns"));
                return Ok(None);
            }
            Intent::EndTurn => {
                let Some(view) = live.view.as_ref().filter(|v| !v.finished) else { return Ok(None) };
                step_request(view.turn.turn, Step::EndTurn, None)
            }
            Intent::Undo
            | Intent::PlayAgain
            | Intent::ReplayFrom(..)
            | Intent::StepBack
            | Intent::Facilitate(..)
            | Intent::SetTimer(..)
            | Intent::ExportSave => {
                self.messages.notice = Some(t!(tr, "live-not-here"));
                return Ok(None);
            }
            _ => return Err(intent),
        };
        if live.outbox.len() >= MAX_OUTBOX {
            self.messages.notice = Some(t!(tr, "live-outbox-full"));
        } else {
            live.outbox.push(request);
        }
        Ok(None)
    }

    /// The connection's news and the server's messages.
    fn server_event(&mut self, event: ServerEvent, screen: Screen) -> Option<Screen> {
        let tr = self.tr();
        let live = self.play.live.as_mut()?;
        let text = match event {
            ServerEvent::Opened => {
                live.status = LiveStatus::Connected;
                return None;
            }
            ServerEvent::Closed(why) => {
                live.status = LiveStatus::Lost(why);
                return None;
            }
            ServerEvent::Text(text) => text,
        };
        let message = match serde_json::from_str::<ServerMsg>(&text) {
            Ok(m) => m,
            Err(e) => {
                self.messages.notice = Some(t!(tr, "live-garbled", error = e.to_string()));
                return None;
            }
        };
        match message {
            ServerMsg::Welcome(protocol::Welcome {
                seat,
                team,
                teams,
                online,
                tokens,
                codes,
                pace,
                scenario_name,
                scenario_text,
                briefing,
                player,
                ..
            }) => {
                live.synchronized = pace == Pace::Synchronized;
                // The facilitator's dashboard replicates every team's game on the scenario.
                if let Some(text) = scenario_text {
                    match load_str(&text, &scenario_name) {
                        Ok(loaded) => live.scenario = Some(Arc::new(loaded.scenario)),
                        Err(d) => {
                            self.play.live = None;
                            self.messages.notice = Some(t!(tr, "live-bad-scenario", error = d.to_string()));
                            return Some(Screen::Title);
                        }
                    }
                }
                if seat == Seat::Facilitator {
                    live.role = Some(LiveRole::Facilitator);
                    // Keep what is known of each team across a reconnection.
                    let mut old = std::mem::take(&mut live.teams);
                    let scheme = if live.url.starts_with("wss:") { "https" } else { "http" };
                    let links = tokens
                        .into_iter()
                        .map(|t| {
                            t.bytes()
                                .all(|b| b.is_ascii_hexdigit())
                                .then(|| format!("{scheme}://{}/?join={t}", live.server))
                        })
                        .chain(std::iter::repeat(None));
                    let codes = codes.into_iter().map(|c| code_shaped(&c).then_some(c)).chain(std::iter::repeat(None));
                    live.teams = teams
                        .into_iter()
                        .zip(online.into_iter().chain(std::iter::repeat(0)))
                        .zip(links.zip(codes))
                        .map(|((name, online), (link, code))| match old.iter().position(|t| t.name == name) {
                            Some(k) => TeamReplica { online, link, code, ..old.swap_remove(k) },
                            None => {
                                TeamReplica { name, game: None, seq: 0, online, link, code, heading: None, floor: None }
                            }
                        })
                        .collect();
                    self.play.game = None;
                    return (screen != Screen::Workshop).then_some(Screen::Workshop);
                }
                live.role = Some(LiveRole::Team);
                live.team = team;
                live.briefing = briefing.map(|b| *b);
                live.player = player;
                // A player who had taken roles takes them again (a new connection starts
                // without any).
                if let Some((name, roles)) = live.seat.clone() {
                    live.outbox.insert(0, ClientMsg::Seat { name, roles, player: None, team: None }.to_json());
                }
                self.play.game = None;
                None
            }
            ServerMsg::Sync { team, seq, save } if live.role == Some(LiveRole::Facilitator) => {
                let game = self.replica(save);
                let live = self.play.live.as_mut()?;
                let replica = live.teams.iter_mut().find(|t| t.name == team)?;
                replica.game = game;
                replica.seq = seq;
                replica.changed();
                None
            }
            ServerMsg::Update { team, seq, step } if live.role == Some(LiveRole::Facilitator) => {
                let replica = live.teams.iter_mut().find(|t| t.name == team)?;
                let applied = match replica.game.as_mut() {
                    Some(g) if seq == replica.seq + 1 => apply_step(g, &step).is_ok(),
                    _ => false,
                };
                if applied {
                    replica.seq = seq;
                    replica.changed();
                } else {
                    live.outbox.push(ClientMsg::Sync { team: Some(team) }.to_json());
                }
                None
            }
            // A team's player is sent views, not games.
            ServerMsg::Sync { .. } | ServerMsg::Update { .. } => None,
            ServerMsg::View { seq, view, .. } => self.viewed(seq, *view, screen),
            ServerMsg::Presence { team, online } => {
                if let Some(t) = live.teams.iter_mut().find(|t| t.name == team) {
                    t.online = online;
                }
                None
            }
            ServerMsg::Timer { seconds, left_ms, paused } => {
                let left = left_ms.unwrap_or(0).max(0) as f64 / 1000.0;
                live.timer = seconds.map(|seconds| LiveTimer { seconds, left, paused });
                // A player's countdown is the app's own turn timer, set from the server's.
                let turn = live.view.as_ref().map(|v| v.turn.turn).or(self.play.game.as_ref().map(Game::turn));
                self.play.timer = match (seconds, turn) {
                    (Some(s), Some(turn)) => super::TurnTimer { limit: Some(s as f64), left, paused, turn: Some(turn) },
                    _ => super::TurnTimer::default(),
                };
                None
            }
            ServerMsg::Ok { .. } => None,
            ServerMsg::Briefing { briefing } => {
                live.briefing = Some(*briefing);
                None
            }
            ServerMsg::Floor { team, floor } => {
                if live.role == Some(LiveRole::Facilitator) {
                    if let Some(t) = live.teams.iter_mut().find(|t| t.name == team) {
                        t.floor = Some(floor);
                    }
                } else {
                    live.floor = Some(floor);
                }
                None
            }
            ServerMsg::Error(r) => {
                let why = refusal(tr, &r).unwrap_or(r.message);
                self.messages.notice = Some(t!(tr, "live-refused", why = why));
                None
            }
            ServerMsg::Lagged { .. } => {
                // Missed announcements: every game this client replicates, again (a
                // facilitator's request names its teams: all of them).
                let team = (live.role == Some(LiveRole::Facilitator)).then(|| "*".to_owned());
                live.outbox.push(ClientMsg::Sync { team }.to_json());
                None
            }
        }
    }

    /// A team's game as the server sent it (a save), in the player's language; a notice
    /// and None when it cannot be rebuilt here.
    fn replica(&mut self, save: SaveFile) -> Option<Game> {
        let tr = self.tr();
        let tag = self.library.settings.lang.tag();
        let base = self.play.live.as_ref()?.scenario.as_ref()?;
        let sc = if base.speaks(tag) { Arc::new(base.in_language(tag)) } else { Arc::clone(base) };
        match save.resume(&sc) {
            Ok(g) => Some(g),
            Err(e) => {
                self.messages.notice = Some(t!(tr, "live-bad-sync", error = e.to_string()));
                None
            }
        }
    }

    /// A new view of the team's game: shown, and the screen follows the game (a turn's
    /// summary when it ended, the turn again when the facilitator stepped back).
    fn viewed(&mut self, seq: u64, view: PlayerView, screen: Screen) -> Option<Screen> {
        let live = self.play.live.as_mut()?;
        // An older view than the one shown (a sync answered after news): ignored.
        if live.view.is_some() && seq < live.seq {
            return None;
        }
        live.seq = seq;
        let (turn, finished) = (view.turn.turn, view.finished);
        let summary_turn = view.summary.as_ref().map(|s| s.0);
        let before = live.view.replace(view).map(|b| (b.turn.turn, b.finished));
        // The countdown counts this turn.
        if self.play.timer.limit.is_some() && self.play.timer.turn != Some(turn) {
            self.play.timer.turn = Some(turn);
            self.play.timer.left = self.play.timer.limit.unwrap_or(0.0);
        }
        let Some((was, was_finished)) = before else {
            // Joining: the briefing of a fresh game, else where the team is.
            let fresh = turn == 0 && seq == 0;
            return match screen {
                Screen::Title | Screen::Leaderboard | Screen::Debrief | Screen::Workshop => Some(if finished {
                    Screen::Debrief
                } else if fresh {
                    Screen::Briefing
                } else {
                    Screen::Playing
                }),
                _ => None,
            };
        };
        if turn > was || (finished && !was_finished) {
            // A turn ended (by a player, the facilitator or the timer): its summary.
            self.play.summary_turn = summary_turn.unwrap_or(turn.saturating_sub(1));
            return matches!(screen, Screen::Playing | Screen::Briefing).then_some(Screen::Summary);
        }
        // The facilitator stepped the game back: the players are on that turn again.
        if turn < was || (was_finished && !finished) {
            return matches!(screen, Screen::Summary | Screen::Debrief).then_some(Screen::Playing);
        }
        None
    }

    /// The game in play is a workshop's (the server keeps it; nothing is saved here).
    pub fn in_workshop(&self) -> bool {
        self.play.live.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::join_url;

    #[test]
    fn a_join_link_becomes_the_servers_websocket_address() {
        let tok = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            join_url(&format!("http://192.168.1.5:8080/?join={tok}"), None),
            Some((format!("ws://192.168.1.5:8080/api/ws?token={tok}"), "192.168.1.5:8080".into()))
        );
        assert_eq!(
            join_url(&format!(" https://ttx.example.org/?join={tok}#x "), None).map(|u| u.0),
            Some(format!("wss://ttx.example.org/api/ws?token={tok}"))
        );
        assert_eq!(
            join_url(&format!("localhost:8080/?join={tok}"), None).map(|u| u.0),
            Some(format!("ws://localhost:8080/api/ws?token={tok}"))
        );
        // A bare token joins the page's own server, in the browser only.
        assert_eq!(join_url(tok, None), None);
        assert_eq!(
            join_url(tok, Some("http://127.0.0.1:8080")).map(|u| u.0),
            Some(format!("ws://127.0.0.1:8080/api/ws?token={tok}"))
        );
        // Nothing but a token and a host goes into the address.
        assert_eq!(join_url("http://h/?join=abc\"><script>", None), None);
        assert_eq!(join_url(&format!("http://evil host/?join={tok}"), None), None);
        assert_eq!(join_url(&format!("http://h/?join={}", "a".repeat(65)), None), None);
        assert_eq!(join_url("", None), None);
    }

    #[test]
    fn a_team_code_joins_with_the_server_before_it_or_on_the_servers_page() {
        assert_eq!(
            join_url("k7qm-3xpr", Some("http://10.0.0.5:8080")),
            Some(("ws://10.0.0.5:8080/api/ws?token=k7qm-3xpr".into(), "10.0.0.5:8080".into()))
        );
        assert_eq!(
            join_url(" 192.168.1.5:8080   K7QM-3XPR ", None),
            Some(("ws://192.168.1.5:8080/api/ws?token=K7QM-3XPR".into(), "192.168.1.5:8080".into()))
        );
        assert_eq!(
            join_url("https://ttx.example.org K7QM3XPR", None).map(|u| u.0),
            Some("wss://ttx.example.org/api/ws?token=K7QM3XPR".into())
        );
        // A code alone has no server away from the server's page; nothing odd passes.
        assert_eq!(join_url("K7QM-3XPR", None), None);
        assert_eq!(join_url("host K7QM/3XPR", None), None);
        assert_eq!(join_url("host K7QM-3XPR-K7QM-3XPR", None), None);
        assert_eq!(join_url("evil host K7QM-3XPR", None), None);
        assert_eq!(join_url("my team", None), None, "two words are not a server and a code");
        assert_eq!(join_url("host K7QM-3XP", None), None);
    }
}
