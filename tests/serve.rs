//! `ttx serve` as a workshop uses it: the server on an ephemeral loopback port with a
//! temporary database, driven by scripted WebSocket clients (two teams of three players and
//! a facilitator) through 7pay to the end; each team's game equals the same game played
//! offline; tokens act only for what they were issued for; bad messages get an error frame
//! and disturb nobody; a restarted server has lost nothing. The server process killed with
//! SIGKILL while four teams play as fast as they are acknowledged loses no acknowledged step,
//! and on a restart every game continues to the same end as offline. With a certificate,
//! the same server speaks HTTPS and WSS only.
#![cfg(not(target_arch = "wasm32"))]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_rustls::rustls::pki_types as rustls_der;
use tokio_tungstenite::tungstenite::Message;
use ttx::protocol::{ClientMsg, TimerOrder};
use ttx::sim::play::game::Intervention;
use ttx::sim::play::save::SaveFile;
use ttx::sim::play::step::apply_step;
use ttx::sim::present::player::{DebriefParts, Seat, player_view_at};
use ttx::sim::{Action, Game, Scenario, Step, StepAt};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn start(db: &Path) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    start_with(db, ttx::serve::Options::new(Some(OPERATOR_KEY.into()), 30)).await
}

async fn start_with(db: &Path, options: ttx::serve::Options) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let db = db.to_owned();
    let task = tokio::spawn(async move {
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
        ttx::serve::serve(addr, &db, Path::new("/nonexistent-web"), None, options, Some(tx))
            .await
            .expect("the server runs");
    });
    (rx.await.expect("the server started"), task)
}

/// The operator key the tests' servers are started with.
const OPERATOR_KEY: &str = "test-operator-key-0123456789";

/// A plain HTTP/1.1 request, as the operator (with the operator key); returns the status
/// and the body.
async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    http_as(addr, method, path, body, Some(OPERATOR_KEY)).await
}

/// A plain HTTP/1.1 request with `key` as its bearer (None: no Authorization header).
async fn http_as(addr: SocketAddr, method: &str, path: &str, body: &str, key: Option<&str>) -> (u16, String) {
    let text = http_whole(addr, method, path, body, key).await;
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

/// The same, answering the whole response: status line, headers and body.
async fn http_whole(addr: SocketAddr, method: &str, path: &str, body: &str, key: Option<&str>) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let auth = key.map(|k| format!("Authorization: Bearer {k}\r\n")).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("send");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

async fn connect(addr: SocketAddr, token: &str) -> Socket {
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?token={token}")).await.expect("ws");
    ws
}

/// The next JSON message of `kind` (skipping announcements and syncs of other kinds).
async fn next(ws: &mut Socket, kind: &str) -> Value {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(20), ws.next())
            .await
            .unwrap_or_else(|_| panic!("no `{kind}` within 20 s"))
            .expect("open")
            .expect("a message");
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(t.as_str()).expect("JSON");
            if v["type"] == kind || (v["type"] == "error" && kind == "ok") {
                return v;
            }
        }
    }
}

/// A step request for the sender's team, from the step's verb and id (as the database
/// keeps steps).
fn req(verb: &str, id: &str) -> Value {
    let step = Step::from_columns(verb, id, None).expect("a step");
    serde_json::to_value(ClientMsg::Step { turn: None, step, team: None }).expect("JSON")
}

/// `msg` with one more field.
fn with(mut msg: Value, key: &str, value: impl Into<Value>) -> Value {
    msg[key] = value.into();
    msg
}

async fn send(ws: &mut Socket, req: Value) -> Value {
    ws.send(Message::Text(req.to_string().into())).await.expect("send");
    next(ws, "ok").await
}

/// What a team's player who has not said their role is shown of `game` (in English), as
/// the server builds it: in a scenario with roles, only the injects that reach the whole
/// team.
fn expected_view(game: &Game) -> Value {
    let parts = game.is_finished().then(|| DebriefParts::of(game));
    // Nobody at the table has said a role, so every role is free: they act for all.
    let all: Vec<_> = ttx::sim::scenario::RoleIdx::all(game.scenario().roles.len()).collect();
    let seat = (!all.is_empty()).then_some(Seat { sees: &[], acts: &all });
    serde_json::to_value(player_view_at(game, parts.as_ref(), ttx::i18n::Lang::En.tr(), seat)).expect("JSON")
}

/// A player's view of its team's game, asked for again on `ws`: (its step count, the view).
async fn synced_view(ws: &mut Socket) -> (u64, Value) {
    assert_eq!(send(ws, json!({ "type": "sync" })).await["type"], "ok");
    let v = next(ws, "view").await;
    (v["seq"].as_u64().expect("seq"), v["view"].clone())
}

