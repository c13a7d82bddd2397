//! Semantic validation: resolves every name in a [`ScenarioFile`] to a typed id and
//! reports each problem at the line and column of the offending value.

use super::doc::{Doc, did_you_mean};
use super::format::*;
use super::model::*;
use super::reach;
use crate::ids::*;
use crate::world::condition::{Cond, Condition};
use crate::world::fixes::{FixCall, FixKind};
use crate::world::state::World;
use crate::world::tools::ToolKind;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path};
use std::sync::Arc;

/// Limits that keep packs reviewable and the engine fast.
pub const MAX_NODES: usize = 500;
pub const MAX_OPTIONS_PER_NODE: usize = 9;
pub const MAX_VARIANTS: usize = 32;
pub const MAX_TEXT: usize = 4000;
pub const MAX_COND_DEPTH: usize = 16;

struct Names {
    flags: Vec<String>,
    variants: Vec<String>,
    questions: Vec<String>,
    options: Vec<String>,
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Checks that a pack-relative path stays inside the pack.
pub fn safe_relative(p: &str) -> Result<(), String> {
    let path = Path::new(p);
    if p.is_empty() {
        return Err("the path is empty".into());
    }
    if path.is_absolute() || p.starts_with('/') || p.starts_with('\\') || p.contains(':') {
        return Err(format!(
            "`{p}` is an absolute path; expected a path relative to the pack folder"
        ));
    }
    if path.components().any(|c| matches!(c, Component::ParentDir)) || p.contains("..") {
        return Err(format!(
            "`{p}` uses `..`; paths must stay inside the pack folder"
        ));
    }
    Ok(())
}

struct Ctx<'d, 'a> {
    doc: &'d mut Doc<'a>,
    pack: &'d PackMeta,
    world: &'d World,
    names: Names,
}

impl Ctx<'_, '_> {
    fn lookup(&mut self, list: &[String], key: &str, what: &str, path: &str) -> Option<usize> {
        match list.iter().position(|k| k == key) {
            Some(i) => Some(i),
            None => {
                let hint = did_you_mean(key, list.iter().map(String::as_str));
                let known = if list.is_empty() {
                    "none are defined".to_string()
                } else {
                    list.join(", ")
                };
                self.doc.error(
                    path,
                    format!("no {what} `{key}`{hint}; expected one of: {known}"),
                );
                None
            }
        }
    }

    fn device(&mut self, name: &str, path: &str) -> Option<DeviceId> {
        let list: Vec<String> = self
            .world
            .devices
            .iter()
            .map(|d| d.hostname.clone())
            .collect();
        self.world
            .device_index(name)
            .map(DeviceId::from_index)
            .or_else(|| {
                self.lookup(&list, name, "device", path);
                None
            })
    }
    fn account(&mut self, name: &str, path: &str) -> Option<AccountId> {
        let list: Vec<String> = self
            .world
            .accounts
            .iter()
            .map(|d| d.username.clone())
            .collect();
        self.world
            .account_index(name)
            .map(AccountId::from_index)
            .or_else(|| {
                self.lookup(&list, name, "account", path);
                None
            })
    }
    fn printer(&mut self, name: &str, path: &str) -> Option<PrinterId> {
        let list: Vec<String> = self.world.printers.iter().map(|d| d.id.clone()).collect();
        self.world
            .printer_index(name)
            .map(PrinterId::from_index)
            .or_else(|| {
                self.lookup(&list, name, "printer", path);
                None
            })
    }
    fn mailbox(&mut self, name: &str, path: &str) -> Option<MailboxId> {
        let list: Vec<String> = self
            .world
            .mailboxes
            .iter()
            .map(|d| d.address.clone())
            .collect();
        self.world
            .mailbox_index(name)
            .map(MailboxId::from_index)
            .or_else(|| {
                self.lookup(&list, name, "mailbox", path);
                None
            })
    }
    fn host(&mut self, name: &str, path: &str) -> Option<HostId> {
        let list: Vec<String> = self
            .world
            .network
            .hosts
            .iter()
            .map(|d| d.name.clone())
            .collect();
        self.world
            .host_index(name)
            .map(HostId::from_index)
            .or_else(|| {
                self.lookup(&list, name, "host", path);
                None
            })
    }
    fn team(&mut self, key: &str, path: &str) -> Option<TeamId> {
        let list: Vec<String> = self.pack.teams.iter().map(|t| t.id.clone()).collect();
        self.lookup(&list, key, "team in pack.ron", path)
            .map(TeamId::from_index)
    }
    fn flag(&mut self, key: &str, path: &str) -> Option<FlagId> {
        let list = self.names.flags.clone();
        self.lookup(&list, key, "flag (declare custom flags in `flags`)", path)
            .map(FlagId::from_index)
    }
    fn variant(&mut self, key: &str, path: &str) -> Option<VariantId> {
        let list = self.names.variants.clone();
        self.lookup(&list, key, "variant", path)
            .map(VariantId::from_index)
    }

