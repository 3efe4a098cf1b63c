//! What a team's players see of their game, as typed views built by the engine: every
//! number already formatted in the players' language, every button's move decided, and
//! nothing the facilitator keeps (notes, injects still to come, hidden metrics).
//!
//! The briefing, turn, summary and debrief screens draw a [`BriefingView`], a [`TurnView`],
//! a [`TurnSummary`] and a [`DebriefView`] and nothing else, so a client that only receives
//! views (a player of a live workshop) draws the same screens as the single-player game.
//! The debrief explains the score, so it names what drove each part of it, hidden metrics'
//! moves included; the other views show only what the players can see during play.

use serde::{Deserialize, Serialize};

use crate::i18n::Tr;
use crate::sim::play::game::{Game, Outcome};
use crate::sim::play::step::Step;
pub use crate::sim::present::debrief::{
    ChartView, ComponentView, DebriefParts, DebriefView, HistoryView, debrief_view,
};
pub use crate::sim::present::media::FeedItem;
pub use crate::sim::present::view::TurnSummary;
use crate::sim::present::view::{self, Card};
pub use crate::sim::present::week::TimelineTurn;
use crate::sim::present::week::timeline;
use crate::sim::scenario::{Action, InjectIdx, MitigationIdx, RoleIdx, Scene};
use crate::t;

/// The turn screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnView {
    pub scenario_title: String,
    /// The turn being played (0-based) and how many there are.
    pub turn: usize,
    pub turns: usize,
    pub turn_label: String,
    pub briefing: String,
    pub points_left: u32,
    pub points_total: u32,
    /// The money left, in words ("¥80,000,000"), when the scenario has a budget.
    pub budget_left: Option<String>,
    /// The visible metrics, in the scenario's order.
    pub metrics: Vec<MetricRow>,
    /// Turns in which injects reached the players, the latest first.
    pub feed: Vec<FeedTurn>,
    pub cards: Vec<Card>,
    /// The first decision facing the players that nobody has answered yet.
    pub decision: Option<DecisionView>,
    /// The players' notes this turn.
    pub notes: usize,
    pub can_undo: bool,
    /// What number key `n` (1–9) does: the `n`th card's move.
    pub keys: Vec<Action>,
    /// The labels of the roles the viewer holds (empty in a game without roles).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Every turn of the scenario in order, for the week's timeline: its date, its length
    /// and, for the turns played, the team's moves (what arrived is in `feed`).
    #[serde(default)]
    pub timeline: Vec<TimelineTurn>,
}

/// One metric on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    pub label: String,
    /// What it measures (the label again when the scenario says nothing more).
    pub description: String,
    /// Its value in words ("38.5%", "¥1,200,000").
    pub value: String,
    /// Its change over the last resolved turn, in words ("+3.2"); None when it did not move.
    pub change: Option<String>,
    /// Whether that change is good for the players (None: neither, or no change).
    pub good: Option<bool>,
    /// Its value at the start and after each resolved turn.
    pub series: Vec<f64>,
    /// Its move over the last resolved turn in figures, to the value now (None when it did
    /// not move, or from an older server): for a dashboard that counts to the new value.
    #[serde(default)]
    pub figures: Option<view::Figures>,
}

/// The injects of one turn, as the feed lists them (the latest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedTurn {
    pub turn: usize,
    pub label: String,
    pub items: Vec<FeedItem>,
}

/// A decision facing the players.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionView {
    pub inject: InjectIdx,
    pub item: FeedItem,
    pub options: Vec<OptionView>,
    /// The role that decides it, by its label.
    #[serde(default)]
    pub owner: Option<String>,
    /// The viewer does not hold that role: an answer is proposed to its players.
    #[serde(default)]
    pub propose: bool,
    /// The stage of a big moment the scenario marks as a scene; None: a plain decision.
    #[serde(default)]
    pub scene: Option<SceneView>,
}

