//! Is a scenario's resolution reachable? A breadth-first search over the scenario's fixes.

use super::model::*;
use crate::ids::*;
use crate::world::condition::{Cond, SessionFacts};
use crate::world::fixes::{DnsSetting, FixCall, FixContext, FixKind};
use crate::world::state::World;
use crate::world::tools::ToolKind;
use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Most world states explored before giving up.
pub const STATE_BUDGET: usize = 20_000;
/// Longest fix sequence tried.
pub const MAX_DEPTH: usize = 5;

/// Outcome of the search.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// Resolvable; the shortest fix sequence.
    Yes(Vec<FixCall>),
    No,
    Unknown,
}

/// Session facts assumed achievable by dialogue, for the search.
struct Optimistic<'a> {
    scenario: &'a Scenario,
    variant: VariantId,
    /// Fix kinds applied on the path so far, when the search tracks them (bit per
    /// `FixKind::ALL` index); `None` takes every offered fix as applied.
    applied: Option<u64>,
}

fn kind_bit(k: FixKind) -> u64 {
    match k {
        // Custom fixes share the upper 32 bits (a collision only makes the search more
        // optimistic about an `Applied(Custom(..))` condition).
        FixKind::Custom(s) => {
            let mut h = DefaultHasher::new();
            s.as_str().hash(&mut h);
            1u64 << (32 + h.finish() % 32)
        }
        k => 1u64 << FixKind::ALL.iter().position(|x| *x == k).unwrap_or(0),
    }
}

impl SessionFacts for Optimistic<'_> {
    fn flag(&self, f: FlagId) -> bool {
        self.scenario.options.iter().any(|o| {
            o.effects.iter().any(|e| match e {
                Effect::Set(x) => *x == f,
                Effect::Verify(_) => f == IDENTITY_VERIFIED,
                Effect::Approve(_) => f == CHANGE_APPROVED,
                _ => false,
            })
        })
    }
    fn variant(&self) -> VariantId {
        self.variant
    }
    fn asked(&self, _: QuestionId) -> bool {
        true
    }
    fn chose(&self, _: OptionId) -> bool {
        true
    }
    fn ran_tool(&self, k: ToolKind) -> bool {
        self.scenario.tools.contains(&k)
    }
    fn applied(&self, k: FixKind) -> bool {
        match self.applied {
            Some(mask) => mask & kind_bit(k) != 0,
            None => {
                self.scenario.fixes.contains(&k)
                    || super::steps::step_kinds(self.scenario).contains(&k)
            }
        }
    }
    fn escalated_to(&self, _: TeamId) -> bool {
        true
    }
    fn mood(&self) -> u8 {
        100
    }
    fn elapsed_secs(&self) -> u32 {
        // Time can always pass.
        u32::MAX
    }
}

