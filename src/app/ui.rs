//! The egui screens: plain functions over the session that return the player's intents.
//! No rule lives here; everything a click changes goes back as an [`Intent`].

use bevy_egui::egui::{self, Align, Color32, Key, Layout, RichText, Stroke, Vec2};

use super::session::{Debrief, Intent, Screen, Session};
use crate::sim::game::Intervention;
use crate::sim::scenario::{Channel, Good, Kind, format_number};
use crate::sim::score;
use crate::sim::{Action, CardState, Game, Outcome};

const ACCENT: Color32 = Color32::from_rgb(0x3b, 0x82, 0xf6);
const GOOD: Color32 = Color32::from_rgb(0x22, 0xa0, 0x5a);
const BAD: Color32 = Color32::from_rgb(0xdc, 0x3c, 0x3c);

/// Text the player is typing on the title screen, kept between frames.
#[derive(Debug, Default)]
pub struct Inputs {
    pub path: String,
    pub paste: String,
    /// The players' reason, typed on the turn screen.
    pub why: String,
    /// The facilitator console's metric editor: which metric, and the value to set.
    pub console_metric: usize,
    pub console_value: f64,
    /// Minutes per turn for the timer, before it is started.
    pub timer_minutes: f64,
    /// The team name typed on the debrief.
    pub team: String,
}

/// Team results ranked per scenario: score, grade, each part of the score, where each team
/// left the leader's path, and who did best on each part.
pub fn leaderboard_ui(root: &mut egui::Ui, session: &Session, out: &mut Vec<Intent>) {
    egui::Panel::top("board_bar").show(root, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new("Leaderboard").size(22.0).strong());
            ui.separator();
            if ui.button("Import result files…").on_hover_text("Saves exported by other teams' games").clicked() {
                out.push(Intent::PickResults);
            }
            if ui.button("Back  [Esc]").clicked() {
                out.push(Intent::ToTitle);
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        if session.boards.is_empty() {
            ui.label("No results yet. After a game, name your team on the debrief and add the result; teams on other machines export their save and you import it here.");
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for b in &session.boards {
                for (k, why) in &b.broken {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format!("Not ranked — {why}")).color(BAD));
                        if ui.small_button("Remove").clicked() {
                            out.push(Intent::RemoveResult(*k));
                        }
                    });
                }
                match &b.board {
                    Err(e) => {
                        ui.label(RichText::new(format!("{}: {e}", b.scenario_id)).color(BAD));
                        for &k in &b.entries {
                            let team = session.results.get(k).and_then(|r| r.save.team.clone()).unwrap_or_default();
                            ui.horizontal(|ui| {
                                ui.label(team);
                                if ui.small_button("Remove").clicked() {
                                    out.push(Intent::RemoveResult(k));
                                }
                            });
                        }
                    }
                    Ok(board) => {
                        ui.label(RichText::new(&board.scenario).size(20.0).strong());
                        if board.mixed_seeds {
                            ui.label(RichText::new("The teams played different seeds: their random events differed.").color(BAD));
                        }
                        egui::Grid::new(("board", &b.scenario_id)).striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
                            for h in ["#", "team", "score", "grade"] {
                                ui.label(RichText::new(h).strong());
                            }
                            if let Some(first) = board.rows.first() {
                                for c in &first.score.components {
                                    ui.label(RichText::new(&c.label).strong());
                                }
                            }
                            for h in ["moves", "first differed from the leader", ""] {
                                ui.label(RichText::new(h).strong());
                            }
                            ui.end_row();
                            for (r, &k) in board.rows.iter().zip(&b.entries) {
                                ui.label(r.rank.to_string());
                                ui.label(RichText::new(&r.team).strong());
                                ui.label(format!("{:.1}", r.score.total));
                                ui.label(&r.score.grade);
                                for c in &r.score.components {
                                    ui.label(format!("{:.1} / {:.0}", c.points, c.max_points));
                                }
                                ui.label(r.moves.to_string());
                                ui.label(r.path_note());
                                if ui.small_button("Remove").clicked() {
                                    out.push(Intent::RemoveResult(k));
                                }
                                ui.end_row();
                            }
                        });
                        for (label, team, value) in &board.best_on {
                            ui.label(format!("Best on {}: {team} ({value})", label.to_lowercase()));
                        }
                        ui.add_space(12.0);
                    }
                }
            }
        });
    });
    if root.ctx().input(|i| i.key_pressed(Key::Escape)) {
        out.push(Intent::ToTitle);
    }
}

/// Draws the current screen; returns what the player asked for this frame.
pub fn screen_ui(root: &mut egui::Ui, session: &Session, screen: Screen, inputs: &mut Inputs) -> Vec<Intent> {
    let mut out = Vec::new();
    // Overlays first: their panels take space before the screen's own.
    overlays_ui(root, session, &mut out);
    match (screen, &session.game) {
        (Screen::Leaderboard, _) => leaderboard_ui(root, session, &mut out),
        (Screen::Title, _) | (_, None) => title_ui(root, session, inputs, &mut out),
        (Screen::Briefing, Some(g)) => briefing_ui(root, g, &mut out),
        (Screen::Playing, Some(g)) => playing_ui(root, g, &mut inputs.why, &mut out),
        (Screen::Summary, Some(g)) => summary_ui(root, g, session.summary_turn, &mut out),
        (Screen::Debrief, Some(g)) => debrief_ui(root, g, session.debrief.as_ref(), &mut inputs.team, &mut out),
    }
    if let (true, Some(g)) = (session.console, &session.game) {
        console_ui(root.ctx(), session, g, inputs, &mut out);
    }
    if root.ctx().input(|i| i.key_pressed(Key::F2)) {
        out.push(Intent::ToggleConsole);
    }
    out
}

