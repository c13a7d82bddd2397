//! Abandoned calls, hold etiquette and the backlog left at the end.

use super::Ctx;
use super::clock;
use super::registry::{Def, Mark};
use crate::shift::engine::ShiftEvent;

pub static ABANDONED: Def = Def {
    id: "abandoned",
    title: "Abandoned calls",
    max: 10,
    eval: abandoned,
    blocker: None,
    how: "Callers who rang out or hung up on hold: 10 points less 4 per abandoned caller. Applies when the shift had callers.",
};

pub static HOLD: Def = Def {
    id: "hold",
    title: "Hold etiquette",
    max: 10,
    eval: hold,
    blocker: None,
    how: "Each hold announced with its length (or preceded by a reply that set expectations, within three minutes) and not overrun by more than 30 seconds; each parked ticket resumed by its callback time. Applies only when the trainee held or parked someone.",
};

pub static BACKLOG: Def = Def {
    id: "backlog",
    title: "Backlog left",
    max: 5,
    eval: backlog,
    blocker: None,
    how: "Share of arrived tickets not left open at the end (closed, or linked to an incident).",
};

fn abandoned(c: &Ctx) -> Option<Mark> {
    let callers = c.arrived().filter(|t| t.live()).count();
    if callers == 0 {
        return None;
    }
    let mut evidence = vec![];
    for e in &c.shift.log {
        if let ShiftEvent::Abandoned { ticket, on_hold } = e.event {
            let who = c.shift.ticket(ticket).map_or("", |t| t.caller());
            evidence.push(format!(
                "{}: {who} (ticket {ticket}) {}",
                clock(e.at),
                if on_hold {
                    "hung up on hold"
                } else {
                    "rang out unanswered"
                }
            ));
        }
    }
    Some(Mark {
        points: 10u32.saturating_sub(4 * evidence.len() as u32),
        max: 10,
        evidence,
        lesson: "Do not let phones ring out or callers wait on hold past their patience: hold the current call briefly to pick up, or park it with a callback time.".into(),
    })
}

fn hold(c: &Ctx) -> Option<Mark> {
    let (mut ok, mut total) = (0u32, 0u32);
    let mut evidence = vec![];
    for e in &c.shift.log {
        match e.event {
            ShiftEvent::Abandoned {
                ticket,
                on_hold: true,
            } => {
                ok = ok.saturating_sub(1);
                evidence.push(format!("{}: ticket {ticket} hung up on hold", clock(e.at)));
            }
            ShiftEvent::HoldOverran { ticket } => {
                ok = ok.saturating_sub(1);
                evidence.push(format!(
                    "{}: ticket {ticket} was held longer than the caller was told",
                    clock(e.at)
                ));
            }
            ShiftEvent::Held {
                ticket,
                expectation,
                ..
            } => {
                total += 1;
                if expectation {
                    ok += 1;
                } else {
                    evidence.push(format!(
                        "{}: ticket {ticket} put on hold without telling the caller what was happening",
                        clock(e.at)
                    ));
                }
            }
            ShiftEvent::CallbackKept { .. } => {
                total += 1;
                ok += 1;
            }
            ShiftEvent::CallbackMissed { ticket } => {
                total += 1;
                evidence.push(format!(
                    "{}: the callback to ticket {ticket} was missed",
                    clock(e.at)
                ));
            }
            _ => {}
        }
    }
    // A parked ticket whose callback is still due at the end counts as neither.
    (total > 0).then(|| Mark {
        points: 10 * ok / total,
        max: 10,
        evidence,
        lesson: "Before a hold, tell the caller why and for how long; when you park a ticket, call back by the time you promised.".into(),
    })
}

fn backlog(c: &Ctx) -> Option<Mark> {
    let arrived = c.arrived().count() as u32;
    if arrived == 0 {
        return None;
    }
    let open: Vec<String> = c
        .arrived()
        .filter(|t| t.open())
        .map(|t| format!("ticket {} ({}) left open", t.no, t.subject()))
        .collect();
    Some(Mark {
        points: 5 * (arrived - open.len() as u32) / arrived,
        max: 5,
        evidence: open,
        lesson: "Close what you can before the end of the shift, and hand over the rest clearly."
            .into(),
    })
}
