//! Everything that happens in a session, with simulated time.

use crate::scenario::format::{Category, Channel, Level, Severity, Tag};
use crate::session::ticket::Priority;
use crate::world::fixes::FixKind;
use crate::world::tools::ToolKind;
use serde::{Deserialize, Serialize};

/// How the call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallEnd {
    /// The conversation reached an ending.
    Conversation,
    /// The trainee ended the call.
    Trainee,
    /// The customer ran out of patience and hung up.
    CustomerHungUp,
    /// The customer ran out of patience and demanded a manager.
    DemandedManager,
}

/// A rule the trainee broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Violation {
    /// Reset a password or MFA (or granted access) without verifying identity.
    NoIdentityCheck,
    /// Unlocked or enabled an account without verifying identity.
    UnlockWithoutIdentity,
    /// An action the pack's policy or the scenario declares a violation.
    Authored,
}

/// What a change to the world was, judged when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ChangeClass {
    /// On some shortest path to this variant's resolution.
    Needed,
    /// Changed something the fault did not need; harmless but a cost.
    Unneeded,
    /// Changed something security-relevant (privileges, groups, MFA, passwords,
    /// installs, data) that was not needed: harm.
    Harmful,
    /// Changed nothing.
    #[default]
    NoEffect,
    /// Refused by the system (missing approval, impossible).
    Refused,
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    CallStarted {
        customer: String,
        channel: Channel,
    },
    CustomerSaid {
        text: String,
    },
    TraineeSaid {
        option: String,
        text: String,
        tags: Vec<Tag>,
        /// The fault was fixed when this was said (all of the resolution but the
        /// customer's confirmation held).
        #[serde(default)]
        fixed: bool,
    },
    Asked {
        question: String,
        text: String,
        tags: Vec<Tag>,
        repeat: bool,
    },
    ToolRan {
        tool: ToolKind,
        command: String,
        output: String,
        /// The output showed the fault: it differs from the same call on the healthy
        /// world, as it did at the start, on an entity the fault concerns.
        #[serde(default)]
        observed: bool,
    },
    FixApplied {
        fix: FixKind,
        command: String,
        changed: bool,
        blocked: bool,
        message: String,
        #[serde(default)]
        class: ChangeClass,
        /// The customer did it on their side, asked to by the trainee (a dialogue `Step`).
        #[serde(default)]
        by_customer: bool,
    },
    PolicyViolation {
        rule: Violation,
        detail: String,
        #[serde(default = "critical")]
        severity: Severity,
        /// What to do instead (author-written), if any.
        #[serde(default)]
        better: Option<String>,
    },
    Harm {
        detail: String,
    },
    KbSearched {
        query: String,
        results: Vec<String>,
    },
    KbOpened {
        article: String,
        title: String,
    },
    TicketChanged {
        category: Option<Category>,
        impact: Option<Level>,
        urgency: Option<Level>,
        priority: Option<Priority>,
    },
    NotesWritten {
        words: usize,
    },
    HintShown {
        text: String,
    },
    Mood {
        mood: i32,
        patience: i32,
        reason: String,
    },
    Escalated {
        team: String,
        handoff: String,
    },
    Resolved {
        note: String,
        condition_met: bool,
    },
    WorldChanged {
        text: String,
    },
    CallEnded {
        how: CallEnd,
    },
    Waited {
        minutes: u32,
    },
}

fn critical() -> Severity {
    Severity::Critical
}

/// An event at a simulated second since the call started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: u32,
    pub kind: EventKind,
}

/// `mm:ss` for a simulated second count.
pub fn clock(secs: u32) -> String {
    format!("{:02}:{:02}", secs / 60, secs % 60)
}
