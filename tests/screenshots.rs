//! Screenshots of the real desktop game under Xvfb (software Vulkan): the tour walks
//! title → briefing → turn → summary → decision → debrief and saves a PNG of each; this
//! test checks every one was written, is not blank, and matches its reference image in
//! `tests/data/screens/` region by region: each panel and window (the tour writes their
//! rectangles beside the PNG) and the rest of the screen, each with a tight tolerance and
//! tile by tile, so a missing line of text fails as surely as a moved panel. Run by
//! `scripts/check.sh` with `--ignored`, after installing xvfb and mesa-vulkan-drivers.
//! `the_screen_comparison_sees_one_missing_line_of_the_feed` tests the comparison itself.
//!
//! After a deliberate change to a screen: look at the new PNGs, then
//! `TTX_UPDATE_SCREENS=1 cargo test --test screenshots -- --ignored` copies them over the
//! references.
//!
//! The tour ends on the facilitator's dashboard of a live workshop (a `ttx serve` it starts
//! on a free loopback port) in the projector view.
//!
//! The tour runs twice: in English whatever the system's language, then in Japanese
//! (`TTX_LANG=ja`, saving `ja-1-title.png` and so on); both sets have references. A third
//! run, in a phone's window (`TTX_WINDOW=412x839`, saving `phone-1-title.png`…), checks
//! the phone layout the same way.
#![cfg(feature = "app")]

use std::process::Command;

const SHOTS: [&str; 10] = [
    "1-title",
    "2-briefing",
    "3-turn",
    "4-summary",
    "5-decision",
    "6-debrief",
    "7-console",
    "8-leaderboard",
    "9-projector",
    "10-media",
];

/// A pixel counts as changed when a colour channel moved by more than this (software
/// rendering is exact run to run; this absorbs antialiasing differences, not content).
const CHANNEL_TOLERANCE: u8 = 48;
/// A region (a panel, a window, the rest of the screen) fails when more than this share of
/// its pixels changed...
const REGION_MAX_CHANGED: f64 = 0.002;
/// ... or when any square tile of it (TILE × TILE pixels) has more than this many changed
/// pixels: one missing word is a tile's worth of change, wherever it is.
const TILE: u32 = 32;
const TILE_MAX_CHANGED: usize = 24;
/// A region may move or resize by this many pixels (rounding of points to pixels).
const LAYOUT_SLACK: u32 = 2;

