//! Checking a scenario's translations against its own texts: every text a translation
//! gives must name something, and every text it lacks is listed.

use std::collections::BTreeSet;

use super::{is_language_tag, original, slots};
use crate::sim::author::diag::Reporter;
use crate::sim::author::diag::did_you_mean;
use crate::sim::format::{self as f, TranslationDef};
use crate::sim::scenario::{InjectIdx, MetricIdx, MitigationIdx, Scenario, Slot, Translation};

/// Checks `defs` against the scenario's texts, reporting texts that name nothing (warnings)
/// and texts the translation lacks (one warning per item, listing them); returns the
/// translations, the original texts first.
pub(in crate::sim::author) fn check(
    sc: &Scenario,
    defs: &[TranslationDef],
    rep: &mut Reporter<'_>,
) -> Vec<Translation> {
    let mut out = vec![original(sc)];
    let mut seen = BTreeSet::new();
    for (i, def) in defs.iter().enumerate() {
        let path = format!("translations[{i}]");
        let lang = def.language.trim();
        if !is_language_tag(lang) {
            rep.error(
                &format!("{path}.language"),
                format!("`{lang}` is not a language tag"),
                Some("use a BCP 47 tag such as \"ja\" or \"en\"".to_owned()),
            );
            continue;
        }
        if lang.eq_ignore_ascii_case(&sc.meta.language) || !seen.insert(lang.to_ascii_lowercase()) {
            rep.error(
                &format!("{path}.language"),
                format!("`{lang}` is given twice (meta.language is `{}`)", sc.meta.language),
                Some("keep one set of texts per language".to_owned()),
            );
            continue;
        }
        let mut c = Collect { sc, rep, path: &path, lang, texts: Vec::new() };
        c.def(def);
        let texts = c.texts;
        c = Collect { sc, rep, path: &path, lang, texts };
        c.missing(def);
        out.push(Translation { language: lang.to_owned(), texts: c.texts });
    }
    out
}

struct Collect<'a, 'r, 'x> {
    sc: &'a Scenario,
    rep: &'a mut Reporter<'r>,
    path: &'x str,
    lang: &'x str,
    texts: Vec<(Slot, String)>,
}

