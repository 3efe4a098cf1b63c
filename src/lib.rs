//! ttx: an incident-response tabletop game engine.
//!
//! `sim` is the rules engine (no Bevy) with the bundled scenarios; `files` writes files
//! safely; `cli` the terminal front end; `app` the desktop and browser game. Nothing under
//! `sim` depends on `cli` or `app`.

#[cfg(feature = "app")]
pub mod app;
pub mod cli;
pub mod files;
pub mod i18n;
pub mod sim;
