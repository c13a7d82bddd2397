//! Sending a cmi5 session's statements to the LMS with the acknowledgement rules of
//! `firstline sync` (xAPI 1.0.3 §2.1.2): a statement counts as stored only when a
//! `POST` is answered `200` with a JSON array naming its id, or its own
//! `PUT ?statementId=` is answered `204`. A `204` to the POST, or a batch refused as a
//! whole (400/409), is retried one `PUT` at a time; anything else — a redirect (never
//! followed: the browser page uses `redirect: "manual"`), 401/403/404, 5xx, another
//! 2xx, a body that is not the ids — stops with the reason and the caller keeps the
//! statements queued.

use super::http::{Http, Reply, Request, join, query};
use super::token::{AuthToken, xapi_headers};
use serde_json::Value;

/// What became of a delivery.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Ids the LMS acknowledged.
    pub acked: Vec<String>,
    /// Ids it refused for good, with the reason.
    pub refused: Vec<(String, String)>,
    /// Why the delivery stopped early (the rest stays queued).
    pub stopped: Option<String>,
}

/// How an answer is to be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// These ids are stored.
    Acked(Vec<String>),
    /// Send each statement with its own PUT.
    OneByOne,
    /// Refused for good (a PUT answered 400/409...).
    Refused(String),
    /// Stop; keep everything queued.
    Stop(String),
}

