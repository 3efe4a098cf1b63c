//! The scenario file format (v1) exactly as written in RON: plain serde types, no checks.
//!
//! Everything here is what a facilitator types. `validate` turns it into the checked
//! [`Scenario`](super::Scenario) the rest of the engine uses; nothing else reads these types.

use serde::{Deserialize, Serialize};

/// The only format version this engine reads.
pub const FORMAT_VERSION: u32 = 1;

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    /// Format version; must be 1.
    pub format: u32,
    pub meta: Meta,
    #[serde(default)]
    pub resources: Resources,
    pub metrics: Vec<MetricDef>,
    pub turns: Vec<TurnDef>,
    #[serde(default)]
    pub dynamics: Vec<DynamicDef>,
    #[serde(default)]
    pub injects: Vec<InjectDef>,
    #[serde(default)]
    pub mitigations: Vec<MitigationDef>,
    pub scoring: ScoringDef,
    #[serde(default)]
    pub history: Option<HistoryDef>,
}

/// Who wrote the scenario, what it is about and what it rests on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// A short machine id, e.g. "7pay-launch-week".
    pub id: String,
    pub title: String,
    pub summary: String,
    /// BCP 47 language tag of the texts, e.g. "en" or "ja".
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// The facts the scenario is based on, shown in the briefing.
    #[serde(default)]
    pub facts: Vec<String>,
    /// What the players are asked to achieve, shown in the briefing.
    #[serde(default)]
    pub objectives: Vec<String>,
}

fn default_language() -> String {
    "en".to_owned()
}

/// What players can spend.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Action points available each turn (they do not carry over).
    #[serde(default = "default_points")]
    pub action_points: u32,
    /// Money available for the whole game; `None` means unlimited.
    #[serde(default)]
    pub budget: Option<f64>,
    /// A metric that accumulates money spent on mitigations, so scoring can weigh it.
    #[serde(default)]
    pub spend_metric: Option<String>,
    /// Currency label for costs, e.g. "yen".
    #[serde(default = "default_currency")]
    pub currency: String,
}

impl Default for Resources {
    fn default() -> Self {
        Self { action_points: default_points(), budget: None, spend_metric: None, currency: default_currency() }
    }
}

fn default_points() -> u32 {
    3
}

fn default_currency() -> String {
    "money".to_owned()
}

/// Which direction of a metric is good for the players.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum Good {
    Higher,
    Lower,
    #[default]
    Neutral,
}

/// A state variable of the scenario.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricDef {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub unit: String,
    pub initial: f64,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// Decimal places shown.
    #[serde(default)]
    pub decimals: u8,
    /// Whether players see it (hidden metrics drive the model behind the scenes).
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default)]
    pub good: Good,
    /// If set, the metric is a per-turn quantity: it is reset to this value at the start of
    /// every turn's resolution, before mitigations and dynamics run.
    #[serde(default)]
    pub resets_to: Option<f64>,
    #[serde(default)]
    pub description: String,
}

fn yes() -> bool {
    true
}

/// One turn of the timeline.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TurnDef {
    pub id: String,
    /// What players see, e.g. "Mon 1 Jul".
    pub label: String,
    /// How many days the turn covers (formulas see it as `days`).
    #[serde(default = "one")]
    pub days: f64,
    pub briefing: String,
}

fn one() -> f64 {
    1.0
}

/// How an effect changes its metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum Op {
    #[default]
    Add,
    Sub,
    Mul,
    Set,
}

/// `metric op= value`, with `value` a formula.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EffectDef {
    pub metric: String,
    #[serde(default)]
    pub op: Op,
    pub value: String,
}

/// A rule that moves a metric every turn.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DynamicDef {
    pub id: String,
    /// Why this rule exists, shown in the turn summary's "why".
    pub label: String,
    pub metric: String,
    #[serde(default)]
    pub op: Op,
    pub value: String,
    /// Only runs when this condition holds.
    #[serde(default)]
    pub when: Option<String>,
    /// Relative random variation: the value is multiplied by a uniform draw in
    /// `[1 - noise, 1 + noise]`.
    #[serde(default)]
    pub noise: f64,
}

/// Where an inject reaches the players.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Channel {
    News,
    SocialMedia,
    StoreStaff,
    SupportDesk,
    Press,
    Regulator,
    Internal,
}

