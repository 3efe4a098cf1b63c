//! The `ttx` command line: check scenarios, play in the terminal, replay saves, calibrate.

use std::io::{BufRead, Write};
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::files::write_atomic;
use crate::sim::bundled::{BUNDLED, seven_pay};
use crate::sim::game::Game;
use crate::sim::save::SaveFile;
use crate::sim::scenario::{Action, Kind, MitigationIdx, Scenario, format_number};
use crate::sim::score::{self, Spread};
use crate::sim::view;
use crate::sim::{Diagnostics, Loaded, load_file, load_str};

/// Most games per strategy `ttx sim` plays (each strategy's games are kept for percentiles).
pub const MAX_GAMES: u64 = 200_000;
/// Most seeds `ttx calibrate` plays.
pub const MAX_SEEDS: u64 = 100_000;
/// Longest line `play --text` reads, and most lines in all.
const MAX_LINE_BYTES: u64 = 64 * 1024;
const MAX_LINES: usize = 100_000;

#[derive(Debug, Parser)]
#[command(name = "ttx", version, about = "Incident-response tabletop games: play, check and calibrate scenarios.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A scenario file to open in the desktop game.
    pub scenario: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate scenario files: every error and warning, with file:line:column and field path.
    Check {
        /// Scenario files (.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Play a scenario in the terminal.
    ///
    /// Each turn prints the briefing, the events and your options. Type one choice per
    /// line: a card number or id to take or stop a mitigation, `choose DECISION OPTION`
    /// (or the option's number), `undo` to step back a turn, `help`. An empty line ends the
    /// turn. At the end of input the remaining turns play on with no further choices.
    Play {
        /// Play in the terminal (the only mode of this command; the desktop game is `ttx`).
        #[arg(long)]
        text: bool,
        /// Scenario file; the bundled 7pay scenario when omitted.
        file: Option<PathBuf>,
        /// Seed of the random events; the same seed and choices give the same game.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the finished game here (RON), to replay or report on later.
        #[arg(long)]
        save: Option<PathBuf>,
    },
    /// Re-run a saved game and check that it reproduces its log; prints the debrief.
    Replay {
        /// A save written by `ttx play --save` or the game.
        save: PathBuf,
        /// The scenario it was played on; the bundled scenario with the save's id when omitted.
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
    /// Monte Carlo balancer: many games per strategy (historical path, do nothing, random,
    /// greedy on score, the best strategy a search finds) on every core, and a report.
    Sim {
        file: Option<PathBuf>,
        /// Games per strategy (1 to 200,000).
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=MAX_GAMES))]
        games: u64,
        /// Seed of the whole report: the same seed gives the same report.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the after-action report of a saved game: Markdown and a self-contained HTML page.
    Report {
        /// A save written by `ttx play --save` or the game.
        save: PathBuf,
        /// The scenario it was played on; the bundled scenario with the save's id when omitted.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Where to write `<name>.md` and `<name>.html` (default: next to the save).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Compare the result files (saves) of several teams on the same scenario and seed.
    Compare {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
    /// Run scenario test plans: scripted choices plus assertions on metrics and score.
    Test {
        /// Plan files (RON, `TestPlan(...)`).
        #[arg(required = true)]
        plans: Vec<PathBuf>,
    },
    /// Check the determinism test vectors shared by the native and browser builds.
    #[command(hide = true)]
    Vectors(VectorsArgs),
    /// Play the historical path and doing nothing over many seeds and compare with the
    /// real figures the scenario records.
    Calibrate {
        file: Option<PathBuf>,
        /// How many seeds (1 to 100,000).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=MAX_SEEDS))]
        seeds: u64,
        /// Also play a strategy: a file holding a RON list of
        /// `(turn: "id", take: [...], stop: [...], choose: [...])`.
        #[arg(long)]
        strategy: Option<PathBuf>,
    },
}

/// Checks the determinism vectors (or rewrites the expected values with `--update FILE`).
#[derive(Debug, clap::Args)]
pub struct VectorsArgs {
    /// Recompute the expected values of this vectors file in place (after a deliberate change).
    #[arg(long)]
    pub update: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Loads a scenario by path, or the bundled one.
pub fn load_scenario(file: Option<&FsPath>) -> Result<Loaded, Diagnostics> {
    match file {
        Some(p) => load_file(p),
        None => seven_pay(),
    }
}

/// Runs a subcommand; returns the process exit code.
pub fn run(command: Command) -> i32 {
    match command {
        Command::Check { files, format } => check(&files, format),
        Command::Play { text: _, file, seed, save } => {
            let stdin = std::io::stdin();
            let mut out = std::io::stdout();
            play_text(file.as_deref(), seed, save.as_deref(), &mut stdin.lock(), &mut out)
        }
        Command::Replay { save, scenario } => replay(&save, scenario.as_deref()),
        Command::Vectors(args) => vectors(args.update.as_deref()),
        Command::Test { plans } => test_plans(&plans),
        Command::Report { save, scenario, out } => report(&save, scenario.as_deref(), out.as_deref()),
        Command::Compare { files, scenario } => compare(&files, scenario.as_deref()),
        Command::Sim { file, games, seed, json } => sim(file.as_deref(), games, seed, json),
        Command::Calibrate { file, seeds, strategy } => calibrate(file.as_deref(), seeds, strategy.as_deref()),
    }
}

fn check(files: &[PathBuf], format: Format) -> i32 {
    let mut failed = false;
    let mut json = Vec::new();
    for f in files {
        let mut lessons = 0;
        let (diags, ok) = match load_file(f) {
            Ok(l) => {
                lessons = l.scenario.lessons.len();
                let mut diags = l.warnings;
                let src = crate::sim::input::read_text(f, crate::sim::input::MAX_SCENARIO_BYTES, "scenario")
                    .unwrap_or_default();
                let sc = Arc::new(l.scenario);
                diags.extend(crate::sim::validate::balance_warnings(&sc, &src, &f.display().to_string()));
                (diags, true)
            }
            Err(d) => (d.0, false),
        };
        failed |= !ok;
        match format {
            Format::Text => {
                for d in &diags {
                    eprintln!("{d}");
                }
                let errors = diags.iter().filter(|d| d.is_error()).count();
                let warnings = diags.iter().filter(|d| d.severity == crate::sim::Severity::Warning).count();
                if ok && lessons > 0 {
                    let failing = diags.iter().filter(|d| d.path.starts_with("lessons[") && !d.is_error()).count();
                    println!(
                        "{}: ok ({warnings} warning(s); {} of {lessons} lessons hold)",
                        f.display(),
                        lessons - failing.min(lessons)
                    );
                } else if ok {
                    println!("{}: ok ({warnings} warning(s))", f.display());
                } else {
                    println!("{}: {errors} error(s), {warnings} warning(s)", f.display());
                }
            }
            Format::Json => json.push(serde_json::json!({
                "file": f.display().to_string(),
                "ok": ok,
                "diagnostics": diags,
            })),
        }
    }
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
    }
    i32::from(failed)
}

fn print_diags(d: &Diagnostics) {
    eprintln!("{d}");
}

fn write_turn(out: &mut dyn Write, game: &Game) -> std::io::Result<()> {
    let sc = game.scenario();
    let t = &sc.turns[game.turn()];
    writeln!(out, "\n══ Turn {}/{}: {} ══", game.turn() + 1, sc.turns.len(), t.label)?;
    writeln!(out, "{}", t.briefing)?;
    for i in game.injects_this_turn() {
        let inj = &sc.injects[i.ix()];
        writeln!(out, "\n  [{}] {}\n    {}", inj.channel.label(), inj.title, inj.text)?;
    }
    writeln!(out, "\nMetrics:")?;
    let prev = game.metrics_at_turn_start();
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let v = game.metrics()[k];
        let d = v - game.history().last().map_or(prev[k], |h| h[k]);
        let delta = if d.abs() > 1e-9 {
            format!(" ({}{})", if d > 0.0 { "+" } else { "" }, format_number(d, m.decimals))
        } else {
            String::new()
        };
        writeln!(out, "  {:<28} {}{delta}", m.label, m.format(v))?;
    }
    let budget = game
        .budget_left()
        .map(|b| format!(", budget left {} {}", format_number(b, 0), sc.resources.currency))
        .unwrap_or_default();
    writeln!(out, "\nAction points left: {}{budget}", game.points_left())?;
    writeln!(out, "Mitigations:")?;
    for c in view::cards(game, crate::i18n::Lang::En.tr()) {
        let m = &sc.mitigations[c.index.ix()];
        let state = match (&c.badge, &c.button.why) {
            (view::Badge::Locked, Some(why)) => format!("locked: {why}"),
            (badge, _) => badge.text(crate::i18n::Lang::En.tr()),
        };
        let kind = if m.kind == Kind::Toggle { ", toggle" } else { "" };
        writeln!(
            out,
            "  {:>2}. {:<48} {} pt, {} {}, lead {}{kind}  [{state}]",
            c.index.ix() + 1,
            c.label,
            m.points,
            format_number(m.money, 0),
            sc.resources.currency,
            crate::sim::scenario::format_days(m.lead_days)
        )?;
    }
    for (i, chosen) in game.due_decisions() {
        let inj = &sc.injects[i.ix()];
        writeln!(out, "Decision “{}” ({}):", inj.title, inj.id)?;
        for (o, opt) in inj.options.iter().enumerate() {
            let mark = if chosen == Some(o as u16) { " ← chosen" } else { "" };
            writeln!(out, "    {}) {} — {}{mark}", o + 1, opt.label, opt.description)?;
        }
    }
    writeln!(out, "Your choices (empty line ends the turn, `help` for commands):")
}

