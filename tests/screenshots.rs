//! Screenshots of the real desktop game under Xvfb (software Vulkan): the tour walks
//! title → briefing → turn → summary → decision → debrief and saves a PNG of each; this
//! test checks every one was written and is not blank. Run by `scripts/check.sh` with
//! `--ignored`, after installing xvfb and mesa-vulkan-drivers.
#![cfg(feature = "app")]

use std::process::Command;

const SHOTS: [&str; 8] =
    ["1-title", "2-briefing", "3-turn", "4-summary", "5-decision", "6-debrief", "7-console", "8-leaderboard"];

/// Distinct colours and the share of pixels that differ from the most common colour.
fn busyness(path: &std::path::Path) -> (usize, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("open png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let mut counts = std::collections::BTreeMap::new();
    for px in buf[..info.buffer_size()].chunks(channels) {
        *counts.entry(px[..3.min(channels)].to_vec()).or_insert(0usize) += 1;
    }
    let total: usize = counts.values().sum();
    let top = counts.values().copied().max().unwrap_or(0);
    (counts.len(), 1.0 - top as f64 / total.max(1) as f64)
}

#[test]
#[ignore = "needs Xvfb and Mesa; scripts/check.sh runs it"]
fn every_screen_renders_something() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let data = dir.join("data");
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x900x24", "timeout", "600", env!("CARGO_BIN_EXE_ttx")])
        .env("TTX_SCREENSHOTS", &dir)
        .env("TTX_DATA_DIR", &data)
        .status()
        .expect("xvfb-run is installed (apt-get install xvfb mesa-vulkan-drivers)");
    assert!(status.success(), "the tour exited with {status}");
    for name in SHOTS {
        let path = dir.join(format!("{name}.png"));
        assert!(path.exists(), "{} was not written", path.display());
        let (colours, busy) = busyness(&path);
        println!("{name}: {colours} colours, {:.1}% non-background", busy * 100.0);
        assert!(colours > 30 && busy > 0.02, "{name} looks blank: {colours} colours, {busy:.3} non-background");
    }
}
