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
                syntax(text, &bundle_error)
            } else {
                save_error
            }
        }),
    }
}

/// A RON error in a save, placed at line:column with the field path it is in.
fn syntax(text: &str, e: &ron::error::SpannedError) -> SaveError {
    let pos = super::locate::Pos { line: e.span.start.line, col: e.span.start.col };
    let path = super::locate::Locations::scan(text).path_before(pos).map(str::to_owned).unwrap_or_default();
    SaveError::Syntax { line: pos.line, col: pos.col, message: e.code.to_string(), path }
}

fn at(path: &str) -> String {
    if path.is_empty() { String::new() } else { format!(" (at `{path}`)") }
}

/// Why a save cannot be resumed.
#[derive(Debug, Error, PartialEq)]
pub enum SaveError {
    #[error("{line}:{col}: the save is not readable: {message}{}", at(path))]
    Syntax { line: usize, col: usize, message: String, path: String },
    #[error("the save names the scenario “{saved}”, but this scenario is “{loaded}”")]
    OtherTitle { saved: String, loaded: String },
    #[error("actions[{index}]: a “{verb}” carries no `option` (it has “{option}”)")]
    StrayOption { index: usize, verb: String, option: String },
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
    #[error(
        "replaying the save does not reproduce its log: log[{at}] (turn {turn}) is saved as `{saved}` but replays as `{replayed}`"
    )]
    Diverged { at: usize, turn: usize, saved: String, replayed: String },
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
                    add(turn, "take", &sc.mitigations[mitigation.ix()].id, None)
                }
                Outcome::MitigationStopped { mitigation } => {
                    add(turn, "stop", &sc.mitigations[mitigation.ix()].id, None)
                }
                Outcome::DecisionMade { inject, option, by_default: false } => {
                    let inj = &sc.injects[inject.ix()];
                    add(turn, "choose", &inj.id, Some(inj.options[*option as usize].id.clone()));
                }
                Outcome::Note { text } => add(turn, "note", text, None),
                Outcome::Facilitator { act } => {
                    let step = intervention_step(sc, turn, act);
                    add(turn, &step.verb, &step.id, step.option);
                }
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
        let save: Self =
            ron::Options::default().with_recursion_limit(32).from_str(text).map_err(|e| syntax(text, &e))?;
        if save.version != SAVE_VERSION {
            return Err(SaveError::Version(save.version));
        }
        Ok(save)
    }

    /// Rebuilds the game on `scenario`, checking it is the same scenario and the same log.
    pub fn resume(&self, scenario: &Arc<Scenario>) -> Result<Game, SaveError> {
        if self.scenario_id != scenario.meta.id {
            return Err(SaveError::OtherScenario { saved: self.scenario_id.clone(), loaded: scenario.meta.id.clone() });
        }
        if !scenario.has_title(&self.scenario_title) {
            return Err(SaveError::OtherTitle {
                saved: self.scenario_title.clone(),
                loaded: scenario.meta.title.clone(),
            });
        }
        if let Some((index, a)) = self.actions.iter().enumerate().find(|(_, a)| {
            matches!(a.verb.as_str(), "take" | "stop" | "note" | "trigger" | "suppress" | "allow" | "back" | "time_up")
                && a.option.is_some()
        }) {
            return Err(SaveError::StrayOption {
                index,
                verb: a.verb.clone(),
                option: a.option.clone().unwrap_or_default(),
            });
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
                apply_saved(&mut game, a)?;
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
            let show = |o: Option<&Outcome>| {
                let text = o.map_or_else(|| "(nothing)".to_owned(), |o| ron::to_string(o).unwrap_or_default());
                if text.chars().count() > 120 {
                    format!("{}…", text.chars().take(120).collect::<String>())
                } else {
                    text
                }
            };
            let turn = game.log()[..at.min(game.log().len())]
                .iter()
                .rev()
                .find_map(|o| match o {
                    Outcome::TurnStarted { turn } => Some(*turn as usize),
                    _ => None,
                })
                .unwrap_or(0);
            return Err(SaveError::Diverged {
                at,
                turn,
                saved: show(self.log.get(at)),
                replayed: show(game.log().get(at)),
            });
        }
        Ok(game)
    }
}

