//! `ttx serve`: a live workshop server. Teams play from their browsers while the server,
//! not the clients, runs every game (the engine, no Bevy). HTTP creates sessions, a
//! WebSocket per client carries requests and announcements, and an embedded SQLite
//! database keeps every accepted step before it is acknowledged, so a restarted server
//! rebuilds each game by replaying them. Loopback only unless told otherwise.

pub mod connections;
pub mod floor;
pub mod guessing;
pub mod store;
pub mod tls;
pub mod workshop;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use thiserror::Error;
use tokio::sync::Mutex;

use self::store::{Pace, Store, StoreError, StoredSession, StoredTeam};
use self::workshop::{Refused, Role, Workshop, check_team_names, display_code};
use crate::protocol::{ClientMsg, Code, Seat, ServerMsg};
use crate::sim::bundled::BUNDLED;
use crate::sim::input::MAX_SCENARIO_BYTES;
use crate::sim::load_str;

/// Largest WebSocket message a client may send.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;
/// A connection's read buffer (messages larger than it are read in several chunks).
const READ_BUFFER_BYTES: usize = 4 * 1024;
/// Most sessions one server keeps.
pub const MAX_SESSIONS: usize = 1_000;

/// A session `ttx serve` creates as it starts (`--teams`).
#[derive(Debug, Clone)]
pub struct StartSession {
    pub name: String,
    pub text: String,
    pub seed: u64,
    pub teams: Vec<String>,
    pub pace: Pace,
}

/// Why the server could not start.
#[derive(Debug, Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("session {id} in the database cannot be rebuilt: {why}")]
    Rebuild { id: String, why: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the session to start with: {0}")]
    Start(String),
    #[error("the operator key: {0}")]
    OperatorKey(String),
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Every session, the token index and the database, behind one lock: a request is checked,
/// written and applied while no other request can interleave.
///
/// Group commit: a step is written inside an open group (one SQLite transaction) and
/// applied at once, so the next request is checked against it; its acknowledgement and
/// announcement wait until the committer (`commit_groups`) commits the group. Every
/// request that arrived meanwhile shares that one write to the disk.
pub struct Server {
    store: Store,
    sessions: BTreeMap<String, Workshop>,
    /// Session ids in the order they were created.
    created: Vec<String>,
    tokens: BTreeMap<String, (String, Role)>,
    /// Teams' short codes (stored form) → session and team.
    codes: BTreeMap<String, (String, Role)>,
    guessing: guessing::Guessing,
    /// Requests whose steps are in the open group: told once it is committed (or not).
    waiting: Vec<tokio::sync::oneshot::Sender<Result<(), String>>>,
    /// Wakes the committer.
    committer: Arc<tokio::sync::Notify>,
    /// Sessions that could not be rebuilt from the database: out of play, their steps left
    /// as stored, reported in the log and on `GET /api/health`.
    set_aside: Vec<SetAside>,
    /// What `POST /api/sessions` must show (`Authorization: Bearer KEY`); None: anyone may
    /// create (a server built in a test without one).
    operator_key: Option<String>,
    /// Open connections per network and in all (capped; kept apart from this lock, so a
    /// connection that goes releases its place without waiting for it).
    connections: Arc<std::sync::Mutex<connections::Connections>>,
    /// Session creations with the operator key: each validates up to 4 MiB of scenario, so
    /// even a key holder (or a script with the key gone astray) is held to a rate.
    creations: guessing::Rate,
    /// Each connection's time limits.
    limits: connections::Limits,
    /// When sessions set aside after a failed write are next tried again.
    retry_at_ms: i64,
}

/// Sessions that may be created at once, and then a second (one every two seconds).
pub const CREATE_BURST: f64 = 30.0;
pub const CREATE_PER_SECOND: f64 = 0.5;

/// A session taken out of play because its stored steps do not replay.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SetAside {
    pub session: String,
    pub why: String,
    /// Set aside after a failed write (the disk may come back): tried again every few
    /// seconds, and back in play once it is read whole. A session that does not replay
    /// at start-up is not retried.
    pub retrying: bool,
}

/// How often sessions set aside after a failed write are tried again.
const RETRY_SET_ASIDE_MS: i64 = 5_000;

pub type Shared = Arc<Mutex<Server>>;

impl Server {
    /// Opens the database and rebuilds every session in it.
    pub fn open(store: Store) -> Result<Self, ServeError> {
        let mut server = Self {
            store,
            sessions: BTreeMap::new(),
            created: Vec::new(),
            tokens: BTreeMap::new(),
            codes: BTreeMap::new(),
            guessing: guessing::Guessing::default(),
            waiting: Vec::new(),
            committer: Arc::new(tokio::sync::Notify::new()),
            set_aside: Vec::new(),
            operator_key: None,
            connections: Arc::default(),
            creations: guessing::Rate::new(CREATE_BURST, CREATE_PER_SECOND),
            limits: connections::Limits::default(),
            retry_at_ms: 0,
        };
        for s in server.store.load()? {
            let id = s.id.clone();
            // One session that does not replay must not keep every other workshop down.
            let mut w = match Workshop::rebuild(s) {
                Ok(w) => w,
                Err(why) => {
                    server.put_aside(id, why, false);
                    continue;
                }
            };
            // Teams stored before short codes existed get theirs now.
            for k in 0..w.teams.len() {
                if w.teams[k].code.is_empty() {
                    let code = server.unused_code().map_err(|why| ServeError::Rebuild { id: id.clone(), why })?;
                    server.store.set_code(&id, k, &code)?;
                    w.teams[k].code = code;
                }
            }
            server.play(w);
        }
        Ok(server)
    }

    /// Puts a workshop into play: its links and codes known, listed in creation order.
    fn play(&mut self, w: Workshop) {
        self.index(&w);
        self.created.push(w.id.clone());
        self.sessions.insert(w.id.clone(), w);
    }

    fn index(&mut self, w: &Workshop) {
        self.tokens.insert(w.facilitator.clone(), (w.id.clone(), Role::Facilitator));
        for (k, t) in w.teams.iter().enumerate() {
            self.tokens.insert(t.token.clone(), (w.id.clone(), Role::Team(k)));
            self.codes.insert(t.code.clone(), (w.id.clone(), Role::Team(k)));
        }
    }

    /// Commits the open group of steps, then announces them and tells the requests that
    /// waited; if the commit fails, the games go back to what is stored and the requests are
    /// told their steps were not saved.
    pub fn settle(&mut self) {
        if !self.store.in_group() && self.waiting.is_empty() {
            return;
        }
        let outcome = self.store.commit_group();
        match &outcome {
            Ok(()) => {
                for w in self.sessions.values_mut().filter(|w| w.holds()) {
                    w.announce_held();
                }
            }
            Err(e) => {
                eprintln!("ttx serve: {e}: the steps of that moment are undone");
                let mut lost = Vec::new();
                for w in self.sessions.values_mut().filter(|w| w.holds()) {
                    let restored = match self.store.load_session(&w.id) {
                        Ok(Some(stored)) => w.restore(stored),
                        Ok(None) => Err("it is no longer in the database".into()),
                        Err(e) => Err(e.to_string()),
                    };
                    if let Err(why) = restored {
                        lost.push((w.id.clone(), format!("it could not be restored after a failed write: {why}")));
                    }
                }
                // A game that no longer matches the database is not played on (until it can
                // be read again: see `retry_set_aside`).
                for (id, why) in lost {
                    self.unplay(&id);
                    self.put_aside(id, why, true);
                }
            }
        }
        let told = outcome.map_err(|e| format!("not saved, so not done: {e}"));
        for waiter in self.waiting.drain(..) {
            let _ = waiter.send(told.clone());
        }
    }

    /// The operator key: `given` (checked), else the one stored, else a new one (stored, so
    /// the operator link stays the same across restarts). From now on creating a session
    /// over HTTP needs it.
    pub fn use_operator_key(&mut self, given: Option<String>) -> Result<String, ServeError> {
        let key = match given {
            Some(k) => {
                let k = k.trim().to_owned();
                if !(16..=128).contains(&k.len())
                    || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
                {
                    return Err(ServeError::OperatorKey(
                        "give 16 to 128 letters, digits or - _ . ~ (or leave it out: the server makes one)".into(),
                    ));
                }
                k
            }
            None => match self.store.setting("operator_key")? {
                Some(k) => k,
                None => {
                    let k = token().map_err(ServeError::OperatorKey)?;
                    self.store.set_setting("operator_key", &k)?;
                    k
                }
            },
        };
        self.operator_key = Some(key.clone());
        Ok(key)
    }

