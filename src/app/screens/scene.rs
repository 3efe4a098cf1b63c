//! A decision the scenario stages as a scene (a press conference, the board room, a
//! hearing): a stage painted from code, the question as a headline, the answers as cards.
//! Whether the team walks on prepared shows in the picture (steady lights and notes, or
//! camera flashes, a cold glare and papers in disarray) and in words, never in colour alone.

use bevy_egui::egui::{self, Color32, Pos2, Rect, RichText, Sense, Shape, Stroke, Vec2, pos2, vec2};

use super::super::session::Intent;
use super::form::{self, Form};
use super::table;
use super::{BAD, GOOD};
use crate::i18n::Tr;
use crate::sim::present::player::{DecisionView, SceneView};
use crate::sim::scenario::Scene;
use crate::t;

/// The scene's name in the players' language.
pub fn scene_label(s: Scene, tr: &Tr) -> String {
    match s {
        Scene::PressConference => t!(tr, "scene-press-conference"),
        Scene::BoardRoom => t!(tr, "scene-board-room"),
        Scene::Hearing => t!(tr, "scene-hearing"),
    }
}

/// What the stage shows, in words: its accessible name (the picture is an image).
pub fn stage_description(scene: SceneView, tr: &Tr) -> String {
    let place = match scene.staging {
        Scene::PressConference => t!(tr, "scene-stage-press"),
        Scene::BoardRoom => t!(tr, "scene-stage-board"),
        Scene::Hearing => t!(tr, "scene-stage-hearing"),
    };
    match scene.prepared {
        Some(true) => format!("{place} {}", t!(tr, "scene-stage-prepared")),
        Some(false) if scene.staging == Scene::PressConference => {
            format!("{place} {}", t!(tr, "scene-stage-unprepared"))
        }
        Some(false) => format!("{place} {}", t!(tr, "scene-stage-unprepared-room")),
        None => place,
    }
}

/// The scene's contents, as wide as `ui`: the stage, the verdict, the headline, the
/// question, then `answers` (the caller's [`answer_cards`], with who decides in a workshop).
pub fn scene_ui(
    ui: &mut egui::Ui,
    d: &DecisionView,
    scene: SceneView,
    (tr, form): (&Tr, Form),
    answers: impl FnOnce(&mut egui::Ui),
) {
    let stage_height = if form == Form::Phone { 60.0 } else { 170.0 };
    stage_ui(ui, scene, stage_height, tr);
    ui.add_space(6.0);
    verdict_ui(ui, scene.prepared, tr);
    ui.add(egui::Label::new(form::heading(&d.item.title, 26.0, form)).wrap());
    let who = if d.item.byline.is_some() { d.item.from.as_str() } else { d.item.outlet.as_str() };
    ui.label(RichText::new(t!(tr, "scene-asks", who = who)).weak());
    ui.add(egui::Label::new(RichText::new(format!("“{}”", d.item.text)).size(17.0).italics()).wrap());
    ui.add_space(8.0);
    answers(ui);
}

/// The verdict in words with its mark: prepared (a check, green) or unprepared (a cross, red).
fn verdict_ui(ui: &mut egui::Ui, prepared: Option<bool>, tr: &Tr) {
    let Some(prepared) = prepared else { return };
    let (tag, line, color) = if prepared {
        (t!(tr, "scene-prepared"), t!(tr, "scene-prepared-line"), GOOD)
    } else {
        (t!(tr, "scene-unprepared"), t!(tr, "scene-unprepared-line"), BAD)
    };
    ui.horizontal_wrapped(|ui| {
        let (rect, _) = ui.allocate_exact_size(Vec2::splat(18.0), Sense::hover());
        let p = ui.painter();
        p.circle_filled(rect.center(), 9.0, color);
        let c = rect.center();
        let ink = Stroke::new(2.5, Color32::WHITE);
        if prepared {
            p.line_segment([c + vec2(-4.5, 0.0), c + vec2(-1.0, 3.5)], ink);
            p.line_segment([c + vec2(-1.0, 3.5), c + vec2(5.0, -4.0)], ink);
        } else {
            p.line_segment([c + vec2(-4.0, -4.0), c + vec2(4.0, 4.0)], ink);
            p.line_segment([c + vec2(4.0, -4.0), c + vec2(-4.0, 4.0)], ink);
        }
        egui::Frame::new().fill(color).corner_radius(4.0).inner_margin(vec2(6.0, 2.0)).show(ui, |ui| {
            ui.label(RichText::new(tag.to_uppercase()).strong().color(Color32::WHITE));
        });
        ui.label(line);
    });
}

