//! Conditions: predicates over the world and the session, used for resolution,
//! dialogue branches, hints and escalation timing.

use super::fixes::FixKind;
use super::net;
use super::state::*;
use super::tools::ToolKind;
use crate::ids::*;
use serde::{Deserialize, Serialize};

/// A condition as the author writes it (names, not ids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// A session flag is set (`identity_verified`, `customer_confirmed`, or a custom one).
    Flag(String),
    /// The attempt is playing this variant.
    Variant(String),
    /// The trainee asked this question.
    Asked(String),
    /// The trainee chose this dialogue option.
    Chose(String),
    /// The trainee ran this kind of tool.
    RanTool(ToolKind),
    /// The trainee applied this kind of fix.
    Applied(FixKind),
    /// The ticket was escalated to this team.
    Escalated(String),
    /// The customer's mood is at least this (0–100).
    MoodAtLeast(u8),
    /// At least this many simulated minutes have passed since the call started.
    MinutesPassed(u32),
    /// DEVICE's DNS lookup of NAME returns the host's real address.
    Resolves(String, String),
    /// DEVICE resolves and reaches HOST.
    Reaches(String, String),
    ServiceRunning(String, String),
    AccountUsable(String),
    AccountLocked(String),
    AccountDisabled(String),
    HasGroup(String, String),
    HasLicence(String, String),
    /// The printer prints: spooler running, ready, paper and toner, nothing stuck.
    PrinterPrinting(String),
    /// DEVICE DISK has at least N GB free.
    DiskFreeAtLeast(String, String, u32),
    DataBackedUp(String),
    SoftwareInstalled(String, String),
    SoftwareHealthy(String, String),
    MailboxBelowQuota(String),
    HasMailboxAccess(String, String),
    VpnConnected(String),
    Booted(String),
    Isolated(String),
    DisplayOk(String),
    NoMaliciousProcess(String),
    /// DEVICE runs a process called NAME.
    ProcessRunning(String, String),
    /// A check on the custom system called SYSTEM (`System("finance-erp", Record(...))`).
    System(String, super::custom::def::CheckDef),
}

/// A condition with every name resolved to an id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Flag(FlagId),
    Variant(VariantId),
    Asked(QuestionId),
    Chose(OptionId),
    RanTool(ToolKind),
    Applied(FixKind),
    Escalated(TeamId),
    MoodAtLeast(u8),
    MinutesPassed(u32),
    Resolves(DeviceId, HostId),
    Reaches(DeviceId, HostId),
    ServiceRunning(ServiceRef),
    AccountUsable(AccountId),
    AccountLocked(AccountId),
    AccountDisabled(AccountId),
    HasGroup(AccountId, String),
    HasLicence(AccountId, String),
    PrinterPrinting(PrinterId),
    DiskFreeAtLeast(DiskRef, u32),
    DataBackedUp(DeviceId),
    SoftwareInstalled(DeviceId, String),
    SoftwareHealthy(DeviceId, String),
    MailboxBelowQuota(MailboxId),
    HasMailboxAccess(MailboxId, AccountId),
    VpnConnected(DeviceId),
    Booted(DeviceId),
    Isolated(DeviceId),
    DisplayOk(DeviceId),
    NoMaliciousProcess(DeviceId),
    ProcessRunning(DeviceId, String),
    /// A check on the world's custom system with this index.
    System(u16, super::custom::check::Check),
}

/// What a condition may ask of the session besides the world.
pub trait SessionFacts {
    fn flag(&self, f: FlagId) -> bool;
    fn variant(&self) -> VariantId;
    fn asked(&self, q: QuestionId) -> bool;
    fn chose(&self, o: OptionId) -> bool;
    fn ran_tool(&self, k: ToolKind) -> bool;
    fn applied(&self, k: FixKind) -> bool;
    fn escalated_to(&self, t: TeamId) -> bool;
    fn mood(&self) -> u8;
    /// Simulated seconds since the call started.
    fn elapsed_secs(&self) -> u32;
}

/// Whether the printer is printing.
pub fn printer_printing(w: &World, p: &Printer) -> bool {
    let spooler_ok = match &p.server {
        Some(s) => w
            .device_index(s)
            .map(|i| &w.devices[i])
            .and_then(|d| {
                d.services
                    .iter()
                    .find(|s| s.name.eq_ignore_ascii_case("Spooler"))
            })
            .is_some_and(|s| s.status == ServiceStatus::Running),
        None => true,
    };
    spooler_ok
        && p.status == PrinterStatus::Ready
        && p.paper > 0
        && p.toner > 0
        && p.stuck_job().is_none()
}

