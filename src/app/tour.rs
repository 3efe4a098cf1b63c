//! The screenshot tour (`TTX_SCREENSHOTS=dir`): walks every screen of the bundled scenario,
//! saving a PNG of each, then quits. CI compares them with the reference images. Last, it
//! starts `ttx serve` (this program) with a workshop, joins as its facilitator and shoots
//! the dashboard's projector view.
//!
//! The tour is in English whatever the system's language, so the images compare;
//! `TTX_LANG=ja` takes it in Japanese instead, saving `ja-1-title.png` and so on.
//!
//! Beside each PNG, `{name}.regions.json` gives the rectangles of the screen's panels and
//! windows in pixels, so the test compares each part with a tolerance of its own (a
//! missing line in the feed is a large change to the feed, however small on the screen).

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use super::{Intent, Session};
use crate::i18n::Lang;

/// Adds the tour, saving into `dir`, in English unless `TTX_LANG` names another language.
pub(super) fn plugin(app: &mut App, dir: PathBuf) {
    let lang = std::env::var("TTX_LANG").ok().and_then(|tag| Lang::from_tag(&tag)).unwrap_or(Lang::En);
    if let Some(mut session) = app.world_mut().get_resource_mut::<Session>() {
        // For this run only: the player's remembered choice is not overwritten.
        session.use_lang(lang);
        // Every screen still, at once: the images compare whatever the frame rate.
        session.use_motion(false);
    }
    let mut prefix = if lang == Lang::En { String::new() } else { format!("{lang}-") };
    // A phone's window (`TTX_WINDOW`, see `window_size`): its shots are `phone-1-title.png`…
    if std::env::var_os("TTX_WINDOW").is_some() {
        prefix = format!("phone-{prefix}");
    }
    let phone = prefix.starts_with("phone-");
    app.insert_resource(Tour {
        dir,
        prefix,
        phone,
        frame: 0,
        step: 0,
        decision_shot: false,
        media_shot: false,
        server: None,
        waited: 0,
    })
    .add_systems(Update, run_tour);
}

/// Screenshot tour (TTX_SCREENSHOTS=dir): walks title → briefing → turn → summary →
/// debrief on the bundled scenario, saving a PNG of each screen, then quits.
#[derive(Resource)]
struct Tour {
    dir: PathBuf,
    /// Before each file name: "" in English, "ja-" in Japanese.
    prefix: String,
    frame: u32,
    step: usize,
    decision_shot: bool,
    /// The turn with injects in four media or more has been shot.
    media_shot: bool,
    /// A phone's window: no projector (a room's screen is not a phone).
    phone: bool,
    /// The workshop server the projector's shot watches (`ttx serve`, this binary).
    server: Option<Server>,
    /// Frames waited for the workshop to connect.
    waited: u32,
}

/// A `ttx serve` child process, stopped when the tour ends (or panics).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The port of the tour's workshop server.
const TOUR_PORT: u16 = 47_291;

/// Why the tour's workshop server did not start.
#[derive(Debug, thiserror::Error)]
enum ServerError {
    #[error("no free port on 127.0.0.1: {0}")]
    Port(std::io::Error),
    #[error("this program's path: {0}")]
    Exe(std::io::Error),
    #[error("ttx serve did not start: {0}")]
    Spawn(std::io::Error),
    #[error("ttx serve's output: {0}")]
    Read(std::io::Error),
    #[error("ttx serve printed no facilitator link")]
    NoLink,
}

