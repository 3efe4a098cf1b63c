//! ttx: an incident-response tabletop game engine.
//!
//! `sim` is the rules engine (no Bevy) with the bundled scenarios; `files` writes files
//! safely; `cli` the terminal front end; `serve` the live workshop server; `protocol` the
//! messages between the server and the app; `app` the desktop and browser game. Nothing
//! under `sim` depends on `cli`, `protocol`, `serve` or `app`.

#[cfg(feature = "app")]
pub mod app;
pub mod cli;
pub mod files;
pub mod i18n;
pub mod protocol;
#[cfg(not(target_arch = "wasm32"))]
pub mod serve;
pub mod sim;
