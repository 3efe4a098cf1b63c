//! The session's state as JSON, for the page and its end-to-end tests.

use super::{Live, LiveStatus, Screen, Session};
use crate::sim::Game;

impl Session {
    /// The state as JSON for the page and its tests.
    pub fn state_json(&self, screen: Screen) -> String {
        let g = self.play.game.as_ref();
        // A workshop player holds views of the team's game, not the game.
        let v = self.play.live.as_ref().and_then(Live::view).filter(|_| g.is_none());
        serde_json::json!({
            "screen": format!("{screen:?}"),
            "scenario": g.map(|g| g.scenario().meta.id.clone()),
            "turn": g.map(Game::turn).or(v.map(|v| v.turn.turn)),
            "turns": g.map(|g| g.scenario().turns.len()).or(v.map(|v| v.turn.turns)),
            "finished": g.map(Game::is_finished).or(v.map(|v| v.finished)).unwrap_or(false),
            "actions": g.map(|g| g.actions().len()).or(v.map(|v| v.actions)).unwrap_or(0),
            "points_left": g.map(Game::points_left).or(v.map(|v| v.turn.points_left)),
            "errors": self.messages.errors.as_ref().map_or(0, |e| e.diagnostics.iter().filter(|d| d.is_error()).count()),
            "error_title": self.messages.errors.as_ref().map(|e| e.title.clone()),
            "notice": self.messages.notice.clone(),
            "has_autosave": self.has_autosave(),
            "score": self.play.debrief.as_ref().map(|d| d.score.total).or(v.and_then(|v| v.debrief.as_ref()).map(|d| d.total)),
            "console": self.play.console,
            "time_left": self.time_left(),
            "results": self.results.kept.len(),
            "notes": g.map_or(0, |g| g.log().iter().filter(|o| matches!(o, crate::sim::Outcome::Note { .. })).count()),
            "last_note": g.and_then(|g| g.log().iter().rev().find_map(|o| match o {
                crate::sim::Outcome::Note { text } => Some(text.clone()),
                _ => None,
            })),
            "lang": self.library.settings.lang.tag(),
            "title": g.map(|g| g.scenario().meta.title.clone()).or(v.map(|v| v.turn.scenario_title.clone())),
            "workshop": self.play.live.as_ref().map(|l| serde_json::json!({
                "role": l.role().map(|r| format!("{r:?}")),
                "teams": l.teams().iter().map(|t| serde_json::json!({
                    "name": t.name(),
                    "turn": t.game().map(Game::turn),
                    "actions": t.game().map_or(0, |g| g.actions().len()),
                    "online": t.online(),
                })).collect::<Vec<_>>(),
                "team": l.team(),
                "timer_left": l.timer().map(|t| t.left),
                "timer_paused": l.timer().is_some_and(|t| t.paused),
                "synchronized": l.synchronized(),
                "codes": l.teams().iter().map(|t| t.code()).collect::<Vec<_>>(),
                "seq": l.seq(),
                "connected": *l.status() == LiveStatus::Connected,
                // A team's table: this player, their roles, who holds what, proposals, votes.
                "me": l.player(),
                "held": l.briefing().map_or_else(Vec::new, |b| {
                    b.roles.iter().filter(|r| r.held).map(|r| r.id.clone()).collect::<Vec<_>>()
                }),
                "players": l.floor().map_or_else(Vec::new, |f| f.players.iter().map(|(_, w)| (w.name.clone(), w.roles.clone())).collect()),
                "proposals": l.floor().map_or_else(Vec::new, |f| f.proposals.iter().map(|p| serde_json::json!({
                    "id": p.id, "owner": p.owner, "by": p.by.name, "state": format!("{:?}", p.state),
                })).collect()),
                "votes": l.floor().map_or_else(Vec::new, |f| f.votes.iter().map(|v| serde_json::json!({
                    "decision": v.decision, "ballots": v.ballots.len(), "result": v.result,
                })).collect()),
                "team_players": l.teams().iter().map(|t| t.floor().map_or_else(Vec::new, |f| {
                    f.players.iter().map(|(_, w)| (w.name.clone(), w.roles.clone())).collect::<Vec<_>>()
                })).collect::<Vec<_>>(),
            })),
            // The injects the player has seen, by title (a workshop player's view).
            "feed": v.map_or_else(Vec::new, |v| v.turn.feed.iter().flat_map(|f| f.items.iter().map(|i| i.title.clone())).collect()),
            // The channels of the injects that arrived this turn (distinct, in order), and
            // whether a decision waits for an answer.
            "channels": g.map_or_else(Vec::new, |g| g.channels_this_turn().iter().map(|c| format!("{c:?}")).collect()),
            "decision_due": g.is_some_and(|g| g.due_decisions().any(|(_, c)| c.is_none())),
            "interventions": g.map_or(0, |g| g.log().iter().filter(|o| matches!(o, crate::sim::Outcome::Facilitator { .. })).count()),
        })
        .to_string()
    }
}
