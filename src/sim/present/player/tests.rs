//! Tests of the players' views: what each role sees, and nothing the facilitator keeps.

use std::sync::Arc;

use super::*;
use crate::i18n::Lang;
use crate::sim::play::bot::RandomBot;

/// Over whole 7pay games, in both languages, the turn view a player receives holds no
/// facilitator's note, no word of an inject that has not reached the team, and nothing
/// of a hidden metric; and it reads back from JSON as it was written.
#[test]
fn a_turn_view_holds_nothing_the_facilitator_keeps() {
    let sc = Arc::new(crate::sim::bundled::seven_pay().expect("7pay").scenario);
    let hidden: Vec<&str> = sc.metrics.iter().filter(|m| !m.visible).map(|m| m.label.as_str()).collect();
    assert!(hidden.len() >= 5, "7pay keeps metrics hidden: {hidden:?}");
    // Texts long enough to be the scenario's own words, not a common word.
    let long = |t: &str| t.chars().count() >= 24;
    let notes: Vec<&str> = sc.injects.iter().map(|i| i.facilitator_notes.as_str()).filter(|t| long(t)).collect();
    assert!(notes.len() >= 10, "7pay has facilitator notes: {}", notes.len());
    for (seed, lang) in [(1, Lang::En), (2, Lang::Ja), (3, Lang::En)] {
        let sc = Arc::new(sc.in_language(lang.tag()));
        let tr = lang.tr();
        let mut game = Game::new(Arc::clone(&sc), seed);
        let mut bot = RandomBot::new(seed);
        let mut seen_fired = 0;
        let briefing = serde_json::to_string(&briefing_view(&game, tr)).expect("JSON");
        for m in sc.metrics.iter().filter(|m| !m.visible) {
            assert!(!briefing.contains(&m.label), "hidden metric “{}” in the briefing", m.label);
        }
        while !game.is_finished() {
            bot.act(&mut game);
            let summary = game.turn().checked_sub(1).and_then(|t| summary_view(&game, t, tr));
            let json = serde_json::to_string(&(turn_view(&game, tr), &summary)).expect("JSON");
            let back: (TurnView, Option<TurnSummary>) = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back.1, summary);
            let back = back.0;
            assert_eq!(back, turn_view(&game, tr));
            assert_eq!(back.metrics.len(), sc.metrics.len() - hidden.len(), "only the visible metrics");
            for note in sc.injects.iter().map(|i| i.facilitator_notes.as_str()).filter(|t| long(t)) {
                assert!(!json.contains(note), "a facilitator's note reached the players: {note}");
            }
            for (k, inj) in sc.injects.iter().enumerate() {
                let fired = game.fired_count(InjectIdx::at(k)) > 0;
                seen_fired += usize::from(fired);
                if !fired && long(&inj.text) {
                    assert!(!json.contains(&inj.text), "turn {}: “{}” has not fired", game.turn(), inj.id);
                }
            }
            for m in sc.metrics.iter().filter(|m| !m.visible) {
                assert!(!json.contains(&m.label), "hidden metric “{}” shown", m.label);
            }
            game.end_turn();
        }
        assert!(seen_fired > 0, "injects fired, so the check saw words that may be shown");
        // The debrief: no facilitator's note, no word of an inject that never fired.
        let history = crate::sim::play::score::historical(&sc, seed);
        let hs = history.as_ref().map(crate::sim::play::score::score);
        let score = crate::sim::play::score::score(&game);
        let choices = crate::sim::play::score::choice_values(&game);
        let v = debrief_view(&game, &score, history.as_ref().zip(hs.as_ref()), &choices, tr);
        let json = serde_json::to_string(&v).expect("JSON");
        assert_eq!(serde_json::from_str::<DebriefView>(&json).expect("reads back"), v);
        assert!(v.history.is_some() && !v.components.is_empty() && !v.questions.is_empty());
        for note in sc.injects.iter().map(|i| i.facilitator_notes.as_str()).filter(|t| long(t)) {
            assert!(!json.contains(note), "a facilitator's note in the debrief: {note}");
        }
        for (k, inj) in sc.injects.iter().enumerate() {
            if game.fired_count(InjectIdx::at(k)) == 0 && long(&inj.text) {
                assert!(!json.contains(&inj.text), "“{}” never fired", inj.id);
            }
        }
    }
}

