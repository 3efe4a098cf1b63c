//! The egui screens as plain functions, tested with egui_kittest (no GPU): what they show
//! and which intents their buttons send.
#![cfg(feature = "app")]

use std::cell::RefCell;

use bevy_egui::egui;
use bevy_egui::egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::screen_ui;
use ttx::app::session::TimerOrder;
use ttx::app::{Intent, News, Screen, Session};
use ttx::i18n::Lang;
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

/// A session in `lang` whatever the machine's language.
fn session_in(lang: Lang) -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(lang), Screen::Title);
    s
}

/// A session in English: most tests read the English screens.
fn english() -> Session {
    session_in(Lang::En)
}

fn playing_7pay() -> Session {
    playing_7pay_in(Lang::En)
}

fn playing_7pay_in(lang: Lang) -> Session {
    let mut s = session_in(lang);
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    s
}

#[test]
fn title_lists_scenarios_and_starts_one() {
    let session = english();
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Title, &sent);
    h.get_by_label("7pay: launch week");
    // Files and settings are out of the way, one click away.
    assert!(h.query_by_label("Open scenario file…").is_none(), "the file button is tucked away");
    h.get_by_label("Play  [1]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::NewGame(0)), "{:?}", sent.borrow());
    h.get_by_label("Files, workshops and settings").click();
    h.run();
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
    // Each card's button names its card.
    h.get_by_label("Take: Staged, pre-registered rollout").click();
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
    while !session.game().expect("game").due_decisions().any(|(_, c)| c.is_none()) {
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
    while !session.game().expect("game").is_finished() {
        session.handle(Intent::EndTurn, Screen::Playing);
    }
    session.handle(Intent::ContinueFromSummary, Screen::Summary);
    let grade = session.debrief().expect("debrief").score.grade.clone();
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
    use ttx::sim::play::game::Intervention;
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
    session.handle(Intent::SetLang(Lang::En), Screen::Title);
    for team in ["Blue", "Red"] {
        session.handle(Intent::NewGame(0), Screen::Title);
        session.handle(Intent::StartPlaying, Screen::Briefing);
        while !session.game().is_some_and(ttx::sim::Game::is_finished) {
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
    let mut session = english();
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
    let g = session.game().expect("game");
    let summary = ttx::sim::present::view::turn_summary(g, 0, Lang::En.tr()).expect("turn 0 played");
    assert!(!summary.changes.is_empty(), "the first turn changes something");
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Summary, &sent);
    // The heading (the summary's live region carries the same name).
    h.get_by_role_and_label(Role::Label, &format!("What happened on {}", sc.turns[0].label));
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
    let card = ttx::sim::present::view::card(session.game().expect("game"), m, Lang::En.tr());
    assert_eq!(card.button.label, "Take back");
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Playing, &sent);
    h.get_by_label(&card.badge.text(Lang::En.tr()));
    h.get_by_label(&format!("Take back: {}", card.label)).click();
    h.run();
    assert!(sent.borrow().contains(&Intent::Act(Action::Stop(m))), "{:?}", sent.borrow());
    h.get_by_label("Action points 2 of 3");
}

#[test]
fn the_title_screen_speaks_japanese() {
    let session = session_in(Lang::Ja);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Title, &sent);
    h.get_by_label("ttx — インシデント対応机上演習");
    h.get_by_label("ファイル・ワークショップ・設定").click();
    h.run();
    h.get_by_label("シナリオファイルを開く…");
    h.get_by_label("文字サイズ");
    assert!(h.query_by_label("Open scenario file…").is_none(), "no English left");
    h.get_by_label("プレイ  [1]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::NewGame(0)), "{:?}", sent.borrow());
}

#[test]
fn the_turn_screen_speaks_japanese() {
    let session = playing_7pay_in(Lang::Ja);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Playing, &sent);
    let sc = session.scenario().expect("scenario");
    h.get_by_label(&format!("ターン 1/{} — {}", sc.turns.len(), sc.turns[0].label));
    h.get_by_label("ポイント 残り3/3");
    h.get_by_label("ダッシュボード");
    h.get_by_role_and_label(Role::Label, "イベントフィード");
    h.get_by_label("この対応の理由は？");
    h.get_by_label("ターン終了  [Enter]").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::EndTurn), "{:?}", sent.borrow());
}

