//! Technical accuracy: the outcome, diagnosis that looked at the fault, no harm, only
//! the changes the fault needed, the ticket's classification, time and independence.

use super::context::Ctx;
use super::registry::{Def, Mark};
use super::{Dimension, fb};
use crate::scenario::format::{Reveals, Severity};
use crate::session::event::{ChangeClass, EventKind, clock};
use crate::session::ticket::priority;

pub static ROOT_CAUSE: Def = Def {
    id: "root_cause",
    dimension: Dimension::Technical,
    title: "Root cause dealt with",
    max: 35,
    eval: root_cause,
    how: "The variant's resolution condition holds at the end (fault repaired and, where required, confirmed, escalated or reported).",
};

fn root_cause(c: &Ctx) -> Option<Mark> {
    let ev = c
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Resolved { .. } | EventKind::Escalated { .. }
            )
        })
        .map(|e| c.evidence(e))
        .collect();
    let what = if c.impostor() {
        format!(
            "The caller was an impostor: this was a social-engineering call, not a customer to help. What was really going on: {}.",
            c.v.description
        )
    } else if c.a.fixed_unconfirmed {
        "The fault itself was fixed, but the customer never confirmed it works, so the ticket is not resolved from their side.".to_string()
    } else {
        format!(
            "This attempt did not reach the outcome it needed. What was really going on: {}.",
            c.v.description
        )
    };
    Some(Mark::new(if c.a.resolved { 35 } else { 0 }, 35, ev, || {
        fb(
            what,
            if c.impostor() {
                "An attacker who gets what they asked for owns the account; the real owner and Security must hear about it."
            } else {
                "Until the real cause is dealt with the customer cannot work, and the ticket will come back."
            },
            c.advice(
                "root_cause",
                format!("Aim for: {}.", c.v.resolution.description),
            ),
        )
    }))
}

pub static DIAGNOSIS: Def = Def {
    id: "diagnosis_first",
    dimension: Dimension::Technical,
    title: "Diagnosed before acting",
    max: 25,
    eval: diagnosis,
    how: "A tool run whose output showed the fault (it differs from the same call on the healthy world, on an entity the fault concerns) before the first change or escalation: 25; only after acting: 8; none: 0. A hint that gave the cause away before that observation takes the credit back. Where the fault is not in the world (a request), looking at what the request concerns counts.",
};

fn diagnosis(c: &Ctx) -> Option<Mark> {
    let first_obs = c.observations.first().map(|e| e.at);
    let before = match (first_obs, c.first_act_at) {
        (Some(o), Some(t)) => o <= t,
        (Some(_), None) => true,
        _ => false,
    };
    let gave_away = c
        .hints
        .iter()
        .find(|(e, r)| *r != Reveals::Nudge && first_obs.is_none_or(|o| e.at <= o));
    let points = if gave_away.is_some() {
        0
    } else if before {
        25
    } else if first_obs.is_some() {
        8
    } else {
        0
    };
    let mut evidence: Vec<_> = c
        .observations
        .iter()
        .take(3)
        .map(|e| c.evidence(e))
        .collect();
    if let Some((e, _)) = gave_away {
        evidence.push(c.evidence(e));
    }
    let tried: Vec<&str> = c
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ToolRan {
                command,
                observed: false,
                ..
            } => Some(command.as_str()),
            _ => None,
        })
        .take(3)
        .collect();
    let what = if gave_away.is_some() {
        "A hint told you where the cause was before you had looked for it yourself, so the diagnosis was not yours.".to_string()
    } else if first_obs.is_none() && tried.is_empty() {
        "You never looked at the fault with a diagnostic tool.".to_string()
    } else if first_obs.is_none() {
        format!(
            "Your checks ({}) looked at things that were working normally, not at the fault.",
            tried
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        "You changed things before any check had shown you the fault.".to_string()
    };
    Some(Mark::new(points, 25, evidence, || {
        fb(
            what,
            "Acting without evidence is guessing: it wastes time, can make things worse, and you cannot tell the next person why it broke.",
            c.advice(
                "diagnosis_first",
                "Check the affected user's account, device or printer first and let what it shows point you at the cause.",
            ),
        )
    }))
}

