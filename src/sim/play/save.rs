//! Saved games: the scenario's identity, the seed, the players' choices and the outcome log.
//!
//! Resuming replays the choices on the scenario and checks that the replay reproduces the
//! saved log exactly, so a save that no longer matches its scenario is caught, not trusted.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::sim::play::game::{Game, Outcome};
use crate::sim::play::step::{ColumnsError, Resolved, Step, StepAt, StepError, apply_step};
use crate::sim::scenario::Scenario;

/// Save format version: 2 keeps typed steps ([`StepAt`]); version 1 kept verb, id and
/// option strings ([`SavedAction`]) and is read by migrating it.
pub const SAVE_VERSION: u32 = 2;

/// One accepted action of a version 1 save, by id: read and turned into a [`StepAt`].
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
    pub actions: Vec<StepAt>,
    pub log: Vec<Outcome>,
    /// The team that played, for result files compared on a leaderboard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

/// A version 1 save, read to be migrated.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "SaveFile", deny_unknown_fields)]
struct SaveFileV1 {
    version: u32,
    scenario_id: String,
    scenario_title: String,
    fingerprint: String,
    seed: u64,
    turns_done: usize,
    actions: Vec<SavedAction>,
    log: Vec<Outcome>,
    #[serde(default)]
    team: Option<String>,
}

impl SaveFileV1 {
    /// The same save in the current version: each action as a typed step.
    fn migrate(self) -> Result<SaveFile, SaveError> {
        if self.version != 1 {
            return Err(SaveError::Version(self.version));
        }
        let actions = self
            .actions
            .iter()
            .enumerate()
            .map(|(index, a)| {
                Step::from_columns(&a.verb, &a.id, a.option.as_deref())
                    .map(|step| StepAt { turn: a.turn, step })
                    .map_err(|why| SaveError::OldAction { index, why })
            })
            .collect::<Result<_, _>>()?;
        Ok(SaveFile {
            version: SAVE_VERSION,
            scenario_id: self.scenario_id,
            scenario_title: self.scenario_title,
            fingerprint: self.fingerprint,
            seed: self.seed,
            turns_done: self.turns_done,
            actions,
            log: self.log,
            team: self.team,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename = "Bundle")]
struct BundleV1 {
    scenario_name: String,
    scenario_text: String,
    save: SaveFileV1,
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
    /// The bundle as written to a file; an error rather than an empty text if it cannot be.
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new().depth_limit(3))
    }
}

/// Whether a save's text says it is of version 1 (`version: 1`).
fn says_version_1(text: &str) -> bool {
    text.split("version")
        .skip(1)
        .any(|rest| rest.trim_start().strip_prefix(':').is_some_and(|r| r.trim_start().starts_with('1')))
}

/// Reads either a bare save or a [`Bundle`]; the bundle's scenario (name, text) comes along.
pub fn read_any(text: &str) -> Result<(SaveFile, Option<(String, String)>), SaveError> {
    let options = ron::Options::default().with_recursion_limit(32);
    let bundle = options.from_str::<Bundle>(text);
    if bundle.is_err()
        && says_version_1(text)
        && let Ok(old) = options.from_str::<BundleV1>(text)
    {
        return Ok((old.save.migrate()?, Some((old.scenario_name, old.scenario_text))));
    }
    match bundle {
        // A version 1 save without actions reads as version 2: the same save.
        Ok(b) if b.save.version == 1 && b.save.actions.is_empty() => {
            Ok((SaveFile { version: SAVE_VERSION, ..b.save }, Some((b.scenario_name, b.scenario_text))))
        }
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
    let pos = crate::sim::author::locate::Pos { line: e.span.start.line, col: e.span.start.col };
    let path =
        crate::sim::author::locate::Locations::scan(text).path_before(pos).map(str::to_owned).unwrap_or_default();
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
    #[error("actions[{index}]: {why}")]
    OldAction { index: usize, why: ColumnsError },
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
        for o in game.log() {
            let step = match o {
                Outcome::TurnStarted { turn: t } => {
                    turn = *t as usize;
                    continue;
                }
                Outcome::MitigationTaken { mitigation, .. } => {
                    Step::Take { mitigation: sc.mitigations[mitigation.ix()].id.clone() }
                }
                Outcome::MitigationStopped { mitigation } => {
                    Step::Stop { mitigation: sc.mitigations[mitigation.ix()].id.clone() }
                }
                Outcome::DecisionMade { inject, option, by_default: false } => {
                    let inj = &sc.injects[inject.ix()];
                    Step::Choose { decision: inj.id.clone(), option: inj.options[*option as usize].id.clone() }
                }
                Outcome::Note { text } => Step::Note { text: text.clone() },
                Outcome::Facilitator { act } => Step::of_intervention(sc, act),
                _ => continue,
            };
            actions.push(StepAt { turn, step });
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

    /// The save as written to a file; an error rather than an empty text if it cannot be.
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new().depth_limit(3))
    }

    pub fn from_ron(text: &str) -> Result<Self, SaveError> {
        let options = ron::Options::default().with_recursion_limit(32);
        let save: Self = match options.from_str(text) {
            Ok(save) => save,
            Err(_) if says_version_1(text) => {
                return options.from_str::<SaveFileV1>(text).map_err(|e| syntax(text, &e))?.migrate();
            }
            Err(e) => return Err(syntax(text, &e)),
        };
        // A version 1 save without actions reads as version 2: the same save.
        if save.version == 1 && save.actions.is_empty() {
            return Ok(Self { version: SAVE_VERSION, ..save });
        }
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
                replay(&mut game, a)?;
            }
            let done = game.log().iter().filter(|o| matches!(o, Outcome::TurnEnded { .. })).count();
            if done >= self.turns_done || game.is_finished() {
                break;
            }
            game.end_turn();
        }
        if let Some(a) = pending.next() {
            return Err(SaveError::Refused {
                turn: a.turn,
                action: a.step.verb().into(),
                why: "out of turn order".into(),
            });
        }
        if game.log() != self.log.as_slice() {
            let at = game
                .log()
                .iter()
                .zip(&self.log)
                .position(|(a, b)| a != b)
                .unwrap_or(game.log().len().min(self.log.len()));
            let show = |o: Option<&Outcome>| {
                let text = o.map_or_else(
                    || "(nothing)".to_owned(),
                    |o| ron::to_string(o).unwrap_or_else(|e| format!("(unwritable: {e})")),
                );
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

/// Replays one saved step on `game`, as resuming does.
fn replay(game: &mut Game, a: &StepAt) -> Result<(), SaveError> {
    apply_step(game, a).map_err(|why| {
        if let StepError::UnknownId { what, id } = why {
            return SaveError::UnknownId { what, id };
        }
        let action = match a.step.resolve(game.scenario()) {
            Ok(Resolved::Act(action)) => game.scenario().describe(action),
            _ => a.step.verb().to_owned(),
        };
        SaveError::Refused { turn: a.turn, action, why: why.to_string() }
    })
}
