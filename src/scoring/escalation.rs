//! Escalation choices, scored as a decision in context: kept at first line when first
//! line should fix it, handed to the right team in time with a hand-off that carries what
//! was checked and found when it must go on, and never simply left.

use super::context::Ctx;
use super::documentation::FALSE_CLAIM_COST;
use super::registry::{Def, Mark};
use super::{Dimension, Evidence, fb};
use crate::scenario::format::EscalationMode;

pub static DECISION: Def = Def {
    id: "decision",
    dimension: Dimension::Escalation,
    title: "Escalation decision",
    max: 100,
    eval: decision,
    how: "First-line work (mode Never): kept and resolved 100, fixed but unconfirmed 60, neither fixed nor handed on 0, escalated needlessly 0 (and the attempt fails). Must go on (Required): escalated at all 30 (the team, timing and hand-off are scored beside it). May go on (Optional): resolved at first line 100; neither resolved nor escalated 0.",
};

fn decision(c: &Ctx) -> Option<Mark> {
    let esc = &c.v.escalation;
    let ev: Vec<_> = c
        .escalation_event
        .map(|e| vec![c.evidence(e)])
        .unwrap_or_default();
    match esc.mode {
        EscalationMode::Never => {
            let (points, what) = match c.team {
                Some(t) => (
                    0,
                    format!(
                        "You escalated to {}, but first line could and should resolve this.",
                        c.team_name(t)
                    ),
                ),
                None if c.a.resolved => (100, String::new()),
                None if c.a.fixed_unconfirmed => (
                    60,
                    "You fixed it but never closed the loop with the customer.".to_string(),
                ),
                // Neither fixed nor handed on: the outcome lesson explains it once.
                None => return Some(Mark::silent(0, 100, ev)),
            };
            Some(Mark::new(points, 100, ev, || {
                fb(
                    what,
                    "A needless escalation wastes specialist time and makes the customer wait; an unresolved, unescalated ticket helps nobody.",
                    c.advice("decision", format!("Resolve it yourself: {}", esc.why)),
                )
            }))
        }
        EscalationMode::Required => Some(Mark::new(
            if c.team.is_some() { 30 } else { 0 },
            30,
            ev,
            || {
                fb(
                    "This had to be escalated and you did not escalate it.",
                    "Some problems are outside first-line rights or skills; holding on to them delays the fix.",
                    c.advice(
                        "decision",
                        format!("Escalate to {}: {}", c.team_names(), esc.why),
                    ),
                )
            },
        )),
        // Neither resolved nor escalated: the outcome lesson names what was needed.
        EscalationMode::Optional if c.team.is_none() && !c.a.resolved && !c.engaged() => {
            Some(Mark::silent(0, 100, vec![]))
        }
        EscalationMode::Optional if c.team.is_none() => Some(Mark::new(
            if c.a.resolved { 100 } else { 0 },
            100,
            vec![],
            || {
                fb(
                    "You neither resolved it nor escalated it.",
                    "A ticket that is neither fixed nor handed on leaves the customer stuck.",
                    c.advice(
                        "decision",
                        format!(
                            "If you cannot fix it, escalate to {}: {}",
                            c.team_names(),
                            esc.why
                        ),
                    ),
                )
            },
        )),
        EscalationMode::Optional => None,
    }
}

pub static RIGHT_TEAM: Def = Def {
    id: "right_team",
    dimension: Dimension::Escalation,
    title: "Escalated to the right team",
    max: 20,
    eval: right_team,
    how: "When escalating where the variant must (20) or may (50) go: one of the variant's teams.",
};

fn right_team(c: &Ctx) -> Option<Mark> {
    let (max, ev) = when_handed_on(c, 20, 50)?;
    let Some(t) = c.team else {
        return Some(Mark::silent(0, max, ev));
    };
    Some(Mark::new(
        if c.right_team() { max } else { 0 },
        max,
        ev,
        || {
            fb(
                format!("It went to {}.", c.team_name(t)),
                "The wrong queue adds a hop and hours of delay.",
                format!("The right team is {}.", c.team_names()),
            )
        },
    ))
}

