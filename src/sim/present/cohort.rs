//! The cohort report: every team of every workshop played on one scenario, side by side —
//! how often each measure was taken and on which turn, how each decision was answered, how
//! many teams did what each of the scenario's lessons teaches, and the spread of scores —
//! as Markdown and a self-contained HTML page with bar charts.

use std::fmt::Write as _;

use thiserror::Error;

use crate::i18n::Tr;
use crate::sim::play::game::{Game, Outcome};
use crate::sim::play::score::{self, Score};
use crate::sim::present::deeds::{Deed, DeedKind, deed_line};
use crate::sim::present::report::{Report, esc, html_head};
use crate::sim::scenario::Action;
use crate::t;

/// One team's game of one workshop.
#[derive(Debug, Clone)]
pub struct CohortTeam {
    pub session: String,
    pub team: String,
    pub game: Game,
    /// What its players did at the table, in order (a workshop with roles; else empty).
    pub deeds: Vec<Deed>,
}

/// Why no cohort report can be made of these games.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CohortError {
    #[error("no team has played yet")]
    Empty,
    #[error("the games are of different scenarios (or versions of one): “{0}” and “{1}”")]
    Mixed(String, String),
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub title: String,
    pub sessions: usize,
    /// Every team: its session, name and score, best score first.
    pub teams: Vec<(String, String, Score)>,
    /// Teams whose game is not over yet (their scores are so far).
    pub unfinished: usize,
    pub measures: Vec<Measure>,
    pub decisions: Vec<Decision>,
    pub lessons: Vec<LessonUse>,
    /// The scenario's turn labels.
    pub turns: Vec<String>,
    /// Each role: what its players did across the cohort (a scenario with roles).
    pub roles: Vec<RoleUse>,
    /// Each team with a record: (session, team, its lines "when · who · what").
    pub records: Vec<(String, String, Vec<String>)>,
}

/// One role across the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleUse {
    pub label: String,
    /// Moves its players made themselves.
    pub made: usize,
    /// Moves its players proposed to another role.
    pub proposed: usize,
    /// Proposals to it that its players accepted, and declined.
    pub accepted: usize,
    pub declined: usize,
}

/// One mitigation across the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub label: String,
    /// Teams that took it at least once.
    pub taken: usize,
    /// For each turn, the teams that first took it on that turn.
    pub first_turn: Vec<usize>,
}

/// One decision across the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub title: String,
    /// Teams that answered it (or let it take its default).
    pub faced: usize,
    /// Each option: its label, the teams that chose it, and those it fell to by default.
    pub answers: Vec<(String, usize, usize)>,
}

/// One of the scenario's lessons across the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonUse {
    pub id: String,
    pub claim: String,
    /// Teams whose play included every move the lesson's change makes, by its turn.
    pub did: usize,
}

