//! Analysis: the Monte Carlo balancer (`ttx sim`), calibration against history (`ttx
//! calibrate`), scenario test plans (`ttx test`) and the determinism vectors.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use super::{Error, load_scenario};
use crate::files::write_atomic;
use crate::i18n::Lang;
use crate::sim::analyse::plan::{self, PlanError};
use crate::sim::play::score::{self, Spread};
use crate::sim::scenario::Scenario;

/// Reads a strategy file (a RON list of per-turn choices) against a scenario.
pub(super) fn load_strategy(path: &FsPath, sc: &Scenario) -> Result<crate::sim::Path, Error> {
    use crate::sim::author::diag::{Diagnostics, Reporter, Severity};
    let name = path.display().to_string();
    let text = crate::sim::author::input::read_text(path, crate::sim::author::input::MAX_PLAN_BYTES, "strategy")?;
    let mut rep = Reporter::new(&name, &text);
    let choices: Vec<crate::sim::format::TurnChoicesDef> =
        match ron::Options::default().with_recursion_limit(16).from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                let pos = crate::sim::author::locate::Pos { line: e.span.start.line, col: e.span.start.col };
                rep.at(
                    Severity::Error,
                    pos,
                    1,
                    "",
                    e.code.to_string(),
                    Some("a strategy is a list: `[(turn: \"jul1\", take: [\"...\"]), ...]`".to_owned()),
                );
                return Err(Error::Placed(Diagnostics(rep.finish())));
            }
        };
    crate::sim::author::validate::resolve_path_placed(sc, &choices, "").map_err(|errs| {
        for e in errs {
            rep.error(&e.path, e.message, e.hint);
        }
        Error::Placed(Diagnostics(rep.finish()))
    })
}

/// `ttx calibrate`: the historical path and doing nothing (and a strategy) over many seeds,
/// against the real figures.
pub(super) fn calibrate(file: Option<&FsPath>, seeds: u64, strategy: Option<&FsPath>) -> Result<(), Error> {
    let loaded = load_scenario(file)?;
    let sc = Arc::new(loaded.scenario);
    let h = sc.history.clone().ok_or(Error::NoHistory)?;
    let strat = strategy.map(|p| load_strategy(p, &sc)).transpose()?;
    let hist = score::path_stats(&sc, &h.path, 0, seeds);
    let none = score::path_stats(&sc, &Default::default(), 0, seeds);
    let mine = strat.as_ref().map(|p| score::path_stats(&sc, p, 0, seeds));
    println!("{} — {seeds} seeds (medians)", sc.meta.title);
    let en = Lang::En.tr();
    let last = if mine.is_some() { "strategy" } else { "" };
    println!("{:<24} {:>16} {:>16} {:>8} {:>16} {:>16}", "metric", "real", "history", "off by", "do nothing", last);
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let real = h.outcome.iter().find(|f| f.metric.ix() == k);
        let p50 = hist.metrics[k].p50;
        println!(
            "{:<24} {:>16} {:>16} {:>8} {:>16} {:>16}",
            m.label,
            real.map(|f| en.quantity(f.value, m.measure())).unwrap_or_default(),
            en.quantity(p50, m.measure()),
            real.map(|f| format!("{:+.1}%", (p50 / f.value - 1.0) * 100.0)).unwrap_or_default(),
            en.quantity(none.metrics[k].p50, m.measure()),
            mine.as_ref().map(|s| en.quantity(s.metrics[k].p50, m.measure())).unwrap_or_default(),
        );
    }
    let show = |name: &str, s: &Spread| {
        println!("score {name:<12} mean {:5.1}  p5 {:5.1}  p50 {:5.1}  p95 {:5.1}", s.mean, s.p5, s.p50, s.p95);
    };
    show("history", &hist.score);
    show("do nothing", &none.score);
    if let Some(s) = &mine {
        show("strategy", &s.score);
    }
    Ok(())
}

