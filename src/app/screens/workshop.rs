//! The facilitator's workshop dashboard: every team's live game side by side, ranked by
//! where each team's choices so far lead (a live leaderboard), with its turn, its
//! metrics and their course, and the turn ended for one team or for all of them.

use bevy_egui::egui::{self, Align, Layout, RichText, Vec2};

use super::super::session::{Intent, Live, LiveTimer, TimerOrder};
use super::turn::sparkline;
use super::{ACCENT, BAD, GOOD, clock, good_color};
use crate::i18n::Tr;
use crate::sim::play::score;
use crate::sim::present::dashboard::TeamCard;
use crate::t;

/// The dashboard of `live` (the facilitator's connection).
/// `cards`: each team's card as the engine presents it (None: not started).
pub fn workshop_ui(
    root: &mut egui::Ui,
    live: Option<&Live>,
    cards: &[Option<TeamCard>],
    tr: &Tr,
    minutes: &mut f64,
    out: &mut Vec<Intent>,
) {
    egui::CentralPanel::default().show(root, |ui| {
        let Some(live) = live else {
            ui.label(t!(tr, "dash-none"));
            return;
        };
        // For the room's screen: the join links and QR codes (L), and the projector view (P):
        // large type, no controls; a matter of this view only.
        let keys = !ui.ctx().egui_wants_keyboard_input();
        for (key, id) in [(egui::Key::L, "dash-show-links"), (egui::Key::P, "dash-projector")] {
            if keys && ui.input(|i| i.key_pressed(key)) {
                let on = toggled(ui, id);
                ui.data_mut(|d| d.insert_temp(egui::Id::new(id), !on));
            }
        }
        if toggled(ui, "dash-projector") {
            view_toggles(ui, tr);
            super::projector::projector_ui(ui, live, cards, toggled(ui, "dash-show-links"), tr);
            return;
        }
        // R: the workshop report, as on the debrief; E: the turn ends for every team.
        if keys && ui.input(|i| i.key_pressed(egui::Key::R)) {
            out.push(Intent::ExportReport);
        }
        let any = cards.iter().any(Option::is_some);
        if keys && any && ui.input(|i| i.key_pressed(egui::Key::E)) {
            out.push(Intent::EndTurnFor(None));
        }
        let actions = |ui: &mut egui::Ui, out: &mut Vec<Intent>| {
            let all = egui::Button::new(RichText::new(format!("{}  [E]", t!(tr, "dash-end-all"))).size(18.0));
            if ui.add_enabled(any, all).clicked() {
                out.push(Intent::EndTurnFor(None));
            }
            let report = egui::Button::new(RichText::new(format!("{}  [R]", t!(tr, "dash-report"))).size(18.0));
            if ui.add_enabled(any, report).on_hover_text(t!(tr, "dash-report-hover")).clicked() {
                out.push(Intent::ExportReport);
            }
        };
        if ui.available_width() >= WIDE_HEADER {
            ui.horizontal(|ui| {
                ui.heading(RichText::new(t!(tr, "dash-title")).size(26.0).strong());
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| actions(ui, out));
            });
        } else {
            // A tablet: the title on its own line, the two actions under it.
            ui.heading(RichText::new(t!(tr, "dash-title")).size(26.0).strong());
            ui.horizontal_wrapped(|ui| actions(ui, out));
        }
        let pace = if live.synchronized() { t!(tr, "dash-pace-synchronized") } else { t!(tr, "dash-pace-free") };
        ui.label(RichText::new(format!("{} {pace}", t!(tr, "dash-intro"))).weak());
        timer_ui(ui, live, tr, minutes, out);
        let links = toggled(ui, "dash-show-links");
        view_toggles(ui, tr);
        ui.add_space(8.0);
        // The live leaderboard: where each team's choices so far lead (a score so far counts
        // a measure's cost before its benefits), best first.
        let rows = ranking(live, cards);
        egui::ScrollArea::vertical().show(ui, |ui| {
            // As many cards to a row as the width holds (egui's wrapping row cannot wrap a
            // frame whose size it learns only once drawn: the second card ran off a tablet).
            let spacing = ui.spacing().item_spacing.x;
            let per_row = (((ui.available_width() + spacing) / (CARD_WIDTH + spacing)).floor() as usize).max(1);
            for (row, teams) in rows.chunks(per_row).enumerate() {
                ui.horizontal(|ui| {
                    for (i, &k) in teams.iter().enumerate() {
                        let rank = row * per_row + i;
                        team_card(ui, live, (k, cards.get(k).and_then(Option::as_ref)), (rank, links), tr, out);
                    }
                });
            }
        });
    });
}

