//! Scenarios in several languages: a translation gives texts by id while the model exists
//! once, `ttx check` places what is missing or names nothing at file:line:col, and the same
//! seed and moves play the same game in every language.

use std::sync::Arc;

use ttx::sim::author::translate::template;
use ttx::sim::play::save::SaveFile;
use ttx::sim::play::score;
use ttx::sim::{Diagnostic, Game, Scenario, Severity, load_str};

const TEMPLATE: &str = include_str!("../scenarios/template.ron");

/// `src` with `entries` as its `translations:` (before the scenario's closing parenthesis).
fn with_translations(src: &str, entries: &str) -> String {
    let end = src.rfind(')').expect("a closing parenthesis");
    let body = src[..end].trim_end();
    let comma = if body.ends_with(',') { "" } else { "," };
    format!("{body}{comma}\n    translations: [{entries}],\n)\n")
}

fn base() -> Scenario {
    load_str(TEMPLATE, "template.ron").expect("the template loads").scenario
}

/// A complete translation of the template: every text of the template, marked.
fn full_entry() -> String {
    let sc = base();
    let skeleton = template(&sc, "ja").expect("a template writes");
    // Mark every string value except ids and the language (a stand-in for real Japanese).
    let mut out = String::new();
    for line in skeleton.lines() {
        let keep = ["id:", "language:", "grade:", "metric:"].iter().any(|k| line.trim_start().starts_with(k));
        match line.find('"') {
            Some(q) if !keep && !line[q..].starts_with("\"\"") => {
                out.push_str(&line[..=q]);
                out.push_str("訳: ");
                out.push_str(&line[q + 1..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn translation_warnings(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.path.starts_with("translations")).collect()
}

#[test]
fn a_complete_translation_is_clean_and_changes_only_texts() {
    let src = with_translations(TEMPLATE, &full_entry());
    let loaded = load_str(&src, "template.ron").expect("loads");
    assert!(translation_warnings(&loaded.warnings).is_empty(), "{:#?}", translation_warnings(&loaded.warnings));
    let sc = loaded.scenario;
    assert_eq!(sc.languages(), vec!["en", "ja"]);
    let ja = sc.localized("ja").expect("has Japanese");
    assert_eq!(ja.meta.language, "ja");
    assert!(ja.meta.title.starts_with("訳: "), "{}", ja.meta.title);
    assert!(ja.mitigations.iter().all(|m| m.label.starts_with("訳: ")));
    assert!(ja.turns.iter().all(|t| t.label.starts_with("訳: ")));
    // The model is untouched: same ids, costs, fingerprint.
    assert_eq!(ja.fingerprint, sc.fingerprint);
    assert!(ja.mitigations.iter().zip(&sc.mitigations).all(|(a, b)| a.id == b.id && a.lead_days == b.lead_days));
    // And back: English from the Japanese copy is the original.
    let en = ja.localized("en").expect("has English");
    assert_eq!(en.meta.title, sc.meta.title);
    assert!(sc.localized("fr").is_none());
}

#[test]
fn the_same_seed_and_moves_give_the_same_log_and_score_in_both_languages() {
    let src = with_translations(TEMPLATE, &full_entry());
    let sc = load_str(&src, "template.ron").expect("loads").scenario;
    let ja = Arc::new(sc.localized("ja").expect("ja"));
    let en = Arc::new(sc);
    let play = |s: &Arc<Scenario>| {
        let mut g = Game::new(Arc::clone(s), 11);
        let mut bot = ttx::sim::RandomBot::new(5);
        while !g.is_finished() {
            bot.act(&mut g);
            g.end_turn();
        }
        g
    };
    let (a, b) = (play(&en), play(&ja));
    assert_eq!(format!("{:?}", a.log()), format!("{:?}", b.log()));
    let (sa, sb) = (score::score(&a), score::score(&b));
    assert_eq!(sa.total.to_bits(), sb.total.to_bits());
    assert_eq!(sa.grade, sb.grade);
    assert_ne!(sa.verdict, sb.verdict, "the verdict is a text, translated");
}

#[test]
fn a_save_made_in_one_language_resumes_in_the_other_but_not_on_another_scenario() {
    let sc = load_str(SEVEN_PAY, "7pay-launch-week.ron").expect("7pay loads").scenario;
    let ja = Arc::new(sc.localized("ja").expect("ja"));
    let en = Arc::new(sc);
    let mut g = Game::new(Arc::clone(&ja), 3);
    let mut bot = ttx::sim::RandomBot::new(8);
    for _ in 0..4 {
        bot.act(&mut g);
        g.end_turn();
    }
    let save = SaveFile::of(&g);
    assert_eq!(save.scenario_title, ja.meta.title, "kept under the title it was played under");
    for target in [&en, &ja] {
        let resumed = save.resume(target).expect("resumes in either language");
        assert_eq!(format!("{:?}", resumed.log()), format!("{:?}", g.log()));
        assert_eq!(resumed.scenario().meta.title, target.meta.title);
    }
    // A title that is none of the scenario's is still refused.
    let mut edited = save.clone();
    edited.scenario_title = "セブンペイ（別物）".into();
    let err = edited.resume(&en).expect_err("another title");
    assert!(err.to_string().contains("セブンペイ（別物）"), "{err}");
}

#[test]
fn a_removed_text_is_reported_where_it_belongs() {
    let entry = full_entry();
    // Take out the first card's description.
    let at = entry.find("mitigations: [").expect("cards");
    let desc = at + entry[at..].find("description:").expect("a description");
    let end = desc + entry[desc..].find('\n').expect("eol");
    let removed = format!("{}{}", &entry[..desc], &entry[end + 1..]);
    let src = with_translations(TEMPLATE, &removed);
    let loaded = load_str(&src, "template.ron").expect("loads with warnings");
    let w = translation_warnings(&loaded.warnings);
    assert_eq!(w.len(), 1, "{w:#?}");
    let card = &base().mitigations[0].id;
    assert!(
        w[0].message.contains(&format!("mitigation `{card}`")) && w[0].message.contains("`description`"),
        "{}",
        w[0].message
    );
    assert_eq!(w[0].severity, Severity::Warning);
    assert!(w[0].path.starts_with("translations[0].mitigations[0]"), "{}", w[0].path);
    // The line is the card's entry in the translation.
    let line = src.lines().nth(w[0].line - 1).expect("line");
    assert!(line.trim_start().starts_with('('), "{line:?} at {}:{}", w[0].line, w[0].col);
    assert!(src.lines().nth(w[0].line).is_some_and(|l| l.contains(&format!("\"{card}\""))));
}

#[test]
fn texts_for_unknown_items_and_twice_given_languages_are_reported() {
    let sc = base();
    let card = &sc.mitigations[0].id;
    let typo = format!("{card}x");
    let entry = full_entry().replacen(&format!("id: \"{card}\""), &format!("id: \"{typo}\""), 1);
    let src = with_translations(TEMPLATE, &entry);
    let loaded = load_str(&src, "template.ron").expect("loads");
    let w = translation_warnings(&loaded.warnings);
    let unknown = w.iter().find(|d| d.message.contains(&format!("no mitigation `{typo}`"))).expect("reported");
    assert!(unknown.hint.as_deref().is_some_and(|h| h.contains(card.as_str())), "{unknown:?}");
    assert!(src.lines().nth(unknown.line - 1).is_some_and(|l| l.contains(&typo)));
    // Its real card now lacks texts.
    assert!(w.iter().any(|d| d.message.contains(&format!("mitigation `{card}`"))));

    let twice = with_translations(TEMPLATE, &format!("{}, {}", full_entry(), full_entry()));
    let errors = load_str(&twice, "template.ron").expect_err("an error");
    assert!(errors.0.iter().any(|d| d.path == "translations[1].language" && d.message.contains("twice")));
}

#[test]
fn untranslated_items_are_listed_at_the_language() {
    let src = with_translations(TEMPLATE, "(language: \"ja\", title: \"訳\")");
    let loaded = load_str(&src, "template.ron").expect("loads");
    let w = translation_warnings(&loaded.warnings);
    let sc = base();
    // One warning per item with texts; none for the title, which is given.
    assert!(w.len() >= sc.mitigations.len() + sc.turns.len(), "{}", w.len());
    assert!(w.iter().all(|d| d.message.starts_with("no `ja` text for")));
    assert!(!w.iter().any(|d| d.message.contains("`title`") && d.message.contains("the scenario")));
    let ja = loaded.scenario.localized("ja").expect("ja");
    assert_eq!(ja.meta.title, "訳");
    assert_eq!(ja.mitigations[0].label, sc.mitigations[0].label, "untranslated texts fall back");
}

const SEVEN_PAY: &str = include_str!("../scenarios/7pay-launch-week.ron");

#[test]
fn seven_pay_is_complete_in_japanese_and_a_removed_text_is_caught() {
    let loaded = load_str(SEVEN_PAY, "7pay-launch-week.ron").expect("7pay loads");
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
    assert_eq!(loaded.scenario.languages(), vec!["en", "ja"]);
    let ja = loaded.scenario.localized("ja").expect("Japanese");
    let two_factor = ja.mitigations.iter().find(|m| m.id == "two_factor").expect("the 2FA card");
    assert_eq!(two_factor.label, "二段階認証を導入");
    // Every text the English has, the Japanese has, in Japanese.
    let english = ttx::sim::author::translate::slots(&loaded.scenario);
    for ((slot, en), (_, jp)) in english.iter().zip(ttx::sim::author::translate::slots(&ja)) {
        if en.chars().any(char::is_alphabetic) && !matches!(slot, ttx::sim::scenario::Slot::MetricUnit(_)) {
            assert!(
                jp.chars().any(|c| ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c)),
                "{slot:?}: {jp}"
            );
        }
    }

    // A facilitator deletes the Japanese text of the fraud report's event.
    let at = SEVEN_PAY.find("translations: [").expect("translations");
    let needle = "id: \"first_unrecognised\"";
    let entry = at + SEVEN_PAY[at..].find(needle).expect("the inject's Japanese entry");
    let text = entry + SEVEN_PAY[entry..].find("text:").expect("its text");
    let eol = text + SEVEN_PAY[text..].find('\n').expect("eol");
    let edited = format!("{}{}", &SEVEN_PAY[..text], &SEVEN_PAY[eol + 1..]);
    let loaded = load_str(&edited, "7pay-launch-week.ron").expect("still loads");
    assert_eq!(loaded.warnings.len(), 1, "{:#?}", loaded.warnings);
    let w = &loaded.warnings[0];
    assert_eq!(w.message, "no `ja` text for inject `first_unrecognised`: `text`");
    assert_eq!(edited.lines().nth(w.line).map(str::trim), Some(needle).map(|n| format!("{n},")).as_deref());
}

#[test]
fn the_report_speaks_the_scenarios_language_with_units() {
    let sc = load_str(SEVEN_PAY, "7pay-launch-week.ron").expect("7pay loads").scenario;
    let mut g = Game::new(Arc::new(sc.localized("ja").expect("ja")), 4);
    while !g.is_finished() {
        g.end_turn();
    }
    let md = ttx::sim::present::report::build(&g, ttx::i18n::Lang::Ja.tr()).markdown;
    assert!(md.starts_with("# 事後レポート：7pay：サービス開始の一週間"), "{}", &md[..200.min(md.len())]);
    let victims = score::score(&g).components.iter().find(|c| c.id == "victims").expect("victims").value;
    let row = format!("| 不正利用の被害者 | {}人 |", ttx::i18n::Lang::Ja.tr().number(victims, 0));
    assert!(md.contains(&row), "{row} in {md}");
    assert!(md.lines().any(|l| l.starts_with("| 不正利用の被害額 |") && l.contains("円 |")), "{md}");
}
