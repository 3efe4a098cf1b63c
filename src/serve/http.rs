//! The HTTP side: the session API (health, create, delete), the bundled scenarios, error
//! replies, and the router that also serves the WebSocket and the browser game's files.

use std::path::Path;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::error::{NoSuchBundled, error};
use super::registry::Checked;
use super::store::Pace;
use super::workshop::check_team_names;
use super::ws::ws;
use super::{CREATE_BURST, CREATE_PER_SECOND, Shared};
use crate::sim::author::input::MAX_SCENARIO_BYTES;
use crate::sim::bundled::BUNDLED;

/// What the facilitator sends to create a session.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// A bundled scenario's file name (`7pay-launch-week.ron`); or `scenario_text`.
    #[serde(default)]
    pub scenario: Option<String>,
    /// An uploaded scenario's text (validated like any scenario file).
    #[serde(default)]
    pub scenario_text: Option<String>,
    #[serde(default)]
    pub seed: u64,
    pub teams: Vec<String>,
    /// `free` (each team ends its turns; the default) or `synchronized` (the facilitator does).
    #[serde(default)]
    pub pace: Option<String>,
}

/// A bundled scenario by file name (`7pay-launch-week.ron`); the first one for None.
pub fn bundled(wanted: Option<&str>) -> Result<(String, String), NoSuchBundled> {
    let Some(wanted) = wanted else { return Ok((BUNDLED[0].0.to_owned(), BUNDLED[0].1.to_owned())) };
    match BUNDLED.iter().find(|(path, _)| path.rsplit('/').next() == Some(wanted)) {
        Some((path, text)) => Ok(((*path).to_owned(), (*text).to_owned())),
        None => {
            let names: Vec<&str> = BUNDLED.iter().filter_map(|(p, _)| p.rsplit('/').next()).collect();
            Err(NoSuchBundled { wanted: wanted.to_owned(), known: names.join(", ") })
        }
    }
}

/// `GET /api/health`: the server is up; how many sessions it plays and which it set aside
/// (`status` is "degraded" while any is).
pub(super) async fn health(State(shared): State<Shared>) -> Response {
    let server = shared.lock().await;
    let set_aside = server.set_aside();
    Json(serde_json::json!({
        "status": if set_aside.is_empty() { "ok" } else { "degraded" },
        "sessions": server.sessions.len(),
        "connections": server.connections.lock().map_or(0, |c| c.open()),
        "set_aside": set_aside,
    }))
    .into_response()
}

/// `DELETE /api/sessions/{id}` (the operator key): the session and everything stored of it.
async fn delete_session(
    State(shared): State<Shared>,
    headers: axum::http::HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let mut server = shared.lock().await;
    if !server.operator_may(&headers) {
        return error(StatusCode::UNAUTHORIZED, "deleting a workshop needs the operator key");
    }
    match server.delete(&id) {
        Ok(true) => Json(serde_json::json!({ "deleted": id })).into_response(),
        Ok(false) => error(StatusCode::NOT_FOUND, "no such session"),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn create(State(shared): State<Shared>, headers: axum::http::HeaderMap, body: axum::body::Bytes) -> Response {
    {
        let mut server = shared.lock().await;
        if !server.operator_may(&headers) {
            return error(
                StatusCode::UNAUTHORIZED,
                "creating a workshop needs the operator key: open the operator link `ttx serve` printed (or send `Authorization: Bearer KEY`)",
            );
        }
        // Counted before the body is read: a refused or broken request costs a share too.
        if let Err(wait_ms) = server.creations.take(super::now_ms()) {
            let seconds = (wait_ms + 999) / 1000;
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many workshops created just now (at most {CREATE_BURST} at once, then one every {} s): try again in {seconds} s",
                    1.0 / CREATE_PER_SECOND
                ),
            );
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
            return r;
        }
    }
    let req: NewSession = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("not a session request: {e}")),
    };
    let (name, text) = match (req.scenario.as_deref(), req.scenario_text) {
        (_, Some(text)) => ("uploaded.ron".to_owned(), text),
        (wanted, None) => match bundled(wanted) {
            Ok(found) => found,
            Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
        },
    };
    let pace = match req.pace.as_deref().map(Pace::parse) {
        None => Pace::Free,
        Some(Some(p)) => p,
        Some(None) => return error(StatusCode::BAD_REQUEST, "`pace` is `free` or `synchronized`"),
    };
    if let Err(e) = check_team_names(&req.teams) {
        return error(StatusCode::BAD_REQUEST, e.to_string());
    }
    // Validated on a blocking thread, outside the lock: the games play on meanwhile.
    let checked = match tokio::task::spawn_blocking(move || Checked::new(name, text)).await {
        Ok(Ok(c)) => c,
        Ok(Err((status, why))) => return error(status, why),
        Err(e) => {
            eprintln!("ttx serve: validating a scenario failed: {e}");
            return error(StatusCode::INTERNAL_SERVER_ERROR, "the scenario could not be checked");
        }
    };
    let created = shared.lock().await.create_checked(checked, req.seed, &req.teams, pace);
    match created {
        Ok(c) => Json(c.json()).into_response(),
        Err((status, why)) => error(status, why),
    }
}

/// The routes: the session API, the WebSocket, and the browser game's files from `web`.
pub fn router(shared: Shared, web: &Path) -> Router {
    let api = Router::new()
        .route("/api/sessions", post(create))
        .route("/api/health", get(health))
        .route("/api/sessions/{id}", axum::routing::delete(delete_session))
        .route("/api/ws", get(ws))
        .layer(DefaultBodyLimit::max(MAX_SCENARIO_BYTES as usize + 64 * 1024))
        .with_state(shared);
    if web.join("index.html").is_file() {
        // `web/build.sh` writes .br and .gz beside each file: sent as Content-Encoding to a
        // browser that accepts it, the file itself to one that does not.
        api.fallback_service(tower_http::services::ServeDir::new(web).precompressed_br().precompressed_gzip())
    } else {
        let hint = format!(
            "ttx serve: the browser game is not built (no {}). Run `bash web/build.sh`, or pass --web DIR.",
            web.join("index.html").display()
        );
        api.fallback(move || async move { (StatusCode::NOT_FOUND, hint.clone()) })
    }
}