/// 7pay's roles: each role's players see the injects addressed to them and not those
/// addressed to other roles; the moves another role owns are offered as proposals; the
/// whole game (None) sees everything; a scenario without roles is the same for any seat.
#[test]
fn each_role_sees_its_own_injects_and_proposes_what_others_own() {
    let sc = Arc::new(crate::sim::bundled::seven_pay().expect("7pay").scenario);
    let role = |id: &str| RoleIdx::at(sc.roles.iter().position(|r| r.id == id).expect(id));
    let inject = |id: &str| sc.injects.iter().find(|i| i.id == id).expect(id);
    let (support, engineering, comms) = (role("support"), role("engineering"), role("comms"));
    let tr = Lang::En.tr();
    let mut game = Game::new(Arc::clone(&sc), 7);
    // To day two: the store lottery (support's) and the review (engineering's) have fired.
    while game.turn() < 3 {
        game.end_turn();
    }
    let text = |v: &PlayerView| serde_json::to_string(v).expect("JSON");
    let (lottery, review) = (&inject("lottery_clash").text, &inject("security_review").text);
    let as_support = text(&player_view_for(&game, None, tr, Some(&[support])));
    let as_engineer = text(&player_view_for(&game, None, tr, Some(&[engineering])));
    let as_both = text(&player_view_for(&game, None, tr, Some(&[support, engineering])));
    let everyone = text(&player_view(&game, None, tr));
    assert!(as_support.contains(lottery.as_str()) && !as_support.contains(review.as_str()));
    assert!(as_engineer.contains(review.as_str()) && !as_engineer.contains(lottery.as_str()));
    for both in [&as_both, &everyone] {
        assert!(both.contains(lottery.as_str()) && both.contains(review.as_str()));
    }
    // Cards: the owner's players act, the others propose.
    let v = turn_view_for(&game, tr, Some(&[comms]));
    let card =
        |v: &TurnView, id: &str| v.cards.iter().find(|c| sc.mitigations[c.index.ix()].id == id).cloned().expect(id);
    let (warn, two_factor) = (card(&v, "warn_users"), card(&v, "two_factor"));
    assert_eq!(warn.owner.as_deref(), Some("Communications"));
    assert!(!warn.propose && warn.button.label == "Take");
    assert!(two_factor.propose && two_factor.button.label == "Propose");
    assert_eq!(v.roles, ["Communications"]);
    let all = turn_view(&game, tr);
    assert!(all.cards.iter().all(|c| !c.propose) && all.roles.is_empty());
    // The briefing: a role's own brief, not the others'.
    let b = briefing_view_for(&game, tr, Some(&[comms]));
    let brief = |id: &str| b.roles.iter().find(|r| r.id == id).expect(id);
    assert!(brief("comms").held && brief("comms").briefing.as_deref() == Some(sc.roles[comms.ix()].briefing.as_str()));
    assert!(!brief("engineering").held && brief("engineering").briefing.is_none());
    assert!(briefing_view(&game, tr).roles.iter().all(|r| r.briefing.is_some()));
    // Without roles, a seat changes nothing.
    let clinic = Arc::new(
        crate::sim::load_str(include_str!("../../../../scenarios/clinic-ransomware.ron"), "c")
            .expect("clinic")
            .scenario,
    );
    assert!(clinic.roles.is_empty());
    let mut g = Game::new(clinic, 3);
    g.end_turn();
    assert_eq!(player_view_for(&g, None, tr, Some(&[])), player_view(&g, None, tr));
}

/// The timeline holds every turn in order with its length, and each turn's moves only once
/// they are made: a card taken on the first turn is on the first turn, nowhere else.
#[test]
fn the_timeline_holds_every_turn_and_the_moves_made_in_each() {
    let sc = Arc::new(crate::sim::bundled::seven_pay().expect("7pay").scenario);
    let tr = Lang::En.tr();
    let mut game = Game::new(Arc::clone(&sc), 1);
    let v = turn_view(&game, tr);
    let labels: Vec<&str> = v.timeline.iter().map(|t| t.label.as_str()).collect();
    let expected: Vec<&str> = sc.turns.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, expected);
    assert_eq!(v.timeline[0].days, sc.turns[0].days);
    assert!(v.timeline.iter().all(|t| t.moves.is_empty()), "nothing played yet");
    let card = sc.mitigations.iter().position(|m| m.id == "brief_stores").expect("the card");
    let take = Action::Take(MitigationIdx::at(card));
    game.act(take).expect("taken");
    game.end_turn();
    let v = turn_view(&game, tr);
    assert_eq!(v.timeline[0].moves, vec![view::action_text(&sc, take, tr)]);
    assert!(v.timeline[1..].iter().all(|t| t.moves.is_empty()), "{:?}", v.timeline);
}
