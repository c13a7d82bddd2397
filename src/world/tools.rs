//! Diagnostic tools: console commands whose output is computed from the world's state.

use super::net::{self, Resolution, Unreachable};
use super::state::*;
use crate::ids::{AccountId, DeviceId, MailboxId, PrinterId};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::net::Ipv4Addr;

/// The kinds of diagnostic tool a scenario can make available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ToolKind {
    Ipconfig,
    Ping,
    Nslookup,
    Account,
    Services,
    EventLog,
    Disk,
    PrintQueue,
    TaskList,
    Mailbox,
    Vpn,
    Software,
    Status,
    HwDiag,
    /// A tool defined by the pack's custom systems (`Custom("erp_user")`).
    Custom(super::custom::Sym),
}

impl ToolKind {
    pub const ALL: [ToolKind; 14] = [
        ToolKind::Ipconfig,
        ToolKind::Ping,
        ToolKind::Nslookup,
        ToolKind::Account,
        ToolKind::Services,
        ToolKind::EventLog,
        ToolKind::Disk,
        ToolKind::PrintQueue,
        ToolKind::TaskList,
        ToolKind::Mailbox,
        ToolKind::Vpn,
        ToolKind::Software,
        ToolKind::Status,
        ToolKind::HwDiag,
    ];

    /// The console command word.
    pub fn command(self) -> &'static str {
        match self {
            ToolKind::Ipconfig => "ipconfig",
            ToolKind::Ping => "ping",
            ToolKind::Nslookup => "nslookup",
            ToolKind::Account => "account",
            ToolKind::Services => "services",
            ToolKind::EventLog => "eventlog",
            ToolKind::Disk => "disk",
            ToolKind::PrintQueue => "printq",
            ToolKind::TaskList => "tasklist",
            ToolKind::Mailbox => "mailbox",
            ToolKind::Vpn => "vpn",
            ToolKind::Software => "software",
            ToolKind::Status => "status",
            ToolKind::HwDiag => "hwdiag",
            ToolKind::Custom(s) => s.as_str(),
        }
    }

    /// Usage line shown by `help` and in errors.
    pub fn usage(self) -> &'static str {
        match self {
            ToolKind::Ipconfig => "ipconfig [HOST] — network adapters, addresses, gateway and DNS",
            ToolKind::Ping => "ping TARGET [HOST] — test reaching a name or address (from HOST)",
            ToolKind::Nslookup => "nslookup NAME [HOST] — ask the DNS server for a name",
            ToolKind::Account => "account USER — directory account: lockout, password, MFA, groups",
            ToolKind::Services => "services [HOST] — services and their status",
            ToolKind::EventLog => "eventlog [HOST] — recent warnings and errors",
            ToolKind::Disk => "disk [HOST] — disk space and SMART health",
            ToolKind::PrintQueue => "printq PRINTER — printer status and queue",
            ToolKind::TaskList => "tasklist [HOST] — running processes",
            ToolKind::Mailbox => "mailbox ADDRESS|USER — quota, usage and delegates",
            ToolKind::Vpn => "vpn [HOST] — VPN client status and certificate",
            ToolKind::Software => "software [HOST] — installed software and the approved catalogue",
            ToolKind::Status => "status — IT service status (DHCP, DNS, gateway, internet, VPN)",
            ToolKind::HwDiag => "hwdiag [HOST] — hardware diagnostics: power, boot, display",
            ToolKind::Custom(_) => "a tool of the pack's systems",
        }
    }

    /// Simulated seconds the tool takes.
    pub fn cost_secs(self) -> u32 {
        match self {
            ToolKind::Ping | ToolKind::Nslookup | ToolKind::Status => 30,
            ToolKind::HwDiag => 120,
            ToolKind::Disk | ToolKind::EventLog => 60,
            _ => 45,
        }
    }

    pub fn from_command(word: &str) -> Option<ToolKind> {
        ToolKind::ALL
            .into_iter()
            .find(|k| k.command().eq_ignore_ascii_case(word))
            .or_else(|| super::custom::Sym::lookup(word).map(ToolKind::Custom))
    }

    /// The kind a command word names in this world: a built-in tool, or a custom tool of
    /// the world's pack (a custom *fix* word is not a tool).
    pub fn from_command_in(word: &str, w: &World) -> Option<ToolKind> {
        match ToolKind::from_command(word)? {
            ToolKind::Custom(s) if w.custom.reg.tool(s).is_none() => None,
            k => Some(k),
        }
    }

    /// Usage line in this world (a custom tool's comes from its definition).
    pub fn usage_in(self, w: &World) -> String {
        match self {
            ToolKind::Custom(s) => w
                .custom
                .reg
                .tool(s)
                .map(|i| w.custom.reg.tools[i].usage.clone())
                .unwrap_or_else(|| s.as_str().to_string()),
            k => k.usage().to_string(),
        }
    }

    /// Simulated seconds in this world.
    pub fn cost_in(self, w: &World) -> u32 {
        match self {
            ToolKind::Custom(s) => w
                .custom
                .reg
                .tool(s)
                .map_or(45, |i| w.custom.reg.tools[i].cost),
            k => k.cost_secs(),
        }
    }
}

