//! Scripted players for authors: an expert who triages (P1/P2 first, incident callers
//! linked to one parent with a broadcast, holds only after setting expectations) and a
//! poor player who takes tickets in arrival order and works every call on its own. Each
//! works a ticket with the pack's expert play-test for its variant. Their logs become
//! shift play-tests (`firstline shift SHIFT --autoplay expert|arrival`); scoring never
//! sees who played.

use super::engine::{Shift, State};
use super::load::ShiftAction;
use super::model::ShiftProfile;
use crate::scenario::load::Pack;
use crate::session::action::Action;
use std::sync::Arc;

/// Which scripted player.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Triage by priority, link incident callers, broadcast, hand over.
    Expert,
    /// Take tickets in arrival order and work each one fully, incident callers included.
    ArrivalOrder,
    /// Triage by priority, but troubleshoot every incident caller on their own.
    OneByOne,
}

fn script(pack: &Pack, s: &Shift, no: u32) -> Vec<Action> {
    let t = &s.tickets[no as usize - 1];
    pack.expert_path(&t.arrival.source.scenario.id, t.session.variant_key())
        .map(|p| p.actions.clone())
        .unwrap_or_default()
}

/// Plays a shift with a scripted player; returns the action log (every action accepted).
pub fn play(pack: &Pack, profile: &Arc<ShiftProfile>, seed: u64, style: Style) -> Vec<ShiftAction> {
    let mut s = Shift::new(profile, seed);
    let mut done: Vec<usize> = vec![0; s.tickets.len()];
    let mut broadcast: Vec<u32> = vec![];
    let mut log = vec![];
    let mut step = |s: &mut Shift, a: ShiftAction, log: &mut Vec<ShiftAction>| -> bool {
        let ok = s.apply(a.clone()).is_ok();
        if ok {
            log.push(a);
        }
        ok
    };
    for _ in 0..2000 {
        if s.is_over() {
            break;
        }
        if s.time_up() || all_done(&s) {
            let text = handover_text(&s);
            step(&mut s, ShiftAction::Handover(text), &mut log);
            break;
        }
        if style == Style::Expert && link_callers(&mut s, &mut log, &mut step) {
            continue;
        }
        if style == Style::Expert
            && let Some(p) = parent_to_broadcast(&s, &broadcast)
        {
            broadcast.push(p);
            let text = "Update for everyone at the site: we know about the outage, it is raised as a major incident with the network team, and we will call you back as soon as it is fixed.".to_string();
            step(&mut s, ShiftAction::Broadcast { parent: p, text }, &mut log);
            continue;
        }
        if style != Style::ArrivalOrder
            && let Some(n) = to_park(&s)
        {
            let park = ShiftAction::Park {
                ticket: n,
                on: super::format::WaitingOn::User,
                callback: 30,
            };
            step(&mut s, park, &mut log);
            continue;
        }
        if let Some(next) = pick(&s, style) {
            let a = match s.ticket(next).map(|t| t.state) {
                Some(State::Ringing | State::Waiting) => ShiftAction::Answer(next),
                _ => ShiftAction::Resume(next),
            };
            if step(&mut s, a, &mut log) {
                continue;
            }
        }
        let Some(n) = s.active else {
            step(&mut s, ShiftAction::Wait(30), &mut log);
            continue;
        };
        let sc = script(pack, &s, n);
        let i = &mut done[n as usize - 1];
        if let Some(a) = sc.get(*i) {
            *i += 1;
            step(&mut s, ShiftAction::Work(n, a.clone()), &mut log);
        } else {
            // No script left and not closed: set it aside for the handover.
            let park = ShiftAction::Park {
                ticket: n,
                on: super::format::WaitingOn::Team,
                callback: 60,
            };
            if !step(&mut s, park, &mut log) {
                step(&mut s, ShiftAction::Wait(30), &mut log);
            }
        }
    }
    log
}