pub static NO_HARM: Def = Def {
    id: "no_harm",
    dimension: Dimension::Technical,
    title: "No harmful actions",
    max: 15,
    eval: no_harm,
    how: "15, minus 8 per harm (collateral damage, an unneeded security-relevant change) and 15 per policy violation; every one is listed. Not earned by doing nothing.",
};

fn no_harm(c: &Ctx) -> Option<Mark> {
    let mut lost = 0u32;
    let mut evidence = vec![];
    for e in &c.harms {
        lost += 8;
        evidence.push(c.evidence(e));
    }
    for (e, sev) in &c.violations {
        lost += match sev {
            Severity::Minor => 5,
            _ => 15,
        };
        evidence.push(c.evidence(e));
    }
    let points = if c.engaged() {
        15u32.saturating_sub(lost)
    } else {
        0
    };
    let what = if evidence.is_empty() {
        "Nothing was done, so there is nothing to credit.".to_string()
    } else {
        format!(
            "{} harmful action(s): {}.",
            evidence.len(),
            evidence
                .iter()
                .map(|e| e.text.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    Some(Mark::new(points, 15, evidence, || {
        fb(
            what,
            "An action that breaks policy or damages other people's work creates a bigger incident than the one you were fixing.",
            c.advice(
                "no_harm",
                "Check the policy (identity, approval, who else is affected) before acting, and choose the narrowest change.",
            ),
        )
    }))
}

pub static NEEDED_ONLY: Def = Def {
    id: "needed_only",
    dimension: Dimension::Technical,
    title: "Only the changes the fault needed",
    max: 10,
    eval: needed_only,
    how: "Each change is classified when made: needed (on a shortest path to this variant's resolution), unneeded, or harmful (unneeded and security-relevant, also counted as harm). 10, minus 5 per unneeded or harmful change. Not earned by doing nothing.",
};

fn needed_only(c: &Ctx) -> Option<Mark> {
    let extra: Vec<_> = c
        .changes
        .iter()
        .filter(|(_, k)| matches!(k, ChangeClass::Unneeded | ChangeClass::Harmful))
        .collect();
    let points = if c.engaged() {
        10u32.saturating_sub(5 * extra.len() as u32)
    } else {
        0
    };
    Some(Mark::new(
        points,
        10,
        extra.iter().map(|(e, _)| c.evidence(e)).collect(),
        || {
            fb(
                if extra.is_empty() {
                    "Nothing was done, so there is nothing to credit.".to_string()
                } else {
                    format!("{} change(s) the fault did not need.", extra.len())
                },
                "Every change is a risk and has to be undone or explained; unneeded ones hide what actually fixed it.",
                c.advice(
                    "needed_only",
                    "Change only what the evidence points at, then check whether that fixed it.",
                ),
            )
        },
    ))
}

pub static NO_SHOTGUN: Def = Def {
    id: "no_shotgun",
    dimension: Dimension::Technical,
    title: "No shotgun fixes",
    max: 10,
    eval: no_shotgun,
    how: "Fixes that changed nothing or were refused: the first is free, each further one costs 4. Not earned by doing nothing.",
};

fn no_shotgun(c: &Ctx) -> Option<Mark> {
    let wasted: Vec<_> = c
        .changes
        .iter()
        .filter(|(_, k)| matches!(k, ChangeClass::NoEffect | ChangeClass::Refused))
        .collect();
    let points = if c.engaged() {
        (10i32 - 4 * (wasted.len() as i32 - 1).max(0)).max(0) as u32
    } else {
        0
    };
    Some(Mark::new(
        points,
        10,
        wasted.iter().map(|(e, _)| c.evidence(e)).collect(),
        || {
            fb(
                format!("{} fixes changed nothing or were refused.", wasted.len()),
                "Trying fixes at random costs the customer time and hides what actually worked.",
                c.advice(
                    "no_shotgun",
                    "Form a hypothesis from the diagnostics and apply the one fix it points to.",
                ),
            )
        },
    ))
}

pub static CATEGORY: Def = Def {
    id: "ticket_category",
    dimension: Dimension::Technical,
    title: "Ticket category",
    max: 5,
    eval: category,
    how: "The ticket's category equals the variant's.",
};

fn category(c: &Ctx) -> Option<Mark> {
    let want = c.v.ticket.category;
    let got = c.a.ticket.category;
    Some(Mark::new(
        if got == Some(want) { 5 } else { 0 },
        5,
        vec![],
        || {
            fb(
                format!(
                    "Category was {}.",
                    got.map(|x| x.label().to_string())
                        .unwrap_or_else(|| "not set".into())
                ),
                "Categories route tickets and drive reporting; a wrong one hides trends.",
                format!("This is a {} ticket.", want.label()),
            )
        },
    ))
}

pub static PRIORITY: Def = Def {
    id: "ticket_priority",
    dimension: Dimension::Technical,
    title: "Ticket priority",
    max: 10,
    eval: prio,
    how: "Impact × urgency gives the variant's priority: 10; one level off: 5.",
};

fn prio(c: &Ctx) -> Option<Mark> {
    let want = priority(c.v.ticket.impact, c.v.ticket.urgency);
    let got = c.a.ticket.priority();
    let points = match got {
        Some(p) if p == want => 10,
        Some(p) if (p as i32 - want as i32).abs() == 1 => 5,
        _ => 0,
    };
    Some(Mark::new(points, 10, vec![], || {
        fb(
            format!(
                "Priority was {}.",
                got.map(|p| p.to_string())
                    .unwrap_or_else(|| "not set (impact and urgency are both needed)".into())
            ),
            "Priority decides who gets helped first; over- or under-rating it hurts other customers.",
            format!(
                "Impact {} × urgency {} gives {want}.",
                c.v.ticket.impact.label(),
                c.v.ticket.urgency.label()
            ),
        )
    }))
}

pub static SLA: Def = Def {
    id: "sla",
    dimension: Dimension::Technical,
    title: "Within the SLA",
    max: 5,
    eval: sla,
    how: "Resolved (or handed to the right team) within the scenario's SLA.",
};

fn sla(c: &Ctx) -> Option<Mark> {
    let done = c.a.resolved || c.right_team();
    if !done {
        // Not done at all: the outcome lesson says so; no second explanation.
        return Some(Mark::silent(0, 5, vec![]));
    }
    let in_sla = c.a.elapsed_secs <= c.s.sla_minutes * 60;
    Some(Mark::new(if in_sla { 5 } else { 0 }, 5, vec![], || {
        fb(
            format!(
                "The attempt took {} against an SLA of {} minutes.",
                clock(c.a.elapsed_secs),
                c.s.sla_minutes
            ),
            "SLAs are promises to the business; breaching them has consequences for the whole desk.",
            format!(
                "An expert needs about {} minutes: diagnose, fix, document.",
                c.s.minutes
            ),
        )
    }))
}

pub static INDEPENDENCE: Def = Def {
    id: "independence",
    dimension: Dimension::Technical,
    title: "Worked without hints",
    max: 10,
    eval: independence,
    how: "10, minus 2 per nudge, 5 per hint that showed where the cause was and 10 per hint that named the fix. Not earned by doing nothing.",
};

fn independence(c: &Ctx) -> Option<Mark> {
    let lost: u32 = c
        .hints
        .iter()
        .map(|(_, r)| match r {
            Reveals::Nudge => 2,
            Reveals::Cause => 5,
            Reveals::Fix => 10,
        })
        .sum();
    let points = if c.engaged() {
        10u32.saturating_sub(lost)
    } else {
        0
    };
    Some(Mark::new(
        points,
        10,
        c.hints.iter().map(|(e, _)| c.evidence(e)).collect(),
        || {
            fb(
                if c.hints.is_empty() {
                    "Nothing was done, so there is nothing to credit.".to_string()
                } else {
                    format!("You used {} hint(s).", c.hints.len())
                },
                "Hints are fine while learning, but on the job you'll need to reason it out.",
                "Next time try the knowledge base and the diagnostic tools before asking for a hint.",
            )
        },
    ))
}
