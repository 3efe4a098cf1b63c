//! Opening scenarios (bundled, by path, pasted, dropped), watching a custom file, the
//! autosave, and resuming or importing saves.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use super::{AUTOSAVE, Dialog, Entry, ErrorPanel, Intent, SETTINGS, Screen, Session};
use crate::i18n::{Lang, Tr};
use crate::sim::play::save::{Bundle, SaveFile};
use crate::sim::{Diagnostics, Game, Scenario, load_str};
use crate::t;

impl Session {
    /// Opening scenarios and saves.
    pub(super) fn handle_files(&mut self, intent: Intent, screen: Screen) -> Option<Screen> {
        match intent {
            Intent::NewGame(n) => {
                let entry = self.library.catalog.get(n)?.clone();
                self.start(n, &entry.text, &entry.name, screen)
            }
            Intent::PickFile => {
                self.dialogs.push(Dialog::PickScenario);
                None
            }
            Intent::OpenPath(path) => self.open_path(&path, screen),
            Intent::OpenText { name, text } => self.open_text(name, text, None, screen),
            Intent::Reload => {
                self.library.reload_offered = false;
                let (path, _) = self.library.watched.clone()?;
                self.open_path(&path, screen)
            }
            Intent::Resume => self.resume(),
            Intent::PickSave => {
                self.dialogs.push(Dialog::PickSave);
                None
            }
            Intent::ExportSave => {
                match self.autosave_text() {
                    Some(text) => self.dialogs.push(Dialog::ExportSave(text)),
                    None => self.messages.notice = Some(t!(self.tr(), "dialog-no-save-to-export")),
                }
                None
            }
            Intent::ExportReport => {
                self.export_report();
                None
            }
            Intent::CreateWorkshop { scenario, teams, synchronized, seed, server } => {
                if let Some(body) = self.workshop_request(scenario, &teams, synchronized, seed) {
                    self.dialogs.push(Dialog::CreateWorkshop { body, server });
                }
                None
            }
            _ => None,
        }
    }

    /// The after-action report for the file dialog: of the game in play, or on the
    /// facilitator's dashboard one report for the whole workshop.
    fn export_report(&mut self) {
        let tr = self.tr();
        let teams = self.play.live.as_ref().map(super::Live::team_games).unwrap_or_default();
        let report = match (&self.play.game, teams.is_empty()) {
            (_, false) => crate::sim::present::report::workshop(&teams, tr).map_err(|e| e.to_string()),
            (Some(g), true) => Ok(crate::sim::present::report::build(g, tr)),
            (None, true) => Err(t!(tr, "dialog-no-game-to-report")),
        };
        match report {
            Ok(r) => self.dialogs.push(Dialog::ExportReport { markdown: r.markdown, html: r.html }),
            Err(why) => self.messages.notice = Some(why),
        }
    }

