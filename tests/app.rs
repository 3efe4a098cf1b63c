//! Headless app tests: the game plugin under MinimalPlugins, driven by intents and
//! `app.update()`, from the title screen through every turn to the debrief.
#![cfg(feature = "app")]

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use ttx::app::session::{Settings, TimerOrder};
use ttx::app::{Intent, News, Screen, Session, game_plugin};
use ttx::i18n::Lang;
use ttx::sim::Action;

/// A session in English whatever the machine's language (the tests read its notices), as
/// if the player had chosen English before.
fn english(data_dir: Option<std::path::PathBuf>) -> Session {
    if let Some(d) = &data_dir {
        let en = ron::to_string(&Settings { lang: Lang::En, ..Settings::default() }).expect("settings");
        ttx::app::storage::Store::Dir(d.clone()).write("settings.ron", &en).expect("write settings");
    }
    let mut s = Session::new(data_dir);
    s.use_lang(Lang::En);
    s
}

fn app_with(data_dir: Option<std::path::PathBuf>) -> App {
    let mut app = App::new();
    app.insert_resource(english(data_dir));
    app.add_plugins((MinimalPlugins, StatesPlugin, game_plugin));
    app.update();
    app
}

fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    // One update resolves the intent, the next applies the state change.
    app.update();
    app.update();
}

fn send_news(app: &mut App, news: News) {
    app.world_mut().write_message(news);
    app.update();
    app.update();
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn session(app: &App) -> &Session {
    app.world().resource::<Session>()
}

/// The notice shown to the player ("" when none).
fn notice(app: &App) -> &str {
    session(app).notice().unwrap_or_default()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("ttx-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn title_to_debrief_through_every_turn() {
    let mut app = app_with(None);
    assert_eq!(screen(&app), Screen::Title);
    assert_eq!(session(&app).catalog().len(), ttx::sim::bundled::BUNDLED.len(), "every bundled scenario listed");
    send(&mut app, Intent::NewGame(0));
    assert_eq!(screen(&app), Screen::Briefing);
    send(&mut app, Intent::StartPlaying);
    assert_eq!(screen(&app), Screen::Playing);
    let staged = session(&app).scenario().and_then(|s| s.mitigation_index("staged_rollout")).expect("7pay card");
    send(&mut app, Intent::Act(Action::Take(staged)));
    assert_eq!(session(&app).game().expect("game").points_left(), 2);
    let turns = session(&app).scenario().expect("scenario").turns.len();
    for t in 0..turns {
        assert_eq!(session(&app).game().expect("game").turn(), t);
        send(&mut app, Intent::EndTurn);
        assert_eq!(screen(&app), Screen::Summary);
        assert_eq!(session(&app).summary_turn(), t);
        send(&mut app, Intent::ContinueFromSummary);
    }
    assert_eq!(screen(&app), Screen::Debrief);
    let debrief = session(&app).debrief().expect("debrief computed");
    assert!((0.0..=100.0).contains(&debrief.score.total));
    assert!(debrief.history.is_some(), "compared with the historical path");
    assert_eq!(debrief.choices.len(), 1, "the one move is valued");
    // What-if from turn 3: the first move is replayed, play resumes on turn 3.
    send(&mut app, Intent::ReplayFrom(3));
    assert_eq!(screen(&app), Screen::Playing);
    let g = session(&app).game().expect("game");
    assert_eq!((g.turn(), g.actions().len()), (3, 1));
}

#[test]
fn undo_goes_back_a_turn_with_its_moves() {
    let mut app = app_with(None);
    send(&mut app, Intent::NewGame(0));
    send(&mut app, Intent::StartPlaying);
    send(&mut app, Intent::Act(Action::Take(ttx::sim::MitigationIdx::at(0))));
    send(&mut app, Intent::EndTurn);
    send(&mut app, Intent::ContinueFromSummary);
    assert_eq!(session(&app).game().expect("game").turn(), 1);
    send(&mut app, Intent::Undo);
    assert_eq!(screen(&app), Screen::Playing);
    let g = session(&app).game().expect("game");
    assert_eq!((g.turn(), g.actions().len()), (0, 1));
    // Nothing before the first turn: a notice, no crash, same screen.
    send(&mut app, Intent::Undo);
    assert!(session(&app).notice().is_some());
    assert_eq!(screen(&app), Screen::Playing);
}

#[test]
fn autosave_resumes_and_a_corrupt_one_is_kept_aside() {
    let dir = temp_dir("save");
    let mut app = app_with(Some(dir.clone()));
    send(&mut app, Intent::NewGame(1));
    send(&mut app, Intent::StartPlaying);
    send(&mut app, Intent::Act(Action::Take(ttx::sim::MitigationIdx::at(0))));
    send(&mut app, Intent::EndTurn);
    send(&mut app, Intent::ContinueFromSummary);
    let log = session(&app).game().expect("game").log().to_vec();
    assert!(dir.join("autosave.ron").exists());

    let mut fresh = app_with(Some(dir.clone()));
    assert!(session(&fresh).has_autosave());
    send(&mut fresh, Intent::Resume);
    assert_eq!(screen(&fresh), Screen::Playing);
    assert_eq!(session(&fresh).game().expect("resumed").log(), log.as_slice());

    std::fs::write(dir.join("autosave.ron"), "Autosave(scenario_name: \"x\", scenario_text: ").expect("corrupt it");
    let mut broken = app_with(Some(dir.clone()));
    send(&mut broken, Intent::Resume);
    assert_eq!(screen(&broken), Screen::Title);
    assert!(notice(&broken).contains("could not be resumed"), "{}", notice(&broken));
    let kept = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("broken"));
    assert!(kept, "the corrupt save is kept aside, not deleted");
}

#[test]
fn a_broken_scenario_never_leaves_the_current_screen() {
    let dir = temp_dir("broken");
    let mut app = app_with(None);
    send(&mut app, Intent::NewGame(0));
    send(&mut app, Intent::StartPlaying);
    let before = session(&app).game().expect("game").log().to_vec();
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "Scenario(format: 1, meta: (id: \"x\", title: \"X\", summary: \"\"), metrics: [], turns: [], scoring: (components: [], grades: []), extra: 1)").expect("write");
    send(&mut app, Intent::OpenPath(bad.clone()));
    assert_eq!(screen(&app), Screen::Playing, "still playing");
    let errors = session(&app).errors().cloned().expect("error panel");
    assert!(errors.diagnostics[0].line > 0);
    assert!(errors.diagnostics[0].message.contains("unknown field `extra`"), "{:?}", errors.diagnostics[0]);
    assert_eq!(session(&app).game().expect("game").log(), before.as_slice(), "the game is untouched");
    send(&mut app, Intent::DismissErrors);
    assert!(session(&app).errors().is_none());

    // Fixing the file on disk offers a reload; reloading starts it.
    let good =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/clinic-ransomware.ron")).expect("read");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&bad, good).expect("fix");
    let changed = app.world_mut().resource_mut::<Session>().poll_watched();
    assert!(changed && session(&app).reload_offered());
    send(&mut app, Intent::Reload);
    assert_eq!(screen(&app), Screen::Briefing);
    assert!(session(&app).catalog().iter().any(|e| e.path.as_deref() == Some(bad.as_path())));
}

