//! The workshop server's memory: an embedded SQLite database (WAL, synchronous writes) that
//! holds each session's scenario, seed, teams and tokens, and every accepted step of every
//! team in order, so a restarted server rebuilds each game by replaying them.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension as _, params};
use thiserror::Error;

use super::now_ms;
use crate::sim::play::step::{Step, StepAt};

/// A database failure, with what was being done.
#[derive(Debug, Error)]
#[error("the workshop database {doing}: {source}")]
pub struct StoreError {
    doing: &'static str,
    #[source]
    source: rusqlite::Error,
}

fn doing(doing: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError { doing, source }
}

/// A session as stored: enough to rebuild it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    pub id: String,
    pub scenario_name: String,
    pub scenario_text: String,
    pub seed: u64,
    pub facilitator: String,
    /// Each team in order.
    pub teams: Vec<StoredTeam>,
    /// Every team's steps, in order.
    pub steps: Vec<Vec<StepAt>>,
    /// A stored step that is not a step (the session cannot be rebuilt), and where.
    pub unreadable: Option<String>,
    /// The turn timer, so a restart does not reset it.
    pub timer: Option<Timer>,
    /// Who ends the turns.
    pub pace: Pace,
    /// Every team's table events (time, JSON), in order.
    pub floor: Vec<Vec<(i64, String)>>,
}

/// A team as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTeam {
    pub name: String,
    /// Its link's token (128 bits).
    pub token: String,
    /// The short code its players may type instead (see `workshop::code`).
    pub code: String,
}

/// A session's turn timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    /// Seconds per turn.
    pub seconds: u64,
    /// When the current turn ends: milliseconds since the Unix epoch, the server's clock.
    pub deadline_ms: i64,
    /// Paused, with this many milliseconds left (the deadline then means nothing).
    pub paused_left_ms: Option<i64>,
}

pub use crate::protocol::Pace;

pub struct Store {
    conn: Connection,
    /// Whether a group (`begin_group`) is open: kept here, not read off the connection, so
    /// a group SQLite rolled back by itself (disk full, I/O error, out of memory inside a
    /// later statement) is noticed instead of taken for "nothing to commit".
    group: bool,
    /// When each session's last activity was last written (table `activity`, apart from the
    /// session's large row so that writing it stays small): written
    /// with a step or a table event at most once per [`ACTIVE_EVERY_MS`], so expiry counts
    /// from the last play without a second write per step.
    active: std::collections::HashMap<String, i64>,
}

/// How often a session's time of last activity is brought up to date (expiry is in days).
pub const ACTIVE_EVERY_MS: i64 = 60_000;

/// Brings `session`'s time of last activity up to date inside `tx`, unless it was written
/// less than [`ACTIVE_EVERY_MS`] ago. (If `tx` is rolled back after all, the time is written
/// again a minute later at most: expiry is counted in days.)
fn touch(
    tx: &Connection,
    written: &mut std::collections::HashMap<String, i64>,
    session: &str,
) -> Result<(), StoreError> {
    let now = now_ms();
    if written.get(session).is_some_and(|&at| now - at < ACTIVE_EVERY_MS) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO activity (session, active_ms) VALUES (?1, ?2)
         ON CONFLICT(session) DO UPDATE SET active_ms = ?2",
        params![session, now],
    )
    .map_err(doing("could not record the session's activity"))?;
    written.insert(session.to_owned(), now);
    Ok(())
}

/// The error of a group SQLite rolled back by itself before it could be committed.
fn group_lost() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
        Some("the database rolled the group back by itself (after a failed write)".into()),
    )
}

