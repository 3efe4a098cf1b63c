//! Tests of the typed views: built from a played game of the bundled scenario.

use std::sync::Arc;

use super::*;
use crate::i18n::Lang;
use crate::sim::bundled::seven_pay;

fn game() -> Game {
    Game::new(Arc::new(seven_pay().expect("the bundled scenario loads").scenario), 7)
}

#[test]
fn every_log_entry_that_players_see_has_words() {
    let mut g = game();
    let sc = Arc::clone(g.scenario());
    let mut bot = crate::sim::RandomBot::new(3);
    g.note("because").expect("noted");
    bot.play(&mut g);
    for o in g.log() {
        let shown = line(&sc, o, Lang::En.tr()).is_some();
        let bookkeeping = matches!(
            o,
            Outcome::TurnStarted { .. }
                | Outcome::MetricChanged { .. }
                | Outcome::EffectSkipped { .. }
                | Outcome::Spent { .. }
                | Outcome::TurnEnded { .. }
                | Outcome::GameEnded
        );
        assert_eq!(shown, !bookkeeping, "{o:?}");
    }
    let tl = timeline(&g, Lang::En.tr());
    assert_eq!(tl.len(), sc.turns.len());
    assert_eq!(tl[0].1.iter().filter(|l| l.kind == LineKind::Note).count(), 1);
    assert!(tl[0].1.iter().any(|l| l.text == "Why: because"));
}

#[test]
fn card_buttons_follow_the_engine() {
    let mut g = game();
    let sc = Arc::clone(g.scenario());
    let toggle_card = sc.mitigations.iter().position(|m| m.kind == Kind::Toggle).expect("a toggle");
    let one_shot = sc.mitigations.iter().position(|m| m.kind == Kind::OneShot).expect("a one-shot");
    for k in [toggle_card, one_shot] {
        let m = MitigationIdx::at(k);
        let before = card(&g, m, Lang::En.tr());
        assert_eq!(before.button.enabled, g.check_action(Action::Take(m)).is_ok());
        if !before.button.enabled {
            continue;
        }
        g.act(before.button.action).expect("taken");
        let taken = card(&g, m, Lang::En.tr());
        assert_eq!((taken.button.label.as_str(), taken.button.action), ("Take back", Action::Stop(m)));
        assert_eq!(toggle(&g, m), Action::Stop(m));
    }
    // Next turn: a running toggle can be switched off, a one-shot cannot be taken back.
    g.end_turn();
    let t = card(&g, MitigationIdx::at(toggle_card), Lang::En.tr());
    if matches!(t.badge, Badge::Active | Badge::From(_) | Badge::AtTurnEnd) {
        assert_eq!(t.button.label, "Switch off");
        assert!(t.button.enabled);
    }
    let o = card(&g, MitigationIdx::at(one_shot), Lang::En.tr());
    if matches!(o.badge, Badge::Active | Badge::From(_) | Badge::AtTurnEnd) {
        assert!(!o.button.enabled, "{o:?}");
    }
    for c in cards(&g, Lang::En.tr()) {
        assert_eq!(c.button.enabled, g.check_action(c.button.action).is_ok(), "{}", c.label);
    }
}

#[test]
fn trigger_now_is_the_engine_rule() {
    let mut g = game();
    let rows = inject_rows(&g, Lang::En.tr());
    let row = rows.iter().find(|r| r.can_trigger).expect("something can fire");
    assert_eq!(row.status, "not yet");
    g.intervene(Intervention::Trigger { inject: row.index }).expect("fires");
    let after = inject_rows(&g, Lang::En.tr()).into_iter().find(|r| r.index == row.index).expect("row");
    let repeat = g.scenario().injects[row.index.ix()].repeat;
    let due = g.due_decisions().any(|(d, _)| d == row.index);
    assert_eq!(after.can_trigger, repeat && !due);
    assert_eq!(after.can_trigger, g.check_intervention(&Intervention::Trigger { inject: row.index }).is_ok());
}

