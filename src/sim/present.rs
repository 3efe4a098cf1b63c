//! Presenting games: typed views of a game for the screens, the players' views, the
//! debrief report, team leaderboards, who did what at a table, and the cohort report.

pub mod biggest;
pub mod change;
pub mod cohort;
pub mod console;
pub mod dashboard;
pub mod debrief;
pub mod deeds;
pub mod media;
pub mod player;
pub mod report;
pub mod teams;
pub mod view;
pub mod week;