/// A name that may or may not exist in the world (typing a wrong name is allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lookup<T> {
    Found(T),
    Missing(String),
}

/// A ping target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    Name(String),
    Ip(Ipv4Addr),
}

/// A parsed diagnostic command with its targets resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToolCall {
    Ipconfig(Lookup<DeviceId>),
    Ping {
        from: Lookup<DeviceId>,
        target: Target,
    },
    Nslookup {
        from: Lookup<DeviceId>,
        name: String,
    },
    Account(Lookup<AccountId>),
    Services(Lookup<DeviceId>),
    EventLog(Lookup<DeviceId>),
    Disk(Lookup<DeviceId>),
    PrintQueue(Lookup<PrinterId>),
    TaskList(Lookup<DeviceId>),
    Mailbox(Lookup<MailboxId>),
    Vpn(Lookup<DeviceId>),
    Software(Lookup<DeviceId>),
    Status,
    HwDiag(Lookup<DeviceId>),
    /// A custom system's tool.
    Custom(super::custom::tool::ToolCall),
}

/// An entity a tool looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Device(DeviceId),
    Account(AccountId),
    Printer(PrinterId),
    Mailbox(MailboxId),
}

fn dev(
    w: &World,
    name: Option<&str>,
    default: Option<DeviceId>,
) -> Result<Lookup<DeviceId>, String> {
    match name {
        Some(n) => Ok(w
            .device_index(n)
            .map(|i| Lookup::Found(DeviceId::from_index(i)))
            .unwrap_or(Lookup::Missing(n.to_string()))),
        None => default
            .map(Lookup::Found)
            .ok_or_else(|| "this command needs a HOST name".to_string()),
    }
}

impl ToolCall {
    /// The entities this call looks at (those found in the inventory).
    pub fn targets(&self) -> Vec<Entity> {
        let d = |l: &Lookup<DeviceId>| match l {
            Lookup::Found(id) => vec![Entity::Device(*id)],
            Lookup::Missing(_) => vec![],
        };
        match self {
            ToolCall::Ipconfig(l)
            | ToolCall::Ping { from: l, .. }
            | ToolCall::Nslookup { from: l, .. }
            | ToolCall::Services(l)
            | ToolCall::EventLog(l)
            | ToolCall::Disk(l)
            | ToolCall::TaskList(l)
            | ToolCall::Vpn(l)
            | ToolCall::Software(l)
            | ToolCall::HwDiag(l) => d(l),
            ToolCall::Account(Lookup::Found(a)) => vec![Entity::Account(*a)],
            ToolCall::PrintQueue(Lookup::Found(p)) => vec![Entity::Printer(*p)],
            ToolCall::Mailbox(Lookup::Found(m)) => vec![Entity::Mailbox(*m)],
            _ => vec![],
        }
    }

    pub fn kind(&self) -> ToolKind {
        match self {
            ToolCall::Ipconfig(_) => ToolKind::Ipconfig,
            ToolCall::Ping { .. } => ToolKind::Ping,
            ToolCall::Nslookup { .. } => ToolKind::Nslookup,
            ToolCall::Account(_) => ToolKind::Account,
            ToolCall::Services(_) => ToolKind::Services,
            ToolCall::EventLog(_) => ToolKind::EventLog,
            ToolCall::Disk(_) => ToolKind::Disk,
            ToolCall::PrintQueue(_) => ToolKind::PrintQueue,
            ToolCall::TaskList(_) => ToolKind::TaskList,
            ToolCall::Mailbox(_) => ToolKind::Mailbox,
            ToolCall::Vpn(_) => ToolKind::Vpn,
            ToolCall::Software(_) => ToolKind::Software,
            ToolCall::Status => ToolKind::Status,
            ToolCall::HwDiag(_) => ToolKind::HwDiag,
            ToolCall::Custom(c) => ToolKind::Custom(c.command),
        }
    }

