//! The play screen, drawn with plain egui (no Bevy) so egui_kittest can drive it.
//! Every control turns into a [`UiCommand`]; nothing here changes game state directly.

use super::UiCommand;
use super::play_ui::{LineKind, PlayCommand, PlayUi, WorkTab};
use super::theme::score_color;
use crate::scenario::format::{Category, Level};
use crate::session::action::Action;
use crate::session::customer::mood_label;
use crate::session::event::{CallEnd, EventKind, clock};
use crate::world::tools::ToolKind;
use bevy_egui::egui::{self, Color32, RichText};

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

fn act(out: &mut Vec<UiCommand>, a: Action) {
    out.push(UiCommand::Play(PlayCommand::Act(a)));
}

/// The label of the n-th dialogue option button (1-based).
pub fn option_label(n: usize, text: &str) -> String {
    format!("{n}. {text}")
}

/// Draws the whole play screen.
pub fn play_screen(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let width = ui.available_width();
    egui::Panel::top("play-top").show(ui, |ui| top_bar(ui, st, out));
    if st.paused {
        egui::CentralPanel::default_margins().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                ui.heading("Paused");
                ui.label("The simulated clock only moves when you act; take your time.");
                if ui.button("Resume").clicked() {
                    st.set_paused(false);
                }
            });
        });
        return;
    }
    egui::Panel::left("customer")
        .resizable(true)
        .default_size(width * 0.32)
        .min_size(260.0)
        .show(ui, |ui| customer_panel(ui, st, out));
    egui::Panel::right("ticket")
        .resizable(true)
        .default_size(width * 0.27)
        .min_size(250.0)
        .show(ui, |ui| ticket_panel(ui, st, out));
    egui::CentralPanel::default_margins().show(ui, |ui| workstation(ui, st, out));
    // Keys 1–9 pick a reply when nothing is being typed.
    if !ui.ctx().egui_wants_keyboard_input() {
        let keys = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
            egui::Key::Num5,
            egui::Key::Num6,
            egui::Key::Num7,
            egui::Key::Num8,
            egui::Key::Num9,
        ];
        let options = st.session.available_options();
        for (i, k) in keys.iter().enumerate() {
            if ui.input(|inp| inp.key_pressed(*k))
                && let Some(o) = options.get(i)
            {
                act(out, Action::Say(*o));
            }
        }
    }
}

fn top_bar(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let s = st.session.scenario().clone();
    ui.horizontal(|ui| {
        ui.heading(&s.title);
        ui.separator();
        ui.label(RichText::new(format!("🕑 {}", clock(st.session.clock()))).monospace())
            .on_hover_text("Simulated time since the call started");
        let left = st.session.sla_remaining();
        let sla = if left >= 0 {
            RichText::new(format!("SLA {} left", clock(left as u32)))
        } else {
            RichText::new(format!("SLA breached by {}", clock((-left) as u32)))
                .color(Color32::from_rgb(220, 80, 70))
        };
        ui.label(sla.monospace());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if st.confirm_abandon {
                if ui.button("Keep playing").clicked() {
                    st.confirm_abandon = false;
                }
                if ui
                    .button(RichText::new("Yes, abandon").color(Color32::from_rgb(220, 80, 70)))
                    .clicked()
                {
                    out.push(UiCommand::Abandon);
                }
                ui.label("Abandon this attempt? It will not be scored.");
            } else {
                let finish = if st.session.is_over() {
                    "Debrief ▶"
                } else {
                    "Finish & debrief"
                };
                if ui
                    .button(finish)
                    .on_hover_text("Score the attempt as it stands")
                    .clicked()
                {
                    out.push(UiCommand::Finish);
                }
                if ui.button("Abandon").clicked() {
                    st.confirm_abandon = true;
                }
                if ui.button("Pause").clicked() {
                    st.set_paused(true);
                }
            }
        });
    });
}

fn avatar(ui: &mut egui::Ui, mood: i32) {
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(56.0, 56.0), egui::Sense::hover());
    resp.on_hover_text(format!("The customer looks {}", mood_label(mood)));
    let p = ui.painter();
    let col = score_color(mood as i64);
    let c = rect.center();
    p.circle_filled(c, 26.0, col.gamma_multiply(0.35));
    p.circle_stroke(c, 26.0, egui::Stroke::new(2.0, col));
    let ink = ui.visuals().strong_text_color();
    p.circle_filled(c + egui::vec2(-9.0, -7.0), 3.0, ink);
    p.circle_filled(c + egui::vec2(9.0, -7.0), 3.0, ink);
    // The mouth curves with mood: a frown below 40, flat around 50, a smile above 60.
    let curve = ((mood - 50) as f32 / 50.0).clamp(-1.0, 1.0) * 7.0;
    let pts: Vec<egui::Pos2> = (0..=8)
        .map(|i| {
            let t = i as f32 / 8.0 * 2.0 - 1.0;
            c + egui::vec2(t * 11.0, 9.0 + curve * (1.0 - t * t))
        })
        .collect();
    p.add(egui::Shape::line(pts, egui::Stroke::new(2.5, ink)));
    if mood < 25 {
        p.line_segment(
            [c + egui::vec2(-14.0, -14.0), c + egui::vec2(-5.0, -11.0)],
            egui::Stroke::new(2.0, ink),
        );
        p.line_segment(
            [c + egui::vec2(14.0, -14.0), c + egui::vec2(5.0, -11.0)],
            egui::Stroke::new(2.0, ink),
        );
    }
}

