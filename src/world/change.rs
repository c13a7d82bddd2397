//! Faults: named changes to the world's state, applied by variants at load time.

use super::state::*;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// One change to the world. Variants list these to set up their fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Change {
    /// Changes fields of a network interface.
    Nic {
        device: String,
        nic: String,
        #[serde(default)]
        link: Option<bool>,
        #[serde(default)]
        enabled: Option<bool>,
        #[serde(default)]
        dhcp: Option<bool>,
        #[serde(default)]
        ip: Option<Ipv4Addr>,
        #[serde(default)]
        mask: Option<Ipv4Addr>,
        #[serde(default)]
        gateway: Option<Ipv4Addr>,
        #[serde(default)]
        dns: Option<Vec<Ipv4Addr>>,
    },
    /// The interface failed to get a DHCP lease and self-assigned 169.254.x.x.
    Apipa { device: String, nic: String },
    /// Sets a service's status and/or startup type.
    Service {
        device: String,
        service: String,
        #[serde(default)]
        status: Option<ServiceStatus>,
        #[serde(default)]
        startup: Option<Startup>,
    },
    /// Adds (or replaces, by name) a running process.
    Process { device: String, process: Process },
    /// Changes a disk.
    Disk {
        device: String,
        disk: String,
        #[serde(default)]
        free_gb: Option<u32>,
        #[serde(default)]
        cache_gb: Option<u32>,
        #[serde(default)]
        health: Option<DiskHealth>,
        #[serde(default)]
        reallocated_sectors: Option<u32>,
    },
    /// Sets whether the device boots.
    Boot { device: String, state: BootState },
    /// Changes the external monitor.
    Display {
        device: String,
        #[serde(default)]
        powered: Option<bool>,
        #[serde(default)]
        cable_connected: Option<bool>,
        #[serde(default)]
        input_correct: Option<bool>,
    },
    /// Marks an installed package healthy or corrupt, or removes it.
    Installed {
        device: String,
        package: String,
        #[serde(default)]
        healthy: Option<bool>,
        #[serde(default)]
        present: Option<bool>,
    },
    /// Puts a (stale) entry in the device's DNS cache.
    DnsCache {
        device: String,
        name: String,
        ip: Ipv4Addr,
    },
    /// Changes the VPN client.
    Vpn {
        device: String,
        #[serde(default)]
        connected: Option<bool>,
        #[serde(default)]
        cert_expires_days: Option<i32>,
        #[serde(default)]
        mfa_ok: Option<bool>,
    },
    /// Adds an event-log line to a device.
    Event { device: String, entry: LogEntry },
    /// Edits a custom system instance (`System(system: "finance-erp", edit: SetField(...))`).
    System {
        system: String,
        edit: super::custom::def::EditDef,
    },
    /// Changes a directory account.
    Account {
        account: String,
        #[serde(default)]
        locked: Option<bool>,
        #[serde(default)]
        disabled: Option<bool>,
        #[serde(default)]
        password_expired: Option<bool>,
        #[serde(default)]
        failed_logins: Option<u32>,
        #[serde(default)]
        lockout_source: Option<String>,
        #[serde(default)]
        stale_credentials: Option<Vec<String>>,
        #[serde(default)]
        mfa_enrolled: Option<bool>,
        #[serde(default)]
        leaver: Option<bool>,
    },
    /// Adds and removes group memberships and licences.
    Membership {
        account: String,
        #[serde(default)]
        add_groups: Vec<String>,
        #[serde(default)]
        remove_groups: Vec<String>,
        #[serde(default)]
        add_licences: Vec<String>,
        #[serde(default)]
        remove_licences: Vec<String>,
    },
    /// Changes the DHCP service.
    Dhcp {
        #[serde(default)]
        running: Option<bool>,
        #[serde(default)]
        free_leases: Option<u32>,
    },
    /// Takes a DNS server up or down.
    DnsServer { ip: Ipv4Addr, up: bool },
    /// Makes DNS answer a different (stale) address for a host.
    DnsRecord { name: String, ip: Ipv4Addr },
    /// Takes a host up or down.
    Host { name: String, up: bool },
    /// Takes a switch, router or firewall (`Network.infrastructure`) up or down.
    Infra { name: String, up: bool },
    /// Changes a segment's DHCP scope (its DNS option, whether it runs, free leases).
    Scope {
        segment: String,
        #[serde(default)]
        dns: Option<Vec<Ipv4Addr>>,
        #[serde(default)]
        running: Option<bool>,
        #[serde(default)]
        free_leases: Option<u32>,
    },
    /// Takes the office gateway up or down.
    Gateway { up: bool },
    /// Takes the internet link up or down.
    Internet { up: bool },
    /// Takes the VPN concentrator up or down.
    VpnService { up: bool },
    /// Sets a certificate's remaining validity.
    Certificate { name: String, expires_days: i32 },
    /// Changes a printer.
    Printer {
        printer: String,
        #[serde(default)]
        status: Option<PrinterStatus>,
        #[serde(default)]
        paper: Option<u8>,
        #[serde(default)]
        toner: Option<u8>,
    },
    /// Adds a job to a printer's queue.
    PrintJob { printer: String, job: PrintJob },
    /// Changes a mailbox's usage or quota.
    Mailbox {
        mailbox: String,
        #[serde(default)]
        used_mb: Option<u32>,
        #[serde(default)]
        quota_mb: Option<u32>,
        #[serde(default)]
        archive: Option<bool>,
        #[serde(default)]
        shared: Option<bool>,
        /// Replaces the usernames with full access.
        #[serde(default)]
        delegates: Option<Vec<String>>,
    },
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none are defined".into()
    } else {
        v.join(", ")
    }
}

