//! Checking the story told around the model: the historical record, the lessons it
//! claims, and warnings about what can never be read or never happen.

use super::*;

impl Checker<'_, '_> {
    pub(super) fn history(&mut self) -> Option<History> {
        let h = self.raw.history.as_ref()?;
        let mut path = Path::default();
        for (i, c) in h.choices.iter().enumerate() {
            let p = format!("history.choices[{i}]");
            let Some(t) = self.turn_ref(&format!("{p}.turn"), &c.turn) else { continue };
            let actions = self.turn_choices(&p, c);
            if path.choices.len() <= t {
                path.choices.resize(t + 1, Vec::new());
            }
            path.choices[t].extend(actions);
        }
        let mut outcome = Vec::new();
        for (i, fig) in h.outcome.iter().enumerate() {
            let p = format!("history.outcome[{i}]");
            let value = self.number(&format!("{p}.value"), fig.value);
            if let Some(metric) = self.metric_ref(&format!("{p}.metric"), &fig.metric) {
                outcome.push(HistoricFigure { metric, value, note: fig.note.clone() });
            }
        }
        Some(History { label: h.label.clone(), description: h.description.clone(), path, outcome })
    }

    /// Lessons: each base and changed path resolved, each expectation compiled.
    pub(super) fn lessons(&mut self, history: Option<&History>) -> Vec<Lesson> {
        let mut out = Vec::new();
        let mut seen = BTreeMap::new();
        self.limit("lessons", &self.raw.lessons);
        // Every base is played twice per seed: the budget counts the extra bases too.
        let seeds: u64 =
            self.raw.lessons.iter().map(|l| l.seeds.min(10_000) * (1 + l.also_on.len().min(MAX_ITEMS) as u64)).sum();
        if seeds > MAX_LESSON_SEEDS {
            self.err(
                "lessons",
                format!("the lessons play {seeds} seeds in all (counting each base); at most {MAX_LESSON_SEEDS}"),
                Some(
                    "give fewer lessons, fewer `also_on` bases, or fewer `seeds` each (100 is the default)".to_owned(),
                ),
            );
        }
        for (i, l) in self.raw.lessons.iter().enumerate() {
            let p = format!("lessons[{i}]");
            self.id(&format!("{p}.id"), &l.id, "lesson", &mut seen, i);
            let Some(base) = self.lesson_base(&format!("{p}.base"), &l.base, history) else { continue };
            let (removed, added) = self.lesson_moves(&p, l);
            let changed = self.lesson_change("base", &base, &removed, &added);
            self.limit(&format!("{p}.also_on"), &l.also_on);
            let mut also = Vec::new();
            for (k, b) in l.also_on.iter().enumerate() {
                let q = format!("{p}.also_on[{k}]");
                let Some(other) = self.lesson_base(&q, b, history) else { continue };
                let other_changed = self.lesson_change(&format!("also_on[{k}]"), &other, &removed, &added);
                let name = match b {
                    f::LessonBase::History => "the history".to_owned(),
                    f::LessonBase::Nothing => "doing nothing".to_owned(),
                    f::LessonBase::Path(_) => format!("also_on[{k}]"),
                };
                also.push((name, other, other_changed));
            }
            if l.add.is_empty() && l.remove.is_empty() {
                self.err(
                    &p,
                    "the lesson changes nothing",
                    Some("give `add` or `remove`: the claim is about that change".to_owned()),
                );
            }
            if l.expect.is_empty() {
                self.err(
                    &format!("{p}.expect"),
                    "nothing to check",
                    Some("e.g. `expect: [HigherBy(\"score\", 2.0)]`".to_owned()),
                );
            }
            if l.seeds == 0 || l.seeds > 10_000 {
                self.err(
                    &format!("{p}.seeds"),
                    format!("{} seeds", l.seeds),
                    Some("play 1 to 10,000 seeds (default 100)".to_owned()),
                );
            }
            let mut expect = Vec::new();
            for (k, e) in l.expect.iter().enumerate() {
                let q = format!("{p}.expect[{k}]");
                let (what, higher, size) = match e {
                    f::Expect::Holds(src) => {
                        if let Some(formula) = self.formula(&q, src) {
                            expect.push(Expectation::Holds(formula, src.clone()));
                        }
                        continue;
                    }
                    f::Expect::Higher(w) => (w, true, Size::Any),
                    f::Expect::Lower(w) => (w, false, Size::Any),
                    f::Expect::HigherBy(w, by) => (w, true, Size::By(*by)),
                    f::Expect::LowerBy(w, by) => (w, false, Size::By(*by)),
                    f::Expect::HigherByShare(w, s) => (w, true, Size::Share(*s)),
                    f::Expect::LowerByShare(w, s) => (w, false, Size::Share(*s)),
                };
                match size {
                    Size::By(by) if !(by.is_finite() && by > 0.0) => self.err(
                        &q,
                        format!("the size {by} is not a positive number"),
                        Some("give how much the change must be worth on average, e.g. 2.0 points".to_owned()),
                    ),
                    Size::Share(s) if !(s.is_finite() && s > 0.0 && s <= 10.0) => self.err(
                        &q,
                        format!("the share {s} is not between 0 and 10"),
                        Some("a share is a fraction of the base's average: 0.3 means 30%".to_owned()),
                    ),
                    _ => {}
                }
                let target =
                    if what == "score" { Some(Target::Score) } else { self.metric_ref(&q, what).map(Target::Metric) };
                if let Some(target) = target {
                    expect.push(Expectation::Moves { target, higher, size });
                }
            }
            let sized = expect.iter().any(|e| match e {
                Expectation::Moves { size, .. } => !matches!(size, Size::Any),
                Expectation::Holds(..) => true,
            });
            if !sized && !expect.is_empty() {
                self.warn(
                    &format!("{p}.expect"),
                    format!("lesson `{}` has no effect size: a change of 0.01 in the right direction passes", l.id),
                    Some("say how much the change must be worth, e.g. `HigherBy(\"score\", 2.0)` or `LowerByShare(\"victims\", 0.3)`".to_owned()),
                );
            }
            out.push(Lesson {
                id: l.id.clone(),
                claim: l.claim.clone(),
                base,
                changed,
                added,
                also,
                expect,
                seeds: l.seeds.clamp(1, 10_000),
            });
        }
        out
    }

