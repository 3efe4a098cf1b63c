//! A team's table in a live workshop: the seat picker (name and roles), who holds which
//! role, the moves proposed to a role and the team's votes, drawn from the server's
//! [`Floor`] and the player's views.

use bevy_egui::egui::{self, Key, RichText};

use super::super::session::Intent;
use super::{ACCENT, WARN};
use crate::i18n::Tr;
use crate::protocol::{Floor, Proposal, ProposalState, Vote, Who};
use crate::sim::Action;
use crate::sim::play::step::Step;
use crate::sim::present::player::{PlayerView, RoleBrief};
use crate::t;

/// What a team's player sees of their table on the turn screen.
pub struct LiveTable<'a> {
    pub floor: &'a Floor,
    /// The player's number at the table.
    pub me: Option<u64>,
    /// The scenario's roles (ids and labels), from the player's briefing.
    pub roles: &'a [RoleBrief],
    pub view: &'a PlayerView,
}

impl LiveTable<'_> {
    /// The player's seat.
    fn mine(&self) -> Option<&Who> {
        let me = self.me?;
        self.floor.players.iter().find(|(n, _)| *n == me).map(|(_, w)| w)
    }

    /// A role's label.
    fn label(&self, id: &str) -> String {
        self.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_owned(), |r| r.label.clone())
    }

    /// "Ken (Engineering)".
    fn who(&self, w: &Who) -> String {
        if w.roles.is_empty() {
            w.name.clone()
        } else {
            let roles: Vec<String> = w.roles.iter().map(|r| self.label(r)).collect();
            format!("{} ({})", w.name, roles.join(", "))
        }
    }

    /// What a proposed step does, in the words of the player's view.
    fn what(&self, step: &Step, tr: &Tr) -> String {
        let turn = &self.view.turn;
        match step {
            Step::Take { mitigation } | Step::Stop { mitigation } => {
                // The card the view's moves name by this id (taking or stopping it).
                let card = self.view.moves.iter().find_map(|(a, s)| match (a, s) {
                    (
                        Action::Take(m) | Action::Stop(m),
                        Step::Take { mitigation: id } | Step::Stop { mitigation: id },
                    ) if id == mitigation => turn.cards.iter().find(|c| c.index == *m),
                    _ => None,
                });
                let verb =
                    if matches!(step, Step::Take { .. }) { t!(tr, "card-take") } else { t!(tr, "card-switch-off") };
                format!("{verb} · {}", card.map_or(mitigation.as_str(), |c| c.label.as_str()))
            }
            Step::Choose { decision, option } => {
                let chosen = self.view.moves.iter().find_map(|(a, s)| match (a, s) {
                    (Action::Choose(i, o), Step::Choose { decision: d, option: x }) if d == decision && x == option => {
                        turn.decision.as_ref().filter(|d| d.inject == *i).and_then(|d| {
                            d.options.get(usize::from(*o)).map(|opt| format!("{}: {}", d.item.title, opt.label))
                        })
                    }
                    _ => None,
                });
                chosen.unwrap_or_else(|| format!("{decision}: {option}"))
            }
            other => other.verb().to_owned(),
        }
    }

    /// The open vote on the decision `inject` of this turn, if any, and its id.
    pub fn vote_on(&self, inject: crate::sim::scenario::InjectIdx) -> Option<&Vote> {
        let id = self.view.moves.iter().find_map(|(a, s)| match (a, s) {
            (Action::Choose(i, _), Step::Choose { decision, .. }) if *i == inject => Some(decision),
            _ => None,
        })?;
        self.floor.votes.iter().rev().find(|v| v.decision == *id && v.turn == self.view.turn.turn)
    }
}

