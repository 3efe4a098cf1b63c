//! The after-action report: Markdown and a self-contained HTML page with SVG charts, from a
//! played game. The timeline of injects, decisions and the players' stated reasons, the
//! metrics over time, the score explained, history and the best strategy found compared,
//! the discussion questions and an improvement plan to fill in.

use std::fmt::Write as _;
use std::sync::Arc;

use super::balance::{self, Options};
use super::game::{Game, play_path};
use super::scenario::{Scenario, format_number};
use super::score::{self, Score};
use super::view;

/// Both renderings of one report.
#[derive(Debug, Clone)]
pub struct Report {
    pub markdown: String,
    pub html: String,
}

struct Row {
    label: String,
    you: String,
    history: String,
    best: String,
}

/// Everything both renderings show.
struct Facts<'a> {
    sc: &'a Scenario,
    game: &'a Game,
    score: Score,
    timeline: Vec<(String, Vec<String>)>,
    rows: Vec<Row>,
    questions: Vec<String>,
    values: Vec<score::ChoiceValue>,
    hist: Option<f64>,
    best_total: f64,
    history: Option<Game>,
    best: Game,
}

/// Builds the report of a (normally finished) game.
pub fn build(game: &Game) -> Report {
    let sc = game.scenario();
    let s = score::score(game);
    let history = score::historical(sc, game.seed());
    let opts = Options { games: 0, seed: game.seed(), sample: 8, search_steps: 120, ..Options::default() };
    let best_path = balance::search(sc, &balance::greedy(sc, &opts), &opts);
    let best = play_path(sc, game.seed(), &best_path);
    let best_score = score::total(&best);
    let rows: Vec<Row> = sc
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| m.visible)
        .map(|(k, m)| Row {
            label: m.label.clone(),
            you: m.format(game.metrics()[k]),
            history: history.as_ref().map(|h| m.format(h.metrics()[k])).unwrap_or_default(),
            best: m.format(best.metrics()[k]),
        })
        .collect();
    let timeline = view::timeline(game, crate::i18n::Lang::En.tr())
        .into_iter()
        .map(|(label, lines)| (label, lines.into_iter().map(|l| l.text).collect()))
        .collect();
    let questions = view::questions(game);
    let values = score::choice_values(game);
    let hist = history.as_ref().map(score::total);
    let f =
        Facts { sc, game, score: s, timeline, rows, questions, values, hist, best_total: best_score, history, best };
    Report { markdown: markdown(&f), html: html(&f) }
}

