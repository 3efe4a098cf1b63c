//! The turn screen: dashboard, event feed, mitigation cards and due decisions, drawn from
//! the engine's [`TurnView`] alone.

use bevy_egui::egui::{self, Color32, Key, RichText, Stroke, Vec2};

use super::super::session::Intent;
use super::form::{self, Form};
use super::turn_touch::{self, Tab};
use super::{ACCENT, BAD, GOOD, good_color, media, motion, scene, table};
use crate::i18n::Tr;
use crate::sim::present::player::TurnView;
use crate::sim::present::view::{Badge, Card};
use crate::t;

/// What is being typed on the turn screen.
#[derive(Debug, Default)]
pub struct Typing {
    /// The players' reason for their moves.
    pub why: String,
    /// What a phone shows of the turn (a tablet: its side column).
    pub tab: Tab,
}

/// What the turn screen draws: the engine's view, whether the facilitator ends the turns
/// (a synchronized workshop) rather than the players, and the screen's form.
#[derive(Clone, Copy)]
pub struct Turn<'a> {
    pub v: &'a TurnView,
    pub waits: bool,
    pub form: Form,
}

/// The turn loop: dashboard, event feed, mitigation cards, decisions.
/// `waits`: the facilitator ends the turns (a synchronized workshop), not the players.
pub fn playing_ui(
    root: &mut egui::Ui,
    v: &TurnView,
    (waits, form): (bool, Form),
    tr: &Tr,
    typing: &mut Typing,
    out: &mut Vec<Intent>,
) {
    view_ui(root, Turn { v, waits, form }, tr, (typing, &mut table::Typing::default()), None, out);
}

/// The turn screen of a [`TurnView`]; with a `table`, a workshop player's table of roles,
/// proposals and votes too.
pub fn view_ui(
    root: &mut egui::Ui,
    turn: Turn<'_>,
    tr: &Tr,
    (typing, seat): (&mut Typing, &mut table::Typing),
    table: Option<&table::LiveTable<'_>>,
    out: &mut Vec<Intent>,
) {
    let Turn { v, waits, form } = turn;
    let ctx = root.ctx().clone();
    // Keys typed into a field are the field's, also in the frame it lets go of the keyboard
    // (Enter in the note field notes; it does not end the turn too).
    let typed = ctx.egui_wants_keyboard_input();
    // N starts a note from the keyboard (and, in the browser, brings up the input method).
    let write_note = !typed && ctx.input(|i| i.key_pressed(Key::N) && !i.modifiers.command);
    if form.touch() {
        turn_touch::view_ui(root, turn, tr, (typing, seat), table, write_note, out);
    } else {
        desktop_ui(root, v, waits, tr, (&mut typing.why, seat), table, write_note, out);
    }
    decisions_ui(&ctx, v, table, tr, form, out);
    // A key that skipped the feed's arrivals or the dashboard's count does nothing else.
    if typed || ctx.egui_wants_keyboard_input() || motion::skipped_this_frame(&ctx) {
        return;
    }
    keys_ui(&ctx, v, out);
    if let Some(t) = table {
        table::keys_ui(&ctx, t, out);
    }
}

/// The note field: why the players make their moves, and its button. `write_note`: the
/// key N was pressed (the field takes the keyboard).
pub(super) fn note_ui(
    ui: &mut egui::Ui,
    (why, notes): (&mut String, usize),
    tr: &Tr,
    form: Form,
    write_note: bool,
    out: &mut Vec<Intent>,
) {
    // The field's name: its caption on a desktop; on a touch form (no caption) its own.
    let caption = (!form.touch()).then(|| ui.label(t!(tr, "turn-why")).id);
    let note = t!(tr, "turn-note");
    // On a touch form the field takes the row but for its button.
    let reserve = match form.touch() {
        true => {
            let font = egui::TextStyle::Button.resolve(ui.style());
            let text = ui.ctx().fonts_mut(|f| f.layout_no_wrap(note.clone(), font, Color32::WHITE).size().x);
            // The button's padding, the field's frame and the gaps between them.
            text + 2.0 * ui.spacing().button_padding.x + 3.0 * ui.spacing().item_spacing.x + 8.0
        }
        false => 0.0,
    };
    let width = match form.touch() {
        // Beside what is already in the row when it fits there, else a row of its own.
        true => {
            let room = ui.available_size_before_wrap().x - reserve;
            if room >= 160.0 { room.min(520.0) } else { form::field_width(ui, form, 520.0, reserve) }
        }
        false => 520.0,
    };
    let hint = if form.touch() { t!(tr, "turn-why") } else { t!(tr, "turn-why-hint") };
    let edit = ui.add(form::field(
        ui,
        egui::TextEdit::singleline(why)
            .hint_text(hint)
            .char_limit(crate::sim::play::game::NOTE_MAX_CHARS)
            .desired_width(width),
    ));
    let edit = match caption {
        Some(id) => edit.labelled_by(id),
        None => {
            super::name_control(&edit, &t!(tr, "turn-why"));
            edit
        }
    };
    if write_note {
        edit.request_focus();
    }
    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    form::mark(ui, "note_field", edit.rect);
    let button = form::button(ui, form, false, note);
    form::mark(ui, "note", button.rect);
    if (button.clicked() || enter) && !why.trim().is_empty() {
        out.push(Intent::Note(std::mem::take(why)));
    }
    if notes > 0 {
        ui.label(RichText::new(t!(tr, "turn-notes-count", n = notes)).weak());
    }
}