/// How the blunt strategies (a cheap trick, the service switched off, a few moves of any
/// cost) compare with the best strategy found and the historical path, flagged as `ttx
/// check` flags them, with what each of their moves is worth.
fn print_degenerate(sc: &crate::sim::Scenario, report: &crate::sim::analyse::balance::Report) {
    use crate::sim::analyse::balance::SHORT_MOVES;
    use crate::sim::analyse::lint::{ABOVE_HISTORY, DEGENERATE_MARGIN, too_close};
    use crate::sim::format::Check;
    let find = |name: &str| report.strategies.iter().find(|s| s.name == name);
    let Some(best) = find("best found").map(|s| s.score.mean) else { return };
    let history = find("history").map(|s| s.score.mean);
    let groups: [(String, &[(&str, Check)]); 2] = [
        (
            format!(
                "Degenerate strategies: a trick, or not operating (flagged within {DEGENERATE_MARGIN} points of the best found, or {ABOVE_HISTORY} above history)"
            ),
            &[("cheap trick", Check::CheapTrick), ("switch-off", Check::SwitchOff)],
        ),
        (
            format!(
                "Short strategy: the best {SHORT_MOVES} moves of any cost (flagged the same way unless the scenario allows it)"
            ),
            &[("short", Check::ShortStrategy)],
        ),
    ];
    for (heading, members) in groups {
        println!("\n{heading}:");
        for &(name, check) in members {
            let Some(s) = find(name) else { continue };
            let score = s.score.mean;
            let mut line = format!("  {name:<12} {score:5.1}  {:+6.1} against the best found", score - best);
            if let Some(h) = history {
                line.push_str(&format!(", {:+6.1} against history", score - h));
            }
            let (near_best, above_history) = too_close(score, best, history);
            line.push_str(match (near_best || above_history, sc.allow.contains(&check)) {
                (false, _) => "   ok",
                (true, false) => "   TOO CLOSE",
                (true, true) => "   close, accepted by the scenario's `allow` (see its reason)",
            });
            println!("{line}");
            for m in &s.moves {
                println!("      {:+6.1}  {}", m.worth, m.what);
            }
        }
    }
    println!("  (under each: what a move is worth to its strategy, the score without it on the same seeds)");
}

/// `ttx sim`: many games per strategy and the balance report.
pub(super) fn sim(file: Option<&FsPath>, games: u64, seed: u64, json: bool) -> Result<(), Error> {
    use std::io::IsTerminal;

    use crate::sim::analyse::balance::{Options, balance};
    let loaded = load_scenario(file)?;
    if games == 0 {
        return Err(Error::Usage { message: "--games must be at least 1".into(), hint: None });
    }
    let sc = Arc::new(loaded.scenario);
    let opts = Options { games, seed, ..Options::default() };
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let report = balance(&sc, &opts, &mut |done, total| {
        if tty {
            let width = 40;
            let filled = (done * width / total.max(1)) as usize;
            eprint!("\r[{}{}] {done}/{total} games", "#".repeat(filled), " ".repeat(width as usize - filled));
        }
    });
    if tty {
        eprintln!();
    }
    let secs = started.elapsed().as_secs_f64();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let played = games * report.strategies.len() as u64;
    println!(
        "{} — {games} games per strategy, seed {seed} ({played} games in {secs:.1} s, {:.0} games/s)",
        sc.meta.title,
        played as f64 / secs
    );
    let en = Lang::En.tr();
    for s in &report.strategies {
        let sp = &s.score;
        println!(
            "\n{:<12} score mean {:5.1}  p5 {:5.1}  p50 {:5.1}  p95 {:5.1}",
            s.name, sp.mean, sp.p5, sp.p50, sp.p95
        );
        let grades: Vec<String> = s.grades.iter().map(|(g, share)| format!("{g} {:.0}%", share * 100.0)).collect();
        println!("             grades: {}", grades.join("  "));
        for (id, m) in &s.metrics {
            let def = sc.metric_index(id).map(|k| &sc.metrics[k.ix()]);
            if let Some(def) = def {
                println!(
                    "             {:<26} p5 {:>16}  p50 {:>16}  p95 {:>16}",
                    def.label,
                    en.quantity(m.p5, def.measure()),
                    en.quantity(m.p50, def.measure()),
                    en.quantity(m.p95, def.measure())
                );
            }
        }
        for line in &s.path {
            println!("             · {line}");
        }
    }
    print_degenerate(&sc, &report);
    println!("\nMitigations in random play (mean score of games that took it minus those that did not):");
    let mut effects = report.mitigations.clone();
    effects.sort_by(|a, b| b.delta.total_cmp(&a.delta));
    for m in &effects {
        println!("  {:+6.1}  {:<48} taken in {:>3.0}% of games", m.delta, m.label, m.taken * 100.0);
    }
    println!("\nInjects (share of random games in which they fired):");
    for i in &report.injects {
        let flag = if i.never { "   NEVER FIRED in any strategy" } else { "" };
        println!("  {:>5.1}%  {}{flag}", i.rate * 100.0, i.title);
    }
    if !report.dead_ends.is_empty() {
        println!("\nDead ends (never taken in any random game): {}", report.dead_ends.join(", "));
    }
    Ok(())
}

