//! Instructor view: the pack's validation diagnostics and live-reload status.

use super::theme::root_ui;
use super::{PackState, Screen, UiCommand, UiQueue};
use crate::scenario::Severity;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// Draws the instructor view.
pub fn instructor_ui(ui: &mut egui::Ui, pack: &PackState, out: &mut Vec<UiCommand>) {
    egui::Panel::top("instructor-top").show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button("◀ Back").clicked() {
                out.push(UiCommand::Go(Screen::Title));
            }
            ui.heading("Instructor view");
            ui.separator();
            ui.label(format!("Pack folder: {}", pack.dir.display()));
            if ui.button("Reload now").clicked() {
                out.push(UiCommand::ReloadPack);
            }
        });
        ui.label(format!(
            "Status: {} — edits to scenario files are picked up automatically.",
            pack.status
        ));
    });
    egui::CentralPanel::default_margins().show(ui, |ui| {
        if let Some(p) = &pack.pack {
            ui.label(format!(
                "{} scenario(s), {} play-test(s), {} knowledge-base article(s), {} team(s).",
                p.scenarios.len(),
                p.playtests.len(),
                p.meta.kb.len(),
                p.meta.teams.len()
            ));
        }
        if let Some(p) = &pack.pack {
            egui::CollapsingHeader::new("Scenarios")
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("instructor-scenarios")
                        .striped(true)
                        .show(ui, |ui| {
                            for h in ["Scenario", "Difficulty", "Variants", "Play-tests", "File"] {
                                ui.label(egui::RichText::new(h).strong());
                            }
                            ui.end_row();
                            for s in &p.scenarios {
                                ui.label(&s.id);
                                ui.label(super::labels::difficulty(s.difficulty));
                                ui.label(
                                    s.variants
                                        .iter()
                                        .map(|v| v.key.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                );
                                ui.label(
                                    p.playtests
                                        .iter()
                                        .filter(|t| t.scenario.id == s.id)
                                        .count()
                                        .to_string(),
                                );
                                ui.label(
                                    egui::RichText::new(s.source.display().to_string())
                                        .small()
                                        .weak(),
                                );
                                ui.end_row();
                            }
                        });
                });
        }
        ui.separator();
        if pack.diagnostics.is_empty() {
            ui.label("No problems found. Run `firstline test` to check the play-tests.");
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for d in &pack.diagnostics {
                    let color = match d.severity {
                        Severity::Error => egui::Color32::from_rgb(220, 80, 70),
                        Severity::Warning => egui::Color32::from_rgb(230, 170, 40),
                    };
                    ui.colored_label(color, egui::RichText::new(d.to_string()).monospace());
                }
            });
    });
}

fn draw(mut contexts: EguiContexts, pack: Res<PackState>, mut queue: ResMut<UiQueue>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    instructor_ui(&mut ui, &pack, &mut queue.0);
    Ok(())
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw.run_if(in_state(Screen::Instructor)),
    );
}
