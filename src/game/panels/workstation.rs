//! The workstation: console, directory and knowledge base as tabs (and the ticket, on
//! narrow windows). Each tab lays its parts out in fixed rectangles that scroll on
//! their own.

use super::{FocusTarget, act, icon, region};
use crate::game::UiCommand;
use crate::game::labels;
use crate::game::play_ui::{LineKind, PlayCommand, PlayUi, WorkTab};
use crate::game::theme;
use crate::session::action::Action;
use crate::world::tools::ToolKind;
use bevy_egui::egui::{self, Rect, RichText};

pub(crate) fn workstation(
    ui: &mut egui::Ui,
    st: &mut PlayUi,
    out: &mut Vec<UiCommand>,
    focus: Option<FocusTarget>,
) {
    let narrow = ui.ctx().viewport_rect().width() < super::WIDE;
    let full = ui.max_rect();
    ui.horizontal_wrapped(|ui| {
        let mut tabs = vec![
            (WorkTab::Console, labels::icon::TERMINAL, "Console", "F2"),
            (WorkTab::Directory, labels::icon::USERS, "Directory", ""),
            (
                WorkTab::Knowledge,
                labels::icon::BOOK,
                "Knowledge base",
                "F4",
            ),
        ];
        if narrow {
            tabs.push((WorkTab::Ticket, labels::icon::TICKET, "Ticket", "F3"));
        }
        for (tab, i, name, key) in tabs {
            let text = super::with_icon(ui, i, name);
            let hover = if key.is_empty() {
                name.to_string()
            } else {
                format!("{name} ({key})")
            };
            let on = st.tab == tab;
            let r = ui.selectable_label(on, text).on_hover_text(hover);
            // Screen readers hear the tab's name, not the icon's code point.
            r.widget_info(|| {
                egui::WidgetInfo::selected(egui::WidgetType::SelectableLabel, true, on, name)
            });
            if r.clicked() {
                st.tab = tab;
            }
        }
    });
    ui.separator();
    // What is left of the region's own rectangle (a wide row must not widen it).
    let top = ui.cursor().top();
    let rest = Rect::from_min_max(egui::pos2(full.left(), top), full.max);
    match st.tab {
        WorkTab::Console => region(ui, rest, "console-tab", false, |ui| {
            console(ui, st, out, focus)
        }),
        WorkTab::Directory => region(ui, rest, "directory-tab", false, |ui| {
            directory(ui, st, out)
        }),
        WorkTab::Knowledge => region(ui, rest, "kb-tab", false, |ui| {
            knowledge(ui, st, out, focus)
        }),
        WorkTab::Ticket => region(ui, rest, "ticket-tab", false, |ui| {
            super::ticket::ticket_panel(ui, st, out, focus)
        }),
    }
}

fn console_lines(ui: &mut egui::Ui, lines: &[crate::game::play_ui::ConsoleLine]) {
    for l in lines {
        let color = match l.kind {
            LineKind::Input => ui.visuals().strong_text_color(),
            LineKind::Output => theme::console_text(ui.visuals()),
            LineKind::Error => theme::danger(ui.visuals()),
            LineKind::Info => theme::secondary_text(ui.visuals()),
        };
        ui.label(RichText::new(&l.text).monospace().color(color));
    }
}

fn console(
    ui: &mut egui::Ui,
    st: &mut PlayUi,
    out: &mut Vec<UiCommand>,
    focus: Option<FocusTarget>,
) {
    let full = ui.max_rect();
    let input_h = 30.0;
    let out_r = Rect::from_min_max(
        full.min,
        egui::pos2(full.right(), full.bottom() - input_h - 4.0),
    );
    let in_r = Rect::from_min_max(egui::pos2(full.left(), full.bottom() - input_h), full.max);
    region(ui, out_r, "console-out", false, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("console")
            .stick_to_bottom(true)
            .auto_shrink([false, false])
            .show(ui, |ui| console_lines(ui, &st.console));
    });
    region(ui, in_r, "console-in", false, |ui| {
        console_input(ui, st, out, focus)
    });
}

