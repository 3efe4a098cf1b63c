//! Scenario test plans: scripted choices per turn plus assertions on metrics and score,
//! played on a list of seeds. `ttx test PLAN...` runs them, and so does `cargo test`.

use std::path::Path as FsPath;
use std::sync::Arc;

use serde::Deserialize;

use crate::sim::author::diag::Reporter;
use crate::sim::author::validate::{read_file, resolve_path, resolve_path_placed};
use crate::sim::expr::{self, Formula};
use crate::sim::format::TurnChoicesDef;
use crate::sim::play::game::Game;
use crate::sim::play::score;
use crate::sim::scenario::{InjectIdx, MetricIdx, MitigationIdx, Scenario};

/// A plan as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "TestPlan")]
pub struct PlanFile {
    /// The scenario, relative to the plan file.
    pub scenario: String,
    #[serde(default)]
    pub description: String,
    pub seeds: Vec<u64>,
    #[serde(default)]
    pub choices: Vec<TurnChoicesDef>,
    pub expect: Vec<Expectation>,
}

/// `after` a turn (its id) resolves, `check` must hold; or, at the end, a minimum score.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub after: String,
    #[serde(default)]
    pub check: Option<String>,
    #[serde(default)]
    pub score_at_least: Option<f64>,
    #[serde(default)]
    pub score_at_most: Option<f64>,
}

/// The result of one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub checks: usize,
    pub failures: Vec<String>,
}

struct Check {
    turn: usize,
    label: String,
    formula: Option<Formula>,
    min: Option<f64>,
    max: Option<f64>,
}

/// Loads and runs a plan file; Err is a plan that cannot run (every problem placed at the
/// plan's file:line:column with its field path and a hint), Ok lists the assertions that
/// failed.
pub fn run_file(path: &FsPath) -> Result<Outcome, String> {
    let name = path.display().to_string();
    let text = crate::sim::author::input::read_text(path, crate::sim::author::input::MAX_PLAN_BYTES, "test plan")
        .map_err(|e| e.to_string())?;
    let plan: PlanFile = match ron::Options::default().with_recursion_limit(32).from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            let pos = crate::sim::author::locate::Pos { line: e.span.start.line, col: e.span.start.col };
            let at = crate::sim::author::locate::Locations::scan(&text)
                .path_before(pos)
                .map(str::to_owned)
                .unwrap_or_default();
            let mut rep = Reporter::new(&name, &text);
            rep.at(
                crate::sim::author::diag::Severity::Error,
                pos,
                1,
                &at,
                e.code.to_string(),
                Some("a plan is `TestPlan(scenario: \"...\", seeds: [...], choices: [...], expect: [...])`".to_owned()),
            );
            return Err(render(rep));
        }
    };
    let scenario_path = path.parent().unwrap_or(FsPath::new(".")).join(&plan.scenario);
    // Checked only: the plan reads the scenario, not its load warnings.
    let loaded =
        read_file(&scenario_path, &|_, _, _| {}).map_err(|d| format!("{name}: its scenario does not load:\n{d}"))?;
    let sc = Arc::new(loaded.scenario);
    let mut rep = Reporter::new(&name, &text);
    if let Err(errs) = resolve_path_placed(&sc, &plan.choices, "choices") {
        for e in errs {
            rep.error(&e.path, e.message, e.hint);
        }
    }
    if plan.seeds.is_empty() {
        rep.error("seeds", "`seeds` is empty", Some("list at least one seed, e.g. `seeds: [0, 1, 2]`".to_owned()));
    }
    let names = NamesOf(&sc);
    for (i, e) in plan.expect.iter().enumerate() {
        if sc.turn_index(&e.after).is_none() {
            let hint = crate::sim::author::diag::did_you_mean(&e.after, sc.turns.iter().map(|t| t.id.as_str()))
                .map(|s| format!("did you mean `{s}`?"));
            rep.error(&format!("expect[{i}].after"), format!("unknown turn `{}`", e.after), hint);
        }
        if let Some(src) = &e.check
            && let Err(err) = expr::compile(src, &names)
        {
            rep.formula(&format!("expect[{i}].check"), err.offset, err.message, err.hint, src);
        }
    }
    if rep.has_errors() {
        return Err(render(rep));
    }
    run(&plan, &sc).map_err(|e| format!("{name}: {e}"))
}

/// The diagnostics of a plan, as printed.
fn render(rep: Reporter<'_>) -> String {
    let d = crate::sim::author::diag::Diagnostics(rep.finish());
    d.to_string()
}