/// "1:42".
pub fn clock(ms: i64) -> String {
    let s = (ms.max(0) + 999) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The first open proposal of this turn that this player decides.
fn to_decide<'a>(t: &'a LiveTable<'_>) -> Option<&'a Proposal> {
    let mine = t.mine()?;
    t.floor
        .proposals
        .iter()
        .find(|p| p.turn == t.view.turn.turn && p.state == ProposalState::Open && mine.roles.contains(&p.owner))
}

/// The table's keys: A accepts and D declines the first proposal this player decides; V
/// puts the team decision on the screen to a vote.
pub fn keys_ui(ctx: &egui::Context, t: &LiveTable<'_>, out: &mut Vec<Intent>) {
    ctx.input(|i| {
        if i.modifiers.command {
            return;
        }
        if let Some(p) = to_decide(t) {
            for (key, accept) in [(Key::A, true), (Key::D, false)] {
                if i.key_pressed(key) {
                    out.push(Intent::Decide { proposal: p.id, accept, team: None });
                }
            }
        }
        if i.key_pressed(Key::V)
            && let Some(d) = t.view.turn.decision.as_ref().filter(|d| d.owner.is_none())
            && t.vote_on(d.inject).is_none()
        {
            out.push(Intent::CallVote(d.inject));
        }
    });
}

/// The table on the turn screen: the player's seat, who holds what, the proposals to
/// decide and the votes.
pub fn table_ui(ui: &mut egui::Ui, t: &LiveTable<'_>, tr: &Tr, out: &mut Vec<Intent>) {
    ui.label(RichText::new(t!(tr, "table-heading")).size(18.0).strong());
    let mine = t.mine();
    let my_roles: Vec<&str> = mine.map(|w| w.roles.iter().map(String::as_str).collect()).unwrap_or_default();
    if let Some(w) = mine {
        let roles = if w.roles.is_empty() {
            t!(tr, "table-no-role")
        } else {
            w.roles.iter().map(|r| t.label(r)).collect::<Vec<_>>().join(", ")
        };
        ui.label(RichText::new(t!(tr, "table-you", name = w.name.as_str(), roles = roles)).color(ACCENT));
    }
    for (n, w) in &t.floor.players {
        if Some(*n) != t.me {
            ui.label(RichText::new(format!("•  {}", t.who(w))).small());
        }
    }
    for r in t.roles {
        if !t.floor.players.iter().any(|(_, w)| w.roles.contains(&r.id)) {
            ui.label(RichText::new(t!(tr, "table-vacant", role = r.label.as_str())).small().color(WARN));
        }
    }
    let turn = t.view.turn.turn;
    let shown: Vec<&Proposal> = t.floor.proposals.iter().rev().filter(|p| p.turn == turn).take(8).collect();
    for p in shown {
        ui.separator();
        let head = t!(tr, "table-proposes", who = t.who(&p.by), what = t.what(&p.step, tr));
        ui.label(RichText::new(head).strong());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t!(tr, "table-decides", role = t.label(&p.owner))).weak());
            match &p.state {
                ProposalState::Open if my_roles.contains(&p.owner.as_str()) => {
                    // The first one also answers to A and D.
                    let keyed = to_decide(t).is_some_and(|q| q.id == p.id);
                    let (accept, decline) = if keyed {
                        (format!("{}  [A]", t!(tr, "table-accept")), format!("{}  [D]", t!(tr, "table-decline")))
                    } else {
                        (t!(tr, "table-accept"), t!(tr, "table-decline"))
                    };
                    if ui.button(accept).clicked() {
                        out.push(Intent::Decide { proposal: p.id, accept: true, team: None });
                    }
                    if ui.button(decline).clicked() {
                        out.push(Intent::Decide { proposal: p.id, accept: false, team: None });
                    }
                }
                ProposalState::Open => {}
                ProposalState::Accepted { by } => {
                    ui.label(t!(tr, "table-accepted", who = t.who(by)));
                }
                ProposalState::Declined { by } => {
                    ui.label(t!(tr, "table-declined", who = t.who(by)));
                }
                ProposalState::Lapsed => {
                    ui.label(t!(tr, "table-lapsed"));
                }
            }
        });
    }
    ui.separator();
}

