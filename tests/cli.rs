//! The `ttx` command line as a user runs it: check, play from a pipe, save and replay.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ttx(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        // English unless a test asks for another language, whatever the machine's locale.
        .env("LC_ALL", "C")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ttx runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("ttx finishes")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ttx-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn check_passes_bundled_scenarios_and_fails_broken_ones() {
    let ok = ttx(&["check", "scenarios/7pay-launch-week.ron", "scenarios/clinic-ransomware.ron"], "");
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("scenarios/7pay-launch-week.ron: ok (0 warning(s); 17 of 17 lessons hold)"));

    let dir = temp_dir("check");
    let bad = dir.join("bad.ron");
    let src = std::fs::read_to_string("scenarios/7pay-launch-week.ron").expect("read");
    std::fs::write(
        &bad,
        src.replacen("(metric: \"press_heat\", value: \"12\")", "(metric: \"pres_heat\", value: \"12 +\")", 1),
    )
    .expect("write");
    let out = ttx(&["check", bad.to_str().expect("utf8")], "");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("unknown metric `pres_heat`"), "{err}");
    assert!(err.contains("did you mean `press_heat`?"), "{err}");
    assert!(err.contains("formula ends too early"), "{err}");
    assert!(err.contains("injects[4].effects[0].metric"), "{err}");
    assert!(err.contains(&format!("{}:", bad.display())), "{err}");
    assert!(text(&out.stdout).contains("2 error(s)"));

    let json = ttx(&["check", "--format", "json", bad.to_str().expect("utf8")], "");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let diags = v[0]["diagnostics"].as_array().expect("array");
    assert_eq!(diags.len(), 2);
    assert!(diags[0]["line"].as_u64().expect("line") > 0);
    assert_eq!(diags[0]["severity"], "error");
}

