//! Power cuts: `ttx serve` keeps its database on a test filesystem (FUSE, in this process)
//! that forgets every write not yet fsynced when "the power goes", as a disk's volatile
//! cache does. Four teams send steps as fast as they are acknowledged; at a random moment
//! the power goes (every later filesystem call fails), the server is killed, the
//! filesystem is remounted with only what was synced, and every step any client saw
//! acknowledged must be in the database. The filesystem's teeth are shown on SQLite itself:
//! with `synchronous=OFF` committed rows are lost across a cut, with `FULL` none are.
//!
//! The model: a file's contents survive a cut as of its last fsync; a name survives once
//! the file or its folder was fsynced (as on ext4, where fsync of a new file commits its
//! directory entry too). `TTX_POWERCUT_ROUNDS` sets the number of cuts (default 4).
//!
//! The same filesystem also fails for a while without losing power (every write and fsync
//! answers EIO): steps in that window are answered "not saved", the server plays on once
//! the disk works again, and every acknowledged step is in the database.
#![cfg(target_os = "linux")]

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use fuser::{
    FileAttr, FileType, Filesystem, MountOption, ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory, ReplyEmpty,
    ReplyEntry, ReplyOpen, ReplyWrite, Request, TimeOrNow,
};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio_tungstenite::tungstenite::Message;

const ROOT: u64 = 1;
const TTL: Duration = Duration::ZERO;

/// One file: what processes see, and what a power cut leaves.
struct Node {
    name: String,
    data: Vec<u8>,
    synced: Option<Vec<u8>>,
}

#[derive(Default)]
struct State {
    powered: bool,
    next_ino: u64,
    nodes: HashMap<u64, Node>,
    names: BTreeMap<String, u64>,
    durable_names: BTreeMap<String, u64>,
    fsyncs: u64,
    /// The disk fails: every write, truncate and fsync answers EIO (reads still work) while
    /// this is set, as a failing disk or a lost network volume does.
    failing: bool,
    /// Calls answered EIO while failing.
    failed: u64,
}

impl State {
    /// Whether a call that writes must fail now (counting the failures).
    fn write_fails(&mut self) -> bool {
        if self.failing {
            self.failed += 1;
        }
        !self.powered || self.failing
    }

    /// The power goes: from now on every call fails.
    fn cut(&mut self) {
        self.powered = false;
    }

    /// The power comes back: only what was synced is there.
    fn restore(&mut self) {
        self.names = self.durable_names.clone();
        let keep: std::collections::HashSet<u64> = self.names.values().copied().collect();
        self.nodes.retain(|ino, _| keep.contains(ino));
        for node in self.nodes.values_mut() {
            node.data = node.synced.clone().unwrap_or_default();
        }
        self.powered = true;
    }
}

/// The filesystem fuser serves: one flat folder.
#[derive(Clone)]
struct PowerFs(Arc<Mutex<State>>);

impl PowerFs {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(State { powered: true, next_ino: 2, ..State::default() })))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn attr(ino: u64, kind: FileType, size: u64) -> FileAttr {
    let t = SystemTime::UNIX_EPOCH;
    FileAttr {
        ino,
        size,
        blocks: size.div_ceil(512),
        atime: t,
        mtime: t,
        ctime: t,
        crtime: t,
        kind,
        perm: if kind == FileType::Directory { 0o755 } else { 0o644 },
        nlink: 1,
        uid: 0,
        gid: 0,
        rdev: 0,
        blksize: 4096,
        flags: 0,
    }
}

impl State {
    fn attr_of(&self, ino: u64) -> Option<FileAttr> {
        if ino == ROOT {
            return Some(attr(ROOT, FileType::Directory, 0));
        }
        self.nodes.get(&ino).map(|n| attr(ino, FileType::RegularFile, n.data.len() as u64))
    }
}

const EIO: i32 = 5;
const ENOENT: i32 = 2;

