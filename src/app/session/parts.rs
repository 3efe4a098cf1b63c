//! The parts of the session, one job each, and the records they hold.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::app::storage::Store;
use crate::i18n::Lang;
use crate::sim::Diagnostic;
use crate::sim::play::save::Bundle;
use crate::sim::present::teams::{Leaderboard, TeamError};
use crate::sim::{Game, Scenario};

/// One scenario's leaderboard, or why its results cannot be merged.
#[derive(Debug, Clone)]
pub struct Board {
    pub scenario_id: String,
    pub board: Result<Leaderboard, TeamError>,
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
    pub(super) turn: Option<usize>,
}

/// A scenario the title screen lists.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub text: String,
    /// Where it came from: None for bundled scenarios.
    pub path: Option<PathBuf>,
    /// Its title and summary in each language it speaks, its own language first.
    pub texts: Vec<EntryText>,
    /// How many turns it has and how many days they cover.
    pub turns: usize,
    pub days: f64,
}

/// A scenario's title and summary in one language.
#[derive(Debug, Clone)]
pub struct EntryText {
    pub language: String,
    pub title: String,
    pub summary: String,
}

impl Entry {
    /// The entry for a loaded scenario.
    pub fn new(name: String, text: String, path: Option<PathBuf>, sc: &Scenario) -> Self {
        let texts = sc
            .languages()
            .into_iter()
            .map(|l| {
                let s = sc.in_language(l);
                EntryText { language: l.to_owned(), title: s.meta.title, summary: s.meta.summary }
            })
            .collect();
        Self { name, text, path, texts, turns: sc.turns.len(), days: sc.turns.iter().map(|t| t.days).sum() }
    }

    /// Its title and summary in `language` if it speaks it, else in its own.
    pub fn shown(&self, language: &str) -> (&str, &str) {
        let t = self.texts.iter().find(|t| t.language.eq_ignore_ascii_case(language)).or(self.texts.first());
        t.map_or(("", ""), |t| (t.title.as_str(), t.summary.as_str()))
    }

    /// The tags of the languages it can be played in.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|t| t.language.as_str())
    }
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
    /// The language of the game's own texts: the system's on first start (settings kept by
    /// an older version have none), the player's choice afterwards.
    #[serde(default = "system_lang")]
    pub lang: Lang,
    /// Figures count and injects arrive one after another (see `screens::motion`): on
    /// unless the system asks for reduced motion (settings kept by an older version have
    /// none).
    #[serde(default = "motion_default")]
    pub motion: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { scale: 1.25, dark: true, lang: system_lang(), motion: motion_default() }
    }
}

/// Motion until asked otherwise: `TTX_MOTION=off` (or `on`) decides; else off when the
/// browser reports `prefers-reduced-motion: reduce`.
pub fn motion_default() -> bool {
    match std::env::var("TTX_MOTION").ok().as_deref().map(str::trim) {
        Some("off" | "0") => false,
        Some("on" | "1") => true,
        _ => !crate::app::web::prefers_reduced_motion(),
    }
}

/// The language of the operating system's (or the browser's) preferred locales.
pub fn system_lang() -> Lang {
    lang_of_locales(sys_locale::get_locales())
}

/// The first of `locales` (most preferred first: "ja-JP", "en_US.UTF-8") the game speaks,
/// else English.
pub fn lang_of_locales(locales: impl IntoIterator<Item = String>) -> Lang {
    let locales: Vec<String> = locales.into_iter().collect();
    Lang::pick(locales.iter().map(String::as_str))
}

/// The debrief's figures, computed once when the game ends.
pub use crate::sim::present::player::DebriefParts as Debrief;

/// The scenarios on offer, where saves and settings are kept, and the settings.
#[derive(Debug)]
pub(super) struct Library {
    pub(super) catalog: Vec<Entry>,
    /// Where autosaves, results and settings live; None disables saving.
    pub(super) store: Option<Store>,
    pub(super) settings: Settings,
    /// The custom file being watched, and its modification time when loaded.
    pub(super) watched: Option<(PathBuf, Option<SystemTime>)>,
    /// Set when the watched file changed: the player is offered a reload.
    pub(super) reload_offered: bool,
}

/// The game being played and what its screens show of it.
#[derive(Debug)]
pub(super) struct Play {
    /// Index into the library's catalog of the scenario being played.
    pub(super) current: Option<usize>,
    pub(super) game: Option<Game>,
    pub(super) seed: u64,
    /// The turn whose summary is shown.
    pub(super) summary_turn: usize,
    pub(super) debrief: Option<Debrief>,
    /// The facilitator console is open.
    pub(super) console: bool,
    pub(super) timer: TurnTimer,
    /// The live workshop this game is played in, if any: then the server keeps the game.
    pub(super) live: Option<super::live::Live>,
}

/// Team results kept on this machine and their leaderboards.
#[derive(Debug, Default)]
pub(super) struct Results {
    /// The results (with their scenario text), oldest first.
    pub(super) kept: Vec<Bundle>,
    /// The leaderboards of `kept`, one per scenario.
    pub(super) boards: Vec<Board>,
}

/// What the player is told over any screen.
#[derive(Debug, Default)]
pub(super) struct Messages {
    /// A scenario's errors, in a panel.
    pub(super) errors: Option<ErrorPanel>,
    /// A one-line notice (a refused move, a file that could not be kept).
    pub(super) notice: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_first_language_the_game_speaks_is_picked() {
        assert_eq!(lang_of_locales(locales(&["ja-JP", "en-US"])), Lang::Ja);
        assert_eq!(lang_of_locales(locales(&["fr_FR.UTF-8", "ja_JP.UTF-8"])), Lang::Ja);
        assert_eq!(lang_of_locales(locales(&["en-GB", "ja"])), Lang::En);
        assert_eq!(lang_of_locales(locales(&["de-DE"])), Lang::En);
        assert_eq!(lang_of_locales(Vec::new()), Lang::En);
    }

    #[test]
    fn the_language_is_remembered_and_older_settings_get_the_systems() {
        let ja = Settings { lang: Lang::Ja, ..Settings::default() };
        let text = ron::to_string(&ja).expect("ron");
        assert_eq!(ron::from_str::<Settings>(&text).expect("read back"), ja);
        let old: Settings = ron::from_str("(scale: 1.6, dark: false)").expect("settings without a language");
        assert_eq!(old.lang, system_lang());
        assert_eq!((old.scale, old.dark), (1.6, false));
    }

    #[test]
    fn a_chosen_language_speaks_at_once_and_is_remembered() {
        use crate::app::{Intent, Screen, Session};
        let dir = std::env::temp_dir().join(format!("ttx-lang-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut s = Session::new(Some(dir.clone()));
        s.handle(Intent::SetLang(Lang::En), Screen::Title);
        s.handle(Intent::Resume, Screen::Title);
        let english = s.messages.notice.take().expect("no autosave: said so");
        assert!(!crate::app::fonts::needs_cjk(&english), "{english}");
        assert_eq!(s.handle(Intent::SetLang(Lang::Ja), Screen::Title), None);
        s.handle(Intent::Resume, Screen::Title);
        let japanese = s.messages.notice.clone().expect("said so");
        assert!(crate::app::fonts::needs_cjk(&japanese), "{japanese}");
        assert_eq!(Session::new(Some(dir.clone())).library.settings.lang, Lang::Ja, "remembered");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
