//! Shift mode: a day on the desk. A shift profile (`shifts/*.ron`, [`format`], loaded by
//! [`load`] into a [`model::ShiftProfile`]) schedules tickets from the pack's scenarios;
//! [`engine::Shift`] runs them as sessions under one simulated clock; [`score`] grades the
//! shift on top of each ticket's scorecard; [`report`] prints the shift report;
//! [`run`] plays action logs and checks shift play-tests. No Bevy here.

pub mod autoplay;
pub mod engine;
pub mod format;
pub mod load;
pub mod model;
pub mod report;
pub mod score;

pub use engine::{Shift, ShiftError};
pub use load::{ShiftAction, ShiftPlaytest};

use format::ShiftExpect;
use model::ShiftProfile;
use score::ShiftCard;
use std::sync::Arc;

/// The result of playing a shift action log.
#[derive(Debug, Clone)]
pub struct ShiftRun {
    pub shift: Shift,
    pub card: ShiftCard,
    /// Actions the shift refused, by index in the log.
    pub rejected: Vec<(usize, ShiftError)>,
}

/// Plays actions from a fresh shift and scores it.
pub fn run(profile: &Arc<ShiftProfile>, seed: u64, actions: &[ShiftAction]) -> ShiftRun {
    let mut shift = Shift::new(profile, seed);
    let mut rejected = vec![];
    for (i, a) in actions.iter().enumerate() {
        if let Err(e) = shift.apply(a.clone()) {
            rejected.push((i, e));
        }
    }
    let card = score::score(&shift);
    ShiftRun {
        shift,
        card,
        rejected,
    }
}

/// Checks a run against expectations; returns what did not hold.
pub fn check(run: &ShiftRun, e: &ShiftExpect) -> Vec<String> {
    let mut out = vec![];
    let c = &run.card;
    if let Some(p) = e.passed
        && c.passed != p
    {
        out.push(format!("passed was {}, expected {p}", c.passed));
    }
    let range = |name: &str, got: u32, want: Option<(u32, u32)>, out: &mut Vec<String>| {
        if let Some((lo, hi)) = want
            && (got < lo || got > hi)
        {
            out.push(format!("{name} was {got}, expected {lo}–{hi}"));
        }
    };
    range("overall", c.overall, e.overall, &mut out);
    if let Some(t) = e.triage {
        match c.points("triage") {
            Some(p) => range("triage", p, Some(t), &mut out),
            None => out.push("triage did not apply to this shift".into()),
        }
    }
    for l in &e.lessons {
        let needle = l.to_lowercase();
        if !c.lessons.iter().any(|x| x.to_lowercase().contains(&needle)) {
            out.push(format!("no lesson mentions \"{l}\""));
        }
    }
    if run.rejected.len() as u32 > e.rejected {
        for (i, err) in &run.rejected {
            out.push(format!("action {} was rejected: {err}", i + 1));
        }
    }
    out
}

/// Runs a shift play-test and checks it.
pub fn run_playtest(p: &ShiftPlaytest) -> (ShiftRun, Vec<String>) {
    let r = run(&p.shift, p.seed, &p.actions);
    let failures = check(&r, &p.expect);
    (r, failures)
}
