//! The incident's presentation at every text size the title offers (S, M, L, XL) in both
//! languages, in the desktop window (egui_kittest, no GPU): the turn whose injects came
//! through four media, with the week's timeline, and the press conference staged as a
//! scene. Nothing is laid out past the window's right edge, every turn of the week is on
//! the strip by its date (where the layout has the strip: not the phone's, which XL in this
//! window is), and every answer of the scene is on the screen.
#![cfg(feature = "app")]

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::{Inputs, screen_ui};
use ttx::app::{Intent, Screen, Session};
use ttx::i18n::Lang;

/// The text sizes of the title's settings (points to CSS px).
const SIZES: [f32; 4] = [1.0, 1.25, 1.6, 2.0];
const WINDOW: [f32; 2] = [1600.0, 900.0];

/// 7pay in `lang`, played with the defaults until `stop` holds for the game.
fn played_until(lang: Lang, stop: impl Fn(&ttx::sim::Game) -> bool) -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(lang), Screen::Title);
    s.handle(Intent::SetMotion(false), Screen::Title);
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    for _ in 0..20 {
        let g = s.game().expect("a game");
        if stop(g) || g.is_finished() {
            break;
        }
        s.handle(Intent::EndTurn, Screen::Playing);
        s.handle(Intent::ContinueFromSummary, Screen::Summary);
    }
    let g = s.game().expect("a game");
    assert!(stop(g), "7pay never reached the turn the test wants");
    s
}

fn decision_due(g: &ttx::sim::Game) -> bool {
    g.due_decisions().any(|(_, c)| c.is_none())
}

/// The turn screen of `s` in the desktop window at text size `zoom`.
fn harness(s: &Session, zoom: f32) -> Harness<'_> {
    let mut inputs = Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(WINDOW[0], WINDOW[1])).build_ui(move |ui| {
        let _ = screen_ui(ui, s, Screen::Playing, &mut inputs);
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.ctx.set_zoom_factor(zoom);
    h.run();
    h
}

/// Widgets whose right edge is past the window's, in points.
fn past_the_edge(h: &Harness<'_>, zoom: f32) -> Vec<String> {
    let width = WINDOW[0] / zoom;
    h.root()
        .children_recursive()
        .filter(|n| n.accesskit_node().bounding_box().is_some())
        .filter(|n| {
            !matches!(n.accesskit_node().role(), egui::accesskit::Role::Window | egui::accesskit::Role::ScrollBar)
        })
        .filter(|n| n.rect().max.x > width + 0.5)
        .map(|n| {
            format!(
                "{:?} {:?} ends at {:.0} of {width:.0}",
                n.accesskit_node().role(),
                n.accesskit_node().label(),
                n.rect().max.x
            )
        })
        .collect()
}

#[test]
fn the_week_and_four_media_fit_every_text_size_in_both_languages() {
    for lang in [Lang::En, Lang::Ja] {
        let s = played_until(lang, |g| g.channels_this_turn().len() >= 4);
        let sc = std::sync::Arc::clone(s.game().expect("a game").scenario());
        for zoom in SIZES {
            let h = harness(&s, zoom);
            assert_eq!(past_the_edge(&h, zoom), Vec::<String>::new(), "{lang} at {zoom}");
            // Every turn of the week on the strip, by its date: the desktop's and the
            // tablet's layouts have the strip; the phone's (XL here: 800×450 points) has no
            // strip yet (the turn's date is in its top bar), a gap left open on issue 25.
            if ttx::app::screens::Form::of(egui::vec2(WINDOW[0] / zoom, WINDOW[1] / zoom))
                == ttx::app::screens::Form::Phone
            {
                continue;
            }
            for turn in &sc.turns {
                assert!(
                    h.query_all_by_label_contains(&turn.label).next().is_some(),
                    "{lang} at {zoom}: {} is not on the timeline",
                    turn.label
                );
            }
        }
    }
}

#[test]
fn the_press_conference_and_its_answers_fit_every_text_size_in_both_languages() {
    for lang in [Lang::En, Lang::Ja] {
        let s = played_until(lang, decision_due);
        let g = s.game().expect("a game");
        let (due, _) = g.due_decisions().find(|(_, c)| c.is_none()).expect("a decision");
        let inject = &g.scenario().injects[due.ix()];
        assert!(inject.scene.is_some(), "the first decision is staged");
        for zoom in SIZES {
            let h = harness(&s, zoom);
            assert_eq!(past_the_edge(&h, zoom), Vec::<String>::new(), "{lang} at {zoom}");
            for option in &inject.options {
                let n = h
                    .query_all_by_label_contains(&option.label)
                    .next()
                    .unwrap_or_else(|| panic!("{lang} at {zoom}: the answer {:?} is missing", option.label));
                assert!(
                    n.rect().max.x <= WINDOW[0] / zoom + 0.5,
                    "{lang} at {zoom}: {:?} at {:?}",
                    option.label,
                    n.rect()
                );
            }
        }
    }
}
