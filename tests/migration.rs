//! Files written before the typed protocol still load: a version 1 save (an exported bundle
//! with every kind of step: cards, a note, decisions, each facilitator intervention, a step
//! back, the timer) and a workshop database of the old server, both written by the previous
//! release (`tests/data/v1/`). Each replays to the very log it was written with, a migrated
//! save is written back as version 2 and reads back the same, and an old file with a step
//! that is not one is refused naming it.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use ttx::sim::play::save::{SAVE_VERSION, SaveError, SaveFile, read_any};
use ttx::sim::{Step, load_str};

const BUNDLE: &str = include_str!("data/v1/7pay-v1.bundle.ron");

#[test]
fn a_version_1_save_migrates_and_replays_to_the_same_log() {
    let (save, scenario) = read_any(BUNDLE).expect("a version 1 bundle reads");
    let (name, text) = scenario.expect("the bundle's scenario");
    let sc = Arc::new(load_str(&text, &name).expect("the scenario loads").scenario);
    assert_eq!(save.version, SAVE_VERSION, "migrated");
    // Every kind of step the old format knew came across.
    let kinds: std::collections::BTreeSet<&str> = save.actions.iter().map(|a| a.step.verb()).collect();
    for kind in ["take", "note", "choose", "set_metric", "roll", "suppress", "trigger", "stepped_back", "time_up"] {
        assert!(kinds.contains(kind), "{kind} missing from the migrated save: {kinds:?}");
    }
    let game = save.resume(&sc).expect("replays to the log it was saved with");
    assert_eq!(game.log(), save.log.as_slice());
    assert!(game.is_finished());

    // Written again, it is a version 2 save that reads back the same.
    let again = save.to_ron().expect("a save writes");
    assert!(again.contains("version: 2") && again.contains("set_metric(metric:"), "{}", &again[..400]);
    assert_eq!(SaveFile::from_ron(&again).expect("reads back"), save);

    // An old save with a step that is not one: refused, naming the action.
    let broken = BUNDLE.replacen("verb: \"roll\"", "verb: \"reroll\"", 1);
    assert_ne!(broken, BUNDLE);
    match read_any(&broken) {
        Err(SaveError::OldAction { index, why }) => {
            assert_eq!(save.actions[index].step.verb(), "roll");
            assert!(why.to_string().contains("“reroll” is not a step"), "{why}");
        }
        other => panic!("not refused: {:?}", other.map(|_| ())),
    }
    // A version 1 save of a game without a move yet reads too (it has the same shape).
    let fresh = ttx::sim::Game::new(Arc::clone(&sc), 9);
    let old = SaveFile::of(&fresh).to_ron().expect("a save writes").replacen("version: 2", "version: 1", 1);
    assert!(old.contains("version: 1") && old.contains("actions: []"), "{old}");
    let back = SaveFile::from_ron(&old).expect("an empty version 1 save reads");
    assert_eq!(back.version, SAVE_VERSION);
    assert_eq!(back.resume(&sc).expect("resumes").log(), fresh.log());
    // A future version is not taken for an old one.
    let future = BUNDLE.replacen("version: 1", "version: 7", 1);
    assert!(read_any(&future).is_err());
}

#[test]
fn an_old_workshop_database_rebuilds_the_same_games_and_plays_on() {
    use ttx::protocol::ClientMsg;
    use ttx::serve::store::Store;
    use ttx::serve::workshop::{Role, Workshop};
    let dir = std::env::temp_dir().join(format!("ttx-migration-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("workshops.sqlite3");
    std::fs::copy("tests/data/v1/workshops-v1.sqlite3", &db).expect("copy");

    let mut store = Store::open(&db).expect("the old database opens");
    let stored = store.load().expect("loads").remove(0);
    assert_eq!(stored.unreadable, None);
    let mut w = Workshop::rebuild(stored).expect("every step replays");
    // The old server's games, as it saved them.
    for team in &w.teams {
        let text = std::fs::read_to_string(format!("tests/data/v1/workshop-v1-{}.save.ron", team.name)).expect("read");
        let old = SaveFile::from_ron(&text).expect("a version 1 save");
        assert_eq!(team.game.log(), old.log.as_slice(), "team {}", team.name);
    }
    let kinds: std::collections::BTreeSet<&str> = w
        .teams
        .iter()
        .flat_map(|t| SaveFile::of(&t.game).actions)
        .map(|a| a.step.verb())
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert!(kinds.is_superset(&["take", "note", "set_metric", "roll", "suppress", "time_up"].into()), "{kinds:?}");

    // Play goes on, stored in the same table, and replays.
    let note = ClientMsg::Step { turn: None, step: Step::Note { text: "after the upgrade".into() }, team: None };
    w.handle(&mut store, Role::Team(0), &note).expect("a new step on an old database");
    drop(store);
    let store = Store::open(&db).expect("reopens");
    let back = Workshop::rebuild(store.load().expect("loads").remove(0)).expect("replays");
    for (a, b) in back.teams.iter().zip(&w.teams) {
        assert_eq!(a.game.log(), b.game.log(), "team {}", a.name);
    }

    // Servers before typed steps stored an `option` sent with any step (and ignored it): the
    // session still replays, the option ignored again.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let edited = conn.execute("UPDATE steps SET option = 'sent anyway' WHERE verb = 'take'", []).expect("edit");
    assert!(edited > 0);
    drop(conn);
    let stored = Store::open(&db).expect("opens").load().expect("loads").remove(0);
    let again = Workshop::rebuild(stored).expect("a stray option is ignored");
    for (a, b) in again.teams.iter().zip(&back.teams) {
        assert_eq!(a.game.log(), b.game.log(), "team {}", a.name);
    }

    // A row that is not a step sets that session aside with the reason, instead of failing
    // the whole database.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute("UPDATE steps SET verb = 'teleport' WHERE seq = 0 AND team = 1", []).expect("edit");
    drop(conn);
    let stored = Store::open(&db).expect("opens").load().expect("loads").remove(0);
    let why = stored.unreadable.clone().expect("noticed");
    assert!(why.contains("team 2, step 0") && why.contains("teleport"), "{why}");
    let refused = Workshop::rebuild(stored).err().expect("not rebuilt");
    assert!(matches!(refused, ttx::serve::error::RebuildError::Unreadable(_)), "{refused:?}");
    assert!(refused.to_string().contains("teleport"), "{refused}");
    let _ = std::fs::remove_dir_all(&dir);
}
