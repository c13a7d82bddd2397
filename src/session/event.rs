//! Everything that happens in a session, with simulated time.

use crate::scenario::format::{Category, Channel, Level, Tag};
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
    },
    FixApplied {
        fix: FixKind,
        command: String,
        changed: bool,
        blocked: bool,
        message: String,
    },
    PolicyViolation {
        rule: Violation,
        detail: String,
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
