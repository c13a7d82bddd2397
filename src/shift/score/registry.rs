//! The table of shift criteria: each a small named unit reading the shift through `Ctx`.

use super::Ctx;
use super::{handling, queue, triage};

/// The result of one criterion on one shift.
#[derive(Debug, Clone)]
pub struct Mark {
    pub points: u32,
    pub max: u32,
    pub evidence: Vec<String>,
    /// What to do differently (shown when points < max).
    pub lesson: String,
}

/// A shift criterion.
pub struct Def {
    pub id: &'static str,
    pub title: &'static str,
    pub max: u32,
    /// `None` when the criterion does not apply to this shift.
    pub eval: fn(&Ctx) -> Option<Mark>,
    /// A pass needs at least this percentage of the criterion.
    pub blocker: Option<u32>,
    /// How it is earned, for the docs.
    pub how: &'static str,
}

/// Every shift criterion, in report order.
pub static CRITERIA: &[&Def] = &[
    &triage::TRIAGE,
    &triage::SLA,
    &queue::ABANDONED,
    &queue::HOLD,
    &handling::INCIDENT,
    &handling::QUALITY,
    &queue::BACKLOG,
    &handling::HANDOVER,
];

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn ids_are_unique_and_maxima_positive() {
        for (i, d) in CRITERIA.iter().enumerate() {
            assert!(d.max > 0, "{}", d.id);
            assert!(!d.how.is_empty());
            assert!(CRITERIA[i + 1..].iter().all(|e| e.id != d.id), "{}", d.id);
        }
    }
}
