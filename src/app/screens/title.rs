//! The title screen: the scenarios as cards with their cover text and a big Play, joining a
//! workshop second, and everything else (files, running a workshop, saves, settings) under
//! "More" ([`title_more`](super::title_more)).

use bevy_egui::egui::{self, Align, Color32, Key, Layout, RichText, vec2};

use super::super::session::{Entry, Intent, Session};
use super::form::{self, Form};
use super::title_more as more;
use super::{lang_name, lang_picker};
use crate::i18n::{Lang, Tr};
use crate::t;

/// What is being typed on the title screen.
#[derive(Debug, Default)]
pub struct Typing {
    /// A scenario's path (desktop).
    pub path: String,
    /// A pasted scenario.
    pub paste: String,
    /// A workshop team's join link.
    pub join: String,
    /// A workshop to run on the page's server: its scenario (catalog entry) and teams.
    pub run_scenario: usize,
    pub run_teams: String,
    /// Only the facilitator ends the turns.
    pub run_synchronized: bool,
    /// The workshop's seed (every team plays the same draws); the game's own until changed.
    pub run_seed: Option<u64>,
    /// The server to create it on (the desktop; the page uses its own).
    pub run_server: String,
    /// When a text field last had the keyboard (egui's clock, seconds). The number keys
    /// start a scenario only a while after typing ended, so a digit of a join code typed
    /// in the browser (where keys reach the game through a hidden input) can never start
    /// a game, even on a frame where the field's focus is not yet, or no longer, seen.
    pub typed_at: Option<f64>,
}

/// How long after typing the title's single-key shortcuts stay off, in seconds.
const SHORTCUTS_AFTER_TYPING: f64 = 1.0;

/// The catalog of scenarios, the ways to open one, saves and settings.
pub fn title_ui(
    root: &mut egui::Ui,
    session: &Session,
    tr: &Tr,
    form: Form,
    inputs: &mut Typing,
    out: &mut Vec<Intent>,
) {
    let ctx = root.ctx().clone();
    more::defaults(inputs, tr);
    egui::CentralPanel::default().show(root, |ui| {
        ui.add_space(if form == Form::Phone { 4.0 } else { 12.0 });
        if form.touch() {
            // The title on its own line, the language picker under it.
            ui.heading(form::heading(t!(tr, "app-title"), 30.0, form));
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(t!(tr, "settings-language")).weak());
                lang_picker(ui, session.settings().lang, tr, out);
            });
        } else {
            ui.horizontal(|ui| {
                ui.heading(RichText::new(t!(tr, "app-title")).size(30.0).strong());
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    lang_picker(ui, session.settings().lang, tr, out);
                    ui.label(RichText::new(t!(tr, "settings-language")).weak());
                });
            });
        }
        ui.label(t!(tr, "title-intro"));
        ui.add_space(if form == Form::Phone { 4.0 } else { 12.0 });
        egui::ScrollArea::vertical().show(ui, |ui| {
            // A player with a phone most likely came to join their team: that comes first.
            if form.touch() {
                join_ui(ui, tr, form, inputs, out);
                ui.add_space(8.0);
            }
            catalog_ui(ui, session, tr, form, out);
            if session.has_autosave() {
                let resume = form::button(ui, form, false, RichText::new(t!(tr, "title-continue")).size(16.0));
                if resume.clicked() {
                    out.push(Intent::Resume);
                }
                ui.add_space(6.0);
            }
            if !form.touch() {
                ui.add_space(6.0);
                join_ui(ui, tr, form, inputs, out);
            }
            ui.add_space(12.0);
            more::more_ui(ui, session, tr, form, inputs, out);
            super::follow_focus(ui);
        });
    });
    let typing = !keys_free(&ctx, inputs);
    ctx.input(|i| {
        if typing {
            return;
        }
        if i.key_pressed(Key::C) && session.has_autosave() {
            out.push(Intent::Resume);
        }
        // W: a workshop on the run form's defaults, with the form open or not.
        if i.key_pressed(Key::W) {
            out.extend(more::create_workshop(session, inputs));
        }
        for (n, k) in [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5].iter().enumerate() {
            if i.key_pressed(*k) && n < session.catalog().len() {
                out.push(Intent::NewGame(n));
            }
        }
    });
}

/// Whether the title's single-key shortcuts may act on this frame: no text field has the
/// keyboard now or had it within [`SHORTCUTS_AFTER_TYPING`], and no join code is half typed.
fn keys_free(ctx: &egui::Context, inputs: &mut Typing) -> bool {
    let now = ctx.input(|i| i.time);
    if ctx.egui_wants_keyboard_input() {
        inputs.typed_at = Some(now);
    }
    let typed_lately = inputs.typed_at.is_some_and(|t| now - t < SHORTCUTS_AFTER_TYPING);
    !typed_lately && inputs.join.trim().is_empty()
}

