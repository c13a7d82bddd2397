//! Progress screen: each dimension's score over the trainee's attempts (egui_plot), what
//! to practise next, and the attempts table (each opens its debrief, rebuilt by replay).

use super::theme::{root_ui, score_text};
use super::{PackState, ProfileState, Screen, UiCommand, UiQueue};
use crate::progress::recommend::{RECENT, recent_means, recommend};
use crate::scenario::load::Pack;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{HLine, Legend, Line, LineStyle, Plot, Points};

/// Line colours of the four dimensions (and the overall score).
const COLOURS: [egui::Color32; 5] = [
    egui::Color32::from_rgb(86, 156, 214),
    egui::Color32::from_rgb(214, 112, 168),
    egui::Color32::from_rgb(220, 180, 80),
    egui::Color32::from_rgb(120, 200, 120),
    egui::Color32::from_rgb(230, 230, 230),
];

/// Draws the progress screen. `now` decides "played recently".
pub fn progress_ui(
    ui: &mut egui::Ui,
    pack: &Pack,
    profiles: &ProfileState,
    now: time::OffsetDateTime,
    out: &mut Vec<UiCommand>,
) {
    egui::Panel::top("progress-top").show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button("◀ Back").clicked() {
                out.push(UiCommand::Go(Screen::Title));
            }
            let who = profiles
                .current
                .as_ref()
                .map(|p| p.name.as_str())
                .unwrap_or("no profile");
            ui.heading(format!("Progress — {who}"));
            ui.separator();
            if ui.button("Scenarios ▶").clicked() {
                out.push(UiCommand::Go(Screen::Browser));
            }
        });
        if let Some(p) = &profiles.problem {
            ui.colored_label(egui::Color32::from_rgb(230, 120, 90), p);
        }
    });
    egui::CentralPanel::default_margins().show(ui, |ui| {
        if profiles.current.is_none() {
            ui.label(
                "Choose or create a profile on the title screen to keep and see your progress.",
            );
            return;
        }
        let attempts = &profiles.attempts;
        // What to practise next.
        ui.group(|ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new("Next:").strong());
                match recommend(pack, attempts, now) {
                    Some(r) => {
                        ui.label(&r.reason);
                        if ui.button(format!("Play {} ▶", r.title)).clicked() {
                            out.push(UiCommand::Start {
                                scenario: r.scenario,
                                seed: None,
                            });
                        }
                    }
                    None => {
                        ui.label("This pack has no scenarios.");
                    }
                }
            });
        });
        // Each level's evidence of mastery.
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new("Levels:").strong());
            for p in crate::progress::recommend::mastery(pack, attempts, now) {
                let text = p.describe();
                if p.mastered {
                    ui.colored_label(score_text(90, ui.visuals()), format!("✔ {text}"));
                } else {
                    ui.label(text);
                }
                ui.separator();
            }
        });
        if attempts.is_empty() {
            ui.add_space(8.0);
            ui.label("No attempts yet. Finished attempts appear here with their scores.");
            return;
        }
        // Recent averages.
        if let Some(m) = recent_means(attempts) {
            ui.horizontal(|ui| {
                ui.label(format!("Last {} attempt(s):", attempts.len().min(RECENT)));
                for (i, (name, _)) in attempts[0].dimensions.named().iter().enumerate() {
                    ui.colored_label(
                        score_text(m[i].round() as i64, ui.visuals()),
                        format!("{name} {:.0}", m[i]),
                    );
                }
                let passed = attempts.iter().filter(|a| a.passed).count();
                ui.label(format!("· {passed} of {} passed", attempts.len()));
            });
        }
        // Scores over time.
        let pass = f64::from(pack.meta.pass_mark);
        let height = (ui.available_height() * 0.4).clamp(200.0, 420.0);
        let markers = attempts.len() <= 60;
        Plot::new("skills-over-time")
            .height(height)
            .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
            .include_y(0.0)
            .include_y(100.0)
            .include_x(0.5)
            .include_x(attempts.len().max(5) as f64 + 0.5)
            .x_axis_formatter(|mark, _| {
                // Attempts are whole numbers.
                if mark.value >= 1.0 && mark.value.fract() == 0.0 {
                    format!("{}", mark.value)
                } else {
                    String::new()
                }
            })
            .x_axis_label("attempt")
            .y_axis_label("score")
            .label_formatter(|pos| match pos {
                egui_plot::HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    index,
                } if !plot_name.is_empty() && *plot_name != "Pass mark" => {
                    let a = attempts.get(*index)?;
                    Some(format!(
                        "#{} {}\n{} ({})\n{plot_name}: {:.0}",
                        index + 1,
                        a.finished_at.get(..10).unwrap_or(""),
                        a.scenario_title,
                        a.variant,
                        position.y
                    ))
                }
                _ => None,
            })
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .show(ui, |plot| {
                let names = attempts[0].dimensions.named();
                for (i, (name, _)) in names.iter().enumerate() {
                    let pts: Vec<[f64; 2]> = attempts
                        .iter()
                        .enumerate()
                        .map(|(n, a)| [n as f64 + 1.0, f64::from(a.dimensions.named()[i].1)])
                        .collect();
                    plot.line(Line::new(*name, pts.clone()).color(COLOURS[i]).width(2.0));
                    // Markers, so a single attempt (no line yet) still shows; a long
                    // history reads better as lines alone.
                    if markers {
                        plot.points(Points::new(*name, pts).color(COLOURS[i]).radius(3.0));
                    }
                }
                let overall: Vec<[f64; 2]> = attempts
                    .iter()
                    .enumerate()
                    .map(|(n, a)| [n as f64 + 1.0, f64::from(a.overall)])
                    .collect();
                plot.line(
                    Line::new("Overall", overall.clone())
                        .color(COLOURS[4])
                        .width(3.0),
                );
                if markers {
                    plot.points(
                        Points::new("Overall", overall)
                            .color(COLOURS[4])
                            .radius(4.0),
                    );
                }
                plot.hline(
                    HLine::new("Pass mark", pass)
                        .color(egui::Color32::GRAY)
                        .style(LineStyle::dashed_loose()),
                );
            });
        ui.add_space(6.0);
        ui.heading("Attempts");
        attempts_table(ui, attempts, out);
    });
}

