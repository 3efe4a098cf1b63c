//! The lessons 7pay must teach, checked the way a workshop would find them: a cheap trick
//! loses to real defence work, every choice that changes the outcome changes the score (and
//! its what-if value in the debrief), and the scenario's own lesson claims hold and fail
//! loudly when the model stops supporting them.

use std::sync::Arc;

use ttx::sim::analyse::balance::{self, Options};
use ttx::sim::analyse::lint::balance_warnings;
use ttx::sim::author::validate::resolve_path;
use ttx::sim::play::score::{self, choice_values};
use ttx::sim::{Path, Scenario, Severity, load_str, play_path};

const SRC: &str = include_str!("../scenarios/7pay-launch-week.ron");
const SEEDS: u64 = 100;

fn seven_pay() -> Arc<Scenario> {
    Arc::new(load_str(SRC, "7pay-launch-week.ron").expect("7pay loads").scenario)
}

fn path(sc: &Scenario, ron: &str) -> Path {
    let choices: Vec<ttx::sim::format::TurnChoicesDef> = ron::from_str(ron).expect("choices");
    resolve_path(sc, &choices).expect("valid choices")
}

fn mean_score(sc: &Arc<Scenario>, p: &Path) -> f64 {
    score::path_stats(sc, p, 0, SEEDS).score.mean
}

fn history(sc: &Scenario) -> Path {
    sc.history.as_ref().expect("7pay has a history").path.clone()
}

/// History plus some choices.
fn history_with(sc: &Scenario, ron: &str) -> Path {
    let mut p = history(sc);
    p.choices.resize(sc.turns.len(), Vec::new());
    for (t, a) in path(sc, ron).choices.into_iter().enumerate() {
        p.choices[t].extend(a);
    }
    p
}

const TRICK: &str = r#"[(turn: "jul1", take: ["pause_card_topups"]), (turn: "jul2", take: ["compensate_victims"]), (turn: "jul3", take: ["security_lead_presser"])]"#;

#[test]
fn the_cheap_trick_loses_to_real_defence_and_to_the_best_strategy_found() {
    let sc = seven_pay();
    let trick = mean_score(&sc, &path(&sc, TRICK));
    let defence_src = include_str!("data/7pay-good-defence.ron");
    let defence = mean_score(&sc, &path(&sc, defence_src));
    let opts = Options { games: 0, ..Default::default() };
    let best_path = balance::search(&sc, &balance::greedy(&sc, &opts), &opts);
    let best = mean_score(&sc, &best_path);
    assert!(best - trick >= 20.0, "best found {best:.1}, trick {trick:.1}");
    assert!(defence - trick >= 20.0, "good defence {defence:.1}, trick {trick:.1}");
    // The best strategy found is a real defence: it fixes authentication.
    let takes_auth = best_path.choices.iter().flatten().any(|a| {
        ["two_factor", "fix_password_reset", "device_alerts"]
            .iter()
            .any(|id| *a == ttx::sim::Action::Take(sc.mitigation_index(id).expect("card")))
    });
    assert!(takes_auth, "best strategy: {:?}", best_path);
    // And the balancer's own cheap-trick hunter finds nothing close either.
    let hunted = mean_score(&sc, &balance::cheap_trick(&sc, &opts));
    assert!(best - hunted >= 20.0, "best found {best:.1}, best cheap trick {hunted:.1}");
}

