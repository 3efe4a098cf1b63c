//! Joining and leaving a workshop, and what the players and the facilitator ask of it:
//! while in a workshop the moves go to the server as requests instead of to the engine.

use super::{Live, LiveRole, TeamReplica, VOTE_SECONDS, decision_id, join_url, open_vote, step_refusal, step_request};
use crate::app::session::{Intent, Screen, Session, TimerOrder};
use crate::protocol::{self, ClientMsg};
use crate::sim::play::step::Step;
use crate::t;

impl Session {
    /// Joins a workshop by a team's link or code.
    pub(in crate::app::session) fn join(&mut self, link: &str) -> Option<Screen> {
        let tr = self.tr();
        let origin = crate::app::web::page_origin();
        match join_url(link, origin.as_deref()) {
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
            None if origin.is_none() && !link.contains("join=") && !link.trim().contains(char::is_whitespace) => {
                self.messages.notice = Some(t!(tr, "live-code-needs-server"));
            }
            None => self.messages.notice = Some(t!(tr, "live-not-a-link")),
        }
        None
    }

    /// Leaves the workshop (its game stays on the server).
    pub(in crate::app::session) fn leave(&mut self) -> Option<Screen> {
        self.play.live = None;
        self.play.game = None;
        Some(Screen::Title)
    }

    /// What only a workshop knows: the facilitator's dashboard and timer, the team's
    /// table (seats, proposals, votes). Nothing outside a workshop.
    pub(in crate::app::session) fn handle_workshop(&mut self, intent: Intent) {
        let Some(live) = self.play.live.as_mut() else { return };
        let facilitator = live.is_facilitator();
        let request = match intent {
            Intent::ConsoleOn(team) if facilitator => {
                live.console = team.filter(|k| *k < live.teams.len());
                return;
            }
            Intent::ConsoleForAll(all) => {
                live.console_all = all;
                return;
            }
            Intent::WorkshopTimer(order) if facilitator => {
                let order = match order {
                    TimerOrder::Start(seconds) => protocol::TimerOrder::Start { seconds },
                    TimerOrder::Pause => protocol::TimerOrder::Pause,
                    TimerOrder::Resume => protocol::TimerOrder::Resume,
                    TimerOrder::Stop => protocol::TimerOrder::Off,
                };
                ClientMsg::Timer { order }
            }
            Intent::TakeSeat { name, roles } if live.role == Some(LiveRole::Team) => {
                live.seat = Some((name.clone(), roles.clone()));
                ClientMsg::Seat { name, roles, player: None, team: None }
            }
            Intent::Decide { proposal, accept, team } => ClientMsg::Decide { proposal, accept, team },
            Intent::CallVote(inject) => {
                let Some(decision) = live.view.as_ref().and_then(|v| decision_id(v, inject)) else { return };
                ClientMsg::CallVote { decision, seconds: VOTE_SECONDS, team: None }
            }
            Intent::EndTurnFor(None) if facilitator => {
                ClientMsg::Step { turn: None, step: Step::EndTurn, team: Some("*".into()) }
            }
            Intent::EndTurnFor(Some(k)) if facilitator => {
                let Some(TeamReplica { name, game: Some(g), .. }) = live.teams.get(k) else { return };
                step_request(g.turn(), Step::EndTurn, Some(name))
            }
            _ => return,
        };
        live.queue(&request, false);
    }

    /// The facilitator's console on the workshop dashboard: an intervention or a step back
    /// on the team it is open on (or on every team), checked on the replica as the server
    /// will. A team's player has no console.
    pub(in crate::app::session) fn live_console(&mut self, intent: Intent) {
        let tr = self.tr();
        let Some(live) = self.play.live.as_mut() else { return };
        if !live.is_facilitator() {
            self.messages.notice = Some(t!(tr, "live-not-here"));
            return;
        }
        let Some(TeamReplica { name, game: Some(g), .. }) = live.console.and_then(|k| live.teams.get(k)) else {
            return;
        };
        let step = match &intent {
            Intent::Facilitate(act) => Step::of_intervention(g.scenario(), act),
            _ => Step::StepBack,
        };
        // The same check the server makes, on the replica.
        if let Err(e) = g.check(&step) {
            let why = step_refusal(&e, tr);
            self.messages.notice = Some(match &intent {
                Intent::Facilitate(act) => {
                    t!(tr, "notice-console-refused", what = act.describe_in(g.scenario(), tr), why = why)
                }
                _ => t!(tr, "notice-step-back-refused", why = why),
            });
            return;
        }
        let team = if live.console_all { "*" } else { name.as_str() };
        let request = step_request(g.turn(), step, Some(team));
        live.queue(&request, false);
    }

    /// A team player's move in a workshop: a request to the server, which checks it and
    /// sends the team's new view. Returns the screen to go to, if it changes.
    pub(in crate::app::session) fn live_move(&mut self, intent: Intent) -> Option<Screen> {
        let tr = self.tr();
        let live = self.play.live.as_mut()?;
        let request = match intent {
            // A team's player moves by the steps its view offers; the server checks them.
            Intent::Act(action) => {
                let view = live.view.as_ref()?;
                let Some((_, step)) = view.moves.iter().find(|(a, _)| *a == action) else {
                    self.messages.notice = Some(t!(tr, "live-not-here"));
                    return None;
                };
                // An answer to a decision the team is voting on is this player's vote.
                match step {
                    Step::Choose { decision, option }
                        if live.floor.as_ref().is_some_and(|f| open_vote(f, decision, view.turn.turn)) =>
                    {
                        ClientMsg::Ballot { decision: decision.clone(), option: option.clone() }
                    }
                    _ => step_request(view.turn.turn, step.clone(), None),
                }
            }
            Intent::Note(text) => {
                let view = live.view.as_ref()?;
                // As the game keeps it (trimmed, cut to its length), so the server takes it too.
                let text = crate::sim::play::game::note_text(&text);
                if text.is_empty() {
                    return None;
                }
                step_request(view.turn.turn, Step::Note { text }, None)
            }
            Intent::ContinueFromSummary => {
                let view = live.view.as_ref()?;
                return Some(if view.finished { Screen::Debrief } else { Screen::Playing });
            }
            Intent::EndTurn if live.synchronized => {
                self.messages.notice = Some(t!(tr, "live-facilitator-ends-turns"));
                return None;
            }
            Intent::EndTurn => {
                let view = live.view.as_ref().filter(|v| !v.finished)?;
                step_request(view.turn.turn, Step::EndTurn, None)
            }
            // Undo, play again, replay, the local timer and saves are not the team's here.
            _ => {
                self.messages.notice = Some(t!(tr, "live-not-here"));
                return None;
            }
        };
        if !live.send(&request) {
            self.messages.notice = Some(t!(tr, "live-outbox-full"));
        }
        None
    }

    /// The body of a request creating a workshop on catalog entry `scenario` (its text, so a
    /// scenario opened from a file works too); None if there is no such entry.
    pub(in crate::app::session) fn workshop_request(
        &self,
        scenario: usize,
        teams: &[String],
        synchronized: bool,
        seed: u64,
    ) -> Option<String> {
        let entry = self.library.catalog.get(scenario)?;
        let body = serde_json::json!({
            "scenario_text": entry.text,
            "seed": seed,
            "teams": teams,
            "pace": if synchronized { "synchronized" } else { "free" },
        });
        Some(body.to_string())
    }

    /// The game in play is a workshop's (the server keeps it; nothing is saved here).
    pub fn in_workshop(&self) -> bool {
        self.play.live.is_some()
    }
}