#[test]
fn the_language_picker_switches_to_japanese() {
    let session = english();
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Title, &sent);
    h.get_by_label("Language");
    h.get_by_label("English");
    h.get_by_label("日本語").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::SetLang(Lang::Ja)), "{:?}", sent.borrow());
}

#[test]
fn the_facilitator_can_switch_language_during_a_game() {
    let mut session = playing_7pay();
    session.handle(Intent::ToggleConsole, Screen::Playing);
    let sent = RefCell::new(Vec::new());
    {
        let mut h = harness(&session, Screen::Playing, &sent);
        h.get_by_label("日本語").click();
        h.run();
    }
    assert!(sent.borrow().contains(&Intent::SetLang(Lang::Ja)), "{:?}", sent.borrow());
    // The same game, now in Japanese: the screens read the language every frame.
    session.handle(Intent::SetLang(Lang::Ja), Screen::Playing);
    let h = harness(&session, Screen::Playing, &sent);
    h.get_by_label("ファシリテーター用コンソール");
    h.get_by_label("ターン終了  [Enter]");
}

/// egui draws nothing for a character its fonts lack: every Japanese message must be in the
/// bundled fonts (the Japanese one is a subset).
#[test]
fn every_japanese_message_can_be_drawn() {
    for (name, text) in [
        ("ja/app.ftl", include_str!("../assets/i18n/ja/app.ftl")),
        ("ja/game.ftl", include_str!("../assets/i18n/ja/game.ftl")),
    ] {
        let missing: Vec<(usize, char)> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim_start().starts_with('#'))
            .flat_map(|(n, l)| l.chars().filter(|c| !ttx::sim::author::glyphs::drawable(*c)).map(move |c| (n + 1, c)))
            .collect();
        assert!(missing.is_empty(), "{name}: the fonts cannot draw (line, char): {missing:?}");
    }
}

#[test]
fn without_the_japanese_font_the_picker_names_japanese_in_english() {
    let session = english();
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Title, &sent);
    // The browser before it fetched the Japanese font.
    h.ctx.set_fonts(ttx::app::fonts::definitions(None));
    h.run();
    assert!(h.query_by_label("日本語").is_none(), "it would be blank");
    h.get_by_label("Japanese").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::SetLang(Lang::Ja)), "{:?}", sent.borrow());
}

#[test]
fn a_note_is_typed_in_japanese_through_an_input_method() {
    let session = playing_7pay_in(Lang::Ja);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Playing, &sent);
    // N starts a note: the field takes the keyboard (and the input method).
    h.key_press(egui::Key::N);
    h.run();
    assert!(h.ctx.egui_wants_keyboard_input(), "the note field has focus");
    assert!(h.output().platform_output.ime.is_some(), "the field asks the platform for its input method");
    // Kana composed, shown in the field while converting, then the kanji committed.
    h.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: "ふせいりよう".into(), active_range_chars: Some(6..6)
    }));
    h.run();
    assert!(h.query_all_by_value("ふせいりよう").next().is_some(), "the composition shows in the field");
    h.event(egui::Event::Ime(egui::ImeEvent::Commit("不正利用".into())));
    h.run();
    h.event(egui::Event::Text("を止める".into()));
    h.run();
    assert!(h.query_all_by_value("不正利用を止める").next().is_some(), "committed text, then typed text");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(sent.borrow().contains(&Intent::Note("不正利用を止める".into())), "{:?}", sent.borrow());
    assert!(!sent.borrow().iter().any(|i| matches!(i, Intent::EndTurn)), "Enter in the field notes, not ends the turn");
}