fn markdown(f: &Facts<'_>) -> String {
    let (sc, game, s, timeline, rows, questions, values, hist, best) =
        (f.sc, f.game, &f.score, &f.timeline, &f.rows, &f.questions, &f.values, f.hist, f.best_total);
    let mut md = String::new();
    let _ = writeln!(md, "# After-action report: {}\n", sc.meta.title);
    let _ = writeln!(
        md,
        "Seed {} · {} turns played · score **{:.1}**, grade **{}**: {}\n",
        game.seed(),
        game.history().len() - 1,
        s.total,
        s.grade,
        s.verdict
    );
    let _ = writeln!(md, "## Score\n\n| component | value | points |\n|---|---|---|");
    for c in &s.components {
        let _ =
            writeln!(md, "| {} | {} | {:.1} of {:.1} |", c.label, format_number(c.value, 1), c.points, c.max_points);
    }
    if !values.is_empty() {
        let _ = writeln!(md, "\n## What the choices were worth\n\nEach choice replayed away on the same seed:\n");
        for v in values.iter().take(10) {
            let _ = writeln!(md, "- {:+.1} points: {}", v.delta, v.label);
        }
    }
    let _ = writeln!(md, "\n## Timeline\n");
    for (label, lines) in timeline {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(md, "**{label}**\n");
        for l in lines {
            let _ = writeln!(md, "- {l}");
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## Compared\n");
    let h = hist.map_or("—".into(), |h| format!("{h:.1}"));
    let _ =
        writeln!(md, "| | you ({:.1}) | history ({h}) | best strategy found ({best:.1}) |\n|---|---|---|---|", s.total);
    for r in rows {
        let _ = writeln!(md, "| {} | {} | {} | {} |", r.label, r.you, r.history, r.best);
    }
    if !questions.is_empty() {
        let _ = writeln!(md, "\n## Discussion questions\n");
        for q in questions {
            let _ = writeln!(md, "- {q}");
        }
    }
    let _ = writeln!(md, "\n## Improvement plan\n\n| finding | owner | due date |\n|---|---|---|");
    for _ in 0..5 {
        let _ = writeln!(md, "| | | |");
    }
    md
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A line chart of one metric: the game (solid), history (dashed), best found (dotted).
fn svg_chart(label: &str, series: &[(&str, &[f64], &str)]) -> String {
    let (w, h, pad) = (320.0, 150.0, 24.0);
    let all = series.iter().flat_map(|(_, v, _)| v.iter().copied());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let span = if (hi - lo).abs() < 1e-12 { 1.0 } else { hi - lo };
    let mut svg = format!(
        r##"<figure><svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}"><rect x="0" y="0" width="{w}" height="{h}" fill="none" stroke="#ccc"/>"##,
        esc(label)
    );
    for (name, v, style) in series {
        let n = (v.len().max(2) - 1) as f64;
        let pts: Vec<String> = v
            .iter()
            .enumerate()
            .map(|(i, y)| {
                format!(
                    "{:.1},{:.1}",
                    pad / 2.0 + (w - pad) * i as f64 / n,
                    h - pad / 2.0 - (h - pad) * (y - lo) / span
                )
            })
            .collect();
        let _ = write!(
            svg,
            r#"<polyline fill="none" {style} points="{}"><title>{}</title></polyline>"#,
            pts.join(" "),
            esc(name)
        );
    }
    let _ = write!(svg, "</svg><figcaption>{}</figcaption></figure>", esc(label));
    svg
}

fn html(f: &Facts<'_>) -> String {
    let (sc, game, s, timeline, rows, questions, values, hist, best_total) =
        (f.sc, f.game, &f.score, &f.timeline, &f.rows, &f.questions, &f.values, f.hist, f.best_total);
    let (history, best) = (f.history.as_ref(), &f.best);
    let mut b = String::new();
    let _ = write!(
        b,
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>After-action report: {}</title><style>
body{{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
h1{{margin-bottom:.2em}} table{{border-collapse:collapse;margin:.5em 0}} td,th{{border:1px solid #ddd;padding:.3em .6em;text-align:left}}
.score{{font-size:2.4em;font-weight:700}} .charts{{display:flex;flex-wrap:wrap;gap:12px}} figure{{margin:0}} figcaption{{font-size:.9em;color:#555}}
.turn{{margin:.6em 0}} .why{{color:#555;font-style:italic}} .plan td{{height:2em;min-width:12em}} .legend span{{margin-right:1.5em}}
</style></head><body>"#,
        esc(&sc.meta.language),
        esc(&sc.meta.title)
    );
    let _ = write!(
        b,
        "<h1>After-action report: {}</h1><p>Seed {} · {} turns</p>",
        esc(&sc.meta.title),
        game.seed(),
        game.history().len() - 1
    );
    let _ = write!(
        b,
        r#"<p><span class="score">{:.1}</span> grade <b>{}</b>: {}</p>"#,
        s.total,
        esc(&s.grade),
        esc(&s.verdict)
    );
    b.push_str("<h2>Score</h2><table><tr><th>component</th><th>value</th><th>points</th></tr>");
    for c in &s.components {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{:.1} of {:.1}</td></tr>",
            esc(&c.label),
            format_number(c.value, 1),
            c.points,
            c.max_points
        );
    }
    b.push_str("</table>");
    if !values.is_empty() {
        b.push_str("<h2>What the choices were worth</h2><p>Each choice replayed away on the same seed.</p><ul>");
        for v in values.iter().take(10) {
            let _ = write!(b, "<li>{:+.1} points: {}</li>", v.delta, esc(&v.label));
        }
        b.push_str("</ul>");
    }
    b.push_str(r#"<h2>Metrics over time</h2><p class="legend"><span>━ you</span><span>╍ history</span><span>┈ best strategy found</span></p><div class="charts">"#);
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let you: Vec<f64> = game.history().iter().map(|r| r[k]).collect();
        let hist_v: Vec<f64> = history.map(|h| h.history().iter().map(|r| r[k]).collect()).unwrap_or_default();
        let best_v: Vec<f64> = best.history().iter().map(|r| r[k]).collect();
        let mut series: Vec<(&str, &[f64], &str)> = vec![("you", &you, r##"stroke="#2563eb" stroke-width="2.5""##)];
        if !hist_v.is_empty() {
            series.push(("history", &hist_v, r##"stroke="#888" stroke-width="1.5" stroke-dasharray="6 4""##));
        }
        series.push((
            "best strategy found",
            &best_v,
            r##"stroke="#16a34a" stroke-width="1.5" stroke-dasharray="2 3""##,
        ));
        b.push_str(&svg_chart(&m.label, &series));
    }
    b.push_str("</div><h2>Timeline</h2>");
    for (label, lines) in timeline.iter().filter(|(_, l)| !l.is_empty()) {
        let _ = write!(b, r#"<div class="turn"><b>{}</b><ul>"#, esc(label));
        for l in lines {
            let class = if l.starts_with("Why: ") { r#" class="why""# } else { "" };
            let _ = write!(b, "<li{class}>{}</li>", esc(l));
        }
        b.push_str("</ul></div>");
    }
    let h = hist.map_or("—".into(), |h| format!("{h:.1}"));
    let _ = write!(
        b,
        "<h2>Compared</h2><table><tr><th></th><th>you ({:.1})</th><th>history ({h})</th><th>best strategy found ({best_total:.1})</th></tr>",
        s.total
    );
    for r in rows {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.label),
            esc(&r.you),
            esc(&r.history),
            esc(&r.best)
        );
    }
    b.push_str("</table>");
    if !questions.is_empty() {
        b.push_str("<h2>Discussion questions</h2><ul>");
        for q in questions {
            let _ = write!(b, "<li>{}</li>", esc(q));
        }
        b.push_str("</ul>");
    }
    b.push_str(
        r#"<h2>Improvement plan</h2><table class="plan"><tr><th>finding</th><th>owner</th><th>due date</th></tr>"#,
    );
    for _ in 0..5 {
        b.push_str("<tr><td></td><td></td><td></td></tr>");
    }
    b.push_str("</table></body></html>\n");
    b
}

/// Builds a report from a save file on its scenario.
pub fn from_save(save: &super::save::SaveFile, scenario: &Arc<Scenario>) -> Result<Report, super::save::SaveError> {
    Ok(build(&save.resume(scenario)?))
}
