//! Network segments and infrastructure: several subnets, each with its own gateway and
//! DHCP scope (with its own DNS option), behind switches, routers and firewalls whose state
//! decides what is reachable. A world without segments is one flat network (the
//! `Network`'s own `gateway` and `dhcp`), exactly as before.

use super::state::{Device, Dhcp, World};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

fn yes() -> bool {
    true
}
fn default_mask() -> Ipv4Addr {
    Ipv4Addr::new(255, 255, 255, 0)
}

/// One subnet of the office network (a floor, a building, the server room).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub name: String,
    /// Network address of the subnet.
    pub subnet: Ipv4Addr,
    #[serde(default = "default_mask")]
    pub mask: Ipv4Addr,
    /// The subnet's default gateway.
    pub gateway: Ipv4Addr,
    /// The segment's DHCP scope (its `dns` is the scope's DNS option).
    #[serde(default)]
    pub dhcp: Dhcp,
    /// Infrastructure between this segment and the rest of the network, nearest first
    /// (access switch, core switch, router): all must be up to leave the subnet, the first
    /// to reach anything at all.
    #[serde(default)]
    pub path: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InfraKind {
    Switch,
    Router,
    /// Every firewall must be up to reach the internet.
    Firewall,
}

/// A switch, router or firewall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Infra {
    pub name: String,
    pub kind: InfraKind,
    /// Management address (answers ping while up).
    #[serde(default)]
    pub ip: Option<Ipv4Addr>,
    #[serde(default = "yes")]
    pub up: bool,
}

impl Segment {
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let m = u32::from(self.mask);
        u32::from(ip) & m == u32::from(self.subnet) & m
    }
}

/// The segment a device is patched into (`Device.segment`), if segments are declared.
pub fn of_device<'a>(w: &'a World, d: &Device) -> Option<&'a Segment> {
    let name = d.segment.as_deref()?;
    w.network
        .segments
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The declared segment an address lives in.
pub fn of_ip(w: &World, ip: Ipv4Addr) -> Option<&Segment> {
    w.network.segments.iter().find(|s| s.contains(ip))
}

fn infra_up(w: &World, name: &str) -> bool {
    w.network
        .infrastructure
        .iter()
        .find(|i| i.name.eq_ignore_ascii_case(name))
        .is_none_or(|i| i.up)
}

/// The segment's access switch (the first hop) is up.
pub fn access_up(w: &World, s: &Segment) -> bool {
    s.path.first().is_none_or(|n| infra_up(w, n))
}

/// Everything between the segment and the rest of the network is up.
pub fn path_up(w: &World, s: &Segment) -> bool {
    s.path.iter().all(|n| infra_up(w, n))
}

/// Every firewall is up (the way to the internet).
pub fn firewalls_up(w: &World) -> bool {
    w.network
        .infrastructure
        .iter()
        .filter(|i| i.kind == InfraKind::Firewall)
        .all(|i| i.up)
}

/// The DHCP scope and gateway a device's leases come from, and whether the DHCP server
/// can be reached from its segment (through the relay on the path).
pub fn dhcp_for(w: &World, d: &Device) -> (Dhcp, Ipv4Addr, bool) {
    match of_device(w, d) {
        Some(s) => (s.dhcp.clone(), s.gateway, path_up(w, s)),
        None => (w.network.dhcp.clone(), w.network.gateway, true),
    }
}

/// Whether an address is a segment gateway, and if so whether it answers.
pub fn gateway_alive(w: &World, ip: Ipv4Addr) -> Option<bool> {
    w.network
        .segments
        .iter()
        .find(|s| s.gateway == ip)
        .map(|s| w.network.gateway_up && path_up(w, s))
}

/// Whether an address is an infrastructure device's, and if so whether it answers.
pub fn infra_alive(w: &World, ip: Ipv4Addr) -> Option<bool> {
    w.network
        .infrastructure
        .iter()
        .find(|i| i.ip == Some(ip))
        .map(|i| i.up)
}

#[cfg(test)]
mod tests {
    use crate::ids::DeviceId;
    use crate::scenario::load::load_pack;
    use crate::world::change::Change;
    use crate::world::fixes::{FixCall, FixContext};
    use crate::world::net::{Unreachable, reach};
    use crate::world::state::World;
    use std::net::Ipv4Addr;