#[test]
fn a_workshop_is_joined_by_its_link_and_its_banner_says_where_and_how() {
    let session = english();
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Title, &sent);
    h.get_by_label("Join a workshop:  [J]");
    let link = "http://127.0.0.1:8080/?join=0123456789abcdef0123456789abcdef";
    h.get_by(|n| n.placeholder().is_some_and(|p| p.contains("K7QM-3XPR"))).focus();
    h.run();
    h.get_by(|n| n.placeholder().is_some_and(|p| p.contains("K7QM-3XPR"))).type_text(link);
    h.run();
    h.get_by_label("Join").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::JoinWorkshop(link.into())), "{:?}", sent.borrow());

    // Joined (the connection is the app's, not the screen's): the banner and Leave.
    let mut joined = english();
    joined.handle(Intent::JoinWorkshop(link.into()), Screen::Title);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&joined, Screen::Title, &sent);
    h.get_by_label("Workshop · 127.0.0.1:8080");
    h.get_by_label("connecting…");
    h.get_by_label("Leave").click();
    h.run();
    assert!(sent.borrow().contains(&Intent::LeaveWorkshop));
    drop(h);
    // Not a link: said so, nothing joined.
    joined.handle(Intent::JoinWorkshop("my team".into()), Screen::Title);
    assert!(joined.notice().is_some_and(|n| n.contains("not a workshop link")));
}

/// The title's number keys start a scenario, but never from a key typed into a field: a
/// join code's digit, even on the frame the field lets go of the keyboard (Escape with
/// the digit, as a browser can deliver them together), or a moment after typing ended.
#[test]
fn a_digit_typed_into_the_join_code_never_starts_a_scenario() {
    let session = english();
    let sent = RefCell::new(Vec::new());
    let starts = |sent: &RefCell<Vec<Intent>>| sent.borrow().iter().filter(|i| matches!(i, Intent::NewGame(_))).count();
    let mut h = harness(&session, Screen::Title, &sent);
    h.key_press(egui::Key::J);
    h.run();
    assert!(h.ctx.egui_wants_keyboard_input(), "J gives the join field the keyboard");
    for c in "k7qm-3".chars() {
        if let Some(k) = egui::Key::from_name(&c.to_string()) {
            h.key_press(k);
        }
        h.event(egui::Event::Text(c.to_string()));
        h.run();
    }
    assert!(h.query_all_by_value("k7qm-3").next().is_some(), "the digits went to the field");
    // The field lets go and a digit arrives on the same frame.
    h.key_press(egui::Key::Escape);
    h.key_press(egui::Key::Num3);
    h.run();
    assert!(!h.ctx.egui_wants_keyboard_input(), "Escape took the keyboard from the field");
    assert_eq!(starts(&sent), 0, "{:?}", sent.borrow());
    // A half-typed code keeps the digits for the field, however long after.
    for _ in 0..40 {
        h.step();
    }
    h.key_press(egui::Key::Num1);
    h.run();
    assert_eq!(starts(&sent), 0, "{:?}", sent.borrow());

    // An empty field that had the keyboard: the keys come back a second after it let go.
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&session, Screen::Title, &sent);
    h.key_press(egui::Key::J);
    h.run();
    h.key_press(egui::Key::Escape);
    h.key_press(egui::Key::Num2);
    h.run();
    assert_eq!(starts(&sent), 0, "{:?}", sent.borrow());
    let t0 = h.ctx.input(|i| i.time);
    for _ in 0..1000 {
        if h.ctx.input(|i| i.time) > t0 + 1.1 {
            break;
        }
        h.step();
    }
    h.key_press(egui::Key::Num2);
    h.run();
    assert_eq!(sent.borrow().iter().filter(|i| **i == Intent::NewGame(1)).count(), 1, "{:?}", sent.borrow());
}

/// An English session joined as the facilitator of a 7pay workshop of Red and Blue (the
/// welcome's other fields from `extra`): the session, the screen it moved to, the scenario.
fn facilitator(extra: serde_json::Value) -> (Session, Option<Screen>, (String, String)) {
    use ttx::app::session::ServerEvent;
    let mut s = english();
    s.handle(
        Intent::JoinWorkshop("http://127.0.0.1:8080/?join=00112233445566778899aabbccddeeff".into()),
        Screen::Title,
    );
    let (name, text) = ttx::serve::bundled(None).expect("7pay");
    let mut welcome = serde_json::json!({
        "type": "welcome", "session": "s", "seat": "facilitator", "team": null, "teams": ["Red", "Blue"],
        "scenario": "7pay-launch-week", "scenario_name": name, "scenario_text": text,
        "online": [0, 0], "tokens": [], "codes": [], "seed": 1, "pace": "free",
    });
    if let (Some(w), Some(extra)) = (welcome.as_object_mut(), extra.as_object()) {
        w.extend(extra.clone());
    }
    let next = s.news(News::Server(ServerEvent::Text(welcome.to_string())), Screen::Title);
    (s, next, (name, text))
}

