//! The play screen's state: the core session plus what the trainee is typing.
//! Plain Rust (no Bevy, no egui) so it is tested directly.

use crate::ids::{KbId, TeamId};
use crate::scenario::load::Pack;
use crate::session::Session;
use crate::session::action::Action;
use crate::session::event::EventKind;
use crate::world::fixes::{FixCall, FixKind};
use crate::world::tools::{ToolCall, ToolKind};
use std::sync::Arc;

/// Which workstation tab is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkTab {
    #[default]
    Console,
    Directory,
    Knowledge,
    /// The ticket, as a tab when the window is too narrow for its own column.
    Ticket,
}

/// An action that ends or closes something, asked again before it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Finish,
    Abandon,
    Resolve,
}

/// A transient confirmation of what the last command did (or why it was refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    /// Increments with every notice, so the screen can time each one from when it appears.
    pub serial: u64,
}

/// Kinds of console line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Input,
    Output,
    Error,
    Info,
}

/// One line of the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleLine {
    pub kind: LineKind,
    pub text: String,
}

/// What the play screen asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum PlayCommand {
    /// A core action.
    Act(Action),
    /// A console line as typed.
    Console(String),
    /// Save the notes draft, then escalate with the hand-off draft.
    Escalate,
    /// Save the notes draft, then resolve with the resolution draft.
    Resolve,
    /// Save the notes draft.
    SaveNotes,
    /// A tool run from the Directory tab: like a console line, with its output shown
    /// in the Directory tab itself.
    Lookup(String),
}

/// The state of an attempt on screen.
pub struct PlayUi {
    pub session: Session,
    pub pack: Arc<Pack>,
    pub tab: WorkTab,
    pub console_input: String,
    pub console: Vec<ConsoleLine>,
    pub history: Vec<String>,
    pub history_pos: Option<usize>,
    pub notes: String,
    pub handoff: String,
    pub team: Option<TeamId>,
    pub resolution: String,
    pub kb_query: String,
    pub kb_results: Vec<KbId>,
    pub kb_article: Option<KbId>,
    /// The last rejected action's reason, shown inline.
    pub error: Option<String>,
    pub paused: bool,
    /// The irreversible action waiting for confirmation.
    pub confirm: Option<Confirm>,
    /// The last command's confirmation, shown for a few seconds.
    pub notice: Option<Notice>,
    /// Index into `console` of the last Directory look-up's input line.
    pub lookup: Option<usize>,
    /// When the attempt started (real time), for the stored record.
    pub started_at: std::time::SystemTime,
    pub started: std::time::Instant,
    /// Real time spent paused (not counted as time on the attempt).
    paused_for: std::time::Duration,
    paused_since: Option<std::time::Instant>,
}

impl PlayUi {
    pub fn new(session: Session, pack: Arc<Pack>) -> Self {
        let intro = format!(
            "Remote support console. Type `help` for commands. Connected to {}.",
            session
                .scenario()
                .customer
                .device
                .map(|d| session.world().devices[d.index()].hostname.clone())
                .unwrap_or_else(|| "the directory".into())
        );
        Self {
            session,
            pack,
            tab: WorkTab::Console,
            console_input: String::new(),
            console: vec![ConsoleLine {
                kind: LineKind::Info,
                text: intro,
            }],
            history: vec![],
            history_pos: None,
            notes: String::new(),
            handoff: String::new(),
            team: None,
            resolution: String::new(),
            kb_query: String::new(),
            kb_results: vec![],
            kb_article: None,
            error: None,
            paused: false,
            confirm: None,
            notice: None,
            lookup: None,
            started_at: std::time::SystemTime::now(),
            started: std::time::Instant::now(),
            paused_for: std::time::Duration::ZERO,
            paused_since: None,
        }
    }

