//! The auth token exchange (cmi5 §8.2) and reading `LMS.LaunchData` (cmi5 §10).
//!
//! The AU POSTs once to the one-time `fetch` URL; a `200` with `{"auth-token": T}`
//! gives the token, sent afterwards as `Authorization: Basic T` on every xAPI request.
//! An LMS error is also a `200`, with `{"error-code": "1".."3", "error-text": ...}`.

use super::http::{Http, Reply, Request, join, query};
use super::launch::LaunchParams;
use super::launch_data::LaunchData;
use crate::xapi::statement::XAPI_VERSION;
use serde_json::Value;

/// The token answered by the fetch URL. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthToken(String);

impl std::fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthToken(***)")
    }
}

impl AuthToken {
    /// The `Authorization` header value.
    pub fn header(&self) -> String {
        format!("Basic {}", self.0)
    }
}

/// Why no token was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The LMS answered with a cmi5 error (1: already used or expired, 2: security,
    /// 3: application).
    Lms { code: String, text: String },
    /// No usable answer: transport failure, another status, a body that is not the
    /// cmi5 JSON.
    Bad(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Lms { code, text } => {
                let what = match code.as_str() {
                    "1" => {
                        "the launch link was already used or has expired — launch the course again from the LMS"
                    }
                    "2" => "the LMS refused the launch for security reasons",
                    "3" => "the LMS had an application error",
                    _ => "the LMS reported an error",
                };
                write!(f, "{what} (cmi5 error {code}: {text})")
            }
            FetchError::Bad(why) => f.write_str(why),
        }
    }
}

/// The POST to the fetch URL (no body; cmi5 forbids GET so nothing caches it).
pub fn token_request(launch: &LaunchParams) -> Request {
    Request {
        method: "POST",
        url: launch.fetch.clone(),
        headers: vec![],
        body: None,
    }
}