    /// Parses a console line. `default` is the customer's device.
    pub fn parse(line: &str, w: &World, default: Option<DeviceId>) -> Result<ToolCall, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else {
            return Err("type a command; `help` lists them".into());
        };
        let Some(kind) = ToolKind::from_command_in(first, w) else {
            return Err(format!(
                "`{first}` is not a known command; `help` lists the tools you have"
            ));
        };
        let args = &words[1..];
        if let ToolKind::Custom(sym) = kind {
            return super::custom::tool::parse(w, sym, args).map(ToolCall::Custom);
        }
        let max_args = match kind {
            ToolKind::Ping | ToolKind::Nslookup => 2,
            ToolKind::Status => 0,
            _ => 1,
        };
        if args.len() > max_args {
            return Err(format!("too many arguments; usage: {}", kind.usage()));
        }
        let need = |i: usize| -> Result<&str, String> {
            args.get(i)
                .copied()
                .ok_or_else(|| format!("missing argument; usage: {}", kind.usage()))
        };
        let a0 = args.first().copied();
        Ok(match kind {
            ToolKind::Ipconfig => ToolCall::Ipconfig(dev(w, a0, default)?),
            ToolKind::Ping => {
                let t = need(0)?;
                let target = t
                    .parse::<Ipv4Addr>()
                    .map(Target::Ip)
                    .unwrap_or_else(|_| Target::Name(t.to_string()));
                ToolCall::Ping {
                    from: dev(w, args.get(1).copied(), default)?,
                    target,
                }
            }
            ToolKind::Nslookup => ToolCall::Nslookup {
                from: dev(w, args.get(1).copied(), default)?,
                name: need(0)?.to_string(),
            },
            ToolKind::Account => {
                let n = need(0)?;
                ToolCall::Account(
                    w.account_index(n)
                        .map(|i| Lookup::Found(AccountId::from_index(i)))
                        .unwrap_or(Lookup::Missing(n.into())),
                )
            }
            ToolKind::Services => ToolCall::Services(dev(w, a0, default)?),
            ToolKind::EventLog => ToolCall::EventLog(dev(w, a0, default)?),
            ToolKind::Disk => ToolCall::Disk(dev(w, a0, default)?),
            ToolKind::PrintQueue => {
                let n = need(0)?;
                ToolCall::PrintQueue(
                    w.printer_index(n)
                        .map(|i| Lookup::Found(PrinterId::from_index(i)))
                        .unwrap_or(Lookup::Missing(n.into())),
                )
            }
            ToolKind::TaskList => ToolCall::TaskList(dev(w, a0, default)?),
            ToolKind::Mailbox => {
                let n = need(0)?;
                ToolCall::Mailbox(
                    w.mailbox_index(n)
                        .map(|i| Lookup::Found(MailboxId::from_index(i)))
                        .unwrap_or(Lookup::Missing(n.into())),
                )
            }
            ToolKind::Vpn => ToolCall::Vpn(dev(w, a0, default)?),
            ToolKind::Software => ToolCall::Software(dev(w, a0, default)?),
            ToolKind::Status => ToolCall::Status,
            ToolKind::HwDiag => ToolCall::HwDiag(dev(w, a0, default)?),
            ToolKind::Custom(_) => return Err(format!("`{first}` is not a tool here")),
        })
    }

    /// The canonical command line (re-parses to the same call).
    pub fn to_command(&self, w: &World) -> String {
        let d = |l: &Lookup<DeviceId>| match l {
            Lookup::Found(id) => w.devices[id.index()].hostname.clone(),
            Lookup::Missing(s) => s.clone(),
        };
        let k = self.kind().command();
        match self {
            ToolCall::Ipconfig(x)
            | ToolCall::Services(x)
            | ToolCall::EventLog(x)
            | ToolCall::Disk(x)
            | ToolCall::TaskList(x)
            | ToolCall::Vpn(x)
            | ToolCall::Software(x)
            | ToolCall::HwDiag(x) => format!("{k} {}", d(x)),
            ToolCall::Ping { from, target } => {
                let t = match target {
                    Target::Name(n) => n.clone(),
                    Target::Ip(ip) => ip.to_string(),
                };
                format!("{k} {t} {}", d(from))
            }
            ToolCall::Nslookup { from, name } => format!("{k} {name} {}", d(from)),
            ToolCall::Account(a) => match a {
                Lookup::Found(id) => format!("{k} {}", w.accounts[id.index()].username),
                Lookup::Missing(s) => format!("{k} {s}"),
            },
            ToolCall::PrintQueue(p) => match p {
                Lookup::Found(id) => format!("{k} {}", w.printers[id.index()].id),
                Lookup::Missing(s) => format!("{k} {s}"),
            },
            ToolCall::Mailbox(m) => match m {
                Lookup::Found(id) => format!("{k} {}", w.mailboxes[id.index()].address),
                Lookup::Missing(s) => format!("{k} {s}"),
            },
            ToolCall::Status => k.to_string(),
            ToolCall::Custom(c) => c.to_command(w),
        }
    }

    /// Runs the tool against the world and returns its output.
    pub fn run(&self, w: &World) -> String {
        let device = |l: &Lookup<DeviceId>| -> Result<&Device, String> {
            match l {
                Lookup::Found(id) => {
                    let d = &w.devices[id.index()];
                    if d.boot != BootState::Ok && !matches!(self, ToolCall::HwDiag(_)) {
                        Err(format!(
                            "Could not connect to {}: the device is not running.",
                            d.hostname
                        ))
                    } else {
                        Ok(d)
                    }
                }
                Lookup::Missing(n) => Err(format!(
                    "Could not connect to {n}: no such host in inventory."
                )),
            }
        };
        let out = match self {
            ToolCall::Custom(c) => Ok(c.run(w)),
            ToolCall::Ipconfig(l) => device(l).map(ipconfig),
            ToolCall::Ping { from, target } => device(from).map(|d| ping(w, d, target)),
            ToolCall::Nslookup { from, name } => device(from).map(|d| nslookup(w, d, name)),
            ToolCall::Account(a) => Ok(match a {
                Lookup::Found(id) => account(w, &w.accounts[id.index()]),
                Lookup::Missing(n) => format!("No account matches '{n}' in the directory."),
            }),
            ToolCall::Services(l) => device(l).map(services),
            ToolCall::EventLog(l) => device(l).map(|d| eventlog(w, d)),
            ToolCall::Disk(l) => device(l).map(disk),
            ToolCall::PrintQueue(p) => Ok(match p {
                Lookup::Found(id) => printq(w, &w.printers[id.index()]),
                Lookup::Missing(n) => format!("Printer '{n}' not found on the print servers."),
            }),
            ToolCall::TaskList(l) => device(l).map(tasklist),
            ToolCall::Mailbox(m) => Ok(match m {
                Lookup::Found(id) => mailbox(w, &w.mailboxes[id.index()]),
                Lookup::Missing(n) => format!("No mailbox matches '{n}'."),
            }),
            ToolCall::Vpn(l) => device(l).map(|d| vpn(w, d)),
            ToolCall::Software(l) => device(l).map(|d| software(w, d)),
            ToolCall::Status => Ok(status(w)),
            ToolCall::HwDiag(l) => device(l).map(hwdiag),
        };
        out.unwrap_or_else(|e| e)
    }
}

