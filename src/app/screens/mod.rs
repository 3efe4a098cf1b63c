//! The egui screens, one module each: plain functions over narrow data that return the
//! player's intents. No rule lives here: the engine's views (`sim::present::view`) say what a card
//! or an inject allows and how an outcome reads, and everything a click changes goes back
//! as an [`Intent`].

mod briefing;
mod console;
mod debrief;
mod form;
mod keyboard;
mod leaderboard;
pub mod media;
pub mod motion;
mod overlays;
mod projector;
pub mod scene;
mod summary;
mod table;
mod timeline;
mod title;
mod title_more;
mod turn;
mod turn_touch;
mod workshop;

use bevy_egui::egui::{self, Color32, Key};

pub use briefing::briefing_ui;
pub use console::console_ui;
pub use form::{CLICK_SECONDS, Form, TOUCH_CSS_PX, allow_click_across_frame, take_targets, touch_points};
pub use leaderboard::leaderboard_ui;
pub use title::title_ui;
pub use turn::playing_ui;
pub use workshop::workshop_ui;

use super::session::{Intent, Live, Screen, Session};
use crate::i18n::{Lang, Tr};
use crate::protocol::ProposalState;
use crate::sim::play::step::Step;
use crate::sim::present::console::console_view;
use crate::sim::present::dashboard::{TeamCard, team_card};
use crate::sim::present::player::{briefing_view, summary_view, turn_view};
use crate::sim::present::view::{Line, LineKind};
use crate::sim::scenario::Channel;
use crate::t;

const ACCENT: Color32 = Color32::from_rgb(0x3b, 0x82, 0xf6);
const GOOD: Color32 = Color32::from_rgb(0x22, 0xa0, 0x5a);
const BAD: Color32 = Color32::from_rgb(0xdc, 0x3c, 0x3c);
const WARN: Color32 = Color32::from_rgb(0xf5, 0x9e, 0x0b);

/// What the players and the facilitator are typing, kept between frames: each screen owns
/// its part.
#[derive(Debug, Default)]
pub struct Inputs {
    pub title: title::Typing,
    pub turn: turn::Typing,
    pub console: console::Typing,
    pub debrief: debrief::Typing,
    pub seat: table::Typing,
}

/// Draws the current screen in the player's language, laid out for the screen's size;
/// returns what the player asked for this frame.
pub fn screen_ui(root: &mut egui::Ui, session: &Session, screen: Screen, inputs: &mut Inputs) -> Vec<Intent> {
    let form = Form::of(root.ctx().viewport_rect().size());
    screen_ui_as(root, session, screen, inputs, form)
}