/// The answers as cards: side by side where they fit, one under the other on a phone.
pub fn answer_cards(ui: &mut egui::Ui, d: &DecisionView, (tr, form): (&Tr, Form), out: &mut Vec<Intent>) {
    ui.label(RichText::new(t!(tr, "scene-answers")).strong());
    let n = d.options.len().max(1);
    let gap = 8.0;
    let side_by_side = !form.touch() && ui.available_width() / n as f32 >= 200.0;
    if side_by_side {
        let width = (ui.available_width() - gap * (n as f32 - 1.0)) / n as f32;
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for opt in &d.options {
                ui.vertical(|ui| {
                    ui.set_width(width);
                    card_ui(ui, opt, form, out);
                });
            }
        });
    } else {
        for opt in &d.options {
            card_ui(ui, opt, form, out);
        }
    }
}

/// One answer card: the answer's button (its label) and what it means.
fn card_ui(ui: &mut egui::Ui, opt: &crate::sim::present::player::OptionView, form: Form, out: &mut Vec<Intent>) {
    let v = ui.visuals();
    let stroke = Stroke::new(1.0, v.widgets.noninteractive.bg_stroke.color);
    let margin = if form.touch() { 6.0 } else { 8.0 };
    egui::Frame::new().fill(v.faint_bg_color).stroke(stroke).corner_radius(8.0).inner_margin(margin).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let tall = if form.touch() { form::touch_points(ui.ctx()) } else { 34.0 };
        let button = egui::Button::new(RichText::new(&opt.label).size(17.0).strong())
            .wrap()
            .min_size(vec2(ui.available_width(), tall));
        let answer = ui.add(button);
        form::mark(ui, "option", answer.rect);
        if answer.clicked() {
            out.push(Intent::Act(opt.action));
        }
        if !opt.description.is_empty() {
            ui.add(egui::Label::new(RichText::new(&opt.description).weak()).wrap());
        }
    });
}

/// The painted stage, `height` tall and as wide as `ui`, named for a screen reader.
fn stage_ui(ui: &mut egui::Ui, scene: SceneView, height: f32, tr: &Tr) {
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::hover());
    let name = stage_description(scene, tr);
    response.ctx.accesskit_node_builder(response.id, |node| {
        node.set_role(egui::accesskit::Role::Image);
        node.set_label(name);
    });
    let dark = ui.visuals().dark_mode;
    let p = ui.painter_at(rect);
    let palette = Palette::new(dark, scene.prepared);
    p.rect_filled(rect, 8.0, palette.wall);
    let floor = Rect::from_min_max(pos2(rect.left(), rect.top() + height * 0.72), rect.max);
    p.rect_filled(floor, 0.0, palette.floor);
    match scene.staging {
        Scene::PressConference => press(&p, rect, &palette, scene.prepared),
        Scene::BoardRoom => board(&p, rect, &palette, scene.prepared),
        Scene::Hearing => hearing(&p, rect, &palette, scene.prepared),
    }
    light(&p, rect, scene.staging, scene.prepared);
    p.rect_stroke(rect, 8.0, Stroke::new(1.0, palette.outline), egui::StrokeKind::Inside);
}

/// The colours of a stage in a theme.
struct Palette {
    wall: Color32,
    pattern: Color32,
    floor: Color32,
    wood: Color32,
    wood_dark: Color32,
    crowd: Color32,
    speaker: Color32,
    paper: Color32,
    outline: Color32,
}