/// A live call to park (with a callback) because a P1/P2 of higher priority is waiting.
fn to_park(s: &Shift) -> Option<u32> {
    let a = s.active_ticket()?;
    if !a.live() || !a.session.call_active() {
        return None;
    }
    let p = a.arrival.source.priority;
    let urgent = s.tickets.iter().any(|t| {
        matches!(t.state, State::Ringing | State::Waiting)
            && t.arrival.source.priority <= crate::session::ticket::Priority::P2
            && t.arrival.source.priority < p
            && t.arrival
                .incident
                .is_none_or(|i| a.arrival.incident != Some(i))
    });
    urgent.then_some(a.no)
}

fn all_done(s: &Shift) -> bool {
    s.tickets.iter().all(|t| {
        matches!(
            t.state,
            State::Closed | State::Abandoned | State::Linked { .. } | State::Parked { .. }
        )
    })
}

/// The ticket to take next, if the player would switch now.
fn pick(s: &Shift, style: Style) -> Option<u32> {
    let candidates = s.tickets.iter().filter(|t| {
        matches!(
            t.state,
            State::Ringing
                | State::Waiting
                | State::SetAside
                | State::OnHold { .. }
                | State::Parked { .. }
        )
    });
    let best = match style {
        Style::Expert | Style::OneByOne => {
            candidates.min_by_key(|t| (t.arrival.source.priority, t.arrival.at))?
        }
        Style::ArrivalOrder => candidates.min_by_key(|t| t.arrival.at)?,
    };
    match s.active_ticket() {
        None => Some(best.no),
        Some(a) if style != Style::ArrivalOrder && !a.live() => {
            (best.arrival.source.priority < a.arrival.source.priority).then_some(best.no)
        }
        Some(_) => None,
    }
}

/// Links ringing callers of an incident whose parent is open; holds the parent first
/// when expectations were set. Returns whether it acted.
fn link_callers(
    s: &mut Shift,
    log: &mut Vec<ShiftAction>,
    step: &mut impl FnMut(&mut Shift, ShiftAction, &mut Vec<ShiftAction>) -> bool,
) -> bool {
    let pending: Vec<(u32, u32)> = s
        .tickets
        .iter()
        .filter(|t| matches!(t.state, State::Ringing | State::Waiting))
        .filter_map(|t| {
            let i = t.arrival.incident?;
            let parent = s.tickets.iter().find(|p| {
                p.arrival.incident == Some(i)
                    && p.answered_at.is_some()
                    && p.open()
                    && p.parent.is_none()
            })?;
            Some((t.no, parent.no))
        })
        .collect();
    let Some(&(child, parent)) = pending.first() else {
        return false;
    };
    let held = match s.active_ticket() {
        Some(a) if a.live() && a.session.call_active() => {
            let n = a.no;
            if !step(
                s,
                ShiftAction::Hold {
                    ticket: n,
                    minutes: 1,
                },
                log,
            ) {
                return false;
            }
            Some(n)
        }
        _ => None,
    };
    step(
        s,
        ShiftAction::Link {
            ticket: child,
            parent,
        },
        log,
    );
    if let Some(n) = held {
        step(s, ShiftAction::Resume(n), log);
    }
    true
}

fn parent_to_broadcast(s: &Shift, done: &[u32]) -> Option<u32> {
    s.tickets.iter().filter_map(|t| t.parent).find(|p| {
        !done.contains(p)
            && s.ticket(*p)
                .is_some_and(|x| x.open() && x.answered_at.is_some())
    })
}

/// A handover naming each ticket still open.
fn handover_text(s: &Shift) -> String {
    let open: Vec<String> = s
        .tickets
        .iter()
        .filter(|t| t.open())
        .map(|t| {
            format!(
                "Ticket {} for {} ({}) is still open and needs picking up first thing.",
                t.no,
                t.caller(),
                t.subject()
            )
        })
        .collect();
    if open.is_empty() {
        "Every ticket from this shift is closed and nothing is waiting for the next shift.".into()
    } else {
        open.join("\n")
    }
}
