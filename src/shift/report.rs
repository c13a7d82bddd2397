//! The shift report as text: the score, criteria, tickets, a timeline of the whole shift,
//! the queue over time (a plot) and the lessons that mattered most.

use super::engine::{Sample, Shift, ShiftEvent};
use super::score::{ShiftCard, clock};
use std::fmt::Write;

/// One timeline line for an event.
pub fn describe(s: &Shift, e: &ShiftEvent) -> String {
    let who = |n: u32| {
        s.ticket(n)
            .map(|t| format!("#{n} {} — {}", t.caller(), t.subject()))
            .unwrap_or_default()
    };
    match e {
        ShiftEvent::Arrived { ticket } => {
            let t = s.ticket(*ticket);
            let ch = t.map(|t| format!("{:?}", t.channel())).unwrap_or_default();
            format!("{ch} in: {}", who(*ticket))
        }
        ShiftEvent::Answered { ticket, waited } => {
            format!("answered {} after {}s", who(*ticket), waited)
        }
        ShiftEvent::Held {
            ticket,
            expectation,
            minutes,
        } => match (minutes, expectation) {
            (m, _) if *m > 0 => format!("put #{ticket} on hold for {m} min"),
            (_, true) => format!("put #{ticket} on hold"),
            _ => format!("put #{ticket} on hold without warning"),
        },
        ShiftEvent::HoldOverran { ticket } => {
            format!("back to #{ticket} later than promised")
        }
        ShiftEvent::Resumed { ticket } => format!("back to #{ticket}"),
        ShiftEvent::Parked { ticket, on, due } => {
            format!(
                "parked #{ticket}, waiting on {on:?}; callback by {}",
                clock(*due)
            )
        }
        ShiftEvent::CallbackKept { ticket } => format!("called #{ticket} back in time"),
        ShiftEvent::CallbackMissed { ticket } => format!("callback to #{ticket} is overdue"),
        ShiftEvent::Linked { ticket, parent } => format!("linked #{ticket} to incident #{parent}"),
        ShiftEvent::Broadcast {
            parent, reached, ..
        } => {
            format!("broadcast an update on #{parent} to {reached} caller(s)")
        }
        ShiftEvent::Worked { ticket, what } => format!("#{ticket}: {what}"),
        ShiftEvent::Closed {
            ticket,
            with_parent,
        } => match with_parent {
            Some(p) => format!("#{ticket} closed with incident #{p}"),
            None => format!("closed {}", who(*ticket)),
        },
        ShiftEvent::Abandoned { ticket, on_hold } => format!(
            "{} {}",
            who(*ticket),
            if *on_hold {
                "hung up on hold"
            } else {
                "rang out"
            }
        ),
        ShiftEvent::TimeUp => "end of shift".into(),
        ShiftEvent::Handover { .. } => "handover note written".into(),
    }
}

/// The queue over time as a text plot: one row per sample time bucket, `#` per ticket
/// waiting (ringing, waiting, on hold, parked).
pub fn queue_plot(samples: &[Sample], length: u32) -> String {
    let mut out = String::new();
    let step = (length / 12).max(60);
    let size = |s: &Sample| s.ringing + s.waiting + s.on_hold + s.parked;
    let mut t = 0;
    while t <= length {
        // The most tickets waiting at any moment of the bucket.
        let at_start = samples.iter().rev().find(|s| s.at <= t).map_or(0, size);
        let inside = samples
            .iter()
            .filter(|s| s.at > t && s.at < t + step)
            .map(size)
            .max()
            .unwrap_or(0);
        let n = at_start.max(inside);
        let _ = writeln!(
            out,
            "  {} {:>2} {}",
            clock(t),
            n,
            "#".repeat(n.min(40) as usize)
        );
        t += step;
    }
    out
}

/// The whole shift report.
pub fn text(shift: &Shift, c: &ShiftCard) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Shift: {} ({}), seed {}", c.title, c.shift, c.seed);
    let _ = writeln!(
        o,
        "Overall {} / 100 — {} (pass mark {})",
        c.overall,
        if c.passed { "PASSED" } else { "NOT PASSED" },
        c.pass_mark
    );
    for b in &c.blockers {
        let _ = writeln!(o, "  blocked: {b}");
    }
    let _ = writeln!(o, "\nCriteria");
    for cr in &c.criteria {
        let _ = writeln!(o, "  {:<20} {:>2} / {:<2}", cr.title, cr.points, cr.max);
        for e in &cr.evidence {
            let _ = writeln!(o, "      {e}");
        }
    }
    let _ = writeln!(o, "\nTickets");
    for t in &c.tickets {
        let score = t
            .overall
            .map(|x| format!(" — scored {x}"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  #{:<2} {} {:<6} {:<18} {} — {}{score}",
            t.no, t.priority, t.channel, t.scenario, t.caller, t.outcome
        );
    }
    let _ = writeln!(o, "\nTimeline");
    for e in &shift.log {
        if matches!(e.event, ShiftEvent::Worked { .. }) {
            continue;
        }
        let _ = writeln!(o, "  {}  {}", clock(e.at), describe(shift, &e.event));
    }
    let _ = writeln!(o, "\nQueue over time (tickets waiting)");
    o.push_str(&queue_plot(&shift.samples, shift.length().max(shift.clock)));
    if !c.lessons.is_empty() {
        let _ = writeln!(o, "\nLessons");
        for (i, l) in c.lessons.iter().enumerate() {
            let _ = writeln!(o, "  {}. {l}", i + 1);
        }
    }
    o
}
