//! The `ttx` binary: the desktop game by default, subcommands for the terminal; in the
//! browser, the game alone.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use clap::Parser;
    let cli = ttx::cli::Cli::parse();
    let result = match cli.command {
        Some(command) => ttx::cli::run(command, cli.lang),
        None => ttx::cli::desktop(cli.scenario.as_deref(), cli.join),
    };
    // Every error is reported here, once.
    std::process::exit(ttx::cli::exit_code(result));
}

#[cfg(target_arch = "wasm32")]
fn main() {
    ttx::app::run(None);
}
