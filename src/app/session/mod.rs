//! What the game screens show and what players ask for: the session state and the intents
//! that change it. Plain Rust: one Bevy system feeds intents to [`Session::handle`], which
//! calls the engine; the egui panels only read the session.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use super::storage::Store;
use crate::i18n::{Lang, Tr};
use crate::sim::bundled::BUNDLED;
use crate::sim::play::game::Intervention;
use crate::sim::play::save::Bundle;
use crate::sim::{Action, Game, Scenario, load_str};
use crate::t;

mod files;
mod live;
mod parts;
mod play;
mod results;

pub use files::ResumeError;
pub use live::{Live, LiveRole, LiveStatus, LiveTimer, ServerEvent, TeamReplica, join_url};
pub use parts::{
    Board, Debrief, Entry, ErrorPanel, Library, Messages, Play, Results, Settings, TurnTimer, lang_of_locales,
    system_lang,
};

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
    /// The facilitator's view of a live workshop: every team's game side by side.
    Workshop,
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
    /// The language of the game's own texts (remembered).
    SetLang(Lang),
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
    /// Join a live workshop by a team's link (`http://host:port/?join=TOKEN`).
    JoinWorkshop(String),
    /// Leave the workshop (its game stays on the server).
    LeaveWorkshop,
    /// The workshop connection's news (written by the connection system only).
    Server(ServerEvent),
    /// The facilitator ends the turn of team `k` of the workshop, or of every team (None).
    EndTurnFor(Option<usize>),
    /// The facilitator's console on team `k` of the workshop; None closes it.
    ConsoleOn(Option<usize>),
    /// The workshop console acts on every team at once, or on its team only.
    ConsoleForAll(bool),
    /// Create a workshop on the server the page came from: catalog entry, team names
    /// (handled outside the session, by the page).
    CreateWorkshop {
        scenario: usize,
        teams: Vec<String>,
        /// Only the facilitator (and the timer) ends the turns, every team at once.
        synchronized: bool,
        /// Every team's game draws from this seed.
        seed: u64,
        /// The server (`host:port`) on the desktop; None for the page's own server.
        server: Option<String>,
    },
    /// A message for the player from outside the game (the page).
    Notice(String),
    /// The facilitator starts, pauses, resumes or stops the workshop's turn timer.
    WorkshopTimer(TimerOrder),
    /// A workshop player's name and roles (ids of the scenario's roles).
    TakeSeat {
        name: String,
        roles: Vec<String>,
    },
    /// Accept or decline a proposal to a role this player holds (or, the facilitator, any).
    Decide {
        proposal: u64,
        accept: bool,
        team: Option<String>,
    },
    /// Put the team decision (an inject) to a vote.
    CallVote(crate::sim::scenario::InjectIdx),
}

