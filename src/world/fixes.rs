//! Fixes: commands that change the world, with preconditions and side effects.

use super::state::*;
use crate::ids::{AccountId, DeviceId, MailboxId, PrinterId, ServiceRef};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// The kinds of fix a scenario can make available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FixKind {
    RenewDhcp,
    SetDns,
    FlushDns,
    EnableNic,
    ReconnectCable,
    RestartService,
    EndProcess,
    ClearQueue,
    CancelJob,
    LoadPaper,
    PrinterOnline,
    UnlockAccount,
    ResetPassword,
    ResetMfa,
    ClearStaleCredential,
    EnableAccount,
    DisableAccount,
    AddLicence,
    AddGroup,
    RemoveGroup,
    InstallSoftware,
    RepairSoftware,
    CleanupDisk,
    BackupData,
    Reboot,
    ArchiveMailbox,
    IncreaseQuota,
    GrantMailboxAccess,
    RenewVpnCert,
    ConnectVpn,
    IsolateDevice,
    FixDisplay,
    /// A fix defined by the pack's custom systems (`Custom("erp_grant_role")`).
    Custom(super::custom::Sym),
    PowerOn,
}

/// What a fix requires before it is safe or allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Nothing special.
    None,
    /// Doing it without verifying the caller's identity is a security violation.
    Identity,
    /// The system refuses it without a recorded approval.
    Approval,
}

impl FixKind {
    pub const ALL: [FixKind; 33] = [
        FixKind::RenewDhcp,
        FixKind::SetDns,
        FixKind::FlushDns,
        FixKind::EnableNic,
        FixKind::ReconnectCable,
        FixKind::RestartService,
        FixKind::EndProcess,
        FixKind::ClearQueue,
        FixKind::CancelJob,
        FixKind::LoadPaper,
        FixKind::PrinterOnline,
        FixKind::UnlockAccount,
        FixKind::ResetPassword,
        FixKind::ResetMfa,
        FixKind::ClearStaleCredential,
        FixKind::EnableAccount,
        FixKind::DisableAccount,
        FixKind::AddLicence,
        FixKind::AddGroup,
        FixKind::RemoveGroup,
        FixKind::InstallSoftware,
        FixKind::RepairSoftware,
        FixKind::CleanupDisk,
        FixKind::BackupData,
        FixKind::Reboot,
        FixKind::ArchiveMailbox,
        FixKind::IncreaseQuota,
        FixKind::GrantMailboxAccess,
        FixKind::RenewVpnCert,
        FixKind::ConnectVpn,
        FixKind::IsolateDevice,
        FixKind::FixDisplay,
        FixKind::PowerOn,
    ];

