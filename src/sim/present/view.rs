//! Typed views of a game: what the screens, the terminal and the after-action report show.
//!
//! Each rule a screen needs (which button a card has, whether an inject can be triggered)
//! asks the engine, and each outcome's words are written here once, in the translator's
//! language: a new [`Outcome`] variant is handled in [`line`] and nowhere else.

use crate::i18n::Tr;
use crate::sim::play::game::{CardState, Game, Intervention, Outcome};
use crate::sim::play::score;
use crate::sim::present::biggest;
use crate::sim::scenario::{Action, Channel, Good, InjectIdx, Kind, MetricIdx, MitigationIdx, RoleIdx, Scenario};
use crate::t;

/// What kind of thing a timeline line is (screens colour it by kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LineKind {
    /// An inject reached the players through this channel.
    Event(Channel),
    /// The players took or stopped a mitigation.
    Move,
    /// A mitigation came into effect.
    Effect,
    /// A decision was made; `by_default` when nobody answered.
    Decision { by_default: bool },
    /// The players' reasoning.
    Note,
    /// The facilitator acted from the console.
    Facilitator,
}

/// One outcome, in words.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

/// The name of a channel ("News", "Social media") in the translator's language.
pub fn channel_label(channel: Channel, tr: &Tr) -> String {
    match channel {
        Channel::News => t!(tr, "channel-news"),
        Channel::SocialMedia => t!(tr, "channel-social-media"),
        Channel::StoreStaff => t!(tr, "channel-store-staff"),
        Channel::SupportDesk => t!(tr, "channel-support-desk"),
        Channel::Press => t!(tr, "channel-press"),
        Channel::Regulator => t!(tr, "channel-regulator"),
        Channel::Internal => t!(tr, "channel-internal"),
    }
}

/// A player's move in words: "take “…”", "stop “…”", "“decision”: option".
pub fn action_text(sc: &Scenario, action: Action, tr: &Tr) -> String {
    match action {
        Action::Take(m) => t!(tr, "action-take", label = sc.mitigations[m.ix()].label.as_str()),
        Action::Stop(m) => t!(tr, "action-stop", label = sc.mitigations[m.ix()].label.as_str()),
        Action::Choose(i, o) => {
            let inject = &sc.injects[i.ix()];
            t!(tr, "action-choose", title = inject.title.as_str(), option = inject.options[o as usize].label.as_str())
        }
    }
}

/// One of the players' choices as the what-if list names it: "turn: move".
pub fn choice_text(sc: &Scenario, v: &score::ChoiceValue, tr: &Tr) -> String {
    let turn = sc.turns.get(v.turn).map_or("?", |t| t.label.as_str());
    t!(tr, "choice-label", turn = turn, action = action_text(sc, v.action, tr))
}

/// The words for one outcome, or `None` for bookkeeping (metric changes, turn marks).
pub fn line(sc: &Scenario, o: &Outcome, tr: &Tr) -> Option<Line> {
    let mitigation = |m: &MitigationIdx| sc.mitigations.get(m.ix()).map_or("?", |x| x.label.as_str());
    let (kind, text) = match o {
        Outcome::InjectFired { inject } => {
            let i = sc.injects.get(inject.ix())?;
            let channel = channel_label(i.channel, tr);
            (LineKind::Event(i.channel), t!(tr, "line-event", channel = channel, title = i.title.as_str()))
        }
        Outcome::MitigationTaken { mitigation: m, .. } => (LineKind::Move, t!(tr, "line-took", label = mitigation(m))),
        Outcome::MitigationStopped { mitigation: m } => (LineKind::Move, t!(tr, "line-stopped", label = mitigation(m))),
        Outcome::MitigationActivated { mitigation: m } => {
            (LineKind::Effect, t!(tr, "line-in-effect", label = mitigation(m)))
        }
        Outcome::DecisionMade { inject, option, by_default } => {
            let i = sc.injects.get(inject.ix())?;
            let label = i.options.get(usize::from(*option)).map_or("?", |x| x.label.as_str());
            let text = if *by_default {
                t!(tr, "line-no-answer", title = i.title.as_str(), option = label)
            } else {
                t!(tr, "line-decided", title = i.title.as_str(), option = label)
            };
            (LineKind::Decision { by_default: *by_default }, text)
        }
        Outcome::Note { text } => (LineKind::Note, t!(tr, "line-why", text = text.as_str())),
        Outcome::Facilitator { act } => {
            (LineKind::Facilitator, t!(tr, "line-facilitator", act = act.describe_in(sc, tr)))
        }
        Outcome::TurnStarted { .. }
        | Outcome::MetricChanged { .. }
        | Outcome::EffectSkipped { .. }
        | Outcome::Spent { .. }
        | Outcome::TurnEnded { .. }
        | Outcome::GameEnded => return None,
    };
    Some(Line { kind, text })
}

