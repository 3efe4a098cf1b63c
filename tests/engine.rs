//! Core engine tests on small scenarios written here: exact outcome sequences, lead times,
//! toggles, decisions, undo, retracting, saves and non-finite formulas.

use std::sync::Arc;

use pretty_assertions::assert_eq;
use ttx::sim::play::game::{Cause, Intervention, Lock, Missing};
use ttx::sim::play::save::{SaveError, SaveFile};
use ttx::sim::{Action, CardState, Game, Outcome, RandomBot, Scenario, load_str};
use ttx::sim::{InjectIdx, MetricIdx, MitigationIdx};

const SMALL: &str = r#"Scenario(
    format: 1,
    meta: (id: "small", title: "Small", summary: "A test scenario."),
    resources: (action_points: 2, budget: Some(100), spend_metric: Some("spent")),
    metrics: [
        (id: "trust", label: "Trust", initial: 50, min: Some(0), max: Some(100), good: Higher),
        (id: "fraud", label: "Fraud", initial: 0, min: Some(0), good: Lower),
        (id: "spent", label: "Spent", initial: 0, min: Some(0), good: Lower),
        (id: "guard", label: "Guard", initial: 1, min: Some(0), max: Some(1), visible: false, resets_to: Some(1)),
    ],
    turns: [
        (id: "t1", label: "Day 1", briefing: "One."),
        (id: "t2", label: "Day 2", briefing: "Two."),
        (id: "t3", label: "Days 3-4", days: 2, briefing: "Three."),
    ],
    dynamics: [
        (id: "attack", label: "Attacks", metric: "fraud", value: "10 * guard * days"),
        (id: "anger", label: "Anger", metric: "trust", op: Sub, value: "fraud / 10"),
    ],
    injects: [
        (id: "news", title: "News", channel: News, at: Some("t2"), text: "Fraud!", effects: [(metric: "trust", value: "-5")]),
        (id: "call", title: "Call", channel: Press, when: Some("fraud >= 10"), text: "Speak?",
         options: [
            (id: "quiet", label: "Stay quiet", effects: [(metric: "trust", value: "-3")]),
            (id: "speak", label: "Speak", effects: [(metric: "trust", value: "2")]),
         ]),
    ],
    mitigations: [
        (id: "lock", label: "Lock accounts", description: "Stops attacks.", kind: Toggle, cost: (money: 40, points: 1),
         lead_days: 1, while_active: [(metric: "guard", op: Mul, value: "0")], on_stop: [(metric: "trust", value: "-1")]),
        (id: "apology", label: "Apologise", description: "Say sorry.", cost: (points: 1),
         on_take: [(metric: "trust", value: "4")], available: Some("fraud > 0"), unavailable_text: "Nothing to apologise for."),
        (id: "audit", label: "Audit", description: "Costly.", cost: (money: 80, points: 1), requires: ["apology"]),
    ],
    scoring: (
        components: [
            (id: "trust", label: "Trust", value: "trust", best: 100, worst: 0, weight: 3),
            (id: "fraud", label: "Fraud", value: "fraud", best: 0, worst: 100, weight: 1),
        ],
        grades: [(min: 50, grade: "Pass", verdict: "Fine."), (min: 0, grade: "Fail", verdict: "Not fine.")],
    ),
)"#;

fn small() -> Arc<Scenario> {
    Arc::new(load_str(SMALL, "small.ron").unwrap_or_else(|d| panic!("{d}")).scenario)
}

fn changed(metric: usize, from: f64, to: f64, cause: Cause) -> Outcome {
    let metric = MetricIdx::at(metric);
    Outcome::MetricChanged { metric, from, to, cause }
}

