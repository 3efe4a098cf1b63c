//! The turn screen on a phone and a tablet: a compact bar, the turn's actions in a bottom
//! bar within a thumb's reach, and the cards, feed, dashboard and table as tabs (a phone:
//! one column) or as a side column beside the cards (a tablet: two columns).

use bevy_egui::egui::{self, Color32, RichText, Vec2};

use super::super::session::Intent;
use super::form::{self, Form};
use super::turn::{Turn, Typing, cards_ui, feed_ui, note_ui, sparkline};
use super::{ACCENT, good_color, table};
use crate::i18n::Tr;
use crate::sim::present::player::TurnView;
use crate::t;

/// What a phone shows of the turn, one at a time (a tablet shows the cards always and the
/// rest in its side column).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Cards,
    Feed,
    Dashboard,
    /// A workshop team's table: roles, proposals, votes.
    Table,
}

/// The turn screen on a touch form.
pub(super) fn view_ui(
    root: &mut egui::Ui,
    Turn { v, waits, form }: Turn<'_>,
    tr: &Tr,
    (typing, seat): (&mut Typing, &mut table::Typing),
    table: Option<&table::LiveTable<'_>>,
    write_note: bool,
    out: &mut Vec<Intent>,
) {
    let Typing { why, tab } = typing;
    // A phone on its side: little height, a tablet's width.
    let sideways = form == Form::Phone && root.available_width() >= form::TABLET_FROM;
    let tabs: Vec<Tab> = match form {
        Form::Phone => vec![Tab::Cards, Tab::Feed, Tab::Dashboard],
        _ => vec![Tab::Feed, Tab::Dashboard],
    }
    .into_iter()
    .chain(table.map(|_| Tab::Table))
    .collect();
    if !tabs.contains(tab) {
        *tab = tabs[0];
    }
    egui::Panel::top("turn_bar").show(root, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| bar_ui(ui, v, tr, form));
        ui.add_space(4.0);
    });
    // The turn's actions under the thumb: a row of their own, or beside the note sideways.
    let end_width = (root.available_width() * 0.4).min(if sideways { 160.0 } else { 240.0 });
    egui::Panel::bottom("turn_actions").show(root, |ui| {
        ui.add_space(4.0);
        if sideways {
            ui.horizontal_wrapped(|ui| {
                actions_ui(ui, v, (waits, end_width), tr, out);
                note_ui(ui, (why, v.notes), tr, form, write_note, out);
            });
        } else {
            ui.horizontal_wrapped(|ui| note_ui(ui, (why, v.notes), tr, form, write_note, out));
            ui.horizontal_wrapped(|ui| actions_ui(ui, v, (waits, end_width), tr, out));
        }
        ui.add_space(4.0);
    });
    if sideways {
        // The tabs in a rail on the left, to leave the height to the content.
        let rail = (root.available_width() * 0.25).clamp(140.0, 200.0);
        egui::Panel::left("turn_rail").resizable(false).exact_size(rail).show(root, |ui| {
            egui::ScrollArea::vertical().id_salt("turn_rail_scroll").show(ui, |ui| {
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::Min), |ui| tabs_ui(ui, &tabs, tab, tr));
            });
        });
    }
    if form == Form::Phone {
        if !sideways {
            egui::Panel::top("turn_tabs").show(root, |ui| ui.horizontal_wrapped(|ui| tabs_ui(ui, &tabs, tab, tr)));
        }
        egui::CentralPanel::default().show(root, |ui| {
            tab_ui(ui, *tab, (v, form), tr, (table, seat), out);
        });
    } else {
        // A tablet: the side column takes a little under half the width, the cards the rest.
        let width = root.available_width() * 0.45;
        egui::Panel::left("turn_side").resizable(false).exact_size(width).show(root, |ui| {
            ui.horizontal_wrapped(|ui| tabs_ui(ui, &tabs, tab, tr));
            ui.separator();
            tab_ui(ui, *tab, (v, form), tr, (table, seat), out);
        });
        egui::CentralPanel::default().show(root, |ui| {
            tab_ui(ui, Tab::Cards, (v, form), tr, (table, seat), out);
        });
    }
}

/// Scenario, turn and what is left to spend, into the caller's (wrapping) row.
fn bar_ui(ui: &mut egui::Ui, v: &TurnView, tr: &Tr, form: Form) {
    let item = |ui: &mut egui::Ui, text: RichText| ui.add(egui::Label::new(text).extend());
    if form != Form::Phone {
        item(ui, RichText::new(&v.scenario_title).strong());
        ui.separator();
    }
    let heading = t!(tr, "turn-heading", n = v.turn + 1, total = v.turns, label = &v.turn_label);
    item(ui, form::heading(heading, 22.0, form));
    ui.separator();
    item(ui, RichText::new(t!(tr, "turn-points", left = v.points_left, total = v.points_total)).strong());
    if let Some(money) = &v.budget_left {
        ui.separator();
        item(ui, RichText::new(t!(tr, "turn-budget", money = money.as_str())));
    }
}

