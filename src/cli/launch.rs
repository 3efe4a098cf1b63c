//! `ttx serve`: starts the live workshop server from the command line's flags.

use std::path::PathBuf;

use super::Error;

/// What `ttx serve` was asked for.
pub(super) struct Launch {
    pub addr: std::net::SocketAddr,
    pub db: Option<PathBuf>,
    pub web: PathBuf,
    /// A session to start for these teams (none: only the server).
    pub teams: Vec<String>,
    pub scenario: Option<PathBuf>,
    pub seed: u64,
    /// `free` or `synchronized` (clap has checked it).
    pub pace: String,
    pub options: crate::serve::Options,
    /// The certificate chain and its key, both PEM files.
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Runs the workshop server until it is stopped.
pub(super) fn serve(launch: Launch) -> Result<(), Error> {
    let Launch { addr, db, web, teams, scenario, seed, pace, mut options, tls } = launch;
    let db = db.unwrap_or_else(crate::serve::default_db);
    // The certificate first: a server that cannot serve HTTPS as asked does not start.
    let tls = tls
        .map(|(cert, key)| crate::serve::tls::load(&cert, &key))
        .transpose()
        .map_err(|e| Error::Serve(e.to_string()))?;
    let start = if teams.is_empty() {
        None
    } else {
        let (name, text) = match scenario {
            Some(path) => {
                let text = crate::sim::author::input::read_text(
                    &path,
                    crate::sim::author::input::MAX_SCENARIO_BYTES,
                    "scenario",
                )?;
                (path.display().to_string(), text)
            }
            None => crate::serve::bundled(None).map_err(|e| Error::Serve(e.to_string()))?,
        };
        let pace = crate::serve::store::Pace::parse(&pace).unwrap_or_default();
        Some(crate::serve::StartSession { name, text, seed, teams, pace })
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Serve(format!("cannot start the server's runtime: {e}")))?;
    // The operator key: the flag, else TTX_OPERATOR_KEY, else the one the database keeps.
    options.operator_key =
        options.operator_key.or_else(|| std::env::var("TTX_OPERATOR_KEY").ok().filter(|k| !k.is_empty()));
    let listen = crate::serve::Listen { addr, tls };
    runtime
        .block_on(crate::serve::serve(listen, &db, &web, start, options, None))
        .map_err(|e| Error::Serve(e.to_string()))
}
