//! The connection to a live workshop's server: a WebSocket (ewebsock: tungstenite on a
//! thread on the desktop, the page's WebSocket in the browser) opened while the session is
//! in a workshop. The connection's news becomes [`Intent::Server`] for the one system that
//! calls the engine; the session's requests go out once it is open. A lost connection is
//! opened again by itself, a little later each time; the server then resends the game.

use bevy::prelude::*;

use super::session::{Intent, ServerEvent, Session};

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
}

/// Opens, keeps and closes the connection as the session asks; turns what arrives into
/// intents and sends the session's requests.
pub(super) fn pump_link(
    mut session: ResMut<Session>,
    mut link: NonSendMut<Link>,
    time: Res<Time<Real>>,
    mut intents: MessageWriter<Intent>,
) {
    let Some(live) = session.play.live.as_mut() else {
        if link.socket.is_some() || !link.url.is_empty() {
            *link = Link::default();
        }
        return;
    };
    let now = time.elapsed_secs_f64();
    if link.url != live.url {
        *link = Link { url: live.url.clone(), ..Link::default() };
    }
    if link.socket.is_none() && now >= link.retry_at {
        let options = ewebsock::Options { max_incoming_frame_size: MAX_INCOMING, ..Default::default() };
        match ewebsock::connect(link.url.clone(), options) {
            Ok(socket) => link.socket = Some(socket),
            Err(e) => {
                link.lost(now);
                intents.write(Intent::Server(ServerEvent::Closed(e)));
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
        intents.write(Intent::Server(e));
    }
    if let Some(why) = closed {
        link.lost(now);
        intents.write(Intent::Server(ServerEvent::Closed(why)));
        return;
    }
    if link.open
        && let Some((tx, _)) = link.socket.as_mut()
    {
        for request in live.outbox.drain(..) {
            tx.send(ewebsock::WsMessage::Text(request));
        }
    }
}
