//! Determinism test vectors: scenario + seed + choices ⇒ a fingerprint of the outcome log
//! and the score. The same file is checked natively (`cargo test`) and in the browser
//! (the page calls `ttx_check_vectors`), so both targets provably play the same game.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::sim::Diagnostics;
use crate::sim::author::validate::{ChoiceErrors, fingerprint, resolve_path};
use crate::sim::format::TurnChoicesDef;
use crate::sim::load_str;
use crate::sim::play::game::play_path;
use crate::sim::play::score;

/// The vectors shipped with ttx.
pub const BUNDLED: &str = include_str!("../../assets/determinism-vectors.ron");

/// One vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// A bundled scenario, by file name.
    pub scenario: String,
    pub seed: u64,
    pub choices: Vec<TurnChoicesDef>,
    /// Hex FNV-1a of the RON-serialised outcome log.
    pub log: String,
    /// The final score, exactly.
    pub score: f64,
}

/// Why the vectors cannot be checked, or the first that does not match.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error("vectors: {0}")]
    Syntax(#[from] ron::error::SpannedError),
    #[error("no bundled scenario `{0}`")]
    NoBundled(String),
    /// A bundled scenario that does not load (a broken build).
    #[error("{0}")]
    Scenario(Diagnostics),
    /// Choices naming what the scenario does not have.
    #[error("{0}")]
    Choices(#[from] ChoiceErrors),
    /// The log or the vectors could not be written out.
    #[error("{0}")]
    Write(#[from] ron::Error),
    /// The game played differently from what the vector expects.
    #[error(
        "vector {index} ({scenario} seed {seed}): log {log} score {score:?}, expected log {expected_log} score {expected_score:?}"
    )]
    Mismatch {
        index: usize,
        scenario: String,
        seed: u64,
        log: String,
        score: f64,
        expected_log: String,
        expected_score: f64,
    },
}

/// Plays a vector's game; returns the log fingerprint and the score.
pub fn run(v: &Vector) -> Result<(String, f64), VectorError> {
    let (name, text) = crate::sim::bundled::BUNDLED
        .iter()
        .find(|(n, _)| n.ends_with(&v.scenario))
        .ok_or_else(|| VectorError::NoBundled(v.scenario.clone()))?;
    let sc = Arc::new(load_str(text, name).map_err(VectorError::Scenario)?.scenario);
    let path = resolve_path(&sc, &v.choices)?;
    let game = play_path(&sc, v.seed, &path);
    let log = ron::to_string(game.log())?;
    Ok((format!("{:016x}", fingerprint(&log)), score::score(&game).total))
}

/// Checks every vector in `text`; returns how many passed, or the first mismatch.
pub fn check(text: &str) -> Result<usize, VectorError> {
    let vectors: Vec<Vector> = ron::from_str(text)?;
    for (index, v) in vectors.iter().enumerate() {
        let (log, score) = run(v)?;
        if log != v.log || score.to_bits() != v.score.to_bits() {
            return Err(VectorError::Mismatch {
                index,
                scenario: v.scenario.clone(),
                seed: v.seed,
                log,
                score,
                expected_log: v.log.clone(),
                expected_score: v.score,
            });
        }
    }
    Ok(vectors.len())
}

/// Recomputes the expected values of `text` (after a deliberate engine change).
pub fn update(text: &str) -> Result<String, VectorError> {
    let mut vectors: Vec<Vector> = ron::from_str(text)?;
    for v in &mut vectors {
        let (log, total) = run(v)?;
        v.log = log;
        v.score = total;
    }
    Ok(ron::ser::to_string_pretty(&vectors, ron::ser::PrettyConfig::new().depth_limit(3))?)
}