#[test]
fn wrong_flags_get_a_clear_message() {
    let out = ttx(&["play", "--txet"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--text"), "{}", text(&out.stderr));
    let out = ttx(&["play", "--text", "--seed", "minus-one"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("invalid value"));
    let out = ttx(&["play", "--text", "no/such/file.ron"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read the file"));
}

#[test]
fn play_from_a_pipe_then_replay_the_save() {
    let dir = temp_dir("play");
    let save = dir.join("game.ron");
    let input = "staged_rollout\n3\nfix_password_reset\n\nbogus\n\npause_card_topups\n\n";
    let out = ttx(&["play", "--text", "--seed", "4", "--save", save.to_str().expect("utf8")], input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let o = text(&out.stdout);
    assert!(o.contains("Turn 1/11: 24 - 29 Jun"));
    assert!(o.contains("✓ take “Staged, pre-registered rollout”"));
    assert!(o.contains("✓ take “Brief and equip the stores”"), "number 3 picks the third card");
    assert!(o.contains("✗ no mitigation `bogus`"));
    assert!(o.contains("✓ take “Pause card top-ups”"));
    // Input ended on turn 3: the rest played on to the debrief.
    assert!(o.contains("Turn 11/11: Thu 1 Aug") || o.contains("What happened on Thu 1 Aug"));
    assert!(o.contains("Debrief"));
    assert!(o.contains("What your choices were worth"));
    assert!(o.contains("What 7pay did (same seed)"));

    // Same seed and choices: the same game.
    let again = ttx(&["play", "--text", "--seed", "4"], input);
    assert_eq!(text(&again.stdout), o.split("\nSaved to").next().expect("text before the save line"));

    let replay = ttx(&["replay", save.to_str().expect("utf8")], "");
    assert!(replay.status.success(), "{}", text(&replay.stderr));
    assert!(text(&replay.stdout).contains("the log matches"));

    // A corrupt save is refused and left as it was.
    let corrupt = dir.join("corrupt.ron");
    std::fs::write(&corrupt, "SaveFile(version: 1, scenario_id: ").expect("write");
    let bad = ttx(&["replay", corrupt.to_str().expect("utf8")], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("not readable"), "{}", text(&bad.stderr));
    assert_eq!(std::fs::read_to_string(&corrupt).expect("still there"), "SaveFile(version: 1, scenario_id: ");
}

/// The numbers of a text, in order ("3.1 of 25.0" and "3.1 / 25.0点" hold the same).
fn numbers(line: &str) -> Vec<String> {
    line.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map(|w| w.trim_matches(|c| c == '.' || c == ','))
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

#[test]
fn play_in_japanese_gives_the_same_game() {
    let dir = temp_dir("ja");
    let save = dir.join("ja.ron");
    let input = "staged_rollout\n3\nwhy 初日は混雑する\n\nbogus\n\npause_card_topups\n\n";
    let en = ttx(&["play", "--text", "--seed", "4", "--lang", "en"], input);
    let ja = ttx(&["play", "--text", "--seed", "4", "--lang", "ja", "--save", save.to_str().expect("utf8")], input);
    assert!(en.status.success() && ja.status.success(), "{}", text(&ja.stderr));
    let (e, j) = (text(&en.stdout), text(&ja.stdout));
    for words in [
        "══ ターン 1/11：",
        "【社内】",
        "残りの行動ポイント：3、残りの予算：250,000,000円",
        "効果発揮まで",
        "を実施（残りの行動ポイント：2）",
        "✓ 記録しました",
        "✗ 対策 `bogus` はありません",
        "の出来事 ──",
        "════ 振り返り：",
        "各選択の価値",
    ] {
        assert!(j.contains(words), "no {words} in {j}");
    }
    for english in ["Turn ", "Debrief", "action point", "works after", " from ", "available"] {
        assert!(!j.contains(english), "{english} in {j}");
    }
    // The same seed and moves: the same score, grade and points, in other words.
    // "Score 33.1/100, grade D: …": the score and its scale (the verdict may hold numbers).
    let score = |o: &str, start: &str| {
        o.lines().find(|l| l.starts_with(start)).map(|l| numbers(l)[..2].to_vec()).expect("a score line")
    };
    assert_eq!(score(&e, "Score "), score(&j, "スコア "));
    let grade = |o: &str, start: &str, end: char| {
        let line = o.lines().find(|l| l.starts_with(start)).expect("a score line");
        line.split_once(if start == "Score " { "grade " } else { "評価 " })
            .expect("grade")
            .1
            .split(end)
            .next()
            .map(str::to_owned)
    };
    assert_eq!(grade(&e, "Score ", ':'), grade(&j, "スコア ", '：'));
    let parts =
        |o: &str, marker: &str| -> Vec<Vec<String>> { o.lines().filter(|l| l.contains(marker)).map(numbers).collect() };
    let (pe, pj) = (parts(&e, " points (value "), parts(&j, "点（値 "));
    assert!(!pe.is_empty());
    assert_eq!(pe, pj);
    // A save made in Japanese replays in English, with the same debrief.
    let replay = ttx(&["replay", save.to_str().expect("utf8"), "--lang", "en"], "");
    assert!(replay.status.success(), "{}", text(&replay.stderr));
    let r = text(&replay.stdout);
    assert!(r.contains("the log matches"), "{r}");
    assert_eq!(score(&r, "Score "), score(&e, "Score "));
    // And the language comes from the locale when --lang is not given.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["replay", save.to_str().expect("utf8")])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ja_JP.UTF-8")
        .stdout(Stdio::piped())
        .spawn()
        .expect("ttx runs");
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().expect("stdout"), &mut out).expect("read");
    assert!(child.wait().expect("ttx finishes").success());
    assert!(out.contains("ログは一致しています"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn undo_in_the_terminal() {
    let out = ttx(&["play", "--text"], "staged_rollout\n\nundo\nstop staged_rollout\nbrief_stores\n\n");
    let o = text(&out.stdout);
    assert!(out.status.success());
    assert_eq!(o.matches("Turn 1/11: 24 - 29 Jun").count(), 2, "undo shows turn 1 again");
    assert!(o.contains("✓ stop “Staged, pre-registered rollout”"));
}

#[test]
fn calibrate_prints_history_against_the_record() {
    let out = ttx(&["calibrate", "--seeds", "20"], "");
    assert!(out.status.success());
    let o = text(&out.stdout);
    assert!(o.contains("Fraud victims") && o.contains("808 people"), "{o}");
    assert!(o.contains("score history"));
}

#[test]
fn the_balancer_reports_every_strategy_reproducibly() {
    let run = || ttx(&["sim", "--games", "300", "--seed", "9", "--json"], "");
    let (a, b) = (run(), run());
    assert!(a.status.success(), "{}", text(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "the same seed gives the same report");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("json");
    let names: Vec<&str> =
        v["strategies"].as_array().expect("strategies").iter().map(|s| s["name"].as_str().expect("name")).collect();
    assert_eq!(
        names,
        ["history", "do nothing", "random", "greedy", "best found", "cheap trick", "short", "switch-off"]
    );
    let score = |name: &str| {
        v["strategies"].as_array().expect("list").iter().find(|s| s["name"] == name).expect("strategy")["score"]["p50"]
            .as_f64()
            .expect("p50")
    };
    assert!(score("best found") >= score("greedy") - 1e-9);
    assert!(score("greedy") > score("history") && score("history") > score("do nothing"));
    // The lesson the balancer guards: no cheap trick comes near a real defence.
    assert!(
        score("best found") - score("cheap trick") >= 20.0,
        "{:.1} vs {:.1}",
        score("best found"),
        score("cheap trick")
    );
    assert_eq!(v["mitigations"].as_array().expect("mitigations").len(), 15);
    assert!(v["injects"].as_array().expect("injects").iter().all(|i| i["rate"].as_f64().is_some()));

    let text_report = ttx(&["sim", "--games", "200"], "");
    let o = text(&text_report.stdout);
    assert!(o.contains("best found") && o.contains("Injects (share of random games"), "{o}");
    // The degenerate strategies, each against the best and history: switching off is far
    // from both; the short strategy is close and accepted by 7pay's `allow`.
    let line = |name: &str| {
        o.lines()
            .find(|l| l.trim_start().starts_with(name) && l.contains("against the best found"))
            .unwrap_or_else(|| panic!("{name}: {o}"))
    };
    assert!(o.contains("Degenerate strategies"), "{o}");
    assert!(line("switch-off").ends_with("ok"), "{}", line("switch-off"));
    assert!(line("short").contains("accepted by the scenario's `allow`"), "{}", line("short"));
    // Under each blunt strategy, what each of its moves is worth: the short strategy rests on
    // two-step verification, not on a pause.
    let worths: Vec<(f64, &str)> = o
        .lines()
        .skip_while(|l| !(l.trim_start().starts_with("short") && l.contains("against the best found")))
        .skip(1)
        .map_while(|l| {
            let (worth, what) = l.trim().split_once("  ")?;
            Some((worth.parse::<f64>().ok()?, what.trim()))
        })
        .collect();
    assert!(!worths.is_empty() && worths.len() <= 3, "{o}");
    let lever = worths.iter().max_by(|a, b| a.0.total_cmp(&b.0)).expect("a move");
    assert!(lever.1.contains("two-step verification") && lever.0 >= 20.0, "{lever:?} in {o}");
    let bad = ttx(&["sim", "--games", "0"], "");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn test_plans_run_from_the_command_line() {
    let ok = ttx(&["test", "scenarios/plans/7pay-history.plan.ron", "scenarios/plans/7pay-good-defence.plan.ron"], "");
    assert!(ok.status.success(), "{}", text(&ok.stdout));
    assert!(text(&ok.stdout).contains("plans: 2 passed, 0 failed"));
    let missing = ttx(&["test", "no/such/plan.ron"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stdout).contains("ERROR   no/such/plan.ron: cannot read the file"));
}

#[test]
fn report_and_compare_from_saves() {
    let dir = temp_dir("report");
    let (a, b) = (dir.join("team-a.ron"), dir.join("team-b.ron"));
    let play = |save: &std::path::Path, input: &str| {
        let out = ttx(&["play", "--text", "--seed", "3", "--save", save.to_str().expect("utf8")], input);
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    play(&a, "staged_rollout\nwhy launch day will be crowded\n\n\npause_card_topups\n\n");
    play(&b, "\n\n\npause_card_topups\n\n");

    let out = ttx(&["report", a.to_str().expect("utf8")], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = std::fs::read_to_string(dir.join("team-a-report.md")).expect("markdown written");
    let html = std::fs::read_to_string(dir.join("team-a-report.html")).expect("html written");
    for section in [
        "## Score",
        "## What the choices were worth",
        "## Timeline",
        "## Compared",
        "## Discussion questions",
        "## Improvement plan",
    ] {
        assert!(md.contains(section), "markdown lacks {section}");
    }
    assert!(md.contains("Why: launch day will be crowded"), "the stated rationale is in the timeline");
    assert_eq!(html.matches("<svg").count(), 14, "one chart per visible metric (7pay has 14)");
    assert!(html.contains("best strategy found") && html.ends_with("</html>\n"));

    let cmp = ttx(&["compare", a.to_str().expect("utf8"), b.to_str().expect("utf8")], "");
    assert!(cmp.status.success(), "{}", text(&cmp.stderr));
    let c = text(&cmp.stdout);
    assert!(c.contains("2 teams"), "{c}");
    let row_b = c.lines().find(|l| l.contains("team-b")).expect("team-b ranked");
    assert!(row_b.trim_start().starts_with('2') && row_b.ends_with("24 - 29 Jun"), "{c}");
    assert!(c.lines().any(|l| l.contains("team-a") && l.ends_with("(leader)")), "{c}");
    assert!(c.contains("best on user trust: team-a"), "{c}");

    // A result file from another scenario, and a tampered one: clear errors, files untouched.
    let other = dir.join("clinic.ron");
    let o = ttx(&["play", "--text", "scenarios/clinic-ransomware.ron", "--save", other.to_str().expect("utf8")], "");
    assert!(o.status.success());
    let bad = ttx(
        &[
            "compare",
            a.to_str().expect("utf8"),
            other.to_str().expect("utf8"),
            "--scenario",
            "scenarios/7pay-launch-week.ron",
        ],
        "",
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("belongs to scenario `clinic-ransomware`"), "{}", text(&bad.stderr));
    let tampered = dir.join("tampered.ron");
    let t = std::fs::read_to_string(&a).expect("read").replacen("take(mitigation", "stop(mitigation", 1);
    std::fs::write(&tampered, &t).expect("write");
    let bad = ttx(&["report", tampered.to_str().expect("utf8")], "");
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&tampered).expect("still there"), t);
    assert!(!dir.join("tampered-report.md").exists(), "nothing written for a bad save");
}

#[test]
fn check_warns_about_mitigations_never_worth_taking() {
    let all = [
        "scenarios/7pay-launch-week.ron",
        "scenarios/clinic-ransomware.ron",
        "scenarios/cloud-outage.ron",
        "scenarios/template.ron",
    ];
    let ok = ttx(&["check", all[0], all[1], all[2], all[3]], "");
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert_eq!(text(&ok.stdout).matches("ok (0 warning(s)").count(), 4, "{}", text(&ok.stdout));
    assert!(text(&ok.stdout).contains("17 of 17 lessons hold"), "{}", text(&ok.stdout));

    // A card whose cost outweighs what it does: flagged at its place in the file.
    let dir = temp_dir("worth");
    let trap = dir.join("trap.ron");
    let src = std::fs::read_to_string("scenarios/template.ron").expect("read");
    let changed = src.replacen(
        "on_take: [(metric: \"trust\", op: Add, value: \"8\")]",
        "on_take: [(metric: \"trust\", op: Add, value: \"1\")]",
        1,
    );
    assert_ne!(changed, src);
    std::fs::write(&trap, changed).expect("write");
    let out = ttx(&["check", trap.to_str().expect("utf8")], "");
    assert!(out.status.success(), "warnings do not fail the check");
    let err = text(&out.stderr);
    assert!(err.contains("mitigation `credit_monitoring` is never worth taking"), "{err}");
    assert!(err.contains("= at: mitigations[2]") && err.contains("trap.ron:181:9"), "{err}");
    assert!(text(&out.stdout).contains("ok (1 warning(s))"), "{}", text(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_reads_result_files_that_carry_their_scenario() {
    use ttx::sim::play::save::{Bundle, SaveFile};
    let dir = temp_dir("bundles");
    let src = std::fs::read_to_string("scenarios/cloud-outage.ron").expect("read");
    let sc = std::sync::Arc::new(ttx::sim::load_str(&src, "cloud-outage.ron").expect("loads").scenario);
    let mut files = Vec::new();
    for (team, seed_moves) in [("Ops", 0usize), ("Dev", 1)] {
        let mut g = ttx::sim::Game::new(std::sync::Arc::clone(&sc), 1);
        if seed_moves > 0 {
            let a = g.legal_actions()[0];
            g.act(a).expect("legal");
        }
        while !g.is_finished() {
            g.end_turn();
        }
        let mut save = SaveFile::of(&g);
        save.team = Some(team.into());
        let bundle = Bundle { scenario_name: "cloud-outage.ron".into(), scenario_text: src.clone(), save };
        let path = dir.join(format!("{team}.ron"));
        std::fs::write(&path, bundle.to_ron().expect("a save writes")).expect("write");
        files.push(path);
    }
    // No --scenario: each file carries the scenario it was played on.
    let out = ttx(&["compare", files[0].to_str().expect("utf8"), files[1].to_str().expect("utf8")], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let c = text(&out.stdout);
    assert!(c.contains("2 teams") && c.contains("Ops") && c.contains("Dev"), "{c}");
    assert!(c.lines().any(|l| l.ends_with("(leader)")), "{c}");
    // A bundle whose scenario text was edited after the game: refused, nothing written.
    let edited = std::fs::read_to_string(&files[1]).expect("read").replacen("title:", "title: ", 1);
    std::fs::write(&files[1], &edited).expect("write");
    let out = ttx(&["compare", files[0].to_str().expect("utf8"), files[1].to_str().expect("utf8")], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("has changed since this game was saved"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&files[1]).expect("read"), edited, "the file is untouched");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn translate_prints_a_skeleton_that_check_accepts_and_then_holds_to_account() {
    let out = ttx(&["translate", "scenarios/clinic-ransomware.ron", "--to", "fr"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let skeleton = text(&out.stdout);
    assert!(skeleton.contains("language: \"fr\""), "{skeleton}");
    let original = std::fs::read_to_string("scenarios/clinic-ransomware.ron").expect("the clinic");
    let end = original.rfind(')').expect("closing parenthesis");
    let body = original[..end].trim_end();
    let comma = if body.ends_with(',') { "" } else { "," };
    let dir = temp_dir("translate");
    let file = dir.join("clinic-fr.ron");
    std::fs::write(&file, format!("{body}{comma}\n    translations: [{skeleton}],\n)\n")).expect("write");
    let checked = ttx(&["check", file.to_str().expect("utf-8 path")], "");
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    assert!(!text(&checked.stderr).contains("`fr` text"), "{}", text(&checked.stderr));

    // Drop the French summary: check names it, at the entry's language.
    let cut = format!("{body}{comma}\n    translations: [{skeleton}],\n)\n");
    let at = cut.find("language: \"fr\"").expect("the entry");
    let summary = at + cut[at..].find("    summary:").expect("its summary");
    let eol = summary + cut[summary..].find('\n').expect("eol");
    std::fs::write(&file, format!("{}{}", &cut[..summary], &cut[eol + 1..])).expect("write");
    let checked = ttx(&["check", file.to_str().expect("utf-8 path")], "");
    let err = text(&checked.stderr);
    assert!(err.contains("no `fr` text") && err.contains("summary"), "{err}");
    assert!(err.contains("clinic-fr.ron:"), "placed in the file: {err}");

    // The bundled 7pay already speaks Japanese: its texts come filled in.
    let ja = ttx(&["translate", "--to", "ja"], "");
    assert!(text(&ja.stdout).contains("二段階認証を導入"), "{}", text(&ja.stdout));
    let bad = ttx(&["translate", "--to", "not a tag"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("not a language tag"), "{}", text(&bad.stderr));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_starts_a_session_and_prints_each_teams_join_link() {
    use std::io::BufRead as _;
    let dir = temp_dir("serve");
    let db = dir.join("w.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["serve", "--port", "0", "--web", "/nonexistent", "--teams", "Red,Blue", "--seed", "3"])
        .arg("--db")
        .arg(&db)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ttx serve runs");
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut seen = Vec::new();
    while !seen.iter().any(|l: &String| l.starts_with("facilitator")) {
        match lines.next() {
            Some(Ok(l)) => seen.push(l),
            _ => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let all = seen.join("\n");
    for team in ["Red", "Blue", "facilitator"] {
        let line =
            seen.iter().find(|l| l.trim_start().starts_with(team) && l.contains("http://127.0.0.1:")).expect(&all);
        let token = line.rsplit("?join=").next().expect("a token");
        assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
        if team != "facilitator" {
            let code = line.split("code ").nth(1).and_then(|c| c.split(',').next()).expect(line);
            assert!(code.len() == 9 && code.as_bytes()[4] == b'-', "a code to type: {line}");
        }
    }
    assert!(all.contains("(0 session(s) resumed from"), "a new database: {all}");

    // A bad team list is refused before anything listens; options without --teams too.
    let bad = ttx(&["serve", "--port", "0", "--db", db.to_str().expect("utf-8"), "--teams", "Red,Red"], "");
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("two teams are called “Red”"), "{}", text(&bad.stderr));
    let usage = ttx(&["serve", "--seed", "4"], "");
    assert_eq!(usage.status.code(), Some(2), "{}", text(&usage.stderr));
    let usage = ttx(&["serve", "--teams", "Red", "--pace", "sometimes"], "");
    assert_eq!(usage.status.code(), Some(2), "{}", text(&usage.stderr));
    assert!(text(&usage.stderr).contains("synchronized"), "{}", text(&usage.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `ttx report --db`: the cohort report of every team of every workshop a server's database
/// holds (here one written by the previous release), read without changing it; a missing
/// database and a save given with it are refused.
#[test]
fn report_db_writes_the_cohort_report_of_a_workshop_database() {
    let dir = temp_dir("cohort");
    let db = dir.join("workshops.sqlite3");
    std::fs::copy("tests/data/v1/workshops-v1.sqlite3", &db).expect("copy");
    let before = std::fs::read(&db).expect("read");
    let out = ttx(&["report", "--db", db.to_str().expect("utf8"), "--out", dir.to_str().expect("utf8")], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = std::fs::read_to_string(dir.join("cohort-7pay-launch-week.md")).expect("markdown written");
    let html = std::fs::read_to_string(dir.join("cohort-7pay-launch-week.html")).expect("HTML written");
    assert!(md.contains("# Cohort report: 7pay: launch week") && md.contains("2 teams in one workshop"), "{md}");
    // Red took the store briefing on the first turn, Blue the capacity: one team each.
    assert!(md.contains("| Brief and equip the stores | 1 of 2 (50%) | 24 - 29 Jun: 1 |"), "{md}");
    assert!(md.contains("| Add two-step verification | 0 of 2 (0%) |  |"), "{md}");
    assert!(html.contains("<svg") && html.contains("Red (v1)"), "bar charts of the teams");
    assert_eq!(std::fs::read(&db).expect("read"), before, "the database is only read");

    let missing = ttx(&["report", "--db", dir.join("nope.sqlite3").to_str().expect("utf8")], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("no such workshop database"), "{}", text(&missing.stderr));
    let both = ttx(&["report", "game.ron", "--db", db.to_str().expect("utf8")], "");
    assert_eq!(both.status.code(), Some(2), "a save and a database at once: {}", text(&both.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
