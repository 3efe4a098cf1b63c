//! Every player screen at a phone's and a tablet's size (egui_kittest, no GPU): nothing is
//! laid out past the right edge, every control is a touch target of at least 44 px, and
//! each screen's main actions are on the screen. The same checks find the desktop layout
//! unusable at a phone's width.
#![cfg(feature = "app")]

use bevy_egui::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ttx::app::screens::{Form, Inputs, screen_ui, screen_ui_as};
use ttx::app::session::ServerEvent;
use ttx::app::{Intent, News, Screen, Session};
use ttx::i18n::Lang;
use ttx::protocol::{Floor, Pace, Seat, ServerMsg, Welcome, Who};

/// A phone in portrait and in landscape, a tablet in portrait (sizes in CSS px, the text
/// size at 1 CSS px a point).
const SIZES: [(&str, [f32; 2]); 3] =
    [("phone", [360.0, 740.0]), ("phone landscape", [740.0, 360.0]), ("tablet", [820.0, 1180.0])];

/// Renders `screen` of `session` at `size`, as `form` (None: the form of the size).
fn harness<'a>(session: &'a Session, screen: Screen, size: [f32; 2], form: Option<Form>) -> Harness<'a> {
    let mut inputs = Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(size[0], size[1])).build_ui(move |ui| {
        match form {
            Some(form) => screen_ui_as(ui, session, screen, &mut inputs, form),
            None => screen_ui(ui, session, screen, &mut inputs),
        };
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    h
}

/// Whether a node is something a player taps.
fn interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::ComboBox
            | Role::SpinButton
            | Role::RadioButton
            | Role::Link
            | Role::Slider
    )
}

/// What is wrong with the screen drawn in `h` at `size`: widgets past the left or right
/// edge, controls smaller than a touch target, and `main` actions missing or not fully on
/// the screen.
fn problems(h: &Harness<'_>, size: [f32; 2], main: &[&str]) -> Vec<String> {
    let touch = ttx::app::screens::touch_points(&h.ctx);
    let mut found = Vec::new();
    for node in h.root().children_recursive() {
        let ak = node.accesskit_node();
        let Some(_) = ak.bounding_box() else { continue };
        let (r, role) = (node.rect(), ak.role());
        let name = ak
            .label()
            .or_else(|| ak.value().map(|v| v.to_string()))
            .or_else(|| ak.placeholder().map(str::to_owned))
            .unwrap_or_default();
        if role == Role::Window || role == Role::ScrollBar || role == Role::Splitter {
            continue;
        }
        if r.max.x > size[0] + 0.5 || r.min.x < -0.5 {
            found.push(format!("{role:?} {name:?} at x {:.0}–{:.0}, past the edge of {}", r.min.x, r.max.x, size[0]));
        }
        if interactive(role) && (r.width() < touch - 0.5 || r.height() < touch - 0.5) {
            found.push(format!("{role:?} {name:?} is {:.0}×{:.0}, under {touch}", r.width(), r.height()));
        }
    }
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0], size[1]));
    for label in main {
        // The first one (the first scenario's Play).
        match h.query_all_by_label(label).next() {
            None => found.push(format!("no {label:?}")),
            Some(n) if !screen.expand(0.5).contains_rect(n.rect()) => {
                found.push(format!("{label:?} at {:?}, off the {screen:?}", n.rect()));
            }
            Some(_) => {}
        }
    }
    found
}

fn english() -> Session {
    let mut s = Session::new(None);
    s.handle(Intent::SetLang(Lang::En), Screen::Title);
    s
}

fn briefing() -> Session {
    let mut s = english();
    s.handle(Intent::NewGame(0), Screen::Title);
    s
}

fn playing() -> Session {
    let mut s = briefing();
    s.handle(Intent::StartPlaying, Screen::Briefing);
    s
}

/// The 7pay game at its first due decision (the press conference).
fn deciding() -> Session {
    let mut s = playing();
    while !s.game().expect("game").due_decisions().any(|(_, c)| c.is_none()) {
        s.handle(Intent::EndTurn, Screen::Playing);
        s.handle(Intent::ContinueFromSummary, Screen::Summary);
    }
    s
}

fn summary() -> Session {
    let mut s = playing();
    s.handle(Intent::EndTurn, Screen::Playing);
    s
}

fn debrief() -> Session {
    let mut s = playing();
    while !s.game().expect("game").is_finished() {
        s.handle(Intent::EndTurn, Screen::Playing);
    }
    s.handle(Intent::ContinueFromSummary, Screen::Summary);
    s
}