/// Column widths of the attempts table.
const COLUMNS: [(&str, f32); 10] = [
    ("#", 40.0),
    ("When (UTC)", 130.0),
    ("Scenario", 280.0),
    ("Variant", 120.0),
    ("Overall", 80.0),
    ("Tech", 50.0),
    ("Emp", 50.0),
    ("Doc", 50.0),
    ("Esc", 50.0),
    ("", 80.0),
];

/// One fixed-width cell, text truncated to fit.
fn cell(ui: &mut egui::Ui, col: usize, text: impl Into<egui::WidgetText>) {
    ui.allocate_ui_with_layout(
        egui::vec2(COLUMNS[col].1, ui.spacing().interact_size.y),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(COLUMNS[col].1);
            ui.add(egui::Label::new(text).truncate());
        },
    );
}

/// The attempts, newest first. Only the visible rows are laid out, so a long history
/// scrolls as smoothly as a short one.
fn attempts_table(
    ui: &mut egui::Ui,
    attempts: &[crate::progress::AttemptSummary],
    out: &mut Vec<UiCommand>,
) {
    ui.horizontal(|ui| {
        for (i, (h, _)) in COLUMNS.iter().enumerate() {
            cell(ui, i, egui::RichText::new(*h).strong());
        }
    });
    let row_height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, attempts.len(), |ui, rows| {
            for row in rows {
                let n = attempts.len() - 1 - row;
                let a = &attempts[n];
                ui.horizontal(|ui| {
                    cell(ui, 0, format!("{}", n + 1));
                    cell(
                        ui,
                        1,
                        a.finished_at
                            .get(..16)
                            .unwrap_or(&a.finished_at)
                            .replace('T', " "),
                    );
                    cell(ui, 2, &a.scenario_title);
                    cell(ui, 3, &a.variant);
                    cell(
                        ui,
                        4,
                        egui::RichText::new(format!(
                            "{} {}",
                            a.overall,
                            if a.passed { "pass" } else { "fail" }
                        ))
                        .color(score_text(i64::from(a.overall), ui.visuals())),
                    );
                    for (i, (_, v)) in a.dimensions.named().iter().enumerate() {
                        cell(
                            ui,
                            5 + i,
                            egui::RichText::new(v.to_string())
                                .color(score_text(i64::from(*v), ui.visuals())),
                        );
                    }
                    if ui
                        .button("Debrief")
                        .on_hover_text("Replay this attempt and open its debrief")
                        .clicked()
                    {
                        out.push(UiCommand::OpenAttempt(a.id));
                    }
                });
            }
        });
}

fn draw(
    mut contexts: EguiContexts,
    profiles: Res<ProfileState>,
    pack: Res<PackState>,
    mut queue: ResMut<UiQueue>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(p) = pack.pack.clone() else {
        return Ok(());
    };
    let mut ui = root_ui(ctx);
    progress_ui(
        &mut ui,
        &p,
        &profiles,
        time::OffsetDateTime::now_utc(),
        &mut queue.0,
    );
    Ok(())
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw.run_if(in_state(Screen::Progress)),
    );
}
