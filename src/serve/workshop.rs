//! A live workshop: one scenario and seed, several teams, each with its own game that only
//! the server changes. Clients send requests; each is checked by the engine on a copy of
//! the team's game, written to the database, and only then applied and announced.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::broadcast;

use super::store::{Pace, Store, StoredSession, Timer};
use crate::i18n::Lang;
pub use crate::protocol::Refusal as Refused;
use crate::protocol::{ClientMsg, Code, Done, ServerMsg, TeamRefusal, TimerOrder};
use crate::sim::player::{BriefingView, DebriefParts, briefing_view, player_view};
use crate::sim::save::SaveFile;
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
    /// The team's view after each change, one channel per language (`Lang::ALL`'s order),
    /// written once for all the team's players reading that language.
    pub views: Vec<broadcast::Sender<Arc<str>>>,
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
            let views = Lang::ALL.iter().map(|_| broadcast::channel(CHANNEL).0).collect();
            let (token, code) = (stored.token, stored.code);
            let steps = steps.len() as u64;
            teams.push(Team { name, token, code, game, steps, events, views, debrief: None, online: 0 });
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
    }

    /// Team `k`'s view in the language `lang` (an index into `Lang::ALL`) as its players
    /// are sent it.
    pub fn view_json(&mut self, k: usize, lang: usize) -> String {
        let team = &mut self.teams[k];
        let stale = team.debrief.as_ref().is_none_or(|(steps, _)| *steps != team.steps);
        if team.game.is_finished() && stale {
            team.debrief = Some((team.steps, DebriefParts::of(&team.game)));
        }
        let (game, tr) = in_language(&self.editions, &team.game, lang);
        let view = Box::new(player_view(&game, team.debrief.as_ref().map(|(_, p)| p), tr));
        ServerMsg::View { team: team.name.clone(), seq: team.steps, view }.to_json()
    }

    /// Sends team `k`'s view to its players, in each language someone reads it in.
    fn publish(&mut self, k: usize) {
        for lang in 0..Lang::ALL.len() {
            if self.teams[k].views[lang].receiver_count() > 0 {
                let view: Arc<str> = self.view_json(k, lang).into();
                let _ = self.teams[k].views[lang].send(view);
            }
        }
    }

    /// The briefing for team players reading `lang` (an index into `Lang::ALL`).
    pub fn briefing(&self, k: usize, lang: usize) -> BriefingView {
        let (game, tr) = in_language(&self.editions, &self.teams[k].game, lang);
        briefing_view(&game, tr)
    }

    /// Whether steps of this session wait for their group's commit.
    pub fn holds(&self) -> bool {
        !self.held.is_empty()
    }

    /// After a group failed to commit: the games go back to what is stored (`stored`), the
    /// held announcements are dropped, and every client is told to resync.
    pub fn restore(&mut self, stored: StoredSession) -> Result<(), String> {
        let back = Self::rebuild(stored)?;
        for (team, was) in self.teams.iter_mut().zip(back.teams) {
            team.game = was.game;
            team.steps = was.steps;
        }
        self.held.clear();
        let lagged: Arc<str> = ServerMsg::Lagged { missed: 0 }.to_json().into();
        let _ = self.events.send(lagged);
        // The players are sent the game as it is stored.
        for k in 0..self.teams.len() {
            self.publish(k);
        }
        Ok(())
    }

    /// A player of team `k` came (`true`) or went: the facilitator's screens are told.
    pub fn presence(&mut self, k: usize, came: bool) {
        let Some(team) = self.teams.get_mut(k) else { return };
        team.online = if came { team.online.saturating_add(1) } else { team.online.saturating_sub(1) };
        let msg = ServerMsg::Presence { team: team.name.clone(), online: team.online };
        let _ = self.events.send(msg.to_json().into());
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

    /// Handles a request from `role`: checks it, writes each accepted step to `store` before
    /// applying it, announces it; returns the reply to the sender.
    pub fn handle(&mut self, store: &mut Store, role: Role, msg: &ClientMsg) -> Result<ServerMsg, Refused> {
        let ok = || ServerMsg::Ok { done: Vec::new(), refused: Vec::new() };
        match msg {
            // The timer is the whole session's: no team to name.
            ClientMsg::Timer { order } => self.set_timer(store, role, *order, now_ms()).map(|()| ok()),
            ClientMsg::Sync { team } => self.targets(role, team.as_deref()).map(|_| ok()),
            ClientMsg::Step { turn, step, team } => self.step(store, role, *turn, step, team.as_deref()),
        }
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
        Ok(ServerMsg::Ok { done, refused })
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
