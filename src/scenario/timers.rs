//! Time in the world: timers that change it after a delay, once or every N minutes, until
//! something holds (a VPN that drops every 4 minutes until its cause is fixed, a team that
//! finishes its part 20 minutes after the hand-off, a cache entry that expires).
//! Simulated seconds only, so attempts stay deterministic.

use super::doc::Doc;
use crate::world::change::Change;
use crate::world::condition::{Cond, Condition};
use crate::world::state::World;
use serde::{Deserialize, Serialize};

/// Longest delay or period (one simulated week).
pub const MAX_MINUTES: u32 = 7 * 24 * 60;

/// A timer as the author writes it (in a variant's `timers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Timer")]
#[serde(deny_unknown_fields)]
pub struct TimerDef {
    /// The timer starts when this first holds; from the start of the call when absent.
    #[serde(default)]
    pub after: Option<Condition>,
    /// Minutes from the timer's start until it first fires.
    pub minutes: u32,
    /// Fires again every this many minutes.
    #[serde(default)]
    pub every: Option<u32>,
    /// Once this holds when the timer is due, it stops for good (the cause is fixed).
    #[serde(default)]
    pub until: Option<Condition>,
    /// When due, it only fires while this holds (otherwise it waits for its next period):
    /// a VPN drops only while it is connected.
    #[serde(default)]
    pub when: Option<Condition>,
    /// What changes in the world when it fires (the same changes variants use).
    pub changes: Vec<Change>,
    /// A line for the event log when it fires ("VPN tunnel dropped").
    #[serde(default)]
    pub text: Option<String>,
    /// What the customer says when it fires while they are on the call.
    #[serde(default)]
    pub say: Option<String>,
}

/// A compiled timer (seconds).
#[derive(Debug, Clone, Serialize)]
pub struct Timer {
    pub after: Option<Cond>,
    pub first_secs: u32,
    pub every_secs: Option<u32>,
    pub until: Option<Cond>,
    pub when: Option<Cond>,
    pub changes: Vec<Change>,
    pub text: Option<String>,
    pub say: Option<String>,
}

/// Checks a timer against the variant's world (each change must apply to it); its
/// conditions (`after`, `until`, `when`) are compiled by the caller. Errors are located under `path`.
pub fn compile(
    doc: &mut Doc,
    t: &TimerDef,
    path: &str,
    world: &World,
    conds: [Option<Cond>; 3],
) -> Option<Timer> {
    let [after, until, when] = conds;
    let mut ok = true;
    for (field, m) in [("minutes", Some(t.minutes)), ("every", t.every)] {
        if let Some(m) = m
            && m > MAX_MINUTES
        {
            doc.error(
                &format!("{path}.{field}"),
                format!("found {m}; expected at most {MAX_MINUTES} minutes (a week)"),
            );
            ok = false;
        }
    }
    if t.every == Some(0) {
        doc.error(
            &format!("{path}.every"),
            "found 0; expected a period of at least 1 minute (or leave `every` out to fire once)",
        );
        ok = false;
    }
    if t.changes.is_empty() && t.text.is_none() && t.say.is_none() {
        doc.error(
            &format!("{path}.changes"),
            "the timer does nothing; expected `changes`, `text` or `say`",
        );
        ok = false;
    }
    let mut w = world.clone();
    for (j, c) in t.changes.iter().enumerate() {
        if let Err(e) = c.apply(&mut w) {
            doc.error(&format!("{path}.changes[{j}]"), e);
            ok = false;
        }
    }
    let bad_cond = (t.after.is_some() && after.is_none())
        || (t.until.is_some() && until.is_none())
        || (t.when.is_some() && when.is_none());
    (ok && !bad_cond).then(|| Timer {
        after,
        first_secs: t.minutes * 60,
        every_secs: t.every.map(|m| m * 60),
        until,
        when,
        changes: t.changes.clone(),
        text: t.text.clone(),
        say: t.say.clone(),
    })
}

