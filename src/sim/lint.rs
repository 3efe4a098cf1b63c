//! Checks that play a scenario to find where it would teach the wrong lesson: score
//! components that sit flat (so the choices that move them are worth nothing) and cheap
//! tricks that score almost as well as the best strategy found.

use std::sync::Arc;

use super::balance::{self, CHEAP_SHARE, Options, TRICK_MOVES};
use super::diag::Reporter;
use super::game::Game;
use super::scenario::{Check, Path, Saturation, Scenario};
use super::score::total;

/// A component flat in more than this share of a base strategy's games is flagged.
pub const FLAT_SHARE: f64 = 0.5;
/// A cheap trick within this many points of the best strategy found is flagged.
pub const TRICK_MARGIN: f64 = 15.0;

/// How often each score component is flat at the end of a strategy's games.
#[derive(Debug, Clone, PartialEq)]
pub struct Flatness {
    pub component: usize,
    /// Share of games at or past `worst`.
    pub floor: f64,
    /// Share of games past `best`.
    pub ceiling: f64,
}

/// Plays `path` on `seeds` and measures where each component sits.
pub fn flatness(sc: &Arc<Scenario>, path: &Path, seeds: u64) -> Vec<Flatness> {
    let n = sc.scoring.components.len();
    let (mut floor, mut ceiling) = (vec![0u64; n], vec![0u64; n]);
    for seed in 0..seeds {
        let mut g = Game::new_fast(Arc::clone(sc), seed);
        g.play_out(path);
        for (k, c) in sc.scoring.components.iter().enumerate() {
            match c.saturation(g.eval(&c.value)) {
                Saturation::Floor => floor[k] += 1,
                Saturation::Ceiling => ceiling[k] += 1,
                Saturation::No => {}
            }
        }
    }
    let share = |x: u64| x as f64 / seeds.max(1) as f64;
    (0..n).map(|k| Flatness { component: k, floor: share(floor[k]), ceiling: share(ceiling[k]) }).collect()
}

/// Warns about flat components (per base strategy) and a cheap trick close to `best_score`.
/// `bases` are named strategies; `seeds` per strategy.
pub fn teaching_warnings(
    sc: &Arc<Scenario>,
    bases: &[(&str, &Path)],
    best_score: f64,
    seeds: u64,
    rep: &mut Reporter<'_>,
) {
    let mut flagged = vec![sc.allow.contains(&Check::FlatComponent); sc.scoring.components.len()];
    for (name, path) in bases {
        for f in flatness(sc, path, seeds) {
            let c = &sc.scoring.components[f.component];
            let (share, side) = if f.floor >= f.ceiling { (f.floor, "no points") } else { (f.ceiling, "every point") };
            if share <= FLAT_SHARE || flagged[f.component] {
                continue;
            }
            flagged[f.component] = true;
            rep.warn(
                &format!("scoring.components[{}]", f.component),
                format!(
                    "score component `{}` is flat in {:.0}% of games of the strategy `{name}`: it gives {side} there ({}), so any choice that changes `{}` without crossing that edge is worth 0 points",
                    c.id,
                    100.0 * share,
                    c.describe_curve(),
                    c.label,
                ),
                Some(
                    "use `curve: Log(half: ...)` for a quantity that spans orders of magnitude (victims, losses), or set `best`/`worst` to the metric's own bounds so games stay inside the scale"
                        .to_owned(),
                ),
            );
        }
    }
    if sc.allow.contains(&Check::CheapTrick) {
        return;
    }
    let opts =
        Options { games: 0, seed: 1, sample: seeds.clamp(1, 8), search_steps: 0, work: 50e6, ..Default::default() };
    let trick = balance::cheap_trick(sc, &opts);
    let moves: Vec<String> = trick
        .choices
        .iter()
        .enumerate()
        .flat_map(|(t, a)| a.iter().map(move |a| (t, *a)))
        .map(|(t, a)| format!("{}: {}", sc.turns[t].label, sc.describe(a)))
        .collect();
    if moves.is_empty() {
        return;
    }
    let trick_score = (0..seeds)
        .map(|seed| {
            let mut g = Game::new_fast(Arc::clone(sc), seed);
            g.play_out(&trick);
            total(&g)
        })
        .sum::<f64>()
        / seeds.max(1) as f64;
    if trick_score + TRICK_MARGIN < best_score {
        return;
    }
    let first = trick.choices.iter().flatten().find_map(|a| match a {
        super::scenario::Action::Take(m) => Some(m.ix()),
        _ => None,
    });
    let at = first.map_or_else(|| "mitigations".to_owned(), |m| format!("mitigations[{m}]"));
    rep.warn(
        &at,
        format!(
            "a cheap trick scores {trick_score:.1}, within {TRICK_MARGIN} points of the best strategy found ({best_score:.1}): {} (at most {TRICK_MOVES} moves, each costing at most {:.0}% of the budget)",
            moves.join("; "),
            100.0 * CHEAP_SHARE,
        ),
        Some(
            "give these moves the costs they would really have every turn they last (trust, growth, money), or make the real defence matter more; `ttx sim` shows the trick beside the best strategy"
                .to_owned(),
        ),
    );
}