fn console_input(
    ui: &mut egui::Ui,
    st: &mut PlayUi,
    out: &mut Vec<UiCommand>,
    focus: Option<FocusTarget>,
) {
    let id = egui::Id::new("console-input");
    let had_focus = ui.memory(|m| m.had_focus_last_frame(id));
    // Tab completes while something is typed; in an empty console it moves on, so the
    // console is no trap for keyboard users.
    let typing = !st.console_input.trim().is_empty();
    let r = ui.add(
        egui::TextEdit::singleline(&mut st.console_input)
            .id(id)
            .font(egui::TextStyle::Monospace)
            .desired_width(f32::INFINITY)
            .lock_focus(typing)
            .hint_text("type a command — `help` lists them; Tab completes; Esc leaves"),
    );
    super::ticket::name(&r, "Console command");
    if focus == Some(FocusTarget::Console) {
        r.request_focus();
    }
    // Only keys pressed while the console already had focus act here: the Tab that
    // brought focus in does not also complete (and print every command).
    if r.has_focus() && had_focus {
        let (tab, up, down) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Tab) && i.modifiers.is_none(),
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::ArrowDown),
            )
        });
        if tab && typing {
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

/// A button with a short text and a full name for screen readers.
fn named_button(ui: &mut egui::Ui, text: &str, name: &str, hover: &str) -> bool {
    let r = ui.button(text).on_hover_text(hover);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, name));
    r.clicked()
}

fn tool_button(ui: &mut egui::Ui, k: ToolKind, target: &str) -> bool {
    let cmd = format!("{} {target}", k.command());
    named_button(
        ui,
        k.command(),
        &cmd,
        &format!("Run `{cmd}`; the result shows below"),
    )
}

