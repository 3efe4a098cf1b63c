//! A client's WebSocket: joining with a link or code, the welcome and the game(s) so far,
//! then the conversation (requests answered, announcements and views relayed) until it goes.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::error::error;
use super::misuse::Misuse;
use super::workshop::{self, Refused, Role, display_code};
use super::{MAX_MESSAGE_BYTES, Refusal, Server, Shared, connections, guessing};
use crate::protocol::{ClientMsg, Code, Seat, ServerMsg};

/// A connection's read buffer (messages larger than it are read in several chunks).
const READ_BUFFER_BYTES: usize = 4 * 1024;

#[derive(Debug, Deserialize)]
pub(super) struct Join {
    token: String,
    /// The language the player reads (`en`, `ja`; English for anything else).
    #[serde(default)]
    lang: Option<String>,
}

pub(super) async fn ws(
    State(shared): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(join): Query<Join>,
    upgrade: WebSocketUpgrade,
) -> Response {
    // A guesser's attempts wait their turn, outside the lock; a right code always gets in
    // when its turn comes.
    let admitted = shared.lock().await.admit(&join.token, peer.ip(), super::now_ms());
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
        (server.who(&join.token, peer.ip(), super::now_ms()), Arc::clone(&server.connections))
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
        (events, views, welcome, snapshots, (view, floors), w.timer_msg(super::now_ms()).to_json())
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
pub(super) async fn answer(
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
                Ok(Err(e)) => vec![error(not_saved(format!("not saved, so not done: {e}")))],
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
