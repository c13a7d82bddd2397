//! A loaded, validated shift profile (scenarios resolved) and its seeded schedule.

use super::format::SlaTargets;
use crate::scenario::format::Channel;
use crate::scenario::model::Scenario;
use crate::session::ticket::Priority;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::path::PathBuf;
use std::sync::Arc;

/// Where a ticket of the schedule comes from.
#[derive(Debug, Clone)]
pub struct Source {
    pub scenario: Arc<Scenario>,
    pub channel: Channel,
    pub priority: Priority,
    pub vip: bool,
}

/// A weighted pool draw.
#[derive(Debug, Clone)]
pub struct Pool {
    pub draws: u32,
    pub from: u32,
    pub to: u32,
    pub entries: Vec<(Source, u32)>,
}

/// A major incident: several callers about one fault.
#[derive(Debug, Clone)]
pub struct Incident {
    pub at: u32,
    pub source: Source,
    pub callers: u32,
    pub every_secs: u32,
    pub names: Vec<String>,
}

/// A shift profile.
#[derive(Debug, Clone)]
pub struct ShiftProfile {
    pub source: PathBuf,
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Place on the career ladder (1 = first).
    pub level: u32,
    /// The shift whose mastery unlocks this one.
    pub unlock: Option<String>,
    pub minutes: u32,
    /// A ringing phone is abandoned after this many seconds.
    pub ring_secs: u32,
    /// A caller on hold hangs up after this many seconds.
    pub hold_secs: u32,
    pub sla: SlaTargets,
    /// Fixed arrivals: minute and source.
    pub fixed: Vec<(u32, Source)>,
    pub pool: Option<Pool>,
    pub incidents: Vec<Incident>,
    /// VIP walk-ups: minute and source.
    pub walkups: Vec<(u32, Source)>,
    pub pass_mark: u32,
}

/// One ticket of a shift's schedule.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// Second of the shift it arrives at.
    pub at: u32,
    pub source: Source,
    /// The session seed.
    pub seed: u64,
    /// Index into the profile's incidents when it is a major-incident caller.
    pub incident: Option<usize>,
    /// The name shown in the queue (the session's own caller when None).
    pub caller: Option<String>,
}

impl ShiftProfile {
    /// The tickets of a shift played with `seed`, in arrival order (ties keep the order
    /// fixed arrivals, pool draws, incidents and walk-ups are declared in). Every seed
    /// comes from one RNG seeded with the shift seed.
    pub fn schedule(&self, seed: u64) -> Vec<Arrival> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut out = vec![];
        for (at, s) in &self.fixed {
            out.push(Arrival {
                at: at * 60,
                source: s.clone(),
                seed: rng.random(),
                incident: None,
                caller: None,
            });
        }
        if let Some(p) = &self.pool {
            let total: u64 = p.entries.iter().map(|e| u64::from(e.1)).sum();
            for _ in 0..p.draws {
                let mut r = rng.random_range(0..total.max(1));
                let mut pick = &p.entries[0].0;
                for (s, w) in &p.entries {
                    if r < u64::from(*w) {
                        pick = s;
                        break;
                    }
                    r -= u64::from(*w);
                }
                let minute = rng.random_range(p.from..=p.to);
                out.push(Arrival {
                    at: minute * 60,
                    source: pick.clone(),
                    seed: rng.random(),
                    incident: None,
                    caller: None,
                });
            }
        }
        for (i, inc) in self.incidents.iter().enumerate() {
            // One fault: every caller shares the seed, hence the variant.
            let s: u64 = rng.random();
            for c in 0..inc.callers {
                out.push(Arrival {
                    at: inc.at * 60 + c * inc.every_secs,
                    source: inc.source.clone(),
                    seed: s,
                    incident: Some(i),
                    caller: inc.names.get(c as usize).cloned(),
                });
            }
        }
        for (at, s) in &self.walkups {
            out.push(Arrival {
                at: at * 60,
                source: s.clone(),
                seed: rng.random(),
                incident: None,
                caller: None,
            });
        }
        out.sort_by_key(|a| a.at);
        out
    }
}
