//! The browser's accessible mirror of the game. egui draws to a canvas, which assistive
//! technology cannot read, and AccessKit has no web adapter: so in the browser egui's
//! AccessKit tree is turned on, and each frame it changes, its controls and texts go to the
//! page (`window.ttxMirror`) as a short JSON list. The page keeps a visually hidden DOM tree in
//! step over the canvas (buttons as buttons, fields as inputs, live regions as `aria-live`),
//! which screen readers read and explore by touch; a control activated there comes back
//! through [`ttx_mirror_action`] as the AccessKit action request a native adapter would send,
//! so the same happens as with the mouse. The list is built here by hand from the few node
//! fields the page needs (AccessKit's own serialisation would pull serde into it).
//!
//! On the desktop Bevy's AccessKit adapter reads egui's tree (bevy_egui's `accesskit`
//! feature); what a screen reader asks of it (click, focus) arrives as Bevy's
//! `ActionRequest` messages, which bevy_egui does not hand to egui: [`plugin`] does.

use std::collections::HashMap;
use std::sync::Mutex;

use bevy::prelude::*;
use bevy_egui::egui::accesskit::{Action, ActionRequest, Live, Node, NodeId, Role, Toggled, TreeId, TreeUpdate};
use bevy_egui::{
    EguiContext, EguiInput, EguiInputSet, EguiOutput, EguiPostUpdateSet, EguiPreUpdateSet, PrimaryEguiContext,
};
use serde::Serialize;

/// Most nodes sent to the page per frame (a screen has a few hundred).
pub const MAX_NODES: usize = 1500;
/// Longest name or value sent, in characters.
const MAX_TEXT: usize = 2000;
/// Most action requests kept between two frames.
const MAX_ACTIONS: usize = 16;

/// One node of the mirror.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MirrorNode {
    /// AccessKit's node id, as a decimal string (a JavaScript number cannot hold every u64).
    pub id: String,
    /// What the page draws it as: button, link, checkbox, radio, textbox, textarea,
    /// combobox, spinbutton, slider, progressbar, img, text, or live (a live region that
    /// holds the nodes naming it as their `parent`).
    pub kind: &'static str,
    /// The accessible name (a label's text; a field's caption).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where it is over the canvas, in CSS pixels: x, y, width, height.
    pub rect: [f32; 4],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub focused: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toggled: Option<bool>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub click: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub focus: bool,
    /// "polite" or "assertive" on a live region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<&'static str>,
    /// The live region it is in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// The mirror's nodes of a full AccessKit tree update, in reading order (depth first from
/// the root), at most [`MAX_NODES`]; `zoom`: CSS pixels per egui point.
pub fn mirror_nodes(update: &TreeUpdate, zoom: f32) -> Vec<MirrorNode> {
    let nodes: HashMap<NodeId, &Node> = update.nodes.iter().map(|(id, n)| (*id, n)).collect();
    let Some(root) = update.tree.as_ref().map(|t| t.root) else { return Vec::new() };
    let mut out = Vec::new();
    // Depth first, children in order; each entry carries the live region it is in.
    let mut stack: Vec<(NodeId, Option<String>)> = vec![(root, None)];
    let mut visited = 0usize;
    while let Some((id, region)) = stack.pop() {
        visited += 1;
        if out.len() >= MAX_NODES || visited > 20 * MAX_NODES {
            break;
        }
        let Some(node) = nodes.get(&id) else { continue };
        if node.is_hidden() {
            continue;
        }
        let mut inner = region.clone();
        if let Some(mut m) = mirror_node(id, node, &nodes, zoom) {
            m.focused = update.focus == id && id != root;
            m.parent = region;
            if m.kind == "live" {
                inner = Some(m.id.clone());
            }
            out.push(m);
        }
        for child in node.children().iter().rev() {
            stack.push((*child, inner.clone()));
        }
    }
    out
}

