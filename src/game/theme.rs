//! Look and feel: theme, UI scale and the root UI every screen draws into.

use super::Settings;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// Applies the theme and scale when the settings change (and on the first frame).
fn apply_settings(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut applied: Local<Option<Settings>>,
) -> Result {
    if applied.as_ref() == Some(&*settings) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    ctx.set_theme(if settings.dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
    ctx.set_zoom_factor(settings.ui_scale);
    ctx.all_styles_mut(|s| {
        s.spacing.item_spacing = egui::vec2(8.0, 6.0);
        s.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
    *applied = Some(*settings);
    Ok(())
}

/// With `FIRSTLINE_PERF=1`: logs why egui asked for another frame.
fn repaint_causes(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    let causes = ctx.repaint_causes();
    if !causes.is_empty() {
        let events = ctx.input(|i| format!("{:?}", i.raw.events));
        eprintln!("perf: repaint causes {causes:?}; input events {events}");
    }
    Ok(())
}

/// bevy_egui 0.42 pushes a `ModifiersChanged` event every frame, and egui repaints
/// immediately after any input event, so the window would redraw forever. Keep the event
/// only when the modifiers really changed, so an idle window stays idle.
fn drop_unchanged_modifiers(
    mut inputs: Query<&mut bevy_egui::EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        let prev = *last;
        input.0.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let changed = prev != Some(*m);
                *last = Some(*m);
                changed
            }
            _ => true,
        });
    }
}

pub(super) fn plugin(app: &mut App) {
    use bevy_egui::EguiPreUpdateSet;
    app.add_systems(EguiPrimaryContextPass, apply_settings)
        .add_systems(
            PreUpdate,
            drop_unchanged_modifiers
                .after(EguiPreUpdateSet::ProcessInput)
                .before(EguiPreUpdateSet::BeginPass),
        );
    if std::env::var_os("FIRSTLINE_PERF").is_some() {
        app.add_systems(EguiPrimaryContextPass, repaint_causes);
    }
}

/// A UI covering the whole window, for a screen to lay its panels out in.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    let ui = egui::Ui::new(
        ctx.clone(),
        "firstline-root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let bg = ctx.global_style().visuals.panel_fill;
    ui.painter().rect_filled(ctx.viewport_rect(), 0.0, bg);
    ui
}

/// Colour for a 0–100 score or mood.
pub fn score_color(v: i64) -> egui::Color32 {
    match v {
        i64::MIN..=39 => egui::Color32::from_rgb(220, 80, 70),
        40..=69 => egui::Color32::from_rgb(230, 170, 40),
        _ => egui::Color32::from_rgb(70, 180, 100),
    }
}
