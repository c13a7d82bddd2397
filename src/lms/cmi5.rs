//! The statements an AU sends in a cmi5 session (cmi5 §9): the "cmi5 defined" ones —
//! initialized, completed, passed/failed, terminated — built on the LMS's context
//! template with the cmi5 category, and the attempt's own statements (attempted,
//! completed, passed/failed about the scenario) as "cmi5 allowed" statements.
//!
//! The session keeps the ordering rules: initialized first, terminated last and nothing
//! after it; completed at most once and passed at most once per registration, never a
//! failed after a passed; nothing judged outside the Normal launch mode. Timestamps
//! only increase (a statement dated before the previous one is moved just after it),
//! since cmi5 reads the order from them.
//!
//! Pass/fail: the LMS's masteryScore can raise the bar, never lower it — an attempt the
//! game failed (a critical mistake, a missed outcome, below the pack's pass mark) is
//! failed in the LMS too. A failed statement whose score would reach the masteryScore
//! (possible only when the game failed it for another reason) carries no score, as
//! cmi5 §9.3.5 requires; the score still reaches the LMS in the allowed statements.

use super::http::{Reply, Request, join, query};
use super::launch::LaunchParams;
use super::launch_data::LaunchData;
use super::token::{AuthToken, xapi_headers};
use crate::progress::record::{AttemptSummary, timestamp};
use crate::xapi::build::{self, Trainee};
use crate::xapi::statement::iso8601_duration;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Category activity of cmi5 defined statements (cmi5 §9.6.2.1).
pub const CMI5_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
/// Category activity of statements that carry success or completion (cmi5 §9.6.2.2).
pub const MOVEON_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/moveon";
/// The masteryScore context extension (cmi5 §9.6.3.2).
pub const MASTERY_EXT: &str = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
pub const INITIALIZED: &str = "http://adlnet.gov/expapi/verbs/initialized";
pub const TERMINATED: &str = "http://adlnet.gov/expapi/verbs/terminated";

/// What earlier sessions of the registration already recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prior {
    pub completed: bool,
    pub passed: bool,
}

/// Whether an attempt passes in the LMS, and whether its score may go in the
/// passed/failed statement. See the module documentation.
pub fn judge(overall: u32, game_passed: bool, mastery: Option<f64>) -> (bool, bool) {
    let scaled = f64::from(overall) / 100.0;
    let passed = game_passed && mastery.is_none_or(|m| scaled >= m);
    let with_score = passed || mastery.is_none_or(|m| scaled < m);
    (passed, with_score)
}

/// One cmi5 session of an AU: from the launch to terminated.
#[derive(Debug, Clone)]
pub struct Cmi5Session {
    pub launch: LaunchParams,
    pub data: LaunchData,
    prior: Prior,
    initialized: bool,
    /// Passed or failed was sent in this session (cmi5 allows one of them per session).
    judged: bool,
    terminated: bool,
    /// The latest timestamp issued: each statement is later than the one before, so the
    /// order cmi5 reads from timestamps is the order of sending.
    last: Option<OffsetDateTime>,
}

impl Cmi5Session {
    pub fn new(launch: LaunchParams, data: LaunchData, prior: Prior) -> Cmi5Session {
        Cmi5Session {
            launch,
            data,
            prior,
            initialized: false,
            judged: false,
            terminated: false,
            last: None,
        }
    }

    /// Whether terminated was sent (the session sends nothing more).
    pub fn is_terminated(&self) -> bool {
        self.terminated
    }

