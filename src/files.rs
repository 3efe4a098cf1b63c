//! Writing files so that a crash or a full disk never leaves a half-written save behind.

use std::path::Path;

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: readers see
/// the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
