//! `Shift`: several sessions under one simulated clock. Tickets arrive on the
//! schedule; phones ring and are abandoned, held callers give up, chats and e-mail wait.
//! Every shift action is checked first: a rejected action changes nothing and says why.

use super::format::WaitingOn;
use super::load::ShiftAction;
use super::model::{Arrival, ShiftProfile};
use crate::scenario::format::{Channel, Tag};
use crate::session::Session;
use crate::session::action::MAX_NOTE_CHARS;
use crate::session::event::EventKind;
use serde::Serialize;
use std::sync::Arc;

/// Where a ticket is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum State {
    /// Not arrived yet.
    Pending,
    /// A phone ringing or someone at the desk, not yet answered.
    Ringing,
    /// A chat or e-mail waiting in the queue.
    Waiting,
    /// The ticket being worked.
    Active,
    /// A live call on hold since `since`, told it would be back by `until`;
    /// `expectation`: the caller was told what was happening first.
    OnHold {
        since: u32,
        until: Option<u32>,
        expectation: bool,
    },
    /// Waiting on the user or a team; call back by `due`.
    Parked {
        on: WaitingOn,
        due: u32,
    },
    /// A chat or e-mail set aside while another ticket is worked.
    SetAside,
    /// Linked to a parent incident ticket; closes with it.
    Linked {
        parent: u32,
    },
    Closed,
    /// The caller gave up (ringing out, or on hold).
    Abandoned,
}

/// One ticket of the shift.
#[derive(Debug, Clone)]
pub struct ShiftTicket {
    pub no: u32,
    pub arrival: Arrival,
    pub session: Session,
    pub state: State,
    pub answered_at: Option<u32>,
    pub closed_at: Option<u32>,
    /// Closed because its parent incident closed.
    pub closed_with_parent: bool,
    /// Linked to this parent (kept after the ticket closes with it).
    pub parent: Option<u32>,
}

impl ShiftTicket {
    /// The name shown in the queue.
    pub fn caller(&self) -> &str {
        self.arrival
            .caller
            .as_deref()
            .unwrap_or(self.session.customer_name())
    }
    /// The subject line shown in the queue.
    pub fn subject(&self) -> &str {
        &self.arrival.source.scenario.title
    }
    pub fn channel(&self) -> Channel {
        self.arrival.source.channel
    }
    /// A live conversation: a phone call or a walk-up.
    pub fn live(&self) -> bool {
        matches!(self.channel(), Channel::Phone | Channel::WalkIn)
    }
    /// Still needs work (arrived, not closed, linked or abandoned).
    pub fn open(&self) -> bool {
        !matches!(
            self.state,
            State::Pending | State::Closed | State::Abandoned | State::Linked { .. }
        )
    }
}

/// What happened on the shift, for the timeline and scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ShiftEvent {
    Arrived {
        ticket: u32,
    },
    Answered {
        ticket: u32,
        waited: u32,
    },
    Held {
        ticket: u32,
        expectation: bool,
        minutes: u32,
    },
    /// Taken off hold later than the caller was told.
    HoldOverran {
        ticket: u32,
    },
    Resumed {
        ticket: u32,
    },
    Parked {
        ticket: u32,
        on: WaitingOn,
        due: u32,
    },
    CallbackKept {
        ticket: u32,
    },
    CallbackMissed {
        ticket: u32,
    },
    Linked {
        ticket: u32,
        parent: u32,
    },
    Broadcast {
        parent: u32,
        reached: u32,
        text: String,
    },
    Worked {
        ticket: u32,
        what: String,
    },
    Closed {
        ticket: u32,
        with_parent: Option<u32>,
    },
    Abandoned {
        ticket: u32,
        on_hold: bool,
    },
    TimeUp,
    Handover {
        text: String,
    },
}

/// A timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub at: u32,
    pub event: ShiftEvent,
}

/// The queue at one moment (for the plot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub at: u32,
    pub ringing: u32,
    pub waiting: u32,
    pub on_hold: u32,
    pub parked: u32,
}

