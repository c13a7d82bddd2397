//! The ticket: category, impact and urgency as rows of choices (no pop-up lists to get
//! lost in), work notes, escalation and resolution, hints. Scrolls on its own.

use super::{FocusTarget, act, icon};
use crate::game::UiCommand;
use crate::game::labels;
use crate::game::play_ui::{Confirm, PlayCommand, PlayUi};
use crate::scenario::format::{Category, Level};
use crate::session::action::Action;
use crate::session::event::EventKind;
use bevy_egui::egui::{self, RichText};

const CATEGORIES: [Category; 9] = [
    Category::Account,
    Category::Access,
    Category::Network,
    Category::Hardware,
    Category::Software,
    Category::Email,
    Category::Printing,
    Category::Security,
    Category::Other,
];
const LEVELS: [Level; 3] = [Level::Low, Level::Medium, Level::High];

/// A choice in a row of choices; screen readers hear "GROUP: VALUE".
pub fn chip(ui: &mut egui::Ui, selected: bool, group: &str, text: &str) -> egui::Response {
    let r = ui.selectable_label(selected, text);
    let name = format!("{group}: {text}");
    r.widget_info(|| {
        egui::WidgetInfo::selected(egui::WidgetType::RadioButton, true, selected, &name)
    });
    r
}

/// Gives a text field the name a screen reader announces.
pub fn name(r: &egui::Response, name: &str) {
    r.ctx
        .accesskit_node_builder(r.id, |node| node.set_label(name));
}

fn level_row(ui: &mut egui::Ui, group: &str, value: Option<Level>) -> Option<Level> {
    let mut chosen = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{group}:"));
        for l in LEVELS {
            if chip(ui, value == Some(l), group, labels::level(l)).clicked() && value != Some(l) {
                chosen = Some(l);
            }
        }
    });
    chosen
}

pub(crate) fn ticket_panel(
    ui: &mut egui::Ui,
    st: &mut PlayUi,
    out: &mut Vec<UiCommand>,
    focus: Option<FocusTarget>,
) {
    let s = st.session.scenario().clone();
    let t = st.session.ticket().clone();
    ui.horizontal(|ui| {
        ui.label(icon(ui, labels::icon::TICKET));
        ui.label(RichText::new("Ticket").strong());
        ui.label(icon(ui, labels::status_icon(t.status)));
        ui.label(format!("Status: {}", labels::status(t.status)));
    });
    egui::ScrollArea::vertical()
        .id_salt("ticket-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label("Category:");
            ui.horizontal_wrapped(|ui| {
                for c in CATEGORIES {
                    if chip(ui, t.category == Some(c), "Category", labels::category(c)).clicked()
                        && t.category != Some(c)
                    {
                        act(
                            out,
                            Action::Ticket {
                                category: Some(c),
                                impact: None,
                                urgency: None,
                            },
                        );
                    }
                }
            });
            if let Some(i) = level_row(ui, "Impact", t.impact) {
                act(
                    out,
                    Action::Ticket {
                        category: None,
                        impact: Some(i),
                        urgency: None,
                    },
                );
            }
            if let Some(u) = level_row(ui, "Urgency", t.urgency) {
                act(
                    out,
                    Action::Ticket {
                        category: None,
                        impact: None,
                        urgency: Some(u),
                    },
                );
            }
            ui.label(format!(
                "Priority: {}",
                t.priority()
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "set impact and urgency".into())
            ));
            let w = st.session.world();
            let user = s
                .customer
                .account
                .map(|a| w.accounts[a.index()].username.clone())
                .unwrap_or_else(|| "—".into());
            let dev = s
                .customer
                .device
                .map(|d| w.devices[d.index()].hostname.clone())
                .unwrap_or_else(|| "—".into());
            ui.label(format!("Affected user: {user}   Device: {dev}"));
            ui.separator();
            ui.label(RichText::new("Work notes — Ctrl+Enter saves").strong());
            let notes = ui.add(
                egui::TextEdit::multiline(&mut st.notes)
                    .id_salt("notes")
                    .desired_rows(6)
                    .desired_width(f32::INFINITY)
                    .hint_text(
                        "Symptom / Diagnosis / Cause / Actions / Outcome — full sentences, no passwords",
                    ),
            );
            name(&notes, "Work notes");
            if focus == Some(FocusTarget::Ticket) {
                notes.request_focus();
            }
            let dirty = st.notes != t.notes;
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(dirty, egui::Button::new("Save notes"))
                    .clicked()
                {
                    out.push(UiCommand::Play(PlayCommand::SaveNotes));
                }
                if !dirty && !t.notes.is_empty() {
                    ui.label(icon(ui, labels::icon::CHECK).color(crate::game::theme::success(ui.visuals())));
                    ui.label("Saved");
                } else if dirty {
                    ui.label(RichText::new("Unsaved changes").italics());
                }
            });
            ui.separator();
            ui.label(RichText::new("Escalate").strong());
            ui.label("Team:");
            for (i, team) in s.pack.teams.iter().enumerate() {
                let id = crate::ids::TeamId::from_index(i);
                let name = labels::team(&team.name, team.tier);
                if chip(ui, st.team == Some(id), "Team", &name)
                    .on_hover_text(&team.handles)
                    .clicked()
                {
                    st.team = Some(id);
                }
            }
            let r = ui.add(
                egui::TextEdit::multiline(&mut st.handoff)
                    .id_salt("handoff")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("Hand-off: what was reported, checked, found and done; what you need"),
            );
            name(&r, "Escalation hand-off");
            if ui.button("Escalate").clicked() {
                out.push(UiCommand::Play(PlayCommand::Escalate));
            }
            ui.separator();
            ui.label(RichText::new("Resolve").strong());
            let r = ui.add(
                egui::TextEdit::multiline(&mut st.resolution)
                    .id_salt("resolution")
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text("Resolution note"),
            );
            name(&r, "Resolution note");
            if ui.button("Resolve ticket…").on_hover_text("Asks first").clicked() {
                st.confirm = Some(Confirm::Resolve);
            }
            ui.separator();
            if ui
                .button(format!(
                    "Request a hint (−2 points each, used {})",
                    st.session.hints_used()
                ))
                .clicked()
            {
                act(out, Action::Hint);
            }
            for e in st.session.events().iter().rev() {
                if let EventKind::HintShown { text } = &e.kind {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(icon(ui, labels::icon::LIGHTBULB));
                        ui.label(RichText::new(text).italics());
                    });
                    break;
                }
            }
            if let Some(err) = &st.error {
                ui.colored_label(
                    crate::game::theme::danger(ui.visuals()),
                    format!("Not done: {err}"),
                );
            }
        });
}