pub static TIMING: Def = Def {
    id: "timing",
    dimension: Dimension::Escalation,
    title: "Escalated at the right time",
    max: 15,
    eval: timing,
    how: "Required escalations: within the policy's minutes and after the checks its runbook requires: 15; one of the two: 7; neither: 3.",
};

fn timing(c: &Ctx) -> Option<Mark> {
    let esc = &c.v.escalation;
    if esc.mode != EscalationMode::Required {
        return None;
    }
    let ev: Vec<_> = c
        .escalation_event
        .map(|e| vec![c.evidence(e)])
        .unwrap_or_default();
    if c.team.is_none() {
        return Some(Mark::silent(0, 15, ev));
    }
    let in_time =
        c.a.escalated_at
            .is_some_and(|t| esc.within_minutes.is_none_or(|m| t <= m * 60));
    let checks = c.a.escalated_after_checks.unwrap_or(false);
    Some(Mark::new(
        match (in_time, checks) {
            (true, true) => 15,
            (true, false) | (false, true) => 7,
            (false, false) => 3,
        },
        15,
        ev,
        || {
            fb(
                if !checks {
                    "You escalated before doing the checks first line is expected to do."
                        .to_string()
                } else {
                    format!(
                        "You escalated late (policy: within {} minutes).",
                        esc.within_minutes.unwrap_or(0)
                    )
                },
                "Escalate too early and the next team repeats your job; too late and the damage grows.",
                esc.why.clone(),
            )
        },
    ))
}

pub static HANDOFF: Def = Def {
    id: "handoff",
    dimension: Dimension::Escalation,
    title: "Complete hand-off",
    max: 35,
    eval: handoff,
    how: "Graded like notes against the variant's hand-off facts (or all its rubric facts): share of facts stated and true × 35 (Required) or 50 (Optional), minus 10 per false claim. \"See notes.\" earns nothing.",
};

fn handoff(c: &Ctx) -> Option<Mark> {
    let (max, ev) = when_handed_on(c, 35, 50)?;
    if c.team.is_none() {
        return Some(Mark::silent(0, max, ev));
    }
    let g = &c.handoff;
    let base = (f64::from(max) * g.coverage()).round() as u32;
    let points = base.saturating_sub(FALSE_CLAIM_COST * g.false_claims.len() as u32);
    let missing = g.missing(c.s);
    let mut what = vec![];
    if !missing.is_empty() {
        what.push(format!("The hand-off did not say: {}.", missing.join("; ")));
    }
    for (label, s) in &g.false_claims {
        what.push(format!("\"{s}\" claims {label}, which is not true."));
    }
    Some(Mark::new(points, max, ev, || {
        fb(
            what.join(" "),
            "The next team should never have to call the customer to ask what you already know.",
            c.advice(
                "handoff",
                "State what was reported, what you checked and found, what you did, and what you need from them now.",
            ),
        )
    }))
}

/// Where a criterion about the hand-over applies: its maximum (`required` when the variant
/// must go on, `optional` when it may and did) and the escalation as evidence.
fn when_handed_on(c: &Ctx, required: u32, optional: u32) -> Option<(u32, Vec<Evidence>)> {
    let max = match c.v.escalation.mode {
        EscalationMode::Never => return None,
        EscalationMode::Required => required,
        EscalationMode::Optional if c.team.is_none() => return None,
        EscalationMode::Optional => optional,
    };
    let ev = c
        .escalation_event
        .map(|e| vec![c.evidence(e)])
        .unwrap_or_default();
    Some((max, ev))
}

/// The hand-off carries at least half of what it must.
pub fn handoff_complete(c: &Ctx) -> bool {
    c.handoff.coverage() >= 0.5
}