/// The scenarios on offer, each a card: its cover (a painted emblem), title, cover text
/// (its summary), length and languages, and a big Play.
fn catalog_ui(ui: &mut egui::Ui, session: &Session, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    let lang = session.settings().lang;
    for (n, e) in session.catalog().iter().enumerate() {
        let (title, summary) = e.shown(lang.tag());
        let v = ui.visuals();
        let stroke = egui::Stroke::new(1.0, v.widgets.noninteractive.bg_stroke.color);
        let frame = egui::Frame::new().fill(v.faint_bg_color).stroke(stroke).corner_radius(10.0).inner_margin(12.0);
        frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            let key = if n < 9 && !form.touch() { format!("  [{}]", n + 1) } else { String::new() };
            let play_text = RichText::new(format!("{}{key}", t!(tr, "title-play"))).size(20.0).strong();
            if form.touch() {
                ui.horizontal(|ui| {
                    cover(ui, n, title, 40.0);
                    ui.add(egui::Label::new(form::heading(title, 22.0, form)).wrap());
                });
                facts_ui(ui, e, tr);
                ui.add(egui::Label::new(summary).wrap());
                ui.vertical_centered(|ui| {
                    let play = play_button(ui, play_text, vec2(ui.available_width(), super::touch_points(ui.ctx())));
                    if play.clicked() {
                        out.push(Intent::NewGame(n));
                    }
                });
            } else {
                ui.horizontal(|ui| {
                    cover(ui, n, title, 88.0);
                    let play_width = 170.0;
                    ui.vertical(|ui| {
                        ui.set_width((ui.available_width() - play_width - 12.0).max(200.0));
                        ui.add(egui::Label::new(RichText::new(title).size(22.0).strong()).wrap());
                        ui.add(egui::Label::new(RichText::new(summary).size(15.0)).wrap());
                        facts_ui(ui, e, tr);
                    });
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        let play = play_button(ui, play_text, vec2(play_width, 52.0));
                        if play.clicked() {
                            out.push(Intent::NewGame(n));
                        }
                    });
                });
            }
        });
        ui.add_space(8.0);
    }
}

/// A card's Play: big, in the accent colour, recorded for the page as "play".
fn play_button(ui: &mut egui::Ui, text: RichText, size: egui::Vec2) -> egui::Response {
    let play = ui.add(egui::Button::new(text.color(Color32::WHITE)).fill(super::ACCENT).min_size(size));
    form::mark(ui, "play", play.rect);
    play
}

/// A card's facts on one line: custom or bundled, turns and the time they span, languages.
fn facts_ui(ui: &mut egui::Ui, e: &Entry, tr: &Tr) {
    let names: Vec<String> =
        e.languages().map(|l| Lang::from_tag(l).map_or_else(|| l.to_owned(), |l| lang_name(l, tr))).collect();
    let mut facts = vec![
        t!(tr, "title-length", turns = e.turns, span = tr.days(e.days)),
        t!(tr, "title-languages", languages = names.join(" · ")),
    ];
    if e.path.is_some() {
        facts.insert(0, t!(tr, "title-custom"));
    }
    ui.add(egui::Label::new(RichText::new(facts.join("   ·   ")).weak()).wrap());
}

/// The cover of the catalog's `n`th scenario: its initial on a colour of its place in the
/// catalog, each card its own.
fn cover(ui: &mut egui::Ui, n: usize, title: &str, size: f32) {
    let (rect, _) = ui.allocate_exact_size(vec2(size, size), egui::Sense::hover());
    let hues = [(0x8b, 0x5c, 0xf6), (0x0e, 0x94, 0x88), (0xea, 0x58, 0x0c), (0x25, 0x63, 0xeb), (0xdb, 0x27, 0x77)];
    let (r, g, b) = hues[n % hues.len()];
    let p = ui.painter();
    p.rect_filled(rect, size * 0.18, Color32::from_rgb(r, g, b));
    // A few diagonal bands, like a cover's pattern.
    for k in 1..4 {
        let f = k as f32 / 4.0;
        let a = rect.left_bottom() + vec2(0.0, -rect.height() * f);
        let b = rect.left_bottom() + vec2(rect.width() * f, 0.0);
        p.line_segment([a, b], egui::Stroke::new(size * 0.05, Color32::from_white_alpha(40)));
    }
    let initial: String = title.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    p.text(rect.center(), egui::Align2::CENTER_CENTER, initial, egui::FontId::proportional(size * 0.5), Color32::WHITE);
}

/// Joining a live workshop by the team's link.
fn join_ui(ui: &mut egui::Ui, tr: &Tr, form: Form, inputs: &mut Typing, out: &mut Vec<Intent>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let key = if form.touch() { String::new() } else { "  [J]".into() };
        let caption = ui.label(RichText::new(format!("{}{key}", t!(tr, "title-join"))).strong());
        let edit = ui
            .add(form::field(
                ui,
                egui::TextEdit::singleline(&mut inputs.join)
                    .hint_text(t!(tr, "title-join-placeholder"))
                    .desired_width(form::field_width(ui, form, 380.0, 0.0)),
            ))
            .labelled_by(caption.id);
        form::mark(ui, "join", edit.rect);
        // J: to the field, to type a team's code.
        if !ui.ctx().egui_wants_keyboard_input() && ui.input(|i| i.key_pressed(Key::J)) {
            edit.request_focus();
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if (form::button(ui, form, false, t!(tr, "title-join-button")).clicked() || enter)
            && !inputs.join.trim().is_empty()
        {
            out.push(Intent::JoinWorkshop(inputs.join.trim().to_owned()));
        }
    });
    ui.label(RichText::new(t!(tr, "title-join-hint")).weak());
}