impl Filesystem for PowerFs {
    fn lookup(&mut self, _req: &Request<'_>, parent: u64, name: &OsStr, reply: ReplyEntry) {
        let s = self.state();
        if !s.powered {
            return reply.error(EIO);
        }
        match (parent == ROOT).then(|| s.names.get(&*name.to_string_lossy()).copied()).flatten() {
            Some(ino) => reply.entry(&TTL, &s.attr_of(ino).expect("node"), 0),
            None => reply.error(ENOENT),
        }
    }

    fn getattr(&mut self, _req: &Request<'_>, ino: u64, _fh: Option<u64>, reply: ReplyAttr) {
        let s = self.state();
        if !s.powered {
            return reply.error(EIO);
        }
        match s.attr_of(ino) {
            Some(a) => reply.attr(&TTL, &a),
            None => reply.error(ENOENT),
        }
    }

    fn setattr(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        _mode: Option<u32>,
        _uid: Option<u32>,
        _gid: Option<u32>,
        size: Option<u64>,
        _atime: Option<TimeOrNow>,
        _mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<u64>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<u32>,
        reply: ReplyAttr,
    ) {
        let mut s = self.state();
        if !s.powered || (size.is_some() && s.write_fails()) {
            return reply.error(EIO);
        }
        if let (Some(size), Some(node)) = (size, s.nodes.get_mut(&ino)) {
            node.data.resize(size as usize, 0);
        }
        match s.attr_of(ino) {
            Some(a) => reply.attr(&TTL, &a),
            None => reply.error(ENOENT),
        }
    }

    fn open(&mut self, _req: &Request<'_>, _ino: u64, _flags: i32, reply: ReplyOpen) {
        if !self.state().powered {
            return reply.error(EIO);
        }
        reply.opened(0, 0);
    }

    fn create(
        &mut self,
        _req: &Request<'_>,
        parent: u64,
        name: &OsStr,
        _mode: u32,
        _umask: u32,
        _flags: i32,
        reply: ReplyCreate,
    ) {
        let mut s = self.state();
        if !s.powered || parent != ROOT {
            return reply.error(EIO);
        }
        let name = name.to_string_lossy().into_owned();
        let ino = match s.names.get(&name) {
            Some(&ino) => ino,
            None => {
                let ino = s.next_ino;
                s.next_ino += 1;
                s.nodes.insert(ino, Node { name: name.clone(), data: Vec::new(), synced: None });
                s.names.insert(name, ino);
                ino
            }
        };
        reply.created(&TTL, &s.attr_of(ino).expect("node"), 0, 0, 0);
    }

    fn read(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        _fh: u64,
        offset: i64,
        size: u32,
        _flags: i32,
        _lock_owner: Option<u64>,
        reply: ReplyData,
    ) {
        let s = self.state();
        if !s.powered {
            return reply.error(EIO);
        }
        let Some(node) = s.nodes.get(&ino) else { return reply.error(ENOENT) };
        let from = (offset.max(0) as usize).min(node.data.len());
        let to = (from + size as usize).min(node.data.len());
        reply.data(&node.data[from..to]);
    }

    fn write(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        _fh: u64,
        offset: i64,
        data: &[u8],
        _write_flags: u32,
        _flags: i32,
        _lock_owner: Option<u64>,
        reply: ReplyWrite,
    ) {
        let mut s = self.state();
        if s.write_fails() {
            return reply.error(EIO);
        }
        let Some(node) = s.nodes.get_mut(&ino) else { return reply.error(ENOENT) };
        let at = offset.max(0) as usize;
        if node.data.len() < at + data.len() {
            node.data.resize(at + data.len(), 0);
        }
        node.data[at..at + data.len()].copy_from_slice(data);
        reply.written(data.len() as u32);
    }

    fn unlink(&mut self, _req: &Request<'_>, parent: u64, name: &OsStr, reply: ReplyEmpty) {
        let mut s = self.state();
        if !s.powered || parent != ROOT {
            return reply.error(EIO);
        }
        match s.names.remove(&*name.to_string_lossy()) {
            Some(ino) => {
                if !s.durable_names.values().any(|&i| i == ino) {
                    s.nodes.remove(&ino);
                }
                reply.ok()
            }
            None => reply.error(ENOENT),
        }
    }