#[test]
fn summaries_drivers_and_questions_read_the_log() {
    let mut g = game();
    let sc = Arc::clone(g.scenario());
    crate::sim::RandomBot::new(5).play(&mut g);
    let s = turn_summary(&g, 0, Lang::En.tr()).expect("played");
    assert_eq!(s.label, sc.turns[0].label);
    assert!(s.changes.iter().all(|c| c.why.len() <= 3));
    assert!(turn_summary(&g, sc.turns.len(), Lang::En.tr()).is_none());
    let id = &sc.scoring.components[0].id;
    let d = component_drivers(&g, id, 2, Lang::En.tr());
    assert!(d.len() <= 2 && d.iter().all(|x| x.text.contains(" from ")));
    assert!(component_drivers(&g, "no such component", 2, Lang::En.tr()).is_empty());
    let asked = questions(&g);
    let fired_with_questions = g
        .log()
        .iter()
        .filter(|o| matches!(o, Outcome::InjectFired { inject } if !sc.injects[inject.ix()].questions.is_empty()))
        .count();
    assert!(asked.len() >= fired_with_questions);
}

/// No message id in `text`: every id of the engine's messages is a kebab-case word with
/// one of these prefixes, and no text the players read contains one.
fn assert_no_ids(text: &str) {
    let prefixes = ["card-", "badge-", "line-", "lock-", "cause-", "change-", "driver-", "act-", "unit-"];
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        assert!(!prefixes.iter().any(|p| word.starts_with(p) && word.len() > p.len()), "{word} in {text}");
    }
}

#[test]
fn cards_timelines_and_summaries_speak_japanese() {
    let ja = Lang::Ja.tr();
    let mut g = game();
    let sc = Arc::clone(g.scenario());
    let m = MitigationIdx::all(sc.mitigations.len())
        .find(|&m| g.check_action(Action::Take(m)).is_ok() && sc.mitigations[m.ix()].lead_days > 0.0)
        .expect("a card to take with a lead time");
    let before = card(&g, m, ja);
    assert_eq!(before.button.label, "実施");
    assert!(before.cost.contains("効果発揮まで"), "{}", before.cost);
    if sc.mitigations[m.ix()].money > 0.0 {
        assert!(before.cost.contains('円'), "{}", before.cost);
    }
    g.act(Action::Take(m)).expect("taken");
    g.note("混雑が予想されるため").expect("noted");
    let taken = card(&g, m, ja);
    assert_eq!(taken.button.label, "取り消す");
    let tl = timeline(&g, ja);
    let lines: Vec<&str> = tl.iter().flat_map(|(_, l)| l.iter().map(|x| x.text.as_str())).collect();
    assert!(lines.contains(&format!("「{}」を実施", sc.mitigations[m.ix()].label).as_str()), "{lines:?}");
    assert!(lines.contains(&"理由：混雑が予想されるため"), "{lines:?}");
    crate::sim::RandomBot::new(5).play(&mut g);
    let s = turn_summary(&g, 0, ja).expect("played");
    let mut shown: Vec<String> = vec![before.cost, taken.button.label, before.badge.text(ja)];
    shown.extend(cards(&g, ja).into_iter().flat_map(|c| [c.cost, c.badge.text(ja), c.button.label]));
    shown.extend(cards(&g, ja).into_iter().filter_map(|c| c.button.why));
    shown.extend(timeline(&g, ja).into_iter().flat_map(|(_, l)| l.into_iter().map(|x| x.text)));
    shown.extend(s.happened.iter().map(|l| l.text.clone()));
    shown.extend(s.changes.iter().flat_map(|c| c.why.iter().cloned().chain([c.before.clone(), c.after.clone()])));
    shown.extend(inject_rows(&g, ja).into_iter().map(|r| r.status));
    let id = &sc.scoring.components[0].id;
    shown.extend(component_drivers(&g, id, 3, ja).into_iter().map(|d| d.text));
    if sc.mitigations[m.ix()].money > 0.0 {
        let cost = format!("「{}」の費用", sc.mitigations[m.ix()].label);
        assert!(s.changes.iter().flat_map(|c| &c.why).any(|w| w.contains(&cost)), "{:?}", s.changes);
    }
    for text in &shown {
        assert_no_ids(text);
    }
    // The same game in English reads differently but holds the same numbers.
    let en = turn_summary(&g, 0, Lang::En.tr()).expect("played");
    assert_eq!(en.changes.len(), s.changes.len());
    assert_ne!(
        en.changes.iter().map(|c| &c.why).collect::<Vec<_>>(),
        s.changes.iter().map(|c| &c.why).collect::<Vec<_>>()
    );
}
