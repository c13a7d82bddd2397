//! Turns a stored attempt into its xAPI statements: attempted, completed, passed/failed.

use super::statement::*;
use crate::progress::record::AttemptSummary;
use serde_json::json;
use std::collections::BTreeMap;

/// ADL verb IRIs.
pub const ATTEMPTED: &str = "http://adlnet.gov/expapi/verbs/attempted";
pub const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
pub const PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
pub const FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
/// Activity types.
pub const SIMULATION: &str = "http://adlnet.gov/expapi/activities/simulation";
pub const COURSE: &str = "http://adlnet.gov/expapi/activities/course";

/// Who the statements are about.
#[derive(Debug, Clone)]
pub struct Trainee {
    pub name: String,
    /// Stable account name (the profile's UUID).
    pub account: String,
}

/// The scheme and host of an IRI (`https://lms.example.com/a/b` → `https://lms.example.com`):
/// the trainee's account home page, shared by all of an organisation's packs.
pub fn origin(iri: &str) -> &str {
    let after_scheme = iri.find("://").map(|i| i + 3).unwrap_or(0);
    match iri[after_scheme..].find('/') {
        Some(j) => &iri[..after_scheme + j],
        None => iri,
    }
}

/// The attempt's statements in the order they happened. Their ids are UUID v5 of the
/// attempt's UUID and the verb, so rebuilding them gives the same ids.
pub fn statements(a: &AttemptSummary, who: &Trainee) -> Vec<Statement> {
    statements_in(a, who, None)
}

/// The shift a ticket's attempt was played in: its statements name the shift activity
/// as their parent (and the pack as grouping).
#[derive(Debug, Clone)]
pub struct InShift {
    pub shift_id: String,
    pub shift_title: String,
    pub shift_uuid: uuid::Uuid,
    pub ticket: u32,
}

/// The shift activity (`{base}/shifts/{id}`).
pub fn shift_activity(base: &str, id: &str, title: &str) -> Activity {
    Activity {
        object_type: "Activity".into(),
        id: format!("{}/shifts/{id}", base.trim_end_matches('/')),
        definition: Some(ActivityDefinition {
            name: en(title),
            description: None,
            kind: SIMULATION.into(),
        }),
    }
}

/// The pack activity (`{base}`), a course.
pub fn pack_activity(base: &str, title: &str) -> Activity {
    Activity {
        object_type: "Activity".into(),
        id: base.trim_end_matches('/').to_string(),
        definition: Some(ActivityDefinition {
            name: en(title),
            description: None,
            kind: COURSE.into(),
        }),
    }
}

/// The actor for a trainee under a pack's base IRI.
pub fn actor(base: &str, who: &Trainee) -> Agent {
    Agent {
        object_type: "Agent".into(),
        name: who.name.clone(),
        account: Account {
            home_page: origin(base.trim_end_matches('/')).to_string(),
            name: who.account.clone(),
        },
    }
}

/// An attempt's statements, under a shift when `shift` is given.
pub fn statements_in(a: &AttemptSummary, who: &Trainee, shift: Option<&InShift>) -> Vec<Statement> {
    let base = a.xapi_base.trim_end_matches('/');
    let actor = Agent {
        object_type: "Agent".into(),
        name: who.name.clone(),
        account: Account {
            home_page: origin(base).to_string(),
            name: who.account.clone(),
        },
    };
    let object = Activity {
        object_type: "Activity".into(),
        id: format!("{base}/scenarios/{}", a.scenario_id),
        definition: Some(ActivityDefinition {
            name: en(&a.scenario_title),
            description: None,
            kind: SIMULATION.into(),
        }),
    };
    let ext = |name: &str| format!("{base}/extensions/{name}");
    let context = Context {
        registration: a.uuid,
        platform: "Firstline".into(),
        language: "en-US".into(),
        context_activities: match shift {
            None => ContextActivities {
                parent: vec![pack_activity(base, &a.pack_title)],
                grouping: vec![],
            },
            Some(s) => ContextActivities {
                parent: vec![shift_activity(base, &s.shift_id, &s.shift_title)],
                grouping: vec![pack_activity(base, &a.pack_title)],
            },
        },
        extensions: BTreeMap::from([
            (ext("pack-version"), json!(a.pack_version)),
            (ext("scenario-version"), json!(a.scenario_version)),
            (ext("difficulty"), json!(a.difficulty.to_lowercase())),
            (ext("variant"), json!(a.variant)),
            (ext("seed"), json!(a.seed.to_string())),
            (ext("simulated-seconds"), json!(a.sim_secs)),
            (ext("resolved"), json!(a.resolved)),
        ]),
    };
    let mut context = context;
    if let Some(s) = shift {
        context
            .extensions
            .insert(ext("shift-attempt"), json!(s.shift_uuid.to_string()));
        context
            .extensions
            .insert(ext("shift-ticket"), json!(s.ticket));
    }
    let result = XResult {
        score: Score {
            scaled: f64::from(a.overall) / 100.0,
            raw: a.overall,
            min: 0,
            max: 100,
        },
        success: a.passed,
        completion: true,
        duration: iso8601_duration(a.wall_ms),
        extensions: a
            .dimensions
            .keyed()
            .iter()
            .map(|(k, v)| (ext(k), json!(v)))
            .collect(),
    };
    let verb = |id: &str, word: &str| Verb {
        id: id.into(),
        display: en(word),
    };
    let id = |word: &str| uuid::Uuid::new_v5(&a.uuid, word.as_bytes());
    let (outcome, word) = if a.passed {
        (PASSED, "passed")
    } else {
        (FAILED, "failed")
    };
    vec![
        Statement {
            id: id("attempted"),
            actor: actor.clone(),
            verb: verb(ATTEMPTED, "attempted"),
            object: object.clone(),
            result: None,
            context: Some(context.clone()),
            timestamp: a.started_at.clone(),
        },
        Statement {
            id: id("completed"),
            actor: actor.clone(),
            verb: verb(COMPLETED, "completed"),
            object: object.clone(),
            result: Some(result.clone()),
            context: Some(context.clone()),
            timestamp: a.finished_at.clone(),
        },
        Statement {
            id: id(word),
            actor,
            verb: verb(outcome, word),
            object,
            result: Some(result),
            context: Some(context),
            timestamp: a.finished_at.clone(),
        },
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn origins() {
        assert_eq!(
            super::origin("https://a.example.com/x/y"),
            "https://a.example.com"
        );
        assert_eq!(
            super::origin("https://a.example.com"),
            "https://a.example.com"
        );
    }
}