#[test]
fn a_turn_resolves_into_exact_outcomes() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 7);
    assert_eq!(g.log(), &[Outcome::TurnStarted { turn: 0 }]);
    g.act(Action::Take(MitigationIdx::at(0))).expect("lock is available");
    g.end_turn();
    assert_eq!(
        g.log(),
        &[
            Outcome::TurnStarted { turn: 0 },
            Outcome::MitigationTaken { mitigation: MitigationIdx::at(0), points: 1 },
            changed(2, 0.0, 40.0, Cause::Cost(MitigationIdx::at(0))),
            // Lead time of one day: not in effect on day 1, so attacks go on.
            changed(1, 0.0, 10.0, Cause::Dynamic(0)),
            changed(0, 50.0, 49.0, Cause::Dynamic(1)),
            Outcome::TurnEnded { turn: 0 },
            Outcome::TurnStarted { turn: 1 },
            Outcome::InjectFired { inject: InjectIdx::at(0) },
            changed(0, 49.0, 44.0, Cause::Inject(InjectIdx::at(0))),
            Outcome::InjectFired { inject: InjectIdx::at(1) },
        ]
    );
    assert_eq!(g.spent(), 40.0);
    assert_eq!(g.budget_left(), Some(60.0));
    assert_eq!(g.points_left(), 2, "points refill each turn");
    assert_eq!(g.card(MitigationIdx::at(0)), CardState::Pending { ready_turn: Some(1), taken_this_turn: false });
    // Day 2: the decision is due; leaving it unanswered takes the default (first) option.
    assert_eq!(g.due_decisions().collect::<Vec<_>>(), vec![(InjectIdx::at(1), None)]);
    g.end_turn();
    let day2: Vec<_> = g.turn_logs()[1].to_vec();
    assert_eq!(
        day2[4..],
        [
            Outcome::DecisionMade { inject: InjectIdx::at(1), option: 0, by_default: true },
            changed(0, 44.0, 41.0, Cause::Decision(InjectIdx::at(1), 0)),
            Outcome::MitigationActivated { mitigation: MitigationIdx::at(0) },
            changed(3, 1.0, 0.0, Cause::Ongoing(MitigationIdx::at(0))),
            // Guard is down: no new fraud; anger still reads the total.
            changed(0, 41.0, 40.0, Cause::Dynamic(1)),
            Outcome::TurnEnded { turn: 1 },
        ]
    );
    // The guard metric resets each turn before the mitigation multiplies it again.
    g.end_turn();
    assert!(g.is_finished());
    assert_eq!(g.log().last(), Some(&Outcome::GameEnded));
    assert_eq!(g.metrics()[1], 10.0);
    assert_eq!(g.history().len(), 4);
}

#[test]
fn locks_explain_themselves() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 1);
    assert_eq!(
        g.check_action(Action::Take(MitigationIdx::at(1))),
        Err(Lock::Unavailable("Nothing to apologise for.".into()))
    );
    assert!(matches!(g.card(MitigationIdx::at(2)), CardState::Locked(Lock::Requires(ref l)) if l == "Apologise"));
    assert_eq!(g.check_action(Action::Stop(MitigationIdx::at(0))), Err(Lock::NotRunning("Lock accounts".into())));
    assert_eq!(g.check_action(Action::Choose(InjectIdx::at(1), 0)), Err(Lock::NoDecision("Call".into())));
    g.act(Action::Take(MitigationIdx::at(0))).expect("take");
    assert_eq!(g.check_action(Action::Take(MitigationIdx::at(0))), Err(Lock::Pending));
    g.end_turn();
    g.act(Action::Take(MitigationIdx::at(1))).expect("apology now available");
    // One point left, but the audit costs 80 of the 60 left.
    assert!(
        matches!(g.check_action(Action::Take(MitigationIdx::at(2))), Err(Lock::Budget { .. })),
        "{:?}",
        g.check_action(Action::Take(MitigationIdx::at(2)))
    );
    g.act(Action::Stop(MitigationIdx::at(0))).expect("switch the lock off");
    g.act(Action::Take(MitigationIdx::at(0))).expect("and on again, with the last point");
    assert_eq!(
        g.check_action(Action::Take(MitigationIdx::at(2))).map_err(|e| e.to_string()),
        Err("needs 1 action point(s); 0 left this turn".into())
    );
    assert!(Lock::Budget { need: 80.0, left: 60.0, currency: "money".into() }.to_string().contains("80 money"));
    let budget = Lock::Budget { need: 80_000.0, left: 60_000.0, currency: "JPY".into() };
    assert_eq!(budget.to_string(), "costs 80,000 JPY; 60,000 JPY left in the budget");
    assert_eq!(budget.describe(ttx::i18n::Lang::En.tr()), "costs 80,000 JPY; 60,000 JPY left in the budget");
    assert_eq!(budget.describe(ttx::i18n::Lang::Ja.tr()), "費用80,000円に対し、予算の残りは60,000円です");
    assert_eq!(Lock::Unknown(Missing::UndoRecord).to_string(), "no such undo record (this game keeps none)");
    assert_eq!(Lock::DrawNotANumber.describe(ttx::i18n::Lang::En.tr()), "the draw is not a finite number");
}

