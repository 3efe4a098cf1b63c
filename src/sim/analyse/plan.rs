//! Scenario test plans: scripted choices per turn plus assertions on metrics and score,
//! played on a list of seeds. `ttx test PLAN...` runs them, and so does `cargo test`. The
//! files are read by the caller (`cli`): here a plan is text, parsed, checked and played.

use std::sync::Arc;

use serde::Deserialize;

use crate::sim::author::diag::{Diagnostics, Reporter, Severity, did_you_mean};
use crate::sim::author::input::InputError;
use crate::sim::author::locate::{Locations, Pos};
use crate::sim::author::validate::{ChoiceErrors, resolve_path, resolve_path_placed};
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

/// Why a plan cannot run. Its text's problems are placed at the plan's file:line:column
/// with their field path and a hint; a parsed plan handed to [`run`] is told what is wrong
/// by field.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The plan file cannot be read.
    #[error(transparent)]
    Read(#[from] InputError),
    /// Problems in the plan's text, placed.
    #[error("{0}")]
    Placed(Diagnostics),
    /// The scenario the plan names does not load.
    #[error("{plan}: its scenario does not load:\n{diagnostics}")]
    Scenario { plan: String, diagnostics: Diagnostics },
    /// A plan checked by [`check`] that still cannot run, named by its file.
    #[error("{plan}: {source}")]
    Run { plan: String, source: RunError },
}

/// Why a parsed plan cannot run on a scenario.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error("`seeds` is empty: list at least one seed")]
    NoSeeds,
    #[error("{0} (is the plan for another scenario?)")]
    Choices(ChoiceErrors),
    #[error("expect[{index}]: unknown turn `{turn}`")]
    UnknownTurn { index: usize, turn: String },
    /// A check formula that does not compile: `offset` counts characters from 0.
    #[error(
        "expect[{index}].check: {message} at character {}{}",
        offset + 1,
        hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Formula { index: usize, message: String, offset: usize, hint: Option<String> },
    #[error("expect[{index}]: nothing to check: give `check`, `score_at_least` or `score_at_most`")]
    NothingToCheck { index: usize },
}

/// Parses a plan's text; `name` (its file) places the syntax error.
pub fn parse(name: &str, text: &str) -> Result<PlanFile, PlanError> {
    ron::Options::default().with_recursion_limit(32).from_str(text).map_err(|e| {
        let pos = Pos { line: e.span.start.line, col: e.span.start.col };
        let at = Locations::scan(text).path_before(pos).map(str::to_owned).unwrap_or_default();
        let mut rep = Reporter::new(name, text);
        rep.at(
            Severity::Error,
            pos,
            1,
            &at,
            e.code.to_string(),
            Some("a plan is `TestPlan(scenario: \"...\", seeds: [...], choices: [...], expect: [...])`".to_owned()),
        );
        PlanError::Placed(Diagnostics(rep.finish()))
    })
}

/// Checks a parsed plan against its scenario, every problem placed in the plan's text
/// (`name`, `text`: its file and what was parsed), then runs it: Ok lists the assertions
/// that failed.
pub fn check_and_run(name: &str, text: &str, plan: &PlanFile, sc: &Arc<Scenario>) -> Result<Outcome, PlanError> {
    let mut rep = Reporter::new(name, text);
    if let Err(errs) = resolve_path_placed(sc, &plan.choices, "choices") {
        for e in errs {
            rep.error(&e.path, e.message, e.hint);
        }
    }
    if plan.seeds.is_empty() {
        rep.error("seeds", "`seeds` is empty", Some("list at least one seed, e.g. `seeds: [0, 1, 2]`".to_owned()));
    }
    let names = NamesOf(sc);
    for (i, e) in plan.expect.iter().enumerate() {
        if sc.turn_index(&e.after).is_none() {
            let hint =
                did_you_mean(&e.after, sc.turns.iter().map(|t| t.id.as_str())).map(|s| format!("did you mean `{s}`?"));
            rep.error(&format!("expect[{i}].after"), format!("unknown turn `{}`", e.after), hint);
        }
        if let Some(src) = &e.check
            && let Err(err) = expr::compile(src, &names)
        {
            rep.formula(&format!("expect[{i}].check"), err.offset, err.message, err.hint, src);
        }
    }
    if rep.has_errors() {
        return Err(PlanError::Placed(Diagnostics(rep.finish())));
    }
    run(plan, sc).map_err(|source| PlanError::Run { plan: name.to_owned(), source })
}

/// Runs a parsed plan on a scenario.
pub fn run(plan: &PlanFile, sc: &Arc<Scenario>) -> Result<Outcome, RunError> {
    if plan.seeds.is_empty() {
        return Err(RunError::NoSeeds);
    }
    let path = resolve_path(sc, &plan.choices).map_err(RunError::Choices)?;
    let names = NamesOf(sc);
    let mut checks = Vec::new();
    for (index, e) in plan.expect.iter().enumerate() {
        let turn = sc.turn_index(&e.after).ok_or_else(|| RunError::UnknownTurn { index, turn: e.after.clone() })?;
        let formula = match &e.check {
            Some(src) => Some(expr::compile(src, &names).map_err(|err| RunError::Formula {
                index,
                message: err.message,
                offset: err.offset,
                hint: err.hint,
            })?),
            None => None,
        };
        if formula.is_none() && e.score_at_least.is_none() && e.score_at_most.is_none() {
            return Err(RunError::NothingToCheck { index });
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
        did_you_mean(name, ids)
    }
    fn bounds(&self, metric: u16) -> (f64, f64) {
        self.0.metrics.get(metric as usize).map_or((f64::NEG_INFINITY, f64::INFINITY), |m| (m.min, m.max))
    }
    fn turn_count(&self) -> usize {
        self.0.turns.len()
    }
}
