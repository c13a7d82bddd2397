//! Running action logs headlessly and checking play-test expectations.

use crate::scenario::format::Expect;
use crate::scenario::load::Playtest;
use crate::scenario::model::Scenario;
use crate::scoring::{self, Scorecard};
use crate::session::Session;
use crate::session::action::{Action, ActionError};
use std::sync::Arc;

/// The result of running an action log.
#[derive(Debug, Clone)]
pub struct Run {
    pub session: Session,
    pub scorecard: Scorecard,
    /// Actions the session refused, by index in the log.
    pub rejected: Vec<(usize, ActionError)>,
}

/// Runs actions from a fresh session and scores the attempt.
pub fn run(scenario: &Arc<Scenario>, seed: u64, actions: &[Action]) -> Run {
    let mut session = Session::new(scenario, seed);
    let mut rejected = vec![];
    for (i, a) in actions.iter().enumerate() {
        if let Err(e) = session.apply(a.clone()) {
            rejected.push((i, e));
        }
    }
    let scorecard = scoring::score(scenario, &session.attempt());
    Run {
        session,
        scorecard,
        rejected,
    }
}

fn range(name: &str, got: u32, want: Option<(u32, u32)>, out: &mut Vec<String>) {
    if let Some((lo, hi)) = want
        && (got < lo || got > hi)
    {
        out.push(format!("{name} was {got}, expected {lo}–{hi}"));
    }
}

/// Checks a run against expectations; returns what did not hold.
pub fn check(run: &Run, e: &Expect) -> Vec<String> {
    let mut out = vec![];
    let c = &run.scorecard;
    if let Some(v) = &e.variant
        && &c.variant != v
    {
        out.push(format!(
            "variant was `{}`, expected `{v}` (choose another seed)",
            c.variant
        ));
    }
    if let Some(r) = e.resolved
        && c.resolved != r
    {
        out.push(format!("resolved was {}, expected {r}", c.resolved));
    }
    if let Some(p) = e.passed
        && c.passed != p
    {
        out.push(format!("passed was {}, expected {p}", c.passed));
    }
    if let Some(k) = e.critical
        && c.critical.is_empty() == k
    {
        out.push(format!(
            "critical fail was {}, expected {k}",
            !c.critical.is_empty()
        ));
    }
    range("overall", c.overall, e.overall, &mut out);
    range("technical", c.dimensions.technical, e.technical, &mut out);
    range("empathy", c.dimensions.empathy, e.empathy, &mut out);
    range(
        "documentation",
        c.dimensions.documentation,
        e.documentation,
        &mut out,
    );
    range(
        "escalation",
        c.dimensions.escalation,
        e.escalation,
        &mut out,
    );
    for f in &e.feedback {
        let needle = f.to_lowercase();
        if !c
            .feedback
            .iter()
            .any(|x| x.to_lowercase().contains(&needle))
        {
            out.push(format!("no feedback mentions \"{f}\""));
        }
    }
    if run.rejected.len() as u32 > e.rejected {
        for (i, err) in &run.rejected {
            out.push(format!("action {} was rejected: {err}", i + 1));
        }
    }
    out
}

/// Runs a play-test and checks it.
pub fn run_playtest(p: &Playtest) -> (Run, Vec<String>) {
    let r = run(&p.scenario, p.seed, &p.actions);
    let failures = check(&r, &p.expect);
    (r, failures)
}