#[test]
fn stopping_a_toggle_and_retracting_a_move() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 3);
    g.act(Action::Take(MitigationIdx::at(0))).expect("take");
    // Stopping in the same turn takes the move back: refund, points, no log trace.
    g.act(Action::Stop(MitigationIdx::at(0))).expect("retract");
    assert_eq!(g.log(), &[Outcome::TurnStarted { turn: 0 }]);
    assert_eq!((g.spent(), g.points_left()), (0.0, 2));
    assert!(g.actions().is_empty());
    g.act(Action::Take(MitigationIdx::at(0))).expect("take again");
    g.end_turn();
    g.end_turn();
    assert_eq!(g.card(MitigationIdx::at(0)), CardState::Active { taken_this_turn: false });
    g.act(Action::Stop(MitigationIdx::at(0))).expect("switch off");
    assert_eq!(g.mitigation_status(MitigationIdx::at(0)), ttx::sim::expr::MitStatus::Done);
    assert!(g.current_turn_log().contains(&changed(
        0,
        g.metrics_at_turn_start()[0],
        g.metrics()[0],
        Cause::Stop(MitigationIdx::at(0))
    )));
    // A toggle can be switched on again (paying again).
    g.act(Action::Take(MitigationIdx::at(0))).expect("again");
    assert_eq!(g.spent(), 80.0);
}

#[test]
fn choosing_again_replaces_the_earlier_choice() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 3);
    g.end_turn();
    let trust = g.metrics()[0];
    g.act(Action::Choose(InjectIdx::at(1), 0)).expect("quiet");
    assert_eq!(g.metrics()[0], trust - 3.0);
    g.act(Action::Choose(InjectIdx::at(1), 1)).expect("speak instead");
    assert_eq!(g.metrics()[0], trust + 2.0);
    assert_eq!(g.actions(), &[(1, Action::Choose(InjectIdx::at(1), 1))]);
}

#[test]
fn undo_steps_back_a_whole_turn_exactly() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 11);
    g.act(Action::Take(MitigationIdx::at(0))).expect("take");
    let before = (g.log().to_vec(), g.metrics().to_vec(), g.actions().to_vec());
    g.end_turn();
    g.act(Action::Choose(InjectIdx::at(1), 1)).expect("speak");
    assert!(g.undo());
    assert_eq!((g.log().to_vec(), g.metrics().to_vec(), g.actions().to_vec()), before);
    // The undone turn's move can still be taken back.
    g.act(Action::Stop(MitigationIdx::at(0))).expect("retract after undo");
    assert_eq!(g.log(), &[Outcome::TurnStarted { turn: 0 }]);
    assert!(!g.undo(), "nothing before the first turn");
    // Replaying after undo gives the same result as never having undone.
    let mut again = Game::new(Arc::clone(&sc), 11);
    g.end_turn();
    again.end_turn();
    assert_eq!(g.log(), again.log());
}

