//! A live workshop: one scenario and seed, several teams, each with its own game that only
//! the server changes. Clients send requests; each is checked by the engine on a copy of
//! the team's game, written to the database, and only then applied and announced.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::broadcast;

use super::store::{Store, StoredSession};
use crate::sim::save::{SaveFile, SavedAction, apply_step};
use crate::sim::{Game, Scenario, load_str};

/// Longest note a client may send, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// Longest id or option a client may send, in bytes.
const MAX_ID_BYTES: usize = 200;
/// Most teams in a session.
pub const MAX_TEAMS: usize = 50;
/// Longest team name, in characters.
pub const MAX_TEAM_NAME: usize = 40;
/// Announcements a slow client may fall behind by before it must resync.
const CHANNEL: usize = 256;

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Facilitator,
    Team(usize),
}

/// A client's request: a step for its team (or, from the facilitator, for a named team or
/// `*` for all), or `sync` for the whole game so far.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The turn the client sees (required to end a turn, so two players of one team cannot
    /// end two turns with one click each).
    #[serde(default)]
    pub turn: Option<usize>,
    pub verb: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub option: Option<String>,
    /// The facilitator's target: a team's name or `*`.
    #[serde(default)]
    pub team: Option<String>,
}

const PLAYER_VERBS: [&str; 5] = ["take", "stop", "choose", "note", "end_turn"];
const FACILITATOR_VERBS: [&str; 5] = ["trigger", "suppress", "allow", "set", "roll"];

pub struct Team {
    pub name: String,
    pub token: String,
    pub game: Game,
    /// Steps accepted so far (the next step's number).
    pub steps: u64,
    pub events: broadcast::Sender<Arc<str>>,
    /// Players connected now (not stored: a restarted server starts from none).
    pub online: u32,
}

pub struct Workshop {
    pub id: String,
    pub scenario_name: String,
    pub scenario_text: String,
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    pub facilitator: String,
    pub teams: Vec<Team>,
    /// Everything any team does, for the facilitator's screens.
    pub events: broadcast::Sender<Arc<str>>,
}

/// Applies one step to a game (the engine's rule, shared with the clients' replicas).
pub fn apply(game: &mut Game, step: &SavedAction) -> Result<(), String> {
    apply_step(game, step).map_err(|e| e.to_string())
}

impl Workshop {
    /// Builds a session from its stored form, replaying every team's steps.
    pub fn rebuild(s: StoredSession) -> Result<Self, String> {
        let loaded = load_str(&s.scenario_text, &s.scenario_name).map_err(|d| d.to_string())?;
        let scenario = Arc::new(loaded.scenario);
        let mut teams = Vec::new();
        for (k, (name, token)) in s.teams.into_iter().enumerate() {
            let mut game = Game::new(Arc::clone(&scenario), s.seed);
            let steps = s.steps.get(k).map_or(&[][..], Vec::as_slice);
            for (n, step) in steps.iter().enumerate() {
                apply(&mut game, step).map_err(|why| format!("team “{name}”, step {n}: {why}"))?;
            }
            let events = broadcast::channel(CHANNEL).0;
            teams.push(Team { name, token, game, steps: steps.len() as u64, events, online: 0 });
        }
        Ok(Self {
            id: s.id,
            scenario_name: s.scenario_name,
            scenario_text: s.scenario_text,
            scenario,
            seed: s.seed,
            facilitator: s.facilitator,
            teams,
            events: broadcast::channel(CHANNEL).0,
        })
    }

    /// A player of team `k` came (`true`) or went: the facilitator's screens are told.
    pub fn presence(&mut self, k: usize, came: bool) {
        let Some(team) = self.teams.get_mut(k) else { return };
        team.online = if came { team.online.saturating_add(1) } else { team.online.saturating_sub(1) };
        let msg = serde_json::json!({ "type": "presence", "team": team.name, "online": team.online });
        let _ = self.events.send(msg.to_string().into());
    }

    /// The team names, in order.
    pub fn team_names(&self) -> Vec<String> {
        self.teams.iter().map(|t| t.name.clone()).collect()
    }

    /// A team's whole game so far, as a save (RON), for a client to (re)build its view.
    pub fn sync(&self, k: usize) -> String {
        let t = &self.teams[k];
        let mut save = SaveFile::of(&t.game);
        save.team = Some(t.name.clone());
        serde_json::json!({ "type": "sync", "team": t.name, "seq": t.steps, "save": save.to_ron() }).to_string()
    }

