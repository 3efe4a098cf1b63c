//! Hostile input through the command line, as an attacker or an unlucky facilitator would
//! try it: every run must end within 10 s under a 1 GB address-space limit, exit 0 (ok), 1
//! (bad input, with a message) or 2 (usage), and never panic or die by a signal. One file
//! per class of problem found in review; the generated files stay in the test's temp folder
//! (`target/tmp/hostile/`) so the README's figures can be measured on them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Runs `ttx ARGS` (with `stdin` piped from a shell command, if any) under the limits.
fn ttx(args: &[&str], stdin: Option<&str>) -> Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{}'", a.replace('\'', "'\\''"))).collect();
    let cmd = format!(
        "ulimit -v 1048576; {} timeout 10 '{}' {}",
        stdin.map(|s| format!("{s} |")).unwrap_or_default(),
        env!("CARGO_BIN_EXE_ttx"),
        quoted.join(" ")
    );
    Command::new("sh").args(["-c", &cmd]).output().expect("sh runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Exit code `want`, a message when it is not 0, and nothing like a panic.
fn expect(out: &Output, want: i32, what: &str) {
    let (o, e) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(want), "{what}: stdout {o:.2000} stderr {e:.2000}");
    assert!(!e.contains("panicked") && !e.contains("RUST_BACKTRACE"), "{what}: {e:.2000}");
    if want != 0 {
        assert!(!(o.trim().is_empty() && e.trim().is_empty()), "{what}: a failure says why");
    }
}

const TEMPLATE: &str = include_str!("../scenarios/template.ron");
const SEVEN_PAY: &str = include_str!("../scenarios/7pay-launch-week.ron");

/// A valid scenario of `turns` turns and `cards` mitigations (the README's scale figures).
pub fn big_scenario(turns: usize, cards: usize) -> String {
    let turns_src: Vec<String> =
        (0..turns).map(|t| format!("(id: \"t{t}\", label: \"Turn {t}\", briefing: \"b\")")).collect();
    let cards_src: Vec<String> = (0..cards)
        .map(|m| {
            format!(
                "(id: \"m{m}\", label: \"Card {m}\", description: \"d\", cost: (money: {}, points: 1), lead_days: {}, kind: {}, while_active: [(metric: \"risk\", op: Mul, value: \"0.{}\")], on_take: [(metric: \"trust\", value: \"{}\")])",
                100 * (m % 7 + 1),
                m % 3,
                if m % 5 == 0 { "Toggle" } else { "OneShot" },
                90 + m % 9,
                (m % 4) as i64 - 1
            )
        })
        .collect();
    let injects: Vec<String> = (0..40)
        .map(|i| format!("(id: \"i{i}\", title: \"I{i}\", channel: News, text: \"x\", when: Some(\"risk > {}\"), effects: [(metric: \"trust\", value: \"-1\")])", i % 50))
        .collect();
    format!(
        r#"Scenario(format: 1, meta: (id: "big", title: "Big", summary: "s"),
 resources: (action_points: 3, budget: Some(100000)),
 metrics: [(id: "trust", label: "T", initial: 50, min: Some(0), max: Some(100), good: Higher),
           (id: "risk", label: "R", initial: 10, min: Some(0), max: Some(100), good: Lower),
           (id: "loss", label: "L", initial: 0, min: Some(0), good: Lower)],
 turns: [{}],
 dynamics: [(id: "grow", label: "g", metric: "risk", value: "2", noise: 0.2), (id: "hurt", label: "h", metric: "loss", value: "risk * 10"), (id: "sad", label: "s", metric: "trust", op: Mul, value: "0.995")],
 injects: [{}],
 mitigations: [{}],
 scoring: (components: [(id: "trust", label: "T", value: "trust", best: 100, worst: 0, weight: 1), (id: "loss", label: "L", value: "loss", best: 0, curve: Log(half: 5000), weight: 1)],
   grades: [(min: 50, grade: "A", verdict: "a"), (min: 0, grade: "B", verdict: "b")]),
)"#,
        turns_src.join(",\n"),
        injects.join(",\n"),
        cards_src.join(",\n")
    )
}

fn write(name: &str, content: impl AsRef<[u8]>) -> String {
    let p = dir().join(name);
    std::fs::write(&p, content).expect("write");
    p.display().to_string()
}