/// The live leaderboard ranks by where each team's choices lead, not by the score so far:
/// Blue paid for the staged rollout on the first turn and has the lower score now, yet it
/// comes first, with the final score it is heading for beside its score.
#[test]
fn the_dashboard_ranks_a_team_that_invested_above_one_that_did_nothing() {
    use ttx::app::session::ServerEvent;
    use ttx::sim::play::score::{heading, total};
    let (mut s, next, (name, text)) = facilitator(serde_json::json!({}));
    assert_eq!(next, Some(Screen::Workshop));
    let sc = std::sync::Arc::new(ttx::sim::load_str(&text, &name).expect("loads").scenario);
    let staged = sc.mitigations.iter().position(|m| m.id == "staged_rollout").expect("the card");
    let mut red = ttx::sim::Game::new(std::sync::Arc::clone(&sc), 1);
    let mut blue = ttx::sim::Game::new(sc, 1);
    blue.act(Action::Take(ttx::sim::MitigationIdx::at(staged))).expect("taken");
    for (team, game) in [("Red", &mut red), ("Blue", &mut blue)] {
        game.end_turn();
        let save = ttx::sim::play::save::SaveFile::of(game);
        let sync = serde_json::json!({ "type": "sync", "team": team, "seq": 2, "save": save });
        s.news(News::Server(ServerEvent::Text(sync.to_string())), Screen::Workshop);
    }
    assert!(total(&blue) < total(&red), "Blue is behind on the score so far");
    let sent = RefCell::new(Vec::new());
    let h = harness(&s, Screen::Workshop, &sent);
    for game in [&red, &blue] {
        h.get_by_label(&format!("score {:.1}", total(game)));
        h.get_by_label(&format!("if nothing more: {:.1}", heading(game)));
    }
    let (red_at, blue_at) = (h.get_by_label("Red").rect(), h.get_by_label("Blue").rect());
    assert!(blue_at.left() < red_at.left(), "Blue ranks first: {blue_at:?} before {red_at:?}");
    assert!(h.get_by_label("1.").rect().left() < blue_at.left() && h.get_by_label("2.").rect().left() > blue_at.left());
    drop(h);
    // Announcements missed: the facilitator asks for every team's game again.
    let lagged = serde_json::json!({ "type": "lagged", "missed": 3 });
    s.news(News::Server(ServerEvent::Text(lagged.to_string())), Screen::Workshop);
    let outbox = s.take_requests();
    let asked: Vec<serde_json::Value> = outbox.iter().map(|m| serde_json::from_str(m).expect("JSON")).collect();
    assert!(asked.contains(&serde_json::json!({ "type": "sync", "team": "*" })), "{outbox:?}");
}

