//! Writing files so that a crash or a full disk never leaves a half-written save behind.

use std::path::Path;

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: readers see
/// the old file or the new one, never a mix. The file's bytes reach the disk before the
/// rename, and the rename itself (the folder) after it, so a power cut leaves the old save
/// or the new one, not an empty file under the save's name.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let tmp = path.with_extension("tmp");
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    sync_folder(path)
}

/// Makes a rename in `path`'s folder durable (on Unix, by syncing the folder itself).
#[cfg(unix)]
fn sync_folder(path: &Path) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::File::open(folder)?.sync_all()
}

/// Elsewhere a folder cannot be opened to sync it; the file itself was synced.
#[cfg(not(unix))]
fn sync_folder(_path: &Path) -> std::io::Result<()> {
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The file holds the new text, the temporary file is gone, and a folder that does
    /// not exist is an error, not a panic.
    #[test]
    fn a_file_is_replaced_whole_and_its_temporary_file_goes() {
        let dir = std::env::temp_dir().join(format!("ttx-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("save.ron");
        write_atomic(&path, "first").expect("written");
        write_atomic(&path, "second, longer").expect("rewritten");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "second, longer");
        assert!(!path.with_extension("tmp").exists());
        assert!(write_atomic(&dir.join("no such folder").join("x.ron"), "x").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