/// A facilitator's verb as an intervention, or None for a player's verb.
fn intervention(sc: &Scenario, a: &SavedAction) -> Result<Option<Intervention>, SaveError> {
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

/// A player's verb ("take", "stop", "choose") as an action.
fn action(sc: &Scenario, a: &SavedAction) -> Result<Action, SaveError> {
    let unknown = |what, id: &str| SaveError::UnknownId { what, id: id.to_owned() };
    match a.verb.as_str() {
        "take" | "stop" => {
            let m = sc.mitigation_index(&a.id).ok_or_else(|| unknown("mitigation", &a.id))?;
            Ok(if a.verb == "take" { Action::Take(m) } else { Action::Stop(m) })
        }
        "choose" => {
            let i = sc.inject_index(&a.id).ok_or_else(|| unknown("decision", &a.id))?;
            let opt = a.option.as_deref().unwrap_or("");
            let o =
                sc.injects[i.ix()].options.iter().position(|o| o.id == opt).ok_or_else(|| unknown("option", opt))?;
            Ok(Action::Choose(i, o as u16))
        }
        other => Err(unknown("action", other)),
    }
}

/// Applies one saved action (a move, a note or an intervention) to `game`, as resuming a
/// save does: a live game fed the same actions in the same order is the same game.
pub fn apply_saved(game: &mut Game, a: &SavedAction) -> Result<(), SaveError> {
    let sc = Arc::clone(game.scenario());
    let refused = |why: String| SaveError::Refused { turn: a.turn, action: a.verb.clone(), why };
    if a.verb == "note" {
        return game.note(&a.id).map_err(|why| refused(why.to_string()));
    }
    if let Some(act) = intervention(&sc, a)? {
        return match act {
            Intervention::SteppedBack { .. } | Intervention::TimeUp => game.record(act),
            act => game.intervene(act),
        }
        .map_err(|why| refused(why.to_string()));
    }
    let action = action(&sc, a)?;
    game.act(action).map_err(|why| SaveError::Refused {
        turn: a.turn,
        action: sc.describe(action),
        why: why.to_string(),
    })
}

/// A facilitator's intervention as a save records it (and a workshop server accepts it).
pub fn intervention_step(sc: &Scenario, turn: usize, act: &Intervention) -> SavedAction {
    let (verb, id, option) = match act {
        Intervention::Trigger { inject } => ("trigger", sc.injects[inject.ix()].id.clone(), None),
        Intervention::Suppress { inject, on } => {
            (if *on { "suppress" } else { "allow" }, sc.injects[inject.ix()].id.clone(), None)
        }
        Intervention::SetMetric { metric, value } => {
            ("set", sc.metrics[metric.ix()].id.clone(), Some(value.to_string()))
        }
        Intervention::Roll { dynamic, draw } => {
            ("roll", sc.dynamics[*dynamic as usize].id.clone(), Some(draw.to_string()))
        }
        Intervention::SteppedBack { from } => ("back", from.to_string(), None),
        Intervention::TimeUp => ("time_up", String::new(), None),
    };
    SavedAction { turn, verb: verb.to_owned(), id, option }
}

/// A player's move as a step a workshop server accepts (and a save records).
pub fn step_of(sc: &Scenario, turn: usize, action: Action) -> SavedAction {
    let (verb, id, option) = match action {
        Action::Take(m) => ("take", sc.mitigations[m.ix()].id.clone(), None),
        Action::Stop(m) => ("stop", sc.mitigations[m.ix()].id.clone(), None),
        Action::Choose(i, o) => {
            let inj = &sc.injects[i.ix()];
            ("choose", inj.id.clone(), inj.options.get(o as usize).map(|o| o.id.clone()))
        }
    };
    SavedAction { turn, verb: verb.to_owned(), id, option }
}

/// Why a live step was not applied.
#[derive(Debug, Error, PartialEq)]
pub enum StepError {
    #[error("the team is on turn {now}, not {asked}: resync and try again")]
    WrongTurn { now: usize, asked: usize },
    #[error("the game is over")]
    Over,
    #[error(transparent)]
    Refused(#[from] SaveError),
    #[error(transparent)]
    Locked(#[from] crate::sim::game::Lock),
}

/// Applies one live step to a game: a saved action, `end_turn` or `step_back`. A workshop server and
/// every client replica apply the same steps in the same order, so they hold the same game.
pub fn apply_step(game: &mut Game, step: &SavedAction) -> Result<(), StepError> {
    if step.turn != game.turn() {
        return Err(StepError::WrongTurn { now: game.turn() + 1, asked: step.turn + 1 });
    }
    if step.verb == "end_turn" {
        if game.is_finished() {
            return Err(StepError::Over);
        }
        game.end_turn();
        return Ok(());
    }
    // The facilitator steps the game back a turn (a save keeps only its record, "back").
    if step.verb == "step_back" {
        return Ok(game.step_back()?);
    }
    Ok(apply_saved(game, step)?)
}
