//! Network reasoning over the world: routing, DNS resolution, ping.

use super::segments;
use super::state::*;
use std::net::Ipv4Addr;

/// Why a packet did not get through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    DeviceDown,
    NoLink,
    NoAddress,
    SelfAssigned,
    Isolated,
    NoRoute,
    NoVpn,
    TimedOut,
}

/// Result of resolving a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found {
        ip: Ipv4Addr,
        server: Ipv4Addr,
        cached: bool,
    },
    NotFound {
        server: Ipv4Addr,
    },
    NoServer,
}

/// The interface that carries traffic: the first one that is up, else the first one.
pub fn active_nic(d: &Device) -> Option<&Nic> {
    d.nics
        .iter()
        .find(|n| n.up() && n.ip.is_some())
        .or_else(|| d.nics.iter().find(|n| n.up()))
}

fn is_private(ip: Ipv4Addr) -> bool {
    ip.is_private()
}

fn same_subnet(a: Ipv4Addr, b: Ipv4Addr, mask: Ipv4Addr) -> bool {
    let m = u32::from(mask);
    u32::from(a) & m == u32::from(b) & m
}

/// Whether the target address is external (public internet).
fn is_external(w: &World, target: Ipv4Addr) -> bool {
    if let Some(h) = w.network.hosts.iter().find(|h| h.ip == target) {
        return h.external;
    }
    if let Some(s) = w.network.dns_servers.iter().find(|s| s.ip == target) {
        return !s.internal;
    }
    !is_private(target)
}

/// Whether something answers at the target address.
fn target_alive(w: &World, target: Ipv4Addr) -> bool {
    if let Some(up) = segments::gateway_alive(w, target).or(segments::infra_alive(w, target)) {
        return up;
    }
    if target == w.network.gateway {
        return w.network.gateway_up;
    }
    if let Some(h) = w.network.hosts.iter().find(|h| h.ip == target) {
        return h.up;
    }
    if let Some(s) = w.network.dns_servers.iter().find(|s| s.ip == target) {
        return s.up;
    }
    w.devices.iter().any(|d| {
        d.boot == BootState::Ok
            && !d.isolated
            && d.nics.iter().any(|n| n.up() && n.ip == Some(target))
    })
}

/// Can the device send traffic to the target and get an answer?
pub fn reach(w: &World, d: &Device, target: Ipv4Addr) -> Result<(), Unreachable> {
    if d.boot != BootState::Ok {
        return Err(Unreachable::DeviceDown);
    }
    let Some(nic) = active_nic(d) else {
        return Err(Unreachable::NoLink);
    };
    let Some(ip) = nic.ip else {
        return Err(Unreachable::NoAddress);
    };
    if d.isolated {
        return Err(Unreachable::Isolated);
    }
    if nic.apipa() {
        return Err(Unreachable::SelfAssigned);
    }
    let mask = nic.mask.unwrap_or(Ipv4Addr::new(255, 255, 255, 0));
    let external = is_external(w, target);
    match d.location {
        Location::Office => {
            let seg = segments::of_device(w, d);
            if seg.is_some_and(|s| !segments::access_up(w, s)) {
                return Err(Unreachable::TimedOut);
            }
            if !same_subnet(ip, target, mask) {
                let gateway = seg.map_or(w.network.gateway, |s| s.gateway);
                if nic.gateway != Some(gateway) {
                    return Err(Unreachable::NoRoute);
                }
                if !w.network.gateway_up {
                    return Err(Unreachable::TimedOut);
                }
                // Out of the segment and into the target's: every hop on both paths.
                let blocked =
                    |s: Option<&segments::Segment>| s.is_some_and(|s| !segments::path_up(w, s));
                if blocked(seg) || blocked(segments::of_ip(w, target)) {
                    return Err(Unreachable::TimedOut);
                }
                if external && (!w.network.internet_up || !segments::firewalls_up(w)) {
                    return Err(Unreachable::TimedOut);
                }
            }
        }
        Location::Remote => {
            if nic.gateway.is_none() {
                return Err(Unreachable::NoRoute);
            }
            if !external {
                let vpn = d.vpn.as_ref().is_some_and(|v| v.connected) && w.network.vpn_up;
                if !vpn {
                    return Err(Unreachable::NoVpn);
                }
            }
        }
    }
    if target_alive(w, target) {
        Ok(())
    } else {
        Err(Unreachable::TimedOut)
    }
}

/// Resolves a name as the device would (`use_cache`: ping does, nslookup does not).
pub fn resolve(w: &World, d: &Device, name: &str, use_cache: bool) -> Resolution {
    let name = name.trim_end_matches('.');
    if use_cache
        && let Some(r) = d
            .dns_cache
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    {
        return Resolution::Found {
            ip: r.ip,
            server: Ipv4Addr::UNSPECIFIED,
            cached: true,
        };
    }
    let Some(nic) = active_nic(d) else {
        return Resolution::NoServer;
    };
    // While the VPN is up, a remote device asks the corporate DNS servers first.
    let vpn_up = d.location == Location::Remote
        && w.network.vpn_up
        && d.vpn.as_ref().is_some_and(|v| v.connected);
    let mut servers: Vec<Ipv4Addr> = if vpn_up {
        w.network.dhcp.dns.clone()
    } else {
        vec![]
    };
    servers.extend(nic.dns.iter().copied());
    for server_ip in &servers {
        let Some(server) = w.network.dns_servers.iter().find(|s| s.ip == *server_ip) else {
            continue;
        };
        if reach(w, d, *server_ip).is_err() || !server.up {
            continue;
        }
        let host = w
            .network
            .hosts
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name));
        return match host {
            Some(h) if !h.external && !server.internal => {
                Resolution::NotFound { server: *server_ip }
            }
            Some(h) if h.external && server.internal && !w.network.internet_up => {
                Resolution::NoServer
            }
            Some(h) => Resolution::Found {
                ip: h.dns_ip.unwrap_or(h.ip),
                server: *server_ip,
                cached: false,
            },
            None => Resolution::NotFound { server: *server_ip },
        };
    }
    Resolution::NoServer
}

/// The device resolves `name` to the host's real address and gets an answer from it.
pub fn reaches_host(w: &World, d: &Device, host: &Host) -> bool {
    match resolve(w, d, &host.name, true) {
        Resolution::Found { ip, .. } => ip == host.ip && reach(w, d, ip).is_ok(),
        _ => false,
    }
}

/// The device's name lookup for `host` returns its real address.
pub fn resolves_host(w: &World, d: &Device, host: &Host) -> bool {
    matches!(resolve(w, d, &host.name, false), Resolution::Found { ip, .. } if ip == host.ip)
}

/// The VPN would connect (or is connected) from this device.
pub fn vpn_problem(w: &World, d: &Device) -> Option<String> {
    let v = d.vpn.as_ref()?;
    if v.cert_expires_days < 0 {
        return Some(format!(
            "machine certificate expired {} day(s) ago",
            -v.cert_expires_days
        ));
    }
    if !v.mfa_ok {
        return Some(
            "MFA challenge was not approved (no response from the authenticator app)".into(),
        );
    }
    if !w.network.vpn_up {
        return Some("the VPN gateway vpn.corp is not responding".into());
    }
    if active_nic(d).is_none_or(|n| n.ip.is_none() || n.apipa()) {
        return Some("no internet connection".into());
    }
    None
}
