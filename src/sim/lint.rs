//! Checks that play a scenario to find where it would teach the wrong lesson: score
//! components that sit flat (so the choices that move them are worth nothing), cheap
//! tricks that score almost as well as the best strategy found, and degenerate strategies
//! (a few blunt moves, or the service switched off) that come close to it.

use std::sync::Arc;

use super::balance::{self, CHEAP_SHARE, Options, SHORT_MOVES, SWITCH_OFF_MOVES, TRICK_MOVES};
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

/// Warns about flat components (per base strategy), a cheap trick close to `best_score`,
/// and degenerate strategies (see [`degenerate_warnings`]).
/// `bases` are named strategies; `seeds` per strategy.
pub fn teaching_warnings(
    sc: &Arc<Scenario>,
    bases: &[(&str, &Path)],
    best_score: f64,
    history_score: Option<f64>,
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
    cheap_trick_warning(sc, best_score, seeds, rep);
    degenerate_warnings(sc, best_score, history_score, seeds, rep);
}

/// Mean score of `path` on seeds `0..seeds`.
fn mean_score(sc: &Arc<Scenario>, path: &Path, seeds: u64) -> f64 {
    (0..seeds)
        .map(|seed| {
            let mut g = Game::new_fast(Arc::clone(sc), seed);
            g.play_out(path);
            total(&g)
        })
        .sum::<f64>()
        / seeds.max(1) as f64
}

/// The moves of a path, as "turn: move" texts.
fn describe_moves(sc: &Scenario, path: &Path) -> Vec<String> {
    path.choices
        .iter()
        .enumerate()
        .flat_map(|(t, a)| a.iter().map(move |a| (t, *a)))
        .map(|(t, a)| format!("{}: {}", sc.turns[t].label, sc.describe(a)))
        .collect()
}

/// The field path of a strategy's first card, for placing its warning.
fn first_card(path: &Path) -> String {
    let first = path.choices.iter().flatten().find_map(|a| match a {
        super::scenario::Action::Take(m) => Some(m.ix()),
        _ => None,
    });
    first.map_or_else(|| "mitigations".to_owned(), |m| format!("mitigations[{m}]"))
}

/// The search budget of the play-based checks.
fn check_options(seeds: u64) -> Options {
    Options { games: 0, seed: 1, sample: seeds.clamp(1, 8), search_steps: 0, work: 62.5e6, ..Default::default() }
}

fn cheap_trick_warning(sc: &Arc<Scenario>, best_score: f64, seeds: u64, rep: &mut Reporter<'_>) {
    if sc.allow.contains(&Check::CheapTrick) {
        return;
    }
    let trick = balance::cheap_trick(sc, &check_options(seeds));
    let moves = describe_moves(sc, &trick);
    if moves.is_empty() {
        return;
    }
    let trick_score = mean_score(sc, &trick, seeds);
    if trick_score + TRICK_MARGIN < best_score {
        return;
    }
    rep.warn(
        &first_card(&trick),
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

/// A degenerate strategy within this many points of the best strategy found is flagged.
pub const DEGENERATE_MARGIN: f64 = 20.0;
/// A degenerate strategy more than this many points above the historical path is flagged.
pub const ABOVE_HISTORY: f64 = 10.0;

/// Whether a degenerate strategy's score is within [`DEGENERATE_MARGIN`] of the best
/// strategy found, and whether it is more than [`ABOVE_HISTORY`] above the historical path.
pub fn too_close(score: f64, best: f64, history: Option<f64>) -> (bool, bool) {
    (score + DEGENERATE_MARGIN >= best, history.is_some_and(|h| score > h + ABOVE_HISTORY))
}

/// Warns about the short strategies (a few moves of any cost) and switch-off strategies
/// (pauses and closures held for most of the game) that score within
/// [`DEGENERATE_MARGIN`] points of the best strategy found, or more than
/// [`ABOVE_HISTORY`] above the historical path: a blunt lever, or not operating, should
/// never come close to a response.
pub fn degenerate_warnings(
    sc: &Arc<Scenario>,
    best_score: f64,
    history_score: Option<f64>,
    seeds: u64,
    rep: &mut Reporter<'_>,
) {
    let opts = check_options(seeds);
    let searches: [(Check, &str, String, fn(&Arc<Scenario>, &Options) -> Path); 2] = [
        (
            Check::ShortStrategy,
            "short strategy",
            format!("at most {SHORT_MOVES} moves of any cost"),
            balance::short_strategy,
        ),
        (
            Check::SwitchOff,
            "switch-off strategy",
            format!("at most {SWITCH_OFF_MOVES} pauses or closures held from the first half of the game"),
            balance::switch_off,
        ),
    ];
    for (check, name, what, search) in searches {
        if sc.allow.contains(&check) {
            continue;
        }
        let path = search(sc, &opts);
        let moves = describe_moves(sc, &path);
        if moves.is_empty() {
            continue;
        }
        let score = mean_score(sc, &path, seeds);
        let (near_best, above_history) = too_close(score, best_score, history_score);
        if !near_best && !above_history {
            continue;
        }
        let mut why = Vec::new();
        if near_best {
            why.push(format!("within {DEGENERATE_MARGIN} points of the best strategy found ({best_score:.1})"));
        }
        if let (true, Some(h)) = (above_history, history_score) {
            why.push(format!("more than {ABOVE_HISTORY} points above the historical path ({h:.1})"));
        }
        rep.warn(
            &first_card(&path),
            format!("a {name} scores {score:.1}, {}: {} ({what})", why.join(" and "), moves.join("; ")),
            Some(
                "make the score reward what the service delivers (a component counted from the service actually used), give closures the costs they have every day they last, or make the real defence matter more; `ttx sim` shows the strategy beside the best one"
                    .to_owned(),
            ),
        );
    }
}
