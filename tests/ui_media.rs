//! Each medium's panel (egui_kittest, no GPU): an inject of `tests/data/media.ron` drawn as
//! its medium shows the names the scenario gives it (author, outlet, headline...), and an
//! inject without them still shows its channel's look, in both languages and themes.
#![cfg(feature = "app")]

mod common;

use std::sync::Arc;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ttx::app::screens::media::{Title, inject_ui};
use ttx::i18n::Lang;
use ttx::sim::present::player::{FeedItem, turn_view};
use ttx::sim::{Game, Scenario, load_file};

fn media(lang: Lang) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/media.ron");
    let sc = load_file(&path).unwrap_or_else(|d| panic!("{d}")).scenario;
    sc.in_language(lang.tag())
}

/// Every inject of the scenario as the feed shows it after both turns.
fn feed(lang: Lang) -> Vec<FeedItem> {
    let mut g = Game::new(Arc::new(media(lang)), 1);
    g.end_turn();
    turn_view(&g, lang.tr()).feed.into_iter().flat_map(|t| t.items).collect()
}

/// The texts of `expected` that the panel of the inject titled `title` does not show,
/// drawn in `lang` and the dark (or light) theme, whitespace-insensitively.
fn missing(title: &str, lang: Lang, dark: bool, expected: &[&str]) -> Vec<String> {
    let items = feed(lang);
    let item = items.iter().find(|i| i.title == title).unwrap_or_else(|| panic!("no `{title}`")).clone();
    let mut h = Harness::builder().with_size(egui::vec2(420.0, 700.0)).build_ui(move |ui| {
        inject_ui(ui, &item, Title::Show, lang.tr());
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.ctx.set_visuals(if dark { egui::Visuals::dark() } else { egui::Visuals::light() });
    h.run();
    common::missing(&h, expected)
}

fn assert_shows(title: &str, expected: &[&str]) {
    for dark in [true, false] {
        let gone = missing(title, Lang::En, dark, expected);
        assert!(gone.is_empty(), "`{title}` (dark: {dark}) does not show {gone:?}");
    }
}

#[test]
fn a_post_shows_its_author_handle_time_and_reach() {
    assert_shows(
        "Charged twice",
        &["Mika Sato", "@mika_s", "Mon 1 Jul", "Charged twice", "charged twice for one coffee", "Likes 4,000"],
    );
}

#[test]
fn an_article_shows_its_masthead_headline_standfirst_and_byline() {
    assert_shows(
        "App maker faces questions",
        &[
            "THE MORNING LEDGER",
            "App maker faces questions",
            "Customers report missing money after the launch.",
            "Ken Ito",
            "Shared 1,200 times",
        ],
    );
}

#[test]
fn an_email_shows_its_sender_recipients_and_subject() {
    assert_shows("Status at noon", &["From", "Operations desk", "To", "Incident team", "Subject", "Status at noon"]);
}

#[test]
fn a_store_message_shows_its_store_and_sender() {
    assert_shows(
        "Queue at the till",
        &["Store 1203 Shinjuku", "Yui, night shift", "Queue at the till", "how to top up"],
    );
}

#[test]
fn a_ticket_queue_shows_its_count_and_the_ticket() {
    let reference = feed(Lang::En).into_iter().find(|i| i.title == "Refund request").expect("ticket").reference;
    assert_shows(
        "Refund request",
        &["Help desk", "120 open tickets", &format!("Ticket #{reference}"), "Customer K. Mori", "money back today"],
    );
}

#[test]
fn a_letter_shows_its_letterhead_subject_and_signature() {
    assert_shows(
        "Request for a report",
        &[
            "Financial Services Bureau",
            "Subject: Request for a report",
            "five working days",
            "Director, Payments Supervision",
        ],
    );
}

#[test]
fn a_call_shows_the_caller_and_the_transcript() {
    assert_shows(
        "A reporter on the line",
        &["Incoming call · Mon 1 Jul", "Aya Mori", "Evening Wire", "“Is it true that accounts were taken over?”"],
    );
}

#[test]
fn injects_without_presentation_fields_still_show_each_medium() {
    let plain = [
        ("Plain post", vec!["Anonymous account", "Tue 2 Jul", "A post with no names."]),
        ("Plain article", vec!["NEWS", "Plain article", "An article with no masthead."]),
        ("Plain email", vec!["From", "Internal", "Incident team", "Plain email", "A mail with no sender."]),
        ("Plain chat", vec!["# Store staff", "Plain chat", "A message with no sender."]),
        ("Plain ticket", vec!["Support desk", "Ticket #", "Plain ticket", "A ticket with no customer."]),
        ("Plain letter", vec!["Regulator", "Subject: Plain letter", "A letter with no letterhead."]),
        ("Plain call", vec!["Incoming call", "Press", "Plain call", "A call with no caller."]),
    ];
    for (title, expected) in plain {
        assert_shows(title, &expected);
    }
}

#[test]
fn the_panels_speak_japanese() {
    let expected = [
        ("アプリ運営会社に疑問の声", vec!["朝の経済新報", "リリース後、残高が消えたとの報告が相次ぐ。", "伊藤 健"]),
        ("Request for a report", vec!["金融サービス局", "件名：Request for a report", "決済監督課長"]),
        ("Status at noon", vec!["差出人", "宛先", "対策チーム", "件名"]),
        ("Plain post", vec!["匿名アカウント"]),
        ("Plain call", vec!["着信・Tue 2 Jul", "報道機関", "「A call with no caller.」"]),
    ];
    for (title, texts) in expected {
        for dark in [true, false] {
            let gone = missing(title, Lang::Ja, dark, &texts);
            assert!(gone.is_empty(), "`{title}` in Japanese (dark: {dark}) does not show {gone:?}");
        }
    }
}

#[test]
fn a_decision_omits_the_title_its_window_shows() {
    let item = feed(Lang::En).into_iter().find(|i| i.title == "App maker faces questions").expect("article");
    let mut h = Harness::builder().with_size(egui::vec2(420.0, 700.0)).build_ui(move |ui| {
        inject_ui(ui, &item, Title::Omit, Lang::En.tr());
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    assert!(h.query_by_label("App maker faces questions").is_none(), "the headline is the window's title");
    h.get_by_label("THE MORNING LEDGER");
}