/// One node as the page shows it, or None for what it leaves out (containers, text runs,
/// scroll bars, unnamed decoration).
fn mirror_node(id: NodeId, node: &Node, nodes: &HashMap<NodeId, &Node>, zoom: f32) -> Option<MirrorNode> {
    let click = node.supports_action(Action::Click);
    let live = match node.live() {
        Some(Live::Polite) => Some("polite"),
        Some(Live::Assertive) => Some("assertive"),
        Some(Live::Off) | None => None,
    };
    let kind = match node.role() {
        _ if live.is_some() => "live",
        Role::Button | Role::DefaultButton => "button",
        Role::Link => "link",
        Role::CheckBox | Role::Switch => "checkbox",
        Role::RadioButton => "radio",
        Role::TextInput | Role::SearchInput | Role::EmailInput | Role::NumberInput | Role::PasswordInput => "textbox",
        Role::MultilineTextInput => "textarea",
        Role::ComboBox => "combobox",
        Role::SpinButton => "spinbutton",
        Role::Slider => "slider",
        Role::ProgressIndicator => "progressbar",
        Role::Image => "img",
        Role::Label | Role::Heading => "text",
        Role::Unknown if click && node.label().is_some() => "button",
        _ => return None,
    };
    let name = name_of(node, nodes);
    if name.trim().is_empty() && matches!(kind, "text" | "img") {
        return None;
    }
    let value = match kind {
        "text" => None,
        "progressbar" | "slider" | "spinbutton" => node.value().map(str::to_owned).or_else(|| {
            node.numeric_value()
                .map(|v| if kind == "progressbar" { format!("{:.0}%", v * 100.0) } else { v.to_string() })
        }),
        _ => node.value().map(str::to_owned),
    };
    let rect = node.bounds().map_or([0.0; 4], |b| {
        [b.x0 as f32 * zoom, b.y0 as f32 * zoom, (b.x1 - b.x0) as f32 * zoom, (b.y1 - b.y0) as f32 * zoom]
    });
    Some(MirrorNode {
        id: id.0.to_string(),
        kind,
        name: clip(&name),
        value: value.map(|v| clip(&v)),
        rect: rect.map(|v| (v * 10.0).round() / 10.0),
        disabled: node.is_disabled(),
        focused: false,
        toggled: node.toggled().map(|t| t == Toggled::True),
        click,
        focus: node.supports_action(Action::Focus),
        live,
        parent: None,
    })
}

/// A node's accessible name: a label's text (its value), its own label, or the names of
/// the nodes labelling it.
fn name_of(node: &Node, nodes: &HashMap<NodeId, &Node>) -> String {
    if node.role() == Role::Label {
        return node.value().unwrap_or_default().to_owned();
    }
    if let Some(label) = node.label() {
        return label.to_owned();
    }
    let by: Vec<&str> = node
        .labelled_by()
        .iter()
        .filter_map(|id| nodes.get(id))
        .filter_map(|n| if n.role() == Role::Label { n.value() } else { n.label() })
        .collect();
    by.join(" ")
}

fn clip(text: &str) -> String {
    text.chars().take(MAX_TEXT).collect()
}

/// The mirror as the page reads it: a JSON array.
pub fn to_json(nodes: &[MirrorNode]) -> String {
    serde_json::to_string(nodes).unwrap_or_else(|_| "[]".into())
}

static ACTIONS: Mutex<Vec<(u64, Action)>> = Mutex::new(Vec::new());

/// The page's mirror asks for an action on a node: `action` "click" or "focus" on the node
/// `id` (the decimal id it was sent). Anything else is ignored; at most a few are kept
/// between two frames.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn ttx_mirror_action(id: String, action: String) {
    let action = match action.as_str() {
        "click" => Action::Click,
        "focus" => Action::Focus,
        _ => return,
    };
    let Ok(id) = id.parse::<u64>() else { return };
    if let Ok(mut queue) = ACTIONS.lock()
        && queue.len() < MAX_ACTIONS
    {
        queue.push((id, action));
    }
}

