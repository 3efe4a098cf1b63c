//! The egui screens as plain functions, tested with egui_kittest (no GPU): what they show
//! and which intents their buttons send.
#![cfg(feature = "app")]

use std::cell::RefCell;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ttx::app::screens::screen_ui;
use ttx::app::{Intent, Screen, Session};
use ttx::sim::Action;

/// Renders `screen` of `session` and returns the harness and the intents sent so far.
fn harness<'a>(session: &'a Session, screen: Screen, sent: &'a RefCell<Vec<Intent>>) -> Harness<'a> {
    let mut inputs = ttx::app::screens::Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(1600.0, 1000.0)).build_ui(move |ui| {
        sent.borrow_mut().extend(screen_ui(ui, session, screen, &mut inputs));
    });
    // The game's own font set (egui's default fonts are not built in).
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    h
}

fn playing_7pay() -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    s
}

#[test]
fn title_lists_scenarios_and_starts_one() {
    let session = Session::new(None);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Title, &sent);
    h.get_by_label("7pay: launch week");
    h.get_by_label("Open scenario file…");
    h.get_by_label("Play  [1]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::NewGame(0)), "{:?}", sent.borrow());
    h.get_by_label("Open scenario file…").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::PickFile));
}

#[test]
fn the_turn_screen_shows_the_turn_cards_and_ends_the_turn() {
    let session = playing_7pay();
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Playing, &sent);
    h.get_by_label("Turn 1/11 — 24 - 29 Jun");
    h.get_by_label("Action points 3 of 3");
    h.get_by_label("[1] Staged, pre-registered rollout");
    // A locked card says why.
    assert!(h.query_all_by_label("not available now: Nothing to pause before launch.").count() >= 3);
    // The first "Take" belongs to the first card.
    h.get_all_by_label("Take").next().expect("a Take button").click();
    h.run();
    let staged = session.scenario().and_then(|s| s.mitigation_index("staged_rollout")).expect("card");
    assert!(sent.borrow().contains(&Intent::Act(Action::Take(staged))), "{:?}", sent.borrow());
    h.get_by_label("End turn  [Enter]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::EndTurn));
}

#[test]
fn a_due_decision_is_a_modal_with_its_options() {
    let mut session = playing_7pay();
    // Without defences, the press conference is called by Wed 3 Jul.
    while !session.play.game.as_ref().expect("game").due_decisions().any(|(_, c)| c.is_none()) {
        session.handle(Intent::EndTurn, Screen::Playing);
        session.handle(Intent::ContinueFromSummary, Screen::Summary);
    }
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Playing, &sent);
    assert_eq!(h.query_all_by_label("Emergency press conference").count(), 2, "in the feed and as the modal title");
    h.get_by_label("Play it down").click();
    h.run();
    let inject = session.scenario().and_then(|s| s.inject_index("press_conference")).expect("decision");
    let minimise = session.scenario().expect("scenario").injects[inject.ix()]
        .options
        .iter()
        .position(|o| o.id == "minimise")
        .expect("option") as u16;
    assert!(sent.borrow().contains(&Intent::Act(Action::Choose(inject, minimise))), "{:?}", sent.borrow());
}

#[test]
fn the_debrief_explains_the_score() {
    let mut session = playing_7pay();
    while !session.play.game.as_ref().expect("game").is_finished() {
        session.handle(Intent::EndTurn, Screen::Playing);
    }
    session.handle(Intent::ContinueFromSummary, Screen::Summary);
    let grade = session.play.debrief.as_ref().expect("debrief").score.grade.clone();
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Debrief, &sent);
    h.get_by_label(&format!("Grade {grade}"));
    h.get_by_label("The score, part by part");
    h.get_by_label("You took no actions.");
    h.get_by_label("Play again with the same seed").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::PlayAgain));
}

