//! The `ttx` command line: check scenarios, play in the terminal, replay saves, calibrate.

use std::io::{BufRead, Write};
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::files::write_atomic;
use crate::i18n::{Lang, Tr};
use crate::sim::bundled::{BUNDLED, seven_pay};
use crate::sim::game::{Game, Outcome};
use crate::sim::save::SaveFile;
use crate::sim::scenario::{Action, MitigationIdx, Scenario};
use crate::sim::score::{self, Spread};
use crate::sim::view::{self, pad_left, pad_right};
use crate::sim::{Diagnostics, Loaded, load_file, load_str};
use crate::t;

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
    /// Join a live workshop in the desktop game: a team's link as `ttx serve` prints it.
    #[arg(long, value_name = "LINK", conflicts_with = "scenario")]
    pub join: Option<String>,
    /// Language of `play --text`, `replay`, `report` and `compare`: en or ja (default: the
    /// locale of LC_ALL, LC_MESSAGES or LANG; English if it is neither).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<Lang>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s).ok_or_else(|| format!("`{s}` is not a language ttx speaks (en, ja)"))
}

/// The language of the environment's locale: the first of LC_ALL, LC_MESSAGES and LANG that
/// is set (as POSIX reads them), if the game speaks it; else English.
pub fn env_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::from_tag(&v))
        .unwrap_or_default()
}

/// The scenario with its texts in `lang`, if it has them; else as it is.
fn localize(sc: Scenario, lang: Lang) -> Scenario {
    sc.localized(lang.tag()).unwrap_or(sc)
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
        /// Also print every lesson's figures, checked on all its seeds and bases.
        #[arg(long)]
        lessons: bool,
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
    /// With `--db`, the cohort report of every team of every workshop a `ttx serve`
    /// database holds, one per scenario.
    Report {
        /// A save written by `ttx play --save` or the game.
        #[arg(required_unless_present = "db", conflicts_with = "db")]
        save: Option<PathBuf>,
        /// A workshop database (`ttx serve --db`): how often each measure was taken and
        /// when, each decision's answers, each lesson's share of teams, the score spread.
        #[arg(long, conflicts_with = "scenario")]
        db: Option<PathBuf>,
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
    /// Run a live workshop: teams play from their browsers, the facilitator watches and
    /// steers; every accepted move is kept in an SQLite database before it is acknowledged.
    #[cfg(not(target_arch = "wasm32"))]
    Serve {
        /// Address to listen on (loopback by default: only this machine).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// The database (default: workshops.sqlite3 in the data folder).
        #[arg(long)]
        db: Option<PathBuf>,
        /// The browser game's files (web/build.sh writes them to web/dist).
        #[arg(long, default_value = "web/dist")]
        web: PathBuf,
        /// Start a session for these teams (comma-separated names) and print each team's
        /// join link and the facilitator's token.
        #[arg(long, value_delimiter = ',')]
        teams: Vec<String>,
        /// The session's scenario file (with --teams; default: the bundled 7pay scenario).
        #[arg(long, requires = "teams")]
        scenario: Option<PathBuf>,
        /// The session's seed (with --teams).
        #[arg(long, default_value_t = 1, requires = "teams")]
        seed: u64,
        /// Who ends the turns (with --teams): each team its own (`free`), or only the
        /// facilitator and the timer, every team at once (`synchronized`).
        #[arg(long, default_value = "free", value_parser = ["free", "synchronized"], requires = "teams")]
        pace: String,
        /// The key that creating workshops over HTTP needs (default: $TTX_OPERATOR_KEY, else
        /// one the server makes and keeps in its database). Printed in the operator link.
        #[arg(long)]
        operator_key: Option<String>,
        /// Delete sessions nobody has played (nor created) for this many days (at start and
        /// hourly; 0: keep them all).
        #[arg(long, default_value_t = 30)]
        keep_days: u32,
        /// Close a connection not heard from (not even a reply to a ping) for this many
        /// seconds; pinged every third of it.
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u64).range(3..=3600))]
        idle_timeout: u64,
        /// Close a connection whose player has not taken a message within this many
        /// seconds (a device that stopped reading).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
        send_timeout: u64,
        /// Serve HTTPS and WSS with this certificate chain (PEM, the server's certificate
        /// first); needs --tls-key. Without it: plain HTTP (behind a reverse proxy that
        /// terminates TLS, or on a room's own network).
        #[arg(long, requires = "tls_key", value_name = "FILE")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM).
        #[arg(long, requires = "tls_cert", value_name = "FILE")]
        tls_key: Option<PathBuf>,
    },
    /// Print a translation skeleton: every text of the scenario under the ids it belongs to,
    /// to translate and append to its `translations: [...]`. Texts the scenario already has
    /// in that language are filled in; the others are in its own language.
    Translate {
        /// Scenario file; the bundled 7pay scenario when omitted.
        file: Option<PathBuf>,
        /// The language to translate into, as a tag (e.g. ja, en, fr).
        #[arg(long, value_name = "TAG")]
        to: String,
    },
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

