//! The title screen: the scenario catalog, opening files, autosave and settings.

use bevy_egui::egui::{self, Align, Key, Layout, RichText};

use super::super::session::{Intent, Session};
use super::form::{self, Form};
use super::{lang_name, lang_picker};
use crate::i18n::{Lang, Tr};
use crate::t;

/// What is being typed on the title screen.
#[derive(Debug, Default)]
pub struct Typing {
    /// A scenario's path (desktop).
    pub path: String,
    /// A pasted scenario.
    pub paste: String,
    /// A workshop team's join link.
    pub join: String,
    /// A workshop to run on the page's server: its scenario (catalog entry) and teams.
    pub run_scenario: usize,
    pub run_teams: String,
    /// Only the facilitator ends the turns.
    pub run_synchronized: bool,
    /// The workshop's seed (every team plays the same draws); the game's own until changed.
    pub run_seed: Option<u64>,
    /// The server to create it on (the desktop; the page uses its own).
    pub run_server: String,
    /// When a text field last had the keyboard (egui's clock, seconds). The number keys
    /// start a scenario only a while after typing ended, so a digit of a join code typed
    /// in the browser (where keys reach the game through a hidden input) can never start
    /// a game, even on a frame where the field's focus is not yet, or no longer, seen.
    pub typed_at: Option<f64>,
}

/// How long after typing the title's single-key shortcuts stay off, in seconds.
const SHORTCUTS_AFTER_TYPING: f64 = 1.0;

/// The catalog of scenarios, the ways to open one, saves and settings.
pub fn title_ui(
    root: &mut egui::Ui,
    session: &Session,
    tr: &Tr,
    form: Form,
    inputs: &mut Typing,
    out: &mut Vec<Intent>,
) {
    let ctx = root.ctx().clone();
    egui::CentralPanel::default().show(root, |ui| {
        ui.add_space(if form == Form::Phone { 4.0 } else { 12.0 });
        if form.touch() {
            // The title on its own line, the language picker under it.
            ui.heading(form::heading(t!(tr, "app-title"), 30.0, form));
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(t!(tr, "settings-language")).weak());
                lang_picker(ui, session.settings().lang, tr, out);
            });
        } else {
            ui.horizontal(|ui| {
                ui.heading(RichText::new(t!(tr, "app-title")).size(30.0).strong());
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    lang_picker(ui, session.settings().lang, tr, out);
                    ui.label(RichText::new(t!(tr, "settings-language")).weak());
                });
            });
        }
        ui.label(t!(tr, "title-intro"));
        ui.add_space(if form == Form::Phone { 4.0 } else { 12.0 });
        egui::ScrollArea::vertical().show(ui, |ui| {
            // A player with a phone most likely came to join their team: that comes first.
            if form.touch() {
                join_ui(ui, tr, form, inputs, out);
                ui.add_space(8.0);
            }
            catalog_ui(ui, session, tr, form, out);
            if !form.touch() {
                join_ui(ui, tr, form, inputs, out);
            }
            run_ui(ui, session, tr, form, inputs, out);
            open_ui(ui, tr, form, inputs, out);
            saves_ui(ui, session, tr, form, out);
            ui.add_space(12.0);
            ui.separator();
            settings_ui(ui, session, tr, form, out);
            super::follow_focus(ui);
        });
    });
    let typing = !keys_free(&ctx, inputs);
    ctx.input(|i| {
        if typing {
            return;
        }
        if i.key_pressed(Key::C) && session.has_autosave() {
            out.push(Intent::Resume);
        }
        for (n, k) in [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5].iter().enumerate() {
            if i.key_pressed(*k) && n < session.catalog().len() {
                out.push(Intent::NewGame(n));
            }
        }
    });
}

/// Whether the title's single-key shortcuts may act on this frame: no text field has the
/// keyboard now or had it within [`SHORTCUTS_AFTER_TYPING`], and no join code is half typed.
fn keys_free(ctx: &egui::Context, inputs: &mut Typing) -> bool {
    let now = ctx.input(|i| i.time);
    if ctx.egui_wants_keyboard_input() {
        inputs.typed_at = Some(now);
    }
    let typed_lately = inputs.typed_at.is_some_and(|t| now - t < SHORTCUTS_AFTER_TYPING);
    !typed_lately && inputs.join.trim().is_empty()
}

/// Text size and theme.
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
    });
}

