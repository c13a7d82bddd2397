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
    ctx.all_styles_mut(style);
    *applied = Some(*settings);
    Ok(())
}

/// The shared style: solid scroll bars beside the content (never over it), text sizes no
/// smaller than 13 points, weak text strong enough for WCAG AA.
pub fn style(s: &mut egui::Style) {
    s.spacing.item_spacing = egui::vec2(8.0, 6.0);
    s.spacing.button_padding = egui::vec2(8.0, 4.0);
    s.spacing.scroll = egui::style::ScrollStyle::solid();
    for (ts, font) in s.text_styles.iter_mut() {
        let min = match ts {
            egui::TextStyle::Heading => 20.0,
            _ => MIN_TEXT,
        };
        font.size = font.size.max(min);
    }
    let dark = s.visuals.dark_mode;
    // Weak text in both themes at 4.5:1 or better against the panel.
    // Body text brighter than egui's default, weak text dimmer than body but still AA.
    s.visuals.weak_text_color = Some(if dark {
        egui::Color32::from_gray(150)
    } else {
        egui::Color32::from_gray(90)
    });
    s.visuals.widgets.noninteractive.fg_stroke.color = if dark {
        egui::Color32::from_gray(205)
    } else {
        egui::Color32::from_gray(30)
    };
    // A focus ring that shows on every control.
    s.visuals.selection.stroke = egui::Stroke::new(2.0, focus_colour(dark));
}

/// The smallest text size, in points (before the UI scale).
pub const MIN_TEXT: f32 = 13.0;

fn focus_colour(dark: bool) -> egui::Color32 {
    if dark {
        egui::Color32::from_rgb(255, 200, 60)
    } else {
        egui::Color32::from_rgb(0, 90, 200)
    }
}

/// Draws a ring around the focused widget when the keyboard is in use (Tab, arrows or
/// a shortcut was pressed since the last click), on top of everything.
pub fn focus_ring(ctx: &egui::Context) {
    let id = egui::Id::new("keyboard-mode");
    let (keys, click) = ctx.input(|i| {
        (
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Key { pressed: true, .. })),
            i.pointer.any_pressed(),
        )
    });
    let mut on = ctx.data(|d| d.get_temp::<bool>(id)).unwrap_or(false);
    if click {
        on = false;
    } else if keys {
        on = true;
    }
    ctx.data_mut(|d| d.insert_temp(id, on));
    if !on {
        return;
    }
    let Some(focused) = ctx.memory(|m| m.focused()) else {
        return;
    };
    let Some(r) = ctx.read_response(focused) else {
        return;
    };
    let rect = r.interact_rect.expand(2.0);
    if !rect.is_positive() {
        return;
    }
    let dark = ctx.global_style().visuals.dark_mode;
    ctx.layer_painter(egui::LayerId::new(
        egui::Order::Tooltip,
        egui::Id::new("focus-ring"),
    ))
    .rect_stroke(
        rect,
        3.0,
        egui::Stroke::new(2.5, focus_colour(dark)),
        egui::StrokeKind::Outside,
    );
}

/// Red for errors and refusals, readable on both themes (AA on the panel colour).
pub fn danger(v: &egui::Visuals) -> egui::Color32 {
    if v.dark_mode {
        egui::Color32::from_rgb(255, 120, 110)
    } else {
        egui::Color32::from_rgb(176, 32, 24)
    }
}

/// Green for confirmations, readable on both themes.
pub fn success(v: &egui::Visuals) -> egui::Color32 {
    if v.dark_mode {
        egui::Color32::from_rgb(110, 210, 130)
    } else {
        egui::Color32::from_rgb(20, 110, 45)
    }
}

/// Console output: bright, as on a terminal (7:1 or better on the panel).
pub fn console_text(v: &egui::Visuals) -> egui::Color32 {
    if v.dark_mode {
        egui::Color32::from_gray(225)
    } else {
        egui::Color32::from_gray(20)
    }
}

