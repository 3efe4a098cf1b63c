//! What the game screens show and what players ask for: the session state and the intents
//! that change it. Plain Rust: one Bevy system feeds intents to [`Session::handle`], which
//! calls the engine; the egui panels only read the session.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use bevy::prelude::*;

use super::storage::Store;
use crate::sim::bundled::BUNDLED;
use crate::sim::game::Intervention;
use crate::sim::save::Bundle;
use crate::sim::save::SaveFile;
use crate::sim::score::{self, ChoiceValue, Score};
use crate::sim::teams::{Leaderboard, TeamGame, leaderboard};
use crate::sim::{Action, Diagnostic, Diagnostics, Game, Scenario, load_str};

/// The screens of the game.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    Briefing,
    Playing,
    Summary,
    Debrief,
    /// Team results on this machine and imported ones, ranked.
    Leaderboard,
}

/// Everything a player can ask for. The UI only ever writes these.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Intent {
    /// Start a new game on catalog entry `n`.
    NewGame(usize),
    /// Show the system's file dialog to pick a scenario (handled outside the session).
    PickFile,
    /// Open a scenario file from disk (file dialog or field, drag and drop, command line).
    OpenPath(PathBuf),
    /// Open scenario text handed over directly (pasted, or dropped in the browser).
    OpenText {
        name: String,
        text: String,
    },
    /// Reload the watched custom scenario after it changed on disk.
    Reload,
    /// Continue the autosaved game.
    Resume,
    /// Save the autosave to a file of the player's choosing (handled outside the session).
    ExportSave,
    /// Pick a save file to import (handled outside the session).
    PickSave,
    /// Resume an exported save's text and make it the autosave.
    ImportSave {
        name: String,
        text: String,
    },
    StartPlaying,
    Act(Action),
    /// The players' reason for this turn's moves, kept for the after-action report.
    Note(String),
    /// Save the after-action report (handled outside the session).
    ExportReport,
    EndTurn,
    ContinueFromSummary,
    Undo,
    PlayAgain,
    /// Branch a what-if: restart on the same seed, replaying the player's moves before turn N.
    ReplayFrom(usize),
    ToTitle,
    DismissErrors,
    DismissNotice,
    SetScale(f32),
    SetDark(bool),
    Quit,
    /// Show or hide the facilitator console (F2).
    ToggleConsole,
    /// A facilitator's intervention from the console.
    Facilitate(Intervention),
    /// The facilitator steps back a turn (recorded in the log).
    StepBack,
    /// Set the turn timer (seconds per turn; None switches it off).
    SetTimer(Option<f64>),
    /// Pause or resume the turn timer.
    PauseTimer(bool),
    /// The turn timer ran out: the turn ends with the moves made so far.
    TimeUp,
    /// Keep the finished game as this team's result on the leaderboard.
    RecordResult(String),
    ShowLeaderboard,
    /// Pick result files from other machines (handled outside the session).
    PickResults,
    /// A result file (its name and text) to add to the leaderboard.
    ImportResult {
        name: String,
        text: String,
    },
    RemoveResult(usize),
}

/// One scenario's leaderboard, or why its results cannot be merged.
#[derive(Debug, Clone)]
pub struct Board {
    pub scenario_id: String,
    pub board: Result<Leaderboard, String>,
    /// Index into `Session::results` of each row, in rank order.
    pub entries: Vec<usize>,
    /// Results that no longer replay: their index and why.
    pub broken: Vec<(usize, String)>,
}

/// The workshop's turn timer: wall-clock pacing in the app; what time-up does is the
/// engine's (`Game::time_up`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnTimer {
    /// Seconds per turn; None when off.
    pub limit: Option<f64>,
    /// Seconds left on this turn.
    pub left: f64,
    pub paused: bool,
    /// The turn the countdown belongs to (a new turn restarts it).
    turn: Option<usize>,
}

/// A scenario the title screen lists.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub text: String,
    /// Where it came from: None for bundled scenarios.
    pub path: Option<PathBuf>,
    pub title: String,
    pub summary: String,
}

/// Errors of a scenario that failed to load, shown in a panel over the current screen.
#[derive(Debug, Clone)]
pub struct ErrorPanel {
    pub title: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Remembered between runs.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    pub scale: f32,
    pub dark: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { scale: 1.25, dark: true }
    }
}

