//! The server's registry: opening the database and rebuilding its sessions, creating and
//! deleting sessions, the token and code index (who a link or code speaks for), the
//! operator key, and the sessions set aside (and tried again) after a failed write.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::StatusCode;

use super::error::{DrawError, RebuildError};
use super::misuse::log_line;
use super::store::{Pace, Store, StoreError, StoredSession, StoredTeam};
use super::workshop::{self, Role, Workshop, check_team_names, display_code};
use super::{
    CREATE_BURST, CREATE_PER_SECOND, MAX_SESSIONS, Refusal, ServeError, Server, SetAside, connections, guessing,
};
use crate::sim::load_str;

/// How often sessions set aside after a failed write are tried again.
pub(super) const RETRY_SET_ASIDE_MS: i64 = 5_000;

impl Server {
    /// Opens the database and rebuilds every session in it.
    pub fn open(store: Store) -> Result<Self, ServeError> {
        let mut server = Self {
            store,
            sessions: BTreeMap::new(),
            created: Vec::new(),
            tokens: BTreeMap::new(),
            codes: BTreeMap::new(),
            guessing: guessing::Guessing::default(),
            waiting: Vec::new(),
            committer: Arc::new(tokio::sync::Notify::new()),
            set_aside: Vec::new(),
            operator_key: None,
            connections: Arc::default(),
            creations: guessing::Rate::new(CREATE_BURST, CREATE_PER_SECOND),
            limits: connections::Limits::default(),
            retry_at_ms: 0,
        };
        for s in server.store.load()? {
            let id = s.id.clone();
            // One session that does not replay must not keep every other workshop down.
            let mut w = match Workshop::rebuild(s) {
                Ok(w) => w,
                Err(why) => {
                    server.put_aside(id, why.to_string(), false);
                    continue;
                }
            };
            // Teams stored before short codes existed get theirs now.
            for k in 0..w.teams.len() {
                if w.teams[k].code.is_empty() {
                    let code = server.unused_code().map_err(|why| ServeError::Rebuild { id: id.clone(), why })?;
                    server.store.set_code(&id, k, &code)?;
                    w.teams[k].code = code;
                }
            }
            server.play(w);
        }
        Ok(server)
    }

    /// Puts a workshop into play: its links and codes known, listed in creation order.
    fn play(&mut self, w: Workshop) {
        self.index(&w);
        self.created.push(w.id.clone());
        self.sessions.insert(w.id.clone(), w);
    }

    fn index(&mut self, w: &Workshop) {
        self.tokens.insert(w.facilitator.clone(), (w.id.clone(), Role::Facilitator));
        for (k, t) in w.teams.iter().enumerate() {
            self.tokens.insert(t.token.clone(), (w.id.clone(), Role::Team(k)));
            self.codes.insert(t.code.clone(), (w.id.clone(), Role::Team(k)));
        }
    }

    /// The operator key: `given` (checked), else the one stored, else a new one (stored, so
    /// the operator link stays the same across restarts). From now on creating a session
    /// over HTTP needs it.
    pub fn use_operator_key(&mut self, given: Option<String>) -> Result<String, ServeError> {
        let key = match given {
            Some(k) => {
                let k = k.trim().to_owned();
                if !(16..=128).contains(&k.len())
                    || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
                {
                    return Err(ServeError::OperatorKey(
                        "give 16 to 128 letters, digits or - _ . ~ (or leave it out: the server makes one)".into(),
                    ));
                }
                k
            }
            None => match self.store.setting("operator_key")? {
                Some(k) => k,
                None => {
                    let k = token().map_err(|e| ServeError::OperatorKey(e.to_string()))?;
                    self.store.set_setting("operator_key", &k)?;
                    k
                }
            },
        };
        self.operator_key = Some(key.clone());
        Ok(key)
    }