/// The facilitator console (F2): hidden from players until opened. Every button sends an
/// intent; the engine logs what it does.
pub fn console_ui(ctx: &egui::Context, session: &Session, g: &Game, inputs: &mut Inputs, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    let mut open = true;
    egui::Window::new(RichText::new("Facilitator console").strong())
        .id(egui::Id::new("console"))
        .open(&mut open)
        .default_width(560.0)
        .default_height(640.0)
        .anchor(egui::Align2::RIGHT_TOP, Vec2::new(-12.0, 60.0))
        .show(ctx, |ui| {
            ui.label(RichText::new("For the facilitator: players do not see this until F2 opens it. Everything done here goes into the log, the save and the report.").weak());
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::CollapsingHeader::new(RichText::new("Turn timer").strong()).default_open(true).show(ui, |ui| {
                    timer_ui(ui, session, inputs, out);
                });
                egui::CollapsingHeader::new(RichText::new("This turn: notes and questions").strong())
                    .default_open(true)
                    .show(ui, |ui| {
                        let mut any = false;
                        for i in g.injects_this_turn() {
                            let inj = &sc.injects[i as usize];
                            if inj.facilitator_notes.is_empty() && inj.questions.is_empty() {
                                continue;
                            }
                            any = true;
                            ui.label(RichText::new(&inj.title).strong());
                            if !inj.facilitator_notes.is_empty() {
                                ui.label(&inj.facilitator_notes);
                            }
                            for q in &inj.questions {
                                ui.label(format!("• {q}"));
                            }
                            ui.add_space(4.0);
                        }
                        if !any {
                            ui.label(RichText::new("No notes or questions for this turn's events.").weak());
                        }
                    });
                egui::CollapsingHeader::new(RichText::new("Injects").strong()).show(ui, |ui| {
                    egui::Grid::new("console_injects").striped(true).show(ui, |ui| {
                        for (k, inj) in sc.injects.iter().enumerate() {
                            let i = k as u16;
                            ui.label(&inj.title);
                            let due = g.due_decisions().any(|(d, _)| d == i);
                            let fired = g.fired_count(i);
                            let status = match (g.is_suppressed(i), fired, due) {
                                (true, _, _) => "suppressed".to_owned(),
                                (_, _, true) => "facing the players".to_owned(),
                                (_, 0, _) => "not yet".to_owned(),
                                (_, n, _) => format!("fired ×{n}"),
                            };
                            ui.label(RichText::new(status).weak());
                            let can_fire = (fired == 0 || inj.repeat) && !due && !g.is_finished();
                            if ui.add_enabled(can_fire, egui::Button::new("Trigger now")).clicked() {
                                out.push(Intent::Facilitate(Intervention::Trigger { inject: i }));
                            }
                            let on = g.is_suppressed(i);
                            if ui.button(if on { "Allow" } else { "Suppress" }).clicked() {
                                out.push(Intent::Facilitate(Intervention::Suppress { inject: i, on: !on }));
                            }
                            ui.end_row();
                        }
                    });
                });
                egui::CollapsingHeader::new(RichText::new("Metrics").strong()).show(ui, |ui| {
                    metric_editor_ui(ui, g, inputs, out);
                });
                let noisy: Vec<usize> = (0..sc.dynamics.len()).filter(|&d| sc.dynamics[d].noise > 0.0).collect();
                if !noisy.is_empty() {
                    egui::CollapsingHeader::new(RichText::new("Random outcomes this turn").strong()).show(ui, |ui| {
                        ui.label(RichText::new("Fix where a random rule lands when this turn ends.").weak());
                        egui::Grid::new("console_rolls").show(ui, |ui| {
                            for d in noisy {
                                let dy = &sc.dynamics[d];
                                ui.label(format!("{} (±{:.0}%)", dy.label, dy.noise * 100.0));
                                let fixed = g.fixed_roll(d as u16);
                                for (name, draw) in [("Low", 0.0), ("Middle", 0.5), ("High", 1.0)] {
                                    if ui.selectable_label(fixed == Some(draw), name).clicked() {
                                        out.push(Intent::Facilitate(Intervention::Roll { dynamic: d as u16, draw }));
                                    }
                                }
                                ui.end_row();
                            }
                        });
                    });
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.add_enabled(g.can_undo(), egui::Button::new("Step back a turn")).clicked() {
                        out.push(Intent::StepBack);
                    }
                    ui.label(RichText::new("back to before the last “End turn”").weak());
                });
                let done: Vec<String> = g
                    .log()
                    .iter()
                    .filter_map(|o| if let Outcome::Facilitator { act } = o { Some(act.describe(sc)) } else { None })
                    .collect();
                if !done.is_empty() {
                    ui.separator();
                    ui.label(RichText::new("Done from the console").strong());
                    for line in done {
                        ui.label(format!("• {line}"));
                    }
                }
            });
        });
    if !open {
        out.push(Intent::ToggleConsole);
    }
}

fn timer_ui(ui: &mut egui::Ui, session: &Session, inputs: &mut Inputs, out: &mut Vec<Intent>) {
    match session.time_left() {
        Some(left) => {
            ui.horizontal(|ui| {
                ui.label(RichText::new(clock(left)).size(22.0).strong());
                let paused = session.timer.paused;
                if ui.button(if paused { "Resume" } else { "Pause" }).clicked() {
                    out.push(Intent::PauseTimer(!paused));
                }
                if ui.button("Switch off").clicked() {
                    out.push(Intent::SetTimer(None));
                }
            });
        }
        None => {
            ui.horizontal(|ui| {
                if inputs.timer_minutes <= 0.0 {
                    inputs.timer_minutes = 5.0;
                }
                ui.add(egui::DragValue::new(&mut inputs.timer_minutes).range(0.5..=120.0).speed(0.5).suffix(" min"));
                if ui.button("Start the timer").clicked() {
                    out.push(Intent::SetTimer(Some(inputs.timer_minutes * 60.0)));
                }
            });
        }
    }
    ui.label(
        RichText::new(
            "When time runs out the turn ends with the moves made so far; unanswered decisions take their default.",
        )
        .weak(),
    );
}

