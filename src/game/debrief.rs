//! Debrief: scores, critical fails, a timeline with feedback pinned to its moments, and
//! the expert path beside the trainee's.

use super::theme::{root_ui, score_color, score_text};
use super::{Finished, LastAttempt, PackState, Screen, UiCommand, UiQueue};
use crate::scenario::load::Pack;
use crate::scoring::{Criterion, describe};
use crate::session::event::{Event, EventKind, clock};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use std::f32::consts::TAU;

/// The expert's path for this scenario and variant, replayed from its play-test: its
/// events and the model ticket note and hand-off it wrote.
#[derive(Debug, Clone, Default)]
pub struct ExpertView {
    pub events: Vec<Event>,
    pub notes: String,
    pub handoff: Option<String>,
}

/// Replays the pack's expert play-test for the attempt's scenario and variant.
pub fn expert_events(pack: &Pack, f: &Finished) -> Option<ExpertView> {
    let p = pack.expert_path(&f.session.scenario().id, f.session.variant_key())?;
    let run = crate::playtest::run(&p.scenario, p.seed, &p.actions);
    let t = run.session.ticket();
    Some(ExpertView {
        events: run.session.events().to_vec(),
        notes: t.notes.clone(),
        handoff: t.escalation.as_ref().map(|(_, h)| h.clone()),
    })
}

/// The trainee's notes (or hand-off) sentence by sentence: what each earned, what it
/// claimed that was not true, and why a sentence did not count.
fn verdicts_ui(ui: &mut egui::Ui, title: &str, v: &[crate::scoring::SentenceVerdict]) {
    if v.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.label(egui::RichText::new(title).strong());
    for s in v {
        let mark = if !s.false_claims.is_empty() {
            "⚠"
        } else if s.earned.is_empty() {
            "–"
        } else {
            "✔"
        };
        ui.label(format!("{mark} \"{}\"", s.text));
        if !s.earned.is_empty() {
            ui.weak(format!("    counted: {}", s.earned.join("; ")));
        }
        if !s.false_claims.is_empty() {
            ui.weak(format!(
                "    not true of this attempt: {}",
                s.false_claims.join("; ")
            ));
        }
        if s.earned.is_empty()
            && let Some(r) = &s.reason
        {
            ui.weak(format!("    not counted: {r}"));
        }
    }
}

fn is_trainee_step(e: &Event) -> bool {
    matches!(
        e.kind,
        EventKind::TraineeSaid { .. }
            | EventKind::Asked { .. }
            | EventKind::ToolRan { .. }
            | EventKind::FixApplied { .. }
            | EventKind::Escalated { .. }
            | EventKind::Resolved { .. }
            | EventKind::KbOpened { .. }
            | EventKind::HintShown { .. }
            | EventKind::PolicyViolation { .. }
            | EventKind::Harm { .. }
            | EventKind::WorldChanged { .. }
            | EventKind::CallEnded { .. }
    )
}

fn radar(ui: &mut egui::Ui, values: [u32; 4]) {
    let size = 190.0;
    let (rect, _) =
        ui.allocate_exact_size(egui::vec2(size + 90.0, size + 30.0), egui::Sense::hover());
    let c = rect.center();
    let r = size / 2.0 - 10.0;
    let p = ui.painter();
    let stroke = egui::Stroke::new(1.0, ui.visuals().weak_text_color());
    let labels = ["Technical", "Empathy", "Documentation", "Escalation"];
    let point = |i: usize, v: f32| {
        let a = -TAU / 4.0 + TAU * i as f32 / 4.0;
        c + egui::vec2(a.cos(), a.sin()) * r * v
    };
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<egui::Pos2> = (0..4).map(|i| point(i, ring)).collect();
        p.add(egui::Shape::closed_line(pts, stroke));
    }
    for (i, l) in labels.iter().enumerate() {
        p.line_segment([c, point(i, 1.0)], stroke);
        let align = match i {
            0 => egui::Align2::CENTER_BOTTOM,
            1 => egui::Align2::LEFT_CENTER,
            2 => egui::Align2::CENTER_TOP,
            _ => egui::Align2::RIGHT_CENTER,
        };
        p.text(
            point(i, 1.08),
            align,
            l,
            egui::FontId::proportional(12.0),
            ui.visuals().text_color(),
        );
    }
    let pts: Vec<egui::Pos2> = values
        .iter()
        .enumerate()
        .map(|(i, v)| point(i, *v as f32 / 100.0))
        .collect();
    let avg = values.iter().sum::<u32>() / 4;
    let col = score_color(avg as i64);
    p.add(egui::Shape::convex_polygon(
        pts,
        col.gamma_multiply(0.35),
        egui::Stroke::new(2.0, col),
    ));
}

