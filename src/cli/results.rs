//! Results of played games: replaying a save, its after-action report, the cohort report
//! of a workshop database, and several teams' saves compared.

use std::io::Write;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use super::play::write_debrief;
use super::{Error, localize};
use crate::files::write_atomic;
use crate::i18n::Lang;
use crate::sim::bundled::BUNDLED;
use crate::sim::play::game::Game;
use crate::sim::play::save::SaveFile;
use crate::sim::{load_file, load_str};
use crate::t;

/// Reads a save and the scenario it belongs to (given, or bundled with the save's id), and
/// replays it, checking the log, on the scenario's texts in `lang` (a save made in any of
/// the scenario's languages replays in any other).
fn load_save(save_path: &FsPath, scenario: Option<&FsPath>, lang: Lang) -> Result<(SaveFile, Game), Error> {
    let file = save_path.display().to_string();
    let text = crate::sim::author::input::read_text(save_path, crate::sim::author::input::MAX_SAVE_BYTES, "save")?;
    let (save, carried) = crate::sim::play::save::read_any(&text).map_err(|source| match source {
        crate::sim::play::save::SaveError::Syntax { .. } => Error::SaveSyntax { file: file.clone(), source },
        source => Error::Save { file: file.clone(), source },
    })?;
    let loaded = match (scenario, carried) {
        (Some(p), _) => load_file(p).map_err(Error::Placed)?,
        // A result exported by the game carries its scenario.
        (None, Some((scenario_name, scenario_text))) => {
            load_str(&scenario_text, &format!("{file} (scenario {scenario_name})")).map_err(Error::Placed)?
        }
        (None, None) => BUNDLED
            .iter()
            .filter_map(|(n, s)| load_str(s, n).ok())
            .find(|l| l.scenario.meta.id == save.scenario_id)
            .ok_or_else(|| Error::NoBundled { file: file.clone(), id: save.scenario_id.clone() })?,
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
    let game = replayed.resume(&Arc::new(shown)).map_err(|source| Error::Save { file, source })?;
    Ok((save, game))
}

/// `ttx replay`: re-runs a save, checking its log, and prints the debrief.
pub(super) fn replay(save_path: &FsPath, scenario: Option<&FsPath>, lang: Lang) -> Result<(), Error> {
    let tr = lang.tr();
    let (save, game) = load_save(save_path, scenario, lang)?;
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "{}",
        t!(tr, "cli-replayed", actions = save.actions.len(), turns = save.turns_done, entries = save.log.len())
    );
    let _ = write_debrief(&mut out, &game, tr);
    Ok(())
}

/// `ttx report SAVE`: the after-action report of a saved game, Markdown and HTML.
pub(super) fn report(
    save_path: &FsPath,
    scenario: Option<&FsPath>,
    out: Option<&FsPath>,
    lang: Lang,
) -> Result<(), Error> {
    let tr = lang.tr();
    let (_, game) = load_save(save_path, scenario, lang)?;
    let r = crate::sim::present::report::build(&game, tr);
    let stem = save_path.file_stem().map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let dir =
        out.map(FsPath::to_path_buf).unwrap_or_else(|| save_path.parent().map(FsPath::to_path_buf).unwrap_or_default());
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io { action: "create", path: dir.clone(), source })?;
    write_report(&dir, &format!("{stem}-report"), &r, tr)
}

/// Writes a report as `<stem>.md` and `<stem>.html` in `dir` and says so.
fn write_report(
    dir: &FsPath,
    stem: &str,
    r: &crate::sim::present::report::Report,
    tr: &crate::i18n::Tr,
) -> Result<(), Error> {
    let (md, html) = (dir.join(format!("{stem}.md")), dir.join(format!("{stem}.html")));
    for (path, text) in [(&md, &r.markdown), (&html, &r.html)] {
        write_atomic(path, text).map_err(|e| Error::write(path, e))?;
    }
    println!("{}", t!(tr, "cli-wrote", md = md.display().to_string(), html = html.display().to_string()));
    Ok(())
}

/// The cohort reports of a workshop database: one per scenario (by its text) played there.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn cohort_report(db: &FsPath, out: Option<&FsPath>, lang: Lang) -> Result<(), Error> {
    use crate::sim::present::cohort::{CohortTeam, cohort, render};
    let tr = lang.tr();
    if !db.is_file() {
        return Err(Error::NoDatabase(db.to_path_buf()));
    }
    let sessions = crate::serve::store::Store::open_read_only(db)
        .and_then(|s| s.load())
        .map_err(|source| Error::Database { path: db.to_path_buf(), source })?;
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
        return Err(Error::NoWorkshops(db.to_path_buf()));
    }
    let dir = out.map(FsPath::to_path_buf).unwrap_or_else(|| db.parent().map(FsPath::to_path_buf).unwrap_or_default());
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io { action: "create", path: dir.clone(), source })?;
    for (key, id, teams) in &groups {
        let c = cohort(teams, tr)?;
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
        write_report(&dir, &stem, &r, tr)?;
    }
    Ok(())
}

/// `ttx compare`: several teams' saves of one scenario and seed, side by side.
pub(super) fn compare(files: &[PathBuf], scenario: Option<&FsPath>, lang: Lang) -> Result<(), Error> {
    let mut teams = Vec::new();
    for f in files {
        let (save, game) = load_save(f, scenario, lang)?;
        let stem = f.file_stem().map_or_else(|| f.display().to_string(), |s| s.to_string_lossy().into_owned());
        teams.push(crate::sim::present::teams::TeamGame {
            team: save.team.clone().unwrap_or(stem),
            game,
            deeds: Vec::new(),
        });
    }
    let board = crate::sim::present::teams::leaderboard_in(&teams, lang.tr())?;
    print!("{}", board.to_text(lang.tr()));
    Ok(())
}