fn ip_or(v: Option<Ipv4Addr>) -> String {
    v.map(|i| i.to_string()).unwrap_or_default()
}

fn ipconfig(d: &Device) -> String {
    let mut s = format!("Windows IP Configuration — {}\n", d.hostname);
    if d.nics.is_empty() {
        s.push_str("\nNo network adapters found.\n");
    }
    for n in &d.nics {
        let kind = match n.kind {
            NicKind::Ethernet => "Ethernet adapter",
            NicKind::WiFi => "Wireless LAN adapter",
        };
        let _ = writeln!(s, "\n{kind} {}:", n.name);
        if !n.enabled {
            s.push_str("   Media State . . . . . . . . . . . : Adapter disabled\n");
            continue;
        }
        if !n.link {
            s.push_str("   Media State . . . . . . . . . . . : Media disconnected\n");
            continue;
        }
        let _ = writeln!(
            s,
            "   DHCP Enabled. . . . . . . . . . . : {}",
            if n.dhcp { "Yes" } else { "No" }
        );
        if n.apipa() {
            let _ = writeln!(
                s,
                "   Autoconfiguration IPv4 Address. . : {}(Preferred)",
                ip_or(n.ip)
            );
        } else {
            let _ = writeln!(s, "   IPv4 Address. . . . . . . . . . . : {}", ip_or(n.ip));
        }
        let _ = writeln!(
            s,
            "   Subnet Mask . . . . . . . . . . . : {}",
            ip_or(n.mask)
        );
        let _ = writeln!(
            s,
            "   Default Gateway . . . . . . . . . : {}",
            ip_or(n.gateway)
        );
        let dns: Vec<String> = n.dns.iter().map(|i| i.to_string()).collect();
        let _ = writeln!(
            s,
            "   DNS Servers . . . . . . . . . . . : {}",
            dns.join(", ")
        );
    }
    s
}

fn reason(u: &Unreachable, target: &str) -> String {
    match u {
        Unreachable::DeviceDown => "PING: the device is not running.".into(),
        Unreachable::NoLink => "PING: transmit failed. General failure. (no network link)".into(),
        Unreachable::NoAddress => {
            "PING: transmit failed. General failure. (no IPv4 address)".into()
        }
        Unreachable::SelfAssigned | Unreachable::NoRoute => {
            format!("Reply from local host: Destination host {target} unreachable.")
        }
        Unreachable::Isolated => {
            "Request timed out. (the device is isolated from the network)".into()
        }
        Unreachable::NoVpn => "Request timed out. (internal address; is the VPN connected?)".into(),
        Unreachable::TimedOut => "Request timed out.".into(),
    }
}

fn ping(w: &World, d: &Device, target: &Target) -> String {
    let (label, ip) = match target {
        Target::Ip(ip) => (ip.to_string(), *ip),
        Target::Name(n) => match net::resolve(w, d, n, true) {
            Resolution::Found { ip, .. } => (format!("{n} [{ip}]"), ip),
            Resolution::NotFound { .. } | Resolution::NoServer => {
                return format!(
                    "Ping request could not find host {n}. Please check the name and try again."
                );
            }
        },
    };
    let mut s = format!("Pinging {label} with 32 bytes of data:\n");
    match net::reach(w, d, ip) {
        Ok(()) => {
            let (ms, ttl) = if ip.is_private() { (2, 127) } else { (18, 57) };
            for _ in 0..4 {
                let _ = writeln!(s, "Reply from {ip}: bytes=32 time={ms}ms TTL={ttl}");
            }
            let _ = write!(
                s,
                "\nPing statistics for {ip}: Sent = 4, Received = 4, Lost = 0 (0% loss)"
            );
        }
        Err(u) => {
            let r = reason(&u, &ip.to_string());
            for _ in 0..4 {
                let _ = writeln!(s, "{r}");
            }
            let _ = write!(
                s,
                "\nPing statistics for {ip}: Sent = 4, Received = 0, Lost = 4 (100% loss)"
            );
        }
    }
    s
}

