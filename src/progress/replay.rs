//! Rebuilds a stored attempt's debrief by replaying its action log through the session.

use super::record::StoredAttempt;
use crate::scenario::load::Pack;
use crate::scoring::{self, Scorecard};
use crate::session::Session;
use crate::session::action::Action;

/// A replayed attempt: the session as it ended and the scorecard to show.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub session: Session,
    pub scorecard: Scorecard,
    /// Set when the replay differs from what was recorded (the scenario changed since).
    pub note: Option<String>,
}

/// Replays a stored attempt on the pack's current scenario. When the scenario has changed
/// since, the stored scorecard is kept (it is what the trainee was given) and `note` says so.
pub fn replay(pack: &Pack, a: &StoredAttempt) -> Result<Replayed, String> {
    let s = &a.summary;
    let scenario = pack.scenario(&s.scenario_id).ok_or_else(|| {
        format!(
            "scenario `{}` is no longer in the pack `{}`, so this attempt cannot be replayed",
            s.scenario_id, pack.meta.id
        )
    })?;
    let mut session = Session::new(scenario, s.seed);
    let mut rejected = 0;
    for raw in &a.actions {
        match Action::resolve(raw, scenario) {
            Ok(action) => {
                if session.apply(action).is_err() {
                    rejected += 1;
                }
            }
            Err(_) => rejected += 1,
        }
    }
    let rescored = scoring::score(scenario, &session.attempt());
    if rescored == a.scorecard {
        return Ok(Replayed {
            session,
            scorecard: rescored,
            note: None,
        });
    }
    let why = if scenario.version != s.scenario_version {
        format!(
            "this attempt was played on version {} of the scenario (now version {})",
            s.scenario_version, scenario.version
        )
    } else {
        "the scenario's content changed since this attempt".to_string()
    };
    let rejected = if rejected > 0 {
        format!("; {rejected} of its actions no longer apply")
    } else {
        String::new()
    };
    Ok(Replayed {
        session,
        scorecard: a.scorecard.clone(),
        note: Some(format!(
            "{why}{rejected}. Scores are as recorded then; the timeline is a replay on today's version."
        )),
    })
}
