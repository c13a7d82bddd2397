//! Shift mode's screens in plain egui (no Bevy, so egui_kittest drives them): the queue
//! panel (ringing calls with a countdown, waiting chats, SLA clocks), the ticket in hand
//! (its conversation, replies and console line), the shift report and the career ladder.
//! Every button becomes a [`ShiftCommand`]; [`ShiftUi::apply`] turns it into a core
//! `ShiftAction` — the core decides, a refusal is shown as a notice.

use crate::scenario::format::RawAction;
use crate::scenario::load::Pack;
use crate::session::action::Action;
use crate::session::event::EventKind;
use crate::shift::engine::{Shift, State, state_word};
use crate::shift::format::WaitingOn;
use crate::shift::load::ShiftAction;
use crate::shift::model::ShiftProfile;
use crate::shift::score::{ShiftCard, clock};
use crate::shift::{report, score};
use bevy_egui::egui::{self, Key, Modifiers, RichText};
use std::sync::Arc;

/// What the shift screens ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum ShiftCommand {
    Start {
        shift: String,
        seed: u64,
    },
    Act(ShiftAction),
    /// A console line for the ticket in hand (`run ...`, `fix ...`).
    Console(String),
    /// End the shift with the handover note and show the report.
    Finish,
    /// Leave the report for the ladder.
    Back,
}

/// A shift being played, with what the screen shows besides the core's state.
pub struct ShiftUi {
    pub shift: Shift,
    pub pack: Arc<Pack>,
    pub console: String,
    pub handover: String,
    /// The last refusal or result, shown under the queue.
    pub notice: Option<String>,
    /// Scored when the shift is over.
    pub card: Option<ShiftCard>,
}

impl ShiftUi {
    pub fn new(profile: &Arc<ShiftProfile>, seed: u64, pack: Arc<Pack>) -> ShiftUi {
        ShiftUi {
            shift: Shift::new(profile, seed),
            pack,
            console: String::new(),
            handover: String::new(),
            notice: None,
            card: None,
        }
    }

    /// Applies a command through the core; a refusal changes nothing and is shown.
    pub fn apply(&mut self, c: ShiftCommand) {
        let action = match c {
            ShiftCommand::Act(a) => Ok(a),
            ShiftCommand::Console(line) => self.console_action(&line),
            ShiftCommand::Finish => Ok(ShiftAction::Handover(self.handover.clone())),
            ShiftCommand::Start { .. } | ShiftCommand::Back => return,
        };
        let r = action.and_then(|a| self.shift.apply(a).map_err(|e| e.to_string()));
        self.notice = match r {
            Ok(entries) => entries.last().map(|e| {
                format!(
                    "{}  {}",
                    clock(e.at),
                    report::describe(&self.shift, &e.event)
                )
            }),
            Err(e) => Some(format!("Not done: {e}")),
        };
        if self.shift.is_over() && self.card.is_none() {
            self.card = Some(score::score(&self.shift));
        }
    }

    fn console_action(&self, line: &str) -> Result<ShiftAction, String> {
        let t = self.shift.active_ticket().ok_or("no ticket in hand")?;
        let line = line.trim();
        let raw = match line.split_once(' ').map(|(w, r)| (w, r.trim())) {
            Some(("fix", rest)) => RawAction::Fix(rest.into()),
            Some(("notes", rest)) => RawAction::Notes(rest.into()),
            Some(("resolve", rest)) => RawAction::Resolve(rest.into()),
            // The ticket's fields and the hand-off, as in terminal play.
            Some(("ticket", rest)) => {
                crate::authoring::terminal::parse_ticket(rest).map_err(|e| e.trim().to_string())?
            }
            Some(("escalate", rest)) => {
                let (team, handoff) = rest.split_once(' ').unwrap_or((rest, ""));
                RawAction::Escalate {
                    team: team.into(),
                    handoff: handoff.trim().into(),
                }
            }
            Some(("ask", n)) => {
                let q = n
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| t.session.available_questions().get(i).copied())
                    .ok_or_else(|| format!("no question {n} right now"))?;
                RawAction::Ask(t.session.scenario().question(q).key.clone())
            }
            Some(("kb", rest)) => RawAction::SearchKb(rest.into()),
            _ if line == "end" => RawAction::EndCall,
            _ => RawAction::Run(line.into()),
        };
        let a = Action::resolve(&raw, t.session.scenario())?;
        Ok(ShiftAction::Work(t.no, a))
    }

    /// The ticket `A` answers: the longest-ringing call, else the oldest waiting ticket.
    pub fn next_to_answer(&self) -> Option<u32> {
        let by = |s: State| {
            self.shift
                .tickets
                .iter()
                .filter(|t| t.state == s)
                .min_by_key(|t| t.arrival.at)
                .map(|t| t.no)
        };
        by(State::Ringing).or_else(|| by(State::Waiting))
    }

    /// The ticket `S` switches to: the first on hold, parked or set aside.
    pub fn next_to_resume(&self) -> Option<u32> {
        self.shift
            .tickets
            .iter()
            .find(|t| {
                matches!(
                    t.state,
                    State::OnHold { .. } | State::Parked { .. } | State::SetAside
                )
            })
            .map(|t| t.no)
    }
}

