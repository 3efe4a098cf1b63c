//! Starting `ttx serve`: how it listens and runs, the session it may start with, why it may
//! not start, the links it prints, and the server loop itself.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;
use tokio::sync::Mutex;

use super::committer::commit_groups;
use super::store::{Pace, Store, StoreError};
use super::timer::{expire_hourly, keep_time};
use super::workshop::display_code;
use super::{Created, Server, connections, router, tls};

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
    Rebuild { id: String, why: super::error::DrawError },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the session to start with: {0}")]
    Start(String),
    #[error("the operator key: {0}")]
    OperatorKey(String),
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
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
    server.expire(keep_days, super::now_ms())?;
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
