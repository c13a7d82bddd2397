//! A shift's own xAPI statements: attempted, completed, passed/failed, with the shift as
//! the activity and the pack as its parent. Its tickets' statements name the shift as
//! their parent (`build::statements_in`). Ids are UUID v5 of the shift's UUID.

use super::build::{
    ATTEMPTED, COMPLETED, FAILED, PASSED, Trainee, actor, pack_activity, shift_activity,
};
use super::statement::*;
use crate::progress::shifts::ShiftSummary;
use crate::shift::score::ShiftCard;
use serde_json::json;
use std::collections::BTreeMap;

/// The shift's statements in the order they happened.
pub fn statements(s: &ShiftSummary, card: &ShiftCard, who: &Trainee) -> Vec<Statement> {
    let base = s.xapi_base.trim_end_matches('/');
    let ext = |name: &str| format!("{base}/extensions/{name}");
    let object = shift_activity(base, &s.shift_id, &s.shift_title);
    let context = Context {
        registration: s.uuid,
        platform: "Firstline".into(),
        language: "en-US".into(),
        context_activities: ContextActivities {
            parent: vec![pack_activity(base, &s.pack_title)],
            grouping: vec![],
        },
        extensions: BTreeMap::from([
            (ext("seed"), json!(s.seed.to_string())),
            (ext("simulated-seconds"), json!(s.sim_secs)),
            (ext("tickets"), json!(card.tickets.len())),
        ]),
    };
    let result = XResult {
        score: Score {
            scaled: f64::from(s.overall) / 100.0,
            raw: s.overall,
            min: 0,
            max: 100,
        },
        success: s.passed,
        completion: true,
        duration: iso8601_duration(s.wall_ms),
        extensions: card
            .criteria
            .iter()
            .map(|c| (ext(&format!("shift-{}", c.id)), json!(c.points)))
            .collect(),
    };
    let verb = |id: &str, word: &str| Verb {
        id: id.into(),
        display: en(word),
    };
    let id = |word: &str| uuid::Uuid::new_v5(&s.uuid, word.as_bytes());
    let (outcome, word) = if s.passed {
        (PASSED, "passed")
    } else {
        (FAILED, "failed")
    };
    let who = actor(base, who);
    let st = |word: &str, verb_id: &str, result: Option<XResult>, at: &str| Statement {
        id: id(word),
        actor: who.clone(),
        verb: verb(verb_id, word),
        object: object.clone(),
        result,
        context: Some(context.clone()),
        timestamp: at.to_string(),
    };
    vec![
        st("attempted", ATTEMPTED, None, &s.started_at),
        st("completed", COMPLETED, Some(result.clone()), &s.finished_at),
        st(word, outcome, Some(result), &s.finished_at),
    ]
}
