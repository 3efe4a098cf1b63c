//! The system file dialogs (open a scenario, a save, result files; export the report and
//! the save): off the game loop, a thread on the desktop and a task in the browser.

use std::path::PathBuf;

use bevy::prelude::*;

use super::session::{Dialog, News};
use super::{Session, web};
use crate::t;

/// Opens the dialogs the screens ask for and hands back what they bring.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PickedFile>().add_systems(Update, (open_file_dialog, receive_picked_file));
}

/// What a file dialog brought back, filled by the dialog's thread or task.
#[derive(Debug)]
enum Picked {
    #[cfg_attr(target_arch = "wasm32", expect(dead_code, reason = "the browser's dialog hands over text, not a path"))]
    Scenario(PathBuf),
    #[cfg_attr(not(target_arch = "wasm32"), expect(dead_code, reason = "only the browser's dialog hands over text"))]
    ScenarioText {
        name: String,
        text: String,
    },
    Save {
        name: String,
        text: String,
    },
    Result {
        name: String,
        text: String,
    },
    Notice(String),
}

#[derive(Resource, Default, Clone)]
struct PickedFile(std::sync::Arc<std::sync::Mutex<Vec<Picked>>>);

impl PickedFile {
    fn put(&self, p: Picked) {
        if let Ok(mut v) = self.0.lock() {
            v.push(p);
        }
    }
}

/// Opens the system file dialogs off the game loop (a thread on the desktop, a task in the
/// browser), so the game keeps drawing meanwhile, as the session asks.
fn open_file_dialog(mut dialogs: MessageReader<Dialog>, picked: Res<PickedFile>, session: Res<Session>) {
    let tr = session.tr();
    for dialog in dialogs.read() {
        let slot = picked.clone();
        match dialog {
            Dialog::PickScenario => platform::pick_scenario(slot, tr),
            Dialog::PickSave => platform::pick_save(slot, tr),
            Dialog::PickResults => platform::pick_results(slot, tr),
            Dialog::ExportReport { markdown, html } => {
                platform::export_report(slot, tr, markdown.clone(), html.clone());
            }
            Dialog::ExportSave(text) => platform::export_save(slot, tr, text.clone()),
            // On the page's own server (the desktop's requests go out from `link`).
            Dialog::CreateWorkshop { body, server: None } => {
                let said =
                    if web::create_workshop(body) { t!(tr, "title-run-creating") } else { t!(tr, "title-run-no-page") };
                slot.put(Picked::Notice(said));
            }
            Dialog::CreateWorkshop { server: Some(_), .. } => {}
        }
    }
}

