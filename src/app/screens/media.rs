//! An inject drawn in its own medium: a social post, a news article, an email, a chat
//! message, a support queue, a regulator's letter or a phone call, painted with egui from
//! the engine's [`FeedItem`] alone (no picture files), in either theme and language.

use bevy_egui::egui::{self, Align, Align2, Color32, FontId, Layout, RichText, Stroke, Vec2};

use super::channel_color;
use crate::i18n::Tr;
use crate::sim::present::player::FeedItem;
use crate::sim::scenario::Medium;
use crate::t;

/// Whether the inject's title is drawn: a decision's window already shows it as its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Title {
    Show,
    Omit,
}

/// Draws `item` as its medium shows it, as wide as the space it is given.
pub fn inject_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title, tr: &Tr) {
    let accent = ink(ui, channel_color(item.channel));
    let (fill, stroke) = match item.medium {
        Medium::Letter | Medium::Article => {
            (paper(ui), Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color))
        }
        _ => (ui.visuals().faint_bg_color, Stroke::new(1.0, accent.gamma_multiply(0.7))),
    };
    let radius = match item.medium {
        Medium::Letter | Medium::Article => 2.0,
        _ => 8.0,
    };
    egui::Frame::new().fill(fill).stroke(stroke).corner_radius(radius).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match item.medium {
            Medium::Post => post_ui(ui, item, title),
            Medium::Article => article_ui(ui, item, title, accent),
            Medium::Email => email_ui(ui, item, title, accent, tr),
            Medium::Chat => chat_ui(ui, item, title, accent),
            Medium::Tickets => tickets_ui(ui, item, title, accent, tr),
            Medium::Letter => letter_ui(ui, item, title, accent, tr),
            Medium::Call => call_ui(ui, item, title, accent, tr),
        }
    });
}

/// A channel's colour dark enough to read on a light theme's pale panels.
fn ink(ui: &egui::Ui, c: Color32) -> Color32 {
    if ui.visuals().dark_mode {
        c
    } else {
        let d = |v: u8| (f32::from(v) * 0.62) as u8;
        Color32::from_rgb(d(c.r()), d(c.g()), d(c.b()))
    }
}

/// The colour of paper (articles, letters): a shade off the panel in either theme.
fn paper(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode { Color32::from_gray(40) } else { Color32::from_gray(253) }
}

fn small(text: impl Into<String>) -> RichText {
    RichText::new(text).size(12.0).weak()
}

fn heading(ui: &mut egui::Ui, item: &FeedItem, title: Title, size: f32) {
    if title == Title::Show {
        ui.label(RichText::new(&item.title).size(size).strong());
    }
}

/// A round avatar with the first letter of `name` on a colour drawn from the name.
fn avatar(ui: &mut egui::Ui, name: &str, size: f32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(size), egui::Sense::hover());
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    let hue = (hash % 360) as f32 / 360.0;
    let color: Color32 = egui::ecolor::Hsva::new(hue, 0.55, 0.72, 1.0).into();
    ui.painter().circle_filled(rect.center(), size / 2.0, color);
    let initial: String = name.chars().find(|c| c.is_alphanumeric()).into_iter().flat_map(char::to_uppercase).collect();
    ui.painter().text(rect.center(), Align2::CENTER_CENTER, initial, FontId::proportional(size * 0.5), Color32::WHITE);
}

/// A horizontal rule across the frame.
fn rule(ui: &mut egui::Ui, width: f32, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::new(ui.available_width(), width + 2.0), egui::Sense::hover());
    ui.painter().hline(rect.x_range(), rect.center().y, Stroke::new(width, color));
}

fn post_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title) {
    ui.horizontal_top(|ui| {
        avatar(ui, &item.from, 36.0);
        ui.vertical(|ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&item.from).strong());
                if let Some(handle) = &item.handle {
                    ui.label(RichText::new(handle).weak());
                }
                ui.label(RichText::new(format!("· {}", item.when)).weak());
            });
            heading(ui, item, title, 15.0);
            ui.label(&item.text);
            if let Some(reach) = &item.reach {
                ui.label(small(reach));
            }
        });
    });
}

fn article_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title, accent: Color32) {
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(item.outlet.to_uppercase()).size(20.0).strong().color(ui.visuals().strong_text_color()));
    });
    rule(ui, 2.0, ui.visuals().strong_text_color());
    ui.horizontal(|ui| {
        ui.label(small(&item.when));
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| ui.label(small(&item.channel_label).color(accent)));
    });
    rule(ui, 1.0, ui.visuals().weak_text_color());
    heading(ui, item, title, 19.0);
    if let Some(standfirst) = &item.standfirst {
        ui.label(RichText::new(standfirst).size(15.0).italics());
    }
    if let Some(by) = &item.byline {
        ui.label(small(by));
    }
    ui.add_space(2.0);
    ui.label(&item.text);
    if let Some(reach) = &item.reach {
        ui.label(small(reach));
    }
}