/// Applies a timer's changes. They were checked against the variant's world at load
/// time; one that no longer applies (its target was removed since) is skipped.
pub fn fire(t: &Timer, w: &mut World) {
    for c in &t.changes {
        let _ = c.apply(w);
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::format::RawAction;
    use crate::scenario::load::load_pack;
    use crate::scenario::model::Scenario;
    use crate::session::Session;
    use crate::session::action::Action;
    use crate::session::event::EventKind;
    use std::sync::Arc;

    fn vpn_drops() -> Arc<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, _) = load_pack(&dir).unwrap();
        pack.unwrap().scenario("vpn-drops").unwrap().clone()
    }

    /// Plays (seed 1 is the leftover-client variant) and returns the minutes at which the
    /// VPN dropped.
    fn drops(log: &[RawAction]) -> Vec<u32> {
        let s = vpn_drops();
        let mut sess = Session::new(&s, 1);
        assert_eq!(sess.variant_key(), "old-client");
        for r in log {
            sess.apply(Action::resolve(r, &s).unwrap()).unwrap();
        }
        sess.events()
            .iter()
            .filter(
                |e| matches!(&e.kind, EventKind::WorldChanged { text } if text.contains("dropped")),
            )
            .map(|e| e.at / 60)
            .collect()
    }

    fn fix(c: &str) -> RawAction {
        RawAction::Fix(c.into())
    }

    #[test]
    fn a_recurring_drop_comes_back_every_period_while_the_cause_remains() {
        // Connected at minute 1; due at 3, 7, 11, 15: each time it is connected again.
        let log = [
            fix("connect_vpn LT-0518"),
            RawAction::Wait(3),
            fix("connect_vpn LT-0518"),
            RawAction::Wait(3),
            fix("connect_vpn LT-0518"),
            RawAction::Wait(4),
        ];
        assert_eq!(drops(&log), [3, 7, 11]);
    }

    #[test]
    fn a_drop_is_skipped_while_its_when_does_not_hold() {
        // Disconnected from the start: nothing to drop at 3; connected at 5, dropped at 7.
        let log = [
            RawAction::Wait(4),
            fix("connect_vpn LT-0518"),
            RawAction::Wait(3),
        ];
        assert_eq!(drops(&log), [7]);
    }

    #[test]
    fn fixing_the_cause_stops_the_timer_for_good() {
        let log = [
            fix("end_process LT-0518 ltagent.exe"),
            fix("connect_vpn LT-0518"),
            RawAction::Wait(30),
        ];
        assert!(drops(&log).is_empty());
        let s = vpn_drops();
        let mut sess = Session::new(&s, 1);
        for r in &log {
            sess.apply(Action::resolve(r, &s).unwrap()).unwrap();
        }
        assert!(sess.world().devices[0].vpn.as_ref().unwrap().connected);
    }

    #[test]
    fn a_timer_started_by_a_condition_counts_from_the_action_that_met_it() {
        use crate::scenario::timers::Timer;
        use crate::world::change::Change;
        use crate::world::condition::Cond;
        use crate::world::fixes::FixKind;
        // "The licence appears 15 minutes after it was assigned": a timer after
        // Applied(ConnectVpn) that fires once, 15 minutes later.
        let mut s = (*vpn_drops()).clone();
        s.variants[0].timers.push(Timer {
            after: Some(Cond::Applied(FixKind::ConnectVpn)),
            first_secs: 15 * 60,
            every_secs: None,
            until: None,
            when: None,
            changes: vec![Change::Host {
                name: "unity.corp".into(),
                up: false,
            }],
            text: Some("propagated".into()),
            say: None,
        });
        let s = Arc::new(s);
        let mut sess = Session::new(&s, 1);
        sess.apply(Action::Wait(5)).unwrap();
        let a = Action::resolve(&fix("connect_vpn LT-0518"), &s).unwrap();
        sess.apply(a).unwrap();
        let started = sess.clock();
        sess.apply(Action::Wait(30)).unwrap();
        let at: Vec<u32> = sess
            .events()
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::WorldChanged { text } if text == "propagated"))
            .map(|e| e.at)
            .collect();
        assert_eq!(at.len(), 1);
        // Fired within the minute after its time (the clock moves in steps of 60 s).
        assert!(
            at[0] >= started + 900 && at[0] < started + 960,
            "{at:?} from {started}"
        );
        assert!(!sess.world().network.hosts[0].up);
    }
}
