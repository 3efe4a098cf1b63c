//! Writing files so that a crash or a full disk never leaves a half-written save behind.

use std::path::Path;

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: readers see
/// the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// The platform's data directory for ttx (`TTX_DATA_DIR` overrides it).
#[cfg(not(target_arch = "wasm32"))]
pub fn data_dir() -> Option<std::path::PathBuf> {
    if let Ok(d) = std::env::var("TTX_DATA_DIR") {
        return Some(std::path::PathBuf::from(d));
    }
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    if cfg!(target_os = "windows") {
        return std::env::var_os("APPDATA").map(|a| std::path::PathBuf::from(a).join("ttx"));
    }
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library/Application Support/ttx"));
    }
    match std::env::var_os("XDG_DATA_HOME") {
        Some(x) => Some(std::path::PathBuf::from(x).join("ttx")),
        None => home.map(|h| h.join(".local/share/ttx")),
    }
}