fn criterion_ui(ui: &mut egui::Ui, c: &Criterion) {
    let lost = c.points < c.max;
    let head = format!("{} — {}/{}", c.title, c.points, c.max);
    if let Some(f) = &c.feedback {
        egui::CollapsingHeader::new(egui::RichText::new(head).color(if lost {
            score_text(30, ui.visuals())
        } else {
            score_text(90, ui.visuals())
        }))
        .id_salt(("crit", &c.id, c.dimension as u8))
        .default_open(c.points * 2 < c.max)
        .show(ui, |ui| {
            ui.label(format!("What happened: {}", f.what));
            ui.label(format!("Why it matters: {}", f.why));
            ui.label(egui::RichText::new(format!("Better: {}", f.better)).strong());
        });
    } else {
        ui.label(egui::RichText::new(format!("✔ {head}")).color(score_text(90, ui.visuals())));
    }
}

/// Draws the debrief.
pub fn debrief_ui(
    ui: &mut egui::Ui,
    f: &Finished,
    expert: Option<&ExpertView>,
    fresh: bool,
    out: &mut Vec<UiCommand>,
) {
    let c = &f.scorecard;
    let s = f.session.scenario();
    egui::Panel::top("debrief-top").show(ui, |ui| {
        // Row 1: the title (cut short if long); row 2: facts on the left, buttons right.
        ui.add(
            egui::Label::new(egui::RichText::new(format!("Debrief — {}", s.title)).heading())
                .truncate(),
        );
        let (row, _) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), ui.spacing().interact_size.y + 6.0),
            egui::Sense::hover(),
        );
        let (clicked, left) = super::panels::right_buttons(
            ui,
            row,
            &["Retry same variant", "New variant", "Progress", "Scenarios"],
        );
        match clicked {
            Some(0) => out.push(UiCommand::Retry { same_variant: true }),
            Some(1) => out.push(UiCommand::Retry {
                same_variant: false,
            }),
            Some(2) => out.push(UiCommand::Go(Screen::Progress)),
            Some(3) => out.push(UiCommand::Go(Screen::Browser)),
            _ => {}
        }
        ui.scope_builder(
            egui::UiBuilder::new()
                .max_rect(left)
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
            |ui| {
                ui.add(
                    egui::Label::new(format!(
                        "{} · variant `{}` · seed {} · took {}",
                        s.id, c.variant, c.seed, c.elapsed
                    ))
                    .truncate(),
                );
            },
        );
        if let Some(note) = &f.note {
            ui.colored_label(egui::Color32::from_rgb(230, 180, 90), note);
        }
    });
    // PageUp/PageDown/Home/End scroll the timeline; a new debrief opens at the top.
    let page = ui.ctx().content_rect().height() * 0.8;
    let scroll = ui.input_mut(|i| {
        if i.consume_key(egui::Modifiers::NONE, egui::Key::PageDown) {
            Some(-page)
        } else if i.consume_key(egui::Modifiers::NONE, egui::Key::PageUp) {
            Some(page)
        } else if i.consume_key(egui::Modifiers::NONE, egui::Key::Home) {
            Some(f32::INFINITY)
        } else if i.consume_key(egui::Modifiers::NONE, egui::Key::End) {
            Some(f32::NEG_INFINITY)
        } else {
            None
        }
    });
    let reset = |a: egui::ScrollArea| {
        if fresh {
            a.vertical_scroll_offset(0.0)
        } else {
            a
        }
    };
    let width = ui.available_width();
    egui::Panel::left("debrief-scores")
        .default_size(width * 0.36)
        .min_size(300.0)
        .show(ui, |ui| {
            reset(egui::ScrollArea::vertical().id_salt("scores")).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new(c.overall.to_string())
                            .size(44.0)
                            .color(score_text(c.overall as i64, ui.visuals())),
                    );
                    ui.vertical(|ui| {
                        ui.label(
                            egui::RichText::new(if c.passed { "PASSED" } else { "NOT PASSED" })
                                .strong()
                                .size(20.0),
                        );
                        ui.label(format!(
                            "pass mark {} · {}",
                            c.pass_mark,
                            if c.resolved {
                                "resolved"
                            } else {
                                "not resolved"
                            }
                        ));
                    });
                });
                for x in &c.critical {
                    ui.colored_label(
                        score_text(0, ui.visuals()),
                        format!("⚠ CRITICAL: {}", x.what),
                    );
                }
                let d = &c.dimensions;
                for (name, v) in d.named() {
                    let w = ui.available_width();
                    super::theme::gauge(ui, w, v as i32, &format!("{name} {v}"));
                }
                ui.vertical_centered(|ui| {
                    radar(ui, [d.technical, d.empathy, d.documentation, d.escalation])
                });
                ui.separator();
                for (dim, label) in [
                    (crate::scoring::Dimension::Technical, "Technical accuracy"),
                    (
                        crate::scoring::Dimension::Empathy,
                        "Empathy and communication",
                    ),
                    (crate::scoring::Dimension::Documentation, "Documentation"),
                    (crate::scoring::Dimension::Escalation, "Escalation"),
                ] {
                    ui.label(egui::RichText::new(label).strong());
                    for crit in c.criteria.iter().filter(|x| x.dimension == dim) {
                        criterion_ui(ui, crit);
                    }
                }
            });
        });
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.columns(2, |cols| {
            cols[0].heading("Your attempt");
            reset(egui::ScrollArea::vertical().id_salt("timeline")).show(&mut cols[0], |ui| {
                // Ragged right: columns justify text by default.
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    timeline(ui, f, scroll);
                    verdicts_ui(
                        ui,
                        "Your notes, sentence by sentence",
                        &f.scorecard.writing.notes,
                    );
                    verdicts_ui(
                        ui,
                        "Your hand-off, sentence by sentence",
                        &f.scorecard.writing.handoff,
                    );
                });
            });
            cols[1].heading("Expert path");
            reset(egui::ScrollArea::vertical().id_salt("expert")).show(&mut cols[1], |ui| {
                ui.with_layout(
                    egui::Layout::top_down(egui::Align::Min),
                    |ui| match expert {
                        Some(x) => {
                            for e in x.events.iter().filter(|e| is_trainee_step(e)) {
                                ui.label(format!("{}  {}", clock(e.at), describe(e)));
                            }
                            if !x.notes.trim().is_empty() {
                                ui.add_space(8.0);
                                ui.label(egui::RichText::new("Model ticket note").strong());
                                ui.label(&x.notes);
                            }
                            if let Some(h) = &x.handoff {
                                ui.add_space(8.0);
                                ui.label(egui::RichText::new("Model hand-off").strong());
                                ui.label(h);
                            }
                        }
                        None => {
                            ui.label("This pack has no expert play-test for this variant.");
                        }
                    },
                );
            });
        });
    });
}

