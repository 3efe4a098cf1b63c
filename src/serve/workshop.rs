//! A live workshop: one scenario and seed, several teams, each with its own game that only
//! the server changes. Clients send requests; each is checked by the engine on a copy of
//! the team's game, written to the database, and only then applied and announced.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::broadcast;

use super::floor::{self, FloorEvent, Table};
use super::store::{Pace, Store, StoredSession, Timer};
use crate::i18n::Lang;
pub use crate::protocol::Refusal as Refused;
use crate::protocol::{ClientMsg, Code, Done, ServerMsg, TeamRefusal, TimerOrder, Who};
use crate::sim::player::{BriefingView, DebriefParts, Seat, briefing_view_for, player_view_at};
use crate::sim::save::SaveFile;
use crate::sim::scenario::{Action, RoleIdx};
use crate::sim::step::Resolved;
use crate::sim::step::{Author, Step, StepAt, StepError, apply_step, replay_step};
use crate::sim::{Game, Scenario, load_str};

/// Longest note a client may send, in characters.
pub const MAX_NOTE_CHARS: usize = crate::sim::game::NOTE_MAX_CHARS;
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
/// written `K7QM-3XPR`. Guessing one is slowed by the server (see `serve::Attempts`).
pub fn new_code() -> Result<String, String> {
    let mut bytes = [0u8; CODE_CHARS];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers from the system: {e}"))?;
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

/// Why steps were not committed: the database did not take them, so none was done.
#[derive(Debug, thiserror::Error)]
enum CommitError {
    #[error("not saved, so not done: {0}")]
    NotSaved(String),
}

/// The server's clock, in milliseconds since the Unix epoch (timers only: the games never
/// read it).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
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
pub fn apply(game: &mut Game, step: &StepAt) -> Result<(), String> {
    apply_step(game, step).map_err(|e| e.to_string())
}

impl Workshop {
    /// Builds a session from its stored form, replaying every team's steps.
    pub fn rebuild(s: StoredSession) -> Result<Self, String> {
        let loaded = load_str(&s.scenario_text, &s.scenario_name).map_err(|d| d.to_string())?;
        Self::rebuild_on(s, Arc::new(loaded.scenario))
    }

    /// [`Workshop::rebuild`] on the session's scenario, already validated from its text.
    pub fn rebuild_on(s: StoredSession, scenario: Arc<Scenario>) -> Result<Self, String> {
        if let Some(why) = s.unreadable {
            return Err(format!("the database holds a step that is not one: {why}"));
        }
        let mut teams = Vec::new();
        for (k, stored) in s.teams.into_iter().enumerate() {
            let name = stored.name;
            let mut game = Game::new(Arc::clone(&scenario), s.seed);
            let steps = s.steps.get(k).map_or(&[][..], Vec::as_slice);
            for (n, step) in steps.iter().enumerate() {
                replay_step(&mut game, step).map_err(|why| format!("team “{name}”, step {n}: {why}"))?;
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
    pub fn expire(&mut self, store: &mut Store, now_ms: i64) -> Result<bool, String> {
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
        self.commit_all(store, steps, Some(next)).map_err(|e| e.to_string())?;
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
        store.append_all(&self.id, &rows, timer).map_err(|e| CommitError::NotSaved(e.to_string()))?;
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
    pub fn restore(&mut self, stored: StoredSession) -> Result<(), String> {
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

    /// Handles a request from `role` (an unseated player's: see [`Workshop::handle_as`]).
    pub fn handle(&mut self, store: &mut Store, role: Role, msg: &ClientMsg) -> Result<ServerMsg, Refused> {
        self.handle_as(store, role, 0, msg)
    }

    /// Handles a request from `role`, player `player` of a team (0: nobody seated): checks
    /// it, writes each accepted step or table event to `store` before applying it,
    /// announces it; returns the reply to the sender.
    pub fn handle_as(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        msg: &ClientMsg,
    ) -> Result<ServerMsg, Refused> {
        let ok = || ServerMsg::Ok { done: Vec::new(), refused: Vec::new(), proposed: None };
        match msg {
            // The timer is the whole session's: no team to name.
            ClientMsg::Timer { order } => self.set_timer(store, role, *order, now_ms()).map(|()| ok()),
            ClientMsg::Sync { team } => self.targets(role, team.as_deref()).map(|_| ok()),
            ClientMsg::Step { turn, step, team } => {
                // A token acts only for its own team, proposals included.
                self.targets(role, team.as_deref())?;
                if let Role::Team(k) = role
                    && let Some(proposed) = self.owned_step(store, k, player, *turn, step)?
                {
                    return Ok(proposed);
                }
                let reply = self.step(store, role, *turn, step, team.as_deref())?;
                // Who made each move, for the session's record (scenarios with roles).
                if let Role::Team(k) = role
                    && !self.scenario.roles.is_empty()
                    && let ServerMsg::Ok { done, .. } = &reply
                    && !done.is_empty()
                {
                    let by = self.who(k, player);
                    let seq = self.teams[k].steps.saturating_sub(1);
                    // The turn the step was taken on (the one the request named, else the game's).
                    let turn = turn.unwrap_or(self.teams[k].game.turn());
                    let event = FloorEvent::Acted { seq, turn, step: step.clone(), by };
                    self.record(store, k, event, false)?;
                }
                Ok(reply)
            }
            ClientMsg::Seat { name, roles, player: seated, team } => {
                self.seat(role, player, (name, roles), *seated, team.as_deref()).map(|()| ok())
            }
            ClientMsg::Decide { proposal, accept, team } => {
                self.decide(store, role, player, *proposal, *accept, team.as_deref())
            }
            ClientMsg::CallVote { decision, seconds, team } => {
                self.call_vote(store, role, player, decision, *seconds, team.as_deref()).map(|()| ok())
            }
            ClientMsg::Ballot { decision, option } => self.ballot(store, role, player, decision, option).map(|()| ok()),
        }
    }

    /// Who player `player` of team `k` is (the facilitator, for player 0 of no seat).
    fn who(&self, k: usize, player: u64) -> Who {
        self.teams[k]
            .table
            .seats
            .get(&player)
            .cloned()
            .unwrap_or_else(|| Who { name: format!("Player {player}"), roles: Vec::new() })
    }

    /// Stores one of team `k`'s table events, then applies it; announced with its group's
    /// commit (`shown`: whether it changes what the table shows).
    fn record(&mut self, store: &mut Store, k: usize, event: FloorEvent, shown: bool) -> Result<(), Refused> {
        let json = serde_json::to_string(&event).map_err(|e| not_saved(&e))?;
        let at = now_ms();
        store.append_floor(&self.id, k, self.teams[k].floor_seq, at, &json).map_err(|e| not_saved(&e))?;
        let team = &mut self.teams[k];
        team.floor_seq += 1;
        team.table.apply(at, event);
        self.held_floor.push((k, shown));
        if !store.in_group() {
            self.announce_held();
        }
        Ok(())
    }

    /// A team player's move owned by a role they do not hold and another player at the
    /// table does: stored as a proposal to that role's players (Some: the reply). A decision addressed to other roles is refused as
    /// the engine refuses one it does not know; a decision under a vote waits for it.
    fn owned_step(
        &mut self,
        store: &mut Store,
        k: usize,
        player: u64,
        turn: Option<usize>,
        step: &Step,
    ) -> Result<Option<ServerMsg>, Refused> {
        let sc = Arc::clone(&self.scenario);
        let by = self.who(k, player);
        let held = floor::roles_of(&sc, &by);
        if let (Ok(Resolved::Act(Action::Choose(i, _))), Step::Choose { decision, .. }) = (step.resolve(&sc), step) {
            if !sc.roles.is_empty() && !sc.injects[i.ix()].reaches(Some(&held)) {
                return Err(refusal_of(&StepError::UnknownId { what: "decision", id: decision.clone() }));
            }
            if self.teams[k].table.open_vote(decision, self.teams[k].game.turn()).is_some() {
                return Err(Refused::new(Code::NoVote, "the team is voting on this decision: cast your vote")
                    .arg("decision", decision));
            }
        }
        let Some(owner) = floor::owner_of(&sc, step) else { return Ok(None) };
        // The owner's player acts; so does anyone when nobody at the table holds the role
        // (a team never waits for a seat nobody sits in).
        if held.contains(&owner) || !self.teams[k].table.held(&sc.roles[owner.ix()].id) {
            return Ok(None);
        }
        step.check_sizes().map_err(|e| refusal_of(&e))?;
        let game = &self.teams[k].game;
        let now = game.turn();
        // A proposal the owner could not accept now is refused now, with the engine's reason.
        if let Some(asked) = turn.filter(|t| *t != now) {
            return Err(refusal_of(&StepError::WrongTurn { now: now + 1, asked: asked.saturating_add(1) }));
        }
        game.check(step).map_err(|e| refusal_of(&e))?;
        let table = &self.teams[k].table;
        if let Some(same) = table.open_proposals_of(now).find(|p| p.step == *step) {
            return Ok(Some(ServerMsg::Ok { done: Vec::new(), refused: Vec::new(), proposed: Some(same.id) }));
        }
        if table.open_proposals(now) >= floor::MAX_OPEN_PROPOSALS {
            return Err(Refused::new(Code::TooLong, "too many open proposals: decide some first")
                .arg("most", floor::MAX_OPEN_PROPOSALS));
        }
        let id = table.next_proposal();
        let owner = sc.roles[owner.ix()].id.clone();
        self.record(store, k, FloorEvent::Proposed { id, turn: now, step: step.clone(), owner, by }, true)?;
        Ok(Some(ServerMsg::Ok { done: Vec::new(), refused: Vec::new(), proposed: Some(id) }))
    }

    /// The one team a table request is for.
    fn one_team(&self, role: Role, team: Option<&str>) -> Result<usize, Refused> {
        match self.targets(role, team)?.as_slice() {
            [k] => Ok(*k),
            _ => Err(Refused::new(Code::WhichTeam, "say which team: a table request is for one team")),
        }
    }

    /// A player says who they are and which roles they hold; the facilitator seats one.
    fn seat(
        &mut self,
        role: Role,
        player: u64,
        (name, roles): (&str, &[String]),
        seated: Option<u64>,
        team: Option<&str>,
    ) -> Result<(), Refused> {
        let k = self.one_team(role, team)?;
        let player = match (role, seated) {
            (Role::Team(_), None) => player,
            (Role::Team(_), Some(p)) if p == player => player,
            (Role::Team(_), Some(_)) => {
                return Err(Refused::new(Code::FacilitatorOnly, "only the facilitator seats another player")
                    .arg("verb", "seat"));
            }
            (Role::Facilitator, Some(p)) => p,
            (Role::Facilitator, None) => return Err(Refused::new(Code::WhichTeam, "say which player: `player`")),
        };
        if !self.teams[k].table.seats.contains_key(&player) {
            return Err(Refused::new(Code::NoTeam, format!("no player {player} at this table")).arg("team", player));
        }
        let name = floor::check_name(name)
            .map_err(|why| Refused::new(Code::TooLong, why).arg("most", floor::MAX_NAME_CHARS))?;
        let mut held: Vec<String> = Vec::new();
        for id in roles.iter().take(crate::sim::validate::MAX_ROLES + 1) {
            if !self.scenario.roles.iter().any(|r| r.id == *id) {
                let known: Vec<&str> = self.scenario.roles.iter().map(|r| r.id.as_str()).collect();
                let hint = if known.is_empty() { "this scenario has no roles".to_owned() } else { known.join(", ") };
                return Err(Refused::new(
                    Code::Refused,
                    format!("no role `{}`: {hint}", id.chars().take(40).collect::<String>()),
                )
                .arg("why", hint));
            }
            if !held.contains(id) {
                held.push(id.clone());
            }
        }
        self.teams[k].table.seats.insert(player, Who { name, roles: held });
        self.announce_floor(k);
        // Who may act for which role changed: every player's buttons follow.
        self.publish(k);
        Ok(())
    }

    /// A player holding the owning role (or the facilitator) accepts or declines a proposal.
    fn decide(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        id: u64,
        accept: bool,
        team: Option<&str>,
    ) -> Result<ServerMsg, Refused> {
        let k = self.one_team(role, team)?;
        let turn = self.teams[k].game.turn();
        let Some(p) = self.teams[k].table.open_proposal(id, turn).cloned() else {
            return Err(Refused::new(Code::NoProposal, format!("no open proposal {id} this turn")).arg("proposal", id));
        };
        let by = match role {
            Role::Facilitator => Who { name: "Facilitator".into(), roles: Vec::new() },
            Role::Team(_) => self.who(k, player),
        };
        if role != Role::Facilitator && !by.roles.contains(&p.owner) {
            let label =
                self.scenario.roles.iter().find(|r| r.id == p.owner).map_or(p.owner.clone(), |r| r.label.clone());
            return Err(Refused::new(Code::NotYourRole, format!("{label} decides this")).arg("role", label));
        }
        let mut done = Vec::new();
        let seq = if accept {
            let refusals = self
                .commit_all(store, vec![(k, StepAt { turn: p.turn, step: p.step.clone() })], None)
                .map_err(|e| not_saved(&e))?;
            if let Some(Some(why)) = refusals.into_iter().next() {
                return Err(why);
            }
            done.push(Done { team: self.teams[k].name.clone(), seq: self.teams[k].steps });
            Some(self.teams[k].steps - 1)
        } else {
            None
        };
        self.record(store, k, FloorEvent::Decided { id, accept, by, seq }, true)?;
        Ok(ServerMsg::Ok { done, refused: Vec::new(), proposed: None })
    }

    /// The open, unanswered decision `decision` of team `k` that a player holding `by`'s
    /// roles may see (an inject index).
    fn open_decision(&self, k: usize, decision: &str, by: Option<&Who>) -> Result<usize, Refused> {
        let sc = &self.scenario;
        let game = &self.teams[k].game;
        let found = sc.inject_index(decision).filter(|i| {
            game.due_decisions().any(|(d, chosen)| d == *i && chosen.is_none())
                && by.is_none_or(|w| sc.roles.is_empty() || sc.injects[i.ix()].reaches(Some(&floor::roles_of(sc, w))))
        });
        found.map(|i| i.ix()).ok_or_else(|| {
            Refused::new(
                Code::NoVote,
                format!("no decision `{}` waits for an answer", decision.chars().take(64).collect::<String>()),
            )
            .arg("decision", decision.chars().take(64).collect::<String>())
        })
    }

    /// Puts a team decision to a vote.
    fn call_vote(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        decision: &str,
        seconds: u64,
        team: Option<&str>,
    ) -> Result<(), Refused> {
        let k = self.one_team(role, team)?;
        let by = match role {
            Role::Facilitator => Who { name: "Facilitator".into(), roles: Vec::new() },
            Role::Team(_) => self.who(k, player),
        };
        let i = self.open_decision(k, decision, (role != Role::Facilitator).then_some(&by))?;
        if let Some(owner) = self.scenario.injects[i].owner {
            let label = self.scenario.roles[owner.ix()].label.clone();
            return Err(Refused::new(Code::NotYourRole, format!("{label} decides this: propose an answer instead"))
                .arg("role", label));
        }
        if !floor::VOTE_SECONDS.contains(&seconds) {
            let (lo, hi) = (floor::VOTE_SECONDS.start(), floor::VOTE_SECONDS.end());
            return Err(Refused::new(Code::TimerOption, format!("a vote lasts {lo} to {hi} seconds, not {seconds}"))
                .arg("text", seconds));
        }
        let turn = self.teams[k].game.turn();
        if self.teams[k].table.open_vote(decision, turn).is_some() {
            return Err(Refused::new(Code::NoVote, "a vote on this decision is open already").arg("decision", decision));
        }
        let deadline_ms = now_ms().saturating_add(seconds as i64 * 1000);
        let event = FloorEvent::VoteCalled { decision: self.scenario.injects[i].id.clone(), turn, deadline_ms, by };
        self.record(store, k, event, true)
    }

    /// A player's vote; the vote ends at once when every player at the table has voted.
    fn ballot(
        &mut self,
        store: &mut Store,
        role: Role,
        player: u64,
        decision: &str,
        option: &str,
    ) -> Result<(), Refused> {
        let Role::Team(k) = role else {
            return Err(Refused::new(Code::NoVote, "the facilitator does not vote").arg("decision", decision));
        };
        let by = self.who(k, player);
        let i = self.open_decision(k, decision, Some(&by))?;
        let turn = self.teams[k].game.turn();
        let Some(vote) = self.teams[k].table.open_vote(decision, turn) else {
            return Err(Refused::new(Code::NoVote, "no vote is open on this decision").arg("decision", decision));
        };
        if vote.ballots.iter().any(|(name, o)| *name == by.name && o == option) {
            return Err(refusal_of(&StepError::NoChange));
        }
        let cast = self.teams[k].table.record.iter().filter(
            |(_, e)| matches!(e, FloorEvent::Ballot { decision: d, turn: t, .. } if d == decision && *t == turn),
        );
        if cast.count() >= floor::MAX_BALLOTS {
            return Err(Refused::new(Code::TooLong, "this vote has taken all the votes it takes")
                .arg("most", floor::MAX_BALLOTS));
        }
        if !self.scenario.injects[i].options.iter().any(|o| o.id == option) {
            let e = StepError::UnknownId { what: "option", id: option.chars().take(64).collect() };
            return Err(refusal_of(&e));
        }
        let event = FloorEvent::Ballot { decision: decision.to_owned(), turn, option: option.to_owned(), by };
        self.record(store, k, event, true)?;
        self.close_votes(store, now_ms()).map_err(|e| not_saved(&e))
    }

    /// Ends the votes whose time is up (or that every player at the table has voted in):
    /// the answer most voted for is chosen, the decision's default on a tie or with no
    /// votes. A vote whose turn ended, or whose decision the team answered (a facilitator's
    /// choice), ends with no answer of its own.
    pub fn close_votes(&mut self, store: &mut Store, now_ms: i64) -> Result<(), String> {
        for k in 0..self.teams.len() {
            let due: Vec<(String, usize, Vec<(String, String)>, i64)> = self.teams[k]
                .table
                .open_votes()
                .map(|v| (v.decision.clone(), v.turn, v.ballots.clone(), v.deadline_ms))
                .collect();
            for (decision, turn, ballots, deadline_ms) in due {
                let team = &self.teams[k];
                let everyone = !team.table.seats.is_empty()
                    && team.table.seats.values().all(|w| ballots.iter().any(|(n, _)| *n == w.name));
                let open = team.game.turn() == turn && self.open_decision(k, &decision, None).is_ok();
                if open && now_ms < deadline_ms && !everyone {
                    continue;
                }
                let mut closed = FloorEvent::VoteClosed {
                    decision: decision.clone(),
                    turn,
                    option: None,
                    by_default: false,
                    seq: None,
                };
                if open
                    && let Some(i) = self.scenario.inject_index(&decision)
                    && let Some((o, by_default)) = floor::tally(&self.teams[k].game, i.ix(), &ballots)
                {
                    let option = self.scenario.injects[i.ix()].options[usize::from(o)].id.clone();
                    let step = Step::Choose { decision: decision.clone(), option: option.clone() };
                    let refusals =
                        self.commit_all(store, vec![(k, StepAt { turn, step })], None).map_err(|e| e.to_string())?;
                    if refusals.first().is_some_and(Option::is_none) {
                        let seq = Some(self.teams[k].steps - 1);
                        closed = FloorEvent::VoteClosed { decision, turn, option: Some(option), by_default, seq };
                    }
                }
                self.record(store, k, closed, true).map_err(|e| e.message)?;
            }
        }
        Ok(())
    }

    /// A step for the teams a request names.
    fn step(
        &mut self,
        store: &mut Store,
        role: Role,
        turn: Option<usize>,
        step: &Step,
        team: Option<&str>,
    ) -> Result<ServerMsg, Refused> {
        step.check_sizes().map_err(|e| refusal_of(&e))?;
        if team.is_some_and(|t| t.chars().count() > MAX_TEAM_NAME) {
            return Err(Refused::new(Code::TooLong, "`team` is too long").arg("most", MAX_TEAM_NAME));
        }
        let targets = self.targets(role, team)?;
        match (step.author(), role) {
            (Author::Players, _) | (Author::Facilitator, Role::Facilitator) => {}
            (Author::Facilitator, Role::Team(_)) => return Err(facilitators(step.verb())),
            (Author::Server, _) => {
                return Err(Refused::new(Code::NotARequest, format!("`{}` is the server's own step", step.verb())));
            }
        }
        if *step == Step::EndTurn && self.pace == Pace::Synchronized && role != Role::Facilitator {
            return Err(Refused::new(
                Code::FacilitatorEndsTurns,
                "in this workshop the facilitator ends the turns: wait for the next turn",
            ));
        }
        // `*` ends each team's turn at its own turn; one team's end needs the turn it ends.
        if *step == Step::EndTurn && turn.is_none() && team != Some("*") {
            return Err(Refused::new(Code::WhichTurn, "say which turn ends: `turn`"));
        }
        let steps: Vec<(usize, StepAt)> = targets
            .iter()
            .map(|&k| {
                let game = &self.teams[k].game;
                // With `*`, each team at its own turn.
                let turn = if team == Some("*") { game.turn() } else { turn.unwrap_or(game.turn()) };
                (k, StepAt { turn, step: step.clone() })
            })
            .collect();
        // Every team's step in one transaction: for `*`, all the accepted ones or none.
        let refusals = self.commit_all(store, steps, None).map_err(|e| not_saved(&e))?;
        let mut done = Vec::new();
        let mut refused = Vec::new();
        for (k, refusal) in targets.into_iter().zip(refusals) {
            let name = &self.teams[k].name;
            match refusal {
                None => done.push(Done { team: name.clone(), seq: self.teams[k].steps }),
                Some(why) => refused.push((name.clone(), why)),
            }
        }
        if done.is_empty() && refused.len() == 1 {
            return Err(refused.remove(0).1);
        }
        let refused = refused.into_iter().map(|(team, why)| TeamRefusal { team, why: why.message }).collect();
        Ok(ServerMsg::Ok { done, refused, proposed: None })
    }

    /// The facilitator sets the turn timer: the current turn of every team ends that many
    /// seconds from now; a paused timer keeps the time left until it resumes.
    fn set_timer(&mut self, store: &mut Store, role: Role, order: TimerOrder, now_ms: i64) -> Result<(), Refused> {
        if role != Role::Facilitator {
            return Err(facilitators("timer"));
        }
        let timer = match (order, self.timer) {
            (TimerOrder::Off, _) => None,
            (TimerOrder::Pause, Some(t)) if t.paused_left_ms.is_none() => {
                Some(Timer { paused_left_ms: Some((t.deadline_ms - now_ms).max(0)), ..t })
            }
            (TimerOrder::Resume, Some(Timer { seconds, paused_left_ms: Some(left), .. })) => {
                Some(Timer { seconds, deadline_ms: now_ms.saturating_add(left), paused_left_ms: None })
            }
            (TimerOrder::Pause, _) => return Err(Refused::new(Code::TimerNotRunning, "the timer is not running")),
            (TimerOrder::Resume, _) => return Err(Refused::new(Code::TimerNotPaused, "the timer is not paused")),
            (TimerOrder::Start { seconds }, _) if TIMER_SECONDS.contains(&seconds) => {
                Some(Timer { seconds, deadline_ms: now_ms.saturating_add(seconds as i64 * 1000), paused_left_ms: None })
            }
            (TimerOrder::Start { seconds }, _) => {
                let (lo, hi) = (TIMER_SECONDS.start(), TIMER_SECONDS.end());
                return Err(Refused::new(
                    Code::TimerOption,
                    format!("a turn lasts {lo} to {hi} seconds, not {seconds}"),
                )
                .arg("text", seconds));
            }
        };
        store.set_timer(&self.id, timer).map_err(|e| not_saved(&e))?;
        self.timer = timer;
        self.announce_timer(now_ms);
        Ok(())
    }

    /// The teams a request acts on: a team token only ever its own team.
    pub fn targets(&self, role: Role, team: Option<&str>) -> Result<Vec<usize>, Refused> {
        match (role, team) {
            (Role::Team(k), None) => Ok(vec![k]),
            (Role::Team(k), Some(name)) if name == self.teams[k].name => Ok(vec![k]),
            (Role::Team(_), Some(_)) => Err(Refused::new(Code::OwnTeam, "a team's token acts only for its own team")),
            (Role::Facilitator, Some("*")) => Ok((0..self.teams.len()).collect()),
            (Role::Facilitator, Some(name)) => {
                self.teams.iter().position(|t| t.name == name).map(|k| vec![k]).ok_or_else(|| {
                    Refused::new(Code::NoTeam, format!("no team “{name}”: one of {}", self.team_names().join(", ")))
                        .arg("team", name)
                })
            }
            (Role::Facilitator, None) => {
                Err(Refused::new(Code::WhichTeam, "say which team: `team` is a team's name or `*` for all"))
            }
        }
    }
}

/// `verb` is the facilitator's alone.
fn facilitators(verb: &str) -> Refused {
    Refused::new(Code::FacilitatorOnly, format!("`{verb}` is the facilitator's")).arg("verb", verb)
}

/// The database did not take a step (or the timer), so it was not done.
fn not_saved(e: &dyn std::fmt::Display) -> Refused {
    Refused::new(Code::NotSaved, format!("not saved, so not done: {e}")).arg("why", e.to_string())
}

/// Team names as given, checked: 1 to 50 teams, unique names of 1 to 40 characters.
pub fn check_team_names(names: &[String]) -> Result<Vec<String>, String> {
    if names.is_empty() || names.len() > MAX_TEAMS {
        return Err(format!("a session has 1 to {MAX_TEAMS} teams, not {}", names.len()));
    }
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for n in names {
        let name = n.trim();
        if name.is_empty() || name.chars().count() > MAX_TEAM_NAME || name == "*" || name.chars().any(char::is_control)
        {
            return Err(format!("“{name}” is not a team name (1 to {MAX_TEAM_NAME} printable characters, not `*`)"));
        }
        if seen.insert(name.to_owned(), ()).is_some() {
            return Err(format!("two teams are called “{name}”"));
        }
        out.push(name.to_owned());
    }
    Ok(out)
}
