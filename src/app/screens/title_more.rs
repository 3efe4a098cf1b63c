//! The title screen's "More": opening a scenario file or a pasted one, running a workshop,
//! saves and the leaderboard, text size, theme and motion; out of the way of Play, one
//! click away.

use bevy_egui::egui::{self, Key, RichText};

use super::super::session::{Intent, Session};
use super::form::{self, Form};
use super::title::Typing;
use crate::i18n::Tr;
use crate::t;

/// Everything but playing and joining, under one collapsed header.
pub(super) fn more_ui(
    ui: &mut egui::Ui,
    session: &Session,
    tr: &Tr,
    form: Form,
    inputs: &mut Typing,
    out: &mut Vec<Intent>,
) {
    egui::CollapsingHeader::new(RichText::new(t!(tr, "title-more")).strong()).id_salt("title-more").show(ui, |ui| {
        open_ui(ui, tr, form, inputs, out);
        ui.add_space(8.0);
        ui.separator();
        run_ui(ui, session, tr, form, inputs, out);
        saves_ui(ui, session, tr, form, out);
        ui.add_space(8.0);
        ui.separator();
        settings_ui(ui, session, tr, form, out);
    });
}

/// The run form's defaults until typed over: the default teams and, on the desktop, a
/// server on this machine.
pub(super) fn defaults(inputs: &mut Typing, tr: &Tr) {
    if inputs.run_teams.is_empty() {
        inputs.run_teams = t!(tr, "title-run-default-teams");
    }
    if crate::app::web::page_origin().is_none() && inputs.run_server.is_empty() {
        inputs.run_server = "127.0.0.1:8080".into();
    }
}