/// A whole shift in progress.
#[derive(Debug, Clone)]
pub struct Shift {
    pub profile: Arc<ShiftProfile>,
    pub seed: u64,
    pub clock: u32,
    pub tickets: Vec<ShiftTicket>,
    pub active: Option<u32>,
    pub log: Vec<Entry>,
    pub actions: Vec<(u32, ShiftAction)>,
    pub samples: Vec<Sample>,
    pub handover: Option<String>,
    time_up: bool,
}

/// Why a shift action was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{0}")]
pub struct ShiftError(pub String);

fn err<T>(m: impl Into<String>) -> Result<T, ShiftError> {
    Err(ShiftError(m.into()))
}

impl Shift {
    /// Starts a shift: the seed fixes the schedule and every ticket's session.
    pub fn new(profile: &Arc<ShiftProfile>, seed: u64) -> Shift {
        let tickets = profile
            .schedule(seed)
            .into_iter()
            .enumerate()
            .map(|(i, a)| ShiftTicket {
                no: i as u32 + 1,
                session: Session::new(&a.source.scenario, a.seed),
                arrival: a,
                state: State::Pending,
                answered_at: None,
                closed_at: None,
                closed_with_parent: false,
                parent: None,
            })
            .collect();
        let mut s = Shift {
            profile: profile.clone(),
            seed,
            clock: 0,
            tickets,
            active: None,
            log: vec![],
            actions: vec![],
            samples: vec![],
            handover: None,
            time_up: false,
        };
        s.tick();
        s
    }

    /// Length of the shift in seconds.
    pub fn length(&self) -> u32 {
        self.profile.minutes * 60
    }
    /// Over: the handover note is written.
    pub fn is_over(&self) -> bool {
        self.handover.is_some()
    }
    /// The clock has reached the end of the shift: only the handover is left.
    pub fn time_up(&self) -> bool {
        self.time_up
    }
    pub fn ticket(&self, no: u32) -> Option<&ShiftTicket> {
        self.tickets.get((no as usize).wrapping_sub(1))
    }
    fn t(&mut self, no: u32) -> &mut ShiftTicket {
        &mut self.tickets[no as usize - 1]
    }
    /// The active ticket.
    pub fn active_ticket(&self) -> Option<&ShiftTicket> {
        self.active.and_then(|n| self.ticket(n))
    }
    /// Seconds until a ringing call is abandoned (None when not ringing).
    pub fn ring_left(&self, no: u32) -> Option<i64> {
        let t = self.ticket(no)?;
        (t.state == State::Ringing).then(|| {
            i64::from(t.arrival.at) + i64::from(self.profile.ring_secs) - i64::from(self.clock)
        })
    }
    /// Seconds left of the pickup target (negative once breached), until answered.
    pub fn sla_left(&self, no: u32) -> Option<i64> {
        let t = self.ticket(no)?;
        if t.answered_at.is_some() || !t.open() {
            return None;
        }
        let target = self.profile.sla.secs(t.arrival.source.priority);
        Some(i64::from(t.arrival.at) + i64::from(target) - i64::from(self.clock))
    }
    /// Seconds until a held caller gives up.
    pub fn hold_left(&self, no: u32) -> Option<i64> {
        match self.ticket(no)?.state {
            State::OnHold { since, .. } => {
                Some(i64::from(since) + i64::from(self.profile.hold_secs) - i64::from(self.clock))
            }
            _ => None,
        }
    }

    fn push(&mut self, event: ShiftEvent) {
        self.log.push(Entry {
            at: self.clock,
            event,
        });
    }

    /// The active ticket is a live call that cannot simply be left.
    fn busy_on_call(&self, except: u32) -> Result<(), ShiftError> {
        if let Some(a) = self.active_ticket()
            && a.no != except
            && a.live()
            && a.session.call_active()
        {
            return err(format!(
                "you are on a call with {} (ticket {}): put it on hold, park it or finish it first",
                a.caller(),
                a.no
            ));
        }
        Ok(())
    }

