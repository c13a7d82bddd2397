//! cmi5 launch parameters (cmi5 §8.1): the five name/value pairs an LMS appends to the
//! AU's URL — `endpoint`, `fetch`, `actor`, `registration`, `activityId` — read in any
//! order, URL-decoded and checked, every problem reported at once.

use super::http::{is_http_url, parse_query};
use crate::xapi::validate::is_iri;
use serde_json::Value;

/// The names cmi5 reserves in the launch URL's query.
pub const NAMES: [&str; 5] = ["endpoint", "fetch", "actor", "registration", "activityId"];

/// A checked cmi5 launch.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchParams {
    /// The LMS's xAPI endpoint (base for `statements`, `activities/state`, ...).
    pub endpoint: String,
    /// The one-time URL that hands out the auth token.
    pub fetch: String,
    /// The learner: an xAPI Agent with an `account` (cmi5 §9.2), used as given.
    pub actor: Value,
    /// The learner's enrolment.
    pub registration: uuid::Uuid,
    /// The AU's activity id for this LMS: the object of every cmi5 defined statement.
    pub activity_id: String,
    /// Other parameters of the URL (ours, e.g. `scenario`), in order.
    pub other: Vec<(String, String)>,
}

/// Whether a query string carries a cmi5 launch at all (any of the reserved names):
/// a page opened without one is a plain web launch, not a broken cmi5 one.
pub fn is_cmi5_launch(query: &str) -> bool {
    parse_query(query)
        .map(|pairs| pairs.iter().any(|(k, _)| NAMES.contains(&k.as_str())))
        .unwrap_or(false)
}