fn customer_panel(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let s = st.session.scenario().clone();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        avatar(ui, st.session.mood());
        ui.vertical(|ui| {
            ui.heading(st.session.customer_name());
            ui.label(format!("{} · {:?}", s.customer.role, s.channel));
        });
    });
    let mood = st.session.mood();
    ui.add(
        egui::ProgressBar::new(mood as f32 / 100.0)
            .fill(score_color(mood as i64))
            .text(format!("Mood: {} ({mood})", mood_label(mood))),
    );
    let patience = st.session.patience();
    ui.add(
        egui::ProgressBar::new(patience as f32 / 100.0)
            .fill(score_color(patience as i64))
            .text(format!("Patience: {patience}")),
    );
    ui.separator();
    let options = st.session.available_options();
    let questions = st.session.available_questions();
    egui::Panel::bottom("replies").show(ui, |ui| replies(ui, st, &s, &options, &questions, out));
    egui::ScrollArea::vertical()
        .id_salt("transcript")
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for e in st.session.events() {
                match &e.kind {
                    EventKind::CustomerSaid { text } => {
                        ui.label(
                            RichText::new(format!("{}: {text}", st.session.customer_name()))
                                .strong(),
                        );
                    }
                    EventKind::TraineeSaid { text, .. } => {
                        ui.label(
                            RichText::new(format!("You: {text}"))
                                .color(ui.visuals().weak_text_color()),
                        );
                    }
                    EventKind::Asked { text, .. } => {
                        ui.label(
                            RichText::new(format!("You: {text}"))
                                .color(ui.visuals().weak_text_color()),
                        );
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

fn replies(
    ui: &mut egui::Ui,
    st: &PlayUi,
    s: &crate::scenario::Scenario,
    options: &[crate::ids::OptionId],
    questions: &[crate::ids::QuestionId],
    out: &mut Vec<UiCommand>,
) {
    if !questions.is_empty() {
        egui::CollapsingHeader::new(format!("Ask a question ({})", questions.len()))
            .id_salt("questions")
            .show(ui, |ui| {
                for q in questions {
                    let text = &s.question(*q).text;
                    if ui.add(egui::Button::new(text.as_str()).wrap()).clicked() {
                        act(out, Action::Ask(*q));
                    }
                }
            });
    }
    if st.session.call_active() {
        ui.label(RichText::new("Your reply (keys 1–9):").small());
        for (i, o) in options.iter().enumerate() {
            let label = option_label(i + 1, &s.option(*o).text);
            if ui.add(egui::Button::new(label).wrap()).clicked() {
                act(out, Action::Say(*o));
            }
        }
        if options.is_empty() {
            ui.label("(nothing to say right now)");
        }
        if ui.small_button("End call").clicked() {
            act(out, Action::EndCall);
        }
    } else {
        ui.label(
            RichText::new("The call has ended. Finish the ticket, then open the debrief.")
                .italics(),
        );
    }
}

fn level_combo(ui: &mut egui::Ui, label: &str, value: Option<Level>) -> Option<Level> {
    let mut chosen = None;
    egui::ComboBox::from_label(label)
        .selected_text(
            value
                .map(|v| format!("{v:?}"))
                .unwrap_or_else(|| "—".into()),
        )
        .show_ui(ui, |ui| {
            for l in LEVELS {
                if ui
                    .selectable_label(value == Some(l), format!("{l:?}"))
                    .clicked()
                {
                    chosen = Some(l);
                }
            }
        });
    chosen.filter(|c| Some(*c) != value)
}

fn ticket_panel(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let s = st.session.scenario().clone();
    egui::ScrollArea::vertical().id_salt("ticket-scroll").show(ui, |ui| {
        ui.heading("Ticket");
        let t = st.session.ticket().clone();
        ui.label(format!("Status: {:?}", t.status));
        let cat = t.category;
        egui::ComboBox::from_label("Category")
            .selected_text(cat.map(|c| format!("{c:?}")).unwrap_or_else(|| "—".into()))
            .show_ui(ui, |ui| {
                for c in CATEGORIES {
                    if ui.selectable_label(cat == Some(c), format!("{c:?}")).clicked() && cat != Some(c) {
                        act(out, Action::Ticket { category: Some(c), impact: None, urgency: None });
                    }
                }
            });
        if let Some(i) = level_combo(ui, "Impact", t.impact) {
            act(out, Action::Ticket { category: None, impact: Some(i), urgency: None });
        }
        if let Some(u) = level_combo(ui, "Urgency", t.urgency) {
            act(out, Action::Ticket { category: None, impact: None, urgency: Some(u) });
        }
        ui.label(format!(
            "Priority: {}",
            t.priority().map(|p| p.to_string()).unwrap_or_else(|| "set impact and urgency".into())
        ));
        let w = st.session.world();
        let user = s.customer.account.map(|a| w.accounts[a.index()].username.clone()).unwrap_or_else(|| "—".into());
        let dev = s.customer.device.map(|d| w.devices[d.index()].hostname.clone()).unwrap_or_else(|| "—".into());
        ui.label(format!("Affected user: {user}   Device: {dev}"));
        ui.separator();
        ui.label(RichText::new("Work notes").strong());
        ui.add(
            egui::TextEdit::multiline(&mut st.notes)
                .id_salt("notes")
                .desired_rows(7)
                .desired_width(f32::INFINITY)
                .hint_text("Symptom / Diagnosis / Cause / Actions / Outcome — full sentences, no passwords"),
        );
        let dirty = st.notes != t.notes;
        if ui.add_enabled(dirty, egui::Button::new("Save notes")).clicked() {
            out.push(UiCommand::Play(PlayCommand::SaveNotes));
        }
        ui.separator();
        ui.label(RichText::new("Escalate").strong());
        let team_name = st.team.map(|id| s.pack.team(id).name.clone()).unwrap_or_else(|| "choose a team".into());
        egui::ComboBox::from_label("Team").selected_text(team_name).show_ui(ui, |ui| {
            for (i, team) in s.pack.teams.iter().enumerate() {
                let id = crate::ids::TeamId::from_index(i);
                ui.selectable_value(&mut st.team, Some(id), format!("{} (L{})", team.name, team.tier))
                    .on_hover_text(&team.handles);
            }
        });
        ui.add(
            egui::TextEdit::multiline(&mut st.handoff)
                .id_salt("handoff")
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text("Hand-off: what was reported, checked, found and done; what you need"),
        );
        if ui.button("Escalate").clicked() {
            out.push(UiCommand::Play(PlayCommand::Escalate));
        }
        ui.separator();
        ui.label(RichText::new("Resolve").strong());
        ui.add(
            egui::TextEdit::multiline(&mut st.resolution)
                .id_salt("resolution")
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .hint_text("Resolution note"),
        );
        if ui.button("Resolve ticket").clicked() {
            out.push(UiCommand::Play(PlayCommand::Resolve));
        }
        ui.separator();
        if ui
            .button(format!("Request a hint (−2 points each, used {})", st.session.hints_used()))
            .clicked()
        {
            act(out, Action::Hint);
        }
        for e in st.session.events().iter().rev() {
            if let EventKind::HintShown { text } = &e.kind {
                ui.label(RichText::new(format!("💡 {text}")).italics());
                break;
            }
        }
        if let Some(err) = &st.error {
            ui.colored_label(Color32::from_rgb(220, 80, 70), format!("Not done: {err}"));
        }
    });
}

fn workstation(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut st.tab, WorkTab::Console, "Console");
        ui.selectable_value(&mut st.tab, WorkTab::Directory, "Directory");
        ui.selectable_value(&mut st.tab, WorkTab::Knowledge, "Knowledge base");
    });
    ui.separator();
    match st.tab {
        WorkTab::Console => console(ui, st, out),
        WorkTab::Directory => directory(ui, st, out),
        WorkTab::Knowledge => knowledge(ui, st, out),
    }
}

