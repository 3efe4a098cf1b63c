//! What the game screens show and what players ask for: the session state and the intents
//! that change it. Plain Rust: one Bevy system feeds intents to [`Session::handle`], which
//! calls the engine; the egui panels only read the session.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use bevy::prelude::*;

use crate::cli::BUNDLED;
use crate::sim::save::SaveFile;
use crate::sim::score::{self, ChoiceValue, Score};
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
    StartPlaying,
    Act(Action),
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

/// The session: the catalog, the game in progress and what the screens show.
#[derive(Resource, Debug)]
pub struct Session {
    pub catalog: Vec<Entry>,
    /// Index into `catalog` of the scenario being played.
    pub current: Option<usize>,
    pub game: Option<Game>,
    pub seed: u64,
    pub errors: Option<ErrorPanel>,
    pub notice: Option<String>,
    /// The turn whose summary is shown.
    pub summary_turn: usize,
    pub debrief: Option<Debrief>,
    pub settings: Settings,
    /// Where autosaves and settings live; None disables saving (tests, browsers without storage).
    pub data_dir: Option<PathBuf>,
    /// The custom file being watched, and its modification time when loaded.
    pub watched: Option<(PathBuf, Option<SystemTime>)>,
    /// Set when the watched file changed: the player is offered a reload.
    pub reload_offered: bool,
    pub quit: bool,
}

