//! The play screen, drawn with plain egui (no Bevy) so egui_kittest can drive it.
//! Every control turns into a [`UiCommand`]; nothing here changes game state directly.
//!
//! The screen is cut into fixed regions ([`regions`]) — top bar, customer (transcript,
//! replies, questions), workstation (console, directory, knowledge base) and ticket —
//! each drawn into its own clipped rectangle with its own scrolling, so nothing is drawn
//! over anything at any window size or UI scale, and no control moves under the pointer
//! after a choice. Widgets are created in focus order (replies first, the top bar's
//! Finish last), and [`keys`] holds the keyboard map.

mod customer;
pub mod keys;
mod ticket;
mod workstation;

use super::UiCommand;
use super::labels;
use super::play_ui::{Confirm, PlayUi, WorkTab};
use crate::session::action::Action;
use crate::session::event::clock;
use bevy_egui::egui::{self, Color32, Rect, RichText};

pub use keys::{SHORTCUTS, option_label};
pub use ticket::{chip, name};

/// Below this width (in points) the ticket becomes a workstation tab.
pub const WIDE: f32 = 1000.0;
/// Height of the top bar (two rows), in points.
pub const TOP_BAR: f32 = 68.0;

/// The play screen's regions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Regions {
    pub top: Rect,
    pub customer: Rect,
    pub work: Rect,
    /// The ticket's own column (wide windows only).
    pub ticket: Option<Rect>,
}

/// Cuts the screen into regions: a top bar, then customer | workstation | ticket columns
/// (customer | workstation on narrow windows, where the ticket is a tab).
pub fn regions(screen: Rect) -> Regions {
    let gap = 6.0;
    let top = Rect::from_min_size(screen.min, egui::vec2(screen.width(), TOP_BAR));
    let body = Rect::from_min_max(egui::pos2(screen.left(), top.bottom() + gap), screen.max);
    let w = body.width();
    if w >= WIDE {
        let cw = (w * 0.33).max(320.0);
        let tw = (w * 0.27).max(300.0);
        let customer = Rect::from_min_size(body.min, egui::vec2(cw, body.height()));
        let ticket = Rect::from_min_max(egui::pos2(body.right() - tw, body.top()), body.max);
        let work = Rect::from_min_max(
            egui::pos2(customer.right() + gap, body.top()),
            egui::pos2(ticket.left() - gap, body.bottom()),
        );
        Regions {
            top,
            customer,
            work,
            ticket: Some(ticket),
        }
    } else {
        let cw = (w * 0.46).max(240.0).min(w - 240.0);
        let customer = Rect::from_min_size(body.min, egui::vec2(cw, body.height()));
        let work = Rect::from_min_max(egui::pos2(customer.right() + gap, body.top()), body.max);
        Regions {
            top,
            customer,
            work,
            ticket: None,
        }
    }
}

/// A child UI confined to `rect`: laid out and clipped inside it, with a frame.
pub(crate) fn region<R>(
    ui: &mut egui::Ui,
    rect: Rect,
    id: &str,
    framed: bool,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    if framed {
        ui.painter().rect_stroke(
            rect,
            4.0,
            ui.visuals().widgets.noninteractive.bg_stroke,
            egui::StrokeKind::Inside,
        );
    }
    let inner = if framed { rect.shrink(6.0) } else { rect };
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .id_salt(id)
            .max_rect(inner)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    child.set_clip_rect(inner.intersect(ui.clip_rect()));
    add(&mut child)
}

pub(crate) fn act(out: &mut Vec<UiCommand>, a: Action) {
    out.push(UiCommand::Play(super::play_ui::PlayCommand::Act(a)));
}

/// A text in the bundled icon font (nothing until the font is loaded).
pub fn icon(ui: &egui::Ui, c: char) -> RichText {
    let family = egui::FontFamily::Name(super::fonts::ICONS.into());
    if ui.fonts(|f| f.families().contains(&family)) {
        RichText::new(c.to_string()).family(family)
    } else {
        RichText::new("")
    }
}

/// An icon followed by a text, as one widget text (the text alone until the icon font
/// is loaded).
pub fn with_icon(ui: &egui::Ui, c: char, text: &str) -> egui::WidgetText {
    let family = egui::FontFamily::Name(super::fonts::ICONS.into());
    if !ui.fonts(|f| f.families().contains(&family)) {
        return text.into();
    }
    let size = egui::TextStyle::Button.resolve(ui.style()).size;
    let mut job = egui::text::LayoutJob::default();
    job.append(
        &c.to_string(),
        0.0,
        egui::TextFormat {
            font_id: egui::FontId::new(size, family),
            color: Color32::PLACEHOLDER,
            valign: egui::Align::Center,
            ..Default::default()
        },
    );
    job.append(
        text,
        6.0,
        egui::TextFormat {
            font_id: egui::FontId::proportional(size),
            color: Color32::PLACEHOLDER,
            valign: egui::Align::Center,
            ..Default::default()
        },
    );
    job.into()
}