    /// Whether a request's headers carry the operator key (`Authorization: Bearer KEY`).
    fn operator_may(&self, headers: &axum::http::HeaderMap) -> bool {
        let Some(key) = &self.operator_key else { return true };
        let shown = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map_or("", str::trim);
        // The same time whatever the first wrong byte.
        shown.len() == key.len() && shown.bytes().zip(key.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// Deletes a session (database and play): its clients' connections end. False if there
    /// was none of that id.
    pub fn delete(&mut self, id: &str) -> Result<bool, StoreError> {
        self.settle();
        let stored = self.store.delete_session(id)?;
        let live = self.unplay(id);
        self.set_aside.retain(|a| a.session != id);
        Ok(stored || live)
    }

    /// Takes a session out of play: its game, its tokens and codes (its clients'
    /// connections end as its channels close). False if it was not being played.
    fn unplay(&mut self, id: &str) -> bool {
        if self.sessions.remove(id).is_none() {
            return false;
        }
        self.tokens.retain(|_, (s, _)| s != id);
        self.codes.retain(|_, (s, _)| s != id);
        self.created.retain(|s| s != id);
        true
    }

    /// Deletes every session neither created nor played in the `keep_days` days before
    /// `now_ms` (0: keep them all); returns how many went.
    pub fn expire(&mut self, keep_days: u32, now_ms: i64) -> Result<usize, StoreError> {
        if keep_days == 0 {
            return Ok(0);
        }
        let before = now_ms.saturating_sub(i64::from(keep_days) * 86_400_000);
        let old = self.store.idle_since(before)?;
        for id in &old {
            self.delete(id)?;
            eprintln!("ttx serve: session {id} was not played for {keep_days} days: deleted (--keep-days)");
        }
        Ok(old.len())
    }

    /// Takes a session out of play (it stays in the database as it is) and says so.
    fn put_aside(&mut self, session: String, why: String, retrying: bool) {
        let then = if retrying { "; it is tried again every few seconds" } else { "" };
        eprintln!(
            "ttx serve: session {session} is set aside, out of play (its steps stay in the database as they are): {why}{then}"
        );
        self.set_aside.retain(|a| a.session != session);
        self.set_aside.push(SetAside { session, why, retrying });
    }

    /// Tries again to read the sessions set aside after a failed write, at most every
    /// `RETRY_SET_ASIDE_MS`: each one read and replayed whole is back in play (its links
    /// work again; its players' pages reconnect by themselves). Returns how many came back.
    pub fn retry_set_aside(&mut self, now_ms: i64) -> usize {
        if now_ms < self.retry_at_ms || self.store.in_group() || !self.set_aside.iter().any(|a| a.retrying) {
            return 0;
        }
        self.retry_at_ms = now_ms + RETRY_SET_ASIDE_MS;
        let mut back = 0;
        for id in self.set_aside.iter().filter(|a| a.retrying).map(|a| a.session.clone()).collect::<Vec<_>>() {
            let rebuilt = match self.store.load_session(&id) {
                Ok(Some(stored)) => Workshop::rebuild(stored),
                Ok(None) => Err("it is no longer in the database".into()),
                Err(e) => Err(e.to_string()),
            };
            match rebuilt {
                Ok(w) => {
                    eprintln!("ttx serve: session {id} is read whole again: back in play");
                    self.set_aside.retain(|a| a.session != id);
                    self.play(w);
                    back += 1;
                }
                Err(why) => {
                    if let Some(a) = self.set_aside.iter_mut().find(|a| a.session == id) {
                        a.why = format!("it could not be restored after a failed write: {why}");
                    }
                }
            }
        }
        back
    }

    /// Sessions taken out of play because they do not replay.
    pub fn set_aside(&self) -> &[SetAside] {
        &self.set_aside
    }

    /// A new short code no team has.
    fn unused_code(&self) -> Result<String, String> {
        // 2^40 codes: a clash is rare, and ten in a row would mean a broken random source.
        for _ in 0..10 {
            let code = workshop::new_code()?;
            if !self.codes.contains_key(&code) {
                return Ok(code);
            }
        }
        Err("no unused team code could be drawn".into())
    }

    /// When an attempt to join with `token_or_code` from `ip` may be looked up (guessing
    /// codes is slowed per network, see `guessing`); reserves its place in the queue.
    pub fn admit(&mut self, token_or_code: &str, ip: std::net::IpAddr, now_ms: i64) -> guessing::Admission {
        self.guessing.admit(token_or_code, ip, now_ms)
    }

    /// Who a token or a team's code speaks for, asked from `ip`: `Unknown` when it is
    /// nobody's (counted against the network's guesses). A right one is never refused here;
    /// `admit` has already made a guesser wait.
    pub fn who(&mut self, token_or_code: &str, ip: std::net::IpAddr, now_ms: i64) -> Result<(String, Role), Refusal> {
        let found = self
            .tokens
            .get(token_or_code)
            .or_else(|| workshop::normalize_code(token_or_code).and_then(|c| self.codes.get(&c)));
        match found {
            Some(who) => Ok(who.clone()),
            None => {
                if self.guessing.missed(token_or_code, ip, now_ms) {
                    log_line(
                        &format!(
                            "ttx serve: {} sent {} wrong links or codes: its attempts are now answered {} a second",
                            guessing::network(ip),
                            guessing::ADDRESS_BURST,
                            guessing::ADDRESS_PER_SECOND
                        ),
                        now_ms,
                    );
                }
                Err(Refusal::Unknown)
            }
        }
    }

    /// The sessions some team is still playing, the newest first: their links, as at creation.
    pub fn unfinished(&self) -> Vec<Created> {
        self.created
            .iter()
            .rev()
            .filter_map(|id| self.sessions.get(id))
            .filter(|w| w.teams.iter().any(|t| !t.game.is_finished()))
            .map(|w| Created {
                session: w.id.clone(),
                facilitator: w.facilitator.clone(),
                teams: w
                    .teams
                    .iter()
                    .map(|t| StoredTeam { name: t.name.clone(), token: t.token.clone(), code: t.code.clone() })
                    .collect(),
            })
            .collect()
    }

    /// The sessions (id → team count), for tests and the log.
    pub fn sessions(&self) -> Vec<(String, usize)> {
        self.sessions.values().map(|w| (w.id.clone(), w.teams.len())).collect()
    }
}

/// Why a token or code was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
}

/// An unguessable token: 128 bits from the operating system's random source, in hex.
fn token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers from the system: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

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

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// A scenario's text that validated, with the scenario it makes.
#[derive(Debug)]
pub struct Checked {
    name: String,
    text: String,
    scenario: Arc<crate::sim::Scenario>,
}

impl Checked {
    /// Validates `text` (named `name` in messages) as a scenario.
    pub fn new(name: String, text: String) -> Result<Self, (StatusCode, String)> {
        match load_str(&text, &name) {
            Ok(loaded) => Ok(Self { name, text, scenario: Arc::new(loaded.scenario) }),
            Err(d) => Err((StatusCode::UNPROCESSABLE_ENTITY, d.to_string())),
        }
    }
}

/// A session just created: its id, the facilitator's token and each team's (name, token).
#[derive(Debug, Clone)]
pub struct Created {
    pub session: String,
    pub facilitator: String,
    pub teams: Vec<StoredTeam>,
}

impl Created {
    /// As the API answers it: each team with its join link (relative to the server) and code.
    fn json(&self) -> serde_json::Value {
        let teams: Vec<serde_json::Value> = self
            .teams
            .iter()
            .map(|t| {
                serde_json::json!({
                    "name": t.name, "token": t.token, "join": format!("/?join={}", t.token), "code": display_code(&t.code),
                })
            })
            .collect();
        serde_json::json!({ "session": self.session, "facilitator": self.facilitator, "teams": teams })
    }
}

impl Server {
    /// Creates a session on a scenario (`name`, `text`, validated here) with `teams`: stored
    /// first, then played. An error carries the HTTP status it answers with.
    pub fn create(
        &mut self,
        name: String,
        text: String,
        seed: u64,
        teams: &[String],
        pace: Pace,
    ) -> Result<Created, (StatusCode, String)> {
        let checked = Checked::new(name, text)?;
        self.create_checked(checked, seed, teams, pace)
    }