/// Parses one line of terminal input into an action.
pub fn parse_choice(sc: &Scenario, game: &Game, line: &str) -> Result<Option<Action>, ChoiceError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mitigation = |w: &str| -> Result<MitigationIdx, ChoiceError> {
        if let Ok(n) = w.parse::<usize>() {
            return (1..=sc.mitigations.len())
                .contains(&n)
                .then(|| MitigationIdx::at(n - 1))
                .ok_or(ChoiceError::NoNumber(n));
        }
        sc.mitigation_index(w).ok_or_else(|| ChoiceError::NoMitigation {
            word: w.to_owned(),
            did_you_mean: crate::sim::diag::did_you_mean(w, sc.mitigations.iter().map(|m| m.id.as_str())),
        })
    };
    match words.as_slice() {
        [] => Ok(None),
        ["take", m] => Ok(Some(Action::Take(mitigation(m)?))),
        ["stop", m] => Ok(Some(Action::Stop(mitigation(m)?))),
        ["choose", d, o] | ["decide", d, o] => {
            let i = sc.inject_index(d).ok_or_else(|| ChoiceError::NoDecision((*d).to_owned()))?;
            let opts = &sc.injects[i.ix()].options;
            let o = match o.parse::<usize>() {
                Ok(n) if (1..=opts.len()).contains(&n) => n - 1,
                _ => opts
                    .iter()
                    .position(|x| x.id == *o)
                    .ok_or_else(|| ChoiceError::NoOption { decision: (*d).to_owned(), option: (*o).to_owned() })?,
            };
            Ok(Some(Action::Choose(i, o as u16)))
        }
        [m] => Ok(Some(view::toggle(game, mitigation(m)?))),
        _ => Err(ChoiceError::Unreadable(line.to_owned())),
    }
}