    /// Checks an action without changing anything.
    pub fn check(&self, a: &ShiftAction) -> Result<(), ShiftError> {
        if self.is_over() {
            return err("the shift is over: the handover note is written");
        }
        if self.time_up && !matches!(a, ShiftAction::Handover(_)) {
            return err("the shift has ended: write the handover note for the next shift");
        }
        let exists = |n: u32| -> Result<&ShiftTicket, ShiftError> {
            self.ticket(n).ok_or_else(|| {
                ShiftError(format!(
                    "no ticket {n}; tickets are 1–{}",
                    self.tickets.len()
                ))
            })
        };
        let is_active = |n: u32| -> Result<&ShiftTicket, ShiftError> {
            let t = exists(n)?;
            if self.active != Some(n) {
                return err(format!("ticket {n} is not the one you are working on"));
            }
            Ok(t)
        };
        match a {
            ShiftAction::Answer(n) => {
                let t = exists(*n)?;
                match t.state {
                    State::Ringing | State::Waiting => self.busy_on_call(*n),
                    State::Pending => err(format!("ticket {n} has not come in yet")),
                    s => err(format!(
                        "ticket {n} is not waiting to be answered ({})",
                        state_word(s)
                    )),
                }
            }
            ShiftAction::Hold { ticket: n, minutes } => {
                let t = is_active(*n)?;
                if !t.live() || !t.session.call_active() {
                    return err(format!(
                        "ticket {n} is not a live call; only callers are put on hold"
                    ));
                }
                if *minutes > 30 {
                    return err(
                        "a hold is at most 30 minutes; park the ticket with a callback instead",
                    );
                }
                Ok(())
            }
            ShiftAction::Resume(n) => {
                let t = exists(*n)?;
                match t.state {
                    State::OnHold { .. } | State::Parked { .. } | State::SetAside => {
                        self.busy_on_call(*n)
                    }
                    s => err(format!(
                        "ticket {n} is not on hold, parked or set aside ({})",
                        state_word(s)
                    )),
                }
            }
            ShiftAction::Park {
                ticket, callback, ..
            } => {
                is_active(*ticket)?;
                if *callback == 0 || *callback > 480 {
                    return err("a callback is due 1–480 minutes from now");
                }
                Ok(())
            }
            ShiftAction::Link { ticket, parent } => self.check_link(*ticket, *parent),
            ShiftAction::Broadcast { parent, text } => {
                let p = exists(*parent)?;
                if !p.open() || p.answered_at.is_none() {
                    return err(format!(
                        "ticket {parent} is not an open incident you are handling"
                    ));
                }
                check_text("the update", text, 2000)?;
                if !self.tickets.iter().any(|t| t.parent == Some(*parent)) {
                    return err(format!(
                        "nobody is linked to ticket {parent} yet; link the related tickets first"
                    ));
                }
                Ok(())
            }
            ShiftAction::Work(n, _) => is_active(*n).map(|_| ()),
            ShiftAction::Wait(s) => {
                if *s == 0 || *s > 3600 {
                    return err("wait 1–3600 seconds");
                }
                self.busy_on_call(0)
            }
            ShiftAction::Handover(text) => check_text("the handover note", text, MAX_NOTE_CHARS),
        }
    }

    fn check_link(&self, ticket: u32, parent: u32) -> Result<(), ShiftError> {
        let (Some(t), Some(p)) = (self.ticket(ticket), self.ticket(parent)) else {
            return err(format!("tickets are 1–{}", self.tickets.len()));
        };
        if ticket == parent {
            return err("a ticket cannot be its own parent");
        }
        if !p.open() || p.answered_at.is_none() {
            return err(format!(
                "ticket {parent} cannot be a parent: answer it first (it is {})",
                state_word(p.state)
            ));
        }
        if p.parent.is_some() {
            return err(format!(
                "ticket {parent} is itself linked to {}",
                p.parent.unwrap_or(0)
            ));
        }
        match t.state {
            State::Ringing
            | State::Waiting
            | State::Active
            | State::OnHold { .. }
            | State::Parked { .. }
            | State::SetAside => {}
            s => {
                return err(format!(
                    "ticket {ticket} cannot be linked ({})",
                    state_word(s)
                ));
            }
        }
        if t.state != State::Active && t.live() && t.state == State::Ringing {
            self.busy_on_call(ticket)?;
        }
        Ok(())
    }