impl Collect<'_, '_, '_> {
    fn put(&mut self, slot: Slot, text: &str) {
        if !text.trim().is_empty() {
            self.texts.push((slot, text.to_owned()));
        }
    }

    fn list(&mut self, path: &str, what: &str, base: usize, given: &[String], slot: impl Fn(usize) -> Slot) {
        if given.is_empty() {
            return;
        }
        if given.len() != base {
            self.rep.warn(
                path,
                format!("{} {what} here, {base} in the scenario", given.len()),
                Some("give one text per item, in the scenario's order".to_owned()),
            );
        }
        for (k, t) in given.iter().enumerate().take(base) {
            self.put(slot(k), t);
        }
    }

    /// The index of `id` among `ids`, or a warning at `path` naming the closest id.
    fn find<'s>(
        &mut self,
        path: &str,
        kind: &str,
        id: &str,
        ids: impl Iterator<Item = &'s str> + Clone,
    ) -> Option<usize> {
        if let Some(i) = ids.clone().position(|x| x == id) {
            return Some(i);
        }
        let hint = did_you_mean(id, ids).map_or_else(
            || format!("the `{}` text is not used: remove it, or fix the id", self.lang),
            |s| format!("did you mean `{s}`?"),
        );
        self.rep.warn(path, format!("no {kind} `{id}` in this scenario"), Some(hint));
        None
    }

    fn def(&mut self, d: &TranslationDef) {
        let (sc, p) = (self.sc, self.path);
        self.put(Slot::Title, &d.title);
        self.put(Slot::Summary, &d.summary);
        self.list(&format!("{p}.facts"), "facts", sc.meta.facts.len(), &d.facts, Slot::Fact);
        self.list(&format!("{p}.objectives"), "objectives", sc.meta.objectives.len(), &d.objectives, Slot::Objective);
        for (k, x) in d.metrics.iter().enumerate() {
            let ids = sc.metrics.iter().map(|m| m.id.as_str());
            let Some(i) = self.find(&format!("{p}.metrics[{k}].id"), "metric", &x.id, ids) else { continue };
            let m = MetricIdx::at(i);
            self.put(Slot::MetricLabel(m), &x.label);
            self.put(Slot::MetricUnit(m), &x.unit);
            self.put(Slot::MetricDescription(m), &x.description);
        }
        for (k, x) in d.turns.iter().enumerate() {
            let ids = sc.turns.iter().map(|t| t.id.as_str());
            let Some(i) = self.find(&format!("{p}.turns[{k}].id"), "turn", &x.id, ids) else { continue };
            self.put(Slot::TurnLabel(i), &x.label);
            self.put(Slot::TurnBriefing(i), &x.briefing);
            let n = sc.turns[i].agenda.len();
            self.list(&format!("{p}.turns[{k}].agenda"), "agenda entries", n, &x.agenda, |e| Slot::TurnAgenda(i, e));
        }
        for (k, x) in d.dynamics.iter().enumerate() {
            let ids = sc.dynamics.iter().map(|t| t.id.as_str());
            let Some(i) = self.find(&format!("{p}.dynamics[{k}].id"), "dynamic", &x.id, ids) else { continue };
            self.put(Slot::DynamicLabel(i), &x.label);
        }
        for (k, x) in d.injects.iter().enumerate() {
            self.inject(&format!("{p}.injects[{k}]"), x);
        }
        for (k, x) in d.mitigations.iter().enumerate() {
            let ids = sc.mitigations.iter().map(|t| t.id.as_str());
            let path = format!("{p}.mitigations[{k}]");
            let Some(i) = self.find(&format!("{path}.id"), "mitigation", &x.id, ids) else { continue };
            let m = MitigationIdx::at(i);
            self.put(Slot::MitigationLabel(m), &x.label);
            self.put(Slot::MitigationDescription(m), &x.description);
            self.put(Slot::MitigationCategory(m), &x.category);
            self.put(Slot::MitigationUnavailable(m), &x.unavailable_text);
            let n = sc.mitigations[i].side_effects.len();
            self.list(&format!("{path}.side_effects"), "side effects", n, &x.side_effects, |e| {
                Slot::MitigationSideEffect(m, e)
            });
        }
        self.scoring(d);
        for (k, x) in d.lessons.iter().enumerate() {
            let ids = sc.lessons.iter().map(|t| t.id.as_str());
            let Some(i) = self.find(&format!("{p}.lessons[{k}].id"), "lesson", &x.id, ids) else { continue };
            self.texts.push((Slot::LessonClaim(i), x.claim.clone()));
        }
        for (k, x) in d.roles.iter().enumerate() {
            let ids = sc.roles.iter().map(|t| t.id.as_str());
            let Some(i) = self.find(&format!("{p}.roles[{k}].id"), "role", &x.id, ids) else { continue };
            self.put(Slot::RoleLabel(i), &x.label);
            self.put(Slot::RoleBriefing(i), &x.briefing);
        }
    }

    fn inject(&mut self, path: &str, x: &f::InjectText) {
        let sc = self.sc;
        let ids = sc.injects.iter().map(|t| t.id.as_str());
        let Some(i) = self.find(&format!("{path}.id"), "inject", &x.id, ids) else { return };
        let j = InjectIdx::at(i);
        self.put(Slot::InjectTitle(j), &x.title);
        self.put(Slot::InjectText(j), &x.text);
        self.put(Slot::InjectNotes(j), &x.facilitator_notes);
        self.put(Slot::InjectFrom(j), &x.from);
        self.put(Slot::InjectOutlet(j), &x.outlet);
        self.put(Slot::InjectStandfirst(j), &x.standfirst);
        let n = sc.injects[i].questions.len();
        self.list(&format!("{path}.questions"), "questions", n, &x.questions, |q| Slot::InjectQuestion(j, q));
        for (k, o) in x.options.iter().enumerate() {
            let ids = sc.injects[i].options.iter().map(|t| t.id.as_str());
            let Some(oi) = self.find(&format!("{path}.options[{k}].id"), "option", &o.id, ids) else { continue };
            self.put(Slot::OptionLabel(j, oi), &o.label);
            self.put(Slot::OptionDescription(j, oi), &o.description);
        }
    }

    fn scoring(&mut self, d: &TranslationDef) {
        let (sc, p) = (self.sc, self.path);
        for (k, x) in d.components.iter().enumerate() {
            let ids = sc.scoring.components.iter().map(|t| t.id.as_str());
            let Some(i) = self.find(&format!("{p}.components[{k}].id"), "score component", &x.id, ids) else {
                continue;
            };
            self.put(Slot::ComponentLabel(i), &x.label);
            self.put(Slot::ComponentDescription(i), &x.description);
        }
        for (k, x) in d.grades.iter().enumerate() {
            let ids = sc.scoring.grades.iter().map(|t| t.grade.as_str());
            let Some(i) = self.find(&format!("{p}.grades[{k}].grade"), "grade", &x.grade, ids) else { continue };
            self.texts.push((Slot::GradeVerdict(i), x.verdict.clone()));
        }
        let Some(h) = &d.history else { return };
        if sc.history.is_none() {
            self.rep.warn(
                &format!("{p}.history"),
                "the scenario has no history",
                Some("remove these texts".to_owned()),
            );
            return;
        }
        self.put(Slot::HistoryLabel, &h.label);
        self.put(Slot::HistoryDescription, &h.description);
        let figures = sc.history.as_ref().map(|x| x.outcome.as_slice()).unwrap_or_default();
        for (k, x) in h.outcome.iter().enumerate() {
            let ids = figures.iter().map(|f| sc.metrics.get(f.metric.ix()).map_or("", |m| m.id.as_str()));
            let Some(i) = self.find(&format!("{p}.history.outcome[{k}].metric"), "real figure for", &x.metric, ids)
            else {
                continue;
            };
            self.texts.push((Slot::FigureNote(i), x.note.clone()));
        }
    }

    /// One warning per item whose texts the translation lacks (empty texts need none).
    fn missing(&mut self, d: &TranslationDef) {
        let given: BTreeSet<Slot> = self.texts.iter().map(|(s, _)| *s).collect();
        let mut by_item: Vec<(String, String, Vec<&'static str>)> = Vec::new();
        for (slot, text) in slots(self.sc) {
            // Units are often symbols ("%", "yen") that need no translation.
            if text.trim().is_empty() || given.contains(&slot) || matches!(slot, Slot::MetricUnit(_)) {
                continue;
            }
            let (item, at, field) = self.item_of(slot, d);
            match by_item.last_mut() {
                Some((last, _, fields)) if *last == item => {
                    if !fields.contains(&field) {
                        fields.push(field);
                    }
                }
                _ => by_item.push((item, at, vec![field])),
            }
        }
        for (item, at, fields) in by_item {
            let list = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
            self.rep.warn(
                &at,
                format!("no `{}` text for {item}: {list}", self.lang),
                Some(format!("until it is added, `{}` players read the scenario's own text there", self.lang)),
            );
        }
    }

    /// What `slot` belongs to ("inject `fraud`"), where to report it (the translation's
    /// entry for that item if it has one, else the list it would go in) and its field.
    fn item_of(&self, slot: Slot, d: &TranslationDef) -> (String, String, &'static str) {
        let (sc, p) = (self.sc, self.path);
        let entry = |list: &str, k: Option<usize>| match k {
            Some(k) => format!("{p}.{list}[{k}]"),
            None => format!("{p}.{list}"),
        };
        match slot {
            Slot::Title | Slot::Summary | Slot::Fact(_) | Slot::Objective(_) => {
                let field = match slot {
                    Slot::Title => "title",
                    Slot::Summary => "summary",
                    Slot::Fact(_) => "facts",
                    _ => "objectives",
                };
                ("the scenario".to_owned(), format!("{p}.language"), field)
            }
            Slot::MetricLabel(m) | Slot::MetricUnit(m) | Slot::MetricDescription(m) => {
                let id = &sc.metrics[m.ix()].id;
                let field = match slot {
                    Slot::MetricLabel(_) => "label",
                    Slot::MetricUnit(_) => "unit",
                    _ => "description",
                };
                (
                    format!("metric `{id}`"),
                    entry("metrics", position(d.metrics.iter().map(|x| x.id.as_str()), id)),
                    field,
                )
            }
            Slot::TurnLabel(i) | Slot::TurnBriefing(i) | Slot::TurnAgenda(i, _) => {
                let id = &sc.turns[i].id;
                let field = match slot {
                    Slot::TurnLabel(_) => "label",
                    Slot::TurnBriefing(_) => "briefing",
                    _ => "agenda",
                };
                (format!("turn `{id}`"), entry("turns", position(d.turns.iter().map(|x| x.id.as_str()), id)), field)
            }
            Slot::DynamicLabel(i) => {
                let id = &sc.dynamics[i].id;
                let at = entry("dynamics", position(d.dynamics.iter().map(|x| x.id.as_str()), id));
                (format!("dynamic `{id}`"), at, "label")
            }
            Slot::InjectTitle(j)
            | Slot::InjectText(j)
            | Slot::InjectNotes(j)
            | Slot::InjectFrom(j)
            | Slot::InjectOutlet(j)
            | Slot::InjectStandfirst(j)
            | Slot::InjectQuestion(j, _)
            | Slot::OptionLabel(j, _)
            | Slot::OptionDescription(j, _) => {
                let id = &sc.injects[j.ix()].id;
                let field = match slot {
                    Slot::InjectTitle(_) => "title",
                    Slot::InjectText(_) => "text",
                    Slot::InjectNotes(_) => "facilitator_notes",
                    Slot::InjectFrom(_) => "from",
                    Slot::InjectOutlet(_) => "outlet",
                    Slot::InjectStandfirst(_) => "standfirst",
                    Slot::InjectQuestion(..) => "questions",
                    _ => "options",
                };
                (
                    format!("inject `{id}`"),
                    entry("injects", position(d.injects.iter().map(|x| x.id.as_str()), id)),
                    field,
                )
            }
            Slot::MitigationLabel(m)
            | Slot::MitigationDescription(m)
            | Slot::MitigationCategory(m)
            | Slot::MitigationUnavailable(m)
            | Slot::MitigationSideEffect(m, _) => {
                let id = &sc.mitigations[m.ix()].id;
                let field = match slot {
                    Slot::MitigationLabel(_) => "label",
                    Slot::MitigationDescription(_) => "description",
                    Slot::MitigationCategory(_) => "category",
                    Slot::MitigationUnavailable(_) => "unavailable_text",
                    _ => "side_effects",
                };
                let at = entry("mitigations", position(d.mitigations.iter().map(|x| x.id.as_str()), id));
                (format!("mitigation `{id}`"), at, field)
            }
            Slot::ComponentLabel(i) | Slot::ComponentDescription(i) => {
                let id = &sc.scoring.components[i].id;
                let field = if matches!(slot, Slot::ComponentLabel(_)) { "label" } else { "description" };
                let at = entry("components", position(d.components.iter().map(|x| x.id.as_str()), id));
                (format!("score component `{id}`"), at, field)
            }
            Slot::GradeVerdict(i) => {
                let g = &sc.scoring.grades[i].grade;
                let at = entry("grades", position(d.grades.iter().map(|x| x.grade.as_str()), g));
                (format!("grade `{g}`"), at, "verdict")
            }
            Slot::HistoryLabel | Slot::HistoryDescription | Slot::FigureNote(_) => {
                let field = match slot {
                    Slot::HistoryLabel => "label",
                    Slot::HistoryDescription => "description",
                    _ => "outcome",
                };
                let at = if d.history.is_some() { format!("{p}.history") } else { format!("{p}.language") };
                ("the history".to_owned(), at, field)
            }
            Slot::LessonClaim(i) => {
                let id = &sc.lessons[i].id;
                (
                    format!("lesson `{id}`"),
                    entry("lessons", position(d.lessons.iter().map(|x| x.id.as_str()), id)),
                    "claim",
                )
            }
            Slot::RoleLabel(i) | Slot::RoleBriefing(i) => {
                let id = &sc.roles[i].id;
                let field = if matches!(slot, Slot::RoleLabel(_)) { "label" } else { "briefing" };
                (format!("role `{id}`"), entry("roles", position(d.roles.iter().map(|x| x.id.as_str()), id)), field)
            }
        }
    }
}

fn position<'s>(mut ids: impl Iterator<Item = &'s str>, id: &str) -> Option<usize> {
    ids.position(|x| x == id)
}