const HELP: &str = "Commands: N or ID (take a mitigation, or stop it if running) | take ID | stop ID | choose DECISION OPTION | why TEXT (your reason, for the report) | undo | help | empty line: end the turn";

/// One line of `play --text` input: at most [`MAX_LINE_BYTES`], UTF-8, and at most
/// [`MAX_LINES`] lines in all; `None` at the end of input.
fn read_line(input: &mut dyn BufRead, count: &mut usize) -> Result<Option<String>, LineError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    input.take(MAX_LINE_BYTES + 1).read_until(b'\n', &mut bytes)?;
    if bytes.is_empty() {
        return Ok(None);
    }
    *count += 1;
    let line = *count;
    if bytes.len() as u64 > MAX_LINE_BYTES {
        return Err(LineError::TooLong { line });
    }
    if line > MAX_LINES {
        return Err(LineError::TooMany);
    }
    String::from_utf8(bytes).map(Some).map_err(|_| LineError::NotUtf8 { line })
}

/// Why `play --text` stops reading its input.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("{0}")]
    Read(#[from] std::io::Error),
    #[error("line {line} is longer than {MAX_LINE_BYTES} bytes")]
    TooLong { line: usize },
    #[error("more than {MAX_LINES} lines of input")]
    TooMany,
    #[error("line {line} is not UTF-8 text")]
    NotUtf8 { line: usize },
}