impl Palette {
    fn new(dark: bool, prepared: Option<bool>) -> Self {
        // Unprepared, the wall takes a harsh tint; prepared, a warm one.
        let tint = |c: Color32| match prepared {
            Some(false) => c.lerp_to_gamma(Color32::from_rgb(120, 30, 40), 0.18),
            Some(true) => c.lerp_to_gamma(Color32::from_rgb(200, 150, 70), 0.10),
            None => c,
        };
        if dark {
            Self {
                wall: tint(Color32::from_rgb(24, 34, 58)),
                pattern: tint(Color32::from_rgb(36, 50, 82)),
                floor: Color32::from_rgb(44, 48, 64),
                wood: Color32::from_rgb(120, 82, 52),
                wood_dark: Color32::from_rgb(84, 56, 36),
                crowd: Color32::from_rgb(8, 10, 16),
                speaker: Color32::from_rgb(104, 114, 142),
                paper: Color32::from_gray(235),
                outline: Color32::from_gray(70),
            }
        } else {
            Self {
                wall: tint(Color32::from_rgb(206, 218, 236)),
                pattern: tint(Color32::from_rgb(186, 200, 224)),
                floor: Color32::from_rgb(150, 156, 170),
                wood: Color32::from_rgb(160, 112, 72),
                wood_dark: Color32::from_rgb(118, 80, 50),
                crowd: Color32::from_rgb(40, 44, 56),
                speaker: Color32::from_rgb(60, 66, 84),
                paper: Color32::WHITE,
                outline: Color32::from_gray(160),
            }
        }
    }
}

/// A point at fractions (`fx`, `fy`) of `r`.
fn at(r: Rect, fx: f32, fy: f32) -> Pos2 {
    pos2(r.left() + r.width() * fx, r.top() + r.height() * fy)
}

/// A press conference: step-and-repeat backdrop, podium with microphones, the press below.
fn press(p: &egui::Painter, r: Rect, c: &Palette, prepared: Option<bool>) {
    // The backdrop's repeated logo.
    let step = (r.height() * 0.16).max(12.0);
    let mut y = r.top() + step * 0.5;
    let mut row = 0;
    while y < r.top() + r.height() * 0.68 {
        let mut x = r.left() + step * (0.5 + 0.5 * (row % 2) as f32);
        while x < r.right() {
            p.rect_filled(Rect::from_center_size(pos2(x, y), Vec2::splat(step * 0.42)), 3.0, c.pattern);
            x += step;
        }
        y += step * 0.8;
        row += 1;
    }
    // The podium, a trapezoid, with its front panel.
    let h = r.height();
    let top = r.top() + h * 0.42;
    let base = r.top() + h * 0.86;
    let cx = r.center().x;
    let (wt, wb) = (h * 0.34, h * 0.44);
    // The speaker behind it: shoulders and a head.
    let shoulders = vec![
        pos2(cx - h * 0.1, top - h * 0.1),
        pos2(cx + h * 0.1, top - h * 0.1),
        pos2(cx + h * 0.16, top),
        pos2(cx - h * 0.16, top),
    ];
    p.add(Shape::convex_polygon(shoulders, c.speaker, Stroke::NONE));
    p.circle_filled(pos2(cx, top - h * 0.17), h * 0.07, c.speaker);
    let podium = vec![pos2(cx - wt, top), pos2(cx + wt, top), pos2(cx + wb * 0.8, base), pos2(cx - wb * 0.8, base)];
    p.add(Shape::convex_polygon(podium, c.wood, Stroke::new(1.0, c.wood_dark)));
    p.rect_filled(
        Rect::from_min_max(pos2(cx - wt * 1.08, top - 4.0), pos2(cx + wt * 1.08, top + 2.0)),
        2.0,
        c.wood_dark,
    );
    p.circle_filled(pos2(cx, top + h * 0.2), h * 0.07, c.pattern);
    // Microphones on stalks, leaning to the speaker.
    for (i, dx) in [-0.5_f32, -0.2, 0.15, 0.45].iter().enumerate() {
        let foot = pos2(cx + wt * dx, top - 2.0);
        let head = pos2(cx + wt * dx * 0.5, top - h * (0.14 + 0.02 * i as f32));
        p.line_segment([foot, head], Stroke::new(2.0, Color32::from_gray(60)));
        p.circle_filled(head, (h * 0.025).max(3.0), Color32::from_gray(30));
    }
    if prepared == Some(true) {
        notes(p, Rect::from_center_size(pos2(cx - wt * 0.45, top - 5.0), vec2(h * 0.16, h * 0.05)), c);
    }
    // The press: heads and cameras along the front.
    let n = ((r.width() / (h * 0.22)) as usize).clamp(4, 14);
    for i in 0..n {
        let fx = (i as f32 + 0.5) / n as f32;
        if (fx - 0.5).abs() < 0.08 {
            continue;
        }
        let head = at(r, fx, 0.9);
        p.circle_filled(head, h * 0.07, c.crowd);
        if i % 2 == 0 {
            let cam = Rect::from_center_size(head + vec2(h * 0.05, -h * 0.09), vec2(h * 0.12, h * 0.08));
            p.rect_filled(cam, 2.0, Color32::from_gray(25));
            p.circle_filled(cam.center() + vec2(0.0, 0.0), h * 0.025, Color32::from_gray(90));
        }
    }
}

