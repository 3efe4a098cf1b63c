//! The Monte Carlo balancer: many seeded games per strategy on every core, and a report of
//! how the scenario plays (score spread, grades, final metrics, what each mitigation is
//! worth, how often each inject fires, what can never be used).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::sim::play::bot::RandomBot;
use crate::sim::play::game::{Game, play_path};
use crate::sim::play::score::{Spread, total};
use crate::sim::scenario::{Action, InjectIdx, Kind, MitigationIdx, Path, Scenario};

/// How the balancer runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Games per strategy.
    pub games: u64,
    /// Makes the whole report reproducible.
    pub seed: u64,
    pub threads: usize,
    /// Seeds used to choose the greedy and searched strategies.
    pub sample: u64,
    /// Improvement steps of the strategy search.
    pub search_steps: u32,
    /// Work the strategy searches (greedy, local search, cheap trick, short strategy,
    /// switch-off) may do together, in
    /// [`game_cost`] units: on a large scenario they stop early rather than run for minutes.
    pub work: f64,
}

/// Work the strategy searches of `ttx sim` may do (about 5 s on this project's machine).
pub const SIM_WORK: f64 = 375e6;

/// A score component flat (at no points or every point) in more than this share of a
/// strategy's games is reported (here) and flagged by `ttx check` ([`crate::sim::analyse::lint`]).
pub const FLAT_SHARE: f64 = 0.5;

/// What one game costs, in units of work: every turn visits every mitigation, inject,
/// dynamic, metric and score component. About 12 ns a unit on a 2026 laptop core.
pub fn game_cost(sc: &Scenario) -> f64 {
    let per_turn = sc.mitigations.len()
        + sc.injects.len()
        + sc.dynamics.len()
        + sc.metrics.len()
        + sc.scoring.components.len()
        + 1;
    (sc.turns.len() * per_turn) as f64
}

/// How many sample-scored trials `share` of the work allows (at least one).
fn trials(sc: &Scenario, opts: &Options, share: f64) -> u64 {
    ((opts.work * share) / (game_cost(sc) * opts.sample.max(1) as f64)).max(1.0) as u64
}

