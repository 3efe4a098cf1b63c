//! The rules engine: scenario format, validation, the deterministic game, scoring and saves.
//!
//! Nothing here knows about Bevy; it runs headless in the CLI, in tests and in benchmarks.
//! In folders by job, each using only what is listed before it (`tests/house.rs` checks
//! that no two modules use each other, directly or round a circle):
//!
//! - `format`, `expr`, `scenario`: what a scenario is — the file's types, the formula
//!   language, the checked model;
//! - `author`: from a file to a checked scenario (reading, diagnostics, every check,
//!   translations, glyphs), without playing a game;
//! - `play`: the game and its rules, typed steps, saves, the score;
//! - `analyse`: playing many games — strategy searches, lessons, test plans and every
//!   play-based warning;
//! - `present`: typed views of a game, the players' views, reports, leaderboards, cohorts;
//! - `load`, `bundled`, `vectors`: loading a scenario (checked, then its history replayed),
//!   the scenarios shipped with ttx, and the determinism test vectors.

pub mod analyse;
pub mod author;
pub mod bundled;
pub mod expr;
pub mod format;
pub mod load;
pub mod play;
pub mod present;
pub mod scenario;
pub mod vectors;

pub use author::diag::{Diagnostic, Diagnostics, Severity};
pub use author::validate::Loaded;
pub use load::{load_file, load_str};
pub use play::bot::RandomBot;
pub use play::game::{CardState, Cause, Game, Lock, Missing, Outcome, path_of, play_path};
pub use play::step::{Step, StepAt, StepError};
pub use scenario::{Action, InjectIdx, MetricIdx, MitigationIdx, Path, Scenario};
