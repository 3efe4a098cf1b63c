//! The game's words in the players' language: what a facilitator's intervention did and
//! why a move is locked (the `Display` texts of [`Lock`] stay English, for diagnostics).

use super::{Intervention, Lock, Missing};
use crate::i18n::{Lang, Tr};
use crate::sim::scenario::{InjectIdx, Scenario};
use crate::t;

impl Intervention {
    /// What the facilitator did, in English words (see [`Intervention::describe_in`]).
    pub fn describe(&self, sc: &Scenario) -> String {
        self.describe_in(sc, Lang::En.tr())
    }

    /// What the facilitator did, in the players' language (for the event feed and the report).
    pub fn describe_in(&self, sc: &Scenario, tr: &Tr) -> String {
        let inject = |i: &InjectIdx| sc.injects.get(i.ix()).map_or("?", |x| x.title.as_str());
        match self {
            Self::Trigger { inject: i } => t!(tr, "act-trigger", title = inject(i)),
            Self::Suppress { inject: i, on: true } => t!(tr, "act-suppress", title = inject(i)),
            Self::Suppress { inject: i, on: false } => t!(tr, "act-allow", title = inject(i)),
            Self::SetMetric { metric, value } => match sc.metrics.get(metric.ix()) {
                Some(m) => {
                    t!(tr, "act-set-metric", metric = m.label.as_str(), value = tr.quantity(*value, m.measure()))
                }
                None => t!(tr, "act-set-a-metric"),
            },
            Self::Roll { dynamic, draw } => {
                let label = sc.dynamics.get(*dynamic as usize).map_or("?", |d| d.label.as_str());
                let percent = format!("{:.0}", draw * 100.0);
                match *draw {
                    d if d < 0.34 => t!(tr, "act-roll-low", label = label, percent = percent),
                    d if d > 0.66 => t!(tr, "act-roll-high", label = label, percent = percent),
                    _ => t!(tr, "act-roll-middle", label = label, percent = percent),
                }
            }
            Self::SteppedBack { from } => {
                let label = |t: u16| {
                    sc.turns.get(usize::from(t)).map_or_else(|| t!(tr, "act-end-of-game"), |x| x.label.clone())
                };
                t!(tr, "act-stepped-back", from = label(*from), to = label(from.saturating_sub(1)))
            }
            Self::TimeUp => t!(tr, "act-time-up"),
        }
    }
}

impl Lock {
    /// Why, in the players' language (the `Display` text is the English one, for errors
    /// and diagnostics).
    pub fn describe(&self, tr: &Tr) -> String {
        match self {
            Self::Finished => t!(tr, "lock-finished"),
            Self::Active => t!(tr, "lock-active"),
            Self::Pending => t!(tr, "lock-pending"),
            Self::Done => t!(tr, "lock-done"),
            Self::Requires(label) => t!(tr, "lock-requires", label = label),
            Self::Unavailable(why) => t!(tr, "lock-unavailable", why = why),
            Self::NeedsFormula(formula) => t!(tr, "lock-needs-formula", formula = formula),
            Self::Points { need, left } => t!(tr, "lock-points", need = *need, left = *left),
            Self::Budget { need, left, currency } => {
                t!(tr, "lock-budget", need = tr.money(*need, currency), left = tr.money(*left, currency))
            }
            Self::NotRunning(label) => t!(tr, "lock-not-running", label = label),
            Self::OneShot(label) => t!(tr, "lock-one-shot", label = label),
            Self::NoDecision(title) => t!(tr, "lock-no-decision", title = title),
            Self::Unknown(Missing::Mitigation) => t!(tr, "lock-unknown-mitigation"),
            Self::Unknown(Missing::Decision) => t!(tr, "lock-unknown-decision"),
            Self::Unknown(Missing::Option) => t!(tr, "lock-unknown-option"),
            Self::Unknown(Missing::Inject) => t!(tr, "lock-unknown-inject"),
            Self::Unknown(Missing::Metric) => t!(tr, "lock-unknown-metric"),
            Self::Unknown(Missing::DynamicRule) => t!(tr, "lock-unknown-dynamic"),
            Self::Unknown(Missing::UndoRecord) => t!(tr, "lock-no-undo-record"),
            Self::Unknown(Missing::Intervention) => t!(tr, "lock-unknown-intervention"),
            Self::BeforeIntervention => t!(tr, "lock-before-intervention"),
            Self::Fired(title) => t!(tr, "lock-fired", title = title),
            Self::AlreadyDue(title) => t!(tr, "lock-already-due", title = title),
            Self::NothingToUndo => t!(tr, "lock-nothing-to-undo"),
            Self::DrawNotANumber => t!(tr, "lock-draw-not-a-number"),
            Self::NotANumber(what) => t!(tr, "lock-not-a-number", what = what),
            Self::TooManyRecords(n) => t!(tr, "lock-too-many-records", n = *n),
        }
    }
}
