//! Turns a RON scenario file into a checked [`Scenario`], reporting every problem at once.
//!
//! Syntax errors come from `ron` with their position; semantic errors (unknown ids, bad
//! bounds, broken formulas) are placed with the field path scanner in `locate`. Warnings
//! flag things that can never happen.

use std::collections::BTreeMap;

use super::diag::{Diagnostic, Diagnostics, Reporter, Severity, did_you_mean};
use super::expr::{self, Formula, NameKind, Names};
use super::format::{self as f, FORMAT_VERSION, ScenarioFile};
use super::locate::{Locations, Pos};
use super::scenario::*;

/// Largest scenario file accepted.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Largest magnitude of any number in a scenario.
pub const MAX_MAGNITUDE: f64 = 1e15;
/// Nesting limit handed to the RON parser.
const RECURSION_LIMIT: usize = 48;

/// Cap on the seeds all lessons of a scenario play together (each seed is two games).
const MAX_LESSON_SEEDS: u64 = 20_000;

/// Caps on list sizes; a scenario past them is almost certainly a mistake or an attack.
const MAX_ITEMS: usize = 2_000;
/// Most roles in a team (a workshop table seats a handful).
pub const MAX_ROLES: usize = 12;

/// A validated scenario and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and validates a scenario file from disk (at most [`MAX_FILE_BYTES`], whatever the
/// file is: a pipe or a device stops at the cap).
pub fn load_file(path: &std::path::Path) -> Result<Loaded, Diagnostics> {
    let name = path.display().to_string();
    let src = super::input::read_text(path, MAX_FILE_BYTES as u64, "scenario").map_err(|e| {
        let (line, col, hint) = match &e {
            super::input::InputError::NotUtf8 { line, col, .. } => (*line, *col, "save the file as UTF-8"),
            super::input::InputError::TooLarge { .. } => (0, 0, "is this really a scenario file?"),
            super::input::InputError::Io { .. } => (0, 0, "check the path"),
        };
        let message = e.to_string();
        let message = message.strip_prefix(&format!("{name}:")).unwrap_or(&message).trim_start();
        let message = message.split_once(": ").filter(|_| line > 0).map_or(message, |(_, m)| m).to_owned();
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: name.clone(),
            line,
            col,
            len: 0,
            path: String::new(),
            message,
            hint: Some(hint.to_owned()),
            source_line: None,
            caret: 0,
        }])
    })?;
    load_str(&src, &name)
}

/// Parses and validates scenario text; `file` names it in diagnostics.
pub fn load_str(src: &str, file: &str) -> Result<Loaded, Diagnostics> {
    let mut rep = Reporter::new(file, src);
    if src.len() > MAX_FILE_BYTES {
        rep.at(
            Severity::Error,
            Pos::default(),
            0,
            "",
            format!("file is {} bytes; scenarios may be at most {MAX_FILE_BYTES} bytes", src.len()),
            Some("is this really a scenario file?".to_owned()),
        );
        return Err(Diagnostics(rep.finish()));
    }
    let opts = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    let raw: ScenarioFile = match opts.from_str(src) {
        Ok(raw) => raw,
        Err(e) => {
            syntax_error(&mut rep, src, &e);
            return Err(Diagnostics(rep.finish()));
        }
    };
    let checked = Checker::new(&raw, &mut rep).check();
    if rep.has_errors() {
        return Err(Diagnostics(rep.finish()));
    }
    match checked {
        Some(mut scenario) => {
            scenario.fingerprint = fingerprint(src);
            warn_impossible_history(&scenario, &raw, &mut rep);
            super::glyphs::warn_undrawable(src, &mut rep);
            Ok(Loaded { scenario, warnings: rep.finish() })
        }
        None => Err(Diagnostics(rep.finish())),
    }
}

