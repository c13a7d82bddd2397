//! Instructor tools built on the core: `lint` (scenario smells), `explore` (search of the
//! action space), `terminal` (interactive play in a terminal) and `scaffold` (new
//! scenarios from templates). Plain Rust, no Bevy; the CLI only parses arguments and
//! prints what these modules return.

pub mod explore;
pub mod lint;
pub mod scaffold;
pub mod terminal;

use crate::ids::*;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::doc::Doc;
use crate::scenario::format::RawAction;
use crate::scenario::model::Scenario;
use crate::session::Session;
use crate::session::event::EventKind;
use crate::world::condition::{Cond, SessionFacts};
use crate::world::fixes::FixKind;
use crate::world::tools::{Lookup, Target, ToolCall, ToolKind};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A bounded set of concrete tool calls for a scenario: every available tool with its
/// default arguments (the customer's device or account) and, up to `cap` of each, the
/// other devices, accounts, printers, mailboxes and host names of the world.
pub fn tool_calls(s: &Scenario, cap: usize) -> Vec<ToolCall> {
    let w = s.shape();
    let mut out = vec![];
    let mut devices: Vec<DeviceId> = s.customer.device.into_iter().collect();
    for i in 0..w.devices.len() {
        let d = DeviceId::from_index(i);
        if !devices.contains(&d) && devices.len() < cap {
            devices.push(d);
        }
    }
    let mut accounts: Vec<AccountId> = s.customer.account.into_iter().collect();
    for i in 0..w.accounts.len() {
        let a = AccountId::from_index(i);
        if !accounts.contains(&a) && accounts.len() < cap {
            accounts.push(a);
        }
    }
    // The customer's own mailbox first.
    let mut mailboxes: Vec<MailboxId> = vec![];
    if let Some(a) = s.customer.account {
        let user = &w.accounts[a.index()].username;
        if let Some(i) = w
            .mailboxes
            .iter()
            .position(|m| m.owner.as_deref() == Some(user.as_str()))
        {
            mailboxes.push(MailboxId::from_index(i));
        }
    }
    for i in 0..w.mailboxes.len() {
        let m = MailboxId::from_index(i);
        if !mailboxes.contains(&m) && mailboxes.len() < cap {
            mailboxes.push(m);
        }
    }
    let from = devices.first().copied();
    let hosts: Vec<String> = w
        .network
        .hosts
        .iter()
        .take(cap)
        .map(|h| h.name.clone())
        .collect();
    for &k in &s.tools {
        let f = Lookup::Found;
        use Lookup::Found as F;
        match k {
            ToolKind::Ipconfig => out.extend(devices.iter().map(|d| ToolCall::Ipconfig(f(*d)))),
            ToolKind::Services => out.extend(devices.iter().map(|d| ToolCall::Services(f(*d)))),
            ToolKind::EventLog => out.extend(devices.iter().map(|d| ToolCall::EventLog(f(*d)))),
            ToolKind::Disk => out.extend(devices.iter().map(|d| ToolCall::Disk(f(*d)))),
            ToolKind::TaskList => out.extend(devices.iter().map(|d| ToolCall::TaskList(f(*d)))),
            ToolKind::Vpn => out.extend(devices.iter().map(|d| ToolCall::Vpn(f(*d)))),
            ToolKind::Software => out.extend(devices.iter().map(|d| ToolCall::Software(f(*d)))),
            ToolKind::HwDiag => out.extend(devices.iter().map(|d| ToolCall::HwDiag(f(*d)))),
            ToolKind::Custom(sym) => out.extend(
                crate::world::custom::tool::candidates(w, sym, cap)
                    .into_iter()
                    .map(ToolCall::Custom),
            ),
            ToolKind::Ping => {
                if let Some(d) = from {
                    for h in &hosts {
                        out.push(ToolCall::Ping {
                            from: f(d),
                            target: Target::Name(h.clone()),
                        });
                    }
                    out.push(ToolCall::Ping {
                        from: f(d),
                        target: Target::Ip(w.network.gateway),
                    });
                }
            }
            ToolKind::Nslookup => {
                if let Some(d) = from {
                    for h in &hosts {
                        out.push(ToolCall::Nslookup {
                            from: f(d),
                            name: h.clone(),
                        });
                    }
                }
            }
            ToolKind::Account => out.extend(accounts.iter().map(|a| ToolCall::Account(F(*a)))),
            ToolKind::PrintQueue => out.extend(
                (0..w.printers.len().min(cap))
                    .map(|p| ToolCall::PrintQueue(F(PrinterId::from_index(p)))),
            ),
            ToolKind::Mailbox => out.extend(mailboxes.iter().map(|m| ToolCall::Mailbox(F(*m)))),
            ToolKind::Status => out.push(ToolCall::Status),
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|c| seen.insert(c.to_command(w)));
    out
}

/// Session facts read from a running session's public state and event log, so that
/// conditions can be evaluated outside the engine.
pub struct Observed<'a> {
    pub session: &'a Session,
    asked: BTreeSet<String>,
    chosen: BTreeSet<String>,
    tools: BTreeSet<ToolKind>,
    fixes: BTreeSet<FixKind>,
    escalated: Option<String>,
}

impl<'a> Observed<'a> {
    pub fn new(session: &'a Session) -> Self {
        let mut o = Observed {
            session,
            asked: BTreeSet::new(),
            chosen: BTreeSet::new(),
            tools: BTreeSet::new(),
            fixes: BTreeSet::new(),
            escalated: None,
        };
        for e in session.events() {
            match &e.kind {
                EventKind::Asked { question, .. } => {
                    o.asked.insert(question.clone());
                }
                EventKind::TraineeSaid { option, .. } => {
                    o.chosen.insert(option.clone());
                }
                EventKind::ToolRan { tool, .. } => {
                    o.tools.insert(*tool);
                }
                EventKind::FixApplied {
                    fix, changed: true, ..
                } => {
                    o.fixes.insert(*fix);
                }
                EventKind::Escalated { team, .. } => o.escalated = Some(team.clone()),
                _ => {}
            }
        }
        o
    }