/// Starts `ttx serve` on a free loopback port with a workshop of two teams (a database in
/// `dir`) and returns it with the facilitator's link it printed.
fn start_server(dir: &Path, prefix: &str) -> Result<(Server, String), ServerError> {
    use std::io::BufRead;
    // The dashboard shows the server's address: a fixed port keeps the shot the same run to
    // run (any free one if it is taken, and the comparison will say the address changed).
    let port = std::net::TcpListener::bind(("127.0.0.1", TOUR_PORT))
        .or_else(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .and_then(|l| l.local_addr())
        .map_err(ServerError::Port)?
        .port();
    let exe = std::env::current_exe().map_err(ServerError::Exe)?;
    let db = dir.join(format!("{prefix}projector.sqlite3"));
    let _ = std::fs::remove_file(&db);
    let mut child = std::process::Command::new(exe)
        .args(["serve", "--port", &port.to_string(), "--teams", "Red,Blue", "--seed", "7", "--db"])
        .arg(&db)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .map_err(ServerError::Spawn)?;
    let out = child.stdout.take().ok_or(ServerError::NoLink)?;
    let server = Server(child);
    // The links come within its first lines; a server that prints something else ends it.
    for line in std::io::BufReader::new(out).lines().take(100) {
        let line = line.map_err(ServerError::Read)?;
        if line.starts_with("facilitator") {
            let link = line.rsplit(": ").next().unwrap_or_default().trim().to_owned();
            return Ok((server, link));
        }
    }
    Err(ServerError::NoLink)
}

/// The media a turn's feed must show for the shot of the injects in their media.
const MEDIA_SHOT: usize = 4;

/// Frames a screen gets to settle before its screenshot.
const SETTLE_FRAMES: u32 = 45;
/// Frames between two steps that take no screenshot.
const STEP_FRAMES: u32 = 4;

impl Tour {
    /// Whether the turn on screen is the first with injects in four media or more (not in a
    /// phone's window, where the feed is a tab), and its shot not taken yet.
    fn media_next(&self, session: &Session) -> bool {
        !self.media_shot && !self.phone && session.game().is_some_and(|g| g.channels_this_turn().len() >= MEDIA_SHOT)
    }

    /// Whether the next step takes a screenshot (so the screen must settle first).
    fn shoots_next(&self, session: &Session) -> bool {
        match self.step {
            0 | 2 | 4 | 6 | 8 | 41 | 43 | 46 => true,
            10..=40 => {
                let open = session.debrief().is_none() && session.game().is_some_and(|g| !g.is_finished());
                let decision = session.game().is_some_and(|g| g.due_decisions().any(|(_, c)| c.is_none()));
                open && ((!self.decision_shot && decision) || self.media_next(session))
            }
            _ => false,
        }
    }
}

fn run_tour(
    mut tour: ResMut<Tour>,
    mut commands: Commands,
    mut intents: MessageWriter<Intent>,
    session: Res<Session>,
    mut exit: MessageWriter<AppExit>,
    mut contexts: EguiContexts,
) {
    use bevy::render::view::screenshot::{Screenshot, save_to_disk};
    tour.frame += 1;
    // Software rendering is slow to settle: give every screen time before it is captured.
    // A step that only plays on (ends a turn, continues) needs a few frames for its
    // intents to land, not the settling time.
    let settle = if tour.shoots_next(&session) { SETTLE_FRAMES } else { STEP_FRAMES };
    if tour.frame < settle {
        return;
    }
    tour.frame = 0;
    let prefix = tour.prefix.clone();
    let ctx = contexts.ctx_mut().ok().cloned();
    let shot = |commands: &mut Commands, name: &str, dir: &Path| {
        commands.spawn(Screenshot::primary_window()).observe(save_to_disk(dir.join(format!("{prefix}{name}.png"))));
        if let Some(ctx) = &ctx {
            let path = dir.join(format!("{prefix}{name}.regions.json"));
            if let Err(e) = std::fs::write(&path, regions_json(ctx, name)) {
                error!("the tour cannot write {}: {e}", path.display());
            }
        }
    };
    let dir = tour.dir.clone();
    let step = tour.step;
    tour.step += 1;
    match step {
        0 => shot(&mut commands, "1-title", &dir),
        1 => {
            intents.write(Intent::NewGame(0));
        }
        2 => shot(&mut commands, "2-briefing", &dir),
        3 => {
            intents.write(Intent::StartPlaying);
            for id in ["staged_rollout", "brief_stores"] {
                if let Some(m) = session.scenario().and_then(|s| s.mitigation_index(id)) {
                    intents.write(Intent::Act(crate::sim::Action::Take(m)));
                }
            }
        }
        4 => shot(&mut commands, "3-turn", &dir),
        5 => {
            intents.write(Intent::EndTurn);
        }
        6 => shot(&mut commands, "4-summary", &dir),
        7 => {
            // The facilitator opens the console and starts a five-minute timer.
            intents.write(Intent::ContinueFromSummary);
            intents.write(Intent::ToggleConsole);
            intents.write(Intent::SetTimer(Some(300.0)));
            // Paused at once: the clock shows the same time in every run of the tour, so
            // the screenshot compares exactly.
            intents.write(Intent::PauseTimer(true));
        }
        8 => shot(&mut commands, "7-console", &dir),
        9 => {
            // Play on to a decision turn, then to the end.
            intents.write(Intent::ToggleConsole);
            intents.write(Intent::SetTimer(None));
        }
        10..=40 => {
            let Some(g) = session.game() else { return };
            if session.debrief().is_some() {
                tour.step = 41;
            } else if g.is_finished() {
                intents.write(Intent::ContinueFromSummary);
            } else if tour.media_next(&session) {
                tour.media_shot = true;
                shot(&mut commands, "10-media", &dir);
            } else if g.due_decisions().any(|(_, c)| c.is_none()) && !tour.decision_shot {
                tour.decision_shot = true;
                shot(&mut commands, "5-decision", &dir);
            } else {
                intents.write(Intent::EndTurn);
                intents.write(Intent::ContinueFromSummary);
            }
        }
        41 => shot(&mut commands, "6-debrief", &dir),
        42 => {
            intents.write(Intent::RecordResult(crate::t!(session.tr(), "tour-team")));
        }
        43 => shot(&mut commands, "8-leaderboard", &dir),
        // The facilitator's dashboard of a live workshop on the room's projector (not in a
        // phone's window): a real server, no team joined yet.
        44 if !tour.phone => match start_server(&dir, &prefix) {
            Ok((server, link)) => {
                tour.server = Some(server);
                intents.write(Intent::JoinWorkshop(link));
            }
            Err(e) => {
                error!("the tour cannot start a workshop: {e}");
                exit.write(AppExit::error());
            }
        },
        45 if !tour.phone => {
            // Until the server has welcomed the facilitator with the workshop's teams.
            let ready = session.live().is_some_and(|l| {
                *l.status() == super::session::LiveStatus::Connected && l.is_facilitator() && !l.teams().is_empty()
            });
            if !ready {
                tour.step = 45;
                tour.waited += 1;
                if tour.waited > 300 {
                    error!("the tour's workshop never connected");
                    exit.write(AppExit::error());
                }
                return;
            }
            if let Some(ctx) = &ctx {
                ctx.data_mut(|d| d.insert_temp(egui::Id::new("dash-projector"), true));
            }
        }
        46 if !tour.phone => shot(&mut commands, "9-projector", &dir),
        _ => {
            tour.server = None;
            exit.write(AppExit::Success);
        }
    }
}

/// The panels each shot of the tour shows, by their egui ids (`Panel::left("dashboard")`).
fn panels(shot: &str) -> &'static [&'static str] {
    match shot {
        "2-briefing" => &["briefing_start"],
        // The desktop's panels, and a phone's (which has no dashboard or feed panel).
        "3-turn" | "5-decision" | "10-media" => {
            &["turn_bar", "rationale", "dashboard", "feed", "turn_tabs", "turn_actions"]
        }
        // The console starts a turn timer (paused): its own panel.
        "7-console" => &["timer", "turn_bar", "rationale", "dashboard", "feed"],
        "4-summary" => &["summary_bar"],
        "6-debrief" => &["debrief_bar"],
        "8-leaderboard" => &["board_bar"],
        _ => &[],
    }
}