    /// A lesson's base strategy as a path; `None` (with an error) when it cannot be.
    pub(super) fn lesson_base(&mut self, p: &str, base: &f::LessonBase, history: Option<&History>) -> Option<Path> {
        Some(match base {
            f::LessonBase::History => match history {
                Some(h) => h.path.clone(),
                None => {
                    self.err(
                        p,
                        "the base is the history, but the scenario has no `history`",
                        Some("write `Nothing` or `Path([...])`".to_owned()),
                    );
                    return None;
                }
            },
            f::LessonBase::Nothing => Path::default(),
            f::LessonBase::Path(choices) => self.choices_path(p, choices),
        })
    }

    /// A lesson's `remove` and `add` resolved once (every base gets the same change): the
    /// moves to take out, each with where it is written, and the moves added, by turn.
    pub(super) fn lesson_moves(
        &mut self,
        p: &str,
        l: &f::LessonDef,
    ) -> (Vec<(String, usize, Action)>, Vec<(usize, Action)>) {
        let mut removed = Vec::new();
        for (k, c) in l.remove.iter().enumerate() {
            let q = format!("{p}.remove[{k}]");
            let Some(t) = self.turn_ref(&format!("{q}.turn"), &c.turn) else { continue };
            removed.extend(self.turn_choices(&q, c).into_iter().map(|a| (q.clone(), t, a)));
        }
        let mut added = Vec::new();
        for (t, actions) in self.choices_path(&format!("{p}.add"), &l.add).choices.into_iter().enumerate() {
            added.extend(actions.into_iter().map(|a| (t, a)));
        }
        (removed, added)
    }

    /// A lesson's change applied to one base.
    pub(super) fn lesson_change(
        &mut self,
        base_name: &str,
        base: &Path,
        removed: &[(String, usize, Action)],
        added: &[(usize, Action)],
    ) -> Path {
        let mut changed = base.clone();
        changed.choices.resize(self.raw.turns.len().max(changed.choices.len()), Vec::new());
        for (q, t, a) in removed {
            match changed.choices[*t].iter().position(|b| b == a) {
                Some(at) => {
                    changed.choices[*t].remove(at);
                }
                None => self.err(
                    q,
                    format!("the {base_name} strategy has no such move on turn `{}`", self.raw.turns[*t].id),
                    Some("`remove` takes out moves the base makes; to add one, use `add`".to_owned()),
                ),
            }
        }
        for &(t, a) in added {
            changed.choices[t].push(a);
        }
        changed
    }

    pub(super) fn warn_unread(&mut self, metrics: &[Metric], resources: &Resources) {
        for h in self.raw.history.iter().flat_map(|h| &h.outcome) {
            if let Some(&m) = self.table.metrics.get(&h.metric) {
                self.read[m as usize] = true;
            }
        }
        let _ = resources;
        for (i, m) in metrics.iter().enumerate() {
            if !m.visible && !self.read[i] {
                self.warn(
                    &format!("metrics[{i}]"),
                    format!("hidden metric `{}` is never read by a formula or the score", m.id),
                    Some("use it in a formula, show it with `visible: true`, or remove it".to_owned()),
                );
            }
        }
    }

    pub(super) fn warn_never(&mut self, injects: &[Inject], mits: &[Mitigation], dynamics: &[Dynamic], turns: &[Turn]) {
        let never = |f: &Option<Formula>, t: &Table| f.as_ref().is_some_and(|f| f.range(t) == (0.0, 0.0));
        for (i, inj) in injects.iter().enumerate() {
            let p = format!("injects[{i}]");
            if never(&inj.when, &self.table) {
                self.warn(
                    &format!("{p}.when"),
                    format!("inject `{}` can never fire: its condition is never true", inj.id),
                    Some("check the comparison against the metrics' bounds".to_owned()),
                );
            } else if inj.probability.as_ref().is_some_and(|f| f.range(&self.table).1 <= 0.0) {
                self.warn(
                    &format!("{p}.probability"),
                    format!("inject `{}` can never fire: its probability is never above 0", inj.id),
                    None,
                );
            }
            if inj.repeat && inj.is_decision() {
                self.warn(
                    &format!("{p}.repeat"),
                    format!("decision `{}` repeats: players will face it again each turn it is due", inj.id),
                    None,
                );
            }
            let _ = turns;
        }
        for (i, m) in mits.iter().enumerate() {
            if never(&m.available, &self.table) {
                self.warn(
                    &format!("mitigations[{i}].available"),
                    format!("mitigation `{}` can never be taken: its condition is never true", m.id),
                    None,
                );
            }
            if self.raw.resources.budget.is_some_and(|b| m.money > b) {
                self.warn(
                    &format!("mitigations[{i}].cost.money"),
                    format!("mitigation `{}` costs more than the whole budget", m.id),
                    None,
                );
            }
        }
        for (i, d) in dynamics.iter().enumerate() {
            if never(&d.when, &self.table) {
                self.warn(
                    &format!("dynamics[{i}].when"),
                    format!("dynamic `{}` never runs: its condition is never true", d.id),
                    None,
                );
            }
        }
    }
}
