//! Lessons as tests: a scenario states what it teaches ("two-step verification before launch
//! saves victims") as a change to a base strategy and its expected consequences, and this
//! module plays both paths on the same seeds and says whether the claim holds.

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use crate::sim::play::game::Game;
use crate::sim::play::score::total;
use crate::sim::scenario::{Expectation, Lesson, Path, Scenario, Size, Target};

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

/// Plays a lesson's base and changed paths on its seeds and checks every expectation.
pub fn check(sc: &Arc<Scenario>, lesson: &Lesson) -> Verdict {
    check_seeds(sc, lesson, lesson.seeds)
}

/// The seeds a lesson with this id plays when it plays `n`: the first half are 0, 1, 2...
/// (comparable between lessons), the rest are drawn from the id, so that no two lessons
/// are judged on exactly the same games and a model cannot be tuned to seeds 0–99 alone.
pub fn seeds_of(id: &str, n: u64) -> Vec<u64> {
    let fixed = n.div_ceil(2);
    let mut state = crate::sim::author::validate::fingerprint(id);
    let mut out: Vec<u64> = (0..fixed).collect();
    while (out.len() as u64) < n {
        // splitmix64: a well-spread sequence from the id's hash.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // Above the fixed range, so a drawn seed never repeats a fixed one.
        out.push(fixed + (z >> 1));
    }
    out
}

/// [`check`] on `n` seeds (fewer than the lesson's own, within a budget).
pub fn check_seeds(sc: &Arc<Scenario>, lesson: &Lesson, n: u64) -> Verdict {
    let seeds = seeds_of(&lesson.id, n.max(1));
    let mut findings = Vec::new();
    let mut holds = true;
    let bases = std::iter::once(("", &lesson.base, &lesson.changed))
        .chain(lesson.also.iter().map(|(name, b, c)| (name.as_str(), b, c)));
    for (name, base, changed) in bases {
        let (ok, lines) = check_on(sc, lesson, base, changed, &seeds);
        holds &= ok;
        if name.is_empty() {
            findings.extend(lines);
        } else {
            findings.extend(lines.into_iter().map(|l| format!("on {name}: {l}")));
        }
    }
    Verdict { id: lesson.id.clone(), claim: lesson.claim.clone(), holds, findings }
}

/// One base and its changed path, on the given seeds.
fn check_on(sc: &Arc<Scenario>, lesson: &Lesson, base: &Path, changed: &Path, seeds: &[u64]) -> (bool, Vec<String>) {
    let n = seeds.len();
    let mut base_games = Vec::with_capacity(n);
    let mut changed_games = Vec::with_capacity(n);
    let mut refused = None;
    for &seed in seeds {
        let mut b = Game::new_fast(Arc::clone(sc), seed);
        b.play_out(base);
        let mut c = Game::new_fast(Arc::clone(sc), seed);
        while !c.is_finished() {
            let t = c.turn();
            for &a in changed.on(t) {
                if let Err(lock) = c.act(a)
                    && refused.is_none()
                    && lesson.added.contains(&(t, a))
                {
                    refused =
                        Some(format!("on seed {seed}, {}: {} was refused ({lock})", sc.turns[t].label, sc.describe(a)));
                }
            }
            c.end_turn();
        }
        base_games.push(b);
        changed_games.push(c);
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
            Expectation::Moves { target: t, higher, size } => {
                let higher = *higher;
                let value = |g: &Game| match t {
                    Target::Score => total(g),
                    Target::Metric(m) => g.metrics()[m.ix()],
                };
                let (mut right_way, mut sum_base, mut sum_changed) = (0usize, 0.0, 0.0);
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
                // The average change in the claimed direction (negative: the wrong way).
                let gain = if higher { mc - mb } else { mb - mc };
                let needed = match size {
                    Size::Any => 0.0,
                    Size::By(by) => *by,
                    Size::Share(s) => s * mb.abs(),
                };
                let big_enough = if matches!(size, Size::Any) { gain > 0.0 } else { gain >= needed };
                let ok = share >= HOLD_SHARE && big_enough;
                let name = match t {
                    Target::Score => "score",
                    Target::Metric(m) => sc.metrics[m.ix()].id.as_str(),
                };
                let en = crate::i18n::Lang::En.tr();
                let fmt = |v: f64| match t {
                    Target::Metric(m) => en.quantity(v, sc.metrics[m.ix()].measure()),
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
                if share < HOLD_SHARE {
                    let _ = write!(
                        line,
                        ": expected {} on at least {:.0}%",
                        if higher { "higher" } else { "lower" },
                        100.0 * HOLD_SHARE
                    );
                }
                if !big_enough {
                    let want = match size {
                        Size::Any => "a change in that direction".to_owned(),
                        Size::By(_) => format!("at least {}", fmt(needed)),
                        Size::Share(s) => format!("at least {:.0}% ({})", 100.0 * s, fmt(needed)),
                    };
                    let _ = write!(
                        line,
                        "{} expected {} {want} on average",
                        if share < HOLD_SHARE { ";" } else { ":" },
                        if higher { "higher by" } else { "lower by" }
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
    (holds, findings)
}

/// Checks every lesson of a scenario, in file order.
pub fn check_all(sc: &Arc<Scenario>) -> Vec<Verdict> {
    sc.lessons.iter().map(|l| check(sc, l)).collect()
}