impl Channel {
    /// The name shown to players.
    pub fn label(self) -> &'static str {
        match self {
            Self::News => "News",
            Self::SocialMedia => "Social media",
            Self::StoreStaff => "Store staff",
            Self::SupportDesk => "Support desk",
            Self::Press => "Press",
            Self::Regulator => "Regulator",
            Self::Internal => "Internal",
        }
    }
}

/// An event that reaches the players.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InjectDef {
    pub id: String,
    pub title: String,
    pub channel: Channel,
    pub text: String,
    /// Fires on this turn only (a turn id); `None` means any turn its condition holds.
    #[serde(default)]
    pub at: Option<String>,
    /// A condition over metrics and choices.
    #[serde(default)]
    pub when: Option<String>,
    /// Chance of firing when due, a formula giving 0..1.
    #[serde(default)]
    pub probability: Option<String>,
    /// May fire again on later turns.
    #[serde(default)]
    pub repeat: bool,
    #[serde(default)]
    pub effects: Vec<EffectDef>,
    /// If not empty, the inject is a decision: players must pick one option this turn.
    #[serde(default)]
    pub options: Vec<OptionDef>,
    /// The option taken if players do not choose (default: the first).
    #[serde(default)]
    pub default_option: Option<String>,
    /// Notes for the facilitator only.
    #[serde(default)]
    pub facilitator_notes: String,
    /// Discussion questions for the debrief.
    #[serde(default)]
    pub questions: Vec<String>,
}

/// One answer to a decision.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub effects: Vec<EffectDef>,
}

/// One-shot mitigations happen once; toggles can be switched off and on again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum Kind {
    #[default]
    OneShot,
    Toggle,
}

/// What a mitigation costs to take.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    #[serde(default)]
    pub money: f64,
    #[serde(default)]
    pub points: u32,
}

/// Something players can do.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MitigationDef {
    pub id: String,
    pub label: String,
    pub description: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    pub cost: Cost,
    /// Money per day while active.
    #[serde(default)]
    pub upkeep: f64,
    /// Days between taking it and it taking effect.
    #[serde(default)]
    pub lead_days: f64,
    /// Condition under which players may take it.
    #[serde(default)]
    pub available: Option<String>,
    /// What players are told while `available` is false, e.g. "Only after launch".
    #[serde(default)]
    pub unavailable_text: String,
    /// Mitigations that must have been taken first.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Effects applied at once when taken.
    #[serde(default)]
    pub on_take: Vec<EffectDef>,
    /// Effects applied once when it takes effect.
    #[serde(default)]
    pub on_activate: Vec<EffectDef>,
    /// Effects applied every turn while active, before the dynamics.
    #[serde(default)]
    pub while_active: Vec<EffectDef>,
    /// Effects applied when a toggle is switched off.
    #[serde(default)]
    pub on_stop: Vec<EffectDef>,
    /// Plain-language side effects shown on the card.
    #[serde(default)]
    pub side_effects: Vec<String>,
}

/// How the final state is judged.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringDef {
    pub components: Vec<ComponentDef>,
    pub grades: Vec<GradeDef>,
}

/// One weighted part of the score: `value` mapped linearly from `worst` (0) to `best` (1).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentDef {
    pub id: String,
    pub label: String,
    pub value: String,
    pub best: f64,
    pub worst: f64,
    pub weight: f64,
    #[serde(default)]
    pub description: String,
}

/// A grade band: reached when the score is at least `min`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradeDef {
    pub min: f64,
    pub grade: String,
    pub verdict: String,
}

/// What really happened, so any run can be compared with history.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryDef {
    pub label: String,
    #[serde(default)]
    pub description: String,
    pub choices: Vec<TurnChoicesDef>,
    /// The real figures at the end, for calibration and the debrief.
    #[serde(default)]
    pub outcome: Vec<HistoricFigure>,
}

/// The choices made on one turn.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TurnChoicesDef {
    pub turn: String,
    #[serde(default)]
    pub take: Vec<String>,
    #[serde(default)]
    pub stop: Vec<String>,
    /// `(decision inject id, option id)` pairs.
    #[serde(default)]
    pub choose: Vec<(String, String)>,
}

/// A real-world figure at the end of the incident.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HistoricFigure {
    pub metric: String,
    pub value: f64,
    #[serde(default)]
    pub note: String,
}
