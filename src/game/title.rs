//! Title screen: choose or create a trainee profile; settings.

use super::theme::root_ui;
use super::{PackState, ProfileState, Screen, Settings, UiCommand, UiQueue};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// Draws the title screen.
pub fn title_ui(
    ui: &mut egui::Ui,
    profiles: &ProfileState,
    settings: &Settings,
    pack_title: &str,
    instructor: bool,
    new_name: &mut String,
    out: &mut Vec<UiCommand>,
) {
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(30.0);
            ui.heading(egui::RichText::new("Firstline").size(42.0));
            ui.label("Help desk training: take the call, find the fault, write the ticket, escalate well.");
            ui.label(egui::RichText::new(format!("Pack: {pack_title}")).weak());
            ui.add_space(20.0);
        });
        ui.columns(2, |cols| {
            let ui = &mut cols[0];
            ui.heading("Trainee");
            if profiles.names.is_empty() {
                ui.label("No profiles yet — create one to keep your scores.");
            }
            for n in &profiles.names {
                let current = profiles.current.as_ref().map(|p| p.name.as_str()) == Some(n.as_str());
                if ui.selectable_label(current, n).clicked() {
                    out.push(UiCommand::SelectProfile(n.clone()));
                }
            }
            ui.horizontal(|ui| {
                let r = ui.add(egui::TextEdit::singleline(new_name).hint_text("your name").id_salt("new-profile"));
                super::panels::name(&r, "New trainee name");
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Create profile").clicked() || enter) && !new_name.trim().is_empty() {
                    out.push(UiCommand::CreateProfile(std::mem::take(new_name)));
                }
            });
            ui.add_space(16.0);
            let start = ui.add_sized([220.0, 36.0], egui::Button::new(egui::RichText::new("Scenarios ▶").size(18.0)));
            if start.clicked() {
                out.push(UiCommand::Go(Screen::Browser));
            }
            ui.horizontal(|ui| {
                if ui.button("My progress").clicked() {
                    out.push(UiCommand::Go(Screen::Progress));
                }
                if ui.button("Shifts: a day on the desk").clicked() {
                    out.push(UiCommand::Go(Screen::Shifts));
                }
                if instructor && ui.button("Instructor view").clicked() {
                    out.push(UiCommand::Go(Screen::Instructor));
                }
            });
            if let Some(p) = &profiles.problem {
                ui.colored_label(egui::Color32::from_rgb(230, 120, 90), p);
            }
            let ui = &mut cols[1];
            ui.heading("Settings");
            // The scale applies when the slider is let go (or moved by keyboard), so the
            // UI does not rescale under the pointer while dragging.
            let draft_id = egui::Id::new("scale-draft");
            let mut scale = ui
                .ctx()
                .data(|d| d.get_temp::<f32>(draft_id))
                .unwrap_or(settings.ui_scale);
            let r = ui.add(
                egui::Slider::new(&mut scale, 0.75..=2.0)
                    .step_by(0.05)
                    .text("UI scale (applies on release)"),
            );
            if r.dragged() {
                ui.ctx().data_mut(|d| d.insert_temp(draft_id, scale));
            } else {
                ui.ctx().data_mut(|d| d.remove::<f32>(draft_id));
                if (r.changed() || r.drag_stopped()) && scale != settings.ui_scale {
                    out.push(UiCommand::SetScale(scale));
                }
            }
            let mut dark = settings.dark;
            ui.horizontal(|ui| {
                ui.label("Theme:");
                if ui.selectable_value(&mut dark, true, "Dark").clicked() || ui.selectable_value(&mut dark, false, "Light").clicked() {
                    out.push(UiCommand::SetDark(dark));
                }
            });
            ui.add_space(10.0);
            ui.label(egui::RichText::new("Keyboard").strong());
            egui::Grid::new("keys").num_columns(2).show(ui, |ui| {
                for (k, what) in super::panels::SHORTCUTS {
                    ui.label(egui::RichText::new(k).monospace());
                    ui.label(what);
                    ui.end_row();
                }
            });
        });
    });
}

fn draw(
    mut contexts: EguiContexts,
    profiles: Res<ProfileState>,
    settings: Res<Settings>,
    pack: Res<PackState>,
    mode: Res<super::Mode>,
    mut queue: ResMut<UiQueue>,
    mut new_name: Local<String>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let title = pack
        .pack
        .as_ref()
        .map(|p| p.meta.title.clone())
        .unwrap_or_default();
    title_ui(
        &mut ui,
        &profiles,
        &settings,
        &title,
        mode.instructor,
        &mut new_name,
        &mut queue.0,
    );
    Ok(())
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.run_if(in_state(Screen::Title)));
}