    /// The command word (`restart_service`).
    pub fn command(self) -> &'static str {
        use FixKind::*;
        match self {
            RenewDhcp => "renew_dhcp",
            SetDns => "set_dns",
            FlushDns => "flush_dns",
            EnableNic => "enable_nic",
            ReconnectCable => "reconnect_cable",
            RestartService => "restart_service",
            EndProcess => "end_process",
            ClearQueue => "clear_queue",
            CancelJob => "cancel_job",
            LoadPaper => "load_paper",
            PrinterOnline => "printer_online",
            UnlockAccount => "unlock_account",
            ResetPassword => "reset_password",
            ResetMfa => "reset_mfa",
            ClearStaleCredential => "clear_stale_credential",
            EnableAccount => "enable_account",
            DisableAccount => "disable_account",
            AddLicence => "add_licence",
            AddGroup => "add_group",
            RemoveGroup => "remove_group",
            InstallSoftware => "install_software",
            RepairSoftware => "repair_software",
            CleanupDisk => "cleanup_disk",
            BackupData => "backup_data",
            Reboot => "reboot",
            ArchiveMailbox => "archive_mailbox",
            IncreaseQuota => "increase_quota",
            GrantMailboxAccess => "grant_mailbox_access",
            RenewVpnCert => "renew_vpn_cert",
            ConnectVpn => "connect_vpn",
            IsolateDevice => "isolate_device",
            FixDisplay => "fix_display",
            Custom(s) => s.as_str(),
            PowerOn => "power_on",
        }
    }

    /// Usage shown by `help`.
    pub fn usage(self) -> &'static str {
        use FixKind::*;
        match self {
            RenewDhcp => "renew_dhcp [HOST] — release and renew the DHCP lease",
            SetDns => "set_dns [HOST] auto|IP[,IP] — set DNS servers (auto = from DHCP)",
            FlushDns => "flush_dns [HOST] — clear the local DNS cache",
            EnableNic => "enable_nic [HOST] — enable disabled adapters / switch Wi-Fi on",
            ReconnectCable => "reconnect_cable [HOST] — guide the user to reseat the network cable",
            RestartService => "restart_service HOST SERVICE — restart a service",
            EndProcess => "end_process HOST PROCESS — end a process",
            ClearQueue => "clear_queue PRINTER — delete every job in the queue",
            CancelJob => "cancel_job PRINTER JOB — cancel one print job",
            LoadPaper => "load_paper PRINTER — ask someone on site to load paper",
            PrinterOnline => "printer_online PRINTER — set the printer back online",
            UnlockAccount => "unlock_account USER — unlock a locked account",
            ResetPassword => {
                "reset_password USER — set a temporary password (must change at sign-in)"
            }
            ResetMfa => "reset_mfa USER — clear MFA registration so the user can re-register",
            ClearStaleCredential => {
                "clear_stale_credential USER — guide the user to update the password on old devices"
            }
            EnableAccount => "enable_account USER — enable a disabled account",
            DisableAccount => "disable_account USER — disable an account",
            AddLicence => "add_licence USER LICENCE — assign a licence",
            AddGroup => "add_group USER GROUP — add to a security group",
            RemoveGroup => "remove_group USER GROUP — remove from a security group",
            InstallSoftware => "install_software HOST PACKAGE — install a package",
            RepairSoftware => "repair_software HOST PACKAGE — repair/reinstall a package",
            CleanupDisk => "cleanup_disk [HOST] — remove temporary files and caches",
            BackupData => "backup_data [HOST] — back up the user's data",
            Reboot => "reboot [HOST] — restart the device",
            ArchiveMailbox => "archive_mailbox MAILBOX — move old mail to the online archive",
            IncreaseQuota => "increase_quota MAILBOX — raise the mailbox quota",
            GrantMailboxAccess => "grant_mailbox_access MAILBOX USER — give full access",
            RenewVpnCert => "renew_vpn_cert [HOST] — re-issue the VPN machine certificate",
            ConnectVpn => "connect_vpn [HOST] — connect the VPN client",
            IsolateDevice => "isolate_device [HOST] — cut the device off the network (containment)",
            FixDisplay => {
                "fix_display [HOST] — reseat the monitor cable and select the right input"
            }
            Custom(_) => "a fix of the pack's systems",
            PowerOn => {
                "power_on [HOST] — guide the user to restore power (strip switch, socket, working charger)"
            }
        }
    }

    /// The policy that guards this fix.
    pub fn policy(self) -> Policy {
        use FixKind::*;
        match self {
            UnlockAccount | ResetPassword | ResetMfa | GrantMailboxAccess | EnableAccount => {
                Policy::Identity
            }
            IncreaseQuota | AddLicence | AddGroup => Policy::Approval,
            _ => Policy::None,
        }
    }

    /// Changes that touch security or data (privileges, groups, MFA, passwords, access,
    /// installs, deleting or moving data): made without need, they are harm.
    pub fn security_relevant(self) -> bool {
        use FixKind::*;
        matches!(
            self,
            ResetPassword
                | ResetMfa
                | UnlockAccount
                | EnableAccount
                | DisableAccount
                | AddGroup
                | RemoveGroup
                | AddLicence
                | GrantMailboxAccess
                | InstallSoftware
                | CleanupDisk
                | ArchiveMailbox
                | ClearQueue
                | IsolateDevice
        )
    }

    /// Fixes the user performs while the trainee talks them through it: they need the
    /// customer on the line.
    pub fn guided(self) -> bool {
        matches!(
            self,
            FixKind::EnableNic
                | FixKind::ReconnectCable
                | FixKind::FixDisplay
                | FixKind::PowerOn
                | FixKind::ClearStaleCredential
        )
    }

    /// Simulated seconds the fix takes.
    pub fn cost_secs(self) -> u32 {
        use FixKind::*;
        match self {
            Reboot => 300,
            BackupData => 600,
            RepairSoftware | InstallSoftware => 240,
            CleanupDisk | ArchiveMailbox | RenewVpnCert => 180,
            _ => 60,
        }
    }

    pub fn from_command(word: &str) -> Option<FixKind> {
        FixKind::ALL
            .into_iter()
            .find(|k| k.command().eq_ignore_ascii_case(word))
            .or_else(|| super::custom::Sym::lookup(word).map(FixKind::Custom))
    }

    /// The kind a command word names in this world: a built-in fix, or a custom fix of the
    /// world's pack (a custom *tool* word is not a fix).
    pub fn from_command_in(word: &str, w: &World) -> Option<FixKind> {
        match FixKind::from_command(word)? {
            FixKind::Custom(s) if w.custom.reg.fix(s).is_none() => None,
            k => Some(k),
        }
    }

    fn def(self, w: &World) -> Option<&super::custom::fix::FixDef> {
        match self {
            FixKind::Custom(s) => w.custom.reg.fix(s).map(|i| &w.custom.reg.fixes[i]),
            _ => None,
        }
    }

    /// Usage in this world (a custom fix's comes from its definition).
    pub fn usage_in(self, w: &World) -> String {
        self.def(w)
            .map(|d| d.usage.clone())
            .unwrap_or_else(|| self.usage().to_string())
    }
    /// The policy in this world.
    pub fn policy_in(self, w: &World) -> Policy {
        self.def(w).map_or_else(|| self.policy(), |d| d.policy)
    }
    /// Security relevance in this world.
    pub fn security_in(self, w: &World) -> bool {
        self.def(w)
            .map_or_else(|| self.security_relevant(), |d| d.security)
    }
    /// Whether the user does it while talked through it, in this world.
    pub fn guided_in(self, w: &World) -> bool {
        self.def(w).map_or_else(|| self.guided(), |d| d.guided)
    }
    /// Simulated seconds in this world.
    pub fn cost_in(self, w: &World) -> u32 {
        self.def(w).map_or_else(|| self.cost_secs(), |d| d.cost)
    }
}

/// DNS setting for `set_dns`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DnsSetting {
    Auto,
    Static(Vec<Ipv4Addr>),
}

/// A parsed fix with its targets resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FixCall {
    Device(FixKind, DeviceId),
    SetDns(DeviceId, DnsSetting),
    Service(ServiceRef),
    EndProcess(DeviceId, String),
    Printer(FixKind, PrinterId),
    CancelJob(PrinterId, u32),
    Account(FixKind, AccountId),
    AccountItem(FixKind, AccountId, String),
    Package(FixKind, DeviceId, String),
    Mailbox(FixKind, MailboxId),
    GrantMailboxAccess(MailboxId, AccountId),
    /// A custom system's fix.
    Custom(super::custom::fix::FixCall),
}

/// The result of applying a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixOutcome {
    /// The world's state changed.
    pub changed: bool,
    /// The system refused (missing approval, impossible).
    pub blocked: bool,
    /// What the trainee sees.
    pub message: String,
    /// Collateral damage (lost jobs, disrupted users), for scoring.
    pub harm: Option<String>,
    /// A temporary password that was generated.
    pub temp_password: Option<String>,
}

impl FixOutcome {
    fn ok(changed: bool, message: impl Into<String>) -> Self {
        Self {
            changed,
            blocked: false,
            message: message.into(),
            harm: None,
            temp_password: None,
        }
    }
    fn blocked(message: impl Into<String>) -> Self {
        Self {
            changed: false,
            blocked: true,
            message: message.into(),
            harm: None,
            temp_password: None,
        }
    }
}

/// What the session knows when a fix runs.
pub struct FixContext {
    pub change_approved: bool,
    /// Random digits for a temporary password, from the session's seeded RNG.
    pub password_seed: u32,
    /// The caller's username (their own print jobs are not collateral damage).
    pub customer: Option<String>,
}

