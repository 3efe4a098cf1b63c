//! The connection's news and the server's messages: the welcome, the facilitator's
//! replicas of every team's game, a team player's views, the timer, the table, refusals.

use std::sync::Arc;

use super::{LiveRole, LiveStatus, LiveTimer, ServerEvent, TeamReplica, code_shaped};
use crate::app::session::{Screen, Session, TurnTimer};
use crate::protocol::{self, ClientMsg, Code, Pace, Seat, ServerMsg};
use crate::sim::play::save::SaveFile;
use crate::sim::play::step::apply_step;
use crate::sim::present::player::PlayerView;
use crate::sim::{Game, load_str};
use crate::t;

impl Session {
    /// The connection's news and the server's messages.
    pub(in crate::app::session) fn server_event(&mut self, event: ServerEvent, screen: Screen) -> Option<Screen> {
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
                    live.queue(&ClientMsg::Seat { name, roles, player: None, team: None }, true);
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
                    live.queue(&ClientMsg::Sync { team: Some(team) }, false);
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
                    (Some(s), Some(turn)) => TurnTimer { limit: Some(s as f64), left, paused, turn: Some(turn) },
                    _ => TurnTimer::default(),
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
                live.queue(&ClientMsg::Sync { team }, false);
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
