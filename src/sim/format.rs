//! The scenario file format (v1) exactly as written in RON: plain serde types, no checks.
//!
//! Everything here is what a facilitator types. `author::validate` turns it into the checked
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
    /// The roles of a team in a live workshop (incident lead, communications...): injects
    /// may reach one role only, and a role may own mitigations and decisions. None: every
    /// player of a team sees and does everything.
    #[serde(default)]
    pub roles: Vec<RoleDef>,
    pub scoring: ScoringDef,
    #[serde(default)]
    pub history: Option<HistoryDef>,
    /// What the scenario teaches, as claims the engine checks by playing.
    #[serde(default)]
    pub lessons: Vec<LessonDef>,
    /// Findings of `ttx check` the author has looked at and accepts, each with a reason.
    #[serde(default)]
    pub allow: Vec<AllowDef>,
    /// The scenario's texts in other languages, by the ids of what they belong to.
    #[serde(default)]
    pub translations: Vec<TranslationDef>,
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
    /// What the players know is coming that turn, planned in advance ("Launch day", "Board
    /// review"): shown on the timeline from the start, so no surprise belongs here. At most
    /// 4 entries of at most 60 characters.
    #[serde(default)]
    pub agenda: Vec<String>,
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

/// A role in a team: who the injects addressed to it reach and who decides what it owns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    pub id: String,
    pub label: String,
    /// What only the role's players are told at the start (their brief).
    #[serde(default)]
    pub briefing: String,
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
    /// The roles it reaches (ids of `roles`); empty: the whole team.
    #[serde(default)]
    pub to: Vec<String>,
    /// A decision's owner (a role id): its players decide; others may propose an answer.
    #[serde(default)]
    pub owner: Option<String>,
    /// Notes for the facilitator only.
    #[serde(default)]
    pub facilitator_notes: String,
    /// Discussion questions for the debrief.
    #[serde(default)]
    pub questions: Vec<String>,
    /// How it looks on screen (a post, an article, a letter...); default: the channel's look.
    #[serde(default)]
    pub medium: Option<Medium>,
    /// Who it comes from: a post's author, a mail's sender, a caller, a letter's signatory.
    #[serde(default)]
    pub from: String,
    /// A social post's handle, e.g. "@tanaka_k".
    #[serde(default)]
    pub handle: String,
    /// The organisation it appears under: a newspaper's masthead, a regulator's letterhead.
    #[serde(default)]
    pub outlet: String,
    /// An article's standfirst: the sentence under the headline.
    #[serde(default)]
    pub standfirst: String,
    /// How many people it reached, a formula (reposts and likes of a post, shares of an
    /// article, open tickets of a queue), evaluated on the turn it fires.
    #[serde(default)]
    pub reach: Option<String>,
    /// A decision that is a big moment opens on this stage (a press conference, the board
    /// room, a hearing) instead of in a box.
    #[serde(default)]
    pub scene: Option<Scene>,
    /// A scene's condition over metrics and choices under which the team walks on stage
    /// prepared (e.g. the expert is briefed and beside the speaker); players see whether it
    /// holds, never the formula. None: the scene shows no verdict.
    #[serde(default)]
    pub prepared: Option<String>,
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
    /// The role that decides on it (a role id): its players take and stop it; others may
    /// propose it.
    #[serde(default)]
    pub owner: Option<String>,
}

/// How the final state is judged.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringDef {
    pub components: Vec<ComponentDef>,
    pub grades: Vec<GradeDef>,
}

/// One weighted part of the score: `value` mapped to a fraction (0 to 1) of the component's
/// points by its `curve`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentDef {
    pub id: String,
    pub label: String,
    pub value: String,
    /// The value that earns every point.
    pub best: f64,
    /// The value that earns none (`Linear` only: a `Log` curve never reaches zero). Written
    /// as a plain number.
    #[serde(default, deserialize_with = "plain_some", skip_serializing_if = "Option::is_none")]
    pub worst: Option<f64>,
    pub weight: f64,
    #[serde(default)]
    pub curve: CurveDef,
    /// The share (0 to 1) of the points earned that count, e.g. the share of the service
    /// actually delivered: protecting users of a service that was closed is worth little.
    /// Evaluated at the end like `value`; default: all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<String>,
    #[serde(default)]
    pub description: String,
}

