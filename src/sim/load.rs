//! Loading a scenario: the file checked by [`author::validate`](crate::sim::author::validate),
//! then its history replayed once by [`analyse::lint`](crate::sim::analyse::lint) to warn
//! about moves the game would refuse. Every front end loads scenarios through here.

use crate::sim::Diagnostics;
use crate::sim::analyse::lint;
use crate::sim::author::validate::{self, Loaded};

/// Reads, checks and loads a scenario file from disk (at most
/// [`MAX_FILE_BYTES`](validate::MAX_FILE_BYTES)).
pub fn load_file(path: &std::path::Path) -> Result<Loaded, Diagnostics> {
    validate::read_file(path, &lint::impossible_history)
}

/// Parses, checks and loads scenario text; `file` names it in diagnostics.
pub fn load_str(src: &str, file: &str) -> Result<Loaded, Diagnostics> {
    validate::read_str(src, file, &lint::impossible_history)
}