fn nslookup(w: &World, d: &Device, name: &str) -> String {
    let nic_dns = net::active_nic(d).and_then(|n| n.dns.first().copied());
    let server_name = |ip: Ipv4Addr| {
        w.network
            .dns_servers
            .iter()
            .find(|s| s.ip == ip)
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| "UnKnown".into())
    };
    match net::resolve(w, d, name, false) {
        Resolution::Found { ip, server, .. } => format!(
            "Server:  {}\nAddress:  {server}\n\nName:    {name}\nAddress:  {ip}",
            server_name(server)
        ),
        Resolution::NotFound { server } => format!(
            "Server:  {}\nAddress:  {server}\n\n*** {} can't find {name}: Non-existent domain",
            server_name(server),
            server_name(server)
        ),
        Resolution::NoServer => match nic_dns {
            Some(ip) => format!(
                "DNS request timed out.\n    timeout was 2 seconds.\nServer:  UnKnown\nAddress:  {ip}\n\n*** Request to UnKnown timed-out"
            ),
            None => "*** Default servers are not available\nServer:  UnKnown\nAddress:  127.0.0.1"
                .into(),
        },
    }
}

fn account(w: &World, a: &Account) -> String {
    let mut s = format!("User: {} ({})\n", a.display_name, a.username);
    if let Some(t) = &a.title {
        let _ = writeln!(s, "Title:            {t}");
    }
    if let Some(t) = &a.department {
        let _ = writeln!(s, "Department:       {t}");
    }
    if let Some(m) = &a.manager {
        let name = w
            .account_index(m)
            .map(|i| w.accounts[i].display_name.clone())
            .unwrap_or(m.clone());
        let _ = writeln!(s, "Manager:          {name}");
    }
    if let Some(p) = &a.phone {
        let _ = writeln!(s, "Phone on file:    {p}");
    }
    if let Some(e) = &a.employee_id {
        let _ = writeln!(s, "Employee ID:      {e}");
    }
    let _ = writeln!(
        s,
        "Account enabled:  {}",
        if a.disabled { "No" } else { "Yes" }
    );
    let _ = writeln!(
        s,
        "Locked out:       {}",
        if a.locked { "Yes" } else { "No" }
    );
    let _ = writeln!(
        s,
        "Password expired: {}",
        if a.password_expired { "Yes" } else { "No" }
    );
    if a.must_change_password {
        s.push_str("Password:         must change at next sign-in\n");
    }
    let _ = writeln!(s, "Failed sign-ins:  {}", a.failed_logins);
    if let Some(src) = &a.lockout_source
        && (a.failed_logins > 0 || a.locked)
    {
        let _ = writeln!(s, "Last bad password source: {src}");
    }
    let _ = writeln!(
        s,
        "MFA registered:   {}",
        if a.mfa_enrolled { "Yes" } else { "No" }
    );
    let _ = writeln!(
        s,
        "Groups:           {}",
        if a.groups.is_empty() {
            "(none)".into()
        } else {
            a.groups.join(", ")
        }
    );
    let _ = writeln!(
        s,
        "Licences:         {}",
        if a.licences.is_empty() {
            "(none)".into()
        } else {
            a.licences.join(", ")
        }
    );
    if a.leaver {
        s.push_str("HR status:        LEFT THE ORGANISATION\n");
    }
    s
}

fn services(d: &Device) -> String {
    let mut s = format!(
        "Services on {}\n{:<14} {:<10} {:<10} {}\n",
        d.hostname, "Name", "Status", "Startup", "Display name"
    );
    for v in &d.services {
        let st = match v.status {
            ServiceStatus::Running => "Running",
            ServiceStatus::Stopped | ServiceStatus::Crashing => "Stopped",
        };
        let su = match v.startup {
            Startup::Automatic => "Automatic",
            Startup::Manual => "Manual",
            Startup::Disabled => "Disabled",
        };
        let _ = writeln!(
            s,
            "{:<14} {:<10} {:<10} {}",
            v.name,
            st,
            su,
            v.display.as_deref().unwrap_or(&v.name)
        );
    }
    s
}