fn metric_editor_ui(ui: &mut egui::Ui, g: &Game, inputs: &mut Inputs, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    if sc.metrics.is_empty() {
        return;
    }
    let k = inputs.console_metric.min(sc.metrics.len() - 1);
    let name = |k: usize| {
        let m = &sc.metrics[k];
        if m.visible { m.label.clone() } else { format!("{} (hidden)", m.label) }
    };
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("console_metric").selected_text(name(k)).width(260.0).show_ui(ui, |ui| {
            for j in 0..sc.metrics.len() {
                if ui.selectable_label(j == k, name(j)).clicked() {
                    inputs.console_metric = j;
                    inputs.console_value = g.metrics()[j];
                }
            }
        });
        ui.label(format!("now {}", sc.metrics[k].format(g.metrics()[k])));
    });
    ui.horizontal(|ui| {
        let m = &sc.metrics[k];
        let range = if m.min.is_finite() { m.min } else { -1e15 }..=if m.max.is_finite() { m.max } else { 1e15 };
        ui.add(egui::DragValue::new(&mut inputs.console_value).range(range));
        if ui.button("Set").clicked() {
            out.push(Intent::Facilitate(Intervention::SetMetric { metric: k as u16, value: inputs.console_value }));
        }
    });
}

/// Seconds as m:ss.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).ceil() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn channel_color(c: Channel) -> Color32 {
    match c {
        Channel::News => Color32::from_rgb(0x60, 0xa5, 0xfa),
        Channel::SocialMedia => Color32::from_rgb(0xc0, 0x84, 0xfc),
        Channel::StoreStaff => Color32::from_rgb(0xfb, 0xbf, 0x24),
        Channel::SupportDesk => Color32::from_rgb(0x34, 0xd3, 0x99),
        Channel::Press => Color32::from_rgb(0xf8, 0x71, 0x71),
        Channel::Regulator => Color32::from_rgb(0xf9, 0x73, 0x16),
        Channel::Internal => Color32::from_rgb(0x94, 0xa3, 0xb8),
    }
}

fn title_ui(root: &mut egui::Ui, session: &Session, inputs: &mut Inputs, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    egui::CentralPanel::default().show(root, |ui| {
        ui.add_space(12.0);
        ui.heading(RichText::new("ttx — incident-response tabletop").size(30.0).strong());
        ui.label("Pick a scenario, read the briefing, then play the incident turn by turn.");
        ui.add_space(12.0);
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (n, e) in session.catalog.iter().enumerate() {
                egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&e.title).size(20.0).strong());
                        if e.path.is_some() {
                            ui.label(RichText::new("custom").italics());
                        }
                        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                            let key = if n < 9 { format!("  [{}]", n + 1) } else { String::new() };
                            if ui.button(RichText::new(format!("Play{key}")).size(18.0)).clicked() {
                                out.push(Intent::NewGame(n));
                            }
                        });
                    });
                    ui.label(&e.summary);
                });
                ui.add_space(6.0);
            }
            ui.add_space(8.0);
            if ui.button(RichText::new("Open scenario file…").size(18.0)).clicked() {
                out.push(Intent::PickFile);
            }
            if !cfg!(target_arch = "wasm32") {
                ui.horizontal(|ui| {
                    ui.label("or type its path:");
                    let edit = ui.add(
                        egui::TextEdit::singleline(&mut inputs.path)
                            .hint_text("path/to/scenario.ron")
                            .desired_width(380.0),
                    );
                    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                    if (ui.button("Open").clicked() || enter) && !inputs.path.trim().is_empty() {
                        out.push(Intent::OpenPath(inputs.path.trim().into()));
                    }
                });
            }
            ui.label(RichText::new("…or drop a .ron file onto this window.").weak());
            egui::CollapsingHeader::new("…or paste a scenario").id_salt("paste").show(ui, |ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut inputs.paste)
                        .code_editor()
                        .desired_rows(8)
                        .desired_width(f32::INFINITY)
                        .hint_text("Scenario( format: 1, ... )"),
                );
                if ui
                    .add_enabled(!inputs.paste.trim().is_empty(), egui::Button::new("Open the pasted scenario"))
                    .clicked()
                {
                    out.push(Intent::OpenText { name: "pasted scenario".into(), text: inputs.paste.clone() });
                }
            });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(session.has_autosave(), egui::Button::new("Continue the autosaved game  [C]"))
                    .clicked()
                {
                    out.push(Intent::Resume);
                }
                if ui.add_enabled(session.has_autosave(), egui::Button::new("Export save…")).clicked() {
                    out.push(Intent::ExportSave);
                }
                if ui.button("Import save…").clicked() {
                    out.push(Intent::PickSave);
                }
                ui.separator();
                let n = session.results.len();
                if ui.button(format!("Leaderboard ({n})")).on_hover_text("Team results on this machine and imported ones").clicked() {
                    out.push(Intent::ShowLeaderboard);
                }
            });
            let place = session.store.as_ref().map_or_else(|| "nowhere (saving is off)".to_owned(), |s| s.describe());
            let caveat = if cfg!(target_arch = "wasm32") {
                " Browser storage can be cleared at any time: export your save to keep it."
            } else {
                ""
            };
            ui.label(RichText::new(format!("The game autosaves after every turn to {place}.{caveat}")).weak());
            ui.label(RichText::new("Facilitators: F2 opens the facilitator console during a game (turn timer, injects, metrics, notes).").weak());
            ui.add_space(12.0);
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Text size");
                for (label, s) in [("S", 1.0), ("M", 1.25), ("L", 1.6), ("XL", 2.0)] {
                    if ui.selectable_label((session.settings.scale - s).abs() < 0.01, label).clicked() {
                        out.push(Intent::SetScale(s));
                    }
                }
                ui.separator();
                if ui.selectable_label(session.settings.dark, "Dark").clicked() {
                    out.push(Intent::SetDark(true));
                }
                if ui.selectable_label(!session.settings.dark, "Light").clicked() {
                    out.push(Intent::SetDark(false));
                }
            });
        });
    });
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input(|i| {
        if typing {
            return;
        }
        if i.key_pressed(Key::C) && session.has_autosave() {
            out.push(Intent::Resume);
        }
        for (n, k) in [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5].iter().enumerate() {
            if i.key_pressed(*k) && n < session.catalog.len() {
                out.push(Intent::NewGame(n));
            }
        }
    });
}