/// A decision staged as a scene: where it is taken and whether the team walks on prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SceneView {
    pub staging: Scene,
    /// Whether the scenario's `prepared` condition holds now (e.g. the expert the scenario
    /// names is beside the speaker); None when the scenario gives no such condition. Only
    /// the verdict is shown, never the condition or what any answer does to the score.
    pub prepared: Option<bool>,
}

/// One answer to a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionView {
    /// Its label, marked when it is what happens if nobody answers.
    pub label: String,
    pub description: String,
    pub action: Action,
}

/// The briefing: the scenario's story, objectives, what is watched and how it is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriefingView {
    pub title: String,
    pub summary: String,
    pub objectives: Vec<String>,
    pub facts: Vec<String>,
    /// Each visible metric: its label, starting value in words, and description.
    pub metrics: Vec<(String, String, String)>,
    /// Each score component in a sentence: its share of the points, its curve, what it is.
    pub scoring: Vec<String>,
    /// The action points and budget per game, in a sentence.
    pub resources: String,
    /// The team's roles, each with its own brief for the players who hold it.
    #[serde(default)]
    pub roles: Vec<RoleBrief>,
}

/// A role of the team as the briefing shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleBrief {
    pub id: String,
    pub label: String,
    /// Its private brief, to the players who hold it (None for the others).
    pub briefing: Option<String>,
    /// The viewer holds it.
    pub held: bool,
}

/// The briefing of `game`'s scenario in the language of `tr`, every role's brief included.
pub fn briefing_view(game: &Game, tr: &Tr) -> BriefingView {
    briefing_view_for(game, tr, None)
}

/// [`briefing_view`] for a player holding `roles`: only their roles' briefs (None: all).
pub fn briefing_view_for(game: &Game, tr: &Tr, roles: Option<&[RoleIdx]>) -> BriefingView {
    let sc = game.scenario();
    let total: f64 = sc.scoring.components.iter().map(|c| c.weight).sum();
    let r = &sc.resources;
    let resources = match r.budget {
        Some(b) => t!(tr, "briefing-resources-budget", points = r.action_points, budget = tr.money(b, &r.currency)),
        None => t!(tr, "briefing-resources", points = r.action_points),
    };
    BriefingView {
        title: sc.meta.title.clone(),
        summary: sc.meta.summary.clone(),
        objectives: sc.meta.objectives.clone(),
        facts: sc.meta.facts.clone(),
        metrics: sc
            .metrics
            .iter()
            .filter(|m| m.visible)
            .map(|m| (m.label.clone(), tr.quantity(m.initial, m.measure()), m.description.clone()))
            .collect(),
        scoring: sc
            .scoring
            .components
            .iter()
            .map(|c| {
                let points = format!("{:.0}", 100.0 * c.weight / total);
                let part = t!(tr, "briefing-component", label = &c.label, points = points, curve = c.describe_curve());
                format!("{part} {}", c.description)
            })
            .collect(),
        resources: format!("{resources} {}", t!(tr, "briefing-mitigations")),
        roles: RoleIdx::all(sc.roles.len())
            .zip(&sc.roles)
            .map(|(r, role)| {
                let held = roles.is_some_and(|h| h.contains(&r));
                RoleBrief {
                    id: role.id.clone(),
                    label: role.label.clone(),
                    briefing: (held || roles.is_none()).then(|| role.briefing.clone()),
                    held,
                }
            })
            .collect(),
    }
}

/// The summary of turn `turn` of `game` (already resolved) in the language of `tr`.
pub fn summary_view(game: &Game, turn: usize, tr: &Tr) -> Option<TurnSummary> {
    view::turn_summary(game, turn, tr)
}

/// Whether a player holding `roles` may see inject `i` (None: every role).
pub fn reaches(game: &Game, i: InjectIdx, roles: Option<&[RoleIdx]>) -> bool {
    game.scenario().injects.get(i.ix()).is_some_and(|x| x.reaches(roles))
}