/// The scenarios on offer, each with its Play button.
fn catalog_ui(ui: &mut egui::Ui, session: &Session, tr: &Tr, form: Form, out: &mut Vec<Intent>) {
    let lang = session.settings().lang;
    for (n, e) in session.catalog().iter().enumerate() {
        let (title, summary) = e.shown(lang.tag());
        egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let key = if n < 9 && !form.touch() { format!("  [{}]", n + 1) } else { String::new() };
            let play = RichText::new(format!("{}{key}", t!(tr, "title-play"))).size(18.0);
            if form.touch() {
                // The title wraps on its own lines; Play comes after the summary, a thumb's width.
                ui.add(egui::Label::new(form::heading(title, 20.0, form)).wrap());
                if e.path.is_some() {
                    ui.label(RichText::new(t!(tr, "title-custom")).italics());
                }
            } else {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(title).size(20.0).strong());
                    if e.path.is_some() {
                        ui.label(RichText::new(t!(tr, "title-custom")).italics());
                    }
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        let play = ui.button(play.clone());
                        form::mark(ui, "play", play.rect);
                        if play.clicked() {
                            out.push(Intent::NewGame(n));
                        }
                    });
                });
            }
            ui.label(summary);
            if form.touch() {
                let play = form::button(ui, form, false, play);
                form::mark(ui, "play", play.rect);
                if play.clicked() {
                    out.push(Intent::NewGame(n));
                }
            }
            let names: Vec<String> =
                e.languages().map(|l| Lang::from_tag(l).map_or_else(|| l.to_owned(), |l| lang_name(l, tr))).collect();
            ui.label(RichText::new(t!(tr, "title-languages", languages = names.join(" · "))).weak());
        });
        ui.add_space(6.0);
    }
}

/// Joining a live workshop by the team's link.
fn join_ui(ui: &mut egui::Ui, tr: &Tr, form: Form, inputs: &mut Typing, out: &mut Vec<Intent>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let key = if form.touch() { String::new() } else { "  [J]".into() };
        let caption = ui.label(RichText::new(format!("{}{key}", t!(tr, "title-join"))).strong());
        let edit = ui
            .add(form::field(
                ui,
                egui::TextEdit::singleline(&mut inputs.join)
                    .hint_text(t!(tr, "title-join-placeholder"))
                    .desired_width(form::field_width(ui, form, 380.0, 0.0)),
            ))
            .labelled_by(caption.id);
        form::mark(ui, "join", edit.rect);
        // J: to the field, to type a team's code.
        if !ui.ctx().egui_wants_keyboard_input() && ui.input(|i| i.key_pressed(Key::J)) {
            edit.request_focus();
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if (form::button(ui, form, false, t!(tr, "title-join-button")).clicked() || enter)
            && !inputs.join.trim().is_empty()
        {
            out.push(Intent::JoinWorkshop(inputs.join.trim().to_owned()));
        }
    });
    ui.label(RichText::new(t!(tr, "title-join-hint")).weak());
}

/// Running a workshop on the server the page came from (`ttx serve`): a scenario and the
/// teams; the page creates it and joins as the facilitator.
fn run_ui(ui: &mut egui::Ui, session: &Session, tr: &Tr, form: Form, inputs: &mut Typing, out: &mut Vec<Intent>) {
    if inputs.run_teams.is_empty() {
        inputs.run_teams = t!(tr, "title-run-default-teams");
    }
    let lang = session.settings().lang.tag();
    let catalog = session.catalog();
    // In the browser, the server the page came from; on the desktop, the one typed here.
    let page = crate::app::web::page_origin().is_some();
    if !page && inputs.run_server.is_empty() {
        inputs.run_server = "127.0.0.1:8080".into();
    }
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
        let teams: Vec<String> =
            inputs.run_teams.split([',', '、']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        let key = keys_free(ui.ctx(), inputs) && ui.input(|i| i.key_pressed(Key::W));
        let create = egui::Button::new(format!("{}  [W]", t!(tr, "title-run-button")));
        if (ui.add_enabled(!teams.is_empty(), create).clicked() || (key && !teams.is_empty()))
            && inputs.run_scenario < catalog.len()
        {
            out.push(Intent::CreateWorkshop {
                scenario: inputs.run_scenario,
                teams,
                synchronized: inputs.run_synchronized,
                seed: inputs.run_seed.unwrap_or(session.seed()),
                server: (!page).then(|| inputs.run_server.trim().to_owned()),
            });
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
        if ui.add_enabled(session.has_autosave(), egui::Button::new(t!(tr, "title-continue"))).clicked() {
            out.push(Intent::Resume);
        }
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