    /// Moves a statement's timestamp after the previous one's when it is not already.
    fn stamp(&mut self, s: &mut Value) {
        let given = s
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok());
        let t = match (given, self.last) {
            (Some(t), Some(l)) if t <= l => l + time::Duration::milliseconds(1),
            (Some(t), _) => t,
            (None, Some(l)) => l + time::Duration::milliseconds(1),
            (None, None) => OffsetDateTime::UNIX_EPOCH,
        };
        if given != Some(t) {
            s["timestamp"] = json!(timestamp(t.into()));
        }
        self.last = Some(t);
    }

    fn stamped(&mut self, mut list: Vec<Value>) -> Vec<Value> {
        for s in &mut list {
            self.stamp(s);
        }
        list
    }

    fn id(&self, word: &str) -> uuid::Uuid {
        let name = format!("{}/{word}", self.data.session_id());
        uuid::Uuid::new_v5(&self.launch.registration, name.as_bytes())
    }

    /// A context on the template: the template's values kept, ours added where the
    /// template has none, activities appended to its lists.
    fn context(&self, ours: Map<String, Value>) -> Value {
        let mut c = self.data.context_template.clone();
        c.insert("registration".into(), json!(self.launch.registration));
        for (k, v) in ours {
            match (k.as_str(), c.get_mut(&k)) {
                ("contextActivities", Some(Value::Object(have))) => {
                    for (list, acts) in v.as_object().cloned().unwrap_or_default() {
                        let entry = have.entry(list).or_insert_with(|| json!([]));
                        if !entry.is_array() {
                            *entry = json!([entry.take()]);
                        }
                        let Value::Array(arr) = entry else { continue };
                        for a in acts.as_array().cloned().unwrap_or_default() {
                            if !arr.iter().any(|x| x.get("id") == a.get("id")) {
                                arr.push(a);
                            }
                        }
                    }
                }
                ("extensions", Some(Value::Object(have))) => {
                    for (ek, ev) in v.as_object().cloned().unwrap_or_default() {
                        have.entry(ek).or_insert(ev);
                    }
                }
                (_, Some(_)) => {}
                (_, None) => {
                    c.insert(k, v);
                }
            }
        }
        Value::Object(c)
    }

    fn defined(&self, verb: &str, word: &str, result: Option<Value>, at: &str) -> Value {
        let moveon = result
            .as_ref()
            .is_some_and(|r| r.get("success").is_some() || r.get("completion").is_some());
        let mut category = vec![json!({"objectType": "Activity", "id": CMI5_CATEGORY})];
        if moveon {
            category.push(json!({"objectType": "Activity", "id": MOVEON_CATEGORY}));
        }
        let mut ours = Map::new();
        ours.insert("contextActivities".into(), json!({ "category": category }));
        if moveon
            && result.as_ref().is_some_and(|r| r.get("success").is_some())
            && let Some(m) = self.data.mastery_score
        {
            ours.insert("extensions".into(), json!({ MASTERY_EXT: m }));
        }
        let mut s = json!({
            "id": self.id(word),
            "actor": self.launch.actor,
            "verb": {"id": verb, "display": {"en-US": word}},
            "object": {"objectType": "Activity", "id": self.launch.activity_id},
            "context": self.context(ours),
            "timestamp": at,
        });
        if let Some(r) = result {
            s["result"] = r;
        }
        s
    }

    /// The first statement of the session. `None` when already sent or terminated.
    pub fn initialized(&mut self, at: &str) -> Option<Value> {
        if self.initialized || self.terminated {
            return None;
        }
        self.initialized = true;
        let s = self.defined(INITIALIZED, "initialized", None, at);
        self.stamped(vec![s]).pop()
    }

    /// What a finished attempt adds, in order: the attempt's own statements as cmi5
    /// allowed statements, then completed and passed or failed as the rules permit: one
    /// passed or failed per session (a retry is a new launch), completed and passed once
    /// per registration. Outside the Normal launch mode, nothing (no judgement is
    /// recorded).
    pub fn finished(&mut self, a: &AttemptSummary, who: &Trainee) -> Vec<Value> {
        if !self.initialized || self.terminated || !self.data.launch_mode.judged() {
            return vec![];
        }
        let mut out = self.allowed(a, who);
        let duration = iso8601_duration(a.wall_ms);
        let at = a.finished_at.as_str();
        if !self.prior.completed {
            self.prior.completed = true;
            let r = json!({"completion": true, "duration": duration});
            out.push(self.defined(build::COMPLETED, "completed", Some(r), at));
        }
        if !self.prior.passed && !self.judged {
            let (passed, with_score) = judge(a.overall, a.passed, self.data.mastery_score);
            let mut r = json!({"success": passed, "duration": duration});
            if with_score {
                r["score"] = json!({
                    "scaled": f64::from(a.overall) / 100.0,
                    "raw": a.overall, "min": 0, "max": 100,
                });
            }
            let (verb, word) = if passed {
                (build::PASSED, "passed")
            } else {
                (build::FAILED, "failed")
            };
            self.prior.passed = passed;
            self.judged = true;
            out.push(self.defined(verb, word, Some(r), at));
        }
        self.stamped(out)
    }

    /// The attempt's statements (attempted, completed, passed/failed about the scenario)
    /// as cmi5 allowed statements: the launch's actor and registration, the template's
    /// context, never the cmi5 category.
    fn allowed(&self, a: &AttemptSummary, who: &Trainee) -> Vec<Value> {
        build::statements(a, who)
            .into_iter()
            .map(|s| {
                let mut v = serde_json::to_value(&s).unwrap_or_default();
                v["actor"] = self.launch.actor.clone();
                let mut ours = match v.get("context").cloned() {
                    Some(Value::Object(o)) => o,
                    _ => Map::new(),
                };
                ours.remove("registration");
                let base = a.xapi_base.trim_end_matches('/');
                if let Some(Value::Object(e)) = ours.get_mut("extensions") {
                    e.insert(format!("{base}/extensions/attempt"), json!(a.uuid));
                }
                v["context"] = self.context(ours);
                v
            })
            .collect()
    }

    /// The last statement: the session's duration. `None` when not initialized or
    /// already terminated; nothing is sent after it.
    pub fn terminated(&mut self, at: &str, session_ms: u64) -> Option<Value> {
        if !self.initialized || self.terminated {
            return None;
        }
        self.terminated = true;
        let r = json!({"duration": iso8601_duration(session_ms)});
        let s = self.defined(TERMINATED, "terminated", Some(r), at);
        self.stamped(vec![s]).pop()
    }
}

