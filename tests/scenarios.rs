//! Every bundled scenario validates and plays; 7pay is calibrated against history.

use std::sync::Arc;

use ttx::sim::author::validate::resolve_path;
use ttx::sim::format::TurnChoicesDef;
use ttx::sim::play::score::{self, Spread, path_stats};
use ttx::sim::{Game, Path, RandomBot, Scenario, load_file};

fn scenario_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
        .expect("scenarios/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

fn seven_pay() -> Arc<Scenario> {
    let loaded =
        load_file(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/7pay-launch-week.ron")))
            .unwrap_or_else(|d| panic!("{d}"));
    Arc::new(loaded.scenario)
}

#[test]
fn every_scenario_validates_without_warnings_and_plays_to_the_end() {
    let files = scenario_files();
    assert!(files.len() >= 2, "expected the bundled scenarios, found {files:?}");
    for f in files {
        let loaded = load_file(&f).unwrap_or_else(|d| panic!("{}: {d}", f.display()));
        assert!(loaded.warnings.is_empty(), "{}: {:?}", f.display(), loaded.warnings);
        let sc = Arc::new(loaded.scenario);
        for seed in 0..25 {
            let mut game = Game::new(Arc::clone(&sc), seed);
            RandomBot::new(seed).play(&mut game);
            assert!(game.is_finished());
            assert_eq!(game.history().len(), sc.turns.len() + 1, "one history row per turn plus the start");
            let s = score::score(&game);
            assert!((0.0..=100.0).contains(&s.total), "{}: score {}", f.display(), s.total);
            for (k, m) in sc.metrics.iter().enumerate() {
                let v = game.metrics()[k];
                assert!(v.is_finite() && v >= m.min && v <= m.max, "{}: {} = {v}", f.display(), m.id);
            }
        }
    }
}

#[test]
fn same_seed_and_choices_give_the_same_log() {
    let sc = seven_pay();
    for seed in [0, 1, 42, u64::MAX] {
        let play = || {
            let mut g = Game::new(Arc::clone(&sc), seed);
            RandomBot::new(seed).play(&mut g);
            g
        };
        let (a, b) = (play(), play());
        assert_eq!(a.log(), b.log());
        assert_eq!(a.actions(), b.actions());
    }
    // Different seeds really differ.
    let logs: Vec<_> = (0..5)
        .map(|s| {
            let mut g = Game::new(Arc::clone(&sc), s);
            g.play_out(&Path::default());
            g.log().to_vec()
        })
        .collect();
    assert!(logs.windows(2).any(|w| w[0] != w[1]));
}

fn median_of(sc: &Arc<Scenario>, path: &Path, metric: &str) -> f64 {
    let m = sc.metric_index(metric).expect("metric").ix();
    path_stats(sc, path, 0, 100).metrics[m].p50
}

#[test]
fn historical_path_lands_within_a_quarter_of_the_real_figures() {
    let sc = seven_pay();
    let h = sc.history.as_ref().expect("7pay has a history");
    let victims = median_of(&sc, &h.path, "victims");
    let losses = median_of(&sc, &h.path, "losses");
    assert!((606.0..=1010.0).contains(&victims), "median victims {victims}, real 808");
    assert!((28_961_605.0..=48_269_341.0).contains(&losses), "median losses {losses}, real 38,615,473");
}

fn good_defence(sc: &Scenario) -> Path {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/7pay-good-defence.ron"))
        .expect("read");
    let choices: Vec<TurnChoicesDef> = ron::from_str(&text).expect("strategy parses");
    resolve_path(sc, &choices).expect("strategy resolves")
}

#[test]
fn doing_nothing_is_worse_than_history_and_a_good_defence_beats_both() {
    let sc = seven_pay();
    let history = sc.history.as_ref().expect("history").path.clone();
    let good = good_defence(&sc);
    let (h, n, g) =
        (path_stats(&sc, &history, 0, 100), path_stats(&sc, &Path::default(), 0, 100), path_stats(&sc, &good, 0, 100));
    let at = |s: &score::PathStats, id: &str| s.metrics[sc.metric_index(id).expect("metric").ix()].p50;
    assert!(n.score.p50 < h.score.p50, "do nothing {:?} vs history {:?}", n.score, h.score);
    assert!(at(&n, "victims") > at(&h, "victims") && at(&n, "losses") > at(&h, "losses"));
    assert!(g.score.p50 > h.score.p50, "good {:?} vs history {:?}", g.score, h.score);
    assert!(at(&g, "trust") > at(&h, "trust"), "trust: good {} history {}", at(&g, "trust"), at(&h, "trust"));
    assert!(at(&g, "losses") < at(&h, "losses"), "losses: good {} history {}", at(&g, "losses"), at(&h, "losses"));
    // The good defence is legal as written: no action refused on any seed.
    for seed in 0..20 {
        let mut game = Game::new_fast(Arc::clone(&sc), seed);
        assert_eq!(game.play_out(&good), 0, "seed {seed}: an action of the good defence was refused");
    }
}

#[test]
fn spread_reports_percentiles() {
    let s = Spread::of((1..=101).map(f64::from).collect());
    assert_eq!((s.p5, s.p50, s.p95, s.mean), (6.0, 51.0, 96.0, 51.0));
}

#[test]
fn determinism_vectors_match_natively() {
    // The browser build checks the same file (web/tests): both targets play the same game.
    assert_eq!(ttx::sim::vectors::check(ttx::sim::vectors::BUNDLED).expect("the vectors match"), 4);
}

/// Every scenario in `scenarios/` (but the authoring template) is bundled, so the title
/// screen, the browser build and `ttx serve` offer each one; each bundled one loads
/// without errors (the title screen would leave out one that did not).
#[test]
fn every_scenario_in_the_folder_is_bundled_and_loads() {
    let mut on_disk: Vec<String> = std::fs::read_dir("scenarios")
        .expect("scenarios/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron") && n != "template.ron")
        .map(|n| format!("scenarios/{n}"))
        .collect();
    on_disk.sort();
    let mut bundled: Vec<String> = ttx::sim::bundled::BUNDLED.iter().map(|(p, _)| (*p).to_owned()).collect();
    bundled.sort();
    assert_eq!(bundled, on_disk);
    for (path, text) in ttx::sim::bundled::BUNDLED {
        let loaded = ttx::sim::load_str(text, path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        assert!(loaded.warnings.is_empty(), "{path}: {:?}", loaded.warnings);
    }
}