impl Session {
    /// A session with the bundled scenarios; `data_dir` holds autosave and settings.
    pub fn new(data_dir: Option<PathBuf>) -> Self {
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
        let settings = data_dir
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.join("settings.ron")).ok())
            .and_then(|t| ron::from_str(&t).ok())
            .unwrap_or_default();
        Self {
            catalog,
            current: None,
            game: None,
            seed: 1,
            errors: None,
            notice: None,
            summary_turn: 0,
            debrief: None,
            settings,
            data_dir,
            watched: None,
            reload_offered: false,
            quit: false,
        }
    }

    pub fn scenario(&self) -> Option<&Arc<Scenario>> {
        self.game.as_ref().map(Game::scenario)
    }

    fn autosave_path(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|d| d.join("autosave.ron"))
    }

    /// Whether an autosave exists to continue.
    pub fn has_autosave(&self) -> bool {
        self.autosave_path().is_some_and(|p| p.exists())
    }

    /// Handles one intent on `screen`; returns the screen to go to, if it changes.
    pub fn handle(&mut self, intent: Intent, screen: Screen) -> Option<Screen> {
        match intent {
            Intent::NewGame(n) => {
                let entry = self.catalog.get(n)?.clone();
                self.start(n, &entry.text, &entry.name, screen)
            }
            Intent::PickFile => None,
            Intent::OpenPath(path) => self.open_path(&path, screen),
            Intent::OpenText { name, text } => self.open_text(name, text, None, screen),
            Intent::Reload => {
                self.reload_offered = false;
                let (path, _) = self.watched.clone()?;
                self.open_path(&path, screen)
            }
            Intent::Resume => self.resume(),
            Intent::StartPlaying => Some(Screen::Playing),
            Intent::Act(action) => {
                let game = self.game.as_mut()?;
                if let Err(lock) = game.act(action) {
                    self.notice = Some(format!("{}: {lock}", game.scenario().describe(action)));
                }
                None
            }
            Intent::EndTurn => {
                let game = self.game.as_mut()?;
                if game.is_finished() {
                    return None;
                }
                self.summary_turn = game.turn();
                game.end_turn();
                self.autosave();
                Some(Screen::Summary)
            }
            Intent::ContinueFromSummary => {
                let finished = self.game.as_ref()?.is_finished();
                if finished {
                    self.compute_debrief();
                    Some(Screen::Debrief)
                } else {
                    Some(Screen::Playing)
                }
            }
            Intent::Undo => {
                let game = self.game.as_mut()?;
                if game.undo() {
                    self.debrief = None;
                    self.autosave();
                    Some(Screen::Playing)
                } else {
                    self.notice = Some("Nothing to undo: this is the first turn.".to_owned());
                    None
                }
            }
            Intent::PlayAgain => {
                let sc = Arc::clone(self.game.as_ref()?.scenario());
                self.game = Some(Game::new(sc, self.seed));
                self.debrief = None;
                Some(Screen::Briefing)
            }
            Intent::ReplayFrom(turn) => {
                let old = self.game.as_ref()?;
                let mut game = Game::new(Arc::clone(old.scenario()), self.seed);
                let moves: Vec<(usize, Action)> = old.actions().to_vec();
                while game.turn() < turn && !game.is_finished() {
                    for &(t, a) in &moves {
                        if t == game.turn() {
                            let _ = game.act(a);
                        }
                    }
                    game.end_turn();
                }
                self.game = Some(game);
                self.debrief = None;
                Some(Screen::Playing)
            }
            Intent::ToTitle => Some(Screen::Title),
            Intent::DismissErrors => {
                self.errors = None;
                None
            }
            Intent::DismissNotice => {
                self.notice = None;
                None
            }
            Intent::SetScale(s) => {
                self.settings.scale = s.clamp(0.75, 3.0);
                self.save_settings();
                None
            }
            Intent::SetDark(d) => {
                self.settings.dark = d;
                self.save_settings();
                None
            }
            Intent::Quit => {
                self.quit = true;
                None
            }
        }
    }

    fn start(&mut self, n: usize, text: &str, name: &str, screen: Screen) -> Option<Screen> {
        match load_str(text, name) {
            Ok(loaded) => {
                self.current = Some(n);
                self.game = Some(Game::new(Arc::new(loaded.scenario), self.seed));
                self.debrief = None;
                self.errors = None;
                Some(Screen::Briefing)
            }
            Err(d) => {
                self.show_errors(name, d);
                (screen != Screen::Title).then_some(screen)
            }
        }
    }

    fn show_errors(&mut self, name: &str, d: Diagnostics) {
        self.errors = Some(ErrorPanel { title: format!("{name} could not be loaded"), diagnostics: d.0 });
    }

    fn open_path(&mut self, path: &FsPath, screen: Screen) -> Option<Screen> {
        match crate::sim::load_file(path) {
            Ok(_) => {
                let text = std::fs::read_to_string(path).ok()?;
                let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                self.watched = Some((path.to_owned(), modified));
                self.open_text(path.display().to_string(), text, Some(path.to_owned()), screen)
            }
            Err(d) => {
                // Keep watching a broken file: the fix will offer a reload.
                let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                self.watched = Some((path.to_owned(), modified));
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
        let n = match self.catalog.iter().position(|e| e.name == name) {
            Some(n) => {
                self.catalog[n] = entry;
                n
            }
            None => {
                self.catalog.push(entry);
                self.catalog.len() - 1
            }
        };
        self.start(n, &text, &name, screen)
    }

    /// Checks the watched file; returns true when it changed since it was loaded.
    pub fn poll_watched(&mut self) -> bool {
        let Some((path, seen)) = &self.watched else { return false };
        let now = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if now.is_some() && now != *seen {
            let path = path.clone();
            self.watched = Some((path, now));
            self.reload_offered = true;
            return true;
        }
        false
    }

    fn compute_debrief(&mut self) {
        let Some(game) = &self.game else { return };
        let sc = game.scenario();
        let history = score::historical(sc, game.seed()).map(|h| {
            let s = score::score(&h);
            (h, s)
        });
        self.debrief = Some(Debrief { score: score::score(game), history, choices: score::choice_values(game) });
    }

    /// Writes the autosave atomically: the save and the scenario text it needs.
    fn autosave(&mut self) {
        let (Some(path), Some(game), Some(n)) = (self.autosave_path(), &self.game, self.current) else { return };
        let Some(entry) = self.catalog.get(n) else { return };
        let record =
            Autosave { scenario_name: entry.name.clone(), scenario_text: entry.text.clone(), save: SaveFile::of(game) };
        let text =
            ron::ser::to_string_pretty(&record, ron::ser::PrettyConfig::new().depth_limit(2)).unwrap_or_default();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = crate::cli::write_atomic(&path, &text) {
            self.notice = Some(format!("Could not autosave to {}: {e}", path.display()));
        }
    }

    fn resume(&mut self) -> Option<Screen> {
        let path = self.autosave_path()?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                self.notice = Some(format!("No autosave to continue ({e})."));
                return None;
            }
        };
        let record: Result<Autosave, String> = ron::Options::default()
            .with_recursion_limit(32)
            .from_str(&text)
            .map_err(|e| format!("line {}:{}: {}", e.span.start.line, e.span.start.col, e.code));
        let resumed = record.and_then(|r| {
            let loaded = load_str(&r.scenario_text, &r.scenario_name).map_err(|d| d.to_string())?;
            let sc = Arc::new(loaded.scenario);
            let game = r.save.resume(&sc).map_err(|e| e.to_string())?;
            Ok((r, game))
        });
        match resumed {
            Ok((r, game)) => {
                let n = match self.catalog.iter().position(|e| e.name == r.scenario_name && e.text == r.scenario_text) {
                    Some(n) => n,
                    None => {
                        self.catalog.push(Entry {
                            name: r.scenario_name.clone(),
                            title: game.scenario().meta.title.clone(),
                            summary: game.scenario().meta.summary.clone(),
                            text: r.scenario_text,
                            path: None,
                        });
                        self.catalog.len() - 1
                    }
                };
                self.current = Some(n);
                self.seed = game.seed();
                let finished = game.is_finished();
                self.game = Some(game);
                if finished {
                    self.compute_debrief();
                    Some(Screen::Debrief)
                } else {
                    Some(Screen::Playing)
                }
            }
            Err(why) => {
                // Keep the broken save aside, never delete it.
                let aside = path.with_extension(format!("broken-{}.ron", std::process::id()));
                let moved = std::fs::rename(&path, &aside).is_ok();
                let kept = if moved { format!(" It was kept as {}.", aside.display()) } else { String::new() };
                self.notice = Some(format!("The autosave could not be resumed: {why}.{kept}"));
                None
            }
        }
    }

    fn save_settings(&self) {
        if let Some(dir) = &self.data_dir {
            let _ = std::fs::create_dir_all(dir);
            let text = ron::to_string(&self.settings).unwrap_or_default();
            let _ = crate::cli::write_atomic(&dir.join("settings.ron"), &text);
        }
    }
}

/// The autosave file: the save plus the scenario text, so custom scenarios resume too.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Autosave {
    scenario_name: String,
    scenario_text: String,
    save: SaveFile,
}

/// The platform's data directory for ttx.
pub fn data_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("TTX_DATA_DIR") {
        return Some(PathBuf::from(d));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "windows") {
        return std::env::var_os("APPDATA").map(|a| PathBuf::from(a).join("ttx"));
    }
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library/Application Support/ttx"));
    }
    match std::env::var_os("XDG_DATA_HOME") {
        Some(x) => Some(PathBuf::from(x).join("ttx")),
        None => home.map(|h| h.join(".local/share/ttx")),
    }
}