impl Cond {
    /// Evaluates the condition.
    pub fn eval(&self, w: &World, s: &dyn SessionFacts) -> bool {
        let dev = |d: &DeviceId| &w.devices[d.index()];
        let acc = |a: &AccountId| &w.accounts[a.index()];
        match self {
            Cond::All(v) => v.iter().all(|c| c.eval(w, s)),
            Cond::Any(v) => v.iter().any(|c| c.eval(w, s)),
            Cond::Not(c) => !c.eval(w, s),
            Cond::Flag(f) => s.flag(*f),
            Cond::Variant(v) => s.variant() == *v,
            Cond::Asked(q) => s.asked(*q),
            Cond::Chose(o) => s.chose(*o),
            Cond::RanTool(k) => s.ran_tool(*k),
            Cond::Applied(k) => s.applied(*k),
            Cond::Escalated(t) => s.escalated_to(*t),
            Cond::MoodAtLeast(m) => s.mood() >= *m,
            Cond::MinutesPassed(m) => u64::from(s.elapsed_secs()) >= u64::from(*m) * 60,
            Cond::Resolves(d, h) => net::resolves_host(w, dev(d), &w.network.hosts[h.index()]),
            Cond::Reaches(d, h) => net::reaches_host(w, dev(d), &w.network.hosts[h.index()]),
            Cond::ServiceRunning(r) => {
                dev(&r.device).services[r.index as usize].status == ServiceStatus::Running
            }
            Cond::AccountUsable(a) => acc(a).usable(),
            Cond::AccountLocked(a) => acc(a).locked,
            Cond::AccountDisabled(a) => acc(a).disabled,
            Cond::HasGroup(a, g) => acc(a).groups.iter().any(|x| x.eq_ignore_ascii_case(g)),
            Cond::HasLicence(a, l) => acc(a).licences.iter().any(|x| x.eq_ignore_ascii_case(l)),
            Cond::PrinterPrinting(p) => printer_printing(w, &w.printers[p.index()]),
            Cond::DiskFreeAtLeast(r, gb) => dev(&r.device).disks[r.index as usize].free_gb >= *gb,
            Cond::DataBackedUp(d) => dev(d).disks.iter().all(|k| k.backed_up),
            Cond::SoftwareInstalled(d, p) => dev(d)
                .installed
                .iter()
                .any(|i| i.name.eq_ignore_ascii_case(p)),
            Cond::SoftwareHealthy(d, p) => dev(d)
                .installed
                .iter()
                .any(|i| i.name.eq_ignore_ascii_case(p) && i.healthy),
            Cond::MailboxBelowQuota(m) => {
                let m = &w.mailboxes[m.index()];
                u64::from(m.used_mb) < u64::from(m.quota_mb) * 95 / 100
            }
            Cond::HasMailboxAccess(m, a) => {
                let user = &acc(a).username;
                let m = &w.mailboxes[m.index()];
                m.owner.as_ref() == Some(user)
                    || m.delegates.iter().any(|d| d.eq_ignore_ascii_case(user))
            }
            Cond::VpnConnected(d) => {
                w.network.vpn_up && dev(d).vpn.as_ref().is_some_and(|v| v.connected)
            }
            Cond::Booted(d) => dev(d).boot == BootState::Ok,
            Cond::Isolated(d) => dev(d).isolated,
            Cond::DisplayOk(d) => dev(d)
                .display
                .as_ref()
                .is_none_or(|x| x.powered && x.cable_connected && x.input_correct),
            Cond::NoMaliciousProcess(d) => !dev(d).processes.iter().any(|p| p.malicious),
            Cond::ProcessRunning(d, n) => dev(d)
                .processes
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(n)),
            Cond::System(i, c) => super::custom::check::eval_in(w, *i as usize, c),
        }
    }

    /// True when the condition only reads the world (no session facts).
    pub fn world_only(&self) -> bool {
        match self {
            Cond::All(v) | Cond::Any(v) => v.iter().all(Cond::world_only),
            Cond::Not(c) => c.world_only(),
            Cond::Flag(_)
            | Cond::Variant(_)
            | Cond::Asked(_)
            | Cond::Chose(_)
            | Cond::RanTool(_)
            | Cond::Applied(_)
            | Cond::Escalated(_)
            | Cond::MoodAtLeast(_)
            | Cond::MinutesPassed(_) => false,
            _ => true,
        }
    }
}
