//! The typed state of the simulated IT environment.
//!
//! These types are both the authoring format (a scenario's `world:` block) and the runtime
//! state a session mutates. Faults are changes to this state ([`super::change`]); tools read
//! it ([`super::tools`]); fixes change it ([`super::fixes`]).

use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

fn yes() -> bool {
    true
}

/// The whole simulated environment of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct World {
    #[serde(default)]
    pub devices: Vec<Device>,
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub network: Network,
    #[serde(default)]
    pub printers: Vec<Printer>,
    #[serde(default)]
    pub mailboxes: Vec<Mailbox>,
    /// The organisation's software catalogue (approved and not approved packages).
    #[serde(default)]
    pub catalogue: Vec<Package>,
    /// Instances of the pack's custom systems (`systems/*.ron`), as written.
    #[serde(default)]
    pub systems: Vec<super::custom::def::InstanceDef>,
    /// The custom systems compiled: the pack's registry and each instance's typed state.
    #[serde(skip)]
    pub custom: super::custom::Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DeviceKind {
    #[default]
    Laptop,
    Desktop,
    Server,
    Phone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Location {
    /// On the corporate LAN, behind the office gateway.
    #[default]
    Office,
    /// At home or travelling: internal hosts only over the VPN.
    Remote,
}

/// A computer or phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub hostname: String,
    #[serde(default)]
    pub kind: DeviceKind,
    #[serde(default = "default_os")]
    pub os: String,
    /// Username of the device's owner.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub location: Location,
    #[serde(default)]
    pub nics: Vec<Nic>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub processes: Vec<Process>,
    #[serde(default)]
    pub disks: Vec<Disk>,
    #[serde(default)]
    pub installed: Vec<Installed>,
    /// Ids of printers mapped on this device.
    #[serde(default)]
    pub printers: Vec<String>,
    #[serde(default)]
    pub boot: BootState,
    #[serde(default)]
    pub display: Option<Display>,
    #[serde(default)]
    pub vpn: Option<VpnClient>,
    /// Name → address entries in the local DNS cache (used by `ping`, not `nslookup`).
    #[serde(default)]
    pub dns_cache: Vec<DnsRecord>,
    /// Cut off from the network by the help desk (containment).
    #[serde(default)]
    pub isolated: bool,
    /// The network segment its port is in (`Network.segments`); none: the flat network.
    #[serde(default)]
    pub segment: Option<String>,
    /// Extra event-log lines the author wants to show.
    #[serde(default)]
    pub events: Vec<LogEntry>,
}

fn default_os() -> String {
    "Windows 11 Enterprise".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum NicKind {
    #[default]
    Ethernet,
    WiFi,
}

/// A network interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nic {
    pub name: String,
    #[serde(default)]
    pub kind: NicKind,
    /// Cable plugged in / associated with a Wi-Fi network.
    #[serde(default = "yes")]
    pub link: bool,
    /// Adapter enabled (Wi-Fi switched on).
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default = "yes")]
    pub dhcp: bool,
    #[serde(default)]
    pub ip: Option<Ipv4Addr>,
    #[serde(default)]
    pub mask: Option<Ipv4Addr>,
    #[serde(default)]
    pub gateway: Option<Ipv4Addr>,
    #[serde(default)]
    pub dns: Vec<Ipv4Addr>,
    /// DNS servers were typed in by hand: a DHCP renew keeps them.
    #[serde(default)]
    pub static_dns: bool,
    #[serde(default)]
    pub mac: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ServiceStatus {
    #[default]
    Running,
    Stopped,
    /// Crashes shortly after every start until its cause is fixed.
    Crashing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Startup {
    #[default]
    Automatic,
    Manual,
    Disabled,
}

/// A background service (Print Spooler, DHCP Client, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Short name used in commands (`Spooler`).
    pub name: String,
    #[serde(default)]
    pub display: Option<String>,
    #[serde(default)]
    pub status: ServiceStatus,
    #[serde(default)]
    pub startup: Startup,
}

/// A running process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Process {
    pub name: String,
    #[serde(default)]
    pub cpu: u8,
    #[serde(default)]
    pub memory_mb: u32,
    #[serde(default = "yes")]
    pub responding: bool,
    /// Flagged by endpoint protection (ransomware, miner...).
    #[serde(default)]
    pub malicious: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DiskHealth {
    #[default]
    Healthy,
    /// SMART warnings: reallocated sectors rising.
    Warning,
    /// SMART predicts failure.
    Failing,
}

/// A disk volume with SMART health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disk {
    pub name: String,
    pub size_gb: u32,
    pub free_gb: u32,
    /// Space held by temporary files and caches that a clean-up reclaims.
    #[serde(default)]
    pub cache_gb: u32,
    #[serde(default)]
    pub health: DiskHealth,
    #[serde(default)]
    pub reallocated_sectors: u32,
    /// User data has been backed up (matters before a disk is replaced).
    #[serde(default)]
    pub backed_up: bool,
}

