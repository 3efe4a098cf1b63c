//! Lessons as tests: a scenario states what it teaches ("two-step verification before launch
//! saves victims") as a change to a base strategy and its expected consequences, and this
//! module plays both paths on the same seeds and says whether the claim holds.

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use super::game::Game;
use super::scenario::{Expectation, Lesson, Scenario, Target};
use super::score::total;

/// A comparison holds when it goes the expected way on at least this share of seeds (and on
/// average); a condition, when it holds at the end of that share of games.
pub const HOLD_SHARE: f64 = 0.9;

/// The result of checking one lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub id: String,
    pub claim: String,
    pub holds: bool,
    /// One line per expectation, with the figures: "score 29.6 → 41.2 (+11.6 on average),
    /// higher on 100% of 100 seeds".
    pub findings: Vec<String>,
}

/// Plays a lesson's base and changed paths on seeds `0..seeds` and checks every expectation.
pub fn check(sc: &Arc<Scenario>, lesson: &Lesson) -> Verdict {
    check_seeds(sc, lesson, lesson.seeds)
}

/// [`check`] on seeds `0..n` (fewer than the lesson's own, within a budget).
pub fn check_seeds(sc: &Arc<Scenario>, lesson: &Lesson, n: u64) -> Verdict {
    let n = n.max(1);
    let mut base_games = Vec::new();
    let mut changed_games = Vec::new();
    let mut refused = None;
    for seed in 0..n {
        let mut base = Game::new_fast(Arc::clone(sc), seed);
        base.play_out(&lesson.base);
        let mut changed = Game::new_fast(Arc::clone(sc), seed);
        while !changed.is_finished() {
            let t = changed.turn();
            for &a in lesson.changed.on(t) {
                if let Err(lock) = changed.act(a)
                    && refused.is_none()
                    && lesson.added.contains(&(t, a))
                {
                    refused =
                        Some(format!("on seed {seed}, {}: {} was refused ({lock})", sc.turns[t].label, sc.describe(a)));
                }
            }
            changed.end_turn();
        }
        base_games.push(base);
        changed_games.push(changed);
    }
    let mut findings = Vec::new();
    let mut holds = true;
    if let Some(why) = refused {
        holds = false;
        findings
            .push(format!("the change cannot be played as written ({why}): move it to a turn where it is possible"));
    }
    for e in &lesson.expect {
        let (ok, line) = match e {
            Expectation::Higher(t) | Expectation::Lower(t) => {
                let higher = matches!(e, Expectation::Higher(_));
                let value = |g: &Game| match t {
                    Target::Score => total(g),
                    Target::Metric(m) => g.metrics()[m.ix()],
                };
                let (mut right_way, mut sum_base, mut sum_changed) = (0u64, 0.0, 0.0);
                for (b, c) in base_games.iter().zip(&changed_games) {
                    let (vb, vc) = (value(b), value(c));
                    sum_base += vb;
                    sum_changed += vc;
                    if (higher && vc > vb) || (!higher && vc < vb) {
                        right_way += 1;
                    }
                }
                let (mb, mc) = (sum_base / n as f64, sum_changed / n as f64);
                let share = right_way as f64 / n as f64;
                let ok = share >= HOLD_SHARE && if higher { mc > mb } else { mc < mb };
                let name = match t {
                    Target::Score => "score",
                    Target::Metric(m) => sc.metrics[m.ix()].id.as_str(),
                };
                let fmt = |v: f64| match t {
                    Target::Metric(m) => sc.metrics[m.ix()].format(v),
                    Target::Score => format!("{v:.1}"),
                };
                let mut line = format!(
                    "{name} {} → {} on average ({}{}), {} on {:.0}% of {n} seeds",
                    fmt(mb),
                    fmt(mc),
                    if mc >= mb { "+" } else { "−" },
                    fmt((mc - mb).abs()),
                    if higher { "higher" } else { "lower" },
                    100.0 * share
                );
                if !ok {
                    let _ = write!(
                        line,
                        ": expected {} on at least {:.0}%",
                        if higher { "higher" } else { "lower" },
                        100.0 * HOLD_SHARE
                    );
                }
                (ok, line)
            }
            Expectation::Holds(f, src) => {
                let yes = changed_games.iter().filter(|g| g.eval(f) != 0.0).count() as f64 / n as f64;
                let mut line = format!("`{src}` holds at the end of {:.0}% of {n} games", 100.0 * yes);
                let ok = yes >= HOLD_SHARE;
                if !ok {
                    let _ = write!(line, ": expected at least {:.0}%", 100.0 * HOLD_SHARE);
                }
                (ok, line)
            }
        };
        holds &= ok;
        findings.push(line);
    }
    Verdict { id: lesson.id.clone(), claim: lesson.claim.clone(), holds, findings }
}

/// Checks every lesson of a scenario, in file order.
pub fn check_all(sc: &Arc<Scenario>) -> Vec<Verdict> {
    sc.lessons.iter().map(|l| check(sc, l)).collect()
}