    /// [`Server::create`] with the scenario already validated (outside the server's lock:
    /// a 4 MiB scenario takes a while, and every game would wait).
    pub fn create_checked(
        &mut self,
        checked: Checked,
        seed: u64,
        teams: &[String],
        pace: Pace,
    ) -> Result<Created, (StatusCode, String)> {
        let Checked { name, text, scenario } = checked;
        self.settle();
        let teams = check_team_names(teams).map_err(|e| (StatusCode::BAD_REQUEST, e))?;
        if self.sessions.len() >= MAX_SESSIONS {
            return Err((
                StatusCode::SERVICE_UNAVAILABLE,
                format!("this server keeps at most {MAX_SESSIONS} sessions"),
            ));
        }
        let internal = |e: String| (StatusCode::INTERNAL_SERVER_ERROR, e);
        let mut tokens =
            (0..teams.len() + 2).map(|_| token()).collect::<Result<Vec<String>, String>>().map_err(internal)?;
        let (id, facilitator) = (tokens.remove(0)[..12].to_owned(), tokens.remove(0));
        let mut stored_teams: Vec<StoredTeam> = Vec::new();
        for (name, token) in teams.iter().zip(tokens) {
            let mut code = self.unused_code().map_err(internal)?;
            while stored_teams.iter().any(|t| t.code == code) {
                code = self.unused_code().map_err(internal)?;
            }
            stored_teams.push(StoredTeam { name: name.clone(), token, code });
        }
        let stored = StoredSession {
            id: id.clone(),
            scenario_name: name,
            scenario_text: text,
            seed,
            facilitator: facilitator.clone(),
            teams: stored_teams,
            steps: Vec::new(),
            unreadable: None,
            timer: None,
            pace,
            floor: Vec::new(),
        };
        self.store.create(&stored).map_err(|e| internal(e.to_string()))?;
        let teams = stored.teams.clone();
        let w = Workshop::rebuild_on(stored, scenario).map_err(internal)?;
        self.play(w);
        Ok(Created { session: id, facilitator, teams })
    }
}

/// A bundled scenario by file name (`7pay-launch-week.ron`); the first one for None.
pub fn bundled(wanted: Option<&str>) -> Result<(String, String), String> {
    let Some(wanted) = wanted else { return Ok((BUNDLED[0].0.to_owned(), BUNDLED[0].1.to_owned())) };
    match BUNDLED.iter().find(|(path, _)| path.rsplit('/').next() == Some(wanted)) {
        Some((path, text)) => Ok(((*path).to_owned(), (*text).to_owned())),
        None => {
            let names: Vec<&str> = BUNDLED.iter().filter_map(|(p, _)| p.rsplit('/').next()).collect();
            Err(format!("no bundled scenario `{wanted}`: one of {}", names.join(", ")))
        }
    }
}

/// `GET /api/health`: the server is up; how many sessions it plays and which it set aside
/// (`status` is "degraded" while any is).
async fn health(State(shared): State<Shared>) -> Response {
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
        if let Err(wait_ms) = server.creations.take(workshop::now_ms()) {
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
            Err(e) => return error(StatusCode::BAD_REQUEST, e),
        },
    };
    let pace = match req.pace.as_deref().map(Pace::parse) {
        None => Pace::Free,
        Some(Some(p)) => p,
        Some(None) => return error(StatusCode::BAD_REQUEST, "`pace` is `free` or `synchronized`"),
    };
    if let Err(e) = check_team_names(&req.teams) {
        return error(StatusCode::BAD_REQUEST, e);
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

#[derive(Debug, Deserialize)]
struct Join {
    token: String,
    /// The language the player reads (`en`, `ja`; English for anything else).
    #[serde(default)]
    lang: Option<String>,
}

async fn ws(
    State(shared): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(join): Query<Join>,
    upgrade: WebSocketUpgrade,
) -> Response {
    // A guesser's attempts wait their turn, outside the lock; a right code always gets in
    // when its turn comes.
    let admitted = shared.lock().await.admit(&join.token, peer.ip(), workshop::now_ms());
    match admitted {
        guessing::Admission::After(0) => {}
        guessing::Admission::After(ms) => tokio::time::sleep(std::time::Duration::from_millis(ms as u64)).await,
        guessing::Admission::Refused => {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "too many wrong links or codes from your network just now: try again in a minute",
            );
        }
    }
    let (who, counts) = {
        let mut server = shared.lock().await;
        (server.who(&join.token, peer.ip(), workshop::now_ms()), Arc::clone(&server.connections))
    };
    let (session, role) = match who {
        Ok(who) => who,
        Err(Refusal::Unknown) => return error(StatusCode::FORBIDDEN, "unknown link or code"),
    };
    // The connection's place: given back when the connection ends, or here if the upgrade
    // never happens.
    let place = match connections::Connections::take(&counts, peer.ip()) {
        Ok(place) => place,
        Err(why) => return error(StatusCode::SERVICE_UNAVAILABLE, why),
    };
    let lang = join
        .lang
        .as_deref()
        .and_then(crate::i18n::Lang::from_tag)
        .and_then(|l| crate::i18n::Lang::ALL.iter().position(|x| *x == l))
        .unwrap_or(0);
    // Small buffers: a client's messages are at most 16 KiB, and every frame is flushed as
    // it is sent (the defaults, 128 KiB each, would cost a room of 2,500 some 600 MiB).
    let upgrade = upgrade.read_buffer_size(READ_BUFFER_BYTES).write_buffer_size(0);
    upgrade.max_message_size(MAX_MESSAGE_BYTES).max_frame_size(MAX_MESSAGE_BYTES).on_upgrade(move |socket| async move {
        client(socket, shared, session, role, lang).await;
        drop(place);
    })
}

/// How many of one connection's malformed or hostile messages are logged; past that, one
/// line says the rest are not (a flood cannot fill the log).
const LOGGED_PER_CONNECTION: u32 = 5;
/// How many misuse lines the whole server logs in a minute (reconnecting does not reset it).
const LOGGED_PER_MINUTE: u32 = 60;
/// How much of a client's text a log line quotes, in characters.
const LOGGED_CHARS: usize = 200;

/// The server-wide budget of misuse lines: `LOGGED_PER_MINUTE` a minute, then one line
/// saying the rest of that minute's are not logged.
#[derive(Debug, Default)]
pub struct LogBudget {
    /// The minute's start (ms) and the lines asked for within it.
    window: (i64, u32),
}

/// What the budget allows for one more line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    Line,
    /// The budget is spent: this line says so.
    LastWord,
    Nothing,
}

impl LogBudget {
    pub fn allow(&mut self, now_ms: i64) -> Allowed {
        if now_ms.saturating_sub(self.window.0) >= 60_000 {
            self.window = (now_ms, 0);
        }
        self.window.1 = self.window.1.saturating_add(1);
        match self.window.1.cmp(&(LOGGED_PER_MINUTE + 1)) {
            std::cmp::Ordering::Less => Allowed::Line,
            std::cmp::Ordering::Equal => Allowed::LastWord,
            std::cmp::Ordering::Greater => Allowed::Nothing,
        }
    }
}

static LOG_BUDGET: std::sync::Mutex<LogBudget> = std::sync::Mutex::new(LogBudget { window: (0, 0) });

/// Logs a server line within the server-wide budget of misuse lines.
fn log_line(line: &str, now_ms: i64) {
    match LOG_BUDGET.lock().map_or(Allowed::Nothing, |mut b| b.allow(now_ms)) {
        Allowed::Line => eprintln!("{line}"),
        Allowed::LastWord => eprintln!("ttx serve: more refused messages this minute, not logged"),
        Allowed::Nothing => {}
    }
}