/// An image: width, height, RGB bytes.
struct Image {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Image {
    fn at(&self, x: u32, y: u32) -> &[u8] {
        let i = ((y * self.w + x) * 3) as usize;
        &self.px[i..i + 3]
    }
}

/// An image from a PNG.
fn rgb(path: &std::path::Path) -> Image {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("open png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let px =
        buf[..info.buffer_size()].chunks(channels).flat_map(|p| [p[0], p[1.min(channels - 1)], p[2.min(channels - 1)]]);
    Image { w: info.width, h: info.height, px: px.collect() }
}

/// A named rectangle of a screen, in pixels: `[x0, y0, x1, y1)`.
type Region = (String, [u32; 4]);

/// The regions the tour wrote beside a shot (`{name}.regions.json`).
fn regions(path: &std::path::Path) -> Vec<Region> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let map: std::collections::BTreeMap<String, [u32; 4]> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    map.into_iter().collect()
}

/// How `new` differs from `reference`, region by region: the panels and windows of
/// `regions` (later ones, the windows, drawn over earlier ones), then "the rest" of the
/// screen. One line per failing region; empty when they match.
fn differences(new: &Image, reference: &Image, regions: &[Region]) -> Vec<String> {
    if (new.w, new.h) != (reference.w, reference.h) {
        return vec![format!("size {}×{} against {}×{}", new.w, new.h, reference.w, reference.h)];
    }
    // Which region each pixel belongs to: the last that covers it, else the rest.
    let rest = regions.len();
    let mut owner = vec![rest; (new.w * new.h) as usize];
    for (k, (_, [x0, y0, x1, y1])) in regions.iter().enumerate() {
        for y in (*y0).min(new.h)..(*y1).min(new.h) {
            for x in (*x0).min(new.w)..(*x1).min(new.w) {
                owner[(y * new.w + x) as usize] = k;
            }
        }
    }
    let tiles_x = new.w.div_ceil(TILE);
    let mut total = vec![0usize; rest + 1];
    let mut changed = vec![0usize; rest + 1];
    let mut tiles: std::collections::HashMap<(usize, u32), usize> = std::collections::HashMap::new();
    for y in 0..new.h {
        for x in 0..new.w {
            let k = owner[(y * new.w + x) as usize];
            total[k] += 1;
            if new.at(x, y).iter().zip(reference.at(x, y)).any(|(a, b)| a.abs_diff(*b) > CHANNEL_TOLERANCE) {
                changed[k] += 1;
                *tiles.entry((k, (y / TILE) * tiles_x + x / TILE)).or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    for k in 0..=rest {
        let name = regions.get(k).map_or("the rest of the screen", |r| r.0.as_str());
        let share = changed[k] as f64 / total[k].max(1) as f64;
        let worst = tiles.iter().filter(|((r, _), _)| *r == k).max_by_key(|(_, n)| **n);
        let (tile_fails, region_fails) =
            (worst.is_some_and(|(_, n)| *n > TILE_MAX_CHANGED), share > REGION_MAX_CHANGED);
        if tile_fails || region_fails {
            let at = worst.map(|((_, t), n)| {
                format!("; worst tile at ({}, {}): {n} pixels", (t % tiles_x) * TILE, (t / tiles_x) * TILE)
            });
            out.push(format!(
                "{name}: {} of {} pixels changed ({:.2}%){}",
                changed[k],
                total[k],
                share * 100.0,
                at.unwrap_or_default()
            ));
        }
    }
    out
}

/// Where the regions of a new shot moved from the reference's.
fn moved(new: &[Region], reference: &[Region]) -> Vec<String> {
    let names = |rs: &[Region]| rs.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    if names(new) != names(reference) {
        return vec![format!("regions {:?} against {:?}", names(new), names(reference))];
    }
    new.iter()
        .zip(reference)
        .filter(|(a, b)| a.1.iter().zip(b.1).any(|(p, q)| p.abs_diff(q) > LAYOUT_SLACK))
        .map(|(a, b)| format!("{} at {:?}, was {:?}", a.0, a.1, b.1))
        .collect()
}

/// Distinct colours and the share of pixels that differ from the most common colour.
fn busyness(path: &std::path::Path) -> (usize, f64) {
    let Image { px, .. } = rgb(path);
    let mut counts = std::collections::BTreeMap::new();
    for p in px.chunks(3) {
        *counts.entry(p.to_vec()).or_insert(0usize) += 1;
    }
    let total: usize = counts.values().sum();
    let top = counts.values().copied().max().unwrap_or(0);
    (counts.len(), 1.0 - top as f64 / total.max(1) as f64)
}

/// Runs the tour in `lang` (`None`: English) into `dir`, in a window of `window` pixels
/// (`None`: the desktop's); the PNGs are named `{prefix}{shot}`.
fn tour(dir: &std::path::Path, lang: Option<&str>, window: Option<&str>) {
    // `TTX_TOUR_BIN`: another build of this source, when other checkouts share the target
    // directory (each build links its own `ttx` over the one this test was built with).
    let bin = std::env::var_os("TTX_TOUR_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_ttx").into());
    let mut cmd = Command::new("xvfb-run");
    cmd.args(["-a", "-s", "-screen 0 1600x900x24", "timeout", "600"])
        .arg(bin)
        .env("TTX_SCREENSHOTS", dir)
        // The title shows this path: the desktop's stays as in its reference images.
        .env(
            "TTX_DATA_DIR",
            dir.join(format!("data-{}{}", lang.unwrap_or("en"), window.map_or(String::new(), |w| format!("-{w}")))),
        );
    match window {
        Some(w) => cmd.env("TTX_WINDOW", w),
        None => cmd.env_remove("TTX_WINDOW"),
    };
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
    tour(&dir, None, None);
    tour(&dir, Some("ja"), None);
    let names: Vec<String> =
        ["", "ja-"].iter().flat_map(|prefix| SHOTS.iter().map(move |s| format!("{prefix}{s}"))).collect();
    compare(&dir, &names);
}

/// Every player screen in a phone's window (412×839 at the text size M: 330 points wide,
/// the phone layout), compared with `tests/data/screens/phone-*.png` as the desktop's are.
#[test]
#[ignore = "needs Xvfb and Mesa; scripts/check.sh runs it"]
fn every_screen_renders_on_a_phone() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots-phone");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    tour(&dir, None, Some("412x839"));
    // The facilitator's console and the leaderboard stay desktop-first.
    let names: Vec<String> = SHOTS
        .iter()
        .filter(|s| !matches!(**s, "7-console" | "8-leaderboard" | "9-projector" | "10-media"))
        .map(|s| format!("phone-{s}"))
        .collect();
    compare(&dir, &names);
}

/// Checks the shots `names` in `dir` were written and are not blank, then compares each with
/// its reference (or, with `TTX_UPDATE_SCREENS`, makes them the references).
fn compare(dir: &std::path::Path, names: &[String]) {
    for name in names {
        let path = dir.join(format!("{name}.png"));
        assert!(path.exists(), "{} was not written", path.display());
        let (colours, busy) = busyness(&path);
        println!("{name}: {colours} colours, {:.1}% non-background", busy * 100.0);
        assert!(colours > 30 && busy > 0.02, "{name} looks blank: {colours} colours, {busy:.3} non-background");
    }
    let refs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/screens");
    if std::env::var_os("TTX_UPDATE_SCREENS").is_some() {
        std::fs::create_dir_all(&refs).expect("references dir");
        for name in names {
            for ext in ["png", "regions.json"] {
                std::fs::copy(dir.join(format!("{name}.{ext}")), refs.join(format!("{name}.{ext}"))).expect("copy");
            }
        }
        println!("references updated in {}", refs.display());
        return;
    }
    let mut failed = Vec::new();
    for name in names {
        let reference = refs.join(format!("{name}.png"));
        assert!(reference.exists(), "no reference image {}: see this file's header", reference.display());
        let (new_regions, ref_regions) =
            (regions(&dir.join(format!("{name}.regions.json"))), regions(&refs.join(format!("{name}.regions.json"))));
        let mut found = moved(&new_regions, &ref_regions);
        found.extend(differences(&rgb(&dir.join(format!("{name}.png"))), &rgb(&reference), &ref_regions));
        println!(
            "{name}: {} regions, {}",
            ref_regions.len() + 1,
            if found.is_empty() { "as the reference" } else { "DIFFERS" }
        );
        failed.extend(found.into_iter().map(|f| format!("{name}: {f}")));
    }
    assert!(
        failed.is_empty(),
        "screens differ from tests/data/screens:\n  {}\nlook at {} and, if the change is meant, update the references (this file's header)",
        failed.join("\n  "),
        dir.display()
    );
}

/// The test of the test: on the reference turn screen, one line of text in the feed (of
/// one inject) painted out with the panel's background fails the feed region and nothing
/// else, as does one line of the dashboard; the untouched reference passes.
#[test]
fn the_screen_comparison_sees_one_missing_line_of_the_feed() {
    let refs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/screens");
    let reference = rgb(&refs.join("3-turn.png"));
    let rs = regions(&refs.join("3-turn.regions.json"));
    assert_eq!(differences(&reference, &reference, &rs), Vec::<String>::new());
    for panel in ["feed", "dashboard"] {
        let [x0, y0, x1, y1] = rs.iter().find(|r| r.0 == panel).unwrap_or_else(|| panic!("{panel} region")).1;
        let mut broken = Image { w: reference.w, h: reference.h, px: reference.px.clone() };
        // The panel's background: its most common colour.
        let mut counts = std::collections::HashMap::new();
        for y in y0..y1 {
            for x in x0..x1 {
                *counts.entry(reference.at(x, y).to_vec()).or_insert(0usize) += 1;
            }
        }
        let bg = counts.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c).expect("pixels");
        // A line of text: of the runs of rows with content in the middle three fifths of
        // the panel (inside its border and an inject's frame; at least 8 pixels high: not
        // a separator), the one nearest the panel's middle, painted out there.
        let (left, right) = (x0 + (x1 - x0) / 5, x1 - (x1 - x0) / 5);
        let inked = |y: u32| (left..right).any(|x| reference.at(x, y) != bg.as_slice());
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for y in y0 + 6..y1 - 6 {
            match runs.last_mut() {
                Some((_, end)) if inked(y) && *end + 1 == y => *end = y,
                _ if inked(y) => runs.push((y, y)),
                _ => {}
            }
        }
        let mid = (y0 + y1) / 2;
        let (top, bottom) = runs
            .into_iter()
            .filter(|(a, b)| b - a >= 8)
            .min_by_key(|(a, b)| ((a + b) / 2).abs_diff(mid))
            .expect("a line of text in the panel");
        for y in top..=bottom {
            for x in left..right {
                let i = ((y * broken.w + x) * 3) as usize;
                broken.px[i..i + 3].copy_from_slice(&bg);
            }
        }
        let found = differences(&broken, &reference, &rs);
        println!("{panel}: rows {top}..={bottom} painted out: {found:?}");
        assert!(found.iter().any(|f| f.starts_with(panel)), "{panel}: {found:?}");
        assert_eq!(found.len(), 1, "only {panel} changed: {found:?}");
    }
}
