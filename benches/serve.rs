//! Load benchmark of `ttx serve` (a bench binary: loopback only, bounded in time). Starts
//! the server as its own process on a temporary database, creates two sessions of 50 teams
//! (100 teams), connects 4 WebSocket clients per team (400), then:
//!
//! 0. every client joins and receives its welcome and its team's view (timed), then all
//!    start;
//! 1. paced load: every client sends a move (a note) about once a second for 10 s; the
//!    latency is from sending it until the team's view shows it (the step is on disk
//!    before any view shows it; a turn full of notes is ended and the note sent again, its
//!    latency counted from the first sending). Meanwhile two stalled readers (players
//!    whose devices stop reading) sit among the teams, and a late room of 100 more clients joins (from the
//!    1st to the 3rd second), each receiving its welcome and view, as when a room arrives
//!    while others already play;
//! 2. throughput: every client sends its next move as soon as the last is acknowledged,
//!    for 5 s (ending the turn when it is full of notes): accepted, durable moves per second.
//!
//! It prints p50/p99 latency, moves per second, and the server's CPU time and peak memory
//! (from /proc). Run: `cargo bench --bench serve` (`TTX_BENCH_CLIENTS_PER_TEAM`,
//! `TTX_BENCH_SECONDS`, `TTX_BENCH_LATE_JOINERS`, `TTX_BENCH_STALLED_READERS` change the
//! load).
#![cfg(not(target_arch = "wasm32"))]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message;
use ttx::protocol::{ClientMsg, ServerMsg};
use ttx::sim::Step;

/// A player's note as a request.
fn note(text: &str) -> String {
    ClientMsg::Step { turn: None, step: Step::Note { text: text.into() }, team: None }
        .to_json()
        .expect("a note is written")
}

const TEAMS_PER_SESSION: usize = 50;
const SESSIONS: usize = 2;

/// The key the bench's server is started with, to create its sessions.
const OPERATOR_KEY: &str = "bench-operator-key-0123";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// POSTs a new session; returns its team tokens.
async fn create(addr: SocketAddr, n: usize) -> Vec<String> {
    let teams: Vec<String> = (0..n).map(|k| format!("T{n}-{k}")).collect();
    let body = serde_json::json!({ "teams": teams, "seed": 1 }).to_string();
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "POST /api/sessions HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {OPERATOR_KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("send");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    let text = String::from_utf8_lossy(&out);
    let json: serde_json::Value =
        serde_json::from_str(text.split_once("\r\n\r\n").map_or("", |(_, b)| b)).expect("the session's JSON");
    json["teams"].as_array().expect("teams").iter().map(|t| t["token"].as_str().expect("token").to_owned()).collect()
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text message, within 30 s (a stalled server fails the benchmark).
async fn next(ws: &mut Socket, id: usize) -> String {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
            Ok(Some(Ok(Message::Text(m)))) => return m.to_string(),
            Ok(Some(Ok(_))) => {}
            Ok(_) => panic!("client {id}: the connection closed"),
            Err(_) => panic!("client {id}: nothing from the server for 30 s"),
        }
    }
}

/// Joins a team with `token` (TCP_NODELAY, as the server's sockets) and reads the welcome
/// and the team's view.
async fn join(addr: SocketAddr, token: &str, id: usize) -> Socket {
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(format!("ws://{addr}/api/ws?token={token}"), None, true)
            .await
            .expect("websocket");
    next(&mut ws, id).await;
    next(&mut ws, id).await;
    ws
}