/// The board room: a panelled wall, the long table in perspective, the board in its chairs.
fn board(p: &egui::Painter, r: Rect, c: &Palette, prepared: Option<bool>) {
    let h = r.height();
    for i in 0..6 {
        let x = r.left() + r.width() * (i as f32 + 0.5) / 6.0;
        let panel = Rect::from_center_size(pos2(x, r.top() + h * 0.34), vec2(r.width() / 7.5, h * 0.46));
        p.rect_stroke(panel, 2.0, Stroke::new(1.5, c.pattern), egui::StrokeKind::Inside);
    }
    let table = vec![at(r, 0.38, 0.5), at(r, 0.62, 0.5), at(r, 0.8, 0.95), at(r, 0.2, 0.95)];
    // The board along both sides, one at the head.
    for i in 0..4 {
        let f = i as f32 / 3.0;
        let left = at(r, 0.34 - 0.13 * f, 0.52 + 0.36 * f);
        let right = at(r, 0.66 + 0.13 * f, 0.52 + 0.36 * f);
        for seat in [left, right] {
            p.circle_filled(seat, h * (0.05 + 0.02 * f), c.crowd);
        }
    }
    p.circle_filled(at(r, 0.5, 0.4), h * 0.05, c.crowd);
    p.add(Shape::convex_polygon(table, c.wood, Stroke::new(1.0, c.wood_dark)));
    // The player's place at the foot of the table: notes ready, or papers in disarray.
    let place = at(r, 0.5, 0.86);
    if prepared == Some(true) {
        notes(p, Rect::from_center_size(place, vec2(h * 0.22, h * 0.08)), c);
    } else if prepared == Some(false) {
        for (dx, dy) in [(-0.09, 0.0), (0.05, -0.03), (0.1, 0.02)] {
            let sheet = Rect::from_center_size(place + vec2(h * dx, h * dy), vec2(h * 0.08, h * 0.05));
            p.rect_filled(sheet, 1.0, c.paper.gamma_multiply(0.8));
        }
    }
}

