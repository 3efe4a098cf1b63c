//! Authoring: from a scenario file to a checked [`Scenario`](crate::sim::Scenario) — reading
//! files, placing and reporting problems, checking every field, the scenario's translations
//! and whether the fonts draw its text. Nothing here plays a game.

pub mod diag;
pub mod glyphs;
pub mod input;
pub mod locate;
pub mod translate;
pub mod validate;