    fn cond(&mut self, c: &Condition, path: &str, depth: usize) -> Option<Cond> {
        if depth > MAX_COND_DEPTH {
            self.doc.error(
                path,
                format!("conditions are nested more than {MAX_COND_DEPTH} deep; simplify"),
            );
            return None;
        }
        let a0 = format!("{path}[0]");
        let a1 = format!("{path}[1]");
        let svc = |ctx: &mut Self, d: &str, s: &str| -> Option<ServiceRef> {
            let dev = ctx.device(d, &a0)?;
            let device = &ctx.world.devices[dev.index()];
            match device
                .services
                .iter()
                .position(|x| x.name.eq_ignore_ascii_case(s))
            {
                Some(i) => Some(ServiceRef {
                    device: dev,
                    index: i as u16,
                }),
                None => {
                    let list: Vec<String> =
                        device.services.iter().map(|x| x.name.clone()).collect();
                    ctx.lookup(&list, s, &format!("service on {}", device.hostname), &a1);
                    None
                }
            }
        };
        Some(match c {
            Condition::All(v) | Condition::Any(v) => {
                let mut out = vec![];
                let mut ok = true;
                for (i, x) in v.iter().enumerate() {
                    match self.cond(x, &format!("{path}[0][{i}]"), depth + 1) {
                        Some(y) => out.push(y),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                if matches!(c, Condition::All(_)) {
                    Cond::All(out)
                } else {
                    Cond::Any(out)
                }
            }
            Condition::Not(x) => Cond::Not(Box::new(self.cond(x, &a0, depth + 1)?)),
            Condition::Flag(f) => Cond::Flag(self.flag(f, &a0)?),
            Condition::Variant(v) => Cond::Variant(self.variant(v, &a0)?),
            Condition::Asked(q) => {
                let list = self.names.questions.clone();
                Cond::Asked(QuestionId::from_index(
                    self.lookup(&list, q, "question", &a0)?,
                ))
            }
            Condition::Chose(o) => {
                let list = self.names.options.clone();
                Cond::Chose(OptionId::from_index(self.lookup(
                    &list,
                    o,
                    "dialogue option",
                    &a0,
                )?))
            }
            Condition::RanTool(k) => Cond::RanTool(*k),
            Condition::Applied(k) => Cond::Applied(*k),
            Condition::Escalated(t) => Cond::Escalated(self.team(t, &a0)?),
            Condition::MoodAtLeast(m) => {
                if *m > 100 {
                    self.doc
                        .error(&a0, format!("found {m}; expected a mood from 0 to 100"));
                    return None;
                }
                Cond::MoodAtLeast(*m)
            }
            Condition::MinutesPassed(m) => Cond::MinutesPassed(*m),
            Condition::Resolves(d, h) => {
                let d = self.device(d, &a0);
                let h = self.host(h, &a1);
                Cond::Resolves(d?, h?)
            }
            Condition::Reaches(d, h) => {
                let d = self.device(d, &a0);
                let h = self.host(h, &a1);
                Cond::Reaches(d?, h?)
            }
            Condition::ServiceRunning(d, s) => Cond::ServiceRunning(svc(self, d, s)?),
            Condition::AccountUsable(a) => Cond::AccountUsable(self.account(a, &a0)?),
            Condition::AccountLocked(a) => Cond::AccountLocked(self.account(a, &a0)?),
            Condition::AccountDisabled(a) => Cond::AccountDisabled(self.account(a, &a0)?),
            Condition::HasGroup(a, g) => Cond::HasGroup(self.account(a, &a0)?, g.clone()),
            Condition::HasLicence(a, l) => Cond::HasLicence(self.account(a, &a0)?, l.clone()),
            Condition::PrinterPrinting(p) => Cond::PrinterPrinting(self.printer(p, &a0)?),
            Condition::DiskFreeAtLeast(d, k, gb) => {
                let dev = self.device(d, &a0)?;
                let device = &self.world.devices[dev.index()];
                match device
                    .disks
                    .iter()
                    .position(|x| x.name.eq_ignore_ascii_case(k))
                {
                    Some(i) => Cond::DiskFreeAtLeast(
                        DiskRef {
                            device: dev,
                            index: i as u16,
                        },
                        *gb,
                    ),
                    None => {
                        let list: Vec<String> =
                            device.disks.iter().map(|x| x.name.clone()).collect();
                        self.lookup(&list, k, "disk", &a1);
                        return None;
                    }
                }
            }
            Condition::DataBackedUp(d) => Cond::DataBackedUp(self.device(d, &a0)?),
            Condition::SoftwareInstalled(d, p) => {
                Cond::SoftwareInstalled(self.device(d, &a0)?, p.clone())
            }
            Condition::SoftwareHealthy(d, p) => {
                Cond::SoftwareHealthy(self.device(d, &a0)?, p.clone())
            }
            Condition::MailboxBelowQuota(m) => Cond::MailboxBelowQuota(self.mailbox(m, &a0)?),
            Condition::HasMailboxAccess(m, a) => {
                let m = self.mailbox(m, &a0);
                let a = self.account(a, &a1);
                Cond::HasMailboxAccess(m?, a?)
            }
            Condition::VpnConnected(d) => Cond::VpnConnected(self.device(d, &a0)?),
            Condition::Booted(d) => Cond::Booted(self.device(d, &a0)?),
            Condition::Isolated(d) => Cond::Isolated(self.device(d, &a0)?),
            Condition::DisplayOk(d) => Cond::DisplayOk(self.device(d, &a0)?),
            Condition::NoMaliciousProcess(d) => Cond::NoMaliciousProcess(self.device(d, &a0)?),
            Condition::ProcessRunning(d, p) => {
                Cond::ProcessRunning(self.device(d, &a0)?, p.clone())
            }
            Condition::System(name, check) => {
                return super::systems::cond(self.doc, self.world, name, check, path);
            }
        })
    }

    fn escalation(
        &mut self,
        e: &EscalationDef,
        path: &str,
        facts: &[String],
    ) -> Option<Escalation> {
        let mut ok = true;
        let mut teams = vec![];
        for (i, t) in e.teams.iter().enumerate() {
            match self.team(t, &format!("{path}.teams[{i}]")) {
                Some(id) => teams.push(id),
                None => ok = false,
            }
        }
        if e.mode == EscalationMode::Required && e.teams.is_empty() {
            self.doc.error(
                &format!("{path}.mode"),
                "mode is Required but `teams` is empty; name the team(s) it must go to",
            );
            ok = false;
        }
        if e.mode == EscalationMode::Never && !e.teams.is_empty() {
            self.doc.warn(
                &format!("{path}.teams"),
                "mode is Never, so `teams` is ignored; remove it or use Optional",
            );
        }
        let after = match &e.after {
            Some(c) => {
                let r = self.cond(c, &format!("{path}.after"), 0);
                ok &= r.is_some();
                r
            }
            None => None,
        };
        let mut handoff = vec![];
        for (i, f) in e.handoff.iter().enumerate() {
            match self.lookup(facts, f, "rubric fact", &format!("{path}.handoff[{i}]")) {
                Some(id) => handoff.push(FactId::from_index(id)),
                None => ok = false,
            }
        }
        let mut also = vec![];
        for (i, a) in e.also.iter().enumerate() {
            let ap = format!("{path}.also[{i}]");
            let ts: Vec<Option<TeamId>> = (a.teams.iter().enumerate())
                .map(|(j, t)| self.team(t, &format!("{ap}.teams[{j}]")))
                .collect();
            let fs: Vec<Option<usize>> = (a.handoff.iter().enumerate())
                .map(|(j, f)| self.lookup(facts, f, "rubric fact", &format!("{ap}.handoff[{j}]")))
                .collect();
            if a.teams.is_empty() || ts.iter().flatten().any(|t| teams.contains(t)) {
                self.doc.error(
                    &format!("{ap}.teams"),
                    "expected the team(s) this further hand-off goes to, none of them the main escalation's",
                );
                ok = false;
            }
            ok &= ts.iter().all(Option::is_some) && fs.iter().all(Option::is_some);
            also.push(super::handoffs::Also {
                teams: ts.into_iter().flatten().collect(),
                handoff: fs.into_iter().flatten().map(FactId::from_index).collect(),
                why: a.why.clone(),
            });
        }
        ok.then(|| Escalation {
            mode: e.mode,
            teams,
            within_minutes: e.within_minutes,
            after,
            handoff,
            why: e.why.clone(),
            also,
        })
    }
}

fn check_unique<'x>(
    doc: &mut Doc,
    items: impl Iterator<Item = (String, &'x str)>,
    what: &str,
    ci: bool,
) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (path, key) in items {
        let k = if ci {
            key.to_lowercase()
        } else {
            key.to_string()
        };
        if let Some(first) = seen.get(&k) {
            let (l, _) = doc.pos(doc.offset_of(first));
            doc.error(
                &path,
                format!("duplicate {what} `{key}`; it is already defined at line {l}"),
            );
        } else {
            seen.insert(k, path);
        }
    }
}

fn check_world(doc: &mut Doc, w: &World) {
    super::segments::check(doc, w);
    check_unique(
        doc,
        w.devices
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("world.devices[{i}].hostname"), d.hostname.as_str())),
        "device",
        true,
    );
    check_unique(
        doc,
        w.accounts
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("world.accounts[{i}].username"), d.username.as_str())),
        "account",
        true,
    );
    check_unique(
        doc,
        w.printers
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("world.printers[{i}].id"), d.id.as_str())),
        "printer",
        true,
    );
    check_unique(
        doc,
        w.mailboxes
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("world.mailboxes[{i}].address"), d.address.as_str())),
        "mailbox",
        true,
    );
    check_unique(
        doc,
        w.network
            .hosts
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("world.network.hosts[{i}].name"), d.name.as_str())),
        "host",
        true,
    );
    let accounts: Vec<String> = w.accounts.iter().map(|a| a.username.clone()).collect();
    let acc_ok = |n: &str| w.account_index(n).is_some();
    for (i, d) in w.devices.iter().enumerate() {
        check_unique(
            doc,
            d.nics.iter().enumerate().map(|(j, n)| {
                (
                    format!("world.devices[{i}].nics[{j}].name"),
                    n.name.as_str(),
                )
            }),
            "network interface",
            true,
        );
        check_unique(
            doc,
            d.services.iter().enumerate().map(|(j, n)| {
                (
                    format!("world.devices[{i}].services[{j}].name"),
                    n.name.as_str(),
                )
            }),
            "service",
            true,
        );
        check_unique(
            doc,
            d.disks.iter().enumerate().map(|(j, n)| {
                (
                    format!("world.devices[{i}].disks[{j}].name"),
                    n.name.as_str(),
                )
            }),
            "disk",
            true,
        );
        if let Some(o) = &d.owner
            && !acc_ok(o)
        {
            let hint = did_you_mean(o, accounts.iter().map(String::as_str));
            doc.error(
                &format!("world.devices[{i}].owner"),
                format!("no account `{o}`{hint}; the owner must be one of the world's accounts"),
            );
        }
        for (j, p) in d.printers.iter().enumerate() {
            if w.printer_index(p).is_none() {
                doc.error(
                    &format!("world.devices[{i}].printers[{j}]"),
                    format!("no printer `{p}` in world.printers"),
                );
            }
        }
        for (j, k) in d.disks.iter().enumerate() {
            if k.free_gb > k.size_gb {
                doc.error(
                    &format!("world.devices[{i}].disks[{j}].free_gb"),
                    format!(
                        "found {} GB free on a {} GB disk; expected at most {}",
                        k.free_gb, k.size_gb, k.size_gb
                    ),
                );
            }
        }
    }
    for (i, a) in w.accounts.iter().enumerate() {
        if let Some(m) = &a.manager
            && !acc_ok(m)
        {
            doc.error(
                &format!("world.accounts[{i}].manager"),
                format!("no account `{m}`; the manager must be one of the world's accounts"),
            );
        }
    }
    for (i, p) in w.printers.iter().enumerate() {
        if let Some(s) = &p.server
            && w.device_index(s).is_none()
        {
            doc.error(
                &format!("world.printers[{i}].server"),
                format!("no device `{s}`; the print server must be one of the world's devices"),
            );
        }
        if p.paper > 100 || p.toner > 100 {
            doc.error(
                &format!("world.printers[{i}]"),
                "paper and toner are percentages; expected 0 to 100",
            );
        }
    }
    for (i, m) in w.mailboxes.iter().enumerate() {
        if let Some(o) = &m.owner
            && !acc_ok(o)
        {
            doc.error(
                &format!("world.mailboxes[{i}].owner"),
                format!("no account `{o}` for the mailbox owner"),
            );
        }
        for (j, d) in m.delegates.iter().enumerate() {
            if !acc_ok(d) {
                doc.error(
                    &format!("world.mailboxes[{i}].delegates[{j}]"),
                    format!("no account `{d}` to delegate to"),
                );
            }
        }
    }
    for i in [
        w.devices.len(),
        w.accounts.len(),
        w.printers.len(),
        w.mailboxes.len(),
        w.network.hosts.len(),
    ] {
        if i > 1000 {
            doc.error("world", "the world has more than 1000 entities of one kind; expected a small, focused environment");
            break;
        }
    }
}

