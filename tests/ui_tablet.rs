//! The facilitator's dashboard on a tablet (egui_kittest, no GPU): desktop-first, yet
//! readable on an 820×1180 tablet in portrait and in landscape at the text size M: every
//! team, its standing and the turn controls are on the screen, nothing runs past its
//! right edge, and no text is smaller than the desktop's.
#![cfg(feature = "app")]

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::{Inputs, screen_ui};
use ttx::app::session::ServerEvent;
use ttx::app::{Intent, News, Screen, Session};
use ttx::i18n::Lang;

/// A tablet in portrait and in landscape, in egui points at the text size M (1.25 CSS px a point).
const TABLETS: [(&str, [f32; 2]); 2] = [("portrait", [656.0, 944.0]), ("landscape", [944.0, 656.0])];

/// The facilitator of a two-team 7pay workshop in which Red has ended a turn.
fn facilitator() -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(Lang::En), Screen::Title);
    s.handle(
        Intent::JoinWorkshop("http://127.0.0.1:8080/?join=00112233445566778899aabbccddeeff".into()),
        Screen::Title,
    );
    let (name, text) = ttx::serve::bundled(None).expect("7pay");
    let welcome = serde_json::json!({
        "type": "welcome", "session": "s", "seat": "facilitator", "team": null, "teams": ["Red", "Blue"],
        "scenario": "7pay-launch-week", "scenario_name": name, "scenario_text": text,
        "online": [1, 0], "tokens": ["aa".repeat(16), "bb".repeat(16)], "codes": ["K7QM-3XPR", "N2P8-HR97"],
        "seed": 1, "pace": "synchronized",
    });
    assert_eq!(s.news(News::Server(ServerEvent::Text(welcome.to_string())), Screen::Title), Some(Screen::Workshop));
    let sc = std::sync::Arc::new(ttx::sim::load_str(&text, &name).expect("loads").scenario);
    let mut red = ttx::sim::Game::new(sc, 1);
    red.end_turn();
    let save = ttx::sim::play::save::SaveFile::of(&red);
    let sync = serde_json::json!({ "type": "sync", "team": "Red", "seq": 1, "save": save });
    s.news(News::Server(ServerEvent::Text(sync.to_string())), Screen::Workshop);
    s
}

fn harness(session: &Session, size: [f32; 2]) -> Harness<'_> {
    let mut inputs = Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(size[0], size[1])).build_ui(move |ui| {
        screen_ui(ui, session, Screen::Workshop, &mut inputs);
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    h
}

/// What is wrong with the dashboard drawn at `size`.
fn problems(h: &Harness<'_>, size: [f32; 2]) -> Vec<String> {
    let mut found = Vec::new();
    for n in h.query_all_by(|_| true) {
        let Some(r) = n.accesskit_node().bounding_box() else { continue };
        let name = n.accesskit_node().label().unwrap_or_default();
        if r.x1 > f64::from(size[0]) + 0.5 {
            found.push(format!(
                "{:?} {name:?} ends at x {:.0}, past the edge of {}",
                n.accesskit_node().role(),
                r.x1,
                size[0]
            ));
        }
    }
    for label in ["Red", "Blue", "End this team's turn", "End the turn for every team  [E]", "Turn 2/11"] {
        match h.query_all_by_label(label).next() {
            None => found.push(format!("no {label:?}")),
            Some(n) if n.rect().right() > size[0] + 0.5 || n.rect().left() < -0.5 => {
                found.push(format!("{label:?} at {:?}, not within the width {}", n.rect(), size[0]));
            }
            // Text at least as tall as the desktop's body text (egui's 12.5 points, a line 15 tall).
            Some(n) if n.rect().height() < 14.0 => {
                found.push(format!("{label:?} is {:.0} points tall", n.rect().height()))
            }
            Some(_) => {}
        }
    }
    found
}

#[test]
fn the_facilitators_dashboard_is_readable_on_a_tablet() {
    let session = facilitator();
    let mut all = Vec::new();
    for (how, size) in TABLETS {
        let h = harness(&session, size);
        all.extend(problems(&h, size).into_iter().map(|p| format!("{how}: {p}")));
    }
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}

#[test]
fn the_check_finds_a_dashboard_too_wide_for_its_screen() {
    // The desktop's dashboard measured against a phone's width: it runs past the edge.
    let session = facilitator();
    let h = harness(&session, [1600.0, 900.0]);
    let narrow = [300.0, 900.0];
    assert!(problems(&h, narrow).iter().any(|p| p.contains("past the edge")), "{:?}", problems(&h, narrow));
}