/// A workshop team's player at the 7pay table: the server's welcome, the player's view of
/// the game and the table, as a phone that joined by a team's link receives them.
fn team_player() -> Session {
    let mut s = english();
    s.handle(
        Intent::JoinWorkshop("http://127.0.0.1:8080/?join=00112233445566778899aabbccddeeff".into()),
        Screen::Title,
    );
    let game = playing();
    let g = game.game().expect("game");
    let tr = Lang::En.tr();
    let welcome = ServerMsg::Welcome(Welcome {
        session: "s".into(),
        seat: Seat::Team,
        team: Some("Red".into()),
        teams: vec!["Red".into()],
        scenario: "7pay-launch-week".into(),
        scenario_name: "7pay".into(),
        scenario_text: None,
        briefing: Some(Box::new(ttx::sim::present::player::briefing_view(g, tr))),
        online: vec![1],
        tokens: vec![],
        codes: vec![],
        seed: 1,
        pace: Pace::Free,
        player: Some(1),
    });
    let view = ttx::sim::present::player::player_view_at(g, None, tr, None);
    let floor = Floor { players: vec![(1, Who { name: "Aiko".into(), roles: vec![] })], ..Floor::default() };
    for msg in [
        welcome,
        ServerMsg::View { team: "Red".into(), seq: 0, view: Box::new(view) },
        ServerMsg::Floor { team: "Red".into(), floor },
    ] {
        let text = serde_json::to_string(&msg).expect("a message");
        s.news(News::Server(ServerEvent::Text(text)), Screen::Title);
    }
    assert!(s.live().and_then(|l| l.view()).is_some(), "the player has the team's view");
    s
}

/// Every player screen and its main actions.
fn screens() -> Vec<(&'static str, Session, Screen, Vec<&'static str>)> {
    vec![
        ("title", english(), Screen::Title, vec!["Join"]),
        ("briefing", briefing(), Screen::Briefing, vec!["Start the first turn  [Enter]"]),
        ("turn", playing(), Screen::Playing, vec!["End turn", "Undo", "Menu", "Note it"]),
        ("decision", deciding(), Screen::Playing, vec!["Play it down", "End turn"]),
        ("summary", summary(), Screen::Summary, vec!["Next turn  [Enter]"]),
        ("debrief", debrief(), Screen::Debrief, vec!["Play again with the same seed"]),
        ("team player's turn", team_player(), Screen::Playing, vec!["End turn", "Note it"]),
    ]
}

#[test]
fn every_player_screen_fits_a_phone_and_a_tablet() {
    let mut all = Vec::new();
    for (name, session, screen, main) in screens() {
        for (device, size) in SIZES {
            let h = harness(&session, screen, size, None);
            all.extend(problems(&h, size, &main).into_iter().map(|p| format!("{name} on a {device}: {p}")));
        }
    }
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}

#[test]
fn the_checks_find_the_desktop_layout_unusable_on_a_phone() {
    let [size] = [SIZES[0].1];
    for (name, session, screen, main) in screens() {
        // The desktop's three columns do not even fit: egui's debug checks stop the frame.
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let h = harness(&session, screen, size, Some(Form::Desktop));
            problems(&h, size, &main)
        }))
        .unwrap_or_else(|_| vec!["the frame panicked".into()]);
        assert!(!found.is_empty(), "{name}: the desktop layout passed at a phone's width");
    }
    // And the desktop at a desktop's size has no overflow (its controls are mouse-sized).
    let session = playing();
    let h = harness(&session, Screen::Playing, [1600.0, 900.0], None);
    let past: Vec<String> = problems(&h, [1600.0, 900.0], &[]).into_iter().filter(|p| p.contains("past")).collect();
    assert!(past.is_empty(), "{past:?}");
}

#[test]
fn a_phone_takes_a_card_reads_its_details_and_ends_the_turn_by_tapping() {
    let session = playing();
    let sent = std::cell::RefCell::new(Vec::new());
    let mut inputs = Inputs::default();
    let mut h = Harness::builder().with_size(egui::vec2(360.0, 740.0)).build_ui(|ui| {
        sent.borrow_mut().extend(screen_ui(ui, &session, Screen::Playing, &mut inputs));
    });
    h.ctx.set_fonts(ttx::app::fonts::default_definitions());
    h.run();
    // What the desktop shows on hover, a tap shows on a phone.
    let card = session.game().expect("game").scenario().mitigations[0].description.clone();
    assert!(h.query_by_label(&card).is_none(), "the details start closed");
    h.get_all_by_label("Details").next().expect("a card's details").click();
    h.run();
    h.get_by_label(&card);
    // A card's button is named for its card ("Take: Staged, pre-registered rollout").
    let first = session.game().expect("game").scenario().mitigations[0].label.clone();
    h.get_by_label(&format!("Take: {first}")).click();
    h.run();
    // The dashboard and the feed are tabs.
    h.get_by_label("Dashboard").click();
    h.run();
    h.get_by_label(&session.game().expect("game").scenario().metrics[0].description);
    h.get_by_label("End turn").click();
    h.run();
    let sent = sent.borrow();
    assert!(sent.iter().any(|i| matches!(i, Intent::Act(ttx::sim::Action::Take(_)))), "{sent:?}");
    assert!(sent.contains(&Intent::EndTurn), "{sent:?}");
}
