//! A scenario's texts in several languages: the `translations:` of a scenario file are
//! checked against the scenario's own texts (what is missing, what names nothing), and a
//! game plays the scenario in any language it has while the model stays one.

mod checks;
pub(super) use checks::check;

use crate::sim::format::{self as f, TranslationDef};
use crate::sim::scenario::{InjectIdx, MetricIdx, MitigationIdx, Scenario, Slot, Translation};

/// Every text slot of `sc` with its current text.
pub fn slots(sc: &Scenario) -> Vec<(Slot, &str)> {
    let mut out: Vec<(Slot, &str)> = vec![(Slot::Title, &sc.meta.title), (Slot::Summary, &sc.meta.summary)];
    out.extend(sc.meta.facts.iter().enumerate().map(|(i, t)| (Slot::Fact(i), t.as_str())));
    out.extend(sc.meta.objectives.iter().enumerate().map(|(i, t)| (Slot::Objective(i), t.as_str())));
    for (m, x) in MetricIdx::all(sc.metrics.len()).zip(&sc.metrics) {
        out.extend([
            (Slot::MetricLabel(m), x.label.as_str()),
            (Slot::MetricUnit(m), &x.unit),
            (Slot::MetricDescription(m), &x.description),
        ]);
    }
    for (i, x) in sc.turns.iter().enumerate() {
        out.extend([(Slot::TurnLabel(i), x.label.as_str()), (Slot::TurnBriefing(i), &x.briefing)]);
        out.extend(x.agenda.iter().enumerate().map(|(k, t)| (Slot::TurnAgenda(i, k), t.as_str())));
    }
    out.extend(sc.dynamics.iter().enumerate().map(|(i, d)| (Slot::DynamicLabel(i), d.label.as_str())));
    for (j, x) in InjectIdx::all(sc.injects.len()).zip(&sc.injects) {
        out.extend([
            (Slot::InjectTitle(j), x.title.as_str()),
            (Slot::InjectText(j), &x.text),
            (Slot::InjectNotes(j), &x.facilitator_notes),
            (Slot::InjectFrom(j), &x.from),
            (Slot::InjectOutlet(j), &x.outlet),
            (Slot::InjectStandfirst(j), &x.standfirst),
        ]);
        out.extend(x.questions.iter().enumerate().map(|(q, t)| (Slot::InjectQuestion(j, q), t.as_str())));
        for (o, opt) in x.options.iter().enumerate() {
            out.extend([
                (Slot::OptionLabel(j, o), opt.label.as_str()),
                (Slot::OptionDescription(j, o), &opt.description),
            ]);
        }
    }
    for (m, x) in MitigationIdx::all(sc.mitigations.len()).zip(&sc.mitigations) {
        out.extend([
            (Slot::MitigationLabel(m), x.label.as_str()),
            (Slot::MitigationDescription(m), &x.description),
            (Slot::MitigationCategory(m), &x.category),
            (Slot::MitigationUnavailable(m), &x.unavailable_text),
        ]);
        out.extend(x.side_effects.iter().enumerate().map(|(k, t)| (Slot::MitigationSideEffect(m, k), t.as_str())));
    }
    for (i, c) in sc.scoring.components.iter().enumerate() {
        out.extend([(Slot::ComponentLabel(i), c.label.as_str()), (Slot::ComponentDescription(i), &c.description)]);
    }
    out.extend(sc.scoring.grades.iter().enumerate().map(|(i, g)| (Slot::GradeVerdict(i), g.verdict.as_str())));
    if let Some(h) = &sc.history {
        out.extend([(Slot::HistoryLabel, h.label.as_str()), (Slot::HistoryDescription, &h.description)]);
        out.extend(h.outcome.iter().enumerate().map(|(i, x)| (Slot::FigureNote(i), x.note.as_str())));
    }
    out.extend(sc.lessons.iter().enumerate().map(|(i, l)| (Slot::LessonClaim(i), l.claim.as_str())));
    for (i, r) in sc.roles.iter().enumerate() {
        out.extend([(Slot::RoleLabel(i), r.label.as_str()), (Slot::RoleBriefing(i), &r.briefing)]);
    }
    out
}

