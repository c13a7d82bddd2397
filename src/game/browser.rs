//! Scenario browser: the pack's scenarios with filters, best scores and seeds.

use super::labels;
use super::panels::chip;
use super::theme::{root_ui, score_text};
use super::{PackState, ProfileState, Screen, UiCommand, UiQueue};
use crate::scenario::format::{Difficulty, Skill};
use crate::scenario::load::Pack;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// Filter and seed choices.
#[derive(Default)]
pub struct BrowserState {
    pub skill: Option<Skill>,
    pub difficulty: Option<Difficulty>,
    pub seed: String,
}

const SKILLS: [Skill; 9] = [
    Skill::Communication,
    Skill::Empathy,
    Skill::Writing,
    Skill::Training,
    Skill::CriticalThinking,
    Skill::Technical,
    Skill::Security,
    Skill::Troubleshooting,
    Skill::BusinessAwareness,
];

/// Draws the browser.
pub fn browser_ui(
    ui: &mut egui::Ui,
    pack: &Pack,
    profiles: &super::ProfileState,
    st: &mut BrowserState,
    out: &mut Vec<UiCommand>,
) {
    egui::Panel::top("browser-top").show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button("◀ Back").clicked() {
                out.push(UiCommand::Go(Screen::Title));
            }
            ui.heading(&pack.meta.title);
            ui.separator();
            ui.label(format!(
                "Trainee: {}",
                profiles
                    .current
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| "(no profile — scores are not kept)".into())
            ));
        });
        // Filters as rows of choices (no pop-up lists that trap Tab).
        ui.horizontal_wrapped(|ui| {
            ui.label("Skill:");
            if chip(ui, st.skill.is_none(), "Skill", "All").clicked() {
                st.skill = None;
            }
            for s in SKILLS {
                if chip(ui, st.skill == Some(s), "Skill", &labels::skill(s)).clicked() {
                    st.skill = Some(s);
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Difficulty:");
            if chip(ui, st.difficulty.is_none(), "Difficulty", "All").clicked() {
                st.difficulty = None;
            }
            for d in [
                Difficulty::Beginner,
                Difficulty::Intermediate,
                Difficulty::Advanced,
            ] {
                if chip(
                    ui,
                    st.difficulty == Some(d),
                    "Difficulty",
                    labels::difficulty(d),
                )
                .clicked()
                {
                    st.difficulty = Some(d);
                }
            }
            ui.separator();
            ui.label("Seed:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut st.seed)
                    .desired_width(90.0)
                    .hint_text("random")
                    .id_salt("seed"),
            );
            super::panels::name(&r, "Seed");
        });
    });
    egui::CentralPanel::default_margins().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let mut shown = 0;
                let next = profiles.current.as_ref().and_then(|_| {
                    crate::progress::recommend::recommend(
                        pack,
                        &profiles.attempts,
                        time::OffsetDateTime::now_utc(),
                    )
                });
                for s in &pack.scenarios {
                    if st.skill.is_some_and(|k| !s.skills.contains(&k))
                        || st.difficulty.is_some_and(|d| s.difficulty != d)
                    {
                        continue;
                    }
                    shown += 1;
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            let start = ui.button("Start ▶").on_hover_text("Start this scenario");
                            let name = format!("Start {}", s.title);
                            start.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::WidgetType::Button, true, &name)
                            });
                            if start.clicked() {
                                let seed = st.seed.trim().parse::<u64>().ok();
                                out.push(UiCommand::Start {
                                    scenario: s.id.clone(),
                                    seed,
                                });
                            }
                            ui.label(super::panels::icon(ui, labels::channel_icon(s.channel)))
                                .on_hover_text(labels::channel(s.channel));
                            ui.add(
                                egui::Label::new(egui::RichText::new(&s.title).strong().size(16.0))
                                    .truncate(),
                            );
                        });
                        ui.horizontal_wrapped(|ui| {
                            ui.label(
                                egui::RichText::new(&s.id)
                                    .monospace()
                                    .color(super::theme::secondary_text(ui.visuals())),
                            )
                            .on_hover_text("Scenario id (for `firstline play`, packs and reports)");
                            ui.label(format!(
                                "· {} · {} · ~{} min",
                                labels::difficulty(s.difficulty),
                                labels::channel(s.channel),
                                s.minutes
                            ));
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    match profiles.best_for(&s.id) {
                                        Some(b) => {
                                            ui.colored_label(
                                                score_text(b as i64, ui.visuals()),
                                                format!("best {b}"),
                                            );
                                        }
                                        None => {
                                            ui.label(egui::RichText::new("not played").weak());
                                        }
                                    }
                                    if let Some(r) = next.as_ref().filter(|r| r.scenario == s.id) {
                                        ui.label(
                                            egui::RichText::new("★ suggested next")
                                                .color(score_text(50, ui.visuals())),
                                        )
                                        .on_hover_text(&r.reason);
                                    }
                                },
                            );
                        });
                        ui.label(&s.summary);
                        ui.label(
                            egui::RichText::new(
                                s.skills
                                    .iter()
                                    .map(|k| labels::skill(*k))
                                    .collect::<Vec<_>>()
                                    .join(" · "),
                            )
                            .color(super::theme::secondary_text(ui.visuals())),
                        );
                    });
                }
                if shown == 0 {
                    ui.label("No scenario matches these filters.");
                }
            });
    });
}

fn draw(
    mut contexts: EguiContexts,
    pack: Res<PackState>,
    profiles: Res<ProfileState>,
    mut queue: ResMut<UiQueue>,
    mut st: Local<BrowserState>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(p) = pack.pack.clone() else {
        return Ok(());
    };
    let mut ui = root_ui(ctx);
    browser_ui(&mut ui, &p, &profiles, &mut st, &mut queue.0);
    Ok(())
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw.run_if(in_state(Screen::Browser)),
    );
}
