//! The store's tests: sessions and their steps read back in order (a step number used once),
//! and an older database brought up to date.

use super::*;

#[test]
fn sessions_and_steps_come_back_in_order() {
    let mut store = Store::in_memory().expect("store");
    let s = StoredSession {
        id: "s1".into(),
        scenario_name: "x.ron".into(),
        scenario_text: "(…)".into(),
        seed: u64::MAX,
        facilitator: "f".into(),
        teams: vec![
            StoredTeam { name: "Blue".into(), token: "tb".into(), code: "AAAAAAAA".into() },
            StoredTeam { name: "Red".into(), token: "tr".into(), code: "BBBBBBBB".into() },
        ],
        steps: Vec::new(),
        unreadable: None,
        timer: None,
        pace: Pace::Synchronized,
        floor: Vec::new(),
    };
    store.create(&s).expect("create");
    let step = |verb: &str, id: &str| StepAt { turn: 2, step: Step::from_columns(verb, id, None).expect("a step") };
    store.append("s1", 1, 0, &step("take", "a")).expect("append");
    store.append("s1", 0, 0, &step("note", "why")).expect("append");
    store.append("s1", 1, 1, &step("end_turn", "")).expect("append");
    assert!(store.append("s1", 1, 1, &step("take", "b")).is_err(), "a step number is used once");
    let loaded = store.load().expect("load");
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].seed, u64::MAX);
    assert_eq!(loaded[0].teams, s.teams);
    assert_eq!(loaded[0].steps, vec![vec![step("note", "why")], vec![step("take", "a"), step("end_turn", "")]]);
    assert_eq!(store.session_of("tr").expect("query").as_deref(), Some("s1"));
    assert_eq!(store.session_of("nope").expect("query"), None);
    assert_eq!(loaded[0].pace, Pace::Synchronized);
    let timer = Timer { seconds: 90, deadline_ms: 1_700_000_000_000, paused_left_ms: None };
    store.set_timer("s1", Some(timer)).expect("timer");
    assert_eq!(store.load().expect("load")[0].timer, Some(timer));
    let paused = Timer { paused_left_ms: Some(41_000), ..timer };
    store.set_timer("s1", Some(paused)).expect("pause");
    assert_eq!(store.load().expect("load")[0].timer, Some(paused));
    store.set_timer("s1", None).expect("off");
    assert_eq!(store.load().expect("load")[0].timer, None);
}

/// A database written before pace, codes and pausing opens, keeps its session, and
/// gains the new columns (empty codes are filled in by the server as it opens).
#[test]
fn an_older_database_is_brought_up_to_date() {
    let conn = Connection::open_in_memory().expect("db");
    conn.execute_batch(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, scenario_name TEXT NOT NULL, scenario_text TEXT NOT NULL,
             seed TEXT NOT NULL, facilitator TEXT NOT NULL UNIQUE);
         CREATE TABLE teams (session TEXT NOT NULL REFERENCES sessions(id), idx INTEGER NOT NULL,
             name TEXT NOT NULL, token TEXT NOT NULL UNIQUE, PRIMARY KEY (session, idx));
         CREATE TABLE timers (session TEXT PRIMARY KEY REFERENCES sessions(id), seconds INTEGER NOT NULL,
             deadline_ms INTEGER NOT NULL);
         INSERT INTO sessions VALUES ('old', 'x.ron', '(…)', '5', 'f');
         INSERT INTO teams VALUES ('old', 0, 'Red', 'tr');
         INSERT INTO timers VALUES ('old', 60, 123);",
    )
    .expect("the old schema");
    let mut store = Store::init(conn).expect("brought up to date");
    let old = store.load().expect("load").remove(0);
    assert_eq!((old.pace, old.seed), (Pace::Free, 5));
    assert_eq!(old.teams, vec![StoredTeam { name: "Red".into(), token: "tr".into(), code: String::new() }]);
    assert_eq!(old.timer, Some(Timer { seconds: 60, deadline_ms: 123, paused_left_ms: None }));
    store.set_code("old", 0, "ABCDEFGH").expect("a code");
    assert_eq!(store.load().expect("load")[0].teams[0].code, "ABCDEFGH");
}
