//! The `ttx` command line: the flags, and each command group in its own file (play,
//! author, analyse, results, the workshop launcher); every command returns one [`Error`]
//! that `main` reports once.

mod analyse;
mod author;
mod error;
#[cfg(not(target_arch = "wasm32"))]
mod launch;
mod play;
mod results;

use std::path::{Path as FsPath, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

pub use analyse::run_plan_file;
pub use error::{Error, LineError, exit_code};
#[cfg(not(target_arch = "wasm32"))]
pub use launch::ServeArgs;
pub use play::{ChoiceError, desktop, parse_choice, play_text};

use crate::i18n::Lang;
use crate::sim::bundled::seven_pay;
use crate::sim::scenario::Scenario;
use crate::sim::{Diagnostics, Loaded, load_file};

/// Most games per strategy `ttx sim` plays (each strategy's games are kept for percentiles).
pub const MAX_GAMES: u64 = 200_000;
/// Most seeds `ttx calibrate` plays.
pub const MAX_SEEDS: u64 = 100_000;

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

/// A `--lang` ttx does not speak.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a language ttx speaks (en, ja)")]
pub struct UnknownLang(String);

fn parse_lang(s: &str) -> Result<Lang, UnknownLang> {
    Lang::from_tag(s).ok_or_else(|| UnknownLang(s.to_owned()))
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
    Serve(ServeArgs),
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

/// Runs a subcommand in `lang` (`None`: the environment's, see [`env_lang`]).
pub fn run(command: Command, lang: Option<Lang>) -> Result<(), Error> {
    let lang = lang.unwrap_or_else(env_lang);
    match command {
        Command::Check { files, format, lessons } => author::check(&files, format, lessons),
        Command::Play { text: _, file, seed, save } => {
            let stdin = std::io::stdin();
            let mut out = std::io::stdout();
            play_text(file.as_deref(), seed, save.as_deref(), lang, &mut stdin.lock(), &mut out)
        }
        Command::Replay { save, scenario } => results::replay(&save, scenario.as_deref(), lang),
        Command::Vectors(args) => analyse::vectors(args.update.as_deref()),
        Command::Test { plans } => analyse::test_plans(&plans),
        Command::Report { save: Some(save), db: None, scenario, out } => {
            results::report(&save, scenario.as_deref(), out.as_deref(), lang)
        }
        #[cfg(not(target_arch = "wasm32"))]
        Command::Report { db: Some(db), out, .. } => results::cohort_report(&db, out.as_deref(), lang),
        Command::Report { .. } => Err(Error::Usage { message: "give a save or `--db DATABASE`".into(), hint: None }),
        Command::Compare { files, scenario } => results::compare(&files, scenario.as_deref(), lang),
        Command::Sim { file, games, seed, json } => analyse::sim(file.as_deref(), games, seed, json),
        Command::Calibrate { file, seeds, strategy } => analyse::calibrate(file.as_deref(), seeds, strategy.as_deref()),
        Command::Translate { file, to } => author::translate(file.as_deref(), &to),
        #[cfg(not(target_arch = "wasm32"))]
        Command::Serve(args) => launch::serve(args),
    }
}
