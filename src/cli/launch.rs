//! `ttx serve`: starts the live workshop server from the command line's flags.

use std::path::PathBuf;

use super::Error;

/// The flags of `ttx serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default: only this machine).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The database (default: workshops.sqlite3 in the data folder).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// The browser game's files (web/build.sh writes them to web/dist).
    #[arg(long, default_value = "web/dist")]
    pub web: PathBuf,
    /// Start a session for these teams (comma-separated names) and print each team's
    /// join link and the facilitator's token.
    #[arg(long, value_delimiter = ',')]
    pub teams: Vec<String>,
    /// The session's scenario file (with --teams; default: the bundled 7pay scenario).
    #[arg(long, requires = "teams")]
    pub scenario: Option<PathBuf>,
    /// The session's seed (with --teams).
    #[arg(long, default_value_t = 1, requires = "teams")]
    pub seed: u64,
    /// Who ends the turns (with --teams): each team its own (`free`), or only the
    /// facilitator and the timer, every team at once (`synchronized`).
    #[arg(long, default_value = "free", value_parser = ["free", "synchronized"], requires = "teams")]
    pub pace: String,
    /// The key that creating workshops over HTTP needs (default: $TTX_OPERATOR_KEY, else
    /// one the server makes and keeps in its database). Printed in the operator link.
    #[arg(long)]
    pub operator_key: Option<String>,
    /// Delete sessions nobody has played (nor created) for this many days (at start and
    /// hourly; 0: keep them all).
    #[arg(long, default_value_t = 30)]
    pub keep_days: u32,
    /// Close a connection not heard from (not even a reply to a ping) for this many
    /// seconds; pinged every third of it.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u64).range(3..=3600))]
    pub idle_timeout: u64,
    /// Close a connection whose player has not taken a message within this many
    /// seconds (a device that stopped reading).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub send_timeout: u64,
    /// Serve HTTPS and WSS with this certificate chain (PEM, the server's certificate
    /// first); needs --tls-key. Without it: plain HTTP (behind a reverse proxy that
    /// terminates TLS, or on a room's own network).
    #[arg(long, requires = "tls_key", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, requires = "tls_cert", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
}

/// Runs the workshop server until it is stopped.
pub(super) fn serve(args: ServeArgs) -> Result<(), Error> {
    let ServeArgs {
        bind,
        port,
        db,
        web,
        teams,
        scenario,
        seed,
        pace,
        operator_key,
        keep_days,
        idle_timeout,
        send_timeout,
        tls_cert,
        tls_key,
    } = args;
    let addr = std::net::SocketAddr::new(bind, port);
    let tls = tls_cert.zip(tls_key);
    let mut options = crate::serve::Options {
        operator_key,
        keep_days,
        limits: crate::serve::connections::Limits {
            idle: std::time::Duration::from_secs(idle_timeout),
            send: std::time::Duration::from_secs(send_timeout),
        },
    };
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