fn directory(ui: &mut egui::Ui, st: &mut PlayUi, out: &mut Vec<UiCommand>) {
    let full = ui.max_rect();
    let has_result = st.lookup.is_some_and(|i| i < st.console.len());
    let split = if has_result {
        full.height() * 0.55
    } else {
        full.height()
    };
    let list_r = Rect::from_min_size(full.min, egui::vec2(full.width(), split));
    let result_r = Rect::from_min_max(egui::pos2(full.left(), list_r.bottom() + 6.0), full.max);
    let s = st.session.scenario().clone();
    let w = st.session.world().clone();
    let can = |k: ToolKind| s.tools.contains(&k);
    region(ui, list_r, "directory-list", false, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("directory")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let mut run = |line: String| {
                    out.push(UiCommand::Play(PlayCommand::Lookup(line)));
                };
                ui.label(RichText::new("People").strong());
                egui::Grid::new("people").striped(true).show(ui, |ui| {
                    for a in &w.accounts {
                        ui.label(&a.display_name);
                        ui.label(RichText::new(&a.username).monospace());
                        if can(ToolKind::Account)
                            && named_button(
                                ui,
                                "Look up",
                                &format!("Look up {}", a.username),
                                &format!("Run `account {}`; the result shows below", a.username),
                            )
                        {
                            run(format!("account {}", a.username));
                        }
                        ui.end_row();
                    }
                });
                ui.add_space(6.0);
                ui.label(RichText::new("Devices").strong());
                egui::Grid::new("devices").striped(true).show(ui, |ui| {
                    for d in &w.devices {
                        ui.label(RichText::new(&d.hostname).monospace());
                        ui.label(labels::device_kind(d.kind));
                        ui.horizontal_wrapped(|ui| {
                            for k in [
                                ToolKind::Ipconfig,
                                ToolKind::Services,
                                ToolKind::EventLog,
                                ToolKind::Disk,
                                ToolKind::TaskList,
                                ToolKind::Software,
                            ] {
                                if can(k) && tool_button(ui, k, &d.hostname) {
                                    run(format!("{} {}", k.command(), d.hostname));
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
                            if can(ToolKind::PrintQueue)
                                && tool_button(ui, ToolKind::PrintQueue, &p.id)
                            {
                                run(format!("printq {}", p.id));
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
                            if can(ToolKind::Mailbox)
                                && tool_button(ui, ToolKind::Mailbox, &m.address)
                            {
                                run(format!("mailbox {}", m.address));
                            }
                        });
                    }
                }
            });
    });
    if let Some(from) = st.lookup.filter(|_| has_result) {
        region(ui, result_r, "directory-result", true, |ui| {
            ui.horizontal(|ui| {
                ui.label(icon(ui, labels::icon::TERMINAL));
                ui.label(RichText::new("Result (also in the Console)").strong());
            });
            egui::ScrollArea::vertical()
                .id_salt(("directory-result", from))
                .auto_shrink([false, false])
                .show(ui, |ui| console_lines(ui, &st.console[from..]));
        });
    }
}

/// A KB article body as paragraphs: consecutive lines join into one (no breaks
/// mid-sentence); headings, list items and blank lines start new ones.
pub fn kb_paragraphs(body: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = vec![];
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<(bool, String)>| {
        if !cur.trim().is_empty() {
            out.push((false, std::mem::take(cur).replace("**", "")));
        }
        cur.clear();
    };
    for line in body.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut cur, &mut out);
        } else if let Some(h) = t.strip_prefix('#') {
            flush(&mut cur, &mut out);
            out.push((true, h.trim_start_matches('#').trim().to_string()));
        } else if t.starts_with("- ")
            || t.starts_with("* ")
            || t.split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
        {
            flush(&mut cur, &mut out);
            cur.push_str(t);
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(t);
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn knowledge(
    ui: &mut egui::Ui,
    st: &mut PlayUi,
    out: &mut Vec<UiCommand>,
    focus: Option<FocusTarget>,
) {
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut st.kb_query)
                .id_salt("kb-query")
                .desired_width((ui.available_width() - 90.0).max(80.0))
                .hint_text("search the knowledge base"),
        );
        super::ticket::name(&r, "Knowledge base search");
        if focus == Some(FocusTarget::Knowledge) {
            r.request_focus();
        }
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Search").clicked() || enter) && !st.kb_query.trim().is_empty() {
            act(out, Action::SearchKb(st.kb_query.clone()));
        }
    });
    let meta = st.pack.meta.clone();
    let full = ui.available_rect_before_wrap();
    let lw = (full.width() * 0.36).max(120.0);
    let list_r = Rect::from_min_size(full.min, egui::vec2(lw, full.height()));
    let art_r = Rect::from_min_max(egui::pos2(list_r.right() + 6.0, full.top()), full.max);
    region(ui, list_r, "kb-list", false, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("kb-results")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if st.kb_results.is_empty() {
                    ui.label(RichText::new("No results yet.").italics());
                }
                for id in st.kb_results.clone() {
                    let a = meta.article(id);
                    if ui
                        .add(egui::Button::selectable(st.kb_article == Some(id), &a.title).wrap())
                        .clicked()
                    {
                        act(out, Action::OpenKb(id));
                    }
                }
            });
    });
    region(ui, art_r, "kb-article", true, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(("kb-article", st.kb_article.map(|k| k.index())))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let Some(id) = st.kb_article else {
                    ui.label(RichText::new("Open an article from the results.").italics());
                    return;
                };
                let a = meta.article(id);
                ui.heading(&a.title);
                if !a.tags.is_empty() {
                    ui.label(
                        RichText::new(a.tags.join(" · "))
                            .color(theme::secondary_text(ui.visuals())),
                    );
                }
                for (heading, text) in kb_paragraphs(&a.body) {
                    if heading {
                        ui.label(RichText::new(text).strong());
                    } else {
                        ui.label(text);
                    }
                }
            });
    });
}

#[cfg(test)]
mod tests {
    use super::kb_paragraphs;

    #[test]
    fn issue13_kb_lines_join_into_paragraphs() {
        let p = kb_paragraphs(
            "# Title\nOne line\ncontinues here.\n\n- a point\n- another\nwraps\n## Next\n**Bold** text",
        );
        assert_eq!(
            p,
            vec![
                (true, "Title".into()),
                (false, "One line continues here.".into()),
                (false, "- a point".into()),
                (false, "- another wraps".into()),
                (true, "Next".into()),
                (false, "Bold text".into()),
            ]
        );
    }
}
