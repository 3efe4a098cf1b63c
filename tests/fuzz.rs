//! A structure-aware fuzzer for everything ttx reads and plays: mutated scenarios (the
//! bundled ones, as pasted, dropped or linked in the browser), formulas, saves and result
//! bundles (as imported), test plans, and random sequences of moves, notes, undos and
//! facilitator interventions whose saves must resume to the identical log.
//!
//! `cargo test` runs a short fixed-seed slice. The long mode is
//! `TTX_FUZZ_INPUTS=1000000 cargo test --release --no-default-features --test fuzz -- --ignored --nocapture`;
//! it prints inputs per second and the slowest input. Any panic fails with the generator and
//! the seed that made the input, and writes the input to `target/fuzz-failures/`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ttx::sim::play::game::Intervention;
use ttx::sim::play::save::{Bundle, SaveFile, read_any};
use ttx::sim::{Action, Game, Scenario, load_str};
use ttx::sim::{InjectIdx, MetricIdx, MitigationIdx};

/// What one generator made: a name for the report and the text (or moves) it produced.
struct Case {
    kind: &'static str,
    text: String,
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[(rng.next_u64() % items.len() as u64) as usize]
}

/// A random one of `words`.
fn word(rng: &mut ChaCha8Rng, words: &[&'static str]) -> &'static str {
    words[(rng.next_u64() % words.len() as u64) as usize]
}

/// A random char boundary of `s`.
fn boundary(rng: &mut ChaCha8Rng, s: &str) -> usize {
    floor((rng.next_u64() % (s.len() as u64 + 1)) as usize, s)
}

/// The char boundary at or before `i`.
fn floor(mut i: usize, s: &str) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every bundled scenario; the template last (the formula and plan generators use its ids).
const SCENARIOS: [(&str, &str); 4] = [
    ("7pay-launch-week.ron", include_str!("../scenarios/7pay-launch-week.ron")),
    ("clinic-ransomware.ron", include_str!("../scenarios/clinic-ransomware.ron")),
    ("cloud-outage.ron", include_str!("../scenarios/cloud-outage.ron")),
    ("template.ron", include_str!("../scenarios/template.ron")),
];
/// Where the formula generator writes into the template.
const SLOT: &str = "value: \"15 * days\"";

const NUMBERS: [&str; 12] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "1e16",
    "NaN",
    "inf",
    "0.0000001",
    "18446744073709551615",
    "-0",
    "4294967296",
    "1_000_000_000_000",
];
const TOKENS: [&str; 14] = ["(", ")", "[", "]", ",", ":", "\"", "Some(", "None", "//", "/*", "r#\"", "\\", "é"];

/// Mutates RON text: cut, duplicate, replace numbers and strings, insert punctuation.
fn mutate(rng: &mut ChaCha8Rng, src: &str) -> String {
    let mut s = src.to_owned();
    for _ in 0..1 + rng.next_u64() % 4 {
        let a = boundary(rng, &s);
        let b = boundary(rng, &s);
        let (a, b) = (a.min(b), a.max(b));
        match rng.next_u64() % 7 {
            0 => s.replace_range(a..floor(b.min(a + 400), &s), ""),
            1 => {
                let piece = s[a..floor(b.min(a + 400), &s)].to_owned();
                s.insert_str(a, &piece);
            }
            2 => s.insert_str(a, word(rng, &TOKENS)),
            3 => {
                // Replace the number that starts at or after `a`.
                if let Some(off) = s[a..].find(|c: char| c.is_ascii_digit()) {
                    let start = a + off;
                    let end = s[start..]
                        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
                        .map_or(s.len(), |e| start + e);
                    s.replace_range(start..end, word(rng, &NUMBERS));
                }
            }
            4 => {
                // Replace the string that starts at or after `a` with a near-miss or a long one.
                if let Some(off) = s[a..].find('"') {
                    let start = a + off + 1;
                    if let Some(len) = s[start..].find('"') {
                        let old = s[start..start + len].to_owned();
                        let new = match rng.next_u64() % 3 {
                            0 => format!("{old}x"),
                            1 => old.chars().rev().collect(),
                            _ => "q".repeat(1 + (rng.next_u64() % 3000) as usize),
                        };
                        s.replace_range(start..start + len, &new);
                    }
                }
            }
            5 => s.truncate(a),
            _ => {
                let depth = 1 + (rng.next_u64() % 80) as usize;
                s.insert_str(a, &format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
            }
        }
    }
    s
}

/// A random formula over the template's names.
fn formula(rng: &mut ChaCha8Rng) -> String {
    const ATOMS: [&str; 16] = [
        "trust",
        "leak_risk",
        "days",
        "turn",
        "1",
        "0",
        "1e300",
        "-5",
        "prev(trust)",
        "taken(remote_wipe)",
        "active(dark_web_watch)",
        "fired(forum_post)",
        "since(day2)",
        "before(day3)",
        "chose(tell_customers, wait)",
        "nosuch",
    ];
    const OPS: [&str; 14] =
        [" + ", " - ", " * ", " / ", " ^ ", " < ", " >= ", " == ", " && ", " || ", ", ", "(", ")", "!"];
    const FUNS: [&str; 8] = ["min(", "max(", "clamp(", "if(", "ln(", "exp(", "abs(", "sqrt("];
    let mut f = String::new();
    for _ in 0..1 + rng.next_u64() % 24 {
        match rng.next_u64() % 3 {
            0 => f.push_str(word(rng, &ATOMS)),
            1 => f.push_str(word(rng, &OPS)),
            _ => f.push_str(word(rng, &FUNS)),
        }
    }
    f
}

/// Plays a random game: moves (legal and not), notes, undos, interventions; returns it.
fn random_game(rng: &mut ChaCha8Rng, sc: &Arc<Scenario>) -> Game {
    let mut g = Game::new(Arc::clone(sc), rng.next_u64());
    let (n_mit, n_inj, n_met, n_dyn) =
        (sc.mitigations.len() as u16, sc.injects.len() as u16, sc.metrics.len() as u16, sc.dynamics.len() as u16);
    for _ in 0..rng.next_u64() % 120 {
        let r = rng.next_u64();
        let small = |k: u16| ((r >> 8) % (u64::from(k) + 2)) as u16; // sometimes out of range
        let at = |k: u16| usize::from(small(k));
        match r % 16 {
            0..=4 => {
                let _ = g.act(Action::Take(MitigationIdx::at(at(n_mit))));
            }
            5 => {
                let _ = g.act(Action::Stop(MitigationIdx::at(at(n_mit))));
            }
            6 => {
                let _ = g.act(Action::Choose(InjectIdx::at(at(n_inj)), ((r >> 20) % 4) as u16));
            }
            7 => {
                let _ = g.note(&"why ".repeat(((r >> 12) % 40) as usize));
            }
            8 => {
                g.undo();
            }
            9 => {
                let _ = g.step_back();
            }
            10 => g.time_up(),
            11 => {
                let value = [f64::NAN, 1e300, -1e300, 0.5, 42.0][((r >> 16) % 5) as usize];
                let act = match (r >> 24) % 4 {
                    0 => Intervention::Trigger { inject: InjectIdx::at(at(n_inj)) },
                    1 => Intervention::Suppress { inject: InjectIdx::at(at(n_inj)), on: r & 1 == 0 },
                    2 => Intervention::SetMetric { metric: MetricIdx::at(at(n_met)), value },
                    _ => Intervention::Roll { dynamic: small(n_dyn), draw: value },
                };
                let _ = g.intervene(act);
            }
            _ => g.end_turn(),
        }
    }
    g
}

/// Loads a scenario text the way the page bridge does (pasted, dropped, `?scenario=`), and
/// plays what loads.
fn scenario_case(rng: &mut ChaCha8Rng, text: &str) {
    if let Ok(l) = load_str(text, "fuzzed.ron") {
        let sc = Arc::new(l.scenario);
        let g = random_game(rng, &sc);
        roundtrip(&g, &sc);
    }
}

/// A game's save resumes to the identical log; a bundle too.
fn roundtrip(g: &Game, sc: &Arc<Scenario>) {
    let save = SaveFile::of(g);
    let text = save.to_ron().expect("a save writes");
    let back = SaveFile::from_ron(&text).expect("a save the game wrote reads back");
    let resumed = back.resume(sc).unwrap_or_else(|e| panic!("a save the game wrote resumes: {e}"));
    assert_eq!(resumed.log(), g.log(), "the resumed game has the same log");
}

fn one(rng: &mut ChaCha8Rng, scenarios: &[(String, Arc<Scenario>)], template: &str) -> Case {
    match rng.next_u64() % 6 {
        0 | 1 => {
            let (src, _) = pick(rng, scenarios);
            let text = mutate(rng, src);
            scenario_case(rng, &text);
            Case { kind: "scenario", text }
        }
        2 => {
            let f = formula(rng);
            let text = template.replacen(SLOT, &format!("value: {f:?}"), 1);
            scenario_case(rng, &text);
            Case { kind: "formula", text }
        }
        3 => {
            // A save, or a bundle as imported in the browser, mutated.
            let (src, sc) = pick(rng, scenarios);
            let g = random_game(rng, sc);
            let save = SaveFile::of(&g);
            let text = if rng.next_u64().is_multiple_of(2) {
                save.to_ron().expect("a save writes")
            } else {
                Bundle { scenario_name: "s.ron".into(), scenario_text: src.clone(), save }
                    .to_ron()
                    .expect("a save writes")
            };
            let text = mutate(rng, &text);
            if let Ok((save, carried)) = read_any(&text) {
                let sc = match carried.map(|(name, t)| load_str(&t, &name)) {
                    Some(Ok(l)) => Arc::new(l.scenario),
                    _ => Arc::clone(sc),
                };
                let _ = save.resume(&sc);
            }
            Case { kind: "save", text }
        }
        4 => {
            let plan = r#"TestPlan(scenario: "x.ron", seeds: [0, 1], choices: [(turn: "day2", take: ["remote_wipe"], choose: [("tell_customers", "wait")])], expect: [(after: "day2", check: Some("trust > 10")), (after: "day3", score_at_least: Some(10))])"#;
            let text = mutate(rng, plan);
            if let Ok(p) =
                ron::Options::default().with_recursion_limit(32).from_str::<ttx::sim::analyse::plan::PlanFile>(&text)
                && p.seeds.len() <= 4
            {
                let (_, sc) = &scenarios[scenarios.len() - 1];
                let _ = ttx::sim::analyse::plan::run(&p, sc);
            }
            Case { kind: "plan", text }
        }
        _ => {
            let (_, sc) = pick(rng, scenarios);
            let g = random_game(rng, sc);
            roundtrip(&g, sc);
            Case { kind: "moves", text: String::new() }
        }
    }
}

/// Runs `count` inputs from `seed` on this thread; returns (inputs, slowest in µs, its kind).
fn run(seed: u64, count: u64) -> (u64, u128, &'static str) {
    run_from(seed, 0, count)
}

/// Inputs `first..first + count` of `seed` (each input has its own random stream, so one
/// input replays alone: `TTX_FUZZ_ONLY=SEED:INDEX`).
fn run_from(seed: u64, first: u64, count: u64) -> (u64, u128, &'static str) {
    let scenarios: Vec<(String, Arc<Scenario>)> = SCENARIOS
        .iter()
        .map(|(name, text)| ((*text).to_owned(), Arc::new(load_str(text, name).expect("bundled loads").scenario)))
        .collect();
    let template = SCENARIOS[3].1;
    assert!(template.contains(SLOT), "the formula slot is in the template");
    let (mut slowest, mut slowest_kind) = (0u128, "");
    for i in first..first + count {
        let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(i));
        let mut made = None;
        let start = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| made = Some(one(&mut rng, &scenarios, template))));
        let took = start.elapsed().as_micros();
        if took > slowest {
            slowest = took;
            slowest_kind = made.as_ref().map_or("?", |c| c.kind);
        }
        if let Err(panic) = result {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("seed-{seed}-input-{i}.txt"));
            let _ = std::fs::write(&file, made.map(|c| c.text).unwrap_or_default());
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()));
            panic!("input {i} of seed {seed} panicked: {msg:?} (input kept in {})", file.display());
        }
    }
    (count, slowest, slowest_kind)
}