impl LaunchParams {
    /// Reads a launch URL's query string (with or without `?`). On failure, every problem
    /// found, each naming the parameter and what was expected.
    pub fn from_query(query: &str) -> Result<LaunchParams, Vec<String>> {
        let pairs = parse_query(query).map_err(|e| vec![e])?;
        let mut problems = vec![];
        let mut found: [Option<String>; 5] = Default::default();
        let mut other = vec![];
        for (name, value) in pairs {
            match NAMES.iter().position(|n| *n == name) {
                Some(i) if found[i].is_some() => {
                    problems.push(format!("`{name}` is given more than once"))
                }
                Some(i) => found[i] = Some(value),
                None => other.push((name, value)),
            }
        }
        for (i, name) in NAMES.iter().enumerate() {
            if found[i].is_none() {
                problems.push(format!(
                    "`{name}` is missing from the launch URL (cmi5 launches carry endpoint, fetch, actor, registration and activityId)"
                ));
            }
        }
        let [endpoint, fetch, actor, registration, activity_id] =
            found.map(Option::unwrap_or_default);
        for (name, url) in [("endpoint", &endpoint), ("fetch", &fetch)] {
            if !url.is_empty() && !is_http_url(url) {
                problems.push(format!("`{name}`: `{url}` is not an http(s) URL"));
            }
        }
        let actor_value = if actor.is_empty() {
            Value::Null
        } else {
            match serde_json::from_str::<Value>(&actor) {
                Ok(v) => {
                    problems.extend(actor_problems(&v));
                    v
                }
                Err(e) => {
                    problems.push(format!("`actor`: not JSON ({e})"));
                    Value::Null
                }
            }
        };
        let reg = uuid::Uuid::parse_str(&registration);
        if !registration.is_empty() && reg.is_err() {
            problems.push(format!("`registration`: `{registration}` is not a UUID"));
        }
        if !activity_id.is_empty() && !is_iri(&activity_id) {
            problems.push(format!(
                "`activityId`: `{activity_id}` is not an absolute IRI"
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(LaunchParams {
            endpoint,
            fetch,
            actor: actor_value,
            registration: reg.unwrap_or_default(),
            activity_id,
            other,
        })
    }

    /// The value of one of our own parameters (e.g. `scenario`).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.other
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What is wrong with a launch `actor`: cmi5 needs an Agent identified by an account.
fn actor_problems(v: &Value) -> Vec<String> {
    let Some(o) = v.as_object() else {
        return vec!["`actor`: expected a JSON object (an xAPI Agent)".into()];
    };
    let mut p = vec![];
    if let Some(t) = o.get("objectType")
        && t != "Agent"
    {
        p.push(format!("`actor`: objectType is {t}, expected \"Agent\""));
    }
    match o.get("account").and_then(Value::as_object) {
        Some(acc) => {
            let home = acc.get("homePage").and_then(Value::as_str).unwrap_or("");
            if !is_http_url(home) {
                p.push("`actor`: account.homePage must be an http(s) URL".into());
            }
            let name = acc.get("name").and_then(Value::as_str).unwrap_or("");
            if name.is_empty() {
                p.push("`actor`: account.name must be a non-empty string".into());
            }
        }
        None => p.push("`actor`: cmi5 requires an `account` (homePage and name)".into()),
    }
    p
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lms::http::query;

    pub(crate) const ACTOR: &str = r#"{"objectType":"Agent","name":"Sam","account":{"homePage":"https://lms.example.com","name":"u-1625378"}}"#;

    fn good() -> Vec<(&'static str, &'static str)> {
        vec![
            ("scenario", "password-reset"),
            ("endpoint", "https://lms.example.com/xapi/"),
            ("fetch", "https://lms.example.com/token?k=2390289x0&s=1"),
            ("actor", ACTOR),
            ("registration", "760e3480-ba55-4991-94b0-01820dbd23a2"),
            ("activityId", "https://lms.example.com/au/42"),
        ]
    }

    #[test]
    fn a_launch_is_read_in_any_order() {
        let mut pairs = good();
        let p = LaunchParams::from_query(&query(&pairs)).unwrap();
        assert_eq!(p.fetch, "https://lms.example.com/token?k=2390289x0&s=1");
        assert_eq!(p.actor["account"]["name"], "u-1625378");
        assert_eq!(p.param("scenario"), Some("password-reset"));
        pairs.reverse();
        assert_eq!(LaunchParams::from_query(&query(&pairs)).unwrap(), {
            let mut q = p.clone();
            q.other = vec![("scenario".into(), "password-reset".into())];
            q
        });
        assert!(is_cmi5_launch(&query(&pairs)));
        assert!(!is_cmi5_launch("?scenario=x"));
    }

    #[test]
    fn every_problem_is_reported() {
        let cases: [(&str, &str, &str); 8] = [
            ("endpoint", "lms.example.com", "`endpoint`"),
            ("fetch", "javascript:alert(1)", "`fetch`"),
            ("actor", "{nope", "not JSON"),
            ("actor", r#"{"mbox":"mailto:a@b.c"}"#, "account"),
            (
                "actor",
                r#"{"objectType":"Group","account":{"homePage":"https://a","name":"x"}}"#,
                "\"Agent\"",
            ),
            (
                "actor",
                r#"{"account":{"homePage":"https://a","name":""}}"#,
                "account.name",
            ),
            ("registration", "42", "not a UUID"),
            ("activityId", "au 42", "not an absolute IRI"),
        ];
        for (name, value, want) in cases {
            let pairs: Vec<(&str, &str)> = good()
                .into_iter()
                .map(|(k, v)| if k == name { (k, value) } else { (k, v) })
                .collect();
            let err = LaunchParams::from_query(&query(&pairs)).unwrap_err();
            assert!(
                err.iter().any(|e| e.contains(want)),
                "{name}={value}: {err:?}"
            );
        }
        let err = LaunchParams::from_query("?scenario=x").unwrap_err();
        assert_eq!(err.len(), 5, "{err:?}");
        let mut twice = good();
        twice.push(("registration", "760e3480-ba55-4991-94b0-01820dbd23a2"));
        let err = LaunchParams::from_query(&query(&twice)).unwrap_err();
        assert!(err[0].contains("more than once"));
        assert!(LaunchParams::from_query("?endpoint=%zz").is_err());
    }
}
