//! The server's own errors, typed (each prints the words it always has): drawing tokens
//! and codes, rebuilding a stored session, a failed write, a bundled scenario not found.

use thiserror::Error;

use super::store::StoreError;
use super::workshop::{MAX_TEAM_NAME, MAX_TEAMS};
use crate::sim::Diagnostics;
use crate::sim::play::step::StepError;

/// A token or a team's code could not be drawn.
#[derive(Debug, Error)]
pub enum DrawError {
    #[error("no random numbers from the system: {0}")]
    NoRandom(#[from] getrandom::Error),
    /// Ten codes in a row were taken: a broken random source.
    #[error("no unused team code could be drawn")]
    NoUnusedCode,
}

/// Why a stored session cannot be played again.
#[derive(Debug, Error)]
pub enum RebuildError {
    /// Its scenario no longer validates.
    #[error("{0}")]
    Scenario(Diagnostics),
    #[error("the database holds a step that is not one: {0}")]
    Unreadable(String),
    #[error("team “{team}”, step {step}: {why}")]
    Step { team: String, step: usize, why: StepError },
    #[error("it is no longer in the database")]
    Gone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Steps that could not be stored, so were not taken.
#[derive(Debug, Error)]
pub enum CommitError {
    #[error("not saved, so not done: {0}")]
    NotSaved(#[from] StoreError),
    /// A table event (a vote's end) was refused: its message.
    #[error("{}", .0.message)]
    Refused(crate::protocol::Refusal),
}

/// Team names a session cannot have.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TeamNameError {
    /// How many were given.
    #[error("a session has 1 to {MAX_TEAMS} teams, not {0}")]
    Count(usize),
    #[error("“{0}” is not a team name (1 to {MAX_TEAM_NAME} printable characters, not `*`)")]
    NotAName(String),
    #[error("two teams are called “{0}”")]
    Twice(String),
}

/// No bundled scenario has the file name asked for.
#[derive(Debug, Error)]
#[error("no bundled scenario `{wanted}`: one of {known}")]
pub struct NoSuchBundled {
    pub wanted: String,
    /// The bundled file names, comma-separated.
    pub known: String,
}