/// The trainee's attempt with feedback pinned to its moments.
fn timeline(ui: &mut egui::Ui, f: &Finished, scroll: Option<f32>) {
    let c = &f.scorecard;
    if let Some(dy) = scroll {
        let dy = dy.clamp(-1e6, 1e6);
        ui.scroll_with_delta(egui::vec2(0.0, dy));
    }
    let mut pinned: Vec<(u32, &Criterion)> = c
        .criteria
        .iter()
        .filter(|x| x.feedback.is_some())
        .filter_map(|x| x.evidence.first().map(|e| (e.at, x)))
        .collect();
    pinned.sort_by_key(|(at, _)| *at);
    for e in f
        .session
        .events()
        .iter()
        .filter(|e| is_trainee_step(e) || matches!(e.kind, EventKind::CustomerSaid { .. }))
    {
        let strong = is_trainee_step(e);
        let text = format!("{}  {}", clock(e.at), describe(e));
        if strong {
            ui.label(text);
        } else {
            ui.label(egui::RichText::new(text).weak());
        }
        while let Some((at, crit)) = pinned.first() {
            if *at > e.at {
                break;
            }
            if let Some(fb) = &crit.feedback {
                ui.colored_label(
                    score_text(30, ui.visuals()),
                    format!("   ↳ {}: {} Better: {}", crit.title, fb.what, fb.better),
                );
            }
            pinned.remove(0);
        }
    }
    for (_, crit) in pinned {
        if let Some(fb) = &crit.feedback {
            ui.colored_label(
                score_text(30, ui.visuals()),
                format!("↳ {}: {} Better: {}", crit.title, fb.what, fb.better),
            );
        }
    }
    let unpinned: Vec<&Criterion> = c
        .criteria
        .iter()
        .filter(|x| x.feedback.is_some() && x.evidence.is_empty())
        .collect();
    if !unpinned.is_empty() {
        ui.separator();
        ui.label(egui::RichText::new("Overall lessons").strong());
        for crit in unpinned {
            if let Some(fb) = &crit.feedback {
                ui.label(format!(
                    "• {}: {} Better: {}",
                    crit.title, fb.what, fb.better
                ));
            }
        }
    }
}

/// The expert path of the last attempt, cached per attempt.
#[derive(Resource, Default)]
struct ExpertCache(Option<(u64, String, Option<ExpertView>)>);

fn draw(
    mut contexts: EguiContexts,
    last: Res<LastAttempt>,
    pack: Res<PackState>,
    mut cache: ResMut<ExpertCache>,
    mut queue: ResMut<UiQueue>,
    mut entered: ResMut<Fresh>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let (Some(f), Some(p)) = (&last.0, &pack.pack) else {
        return Ok(());
    };
    let key = (f.session.seed(), f.session.scenario().id.clone());
    if cache
        .0
        .as_ref()
        .is_none_or(|(s, id, _)| (*s, id.clone()) != key)
    {
        cache.0 = Some((key.0, key.1.clone(), expert_events(p, f)));
    }
    let expert = cache.0.as_ref().and_then(|(_, _, e)| e.as_ref());
    let mut ui = root_ui(ctx);
    // A new attempt, or coming back to the screen: start at the top.
    let fresh = last.is_changed() || entered.0;
    entered.0 = false;
    debrief_ui(&mut ui, f, expert, fresh, &mut queue.0);
    Ok(())
}

/// Set when the debrief screen is entered, so it opens at the top (B8).
#[derive(Resource, Default)]
struct Fresh(bool);

fn entered(mut fresh: ResMut<Fresh>) {
    fresh.0 = true;
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ExpertCache>()
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::Debrief)),
        )
        .init_resource::<Fresh>()
        .add_systems(OnEnter(Screen::Debrief), entered);
}
