//! A corpus of broken scenario files: each must fail to load with a clear, placed error, and none may panic.
//!
//! Every file in `tests/broken/` is the small scenario in [`BASE`] broken in exactly one way; the
//! table [`CASES`] says what the first error must say, where, and under which field path.

use std::path::{Path, PathBuf};

use ttx::sim::{Diagnostic, Diagnostics, load_file, load_str};

/// The valid scenario every corpus file starts from (the control: it must load cleanly).
const BASE: &str = r#"// A tiny scenario for the broken-file corpus; each file in this folder breaks it in one way.
(
    format: 1,
    meta: (id: "broken", title: "Broken", summary: "A tiny scenario with one fault."),
    metrics: [
        (id: "trust", label: "Trust", initial: 50.0, min: Some(0.0), max: Some(100.0)),
    ],
    turns: [
        (id: "t1", label: "Day 1", briefing: "It starts."),
        (id: "t2", label: "Day 2", briefing: "It goes on."),
    ],
    dynamics: [
        (id: "drift", label: "Trust drifts down", metric: "trust", value: "-1"),
    ],
    injects: [
        (id: "leak", title: "Leak", channel: News, text: "Data leaked.", at: Some("t1"),
            effects: [(metric: "trust", op: Sub, value: "5")]),
        (id: "choice", title: "Choice", channel: Internal, text: "Decide.", at: Some("t2"),
            options: [(id: "yes", label: "Yes"), (id: "no", label: "No")],
            default_option: Some("no")),
    ],
    mitigations: [
        (id: "apologise", label: "Apologise", description: "Say sorry.", cost: (points: 1),
            on_take: [(metric: "trust", value: "3")]),
        (id: "refund", label: "Refund", description: "Pay back.", cost: (money: 100.0, points: 1),
            requires: ["apologise"], available: Some("trust < 90")),
    ],
    scoring: (
        components: [(id: "trust", label: "Trust", value: "trust", best: 100.0, worst: 0.0, weight: 1.0)],
        grades: [(min: 50.0, grade: "Pass", verdict: "Fine."), (min: 0.0, grade: "Fail", verdict: "Try again.")],
    ),
)
"#;

