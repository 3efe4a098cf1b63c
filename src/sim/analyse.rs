//! Analysing a scenario by playing it many times: strategy searches and balance reports,
//! lessons checked as tests, test plans, and every play-based warning (`lint`).

pub mod balance;
pub mod lesson;
pub mod lint;
pub mod plan;