/// A `play --text` line that names no move; the game goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    #[error("no mitigation number {0}")]
    NoNumber(usize),
    #[error("no mitigation `{word}`{}", did_you_mean.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    NoMitigation { word: String, did_you_mean: Option<String> },
    #[error("no decision `{0}`")]
    NoDecision(String),
    #[error("no option `{option}` in `{decision}`")]
    NoOption { decision: String, option: String },
    #[error("cannot read `{0}`; type `help`")]
    Unreadable(String),
}

/// Plays a game in the terminal from `input`; returns the exit code.
pub fn play_text(
    file: Option<&FsPath>,
    seed: u64,
    save: Option<&FsPath>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> i32 {
    let loaded = match load_scenario(file) {
        Ok(l) => l,
        Err(d) => {
            print_diags(&d);
            return 1;
        }
    };
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    let sc = Arc::new(loaded.scenario);
    let mut game = Game::new(Arc::clone(&sc), seed);
    let _ = writeln!(out, "{}\n{}\n", sc.meta.title, sc.meta.summary);
    let mut input_open = true;
    let mut lines_read = 0usize;
    while !game.is_finished() {
        if input_open {
            let _ = write_turn(out, &game);
        }
        loop {
            if !input_open {
                break;
            }
            let line = match read_line(input, &mut lines_read) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    input_open = false;
                    break;
                }
                Err(e) => {
                    eprintln!("error: standard input: {e}");
                    return 1;
                }
            };
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if line == "help" {
                let _ = writeln!(out, "{HELP}");
                continue;
            }
            if line == "undo" {
                if game.undo() {
                    let _ = write_turn(out, &game);
                } else {
                    let _ = writeln!(out, "  nothing to undo");
                }
                continue;
            }
            if let Some(why) = line.strip_prefix("why ") {
                let _ = match game.note(why) {
                    Ok(()) => writeln!(out, "  ✓ noted"),
                    Err(lock) => writeln!(out, "  ✗ not noted: {lock}"),
                };
                continue;
            }
            match parse_choice(&sc, &game, line) {
                Ok(Some(a)) => match game.act(a) {
                    Ok(()) => {
                        let _ = writeln!(out, "  ✓ {} ({} action point(s) left)", sc.describe(a), game.points_left());
                    }
                    Err(lock) => {
                        let _ = writeln!(out, "  ✗ {}: {lock}", sc.describe(a));
                    }
                },
                Ok(None) => {}
                Err(e) => {
                    let _ = writeln!(out, "  ✗ {e}");
                }
            }
        }
        let turn = game.turn();
        game.end_turn();
        let _ = write_summary(out, &game, turn);
    }
    let _ = write_debrief(out, &game);
    if let Some(path) = save {
        if let Err(e) = write_atomic(path, &SaveFile::of(&game).to_ron()) {
            eprintln!("error: cannot write the save to {}: {e}", path.display());
            return 1;
        }
        let _ = writeln!(out, "\nSaved to {}", path.display());
    }
    0
}