/// A client's text as a log line may quote it: control characters (newlines, terminal
/// escapes) escaped, at most `LOGGED_CHARS` characters, so a client cannot forge lines.
fn quoted(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(LOGGED_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if text.chars().nth(LOGGED_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// A connection's malformed or hostile messages, logged (to stderr) within a budget.
pub struct Misuse<'a> {
    session: &'a str,
    role: Role,
    logged: u32,
}

impl<'a> Misuse<'a> {
    pub fn new(session: &'a str, role: Role) -> Self {
        Self { session, role, logged: 0 }
    }

    /// Logs one misuse and returns the line written, if the budgets allowed one.
    fn log(&mut self, what: &str) -> Option<String> {
        let who = match self.role {
            Role::Facilitator => "the facilitator".to_owned(),
            Role::Team(k) => format!("team {}", k + 1),
        };
        let here = self.logged;
        self.logged = self.logged.saturating_add(1);
        if here > LOGGED_PER_CONNECTION {
            return None;
        }
        let everywhere = LOG_BUDGET.lock().map_or(Allowed::Nothing, |mut b| b.allow(workshop::now_ms()));
        let line = match (everywhere, here < LOGGED_PER_CONNECTION) {
            (Allowed::Nothing, _) => return None,
            (Allowed::LastWord, _) => "ttx serve: more refused messages this minute, not logged".to_owned(),
            (Allowed::Line, true) => format!("ttx serve: session {}, {who}: refused: {}", self.session, quoted(what)),
            (Allowed::Line, false) => {
                format!("ttx serve: session {}, {who}: more refused messages, not logged", self.session)
            }
        };
        eprintln!("{line}");
        Some(line)
    }

    /// A refusal worth logging: a message no honest client sends (a game's own refusals,
    /// like a turn another player already ended, are not).
    fn refused(&mut self, why: &Refused) -> Option<String> {
        if matches!(
            why.code,
            Code::TooLong | Code::NotARequest | Code::OwnTeam | Code::FacilitatorOnly | Code::NoTeam | Code::WhichTeam
        ) {
            self.log(&why.message)
        } else {
            None
        }
    }
}

/// One client's connection: a welcome and the game(s) so far, then its requests and the
/// announcements of its team (every team, for the facilitator) until it goes.
async fn client(socket: WebSocket, shared: Shared, session: String, role: Role, lang: usize) {
    // A team's player is seated at its table; the facilitator is player 0.
    let player = match role {
        Role::Team(k) => shared.lock().await.sessions.get_mut(&session).map_or(0, |w| w.arrive(k)),
        Role::Facilitator => 0,
    };
    converse(socket, &shared, &session, (role, lang, player)).await;
    if let Role::Team(k) = role
        && let Some(w) = shared.lock().await.sessions.get_mut(&session)
    {
        w.leave(k, player);
    }
}

/// After a player's roles may have changed (their own request or the facilitator's): when
/// they did, the player's view channel is the one for the new roles, and the player is
/// sent that view and their briefing again.
async fn reseat(
    shared: &Shared,
    session: &str,
    (role, lang, player): (Role, usize, u64),
    mask: &mut u16,
    views: &mut Option<tokio::sync::broadcast::Receiver<Arc<str>>>,
) -> Vec<String> {
    let Role::Team(k) = role else { return Vec::new() };
    let mut server = shared.lock().await;
    let Some(w) = server.sessions.get_mut(session) else { return Vec::new() };
    let now = w.mask_of(k, player);
    if now == *mask {
        return Vec::new();
    }
    *mask = now;
    *views = Some(w.subscribe_view(k, lang, now));
    let briefing = ServerMsg::Briefing { briefing: Box::new(w.briefing(k, lang, now)) }.to_json();
    vec![w.view_json(k, lang, now), briefing]
}

/// The conversation with one client until it goes (or the session does).
async fn converse(mut socket: WebSocket, shared: &Shared, session: &str, (role, lang, player): (Role, usize, u64)) {
    let limits = shared.lock().await.limits;
    // Under the lock only what must be read at one instant; the welcome (with the scenario's
    // text, for the facilitator) is written after it, so a room joining does not hold up the
    // teams playing.
    let (mut events, mut views, welcome, snapshots, view, timer) = {
        let mut server = shared.lock().await;
        // The game as committed: steps of an open group are announced after it.
        server.settle();
        let Some(w) = server.sessions.get_mut(session) else { return };
        let (events, views, teams) = match role {
            Role::Facilitator => (w.events.subscribe(), None, (0..w.teams.len()).collect::<Vec<_>>()),
            Role::Team(k) => (w.teams[k].events.subscribe(), Some(w.subscribe_view(k, lang, 0)), Vec::new()),
        };
        // A team's player is sent its team's view; the facilitator every team's game.
        let view = match role {
            Role::Team(k) => Some(w.view_json(k, lang, 0)),
            Role::Facilitator => None,
        };
        let facilitator = role == Role::Facilitator;
        let welcome = crate::protocol::Welcome {
            session: w.id.clone(),
            seat: if facilitator { Seat::Facilitator } else { Seat::Team },
            team: match role {
                Role::Team(k) => Some(w.teams[k].name.clone()),
                Role::Facilitator => None,
            },
            teams: w.team_names(),
            scenario: w.scenario.meta.id.clone(),
            scenario_name: w.scenario_name.clone(),
            scenario_text: facilitator.then(|| w.scenario_text.to_string()),
            briefing: match role {
                Role::Team(k) => Some(Box::new(w.briefing(k, lang, 0))),
                Role::Facilitator => None,
            },
            online: w.teams.iter().map(|t| t.online).collect(),
            // The facilitator hands out the teams' links and codes (and may show them to the room).
            tokens: if facilitator { w.teams.iter().map(|t| t.token.clone()).collect() } else { Vec::new() },
            codes: if facilitator { w.teams.iter().map(|t| display_code(&t.code)).collect() } else { Vec::new() },
            seed: w.seed,
            pace: w.pace,
            player: (!facilitator).then_some(player),
        };
        // Every table, to the facilitator; the team's, to its player.
        let floors: Vec<String> = match role {
            Role::Team(k) => vec![w.floor_json(k, false)],
            Role::Facilitator => (0..w.teams.len()).map(|k| w.floor_json(k, true)).collect(),
        };
        let snapshots: Vec<_> = teams.into_iter().map(|k| w.snapshot(k)).collect();
        (events, views, welcome, snapshots, (view, floors), w.timer_msg(workshop::now_ms()).to_json())
    };
    let (view, floors) = view;
    let mut mask = 0u16;
    let mut hello = vec![ServerMsg::Welcome(welcome).to_json()];
    hello.extend(snapshots.into_iter().map(workshop::Snapshot::json));
    hello.extend(view);
    hello.extend(floors);
    hello.push(timer);
    for text in hello {
        if !put(&mut socket, Message::Text(text.into()), limits.send).await {
            return;
        }
    }
    let mut misuse = Misuse::new(session, role);
    // A ping every third of the idle limit; a client heard from in none of it is gone
    // (browsers and tungstenite answer pings by themselves).
    let mut ping = tokio::time::interval(limits.ping_every());
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = ping.tick() => {
                if heard.elapsed() > limits.idle {
                    let _ = put(&mut socket, Message::Close(None), limits.send).await;
                    return;
                }
                if !put(&mut socket, Message::Ping(axum::body::Bytes::new()), limits.send).await { return; }
            }
            incoming = socket.recv() => {
                heard = tokio::time::Instant::now();
                let text = match incoming {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Binary(_))) => {
                        misuse.log("a binary message");
                        let reply = Refused::new(Code::SendJson, "send JSON text").to_json();
                        if !put(&mut socket, Message::Text(reply.into()), limits.send).await { return; }
                        continue;
                    }
                    Some(Ok(_)) => continue,
                    // An oversized message ends the connection here (the socket refuses it):
                    // logged; a connection merely dropped (a closed tab, a lost network) is not.
                    Some(Err(e)) => {
                        let e = e.to_string();
                        if e.contains("Space limit exceeded") {
                            misuse.log(&format!("too long: {e}"));
                        }
                        return;
                    }
                    None => return,
                };
                let replies = answer(shared, session, (role, lang, player), text.as_str(), &mut misuse).await;
                for reply in replies {
                    if !put(&mut socket, Message::Text(reply.into()), limits.send).await { return; }
                }
            }
            event = next_view(&mut views) => {
                let Some(text) = relayed(event) else { return };
                if !put(&mut socket, Message::Text(text.into()), limits.send).await { return; }
            }
            event = events.recv() => {
                let Some(text) = relayed(event) else { return };
                // A seat changed (the player's own request or the facilitator's): this
                // player's roles may have.
                let floor = text.starts_with(r#"{"type":"floor""#);
                if !put(&mut socket, Message::Text(text.into()), limits.send).await { return; }
                if floor {
                    for text in reseat(shared, session, (role, lang, player), &mut mask, &mut views).await {
                        if !put(&mut socket, Message::Text(text.into()), limits.send).await { return; }
                    }
                }
            }
        }
    }
}

