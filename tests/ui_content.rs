//! What each screen must show, read from the engine's views and looked for on the rendered
//! screen (egui_kittest's accessibility tree, no GPU): on the turn screen every inject of
//! the turn, every card and every visible metric with its value; on the summary every
//! change; on the debrief every score component. A screen that loses content fails here by
//! name, however few pixels it was (the screenshot test checks the pixels).
#![cfg(feature = "app")]

mod common;
use common::{harness, missing};

use std::cell::RefCell;

use ttx::app::{Intent, Screen, Session};
use ttx::i18n::Lang;
use ttx::sim::Game;

/// A 7pay game in `lang` at its first turn, with the first card taken.
fn playing(lang: Lang) -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(lang), Screen::Title);
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    s
}

fn game(s: &Session) -> &Game {
    s.game().expect("a game")
}

/// What the turn screen must show: the turn's injects (title and text), every card's name,
/// every visible metric's name and value.
fn turn_texts(s: &Session) -> Vec<String> {
    let (g, tr) = (game(s), s.tr());
    let sc = g.scenario();
    let mut out = Vec::new();
    for i in g.injects_this_turn() {
        let inject = &sc.injects[i.ix()];
        out.extend([inject.title.clone(), inject.text.clone()]);
    }
    out.extend(ttx::sim::present::view::cards(g, tr).into_iter().map(|c| c.label));
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        out.extend([m.label.clone(), tr.quantity(g.metrics()[k], m.measure())]);
    }
    out
}

#[test]
fn the_turn_screen_shows_every_inject_card_and_metric_in_both_languages() {
    for lang in [Lang::En, Lang::Ja] {
        let s = playing(lang);
        let sent = RefCell::new(Vec::new());
        let h = harness(&s, Screen::Playing, &sent);
        let expected = turn_texts(&s);
        assert!(expected.len() > 20, "{lang}: {} texts", expected.len());
        assert_eq!(missing(&h, &expected), Vec::<String>::new(), "{lang}");
    }
}

/// The test of the check: an inject of a later turn is not on this turn's screen, and the
/// check says so by its title (so `missing` can fail).
#[test]
fn the_content_check_names_what_is_not_on_screen() {
    let s = playing(Lang::En);
    let sent = RefCell::new(Vec::new());
    let h = harness(&s, Screen::Playing, &sent);
    let g = game(&s);
    let now: Vec<_> = g.injects_this_turn().collect();
    let later = g
        .scenario()
        .injects
        .iter()
        .enumerate()
        .find(|(k, i)| !now.iter().any(|n| n.ix() == *k) && i.title.len() > 10)
        .map(|(_, i)| i.title.clone())
        .expect("an inject of a later turn");
    let mut expected = turn_texts(&s);
    expected.push(later.clone());
    assert_eq!(missing(&h, &expected), vec![later]);
}

#[test]
fn the_summary_shows_every_change_and_the_debrief_every_component() {
    let mut s = playing(Lang::En);
    let mut screen = Screen::Playing;
    // Two turns played: the summary of the second.
    for _ in 0..2 {
        screen = s.handle(Intent::EndTurn, Screen::Playing).unwrap_or(screen);
        if s.game().is_some_and(|g| g.turn() < 2) {
            s.handle(Intent::ContinueFromSummary, Screen::Summary);
        }
    }
    assert_eq!(screen, Screen::Summary);
    let (g, tr) = (game(&s), s.tr());
    let summary = ttx::sim::present::view::turn_summary(g, s.summary_turn(), tr).expect("a summary");
    let mut expected = vec![summary.label.clone()];
    expected.extend(summary.happened.iter().map(|l| l.text.clone()));
    for c in &summary.changes {
        expected.extend([c.metric.clone(), c.before.clone(), c.after.clone()]);
    }
    assert!(summary.changes.len() >= 3, "{:?}", summary.changes.len());
    let sent = RefCell::new(Vec::new());
    let h = harness(&s, Screen::Summary, &sent);
    assert_eq!(missing(&h, &expected), Vec::<String>::new());
    drop(h);

    // Played to the end: the debrief names every component of the score.
    let mut screen = Screen::Summary;
    for _ in 0..40 {
        if screen == Screen::Debrief {
            break;
        }
        let next = match screen {
            Screen::Summary => s.handle(Intent::ContinueFromSummary, Screen::Summary),
            _ => s.handle(Intent::EndTurn, Screen::Playing),
        };
        screen = next.unwrap_or(screen);
    }
    assert_eq!(screen, Screen::Debrief);
    let score = ttx::sim::play::score::score(game(&s));
    let mut expected: Vec<String> = score.components.iter().map(|c| c.label.clone()).collect();
    expected.push(score.verdict.clone());
    let sent = RefCell::new(Vec::new());
    let h = harness(&s, Screen::Debrief, &sent);
    assert_eq!(missing(&h, &expected), Vec::<String>::new());
}

/// The debrief's charts run on the week's timeline: under them, each numbered marker names
/// the turn (by the turn screen's label) and the moves the team made on it.
#[test]
fn the_debrief_names_each_move_on_the_weeks_timeline() {
    for lang in [Lang::En, Lang::Ja] {
        let mut s = playing(lang);
        let mut screen = Screen::Playing;
        for _ in 0..40 {
            match screen {
                Screen::Debrief => break,
                Screen::Summary => screen = s.handle(Intent::ContinueFromSummary, screen).unwrap_or(screen),
                _ => {
                    // A card on the first and the third turn.
                    if matches!(game(&s).turn(), 0 | 2) {
                        let cards = ttx::sim::present::view::cards(game(&s), s.tr());
                        let card = cards.iter().find(|c| c.button.enabled).expect("a card to take");
                        s.handle(Intent::Act(card.button.action), screen);
                    }
                    screen = s.handle(Intent::EndTurn, screen).unwrap_or(screen);
                }
            }
        }
        assert_eq!(screen, Screen::Debrief);
        let (g, tr) = (game(&s), s.tr());
        let view = s.debrief().expect("debrief").view(g, tr);
        let labels: Vec<&str> = g.scenario().turns.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(view.timeline.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), labels);
        let moved: Vec<_> = view.timeline.iter().filter(|t| !t.moves.is_empty()).collect();
        assert_eq!(moved.len(), 2, "{lang}: the two turns moved on");
        let expected: Vec<String> =
            moved.iter().enumerate().map(|(n, t)| format!("{}  {} — {}", n + 1, t.label, t.moves.join("; "))).collect();
        assert_eq!(moved[0].label, labels[0]);
        assert_eq!(moved[1].label, labels[2]);
        let sent = RefCell::new(Vec::new());
        let h = harness(&s, Screen::Debrief, &sent);
        assert_eq!(missing(&h, &expected), Vec::<String>::new(), "{lang}");
    }
}