fn write_summary(out: &mut dyn Write, game: &Game, turn: usize) -> std::io::Result<()> {
    let Some(summary) = view::turn_summary(game, turn, crate::i18n::Lang::En.tr()) else { return Ok(()) };
    writeln!(out, "\n── What happened on {} ──", summary.label)?;
    for l in &summary.happened {
        writeln!(out, "  • {}", l.text)?;
    }
    for c in &summary.changes {
        writeln!(out, "  {:<28} {} → {}  ({})", c.metric, c.before, c.after, c.why.join("; "))?;
    }
    Ok(())
}

fn write_debrief(out: &mut dyn Write, game: &Game) -> std::io::Result<()> {
    let sc = game.scenario();
    let s = score::score(game);
    writeln!(out, "\n════ Debrief: {} ════", sc.meta.title)?;
    writeln!(out, "Score {:.1}/100, grade {}: {}", s.total, s.grade, s.verdict)?;
    for c in &s.components {
        writeln!(
            out,
            "  {:<22} {:>5.1} of {:>4.1} points (value {})",
            c.label,
            c.points,
            c.max_points,
            format_number(c.value, 1)
        )?;
        for d in view::component_drivers(game, &c.id, 3, crate::i18n::Lang::En.tr()) {
            writeln!(out, "      {}", d.text)?;
        }
    }
    let values = score::choice_values(game);
    if !values.is_empty() {
        writeln!(out, "\nWhat your choices were worth (same seed, replayed without each one):")?;
        for v in values.iter().take(8) {
            writeln!(out, "  {:+6.1} points  {}", v.delta, v.label)?;
        }
    }
    if let (Some(h), Some(hist)) = (sc.history.as_ref(), score::historical(sc, game.seed())) {
        let hs = score::score(&hist);
        writeln!(out, "\n{} (same seed): score {:.1}, grade {}", h.label, hs.total, hs.grade)?;
        writeln!(out, "  {:<28} {:>18} {:>18} {:>18}", "", "you", "history (model)", "history (real)")?;
        for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
            let real = h.outcome.iter().find(|f| f.metric.ix() == k).map(|f| m.format(f.value)).unwrap_or_default();
            writeln!(
                out,
                "  {:<28} {:>18} {:>18} {:>18}",
                m.label,
                m.format(game.metrics()[k]),
                m.format(hist.metrics()[k]),
                real
            )?;
        }
    }
    Ok(())
}

/// Reads a save and the scenario it belongs to (given, or bundled with the save's id), and
/// replays it, checking the log.
fn load_save(save_path: &FsPath, scenario: Option<&FsPath>) -> Result<(SaveFile, Game), CliError> {
    let file = save_path.display().to_string();
    let text = crate::sim::input::read_text(save_path, crate::sim::input::MAX_SAVE_BYTES, "save")?;
    let (save, carried) = crate::sim::save::read_any(&text).map_err(|source| match source {
        crate::sim::save::SaveError::Syntax { .. } => CliError::SaveSyntax { file: file.clone(), source },
        source => CliError::Save { file: file.clone(), source },
    })?;
    let loaded = match (scenario, carried) {
        (Some(p), _) => load_file(p).map_err(CliError::Placed)?,
        // A result exported by the game carries its scenario.
        (None, Some((scenario_name, scenario_text))) => {
            load_str(&scenario_text, &format!("{file} (scenario {scenario_name})")).map_err(CliError::Placed)?
        }
        (None, None) => BUNDLED
            .iter()
            .filter_map(|(n, s)| load_str(s, n).ok())
            .find(|l| l.scenario.meta.id == save.scenario_id)
            .ok_or_else(|| CliError::NoBundled { file: file.clone(), id: save.scenario_id.clone() })?,
    };
    let game = save.resume(&Arc::new(loaded.scenario)).map_err(|source| CliError::Save { file, source })?;
    Ok((save, game))
}

