//! ttx: an incident-response tabletop game engine.
//!
//! `sim` is the rules engine (no Bevy); `cli` the terminal front end; `app` the desktop
//! and browser game on top of both.

#[cfg(feature = "app")]
pub mod app;
pub mod cli;
pub mod sim;