/// Every concrete fix the scenario allows in this world.
pub fn candidate_fixes(s: &Scenario, w: &World) -> Vec<FixCall> {
    let mut out = vec![];
    let devices = (0..w.devices.len()).map(DeviceId::from_index);
    let accounts = (0..w.accounts.len()).map(AccountId::from_index);
    for &k in &s.fixes {
        use FixKind::*;
        match k {
            Custom(sym) => {
                if let Some(def) = w.custom.reg.fix(sym) {
                    out.extend(
                        crate::world::custom::fix::candidates(w, def, 4096)
                            .into_iter()
                            .map(FixCall::Custom),
                    );
                }
            }
            RenewDhcp | FlushDns | EnableNic | ReconnectCable | CleanupDisk | BackupData
            | Reboot | RenewVpnCert | ConnectVpn | IsolateDevice | FixDisplay | PowerOn => {
                out.extend(devices.clone().map(|d| FixCall::Device(k, d)))
            }
            SetDns => {
                for d in devices.clone() {
                    out.push(FixCall::SetDns(d, DnsSetting::Auto));
                    for srv in w.network.dns_servers.iter().filter(|x| x.internal) {
                        out.push(FixCall::SetDns(d, DnsSetting::Static(vec![srv.ip])));
                    }
                }
            }
            RestartService => {
                for (i, d) in w.devices.iter().enumerate() {
                    for j in 0..d.services.len() {
                        out.push(FixCall::Service(crate::ids::ServiceRef {
                            device: DeviceId::from_index(i),
                            index: j as u16,
                        }));
                    }
                }
            }
            EndProcess => {
                for (i, d) in w.devices.iter().enumerate() {
                    for p in &d.processes {
                        out.push(FixCall::EndProcess(DeviceId::from_index(i), p.name.clone()));
                    }
                }
            }
            ClearQueue | LoadPaper | PrinterOnline => out.extend(
                (0..w.printers.len()).map(|p| FixCall::Printer(k, PrinterId::from_index(p))),
            ),
            CancelJob => {
                for (i, p) in w.printers.iter().enumerate() {
                    for j in &p.queue {
                        out.push(FixCall::CancelJob(PrinterId::from_index(i), j.id));
                    }
                }
            }
            UnlockAccount | ResetPassword | ResetMfa | ClearStaleCredential | EnableAccount
            | DisableAccount => out.extend(accounts.clone().map(|a| FixCall::Account(k, a))),
            AddLicence | AddGroup | RemoveGroup => {
                let mut items: Vec<String> = vec![];
                for v in &s.variants {
                    collect_items(&v.resolution.condition, &mut items);
                }
                for a in accounts.clone() {
                    for it in &items {
                        out.push(FixCall::AccountItem(k, a, it.clone()));
                    }
                }
            }
            InstallSoftware | RepairSoftware => {
                for d in devices.clone() {
                    let names: Vec<String> = if k == InstallSoftware {
                        w.catalogue.iter().map(|p| p.name.clone()).collect()
                    } else {
                        w.devices[d.index()]
                            .installed
                            .iter()
                            .map(|p| p.name.clone())
                            .collect()
                    };
                    for n in names {
                        out.push(FixCall::Package(k, d, n));
                    }
                }
            }
            ArchiveMailbox | IncreaseQuota => out.extend(
                (0..w.mailboxes.len()).map(|m| FixCall::Mailbox(k, MailboxId::from_index(m))),
            ),
            GrantMailboxAccess => {
                for m in 0..w.mailboxes.len() {
                    for a in accounts.clone() {
                        out.push(FixCall::GrantMailboxAccess(MailboxId::from_index(m), a));
                    }
                }
            }
        }
    }
    out
}

fn collect_items(c: &crate::world::condition::Cond, out: &mut Vec<String>) {
    use crate::world::condition::Cond;
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|x| collect_items(x, out)),
        Cond::Not(x) => collect_items(x, out),
        Cond::HasGroup(_, g) | Cond::HasLicence(_, g) => out.push(g.clone()),
        _ => {}
    }
}

/// Evaluates a condition assuming the trainee does whatever dialogue and session steps
/// help: a session fact is taken as true where it appears positively and false under a
/// `Not`, as long as it is achievable at all. World facts are evaluated for real.
fn optimistic(c: &Cond, w: &World, facts: &Optimistic<'_>, positive: bool) -> bool {
    match c {
        Cond::All(v) => v.iter().all(|x| optimistic(x, w, facts, positive)),
        Cond::Any(v) => v.iter().any(|x| optimistic(x, w, facts, positive)),
        Cond::Not(x) => !optimistic(x, w, facts, !positive),
        Cond::Variant(_) => c.eval(w, facts),
        leaf if !leaf.world_only() => {
            if positive {
                leaf.eval(w, facts)
            } else {
                false
            }
        }
        leaf => leaf.eval(w, facts),
    }
}

/// The worlds the variant's timers can turn `w` into (time passing is a move too), for
/// timers that change something and whose `after` can hold. Over-approximate: a timer may
/// fire any number of times, and `until` is ignored.
fn timer_successors(s: &Scenario, v: VariantId, w: &World, facts: &Optimistic<'_>) -> Vec<World> {
    s.variant(v)
        .timers
        .iter()
        .filter(|t| {
            t.after
                .as_ref()
                .is_none_or(|c| optimistic(c, w, facts, true))
        })
        .filter_map(|t| {
            let mut next = w.clone();
            super::timers::fire(t, &mut next);
            (next != *w).then_some(next)
        })
        .collect()
}

fn hash_world(w: &World) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{w:?}").hash(&mut h);
    h.finish()
}

/// Searches for a fix sequence that makes the variant's resolution condition hold.
pub fn resolvable(s: &Scenario, v: VariantId) -> Reach {
    search(s, v).0
}

/// One explored world state: its depth and every (parent, move) edge that reaches it at
/// that depth; a move is a fix call (a console fix or a customer step) or, `None`, a timer
/// firing (time passing).
struct StateNode {
    world: World,
    applied: u64,
    depth: usize,
    parents: Vec<(usize, Option<FixCall>)>,
}