    /// Pauses or resumes; paused real time is not counted as time on the attempt.
    pub fn set_paused(&mut self, paused: bool) {
        match (paused, self.paused_since) {
            (true, None) => self.paused_since = Some(std::time::Instant::now()),
            (false, Some(t)) => {
                self.paused_for += t.elapsed();
                self.paused_since = None;
            }
            _ => {}
        }
        self.paused = paused;
    }

    /// Real time spent on the attempt so far, pauses excluded.
    pub fn active_time(&self) -> std::time::Duration {
        let paused = self.paused_for + self.paused_since.map(|t| t.elapsed()).unwrap_or_default();
        self.started.elapsed().saturating_sub(paused)
    }

    fn line(&mut self, kind: LineKind, text: impl Into<String>) {
        self.console.push(ConsoleLine {
            kind,
            text: text.into(),
        });
    }

    /// Shows a transient confirmation.
    pub fn notify(&mut self, text: impl Into<String>, error: bool) {
        let serial = self.notice.as_ref().map_or(1, |n| n.serial + 1);
        self.notice = Some(Notice {
            text: text.into(),
            error,
            serial,
        });
    }

    /// Applies a command; rejected actions leave the session unchanged and set `error`.
    /// Every command leaves a [`Notice`] saying what it did or why it was refused.
    pub fn apply(&mut self, cmd: PlayCommand) {
        let before = self.session.events().len();
        let what = self.run(cmd.clone());
        let notice = match (&self.error, what) {
            (Some(e), _) => Some((format!("Not done: {e}"), true)),
            (None, Some(w)) => Some((w, false)),
            (None, None) => self.describe_new_events(before).map(|w| (w, false)),
        };
        if let Some((text, error)) = notice {
            self.notify(text, error);
        }
    }

    /// What the events since `from` did, in a few words (for the notice).
    fn describe_new_events(&self, from: usize) -> Option<String> {
        let events = self.session.events().get(from..)?;
        events.iter().find_map(|e| match &e.kind {
            EventKind::TicketChanged {
                category,
                impact,
                urgency,
                priority,
            } => {
                let mut parts = vec![];
                if let Some(c) = category {
                    parts.push(format!("category {}", super::labels::category(*c)));
                }
                if let Some(i) = impact {
                    parts.push(format!("impact {}", super::labels::level(*i)));
                }
                if let Some(u) = urgency {
                    parts.push(format!("urgency {}", super::labels::level(*u)));
                }
                if let Some(p) = priority {
                    parts.push(format!("priority {p}"));
                }
                Some(format!("Ticket set: {}.", parts.join(", ")))
            }
            EventKind::HintShown { .. } => Some("Hint shown in the ticket panel.".to_string()),
            EventKind::ToolRan { command, .. } => Some(format!("Ran `{command}`.")),
            EventKind::FixApplied { message, .. } => Some(message.clone()),
            EventKind::KbSearched { results, .. } => {
                Some(format!("{} article(s) found.", results.len()))
            }
            _ => None,
        })
    }

    fn run(&mut self, cmd: PlayCommand) -> Option<String> {
        match cmd {
            PlayCommand::Act(a) => {
                self.act(a);
                None
            }
            PlayCommand::Console(line) => {
                self.console_line(&line);
                None
            }
            PlayCommand::Lookup(line) => {
                self.lookup = Some(self.console.len());
                self.console_line(&line);
                None
            }
            PlayCommand::SaveNotes => {
                let n = self.notes.clone();
                self.act(Action::Notes(n));
                let words = self.notes.split_whitespace().count();
                Some(format!("Work notes saved ({words} words)."))
            }
            PlayCommand::Escalate => {
                let Some(team) = self.team else {
                    self.error = Some("choose the team to escalate to".into());
                    return None;
                };
                if self.notes != self.session.ticket().notes && !self.notes.trim().is_empty() {
                    self.act(Action::Notes(self.notes.clone()));
                }
                self.act(Action::Escalate {
                    team,
                    handoff: self.handoff.clone(),
                });
                let name = self.session.scenario().pack.team(team).name.clone();
                Some(format!("Escalated to {name}; the ticket is now Escalated."))
            }
            PlayCommand::Resolve => {
                if self.notes != self.session.ticket().notes && !self.notes.trim().is_empty() {
                    self.act(Action::Notes(self.notes.clone()));
                }
                self.act(Action::Resolve(self.resolution.clone()));
                Some("Ticket resolved. Open the debrief when you are ready.".into())
            }
        }
    }