/// The cohort of `teams`, all games of one scenario (the same text).
pub fn cohort(teams: &[CohortTeam], tr: &Tr) -> Result<Cohort, CohortError> {
    let first = teams.first().ok_or(CohortError::Empty)?;
    let sc = first.game.scenario();
    if let Some(other) = teams.iter().find(|t| t.game.scenario().fingerprint != sc.fingerprint) {
        return Err(CohortError::Mixed(sc.meta.title.clone(), other.game.scenario().meta.title.clone()));
    }
    let mut sessions: Vec<&str> = teams.iter().map(|t| t.session.as_str()).collect();
    sessions.sort_unstable();
    sessions.dedup();
    let mut ranked: Vec<(String, String, Score)> =
        teams.iter().map(|t| (t.session.clone(), t.team.clone(), score::score(&t.game))).collect();
    ranked.sort_by(|a, b| b.2.total.total_cmp(&a.2.total).then_with(|| a.1.cmp(&b.1)));
    let moves: Vec<Vec<(usize, &Outcome)>> = teams.iter().map(|t| by_turn(&t.game)).collect();
    let measures = sc
        .mitigations
        .iter()
        .enumerate()
        .map(|(m, def)| {
            let mut first_turn = vec![0; sc.turns.len()];
            let mut taken = 0;
            for log in &moves {
                let first = log.iter().find_map(|(turn, o)| match o {
                    Outcome::MitigationTaken { mitigation, .. } if mitigation.ix() == m => Some(*turn),
                    _ => None,
                });
                if let Some(turn) = first {
                    taken += 1;
                    if let Some(n) = first_turn.get_mut(turn) {
                        *n += 1;
                    }
                }
            }
            Measure { label: def.label.clone(), taken, first_turn }
        })
        .collect();
    let decisions = sc
        .injects
        .iter()
        .enumerate()
        .filter(|(_, inj)| !inj.options.is_empty())
        .filter_map(|(i, inj)| {
            let mut answers: Vec<(String, usize, usize)> =
                inj.options.iter().map(|o| (o.label.clone(), 0, 0)).collect();
            let mut faced = 0;
            for log in &moves {
                let made = log.iter().filter_map(|(_, o)| match o {
                    Outcome::DecisionMade { inject, option, by_default } if inject.ix() == i => {
                        Some((*option as usize, *by_default))
                    }
                    _ => None,
                });
                let mut any = false;
                for (option, by_default) in made {
                    any = true;
                    if let Some(a) = answers.get_mut(option) {
                        if by_default { a.2 += 1 } else { a.1 += 1 }
                    }
                }
                faced += usize::from(any);
            }
            (faced > 0).then(|| Decision { title: inj.title.clone(), faced, answers })
        })
        .collect();
    let lessons = sc
        .lessons
        .iter()
        .map(|l| LessonUse {
            id: l.id.clone(),
            claim: l.claim.clone(),
            did: moves.iter().filter(|log| !l.added.is_empty() && l.added.iter().all(|a| did(log, *a))).count(),
        })
        .collect();
    let roles = sc
        .roles
        .iter()
        .map(|r| {
            let by = |kind: &dyn Fn(&DeedKind) -> bool| {
                teams.iter().flat_map(|t| &t.deeds).filter(|d| d.roles.contains(&r.id) && kind(&d.kind)).count()
            };
            RoleUse {
                label: r.label.clone(),
                made: by(&|k| *k == DeedKind::Made),
                proposed: by(&|k| *k == DeedKind::Proposed),
                accepted: by(&|k| matches!(k, DeedKind::Accepted { .. })),
                declined: by(&|k| matches!(k, DeedKind::Declined { .. })),
            }
        })
        .collect();
    let records = teams
        .iter()
        .filter(|t| !t.deeds.is_empty())
        .map(|t| {
            let lines = t.deeds.iter().map(|d| deed_line(sc, d, tr)).collect();
            (t.session.clone(), t.team.clone(), lines)
        })
        .collect();
    Ok(Cohort {
        roles,
        records,
        unfinished: teams.iter().filter(|t| !t.game.is_finished()).count(),
        title: sc.meta.title.clone(),
        sessions: sessions.len(),
        teams: ranked,
        measures,
        decisions,
        lessons,
        turns: sc.turns.iter().map(|t| t.label.clone()).collect(),
    })
}

/// A game's log with the turn of each entry.
fn by_turn(game: &Game) -> Vec<(usize, &Outcome)> {
    let mut turn = 0;
    game.log()
        .iter()
        .map(|o| {
            if let Outcome::TurnStarted { turn: t } = o {
                turn = usize::from(*t);
            }
            (turn, o)
        })
        .collect()
}

/// Whether a game's log holds `move` made by its turn (a decision: answered that way at all).
fn did(log: &[(usize, &Outcome)], (by, action): (usize, Action)) -> bool {
    log.iter().any(|(turn, o)| match (action, o) {
        (Action::Take(m), Outcome::MitigationTaken { mitigation, .. }) => *mitigation == m && *turn <= by,
        (Action::Stop(m), Outcome::MitigationStopped { mitigation }) => *mitigation == m && *turn <= by,
        (Action::Choose(i, o), Outcome::DecisionMade { inject, option, .. }) => *inject == i && *option == o,
        _ => false,
    })
}

/// A share in words: "3 of 8 (38%)".
fn share(tr: &Tr, n: usize, of: usize) -> String {
    let pct = if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 };
    t!(tr, "cohort-share", n = n, of = of, pct = tr.number(pct, 0))
}