fn briefing_ui(root: &mut egui::Ui, g: &Game, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    let sc = g.scenario();
    egui::Panel::bottom("briefing_start").show(root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new("Start the first turn  [Enter]").size(20.0)).clicked() {
                out.push(Intent::StartPlaying);
            }
            if ui.button("Back to the title").clicked() {
                out.push(Intent::ToTitle);
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(RichText::new(&sc.meta.title).size(28.0).strong());
            ui.label(&sc.meta.summary);
            ui.add_space(8.0);
            if !sc.meta.objectives.is_empty() {
                ui.label(RichText::new("Your objectives").size(20.0).strong());
                for o in &sc.meta.objectives {
                    ui.label(format!("•  {o}"));
                }
            }
            if !sc.meta.facts.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new("What this is based on").size(20.0).strong());
                for f in &sc.meta.facts {
                    ui.label(format!("•  {f}"));
                }
            }
            ui.add_space(8.0);
            ui.label(RichText::new("What you will watch").size(20.0).strong());
            egui::Grid::new("briefing_metrics").striped(true).show(ui, |ui| {
                for m in sc.metrics.iter().filter(|m| m.visible) {
                    ui.label(&m.label);
                    ui.label(m.format(m.initial));
                    ui.label(RichText::new(&m.description).weak());
                    ui.end_row();
                }
            });
            ui.add_space(8.0);
            ui.label(RichText::new("How you are scored").size(20.0).strong());
            let total: f64 = sc.scoring.components.iter().map(|c| c.weight).sum();
            for c in &sc.scoring.components {
                ui.label(format!(
                    "•  {} — {:.0} of 100 points ({}). {}",
                    c.label,
                    100.0 * c.weight / total,
                    c.describe_curve(),
                    c.description
                ));
            }
            ui.add_space(8.0);
            let r = &sc.resources;
            let budget = r.budget.map(|b| format!(" and a budget of {} {}", format_number(b, 0), r.currency)).unwrap_or_default();
            ui.label(format!(
                "Each turn you have {} action point(s){budget}. Mitigations cost points and money and take time to work; some can be switched off again.",
                r.action_points
            ));
        });
    });
    if ctx.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::StartPlaying);
    }
}

/// The turn loop: dashboard, event feed, mitigation cards, decisions.
pub fn playing_ui(root: &mut egui::Ui, g: &Game, why: &mut String, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    let sc = g.scenario();
    let turn = &sc.turns[g.turn()];
    egui::Panel::top("turn_bar").show(root, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(&sc.meta.title).strong());
            ui.separator();
            ui.label(
                RichText::new(format!("Turn {}/{} — {}", g.turn() + 1, sc.turns.len(), turn.label)).size(22.0).strong(),
            );
            ui.separator();
            let pts = g.points_left();
            let total = sc.resources.action_points;
            ui.label(RichText::new(format!("Action points {pts} of {total}")).size(18.0));
            if let Some(b) = g.budget_left() {
                ui.separator();
                ui.label(
                    RichText::new(format!("Budget left {} {}", format_number(b, 0), sc.resources.currency)).size(18.0),
                );
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let decisions_open = g.due_decisions().any(|(_, c)| c.is_none());
                let end =
                    egui::Button::new(RichText::new("End turn  [Enter]").size(18.0).color(Color32::WHITE)).fill(ACCENT);
                if ui
                    .add(end)
                    .on_hover_text(if decisions_open {
                        "Unanswered decisions take their default option."
                    } else {
                        "Resolve this turn."
                    })
                    .clicked()
                {
                    out.push(Intent::EndTurn);
                }
                if ui.add_enabled(g.can_undo(), egui::Button::new("Undo turn  [Ctrl+Z]")).clicked() {
                    out.push(Intent::Undo);
                }
                if ui.button("Menu  [Esc]").clicked() {
                    out.push(Intent::ToTitle);
                }
            });
        });
        ui.add_space(4.0);
    });
    egui::Panel::bottom("rationale").show(root, |ui| {
        ui.horizontal(|ui| {
            ui.label("Why are you doing this?");
            let edit = ui.add(
                egui::TextEdit::singleline(why)
                    .hint_text("your reasoning, for the debrief and the report")
                    .desired_width(520.0),
            );
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.button("Note it").clicked() || enter) && !why.trim().is_empty() {
                out.push(Intent::Note(std::mem::take(why)));
            }
            let notes = g.current_turn_log().iter().filter(|o| matches!(o, Outcome::Note { .. })).count();
            if notes > 0 {
                ui.label(RichText::new(format!("{notes} note(s) this turn")).weak());
            }
        });
    });
    egui::Panel::left("dashboard").resizable(true).default_size(380.0).show(root, |ui| {
        ui.label(RichText::new("Dashboard").size(20.0).strong());
        egui::ScrollArea::vertical().show(ui, |ui| dashboard_ui(ui, g));
    });
    egui::Panel::right("feed").resizable(true).default_size(400.0).show(root, |ui| {
        ui.label(RichText::new("Event feed").size(20.0).strong());
        ui.label(RichText::new(&turn.briefing).italics());
        ui.separator();
        egui::ScrollArea::vertical().id_salt("feed_scroll").show(ui, |ui| feed_ui(ui, g));
    });
    egui::CentralPanel::default().show(root, |ui| {
        ui.label(RichText::new("Mitigations").size(20.0).strong());
        egui::ScrollArea::vertical().id_salt("cards").show(ui, |ui| cards_ui(ui, g, out));
    });
    decisions_ui(&ctx, g, out);
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    ctx.input(|i| {
        if i.key_pressed(Key::Enter) {
            out.push(Intent::EndTurn);
        }
        if i.modifiers.command && i.key_pressed(Key::Z) {
            out.push(Intent::Undo);
        }
        if i.key_pressed(Key::Escape) {
            out.push(Intent::ToTitle);
        }
        let keys = [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];
        for (n, k) in keys.iter().enumerate() {
            if i.key_pressed(*k) && !i.modifiers.command && n < sc.mitigations.len() {
                out.push(Intent::Act(toggle(g, n as u16)));
            }
        }
    });
}