/// Per turn played so far: the turn's label and its lines.
pub fn timeline(game: &Game, tr: &Tr) -> Vec<(String, Vec<Line>)> {
    let sc = game.scenario();
    game.turn_logs()
        .iter()
        .enumerate()
        .map(|(t, log)| {
            let label = sc.turns.get(t).map_or_else(String::new, |x| x.label.clone());
            (label, log.iter().filter_map(|o| line(sc, o, tr)).collect())
        })
        .collect()
}

/// One metric's change over a resolved turn, formatted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub metric: String,
    pub before: String,
    pub after: String,
    /// The largest causes, signed ("+120 event “…”"), at most three.
    pub why: Vec<String>,
    /// The change in figures, for a screen that counts from `before` to `after` (views from
    /// an older server have none: the screen shows the words at once).
    #[serde(default)]
    pub figures: Option<Figures>,
}

/// A metric's change in figures: its values before and after, how they are written (for
/// [`Tr::quantity`]), the change in words and whether it is good for the players.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub from: f64,
    pub to: f64,
    pub decimals: u8,
    pub unit: String,
    /// The change in words ("-12.4").
    pub delta: String,
    /// Whether the move is good for the players (None: a neutral metric).
    pub good: Option<bool>,
}

/// What a resolved turn did: for the summary screen and the terminal.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TurnSummary {
    pub label: String,
    /// Mitigations that came into effect and decisions nobody answered.
    pub happened: Vec<Line>,
    pub changes: Vec<Change>,
    /// The next turn's label and its events, when the game goes on.
    pub coming_up: Option<(String, Vec<Line>)>,
    pub finished: bool,
    /// The largest changes, as indices into `changes`, largest first (at most three): what
    /// the summary calls out. See [`biggest::biggest`](crate::sim::present::biggest::biggest).
    #[serde(default)]
    pub biggest: Vec<usize>,
}

/// The summary of turn `turn` (already resolved), or `None` if it was not played.
pub fn turn_summary(game: &Game, turn: usize, tr: &Tr) -> Option<TurnSummary> {
    turn_summary_for(game, turn, tr, None)
}

/// [`turn_summary`] as a player holding `roles` sees it: nothing of an inject addressed to
/// other roles (None: every role's).
pub fn turn_summary_for(game: &Game, turn: usize, tr: &Tr, roles: Option<&[RoleIdx]>) -> Option<TurnSummary> {
    let sc = game.scenario();
    let log = game.turn_logs().get(turn).copied()?;
    let reaches = |i: &InjectIdx| sc.injects.get(i.ix()).is_some_and(|x| x.reaches(roles));
    let hidden: Vec<&str> = sc.injects.iter().filter(|x| !x.reaches(roles)).map(|x| x.title.as_str()).collect();
    let happened = log
        .iter()
        .filter(|o| match o {
            Outcome::MitigationActivated { .. } => true,
            Outcome::DecisionMade { by_default: true, inject, .. } => reaches(inject),
            _ => false,
        })
        .filter_map(|o| line(sc, o, tr))
        .collect();
    let changes: Vec<(Change, f64)> = score::turn_changes(game, turn, tr)
        .into_iter()
        .map(|c| {
            let m = &sc.metrics[c.metric.ix()];
            let delta = c.after - c.before;
            let figures = Figures {
                from: c.before,
                to: c.after,
                decimals: m.decimals,
                unit: m.unit.clone(),
                delta: tr.signed(delta, m.decimals),
                good: good_move(m.good, delta),
            };
            let size = biggest::relative_size(m, c.before, c.after);
            let change = Change {
                metric: m.label.clone(),
                before: tr.quantity(c.before, m.measure()),
                after: tr.quantity(c.after, m.measure()),
                why: c
                    .causes
                    .iter()
                    .filter(|(l, _)| !hidden.contains(&l.as_str()))
                    .take(3)
                    .map(|(l, d)| t!(tr, "change-cause", delta = tr.signed(*d, m.decimals), cause = l.as_str()))
                    .collect(),
                figures: Some(figures),
            };
            (change, size)
        })
        .collect();
    let sizes: Vec<f64> = changes.iter().map(|(_, size)| *size).collect();
    let changes = changes.into_iter().map(|(c, _)| c).collect();
    let coming_up = (!game.is_finished()).then(|| {
        let events = game
            .injects_this_turn()
            .filter(reaches)
            .filter_map(|inject| line(sc, &Outcome::InjectFired { inject }, tr))
            .collect::<Vec<_>>();
        (sc.turns[game.turn()].label.clone(), events)
    });
    Some(TurnSummary {
        label: sc.turns.get(turn).map_or_else(String::new, |t| t.label.clone()),
        happened,
        changes,
        coming_up: coming_up.filter(|(_, e)| !e.is_empty()),
        finished: game.is_finished(),
        biggest: biggest::biggest(&sizes, 3),
    })
}