    fn fsync(&mut self, _req: &Request<'_>, ino: u64, _fh: u64, _datasync: bool, reply: ReplyEmpty) {
        let mut s = self.state();
        if s.write_fails() {
            return reply.error(EIO);
        }
        s.fsyncs += 1;
        let Some(node) = s.nodes.get_mut(&ino) else { return reply.error(ENOENT) };
        node.synced = Some(node.data.clone());
        let name = node.name.clone();
        if s.names.get(&name) == Some(&ino) {
            s.durable_names.insert(name, ino);
        }
        reply.ok();
    }

    fn fsyncdir(&mut self, _req: &Request<'_>, _ino: u64, _fh: u64, _datasync: bool, reply: ReplyEmpty) {
        let mut s = self.state();
        if !s.powered {
            return reply.error(EIO);
        }
        s.durable_names = s.names.clone();
        reply.ok();
    }

    fn readdir(&mut self, _req: &Request<'_>, ino: u64, _fh: u64, offset: i64, mut reply: ReplyDirectory) {
        let s = self.state();
        if !s.powered || ino != ROOT {
            return reply.error(EIO);
        }
        let mut entries =
            vec![(ROOT, FileType::Directory, ".".to_owned()), (ROOT, FileType::Directory, "..".to_owned())];
        entries.extend(s.names.iter().map(|(n, &i)| (i, FileType::RegularFile, n.clone())));
        for (k, (ino, kind, name)) in entries.into_iter().enumerate().skip(offset.max(0) as usize) {
            if reply.add(ino, (k + 1) as i64, kind, name) {
                break;
            }
        }
        reply.ok();
    }
}

/// The filesystem mounted at `at` until dropped.
fn mount(fs: &PowerFs, at: &Path) -> fuser::BackgroundSession {
    std::fs::create_dir_all(at).expect("mount point");
    fuser::spawn_mount2(fs.clone(), at, &[MountOption::FSName("ttx-powercut".into())])
        .unwrap_or_else(|e| panic!("cannot mount the test filesystem at {} (FUSE: /dev/fuse, root): {e}", at.display()))
}

/// An empty folder of this test process under the system's temporary folder.
fn empty_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// Rows committed one transaction at a time, then a power cut: how many are left.
fn rows_after_a_cut(synchronous: &str) -> (u64, u64) {
    let dir = empty_dir(&format!("ttx-powercut-sqlite-{synchronous}"));
    let fs = PowerFs::new();
    let at = dir.join("mnt");
    let session = mount(&fs, &at);
    let db = at.join("t.sqlite3");
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
    conn.pragma_update(None, "synchronous", synchronous).expect("synchronous");
    conn.execute("CREATE TABLE t (n INTEGER)", []).expect("table");
    let committed = 200;
    for n in 0..committed {
        conn.execute("INSERT INTO t VALUES (?1)", [n]).expect("insert");
    }
    fs.state().cut();
    drop(conn);
    drop(session);
    fs.state().restore();
    let session = mount(&fs, &at);
    let conn = rusqlite::Connection::open(&db).expect("open again");
    let left: u64 = conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).unwrap_or(0);
    drop(conn);
    drop(session);
    (committed, left)
}

#[test]
fn the_test_filesystem_loses_what_was_not_synced() {
    let (committed, left) = rows_after_a_cut("FULL");
    assert_eq!(left, committed, "synchronous=FULL: every committed row survives");
    let (committed, left) = rows_after_a_cut("OFF");
    assert!(left < committed, "synchronous=OFF: a cut must lose rows, or the filesystem keeps unsynced writes");
}

/// A `ttx serve` process, killed when dropped.
struct ServeProcess(std::process::Child);

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const TEAMS: [&str; 4] = ["A", "B", "C", "D"];