/// Reads a plan file and the scenario it names (relative to the plan), then checks and
/// runs it: Err is a plan that cannot run (every problem placed at the plan's
/// file:line:column with its field path and a hint), Ok lists the assertions that failed.
pub fn run_plan_file(path: &FsPath) -> Result<plan::Outcome, PlanError> {
    let name = path.display().to_string();
    let text = crate::sim::author::input::read_text(path, crate::sim::author::input::MAX_PLAN_BYTES, "test plan")?;
    let parsed = plan::parse(&name, &text)?;
    let scenario_path = path.parent().unwrap_or(FsPath::new(".")).join(&parsed.scenario);
    // Checked only: the plan reads the scenario, not its load warnings.
    let loaded = crate::sim::author::validate::read_file(&scenario_path, &|_, _, _| {})
        .map_err(|diagnostics| PlanError::Scenario { plan: name.clone(), diagnostics })?;
    plan::check_and_run(&name, &text, &parsed, &Arc::new(loaded.scenario))
}

/// `ttx test`: runs scenario test plans and says which fail.
pub(super) fn test_plans(plans: &[PathBuf]) -> Result<(), Error> {
    let (mut passed, mut failed) = (0usize, 0usize);
    for p in plans {
        match run_plan_file(p) {
            Ok(o) if o.failures.is_empty() => {
                passed += 1;
                println!("ok      {} ({} checks)", p.display(), o.checks);
            }
            Ok(o) => {
                failed += 1;
                println!("FAILED  {} ({} of {} checks failed)", p.display(), o.failures.len(), o.checks);
                for f in o.failures.iter().take(20) {
                    println!("        {f}");
                }
            }
            Err(e) => {
                failed += 1;
                println!("ERROR   {e}");
            }
        }
    }
    println!("plans: {passed} passed, {failed} failed");
    if failed > 0 { Err(Error::Reported) } else { Ok(()) }
}

/// `ttx vectors`: checks the determinism vectors, or recomputes a file's expected values.
pub(super) fn vectors(update: Option<&FsPath>) -> Result<(), Error> {
    use crate::sim::vectors;
    match update {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                action: "read",
                path: path.to_path_buf(),
                source,
            })?;
            let updated = vectors::update(&text)?;
            write_atomic(path, &updated).map_err(|e| Error::write(path, e))?;
            println!("updated {}", path.display());
        }
        None => {
            let n = vectors::check(vectors::BUNDLED)?;
            println!("{n} determinism vectors match");
        }
    }
    Ok(())
}
