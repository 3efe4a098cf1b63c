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

mod committer;
pub mod error;
mod http;
mod misuse;
mod registry;
mod start;
#[cfg(test)]
mod tests;
mod timer;
mod ws;

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Mutex;

use self::store::{Store, StoreError};
use self::workshop::{Role, Workshop};

pub use self::http::{NewSession, bundled, router};
pub use self::misuse::{Allowed, LogBudget, Misuse};
pub use self::registry::{Checked, Created};
pub use self::start::{Listen, Options, ServeError, StartSession, default_db, serve};

/// Largest WebSocket message a client may send.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;
/// Most sessions one server keeps.
pub const MAX_SESSIONS: usize = 1_000;
/// Sessions that may be created at once, and then a second (one every two seconds).
pub const CREATE_BURST: f64 = 30.0;
pub const CREATE_PER_SECOND: f64 = 0.5;

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
    waiting: Vec<tokio::sync::oneshot::Sender<Result<(), Arc<StoreError>>>>,
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

pub type Shared = Arc<Mutex<Server>>;

/// Why a token or code was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
}

/// The server's clock, in milliseconds since the Unix epoch (timers only: the games never
/// read it).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