/// Everything a team's player is shown of the game, as a live workshop sends it: the turn,
/// the last resolved turn's summary, the debrief once the game is over, and each move the
/// screens offer as the step the server takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerView {
    pub turn: TurnView,
    pub finished: bool,
    /// The last resolved turn (0-based) and its summary.
    pub summary: Option<(usize, TurnSummary)>,
    pub debrief: Option<DebriefView>,
    /// Every move the screens offer (cards, decision options, number keys), as a step.
    pub moves: Vec<(Action, Step)>,
    /// How many moves the team has made so far.
    pub actions: usize,
}

/// The player's view of `game` in the language of `tr`, with its debrief from `parts` when
/// the game is over.
pub fn player_view(game: &Game, parts: Option<&DebriefParts>, tr: &Tr) -> PlayerView {
    player_view_for(game, parts, tr, None)
}

/// [`player_view`] for a player holding `roles` (None: every role): the injects addressed
/// to other roles left out, the moves other roles own offered as proposals. The debrief,
/// which the whole team discusses together, shows everything.
pub fn player_view_for(game: &Game, parts: Option<&DebriefParts>, tr: &Tr, roles: Option<&[RoleIdx]>) -> PlayerView {
    player_view_at(game, parts, tr, roles.map(|r| Seat { sees: r, acts: r }))
}

/// Whose eyes a view is for in a game with roles: the roles whose injects the player sees,
/// and the roles whose moves the player makes (theirs, and those nobody at the table holds).
#[derive(Debug, Clone, Copy)]
pub struct Seat<'a> {
    pub sees: &'a [RoleIdx],
    pub acts: &'a [RoleIdx],
}

/// [`player_view`] for a player in `seat` (None: every role).
pub fn player_view_at(game: &Game, parts: Option<&DebriefParts>, tr: &Tr, seat: Option<Seat<'_>>) -> PlayerView {
    let sc = game.scenario();
    let roles = seat.map(|s| s.sees);
    let turn = turn_view_at(game, tr, seat);
    let mut moves: Vec<(Action, Step)> = Vec::new();
    let actions = turn
        .cards
        .iter()
        .map(|c| c.button.action)
        .chain(turn.decision.iter().flat_map(|d| d.options.iter().map(|o| o.action)))
        .chain(turn.keys.iter().copied());
    for a in actions {
        if !moves.iter().any(|(b, _)| *b == a) {
            moves.push((a, Step::of_action(sc, a)));
        }
    }
    let resolved = game.history().len().saturating_sub(1);
    let summary = resolved.checked_sub(1).and_then(|t| view::turn_summary_for(game, t, tr, roles).map(|s| (t, s)));
    let debrief = parts.filter(|_| game.is_finished()).map(|p| p.view(game, tr));
    PlayerView { turn, finished: game.is_finished(), summary, debrief, moves, actions: game.actions().len() }
}

/// The turn screen of `game` in the language of `tr`.
pub fn turn_view(game: &Game, tr: &Tr) -> TurnView {
    turn_view_for(game, tr, None)
}

/// [`turn_view`] for a player holding `roles` (None: every role).
pub fn turn_view_for(game: &Game, tr: &Tr, roles: Option<&[RoleIdx]>) -> TurnView {
    turn_view_at(game, tr, roles.map(|r| Seat { sees: r, acts: r }))
}