/// A package installed on a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Installed {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    /// False when the installation is corrupt and the application crashes.
    #[serde(default = "yes")]
    pub healthy: bool,
}

/// Whether a device starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum BootState {
    #[default]
    Ok,
    /// Does not power on at all (a failed power supply or battery).
    NoPower,
    /// Gets no power because it is switched off at the user's end (a power strip's switch,
    /// the wall socket): looks exactly like `NoPower` from afar, but the user can switch it
    /// on (`power_on`).
    PowerOff,
    /// Powers on but fails to start, with the message the user sees.
    Fails(String),
}

/// The external monitor of a desktop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Display {
    #[serde(default = "yes")]
    pub powered: bool,
    #[serde(default = "yes")]
    pub cable_connected: bool,
    #[serde(default = "yes")]
    pub input_correct: bool,
}

/// The VPN client on a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpnClient {
    #[serde(default)]
    pub connected: bool,
    /// Days until the machine certificate expires (negative: expired).
    #[serde(default = "default_cert_days")]
    pub cert_expires_days: i32,
    /// The user's MFA prompt works (authenticator registered to a working phone).
    #[serde(default = "yes")]
    pub mfa_ok: bool,
}

fn default_cert_days() -> i32 {
    300
}

/// One author-provided event log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    #[serde(default = "info")]
    pub level: String,
    pub source: String,
    pub message: String,
}

fn info() -> String {
    "Information".into()
}

/// A directory (Active Directory / Entra ID) account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    /// Phone number on file, used for call-back verification.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub manager: Option<String>,
    #[serde(default)]
    pub employee_id: Option<String>,
    #[serde(default)]
    pub locked: bool,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub password_expired: bool,
    #[serde(default)]
    pub failed_logins: u32,
    /// Where the failed sign-ins that locked the account came from.
    #[serde(default)]
    pub lockout_source: Option<String>,
    /// Devices still signing in with an old password (they re-lock the account).
    #[serde(default)]
    pub stale_credentials: Vec<String>,
    #[serde(default = "yes")]
    pub mfa_enrolled: bool,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub licences: Vec<String>,
    /// Must change the password at next sign-in.
    #[serde(default)]
    pub must_change_password: bool,
    /// Has left the organisation (HR record).
    #[serde(default)]
    pub leaver: bool,
}

/// Corporate network services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    #[serde(default)]
    pub dhcp: Dhcp,
    #[serde(default)]
    pub dns_servers: Vec<DnsServer>,
    /// Hosts with their DNS names (internal sites, servers, public sites).
    #[serde(default)]
    pub hosts: Vec<Host>,
    #[serde(default = "default_gateway")]
    pub gateway: Ipv4Addr,
    #[serde(default = "yes")]
    pub gateway_up: bool,
    #[serde(default = "yes")]
    pub internet_up: bool,
    #[serde(default = "yes")]
    pub vpn_up: bool,
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// Subnets with their own gateway and DHCP scope (none: one flat network).
    #[serde(default)]
    pub segments: Vec<super::segments::Segment>,
    /// Switches, routers and firewalls the segments sit behind.
    #[serde(default)]
    pub infrastructure: Vec<super::segments::Infra>,
}

fn default_gateway() -> Ipv4Addr {
    Ipv4Addr::new(10, 0, 0, 1)
}

impl Default for Network {
    fn default() -> Self {
        Self {
            dhcp: Dhcp::default(),
            dns_servers: vec![],
            hosts: vec![],
            gateway: default_gateway(),
            gateway_up: true,
            internet_up: true,
            vpn_up: true,
            certificates: vec![],
            segments: vec![],
            infrastructure: vec![],
        }
    }
}

/// The office DHCP scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dhcp {
    #[serde(default = "yes")]
    pub running: bool,
    #[serde(default = "default_scope_start")]
    pub scope_start: Ipv4Addr,
    #[serde(default = "default_free")]
    pub free_leases: u32,
    #[serde(default = "default_mask")]
    pub mask: Ipv4Addr,
    /// DNS servers handed out with leases.
    #[serde(default = "default_dns")]
    pub dns: Vec<Ipv4Addr>,
}

fn default_scope_start() -> Ipv4Addr {
    Ipv4Addr::new(10, 0, 0, 100)
}
fn default_free() -> u32 {
    50
}
fn default_mask() -> Ipv4Addr {
    Ipv4Addr::new(255, 255, 255, 0)
}
fn default_dns() -> Vec<Ipv4Addr> {
    vec![Ipv4Addr::new(10, 0, 0, 10)]
}