/// Why a command cannot do its work. Printed after `error: `, except placed diagnostics,
/// which carry their own severity.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Input(#[from] crate::sim::input::InputError),
    #[error("{file}:{source}")]
    SaveSyntax { file: String, source: crate::sim::save::SaveError },
    #[error("{file}: {source}")]
    Save { file: String, source: crate::sim::save::SaveError },
    #[error("{file}: no bundled scenario has the id `{id}`\n  = help: pass the scenario file with --scenario")]
    NoBundled { file: String, id: String },
    /// Diagnostics placed at file:line:col (a scenario, a strategy).
    #[error("{0}")]
    Placed(Diagnostics),
}

impl CliError {
    /// Prints the error the way `ttx` prints every error.
    pub fn print(&self) {
        match self {
            Self::Placed(d) => eprintln!("{d}"),
            e => eprintln!("error: {e}"),
        }
    }
}

fn replay(save_path: &FsPath, scenario: Option<&FsPath>) -> i32 {
    match load_save(save_path, scenario) {
        Ok((save, game)) => {
            let mut out = std::io::stdout();
            let _ = writeln!(
                out,
                "Replayed {} actions over {} turns: the log matches ({} entries).",
                save.actions.len(),
                save.turns_done,
                save.log.len()
            );
            let _ = write_debrief(&mut out, &game);
            0
        }
        Err(e) => {
            e.print();
            1
        }
    }
}

