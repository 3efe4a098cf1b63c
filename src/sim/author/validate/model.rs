//! Checking the model: ids first, then resources, metrics, turns, dynamics, roles, injects,
//! mitigations (and their prerequisites' cycles) and scoring.

use super::*;

impl Checker<'_, '_> {
    /// Registers every id first, so formulas may refer to items defined later in the file.
    pub(super) fn names(&mut self) {
        let raw = self.raw;
        if raw.meta.id.trim().is_empty() {
            self.err("meta.id", "the scenario id is empty", Some("e.g. `id: \"clinic-ransomware\"`".to_owned()));
        }
        if raw.meta.title.trim().is_empty() {
            self.err("meta.title", "the title is empty", None);
        }
        let mut seen = BTreeMap::new();
        for (i, m) in raw.metrics.iter().enumerate() {
            self.id(&format!("metrics[{i}].id"), &m.id, "metric", &mut seen, i);
        }
        self.table.metrics = seen;
        let mut seen = BTreeMap::new();
        for (i, m) in raw.mitigations.iter().enumerate() {
            self.id(&format!("mitigations[{i}].id"), &m.id, "mitigation", &mut seen, i);
        }
        self.table.mitigations = seen;
        let mut seen = BTreeMap::new();
        for (i, t) in raw.turns.iter().enumerate() {
            self.id(&format!("turns[{i}].id"), &t.id, "turn", &mut seen, i);
        }
        self.table.turns = seen;
        let mut seen = BTreeMap::new();
        for (i, inj) in raw.injects.iter().enumerate() {
            self.id(&format!("injects[{i}].id"), &inj.id, "inject", &mut seen, i);
            let mut opts = BTreeMap::new();
            for (k, o) in inj.options.iter().enumerate() {
                self.id(&format!("injects[{i}].options[{k}].id"), &o.id, "option", &mut opts, k);
            }
            self.table.options.push(opts);
        }
        self.table.injects = seen;
        let mut seen = BTreeMap::new();
        for (i, r) in raw.roles.iter().enumerate().take(MAX_ROLES) {
            self.id(&format!("roles[{i}].id"), &r.id, "role", &mut seen, i);
        }
        self.table.roles = seen;
        let mut seen = BTreeMap::new();
        for (i, d) in raw.dynamics.iter().enumerate() {
            self.id(&format!("dynamics[{i}].id"), &d.id, "dynamic", &mut seen, i);
        }
        let mut seen = BTreeMap::new();
        for (i, c) in raw.scoring.components.iter().enumerate() {
            self.id(&format!("scoring.components[{i}].id"), &c.id, "score component", &mut seen, i);
        }
    }

    pub(super) fn resources(&mut self) -> Resources {
        let r = &self.raw.resources;
        if r.action_points == 0 || r.action_points > 100 {
            self.err(
                "resources.action_points",
                format!("{} action points per turn", r.action_points),
                Some("use 1 to 100".to_owned()),
            );
        }
        let budget = r.budget.map(|b| self.number("resources.budget", b));
        if budget.is_some_and(|b| b < 0.0) {
            self.err("resources.budget", "the budget is negative", None);
        }
        let spend_metric = r.spend_metric.as_ref().and_then(|id| self.metric_ref("resources.spend_metric", id));
        if let Some(m) = spend_metric {
            self.read[m.ix()] = true;
        }
        Resources { action_points: r.action_points, budget, spend_metric, currency: r.currency.clone() }
    }