impl Store {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(doing("could not be opened"))?;
        Self::init(conn)
    }

    /// Opens an existing database to read it only (reports): nothing is created or changed.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(doing("could not be opened"))?;
        Ok(Self { conn, group: false, active: std::collections::HashMap::new() })
    }

    /// A database in memory (tests).
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory().map_err(doing("could not be opened"))?)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        // WAL: readers never block the writer; FULL: a committed step survives a power cut,
        // so an acknowledged move is on disk.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(doing("could not switch to WAL"))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(doing("could not be made synchronous"))?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(doing("could not enforce its keys"))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS sessions (
                 id TEXT PRIMARY KEY,
                 scenario_name TEXT NOT NULL,
                 scenario_text TEXT NOT NULL,
                 seed TEXT NOT NULL,
                 facilitator TEXT NOT NULL UNIQUE,
                 pace TEXT NOT NULL DEFAULT 'free'
             );
             CREATE TABLE IF NOT EXISTS teams (
                 session TEXT NOT NULL REFERENCES sessions(id),
                 idx INTEGER NOT NULL,
                 name TEXT NOT NULL,
                 token TEXT NOT NULL UNIQUE,
                 code TEXT UNIQUE,
                 PRIMARY KEY (session, idx)
             );
             CREATE TABLE IF NOT EXISTS steps (
                 session TEXT NOT NULL REFERENCES sessions(id),
                 team INTEGER NOT NULL,
                 seq INTEGER NOT NULL,
                 turn INTEGER NOT NULL,
                 verb TEXT NOT NULL,
                 id TEXT NOT NULL,
                 option TEXT,
                 PRIMARY KEY (session, team, seq)
             );
             CREATE TABLE IF NOT EXISTS activity (
                 session TEXT PRIMARY KEY REFERENCES sessions(id),
                 active_ms INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS floor (
                 session TEXT NOT NULL REFERENCES sessions(id),
                 team INTEGER NOT NULL,
                 seq INTEGER NOT NULL,
                 at_ms INTEGER NOT NULL,
                 event TEXT NOT NULL,
                 PRIMARY KEY (session, team, seq)
             );
             CREATE TABLE IF NOT EXISTS settings (
                 name TEXT PRIMARY KEY,
                 value TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS timers (
                 session TEXT PRIMARY KEY REFERENCES sessions(id),
                 seconds INTEGER NOT NULL,
                 deadline_ms INTEGER NOT NULL,
                 paused_left_ms INTEGER
             );",
        )
        .map_err(doing("could not create its tables"))?;
        // A database from before pace, codes and pausing gains their columns.
        for (table, column, ty) in [
            ("sessions", "pace", "TEXT NOT NULL DEFAULT 'free'"),
            ("teams", "code", "TEXT"),
            ("timers", "paused_left_ms", "INTEGER"),
            ("sessions", "created_ms", "INTEGER NOT NULL DEFAULT 0"),
        ] {
            let has: bool = conn
                .query_row(
                    &format!("SELECT COUNT(*) > 0 FROM pragma_table_info('{table}') WHERE name = ?1"),
                    [column],
                    |r| r.get(0),
                )
                .map_err(doing("could not be read"))?;
            if !has {
                conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {ty}"))
                    .map_err(doing("could not be brought up to date"))?;
            }
        }
        // Sessions stored before creation times: their clock starts now.
        conn.execute("UPDATE sessions SET created_ms = ?1 WHERE created_ms = 0", [now_ms()])
            .map_err(doing("could not be brought up to date"))?;
        Ok(Self { conn, group: false, active: std::collections::HashMap::new() })
    }

    /// Records a new session and its teams in one transaction.
    pub fn create(&mut self, s: &StoredSession) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(doing("could not start a transaction"))?;
        tx.execute(
            "INSERT INTO sessions (id, scenario_name, scenario_text, seed, facilitator, pace, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![s.id, s.scenario_name, s.scenario_text, s.seed.to_string(), s.facilitator, s.pace.as_str(), now_ms()],
        )
        .map_err(doing("could not record the session"))?;
        for (k, t) in s.teams.iter().enumerate() {
            tx.execute(
                "INSERT INTO teams (session, idx, name, token, code) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.id, k as i64, t.name, t.token, t.code],
            )
            .map_err(doing("could not record a team"))?;
        }
        tx.commit().map_err(doing("could not commit the session"))
    }

    /// Appends team `team`'s step number `seq` (its count of steps so far). Returns once the
    /// step is committed.
    pub fn append(&mut self, session: &str, team: usize, seq: u64, step: &StepAt) -> Result<(), StoreError> {
        self.append_all(session, &[(team, seq, step)], None)
    }

    /// Appends steps (team, its step number, step) of a session, and sets its timer when
    /// `timer` is given, all or none: committed at once, or, inside a group
    /// (`begin_group`), with the group.
    pub fn append_all(
        &mut self,
        session: &str,
        steps: &[(usize, u64, &StepAt)],
        timer: Option<Option<Timer>>,
    ) -> Result<(), StoreError> {
        if self.group && self.conn.is_autocommit() {
            // The group's transaction is gone: a savepoint now would commit these steps on
            // their own while the group's earlier ones are lost. Refused; the group fails.
            return Err(StoreError { doing: "could not record a step", source: group_lost() });
        }
        let tx = self.conn.savepoint().map_err(doing("could not start a transaction"))?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO steps (session, team, seq, turn, verb, id, option) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(doing("could not record a step"))?;
            for (team, seq, step) in steps {
                let (verb, id, option) = step.step.columns();
                insert
                    .execute(params![session, *team as i64, *seq as i64, step.turn as i64, verb, id, option])
                    .map_err(doing("could not record a step"))?;
            }
        }
        if let Some(timer) = timer {
            write_timer(&tx, session, timer)?;
        }
        touch(&tx, &mut self.active, session)?;
        tx.commit().map_err(doing("could not commit the steps"))
    }

    /// Opens a group: the steps appended from now on are committed together by
    /// `commit_group` (one write to the disk for all of them). No-op if one is open.
    pub fn begin_group(&mut self) -> Result<(), StoreError> {
        if !self.group {
            self.conn.execute_batch("BEGIN IMMEDIATE").map_err(doing("could not start a group of steps"))?;
            self.group = true;
        }
        Ok(())
    }

    /// Whether a group is open.
    pub fn in_group(&self) -> bool {
        self.group
    }

    /// Commits the open group (all its steps reach the disk, or none); on failure it is
    /// rolled back. A group the database already rolled back by itself is a failure too:
    /// none of its steps is on disk.
    pub fn commit_group(&mut self) -> Result<(), StoreError> {
        if !std::mem::replace(&mut self.group, false) {
            return Ok(());
        }
        if self.conn.is_autocommit() {
            return Err(StoreError { doing: "could not commit a group of steps", source: group_lost() });
        }
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(StoreError { doing: "could not commit a group of steps", source: e });
        }
        Ok(())
    }

    /// Makes the open group fail to commit (a step of a session that does not exist, its
    /// key checked at the commit): the failure path, for tests.
    #[cfg(test)]
    pub(crate) fn doom_group(&mut self) {
        self.conn
            .execute_batch(
                "PRAGMA defer_foreign_keys = ON;
                 INSERT INTO steps (session, team, seq, turn, verb, id) VALUES ('no such session', 0, 0, 0, 'note', 'x');",
            )
            .expect("a doomed row");
    }

    /// Rolls the open group back behind the store's back, as SQLite does by itself after
    /// some failed writes (disk full, I/O error, out of memory): for tests.
    #[cfg(test)]
    pub(crate) fn lose_group(&mut self) {
        self.conn.execute_batch("ROLLBACK").expect("a transaction to roll back");
    }

    /// A ceiling on the database's size in pages, so the next write that needs more fails
    /// as on a full disk (`PRAGMA max_page_count`): for tests. Returns the current size.
    #[cfg(test)]
    pub(crate) fn fill_at(&mut self, extra_pages: u64) -> u64 {
        let pages: u64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0)).expect("page count");
        let _: u64 = self
            .conn
            .query_row(&format!("PRAGMA max_page_count = {}", pages + extra_pages), [], |r| r.get(0))
            .expect("max page count");
        pages
    }

    /// One session as stored, rebuilt after a failed group.
    pub fn load_session(&self, id: &str) -> Result<Option<StoredSession>, StoreError> {
        Ok(self.load_where(Some(id))?.pop())
    }

    /// Every session with its teams and steps, in the order they were created.
    pub fn load(&self) -> Result<Vec<StoredSession>, StoreError> {
        self.load_where(None)
    }

    /// The session `only` (reading nothing of the others), or every session.
    fn load_where(&self, only: Option<&str>) -> Result<Vec<StoredSession>, StoreError> {
        let mut out = Vec::new();
        let mut sessions = self
            .conn
            .prepare(
                "SELECT id, scenario_name, scenario_text, seed, facilitator, pace FROM sessions
                 WHERE ?1 IS NULL OR id = ?1 ORDER BY rowid",
            )
            .map_err(doing("could not be read"))?;
        let rows = sessions
            .query_map([only], |r| {
                let seed: String = r.get(3)?;
                let pace: String = r.get(5)?;
                Ok(StoredSession {
                    id: r.get(0)?,
                    scenario_name: r.get(1)?,
                    scenario_text: r.get(2)?,
                    seed: seed.parse().unwrap_or(0),
                    facilitator: r.get(4)?,
                    teams: Vec::new(),
                    steps: Vec::new(),
                    unreadable: None,
                    timer: None,
                    pace: Pace::parse(&pace).unwrap_or_default(),
                    floor: Vec::new(),
                })
            })
            .map_err(doing("could not be read"))?;
        for s in rows {
            out.push(s.map_err(doing("has an unreadable session"))?);
        }
        for s in &mut out {
            s.timer = self
                .conn
                .query_row("SELECT seconds, deadline_ms, paused_left_ms FROM timers WHERE session = ?1", [&s.id], |r| {
                    let seconds: i64 = r.get(0)?;
                    Ok(Timer { seconds: seconds.max(0) as u64, deadline_ms: r.get(1)?, paused_left_ms: r.get(2)? })
                })
                .optional()
                .map_err(doing("has an unreadable timer"))?;
            let mut teams = self
                .conn
                .prepare("SELECT name, token, code FROM teams WHERE session = ?1 ORDER BY idx")
                .map_err(doing("could not be read"))?;
            s.teams = teams
                .query_map([&s.id], |r| {
                    let code: Option<String> = r.get(2)?;
                    Ok(StoredTeam { name: r.get(0)?, token: r.get(1)?, code: code.unwrap_or_default() })
                })
                .map_err(doing("could not be read"))?
                .collect::<Result<_, _>>()
                .map_err(doing("has an unreadable team"))?;
            s.steps = vec![Vec::new(); s.teams.len()];
            let mut steps = self
                .conn
                .prepare("SELECT team, seq, turn, verb, id, option FROM steps WHERE session = ?1 ORDER BY team, seq")
                .map_err(doing("could not be read"))?;
            let rows = steps
                .query_map([&s.id], |r| {
                    let (team, seq, turn): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                    let (verb, id, option): (String, String, Option<String>) = (r.get(3)?, r.get(4)?, r.get(5)?);
                    let step = Step::from_stored(&verb, &id, option.as_deref())
                        .map(|step| StepAt { turn: turn.max(0) as usize, step })
                        .map_err(|why| format!("team {}, step {seq}: {why}", team + 1));
                    Ok((team, step))
                })
                .map_err(doing("could not be read"))?;
            for row in rows {
                let (team, step) = row.map_err(doing("has an unreadable step"))?;
                match (usize::try_from(team).ok().and_then(|t| s.steps.get_mut(t)), step) {
                    (Some(list), Ok(step)) => list.push(step),
                    (_, Err(why)) => {
                        s.unreadable.get_or_insert(why);
                    }
                    (None, Ok(_)) => {}
                }
            }
        }
        for s in &mut out {
            self.load_floor(s)?;
        }
        Ok(out)
    }

    /// Every team's table events of session `s`, in order.
    fn load_floor(&self, s: &mut StoredSession) -> Result<(), StoreError> {
        s.floor = vec![Vec::new(); s.teams.len()];
        // A database of an older server opened read-only (`ttx report`) has no table events.
        let has: bool = self
            .conn
            .query_row("SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'floor'", [], |r| {
                r.get(0)
            })
            .map_err(doing("could not be read"))?;
        if !has {
            return Ok(());
        }
        let mut q = self
            .conn
            .prepare_cached("SELECT team, at_ms, event FROM floor WHERE session = ?1 ORDER BY team, seq")
            .map_err(doing("could not be read"))?;
        let rows = q
            .query_map([&s.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))
            .map_err(doing("could not be read"))?;
        for row in rows {
            let (team, at, event) = row.map_err(doing("has an unreadable table event"))?;
            if let Some(list) = usize::try_from(team).ok().and_then(|t| s.floor.get_mut(t)) {
                list.push((at, event));
            }
        }
        Ok(())
    }

    /// Appends a team's table event (its number `seq`, the time, the event as JSON): at
    /// once, or, inside a group, with the group.
    pub fn append_floor(
        &mut self,
        session: &str,
        team: usize,
        seq: u64,
        at_ms: i64,
        event: &str,
    ) -> Result<(), StoreError> {
        if self.group && self.conn.is_autocommit() {
            return Err(StoreError { doing: "could not record a table event", source: group_lost() });
        }
        let tx = self.conn.savepoint().map_err(doing("could not start a transaction"))?;
        tx.execute(
            "INSERT INTO floor (session, team, seq, at_ms, event) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![session, team as i64, seq as i64, at_ms, event],
        )
        .map_err(doing("could not record a table event"))?;
        touch(&tx, &mut self.active, session)?;
        tx.commit().map_err(doing("could not commit a table event"))
    }

    /// Sessions neither created nor played since `before_ms` (to expire), the longest idle
    /// first. Play is counted to within [`ACTIVE_EVERY_MS`].
    pub fn idle_since(&self, before_ms: i64) -> Result<Vec<String>, StoreError> {
        let mut q = self
            .conn
            .prepare(
                "SELECT s.id FROM sessions s LEFT JOIN activity a ON a.session = s.id
                 WHERE max(s.created_ms, coalesce(a.active_ms, 0)) < ?1
                 ORDER BY max(s.created_ms, coalesce(a.active_ms, 0))",
            )
            .map_err(doing("could not be read"))?;
        let ids = q.query_map([before_ms], |r| r.get(0)).map_err(doing("could not be read"))?;
        ids.collect::<Result<Vec<String>, _>>().map_err(doing("could not be read"))
    }

    /// Deletes a session with its teams, steps and timer, all or nothing.
    pub fn delete_session(&mut self, id: &str) -> Result<bool, StoreError> {
        let tx = self.conn.transaction().map_err(doing("could not start a transaction"))?;
        for table in ["steps", "floor", "timers", "activity", "teams"] {
            tx.execute(&format!("DELETE FROM {table} WHERE session = ?1"), [id])
                .map_err(doing("could not delete a session"))?;
        }
        let n = tx.execute("DELETE FROM sessions WHERE id = ?1", [id]).map_err(doing("could not delete a session"))?;
        tx.commit().map_err(doing("could not commit the deletion"))?;
        self.active.remove(id);
        Ok(n > 0)
    }

    /// Makes a session look `age_ms` old (tests of expiry).
    #[cfg(test)]
    pub(crate) fn age(&mut self, id: &str, age_ms: i64) {
        self.conn
            .execute("UPDATE sessions SET created_ms = ?2 WHERE id = ?1;", params![id, now_ms() - age_ms])
            .expect("aged");
        self.conn.execute("DELETE FROM activity WHERE session = ?1", [id]).expect("aged");
        self.active.remove(id);
    }

    /// A server-wide setting (the operator key), if it was ever stored.
    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(doing("could not read a setting"))
    }

    /// Stores a server-wide setting.
    pub fn set_setting(&mut self, name: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
                [name, value],
            )
            .map_err(doing("could not record a setting"))?;
        Ok(())
    }

    /// Gives a team of a session its short code (a team stored before codes existed).
    pub fn set_code(&mut self, session: &str, team: usize, code: &str) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE teams SET code = ?3 WHERE session = ?1 AND idx = ?2", params![session, team as i64, code])
            .map_err(doing("could not record a team's code"))?;
        Ok(())
    }

    /// Sets a session's turn timer, or switches it off.
    pub fn set_timer(&mut self, session: &str, timer: Option<Timer>) -> Result<(), StoreError> {
        write_timer(&self.conn, session, timer)
    }

    /// The session a token belongs to, if any (a quick check before loading anything).
    pub fn session_of(&self, token: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT id FROM sessions WHERE facilitator = ?1 UNION SELECT session FROM teams WHERE token = ?1",
                [token],
                |r| r.get(0),
            )
            .optional()
            .map_err(doing("could not be read"))
    }
}

fn write_timer(conn: &Connection, session: &str, timer: Option<Timer>) -> Result<(), StoreError> {
    match timer {
        Some(t) => conn.execute(
            "INSERT INTO timers (session, seconds, deadline_ms, paused_left_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(session) DO UPDATE SET seconds = ?2, deadline_ms = ?3, paused_left_ms = ?4",
            params![session, t.seconds as i64, t.deadline_ms, t.paused_left_ms],
        ),
        None => conn.execute("DELETE FROM timers WHERE session = ?1", [session]),
    }
    .map_err(doing("could not record the timer"))?;
    Ok(())
}

#[cfg(test)]
mod tests;