/// Runs a subcommand in `lang` (`None`: the environment's, see [`env_lang`]); returns the
/// process exit code.
pub fn run(command: Command, lang: Option<Lang>) -> i32 {
    let lang = lang.unwrap_or_else(env_lang);
    match command {
        Command::Check { files, format, lessons } => check(&files, format, lessons),
        Command::Play { text: _, file, seed, save } => {
            let stdin = std::io::stdin();
            let mut out = std::io::stdout();
            play_text(file.as_deref(), seed, save.as_deref(), lang, &mut stdin.lock(), &mut out)
        }
        Command::Replay { save, scenario } => replay(&save, scenario.as_deref(), lang),
        Command::Vectors(args) => vectors(args.update.as_deref()),
        Command::Test { plans } => test_plans(&plans),
        Command::Report { save: Some(save), db: None, scenario, out } => {
            report(&save, scenario.as_deref(), out.as_deref(), lang)
        }
        #[cfg(not(target_arch = "wasm32"))]
        Command::Report { db: Some(db), out, .. } => cohort_report(&db, out.as_deref(), lang),
        Command::Report { .. } => {
            eprintln!("error: give a save or `--db DATABASE`");
            2
        }
        Command::Compare { files, scenario } => compare(&files, scenario.as_deref(), lang),
        Command::Sim { file, games, seed, json } => sim(file.as_deref(), games, seed, json),
        Command::Calibrate { file, seeds, strategy } => calibrate(file.as_deref(), seeds, strategy.as_deref()),
        Command::Translate { file, to } => translate(file.as_deref(), &to),
        #[cfg(not(target_arch = "wasm32"))]
        Command::Serve {
            bind,
            port,
            db,
            web,
            teams,
            scenario,
            seed,
            pace,
            operator_key,
            keep_days,
            idle_timeout,
            send_timeout,
            tls_cert,
            tls_key,
        } => serve(
            std::net::SocketAddr::new(bind, port),
            db,
            &web,
            teams,
            scenario.as_deref(),
            seed,
            &pace,
            crate::serve::Options {
                operator_key,
                keep_days,
                limits: crate::serve::connections::Limits {
                    idle: std::time::Duration::from_secs(idle_timeout),
                    send: std::time::Duration::from_secs(send_timeout),
                },
            },
            tls_cert.zip(tls_key),
        ),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn serve(
    addr: std::net::SocketAddr,
    db: Option<PathBuf>,
    web: &FsPath,
    teams: Vec<String>,
    scenario: Option<&FsPath>,
    seed: u64,
    pace: &str,
    mut options: crate::serve::Options,
    tls: Option<(PathBuf, PathBuf)>,
) -> i32 {
    let db = db.unwrap_or_else(crate::serve::default_db);
    // The certificate first: a server that cannot serve HTTPS as asked does not start.
    let tls = match tls.map(|(cert, key)| crate::serve::tls::load(&cert, &key)).transpose() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let start = if teams.is_empty() {
        None
    } else {
        let found = match scenario {
            Some(path) => crate::sim::input::read_text(path, crate::sim::input::MAX_SCENARIO_BYTES, "scenario")
                .map(|text| (path.display().to_string(), text))
                .map_err(|e| e.to_string()),
            None => crate::serve::bundled(None),
        };
        match found {
            Ok((name, text)) => {
                // clap has checked the value.
                let pace = crate::serve::store::Pace::parse(pace).unwrap_or_default();
                Some(crate::serve::StartSession { name, text, seed, teams, pace })
            }
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server's runtime: {e}");
            return 1;
        }
    };
    // The operator key: the flag, else TTX_OPERATOR_KEY, else the one the database keeps.
    options.operator_key =
        options.operator_key.or_else(|| std::env::var("TTX_OPERATOR_KEY").ok().filter(|k| !k.is_empty()));
    let listen = crate::serve::Listen { addr, tls };
    match runtime.block_on(crate::serve::serve(listen, &db, web, start, options, None)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn translate(file: Option<&FsPath>, to: &str) -> i32 {
    let sc = match load_scenario(file) {
        Ok(l) => l.scenario,
        Err(d) => {
            print_diags(&d);
            return 1;
        }
    };
    if !crate::sim::translate::is_language_tag(to) {
        eprintln!("error: `--to {to}` is not a language tag\n  = hint: two or three letters, e.g. ja, en, fr, pt-BR");
        return 2;
    }
    if to.eq_ignore_ascii_case(&sc.meta.language) {
        eprintln!(
            "error: the scenario is written in `{to}`\n  = hint: translate it into another language, e.g. --to ja"
        );
        return 2;
    }
    // Written out first: nothing is printed of a template that cannot be.
    let template = match crate::sim::translate::template(&sc.in_language(to), to) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: the translation template cannot be written: {e}");
            return 1;
        }
    };
    let name = file.map_or_else(|| "7pay-launch-week.ron".to_owned(), |f| f.display().to_string());
    let have = match sc.speaks(to) {
        true => "the texts it already has in it are filled in, the others are in its own language",
        false => "it has none in it yet: every text is in its own language",
    };
    println!("// `{to}` texts for {name} ({have}).");
    println!("// Translate the strings, keep the ids, and put this entry into the scenario's");
    println!("// `translations: [...]`; `ttx check` lists what is missing at file:line:col.");
    println!("{template}");
    0
}

fn check(files: &[PathBuf], format: Format, show_lessons: bool) -> i32 {
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
                if show_lessons && format == Format::Text {
                    for v in crate::sim::lesson::check_all(&sc) {
                        println!("{} {}: {}", if v.holds { "holds" } else { "FAILS" }, v.id, v.claim);
                        for line in &v.findings {
                            println!("    {line}");
                        }
                    }
                }
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
                    let failing = diags
                        .iter()
                        .filter(|d| d.path.starts_with("lessons[") && d.message.contains("does not hold"))
                        .count();
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

fn write_turn(out: &mut dyn Write, game: &Game, tr: &Tr) -> std::io::Result<()> {
    let sc = game.scenario();
    let t = &sc.turns[game.turn()];
    let (n, total) = (game.turn() + 1, sc.turns.len());
    writeln!(out, "\n{}", t!(tr, "cli-turn", n = n, total = total, label = t.label.as_str()))?;
    writeln!(out, "{}", t.briefing)?;
    for i in game.injects_this_turn() {
        if let Some(line) = view::line(sc, &Outcome::InjectFired { inject: i }, tr) {
            writeln!(out, "\n  {}\n    {}", line.text, sc.injects[i.ix()].text)?;
        }
    }
    writeln!(out, "\n{}", t!(tr, "cli-metrics"))?;
    let prev = game.metrics_at_turn_start();
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let v = game.metrics()[k];
        let d = v - game.history().last().map_or(prev[k], |h| h[k]);
        let delta = if d.abs() > 1e-9 { format!(" ({})", tr.signed(d, m.decimals)) } else { String::new() };
        writeln!(out, "  {} {}{delta}", pad_right(&m.label, 28), tr.metric(m, v))?;
    }
    let points = match game.budget_left() {
        Some(b) => {
            t!(tr, "cli-points-budget", n = game.points_left(), money = tr.money(b, &sc.resources.currency))
        }
        None => t!(tr, "cli-points", n = game.points_left()),
    };
    writeln!(out, "\n{points}")?;
    writeln!(out, "{}", t!(tr, "cli-mitigations"))?;
    for c in view::cards(game, tr) {
        let state = match (&c.badge, &c.button.why) {
            (view::Badge::Locked, Some(why)) => t!(tr, "cli-locked", why = why),
            (badge, _) => badge.text(tr),
        };
        writeln!(out, "  {:>2}. {} {}  [{state}]", c.index.ix() + 1, pad_right(&c.label, 48), c.cost)?;
    }
    for (i, chosen) in game.due_decisions() {
        let inj = &sc.injects[i.ix()];
        writeln!(out, "{}", t!(tr, "cli-decision", title = inj.title.as_str(), id = inj.id.as_str()))?;
        for (o, opt) in inj.options.iter().enumerate() {
            let mark = if chosen == Some(o as u16) { format!(" {}", t!(tr, "cli-chosen")) } else { String::new() };
            writeln!(out, "    {}) {} — {}{mark}", o + 1, opt.label, opt.description)?;
        }
    }
    writeln!(out, "{}", t!(tr, "cli-prompt"))
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

impl ChoiceError {
    /// What was wrong with the line, in the player's language.
    pub fn describe(&self, tr: &Tr) -> String {
        match self {
            Self::NoNumber(n) => t!(tr, "cli-no-number", n = *n),
            Self::NoMitigation { word, did_you_mean } => {
                let text = t!(tr, "cli-no-mitigation", word = word);
                match did_you_mean {
                    Some(hint) => t!(tr, "cli-did-you-mean", text = text, hint = hint),
                    None => text,
                }
            }
            Self::NoDecision(id) => t!(tr, "cli-no-decision", id = id),
            Self::NoOption { decision, option } => t!(tr, "cli-no-option", decision = decision, option = option),
            Self::Unreadable(line) => t!(tr, "cli-unreadable", line = line),
        }
    }
}

/// Plays a game in the terminal from `input`, in `lang`; returns the exit code.
pub fn play_text(
    file: Option<&FsPath>,
    seed: u64,
    save: Option<&FsPath>,
    lang: Lang,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> i32 {
    let tr = lang.tr();
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
    let sc = Arc::new(localize(loaded.scenario, lang));
    let mut game = Game::new(Arc::clone(&sc), seed);
    let _ = writeln!(out, "{}\n{}\n", sc.meta.title, sc.meta.summary);
    let mut input_open = true;
    let mut lines_read = 0usize;
    while !game.is_finished() {
        if input_open {
            let _ = write_turn(out, &game, tr);
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
                let _ = writeln!(out, "{}", t!(tr, "cli-help"));
                continue;
            }
            if line == "undo" {
                if game.undo() {
                    let _ = write_turn(out, &game, tr);
                } else {
                    let _ = writeln!(out, "  {}", t!(tr, "cli-nothing-to-undo"));
                }
                continue;
            }
            if let Some(why) = line.strip_prefix("why ") {
                let _ = match game.note(why) {
                    Ok(()) => writeln!(out, "  ✓ {}", t!(tr, "cli-noted")),
                    Err(lock) => writeln!(out, "  ✗ {}", t!(tr, "cli-not-noted", why = lock.describe(tr))),
                };
                continue;
            }
            match parse_choice(&sc, &game, line) {
                Ok(Some(a)) => {
                    let action = view::action_text(&sc, a, tr);
                    let _ = match game.act(a) {
                        Ok(()) => writeln!(out, "  ✓ {}", t!(tr, "cli-done", action = action, n = game.points_left())),
                        Err(lock) => {
                            writeln!(out, "  ✗ {}", t!(tr, "cli-refused", action = action, why = lock.describe(tr)))
                        }
                    };
                }
                Ok(None) => {}
                Err(e) => {
                    let _ = writeln!(out, "  ✗ {}", e.describe(tr));
                }
            }
        }
        let turn = game.turn();
        game.end_turn();
        let _ = write_summary(out, &game, turn, tr);
    }
    let _ = write_debrief(out, &game, tr);
    if let Some(path) = save {
        let written = SaveFile::of(&game)
            .to_ron()
            .map_err(|e| e.to_string())
            .and_then(|text| write_atomic(path, &text).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("error: cannot write the save to {}: {e}", path.display());
            return 1;
        }
        let _ = writeln!(out, "\n{}", t!(tr, "cli-saved", path = path.display().to_string()));
    }
    0
}

fn write_summary(out: &mut dyn Write, game: &Game, turn: usize, tr: &Tr) -> std::io::Result<()> {
    let Some(summary) = view::turn_summary(game, turn, tr) else { return Ok(()) };
    writeln!(out, "\n{}", t!(tr, "cli-what-happened", turn = summary.label.as_str()))?;
    for l in &summary.happened {
        writeln!(out, "  • {}", l.text)?;
    }
    for c in &summary.changes {
        let why = t!(tr, "cli-change-why", why = c.why.join(&t!(tr, "cli-list-separator")));
        writeln!(out, "  {} {} → {}  {why}", pad_right(&c.metric, 28), c.before, c.after)?;
    }
    Ok(())
}

fn write_debrief(out: &mut dyn Write, game: &Game, tr: &Tr) -> std::io::Result<()> {
    let sc = game.scenario();
    let s = score::score(game);
    writeln!(out, "\n{}", t!(tr, "cli-debrief", title = sc.meta.title.as_str()))?;
    let total = tr.number(s.total, 1);
    writeln!(out, "{}", t!(tr, "cli-score", score = total, grade = s.grade.as_str(), verdict = s.verdict.as_str()))?;
    for c in &s.components {
        let points = t!(
            tr,
            "cli-component",
            points = pad_left(&tr.number(c.points, 1), 5),
            max = pad_left(&tr.number(c.max_points, 1), 4),
            value = tr.number(c.value, 1)
        );
        writeln!(out, "  {} {points}", pad_right(&c.label, 22))?;
        for d in view::component_drivers(game, &c.id, 3, tr) {
            writeln!(out, "      {}", d.text)?;
        }
    }
    let values = score::choice_values(game);
    if !values.is_empty() {
        writeln!(out, "\n{}", t!(tr, "cli-choices"))?;
        for v in values.iter().take(8) {
            let worth = t!(tr, "cli-choice-points", delta = pad_left(&tr.signed(v.delta, 1), 6));
            writeln!(out, "  {worth}  {}", view::choice_text(sc, v, tr))?;
        }
    }
    if let (Some(h), Some(hist)) = (sc.history.as_ref(), score::historical(sc, game.seed())) {
        let hs = score::score(&hist);
        let score = tr.number(hs.total, 1);
        writeln!(
            out,
            "\n{}",
            t!(tr, "cli-history", label = h.label.as_str(), score = score, grade = hs.grade.as_str())
        )?;
        writeln!(
            out,
            "  {} {} {} {}",
            pad_right("", 28),
            pad_left(&t!(tr, "cli-col-you"), 18),
            pad_left(&t!(tr, "cli-col-history-model"), 18),
            pad_left(&t!(tr, "cli-col-history-real"), 18)
        )?;
        for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
            let real = h.outcome.iter().find(|f| f.metric.ix() == k).map(|f| tr.metric(m, f.value)).unwrap_or_default();
            writeln!(
                out,
                "  {} {} {} {}",
                pad_right(&m.label, 28),
                pad_left(&tr.metric(m, game.metrics()[k]), 18),
                pad_left(&tr.metric(m, hist.metrics()[k]), 18),
                pad_left(&real, 18)
            )?;
        }
    }
    Ok(())
}

/// Reads a save and the scenario it belongs to (given, or bundled with the save's id), and
/// replays it, checking the log, on the scenario's texts in `lang` (a save made in any of
/// the scenario's languages replays in any other).
fn load_save(save_path: &FsPath, scenario: Option<&FsPath>, lang: Lang) -> Result<(SaveFile, Game), CliError> {
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
    let base = loaded.scenario;
    let played_in_one_of_its_languages = base.meta.title == save.scenario_title
        || base.languages().iter().any(|l| base.localized(l).is_some_and(|s| s.meta.title == save.scenario_title));
    let shown = localize(base, lang);
    // The save names the scenario by its title in the language it was played in.
    let replayed = if played_in_one_of_its_languages {
        SaveFile { scenario_title: shown.meta.title.clone(), ..save.clone() }
    } else {
        save.clone()
    };
    let game = replayed.resume(&Arc::new(shown)).map_err(|source| CliError::Save { file, source })?;
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

fn replay(save_path: &FsPath, scenario: Option<&FsPath>, lang: Lang) -> i32 {
    let tr = lang.tr();
    match load_save(save_path, scenario, lang) {
        Ok((save, game)) => {
            let mut out = std::io::stdout();
            let _ = writeln!(
                out,
                "{}",
                t!(tr, "cli-replayed", actions = save.actions.len(), turns = save.turns_done, entries = save.log.len())
            );
            let _ = write_debrief(&mut out, &game, tr);
            0
        }
        Err(e) => {
            e.print();
            1
        }
    }
}

fn report(save_path: &FsPath, scenario: Option<&FsPath>, out: Option<&FsPath>, lang: Lang) -> i32 {
    let tr = lang.tr();
    let (_, game) = match load_save(save_path, scenario, lang) {
        Ok(x) => x,
        Err(e) => {
            e.print();
            return 1;
        }
    };
    let r = crate::sim::report::build(&game, tr);
    let stem = save_path.file_stem().map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let dir =
        out.map(FsPath::to_path_buf).unwrap_or_else(|| save_path.parent().map(FsPath::to_path_buf).unwrap_or_default());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return 1;
    }
    write_report(&dir, &format!("{stem}-report"), &r, tr)
}

/// Writes a report as `<stem>.md` and `<stem>.html` in `dir` and says so; the exit code.
fn write_report(dir: &FsPath, stem: &str, r: &crate::sim::report::Report, tr: &crate::i18n::Tr) -> i32 {
    let (md, html) = (dir.join(format!("{stem}.md")), dir.join(format!("{stem}.html")));
    for (path, text) in [(&md, &r.markdown), (&html, &r.html)] {
        if let Err(e) = write_atomic(path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    println!("{}", t!(tr, "cli-wrote", md = md.display().to_string(), html = html.display().to_string()));
    0
}

/// The cohort reports of a workshop database: one per scenario (by its text) played there.
#[cfg(not(target_arch = "wasm32"))]
fn cohort_report(db: &FsPath, out: Option<&FsPath>, lang: Lang) -> i32 {
    use crate::sim::cohort::{CohortTeam, cohort, render};
    let tr = lang.tr();
    if !db.is_file() {
        eprintln!("error: {}: no such workshop database (hint: the file `ttx serve --db` names)", db.display());
        return 1;
    }
    let sessions = match crate::serve::store::Store::open_read_only(db).and_then(|s| s.load()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}: {e}", db.display());
            return 1;
        }
    };
    // Teams by scenario text, in the order their scenarios first appear.
    let mut groups: Vec<(u64, String, Vec<CohortTeam>)> = Vec::new();
    for stored in sessions {
        let id = stored.id.clone();
        match crate::serve::workshop::Workshop::rebuild(stored) {
            Ok(w) => {
                let key = w.scenario.fingerprint;
                let k = match groups.iter().position(|g| g.0 == key) {
                    Some(k) => k,
                    None => {
                        groups.push((key, w.scenario.meta.id.clone(), Vec::new()));
                        groups.len() - 1
                    }
                };
                groups[k].2.extend(w.teams.into_iter().map(|t| CohortTeam {
                    session: id.clone(),
                    deeds: crate::serve::floor::deeds(&t.table.record),
                    team: t.name,
                    game: t.game,
                }));
            }
            Err(why) => eprintln!("warning: session {id} left out: {why}"),
        }
    }
    if groups.is_empty() {
        eprintln!("error: {}: no workshop to report on", db.display());
        return 1;
    }
    let dir = out.map(FsPath::to_path_buf).unwrap_or_else(|| db.parent().map(FsPath::to_path_buf).unwrap_or_default());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return 1;
    }
    for (key, id, teams) in &groups {
        let c = match cohort(teams, tr) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        let r = render(&c, tr);
        // The id as a file name (an uploaded scenario's id may hold anything).
        let name: String = id
            .chars()
            .take(64)
            .map(|ch| if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' { ch } else { '_' })
            .collect();
        // Two versions of one scenario get two reports, told apart by their fingerprint.
        let stem = if groups.iter().filter(|g| g.1 == *id).count() > 1 {
            format!("cohort-{name}-{:08x}", key >> 32)
        } else {
            format!("cohort-{name}")
        };
        if write_report(&dir, &stem, &r, tr) != 0 {
            return 1;
        }
    }
    0
}

fn compare(files: &[PathBuf], scenario: Option<&FsPath>, lang: Lang) -> i32 {
    let mut teams = Vec::new();
    for f in files {
        match load_save(f, scenario, lang) {
            Ok((save, game)) => {
                let stem = f.file_stem().map_or_else(|| f.display().to_string(), |s| s.to_string_lossy().into_owned());
                teams.push(crate::sim::teams::TeamGame {
                    team: save.team.clone().unwrap_or(stem),
                    game,
                    deeds: Vec::new(),
                });
            }
            Err(e) => {
                e.print();
                return 1;
            }
        }
    }
    match crate::sim::teams::leaderboard_in(&teams, lang.tr()) {
        Ok(board) => {
            print!("{}", board.to_text(lang.tr()));
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

/// How the blunt strategies (a cheap trick, a few moves of any cost, the service switched
/// off) compare with the best strategy found and the historical path, flagged as `ttx
/// check` flags them.
fn print_degenerate(sc: &crate::sim::Scenario, report: &crate::sim::balance::Report) {
    use crate::sim::format::Check;
    use crate::sim::lint::{ABOVE_HISTORY, DEGENERATE_MARGIN, too_close};
    let mean = |name: &str| report.strategies.iter().find(|s| s.name == name).map(|s| s.score.mean);
    let Some(best) = mean("best found") else { return };
    let history = mean("history");
    println!(
        "\nDegenerate strategies (flagged within {DEGENERATE_MARGIN} points of the best found, or {ABOVE_HISTORY} above history):"
    );
    for (name, check) in
        [("cheap trick", Check::CheapTrick), ("short", Check::ShortStrategy), ("switch-off", Check::SwitchOff)]
    {
        let Some(score) = mean(name) else { continue };
        let mut line = format!("  {name:<12} {score:5.1}  {:+6.1} against the best found", score - best);
        if let Some(h) = history {
            line.push_str(&format!(", {:+6.1} against history", score - h));
        }
        let (near_best, above_history) = too_close(score, best, history);
        let flagged = near_best || above_history;
        line.push_str(match (flagged, sc.allow.contains(&check)) {
            (false, _) => "   ok",
            (true, false) => "   TOO CLOSE",
            (true, true) => "   close, accepted by the scenario's `allow` (see its reason)",
        });
        println!("{line}");
    }
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
pub fn desktop(scenario: Option<&FsPath>, join: Option<String>) -> i32 {
    #[cfg(feature = "app")]
    {
        if let Some(link) = join {
            crate::app::web::ttx_join(link);
        }
        crate::app::run(scenario)
    }
    #[cfg(not(feature = "app"))]
    {
        let _ = (scenario, join);
        eprintln!(
            "This build of ttx has no desktop game (built without the `app` feature).\nPlay in the terminal: ttx play --text [FILE]   (ttx --help lists every command)"
        );
        2
    }
}