    pub(super) fn metrics(&mut self) -> Vec<Metric> {
        let raw = self.raw;
        if raw.metrics.is_empty() {
            self.err(
                "metrics",
                "the scenario has no metrics",
                Some("add at least one metric, e.g. user trust".to_owned()),
            );
        }
        self.limit("metrics", &raw.metrics);
        let mut out = Vec::new();
        for (i, m) in raw.metrics.iter().enumerate() {
            let p = format!("metrics[{i}]");
            let errors_before = self.rep.diagnostics.len();
            let initial = self.number(&format!("{p}.initial"), m.initial);
            let min = m.min.map_or(-MAX_MAGNITUDE, |v| self.number(&format!("{p}.min"), v));
            let max = m.max.map_or(MAX_MAGNITUDE, |v| self.number(&format!("{p}.max"), v));
            if self.rep.diagnostics.len() > errors_before {
                // A bad number was reported already; checks on its stand-in would only add noise.
            } else if min > max {
                self.err(
                    &format!("{p}.max"),
                    format!("max ({max}) is below min ({min})"),
                    Some("swap them".to_owned()),
                );
            } else if initial < min || initial > max {
                self.err(
                    &format!("{p}.initial"),
                    format!("initial value {initial} lies outside the bounds {min}..{max}"),
                    Some("move the value or the bounds".to_owned()),
                );
            }
            let resets_to = m.resets_to.map(|v| self.number(&format!("{p}.resets_to"), v));
            if let Some(r) = resets_to
                && (r < min || r > max)
            {
                self.err(&format!("{p}.resets_to"), format!("{r} lies outside the bounds {min}..{max}"), None);
            }
            if m.decimals > 6 {
                self.err(&format!("{p}.decimals"), format!("{} decimals", m.decimals), Some("use 0 to 6".to_owned()));
            }
            if m.label.trim().is_empty() {
                self.err(&format!("{p}.label"), "empty label", Some("players see this name".to_owned()));
            }
            out.push(Metric {
                id: m.id.clone(),
                label: m.label.clone(),
                unit: m.unit.clone(),
                initial,
                min,
                max,
                decimals: m.decimals,
                visible: m.visible,
                good: m.good,
                resets_to,
                description: m.description.clone(),
            });
        }
        out
    }

    pub(super) fn turns(&mut self) -> Vec<Turn> {
        let raw = self.raw;
        if raw.turns.is_empty() {
            self.err("turns", "the scenario has no turns", Some("add at least one turn".to_owned()));
        }
        if raw.turns.len() > 500 {
            self.err("turns", format!("{} turns; the limit is 500", raw.turns.len()), None);
        }
        let mut day = 0.0;
        let mut out = Vec::new();
        for (i, t) in raw.turns.iter().enumerate() {
            let p = format!("turns[{i}].days");
            let days = self.number(&p, t.days);
            if !(days > 0.0 && days <= 366.0) {
                self.err(
                    &p,
                    format!("a turn of {days} days"),
                    Some("turns last more than 0 and at most 366 days".to_owned()),
                );
            }
            self.agenda(i, &t.agenda);
            out.push(Turn {
                id: t.id.clone(),
                label: t.label.clone(),
                days,
                briefing: t.briefing.clone(),
                start_day: day,
                agenda: t.agenda.iter().take(MAX_AGENDA).cloned().collect(),
            });
            day += days;
        }
        out
    }

    /// A turn's agenda: a few short entries, each with something to say.
    fn agenda(&mut self, turn: usize, agenda: &[String]) {
        if agenda.len() > MAX_AGENDA {
            self.err(
                &format!("turns[{turn}].agenda"),
                format!("{} entries; a turn's agenda has at most {MAX_AGENDA}", agenda.len()),
                Some("keep the few events everyone knows are coming; the rest belongs in the briefing".to_owned()),
            );
        }
        for (k, entry) in agenda.iter().enumerate().take(MAX_AGENDA) {
            let n = entry.trim().chars().count();
            if n == 0 || n > MAX_AGENDA_CHARS {
                self.err(
                    &format!("turns[{turn}].agenda[{k}]"),
                    format!("an agenda entry of {n} characters"),
                    Some(format!("write 1 to {MAX_AGENDA_CHARS} characters, e.g. \"Board review\"")),
                );
            }
        }
    }

    pub(super) fn dynamics(&mut self) -> Vec<Dynamic> {
        let raw = self.raw;
        self.limit("dynamics", &raw.dynamics);
        let mut out = Vec::new();
        for (i, d) in raw.dynamics.iter().enumerate() {
            let p = format!("dynamics[{i}]");
            let metric = self.metric_ref(&format!("{p}.metric"), &d.metric);
            let value = self.formula(&format!("{p}.value"), &d.value);
            let when = d.when.as_ref().and_then(|w| self.formula(&format!("{p}.when"), w));
            let noise = self.number(&format!("{p}.noise"), d.noise);
            if !(0.0..=1.0).contains(&noise) {
                self.err(&format!("{p}.noise"), format!("noise {noise}"), Some("use 0 (none) to 1 (±100%)".to_owned()));
            }
            if let (Some(metric), Some(value)) = (metric, value) {
                out.push(Dynamic {
                    id: d.id.clone(),
                    label: d.label.clone(),
                    effect: Effect { metric, op: d.op, value },
                    when,
                    noise,
                });
            }
        }
        out
    }

