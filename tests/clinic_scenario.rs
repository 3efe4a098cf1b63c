//! The clinic ransomware scenario loads cleanly, survives random play, and rewards a good defence.

use std::sync::Arc;

use ttx::sim::InjectIdx;
use ttx::sim::play::score::score;
use ttx::sim::{Action, Game, RandomBot, Scenario, load_file};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/clinic-ransomware.ron");
const SEEDS: u64 = 50;

fn scenario() -> Arc<Scenario> {
    let loaded =
        load_file(std::path::Path::new(FILE)).unwrap_or_else(|d| panic!("the clinic scenario must load:\n{d}"));
    assert!(
        loaded.warnings.is_empty(),
        "the clinic scenario must load without warnings, got:\n{}",
        loaded.warnings.iter().map(ToString::to_string).collect::<String>()
    );
    Arc::new(loaded.scenario)
}

/// One turn of a scripted path, written by id.
struct Step {
    turn: &'static str,
    take: &'static [&'static str],
    stop: &'static [&'static str],
    choose: &'static [(&'static str, &'static str)],
}

const fn step(turn: &'static str, take: &'static [&'static str]) -> Step {
    Step { turn, take, stop: &[], choose: &[] }
}

/// Resolves ids to actions per turn index, failing loudly on a typo.
fn resolve(sc: &Scenario, steps: &[Step]) -> Vec<Vec<Action>> {
    let mut per_turn = vec![Vec::new(); sc.turns.len()];
    for s in steps {
        let t = sc.turn_index(s.turn).unwrap_or_else(|| panic!("unknown turn `{}`", s.turn));
        for id in s.take {
            let m = sc.mitigation_index(id).unwrap_or_else(|| panic!("unknown mitigation `{id}`"));
            per_turn[t].push(Action::Take(m));
        }
        for id in s.stop {
            let m = sc.mitigation_index(id).unwrap_or_else(|| panic!("unknown mitigation `{id}`"));
            per_turn[t].push(Action::Stop(m));
        }
        for (inj, opt) in s.choose {
            let i = sc.inject_index(inj).unwrap_or_else(|| panic!("unknown inject `{inj}`"));
            let o = sc.injects[i.ix()]
                .options
                .iter()
                .position(|o| o.id == *opt)
                .unwrap_or_else(|| panic!("unknown option `{opt}` of `{inj}`"));
            per_turn[t].push(Action::Choose(i, o as u16));
        }
    }
    per_turn
}

/// Plays `per_turn` on one seed; every scripted action must be legal.
fn play(sc: &Arc<Scenario>, seed: u64, per_turn: &[Vec<Action>], name: &str) -> Game {
    let mut game = Game::new(Arc::clone(sc), seed);
    while !game.is_finished() {
        for &a in per_turn.get(game.turn()).map_or(&[][..], Vec::as_slice) {
            if let Err(lock) = game.act(a) {
                panic!("{name}, seed {seed}, turn {}: {} refused: {lock}", game.turn(), sc.describe(a));
            }
        }
        game.end_turn();
    }
    game
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// Median score over the seeds, with the median of each metric for the failure message.
fn median_score(sc: &Arc<Scenario>, per_turn: &[Vec<Action>], name: &str) -> (f64, String) {
    let games: Vec<Game> = (0..SEEDS).map(|seed| play(sc, seed, per_turn, name)).collect();
    let total = median(games.iter().map(|g| score(g).total).collect());
    let metrics = sc
        .metrics
        .iter()
        .enumerate()
        .map(|(k, m)| format!("{}={:.2}", m.id, median(games.iter().map(|g| g.metrics()[k]).collect())))
        .collect::<Vec<_>>()
        .join(" ");
    (total, format!("{name}: median score {total:.1}; {metrics}"))
}

/// What the scenario's `history` says a typical clinic did, restated here so a change to the
/// file's history is a deliberate change to this test too.
const HISTORY: &[Step] = &[
    step("mon_morning", &["downtime_procedures"]),
    Step { turn: "mon_midday", take: &["isolate_network"], stop: &[], choose: &[("ransom_demand", "negotiate")] },
    step("tue", &["call_ir_firm", "verify_backups", "press_statement"]),
    step("wed", &["restore_backups"]),
    step("thu", &["notify_regulator"]),
    step("weekend", &["inform_patients", "reset_credentials"]),
];

/// Contain at once, keep caring for patients, refuse the ransom, notify within 72 hours, tell
/// patients, and reconnect once the responders have cleaned up.
const GOOD_DEFENCE: &[Step] = &[
    step("mon_morning", &["isolate_network", "call_ir_firm", "downtime_procedures"]),
    Step {
        turn: "mon_midday",
        take: &["verify_backups", "reset_credentials", "divert_patients"],
        stop: &[],
        choose: &[("ransom_demand", "refuse")],
    },
    step("mon_evening", &["restore_backups", "notify_regulator"]),
    step("tue", &["inform_patients", "press_statement", "hire_temp_staff"]),
    Step { turn: "weekend", take: &[], stop: &["isolate_network"], choose: &[] },
];

#[test]
fn loads_without_warnings_and_has_the_promised_shape() {
    let sc = scenario();
    assert_eq!(sc.meta.language, "en");
    assert!((6..=8).contains(&sc.turns.len()));
    assert!((8..=12).contains(&sc.metrics.len()));
    assert!(sc.metrics.iter().any(|m| !m.visible));
    assert!(sc.dynamics.len() >= 6 && sc.dynamics.iter().any(|d| d.noise > 0.0));
    assert!(sc.injects.len() >= 8);
    assert!(sc.injects.iter().any(|i| i.is_decision()));
    assert!(sc.injects.iter().any(|i| i.when.is_some() && i.probability.is_some()));
    assert!(sc.mitigations.len() >= 8);
    assert!(sc.scoring.grades.iter().any(|g| g.min == 0.0));
    assert!(sc.history.is_some());
}

#[test]
fn random_play_never_panics() {
    let sc = scenario();
    for seed in 0..SEEDS {
        let mut game = Game::new(Arc::clone(&sc), seed);
        RandomBot::new(seed).play(&mut game);
        assert!(game.is_finished());
        let s = score(&game);
        assert!((0.0..=100.0).contains(&s.total), "seed {seed}: score {}", s.total);
        assert!(game.metrics().iter().all(|v| v.is_finite()), "seed {seed}: {:?}", game.metrics());
    }
}

#[test]
fn good_defence_beats_history_beats_doing_nothing() {
    let sc = scenario();
    let history = resolve(&sc, HISTORY);
    let mut from_file = sc.history.as_ref().expect("the scenario has a history").path.choices.clone();
    from_file.resize(sc.turns.len(), Vec::new());
    assert_eq!(history, from_file, "HISTORY must restate the scenario file's history");
    let (good, good_note) = median_score(&sc, &resolve(&sc, GOOD_DEFENCE), "good defence");
    let (hist, hist_note) = median_score(&sc, &history, "history");
    let (nothing, nothing_note) = median_score(&sc, &[], "do nothing");
    let notes = format!("{good_note}\n{hist_note}\n{nothing_note}");
    println!("{notes}");
    assert!(good > hist, "good defence must beat history\n{notes}");
    assert!(hist > nothing, "history must beat doing nothing\n{notes}");
    assert!(good - nothing > 20.0, "doing nothing must score clearly worse than a good defence\n{notes}");
}

#[test]
fn every_inject_can_fire() {
    let sc = scenario();
    let mut fired = vec![0u32; sc.injects.len()];
    let mut count = |g: &Game| {
        for (i, n) in fired.iter_mut().enumerate() {
            *n += g.fired_count(InjectIdx::at(i));
        }
    };
    // Restoring behind the unplugged network, without evicting the attackers first.
    let reckless =
        [step("mon_morning", &["isolate_network", "verify_backups"]), step("mon_midday", &["restore_backups"])];
    let paths = [resolve(&sc, GOOD_DEFENCE), resolve(&sc, HISTORY), resolve(&sc, &reckless), Vec::new()];
    for seed in 0..SEEDS {
        let mut game = Game::new(Arc::clone(&sc), seed);
        RandomBot::new(seed).play(&mut game);
        count(&game);
        for (k, path) in paths.iter().enumerate() {
            count(&play(&sc, seed, path, &format!("path {k}")));
        }
    }
    let never: Vec<&str> =
        sc.injects.iter().zip(&fired).filter(|(_, n)| **n == 0).map(|(i, _)| i.id.as_str()).collect();
    assert!(never.is_empty(), "injects that never fired in {} games: {never:?}", 5 * SEEDS);
}
