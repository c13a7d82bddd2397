//! The subset of xAPI 1.0.3 statements Firstline sends, as serde types.
//!
//! Field names follow the specification (camelCase); optional parts are omitted when
//! empty so every statement is valid as written.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The xAPI version sent in `X-Experience-API-Version`.
pub const XAPI_VERSION: &str = "1.0.3";

/// A language map (`{"en-US": "passed"}`).
pub type LanguageMap = BTreeMap<String, String>;

/// Builds a one-entry `en-US` language map.
pub fn en(text: &str) -> LanguageMap {
    LanguageMap::from([("en-US".to_string(), text.to_string())])
}

/// One xAPI statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// A UUID chosen by Firstline, so an LRS de-duplicates re-sent statements.
    pub id: uuid::Uuid,
    pub actor: Agent,
    pub verb: Verb,
    pub object: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<XResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// ISO 8601 timestamp with time zone.
    pub timestamp: String,
}

/// The trainee, identified by an account on the pack's home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    #[serde(rename = "objectType")]
    pub object_type: String,
    pub name: String,
    pub account: Account,
}

/// An xAPI account (inverse functional identifier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    #[serde(rename = "homePage")]
    pub home_page: String,
    pub name: String,
}

/// A verb IRI with its display name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verb {
    pub id: String,
    pub display: LanguageMap,
}

/// An activity (a scenario, or the pack as its parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(rename = "objectType")]
    pub object_type: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<ActivityDefinition>,
}

/// Name, description and type of an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityDefinition {
    pub name: LanguageMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LanguageMap>,
    #[serde(rename = "type")]
    pub kind: String,
}

/// The outcome of an attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XResult {
    pub score: Score,
    pub success: bool,
    pub completion: bool,
    /// ISO 8601 duration (`PT4M12.5S`).
    pub duration: String,
    /// The four dimensions, keyed by extension IRIs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// A score: scaled in −1..1, raw between min and max (Firstline's scores are whole
/// numbers 0–100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub scaled: f64,
    pub raw: u32,
    pub min: u32,
    pub max: u32,
}

/// Registration, platform and the pack as parent activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// The attempt's UUID, shared by all its statements.
    pub registration: uuid::Uuid,
    pub platform: String,
    pub language: String,
    #[serde(rename = "contextActivities")]
    pub context_activities: ContextActivities,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// Related activities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextActivities {
    pub parent: Vec<Activity>,
    /// Broader activities (the pack, when the parent is a shift).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grouping: Vec<Activity>,
}

/// Formats a duration in milliseconds as ISO 8601 (`PT1H2M3.25S`).
pub fn iso8601_duration(ms: u64) -> String {
    let h = ms / 3_600_000;
    let m = (ms / 60_000) % 60;
    let s = (ms / 1000) % 60;
    let frac = ms % 1000;
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || frac > 0 || (h == 0 && m == 0) {
        if frac > 0 {
            let f = format!("{frac:03}");
            out.push_str(&format!("{s}.{}S", f.trim_end_matches('0')));
        } else {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso8601() {
        assert_eq!(iso8601_duration(0), "PT0S");
        assert_eq!(iso8601_duration(252_500), "PT4M12.5S");
        assert_eq!(iso8601_duration(3_600_000), "PT1H");
        assert_eq!(iso8601_duration(3_723_040), "PT1H2M3.04S");
        assert_eq!(iso8601_duration(120_000), "PT2M");
    }
}