    /// The team's roles: ids registered in `names`, labels present.
    pub(super) fn roles(&mut self) -> Vec<Role> {
        let raw = self.raw;
        if raw.roles.len() > MAX_ROLES {
            self.err(
                "roles",
                format!("{} roles; a team has at most {MAX_ROLES}", raw.roles.len()),
                Some("merge roles a workshop would give one person anyway".to_owned()),
            );
        }
        let mut out = Vec::new();
        for (i, r) in raw.roles.iter().enumerate().take(MAX_ROLES) {
            if r.label.trim().is_empty() {
                self.err(&format!("roles[{i}].label"), format!("role `{}` has no label", r.id), None);
            }
            out.push(Role { id: r.id.clone(), label: r.label.clone(), briefing: r.briefing.clone() });
        }
        out
    }

    /// A role named by id, or reported with the roles there are.
    pub(super) fn role_ref(&mut self, path: &str, id: &str) -> Option<RoleIdx> {
        if let Some(i) = self.table.roles.get(id) {
            return Some(RoleIdx::at(usize::from(*i)));
        }
        let hint = match did_you_mean(id, self.table.roles.keys().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if self.table.roles.is_empty() => {
                "the scenario has no roles: add them under `roles: [(id: ..., label: ...)]`".to_owned()
            }
            None => format!("the roles are: {}", self.table.roles.keys().cloned().collect::<Vec<_>>().join(", ")),
        };
        self.err(path, format!("unknown role `{id}`"), Some(hint));
        None
    }

    /// The roles an inject reaches: each known, none twice.
    pub(super) fn role_refs(&mut self, path: &str, ids: &[String]) -> Vec<RoleIdx> {
        let mut out = Vec::new();
        for (k, id) in ids.iter().enumerate().take(MAX_ROLES + 1) {
            let p = format!("{path}[{k}]");
            if let Some(r) = self.role_ref(&p, id) {
                if out.contains(&r) {
                    self.err(&p, format!("role `{id}` is named twice"), None);
                } else {
                    out.push(r);
                }
            }
        }
        out
    }