fn device<'a>(w: &'a mut World, name: &str) -> Result<&'a mut Device, String> {
    match w.device_index(name) {
        Some(i) => Ok(&mut w.devices[i]),
        None => Err(format!(
            "no device `{name}` in the world; expected one of: {}",
            names(w.devices.iter().map(|d| d.hostname.as_str()))
        )),
    }
}

fn nic<'a>(d: &'a mut Device, name: &str) -> Result<&'a mut Nic, String> {
    let host = d.hostname.clone();
    let list = names(d.nics.iter().map(|n| n.name.as_str()));
    d.nics
        .iter_mut()
        .find(|n| n.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            format!("device `{host}` has no network interface `{name}`; expected one of: {list}")
        })
}

fn account<'a>(w: &'a mut World, name: &str) -> Result<&'a mut Account, String> {
    match w.account_index(name) {
        Some(i) => Ok(&mut w.accounts[i]),
        None => Err(format!(
            "no account `{name}` in the world; expected one of: {}",
            names(w.accounts.iter().map(|a| a.username.as_str()))
        )),
    }
}

fn printer<'a>(w: &'a mut World, id: &str) -> Result<&'a mut Printer, String> {
    match w.printer_index(id) {
        Some(i) => Ok(&mut w.printers[i]),
        None => Err(format!(
            "no printer `{id}` in the world; expected one of: {}",
            names(w.printers.iter().map(|p| p.id.as_str()))
        )),
    }
}

fn set<T>(slot: &mut T, v: &Option<T>)
where
    T: Clone,
{
    if let Some(v) = v {
        *slot = v.clone();
    }
}

