//! Over any screen: scenario errors, notices, the turn timer and the reload offer.

use bevy_egui::egui::{self, Key, RichText, Vec2};

use super::super::session::{Intent, LiveRole, LiveStatus, Session};
use super::form::{self, Form};
use super::{ACCENT, BAD, GOOD, WARN, clock};
use crate::i18n::Tr;
use crate::t;

/// Errors, notices and reload offers, over any screen.
pub(super) fn overlays_ui(root: &mut egui::Ui, session: &Session, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    if let Some(err) = session.errors() {
        egui::Window::new(RichText::new(&err.title).color(BAD).strong())
            .id(egui::Id::new("errors"))
            .collapsible(false)
            .default_width(window_width(&ctx, form, 720.0))
            .anchor(egui::Align2::CENTER_CENTER, Vec2::ZERO)
            .show(&ctx, |ui| {
                form::touch_style(ui, form);
                ui.label(t!(tr, "errors-nothing-changed"));
                egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                    for d in &err.diagnostics {
                        let kind = if d.is_error() {
                            RichText::new(t!(tr, "errors-error")).color(BAD)
                        } else {
                            RichText::new(t!(tr, "errors-warning")).color(WARN)
                        };
                        form::row(ui, form, |ui| {
                            ui.label(kind.strong());
                            ui.label(RichText::new(&d.message).strong());
                        });
                        ui.label(RichText::new(format!("{}:{}:{}", d.file, d.line, d.col)).monospace());
                        if !d.path.is_empty() {
                            ui.label(RichText::new(t!(tr, "errors-at", path = &d.path)).monospace());
                        }
                        if let Some(src) = &d.source_line {
                            ui.label(RichText::new(src.trim_end()).monospace().weak());
                        }
                        if let Some(h) = &d.hint {
                            ui.label(RichText::new(t!(tr, "errors-help", hint = h)).color(GOOD));
                        }
                        ui.separator();
                    }
                });
                if form::button(ui, form, false, t!(tr, "errors-close")).clicked() {
                    out.push(Intent::DismissErrors);
                }
            });
        if ctx.input(|i| i.key_pressed(Key::Escape)) {
            out.push(Intent::DismissErrors);
        }
    }
    if let Some(n) = session.notice() {
        egui::Panel::bottom("notice").show(root, |ui| {
            form::row(ui, form, |ui| {
                ui.label(RichText::new(n).color(WARN));
                if form::button(ui, form, true, t!(tr, "notice-ok")).clicked() {
                    out.push(Intent::DismissNotice);
                }
            });
        });
    }
    if let (Some(left), Some(false)) = (session.time_left(), session.finished()) {
        egui::Panel::top("timer").show(root, |ui| {
            ui.horizontal(|ui| {
                let color = if left < 30.0 { BAD } else { ACCENT };
                let text = t!(tr, "timer-left", clock = clock(left));
                ui.label(RichText::new(text).size(18.0).color(color).strong());
                if session.timer().paused {
                    ui.label(RichText::new(t!(tr, "timer-paused")).weak());
                }
            });
        });
    }
    if let Some(live) = session.live() {
        egui::Panel::top("workshop").show(root, |ui| {
            ui.horizontal_wrapped(|ui| {
                let banner = match (live.role(), live.team()) {
                    (Some(LiveRole::Facilitator), _) => t!(tr, "live-banner-facilitator", server = live.server()),
                    (_, Some(team)) => t!(tr, "live-banner", team = team, server = live.server()),
                    (_, None) => t!(tr, "live-banner-joining", server = live.server()),
                };
                ui.label(RichText::new(banner).strong());
                let (text, color) = match live.status() {
                    LiveStatus::Connecting => (t!(tr, "live-connecting"), WARN),
                    LiveStatus::Connected => (t!(tr, "live-connected"), GOOD),
                    LiveStatus::Lost(why) => (t!(tr, "live-lost", why = why.clone()), BAD),
                };
                ui.label(RichText::new(text).color(color));
                if form::button(ui, form, true, t!(tr, "live-leave")).clicked() {
                    out.push(Intent::LeaveWorkshop);
                }
            });
        });
    }
    if session.reload_offered() {
        egui::Panel::top("reload").show(root, |ui| {
            form::row(ui, form, |ui| {
                ui.label(t!(tr, "reload-changed"));
                if form::button(ui, form, false, t!(tr, "reload-button")).clicked() {
                    out.push(Intent::Reload);
                }
            });
        });
    }
}

/// A window's width: `desktop` on a desktop, at most the screen less a margin on a touch form.
pub(super) fn window_width(ctx: &egui::Context, form: Form, desktop: f32) -> f32 {
    if form.touch() { desktop.min(ctx.viewport_rect().width() - 32.0) } else { desktop }
}