/// Plays the historical path once (seed 0) and warns about choices the game refuses: they
/// would be skipped silently in every comparison with history.
fn warn_impossible_history(scenario: &Scenario, raw: &ScenarioFile, rep: &mut Reporter<'_>) {
    let (Some(h), Some(raw_h)) = (&scenario.history, &raw.history) else { return };
    let sc = std::sync::Arc::new(scenario.clone());
    let mut game = super::game::Game::new_fast(std::sync::Arc::clone(&sc), 0);
    while !game.is_finished() {
        let t = game.turn();
        for &a in h.path.on(t) {
            if let Err(lock) = game.act(a) {
                let index = raw_h.choices.iter().position(|c| c.turn == sc.turns[t].id).unwrap_or(0);
                rep.warn(
                    &format!("history.choices[{index}]"),
                    format!("on {}, {} cannot be done: {lock}", sc.turns[t].label, sc.describe(a)),
                    Some(
                        "comparisons with history skip it (checked on seed 0): move it to a turn where it is possible"
                            .to_owned(),
                    ),
                );
            }
        }
        game.end_turn();
    }
}

/// Work (in [`super::balance::game_cost`] units) for the "never worth taking" check and for
/// the lessons in `ttx check`: together with the strategy searches, about half a second.
const NEVER_WORTH_WORK: f64 = 12e6;
const LESSON_WORK: f64 = 15e6;

/// Seeds per trial of [`balance_warnings`].
const WORTH_SEEDS: u64 = 16;

