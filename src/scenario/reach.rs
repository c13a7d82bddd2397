//! Is a scenario's resolution reachable? A breadth-first search over the scenario's fixes.

use super::model::*;
use crate::ids::*;
use crate::world::condition::{Cond, SessionFacts};
use crate::world::fixes::{DnsSetting, FixCall, FixContext, FixKind};
use crate::world::state::World;
use crate::world::tools::ToolKind;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashSet, VecDeque};
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
}

impl SessionFacts for Optimistic<'_> {
    fn flag(&self, f: FlagId) -> bool {
        self.scenario.options.iter().any(|o| {
            o.effects
                .iter()
                .any(|e| matches!(e, Effect::Set(x) if *x == f))
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
        self.scenario.fixes.contains(&k)
    }
    fn escalated_to(&self, _: TeamId) -> bool {
        true
    }
    fn mood(&self) -> u8 {
        100
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
            RenewDhcp | FlushDns | EnableNic | ReconnectCable | CleanupDisk | BackupData
            | Reboot | RenewVpnCert | ConnectVpn | IsolateDevice | FixDisplay => {
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

fn hash_world(w: &World) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{w:?}").hash(&mut h);
    h.finish()
}

/// Searches for a fix sequence that makes the variant's resolution condition hold.
pub fn resolvable(s: &Scenario, v: VariantId) -> Reach {
    let facts = Optimistic {
        scenario: s,
        variant: v,
    };
    let cond = &s.variant(v).resolution.condition;
    let start = s.variant(v).world.clone();
    if optimistic(cond, &start, &facts, true) {
        return Reach::Yes(vec![]);
    }
    let ctx = FixContext {
        change_approved: facts.flag(CHANGE_APPROVED),
        password_seed: 0,
        customer: None,
    };
    let mut seen = HashSet::from([hash_world(&start)]);
    let mut queue = VecDeque::from([(start, Vec::<FixCall>::new())]);
    let mut cut_off = false;
    while let Some((w, path)) = queue.pop_front() {
        if path.len() >= MAX_DEPTH {
            cut_off = true;
            continue;
        }
        for call in candidate_fixes(s, &w) {
            let mut next = w.clone();
            let out = call.apply(&mut next, &ctx);
            if !out.changed {
                continue;
            }
            let h = hash_world(&next);
            if !seen.insert(h) {
                continue;
            }
            let mut p = path.clone();
            p.push(call);
            if optimistic(cond, &next, &facts, true) {
                return Reach::Yes(p);
            }
            if seen.len() > STATE_BUDGET {
                return Reach::Unknown;
            }
            queue.push_back((next, p));
        }
    }
    if cut_off { Reach::Unknown } else { Reach::No }
}
