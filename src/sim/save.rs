//! Saved games: the scenario's identity, the seed, the players' choices and the outcome log.
//!
//! Resuming replays the choices on the scenario and checks that the replay reproduces the
//! saved log exactly, so a save that no longer matches its scenario is caught, not trusted.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::game::{Game, Intervention, Outcome};
use super::scenario::{Action, Scenario};

/// Save format version.
pub const SAVE_VERSION: u32 = 1;

/// One accepted action, by id so a save stays readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAction {
    pub turn: usize,
    /// The players' "take", "stop", "choose" and "note" (their rationale, in `id`); the
    /// facilitator's "trigger" and "suppress"/"allow" (an inject), "set" (a metric, the
    /// value in `option`), "roll" (a dynamic, the draw in `option`), "back" and "time_up".
    pub verb: String,
    pub id: String,
    #[serde(default)]
    pub option: Option<String>,
}

/// A game on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFile {
    pub version: u32,
    pub scenario_id: String,
    pub scenario_title: String,
    /// Hex fingerprint of the scenario text the game was played on.
    pub fingerprint: String,
    pub seed: u64,
    /// How many turns had been resolved.
    pub turns_done: usize,
    pub actions: Vec<SavedAction>,
    pub log: Vec<Outcome>,
    /// The team that played, for result files compared on a leaderboard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

/// A save together with the scenario text it was played on: what the game writes as its
/// autosave and exports, so a result of a custom scenario travels as one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub scenario_name: String,
    pub scenario_text: String,
    pub save: SaveFile,
}

impl Bundle {
    pub fn to_ron(&self) -> String {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new().depth_limit(2)).unwrap_or_default()
    }
}

/// Reads either a bare save or a [`Bundle`]; the bundle's scenario (name, text) comes along.
pub fn read_any(text: &str) -> Result<(SaveFile, Option<(String, String)>), SaveError> {
    let bundle = ron::Options::default().with_recursion_limit(32).from_str::<Bundle>(text);
    match bundle {
        Ok(b) if b.save.version != SAVE_VERSION => Err(SaveError::Version(b.save.version)),
        Ok(b) => Ok((b.save, Some((b.scenario_name, b.scenario_text)))),
        Err(bundle_error) => SaveFile::from_ron(text).map(|save| (save, None)).map_err(|save_error| {
            // Explain the failure of the format the file looks like.
            if text.trim_start().starts_with("(") && text.contains("scenario_text") {
                let e = bundle_error;
                SaveError::Syntax(format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))
            } else {
                save_error
            }
        }),
    }
}

/// Why a save cannot be resumed.
#[derive(Debug, Error, PartialEq)]
pub enum SaveError {
    #[error("the save is not readable: {0}")]
    Syntax(String),
    #[error("save version {0} is not supported (this ttx reads version {SAVE_VERSION})")]
    Version(u32),
    #[error("the save belongs to scenario `{saved}`, not `{loaded}`")]
    OtherScenario { saved: String, loaded: String },
    #[error("the scenario “{0}” has changed since this game was saved")]
    Changed(String),
    #[error("the save names {what} `{id}`, which the scenario does not have")]
    UnknownId { what: &'static str, id: String },
    #[error("turn {turn}: the saved action “{action}” is not allowed there ({why})")]
    Refused { turn: usize, action: String, why: String },
    #[error("replaying the save does not reproduce its log (first difference at entry {0})")]
    Diverged(usize),
    #[error("the save claims {0} resolved turns, more than the scenario has")]
    TooManyTurns(usize),
}

impl SaveFile {
    /// Captures a game.
    pub fn of(game: &Game) -> Self {
        let sc = game.scenario();
        // From the log, so the players' notes keep their place among the actions.
        let mut actions = Vec::new();
        let mut turn = 0usize;
        let mut add = |turn: usize, verb: &str, id: &str, option: Option<String>| {
            actions.push(SavedAction { turn, verb: verb.into(), id: id.to_owned(), option });
        };
        for o in game.log() {
            match o {
                Outcome::TurnStarted { turn: t } => turn = *t as usize,
                Outcome::MitigationTaken { mitigation, .. } => {
                    add(turn, "take", &sc.mitigations[*mitigation as usize].id, None)
                }
                Outcome::MitigationStopped { mitigation } => {
                    add(turn, "stop", &sc.mitigations[*mitigation as usize].id, None)
                }
                Outcome::DecisionMade { inject, option, by_default: false } => {
                    let inj = &sc.injects[*inject as usize];
                    add(turn, "choose", &inj.id, Some(inj.options[*option as usize].id.clone()));
                }
                Outcome::Note { text } => add(turn, "note", text, None),
                Outcome::Facilitator { act } => match act {
                    Intervention::Trigger { inject } => add(turn, "trigger", &sc.injects[*inject as usize].id, None),
                    Intervention::Suppress { inject, on } => {
                        add(turn, if *on { "suppress" } else { "allow" }, &sc.injects[*inject as usize].id, None)
                    }
                    Intervention::SetMetric { metric, value } => {
                        add(turn, "set", &sc.metrics[*metric as usize].id, Some(value.to_string()))
                    }
                    Intervention::Roll { dynamic, draw } => {
                        add(turn, "roll", &sc.dynamics[*dynamic as usize].id, Some(draw.to_string()))
                    }
                    Intervention::SteppedBack { from } => add(turn, "back", &from.to_string(), None),
                    Intervention::TimeUp => add(turn, "time_up", "", None),
                },
                _ => {}
            }
        }
        let turns_done = game.log().iter().filter(|o| matches!(o, Outcome::TurnEnded { .. })).count();
        Self {
            version: SAVE_VERSION,
            scenario_id: sc.meta.id.clone(),
            scenario_title: sc.meta.title.clone(),
            fingerprint: format!("{:016x}", sc.fingerprint),
            seed: game.seed(),
            turns_done,
            actions,
            log: game.log().to_vec(),
            team: None,
        }
    }