#[test]
fn a_fixed_slice_of_fuzzed_inputs_never_panics() {
    let (n, _, _) = run(7, 300);
    assert_eq!(n, 300);
}

#[test]
#[ignore = "long mode: TTX_FUZZ_INPUTS inputs (default 1,000,000) on every core"]
fn fuzz_long() {
    if let Some((seed, index)) = std::env::var("TTX_FUZZ_ONLY").ok().and_then(|v| {
        let (s, i) = v.split_once(':')?;
        Some((s.parse().ok()?, i.parse().ok()?))
    }) {
        run_from(seed, index, 1);
        return;
    }
    let total: u64 = std::env::var("TTX_FUZZ_INPUTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let start = Instant::now();
    let results: Vec<(u64, u128, &'static str)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| s.spawn(move || run(1000 + t, total / threads + u64::from(t < total % threads))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let n: u64 = results.iter().map(|r| r.0).sum();
    let secs = start.elapsed().as_secs_f64();
    let (slow, kind) = results.iter().map(|r| (r.1, r.2)).max().unwrap_or((0, ""));
    println!(
        "fuzz: {n} inputs in {secs:.0} s on {threads} thread(s) = {:.0} inputs/s; no panic; slowest input {:.1} ms ({kind})",
        n as f64 / secs,
        slow as f64 / 1000.0
    );
    assert_eq!(n, total);
}
