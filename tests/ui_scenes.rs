//! A decision staged as a scene (egui_kittest, no GPU): the stage shows the question and
//! every answer as a card, in both languages and themes; the prepared and the unprepared
//! scene differ by a named verdict and stage; an answer card answers; and the 7pay press
//! conference opens as a scene on the turn screen.
#![cfg(feature = "app")]

mod common;

use std::cell::RefCell;
use std::sync::Arc;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::Form;
use ttx::app::screens::scene::{answer_cards, scene_ui};
use ttx::app::{Intent, Screen, Session};
use ttx::i18n::Lang;
use ttx::sim::present::player::{DecisionView, turn_view};
use ttx::sim::scenario::{Action, MitigationIdx};
use ttx::sim::{Game, load_file};

/// The press conference of `tests/data/scenes.ron` in `lang`, with the expert briefed
/// (`prepared`) or not.
fn presser(lang: Lang, prepared: bool) -> DecisionView {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scenes.ron");
    let sc = Arc::new(load_file(&path).unwrap_or_else(|d| panic!("{d}")).scenario.in_language(lang.tag()));
    let mut g = Game::new(sc.clone(), 1);
    if prepared {
        let m = sc.mitigations.iter().position(|m| m.id == "brief_expert").expect("brief_expert");
        g.act(Action::Take(MitigationIdx::at(m))).expect("taken");
    }
    turn_view(&g, lang.tr()).decision.expect("the press conference is due")
}

/// The scene of `d` drawn alone in `lang` and a theme; what its cards send goes to `sent`.
fn scene<'a>(d: &'a DecisionView, lang: Lang, dark: bool, sent: &'a RefCell<Vec<Intent>>) -> Harness<'a> {
    let scene = d.scene.expect("a scene");
    let mut h = Harness::builder().with_size(egui::vec2(900.0, 900.0)).build_ui(move |ui| {
        let mut out = Vec::new();
        scene_ui(ui, d, scene, (lang.tr(), Form::Desktop), |ui| {
            answer_cards(ui, d, (lang.tr(), Form::Desktop), &mut out)
        });
        sent.borrow_mut().extend(out);
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.ctx.set_visuals(if dark { egui::Visuals::dark() } else { egui::Visuals::light() });
    h.run();
    h
}

#[test]
fn the_scene_shows_the_question_and_every_answer_as_a_card() {
    for lang in Lang::ALL {
        for dark in [true, false] {
            let d = presser(lang, false);
            let sent = RefCell::new(Vec::new());
            let h = scene(&d, lang, dark, &sent);
            let mut expected = vec![d.item.title.clone(), d.item.text.clone(), d.item.from.clone()];
            for o in &d.options {
                expected.push(o.label.clone());
                expected.push(o.description.clone());
            }
            assert_eq!(d.options.len(), 3);
            let gone = common::missing(&h, &expected);
            assert!(gone.is_empty(), "{lang:?} dark {dark}: the scene does not show {gone:?}");
            // Each answer is a button of its own, named by its label.
            for o in &d.options {
                h.get_by_role_and_label(egui::accesskit::Role::Button, &o.label);
            }
        }
    }
    // The Japanese scene speaks Japanese.
    let d = presser(Lang::Ja, false);
    assert_eq!(d.item.title, "緊急記者会見");
}

#[test]
fn the_prepared_and_the_unprepared_scene_differ_by_a_named_verdict_and_stage() {
    let named = |prepared: bool| {
        let d = presser(Lang::En, prepared);
        let sent = RefCell::new(Vec::new());
        let h = scene(&d, Lang::En, true, &sent);
        let has = |label: &str| h.query_by_label(label).is_some();
        let stage: Vec<String> =
            h.query_all_by_role(egui::accesskit::Role::Image).filter_map(|n| n.accesskit_node().label()).collect();
        (has("PREPARED"), has("UNPREPARED"), stage.join(" | "))
    };
    let (ready_tag, ready_fumble, ready_stage) = named(true);
    let (fumble_tag, fumble_fumble, fumble_stage) = named(false);
    assert!(ready_tag && !ready_fumble, "prepared: the PREPARED tag alone");
    assert!(fumble_fumble && !fumble_tag, "unprepared: the UNPREPARED tag alone");
    assert!(ready_stage.contains("notes lie ready"), "{ready_stage}");
    assert!(fumble_stage.contains("storm of camera flashes"), "{fumble_stage}");
    assert!(ready_stage.starts_with("A press conference") && fumble_stage.starts_with("A press conference"));
    assert_ne!(ready_stage, fumble_stage);
}

#[test]
fn an_answer_card_answers_the_decision() {
    let d = presser(Lang::En, false);
    let sent = RefCell::new(Vec::new());
    let mut h = scene(&d, Lang::En, false, &sent);
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Play it down").click();
    h.run();
    assert_eq!(*sent.borrow(), vec![Intent::Act(d.options[2].action)]);
}

#[test]
fn the_7pay_press_conference_opens_as_a_scene_on_the_turn_screen() {
    for lang in Lang::ALL {
        let mut s = Session::new(None);
        s.handle(Intent::SetLang(lang), Screen::Title);
        s.handle(Intent::NewGame(0), Screen::Title);
        s.handle(Intent::StartPlaying, Screen::Briefing);
        while !s.game().expect("game").due_decisions().any(|(_, c)| c.is_none()) {
            s.handle(Intent::EndTurn, Screen::Playing);
            s.handle(Intent::ContinueFromSummary, Screen::Summary);
        }
        let d = turn_view(s.game().expect("game"), lang.tr()).decision.expect("a decision");
        assert!(d.scene.is_some(), "{lang:?}: the first decision is the press conference, a scene");
        let sent = RefCell::new(Vec::new());
        let h = common::harness(&s, Screen::Playing, &sent);
        let stage = if lang == Lang::En { "Press conference" } else { "記者会見" };
        let mut expected = vec![stage.to_owned(), d.item.text.clone()];
        expected.extend(d.options.iter().map(|o| o.label.clone()));
        let gone = common::missing(&h, &expected);
        assert!(gone.is_empty(), "{lang:?}: the turn screen does not show {gone:?}");
        assert!(h.query_all_by_role(egui::accesskit::Role::Image).count() >= 1, "{lang:?}: no stage");
    }
}

/// No cameras in a closed room: the board room and the hearing, unprepared, are described
/// (for screen readers, as they are drawn) by a cold glare and papers in disarray, the
/// press conference by its flashes; in both languages.
#[test]
fn a_closed_room_has_no_camera_flashes() {
    use ttx::app::screens::scene::stage_description;
    use ttx::sim::present::player::SceneView;
    use ttx::sim::scenario::Scene;
    for (lang, flash, glare) in [(Lang::En, "camera flashes", "cold glare"), (Lang::Ja, "フラッシュ", "冷たい光")]
    {
        let tr = lang.tr();
        for staging in [Scene::BoardRoom, Scene::Hearing] {
            let said = stage_description(SceneView { staging, prepared: Some(false) }, tr);
            assert!(said.contains(glare) && !said.contains(flash), "{lang} {staging:?}: {said}");
            let ready = stage_description(SceneView { staging, prepared: Some(true) }, tr);
            assert!(!ready.contains(glare) && !ready.contains(flash), "{lang} {staging:?}: {ready}");
        }
        let press = stage_description(SceneView { staging: Scene::PressConference, prepared: Some(false) }, tr);
        assert!(press.contains(flash) && !press.contains(glare), "{lang}: {press}");
    }
}