/// The desktop's turn screen: the bar, the note field, and three columns (dashboard, cards, feed).
#[expect(clippy::too_many_arguments, reason = "the turn screen's parts, each used once")]
fn desktop_ui(
    root: &mut egui::Ui,
    v: &TurnView,
    waits: bool,
    tr: &Tr,
    (why, seat): (&mut String, &mut table::Typing),
    table: Option<&table::LiveTable<'_>>,
    write_note: bool,
    out: &mut Vec<Intent>,
) {
    egui::Panel::top("turn_bar").show(root, |ui| {
        turn_bar_ui(ui, v, waits, tr, out);
        super::timeline::strip(ui, v, tr);
        ui.add_space(4.0);
    });
    egui::Panel::bottom("rationale").show(root, |ui| {
        ui.horizontal(|ui| note_ui(ui, (why, v.notes), tr, Form::Desktop, write_note, out));
    });
    egui::Panel::left("dashboard").resizable(true).default_size(380.0).show(root, |ui| {
        ui.label(RichText::new(t!(tr, "turn-dashboard")).size(20.0).strong());
        egui::ScrollArea::vertical().show(ui, |ui| dashboard_ui(ui, v, tr));
    });
    super::name_resize_handle(root.ctx(), "dashboard", &t!(tr, "turn-resize-dashboard"));
    egui::Panel::right("feed").resizable(true).default_size(400.0).show(root, |ui| {
        if let Some(t) = table {
            egui::ScrollArea::vertical().id_salt("table_scroll").max_height(260.0).show(ui, |ui| {
                table::table_ui(ui, t, tr, out);
                // A player without a role yet picks here too (joining mid-game skips the briefing).
                let seated = t.floor.players.iter().find(|(n, _)| Some(*n) == t.me).map(|(_, w)| w);
                if seated.is_none_or(|w| w.roles.is_empty()) {
                    egui::CollapsingHeader::new(t!(tr, "table-pick")).default_open(true).show(ui, |ui| {
                        table::seat_ui(ui, t.roles, seated, Some(t.floor), tr, seat, out);
                    });
                }
                super::follow_focus(ui);
            });
        }
        ui.label(RichText::new(t!(tr, "turn-feed")).size(20.0).strong());
        ui.label(RichText::new(&v.briefing).italics());
        ui.separator();
        egui::ScrollArea::vertical().id_salt("feed_scroll").show(ui, |ui| {
            super::live_region(ui, &t!(tr, "turn-feed"));
            feed_ui(ui, v, tr);
            super::follow_focus(ui);
        });
    });
    super::name_resize_handle(root.ctx(), "feed", &t!(tr, "turn-resize-feed"));
    egui::CentralPanel::default().show(root, |ui| {
        ui.label(RichText::new(t!(tr, "turn-mitigations")).size(20.0).strong());
        egui::ScrollArea::vertical().id_salt("cards").show(ui, |ui| {
            cards_ui(ui, v, tr, Form::Desktop, out);
            super::follow_focus(ui);
        });
    });
}

fn dashboard_ui(ui: &mut egui::Ui, v: &TurnView, tr: &Tr) {
    let clock = dashboard_clock(ui.ctx(), v);
    for m in &v.metrics {
        let color = if m.change.is_none() { ui.visuals().weak_text_color() } else { good_color(ui, m.good) };
        let resp = ui
            .horizontal(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(200.0);
                    ui.label(RichText::new(&m.label).size(14.0));
                    ui.horizontal(|ui| {
                        let value = motion::figure_text(tr, m.figures.as_ref(), &m.value, clock);
                        ui.label(RichText::new(value).size(20.0).strong());
                        if let Some(change) = &m.change {
                            ui.label(RichText::new(change).color(color));
                        }
                    });
                });
                sparkline(ui, &m.series, Vec2::new(140.0, 36.0), color);
            })
            .response;
        resp.on_hover_text(&m.description);
        ui.separator();
    }
}

