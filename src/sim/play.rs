//! Playing: the deterministic game and its rules, the typed steps that change it, saved
//! games, and the score with its explanations.

pub mod bot;
pub mod game;
pub mod save;
pub mod score;
pub mod step;
