//! The after-action report: Markdown and a self-contained HTML page with SVG charts, from a
//! played game. The timeline of injects, decisions and the players' stated reasons, the
//! metrics over time, the score explained, history and the best strategy found compared,
//! the discussion questions and an improvement plan to fill in.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::i18n::Tr;
use crate::sim::analyse::balance::{self, Options};
use crate::sim::play::game::{Game, play_path};
use crate::sim::play::score::{self, Score};
use crate::sim::present::debrief::{Debrief, compared};
use crate::sim::present::teams::{TeamError, TeamGame, leaderboard_in};
use crate::sim::present::view::{self, LineKind};
use crate::sim::scenario::Scenario;
use crate::t;

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
    tr: &'a Tr,
    sc: &'a Scenario,
    game: &'a Game,
    score: Score,
    timeline: Vec<(String, Vec<view::Line>)>,
    rows: Vec<Row>,
    questions: Vec<String>,
    /// Each choice's worth and its words.
    values: Vec<(score::ChoiceValue, String)>,
    hist: Option<f64>,
    best_total: f64,
    history: Option<Game>,
    best: Game,
}

/// Builds the report of a (normally finished) game, in `tr`'s language (the scenario's own
/// texts are in the language of the scenario the game was played on).
pub fn build(game: &Game, tr: &Tr) -> Report {
    let f = facts(game, tr);
    Report { markdown: markdown(&f), html: html(&f) }
}

/// One report for a whole workshop: the teams ranked side by side (where each left the
/// leader's path, who was best on each part of the score), then every team's own report,
/// in rank order. Refused when the games are not of one scenario.
pub fn workshop(teams: &[TeamGame], tr: &Tr) -> Result<Report, TeamError> {
    let board = leaderboard_in(teams, tr)?;
    let heading = t!(tr, "report-workshop-title", title = board.scenario.as_str());
    let mut md = format!("# {heading}\n\n```text\n{}```\n", board.to_text(tr));
    let mut html = html_head(tr, &esc(&heading));
    let _ = write!(html, "<h1>{}</h1><pre>{}</pre>", esc(&heading), esc(&board.to_text(tr)));
    for row in &board.rows {
        let f = facts(&teams[row.source].game, tr);
        let team = t!(tr, "report-workshop-team", rank = row.rank, team = row.team.as_str());
        let _ = write!(md, "\n---\n\n# {team}\n\n{}", markdown(&f));
        let title = esc(&t!(tr, "report-title", title = f.sc.meta.title.as_str()));
        let _ = write!(html, "<hr><section><h1>{}</h1>{}", esc(&team), html_body(&f, &title));
        // Who did what at the team's table (a workshop with roles).
        let deeds = &teams[row.source].deeds;
        if !deeds.is_empty() {
            let heading = t!(tr, "report-deeds");
            let lines: Vec<String> = deeds.iter().map(|d| crate::sim::present::deeds::deed_line(f.sc, d, tr)).collect();
            let _ = write!(md, "\n## {heading}\n\n");
            for l in &lines {
                let _ = writeln!(md, "- {l}");
            }
            let _ = write!(html, "<h2>{}</h2><ul>", esc(&heading));
            for l in &lines {
                let _ = write!(html, "<li>{}</li>", esc(l));
            }
            html.push_str("</ul>");
        }
        html.push_str("</section>");
    }
    html.push_str("</body></html>\n");
    Ok(Report { markdown: md, html })
}

/// What both renderings of a game's report show.
fn facts<'a>(game: &'a Game, tr: &'a Tr) -> Facts<'a> {
    let sc = game.scenario();
    let Debrief { score: s, history, choices, .. } = Debrief::of(game);
    let history = history.map(|(h, _)| h);
    let opts = Options { games: 0, seed: game.seed(), sample: 8, search_steps: 120, ..Options::default() };
    let best_path = balance::search(sc, &balance::greedy(sc, &opts), &opts);
    let best = play_path(sc, game.seed(), &best_path);
    let best_score = score::total(&best);
    let rows: Vec<Row> = compared(game, history.as_ref(), Some(&best), tr)
        .into_iter()
        .map(|c| Row {
            label: c.label,
            you: c.you,
            history: c.history.unwrap_or_default(),
            best: c.best.unwrap_or_default(),
        })
        .collect();
    let timeline = view::timeline(game, tr);
    let questions = view::questions(game);
    let values = choices
        .into_iter()
        .map(|v| {
            let text = view::choice_text(sc, &v, tr);
            (v, text)
        })
        .collect();
    let hist = history.as_ref().map(score::total);
    Facts { tr, sc, game, score: s, timeline, rows, questions, values, hist, best_total: best_score, history, best }
}