fn console(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let h = (ui.available_height() - 36.0).max(80.0);
    egui::ScrollArea::vertical()
        .id_salt("console")
        .max_height(h)
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for l in &st.console {
                let color = match l.kind {
                    LineKind::Input => ui.visuals().strong_text_color(),
                    LineKind::Output => ui.visuals().text_color(),
                    LineKind::Error => Color32::from_rgb(220, 80, 70),
                    LineKind::Info => ui.visuals().weak_text_color(),
                };
                ui.label(RichText::new(&l.text).monospace().color(color));
            }
        });
    let id = egui::Id::new("console-input");
    let r = ui.add(
        egui::TextEdit::singleline(&mut st.console_input)
            .id(id)
            .font(egui::TextStyle::Monospace)
            .desired_width(f32::INFINITY)
            .lock_focus(true)
            .hint_text("type a command — `help` lists them; Tab completes; Esc leaves"),
    );
    if r.has_focus() {
        let (tab, up, down) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Tab),
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::ArrowDown),
            )
        });
        if tab {
            st.complete();
        }
        if up {
            st.recall(true);
        }
        if down {
            st.recall(false);
        }
        if tab || up || down {
            // Continue typing at the end of the completed or recalled text.
            if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
                let end = egui::text::CCursor::new(st.console_input.chars().count());
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::one(end)));
                state.store(ui.ctx(), id);
            }
        }
    }
    if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        let line = std::mem::take(&mut st.console_input);
        out.push(UiCommand::Play(PlayCommand::Console(line)));
        r.request_focus();
    }
}