/// The statements query that tells whether an earlier session of the registration
/// already sent a defined statement with `verb` (completed or passed).
pub fn prior_request(launch: &LaunchParams, token: &AuthToken, verb: &str) -> Request {
    let agent = launch.actor.to_string();
    let registration = launch.registration.to_string();
    let q = query(&[
        ("agent", &agent),
        ("verb", verb),
        ("activity", &launch.activity_id),
        ("registration", &registration),
    ]);
    Request {
        method: "GET",
        url: format!("{}{q}", join(&launch.endpoint, "statements")),
        headers: xapi_headers(token),
        body: None,
    }
}

/// Reads a [`prior_request`] answer: whether it lists a cmi5 defined statement.
pub fn read_prior(reply: &Reply) -> Result<bool, String> {
    if reply.status != 200 {
        return Err(format!(
            "the LMS answered HTTP {} to a statements query",
            reply.status
        ));
    }
    let v: Value = serde_json::from_str(&reply.body)
        .map_err(|e| format!("the statements query answer is not JSON ({e})"))?;
    let list = v
        .get("statements")
        .and_then(Value::as_array)
        .ok_or("the statements query answer has no `statements` list")?;
    Ok(list.iter().any(is_defined))
}

/// Whether a statement is cmi5 defined (carries the cmi5 category).
pub fn is_defined(s: &Value) -> bool {
    let cat = s.pointer("/context/contextActivities/category");
    let list: Vec<&Value> = match cat {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
        None => vec![],
    };
    list.iter()
        .any(|a| a.get("id").and_then(Value::as_str) == Some(CMI5_CATEGORY))
}

#[cfg(test)]
#[path = "cmi5_tests.rs"]
mod tests;