#[test]
fn scenario_errors_show_file_position_path_and_hint() {
    let mut session = playing_7pay();
    let dir = std::env::temp_dir().join(format!("ttx-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("typo.ron");
    let src =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/clinic-ransomware.ron")).expect("read");
    let broken = src.replacen("channel: News", "channel: Nwes", 1);
    assert_ne!(broken, src);
    std::fs::write(&bad, broken).expect("write");
    session.handle(Intent::OpenPath(bad), Screen::Playing);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Playing, &sent);
    h.get_by_label("unknown value `Nwes`");
    h.get_by_label("help: did you mean `News`?");
    h.get_by_label("Close  [Esc]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::DismissErrors));
}

#[test]
fn the_facilitator_console_sends_interventions() {
    use ttx::sim::game::Intervention;
    let mut session = playing_7pay();
    let sent = RefCell::new(Vec::new());
    {
        let h = harness(&session, Screen::Playing, &sent);
        assert!(h.query_by_label("Facilitator console").is_none(), "hidden until F2");
    }
    session.handle(Intent::ToggleConsole, Screen::Playing);
    let mut h = harness(&session, Screen::Playing, &sent);
    h.get_by_label("Facilitator console");
    h.get_by_label("Start the timer").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::SetTimer(Some(300.0))), "{:?}", sent.borrow());
    h.get_by_label("Injects").click();
    h.run();
    h.get_all_by_label("Suppress").next().expect("a Suppress button").click();
    h.run();
    assert!(
        sent.borrow()
            .contains(&Intent::Facilitate(Intervention::Suppress { inject: ttx::sim::InjectIdx::at(0), on: true })),
        "{:?}",
        sent.borrow()
    );
    // Fold the long sections so the metric editor is in view.
    h.get_by_label("Injects").click();
    h.get_by_label("This turn: notes and questions").click();
    h.run();
    h.get_by_label("Metrics").click();
    h.run();
    h.get_by_label("Set").click();
    h.run();
    assert!(
        sent.borrow()
            .iter()
            .any(|i| matches!(i, Intent::Facilitate(Intervention::SetMetric { metric, .. }) if metric.ix() == 0))
    );
}

#[test]
fn the_leaderboard_lists_teams_and_imports_results() {
    let dir = std::env::temp_dir().join(format!("ttx-ui-board-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut session = Session::new(Some(dir.clone()));
    for team in ["Blue", "Red"] {
        session.handle(Intent::NewGame(0), Screen::Title);
        session.handle(Intent::StartPlaying, Screen::Briefing);
        while !session.play.game.as_ref().is_some_and(ttx::sim::Game::is_finished) {
            session.handle(Intent::EndTurn, Screen::Playing);
        }
        session.handle(Intent::RecordResult(team.into()), Screen::Debrief);
    }
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Leaderboard, &sent);
    h.get_by_label("Blue");
    h.get_by_label("Red");
    h.get_by_label("(leader)");
    h.get_by_label("Import result files…").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::PickResults));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_briefing_shows_objectives_metrics_and_scoring() {
    let mut session = Session::new(None);
    session.handle(Intent::NewGame(0), Screen::Title);
    let sc = std::sync::Arc::clone(session.scenario().expect("scenario"));
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Briefing, &sent);
    h.get_by_label(&sc.meta.title);
    h.get_by_label("Your objectives");
    h.get_by_label("How you are scored");
    for m in sc.metrics.iter().filter(|m| m.visible) {
        assert!(h.query_all_by_label(&m.label).count() >= 1, "metric {} listed", m.label);
    }
    // Each score component is explained with its curve.
    let first = &sc.scoring.components[0];
    assert!(h.query_all_by_label_contains(&first.describe_curve()).count() >= 1, "curve of {} explained", first.label);
    h.get_by_label("Start the first turn  [Enter]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::StartPlaying));
}

#[test]
fn the_summary_shows_every_change_the_engine_reports() {
    let mut session = playing_7pay();
    let sc = std::sync::Arc::clone(session.scenario().expect("scenario"));
    for id in ["staged_rollout", "brief_stores"] {
        let m = sc.mitigation_index(id).expect("card");
        session.handle(Intent::Act(Action::Take(m)), Screen::Playing);
    }
    session.handle(Intent::EndTurn, Screen::Playing);
    let g = session.play.game.as_ref().expect("game");
    let summary = ttx::sim::view::turn_summary(g, 0).expect("turn 0 played");
    assert!(!summary.changes.is_empty(), "the first turn changes something");
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Summary, &sent);
    h.get_by_label(&format!("What happened on {}", sc.turns[0].label));
    for l in &summary.happened {
        h.get_by_label(&l.text);
    }
    for c in &summary.changes {
        assert!(h.query_all_by_label(&c.metric).count() >= 1, "{} listed", c.metric);
        assert!(h.query_all_by_label(&c.after).count() >= 1, "{} after: {}", c.metric, c.after);
        h.get_by_label(&c.why.join("\n"));
    }
    if let Some((label, _)) = &summary.coming_up {
        h.get_by_label(&format!("Coming up on {label}"));
    }
    h.get_by_label("Next turn  [Enter]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::ContinueFromSummary));
}

#[test]
fn a_card_taken_this_turn_can_be_taken_back() {
    let mut session = playing_7pay();
    let m = session.scenario().and_then(|s| s.mitigation_index("staged_rollout")).expect("card");
    session.handle(Intent::Act(Action::Take(m)), Screen::Playing);
    let card = ttx::sim::view::card(session.play.game.as_ref().expect("game"), m);
    assert_eq!(card.button.label, "Take back");
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Playing, &sent);
    h.get_by_label(&card.badge.text());
    h.get_by_label("Take back").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::Act(Action::Stop(m))), "{:?}", sent.borrow());
    h.get_by_label("Action points 2 of 3");
}
