//! A live workshop: one scenario and seed, several teams, each with its own game that only
//! the server changes. Clients send requests; each is checked by the engine on a copy of
//! the team's game, written to the database, and only then applied and announced.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::broadcast;

use super::error::{CommitError, DrawError, RebuildError};
use super::floor::{self, FloorEvent, Table};
use super::now_ms;
use super::store::{Pace, Store, StoredSession, Timer};
use crate::i18n::Lang;
pub use crate::protocol::Refusal as Refused;
use crate::protocol::{Code, ServerMsg, Who};
use crate::sim::play::save::SaveFile;
use crate::sim::play::step::{Step, StepAt, StepError, apply_step, replay_step};
use crate::sim::present::player::{BriefingView, DebriefParts, Seat, briefing_view_for, player_view_at};
use crate::sim::scenario::RoleIdx;
use crate::sim::{Game, Scenario, load_str};

mod requests;

/// Longest note a client may send, in characters.
pub const MAX_NOTE_CHARS: usize = crate::sim::play::game::NOTE_MAX_CHARS;
/// Most teams in a session.
pub const MAX_TEAMS: usize = 50;
/// Longest team name, in characters.
pub const MAX_TEAM_NAME: usize = 40;
/// Announcements a slow client may fall behind by before it must resync.
const CHANNEL: usize = 256;

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Facilitator,
    Team(usize),
}

pub struct Team {
    pub name: String,
    pub token: String,
    /// The short code its players may type instead of opening the link.
    pub code: String,
    pub game: Game,
    /// Steps accepted so far (the next step's number).
    pub steps: u64,
    pub events: broadcast::Sender<Arc<str>>,
    /// The team's view after each change, one channel per language (an index into
    /// `Lang::ALL`) and set of roles (a bit mask), written once for all the team's players
    /// reading that language and holding those roles.
    pub views: BTreeMap<(usize, u16), broadcast::Sender<Arc<str>>>,
    /// Who sits at the team's table, its proposals and votes.
    pub table: Table,
    /// Table events stored so far (the next one's number).
    floor_seq: u64,
    /// The finished game's debrief parts, worked out once, with the step count they are of.
    debrief: Option<(u64, DebriefParts)>,
    /// Players connected now (not stored: a restarted server starts from none).
    pub online: u32,
}

pub struct Workshop {
    pub id: String,
    pub scenario_name: String,
    /// Shared, so a welcome is written out of the server's lock.
    pub scenario_text: Arc<str>,
    pub scenario: Arc<Scenario>,
    /// The scenario in each language of `Lang::ALL` (itself where it has no translation).
    editions: Vec<Arc<Scenario>>,
    pub seed: u64,
    pub facilitator: String,
    pub teams: Vec<Team>,
    /// Everything any team does, for the facilitator's screens.
    pub events: broadcast::Sender<Arc<str>>,
    /// The turn timer; stored, so a restart keeps it.
    pub timer: Option<Timer>,
    /// Who ends the turns.
    pub pace: Pace,
    /// Announcements of steps stored in a group not yet committed: sent once it is
    /// (`announce_held`), so nobody hears of a step before it is on disk.
    held: Vec<(usize, Arc<str>)>,
    /// Teams whose table changed in that group, and whether their players see the change
    /// (the facilitator sees every change: the record of who did what).
    held_floor: Vec<(usize, bool)>,
    /// The last connection number given to a player.
    last_player: u64,
}

/// `game` over its scenario in language `lang` (an index into `Lang::ALL`, whose editions
/// `editions` holds), and that language's words.
fn in_language(editions: &[Arc<Scenario>], game: &Game, lang: usize) -> (Game, &'static crate::i18n::Tr) {
    let game = editions.get(lang).map_or_else(|| game.clone(), |sc| game.in_scenario(Arc::clone(sc)));
    (game, Lang::ALL.get(lang).copied().unwrap_or_default().tr())
}