#[test]
fn dropped_files_open() {
    let mut app = app_with(None);
    let path = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/clinic-ransomware.ron"));
    app.world_mut().write_message(FileDragAndDrop::DroppedFile { window: Entity::PLACEHOLDER, path_buf: path });
    app.update();
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Briefing);
}

#[test]
fn the_players_reason_goes_into_the_log() {
    let mut app = app_with(None);
    send(&mut app, Intent::NewGame(0));
    send(&mut app, Intent::StartPlaying);
    send(&mut app, Intent::Note("launch will be crowded".into()));
    let log = session(&app).game().expect("game").log().to_vec();
    assert!(log.contains(&ttx::sim::Outcome::Note { text: "launch will be crowded".into() }));
}

fn game(app: &App) -> &ttx::sim::Game {
    session(app).game().expect("a game")
}

/// A workshop player's view of its team's game, as the server sent it.
fn view(app: &App) -> &ttx::sim::present::player::PlayerView {
    session(app).live().and_then(|l| l.view()).expect("a view")
}

/// What a player reading English who has not taken a role is shown of `game`: the injects
/// that reach the whole team, and every role's moves (nobody holds one).
fn shown(game: &ttx::sim::Game) -> ttx::sim::present::player::PlayerView {
    let all: Vec<_> = ttx::sim::scenario::RoleIdx::all(game.scenario().roles.len()).collect();
    let seat = (!all.is_empty()).then_some(ttx::sim::present::player::Seat { sees: &[], acts: &all });
    ttx::sim::present::player::player_view_at(game, None, Lang::En.tr(), seat)
}