fn toggle(g: &Game, m: u16) -> Action {
    match g.card(m) {
        CardState::Active { .. } | CardState::Pending { .. } => Action::Stop(m),
        _ => Action::Take(m),
    }
}

fn dashboard_ui(ui: &mut egui::Ui, g: &Game) {
    let sc = g.scenario();
    let last = g.history().last().map(Vec::as_slice).unwrap_or(g.metrics());
    let before = if g.history().len() >= 2 { &g.history()[g.history().len() - 2] } else { last };
    for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
        let v = g.metrics()[k];
        let d = last[k] - before[k];
        let color = match (m.good, d > 0.0) {
            (_, _) if d.abs() < 1e-9 => ui.visuals().weak_text_color(),
            (Good::Higher, true) | (Good::Lower, false) => GOOD,
            (Good::Lower, true) | (Good::Higher, false) => BAD,
            (Good::Neutral, _) => ui.visuals().text_color(),
        };
        let resp = ui
            .horizontal(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(200.0);
                    ui.label(RichText::new(&m.label).size(14.0));
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(m.format(v)).size(20.0).strong());
                        if d.abs() > 1e-9 {
                            let sign = if d > 0.0 { "+" } else { "" };
                            ui.label(RichText::new(format!("{sign}{}", format_number(d, m.decimals))).color(color));
                        }
                    });
                });
                let series: Vec<f64> = g.history().iter().map(|h| h[k]).collect();
                sparkline(ui, &series, Vec2::new(140.0, 36.0), color);
            })
            .response;
        resp.on_hover_text(if m.description.is_empty() { m.label.clone() } else { m.description.clone() });
        ui.separator();
    }
}

fn sparkline(ui: &mut egui::Ui, series: &[f64], size: Vec2, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    if series.len() < 2 {
        return;
    }
    let (lo, hi) = series.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let span = if (hi - lo).abs() < 1e-12 { 1.0 } else { hi - lo };
    let pts: Vec<egui::Pos2> = series
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = rect.left() + rect.width() * i as f32 / (series.len() - 1) as f32;
            let y = rect.bottom() - rect.height() * ((v - lo) / span) as f32;
            egui::pos2(x, y)
        })
        .collect();
    let stroke_color = if color == Color32::TRANSPARENT { ACCENT } else { color };
    ui.painter().add(egui::Shape::line(pts, Stroke::new(2.0, stroke_color)));
}

fn feed_ui(ui: &mut egui::Ui, g: &Game) {
    let sc = g.scenario();
    let logs = g.turn_logs();
    for (t, log) in logs.iter().enumerate().rev() {
        let fired: Vec<u16> = log
            .iter()
            .filter_map(|o| if let Outcome::InjectFired { inject } = o { Some(*inject) } else { None })
            .collect();
        if fired.is_empty() {
            continue;
        }
        let current = t == g.turn();
        let header = RichText::new(sc.turns[t].label.clone()).strong();
        egui::CollapsingHeader::new(header).id_salt(("feed", t)).default_open(current).show(ui, |ui| {
            for i in fired.iter().rev() {
                let inj = &sc.injects[*i as usize];
                let c = channel_color(inj.channel);
                egui::Frame::new().stroke(Stroke::new(1.0, c)).inner_margin(8.0).corner_radius(4.0).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(inj.channel.label().to_uppercase()).color(c).size(12.0).strong());
                    ui.label(RichText::new(&inj.title).size(16.0).strong());
                    ui.label(&inj.text);
                });
                ui.add_space(4.0);
            }
        });
    }
}