    /// Applies an action; on error nothing changed.
    pub fn apply(&mut self, a: ShiftAction) -> Result<Vec<Entry>, ShiftError> {
        self.check(&a)?;
        if let ShiftAction::Work(n, act) = &a {
            let before = self.t(*n).session.clock();
            self.t(*n)
                .session
                .apply(act.clone())
                .map_err(|e| ShiftError(format!("ticket {n}: {e}")))?;
            let t = &self.tickets[*n as usize - 1];
            let what = t
                .session
                .actions()
                .last()
                .map(|x| format!("{:?}", x.action))
                .unwrap_or_default();
            let spent = t.session.clock().saturating_sub(before);
            let first = self.log.len();
            self.actions.push((self.clock, a.clone()));
            self.push(ShiftEvent::Worked { ticket: *n, what });
            self.clock += spent;
            self.close_if_done(*n);
            self.tick();
            return Ok(self.log[first..].to_vec());
        }
        let first = self.log.len();
        self.actions.push((self.clock, a.clone()));
        let cost = self.effect(a);
        self.clock += cost;
        self.tick();
        Ok(self.log[first..].to_vec())
    }

    /// Makes `n` the active ticket, setting aside a chat or e-mail in hand.
    fn take(&mut self, n: u32) {
        if let Some(a) = self.active
            && a != n
            && self.t(a).state == State::Active
        {
            self.t(a).state = State::SetAside;
        }
        self.active = Some(n);
        self.t(n).state = State::Active;
    }

    /// The effect of an accepted non-`Work` action; returns its cost in seconds.
    fn effect(&mut self, a: ShiftAction) -> u32 {
        let now = self.clock;
        match a {
            ShiftAction::Answer(n) => {
                let waited = now - self.t(n).arrival.at;
                self.t(n).answered_at = Some(now);
                self.take(n);
                self.push(ShiftEvent::Answered { ticket: n, waited });
                15
            }
            ShiftAction::Hold { ticket: n, minutes } => {
                let expectation = minutes > 0 || expectation_set(&self.t(n).session);
                self.t(n).state = State::OnHold {
                    since: now,
                    until: (minutes > 0).then(|| now + minutes * 60),
                    expectation,
                };
                self.active = None;
                self.push(ShiftEvent::Held {
                    ticket: n,
                    expectation,
                    minutes,
                });
                5
            }
            ShiftAction::Resume(n) => {
                if let State::OnHold {
                    until: Some(until), ..
                } = self.t(n).state
                    && now > until + 30
                {
                    self.push(ShiftEvent::HoldOverran { ticket: n });
                }
                if let State::Parked { due, .. } = self.t(n).state {
                    self.push(if now <= due {
                        ShiftEvent::CallbackKept { ticket: n }
                    } else {
                        ShiftEvent::CallbackMissed { ticket: n }
                    });
                }
                self.take(n);
                self.push(ShiftEvent::Resumed { ticket: n });
                10
            }
            ShiftAction::Park {
                ticket,
                on,
                callback,
            } => {
                let due = now + callback * 60;
                self.t(ticket).state = State::Parked { on, due };
                self.active = None;
                self.push(ShiftEvent::Parked { ticket, on, due });
                20
            }
            ShiftAction::Link { ticket, parent } => {
                let t = self.t(ticket);
                t.answered_at.get_or_insert(now);
                t.state = State::Linked { parent };
                t.parent = Some(parent);
                if self.active == Some(ticket) {
                    self.active = None;
                }
                self.push(ShiftEvent::Linked { ticket, parent });
                30
            }
            ShiftAction::Broadcast { parent, text } => {
                let reached = self
                    .tickets
                    .iter()
                    .filter(|t| t.parent == Some(parent))
                    .count() as u32;
                self.push(ShiftEvent::Broadcast {
                    parent,
                    reached,
                    text,
                });
                60
            }
            ShiftAction::Wait(s) => s,
            ShiftAction::Handover(text) => {
                // Leaving early does not stop the phones: the rest of the shift passes
                // (arrivals ring out, SLA clocks run) before the note is read.
                if now < self.length() {
                    self.clock = self.length();
                    self.tick();
                }
                self.push(ShiftEvent::Handover { text: text.clone() });
                self.handover = Some(text);
                0
            }
            ShiftAction::Work(..) => 0,
        }
    }