/// Secondary text (the trainee's own lines, tags): dimmer than body text, still AA.
pub fn secondary_text(v: &egui::Visuals) -> egui::Color32 {
    v.weak_text_color()
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

/// A 0–100 gauge: the value as text in the body colour (so it reads in both themes)
/// over a thin bar in the score colour — no text drawn on a coloured fill.
pub fn gauge(ui: &mut egui::Ui, width: f32, v: i32, text: &str) {
    ui.vertical(|ui| {
        ui.set_width(width);
        ui.add(egui::Label::new(text).truncate());
        let (r, _) = ui.allocate_exact_size(egui::vec2(width, 6.0), egui::Sense::hover());
        let p = ui.painter();
        p.rect_filled(r, 3.0, ui.visuals().extreme_bg_color);
        let mut f = r;
        f.set_width(r.width() * v.clamp(0, 100) as f32 / 100.0);
        p.rect_filled(f, 3.0, score_color(v as i64));
    });
}

/// A score's colour for text: the score colours, darkened in the light theme and
/// lightened in the dark one, so text passes WCAG AA (4.5:1) on the panel.
pub fn score_text(v: i64, vis: &egui::Visuals) -> egui::Color32 {
    let dark = vis.dark_mode;
    match (v, dark) {
        (i64::MIN..=39, true) => egui::Color32::from_rgb(255, 130, 120),
        (i64::MIN..=39, false) => egui::Color32::from_rgb(176, 32, 24),
        (40..=69, true) => egui::Color32::from_rgb(240, 190, 80),
        (40..=69, false) => egui::Color32::from_rgb(140, 80, 0),
        (_, true) => egui::Color32::from_rgb(110, 210, 130),
        (_, false) => egui::Color32::from_rgb(20, 110, 45),
    }
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast(a: egui::Color32, b: egui::Color32) -> f32 {
    fn lum(c: egui::Color32) -> f32 {
        let ch = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
    }
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Colour for a 0–100 score or mood.
pub fn score_color(v: i64) -> egui::Color32 {
    match v {
        i64::MIN..=39 => egui::Color32::from_rgb(220, 80, 70),
        40..=69 => egui::Color32::from_rgb(230, 170, 40),
        _ => egui::Color32::from_rgb(70, 180, 100),
    }
}

/// Sets up a context as the game does (theme, style, bundled fonts read from disk), for
/// egui-only callers such as egui_kittest tests.
pub fn prepare(ctx: &egui::Context, dark: bool) {
    ctx.set_theme(if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
    ctx.all_styles_mut(style);
    super::fonts::install_from_disk(ctx);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: text colours pass WCAG AA (4.5:1) on the panel and window colours of
    /// both themes.
    #[test]
    fn issue13_text_colours_pass_wcag_aa_in_both_themes() {
        for dark in [true, false] {
            let mut st = egui::Style {
                visuals: if dark {
                    egui::Visuals::dark()
                } else {
                    egui::Visuals::light()
                },
                ..Default::default()
            };
            style(&mut st);
            let v = &st.visuals;
            let mut texts = vec![
                ("body", v.text_color()),
                ("weak", v.weak_text_color()),
                ("strong", v.strong_text_color()),
                ("danger", danger(v)),
                ("success", success(v)),
                ("console", console_text(v)),
                ("secondary", secondary_text(v)),
            ];
            for s in [10, 50, 90] {
                texts.push(("score", score_text(s, v)));
            }
            // Weak text is dimmer than body text (so "weak" still means something).
            let lum = |c: egui::Color32| contrast(c, v.panel_fill);
            assert!(lum(v.weak_text_color()) < lum(v.text_color()));
            for bg in [v.panel_fill, v.window_fill, v.extreme_bg_color] {
                for (what, c) in &texts {
                    let r = contrast(*c, bg);
                    assert!(
                        r >= 4.5,
                        "{} theme: {what} {c:?} on {bg:?} is {r:.2}:1",
                        if dark { "dark" } else { "light" }
                    );
                }
            }
            // The focus ring stands out (3:1 for non-text).
            assert!(contrast(focus_colour(dark), v.panel_fill) >= 3.0);
        }
    }

    #[test]
    fn issue13_minimum_text_size() {
        let mut st = egui::Style::default();
        style(&mut st);
        for (ts, f) in &st.text_styles {
            assert!(f.size >= MIN_TEXT, "{ts:?} is {}", f.size);
        }
    }
}