/// What the dialogs brought back, as news for the session.
fn receive_picked_file(picked: Res<PickedFile>, mut news: MessageWriter<News>) {
    let answers = picked.0.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default();
    news.write_batch(answers.into_iter().map(|answer| match answer {
        Picked::Scenario(path) => News::ScenarioFile(path),
        Picked::ScenarioText { name, text } => News::ScenarioText { name, text },
        Picked::Save { name, text } => News::SaveFile { name, text },
        Picked::Result { name, text } => News::ResultFile { name, text },
        Picked::Notice(n) => News::Notice(n),
    }));
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use super::{Picked, PickedFile};
    use crate::i18n::Tr;
    use crate::t;

    pub(super) fn pick_scenario(slot: PickedFile, tr: &'static Tr) {
        std::thread::spawn(move || {
            let file = rfd::FileDialog::new()
                .set_title(t!(tr, "dialog-open-scenario"))
                .add_filter(t!(tr, "dialog-filter-scenario"), &["ron"])
                .pick_file();
            if let Some(path) = file {
                slot.put(Picked::Scenario(path));
            }
        });
    }

    pub(super) fn pick_save(slot: PickedFile, tr: &'static Tr) {
        std::thread::spawn(move || {
            let Some(path) = rfd::FileDialog::new()
                .set_title(t!(tr, "dialog-import-save"))
                .add_filter(t!(tr, "dialog-filter-save"), &["ron"])
                .pick_file()
            else {
                return;
            };
            match crate::sim::author::input::read_text(&path, crate::sim::author::input::MAX_SAVE_BYTES, "save") {
                Ok(text) => slot.put(Picked::Save { name: path.display().to_string(), text }),
                Err(e) => slot.put(Picked::Notice(e.to_string())),
            }
        });
    }

    pub(super) fn pick_results(slot: PickedFile, tr: &'static Tr) {
        std::thread::spawn(move || {
            let files = rfd::FileDialog::new()
                .set_title(t!(tr, "dialog-import-results"))
                .add_filter(t!(tr, "dialog-filter-save"), &["ron"])
                .pick_files()
                .unwrap_or_default();
            for path in files {
                match crate::sim::author::input::read_text(
                    &path,
                    crate::sim::author::input::MAX_SAVE_BYTES,
                    "result file",
                ) {
                    Ok(text) => slot.put(Picked::Result { name: path.display().to_string(), text }),
                    Err(e) => slot.put(Picked::Notice(e.to_string())),
                }
            }
        });
    }

    pub(super) fn export_report(slot: PickedFile, tr: &'static Tr, markdown: String, html: String) {
        std::thread::spawn(move || {
            let Some(path) = rfd::FileDialog::new()
                .set_title(t!(tr, "dialog-save-report"))
                .set_file_name("ttx-report.html")
                .save_file()
            else {
                return;
            };
            let md = path.with_extension("md");
            let n = match crate::files::write_atomic(&path, &html)
                .and_then(|()| crate::files::write_atomic(&md, &markdown))
            {
                Ok(()) => {
                    t!(tr, "dialog-report-written", html = path.display().to_string(), md = md.display().to_string())
                }
                Err(e) => t!(tr, "dialog-report-failed", path = path.display().to_string(), error = e.to_string()),
            };
            slot.put(Picked::Notice(n));
        });
    }

    pub(super) fn export_save(slot: PickedFile, tr: &'static Tr, text: String) {
        std::thread::spawn(move || {
            let Some(path) = rfd::FileDialog::new()
                .set_title(t!(tr, "dialog-export-save"))
                .set_file_name("ttx-save.ron")
                .save_file()
            else {
                return;
            };
            let n = match crate::files::write_atomic(&path, &text) {
                Ok(()) => t!(tr, "dialog-save-exported", path = path.display().to_string()),
                Err(e) => t!(tr, "dialog-save-export-failed", path = path.display().to_string(), error = e.to_string()),
            };
            slot.put(Picked::Notice(n));
        });
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use super::{Picked, PickedFile};
    use crate::i18n::Tr;
    use crate::t;

    async fn pick(title: String) -> Option<(String, String)> {
        let file = rfd::AsyncFileDialog::new().set_title(title).add_filter("ttx", &["ron"]).pick_file().await?;
        let bytes = file.read().await;
        Some((file.file_name(), String::from_utf8_lossy(&bytes).into_owned()))
    }

    pub(super) fn pick_scenario(slot: PickedFile, tr: &'static Tr) {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some((name, text)) = pick(t!(tr, "dialog-open-scenario")).await {
                slot.put(Picked::ScenarioText { name, text });
            }
        });
    }

    pub(super) fn pick_save(slot: PickedFile, tr: &'static Tr) {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some((name, text)) = pick(t!(tr, "dialog-import-save")).await {
                slot.put(Picked::Save { name, text });
            }
        });
    }

    pub(super) fn pick_results(slot: PickedFile, tr: &'static Tr) {
        wasm_bindgen_futures::spawn_local(async move {
            let files = rfd::AsyncFileDialog::new()
                .set_title(t!(tr, "dialog-import-results"))
                .add_filter("ttx", &["ron"])
                .pick_files()
                .await
                .unwrap_or_default();
            for file in files {
                let bytes = file.read().await;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                slot.put(Picked::Result { name: file.file_name(), text });
            }
        });
    }

    pub(super) fn export_report(slot: PickedFile, tr: &'static Tr, markdown: String, html: String) {
        let n = match crate::app::web::download("ttx-report.html", &html)
            .and_then(|()| crate::app::web::download("ttx-report.md", &markdown))
        {
            Ok(()) => t!(tr, "dialog-report-downloaded"),
            Err(step) => t!(tr, "dialog-download-failed", step = step.to_string()),
        };
        slot.put(Picked::Notice(n));
    }

    pub(super) fn export_save(slot: PickedFile, tr: &'static Tr, text: String) {
        let n = match crate::app::web::download("ttx-save.ron", &text) {
            Ok(()) => t!(tr, "dialog-save-downloaded"),
            Err(step) => t!(tr, "dialog-download-failed", step = step.to_string()),
        };
        slot.put(Picked::Notice(n));
    }
}
