//! The size floor of the browser build: Bevy + bevy_egui with the game's features and profile, one egui window, no game.
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

fn main() {
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window { canvas: Some("#ttx-canvas".into()), fit_canvas_to_parent: true, ..default() }),
            ..default()
        }).set(AssetPlugin { meta_check: bevy::asset::AssetMetaCheck::Never, ..default() }))
        .add_plugins(EguiPlugin::default())
        .add_systems(Startup, |mut commands: Commands| { commands.spawn(Camera2d); })
        .add_systems(EguiPrimaryContextPass, ui)
        .run();
}

fn ui(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    egui::Window::new("probe").show(ctx, |ui| { ui.label("hello"); });
    Ok(())
}
