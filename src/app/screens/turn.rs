//! The turn screen: dashboard, event feed, mitigation cards and due decisions, drawn from
//! the engine's [`TurnView`] alone.

use bevy_egui::egui::{self, Color32, Key, RichText, Stroke, Vec2};

use super::super::session::Intent;
use super::{ACCENT, BAD, GOOD, channel_color, good_color, table};
use crate::i18n::Tr;
use crate::sim::Game;
use crate::sim::present::player::{FeedItem, TurnView, turn_view};
use crate::sim::present::view::{Badge, Card};
use crate::t;

/// What is being typed on the turn screen.
#[derive(Debug, Default)]
pub struct Typing {
    /// The players' reason for their moves.
    pub why: String,
}

/// The turn loop: dashboard, event feed, mitigation cards, decisions.
/// `waits`: the facilitator ends the turns (a synchronized workshop), not the players.
pub fn playing_ui(root: &mut egui::Ui, g: &Game, waits: bool, tr: &Tr, typing: &mut Typing, out: &mut Vec<Intent>) {
    let v = turn_view(g, tr);
    view_ui(root, &v, waits, tr, (typing, &mut table::Typing::default()), None, out);
}

/// The turn screen of a [`TurnView`]; with a `table`, a workshop player's table of roles,
/// proposals and votes too.
pub fn view_ui(
    root: &mut egui::Ui,
    v: &TurnView,
    waits: bool,
    tr: &Tr,
    (typing, seat): (&mut Typing, &mut table::Typing),
    table: Option<&table::LiveTable<'_>>,
    out: &mut Vec<Intent>,
) {
    let why = &mut typing.why;
    let ctx = root.ctx().clone();
    egui::Panel::top("turn_bar").show(root, |ui| {
        turn_bar_ui(ui, v, waits, tr, out);
    });
    // Keys typed into a field are the field's, also in the frame it lets go of the keyboard
    // (Enter in the note field notes; it does not end the turn too).
    let typing = ctx.egui_wants_keyboard_input();
    // N starts a note from the keyboard (and, in the browser, brings up the input method).
    let write_note = !typing && ctx.input(|i| i.key_pressed(Key::N) && !i.modifiers.command);
    egui::Panel::bottom("rationale").show(root, |ui| {
        ui.horizontal(|ui| {
            let caption = ui.label(t!(tr, "turn-why"));
            let edit = ui
                .add(
                    egui::TextEdit::singleline(why)
                        .hint_text(t!(tr, "turn-why-hint"))
                        .char_limit(crate::sim::play::game::NOTE_MAX_CHARS)
                        .desired_width(520.0),
                )
                .labelled_by(caption.id);
            if write_note {
                edit.request_focus();
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.button(t!(tr, "turn-note")).clicked() || enter) && !why.trim().is_empty() {
                out.push(Intent::Note(std::mem::take(why)));
            }
            if v.notes > 0 {
                ui.label(RichText::new(t!(tr, "turn-notes-count", n = v.notes)).weak());
            }
        });
    });
    egui::Panel::left("dashboard").resizable(true).default_size(380.0).show(root, |ui| {
        ui.label(RichText::new(t!(tr, "turn-dashboard")).size(20.0).strong());
        egui::ScrollArea::vertical().show(ui, |ui| dashboard_ui(ui, v));
    });
    super::name_resize_handle(&ctx, "dashboard", &t!(tr, "turn-resize-dashboard"));
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
            feed_ui(ui, v);
            super::follow_focus(ui);
        });
    });
    super::name_resize_handle(&ctx, "feed", &t!(tr, "turn-resize-feed"));
    egui::CentralPanel::default().show(root, |ui| {
        ui.label(RichText::new(t!(tr, "turn-mitigations")).size(20.0).strong());
        egui::ScrollArea::vertical().id_salt("cards").show(ui, |ui| {
            cards_ui(ui, v, tr, out);
            super::follow_focus(ui);
        });
    });
    decisions_ui(&ctx, v, table, tr, out);
    if typing || ctx.egui_wants_keyboard_input() {
        return;
    }
    keys_ui(&ctx, v, out);
    if let Some(t) = table {
        table::keys_ui(&ctx, t, out);
    }
}

fn dashboard_ui(ui: &mut egui::Ui, v: &TurnView) {
    for m in &v.metrics {
        let color = if m.change.is_none() { ui.visuals().weak_text_color() } else { good_color(ui, m.good) };
        let resp = ui
            .horizontal(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(200.0);
                    ui.label(RichText::new(&m.label).size(14.0));
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&m.value).size(20.0).strong());
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

fn feed_ui(ui: &mut egui::Ui, v: &TurnView) {
    for t in &v.feed {
        let header = RichText::new(&t.label).strong();
        egui::CollapsingHeader::new(header).id_salt(("feed", t.turn)).default_open(t.turn == v.turn).show(ui, |ui| {
            for item in &t.items {
                let c = channel_color(item.channel);
                egui::Frame::new().stroke(Stroke::new(1.0, c)).inner_margin(8.0).corner_radius(4.0).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(item.channel_label.to_uppercase()).color(c).size(12.0).strong());
                    ui.label(RichText::new(&item.title).size(16.0).strong());
                    ui.label(&item.text);
                });
                ui.add_space(4.0);
            }
        });
    }
}

fn cards_ui(ui: &mut egui::Ui, v: &TurnView, tr: &Tr, out: &mut Vec<Intent>) {
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
            card_ui(ui, c, (card_w, !v.roles.is_empty()), tr, out);
            if (n + 1).is_multiple_of(columns) {
                ui.end_row();
            }
        }
    });
}

/// One mitigation card: name, state, cost, side effects and its button; with `owners`
/// (a workshop player holding roles), the role that decides it.
fn card_ui(ui: &mut egui::Ui, c: &Card, (width, owners): (f32, bool), tr: &Tr, out: &mut Vec<Intent>) {
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
            let b = &c.button;
            let resp = ui.add_enabled(b.enabled, egui::Button::new(&b.label)).on_hover_text(&c.description);
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
    out: &mut Vec<Intent>,
) {
    let Some(d) = &v.decision else { return };
    let FeedItem { channel, channel_label, title, text } = &d.item;
    egui::Window::new(RichText::new(title).size(20.0).strong())
        .id(egui::Id::new(("decision", d.inject)))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, Vec2::ZERO)
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(channel_label.to_uppercase()).color(channel_color(*channel)).strong());
            ui.label(text);
            ui.add_space(8.0);
            // In a workshop with roles: who decides, or the team's vote.
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
            for opt in &d.options {
                if ui.button(RichText::new(&opt.label).size(17.0)).clicked() {
                    out.push(Intent::Act(opt.action));
                }
                if !opt.description.is_empty() {
                    ui.label(RichText::new(&opt.description).weak());
                }
                ui.add_space(4.0);
            }
        });
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
            if !waits && ui.add(end).on_hover_text(hover).clicked() {
                out.push(Intent::EndTurn);
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