/// The shot's regions as JSON: `{"dashboard": [x0, y0, x1, y1], ..., "window-1": [...]}`,
/// in the screenshot's pixels, rounded outwards; windows (a decision, the console) in order
/// of their left edge.
fn regions_json(ctx: &egui::Context, shot: &str) -> String {
    let ppp = ctx.pixels_per_point();
    let px = |r: egui::Rect| {
        [(r.min.x * ppp).floor(), (r.min.y * ppp).floor(), (r.max.x * ppp).ceil(), (r.max.y * ppp).ceil()]
            .map(|v| v.max(0.0) as u32)
    };
    let mut out = serde_json::Map::new();
    for id in panels(shot) {
        if let Some(state) = egui::containers::panel::PanelState::load(ctx, egui::Id::new(*id)) {
            out.insert((*id).to_owned(), serde_json::json!(px(state.outer_rect)));
        }
    }
    let mut windows: Vec<egui::Rect> = ctx.memory(|m| {
        m.areas()
            .visible_layer_ids()
            .into_iter()
            .filter(|l| l.order == egui::Order::Middle)
            .filter_map(|l| m.area_rect(l.id))
            .collect()
    });
    windows.sort_by(|a, b| a.min.x.total_cmp(&b.min.x).then(a.min.y.total_cmp(&b.min.y)));
    for (n, w) in windows.into_iter().enumerate() {
        out.insert(format!("window-{}", n + 1), serde_json::json!(px(w)));
    }
    serde_json::Value::Object(out).to_string()
}
