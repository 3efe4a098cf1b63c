//! The connection to a live workshop's server: a WebSocket (ewebsock: tungstenite on a
//! thread on the desktop, the page's WebSocket in the browser) opened while the session is
//! in a workshop. The connection's news becomes [`News::Server`] for the one system that
//! calls the engine; the session's requests go out once it is open. A lost connection is
//! opened again by itself, a little later each time; the server then resends the game.

use bevy::prelude::*;

use super::session::{News, ServerEvent, Session};

/// Largest message taken from the server: its welcome carries the scenario (at most
/// 4 MiB), with room for the JSON around it.
const MAX_INCOMING: usize = 6 * 1024 * 1024;
/// Messages handled per frame, so a flood cannot stall a frame.
const MAX_EVENTS_PER_FRAME: usize = 256;
/// Seconds before reconnecting: doubled on each failure up to the last.
const RETRY_SECONDS: [f64; 5] = [1.0, 2.0, 4.0, 8.0, 15.0];

/// The open connection, if any (not `Send` in the browser, so kept as non-send data).
#[derive(Default)]
pub(super) struct Link {
    socket: Option<(ewebsock::WsSender, ewebsock::WsReceiver)>,
    /// The address it is (or was last) opened to.
    url: String,
    open: bool,
    failures: usize,
    retry_at: f64,
}

impl Link {
    fn lost(&mut self, now: f64) {
        self.socket = None;
        self.open = false;
        self.retry_at = now + RETRY_SECONDS[self.failures.min(RETRY_SECONDS.len() - 1)];
        self.failures += 1;
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_non_send::<Link>();
    #[cfg(not(target_arch = "wasm32"))]
    app.init_resource::<create::Creating>().add_systems(Update, (create::start, create::finish));
}

/// Creating a workshop on a server from the desktop (`Dialog::CreateWorkshop` with a
/// server): a plain HTTP request on a thread, whose answer joins the new workshop as its
/// facilitator, or says why it could not be created.
#[cfg(not(target_arch = "wasm32"))]
mod create {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use bevy::prelude::*;

    use crate::app::session::{Dialog, News, Session};
    use crate::t;

    /// Longest answer read from the server (it is a few hundred bytes per team).
    const MAX_ANSWER: u64 = 1024 * 1024;

    /// The answers of the requests under way, as news for the game.
    #[derive(Resource, Default, Clone)]
    pub(super) struct Creating(Arc<Mutex<Vec<News>>>);

    pub(in crate::app) fn start(mut dialogs: MessageReader<Dialog>, creating: Res<Creating>, session: Res<Session>) {
        let tr = session.tr();
        for dialog in dialogs.read() {
            let Dialog::CreateWorkshop { body, server: Some(server) } = dialog else { continue };
            let (slot, server, body) = (creating.clone(), server.clone(), body.clone());
            std::thread::spawn(move || {
                let answer = match post(&server, &body) {
                    Ok(link) => News::JoinLink(link),
                    Err(e) => {
                        let why = match e {
                            CreateError::NotAnAddress => t!(tr, "title-run-not-an-address", server = server.as_str()),
                            CreateError::NotTtx(status) => t!(tr, "title-run-not-ttx", status = status.to_string()),
                            e => e.to_string(),
                        };
                        News::Notice(t!(tr, "title-run-failed", server = server.as_str(), why = why))
                    }
                };
                if let Ok(mut answers) = slot.0.lock() {
                    answers.push(answer);
                }
            });
        }
    }

    pub(in crate::app) fn finish(creating: Res<Creating>, mut news: MessageWriter<News>) {
        let answers = creating.0.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default();
        news.write_batch(answers);
    }

    /// Why a workshop could not be created on a server.
    #[derive(Debug, thiserror::Error)]
    pub(super) enum CreateError {
        /// What was typed is no host and port.
        #[error("not a server address")]
        NotAnAddress,
        /// No answer, or one cut short.
        #[error("{0}")]
        Request(#[from] ureq::Error),
        /// An answer that is not ttx serve's: its HTTP status.
        #[error("the server answered {0}, not as ttx serve would")]
        NotTtx(u16),
        /// The server's own words.
        #[error("{0}")]
        Refused(String),
    }