/// What a hint gives away, judged from its text: a fix command names the fix, a tool
/// command names the check that shows the cause.
fn infer_reveals(text: &str) -> Reveals {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let quoted: Vec<String> = text
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|q| q.split_whitespace().next())
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if FixKind::ALL
        .iter()
        .any(|k| has(k.command()) || quoted.iter().any(|q| q == k.command()))
    {
        return Reveals::Fix;
    }
    let distinctive = |k: &ToolKind| {
        k.command().len() > 4
            && !matches!(
                k,
                ToolKind::Account
                    | ToolKind::Status
                    | ToolKind::Mailbox
                    | ToolKind::Software
                    | ToolKind::Services
            )
    };
    if ToolKind::ALL
        .iter()
        .any(|k| quoted.iter().any(|q| q == k.command()) || (distinctive(k) && has(k.command())))
    {
        return Reveals::Cause;
    }
    Reveals::Nudge
}

fn text_limits(doc: &mut Doc, path: &str, s: &str) {
    if s.chars().count() > MAX_TEXT {
        doc.error(
            path,
            format!(
                "text is {} characters; expected at most {MAX_TEXT}",
                s.chars().count()
            ),
        );
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Validates and compiles a scenario.
pub fn compile(f: &ScenarioFile, doc: &mut Doc, pack: &Arc<PackMeta>) -> Option<Scenario> {
    let errors_before = doc.diags.iter().filter(|d| d.is_error()).count();
    if !valid_id(&f.id) {
        doc.error(
            "id",
            format!(
                "found `{}`; expected an id of lower-case letters, digits, `-` or `_` (at most 64)",
                f.id
            ),
        );
    }
    for (field, s) in [("title", &f.title), ("summary", &f.summary)] {
        if s.trim().is_empty() {
            doc.error(
                field,
                format!(
                    "`{field}` is empty; expected a short description for the scenario browser"
                ),
            );
        }
    }
    if f.skills.is_empty() {
        doc.error(
            "skills",
            "no skills listed; expected at least one, e.g. `skills: [Technical, Communication]`",
        );
    }
    if f.sla_minutes == 0 {
        doc.error(
            "sla_minutes",
            "found 0; expected the minutes allowed before the SLA is breached",
        );
    }
    check_world(doc, &f.world);

    // Variants: unique ids, weights, and each variant's world.
    if f.variants.is_empty() {
        doc.error(
            "variants",
            "no variants; expected at least one `Variant(id: ..., description: ...)`",
        );
    }
    if f.variants.len() > MAX_VARIANTS {
        doc.error(
            "variants",
            format!(
                "{} variants; expected at most {MAX_VARIANTS}",
                f.variants.len()
            ),
        );
    }
    check_unique(
        doc,
        f.variants
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("variants[{i}].id"), v.id.as_str())),
        "variant",
        false,
    );
    let mut worlds = vec![];
    let mut total_weight: u64 = 0;
    for (i, v) in f.variants.iter().enumerate() {
        if !valid_id(&v.id) {
            doc.error(
                &format!("variants[{i}].id"),
                format!(
                    "found `{}`; expected lower-case letters, digits, `-` or `_`",
                    v.id
                ),
            );
        }
        if v.weight == 0 {
            doc.error(
                &format!("variants[{i}].weight"),
                "weight 0 means this variant is never picked; expected 1 or more",
            );
        }
        total_weight += u64::from(v.weight);
        let mut w = f.world.clone();
        for (j, c) in v.changes.iter().enumerate() {
            if let Err(e) = c.apply(&mut w) {
                doc.error(&format!("variants[{i}].changes[{j}]"), e);
            }
        }
        worlds.push(w);
    }
    if total_weight > u64::from(u32::MAX) {
        doc.error(
            "variants",
            "variant weights add up to more than 4294967295; use smaller numbers",
        );
    }

    // Names.
    let mut flags: Vec<String> = BUILTIN_FLAGS.iter().map(|s| s.to_string()).collect();
    for (i, fl) in f.flags.iter().enumerate() {
        if flags.contains(fl) {
            if BUILTIN_FLAGS.contains(&fl.as_str()) {
                doc.warn(
                    &format!("flags[{i}]"),
                    format!("`{fl}` is built in; no need to declare it"),
                );
            } else {
                doc.error(&format!("flags[{i}]"), format!("duplicate flag `{fl}`"));
            }
        } else {
            flags.push(fl.clone());
        }
    }
    let options: Vec<String> = f
        .dialogue
        .nodes
        .iter()
        .flat_map(|n| n.options.iter().map(|o| o.id.clone()))
        .collect();
    let names = Names {
        flags,
        variants: f.variants.iter().map(|v| v.id.clone()).collect(),
        questions: f.questions.iter().map(|q| q.id.clone()).collect(),
        options,
    };
    let world = f.world.clone();
    let mut cx = Ctx {
        doc,
        pack,
        world: &world,
        names,
    };

    // Customer.
    let c = &f.customer;
    if c.names.is_empty() || c.names.iter().any(|n| n.trim().is_empty()) {
        cx.doc
            .error("customer.names", "expected at least one non-empty name");
    }
    for (field, v) in [("mood", c.mood), ("patience", c.patience)] {
        if v > 100 {
            cx.doc.error(
                &format!("customer.{field}"),
                format!("found {v}; expected 0 to 100"),
            );
        }
    }
    let account = c
        .account
        .as_ref()
        .and_then(|a| cx.account(a, "customer.account"));
    let device = c
        .device
        .as_ref()
        .and_then(|d| cx.device(d, "customer.device"));
    let mut portrait = None;
    if let Some(p) = &c.portrait {
        match safe_relative(p) {
            Err(e) => cx.doc.error("customer.portrait", e),
            Ok(()) => {
                let full = pack.root.join(p);
                if let Err(e) = super::files::check_inside(&pack.root, &full) {
                    cx.doc.error("customer.portrait", format!("`{p}`: {e}"));
                } else if !full.is_file() {
                    cx.doc.error(
                        "customer.portrait",
                        format!("`{p}` does not exist in the pack folder"),
                    );
                }
                portrait = Some(full);
            }
        }
    }

    // Dialogue.
    let nodes_def = &f.dialogue.nodes;
    if nodes_def.len() > MAX_NODES {
        cx.doc.error(
            "dialogue.nodes",
            format!("{} nodes; expected at most {MAX_NODES}", nodes_def.len()),
        );
    }
    check_unique(
        cx.doc,
        nodes_def
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("dialogue.nodes[{i}].id"), n.id.as_str())),
        "node",
        false,
    );
    check_unique(
        cx.doc,
        nodes_def.iter().enumerate().flat_map(|(i, n)| {
            n.options.iter().enumerate().map(move |(j, o)| {
                (
                    format!("dialogue.nodes[{i}].options[{j}].id"),
                    o.id.as_str(),
                )
            })
        }),
        "dialogue option",
        false,
    );
    let node_keys: Vec<String> = nodes_def.iter().map(|n| n.id.clone()).collect();
    let start = cx
        .lookup(&node_keys, &f.dialogue.start, "node", "dialogue.start")
        .map(NodeId::from_index);
    let mut nodes = vec![];
    let mut opts = vec![];
    for (i, n) in nodes_def.iter().enumerate() {
        let np = format!("dialogue.nodes[{i}]");
        text_limits(cx.doc, &format!("{np}.line"), &n.line);
        if n.options.len() > MAX_OPTIONS_PER_NODE {
            cx.doc.error(
                &format!("{np}.options"),
                format!(
                    "{} options; a node may offer at most {MAX_OPTIONS_PER_NODE} (keys 1–9)",
                    n.options.len()
                ),
            );
        }
        if !n.end && n.options.is_empty() {
            cx.doc.error(
                &format!("{np}.id"),
                format!(
                    "node `{}` has no options and is not an ending; add options or `end: true`",
                    n.id
                ),
            );
        }
        let mut variant_lines = vec![];
        for (k, line) in &n.variant_lines {
            if let Some(v) = cx.variant(k, &format!("{np}.variant_lines")) {
                variant_lines.push((v, line.clone()));
            }
        }
        let mut ids = vec![];
        for (j, o) in n.options.iter().enumerate() {
            let op = format!("{np}.options[{j}]");
            text_limits(cx.doc, &format!("{op}.text"), &o.text);
            let goto = o.goto.as_ref().and_then(|g| {
                cx.lookup(&node_keys, g, "node", &format!("{op}.goto"))
                    .map(NodeId::from_index)
            });
            let mut branches = vec![];
            for (b, br) in o.branches.iter().enumerate() {
                let bp = format!("{op}.branches[{b}]");
                let c = cx.cond(&br.when, &format!("{bp}.when"), 0);
                let g = cx.lookup(&node_keys, &br.goto, "node", &format!("{bp}.goto"));
                if let (Some(c), Some(g)) = (c, g) {
                    branches.push((c, NodeId::from_index(g)));
                }
            }
            let when = o
                .when
                .as_ref()
                .and_then(|c| cx.cond(c, &format!("{op}.when"), 0));
            let mut effects = vec![];
            for (e, ef) in o.effects.iter().enumerate() {
                let ep = format!("{op}.effects[{e}][0]");
                match ef {
                    EffectDef::Set(fl) => {
                        if let Some(id) = cx.flag(fl, &ep) {
                            effects.push(Effect::Set(id));
                        }
                    }
                    EffectDef::Clear(fl) => {
                        if let Some(id) = cx.flag(fl, &ep) {
                            effects.push(Effect::Clear(id));
                        }
                    }
                    EffectDef::Verify(a) => {
                        if let Some(id) = cx.account(a, &ep) {
                            effects.push(Effect::Verify(id));
                        }
                    }
                    EffectDef::Approve(a) => {
                        if let Some(id) = cx.account(a, &ep) {
                            effects.push(Effect::Approve(id));
                        }
                    }
                    EffectDef::Mood(m) => effects.push(Effect::Mood(*m)),
                    EffectDef::Patience(m) => effects.push(Effect::Patience(*m)),
                    other => effects.extend(super::steps::compile_effect(
                        cx.doc, cx.world, device, other, &ep,
                    )),
                }
            }
            ids.push(OptionId::from_index(opts.len()));
            opts.push(DialogueOption {
                key: o.id.clone(),
                node: NodeId::from_index(i),
                text: o.text.clone(),
                tags: o.tags.clone(),
                reply: o.reply.clone(),
                goto,
                branches,
                when,
                effects,
                reveals: false,
            });
        }
        nodes.push(Node {
            key: n.id.clone(),
            line: n.line.clone(),
            variant_lines,
            options: ids,
            end: n.end,
        });
    }
    // Reachability from the start node.
    if let Some(start) = start {
        let mut seen = vec![false; nodes.len()];
        let mut q = VecDeque::from([start]);
        seen[start.index()] = true;
        while let Some(n) = q.pop_front() {
            for o in &nodes[n.index()].options {
                let o = &opts[o.index()];
                for t in o.goto.iter().chain(o.branches.iter().map(|(_, t)| t)) {
                    if !seen[t.index()] {
                        seen[t.index()] = true;
                        q.push_back(*t);
                    }
                }
            }
        }
        for (i, s) in seen.iter().enumerate() {
            if !s {
                cx.doc.error(&format!("dialogue.nodes[{i}].id"), format!("node `{}` can never be reached from the start node `{}`; link to it with `goto` or remove it", nodes[i].key, nodes[start.index()].key));
            }
        }
        if !nodes.iter().enumerate().any(|(i, n)| n.end && seen[i]) {
            cx.doc.error(
                "dialogue",
                "no reachable ending; mark at least one reachable node with `end: true`",
            );
        }
    }

    // Questions.
    check_unique(
        cx.doc,
        f.questions
            .iter()
            .enumerate()
            .map(|(i, q)| (format!("questions[{i}].id"), q.id.as_str())),
        "question",
        false,
    );
    let mut questions = vec![];
    for (i, q) in f.questions.iter().enumerate() {
        let qp = format!("questions[{i}]");
        let mut variant_answers = vec![];
        for (k, a) in &q.variant_answers {
            if let Some(v) = cx.variant(k, &format!("{qp}.variant_answers")) {
                variant_answers.push((v, a.clone()));
            }
        }
        let when = q
            .when
            .as_ref()
            .and_then(|c| cx.cond(c, &format!("{qp}.when"), 0));
        questions.push(Question {
            key: q.id.clone(),
            text: q.text.clone(),
            tags: q.tags.clone(),
            reveals: variant_answers.iter().any(|(_, a)| *a != q.answer),
            answer: q.answer.clone(),
            variant_answers,
            when,
        });
    }

    // Tools, fixes, KB.
    if f.tools.is_empty() {
        cx.doc.warn(
            "tools",
            "no diagnostic tools are available; the trainee cannot investigate",
        );
    }
    let mut seen_tools = HashSet::new();
    for (i, t) in f.tools.iter().enumerate() {
        if !seen_tools.insert(*t) {
            cx.doc
                .warn(&format!("tools[{i}]"), format!("`{t:?}` is listed twice"));
        }
    }
    let mut seen_fixes = HashSet::new();
    for (i, t) in f.fixes.iter().enumerate() {
        if !seen_fixes.insert(*t) {
            cx.doc
                .warn(&format!("fixes[{i}]"), format!("`{t:?}` is listed twice"));
        }
    }
    for (i, t) in f.diagnosis.iter().enumerate() {
        if !f.tools.contains(t) {
            cx.doc.error(
                &format!("diagnosis[{i}]"),
                format!("`{t:?}` is not in `tools`, so the trainee cannot run it"),
            );
        }
    }
    let mut kb = vec![];
    for (i, k) in f.kb.iter().enumerate() {
        let p = format!("kb[{i}]");
        if let Err(e) = safe_relative(k) {
            cx.doc.error(&p, e);
            continue;
        }
        if k.contains('/') || k.contains('\\') || k.ends_with(".md") {
            cx.doc.error(
                &p,
                format!("found `{k}`; expected an article id: the file name in kb/ without `.md`"),
            );
            continue;
        }
        let list: Vec<String> = pack.kb.iter().map(|a| a.id.clone()).collect();
        if let Some(id) = cx.lookup(&list, k, "knowledge-base article in kb/", &p) {
            kb.push(KbId::from_index(id));
        }
    }

    // Rubric.
    let facts_keys: Vec<String> = f.rubric.facts.iter().map(|x| x.id.clone()).collect();
    check_unique(
        cx.doc,
        f.rubric
            .facts
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("rubric.facts[{i}].id"), x.id.as_str())),
        "rubric fact",
        false,
    );
    if f.rubric.facts.is_empty() {
        cx.doc.error(
            "rubric.facts",
            "no facts; expected the facts good notes must contain",
        );
    }
    if f.rubric.min_words >= f.rubric.max_words {
        cx.doc.error(
            "rubric.min_words",
            format!(
                "min_words ({}) must be below max_words ({})",
                f.rubric.min_words, f.rubric.max_words
            ),
        );
    }
    let mut facts = vec![];
    for (i, x) in f.rubric.facts.iter().enumerate() {
        let fp = format!("rubric.facts[{i}]");
        if x.phrasings.is_empty() || x.phrasings.iter().any(|p| p.trim().is_empty()) {
            cx.doc.error(
                &format!("{fp}.phrasings"),
                "expected at least one non-empty phrasing",
            );
        }
        let mut vs = vec![];
        for (j, v) in x.variants.iter().enumerate() {
            if let Some(id) = cx.variant(v, &format!("{fp}.variants[{j}]")) {
                vs.push(id);
            }
        }
        let requires = x
            .requires
            .as_ref()
            .and_then(|c| cx.cond(c, &format!("{fp}.requires"), 0));
        facts.push(Fact {
            key: x.id.clone(),
            label: x.label.clone(),
            phrasings: x.phrasings.iter().map(|p| norm(p)).collect(),
            variants: vs,
            requires,
        });
    }

    // Hints.
    let mut hints = vec![];
    for (i, h) in f.hints.iter().enumerate() {
        let when = h
            .when
            .as_ref()
            .and_then(|c| cx.cond(c, &format!("hints[{i}].when"), 0));
        hints.push(Hint {
            text: h.text.clone(),
            when,
            reveals: h.reveals.unwrap_or_else(|| infer_reveals(&h.text)),
        });
    }

    // Escalation, resolution, ticket per variant.
    let base_esc = cx.escalation(&f.escalation, "escalation", &facts_keys);
    let base_res = cx.cond(&f.resolution.condition, "resolution.condition", 0);
    let mut variants = vec![];
    for (i, v) in f.variants.iter().enumerate() {
        let vp = format!("variants[{i}]");
        let esc = match &v.escalation {
            Some(e) => cx.escalation(e, &format!("{vp}.escalation"), &facts_keys),
            None => base_esc.clone(),
        };
        let res = match &v.resolution {
            Some(r) => cx
                .cond(&r.condition, &format!("{vp}.resolution.condition"), 0)
                .map(|c| Resolution {
                    condition: c,
                    description: r.description.clone(),
                }),
            None => base_res.clone().map(|c| Resolution {
                condition: c,
                description: f.resolution.description.clone(),
            }),
        };
        let diagnosis = v.diagnosis.clone().unwrap_or_else(|| f.diagnosis.clone());
        for (j, t) in diagnosis.iter().enumerate() {
            if v.diagnosis.is_some() && !f.tools.contains(t) {
                cx.doc.error(
                    &format!("{vp}.diagnosis[{j}]"),
                    format!("`{t:?}` is not in `tools`"),
                );
            }
        }
        let mut timers = vec![];
        for (j, t) in v.timers.iter().enumerate() {
            let tp = format!("{vp}.timers[{j}]");
            let after = t
                .after
                .as_ref()
                .and_then(|c| cx.cond(c, &format!("{tp}.after"), 0));
            let until = t
                .until
                .as_ref()
                .and_then(|c| cx.cond(c, &format!("{tp}.until"), 0));
            let when = t
                .when
                .as_ref()
                .and_then(|c| cx.cond(c, &format!("{tp}.when"), 0));
            let w = worlds.get(i).cloned().unwrap_or_default();
            let conds = [after, until, when];
            timers.extend(super::timers::compile(cx.doc, t, &tp, &w, conds));
        }
        if let (Some(escalation), Some(resolution)) = (esc, res) {
            variants.push(Variant {
                key: v.id.clone(),
                weight: v.weight,
                description: v.description.clone(),
                world: worlds.get(i).cloned().unwrap_or_default(),
                escalation,
                resolution,
                ticket: v.ticket.unwrap_or(f.ticket),
                diagnosis,
                needed: vec![],
                affected: Default::default(),
                impostor: v.impostor,
                timers,
            });
        }
    }

    let weights = f.weights.unwrap_or(pack.weights);
    if weights.technical + weights.empathy + weights.documentation + weights.escalation == 0 {
        cx.doc.error(
            "weights",
            "all weights are 0; expected at least one positive weight",
        );
    }
    let pass_mark = f.pass_mark.unwrap_or(pack.pass_mark);
    if pass_mark > 100 {
        cx.doc
            .error("pass_mark", format!("found {pass_mark}; expected 0 to 100"));
    }
    let flags = cx.names.flags.clone();
    let mut criteria = vec![];
    for (i, c) in f.criteria.iter().enumerate() {
        let cp = format!("criteria[{i}]");
        if !valid_id(&c.id) || crate::scoring::registry::find(&c.id).is_some() {
            cx.doc.error(
                &format!("{cp}.id"),
                format!("`{}` is not a new criterion id; expected lower-case letters, digits, `-` or `_`, different from the built-in criteria", c.id),
            );
        }
        if let Some(when) = cx.cond(&c.when, &format!("{cp}.when"), 0) {
            criteria.push(CustomCriterion {
                id: c.id.clone(),
                dimension: c.dimension,
                title: c.title.clone(),
                points: c.points,
                when,
                what: c.what.clone(),
                why: c.why.clone(),
                better: c.better.clone(),
            });
        }
    }
    let option_keys = cx.names.options.clone();
    // Customer steps can break the pack's policy like the console fixes they stand for.
    let mut fixes = f.fixes.clone();
    fixes.extend(
        opts.iter()
            .flat_map(|o| &o.effects)
            .filter_map(|e| match e {
                Effect::Step(c) => Some(c.kind()),
                _ => None,
            }),
    );
    let rules =
        super::policy::compile_rules(cx.doc, &pack.policy, &f.violations, &fixes, &option_keys);
    let doc = cx.doc;
    let errors_now = doc.diags.iter().filter(|d| d.is_error()).count();
    if errors_now > errors_before || variants.len() != f.variants.len() {
        return None;
    }
    let scenario = Scenario {
        pack: pack.clone(),
        source: doc.path.to_path_buf(),
        id: f.id.clone(),
        title: f.title.clone(),
        summary: f.summary.clone(),
        version: f.version,
        difficulty: f.difficulty,
        skills: f.skills.clone(),
        channel: f.channel,
        minutes: f.minutes,
        sla_minutes: f.sla_minutes,
        customer: Customer {
            names: c.names.clone(),
            role: c.role.clone(),
            account,
            device,
            tech_level: c.tech_level,
            mood: c.mood,
            patience: c.patience,
            traits: c.traits.clone(),
            portrait,
        },
        variants,
        flags,
        start: start?,
        nodes,
        options: opts,
        questions,
        tools: f.tools.clone(),
        fixes: f.fixes.clone(),
        kb,
        rubric: Rubric {
            facts,
            min_words: f.rubric.min_words,
            max_words: f.rubric.max_words,
        },
        hints,
        teaching: f.teaching,
        weights,
        pass_mark,
        healthy: f.world.clone(),
        rules,
        secrets: f.secrets.clone(),
        advice: f.advice.clone(),
        criteria,
    };
    let mut scenario = scenario;
    // An option reveals the variant when the customer's answer to it differs by variant
    // and choosing it is a choice (not where every option of its node leads anyway).
    for i in 0..scenario.options.len() {
        let o = &scenario.options[i];
        let reveals = o
            .goto
            .iter()
            .chain(o.branches.iter().map(|(_, n)| n))
            .any(|n| !scenario.nodes[n.index()].variant_lines.is_empty())
            && scenario.nodes[o.node.index()]
                .options
                .iter()
                .any(|sib| scenario.options[sib.index()].goto != o.goto);
        scenario.options[i].reveals = reveals;
    }
    // The resolution must be reachable with the scenario's fixes in every variant.
    let searches: Vec<(reach::Reach, Vec<FixCall>)> = (0..scenario.variants.len())
        .map(|i| reach::search(&scenario, VariantId::from_index(i)))
        .collect();
    for (i, (_, needed)) in searches.iter().enumerate() {
        let affected = reach::affected(&scenario, VariantId::from_index(i));
        let v = &mut scenario.variants[i];
        // A shortest path may pass through any entity when the resolution only says a
        // kind of fix was applied; the changes needed are those on what the fault concerns.
        // (A call off target is dropped when a call of the same kind is on target.)
        let on = |c: &FixCall| {
            reach::call_entities(c)
                .iter()
                .any(|e| affected.contains(*e))
        };
        v.needed = needed
            .iter()
            .filter(|c| on(c) || !needed.iter().any(|d| d.kind() == c.kind() && on(d)))
            .cloned()
            .collect();
        v.affected = affected;
    }
    for (i, v) in scenario.variants.iter().enumerate() {
        match &searches[i].0 {
            reach::Reach::Yes(_) => {}
            reach::Reach::No => {
                let field = if f.variants[i].resolution.is_some() {
                    format!("variants[{i}].resolution.condition")
                } else {
                    "resolution.condition".into()
                };
                doc.error(&field, format!("variant `{}` can never be resolved: no sequence of the scenario's fixes ({}) makes the resolution condition true; add the fix that repairs the fault or correct the condition", v.key, scenario.fixes.iter().map(|k| k.command()).collect::<Vec<_>>().join(", ")));
            }
            reach::Reach::Unknown => {
                doc.warn(
                    "resolution.condition",
                    format!(
                        "could not confirm variant `{}` is resolvable within the search budget",
                        v.key
                    ),
                );
            }
        }
    }
    if doc.diags.iter().filter(|d| d.is_error()).count() > errors_before {
        return None;
    }
    Some(scenario)
}