/// A team's card on the dashboard: its width in points with its frame, and its margin.
const CARD_WIDTH: f32 = 382.0;
const CARD_MARGIN: f32 = 10.0;

/// The width in points from which the dashboard's title and its two actions share a row.
const WIDE_HEADER: f32 = 900.0;

/// One team: rank, name, turn, score, every visible metric with its course, its moves.
fn team_card(
    ui: &mut egui::Ui,
    live: &Live,
    (k, card): (usize, Option<&TeamCard>),
    (rank, links): (usize, bool),
    tr: &Tr,
    out: &mut Vec<Intent>,
) {
    let team = &live.teams()[k];
    egui::Frame::group(ui.style()).inner_margin(CARD_MARGIN).show(ui, |ui| {
        ui.set_width(CARD_WIDTH - 2.0 * CARD_MARGIN);
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{}.", rank + 1)).size(20.0).weak());
                ui.label(RichText::new(team.name()).size(22.0).strong());
                let online = RichText::new(t!(tr, "dash-online", n = team.online()));
                ui.label(if team.online() > 0 { online.color(GOOD) } else { online.weak() });
            });
            if let (true, Some(link)) = (links, team.link()) {
                qr_ui(ui, link);
                ui.add(egui::Label::new(RichText::new(link).monospace().size(12.0)).selectable(true));
            }
            if let (true, Some(code)) = (links, team.code()) {
                ui.horizontal(|ui| {
                    ui.label(t!(tr, "dash-code"));
                    ui.add(egui::Label::new(RichText::new(code).monospace().size(28.0).strong()).selectable(true));
                });
            }
            let Some(c) = card else {
                ui.label(RichText::new(t!(tr, "dash-waiting")).weak());
                return;
            };
            let turn = if c.finished {
                RichText::new(t!(tr, "dash-finished")).color(GOOD).strong()
            } else {
                RichText::new(t!(tr, "dash-turn", turn = c.turn + 1, turns = c.turns)).color(ACCENT)
            };
            ui.horizontal(|ui| {
                ui.label(turn);
                let total = c.score;
                ui.label(RichText::new(t!(tr, "dash-score", score = format!("{total:.1}"))).strong());
                if let (Some(heading), false) = (team.heading(), c.finished) {
                    let text = RichText::new(t!(tr, "dash-heading", score = format!("{heading:.1}"))).color(ACCENT);
                    ui.label(text).on_hover_text(t!(tr, "dash-heading-hover"));
                }
            });
            // Who holds which role, and the proposals waiting, above the numbers.
            if let Some(floor) = team.floor().filter(|_| !c.roles.is_empty()) {
                seats_ui(ui, c, floor, team.name(), tr, out);
            }
            for metric in &c.metrics {
                let color = good_color(ui, metric.good);
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(200.0);
                        ui.label(RichText::new(&metric.label).size(13.0));
                        ui.label(RichText::new(&metric.value_text).strong());
                    });
                    sparkline(ui, &metric.series, Vec2::new(120.0, 30.0), color);
                });
            }
            let moves = if c.moves.is_empty() { t!(tr, "dash-no-moves") } else { c.moves.join(" · ") };
            ui.label(RichText::new(t!(tr, "dash-moves", moves = moves)).weak());

            ui.horizontal(|ui| {
                if !c.finished && ui.button(t!(tr, "dash-end-one")).clicked() {
                    out.push(Intent::EndTurnFor(Some(k)));
                }
                let open = live.console() == Some(k);
                if ui.selectable_label(open, t!(tr, "dash-console")).clicked() {
                    out.push(Intent::ConsoleOn(if open { None } else { Some(k) }));
                }
            });
        });
    });
}

/// A team's table on its card: who holds which role, and the proposals open this turn,
/// which the facilitator may decide too.
fn seats_ui(
    ui: &mut egui::Ui,
    c: &TeamCard,
    floor: &crate::protocol::Floor,
    name: &str,
    tr: &Tr,
    out: &mut Vec<Intent>,
) {
    let label = |id: &str| c.role_label(id);
    let who = |w: &crate::protocol::Who| {
        if w.roles.is_empty() {
            w.name.clone()
        } else {
            format!("{} ({})", w.name, w.roles.iter().map(|r| label(r)).collect::<Vec<_>>().join(", "))
        }
    };
    let seats: Vec<String> = floor.players.iter().map(|(_, w)| who(w)).collect();
    ui.label(RichText::new(format!("{}: {}", t!(tr, "dash-seats"), seats.join(" · "))).size(13.0));
    // The open proposals of this turn: the ones the engine described.
    for (p, what) in floor.proposals.iter().filter_map(|p| c.proposal_text(p.id).map(|what| (p, what))) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t!(tr, "table-proposes", who = who(&p.by), what = what)).size(13.0));
            ui.label(RichText::new(t!(tr, "table-decides", role = label(&p.owner))).size(13.0).weak());
            for (accept, text) in [(true, t!(tr, "table-accept")), (false, t!(tr, "table-decline"))] {
                if ui.small_button(text).clicked() {
                    out.push(Intent::Decide { proposal: p.id, accept, team: Some(name.to_owned()) });
                }
            }
        });
    }
}