/// Starts `ttx serve` on `db` with four teams: the process, its address and each team's token.
fn start_server(db: &Path) -> (ServeProcess, SocketAddr, Vec<String>) {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["serve", "--port", "0", "--web", "/nonexistent", "--teams", &TEAMS.join(","), "--db"])
        .arg(db)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("ttx serve runs");
    let stdout = child.stdout.take().expect("stdout");
    let process = ServeProcess(child);
    let mut lines = std::io::BufReader::new(stdout).lines().map_while(Result::ok);
    let first = lines.next().expect("ttx serve printed its address");
    let addr: SocketAddr = first
        .strip_prefix("ttx serve: http://")
        .and_then(|r| r.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first}"));
    let mut tokens = Vec::new();
    for line in lines.by_ref() {
        if let (Some((_, token)), false) = (line.split_once("?join="), line.starts_with("facilitator")) {
            tokens.push(token.trim().to_owned());
        }
        if line.starts_with("facilitator") {
            break;
        }
    }
    // The rest of its output is read away so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    assert_eq!(tokens.len(), TEAMS.len(), "one link per team");
    (process, addr, tokens)
}

/// A team's player: sends notes one after another, each once the previous one is
/// answered; returns the notes answered `ok`.
async fn play(addr: SocketAddr, token: String, tag: String, acked: Arc<Mutex<Vec<String>>>) {
    let Ok((mut ws, _)) = tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?token={token}")).await else {
        return;
    };
    for n in 0.. {
        let note = format!("{tag}-{n}");
        let step = ttx::sim::Step::Note { text: note.clone() };
        let frame =
            ttx::protocol::ClientMsg::Step { turn: None, step, team: None }.to_json().expect("a step is written");
        if ws.send(Message::text(frame)).await.is_err() {
            return;
        }
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => {
                    let v: serde_json::Value = serde_json::from_str(t.as_str()).expect("JSON");
                    if v["type"] == "ok" {
                        acked.lock().expect("acked").push(note.clone());
                        break;
                    }
                    if v["type"] == "error" {
                        return; // Not saved: the power is gone.
                    }
                }
                Some(Ok(_)) => {}
                _ => return,
            }
        }
    }
}