/// Where a card stands, as its badge shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Badge {
    Available,
    Locked,
    /// Taken; in effect as this turn ends.
    AtTurnEnd,
    /// Taken; in effect from the turn with this label.
    From(String),
    /// Taken, but its lead time runs past the last turn.
    TooLate,
    Active,
    Done,
}

impl Badge {
    pub fn text(&self, tr: &Tr) -> String {
        match self {
            Self::Available => t!(tr, "badge-available"),
            Self::Locked => t!(tr, "badge-locked"),
            Self::AtTurnEnd => t!(tr, "badge-at-turn-end"),
            Self::From(label) => t!(tr, "badge-from", turn = label),
            Self::TooLate => t!(tr, "badge-too-late"),
            Self::Active => t!(tr, "badge-active"),
            Self::Done => t!(tr, "badge-done"),
        }
    }
}

/// The button a card shows: what it does and whether it can be pressed now.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Button {
    pub label: String,
    pub action: Action,
    pub enabled: bool,
    /// Why it cannot be pressed, when the engine says.
    pub why: Option<String>,
}

/// A mitigation card.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Card {
    pub index: MitigationIdx,
    /// Its number key (1–9), if it has one.
    pub key: Option<usize>,
    pub label: String,
    pub category: String,
    pub description: String,
    pub badge: Badge,
    /// "1 pt · 5,000,000 JPY · works after 2 d · can be switched off".
    pub cost: String,
    pub side_effects: Vec<String>,
    pub button: Button,
    /// The role that takes and stops it, by its label.
    #[serde(default)]
    pub owner: Option<String>,
    /// The viewer does not hold that role: the button proposes the move to its players.
    #[serde(default)]
    pub propose: bool,
}

/// Every mitigation card of the game as it stands.
pub fn cards(game: &Game, tr: &Tr) -> Vec<Card> {
    MitigationIdx::all(game.scenario().mitigations.len()).map(|m| card(game, m, tr)).collect()
}

/// What a card's button does, without its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Press {
    Take { enabled: bool },
    TakeBack,
    SwitchOff,
}

impl Press {
    fn of(game: &Game, m: MitigationIdx, state: &CardState) -> Press {
        match state {
            CardState::Available => Press::Take { enabled: true },
            CardState::Pending { taken_this_turn, .. } | CardState::Active { taken_this_turn }
                if game.check_action(Action::Stop(m)).is_ok() =>
            {
                if *taken_this_turn {
                    Press::TakeBack
                } else {
                    Press::SwitchOff
                }
            }
            _ => Press::Take { enabled: false },
        }
    }

    fn action(self, m: MitigationIdx) -> Action {
        match self {
            Press::Take { .. } => Action::Take(m),
            Press::TakeBack | Press::SwitchOff => Action::Stop(m),
        }
    }
}

/// One card. Its button follows the engine: "Take" when taking is legal, "Take back" or
/// "Switch off" when stopping is.
pub fn card(game: &Game, m: MitigationIdx, tr: &Tr) -> Card {
    let sc = game.scenario();
    let def = &sc.mitigations[m.ix()];
    let state = game.card(m);
    let badge = match &state {
        CardState::Available => Badge::Available,
        CardState::Locked(_) => Badge::Locked,
        CardState::Pending { ready_turn: Some(r), .. } if *r == game.turn() => Badge::AtTurnEnd,
        CardState::Pending { ready_turn: Some(r), .. } => Badge::From(sc.turns[*r].label.clone()),
        CardState::Pending { ready_turn: None, .. } => Badge::TooLate,
        CardState::Active { .. } => Badge::Active,
        CardState::Done => Badge::Done,
    };
    let press = Press::of(game, m, &state);
    let button = Button {
        label: match press {
            Press::Take { .. } => t!(tr, "card-take"),
            Press::TakeBack => t!(tr, "card-take-back"),
            Press::SwitchOff => t!(tr, "card-switch-off"),
        },
        action: press.action(m),
        enabled: !matches!(press, Press::Take { enabled: false }),
        why: if let CardState::Locked(lock) = &state { Some(lock.describe(tr)) } else { None },
    };
    let mut cost = vec![t!(tr, "card-points", n = def.points)];
    cost.push(if def.money > 0.0 { tr.money(def.money, &sc.resources.currency) } else { t!(tr, "card-no-money") });
    cost.push(if def.lead_days > 0.0 {
        t!(tr, "card-lead", time = tr.days(def.lead_days))
    } else {
        t!(tr, "card-at-once")
    });
    if def.kind == Kind::Toggle {
        cost.push(t!(tr, "card-toggle"));
    }
    Card {
        index: m,
        key: (m.ix() < 9).then(|| m.ix() + 1),
        label: def.label.clone(),
        category: def.category.clone(),
        description: def.description.clone(),
        badge,
        cost: cost.join(" · "),
        side_effects: def.side_effects.clone(),
        button,
        owner: def.owner.and_then(|r| sc.roles.get(r.ix())).map(|r| r.label.clone()),
        propose: false,
    }
}