/// Reads a team's game from a sync on `ws`.
async fn synced_log(ws: &mut Socket, team: Option<&str>) -> (String, SaveFile) {
    let mut req = json!({ "type": "sync" });
    if let Some(t) = team {
        req["team"] = json!(t);
    }
    assert_eq!(send(ws, req).await["type"], "ok");
    let sync = next(ws, "sync").await;
    let save = serde_json::from_value::<SaveFile>(sync["save"].clone()).expect("a save");
    (sync["team"].as_str().expect("team").to_owned(), save)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_teams_of_three_play_7pay_live_and_a_restart_loses_nothing() {
    let dir = empty_dir("ttx-serve");
    let db = dir.join("workshops.sqlite3");
    let (addr, server) = start(&db).await;

    // Nobody creates a session without the operator key, however well formed the request.
    let wanted = r#"{"scenario": "7pay-launch-week.ron", "teams": ["Blue", "Red"]}"#;
    for key in [None, Some("test-operator-key-012345678X"), Some("short")] {
        let (status, body) = http_as(addr, "POST", "/api/sessions", wanted, key).await;
        assert_eq!(status, 401, "{key:?}: {body}");
        assert!(body.contains("operator key"), "{body}");
    }
    let (status, body) = http_as(addr, "POST", "/api/sessions", "{not json", None).await;
    assert_eq!(status, 401, "the key is checked before the body: {body}");
    // Bad sessions are refused with a reason.
    let (status, body) = http(addr, "POST", "/api/sessions", r#"{"teams": []}"#).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = http(addr, "POST", "/api/sessions", r#"{"teams": ["A"], "scenario_text": "(broken"}"#).await;
    assert_eq!(status, 422, "{body}");
    // The web build is missing here: the page says what to do.
    let (status, body) = http(addr, "GET", "/", "").await;
    assert_eq!(status, 404);
    assert!(body.contains("web/build.sh"), "{body}");

    let (status, body) = http(
        addr,
        "POST",
        "/api/sessions",
        r#"{"scenario": "7pay-launch-week.ron", "seed": 7, "teams": ["Blue", "Red"]}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let created: Value = serde_json::from_str(&body).expect("JSON");
    let facilitator_token = created["facilitator"].as_str().expect("facilitator token").to_owned();
    assert_eq!(facilitator_token.len(), 32, "128 bits in hex");
    let team_tokens: Vec<String> = created["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .map(|t| t["token"].as_str().expect("token").to_owned())
        .collect();

    let mut fac = connect(addr, &facilitator_token).await;
    assert_eq!(next(&mut fac, "welcome").await["seat"], "facilitator");
    let mut players: Vec<Vec<Socket>> = Vec::new();
    for token in &team_tokens {
        let mut three = Vec::new();
        for _ in 0..3 {
            let mut ws = connect(addr, token).await;
            assert_eq!(next(&mut ws, "welcome").await["seat"], "team");
            three.push(ws);
        }
        players.push(three);
    }

    // The same games offline.
    let sc: Arc<Scenario> = Arc::new(ttx::sim::bundled::seven_pay().expect("7pay").scenario);
    let mut offline = [Game::new(Arc::clone(&sc), 7), Game::new(Arc::clone(&sc), 7)];
    let names = ["Blue", "Red"];
    let cards = [["staged_rollout", "brief_stores"], ["add_capacity", "fix_password_reset"]];

    // Tokens act only for what they were issued for.
    let denied = send(&mut players[0][0], with(req("take", cards[1][0]), "team", "Red")).await;
    assert_eq!(denied["type"], "error");
    assert!(denied["message"].as_str().expect("why").contains("only for its own team"), "{denied}");
    assert_eq!(denied["code"], "own-team", "a code for the client to say it in the player's language");
    let denied = send(&mut players[0][1], req("trigger", &sc.injects[0].id)).await;
    assert!(denied["message"].as_str().expect("why").contains("facilitator"), "{denied}");
    // Garbage and oversized messages get an error or a closed socket, and nothing else changes.
    let garbage = send(&mut players[1][2], with(req("take", "x"), "evil", true)).await;
    assert_eq!(garbage["type"], "error");
    let mut big = connect(addr, &team_tokens[1]).await;
    let _ = next(&mut big, "welcome").await;
    let _ = big.send(Message::Text("x".repeat(ttx::serve::MAX_MESSAGE_BYTES + 1).into())).await;
    let closed = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            match big.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return true,
                Some(Ok(_)) => {}
            }
        }
    })
    .await
    .unwrap_or(false);
    assert!(closed, "an oversized message closes that connection");

    // Turn 0: each team takes two cards, from different players.
    for (k, team) in cards.iter().enumerate() {
        for (n, id) in team.iter().enumerate() {
            let reply = send(&mut players[k][n], req("take", id)).await;
            assert_eq!(reply["type"], "ok", "{reply}");
            let m = sc.mitigation_index(id).expect("a 7pay card");
            offline[k].act(Action::Take(m)).expect("offline too");
        }
        let note = send(&mut players[k][2], req("note", &format!("{} の判断", names[k]))).await;
        assert_eq!(note["type"], "ok");
        offline[k].note(&format!("{} の判断", names[k])).expect("note");
    }
    // Two players of a team end the same turn at once: one ends it, the other is told.
    let first = send(&mut players[0][0], with(req("end_turn", ""), "turn", 0)).await;
    let second = send(&mut players[0][1], with(req("end_turn", ""), "turn", 0)).await;
    assert_eq!(first["type"], "ok");
    assert_eq!(second["type"], "error", "{second}");
    assert_eq!((second["code"].as_str(), second["args"]["now"].as_str()), (Some("wrong-turn"), Some("2")), "{second}");
    offline[0].end_turn();
    // The facilitator advances Red.
    assert_eq!(send(&mut fac, with(with(req("end_turn", ""), "team", "Red"), "turn", 0)).await["type"], "ok");
    offline[1].end_turn();

    // The facilitator pushes an event to every team, then advances everyone, turn by turn.
    let trigger = sc
        .injects
        .iter()
        .map(|i| Intervention::Trigger { inject: sc.inject_index(&i.id).expect("inject") })
        .find(|act| offline.iter().all(|g| g.check_intervention(act).is_ok()))
        .expect("an event both teams can be sent");
    let Intervention::Trigger { inject } = trigger.clone() else { unreachable!() };
    let pushed = send(&mut fac, with(req("trigger", &sc.injects[inject.ix()].id), "team", "*")).await;
    assert_eq!(pushed["done"].as_array().map(Vec::len), Some(2), "{pushed}");
    for g in &mut offline {
        g.intervene(trigger.clone()).expect("offline trigger");
    }
    // Each team's players see it announced.
    for team in &mut players {
        let view = next(&mut team[2], "view").await;
        assert!(view["team"].is_string() && view["view"]["turn"].is_object());
    }
    while offline.iter().any(|g| !g.is_finished()) {
        let reply = send(&mut fac, with(req("end_turn", ""), "team", "*")).await;
        assert_eq!(reply["type"], "ok", "{reply}");
        for g in offline.iter_mut().filter(|g| !g.is_finished()) {
            g.end_turn();
        }
    }

    // Every team's game is the offline game, seen from any of its players.
    for (k, team) in players.iter_mut().enumerate() {
        let (_, view) = synced_view(&mut team[k % 3]).await;
        assert_eq!(view, expected_view(&offline[k]), "team {}", names[k]);
        assert!(view["debrief"]["total"].is_number(), "the game is over: the debrief is sent");
    }

    // A restart: every connection dropped, the server gone, a new one on the same database.
    drop(players);
    drop(fac);
    server.abort();
    let _ = server.await;
    let (addr, server) = start(&db).await;
    let mut fac = connect(addr, &facilitator_token).await;
    let _ = next(&mut fac, "welcome").await;
    for (k, name) in names.iter().enumerate() {
        let (_, save) = synced_log(&mut fac, Some(name)).await;
        assert_eq!(save.log, offline[k].log(), "team {name} after the restart");
    }
    // A team can continue on another device with its token.
    let mut again = connect(addr, &team_tokens[1]).await;
    assert_eq!(next(&mut again, "welcome").await["team"], "Red");
    let over = send(&mut again, with(req("end_turn", ""), "turn", offline[1].turn())).await;
    assert_eq!(over["type"], "error", "the game is over: {over}");
    // An unknown token is refused before any WebSocket.
    assert!(tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?token=0123")).await.is_err());
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_game_is_served_precompressed_to_browsers_that_accept_it() {
    let dir = empty_dir("ttx-serve-web");
    std::fs::write(dir.join("index.html"), "<!doctype html><p>the game</p>").expect("html");
    std::fs::write(dir.join("index.html.br"), b"BROTLI").expect("br");
    std::fs::write(dir.join("index.html.gz"), b"GZIP").expect("gz");
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (db, web) = (dir.join("w.sqlite3"), dir.clone());
    let task = tokio::spawn(async move {
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
        ttx::serve::serve(addr, &db, &web, None, ttx::serve::Options::new(Some(OPERATOR_KEY.into()), 30), Some(tx))
            .await
            .expect("the server runs");
    });
    let addr = rx.await.expect("started");
    let get = |encoding: &'static str| async move {
        let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let req = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: {encoding}\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).await.expect("send");
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.expect("read");
        String::from_utf8_lossy(&out).to_lowercase()
    };
    let br = get("gzip, deflate, br").await;
    assert!(br.contains("content-encoding: br") && br.ends_with("brotli"), "{br}");
    let gz = get("gzip").await;
    assert!(gz.contains("content-encoding: gzip") && gz.ends_with("gzip"), "{gz}");
    let plain = get("identity").await;
    assert!(!plain.contains("content-encoding") && plain.ends_with("<p>the game</p>"), "{plain}");
    task.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A 7pay session of teams Red and Blue, stored in `store` and built.
fn red_and_blue(store: &mut ttx::serve::store::Store, id: &str, seed: u64) -> ttx::serve::workshop::Workshop {
    use ttx::serve::store::StoredTeam;
    let (scenario_name, scenario_text) = ttx::serve::bundled(None).expect("7pay");
    let team =
        |name: &str, token: &str, code: &str| StoredTeam { name: name.into(), token: token.into(), code: code.into() };
    let session = ttx::serve::store::StoredSession {
        id: id.into(),
        scenario_name,
        scenario_text,
        seed,
        facilitator: "f".into(),
        teams: vec![team("Red", "r", &format!("R{id}")), team("Blue", "b", &format!("B{id}"))],
        steps: Vec::new(),
        unreadable: None,
        timer: None,
        pace: ttx::serve::store::Pace::Free,
        floor: Vec::new(),
    };
    store.create(&session).expect("created");
    ttx::serve::workshop::Workshop::rebuild(session).expect("built")
}

/// Fuzzed requests from every role (real and junk verbs, ids, options, turns and teams):
/// the server never panics, and replaying what it stored always rebuilds the very games it
/// holds, so a restart after any accepted request loses and invents nothing.
#[test]
fn fuzzed_requests_never_panic_and_what_is_stored_rebuilds_the_same_games() {
    use rand::{Rng as _, SeedableRng as _};
    use ttx::serve::store::Store;
    use ttx::serve::workshop::{Role, Workshop};
    let (name, text) = ttx::serve::bundled(None).expect("7pay");
    let sc = ttx::sim::load_str(&text, &name).expect("loads").scenario;
    let mut ids: Vec<String> = sc.mitigations.iter().map(|m| m.id.clone()).collect();
    ids.extend(sc.injects.iter().map(|i| i.id.clone()));
    ids.extend(sc.metrics.iter().map(|m| m.id.clone()));
    ids.extend(sc.dynamics.iter().map(|d| d.id.clone()));
    ids.extend(["".into(), "nope".into(), "é".repeat(300), "*".into()]);
    let options: Vec<String> = sc.injects.iter().flat_map(|i| i.options.iter().map(|o| o.id.clone())).collect();
    let verbs = [
        "take",
        "stop",
        "choose",
        "note",
        "end_turn",
        "trigger",
        "suppress",
        "allow",
        "set",
        "roll",
        "sync",
        "back",
        "step_back",
        "time_up",
        "",
        "TAKE",
    ];
    let numbers = ["0", "50", "-1", "1e308", "NaN", "0.5", "x"];
    let teams = ["Red", "Blue", "*", "Green", ""];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
    let mut store = Store::in_memory().expect("db");
    let mut w = red_and_blue(&mut store, "fuzz", 3);
    let mut accepted = 0;
    for n in 0..4_000 {
        let pick = |rng: &mut rand_chacha::ChaCha8Rng, len: usize| (rng.next_u64() % len as u64) as usize;
        let verb = verbs[pick(&mut rng, verbs.len())];
        let option = match pick(&mut rng, 3) {
            0 => None,
            1 => Some(options[pick(&mut rng, options.len())].clone()),
            _ => Some(numbers[pick(&mut rng, numbers.len())].to_owned()),
        };
        let role = match pick(&mut rng, 3) {
            0 => Role::Facilitator,
            k => Role::Team(k - 1),
        };
        let turn = (pick(&mut rng, 4) > 0).then(|| w.teams[pick(&mut rng, 2)].game.turn() + pick(&mut rng, 2));
        let id = ids[pick(&mut rng, ids.len())].clone();
        let team = (pick(&mut rng, 2) == 0).then(|| teams[pick(&mut rng, teams.len())].to_owned());
        // The fields as a client could send them, read as the server reads a frame.
        let (verb, id, option) = (verb.to_owned(), id, option);
        let frame =
            match Step::from_columns(&verb, &id, option.as_deref()).or_else(|_| Step::from_columns(&verb, &id, None)) {
                _ if verb == "sync" => json!({ "type": "sync", "team": team }),
                Ok(step) => serde_json::to_value(ClientMsg::Step { turn, step, team }).expect("JSON"),
                // Not a step: the fields as they come.
                Err(_) => {
                    let step: serde_json::Map<String, Value> = [(verb, json!({ "id": id }))].into_iter().collect();
                    json!({ "type": "step", "turn": turn, "step": step, "team": team })
                }
            };
        let Ok(msg) = serde_json::from_value::<ClientMsg>(frame) else { continue };
        if w.handle(&mut store, role, &msg).is_ok() {
            accepted += 1;
        }
        if n % 500 == 499 {
            let stored = store.load().expect("read back").remove(0);
            let rebuilt = Workshop::rebuild(stored).expect("what was stored replays");
            for (a, b) in rebuilt.teams.iter().zip(&w.teams) {
                assert_eq!(a.game.log(), b.game.log(), "team {} after request {n}", a.name);
            }
        }
    }
    // Most fuzzed requests are refused (junk ids, wrong turns, wrong roles); some hundreds
    // must get through, or the replay check above proves little.
    assert!(accepted >= 100, "the fuzzer reaches play, not only refusals: {accepted} accepted");
    assert!(
        w.teams.iter().all(|t| t.game.turn() > 2),
        "games moved on: {:?}",
        w.teams.iter().map(|t| t.game.turn()).collect::<Vec<_>>()
    );
}

/// The turn timer is the facilitator's, kept as a deadline in the database: when it runs
/// out every unfinished team's turn ends (time up, as in the app), the next turn gets its
/// own deadline, and a server restarted meanwhile finds both the games and the deadline.
#[test]
fn the_turn_timer_is_a_stored_deadline_that_ends_every_teams_turn() {
    use ttx::serve::now_ms;
    use ttx::serve::store::{Store, Timer};
    use ttx::serve::workshop::{Role, Workshop};
    let dir = empty_dir("ttx-serve-timer");
    let db = dir.join("w.sqlite3");
    let mut store = Store::open(&db).expect("db");
    let mut w = red_and_blue(&mut store, "timed", 2);
    let req = |_: &str, option: &str| ClientMsg::Timer {
        order: match option {
            "pause" => TimerOrder::Pause,
            "resume" => TimerOrder::Resume,
            "off" => TimerOrder::Off,
            seconds => TimerOrder::Start { seconds: seconds.parse().expect("seconds") },
        },
    };
    assert!(w.handle(&mut store, Role::Team(0), &req("timer", "60")).is_err(), "a team cannot set it");
    assert!(w.handle(&mut store, Role::Facilitator, &req("timer", "0")).is_err());
    assert!(w.handle(&mut store, Role::Facilitator, &req("timer", "86401")).is_err());
    assert!(serde_json::from_str::<ClientMsg>(r#"{"type": "timer", "order": "soon"}"#).is_err());
    let before = now_ms();
    w.handle(&mut store, Role::Facilitator, &req("timer", "90")).expect("set");
    let Timer { seconds, deadline_ms: deadline, paused_left_ms: None } = w.timer.expect("running") else {
        panic!("not paused")
    };
    assert_eq!(seconds, 90);
    assert!((before + 90_000..=now_ms() + 90_000).contains(&deadline), "{deadline}");

    assert!(!w.expire(&mut store, deadline - 1).expect("checked"), "not yet");
    assert!(w.teams.iter().all(|t| t.game.turn() == 0));
    assert!(w.expire(&mut store, deadline).expect("ran out"));
    for t in &w.teams {
        assert_eq!(t.game.turn(), 1, "{}'s turn ended", t.name);
        assert!(t.game.log().iter().any(|o| matches!(o, ttx::sim::Outcome::Facilitator { act: Intervention::TimeUp })));
    }
    let next = Timer { seconds: 90, deadline_ms: deadline + 90_000, paused_left_ms: None };
    assert_eq!(w.timer, Some(next), "the next turn has its own deadline");

    // Paused, the time left is kept (and nothing ends however late it gets), through a
    // restart too; resumed, the turn ends that much later.
    assert!(w.handle(&mut store, Role::Facilitator, &req("timer", "resume")).is_err(), "it is running");
    assert!(w.handle(&mut store, Role::Team(1), &req("timer", "pause")).is_err(), "a team cannot pause it");
    let paused_at = now_ms();
    w.handle(&mut store, Role::Facilitator, &req("timer", "pause")).expect("pause");
    let left = w.timer.and_then(|t| t.paused_left_ms).expect("paused");
    assert!((next.deadline_ms - now_ms()..=next.deadline_ms - paused_at).contains(&left), "{left} ms left");
    assert!(w.handle(&mut store, Role::Facilitator, &req("timer", "pause")).is_err(), "already paused");
    assert!(!w.expire(&mut store, i64::MAX / 2).expect("checked"), "a paused timer ends nothing");
    assert!(w.teams.iter().all(|t| t.game.turn() == 1));
    let told = w.timer_msg(now_ms());
    assert_eq!(told, ttx::protocol::ServerMsg::Timer { seconds: Some(90), left_ms: Some(left), paused: true });
    drop(store);
    let mut store = Store::open(&db).expect("reopened");
    w = Workshop::rebuild(store.load().expect("load").remove(0)).expect("rebuilt");
    assert_eq!(w.timer.and_then(|t| t.paused_left_ms), Some(left), "paused through a restart");
    let resumed_at = now_ms();
    w.handle(&mut store, Role::Facilitator, &req("timer", "resume")).expect("resume");
    let resumed = w.timer.expect("running");
    assert_eq!(resumed.paused_left_ms, None);
    assert!((resumed_at + left..=now_ms() + left).contains(&resumed.deadline_ms), "{resumed:?}");
    assert!(w.expire(&mut store, resumed.deadline_ms).expect("ran out"));
    assert!(w.teams.iter().all(|t| t.game.turn() == 2));

    // A restart: the games and the deadline come back from the database.
    drop(store);
    let store = Store::open(&db).expect("reopened");
    let back = Workshop::rebuild(store.load().expect("load").remove(0)).expect("rebuilt");
    assert_eq!(back.timer, w.timer);
    for (a, b) in back.teams.iter().zip(&w.teams) {
        assert_eq!(a.game.log(), b.game.log());
    }
    let mut store = store;
    let mut w = back;
    w.handle(&mut store, Role::Facilitator, &req("timer", "off")).expect("off");
    assert_eq!(w.timer, None);
    assert!(!w.expire(&mut store, i64::MAX).expect("checked"), "off: nothing ends");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Players may type their team's short code instead of opening its link (in any case, with
/// or without the dash, O for 0); in a synchronized session only the facilitator ends the
/// turns; and guessing codes is slowed per network without locking out a room that shares
/// one address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_codes_join_a_team_synchronized_pace_and_a_room_behind_one_address_gets_in() {
    let dir = empty_dir("ttx-serve-codes");
    let (addr, server) = start(&dir.join("w.sqlite3")).await;
    let (status, body) =
        http(addr, "POST", "/api/sessions", r#"{"teams": ["Red", "Blue"], "pace": "sometimes"}"#).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) =
        http(addr, "POST", "/api/sessions", r#"{"teams": ["Red", "Blue"], "seed": 4, "pace": "synchronized"}"#).await;
    assert_eq!(status, 200, "{body}");
    let created: Value = serde_json::from_str(&body).expect("JSON");
    let codes: Vec<String> = created["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .map(|t| t["code"].as_str().expect("code").to_owned())
        .collect();
    for code in &codes {
        assert_eq!(code.len(), 9, "{code}");
        assert_eq!(&code[4..5], "-", "{code}");
        assert!(!code.contains(['I', 'L', 'O', 'U']), "{code}");
    }
    assert_ne!(codes[0], codes[1]);
    // Typed as people type: lower case, no dash, the letter O for a zero.
    let typed = codes[1].replace('-', "").to_lowercase().replace('0', "o");
    let mut blue = connect(addr, &typed).await;
    let welcome = next(&mut blue, "welcome").await;
    assert_eq!((welcome["team"].as_str(), welcome["pace"].as_str()), (Some("Blue"), Some("synchronized")));
    assert_eq!(welcome["codes"], json!([]), "a team does not see the others' codes");
    // Synchronized: the team moves but does not end its turn; the facilitator does.
    assert_eq!(send(&mut blue, req("take", "brief_stores")).await["type"], "ok");
    let refused = send(&mut blue, with(req("end_turn", ""), "turn", 0)).await;
    assert!(refused["message"].as_str().expect("why").contains("facilitator ends the turns"), "{refused}");
    let mut fac = connect(addr, created["facilitator"].as_str().expect("token")).await;
    let welcome = next(&mut fac, "welcome").await;
    assert_eq!(welcome["codes"], json!(codes), "the facilitator hands out the codes");
    assert_eq!(send(&mut fac, with(req("end_turn", ""), "team", "*")).await["type"], "ok");
    assert_eq!(next(&mut blue, "view").await["view"]["turn"]["turn"], 1);

    // A room behind one address (an office, a conference Wi-Fi): 50 players join at once,
    // each typing a wrong code three times before the right one. 150 misses is past one
    // network's burst, so the last attempts are answered one by one: slowed, and every
    // player gets in.
    let url = move |token: &str| format!("ws://{addr}/api/ws?token={token}");
    let status_of = |e: tokio_tungstenite::tungstenite::Error| match e {
        tokio_tungstenite::tungstenite::Error::Http(r) => r.status().as_u16(),
        other => panic!("not an HTTP refusal: {other}"),
    };
    let began = std::time::Instant::now();
    let room: Vec<_> = (0..50)
        .map(|p: usize| {
            let right = codes[p % 2].clone();
            tokio::spawn(async move {
                for t in 0..3 {
                    let wrong = format!("ZZZZ-{p:02}{t:02}");
                    let e = tokio_tungstenite::connect_async(url(&wrong)).await.expect_err("a wrong code");
                    assert_eq!(status_of(e), 403, "{wrong}");
                }
                let (ws, _) = tokio_tungstenite::connect_async(url(&right)).await.expect("the right code gets in");
                ws
            })
        })
        .collect();
    let mut players = Vec::new();
    for p in room {
        players.push(p.await.expect("a player"));
    }
    assert_eq!(players.len(), 50);
    let slowed = (150.0 - ttx::serve::guessing::ADDRESS_BURST) / ttx::serve::guessing::ADDRESS_PER_SECOND;
    assert!(
        began.elapsed().as_secs_f64() >= 0.8 * slowed,
        "attempts past the burst wait their turn: {:?} for {slowed} s of queue",
        began.elapsed()
    );
    drop(players);
    // Those already in play on.
    assert_eq!(send(&mut blue, req("note", "still here")).await["type"], "ok");
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Creating sessions is held to a rate even with the operator key (each creation may
/// validate megabytes of scenario): the burst, then a refusal that says when to come back
/// (`Retry-After`), then one again after that wait. Strangers are refused before they
/// spend any of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_sessions_is_rate_limited_even_with_the_key() {
    let dir = empty_dir("ttx-serve-rate");
    let (addr, server) = start(&dir.join("workshops.sqlite3")).await;
    for _ in 0..100 {
        let (status, _) = http_as(addr, "POST", "/api/sessions", r#"{"teams": ["A"]}"#, None).await;
        assert_eq!(status, 401);
    }
    // Broken requests count too: the limit is on the work asked for, not on success.
    let began = std::time::Instant::now();
    let mut accepted = 0;
    let refusal = loop {
        let text = http_whole(addr, "POST", "/api/sessions", r#"{"teams": []}"#, Some(OPERATOR_KEY)).await;
        if text.starts_with("HTTP/1.1 400") {
            accepted += 1;
            assert!(accepted <= 200, "never refused");
            continue;
        }
        break text;
    };
    let burst = ttx::serve::CREATE_BURST;
    let refilled = began.elapsed().as_secs_f64() * ttx::serve::CREATE_PER_SECOND;
    assert!(f64::from(accepted) >= burst && f64::from(accepted) <= burst + refilled.ceil(), "{accepted} in the burst");
    assert!(refusal.starts_with("HTTP/1.1 429"), "{refusal}");
    let head = refusal.to_ascii_lowercase();
    let wait: u64 = head
        .lines()
        .find_map(|l| l.strip_prefix("retry-after: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("a Retry-After header");
    assert!((1..=2).contains(&wait), "{refusal}");
    assert!(refusal.contains("try again in"), "{refusal}");
    tokio::time::sleep(std::time::Duration::from_millis(wait * 1000 + 100)).await;
    let (status, body) = http(addr, "POST", "/api/sessions", r#"{"teams": ["Red"]}"#).await;
    assert_eq!(status, 200, "after the wait: {body}");
    let (status, _) = http(addr, "POST", "/api/sessions", r#"{"teams": ["Red"]}"#).await;
    assert_eq!(status, 429, "and one only");
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// How many WebSocket connections the server holds (`GET /api/health`).
async fn open_connections(addr: SocketAddr) -> u64 {
    let (status, body) = http(addr, "GET", "/api/health", "").await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Value>(&body).expect("JSON")["connections"].as_u64().expect("connections")
}

/// A server in a new folder `name` with connection limits of `idle` and `send` seconds,
/// and a one-team session on it: the folder, the address, the server and the team's token.
async fn limited(
    name: &str,
    idle: u64,
    send: u64,
) -> (std::path::PathBuf, SocketAddr, tokio::task::JoinHandle<()>, String) {
    let dir = empty_dir(name);
    let limits = ttx::serve::connections::Limits {
        idle: std::time::Duration::from_secs(idle),
        send: std::time::Duration::from_secs(send),
    };
    let options = ttx::serve::Options { limits, ..ttx::serve::Options::new(Some(OPERATOR_KEY.into()), 30) };
    let (addr, server) = start_with(&dir.join("workshops.sqlite3"), options).await;
    let (status, body) = http(addr, "POST", "/api/sessions", r#"{"teams": ["Red"]}"#).await;
    assert_eq!(status, 200, "{body}");
    let created: Value = serde_json::from_str(&body).expect("JSON");
    let token = created["teams"][0]["token"].as_str().expect("token").to_owned();
    (dir, addr, server, token)
}

/// Reads what `ws` was sent until the server ends the connection (true), or for at most
/// 5 s (false: still open; a live connection keeps receiving pings).
async fn ended_by_server(ws: &mut Socket) -> bool {
    let until = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(until, ws.next()).await {
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return true,
            Ok(Some(Ok(_))) => {}
            Err(_) => return false,
        }
    }
}

/// A client that goes silent (no frame, not even the answer to a ping) is closed after the
/// idle limit (`--idle-timeout`), while one that keeps talking stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_client_is_closed_after_the_idle_limit_and_a_talking_one_stays() {
    let (dir, addr, server, token) = limited("ttx-serve-idle", 3, 10).await;
    let mut silent = connect(addr, &token).await;
    let mut talking = connect(addr, &token).await;
    assert_eq!(open_connections(addr).await, 2);
    // Talking: a request every half second for 6 s (twice the limit).
    for _ in 0..12 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(send(&mut talking, json!({ "type": "sync" })).await["type"], "ok");
    }
    assert_eq!(open_connections(addr).await, 1, "the silent one is gone");
    assert!(ended_by_server(&mut silent).await, "closed by the server");
    assert!(!ended_by_server(&mut talking).await, "the talking one is open");
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A device that stops reading while its team plays on: its frames pile up in the kernel's
/// buffers, then wait, and past the send limit (`--send-timeout`) the server ends the
/// connection instead of holding the frames; its teammate's moves are answered throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_reader_is_cut_off_and_its_team_plays_on() {
    let (dir, addr, server, token) = limited("ttx-serve-stall", 600, 1).await;
    // A small receive buffer, so the frames wait soon; it reads nothing from here on.
    let tcp = tokio::net::TcpSocket::new_v4().expect("socket");
    tcp.set_recv_buffer_size(4096).expect("a small buffer");
    let stream = tcp.connect(addr).await.expect("connect");
    let (mut stalled, _) = tokio_tungstenite::client_async(
        format!("ws://{addr}/api/ws?token={token}"),
        tokio_tungstenite::MaybeTlsStream::Plain(stream),
    )
    .await
    .expect("ws");
    let mut player = connect(addr, &token).await;
    assert_eq!(open_connections(addr).await, 2);
    // The teammate plays on (long notes make big views), ending each turn that fills up,
    // until the server has let the stalled reader go; bounded.
    let note = "x".repeat(2_000);
    let (mut moves, mut cut, mut turn) = (0, false, 0);
    while moves < 2_000 && !cut {
        let reply = send(&mut player, json!({ "type": "step", "step": { "note": { "text": note } } })).await;
        if reply["type"] == "error" {
            // The turn is full of notes.
            let end = send(&mut player, json!({ "type": "step", "turn": turn, "step": "end_turn" })).await;
            assert_eq!(end["type"], "ok", "{reply} then {end}");
            turn += 1;
        }
        moves += 1;
        if moves % 50 == 0 {
            cut = open_connections(addr).await == 1;
        }
    }
    assert!(cut, "the stalled reader was never cut off ({moves} moves)");
    assert!(ended_by_server(&mut stalled).await, "its connection was ended");
    assert_eq!(send(&mut player, json!({ "type": "sync" })).await["type"], "ok", "the player is still there");
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The operator deletes a session: only with the key; its links stop working; a second
/// delete finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_deletes_a_session_and_its_links_stop_working() {
    let dir = empty_dir("ttx-serve-delete");
    let (addr, server) = start(&dir.join("w.sqlite3")).await;
    let (status, body) = http(addr, "POST", "/api/sessions", r#"{"teams": ["Red"]}"#).await;
    assert_eq!(status, 200, "{body}");
    let created: Value = serde_json::from_str(&body).expect("JSON");
    let id = created["session"].as_str().expect("id").to_owned();
    let red = created["teams"][0]["token"].as_str().expect("token").to_owned();
    let mut player = connect(addr, &red).await;
    next(&mut player, "welcome").await;
    let path = format!("/api/sessions/{id}");
    let (status, body) = http_as(addr, "DELETE", &path, "", None).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = http(addr, "DELETE", &path, "").await;
    assert_eq!(status, 200, "{body}");
    // The connected player's connection ends; the link no longer opens anything.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while let Some(Ok(m)) = player.next().await {
            if m.is_close() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the player's connection ends with the session");
    let refused = tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?token={red}")).await;
    assert!(refused.is_err(), "the deleted session's link is refused");
    let (status, _) = http(addr, "DELETE", &path, "").await;
    assert_eq!(status, 404);
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The longest any step of the crash test waits.
const WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// A `ttx serve` process, killed when dropped, so a failing test leaves no server behind.
struct ServeProcess(std::process::Child);

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ttx serve` with `args`. Its output's lines arrive on the receiver, read by a
/// thread until the process ends, so the server never blocks on a full pipe.
fn spawn_serve(args: &[&str]) -> (ServeProcess, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("ttx serve runs");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (ServeProcess(child), rx)
}

/// An empty folder of this test process under the system's temporary folder.
fn empty_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// The next line `ttx serve` prints; None once it has exited.
async fn printed(lines: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> Option<String> {
    tokio::time::timeout(WAIT, lines.recv()).await.expect("ttx serve printed nothing within 20 s")
}

/// The address in `ttx serve: http://127.0.0.1:PORT/ (…)`.
fn served_at(line: &str) -> SocketAddr {
    let rest = line.strip_prefix("ttx serve: http://").unwrap_or_else(|| panic!("not the address: {line}"));
    rest.split('/').next().and_then(|a| a.parse().ok()).unwrap_or_else(|| panic!("no address in {line}"))
}

/// The reply (`ok` or `error`) to the request in flight; None when the connection drops.
async fn reply_or_drop(ws: &mut Socket) -> Option<Value> {
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next()).await.expect("no reply and no drop within 20 s");
        match msg {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(t.as_str()).expect("JSON");
                if v["type"] == "ok" || v["type"] == "error" {
                    return Some(v);
                }
            }
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// Each team's steps acknowledged so far, and a wake-up for the test at every one.
struct Progress {
    acked: Vec<std::sync::atomic::AtomicUsize>,
    step: tokio::sync::Notify,
}

fn request(step: &StepAt) -> Value {
    serde_json::to_value(ClientMsg::Step { turn: Some(step.turn), step: step.step.clone(), team: None }).expect("JSON")
}

/// The game after the steps of `script`.
fn replayed(sc: &Arc<Scenario>, seed: u64, script: &[StepAt]) -> Game {
    let mut game = Game::new(Arc::clone(sc), seed);
    for step in script {
        apply_step(&mut game, step).expect("the script replays");
    }
    game
}

/// Team `k`'s script, played offline so that it holds only steps the engine accepts: notes,
/// with a 7pay card to take every few steps (a note instead when the card is refused), and
/// the turn's end every 20 steps until the game is over.
fn crash_script(sc: &Arc<Scenario>, seed: u64, k: usize) -> Vec<StepAt> {
    let mut game = Game::new(Arc::clone(sc), seed);
    let mut script = Vec::new();
    while !game.is_finished() {
        let n = script.len();
        let turn = game.turn();
        let step = |verb: &str, id: String| StepAt { turn, step: Step::from_columns(verb, &id, None).expect("a step") };
        let note = step("note", format!("t{k} step {n}"));
        let planned = if n % 20 == 19 {
            step("end_turn", String::new())
        } else if (n + k).is_multiple_of(4) {
            step("take", sc.mitigations[(n * 7 + k * 5) % sc.mitigations.len()].id.clone())
        } else {
            note.clone()
        };
        let mut trial = game.clone();
        let step = if apply_step(&mut trial, &planned).is_ok() {
            game = trial;
            planned
        } else {
            apply_step(&mut game, &note).expect("a note is accepted");
            note
        };
        script.push(step);
    }
    script
}

/// One team's player for the crash test: plays its script one acknowledged step at a time
/// until the server dies, then reconnects to the restarted server, checks what was kept and
/// plays on to the end. Returns the steps acknowledged before the crash and those stored.
async fn play_through_a_crash(
    addr: SocketAddr,
    (token, facilitator): (String, &str),
    k: usize,
    (sc, seed, script): (Arc<Scenario>, u64, Arc<Vec<StepAt>>),
    progress: Arc<Progress>,
    mut restarted: tokio::sync::watch::Receiver<Option<SocketAddr>>,
) -> (usize, usize) {
    let mut ws = connect(addr, &token).await;
    assert_eq!(next(&mut ws, "welcome").await["team"], format!("T{k}"));
    let mut acked = 0;
    loop {
        assert!(acked < script.len(), "team T{k} played its whole script before the server was killed");
        if ws.send(Message::Text(request(&script[acked]).to_string().into())).await.is_err() {
            break;
        }
        match reply_or_drop(&mut ws).await {
            Some(v) if v["type"] == "ok" => {
                acked += 1;
                progress.acked[k].store(acked, std::sync::atomic::Ordering::SeqCst);
                progress.step.notify_one();
            }
            Some(v) => panic!("team T{k}, step {acked} {:?}: {v}", script[acked]),
            None => break,
        }
    }

    let addr = tokio::time::timeout(WAIT, restarted.wait_for(Option::is_some))
        .await
        .expect("the server restarts within 20 s")
        .expect("the test still runs")
        .expect("an address");
    let mut ws = connect(addr, &token).await;
    let view = next(&mut ws, "view").await;
    let seq = view["seq"].as_u64().expect("seq") as usize;
    // Every acknowledged step was kept; at most the one in flight was kept unacknowledged.
    assert!((acked..=acked + 1).contains(&seq), "team T{k}: {acked} acknowledged, {seq} stored");
    let kept = replayed(&sc, seed, &script[..seq]);
    assert_eq!(view["view"], expected_view(&kept), "team T{k}'s players see the game kept");
    // The facilitator's copy of the team's game: the very log.
    let mut fac = connect(addr, facilitator).await;
    let (_, save) = synced_log(&mut fac, Some(&format!("T{k}"))).await;
    assert_eq!(save.log, kept.log(), "team T{k} after the crash");
    for (n, step) in script.iter().enumerate().skip(seq) {
        let reply = send(&mut ws, request(step)).await;
        assert_eq!(reply["type"], "ok", "team T{k}, step {n} after the restart: {reply}");
    }
    let (seq, view) = synced_view(&mut ws).await;
    assert_eq!(seq, script.len() as u64);
    let offline = replayed(&sc, seed, &script);
    assert!(offline.is_finished());
    assert_eq!(view, expected_view(&offline), "team T{k}'s view at the end");
    let (_, save) = synced_log(&mut fac, Some(&format!("T{k}"))).await;
    assert_eq!(save.log, offline.log(), "team T{k} at the end");
    (acked, seq as usize)
}

/// `kill -9` of the server process in the middle of a busy turn: four teams each play a
/// script of a few hundred steps as fast as they are acknowledged; the server is killed
/// while every team has a request in flight and restarted on the same database. Every
/// acknowledged step is there, nothing is invented (at most the request in flight was kept
/// without its acknowledgement), and each team's game continues to the very game played
/// offline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_under_load_loses_no_acknowledged_step_and_the_games_continue_identically() {
    let dir = empty_dir("ttx-serve-crash");
    let db = dir.join("w.sqlite3");
    let db = db.to_str().expect("a UTF-8 path");
    let seed = 5;
    let (server, mut lines) = spawn_serve(&[
        "serve",
        "--port",
        "0",
        "--web",
        "/nonexistent",
        "--db",
        db,
        "--teams",
        "T0,T1,T2,T3",
        "--seed",
        &seed.to_string(),
    ]);
    let mut seen = Vec::new();
    while !seen.iter().any(|l: &String| l.starts_with("facilitator")) {
        seen.push(printed(&mut lines).await.unwrap_or_else(|| panic!("ttx serve exited: {seen:?}")));
    }
    let addr = served_at(&seen[0]);
    assert!(!seen.iter().any(|l| l.starts_with("resumed")), "a new session is not a resumed one: {seen:?}");
    let tokens: Vec<String> = (0..4)
        .map(|k| {
            let line = seen.iter().find(|l| l.trim_start().starts_with(&format!("T{k}: "))).expect("a team's link");
            line.rsplit("?join=").next().expect("a token").to_owned()
        })
        .collect();

    let facilitator: Arc<str> = seen
        .iter()
        .find(|l| l.starts_with("facilitator"))
        .and_then(|l| l.rsplit("?join=").next())
        .expect("the facilitator's link")
        .into();
    let (name, text) = ttx::serve::bundled(None).expect("7pay");
    let sc = Arc::new(ttx::sim::load_str(&text, &name).expect("loads").scenario);
    let scripts: Vec<Arc<Vec<StepAt>>> = (0..4).map(|k| Arc::new(crash_script(&sc, seed, k))).collect();
    let progress = Arc::new(Progress {
        acked: (0..4).map(|_| std::sync::atomic::AtomicUsize::new(0)).collect(),
        step: tokio::sync::Notify::new(),
    });
    let (restart, restarted) = tokio::sync::watch::channel(None);
    let mut players: Vec<_> = (0..4)
        .map(|k| {
            let script = (Arc::clone(&sc), seed, Arc::clone(&scripts[k]));
            let facilitator = Arc::clone(&facilitator);
            let (progress, restarted) = (Arc::clone(&progress), restarted.clone());
            let tokens = tokens.clone();
            tokio::spawn(async move {
                play_through_a_crash(addr, (tokens[k].clone(), &facilitator), k, script, progress, restarted).await
            })
        })
        .collect();

    // The kill: once every team has 40% of its script acknowledged, all of them still sending.
    let busy =
        || (0..4).all(|k| progress.acked[k].load(std::sync::atomic::Ordering::SeqCst) * 5 >= scripts[k].len() * 2);
    while !busy() {
        if let Some(p) = players.iter_mut().find(|p| p.is_finished()) {
            p.await.expect("a player failed");
            panic!("a player stopped before the server was killed");
        }
        tokio::time::timeout(WAIT, progress.step.notified()).await.expect("no step acknowledged within 20 s");
    }
    let mut server = server;
    server.0.kill().expect("kill -9");
    server.0.wait().expect("the server is gone");

    // The same port again (tried a few times, should it not be free at once), the same database.
    let port = addr.port().to_string();
    let mut tries = 0;
    let (server, _lines) = loop {
        let (p, mut lines) = spawn_serve(&["serve", "--port", &port, "--web", "/nonexistent", "--db", db]);
        match printed(&mut lines).await {
            Some(line) if line.starts_with("ttx serve: http://") => {
                assert!(line.contains("(1 session(s) resumed"), "{line}");
                assert_eq!(served_at(&line), addr);
                // The session still being played is printed again, with the same links.
                let mut again = Vec::new();
                while !again.iter().any(|l: &String| l.starts_with("facilitator")) {
                    again.push(printed(&mut lines).await.unwrap_or_else(|| panic!("ttx serve exited: {again:?}")));
                }
                assert!(again.iter().any(|l| l.starts_with("resumed session ")), "{again:?}");
                let links = |lines: &[String]| -> Vec<String> {
                    lines.iter().filter(|l| l.contains("?join=")).cloned().collect()
                };
                assert_eq!(links(&again), links(&seen), "the same teams, codes and links");
                break (p, lines);
            }
            other => {
                tries += 1;
                assert!(tries < 20, "ttx serve did not restart on port {port}: {other:?}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    restart.send(Some(addr)).expect("the players wait");
    let mut counts = Vec::new();
    for (k, p) in players.into_iter().enumerate() {
        let (acked, seq) = tokio::time::timeout(WAIT * 2, p).await.expect("a player finishes").expect("a player");
        counts.push(format!("T{k}: {acked} acknowledged, {seq} stored, of {}", scripts[k].len()));
    }
    println!("killed mid-play: {}", counts.join("; "));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Several teams' steps are stored together or not at all: when the database refuses one
/// team's step, neither `*` nor the turn timer moves any team (no team ends a turn twice
/// once the database is back). Steps that change nothing (an empty note, a note after the
/// game) are refused rather than stored.
#[test]
fn a_step_for_every_team_is_stored_for_all_or_for_none() {
    use ttx::serve::store::{Store, Timer};
    use ttx::serve::workshop::{Role, Workshop};
    let dir = empty_dir("ttx-serve-atomic");
    let db = dir.join("w.sqlite3");
    let mut store = Store::open(&db).expect("db");
    let mut w = red_and_blue(&mut store, "atomic", 9);
    let req = |verb: &str, id: &str, team: Option<&str>| ClientMsg::Step {
        turn: None,
        step: Step::from_columns(verb, id, None).expect("a step"),
        team: team.map(str::to_owned),
    };
    // The database fails Blue's steps (team 1), as a full disk might, mid-transaction.
    let other = rusqlite::Connection::open(&db).expect("a second connection");
    other
        .execute_batch(
            "CREATE TRIGGER fail BEFORE INSERT ON steps WHEN NEW.team = 1 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .expect("trigger");
    let all = w.handle(&mut store, Role::Facilitator, &req("end_turn", "", Some("*")));
    assert!(
        all.as_ref().is_err_and(|e| e.code == ttx::protocol::Code::NotSaved && e.message.contains("disk full")),
        "{all:?}"
    );
    assert_eq!(w.teams.iter().map(|t| t.game.turn()).collect::<Vec<_>>(), [0, 0], "neither team moved");
    // The timer runs out while the database fails: nothing moves, the deadline stays.
    let timer = Timer { seconds: 60, deadline_ms: 1_000, paused_left_ms: None };
    store.set_timer("atomic", Some(timer)).expect("timer");
    w.timer = Some(timer);
    assert!(w.expire(&mut store, 2_000).is_err());
    assert_eq!(w.teams.iter().map(|t| t.game.turn()).collect::<Vec<_>>(), [0, 0]);
    assert_eq!(w.timer, Some(timer));
    // The database is back: the next tick ends each turn once, and the next deadline is set.
    other.execute_batch("DROP TRIGGER fail;").expect("drop");
    assert!(w.expire(&mut store, 2_250).expect("ran out"));
    assert!(!w.expire(&mut store, 2_500).expect("checked"), "the next turn has its own deadline");
    assert_eq!(w.teams.iter().map(|t| t.game.turn()).collect::<Vec<_>>(), [1, 1], "one turn each");
    assert_eq!(w.timer.map(|t| t.deadline_ms), Some(2_250 + 60_000));
    let stored = Workshop::rebuild(store.load().expect("load").remove(0)).expect("rebuilt");
    for (a, b) in stored.teams.iter().zip(&w.teams) {
        assert_eq!(a.game.log(), b.game.log(), "what is stored is what is played");
    }

    // Notes that change nothing are not stored.
    let steps = w.teams[0].steps;
    for blank in ["", "   "] {
        let r = w.handle(&mut store, Role::Team(0), &req("note", blank, None));
        assert!(r.is_err(), "{blank:?}: {r:?}");
    }
    while !w.teams[0].game.is_finished() {
        w.handle(&mut store, Role::Facilitator, &req("end_turn", "", Some("*"))).expect("end");
    }
    let steps_at_end = w.teams[0].steps;
    assert!(steps_at_end > steps);
    let late = w.handle(&mut store, Role::Team(0), &req("note", "after the game", None));
    assert!(late.is_err(), "{late:?}");
    assert_eq!(w.teams[0].steps, steps_at_end, "nothing stored after the game");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The facilitator steps a team (or every team) back a turn from the console: stored like
/// any step, replayed to the same game, refused to a team's token.
#[test]
fn the_facilitator_steps_a_team_back_a_turn() {
    use ttx::serve::store::Store;
    use ttx::serve::workshop::{Role, Workshop};
    let mut store = Store::in_memory().expect("db");
    let mut w = red_and_blue(&mut store, "back", 4);
    let req = |verb: &str, team: &str, turn: Option<usize>| ClientMsg::Step {
        turn,
        step: Step::from_columns(verb, "", None).expect("a step"),
        team: Some(team.into()),
    };
    let turns = |w: &Workshop| w.teams.iter().map(|t| t.game.turn()).collect::<Vec<_>>();
    assert!(w.handle(&mut store, Role::Facilitator, &req("step_back", "Red", Some(0))).is_err(), "no earlier turn");
    for _ in 0..2 {
        w.handle(&mut store, Role::Facilitator, &req("end_turn", "*", None)).expect("end");
    }
    assert_eq!(turns(&w), [2, 2]);
    let denied = w.handle(&mut store, Role::Team(0), &req("step_back", "Red", Some(2)));
    assert!(denied.is_err_and(|e| e.code == ttx::protocol::Code::FacilitatorOnly));
    w.handle(&mut store, Role::Facilitator, &req("step_back", "Red", Some(2))).expect("back");
    assert_eq!(turns(&w), [1, 2]);
    w.handle(&mut store, Role::Facilitator, &req("step_back", "*", None)).expect("all back");
    assert_eq!(turns(&w), [0, 1]);
    let rebuilt = Workshop::rebuild(store.load().expect("load").remove(0)).expect("replays");
    for (a, b) in rebuilt.teams.iter().zip(&w.teams) {
        assert_eq!(a.game.log(), b.game.log(), "team {}", a.name);
    }
}

/// A self-signed certificate for localhost, written as PEM files into `dir`: (cert, key, DER).
fn self_signed(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, rustls_der::CertificateDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("write cert");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("write key");
    (cert, key, made.cert.der().clone())
}

/// A TLS connection to `addr` that trusts only `cert`, for the name localhost.
async fn tls_connect(
    addr: SocketAddr,
    cert: &rustls_der::CertificateDer<'static>,
) -> std::io::Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    use tokio_rustls::rustls;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.clone()).expect("a root");
    #[allow(deprecated)] // ring's provider, as the server uses
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(addr).await?;
    let name = rustls_der::ServerName::try_from("localhost").expect("name");
    tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await
}

#[tokio::test]
async fn tls_serves_https_and_wss_and_refuses_bad_certificates() {
    let dir = empty_dir("ttx-serve-tls");
    let (cert, key, der) = self_signed(&dir);
    let db = dir.join("w.sqlite3");
    let (cert_s, key_s, db_s) = (cert.to_str().expect("utf8"), key.to_str().expect("utf8"), db.to_str().expect("utf8"));
    let (_server, mut lines) = spawn_serve(&[
        "serve",
        "--port",
        "0",
        "--web",
        "/nonexistent",
        "--db",
        db_s,
        "--tls-cert",
        cert_s,
        "--tls-key",
        key_s,
        "--teams",
        "Red",
    ]);
    let first = printed(&mut lines).await.expect("ttx serve printed its address");
    let rest = first.strip_prefix("ttx serve: https://").unwrap_or_else(|| panic!("not https: {first}"));
    let addr: SocketAddr = rest.split('/').next().and_then(|a| a.parse().ok()).expect("address");
    let mut seen = Vec::new();
    while !seen.iter().any(|l: &String| l.starts_with("facilitator")) {
        seen.push(printed(&mut lines).await.unwrap_or_else(|| panic!("ttx serve exited: {seen:?}")));
    }
    let team_link = seen.iter().find(|l| l.contains("Red:")).expect("Red's link");
    assert!(team_link.contains(&format!("https://{addr}/?join=")), "{team_link}");
    let token = team_link.rsplit("?join=").next().expect("token").trim().to_owned();

    // HTTPS: the health check over TLS.
    let mut tls = tls_connect(addr, &der).await.expect("TLS handshake");
    tls.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.expect("send");
    let mut out = Vec::new();
    tls.read_to_end(&mut out).await.expect("read");
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");

    // WSS: a team joins and is welcomed.
    let tls = tls_connect(addr, &der).await.expect("TLS handshake");
    let (mut ws, _) =
        tokio_tungstenite::client_async(format!("wss://localhost:{}/api/ws?token={token}", addr.port()), tls)
            .await
            .expect("WebSocket over TLS");
    let welcome = loop {
        let msg =
            tokio::time::timeout(WAIT, ws.next()).await.expect("a frame within 20 s").expect("open").expect("frame");
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(t.as_str()).expect("JSON");
            if v["type"] == "welcome" {
                break v;
            }
        }
    };
    assert_eq!(welcome["seat"], "team");

    // Plain HTTP on the TLS port gets no HTTP answer; a client that does not trust the
    // certificate does not get in; a silent client does not hold up the next one.
    let _silent = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut plain = tokio::net::TcpStream::connect(addr).await.expect("connect");
    plain.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.expect("send");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(WAIT, plain.read_to_end(&mut out)).await.expect("the server closes it");
    assert!(!String::from_utf8_lossy(&out).contains("HTTP/1.1 200"), "plain HTTP was served");
    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
    assert!(tls_connect(addr, other.cert.der()).await.is_err(), "a certificate nobody trusts was accepted");
    assert!(tls_connect(addr, &der).await.is_ok(), "the next client waited for a silent one");

    // Bad files: refused at start, naming the file, with a hint; no server.
    let missing = dir.join("missing.pem");
    let (_, other_key, _) = self_signed(&empty_dir("ttx-serve-tls-other"));
    for (cert_arg, key_arg, names, says) in [
        (missing.as_path(), key.as_path(), &missing, "cannot open the certificate"),
        (key.as_path(), key.as_path(), &key, "holds no certificate"),
        (cert.as_path(), cert.as_path(), &cert, "no private key"),
        (cert.as_path(), other_key.as_path(), &other_key, "does not fit the certificate"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
            .args(["serve", "--port", "0", "--db", db_s, "--tls-cert"])
            .arg(cert_arg)
            .arg("--tls-key")
            .arg(key_arg)
            .output()
            .expect("ttx runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&names.display().to_string()) && err.contains(says) && err.contains("hint:"), "{err}");
        assert!(out.stdout.is_empty(), "a server started: {}", String::from_utf8_lossy(&out.stdout));
    }
    let half = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["serve", "--port", "0", "--db", db_s, "--tls-cert", cert_s])
        .output()
        .expect("ttx runs");
    assert_eq!(half.status.code(), Some(2), "--tls-cert without --tls-key is a usage error");
}

/// Records every text frame `ws` receives until told to stop (or the socket ends).
fn record_frames(mut ws: Socket) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<Vec<String>>) {
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut frames: Vec<String> = Vec::new();
        loop {
            tokio::select! {
                _ = &mut stopped => return frames,
                m = ws.next() => match m {
                    Some(Ok(Message::Text(t))) => frames.push(t.to_string()),
                    Some(Ok(_)) => {}
                    _ => return frames,
                },
            }
        }
    });
    (stop, task)
}

/// Every frame a team's players receive over a whole game, in English and in Japanese, on
/// the bundled 7pay and on a custom scenario uploaded as text: no facilitator's note, no
/// text of an inject that never reached the team, no hidden metric's name, and not the
/// value the facilitator set a hidden metric to. The facilitator, in the same session,
/// receives the whole scenario, notes included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_players_frames_carry_nothing_the_facilitator_keeps() {
    let dir = empty_dir("ttx-serve-frames");
    let (addr, server) = start(&dir.join("w.sqlite3")).await;
    let clinic = std::fs::read_to_string("scenarios/clinic-ransomware.ron").expect("clinic");
    for (label, body) in [
        ("7pay", json!({ "scenario": "7pay-launch-week.ron", "teams": ["Red"], "seed": 3 })),
        ("custom", json!({ "scenario_text": clinic, "teams": ["Red"], "seed": 4 })),
    ] {
        let (status, created) = http(addr, "POST", "/api/sessions", &body.to_string()).await;
        assert_eq!(status, 200, "{created}");
        let created: Value = serde_json::from_str(&created).expect("JSON");
        let token = created["teams"][0]["token"].as_str().expect("token").to_owned();
        let mut fac = connect(addr, created["facilitator"].as_str().expect("token")).await;
        let welcome = next(&mut fac, "welcome").await;
        let text = welcome["scenario_text"].as_str().expect("the facilitator gets the scenario").to_owned();
        let sc = Arc::new(ttx::sim::load_str(&text, "s.ron").expect("loads").scenario);

        // Two players, one reading English and one Japanese, record every frame.
        let mut recorders = Vec::new();
        for lang in ["en", "ja"] {
            let url = format!("ws://{addr}/api/ws?token={token}&lang={lang}");
            let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("ws");
            recorders.push(record_frames(ws));
        }
        // A player guessing the id of a decision still to come learns nothing of it.
        let unfired = sc.injects.iter().rev().find(|i| !i.options.is_empty()).expect("a decision");
        let mut guesser = connect(addr, &token).await;
        let guess = json!({ "type": "step", "turn": 0, "step": { "choose": { "decision": unfired.id, "option": unfired.options[0].id } } });
        let refused = send(&mut guesser, guess).await;
        assert_eq!(refused["type"], "error", "{label}: {refused}");
        assert!(!refused.to_string().contains(&unfired.title), "{label}: the refusal names it: {refused}");
        drop(guesser);
        // The game: a hidden metric set to a telling value, moves, every turn to the end.
        let hidden: Vec<&ttx::sim::scenario::Metric> = sc.metrics.iter().filter(|m| !m.visible).collect();
        let secret = hidden.iter().max_by(|a, b| (a.max - a.min).total_cmp(&(b.max - b.min))).expect("a hidden metric");
        let value = if secret.max >= 5e6 { 4_321_987.0 } else { secret.min + (secret.max - secret.min) * 0.8731 };
        let set =
            json!({ "type": "step", "team": "Red", "step": { "set_metric": { "metric": secret.id, "value": value } } });
        assert_eq!(send(&mut fac, set).await["type"], "ok");
        for m in sc.mitigations.iter().take(3) {
            let _ = send(&mut fac, with(req("take", &m.id), "team", "Red")).await;
        }
        for _ in 0..sc.turns.len() {
            let reply = send(&mut fac, with(req("end_turn", ""), "team", "*")).await;
            assert_eq!(reply["type"], "ok", "{reply}");
        }
        let (_, save) = synced_log(&mut fac, Some("Red")).await;
        let played = save.resume(&sc).expect("the facilitator's copy replays");
        assert!(played.is_finished());
        // Let the last views arrive, then stop recording.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let mut frames = Vec::new();
        for (stop, task) in recorders {
            let _ = stop.send(());
            frames.push(task.await.expect("recorded"));
        }

        // What no frame may hold, in both languages.
        let ja = sc.in_language("ja");
        let long = |t: &str| t.chars().count() >= 24;
        let mut secrets: Vec<(String, String)> = Vec::new();
        for s in [&*sc, &ja] {
            for (k, inj) in s.injects.iter().enumerate() {
                if long(&inj.facilitator_notes) {
                    secrets.push(("a facilitator's note".into(), inj.facilitator_notes.clone()));
                }
                if played.fired_count(ttx::sim::InjectIdx::at(k)) == 0 && long(&inj.text) {
                    secrets.push((format!("unfired inject {}", inj.id), inj.text.clone()));
                }
            }
            for m in s.metrics.iter().filter(|m| !m.visible) {
                secrets.push((format!("hidden metric {}", m.id), m.label.clone()));
            }
            // A card's condition is the model's: players read "not available now".
            for m in s.mitigations.iter().filter(|m| m.unavailable_text.is_empty()) {
                if let Some(f) = m.available.as_ref().filter(|f| f.source().len() >= 8) {
                    secrets.push((format!("the condition of {}", m.id), f.source().to_owned()));
                }
            }
        }
        secrets.push(("the hidden value".into(), format!("{value}")));
        // Its words too, where they are telling ("4,321,987 people", not "87").
        let words = ttx::i18n::Lang::En.tr().quantity(value, secret.measure());
        if words.chars().filter(char::is_ascii_digit).count() >= 4 {
            secrets.push(("the hidden value".into(), words));
        }
        assert!(secrets.iter().filter(|s| s.0 == "a facilitator's note").count() >= 4, "{label}: notes to look for");
        assert!(secrets.iter().any(|s| s.0.starts_with("unfired")), "{label}: some inject never fired");
        let (en, ja_frames) = (&frames[0], &frames[1]);
        assert!(en.len() > sc.turns.len() && ja_frames.len() > sc.turns.len(), "{label}: a view per turn at least");
        for frame in en.iter().chain(ja_frames) {
            for (what, secret) in &secrets {
                assert!(!frame.contains(secret.as_str()), "{label}: {what} reached a player: {secret}");
            }
        }
        // The players saw their game: the Japanese player in Japanese, to the debrief.
        assert!(en.iter().any(|f| f.contains("\"debrief\":{")), "{label}: the debrief reached the players");
        assert!(!en[0].contains("scenario_text\":\""), "{label}: no scenario in a player's welcome");
        if sc.speaks("ja") {
            let title = &ja.meta.title;
            assert!(ja_frames.iter().any(|f| f.contains(title.as_str())), "{label}: Japanese views");
            // The debrief's score parts in Japanese too.
            let part = &ja.scoring.components[0].label;
            let debrief = ja_frames.iter().rev().find(|f| f.contains("\"debrief\":{")).expect("a debrief");
            assert!(debrief.contains(part.as_str()), "{label}: the score's parts in Japanese: {part}");
        }
        // And the facilitator has it all.
        let notes = secrets.iter().find(|s| s.0 == "a facilitator's note").expect("a note");
        assert!(text.contains(notes.1.as_str()) || ja.injects.iter().any(|i| i.facilitator_notes == notes.1));
    }
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Roles at one table, played through the workshop's requests: a move another role owns
/// is proposed and waits for that role's player, who accepts it (a player without the role
/// cannot); a player's own role's move is made at once; a team vote ends at once when
/// everyone has voted, with the most voted answer, or with the default on a tie; a
/// decision a role owns is not put to a vote; the table comes back from the database.
#[test]
fn roles_propose_decide_and_vote_and_the_table_survives_a_restart() {
    use ttx::protocol::{ProposalState, ServerMsg};
    use ttx::serve::store::Store;
    use ttx::serve::workshop::{Role, Workshop};
    let dir = empty_dir("ttx-serve-roles");
    let mut store = Store::open(&dir.join("w.sqlite3")).expect("store");
    let mut w = red_and_blue(&mut store, "roles", 5);
    let (ken, aiko, mio) = (w.arrive(0), w.arrive(0), w.arrive(0));
    let seat = |name: &str, roles: &[&str]| ClientMsg::Seat {
        name: name.into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        player: None,
        team: None,
    };
    let red = Role::Team(0);
    w.handle_as(&mut store, red, ken, &seat("Ken", &["engineering"])).expect("seated");
    w.handle_as(&mut store, red, aiko, &seat("Aiko", &["comms", "support"])).expect("seated");
    w.handle_as(&mut store, red, mio, &seat("Mio", &["lead"])).expect("seated");
    // A role the scenario lacks, someone else's seat, a name too long: refused.
    assert!(w.handle_as(&mut store, red, ken, &seat("Ken", &["cfo"])).is_err());
    assert!(w.handle_as(&mut store, red, ken, &seat(&"K".repeat(41), &[])).is_err());
    let other = ClientMsg::Seat { name: "X".into(), roles: Vec::new(), player: Some(aiko), team: None };
    assert!(w.handle_as(&mut store, red, ken, &other).is_err());
    let step = |s: Step| ClientMsg::Step { turn: None, step: s, team: None };
    let take = |m: &str| step(Step::Take { mitigation: m.into() });
    // Ken's own card is taken at once; the comms card is proposed.
    let own = w.handle_as(&mut store, red, ken, &take("two_factor")).expect("taken");
    assert!(matches!(own, ServerMsg::Ok { ref done, proposed: None, .. } if done.len() == 1), "{own:?}");
    let end = |w: &mut Workshop, store: &mut Store| {
        let turn = w.teams[0].game.turn();
        let end = ClientMsg::Step { turn: Some(turn), step: Step::EndTurn, team: None };
        w.handle_as(store, red, mio, &end).expect("ended");
    };
    // On 3 Jul (fraud in the news), Ken proposes warning the users: comms decides.
    while w.teams[0].game.turn() < 4 {
        end(&mut w, &mut store);
    }
    // Ken's button for the comms card reads Propose; for his own, Take.
    let card = |w: &mut Workshop, p: u64, k: usize, id: &str| -> Value {
        let mask = w.mask_of(k, p);
        let v: Value = serde_json::from_str(&w.view_json(k, 0, mask)).expect("JSON");
        let m = w.scenario.mitigation_index(id).expect(id).ix();
        v["view"]["turn"]["cards"].as_array().expect("cards").iter().find(|c| c["index"] == m).cloned().expect(id)
    };
    assert_eq!(card(&mut w, ken, 0, "warn_users")["propose"], true);
    assert_eq!(card(&mut w, ken, 0, "warn_users")["button"]["label"], "Propose");
    assert_eq!(card(&mut w, ken, 0, "velocity_rules")["propose"], false);
    let steps = w.teams[0].steps;
    let proposed = w.handle_as(&mut store, red, ken, &take("warn_users")).expect("proposed");
    let ServerMsg::Ok { proposed: Some(id), done, .. } = proposed else { panic!("a proposal: {proposed:?}") };
    assert!(done.is_empty() && w.teams[0].steps == steps, "a proposal is not a move");
    // The same proposal again is the same proposal.
    let again = w.handle_as(&mut store, red, ken, &take("warn_users")).expect("proposed");
    assert!(matches!(again, ServerMsg::Ok { proposed: Some(i), .. } if i == id));
    // Ken cannot decide it; Aiko (comms) accepts it, and it is made.
    let decide = |accept| ClientMsg::Decide { proposal: id, accept, team: None };
    let refused = w.handle_as(&mut store, red, ken, &decide(true)).expect_err("not Ken's");
    assert_eq!(refused.code, ttx::protocol::Code::NotYourRole, "{refused:?}");
    w.handle_as(&mut store, red, aiko, &decide(true)).expect("accepted");
    assert_eq!(w.teams[0].steps, steps + 1);
    assert!(w.teams[0].game.log().iter().any(|o| matches!(o,
        ttx::sim::play::game::Outcome::MitigationTaken { mitigation, .. } if w.scenario.mitigations[mitigation.ix()].id == "warn_users")));
    assert!(w.handle_as(&mut store, red, aiko, &decide(true)).is_err(), "decided once");
    while w.teams[0].game.turn() < 8 {
        end(&mut w, &mut store);
    }
    // The team decision `rebuild` is due on 15 Jul: put to a vote, everyone votes the same,
    // and it ends at once with that answer.
    let sc = Arc::clone(&w.scenario);
    let rebuild = sc.injects.iter().find(|i| i.id == "rebuild").expect("rebuild");
    assert!(rebuild.owner.is_none(), "a team decision");
    // Two answers that are not the default (a tie between them must not pick either).
    let n = rebuild.options.len();
    assert!(n >= 3, "rebuild has three answers");
    let d = usize::from(rebuild.default_option);
    let (default, other, third) = (
        rebuild.options[d].id.clone(),
        rebuild.options[(d + 1) % n].id.clone(),
        rebuild.options[(d + 2) % n].id.clone(),
    );
    let call = ClientMsg::CallVote { decision: "rebuild".into(), seconds: 60, team: None };
    w.handle_as(&mut store, red, ken, &call).expect("called");
    assert!(w.handle_as(&mut store, red, ken, &call).is_err(), "one vote at a time");
    let choose = step(Step::Choose { decision: "rebuild".into(), option: other.clone() });
    assert!(w.handle_as(&mut store, red, mio, &choose).is_err(), "the team is voting");
    let ballot = |o: &str| ClientMsg::Ballot { decision: "rebuild".into(), option: o.into() };
    for p in [ken, aiko] {
        w.handle_as(&mut store, red, p, &ballot(&other)).expect("voted");
    }
    assert!(w.teams[0].table.open_vote("rebuild", 8).is_some(), "Mio has not voted yet");
    w.handle_as(&mut store, red, mio, &ballot(&other)).expect("voted");
    assert!(w.teams[0].table.open_vote("rebuild", 8).is_none(), "everyone voted: it ended");
    let chosen = |w: &Workshop, id: &str| {
        let i = w.scenario.inject_index(id).expect("decision");
        w.teams[0].game.due_decisions().find(|(d, _)| *d == i).and_then(|(_, c)| c)
    };
    let other_ix = rebuild.options.iter().position(|o| o.id == other).expect("option") as u16;
    assert_eq!(chosen(&w, "rebuild"), Some(other_ix));
    // Next turn: the regulator's `guidelines` is the lead's; the team cannot vote on it.
    end(&mut w, &mut store);
    if w.scenario.inject_index("guidelines").is_some_and(|i| w.teams[0].game.fired_count(i) > 0) {
        let call = ClientMsg::CallVote { decision: "guidelines".into(), seconds: 60, team: None };
        let why = w.handle_as(&mut store, red, ken, &call).expect_err("the lead's");
        assert_eq!(why.code, ttx::protocol::Code::NotYourRole);
    }
    // A vote on the board's decision (the lead's) is refused too; on the last turn a vote
    // on a team decision with a tie ends at its time with the default. 7pay's last team
    // decision is `rebuild`: the tie is tried on the Blue team at 15 Jul.
    let blue = Role::Team(1);
    let (a, b) = (w.arrive(1), w.arrive(1));
    w.handle_as(&mut store, blue, a, &seat("Sho", &["lead"])).expect("seated");
    w.handle_as(&mut store, blue, b, &seat("Rin", &["comms"])).expect("seated");
    // Nobody at Blue's table holds engineering: Sho takes its cards himself; comms' he proposes.
    assert_eq!(card(&mut w, a, 1, "two_factor")["propose"], false);
    assert_eq!(card(&mut w, a, 1, "compensate_victims")["propose"], true);
    let direct = w.handle_as(&mut store, blue, a, &take("two_factor")).expect("taken");
    assert!(matches!(direct, ServerMsg::Ok { ref done, proposed: None, .. } if done.len() == 1), "{direct:?}");
    while w.teams[1].game.turn() < 8 {
        let turn = w.teams[1].game.turn();
        w.handle_as(&mut store, blue, a, &ClientMsg::Step { turn: Some(turn), step: Step::EndTurn, team: None })
            .expect("ended");
    }
    w.handle_as(&mut store, blue, b, &ClientMsg::CallVote { decision: "rebuild".into(), seconds: 10, team: None })
        .expect("called");
    w.handle_as(&mut store, blue, a, &ballot(&other)).expect("voted");
    w.handle_as(&mut store, blue, b, &ballot(&third)).expect("voted");
    // Both voted, one each: a tie ends it at once, with the default.
    assert!(w.teams[1].table.open_vote("rebuild", 8).is_none());
    let i = w.scenario.inject_index("rebuild").expect("rebuild");
    let blue_chose = w.teams[1].game.due_decisions().find(|(d, _)| *d == i).and_then(|(_, c)| c);
    assert_eq!(blue_chose, Some(rebuild.default_option), "a tie takes the default");

    // The table comes back from the database: the proposal accepted by Aiko, the votes.
    let stored = store.load_session("roles").expect("read").expect("stored");
    let back = Workshop::rebuild(stored).expect("rebuilt");
    let floor = back.teams[0].table.floor(0, 0);
    let p = floor.proposals.iter().find(|p| p.id == id).expect("the proposal");
    assert!(
        matches!(&p.state, ProposalState::Accepted { by } if by.name == "Aiko" && by.roles.contains(&"comms".to_owned()))
    );
    assert_eq!(back.teams[0].table.floor(8, 0).votes[0].result, Some((other.clone(), false)));
    assert_eq!(back.teams[1].table.floor(8, 0).votes[0].result, Some((default.clone(), true)));
    assert_eq!(back.teams[0].game.log(), w.teams[0].game.log());
    // The record says who made each move: Ken took two-step verification himself.
    assert!(back.teams[0].table.record.iter().any(|(_, e)| matches!(e,
        ttx::serve::floor::FloorEvent::Acted { by, .. } if by.name == "Ken")));
    // As the cohort report reads it: Ken took two-step verification, proposed the warning,
    // Aiko accepted it; the vote chose the patch.
    use ttx::sim::present::deeds::DeedKind;
    let deeds = ttx::serve::floor::deeds(&back.teams[0].table.record);
    let find = |who: &str, kind: &DeedKind, id: &str| {
        deeds.iter().any(|d| d.who == who && d.kind == *kind && format!("{:?}", d.step).contains(id))
    };
    assert!(find("Ken", &DeedKind::Made, "two_factor"), "{deeds:?}");
    assert!(find("Ken", &DeedKind::Proposed, "warn_users"), "{deeds:?}");
    assert!(find("Aiko", &DeedKind::Accepted { proposer: "Ken".into() }, "warn_users"), "{deeds:?}");
    assert!(find("Ken", &DeedKind::Voted { by_default: false }, &other), "{deeds:?}");
    assert!(!deeds.iter().any(|d| format!("{:?}", d.step).contains("EndTurn")), "ends of turns are not deeds");
    // The facilitator's table message carries the record; the players' does not.
    let (facilitators, players) = (w.floor_json(0, true), w.floor_json(0, false));
    assert!(facilitators.contains(r#""deeds":["#) && facilitators.contains("warn_users"), "{facilitators}");
    assert!(!players.contains("deeds"), "{players}");
}

/// A vote nobody answers ends when its time is up, with the decision's default.
#[test]
fn a_vote_nobody_answers_ends_at_its_time_with_the_default() {
    use ttx::serve::store::Store;
    use ttx::serve::workshop::Role;
    let mut store = Store::in_memory().expect("store");
    let mut w = red_and_blue(&mut store, "silent", 6);
    let p = w.arrive(0);
    while w.teams[0].game.turn() < 8 {
        let turn = w.teams[0].game.turn();
        w.handle_as(
            &mut store,
            Role::Team(0),
            p,
            &ClientMsg::Step { turn: Some(turn), step: Step::EndTurn, team: None },
        )
        .expect("ended");
    }
    let call = ClientMsg::CallVote { decision: "rebuild".into(), seconds: 10, team: None };
    w.handle_as(&mut store, Role::Team(0), p, &call).expect("called");
    let deadline = w.teams[0].table.open_vote("rebuild", 8).expect("open").deadline_ms;
    w.close_votes(&mut store, deadline - 1).expect("nothing yet");
    assert!(w.teams[0].table.open_vote("rebuild", 8).is_some(), "not before its time");
    w.close_votes(&mut store, deadline).expect("closed");
    assert!(w.teams[0].table.open_vote("rebuild", 8).is_none());
    let rebuild = w.scenario.inject_index("rebuild").expect("rebuild");
    let chosen = w.teams[0].game.due_decisions().find(|(d, _)| *d == rebuild).and_then(|(_, c)| c);
    assert_eq!(chosen, Some(w.scenario.injects[rebuild.ix()].default_option));
    // A player who keeps changing their vote is stopped: the same vote again changes
    // nothing, and a vote takes at most MAX_BALLOTS ballots.
    let (p1, _p2) = (w.arrive(1), w.arrive(1));
    while w.teams[1].game.turn() < 8 {
        let turn = w.teams[1].game.turn();
        w.handle_as(
            &mut store,
            Role::Team(1),
            p1,
            &ClientMsg::Step { turn: Some(turn), step: Step::EndTurn, team: None },
        )
        .expect("ended");
    }
    w.handle_as(&mut store, Role::Team(1), p1, &call).expect("called");
    let options: Vec<String> = w.scenario.injects[rebuild.ix()].options.iter().map(|o| o.id.clone()).collect();
    let ballot = |o: &str| ClientMsg::Ballot { decision: "rebuild".into(), option: o.into() };
    w.handle_as(&mut store, Role::Team(1), p1, &ballot(&options[0])).expect("voted");
    let same = w.handle_as(&mut store, Role::Team(1), p1, &ballot(&options[0])).expect_err("the same vote");
    assert_eq!(same.code, ttx::protocol::Code::NoChange);
    for n in 1..ttx::serve::floor::MAX_BALLOTS {
        w.handle_as(&mut store, Role::Team(1), p1, &ballot(&options[n % 2])).expect("a changed vote");
    }
    let flood = w.handle_as(&mut store, Role::Team(1), p1, &ballot(&options[2])).expect_err("one too many");
    assert_eq!(flood.code, ttx::protocol::Code::TooLong);
}

/// Every frame two players of one team receive, one holding engineering and one support,
/// over 7pay's first week: each sees the injects addressed to their role and their role's
/// brief, and never those of another role (the debrief at the end, which the whole team
/// discusses together, is not played to here); the facilitator has every role's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_roles_frames_carry_its_own_injects_and_no_other_roles() {
    let dir = empty_dir("ttx-serve-role-frames");
    let (addr, server) = start(&dir.join("w.sqlite3")).await;
    let body = json!({ "scenario": "7pay-launch-week.ron", "teams": ["Red"], "seed": 3 });
    let (status, created) = http(addr, "POST", "/api/sessions", &body.to_string()).await;
    assert_eq!(status, 200, "{created}");
    let created: Value = serde_json::from_str(&created).expect("JSON");
    let token = created["teams"][0]["token"].as_str().expect("token").to_owned();
    let mut fac = connect(addr, created["facilitator"].as_str().expect("token")).await;
    let welcome = next(&mut fac, "welcome").await;
    let text = welcome["scenario_text"].as_str().expect("the facilitator gets the scenario").to_owned();
    let sc = Arc::new(ttx::sim::load_str(&text, "s.ron").expect("loads").scenario);
    let mut recorders = Vec::new();
    for (name, role) in [("Ken", "engineering"), ("Aiko", "support")] {
        let mut ws = connect(addr, &token).await;
        let seat = json!({ "type": "seat", "name": name, "roles": [role] });
        ws.send(Message::Text(seat.to_string().into())).await.expect("send");
        let (stop, task) = record_frames(ws);
        recorders.push((role, stop, task));
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // The first week, to Friday 5 July.
    for _ in 0..6 {
        let reply = send(&mut fac, with(req("end_turn", ""), "team", "*")).await;
        assert_eq!(reply["type"], "ok", "{reply}");
    }
    let (_, save) = synced_log(&mut fac, Some("Red")).await;
    let played = save.resume(&sc).expect("replays");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // A text as a frame carries it (JSON-escaped).
    let quoted = |t: &str| serde_json::to_string(t).expect("JSON").trim_matches('"').to_owned();
    for (role, stop, task) in recorders {
        let _ = stop.send(());
        let frames = task.await.expect("recorded").join("\n");
        let r = sc.roles.iter().position(|x| x.id == role).map(ttx::sim::scenario::RoleIdx::at).expect(role);
        let mut own = 0;
        for (k, inj) in sc.injects.iter().enumerate() {
            if inj.to.is_empty() || played.fired_count(ttx::sim::InjectIdx::at(k)) == 0 {
                continue;
            }
            let shown = frames.contains(&quoted(&inj.text));
            if inj.to.contains(&r) {
                assert!(shown, "{role}: its inject {} never reached it", inj.id);
                own += 1;
            } else {
                assert!(!shown, "{role}: {}, addressed to another role, reached it", inj.id);
            }
        }
        assert!(own >= 1, "{role}: an inject of its own fired");
        assert!(!frames.contains(r#""deeds""#), "{role}: the table's record is the facilitator's");
        for other in &sc.roles {
            let brief = frames.contains(&quoted(&other.briefing));
            assert_eq!(brief, other.id == role, "{role}: the brief of {}", other.id);
        }
    }
    // Every role's inject that fired is in the facilitator's game.
    let addressed = sc
        .injects
        .iter()
        .enumerate()
        .filter(|(k, i)| !i.to.is_empty() && played.fired_count(ttx::sim::InjectIdx::at(*k)) > 0);
    assert!(addressed.count() >= 4, "injects of several roles fired");
    assert!(text.contains("briefing: \"You own the app"), "the facilitator has every role's brief");
    server.abort();
}
