//! Engine benchmarks: load + validate the 7pay scenario, one full playthrough, a live
//! leaderboard's heading, and playthroughs per second across every core (what the Monte
//! Carlo balancer needs).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ttx::sim::bundled::BUNDLED;
use ttx::sim::play::score::{heading, score, total};
use ttx::sim::{Game, Path, RandomBot, load_str};

fn seven_pay() -> Arc<ttx::sim::Scenario> {
    Arc::new(load_str(BUNDLED[0].1, BUNDLED[0].0).expect("bundled scenario loads").scenario)
}

fn engine(c: &mut Criterion) {
    c.bench_function("7pay load+validate", |b| {
        b.iter(|| load_str(black_box(BUNDLED[0].1), "7pay.ron").expect("loads"))
    });

    let sc = seven_pay();
    let history = sc.history.as_ref().expect("history").path.clone();
    let mut seed = 0u64;
    let mut g = c.benchmark_group("7pay playthrough");
    g.throughput(Throughput::Elements(1));
    g.bench_function("historical path + score", |b| {
        b.iter(|| {
            seed += 1;
            let mut game = Game::new_fast(Arc::clone(&sc), seed);
            game.play_out(&history);
            black_box(score(&game).total)
        })
    });
    g.bench_function("random bot + score", |b| {
        b.iter(|| {
            seed += 1;
            let mut game = Game::new_fast(Arc::clone(&sc), seed);
            RandomBot::new(seed).play(&mut game);
            black_box(score(&game).total)
        })
    });
    g.bench_function("with undo records (interactive game)", |b| {
        b.iter(|| {
            seed += 1;
            let mut game = Game::new(Arc::clone(&sc), seed);
            game.play_out(&history);
            black_box(game.log().len())
        })
    });
    // What the workshop dashboard works out at each step of a team: an interactive game on
    // turn 2, cloned and played out to the end.
    let mut live = Game::new(Arc::clone(&sc), 1);
    live.end_turn();
    g.bench_function("heading of a live game on turn 2 (clone, play out, score)", |b| {
        b.iter(|| black_box(heading(black_box(&live))))
    });
    g.finish();
}

/// Playthroughs per second on every core, as the balancer runs them: one game per seed,
/// historical path, scored. Printed as a figure rather than a criterion group because it
/// measures a whole machine, not one call.
fn throughput(_c: &mut Criterion) {
    let sc = seven_pay();
    let path: Path = sc.history.as_ref().expect("history").path.clone();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = 200_000u64;
    let start = Instant::now();
    let total: f64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|t| {
                let (sc, path) = (Arc::clone(&sc), &path);
                s.spawn(move || {
                    let mut sum = 0.0;
                    for seed in t * per_thread..(t + 1) * per_thread {
                        let mut game = Game::new_fast(Arc::clone(&sc), seed);
                        game.play_out(path);
                        sum += total(&game);
                    }
                    sum
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).sum()
    });
    let elapsed = start.elapsed().max(Duration::from_nanos(1));
    let games = per_thread * threads as u64;
    println!(
        "7pay playthroughs on {threads} core(s): {games} games in {:.2} s = {:.0} games/s (mean score {:.2})",
        elapsed.as_secs_f64(),
        games as f64 / elapsed.as_secs_f64(),
        total / games as f64
    );
}

criterion_group!(benches, engine, throughput);
criterion_main!(benches);