fn countdown(secs: i64) -> String {
    if secs < 0 {
        format!("-{}:{:02}", -secs / 60, -secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

/// The queue panel: one row per ticket that has come in and is not finished, with its
/// clock and the buttons that apply to it.
pub fn queue_panel(ui: &mut egui::Ui, st: &ShiftUi, out: &mut Vec<ShiftCommand>) {
    let s = &st.shift;
    ui.heading(format!(
        "Queue — {} of {}",
        clock(s.clock),
        clock(s.length())
    ));
    let active = s.active;
    let parent = s
        .tickets
        .iter()
        .find(|t| {
            t.arrival.incident.is_some()
                && t.answered_at.is_some()
                && t.open()
                && t.parent.is_none()
        })
        .map(|t| t.no);
    let act = |a: ShiftAction| ShiftCommand::Act(a);
    egui::Grid::new("shift-queue")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for t in &s.tickets {
                if matches!(
                    t.state,
                    State::Pending | State::Closed | State::Abandoned | State::Linked { .. }
                ) {
                    continue;
                }
                let mut label = format!("#{} {:?} {}", t.no, t.channel(), t.caller());
                if t.arrival.source.vip {
                    label.push_str(" (VIP)");
                }
                if active == Some(t.no) {
                    label.push_str("  ◀ in hand");
                }
                ui.vertical(|ui| {
                    ui.set_min_width(240.0);
                    ui.add(egui::Label::new(RichText::new(label).strong()).extend());
                    ui.add(egui::Label::new(RichText::new(t.subject()).weak()).extend());
                });
                let clock_text = if let Some(r) = s.ring_left(t.no) {
                    format!("ringing {}", countdown(r))
                } else if let Some(h) = s.hold_left(t.no) {
                    format!("on hold {}", countdown(h))
                } else if let Some(l) = s.sla_left(t.no) {
                    format!("SLA {}", countdown(l))
                } else {
                    state_word(t.state).to_string()
                };
                let urgent = s.ring_left(t.no).is_some_and(|r| r < 30)
                    || s.sla_left(t.no).is_some_and(|l| l < 0);
                if urgent {
                    ui.colored_label(egui::Color32::from_rgb(240, 120, 100), clock_text);
                } else {
                    ui.label(clock_text);
                }
                ui.horizontal(|ui| {
                    let no = t.no;
                    match t.state {
                        State::Ringing | State::Waiting => {
                            if ui.button(format!("Answer #{no}")).clicked() {
                                out.push(act(ShiftAction::Answer(no)));
                            }
                            if let Some(p) =
                                parent.filter(|p| *p != no && t.arrival.incident.is_some())
                                && ui.button(format!("Link #{no} to #{p}")).clicked()
                            {
                                out.push(act(ShiftAction::Link {
                                    ticket: no,
                                    parent: p,
                                }));
                            }
                        }
                        State::Active if t.live() && t.session.call_active() => {
                            if ui.button(format!("Hold #{no}")).clicked() {
                                out.push(act(ShiftAction::Hold {
                                    ticket: no,
                                    minutes: 2,
                                }));
                            }
                            if ui.button(format!("Park #{no}")).clicked() {
                                out.push(act(ShiftAction::Park {
                                    ticket: no,
                                    on: WaitingOn::User,
                                    callback: 30,
                                }));
                            }
                        }
                        State::OnHold { .. } | State::Parked { .. } | State::SetAside
                            if ui.button(format!("Resume #{no}")).clicked() =>
                        {
                            out.push(act(ShiftAction::Resume(no)));
                        }
                        _ => {}
                    }
                });
                ui.end_row();
            }
        });
    let linked = s
        .tickets
        .iter()
        .filter(|t| matches!(t.state, State::Linked { .. }))
        .count();
    if linked > 0 {
        ui.label(format!(
            "{linked} caller(s) linked to an incident; they close with it."
        ));
    }
    if let Some(n) = &st.notice {
        ui.label(RichText::new(n).italics());
    }
}

/// The ticket in hand: the conversation so far, numbered replies, a console line.
fn ticket_panel(ui: &mut egui::Ui, st: &mut ShiftUi, out: &mut Vec<ShiftCommand>) {
    let Some(t) = st.shift.active_ticket() else {
        ui.label(
            "No ticket in hand. Answer a call or chat from the queue (A), or take one back (S).",
        );
        return;
    };
    ui.heading(format!("#{} {} — {}", t.no, t.caller(), t.subject()));
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() * 0.5)
        .stick_to_bottom(true)
        .show(ui, |ui| {
            for e in t.session.events() {
                match &e.kind {
                    EventKind::CustomerSaid { text } => {
                        ui.label(format!("{}: {text}", t.caller()));
                    }
                    EventKind::TraineeSaid { text, .. } => {
                        ui.label(RichText::new(format!("You: {text}")).weak());
                    }
                    EventKind::ToolRan {
                        command, output, ..
                    } => {
                        ui.monospace(format!("> {command}\n{output}"));
                    }
                    _ => {}
                }
            }
        });
    let sc = t.session.scenario().clone();
    let no = t.no;
    for (i, o) in t.session.available_options().into_iter().enumerate() {
        if ui
            .button(format!("{}. {}", i + 1, sc.option(o).text))
            .clicked()
        {
            out.push(ShiftCommand::Act(ShiftAction::Work(no, Action::Say(o))));
        }
    }
    let questions = t.session.available_questions();
    if !questions.is_empty() {
        egui::CollapsingHeader::new(format!("Ask a question ({})", questions.len()))
            .id_salt(("shift-questions", no))
            .show(ui, |ui| {
                for q in questions {
                    if ui.button(&sc.question(q).text).clicked() {
                        out.push(ShiftCommand::Act(ShiftAction::Work(no, Action::Ask(q))));
                    }
                }
            });
    }
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut st.console)
                .hint_text(
                    "console: ipconfig LT-0042 · fix ... · ask N · kb ... · ticket category=… impact=… urgency=… · notes ... · escalate TEAM hand-off · resolve ... · end",
                )
                .desired_width(480.0),
        );
        if r.lost_focus()
            && ui.input(|i| i.key_pressed(Key::Enter))
            && !st.console.trim().is_empty()
        {
            out.push(ShiftCommand::Console(std::mem::take(&mut st.console)));
        }
    });
}

