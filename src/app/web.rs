//! The page side of the browser game: what the page's JavaScript hands to the app (dropped
//! or linked scenario files, input-method compositions) and what the app shows the page (its
//! state, where a text field's caret is). On the desktop the inboxes simply stay empty.

use std::sync::Mutex;

static INBOX: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
static STATE: Mutex<String> = Mutex::new(String::new());
static JOIN: Mutex<Option<String>> = Mutex::new(None);
static NOTICES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// A message from the page for the player (a workshop that could not be created).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_notice(text: String) {
    if let Ok(mut n) = NOTICES.lock() {
        // Bounded: the last few, each at most 1 KiB.
        if n.len() < 8 {
            n.push(text.chars().take(1024).collect());
        }
    }
}

/// The page's messages since the last frame.
pub fn take_notices() -> Vec<String> {
    NOTICES.lock().map(|mut n| std::mem::take(&mut *n)).unwrap_or_default()
}

/// Asks the page to create a workshop on the server it came from (`body`: the session
/// API's JSON); the page then joins it as the facilitator (`ttx_join`) or says why not
/// (`ttx_notice`). False where there is no page (the desktop: `ttx serve --teams`).
#[cfg(target_arch = "wasm32")]
pub fn create_workshop(body: &str) -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else { return false };
    let Ok(f) = js_sys::Reflect::get(&window, &JsValue::from_str("ttxCreateWorkshop")) else { return false };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else { return false };
    f.call1(&JsValue::NULL, &JsValue::from_str(body)).is_ok()
}

/// Hands the accessible mirror's nodes (JSON, see `mirror`) to the page's
/// `window.ttxMirror`, which keeps its hidden DOM tree in step.
#[cfg(target_arch = "wasm32")]
pub fn send_mirror(json: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else { return };
    let Ok(f) = js_sys::Reflect::get(&window, &JsValue::from_str("ttxMirror")) else { return };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else { return };
    if f.call1(&JsValue::NULL, &JsValue::from_str(json)).is_err() {
        bevy::log::warn!("the page's accessible mirror could not be updated");
    }
}

/// On the desktop Bevy's AccessKit adapter reads egui's tree: there is no page to mirror it.
#[cfg(not(target_arch = "wasm32"))]
pub fn send_mirror(_json: &str) {}

/// Whether the browser reports `prefers-reduced-motion: reduce` (never on the desktop).
#[cfg(target_arch = "wasm32")]
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Whether the browser reports `prefers-reduced-motion: reduce` (never on the desktop).
#[cfg(not(target_arch = "wasm32"))]
pub fn prefers_reduced_motion() -> bool {
    false
}

/// On the desktop there is no page to create a workshop from.
#[cfg(not(target_arch = "wasm32"))]
pub fn create_workshop(_body: &str) -> bool {
    false
}

/// Joins a live workshop (the page calls this when it is opened with `?join=`).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_join(link: String) {
    if let Ok(mut join) = JOIN.lock() {
        // A link is short; anything longer is not one, and is dropped here.
        *join = (link.len() <= 2048).then_some(link);
    }
}

/// The join link the page handed over, once.
pub fn take_join() -> Option<String> {
    JOIN.lock().ok()?.take()
}

/// The page's origin (`http://host:port`): a bare workshop token joins that server.
#[cfg(target_arch = "wasm32")]
pub fn page_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

/// On the desktop there is no page: a workshop is joined by its full link.
#[cfg(not(target_arch = "wasm32"))]
pub fn page_origin() -> Option<String> {
    None
}

/// Queues scenario text for the app (the page calls this for drops, `?scenario=` and pastes).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_open_text(name: String, text: String) {
    if let Ok(mut inbox) = INBOX.lock() {
        inbox.push((name, text));
    }
}