#[test]
fn saves_round_trip_and_catch_tampering() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 5);
    g.act(Action::Take(MitigationIdx::at(0))).expect("take");
    g.end_turn();
    g.act(Action::Choose(InjectIdx::at(1), 1)).expect("speak");
    let text = SaveFile::of(&g).to_ron().expect("a save writes");
    let save = SaveFile::from_ron(&text).expect("parses");
    let resumed = save.resume(&sc).expect("resumes");
    assert_eq!(resumed.log(), g.log());
    assert_eq!(resumed.turn(), 1);
    assert_eq!(resumed.actions(), g.actions());

    // A finished game round-trips too.
    let mut done = Game::new(Arc::clone(&sc), 9);
    RandomBot::new(9).play(&mut done);
    let back = SaveFile::from_ron(&SaveFile::of(&done).to_ron().expect("a save writes"))
        .expect("parses")
        .resume(&sc)
        .expect("resumes");
    assert_eq!(back.log(), done.log());
    assert!(back.is_finished());

    // Tampered, truncated, foreign and changed saves are refused with a reason.
    let tampered = text.replace("Cost(0)", "Take(0)");
    assert_ne!(tampered, text);
    assert!(matches!(SaveFile::from_ron(&tampered).expect("parses").resume(&sc), Err(SaveError::Diverged { .. })));
    assert!(matches!(SaveFile::from_ron(&text[..text.len() / 2]), Err(SaveError::Syntax { .. })));
    assert!(matches!(SaveFile::from_ron("garbage"), Err(SaveError::Syntax { .. })));
    let future = text.replace("version: 2", "version: 99");
    assert_eq!(SaveFile::from_ron(&future), Err(SaveError::Version(99)));
    let other =
        Arc::new(load_str(&SMALL.replace("id: \"small\"", "id: \"other\""), "other.ron").expect("loads").scenario);
    assert!(matches!(save.resume(&other), Err(SaveError::OtherScenario { .. })));
    let edited = Arc::new(load_str(&SMALL.replace("Fraud!", "Fraud!!"), "small.ron").expect("loads").scenario);
    assert!(matches!(save.resume(&edited), Err(SaveError::Changed(_))));
    let bad_id = text.replace("mitigation: \"lock\"", "mitigation: \"padlock\"");
    assert!(matches!(SaveFile::from_ron(&bad_id).expect("parses").resume(&sc), Err(SaveError::UnknownId { .. })));
}

#[test]
fn non_finite_results_are_skipped_and_logged() {
    let src = SMALL.replace("value: \"fraud / 10\"", "value: \"1 / (fraud - fraud)\"");
    let sc = Arc::new(load_str(&src, "div.ron").expect("loads").scenario);
    let mut g = Game::new(Arc::clone(&sc), 1);
    g.end_turn();
    assert!(g.log().contains(&Outcome::EffectSkipped { metric: MetricIdx::at(0), cause: Cause::Dynamic(1) }));
    assert_eq!(g.history()[1][0], 50.0, "trust untouched by the skipped rule");
}

#[test]
fn random_rolls_do_not_shift_when_choices_change() {
    // Same seed, different choices: an inject's roll stays the same, so what-if replays
    // compare like with like.
    let src = SMALL.replace("at: Some(\"t2\"),", "at: Some(\"t2\"), probability: Some(\"0.5\"),");
    let sc = Arc::new(load_str(&src, "p.ron").expect("loads").scenario);
    for seed in 0..40 {
        let mut a = Game::new(Arc::clone(&sc), seed);
        a.end_turn();
        let mut b = Game::new(Arc::clone(&sc), seed);
        b.act(Action::Take(MitigationIdx::at(0))).expect("take");
        b.end_turn();
        assert_eq!(a.fired_count(InjectIdx::at(0)), b.fired_count(InjectIdx::at(0)), "seed {seed}");
    }
    let fired = (0..200)
        .filter(|&s| {
            let mut g = Game::new(Arc::clone(&sc), s);
            g.end_turn();
            g.fired_count(InjectIdx::at(0)) > 0
        })
        .count();
    assert!((70..=130).contains(&fired), "a 50% inject fired {fired} times in 200");
}