/// The teams typed for a new workshop (comma-separated, in either script).
fn teams(inputs: &Typing) -> Vec<String> {
    inputs.run_teams.split([',', '、']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// The workshop the run form describes, if it names some teams and a scenario: the
/// button's and the key W's (the key works with the section closed, on its defaults).
pub(super) fn create_workshop(session: &Session, inputs: &Typing) -> Option<Intent> {
    let teams = teams(inputs);
    let page = crate::app::web::page_origin().is_some();
    (!teams.is_empty() && inputs.run_scenario < session.catalog().len()).then(|| Intent::CreateWorkshop {
        scenario: inputs.run_scenario,
        teams,
        synchronized: inputs.run_synchronized,
        seed: inputs.run_seed.unwrap_or(session.seed()),
        server: (!page).then(|| inputs.run_server.trim().to_owned()),
    })
}

/// Running a workshop on the server the page came from (`ttx serve`): a scenario and the
/// teams; the page creates it and joins as the facilitator.
fn run_ui(ui: &mut egui::Ui, session: &Session, tr: &Tr, form: Form, inputs: &mut Typing, out: &mut Vec<Intent>) {
    let lang = session.settings().lang.tag();
    let catalog = session.catalog();
    // In the browser, the server the page came from; on the desktop, the one typed here.
    let page = crate::app::web::page_origin().is_some();
    ui.horizontal_wrapped(|ui| {
        if page {
            ui.label(RichText::new(t!(tr, "title-run")).strong());
        } else {
            let caption = ui.label(RichText::new(t!(tr, "title-run-desktop")).strong());
            ui.add(form::field(ui, egui::TextEdit::singleline(&mut inputs.run_server).desired_width(160.0)))
                .labelled_by(caption.id);
        }
        let shown = catalog.get(inputs.run_scenario).map_or("", |e| e.shown(lang).0);
        let picker = egui::ComboBox::from_id_salt("run-scenario").selected_text(shown).show_ui(ui, |ui| {
            for (n, e) in catalog.iter().enumerate() {
                ui.selectable_value(&mut inputs.run_scenario, n, e.shown(lang).0);
            }
        });
        super::name_control(&picker.response, &t!(tr, "title-run-scenario"));
        let caption = ui.label(t!(tr, "title-run-teams"));
        let width = form::field_width(ui, form, 260.0, 0.0);
        ui.add(form::field(ui, egui::TextEdit::singleline(&mut inputs.run_teams).desired_width(width)))
            .labelled_by(caption.id);
        ui.checkbox(&mut inputs.run_synchronized, t!(tr, "title-run-synchronized"))
            .on_hover_text(t!(tr, "title-run-synchronized-hover"));
        let caption = ui.label(t!(tr, "title-run-seed"));
        let seed = inputs.run_seed.get_or_insert(session.seed());
        ui.add(egui::DragValue::new(seed).speed(1.0))
            .labelled_by(caption.id)
            .on_hover_text(t!(tr, "title-run-seed-hover"));
        let create = egui::Button::new(format!("{}  [W]", t!(tr, "title-run-button")));
        if ui.add_enabled(!teams(inputs).is_empty(), create).clicked() {
            out.extend(create_workshop(session, inputs));
        }
    });
    let hint = if page { t!(tr, "title-run-hint") } else { t!(tr, "title-run-hint-desktop") };
    ui.label(RichText::new(hint).weak());
}

/// The ways to open a scenario: the file dialog, a typed path, drop, paste.
fn open_ui(ui: &mut egui::Ui, tr: &Tr, form: Form, inputs: &mut Typing, out: &mut Vec<Intent>) {
    ui.add_space(8.0);
    if ui.button(RichText::new(t!(tr, "title-open-file")).size(18.0)).clicked() {
        out.push(Intent::PickFile);
    }
    if !cfg!(target_arch = "wasm32") {
        form::row(ui, form, |ui| {
            let caption = ui.label(t!(tr, "title-or-type-path"));
            let width = form::field_width(ui, form, 380.0, 0.0);
            let edit = ui
                .add(form::field(
                    ui,
                    egui::TextEdit::singleline(&mut inputs.path).hint_text("path/to/scenario.ron").desired_width(width),
                ))
                .labelled_by(caption.id);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.button(t!(tr, "title-open")).clicked() || enter) && !inputs.path.trim().is_empty() {
                out.push(Intent::OpenPath(inputs.path.trim().into()));
            }
        });
    }
    ui.label(RichText::new(t!(tr, "title-or-drop")).weak());
    egui::CollapsingHeader::new(t!(tr, "title-or-paste")).id_salt("paste").show(ui, |ui| {
        let edit = ui.add(
            egui::TextEdit::multiline(&mut inputs.paste)
                .code_editor()
                .desired_rows(8)
                .desired_width(f32::INFINITY)
                .hint_text("Scenario( format: 1, ... )"),
        );
        super::name_control(&edit, &t!(tr, "title-or-paste"));
        let open = egui::Button::new(t!(tr, "title-open-pasted"));
        if ui.add_enabled(!inputs.paste.trim().is_empty(), open).clicked() {
            out.push(Intent::OpenText { name: t!(tr, "title-pasted-name"), text: inputs.paste.clone() });
        }
    });
}

/// The autosave, exported and imported saves, the leaderboard, and where things are kept.
fn saves_ui(ui: &mut egui::Ui, session: &Session, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    ui.add_space(8.0);
    form::row(ui, form, |ui| {
        if ui.add_enabled(session.has_autosave(), egui::Button::new(t!(tr, "title-export-save"))).clicked() {
            out.push(Intent::ExportSave);
        }
        if ui.button(t!(tr, "title-import-save")).clicked() {
            out.push(Intent::PickSave);
        }
        ui.separator();
        let n = session.results().len();
        if ui.button(t!(tr, "title-leaderboard", n = n)).on_hover_text(t!(tr, "title-leaderboard-hover")).clicked() {
            out.push(Intent::ShowLeaderboard);
        }
    });
    let mut saving = match session.store() {
        Some(store) => t!(tr, "title-autosave-where", place = store.describe(tr)),
        None => t!(tr, "title-saving-off"),
    };
    if cfg!(target_arch = "wasm32") {
        saving = format!("{saving} {}", t!(tr, "title-browser-caveat"));
    }
    ui.label(RichText::new(saving).weak());
    ui.label(RichText::new(t!(tr, "title-facilitator-hint")).weak());
}

/// Text size, theme and motion.
fn settings_ui(ui: &mut egui::Ui, session: &Session, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    form::row(ui, form, |ui| {
        ui.label(t!(tr, "settings-text-size"));
        let sizes = [
            (t!(tr, "settings-size-s"), 1.0),
            (t!(tr, "settings-size-m"), 1.25),
            (t!(tr, "settings-size-l"), 1.6),
            (t!(tr, "settings-size-xl"), 2.0),
        ];
        for (label, s) in sizes {
            if form::choice(ui, form, (session.settings().scale - s).abs() < 0.01, label).clicked() {
                out.push(Intent::SetScale(s));
            }
        }
        ui.separator();
        if form::choice(ui, form, session.settings().dark, t!(tr, "settings-dark")).clicked() {
            out.push(Intent::SetDark(true));
        }
        if form::choice(ui, form, !session.settings().dark, t!(tr, "settings-light")).clicked() {
            out.push(Intent::SetDark(false));
        }
        ui.separator();
        // Figures that count and injects that arrive one by one (off under the system's
        // reduced-motion preference until chosen here); also on the turn summary's bar.
        let on = session.settings().motion;
        let label = if on { t!(tr, "settings-motion-on") } else { t!(tr, "settings-motion-off") };
        if form::choice(ui, form, on, label).clicked() {
            out.push(Intent::SetMotion(!on));
        }
    });
}