    pub(super) fn start(&mut self, n: usize, text: &str, name: &str, screen: Screen) -> Option<Screen> {
        match load_str(text, name) {
            Ok(loaded) => {
                self.play.current = Some(n);
                let sc = loaded.scenario.in_language(self.library.settings.lang.tag());
                self.play.game = Some(Game::new(Arc::new(sc), self.play.seed));
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

    pub(super) fn show_errors(&mut self, name: &str, d: Diagnostics) {
        let title = t!(self.tr(), "errors-title", name = name);
        self.messages.errors = Some(ErrorPanel { title, diagnostics: d.0 });
    }

    pub(super) fn open_path(&mut self, path: &FsPath, screen: Screen) -> Option<Screen> {
        match crate::sim::load_file(path) {
            Ok(_) => {
                let text = crate::sim::author::input::read_text(
                    path,
                    crate::sim::author::input::MAX_SCENARIO_BYTES,
                    "scenario",
                )
                .ok()?;
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

    pub(super) fn open_text(
        &mut self,
        name: String,
        text: String,
        path: Option<PathBuf>,
        screen: Screen,
    ) -> Option<Screen> {
        let loaded = match load_str(&text, &name) {
            Ok(l) => l,
            Err(d) => {
                self.show_errors(&name, d);
                return None;
            }
        };
        let entry = Entry::new(name.clone(), text.clone(), path, &loaded.scenario);
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

    /// Writes the autosave (atomically on disk): the save and the scenario text it needs.
    pub(super) fn autosave(&mut self) {
        if let Some(bundle) = self.bundle() {
            self.write_autosave(&bundle);
        }
    }

    /// The game in progress with the scenario text it is played on.
    pub(super) fn bundle(&self) -> Option<Bundle> {
        let entry = self.library.catalog.get(self.play.current?)?;
        let save = SaveFile::of(self.play.game.as_ref()?);
        Some(Bundle { scenario_name: entry.name.clone(), scenario_text: entry.text.clone(), save })
    }

    pub(super) fn write_autosave(&mut self, bundle: &Bundle) {
        let tr = self.tr();
        // A game that cannot be written out keeps the last autosave rather than an empty one.
        let written = match bundle.to_ron() {
            Ok(text) => self.library.store.as_ref().map(|s| s.write(AUTOSAVE, &text).map_err(|e| e.text(tr))),
            Err(e) => Some(Err(t!(tr, "notice-not-ron", error = e.to_string()))),
        };
        if let Some(Err(why)) = written {
            self.messages.notice = Some(t!(tr, "notice-autosave-failed", error = why));
        }
    }

    pub(super) fn resume(&mut self) -> Option<Screen> {
        let tr = self.tr();
        let Some(text) = self.autosave_text() else {
            self.messages.notice = Some(t!(tr, "notice-no-autosave"));
            return None;
        };
        match self.resume_text(&text) {
            Ok(screen) => Some(screen),
            Err(why) => {
                // Keep the broken save aside, never delete it.
                let why = why.text(tr);
                self.messages.notice = Some(match self.library.store.as_ref().and_then(|s| s.keep_aside(AUTOSAVE)) {
                    Some(place) => t!(tr, "notice-resume-failed-kept", why = why, place = place),
                    None => t!(tr, "notice-resume-failed", why = why),
                });
                None
            }
        }
    }

    /// Imports an exported save: resumes it and makes it the autosave.
    pub(super) fn import(&mut self, name: &str, text: &str) -> Option<Screen> {
        let tr = self.tr();
        match self.resume_text(text) {
            Ok(screen) => {
                if let Some(Err(e)) = self.library.store.as_ref().map(|s| s.write(AUTOSAVE, text)) {
                    self.messages.notice = Some(t!(tr, "notice-import-not-kept", error = e.text(tr)));
                }
                Some(screen)
            }
            Err(why) => {
                self.messages.notice = Some(t!(tr, "notice-import-failed", name = name, why = why.text(tr)));
                None
            }
        }
    }

    pub(super) fn resume_text(&mut self, text: &str) -> Result<Screen, ResumeError> {
        let record: Bundle = ron::Options::default().with_recursion_limit(32).from_str(text).map_err(|e| {
            ResumeError::Syntax { line: e.span.start.line, col: e.span.start.col, message: e.code.to_string() }
        })?;
        let (base, game) = resume_bundle(&record, self.library.settings.lang)?;
        let n = match self
            .library
            .catalog
            .iter()
            .position(|e| e.name == record.scenario_name && e.text == record.scenario_text)
        {
            Some(n) => n,
            None => {
                self.library.catalog.push(Entry::new(record.scenario_name.clone(), record.scenario_text, None, &base));
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

    pub(super) fn save_settings(&mut self) {
        let text = ron::to_string(&self.library.settings);
        let what = t!(self.tr(), "notice-settings-not-kept");
        self.keep(SETTINGS, text, what);
    }
}

/// Resumes a bundle on its own scenario text, in `lang` where the scenario speaks it; returns
/// the scenario as written and the game.
pub(super) fn resume_bundle(b: &Bundle, lang: Lang) -> Result<(Scenario, Game), ResumeError> {
    let loaded = load_str(&b.scenario_text, &b.scenario_name).map_err(ResumeError::Scenario)?;
    let game = b.save.resume(&Arc::new(loaded.scenario.in_language(lang.tag())))?;
    Ok((loaded.scenario, game))
}

/// Why a save, an autosave or a result file cannot be resumed or kept. Players read it in
/// their language ([`ResumeError::text`]); `Display` gives the English.
#[derive(Debug)]
pub enum ResumeError {
    Syntax { line: usize, col: usize, message: String },
    Scenario(Diagnostics),
    Save(crate::sim::play::save::SaveError),
    NotOpenHere(String),
    OtherVersion { team: String, title: String },
}

impl ResumeError {
    /// Why, in the language of `tr`. The engine's own reasons (the RON parser's, a save's,
    /// a scenario's diagnostics) are quoted as the engine gives them.
    pub fn text(&self, tr: &Tr) -> String {
        match self {
            Self::Syntax { line, col, message } => {
                t!(tr, "resume-syntax", line = *line, col = *col, message = message)
            }
            Self::Scenario(d) => t!(tr, "resume-scenario", why = d.to_string()),
            Self::Save(e) => e.to_string(),
            Self::NotOpenHere(id) => t!(tr, "resume-not-open-here", id = id),
            Self::OtherVersion { team, title } => t!(tr, "resume-other-version", team = team, title = title),
        }
    }
}

impl std::fmt::Display for ResumeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En.tr()))
    }
}

impl std::error::Error for ResumeError {}

impl From<crate::sim::play::save::SaveError> for ResumeError {
    fn from(e: crate::sim::play::save::SaveError) -> Self {
        Self::Save(e)
    }
}