fn cards_ui(ui: &mut egui::Ui, g: &Game, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    let width = ui.available_width();
    let columns = if width > 900.0 {
        3
    } else if width > 560.0 {
        2
    } else {
        1
    };
    let card_w = width / columns as f32 - 12.0;
    egui::Grid::new("cards_grid").num_columns(columns).spacing(Vec2::new(8.0, 8.0)).show(ui, |ui| {
        for (k, m) in sc.mitigations.iter().enumerate() {
            let state = g.card(k as u16);
            let (badge, badge_color) = match &state {
                CardState::Available => ("available".to_owned(), GOOD),
                CardState::Locked(_) => ("locked".to_owned(), ui.visuals().weak_text_color()),
                CardState::Pending { ready_turn: Some(r), .. } if *r == g.turn() => {
                    ("takes effect as the turn ends".to_owned(), ACCENT)
                }
                CardState::Pending { ready_turn: Some(r), .. } => {
                    (format!("in effect from {}", sc.turns[*r].label), ACCENT)
                }
                CardState::Pending { ready_turn: None, .. } => ("too late to take effect".to_owned(), BAD),
                CardState::Active { .. } => ("ACTIVE".to_owned(), GOOD),
                CardState::Done => ("done".to_owned(), ui.visuals().weak_text_color()),
            };
            let frame = egui::Frame::group(ui.style()).inner_margin(8.0).stroke(Stroke::new(1.5, badge_color));
            frame.show(ui, |ui| {
                ui.set_width(card_w);
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        let key = if k < 9 { format!("[{}] ", k + 1) } else { String::new() };
                        ui.label(RichText::new(format!("{key}{}", m.label)).strong().size(16.0));
                    });
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&m.category).weak());
                        ui.label(RichText::new(badge).color(badge_color).strong());
                    });
                    let money = if m.money > 0.0 {
                        format!("{} {}", format_number(m.money, 0), sc.resources.currency)
                    } else {
                        "no money".to_owned()
                    };
                    let lead = if m.lead_days > 0.0 {
                        format!("works after {} day(s)", m.lead_days)
                    } else {
                        "works at once".to_owned()
                    };
                    let kind = if m.kind == Kind::Toggle { " · can be switched off" } else { "" };
                    ui.label(format!("{} pt · {money} · {lead}{kind}", m.points));
                    for s in &m.side_effects {
                        ui.label(RichText::new(format!("⚠ {s}")).size(13.0).weak());
                    }
                    let (label, action, enabled, why) = match &state {
                        CardState::Available => ("Take", Action::Take(k as u16), true, None),
                        CardState::Locked(lock) => ("Take", Action::Take(k as u16), false, Some(lock.to_string())),
                        CardState::Pending { taken_this_turn: true, .. }
                        | CardState::Active { taken_this_turn: true } => {
                            ("Take back", Action::Stop(k as u16), true, None)
                        }
                        CardState::Pending { .. } | CardState::Active { .. } if m.kind == Kind::Toggle => {
                            ("Switch off", Action::Stop(k as u16), true, None)
                        }
                        _ => ("Take", Action::Take(k as u16), false, None),
                    };
                    let resp = ui.add_enabled(enabled, egui::Button::new(label));
                    let resp = resp.on_hover_text(&m.description);
                    if let Some(why) = why {
                        resp.on_disabled_hover_text(why.clone());
                        ui.label(RichText::new(why).size(12.0).color(BAD));
                    } else if resp.clicked() {
                        out.push(Intent::Act(action));
                    }
                });
            });
            if (k + 1).is_multiple_of(columns) {
                ui.end_row();
            }
        }
    });
}

fn decisions_ui(ctx: &egui::Context, g: &Game, out: &mut Vec<Intent>) {
    let ctx = ctx.clone();
    let sc = g.scenario();
    for (i, chosen) in g.due_decisions() {
        if chosen.is_some() {
            continue;
        }
        let inj = &sc.injects[i as usize];
        egui::Window::new(RichText::new(&inj.title).size(20.0).strong())
            .id(egui::Id::new(("decision", i)))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, Vec2::ZERO)
            .default_width(520.0)
            .show(&ctx, |ui| {
                ui.label(RichText::new(inj.channel.label().to_uppercase()).color(channel_color(inj.channel)).strong());
                ui.label(&inj.text);
                ui.add_space(8.0);
                for (o, opt) in inj.options.iter().enumerate() {
                    let default = if o as u16 == inj.default_option { "  (default)" } else { "" };
                    if ui.button(RichText::new(format!("{}{default}", opt.label)).size(17.0)).clicked() {
                        out.push(Intent::Act(Action::Choose(i, o as u16)));
                    }
                    if !opt.description.is_empty() {
                        ui.label(RichText::new(&opt.description).weak());
                    }
                    ui.add_space(4.0);
                }
            });
        break;
    }
}

/// What changed on the turn just resolved, and why.
pub fn summary_ui(root: &mut egui::Ui, g: &Game, turn: usize, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    let sc = g.scenario();
    egui::Panel::bottom("summary_bar").show(root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let next = if g.is_finished() { "See the debrief  [Enter]" } else { "Next turn  [Enter]" };
            if ui.add(egui::Button::new(RichText::new(next).size(20.0).color(Color32::WHITE)).fill(ACCENT)).clicked() {
                out.push(Intent::ContinueFromSummary);
            }
            if ui.button("Undo this turn  [Ctrl+Z]").clicked() {
                out.push(Intent::Undo);
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(RichText::new(format!("What happened on {}", sc.turns[turn].label)).size(26.0).strong());
            if let Some(log) = g.turn_logs().get(turn) {
                for o in log.iter() {
                    match o {
                        Outcome::MitigationActivated { mitigation } => {
                            ui.label(
                                RichText::new(format!(
                                    "✔ “{}” is now in effect",
                                    sc.mitigations[*mitigation as usize].label
                                ))
                                .color(GOOD),
                            );
                        }
                        Outcome::DecisionMade { inject, option, by_default: true } => {
                            let inj = &sc.injects[*inject as usize];
                            ui.label(format!("No answer on “{}”: {}", inj.title, inj.options[*option as usize].label));
                        }
                        _ => {}
                    }
                }
            }
            ui.add_space(8.0);
            egui::Grid::new("summary_grid").striped(true).spacing(Vec2::new(16.0, 6.0)).show(ui, |ui| {
                ui.label(RichText::new("Metric").strong());
                ui.label(RichText::new("Before").strong());
                ui.label(RichText::new("After").strong());
                ui.label(RichText::new("Why").strong());
                ui.end_row();
                for c in score::turn_changes(g, turn) {
                    let m = &sc.metrics[c.metric as usize];
                    ui.label(&m.label);
                    ui.label(m.format(c.before));
                    ui.label(RichText::new(m.format(c.after)).strong());
                    let why: Vec<String> = c
                        .causes
                        .iter()
                        .take(3)
                        .map(|(l, d)| {
                            format!("{}{} {l}", if *d > 0.0 { "+" } else { "" }, format_number(*d, m.decimals))
                        })
                        .collect();
                    ui.label(why.join("\n"));
                    ui.end_row();
                }
            });
            if !g.is_finished() {
                let next: Vec<u16> = g.injects_this_turn().collect();
                if !next.is_empty() {
                    ui.add_space(10.0);
                    ui.label(RichText::new(format!("Coming up on {}", sc.turns[g.turn()].label)).size(20.0).strong());
                    for i in next {
                        let inj = &sc.injects[i as usize];
                        ui.label(
                            RichText::new(format!("[{}] {}", inj.channel.label(), inj.title))
                                .color(channel_color(inj.channel)),
                        );
                    }
                }
            }
        });
    });
    if ctx.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::ContinueFromSummary);
    }
    if ctx.input(|i| i.modifiers.command && i.key_pressed(Key::Z)) {
        out.push(Intent::Undo);
    }
}

