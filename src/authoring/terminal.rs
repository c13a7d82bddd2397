//! `firstline play`: a text interface to the same [`Session`] the game drives, for
//! authors over SSH and for screen-reader users. It only turns typed lines into
//! [`RawAction`]s (resolved exactly as play-test actions are) and renders events; every
//! rule stays in the core, so an attempt typed here scores exactly like the same action
//! log run by `firstline playtest`.

use crate::ids::*;
use crate::scenario::format::{Category, Level, RawAction};
use crate::scenario::model::Scenario;
use crate::scoring::{self, Scorecard};
use crate::session::Session;
use crate::session::action::Action;
use crate::session::event::{Event, EventKind, clock};
use crate::world::fixes::FixKind;
use std::fmt::Write;
use std::sync::Arc;

/// What a typed line produced.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub text: String,
    /// The player asked to leave.
    pub quit: bool,
}

/// One interactive attempt.
pub struct Terminal {
    session: Session,
}

const HELP: &str = "\
Commands:
  N                      say dialogue option N (the numbers shown under the customer's line)
  ask                    list the questions you can ask;  ask N  asks question N
  TOOL [ARGS]            run a diagnostic tool, e.g. `account dwhitfield` (see `tools`)
  FIX [ARGS]             apply a fix, e.g. `reset_password dwhitfield` (see `fixes`)
  tools, fixes           list the tools and fixes of this scenario with their syntax
  ticket category=C impact=I urgency=U
                         set ticket fields (any of them), e.g. `ticket category=Account impact=Low urgency=High`
  notes TEXT             replace the work notes (write \\n for a line break)
  escalate TEAM TEXT     escalate to a team with a hand-off note (`teams` lists them)
  resolve TEXT           resolve the ticket with a resolution note
  kb QUERY               search the knowledge base;  open ARTICLE  opens an article
  hint                   show the next hint (costs points)
  wait N                 let N minutes pass
  end                    end the call
  info                   time, mood, patience and the ticket
  options                show the customer's last line and your options again
  help                   this help
  quit                   stop (the scorecard of the attempt so far is shown)";

fn parse_level(s: &str) -> Option<Level> {
    match s.to_ascii_lowercase().as_str() {
        "low" => Some(Level::Low),
        "medium" => Some(Level::Medium),
        "high" => Some(Level::High),
        _ => None,
    }
}

fn parse_category(s: &str) -> Option<Category> {
    use Category::*;
    [
        Account, Access, Network, Hardware, Software, Email, Printing, Security, Other,
    ]
    .into_iter()
    .find(|c| format!("{c:?}").eq_ignore_ascii_case(s))
}

/// `ticket category=Account impact=Low urgency=High` (any of the three) as an action;
/// the error says what was expected. Shared by terminal play and the shift screen.
pub fn parse_ticket(args: &str) -> Result<RawAction, String> {
    let (mut category, mut impact, mut urgency) = (None, None, None);
    for part in args.split_whitespace() {
        let Some((k, v)) = part.split_once('=') else {
            return Err(format!(
                "`{part}`: write FIELD=VALUE, e.g. `ticket category=Account impact=Low urgency=High`\n"
            ));
        };
        match k.to_ascii_lowercase().as_str() {
            "category" => match parse_category(v) {
                Some(c) => category = Some(c),
                None => {
                    return Err(format!(
                        "`{v}` is not a category: Account, Access, Network, Hardware, Software, Email, Printing, Security, Other\n"
                    ));
                }
            },
            "impact" | "urgency" => match parse_level(v) {
                Some(l) if k.eq_ignore_ascii_case("impact") => impact = Some(l),
                Some(l) => urgency = Some(l),
                None => return Err(format!("`{v}` is not a level: Low, Medium, High\n")),
            },
            _ => {
                return Err(format!(
                    "`{k}` is not a ticket field: category, impact, urgency\n"
                ));
            }
        }
    }
    Ok(RawAction::Ticket {
        category,
        impact,
        urgency,
    })
}

/// `\n` typed as two characters becomes a line break.
fn unescape(t: &str) -> String {
    t.replace("\\n", "\n")
}

/// Renders events as lines of text: what was said, tool output, fixes, the rest.
pub fn render(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match &e.kind {
            EventKind::CustomerSaid { text } => {
                let _ = writeln!(s, "[{}] Customer: {text}", clock(e.at));
            }
            EventKind::ToolRan {
                command, output, ..
            } => {
                let _ = writeln!(s, "[{}] $ {command}", clock(e.at));
                for l in output.lines() {
                    let _ = writeln!(s, "    {l}");
                }
            }
            EventKind::KbOpened { article, .. } => {
                let _ = writeln!(s, "[{}] {}", clock(e.at), scoring::describe(e));
                let _ = article;
            }
            _ => {
                let _ = writeln!(s, "[{}] {}", clock(e.at), scoring::describe(e));
            }
        }
    }
    s
}