/// A hearing: the raised bench with its members and name plates, the witness table below.
fn hearing(p: &egui::Painter, r: Rect, c: &Palette, prepared: Option<bool>) {
    let h = r.height();
    let members = 5;
    for i in 0..members {
        let fx = 0.2 + 0.6 * i as f32 / (members - 1) as f32;
        p.circle_filled(at(r, fx, 0.24), h * 0.06, c.crowd);
    }
    let bench = Rect::from_min_max(at(r, 0.1, 0.3), at(r, 0.9, 0.5));
    p.rect_filled(bench, 3.0, c.wood);
    p.rect_stroke(bench, 3.0, Stroke::new(1.0, c.wood_dark), egui::StrokeKind::Inside);
    for i in 0..members {
        let fx = 0.2 + 0.6 * i as f32 / (members - 1) as f32;
        p.rect_filled(Rect::from_center_size(at(r, fx, 0.36), vec2(h * 0.16, h * 0.05)), 1.0, c.paper);
    }
    let table = Rect::from_min_max(at(r, 0.38, 0.78), at(r, 0.62, 0.9));
    p.circle_filled(at(r, 0.5, 0.74), h * 0.06, c.crowd);
    p.rect_filled(table, 2.0, c.wood_dark);
    p.line_segment([at(r, 0.53, 0.78), at(r, 0.51, 0.68)], Stroke::new(2.0, Color32::from_gray(60)));
    if prepared == Some(true) {
        notes(p, Rect::from_center_size(at(r, 0.45, 0.8), vec2(h * 0.14, h * 0.05)), c);
    } else if prepared == Some(false) {
        // Papers in disarray on the witness table.
        for (dx, dy) in [(-0.08, 0.0), (0.04, -0.02), (0.09, 0.02)] {
            let sheet = Rect::from_center_size(at(r, 0.5, 0.84) + vec2(h * dx, h * dy), vec2(h * 0.07, h * 0.045));
            p.rect_filled(sheet, 1.0, c.paper.gamma_multiply(0.8));
        }
    }
}

/// The speaker's notes: a sheet with lines of writing.
fn notes(p: &egui::Painter, sheet: Rect, c: &Palette) {
    p.rect_filled(sheet, 1.0, c.paper);
    let lines = 3;
    for i in 0..lines {
        let y = sheet.top() + sheet.height() * (i as f32 + 1.0) / (lines as f32 + 1.0);
        let w = if i == lines - 1 { 0.5 } else { 0.8 };
        p.line_segment(
            [pos2(sheet.left() + sheet.width() * 0.1, y), pos2(sheet.left() + sheet.width() * (0.1 + w * 0.8), y)],
            Stroke::new(1.0, Color32::from_gray(120)),
        );
    }
}

/// The lighting: a steady warm spot when prepared; unprepared, a storm of camera flashes at
/// the press conference and a cold glare on the player's place in a closed room (no
/// cameras in a board room or a hearing); the scenario not saying, a few flashes at the
/// press conference and plain light elsewhere.
fn light(p: &egui::Painter, r: Rect, staging: Scene, prepared: Option<bool>) {
    let h = r.height();
    if prepared == Some(true) {
        let spot = vec![at(r, 0.46, 0.0), at(r, 0.54, 0.0), at(r, 0.72, 1.0), at(r, 0.28, 1.0)];
        p.add(Shape::convex_polygon(spot, Color32::from_rgba_unmultiplied(255, 236, 180, 28), Stroke::NONE));
        return;
    }
    if staging != Scene::PressConference {
        if prepared == Some(false) {
            // A hard, cold light straight down on the seat at the foot of the room.
            for (half, alpha) in [(0.2, 22), (0.11, 30)] {
                let cone = vec![
                    at(r, 0.5 - half * 0.25, 0.0),
                    at(r, 0.5 + half * 0.25, 0.0),
                    at(r, 0.5 + half, 1.0),
                    at(r, 0.5 - half, 1.0),
                ];
                p.add(Shape::convex_polygon(cone, Color32::from_rgba_unmultiplied(190, 215, 255, alpha), Stroke::NONE));
            }
        }
        return;
    }
    let flashes: &[(f32, f32)] = match prepared {
        Some(false) => &[
            (0.07, 0.8),
            (0.16, 0.74),
            (0.27, 0.8),
            (0.36, 0.72),
            (0.63, 0.78),
            (0.72, 0.7),
            (0.8, 0.8),
            (0.9, 0.74),
            (0.12, 0.52),
            (0.88, 0.5),
            (0.22, 0.6),
            (0.78, 0.58),
        ],
        _ => &[(0.2, 0.8), (0.8, 0.76)],
    };
    for &(fx, fy) in flashes {
        let centre = at(r, fx, fy);
        let size = h * if prepared == Some(false) { 0.05 } else { 0.04 };
        p.circle_filled(centre, size * 2.2, Color32::from_rgba_unmultiplied(255, 255, 255, 28));
        p.circle_filled(centre, size * 0.8, Color32::from_rgba_unmultiplied(255, 255, 235, 240));
        // A star of light: long rays across, short ones on the diagonals.
        for k in 0..8 {
            let a = std::f32::consts::FRAC_PI_4 * k as f32;
            let long = if k % 2 == 0 { 3.2 } else { 1.7 };
            let d = vec2(a.cos(), a.sin()) * size;
            let ray = Color32::from_rgba_unmultiplied(255, 255, 240, 200);
            p.line_segment([centre + d * 0.8, centre + d * long], Stroke::new(1.5, ray));
        }
    }
}