fn need<'a>(args: &'a [&'a str], i: usize, kind: FixKind) -> Result<&'a str, String> {
    args.get(i)
        .copied()
        .ok_or_else(|| format!("missing argument; usage: {}", kind.usage()))
}

fn device_arg(
    w: &World,
    name: Option<&str>,
    default: Option<DeviceId>,
) -> Result<DeviceId, String> {
    match name {
        Some(n) => w
            .device_index(n)
            .map(DeviceId::from_index)
            .ok_or_else(|| format!("no device called `{n}` in the inventory")),
        None => default.ok_or_else(|| "this fix needs a HOST name".to_string()),
    }
}

fn account_arg(w: &World, n: &str) -> Result<AccountId, String> {
    w.account_index(n)
        .map(AccountId::from_index)
        .ok_or_else(|| format!("no account `{n}` in the directory"))
}
fn printer_arg(w: &World, n: &str) -> Result<PrinterId, String> {
    w.printer_index(n)
        .map(PrinterId::from_index)
        .ok_or_else(|| format!("no printer `{n}` on the print servers"))
}
fn mailbox_arg(w: &World, n: &str) -> Result<MailboxId, String> {
    w.mailbox_index(n)
        .map(MailboxId::from_index)
        .ok_or_else(|| format!("no mailbox `{n}`"))
}

impl FixCall {
    pub fn kind(&self) -> FixKind {
        match self {
            FixCall::Device(k, _)
            | FixCall::Printer(k, _)
            | FixCall::Account(k, _)
            | FixCall::AccountItem(k, _, _)
            | FixCall::Package(k, _, _)
            | FixCall::Mailbox(k, _) => *k,
            FixCall::SetDns(..) => FixKind::SetDns,
            FixCall::Service(_) => FixKind::RestartService,
            FixCall::EndProcess(..) => FixKind::EndProcess,
            FixCall::CancelJob(..) => FixKind::CancelJob,
            FixCall::GrantMailboxAccess(..) => FixKind::GrantMailboxAccess,
            FixCall::Custom(c) => FixKind::Custom(c.command),
        }
    }

    /// The account this fix acts on, if any (for identity checks).
    pub fn account(&self) -> Option<AccountId> {
        match self {
            FixCall::Account(_, a)
            | FixCall::AccountItem(_, a, _)
            | FixCall::GrantMailboxAccess(_, a) => Some(*a),
            FixCall::Custom(c) => c.subject,
            _ => None,
        }
    }

    /// Parses `command ARGS` against the world.
    pub fn parse(line: &str, w: &World, default: Option<DeviceId>) -> Result<FixCall, String> {
        use FixKind::*;
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else {
            return Err("type a fix; `help` lists them".into());
        };
        let kind = FixKind::from_command_in(first, w).ok_or_else(|| {
            format!("`{first}` is not a known fix; `help` lists the fixes you have")
        })?;
        let a = &words[1..];
        if let Custom(sym) = kind {
            return super::custom::fix::parse(w, sym, a).map(FixCall::Custom);
        }
        let max = match kind {
            SetDns | RestartService | EndProcess | CancelJob | AddLicence | AddGroup
            | RemoveGroup | InstallSoftware | RepairSoftware | GrantMailboxAccess => 2,
            _ => 1,
        };
        if a.len() > max {
            return Err(format!("too many arguments; usage: {}", kind.usage()));
        }
        Ok(match kind {
            RenewDhcp | FlushDns | EnableNic | ReconnectCable | CleanupDisk | BackupData
            | Reboot | RenewVpnCert | ConnectVpn | IsolateDevice | FixDisplay | PowerOn => {
                FixCall::Device(kind, device_arg(w, a.first().copied(), default)?)
            }
            SetDns => {
                let (host, setting) = match a.len() {
                    2 => (Some(a[0]), a[1]),
                    1 => (None, a[0]),
                    _ => return Err(format!("missing argument; usage: {}", kind.usage())),
                };
                let d = device_arg(w, host, default)?;
                let s = if setting.eq_ignore_ascii_case("auto") {
                    DnsSetting::Auto
                } else {
                    let ips: Result<Vec<Ipv4Addr>, _> =
                        setting.split(',').map(|p| p.trim().parse()).collect();
                    DnsSetting::Static(ips.map_err(|_| {
                        format!(
                            "`{setting}` is not `auto` or a comma-separated list of IPv4 addresses"
                        )
                    })?)
                };
                FixCall::SetDns(d, s)
            }
            RestartService => {
                let (host, svc) = match a.len() {
                    2 => (Some(a[0]), a[1]),
                    1 => (None, a[0]),
                    _ => return Err(format!("missing argument; usage: {}", kind.usage())),
                };
                let d = device_arg(w, host, default)?;
                let dev = &w.devices[d.index()];
                let idx = dev
                    .services
                    .iter()
                    .position(|s| s.name.eq_ignore_ascii_case(svc))
                    .ok_or_else(|| format!("{} has no service `{svc}`", dev.hostname))?;
                FixCall::Service(ServiceRef {
                    device: d,
                    index: idx as u16,
                })
            }
            EndProcess => {
                let (host, p) = match a.len() {
                    2 => (Some(a[0]), a[1]),
                    1 => (None, a[0]),
                    _ => return Err(format!("missing argument; usage: {}", kind.usage())),
                };
                FixCall::EndProcess(device_arg(w, host, default)?, p.to_string())
            }
            ClearQueue | LoadPaper | PrinterOnline => {
                FixCall::Printer(kind, printer_arg(w, need(a, 0, kind)?)?)
            }
            CancelJob => {
                let p = printer_arg(w, need(a, 0, kind)?)?;
                let j = need(a, 1, kind)?;
                let id = j
                    .parse::<u32>()
                    .map_err(|_| format!("`{j}` is not a job number"))?;
                FixCall::CancelJob(p, id)
            }
            UnlockAccount | ResetPassword | ResetMfa | ClearStaleCredential | EnableAccount
            | DisableAccount => FixCall::Account(kind, account_arg(w, need(a, 0, kind)?)?),
            AddLicence | AddGroup | RemoveGroup => FixCall::AccountItem(
                kind,
                account_arg(w, need(a, 0, kind)?)?,
                need(a, 1, kind)?.to_string(),
            ),
            InstallSoftware | RepairSoftware => {
                let (host, p) = match a.len() {
                    2 => (Some(a[0]), a[1]),
                    1 => (None, a[0]),
                    _ => return Err(format!("missing argument; usage: {}", kind.usage())),
                };
                FixCall::Package(kind, device_arg(w, host, default)?, p.to_string())
            }
            ArchiveMailbox | IncreaseQuota => {
                FixCall::Mailbox(kind, mailbox_arg(w, need(a, 0, kind)?)?)
            }
            GrantMailboxAccess => FixCall::GrantMailboxAccess(
                mailbox_arg(w, need(a, 0, kind)?)?,
                account_arg(w, need(a, 1, kind)?)?,
            ),
            Custom(_) => return Err(format!("`{first}` is not a fix here")),
        })
    }

    /// The canonical command line.
    pub fn to_command(&self, w: &World) -> String {
        let host = |d: &DeviceId| w.devices[d.index()].hostname.clone();
        let k = self.kind().command();
        match self {
            FixCall::Custom(c) => c.to_command(w),
            FixCall::Device(_, d) => format!("{k} {}", host(d)),
            FixCall::SetDns(d, s) => {
                let v = match s {
                    DnsSetting::Auto => "auto".to_string(),
                    DnsSetting::Static(ips) => ips
                        .iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                };
                format!("{k} {} {v}", host(d))
            }
            FixCall::Service(r) => {
                format!(
                    "{k} {} {}",
                    host(&r.device),
                    w.devices[r.device.index()].services[r.index as usize].name
                )
            }
            FixCall::EndProcess(d, p) => format!("{k} {} {p}", host(d)),
            FixCall::Printer(_, p) => format!("{k} {}", w.printers[p.index()].id),
            FixCall::CancelJob(p, j) => format!("{k} {} {j}", w.printers[p.index()].id),
            FixCall::Account(_, a) => format!("{k} {}", w.accounts[a.index()].username),
            FixCall::AccountItem(_, a, item) => {
                format!("{k} {} {item}", w.accounts[a.index()].username)
            }
            FixCall::Package(_, d, p) => format!("{k} {} {p}", host(d)),
            FixCall::Mailbox(_, m) => format!("{k} {}", w.mailboxes[m.index()].address),
            FixCall::GrantMailboxAccess(m, a) => {
                format!(
                    "{k} {} {}",
                    w.mailboxes[m.index()].address,
                    w.accounts[a.index()].username
                )
            }
        }
    }

    /// Applies the fix to the world.
    pub fn apply(&self, w: &mut World, ctx: &FixContext) -> FixOutcome {
        let before = w.clone();
        let mut out = self.apply_inner(w, ctx);
        if !out.blocked {
            out.changed = *w != before;
        }
        out
    }

    fn apply_inner(&self, w: &mut World, ctx: &FixContext) -> FixOutcome {
        use FixKind::*;
        match self {
            FixCall::Custom(c) => c.apply(w, ctx),
            FixCall::Device(kind, d) => device_fix(*kind, w, *d),
            FixCall::SetDns(d, s) => {
                let dhcp_dns = super::segments::dhcp_for(w, &w.devices[d.index()]).0.dns;
                let dev = &mut w.devices[d.index()];
                if dev.boot != BootState::Ok {
                    return FixOutcome::blocked(format!("{} is not running.", dev.hostname));
                }
                let Some(nic) = dev.nics.iter_mut().find(|n| n.up()) else {
                    return FixOutcome::blocked("No connected adapter to configure.");
                };
                match s {
                    DnsSetting::Auto => {
                        nic.static_dns = false;
                        nic.dns = if nic.dhcp && !nic.apipa() && nic.ip.is_some() {
                            dhcp_dns
                        } else {
                            vec![]
                        };
                        FixOutcome::ok(
                            true,
                            format!("{}: DNS servers set to obtain automatically.", nic.name),
                        )
                    }
                    DnsSetting::Static(ips) => {
                        nic.static_dns = true;
                        nic.dns = ips.clone();
                        FixOutcome::ok(
                            true,
                            format!("{}: DNS servers set to {}.", nic.name, fmt_ips(ips)),
                        )
                    }
                }
            }
            FixCall::Service(r) => {
                let host = w.devices[r.device.index()].hostname.clone();
                let stuck = w.printers.iter().any(|p| {
                    p.server
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case(&host))
                        && p.stuck_job().is_some()
                });
                let dev = &mut w.devices[r.device.index()];
                let svc = &mut dev.services[r.index as usize];
                if svc.startup == Startup::Disabled {
                    return FixOutcome::blocked(format!(
                        "{}: the service is disabled and cannot be started.",
                        svc.name
                    ));
                }
                let is_spooler = svc.name.eq_ignore_ascii_case("Spooler");
                // A spooler crashes because of a corrupt job; other services crash for reasons
                // the author set up (a broken driver, a missing dependency).
                if (is_spooler && stuck) || (!is_spooler && svc.status == ServiceStatus::Crashing) {
                    svc.status = ServiceStatus::Crashing;
                    return FixOutcome::ok(
                        false,
                        format!(
                            "{} started, then stopped again after a few seconds.",
                            svc.display.as_deref().unwrap_or(&svc.name)
                        ),
                    );
                }
                svc.status = ServiceStatus::Running;
                let msg = format!(
                    "{} on {host} restarted: Running.",
                    svc.display.as_deref().unwrap_or(&svc.name)
                );
                if svc.name.eq_ignore_ascii_case("Dhcp") {
                    renew(w, r.device);
                }
                FixOutcome::ok(true, msg)
            }
            FixCall::EndProcess(d, name) => {
                let dev = &mut w.devices[d.index()];
                let before = dev.processes.len();
                let mal = dev
                    .processes
                    .iter()
                    .any(|p| p.name.eq_ignore_ascii_case(name) && p.malicious);
                if mal {
                    return FixOutcome::ok(
                        false,
                        format!(
                            "{name} restarted itself within seconds (it is being relaunched by something else)."
                        ),
                    );
                }
                dev.processes.retain(|p| !p.name.eq_ignore_ascii_case(name));
                if dev.processes.len() == before {
                    FixOutcome::ok(false, format!("No process called {name} is running."))
                } else {
                    FixOutcome::ok(true, format!("{name} ended."))
                }
            }
            FixCall::Printer(kind, p) => {
                let pr = &mut w.printers[p.index()];
                match kind {
                    ClearQueue => {
                        let n = pr.queue.len();
                        // Jobs that were fine and belonged to neither the caller nor the
                        // owner of the stuck job are collateral damage.
                        let stuck_owner =
                            pr.queue.iter().find(|j| j.stuck).map(|j| j.owner.clone());
                        let others: Vec<String> = pr
                            .queue
                            .iter()
                            .filter(|j| !j.stuck)
                            .filter(|j| Some(&j.owner) != stuck_owner.as_ref())
                            .filter(|j| Some(&j.owner) != ctx.customer.as_ref())
                            .map(|j| j.owner.clone())
                            .collect();
                        pr.queue.clear();
                        let mut o =
                            FixOutcome::ok(true, format!("Deleted {n} job(s) from {}.", pr.name));
                        if !others.is_empty() {
                            o.harm = Some(format!(
                                "deleted {} other people's print job(s) (theirs were fine) — they must print again",
                                others.len()
                            ));
                        }
                        o
                    }
                    LoadPaper => {
                        if pr.paper >= 20 {
                            return FixOutcome::ok(
                                false,
                                format!("{} already has paper ({}%).", pr.name, pr.paper),
                            );
                        }
                        pr.paper = 100;
                        if pr.status == PrinterStatus::PaperJam {
                            FixOutcome::ok(
                                true,
                                "Paper loaded, but the printer still reports a paper jam.",
                            )
                        } else {
                            FixOutcome::ok(true, format!("Paper loaded in {}.", pr.name))
                        }
                    }
                    PrinterOnline => {
                        if pr.status == PrinterStatus::Offline {
                            pr.status = PrinterStatus::Ready;
                            FixOutcome::ok(true, format!("{} is back online.", pr.name))
                        } else {
                            FixOutcome::ok(false, format!("{} was not offline.", pr.name))
                        }
                    }
                    _ => FixOutcome::blocked("not a printer fix"),
                }
            }
            FixCall::CancelJob(p, id) => {
                let pr = &mut w.printers[p.index()];
                let before = pr.queue.len();
                pr.queue.retain(|j| j.id != *id);
                if pr.queue.len() == before {
                    FixOutcome::ok(false, format!("No job {id} in the queue of {}.", pr.name))
                } else {
                    FixOutcome::ok(true, format!("Job {id} cancelled."))
                }
            }
            FixCall::Account(kind, a) => {
                let acc = &mut w.accounts[a.index()];
                match kind {
                    UnlockAccount => {
                        if !acc.locked {
                            return FixOutcome::ok(
                                false,
                                format!("{} is not locked.", acc.username),
                            );
                        }
                        acc.locked = false;
                        acc.failed_logins = 0;
                        FixOutcome::ok(true, format!("{} unlocked.", acc.username))
                    }
                    ResetPassword => {
                        acc.password_expired = false;
                        acc.locked = false;
                        acc.failed_logins = 0;
                        acc.must_change_password = true;
                        let pw = format!("Spring-{:04}-Tide", ctx.password_seed % 10_000);
                        let mut o = FixOutcome::ok(
                            true,
                            format!(
                                "Temporary password for {} set to {pw} (must change at next sign-in). Give it to the verified user only; never write it in the ticket.",
                                acc.username
                            ),
                        );
                        o.temp_password = Some(pw);
                        o
                    }
                    ResetMfa => {
                        acc.mfa_enrolled = false;
                        let user = acc.username.clone();
                        for d in w
                            .devices
                            .iter_mut()
                            .filter(|d| d.owner.as_deref() == Some(user.as_str()))
                        {
                            if let Some(v) = d.vpn.as_mut() {
                                v.mfa_ok = true;
                            }
                        }
                        FixOutcome::ok(
                            true,
                            format!(
                                "MFA registration cleared for {user}; they will re-register at next sign-in."
                            ),
                        )
                    }
                    ClearStaleCredential => {
                        let n = acc.stale_credentials.len();
                        acc.stale_credentials.clear();
                        FixOutcome::ok(
                            n > 0,
                            if n > 0 {
                                format!("The user updated the saved password on {n} device(s).")
                            } else {
                                "No device with an old saved password was found.".to_string()
                            },
                        )
                    }
                    EnableAccount => {
                        acc.disabled = false;
                        FixOutcome::ok(true, format!("{} enabled.", acc.username))
                    }
                    DisableAccount => {
                        acc.disabled = true;
                        let mut o = FixOutcome::ok(true, format!("{} disabled.", acc.username));
                        if !acc.leaver {
                            o.harm = Some(format!(
                                "disabled {}, who still works here, cutting off their access",
                                acc.username
                            ));
                        }
                        o
                    }
                    _ => FixOutcome::blocked("not an account fix"),
                }
            }
            FixCall::AccountItem(kind, a, item) => {
                if !ctx.change_approved {
                    return FixOutcome::blocked(format!(
                        "Refused: {} needs a recorded approval (manager or HR request).",
                        kind.command()
                    ));
                }
                let acc = &mut w.accounts[a.index()];
                let list = match kind {
                    AddLicence => &mut acc.licences,
                    _ => &mut acc.groups,
                };
                match kind {
                    RemoveGroup => list.retain(|g| !g.eq_ignore_ascii_case(item)),
                    _ => {
                        if !list.iter().any(|g| g.eq_ignore_ascii_case(item)) {
                            list.push(item.clone());
                        }
                    }
                }
                FixOutcome::ok(
                    true,
                    format!("{} {item} for {}.", kind.command(), acc.username),
                )
            }
            FixCall::Package(kind, d, name) => {
                let pkg = w
                    .catalogue
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(name))
                    .cloned();
                if *kind == InstallSoftware
                    && let Some(p) = &pkg
                    && let Some(refusal) = missing_right(w, *d, p)
                {
                    return FixOutcome::blocked(refusal);
                }
                let dev = &mut w.devices[d.index()];
                match kind {
                    InstallSoftware => {
                        let Some(pkg) = pkg else {
                            return FixOutcome::blocked(format!(
                                "`{name}` is not in the software catalogue."
                            ));
                        };
                        if !pkg.approved && !ctx.change_approved {
                            return FixOutcome::blocked(format!(
                                "Refused: {} is not on the approved list; installing it needs an approved change request.",
                                pkg.name
                            ));
                        }
                        if dev
                            .installed
                            .iter()
                            .any(|i| i.name.eq_ignore_ascii_case(&pkg.name))
                        {
                            return FixOutcome::ok(
                                false,
                                format!("{} is already installed.", pkg.name),
                            );
                        }
                        dev.installed.push(Installed {
                            name: pkg.name.clone(),
                            version: pkg.version.clone(),
                            healthy: true,
                        });
                        FixOutcome::ok(true, format!("{} installed on {}.", pkg.name, dev.hostname))
                    }
                    _ => match dev
                        .installed
                        .iter_mut()
                        .find(|i| i.name.eq_ignore_ascii_case(name))
                    {
                        Some(i) => {
                            if i.healthy {
                                return FixOutcome::ok(
                                    false,
                                    format!(
                                        "{}: repair found no problems; nothing to repair.",
                                        i.name
                                    ),
                                );
                            }
                            i.healthy = true;
                            FixOutcome::ok(true, format!("{} repaired.", i.name))
                        }
                        None => FixOutcome::ok(
                            false,
                            format!("{name} is not installed on {}.", dev.hostname),
                        ),
                    },
                }
            }
            FixCall::Mailbox(kind, m) => {
                let mb = &mut w.mailboxes[m.index()];
                match kind {
                    ArchiveMailbox => {
                        if !mb.archive {
                            return FixOutcome::blocked(format!(
                                "{} has no online archive enabled.",
                                mb.address
                            ));
                        }
                        let target = (u64::from(mb.quota_mb) * 60 / 100) as u32;
                        if mb.used_mb <= target {
                            return FixOutcome::ok(
                                false,
                                format!(
                                    "Nothing to archive: {} uses {} of {} MB.",
                                    mb.address, mb.used_mb, mb.quota_mb
                                ),
                            );
                        }
                        mb.used_mb = target;
                        FixOutcome::ok(
                            true,
                            format!(
                                "Items older than one year moved to the archive; {} now uses {} MB.",
                                mb.address, mb.used_mb
                            ),
                        )
                    }
                    _ => {
                        if !ctx.change_approved {
                            return FixOutcome::blocked(
                                "Refused: a quota increase needs an approved request.",
                            );
                        }
                        mb.quota_mb = mb.quota_mb.saturating_mul(2);
                        FixOutcome::ok(
                            true,
                            format!("Quota of {} raised to {} MB.", mb.address, mb.quota_mb),
                        )
                    }
                }
            }
            FixCall::GrantMailboxAccess(m, a) => {
                if !ctx.change_approved {
                    return FixOutcome::blocked(
                        "Refused: access to a mailbox needs the mailbox owner's approval.",
                    );
                }
                let user = w.accounts[a.index()].username.clone();
                let mb = &mut w.mailboxes[m.index()];
                if !mb.delegates.contains(&user) {
                    mb.delegates.push(user.clone());
                }
                FixOutcome::ok(
                    true,
                    format!(
                        "{user} now has full access to {} (may take a few minutes to appear).",
                        mb.address
                    ),
                )
            }
        }
    }
}