    fn act(&mut self, a: Action) {
        match self.session.apply(a) {
            Ok(events) => {
                self.error = None;
                for e in events {
                    match e.kind {
                        EventKind::ToolRan { output, .. } => self.line(LineKind::Output, output),
                        EventKind::FixApplied {
                            message, blocked, ..
                        } => self.line(
                            if blocked {
                                LineKind::Error
                            } else {
                                LineKind::Output
                            },
                            message,
                        ),
                        EventKind::KbSearched { results, .. } => {
                            self.kb_results = results
                                .iter()
                                .filter_map(|r| self.pack.meta.kb_id(r))
                                .collect();
                        }
                        EventKind::KbOpened { article, .. } => {
                            self.kb_article = self.pack.meta.kb_id(&article)
                        }
                        EventKind::WorldChanged { text } => self.line(LineKind::Info, text),
                        _ => {}
                    }
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Runs a console line: `help`, `clear`, a tool or a fix.
    pub fn console_line(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        self.line(LineKind::Input, format!("> {line}"));
        if self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_string());
        }
        self.history_pos = None;
        let word = line.split_whitespace().next().unwrap_or("").to_lowercase();
        let s = self.session.scenario().clone();
        match word.as_str() {
            "help" | "?" => {
                let mut t = String::from("Diagnostic tools:\n");
                for k in &s.tools {
                    t.push_str(&format!("  {}\n", k.usage_in(&s.healthy)));
                }
                t.push_str("Fixes:\n");
                for k in &s.fixes {
                    t.push_str(&format!("  {}\n", k.usage_in(&s.healthy)));
                }
                t.push_str("Keys: Tab completes, Up/Down recall history; 1–9 pick a reply when not typing.");
                self.line(LineKind::Info, t);
                return;
            }
            "clear" | "cls" => {
                self.console.clear();
                return;
            }
            _ => {}
        }
        let default = s.customer.device;
        let world = self.session.world();
        let parsed = if ToolKind::from_command_in(&word, world).is_some() {
            ToolCall::parse(line, self.session.world(), default).map(Action::Run)
        } else if FixKind::from_command_in(&word, world).is_some() {
            FixCall::parse(line, self.session.world(), default).map(Action::Fix)
        } else {
            Err(format!(
                "`{word}` is not a known command; type `help` to list the tools and fixes you have"
            ))
        };
        match parsed {
            Ok(a) => {
                self.act(a);
                if let Some(e) = self.error.clone() {
                    self.line(LineKind::Error, e);
                }
            }
            Err(e) => self.line(LineKind::Error, e),
        }
    }

    /// Every word the console can complete: commands, then names from the world.
    fn vocabulary(&self, first: bool) -> Vec<String> {
        let s = self.session.scenario();
        if first {
            let mut v: Vec<String> = s.tools.iter().map(|k| k.command().to_string()).collect();
            v.extend(s.fixes.iter().map(|k| k.command().to_string()));
            v.push("help".into());
            v.push("clear".into());
            return v;
        }
        let w = self.session.world();
        let mut v: Vec<String> = w.devices.iter().map(|d| d.hostname.clone()).collect();
        v.extend(w.accounts.iter().map(|a| a.username.clone()));
        v.extend(w.printers.iter().map(|p| p.id.clone()));
        v.extend(w.mailboxes.iter().map(|m| m.address.clone()));
        v.extend(w.network.hosts.iter().map(|h| h.name.clone()));
        for d in &w.devices {
            v.extend(d.services.iter().map(|x| x.name.clone()));
            v.extend(d.processes.iter().map(|x| x.name.clone()));
        }
        v.extend(w.catalogue.iter().map(|p| p.name.clone()));
        v.push("auto".into());
        v.sort();
        v.dedup();
        v
    }

    /// Tab completion of the last word; lists the candidates when ambiguous.
    pub fn complete(&mut self) {
        let input = self.console_input.clone();
        let first = !input.contains(' ');
        let (head, last) = match input.rfind(' ') {
            Some(i) => (&input[..=i], &input[i + 1..]),
            None => ("", input.as_str()),
        };
        let lower = last.to_lowercase();
        let matches: Vec<String> = self
            .vocabulary(first)
            .into_iter()
            .filter(|c| c.to_lowercase().starts_with(&lower))
            .collect();
        match matches.len() {
            0 => {}
            1 => self.console_input = format!("{head}{} ", matches[0]),
            _ => {
                let mut prefix = matches[0].clone();
                for m in &matches[1..] {
                    while !m.to_lowercase().starts_with(&prefix.to_lowercase()) {
                        prefix.pop();
                    }
                }
                if prefix.len() > last.len() {
                    self.console_input = format!("{head}{prefix}");
                } else {
                    self.line(LineKind::Info, matches.join("  "));
                }
            }
        }
    }

    /// Recalls history: `up` = older.
    pub fn recall(&mut self, up: bool) {
        if self.history.is_empty() {
            return;
        }
        let n = self.history.len();
        let pos = match (self.history_pos, up) {
            (None, true) => Some(n - 1),
            (Some(0), true) => Some(0),
            (Some(i), true) => Some(i - 1),
            (Some(i), false) if i + 1 < n => Some(i + 1),
            (_, false) => None,
        };
        self.history_pos = pos;
        self.console_input = pos.map(|i| self.history[i].clone()).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::load_pack;

    fn ui() -> PlayUi {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let pack = Arc::new(load_pack(&dir).unwrap().0.unwrap());
        let s = pack.scenario("password-reset").unwrap().clone();
        PlayUi::new(Session::new(&s, 5), pack)
    }

    #[test]
    fn console_runs_tools_and_reports_errors_inline() {
        let mut u = ui();
        u.console_line("account dwhitfield");
        assert!(
            u.console
                .last()
                .unwrap()
                .text
                .contains("Password expired: Yes")
        );
        u.console_line("pingg x");
        assert_eq!(u.console.last().unwrap().kind, LineKind::Error);
        let events = u.session.events().len();
        u.console_line("ipconfig");
        assert_eq!(
            u.console.last().unwrap().kind,
            LineKind::Error,
            "ipconfig is not in this scenario"
        );
        assert_eq!(
            u.session.events().len(),
            events,
            "a rejected command changes nothing"
        );
    }

    #[test]
    fn tab_completes_commands_and_names_and_history_recalls() {
        let mut u = ui();
        u.console_input = "acc".into();
        u.complete();
        assert_eq!(u.console_input, "account ");
        u.console_input = "account dwh".into();
        u.complete();
        assert_eq!(u.console_input, "account dwhitfield ");
        u.console_line("account dwhitfield");
        u.console_line("eventlog");
        u.recall(true);
        assert_eq!(u.console_input, "eventlog");
        u.recall(true);
        assert_eq!(u.console_input, "account dwhitfield");
        u.recall(false);
        assert_eq!(u.console_input, "eventlog");
    }

    #[test]
    fn escalate_needs_a_team_and_saves_notes_first() {
        let mut u = ui();
        u.apply(PlayCommand::Escalate);
        assert!(u.error.as_deref().is_some_and(|e| e.contains("team")));
        u.team = u.pack.meta.team_id("identity");
        u.notes = "Symptom: she could not sign in to her laptop.".into();
        u.handoff = "Please look at her account.".into();
        u.apply(PlayCommand::Escalate);
        assert!(u.error.is_none());
        assert_eq!(u.session.ticket().notes, u.notes);
        assert!(u.session.ticket().escalation.is_some());
    }
}
