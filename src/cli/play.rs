//! Playing: the game in the terminal (`ttx play --text`) and the desktop game's launcher.

use std::io::{BufRead, Write};
use std::path::Path as FsPath;
use std::sync::Arc;

use super::{Error, LineError, load_scenario, localize};
use crate::files::write_atomic;
use crate::i18n::{Lang, Tr};
use crate::sim::play::game::{Game, Outcome};
use crate::sim::play::save::SaveFile;
use crate::sim::present::change::{Since, metric_change};
use crate::sim::present::debrief::{Debrief, compared};
use crate::sim::present::view::{self, pad_left, pad_right};
use crate::sim::scenario::{Action, MitigationIdx, Scenario};
use crate::t;

/// Longest line `play --text` reads, and most lines in all.
const MAX_LINE_BYTES: u64 = 64 * 1024;
const MAX_LINES: usize = 100_000;

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
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let change = metric_change(game, k, Since::TurnStart, tr);
        let delta = change.text.map(|d| format!(" ({d})")).unwrap_or_default();
        writeln!(out, "  {} {}{delta}", pad_right(&m.label, 28), tr.quantity(game.metrics()[k], m.measure()))?;
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
            did_you_mean: crate::sim::author::diag::did_you_mean(w, sc.mitigations.iter().map(|m| m.id.as_str())),
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
        return Err(LineError::TooLong { line, most: MAX_LINE_BYTES });
    }
    if line > MAX_LINES {
        return Err(LineError::TooMany { most: MAX_LINES });
    }
    String::from_utf8(bytes).map(Some).map_err(|_| LineError::NotUtf8 { line })
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

/// Plays a game in the terminal from `input`, in `lang`.
pub fn play_text(
    file: Option<&FsPath>,
    seed: u64,
    save: Option<&FsPath>,
    lang: Lang,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let tr = lang.tr();
    let loaded = load_scenario(file)?;
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
            let Some(line) = read_line(input, &mut lines_read)? else {
                input_open = false;
                break;
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
        let saved = SaveFile::of(&game)
            .to_ron()
            .map_err(|e| e.to_string())
            .and_then(|text| write_atomic(path, &text).map_err(|e| e.to_string()));
        saved.map_err(|reason| Error::SaveWrite { path: path.to_path_buf(), reason })?;
        let _ = writeln!(out, "\n{}", t!(tr, "cli-saved", path = path.display().to_string()));
    }
    Ok(())
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

pub(super) fn write_debrief(out: &mut dyn Write, game: &Game, tr: &Tr) -> std::io::Result<()> {
    let sc = game.scenario();
    let debrief = Debrief::of(game);
    let s = &debrief.score;
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
    if !debrief.choices.is_empty() {
        writeln!(out, "\n{}", t!(tr, "cli-choices"))?;
        for v in debrief.choices.iter().take(8) {
            let worth = t!(tr, "cli-choice-points", delta = pad_left(&tr.signed(v.delta, 1), 6));
            writeln!(out, "  {worth}  {}", view::choice_text(sc, v, tr))?;
        }
    }
    if let (Some(h), Some((hist, hs))) = (sc.history.as_ref(), debrief.history.as_ref()) {
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
        for row in compared(game, Some(hist), None, tr) {
            writeln!(
                out,
                "  {} {} {} {}",
                pad_right(&row.label, 28),
                pad_left(&row.you, 18),
                pad_left(&row.history.unwrap_or_default(), 18),
                pad_left(&row.real.unwrap_or_default(), 18)
            )?;
        }
    }
    Ok(())
}

/// Starts the desktop game (when built with the `app` feature).
pub fn desktop(scenario: Option<&FsPath>, join: Option<String>) -> Result<(), Error> {
    #[cfg(feature = "app")]
    {
        if let Some(link) = join {
            crate::app::web::ttx_join(link);
        }
        match crate::app::run(scenario) {
            0 => Ok(()),
            code => Err(Error::Desktop(code)),
        }
    }
    #[cfg(not(feature = "app"))]
    {
        let _ = (scenario, join);
        Err(Error::NoDesktop)
    }
}