/// The first turns on which teams took a measure, in words: "24 - 29 Jun: 2, 1 Jul: 1".
fn turns_text(c: &Cohort, m: &Measure) -> String {
    m.first_turn
        .iter()
        .zip(&c.turns)
        .filter(|(n, _)| **n > 0)
        .map(|(n, label)| format!("{label}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report of a cohort, in the language of `tr` (the scenario's texts in its own).
pub fn render(c: &Cohort, tr: &Tr) -> Report {
    let n = c.teams.len();
    let totals: Vec<f64> = c.teams.iter().map(|t| t.2.total).collect();
    let mean = totals.iter().sum::<f64>() / n.max(1) as f64;
    let median = {
        let mut s = totals.clone();
        s.sort_by(f64::total_cmp);
        if s.is_empty() { 0.0 } else { (s[(s.len() - 1) / 2] + s[s.len() / 2]) / 2.0 }
    };
    let heading = t!(tr, "cohort-title", title = c.title.as_str());
    let summary = t!(
        tr,
        "cohort-summary",
        teams = n,
        sessions = c.sessions,
        mean = tr.number(mean, 1),
        median = tr.number(median, 1),
        low = tr.number(totals.last().copied().unwrap_or(0.0), 1),
        high = tr.number(totals.first().copied().unwrap_or(0.0), 1)
    );
    let (h_teams, h_measures, h_decisions, h_lessons) =
        (t!(tr, "cohort-teams"), t!(tr, "cohort-measures"), t!(tr, "cohort-decisions"), t!(tr, "cohort-lessons"));
    // Markdown.
    let summary =
        if c.unfinished > 0 { format!("{summary} {}", t!(tr, "cohort-unfinished", n = c.unfinished)) } else { summary };
    let mut md = format!("# {heading}\n\n{summary}\n\n## {h_teams}\n\n");
    let _ = writeln!(
        md,
        "| # | {} | {} | {} |\n|---|---|---|---|",
        t!(tr, "cohort-col-team"),
        t!(tr, "cohort-col-score"),
        t!(tr, "cohort-col-grade")
    );
    for (k, (session, team, s)) in c.teams.iter().enumerate() {
        let _ = writeln!(md, "| {} | {team} ({session}) | {} | {} |", k + 1, tr.number(s.total, 1), s.grade);
    }
    let _ = writeln!(
        md,
        "\n## {h_measures}\n\n| {} | {} | {} |\n|---|---|---|",
        t!(tr, "cohort-col-measure"),
        t!(tr, "cohort-col-taken"),
        t!(tr, "cohort-col-first-turn")
    );
    for m in &c.measures {
        let _ = writeln!(md, "| {} | {} | {} |", m.label, share(tr, m.taken, n), turns_text(c, m));
    }
    let _ = writeln!(md, "\n## {h_decisions}\n");
    if c.decisions.is_empty() {
        let _ = writeln!(md, "{}\n", t!(tr, "cohort-no-decisions"));
    }
    for d in &c.decisions {
        let _ = writeln!(md, "**{}** ({})\n", d.title, t!(tr, "cohort-faced", n = d.faced));
        for (label, chosen, by_default) in &d.answers {
            let mut line = format!("- {label}: {}", share(tr, chosen + by_default, d.faced));
            if *by_default > 0 {
                let _ = write!(line, " ({})", t!(tr, "cohort-by-default", n = *by_default));
            }
            let _ = writeln!(md, "{line}");
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## {h_lessons}\n");
    for l in &c.lessons {
        let _ = writeln!(md, "- {} — **{}** (`{}`)", l.claim, t!(tr, "cohort-did", share = share(tr, l.did, n)), l.id);
    }
    let h_roles = t!(tr, "cohort-roles");
    if !c.roles.is_empty() {
        let _ = writeln!(
            md,
            "\n## {h_roles}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            t!(tr, "cohort-col-role"),
            t!(tr, "cohort-col-made"),
            t!(tr, "cohort-col-proposed"),
            t!(tr, "cohort-col-accepted"),
            t!(tr, "cohort-col-declined")
        );
        for r in &c.roles {
            let _ = writeln!(md, "| {} | {} | {} | {} | {} |", r.label, r.made, r.proposed, r.accepted, r.declined);
        }
        for (session, team, lines) in &c.records {
            let _ = writeln!(md, "\n### {}\n", t!(tr, "cohort-record", team = format!("{team} ({session})")));
            for l in lines {
                let _ = writeln!(md, "- {l}");
            }
        }
    }
    // HTML.
    let mut html = html_head(tr, &esc(&heading));
    let _ = write!(html, "<h1>{}</h1><p>{}</p><h2>{}</h2>", esc(&heading), esc(&summary), esc(&h_teams));
    let scores: Vec<(String, f64)> =
        c.teams.iter().map(|(session, team, s)| (format!("{team} ({session}) · {}", s.grade), s.total)).collect();
    html.push_str(&bars(&scores, 100.0, &|v| tr.number(v, 1)));
    let _ = write!(html, "<h2>{}</h2>", esc(&h_measures));
    let taken: Vec<(String, f64)> = c.measures.iter().map(|m| (m.label.clone(), m.taken as f64)).collect();
    html.push_str(&bars(&taken, n as f64, &|v| share(tr, v as usize, n)));
    let _ = write!(
        html,
        "<table><tr><th>{}</th><th>{}</th></tr>",
        esc(&t!(tr, "cohort-col-measure")),
        esc(&t!(tr, "cohort-col-first-turn"))
    );
    for m in c.measures.iter().filter(|m| m.taken > 0) {
        let _ = write!(html, "<tr><td>{}</td><td>{}</td></tr>", esc(&m.label), esc(&turns_text(c, m)));
    }
    let _ = write!(html, "</table><h2>{}</h2>", esc(&h_decisions));
    if c.decisions.is_empty() {
        let _ = write!(html, "<p>{}</p>", esc(&t!(tr, "cohort-no-decisions")));
    }
    for d in &c.decisions {
        let _ =
            write!(html, "<h3>{} <small>({})</small></h3>", esc(&d.title), esc(&t!(tr, "cohort-faced", n = d.faced)));
        let answers: Vec<(String, f64)> =
            d.answers.iter().map(|(label, chosen, by_default)| (label.clone(), (chosen + by_default) as f64)).collect();
        html.push_str(&bars(&answers, d.faced as f64, &|v| share(tr, v as usize, d.faced)));
    }
    let _ = write!(html, "<h2>{}</h2><table>", esc(&h_lessons));
    for l in &c.lessons {
        let _ = write!(
            html,
            "<tr><td>{} <small>({})</small></td><td>{}</td></tr>",
            esc(&l.claim),
            esc(&l.id),
            esc(&t!(tr, "cohort-did", share = share(tr, l.did, n)))
        );
    }
    html.push_str("</table>");
    if !c.roles.is_empty() {
        let _ = write!(
            html,
            "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(&h_roles),
            esc(&t!(tr, "cohort-col-role")),
            esc(&t!(tr, "cohort-col-made")),
            esc(&t!(tr, "cohort-col-proposed")),
            esc(&t!(tr, "cohort-col-accepted")),
            esc(&t!(tr, "cohort-col-declined"))
        );
        for r in &c.roles {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.label),
                r.made,
                r.proposed,
                r.accepted,
                r.declined
            );
        }
        html.push_str("</table>");
        for (session, team, lines) in &c.records {
            let _ =
                write!(html, "<h3>{}</h3><ul>", esc(&t!(tr, "cohort-record", team = format!("{team} ({session})"))));
            for l in lines {
                let _ = write!(html, "<li>{}</li>", esc(l));
            }
            html.push_str("</ul>");
        }
    }
    html.push_str("</body></html>\n");
    Report { markdown: md, html }
}

/// Horizontal bars, one per item, scaled to `max`, each labelled and with its value in words.
fn bars(items: &[(String, f64)], max: f64, words: &dyn Fn(f64) -> String) -> String {
    let (w, row, label_w) = (760.0, 22.0, 300.0);
    let h = row * items.len() as f64 + 4.0;
    let mut svg = format!(r#"<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">"#);
    for (k, (label, v)) in items.iter().enumerate() {
        let y = 2.0 + row * k as f64;
        let len = if max > 0.0 { (w - label_w - 140.0) * (v / max).clamp(0.0, 1.0) } else { 0.0 };
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="13">{}</text><rect x="{label_w}" y="{}" width="{len:.1}" height="{}" fill="#3b82f6"/><text x="{}" y="{}" font-size="13">{}</text>"##,
            label_w - 6.0,
            y + 15.0,
            esc(label),
            y + 3.0,
            row - 6.0,
            label_w + len + 6.0,
            y + 15.0,
            esc(&words(*v))
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::sim::MitigationIdx;
    use crate::sim::play::step::Step;

    #[test]
    fn a_cohort_counts_what_each_team_did() {
        let sc = Arc::new(crate::sim::bundled::seven_pay().expect("7pay").scenario);
        let m = |id: &str| sc.mitigation_index(id).expect(id);
        let team = |name: &str, moves: &[MitigationIdx]| {
            let mut game = Game::new(Arc::clone(&sc), 3);
            for mv in moves {
                game.act(Action::Take(*mv)).expect("taken");
            }
            while !game.is_finished() {
                game.end_turn();
            }
            CohortTeam { session: "s1".into(), team: name.into(), game, deeds: Vec::new() }
        };
        let teams = [
            team("Red", &[m("add_capacity"), m("brief_stores")]),
            team("Blue", &[m("add_capacity")]),
            team("Green", &[]),
        ];
        let tr = crate::i18n::Lang::En.tr();
        let c = cohort(&teams, tr).expect("one scenario");
        let measure = |id: &str| &c.measures[m(id).ix()];
        assert_eq!((measure("add_capacity").taken, measure("add_capacity").first_turn[0]), (2, 2));
        assert_eq!(measure("brief_stores").taken, 1);
        assert_eq!(measure("fix_password_reset").taken, 0);
        // Every team met the press conference (or whatever decisions fired) and answered
        // each by default: the counts add up to the teams that faced it.
        for d in &c.decisions {
            assert_eq!(d.answers.iter().map(|a| a.1 + a.2).sum::<usize>(), d.faced, "{}", d.title);
        }
        assert!(c.decisions.iter().any(|d| d.faced == 3));
        assert_eq!(c.teams.len(), 3);
        assert!(c.teams.windows(2).all(|w| w[0].2.total >= w[1].2.total), "best first");
        // Nobody took 2FA: the lessons about it are done by no team.
        let two_fa = c.lessons.iter().filter(|l| {
            sc.lessons.iter().any(|x| x.id == l.id && x.added.iter().any(|(_, a)| *a == Action::Take(m("two_factor"))))
        });
        assert!(two_fa.clone().count() > 0 && two_fa.clone().all(|l| l.did == 0));
        let r = render(&c, crate::i18n::Lang::En.tr());
        assert!(r.markdown.contains("2 of 3 (67%)"), "{}", r.markdown);
        assert!(r.html.contains("<svg") && r.html.contains("Emergency capacity"));
        // A game of another scenario does not join the cohort.
        let clinic = Arc::new(crate::sim::load_str(crate::sim::bundled::BUNDLED[1].1, "clinic").expect("c").scenario);
        let other =
            CohortTeam { session: "s2".into(), team: "X".into(), game: Game::new(clinic, 1), deeds: Vec::new() };
        assert!(matches!(cohort(&[teams[0].clone(), other], tr), Err(CohortError::Mixed(..))));
        assert_eq!(cohort(&[], tr).err(), Some(CohortError::Empty));
        // Without a record, the roles are listed with nothing done; with one, each role's
        // deeds are counted and the team's record says who did what, when.
        assert!(c.roles.iter().all(|r| r.made + r.proposed + r.accepted + r.declined == 0) && c.records.is_empty());
        let deed = |who: &str, roles: &[&str], kind: DeedKind, id: &str| Deed {
            at_ms: 9 * 3_600_000 + 5 * 60_000,
            turn: 4,
            who: who.into(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            kind,
            step: Step::Take { mitigation: id.into() },
        };
        let mut red = teams[0].clone();
        red.deeds = vec![
            deed("Ken", &["engineering"], DeedKind::Made, "velocity_rules"),
            deed("Ken", &["engineering"], DeedKind::Proposed, "warn_users"),
            deed("Aiko", &["comms", "support"], DeedKind::Accepted { proposer: "Ken".into() }, "warn_users"),
        ];
        let c = cohort(&[red, teams[1].clone()], tr).expect("one scenario");
        let role = |label: &str| c.roles.iter().find(|r| r.label == label).expect(label);
        let eng = role("Engineering and security");
        assert_eq!((eng.made, eng.proposed, eng.accepted), (1, 1, 0));
        assert_eq!(role("Communications").accepted, 1);
        assert_eq!(role("Customer and store support").accepted, 1, "a player of two roles acts for both");
        assert_eq!(role("Incident lead").made, 0);
        assert_eq!(c.records.len(), 1);
        let r = render(&c, tr);
        assert!(
            r.markdown.contains("Wed 3 Jul 09:05 UTC · Aiko (Communications, Customer and store support) · accepted"),
            "{}",
            r.markdown
        );
        assert!(r.markdown.contains("proposed by Ken") && r.html.contains("Fraud velocity rules"));
        // The workshop report from the dashboard says it too, under the team.
        let with = |deeds: Vec<Deed>| crate::sim::present::teams::TeamGame {
            team: "Red".into(),
            game: teams[0].game.clone(),
            deeds,
        };
        let deeds = vec![deed("Ken", &["engineering"], DeedKind::Proposed, "warn_users")];
        let w = crate::sim::present::report::workshop(&[with(deeds), with(Vec::new())], tr).expect("one scenario");
        assert_eq!(w.markdown.matches("## Who did what at the table").count(), 1, "only the team with a record");
        assert!(w.markdown.contains("Ken (Engineering and security) · proposed take “Tell users"), "{}", w.markdown);
        assert!(w.html.contains("Who did what at the table"));
    }
}