/// Breadth-first search, layer by layer, that also collects the fix calls lying on *any*
/// shortest path to the resolution: the changes this variant needs. Everything else a
/// trainee changes is unneeded.
pub fn search(s: &Scenario, v: VariantId) -> (Reach, Vec<FixCall>) {
    let at = |mask: u64| Optimistic {
        scenario: s,
        variant: v,
        applied: Some(mask),
    };
    let cond = &s.variant(v).resolution.condition;
    let start = s.variant(v).world.clone();
    if optimistic(cond, &start, &at(0), true) {
        return (Reach::Yes(vec![]), vec![]);
    }
    let ctx = FixContext {
        change_approved: true,
        password_seed: 0,
        customer: None,
    };
    let key = |w: &World, mask: u64| hash_world(w) ^ mask.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut index: std::collections::HashMap<u64, usize> =
        std::collections::HashMap::from([(key(&start, 0), 0)]);
    let mut nodes = vec![StateNode {
        world: start,
        applied: 0,
        depth: 0,
        parents: vec![],
    }];
    let mut layer = vec![0usize];
    let mut goals: Vec<usize> = vec![];
    let mut cut_off = false;
    let steps = super::steps::step_calls(s);
    for depth in 0..MAX_DEPTH {
        let mut next_layer = vec![];
        for &n in &layer {
            let w = nodes[n].world.clone();
            let mask = nodes[n].applied;
            let mut calls: Vec<Option<FixCall>> =
                candidate_fixes(s, &w).into_iter().map(Some).collect();
            for c in &steps {
                if !calls.iter().any(|x| x.as_ref() == Some(c)) {
                    calls.push(Some(c.clone()));
                }
            }
            let timer_moves = timer_successors(s, v, &w, &at(mask));
            calls.extend((0..timer_moves.len()).map(|_| None));
            let mut timer_worlds = timer_moves.into_iter();
            for call in calls {
                let (next, m) = match &call {
                    Some(c) => {
                        let mut next = w.clone();
                        if !c.apply(&mut next, &ctx).changed {
                            continue;
                        }
                        (next, mask | kind_bit(c.kind()))
                    }
                    None => match timer_worlds.next() {
                        Some(next) => (next, mask),
                        None => continue,
                    },
                };
                let h = key(&next, m);
                match index.get(&h) {
                    Some(&j) if nodes[j].depth == depth + 1 => {
                        nodes[j].parents.push((n, call));
                    }
                    Some(_) => {}
                    None => {
                        let goal = optimistic(cond, &next, &at(m), true);
                        index.insert(h, nodes.len());
                        if goal {
                            goals.push(nodes.len());
                        } else {
                            next_layer.push(nodes.len());
                        }
                        nodes.push(StateNode {
                            world: next,
                            applied: m,
                            depth: depth + 1,
                            parents: vec![(n, call)],
                        });
                        if nodes.len() > STATE_BUDGET {
                            return (Reach::Unknown, vec![]);
                        }
                    }
                }
            }
        }
        if !goals.is_empty() {
            break;
        }
        if next_layer.is_empty() {
            return (Reach::No, vec![]);
        }
        if depth + 1 == MAX_DEPTH {
            cut_off = true;
        }
        layer = next_layer;
    }
    if goals.is_empty() {
        return (if cut_off { Reach::Unknown } else { Reach::No }, vec![]);
    }
    // The first goal's path, and every call on any shortest path.
    let mut path = vec![];
    let mut at_node = goals[0];
    while let Some((p, call)) = nodes[at_node].parents.first() {
        path.extend(call.clone());
        at_node = *p;
    }
    path.reverse();
    let mut needed: Vec<FixCall> = vec![];
    let mut seen = HashSet::new();
    let mut stack = goals.clone();
    while let Some(n) = stack.pop() {
        if !seen.insert(n) {
            continue;
        }
        for (p, call) in &nodes[n].parents {
            if let Some(call) = call
                && !needed.contains(call)
            {
                needed.push(call.clone());
            }
            stack.push(*p);
        }
    }
    (Reach::Yes(path), needed)
}