/// `(file, message fragment, field path fragment or "", line of the first error, hint fragment or "")`.
const CASES: &[(&str, &str, &str, usize, &str)] = &[
    // RON syntax.
    ("syntax_missing_comma.ron", "Expected comma", "metrics[0]", 6, "`,` is probably missing"),
    ("syntax_unclosed_string.ron", "Expected end of string", "scoring.grades[1].verdict", 30, "is not closed"),
    // An unclosed string mid-file pairs with the next quote; the parser trips just after it.
    ("syntax_unclosed_string_mid.ron", "Expected comma", "meta.title", 4, ""),
    ("syntax_unclosed_bracket.ron", "Expected opening `(`", "scoring.grades", 31, ""),
    ("syntax_trailing_garbage.ron", "text after the end", "", 32, ""),
    // Shape of the data.
    ("unknown_field.ron", "unknown field `lable`", "metrics[0]", 6, "did you mean `label`?"),
    ("missing_field.ron", "missing field `briefing`", "turns[1]", 10, "add `briefing: ...`"),
    ("wrong_type.ron", "expected a number", "metrics[0].initial", 6, ""),
    ("unknown_enum_variant.ron", "unknown value `Twitter`", "injects[0].channel", 16, "SocialMedia"),
    ("deep_nesting.ron", "expected text in double quotes", "meta.facts", 5, ""),
    ("wrong_format.ron", "format version 2 is not supported", "format", 3, "reads format 1"),
    // References between items.
    ("unknown_metric.ron", "unknown metric `trsut`", "injects[0].effects[0].metric", 17, "did you mean `trust`?"),
    (
        "unknown_metric_in_condition.ron",
        "unknown metric `trsut`",
        "mitigations[1].available",
        26,
        "did you mean `trust`?",
    ),
    ("unknown_requires.ron", "unknown mitigation `grovel`", "mitigations[1].requires[0]", 26, ""),
    ("unknown_turn.ron", "unknown turn `t9`", "injects[0].at", 16, ""),
    ("unknown_default_option.ron", "unknown option `maybe` of `choice`", "injects[1].default_option", 20, "no, yes"),
    ("unknown_role.ron", "unknown role `comm`", "mitigations[0].owner", 23, "did you mean `comms`?"),
    ("bad_handle.ron", "`@leak watcher` is not a social handle", "injects[0].handle", 16, "\"@tanaka_k\""),
    ("negative_reach.ron", "reach `-trust - 1` is never above 0", "injects[0].reach", 16, "0 or more"),
    ("unknown_medium.ron", "unknown value `Fax`", "injects[0].medium", 16, "Post"),
    ("unknown_scene.ron", "unknown value `Podium`", "injects[1].scene", 18, "PressConference"),
    ("scene_not_decision.ron", "`leak` is not a decision, so it cannot be staged", "injects[0].scene", 16, "`options`"),
    ("reach_unknown_metric.ron", "unknown metric `trsut`", "injects[0].reach", 16, "did you mean `trust`?"),
    ("owner_not_decision.ron", "`leak` is not a decision", "injects[0].owner", 16, "`to: [\"...\"]`"),
    ("requirement_cycle.ron", "requires itself through a chain", "mitigations[0].requires", 23, "break the cycle"),
    // Formulas.
    ("formula_syntax.ron", "expected a value, found `*`", "dynamics[0].value", 13, ""),
    ("formula_unknown_function.ron", "unknown function `sqr`", "dynamics[0].value", 13, "did you mean `sqrt`?"),
    ("deep_formula.ron", "nested deeper than", "dynamics[0].value", 13, "simplify"),
    // Ids.
    ("duplicate_id.ron", "duplicate turn id `t1`", "turns[1].id", 10, "unique"),
    ("invalid_id.ron", "id `Has Spaces` is not a valid id", "injects[0].id", 16, "`has_spaces`"),
    // Numbers and bounds.
    ("min_above_max.ron", "max (0) is below min (100)", "metrics[0].max", 6, "swap"),
    ("initial_out_of_bounds.ron", "initial value 150 lies outside the bounds 0..100", "metrics[0].initial", 6, ""),
    ("nan.ron", "`NaN` is not a usable number", "metrics[0].initial", 6, "finite"),
    ("huge_number.ron", "1e300 is too large", "mitigations[1].cost.money", 25, "±1e15"),
    ("infinite.ron", "`inf` is not a usable number", "metrics[0].max", 6, "finite"),
    // Scoring.
    ("no_zero_grade.ron", "no grade covers a score of 0", "scoring.grades", 30, "`min: 0`"),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("broken")
}

fn first_error(d: &Diagnostics) -> &Diagnostic {
    d.errors().next().unwrap_or_else(|| panic!("a failed load must report an error, got:\n{d}"))
}

#[test]
fn the_base_scenario_is_valid() {
    let loaded = load_str(BASE, "base.ron").unwrap_or_else(|d| panic!("the base scenario must load:\n{d}"));
    assert!(loaded.warnings.is_empty(), "the base scenario must have no warnings: {:?}", loaded.warnings);
}