/// The debrief's figures, computed once when the game ends.
#[derive(Debug, Clone)]
pub struct Debrief {
    pub score: Score,
    pub history: Option<(Game, Score)>,
    pub choices: Vec<ChoiceValue>,
}

/// The scenarios on offer, where saves and settings are kept, and the settings.
#[derive(Debug)]
pub struct Library {
    pub catalog: Vec<Entry>,
    /// Where autosaves, results and settings live; None disables saving.
    pub store: Option<Store>,
    pub settings: Settings,
    /// The custom file being watched, and its modification time when loaded.
    pub watched: Option<(PathBuf, Option<SystemTime>)>,
    /// Set when the watched file changed: the player is offered a reload.
    pub reload_offered: bool,
}

/// The game being played and what its screens show of it.
#[derive(Debug)]
pub struct Play {
    /// Index into the library's catalog of the scenario being played.
    pub current: Option<usize>,
    pub game: Option<Game>,
    pub seed: u64,
    /// The turn whose summary is shown.
    pub summary_turn: usize,
    pub debrief: Option<Debrief>,
    /// The facilitator console is open.
    pub console: bool,
    pub timer: TurnTimer,
}

/// Team results kept on this machine and their leaderboards.
#[derive(Debug, Default)]
pub struct Results {
    /// The results (with their scenario text), oldest first.
    pub kept: Vec<Bundle>,
    /// The leaderboards of `kept`, one per scenario.
    pub boards: Vec<Board>,
}

/// What the player is told over any screen.
#[derive(Debug, Default)]
pub struct Messages {
    /// A scenario's errors, in a panel.
    pub errors: Option<ErrorPanel>,
    /// A one-line notice (a refused move, a file that could not be kept).
    pub notice: Option<String>,
}

/// The app's state, one part per job: the library, the game in play, the team results and
/// the messages. [`Session::handle`] is the only place an intent changes it.
#[derive(Resource, Debug)]
pub struct Session {
    pub library: Library,
    pub play: Play,
    pub results: Results,
    pub messages: Messages,
    pub quit: bool,
}