#[test]
fn the_facilitator_triggers_suppresses_and_sets_and_it_is_all_logged() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 3);
    // Trigger the Day-2 news on day 1: it fires now, with its effect, and cannot fire twice.
    g.intervene(Intervention::Trigger { inject: InjectIdx::at(0) }).expect("trigger");
    assert_eq!(
        g.log()[1..],
        [
            Outcome::Facilitator { act: Intervention::Trigger { inject: InjectIdx::at(0) } },
            Outcome::InjectFired { inject: InjectIdx::at(0) },
            changed(0, 50.0, 45.0, Cause::Inject(InjectIdx::at(0))),
        ]
    );
    assert_eq!(g.intervene(Intervention::Trigger { inject: InjectIdx::at(0) }), Err(Lock::Fired("News".into())));
    // Set a metric: clamped to its range, attributed to the facilitator in the score.
    g.intervene(Intervention::SetMetric { metric: MetricIdx::at(0), value: 140.0 }).expect("set");
    assert_eq!(g.metrics()[0], 100.0);
    let drivers = ttx::sim::play::score::drivers(&g, MetricIdx::at(0));
    assert!(drivers.iter().any(|d| d.cause == Cause::Facilitator && d.label == "the facilitator's change"));
    assert_eq!(
        g.intervene(Intervention::SetMetric { metric: MetricIdx::at(0), value: f64::NAN }),
        Err(Lock::NotANumber("Trust".into()))
    );
    assert_eq!(
        g.intervene(Intervention::SetMetric { metric: MetricIdx::at(99), value: 1.0 }),
        Err(Lock::Unknown(Missing::Metric))
    );
    // Suppress the decision: fraud reaches 10 at the end of day 1, yet no call comes.
    g.intervene(Intervention::Suppress { inject: InjectIdx::at(1), on: true }).expect("suppress");
    assert!(g.is_suppressed(InjectIdx::at(1)));
    g.end_turn();
    assert_eq!(g.metrics()[1], 10.0);
    assert_eq!(g.fired_count(InjectIdx::at(1)), 0, "suppressed");
    g.intervene(Intervention::Suppress { inject: InjectIdx::at(1), on: false }).expect("allow");
    g.end_turn();
    assert_eq!(g.fired_count(InjectIdx::at(1)), 1, "allowed again, it fires on the next turn it is due");
    // The report's timeline names every intervention.
    let md = ttx::sim::present::report::build(&g, ttx::i18n::Lang::En.tr()).markdown;
    assert!(md.contains("Facilitator: triggered “News”"), "{md}");
    assert!(md.contains("Facilitator: suppressed “Call” from here on"), "{md}");
    assert!(md.contains("Facilitator: set Trust to 100"), "{md}");
}

#[test]
fn a_fixed_roll_sets_the_noise_of_a_dynamic_for_one_turn() {
    let src = SMALL.replace("value: \"10 * guard * days\"", "value: \"10 * guard * days\", noise: 0.5");
    let sc = Arc::new(load_str(&src, "noisy.ron").expect("loads").scenario);
    let fraud_after = |draw: Option<f64>| {
        let mut g = Game::new(Arc::clone(&sc), 8);
        if let Some(draw) = draw {
            g.intervene(Intervention::Roll { dynamic: 0, draw }).expect("roll");
            assert_eq!(g.fixed_roll(0), Some(draw));
        }
        g.end_turn();
        assert_eq!(g.fixed_roll(0), None, "only for the turn it was set on");
        g.metrics()[1]
    };
    assert_eq!(fraud_after(Some(0.0)), 5.0);
    assert_eq!(fraud_after(Some(1.0)), 15.0);
    assert_eq!(fraud_after(Some(0.5)), 10.0);
    let free = fraud_after(None);
    assert!((5.0..=15.0).contains(&free) && free != 10.0, "{free}");
    // Out-of-range draws are clamped.
    let mut g = Game::new(Arc::clone(&sc), 8);
    g.intervene(Intervention::Roll { dynamic: 0, draw: 7.0 }).expect("roll");
    assert_eq!(g.fixed_roll(0), Some(1.0));
}

