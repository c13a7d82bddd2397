//! `LMS.LaunchData` (cmi5 §10): the state document the LMS writes before a launch —
//! the context template every statement must carry, the launch mode, the mastery score
//! and the moveOn rule.

use serde_json::{Map, Value};

/// The session id extension (cmi5 §9.6.3.1), set by the LMS in the context template.
pub const SESSION_ID: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";

/// How the LMS launched the AU (cmi5 §10 launchMode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaunchMode {
    /// Results count: completion and pass/fail are recorded.
    Normal,
    /// Look around without judgement: nothing completion-related is recorded.
    Browse,
    /// Revisit completed material: nothing completion-related is recorded.
    Review,
}

impl LaunchMode {
    /// Whether completed/passed/failed may be sent.
    pub fn judged(self) -> bool {
        self == LaunchMode::Normal
    }
}

/// What satisfies the AU for the LMS (cmi5 §13.1.4 moveOn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveOn {
    Passed,
    Completed,
    CompletedAndPassed,
    CompletedOrPassed,
    NotApplicable,
}

impl MoveOn {
    pub const ALL: [MoveOn; 5] = [
        MoveOn::Passed,
        MoveOn::Completed,
        MoveOn::CompletedAndPassed,
        MoveOn::CompletedOrPassed,
        MoveOn::NotApplicable,
    ];
    /// The name used in cmi5.xml and the launch data.
    pub fn name(self) -> &'static str {
        match self {
            MoveOn::Passed => "Passed",
            MoveOn::Completed => "Completed",
            MoveOn::CompletedAndPassed => "CompletedAndPassed",
            MoveOn::CompletedOrPassed => "CompletedOrPassed",
            MoveOn::NotApplicable => "NotApplicable",
        }
    }
    pub fn parse(s: &str) -> Option<MoveOn> {
        MoveOn::ALL.into_iter().find(|m| m.name() == s)
    }
}

/// The checked launch data.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchData {
    /// The context every statement starts from; its values are never overwritten.
    pub context_template: Map<String, Value>,
    pub launch_mode: LaunchMode,
    pub launch_parameters: Option<String>,
    /// The scaled score (0..1) at or above which the AU is passed.
    pub mastery_score: Option<f64>,
    pub move_on: MoveOn,
    /// Where to send the learner when the AU ends.
    pub return_url: Option<String>,
}

impl LaunchData {
    /// Reads the document; on failure every problem, each naming its property.
    pub fn from_json(text: &str) -> Result<LaunchData, Vec<String>> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| vec![format!("LMS.LaunchData is not JSON ({e})")])?;
        let Some(o) = v.as_object() else {
            return Err(vec!["LMS.LaunchData: expected a JSON object".into()]);
        };
        let mut p = vec![];
        let template = match o.get("contextTemplate").and_then(Value::as_object) {
            Some(t) => {
                let session = t
                    .get("extensions")
                    .and_then(|e| e.get(SESSION_ID))
                    .and_then(Value::as_str);
                if session.is_none_or(str::is_empty) {
                    p.push(format!(
                        "LMS.LaunchData.contextTemplate: no session id (extension {SESSION_ID})"
                    ));
                }
                t.clone()
            }
            None => {
                p.push("LMS.LaunchData.contextTemplate: required object missing".into());
                Map::new()
            }
        };
        let mode = match o.get("launchMode").and_then(Value::as_str) {
            Some("Normal") => LaunchMode::Normal,
            Some("Browse") => LaunchMode::Browse,
            Some("Review") => LaunchMode::Review,
            other => {
                p.push(format!(
                    "LMS.LaunchData.launchMode: {} is not \"Normal\", \"Browse\" or \"Review\"",
                    other.map_or("(missing)".to_string(), |s| format!("\"{s}\""))
                ));
                LaunchMode::Browse
            }
        };
        let move_on = match o.get("moveOn").and_then(Value::as_str) {
            Some(s) => MoveOn::parse(s).unwrap_or_else(|| {
                p.push(format!(
                    "LMS.LaunchData.moveOn: \"{s}\" is not a cmi5 moveOn value"
                ));
                MoveOn::NotApplicable
            }),
            // moveOn is the LMS's to give; an AU can do without it.
            None => MoveOn::NotApplicable,
        };
        let mastery = match o.get("masteryScore") {
            None | Some(Value::Null) => None,
            Some(m) => match m.as_f64() {
                Some(x) if (0.0..=1.0).contains(&x) => Some(x),
                _ => {
                    p.push(format!(
                        "LMS.LaunchData.masteryScore: {m} is not a decimal between 0 and 1"
                    ));
                    None
                }
            },
        };
        let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
        if !p.is_empty() {
            return Err(p);
        }
        Ok(LaunchData {
            context_template: template,
            launch_mode: mode,
            launch_parameters: text("launchParameters"),
            mastery_score: mastery,
            move_on,
            return_url: text("returnURL"),
        })
    }

    /// The session id from the context template.
    pub fn session_id(&self) -> &str {
        self.context_template
            .get("extensions")
            .and_then(|e| e.get(SESSION_ID))
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lms::token::tests::DATA;

    #[test]
    fn launch_data_is_read() {
        let d = LaunchData::from_json(DATA).unwrap();
        assert_eq!(d.launch_mode, LaunchMode::Normal);
        assert_eq!(d.move_on, MoveOn::Passed);
        assert_eq!(d.session_id(), "s-1");
        assert!(d.launch_mode.judged());
        let review = DATA.replace("Normal", "Review");
        let d = LaunchData::from_json(&review).unwrap();
        assert!(!d.launch_mode.judged());
        for m in MoveOn::ALL {
            assert_eq!(MoveOn::parse(m.name()), Some(m));
        }
    }

    #[test]
    fn broken_launch_data_names_each_problem() {
        let cases = [
            (DATA.replace("Normal", "normal"), "launchMode"),
            (DATA.replace("0.7", "70"), "masteryScore"),
            (DATA.replace("\"Passed\"", "\"Done\""), "moveOn"),
            (DATA.replace("sessionid", "other"), "session id"),
            (r#"{"launchMode":"Normal"}"#.to_string(), "contextTemplate"),
            ("[]".to_string(), "JSON object"),
            ("{".to_string(), "not JSON"),
        ];
        for (text, want) in cases {
            let e = LaunchData::from_json(&text).unwrap_err();
            assert!(e.iter().any(|m| m.contains(want)), "{want}: {e:?}");
        }
        let e = LaunchData::from_json("{}").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
    }
}
