//! One debrief model: the app's debrief screen (and a workshop player's, as a
//! [`DebriefView`]), the command line's debrief and the after-action report all build from
//! [`Debrief`] (the score, the historical game, what each choice was worth, worked out once)
//! and read the comparison of the end state as [`Compared`] rows.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::i18n::Tr;
use crate::sim::play::game::Game;
use crate::sim::play::score::{self, ChoiceValue, Score};
use crate::sim::present::view;
use crate::sim::present::week::{TimelineTurn, timeline};
use crate::sim::scenario::Scenario;

/// The one debrief model (the app, the workshop server, the command line, the report).
pub type Debrief = DebriefParts;

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
            you: tr.quantity(game.metrics()[k], m.measure()),
            history: history.map(|h| tr.quantity(h.metrics()[k], m.measure())),
            real: real.and_then(|o| o.iter().find(|f| f.metric.ix() == k)).map(|f| tr.quantity(f.value, m.measure())),
            best: best.map(|b| tr.quantity(b.metrics()[k], m.measure())),
        })
        .collect()
}

impl Debrief {
    /// The historical game these parts compare with, if the scenario has a history.
    pub fn historical(&self) -> Option<&Game> {
        self.history.as_ref().map(|(g, _)| g)
    }
}

/// The debrief: the score and what made it, the game against history, charts, questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DebriefView {
    pub total: f64,
    pub grade: String,
    pub verdict: String,
    pub components: Vec<ComponentView>,
    /// The facilitator acted in this game (what-if replays repeat the players' moves only).
    pub facilitated: bool,
    /// What each choice was worth, largest first (at most eight): the change in points and
    /// the choice in words.
    pub choices: Vec<(f64, String)>,
    pub history: Option<HistoryView>,
    /// One chart per visible metric.
    pub charts: Vec<ChartView>,
    /// The turns on which the players moved, in order.
    pub moves: Vec<usize>,
    /// The scenario's turns with the team's moves, as the turn screen's strip shows them:
    /// the charts' time axis (empty from an older server: the axis counts turns).
    #[serde(default)]
    pub timeline: Vec<TimelineTurn>,
    pub questions: Vec<String>,
    /// The turns a replay may start from (all but the first): number and label.
    pub replay_from: Vec<(usize, String)>,
}

/// One part of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentView {
    pub label: String,
    pub points: f64,
    pub max_points: f64,
    pub fraction: f64,
    /// Its largest causes in words, each good for the players or not.
    pub drivers: Vec<(String, Option<bool>)>,
}

/// The game against the scenario's historical path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    pub label: String,
    pub total: f64,
    pub grade: String,
    /// Each visible metric at the end: label, the players' value, history's, in words.
    pub rows: Vec<(String, String, String)>,
}

/// One metric over the game, and on the historical path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartView {
    pub id: String,
    pub label: String,
    pub series: Vec<f64>,
    pub history: Option<Vec<f64>>,
}

/// The debrief of a finished `game`, from its score, the historical game and its score
/// (when the scenario has a history) and what each choice was worth.
pub fn debrief_view(
    game: &Game,
    score: &Score,
    history: Option<(&Game, &Score)>,
    choices: &[ChoiceValue],
    tr: &Tr,
) -> DebriefView {
    let sc = game.scenario();
    let visible = || sc.metrics.iter().enumerate().filter(|(_, m)| m.visible);
    DebriefView {
        total: score.total,
        grade: score.grade.clone(),
        verdict: score.verdict.clone(),
        components: score
            .components
            .iter()
            .map(|c| ComponentView {
                label: c.label.clone(),
                points: c.points,
                max_points: c.max_points,
                fraction: c.fraction,
                drivers: view::component_drivers(game, &c.id, 2, tr).into_iter().map(|d| (d.text, d.good)).collect(),
            })
            .collect(),
        facilitated: view::facilitated(game),
        timeline: timeline(game, tr),
        choices: choices.iter().take(8).map(|c| (c.delta, view::choice_text(sc, c, tr))).collect(),
        history: sc.history.as_ref().zip(history).map(|(h, (hg, hs))| HistoryView {
            label: h.label.clone(),
            total: hs.total,
            grade: hs.grade.clone(),
            rows: compared(game, Some(hg), None, tr)
                .into_iter()
                .map(|c| (c.label, c.you, c.history.unwrap_or_default()))
                .collect(),
        }),
        charts: visible()
            .map(|(k, m)| ChartView {
                id: m.id.clone(),
                label: m.label.clone(),
                series: game.history().iter().map(|h| h[k]).collect(),
                history: history.map(|(hg, _)| hg.history().iter().map(|h| h[k]).collect()),
            })
            .collect(),
        moves: game.actions().iter().map(|(t, _)| *t).collect(),
        questions: view::questions(game),
        replay_from: sc.turns.iter().enumerate().skip(1).map(|(t, turn)| (t, turn.label.clone())).collect(),
    }
}

/// What the debrief is built from: worked out once when a game is over (the historical
/// game and the what-if replays take a while), then formatted in each language. The
/// single-player game and the workshop server both keep these.
#[derive(Debug, Clone)]
pub struct DebriefParts {
    /// The scenario (in the language) they were worked out on.
    scenario: Arc<Scenario>,
    pub score: Score,
    pub history: Option<(Game, Score)>,
    pub choices: Vec<ChoiceValue>,
}

impl DebriefParts {
    /// The parts of a finished game's debrief.
    pub fn of(game: &Game) -> Self {
        let history = score::historical(game.scenario(), game.seed()).map(|h| {
            let s = score::score(&h);
            (h, s)
        });
        let scenario = Arc::clone(game.scenario());
        Self { scenario, score: score::score(game), history, choices: score::choice_values(game) }
    }

    /// The debrief of `game` (the game these parts are of, over its scenario in any
    /// language) in the language of `tr`.
    pub fn view(&self, game: &Game, tr: &Tr) -> DebriefView {
        if Arc::ptr_eq(&self.scenario, game.scenario()) {
            let history = self.history.as_ref().map(|(hg, hs)| (hg, hs));
            return debrief_view(game, &self.score, history, &self.choices, tr);
        }
        // Scored again on this game's texts: the same figures in its language's words.
        let score = score::score(game);
        let history = self.history.as_ref().map(|(hg, _)| {
            let hg = hg.in_scenario(Arc::clone(game.scenario()));
            let hs = score::score(&hg);
            (hg, hs)
        });
        debrief_view(game, &score, history.as_ref().map(|(hg, hs)| (hg, hs)), &self.choices, tr)
    }
}
