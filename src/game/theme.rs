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

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, apply_settings);
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