fn directory(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let s = st.session.scenario().clone();
    let w = st.session.world();
    let can = |k: ToolKind| s.tools.contains(&k);
    egui::ScrollArea::vertical()
        .id_salt("directory")
        .show(ui, |ui| {
            ui.label(RichText::new("People").strong());
            egui::Grid::new("people").striped(true).show(ui, |ui| {
                for a in &w.accounts {
                    ui.label(&a.display_name);
                    ui.label(RichText::new(&a.username).monospace());
                    if ui
                        .add_enabled(can(ToolKind::Account), egui::Button::new("Look up"))
                        .clicked()
                    {
                        out.push(UiCommand::Play(PlayCommand::Console(format!(
                            "account {}",
                            a.username
                        ))));
                    }
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            ui.label(RichText::new("Devices").strong());
            egui::Grid::new("devices").striped(true).show(ui, |ui| {
                for d in &w.devices {
                    ui.label(RichText::new(&d.hostname).monospace());
                    ui.label(format!("{:?}", d.kind));
                    ui.horizontal(|ui| {
                        for k in [
                            ToolKind::Ipconfig,
                            ToolKind::Services,
                            ToolKind::EventLog,
                            ToolKind::Disk,
                        ] {
                            if can(k) && ui.small_button(k.command()).clicked() {
                                out.push(UiCommand::Play(PlayCommand::Console(format!(
                                    "{} {}",
                                    k.command(),
                                    d.hostname
                                ))));
                            }
                        }
                    });
                    ui.end_row();
                }
            });
            if !w.printers.is_empty() {
                ui.add_space(6.0);
                ui.label(RichText::new("Printers").strong());
                for p in &w.printers {
                    ui.horizontal(|ui| {
                        ui.label(format!("{} ({})", p.name, p.id));
                        if can(ToolKind::PrintQueue) && ui.small_button("printq").clicked() {
                            out.push(UiCommand::Play(PlayCommand::Console(format!(
                                "printq {}",
                                p.id
                            ))));
                        }
                    });
                }
            }
            if !w.mailboxes.is_empty() {
                ui.add_space(6.0);
                ui.label(RichText::new("Mailboxes").strong());
                for m in &w.mailboxes {
                    ui.horizontal(|ui| {
                        ui.label(&m.address);
                        if can(ToolKind::Mailbox) && ui.small_button("mailbox").clicked() {
                            out.push(UiCommand::Play(PlayCommand::Console(format!(
                                "mailbox {}",
                                m.address
                            ))));
                        }
                    });
                }
            }
        });
}

fn knowledge(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut st.kb_query)
                .id_salt("kb-query")
                .hint_text("search the knowledge base"),
        );
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Search").clicked() || enter) && !st.kb_query.trim().is_empty() {
            act(out, Action::SearchKb(st.kb_query.clone()));
        }
    });
    let meta = st.pack.meta.clone();
    ui.columns(2, |cols| {
        egui::ScrollArea::vertical()
            .id_salt("kb-results")
            .show(&mut cols[0], |ui| {
                if st.kb_results.is_empty() {
                    ui.label(RichText::new("No results yet.").weak());
                }
                for id in st.kb_results.clone() {
                    let a = meta.article(id);
                    if ui
                        .selectable_label(st.kb_article == Some(id), &a.title)
                        .clicked()
                    {
                        act(out, Action::OpenKb(id));
                    }
                }
            });
        egui::ScrollArea::vertical()
            .id_salt("kb-article")
            .show(&mut cols[1], |ui| {
                if let Some(id) = st.kb_article {
                    let a = meta.article(id);
                    ui.heading(&a.title);
                    if !a.tags.is_empty() {
                        ui.label(RichText::new(a.tags.join(" · ")).small().weak());
                    }
                    for line in a.body.lines() {
                        if let Some(h) = line.strip_prefix("#") {
                            ui.label(RichText::new(h.trim_start_matches('#').trim()).strong());
                        } else {
                            ui.label(line.replace("**", ""));
                        }
                    }
                }
            });
    });
}
