//! Triage (P1/P2 first, incident callers linked, none left to ring out) and pickup SLAs.

use super::Ctx;
use super::clock;
use super::ctx::prio;
use super::registry::{Def, Mark};
use crate::session::ticket::Priority;
use crate::shift::engine::{ShiftEvent, ShiftTicket};

pub static TRIAGE: Def = Def {
    id: "triage",
    title: "Triage",
    max: 25,
    eval: triage,
    blocker: Some(60),
    how: "A decision is a pickup while others waited (or right after parking or holding another ticket to take it), a P1/P2 ringing, or an incident caller. Each pickup while a P1/P2 of higher priority waited, each P1/P2 left to ring out, and each major-incident caller worked as a ticket of its own instead of being linked is a triage miss; points fall with the share of decisions that were misses.",
};

pub static SLA: Def = Def {
    id: "sla",
    title: "SLA adherence",
    max: 20,
    eval: sla,
    blocker: None,
    how: "Share of arrived tickets answered within the pickup target for their priority, weighted P1 ×4, P2 ×3, P3 ×2, P4 ×1; abandoned and never-answered tickets past their target are breaches.",
};

fn high(p: Priority) -> bool {
    p <= Priority::P2
}

/// Tickets waiting (arrived, not answered, not abandoned) at `at`.
fn waiting_at<'a>(c: &Ctx<'a>, at: u32) -> Vec<&'a ShiftTicket> {
    c.arrived()
        .filter(|t| {
            t.arrival.at <= at
                && t.answered_at.is_none_or(|a| a > at)
                && c.abandoned_at(t.no).is_none_or(|a| a > at)
        })
        .collect()
}

fn triage(c: &Ctx) -> Option<Mark> {
    let mut decisions = 0u32;
    let mut misses = vec![];
    let mut prev: Option<&ShiftEvent> = None;
    for e in &c.shift.log {
        let before = prev.replace(&e.event);
        match e.event {
            ShiftEvent::Answered { ticket, .. } | ShiftEvent::Linked { ticket, .. } => {
                let Some(t) = c.shift.ticket(ticket) else {
                    continue;
                };
                if t.answered_at != Some(e.at) {
                    continue; // linked after being answered: not a pickup
                }
                let p = t.arrival.source.priority;
                let others = waiting_at(c, e.at);
                let better = others
                    .iter()
                    .filter(|o| o.no != ticket && high(o.arrival.source.priority))
                    .filter(|o| o.arrival.source.priority < p)
                    .min_by_key(|o| (o.arrival.source.priority, o.arrival.at));
                // A pickup is a decision when others waited, or another ticket was
                // parked or held just before to take it.
                let switched = matches!(
                    before,
                    Some(ShiftEvent::Parked { ticket: x, .. } | ShiftEvent::Held { ticket: x, .. }) if *x != ticket
                );
                if switched || others.iter().any(|o| o.no != ticket) {
                    decisions += 1;
                }
                if let Some(b) = better {
                    misses.push(format!(
                        "{}: picked up ticket {ticket} ({}, {}) while ticket {} ({}, {}) waited",
                        clock(e.at),
                        prio(p),
                        t.subject(),
                        b.no,
                        prio(b.arrival.source.priority),
                        b.subject()
                    ));
                }
            }
            ShiftEvent::Abandoned { ticket, .. } => {
                let Some(t) = c.shift.ticket(ticket) else {
                    continue;
                };
                if high(t.arrival.source.priority) {
                    decisions += 1;
                    misses.push(format!(
                        "{}: ticket {ticket} ({}, {}) rang out unanswered",
                        clock(e.at),
                        prio(t.arrival.source.priority),
                        t.caller()
                    ));
                }
            }
            _ => {}
        }
    }
    // Incident callers worked one by one.
    for (i, _) in c.shift.profile.incidents.iter().enumerate() {
        let tickets = c.incident_tickets(i);
        let worked: Vec<u32> = tickets
            .iter()
            .filter(|t| t.parent.is_none() && c.worked(t.no) > 0)
            .map(|t| t.no)
            .collect();
        for n in worked.iter().skip(1) {
            decisions += 1;
            misses.push(format!(
                "ticket {n} was worked on its own although it is the same incident as ticket {}",
                worked[0]
            ));
        }
    }
    if decisions == 0 {
        return None;
    }
    let ok = decisions.saturating_sub(misses.len() as u32);
    let points = 25 * ok / decisions;
    let mut evidence = vec![format!("{ok} of {decisions} triage decisions were right")];
    evidence.extend(misses);
    Some(Mark {
        points,
        max: 25,
        evidence,
        lesson: "Triage before you pick up: take P1/P2 first (an outage, a VIP who cannot work) and let lower priorities wait; when several people ring about one fault, open one incident ticket and link the others to it instead of troubleshooting each call.".into(),
    })
}

fn weight(p: Priority) -> u32 {
    match p {
        Priority::P1 => 4,
        Priority::P2 => 3,
        Priority::P3 => 2,
        Priority::P4 => 1,
    }
}

fn sla(c: &Ctx) -> Option<Mark> {
    let now = c.shift.clock;
    let (mut got, mut total) = (0u32, 0u32);
    let mut evidence = vec![];
    for t in c.arrived() {
        let p = t.arrival.source.priority;
        let target = t.arrival.at + c.shift.profile.sla.secs(p);
        let met = match t.answered_at {
            Some(a) => a <= target,
            None if c.abandoned_at(t.no).is_some() => false,
            None if now <= target => continue, // still inside its target at the end
            None => false,
        };
        total += weight(p);
        if met {
            got += weight(p);
        } else {
            let when = t.answered_at.map_or("not answered".to_string(), |a| {
                format!("answered after {} min", (a - t.arrival.at) / 60)
            });
            evidence.push(format!(
                "ticket {} ({}) {when}; target {} min",
                t.no,
                prio(p),
                c.shift.profile.sla.secs(p) / 60
            ));
        }
    }
    if total == 0 {
        return None;
    }
    Some(Mark {
        points: 20 * got / total,
        max: 20,
        evidence,
        lesson: "Watch the SLA clocks in the queue: pick up each ticket within its priority's target, and keep calls short when the queue grows.".into(),
    })
}