    /// POSTs the session to `server` (`host:port`, or with `http://`, or the operator link
    /// `ttx serve` printed: `http://host:port/?operator=KEY`, whose key it shows); the
    /// facilitator's join link, or why not.
    fn post(server: &str, body: &str) -> Result<String, CreateError> {
        let (address, query) = server.trim().split_once('?').unwrap_or((server.trim(), ""));
        let key = query.split('&').find_map(|kv| kv.strip_prefix("operator=")).filter(|k| !k.is_empty());
        let host = address.trim_start_matches("http://").trim_end_matches('/');
        let host_ok = !host.is_empty()
            && host.len() <= 255
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b));
        if !host_ok {
            return Err(CreateError::NotAnAddress);
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(15)))
            .http_status_as_error(false)
            .build()
            .into();
        let mut request = agent.post(format!("http://{host}/api/sessions")).header("Content-Type", "application/json");
        if let Some(key) = key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let mut answer = request.send(body)?;
        let status = answer.status().as_u16();
        let text = answer.body_mut().with_config().limit(MAX_ANSWER).read_to_string()?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|_| CreateError::NotTtx(status))?;
        match (status, json["facilitator"].as_str(), json["error"].as_str()) {
            (200, Some(token), _) if token.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Ok(format!("http://{host}/?join={token}"))
            }
            (_, _, Some(why)) => Err(CreateError::Refused(why.to_owned())),
            _ => Err(CreateError::NotTtx(status)),
        }
    }
}

/// Opens, keeps and closes the connection as the session asks; turns what arrives into
/// news and sends the session's requests.
pub(super) fn pump_link(
    mut session: ResMut<Session>,
    mut link: NonSendMut<Link>,
    time: Res<Time<Real>>,
    mut news: MessageWriter<News>,
) {
    let Some(url) = session.live().map(|l| l.url().to_owned()) else {
        if link.socket.is_some() || !link.url.is_empty() {
            *link = Link::default();
        }
        return;
    };
    let now = time.elapsed_secs_f64();
    if link.url != url {
        *link = Link { url, ..Link::default() };
    }
    if link.socket.is_none() && now >= link.retry_at {
        let options = ewebsock::Options { max_incoming_frame_size: MAX_INCOMING, ..Default::default() };
        match ewebsock::connect(link.url.clone(), options) {
            Ok(socket) => link.socket = Some(socket),
            Err(e) => {
                link.lost(now);
                news.write(News::Server(ServerEvent::Closed(e)));
                return;
            }
        }
    }
    let mut events = Vec::new();
    let mut closed = None;
    if let Some((_, rx)) = &link.socket {
        for _ in 0..MAX_EVENTS_PER_FRAME {
            match rx.try_recv() {
                None => break,
                Some(ewebsock::WsEvent::Opened) => events.push(ServerEvent::Opened),
                Some(ewebsock::WsEvent::Message(ewebsock::WsMessage::Text(text))) => {
                    events.push(ServerEvent::Text(text));
                }
                Some(ewebsock::WsEvent::Message(_)) => {}
                Some(ewebsock::WsEvent::Error(e)) => {
                    closed = Some(e);
                    break;
                }
                Some(ewebsock::WsEvent::Closed) => {
                    closed = Some("closed by the server".to_owned());
                    break;
                }
            }
        }
    }
    for e in events {
        if e == ServerEvent::Opened {
            link.open = true;
            link.failures = 0;
        }
        news.write(News::Server(e));
    }
    if let Some(why) = closed {
        link.lost(now);
        news.write(News::Server(ServerEvent::Closed(why)));
        return;
    }
    if link.open
        && let Some((tx, _)) = link.socket.as_mut()
    {
        for request in session.take_requests() {
            tx.send(ewebsock::WsMessage::Text(request));
        }
    }
}