/// The dashboard's clock: at the start of each turn its values count from where they were
/// before the turn just resolved (any key or click skips).
pub(super) fn dashboard_clock(ctx: &egui::Context, v: &TurnView) -> motion::Clock {
    motion::clock(ctx, "dashboard", (&v.scenario_title, v.turn), motion::COUNT_SECONDS)
}

pub(super) fn sparkline(ui: &mut egui::Ui, series: &[f64], size: Vec2, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    if series.len() < 2 {
        return;
    }
    let (lo, hi) = series.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let span = if (hi - lo).abs() < 1e-12 { 1.0 } else { hi - lo };
    let pts: Vec<egui::Pos2> = series
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = rect.left() + rect.width() * i as f32 / (series.len() - 1) as f32;
            let y = rect.bottom() - rect.height() * ((v - lo) / span) as f32;
            egui::pos2(x, y)
        })
        .collect();
    let stroke_color = if color == Color32::TRANSPARENT { ACCENT } else { color };
    ui.painter().add(egui::Shape::line(pts, Stroke::new(2.0, stroke_color)));
}

pub(super) fn feed_ui(ui: &mut egui::Ui, v: &TurnView, tr: &Tr) {
    // A turn picked on the timeline opens, and comes into view, once.
    let picked = super::timeline::take_open_turn(ui.ctx());
    // This turn's injects arrive one after another, once per turn (any key or click skips).
    let fresh = v.feed.iter().find(|t| t.turn == v.turn).map_or(0, |t| t.items.len());
    let length = motion::ARRIVAL_SECONDS * fresh as f64;
    let clock = motion::clock(ui.ctx(), "feed", (&v.scenario_title, v.turn), length);
    for t in &v.feed {
        let header = RichText::new(&t.label).strong();
        let mut section = egui::CollapsingHeader::new(header).id_salt(("feed", t.turn)).default_open(t.turn == v.turn);
        if picked == Some(t.turn) {
            section = section.open(Some(true));
        }
        let shown = section.show(ui, |ui| {
            let (arrived, last) = match t.turn == v.turn {
                true => motion::arrived(clock, t.items.len()),
                false => (t.items.len(), 1.0),
            };
            for (n, item) in t.items.iter().take(arrived).enumerate() {
                ui.scope(|ui| {
                    if n + 1 == arrived {
                        ui.multiply_opacity(0.15 + 0.85 * last);
                    }
                    media::inject_ui(ui, item, media::Title::Show, tr);
                });
                ui.add_space(6.0);
            }
        });
        if picked == Some(t.turn) {
            shown.header_response.scroll_to_me(Some(egui::Align::TOP));
        }
    }
}

pub(super) fn cards_ui(ui: &mut egui::Ui, v: &TurnView, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    let width = ui.available_width();
    let columns = if width > 900.0 {
        3
    } else if width > 560.0 {
        2
    } else {
        1
    };
    let card_w = width / columns as f32 - 12.0;
    egui::Grid::new("cards_grid").num_columns(columns).spacing(Vec2::new(8.0, 8.0)).show(ui, |ui| {
        for (n, c) in v.cards.iter().enumerate() {
            card_ui(ui, c, (card_w, !v.roles.is_empty(), form), tr, out);
            if (n + 1).is_multiple_of(columns) {
                ui.end_row();
            }
        }
    });
}