impl Default for Dhcp {
    fn default() -> Self {
        Self {
            running: true,
            scope_start: default_scope_start(),
            free_leases: default_free(),
            mask: default_mask(),
            dns: default_dns(),
        }
    }
}

/// A DNS resolver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsServer {
    pub ip: Ipv4Addr,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "yes")]
    pub up: bool,
    /// Knows the internal zone (e.g. `corp`); public resolvers do not.
    #[serde(default = "yes")]
    pub internal: bool,
}

/// A named host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub name: String,
    pub ip: Ipv4Addr,
    /// What DNS answers for this name, when it differs from the real address (stale record).
    #[serde(default)]
    pub dns_ip: Option<Ipv4Addr>,
    #[serde(default = "yes")]
    pub up: bool,
    /// On the public internet rather than the corporate network.
    #[serde(default)]
    pub external: bool,
}

/// A DNS name → address pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsRecord {
    pub name: String,
    pub ip: Ipv4Addr,
}

/// A TLS or machine certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub name: String,
    pub expires_days: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PrinterStatus {
    #[default]
    Ready,
    Offline,
    PaperJam,
    Error,
}

/// A network printer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Printer {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub location: Option<String>,
    /// Hostname of the device whose `Spooler` service serves this printer.
    #[serde(default)]
    pub server: Option<String>,
    #[serde(default)]
    pub status: PrinterStatus,
    /// Paper level in percent.
    #[serde(default = "hundred")]
    pub paper: u8,
    /// Toner level in percent.
    #[serde(default = "hundred")]
    pub toner: u8,
    #[serde(default)]
    pub queue: Vec<PrintJob>,
}

fn hundred() -> u8 {
    100
}

/// A job in a print queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintJob {
    pub id: u32,
    pub owner: String,
    pub document: String,
    #[serde(default = "one")]
    pub pages: u32,
    /// A corrupt job that blocks everything behind it.
    #[serde(default)]
    pub stuck: bool,
}

fn one() -> u32 {
    1
}

/// A mailbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mailbox {
    pub address: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub shared: bool,
    pub quota_mb: u32,
    pub used_mb: u32,
    /// Usernames with full access.
    #[serde(default)]
    pub delegates: Vec<String>,
    /// An online archive is enabled (old mail can be moved out of the quota).
    #[serde(default)]
    pub archive: bool,
}

/// A package in the software catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    /// On the approved list (installable by the help desk without a change).
    #[serde(default)]
    pub approved: bool,
    /// Installable only for members of this directory group (the device owner's account):
    /// a right that takes effect once the owner is added to the group.
    #[serde(default)]
    pub group: Option<String>,
}

impl Nic {
    /// True when the adapter can carry traffic.
    pub fn up(&self) -> bool {
        self.enabled && self.link
    }
    /// True when the address is a self-assigned APIPA address (169.254/16).
    pub fn apipa(&self) -> bool {
        self.ip
            .is_some_and(|ip| ip.octets()[0] == 169 && ip.octets()[1] == 254)
    }
}

impl BootState {
    /// No power reaches the device (failed, or switched off at the user's end).
    pub fn no_power(&self) -> bool {
        matches!(self, BootState::NoPower | BootState::PowerOff)
    }
}

impl Account {
    /// Can sign in right now.
    pub fn usable(&self) -> bool {
        !self.locked && !self.disabled && !self.password_expired
    }
}

impl Printer {
    /// The first stuck job, if any.
    pub fn stuck_job(&self) -> Option<&PrintJob> {
        self.queue.iter().find(|j| j.stuck)
    }
}

impl World {
    pub fn device_index(&self, hostname: &str) -> Option<usize> {
        self.devices
            .iter()
            .position(|d| d.hostname.eq_ignore_ascii_case(hostname))
    }
    pub fn account_index(&self, username: &str) -> Option<usize> {
        self.accounts
            .iter()
            .position(|a| a.username.eq_ignore_ascii_case(username))
    }
    pub fn printer_index(&self, id: &str) -> Option<usize> {
        self.printers
            .iter()
            .position(|p| p.id.eq_ignore_ascii_case(id))
    }
    pub fn mailbox_index(&self, address: &str) -> Option<usize> {
        let exact = |m: &Mailbox| m.address.eq_ignore_ascii_case(address);
        let local = |m: &Mailbox| {
            m.address
                .split('@')
                .next()
                .is_some_and(|l| l.eq_ignore_ascii_case(address))
        };
        let owner = |m: &Mailbox| {
            !m.shared
                && m.owner
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(address))
        };
        self.mailboxes
            .iter()
            .position(exact)
            .or_else(|| self.mailboxes.iter().position(local))
            .or_else(|| self.mailboxes.iter().position(owner))
    }
    pub fn host_index(&self, name: &str) -> Option<usize> {
        self.network
            .hosts
            .iter()
            .position(|h| h.name.eq_ignore_ascii_case(name))
    }
}