/// The debrief: score and grade, breakdown, charts, history, what each choice was worth.
pub fn debrief_ui(root: &mut egui::Ui, g: &Game, debrief: Option<&Debrief>, team: &mut String, out: &mut Vec<Intent>) {
    let sc = g.scenario();
    egui::Panel::bottom("debrief_bar").show(root, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label("Team name");
            ui.add(egui::TextEdit::singleline(team).hint_text("e.g. Blue team").desired_width(200.0));
            if ui
                .button("Add to the leaderboard")
                .on_hover_text(
                    "Keeps this result on this machine; “Export save…” on the title screen writes it as a result file",
                )
                .clicked()
            {
                out.push(Intent::RecordResult(team.clone()));
            }
        });
        ui.horizontal(|ui| {
            if ui.button(RichText::new("Play again with the same seed").size(17.0)).clicked() {
                out.push(Intent::PlayAgain);
            }
            ui.label("Replay from:");
            for (t, turn) in sc.turns.iter().enumerate().skip(1) {
                if ui
                    .small_button(&turn.label)
                    .on_hover_text("Branch a what-if: your moves up to here are replayed")
                    .clicked()
                {
                    out.push(Intent::ReplayFrom(t));
                }
            }
            if ui
                .button("Export the report…")
                .on_hover_text("Markdown and HTML: timeline, charts, comparison, questions, improvement plan")
                .clicked()
            {
                out.push(Intent::ExportReport);
            }
            if ui.button("Back to the title").clicked() {
                out.push(Intent::ToTitle);
            }
        });
        ui.add_space(6.0);
    });
    let Some(d) = debrief else {
        egui::CentralPanel::default().show(root, |ui| {
            ui.label("Scoring…");
        });
        return;
    };
    egui::CentralPanel::default().show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{:.1}", d.score.total)).size(48.0).strong());
                ui.vertical(|ui| {
                    ui.label(RichText::new(format!("Grade {}", d.score.grade)).size(26.0).strong());
                    ui.label(RichText::new(&d.score.verdict).size(16.0));
                });
            });
            ui.add_space(8.0);
            ui.columns(2, |cols| {
                let ui = &mut cols[0];
                ui.label(RichText::new("The score, part by part").size(20.0).strong());
                for c in &d.score.components {
                    ui.label(format!("{} — {:.1} of {:.1}", c.label, c.points, c.max_points));
                    ui.add(egui::ProgressBar::new(c.fraction as f32).desired_width(320.0));
                    if let Some(m) =
                        sc.scoring.components.iter().find(|x| x.id == c.id).and_then(|x| x.value.metrics_read().next())
                    {
                        for dr in score::drivers(g, m).iter().take(2) {
                            let color = match dr.good {
                                Some(true) => GOOD,
                                Some(false) => BAD,
                                None => ui.visuals().text_color(),
                            };
                            let sign = if dr.delta > 0.0 { "+" } else { "" };
                            ui.label(
                                RichText::new(format!(
                                    "   {sign}{} from {}",
                                    format_number(dr.delta, sc.metrics[m as usize].decimals),
                                    dr.label
                                ))
                                .color(color)
                                .size(13.0),
                            );
                        }
                    }
                }
                let ui = &mut cols[1];
                ui.label(RichText::new("What your choices were worth").size(20.0).strong());
                ui.label(RichText::new("Each one replayed away on the same seed.").weak());
                if g.log().iter().any(|o| matches!(o, Outcome::Facilitator { .. })) {
                    ui.label(
                        RichText::new("The facilitator intervened in this game: these replays and “Replay from” repeat the players' moves only.")
                            .color(Color32::from_rgb(0xf5, 0x9e, 0x0b)),
                    );
                }
                if d.choices.is_empty() {
                    ui.label("You took no actions.");
                }
                for c in d.choices.iter().take(8) {
                    let color = if c.delta >= 0.0 { GOOD } else { BAD };
                    ui.label(RichText::new(format!("{:+.1}  {}", c.delta, c.label)).color(color));
                }
                if let (Some(h), Some((hg, hs))) = (sc.history.as_ref(), d.history.as_ref()) {
                    ui.add_space(8.0);
                    ui.label(RichText::new(format!("{}: {:.1} ({})", h.label, hs.total, hs.grade)).size(18.0).strong());
                    egui::Grid::new("vs_history").striped(true).show(ui, |ui| {
                        ui.label("");
                        ui.label(RichText::new("You").strong());
                        ui.label(RichText::new("History (model)").strong());
                        ui.end_row();
                        for (k, m) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible) {
                            ui.label(&m.label);
                            ui.label(m.format(g.metrics()[k]));
                            ui.label(m.format(hg.metrics()[k]));
                            ui.end_row();
                        }
                    });
                }
            });
            ui.add_space(10.0);
            ui.label(RichText::new("Over the turns (markers: your moves)").size(20.0).strong());
            let moves: Vec<usize> = g.actions().iter().map(|(t, _)| *t).collect();
            let per_row = ((ui.available_width() / 280.0).floor() as usize).max(1);
            egui::Grid::new("charts").spacing(Vec2::new(16.0, 10.0)).show(ui, |ui| {
                for (n, (k, m)) in sc.metrics.iter().enumerate().filter(|(_, m)| m.visible).enumerate() {
                    ui.vertical(|ui| {
                        ui.label(&m.label);
                        let series: Vec<f64> = g.history().iter().map(|h| h[k]).collect();
                        let hist: Option<Vec<f64>> =
                            d.history.as_ref().map(|(hg, _)| hg.history().iter().map(|h| h[k]).collect());
                        chart(ui, &m.id, &series, hist.as_deref(), &moves, Vec2::new(260.0, 110.0));
                    });
                    if (n + 1).is_multiple_of(per_row) {
                        ui.end_row();
                    }
                }
            });
            let questions: Vec<&String> = g
                .log()
                .iter()
                .filter_map(|o| if let Outcome::InjectFired { inject } = o { Some(*inject) } else { None })
                .flat_map(|i| sc.injects[i as usize].questions.iter())
                .collect();
            if !questions.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new("Questions for the debrief").size(20.0).strong());
                for q in questions {
                    ui.label(format!("•  {q}"));
                }
            }
        });
    });
}