fn eventlog(w: &World, d: &Device) -> String {
    let mut lines: Vec<String> = Vec::new();
    for v in &d.services {
        match v.status {
            ServiceStatus::Stopped if v.startup == Startup::Automatic => lines.push(format!(
                "Error    Service Control Manager  The {} service terminated unexpectedly.",
                v.display.as_deref().unwrap_or(&v.name)
            )),
            ServiceStatus::Crashing => lines.push(format!(
                "Error    Service Control Manager  The {} service terminated unexpectedly. It has done this 3 time(s).",
                v.display.as_deref().unwrap_or(&v.name)
            )),
            _ => {}
        }
    }
    for k in &d.disks {
        match k.health {
            DiskHealth::Healthy => {}
            DiskHealth::Warning => lines.push(format!(
                "Warning  disk                     The device {} has reallocated sectors ({}).",
                k.name, k.reallocated_sectors
            )),
            DiskHealth::Failing => lines.push(format!(
                "Error    disk                     The device {} has a bad block. SMART predicts failure.",
                k.name
            )),
        }
        if k.size_gb > 0 && k.free_gb * 100 / k.size_gb < 5 {
            lines.push(format!(
                "Warning  srv                      The disk {} is at or near capacity.",
                k.name
            ));
        }
    }
    for n in &d.nics {
        if n.up() && n.dhcp && n.apipa() {
            lines.push(format!(
                "Warning  Dhcp-Client              Your computer was not able to renew its address for adapter {} from the DHCP server.",
                n.name
            ));
        }
        if n.enabled && !n.link {
            lines.push(format!(
                "Warning  e1dexpress               Network link is disconnected on {}.",
                n.name
            ));
        }
    }
    for i in &d.installed {
        if !i.healthy {
            lines.push(format!(
                "Error    Application Error        Faulting application name: {}.exe, exception code 0xc0000005.",
                i.name
            ));
        }
    }
    for p in &d.processes {
        if p.malicious {
            lines.push(format!(
                "Error    Defender                 Threat detected: {} — files being encrypted; action blocked partially.",
                p.name
            ));
        }
    }
    if let Some(owner) = d
        .owner
        .as_deref()
        .and_then(|o| w.account_index(o))
        .map(|i| &w.accounts[i])
        && owner.locked
    {
        lines.push(format!(
            "Warning  Security                 Logon failure for {}: account locked out.",
            owner.username
        ));
    }
    for e in &d.events {
        lines.push(format!("{:<11} {:<24} {}", e.level, e.source, e.message));
    }
    if lines.is_empty() {
        format!(
            "No warnings or errors in the last 24 hours on {}.",
            d.hostname
        )
    } else {
        format!(
            "Event log on {} (last 24 hours, newest first):\n{}",
            d.hostname,
            lines.join("\n")
        )
    }
}

fn disk(d: &Device) -> String {
    let mut s = format!("Disks on {}\n", d.hostname);
    for k in &d.disks {
        let pct = (k.free_gb * 100).checked_div(k.size_gb).unwrap_or(0);
        let health = match k.health {
            DiskHealth::Healthy => "OK",
            DiskHealth::Warning => "CAUTION",
            DiskHealth::Failing => "BAD — SMART predicts failure",
        };
        let _ = writeln!(
            s,
            "{}  {} GB free of {} GB ({pct}% free)",
            k.name, k.free_gb, k.size_gb
        );
        if k.cache_gb > 0 {
            let _ = writeln!(s, "    Temporary files and caches: {} GB", k.cache_gb);
        }
        let _ = writeln!(
            s,
            "    SMART status: {health}; reallocated sectors: {}",
            k.reallocated_sectors
        );
        let _ = writeln!(
            s,
            "    Last backup: {}",
            if k.backed_up {
                "today"
            } else {
                "none recorded"
            }
        );
    }
    if d.disks.is_empty() {
        s.push_str("No disks reported.\n");
    }
    s
}

fn printq(w: &World, p: &Printer) -> String {
    let st = match p.status {
        PrinterStatus::Ready => "Ready",
        PrinterStatus::Offline => "Offline",
        PrinterStatus::PaperJam => "Paper jam",
        PrinterStatus::Error => "Error",
    };
    let mut s = format!(
        "{} ({}) — {}\n",
        p.name,
        p.id,
        p.location.as_deref().unwrap_or("location unknown")
    );
    if let Some(srv) = &p.server {
        let running = w
            .device_index(srv)
            .map(|i| &w.devices[i])
            .and_then(|d| {
                d.services
                    .iter()
                    .find(|s| s.name.eq_ignore_ascii_case("Spooler"))
            })
            .map(|s| s.status == ServiceStatus::Running)
            .unwrap_or(false);
        if !running {
            let _ = writeln!(
                s,
                "The print spooler on {srv} is not running: status unavailable."
            );
            return s;
        }
    }
    let _ = writeln!(
        s,
        "Status: {st}   Paper: {}%   Toner: {}%",
        p.paper, p.toner
    );
    if p.queue.is_empty() {
        s.push_str("Queue is empty.\n");
    } else {
        let _ = writeln!(
            s,
            "{:<6} {:<10} {:<28} {:>5}  State",
            "Job", "Owner", "Document", "Pages"
        );
        for (i, j) in p.queue.iter().enumerate() {
            let state = if j.stuck {
                "Error - Printing"
            } else if i == 0 && p.status == PrinterStatus::Ready && p.paper > 0 {
                "Printing"
            } else {
                "Waiting"
            };
            let _ = writeln!(
                s,
                "{:<6} {:<10} {:<28} {:>5}  {state}",
                j.id, j.owner, j.document, j.pages
            );
        }
    }
    s
}