/// [`turn_view`] for a player in `seat` (None: every role).
pub fn turn_view_at(game: &Game, tr: &Tr, seat: Option<Seat<'_>>) -> TurnView {
    let sc = game.scenario();
    let roles = seat.map(|s| s.sees);
    let proposes = |owner: Option<RoleIdx>| seat.is_some_and(|s| owner.is_some_and(|o| !s.acts.contains(&o)));
    let role_label = |owner: Option<RoleIdx>| owner.and_then(|r| sc.roles.get(r.ix())).map(|r| r.label.clone());
    let turn = game.turn().min(sc.turns.len().saturating_sub(1));
    let history = game.history();
    let metrics = sc
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| m.visible)
        .map(|(k, m)| {
            let change = super::change::metric_change(game, k, super::change::Since::LastTurn, tr);
            MetricRow {
                label: m.label.clone(),
                description: if m.description.is_empty() { m.label.clone() } else { m.description.clone() },
                value: tr.quantity(game.metrics()[k], m.measure()),
                change: change.text.clone(),
                good: change.good,
                series: history.iter().map(|h| h[k]).collect(),
                figures: change.text.as_ref().map(|delta| view::Figures {
                    from: game.metrics()[k] - change.delta,
                    to: game.metrics()[k],
                    decimals: m.decimals,
                    unit: m.unit.clone(),
                    delta: delta.clone(),
                    good: change.good,
                }),
            }
        })
        .collect();
    let item = |i: InjectIdx, t: usize| super::media::feed_item(game, i, t, tr);
    let feed = game
        .turn_logs()
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(t, log)| {
            let items: Vec<FeedItem> = log
                .iter()
                .rev()
                .filter_map(|o| match o {
                    Outcome::InjectFired { inject } if reaches(game, *inject, roles) => Some(item(*inject, t)),
                    _ => None,
                })
                .collect();
            (!items.is_empty()).then(|| FeedTurn { turn: t, label: sc.turns[t].label.clone(), items })
        })
        .collect();
    let decision =
        game.due_decisions().find(|(i, chosen)| chosen.is_none() && reaches(game, *i, roles)).map(|(i, _)| {
            let inj = &sc.injects[i.ix()];
            let options = inj
                .options
                .iter()
                .enumerate()
                .map(|(o, opt)| OptionView {
                    label: if o as u16 == inj.default_option {
                        format!("{}  {}", opt.label, t!(tr, "turn-default-option"))
                    } else {
                        opt.label.clone()
                    },
                    description: opt.description.clone(),
                    action: Action::Choose(i, o as u16),
                })
                .collect();
            DecisionView {
                inject: i,
                item: item(i, turn),
                options,
                owner: role_label(inj.owner),
                propose: proposes(inj.owner),
                scene: inj
                    .scene
                    .map(|staging| SceneView { staging, prepared: inj.prepared.as_ref().map(|f| game.eval(f) != 0.0) }),
            }
        });
    TurnView {
        scenario_title: sc.meta.title.clone(),
        turn,
        turns: sc.turns.len(),
        turn_label: sc.turns[turn].label.clone(),
        briefing: sc.turns[turn].briefing.clone(),
        points_left: game.points_left(),
        points_total: sc.resources.action_points,
        budget_left: game.budget_left().map(|b| tr.money(b, &sc.resources.currency)),
        metrics,
        feed,
        cards: view::cards(game, tr)
            .into_iter()
            .map(|c| {
                let mut c = without_formulas(game, c, tr);
                c.propose = proposes(sc.mitigations[c.index.ix()].owner);
                if c.propose && c.button.enabled {
                    c.button.label = t!(tr, "card-propose");
                }
                c
            })
            .collect(),
        decision,
        notes: game.current_turn_log().iter().filter(|o| matches!(o, Outcome::Note { .. })).count(),
        can_undo: game.can_undo(),
        keys: (0..sc.mitigations.len().min(9)).map(|n| view::toggle(game, MitigationIdx::at(n))).collect(),
        roles: RoleIdx::all(sc.roles.len())
            .filter(|r| roles.is_some_and(|h| h.contains(r)))
            .map(|r| sc.roles[r.ix()].label.clone())
            .collect(),
        timeline: timeline(game, tr),
    }
}

/// A card whose lock would show its `available` formula says only that it is not
/// available now: a formula names hidden metrics and injects still to come.
fn without_formulas(game: &Game, mut card: Card, tr: &Tr) -> Card {
    if let crate::sim::play::game::CardState::Locked(crate::sim::play::game::Lock::NeedsFormula(_)) =
        game.card(card.index)
    {
        card.button.why = Some(t!(tr, "lock-not-now"));
    }
    card
}

#[cfg(test)]
mod tests;