#[test]
fn stepping_back_and_the_timer_are_recorded_and_saves_replay_every_intervention() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 21);
    g.act(Action::Take(MitigationIdx::at(0))).expect("take");
    g.intervene(Intervention::SetMetric { metric: MetricIdx::at(0), value: 70.0 }).expect("set");
    // A move made before the facilitator's change stays: taking it back is refused.
    assert_eq!(g.act(Action::Stop(MitigationIdx::at(0))), Err(Lock::BeforeIntervention));
    g.end_turn();
    g.end_turn();
    assert_eq!(g.turn(), 2);
    g.step_back().expect("step back");
    assert_eq!(g.turn(), 1);
    assert_eq!(g.log().last(), Some(&Outcome::Facilitator { act: Intervention::SteppedBack { from: 2 } }));
    // Time runs out on turn 2: the due decision takes its default.
    assert!(g.due_decisions().any(|(i, _)| i == InjectIdx::at(1)));
    g.time_up();
    assert_eq!(g.turn(), 2);
    assert!(g.log().contains(&Outcome::DecisionMade { inject: InjectIdx::at(1), option: 0, by_default: true }));
    assert!(g.log().contains(&Outcome::Facilitator { act: Intervention::TimeUp }));
    g.intervene(Intervention::Trigger { inject: InjectIdx::at(0) }).ok();
    g.intervene(Intervention::Suppress { inject: InjectIdx::at(1), on: true }).expect("suppress");

    let text = SaveFile::of(&g).to_ron().expect("a save writes");
    for verb in ["set_metric(", "stepped_back(", "time_up", "suppress("] {
        assert!(text.contains(verb), "{verb} missing from the save:\n{text}");
    }
    let resumed = SaveFile::from_ron(&text).expect("parses").resume(&sc).expect("resumes");
    assert_eq!(resumed.log(), g.log());
    assert_eq!(resumed.metrics(), g.metrics());
    assert!(resumed.is_suppressed(InjectIdx::at(1)));
    // A tampered value is caught.
    let tampered = text.replace("value: 70.0", "value: 71.0");
    assert_ne!(tampered, text);
    assert!(matches!(SaveFile::from_ron(&tampered).expect("parses").resume(&sc), Err(SaveError::Diverged { .. })));
    let garbage = text.replace("value: 70.0", "value: \"lots\"");
    assert!(matches!(SaveFile::from_ron(&garbage), Err(SaveError::Syntax { .. })));
}

#[test]
fn after_a_step_back_or_time_up_the_turn_can_still_change_and_saves_agree() {
    let sc = small();
    let mut g = Game::new(Arc::clone(&sc), 4);
    g.note("first reason").expect("room for a note");
    g.act(Action::Take(MitigationIdx::at(0))).expect("take");
    g.end_turn();
    g.step_back().expect("back");
    // The move of the turn stepped back to can be taken back; the note and the record stay.
    g.act(Action::Stop(MitigationIdx::at(0))).expect("retract after a step back");
    assert!(g.actions().is_empty());
    assert!(g.log().contains(&Outcome::Note { text: "first reason".into() }));
    assert!(g.log().contains(&Outcome::Facilitator { act: Intervention::SteppedBack { from: 1 } }));
    // Time up, then undo: the live game and its resumed copy allow the same moves.
    g.act(Action::Take(MitigationIdx::at(0))).expect("take again");
    g.time_up();
    let saved = SaveFile::of(&g).to_ron().expect("a save writes");
    let mut resumed = SaveFile::from_ron(&saved).expect("parses").resume(&sc).expect("resumes");
    assert_eq!(resumed.log(), g.log());
    assert!(g.undo() && resumed.undo());
    assert_eq!(g.act(Action::Stop(MitigationIdx::at(0))), Ok(()));
    assert_eq!(resumed.act(Action::Stop(MitigationIdx::at(0))), Ok(()));
    assert_eq!(resumed.log(), g.log());
    let again = SaveFile::from_ron(&SaveFile::of(&g).to_ron().expect("a save writes"))
        .expect("parses")
        .resume(&sc)
        .expect("resumes");
    assert_eq!(again.log(), g.log());

    // Stepping back from a finished game says so.
    let mut done = Game::new(Arc::clone(&sc), 4);
    while !done.is_finished() {
        done.end_turn();
    }
    done.step_back().expect("back from the end");
    assert!(!done.is_finished());
    let Some(Outcome::Facilitator { act }) = done.log().last() else { panic!("no record") };
    assert_eq!(act.describe(&sc), "stepped back from the end of the game to Days 3-4");
}