#[test]
fn acknowledged_steps_survive_power_cuts_under_load() {
    let rounds: u64 = std::env::var("TTX_POWERCUT_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(4);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut total_acked = 0;
    for round in 0..rounds {
        let dir = empty_dir(&format!("ttx-powercut-{round}"));
        let fs = PowerFs::new();
        let at = dir.join("mnt");
        let session = mount(&fs, &at);
        let db = at.join("workshops.sqlite3");
        let (server, addr, tokens) = start_server(&db);
        let acked = Arc::new(Mutex::new(Vec::new()));
        // The cut comes 150 to 900 ms into play, a different moment every round.
        let cut_after = Duration::from_millis(150 + (round * 7919 + 13) % 750);
        runtime.block_on(async {
            let players: Vec<_> = tokens
                .iter()
                .enumerate()
                .map(|(k, token)| tokio::spawn(play(addr, token.clone(), format!("r{round}-{k}"), Arc::clone(&acked))))
                .collect();
            tokio::time::sleep(cut_after).await;
            fs.state().cut();
            // Whatever the server still sends now was written before the cut.
            tokio::time::sleep(Duration::from_millis(300)).await;
            for p in players {
                p.abort();
            }
        });
        let fsyncs = fs.state().fsyncs;
        drop(server);
        drop(session);
        fs.state().restore();
        let session = mount(&fs, &at);
        let stored: std::collections::HashSet<String> = {
            // A database that lost its tables holds no step (so the loss is counted below).
            let conn = rusqlite::Connection::open(&db).expect("the database opens after the cut");
            match conn.prepare("SELECT id FROM steps WHERE verb = 'note'") {
                Ok(mut q) => {
                    q.query_map([], |r| r.get::<_, String>(0)).expect("rows").map(|r| r.expect("row")).collect()
                }
                Err(_) => Default::default(),
            }
        };
        drop(session);
        let acked = acked.lock().expect("acked").clone();
        assert!(!acked.is_empty(), "round {round}: nothing was acknowledged before the cut ({fsyncs} fsyncs)");
        let lost: Vec<&String> = acked.iter().filter(|n| !stored.contains(*n)).collect();
        assert!(lost.is_empty(), "round {round}: {} of {} acknowledged steps lost: {lost:?}", lost.len(), acked.len());
        total_acked += acked.len();
    }
    println!("{rounds} power cuts, {total_acked} acknowledged steps, none lost");
}

/// A team's player for the failing disk: sends notes one after another until `stop`, each
/// once the previous one is answered, and goes on after a "not saved"; counts both.
async fn play_on(
    addr: SocketAddr,
    token: String,
    tag: String,
    acked: Arc<Mutex<Vec<String>>>,
    refused: Arc<std::sync::atomic::AtomicU64>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/api/ws?token={token}")).await.expect("connects");
    let (mut n, mut turn, mut ending) = (0, 0, false);
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let note = format!("{tag}-{n}");
        // A turn keeps at most 200 notes: a full one is ended, then play goes on.
        let step = if ending { ttx::sim::Step::EndTurn } else { ttx::sim::Step::Note { text: note.clone() } };
        let frame =
            ttx::protocol::ClientMsg::Step { turn: Some(turn), step, team: None }.to_json().expect("a step is written");
        ws.send(Message::text(frame)).await.expect("sends");
        loop {
            let m = tokio::time::timeout(Duration::from_secs(20), ws.next()).await.expect("an answer within 20 s");
            match m {
                Some(Ok(Message::Text(t))) => {
                    let v: serde_json::Value = serde_json::from_str(t.as_str()).expect("JSON");
                    if v["type"] == "ok" {
                        if ending {
                            (turn, ending) = (turn + 1, false);
                        } else {
                            acked.lock().expect("acked").push(note.clone());
                            n += 1;
                        }
                        break;
                    }
                    if v["type"] == "error" {
                        if v["code"] == "refused" && !ending {
                            ending = true;
                        } else {
                            assert_eq!(v["code"], "not-saved", "{v}");
                            refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            n += 1;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                        break;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("{tag}: the connection ended: {other:?}"),
            }
        }
    }
}

#[test]
fn a_disk_that_fails_for_a_while_loses_no_acknowledged_step_and_play_goes_on() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let dir = empty_dir("ttx-powercut-eio");
    let fs = PowerFs::new();
    let at = dir.join("mnt");
    let session = mount(&fs, &at);
    let db = at.join("workshops.sqlite3");
    let (server, addr, tokens) = start_server(&db);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let refused = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (before, after) = runtime.block_on(async {
        let players: Vec<_> = tokens
            .iter()
            .enumerate()
            .map(|(k, token)| {
                let (acked, refused, stop) = (Arc::clone(&acked), Arc::clone(&refused), Arc::clone(&stop));
                tokio::spawn(play_on(addr, token.clone(), format!("t{k}"), acked, refused, stop))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(400)).await;
        fs.state().failing = true;
        tokio::time::sleep(Duration::from_millis(400)).await;
        fs.state().failing = false;
        let before = acked.lock().expect("acked").len();
        tokio::time::sleep(Duration::from_millis(800)).await;
        stop.store(true, Ordering::Relaxed);
        for p in players {
            // A player's panic (a refusal other than "not saved", a dropped connection)
            // fails the test.
            p.await.expect("a player failed");
        }
        (before, acked.lock().expect("acked").len())
    });
    let failed = fs.state().failed;
    drop(server);
    let stored: std::collections::HashSet<String> = {
        let conn = rusqlite::Connection::open(&db).expect("the database opens");
        let mut q = conn.prepare("SELECT id FROM steps WHERE verb = 'note'").expect("steps");
        q.query_map([], |r| r.get::<_, String>(0)).expect("rows").map(|r| r.expect("row")).collect()
    };
    drop(session);
    let acked = acked.lock().expect("acked").clone();
    let refused = refused.load(Ordering::Relaxed);
    assert!(failed > 0, "the disk failed ({failed} calls)");
    let lost: Vec<&String> = acked.iter().filter(|n| !stored.contains(*n)).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged steps lost: {lost:?}", lost.len(), acked.len());
    assert!(refused > 0, "steps in the failing window were answered not saved");
    assert!(after > before, "play went on once the disk worked again ({before} then {after})");
    println!(
        "disk failing 400 ms: {failed} calls failed, {refused} steps not saved, {} acknowledged, none lost",
        acked.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
