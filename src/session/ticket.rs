//! The ticket the trainee fills in.

use crate::scenario::format::{Category, Level};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Ticket priority from the impact × urgency matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Priority::P1 => "P1 Critical",
            Priority::P2 => "P2 High",
            Priority::P3 => "P3 Moderate",
            Priority::P4 => "P4 Low",
        };
        f.write_str(s)
    }
}

/// The standard ITIL-style matrix.
pub fn priority(impact: Level, urgency: Level) -> Priority {
    use Level::*;
    match (impact, urgency) {
        (High, High) => Priority::P1,
        (High, Medium) | (Medium, High) => Priority::P2,
        (High, Low) | (Medium, Medium) | (Low, High) => Priority::P3,
        _ => Priority::P4,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TicketStatus {
    #[default]
    InProgress,
    Escalated,
    Resolved,
}

/// The ticket as the trainee has written it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Ticket {
    pub category: Option<Category>,
    pub impact: Option<Level>,
    pub urgency: Option<Level>,
    pub status: TicketStatus,
    pub notes: String,
    /// Team id and hand-off note of the main escalation (the one the escalation decision
    /// is scored on).
    pub escalation: Option<(String, String)>,
    /// Every escalation in order (team id, hand-off note), the main one included.
    #[serde(default)]
    pub handoffs: Vec<(String, String)>,
    pub resolution: Option<String>,
}

impl Ticket {
    pub fn priority(&self) -> Option<Priority> {
        Some(priority(self.impact?, self.urgency?))
    }
    pub fn closed(&self) -> bool {
        self.status != TicketStatus::InProgress
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn matrix() {
        assert_eq!(priority(Level::High, Level::High), Priority::P1);
        assert_eq!(priority(Level::Low, Level::Low), Priority::P4);
        assert_eq!(priority(Level::Medium, Level::Medium), Priority::P3);
        assert_eq!(priority(Level::Medium, Level::High), Priority::P2);
    }
}
