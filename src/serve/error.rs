//! The server's own errors, typed (each prints the words it always has): drawing tokens
//! and codes, rebuilding a stored session, a failed write, a bundled scenario not found;
//! and the JSON answer an HTTP refusal carries.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use thiserror::Error;

use super::store::StoreError;
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

/// No bundled scenario has the file name asked for.
#[derive(Debug, Error)]
#[error("no bundled scenario `{wanted}`: one of {known}")]
pub struct NoSuchBundled {
    pub wanted: String,
    /// The bundled file names, comma-separated.
    pub known: String,
}

/// An HTTP refusal: the status and `{"error": message}`.
pub(super) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}
