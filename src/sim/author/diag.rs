//! Diagnostics about scenario files: what is wrong, where (file, line:column, field path),
//! and how to fix it, rendered like rustc's or as JSON.

use std::fmt;

use serde::Serialize;

use crate::sim::author::locate::{Locations, Pos};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Information about the check itself (e.g. it ran on a sample), not about the file.
    Note,
}

/// One finding about a scenario file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based; 0 when unknown.
    pub line: usize,
    pub col: usize,
    /// How many characters the caret underlines.
    pub len: usize,
    /// The field path, e.g. `injects[4].effects[1].metric`; empty for the whole file.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// The source line (or, for a long line, the part around the column), for display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Characters of `source_line` before the caret.
    #[serde(skip)]
    pub caret: usize,
}

/// Most diagnostics kept for one file; the rest are counted in a last line.
pub const MAX_DIAGNOSTICS: usize = 200;
/// Longest part of a source line kept with a diagnostic (around its column).
const SOURCE_WINDOW: usize = 160;
/// Names longer than this get no "did you mean": no real id is that long.
const MAX_SUGGEST_LEN: usize = 64;
/// Most known names compared for a suggestion.
const MAX_SUGGEST_CANDIDATES: usize = 5_000;

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        writeln!(f, "{kind}: {}", self.message)?;
        let gutter = " ".repeat(self.line.to_string().len());
        if self.line > 0 {
            writeln!(f, "{gutter}--> {}:{}:{}", self.file, self.line, self.col)?;
        } else {
            writeln!(f, "{gutter}--> {}", self.file)?;
        }
        if let Some(src) = &self.source_line {
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{} | {}", self.line, src.trim_end())?;
            let pad: String = src.chars().take(self.caret).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            writeln!(f, "{gutter} | {pad}{}", "^".repeat(self.len.max(1)))?;
        }
        if !self.path.is_empty() {
            writeln!(f, "{gutter} = at: {}", self.path)?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "{gutter} = help: {h}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics for one file, placing each by its field path.
#[derive(Debug)]
pub struct Reporter<'a> {
    file: String,
    src: &'a str,
    locations: Option<Locations>,
    /// Byte offset of every line start, built on first use.
    line_starts: Option<Vec<usize>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics past [`MAX_DIAGNOSTICS`]: (errors, warnings).
    dropped: (usize, usize),
}

impl<'a> Reporter<'a> {
    pub fn new(file: &str, src: &'a str) -> Self {
        Self {
            file: file.to_owned(),
            src,
            locations: None,
            line_starts: None,
            diagnostics: Vec::new(),
            dropped: (0, 0),
        }
    }

    /// The source line `line` (1-based), cut to a window around `col`, and the caret's
    /// offset in it.
    fn source_window(&mut self, line: usize, col: usize) -> Option<(String, usize)> {
        let src = self.src;
        let starts = self
            .line_starts
            .get_or_insert_with(|| std::iter::once(0).chain(src.match_indices('\n').map(|(i, _)| i + 1)).collect());
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(src.len(), |e| e.saturating_sub(1));
        let text = src.get(start..end)?;
        let before = col.saturating_sub(1);
        let skip = before.saturating_sub(SOURCE_WINDOW / 2);
        let mut window: String = text.chars().skip(skip).take(SOURCE_WINDOW).collect();
        let mut caret = before - skip;
        if skip > 0 {
            window.insert_str(0, "… ");
            caret += 2;
        }
        if text.chars().count() > skip + SOURCE_WINDOW {
            window.push_str(" …");
        }
        Some((window, caret))
    }

    /// Everything reported, with a last line counting what was left out past the cap.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let (errors, warnings) = self.dropped;
        if errors + warnings > 0 {
            self.diagnostics.push(Diagnostic {
                severity: if errors > 0 { Severity::Error } else { Severity::Warning },
                file: self.file.clone(),
                line: 0,
                col: 0,
                len: 0,
                path: String::new(),
                message: format!("… and {errors} more error(s) and {warnings} more warning(s) not shown"),
                hint: Some(format!("the first {MAX_DIAGNOSTICS} are above: fix them and check again")),
                source_line: None,
                caret: 0,
            });
        }
        self.diagnostics
    }

    fn locations(&mut self) -> &Locations {
        let src = self.src;
        self.locations.get_or_insert_with(|| Locations::scan(src))
    }

    /// The field path of the value at or before `pos`.
    pub fn path_at(&mut self, pos: Pos) -> String {
        self.locations().path_before(pos).unwrap_or_default().to_owned()
    }

    /// A diagnostic at an explicit position.
    pub fn at(&mut self, severity: Severity, pos: Pos, len: usize, path: &str, message: String, hint: Option<String>) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            match severity {
                Severity::Error => self.dropped.0 += 1,
                Severity::Warning | Severity::Note => self.dropped.1 += 1,
            }
            return;
        }
        let (source_line, caret) = match self.source_window(pos.line, pos.col) {
            Some((s, c)) => (Some(s), c),
            None => (None, 0),
        };
        let len = len.min(SOURCE_WINDOW);
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.file.clone(),
            line: pos.line,
            col: pos.col,
            len,
            path: path.to_owned(),
            message,
            hint,
            source_line,
            caret,
        });
    }

    /// A diagnostic about the value at `path`, underlining it.
    pub fn field(&mut self, severity: Severity, path: &str, message: impl Into<String>, hint: Option<String>) {
        let (pos, len) = match self.locations().find(path) {
            Some(spot) => (spot.pos, spot.raw.chars().count()),
            None => (Pos::default(), 0),
        };
        self.at(severity, pos, len, path, message.into(), hint);
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        self.field(Severity::Error, path, message, hint);
    }

    pub fn warn(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        self.field(Severity::Warning, path, message, hint);
    }

    pub fn note(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        self.field(Severity::Note, path, message, hint);
    }

    /// An error inside a formula string: the caret goes under the faulty part.
    pub fn formula(&mut self, path: &str, offset: usize, message: String, hint: Option<String>, formula: &str) {
        let spot = self.locations().find(path).cloned();
        let Some(spot) = spot else {
            return self.at(Severity::Error, Pos::default(), 0, path, message, hint);
        };
        // Exact only when the literal is written plainly ("..." without escapes).
        let plain = format!("\"{formula}\"");
        let (pos, len) = if spot.raw == plain {
            let col = spot.pos.col + 1 + formula[..offset.min(formula.len())].chars().count();
            let rest = &formula[offset.min(formula.len())..];
            let len = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').count().max(1);
            (Pos { line: spot.pos.line, col }, len)
        } else {
            (spot.pos, spot.raw.chars().count())
        };
        self.at(Severity::Error, pos, len, path, message, hint);
    }

    pub fn has_errors(&self) -> bool {
        self.dropped.0 > 0 || self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// All diagnostics of a failed load, printable as one block.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let errors = self.errors().count();
        let warnings = self.0.iter().filter(|d| d.severity == Severity::Warning).count();
        write!(f, "{errors} error(s), {warnings} warning(s)")
    }
}

impl std::error::Error for Diagnostics {}

/// Edit-distance suggestion among known names.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    if name.chars().count() > MAX_SUGGEST_LEN {
        return None;
    }
    known
        .into_iter()
        .take(MAX_SUGGEST_CANDIDATES)
        .filter(|k| k.len() <= 4 * MAX_SUGGEST_LEN)
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.to_owned())
}
