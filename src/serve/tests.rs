//! The server's own tests: misuse logged within a budget, group commits that fail, a disk
//! that fills up, sessions set aside and back, and sessions that expire.

use std::sync::Arc;

use axum::extract::State;
use tokio::sync::Mutex;

use super::committer::commit_groups;
use super::http::health;
use super::registry::RETRY_SET_ASIDE_MS;
use super::store::{Pace, Store};
use super::workshop::{Refused, Role};
use super::ws::answer;
use super::{Misuse, Server, Shared, bundled};
use crate::protocol::{ClientMsg, Code};

/// A player's note as a request.
fn note_msg(text: &str) -> ClientMsg {
    ClientMsg::Step { turn: None, step: crate::sim::Step::Note { text: text.into() }, team: None }
}

/// A new empty folder for one test's files (named after `name` and the process).
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
            let text = note_msg(note).to_json().expect("a note is written");
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
            let text = note_msg(&note).to_json().expect("a note is written");
            let replies = answer(&shared, &id, (Role::Team(k), 0, 0), &text, &mut misuse).await;
            let reply: serde_json::Value = serde_json::from_str(&replies[0]).expect("JSON");
            (k, note, reply)
        })
    };
    let mut acknowledged = [Vec::new(), Vec::new()];
    let mut not_saved = 0;
    let mut tally =
        |(k, note, reply): (usize, String, serde_json::Value)| match (reply["type"].as_str(), reply["code"].as_str()) {
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
    assert_eq!(server.expire(0, super::now_ms()).expect("kept"), 0, "0 keeps them all");
    drop(server);
    let mut server = Server::open(Store::open(&db).expect("db")).expect("server");
    assert_eq!(server.sessions().len(), 3);
    let old_token = server.sessions[&old].teams[0].token.clone();
    assert_eq!(server.expire(30, super::now_ms()).expect("expired"), 1);
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
