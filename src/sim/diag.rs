//! Diagnostics about scenario files: what is wrong, where (file, line:column, field path),
//! and how to fix it, rendered like rustc's or as JSON.

use std::fmt;

use serde::Serialize;

use super::locate::{Locations, Pos};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
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
    /// The source line, for display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

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
            let pad: String =
                src.chars().take(self.col.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
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
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &str, src: &'a str) -> Self {
        Self { file: file.to_owned(), src, locations: None, diagnostics: Vec::new() }
    }

    fn locations(&mut self) -> &Locations {
        let src = self.src;
        self.locations.get_or_insert_with(|| Locations::scan(src))
    }

    /// A diagnostic at an explicit position.
    pub fn at(&mut self, severity: Severity, pos: Pos, len: usize, path: &str, message: String, hint: Option<String>) {
        let source_line = (pos.line > 0).then(|| self.src.lines().nth(pos.line - 1).map(str::to_owned)).flatten();
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
        self.diagnostics.iter().any(Diagnostic::is_error)
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
        let warnings = self.0.len() - errors;
        write!(f, "{errors} error(s), {warnings} warning(s)")
    }
}

impl std::error::Error for Diagnostics {}

/// Edit-distance suggestion among known names.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.to_owned())
}
