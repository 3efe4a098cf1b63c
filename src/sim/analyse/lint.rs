//! Every warning found by playing a scenario (checking the file plays no game): a
//! historical move the game refuses (on every load), and, for `ttx check`, where the
//! scenario would teach the wrong lesson: mitigations never worth taking, score components
//! that sit flat (so the choices that move them are worth nothing), cheap tricks that score
//! almost as well as the best strategy found, degenerate strategies (a few blunt moves, or
//! the service switched off) that come close to it, and lessons that do not hold.

use std::sync::Arc;

use crate::sim::analyse::balance::{
    self, CHEAP_SHARE, FLAT_SHARE, Options, SHORT_MOVES, SWITCH_OFF_MOVES, TRICK_MOVES,
};
use crate::sim::author::diag::{Diagnostic, Reporter};
use crate::sim::format::ScenarioFile;
use crate::sim::play::game::Game;
use crate::sim::play::score::total;
use crate::sim::scenario::{Action, Check, MitigationIdx, Path, Saturation, Scenario};

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
        Action::Take(m) => Some(m.ix()),
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
        let lever = balance::without_each_move(&path)
            .into_iter()
            .map(|(t, a, less)| (score - mean_score(sc, &less, seeds), t, a))
            .max_by(|x, y| x.0.total_cmp(&y.0))
            .map(|(worth, t, a)| {
                format!("; {worth:.1} of its points rest on {}: {}", sc.turns[t].label, sc.describe(a))
            })
            .unwrap_or_default();
        rep.warn(
            &first_card(&path),
            format!("a {name} scores {score:.1}, {}: {} ({what}){lever}", why.join(" and "), moves.join("; ")),
            Some(
                "make the score reward what the service delivers (a component counted from the service actually used), give closures the costs they have every day they last, or make the real defence matter more; `ttx sim` shows the strategy beside the best one"
                    .to_owned(),
            ),
        );
    }
}

/// Plays the historical path once (seed 0) and warns about choices the game refuses: they
/// would be skipped silently in every comparison with history.
pub fn impossible_history(scenario: &Scenario, raw: &ScenarioFile, rep: &mut Reporter<'_>) {
    let (Some(h), Some(raw_h)) = (&scenario.history, &raw.history) else { return };
    let sc = std::sync::Arc::new(scenario.clone());
    let mut game = Game::new_fast(std::sync::Arc::clone(&sc), 0);
    while !game.is_finished() {
        let t = game.turn();
        for &a in h.path.on(t) {
            if let Err(lock) = game.act(a) {
                let index = raw_h.choices.iter().position(|c| c.turn == sc.turns[t].id).unwrap_or(0);
                rep.warn(
                    &format!("history.choices[{index}]"),
                    format!("on {}, {} cannot be done: {lock}", sc.turns[t].label, sc.describe(a)),
                    Some(
                        "comparisons with history skip it (checked on seed 0): move it to a turn where it is possible"
                            .to_owned(),
                    ),
                );
            }
        }
        game.end_turn();
    }
}

/// Work (in [`balance::game_cost`] units) for the "never worth taking" check and for
/// the lessons in `ttx check`: together with the strategy searches, about half a second.
const NEVER_WORTH_WORK: f64 = 12e6;
const LESSON_WORK: f64 = 15e6;

/// Seeds per trial of [`balance_warnings`].
const WORTH_SEEDS: u64 = 16;

