//! The `translations:` part of a scenario file: the player-facing texts in one more
//! language, each item named by its id.

use serde::{Deserialize, Serialize};

/// The player-facing texts of a scenario in one more language. Items are named by their
/// ids; the model (metrics, formulas, timing, costs) exists once, in the scenario itself.
/// A text left out (or empty) shows in the scenario's own language, and `ttx check` says
/// where.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationDef {
    /// BCP 47 language tag, e.g. "ja".
    pub language: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// As many as `meta.facts`, in the same order.
    #[serde(default)]
    pub facts: Vec<String>,
    /// As many as `meta.objectives`, in the same order.
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub metrics: Vec<MetricText>,
    #[serde(default)]
    pub turns: Vec<TurnText>,
    #[serde(default)]
    pub dynamics: Vec<DynamicText>,
    #[serde(default)]
    pub injects: Vec<InjectText>,
    #[serde(default)]
    pub mitigations: Vec<MitigationText>,
    /// Score components, by id.
    #[serde(default)]
    pub components: Vec<ComponentText>,
    /// Grade verdicts, by grade.
    #[serde(default)]
    pub grades: Vec<GradeText>,
    #[serde(default)]
    pub history: Option<HistoryText>,
    #[serde(default)]
    pub lessons: Vec<LessonText>,
    #[serde(default)]
    pub roles: Vec<RoleText>,
}

/// A metric's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricText {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub description: String,
}

/// A turn's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TurnText {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub briefing: String,
    /// The agenda's entries, in the scenario's order.
    #[serde(default)]
    pub agenda: Vec<String>,
}

/// A dynamic's label in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DynamicText {
    pub id: String,
    #[serde(default)]
    pub label: String,
}

/// An inject's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InjectText {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub facilitator_notes: String,
    /// Who it comes from, its masthead or letterhead, its standfirst.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub outlet: String,
    #[serde(default)]
    pub standfirst: String,
    /// As many as the inject's questions, in the same order.
    #[serde(default)]
    pub questions: Vec<String>,
    #[serde(default)]
    pub options: Vec<OptionText>,
}

/// A decision option's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionText {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// A mitigation card's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MitigationText {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub unavailable_text: String,
    /// As many as the card's side effects, in the same order.
    #[serde(default)]
    pub side_effects: Vec<String>,
}

/// A score component's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentText {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// A grade's verdict in another language (the grade itself, e.g. "A", stays).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradeText {
    pub grade: String,
    pub verdict: String,
}

/// The historical path's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryText {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// Notes on the real figures, by metric id.
    #[serde(default)]
    pub outcome: Vec<FigureText>,
}

/// A note on a real figure in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FigureText {
    pub metric: String,
    pub note: String,
}

/// A lesson's claim in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LessonText {
    pub id: String,
    pub claim: String,
}

/// A role's texts in another language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoleText {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub briefing: String,
}
