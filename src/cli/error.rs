//! The one error type of the `ttx` commands: `main` prints it once and exits with its code.

use std::path::PathBuf;

use crate::sim::Diagnostics;

/// Why a command cannot do its work. Printed after `error: `, except placed diagnostics,
/// which carry their own severity, and findings a command has already printed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] crate::sim::author::input::InputError),
    #[error("{file}:{source}")]
    SaveSyntax { file: String, source: crate::sim::play::save::SaveError },
    #[error("{file}: {source}")]
    Save { file: String, source: crate::sim::play::save::SaveError },
    #[error("{file}: no bundled scenario has the id `{id}`\n  = help: pass the scenario file with --scenario")]
    NoBundled { file: String, id: String },
    /// Diagnostics placed at file:line:col (a scenario, a strategy).
    #[error("{0}")]
    Placed(#[from] Diagnostics),
    /// Flags that do not fit the input (exit code 2, as clap's own usage errors).
    #[error("{message}{}", hint.as_ref().map(|h| format!("\n  = hint: {h}")).unwrap_or_default())]
    Usage { message: String, hint: Option<String> },
    /// A file or folder that cannot be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    /// A save that cannot be written (serialised or stored).
    #[error("cannot write the save to {}: {reason}", path.display())]
    SaveWrite { path: PathBuf, reason: String },
    #[error("standard input: {0}")]
    Stdin(#[from] LineError),
    #[error("the translation template cannot be written: {0}")]
    Template(ron::Error),
    /// A report that cannot be written as JSON.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the scenario has no `history` to calibrate against")]
    NoHistory,
    #[error("{0}")]
    Teams(#[from] crate::sim::present::teams::TeamError),
    #[error("{0}")]
    Cohort(#[from] crate::sim::present::cohort::CohortError),
    /// The determinism vectors: a mismatch or an unreadable file.
    #[error("{0}")]
    Vectors(#[from] crate::sim::vectors::VectorError),
    #[error("{}: no such workshop database (hint: the file `ttx serve --db` names)", .0.display())]
    NoDatabase(PathBuf),
    #[error("{}: no workshop to report on", .0.display())]
    NoWorkshops(PathBuf),
    #[cfg(not(target_arch = "wasm32"))]
    #[error("{}: {source}", path.display())]
    Database { path: PathBuf, source: crate::serve::store::StoreError },
    /// The workshop server cannot start: its certificate, scenario, runtime or socket.
    #[cfg(not(target_arch = "wasm32"))]
    #[error("{0}")]
    Serve(String),
    /// The command printed its findings (a scenario with errors, a failing plan).
    #[error("the command reported failures")]
    Reported,
    /// This build has no desktop game.
    #[error(
        "This build of ttx has no desktop game (built without the `app` feature).\nPlay in the terminal: ttx play --text [FILE]   (ttx --help lists every command)"
    )]
    NoDesktop,
    /// The desktop game ended with this exit code (its own errors are shown in its window).
    #[error("the desktop game ended with exit code {0}")]
    Desktop(i32),
}

impl Error {
    /// Prints the error the way `ttx` prints every error (nothing for what is already said).
    pub fn print(&self) {
        match self {
            Self::Placed(d) => eprintln!("{d}"),
            Self::Reported | Self::Desktop(_) => {}
            Self::NoDesktop => eprintln!("{self}"),
            e => eprintln!("error: {e}"),
        }
    }

    /// The process's exit code: 2 for usage, the game's own, else 1.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Usage { .. } | Self::NoDesktop => 2,
            Self::Desktop(code) => *code,
            _ => 1,
        }
    }

    /// A file that cannot be written.
    pub(super) fn write(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io { action: "write", path: path.to_path_buf(), source }
    }
}

/// Runs a command's result to its end: prints the error once; the process's exit code.
pub fn exit_code(result: Result<(), Error>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            e.print();
            e.exit_code()
        }
    }
}

/// Why `play --text` stops reading its input.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("{0}")]
    Read(#[from] std::io::Error),
    #[error("line {line} is longer than {most} bytes")]
    TooLong { line: usize, most: u64 },
    #[error("more than {most} lines of input")]
    TooMany { most: usize },
    #[error("line {line} is not UTF-8 text")]
    NotUtf8 { line: usize },
}