/// What a client is sent of an announcement: the announcement, or, when it fell behind, a
/// word to resync rather than miss steps silently; None when the session is gone.
fn relayed(event: Result<Arc<str>, tokio::sync::broadcast::error::RecvError>) -> Option<String> {
    match event {
        Ok(t) => Some(t.to_string()),
        Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => Some(ServerMsg::Lagged { missed: n }.to_json()),
        Err(tokio::sync::broadcast::error::RecvError::Closed) => None,
    }
}

/// The next view on a player's channel; never, for the facilitator (who has none).
async fn next_view(
    views: &mut Option<tokio::sync::broadcast::Receiver<Arc<str>>>,
) -> Result<Arc<str>, tokio::sync::broadcast::error::RecvError> {
    match views {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// Sends one message; false when the client is gone or has not taken it within
/// `limit` (a reader that stopped reading is cut off rather than held for ever).
async fn put(socket: &mut WebSocket, message: Message, limit: std::time::Duration) -> bool {
    matches!(tokio::time::timeout(limit, socket.send(message)).await, Ok(Ok(())))
}

/// The replies to one request: `ok` (after the step is on disk) or `error`, and for `sync`
/// the game(s) so far.
async fn answer(
    shared: &Shared,
    session: &str,
    (role, lang, player): (Role, usize, u64),
    text: &str,
    misuse: &mut Misuse<'_>,
) -> Vec<String> {
    let msg: ClientMsg = match serde_json::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            let why = Refused::new(Code::NotARequest, format!("not a request: {e}"));
            misuse.log(&why.message);
            return vec![why.to_json()];
        }
    };
    let error = |why: Refused| why.to_json();
    let not_saved = |why: String| Refused::new(Code::NotSaved, why.clone()).arg("why", why);
    let mut server = shared.lock().await;
    // Steps and table events are written in the open group and answered once it is on disk.
    let step = matches!(
        msg,
        ClientMsg::Step { .. } | ClientMsg::Decide { .. } | ClientMsg::CallVote { .. } | ClientMsg::Ballot { .. }
    );
    if step {
        if let Err(e) = server.store.begin_group() {
            return vec![error(not_saved(format!("not saved, so not done: {e}")))];
        }
    } else {
        // The timer writes at once, and a sync shows only what is committed.
        server.settle();
    }
    let Server { store, sessions, waiting, committer, .. } = &mut *server;
    let Some(w) = sessions.get_mut(session) else {
        return vec![error(Refused::new(Code::SessionGone, "the session is gone"))];
    };
    let reply = w.handle_as(store, role, player, &msg);
    if step {
        committer.notify_one();
    }
    match reply {
        Ok(reply) if let (ClientMsg::Sync { .. }, Role::Team(k)) = (&msg, role) => {
            // A player is sent the team's view again, in the language it joined with.
            let mask = w.mask_of(k, player);
            vec![reply.to_json(), w.view_json(k, lang, mask), w.floor_json(k, false)]
        }
        Ok(reply) if let ClientMsg::Sync { team } = &msg => {
            // `handle` has checked the targets; the games are written out after the lock.
            let snapshots: Vec<_> =
                w.targets(role, team.as_deref()).unwrap_or_default().into_iter().map(|k| w.snapshot(k)).collect();
            drop(server);
            std::iter::once(reply.to_json()).chain(snapshots.into_iter().map(workshop::Snapshot::json)).collect()
        }
        Ok(reply) if w.holds() => {
            // Acknowledged once its group is on disk.
            let (tx, rx) = tokio::sync::oneshot::channel();
            waiting.push(tx);
            drop(server);
            match rx.await {
                Ok(Ok(())) => vec![reply.to_json()],
                Ok(Err(why)) => vec![error(not_saved(why))],
                Err(_) => vec![error(not_saved("the server stopped before saving it".into()))],
            }
        }
        Ok(reply) => vec![reply.to_json()],
        Err(why) => {
            misuse.refused(&why);
            vec![error(why)]
        }
    }
}

/// Commits the open group of steps whenever a request has added to it. Requests that queue
/// for the lock meanwhile go first, so they join the group this commit writes.
async fn commit_groups(shared: Shared, wake: Arc<tokio::sync::Notify>) {
    loop {
        wake.notified().await;
        shared.lock().await.settle();
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

/// Ends the turns whose timer ran out, every quarter second. A failure is logged and the
/// timer tried again: a turn never ends without its steps on disk.
async fn keep_time(shared: Shared) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
    loop {
        tick.tick().await;
        let mut server = shared.lock().await;
        // The timer's steps are written on their own, after whatever is in the open group.
        server.settle();
        let now = workshop::now_ms();
        server.retry_set_aside(now);
        let Server { store, sessions, .. } = &mut *server;
        for w in sessions.values_mut() {
            if let Err(e) = w.expire(store, now) {
                eprintln!("ttx serve: session {}: the turn timer could not end the turn: {e}", w.id);
            }
        }
        // Votes whose time is up end in one group, answered like any step.
        if sessions.values().any(|w| w.teams.iter().any(|t| t.table.open_votes().next().is_some())) {
            if let Err(e) = store.begin_group() {
                eprintln!("ttx serve: the votes could not be ended: {e}");
                continue;
            }
            for w in sessions.values_mut() {
                if let Err(e) = w.close_votes(store, now) {
                    eprintln!("ttx serve: session {}: a vote could not end: {e}", w.id);
                }
            }
            server.settle();
        }
    }
}

/// Deletes sessions past `--keep-days` once an hour.
async fn expire_hourly(shared: Shared, keep_days: u32) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3_600));
    loop {
        tick.tick().await;
        if let Err(e) = shared.lock().await.expire(keep_days, workshop::now_ms()) {
            eprintln!("ttx serve: old sessions could not be deleted: {e}");
        }
    }
}

/// How many resumed sessions (the newest) a restarted server prints the links of.
const RESUMED_SHOWN: usize = 5;

/// A session's links and codes, as printed when it is created or resumed.
fn links(origin: &str, c: &Created) -> String {
    let mut out = format!(
        "session {}: each team opens its link, or types its code on the game's page (anyone with either plays for that team)\n",
        c.session
    );
    for t in &c.teams {
        let code = if t.code.is_empty() { String::new() } else { format!("code {}, ", display_code(&t.code)) };
        out.push_str(&format!("  {}: {code}link {origin}/?join={}\n", t.name, t.token));
    }
    out.push_str(&format!(
        "facilitator (every team's game; keep this link to yourself): {origin}/?join={}\n",
        c.facilitator
    ));
    out
}

/// Where `ttx serve` keeps its database by default: `workshops.sqlite3` in the data folder.
pub fn default_db() -> PathBuf {
    crate::files::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("workshops.sqlite3")
}

/// How `ttx serve` listens: the address, and TLS (HTTPS and WSS) when a certificate is given.
pub struct Listen {
    pub addr: SocketAddr,
    pub tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
}

impl From<SocketAddr> for Listen {
    fn from(addr: SocketAddr) -> Self {
        Self { addr, tls: None }
    }
}

/// How `ttx serve` runs beyond where it listens.
#[derive(Debug, Clone)]
pub struct Options {
    /// The key creating sessions needs (None: the one the database keeps, made once).
    pub operator_key: Option<String>,
    /// Sessions idle this many days are deleted (0: never).
    pub keep_days: u32,
    /// Each connection's time limits.
    pub limits: connections::Limits,
}