/// The vote part of a team decision's window: the open vote (time left, how many voted) or
/// its result, or the button that calls one.
pub fn vote_ui(
    ui: &mut egui::Ui,
    t: &LiveTable<'_>,
    inject: crate::sim::scenario::InjectIdx,
    tr: &Tr,
    out: &mut Vec<Intent>,
) {
    match t.vote_on(inject) {
        Some(v) if v.result.is_none() => {
            let text =
                t!(tr, "table-vote-open", left = clock(v.left_ms), n = v.ballots.len(), of = t.floor.players.len());
            ui.label(RichText::new(text).strong().color(ACCENT));
            ui.label(RichText::new(t!(tr, "table-vote-hint")).weak());
        }
        Some(Vote { result: Some((option, by_default)), .. }) => {
            let label = t
                .view
                .moves
                .iter()
                .find_map(|(a, s)| match (a, s) {
                    (Action::Choose(i, o), Step::Choose { option: id, .. }) if *i == inject && id == option => t
                        .view
                        .turn
                        .decision
                        .as_ref()
                        .and_then(|d| d.options.get(usize::from(*o)))
                        .map(|x| x.label.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| option.clone());
            let text = if *by_default {
                t!(tr, "table-vote-default", option = label)
            } else {
                t!(tr, "table-vote-ended", option = label)
            };
            ui.label(RichText::new(text).strong());
        }
        _ => {
            if ui.button(format!("{}  [V]", t!(tr, "table-vote-call"))).clicked() {
                out.push(Intent::CallVote(inject));
            }
        }
    }
}

/// What the seat picker keeps between frames.
#[derive(Debug, Default)]
pub struct Typing {
    pub name: String,
    pub roles: Vec<String>,
    /// The player changed the fields (else they follow the seat the server knows).
    pub edited: bool,
}

/// The seat picker on a workshop player's briefing: their name and the roles they play.
pub fn seat_ui(
    ui: &mut egui::Ui,
    roles: &[RoleBrief],
    seated: Option<&Who>,
    floor: Option<&Floor>,
    tr: &Tr,
    typing: &mut Typing,
    out: &mut Vec<Intent>,
) {
    if !typing.edited
        && let Some(w) = seated
    {
        typing.name = if w.name.starts_with("Player ") && w.roles.is_empty() { String::new() } else { w.name.clone() };
        typing.roles = w.roles.clone();
    }
    ui.label(RichText::new(t!(tr, "table-pick")).size(20.0).strong());
    ui.label(RichText::new(t!(tr, "table-pick-hint")).weak());
    let name = ui.add(super::form::field(
        ui,
        egui::TextEdit::singleline(&mut typing.name)
            .hint_text(t!(tr, "table-name-hint"))
            .char_limit(crate::protocol::MAX_NAME_CHARS)
            .desired_width(260.0_f32.min(ui.available_width())),
    ));
    super::name_control(&name, &t!(tr, "table-name-hint"));
    typing.edited |= name.changed();
    for r in roles {
        let mut on = typing.roles.contains(&r.id);
        let others: Vec<&str> = floor
            .map(|f| f.players.iter().filter(|(_, w)| w.roles.contains(&r.id)).map(|(_, w)| w.name.as_str()).collect())
            .unwrap_or_default();
        let text = if others.is_empty() { r.label.clone() } else { format!("{}  ({})", r.label, others.join(", ")) };
        if ui.checkbox(&mut on, RichText::new(text).size(17.0)).changed() {
            typing.edited = true;
            typing.roles.retain(|x| *x != r.id);
            if on {
                typing.roles.push(r.id.clone());
            }
        }
    }
    let ready = !typing.name.trim().is_empty();
    if ui.add_enabled(ready, egui::Button::new(RichText::new(t!(tr, "table-take-seat")).size(18.0))).clicked() {
        typing.edited = false;
        out.push(Intent::TakeSeat { name: typing.name.trim().to_owned(), roles: typing.roles.clone() });
    }
}