fn fmt_ips(ips: &[Ipv4Addr]) -> String {
    ips.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renews DHCP leases on every connected DHCP interface of the device.
fn renew(w: &mut World, d: DeviceId) -> Vec<String> {
    let (dhcp, gateway, relay_ok) = super::segments::dhcp_for(w, &w.devices[d.index()]);
    let idx = d.index();
    let dev = &mut w.devices[idx];
    let client_ok = dev
        .services
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case("Dhcp"))
        .is_none_or(|s| s.status == ServiceStatus::Running);
    let remote = dev.location == Location::Remote;
    let mut msgs = vec![];
    for (i, nic) in dev.nics.iter_mut().enumerate() {
        if !nic.up() || !nic.dhcp {
            continue;
        }
        if remote {
            // Home router always leases.
            nic.ip = Some(Ipv4Addr::new(192, 168, 1, 50 + i as u8));
            nic.mask = Some(Ipv4Addr::new(255, 255, 255, 0));
            nic.gateway = Some(Ipv4Addr::new(192, 168, 1, 1));
            if !nic.static_dns {
                nic.dns = vec![Ipv4Addr::new(192, 168, 1, 1)];
            }
            msgs.push(format!("{}: lease renewed from the home router.", nic.name));
            continue;
        }
        if client_ok && relay_ok && dhcp.running && dhcp.free_leases > 0 {
            // A valid lease is renewed with the same address; otherwise a new one is leased.
            let base = u32::from(dhcp.scope_start);
            let keep = nic.ip.filter(|ip| !nic.apipa() && ip.is_private());
            nic.ip = Some(keep.unwrap_or(Ipv4Addr::from(base + idx as u32 * 2 + i as u32)));
            nic.mask = Some(dhcp.mask);
            nic.gateway = Some(gateway);
            // Hand-typed DNS servers survive a renew, as on a real PC.
            if !nic.static_dns {
                nic.dns = dhcp.dns.clone();
            }
            msgs.push(format!(
                "{}: lease renewed, address {}.",
                nic.name,
                nic.ip.map(|i| i.to_string()).unwrap_or_default()
            ));
        } else {
            nic.ip = Some(Ipv4Addr::new(169, 254, 83, (10 + idx * 4 + i) as u8));
            nic.mask = Some(Ipv4Addr::new(255, 255, 0, 0));
            nic.gateway = None;
            if !nic.static_dns {
                nic.dns.clear();
            }
            msgs.push(if client_ok {
                format!(
                    "{}: an error occurred while renewing: unable to contact your DHCP server. Request has timed out.",
                    nic.name
                )
            } else {
                format!(
                    "{}: an error occurred while renewing: the DHCP Client service is not running on this computer.",
                    nic.name
                )
            });
        }
    }
    msgs
}