/// An optional number written without `Some(...)`.
fn plain_some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    f64::deserialize(d).map(Some)
}

/// How a component's value becomes points.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, Default)]
pub enum CurveDef {
    /// A straight line from `worst` (no points) to `best` (all points), flat beyond both:
    /// values past `worst` all score the same. Right for bounded quantities (a 0-100%
    /// metric scored from 0 to 100).
    #[default]
    Linear,
    /// Logarithmic, for quantities that span orders of magnitude (victims, losses): all
    /// points at `best`, half at `half`, a third at 3 × `half`, a quarter at 7 × `half`
    /// (measured from `best`), and never zero, so 800, 8,000 and 80,000 victims are three
    /// different scores. `fraction = 1 / (1 + log2(1 + (value - best) / (half - best)))`.
    Log { half: f64 },
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

/// A lesson as a checkable claim: a change to a base strategy, and what it must do to the
/// outcome, compared game by game on the same seeds.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LessonDef {
    pub id: String,
    /// The lesson in words, e.g. "Two-step verification before launch saves victims".
    pub claim: String,
    /// The strategy the change is made to (default: the historical path).
    #[serde(default)]
    pub base: LessonBase,
    /// Choices added to the base.
    #[serde(default)]
    pub add: Vec<TurnChoicesDef>,
    /// Choices taken out of the base (they must be in it).
    #[serde(default)]
    pub remove: Vec<TurnChoicesDef>,
    /// Further strategies the same change is checked on (e.g. a good defence): the claim
    /// must hold on each of them too.
    #[serde(default)]
    pub also_on: Vec<LessonBase>,
    /// What must follow: `HigherBy("score", 2.0)`, `LowerByShare("victims", 0.3)`,
    /// `Holds("fired(x) == 0")`.
    pub expect: Vec<Expect>,
    /// How many seeds to play: the first half are seeds 0, 1, 2..., the rest are drawn from
    /// the lesson's id, so lessons are not all tuned to the same games.
    #[serde(default = "lesson_seeds")]
    pub seeds: u64,
}

fn lesson_seeds() -> u64 {
    100
}

/// The strategy a lesson starts from.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
pub enum LessonBase {
    /// The scenario's historical path.
    #[default]
    History,
    /// No moves at all; every decision takes its default.
    Nothing,
    /// These choices.
    Path(Vec<TurnChoicesDef>),
}

/// One expected consequence of a lesson's change.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub enum Expect {
    /// The score, or a metric, ends higher with the change than without (by any amount).
    Higher(String),
    /// The score, or a metric, ends lower with the change than without (by any amount).
    Lower(String),
    /// Higher by at least this much on average: `HigherBy("score", 2.0)`.
    HigherBy(String, f64),
    /// Lower by at least this much on average: `LowerBy("victims", 100.0)`.
    LowerBy(String, f64),
    /// Higher by at least this share of the base's average: `HigherByShare("trust", 0.1)`.
    HigherByShare(String, f64),
    /// Lower by at least this share of the base's average: `LowerByShare("victims", 0.3)`.
    LowerByShare(String, f64),
    /// A condition holds at the end of the changed game.
    Holds(String),
}

/// A finding of `ttx check` accepted by the author.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AllowDef {
    pub check: Check,
    /// Why it is fine here, for the next person who reads the file.
    pub reason: String,
}

/// The play-based checks of `ttx check` that an author can accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Check {
    /// A few cheap moves score close to the best strategy found.
    CheapTrick,
    /// A score component is flat (at its floor or ceiling) in most games of a strategy.
    FlatComponent,
    /// A mitigation never raises the score.
    NeverWorthTaking,
    /// A short strategy (a few moves of any cost) scores close to the best strategy found,
    /// or far above the historical path.
    ShortStrategy,
    /// A switch-off strategy (pauses and closures held for most of the game) scores close to
    /// the best strategy found, or far above the historical path.
    SwitchOff,
}

mod media;
mod translations;
pub use media::*;
pub use translations::*;
