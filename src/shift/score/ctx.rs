//! What the shift shows, read once for every criterion.

use super::TicketLine;
use crate::scoring::{self, Scorecard};
use crate::session::ticket::Priority;
use crate::shift::engine::{Shift, ShiftEvent, ShiftTicket, State};

/// The shift and each worked ticket's scorecard.
pub struct Ctx<'a> {
    pub shift: &'a Shift,
    /// Scorecards of tickets worked to a close on their own (not closed with a parent).
    pub cards: Vec<(u32, Scorecard)>,
}

impl<'a> Ctx<'a> {
    pub fn new(shift: &'a Shift) -> Ctx<'a> {
        let cards = shift
            .tickets
            .iter()
            .filter(|t| t.state == State::Closed && !t.closed_with_parent)
            .map(|t| {
                let a = t.session.attempt();
                (t.no, scoring::score(&t.arrival.source.scenario, &a))
            })
            .collect();
        Ctx { shift, cards }
    }

    pub fn tickets(&self) -> &'a [ShiftTicket] {
        &self.shift.tickets
    }

    /// Tickets that have arrived.
    pub fn arrived(&self) -> impl Iterator<Item = &'a ShiftTicket> {
        self.shift
            .tickets
            .iter()
            .filter(|t| t.state != State::Pending)
    }

    /// When a ticket was abandoned, if it was.
    pub fn abandoned_at(&self, no: u32) -> Option<u32> {
        self.shift.log.iter().find_map(|e| match e.event {
            ShiftEvent::Abandoned { ticket, .. } if ticket == no => Some(e.at),
            _ => None,
        })
    }

    /// Tickets of a major incident (by incident index).
    pub fn incident_tickets(&self, i: usize) -> Vec<&'a ShiftTicket> {
        self.shift
            .tickets
            .iter()
            .filter(|t| t.arrival.incident == Some(i))
            .collect()
    }

    /// How many session actions a ticket received.
    pub fn worked(&self, no: u32) -> usize {
        self.shift
            .ticket(no)
            .map_or(0, |t| t.session.actions().len())
    }

    /// A ticket's report line.
    pub fn lines(&self) -> Vec<TicketLine> {
        self.shift
            .tickets
            .iter()
            .filter(|t| t.state != State::Pending)
            .map(|t| {
                let card = self.cards.iter().find(|c| c.0 == t.no).map(|c| &c.1);
                TicketLine {
                    no: t.no,
                    scenario: t.arrival.source.scenario.id.clone(),
                    caller: t.caller().to_string(),
                    channel: format!("{:?}", t.channel()),
                    priority: prio(t.arrival.source.priority).into(),
                    arrived: t.arrival.at,
                    answered: t.answered_at,
                    outcome: outcome(t),
                    overall: card.map(|c| c.overall),
                    passed: card.map(|c| c.passed),
                }
            })
            .collect()
    }
}

/// `P1` … `P4`.
pub fn prio(p: Priority) -> &'static str {
    match p {
        Priority::P1 => "P1",
        Priority::P2 => "P2",
        Priority::P3 => "P3",
        Priority::P4 => "P4",
    }
}

fn outcome(t: &ShiftTicket) -> String {
    match t.state {
        State::Closed if t.closed_with_parent => {
            format!("closed with incident {}", t.parent.unwrap_or(0))
        }
        State::Linked { parent } => format!("linked to {parent}, still open"),
        s => crate::shift::engine::state_word(s).to_string(),
    }
}
