//! The table of scoring criteria: each a small named unit (id, dimension, title, how it
//! reads the attempt). Packs re-weight them by id (`criteria: {"probing": 15}` in
//! `pack.ron`); scenarios add their own (`criteria: [...]`).

use super::context::Ctx;
use super::{Dimension, Evidence, Feedback};
use super::{documentation, empathy, escalation, further, technical};

/// The result of one criterion on one attempt.
#[derive(Debug, Clone)]
pub struct Mark {
    pub points: u32,
    pub max: u32,
    pub evidence: Vec<Evidence>,
    /// Shown when points < max.
    pub feedback: Option<Feedback>,
}

impl Mark {
    /// A mark with feedback for when it falls short. The feedback is only written when
    /// it will be shown (points below max), so a full mark costs no text.
    pub fn new(
        points: u32,
        max: u32,
        evidence: Vec<Evidence>,
        feedback: impl FnOnce() -> Feedback,
    ) -> Mark {
        let points = points.min(max);
        Mark {
            points,
            max,
            evidence,
            feedback: (points < max).then(feedback),
        }
    }
    /// A mark whose shortfall is explained by another criterion (said once).
    pub fn silent(points: u32, max: u32, evidence: Vec<Evidence>) -> Mark {
        Mark {
            points: points.min(max),
            max,
            evidence,
            feedback: None,
        }
    }
}

/// A built-in criterion.
pub struct Def {
    pub id: &'static str,
    pub dimension: Dimension,
    pub title: &'static str,
    /// Usual maximum (some criteria vary it by context; see docs/scoring.md).
    pub max: u32,
    /// Reads the attempt; `None` when the criterion does not apply to it.
    pub eval: fn(&Ctx) -> Option<Mark>,
    /// How it is earned, for docs/scoring.md.
    pub how: &'static str,
}

/// Every built-in criterion, in debrief order within each dimension.
pub static CRITERIA: &[&Def] = &[
    &technical::ROOT_CAUSE,
    &technical::DIAGNOSIS,
    &technical::NO_HARM,
    &technical::NEEDED_ONLY,
    &technical::NO_SHOTGUN,
    &technical::CATEGORY,
    &technical::PRIORITY,
    &technical::SLA,
    &technical::INDEPENDENCE,
    &empathy::ACKNOWLEDGE,
    &empathy::OWNERSHIP,
    &empathy::LANGUAGE,
    &empathy::RESPECT,
    &empathy::PROBING,
    &empathy::TEACHING,
    &empathy::CONFIRM,
    &empathy::CLOSE,
    &empathy::FINAL_MOOD,
    &documentation::FACTS,
    &documentation::STRUCTURE,
    &documentation::LENGTH,
    &documentation::PROFESSIONAL,
    &documentation::NO_SECRETS,
    &escalation::DECISION,
    &escalation::RIGHT_TEAM,
    &escalation::TIMING,
    &escalation::HANDOFF,
    &further::FURTHER,
];

/// Finds a built-in criterion by id.
pub fn find(id: &str) -> Option<&'static Def> {
    CRITERIA.iter().copied().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_documented() {
        let mut ids: Vec<&str> = CRITERIA.iter().map(|d| d.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CRITERIA.len());
        assert!(CRITERIA.iter().all(|d| !d.how.is_empty() && d.max > 0));
        assert!(find("probing").is_some() && find("nope").is_none());
    }
}
