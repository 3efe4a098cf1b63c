//! The checked scenario: every id resolved to an index, every formula compiled.
//!
//! Only `author::validate` builds one, so the engine never meets a dangling reference or an
//! unparsed formula at play time.

use crate::sim::expr::Formula;
pub use crate::sim::format::{Channel, Check, Good, Kind, Medium, Meta, Op, Scene};

/// A typed position in one of the scenario's lists: a metric's index cannot be passed where
/// a mitigation's is expected. Serialised and debug-printed as the bare number, so logs,
/// saves and determinism vectors read as before.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(u16);

        impl $name {
            /// The position `i` (validation keeps every list within `u16`; a larger `i`
            /// saturates and names nothing).
            pub fn at(i: usize) -> Self {
                Self(u16::try_from(i).unwrap_or(u16::MAX))
            }

            /// Its position in the list, for indexing.
            pub fn ix(self) -> usize {
                usize::from(self.0)
            }

            /// The bare number (formulas and the expression compiler use it).
            #[allow(dead_code, reason = "roles are not read by formulas")]
            pub(crate) fn raw(self) -> u16 {
                self.0
            }

            /// Every index of a list of `len` items.
            pub fn all(len: usize) -> impl Iterator<Item = Self> {
                (0..len.min(usize::from(u16::MAX))).map(Self::at)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

index_type! {
    /// Index of a metric in [`Scenario::metrics`].
    MetricIdx
}
index_type! {
    /// Index of a mitigation in [`Scenario::mitigations`].
    MitigationIdx
}
index_type! {
    /// Index of an inject in [`Scenario::injects`].
    InjectIdx
}
index_type! {
    /// Index of a role in [`Scenario::roles`].
    RoleIdx
}

/// A validated scenario, ready to play.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub meta: Meta,
    pub resources: Resources,
    pub metrics: Vec<Metric>,
    pub turns: Vec<Turn>,
    pub dynamics: Vec<Dynamic>,
    pub injects: Vec<Inject>,
    pub mitigations: Vec<Mitigation>,
    /// A team's roles in a live workshop; empty when the scenario has none.
    pub roles: Vec<Role>,
    pub scoring: Scoring,
    pub history: Option<History>,
    /// Claims about what the scenario teaches, checked by playing ([`crate::sim::analyse::lesson`]).
    pub lessons: Vec<Lesson>,
    /// Play-based findings of `ttx check` the author accepts.
    pub allow: Vec<Check>,
    /// A hash of the source text: saves and result files name the exact scenario they belong to.
    pub fingerprint: u64,
    /// Its texts per language, its own language first ([`crate::sim::author::translate`]).
    pub translations: std::sync::Arc<Vec<Translation>>,
    /// Proof of validation: only `validate` can make one, so no scenario is built around it.
    pub(super) _checked: Checked,
}

/// A token only validation makes (a private field of [`Scenario`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked(());

impl Checked {
    /// For `validate` alone.
    pub(super) fn issued() -> Self {
        Self(())
    }
}

/// A role in a team.
#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub label: String,
    /// Told only to the role's players.
    pub briefing: String,
}

#[derive(Debug, Clone)]
pub struct Resources {
    pub action_points: u32,
    pub budget: Option<f64>,
    pub spend_metric: Option<MetricIdx>,
    pub currency: String,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub initial: f64,
    pub min: f64,
    pub max: f64,
    pub decimals: u8,
    pub visible: bool,
    pub good: Good,
    pub resets_to: Option<f64>,
    pub description: String,
}

impl Metric {
    /// How the metric's values are written (its decimals and unit), for
    /// [`Tr::quantity`](crate::i18n::Tr::quantity).
    pub fn measure(&self) -> crate::i18n::Measure<'_> {
        crate::i18n::Measure { decimals: self.decimals, unit: &self.unit }
    }
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub id: String,
    pub label: String,
    pub days: f64,
    pub briefing: String,
    /// Days elapsed before this turn starts.
    pub start_day: f64,
    /// What is known to be coming that turn (public from the first turn on).
    pub agenda: Vec<String>,
}

/// `metric op= value`.
#[derive(Debug, Clone)]
pub struct Effect {
    pub metric: MetricIdx,
    pub op: Op,
    pub value: Formula,
}

#[derive(Debug, Clone)]
pub struct Dynamic {
    pub id: String,
    pub label: String,
    pub effect: Effect,
    pub when: Option<Formula>,
    pub noise: f64,
}

