//! Screenshots of the real desktop game under Xvfb (software Vulkan): the tour walks
//! title → briefing → turn → summary → decision → debrief and saves a PNG of each; this
//! test checks every one was written, is not blank, and matches its reference image in
//! `tests/data/screens/` within a tolerance (so a layout regression fails). Run by
//! `scripts/check.sh` with `--ignored`, after installing xvfb and mesa-vulkan-drivers.
//!
//! After a deliberate change to a screen: look at the new PNGs, then
//! `TTX_UPDATE_SCREENS=1 cargo test --test screenshots -- --ignored` copies them over the
//! references.
//!
//! The tour runs twice: in English whatever the system's language, then in Japanese
//! (`TTX_LANG=ja`, saving `ja-1-title.png` and so on); both sets have references.
#![cfg(feature = "app")]

use std::process::Command;

const SHOTS: [&str; 8] =
    ["1-title", "2-briefing", "3-turn", "4-summary", "5-decision", "6-debrief", "7-console", "8-leaderboard"];

/// A pixel counts as changed when a colour channel moved by more than this.
const CHANNEL_TOLERANCE: u8 = 48;
/// A screen fails when more than this share of its pixels changed (text rendering and the
/// ticking timer move a few; a moved panel or a missing section moves many more).
const MAX_CHANGED: f64 = 0.02;

/// An image as (width, height, RGB bytes).
fn rgb(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("open png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let px =
        buf[..info.buffer_size()].chunks(channels).flat_map(|p| [p[0], p[1.min(channels - 1)], p[2.min(channels - 1)]]);
    (info.width, info.height, px.collect())
}

/// The share of pixels that differ beyond the tolerance (1.0 when the sizes differ).
fn changed_share(a: &(u32, u32, Vec<u8>), b: &(u32, u32, Vec<u8>)) -> f64 {
    if (a.0, a.1) != (b.0, b.1) {
        return 1.0;
    }
    let changed =
        a.2.chunks(3)
            .zip(b.2.chunks(3))
            .filter(|(p, q)| p.iter().zip(*q).any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE))
            .count();
    changed as f64 / (f64::from(a.0) * f64::from(a.1)).max(1.0)
}

/// Distinct colours and the share of pixels that differ from the most common colour.
fn busyness(path: &std::path::Path) -> (usize, f64) {
    let (_, _, px) = rgb(path);
    let mut counts = std::collections::BTreeMap::new();
    for p in px.chunks(3) {
        *counts.entry(p.to_vec()).or_insert(0usize) += 1;
    }
    let total: usize = counts.values().sum();
    let top = counts.values().copied().max().unwrap_or(0);
    (counts.len(), 1.0 - top as f64 / total.max(1) as f64)
}

/// Runs the tour in `lang` (`None`: English) into `dir`; the PNGs are named `{prefix}{shot}`.
fn tour(dir: &std::path::Path, lang: Option<&str>) {
    let mut cmd = Command::new("xvfb-run");
    cmd.args(["-a", "-s", "-screen 0 1600x900x24", "timeout", "600", env!("CARGO_BIN_EXE_ttx")])
        .env("TTX_SCREENSHOTS", dir)
        .env("TTX_DATA_DIR", dir.join(format!("data-{}", lang.unwrap_or("en"))));
    match lang {
        Some(l) => cmd.env("TTX_LANG", l),
        // English, whatever the machine's language.
        None => cmd.env_remove("TTX_LANG"),
    };
    let status = cmd.status().expect("xvfb-run is installed (apt-get install xvfb mesa-vulkan-drivers)");
    assert!(status.success(), "the tour exited with {status}");
}

#[test]
#[ignore = "needs Xvfb and Mesa; scripts/check.sh runs it"]
fn every_screen_renders_something() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    // Every screen in English, then in Japanese (`ja-1-title.png`…).
    tour(&dir, None);
    tour(&dir, Some("ja"));
    let names: Vec<String> =
        ["", "ja-"].iter().flat_map(|prefix| SHOTS.iter().map(move |s| format!("{prefix}{s}"))).collect();
    for name in &names {
        let path = dir.join(format!("{name}.png"));
        assert!(path.exists(), "{} was not written", path.display());
        let (colours, busy) = busyness(&path);
        println!("{name}: {colours} colours, {:.1}% non-background", busy * 100.0);
        assert!(colours > 30 && busy > 0.02, "{name} looks blank: {colours} colours, {busy:.3} non-background");
    }
    let refs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/screens");
    if std::env::var_os("TTX_UPDATE_SCREENS").is_some() {
        std::fs::create_dir_all(&refs).expect("references dir");
        for name in &names {
            std::fs::copy(dir.join(format!("{name}.png")), refs.join(format!("{name}.png"))).expect("copy");
        }
        println!("references updated in {}", refs.display());
        return;
    }
    let mut failed = Vec::new();
    for name in &names {
        let reference = refs.join(format!("{name}.png"));
        assert!(reference.exists(), "no reference image {}: see this file's header", reference.display());
        let share = changed_share(&rgb(&dir.join(format!("{name}.png"))), &rgb(&reference));
        println!("{name}: {:.2}% of pixels differ from the reference", share * 100.0);
        if share > MAX_CHANGED {
            failed.push(format!("{name} ({:.1}%)", share * 100.0));
        }
    }
    assert!(
        failed.is_empty(),
        "screens differ from tests/data/screens beyond {:.0}%: {}; look at {} and, if the change is meant, update the references (this file's header)",
        MAX_CHANGED * 100.0,
        failed.join(", "),
        dir.display()
    );
}