/// Draws the whole play screen.
pub fn play_screen(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let screen = ui.max_rect();
    let r = regions(screen);
    if r.ticket.is_some() && st.tab == WorkTab::Ticket {
        st.tab = WorkTab::Console;
    }
    let modal_open = st.confirm.is_some();
    let focus = if modal_open {
        None
    } else {
        keys::handle(ui, st, out, r.ticket.is_none())
    };
    if st.paused {
        region(
            ui,
            r.customer.union(r.work).union(r.ticket.unwrap_or(r.work)),
            "paused",
            false,
            |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(80.0);
                    ui.heading("Paused");
                    ui.label("The simulated clock only moves when you act; take your time.");
                    let resume = ui.button("Resume (F6)");
                    if focus.is_some() || resume.gained_focus() {
                        resume.request_focus();
                    }
                    if resume.clicked() {
                        st.set_paused(false);
                    }
                });
            },
        );
    } else {
        // Created in focus order: customer, workstation, ticket, then the top bar.
        region(ui, r.customer, "customer", true, |ui| {
            customer::customer_panel(ui, st, out, focus)
        });
        region(ui, r.work, "work", true, |ui| {
            workstation::workstation(ui, st, out, focus)
        });
        if let Some(t) = r.ticket {
            region(ui, t, "ticket", true, |ui| {
                ticket::ticket_panel(ui, st, out, focus)
            });
        }
    }
    region(ui, r.top, "top", false, |ui| top_bar(ui, st));
    confirm_dialog(ui, st, out);
    super::theme::focus_ring(ui.ctx());
}

fn top_bar(ui: &mut egui::Ui, st: &mut PlayUi) {
    let s = st.session.scenario().clone();
    let full = ui.max_rect();
    let row_h = (full.height() - 4.0) / 2.0;
    let row1 = Rect::from_min_size(full.min, egui::vec2(full.width(), row_h));
    let row2 = Rect::from_min_max(egui::pos2(full.left(), row1.bottom() + 4.0), full.max);
    // Row 1: what the call is.
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(row1)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
        |ui| {
            ui.label(icon(ui, labels::channel_icon(s.channel)).size(20.0))
                .on_hover_text(labels::channel(s.channel));
            ui.add(egui::Label::new(RichText::new(&s.title).heading()).truncate());
        },
    );
    // Row 2: buttons on the right (created left to right, so Tab reaches Finish last),
    // the clock and the last notice in what is left.
    let pause = if st.paused {
        "Resume (F6)"
    } else {
        "Pause (F6)"
    };
    let finish = if st.session.is_over() {
        "Debrief ▶"
    } else {
        "Finish & debrief…"
    };
    let (clicked, left) = right_buttons(ui, row2, &[pause, "Abandon…", finish]);
    if clicked == Some(0) {
        st.set_paused(!st.paused);
    }
    if clicked == Some(1) {
        st.confirm = Some(Confirm::Abandon);
    }
    if clicked == Some(2) {
        st.confirm = Some(Confirm::Finish);
    }
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(left)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
        |ui| {
            ui.set_clip_rect(left);
            ui.label(icon(ui, labels::icon::CLOCK));
            ui.label(RichText::new(clock(st.session.clock())).monospace())
                .on_hover_text("Simulated time since the call started");
            let left_s = st.session.sla_remaining();
            let sla = if left_s >= 0 {
                RichText::new(format!("SLA {} left", clock(left_s as u32)))
            } else {
                RichText::new(format!("SLA breached by {}", clock((-left_s) as u32)))
                    .color(super::theme::danger(ui.visuals()))
            };
            ui.label(sla.monospace());
            notice(ui, st);
        },
    );
}