/// The action requests the page has made since the last frame, as egui input events.
pub fn take_actions() -> Vec<bevy_egui::egui::Event> {
    let taken = ACTIONS.lock().map(|mut q| std::mem::take(&mut *q)).unwrap_or_default();
    taken
        .into_iter()
        .map(|(id, action)| {
            bevy_egui::egui::Event::AccessKitActionRequest(ActionRequest {
                action,
                target_tree: TreeId::ROOT,
                target_node: NodeId(id),
                data: None,
            })
        })
        .collect()
}

/// In the browser: egui's AccessKit tree on, the mirror sent to the page on change, and
/// the page's action requests fed to egui as input. On the desktop: the platform adapter's
/// action requests fed to egui (Bevy's adapter reads the tree itself).
pub(super) fn plugin(app: &mut App) {
    let input = (EguiInputSet::WriteEguiEvents, EguiPreUpdateSet::BeginPass);
    if cfg!(target_arch = "wasm32") {
        app.add_systems(PreUpdate, feed_page_actions.after(input.0).before(input.1))
            .add_systems(PostUpdate, send_mirror.after(EguiPostUpdateSet::ProcessOutput));
    } else {
        app.add_message::<bevy::a11y::ActionRequest>()
            .add_systems(PreUpdate, feed_desktop_actions.after(input.0).before(input.1));
    }
}

/// Gives egui the screen reader's action requests (Orca's, NVDA's, VoiceOver's) with this
/// frame's input.
fn feed_desktop_actions(
    mut requests: MessageReader<bevy::a11y::ActionRequest>,
    mut inputs: Query<&mut EguiInput, With<PrimaryEguiContext>>,
) {
    let events: Vec<_> = requests.read().map(|r| bevy_egui::egui::Event::AccessKitActionRequest(r.0.clone())).collect();
    feed(events, &mut inputs);
}

/// Gives egui the page's action requests with this frame's input.
fn feed_page_actions(mut inputs: Query<&mut EguiInput, With<PrimaryEguiContext>>) {
    feed(take_actions(), &mut inputs);
}

fn feed(events: Vec<bevy_egui::egui::Event>, inputs: &mut Query<&mut EguiInput, With<PrimaryEguiContext>>) {
    if events.is_empty() {
        return;
    }
    for mut input in inputs.iter_mut() {
        input.events.extend(events.iter().cloned());
    }
}