    pub(super) fn injects(&mut self) -> Vec<Inject> {
        let raw = self.raw;
        self.limit("injects", &raw.injects);
        let mut out = Vec::new();
        for (i, inj) in raw.injects.iter().enumerate() {
            let p = format!("injects[{i}]");
            let at = inj.at.as_ref().and_then(|t| self.turn_ref(&format!("{p}.at"), t));
            let when = inj.when.as_ref().and_then(|w| self.formula(&format!("{p}.when"), w));
            let probability = inj.probability.as_ref().and_then(|w| self.formula(&format!("{p}.probability"), w));
            if inj.at.is_none() && inj.when.is_none() {
                self.err(
                    &p,
                    format!("inject `{}` has neither `at` nor `when`, so it can never fire", inj.id),
                    Some("add `at: Some(\"turn_id\")` or `when: Some(\"condition\")`".to_owned()),
                );
            }
            let effects = self.effects(&format!("{p}.effects"), &inj.effects);
            let mut options = Vec::new();
            for (k, o) in inj.options.iter().enumerate() {
                let effects = self.effects(&format!("{p}.options[{k}].effects"), &o.effects);
                options.push(DecisionOption {
                    id: o.id.clone(),
                    label: o.label.clone(),
                    description: o.description.clone(),
                    effects,
                });
            }
            if inj.options.len() == 1 {
                self.warn(
                    &format!("{p}.options"),
                    "a decision with a single option is no choice",
                    Some("add another option or turn the option's effects into the inject's".to_owned()),
                );
            }
            let default_option = match &inj.default_option {
                Some(id) if inj.options.is_empty() => {
                    self.err(
                        &format!("{p}.default_option"),
                        format!("`{id}` names an option, but this inject has none"),
                        None,
                    );
                    0
                }
                Some(id) => self.option_ref(&format!("{p}.default_option"), InjectIdx::at(i), id).unwrap_or(0),
                None => 0,
            };
            let (medium, reach) = self.presentation(&p, inj);
            let (scene, prepared) = self.staging(&p, inj);
            out.push(Inject {
                id: inj.id.clone(),
                title: inj.title.clone(),
                channel: inj.channel,
                text: inj.text.clone(),
                at,
                when,
                probability,
                repeat: inj.repeat,
                effects,
                options,
                default_option,
                facilitator_notes: inj.facilitator_notes.clone(),
                questions: inj.questions.clone(),
                to: self.role_refs(&format!("{p}.to"), &inj.to),
                owner: match &inj.owner {
                    Some(id) if inj.options.is_empty() => {
                        self.err(
                            &format!("{p}.owner"),
                            format!("`{}` is not a decision, so no role decides it", inj.id),
                            Some("give it `options`, or address it to the role with `to: [\"...\"]`".to_owned()),
                        );
                        self.role_ref(&format!("{p}.owner"), id)
                    }
                    Some(id) => self.role_ref(&format!("{p}.owner"), id),
                    None => None,
                },
                medium,
                from: inj.from.clone(),
                handle: inj.handle.clone(),
                outlet: inj.outlet.clone(),
                standfirst: inj.standfirst.clone(),
                reach,
                scene,
                prepared,
            });
        }
        out
    }

    pub(super) fn mitigations(&mut self, points: u32) -> Vec<Mitigation> {
        let raw = self.raw;
        self.limit("mitigations", &raw.mitigations);
        let mut out = Vec::new();
        for (i, m) in raw.mitigations.iter().enumerate() {
            let p = format!("mitigations[{i}]");
            let money = self.number(&format!("{p}.cost.money"), m.cost.money);
            let upkeep = self.number(&format!("{p}.upkeep"), m.upkeep);
            let lead_days = self.number(&format!("{p}.lead_days"), m.lead_days);
            for (field, v) in [("cost.money", money), ("upkeep", upkeep), ("lead_days", lead_days)] {
                if v < 0.0 {
                    self.err(
                        &format!("{p}.{field}"),
                        format!("`{field}` is negative ({v})"),
                        Some("use 0 or more".to_owned()),
                    );
                }
            }
            if m.cost.points > points {
                self.err(
                    &format!("{p}.cost.points"),
                    format!("costs {} action points but a turn has only {points}", m.cost.points),
                    Some("lower the cost or raise `resources.action_points`".to_owned()),
                );
            }
            let available = m.available.as_ref().and_then(|w| self.formula(&format!("{p}.available"), w));
            let mut requires = Vec::new();
            for (k, r) in m.requires.iter().enumerate() {
                let rp = format!("{p}.requires[{k}]");
                if *r == m.id {
                    self.err(&rp, format!("`{}` requires itself", m.id), None);
                } else if let Some(idx) = self.mitigation_ref(&rp, r) {
                    requires.push(idx);
                }
            }
            let on_take = self.effects(&format!("{p}.on_take"), &m.on_take);
            let on_activate = self.effects(&format!("{p}.on_activate"), &m.on_activate);
            let while_active = self.effects(&format!("{p}.while_active"), &m.while_active);
            let on_stop = self.effects(&format!("{p}.on_stop"), &m.on_stop);
            if m.kind == Kind::OneShot && !m.on_stop.is_empty() {
                self.warn(
                    &format!("{p}.on_stop"),
                    "a one-shot mitigation is never stopped, so `on_stop` never runs",
                    Some("use `kind: Toggle`".to_owned()),
                );
            }
            out.push(Mitigation {
                id: m.id.clone(),
                label: m.label.clone(),
                description: m.description.clone(),
                category: m.category.clone(),
                kind: m.kind,
                money,
                points: m.cost.points,
                upkeep,
                lead_days,
                available,
                unavailable_text: m.unavailable_text.clone(),
                requires,
                on_take,
                on_activate,
                while_active,
                on_stop,
                side_effects: m.side_effects.clone(),
                owner: m.owner.as_ref().and_then(|id| self.role_ref(&format!("{p}.owner"), id)),
            });
        }
        self.check_cycles(&out);
        out
    }