/// The app's state as JSON: screen, turn, errors, notice (read by the page and its tests),
/// and, once a frame is drawn, the screen's size in egui points (`screen_points: [w, h]`)
/// and the device pixels per point (`pixels_per_point`, the text size setting included),
/// and where its main actions are (`targets`: name to `[x, y, width, height]` in points).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_state() -> String {
    let state = STATE.lock().map(|s| s.clone()).unwrap_or_default();
    let Some([w, h, ppp]) = SCREEN.lock().ok().and_then(|s| *s) else { return state };
    match serde_json::from_str::<serde_json::Value>(&state) {
        Ok(serde_json::Value::Object(mut fields)) => {
            fields.insert("screen_points".into(), serde_json::json!([w, h]));
            fields.insert("pixels_per_point".into(), serde_json::json!(ppp));
            let mut targets = serde_json::Map::new();
            for (name, rect) in TARGETS.lock().map(|t| t.clone()).unwrap_or_default() {
                targets.entry(name).or_insert_with(|| serde_json::json!(rect));
            }
            fields.insert("targets".into(), serde_json::Value::Object(targets));
            serde_json::Value::Object(fields).to_string()
        }
        _ => state,
    }
}

static SCREEN: Mutex<Option<[f32; 3]>> = Mutex::new(None);

/// The frame's main actions by name: `[x, y, width, height]` in points (the first of each name).
static TARGETS: Mutex<Vec<(String, [f32; 4])>> = Mutex::new(Vec::new());

/// Records where the frame just drawn put its main actions (see `screens::form::mark`).
pub fn set_targets(targets: Vec<(String, [f32; 4])>) {
    if let Ok(mut t) = TARGETS.lock() {
        *t = targets;
    }
}

/// Records the screen's size in points and the pixels per point of the frame just drawn.
pub fn set_screen(size: [f32; 2], pixels_per_point: f32) {
    if let Ok(mut s) = SCREEN.lock() {
        *s = Some([size[0], size[1], pixels_per_point]);
    }
}

/// Plays the shared determinism vectors here; "ok N" or the first mismatch.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_check_vectors() -> String {
    match crate::sim::vectors::check(crate::sim::vectors::BUNDLED) {
        Ok(n) => format!("ok {n}"),
        Err(e) => e.to_string(),
    }
}

/// What an input method (e.g. Japanese kana-kanji conversion) produced in the page's
/// composition field: text still being composed, or text committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Composition {
    Preedit(String),
    Commit(String),
}

/// Most compositions kept between two frames (a page cannot flood the game).
const MAX_COMPOSITIONS: usize = 256;
/// Longest composition text taken from the page, in bytes.
const MAX_COMPOSITION_BYTES: usize = 4096;

static COMPOSING: Mutex<Vec<Composition>> = Mutex::new(Vec::new());

/// Hands a composition to the game: `committed` text is final, the rest is still being
/// composed (the page calls this from its composition field's events). Text beyond
/// 4 KiB, or past 256 unread compositions, is dropped.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_compose(committed: bool, text: String) {
    if text.len() > MAX_COMPOSITION_BYTES {
        return;
    }
    if let Ok(mut queue) = COMPOSING.lock()
        && queue.len() < MAX_COMPOSITIONS
    {
        queue.push(if committed { Composition::Commit(text) } else { Composition::Preedit(text) });
    }
}

/// Takes the compositions the page has handed over since the last frame.
pub fn drain_compositions() -> Vec<Composition> {
    COMPOSING.lock().map(|mut q| std::mem::take(&mut *q)).unwrap_or_default()
}

/// Tells the page where the focused text field's caret is (`[x, y, width, height]` in CSS
/// pixels of the canvas), or that no text field has focus, so the page moves its
/// composition field there (and the input method's candidate window with it) or hands the
/// keyboard back to the canvas. The page's `window.ttxComposeAt(x, y, w, h)` /
/// `ttxComposeAt(null)` does it.
#[cfg(target_arch = "wasm32")]
pub fn place_composition_field(caret: Option<[f32; 4]>) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else { return };
    let Ok(f) = js_sys::Reflect::get(&window, &JsValue::from_str("ttxComposeAt")) else { return };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else { return };
    let args = match caret {
        Some(c) => js_sys::Array::of4(&c[0].into(), &c[1].into(), &c[2].into(), &c[3].into()),
        None => js_sys::Array::of1(&JsValue::NULL),
    };
    if f.apply(&JsValue::NULL, &args).is_err() {
        bevy::log::warn!("the page's composition field could not be placed");
    }
}