    /// Closes a worked ticket whose session is over, with everything linked to it.
    fn close_if_done(&mut self, n: u32) {
        let t = &self.tickets[n as usize - 1];
        if !t.session.ticket().closed() || t.session.call_active() {
            return;
        }
        let now = self.clock;
        let t = self.t(n);
        t.state = State::Closed;
        t.closed_at = Some(now);
        if self.active == Some(n) {
            self.active = None;
        }
        self.push(ShiftEvent::Closed {
            ticket: n,
            with_parent: None,
        });
        let children: Vec<u32> = self
            .tickets
            .iter()
            .filter(|c| c.state == (State::Linked { parent: n }))
            .map(|c| c.no)
            .collect();
        for c in children {
            let t = self.t(c);
            t.state = State::Closed;
            t.closed_at = Some(now);
            t.closed_with_parent = true;
            self.push(ShiftEvent::Closed {
                ticket: c,
                with_parent: Some(n),
            });
        }
    }

    /// Moves the queue to the current clock: arrivals, abandoned calls, missed callbacks.
    fn tick(&mut self) {
        let now = self.clock;
        let (ring, hold) = (self.profile.ring_secs, self.profile.hold_secs);
        for i in 0..self.tickets.len() {
            let no = i as u32 + 1;
            let t = &self.tickets[i];
            match t.state {
                State::Pending if t.arrival.at <= now => {
                    let live = t.live();
                    self.tickets[i].state = if live { State::Ringing } else { State::Waiting };
                    self.log.push(Entry {
                        at: self.tickets[i].arrival.at,
                        event: ShiftEvent::Arrived { ticket: no },
                    });
                    if live && now > self.tickets[i].arrival.at + ring {
                        self.abandon(i, false);
                    }
                }
                State::Ringing if now > t.arrival.at + ring => self.abandon(i, false),
                State::OnHold { since, .. } if now > since + hold => self.abandon(i, true),
                State::Parked { due, .. }
                    if now > due
                        && !self
                            .log
                            .iter()
                            .any(|e| e.event == ShiftEvent::CallbackMissed { ticket: no }) =>
                {
                    self.push(ShiftEvent::CallbackMissed { ticket: no });
                }
                _ => {}
            }
        }
        if !self.time_up && now >= self.length() {
            self.time_up = true;
            self.push(ShiftEvent::TimeUp);
        }
        let count =
            |f: &dyn Fn(&State) -> bool| self.tickets.iter().filter(|t| f(&t.state)).count() as u32;
        let s = Sample {
            at: now,
            ringing: count(&|s| *s == State::Ringing),
            waiting: count(&|s| matches!(s, State::Waiting | State::SetAside)),
            on_hold: count(&|s| matches!(s, State::OnHold { .. })),
            parked: count(&|s| matches!(s, State::Parked { .. })),
        };
        if self.samples.last() != Some(&s) {
            self.samples.push(s);
        }
    }

    fn abandon(&mut self, i: usize, on_hold: bool) {
        let no = i as u32 + 1;
        self.tickets[i].state = State::Abandoned;
        if self.active == Some(no) {
            self.active = None;
        }
        self.push(ShiftEvent::Abandoned {
            ticket: no,
            on_hold,
        });
    }
}

fn check_text(what: &str, text: &str, max: usize) -> Result<(), ShiftError> {
    if text.trim().is_empty() {
        return err(format!("{what} is empty; write something first"));
    }
    let n = text.chars().count();
    if n > max {
        return err(format!("{what} is {n} characters; keep it under {max}"));
    }
    Ok(())
}

/// The trainee told the caller what happens next within the last three minutes of the
/// call (a reply tagged `SetExpectations`).
fn expectation_set(s: &Session) -> bool {
    let now = s.clock();
    s.events().iter().any(|e| {
        e.at + 180 >= now
            && matches!(&e.kind, EventKind::TraineeSaid { tags, .. } if tags.contains(&Tag::SetExpectations))
    })
}

/// A word for a state, for messages.
pub fn state_word(s: State) -> &'static str {
    match s {
        State::Pending => "not arrived yet",
        State::Ringing => "ringing",
        State::Waiting => "waiting in the queue",
        State::Active => "being worked",
        State::OnHold { .. } => "on hold",
        State::Parked { .. } => "parked",
        State::SetAside => "set aside",
        State::Linked { .. } => "linked to an incident",
        State::Closed => "closed",
        State::Abandoned => "abandoned",
    }
}