/// The scene's window, over the turn screen: as wide as the screen allows, its contents
/// scrolling on a short screen; in a workshop, who decides (or the team's vote) above the
/// answers.
pub(super) fn scene_window(
    ctx: &egui::Context,
    (d, scene): (&DecisionView, SceneView),
    table: Option<&table::LiveTable<'_>>,
    (tr, form): (&Tr, Form),
    out: &mut Vec<Intent>,
) {
    let screen = ctx.viewport_rect();
    let sideways = form == Form::Phone && screen.width() > screen.height();
    let width = if form == Form::Desktop { (screen.width() - 64.0).min(920.0) } else { screen.width() - 24.0 };
    egui::Window::new(RichText::new(scene_label(scene.staging, tr)).size(18.0).strong())
        .id(egui::Id::new(("decision", d.inject)))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, Vec2::ZERO)
        .default_width(width)
        .max_width(width)
        .constrain_to(screen)
        .show(ctx, |ui| {
            form::touch_style(ui, form);
            let answers = |ui: &mut egui::Ui, out: &mut Vec<Intent>| {
                super::turn::decision_who(ui, d, table, tr, out);
                answer_cards(ui, d, (tr, form), out);
            };
            if sideways {
                // A phone on its side: the stage and the question beside the answers (the
                // wider part), each scrolling in the height the window's title leaves.
                let height = screen.height() - 72.0;
                ui.horizontal_top(|ui| {
                    let width = ui.available_width();
                    ui.vertical(|ui| {
                        ui.set_width(width * 0.38);
                        egui::ScrollArea::vertical().id_salt("scene_stage").max_height(height).show(ui, |ui| {
                            scene_ui(ui, d, scene, (tr, form), |_| {});
                        });
                    });
                    ui.vertical(|ui| {
                        ui.set_width(width * 0.62 - 12.0);
                        egui::ScrollArea::vertical().id_salt("scene_answers").max_height(height).show(ui, |ui| {
                            answers(ui, out);
                            super::follow_focus(ui);
                        });
                    });
                });
            } else if form == Form::Phone {
                // A phone's screen is shorter than the scene: the stage and the question, and
                // the answers, scroll each in their own part, the answers taking the most.
                let height = ui.available_height() - 16.0;
                egui::ScrollArea::vertical().id_salt("scene_stage").max_height(height * 0.45).show(ui, |ui| {
                    scene_ui(ui, d, scene, (tr, form), |_| {});
                });
                ui.separator();
                egui::ScrollArea::vertical().id_salt("scene_answers").max_height(height * 0.55).show(ui, |ui| {
                    answers(ui, out);
                    super::follow_focus(ui);
                });
            } else {
                // A desktop's or a tablet's window holds the whole scene.
                scene_ui(ui, d, scene, (tr, form), |ui| answers(ui, out));
            }
        });
}