/// Draws the current screen laid out as `form` (whatever the screen's size: tests draw one
/// form at another's size).
pub fn screen_ui_as(
    root: &mut egui::Ui,
    session: &Session,
    screen: Screen,
    inputs: &mut Inputs,
    form: Form,
) -> Vec<Intent> {
    let mut out = Vec::new();
    let tr = session.tr();
    form::touch_style(root, form);
    motion::set_setting(root.ctx(), session.settings().motion);
    keyboard::note_screen(root.ctx());
    // Overlays first: their panels take space before the screen's own.
    overlays::overlays_ui(root, session, tr, form, &mut out);
    // A workshop's team player: the server's views of the team's game.
    let player = session.live().filter(|_| session.game().is_none());
    if let Some(live) = player
        && let Some(view) = live.view()
    {
        match screen {
            Screen::Briefing if live.briefing().is_some() => {
                let briefing = live.briefing().expect("checked");
                let seated = live
                    .floor()
                    .and_then(|f| f.players.iter().find(|(n, _)| Some(*n) == live.player()).map(|(_, w)| w));
                let picker = briefing::Picker { seated, floor: live.floor(), typing: &mut inputs.seat };
                briefing::view_ui(root, briefing, tr, form, Some(picker), &mut out);
                return out;
            }
            Screen::Briefing | Screen::Playing => {
                let roles = live.briefing().map_or(&[][..], |b| b.roles.as_slice());
                let table = live.floor().filter(|_| !roles.is_empty()).map(|floor| table::LiveTable {
                    floor,
                    me: live.player(),
                    roles,
                    view,
                });
                let turn_inputs = (&mut inputs.turn, &mut inputs.seat);
                let turn = turn::Turn { v: &view.turn, waits: live.synchronized(), form };
                turn::view_ui(root, turn, tr, turn_inputs, table.as_ref(), &mut out);
                return out;
            }
            Screen::Summary => {
                let summary = view.summary.as_ref().map(|s| &s.1);
                summary::view_ui(root, summary, view.finished, tr, form, &mut out);
                return out;
            }
            Screen::Debrief => {
                debrief::view_ui(root, view.debrief.as_ref(), tr, form, &mut inputs.debrief, &mut out);
                return out;
            }
            _ => {}
        }
    }
    match (screen, session.game()) {
        (Screen::Leaderboard, _) => leaderboard_ui(root, session, tr, &mut out),
        (Screen::Workshop, _) => {
            let cards = session.live().map(|l| team_cards(l, tr)).unwrap_or_default();
            workshop_ui(root, session.live(), &cards, tr, &mut inputs.console.timer_minutes, &mut out);
        }
        (Screen::Title, _) | (_, None) => title_ui(root, session, tr, form, &mut inputs.title, &mut out),
        // The engine builds each screen's view of the game; the screens draw only that.
        (Screen::Briefing, Some(g)) => briefing_ui(root, &briefing_view(g, tr), tr, form, &mut out),
        (Screen::Playing, Some(g)) => {
            // In a synchronized workshop the facilitator ends the turns, not the team.
            let waits = session.live().is_some_and(|l| l.synchronized());
            playing_ui(root, &turn_view(g, tr), (waits, form), tr, &mut inputs.turn, &mut out);
        }
        (Screen::Summary, Some(g)) => {
            let s = summary_view(g, session.summary_turn(), tr);
            summary::view_ui(root, s.as_ref(), g.is_finished(), tr, form, &mut out);
        }
        (Screen::Debrief, Some(g)) => {
            let view = session.debrief().map(|d| d.view(g, tr));
            debrief::view_ui(root, view.as_ref(), tr, form, &mut inputs.debrief, &mut out);
        }
    }
    if let (true, Some(g)) = (session.console_open(), session.game()) {
        console_ui(root.ctx(), session, &console_view(g, tr), None, tr, &mut inputs.console, &mut out);
    }
    // On the workshop dashboard: the console on the team the facilitator picked.
    if let (Screen::Workshop, Some(live)) = (screen, session.live())
        && let Some(team) = live.console().and_then(|k| live.teams().get(k))
        && let Some(g) = team.game()
    {
        console_ui(root.ctx(), session, &console_view(g, tr), Some(team.name()), tr, &mut inputs.console, &mut out);
    }
    if root.ctx().input(|i| i.key_pressed(Key::F2)) {
        out.push(Intent::ToggleConsole);
    }
    out
}

/// Seconds as m:ss.
/// Every team's dashboard card, built by the engine from its replica of the team's game
/// and the proposals open on its table this turn.
fn team_cards(live: &Live, tr: &Tr) -> Vec<Option<TeamCard>> {
    live.teams()
        .iter()
        .map(|team| {
            let g = team.game()?;
            let open: Vec<(u64, &Step)> = team
                .floor()
                .map(|f| &f.proposals[..])
                .unwrap_or_default()
                .iter()
                .filter(|p| p.turn == g.turn() && p.state == ProposalState::Open)
                .map(|p| (p.id, &p.step))
                .collect();
            Some(team_card(g, &open, tr))
        })
        .collect()
}

fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).ceil() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn channel_color(c: Channel) -> Color32 {
    match c {
        Channel::News => Color32::from_rgb(0x60, 0xa5, 0xfa),
        Channel::SocialMedia => Color32::from_rgb(0xc0, 0x84, 0xfc),
        Channel::StoreStaff => Color32::from_rgb(0xfb, 0xbf, 0x24),
        Channel::SupportDesk => Color32::from_rgb(0x34, 0xd3, 0x99),
        Channel::Press => Color32::from_rgb(0xf8, 0x71, 0x71),
        Channel::Regulator => Color32::from_rgb(0xf9, 0x73, 0x16),
        Channel::Internal => Color32::from_rgb(0x94, 0xa3, 0xb8),
    }
}