/// Warnings that need play, not just reading (`ttx check` runs them; loading does not):
/// mitigations never worth taking. Each mitigation is added on every turn to two base
/// paths, doing nothing and the historical path, over 16 seeds; if no such game scores
/// higher than its base, the card is a trap or dead weight.
pub fn balance_warnings(sc: &std::sync::Arc<Scenario>, src: &str, file: &str) -> Vec<Diagnostic> {
    use super::game::Game;
    use super::score::total;
    let mut rep = Reporter::new(file, src);
    // Bases: doing nothing, history, and a good strategy (greedy on score): where the score
    // is already at its floor, one card more cannot show; next to good play it can.
    let opts =
        super::balance::Options { games: 0, seed: 1, sample: 8, search_steps: 0, work: 25e6, ..Default::default() };
    let good = super::balance::greedy(sc, &opts);
    let cost = super::balance::game_cost(sc);
    let mut bases = vec![Path::default(), good];
    if let Some(h) = &sc.history {
        bases.push(h.path.clone());
    }
    let play = |path: &Path, seed: u64| {
        let mut g = Game::new_fast(std::sync::Arc::clone(sc), seed);
        let refused = g.play_out(path);
        (total(&g), refused)
    };
    // Within the budget: fewer seeds first, then every k-th turn, then every k-th card.
    let (cards, turns) = (sc.mitigations.len().max(1) as f64, sc.turns.len().max(1) as f64);
    let n_bases = bases.len() as f64;
    let allowed = (NEVER_WORTH_WORK / cost).max(1.0);
    let seeds = ((allowed / (cards * turns * n_bases)).floor() as u64).clamp(2, WORTH_SEEDS);
    let turn_step =
        ((cards * turns * n_bases * seeds as f64 / allowed).ceil() as usize).clamp(1, sc.turns.len().max(1));
    let turns_tried = sc.turns.len().div_ceil(turn_step) as f64;
    let card_step = ((cards * turns_tried * n_bases * seeds as f64 / allowed).ceil() as usize).max(1);
    if seeds < WORTH_SEEDS || turn_step > 1 || card_step > 1 {
        let mut how = format!("{seeds} seeds per trial instead of {WORTH_SEEDS}");
        if turn_step > 1 {
            how.push_str(&format!(", every {turn_step}th turn"));
        }
        if card_step > 1 {
            how.push_str(&format!(", every {card_step}th card"));
        }
        rep.note(
            "mitigations",
            format!("the scenario is large: the \"never worth taking\" check played {how}"),
            Some("`ttx sim` explores the scenario further".to_owned()),
        );
    }
    let base_runs: Vec<Vec<(f64, usize)>> =
        bases.iter().map(|p| (0..seeds).map(|seed| play(p, seed)).collect()).collect();
    for (m, def) in sc.mitigations.iter().enumerate().step_by(card_step) {
        let take = Action::Take(MitigationIdx::at(m));
        if sc.mitigations.iter().any(|other| other.requires.contains(&MitigationIdx::at(m))) {
            continue; // Its worth is in what it unlocks.
        }
        if bases[1].choices.iter().flatten().any(|a| *a == take) {
            continue; // The greedy strategy took it: it raised the score there.
        }
        let (mut best, mut tried) = (f64::NEG_INFINITY, 0u32);
        for (b, base) in bases.iter().enumerate() {
            if base.choices.iter().flatten().any(|a| *a == take) {
                continue;
            }
            for t in (0..sc.turns.len()).step_by(turn_step) {
                let mut path = base.clone();
                if path.choices.len() <= t {
                    path.choices.resize(t + 1, Vec::new());
                }
                path.choices[t].insert(0, take);
                for seed in 0..seeds {
                    let (score, refused) = play(&path, seed);
                    let (base_score, base_refused) = base_runs[b][seed as usize];
                    if refused > base_refused {
                        continue; // Not possible then.
                    }
                    tried += 1;
                    best = best.max(score - base_score);
                }
            }
        }
        if tried > 0 && best <= 0.05 && !sc.allow.contains(&Check::NeverWorthTaking) {
            rep.warn(
                &format!("mitigations[{m}]"),
                format!(
                    "mitigation `{}` is never worth taking: added on any turn to doing nothing, to a greedy strategy{} ({tried} games), it scored at best {best:+.1} points",
                    def.id,
                    if bases.len() > 2 { " or to the historical path" } else { "" }
                ),
                Some("make its effects stronger, its cost or lead time smaller, or drop the card".to_owned()),
            );
        }
    }
    let best = base_runs[1].iter().map(|r| r.0).sum::<f64>() / seeds as f64;
    let mut named: Vec<(&str, &Path)> = vec![("do nothing", &bases[0]), ("greedy", &bases[1])];
    if let Some(h) = bases.get(2) {
        named.push(("history", h));
    }
    let history_score = base_runs.get(2).map(|runs| runs.iter().map(|r| r.0).sum::<f64>() / seeds as f64);
    super::lint::teaching_warnings(sc, &named, best, history_score, seeds, &mut rep);
    // Lessons: their own seeds, scaled down to the budget on a large scenario.
    let wanted: f64 = sc.lessons.iter().map(|l| 2.0 * l.seeds as f64).sum::<f64>() * cost;
    let scale = if wanted > LESSON_WORK { LESSON_WORK / wanted } else { 1.0 };
    if scale < 1.0 {
        rep.note(
            "lessons",
            format!("the scenario is large: the lessons were checked on {:.0}% of their seeds", 100.0 * scale),
            Some("`ttx test` on a plan of this scenario checks them on every seed".to_owned()),
        );
    }
    let verdicts = sc.lessons.iter().map(|l| {
        let seeds = ((l.seeds as f64 * scale).ceil() as u64).max(10).min(l.seeds);
        super::lesson::check_seeds(sc, l, seeds)
    });
    for (i, v) in verdicts.enumerate() {
        if !v.holds {
            rep.warn(
                &format!("lessons[{i}]"),
                format!("lesson `{}` does not hold: {}", v.id, v.findings.join("; ")),
                Some("the scenario teaches something else than this claim: change the model, or the claim".to_owned()),
            );
        }
    }
    rep.finish()
}

