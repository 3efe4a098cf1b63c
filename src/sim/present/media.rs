//! An inject as its medium shows it: who it is from, under which masthead, when, to whom
//! and how far it spread, with the channel's words where the scenario gives none.

use serde::{Deserialize, Serialize};

use crate::i18n::Tr;
use crate::sim::Game;
use crate::sim::present::view::channel_label;
use crate::sim::scenario::{Channel, InjectIdx, Medium};
use crate::t;

/// One inject that reached the players, with everything its medium shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedItem {
    pub channel: Channel,
    /// The channel's name in the players' language.
    pub channel_label: String,
    pub title: String,
    pub text: String,
    /// How it looks: a post, an article, an email...
    #[serde(default)]
    pub medium: Medium,
    /// Who it is from: the scenario's `from`, else the channel's name (an anonymous
    /// account for a post).
    #[serde(default)]
    pub from: String,
    /// The scenario's `from` only: an article's byline, a letter's signature, a ticket's
    /// customer.
    #[serde(default)]
    pub byline: Option<String>,
    /// A post's handle, when the scenario gives one.
    #[serde(default)]
    pub handle: Option<String>,
    /// The masthead, letterhead or queue: the scenario's `outlet`, else the channel's name.
    #[serde(default)]
    pub outlet: String,
    #[serde(default)]
    pub standfirst: Option<String>,
    /// Whom it is addressed to: its roles, or the whole team.
    #[serde(default)]
    pub to: String,
    /// The label of the turn it reached the players.
    #[serde(default)]
    pub when: String,
    /// Its reach in words ("Reposts 310 · Likes 1,240", "12 open tickets"), when the
    /// scenario gives one and the medium shows it.
    #[serde(default)]
    pub reach: Option<String>,
    /// A reference number for a ticket or a letter, the same in every game.
    #[serde(default)]
    pub reference: String,
}

/// Inject `i` as it reached the players on turn `turn`; its reach is evaluated with the
/// metrics at the start of that turn.
pub fn feed_item(game: &Game, i: InjectIdx, turn: usize, tr: &Tr) -> FeedItem {
    let sc = game.scenario();
    let inj = &sc.injects[i.ix()];
    let given = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
    let channel = channel_label(inj.channel, tr);
    let from = given(&inj.from).unwrap_or_else(|| match inj.medium {
        Medium::Post => t!(tr, "media-anonymous"),
        _ => channel.clone(),
    });
    let to: Vec<&str> = inj.to.iter().filter_map(|r| sc.roles.get(r.ix())).map(|r| r.label.as_str()).collect();
    let reach = inj.reach.as_ref().filter(|_| inj.medium.shows_reach()).map(|f| {
        let value = match game.history().get(turn) {
            Some(metrics) => game.eval_with_metrics(f, metrics),
            None => game.eval(f),
        };
        let n = if value.is_finite() { value.max(0.0).round() } else { 0.0 };
        match inj.medium {
            Medium::Post => {
                t!(tr, "media-reach-post", reposts = tr.number((n / 4.0).round(), 0), likes = tr.number(n, 0))
            }
            Medium::Tickets => t!(tr, "media-reach-tickets", n = tr.number(n, 0)),
            _ => t!(tr, "media-reach-article", n = tr.number(n, 0)),
        }
    });
    FeedItem {
        channel: inj.channel,
        channel_label: channel.clone(),
        title: inj.title.clone(),
        text: inj.text.clone(),
        medium: inj.medium,
        from,
        byline: given(&inj.from),
        handle: given(&inj.handle),
        outlet: given(&inj.outlet).unwrap_or(channel),
        standfirst: given(&inj.standfirst),
        to: if to.is_empty() { t!(tr, "media-to-team") } else { to.join(", ") },
        when: sc.turns.get(turn).map_or_else(String::new, |t| t.label.clone()),
        reach,
        reference: reference(&inj.id),
    }
}

/// A five-digit number drawn from an inject's id: the same ticket or letter number in
/// every game and language.
fn reference(id: &str) -> String {
    let h = crate::sim::author::validate::fingerprint(id);
    format!("{:05}", h % 100_000)
}