impl Session {
    /// A session with the bundled scenarios, saving to files in `data_dir`.
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        Self::with_store(data_dir.map(Store::Dir))
    }

    /// A session with the bundled scenarios, saving to `store`.
    pub fn with_store(store: Option<Store>) -> Self {
        let catalog = BUNDLED
            .iter()
            .filter_map(|(name, text)| {
                let loaded = load_str(text, name).ok()?;
                Some(Entry {
                    name: (*name).to_owned(),
                    text: (*text).to_owned(),
                    path: None,
                    title: loaded.scenario.meta.title.clone(),
                    summary: loaded.scenario.meta.summary.clone(),
                })
            })
            .collect();
        let settings =
            store.as_ref().and_then(|s| s.read(SETTINGS)).and_then(|t| ron::from_str(&t).ok()).unwrap_or_default();
        let mut notice = None;
        let results: Vec<Bundle> = match store.as_ref().and_then(|s| s.read(RESULTS)) {
            None => Vec::new(),
            Some(text) => ron::Options::default().with_recursion_limit(32).from_str(&text).unwrap_or_else(|e| {
                // Never overwrite results we cannot read: keep the file aside and say so.
                let kept = store.as_ref().and_then(|s| s.keep_aside(RESULTS));
                let kept = kept.map(|k| format!(" It was kept as {k}.")).unwrap_or_default();
                notice = Some(format!("The kept team results could not be read ({e}).{kept}"));
                Vec::new()
            }),
        };
        let mut session = Self {
            library: Library { catalog, store, settings, watched: None, reload_offered: false },
            play: Play {
                current: None,
                game: None,
                seed: 1,
                summary_turn: 0,
                debrief: None,
                console: false,
                timer: TurnTimer::default(),
            },
            results: Results { kept: results, boards: Vec::new() },
            messages: Messages { errors: None, notice },
            quit: false,
        };
        session.rebuild_boards();
        session
    }

    pub fn scenario(&self) -> Option<&Arc<Scenario>> {
        self.play.game.as_ref().map(Game::scenario)
    }

    /// Whether an autosave exists to continue.
    pub fn has_autosave(&self) -> bool {
        self.library.store.as_ref().is_some_and(|s| s.exists(AUTOSAVE))
    }

    /// The autosave's text, for "Export save".
    pub fn autosave_text(&self) -> Option<String> {
        self.library.store.as_ref()?.read(AUTOSAVE)
    }

    /// Handles one intent on `screen`; returns the screen to go to, if it changes. Each
    /// part of the app has its own handler below.
    pub fn handle(&mut self, intent: Intent, screen: Screen) -> Option<Screen> {
        match intent {
            i @ (Intent::NewGame(..)
            | Intent::PickFile
            | Intent::OpenPath(..)
            | Intent::OpenText { .. }
            | Intent::Reload
            | Intent::Resume
            | Intent::ExportSave
            | Intent::PickSave
            | Intent::ExportReport
            | Intent::ImportSave { .. }) => self.handle_files(i, screen),
            i @ (Intent::Note(..)
            | Intent::StartPlaying
            | Intent::Act(..)
            | Intent::EndTurn
            | Intent::ContinueFromSummary
            | Intent::Undo
            | Intent::PlayAgain
            | Intent::ReplayFrom(..)
            | Intent::TimeUp) => self.handle_play(i, screen),
            i @ (Intent::ToggleConsole
            | Intent::Facilitate(..)
            | Intent::StepBack
            | Intent::SetTimer(..)
            | Intent::PauseTimer(..)) => self.handle_facilitator(i),
            i @ (Intent::RecordResult(..)
            | Intent::ShowLeaderboard
            | Intent::PickResults
            | Intent::ImportResult { .. }
            | Intent::RemoveResult(..)) => self.handle_results(i),
            i @ (Intent::ToTitle
            | Intent::DismissErrors
            | Intent::DismissNotice
            | Intent::SetScale(..)
            | Intent::SetDark(..)
            | Intent::Quit) => self.handle_app(i),
        }
    }

    /// Opening scenarios and saves.
    fn handle_files(&mut self, intent: Intent, screen: Screen) -> Option<Screen> {
        match intent {
            Intent::NewGame(n) => {
                let entry = self.library.catalog.get(n)?.clone();
                self.start(n, &entry.text, &entry.name, screen)
            }
            Intent::PickFile => None,
            Intent::OpenPath(path) => self.open_path(&path, screen),
            Intent::OpenText { name, text } => self.open_text(name, text, None, screen),
            Intent::Reload => {
                self.library.reload_offered = false;
                let (path, _) = self.library.watched.clone()?;
                self.open_path(&path, screen)
            }
            Intent::Resume => self.resume(),
            Intent::ExportSave | Intent::PickSave | Intent::ExportReport => None,
            Intent::ImportSave { name, text } => self.import(&name, &text),
            _ => None,
        }
    }

    /// The players' moves and the turn loop.
    fn handle_play(&mut self, intent: Intent, screen: Screen) -> Option<Screen> {
        match intent {
            Intent::Note(text) => {
                if let Err(lock) = self.play.game.as_mut()?.note(&text) {
                    self.messages.notice = Some(format!("The note was not kept: {lock}."));
                }
                None
            }
            Intent::StartPlaying => Some(Screen::Playing),
            Intent::Act(action) => {
                let game = self.play.game.as_mut()?;
                if let Err(lock) = game.act(action) {
                    self.messages.notice = Some(format!("{}: {lock}", game.scenario().describe(action)));
                }
                None
            }
            Intent::EndTurn => {
                let game = self.play.game.as_mut()?;
                if game.is_finished() {
                    return None;
                }
                self.play.summary_turn = game.turn();
                game.end_turn();
                self.autosave();
                Some(Screen::Summary)
            }
            Intent::ContinueFromSummary => {
                let finished = self.play.game.as_ref()?.is_finished();
                if finished {
                    self.compute_debrief();
                    Some(Screen::Debrief)
                } else {
                    Some(Screen::Playing)
                }
            }
            Intent::Undo => {
                let game = self.play.game.as_mut()?;
                if game.undo() {
                    self.play.debrief = None;
                    self.autosave();
                    Some(Screen::Playing)
                } else {
                    self.messages.notice = Some("Nothing to undo: this is the first turn.".to_owned());
                    None
                }
            }
            Intent::PlayAgain => {
                let sc = Arc::clone(self.play.game.as_ref()?.scenario());
                self.play.game = Some(Game::new(sc, self.play.seed));
                self.play.debrief = None;
                self.play.timer.turn = None;
                Some(Screen::Briefing)
            }
            Intent::ReplayFrom(turn) => {
                let old = self.play.game.as_ref()?;
                let mut game = Game::new(Arc::clone(old.scenario()), self.play.seed);
                game.play_until(&crate::sim::path_of(old), turn);
                self.play.game = Some(game);
                self.play.timer.turn = None;
                self.play.debrief = None;
                Some(Screen::Playing)
            }
            Intent::TimeUp => {
                let game = self.play.game.as_mut()?;
                if game.is_finished() || screen != Screen::Playing {
                    return None;
                }
                self.play.summary_turn = game.turn();
                game.time_up();
                self.play.timer.turn = None;
                self.autosave();
                Some(Screen::Summary)
            }

            _ => None,
        }
    }

    /// The facilitator console and the turn timer.
    fn handle_facilitator(&mut self, intent: Intent) -> Option<Screen> {
        match intent {
            Intent::ToggleConsole => {
                self.play.console = !self.play.console;
                None
            }
            Intent::Facilitate(act) => {
                let game = self.play.game.as_mut()?;
                match game.intervene(act.clone()) {
                    Ok(()) => self.autosave(),
                    Err(lock) => {
                        self.messages.notice =
                            Some(format!("The console could not {}: {lock}", act.describe(game.scenario())))
                    }
                }
                None
            }
            Intent::StepBack => {
                let game = self.play.game.as_mut()?;
                match game.step_back() {
                    Ok(()) => {
                        self.play.debrief = None;
                        self.play.timer.turn = None;
                        self.autosave();
                        Some(Screen::Playing)
                    }
                    Err(lock) => {
                        self.messages.notice = Some(format!("Cannot step back: {lock}"));
                        None
                    }
                }
            }
            Intent::SetTimer(limit) => {
                self.play.timer = TurnTimer { limit: limit.filter(|s| *s > 0.0), ..TurnTimer::default() };
                None
            }
            Intent::PauseTimer(paused) => {
                self.play.timer.paused = paused;
                None
            }
            _ => None,
        }
    }

    /// Team results and the leaderboard.
    fn handle_results(&mut self, intent: Intent) -> Option<Screen> {
        match intent {
            Intent::RecordResult(team) => {
                let team = team.trim().to_owned();
                let mut bundle = self.bundle()?;
                bundle.save.team =
                    Some(if team.is_empty() { format!("Team {}", self.results.kept.len() + 1) } else { team });
                // The autosave carries the team name too, so "Export save" is the result file.
                self.write_autosave(&bundle);
                match self.add_result(bundle) {
                    Ok(()) => Some(Screen::Leaderboard),
                    Err(e) => {
                        self.messages.notice = Some(e.to_string());
                        None
                    }
                }
            }
            Intent::ShowLeaderboard => Some(Screen::Leaderboard),
            Intent::PickResults => None,
            Intent::ImportResult { name, text } => {
                let added = crate::sim::save::read_any(&text).map_err(ResumeError::from).and_then(|(save, carried)| {
                    let (scenario_name, scenario_text) = match carried {
                        Some(c) => c,
                        // A bare save: it must be of a scenario listed here.
                        None => self
                            .library
                            .catalog
                            .iter()
                            .find(|e| load_str(&e.text, &e.name).is_ok_and(|l| l.scenario.meta.id == save.scenario_id))
                            .map(|e| (e.name.clone(), e.text.clone()))
                            .ok_or_else(|| ResumeError::NotOpenHere(save.scenario_id.clone()))?,
                    };
                    self.add_result(Bundle { scenario_name, scenario_text, save })
                });
                if let Err(e) = added {
                    self.messages.notice = Some(format!("{name} was not added to the leaderboard: {e}."));
                }
                Some(Screen::Leaderboard)
            }
            Intent::RemoveResult(k) => {
                if k < self.results.kept.len() {
                    self.results.kept.remove(k);
                    self.save_results();
                    self.rebuild_boards();
                }
                None
            }
            _ => None,
        }
    }

    /// Navigation, messages and settings.
    fn handle_app(&mut self, intent: Intent) -> Option<Screen> {
        match intent {
            Intent::ToTitle => Some(Screen::Title),
            Intent::DismissErrors => {
                self.messages.errors = None;
                None
            }
            Intent::DismissNotice => {
                self.messages.notice = None;
                None
            }
            Intent::SetScale(s) => {
                self.library.settings.scale = s.clamp(0.75, 3.0);
                self.save_settings();
                None
            }
            Intent::SetDark(d) => {
                self.library.settings.dark = d;
                self.save_settings();
                None
            }
            Intent::Quit => {
                self.quit = true;
                None
            }
            _ => None,
        }
    }

    /// Adds a result (a bundle) after checking it resumes and fits the results already kept.
    fn add_result(&mut self, bundle: Bundle) -> Result<(), ResumeError> {
        let (_, game) = resume_bundle(&bundle)?;
        let sc = game.scenario();
        let team = bundle.save.team.clone().unwrap_or_default();
        for other in &self.results.kept {
            if other.save.scenario_id == sc.meta.id && other.save.fingerprint != bundle.save.fingerprint {
                return Err(ResumeError::OtherVersion { team, title: sc.meta.title.clone() });
            }
        }
        self.results.kept.push(bundle);
        self.save_results();
        self.rebuild_boards();
        Ok(())
    }

    /// Keeps the results; a failure leaves the kept file as it was and says so.
    fn save_results(&mut self) {
        let text = ron::ser::to_string_pretty(&self.results.kept, ron::ser::PrettyConfig::new().depth_limit(3));
        self.keep(RESULTS, text, "Could not keep the results");
    }

    /// Writes a serialised record to the store; a serialisation or storage failure becomes
    /// a notice and never overwrites what is kept.
    fn keep(&mut self, key: &str, text: Result<String, ron::Error>, what: &str) {
        let written = match text {
            Ok(text) => self.library.store.as_ref().map(|s| s.write(key, &text).map_err(|e| e.to_string())),
            Err(e) => Some(Err(format!("cannot write it as RON ({e})"))),
        };
        if let Some(Err(e)) = written {
            self.messages.notice = Some(format!("{what}: {e}"));
        }
    }

    /// Recomputes the leaderboards from `results`.
    fn rebuild_boards(&mut self) {
        let mut ids: Vec<String> = self.results.kept.iter().map(|b| b.save.scenario_id.clone()).collect();
        ids.dedup();
        let mut seen = std::collections::BTreeSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        self.results.boards = ids
            .into_iter()
            .map(|id| {
                let mut entries = Vec::new();
                let mut teams = Vec::new();
                let mut broken = Vec::new();
                for (k, b) in self.results.kept.iter().enumerate().filter(|(_, b)| b.save.scenario_id == id) {
                    match resume_bundle(b) {
                        Ok((_, game)) => {
                            let team = b.save.team.clone().unwrap_or_else(|| format!("Team {}", teams.len() + 1));
                            teams.push(TeamGame { team, game });
                            entries.push(k);
                        }
                        // Shown with a Remove button; the others still rank.
                        Err(e) => broken.push((k, format!("{}: {e}", b.save.team.as_deref().unwrap_or("a result")))),
                    }
                }
                let board = leaderboard(&teams).map_err(|e| e.to_string());
                // Rows are ranked: map each back to its result by its place in the input.
                let ranked = match &board {
                    Ok(b) => b.rows.iter().filter_map(|r| entries.get(r.source).copied()).collect(),
                    Err(_) => entries,
                };
                Board { scenario_id: id, board, entries: ranked, broken }
            })
            .collect();
    }

    /// Runs the turn timer for `dt` seconds of wall time on `screen`; returns true when
    /// this turn's time has just run out (the caller sends [`Intent::TimeUp`]).
    pub fn tick(&mut self, dt: f64, screen: Screen) -> bool {
        let (Some(limit), Some(game)) = (self.play.timer.limit, &self.play.game) else { return false };
        if screen != Screen::Playing || game.is_finished() {
            return false;
        }
        if self.play.timer.turn != Some(game.turn()) {
            self.play.timer.turn = Some(game.turn());
            self.play.timer.left = limit;
        }
        if self.play.timer.paused || self.play.timer.left <= 0.0 {
            return false;
        }
        self.play.timer.left -= dt.max(0.0);
        self.play.timer.left <= 0.0
    }

    /// Seconds left on this turn, when the timer runs.
    pub fn time_left(&self) -> Option<f64> {
        self.play
            .timer
            .limit
            .map(|limit| if self.play.timer.turn.is_some() { self.play.timer.left.max(0.0) } else { limit })
    }

    fn start(&mut self, n: usize, text: &str, name: &str, screen: Screen) -> Option<Screen> {
        match load_str(text, name) {
            Ok(loaded) => {
                self.play.current = Some(n);
                self.play.game = Some(Game::new(Arc::new(loaded.scenario), self.play.seed));
                self.play.debrief = None;
                self.messages.errors = None;
                self.play.timer.turn = None;
                Some(Screen::Briefing)
            }
            Err(d) => {
                self.show_errors(name, d);
                (screen != Screen::Title).then_some(screen)
            }
        }
    }

    fn show_errors(&mut self, name: &str, d: Diagnostics) {
        self.messages.errors = Some(ErrorPanel { title: format!("{name} could not be loaded"), diagnostics: d.0 });
    }

    fn open_path(&mut self, path: &FsPath, screen: Screen) -> Option<Screen> {
        match crate::sim::load_file(path) {
            Ok(_) => {
                let text =
                    crate::sim::input::read_text(path, crate::sim::input::MAX_SCENARIO_BYTES, "scenario").ok()?;
                let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                self.library.watched = Some((path.to_owned(), modified));
                self.open_text(path.display().to_string(), text, Some(path.to_owned()), screen)
            }
            Err(d) => {
                // Keep watching a broken file: the fix will offer a reload.
                let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                self.library.watched = Some((path.to_owned(), modified));
                self.show_errors(&path.display().to_string(), d);
                None
            }
        }
    }

    fn open_text(&mut self, name: String, text: String, path: Option<PathBuf>, screen: Screen) -> Option<Screen> {
        let loaded = match load_str(&text, &name) {
            Ok(l) => l,
            Err(d) => {
                self.show_errors(&name, d);
                return None;
            }
        };
        let entry = Entry {
            name: name.clone(),
            title: loaded.scenario.meta.title.clone(),
            summary: loaded.scenario.meta.summary.clone(),
            text: text.clone(),
            path,
        };
        let n = match self.library.catalog.iter().position(|e| e.name == name) {
            Some(n) => {
                self.library.catalog[n] = entry;
                n
            }
            None => {
                self.library.catalog.push(entry);
                self.library.catalog.len() - 1
            }
        };
        self.start(n, &text, &name, screen)
    }

    /// The state as JSON for the page and its tests.
    pub fn state_json(&self, screen: Screen) -> String {
        let g = self.play.game.as_ref();
        serde_json::json!({
            "screen": format!("{screen:?}"),
            "scenario": g.map(|g| g.scenario().meta.id.clone()),
            "turn": g.map(Game::turn),
            "turns": g.map(|g| g.scenario().turns.len()),
            "finished": g.is_some_and(Game::is_finished),
            "actions": g.map_or(0, |g| g.actions().len()),
            "points_left": g.map(Game::points_left),
            "errors": self.messages.errors.as_ref().map_or(0, |e| e.diagnostics.iter().filter(|d| d.is_error()).count()),
            "error_title": self.messages.errors.as_ref().map(|e| e.title.clone()),
            "notice": self.messages.notice.clone(),
            "has_autosave": self.has_autosave(),
            "score": self.play.debrief.as_ref().map(|d| d.score.total),
            "console": self.play.console,
            "time_left": self.time_left(),
            "results": self.results.kept.len(),
            "interventions": g.map_or(0, |g| g.log().iter().filter(|o| matches!(o, crate::sim::Outcome::Facilitator { .. })).count()),
        })
        .to_string()
    }

    /// Checks the watched file; returns true when it changed since it was loaded.
    pub fn poll_watched(&mut self) -> bool {
        let Some((path, seen)) = &self.library.watched else { return false };
        let now = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if now.is_some() && now != *seen {
            let path = path.clone();
            self.library.watched = Some((path, now));
            self.library.reload_offered = true;
            return true;
        }
        false
    }

    fn compute_debrief(&mut self) {
        let Some(game) = &self.play.game else { return };
        let sc = game.scenario();
        let history = score::historical(sc, game.seed()).map(|h| {
            let s = score::score(&h);
            (h, s)
        });
        self.play.debrief = Some(Debrief { score: score::score(game), history, choices: score::choice_values(game) });
    }

    /// Writes the autosave (atomically on disk): the save and the scenario text it needs.
    fn autosave(&mut self) {
        if let Some(bundle) = self.bundle() {
            self.write_autosave(&bundle);
        }
    }

    /// The game in progress with the scenario text it is played on.
    fn bundle(&self) -> Option<Bundle> {
        let entry = self.library.catalog.get(self.play.current?)?;
        let save = SaveFile::of(self.play.game.as_ref()?);
        Some(Bundle { scenario_name: entry.name.clone(), scenario_text: entry.text.clone(), save })
    }

    fn write_autosave(&mut self, bundle: &Bundle) {
        if let Some(Err(e)) = self.library.store.as_ref().map(|s| s.write(AUTOSAVE, &bundle.to_ron())) {
            self.messages.notice = Some(format!("Could not autosave: {e}"));
        }
    }

    fn resume(&mut self) -> Option<Screen> {
        let Some(text) = self.autosave_text() else {
            self.messages.notice = Some("There is no autosave to continue.".to_owned());
            return None;
        };
        match self.resume_text(&text) {
            Ok(screen) => Some(screen),
            Err(why) => {
                // Keep the broken save aside, never delete it.
                let kept = self.library.store.as_ref().and_then(|s| s.keep_aside(AUTOSAVE));
                let kept = kept.map(|k| format!(" It was kept as {k}.")).unwrap_or_default();
                self.messages.notice = Some(format!("The autosave could not be resumed: {why}.{kept}"));
                None
            }
        }
    }

    /// Imports an exported save: resumes it and makes it the autosave.
    fn import(&mut self, name: &str, text: &str) -> Option<Screen> {
        match self.resume_text(text) {
            Ok(screen) => {
                if let Some(Err(e)) = self.library.store.as_ref().map(|s| s.write(AUTOSAVE, text)) {
                    self.messages.notice = Some(format!("Imported, but could not keep it as the autosave: {e}"));
                }
                Some(screen)
            }
            Err(why) => {
                self.messages.notice = Some(format!("{name} is not a ttx save this version can resume: {why}."));
                None
            }
        }
    }

    fn resume_text(&mut self, text: &str) -> Result<Screen, ResumeError> {
        let record: Bundle = ron::Options::default().with_recursion_limit(32).from_str(text).map_err(|e| {
            ResumeError::Syntax { line: e.span.start.line, col: e.span.start.col, message: e.code.to_string() }
        })?;
        let (_, game) = resume_bundle(&record)?;
        let n = match self
            .library
            .catalog
            .iter()
            .position(|e| e.name == record.scenario_name && e.text == record.scenario_text)
        {
            Some(n) => n,
            None => {
                self.library.catalog.push(Entry {
                    name: record.scenario_name.clone(),
                    title: game.scenario().meta.title.clone(),
                    summary: game.scenario().meta.summary.clone(),
                    text: record.scenario_text,
                    path: None,
                });
                self.library.catalog.len() - 1
            }
        };
        self.play.current = Some(n);
        self.play.seed = game.seed();
        let finished = game.is_finished();
        self.play.game = Some(game);
        self.play.timer.turn = None;
        if finished {
            self.compute_debrief();
            Ok(Screen::Debrief)
        } else {
            Ok(Screen::Playing)
        }
    }

    fn save_settings(&mut self) {
        let text = ron::to_string(&self.library.settings);
        self.keep(SETTINGS, text, "Could not remember the settings");
    }
}

/// The autosave: a [`Bundle`], so custom scenarios resume too.
const AUTOSAVE: &str = "autosave.ron";
const SETTINGS: &str = "settings.ron";
const RESULTS: &str = "results.ron";

/// Resumes a bundle on its own scenario text.
fn resume_bundle(b: &Bundle) -> Result<(Arc<Scenario>, Game), ResumeError> {
    let loaded = load_str(&b.scenario_text, &b.scenario_name).map_err(ResumeError::Scenario)?;
    let sc = Arc::new(loaded.scenario);
    let game = b.save.resume(&sc)?;
    Ok((sc, game))
}

/// Why a save, an autosave or a result file cannot be resumed or kept.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    #[error("line {line}:{col}: {message}")]
    Syntax { line: usize, col: usize, message: String },
    #[error("its scenario does not load: {0}")]
    Scenario(Diagnostics),
    #[error(transparent)]
    Save(#[from] crate::sim::save::SaveError),
    #[error("it is a save of scenario `{0}`, which is not open here")]
    NotOpenHere(String),
    #[error("{team}'s result was played on another version of “{title}” than the results already here")]
    OtherVersion { team: String, title: String },
}