/// The colour of a timeline line, by its kind (`None`: the normal text colour).
fn line_color(kind: LineKind) -> Option<Color32> {
    match kind {
        LineKind::Event(c) => Some(channel_color(c)),
        LineKind::Effect => Some(GOOD),
        LineKind::Facilitator => Some(WARN),
        LineKind::Move | LineKind::Decision { .. } | LineKind::Note => None,
    }
}

/// A timeline line, coloured by its kind.
fn line_label(ui: &mut egui::Ui, line: &Line) {
    let text = egui::RichText::new(&line.text);
    ui.label(match line_color(line.kind) {
        Some(c) => text.color(c),
        None => text,
    });
}

/// The language picker: each language by its own name; choosing one sends
/// [`Intent::SetLang`].
fn lang_picker(ui: &mut egui::Ui, current: Lang, tr: &Tr, out: &mut Vec<Intent>) {
    // In a right-to-left row the first one drawn is the rightmost.
    let mut langs = Lang::ALL.to_vec();
    if ui.layout().prefer_right_to_left() {
        langs.reverse();
    }
    let font = egui::TextStyle::Button.resolve(ui.style());
    for lang in langs {
        // The browser fetches the Japanese font only once it is needed: until then
        // "日本語" would be blank, so the language goes by its name in the current one.
        let name = match ui.ctx().fonts_mut(|f| f.has_glyphs(&font, lang.native_name())) {
            true => lang.native_name().to_owned(),
            false => lang_name(lang, tr),
        };
        if ui.selectable_label(lang == current, name).clicked() && lang != current {
            out.push(Intent::SetLang(lang));
        }
    }
}

/// Gives a control that has no visible caption of its own an accessible name: what a
/// screen reader says for it (a tooltip is not one). Nothing drawn changes.
pub(super) fn name_control(response: &egui::Response, name: &str) {
    response.ctx.accesskit_node_builder(response.id, |node| node.set_label(name));
}

/// Called last inside a scroll area's content: when the keyboard focus has just moved to a
/// control in it that is out of sight, scrolls to it (egui does not), so the focused
/// control is always seen. Once per move of the focus, so scrolling away stays possible,
/// and again on a frame where the screen got shorter (a phone's keyboard came up over the
/// field being typed in: `keyboard`), then to the middle of what is left.
pub(super) fn follow_focus(ui: &egui::Ui) {
    let ctx = ui.ctx();
    let Some(id) = ctx.memory(|m| m.focused()) else { return };
    let key = ui.id().with("followed-focus");
    let shrank = keyboard::shrank(ctx);
    if !shrank && ctx.data(|d| d.get_temp::<egui::Id>(key)) == Some(id) {
        return;
    }
    let Some(focused) = ctx.read_response(id) else { return };
    if !ui.min_rect().contains_rect(focused.rect) {
        return;
    }
    ctx.data_mut(|d| d.insert_temp(key, id));
    if !ui.clip_rect().contains_rect(focused.rect) {
        ui.scroll_to_rect(focused.rect, shrank.then_some(egui::Align::Center));
    }
}

/// Makes `ui` a polite live region named `name`: a screen reader announces what appears in
/// it (AccessKit on the desktop, the page's mirror in the browser). Call it before adding
/// anything to `ui`, so what is added lands inside.
pub(super) fn live_region(ui: &egui::Ui, name: &str) {
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        node.set_role(egui::accesskit::Role::Log);
        node.set_label(name);
        node.set_live(egui::accesskit::Live::Polite);
    });
}

/// Names the resize handle of the side panel `panel` (egui registers it as a focusable
/// widget of unknown role under the panel's id with "__resize"): a splitter a screen reader
/// can tell.
pub(super) fn name_resize_handle(ctx: &egui::Context, panel: &str, name: &str) {
    ctx.accesskit_node_builder(egui::Id::new(panel).with("__resize"), |node| {
        node.set_role(egui::accesskit::Role::Splitter);
        node.set_label(name);
    });
}

/// A language's name in the language of `tr`.
pub(super) fn lang_name(lang: Lang, tr: &Tr) -> String {
    match lang {
        Lang::En => t!(tr, "lang-name-en"),
        Lang::Ja => t!(tr, "lang-name-ja"),
    }
}

/// A good (green), bad (red) or neutral colour.
fn good_color(ui: &egui::Ui, good: Option<bool>) -> Color32 {
    match good {
        Some(true) => GOOD,
        Some(false) => BAD,
        None => ui.visuals().text_color(),
    }
}
