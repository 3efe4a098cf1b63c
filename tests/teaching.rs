//! The verdicts a workshop would test on 7pay, on 100 seeds: switching the service off is
//! no path to a good grade, doing nothing is worse than what 7pay did, unchecked fraud draws
//! the regulator in, and the choices a debrief discusses (compensation, disclosure, not
//! minimising, the prepared security lead, two-step verification before launch) are each
//! worth clearly visible points on the historical path. The balancer's switch-off search
//! finds nothing close to the best strategy, its short-strategy search finds only a real
//! defence there, and `ttx check` warns when a scenario lets switching off come close (shown
//! on a copy of 7pay whose score no longer counts the service delivered).

use std::sync::Arc;

use ttx::sim::analyse::balance::{self, Options};
use ttx::sim::author::diag::Reporter;
use ttx::sim::author::validate::resolve_path;
use ttx::sim::play::score;
use ttx::sim::{Path, Scenario, load_str};

const SRC: &str = include_str!("../scenarios/7pay-launch-week.ron");
const SEEDS: u64 = 100;

fn load(src: &str) -> Arc<Scenario> {
    Arc::new(load_str(src, "7pay-launch-week.ron").expect("7pay loads").scenario)
}

fn path(sc: &Scenario, ron: &str) -> Path {
    let choices: Vec<ttx::sim::format::TurnChoicesDef> = ron::from_str(ron).expect("choices");
    resolve_path(sc, &choices).expect("valid choices")
}

fn stats(sc: &Arc<Scenario>, p: &Path) -> score::PathStats {
    score::path_stats(sc, p, 0, SEEDS)
}

fn mean_score(sc: &Arc<Scenario>, p: &Path) -> f64 {
    stats(sc, p).score.mean
}

fn history(sc: &Scenario) -> Path {
    let mut p = sc.history.as_ref().expect("7pay has a history").path.clone();
    p.choices.resize(sc.turns.len(), Vec::new());
    p
}

/// History plus some choices.
fn history_with(sc: &Scenario, ron: &str) -> Path {
    let mut p = history(sc);
    for (t, a) in path(sc, ron).choices.into_iter().enumerate() {
        p.choices[t].extend(a);
    }
    p
}

/// History without some choices.
fn history_without(sc: &Scenario, ron: &str) -> Path {
    let mut p = history(sc);
    for (t, gone) in path(sc, ron).choices.into_iter().enumerate() {
        p.choices[t].retain(|a| !gone.contains(a));
    }
    p
}

const PAUSE_EVERYTHING: &str = r#"[(turn: "jul1", take: ["pause_all_topups"])]"#;
const PAUSE_EVERYTHING_AND_SIGNUPS: &str = r#"[(turn: "jul1", take: ["pause_all_topups", "pause_signups"])]"#;

#[test]
fn switching_the_service_off_is_no_path_to_a_good_grade() {
    let sc = load(SRC);
    let hist = mean_score(&sc, &history(&sc));
    let defence = mean_score(&sc, &path(&sc, include_str!("data/7pay-good-defence.ron")));
    for (name, ron) in [("every top-up paused", PAUSE_EVERYTHING), ("and sign-ups too", PAUSE_EVERYTHING_AND_SIGNUPS)] {
        let off = mean_score(&sc, &path(&sc, ron));
        assert!(off <= hist + 10.0, "{name} from launch day: {off:.1}, history {hist:.1}");
        assert!(off <= defence - 30.0, "{name} from launch day: {off:.1}, good defence {defence:.1}");
        let grade = &sc.grade(off).grade;
        assert!(grade == "D" || grade == "F", "{name}: grade {grade} ({off:.1})");
    }
}

#[test]
fn doing_nothing_is_worse_than_history_and_draws_the_regulator_in() {
    let sc = load(SRC);
    let hist = stats(&sc, &history(&sc));
    let nothing = stats(&sc, &Path::default());
    assert!(
        nothing.score.mean <= hist.score.mean - 5.0,
        "doing nothing {:.1}, history {:.1}",
        nothing.score.mean,
        hist.score.mean
    );
    // A month of unchecked fraud on a payment app: the regulator steps in and suspends the
    // service; what 7pay did (pausing on day three) never draws that.
    let order = sc.inject_index("suspension_order").expect("suspension order");
    let suspended =
        |p: &Path| (0..SEEDS).filter(|&seed| ttx::sim::play_path(&sc, seed, p).fired_count(order) > 0).count() as u64;
    let (nothing_suspended, history_suspended) = (suspended(&Path::default()), suspended(&history(&sc)));
    assert!(nothing_suspended * 10 >= SEEDS * 9, "suspended in {nothing_suspended} of {SEEDS} games of doing nothing");
    assert_eq!(history_suspended, 0, "history suspended");
}