    pub(super) fn check_cycles(&mut self, mits: &[Mitigation]) {
        for (start, m) in mits.iter().enumerate() {
            // Walk requirements; reaching `start` again is a cycle.
            let mut stack: Vec<MitigationIdx> = m.requires.clone();
            let mut seen = vec![false; mits.len()];
            while let Some(n) = stack.pop() {
                if n.ix() == start {
                    self.err(
                        &format!("mitigations[{start}].requires"),
                        format!("`{}` requires itself through a chain of requirements, so it can never be taken", m.id),
                        Some("break the cycle".to_owned()),
                    );
                    break;
                }
                if !std::mem::replace(&mut seen[n.ix()], true) {
                    stack.extend(&mits[n.ix()].requires);
                }
            }
        }
    }

    pub(super) fn scoring(&mut self) -> Scoring {
        let raw = &self.raw.scoring;
        if raw.components.is_empty() {
            self.err("scoring.components", "no score components", Some("add at least one, e.g. user trust".to_owned()));
        }
        let mut components = Vec::new();
        for (i, c) in raw.components.iter().enumerate() {
            let p = format!("scoring.components[{i}]");
            let value = self.formula(&format!("{p}.value"), &c.value);
            let best = self.number(&format!("{p}.best"), c.best);
            let weight = self.number(&format!("{p}.weight"), c.weight);
            let curve = match (c.curve, c.worst) {
                (f::CurveDef::Linear, None) => {
                    self.err(
                        &p,
                        "`worst` is missing",
                        Some("a Linear component needs `worst` (no points) and `best` (all points); or use `curve: Log(half: ...)`".to_owned()),
                    );
                    Curve::Linear { worst: best - 1.0 }
                }
                (f::CurveDef::Linear, Some(worst)) => {
                    let worst = self.number(&format!("{p}.worst"), worst);
                    if best == worst {
                        self.err(
                            &format!("{p}.worst"),
                            "`best` and `worst` are equal",
                            Some("they set the 0..100 scale of this component".to_owned()),
                        );
                    }
                    Curve::Linear { worst }
                }
                (f::CurveDef::Log { half }, worst) => {
                    let half = self.number(&format!("{p}.curve"), half);
                    if worst.is_some() {
                        self.err(
                            &format!("{p}.worst"),
                            "a Log curve has no `worst`",
                            Some("it never reaches zero points: remove `worst`, and set `half` to the value that earns half the points".to_owned()),
                        );
                    }
                    if half == best {
                        self.err(
                            &format!("{p}.curve"),
                            "`half` equals `best`",
                            Some(
                                "`half` is the value that earns half the points, e.g. best: 0, curve: Log(half: 800)"
                                    .to_owned(),
                            ),
                        );
                    }
                    Curve::Log { half }
                }
            };
            if weight <= 0.0 {
                self.err(&format!("{p}.weight"), format!("weight {weight}"), Some("weights are positive".to_owned()));
            }
            let counts = c.counts.as_ref().map(|f| self.formula(&format!("{p}.counts"), f));
            if let (Some(value), Some(counts)) = (value, counts.map_or(Some(None), |c| c.map(Some))) {
                components.push(Component {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    value,
                    best,
                    curve,
                    weight,
                    counts,
                    description: c.description.clone(),
                });
            }
        }
        let mut grades = Vec::new();
        for (i, g) in raw.grades.iter().enumerate() {
            let min = self.number(&format!("scoring.grades[{i}].min"), g.min);
            grades.push(Grade { min, grade: g.grade.clone(), verdict: g.verdict.clone() });
        }
        grades.sort_by(|a, b| b.min.total_cmp(&a.min));
        if grades.last().is_none_or(|g| g.min > 0.0) {
            self.err(
                "scoring.grades",
                "no grade covers a score of 0",
                Some("add a lowest grade with `min: 0`".to_owned()),
            );
        }
        Scoring { components, grades }
    }
}