#[test]
fn hostile_scenarios_are_refused_quickly_and_within_memory() {
    let at = TEMPLATE.find("metrics: [").expect("metrics") + "metrics: [".len();
    let dup = write(
        "dup-ids.ron",
        format!("{}{}{}", &TEMPLATE[..at], "(id: \"x\", label: \"X\", initial: 0),".repeat(5_000), &TEMPLATE[at..]),
    );
    let deep = write(
        "deep.ron",
        format!(
            "Scenario(format: 1, meta: (id: \"a\", title: \"b\", summary: \"c\"), metrics: {}{} oops",
            "[".repeat(1_990_000),
            "]".repeat(1_990_000)
        ),
    );
    let many: String = (0..60_000)
        .map(|k| format!("(id: \"m{k}\", label: \"M\", initial: 0, min: Some(5), max: Some(1)),\n"))
        .collect();
    let many = write("60k-errors.ron", format!("{}{many}{}", &TEMPLATE[..at], &TEMPLATE[at..]));
    let long_id = write(
        "long-id.ron",
        TEMPLATE.replacen(
            "metric: \"trust\", op: Sub, value: \"5\"",
            &format!("metric: \"{}\", op: Sub, value: \"5\"", "q".repeat(200_000)),
            1,
        ),
    );
    let bad_utf8 = write("bad-utf8.ron", [TEMPLATE.as_bytes(), b"\xff\xfe"].concat());
    for (file, what) in [
        (&dup, "5,000 duplicate ids"),
        (&deep, "deep brackets"),
        (&many, "60,000 errors"),
        (&long_id, "a 200,000-character id"),
        (&bad_utf8, "invalid UTF-8"),
    ] {
        let out = ttx(&["check", file], None);
        expect(&out, 1, what);
    }
    let out = ttx(&["check", &many], None);
    assert!(text(&out.stderr).contains("more error(s)"), "the rest is counted");
    expect(&ttx(&["check", "/dev/zero"], None), 1, "/dev/zero");
    expect(&ttx(&["check", "/dev/stdin"], Some("yes 'Scenario('")), 1, "an endless pipe");
    expect(&ttx(&["check", &dir().display().to_string()], None), 1, "a directory");
    let big = write("valid-100x200.ron", big_scenario(100, 200));
    expect(&ttx(&["check", &big], None), 0, "a valid 100-turn x 200-card scenario");
}

#[test]
fn counts_and_flags_have_limits() {
    expect(&ttx(&["sim", "--games", "18446744073709551615"], None), 2, "sim --games max");
    expect(&ttx(&["sim", "--games", "0"], None), 2, "sim --games 0");
    expect(&ttx(&["calibrate", "--seeds", "1000000000000"], None), 2, "calibrate --seeds huge");
    expect(&ttx(&["play", "--bogus"], None), 2, "an unknown flag");
}

#[test]
fn hostile_saves_plans_and_input_are_refused_with_a_place() {
    // A save with 20,000 notes in one turn: refused, not replayed for minutes.
    let notes: String = (0..20_000).map(|k| format!("(turn: 0, verb: \"note\", id: \"n{k}\"),")).collect();
    let save = format!(
        "SaveFile(version: 1, scenario_id: \"7pay-launch-week\", scenario_title: \"7pay: launch week\", fingerprint: \"{:016x}\", seed: 1, turns_done: 0, actions: [{notes}], log: [])",
        ttx::sim::author::validate::fingerprint(SEVEN_PAY)
    );
    let notes_file = write("20k-notes.ron", save);
    let out = ttx(&["replay", &notes_file], None);
    expect(&out, 1, "20,000 notes");
    assert!(text(&out.stderr).contains("at most 200 notes"), "{}", text(&out.stderr));

    // A real save, truncated and with an edited title.
    let game = write("game.ron", "");
    expect(&ttx(&["play", "--text", "--seed", "2", "--save", &game], Some("printf 'staged_rollout\\n\\n'")), 0, "play");
    let real = std::fs::read_to_string(&game).expect("saved");
    let cut = write("truncated.ron", &real[..real.len() * 2 / 3]);
    let out = ttx(&["replay", &cut], None);
    expect(&out, 1, "a truncated save");
    let e = text(&out.stderr);
    assert!(e.contains(&format!("{cut}:")) && e.contains("(at `"), "file:line:col and field path: {e}");
    let retitled = write("retitled.ron", real.replacen("7pay: launch week", "7pay: lunch week", 1));
    expect(&ttx(&["replay", &retitled], None), 1, "an edited title");

    // Standard input: invalid UTF-8, an endless line, endless lines.
    expect(&ttx(&["play", "--text"], Some("printf 'staged_rollout\\n\\377\\n'")), 1, "invalid UTF-8 on stdin");
    expect(&ttx(&["play", "--text"], Some("head -c 300000 /dev/zero")), 1, "a 300 KB line");
    expect(&ttx(&["play", "--text"], Some("yes 'why because'")), 1, "endless lines");
    // 200 KB of notes and take-backs in one turn: bounded, and the game plays on.
    expect(
        &ttx(&["play", "--text"], Some("yes 'why x\nstaged_rollout\nstop staged_rollout' | head -c 200000")),
        0,
        "200 KB of moves",
    );

    // A plan naming a card that does not exist: placed, with a suggestion.
    let plan = write(
        "plan.ron",
        format!(
            "TestPlan(scenario: \"{}/scenarios/7pay-launch-week.ron\", seeds: [1], choices: [(turn: \"jul1\", take: [\"warn_user\"])], expect: [])",
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    let out = ttx(&["test", &plan], None);
    expect(&out, 1, "a plan with an unknown card");
    let o = text(&out.stdout);
    assert!(
        o.contains(&format!("{plan}:1:"))
            && o.contains("choices[0].take[0]")
            && o.contains("did you mean `warn_users`?"),
        "{o}"
    );
}