/// What pressing a card's number (or typing it in the terminal) does: its button's action,
/// or taking it (which the engine then refuses with its reason).
pub fn toggle(game: &Game, m: MitigationIdx) -> Action {
    Press::of(game, m, &game.card(m)).action(m)
}

/// An inject as the facilitator's console lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct InjectRow {
    pub index: InjectIdx,
    pub title: String,
    /// "not yet", "fired ×2", "facing the players", "suppressed".
    pub status: String,
    /// Whether "Trigger now" is legal (the engine's rule).
    pub can_trigger: bool,
    pub suppressed: bool,
}

/// Every inject for the console.
pub fn inject_rows(game: &Game, tr: &Tr) -> Vec<InjectRow> {
    let sc = game.scenario();
    InjectIdx::all(sc.injects.len())
        .map(|i| {
            let due = game.due_decisions().any(|(d, _)| d == i);
            let suppressed = game.is_suppressed(i);
            let status = match (suppressed, game.fired_count(i), due) {
                (true, _, _) => t!(tr, "inject-suppressed"),
                (_, _, true) => t!(tr, "inject-due"),
                (_, 0, _) => t!(tr, "inject-not-yet"),
                (_, n, _) => t!(tr, "inject-fired", n = n),
            };
            InjectRow {
                index: i,
                title: sc.injects[i.ix()].title.clone(),
                status,
                can_trigger: game.check_intervention(&Intervention::Trigger { inject: i }).is_ok(),
                suppressed,
            }
        })
        .collect()
}

/// One line under a score component: a cause and how much it moved the component's metric.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverLine {
    /// "+120 from event “…”".
    pub text: String,
    /// Whether the change was good for the players (`None`: neutral metric).
    pub good: Option<bool>,
}

/// The largest causes (at most `n`) behind a score component, by its id.
pub fn component_drivers(game: &Game, component: &str, n: usize, tr: &Tr) -> Vec<DriverLine> {
    let sc = game.scenario();
    let Some(metric) = sc
        .scoring
        .components
        .iter()
        .find(|x| x.id == component)
        .and_then(|x| x.value.metrics_read().next())
        .map(|m| MetricIdx::at(usize::from(m)))
    else {
        return Vec::new();
    };
    let decimals = sc.metrics[metric.ix()].decimals;
    score::drivers(game, metric)
        .into_iter()
        .take(n)
        .map(|d| {
            let cause = score::cause_text(sc, d.cause, tr);
            DriverLine {
                text: t!(tr, "driver-line", delta = tr.signed(d.delta, decimals), cause = cause),
                good: d.good,
            }
        })
        .collect()
}

/// The discussion questions of every event the players met, in order.
pub fn questions(game: &Game) -> Vec<String> {
    let sc = game.scenario();
    game.log()
        .iter()
        .filter_map(|o| if let Outcome::InjectFired { inject } = o { sc.injects.get(inject.ix()) } else { None })
        .flat_map(|i| i.questions.iter().cloned())
        .collect()
}

/// Whether the facilitator acted in this game (replays then repeat the players' moves only).
pub fn facilitated(game: &Game) -> bool {
    game.log().iter().any(|o| matches!(o, Outcome::Facilitator { .. }))
}

/// Whether a metric's move was good for the players (`None` for no move or a neutral metric).
pub fn good_move(good: Good, delta: f64) -> Option<bool> {
    if delta.abs() < 1e-9 {
        return None;
    }
    match good {
        Good::Higher => Some(delta > 0.0),
        Good::Lower => Some(delta < 0.0),
        Good::Neutral => None,
    }
}

/// How many columns a text takes in a terminal: East Asian wide characters take two.
pub fn text_width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `s` followed by spaces up to `width` terminal columns.
pub fn pad_right(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(text_width(s))))
}

/// Spaces up to `width` terminal columns, then `s`.
pub fn pad_left(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(text_width(s))))
}

#[cfg(test)]
mod tests;
