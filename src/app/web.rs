//! The page side of the browser game: what the page's JavaScript hands to the app (dropped
//! or linked scenario files) and what the app shows the page (its state, for the loading
//! screen and end-to-end tests). On the desktop the inbox simply stays empty.

use std::sync::Mutex;

static INBOX: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
static STATE: Mutex<String> = Mutex::new(String::new());

/// Queues scenario text for the app (the page calls this for drops, `?scenario=` and pastes).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_open_text(name: String, text: String) {
    if let Ok(mut inbox) = INBOX.lock() {
        inbox.push((name, text));
    }
}

/// The app's state as JSON: screen, turn, errors, notice (read by the page and its tests).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_state() -> String {
    STATE.lock().map(|s| s.clone()).unwrap_or_default()
}

/// Plays the shared determinism vectors here; "ok N" or the first mismatch.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_check_vectors() -> String {
    match crate::sim::vectors::check(crate::sim::vectors::BUNDLED) {
        Ok(n) => format!("ok {n}"),
        Err(e) => e,
    }
}

/// Takes what the page has handed over since the last frame.
pub fn drain_inbox() -> Vec<(String, String)> {
    INBOX.lock().map(|mut i| std::mem::take(&mut *i)).unwrap_or_default()
}

/// Publishes the app's state for the page.
pub fn publish(state: String) {
    if let Ok(mut s) = STATE.lock() {
        *s = state;
    }
}

/// Offers `text` as a file download (the browser's "Export save").
#[cfg(target_arch = "wasm32")]
pub fn download(name: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |what: &str| format!("could not export the save ({what})");
    let window = web_sys::window().ok_or_else(|| fail("no window"))?;
    let document = window.document().ok_or_else(|| fail("no document"))?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("url"))?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("link"))?.dyn_into().map_err(|_| fail("link"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
