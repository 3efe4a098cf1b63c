//! Turns a RON scenario file into a checked [`Scenario`], reporting every problem at once.
//!
//! Syntax errors come from `ron` with their position; semantic errors (unknown ids, bad
//! bounds, broken formulas) are placed with the field path scanner in `locate`. Warnings
//! flag things that can never happen.

mod choices;
mod media;
mod model;
mod story;

use std::collections::BTreeMap;

use crate::sim::author::diag::{Diagnostic, Diagnostics, Reporter, Severity, did_you_mean};
use crate::sim::author::locate::{Locations, Pos};
use crate::sim::expr::{self, Formula, NameKind, Names};
use crate::sim::format::{self as f, FORMAT_VERSION, ScenarioFile};
use crate::sim::scenario::*;

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
/// Most entries on a turn's agenda, and the longest entry in characters (it is drawn in
/// the turn's box on the timeline).
pub const MAX_AGENDA: usize = 4;
pub const MAX_AGENDA_CHARS: usize = 60;

/// A validated scenario and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    pub warnings: Vec<Diagnostic>,
}

/// What a loader adds to the warnings of a checked scenario (after the checks, before the
/// glyph warnings): [`crate::sim::load_str`] replays the history here. Checking itself
/// plays no game.
pub type Then<'f> = &'f dyn Fn(&Scenario, &ScenarioFile, &mut Reporter<'_>);

/// Reads and checks a scenario file from disk (at most [`MAX_FILE_BYTES`], whatever the
/// file is: a pipe or a device stops at the cap); `then` adds warnings to a good one.
pub fn read_file(path: &std::path::Path, then: Then<'_>) -> Result<Loaded, Diagnostics> {
    let name = path.display().to_string();
    let src = crate::sim::author::input::read_text(path, MAX_FILE_BYTES as u64, "scenario").map_err(|e| {
        let (line, col, hint) = match &e {
            crate::sim::author::input::InputError::NotUtf8 { line, col, .. } => (*line, *col, "save the file as UTF-8"),
            crate::sim::author::input::InputError::TooLarge { .. } => (0, 0, "is this really a scenario file?"),
            crate::sim::author::input::InputError::Io { .. } => (0, 0, "check the path"),
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
    read_str(&src, &name, then)
}

/// Parses and checks scenario text; `file` names it in diagnostics; `then` adds warnings to
/// a good one.
pub fn read_str(src: &str, file: &str, then: Then<'_>) -> Result<Loaded, Diagnostics> {
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
            then(&scenario, &raw, &mut rep);
            crate::sim::author::glyphs::warn_undrawable(src, &mut rep);
            Ok(Loaded { scenario, warnings: rep.finish() })
        }
        None => Err(Diagnostics(rep.finish())),
    }
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
            sc.translations =
                std::sync::Arc::new(crate::sim::author::translate::check(&sc, &raw.translations, self.rep));
            sc
        })
    }
}

pub use choices::{ChoiceError, ChoiceErrors, resolve_path, resolve_path_placed};