/// Runs a parsed plan on a scenario.
pub fn run(plan: &PlanFile, sc: &Arc<Scenario>) -> Result<Outcome, String> {
    if plan.seeds.is_empty() {
        return Err("`seeds` is empty: list at least one seed".into());
    }
    let path = resolve_path(sc, &plan.choices).map_err(|e| format!("{e} (is the plan for another scenario?)"))?;
    let names = NamesOf(sc);
    let mut checks = Vec::new();
    for (i, e) in plan.expect.iter().enumerate() {
        let turn = sc.turn_index(&e.after).ok_or_else(|| format!("expect[{i}]: unknown turn `{}`", e.after))?;
        let formula = match &e.check {
            Some(src) => Some(expr::compile(src, &names).map_err(|err| {
                format!(
                    "expect[{i}].check: {} at character {}{}",
                    err.message,
                    err.offset + 1,
                    err.hint.map(|h| format!(" ({h})")).unwrap_or_default()
                )
            })?),
            None => None,
        };
        if formula.is_none() && e.score_at_least.is_none() && e.score_at_most.is_none() {
            return Err(format!("expect[{i}]: nothing to check: give `check`, `score_at_least` or `score_at_most`"));
        }
        let label = e.check.clone().unwrap_or_else(|| "score".into());
        checks.push(Check { turn, label, formula, min: e.score_at_least, max: e.score_at_most });
    }
    let mut failures = Vec::new();
    for &seed in &plan.seeds {
        let mut game = Game::new_fast(Arc::clone(sc), seed);
        for t in 0..sc.turns.len() {
            for &a in path.on(t) {
                if let Err(lock) = game.act(a) {
                    failures.push(format!(
                        "seed {seed}, {}: {} was refused ({lock})",
                        sc.turns[t].label,
                        sc.describe(a)
                    ));
                }
            }
            game.end_turn();
            let after = &game.history()[t + 1];
            for c in checks.iter().filter(|c| c.turn == t) {
                let when = &sc.turns[t].label;
                if let Some(f) = &c.formula
                    && game.eval_with_metrics(f, after) == 0.0
                {
                    let values: Vec<String> = f
                        .metrics_read()
                        .map(|m| {
                            format!(
                                "{} = {}",
                                sc.metrics[m as usize].id,
                                crate::i18n::Lang::En
                                    .tr()
                                    .quantity(after[m as usize], sc.metrics[m as usize].measure())
                            )
                        })
                        .collect();
                    failures.push(format!(
                        "seed {seed}, after {when}: `{}` does not hold ({})",
                        c.label,
                        values.join(", ")
                    ));
                }
                if c.min.is_some() || c.max.is_some() {
                    let s = score::total_with_metrics(&game, after);
                    if c.min.is_some_and(|m| s < m) || c.max.is_some_and(|m| s > m) {
                        failures.push(format!(
                            "seed {seed}, after {when}: score {s:.1} is outside {}..{}",
                            c.min.map_or("".into(), |m| m.to_string()),
                            c.max.map_or("".into(), |m| m.to_string())
                        ));
                    }
                }
            }
        }
    }
    // The scenario's own lessons are claims about every game of it: a plan checks them too.
    for v in crate::sim::analyse::lesson::check_all(sc) {
        if !v.holds {
            failures.push(format!("lesson `{}` ({}) does not hold: {}", v.id, v.claim, v.findings.join("; ")));
        }
    }
    Ok(Outcome { checks: checks.len() * plan.seeds.len() + sc.lessons.len(), failures })
}

/// Name lookups for assertion formulas: the scenario's own ids.
struct NamesOf<'a>(&'a Scenario);

impl expr::Names for NamesOf<'_> {
    fn metric(&self, name: &str) -> Option<u16> {
        self.0.metric_index(name).map(MetricIdx::raw)
    }
    fn mitigation(&self, name: &str) -> Option<u16> {
        self.0.mitigation_index(name).map(MitigationIdx::raw)
    }
    fn inject(&self, name: &str) -> Option<u16> {
        self.0.inject_index(name).map(InjectIdx::raw)
    }
    fn option(&self, inject: u16, name: &str) -> Option<u16> {
        self.0.injects.get(inject as usize)?.options.iter().position(|o| o.id == name).map(|o| o as u16)
    }
    fn turn(&self, name: &str) -> Option<u16> {
        self.0.turn_index(name).map(|t| t as u16)
    }
    fn suggest(&self, kind: expr::NameKind, name: &str, _inject: Option<u16>) -> Option<String> {
        let ids: Vec<&str> = match kind {
            expr::NameKind::Metric => self.0.metrics.iter().map(|m| m.id.as_str()).collect(),
            expr::NameKind::Mitigation => self.0.mitigations.iter().map(|m| m.id.as_str()).collect(),
            expr::NameKind::Inject => self.0.injects.iter().map(|m| m.id.as_str()).collect(),
            expr::NameKind::Turn => self.0.turns.iter().map(|m| m.id.as_str()).collect(),
            expr::NameKind::Option => Vec::new(),
        };
        crate::sim::author::diag::did_you_mean(name, ids)
    }
    fn bounds(&self, metric: u16) -> (f64, f64) {
        self.0.metrics.get(metric as usize).map_or((f64::NEG_INFINITY, f64::INFINITY), |m| (m.min, m.max))
    }
    fn turn_count(&self) -> usize {
        self.0.turns.len()
    }
}