#[derive(Debug, Clone)]
pub struct Inject {
    pub id: String,
    pub title: String,
    pub channel: Channel,
    pub text: String,
    pub at: Option<usize>,
    pub when: Option<Formula>,
    pub probability: Option<Formula>,
    pub repeat: bool,
    pub effects: Vec<Effect>,
    pub options: Vec<DecisionOption>,
    pub default_option: u16,
    pub facilitator_notes: String,
    pub questions: Vec<String>,
    /// The roles it reaches; empty: the whole team.
    pub to: Vec<RoleIdx>,
    /// The role that decides it (a decision's).
    pub owner: Option<RoleIdx>,
    /// How it looks: the scenario's choice or its channel's.
    pub medium: Medium,
    /// Who it comes from, its social handle, its masthead or letterhead and its standfirst
    /// (empty: not given; the views fill in the channel's).
    pub from: String,
    pub handle: String,
    pub outlet: String,
    pub standfirst: String,
    /// How many people it reached, evaluated on the turn it fires.
    pub reach: Option<Formula>,
    /// The stage of a decision that is a big moment.
    pub scene: Option<Scene>,
    /// When the team faces that scene prepared (evaluated when the decision is shown).
    pub prepared: Option<Formula>,
}

impl Inject {
    /// A decision demands a choice between options.
    pub fn is_decision(&self) -> bool {
        !self.options.is_empty()
    }

    /// Whether it reaches a player holding `roles` (None: every role, as in the
    /// single-player game and on the facilitator's screens).
    pub fn reaches(&self, roles: Option<&[RoleIdx]>) -> bool {
        self.to.is_empty() || roles.is_none_or(|held| self.to.iter().any(|r| held.contains(r)))
    }
}

#[derive(Debug, Clone)]
pub struct DecisionOption {
    pub id: String,
    pub label: String,
    pub description: String,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone)]
pub struct Mitigation {
    pub id: String,
    pub label: String,
    pub description: String,
    pub category: String,
    pub kind: Kind,
    pub money: f64,
    pub points: u32,
    pub upkeep: f64,
    pub lead_days: f64,
    pub available: Option<Formula>,
    pub unavailable_text: String,
    pub requires: Vec<MitigationIdx>,
    pub on_take: Vec<Effect>,
    pub on_activate: Vec<Effect>,
    pub while_active: Vec<Effect>,
    pub on_stop: Vec<Effect>,
    pub side_effects: Vec<String>,
    /// The role that takes and stops it.
    pub owner: Option<RoleIdx>,
}

#[derive(Debug, Clone)]
pub struct Scoring {
    pub components: Vec<Component>,
    /// Sorted by `min`, highest first.
    pub grades: Vec<Grade>,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    pub label: String,
    pub value: Formula,
    pub best: f64,
    pub curve: Curve,
    pub weight: f64,
    /// The share of the earned points that count (see the format's `counts`).
    pub counts: Option<Formula>,
    pub description: String,
}

/// A checked [`CurveDef`](super::format::CurveDef).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Curve {
    /// `worst` earns nothing; flat beyond `worst` and `best`.
    Linear { worst: f64 },
    /// Half the points at `half`; never flat.
    Log { half: f64 },
}

/// Where a value sits against a component's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saturation {
    /// Inside the scale: a better value would score more, a worse one less.
    No,
    /// At or past `worst`: worse values score the same (nothing).
    Floor,
    /// Past `best`: better values score the same (everything).
    Ceiling,
}

impl Component {
    /// The share (0 to 1) of this component's points a value earns.
    pub fn fraction(&self, value: f64) -> f64 {
        if !value.is_finite() {
            return 0.0;
        }
        match self.curve {
            Curve::Linear { worst } => ((value - worst) / (self.best - worst)).clamp(0.0, 1.0),
            Curve::Log { half } => {
                let d = (value - self.best) / (half - self.best);
                if d <= 0.0 { 1.0 } else { 1.0 / (1.0 + libm::log2(1.0 + d)) }
            }
        }
    }

    /// Whether the curve has gone flat at this value, so that changing it changes nothing.
    pub fn saturation(&self, value: f64) -> Saturation {
        match self.curve {
            Curve::Linear { worst } => {
                let past = |v: f64, edge: f64, other: f64| (v - edge) * (edge - other) > 0.0;
                if value == worst || past(value, worst, self.best) {
                    Saturation::Floor
                } else if past(value, self.best, worst) {
                    Saturation::Ceiling
                } else {
                    Saturation::No
                }
            }
            Curve::Log { half } => {
                if (value - self.best) * (half - self.best) < 0.0 {
                    Saturation::Ceiling
                } else {
                    Saturation::No
                }
            }
        }
    }

