//! The title screen: the scenario catalog, opening files, autosave and settings.

use bevy_egui::egui::{self, Align, Key, Layout, RichText};

use super::super::session::{Intent, Session};

/// What is being typed on the title screen.
#[derive(Debug, Default)]
pub struct Typing {
    /// A scenario's path (desktop).
    pub path: String,
    /// A pasted scenario.
    pub paste: String,
}

/// The catalog of scenarios, the ways to open one, saves and settings.
pub fn title_ui(root: &mut egui::Ui, session: &Session, inputs: &mut Typing, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    egui::CentralPanel::default().show(root, |ui| {
        ui.add_space(12.0);
        ui.heading(RichText::new("ttx — incident-response tabletop").size(30.0).strong());
        ui.label("Pick a scenario, read the briefing, then play the incident turn by turn.");
        ui.add_space(12.0);
        egui::ScrollArea::vertical().show(ui, |ui| {
            catalog_ui(ui, session, out);
            open_ui(ui, inputs, out);
            saves_ui(ui, session, out);
            ui.add_space(12.0);
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Text size");
                for (label, s) in [("S", 1.0), ("M", 1.25), ("L", 1.6), ("XL", 2.0)] {
                    if ui.selectable_label((session.library.settings.scale - s).abs() < 0.01, label).clicked() {
                        out.push(Intent::SetScale(s));
                    }
                }
                ui.separator();
                if ui.selectable_label(session.library.settings.dark, "Dark").clicked() {
                    out.push(Intent::SetDark(true));
                }
                if ui.selectable_label(!session.library.settings.dark, "Light").clicked() {
                    out.push(Intent::SetDark(false));
                }
            });
        });
    });
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input(|i| {
        if typing {
            return;
        }
        if i.key_pressed(Key::C) && session.has_autosave() {
            out.push(Intent::Resume);
        }
        for (n, k) in [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5].iter().enumerate() {
            if i.key_pressed(*k) && n < session.library.catalog.len() {
                out.push(Intent::NewGame(n));
            }
        }
    });
}

/// The scenarios on offer, each with its Play button.
fn catalog_ui(ui: &mut egui::Ui, session: &Session, out: &mut Vec<Intent>) {
    for (n, e) in session.library.catalog.iter().enumerate() {
        egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&e.title).size(20.0).strong());
                if e.path.is_some() {
                    ui.label(RichText::new("custom").italics());
                }
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    let key = if n < 9 { format!("  [{}]", n + 1) } else { String::new() };
                    if ui.button(RichText::new(format!("Play{key}")).size(18.0)).clicked() {
                        out.push(Intent::NewGame(n));
                    }
                });
            });
            ui.label(&e.summary);
        });
        ui.add_space(6.0);
    }
}

/// The ways to open a scenario: the file dialog, a typed path, drop, paste.
fn open_ui(ui: &mut egui::Ui, inputs: &mut Typing, out: &mut Vec<Intent>) {
    ui.add_space(8.0);
    if ui.button(RichText::new("Open scenario file…").size(18.0)).clicked() {
        out.push(Intent::PickFile);
    }
    if !cfg!(target_arch = "wasm32") {
        ui.horizontal(|ui| {
            ui.label("or type its path:");
            let edit = ui.add(
                egui::TextEdit::singleline(&mut inputs.path).hint_text("path/to/scenario.ron").desired_width(380.0),
            );
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.button("Open").clicked() || enter) && !inputs.path.trim().is_empty() {
                out.push(Intent::OpenPath(inputs.path.trim().into()));
            }
        });
    }
    ui.label(RichText::new("…or drop a .ron file onto this window.").weak());
    egui::CollapsingHeader::new("…or paste a scenario").id_salt("paste").show(ui, |ui| {
        ui.add(
            egui::TextEdit::multiline(&mut inputs.paste)
                .code_editor()
                .desired_rows(8)
                .desired_width(f32::INFINITY)
                .hint_text("Scenario( format: 1, ... )"),
        );
        if ui.add_enabled(!inputs.paste.trim().is_empty(), egui::Button::new("Open the pasted scenario")).clicked() {
            out.push(Intent::OpenText { name: "pasted scenario".into(), text: inputs.paste.clone() });
        }
    });
}

/// The autosave, exported and imported saves, the leaderboard, and where things are kept.
fn saves_ui(ui: &mut egui::Ui, session: &Session, out: &mut Vec<Intent>) {
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.add_enabled(session.has_autosave(), egui::Button::new("Continue the autosaved game  [C]")).clicked() {
            out.push(Intent::Resume);
        }
        if ui.add_enabled(session.has_autosave(), egui::Button::new("Export save…")).clicked() {
            out.push(Intent::ExportSave);
        }
        if ui.button("Import save…").clicked() {
            out.push(Intent::PickSave);
        }
        ui.separator();
        let n = session.results.kept.len();
        if ui
            .button(format!("Leaderboard ({n})"))
            .on_hover_text("Team results on this machine and imported ones")
            .clicked()
        {
            out.push(Intent::ShowLeaderboard);
        }
    });
    let place = session.library.store.as_ref().map_or_else(|| "nowhere (saving is off)".to_owned(), |s| s.describe());
    let caveat = if cfg!(target_arch = "wasm32") {
        " Browser storage can be cleared at any time: export your save to keep it."
    } else {
        ""
    };
    ui.label(RichText::new(format!("The game autosaves after every turn to {place}.{caveat}")).weak());
    ui.label(
        RichText::new(
            "Facilitators: F2 opens the facilitator console during a game (turn timer, injects, metrics, notes).",
        )
        .weak(),
    );
}