#[test]
fn the_facilitators_dashboard_ranks_every_teams_live_game() {
    use ttx::app::session::ServerEvent;
    let (mut s, next, (name, text)) = facilitator(serde_json::json!({
        "tokens": ["aa".repeat(16), "bb".repeat(16)],
        "codes": ["K7QM-3XPR", "N2P8-HR97"],
        "pace": "synchronized",
    }));
    assert_eq!(next, Some(Screen::Workshop));
    // Red has ended a turn; Blue has not been heard of yet.
    let sc = std::sync::Arc::new(ttx::sim::load_str(&text, &name).expect("loads").scenario);
    let mut red = ttx::sim::Game::new(sc, 1);
    red.end_turn();
    let save = ttx::sim::play::save::SaveFile::of(&red);
    let sync = serde_json::json!({ "type": "sync", "team": "Red", "seq": 1, "save": save });
    s.news(News::Server(ServerEvent::Text(sync.to_string())), Screen::Workshop);

    let sent = RefCell::new(Vec::new());
    let mut h = harness(&s, Screen::Workshop, &sent);
    h.get_by_label("Workshop: every team");
    assert!(h.query_by_label_contains("Turns are synchronized").is_some(), "the pace is said");
    h.get_by_label("Red");
    h.get_by_label("Blue");
    h.get_by_label("Turn 2/11");
    h.get_by_label("waiting for the team's game…");
    let total = ttx::sim::play::score::score(&red).total;
    h.get_by_label(&format!("score {total:.1}"));
    h.get_by_label("End this team's turn").click();
    h.run();
    h.get_by_label("End the turn for every team  [E]").click();
    h.run();
    h.get_by_label("Console").click();
    h.run();
    h.get_by_label("Workshop report…  [R]").click();
    h.run();
    h.get_by_label("Start: every team's turn ends when it runs out").click();
    h.run();
    // The join links (and their QR codes) show for the room's screen on request.
    let red_link = format!("http://127.0.0.1:8080/?join={}", "aa".repeat(16));
    assert!(h.query_by_label(&red_link).is_none());
    h.get_by_label("Show the teams' join links and QR codes (for the room's screen)  [L]").click();
    h.run();
    h.get_by_label(&red_link);
    h.get_by_label(&format!("http://127.0.0.1:8080/?join={}", "bb".repeat(16)));
    // With each team's code to type, in large letters.
    h.get_by_label("K7QM-3XPR");
    h.get_by_label("N2P8-HR97");
    // The projector view keeps the ranking and the links, without a single control.
    h.get_by_label("Projector view (no controls)  [P]").click();
    h.run();
    h.get_by_label(&red_link);
    h.get_by_label("Red");
    for control in ["End this team's turn", "End the turn for every team  [E]", "Console", "Workshop report…  [R]"] {
        assert!(h.query_by_label(control).is_none(), "{control} is hidden");
    }
    // In type the back row can read: each team's name and code large, the common turn said.
    assert!(h.get_by_label("Red").rect().height() >= 30.0, "{:?}", h.get_by_label("Red").rect());
    assert!(h.get_by_label("K7QM-3XPR").rect().height() >= 40.0);
    h.get_by_label(&format!("Turn 2/11 · {}", red.scenario().turns[1].label));
    // Links off: the standings, a row per team with where its choices lead and that grade.
    h.get_by_label("Show the teams' join links and QR codes (for the room's screen)  [L]").click();
    h.run();
    assert!(h.query_by_label(&red_link).is_none());
    let heading = ttx::sim::play::score::heading(&red);
    let row = format!("{heading:.1}  {}", red.scenario().grade(heading).grade);
    let row = h.get_by_label(&row).rect();
    assert!(row.height() >= 40.0, "{row:?}");
    let blue = h.get_by_label("Blue").rect();
    assert!(blue.top() > h.get_by_label("Red").rect().bottom(), "Blue's row is under Red's: {blue:?}");
    h.get_by_label("waiting for the team's game…");
    // Every row's content is on the screen: nothing runs off the right edge.
    for n in h.query_all_by(|_| true) {
        if let Some(r) = n.accesskit_node().bounding_box() {
            assert!(r.x1 <= 1600.5, "{:?} ends at {}", n.accesskit_node().label(), r.x1);
        }
    }
    assert_eq!(
        *sent.borrow(),
        vec![
            Intent::EndTurnFor(Some(0)),
            Intent::EndTurnFor(None),
            Intent::ConsoleOn(Some(0)),
            Intent::ExportReport,
            Intent::WorkshopTimer(TimerOrder::Start(300)),
        ]
    );
    drop(h);
    // A paused timer says so, and resumes from here.
    let paused = serde_json::json!({ "type": "timer", "seconds": 300, "left_ms": 61_000, "paused": true });
    s.news(News::Server(ServerEvent::Text(paused.to_string())), Screen::Workshop);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&s, Screen::Workshop, &sent);
    h.get_by_label("(paused)");
    h.get_by_label_contains("1:01 left in this turn");
    h.get_by_label("Resume").click();
    h.run();
    h.get_by_label("Stop the timer").click();
    h.run();
    assert_eq!(
        *sent.borrow(),
        vec![Intent::WorkshopTimer(TimerOrder::Resume), Intent::WorkshopTimer(TimerOrder::Stop)]
    );
    drop(h);
    // The console opens on Red's game, without this machine's timer.
    s.handle(Intent::ConsoleOn(Some(0)), Screen::Workshop);
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&s, Screen::Workshop, &sent);
    h.get_by_label("Facilitator console: team Red");
    h.get_by_label("Injects");
    assert_eq!(h.query_all_by_label("Turn timer").count(), 1, "the dashboard's timer, not the console's own");
    h.get_by_label("Act on every team at once (each at its own turn)").click();
    h.run();
    assert_eq!(sent.borrow().last(), Some(&Intent::ConsoleForAll(true)));
}