    pub fn to_ron(&self) -> String {
        let cfg = ron::ser::PrettyConfig::new().depth_limit(3);
        ron::ser::to_string_pretty(self, cfg).unwrap_or_default()
    }

    pub fn from_ron(text: &str) -> Result<Self, SaveError> {
        let save: Self = ron::Options::default()
            .with_recursion_limit(32)
            .from_str(text)
            .map_err(|e| SaveError::Syntax(format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code)))?;
        if save.version != SAVE_VERSION {
            return Err(SaveError::Version(save.version));
        }
        Ok(save)
    }

    /// A facilitator's verb as an intervention, or None for a player's verb.
    fn intervention(&self, sc: &Scenario, a: &SavedAction) -> Result<Option<Intervention>, SaveError> {
        let unknown = |what, id: &str| SaveError::UnknownId { what, id: id.to_owned() };
        let inject = || sc.inject_index(&a.id).ok_or_else(|| unknown("inject", &a.id));
        let number = || {
            let text = a.option.as_deref().unwrap_or("");
            text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| unknown("number", text))
        };
        Ok(Some(match a.verb.as_str() {
            "trigger" => Intervention::Trigger { inject: inject()? },
            "suppress" | "allow" => Intervention::Suppress { inject: inject()?, on: a.verb == "suppress" },
            "set" => Intervention::SetMetric {
                metric: sc.metric_index(&a.id).ok_or_else(|| unknown("metric", &a.id))?,
                value: number()?,
            },
            "roll" => {
                let d = sc.dynamics.iter().position(|d| d.id == a.id).ok_or_else(|| unknown("dynamic rule", &a.id))?;
                Intervention::Roll { dynamic: d as u16, draw: number()? }
            }
            "back" => Intervention::SteppedBack { from: a.id.parse().map_err(|_| unknown("turn", &a.id))? },
            "time_up" => Intervention::TimeUp,
            _ => return Ok(None),
        }))
    }

    fn action(&self, sc: &Scenario, a: &SavedAction) -> Result<Action, SaveError> {
        let unknown = |what, id: &str| SaveError::UnknownId { what, id: id.to_owned() };
        match a.verb.as_str() {
            "take" | "stop" => {
                let m = sc.mitigation_index(&a.id).ok_or_else(|| unknown("mitigation", &a.id))?;
                Ok(if a.verb == "take" { Action::Take(m) } else { Action::Stop(m) })
            }
            "choose" => {
                let i = sc.inject_index(&a.id).ok_or_else(|| unknown("decision", &a.id))?;
                let opt = a.option.as_deref().unwrap_or("");
                let o = sc.injects[i as usize]
                    .options
                    .iter()
                    .position(|o| o.id == opt)
                    .ok_or_else(|| unknown("option", opt))?;
                Ok(Action::Choose(i, o as u16))
            }
            other => Err(unknown("action", other)),
        }
    }

    /// Rebuilds the game on `scenario`, checking it is the same scenario and the same log.
    pub fn resume(&self, scenario: &Arc<Scenario>) -> Result<Game, SaveError> {
        if self.scenario_id != scenario.meta.id {
            return Err(SaveError::OtherScenario { saved: self.scenario_id.clone(), loaded: scenario.meta.id.clone() });
        }
        if self.fingerprint != format!("{:016x}", scenario.fingerprint) {
            return Err(SaveError::Changed(scenario.meta.title.clone()));
        }
        if self.turns_done > scenario.turns.len() {
            return Err(SaveError::TooManyTurns(self.turns_done));
        }
        let mut game = Game::new(Arc::clone(scenario), self.seed);
        let mut pending = self.actions.iter().peekable();
        loop {
            while let Some(a) = pending.next_if(|a| a.turn == game.turn() && !game.is_finished()) {
                if a.verb == "note" {
                    game.note(&a.id);
                    continue;
                }
                if let Some(act) = self.intervention(scenario, a)? {
                    let refused = |why: String| SaveError::Refused { turn: a.turn, action: a.verb.clone(), why };
                    match act {
                        Intervention::SteppedBack { .. } | Intervention::TimeUp => game.record(act),
                        act => game.intervene(act).map_err(|why| refused(why.to_string()))?,
                    }
                    continue;
                }
                let action = self.action(scenario, a)?;
                game.act(action).map_err(|why| SaveError::Refused {
                    turn: a.turn,
                    action: scenario.describe(action),
                    why: why.to_string(),
                })?;
            }
            let done = game.log().iter().filter(|o| matches!(o, Outcome::TurnEnded { .. })).count();
            if done >= self.turns_done || game.is_finished() {
                break;
            }
            game.end_turn();
        }
        if let Some(a) = pending.next() {
            return Err(SaveError::Refused { turn: a.turn, action: a.id.clone(), why: "out of turn order".into() });
        }
        if game.log() != self.log.as_slice() {
            let at = game
                .log()
                .iter()
                .zip(&self.log)
                .position(|(a, b)| a != b)
                .unwrap_or(game.log().len().min(self.log.len()));
            return Err(SaveError::Diverged(at));
        }
        Ok(game)
    }
}
