//! The week's agenda: what a scenario says everyone knows is coming on a turn (a launch, a
//! campaign, a board review) reaches the timeline from the first turn on, in the player's
//! language; entries are checked with placed errors; scenarios without an agenda load as
//! before.

use std::sync::Arc;

use ttx::i18n::Lang;
use ttx::sim::present::player::turn_view;
use ttx::sim::{Game, Scenario, load_str};

fn seven_pay() -> (&'static str, Scenario) {
    let (_, src) = ttx::sim::bundled::BUNDLED.iter().find(|(p, _)| p.contains("7pay")).expect("7pay is bundled");
    (src, load_str(src, "7pay-launch-week.ron").unwrap_or_else(|d| panic!("{d}")).scenario)
}

#[test]
fn the_timeline_shows_whats_planned_from_the_first_turn_in_either_language() {
    let (_, sc) = seven_pay();
    let g = Game::new(Arc::new(sc.clone()), 1);
    let v = turn_view(&g, Lang::En.tr());
    let launch = v.timeline.iter().find(|t| t.label == "Mon 1 Jul").expect("launch day on the timeline");
    assert_eq!(launch.agenda, ["Launch: open to everyone", "nanaco point rate halved"]);
    assert!(launch.moves.is_empty(), "a turn to come has no moves");
    let last = v.timeline.last().expect("turns");
    assert_eq!(last.agenda, ["Board meeting on the future of 7pay"]);
    // Every turn's agenda is the scenario's, turn by turn.
    for (t, turn) in v.timeline.iter().zip(&sc.turns) {
        assert_eq!(t.agenda, turn.agenda);
    }
    // In Japanese: the translation's entries, the same game.
    let ja = Arc::new(sc.localized("ja").expect("7pay speaks Japanese"));
    let v = turn_view(&Game::new(ja, 1), Lang::Ja.tr());
    assert_eq!(v.timeline[2].agenda, ["サービス開始（全利用者へ公開）", "nanacoポイント還元率の半減"]);
}

#[test]
fn a_broken_agenda_is_an_error_at_its_place() {
    let (src, _) = seven_pay();
    let at = r#"agenda: ["700-yen lottery campaign in stores"]"#;
    assert!(src.contains(at), "the test edits 7pay's 2 July agenda");
    for (agenda, path, says) in [
        (r#"agenda: ["a", "b", "c", "d", "e"]"#, "turns[3].agenda", "at most 4"),
        (r#"agenda: ["  "]"#, "turns[3].agenda[0]", "0 characters"),
        (&*format!(r#"agenda: ["{}"]"#, "x".repeat(61)), "turns[3].agenda[0]", "61 characters"),
    ] {
        let broken = src.replace(at, agenda);
        let Err(err) = load_str(&broken, "7pay.ron") else { panic!("{agenda} must not load") };
        let e = err.errors().next().expect("an error");
        assert_eq!(e.path, path, "{err}");
        assert!(e.message.contains(says), "{err}");
        // Placed at its line in the file, with a hint.
        let line = broken.lines().position(|l| l.contains(agenda)).expect("the line") + 1;
        assert_eq!(e.line, line, "{err}");
        assert!(e.hint.is_some(), "{err}");
    }
    // 60 characters is fine.
    let ok = src.replace(at, &format!(r#"agenda: ["{}"]"#, "x".repeat(60)));
    load_str(&ok, "7pay.ron").unwrap_or_else(|d| panic!("60 characters must load: {d}"));
}

#[test]
fn a_translation_with_the_wrong_number_of_entries_is_warned_about() {
    let (src, _) = seven_pay();
    let at = r#"agenda: ["店頭の700円くじキャンペーン"]"#;
    assert!(src.contains(at));
    let loaded = load_str(&src.replace(at, r#"agenda: ["店頭の700円くじキャンペーン", "余分"]"#), "7pay.ron")
        .unwrap_or_else(|d| panic!("{d}"));
    let w = loaded.warnings.iter().find(|w| w.path.ends_with("agenda")).expect("a warning on the agenda");
    assert!(w.message.contains("2 agenda entries here, 1 in the scenario"), "{}", w.message);
}

#[test]
fn a_scenario_without_an_agenda_loads_and_its_turns_have_none() {
    let (src, _) = seven_pay();
    let mut plain = src.to_owned();
    while let Some(i) = plain.find("agenda: [") {
        let end = plain[i..].find("],").expect("the list ends") + i + 2;
        plain.replace_range(i..end, "");
    }
    assert!(!plain.contains("agenda"));
    let sc = load_str(&plain, "plain.ron").unwrap_or_else(|d| panic!("{d}")).scenario;
    assert!(sc.turns.iter().all(|t| t.agenda.is_empty()));
    let v = turn_view(&Game::new(Arc::new(sc), 1), Lang::En.tr());
    assert!(v.timeline.iter().all(|t| t.agenda.is_empty()));
    // A view saved before agendas existed still reads.
    let mut json = serde_json::to_value(&v.timeline[0]).expect("serialises");
    json.as_object_mut().expect("an object").remove("agenda");
    let back: ttx::sim::present::player::TimelineTurn = serde_json::from_value(json).expect("reads");
    assert_eq!(back, v.timeline[0]);
}
