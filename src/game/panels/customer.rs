//! The customer column: who is calling, mood and patience, then three fixed regions —
//! the conversation, the replies and the questions — each scrolling on its own.

use super::{FocusTarget, act, icon, option_label, region};
use crate::game::UiCommand;
use crate::game::labels;
use crate::game::persona;
use crate::game::play_ui::PlayUi;
use crate::session::action::Action;
use crate::session::customer::mood_label;
use crate::session::event::{CallEnd, EventKind};
use bevy_egui::egui::{self, Rect, RichText};

/// Shares of the column below the header: conversation, replies, questions.
const SHARES: [f32; 3] = [0.36, 0.40, 0.24];

pub(super) fn customer_panel(
    ui: &mut egui::Ui,
    st: &mut PlayUi,
    out: &mut Vec<UiCommand>,
    focus: Option<FocusTarget>,
) {
    let full = ui.max_rect();
    // A smaller face on short windows leaves the conversation more room.
    let compact = full.height() < 420.0;
    let header_h = if compact { 60.0 } else { 80.0 };
    let header = Rect::from_min_size(full.min, egui::vec2(full.width(), header_h));
    region(ui, header, "customer-header", false, |ui| {
        header_ui(ui, st, if compact { 52.0 } else { 64.0 })
    });
    let rest = Rect::from_min_max(egui::pos2(full.left(), header.bottom() + 4.0), full.max);
    let h = rest.height();
    let mut y = rest.top();
    let mut cut = |share: f32| {
        let r = Rect::from_min_max(
            egui::pos2(rest.left(), y),
            egui::pos2(rest.right(), (y + h * share - 4.0).max(y)),
        );
        y += h * share;
        r
    };
    let (talk, replies_r, questions_r) = (cut(SHARES[0]), cut(SHARES[1]), cut(SHARES[2]));
    // Replies and questions are created before the transcript so they come first in the
    // focus order; the transcript has no controls.
    region(ui, replies_r, "replies", true, |ui| {
        replies(ui, st, out, focus)
    });
    region(ui, questions_r, "questions", true, |ui| {
        questions(ui, st, out)
    });
    region(ui, talk, "transcript", true, |ui| transcript(ui, st));
}

fn header_ui(ui: &mut egui::Ui, st: &PlayUi, face: f32) {
    let s = st.session.scenario().clone();
    ui.horizontal(|ui| {
        let mood = st.session.mood();
        persona::face(ui, st.session.customer_name(), &s.customer, mood, face);
        let compact = face < 60.0;
        ui.vertical(|ui| {
            let name = RichText::new(st.session.customer_name());
            let role = format!("{} · {}", s.customer.role, labels::channel(s.channel));
            if compact {
                // One line for who is calling, so the gauges still fit.
                ui.horizontal(|ui| {
                    ui.label(name.strong());
                    ui.add(egui::Label::new(role.clone()).truncate())
                        .on_hover_text(&role);
                });
            } else {
                ui.add(egui::Label::new(name.heading()).truncate());
                ui.horizontal(|ui| {
                    ui.label(icon(ui, labels::channel_icon(s.channel)))
                        .on_hover_text(labels::channel(s.channel));
                    ui.add(egui::Label::new(role.clone()).truncate())
                        .on_hover_text(&role);
                });
            }
            let patience = st.session.patience();
            let w = ((ui.available_width() - ui.spacing().item_spacing.x) / 2.0).max(40.0);
            ui.horizontal(|ui| {
                bar(ui, w, mood, &format!("Mood: {} ({mood})", mood_label(mood)));
                bar(ui, w, patience, &format!("Patience: {patience}"));
            });
        });
    });
}

fn bar(ui: &mut egui::Ui, width: f32, v: i32, text: &str) {
    crate::game::theme::gauge(ui, width, v, text);
}

fn transcript(ui: &mut egui::Ui, st: &PlayUi) {
    ui.label(RichText::new("Conversation").strong());
    egui::ScrollArea::vertical()
        .id_salt("transcript")
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let name = st.session.customer_name();
            for e in st.session.events() {
                match &e.kind {
                    EventKind::CustomerSaid { text } => {
                        ui.label(RichText::new(format!("{name}: {text}")).strong());
                    }
                    EventKind::TraineeSaid { text, .. } | EventKind::Asked { text, .. } => {
                        ui.label(
                            RichText::new(format!("You: {text}"))
                                .color(crate::game::theme::secondary_text(ui.visuals())),
                        );
                    }
                    EventKind::WorldChanged { text } => {
                        ui.label(RichText::new(format!("({text})")).italics());
                    }
                    EventKind::CallEnded { how } => {
                        let t = match how {
                            CallEnd::Conversation | CallEnd::Trainee => "— call ended —",
                            CallEnd::CustomerHungUp => "— the customer hung up —",
                            CallEnd::DemandedManager => {
                                "— the customer demanded a manager and left the call —"
                            }
                        };
                        ui.label(RichText::new(t).italics());
                    }
                    _ => {}
                }
            }
        });
}

fn replies(ui: &mut egui::Ui, st: &PlayUi, out: &mut Vec<UiCommand>, focus: Option<FocusTarget>) {
    let s = st.session.scenario().clone();
    let options = st.session.available_options();
    // The heading row; its End call button is created after the replies, so Tab meets
    // the replies first.
    let row = ui
        .horizontal(|ui| {
            // Tall enough for the End call button placed in it later.
            ui.set_min_height(
                ui.spacing().interact_size.y + 2.0 * ui.spacing().button_padding.y + 4.0,
            );
            ui.label(RichText::new("Your reply — keys 1–9").strong());
            ui.add_space(ui.available_width());
        })
        .response
        .rect;
    // A fresh scroll position for every node: the list starts at the top after a choice.
    egui::ScrollArea::vertical()
        .id_salt(("replies", st.session.node().index(), options.len()))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if !st.session.call_active() {
                ui.label(
                    RichText::new("The call has ended. Finish the ticket, then open the debrief.")
                        .italics(),
                );
                return;
            }
            if options.is_empty() {
                ui.label("(nothing to say right now)");
            }
            for (i, o) in options.iter().enumerate() {
                let label = option_label(i + 1, &s.option(*o).text);
                let b = ui.add(
                    egui::Button::new(label)
                        .wrap()
                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                );
                if i == 0 && focus == Some(FocusTarget::Customer) {
                    b.request_focus();
                }
                if b.clicked() {
                    act(out, Action::Say(*o));
                }
            }
        });
    if st.session.call_active() {
        let (clicked, _) = super::right_buttons(ui, row, &["End call"]);
        if clicked.is_some() {
            act(out, Action::EndCall);
        }
    }
}

fn questions(ui: &mut egui::Ui, st: &PlayUi, out: &mut Vec<UiCommand>) {
    let s = st.session.scenario().clone();
    let qs = st.session.available_questions();
    ui.label(RichText::new(format!("Ask a question ({})", qs.len())).strong());
    egui::ScrollArea::vertical()
        .id_salt("questions-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if qs.is_empty() {
                ui.label(RichText::new("No questions to ask right now.").italics());
            }
            for q in qs {
                let text = &s.question(q).text;
                if ui
                    .add(
                        egui::Button::new(text.as_str())
                            .wrap()
                            .min_size(egui::vec2(ui.available_width(), 0.0)),
                    )
                    .clicked()
                {
                    act(out, Action::Ask(q));
                }
            }
        });
}
