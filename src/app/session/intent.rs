//! What reaches the session, by who sends it: the players' [`Intent`]s (what a screen asks
//! for), the [`News`] from outside the screens (the workshop server, the turn timer, files
//! handed over) and, going the other way, the [`Dialog`]s the session asks the system's file
//! dialogs (or the page) to open. Each system reads only its own kind.

use std::path::PathBuf;

use bevy::prelude::*;

use super::live::ServerEvent;
use crate::i18n::Lang;
use crate::sim::Action;
use crate::sim::play::game::Intervention;

/// Everything a player (or the facilitator) can ask for. The screens only ever write these.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Intent {
    /// Start a new game on catalog entry `n`.
    NewGame(usize),
    /// Pick a scenario in the system's file dialog.
    PickFile,
    /// Open a scenario file from disk (typed on the title screen).
    OpenPath(PathBuf),
    /// Open scenario text handed over directly (pasted).
    OpenText {
        name: String,
        text: String,
    },
    /// Reload the watched custom scenario after it changed on disk.
    Reload,
    /// Continue the autosaved game.
    Resume,
    /// Save the autosave to a file of the player's choosing.
    ExportSave,
    /// Pick a save file to import.
    PickSave,
    StartPlaying,
    Act(Action),
    /// The players' reason for this turn's moves, kept for the after-action report.
    Note(String),
    /// Save the after-action report.
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
    /// Motion on the summary and in the feed (remembered).
    SetMotion(bool),
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
    /// Keep the finished game as this team's result on the leaderboard.
    RecordResult(String),
    ShowLeaderboard,
    /// Pick result files from other machines.
    PickResults,
    RemoveResult(usize),
    /// Join a live workshop by a team's link (`http://host:port/?join=TOKEN`) or code.
    JoinWorkshop(String),
    /// Leave the workshop (its game stays on the server).
    LeaveWorkshop,
    /// The facilitator ends the turn of team `k` of the workshop, or of every team (None).
    EndTurnFor(Option<usize>),
    /// The facilitator's console on team `k` of the workshop; None closes it.
    ConsoleOn(Option<usize>),
    /// The workshop console acts on every team at once, or on its team only.
    ConsoleForAll(bool),
    /// Create a workshop on a server: catalog entry, team names.
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

/// What happens outside the screens and the session must hear: the workshop connection's
/// news, the turn timer, files handed over (command line, drag and drop, a file dialog, the
/// page) and the page's messages.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum News {
    /// The workshop connection's news (written by the connection system only).
    Server(ServerEvent),
    /// The turn timer ran out: the turn ends with the moves made so far.
    TimeUp,
    /// A message for the player from outside the game (the page, a dialog, a request).
    Notice(String),
    /// A scenario file named on the command line, dropped on the window or picked.
    ScenarioFile(PathBuf),
    /// Scenario text the page or the browser's dialog handed over.
    ScenarioText { name: String, text: String },
    /// An exported save picked to import: resumed and made the autosave.
    SaveFile { name: String, text: String },
    /// A result file (its name and text) to add to the leaderboard.
    ResultFile { name: String, text: String },
    /// A workshop's link to join: the page's `?join=`, or a workshop just created.
    JoinLink(String),
}

/// What the session asks of the system's file dialogs or the page; handled outside it.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Dialog {
    PickScenario,
    PickSave,
    PickResults,
    /// Save the after-action report (both renderings) where the player says.
    ExportReport {
        markdown: String,
        html: String,
    },
    /// Save this text (the autosave) where the player says.
    ExportSave(String),
    /// Create a workshop with this request body, on `server` (the desktop) or on the page's
    /// own server (None).
    CreateWorkshop {
        body: String,
        server: Option<String>,
    },
}