#[test]
fn the_facilitator_console_is_logged_autosaved_and_resumed() {
    use ttx::sim::play::game::Intervention;
    let dir = temp_dir("console");
    let mut app = app_with(Some(dir.clone()));
    send(&mut app, Intent::NewGame(0));
    send(&mut app, Intent::StartPlaying);
    send(&mut app, Intent::ToggleConsole);
    assert!(session(&app).console_open());
    let sc = std::sync::Arc::clone(game(&app).scenario());
    let trust = sc.metric_index("trust").expect("trust");
    let lottery = sc.inject_index("lottery_clash").expect("inject");
    let press = sc.inject_index("press_conference").expect("inject");
    send(&mut app, Intent::Facilitate(Intervention::Trigger { inject: lottery }));
    assert_eq!(game(&app).fired_count(lottery), 1, "fired on launch eve");
    send(&mut app, Intent::Facilitate(Intervention::SetMetric { metric: trust, value: 75.0 }));
    assert_eq!(game(&app).metrics()[trust.ix()], 75.0);
    send(&mut app, Intent::Facilitate(Intervention::Suppress { inject: press, on: true }));
    // Refused interventions say why and change nothing.
    let before = game(&app).log().len();
    send(&mut app, Intent::Facilitate(Intervention::Trigger { inject: lottery }));
    assert_eq!(game(&app).log().len(), before);
    assert!(notice(&app).contains("does not repeat"), "{}", notice(&app));
    send(&mut app, Intent::EndTurn);
    send(&mut app, Intent::ContinueFromSummary);
    send(&mut app, Intent::StepBack);
    assert_eq!(screen(&app), Screen::Playing);
    assert_eq!(game(&app).turn(), 0);
    send(&mut app, Intent::EndTurn);
    let log = game(&app).log().to_vec();
    assert!(
        log.iter().any(|o| matches!(o, ttx::sim::Outcome::Facilitator { act: Intervention::SteppedBack { from: 1 } }))
    );

    // A new session on the same folder resumes every intervention exactly.
    let mut again = app_with(Some(dir.clone()));
    send(&mut again, Intent::Resume);
    assert_eq!(game(&again).log(), log.as_slice());
    assert!(game(&again).is_suppressed(press));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_turn_timer_ends_the_turn_when_time_runs_out() {
    let mut s = english(None);
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    assert!(!s.tick(100.0, Screen::Playing), "no timer set");
    s.handle(Intent::SetTimer(Some(60.0)), Screen::Playing);
    assert_eq!(s.time_left(), Some(60.0));
    assert!(!s.tick(30.0, Screen::Playing));
    assert!(!s.tick(30.0, Screen::Summary), "only counts on the turn screen");
    s.handle(Intent::PauseTimer(true), Screen::Playing);
    assert!(!s.tick(45.0, Screen::Playing), "paused");
    s.handle(Intent::PauseTimer(false), Screen::Playing);
    assert_eq!(s.time_left(), Some(30.0));
    assert!(s.tick(31.0, Screen::Playing), "time is up");
    assert!(!s.tick(1.0, Screen::Playing), "reported once");

    // Through the app: time-up ends the turn and the next turn's countdown starts afresh.
    let mut app = app_with(None);
    send(&mut app, Intent::NewGame(0));
    send(&mut app, Intent::StartPlaying);
    send(&mut app, Intent::SetTimer(Some(90.0)));
    send_news(&mut app, News::TimeUp);
    assert_eq!(screen(&app), Screen::Summary);
    assert_eq!(game(&app).turn(), 1);
    assert!(
        game(&app).log().contains(&ttx::sim::Outcome::Facilitator { act: ttx::sim::play::game::Intervention::TimeUp })
    );
    send(&mut app, Intent::ContinueFromSummary);
    app.update();
    let left = session(&app).time_left().expect("timer on");
    assert!(left > 89.0 && left <= 90.0, "{left}");
}

#[test]
fn the_leaderboard_ranks_teams_and_refuses_results_it_cannot_merge() {
    let dir = temp_dir("board");
    let mut app = app_with(Some(dir.clone()));
    let play = |app: &mut App, team: &str, take: Option<&str>| {
        send(app, Intent::NewGame(0));
        send(app, Intent::StartPlaying);
        if let Some(id) = take {
            let m = session(app).scenario().and_then(|s| s.mitigation_index(id)).expect("card");
            send(app, Intent::Act(Action::Take(m)));
        }
        let turns = session(app).scenario().expect("scenario").turns.len();
        for _ in 0..turns {
            send(app, Intent::EndTurn);
            send(app, Intent::ContinueFromSummary);
        }
        assert_eq!(screen(app), Screen::Debrief);
        send(app, Intent::RecordResult(team.into()));
        assert_eq!(screen(app), Screen::Leaderboard);
    };
    play(&mut app, "Idle", None);
    play(&mut app, "Careful", Some("staged_rollout"));
    let boards = &session(&app).boards();
    assert_eq!(boards.len(), 1);
    let board = boards[0].board.as_ref().expect("merged");
    let teams: Vec<&str> = board.rows.iter().map(|r| r.team.as_str()).collect();
    assert_eq!(teams, ["Careful", "Idle"], "the staged rollout scores higher");
    assert!(board.rows[0].score.total > board.rows[1].score.total);
    assert_eq!(board.rows[1].diverged.as_deref(), Some("24 - 29 Jun"));
    assert!(!board.best_on.is_empty());
    // The exported save is the result file: it names the team.
    let exported = session(&app).autosave_text().expect("autosave");
    assert!(exported.contains("team: Some(\"Careful\")"), "{exported}");

    // Garbage and results from another version of the scenario are refused with a reason.
    send_news(&mut app, News::ResultFile { name: "garbage.ron".into(), text: "not a save".into() });
    assert!(notice(&app).starts_with("garbage.ron was not added to the leaderboard"), "{}", notice(&app));
    let text = std::fs::read_to_string("scenarios/7pay-launch-week.ron").expect("bundled scenario");
    let edited = text.replacen("briefing: \"", "briefing: \"(Edited.) ", 1);
    assert_ne!(edited, text);
    send(&mut app, Intent::OpenText { name: "7pay-edited.ron".into(), text: edited });
    let n = session(&app).current().expect("opened");
    send(&mut app, Intent::StartPlaying);
    let turns = session(&app).scenario().expect("scenario").turns.len();
    for _ in 0..turns {
        send(&mut app, Intent::EndTurn);
        send(&mut app, Intent::ContinueFromSummary);
    }
    assert_eq!(session(&app).current(), Some(n));
    send(&mut app, Intent::RecordResult("Edited".into()));
    assert!(notice(&app).contains("another version"), "{}", notice(&app));
    assert_eq!(session(&app).results().len(), 2);

    // Kept between runs; removing one re-ranks.
    let mut again = app_with(Some(dir.clone()));
    assert_eq!(session(&again).results().len(), 2);
    let careful = session(&again).boards()[0].entries[0];
    send(&mut again, Intent::RemoveResult(careful));
    let board = session(&again).boards()[0].board.as_ref().expect("merged");
    assert_eq!(board.rows.len(), 1);
    assert_eq!(board.rows[0].team, "Idle");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn teams_with_the_same_name_are_told_apart_and_unreadable_results_are_kept_aside() {
    let dir = temp_dir("same-name");
    let mut s = english(Some(dir.clone()));
    for take in [false, true] {
        s.handle(Intent::NewGame(0), Screen::Title);
        s.handle(Intent::StartPlaying, Screen::Briefing);
        if take {
            let m = s.scenario().and_then(|sc| sc.mitigation_index("staged_rollout")).expect("card");
            s.handle(Intent::Act(Action::Take(m)), Screen::Playing);
        }
        while !s.game().is_some_and(ttx::sim::Game::is_finished) {
            s.handle(Intent::EndTurn, Screen::Playing);
        }
        s.handle(Intent::RecordResult("Blue".into()), Screen::Debrief);
    }
    // Both are "Blue"; removing the leader removes the leader's result, not the other one.
    let board = &s.boards()[0];
    let leader = board.entries[0];
    assert_eq!(leader, 1, "the second game (staged rollout) leads");
    s.handle(Intent::RemoveResult(leader), Screen::Leaderboard);
    assert_eq!(s.results().len(), 1);
    assert!(s.results()[0].save.actions.is_empty(), "the idle game is the one left");

    // A results file that cannot be read is kept aside, never overwritten.
    std::fs::write(dir.join("results.ron"), "[ (broken").expect("write");
    let s = english(Some(dir.clone()));
    assert!(s.results().is_empty());
    assert!(s.notice().is_some_and(|n| n.contains("could not be read")), "{:?}", s.notice());
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("results.ron."))
        .collect();
    assert_eq!(kept.len(), 1, "kept aside");
    assert_eq!(std::fs::read_to_string(kept[0].path()).expect("read"), "[ (broken");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn importing_a_save_names_the_file_when_it_cannot() {
    let dir = temp_dir("import");
    let mut s = english(Some(dir.clone()));
    s.handle(Intent::NewGame(0), Screen::Title);
    s.handle(Intent::StartPlaying, Screen::Briefing);
    s.handle(Intent::EndTurn, Screen::Playing);
    let exported = s.autosave_text().expect("autosave");
    let log = s.game().expect("game").log().to_vec();

    let mut other = english(Some(temp_dir("import-other")));
    assert_eq!(other.news(News::SaveFile { name: "team.ron".into(), text: "(nonsense".into() }, Screen::Title), None);
    let refused = other.notice().map(str::to_owned).unwrap_or_default();
    assert!(refused.starts_with("team.ron is not a ttx save"), "{refused}");
    assert!(other.game().is_none(), "nothing changed");
    assert_eq!(
        other.news(News::SaveFile { name: "team.ron".into(), text: exported }, Screen::Title),
        Some(Screen::Playing)
    );
    assert_eq!(other.game().expect("resumed").log(), log.as_slice());
    assert!(other.has_autosave(), "the import became the autosave");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_scenario_is_played_in_the_players_language_and_a_save_moves_between_them() {
    let dir = temp_dir("languages");
    let mut app = app_with(Some(dir.clone()));
    let seven_pay = &session(&app).catalog()[0];
    assert_eq!(seven_pay.languages().collect::<Vec<_>>(), ["en", "ja"]);
    assert_eq!(seven_pay.shown("ja").0, "7pay：サービス開始の一週間");
    send(&mut app, Intent::SetLang(Lang::Ja));
    send(&mut app, Intent::NewGame(0));
    assert_eq!(game(&app).scenario().meta.title, "7pay：サービス開始の一週間");
    send(&mut app, Intent::StartPlaying);
    send(&mut app, Intent::Act(Action::Take(ttx::sim::MitigationIdx::at(0))));
    send(&mut app, Intent::EndTurn);
    send(&mut app, Intent::ContinueFromSummary);
    let log = game(&app).log().to_vec();

    // Switching language mid-game switches the scenario's texts, not the game.
    send(&mut app, Intent::SetLang(Lang::En));
    assert_eq!(game(&app).scenario().meta.title, "7pay: launch week");
    assert_eq!(game(&app).log(), log.as_slice());
    assert_eq!(screen(&app), Screen::Playing);

    // The autosave, written in Japanese, resumes in English and in Japanese.
    send(&mut app, Intent::SetLang(Lang::Ja));
    send(&mut app, Intent::EndTurn);
    send(&mut app, Intent::ContinueFromSummary);
    let log = game(&app).log().to_vec();
    let mut en = app_with(Some(dir.clone()));
    send(&mut en, Intent::Resume);
    assert_eq!(screen(&en), Screen::Playing, "{}", notice(&en));
    assert_eq!(game(&en).scenario().meta.title, "7pay: launch week");
    assert_eq!(game(&en).log(), log.as_slice());
    let mut ja = app_with(Some(dir.clone()));
    send(&mut ja, Intent::SetLang(Lang::Ja));
    send(&mut ja, Intent::Resume);
    assert_eq!(game(&ja).scenario().meta.title, "7pay：サービス開始の一週間");
    assert_eq!(game(&ja).log(), log.as_slice());
    let _ = std::fs::remove_dir_all(dir);
}

/// A `ttx serve` on a loopback port of its own runtime (dropping the runtime kills it, as a
/// crash would: every connection goes with it).
#[cfg(not(target_arch = "wasm32"))]
fn workshop_server(db: &std::path::Path, port: u16) -> (tokio::runtime::Runtime, std::net::SocketAddr) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let (tx, rx) = tokio::sync::oneshot::channel();
    let db = db.to_owned();
    rt.spawn(async move {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        ttx::serve::serve(
            addr,
            &db,
            std::path::Path::new("/nonexistent-web"),
            None,
            ttx::serve::Options::new(Some(OPERATOR_KEY.into()), 30),
            Some(tx),
        )
        .await
        .expect("serves");
    });
    let addr = rt.block_on(rx).expect("the server started");
    (rt, addr)
}

/// The operator key of the tests' workshop servers.
#[cfg(not(target_arch = "wasm32"))]
const OPERATOR_KEY: &str = "app-test-operator-key-42";

/// Runs both apps until `done` holds for each (20 s at most).
#[cfg(not(target_arch = "wasm32"))]
fn until(apps: &mut [&mut App], what: &str, done: impl Fn(&App) -> bool) {
    let began = std::time::Instant::now();
    while !apps.iter().all(|a| done(a)) {
        assert!(began.elapsed().as_secs() < 20, "not within 20 s: {what}; notice: {:?}", notice(apps[0]));
        for a in apps.iter_mut() {
            a.update();
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A workshop client's live state.
fn live(app: &App) -> &ttx::app::session::Live {
    session(app).live().expect("in a workshop")
}

/// Whether `app` is a workshop's facilitator (its game is every team's, on the dashboard).
fn app_is_facilitator(app: &App) -> bool {
    session(app).live().is_some_and(|l| l.role() == Some(ttx::app::session::LiveRole::Facilitator))
}

#[test]
#[cfg(not(target_arch = "wasm32"))]
fn two_players_of_a_team_play_one_live_game_that_survives_a_server_crash() {
    use ttx::app::session::LiveStatus;
    let dir = temp_dir("workshop");
    let db = dir.join("workshops.sqlite3");
    // The session, created as `ttx serve --teams Red,Blue --seed 7` does as it starts.
    let created = {
        let mut server = ttx::serve::Server::open(ttx::serve::store::Store::open(&db).expect("db")).expect("open");
        let (name, text) = ttx::serve::bundled(None).expect("7pay");
        let pace = ttx::serve::store::Pace::Free;
        let created = server.create(name.clone(), text.clone(), 7, &["Red".into(), "Blue".into()], pace);
        // And a second workshop whose turns only the facilitator ends.
        let synced = server.create(name, text, 7, &["Solo".into()], ttx::serve::store::Pace::Synchronized);
        (created.expect("created"), synced.expect("created"))
    };
    let (created, synced) = created;
    let (rt, addr) = workshop_server(&db, 0);
    let link = format!("http://{addr}/?join={}", created.teams[0].token);
    let mut a = app_with(None);
    let mut b = app_with(None);
    send(&mut a, Intent::JoinWorkshop(link.clone()));
    // B types the team's code after the server, as on a desktop, in lower case.
    let code = ttx::serve::workshop::display_code(&created.teams[0].code).to_lowercase();
    send(&mut b, Intent::JoinWorkshop(code.clone()));
    assert!(notice(&b).contains("type the server's address first"), "{}", notice(&b));
    send(&mut b, Intent::JoinWorkshop(format!("{addr} {code}")));
    until(&mut [&mut a, &mut b], "both players see the team's briefing", |app| {
        screen(app) == Screen::Briefing
            && session(app).live().is_some_and(|l| l.briefing().is_some() && l.view().is_some())
    });
    // A player holds views, never the scenario or a game of it.
    assert!(session(&a).game().is_none() && session(&a).scenario().is_none());
    assert_eq!(session(&a).live().and_then(|l| l.team()), Some("Red"));
    send(&mut a, Intent::StartPlaying);
    send(&mut b, Intent::StartPlaying);

    // Player A takes a mitigation: B sees it; B ends the turn: both see the summary.
    let sc = {
        let (name, text) = ttx::serve::bundled(None).expect("7pay");
        std::sync::Arc::new(ttx::sim::load_str(&text, &name).expect("loads").scenario)
    };
    let m = view(&a)
        .turn
        .cards
        .iter()
        .map(|c| c.button.action)
        .find(|act| {
            matches!(act, Action::Take(_)) && ttx::sim::Game::new(std::sync::Arc::clone(&sc), 7).act(*act).is_ok()
        })
        .expect("something can be taken on turn 1");
    send(&mut a, Intent::Act(m));
    until(&mut [&mut a, &mut b], "both see the move", |app| session(app).live().is_some_and(|l| l.seq() == 1));
    send(&mut b, Intent::Note("We pause first, then fix the reset.".into()));
    send(&mut b, Intent::EndTurn);
    until(&mut [&mut a, &mut b], "both see the summary", |app| {
        screen(app) == Screen::Summary && view(app).turn.turn == 1
    });

    // The same game played offline, move for move.
    let mut offline = ttx::sim::Game::new(std::sync::Arc::clone(&sc), 7);
    offline.act(m).expect("take");
    offline.note("We pause first, then fix the reset.").expect("note");
    offline.end_turn();
    assert_eq!(view(&a), &shown(&offline), "A is shown the game played offline");
    assert_eq!(view(&b), &shown(&offline));

    // The server dies; both players see the connection lost, then back, and play on.
    drop(rt);
    until(&mut [&mut a, &mut b], "both see the connection lost", |app| {
        matches!(session(app).live().map(|l| l.status()), Some(LiveStatus::Lost(_)))
    });
    let (_rt, _) = workshop_server(&db, addr.port());
    until(&mut [&mut a, &mut b], "both reconnect by themselves", |app| {
        session(app).live().is_some_and(|l| *l.status() == LiveStatus::Connected)
    });
    send(&mut a, Intent::ContinueFromSummary);
    send(&mut a, Intent::EndTurn);
    until(&mut [&mut a, &mut b], "both see turn 2 end", |app| view(app).turn.turn == 2);
    offline.end_turn();
    assert_eq!(view(&b), &shown(&offline), "nothing was lost with the server");

    // The facilitator's link opens the dashboard: every team's game, and the turn ended
    // for all of them at once.
    let mut f = app_with(None);
    send(&mut f, Intent::JoinWorkshop(format!("http://{addr}/?join={}", created.facilitator)));
    until(&mut [&mut f], "the dashboard with both teams' games", |app| {
        let live = session(app).live();
        screen(app) == Screen::Workshop
            && live.is_some_and(|l| l.teams().len() == 2 && l.teams().iter().all(|t| t.game().is_some()))
    });
    // Who is connected: Red's two players, nobody of Blue.
    until(&mut [&mut f], "the dashboard knows who is connected", |app| {
        let teams = &session(app).live().expect("live").teams();
        teams.iter().map(|t| t.online()).collect::<Vec<_>>() == [2, 0]
    });
    send(&mut f, Intent::EndTurnFor(None));
    until(&mut [&mut a, &mut b], "the players see their turn ended by the facilitator", |app| view(app).turn.turn == 3);
    offline.end_turn();
    until(&mut [&mut f], "the dashboard sees both teams move on", |app| {
        let teams = &session(app).live().expect("live").teams();
        teams.iter().filter_map(|t| t.game()).map(|g| g.turn()).collect::<Vec<_>>() == [3, 1]
    });
    let red_link = format!("http://{addr}/?join={}", created.teams[0].token);
    assert_eq!(session(&f).live().and_then(|l| l.teams()[0].link().map(str::to_owned)), Some(red_link));
    assert_eq!(
        session(&f).live().and_then(|l| l.teams()[0].code().map(str::to_owned)),
        Some(ttx::serve::workshop::display_code(&created.teams[0].code)),
        "the dashboard shows the code to type"
    );
    let red = session(&f).live().and_then(|l| l.teams()[0].game()).expect("Red");
    assert_eq!(red.log(), offline.log(), "the facilitator's view of Red is Red's game");
    // The console on Red: a metric set there is set in Red's game on every screen.
    send(&mut f, Intent::ConsoleOn(Some(0)));
    let metric = sc.metric_index(&sc.metrics[0].id).expect("a metric");
    send(&mut f, Intent::Facilitate(ttx::sim::play::game::Intervention::SetMetric { metric, value: 42.0 }));
    let set = Lang::En.tr().quantity(42.0, sc.metrics[metric.ix()].measure());
    until(&mut [&mut a, &mut b], "the players see the facilitator's change", |app| {
        view(app).turn.metrics.iter().any(|m| m.label == sc.metrics[metric.ix()].label && m.value == set)
    });
    // The console steps Red back a turn: every player is on that turn again.
    let before = view(&a).turn.turn;
    send(&mut f, Intent::StepBack);
    until(&mut [&mut a, &mut b], "the players see their team stepped back a turn", |app| {
        view(app).turn.turn + 1 == before && screen(app) == Screen::Playing
    });
    // And on every team at once: Blue's game (seen on the dashboard) changes too.
    send(&mut f, Intent::ConsoleForAll(true));
    send(&mut f, Intent::Facilitate(ttx::sim::play::game::Intervention::SetMetric { metric, value: 7.0 }));
    until(&mut [&mut f], "every team's metric set", |app| {
        let teams = &session(app).live().expect("live").teams();
        teams.iter().all(|t| t.game().is_some_and(|g| g.metrics()[metric.ix()] == 7.0))
    });

    // The server's turn timer: the players count down with it, and stop while the
    // facilitator pauses it; when it runs out every team's turn ends, whoever is looking.
    send(&mut f, Intent::WorkshopTimer(TimerOrder::Start(600)));
    until(&mut [&mut a, &mut b], "the players see the timer", |app| session(app).time_left().is_some());
    send(&mut f, Intent::WorkshopTimer(TimerOrder::Pause));
    until(&mut [&mut a, &mut b, &mut f], "the timer paused everywhere", |app| {
        let live = session(app).live();
        live.and_then(|l| l.timer()).is_some_and(|t| t.paused)
            && (app_is_facilitator(app) || session(app).timer().paused)
    });
    let left = session(&a).time_left().expect("a time left");
    for _ in 0..20 {
        a.update();
    }
    assert_eq!(session(&a).time_left(), Some(left), "a paused countdown stands still");
    send(&mut f, Intent::WorkshopTimer(TimerOrder::Resume));
    until(&mut [&mut a, &mut b, &mut f], "the timer runs again", |app| {
        session(app).live().and_then(|l| l.timer()).is_some_and(|t| !t.paused)
    });
    let turn = view(&a).turn.turn;
    send(&mut f, Intent::WorkshopTimer(TimerOrder::Start(1)));
    until(&mut [&mut a, &mut b], "the players see the timer", |app| session(app).time_left().is_some());
    until(&mut [&mut a, &mut b], "the timer ends the turn", |app| view(app).turn.turn > turn);
    until(&mut [&mut f], "the facilitator's copy of Red records the time up", |app| {
        let red = session(app).live().and_then(|l| l.teams()[0].game());
        red.is_some_and(|g| {
            g.log().iter().any(|o| {
                matches!(o, ttx::sim::Outcome::Facilitator { act: ttx::sim::play::game::Intervention::TimeUp })
            })
        })
    });
    send(&mut f, Intent::WorkshopTimer(TimerOrder::Stop));
    until(&mut [&mut a, &mut b, &mut f], "the timer stops everywhere", |app| {
        session(app).time_left().is_none() && session(app).live().is_some_and(|l| l.timer().is_none())
    });

    // Refused here, as on the server: undo and the console are the facilitator's.
    let turn = view(&a).turn.turn;
    send(&mut a, Intent::Undo);
    assert!(notice(&a).contains("server keeps the game"), "{}", notice(&a));
    assert_eq!(view(&a).turn.turn, turn);
    // Starting a game of one's own leaves the workshop.
    send(&mut a, Intent::NewGame(0));
    assert!(session(&a).live().is_none());

    // The desktop creates a workshop on the server: its dashboard opens here. A server that
    // is not there is said so.
    let mut host = app_with(None);
    let create = |server: String| Intent::CreateWorkshop {
        scenario: 0,
        teams: vec!["Ann".into(), "Ben".into()],
        synchronized: false,
        seed: 3,
        server: Some(server),
    };
    send(&mut host, create("127.0.0.1:1".into()));
    until(&mut [&mut host], "the desktop says the server is not there", |app| {
        notice(app).contains("could not be created on 127.0.0.1:1")
    });
    // Without the operator key the server refuses, and the desktop says what it needs.
    send(&mut host, create(addr.to_string()));
    until(&mut [&mut host], "the desktop says the operator key is needed", |app| notice(app).contains("operator key"));
    // With the operator link `ttx serve` printed, it creates the workshop.
    send(&mut host, create(format!("http://{addr}/?operator={OPERATOR_KEY}")));
    until(&mut [&mut host], "the new workshop's dashboard on the desktop", |app| {
        let live = session(app).live();
        screen(app) == Screen::Workshop
            && live.is_some_and(|l| l.teams().iter().map(|t| t.name()).collect::<Vec<_>>() == ["Ann", "Ben"])
    });

    // In a synchronized workshop the team plays but does not end its turn: the facilitator does.
    let mut solo = app_with(None);
    send(&mut solo, Intent::JoinWorkshop(format!("http://{addr}/?join={}", synced.teams[0].token)));
    until(&mut [&mut solo], "the synchronized team's briefing", |app| screen(app) == Screen::Briefing);
    assert!(session(&solo).live().is_some_and(|l| l.synchronized()));
    send(&mut solo, Intent::StartPlaying);
    send(&mut solo, Intent::EndTurn);
    assert!(notice(&solo).contains("facilitator ends the turns"), "{}", notice(&solo));
    let mut g = app_with(None);
    send(&mut g, Intent::JoinWorkshop(format!("http://{addr}/?join={}", synced.facilitator)));
    until(&mut [&mut g], "the synchronized dashboard", |app| screen(app) == Screen::Workshop);
    send(&mut g, Intent::EndTurnFor(None));
    until(&mut [&mut solo, &mut g], "the facilitator ended the team's turn", |app| {
        app_is_facilitator(app) || view(app).turn.turn == 1
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two players of one team take roles in the app: each is shown its own role's brief and
/// injects; engineering's click on a comms card becomes a proposal on both tables, comms
/// accepts it, and the move is made; a team decision put to a vote ends with the answer
/// both voted for.
#[test]
#[cfg(not(target_arch = "wasm32"))]
fn players_take_roles_propose_to_the_owner_and_vote() {
    use ttx::protocol::ProposalState;
    let dir = temp_dir("roles");
    let db = dir.join("workshops.sqlite3");
    let created = {
        let mut server = ttx::serve::Server::open(ttx::serve::store::Store::open(&db).expect("db")).expect("open");
        let (name, text) = ttx::serve::bundled(None).expect("7pay");
        server.create(name, text, 7, &["Red".into()], ttx::serve::store::Pace::Free).expect("created")
    };
    let (_rt, addr) = workshop_server(&db, 0);
    let link = format!("http://{addr}/?join={}", created.teams[0].token);
    let (mut a, mut b) = (app_with(None), app_with(None));
    send(&mut a, Intent::JoinWorkshop(link.clone()));
    send(&mut b, Intent::JoinWorkshop(link));
    until(&mut [&mut a, &mut b], "both players see the briefing", |app| {
        session(app).live().is_some_and(|l| l.briefing().is_some() && l.view().is_some())
    });
    send(&mut a, Intent::TakeSeat { name: "Ken".into(), roles: vec!["engineering".into()] });
    send(&mut b, Intent::TakeSeat { name: "Aiko".into(), roles: vec!["comms".into(), "support".into()] });
    until(&mut [&mut a, &mut b], "both are seated with their roles", |app| {
        let l = live(app);
        l.floor().is_some_and(|f| f.players.iter().filter(|(_, w)| !w.roles.is_empty()).count() == 2)
            && l.briefing().is_some_and(|br| br.roles.iter().any(|r| r.held))
    });
    let held = |app: &App| -> Vec<String> {
        live(app).briefing().expect("briefing").roles.iter().filter(|r| r.held).map(|r| r.id.clone()).collect()
    };
    assert_eq!(held(&a), ["engineering"]);
    assert_eq!(held(&b), ["comms", "support"]);
    // Engineering's own inject (the security review) reaches Ken, not Aiko.
    let feed = |app: &App| serde_json::to_string(&view(app).turn.feed).expect("JSON");
    until(&mut [&mut a, &mut b], "the views follow the roles", |app| {
        let f = feed(app);
        f.contains("external review") == (held(app) == ["engineering"])
    });
    send(&mut a, Intent::StartPlaying);
    send(&mut b, Intent::StartPlaying);
    // To 3 July, when warning the users (a comms card) can be done.
    for turn in 1..=4 {
        send(&mut a, Intent::EndTurn);
        until(&mut [&mut a, &mut b], "the turn ends", |app| view(app).turn.turn == turn);
        send(&mut a, Intent::ContinueFromSummary);
        send(&mut b, Intent::ContinueFromSummary);
    }
    let warn =
        view(&a).turn.cards.iter().find(|c| c.label.starts_with("Tell users")).cloned().expect("the warning card");
    assert!(warn.propose && warn.button.enabled, "Ken proposes it: {warn:?}");
    let seq = live(&a).seq();
    send(&mut a, Intent::Act(warn.button.action));
    until(&mut [&mut a, &mut b], "the proposal is on both tables", |app| {
        live(app).floor().is_some_and(|f| f.proposals.iter().any(|p| p.state == ProposalState::Open))
    });
    assert_eq!(live(&a).seq(), seq, "a proposal is not a move");
    let id = live(&b).floor().and_then(|f| f.proposals.first()).map(|p| p.id).expect("a proposal");
    send(&mut b, Intent::Decide { proposal: id, accept: true, team: None });
    until(&mut [&mut a, &mut b], "Aiko accepted it and it is made", |app| {
        live(app).seq() == seq + 1
            && live(app).floor().is_some_and(|f| {
                f.proposals.iter().any(|p| matches!(&p.state, ProposalState::Accepted { by } if by.name == "Aiko"))
            })
    });
    // To 15 July: the repair decision is the team's; Ken puts it to a vote, both vote for
    // patching the login, and the vote ends with it.
    for turn in 5..=8 {
        send(&mut a, Intent::EndTurn);
        until(&mut [&mut a, &mut b], "the turn ends", |app| view(app).turn.turn == turn);
        send(&mut a, Intent::ContinueFromSummary);
        send(&mut b, Intent::ContinueFromSummary);
    }
    let decision = view(&a).turn.decision.clone().expect("the repair decision");
    assert!(decision.owner.is_none(), "a team decision");
    let patch = decision.options.iter().find(|o| o.label.starts_with("Patch")).expect("patch").action;
    send(&mut a, Intent::CallVote(decision.inject));
    until(&mut [&mut a, &mut b], "the vote is open", |app| {
        live(app).floor().is_some_and(|f| f.votes.iter().any(|v| v.result.is_none()))
    });
    let seq = live(&a).seq();
    send(&mut a, Intent::Act(patch));
    send(&mut b, Intent::Act(patch));
    until(&mut [&mut a, &mut b], "the vote ended with the patch", |app| {
        live(app).seq() == seq + 1
            && live(app).floor().is_some_and(|f| {
                f.votes.iter().any(|v| v.result.as_ref().is_some_and(|(o, by_default)| o == "patch" && !by_default))
            })
    });
}