fn report(save_path: &FsPath, scenario: Option<&FsPath>, out: Option<&FsPath>) -> i32 {
    let (_, game) = match load_save(save_path, scenario) {
        Ok(x) => x,
        Err(e) => {
            e.print();
            return 1;
        }
    };
    let r = crate::sim::report::build(&game);
    let stem = save_path.file_stem().map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let dir =
        out.map(FsPath::to_path_buf).unwrap_or_else(|| save_path.parent().map(FsPath::to_path_buf).unwrap_or_default());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return 1;
    }
    let (md, html) = (dir.join(format!("{stem}-report.md")), dir.join(format!("{stem}-report.html")));
    for (path, text) in [(&md, &r.markdown), (&html, &r.html)] {
        if let Err(e) = write_atomic(path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    println!("wrote {} and {}", md.display(), html.display());
    0
}

fn compare(files: &[PathBuf], scenario: Option<&FsPath>) -> i32 {
    let mut teams = Vec::new();
    for f in files {
        match load_save(f, scenario) {
            Ok((save, game)) => {
                let stem = f.file_stem().map_or_else(|| f.display().to_string(), |s| s.to_string_lossy().into_owned());
                teams.push(crate::sim::teams::TeamGame { team: save.team.clone().unwrap_or(stem), game });
            }
            Err(e) => {
                e.print();
                return 1;
            }
        }
    }
    match crate::sim::teams::leaderboard(&teams) {
        Ok(board) => {
            print!("{}", board.to_text());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Reads a strategy file (a RON list of per-turn choices) against a scenario.
pub fn load_strategy(path: &FsPath, sc: &Scenario) -> Result<crate::sim::Path, CliError> {
    use crate::sim::diag::{Diagnostics, Reporter, Severity};
    let name = path.display().to_string();
    let text = crate::sim::input::read_text(path, crate::sim::input::MAX_PLAN_BYTES, "strategy")?;
    let mut rep = Reporter::new(&name, &text);
    let choices: Vec<crate::sim::format::TurnChoicesDef> =
        match ron::Options::default().with_recursion_limit(16).from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                let pos = crate::sim::locate::Pos { line: e.span.start.line, col: e.span.start.col };
                rep.at(
                    Severity::Error,
                    pos,
                    1,
                    "",
                    e.code.to_string(),
                    Some("a strategy is a list: `[(turn: \"jul1\", take: [\"...\"]), ...]`".to_owned()),
                );
                return Err(CliError::Placed(Diagnostics(rep.finish())));
            }
        };
    crate::sim::validate::resolve_path_placed(sc, &choices, "").map_err(|errs| {
        for e in errs {
            rep.error(&e.path, e.message, e.hint);
        }
        CliError::Placed(Diagnostics(rep.finish()))
    })
}

fn calibrate(file: Option<&FsPath>, seeds: u64, strategy: Option<&FsPath>) -> i32 {
    let loaded = match load_scenario(file) {
        Ok(l) => l,
        Err(d) => {
            print_diags(&d);
            return 1;
        }
    };
    let sc = Arc::new(loaded.scenario);
    let Some(h) = sc.history.clone() else {
        eprintln!("error: the scenario has no `history` to calibrate against");
        return 1;
    };
    let strat = match strategy.map(|p| load_strategy(p, &sc)).transpose() {
        Ok(s) => s,
        Err(e) => {
            e.print();
            return 1;
        }
    };
    let hist = score::path_stats(&sc, &h.path, 0, seeds);
    let none = score::path_stats(&sc, &Default::default(), 0, seeds);
    let mine = strat.as_ref().map(|p| score::path_stats(&sc, p, 0, seeds));
    println!("{} — {seeds} seeds (medians)", sc.meta.title);
    let last = if mine.is_some() { "strategy" } else { "" };
    println!("{:<24} {:>16} {:>16} {:>8} {:>16} {:>16}", "metric", "real", "history", "off by", "do nothing", last);
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let real = h.outcome.iter().find(|f| f.metric.ix() == k);
        let p50 = hist.metrics[k].p50;
        println!(
            "{:<24} {:>16} {:>16} {:>8} {:>16} {:>16}",
            m.label,
            real.map(|f| m.format(f.value)).unwrap_or_default(),
            m.format(p50),
            real.map(|f| format!("{:+.1}%", (p50 / f.value - 1.0) * 100.0)).unwrap_or_default(),
            m.format(none.metrics[k].p50),
            mine.as_ref().map(|s| m.format(s.metrics[k].p50)).unwrap_or_default(),
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
    0
}

fn sim(file: Option<&FsPath>, games: u64, seed: u64, json: bool) -> i32 {
    use std::io::IsTerminal;

    use crate::sim::balance::{Options, balance};
    let loaded = match load_scenario(file) {
        Ok(l) => l,
        Err(d) => {
            print_diags(&d);
            return 1;
        }
    };
    if games == 0 {
        eprintln!("error: --games must be at least 1");
        return 2;
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
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
        return 0;
    }
    let played = games * report.strategies.len() as u64;
    println!(
        "{} — {games} games per strategy, seed {seed} ({played} games in {secs:.1} s, {:.0} games/s)",
        sc.meta.title,
        played as f64 / secs
    );
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
                    def.format(m.p5),
                    def.format(m.p50),
                    def.format(m.p95)
                );
            }
        }
        for line in &s.path {
            println!("             · {line}");
        }
    }
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
    0
}

fn test_plans(plans: &[PathBuf]) -> i32 {
    let (mut passed, mut failed) = (0usize, 0usize);
    for p in plans {
        match crate::sim::plan::run_file(p) {
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
    i32::from(failed > 0)
}

fn vectors(update: Option<&FsPath>) -> i32 {
    use crate::sim::vectors;
    let result = match update {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|t| vectors::update(&t))
            .and_then(|t| write_atomic(path, &t).map_err(|e| e.to_string()))
            .map(|()| format!("updated {}", path.display())),
        None => vectors::check(vectors::BUNDLED).map(|n| format!("{n} determinism vectors match")),
    };
    match result {
        Ok(msg) => {
            println!("{msg}");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Starts the desktop game (when built with the `app` feature).
pub fn desktop(scenario: Option<&FsPath>) -> i32 {
    #[cfg(feature = "app")]
    {
        crate::app::run(scenario)
    }
    #[cfg(not(feature = "app"))]
    {
        let _ = scenario;
        eprintln!(
            "This build of ttx has no desktop game (built without the `app` feature).\nPlay in the terminal: ttx play --text [FILE]   (ttx --help lists every command)"
        );
        2
    }
}
