//! The facilitator's console as the engine presents it: this turn's notes, every inject,
//! the metrics to set, the random rules to fix and what the console has done so far.

use crate::i18n::Tr;
use crate::sim::play::game::{Game, Outcome};
use crate::sim::present::view::{InjectRow, inject_rows};
use crate::sim::scenario::MetricIdx;
use crate::t;

/// Everything the console shows of one game.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleView {
    /// This turn's injects that carry notes or questions for the facilitator.
    pub notes: Vec<InjectNotes>,
    pub injects: Vec<InjectRow>,
    /// Every metric, hidden ones too (marked in their name).
    pub metrics: Vec<MetricSetting>,
    /// The random rules whose draw can be fixed this turn.
    pub rolls: Vec<RollSetting>,
    /// Whether a turn can be stepped back.
    pub can_undo: bool,
    /// What the console has done so far, described.
    pub done: Vec<String>,
}

/// An inject's notes and discussion questions.
#[derive(Debug, Clone, PartialEq)]
pub struct InjectNotes {
    pub title: String,
    pub notes: String,
    pub questions: Vec<String>,
}

/// A metric the console may set, with its bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSetting {
    pub metric: MetricIdx,
    /// Its label, marked when the players do not see it.
    pub name: String,
    pub value: f64,
    /// The value as the players read it (unit, money).
    pub value_text: String,
    pub min: f64,
    pub max: f64,
}

/// A random rule and where its draw is fixed this turn (0: low, 0.5: middle, 1: high).
#[derive(Debug, Clone, PartialEq)]
pub struct RollSetting {
    pub dynamic: u16,
    /// "label (±N%)".
    pub label: String,
    pub fixed: Option<f64>,
}

/// The console's view of `game`, in the language of `tr`.
pub fn console_view(game: &Game, tr: &Tr) -> ConsoleView {
    let sc = game.scenario();
    let notes = game
        .injects_this_turn()
        .map(|i| &sc.injects[i.ix()])
        .filter(|inj| !(inj.facilitator_notes.is_empty() && inj.questions.is_empty()))
        .map(|inj| InjectNotes {
            title: inj.title.clone(),
            notes: inj.facilitator_notes.clone(),
            questions: inj.questions.clone(),
        })
        .collect();
    let metrics = sc
        .metrics
        .iter()
        .enumerate()
        .map(|(k, m)| MetricSetting {
            metric: MetricIdx::at(k),
            name: if m.visible { m.label.clone() } else { t!(tr, "console-metric-hidden", label = &m.label) },
            value: game.metrics()[k],
            value_text: tr.quantity(game.metrics()[k], m.measure()),
            min: m.min,
            max: m.max,
        })
        .collect();
    let rolls = sc
        .dynamics
        .iter()
        .enumerate()
        .filter(|(_, dy)| dy.noise > 0.0)
        .map(|(d, dy)| RollSetting {
            dynamic: d as u16,
            label: format!("{} (±{:.0}%)", dy.label, dy.noise * 100.0),
            fixed: game.fixed_roll(d as u16),
        })
        .collect();
    let done = game
        .log()
        .iter()
        .filter_map(|o| if let Outcome::Facilitator { act } = o { Some(act.describe_in(sc, tr)) } else { None })
        .collect();
    ConsoleView { notes, injects: inject_rows(game, tr), metrics, rolls, can_undo: game.can_undo(), done }
}