/// One mitigation card: name, state, cost, side effects and its button; with `owners`
/// (a workshop player holding roles), the role that decides it.
fn card_ui(ui: &mut egui::Ui, c: &Card, (width, owners, form): (f32, bool, Form), tr: &Tr, out: &mut Vec<Intent>) {
    let badge_color = match c.badge {
        Badge::Available | Badge::Active => GOOD,
        Badge::Locked | Badge::Done => ui.visuals().weak_text_color(),
        Badge::AtTurnEnd | Badge::From(_) => ACCENT,
        Badge::TooLate => BAD,
    };
    let frame = egui::Frame::group(ui.style()).inner_margin(8.0).stroke(Stroke::new(1.5, badge_color));
    frame.show(ui, |ui| {
        ui.set_width(width);
        ui.vertical(|ui| {
            let key = c.key.map(|k| format!("[{k}] ")).unwrap_or_default();
            ui.label(RichText::new(format!("{key}{}", c.label)).strong().size(16.0));
            ui.horizontal(|ui| {
                ui.label(RichText::new(&c.category).weak());
                ui.label(RichText::new(c.badge.text(tr)).color(badge_color).strong());
            });
            if let (true, Some(owner)) = (owners, &c.owner) {
                ui.label(RichText::new(t!(tr, "table-decides", role = owner.as_str())).size(13.0).color(ACCENT));
            }
            ui.label(&c.cost);
            for s in &c.side_effects {
                ui.label(RichText::new(format!("⚠ {s}")).size(13.0).weak());
            }
            // No hover on a touch screen: a tap opens what the desktop shows on hover.
            if form.touch() && !c.description.is_empty() {
                let details = egui::CollapsingHeader::new(t!(tr, "card-details"))
                    .id_salt(("card_details", c.index))
                    .show(ui, |ui| {
                        ui.label(RichText::new(&c.description).size(13.0));
                    });
                form::mark(ui, "details", details.header_response.rect);
            }
            let b = &c.button;
            let min = if form.touch() { Vec2::splat(form::touch_points(ui.ctx())) } else { Vec2::ZERO };
            let resp =
                ui.add_enabled(b.enabled, egui::Button::new(&b.label).min_size(min)).on_hover_text(&c.description);
            if b.enabled {
                form::mark(ui, "card", resp.rect);
            }
            // Every card's button says "Take": to a screen reader, which card's.
            super::name_control(&resp, &t!(tr, "turn-card-button", button = b.label.as_str(), card = c.label.as_str()));
            if let Some(why) = &b.why {
                resp.on_disabled_hover_text(why.clone());
                ui.label(RichText::new(why).size(12.0).color(BAD));
            } else if resp.clicked() {
                out.push(Intent::Act(b.action));
            }
        });
    });
}

fn decisions_ui(
    ctx: &egui::Context,
    v: &TurnView,
    table: Option<&table::LiveTable<'_>>,
    tr: &Tr,
    form: Form,
    out: &mut Vec<Intent>,
) {
    let Some(d) = &v.decision else { return };
    if let Some(scene) = d.scene {
        return scene::scene_window(ctx, (d, scene), table, (tr, form), out);
    }
    let screen = ctx.viewport_rect();
    let sideways = form == Form::Phone && screen.width() > screen.height();
    egui::Window::new(RichText::new(&d.item.title).size(20.0).strong())
        .id(egui::Id::new(("decision", d.inject)))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, Vec2::ZERO)
        .default_width(if sideways { screen.width() - 32.0 } else { super::overlays::window_width(ctx, form, 520.0) })
        .show(ctx, |ui| {
            form::touch_style(ui, form);
            if sideways {
                // A phone on its side: the inject beside the answers, each scrolling.
                let height = screen.height() * 0.7;
                ui.columns(2, |cols| {
                    egui::ScrollArea::vertical().id_salt("decision_item").max_height(height).show(&mut cols[0], |ui| {
                        media::inject_ui(ui, &d.item, media::Title::Omit, tr);
                    });
                    egui::ScrollArea::vertical().id_salt("decision_answers").max_height(height).show(
                        &mut cols[1],
                        |ui| {
                            decision_answers(ui, d, table, tr, form, out);
                        },
                    );
                });
            } else if form.touch() {
                // A phone's screen may be shorter than the decision: the inject and the
                // answers scroll each in their own part, so the first answer stays in view.
                let height = ctx.viewport_rect().height() * 0.7;
                egui::ScrollArea::vertical().id_salt("decision_item").max_height(height * 0.4).show(ui, |ui| {
                    media::inject_ui(ui, &d.item, media::Title::Omit, tr);
                });
                ui.add_space(8.0);
                egui::ScrollArea::vertical().id_salt("decision_answers").max_height(height * 0.6).show(ui, |ui| {
                    decision_answers(ui, d, table, tr, form, out);
                });
            } else {
                media::inject_ui(ui, &d.item, media::Title::Omit, tr);
                ui.add_space(8.0);
                decision_answers(ui, d, table, tr, form, out);
            }
        });
}

