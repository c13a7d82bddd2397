//! Incident handling, ticket quality (each ticket's own scorecard) and the handover note.

use super::Ctx;
use super::registry::{Def, Mark};
use crate::scenario::model::Fact;
use crate::scoring::notes;
use crate::shift::engine::ShiftEvent;

pub static INCIDENT: Def = Def {
    id: "incident",
    title: "Incident handling",
    max: 15,
    eval: incident,
    blocker: None,
    how: "Per major incident: the share of its callers (after the first) linked to one parent ticket rather than worked one by one (10), and a broadcast update to the linked callers (5). Applies when an incident's callers arrived.",
};

pub static QUALITY: Def = Def {
    id: "quality",
    title: "Ticket quality",
    max: 15,
    eval: quality,
    blocker: None,
    how: "The mean overall of the tickets worked to a close, from each ticket's own scorecard (technical, empathy, documentation, escalation).",
};

pub static HANDOVER: Def = Def {
    id: "handover",
    title: "Handover note",
    max: 10,
    eval: handover,
    blocker: None,
    how: "Graded like ticket notes: each ticket left open must be named (caller or ticket number) in a real sentence; lists earn one; a secret or unprofessional word earns nothing. With nothing open, a real sentence earns it.",
};

fn incident(c: &Ctx) -> Option<Mark> {
    let (mut got, mut max) = (0u32, 0u32);
    let mut evidence = vec![];
    for (i, inc) in c.shift.profile.incidents.iter().enumerate() {
        let tickets: Vec<_> = c
            .incident_tickets(i)
            .into_iter()
            .filter(|t| t.answered_at.is_some() || c.abandoned_at(t.no).is_some())
            .collect();
        if tickets.len() < 2 {
            continue;
        }
        max += 15;
        let linked = tickets.iter().filter(|t| t.parent.is_some()).count() as u32;
        let others = tickets.len() as u32 - 1;
        got += 10 * linked.min(others) / others;
        evidence.push(format!(
            "{}: {linked} of {others} further callers linked to a parent ticket",
            inc.source.scenario.title
        ));
        let parents: Vec<u32> = tickets.iter().filter_map(|t| t.parent).collect();
        let broadcast = c.shift.log.iter().any(|e| {
            matches!(e.event, ShiftEvent::Broadcast { parent, reached, .. } if reached > 0 && parents.contains(&parent))
        });
        if broadcast {
            got += 5;
        } else {
            evidence.push("no broadcast update to the affected callers".into());
        }
    }
    (max > 0).then(|| Mark {
        points: got * 15 / max,
        max: 15,
        evidence,
        lesson: "In a major incident, open one parent ticket, link every further caller to it (they close with it) and broadcast updates, instead of troubleshooting each call.".into(),
    })
}

fn quality(c: &Ctx) -> Option<Mark> {
    c.arrived().next()?;
    let mut evidence = vec![];
    for (n, card) in &c.cards {
        evidence.push(format!(
            "ticket {n} ({}): {} / 100, {}",
            card.scenario,
            card.overall,
            if card.passed { "passed" } else { "not passed" }
        ));
    }
    let sum: u32 = c.cards.iter().map(|x| x.1.overall).sum();
    let points = if c.cards.is_empty() {
        evidence.push("no ticket was worked to a close".into());
        0
    } else {
        15 * sum / (100 * c.cards.len() as u32)
    };
    Some(Mark {
        points,
        max: 15,
        evidence,
        lesson: "Speed is not everything: each ticket still needs the diagnosis, the empathy and the notes a single call would — see its own debrief.".into(),
    })
}

fn handover(c: &Ctx) -> Option<Mark> {
    let Some(text) = &c.shift.handover else {
        return Some(Mark {
            points: 0,
            max: 10,
            evidence: vec!["no handover note was written".into()],
            lesson: "End every shift with a handover note: what is still open, for whom, and what happens next.".into(),
        });
    };
    let lesson = "In the handover, name each ticket still open (caller or number) and say in a sentence what is pending.".to_string();
    if let Some(s) = notes::secret(text, &[]) {
        return Some(Mark {
            points: 0,
            max: 10,
            evidence: vec![format!("the handover contains a secret ({s})")],
            lesson: "Never write passwords or keys in a handover note.".into(),
        });
    }
    let rude = notes::unprofessional(text);
    if !rude.is_empty() {
        return Some(Mark {
            points: 0,
            max: 10,
            evidence: vec![format!("unprofessional wording: {}", rude.join(", "))],
            lesson,
        });
    }
    let open: Vec<_> = c.arrived().filter(|t| t.open()).collect();
    let facts: Vec<Fact> = open
        .iter()
        .map(|t| {
            let name = t.caller().to_lowercase();
            let first = name.split_whitespace().next().unwrap_or("").to_string();
            Fact {
                key: format!("t{}", t.no),
                label: format!("ticket {} ({})", t.no, t.caller()),
                phrasings: vec![
                    name.clone(),
                    first,
                    format!("ticket {}", t.no),
                    format!("#{}", t.no),
                ],
                variants: vec![],
                requires: None,
            }
        })
        .collect();
    let refs: Vec<&Fact> = facts.iter().collect();
    if open.is_empty() {
        let real = notes::analyse(text, &refs, &[]).real_sentences();
        return Some(Mark {
            points: if real > 0 { 10 } else { 0 },
            max: 10,
            evidence: vec![format!("{real} real sentence(s); nothing was left open")],
            lesson,
        });
    }
    let covered = notes::facts_covered(text, &refs);
    let mut evidence: Vec<String> = facts
        .iter()
        .filter(|f| !covered.iter().any(|c| c.key == f.key))
        .map(|f| format!("{} is not handed over", f.label))
        .collect();
    evidence.insert(
        0,
        format!(
            "{} of {} open tickets handed over",
            covered.len(),
            facts.len()
        ),
    );
    Some(Mark {
        points: 10 * covered.len() as u32 / facts.len() as u32,
        max: 10,
        evidence,
        lesson,
    })
}