#[test]
fn a_workshop_report_ranks_the_teams_then_gives_each_teams_report() {
    use ttx::sim::present::teams::TeamGame;
    let sc = Arc::new(load_str(SMALL, "small.ron").expect("loads").scenario);
    let play = |moves: bool| {
        let mut g = Game::new(Arc::clone(&sc), 4);
        while !g.is_finished() {
            if moves {
                for m in 0..sc.mitigations.len() {
                    let _ = g.act(Action::Take(MitigationIdx::at(m)));
                }
            }
            g.end_turn();
        }
        g
    };
    let teams = vec![
        TeamGame { team: "Idle".into(), game: play(false), deeds: Vec::new() },
        TeamGame { team: "Busy".into(), game: play(true), deeds: Vec::new() },
    ];
    let board = ttx::sim::present::teams::leaderboard(&teams).expect("one scenario");
    let r = ttx::sim::present::report::workshop(&teams, ttx::i18n::Lang::En.tr()).expect("a report");
    let title = &sc.meta.title;
    assert!(r.markdown.starts_with(&format!("# Workshop report: {title}")), "{}", r.markdown);
    // The ranking first, then one report per team in rank order.
    let first = &board.rows[0].team;
    let second = &board.rows[1].team;
    let at = |s: &str| r.markdown.find(s).unwrap_or_else(|| panic!("no `{s}` in {}", r.markdown));
    assert!(at(&format!("# 1. Team {first}")) < at(&format!("# 2. Team {second}")));
    assert_eq!(r.markdown.matches(&format!("# After-action report: {title}")).count(), 2);
    assert_eq!(r.html.matches("<section>").count(), 2);
    assert_eq!(r.html.matches("<html").count(), 1, "one page, not pages pasted together");
    assert!(r.html.ends_with("</body></html>\n"));
    // Games of another scenario are refused, not mixed in.
    let other = load_str(&SMALL.replace("title: \"", "title: \"Other "), "other.ron").expect("loads").scenario;
    let mixed = vec![
        teams[0].clone(),
        TeamGame { team: "Elsewhere".into(), game: Game::new(Arc::new(other), 4), deeds: Vec::new() },
    ];
    assert!(ttx::sim::present::report::workshop(&mixed, ttx::i18n::Lang::En.tr()).is_err());
}

/// A live leaderboard compares teams by where their choices lead, not by the score so far:
/// in 7pay, a team that paid for the staged rollout on the first turn is behind a team that
/// did nothing on the score so far (the cost counts at once) and ahead on its heading (the
/// final score if nothing more were done), on every seed tried. A finished game heads to its
/// own score, and working out a heading leaves the game as it was.
#[test]
fn a_team_that_paid_for_a_measure_heads_above_one_that_did_nothing() {
    use ttx::sim::play::score::{heading, live_order, total};
    let sc = Arc::new(ttx::sim::bundled::seven_pay().expect("7pay").scenario);
    let staged = sc.mitigations.iter().position(|m| m.id == "staged_rollout").expect("the card");
    for seed in 1..=8 {
        let mut idle = Game::new(Arc::clone(&sc), seed);
        let mut staging = Game::new(Arc::clone(&sc), seed);
        staging.act(Action::Take(MitigationIdx::at(staged))).expect("taken on the first turn");
        idle.end_turn();
        staging.end_turn();
        assert!(total(&staging) < total(&idle), "seed {seed}: the cost counts first");
        let before = (staging.turn(), staging.log().len(), total(&staging));
        let (ahead, behind) = (heading(&staging), heading(&idle));
        assert_eq!((staging.turn(), staging.log().len(), total(&staging)), before, "the game is untouched");
        assert!(ahead > behind, "seed {seed}: staged heads to {ahead:.1}, idle to {behind:.1}");
        let order = live_order(&[None, Some((idle.turn(), behind)), Some((staging.turn(), ahead))]);
        assert_eq!(order, vec![2, 1, 0], "best heading first, a team without a game last");
        let mut done = idle.clone();
        while !done.is_finished() {
            done.end_turn();
        }
        assert_eq!(heading(&done), total(&done), "finished: its own score");
        assert_eq!(heading(&done), behind, "the heading of doing nothing is where doing nothing ends");
    }
    assert_eq!(
        live_order(&[Some((3, 50.0)), Some((5, 50.0)), Some((5, 50.0))]),
        vec![1, 2, 0],
        "ties: further on, then first"
    );
}
