//! Authoring: checking scenario files (`ttx check`) and translation skeletons (`ttx translate`).

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use super::{Error, Format, load_scenario};
use crate::sim::load_file;

/// `ttx check`: every error and warning of each file, and what its lessons show.
pub(super) fn check(files: &[PathBuf], format: Format, show_lessons: bool) -> Result<(), Error> {
    let mut failed = false;
    let mut json = Vec::new();
    for f in files {
        let mut lessons = 0;
        let (diags, ok) = match load_file(f) {
            Ok(l) => {
                lessons = l.scenario.lessons.len();
                let mut diags = l.warnings;
                let src =
                    crate::sim::author::input::read_text(f, crate::sim::author::input::MAX_SCENARIO_BYTES, "scenario")
                        .unwrap_or_default();
                let sc = Arc::new(l.scenario);
                diags.extend(crate::sim::analyse::lint::balance_warnings(&sc, &src, &f.display().to_string()));
                if show_lessons && format == Format::Text {
                    for v in crate::sim::analyse::lesson::check_all(&sc) {
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
        println!("{}", serde_json::to_string_pretty(&json)?);
    }
    if failed { Err(Error::Reported) } else { Ok(()) }
}

/// `ttx translate`: prints the scenario's texts under their ids, to translate into `to`.
pub(super) fn translate(file: Option<&FsPath>, to: &str) -> Result<(), Error> {
    let sc = load_scenario(file)?.scenario;
    if !crate::sim::author::translate::is_language_tag(to) {
        return Err(Error::Usage {
            message: format!("`--to {to}` is not a language tag"),
            hint: Some("two or three letters, e.g. ja, en, fr, pt-BR".into()),
        });
    }
    if to.eq_ignore_ascii_case(&sc.meta.language) {
        return Err(Error::Usage {
            message: format!("the scenario is written in `{to}`"),
            hint: Some("translate it into another language, e.g. --to ja".into()),
        });
    }
    // Written out first: nothing is printed of a template that cannot be.
    let template = crate::sim::author::translate::template(&sc.in_language(to), to).map_err(Error::Template)?;
    let name = file.map_or_else(|| "7pay-launch-week.ron".to_owned(), |f| f.display().to_string());
    let have = match sc.speaks(to) {
        true => "the texts it already has in it are filled in, the others are in its own language",
        false => "it has none in it yet: every text is in its own language",
    };
    println!("// `{to}` texts for {name} ({have}).");
    println!("// Translate the strings, keep the ids, and put this entry into the scenario's");
    println!("// `translations: [...]`; `ttx check` lists what is missing at file:line:col.");
    println!("{template}");
    Ok(())
}