/// Why the device's owner may not have this package (it is for members of a group they are
/// not in), if so.
fn missing_right(w: &World, d: DeviceId, p: &Package) -> Option<String> {
    let group = p.group.as_deref()?;
    let dev = &w.devices[d.index()];
    let owner = dev
        .owner
        .as_deref()
        .and_then(|o| w.account_index(o))
        .map(|i| &w.accounts[i]);
    let member = owner.is_some_and(|a| a.groups.iter().any(|g| g.eq_ignore_ascii_case(group)));
    (!member).then(|| {
        format!(
            "Refused: {} may only be installed for members of {group}, and {} is not one.",
            p.name,
            owner.map_or(format!("the owner of {}", dev.hostname), |a| a
                .username
                .clone())
        )
    })
}

fn device_fix(kind: FixKind, w: &mut World, d: DeviceId) -> FixOutcome {
    use FixKind::*;
    let i = d.index();
    let host = w.devices[i].hostname.clone();
    if w.devices[i].boot != BootState::Ok
        && !matches!(kind, Reboot | FixDisplay | BackupData | PowerOn)
    {
        return FixOutcome::blocked(format!("{host} is not running."));
    }
    match kind {
        RenewDhcp => {
            if !w.devices[i].nics.iter().any(|n| n.up() && n.dhcp) {
                return FixOutcome::ok(false, "No connected adapter uses DHCP; nothing to renew.");
            }
            let msgs = renew(w, d);
            FixOutcome::ok(true, msgs.join("\n"))
        }
        FlushDns => {
            w.devices[i].dns_cache.clear();
            FixOutcome::ok(true, "Successfully flushed the DNS Resolver Cache.")
        }
        EnableNic => {
            for n in &mut w.devices[i].nics {
                n.enabled = true;
                if n.kind == NicKind::WiFi {
                    n.link = true;
                }
            }
            let msgs = renew(w, d);
            FixOutcome::ok(true, format!("Adapters enabled. {}", msgs.join(" ")))
        }
        ReconnectCable => {
            let mut any = false;
            for n in &mut w.devices[i].nics {
                if n.kind == NicKind::Ethernet && !n.link {
                    n.link = true;
                    any = true;
                }
            }
            let msgs = renew(w, d);
            if any {
                FixOutcome::ok(
                    true,
                    format!(
                        "The user reseated the network cable; link is up. {}",
                        msgs.join(" ")
                    ),
                )
            } else {
                FixOutcome::ok(
                    false,
                    "The user unplugged and replugged the cable; nothing changed.",
                )
            }
        }
        CleanupDisk => {
            let risky = w.devices[i]
                .disks
                .iter()
                .any(|k| k.health == DiskHealth::Failing && !k.backed_up);
            let mut freed = 0;
            for k in &mut w.devices[i].disks {
                freed += k.cache_gb;
                k.free_gb = (k.free_gb + k.cache_gb).min(k.size_gb);
                k.cache_gb = 0;
            }
            let mut o = FixOutcome::ok(true, format!("Disk clean-up freed {freed} GB on {host}."));
            if risky {
                o.harm = Some(
                    "hammered a failing disk with a clean-up before the user's data was backed up"
                        .into(),
                );
            }
            o
        }
        BackupData => {
            let dev = &mut w.devices[i];
            if dev.boot.no_power() {
                return FixOutcome::blocked(format!(
                    "{host} has no power; its data cannot be copied."
                ));
            }
            for k in &mut dev.disks {
                k.backed_up = true;
            }
            FixOutcome::ok(
                true,
                format!("User data on {host} backed up to the file share."),
            )
        }
        Reboot => {
            let dev = &mut w.devices[i];
            if dev.boot.no_power() {
                return FixOutcome::ok(false, format!("{host} does not power on."));
            }
            if let BootState::Fails(m) = &dev.boot {
                return FixOutcome::ok(false, format!("{host} restarted and stopped at: \"{m}\""));
            }
            let server = dev.kind == DeviceKind::Server;
            let malicious = dev.processes.iter().any(|p| p.malicious);
            let stuck = w.printers.iter().any(|p| {
                p.server
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(&host))
                    && p.stuck_job().is_some()
            });
            let dev = &mut w.devices[i];
            dev.dns_cache.clear();
            for s in &mut dev.services {
                let spooler = s.name.eq_ignore_ascii_case("Spooler");
                if s.startup == Startup::Disabled {
                    continue;
                }
                // Same rules as restart_service: a spooler comes back only without a
                // corrupt job in its queues.
                if spooler && stuck && s.status != ServiceStatus::Running {
                    s.status = ServiceStatus::Crashing;
                } else if (s.status == ServiceStatus::Stopped && s.startup == Startup::Automatic)
                    || (spooler && s.status == ServiceStatus::Crashing)
                {
                    s.status = ServiceStatus::Running;
                }
            }
            dev.processes.retain(|p| p.responding || p.malicious);
            for p in &mut dev.processes {
                p.cpu = if p.malicious { p.cpu } else { p.cpu.min(5) };
            }
            renew(w, d);
            let mut o = FixOutcome::ok(true, format!("{host} restarted."));
            if server {
                o.harm = Some(format!(
                    "restarted server {host} during business hours without a change, disrupting everyone on it"
                ));
            }
            if malicious {
                o.harm = Some("rebooted an infected machine instead of isolating it: evidence in memory is lost and the malware ran again at start-up".into());
            }
            o
        }
        RenewVpnCert => {
            let Some(v) = w.devices[i].vpn.as_mut() else {
                return FixOutcome::blocked(format!("{host} has no VPN client."));
            };
            if v.cert_expires_days > 30 {
                return FixOutcome::ok(
                    false,
                    format!(
                        "The certificate on {host} is valid for {} more days; nothing to renew.",
                        v.cert_expires_days
                    ),
                );
            }
            v.cert_expires_days = 365;
            FixOutcome::ok(
                true,
                format!("A new machine certificate was issued to {host}, valid for 365 days."),
            )
        }
        ConnectVpn => {
            let problem = super::net::vpn_problem(w, &w.devices[i]);
            let Some(v) = w.devices[i].vpn.as_mut() else {
                return FixOutcome::blocked(format!("{host} has no VPN client."));
            };
            match problem {
                Some(p) => {
                    v.connected = false;
                    FixOutcome::ok(false, format!("VPN connection failed: {p}."))
                }
                None => {
                    v.connected = true;
                    FixOutcome::ok(true, "VPN connected.")
                }
            }
        }
        IsolateDevice => {
            w.devices[i].isolated = true;
            FixOutcome::ok(
                true,
                format!("{host} isolated from the network by endpoint protection."),
            )
        }
        FixDisplay => {
            let Some(disp) = w.devices[i].display.as_mut() else {
                return FixOutcome::ok(false, format!("{host} has no external monitor."));
            };
            if disp.cable_connected && disp.input_correct {
                return FixOutcome::ok(
                    false,
                    "The cable was already seated and the right input selected; nothing changed.",
                );
            }
            disp.cable_connected = true;
            disp.input_correct = true;
            FixOutcome::ok(
                true,
                "The user reseated the video cable and selected the right input.",
            )
        }
        PowerOn => match w.devices[i].boot {
            BootState::PowerOff => {
                w.devices[i].boot = BootState::Ok;
                FixOutcome::ok(
                    true,
                    format!("The user restored the power at their end; {host} started."),
                )
            }
            BootState::NoPower => FixOutcome::ok(
                false,
                format!(
                    "The user checked the strip, the socket and the charger: power is there, but {host} still shows no sign of life."
                ),
            ),
            _ => FixOutcome::ok(false, format!("{host} already has power.")),
        },
        _ => FixOutcome::blocked("not a device fix"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::condition::printer_printing;
    use crate::world::fixture::office;

    fn fix(w: &mut World, cmd: &str, approved: bool) -> FixOutcome {
        let c = FixCall::parse(cmd, w, Some(DeviceId(0))).unwrap();
        c.apply(
            w,
            &FixContext {
                change_approved: approved,
                password_seed: 42,
                customer: Some("jdoe".into()),
            },
        )
    }

    #[test]
    fn spooler_restart_crashes_again_while_a_job_is_stuck() {
        let mut w = office();
        w.devices[1].services[0].status = ServiceStatus::Stopped;
        w.printers[0].queue[0].stuck = true;
        let o = fix(&mut w, "restart_service PRN-SRV01 Spooler", false);
        assert!(o.message.contains("stopped again"));
        assert!(!printer_printing(&w, &w.printers[0]));
        assert!(fix(&mut w, "cancel_job PRN-2F 7", false).changed);
        assert!(fix(&mut w, "restart_service PRN-SRV01 Spooler", false).changed);
        assert!(printer_printing(&w, &w.printers[0]));
        assert_eq!(
            w.printers[0].queue.len(),
            1,
            "the customer's own job survives"
        );
    }

    #[test]
    fn clearing_the_whole_queue_is_harmful() {
        let mut w = office();
        w.printers[0].queue[0].stuck = true;
        let mut only_mine = w.clone();
        assert!(
            fix(&mut only_mine, "clear_queue PRN-2F", false)
                .harm
                .is_none()
        );
        w.printers[0].queue.push(PrintJob {
            id: 9,
            owner: "bkhan".into(),
            document: "Minutes.docx".into(),
            pages: 2,
            stuck: false,
        });
        let o = fix(&mut w, "clear_queue PRN-2F", false);
        assert!(o.harm.is_some_and(|h| h.contains("1 other")));
    }

    #[test]
    fn renew_dhcp_fails_while_the_client_service_is_stopped() {
        let mut w = office();
        w.devices[0].services[0].status = ServiceStatus::Stopped;
        let o = fix(&mut w, "renew_dhcp", false);
        assert!(o.message.contains("DHCP Client service is not running"));
        assert!(w.devices[0].nics[0].apipa());
        fix(&mut w, "restart_service LT-1 Dhcp", false);
        assert!(!w.devices[0].nics[0].apipa());
    }

    #[test]
    fn wrong_fix_does_not_fix_and_reports_no_change() {
        let mut w = office();
        let o = fix(&mut w, "flush_dns", false);
        assert!(!o.changed, "nothing was cached");
        let o = fix(&mut w, "printer_online PRN-2F", false);
        assert!(!o.changed);
    }

    #[test]
    fn approvals_and_packages() {
        let mut w = office();
        assert!(fix(&mut w, "install_software LT-1 Wireshark", false).blocked);
        assert!(fix(&mut w, "install_software LT-1 7-Zip", false).changed);
        assert!(fix(&mut w, "install_software LT-1 Wireshark", true).changed);
        assert!(fix(&mut w, "increase_quota jdoe@corp", false).blocked);
        assert!(fix(&mut w, "archive_mailbox jdoe@corp", false).changed);
        assert!(w.mailboxes[0].used_mb < w.mailboxes[0].quota_mb);
    }

    #[test]
    fn password_reset_generates_a_temporary_password_and_cleanup_frees_space() {
        let mut w = office();
        w.accounts[0].password_expired = true;
        let o = fix(&mut w, "reset_password jdoe", false);
        assert!(
            o.temp_password
                .as_deref()
                .is_some_and(|p| p.contains("0042"))
        );
        assert!(w.accounts[0].usable() && w.accounts[0].must_change_password);
        fix(&mut w, "cleanup_disk", false);
        assert_eq!(w.devices[0].disks[0].free_gb, 42);
    }

    #[test]
    fn rebooting_a_server_is_harm_and_every_fix_parses() {
        let mut w = office();
        assert!(fix(&mut w, "reboot PRN-SRV01", false).harm.is_some());
        for k in FixKind::ALL {
            assert!(FixKind::from_command(k.command()) == Some(k));
            assert!(!k.usage().is_empty());
        }
        assert!(FixCall::parse("nonsense", &w, None).is_err());
        assert!(FixCall::parse("set_dns LT-1 banana", &w, None).is_err());
    }

    #[test]
    fn issue11_a_right_takes_effect_once_the_owner_joins_the_group() {
        let mut w = office();
        w.catalogue.push(Package {
            name: "Visio".into(),
            version: None,
            approved: true,
            group: Some("Installers".into()),
        });
        let owner = w.devices[0].owner.clone().unwrap();
        let refused = fix(&mut w, "install_software Visio", true);
        assert!(refused.blocked, "{}", refused.message);
        assert!(
            refused.message.contains("members of Installers"),
            "{}",
            refused.message
        );
        fix(&mut w, &format!("add_group {owner} Installers"), true);
        let ok = fix(&mut w, "install_software Visio", true);
        assert!(ok.changed && !ok.blocked, "{}", ok.message);
    }
}