/// The entities a variant's fault touches (where its world differs from the healthy
/// one) and those its resolution names.
pub fn affected(s: &Scenario, v: VariantId) -> Affected {
    let w = &s.variant(v).world;
    let h = &s.healthy;
    let diff =
        |a: usize, f: &dyn Fn(usize) -> bool| -> Vec<usize> { (0..a).filter(|i| f(*i)).collect() };
    let mut out = Affected {
        devices: diff(w.devices.len(), &|i| h.devices.get(i) != w.devices.get(i))
            .into_iter()
            .map(DeviceId::from_index)
            .collect(),
        accounts: diff(w.accounts.len(), &|i| {
            h.accounts.get(i) != w.accounts.get(i)
        })
        .into_iter()
        .map(AccountId::from_index)
        .collect(),
        printers: diff(w.printers.len(), &|i| {
            h.printers.get(i) != w.printers.get(i)
        })
        .into_iter()
        .map(PrinterId::from_index)
        .collect(),
        mailboxes: diff(w.mailboxes.len(), &|i| {
            h.mailboxes.get(i) != w.mailboxes.get(i)
        })
        .into_iter()
        .map(MailboxId::from_index)
        .collect(),
        fault_in_world: w != h,
    };
    // What the resolution names counts where the fault itself shows nothing of that kind
    // (a request): the caller staying in a group is not what a leaver's fault is about.
    let mut named = Affected::default();
    named_in(&s.variant(v).resolution.condition, &mut named);
    if out.devices.is_empty() {
        out.devices = named.devices;
    }
    if out.accounts.is_empty() {
        // The caller's own account only when the request is about nobody else.
        let caller = s.customer.account;
        let others: Vec<AccountId> = named
            .accounts
            .iter()
            .copied()
            .filter(|a| Some(*a) != caller)
            .collect();
        out.accounts = if others.is_empty() {
            named.accounts
        } else {
            others
        };
    }
    if out.printers.is_empty() {
        out.printers = named.printers;
    }
    if out.mailboxes.is_empty() {
        out.mailboxes = named.mailboxes;
    }
    out
}

/// The entities a fix call changes.
pub fn call_entities(c: &FixCall) -> Vec<crate::world::tools::Entity> {
    use crate::world::tools::Entity;
    match c {
        FixCall::Device(_, d)
        | FixCall::SetDns(d, _)
        | FixCall::EndProcess(d, _)
        | FixCall::Package(_, d, _) => vec![Entity::Device(*d)],
        FixCall::Service(r) => vec![Entity::Device(r.device)],
        FixCall::Printer(_, p) | FixCall::CancelJob(p, _) => vec![Entity::Printer(*p)],
        FixCall::Account(_, a) | FixCall::AccountItem(_, a, _) => vec![Entity::Account(*a)],
        FixCall::Mailbox(_, m) => vec![Entity::Mailbox(*m)],
        FixCall::GrantMailboxAccess(m, a) => vec![Entity::Mailbox(*m), Entity::Account(*a)],
        FixCall::Custom(c) => c.subject.map(Entity::Account).into_iter().collect(),
    }
}

fn named_in(c: &Cond, out: &mut Affected) {
    let mut dev = |d: DeviceId| {
        if !out.devices.contains(&d) {
            out.devices.push(d)
        }
    };
    match c {
        Cond::All(v) | Cond::Any(v) => {
            for x in v {
                named_in(x, out);
            }
            return;
        }
        Cond::Not(x) => return named_in(x, out),
        Cond::Resolves(d, _)
        | Cond::Reaches(d, _)
        | Cond::DataBackedUp(d)
        | Cond::SoftwareInstalled(d, _)
        | Cond::SoftwareHealthy(d, _)
        | Cond::VpnConnected(d)
        | Cond::Booted(d)
        | Cond::Isolated(d)
        | Cond::DisplayOk(d)
        | Cond::NoMaliciousProcess(d)
        | Cond::ProcessRunning(d, _) => dev(*d),
        Cond::ServiceRunning(r) => dev(r.device),
        Cond::DiskFreeAtLeast(r, _) => dev(r.device),
        _ => {}
    }
    let acc = match c {
        Cond::AccountUsable(a)
        | Cond::AccountLocked(a)
        | Cond::AccountDisabled(a)
        | Cond::HasGroup(a, _)
        | Cond::HasLicence(a, _)
        | Cond::HasMailboxAccess(_, a) => Some(*a),
        _ => None,
    };
    if let Some(a) = acc
        && !out.accounts.contains(&a)
    {
        out.accounts.push(a);
    }
    let mbx = match c {
        Cond::MailboxBelowQuota(m) | Cond::HasMailboxAccess(m, _) => Some(*m),
        _ => None,
    };
    if let Some(m) = mbx
        && !out.mailboxes.contains(&m)
    {
        out.mailboxes.push(m);
    }
    if let Cond::PrinterPrinting(p) = c
        && !out.printers.contains(p)
    {
        out.printers.push(*p);
    }
}