#[test]
fn pausing_card_topups_alone_does_not_beat_history() {
    let sc = seven_pay();
    let pause = mean_score(&sc, &path(&sc, r#"[(turn: "jul1", take: ["pause_card_topups"])]"#));
    let hist = mean_score(&sc, &history(&sc));
    assert!(pause <= hist + 3.0, "pause alone {pause:.1}, history {hist:.1}");
}

#[test]
fn two_factor_before_launch_beats_history() {
    let sc = seven_pay();
    let with = mean_score(&sc, &history_with(&sc, r#"[(turn: "jun24", take: ["two_factor"])]"#));
    let hist = mean_score(&sc, &history(&sc));
    assert!(with > hist + 5.0, "history + 2FA {with:.1}, history {hist:.1}");
}

/// The debrief's "what each choice was worth" for one choice, on every seed.
fn what_if(sc: &Arc<Scenario>, p: &Path, label_part: &str) -> Vec<f64> {
    (0..SEEDS)
        .map(|seed| {
            let g = play_path(sc, seed, p);
            choice_values(&g).into_iter().find(|v| v.label.contains(label_part)).expect("choice listed").delta
        })
        .collect()
}

#[test]
fn what_if_values_on_the_historical_path_have_the_sign_of_the_lesson() {
    let sc = seven_pay();
    let cases = [
        (history(&sc), "Promise full compensation", 1.0),
        (
            history_with(&sc, r#"[(turn: "jul4", choose: [("press_conference", "full_disclosure")])]"#),
            "Full figures",
            1.0,
        ),
        (history_with(&sc, r#"[(turn: "jul4", choose: [("press_conference", "minimise")])]"#), "Play it down", -1.0),
        (history_with(&sc, r#"[(turn: "jun24", take: ["two_factor"])]"#), "two-step verification", 1.0),
        (history_with(&sc, r#"[(turn: "jun30", take: ["staged_rollout"])]"#), "Staged", 1.0),
    ];
    for (p, label, sign) in cases {
        let values = what_if(&sc, &p, label);
        let right = values.iter().filter(|v| **v * sign > 0.05).count();
        assert_eq!(right, values.len(), "{label}: {values:?}");
    }
}

#[test]
fn seven_pay_has_no_flat_component_no_cheap_trick_and_every_lesson_holds() {
    let sc = seven_pay();
    let warnings = balance_warnings(&sc, SRC, "7pay-launch-week.ron");
    assert!(warnings.is_empty(), "{}", warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>().join("\n"));
    let verdicts = ttx::sim::analyse::lesson::check_all(&sc);
    assert!(verdicts.len() >= 15);
    for v in &verdicts {
        assert!(v.holds, "{}: {}", v.id, v.findings.join("; "));
    }
    // Every cause the facts name has a lesson.
    for id in [
        "stage_the_rollout",
        "size_for_the_forecast",
        "brief_the_stores",
        "fix_the_reset",
        "two_factor_before_launch",
        "detect_early",
        "security_lead_is_no_substitute",
        "compensate",
    ] {
        assert!(verdicts.iter().any(|v| v.id == id), "no lesson `{id}`");
    }
}

#[test]
fn a_lesson_the_model_does_not_support_is_reported_where_it_is_written() {
    // Claim the opposite of what two-step verification does.
    let broken = SRC.replacen(
        r#"expect: [LowerByShare("victims", 0.8), LowerByShare("losses", 0.8), HigherBy("trust", 5.0), HigherBy("score", 10.0)]"#,
        r#"expect: [Higher("victims")]"#,
        1,
    );
    assert_ne!(broken, SRC);
    let sc = Arc::new(load_str(&broken, "broken.ron").expect("still valid").scenario);
    let warnings = balance_warnings(&sc, &broken, "broken.ron");
    let w = warnings.iter().find(|w| w.message.contains("two_factor_before_launch")).expect("lesson flagged");
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.path, "lessons[4]");
    assert!(
        w.line > 0 && w.message.contains("victims") && w.message.contains("higher on 0% of 100 seeds"),
        "{}",
        w.message
    );
    // A lesson with a move that cannot be played is an error of the lesson, not a pass.
    let unplayable = SRC.replacen(
        r#"add: [(turn: "jul3", take: ["security_lead_presser"])]"#,
        r#"add: [(turn: "jun24", take: ["security_lead_presser"])]"#,
        1,
    );
    let sc = Arc::new(load_str(&unplayable, "u.ron").expect("valid").scenario);
    let v = ttx::sim::analyse::lesson::check_all(&sc)
        .into_iter()
        .find(|v| v.id == "security_lead_is_no_substitute")
        .expect("lesson");
    assert!(!v.holds && v.findings[0].contains("cannot be played"), "{:?}", v.findings);
}

#[test]
fn lesson_mistakes_are_placed_errors() {
    let bad = SRC
        .replacen(r#"expect: [LowerByShare("downtime", 0.5), Higher("score")]"#, r#"expect: [Lower("downtim")]"#, 1)
        .replacen(
            r#"remove: [(turn: "jul4", take: ["compensate_victims"])]"#,
            r#"remove: [(turn: "jul4", take: ["two_factor"])]"#,
            1,
        );
    let err = load_str(&bad, "bad.ron").expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("unknown metric `downtim`") && text.contains("did you mean `downtime`?"), "{text}");
    assert!(text.contains("lessons[0].expect[0]"), "{text}");
    assert!(text.contains("the base strategy has no such move"), "{text}");
}

#[test]
fn score_curves_keep_every_difference_visible() {
    let sc = seven_pay();
    let victims = sc.scoring.components.iter().find(|c| c.id == "victims").expect("component");
    let f = |v: f64| victims.fraction(v);
    assert_eq!(f(0.0), 1.0);
    assert!((f(800.0) - 0.5).abs() < 1e-12, "half the points at `half`");
    assert!((f(2400.0) - 1.0 / 3.0).abs() < 1e-12, "a third at 3 × half");
    // 800, 8,000 and 80,000 victims are three clearly different scores.
    assert!(f(800.0) - f(8_000.0) > 0.2 && f(8_000.0) - f(80_000.0) > 0.05 && f(80_000.0) > 0.0);
    assert_eq!(victims.saturation(1e12), ttx::sim::scenario::Saturation::No);
}

#[test]
fn lead_times_end_inside_the_turn_they_fall_in() {
    use ttx::sim::play::game::Game;
    let sc = seven_pay();
    let turn = |id: &str| sc.turn_index(id).expect("turn");
    let card = |id: &str| sc.mitigation_index(id).expect("card");
    let mut g = Game::new(Arc::clone(&sc), 1);
    // A five-day project started in the six-day week before launch is live at launch.
    g.act(ttx::sim::Action::Take(card("two_factor"))).expect("2FA can be started");
    while g.turn() < turn("jul3") {
        g.end_turn();
    }
    assert!(matches!(g.card(card("two_factor")), ttx::sim::CardState::Active { .. }));
    // Half a day on a one-day turn: the card pause of 3 July works on 3 July, as it did.
    g.act(ttx::sim::Action::Take(card("pause_card_topups"))).expect("pause");
    assert!(
        matches!(g.card(card("pause_card_topups")), ttx::sim::CardState::Pending { ready_turn: Some(t), .. } if t == turn("jul3"))
    );
    g.end_turn();
    let activated_on_jul3 = g.turn_logs()[turn("jul3")].iter().any(|o| {
        matches!(o, ttx::sim::Outcome::MitigationActivated { mitigation } if *mitigation == card("pause_card_topups"))
    });
    assert!(activated_on_jul3);
    // A one-day lead on a one-day turn works from the next turn.
    g.act(ttx::sim::Action::Take(card("velocity_rules"))).expect("velocity rules");
    assert!(
        matches!(g.card(card("velocity_rules")), ttx::sim::CardState::Pending { ready_turn: Some(t), .. } if t == turn("jul5"))
    );
}