/// Warnings that need play, not just reading (`ttx check` runs them; loading does not):
/// mitigations never worth taking. Each mitigation is added on every turn to two base
/// paths, doing nothing and the historical path, over 16 seeds; if no such game scores
/// higher than its base, the card is a trap or dead weight.
pub fn balance_warnings(sc: &std::sync::Arc<Scenario>, src: &str, file: &str) -> Vec<Diagnostic> {
    let mut rep = Reporter::new(file, src);
    // Bases: doing nothing, history, and a good strategy (greedy on score): where the score
    // is already at its floor, one card more cannot show; next to good play it can.
    let opts = balance::Options { games: 0, seed: 1, sample: 8, search_steps: 0, work: 25e6, ..Default::default() };
    let good = balance::greedy(sc, &opts);
    let cost = balance::game_cost(sc);
    let mut bases = vec![Path::default(), good];
    if let Some(h) = &sc.history {
        bases.push(h.path.clone());
    }
    let play = |path: &Path, seed: u64| {
        let mut g = Game::new_fast(std::sync::Arc::clone(sc), seed);
        let refused = g.play_out(path);
        (total(&g), refused)
    };
    // Within the budget: fewer seeds first, then every k-th turn, then every k-th card.
    let (cards, turns) = (sc.mitigations.len().max(1) as f64, sc.turns.len().max(1) as f64);
    let n_bases = bases.len() as f64;
    let allowed = (NEVER_WORTH_WORK / cost).max(1.0);
    let seeds = ((allowed / (cards * turns * n_bases)).floor() as u64).clamp(2, WORTH_SEEDS);
    let turn_step =
        ((cards * turns * n_bases * seeds as f64 / allowed).ceil() as usize).clamp(1, sc.turns.len().max(1));
    let turns_tried = sc.turns.len().div_ceil(turn_step) as f64;
    let card_step = ((cards * turns_tried * n_bases * seeds as f64 / allowed).ceil() as usize).max(1);
    if seeds < WORTH_SEEDS || turn_step > 1 || card_step > 1 {
        let mut how = format!("{seeds} seeds per trial instead of {WORTH_SEEDS}");
        if turn_step > 1 {
            how.push_str(&format!(", every {turn_step}th turn"));
        }
        if card_step > 1 {
            how.push_str(&format!(", every {card_step}th card"));
        }
        rep.note(
            "mitigations",
            format!("the scenario is large: the \"never worth taking\" check played {how}"),
            Some("`ttx sim` explores the scenario further".to_owned()),
        );
    }
    let base_runs: Vec<Vec<(f64, usize)>> =
        bases.iter().map(|p| (0..seeds).map(|seed| play(p, seed)).collect()).collect();
    for (m, def) in sc.mitigations.iter().enumerate().step_by(card_step) {
        let take = Action::Take(MitigationIdx::at(m));
        if sc.mitigations.iter().any(|other| other.requires.contains(&MitigationIdx::at(m))) {
            continue; // Its worth is in what it unlocks.
        }
        if bases[1].choices.iter().flatten().any(|a| *a == take) {
            continue; // The greedy strategy took it: it raised the score there.
        }
        let (mut best, mut tried) = (f64::NEG_INFINITY, 0u32);
        for (b, base) in bases.iter().enumerate() {
            if base.choices.iter().flatten().any(|a| *a == take) {
                continue;
            }
            for t in (0..sc.turns.len()).step_by(turn_step) {
                let mut path = base.clone();
                if path.choices.len() <= t {
                    path.choices.resize(t + 1, Vec::new());
                }
                path.choices[t].insert(0, take);
                for seed in 0..seeds {
                    let (score, refused) = play(&path, seed);
                    let (base_score, base_refused) = base_runs[b][seed as usize];
                    if refused > base_refused {
                        continue; // Not possible then.
                    }
                    tried += 1;
                    best = best.max(score - base_score);
                }
            }
        }
        if tried > 0 && best <= 0.05 && !sc.allow.contains(&Check::NeverWorthTaking) {
            rep.warn(
                &format!("mitigations[{m}]"),
                format!(
                    "mitigation `{}` is never worth taking: added on any turn to doing nothing, to a greedy strategy{} ({tried} games), it scored at best {best:+.1} points",
                    def.id,
                    if bases.len() > 2 { " or to the historical path" } else { "" }
                ),
                Some("make its effects stronger, its cost or lead time smaller, or drop the card".to_owned()),
            );
        }
    }
    let best = base_runs[1].iter().map(|r| r.0).sum::<f64>() / seeds as f64;
    let mut named: Vec<(&str, &Path)> = vec![("do nothing", &bases[0]), ("greedy", &bases[1])];
    if let Some(h) = bases.get(2) {
        named.push(("history", h));
    }
    let history_score = base_runs.get(2).map(|runs| runs.iter().map(|r| r.0).sum::<f64>() / seeds as f64);
    teaching_warnings(sc, &named, best, history_score, seeds, &mut rep);
    // Lessons: their own seeds, scaled down to the budget on a large scenario.
    let wanted: f64 = sc.lessons.iter().map(|l| 2.0 * l.seeds as f64).sum::<f64>() * cost;
    let scale = if wanted > LESSON_WORK { LESSON_WORK / wanted } else { 1.0 };
    if scale < 1.0 {
        rep.note(
            "lessons",
            format!("the scenario is large: the lessons were checked on {:.0}% of their seeds", 100.0 * scale),
            Some("`ttx test` on a plan of this scenario checks them on every seed".to_owned()),
        );
    }
    let verdicts = sc.lessons.iter().map(|l| {
        let seeds = ((l.seeds as f64 * scale).ceil() as u64).max(10).min(l.seeds);
        crate::sim::analyse::lesson::check_seeds(sc, l, seeds)
    });
    for (i, v) in verdicts.enumerate() {
        if !v.holds {
            rep.warn(
                &format!("lessons[{i}]"),
                format!("lesson `{}` does not hold: {}", v.id, v.findings.join("; ")),
                Some("the scenario teaches something else than this claim: change the model, or the claim".to_owned()),
            );
        }
    }
    rep.finish()
}