/// The step count of a team's view frame (`{"type":"view","team":…,"seq":N,…}`), read
/// without parsing the whole view.
fn view_seq(m: &str) -> Option<u64> {
    if !m.starts_with(r#"{"type":"view""#) {
        return None;
    }
    let rest = &m[m.find(r#""seq":"#)? + 6..];
    rest[..rest.find(|c: char| !c.is_ascii_digit())?].parse().ok()
}

/// One client: sends notes (paced, then as fast as acknowledged) and records each note's
/// latency until the team's view shows it (paced phase) and the count acknowledged (fast
/// phase).
async fn client(
    addr: SocketAddr,
    token: String,
    id: usize,
    (paced, fast): (Duration, Duration),
    all_in: std::sync::Arc<tokio::sync::Barrier>,
    attempted: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> (Vec<Duration>, u64) {
    // The welcome and the team's view first, then every client starts together: the
    // latencies are of a workshop in play, not of 400 joins at once.
    let mut ws = join(addr, &token, id).await;
    all_in.wait().await;
    let mut latencies = Vec::new();
    // Spread the clients over the second.
    tokio::time::sleep(Duration::from_millis((id as u64 * 2_503) % 1_000)).await;
    let began = Instant::now();
    let mut n = 0u64;
    // The team's turn, as far as this client knows (a full turn is ended, see below).
    let mut turn = 0u64;
    while began.elapsed() < paced {
        let text = format!("c{id} n{n}");
        let sent = Instant::now();
        ws.send(Message::Text(note(&text).into())).await.expect("send");
        // Acknowledged (on disk) with the team's step count, then shown in the team's view.
        // A turn holds at most `MAX_RECORDS_PER_TURN` notes: a note refused for that ends
        // the turn and is sent again, and its latency counts from its first sending. Bounded:
        // a move that cannot be made in four tries is counted as not handled.
        let (mut acked_seq, mut shown, mut ending, mut tries) = (None, 0u64, false, 0);
        loop {
            let m = next(&mut ws, id).await;
            if let Some(seq) = view_seq(&m) {
                shown = shown.max(seq);
            } else if m.starts_with(r#"{"type":"ok""#) {
                if ending {
                    ending = false;
                    turn += 1;
                    ws.send(Message::Text(note(&text).into())).await.expect("send");
                } else if let Ok(ServerMsg::Ok { done, .. }) = serde_json::from_str(&m) {
                    acked_seq = done.first().map(|d| d.seq);
                }
            } else if m.starts_with(r#"{"type":"error""#) {
                tries += 1;
                if tries > 4 {
                    break;
                }
                match serde_json::from_str::<ServerMsg>(&m) {
                    // A teammate ended the turn first: the note goes again, in the turn now.
                    Ok(ServerMsg::Error(r)) if r.code == ttx::protocol::Code::WrongTurn => {
                        turn = r.args.get("now").and_then(|n| n.parse::<u64>().ok()).map_or(turn, |n| n - 1);
                        ending = false;
                        ws.send(Message::Text(note(&text).into())).await.expect("send");
                    }
                    _ => {
                        ending = true;
                        let end = ClientMsg::Step { turn: Some(turn as usize), step: Step::EndTurn, team: None };
                        ws.send(Message::Text(end.to_json().expect("a step is written").into())).await.expect("send");
                    }
                }
            }
            if acked_seq.is_some_and(|s| shown >= s) {
                latencies.push(sent.elapsed());
                break;
            }
        }
        n += 1;
        let next = Duration::from_millis(1_000 * n);
        tokio::time::sleep(next.saturating_sub(began.elapsed())).await;
    }
    attempted.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    let began = Instant::now();
    let mut acked = 0u64;
    // The team's turn: when the turn is full (the engine keeps at most
    // `MAX_RECORDS_PER_TURN` records a turn), the client ends it and goes on; a teammate
    // who ended it first is told by the refusal (`wrong-turn`, with the turn now).
    let mut turn = 0u64;
    let mut full = false;
    while began.elapsed() < fast {
        let request = if full {
            ClientMsg::Step { turn: Some(turn as usize), step: Step::EndTurn, team: None }
                .to_json()
                .expect("a step is written")
        } else {
            note(&format!("c{id} f{acked}"))
        };
        ws.send(Message::Text(request.into())).await.expect("send");
        loop {
            let m = next(&mut ws, id).await;
            if m.starts_with(r#"{"type":"ok""#) {
                acked += 1;
                if full {
                    turn += 1;
                }
                full = false;
                break;
            }
            if m.starts_with(r#"{"type":"error""#) {
                match serde_json::from_str::<ServerMsg>(&m) {
                    Ok(ServerMsg::Error(r)) if r.code == ttx::protocol::Code::WrongTurn => {
                        turn = r.args.get("now").and_then(|n| n.parse::<u64>().ok()).map_or(turn, |n| n - 1);
                        full = false;
                    }
                    // The turn is full of notes: end it.
                    _ => full = !full,
                }
                break;
            }
        }
    }
    let _ = ws.close(None).await;
    (latencies, acked)
}

/// The server's CPU seconds (user + system) and peak resident memory in MiB, from /proc.
fn usage(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(") ").map_or("", |(_, r)| r).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line (11 and 12 after the name).
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    (cpu, hwm / 1024.0)
}

/// A player whose device stops reading: joins, reads the welcome and the view, then reads
/// nothing for `stall` while the team plays on. Says whether the server had cut it off by
/// then (it ends a connection whose frames wait longer than its send limit; until the
/// kernel's socket buffers fill, the frames do not wait at all).
async fn stalled_reader(addr: SocketAddr, token: String, id: usize, stall: Duration) -> bool {
    let mut ws = join(addr, &token, id).await;
    tokio::time::sleep(stall).await;
    // Drain what was queued; a close (or a reset) before the queue runs dry is the cut.
    loop {
        match tokio::time::timeout(Duration::from_secs(2), ws.next()).await {
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return true,
            Ok(Some(Ok(_))) => {}
            Err(_) => return false,
        }
    }
}

/// A late player: joins (welcome and view received; timed), then leaves.
async fn late_joiner(addr: SocketAddr, token: String, id: usize, after: Duration) -> Duration {
    tokio::time::sleep(after).await;
    let began = Instant::now();
    let mut ws = join(addr, &token, id).await;
    let took = began.elapsed();
    let _ = ws.close(None).await;
    took
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    // `cargo bench` passes --bench; nothing else is read from the command line.
    let per_team = env_or("TTX_BENCH_CLIENTS_PER_TEAM", 4) as usize;
    let paced = Duration::from_secs(env_or("TTX_BENCH_SECONDS", 10));
    let fast = Duration::from_secs(5);
    let late = env_or("TTX_BENCH_LATE_JOINERS", 100) as usize;
    let stalls = env_or("TTX_BENCH_STALLED_READERS", 2) as usize;
    let dir = std::env::temp_dir().join(format!("ttx-bench-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["serve", "--port", &port.to_string(), "--web", "/nonexistent", "--operator-key", OPERATOR_KEY])
        .arg("--db")
        .arg(dir.join("bench.sqlite3"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("ttx serve starts");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut tokens = Vec::new();
        for _ in 0..SESSIONS {
            tokens.extend(create(addr, TEAMS_PER_SESSION).await);
        }
        let (cpu0, _) = usage(server.id());
        let clients = tokens.len() * per_team;
        let began = Instant::now();
        // Everyone in (clients and this timer), then play starts.
        let all_in = std::sync::Arc::new(tokio::sync::Barrier::new(clients + 1));
        let attempted = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        // Stalled readers sit in the first teams, among the clients whose latency is measured.
        let stalled: Vec<_> = (0..stalls)
            .map(|j| tokio::spawn(stalled_reader(addr, tokens[j % tokens.len()].clone(), clients + late + j, paced + fast)))
            .collect();
        let tasks: Vec<_> = (0..clients)
            .map(|i| {
                let token = tokens[i % tokens.len()].clone();
                let (all_in, attempted) = (std::sync::Arc::clone(&all_in), std::sync::Arc::clone(&attempted));
                tokio::spawn(client(addr, token, i, (paced, fast), all_in, attempted))
            })
            .collect();
        // Bounded: a client that failed (its panic is printed above) never arrives.
        tokio::time::timeout(Duration::from_secs(120), all_in.wait())
            .await
            .expect("every client joined within two minutes (a client failed: see above)");
        let joined = began.elapsed();
        // The late room: from the 1st to the 3rd second of the paced phase.
        let late_tasks: Vec<_> = (0..late)
            .map(|j| {
                let after = Duration::from_millis(1_000 + (j as u64 * 2_000) / late.max(1) as u64);
                tokio::spawn(late_joiner(addr, tokens[j % tokens.len()].clone(), clients + j, after))
            })
            .collect();
        let mut latencies = Vec::new();
        let mut acked = 0;
        for t in tasks {
            // A client's panic fails the benchmark: it is never swallowed.
            let (l, a) = t.await.expect("a client failed");
            latencies.extend(l);
            acked += a;
        }
        let mut late_joins = Vec::new();
        for t in late_tasks {
            late_joins.push(t.await.expect("a late joiner failed"));
        }
        late_joins.sort();
        let mut cut = 0;
        for t in stalled {
            cut += usize::from(t.await.expect("a stalled reader failed"));
        }
        let wall = began.elapsed();
        let (cpu1, peak) = usage(server.id());
        latencies.sort();
        println!("ttx serve under load: {} teams x {per_team} clients = {clients} clients, loopback, this machine", tokens.len());
        println!("  all {clients} joined (welcome and view received) in {:.2} s", joined.as_secs_f64());
        println!(
            "  paced ({} s, a move per client per second): {} of {} moves handled, latency until the view shows it p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            paced.as_secs(),
            latencies.len(),
            attempted.load(std::sync::atomic::Ordering::Relaxed),
            percentile(&latencies, 0.50).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );
        println!(
            "  {late} late joiners meanwhile: joined in p50 {:.1} ms, max {:.1} ms",
            percentile(&late_joins, 0.50).as_secs_f64() * 1e3,
            late_joins.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );
        println!(
            "  {stalls} stalled readers (joined, then read nothing for {} s): {cut} cut off by the server by then",
            (paced + fast).as_secs()
        );
        println!(
            "  as fast as acknowledged ({} s): {acked} durable moves, {:.0} per second",
            fast.as_secs(),
            acked as f64 / fast.as_secs_f64()
        );
        println!(
            "  server: {:.1} s of CPU over {:.1} s ({:.0}% of one core), peak memory {:.0} MiB",
            cpu1 - cpu0,
            wall.as_secs_f64(),
            (cpu1 - cpu0) / wall.as_secs_f64() * 100.0,
            peak
        );
    });
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