/// The text in `slot` of `sc`, to replace.
fn slot_mut(sc: &mut Scenario, slot: Slot) -> Option<&mut String> {
    Some(match slot {
        Slot::Title => &mut sc.meta.title,
        Slot::Summary => &mut sc.meta.summary,
        Slot::Fact(i) => sc.meta.facts.get_mut(i)?,
        Slot::Objective(i) => sc.meta.objectives.get_mut(i)?,
        Slot::MetricLabel(m) => &mut sc.metrics.get_mut(m.ix())?.label,
        Slot::MetricUnit(m) => &mut sc.metrics.get_mut(m.ix())?.unit,
        Slot::MetricDescription(m) => &mut sc.metrics.get_mut(m.ix())?.description,
        Slot::TurnLabel(i) => &mut sc.turns.get_mut(i)?.label,
        Slot::TurnBriefing(i) => &mut sc.turns.get_mut(i)?.briefing,
        Slot::TurnAgenda(i, k) => sc.turns.get_mut(i)?.agenda.get_mut(k)?,
        Slot::DynamicLabel(i) => &mut sc.dynamics.get_mut(i)?.label,
        Slot::InjectTitle(j) => &mut sc.injects.get_mut(j.ix())?.title,
        Slot::InjectText(j) => &mut sc.injects.get_mut(j.ix())?.text,
        Slot::InjectNotes(j) => &mut sc.injects.get_mut(j.ix())?.facilitator_notes,
        Slot::InjectFrom(j) => &mut sc.injects.get_mut(j.ix())?.from,
        Slot::InjectOutlet(j) => &mut sc.injects.get_mut(j.ix())?.outlet,
        Slot::InjectStandfirst(j) => &mut sc.injects.get_mut(j.ix())?.standfirst,
        Slot::InjectQuestion(j, q) => sc.injects.get_mut(j.ix())?.questions.get_mut(q)?,
        Slot::OptionLabel(j, o) => &mut sc.injects.get_mut(j.ix())?.options.get_mut(o)?.label,
        Slot::OptionDescription(j, o) => &mut sc.injects.get_mut(j.ix())?.options.get_mut(o)?.description,
        Slot::MitigationLabel(m) => &mut sc.mitigations.get_mut(m.ix())?.label,
        Slot::MitigationDescription(m) => &mut sc.mitigations.get_mut(m.ix())?.description,
        Slot::MitigationCategory(m) => &mut sc.mitigations.get_mut(m.ix())?.category,
        Slot::MitigationUnavailable(m) => &mut sc.mitigations.get_mut(m.ix())?.unavailable_text,
        Slot::MitigationSideEffect(m, k) => sc.mitigations.get_mut(m.ix())?.side_effects.get_mut(k)?,
        Slot::ComponentLabel(i) => &mut sc.scoring.components.get_mut(i)?.label,
        Slot::ComponentDescription(i) => &mut sc.scoring.components.get_mut(i)?.description,
        Slot::GradeVerdict(i) => &mut sc.scoring.grades.get_mut(i)?.verdict,
        Slot::HistoryLabel => &mut sc.history.as_mut()?.label,
        Slot::HistoryDescription => &mut sc.history.as_mut()?.description,
        Slot::FigureNote(i) => &mut sc.history.as_mut()?.outcome.get_mut(i)?.note,
        Slot::LessonClaim(i) => &mut sc.lessons.get_mut(i)?.claim,
        Slot::RoleLabel(i) => &mut sc.roles.get_mut(i)?.label,
        Slot::RoleBriefing(i) => &mut sc.roles.get_mut(i)?.briefing,
    })
}

impl Scenario {
    /// The languages the scenario can be played in: its own first, then its translations.
    pub fn languages(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for t in self.translations.iter() {
            if !out.contains(&t.language.as_str()) {
                out.push(&t.language);
            }
        }
        if out.is_empty() {
            out.push(&self.meta.language);
        }
        out
    }

    /// Whether the scenario has texts in `language` (its own or a translation).
    pub fn speaks(&self, language: &str) -> bool {
        self.languages().iter().any(|l| l.eq_ignore_ascii_case(language))
    }

    /// The same scenario with its texts in `language`, where the translation gives them (the
    /// rest stays in the scenario's own language); `None` if it has no such language. The
    /// model, the fingerprint and therefore every game and save are the same in all of them.
    pub fn localized(&self, language: &str) -> Option<Scenario> {
        let wanted = self.translations.iter().find(|t| t.language.eq_ignore_ascii_case(language))?;
        let mut out = self.clone();
        // The original texts first, so a partial translation over an already translated
        // copy falls back to the original, not to the other language.
        if let Some(original) = self.translations.first() {
            apply(&mut out, original);
        }
        apply(&mut out, wanted);
        out.meta.language = wanted.language.clone();
        Some(out)
    }

    /// Whether `title` is the scenario's title in one of its languages (a save keeps the
    /// title it was played under).
    pub fn has_title(&self, title: &str) -> bool {
        self.meta.title == title
            || self.translations.iter().any(|t| t.texts.iter().any(|(s, text)| *s == Slot::Title && text == title))
    }

