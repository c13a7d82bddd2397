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
    use crate::shift::autoplay::{Style, play};

    /// (shift, player, criterion, lowest, highest): each criterion read on real shifts
    /// played by the scripted players over the bundled pack.
    const CASES: &[(&str, Style, &str, u32, u32)] = &[
        ("quiet", Style::Expert, "triage", 25, 25),
        ("quiet", Style::ArrivalOrder, "triage", 0, 10),
        ("busy", Style::Expert, "sla", 15, 20),
        ("outage", Style::ArrivalOrder, "sla", 0, 8),
        ("busy", Style::ArrivalOrder, "abandoned", 0, 4),
        ("outage", Style::Expert, "abandoned", 10, 10),
        ("quiet", Style::Expert, "hold", 10, 10),
        ("outage", Style::Expert, "incident", 15, 15),
        ("outage", Style::OneByOne, "incident", 0, 3),
        ("busy", Style::Expert, "quality", 12, 15),
        ("quiet", Style::Expert, "backlog", 5, 5),
        ("quiet", Style::Expert, "handover", 10, 10),
    ];

    #[test]
    fn criteria_on_scripted_shifts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let pack = crate::scenario::load::load_pack(&dir).unwrap().0.unwrap();
        for (id, style, crit, lo, hi) in CASES {
            let profile = pack.shift(id).unwrap();
            let run = crate::shift::run(profile, 1, &play(&pack, profile, 1, *style));
            let got = run.card.points(crit);
            assert!(
                got.is_some_and(|p| (*lo..=*hi).contains(&p)),
                "{id} {style:?} {crit}: {got:?}, expected {lo}–{hi}"
            );
        }
    }

    #[test]
    fn ids_are_unique_and_maxima_positive() {
        for (i, d) in CRITERIA.iter().enumerate() {
            assert!(d.max > 0, "{}", d.id);
            assert!(!d.how.is_empty());
            assert!(CRITERIA[i + 1..].iter().all(|e| e.id != d.id), "{}", d.id);
        }
    }
}