/// What the facilitator tells the workshop's turn timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerOrder {
    /// Start it, this many seconds per turn.
    Start(u64),
    Pause,
    Resume,
    Stop,
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
                Some(Entry::new((*name).to_owned(), (*text).to_owned(), None, &loaded.scenario))
            })
            .collect();
        let settings: Settings =
            store.as_ref().and_then(|s| s.read(SETTINGS)).and_then(|t| ron::from_str(&t).ok()).unwrap_or_default();
        let tr = settings.lang.tr();
        let mut notice = None;
        let results: Vec<Bundle> = match store.as_ref().and_then(|s| s.read(RESULTS)) {
            None => Vec::new(),
            Some(text) => ron::Options::default().with_recursion_limit(32).from_str(&text).unwrap_or_else(|e| {
                // Never overwrite results we cannot read: keep the file aside and say so.
                let error = e.to_string();
                notice = Some(match store.as_ref().and_then(|s| s.keep_aside(RESULTS)) {
                    Some(place) => t!(tr, "notice-results-unreadable-kept", error = error, place = place),
                    None => t!(tr, "notice-results-unreadable", error = error),
                });
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
                live: None,
            },
            results: Results { kept: results, boards: Vec::new() },
            messages: Messages { errors: None, notice },
            quit: false,
        };
        session.rebuild_boards();
        session
    }

    /// The game's own texts in the player's language.
    pub fn tr(&self) -> &'static Tr {
        self.library.settings.lang.tr()
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
        let intent = match self.handle_live(intent, screen) {
            Ok(next) => return next,
            Err(intent) => intent,
        };
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
            | Intent::Notice(..)
            | Intent::SetScale(..)
            | Intent::SetDark(..)
            | Intent::SetLang(..)
            | Intent::Quit) => self.handle_app(i),
            Intent::JoinWorkshop(..)
            | Intent::LeaveWorkshop
            | Intent::Server(..)
            | Intent::EndTurnFor(..)
            | Intent::ConsoleOn(..)
            | Intent::ConsoleForAll(..)
            | Intent::CreateWorkshop { .. }
            | Intent::WorkshopTimer(..)
            | Intent::TakeSeat { .. }
            | Intent::Decide { .. }
            | Intent::CallVote(..) => None,
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
            Intent::Notice(text) => {
                self.messages.notice = Some(text);
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
            Intent::SetLang(lang) => {
                self.library.settings.lang = lang;
                self.save_settings();
                self.relocalize();
                // The leaderboards' notes are written in the language they were built in.
                self.rebuild_boards();
                None
            }
            Intent::Quit => {
                self.quit = true;
                None
            }
            _ => None,
        }
    }

    /// Puts the game in play into the player's language where its scenario speaks it: the
    /// same game (the model and the log do not change), replayed on the other texts.
    fn relocalize(&mut self) {
        let tag = self.library.settings.lang.tag();
        let Some(game) = self.play.game.as_ref() else { return };
        if game.scenario().meta.language.eq_ignore_ascii_case(tag) || !game.scenario().speaks(tag) {
            return;
        }
        let sc = Arc::new(game.scenario().in_language(tag));
        match crate::sim::play::save::SaveFile::of(game).resume(&sc) {
            Ok(g) => {
                let finished = g.is_finished();
                self.play.game = Some(g);
                if finished {
                    self.compute_debrief();
                }
            }
            Err(e) => self.messages.notice = Some(e.to_string()),
        }
    }

    /// Writes a serialised record to the store; a serialisation or storage failure becomes
    /// a notice and never overwrites what is kept.
    fn keep(&mut self, key: &str, text: Result<String, ron::Error>, what: String) {
        let tr = self.tr();
        let written = match text {
            Ok(text) => self.library.store.as_ref().map(|s| s.write(key, &text).map_err(|e| e.text(tr))),
            Err(e) => Some(Err(t!(tr, "notice-not-ron", error = e.to_string()))),
        };
        if let Some(Err(why)) = written {
            self.messages.notice = Some(t!(tr, "notice-what-why", what = what, why = why));
        }
    }

    /// The state as JSON for the page and its tests.
    pub fn state_json(&self, screen: Screen) -> String {
        let g = self.play.game.as_ref();
        // A workshop player holds views of the team's game, not the game.
        let v = self.play.live.as_ref().and_then(|l| l.view.as_ref()).filter(|_| g.is_none());
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
            "lang": self.library.settings.lang.tag(),
            "title": g.map(|g| g.scenario().meta.title.clone()).or(v.map(|v| v.turn.scenario_title.clone())),
            "workshop": self.play.live.as_ref().map(|l| serde_json::json!({
                "role": l.role.map(|r| format!("{r:?}")),
                "teams": l.teams.iter().map(|t| serde_json::json!({
                    "name": t.name,
                    "turn": t.game.as_ref().map(Game::turn),
                    "actions": t.game.as_ref().map_or(0, |g| g.actions().len()),
                    "online": t.online,
                })).collect::<Vec<_>>(),
                "team": l.team,
                "timer_left": l.timer.map(|t| t.left),
                "timer_paused": l.timer.is_some_and(|t| t.paused),
                "synchronized": l.synchronized,
                "codes": l.teams.iter().map(|t| t.code.clone()).collect::<Vec<_>>(),
                "seq": l.seq,
                "connected": l.status == LiveStatus::Connected,
                // A team's table: this player, their roles, who holds what, proposals, votes.
                "me": l.player,
                "held": l.briefing.as_ref().map_or_else(Vec::new, |b| {
                    b.roles.iter().filter(|r| r.held).map(|r| r.id.clone()).collect::<Vec<_>>()
                }),
                "players": l.floor.as_ref().map_or_else(Vec::new, |f| f.players.iter().map(|(_, w)| (w.name.clone(), w.roles.clone())).collect()),
                "proposals": l.floor.as_ref().map_or_else(Vec::new, |f| f.proposals.iter().map(|p| serde_json::json!({
                    "id": p.id, "owner": p.owner, "by": p.by.name, "state": format!("{:?}", p.state),
                })).collect()),
                "votes": l.floor.as_ref().map_or_else(Vec::new, |f| f.votes.iter().map(|v| serde_json::json!({
                    "decision": v.decision, "ballots": v.ballots.len(), "result": v.result,
                })).collect()),
                "team_players": l.teams.iter().map(|t| t.floor.as_ref().map_or_else(Vec::new, |f| {
                    f.players.iter().map(|(_, w)| (w.name.clone(), w.roles.clone())).collect::<Vec<_>>()
                })).collect::<Vec<_>>(),
            })),
            // The injects the player has seen, by title (a workshop player's view).
            "feed": v.map_or_else(Vec::new, |v| v.turn.feed.iter().flat_map(|f| f.items.iter().map(|i| i.title.clone())).collect()),
            "interventions": g.map_or(0, |g| g.log().iter().filter(|o| matches!(o, crate::sim::Outcome::Facilitator { .. })).count()),
        })
        .to_string()
    }
}

/// The autosave: a [`Bundle`], so custom scenarios resume too.
const AUTOSAVE: &str = "autosave.ron";
const SETTINGS: &str = "settings.ron";
const RESULTS: &str = "results.ron";
