//! Scenario test plans: the bundled ones pass; broken and foreign plans are refused with a
//! clear message; a failing assertion says which seed, turn and values.

use std::path::PathBuf;

use ttx::cli::run_plan_file as run_file;

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ttx-plans-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn scenario_path() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/7pay-launch-week.ron").to_owned()
}

#[test]
fn bundled_plans_pass() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/plans"));
    let mut plans: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("plans dir").map(|e| e.expect("entry").path()).collect();
    plans.sort();
    assert!(plans.len() >= 2);
    for p in plans {
        let o = run_file(&p).unwrap_or_else(|e| panic!("{e}"));
        assert!(o.checks >= 50, "{}: only {} checks", p.display(), o.checks);
        assert!(o.failures.is_empty(), "{}: {:#?}", p.display(), o.failures);
    }
}

#[test]
fn a_failing_assertion_names_seed_turn_and_values() {
    let plan = format!(
        r#"TestPlan(scenario: "{}", seeds: [3], expect: [(after: "jul3", check: Some("victims < 10"))])"#,
        scenario_path()
    );
    let o = run_file(&temp("fails.ron", &plan)).expect("runs");
    let lessons = ttx::sim::load_file(std::path::Path::new(&scenario_path())).expect("loads").scenario.lessons.len();
    assert!(lessons >= 10, "7pay states its lessons");
    assert_eq!(o.checks, 1 + lessons, "the assertion, then every lesson of the scenario");
    assert_eq!(o.failures.len(), 1);
    assert!(
        o.failures[0].starts_with("seed 3, after Wed 3 Jul: `victims < 10` does not hold (victims = "),
        "{}",
        o.failures[0]
    );
}

#[test]
fn broken_and_foreign_plans_are_refused_clearly() {
    let syntax = temp("syntax.ron", "TestPlan(scenario: \"x.ron\", seeds: [1] expect: [])");
    let e = run_file(&syntax).expect_err("syntax").to_string();
    assert!(e.contains("syntax.ron:1:") && e.to_lowercase().contains("comma"), "{e}");

    let foreign = temp(
        "foreign.ron",
        &format!(
            r#"TestPlan(scenario: "{}", seeds: [1], choices: [(turn: "monday", take: ["isolate_network"])], expect: [])"#,
            scenario_path()
        ),
    );
    let e = run_file(&foreign).expect_err("foreign").to_string();
    assert!(e.contains("unknown turn `monday`") && e.contains("another scenario"), "{e}");

    let bad_check = temp(
        "check.ron",
        &format!(
            r#"TestPlan(scenario: "{}", seeds: [1], expect: [(after: "jul1", check: Some("victms > 1"))])"#,
            scenario_path()
        ),
    );
    let e = run_file(&bad_check).expect_err("bad formula").to_string();
    assert!(e.contains("unknown metric `victms`") && e.contains("did you mean `victims`?"), "{e}");

    let missing = temp("missing.ron", r#"TestPlan(scenario: "nowhere.ron", seeds: [1], expect: [])"#);
    assert!(run_file(&missing).expect_err("missing scenario").to_string().contains("does not load"));

    let no_seeds = temp("noseeds.ron", &format!(r#"TestPlan(scenario: "{}", seeds: [], expect: [])"#, scenario_path()));
    assert!(run_file(&no_seeds).expect_err("no seeds").to_string().contains("at least one seed"));
}