/// Who decides a decision or the team's vote, and its options.
fn decision_answers(
    ui: &mut egui::Ui,
    d: &crate::sim::present::player::DecisionView,
    table: Option<&table::LiveTable<'_>>,
    tr: &Tr,
    form: Form,
    out: &mut Vec<Intent>,
) {
    decision_who(ui, d, table, tr, out);
    for opt in &d.options {
        let option = form::button(ui, form, false, RichText::new(&opt.label).size(17.0));
        form::mark(ui, "option", option.rect);
        if option.clicked() {
            out.push(Intent::Act(opt.action));
        }
        if !opt.description.is_empty() {
            ui.label(RichText::new(&opt.description).weak());
        }
        ui.add_space(4.0);
    }
}

/// In a workshop with roles, who decides a decision; without, the team's vote on it.
pub(super) fn decision_who(
    ui: &mut egui::Ui,
    d: &crate::sim::present::player::DecisionView,
    table: Option<&table::LiveTable<'_>>,
    tr: &Tr,
    out: &mut Vec<Intent>,
) {
    if let (Some(owner), true) = (&d.owner, table.is_some()) {
        let line = if d.propose {
            t!(tr, "decision-owner", role = owner.as_str())
        } else {
            t!(tr, "table-decides", role = owner.as_str())
        };
        ui.label(RichText::new(line).color(ACCENT));
        ui.add_space(4.0);
    } else if let Some(t) = table {
        table::vote_ui(ui, t, d.inject, tr, out);
        ui.add_space(4.0);
    }
}

/// The turn bar: scenario, turn, action points, budget, and End turn / Undo / Menu.
fn turn_bar_ui(ui: &mut egui::Ui, v: &TurnView, waits: bool, tr: &Tr, out: &mut Vec<Intent>) {
    ui.add_space(4.0);
    // The buttons keep their place on the right; the rest wraps onto a second line when a
    // long title or a language's longer words do not fit.
    egui::containers::Sides::new().shrink_left().show(
        ui,
        |ui| {
            ui.horizontal_wrapped(|ui| {
                // Each item whole: one that does not fit moves to the next line.
                let item = |ui: &mut egui::Ui, text: RichText| ui.add(egui::Label::new(text).extend());
                item(ui, RichText::new(&v.scenario_title).strong());
                ui.separator();
                let heading = t!(tr, "turn-heading", n = v.turn + 1, total = v.turns, label = &v.turn_label);
                item(ui, RichText::new(heading).size(22.0).strong());
                ui.separator();
                let points = t!(tr, "turn-points", left = v.points_left, total = v.points_total);
                item(ui, RichText::new(points).size(18.0));
                if let Some(money) = &v.budget_left {
                    ui.separator();
                    let budget = t!(tr, "turn-budget", money = money.as_str());
                    item(ui, RichText::new(budget).size(18.0));
                }
            });
        },
        |ui| {
            let decisions_open = v.decision.is_some();
            if waits {
                let wait = egui::Button::new(RichText::new(t!(tr, "turn-end-facilitator")).size(18.0));
                ui.add_enabled(false, wait).on_disabled_hover_text(t!(tr, "turn-end-facilitator-hover"));
            }
            let end =
                egui::Button::new(RichText::new(t!(tr, "turn-end")).size(18.0).color(Color32::WHITE)).fill(ACCENT);
            let hover = if decisions_open { t!(tr, "turn-end-hover-decisions") } else { t!(tr, "turn-end-hover") };
            if !waits {
                let end = ui.add(end).on_hover_text(hover);
                form::mark(ui, "end_turn", end.rect);
                if end.clicked() {
                    out.push(Intent::EndTurn);
                }
            }
            if ui.add_enabled(v.can_undo, egui::Button::new(t!(tr, "turn-undo"))).clicked() {
                out.push(Intent::Undo);
            }
            if ui.button(t!(tr, "turn-menu")).clicked() {
                out.push(Intent::ToTitle);
            }
        },
    );
    ui.add_space(4.0);
}

/// The turn screen's keys: Enter ends the turn, Ctrl+Z undoes, Esc opens the menu, 1–9 take or stop a card.
fn keys_ui(ctx: &egui::Context, v: &TurnView, out: &mut Vec<Intent>) {
    ctx.input(|i| {
        if i.key_pressed(Key::Enter) {
            out.push(Intent::EndTurn);
        }
        if i.modifiers.command && i.key_pressed(Key::Z) {
            out.push(Intent::Undo);
        }
        if i.key_pressed(Key::Escape) {
            out.push(Intent::ToTitle);
        }
        let keys = [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];
        for (n, k) in keys.iter().enumerate() {
            if let Some(action) = v.keys.get(n).filter(|_| i.key_pressed(*k) && !i.modifiers.command) {
                out.push(Intent::Act(*action));
            }
        }
    });
}
