//! Documentation quality: the work notes' facts (true of this attempt, in real
//! sentences), structure, length, tone and secrets. Nothing is earned by empty notes.

use super::context::Ctx;
use super::notes::{self, Section};
use super::registry::{Def, Mark};
use super::{Dimension, fb};

/// Points lost per false claim in the notes.
pub const FALSE_CLAIM_COST: u32 = 10;

pub static FACTS: Def = Def {
    id: "facts",
    dimension: Dimension::Documentation,
    title: "Notes state the key facts",
    max: 50,
    eval: facts,
    how: "50 × (required facts stated in real sentences and true of this attempt) / (required facts), minus 10 per false claim (another variant's cause, an action not taken, \"fixed\" when it is not). A sentence carrying three or more facts, or a list, earns at most one.",
};

fn facts(c: &Ctx) -> Option<Mark> {
    let g = &c.notes;
    let base = (50.0 * g.coverage()).round() as u32;
    let points = base.saturating_sub(FALSE_CLAIM_COST * g.false_claims.len() as u32);
    let ev = c
        .events
        .iter()
        .rfind(|e| {
            matches!(
                e.kind,
                crate::session::event::EventKind::NotesWritten { .. }
            )
        })
        .map(|e| vec![c.evidence(e)])
        .unwrap_or_default();
    let mut what = vec![];
    let missing = g.missing(c.s);
    if g.words == 0 {
        what.push("There are no work notes.".to_string());
    } else if !missing.is_empty() {
        what.push(format!("The notes do not state: {}.", missing.join("; ")));
    }
    if g.padding > 0 && g.padding >= g.earned.len() {
        what.push(if g.padding == 1 {
            "One sentence only repeats facts already stated.".to_string()
        } else {
            format!(
                "{} sentences only repeat facts already stated, like a keyword list.",
                g.padding
            )
        });
    }
    for (label, sentence) in &g.false_claims {
        what.push(format!(
            "\"{sentence}\" claims {label}, which is not true of this attempt."
        ));
    }
    Some(Mark::new(points, 50, ev, || {
        fb(
            what.join(" "),
            "The next technician (or you, next week) must be able to trust the notes and understand the case from them alone.",
            c.advice(
                "facts",
                "Write one plain sentence per fact, only what you saw and did: what the user reported, what you found, the cause, what you did and the result.",
            ),
        )
    }))
}

pub static STRUCTURE: Def = Def {
    id: "structure",
    dimension: Dimension::Documentation,
    title: "Structured notes",
    max: 20,
    eval: structure,
    how: "4 per section (symptom, diagnosis, cause, actions, outcome) holding a sentence that earned a fact.",
};

fn structure(c: &Ctx) -> Option<Mark> {
    let secs = &c.notes.sections;
    let missing: Vec<&str> = Section::ALL
        .iter()
        .filter(|x| !secs.contains(x))
        .map(|x| x.label())
        .collect();
    Some(Mark::new(4 * secs.len() as u32, 20, vec![], || {
        fb(
            format!("No fact stated for: {}.", missing.join(", ")),
            "A predictable structure lets anyone find the cause and the outcome in seconds.",
            "Use Symptom / Diagnosis / Cause / Actions / Outcome, each with a sentence that states what happened.",
        )
    }))
}

pub static LENGTH: Def = Def {
    id: "length",
    dimension: Dimension::Documentation,
    title: "Concise but complete",
    max: 10,
    eval: length,
    how: "Within the rubric's word range and covering at least half the facts: 10; some facts or out of range: 5; no facts: 0.",
};

fn length(c: &Ctx) -> Option<Mark> {
    let g = &c.notes;
    let r = &c.s.rubric;
    let wc = g.words as u32;
    let in_range = wc >= r.min_words && wc <= r.max_words;
    let points = if g.earned.is_empty() {
        0
    } else if in_range && g.coverage() >= 0.5 {
        10
    } else {
        5
    };
    Some(Mark::new(points, 10, vec![], || {
        fb(
            format!(
                "The notes are {wc} words (aim for {}–{}) and state {} of {} facts.",
                r.min_words,
                r.max_words,
                g.earned.len(),
                g.required.len()
            ),
            "Too short loses facts; too long buries them.",
            "Cover the five parts in a sentence or two each.",
        )
    }))
}

pub static PROFESSIONAL: Def = Def {
    id: "professional",
    dimension: Dimension::Documentation,
    title: "Professional tone",
    max: 10,
    eval: professional,
    how: "Notes and hand-off without blame or slang (5 off per expression); notes that state no fact earn nothing.",
};

fn professional(c: &Ctx) -> Option<Mark> {
    let handoff =
        c.a.ticket
            .escalation
            .as_ref()
            .map(|e| e.1.as_str())
            .unwrap_or("");
    let slang = notes::unprofessional(&format!("{}\n{handoff}", c.a.ticket.notes));
    let scale: u32 = if c.notes.earned.is_empty() { 0 } else { 10 };
    Some(Mark::new(
        scale.saturating_sub(5 * slang.len() as u32),
        10,
        vec![],
        || {
            fb(
                if slang.is_empty() {
                    "The notes state no fact, so there is no tone to credit.".to_string()
                } else {
                    format!("Unprofessional wording: {}.", slang.join(", "))
                },
                "Tickets are business records; customers and auditors may read them.",
                "Describe facts neutrally, without blame or slang.",
            )
        },
    ))
}

pub static NO_SECRETS: Def = Def {
    id: "no_secrets",
    dimension: Dimension::Documentation,
    title: "No secrets in the ticket",
    max: 10,
    eval: no_secrets,
    how: "No temporary password or other secret of the attempt in the notes, hand-off or resolution note, in any case or separator form (a leak is also a critical fail); earned only by notes that state facts.",
};

fn no_secrets(c: &Ctx) -> Option<Mark> {
    let leak = leaked(c);
    Some(Mark::new(
        if leak.is_none() && !c.notes.earned.is_empty() {
            10
        } else {
            0
        },
        10,
        vec![],
        || {
            fb(
                leak.map(|x| format!("The ticket contains {x}."))
                    .unwrap_or_else(|| {
                        "The notes state nothing, so there is nothing to credit.".into()
                    }),
                "Tickets are widely readable; a password in a ticket is a security incident.",
                "Write \"temporary password given verbally to the verified user\" — never the password itself.",
            )
        },
    ))
}

/// A secret anywhere in the ticket (notes, hand-off, resolution note), described.
pub fn leaked(c: &Ctx) -> Option<String> {
    let mut secrets = c.a.temp_passwords.clone();
    secrets.extend(c.s.secrets.iter().cloned());
    c.notes
        .secret
        .clone()
        .or_else(|| c.handoff.secret.clone())
        .or_else(|| {
            c.a.ticket
                .resolution
                .as_deref()
                .and_then(|r| notes::secret_in(r, &secrets))
        })
}
