//! The rules engine: scenario format, validation, the deterministic game, scoring and saves.
//!
//! Nothing here knows about Bevy; it runs headless in the CLI, in tests and in benchmarks.

pub mod balance;
pub mod bundled;
pub mod change;
pub mod cohort;
pub mod debrief;
pub mod diag;
pub mod expr;
pub mod format;
pub mod game;
pub mod glyphs;
pub mod input;
pub mod lesson;
pub mod lint;
pub mod locate;
pub mod plan;
pub mod player;
pub mod report;
pub mod save;
pub mod scenario;
pub mod score;
pub mod step;
pub mod teams;
pub mod translate;
pub mod validate;
pub mod vectors;
pub mod view;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use game::{CardState, Cause, Game, Lock, Outcome, RandomBot, path_of, play_path};
pub use scenario::{Action, InjectIdx, MetricIdx, MitigationIdx, Path, Scenario};
pub use step::{Step, StepAt, StepError};
pub use validate::{Loaded, load_file, load_str};