    /// The curve in words, for the briefing and `ttx check`.
    pub fn describe_curve(&self) -> String {
        let n = |v: f64| crate::i18n::number(v, if v.fract() == 0.0 { 0 } else { 2 });
        match self.curve {
            Curve::Linear { worst } => format!("all points at {}, none at {}", n(self.best), n(worst)),
            Curve::Log { half } => {
                format!("all points at {}, half at {}, fewer the further off, never none", n(self.best), n(half))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub min: f64,
    pub grade: String,
    pub verdict: String,
}

/// A player's move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Action {
    Take(MitigationIdx),
    Stop(MitigationIdx),
    Choose(InjectIdx, u16),
}

/// Choices per turn: `choices[t]` is what is done on turn `t`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path {
    pub choices: Vec<Vec<Action>>,
}

impl Path {
    /// The actions for turn `t` (none if the path is shorter).
    pub fn on(&self, t: usize) -> &[Action] {
        self.choices.get(t).map_or(&[], Vec::as_slice)
    }
}

/// A checked [`LessonDef`](super::format::LessonDef): two paths to compare and what must follow.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: String,
    pub claim: String,
    pub base: Path,
    pub changed: Path,
    /// The moves the change adds, by turn: these must be playable.
    pub added: Vec<(usize, Action)>,
    /// Further base and changed paths the same claim is checked on, with their names.
    pub also: Vec<(String, Path, Path)>,
    pub expect: Vec<Expectation>,
    pub seeds: u64,
}

/// What a lesson's change must do.
#[derive(Debug, Clone)]
pub enum Expectation {
    /// The target ends higher (or lower) with the change, by at least `size` on average.
    Moves { target: Target, higher: bool, size: Size },
    /// A condition on the changed game's end (its source text kept for messages).
    Holds(Formula, String),
}

/// How much a lesson's change must be worth on average.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    /// Any amount in the right direction.
    Any,
    /// At least this much, in the target's units (points for the score).
    By(f64),
    /// At least this share of the base's average (0.3 = 30%).
    Share(f64),
}

/// What a lesson compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Score,
    Metric(MetricIdx),
}

#[derive(Debug, Clone)]
pub struct History {
    pub label: String,
    pub description: String,
    pub path: Path,
    pub outcome: Vec<HistoricFigure>,
}

#[derive(Debug, Clone)]
pub struct HistoricFigure {
    pub metric: MetricIdx,
    pub value: f64,
    pub note: String,
}

impl Scenario {
    pub fn metric_index(&self, id: &str) -> Option<MetricIdx> {
        self.metrics.iter().position(|m| m.id == id).map(MetricIdx::at)
    }

    pub fn mitigation_index(&self, id: &str) -> Option<MitigationIdx> {
        self.mitigations.iter().position(|m| m.id == id).map(MitigationIdx::at)
    }

    pub fn inject_index(&self, id: &str) -> Option<InjectIdx> {
        self.injects.iter().position(|m| m.id == id).map(InjectIdx::at)
    }

    pub fn turn_index(&self, id: &str) -> Option<usize> {
        self.turns.iter().position(|t| t.id == id)
    }

    /// A human-readable name for an action.
    pub fn describe(&self, action: Action) -> String {
        match action {
            Action::Take(m) => format!("take “{}”", self.mitigations[m.ix()].label),
            Action::Stop(m) => format!("stop “{}”", self.mitigations[m.ix()].label),
            Action::Choose(i, o) => {
                let inject = &self.injects[i.ix()];
                format!("“{}”: {}", inject.title, inject.options[o as usize].label)
            }
        }
    }

    /// The grade band a score falls in.
    pub fn grade(&self, score: f64) -> &Grade {
        self.scoring.grades.iter().find(|g| score >= g.min).or(self.scoring.grades.last()).unwrap_or(&FALLBACK_GRADE)
    }
}

static FALLBACK_GRADE: Grade = Grade { min: 0.0, grade: String::new(), verdict: String::new() };

/// One text of a scenario a player or facilitator reads (what a [`Translation`] gives;
/// checked in `author::translate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    Title,
    Summary,
    Fact(usize),
    Objective(usize),
    MetricLabel(MetricIdx),
    MetricUnit(MetricIdx),
    MetricDescription(MetricIdx),
    TurnLabel(usize),
    TurnBriefing(usize),
    TurnAgenda(usize, usize),
    DynamicLabel(usize),
    InjectTitle(InjectIdx),
    InjectText(InjectIdx),
    InjectNotes(InjectIdx),
    InjectFrom(InjectIdx),
    InjectOutlet(InjectIdx),
    InjectStandfirst(InjectIdx),
    InjectQuestion(InjectIdx, usize),
    OptionLabel(InjectIdx, usize),
    OptionDescription(InjectIdx, usize),
    MitigationLabel(MitigationIdx),
    MitigationDescription(MitigationIdx),
    MitigationCategory(MitigationIdx),
    MitigationUnavailable(MitigationIdx),
    MitigationSideEffect(MitigationIdx, usize),
    ComponentLabel(usize),
    ComponentDescription(usize),
    GradeVerdict(usize),
    HistoryLabel,
    HistoryDescription,
    FigureNote(usize),
    LessonClaim(usize),
    RoleLabel(usize),
    RoleBriefing(usize),
}

/// The scenario's texts in one language: every slot that language gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub language: String,
    pub texts: Vec<(Slot, String)>,
}