fn tasklist(d: &Device) -> String {
    let mut s = format!(
        "{:<28} {:>5} {:>9}  Status\n",
        "Image name", "CPU%", "Mem (MB)"
    );
    let mut procs: Vec<&Process> = d.processes.iter().collect();
    procs.sort_by(|a, b| b.cpu.cmp(&a.cpu).then(a.name.cmp(&b.name)));
    for p in procs {
        let _ = writeln!(
            s,
            "{:<28} {:>5} {:>9}  {}",
            p.name,
            p.cpu,
            p.memory_mb,
            if p.responding {
                "Running"
            } else {
                "Not responding"
            }
        );
    }
    let total: u32 = d
        .processes
        .iter()
        .map(|p| p.cpu as u32)
        .sum::<u32>()
        .min(100);
    let _ = write!(s, "Total CPU load: {total}%");
    s
}

fn mailbox(w: &World, m: &Mailbox) -> String {
    let pct = (u64::from(m.used_mb) * 100)
        .checked_div(u64::from(m.quota_mb))
        .unwrap_or(100);
    let mut s = format!(
        "Mailbox: {}{}\n",
        m.address,
        if m.shared { " (shared)" } else { "" }
    );
    if let Some(o) = &m.owner {
        let name = w
            .account_index(o)
            .map(|i| w.accounts[i].display_name.clone())
            .unwrap_or_else(|| o.clone());
        let _ = writeln!(s, "Owner: {name} ({o})");
    }
    let _ = writeln!(s, "Used: {} MB of {} MB ({pct}%)", m.used_mb, m.quota_mb);
    if m.used_mb >= m.quota_mb {
        s.push_str("State: OVER QUOTA — sending and receiving are blocked\n");
    } else if pct >= 90 {
        s.push_str("State: warning — nearly full\n");
    } else {
        s.push_str("State: OK\n");
    }
    let _ = writeln!(
        s,
        "Online archive: {}",
        if m.archive { "enabled" } else { "not enabled" }
    );
    let _ = writeln!(
        s,
        "Full access: {}",
        if m.delegates.is_empty() {
            "(owner only)".into()
        } else {
            m.delegates.join(", ")
        }
    );
    s
}

fn vpn(w: &World, d: &Device) -> String {
    let Some(v) = &d.vpn else {
        return format!("No VPN client is installed on {}.", d.hostname);
    };
    let mut s = format!("VPN client on {}\n", d.hostname);
    let _ = writeln!(
        s,
        "State: {}",
        if v.connected && w.network.vpn_up {
            "Connected"
        } else {
            "Disconnected"
        }
    );
    if v.cert_expires_days < 0 {
        let _ = writeln!(
            s,
            "Machine certificate: EXPIRED {} day(s) ago",
            -v.cert_expires_days
        );
    } else {
        let _ = writeln!(
            s,
            "Machine certificate: valid, expires in {} day(s)",
            v.cert_expires_days
        );
    }
    if !v.connected
        && let Some(p) = net::vpn_problem(w, d)
    {
        let _ = writeln!(s, "Last connection attempt failed: {p}");
    }
    s
}

fn software(w: &World, d: &Device) -> String {
    let mut s = format!("Installed on {}:\n", d.hostname);
    for i in &d.installed {
        let _ = writeln!(
            s,
            "  {:<30} {:<10} {}",
            i.name,
            i.version.as_deref().unwrap_or(""),
            if i.healthy {
                ""
            } else {
                "(last launch crashed)"
            }
        );
    }
    s.push_str("Software catalogue:\n");
    for p in &w.catalogue {
        let _ = writeln!(
            s,
            "  {:<30} {:<10} {}",
            p.name,
            p.version.as_deref().unwrap_or(""),
            if p.approved {
                "approved — self-service install"
            } else {
                "NOT approved — needs a change request"
            }
        );
    }
    s
}

fn status(w: &World) -> String {
    let n = &w.network;
    let ok = |b: bool| if b { "Operational" } else { "OUTAGE" };
    let mut s = String::from("IT service status\n");
    let _ = writeln!(
        s,
        "  DHCP (office)      {}{}",
        ok(n.dhcp.running && n.dhcp.free_leases > 0),
        if n.dhcp.running && n.dhcp.free_leases == 0 {
            " — scope exhausted, 0 free leases"
        } else {
            ""
        }
    );
    for d in &n.dns_servers {
        if d.internal {
            let _ = writeln!(
                s,
                "  DNS {:<14} {}",
                d.name.clone().unwrap_or(d.ip.to_string()),
                ok(d.up)
            );
        }
    }
    for g in &n.segments {
        let _ = writeln!(
            s,
            "  DHCP {:<13} {}",
            g.name,
            ok(g.dhcp.running && g.dhcp.free_leases > 0)
        );
    }
    for i in &n.infrastructure {
        let _ = writeln!(s, "  {:<18} {}", i.name, ok(i.up));
    }
    let _ = writeln!(s, "  Office gateway     {}", ok(n.gateway_up));
    let _ = writeln!(s, "  Internet link      {}", ok(n.internet_up));
    let _ = writeln!(s, "  Remote access VPN  {}", ok(n.vpn_up));
    for h in n.hosts.iter().filter(|h| !h.external) {
        let _ = writeln!(s, "  {:<18} {}", h.name, ok(h.up));
    }
    for c in &n.certificates {
        if c.expires_days < 0 {
            let _ = writeln!(
                s,
                "  Certificate {} EXPIRED {} day(s) ago",
                c.name, -c.expires_days
            );
        }
    }
    s
}

