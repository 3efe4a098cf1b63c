//! The one way ttx reads a file: with a size cap that holds for pipes and devices too
//! (`/dev/zero`, a FIFO), as UTF-8, and with errors that name the file and say what to do.

use std::io::Read;
use std::path::Path;

use thiserror::Error;

/// Largest scenario file.
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;
/// Largest save, result file or bundle (a save carries its scenario's text).
pub const MAX_SAVE_BYTES: u64 = 16 * 1024 * 1024;
/// Largest test plan or strategy file.
pub const MAX_PLAN_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum InputError {
    #[error("{file}: cannot read the file: {reason}")]
    Io { file: String, reason: String },
    #[error("{file}: more than {max} bytes; a {what} is at most {max} bytes (is this really a {what}?)")]
    TooLarge { file: String, what: String, max: u64 },
    #[error("{file}:{line}:{col}: the file is not UTF-8 text (save it as UTF-8)")]
    NotUtf8 { file: String, line: usize, col: usize },
}

/// Reads `path` as UTF-8 text of at most `max` bytes; `what` names the kind of file in
/// errors ("scenario", "save"). Reads at most `max + 1` bytes whatever the file is.
pub fn read_text(path: &Path, max: u64, what: &str) -> Result<String, InputError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| InputError::Io { file: file.clone(), reason: e.to_string() };
    let f = std::fs::File::open(path).map_err(io)?;
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(InputError::Io { file, reason: "it is a directory".into() });
    }
    read_bounded(f, max, what, &file)
}

/// Reads any reader as UTF-8 text of at most `max` bytes (a pipe, standard input).
pub fn read_bounded(r: impl Read, max: u64, what: &str, file: &str) -> Result<String, InputError> {
    let mut bytes = Vec::new();
    r.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Io { file: file.to_owned(), reason: e.to_string() })?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLarge { file: file.to_owned(), what: what.to_owned(), max });
    }
    text(bytes, file)
}

/// Bytes as UTF-8, or an error placed at the first bad byte.
pub fn text(bytes: Vec<u8>, file: &str) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Everything before the bad byte is valid UTF-8 by definition.
        let before = std::str::from_utf8(good).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        InputError::NotUtf8 { file: file.to_owned(), line, col }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_hold_for_endless_readers_and_bad_bytes_are_placed() {
        let endless = std::io::repeat(b'x');
        let e = read_bounded(endless, 1000, "save", "<stdin>").expect_err("capped");
        assert!(matches!(e, InputError::TooLarge { max: 1000, .. }), "{e}");
        let e = text(b"ok\nab\xffc".to_vec(), "f.ron").expect_err("not utf-8");
        assert_eq!(e, InputError::NotUtf8 { file: "f.ron".into(), line: 2, col: 3 });
        assert_eq!(read_bounded(&b"fine"[..], 4, "plan", "p").as_deref(), Ok("fine"));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_read_only_up_to_the_cap() {
        let e = read_text(Path::new("/dev/zero"), 4096, "scenario").expect_err("capped");
        assert!(matches!(e, InputError::TooLarge { .. }), "{e}");
    }
}