impl Options {
    pub fn new(operator_key: Option<String>, keep_days: u32) -> Self {
        Self { operator_key, keep_days, limits: connections::Limits::default() }
    }
}

/// Serves on `listen` until the process is stopped; `ready` receives the bound address.
pub async fn serve(
    listen: impl Into<Listen>,
    db: &Path,
    web: &Path,
    start: Option<StartSession>,
    options: Options,
    ready: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
) -> Result<(), ServeError> {
    let Listen { addr, tls } = listen.into();
    let Options { operator_key, keep_days, limits } = options;
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut server = Server::open(Store::open(db)?)?;
    let operator_key = server.use_operator_key(operator_key)?;
    server.limits = limits;
    server.expire(keep_days, workshop::now_ms())?;
    let sessions = server.sessions().len();
    let resumed = server.unfinished();
    let set_aside = server.set_aside().len();
    // Listening first: a server that cannot listen creates no session.
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
    let created = match start {
        Some(s) => {
            Some(server.create(s.name, s.text, s.seed, &s.teams, s.pace).map_err(|(_, why)| ServeError::Start(why))?)
        }
        None => None,
    };
    let wake = Arc::clone(&server.committer);
    let shared = Arc::new(Mutex::new(server));
    let bound = listener.local_addr()?;
    let origin = format!("{}://{bound}", if tls.is_some() { "https" } else { "http" });
    match ready {
        Some(tx) => {
            let _ = tx.send(bound);
        }
        None => {
            println!("ttx serve: {origin}/ ({sessions} session(s) resumed from {})", db.display());
            println!("operator link (creates workshops: keep it to yourself): {origin}/?operator={operator_key}");
            if set_aside > 0 {
                println!(
                    "note: {set_aside} session(s) could not be rebuilt and are set aside (see above, and {origin}/api/health)"
                );
            }
            if !bound.ip().is_loopback() {
                println!(
                    "note: listening beyond this machine ({}): creating sessions needs the operator key; tokens guard each session",
                    bound.ip()
                );
            }
            // A restarted server says again where its open sessions are (a few of them).
            let shown = resumed.len().min(RESUMED_SHOWN);
            for c in &resumed[..shown] {
                print!("\nresumed {}", links(&origin, c));
            }
            if resumed.len() > shown {
                println!(
                    "\n{} more sessions are still being played (their links are in {})",
                    resumed.len() - shown,
                    db.display()
                );
            }
            if let Some(c) = &created {
                print!("\n{}", links(&origin, c));
            }
        }
    }
    tokio::spawn(keep_time(Arc::clone(&shared)));
    tokio::spawn(expire_hourly(Arc::clone(&shared), keep_days));
    tokio::spawn(commit_groups(Arc::clone(&shared), wake));
    // The peer's address, to slow down anyone guessing codes.
    let app = router(shared, web).into_make_service_with_connect_info::<SocketAddr>();
    if let Some(config) = tls {
        // `tap_io` does nothing here but give axum the peer's address (`ConnectInfo`).
        let listener = axum::serve::ListenerExt::tap_io(tls::TlsListener::new(listener, config), |_| {});
        axum::serve(listener, app).await?;
        return Ok(());
    }
    // Every frame goes out at once: without TCP_NODELAY, Nagle's algorithm holds a small
    // frame that follows another until the first is acknowledged, and a client's delayed
    // acknowledgement makes that ~40 ms per announcement once hundreds are connected.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        if let Err(e) = tcp.set_nodelay(true) {
            eprintln!("ttx serve: could not set TCP_NODELAY on a connection: {e}");
        }
    });
    axum::serve(listener, app).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new empty folder for one test's files (named after `name` and the process).
    /// A player's note as a request.
    fn note_msg(text: &str) -> ClientMsg {
        ClientMsg::Step { turn: None, step: crate::sim::Step::Note { text: text.into() }, team: None }
    }

    fn empty_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("an empty folder");
        dir
    }

    /// A server on an in-memory database with one 7pay session of Red and Blue, and its id.
    fn red_and_blue() -> (Server, String) {
        let mut server = Server::open(Store::in_memory().expect("db")).expect("server");
        let (name, text) = bundled(None).expect("7pay");
        let created = server.create(name, text, 1, &["Red".into(), "Blue".into()], Pace::Free).expect("created");
        (server, created.session)
    }

    /// Malformed and hostile messages are logged, five per connection and then one line
    /// saying the rest are not; a game's own refusals (a stale turn) are not logged.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hostile_messages_are_logged_within_a_budget_and_game_refusals_are_not() {
        let (server, id) = red_and_blue();
        let shared: Shared = Arc::new(Mutex::new(server));
        let mut misuse = Misuse::new(&id, Role::Team(0));
        let stale = r#"{"type": "step", "step": "end_turn", "turn": 7}"#;
        let reply = answer(&shared, &id, (Role::Team(0), 0, 0), stale, &mut misuse).await;
        assert!(reply[0].contains("wrong-turn"), "{reply:?}");
        assert_eq!(misuse.logged, 0, "a stale turn is the game's refusal, not misuse");
        let hostile = [
            "{not json",
            r#"{"type": "step", "step": {"take": {"mitigation": "pause-topups"}}, "team": "Blue"}"#,
            r#"{"type": "step", "step": {"trigger": {"inject": "press-conference"}}}"#,
            r#"{"type": "step", "step": "format_disk"}"#,
        ];
        let codes = ["not-a-request", "own-team", "facilitator-only", "not-a-request"];
        for (text, code) in hostile.iter().zip(codes) {
            let reply = answer(&shared, &id, (Role::Team(0), 0, 0), text, &mut misuse).await;
            assert!(reply[0].contains(code), "{text} → {reply:?}");
        }
        assert_eq!(misuse.logged, 4);
        let fifth = misuse.log("a binary message").expect("the fifth is logged");
        assert!(fifth.contains("team 1: refused: a binary message"), "{fifth}");
        let last = misuse.log("again").expect("one line says the rest are not logged");
        assert!(last.ends_with("more refused messages, not logged"), "{last}");
        assert_eq!(misuse.log("and again"), None);
        assert_eq!(misuse.refused(&Refused::new(Code::OwnTeam, "x")), None, "past the budget, silent");
        assert_eq!(misuse.refused(&Refused::new(Code::WrongTurn, "x")), None);
    }

    /// A restarted server names the sessions still being played newest first (their ids
    /// are random, so not in id order), and they come back in that order from the database.
    #[test]
    fn unfinished_sessions_come_newest_first_across_a_restart() {
        let dir = empty_dir("ttx-serve-unfinished");
        let db = dir.join("w.sqlite3");
        let mut server = Server::open(Store::open(&db).expect("db")).expect("server");
        let made: Vec<String> = (0..7)
            .map(|seed| {
                let (name, text) = bundled(None).expect("7pay");
                server.create(name, text, seed, &["Red".into()], Pace::Free).expect("created").session
            })
            .collect();
        let newest_first: Vec<String> = made.iter().rev().cloned().collect();
        let ids = |s: &Server| s.unfinished().into_iter().map(|c| c.session).collect::<Vec<_>>();
        assert_eq!(ids(&server), newest_first);
        drop(server);
        let again = Server::open(Store::open(&db).expect("db")).expect("reopened");
        assert_eq!(ids(&again), newest_first);
        drop(again);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A client's text is quoted in a log line with its control characters escaped and cut
    /// short, so it cannot forge lines; the server-wide budget allows a minute's lines, one
    /// that says the rest are not logged, then nothing until the next minute.
    #[test]
    fn log_lines_quote_safely_and_the_server_wide_budget_holds() {
        let forged = "x\nttx serve: 10.0.0.1 sent 20 wrong links\u{1b}[2J";
        let q = quoted(forged);
        assert!(!q.contains('\n') && !q.contains('\u{1b}'), "{q}");
        assert!(q.contains("\\n") && q.contains("\\u{1b}"), "{q}");
        let long = "é".repeat(5_000);
        let q = quoted(&long);
        assert_eq!(q.chars().count(), LOGGED_CHARS + 1, "cut, with an ellipsis");
        assert!(q.ends_with('…'));
        let mut budget = LogBudget::default();
        let t0 = 1_000_000;
        for k in 0..LOGGED_PER_MINUTE {
            assert_eq!(budget.allow(t0 + i64::from(k)), Allowed::Line);
        }
        assert_eq!(budget.allow(t0 + 100), Allowed::LastWord);
        assert_eq!(budget.allow(t0 + 200), Allowed::Nothing);
        assert_eq!(budget.allow(t0 + 59_999), Allowed::Nothing);
        assert_eq!(budget.allow(t0 + 60_000), Allowed::Line, "a new minute");
    }

    /// A group of steps that fails to commit is never acknowledged nor announced: the
    /// request is answered "not saved", the game goes back to what is stored, and the
    /// team's clients are told to resync.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_that_fails_to_commit_is_undone_and_answered_not_saved() {
        let (mut server, id) = red_and_blue();
        let mut red = server.sessions.get_mut(&id).expect("session").subscribe_view(0, 0, 0);
        let shared: Shared = Arc::new(Mutex::new(server));
        let request = {
            let (shared, id) = (Arc::clone(&shared), id.clone());
            tokio::spawn(async move {
                let mut misuse = Misuse::new(&id, Role::Team(0));
                answer(
                    &shared,
                    &id,
                    (Role::Team(0), 0, 0),
                    r#"{"type": "step", "step": {"note": {"text": "kept?"}}}"#,
                    &mut misuse,
                )
                .await
            })
        };
        // The note is in the open group, applied but not yet answered.
        until_waiting(&shared, 1).await;
        {
            let mut server = shared.lock().await;
            assert_eq!(server.waiting.len(), 1, "the request waits for its group");
            assert_eq!(server.sessions[&id].teams[0].steps, 1, "applied at once");
            server.store.doom_group();
            server.settle();
            assert_eq!(server.sessions[&id].teams[0].steps, 0, "undone");
            assert!(!server.sessions[&id].holds());
        }
        let replies = request.await.expect("answered");
        let reply: serde_json::Value = serde_json::from_str(&replies[0]).expect("JSON");
        assert_eq!((reply["type"].as_str(), reply["code"].as_str()), (Some("error"), Some("not-saved")), "{reply}");
        let told = red.try_recv().expect("the team is told");
        assert!(told.contains("\"type\":\"view\"") && told.contains("\"seq\":0"), "the stored game: {told}");
        assert!(!told.contains("kept?"), "nothing of the lost group: {told}");
        assert!(red.try_recv().is_err(), "and nothing else");
        // What is stored is what is played, and the next step goes through.
        let mut server = shared.lock().await;
        let stored = server.store.load_session(&id).expect("load").expect("stored");
        assert!(stored.steps.iter().all(Vec::is_empty));
        let Server { store, sessions, .. } = &mut *server;
        let req = note_msg("this one");
        sessions.get_mut(&id).expect("session").handle(store, Role::Team(0), &req).expect("accepted");
        assert_eq!(store.load_session(&id).expect("load").expect("stored").steps[0].len(), 1);
    }

    /// Waits until `n` requests wait for their group to be committed.
    async fn until_waiting(shared: &Shared, n: usize) {
        for _ in 0..400 {
            if shared.lock().await.waiting.len() >= n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("{n} requests never waited for their group");
    }

    /// SQLite rolls a whole transaction back by itself after some failed writes (disk full,
    /// I/O error, out of memory). The steps of that group are on no disk: both teams'
    /// requests are answered "not saved" (not `ok`), the games go back to what is stored,
    /// and a step that arrives before the commit is refused instead of being committed on
    /// its own beside the lost ones.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_the_database_rolled_back_by_itself_is_answered_not_saved() {
        let (mut server, id) = red_and_blue();
        let mut red = server.sessions.get_mut(&id).expect("session").subscribe_view(0, 0, 0);
        let mut blue = server.sessions.get_mut(&id).expect("session").subscribe_view(1, 0, 0);
        let shared: Shared = Arc::new(Mutex::new(server));
        let request = |k: usize, note: &'static str| {
            let (shared, id) = (Arc::clone(&shared), id.clone());
            tokio::spawn(async move {
                let mut misuse = Misuse::new(&id, Role::Team(k));
                let text = note_msg(note).to_json();
                answer(&shared, &id, (Role::Team(k), 0, 0), &text, &mut misuse).await
            })
        };
        let red_note = request(0, "red's note");
        until_waiting(&shared, 1).await;
        let blue_note = request(1, "blue's note");
        until_waiting(&shared, 2).await;
        {
            let mut server = shared.lock().await;
            server.store.lose_group();
            let Server { store, sessions, .. } = &mut *server;
            let req = note_msg("after the loss");
            let late = sessions.get_mut(&id).expect("session").handle(store, Role::Team(0), &req);
            assert!(late.is_err(), "a step into a lost group is refused");
            assert_eq!(sessions[&id].teams[0].steps, 1, "and not applied");
            server.settle();
            assert_eq!([server.sessions[&id].teams[0].steps, server.sessions[&id].teams[1].steps], [0, 0], "undone");
        }
        for (replies, told) in [(red_note.await, red.try_recv()), (blue_note.await, blue.try_recv())] {
            let replies = replies.expect("answered");
            let reply: serde_json::Value = serde_json::from_str(&replies[0]).expect("JSON");
            assert_eq!((reply["type"].as_str(), reply["code"].as_str()), (Some("error"), Some("not-saved")), "{reply}");
            let told = told.expect("the team is told");
            assert!(told.contains("\"type\":\"view\"") && told.contains("\"seq\":0"), "the stored game: {told}");
        }
        let server = shared.lock().await;
        let stored = server.store.load_session(&id).expect("load").expect("stored");
        assert!(stored.steps.iter().all(Vec::is_empty), "nothing of the lost group is stored");
    }

    /// The disk fills up in the middle of play (the database may grow by a few pages
    /// only): steps sent one by one fit, a rush of them does not, some are refused as not
    /// saved, and every step answered `ok` is in the database when it is opened again,
    /// which holds exactly as many steps as the live games.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_disk_that_fills_up_mid_play_loses_no_acknowledged_step() {
        let dir = empty_dir("ttx-serve-full");
        let db = dir.join("workshops.sqlite3");
        let mut server = Server::open(Store::open(&db).expect("db")).expect("server");
        let (name, text) = bundled(None).expect("7pay");
        let id = server.create(name, text, 1, &["Red".into(), "Blue".into()], Pace::Free).expect("created").session;
        let before = server.store.fill_at(6);
        assert!(before > 0);
        let wake = Arc::clone(&server.committer);
        let shared: Shared = Arc::new(Mutex::new(server));
        let committer = tokio::spawn(commit_groups(Arc::clone(&shared), wake));
        let send = |n: usize| {
            let (shared, id) = (Arc::clone(&shared), id.clone());
            tokio::spawn(async move {
                let k = n % 2;
                let mut misuse = Misuse::new(&id, Role::Team(k));
                let note = format!("note {n}: {}", "x".repeat(1_500));
                let text = note_msg(&note).to_json();
                let replies = answer(&shared, &id, (Role::Team(k), 0, 0), &text, &mut misuse).await;
                let reply: serde_json::Value = serde_json::from_str(&replies[0]).expect("JSON");
                (k, note, reply)
            })
        };
        let mut acknowledged = [Vec::new(), Vec::new()];
        let mut not_saved = 0;
        let mut tally = |(k, note, reply): (usize, String, serde_json::Value)| match (
            reply["type"].as_str(),
            reply["code"].as_str(),
        ) {
            (Some("ok"), _) => acknowledged[k].push(note),
            (Some("error"), Some("not-saved")) => not_saved += 1,
            other => panic!("unexpected reply {other:?}: {reply}"),
        };
        // A few steps one after another, each committed on its own while there is room...
        for n in 0..4 {
            tally(send(n).await.expect("answered"));
        }
        // ...then a rush that the disk cannot hold, in whatever groups the committer makes.
        let rush: Vec<_> = (4..40).map(send).collect();
        for r in rush {
            tally(r.await.expect("answered"));
        }
        committer.abort();
        assert!(not_saved > 0, "the disk filled up: some steps were not saved");
        assert!(acknowledged.iter().map(Vec::len).sum::<usize>() >= 4, "the first steps fitted");
        let live: Vec<u64> = {
            let server = shared.lock().await;
            server.sessions[&id].teams.iter().map(|t| t.steps).collect()
        };
        drop(shared);
        let stored = Store::open(&db).expect("reopened").load_session(&id).expect("load").expect("stored");
        for k in 0..2 {
            let notes: Vec<&str> = stored.steps[k]
                .iter()
                .filter_map(|s| match &s.step {
                    crate::sim::Step::Note { text } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            for note in &acknowledged[k] {
                assert!(notes.contains(&note.as_str()), "an acknowledged step of team {k} is on disk");
            }
            assert_eq!(notes.len() as u64, live[k], "the live game holds what is stored");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A session whose stored steps no longer replay (here: a step rewritten behind the
    /// server's back) is set aside; the server starts with every other session, and says
    /// which one on `GET /api/health`.
    #[tokio::test]
    async fn a_session_that_does_not_replay_is_set_aside_and_the_rest_start() {
        let dir = empty_dir("ttx-serve-aside");
        let db = dir.join("workshops.sqlite3");
        let mut server = Server::open(Store::open(&db).expect("db")).expect("server");
        let (name, text) = bundled(None).expect("7pay");
        let mut ids = Vec::new();
        for seed in [1, 2] {
            let id = server.create(name.clone(), text.clone(), seed, &["Red".into()], Pace::Free).expect("created");
            let Server { store, sessions, .. } = &mut server;
            let req = note_msg("kept");
            sessions.get_mut(&id.session).expect("session").handle(store, Role::Team(0), &req).expect("accepted");
            ids.push(id.session);
        }
        drop(server);
        let raw = rusqlite::Connection::open(&db).expect("raw");
        raw.execute("UPDATE steps SET verb = 'take', id = 'no_such_mitigation' WHERE session = ?1", [&ids[0]])
            .expect("rewritten");
        drop(raw);
        let server = Server::open(Store::open(&db).expect("db")).expect("the server starts");
        assert_eq!(server.sessions().iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), vec![ids[1].clone()]);
        assert_eq!(server.set_aside().len(), 1);
        assert_eq!(server.set_aside()[0].session, ids[0]);
        assert!(server.set_aside()[0].why.contains("no_such_mitigation"), "{:?}", server.set_aside());
        let token = server.sessions[&ids[1]].teams[0].token.clone();
        let shared: Shared = Arc::new(Mutex::new(server));
        let body =
            axum::body::to_bytes(health(State(Arc::clone(&shared))).await.into_body(), 64 * 1024).await.expect("body");
        let health: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(health["status"], "degraded");
        assert_eq!(health["sessions"], 1);
        assert_eq!(health["set_aside"][0]["session"].as_str(), Some(ids[0].as_str()));
        // The other session plays on.
        let who = shared.lock().await.who(&token, std::net::Ipv4Addr::LOCALHOST.into(), 0).expect("known");
        assert_eq!(who.0, ids[1]);
        drop(shared);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A session that cannot be read back after a failed write (here: a stored step made
    /// unreadable behind the server's back, as a failing disk might leave it) is set aside
    /// and tried again every few seconds; once it reads whole it is back in play, its links
    /// work, and its game is the stored one.
    #[test]
    fn a_session_set_aside_after_a_failed_write_comes_back_once_it_reads_whole() {
        let dir = empty_dir("ttx-serve-retry");
        let db = dir.join("workshops.sqlite3");
        let mut server = Server::open(Store::open(&db).expect("db")).expect("server");
        let (name, text) = bundled(None).expect("7pay");
        let id = server.create(name, text, 1, &["Red".into()], Pace::Free).expect("created").session;
        let token = server.sessions[&id].teams[0].token.clone();
        {
            let Server { store, sessions, .. } = &mut server;
            let req = note_msg("kept");
            sessions.get_mut(&id).expect("session").handle(store, Role::Team(0), &req).expect("stored");
        }
        let raw = rusqlite::Connection::open(&db).expect("raw");
        let spoil = |verb: &str| {
            raw.execute("UPDATE steps SET verb = ?2 WHERE session = ?1 AND seq = 0", [&id, verb]).expect("rewritten")
        };
        spoil("no-such-verb");
        // A step in a group the database then loses: the session is read back, and cannot be.
        server.store.begin_group().expect("group");
        {
            let Server { store, sessions, .. } = &mut server;
            let req = note_msg("lost");
            sessions.get_mut(&id).expect("session").handle(store, Role::Team(0), &req).expect("in the group");
        }
        server.store.lose_group();
        server.settle();
        assert!(server.sessions.is_empty(), "out of play");
        assert_eq!(server.set_aside().len(), 1);
        assert!(server.set_aside()[0].retrying);
        assert!(server.who(&token, std::net::Ipv4Addr::LOCALHOST.into(), 0).is_err(), "its link is refused meanwhile");
        let t = 1_000_000;
        assert_eq!(server.retry_set_aside(t), 0, "still unreadable");
        spoil("note");
        assert_eq!(server.retry_set_aside(t + 1_000), 0, "not tried again within the interval");
        assert_eq!(server.retry_set_aside(t + RETRY_SET_ASIDE_MS), 1, "back");
        assert!(server.set_aside().is_empty());
        assert_eq!(server.sessions[&id].teams[0].steps, 1, "the stored game: the kept note, not the lost one");
        assert_eq!(server.who(&token, std::net::Ipv4Addr::LOCALHOST.into(), 0).expect("known").0, id);
        // A session that did not replay at start-up is not retried.
        server.put_aside("other".into(), "does not replay".into(), false);
        assert_eq!(server.retry_set_aside(t + 2 * RETRY_SET_ASIDE_MS), 0);
        assert_eq!(server.set_aside().len(), 1);
        drop(raw);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Sessions idle longer than `--keep-days` are deleted, from play and from the database,
    /// and stay gone after a restart; younger ones stay, and so does an old one played
    /// since; 0 keeps everything.
    #[test]
    fn sessions_past_keep_days_are_deleted_and_stay_gone() {
        let dir = empty_dir("ttx-serve-expiry");
        let db = dir.join("workshops.sqlite3");
        let mut server = Server::open(Store::open(&db).expect("db")).expect("server");
        let (name, text) = bundled(None).expect("7pay");
        let old = server.create(name.clone(), text.clone(), 1, &["Red".into()], Pace::Free).expect("old").session;
        let young = server.create(name, text, 2, &["Red".into()], Pace::Free).expect("young").session;
        // A third session, as old as the first but played since: kept.
        let (name, text) = bundled(None).expect("7pay");
        let played = server.create(name, text, 3, &["Red".into()], Pace::Free).expect("played").session;
        server.store.age(&old, 31 * 86_400_000);
        server.store.age(&young, 29 * 86_400_000);
        server.store.age(&played, 40 * 86_400_000);
        let note = crate::sim::StepAt { turn: 0, step: crate::sim::Step::Note { text: "still here".into() } };
        server.store.append(&played, 0, 0, &note).expect("a step");
        assert_eq!(server.expire(0, workshop::now_ms()).expect("kept"), 0, "0 keeps them all");
        drop(server);
        let mut server = Server::open(Store::open(&db).expect("db")).expect("server");
        assert_eq!(server.sessions().len(), 3);
        let old_token = server.sessions[&old].teams[0].token.clone();
        assert_eq!(server.expire(30, workshop::now_ms()).expect("expired"), 1);
        let ids = |s: &Server| s.sessions().into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        let mut left = ids(&server);
        left.sort();
        let mut kept = vec![young.clone(), played.clone()];
        kept.sort();
        assert_eq!(left, kept, "the played one stays");
        assert!(server.who(&old_token, std::net::Ipv4Addr::LOCALHOST.into(), 0).is_err(), "its links are gone");
        drop(server);
        let server = Server::open(Store::open(&db).expect("db")).expect("server");
        let mut left = ids(&server);
        left.sort();
        assert_eq!(left, kept, "gone from the database too");
        drop(server);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