    pub fn eval(&self, c: &Cond) -> bool {
        c.eval(self.session.world(), self)
    }
}

impl SessionFacts for Observed<'_> {
    fn flag(&self, f: FlagId) -> bool {
        self.session.flag(f)
    }
    fn variant(&self) -> VariantId {
        self.session.variant()
    }
    fn asked(&self, q: QuestionId) -> bool {
        self.asked
            .contains(&self.session.scenario().question(q).key)
    }
    fn chose(&self, o: OptionId) -> bool {
        self.chosen.contains(&self.session.scenario().option(o).key)
    }
    fn ran_tool(&self, k: ToolKind) -> bool {
        self.tools.contains(&k)
    }
    fn applied(&self, k: FixKind) -> bool {
        self.fixes.contains(&k)
    }
    fn escalated_to(&self, t: TeamId) -> bool {
        self.escalated.as_deref() == Some(self.session.scenario().pack.team(t).id.as_str())
    }
    fn mood(&self) -> u8 {
        self.session.mood().clamp(0, 100) as u8
    }
    fn elapsed_secs(&self) -> u32 {
        self.session.clock()
    }
}

/// Short, readable form of an action for reports: RON as in a play-test, with long free
/// text abbreviated.
pub fn action_text(a: &RawAction) -> String {
    let short = |t: &str| {
        let words = t.split_whitespace().count();
        if t.chars().count() <= 60 {
            format!("{t:?}")
        } else {
            let head: String = t.chars().take(40).collect();
            format!("\"{}…\" ({words} words)", head.trim_end())
        }
    };
    match a {
        RawAction::Notes(t) => format!("Notes({})", short(t)),
        RawAction::Resolve(t) => format!("Resolve({})", short(t)),
        RawAction::Escalate { team, handoff } => {
            format!("Escalate(team: {team:?}, handoff: {})", short(handoff))
        }
        RawAction::Ticket {
            category,
            impact,
            urgency,
        } => {
            let mut parts = vec![];
            if let Some(c) = category {
                parts.push(format!("category: {c:?}"));
            }
            if let Some(i) = impact {
                parts.push(format!("impact: {i:?}"));
            }
            if let Some(u) = urgency {
                parts.push(format!("urgency: {u:?}"));
            }
            format!("Ticket({})", parts.join(", "))
        }
        other => ron::to_string(other).unwrap_or_else(|_| format!("{other:?}")),
    }
}

/// Finds line and column of field paths in scenario source files.
#[derive(Default)]
pub struct Locator {
    docs: Vec<(
        PathBuf,
        Option<(String, crate::scenario::ron_tree::RonNode)>,
    )>,
}

impl Locator {
    fn doc(&mut self, path: &Path) -> Option<&(String, crate::scenario::ron_tree::RonNode)> {
        if !self.docs.iter().any(|(p, _)| p == path) {
            let parsed = crate::scenario::files::read_regular(path, "scenario")
                .ok()
                .and_then(|b| Doc::open(path, &b, "scenario").ok())
                .map(|d| (d.src, d.tree));
            self.docs.push((path.to_path_buf(), parsed));
        }
        self.docs
            .iter()
            .find(|(p, _)| p == path)
            .and_then(|(_, d)| d.as_ref())
    }

    /// Line and column (1-based) of the value at a field path, or of its closest ancestor.
    pub fn locate(&mut self, path: &Path, field: &str) -> (usize, usize) {
        match self.doc(path) {
            Some((src, tree)) => {
                let node = tree.deepest(&crate::scenario::doc::parse_path(field));
                crate::scenario::ron_tree::line_col(src, node.span.start)
            }
            None => (1, 1),
        }
    }

    /// Whether the field path exists exactly in the file (e.g. a variant's own `escalation`).
    pub fn has(&mut self, path: &Path, field: &str) -> bool {
        let Some((_, tree)) = self.doc(path) else {
            return false;
        };
        let segs = crate::scenario::doc::parse_path(field);
        let mut cur = tree;
        for seg in &segs {
            let next = match seg {
                crate::scenario::ron_tree::PathSeg::Field(f) => cur.field(f).or_else(|| match &cur
                    .kind
                {
                    crate::scenario::ron_tree::RonKind::Tuple { items, .. } if items.len() == 1 => {
                        items[0].field(f)
                    }
                    _ => None,
                }),
                crate::scenario::ron_tree::PathSeg::Index(i) => cur.index(*i),
            };
            match next {
                Some(n) => cur = n,
                None => return false,
            }
        }
        true
    }

    /// The source text of a file (for `lint: allow(...)` comments).
    pub fn source(&mut self, path: &Path) -> Option<&str> {
        self.doc(path).map(|(s, _)| s.as_str())
    }

    /// A located warning.
    pub fn warning(&mut self, path: &Path, field: &str, message: String) -> Diagnostic {
        let (l, c) = self.locate(path, field);
        Diagnostic::warning(path, l, c, message).with_field(field)
    }
}

/// The initial world of the scenario as written (before any variant's changes).
pub fn base_world(s: &Scenario) -> Option<crate::world::state::World> {
    let bytes = crate::scenario::files::read_regular(&s.source, "scenario").ok()?;
    let mut doc = Doc::open(&s.source, &bytes, "scenario").ok()?;
    let node = doc.tree.field("world")?.clone();
    doc.de::<crate::world::state::World>(&node, "world")
}