    /// The scenario in `preferred` if it speaks it, else as it is.
    pub fn in_language(&self, preferred: &str) -> Scenario {
        self.localized(preferred).unwrap_or_else(|| self.clone())
    }
}

fn apply(sc: &mut Scenario, t: &Translation) {
    for (slot, text) in &t.texts {
        if let Some(s) = slot_mut(sc, *slot) {
            s.clone_from(text);
        }
    }
}

/// The original texts as a translation, so a localized copy can return to them.
pub(super) fn original(sc: &Scenario) -> Translation {
    Translation {
        language: sc.meta.language.clone(),
        texts: slots(sc).into_iter().map(|(s, t)| (s, t.to_owned())).collect(),
    }
}

/// Whether `tag` is a language tag (BCP 47, e.g. `ja`, `en`, `pt-BR`).
pub fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && tag.parse::<unic_langid::LanguageIdentifier>().is_ok()
}

/// A translation skeleton for `language`: every text of the scenario, in its own language,
/// under the ids it belongs to, ready to be replaced (`ttx translate`). Append it to the
/// scenario's `translations: [...]`.
pub fn template(sc: &Scenario, language: &str) -> Result<String, ron::Error> {
    let some = |s: &str| s.to_owned();
    let list = |v: &[String]| v.to_vec();
    let def = TranslationDef {
        language: language.to_owned(),
        title: some(&sc.meta.title),
        summary: some(&sc.meta.summary),
        facts: list(&sc.meta.facts),
        objectives: list(&sc.meta.objectives),
        metrics: sc
            .metrics
            .iter()
            .map(|m| f::MetricText {
                id: m.id.clone(),
                label: some(&m.label),
                unit: some(&m.unit),
                description: some(&m.description),
            })
            .collect(),
        turns: sc
            .turns
            .iter()
            .map(|t| f::TurnText {
                id: t.id.clone(),
                label: some(&t.label),
                briefing: some(&t.briefing),
                agenda: list(&t.agenda),
            })
            .collect(),
        dynamics: sc.dynamics.iter().map(|d| f::DynamicText { id: d.id.clone(), label: some(&d.label) }).collect(),
        injects: sc
            .injects
            .iter()
            .map(|i| f::InjectText {
                id: i.id.clone(),
                title: some(&i.title),
                text: some(&i.text),
                facilitator_notes: some(&i.facilitator_notes),
                from: some(&i.from),
                outlet: some(&i.outlet),
                standfirst: some(&i.standfirst),
                questions: list(&i.questions),
                options: i
                    .options
                    .iter()
                    .map(|o| f::OptionText {
                        id: o.id.clone(),
                        label: some(&o.label),
                        description: some(&o.description),
                    })
                    .collect(),
            })
            .collect(),
        mitigations: sc
            .mitigations
            .iter()
            .map(|m| f::MitigationText {
                id: m.id.clone(),
                label: some(&m.label),
                description: some(&m.description),
                category: some(&m.category),
                unavailable_text: some(&m.unavailable_text),
                side_effects: list(&m.side_effects),
            })
            .collect(),
        components: sc
            .scoring
            .components
            .iter()
            .map(|c| f::ComponentText { id: c.id.clone(), label: some(&c.label), description: some(&c.description) })
            .collect(),
        grades: sc
            .scoring
            .grades
            .iter()
            .filter(|g| !g.verdict.trim().is_empty())
            .map(|g| f::GradeText { grade: g.grade.clone(), verdict: g.verdict.clone() })
            .collect(),
        history: sc.history.as_ref().map(|h| f::HistoryText {
            label: some(&h.label),
            description: some(&h.description),
            outcome: h
                .outcome
                .iter()
                .filter(|x| !x.note.trim().is_empty())
                .map(|x| f::FigureText {
                    metric: sc.metrics.get(x.metric.ix()).map_or_else(String::new, |m| m.id.clone()),
                    note: x.note.clone(),
                })
                .collect(),
        }),
        lessons: sc.lessons.iter().map(|l| f::LessonText { id: l.id.clone(), claim: l.claim.clone() }).collect(),
        roles: sc
            .roles
            .iter()
            .map(|r| f::RoleText { id: r.id.clone(), label: r.label.clone(), briefing: r.briefing.clone() })
            .collect(),
    };
    let config = ron::ser::PrettyConfig::new().struct_names(false).separate_tuple_members(false).indentor("    ");
    ron::ser::to_string_pretty(&def, config)
}
