//! The desktop and browser game: a thin Bevy + egui layer over `sim`.

/// Opens the game window; returns the process exit code.
pub fn run(scenario: Option<&std::path::Path>) -> i32 {
    let _ = scenario;
    eprintln!("The desktop game is not built yet: play in the terminal with `ttx play --text`.");
    2
}