/// The dashboard's view options: the join links, the projector view.
fn view_toggles(ui: &mut egui::Ui, tr: &Tr) {
    ui.horizontal(|ui| {
        let toggles =
            [("dash-show-links", t!(tr, "dash-show-links"), "L"), ("dash-projector", t!(tr, "dash-projector"), "P")];
        for (id, text, key) in toggles {
            let mut on = toggled(ui, id);
            if ui.checkbox(&mut on, format!("{text}  [{key}]")).changed() {
                ui.data_mut(|d| d.insert_temp(egui::Id::new(id), on));
            }
        }
    });
}

/// The teams in the live leaderboard's order: where each team's choices so far lead (a
/// score so far counts a measure's cost before its benefits), best first.
pub(super) fn ranking(live: &Live, cards: &[Option<TeamCard>]) -> Vec<usize> {
    let standings: Vec<Option<(usize, f64)>> =
        live.teams().iter().zip(cards).map(|(t, c)| c.as_ref().zip(t.heading()).map(|(c, h)| (c.turn, h))).collect();
    score::live_order(&standings)
}

/// Whether a view option of the dashboard is on (kept in egui's memory, not the session).
fn toggled(ui: &egui::Ui, id: &str) -> bool {
    ui.data(|d| d.get_temp::<bool>(egui::Id::new(id))).unwrap_or(false)
}

/// The turn timer's colour: faint while paused, red in its last 30 seconds.
pub(super) fn timer_color(ui: &egui::Ui, left: f64, paused: bool) -> egui::Color32 {
    if paused {
        ui.visuals().weak_text_color()
    } else if left < 30.0 {
        BAD
    } else {
        ACCENT
    }
}

/// The workshop's turn timer: kept by the server, which ends every team's turn when it runs
/// out; started and stopped here.
fn timer_ui(ui: &mut egui::Ui, live: &Live, tr: &Tr, minutes: &mut f64, out: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(t!(tr, "console-timer")).strong());
        match live.timer() {
            Some(LiveTimer { seconds, left, paused }) => {
                let text = t!(tr, "dash-timer-left", clock = clock(left), per = clock(seconds as f64));
                ui.label(RichText::new(text).size(18.0).color(timer_color(ui, left, paused)).strong());
                if paused {
                    ui.label(RichText::new(t!(tr, "timer-paused")).strong());
                }
                let (label, order) = if paused {
                    (t!(tr, "console-timer-resume"), TimerOrder::Resume)
                } else {
                    (t!(tr, "console-timer-pause"), TimerOrder::Pause)
                };
                if ui.button(label).clicked() {
                    out.push(Intent::WorkshopTimer(order));
                }
                if ui.button(t!(tr, "dash-timer-stop")).clicked() {
                    out.push(Intent::WorkshopTimer(TimerOrder::Stop));
                }
            }
            None => {
                if *minutes <= 0.0 {
                    *minutes = 5.0;
                }
                ui.add(
                    egui::DragValue::new(minutes).range(0.5..=240.0).speed(0.5).suffix(t!(tr, "dash-timer-minutes")),
                );
                if ui.button(t!(tr, "dash-timer-start")).clicked() {
                    out.push(Intent::WorkshopTimer(TimerOrder::Start((*minutes * 60.0).round() as u64)));
                }
            }
        }
    });
}

/// A link as a QR code, drawn square by square (dark on white, with its quiet zone).
fn qr_ui(ui: &mut egui::Ui, link: &str) {
    qr_code(ui, link, 200.0);
}

/// A link as a QR code `side` points wide.
pub(super) fn qr_code(ui: &mut egui::Ui, link: &str, side: f32) {
    let Ok(code) = qrcode::QrCode::new(link.as_bytes()) else { return };
    let n = code.width();
    let quiet = 4;
    let cell = side / (n + 2 * quiet) as f32;
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(side), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    for (i, c) in code.to_colors().into_iter().enumerate() {
        if c == qrcode::Color::Dark {
            let (x, y) = ((i % n + quiet) as f32, (i / n + quiet) as f32);
            let min = rect.min + Vec2::new(x * cell, y * cell);
            painter.rect_filled(egui::Rect::from_min_size(min, Vec2::splat(cell)), 0.0, egui::Color32::BLACK);
        }
    }
}
