//! The cmi5 rules (cmi5 Quartz §7.1.3, §9, §10) on top of the xAPI ones: one AU
//! session's statements checked against its launch and launch data, and a
//! registration's defined statements against the once-per-registration rules.
//!
//! Order is the timestamps' order, as cmi5 §9.3 says.

use super::problems;
use crate::lms::cmi5::{
    CMI5_CATEGORY, INITIALIZED, MASTERY_EXT, MOVEON_CATEGORY, TERMINATED, is_defined,
};
use crate::lms::launch::LaunchParams;
use crate::lms::launch_data::{LaunchData, SESSION_ID};
use crate::xapi::build::{COMPLETED, FAILED, PASSED};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Verbs only the LMS uses (cmi5 §9.3.1, 9.3.6, 9.3.7, 9.3.9).
const LMS_VERBS: [&str; 4] = [
    "http://adlnet.gov/expapi/verbs/launched",
    "https://w3id.org/xapi/adl/verbs/abandoned",
    "https://w3id.org/xapi/adl/verbs/waived",
    "https://w3id.org/xapi/adl/verbs/satisfied",
];

fn verb(s: &Value) -> &str {
    s.pointer("/verb/id").and_then(Value::as_str).unwrap_or("")
}

fn short(v: &str) -> &str {
    v.rsplit('/').next().unwrap_or(v)
}

fn when(s: &Value) -> Option<OffsetDateTime> {
    s.get("timestamp")
        .and_then(Value::as_str)
        .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
}

/// Statements in timestamp order (stable for equal times).
fn in_order(statements: &[Value]) -> Vec<&Value> {
    let mut v: Vec<&Value> = statements.iter().collect();
    v.sort_by_key(|s| when(s));
    v
}

fn category_has(s: &Value, id: &str) -> bool {
    match s.pointer("/context/contextActivities/category") {
        Some(Value::Array(a)) => a
            .iter()
            .any(|x| x.get("id").and_then(Value::as_str) == Some(id)),
        Some(one) => one.get("id").and_then(Value::as_str) == Some(id),
        None => false,
    }
}

/// Every cmi5 rule one session's statements break, as `[n] verb: problem` (n counts
/// from 0 in timestamp order).
pub fn session_problems(
    statements: &[Value],
    launch: &LaunchParams,
    data: &LaunchData,
) -> Vec<String> {
    let ordered = in_order(statements);
    let mut p = vec![];
    let at = |i: usize, s: &Value| format!("[{i}] {}", short(verb(s)));
    match (ordered.first(), ordered.last()) {
        (Some(first), Some(last)) => {
            if !(is_defined(first) && verb(first) == INITIALIZED) {
                p.push(format!(
                    "{}: the first statement of a session must be the defined initialized",
                    at(0, first)
                ));
            }
            if !(is_defined(last) && verb(last) == TERMINATED) {
                p.push(format!(
                    "{}: the last statement of a session must be the defined terminated",
                    at(ordered.len() - 1, last)
                ));
            }
        }
        _ => {
            p.push("the session has no statements (initialized and terminated are required)".into())
        }
    }
    let mut seen: Vec<&str> = vec![];
    for (i, s) in ordered.iter().enumerate() {
        let here = at(i, s);
        p.extend(problems(s).into_iter().map(|m| format!("{here}: {m}")));
        p.extend(
            common(s, launch, data)
                .into_iter()
                .map(|m| format!("{here}: {m}")),
        );
        if !is_defined(s) {
            continue;
        }
        let v = verb(s);
        if seen.contains(&v) {
            p.push(format!(
                "{here}: a defined verb may appear once per session"
            ));
        }
        if (v == PASSED && seen.contains(&FAILED)) || (v == FAILED && seen.contains(&PASSED)) {
            p.push(format!("{here}: only one of passed and failed per session"));
        }
        seen.push(v);
        p.extend(
            defined(s, launch, data)
                .into_iter()
                .map(|m| format!("{here}: {m}")),
        );
    }
    p
}

/// Rules for every statement of the session, defined or allowed.
fn common(s: &Value, launch: &LaunchParams, data: &LaunchData) -> Vec<String> {
    let mut p = vec![];
    if let Some(t) = s.get("timestamp").and_then(Value::as_str)
        && !(t.ends_with('Z') || t.ends_with("+00:00"))
    {
        p.push(format!("timestamp {t} is not in UTC (cmi5 §9.7)"));
    }
    if s.pointer("/context/registration").and_then(Value::as_str)
        != Some(&launch.registration.to_string())
    {
        p.push("context.registration must be the launch's registration".into());
    }
    let session = s
        .pointer("/context/extensions")
        .and_then(|e| e.get(SESSION_ID))
        .and_then(Value::as_str);
    if session != Some(data.session_id()) {
        p.push(
            "context.extensions: the session id of the launch data is missing or changed".into(),
        );
    }
    p.extend(template_kept(s, data));
    p
}

