//! Decisions staged as scenes: the format's `scene` and `prepared` fields reach the player's
//! view of a decision (the stage, and whether the team walks on prepared), are checked with
//! placed errors, and scenarios without them load as before.

use std::sync::Arc;

use ttx::i18n::Lang;
use ttx::sim::present::player::{DecisionView, SceneView, turn_view};
use ttx::sim::scenario::{Action, MitigationIdx, Scene};
use ttx::sim::{Game, Scenario, load_file, load_str};

fn scenes() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scenes.ron");
    load_file(&path).unwrap_or_else(|d| panic!("tests/data/scenes.ron must load:\n{d}")).scenario
}

fn decision(g: &Game) -> DecisionView {
    turn_view(g, Lang::En.tr()).decision.expect("a decision is due")
}

#[test]
fn the_scene_and_whether_the_team_is_prepared_reach_the_view() {
    let sc = Arc::new(scenes());
    let mut g = Game::new(sc.clone(), 1);
    let d = decision(&g);
    assert_eq!(d.item.title, "Emergency press conference");
    assert_eq!(d.scene, Some(SceneView { staging: Scene::PressConference, prepared: Some(false) }));
    // Briefing the expert (the scenario's own condition) makes the same scene a prepared one.
    let expert = sc.mitigations.iter().position(|m| m.id == "brief_expert").expect("brief_expert");
    g.act(Action::Take(MitigationIdx::at(expert))).expect("the card can be taken");
    assert_eq!(decision(&g).scene, Some(SceneView { staging: Scene::PressConference, prepared: Some(true) }));
    // A scene without a `prepared` condition gives no verdict.
    g.end_turn();
    let board = decision(&g);
    assert_eq!(board.scene, Some(SceneView { staging: Scene::BoardRoom, prepared: None }));
}

#[test]
fn the_view_shows_the_verdict_never_the_condition() {
    let g = Game::new(Arc::new(scenes()), 1);
    let json = serde_json::to_string(&decision(&g)).expect("serialises");
    assert!(json.contains("PressConference"), "{json}");
    assert!(!json.contains("brief_expert"), "the condition leaks into the view: {json}");
}

#[test]
fn a_plain_decision_is_no_scene_and_older_views_still_read() {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/scenes.ron")).expect("reads");
    let plain = src
        .replace(r#" scene: Some(PressConference), prepared: Some("taken(brief_expert)"),"#, "")
        .replace(" scene: Some(BoardRoom),", "");
    assert_ne!(plain, src, "the replacement must change the file");
    let sc = load_str(&plain, "plain.ron").unwrap_or_else(|d| panic!("{d}")).scenario;
    let d = decision(&Game::new(Arc::new(sc), 1));
    assert_eq!(d.scene, None);
    // A view saved before scenes existed (no `scene` key) still reads, as a plain decision.
    let mut json: serde_json::Value = serde_json::to_value(&d).expect("serialises");
    json.as_object_mut().expect("an object").remove("scene");
    let back: DecisionView = serde_json::from_value(json).expect("an older view reads");
    assert_eq!(back, d);
}

#[test]
fn prepared_without_a_scene_is_warned_about_and_its_formula_is_checked() {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/scenes.ron")).expect("reads");
    let unstaged = src.replace(" scene: Some(PressConference),", "");
    let loaded = load_str(&unstaged, "unstaged.ron").unwrap_or_else(|d| panic!("{d}"));
    let w = loaded.warnings.iter().find(|w| w.path == "injects[0].prepared").expect("a warning on `prepared`");
    assert!(w.message.contains("only a scene shows"), "{}", w.message);
    let typo = src.replace("taken(brief_expert)", "taken(brief_expret)");
    let Err(err) = load_str(&typo, "typo.ron") else { panic!("an unknown mitigation in `prepared` must fail") };
    let first = err.errors().next().expect("an error");
    assert_eq!(first.path, "injects[0].prepared", "{err}");
    assert!(first.message.contains("brief_expret"), "{err}");
}

#[test]
fn every_bundled_scenario_stages_a_scene_and_7pay_its_press_conference() {
    for (path, src) in ttx::sim::bundled::BUNDLED {
        let sc = load_str(src, path).unwrap_or_else(|d| panic!("{path}: {d}")).scenario;
        let staged: Vec<_> = sc.injects.iter().filter(|i| i.scene.is_some()).collect();
        assert!(!staged.is_empty(), "{path}: no decision is staged as a scene");
        assert!(staged.iter().all(|i| i.is_decision() && i.prepared.is_some()), "{path}");
    }
    let (_, src) = ttx::sim::bundled::BUNDLED.iter().find(|(p, _)| p.contains("7pay")).expect("7pay is bundled");
    let sc = load_str(src, "7pay").expect("loads").scenario;
    let presser = sc.injects.iter().find(|i| i.id == "press_conference").expect("the press conference");
    assert_eq!(presser.scene, Some(Scene::PressConference));
}
