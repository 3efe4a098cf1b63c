//! A scenario's texts in several languages: the `translations:` of a scenario file are
//! checked against the scenario's own texts (what is missing, what names nothing), and a
//! game plays the scenario in any language it has while the model stays one.

use std::collections::BTreeSet;

use super::diag::Reporter;
use super::diag::did_you_mean;
use super::format::{self as f, TranslationDef};
use super::scenario::{InjectIdx, MetricIdx, MitigationIdx, Scenario};

/// One text of a scenario a player or facilitator reads.
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
    DynamicLabel(usize),
    InjectTitle(InjectIdx),
    InjectText(InjectIdx),
    InjectNotes(InjectIdx),
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
    }
    out.extend(sc.dynamics.iter().enumerate().map(|(i, d)| (Slot::DynamicLabel(i), d.label.as_str())));
    for (j, x) in InjectIdx::all(sc.injects.len()).zip(&sc.injects) {
        out.extend([
            (Slot::InjectTitle(j), x.title.as_str()),
            (Slot::InjectText(j), &x.text),
            (Slot::InjectNotes(j), &x.facilitator_notes),
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
        Slot::DynamicLabel(i) => &mut sc.dynamics.get_mut(i)?.label,
        Slot::InjectTitle(j) => &mut sc.injects.get_mut(j.ix())?.title,
        Slot::InjectText(j) => &mut sc.injects.get_mut(j.ix())?.text,
        Slot::InjectNotes(j) => &mut sc.injects.get_mut(j.ix())?.facilitator_notes,
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

/// Checks `defs` against the scenario's texts, reporting texts that name nothing (warnings)
/// and texts the translation lacks (one warning per item, listing them); returns the
/// translations, the original texts first.
pub(super) fn check(sc: &Scenario, defs: &[TranslationDef], rep: &mut Reporter<'_>) -> Vec<Translation> {
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
            Slot::TurnLabel(i) | Slot::TurnBriefing(i) => {
                let id = &sc.turns[i].id;
                let field = if matches!(slot, Slot::TurnLabel(_)) { "label" } else { "briefing" };
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
            | Slot::InjectQuestion(j, _)
            | Slot::OptionLabel(j, _)
            | Slot::OptionDescription(j, _) => {
                let id = &sc.injects[j.ix()].id;
                let field = match slot {
                    Slot::InjectTitle(_) => "title",
                    Slot::InjectText(_) => "text",
                    Slot::InjectNotes(_) => "facilitator_notes",
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
            .map(|t| f::TurnText { id: t.id.clone(), label: some(&t.label), briefing: some(&t.briefing) })
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