/// Buttons at the right end of `row`, created left to right (so Tab meets them in
/// reading order); returns which was clicked and the rest of the row on the left.
pub fn right_buttons(ui: &mut egui::Ui, row: Rect, labels: &[&str]) -> (Option<usize>, Rect) {
    let pad = ui.spacing().button_padding.x * 2.0;
    let gap = ui.spacing().item_spacing.x;
    let width: f32 = labels
        .iter()
        .map(|t| {
            egui::WidgetText::from(*t)
                .into_galley(
                    ui,
                    Some(egui::TextWrapMode::Extend),
                    f32::INFINITY,
                    egui::TextStyle::Button,
                )
                .size()
                .x
                + pad
                + gap
        })
        .sum();
    let buttons = Rect::from_min_max(
        egui::pos2((row.right() - width).max(row.left()), row.top()),
        row.max,
    );
    let mut clicked = None;
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(buttons)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
        |ui| {
            for (i, l) in labels.iter().enumerate() {
                if ui.button(*l).clicked() {
                    clicked = Some(i);
                }
            }
        },
    );
    let left = Rect::from_min_max(row.min, egui::pos2(buttons.left() - 8.0, row.bottom()));
    (clicked, left)
}

/// How long a notice stays on screen, in seconds.
const NOTICE_SECS: f64 = 6.0;

/// The last command's confirmation, for a few seconds after it appeared.
fn notice(ui: &mut egui::Ui, st: &PlayUi) {
    let Some(n) = &st.notice else { return };
    let now = ui.input(|i| i.time);
    let id = egui::Id::new("notice-shown");
    let (serial, since) = ui
        .ctx()
        .data(|d| d.get_temp::<(u64, f64)>(id))
        .unwrap_or((0, now));
    let since = if serial == n.serial { since } else { now };
    ui.ctx().data_mut(|d| d.insert_temp(id, (n.serial, since)));
    let age = now - since;
    if age > NOTICE_SECS {
        return;
    }
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_secs_f64(NOTICE_SECS - age + 0.05));
    ui.separator();
    let v = ui.visuals();
    let (c, i) = if n.error {
        (super::theme::danger(v), labels::icon::ALERT)
    } else {
        (super::theme::success(v), labels::icon::CHECK)
    };
    ui.label(icon(ui, i).color(c));
    ui.add(egui::Label::new(RichText::new(&n.text).color(c)).truncate())
        .on_hover_text(&n.text);
}

/// The question before an irreversible action. Cancel has the focus, so Enter alone
/// never passes it; the action needs Tab then Enter, or a click.
fn confirm_dialog(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let Some(c) = st.confirm else { return };
    let (title, body, yes) = match c {
        Confirm::Finish => (
            "Finish this attempt?",
            "The attempt is scored as it stands and the debrief opens. You cannot come back to this call.",
            "Yes, finish and score",
        ),
        Confirm::Abandon => (
            "Abandon this attempt?",
            "You leave the call; the attempt is not scored or saved.",
            "Yes, abandon",
        ),
        Confirm::Resolve => (
            "Resolve the ticket?",
            "The ticket is closed as resolved with your resolution note. Check that the customer confirmed the fix.",
            "Yes, resolve",
        ),
    };
    let opened = egui::Id::new("confirm-opened");
    let first = ui.ctx().data(|d| d.get_temp::<u8>(opened)) != Some(c as u8);
    let resp = egui::Modal::new(egui::Id::new("confirm")).show(ui.ctx(), |ui| {
        ui.set_max_width(420.0);
        ui.heading(title);
        ui.label(body);
        ui.add_space(8.0);
        let mut decided = None;
        ui.horizontal(|ui| {
            let cancel = ui.button("Cancel");
            if first {
                cancel.request_focus();
            }
            if cancel.clicked() {
                decided = Some(false);
            }
            let y = ui.button(RichText::new(yes).color(super::theme::danger(ui.visuals())));
            if y.clicked() {
                decided = Some(true);
            }
        });
        decided
    });
    ui.ctx().data_mut(|d| d.insert_temp(opened, c as u8));
    let decided = resp.inner.or(resp.should_close().then_some(false));
    match decided {
        Some(true) => {
            st.confirm = None;
            ui.ctx().data_mut(|d| d.remove::<u8>(opened));
            match c {
                Confirm::Finish => out.push(UiCommand::Finish),
                Confirm::Abandon => out.push(UiCommand::Abandon),
                Confirm::Resolve => out.push(UiCommand::Play(super::play_ui::PlayCommand::Resolve)),
            }
        }
        Some(false) => {
            st.confirm = None;
            ui.ctx().data_mut(|d| d.remove::<u8>(opened));
        }
        None => {}
    }
}

/// Where a keyboard shortcut asked the focus to go this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusTarget {
    Customer,
    Console,
    Ticket,
    Knowledge,
}

/// Colour for a label drawn on a bar filled with a score colour: dark text on the light
/// fills, so it passes WCAG AA.
pub fn on_fill(_fill: Color32) -> Color32 {
    Color32::from_rgb(20, 20, 20)
}
