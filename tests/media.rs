//! Injects in their own medium: the presentation fields of the scenario format become the
//! feed items the screens draw, with the channel's defaults where a scenario gives none.

use std::sync::Arc;

use ttx::i18n::Lang;
use ttx::sim::present::player::{FeedItem, turn_view};
use ttx::sim::scenario::Medium;
use ttx::sim::{Game, Scenario, load_file, load_str};

fn media() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/media.ron");
    load_file(&path).unwrap_or_else(|d| panic!("tests/data/media.ron must load:\n{d}")).scenario
}

/// The feed after both turns, by inject title.
fn feed(sc: Scenario, lang: Lang) -> Vec<FeedItem> {
    let mut g = Game::new(Arc::new(sc), 1);
    g.end_turn();
    turn_view(&g, lang.tr()).feed.into_iter().flat_map(|t| t.items).collect()
}

fn item<'a>(feed: &'a [FeedItem], title: &str) -> &'a FeedItem {
    feed.iter().find(|i| i.title == title).unwrap_or_else(|| panic!("no `{title}` in the feed"))
}

#[test]
fn the_scenario_loads_without_warnings() {
    let loaded = load_file(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/media.ron")))
        .unwrap_or_else(|d| panic!("{d}"));
    let own: Vec<_> = loaded.warnings.iter().filter(|w| !w.path.starts_with("translations")).collect();
    assert!(own.is_empty(), "{own:?}");
}

#[test]
fn presentation_fields_reach_the_feed() {
    let f = feed(media(), Lang::En);
    let post = item(&f, "Charged twice");
    assert_eq!(post.medium, Medium::Post);
    assert_eq!((post.from.as_str(), post.handle.as_deref()), ("Mika Sato", Some("@mika_s")));
    assert_eq!(post.when, "Mon 1 Jul");
    // Reach is read on the turn the post went out: anger 40 × 100 likes, a quarter reposts.
    assert_eq!(post.reach.as_deref(), Some("Reposts 1,000 · Likes 4,000"));
    let article = item(&f, "App maker faces questions");
    assert_eq!(article.medium, Medium::Article);
    assert_eq!(article.outlet, "The Morning Ledger");
    assert_eq!(article.byline.as_deref(), Some("Ken Ito"));
    assert_eq!(article.standfirst.as_deref(), Some("Customers report missing money after the launch."));
    assert_eq!(article.reach.as_deref(), Some("Shared 1,200 times"));
    let tickets = item(&f, "Refund request");
    assert_eq!((tickets.medium, tickets.reach.as_deref()), (Medium::Tickets, Some("120 open tickets")));
    assert_eq!(tickets.outlet, "Help desk");
    assert_eq!(item(&f, "Request for a report").outlet, "Financial Services Bureau");
    assert_eq!(item(&f, "A reporter on the line").medium, Medium::Call);
    assert_eq!(item(&f, "Queue at the till").medium, Medium::Chat);
    let email = item(&f, "Status at noon");
    assert_eq!(
        (email.medium, email.from.as_str(), email.to.as_str()),
        (Medium::Email, "Operations desk", "Incident team")
    );
}

#[test]
fn injects_without_presentation_fields_take_their_channels_look() {
    let f = feed(media(), Lang::En);
    let expected = [
        ("Plain post", Medium::Post, "Anonymous account", "Social media"),
        ("Plain article", Medium::Article, "News", "News"),
        ("Plain email", Medium::Email, "Internal", "Internal"),
        ("Plain chat", Medium::Chat, "Store staff", "Store staff"),
        ("Plain ticket", Medium::Tickets, "Support desk", "Support desk"),
        ("Plain letter", Medium::Letter, "Regulator", "Regulator"),
        ("Plain call", Medium::Call, "Press", "Press"),
    ];
    for (title, medium, from, outlet) in expected {
        let i = item(&f, title);
        assert_eq!((i.medium, i.from.as_str(), i.outlet.as_str()), (medium, from, outlet), "{title}");
        assert_eq!((&i.byline, &i.handle, &i.standfirst, &i.reach), (&None, &None, &None, &None), "{title}");
        assert_eq!(i.when, "Tue 2 Jul");
        assert_eq!(i.reference.len(), 5, "{title}: {}", i.reference);
    }
    // Each inject keeps its own ticket or letter number.
    assert_ne!(item(&f, "Plain ticket").reference, item(&f, "Refund request").reference);
}

#[test]
fn a_medium_overrides_the_channel_and_translations_cover_the_names() {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/media.ron")).expect("read");
    let src =
        src.replace(r#"channel: Press, at: Some("t1"),"#, r#"channel: Press, medium: Some(Letter), at: Some("t1"),"#);
    let sc = load_str(&src, "media.ron").unwrap_or_else(|d| panic!("{d}")).scenario;
    assert_eq!(item(&feed(sc.clone(), Lang::En), "A reporter on the line").medium, Medium::Letter);
    let ja = sc.localized("ja").expect("a Japanese translation");
    let f = feed(ja, Lang::Ja);
    let article = item(&f, "アプリ運営会社に疑問の声");
    assert_eq!(article.outlet, "朝の経済新報");
    assert_eq!(article.byline.as_deref(), Some("伊藤 健"));
    assert_eq!(article.standfirst.as_deref(), Some("リリース後、残高が消えたとの報告が相次ぐ。"));
    assert_eq!(item(&f, "Request for a report").outlet, "金融サービス局");
    // Defaults come in the players' language.
    assert_eq!(item(&f, "Plain post").from, "匿名アカウント");
}

#[test]
fn fields_a_medium_does_not_show_are_warned_about() {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/media.ron")).expect("read");
    let src = src.replace(
        r#"from: "Operations desk","#,
        r#"from: "Operations desk", handle: "@ops", standfirst: "x", reach: Some("3"),"#,
    );
    let loaded = load_str(&src, "media.ron").unwrap_or_else(|d| panic!("{d}"));
    let at = |field: &str| {
        loaded
            .warnings
            .iter()
            .find(|w| w.path == format!("injects[2].{field}"))
            .unwrap_or_else(|| panic!("no warning at injects[2].{field}: {:?}", loaded.warnings))
    };
    assert!(at("handle").message.contains("an email does not show a handle"), "{:?}", at("handle"));
    assert!(at("standfirst").message.contains("does not show a standfirst"));
    assert!(at("reach").message.contains("does not show its reach"));
    assert!(at("handle").line > 0 && at("handle").col > 0);
}