    /// The core-switch-outage world of a variant (`None`: healthy).
    fn world(variant: Option<&str>) -> World {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, _) = load_pack(&dir).unwrap();
        let pack = pack.unwrap();
        let s = pack.scenario("core-switch-outage").unwrap();
        match variant {
            None => s.healthy.clone(),
            Some(v) => s.variant(s.variant_id(v).unwrap()).world.clone(),
        }
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    /// (from host, to address, reachable?) for each case.
    fn check(w: &World, cases: &[(&str, &str, bool)]) {
        for (from, to, ok) in cases {
            let d = &w.devices[w.device_index(from).unwrap()];
            let r = reach(w, d, ip(to));
            assert_eq!(r.is_ok(), *ok, "{from} → {to}: {r:?}");
        }
    }

    const ERP: &str = "10.0.10.20";
    const NEXT_DESK: &str = "10.0.2.15";

    #[test]
    fn what_each_switch_outage_cuts_off() {
        check(
            &world(None),
            &[
                ("PC-F2-014", ERP, true),
                ("PC-F2-014", NEXT_DESK, true),
                ("PC-F3-022", ERP, true),
                ("PC-F2-014", "151.101.0.81", true),
            ],
        );
        // The core: every floor loses the servers and the internet, not its own subnet.
        check(
            &world(Some("core")),
            &[
                ("PC-F2-014", ERP, false),
                ("PC-F2-014", NEXT_DESK, true),
                ("PC-F3-022", ERP, false),
                ("PC-F2-014", "151.101.0.81", false),
                ("PC-F2-014", "10.0.2.1", false),
            ],
        );
        // Floor 2's access switch: floor 2 loses everything, floor 3 nothing.
        check(
            &world(Some("access")),
            &[
                ("PC-F2-014", ERP, false),
                ("PC-F2-014", NEXT_DESK, false),
                ("PC-F3-022", ERP, true),
            ],
        );
    }

    #[test]
    fn a_firewall_down_cuts_the_internet_only() {
        let mut w = world(None);
        Change::Infra {
            name: "FW-EDGE".into(),
            up: false,
        }
        .apply(&mut w)
        .unwrap();
        check(
            &w,
            &[
                ("PC-F2-014", ERP, true),
                ("PC-F2-014", "151.101.0.81", false),
            ],
        );
        let d = &w.devices[0];
        assert_eq!(reach(&w, d, ip("10.0.99.254")), Err(Unreachable::TimedOut));
    }

    fn renew(w: &mut World, host: &str) {
        let ctx = FixContext {
            change_approved: true,
            password_seed: 0,
            customer: None,
        };
        let c = FixCall::parse(&format!("renew_dhcp {host}"), w, Some(DeviceId(0))).unwrap();
        c.apply(w, &ctx);
    }

    #[test]
    fn each_segment_leases_from_its_own_scope_with_its_own_dns_option() {
        let mut w = world(None);
        Change::Scope {
            segment: "floor3".into(),
            dns: Some(vec![ip("10.0.10.53")]),
            running: None,
            free_leases: None,
        }
        .apply(&mut w)
        .unwrap();
        w.devices[0].nics[0].ip = None;
        w.devices[2].nics[0].ip = None;
        renew(&mut w, "PC-F2-014");
        renew(&mut w, "PC-F3-022");
        let (f2, f3) = (&w.devices[0].nics[0], &w.devices[2].nics[0]);
        assert_eq!(
            (f2.gateway, f2.dns.clone()),
            (Some(ip("10.0.2.1")), vec![ip("10.0.10.10")])
        );
        assert_eq!(
            (f3.gateway, f3.dns.clone()),
            (Some(ip("10.0.3.1")), vec![ip("10.0.10.53")])
        );
        assert!(f3.ip.is_some_and(|a| a.octets()[..3] == [10, 0, 3]));
    }

    #[test]
    fn renewing_while_the_core_is_down_loses_the_address() {
        let mut w = world(Some("core"));
        renew(&mut w, "PC-F2-014");
        assert!(w.devices[0].nics[0].apipa());
    }
}
