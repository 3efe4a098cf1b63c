//! Where saves and settings live: files in the data directory on the desktop, the
//! browser's localStorage on the web. Writes are atomic on disk; nothing is ever deleted.

use std::path::PathBuf;

use crate::i18n::Tr;

/// A place to keep small text records by key ("autosave.ron", "settings.ron").
#[derive(Debug, Clone, PartialEq)]
pub enum Store {
    /// A directory on disk.
    Dir(PathBuf),
    /// The browser's localStorage, keys prefixed with `ttx/`.
    #[cfg(target_arch = "wasm32")]
    Browser,
}

impl Store {
    /// The platform's usual place: the data directory, or the browser's storage.
    pub fn platform() -> Option<Self> {
        #[cfg(target_arch = "wasm32")]
        {
            Some(Self::Browser)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            data_dir().map(Self::Dir)
        }
    }

    /// Where it is, for players.
    pub fn describe(&self, tr: &Tr) -> String {
        match self {
            Self::Dir(d) => {
                let _ = tr;
                d.display().to_string()
            }
            #[cfg(target_arch = "wasm32")]
            Self::Browser => crate::t!(tr, "store-browser"),
        }
    }

    pub fn read(&self, key: &str) -> Option<String> {
        match self {
            Self::Dir(d) => {
                crate::sim::author::input::read_text(&d.join(key), crate::sim::author::input::MAX_SAVE_BYTES, key).ok()
            }
            #[cfg(target_arch = "wasm32")]
            Self::Browser => local_storage()?.get_item(&format!("ttx/{key}")).ok().flatten(),
        }
    }

    pub fn exists(&self, key: &str) -> bool {
        match self {
            Self::Dir(d) => d.join(key).exists(),
            #[cfg(target_arch = "wasm32")]
            Self::Browser => self.read(key).is_some(),
        }
    }

    /// Writes a record; on disk by way of a temporary file and a rename.
    pub fn write(&self, key: &str, text: &str) -> Result<(), StoreError> {
        match self {
            Self::Dir(d) => {
                let io = |source| StoreError::Io { path: d.join(key), source };
                std::fs::create_dir_all(d).map_err(io)?;
                crate::files::write_atomic(&d.join(key), text).map_err(io)
            }
            #[cfg(target_arch = "wasm32")]
            Self::Browser => local_storage()
                .ok_or(StoreError::NoLocalStorage)?
                .set_item(&format!("ttx/{key}"), text)
                .map_err(|_| StoreError::Refused),
        }
    }

    /// Moves a record aside under a new key (never deletes it); returns where it went.
    pub fn keep_aside(&self, key: &str) -> Option<String> {
        let text = self.read(key)?;
        let aside = (1..1000).map(|n| format!("{key}.broken-{n}")).find(|k| !self.exists(k))?;
        match self {
            Self::Dir(d) => std::fs::rename(d.join(key), d.join(&aside)).ok()?,
            #[cfg(target_arch = "wasm32")]
            Self::Browser => {
                self.write(&aside, &text).ok()?;
                local_storage()?.remove_item(&format!("ttx/{key}")).ok()?;
            }
        }
        let _ = text;
        Some(match self {
            Self::Dir(d) => d.join(&aside).display().to_string(),
            #[cfg(target_arch = "wasm32")]
            Self::Browser => aside,
        })
    }
}

/// Why a record could not be kept (its `Display` is the English of [`StoreError::text`]).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[cfg(target_arch = "wasm32")]
    #[error("this browser has no local storage")]
    NoLocalStorage,
    #[cfg(target_arch = "wasm32")]
    #[error("the browser refused to store it (storage full or disabled)")]
    Refused,
}

impl StoreError {
    /// Why, in the player's language.
    pub fn text(&self, tr: &Tr) -> String {
        match self {
            // The system's own words for what went wrong, after the path.
            Self::Io { .. } => {
                let _ = tr;
                self.to_string()
            }
            #[cfg(target_arch = "wasm32")]
            Self::NoLocalStorage => crate::t!(tr, "store-no-local-storage"),
            #[cfg(target_arch = "wasm32")]
            Self::Refused => crate::t!(tr, "store-refused"),
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(not(target_arch = "wasm32"))]
pub use crate::files::data_dir;
