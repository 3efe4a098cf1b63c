//! One debrief model: what a finished game is compared with. The app's debrief screen
//! (through `player::DebriefParts`), the command line's debrief and the after-action
//! report all build from [`Debrief`] (the score, the historical game, what each choice was
//! worth, worked out once) and read the comparison of the end state as [`Compared`] rows.

use super::game::Game;
pub use super::player::DebriefParts as Debrief;
use crate::i18n::Tr;

/// One visible metric at the end of the game, in words: the players' value beside the
/// historical path's (the model replaying what happened), the recorded real outcome and
/// the best strategy found, where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    pub label: String,
    pub you: String,
    pub history: Option<String>,
    pub real: Option<String>,
    pub best: Option<String>,
}

/// Every visible metric of `game` at its end compared with the historical game, the real
/// outcome the scenario records and the `best` game, in the words of `tr`.
pub fn compared(game: &Game, history: Option<&Game>, best: Option<&Game>, tr: &Tr) -> Vec<Compared> {
    let sc = game.scenario();
    let real = sc.history.as_ref().map(|h| &h.outcome);
    sc.metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| m.visible)
        .map(|(k, m)| Compared {
            label: m.label.clone(),
            you: tr.metric(m, game.metrics()[k]),
            history: history.map(|h| tr.metric(m, h.metrics()[k])),
            real: real.and_then(|o| o.iter().find(|f| f.metric.ix() == k)).map(|f| tr.metric(m, f.value)),
            best: best.map(|b| tr.metric(m, b.metrics()[k])),
        })
        .collect()
}

impl Debrief {
    /// The historical game these parts compare with, if the scenario has a history.
    pub fn historical(&self) -> Option<&Game> {
        self.history.as_ref().map(|(g, _)| g)
    }
}
