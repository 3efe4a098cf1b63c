//! Turn choices written by id (the history's, a lesson's, a test plan's, a strategy's),
//! resolved against the scenario with every unknown id placed and explained.

use super::*;

impl Checker<'_, '_> {
    /// A list of turn choices as a path.
    pub(super) fn choices_path(&mut self, p: &str, choices: &[f::TurnChoicesDef]) -> Path {
        let mut path = Path { choices: vec![Vec::new(); self.raw.turns.len()] };
        for (i, c) in choices.iter().enumerate() {
            let q = format!("{p}[{i}]");
            let Some(t) = self.turn_ref(&format!("{q}.turn"), &c.turn) else { continue };
            let actions = self.turn_choices(&q, c);
            if let Some(slot) = path.choices.get_mut(t) {
                slot.extend(actions);
            }
        }
        path
    }

    /// Resolves one turn's choices (shared by the history and by strategy files).
    pub(super) fn turn_choices(&mut self, p: &str, c: &f::TurnChoicesDef) -> Vec<Action> {
        let mut actions = Vec::new();
        for (k, id) in c.take.iter().enumerate() {
            if let Some(m) = self.mitigation_ref(&format!("{p}.take[{k}]"), id) {
                actions.push(Action::Take(m));
            }
        }
        for (k, id) in c.stop.iter().enumerate() {
            if let Some(m) = self.mitigation_ref(&format!("{p}.stop[{k}]"), id) {
                actions.push(Action::Stop(m));
            }
        }
        for (k, (inj, opt)) in c.choose.iter().enumerate() {
            let cp = format!("{p}.choose[{k}]");
            if let Some(i) = self.inject_ref(&cp, inj)
                && let Some(o) = self.option_ref(&cp, i, opt)
            {
                actions.push(Action::Choose(i, o));
            }
        }
        actions
    }
}

/// Resolves a strategy's per-turn choices written by id against a checked scenario.
pub fn resolve_path(scenario: &Scenario, choices: &[f::TurnChoicesDef]) -> Result<Path, ChoiceErrors> {
    resolve_path_placed(scenario, choices, "").map_err(ChoiceErrors)
}

/// Every unknown id in a list of turn choices; printed as their messages, `; ` between.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
pub struct ChoiceErrors(pub Vec<ChoiceError>);

/// A problem in a list of turn choices (a plan's, a strategy's), at a field path under
/// `base` (e.g. `choices[2].take[0]`), with a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceError {
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
}

/// Resolves turn choices, reporting every unknown id with where it is and what was meant.
pub fn resolve_path_placed(
    scenario: &Scenario,
    choices: &[f::TurnChoicesDef],
    base: &str,
) -> Result<Path, Vec<ChoiceError>> {
    let mut path = Path::default();
    let mut errs = Vec::new();
    let at = |i: usize, rest: &str| {
        if base.is_empty() { format!("[{i}]{rest}") } else { format!("{base}[{i}]{rest}") }
    };
    let suggest = |name: &str, ids: Vec<&str>| did_you_mean(name, ids).map(|s| format!("did you mean `{s}`?"));
    for (i, c) in choices.iter().enumerate() {
        let Some(t) = scenario.turn_index(&c.turn) else {
            errs.push(ChoiceError {
                path: at(i, ".turn"),
                message: format!("unknown turn `{}`", c.turn),
                hint: suggest(&c.turn, scenario.turns.iter().map(|t| t.id.as_str()).collect()).or_else(|| {
                    let ids: Vec<&str> = scenario.turns.iter().take(6).map(|t| t.id.as_str()).collect();
                    Some(format!(
                        "is this for another scenario? “{}” has turns {}…",
                        scenario.meta.title,
                        ids.join(", ")
                    ))
                }),
            });
            continue;
        };
        if path.choices.len() <= t {
            path.choices.resize(t + 1, Vec::new());
        }
        for (field, ids) in [("take", &c.take), ("stop", &c.stop)] {
            for (k, id) in ids.iter().enumerate() {
                match scenario.mitigation_index(id) {
                    Some(m) => path.choices[t].push(if field == "take" { Action::Take(m) } else { Action::Stop(m) }),
                    None => errs.push(ChoiceError {
                        path: at(i, &format!(".{field}[{k}]")),
                        message: format!("unknown mitigation `{id}`"),
                        hint: suggest(id, scenario.mitigations.iter().map(|m| m.id.as_str()).collect()),
                    }),
                }
            }
        }
        for (k, (inj, opt)) in c.choose.iter().enumerate() {
            let Some(i_idx) = scenario.inject_index(inj) else {
                errs.push(ChoiceError {
                    path: at(i, &format!(".choose[{k}]")),
                    message: format!("unknown decision `{inj}`"),
                    hint: suggest(
                        inj,
                        scenario.injects.iter().filter(|x| x.is_decision()).map(|x| x.id.as_str()).collect(),
                    ),
                });
                continue;
            };
            let options = &scenario.injects[i_idx.ix()].options;
            match options.iter().position(|o| o.id == *opt) {
                Some(o) => path.choices[t].push(Action::Choose(i_idx, o as u16)),
                None => errs.push(ChoiceError {
                    path: at(i, &format!(".choose[{k}]")),
                    message: format!("unknown option `{opt}` of `{inj}`"),
                    hint: suggest(opt, options.iter().map(|o| o.id.as_str()).collect()).or_else(|| {
                        Some(format!(
                            "its options: {}",
                            options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", ")
                        ))
                    }),
                }),
            }
        }
    }
    if errs.is_empty() { Ok(path) } else { Err(errs) }
}
