//! The week as a strip: every turn of the scenario by its date, the turns played with a dot
//! for each inject that arrived (in its channel's colour) and the team's moves, the turn
//! being played marked, the turns to come faint. Clicking a turn played opens its feed.

use bevy_egui::egui::{self, Color32, RichText, Sense, Stroke, StrokeKind, Vec2};

use super::{ACCENT, channel_color};
use crate::i18n::Tr;
use crate::sim::present::player::TurnView;
use crate::t;

/// The egui memory key holding the turn whose feed the strip asked to open.
const OPEN_TURN: &str = "timeline-open-turn";

/// A turn's box's height in points: a touch target at any text size.
const BOX_HEIGHT: f32 = 46.0;

/// Narrowest a turn's box gets before the strip takes a second row.
const MIN_BOX: f32 = 64.0;

/// The strip for `v`. Clicking a turn played (or the current one) asks the feed to open it.
pub fn strip(ui: &mut egui::Ui, v: &TurnView, tr: &Tr) {
    let n = v.timeline.len().max(1);
    let gap = 4.0;
    // One row where the turns fit at their narrowest, else as many rows as they need (a
    // phone): every turn stays in view and a touch target.
    let avail = ui.available_width();
    let per_row = (((avail + gap) / (MIN_BOX + gap)).floor() as usize).clamp(1, n);
    let width = ((avail - gap * (per_row as f32 - 1.0)) / per_row as f32 - 0.5).max(MIN_BOX.min(avail));
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = Vec2::splat(gap);
        for (k, turn) in v.timeline.iter().enumerate() {
            let items = v.feed.iter().find(|f| f.turn == k).map_or(&[][..], |f| f.items.as_slice());
            let (rect, response) =
                ui.allocate_exact_size(Vec2::new(width, BOX_HEIGHT.max(super::touch_points(ui.ctx()))), Sense::click());
            let visuals = ui.visuals();
            let (fill, stroke, text) = match k.cmp(&v.turn) {
                std::cmp::Ordering::Less => (visuals.faint_bg_color, Stroke::NONE, visuals.text_color()),
                std::cmp::Ordering::Equal => (visuals.extreme_bg_color, Stroke::new(2.0, ACCENT), ACCENT),
                std::cmp::Ordering::Greater => {
                    (Color32::TRANSPARENT, Stroke::new(1.0, visuals.weak_text_color()), visuals.weak_text_color())
                }
            };
            let painter = ui.painter_at(rect);
            painter.rect(rect, 4.0, fill, stroke, StrokeKind::Inside);
            let font = egui::FontId::proportional(12.0);
            let label = painter.layout(turn.label.clone(), font, text, rect.width() - 6.0);
            painter.galley(rect.left_top() + Vec2::new(4.0, 3.0), label, text);
            // A dot per inject that arrived, then a tick per move.
            let mut x = rect.left() + 7.0;
            let y = rect.bottom() - 8.0;
            for item in items.iter().take(((width - 10.0) / 8.0) as usize) {
                painter.circle_filled(egui::pos2(x, y), 3.0, channel_color(item.channel));
                x += 8.0;
            }
            if !turn.agenda.is_empty() {
                agenda_mark(&painter, rect, y, k > v.turn, &turn.agenda[0], text, !turn.moves.is_empty());
            }
            if !turn.moves.is_empty() {
                // A tick (drawn: not every font has one) and the number of moves.
                let font = egui::FontId::proportional(11.0);
                let count = painter.layout_no_wrap(turn.moves.len().to_string(), font, text);
                let right = rect.right() - count.size().x - 4.0;
                painter.galley(egui::pos2(right, y - count.size().y / 2.0), count, text);
                let tick = vec![
                    egui::pos2(right - 12.0, y),
                    egui::pos2(right - 9.0, y + 3.0),
                    egui::pos2(right - 3.0, y - 4.0),
                ];
                painter.add(egui::Shape::line(tick, Stroke::new(1.5, text)));
            }
            let played = k <= v.turn;
            let response = response.on_hover_ui(|ui| hover(ui, turn, items, tr));
            let response = if played { response.on_hover_cursor(egui::CursorIcon::PointingHand) } else { response };
            let mut name = if played { t!(tr, "timeline-turn", turn = turn.label.clone()) } else { turn.label.clone() };
            if !turn.agenda.is_empty() {
                name = format!("{name} · {}: {}", t!(tr, "timeline-agenda"), turn.agenda.join(", "));
            }
            response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, played, &name));
            if played && response.clicked() {
                ui.data_mut(|d| d.insert_temp(egui::Id::new(OPEN_TURN), k));
            }
        }
    });
}

/// Something planned that turn (the scenario's agenda): a small calendar, and on a turn still
/// to come the first entry beside it, cut to the box; `moves`: the box's right end holds
/// the moves' tick, so the calendar keeps left of it.
fn agenda_mark(
    painter: &egui::Painter,
    rect: egui::Rect,
    y: f32,
    ahead: bool,
    first: &str,
    color: Color32,
    moves: bool,
) {
    let size = 9.0;
    let left = if ahead { rect.left() + 5.0 } else { rect.right() - size - if moves { 30.0 } else { 5.0 } };
    let cal = egui::Rect::from_min_size(egui::pos2(left, y - size / 2.0), Vec2::splat(size));
    let stroke = Stroke::new(1.0, color);
    painter.rect_stroke(cal, 1.0, stroke, StrokeKind::Inside);
    painter.line_segment([cal.left_top() + Vec2::new(0.0, 3.0), cal.right_top() + Vec2::new(0.0, 3.0)], stroke);
    if ahead {
        let mut job =
            egui::text::LayoutJob::simple_singleline(first.to_owned(), egui::FontId::proportional(11.0), color);
        job.wrap = egui::text::TextWrapping::truncate_at_width((rect.right() - cal.right() - 7.0).max(0.0));
        let galley = painter.layout_job(job);
        painter.galley(egui::pos2(cal.right() + 3.0, y - galley.size().y / 2.0), galley, color);
    }
}

/// What a turn's box says on hover: what arrived, what was planned and what the team did.
fn hover(
    ui: &mut egui::Ui,
    turn: &crate::sim::present::player::TimelineTurn,
    items: &[crate::sim::present::player::FeedItem],
    tr: &Tr,
) {
    ui.label(RichText::new(&turn.label).strong());
    if !turn.agenda.is_empty() {
        ui.label(RichText::new(t!(tr, "timeline-agenda")).strong());
        for entry in &turn.agenda {
            ui.label(entry);
        }
    }
    for item in items {
        ui.label(RichText::new(&item.title).color(channel_color(item.channel)));
    }
    if !turn.moves.is_empty() {
        ui.label(RichText::new(t!(tr, "timeline-moves")).strong());
    }
    for m in &turn.moves {
        ui.label(m);
    }
    if items.is_empty() && turn.moves.is_empty() && turn.agenda.is_empty() {
        ui.label(RichText::new(t!(tr, "timeline-nothing")).weak());
    }
}

/// The turn whose feed the strip asked to open, taken (so it opens once).
pub fn take_open_turn(ctx: &egui::Context) -> Option<usize> {
    ctx.data_mut(|d| d.remove_temp::<usize>(egui::Id::new(OPEN_TURN)))
}