fn email_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title, accent: Color32, tr: &Tr) {
    ui.label(RichText::new(&item.channel_label).size(12.0).strong().color(accent));
    egui::Grid::new(("email", &item.title, &item.when)).num_columns(2).spacing(Vec2::new(8.0, 2.0)).show(ui, |ui| {
        let row = |ui: &mut egui::Ui, key: String, value: RichText| {
            ui.label(RichText::new(key).weak());
            ui.add(egui::Label::new(value).wrap());
            ui.end_row();
        };
        row(ui, t!(tr, "media-from"), RichText::new(&item.from).strong());
        row(ui, t!(tr, "media-to"), RichText::new(&item.to));
        if title == Title::Show {
            row(ui, t!(tr, "media-subject"), RichText::new(&item.title).strong());
        }
        row(ui, t!(tr, "media-date"), RichText::new(&item.when));
    });
    rule(ui, 1.0, ui.visuals().weak_text_color());
    ui.label(&item.text);
}

fn chat_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title, accent: Color32) {
    ui.label(RichText::new(format!("# {}", item.outlet)).size(12.0).strong().color(accent));
    ui.horizontal_top(|ui| {
        avatar(ui, &item.from, 30.0);
        ui.vertical(|ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&item.from).strong());
                ui.label(small(&item.when));
            });
            let bubble = egui::Frame::new().fill(accent.gamma_multiply(0.18)).corner_radius(10.0).inner_margin(8.0);
            bubble.show(ui, |ui| {
                heading(ui, item, title, 14.0);
                ui.label(&item.text);
            });
        });
    });
}

fn tickets_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title, accent: Color32, tr: &Tr) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&item.outlet).strong());
        if let Some(count) = &item.reach {
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let pill = egui::Frame::new().fill(accent).corner_radius(10.0).inner_margin(Vec2::new(8.0, 2.0));
                let on = if ui.visuals().dark_mode { Color32::BLACK } else { Color32::WHITE };
                pill.show(ui, |ui| ui.label(RichText::new(count).size(12.0).strong().color(on)));
            });
        }
    });
    ui.add_space(4.0);
    let ticket = egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .stroke(Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color))
        .corner_radius(4.0)
        .inner_margin(8.0);
    let shown = ticket.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t!(tr, "media-ticket", n = item.reference.as_str())).monospace().color(accent));
            ui.label(small(&item.when));
            if let Some(by) = &item.byline {
                ui.label(small(by));
            }
        });
        heading(ui, item, title, 15.0);
        ui.label(&item.text);
    });
    // The tickets behind it: the queue's edge.
    let r = shown.response.rect;
    let edge = ui.visuals().widgets.noninteractive.bg_stroke.color;
    for k in 1..=2 {
        let y = r.bottom() + 3.0 * k as f32;
        let inset = 6.0 * k as f32;
        ui.painter().hline(egui::Rangef::new(r.left() + inset, r.right() - inset), y, Stroke::new(1.0, edge));
    }
    ui.add_space(6.0);
}

fn letter_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title, accent: Color32, tr: &Tr) {
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(&item.outlet).size(17.0).strong().color(ui.visuals().strong_text_color()));
    });
    rule(ui, 2.0, accent);
    ui.with_layout(Layout::top_down(Align::Max), |ui| {
        ui.label(small(&item.when));
        ui.label(small(t!(tr, "media-reference", n = item.reference.as_str())));
    });
    if title == Title::Show {
        ui.label(RichText::new(t!(tr, "media-letter-subject", title = item.title.as_str())).strong());
    }
    ui.add_space(4.0);
    ui.label(&item.text);
    if let Some(by) = &item.byline {
        ui.add_space(6.0);
        ui.with_layout(Layout::top_down(Align::Max), |ui| ui.label(RichText::new(by).italics()));
    }
}

fn call_ui(ui: &mut egui::Ui, item: &FeedItem, title: Title, accent: Color32, tr: &Tr) {
    ui.horizontal_top(|ui| {
        avatar(ui, &item.from, 40.0);
        ui.vertical(|ui| {
            ui.label(RichText::new(t!(tr, "media-incoming-call", when = item.when.as_str())).size(12.0).color(accent));
            ui.label(RichText::new(&item.from).size(16.0).strong());
            if item.outlet != item.from {
                ui.label(RichText::new(&item.outlet).weak());
            }
        });
    });
    heading(ui, item, title, 15.0);
    // The transcript: what the caller says, set off by a bar.
    let bar = ui.horizontal_top(|ui| {
        ui.add_space(10.0);
        ui.vertical(|ui| ui.label(RichText::new(t!(tr, "media-quote", text = item.text.as_str())).italics()));
    });
    let r = bar.response.rect;
    ui.painter().vline(r.left() + 3.0, r.y_range(), Stroke::new(3.0, accent));
}
