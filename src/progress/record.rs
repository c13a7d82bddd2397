//! What the progress store holds: profiles and finished attempts.

use crate::scenario::format::RawAction;
use crate::scoring::{Dimensions, Scorecard};
use crate::session::Session;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A profile's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProfileId(pub i64);

/// An attempt's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AttemptId(pub i64);

/// A trainee profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub id: ProfileId,
    pub name: String,
    /// Stable identity for exports (the xAPI account name).
    pub uuid: uuid::Uuid,
    pub created_at: String,
}

/// One finished attempt, as listed in tables, plots and reports (no action log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub id: AttemptId,
    pub uuid: uuid::Uuid,
    pub profile: ProfileId,
    pub trainee: String,
    pub pack_id: String,
    pub pack_title: String,
    pub pack_version: String,
    /// Base IRI of the pack's xAPI activities.
    pub xapi_base: String,
    pub scenario_id: String,
    pub scenario_title: String,
    pub scenario_version: u32,
    /// `Beginner`, `Intermediate` or `Advanced`.
    pub difficulty: String,
    pub variant: String,
    pub seed: u64,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub finished_at: String,
    /// Real time the trainee spent.
    pub wall_ms: u64,
    /// Simulated time of the call.
    pub sim_secs: u32,
    pub overall: u32,
    pub passed: bool,
    pub resolved: bool,
    pub dimensions: Dimensions,
}

/// A stored attempt with everything needed to replay it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAttempt {
    pub summary: AttemptSummary,
    pub actions: Vec<RawAction>,
    pub scorecard: Scorecard,
}

/// A finished attempt about to be saved (serializable for the recovery file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAttempt {
    pub summary: AttemptSummary,
    pub actions: Vec<RawAction>,
    pub scorecard: Scorecard,
}

/// Formats a time as RFC 3339 in UTC with exactly three fractional digits (milliseconds),
/// so that timestamps sort as text in time order: the store orders attempts by them.
/// (The `Rfc3339` formatter drops trailing zeros, so `…:20Z` sorted after `…:20.5Z`.)
pub fn timestamp(t: SystemTime) -> String {
    OffsetDateTime::from(t)
        .to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".into())
}

/// Parses an RFC 3339 time (for "played recently" rules).
pub fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

impl NewAttempt {
    /// Describes a finished session for saving. `started` and `wall` are real time; the
    /// finish is taken as `started + wall` (set `summary.finished_at` when pauses differ).
    pub fn from_session(
        session: &Session,
        scorecard: &Scorecard,
        started: SystemTime,
        wall: Duration,
    ) -> NewAttempt {
        let attempt = session.attempt();
        let scenario = session.scenario();
        let pack = &scenario.pack;
        NewAttempt {
            summary: AttemptSummary {
                id: AttemptId(0),
                uuid: uuid::Uuid::new_v4(),
                profile: ProfileId(0),
                trainee: String::new(),
                pack_id: pack.id.clone(),
                pack_title: pack.title.clone(),
                pack_version: pack.version.clone(),
                xapi_base: pack.xapi_base(),
                scenario_id: scenario.id.clone(),
                scenario_title: scenario.title.clone(),
                scenario_version: scenario.version,
                difficulty: format!("{:?}", scenario.difficulty),
                variant: scorecard.variant.clone(),
                seed: session.seed(),
                started_at: timestamp(started),
                finished_at: timestamp(started + wall),
                wall_ms: wall.as_millis().min(u128::from(u64::MAX)) as u64,
                sim_secs: attempt.elapsed_secs,
                overall: scorecard.overall,
                passed: scorecard.passed,
                resolved: scorecard.resolved,
                dimensions: scorecard.dimensions,
            },
            actions: attempt.actions.into_iter().map(|t| t.action).collect(),
            scorecard: scorecard.clone(),
        }
    }
}