/// FNV-1a over the source text: stable across platforms and versions.
pub fn fingerprint(src: &str) -> u64 {
    src.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn syntax_error(rep: &mut Reporter<'_>, src: &str, e: &ron::error::SpannedError) {
    use ron::Error as E;
    let start = Locations::skip_space(src, Pos { line: e.span.start.line, col: e.span.start.col });
    let len =
        if e.span.end.line == e.span.start.line { e.span.end.col.saturating_sub(e.span.start.col).max(1) } else { 1 };
    let locations = Locations::scan(src);
    let mut path = locations.path_before(start).unwrap_or("").to_owned();
    if let E::MissingStructField { .. } = &e.code {
        path = locations.struct_closed_at(src, start).unwrap_or_default();
    }
    if let E::NoSuchStructField { found, .. } = &e.code
        && !path.ends_with(&format!(".{found}"))
    {
        // An unknown field is not a value the scanner records: name it under its struct.
        let parent = path.rfind('.').map_or("", |i| &path[..i]).to_owned();
        path = if parent.is_empty() { found.clone() } else { format!("{parent}.{found}") };
    }
    let (message, hint) = match &e.code {
        E::NoSuchStructField { expected, found, outer } => {
            let in_ = outer.as_deref().map(|o| format!(" in `{o}`")).unwrap_or_default();
            let hint = match did_you_mean(found, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the fields here are: {}", expected.join(", ")),
            };
            (format!("unknown field `{found}`{in_}"), Some(hint))
        }
        E::MissingStructField { field, outer } => {
            let in_ = outer.as_deref().map(|o| format!(" in `{o}`")).unwrap_or_default();
            (format!("missing field `{field}`{in_}"), Some(format!("add `{field}: ...` to this item")))
        }
        E::DuplicateStructField { field, .. } => {
            (format!("field `{field}` is given twice"), Some("keep only one".to_owned()))
        }
        E::NoSuchEnumVariant { expected, found, .. } => {
            let hint = match did_you_mean(found, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            };
            (format!("unknown value `{found}`"), Some(hint))
        }
        E::ExpectedDifferentStructName { expected, found } => (
            format!("expected `{expected}(...)`, found `{found}(...)`"),
            Some(format!("write `{expected}(` here, or leave the name out")),
        ),
        E::ExceededRecursionLimit => (
            format!("nesting deeper than {RECURSION_LIMIT} levels"),
            Some("scenarios never need this much nesting; look for unbalanced brackets".to_owned()),
        ),
        E::ExpectedComma => (e.code.to_string(), Some("a `,` is probably missing after the previous value".to_owned())),
        E::ExpectedStringEnd | E::Eof => {
            (e.code.to_string(), Some("a string, bracket or parenthesis is not closed".to_owned()))
        }
        E::InvalidValueForType { expected, found } => {
            (format!("expected {expected}, found {found}"), Some("check the type of this value".to_owned()))
        }
        E::ExpectedFloat | E::ExpectedInteger => {
            ("expected a number".to_owned(), Some("write a number without quotes, e.g. `50` or `0.5`".to_owned()))
        }
        E::ExpectedString => ("expected text in double quotes".to_owned(), Some("write it as \"...\"".to_owned())),
        E::ExpectedBoolean => ("expected `true` or `false`".to_owned(), None),
        E::ExpectedOption => {
            ("expected `Some(...)` or `None`".to_owned(), Some("optional fields are written `Some(value)`".to_owned()))
        }
        E::TrailingCharacters => {
            path.clear();
            ("text after the end of the scenario".to_owned(), Some("remove everything after the final `)`".to_owned()))
        }
        other => (other.to_string(), None),
    };
    let path_note = if path.is_empty() { String::new() } else { path };
    rep.at(Severity::Error, start, len, &path_note, message, hint);
}

/// Name tables of the raw file, for formula checking.
struct Table {
    metrics: BTreeMap<String, u16>,
    mitigations: BTreeMap<String, u16>,
    injects: BTreeMap<String, u16>,
    options: Vec<BTreeMap<String, u16>>,
    turns: BTreeMap<String, u16>,
    roles: BTreeMap<String, u16>,
    bounds: Vec<(f64, f64)>,
}

impl Names for Table {
    fn metric(&self, name: &str) -> Option<u16> {
        self.metrics.get(name).copied()
    }
    fn mitigation(&self, name: &str) -> Option<u16> {
        self.mitigations.get(name).copied()
    }
    fn inject(&self, name: &str) -> Option<u16> {
        self.injects.get(name).copied()
    }
    fn option(&self, inject: u16, name: &str) -> Option<u16> {
        self.options.get(inject as usize)?.get(name).copied()
    }
    fn turn(&self, name: &str) -> Option<u16> {
        self.turns.get(name).copied()
    }
    fn suggest(&self, kind: NameKind, name: &str, inject: Option<u16>) -> Option<String> {
        let keys = |m: &BTreeMap<String, u16>| m.keys().cloned().collect::<Vec<_>>();
        let known = match kind {
            NameKind::Metric => keys(&self.metrics),
            NameKind::Mitigation => keys(&self.mitigations),
            NameKind::Inject => keys(&self.injects),
            NameKind::Turn => keys(&self.turns),
            NameKind::Option => inject.and_then(|i| self.options.get(i as usize)).map(keys).unwrap_or_default(),
        };
        did_you_mean(name, known.iter().map(String::as_str))
    }
    fn bounds(&self, metric: u16) -> (f64, f64) {
        self.bounds.get(metric as usize).copied().unwrap_or((f64::NEG_INFINITY, f64::INFINITY))
    }
    fn turn_count(&self) -> usize {
        self.turns.len()
    }
}

/// Words formulas reserve; ids may not use them.
const RESERVED: [&str; 28] = [
    "turn", "day", "days", "true", "false", "and", "or", "not", "min", "max", "clamp", "if", "abs", "floor", "ceil",
    "round", "sqrt", "ln", "exp", "active", "pending", "taken", "fired", "chose", "since", "before", "at", "prev",
];

struct Checker<'a, 'r> {
    raw: &'a ScenarioFile,
    rep: &'a mut Reporter<'r>,
    table: Table,
    /// Metrics read by any formula, scoring or history.
    read: Vec<bool>,
}

impl<'a, 'r> Checker<'a, 'r> {
    fn new(raw: &'a ScenarioFile, rep: &'a mut Reporter<'r>) -> Self {
        let table = Table {
            metrics: BTreeMap::new(),
            mitigations: BTreeMap::new(),
            injects: BTreeMap::new(),
            options: Vec::new(),
            turns: BTreeMap::new(),
            roles: BTreeMap::new(),
            bounds: Vec::new(),
        };
        Self { raw, rep, table, read: vec![false; raw.metrics.len()] }
    }

    fn err(&mut self, path: &str, message: impl Into<String>, hint: impl Into<Option<String>>) {
        self.rep.error(path, message, hint.into());
    }

    fn warn(&mut self, path: &str, message: impl Into<String>, hint: impl Into<Option<String>>) {
        self.rep.warn(path, message, hint.into());
    }

    fn number(&mut self, path: &str, value: f64) -> f64 {
        if !value.is_finite() {
            self.err(path, format!("`{value}` is not a usable number"), Some("write a finite number".to_owned()));
            return 0.0;
        }
        if value.abs() > MAX_MAGNITUDE {
            self.err(
                path,
                format!("{value:e} is too large"),
                Some(format!("numbers in scenarios must lie within ±{MAX_MAGNITUDE:e}")),
            );
            return 0.0;
        }
        value
    }

    fn id(&mut self, path: &str, id: &str, kind: &str, seen: &mut BTreeMap<String, u16>, index: usize) {
        let well_formed = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && id.len() <= 64;
        if !well_formed {
            let suggestion: String =
                id.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            self.err(
                path,
                format!("{kind} id `{id}` is not a valid id"),
                Some(format!("ids are lowercase letters, digits and `_`, starting with a letter, e.g. `{suggestion}`")),
            );
        } else if RESERVED.contains(&id) {
            self.err(
                path,
                format!("`{id}` is a reserved word of the formula language"),
                Some(format!("rename it, e.g. `{id}_`")),
            );
        }
        if seen.contains_key(id) {
            self.err(path, format!("duplicate {kind} id `{id}`"), Some("every id must be unique".to_owned()));
        } else {
            seen.insert(id.to_owned(), index as u16);
        }
    }

    fn limit<T>(&mut self, path: &str, items: &[T]) {
        if items.len() > MAX_ITEMS {
            self.err(path, format!("{} items; the limit is {MAX_ITEMS}", items.len()), None);
        }
    }

    fn formula(&mut self, path: &str, src: &str) -> Option<Formula> {
        match expr::compile(src, &self.table) {
            Ok(f) => {
                for m in f.metrics_read() {
                    if let Some(r) = self.read.get_mut(m as usize) {
                        *r = true;
                    }
                }
                Some(f)
            }
            Err(e) => {
                self.rep.formula(path, e.offset, e.message, e.hint, src);
                None
            }
        }
    }

    /// Resolves a reference by id, or reports it with a did-you-mean.
    fn resolve(&mut self, path: &str, id: &str, kind: NameKind) -> Option<u16> {
        let names = match kind {
            NameKind::Metric => &self.table.metrics,
            NameKind::Mitigation => &self.table.mitigations,
            NameKind::Turn => &self.table.turns,
            NameKind::Inject | NameKind::Option => &self.table.injects,
        };
        if let Some(i) = names.get(id) {
            return Some(*i);
        }
        let hint = did_you_mean(id, names.keys().map(String::as_str)).map(|s| format!("did you mean `{s}`?"));
        let noun = match kind {
            NameKind::Metric => "metric",
            NameKind::Mitigation => "mitigation",
            NameKind::Turn => "turn",
            NameKind::Inject | NameKind::Option => "inject",
        };
        self.err(path, format!("unknown {noun} `{id}`"), hint);
        None
    }

    fn metric_ref(&mut self, path: &str, id: &str) -> Option<MetricIdx> {
        self.resolve(path, id, NameKind::Metric).map(|i| MetricIdx::at(usize::from(i)))
    }

    fn mitigation_ref(&mut self, path: &str, id: &str) -> Option<MitigationIdx> {
        self.resolve(path, id, NameKind::Mitigation).map(|i| MitigationIdx::at(usize::from(i)))
    }

    fn turn_ref(&mut self, path: &str, id: &str) -> Option<usize> {
        self.resolve(path, id, NameKind::Turn).map(usize::from)
    }

    fn inject_ref(&mut self, path: &str, id: &str) -> Option<InjectIdx> {
        self.resolve(path, id, NameKind::Inject).map(|i| InjectIdx::at(usize::from(i)))
    }

    fn option_ref(&mut self, path: &str, inject: InjectIdx, id: &str) -> Option<u16> {
        let options = &self.table.options[inject.ix()];
        if let Some(i) = options.get(id) {
            return Some(*i);
        }
        let inject_id = &self.raw.injects[inject.ix()].id;
        let hint = match did_you_mean(id, options.keys().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if options.is_empty() => format!("`{inject_id}` is not a decision: it has no options"),
            None => {
                format!("the options of `{inject_id}` are: {}", options.keys().cloned().collect::<Vec<_>>().join(", "))
            }
        };
        self.err(path, format!("unknown option `{id}` of `{inject_id}`"), Some(hint));
        None
    }

    fn effects(&mut self, path: &str, defs: &[f::EffectDef]) -> Vec<Effect> {
        self.limit(path, defs);
        let mut out = Vec::new();
        for (i, e) in defs.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let metric = self.metric_ref(&format!("{p}.metric"), &e.metric);
            let value = self.formula(&format!("{p}.value"), &e.value);
            if let (Some(metric), Some(value)) = (metric, value) {
                out.push(Effect { metric, op: e.op, value });
            }
        }
        out
    }

    fn check(mut self) -> Option<Scenario> {
        let raw = self.raw;
        if raw.format != FORMAT_VERSION {
            self.err(
                "format",
                format!("format version {} is not supported", raw.format),
                Some(format!("this version of ttx reads format {FORMAT_VERSION}")),
            );
            return None;
        }
        self.names();
        let roles = self.roles();
        let resources = self.resources();
        let metrics = self.metrics();
        self.table.bounds = metrics.iter().map(|m| (m.min, m.max)).collect();
        let turns = self.turns();
        let dynamics = self.dynamics();
        let injects = self.injects();
        let mitigations = self.mitigations(resources.action_points);
        let scoring = self.scoring();
        let history = self.history();
        let lessons = self.lessons(history.as_ref());
        for (i, a) in raw.allow.iter().enumerate() {
            if a.reason.trim().is_empty() {
                self.err(
                    &format!("allow[{i}].reason"),
                    "the reason is empty",
                    Some("say why this finding is fine here, for the next person who reads the file".to_owned()),
                );
            }
        }
        self.warn_unread(&metrics, &resources);
        self.warn_never(&injects, &mitigations, &dynamics, &turns);
        if self.rep.has_errors() {
            return None;
        }
        Some(Scenario {
            meta: raw.meta.clone(),
            resources,
            metrics,
            turns,
            dynamics,
            injects,
            mitigations,
            roles,
            scoring,
            lessons,
            allow: self.raw.allow.iter().map(|a| a.check).collect(),
            history,
            fingerprint: 0,
            translations: Default::default(),
            _checked: Checked::issued(),
        })
        .map(|mut sc| {
            sc.translations = std::sync::Arc::new(super::translate::check(&sc, &raw.translations, self.rep));
            sc
        })
    }

    /// Registers every id first, so formulas may refer to items defined later in the file.
    fn names(&mut self) {
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

    fn resources(&mut self) -> Resources {
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

    fn metrics(&mut self) -> Vec<Metric> {
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

    fn turns(&mut self) -> Vec<Turn> {
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
            out.push(Turn {
                id: t.id.clone(),
                label: t.label.clone(),
                days,
                briefing: t.briefing.clone(),
                start_day: day,
            });
            day += days;
        }
        out
    }

    fn dynamics(&mut self) -> Vec<Dynamic> {
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
    fn roles(&mut self) -> Vec<Role> {
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
    fn role_ref(&mut self, path: &str, id: &str) -> Option<RoleIdx> {
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
    fn role_refs(&mut self, path: &str, ids: &[String]) -> Vec<RoleIdx> {
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

    fn injects(&mut self) -> Vec<Inject> {
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
            });
        }
        out
    }

    fn mitigations(&mut self, points: u32) -> Vec<Mitigation> {
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

    fn check_cycles(&mut self, mits: &[Mitigation]) {
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

    fn scoring(&mut self) -> Scoring {
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

    fn history(&mut self) -> Option<History> {
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
    fn lessons(&mut self, history: Option<&History>) -> Vec<Lesson> {
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
    fn lesson_base(&mut self, p: &str, base: &f::LessonBase, history: Option<&History>) -> Option<Path> {
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
    fn lesson_moves(&mut self, p: &str, l: &f::LessonDef) -> (Vec<(String, usize, Action)>, Vec<(usize, Action)>) {
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
    fn lesson_change(
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

    /// A list of turn choices as a path.
    fn choices_path(&mut self, p: &str, choices: &[f::TurnChoicesDef]) -> Path {
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
    fn turn_choices(&mut self, p: &str, c: &f::TurnChoicesDef) -> Vec<Action> {
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

    fn warn_unread(&mut self, metrics: &[Metric], resources: &Resources) {
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

    fn warn_never(&mut self, injects: &[Inject], mits: &[Mitigation], dynamics: &[Dynamic], turns: &[Turn]) {
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

/// Resolves a strategy's per-turn choices written by id against a checked scenario.
pub fn resolve_path(scenario: &Scenario, choices: &[f::TurnChoicesDef]) -> Result<Path, String> {
    resolve_path_placed(scenario, choices, "")
        .map_err(|errs| errs.into_iter().map(|e| e.message).collect::<Vec<_>>().join("; "))
}

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