/// Turns the tree on (from the next frame) and sends the mirror when it changed.
fn send_mirror(
    mut contexts: Query<(&mut EguiContext, &EguiOutput), With<PrimaryEguiContext>>,
    mut sent: Local<Option<String>>,
) {
    for (mut context, output) in &mut contexts {
        let ctx = context.get_mut();
        let Some(update) = &output.platform_output.accesskit_update else {
            ctx.enable_accesskit();
            continue;
        };
        let json = to_json(&mirror_nodes(update, ctx.zoom_factor()));
        if sent.as_deref() != Some(json.as_str()) {
            super::web::send_mirror(&json);
            *sent = Some(json);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy_egui::egui;

    /// One frame of `draw` (the textures it made are let go: nothing renders here).
    fn frame(ctx: &egui::Context, input: egui::RawInput, draw: impl FnMut(&mut egui::Ui)) -> egui::FullOutput {
        let mut out = ctx.run_ui(input, draw);
        out.textures_delta.clear();
        out
    }

    /// Runs `ui` for a few frames with AccessKit on; the last tree update.
    fn tree(mut draw: impl FnMut(&mut egui::Ui)) -> TreeUpdate {
        let ctx = egui::Context::default();
        ctx.enable_accesskit();
        let mut update = None;
        for _ in 0..3 {
            let out = frame(&ctx, egui::RawInput::default(), &mut draw);
            update = out.platform_output.accesskit_update;
        }
        update.expect("AccessKit is on")
    }

    #[test]
    fn the_mirror_has_controls_by_kind_and_name_and_leaves_out_containers() {
        let mut text = String::from("K7QM");
        let mut on = true;
        let update = tree(|ui| {
            ui.label("Intro text");
            let _ = ui.button("Play");
            let caption = ui.label("Join code");
            ui.text_edit_singleline(&mut text).labelled_by(caption.id);
            ui.checkbox(&mut on, "Synchronized");
            ui.add_enabled(false, egui::Button::new("Continue"));
        });
        let nodes = mirror_nodes(&update, 2.0);
        let shown: Vec<(&str, &str)> = nodes.iter().map(|n| (n.kind, n.name.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("text", "Intro text"),
                ("button", "Play"),
                ("text", "Join code"),
                ("textbox", "Join code"),
                ("checkbox", "Synchronized"),
                ("button", "Continue"),
            ]
        );
        let field = &nodes[3];
        assert_eq!(field.value.as_deref(), Some("K7QM"));
        assert!(field.focus && field.click);
        assert_eq!(nodes[4].toggled, Some(true));
        assert!(nodes[5].disabled && !nodes[1].disabled);
        // Bounds in CSS pixels: egui's points times the zoom, below the label before it.
        let (play, at_one) = (nodes[1].rect, mirror_nodes(&update, 1.0)[1].rect);
        assert!(play[2] > 0.0 && play[3] > 0.0 && play[1] > nodes[0].rect[1], "{play:?}");
        assert_eq!(play, at_one.map(|v| v * 2.0));
    }

    #[test]
    fn a_live_region_holds_what_is_inside_it() {
        let update = tree(|ui| {
            ui.label("Before");
            ui.vertical(|ui| {
                ui.ctx().accesskit_node_builder(ui.unique_id(), |n| {
                    n.set_role(Role::Log);
                    n.set_label("Event feed");
                    n.set_live(Live::Polite);
                });
                ui.label("Breach reported");
            });
            ui.label("After");
        });
        let nodes = mirror_nodes(&update, 1.0);
        let shown: Vec<(&str, &str, bool)> =
            nodes.iter().map(|n| (n.kind, n.name.as_str(), n.parent.is_some())).collect();
        assert_eq!(
            shown,
            [
                ("text", "Before", false),
                ("live", "Event feed", false),
                ("text", "Breach reported", true),
                ("text", "After", false)
            ]
        );
        assert_eq!(nodes[1].live, Some("polite"));
        assert_eq!(nodes[2].parent.as_deref(), Some(nodes[1].id.as_str()));
    }

    #[test]
    fn the_mirror_is_bounded() {
        let update = tree(|ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for n in 0..MAX_NODES + 100 {
                    let _ = ui.button(format!("b{n}"));
                }
            });
        });
        assert_eq!(mirror_nodes(&update, 1.0).len(), MAX_NODES);
    }

    #[test]
    fn a_click_from_the_page_clicks_the_button_in_egui() {
        let ctx = egui::Context::default();
        ctx.enable_accesskit();
        let mut clicks = 0;
        let mut id = None;
        for n in 0..3 {
            let mut input = egui::RawInput::default();
            if n == 2 {
                let id: egui::Id = id.expect("drawn");
                ttx_mirror_action(id.value().to_string(), "click".into());
                ttx_mirror_action("not a number".into(), "click".into());
                ttx_mirror_action(id.value().to_string(), "scroll".into());
                input.events = take_actions();
                assert_eq!(input.events.len(), 1, "only the click is taken");
            }
            frame(&ctx, input, |ui| {
                let r = ui.button("End turn");
                id = Some(r.id);
                clicks += usize::from(r.clicked());
            });
        }
        assert_eq!(clicks, 1);
    }
}