/// A chart (egui_plot) of one metric over the turns: you, the historical path dashed, and a
/// marker on every turn where you moved.
fn chart(ui: &mut egui::Ui, id: &str, series: &[f64], history: Option<&[f64]>, moves: &[usize], size: Vec2) {
    use egui_plot::{Line, LineStyle, Plot, PlotPoints, VLine};
    let points = |v: &[f64]| -> PlotPoints<'static> {
        v.iter().enumerate().map(|(i, y)| [i as f64, *y]).collect::<Vec<_>>().into()
    };
    let you = points(series);
    let hist = history.map(points);
    let mut turns: Vec<usize> = moves.to_vec();
    turns.dedup();
    Plot::new(("chart", id))
        .width(size.x)
        .height(size.y)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_axes([false, true])
        .show(ui, move |plot| {
            for t in turns {
                // A move on turn t shows in the values after it: point t + 1.
                plot.vline(
                    VLine::new("your move", (t + 1) as f64).color(Color32::from_rgba_unmultiplied(250, 200, 60, 110)),
                );
            }
            if let Some(h) = hist {
                plot.line(Line::new("history", h).color(Color32::GRAY).style(LineStyle::dashed_loose()));
            }
            plot.line(Line::new("you", you).color(ACCENT).width(2.0));
        });
}

/// Errors, notices and reload offers, over any screen.
fn overlays_ui(root: &mut egui::Ui, session: &Session, out: &mut Vec<Intent>) {
    let ctx = root.ctx().clone();
    if let Some(err) = &session.errors {
        egui::Window::new(RichText::new(&err.title).color(BAD).strong())
            .id(egui::Id::new("errors"))
            .collapsible(false)
            .default_width(720.0)
            .anchor(egui::Align2::CENTER_CENTER, Vec2::ZERO)
            .show(&ctx, |ui| {
                ui.label("Nothing was changed: fix the file and open it again (a watched file reloads by itself).");
                egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                    for d in &err.diagnostics {
                        let kind = if d.is_error() {
                            RichText::new("error").color(BAD)
                        } else {
                            RichText::new("warning").color(Color32::from_rgb(0xf5, 0x9e, 0x0b))
                        };
                        ui.horizontal(|ui| {
                            ui.label(kind.strong());
                            ui.label(RichText::new(&d.message).strong());
                        });
                        ui.label(RichText::new(format!("{}:{}:{}", d.file, d.line, d.col)).monospace());
                        if !d.path.is_empty() {
                            ui.label(RichText::new(format!("at {}", d.path)).monospace());
                        }
                        if let Some(src) = &d.source_line {
                            ui.label(RichText::new(src.trim_end()).monospace().weak());
                        }
                        if let Some(h) = &d.hint {
                            ui.label(RichText::new(format!("help: {h}")).color(GOOD));
                        }
                        ui.separator();
                    }
                });
                if ui.button("Close  [Esc]").clicked() {
                    out.push(Intent::DismissErrors);
                }
            });
        if ctx.input(|i| i.key_pressed(Key::Escape)) {
            out.push(Intent::DismissErrors);
        }
    }
    if let Some(n) = &session.notice {
        egui::Panel::bottom("notice").show(root, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(n).color(Color32::from_rgb(0xf5, 0x9e, 0x0b)));
                if ui.small_button("OK").clicked() {
                    out.push(Intent::DismissNotice);
                }
            });
        });
    }
    if let (Some(left), Some(g)) = (session.time_left(), &session.game)
        && !g.is_finished()
    {
        egui::Panel::top("timer").show(root, |ui| {
            ui.horizontal(|ui| {
                let color = if left < 30.0 { BAD } else { ACCENT };
                ui.label(
                    RichText::new(format!("Time left this turn {}", clock(left))).size(18.0).color(color).strong(),
                );
                if session.timer.paused {
                    ui.label(RichText::new("(paused)").weak());
                }
            });
        });
    }
    if session.reload_offered {
        egui::Panel::top("reload").show(root, |ui| {
            ui.horizontal(|ui| {
                ui.label("The scenario file changed on disk.");
                if ui.button("Reload it").clicked() {
                    out.push(Intent::Reload);
                }
            });
        });
    }
}
