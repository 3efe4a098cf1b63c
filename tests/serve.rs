//! `ttx serve` as a workshop uses it: the server on an ephemeral loopback port with a
//! temporary database, driven by scripted WebSocket clients (two teams of three players and
//! a facilitator) through 7pay to the end; each team's game equals the same game played
//! offline; tokens act only for what they were issued for; bad messages get an error frame
//! and disturb nobody; a restarted server has lost nothing.
#![cfg(not(target_arch = "wasm32"))]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message;
use ttx::sim::game::Intervention;
use ttx::sim::save::SaveFile;
use ttx::sim::{Action, Game, Scenario};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn start(db: &Path) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let db = db.to_owned();
    let task = tokio::spawn(async move {
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
        ttx::serve::serve(addr, &db, Path::new("/nonexistent-web"), None, Some(tx)).await.expect("the server runs");
    });
    (rx.await.expect("the server started"), task)
}

/// A plain HTTP/1.1 request; returns the status and the body.
async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("send");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
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

async fn send(ws: &mut Socket, req: Value) -> Value {
    ws.send(Message::Text(req.to_string().into())).await.expect("send");
    next(ws, "ok").await
}

/// Reads a team's game from a sync on `ws`.
async fn synced_log(ws: &mut Socket, team: Option<&str>) -> (String, SaveFile) {
    let mut req = json!({ "verb": "sync" });
    if let Some(t) = team {
        req["team"] = json!(t);
    }
    assert_eq!(send(ws, req).await["type"], "ok");
    let sync = next(ws, "sync").await;
    let save = SaveFile::from_ron(sync["save"].as_str().expect("save")).expect("a save");
    (sync["team"].as_str().expect("team").to_owned(), save)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_teams_of_three_play_7pay_live_and_a_restart_loses_nothing() {
    let dir = std::env::temp_dir().join(format!("ttx-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("workshops.sqlite3");
    let (addr, server) = start(&db).await;

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
    assert_eq!(next(&mut fac, "welcome").await["role"], "facilitator");
    let mut players: Vec<Vec<Socket>> = Vec::new();
    for token in &team_tokens {
        let mut three = Vec::new();
        for _ in 0..3 {
            let mut ws = connect(addr, token).await;
            assert_eq!(next(&mut ws, "welcome").await["role"], "team");
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
    let denied = send(&mut players[0][0], json!({ "verb": "take", "id": cards[1][0], "team": "Red" })).await;
    assert_eq!(denied["type"], "error");
    assert!(denied["message"].as_str().expect("why").contains("only for its own team"), "{denied}");
    let denied = send(&mut players[0][1], json!({ "verb": "trigger", "id": sc.injects[0].id })).await;
    assert!(denied["message"].as_str().expect("why").contains("facilitator"), "{denied}");
    // Garbage and oversized messages get an error or a closed socket, and nothing else changes.
    let garbage = send(&mut players[1][2], json!({ "verb": "take", "id": "x", "evil": true })).await;
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
            let reply = send(&mut players[k][n], json!({ "verb": "take", "id": id })).await;
            assert_eq!(reply["type"], "ok", "{reply}");
            let m = sc.mitigation_index(id).expect("a 7pay card");
            offline[k].act(Action::Take(m)).expect("offline too");
        }
        let note = send(&mut players[k][2], json!({ "verb": "note", "id": format!("{} の判断", names[k]) })).await;
        assert_eq!(note["type"], "ok");
        offline[k].note(&format!("{} の判断", names[k])).expect("note");
    }
    // Two players of a team end the same turn at once: one ends it, the other is told.
    let first = send(&mut players[0][0], json!({ "verb": "end_turn", "turn": 0 })).await;
    let second = send(&mut players[0][1], json!({ "verb": "end_turn", "turn": 0 })).await;
    assert_eq!(first["type"], "ok");
    assert_eq!(second["type"], "error", "{second}");
    offline[0].end_turn();
    // The facilitator advances Red.
    assert_eq!(send(&mut fac, json!({ "verb": "end_turn", "team": "Red", "turn": 0 })).await["type"], "ok");
    offline[1].end_turn();

    // The facilitator pushes an event to every team, then advances everyone, turn by turn.
    let trigger = sc
        .injects
        .iter()
        .map(|i| Intervention::Trigger { inject: sc.inject_index(&i.id).expect("inject") })
        .find(|act| offline.iter().all(|g| g.check_intervention(act).is_ok()))
        .expect("an event both teams can be sent");
    let Intervention::Trigger { inject } = trigger.clone() else { unreachable!() };
    let pushed = send(&mut fac, json!({ "verb": "trigger", "id": sc.injects[inject.ix()].id, "team": "*" })).await;
    assert_eq!(pushed["done"].as_array().map(Vec::len), Some(2), "{pushed}");
    for g in &mut offline {
        g.intervene(trigger.clone()).expect("offline trigger");
    }
    // Each team's players see it announced.
    for team in &mut players {
        let update = next(&mut team[2], "update").await;
        assert!(update["team"].is_string());
    }
    while offline.iter().any(|g| !g.is_finished()) {
        let reply = send(&mut fac, json!({ "verb": "end_turn", "team": "*" })).await;
        assert_eq!(reply["type"], "ok", "{reply}");
        for g in offline.iter_mut().filter(|g| !g.is_finished()) {
            g.end_turn();
        }
    }

    // Every team's game is the offline game, seen from any of its players.
    for (k, team) in players.iter_mut().enumerate() {
        let (name, save) = synced_log(&mut team[k % 3], None).await;
        assert_eq!(name, names[k]);
        assert_eq!(save.log, offline[k].log(), "team {name}");
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
    let over = send(&mut again, json!({ "verb": "end_turn", "turn": offline[1].turn() })).await;
    assert_eq!(over["type"], "error", "the game is over: {over}");
    // An unknown token is refused before any WebSocket.
    assert!(tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?token=0123")).await.is_err());
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_game_is_served_precompressed_to_browsers_that_accept_it() {
    let dir = std::env::temp_dir().join(format!("ttx-serve-web-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("index.html"), "<!doctype html><p>the game</p>").expect("html");
    std::fs::write(dir.join("index.html.br"), b"BROTLI").expect("br");
    std::fs::write(dir.join("index.html.gz"), b"GZIP").expect("gz");
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (db, web) = (dir.join("w.sqlite3"), dir.clone());
    let task = tokio::spawn(async move {
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
        ttx::serve::serve(addr, &db, &web, None, Some(tx)).await.expect("the server runs");
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
        timer: None,
        pace: ttx::serve::store::Pace::Free,
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
    use ttx::serve::workshop::{Request, Role, Workshop};
    let (name, text) = ttx::serve::bundled(None).expect("7pay");
    let sc = ttx::sim::load_str(&text, &name).expect("loads").scenario;
    let mut ids: Vec<String> = sc.mitigations.iter().map(|m| m.id.clone()).collect();
    ids.extend(sc.injects.iter().map(|i| i.id.clone()));
    ids.extend(sc.metrics.iter().map(|m| m.id.clone()));
    ids.extend(sc.dynamics.iter().map(|d| d.id.clone()));
    ids.extend(["".into(), "nope".into(), "é".repeat(300), "*".into()]);
    let options: Vec<String> = sc.injects.iter().flat_map(|i| i.options.iter().map(|o| o.id.clone())).collect();
    let verbs = [
        "take", "stop", "choose", "note", "end_turn", "trigger", "suppress", "allow", "set", "roll", "sync", "back",
        "time_up", "", "TAKE",
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
        let req = Request {
            turn: (pick(&mut rng, 4) > 0).then(|| w.teams[pick(&mut rng, 2)].game.turn() + pick(&mut rng, 2)),
            verb: verb.to_owned(),
            id: ids[pick(&mut rng, ids.len())].clone(),
            option,
            team: (pick(&mut rng, 2) == 0).then(|| teams[pick(&mut rng, teams.len())].to_owned()),
        };
        if w.handle(&mut store, role, &req).is_ok() {
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
    use ttx::serve::store::{Store, Timer};
    use ttx::serve::workshop::{Request, Role, Workshop, now_ms};
    let dir = std::env::temp_dir().join(format!("ttx-serve-timer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("w.sqlite3");
    let mut store = Store::open(&db).expect("db");
    let mut w = red_and_blue(&mut store, "timed", 2);
    let req = |verb: &str, option: &str| Request {
        turn: None,
        verb: verb.into(),
        id: String::new(),
        option: Some(option.into()),
        team: None,
    };
    assert!(w.handle(&mut store, Role::Team(0), &req("timer", "60")).is_err(), "a team cannot set it");
    assert!(w.handle(&mut store, Role::Facilitator, &req("timer", "0")).is_err());
    assert!(w.handle(&mut store, Role::Facilitator, &req("timer", "soon")).is_err());
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
    let told = w.timer_json(now_ms());
    assert_eq!((told["paused"].as_bool(), told["left_ms"].as_i64()), (Some(true), Some(left)), "{told}");
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
/// turns; and guessing codes is slowed to a few tries a minute per address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_codes_join_a_team_synchronized_pace_and_guessing_is_slowed() {
    let dir = std::env::temp_dir().join(format!("ttx-serve-codes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
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
    assert_eq!(send(&mut blue, json!({ "verb": "take", "id": "brief_stores" })).await["type"], "ok");
    let refused = send(&mut blue, json!({ "verb": "end_turn", "turn": 0 })).await;
    assert!(refused["message"].as_str().expect("why").contains("facilitator ends the turns"), "{refused}");
    let mut fac = connect(addr, created["facilitator"].as_str().expect("token")).await;
    let welcome = next(&mut fac, "welcome").await;
    assert_eq!(welcome["codes"], json!(codes), "the facilitator hands out the codes");
    assert_eq!(send(&mut fac, json!({ "verb": "end_turn", "team": "*" })).await["type"], "ok");
    assert_eq!(next(&mut blue, "update").await["turn"], 1);

    // Wrong codes: refused, and after 20 in a minute from this address even a right one waits.
    let url = |token: &str| format!("ws://{addr}/api/ws?token={token}");
    let status_of = |e: tokio_tungstenite::tungstenite::Error| match e {
        tokio_tungstenite::tungstenite::Error::Http(r) => r.status().as_u16(),
        other => panic!("not an HTTP refusal: {other}"),
    };
    for n in 0..ttx::serve::ATTEMPTS {
        let e = tokio_tungstenite::connect_async(url(&format!("ZZZZ-{n:04}"))).await.expect_err("a wrong code");
        assert_eq!(status_of(e), 403);
    }
    let e = tokio_tungstenite::connect_async(url(&codes[0])).await.expect_err("too many tries");
    assert_eq!(status_of(e), 429);
    // Those already in play on.
    assert_eq!(send(&mut blue, json!({ "verb": "note", "id": "still here" })).await["type"], "ok");
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}