/// The context template's values, all present and unchanged (cmi5 §10 contextTemplate).
fn template_kept(s: &Value, data: &LaunchData) -> Vec<String> {
    let mut p = vec![];
    let ctx = s.get("context").cloned().unwrap_or(Value::Null);
    for (k, tv) in &data.context_template {
        match k.as_str() {
            "contextActivities" => {
                for (list, acts) in tv.as_object().into_iter().flatten() {
                    let have = ctx.pointer(&format!("/contextActivities/{list}"));
                    let have: Vec<&Value> = match have {
                        Some(Value::Array(a)) => a.iter().collect(),
                        Some(one) => vec![one],
                        None => vec![],
                    };
                    let want: Vec<&Value> = match acts {
                        Value::Array(a) => a.iter().collect(),
                        one => vec![one],
                    };
                    for w in want {
                        if !have.iter().any(|h| h.get("id") == w.get("id")) {
                            p.push(format!(
                                "context.contextActivities.{list}: the template's activity {} is missing",
                                w.get("id").unwrap_or(&Value::Null)
                            ));
                        }
                    }
                }
            }
            "extensions" => {
                for (ek, ev) in tv.as_object().into_iter().flatten() {
                    if ctx.pointer("/extensions").and_then(|e| e.get(ek)) != Some(ev) {
                        p.push(format!(
                            "context.extensions.{ek}: the template's value is missing or changed"
                        ));
                    }
                }
            }
            _ => {
                if ctx.get(k) != Some(tv) {
                    p.push(format!(
                        "context.{k}: the template's value is missing or changed"
                    ));
                }
            }
        }
    }
    p
}

/// Rules for cmi5 defined statements (cmi5 §9.2–9.6, §10 launchMode and masteryScore).
fn defined(s: &Value, launch: &LaunchParams, data: &LaunchData) -> Vec<String> {
    let mut p = vec![];
    let v = verb(s);
    if LMS_VERBS.contains(&v) {
        p.push("this verb is the LMS's; an AU never sends it".into());
    } else if ![INITIALIZED, COMPLETED, PASSED, FAILED, TERMINATED].contains(&v) {
        p.push("not a cmi5 defined verb, yet it carries the cmi5 category (an allowed statement must not)".into());
    }
    if !data.launch_mode.judged() && [COMPLETED, PASSED, FAILED].contains(&v) {
        p.push(format!(
            "{:?} launch mode: only initialized and terminated may be sent",
            data.launch_mode
        ));
    }
    if s.get("actor") != Some(&launch.actor) {
        p.push("actor must be the launch's actor".into());
    }
    if s.pointer("/object/id").and_then(Value::as_str) != Some(&launch.activity_id) {
        p.push("object.id must be the launch's activityId".into());
    }
    let r = s.get("result");
    let has = |k: &str| r.and_then(|r| r.get(k)).is_some();
    if has("score") && ![PASSED, FAILED].contains(&v) {
        p.push("result.score is allowed only in passed and failed".into());
    }
    let success = r.and_then(|r| r.get("success"));
    match v {
        _ if v == PASSED && success != Some(&Value::Bool(true)) => {
            p.push("passed needs result.success true".into())
        }
        _ if v == FAILED && success != Some(&Value::Bool(false)) => {
            p.push("failed needs result.success false".into())
        }
        _ if v != PASSED && v != FAILED && success.is_some() => {
            p.push("result.success only in passed and failed".into())
        }
        _ => {}
    }
    let completion = r.and_then(|r| r.get("completion"));
    if v == COMPLETED && completion != Some(&Value::Bool(true)) {
        p.push("completed needs result.completion true".into());
    } else if v != COMPLETED && completion.is_some() {
        p.push("result.completion only in completed".into());
    }
    if [COMPLETED, PASSED, FAILED, TERMINATED].contains(&v) && !has("duration") {
        p.push("result.duration is required".into());
    }
    let moveon = success.is_some() || completion.is_some();
    if moveon != category_has(s, MOVEON_CATEGORY) {
        p.push(if moveon {
            "a statement with success or completion needs the moveon category".into()
        } else {
            "the moveon category belongs only to statements with success or completion".into()
        });
    }
    if !category_has(s, CMI5_CATEGORY) {
        p.push("the cmi5 category is missing".into());
    }
    if let Some(m) = data.mastery_score
        && (v == PASSED || v == FAILED)
    {
        if s.pointer("/context/extensions")
            .and_then(|e| e.get(MASTERY_EXT))
            .and_then(Value::as_f64)
            != Some(m)
        {
            p.push(format!("context.extensions: masteryScore {m} is missing"));
        }
        if let Some(x) = s.pointer("/result/score/scaled").and_then(Value::as_f64) {
            if v == PASSED && x < m {
                p.push(format!(
                    "passed with a scaled score {x} below the masteryScore {m}"
                ));
            }
            if v == FAILED && x >= m {
                p.push(format!(
                    "failed with a scaled score {x} at or above the masteryScore {m}"
                ));
            }
        }
    }
    p
}

/// The once-per-registration rules over every defined statement of one AU and
/// registration, across sessions: one completed, one passed, no failed after a passed.
pub fn registration_problems(statements: &[Value]) -> Vec<String> {
    let mut p = vec![];
    let (mut completed, mut passed) = (0, 0);
    for (i, s) in in_order(statements)
        .into_iter()
        .enumerate()
        .filter(|(_, s)| is_defined(s))
    {
        match verb(s) {
            v if v == COMPLETED => completed += 1,
            v if v == PASSED => passed += 1,
            v if v == FAILED && passed > 0 => p.push(format!(
                "[{i}] failed: a failed must not follow a passed in the registration"
            )),
            _ => {}
        }
    }
    if completed > 1 {
        p.push(format!(
            "{completed} completed statements; one per registration"
        ));
    }
    if passed > 1 {
        p.push(format!("{passed} passed statements; one per registration"));
    }
    p
}
