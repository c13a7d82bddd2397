//! Timers at run time: started when their `after` condition first holds, fired as the
//! simulated clock passes their time, stopped for good once their `until` holds.

use super::event::EventKind;
use super::{Facts, Session};
use crate::scenario::timers;

/// Where one of the variant's timers stands.
#[derive(Debug, Clone, Default)]
pub(super) struct TimerState {
    /// When it fires next (set once it has started).
    next: Option<u32>,
    /// Fired for the last time, or stopped by `until`.
    done: bool,
}

impl Session {
    pub(super) fn new_timer_states(&self) -> Vec<TimerState> {
        let n = self.scenario.variant(self.variant).timers.len();
        vec![TimerState::default(); n]
    }

    /// Starts the timers whose `after` holds now (counting from this moment).
    pub(super) fn start_timers(&mut self) {
        let s = self.scenario.clone();
        for (i, t) in s.variant(self.variant).timers.iter().enumerate() {
            let st = &self.timers[i];
            if st.done || st.next.is_some() {
                continue;
            }
            let start = t
                .after
                .as_ref()
                .is_none_or(|c| c.eval(&self.world, &Facts(self)));
            if start {
                self.timers[i].next = Some(self.clock.saturating_add(t.first_secs));
            }
        }
    }

    /// Fires the timers that are due by the current clock.
    pub(super) fn fire_timers(&mut self) {
        let s = self.scenario.clone();
        for (i, t) in s.variant(self.variant).timers.iter().enumerate() {
            while let Some(at) = self.timers[i].next {
                if self.timers[i].done || at > self.clock {
                    break;
                }
                if t.until
                    .as_ref()
                    .is_some_and(|c| c.eval(&self.world, &Facts(self)))
                {
                    self.timers[i].done = true;
                    break;
                }
                let live = t
                    .when
                    .as_ref()
                    .is_none_or(|c| c.eval(&self.world, &Facts(self)));
                if live {
                    timers::fire(t, &mut self.world);
                    if let Some(text) = &t.text {
                        self.push(EventKind::WorldChanged { text: text.clone() });
                    }
                    if let Some(line) = &t.say
                        && self.call_end.is_none()
                    {
                        self.last_contact = self.clock;
                        self.push(EventKind::CustomerSaid { text: line.clone() });
                    }
                }
                match t.every_secs {
                    Some(e) => self.timers[i].next = Some(at.saturating_add(e)),
                    None => self.timers[i].done = true,
                }
            }
        }
    }
}