/// End turn (`end_width` wide, or the facilitator's note), Undo and Menu.
fn actions_ui(ui: &mut egui::Ui, v: &TurnView, (waits, end_width): (bool, f32), tr: &Tr, out: &mut Vec<Intent>) {
    let t = form::touch_points(ui.ctx());
    if waits {
        let wait = egui::Button::new(RichText::new(t!(tr, "turn-end-facilitator")).size(16.0)).min_size(Vec2::splat(t));
        ui.add_enabled(false, wait);
    } else {
        let end = RichText::new(t!(tr, "turn-end-touch")).size(18.0).strong().color(Color32::WHITE);
        // The turn's main action: the widest button, first under the thumb.
        let end = ui.add(egui::Button::new(end).fill(ACCENT).min_size(Vec2::new(end_width.max(t), t)));
        form::mark(ui, "end_turn", end.rect);
        if end.clicked() {
            out.push(Intent::EndTurn);
        }
    }
    let undo = egui::Button::new(t!(tr, "turn-undo-touch")).min_size(Vec2::splat(t));
    if ui.add_enabled(v.can_undo, undo).clicked() {
        out.push(Intent::Undo);
    }
    if ui.add(egui::Button::new(t!(tr, "turn-menu-touch")).min_size(Vec2::splat(t))).clicked() {
        out.push(Intent::ToTitle);
    }
    if v.decision.is_some() && !waits {
        ui.label(RichText::new(t!(tr, "turn-end-hover-decisions")).weak().size(12.0));
    }
}

/// The tab buttons, each a touch target, into the caller's (wrapping) row.
fn tabs_ui(ui: &mut egui::Ui, tabs: &[Tab], current: &mut Tab, tr: &Tr) {
    let t = form::touch_points(ui.ctx());
    for &tab in tabs {
        let label = match tab {
            Tab::Cards => t!(tr, "turn-mitigations"),
            Tab::Feed => t!(tr, "turn-feed"),
            Tab::Dashboard => t!(tr, "turn-dashboard"),
            Tab::Table => t!(tr, "table-heading"),
        };
        let button = egui::Button::selectable(*current == tab, RichText::new(label).strong()).min_size(Vec2::splat(t));
        let button = ui.add(button);
        form::mark(ui, &format!("tab_{tab:?}").to_lowercase(), button.rect);
        if button.clicked() {
            *current = tab;
        }
    }
}

/// One tab's content, scrolled by dragging.
fn tab_ui(
    ui: &mut egui::Ui,
    tab: Tab,
    (v, form): (&TurnView, Form),
    tr: &Tr,
    (table, seat): (Option<&table::LiveTable<'_>>, &mut table::Typing),
    out: &mut Vec<Intent>,
) {
    let scroll = egui::ScrollArea::vertical().id_salt(("turn_tab", tab as u8)).auto_shrink([false, false]);
    scroll.show(ui, |ui| {
        match tab {
            Tab::Cards => cards_ui(ui, v, tr, form, out),
            Tab::Feed => {
                super::timeline::strip(ui, v, tr);
                ui.label(RichText::new(&v.briefing).italics());
                ui.separator();
                feed_ui(ui, v, tr);
            }
            Tab::Dashboard => dashboard_ui(ui, v, tr),
            Tab::Table => {
                if let Some(t) = table {
                    table::table_ui(ui, t, tr, out);
                    let seated = t.floor.players.iter().find(|(n, _)| Some(*n) == t.me).map(|(_, w)| w);
                    if seated.is_none_or(|w| w.roles.is_empty()) {
                        table::seat_ui(ui, t.roles, seated, Some(t.floor), tr, seat, out);
                    }
                }
            }
        }
        super::follow_focus(ui);
    });
}

/// The metrics, one under another, each with its description written out (no hover on a
/// touch screen).
fn dashboard_ui(ui: &mut egui::Ui, v: &TurnView, tr: &Tr) {
    let clock = super::turn::dashboard_clock(ui.ctx(), v);
    for m in &v.metrics {
        let color = if m.change.is_none() { ui.visuals().weak_text_color() } else { good_color(ui, m.good) };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&m.label).strong());
            let value = super::motion::figure_text(tr, m.figures.as_ref(), &m.value, clock);
            ui.label(RichText::new(value).size(18.0).strong());
            if let Some(change) = &m.change {
                ui.label(RichText::new(change).color(color));
            }
        });
        if m.series.len() > 1 {
            sparkline(ui, &m.series, Vec2::new(ui.available_width().min(240.0), 28.0), color);
        }
        ui.label(RichText::new(&m.description).weak().size(12.0));
        ui.separator();
    }
}