impl Terminal {
    pub fn new(scenario: &Arc<Scenario>, seed: u64) -> Terminal {
        Terminal {
            session: Session::new(scenario, seed),
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    fn scenario(&self) -> &Arc<Scenario> {
        self.session.scenario()
    }

    /// The attempt is over (ticket closed and call ended).
    pub fn finished(&self) -> bool {
        self.session.is_over()
    }

    pub fn scorecard(&self) -> Scorecard {
        scoring::score(self.scenario(), &self.session.attempt())
    }

    /// The opening: the scenario, the caller, what they said, the options.
    pub fn intro(&self) -> String {
        let s = self.scenario();
        let mut t = String::new();
        let _ = writeln!(t, "{} — {}", s.title, s.summary);
        let _ = writeln!(
            t,
            "{:?} from {} ({}). SLA {} minutes. Type `help` for commands.\n",
            s.channel,
            self.session.customer_name(),
            s.customer.role,
            s.sla_minutes
        );
        t.push_str(&render(self.session.events()));
        t.push_str(&self.prompt_text());
        t
    }

    /// The numbered options (and a reminder when the call has ended).
    pub fn prompt_text(&self) -> String {
        let s = self.scenario();
        let mut t = String::new();
        if self.session.call_active() {
            let opts = self.session.available_options();
            if !opts.is_empty() {
                let _ = writeln!(t, "Your options:");
                for (i, o) in opts.iter().enumerate() {
                    let _ = writeln!(t, "  {}. {}", i + 1, s.option(*o).text);
                }
            }
        } else if !self.finished() {
            let _ = writeln!(
                t,
                "(The call has ended. You can still work the ticket: notes, ticket, resolve or escalate.)"
            );
        }
        t
    }

    fn list_questions(&self) -> String {
        let s = self.scenario();
        let qs = self.session.available_questions();
        if qs.is_empty() {
            return "No questions can be asked right now.\n".into();
        }
        let mut t = String::from("Questions (type `ask N`):\n");
        for (i, q) in qs.iter().enumerate() {
            let _ = writeln!(t, "  {}. {}", i + 1, s.question(*q).text);
        }
        t
    }

    /// Words tab completion offers for the first word of a line: commands, tools, fixes.
    pub fn commands(&self) -> Vec<String> {
        let s = self.scenario();
        let mut v: Vec<String> = [
            "ask", "tools", "fixes", "ticket", "notes", "escalate", "resolve", "kb", "open",
            "hint", "wait", "end", "info", "options", "help", "quit", "teams",
        ]
        .iter()
        .map(|x| x.to_string())
        .collect();
        v.extend(s.tools.iter().map(|t| t.command().to_string()));
        v.extend(s.fixes.iter().map(|f| f.command().to_string()));
        v.sort();
        v.dedup();
        v
    }

    /// Words tab completion offers after the first word: names in the world, teams,
    /// articles and ticket values.
    pub fn completions(&self) -> Vec<String> {
        let s = self.scenario();
        let w = s.shape();
        let mut v: Vec<String> = vec![];
        v.extend(w.devices.iter().map(|d| d.hostname.clone()));
        v.extend(w.accounts.iter().map(|a| a.username.clone()));
        v.extend(w.printers.iter().map(|p| p.id.clone()));
        v.extend(w.mailboxes.iter().map(|m| m.address.clone()));
        v.extend(w.network.hosts.iter().map(|h| h.name.clone()));
        v.extend(s.pack.teams.iter().map(|t| t.id.clone()));
        v.extend(s.pack.kb.iter().map(|a| a.id.clone()));
        for c in [
            "category=",
            "impact=",
            "urgency=",
            "Low",
            "Medium",
            "High",
            "Account",
            "Access",
            "Network",
            "Hardware",
            "Software",
            "Email",
            "Printing",
            "Security",
            "Other",
            "auto",
        ] {
            v.push(c.to_string());
        }
        v.sort();
        v.dedup();
        v
    }

    fn apply(&mut self, raw: RawAction) -> String {
        let action = match Action::resolve(&raw, self.scenario()) {
            Ok(a) => a,
            Err(e) => return format!("Not possible: {e}\n"),
        };
        match self.session.apply(action) {
            Ok(events) => {
                let mut t = render(&events);
                if !self.finished() {
                    t.push_str(&self.prompt_text());
                }
                t
            }
            Err(e) => format!("Not possible: {e}\n"),
        }
    }

    fn ticket(&mut self, args: &str) -> String {
        match parse_ticket(args) {
            Ok(a) => self.apply(a),
            Err(e) => e,
        }
    }

    /// Handles one typed line.
    pub fn handle(&mut self, line: &str) -> Reply {
        let line = line.trim();
        let (word, rest) = match line.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (line, ""),
        };
        let s = self.scenario().clone();
        let text = match word.to_ascii_lowercase().as_str() {
            "" => String::new(),
            "help" | "?" => format!("{HELP}\n"),
            "quit" | "exit" => {
                return Reply {
                    text: String::new(),
                    quit: true,
                };
            }
            "options" => {
                let last = self
                    .session
                    .events()
                    .iter()
                    .rev()
                    .find_map(|e| match &e.kind {
                        EventKind::CustomerSaid { text } => Some(text.clone()),
                        _ => None,
                    });
                format!(
                    "{}{}",
                    last.map(|l| format!("Customer: {l}\n")).unwrap_or_default(),
                    self.prompt_text()
                )
            }
            "ask" if rest.is_empty() => self.list_questions(),
            "ask" => match rest.parse::<usize>().ok().and_then(|n| {
                n.checked_sub(1)
                    .and_then(|i| self.session.available_questions().get(i).copied())
            }) {
                Some(q) => self.apply(RawAction::Ask(s.question(q).key.clone())),
                None => format!("No question {rest} right now.\n{}", self.list_questions()),
            },
            "tools" => {
                let mut t = String::from("Tools:\n");
                for k in &s.tools {
                    let _ = writeln!(t, "  {}", k.usage_in(&s.healthy));
                }
                t
            }
            "fixes" => {
                let mut t = String::from("Fixes:\n");
                for k in &s.fixes {
                    let _ = writeln!(t, "  {}", k.usage_in(&s.healthy));
                }
                t
            }
            "teams" => {
                let mut t = String::from("Teams:\n");
                for team in &s.pack.teams {
                    let _ = writeln!(t, "  {:<16} {} — {}", team.id, team.name, team.handles);
                }
                t
            }
            "ticket" => self.ticket(rest),
            "notes" => self.apply(RawAction::Notes(unescape(rest))),
            "escalate" => {
                let (team, note) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                self.apply(RawAction::Escalate {
                    team: team.to_string(),
                    handoff: unescape(note.trim()),
                })
            }
            "resolve" => self.apply(RawAction::Resolve(unescape(rest))),
            "kb" => self.apply(RawAction::SearchKb(rest.to_string())),
            "open" => self.apply(RawAction::OpenKb(rest.to_string())),
            "hint" => self.apply(RawAction::Hint),
            "end" => self.apply(RawAction::EndCall),
            "wait" => match rest.parse::<u32>() {
                Ok(m) => self.apply(RawAction::Wait(m)),
                Err(_) => "Write `wait N` with N minutes.\n".into(),
            },
            // (Not `status`: that is a console tool.)
            "info" => {
                let t = self.session.ticket();
                format!(
                    "Time {} (SLA {} min), mood {}, patience {}, call {}. Ticket: {:?}, category {}, priority {}, notes {} words.\n",
                    clock(self.session.clock()),
                    s.sla_minutes,
                    self.session.mood(),
                    self.session.patience(),
                    if self.session.call_active() {
                        "active"
                    } else {
                        "ended"
                    },
                    t.status,
                    t.category
                        .map(|c| format!("{c:?}"))
                        .unwrap_or("not set".into()),
                    t.priority()
                        .map(|p| p.to_string())
                        .unwrap_or("not set".into()),
                    t.notes.split_whitespace().count()
                )
            }
            w if w.chars().all(|c| c.is_ascii_digit()) => {
                match w.parse::<usize>().ok().and_then(|n| {
                    n.checked_sub(1)
                        .and_then(|i| self.session.available_options().get(i).copied())
                }) {
                    Some(o) => self.apply(RawAction::Say(s.option(o).key.clone())),
                    None => format!("No option {w} right now.\n{}", self.prompt_text()),
                }
            }
            w => {
                let world = self.session.world();
                if crate::world::tools::ToolKind::from_command_in(w, world).is_some() {
                    self.apply(RawAction::Run(line.to_string()))
                } else if FixKind::from_command_in(w, world).is_some() {
                    self.apply(RawAction::Fix(line.to_string()))
                } else {
                    format!("Unknown command `{w}`; type `help`.\n")
                }
            }
        };
        Reply { text, quit: false }
    }

    /// The option ids currently offered, for callers that want them.
    pub fn options(&self) -> Vec<OptionId> {
        self.session.available_options()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Arc<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, _) = crate::scenario::load::load_pack(&dir).unwrap();
        pack.unwrap().scenario("password-reset").unwrap().clone()
    }

    #[test]
    fn numbers_say_options_and_bad_input_changes_nothing() {
        let s = scenario();
        let mut t = Terminal::new(&s, 5);
        assert!(t.intro().contains("1. "));
        let before = t.session().events().len();
        assert!(t.handle("9").text.contains("No option 9"));
        assert!(t.handle("frobnicate").text.contains("Unknown command"));
        assert!(
            t.handle("ticket category=Nope")
                .text
                .contains("not a category")
        );
        assert_eq!(t.session().events().len(), before);
        let r = t.handle("1");
        assert!(r.text.contains("Customer:"), "{}", r.text);
        assert!(
            t.handle("account dwhitfield")
                .text
                .contains("$ account dwhitfield")
        );
        assert!(t.completions().contains(&"dwhitfield".to_string()));
        assert!(t.handle("quit").quit);
    }
}