/// A server's refusal is said in the player's language from its code; an unknown code
/// shows the server's own words.
#[test]
fn the_servers_refusals_speak_the_players_language() {
    use ttx::app::session::ServerEvent;
    let mut s = session_in(Lang::Ja);
    s.handle(
        Intent::JoinWorkshop("http://127.0.0.1:8080/?join=00112233445566778899aabbccddeeff".into()),
        Screen::Title,
    );
    let refused = serde_json::json!({
        "type": "error", "code": "wrong-turn", "args": { "now": "3", "asked": "2" },
        "message": "the team is on turn 3, not 2: resync and try again",
    });
    s.news(News::Server(ServerEvent::Text(refused.to_string())), Screen::Playing);
    let notice = s.notice().map(str::to_owned).unwrap_or_default();
    assert!(notice.contains("ターン 3") && notice.contains("別のプレイヤー"), "{notice}");
    let unknown = serde_json::json!({ "type": "error", "code": "from-a-newer-server", "message": "something new" });
    s.news(News::Server(ServerEvent::Text(unknown.to_string())), Screen::Playing);
    assert!(s.notice().is_some_and(|n| n.contains("something new")), "{:?}", s.notice());
}

/// The week as a strip on the turn screen: every turn by its date, the turns played as
/// buttons; clicking the first turn opens its feed, closed until then.
#[test]
fn the_timeline_shows_the_week_and_opens_a_past_turns_feed() {
    let mut s = english();
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    for _ in 0..2 {
        s.handle(Intent::EndTurn, Screen::Playing);
        s.handle(Intent::ContinueFromSummary, Screen::Summary);
    }
    let g = s.game().expect("a game");
    assert_eq!(g.turn(), 2);
    let sc = std::sync::Arc::clone(g.scenario());
    let first = g.turn_logs()[0]
        .iter()
        .find_map(|o| match o {
            ttx::sim::Outcome::InjectFired { inject } => Some(sc.injects[inject.ix()].text.clone()),
            _ => None,
        })
        .expect("an inject on the first turn");
    let sent = RefCell::new(Vec::new());
    let mut h = harness(&s, Screen::Playing, &sent);
    // Turns to come by their dates and what is planned on them (the scenario's agenda);
    // turns played (and this one) as buttons.
    let planned = |name: String, turn: &ttx::sim::scenario::Turn| match turn.agenda.is_empty() {
        true => name,
        false => format!("{name} · Planned: {}", turn.agenda.join(", ")),
    };
    assert!(sc.turns[3..].iter().any(|t| !t.agenda.is_empty()), "7pay plans something ahead");
    for turn in &sc.turns[3..] {
        let name = planned(turn.label.clone(), turn);
        assert!(h.query_by_label(&name).is_some(), "{name} on the strip");
    }
    let open = |turn: &ttx::sim::scenario::Turn| planned(format!("{}: show what happened", turn.label), turn);
    for turn in &sc.turns[..3] {
        assert!(h.query_by_label(&open(turn)).is_some(), "{} is a button", turn.label);
    }
    assert!(h.query_by_label(&first).is_none(), "the first turn's feed starts closed");
    h.get_by_label(&open(&sc.turns[0])).click();
    h.run();
    assert!(h.query_by_label(&first).is_some(), "the first turn's feed opened: {first}");
    assert!(sent.borrow().is_empty(), "the strip asks nothing of the game: {:?}", sent.borrow());
}