#[test]
fn corpus_and_table_agree() {
    assert!(CASES.len() >= 22, "the corpus needs at least 22 cases, has {}", CASES.len());
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("tests/broken exists")
        .map(|e| e.expect("readable entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.0.to_owned()).collect();
    listed.sort();
    let before = listed.len();
    listed.dedup();
    assert_eq!(before, listed.len(), "a file is listed twice in CASES");
    assert_eq!(on_disk, listed, "every file in tests/broken must have exactly one row in CASES");
}

#[test]
fn every_broken_file_fails_with_a_placed_clear_error() {
    let mut failures = Vec::new();
    for &(file, message, path, line, hint) in CASES {
        let full = corpus_dir().join(file);
        let diags = match load_file(&full) {
            Ok(_) => {
                failures.push(format!("{file}: loaded, but it is broken"));
                continue;
            }
            Err(d) => d,
        };
        let first = first_error(&diags);
        let rendered = diags.to_string();
        let mut problems = Vec::new();
        if !first.message.contains(message) {
            problems.push(format!("message {:?} lacks {message:?}", first.message));
        }
        if first.line != line {
            problems.push(format!("line {} instead of {line}", first.line));
        }
        if first.col == 0 {
            problems.push("no column".to_owned());
        }
        if !first.path.contains(path) {
            problems.push(format!("path {:?} lacks {path:?}", first.path));
        }
        if !hint.is_empty() && !first.hint.as_deref().is_some_and(|h| h.contains(hint)) {
            problems.push(format!("hint {:?} lacks {hint:?}", first.hint));
        }
        if !first.file.ends_with(file) {
            problems.push(format!("file {:?} does not name {file}", first.file));
        }
        let place = format!("{}:{}:{}", first.file, first.line, first.col);
        if !rendered.contains(&place) {
            problems.push(format!("rendering lacks `{place}`"));
        }
        if !rendered.contains(&first.message) || !rendered.contains("error") {
            problems.push("rendering lacks the message".to_owned());
        }
        if !path.is_empty() && !rendered.contains(&format!("at: {}", first.path)) {
            problems.push("rendering lacks the field path".to_owned());
        }
        // Loading the same text from memory must report the same first error.
        let text = std::fs::read_to_string(&full).expect("corpus files are UTF-8");
        match load_str(&text, file) {
            Ok(_) => problems.push("load_str accepted it".to_owned()),
            Err(d) => {
                let again = first_error(&d);
                if (again.line, again.col, &again.message, &again.path)
                    != (first.line, first.col, &first.message, &first.path)
                {
                    problems.push(format!("load_str disagrees: {again:?}"));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{file}: {}\n{rendered}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn a_50_megabyte_string_is_refused_up_front() {
    let mut huge = String::with_capacity(50 * 1024 * 1024 + BASE.len());
    huge.push_str(BASE);
    while huge.len() < 50 * 1024 * 1024 {
        huge.push_str("// padding padding padding padding padding padding padding padding padding\n");
    }
    let d = load_str(&huge, "huge.ron").expect_err("a 50 MB scenario must be refused");
    let first = first_error(&d);
    assert!(first.message.contains("bytes") && first.message.contains("at most"), "{}", first.message);
    assert_eq!(first.line, 0, "a whole-file error has no line");
    assert!(d.to_string().contains("--> huge.ron"), "{d}");
}

#[test]
fn invalid_utf8_is_refused_with_a_clear_error() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join(format!("broken-invalid-utf8-{}.ron", std::process::id()));
    let mut bytes = BASE.as_bytes().to_vec();
    let at = BASE.find("Broken").expect("the base has a title");
    bytes.splice(at..at, [0xff, 0xfe, 0xc3]);
    std::fs::write(&file, &bytes).expect("temp file written");
    let result = load_file(&file);
    let _ = std::fs::remove_file(&file);
    let d = result.expect_err("invalid UTF-8 must be refused");
    let first = first_error(&d);
    assert!(first.message.contains("not UTF-8"), "{}", first.message);
    assert!(first.hint.as_deref().is_some_and(|h| h.contains("UTF-8")), "{:?}", first.hint);
    assert!(d.to_string().contains(&file.display().to_string()), "{d}");
}

#[test]
fn a_missing_file_is_reported_not_panicked() {
    let d = load_file(&corpus_dir().join("does-not-exist.ron")).expect_err("no such file");
    assert!(first_error(&d).message.contains("cannot read the file"), "{d}");
}

#[test]
fn a_million_nested_brackets_do_not_overflow_the_stack() {
    let deep_list = BASE.replace(
        "summary: \"A tiny scenario with one fault.\"),",
        &format!(
            "summary: \"A tiny scenario with one fault.\", facts: {}{}),",
            "[".repeat(1_000_000),
            "]".repeat(1_000_000)
        ),
    );
    let deep_parens = format!("{}{}", "(".repeat(1_000_000), ")".repeat(1_000_000));
    for (name, src) in [("deep-list.ron", deep_list), ("deep-parens.ron", deep_parens)] {
        let d = load_str(&src, name).expect_err("deep nesting must be refused");
        let first = first_error(&d);
        assert!(first.line > 0, "{name}: {first:?}");
        assert!(d.to_string().contains(&format!("{name}:{}:{}", first.line, first.col)), "{name}: {d}");
    }
}
