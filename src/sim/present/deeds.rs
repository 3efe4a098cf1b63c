//! Who did what at a team's table: the deeds of a workshop's players (made, proposed,
//! accepted, declined, voted) and their lines in the record of a team or a cohort.

use crate::i18n::Tr;
use crate::sim::Scenario;
use crate::sim::play::step::{Resolved, Step};
use crate::t;

/// One thing a player did at a team's table, for the record of who did what.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deed {
    /// When, in milliseconds since the Unix epoch (the server's clock).
    pub at_ms: i64,
    pub turn: usize,
    /// The player's name, and the ids of the roles they held.
    pub who: String,
    pub roles: Vec<String>,
    pub kind: DeedKind,
    pub step: Step,
}

/// What a player did with a move.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DeedKind {
    /// Made it (their role's, or nobody's).
    Made,
    /// Proposed it to the role that owns it.
    Proposed,
    /// Accepted a proposal (by `proposer`), which made it.
    Accepted {
        proposer: String,
    },
    Declined {
        proposer: String,
    },
    /// The team's vote chose it (`by_default`: a tie or no votes).
    Voted {
        by_default: bool,
    },
}

/// One deed as a line of a record: "Wed 3 Jul 09:05 UTC · Aiko (Communications) · accepted
/// take “Tell users…”, proposed by Ken".
pub fn deed_line(sc: &Scenario, d: &Deed, tr: &Tr) -> String {
    let label = |id: &str| sc.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_owned(), |r| r.label.clone());
    let turn = sc.turns.get(d.turn).map_or("?", |x| x.label.as_str());
    let minute = d.at_ms.div_euclid(60_000).rem_euclid(24 * 60);
    let who = if d.roles.is_empty() {
        d.who.clone()
    } else {
        format!("{} ({})", d.who, d.roles.iter().map(|r| label(r)).collect::<Vec<_>>().join(", "))
    };
    let what = match d.step.resolve(sc) {
        Ok(Resolved::Act(a)) => super::view::action_text(sc, a, tr),
        _ => d.step.verb().to_owned(),
    };
    let what = match &d.kind {
        DeedKind::Made => what,
        DeedKind::Proposed => t!(tr, "cohort-deed-proposed", what = what),
        DeedKind::Accepted { proposer } => t!(tr, "cohort-deed-accepted", what = what, proposer = proposer.as_str()),
        DeedKind::Declined { proposer } => t!(tr, "cohort-deed-declined", what = what, proposer = proposer.as_str()),
        DeedKind::Voted { by_default: false } => t!(tr, "cohort-deed-voted", what = what),
        DeedKind::Voted { by_default: true } => t!(tr, "cohort-deed-vote-default", what = what),
    };
    format!("{turn} {:02}:{:02} UTC · {who} · {what}", minute / 60, minute % 60)
}