fn markdown(f: &Facts<'_>) -> String {
    let (tr, sc, game, s, timeline, rows, questions, values, hist, best) =
        (f.tr, f.sc, f.game, &f.score, &f.timeline, &f.rows, &f.questions, &f.values, f.hist, f.best_total);
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", t!(tr, "report-title", title = sc.meta.title.as_str()));
    let result = t!(
        tr,
        "report-result",
        seed = game.seed().to_string(),
        turns = t!(tr, "report-turns-played", n = game.history().len() - 1),
        score = format!("**{}**", tr.number(s.total, 1)),
        grade = format!("**{}**", s.grade),
        verdict = s.verdict.as_str()
    );
    let _ = writeln!(md, "{result}\n");
    let _ = writeln!(
        md,
        "## {}\n\n| {} | {} | {} |\n|---|---|---|",
        t!(tr, "report-score"),
        t!(tr, "report-col-component"),
        t!(tr, "report-col-value"),
        t!(tr, "report-col-points")
    );
    for c in &s.components {
        let _ = writeln!(md, "| {} | {} | {} |", c.label, value_of(sc, tr, c), points_of(tr, c.points, c.max_points));
    }
    if !values.is_empty() {
        let _ = writeln!(md, "\n## {}\n\n{}\n", t!(tr, "report-choices"), t!(tr, "report-choices-help"));
        for (v, text) in values.iter().take(10) {
            let _ =
                writeln!(md, "- {}", t!(tr, "report-choice", delta = tr.signed(v.delta, 1), choice = text.as_str()));
        }
    }
    let _ = writeln!(md, "\n## {}\n", t!(tr, "report-timeline"));
    for (label, lines) in timeline {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(md, "**{label}**\n");
        for l in lines {
            let _ = writeln!(md, "- {}", l.text);
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## {}\n", t!(tr, "report-compared"));
    let (you, history, best) = compared_heads(tr, s.total, hist, best);
    let _ = writeln!(md, "| | {you} | {history} | {best} |\n|---|---|---|---|");
    for r in rows {
        let _ = writeln!(md, "| {} | {} | {} | {} |", r.label, r.you, r.history, r.best);
    }
    if !questions.is_empty() {
        let _ = writeln!(md, "\n## {}\n", t!(tr, "report-questions"));
        for q in questions {
            let _ = writeln!(md, "- {q}");
        }
    }
    let _ = writeln!(
        md,
        "\n## {}\n\n| {} | {} | {} |\n|---|---|---|",
        t!(tr, "report-plan"),
        t!(tr, "report-col-finding"),
        t!(tr, "report-col-owner"),
        t!(tr, "report-col-due")
    );
    for _ in 0..5 {
        let _ = writeln!(md, "| | | |");
    }
    md
}

/// "12.5 of 30.0" points.
fn points_of(tr: &Tr, points: f64, max: f64) -> String {
    t!(tr, "report-points-of", points = tr.number(points, 1), max = tr.number(max, 1))
}

/// The heads of the "Compared" table: you, history and the best strategy found, each with
/// its score.
fn compared_heads(tr: &Tr, you: f64, hist: Option<f64>, best: f64) -> (String, String, String) {
    let h = hist.map_or("—".into(), |h| tr.number(h, 1));
    (
        t!(tr, "report-col-you", score = tr.number(you, 1)),
        t!(tr, "report-col-history", score = h),
        t!(tr, "report-col-best", score = tr.number(best, 1)),
    )
}

pub(crate) fn esc(s: &str) -> String {
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
    let (tr, sc) = (f.tr, f.sc);
    let title = esc(&t!(tr, "report-title", title = sc.meta.title.as_str()));
    let mut b = html_head(tr, &title);
    b.push_str(&html_body(f, &title));
    b.push_str("</body></html>\n");
    b
}

/// The page's head and the opening of its body (`title` already escaped).
pub(crate) fn html_head(tr: &Tr, title: &str) -> String {
    let mut b = String::new();
    let _ = write!(
        b,
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{title}</title><style>
body{{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
h1{{margin-bottom:.2em}} table{{border-collapse:collapse;margin:.5em 0}} td,th{{border:1px solid #ddd;padding:.3em .6em;text-align:left}}
.score{{font-size:2.4em;font-weight:700}} .charts{{display:flex;flex-wrap:wrap;gap:12px}} figure{{margin:0}} figcaption{{font-size:.9em;color:#555}}
.turn{{margin:.6em 0}} .why{{color:#555;font-style:italic}} .plan td{{height:2em;min-width:12em}} .legend span{{margin-right:1.5em}}
</style></head><body>"#,
        tr.lang().tag()
    );
    b
}

/// The report's content: everything inside the page's body.
fn html_body(f: &Facts<'_>, title: &str) -> String {
    let (tr, sc, game, s, timeline, rows, questions, values, hist, best_total) =
        (f.tr, f.sc, f.game, &f.score, &f.timeline, &f.rows, &f.questions, &f.values, f.hist, f.best_total);
    let (history, best) = (f.history.as_ref(), &f.best);
    let mut b = String::new();
    let seed_turns = t!(tr, "report-seed-turns", seed = game.seed().to_string(), turns = game.history().len() - 1);
    let _ = write!(b, "<h1>{title}</h1><p>{}</p>", esc(&seed_turns));
    let score_line = t!(
        tr,
        "report-score-line",
        score = format!(r#"<span class="score">{}</span>"#, tr.number(s.total, 1)),
        grade = format!("<b>{}</b>", esc(&s.grade)),
        verdict = esc(&s.verdict)
    );
    let _ = write!(b, "<p>{score_line}</p>");
    let _ = write!(
        b,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&t!(tr, "report-score")),
        esc(&t!(tr, "report-col-component")),
        esc(&t!(tr, "report-col-value")),
        esc(&t!(tr, "report-col-points"))
    );
    for c in &s.components {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.label),
            esc(&value_of(sc, tr, c)),
            esc(&points_of(tr, c.points, c.max_points))
        );
    }
    b.push_str("</table>");
    if !values.is_empty() {
        let _ =
            write!(b, "<h2>{}</h2><p>{}</p><ul>", esc(&t!(tr, "report-choices")), esc(&t!(tr, "report-choices-help")));
        for (v, text) in values.iter().take(10) {
            let _ = write!(
                b,
                "<li>{}</li>",
                esc(&t!(tr, "report-choice", delta = tr.signed(v.delta, 1), choice = text.as_str()))
            );
        }
        b.push_str("</ul>");
    }
    let (you_name, hist_name, best_name) =
        (t!(tr, "report-series-you"), t!(tr, "report-series-history"), t!(tr, "report-series-best"));
    let _ = write!(
        b,
        r#"<h2>{}</h2><p class="legend"><span>━ {}</span><span>╍ {}</span><span>┈ {}</span></p><div class="charts">"#,
        esc(&t!(tr, "report-metrics-over-time")),
        esc(&you_name),
        esc(&hist_name),
        esc(&best_name)
    );
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let you: Vec<f64> = game.history().iter().map(|r| r[k]).collect();
        let hist_v: Vec<f64> = history.map(|h| h.history().iter().map(|r| r[k]).collect()).unwrap_or_default();
        let best_v: Vec<f64> = best.history().iter().map(|r| r[k]).collect();
        let mut series: Vec<(&str, &[f64], &str)> = vec![(&you_name, &you, r##"stroke="#2563eb" stroke-width="2.5""##)];
        if !hist_v.is_empty() {
            series.push((&hist_name, &hist_v, r##"stroke="#888" stroke-width="1.5" stroke-dasharray="6 4""##));
        }
        series.push((&best_name, &best_v, r##"stroke="#16a34a" stroke-width="1.5" stroke-dasharray="2 3""##));
        b.push_str(&svg_chart(&m.label, &series));
    }
    let _ = write!(b, "</div><h2>{}</h2>", esc(&t!(tr, "report-timeline")));
    for (label, lines) in timeline.iter().filter(|(_, l)| !l.is_empty()) {
        let _ = write!(b, r#"<div class="turn"><b>{}</b><ul>"#, esc(label));
        for l in lines {
            let class = if l.kind == LineKind::Note { r#" class="why""# } else { "" };
            let _ = write!(b, "<li{class}>{}</li>", esc(&l.text));
        }
        b.push_str("</ul></div>");
    }
    let (you, hist_head, best_head) = compared_heads(tr, s.total, hist, best_total);
    let _ = write!(
        b,
        "<h2>{}</h2><table><tr><th></th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&t!(tr, "report-compared")),
        esc(&you),
        esc(&hist_head),
        esc(&best_head)
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
        let _ = write!(b, "<h2>{}</h2><ul>", esc(&t!(tr, "report-questions")));
        for q in questions {
            let _ = write!(b, "<li>{}</li>", esc(q));
        }
        b.push_str("</ul>");
    }
    let _ = write!(
        b,
        r#"<h2>{}</h2><table class="plan"><tr><th>{}</th><th>{}</th><th>{}</th></tr>"#,
        esc(&t!(tr, "report-plan")),
        esc(&t!(tr, "report-col-finding")),
        esc(&t!(tr, "report-col-owner")),
        esc(&t!(tr, "report-col-due"))
    );
    for _ in 0..5 {
        b.push_str("<tr><td></td><td></td><td></td></tr>");
    }
    b.push_str("</table>");
    b
}

/// Builds a report from a save file on its scenario, in `tr`'s language.
pub fn from_save(
    save: &crate::sim::play::save::SaveFile,
    scenario: &Arc<Scenario>,
    tr: &Tr,
) -> Result<Report, crate::sim::play::save::SaveError> {
    Ok(build(&save.resume(scenario)?, tr))
}

/// A score component's value in the unit of the first metric its formula reads (38,615,473円,
/// 808人); a plain number when it reads none.
fn value_of(sc: &Scenario, tr: &Tr, c: &crate::sim::play::score::ComponentScore) -> String {
    let metric = sc
        .scoring
        .components
        .iter()
        .find(|k| k.id == c.id)
        .and_then(|k| k.value.metrics_read().next())
        .and_then(|m| sc.metrics.get(usize::from(m)));
    match metric {
        Some(m) => tr.quantity(c.value, m.measure()),
        None => tr.number(c.value, 1),
    }
}
