//! Determinism test vectors: scenario + seed + choices ⇒ a fingerprint of the outcome log
//! and the score. The same file is checked natively (`cargo test`) and in the browser
//! (the page calls `ttx_check_vectors`), so both targets provably play the same game.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::sim::author::validate::{fingerprint, resolve_path};
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

/// Plays a vector's game; returns the log fingerprint and the score.
pub fn run(v: &Vector) -> Result<(String, f64), String> {
    let (name, text) = crate::sim::bundled::BUNDLED
        .iter()
        .find(|(n, _)| n.ends_with(&v.scenario))
        .ok_or_else(|| format!("no bundled scenario `{}`", v.scenario))?;
    let sc = Arc::new(load_str(text, name).map_err(|d| d.to_string())?.scenario);
    let path = resolve_path(&sc, &v.choices)?;
    let game = play_path(&sc, v.seed, &path);
    let log = ron::to_string(game.log()).map_err(|e| e.to_string())?;
    Ok((format!("{:016x}", fingerprint(&log)), score::score(&game).total))
}

/// Checks every vector in `text`; returns how many passed, or the first mismatch.
pub fn check(text: &str) -> Result<usize, String> {
    let vectors: Vec<Vector> = ron::from_str(text).map_err(|e| format!("vectors: {e}"))?;
    for (i, v) in vectors.iter().enumerate() {
        let (log, total) = run(v)?;
        if log != v.log || total.to_bits() != v.score.to_bits() {
            return Err(format!(
                "vector {i} ({} seed {}): log {log} score {total:?}, expected log {} score {:?}",
                v.scenario, v.seed, v.log, v.score
            ));
        }
    }
    Ok(vectors.len())
}

/// Recomputes the expected values of `text` (after a deliberate engine change).
pub fn update(text: &str) -> Result<String, String> {
    let mut vectors: Vec<Vector> = ron::from_str(text).map_err(|e| format!("vectors: {e}"))?;
    for v in &mut vectors {
        let (log, total) = run(v)?;
        v.log = log;
        v.score = total;
    }
    ron::ser::to_string_pretty(&vectors, ron::ser::PrettyConfig::new().depth_limit(3)).map_err(|e| e.to_string())
}