/// On the desktop the window system's input method works directly: nothing to place.
#[cfg(not(target_arch = "wasm32"))]
pub fn place_composition_field(_caret: Option<[f32; 4]>) {}

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

/// The step of the browser's API that failed to offer a download, named in the player's
/// message as the browser's console names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    #[error("no window")]
    NoWindow,
    #[error("no document")]
    NoDocument,
    #[error("blob")]
    Blob,
    #[error("url")]
    Url,
    #[error("link")]
    Link,
}

/// Offers `text` as a file download (the browser's "Export save"); on failure, the step of
/// the browser's API that failed.
#[cfg(target_arch = "wasm32")]
pub fn download(name: &str, text: &str) -> Result<(), DownloadError> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window().ok_or(DownloadError::NoWindow)?;
    let document = window.document().ok_or(DownloadError::NoDocument)?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| DownloadError::Blob)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DownloadError::Url)?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| DownloadError::Link)?.dyn_into().map_err(|_| DownloadError::Link)?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

static FONT: Mutex<Option<Vec<u8>>> = Mutex::new(None);

/// Downloads a font file next to the page in the background; [`take_font`] hands it over.
/// A failed download leaves the text it was for drawn as boxes, and says so in the console.
#[cfg(target_arch = "wasm32")]
pub fn fetch_font(url: &str) {
    use wasm_bindgen::JsCast;
    let url = url.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let fetched = async {
            let window = web_sys::window()?;
            let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&url)).await.ok()?;
            let response: web_sys::Response = response.dyn_into().ok()?;
            if !response.ok() {
                return None;
            }
            let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().ok()?).await.ok()?;
            Some(js_sys::Uint8Array::new(&buffer).to_vec())
        };
        match fetched.await {
            Some(bytes) => {
                if let Ok(mut font) = FONT.lock() {
                    *font = Some(bytes);
                }
            }
            None => bevy::log::warn!("could not download {url}: Japanese text will show as boxes"),
        }
    });
}

/// On the desktop every font is built in: nothing to download.
#[cfg(not(target_arch = "wasm32"))]
pub fn fetch_font(_url: &str) {}

/// A font downloaded by [`fetch_font`], once.
pub fn take_font() -> Option<Vec<u8>> {
    FONT.lock().ok().and_then(|mut f| f.take())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_tells_the_page_the_screens_size_in_points() {
        set_screen([329.75, 671.0], 3.28125);
        set_targets(vec![("play".into(), [10.0, 20.0, 60.0, 40.0]), ("play".into(), [10.0, 90.0, 60.0, 40.0])]);
        publish(r#"{"screen":"Title","turn":null}"#.into());
        let state: serde_json::Value = serde_json::from_str(&ttx_state()).expect("the state is JSON");
        assert_eq!(state["screen"], "Title", "the session's fields are kept");
        assert_eq!(state["screen_points"], serde_json::json!([329.75, 671.0]));
        assert_eq!(state["pixels_per_point"], 3.28125);
        assert_eq!(state["targets"], serde_json::json!({"play": [10.0, 20.0, 60.0, 40.0]}), "the first of a name");
    }

    #[test]
    fn the_page_cannot_flood_the_game_with_compositions() {
        drain_compositions();
        ttx_compose(false, "ふせい".into());
        ttx_compose(true, "不正".into());
        assert_eq!(drain_compositions(), [Composition::Preedit("ふせい".into()), Composition::Commit("不正".into())]);
        ttx_compose(true, "あ".repeat(MAX_COMPOSITION_BYTES));
        for _ in 0..MAX_COMPOSITIONS + 50 {
            ttx_compose(true, "x".into());
        }
        let kept = drain_compositions();
        assert_eq!(kept.len(), MAX_COMPOSITIONS, "at most this many between two frames");
        assert!(kept.iter().all(|c| *c == Composition::Commit("x".into())), "over-long text is dropped");
        assert!(drain_compositions().is_empty());
    }
}
