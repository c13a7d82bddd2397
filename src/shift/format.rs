//! The shift authoring format: serde types for `shifts/*.ron`, shift action logs and
//! shift play-tests. Names are strings here; `shift::load` resolves them.

use crate::scenario::format::{Channel, RawAction};
use crate::session::ticket::Priority;
use serde::{Deserialize, Serialize};

/// Pickup targets in simulated minutes, per priority (from arrival to answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTargets {
    pub p1: u32,
    pub p2: u32,
    pub p3: u32,
    pub p4: u32,
}

impl Default for SlaTargets {
    fn default() -> Self {
        SlaTargets {
            p1: 5,
            p2: 15,
            p3: 60,
            p4: 240,
        }
    }
}

impl SlaTargets {
    /// The pickup target for a priority, in seconds.
    pub fn secs(&self, p: Priority) -> u32 {
        60 * match p {
            Priority::P1 => self.p1,
            Priority::P2 => self.p2,
            Priority::P3 => self.p3,
            Priority::P4 => self.p4,
        }
    }
}

/// One ticket arriving at a fixed time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalFile {
    /// Simulated minute of the shift it arrives at.
    pub at: u32,
    pub scenario: String,
    /// How it reaches the desk (default: the scenario's own channel).
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Its real priority (impact × urgency), which triage is judged against.
    pub priority: Priority,
    /// The caller is a VIP (shown in the queue).
    #[serde(default)]
    pub vip: bool,
}

/// One entry of a weighted pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolEntry {
    pub scenario: String,
    #[serde(default)]
    pub channel: Option<Channel>,
    pub priority: Priority,
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

/// A seeded draw: `draws` tickets from `entries` (by weight), each at a minute in
/// `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolFile {
    pub draws: u32,
    pub from: u32,
    pub to: u32,
    pub entries: Vec<PoolEntry>,
}

/// Something that happens during the shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShiftEventFile {
    /// A major incident: `callers` people ring about the same fault, `every_secs` apart,
    /// from minute `at`. The first caller is the parent ticket's natural candidate.
    MajorIncident {
        at: u32,
        scenario: String,
        #[serde(default = "p1")]
        priority: Priority,
        callers: u32,
        #[serde(default = "sixty")]
        every_secs: u32,
        /// Names shown in the queue, in order (default: the scenario's caller).
        #[serde(default)]
        names: Vec<String>,
    },
    /// A VIP walks up to the desk at minute `at`.
    VipWalkUp {
        at: u32,
        scenario: String,
        #[serde(default = "p2")]
        priority: Priority,
    },
}

fn p1() -> Priority {
    Priority::P1
}
fn p2() -> Priority {
    Priority::P2
}
fn sixty() -> u32 {
    60
}

/// Where a parked ticket is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaitingOn {
    User,
    Team,
}

/// A shift action as written in action logs and shift play-tests. Tickets are numbered
/// from 1 in arrival order (the order `firstline shift --schedule` prints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawShiftAction {
    /// Pick up a ringing call, a waiting chat or e-mail, or a walk-up.
    Answer(u32),
    /// Put the live call on hold, telling the caller for how many minutes (0: without a
    /// word).
    Hold { ticket: u32, minutes: u32 },
    /// Take back a ticket that is on hold, parked or set aside.
    Resume(u32),
    /// Park the active ticket: waiting on the user or a team; call back within `callback`
    /// minutes.
    Park {
        ticket: u32,
        on: WaitingOn,
        callback: u32,
    },
    /// Link a ticket to a parent incident ticket; it closes with the parent.
    Link { ticket: u32, parent: u32 },
    /// Send a status update to everyone linked to a parent.
    Broadcast { parent: u32, text: String },
    /// An action on the active ticket's own session.
    Work(u32, RawAction),
    /// Let simulated seconds pass.
    Wait(u32),
    /// The end-of-shift handover note; ends the shift (handing over early lets the rest
    /// of the shift pass first: later arrivals ring out and count).
    Handover(String),
}

/// Expected shift results; each range is inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ShiftExpect {
    #[serde(default)]
    pub passed: Option<bool>,
    #[serde(default)]
    pub overall: Option<(u32, u32)>,
    /// The triage criterion's points.
    #[serde(default)]
    pub triage: Option<(u32, u32)>,
    /// Each string must appear in some lesson (case-insensitive).
    #[serde(default)]
    pub lessons: Vec<String>,
    /// How many actions may be rejected (default 0).
    #[serde(default)]
    pub rejected: u32,
}