#[test]
fn the_choices_a_debrief_discusses_are_each_worth_at_least_two_points_on_the_historical_path() {
    let sc = load(SRC);
    let hist = mean_score(&sc, &history(&sc));
    let cases = [
        (
            "compensation",
            hist - mean_score(&sc, &history_without(&sc, r#"[(turn: "jul4", take: ["compensate_victims"])]"#)),
        ),
        (
            "full disclosure against the default answer",
            mean_score(
                &sc,
                &history_with(&sc, r#"[(turn: "jul4", choose: [("press_conference", "full_disclosure")])]"#),
            ) - hist,
        ),
        (
            "not minimising",
            hist - mean_score(
                &sc,
                &history_with(&sc, r#"[(turn: "jul4", choose: [("press_conference", "minimise")])]"#),
            ),
        ),
        (
            "the prepared security lead",
            mean_score(&sc, &history_with(&sc, r#"[(turn: "jul3", take: ["security_lead_presser"])]"#)) - hist,
        ),
        (
            "the board's decision (relaunch without a rebuilt login)",
            hist - mean_score(
                &sc,
                &history_with(&sc, r#"[(turn: "aug1", choose: [("future_of_service", "relaunch")])]"#),
            ),
        ),
    ];
    for (name, worth) in cases {
        assert!(worth >= 2.0, "{name} is worth {worth:+.2} points on the historical path");
    }
    let two_factor = mean_score(&sc, &history_with(&sc, r#"[(turn: "jun24", take: ["two_factor"])]"#)) - hist;
    assert!(two_factor >= 10.0, "2FA a week before launch is worth {two_factor:+.2}");
}

#[test]
fn the_degenerate_strategy_searches_find_nothing_close_to_the_best() {
    let sc = load(SRC);
    let opts = Options { games: 0, ..Default::default() };
    let best = mean_score(&sc, &balance::search(&sc, &balance::greedy(&sc, &opts), &opts));
    let hist = mean_score(&sc, &history(&sc));
    let short = balance::short_strategy(&sc, &opts);
    let off = balance::switch_off(&sc, &opts);
    // The searches are real: the switch-off search finds at least what pausing every
    // top-up from launch day scores.
    let (short_score, off_score) = (mean_score(&sc, &short), mean_score(&sc, &off));
    assert!(off_score >= mean_score(&sc, &path(&sc, PAUSE_EVERYTHING)) - 1.0, "switch-off search: {off_score:.1}");
    assert!(off.choices.iter().flatten().count() > 0, "the switch-off search took no toggle");
    assert!(off_score + 20.0 < best, "switch-off {off_score:.1}, best found {best:.1}");
    assert!(off_score <= hist + 10.0, "switch-off {off_score:.1}, history {hist:.1}");
    // The best three moves of any cost come closer (7pay accepts that finding, `allow:
    // ShortStrategy`) because they are a real defence: without their authentication card
    // they are worth little.
    let auth: Vec<_> = ["two_factor", "fix_password_reset"]
        .iter()
        .map(|id| ttx::sim::Action::Take(sc.mitigation_index(id).expect("card")))
        .collect();
    let mut bare = short.clone();
    for moves in &mut bare.choices {
        moves.retain(|a| !auth.contains(a));
    }
    assert_ne!(bare, short, "the best short strategy has no authentication card: {short:?}");
    let bare_score = mean_score(&sc, &bare);
    assert!(short_score - bare_score >= 20.0, "short {short_score:.1}, without its login fix {bare_score:.1}");
    assert!(bare_score <= hist + 10.0, "short without its login fix {bare_score:.1}, history {hist:.1}");
}

/// 7pay as it was scored before the service counted: no "service delivered" component, and
/// protection counted in full whether or not the service ran.
fn without_the_service_rule() -> String {
    let broken = SRC.replace(r#", counts: Some("0.5 + service / 200")"#, "").replacen(
        r#"value: "service", best: 100, worst: 0, weight: 15,"#,
        r#"value: "service", best: 100, worst: 0, weight: 0.01,"#,
        1,
    );
    assert_ne!(broken, SRC);
    broken
}

#[test]
fn check_warns_when_switching_off_comes_close() {
    let src = without_the_service_rule();
    let sc = load(&src);
    let hist = mean_score(&sc, &history(&sc));
    let best = mean_score(&sc, &path(&sc, include_str!("data/7pay-good-defence.ron")));
    let mut rep = Reporter::new("broken.ron", &src);
    ttx::sim::analyse::lint::degenerate_warnings(&sc, best, Some(hist), 16, &mut rep);
    let diags = rep.finish();
    let w = diags
        .iter()
        .find(|d| d.message.contains("switch-off strategy"))
        .unwrap_or_else(|| panic!("no switch-off warning: {:?}", diags.iter().map(|d| &d.message).collect::<Vec<_>>()));
    assert!(w.message.contains("points above the historical path"), "{}", w.message);
    // It names the lever the strategy rests on: the score without each move, on the same seeds.
    assert!(w.message.contains("of its points rest on") && w.message.contains("Pause all top-ups"), "{}", w.message);
    assert!(w.path.starts_with("mitigations["), "{}", w.path);
    assert!(w.line > 0);
    // On the real 7pay, nothing is flagged with the same inputs.
    let sc = load(SRC);
    let mut rep = Reporter::new("7pay-launch-week.ron", SRC);
    let hist = mean_score(&sc, &history(&sc));
    let best = mean_score(&sc, &path(&sc, include_str!("data/7pay-good-defence.ron")));
    ttx::sim::analyse::lint::degenerate_warnings(&sc, best, Some(hist), 16, &mut rep);
    let diags = rep.finish();
    assert!(diags.is_empty(), "{:?}", diags.iter().map(|d| &d.message).collect::<Vec<_>>());
}
