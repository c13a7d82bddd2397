//! Checks of the network's segments and infrastructure (names that must exist), located.

use super::doc::Doc;
use crate::world::state::World;

/// Every device's `segment` and every segment's `path` names something declared.
pub fn check(doc: &mut Doc, w: &World) {
    let n = &w.network;
    let segs: Vec<&str> = n.segments.iter().map(|s| s.name.as_str()).collect();
    let infra: Vec<&str> = n.infrastructure.iter().map(|i| i.name.as_str()).collect();
    let known = |list: &[&str], x: &str| list.iter().any(|k| k.eq_ignore_ascii_case(x));
    for (i, d) in w.devices.iter().enumerate() {
        if let Some(s) = &d.segment
            && !known(&segs, s)
        {
            doc.error(
                &format!("world.devices[{i}].segment"),
                format!(
                    "no segment `{s}` in `network.segments`; expected one of: {}",
                    if segs.is_empty() {
                        "none are declared".into()
                    } else {
                        segs.join(", ")
                    }
                ),
            );
        }
    }
    for (i, s) in n.segments.iter().enumerate() {
        for (j, p) in s.path.iter().enumerate() {
            if !known(&infra, p) {
                doc.error(
                    &format!("world.network.segments[{i}].path[{j}]"),
                    format!(
                        "no switch, router or firewall `{p}` in `network.infrastructure`; expected one of: {}",
                        if infra.is_empty() { "none are declared".into() } else { infra.join(", ") }
                    ),
                );
            }
        }
        if !s.contains(s.gateway) {
            doc.error(
                &format!("world.network.segments[{i}].gateway"),
                format!(
                    "gateway {} is outside the segment's subnet {}/{}",
                    s.gateway, s.subnet, s.mask
                ),
            );
        }
    }
}