fn hwdiag(d: &Device) -> String {
    let mut s = format!("Hardware diagnostics for {}\n", d.hostname);
    match &d.boot {
        BootState::Ok => s.push_str("Power: OK   Boot: OK\n"),
        BootState::NoPower | BootState::PowerOff => s.push_str(match d.kind {
            DeviceKind::Laptop => "Power: NO POWER — no lights, no fan (check the charger and battery)\n",
            _ => "Power: NO POWER — no lights, no fan (check the power cable, socket and power strip)\n",
        }),
        BootState::Fails(m) => {
            let _ = writeln!(s, "Power: OK   Boot: FAILS — \"{m}\"");
        }
    }
    if let Some(disp) = &d.display {
        let _ = writeln!(
            s,
            "Monitor: {}; cable: {}; input source: {}",
            if disp.powered { "powered" } else { "no power" },
            if disp.cable_connected {
                "connected"
            } else {
                "NOT DETECTED"
            },
            if disp.input_correct {
                "correct"
            } else {
                "wrong input selected (no signal)"
            }
        );
    }
    if !d.boot.no_power() {
        for k in &d.disks {
            let _ = writeln!(s, "Disk {}: SMART {:?}", k.name, k.health);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::change::Change;
    use crate::world::fixture::office;

    fn run(w: &World, cmd: &str) -> String {
        ToolCall::parse(cmd, w, Some(DeviceId(0))).unwrap().run(w)
    }

    #[test]
    fn healthy_office_resolves_and_pings() {
        let w = office();
        assert!(run(&w, "nslookup intranet.corp").contains("10.0.1.5"));
        assert!(run(&w, "ping intranet.corp").contains("Received = 4"));
        assert!(run(&w, "ping example.com").contains("Received = 4"));
    }

    #[test]
    fn public_dns_server_cannot_resolve_internal_names() {
        let mut w = office();
        Change::Nic {
            device: "LT-1".into(),
            nic: "Ethernet".into(),
            link: None,
            enabled: None,
            dhcp: Some(false),
            ip: None,
            mask: None,
            gateway: None,
            dns: Some(vec!["8.8.8.8".parse().unwrap()]),
        }
        .apply(&mut w)
        .unwrap();
        assert!(run(&w, "nslookup intranet.corp").contains("Non-existent domain"));
        assert!(run(&w, "ping example.com").contains("Received = 4"));
        assert!(run(&w, "ipconfig").contains("8.8.8.8"));
    }

    #[test]
    fn apipa_shows_in_ipconfig_and_ping_fails() {
        let mut w = office();
        Change::Apipa {
            device: "LT-1".into(),
            nic: "Ethernet".into(),
        }
        .apply(&mut w)
        .unwrap();
        assert!(run(&w, "ipconfig").contains("Autoconfiguration IPv4 Address"));
        assert!(run(&w, "ping 10.0.1.5").contains("unreachable"));
        assert!(run(&w, "eventlog").contains("not able to renew"));
    }

    #[test]
    fn unplugged_cable_is_media_disconnected() {
        let mut w = office();
        w.devices[0].nics[0].link = false;
        assert!(run(&w, "ipconfig").contains("Media disconnected"));
        assert!(run(&w, "ping 10.0.1.5").contains("General failure"));
    }

    #[test]
    fn every_tool_gives_output_and_unknown_names_are_reported() {
        let w = office();
        for cmd in [
            "ipconfig",
            "account jdoe",
            "services",
            "eventlog",
            "disk",
            "printq PRN-2F",
            "tasklist",
            "mailbox jdoe@corp",
            "vpn",
            "software",
            "status",
            "hwdiag",
        ] {
            assert!(!run(&w, cmd).is_empty(), "{cmd}");
        }
        assert!(run(&w, "account nobody").contains("No account"));
        assert!(run(&w, "ipconfig NOPE").contains("no such host"));
        assert!(ToolCall::parse("pingg x", &w, None).is_err());
        assert!(ToolCall::parse("ping", &w, None).is_err());
        assert!(run(&w, "mailbox jdoe@corp").contains("OVER QUOTA"));
        assert!(run(&w, "software").contains("NOT approved"));
    }

    #[test]
    fn canonical_commands_round_trip() {
        let w = office();
        for cmd in [
            "ipconfig LT-1",
            "ping intranet.corp LT-1",
            "account jdoe",
            "printq PRN-2F",
            "status",
        ] {
            let c = ToolCall::parse(cmd, &w, Some(DeviceId(0))).unwrap();
            assert_eq!(ToolCall::parse(&c.to_command(&w), &w, None).unwrap(), c);
        }
    }
}