impl Default for Options {
    fn default() -> Self {
        Self {
            games: 10_000,
            seed: 1,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            sample: 16,
            search_steps: 300,
            work: SIM_WORK,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub games_per_strategy: u64,
    pub seed: u64,
    pub strategies: Vec<StrategyReport>,
    /// From the random strategy: mean score of games that took each mitigation minus games
    /// that did not.
    pub mitigations: Vec<MitigationEffect>,
    /// Share of random-strategy games in which each inject fired.
    pub injects: Vec<InjectRate>,
    /// Mitigations no game ever took (never available, or never affordable).
    pub dead_ends: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrategyReport {
    pub name: String,
    /// The strategy's choices, by turn label (empty for the random one).
    pub path: Vec<String>,
    pub score: Spread,
    /// Share of games per grade band, best band first.
    pub grades: Vec<(String, f64)>,
    /// Final visible metrics: (id, spread).
    pub metrics: Vec<(String, Spread)>,
    /// Score components flat (no points, or every point) in more than half of the games:
    /// (component id, share of games). Choices that move them are worth nothing there.
    pub flat: Vec<(String, f64)>,
    /// For the blunt strategies (cheap trick, short, switch-off): what each move is worth,
    /// the strategy's mean score minus its mean score without that move, on the same seeds.
    /// One move worth most of the score is the lever the strategy rests on.
    pub moves: Vec<MoveWorth>,
}

/// One move of a strategy and what it is worth to it.
#[derive(Debug, Clone, Serialize)]
pub struct MoveWorth {
    /// "turn label: move".
    pub what: String,
    /// Mean score with the move minus mean score without it.
    pub worth: f64,
}

/// Every move of `path` taken out in turn: the path without move `k` of its flattened
/// moves, paired with the move's turn and action. At most one path per move.
pub fn without_each_move(path: &Path) -> Vec<(usize, Action, Path)> {
    let mut out = Vec::new();
    for (t, moves) in path.choices.iter().enumerate() {
        for (k, &a) in moves.iter().enumerate() {
            let mut less = path.clone();
            less.choices[t].remove(k);
            out.push((t, a, less));
        }
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct MitigationEffect {
    pub id: String,
    pub label: String,
    /// Share of random games that took it.
    pub taken: f64,
    pub delta: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct InjectRate {
    pub id: String,
    pub title: String,
    pub rate: f64,
    pub never: bool,
}

/// The seed of game `i` of a run seeded `base`: splitmix64, so neighbours are unrelated.
fn game_seed(base: u64, i: u64) -> u64 {
    let mut z = base.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One finished game, reduced to what the report needs.
struct Played {
    score: f64,
    metrics: Vec<f64>,
    taken: Vec<bool>,
    fired: Vec<bool>,
    /// Per score component: whether its curve is flat at the game's end.
    flat: Vec<bool>,
}

fn reduce(game: &Game) -> Played {
    let sc = game.scenario();
    let mut taken = vec![false; sc.mitigations.len()];
    for (_, a) in game.actions() {
        if let Action::Take(m) = a {
            taken[m.ix()] = true;
        }
    }
    Played {
        score: total(game),
        metrics: game.metrics().to_vec(),
        taken,
        fired: InjectIdx::all(sc.injects.len()).map(|i| game.fired_count(i) > 0).collect(),
        flat: sc
            .scoring
            .components
            .iter()
            .map(|c| c.saturation(game.eval(&c.value)) != crate::sim::scenario::Saturation::No)
            .collect(),
    }
}

/// Plays `games` games on every thread; `play(seed)` plays one. Results come back in seed
/// order, whatever the thread count, so the report does not depend on the machine.
fn run_games(opts: &Options, done: &AtomicU64, play: &(dyn Fn(u64) -> Played + Sync)) -> Vec<Played> {
    let threads = opts.threads.max(1) as u64;
    let per = opts.games.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let (from, to) = (t * per, ((t + 1) * per).min(opts.games));
                    (from..to)
                        .map(|i| {
                            let p = play(game_seed(opts.seed, i));
                            done.fetch_add(1, Ordering::Relaxed);
                            p
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // A worker's panic is a bug: it reaches the caller, never an empty result.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Mean score of `path` over the selection sample.
fn sample_score(sc: &Arc<Scenario>, path: &Path, opts: &Options) -> f64 {
    (0..opts.sample).map(|i| total(&play_path(sc, game_seed(opts.seed ^ 0x5EED, i), path))).sum::<f64>()
        / opts.sample.max(1) as f64
}

/// Greedy: turn by turn, keep adding the single action that most raises the sample score.
pub fn greedy(sc: &Arc<Scenario>, opts: &Options) -> Path {
    let mut path = Path { choices: vec![Vec::new(); sc.turns.len()] };
    let mut best = sample_score(sc, &path, opts);
    let mut left = trials(sc, opts, GREEDY_WORK);
    for t in 0..sc.turns.len() {
        loop {
            if left == 0 {
                return path; // Out of work: the strategy so far.
            }
            // What is legal on this turn of the path so far (on the sample's first seed).
            let mut g = Game::new_fast(Arc::clone(sc), game_seed(opts.seed ^ 0x5EED, 0));
            while g.turn() < t && !g.is_finished() {
                for &a in path.on(g.turn()) {
                    let _ = g.act(a);
                }
                g.end_turn();
            }
            for &a in path.on(t) {
                let _ = g.act(a);
            }
            let mut improved = None;
            for a in g.legal_actions() {
                if left == 0 {
                    break;
                }
                left -= 1;
                let mut trial = path.clone();
                trial.choices[t].push(a);
                let s = sample_score(sc, &trial, opts);
                if s > best + 1e-9 {
                    best = s;
                    improved = Some(a);
                }
            }
            match improved {
                Some(a) => path.choices[t].push(a),
                None => break,
            }
        }
    }
    path
}

/// Most moves in a cheap trick.
pub const TRICK_MOVES: usize = 3;
/// A move is cheap when its card costs at most this share of the budget (of the dearest
/// card's cost when the scenario has no budget).
pub const CHEAP_SHARE: f64 = 0.02;

/// Whether taking mitigation `m` is a cheap move: no more than [`CHEAP_SHARE`] of the budget.
pub fn is_cheap(sc: &Scenario, m: usize) -> bool {
    let scale = sc.resources.budget.unwrap_or_else(|| sc.mitigations.iter().map(|d| d.money).fold(0.0, f64::max));
    sc.mitigations[m].money <= CHEAP_SHARE * scale
}

/// The best "cheap trick" a beam search finds: at most [`TRICK_MOVES`] cheap cards taken
/// (each on the turn that suits it best), decisions left at their defaults. A scenario in
/// which such a trick scores close to the best strategy teaches that shortcuts work.
pub fn cheap_trick(sc: &Arc<Scenario>, opts: &Options) -> Path {
    let moves: Vec<(usize, Action)> = (0..sc.turns.len())
        .flat_map(|t| {
            (0..sc.mitigations.len()).filter(|&m| is_cheap(sc, m)).map(move |m| (t, Action::Take(MitigationIdx::at(m))))
        })
        .collect();
    beam_search(sc, opts, &moves, TRICK_MOVES, CHEAP_WORK)
}

/// Most moves in a short strategy.
pub const SHORT_MOVES: usize = 3;

/// The best short strategy a beam search finds: at most [`SHORT_MOVES`] cards of any cost,
/// each on the turn that suits it best, decisions left at their defaults. Where a few moves
/// score close to the best strategy found, the scenario rewards one blunt lever (closing
/// something, buying one expensive fix) over a response.
pub fn short_strategy(sc: &Arc<Scenario>, opts: &Options) -> Path {
    let moves: Vec<(usize, Action)> = (0..sc.turns.len())
        .flat_map(|t| (0..sc.mitigations.len()).map(move |m| (t, Action::Take(MitigationIdx::at(m)))))
        .collect();
    beam_search(sc, opts, &moves, SHORT_MOVES, SHORT_WORK)
}

/// Most toggles held in a switch-off strategy.
pub const SWITCH_OFF_MOVES: usize = 3;

/// The best "switch-off" strategy a beam search finds: at most [`SWITCH_OFF_MOVES`]
/// toggles (pauses, closures: `kind: Toggle`) switched on in the first half of the game and
/// never switched off, so they hold for most of it; no other move. A scenario in which
/// keeping part of the service closed scores well teaches that not operating is a defence.
pub fn switch_off(sc: &Arc<Scenario>, opts: &Options) -> Path {
    let half = sc.turns.len().div_ceil(2);
    let moves: Vec<(usize, Action)> = (0..half)
        .flat_map(|t| {
            (0..sc.mitigations.len())
                .filter(|&m| sc.mitigations[m].kind == Kind::Toggle)
                .map(move |m| (t, Action::Take(MitigationIdx::at(m))))
        })
        .collect();
    beam_search(sc, opts, &moves, SWITCH_OFF_MOVES, SWITCH_OFF_WORK)
}

/// Shares of [`Options::work`] for each strategy search.
const GREEDY_WORK: f64 = 0.4;
const SEARCH_WORK: f64 = 0.24;
const CHEAP_WORK: f64 = 0.16;
const SHORT_WORK: f64 = 0.12;
const SWITCH_OFF_WORK: f64 = 0.08;

/// Paths kept per step of the beam searches.
const BEAM: usize = 3;

/// A beam search over paths of at most `max_moves` of `moves` (a move is a turn and an
/// action; each action at most once), scored on the sample, within `share` of the work.
/// Returns the best path seen (the empty path when nothing beats it).
fn beam_search(sc: &Arc<Scenario>, opts: &Options, moves: &[(usize, Action)], max_moves: usize, share: f64) -> Path {
    let empty = Path { choices: vec![Vec::new(); sc.turns.len()] };
    let first_seed = game_seed(opts.seed ^ 0x5EED, 0);
    // In games: a legality check is one, a scored trial `sample`.
    let mut left = trials(sc, opts, share) * opts.sample.max(1);
    let mut beam = vec![(sample_score(sc, &empty, opts), empty)];
    let mut best = beam[0].clone();
    for _ in 0..max_moves {
        let mut next: Vec<(f64, Path)> = Vec::new();
        for (_, path) in &beam {
            for &(t, a) in moves {
                if path.choices.iter().flatten().any(|b| *b == a) {
                    continue;
                }
                if left < 1 + opts.sample {
                    break;
                }
                let mut trial = path.clone();
                trial.choices[t].push(a);
                left -= 1;
                if Game::new_fast(Arc::clone(sc), first_seed).play_out(&trial) > 0 {
                    continue; // Not possible on that turn.
                }
                if next.iter().any(|(_, p)| *p == trial) {
                    continue;
                }
                left -= opts.sample;
                next.push((sample_score(sc, &trial, opts), trial));
            }
        }
        if next.is_empty() {
            break;
        }
        next.sort_by(|a, b| b.0.total_cmp(&a.0));
        next.truncate(BEAM);
        if next[0].0 > best.0 {
            best = next[0].clone();
        }
        beam = next;
    }
    best.1
}

/// Local search from the greedy path: random add / remove / move steps, kept when the
/// sample score improves.
pub fn search(sc: &Arc<Scenario>, start: &Path, opts: &Options) -> Path {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0xBE57);
    let mut path = start.clone();
    let mut best = sample_score(sc, &path, opts);
    let n_turns = sc.turns.len() as u64;
    let options: Vec<Action> = MitigationIdx::all(sc.mitigations.len())
        .flat_map(|m| [Action::Take(m), Action::Stop(m)])
        .chain(
            sc.injects
                .iter()
                .enumerate()
                .flat_map(|(i, inj)| (0..inj.options.len() as u16).map(move |o| Action::Choose(InjectIdx::at(i), o))),
        )
        .collect();
    for _ in 0..u64::from(opts.search_steps).min(trials(sc, opts, SEARCH_WORK)) {
        let mut trial = path.clone();
        let t = (rng.next_u64() % n_turns) as usize;
        match rng.next_u64() % 3 {
            0 if !options.is_empty() => {
                trial.choices[t].push(options[(rng.next_u64() % options.len() as u64) as usize])
            }
            1 if !trial.choices[t].is_empty() => {
                let k = (rng.next_u64() % trial.choices[t].len() as u64) as usize;
                trial.choices[t].remove(k);
            }
            _ if !trial.choices[t].is_empty() => {
                let k = (rng.next_u64() % trial.choices[t].len() as u64) as usize;
                let a = trial.choices[t].remove(k);
                let to = (rng.next_u64() % n_turns) as usize;
                trial.choices[to].push(a);
            }
            _ => continue,
        }
        let s = sample_score(sc, &trial, opts);
        if s > best + 1e-9 {
            best = s;
            path = trial;
        }
    }
    // Drop what the game refused anyway, so the path reads as what was really done.
    let g = play_path(sc, game_seed(opts.seed ^ 0x5EED, 0), &path);
    let mut clean = Path { choices: vec![Vec::new(); sc.turns.len()] };
    for &(t, a) in g.actions() {
        clean.choices[t].push(a);
    }
    if sample_score(sc, &clean, opts) >= best - 1e-9 { clean } else { path }
}

fn describe_path(sc: &Scenario, path: &Path) -> Vec<String> {
    path.choices
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.is_empty())
        .map(|(t, a)| {
            let moves: Vec<String> = a.iter().map(|a| sc.describe(*a)).collect();
            format!("{}: {}", sc.turns[t].label, moves.join("; "))
        })
        .collect()
}

/// The strategies whose moves [`move_worth`] weighs.
const BLUNT: [&str; 3] = ["cheap trick", "short", "switch-off"];

/// What each move of `path` is worth to it, on the report's seeds.
fn move_worth(sc: &Arc<Scenario>, opts: &Options, path: &Path, mean: f64) -> Vec<MoveWorth> {
    let uncounted = AtomicU64::new(0);
    without_each_move(path)
        .into_iter()
        .map(|(t, a, less)| {
            let played = run_games(opts, &uncounted, &|seed| reduce(&play_path(sc, seed, &less)));
            let without = played.iter().map(|p| p.score).sum::<f64>() / played.len().max(1) as f64;
            MoveWorth { what: format!("{}: {}", sc.turns[t].label, sc.describe(a)), worth: mean - without }
        })
        .collect()
}

fn strategy_report(sc: &Scenario, name: &str, path: Option<&Path>, played: &[Played]) -> StrategyReport {
    let score = Spread::of(played.iter().map(|p| p.score).collect());
    let grades = sc
        .scoring
        .grades
        .iter()
        .map(|g| {
            let n = played.iter().filter(|p| sc.grade(p.score).grade == g.grade).count();
            (g.grade.clone(), n as f64 / played.len().max(1) as f64)
        })
        .collect();
    let metrics = sc
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| m.visible)
        .map(|(k, m)| (m.id.clone(), Spread::of(played.iter().map(|p| p.metrics[k]).collect())))
        .collect();
    let n = played.len().max(1) as f64;
    let flat = sc
        .scoring
        .components
        .iter()
        .enumerate()
        .map(|(k, c)| (c.id.clone(), played.iter().filter(|p| p.flat[k]).count() as f64 / n))
        .filter(|(_, share)| *share > FLAT_SHARE)
        .collect();
    StrategyReport {
        name: name.to_owned(),
        flat,
        path: path.map(|p| describe_path(sc, p)).unwrap_or_default(),
        moves: Vec::new(),
        score,
        grades,
        metrics,
    }
}

/// Runs the whole balancer. `progress(done, total)` is called from the calling thread.
pub fn balance(sc: &Arc<Scenario>, opts: &Options, progress: &mut dyn FnMut(u64, u64)) -> Report {
    let history = sc.history.as_ref().map(|h| h.path.clone());
    let greedy_path = greedy(sc, opts);
    let best_path = search(sc, &greedy_path, opts);
    let mut plans: Vec<(String, Option<Path>)> = Vec::new();
    if let Some(h) = &history {
        plans.push(("history".into(), Some(h.clone())));
    }
    plans.push(("do nothing".into(), Some(Path::default())));
    plans.push(("random".into(), None));
    plans.push(("greedy".into(), Some(greedy_path)));
    plans.push(("best found".into(), Some(best_path)));
    plans.push(("cheap trick".into(), Some(cheap_trick(sc, opts))));
    plans.push(("short".into(), Some(short_strategy(sc, opts))));
    plans.push(("switch-off".into(), Some(switch_off(sc, opts))));
    let total_games = opts.games * plans.len() as u64;
    let done = AtomicU64::new(0);
    let mut strategies = Vec::new();
    let mut random_games = Vec::new();
    let mut fired_any = vec![false; sc.injects.len()];
    for (k, (name, path)) in plans.iter().enumerate() {
        let base = k as u64 * opts.games;
        let played = std::thread::scope(|s| {
            let worker = s.spawn(|| match path {
                Some(p) => run_games(opts, &done, &|seed| reduce(&play_path(sc, seed, p))),
                None => run_games(opts, &done, &|seed| {
                    let mut g = Game::new_fast(Arc::clone(sc), seed);
                    RandomBot::new(seed).play(&mut g);
                    reduce(&g)
                }),
            });
            while !worker.is_finished() {
                progress(done.load(Ordering::Relaxed), total_games);
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        });
        progress(base + opts.games, total_games);
        let mut report = strategy_report(sc, name, path.as_ref(), &played);
        if let (Some(p), true) = (path, BLUNT.contains(&name.as_str())) {
            report.moves = move_worth(sc, opts, p, report.score.mean);
        }
        strategies.push(report);
        for p in &played {
            for (f, any) in p.fired.iter().zip(fired_any.iter_mut()) {
                *any |= *f;
            }
        }
        if path.is_none() {
            random_games = played;
        }
    }
    let n = random_games.len().max(1) as f64;
    let mitigations = sc
        .mitigations
        .iter()
        .enumerate()
        .map(|(m, def)| {
            let (with, without): (Vec<&Played>, Vec<&Played>) = random_games.iter().partition(|p| p.taken[m]);
            let mean = |v: &[&Played]| v.iter().map(|p| p.score).sum::<f64>() / v.len().max(1) as f64;
            let delta = if with.is_empty() || without.is_empty() { 0.0 } else { mean(&with) - mean(&without) };
            MitigationEffect { id: def.id.clone(), label: def.label.clone(), taken: with.len() as f64 / n, delta }
        })
        .collect::<Vec<_>>();
    let injects = sc
        .injects
        .iter()
        .enumerate()
        .map(|(i, inj)| {
            let rate = random_games.iter().filter(|p| p.fired[i]).count() as f64 / n;
            InjectRate { id: inj.id.clone(), title: inj.title.clone(), rate, never: !fired_any[i] }
        })
        .collect();
    let dead_ends = mitigations.iter().filter(|m| m.taken == 0.0).map(|m| m.id.clone()).collect();
    Report {
        scenario: sc.meta.id.clone(),
        games_per_strategy: opts.games,
        seed: opts.seed,
        strategies,
        mitigations,
        injects,
        dead_ends,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_panic_reaches_the_caller() {
        let opts = Options { games: 64, threads: 2, ..Options::default() };
        let done = AtomicU64::new(0);
        let outcome = std::panic::catch_unwind(|| {
            run_games(&opts, &done, &|seed| {
                assert!(seed != game_seed(opts.seed, 40), "a bug in one game");
                Played { score: 0.0, metrics: Vec::new(), taken: Vec::new(), fired: Vec::new(), flat: Vec::new() }
            })
        });
        assert!(outcome.is_err(), "the panic was not swallowed into an empty report");
    }
}