fn id_of(s: &Value) -> String {
    s.get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// `POST <endpoint>/statements` with the statements as a JSON array.
pub fn post_request(endpoint: &str, token: &AuthToken, statements: &[Value]) -> Request {
    let mut headers = xapi_headers(token);
    headers.push(("Content-Type".into(), "application/json".into()));
    Request {
        method: "POST",
        url: join(endpoint, "statements"),
        headers,
        body: Some(Value::Array(statements.to_vec()).to_string()),
    }
}

/// `PUT <endpoint>/statements?statementId=ID` with one statement.
pub fn put_request(endpoint: &str, token: &AuthToken, statement: &Value) -> Request {
    let mut headers = xapi_headers(token);
    headers.push(("Content-Type".into(), "application/json".into()));
    let id = id_of(statement);
    Request {
        method: "PUT",
        url: format!(
            "{}{}",
            join(endpoint, "statements"),
            query(&[("statementId", &id)])
        ),
        headers,
        body: Some(statement.to_string()),
    }
}

fn failure(reply: &Reply) -> Option<Answer> {
    let body: String = reply.body.chars().take(300).collect();
    let body = crate::progress::report::escape_text(&body);
    Some(match reply.status {
        200..=299 => return None,
        0 | 300..=399 => Answer::Stop(format!(
            "the LMS redirected the request (HTTP {}); redirects are not followed when sending statements",
            reply.status
        )),
        401 | 403 => Answer::Stop(format!(
            "the LMS refused the session's token (HTTP {}); launch the course again from the LMS",
            reply.status
        )),
        400 | 409 => Answer::Refused(format!("HTTP {}: {body}", reply.status)),
        code => Answer::Stop(format!("the LMS answered HTTP {code}: {body}")),
    })
}

/// Reads the answer to a POST of `sent` (statements in the order sent).
pub fn read_post(reply: &Reply, sent: &[Value]) -> Answer {
    match failure(reply) {
        Some(Answer::Refused(_)) => return Answer::OneByOne,
        Some(other) => return other,
        None => {}
    }
    if reply.status == 204 {
        return Answer::OneByOne;
    }
    if reply.status != 200 {
        return Answer::Stop(format!(
            "the LMS answered HTTP {} to a POST, not 200 with the statement ids (xAPI 1.0.3)",
            reply.status
        ));
    }
    match serde_json::from_str::<Vec<String>>(&reply.body) {
        Ok(ids) => Answer::Acked(
            sent.iter()
                .map(id_of)
                .filter(|id| ids.contains(id))
                .collect(),
        ),
        Err(_) => Answer::Stop(
            "the LMS answered 200 without the JSON array of statement ids; nothing was marked sent"
                .into(),
        ),
    }
}

/// Reads the answer to a PUT of one statement.
pub fn read_put(reply: &Reply, statement: &Value) -> Answer {
    match failure(reply) {
        Some(a) => a,
        None if reply.status == 204 => Answer::Acked(vec![id_of(statement)]),
        None => Answer::Stop(format!(
            "the LMS answered HTTP {} to a PUT, not 204 No Content (xAPI 1.0.3)",
            reply.status
        )),
    }
}

/// Sends `statements` (in order) over `http`: one POST, then a PUT for each one the
/// answer did not acknowledge.
pub fn deliver(
    http: &mut impl Http,
    endpoint: &str,
    token: &AuthToken,
    statements: &[Value],
) -> Delivery {
    let mut out = Delivery::default();
    if statements.is_empty() {
        return out;
    }
    let answer = match http.send(&post_request(endpoint, token, statements)) {
        Ok(r) => read_post(&r, statements),
        Err(e) => Answer::Stop(format!("cannot reach the LMS: {e}")),
    };
    match answer {
        Answer::Acked(ids) => out.acked = ids,
        Answer::Stop(why) => {
            out.stopped = Some(why);
            return out;
        }
        Answer::OneByOne | Answer::Refused(_) => {}
    }
    for s in statements {
        let id = id_of(s);
        if out.acked.contains(&id) {
            continue;
        }
        let answer = match http.send(&put_request(endpoint, token, s)) {
            Ok(r) => read_put(&r, s),
            Err(e) => Answer::Stop(format!("cannot reach the LMS: {e}")),
        };
        match answer {
            Answer::Acked(_) => out.acked.push(id),
            Answer::Refused(why) => out.refused.push((id, why)),
            Answer::Stop(why) => {
                out.stopped = Some(why);
                return out;
            }
            // read_put never asks for one-by-one; taken as a stop to be safe.
            Answer::OneByOne => {
                out.stopped = Some("the LMS's answer to a PUT was not understood".into());
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lms::token::tests::Scripted;
    use serde_json::json;

    fn token() -> AuthToken {
        crate::lms::token::read_token(&Reply {
            status: 200,
            body: r#"{"auth-token":"T"}"#.into(),
        })
        .unwrap()
    }

    fn st(n: u128) -> Value {
        json!({"id": uuid::Uuid::from_u128(n).to_string(), "verb": {"id": "http://x/v"}})
    }

    fn reply(status: u16, body: &str) -> Result<Reply, String> {
        Ok(Reply {
            status,
            body: body.into(),
        })
    }

    #[test]
    fn only_acknowledged_statements_count() {
        let batch = [st(1), st(2)];
        let both = json!([id_of(&batch[0]), id_of(&batch[1])]).to_string();
        type Case = (Vec<Result<Reply, String>>, usize, bool);
        let cases: Vec<Case> = vec![
            (vec![reply(200, &both)], 2, false),
            // One id left out: confirmed with its own PUT.
            (
                vec![
                    reply(200, &json!([id_of(&batch[0])]).to_string()),
                    reply(204, ""),
                ],
                2,
                false,
            ),
            // 204 to the POST names nothing: every statement PUT.
            (
                vec![reply(204, ""), reply(204, ""), reply(204, "")],
                2,
                false,
            ),
            (vec![reply(302, "")], 0, true),
            (vec![reply(0, "")], 0, true),
            (vec![reply(401, "")], 0, true),
            (vec![reply(200, "")], 0, true),
            (vec![reply(200, "{\"ok\":true}")], 0, true),
            (vec![reply(201, &both)], 0, true),
            (vec![reply(503, "busy")], 0, true),
            (vec![Err("refused".into())], 0, true),
            (
                vec![reply(204, ""), reply(204, ""), reply(500, "")],
                1,
                true,
            ),
            (vec![reply(204, ""), reply(200, "")], 0, true),
        ];
        for (i, (replies, acked, stopped)) in cases.into_iter().enumerate() {
            let mut lms = Scripted {
                replies,
                sent: vec![],
            };
            let d = deliver(&mut lms, "https://lms/x/", &token(), &batch);
            assert_eq!(
                (d.acked.len(), d.stopped.is_some()),
                (acked, stopped),
                "case {i}: {d:?}"
            );
        }
    }

    #[test]
    fn a_refused_batch_is_sent_one_by_one() {
        let batch = [st(1), st(2)];
        let mut lms = Scripted {
            replies: vec![reply(400, "bad"), reply(400, "bad one"), reply(204, "")],
            sent: vec![],
        };
        let d = deliver(&mut lms, "https://lms/x", &token(), &batch);
        assert_eq!(d.acked, vec![id_of(&batch[1])]);
        assert_eq!(d.refused.len(), 1);
        assert!(d.refused[0].1.contains("bad one"));
        assert_eq!(lms.sent[0].method, "POST");
        assert_eq!(lms.sent[0].url, "https://lms/x/statements");
        assert!(
            lms.sent[1]
                .url
                .starts_with("https://lms/x/statements?statementId=")
        );
        assert!(
            lms.sent[1]
                .headers
                .contains(&("Authorization".into(), "Basic T".into()))
        );
    }
}