    /// Handles a request from `role`: checks it, writes each accepted step to `store` before
    /// applying it, announces it; returns the reply to the sender.
    pub fn handle(&mut self, store: &mut Store, role: Role, req: &Request) -> Result<serde_json::Value, String> {
        check_sizes(req)?;
        let targets = self.targets(role, req)?;
        if req.verb == "sync" {
            return Ok(serde_json::json!({ "type": "ok", "synced": targets.len() }));
        }
        let allowed = PLAYER_VERBS.contains(&req.verb.as_str())
            || (role == Role::Facilitator && FACILITATOR_VERBS.contains(&req.verb.as_str()));
        if !allowed {
            return Err(match role {
                Role::Team(_) if FACILITATOR_VERBS.contains(&req.verb.as_str()) => {
                    format!("`{}` is the facilitator's", req.verb)
                }
                _ => format!("unknown verb `{}`: one of {}", req.verb, PLAYER_VERBS.join(", ")),
            });
        }
        if req.verb == "end_turn" && req.turn.is_none() && targets.len() == 1 {
            return Err("say which turn ends: `turn`".into());
        }
        let mut done = Vec::new();
        let mut refused = Vec::new();
        for k in targets {
            let team = &mut self.teams[k];
            // With `*`, each team at its own turn.
            let turn =
                if req.team.as_deref() == Some("*") { team.game.turn() } else { req.turn.unwrap_or(team.game.turn()) };
            let step = SavedAction { turn, verb: req.verb.clone(), id: req.id.clone(), option: req.option.clone() };
            let mut trial = team.game.clone();
            if let Err(why) = apply(&mut trial, &step) {
                refused.push(serde_json::json!({ "team": team.name, "why": why }));
                continue;
            }
            store.append(&self.id, k, team.steps, &step).map_err(|e| format!("not saved, so not done: {e}"))?;
            team.game = trial;
            team.steps += 1;
            let update: Arc<str> = serde_json::json!({
                "type": "update",
                "team": team.name,
                "seq": team.steps,
                "step": { "turn": step.turn, "verb": step.verb, "id": step.id, "option": step.option },
                "turn": team.game.turn(),
                "finished": team.game.is_finished(),
                "log_len": team.game.log().len(),
            })
            .to_string()
            .into();
            // Nobody listening is fine: the step is on disk either way.
            let _ = team.events.send(Arc::clone(&update));
            let _ = self.events.send(update);
            done.push(serde_json::json!({ "team": team.name, "seq": team.steps }));
        }
        if done.is_empty() && refused.len() == 1 {
            return Err(refused[0]["why"].as_str().unwrap_or_default().to_owned());
        }
        Ok(serde_json::json!({ "type": "ok", "done": done, "refused": refused }))
    }

    /// The teams a request acts on: a team token only ever its own team.
    fn targets(&self, role: Role, req: &Request) -> Result<Vec<usize>, String> {
        match (role, req.team.as_deref()) {
            (Role::Team(k), None) => Ok(vec![k]),
            (Role::Team(k), Some(name)) if name == self.teams[k].name => Ok(vec![k]),
            (Role::Team(_), Some(_)) => Err("a team's token acts only for its own team".into()),
            (Role::Facilitator, Some("*")) => Ok((0..self.teams.len()).collect()),
            (Role::Facilitator, Some(name)) => self
                .teams
                .iter()
                .position(|t| t.name == name)
                .map(|k| vec![k])
                .ok_or_else(|| format!("no team “{name}”: one of {}", self.team_names().join(", "))),
            (Role::Facilitator, None) => Err("say which team: `team` is a team's name or `*` for all".into()),
        }
    }
}

fn check_sizes(req: &Request) -> Result<(), String> {
    let limit = if req.verb == "note" { MAX_NOTE_CHARS * 4 } else { MAX_ID_BYTES };
    if req.id.len() > limit || req.id.chars().count() > limit.min(MAX_NOTE_CHARS) {
        return Err(format!("`id` is too long (at most {} characters)", limit.min(MAX_NOTE_CHARS)));
    }
    if req.option.as_deref().is_some_and(|o| o.len() > MAX_ID_BYTES) || req.verb.len() > 32 {
        return Err("`option` or `verb` is too long".into());
    }
    if req.team.as_deref().is_some_and(|t| t.chars().count() > MAX_TEAM_NAME) {
        return Err("`team` is too long".into());
    }
    Ok(())
}

/// Team names as given, checked: 1 to 50 teams, unique names of 1 to 40 characters.
pub fn check_team_names(names: &[String]) -> Result<Vec<String>, String> {
    if names.is_empty() || names.len() > MAX_TEAMS {
        return Err(format!("a session has 1 to {MAX_TEAMS} teams, not {}", names.len()));
    }
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for n in names {
        let name = n.trim();
        if name.is_empty() || name.chars().count() > MAX_TEAM_NAME || name == "*" || name.chars().any(char::is_control)
        {
            return Err(format!("“{name}” is not a team name (1 to {MAX_TEAM_NAME} printable characters, not `*`)"));
        }
        if seen.insert(name.to_owned(), ()).is_some() {
            return Err(format!("two teams are called “{name}”"));
        }
        out.push(name.to_owned());
    }
    Ok(out)
}
