//! The `ttx` binary: the desktop game by default, subcommands for the terminal.

use clap::Parser;
use ttx::cli::{Cli, run};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(command) => run(command),
        None => ttx::cli::desktop(cli.scenario.as_deref()),
    };
    std::process::exit(code);
}