/// Reads the fetch URL's answer.
pub fn read_token(reply: &Reply) -> Result<AuthToken, FetchError> {
    if reply.status != 200 {
        return Err(FetchError::Bad(format!(
            "the LMS's fetch URL answered HTTP {} instead of 200",
            reply.status
        )));
    }
    let v: Value = serde_json::from_str(&reply.body)
        .map_err(|e| FetchError::Bad(format!("the LMS's fetch URL did not answer JSON ({e})")))?;
    if let Some(code) = v.get("error-code") {
        let code = match code {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let text = v
            .get("error-text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .chars()
            .take(300)
            .collect();
        return Err(FetchError::Lms { code, text });
    }
    match v.get("auth-token").and_then(Value::as_str) {
        Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(AuthToken(t.to_string()))
        }
        _ => Err(FetchError::Bad(
            "the LMS's fetch URL answered without an \"auth-token\"".into(),
        )),
    }
}

/// Obtains the token: one POST, never retried (the URL is one-time).
pub fn fetch_token(http: &mut impl Http, launch: &LaunchParams) -> Result<AuthToken, FetchError> {
    let reply = http
        .send(&token_request(launch))
        .map_err(|e| FetchError::Bad(format!("cannot reach the LMS's fetch URL: {e}")))?;
    read_token(&reply)
}

/// The headers of every xAPI request to the LMS.
pub fn xapi_headers(token: &AuthToken) -> Vec<(String, String)> {
    vec![
        ("Authorization".into(), token.header()),
        ("X-Experience-API-Version".into(), XAPI_VERSION.into()),
    ]
}

/// The State API GET for `LMS.LaunchData` (activityId, agent, registration of the launch).
pub fn launch_data_request(launch: &LaunchParams, token: &AuthToken) -> Request {
    let agent = launch.actor.to_string();
    let registration = launch.registration.to_string();
    let q = query(&[
        ("stateId", "LMS.LaunchData"),
        ("activityId", &launch.activity_id),
        ("agent", &agent),
        ("registration", &registration),
    ]);
    Request {
        method: "GET",
        url: format!("{}{q}", join(&launch.endpoint, "activities/state")),
        headers: xapi_headers(token),
        body: None,
    }
}

/// Reads the `LMS.LaunchData` answer.
pub fn read_launch_data(reply: &Reply) -> Result<LaunchData, Vec<String>> {
    if reply.status != 200 {
        return Err(vec![format!(
            "the LMS answered HTTP {} for LMS.LaunchData (expected 200 with the launch data)",
            reply.status
        )]);
    }
    LaunchData::from_json(&reply.body)
}

/// Token, then launch data: what an AU does first.
pub fn start(
    http: &mut impl Http,
    launch: &LaunchParams,
) -> Result<(AuthToken, LaunchData), String> {
    let token = fetch_token(http, launch).map_err(|e| e.to_string())?;
    let reply = http
        .send(&launch_data_request(launch, &token))
        .map_err(|e| format!("cannot reach the LMS for LMS.LaunchData: {e}"))?;
    let data = read_launch_data(&reply).map_err(|p| p.join("; "))?;
    Ok((token, data))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lms::http::parse_query;

    /// A scripted LMS: answers in order, records what it was sent.
    pub(crate) struct Scripted {
        pub replies: Vec<Result<Reply, String>>,
        pub sent: Vec<Request>,
    }

    impl Http for Scripted {
        fn send(&mut self, r: &Request) -> Result<Reply, String> {
            self.sent.push(r.clone());
            if self.replies.is_empty() {
                return Err("no more answers".into());
            }
            self.replies.remove(0)
        }
    }

    pub(crate) fn ok(body: &str) -> Result<Reply, String> {
        Ok(Reply {
            status: 200,
            body: body.into(),
        })
    }

    pub(crate) fn launch() -> LaunchParams {
        LaunchParams::from_query(&query(&[
            ("endpoint", "https://lms.example.com/xapi/"),
            ("fetch", "https://lms.example.com/token?k=1"),
            ("actor", crate::lms::launch::tests::ACTOR),
            ("registration", "760e3480-ba55-4991-94b0-01820dbd23a2"),
            ("activityId", "https://lms.example.com/au/42"),
        ]))
        .unwrap()
    }

    pub(crate) const DATA: &str = r#"{"contextTemplate":{"contextActivities":{"grouping":[{"objectType":"Activity","id":"https://firstline.example/scenarios/password-reset"}]},"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":"s-1"}},"launchMode":"Normal","moveOn":"Passed","masteryScore":0.7}"#;

    #[test]
    fn the_token_is_fetched_once_by_post_and_used_for_the_launch_data() {
        let mut lms = Scripted {
            replies: vec![ok(r#"{"auth-token":"QWxhZGRpbjpvcGVu"}"#), ok(DATA)],
            sent: vec![],
        };
        let (token, data) = start(&mut lms, &launch()).unwrap();
        assert_eq!(token.header(), "Basic QWxhZGRpbjpvcGVu");
        assert_eq!(format!("{token:?}"), "AuthToken(***)");
        assert_eq!(data.mastery_score, Some(0.7));
        assert_eq!(lms.sent[0].method, "POST");
        assert_eq!(lms.sent[0].url, "https://lms.example.com/token?k=1");
        let get = &lms.sent[1];
        assert_eq!(get.method, "GET");
        let (path, q) = get.url.split_once('?').unwrap();
        assert_eq!(path, "https://lms.example.com/xapi/activities/state");
        let q = parse_query(q).unwrap();
        assert!(q.contains(&("stateId".into(), "LMS.LaunchData".into())));
        assert!(q.contains(&("activityId".into(), "https://lms.example.com/au/42".into())));
        let agent = &q.iter().find(|(k, _)| k == "agent").unwrap().1;
        assert_eq!(
            serde_json::from_str::<Value>(agent).unwrap(),
            launch().actor
        );
        assert!(
            get.headers
                .contains(&("Authorization".into(), "Basic QWxhZGRpbjpvcGVu".into()))
        );
        assert!(
            get.headers
                .iter()
                .any(|(k, v)| k == "X-Experience-API-Version" && v == "1.0.3")
        );
    }

    #[test]
    fn fetch_errors_are_named() {
        let cases: [(Result<Reply, String>, &str); 6] = [
            (
                ok(r#"{"error-code":"1","error-text":"already returned"}"#),
                "already used",
            ),
            (ok(r#"{"error-code":2,"error-text":"bad"}"#), "security"),
            (ok(r#"{"auth-token":""}"#), "without an \"auth-token\""),
            (ok("<html>"), "did not answer JSON"),
            (
                Ok(Reply {
                    status: 302,
                    body: String::new(),
                }),
                "HTTP 302",
            ),
            (Err("connection refused".into()), "cannot reach"),
        ];
        for (reply, want) in cases {
            let mut lms = Scripted {
                replies: vec![reply],
                sent: vec![],
            };
            let e = fetch_token(&mut lms, &launch()).unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
            assert_eq!(lms.sent.len(), 1, "the one-time URL is never retried");
        }
        let mut lms = Scripted {
            replies: vec![
                ok(r#"{"auth-token":"T"}"#),
                Ok(Reply {
                    status: 404,
                    body: String::new(),
                }),
            ],
            sent: vec![],
        };
        assert!(start(&mut lms, &launch()).unwrap_err().contains("HTTP 404"));
    }
}