/// Keyboard shortcuts (when no text field has focus).
fn keys(ui: &mut egui::Ui, st: &ShiftUi, out: &mut Vec<ShiftCommand>) {
    if ui.ctx().memory(|m| m.focused().is_some()) {
        return;
    }
    let pressed = |ui: &mut egui::Ui, k: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, k));
    if pressed(ui, Key::A)
        && let Some(n) = st.next_to_answer()
    {
        out.push(ShiftCommand::Act(ShiftAction::Answer(n)));
    }
    if pressed(ui, Key::H)
        && let Some(n) = st.shift.active
    {
        out.push(ShiftCommand::Act(ShiftAction::Hold {
            ticket: n,
            minutes: 2,
        }));
    }
    if pressed(ui, Key::S)
        && let Some(n) = st.next_to_resume()
    {
        out.push(ShiftCommand::Act(ShiftAction::Resume(n)));
    }
    let digits = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    if let Some(t) = st.shift.active_ticket() {
        let opts = t.session.available_options();
        for (i, k) in digits.iter().enumerate() {
            if pressed(ui, *k)
                && let Some(o) = opts.get(i)
            {
                out.push(ShiftCommand::Act(ShiftAction::Work(t.no, Action::Say(*o))));
            }
        }
    }
}

/// The whole shift screen: queue on the left, the ticket in hand on the right, the
/// handover at the bottom.
pub fn shift_screen(ui: &mut egui::Ui, st: &mut ShiftUi, out: &mut Vec<ShiftCommand>) {
    keys(ui, st, out);
    egui::Panel::bottom("shift-handover").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label("Handover note:");
            ui.add(
                egui::TextEdit::multiline(&mut st.handover)
                    .desired_rows(2)
                    .desired_width(ui.available_width() - 220.0),
            );
            if ui.button("End shift and hand over").clicked() {
                out.push(ShiftCommand::Finish);
            }
        });
    });
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.columns(2, |cols| {
            queue_panel(&mut cols[0], st, out);
            ticket_panel(&mut cols[1], st, out);
        });
    });
}

