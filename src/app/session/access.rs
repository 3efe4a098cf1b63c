//! What the screens (and tests) read of the session: read-only views of its parts.

use super::{Board, Debrief, Entry, ErrorPanel, Live, Session, Settings, TurnTimer};
use crate::app::storage::Store;
use crate::i18n::Lang;
use crate::sim::Game;
use crate::sim::play::save::Bundle;

impl Session {
    /// The scenarios on offer.
    pub fn catalog(&self) -> &[Entry] {
        &self.library.catalog
    }

    /// The settings remembered between runs.
    pub fn settings(&self) -> Settings {
        self.library.settings
    }

    /// Speaks `lang` for this run only: the player's remembered choice is not overwritten
    /// (the screenshot tour; tests).
    pub fn use_lang(&mut self, lang: Lang) {
        self.library.settings.lang = lang;
    }

    /// Motion on or off for this run only: the player's remembered choice is not
    /// overwritten (the screenshot tour shows every screen still).
    pub fn use_motion(&mut self, on: bool) {
        self.library.settings.motion = on;
    }

    /// Where saves, results and settings are kept; None when nothing is saved.
    pub fn store(&self) -> Option<&Store> {
        self.library.store.as_ref()
    }

    /// The watched custom file changed: the player is offered a reload.
    pub fn reload_offered(&self) -> bool {
        self.library.reload_offered
    }

    /// The game being played on this machine (None in a workshop's team: the server keeps
    /// it).
    pub fn game(&self) -> Option<&Game> {
        self.play.game.as_ref()
    }

    /// Whether the game on this machine (or the live one seen as a player) is over; None
    /// without a game.
    pub fn finished(&self) -> Option<bool> {
        match (&self.play.game, self.live().and_then(|l| l.view())) {
            (Some(g), _) => Some(g.is_finished()),
            (None, Some(v)) => Some(v.finished),
            (None, None) => None,
        }
    }

    /// The live workshop this app is in, if any.
    pub fn live(&self) -> Option<&Live> {
        self.play.live.as_ref()
    }

    /// Index into the catalog of the scenario being played.
    pub fn current(&self) -> Option<usize> {
        self.play.current
    }

    /// The seed new games draw from.
    pub fn seed(&self) -> u64 {
        self.play.seed
    }

    /// The turn whose summary is shown.
    pub fn summary_turn(&self) -> usize {
        self.play.summary_turn
    }

    /// The debrief's figures, once the game is over.
    pub fn debrief(&self) -> Option<&Debrief> {
        self.play.debrief.as_ref()
    }

    /// The facilitator console is open.
    pub fn console_open(&self) -> bool {
        self.play.console
    }

    /// The turn timer.
    pub fn timer(&self) -> &TurnTimer {
        &self.play.timer
    }

    /// The results kept on this machine, oldest first.
    pub fn results(&self) -> &[Bundle] {
        &self.results.kept
    }

    /// The leaderboards of the results, one per scenario.
    pub fn boards(&self) -> &[Board] {
        &self.results.boards
    }

    /// A scenario's errors, shown in a panel.
    pub fn errors(&self) -> Option<&ErrorPanel> {
        self.messages.errors.as_ref()
    }

    /// The one-line notice shown over any screen.
    pub fn notice(&self) -> Option<&str> {
        self.messages.notice.as_deref()
    }

    /// The player asked to quit.
    pub fn wants_quit(&self) -> bool {
        self.quit
    }

    /// The requests waiting for the workshop server, taken by the connection once open.
    pub fn take_requests(&mut self) -> Vec<String> {
        self.play.live.as_mut().map(Live::take_outbox).unwrap_or_default()
    }
}
