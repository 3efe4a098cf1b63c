//! The players' moves and the turn loop, the debrief, the facilitator console and the
//! turn timer.

use std::sync::Arc;

use super::{Debrief, Intent, Screen, Session, TurnTimer};
use crate::sim::Game;
use crate::sim::present::view;
use crate::t;

impl Session {
    /// The players' moves and the turn loop.
    pub(super) fn handle_play(&mut self, intent: Intent) -> Option<Screen> {
        match intent {
            Intent::Note(text) => {
                if let Err(lock) = self.play.game.as_mut()?.note(&text) {
                    self.messages.notice = Some(t!(self.tr(), "notice-note-refused", why = lock.describe(self.tr())));
                }
                None
            }
            Intent::StartPlaying => Some(Screen::Playing),
            Intent::Act(action) => {
                let tr = self.tr();
                let game = self.play.game.as_mut()?;
                if let Err(lock) = game.act(action) {
                    let what = view::action_text(game.scenario(), action, tr);
                    self.messages.notice = Some(t!(tr, "notice-what-why", what = what, why = lock.describe(tr)));
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
                    self.messages.notice = Some(t!(self.tr(), "notice-nothing-to-undo"));
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
            _ => None,
        }
    }

    /// The turn timer ran out on `screen`: the turn ends with the moves made so far.
    pub(super) fn time_up(&mut self, screen: Screen) -> Option<Screen> {
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

    /// The facilitator console and the turn timer.
    pub(super) fn handle_facilitator(&mut self, intent: Intent) -> Option<Screen> {
        match intent {
            Intent::ToggleConsole => {
                self.play.console = !self.play.console;
                None
            }
            Intent::Facilitate(act) => {
                let tr = self.tr();
                let game = self.play.game.as_mut()?;
                match game.intervene(act.clone()) {
                    Ok(()) => self.autosave(),
                    Err(lock) => {
                        let what = act.describe_in(game.scenario(), tr);
                        self.messages.notice =
                            Some(t!(tr, "notice-console-refused", what = what, why = lock.describe(tr)));
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
                        let why = lock.describe(self.tr());
                        self.messages.notice = Some(t!(self.tr(), "notice-step-back-refused", why = why));
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

    pub(super) fn compute_debrief(&mut self) {
        let Some(game) = &self.play.game else { return };
        self.play.debrief = Some(Debrief::of(game));
    }

    /// Runs the turn timer for `dt` seconds of wall time on `screen`; returns true when
    /// this turn's time has just run out (the caller sends [`News::TimeUp`](super::News::TimeUp)).
    pub fn tick(&mut self, dt: f64, screen: Screen) -> bool {
        // The workshop's timer and votes count down between the server's words (the server
        // ends the turns).
        if let Some(live) = self.play.live.as_mut() {
            live.tick(dt);
        }
        // The game's turn, or a workshop player's view of it.
        let view = self.play.live.as_ref().and_then(super::Live::view);
        let now = match (&self.play.game, view) {
            (Some(g), _) => Some((g.turn(), g.is_finished())),
            (None, Some(v)) => Some((v.turn.turn, v.finished)),
            (None, None) => None,
        };
        let (Some(limit), Some((turn, finished))) = (self.play.timer.limit, now) else { return false };
        if screen != Screen::Playing || finished {
            return false;
        }
        if self.play.timer.turn != Some(turn) {
            self.play.timer.turn = Some(turn);
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
}