/// The shift report: score, criteria, the queue over time (a plot), lessons, timeline.
pub fn report_screen(ui: &mut egui::Ui, st: &ShiftUi, out: &mut Vec<ShiftCommand>) {
    let Some(card) = &st.card else { return };
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button("◀ Shifts").clicked() {
                out.push(ShiftCommand::Back);
            }
            ui.heading(format!(
                "{} — {} / 100, {}",
                card.title,
                card.overall,
                if card.passed { "passed" } else { "not passed" }
            ));
        });
        for b in &card.blockers {
            ui.colored_label(
                egui::Color32::from_rgb(240, 120, 100),
                format!("Blocked: {b}"),
            );
        }
        for (i, l) in card.lessons.iter().enumerate() {
            ui.label(format!("{}. {l}", i + 1));
        }
        let pts: Vec<[f64; 2]> = st
            .shift
            .samples
            .iter()
            .map(|s| {
                [
                    f64::from(s.at) / 60.0,
                    f64::from(s.ringing + s.waiting + s.on_hold + s.parked),
                ]
            })
            .collect();
        egui_plot::Plot::new("shift-queue-plot")
            .height(160.0)
            .include_y(0.0)
            .x_axis_label("minutes into the shift")
            .y_axis_label("tickets waiting")
            .show(ui, |p| p.line(egui_plot::Line::new("waiting", pts)));
        egui::ScrollArea::vertical().show(ui, |ui| {
            for c in &card.criteria {
                ui.label(RichText::new(format!("{}: {} / {}", c.title, c.points, c.max)).strong());
                for e in &c.evidence {
                    ui.label(format!("    {e}"));
                }
            }
            ui.separator();
            ui.monospace(report::text(&st.shift, card));
        });
    });
}

/// The career ladder: each shift in level order, locked until the one it names has been
/// passed (`passed`: shift ids the trainee has passed).
pub fn ladder(ui: &mut egui::Ui, pack: &Pack, passed: &[String], out: &mut Vec<ShiftCommand>) {
    let mut shifts: Vec<&Arc<ShiftProfile>> = pack.shifts.iter().collect();
    shifts.sort_by_key(|s| (s.level, s.id.clone()));
    for s in shifts {
        let open = s.unlock.as_ref().is_none_or(|u| passed.contains(u));
        ui.horizontal(|ui| {
            let done = passed.contains(&s.id);
            ui.label(
                RichText::new(format!(
                    "{}. {}{}",
                    s.level,
                    s.title,
                    if done { " ✔" } else { "" }
                ))
                .strong(),
            );
            if open {
                if ui.button(format!("Start {}", s.title)).clicked() {
                    out.push(ShiftCommand::Start {
                        shift: s.id.clone(),
                        seed: 1,
                    });
                }
            } else {
                ui.label(format!(
                    "locked: pass {} first",
                    s.unlock.as_deref().unwrap_or("")
                ));
            }
        });
        ui.label(RichText::new(&s.summary).weak());
    }
}