impl Change {
    /// Applies the change, or explains which name did not resolve.
    pub fn apply(&self, w: &mut World) -> Result<(), String> {
        match self {
            Change::Nic {
                device: d,
                nic: n,
                link,
                enabled,
                dhcp,
                ip,
                mask,
                gateway,
                dns,
            } => {
                let nic = nic(device(w, d)?, n)?;
                set(&mut nic.link, link);
                set(&mut nic.enabled, enabled);
                set(&mut nic.dhcp, dhcp);
                if ip.is_some() {
                    nic.ip = *ip;
                }
                if mask.is_some() {
                    nic.mask = *mask;
                }
                if gateway.is_some() {
                    nic.gateway = *gateway;
                }
                if dns.is_some() {
                    nic.static_dns = true;
                }
                set(&mut nic.dns, dns);
            }
            Change::Apipa { device: d, nic: n } => {
                let dev_index = w.device_index(d).unwrap_or(0);
                let dev = device(w, d)?;
                let idx = dev.nics.iter().position(|x| x.name.eq_ignore_ascii_case(n));
                let nic = nic(dev, n)?;
                let last = 10 + idx.unwrap_or(0) as u8;
                nic.ip = Some(Ipv4Addr::new(
                    169,
                    254,
                    83 + (dev_index / 200) as u8,
                    last.wrapping_add((dev_index % 200) as u8),
                ));
                nic.mask = Some(Ipv4Addr::new(255, 255, 0, 0));
                nic.gateway = None;
                nic.dns.clear();
            }
            Change::Service {
                device: d,
                service,
                status,
                startup,
            } => {
                let dev = device(w, d)?;
                let host = dev.hostname.clone();
                let list = names(dev.services.iter().map(|s| s.name.as_str()));
                let s = dev
                    .services
                    .iter_mut()
                    .find(|s| s.name.eq_ignore_ascii_case(service))
                    .ok_or_else(|| {
                        format!(
                            "device `{host}` has no service `{service}`; expected one of: {list}"
                        )
                    })?;
                set(&mut s.status, status);
                set(&mut s.startup, startup);
            }
            Change::Process { device: d, process } => {
                let dev = device(w, d)?;
                dev.processes
                    .retain(|p| !p.name.eq_ignore_ascii_case(&process.name));
                dev.processes.push(process.clone());
            }
            Change::Disk {
                device: d,
                disk,
                free_gb,
                cache_gb,
                health,
                reallocated_sectors,
            } => {
                let dev = device(w, d)?;
                let host = dev.hostname.clone();
                let list = names(dev.disks.iter().map(|s| s.name.as_str()));
                let k = dev
                    .disks
                    .iter_mut()
                    .find(|k| k.name.eq_ignore_ascii_case(disk))
                    .ok_or_else(|| {
                        format!("device `{host}` has no disk `{disk}`; expected one of: {list}")
                    })?;
                set(&mut k.free_gb, free_gb);
                set(&mut k.cache_gb, cache_gb);
                set(&mut k.health, health);
                set(&mut k.reallocated_sectors, reallocated_sectors);
                if k.free_gb > k.size_gb {
                    return Err(format!(
                        "disk `{disk}` would have {} GB free but is only {} GB",
                        k.free_gb, k.size_gb
                    ));
                }
            }
            Change::Boot { device: d, state } => device(w, d)?.boot = state.clone(),
            Change::Display {
                device: d,
                powered,
                cable_connected,
                input_correct,
            } => {
                let dev = device(w, d)?;
                let disp = dev.display.get_or_insert(Display {
                    powered: true,
                    cable_connected: true,
                    input_correct: true,
                });
                set(&mut disp.powered, powered);
                set(&mut disp.cable_connected, cable_connected);
                set(&mut disp.input_correct, input_correct);
            }
            Change::Installed {
                device: d,
                package,
                healthy,
                present,
            } => {
                let dev = device(w, d)?;
                let pos = dev
                    .installed
                    .iter()
                    .position(|p| p.name.eq_ignore_ascii_case(package));
                match (pos, present) {
                    (Some(i), Some(false)) => {
                        dev.installed.remove(i);
                    }
                    (Some(i), _) => set(&mut dev.installed[i].healthy, healthy),
                    (None, Some(true)) => dev.installed.push(Installed {
                        name: package.clone(),
                        version: None,
                        healthy: healthy.unwrap_or(true),
                    }),
                    (None, _) => {
                        return Err(format!(
                            "device `{}` has no installed package `{package}` (add `present: Some(true)` to install it)",
                            dev.hostname
                        ));
                    }
                }
            }
            Change::DnsCache {
                device: d,
                name,
                ip,
            } => {
                let dev = device(w, d)?;
                dev.dns_cache.retain(|r| !r.name.eq_ignore_ascii_case(name));
                dev.dns_cache.push(DnsRecord {
                    name: name.clone(),
                    ip: *ip,
                });
            }
            Change::Vpn {
                device: d,
                connected,
                cert_expires_days,
                mfa_ok,
            } => {
                let dev = device(w, d)?;
                let v = dev.vpn.get_or_insert(VpnClient {
                    connected: false,
                    cert_expires_days: 300,
                    mfa_ok: true,
                });
                set(&mut v.connected, connected);
                set(&mut v.cert_expires_days, cert_expires_days);
                set(&mut v.mfa_ok, mfa_ok);
            }
            Change::Event { device: d, entry } => device(w, d)?.events.push(entry.clone()),
            Change::System { system, edit } => super::custom::edit::apply(w, system, edit)?,
            Change::Account {
                account: a,
                locked,
                disabled,
                password_expired,
                failed_logins,
                lockout_source,
                stale_credentials,
                mfa_enrolled,
                leaver,
            } => {
                let acc = account(w, a)?;
                set(&mut acc.locked, locked);
                set(&mut acc.disabled, disabled);
                set(&mut acc.password_expired, password_expired);
                set(&mut acc.failed_logins, failed_logins);
                if lockout_source.is_some() {
                    acc.lockout_source = lockout_source.clone();
                }
                set(&mut acc.stale_credentials, stale_credentials);
                set(&mut acc.mfa_enrolled, mfa_enrolled);
                set(&mut acc.leaver, leaver);
            }
            Change::Membership {
                account: a,
                add_groups,
                remove_groups,
                add_licences,
                remove_licences,
            } => {
                let acc = account(w, a)?;
                acc.groups.retain(|g| !remove_groups.contains(g));
                acc.licences.retain(|g| !remove_licences.contains(g));
                for g in add_groups {
                    if !acc.groups.contains(g) {
                        acc.groups.push(g.clone());
                    }
                }
                for l in add_licences {
                    if !acc.licences.contains(l) {
                        acc.licences.push(l.clone());
                    }
                }
            }
            Change::Dhcp {
                running,
                free_leases,
            } => {
                set(&mut w.network.dhcp.running, running);
                set(&mut w.network.dhcp.free_leases, free_leases);
            }
            Change::DnsServer { ip, up } => {
                let list = names(
                    w.network
                        .dns_servers
                        .iter()
                        .map(|s| s.name.as_deref().unwrap_or("?")),
                );
                let s = w
                    .network
                    .dns_servers
                    .iter_mut()
                    .find(|s| s.ip == *ip)
                    .ok_or_else(|| {
                        format!("no DNS server with address {ip}; the network has: {list}")
                    })?;
                s.up = *up;
            }
            Change::DnsRecord { name, ip } => {
                let i = host_idx(w, name)?;
                w.network.hosts[i].dns_ip = Some(*ip);
            }
            Change::Host { name, up } => {
                let i = host_idx(w, name)?;
                w.network.hosts[i].up = *up;
            }
            Change::Infra { name, up } => {
                let list = || {
                    let names: Vec<&str> = w
                        .network
                        .infrastructure
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect();
                    format!(
                        "no switch, router or firewall `{name}`; the network has: {}",
                        names.join(", ")
                    )
                };
                let i = w
                    .network
                    .infrastructure
                    .iter()
                    .position(|i| i.name.eq_ignore_ascii_case(name))
                    .ok_or_else(list)?;
                w.network.infrastructure[i].up = *up;
            }
            Change::Scope {
                segment,
                dns,
                running,
                free_leases,
            } => {
                let list = || {
                    let names: Vec<&str> =
                        w.network.segments.iter().map(|s| s.name.as_str()).collect();
                    format!(
                        "no segment `{segment}`; the network has: {}",
                        names.join(", ")
                    )
                };
                let i = w
                    .network
                    .segments
                    .iter()
                    .position(|s| s.name.eq_ignore_ascii_case(segment))
                    .ok_or_else(list)?;
                let d = &mut w.network.segments[i].dhcp;
                if let Some(v) = dns {
                    d.dns = v.clone();
                }
                if let Some(v) = running {
                    d.running = *v;
                }
                if let Some(v) = free_leases {
                    d.free_leases = *v;
                }
            }
            Change::Gateway { up } => w.network.gateway_up = *up,
            Change::Internet { up } => w.network.internet_up = *up,
            Change::VpnService { up } => w.network.vpn_up = *up,
            Change::Certificate { name, expires_days } => {
                match w
                    .network
                    .certificates
                    .iter_mut()
                    .find(|c| c.name.eq_ignore_ascii_case(name))
                {
                    Some(c) => c.expires_days = *expires_days,
                    None => w.network.certificates.push(Certificate {
                        name: name.clone(),
                        expires_days: *expires_days,
                    }),
                }
            }
            Change::Printer {
                printer: p,
                status,
                paper,
                toner,
            } => {
                let pr = printer(w, p)?;
                set(&mut pr.status, status);
                set(&mut pr.paper, paper);
                set(&mut pr.toner, toner);
            }
            Change::PrintJob { printer: p, job } => printer(w, p)?.queue.push(job.clone()),
            Change::Mailbox {
                mailbox,
                used_mb,
                quota_mb,
                archive,
                shared,
                delegates,
            } => {
                let list = names(w.mailboxes.iter().map(|m| m.address.as_str()));
                let i = w.mailbox_index(mailbox).ok_or_else(|| {
                    format!("no mailbox `{mailbox}` in the world; expected one of: {list}")
                })?;
                let m = &mut w.mailboxes[i];
                set(&mut m.used_mb, used_mb);
                set(&mut m.quota_mb, quota_mb);
                set(&mut m.archive, archive);
                set(&mut m.shared, shared);
                set(&mut m.delegates, delegates);
            }
        }
        Ok(())
    }
}

fn host_idx(w: &World, name: &str) -> Result<usize, String> {
    w.host_index(name).ok_or_else(|| {
        format!(
            "no host `{name}` on the network; expected one of: {}",
            names(w.network.hosts.iter().map(|h| h.name.as_str()))
        )
    })
}
