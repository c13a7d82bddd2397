//! Shift scoring on top of each ticket's scorecard: a registry of small criteria
//! (`registry::CRITERIA`, one module each), an overall out of 100, a triage blocker and
//! the few lessons that mattered most. Pure: the same shift always scores the same.

mod ctx;
mod handling;
mod queue;
pub mod registry;
mod triage;

pub use ctx::Ctx;
pub use ctx::prio as ctx_prio;

use super::engine::Shift;
use serde::Serialize;

/// One criterion's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ShiftCriterion {
    pub id: String,
    pub title: String,
    pub points: u32,
    pub max: u32,
    /// What the shift showed, one line each (with simulated times).
    pub evidence: Vec<String>,
    /// What to do differently, when points < max.
    pub lesson: Option<String>,
}

/// One ticket's line in the shift report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TicketLine {
    pub no: u32,
    pub scenario: String,
    pub caller: String,
    pub channel: String,
    pub priority: String,
    pub arrived: u32,
    pub answered: Option<u32>,
    pub outcome: String,
    /// The ticket's own scorecard overall, when it was worked to a close.
    pub overall: Option<u32>,
    pub passed: Option<bool>,
}

/// The shift's scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ShiftCard {
    pub shift: String,
    pub title: String,
    pub seed: u64,
    pub overall: u32,
    pub passed: bool,
    pub pass_mark: u32,
    /// What stops a pass besides the mark (e.g. triage).
    pub blockers: Vec<String>,
    pub criteria: Vec<ShiftCriterion>,
    pub tickets: Vec<TicketLine>,
    /// The lessons that cost most, most important first (at most three).
    pub lessons: Vec<String>,
    pub elapsed: u32,
}

impl ShiftCard {
    /// A criterion's points by id.
    pub fn points(&self, id: &str) -> Option<u32> {
        self.criteria.iter().find(|c| c.id == id).map(|c| c.points)
    }
}

/// Scores a shift (finished or not: what is still open counts as backlog).
pub fn score(shift: &Shift) -> ShiftCard {
    let c = Ctx::new(shift);
    let mut criteria = vec![];
    for d in registry::CRITERIA {
        if let Some(m) = (d.eval)(&c) {
            criteria.push(ShiftCriterion {
                id: d.id.into(),
                title: d.title.into(),
                points: m.points.min(m.max),
                max: m.max,
                evidence: m.evidence,
                lesson: (m.points < m.max).then_some(m.lesson),
            });
        }
    }
    let (got, max) = criteria
        .iter()
        .fold((0, 0), |(g, m), c| (g + c.points, m + c.max));
    let overall = (got * 100).checked_div(max).unwrap_or(0);
    let mut blockers = vec![];
    for d in registry::CRITERIA {
        if let (Some(b), Some(cr)) = (d.blocker, criteria.iter().find(|c| c.id == d.id))
            && cr.points * 100 < cr.max * b
        {
            blockers.push(format!(
                "{}: {} of {} (a pass needs {}%)",
                cr.title, cr.points, cr.max, b
            ));
        }
    }
    let pass_mark = shift.profile.pass_mark;
    let mut lost: Vec<&ShiftCriterion> = criteria.iter().filter(|c| c.lesson.is_some()).collect();
    lost.sort_by_key(|c| {
        let blocker = blockers.iter().any(|b| b.starts_with(&c.title));
        (!blocker, std::cmp::Reverse(c.max - c.points))
    });
    let lessons = lost
        .iter()
        .take(3)
        .filter_map(|c| c.lesson.clone())
        .collect();
    ShiftCard {
        shift: shift.profile.id.clone(),
        title: shift.profile.title.clone(),
        seed: shift.seed,
        passed: overall >= pass_mark && blockers.is_empty(),
        overall,
        pass_mark,
        blockers,
        tickets: c.lines(),
        criteria,
        lessons,
        elapsed: shift.clock,
    }
}

/// `m:ss` of a shift second, as `HH:MM` from the start of the shift.
pub fn clock(secs: u32) -> String {
    format!("{:02}:{:02}", secs / 60, secs % 60)
}
