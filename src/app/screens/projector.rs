//! The workshop dashboard on the room's projector: no controls, type sized to the screen so
//! the back row can read it. The teams ranked one per row (rank, name, turn, where their
//! choices lead and its grade, the scenario's first visible metrics), the turn timer large,
//! or, while teams are joining, each team's QR code and code to type.

use bevy_egui::egui::{self, Align, Color32, Layout, RichText, Vec2};

use super::super::session::{Live, LiveTimer};
use super::turn::sparkline;
use super::workshop::qr_code;
use super::{ACCENT, GOOD, clock, good_color};
use crate::i18n::Tr;
use crate::sim::present::dashboard::TeamCard;
use crate::t;

/// Most metrics on a team's row: the scenario's first visible ones (authors list the
/// headline metrics first).
pub const ROW_METRICS: usize = 4;

/// The width the type is designed for; wider and narrower screens scale it (within limits,
/// so a laptop still fits a row and a 4K wall does not waste it).
const DESIGN_WIDTH: f32 = 1600.0;

/// The projector view of `live`; `links`: the join screen (QR codes and codes) instead of
/// the standings.
pub fn projector_ui(ui: &mut egui::Ui, live: &Live, cards: &[Option<TeamCard>], links: bool, tr: &Tr) {
    let k = (ui.available_width() / DESIGN_WIDTH).clamp(0.6, 2.5);
    let title = cards.iter().flatten().next().map(|c| c.scenario_title.clone());
    ui.horizontal(|ui| {
        ui.heading(RichText::new(title.unwrap_or_else(|| t!(tr, "dash-title"))).size(34.0 * k).strong());
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| timer(ui, live, k, tr));
    });
    if let Some(turn) = common_turn(cards, tr) {
        ui.label(RichText::new(turn).size(26.0 * k).color(ACCENT));
    }
    ui.add_space(12.0 * k);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if links {
            join_grid(ui, live, k, tr);
        } else {
            for (rank, team) in super::workshop::ranking(live, cards).into_iter().enumerate() {
                row(ui, live, (team, cards.get(team).and_then(Option::as_ref)), rank, k, tr);
                ui.add_space(8.0 * k);
            }
        }
    });
}

/// "Turn 3/11 · Mon 1 Jul" when every team with a game is on the same turn.
fn common_turn(cards: &[Option<TeamCard>], tr: &Tr) -> Option<String> {
    let mut games = cards.iter().flatten();
    let first = games.next()?;
    if first.finished || games.any(|c| c.turn != first.turn || c.finished) {
        return None;
    }
    let turn = t!(tr, "dash-turn", turn = first.turn + 1, turns = first.turns);
    Some(format!("{turn} · {}", first.turn_label))
}

/// The turn timer in large type, red in its last 30 seconds.
fn timer(ui: &mut egui::Ui, live: &Live, k: f32, tr: &Tr) {
    let Some(LiveTimer { left, paused, .. }) = live.timer() else { return };
    let color = super::workshop::timer_color(ui, left, paused);
    ui.label(RichText::new(clock(left)).size(56.0 * k).color(color).strong().monospace());
    if paused {
        ui.label(RichText::new(t!(tr, "timer-paused")).size(24.0 * k).strong());
    }
}

/// One team's row of the standings.
fn row(ui: &mut egui::Ui, live: &Live, (team, card): (usize, Option<&TeamCard>), rank: usize, k: f32, tr: &Tr) {
    let t = &live.teams()[team];
    egui::Frame::group(ui.style()).inner_margin(12.0 * k).show(ui, |ui| {
        ui.set_width(ui.available_width());
        // Wrapped: on a narrow screen (a tablet) the metrics continue on a second line.
        ui.horizontal_wrapped(|ui| {
            column(ui, 70.0 * k, |ui| {
                ui.label(RichText::new(format!("{}.", rank + 1)).size(40.0 * k).weak());
            });
            column(ui, 280.0 * k, |ui| {
                ui.label(RichText::new(t.name()).size(38.0 * k).strong());
                let online = RichText::new(t!(tr, "dash-online", n = t.online())).size(18.0 * k);
                ui.label(if t.online() > 0 { online.color(GOOD) } else { online.weak() });
            });
            let Some(c) = card else {
                ui.label(RichText::new(t!(tr, "dash-waiting")).size(26.0 * k).weak());
                return;
            };
            column(ui, 280.0 * k, |ui| {
                let points = t.heading().filter(|_| !c.finished).unwrap_or(c.score);
                let grade = c.grade(points);
                ui.label(RichText::new(format!("{points:.1}  {grade}")).size(40.0 * k).strong().color(ACCENT));
                let what = if c.finished {
                    t!(tr, "dash-finished")
                } else {
                    t!(tr, "dash-turn", turn = c.turn + 1, turns = c.turns)
                };
                ui.label(RichText::new(what).size(18.0 * k).weak());
            });
            for metric in c.metrics.iter().take(ROW_METRICS) {
                let color = good_color(ui, metric.good);
                column(ui, 200.0 * k, |ui| {
                    ui.label(RichText::new(&metric.label).size(16.0 * k));
                    ui.label(RichText::new(&metric.value_text).size(28.0 * k).strong());
                    sparkline(ui, &metric.series, Vec2::new(170.0 * k, 28.0 * k), color);
                });
            }
        });
    });
}

/// A fixed-width column of a row.
fn column(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.allocate_ui_with_layout(Vec2::new(width, 0.0), Layout::top_down(Align::Min), |ui| {
        ui.set_width(width);
        add(ui);
    });
}

/// While teams join: each team's QR code, code and link, as large as the screen allows.
fn join_grid(ui: &mut egui::Ui, live: &Live, k: f32, tr: &Tr) {
    ui.horizontal_wrapped(|ui| {
        for t in live.teams() {
            egui::Frame::group(ui.style()).inner_margin(14.0 * k).show(ui, |ui| {
                ui.set_width(360.0 * k);
                ui.vertical(|ui| {
                    ui.label(RichText::new(t.name()).size(38.0 * k).strong());
                    if let Some(link) = t.link() {
                        qr_code(ui, link, 300.0 * k);
                        ui.add(egui::Label::new(RichText::new(link).monospace().size(13.0 * k)).selectable(true));
                    }
                    if let Some(code) = t.code() {
                        ui.label(RichText::new(t!(tr, "dash-code")).size(18.0 * k));
                        let code = RichText::new(code).monospace().size(46.0 * k).strong().color(Color32::WHITE);
                        egui::Frame::new().fill(ACCENT).corner_radius(6.0).inner_margin(8.0 * k).show(ui, |ui| {
                            ui.add(egui::Label::new(code).selectable(true));
                        });
                    }
                    let online = RichText::new(t!(tr, "dash-online", n = t.online())).size(18.0 * k);
                    ui.label(if t.online() > 0 { online.color(GOOD) } else { online.weak() });
                });
            });
        }
    });
}