    /// Whether a request's headers carry the operator key (`Authorization: Bearer KEY`).
    pub(super) fn operator_may(&self, headers: &axum::http::HeaderMap) -> bool {
        let Some(key) = &self.operator_key else { return true };
        let shown = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map_or("", str::trim);
        // The same time whatever the first wrong byte.
        shown.len() == key.len() && shown.bytes().zip(key.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// Deletes a session (database and play): its clients' connections end. False if there
    /// was none of that id.
    pub fn delete(&mut self, id: &str) -> Result<bool, StoreError> {
        self.settle();
        let stored = self.store.delete_session(id)?;
        let live = self.unplay(id);
        self.set_aside.retain(|a| a.session != id);
        Ok(stored || live)
    }

    /// Takes a session out of play: its game, its tokens and codes (its clients'
    /// connections end as its channels close). False if it was not being played.
    pub(super) fn unplay(&mut self, id: &str) -> bool {
        if self.sessions.remove(id).is_none() {
            return false;
        }
        self.tokens.retain(|_, (s, _)| s != id);
        self.codes.retain(|_, (s, _)| s != id);
        self.created.retain(|s| s != id);
        true
    }

    /// Deletes every session neither created nor played in the `keep_days` days before
    /// `now_ms` (0: keep them all); returns how many went.
    pub fn expire(&mut self, keep_days: u32, now_ms: i64) -> Result<usize, StoreError> {
        if keep_days == 0 {
            return Ok(0);
        }
        let before = now_ms.saturating_sub(i64::from(keep_days) * 86_400_000);
        let old = self.store.idle_since(before)?;
        for id in &old {
            self.delete(id)?;
            eprintln!("ttx serve: session {id} was not played for {keep_days} days: deleted (--keep-days)");
        }
        Ok(old.len())
    }

    /// Takes a session out of play (it stays in the database as it is) and says so.
    pub(super) fn put_aside(&mut self, session: String, why: String, retrying: bool) {
        let then = if retrying { "; it is tried again every few seconds" } else { "" };
        eprintln!(
            "ttx serve: session {session} is set aside, out of play (its steps stay in the database as they are): {why}{then}"
        );
        self.set_aside.retain(|a| a.session != session);
        self.set_aside.push(SetAside { session, why, retrying });
    }

    /// Tries again to read the sessions set aside after a failed write, at most every
    /// `RETRY_SET_ASIDE_MS`: each one read and replayed whole is back in play (its links
    /// work again; its players' pages reconnect by themselves). Returns how many came back.
    pub fn retry_set_aside(&mut self, now_ms: i64) -> usize {
        if now_ms < self.retry_at_ms || self.store.in_group() || !self.set_aside.iter().any(|a| a.retrying) {
            return 0;
        }
        self.retry_at_ms = now_ms + RETRY_SET_ASIDE_MS;
        let mut back = 0;
        for id in self.set_aside.iter().filter(|a| a.retrying).map(|a| a.session.clone()).collect::<Vec<_>>() {
            let rebuilt = match self.store.load_session(&id) {
                Ok(Some(stored)) => Workshop::rebuild(stored),
                Ok(None) => Err(RebuildError::Gone),
                Err(e) => Err(e.into()),
            };
            match rebuilt {
                Ok(w) => {
                    eprintln!("ttx serve: session {id} is read whole again: back in play");
                    self.set_aside.retain(|a| a.session != id);
                    self.play(w);
                    back += 1;
                }
                Err(why) => {
                    if let Some(a) = self.set_aside.iter_mut().find(|a| a.session == id) {
                        a.why = format!("it could not be restored after a failed write: {why}");
                    }
                }
            }
        }
        back
    }

    /// Sessions taken out of play because they do not replay.
    pub fn set_aside(&self) -> &[SetAside] {
        &self.set_aside
    }

    /// A new short code no team has.
    fn unused_code(&self) -> Result<String, DrawError> {
        // 2^40 codes: a clash is rare, and ten in a row would mean a broken random source.
        for _ in 0..10 {
            let code = workshop::new_code()?;
            if !self.codes.contains_key(&code) {
                return Ok(code);
            }
        }
        Err(DrawError::NoUnusedCode)
    }

    /// When an attempt to join with `token_or_code` from `ip` may be looked up (guessing
    /// codes is slowed per network, see `guessing`); reserves its place in the queue.
    pub fn admit(&mut self, token_or_code: &str, ip: std::net::IpAddr, now_ms: i64) -> guessing::Admission {
        self.guessing.admit(token_or_code, ip, now_ms)
    }

    /// Who a token or a team's code speaks for, asked from `ip`: `Unknown` when it is
    /// nobody's (counted against the network's guesses). A right one is never refused here;
    /// `admit` has already made a guesser wait.
    pub fn who(&mut self, token_or_code: &str, ip: std::net::IpAddr, now_ms: i64) -> Result<(String, Role), Refusal> {
        let found = self
            .tokens
            .get(token_or_code)
            .or_else(|| workshop::normalize_code(token_or_code).and_then(|c| self.codes.get(&c)));
        match found {
            Some(who) => Ok(who.clone()),
            None => {
                if self.guessing.missed(token_or_code, ip, now_ms) {
                    log_line(
                        &format!(
                            "ttx serve: {} sent {} wrong links or codes: its attempts are now answered {} a second",
                            guessing::network(ip),
                            guessing::ADDRESS_BURST,
                            guessing::ADDRESS_PER_SECOND
                        ),
                        now_ms,
                    );
                }
                Err(Refusal::Unknown)
            }
        }
    }

    /// The sessions some team is still playing, the newest first: their links, as at creation.
    pub fn unfinished(&self) -> Vec<Created> {
        self.created
            .iter()
            .rev()
            .filter_map(|id| self.sessions.get(id))
            .filter(|w| w.teams.iter().any(|t| !t.game.is_finished()))
            .map(|w| Created {
                session: w.id.clone(),
                facilitator: w.facilitator.clone(),
                teams: w
                    .teams
                    .iter()
                    .map(|t| StoredTeam { name: t.name.clone(), token: t.token.clone(), code: t.code.clone() })
                    .collect(),
            })
            .collect()
    }

    /// The sessions (id → team count), for tests and the log.
    pub fn sessions(&self) -> Vec<(String, usize)> {
        self.sessions.values().map(|w| (w.id.clone(), w.teams.len())).collect()
    }
}

/// An unguessable token: 128 bits from the operating system's random source, in hex.
fn token() -> Result<String, DrawError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A scenario's text that validated, with the scenario it makes.
#[derive(Debug)]
pub struct Checked {
    name: String,
    text: String,
    scenario: Arc<crate::sim::Scenario>,
}

impl Checked {
    /// Validates `text` (named `name` in messages) as a scenario.
    pub fn new(name: String, text: String) -> Result<Self, (StatusCode, String)> {
        match load_str(&text, &name) {
            Ok(loaded) => Ok(Self { name, text, scenario: Arc::new(loaded.scenario) }),
            Err(d) => Err((StatusCode::UNPROCESSABLE_ENTITY, d.to_string())),
        }
    }
}

/// A session just created: its id, the facilitator's token and each team's (name, token).
#[derive(Debug, Clone)]
pub struct Created {
    pub session: String,
    pub facilitator: String,
    pub teams: Vec<StoredTeam>,
}

impl Created {
    /// As the API answers it: each team with its join link (relative to the server) and code.
    pub(super) fn json(&self) -> serde_json::Value {
        let teams: Vec<serde_json::Value> = self
            .teams
            .iter()
            .map(|t| {
                serde_json::json!({
                    "name": t.name, "token": t.token, "join": format!("/?join={}", t.token), "code": display_code(&t.code),
                })
            })
            .collect();
        serde_json::json!({ "session": self.session, "facilitator": self.facilitator, "teams": teams })
    }
}

impl Server {
    /// Creates a session on a scenario (`name`, `text`, validated here) with `teams`: stored
    /// first, then played. An error carries the HTTP status it answers with.
    pub fn create(
        &mut self,
        name: String,
        text: String,
        seed: u64,
        teams: &[String],
        pace: Pace,
    ) -> Result<Created, (StatusCode, String)> {
        let checked = Checked::new(name, text)?;
        self.create_checked(checked, seed, teams, pace)
    }

    /// [`Server::create`] with the scenario already validated (outside the server's lock:
    /// a 4 MiB scenario takes a while, and every game would wait).
    pub fn create_checked(
        &mut self,
        checked: Checked,
        seed: u64,
        teams: &[String],
        pace: Pace,
    ) -> Result<Created, (StatusCode, String)> {
        let Checked { name, text, scenario } = checked;
        self.settle();
        let teams = check_team_names(teams).map_err(|e| (StatusCode::BAD_REQUEST, e.to_string()))?;
        if self.sessions.len() >= MAX_SESSIONS {
            return Err((
                StatusCode::SERVICE_UNAVAILABLE,
                format!("this server keeps at most {MAX_SESSIONS} sessions"),
            ));
        }
        let internal = |e: &dyn std::fmt::Display| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        let mut tokens =
            (0..teams.len() + 2).map(|_| token()).collect::<Result<Vec<String>, _>>().map_err(|e| internal(&e))?;
        let (id, facilitator) = (tokens.remove(0)[..12].to_owned(), tokens.remove(0));
        let mut stored_teams: Vec<StoredTeam> = Vec::new();
        for (name, token) in teams.iter().zip(tokens) {
            let mut code = self.unused_code().map_err(|e| internal(&e))?;
            while stored_teams.iter().any(|t| t.code == code) {
                code = self.unused_code().map_err(|e| internal(&e))?;
            }
            stored_teams.push(StoredTeam { name: name.clone(), token, code });
        }
        let stored = StoredSession {
            id: id.clone(),
            scenario_name: name,
            scenario_text: text,
            seed,
            facilitator: facilitator.clone(),
            teams: stored_teams,
            steps: Vec::new(),
            unreadable: None,
            timer: None,
            pace,
            floor: Vec::new(),
        };
        self.store.create(&stored).map_err(|e| internal(&e))?;
        let teams = stored.teams.clone();
        let w = Workshop::rebuild_on(stored, scenario).map_err(|e| internal(&e))?;
        self.play(w);
        Ok(Created { session: id, facilitator, teams })
    }
}