/// The letters of a short code: Crockford's base 32 (no I, L, O or U to misread).
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a short code: 40 random bits.
pub const CODE_CHARS: usize = 8;

/// A new short code for a team, 40 bits from the operating system's random source,
/// written `K7QM-3XPR`. Guessing one is slowed by the server (see `serve::guessing`).
pub fn new_code() -> Result<String, DrawError> {
    let mut bytes = [0u8; CODE_CHARS];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| char::from(CODE_ALPHABET[usize::from(b % 32)])).collect())
}

/// A typed code in its stored form (`k7qm 3xpr`, `K7QM-3XPR` → `K7QM3XPR`), forgiving the
/// letters people confuse (O for 0, I and L for 1); None when it cannot be a code.
pub fn normalize_code(text: &str) -> Option<String> {
    if text.len() > 4 * CODE_CHARS {
        return None;
    }
    let mut out = String::with_capacity(CODE_CHARS);
    for c in text.chars().filter(|c| !matches!(c, '-' | ' ')) {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// A stored code as people read it: `K7QM-3XPR`.
pub fn display_code(code: &str) -> String {
    match code.get(..4).zip(code.get(4..)) {
        Some((a, b)) if !b.is_empty() => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

/// Shortest and longest turn timer, in seconds.
pub const TIMER_SECONDS: std::ops::RangeInclusive<u64> = 1..=24 * 3600;

/// The engine's refusal of a step.
fn refusal_of(e: &StepError) -> Refused {
    match e {
        StepError::WrongTurn { now, asked } => {
            Refused::new(Code::WrongTurn, e.to_string()).arg("now", now).arg("asked", asked)
        }
        StepError::Over => Refused::new(Code::GameOver, e.to_string()),
        StepError::NoChange => Refused::new(Code::NoChange, e.to_string()),
        StepError::TooLong { most, .. } => Refused::new(Code::TooLong, e.to_string()).arg("most", most),
        _ => Refused::new(Code::Refused, e.to_string()).arg("why", e),
    }
}

/// A team's game at one step, as a client receives it.
pub struct Snapshot {
    team: String,
    seq: u64,
    save: SaveFile,
}

impl Snapshot {
    /// The `sync` message: the save and the step count it stands at.
    pub fn json(self) -> String {
        ServerMsg::Sync { team: self.team, seq: self.seq, save: self.save }.to_json()
    }
}

/// Applies one step to a game (the engine's rule, shared with the clients' replicas).
pub fn apply(game: &mut Game, step: &StepAt) -> Result<(), StepError> {
    apply_step(game, step)
}

impl Workshop {
    /// Builds a session from its stored form, replaying every team's steps.
    pub fn rebuild(s: StoredSession) -> Result<Self, RebuildError> {
        let loaded = load_str(&s.scenario_text, &s.scenario_name).map_err(RebuildError::Scenario)?;
        Self::rebuild_on(s, Arc::new(loaded.scenario))
    }

    /// [`Workshop::rebuild`] on the session's scenario, already validated from its text.
    pub fn rebuild_on(s: StoredSession, scenario: Arc<Scenario>) -> Result<Self, RebuildError> {
        if let Some(why) = s.unreadable {
            return Err(RebuildError::Unreadable(why));
        }
        let mut teams = Vec::new();
        for (k, stored) in s.teams.into_iter().enumerate() {
            let name = stored.name;
            let mut game = Game::new(Arc::clone(&scenario), s.seed);
            let steps = s.steps.get(k).map_or(&[][..], Vec::as_slice);
            for (n, step) in steps.iter().enumerate() {
                replay_step(&mut game, step).map_err(|why| RebuildError::Step { team: name.clone(), step: n, why })?;
            }
            let events = broadcast::channel(CHANNEL).0;
            let (token, code) = (stored.token, stored.code);
            let steps = steps.len() as u64;
            let mut table = Table::default();
            let stored_floor = s.floor.get(k).map_or(&[][..], Vec::as_slice);
            for (n, (at, text)) in stored_floor.iter().enumerate() {
                match serde_json::from_str::<FloorEvent>(text) {
                    Ok(e) => table.apply(*at, e),
                    // The games do not depend on the table: one unreadable event is skipped.
                    Err(e) => eprintln!("ttx serve: team “{name}”, table event {n}: skipped, unreadable: {e}"),
                }
            }
            let floor_seq = stored_floor.len() as u64;
            let views = BTreeMap::new();
            teams.push(Team {
                name,
                token,
                code,
                game,
                steps,
                events,
                views,
                table,
                floor_seq,
                debrief: None,
                online: 0,
            });
        }
        let editions =
            Lang::ALL
                .iter()
                .map(|l| {
                    if scenario.speaks(l.tag()) {
                        Arc::new(scenario.in_language(l.tag()))
                    } else {
                        Arc::clone(&scenario)
                    }
                })
                .collect();
        Ok(Self {
            id: s.id,
            scenario_name: s.scenario_name,
            scenario_text: s.scenario_text.into(),
            editions,
            scenario,
            seed: s.seed,
            facilitator: s.facilitator,
            teams,
            events: broadcast::channel(CHANNEL).0,
            timer: s.timer,
            pace: s.pace,
            held: Vec::new(),
            held_floor: Vec::new(),
            last_player: 0,
        })
    }

    /// The timer as the clients hear of it: seconds per turn, milliseconds left, paused.
    pub fn timer_msg(&self, now_ms: i64) -> ServerMsg {
        match self.timer {
            Some(t) => ServerMsg::Timer {
                seconds: Some(t.seconds),
                left_ms: Some(t.paused_left_ms.unwrap_or(t.deadline_ms - now_ms).max(0)),
                paused: t.paused_left_ms.is_some(),
            },
            None => ServerMsg::Timer { seconds: None, left_ms: None, paused: false },
        }
    }

    /// Tells every team and the facilitator about the timer.
    fn announce_timer(&self, now_ms: i64) {
        let msg: Arc<str> = self.timer_msg(now_ms).to_json().into();
        for t in &self.teams {
            let _ = t.events.send(Arc::clone(&msg));
        }
        let _ = self.events.send(msg);
    }

    /// When the timer has run out (`now_ms` past its deadline): every unfinished team's
    /// turn ends as the app's own timer ends it (time up, then the turn's end, each a stored
    /// step), and the next turn's deadline is set. Returns whether it ran out.
    pub fn expire(&mut self, store: &mut Store, now_ms: i64) -> Result<bool, CommitError> {
        let Some(Timer { seconds, deadline_ms, paused_left_ms: None }) = self.timer else { return Ok(false) };
        if now_ms < deadline_ms {
            return Ok(false);
        }
        let mut steps = Vec::new();
        for (k, team) in self.teams.iter().enumerate().filter(|(_, t)| !t.game.is_finished()) {
            let turn = team.game.turn();
            for step in [Step::TimeUp, Step::EndTurn] {
                steps.push((k, StepAt { turn, step }));
            }
        }
        // Whether every team will be finished once these steps are in (checked on copies).
        let finished_after = |w: &Self, steps: &[(usize, StepAt)]| {
            w.teams.iter().enumerate().all(|(k, t)| {
                let mut g = t.game.clone();
                steps.iter().filter(|(j, _)| *j == k).all(|(_, s)| apply(&mut g, s).is_ok()) && g.is_finished()
            })
        };
        let next = if finished_after(self, &steps) {
            None
        } else {
            Some(Timer { seconds, deadline_ms: now_ms.saturating_add(seconds as i64 * 1000), paused_left_ms: None })
        };
        // Every team's end of turn and the next deadline in one transaction: all of it or none.
        self.commit_all(store, steps, Some(next))?;
        self.timer = next;
        self.announce_timer(now_ms);
        Ok(true)
    }

    /// Checks `steps` (team, step), in order, on copies of the teams' games; stores every
    /// accepted one, and the timer when `timer` is given, in one transaction; then applies and
    /// announces them. Returns each step's refusal, if it was refused (a step that would
    /// change nothing, like an empty note, is refused too). Err: nothing was stored, so
    /// nothing changed.
    fn commit_all(
        &mut self,
        store: &mut Store,
        steps: Vec<(usize, StepAt)>,
        timer: Option<Option<Timer>>,
    ) -> Result<Vec<Option<Refused>>, CommitError> {
        let mut trials: BTreeMap<usize, (Game, u64)> = BTreeMap::new();
        let mut accepted: Vec<(usize, u64, StepAt)> = Vec::new();
        let mut refusals = Vec::with_capacity(steps.len());
        for (k, step) in steps {
            // One copy per step, of the team's game or of its copy with the earlier steps.
            let (base, seq) = trials.get(&k).map_or((&self.teams[k].game, self.teams[k].steps), |(g, n)| (g, *n));
            let mut next = base.clone();
            let outcome = apply_step(&mut next, &step).map_err(|e| refusal_of(&e)).and_then(|()| {
                // The engine refuses steps that change nothing; a step back shortens the log.
                (next.log() != base.log()).then_some(()).ok_or_else(|| refusal_of(&StepError::NoChange))
            });
            if let Err(why) = outcome {
                refusals.push(Some(why));
                continue;
            }
            accepted.push((k, seq, step));
            trials.insert(k, (next, seq + 1));
            refusals.push(None);
        }
        if accepted.is_empty() && timer.is_none() {
            return Ok(refusals);
        }
        let rows: Vec<(usize, u64, &StepAt)> = accepted.iter().map(|(k, seq, step)| (*k, *seq, step)).collect();
        store.append_all(&self.id, &rows, timer)?;
        for (k, (game, seq)) in trials {
            self.teams[k].game = game;
            self.teams[k].steps = seq;
        }
        for (k, seq, step) in accepted {
            let update: Arc<str> =
                ServerMsg::Update { team: self.teams[k].name.clone(), seq: seq + 1, step }.to_json().into();
            self.held.push((k, update));
        }
        if !store.in_group() {
            self.announce_held();
        }
        Ok(refusals)
    }

    /// Sends the announcements of the steps stored so far (the group they were stored in
    /// is committed). Nobody listening is fine: the steps are on disk either way.
    pub fn announce_held(&mut self) {
        let mut changed: Vec<usize> = Vec::new();
        for (k, update) in std::mem::take(&mut self.held) {
            let _ = self.events.send(update);
            if !changed.contains(&k) {
                changed.push(k);
            }
        }
        // The players get the view once per commit, however many steps it held.
        for k in changed {
            self.publish(k);
        }
        let held = std::mem::take(&mut self.held_floor);
        let mut teams: Vec<usize> = held.iter().map(|(k, _)| *k).collect();
        teams.sort_unstable();
        teams.dedup();
        for k in teams {
            let players = held.iter().any(|(j, p)| *j == k && *p);
            self.announce_floor_to(k, players);
        }
    }

    /// Team `k`'s table as a message: to its players, or (`record`) to the facilitator,
    /// with the record of who did what.
    pub fn floor_json(&self, k: usize, record: bool) -> String {
        let team = &self.teams[k];
        let mut floor = team.table.floor(team.game.turn(), now_ms());
        if record {
            let deeds = floor::deeds(&team.table.record);
            let skip = deeds.len().saturating_sub(crate::protocol::MAX_DEEDS);
            floor.deeds = deeds.into_iter().skip(skip).collect();
        }
        ServerMsg::Floor { team: team.name.clone(), floor }.to_json()
    }

    /// Tells team `k`'s players and the facilitator about its table.
    fn announce_floor(&self, k: usize) {
        self.announce_floor_to(k, true);
    }

    /// Tells the facilitator about team `k`'s table, and its players too if `players`.
    fn announce_floor_to(&self, k: usize, players: bool) {
        if players {
            let _ = self.teams[k].events.send(self.floor_json(k, false).into());
        }
        let _ = self.events.send(self.floor_json(k, true).into());
    }

    /// The roles of a bit mask, for a view: None in a scenario without roles (a player
    /// sees everything, exactly as before roles existed).
    fn roles(&self, mask: u16) -> Option<Vec<RoleIdx>> {
        (!self.scenario.roles.is_empty()).then(|| floor::unmask(&self.scenario, mask))
    }

    /// The roles player `player` of team `k` holds, as a bit mask.
    pub fn mask_of(&self, k: usize, player: u64) -> u16 {
        self.teams[k].table.seats.get(&player).map_or(0, |w| floor::mask(&floor::roles_of(&self.scenario, w)))
    }

    /// A receiver of team `k`'s views in language `lang` for the roles of `mask`.
    pub fn subscribe_view(&mut self, k: usize, lang: usize, mask: u16) -> broadcast::Receiver<Arc<str>> {
        let views = &mut self.teams[k].views;
        views.retain(|_, tx| tx.receiver_count() > 0);
        views.entry((lang, mask)).or_insert_with(|| broadcast::channel(CHANNEL).0).subscribe()
    }

    /// Team `k`'s view in the language `lang` (an index into `Lang::ALL`) as its players
    /// holding the roles of `mask` are sent it.
    pub fn view_json(&mut self, k: usize, lang: usize, mask: u16) -> String {
        let roles = self.roles(mask);
        // The player acts for their roles and for those nobody at the table holds.
        let acts: Option<Vec<RoleIdx>> = roles.as_ref().map(|held| {
            let table = &self.teams[k].table;
            RoleIdx::all(self.scenario.roles.len())
                .filter(|r| held.contains(r) || !table.held(&self.scenario.roles[r.ix()].id))
                .collect()
        });
        let team = &mut self.teams[k];
        let stale = team.debrief.as_ref().is_none_or(|(steps, _)| *steps != team.steps);
        if team.game.is_finished() && stale {
            team.debrief = Some((team.steps, DebriefParts::of(&team.game)));
        }
        let (game, tr) = in_language(&self.editions, &team.game, lang);
        let seat = roles.as_deref().zip(acts.as_deref()).map(|(sees, acts)| Seat { sees, acts });
        let view = Box::new(player_view_at(&game, team.debrief.as_ref().map(|(_, p)| p), tr, seat));
        ServerMsg::View { team: team.name.clone(), seq: team.steps, view }.to_json()
    }

    /// Sends team `k`'s view to its players, in each language and for each set of roles
    /// someone reads it in.
    fn publish(&mut self, k: usize) {
        let keys: Vec<(usize, u16)> =
            self.teams[k].views.iter().filter(|(_, tx)| tx.receiver_count() > 0).map(|(key, _)| *key).collect();
        for (lang, mask) in keys {
            let view: Arc<str> = self.view_json(k, lang, mask).into();
            if let Some(tx) = self.teams[k].views.get(&(lang, mask)) {
                let _ = tx.send(view);
            }
        }
    }

    /// The briefing for team players reading `lang` (an index into `Lang::ALL`) who hold
    /// the roles of `mask`.
    pub fn briefing(&self, k: usize, lang: usize, mask: u16) -> BriefingView {
        let (game, tr) = in_language(&self.editions, &self.teams[k].game, lang);
        briefing_view_for(&game, tr, self.roles(mask).as_deref())
    }

    /// Whether steps (or table events) of this session wait for their group's commit.
    pub fn holds(&self) -> bool {
        !self.held.is_empty() || !self.held_floor.is_empty()
    }

    /// After a group failed to commit: the games go back to what is stored (`stored`), the
    /// held announcements are dropped, and every client is told to resync.
    pub fn restore(&mut self, stored: StoredSession) -> Result<(), RebuildError> {
        let back = Self::rebuild(stored)?;
        for (team, was) in self.teams.iter_mut().zip(back.teams) {
            team.game = was.game;
            team.steps = was.steps;
            // The table as stored, with the players sitting at it now.
            let seats = std::mem::take(&mut team.table.seats);
            team.table = was.table;
            team.table.seats = seats;
            team.floor_seq = was.floor_seq;
        }
        self.held.clear();
        self.held_floor.clear();
        let lagged: Arc<str> = ServerMsg::Lagged { missed: 0 }.to_json().into();
        let _ = self.events.send(lagged);
        // The players are sent the game as it is stored.
        for k in 0..self.teams.len() {
            self.publish(k);
        }
        Ok(())
    }

    /// A player of team `k` came: seated (as "Player n", no role until they say), and the
    /// facilitator's screens told. Returns the player's connection number.
    pub fn arrive(&mut self, k: usize) -> u64 {
        self.last_player += 1;
        let player = self.last_player;
        let Some(team) = self.teams.get_mut(k) else { return player };
        team.table.seats.insert(player, Who { name: format!("Player {player}"), roles: Vec::new() });
        self.presence(k, true);
        player
    }

    /// Player `player` of team `k` went.
    pub fn leave(&mut self, k: usize, player: u64) {
        let Some(team) = self.teams.get_mut(k) else { return };
        team.table.seats.remove(&player);
        self.presence(k, false);
    }

    /// A player of team `k` came (`true`) or went: the facilitator's screens are told.
    fn presence(&mut self, k: usize, came: bool) {
        let Some(team) = self.teams.get_mut(k) else { return };
        team.online = if came { team.online.saturating_add(1) } else { team.online.saturating_sub(1) };
        let msg = ServerMsg::Presence { team: team.name.clone(), online: team.online };
        let _ = self.events.send(msg.to_json().into());
        if !self.scenario.roles.is_empty() {
            self.announce_floor(k);
            self.publish(k);
        }
    }

    /// The team names, in order.
    pub fn team_names(&self) -> Vec<String> {
        self.teams.iter().map(|t| t.name.clone()).collect()
    }

    /// A team's whole game so far, for a client to (re)build its view: taken under the
    /// server's lock, written out (`Snapshot::json`) after it.
    pub fn snapshot(&self, k: usize) -> Snapshot {
        let t = &self.teams[k];
        let mut save = SaveFile::of(&t.game);
        save.team = Some(t.name.clone());
        Snapshot { team: t.name.clone(), seq: t.steps, save }
    }
}

/// Team names a session cannot have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamNameError {
    /// How many were given.
    #[error("a session has 1 to {MAX_TEAMS} teams, not {0}")]
    Count(usize),
    #[error("“{0}” is not a team name (1 to {MAX_TEAM_NAME} printable characters, not `*`)")]
    NotAName(String),
    #[error("two teams are called “{0}”")]
    Twice(String),
}

/// Team names as given, checked: 1 to 50 teams, unique names of 1 to 40 characters.
pub fn check_team_names(names: &[String]) -> Result<Vec<String>, TeamNameError> {
    if names.is_empty() || names.len() > MAX_TEAMS {
        return Err(TeamNameError::Count(names.len()));
    }
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for n in names {
        let name = n.trim();
        if name.is_empty() || name.chars().count() > MAX_TEAM_NAME || name == "*" || name.chars().any(char::is_control)
        {
            return Err(TeamNameError::NotAName(name.to_owned()));
        }
        if seen.insert(name.to_owned(), ()).is_some() {
            return Err(TeamNameError::Twice(name.to_owned()));
        }
        out.push(name.to_owned());
    }
    Ok(out)
}
