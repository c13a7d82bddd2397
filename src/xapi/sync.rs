//! Sends the store's unsent statements to an LRS.
//!
//! Statements go in batches (`POST <endpoint>/statements`) with Basic auth and
//! `X-Experience-API-Version`. A statement is marked sent only when the LRS acknowledged
//! it as xAPI 1.0.3 §2.1.2 says: a POST answered `200 OK` with a JSON array of statement
//! ids, checked id by id (an id the answer leaves out is confirmed with its own `PUT`), or a `PUT ?statementId=` answered `204 No Content`. Anything
//! else — another 2xx, an empty, cut or unparsable body, a redirect (never followed: a
//! followed POST becomes an unauthenticated GET) — leaves the batch queued with the
//! reason. When a batch is refused as a whole (400/409), or answered `204 No Content`
//! (what some LRSs, Ralph among them, say when every statement was already stored — an
//! answer that names no ids), its statements are sent one by one with `PUT`, so each is
//! confirmed on its own and one bad statement does not block the rest.

use super::config::{LrsConfig, redact, redact_all, statements_url};
use super::statement::XAPI_VERSION;
use crate::progress::store::{Pending, Store, StoreError};
use base64::Engine;
use std::time::Duration;

/// Statements per request.
pub const BATCH: usize = 50;

/// Largest acknowledgement body read (50 ids are about 2 KB).
const MAX_ACK_BYTES: u64 = 1024 * 1024;

/// What a sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncOutcome {
    /// Statements acknowledged by the LRS in this run.
    pub sent: usize,
    /// Still queued afterwards.
    pub queued: usize,
    /// Statements the LRS refused for good (reason per statement id).
    pub refused: Vec<(String, String)>,
    /// Why the run stopped early (LRS down, credentials refused, no valid
    /// acknowledgement...).
    pub stopped: Option<String>,
}

/// Why a request did not go through.
#[derive(Debug)]
enum Failure {
    /// Stop this run and keep everything queued: the LRS is unreachable or busy
    /// (network, 5xx, 429), will not accept us until something changes (401/403/404,
    /// redirects), or did not acknowledge what it was sent.
    Stop(String),
    /// The LRS refused the content (400/409...).
    Refused(u16, String),
}

/// Printable text of an LRS answer: at most 300 characters, control characters escaped.
fn shown(body: &str) -> String {
    let s: String = body.chars().take(300).collect();
    crate::progress::report::escape_text(&s)
}

struct Client {
    agent: ureq::Agent,
    url: String,
    auth: String,
}

type Answer = Result<ureq::http::Response<ureq::Body>, ureq::Error>;

impl Client {
    fn new(cfg: &LrsConfig) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", cfg.user, cfg.password));
        Client {
            agent,
            url: statements_url(&cfg.url),
            auth: format!("Basic {token}"),
        }
    }

    /// The response when it is a 2xx; every other answer as a [`Failure`].
    fn success(&self, r: Answer) -> Result<ureq::http::Response<ureq::Body>, Failure> {
        let mut resp = r.map_err(|e| {
            Failure::Stop(redact_all(&format!(
                "cannot reach the LRS at {}: {e}",
                self.url
            )))
        })?;
        let code = resp.status().as_u16();
        if (200..300).contains(&code) {
            return Ok(resp);
        }
        if (300..400).contains(&code) {
            let to = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(|l| format!(" to {}", shown(&redact(l))))
                .unwrap_or_default();
            return Err(Failure::Stop(format!(
                "the LRS redirected the request{to} (HTTP {code}); redirects are not followed when sending statements, so nothing was sent — use the final address as --lrs"
            )));
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(4096)
            .read_to_string()
            .unwrap_or_default();
        let body = shown(&body);
        Err(match code {
            401 | 403 => Failure::Stop(format!(
                "the LRS refused the credentials (HTTP {code}); check the user and password"
            )),
            404 => Failure::Stop(format!(
                "no xAPI statements resource at {} (HTTP 404); the URL should be the LRS's xAPI endpoint, e.g. https://lrs.example.com/xAPI/",
                self.url
            )),
            408 | 429 | 500..=599 => Failure::Stop(format!("the LRS answered HTTP {code}: {body}")),
            _ => Failure::Refused(code, body),
        })
    }

    /// Sends a batch; returns the ids the LRS acknowledged (a subset of the batch's), or
    /// `None` for `204 No Content`, which confirms no id.
    fn post(&self, batch: &[Pending]) -> Result<Option<Vec<String>>, Failure> {
        let body = format!(
            "[{}]",
            batch
                .iter()
                .map(|p| p.json.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let r = self
            .agent
            .post(&self.url)
            .header("Authorization", &self.auth)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .send(body);
        let mut resp = self.success(r)?;
        let code = resp.status().as_u16();
        if code == 204 {
            return Ok(None);
        }
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_ACK_BYTES)
            .read_to_string()
            .map_err(|e| {
                Failure::Stop(format!(
                    "the LRS's answer (HTTP {code}) could not be read in full ({e}); nothing was marked sent"
                ))
            })?;
        let not_ack = |what: &str| {
            Failure::Stop(format!(
                "the LRS answered HTTP {code} {what}, not the statement ids it stored (xAPI 1.0.3 requires 200 with a JSON array of ids); nothing was marked sent"
            ))
        };
        if code != 200 {
            return Err(not_ack("to a POST"));
        }
        if text.trim().is_empty() {
            return Err(not_ack("with an empty body"));
        }
        let ids: Vec<String> = serde_json::from_str(&text)
            .map_err(|_| not_ack(&format!("with `{}`", shown(text.trim()))))?;
        Ok(Some(
            batch
                .iter()
                .filter(|p| ids.contains(&p.statement_id))
                .map(|p| p.statement_id.clone())
                .collect(),
        ))
    }

    /// Asks for one statement: proves the LRS is reachable, accepts the credentials and
    /// answers like an xAPI statements resource.
    fn probe(&self) -> Result<(), Failure> {
        let r = self
            .agent
            .get(&self.url)
            .query("limit", "1")
            .header("Authorization", &self.auth)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .call();
        let mut resp = self.success(r)?;
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_ACK_BYTES)
            .read_to_string()
            .unwrap_or_default();
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(v) if v.get("statements").is_some_and(|s| s.is_array()) => Ok(()),
            _ => Err(Failure::Stop(format!(
                "{} did not answer like an xAPI statements resource (expected a StatementResult with `statements`); check the URL",
                self.url
            ))),
        }
    }

    /// Sends one statement with its id; Ok only for `204 No Content`.
    fn put(&self, p: &Pending) -> Result<(), Failure> {
        let r = self
            .agent
            .put(&self.url)
            .query("statementId", &p.statement_id)
            .header("Authorization", &self.auth)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .send(p.json.as_str());
        let code = self.success(r)?.status().as_u16();
        if code == 204 {
            Ok(())
        } else {
            Err(Failure::Stop(format!(
                "the LRS answered HTTP {code} to a PUT, not 204 No Content (xAPI 1.0.3); nothing was marked sent"
            )))
        }
    }
}

/// Sends every unsent statement. `progress(done, total)` is called after each batch.
pub fn sync(
    store: &mut Store,
    cfg: &LrsConfig,
    mut progress: impl FnMut(usize, usize),
) -> Result<SyncOutcome, StoreError> {
    let client = Client::new(cfg);
    let pending = store.unsent();
    let total = pending.len();
    let mut out = SyncOutcome::default();
    let mut done = 0;
    progress(0, total);
    if pending.is_empty() {
        // Nothing to send: still tell the instructor whether the LRS would accept us.
        out.stopped = match client.probe() {
            Ok(()) => None,
            Err(Failure::Stop(why)) => Some(why),
            Err(Failure::Refused(code, body)) => {
                Some(format!("the LRS answered HTTP {code}: {body}"))
            }
        };
        return Ok(out);
    }
    for batch in pending.chunks(BATCH) {
        let ids: Vec<String> = batch.iter().map(|p| p.statement_id.clone()).collect();
        let go_on = match client.post(batch) {
            Ok(Some(acked)) => {
                store.mark_sent(&acked)?;
                out.sent += acked.len();
                // Ids the answer leaves out (an LRS may list only what it newly stored):
                // each is confirmed on its own.
                let rest: Vec<Pending> = batch
                    .iter()
                    .filter(|p| !acked.contains(&p.statement_id))
                    .cloned()
                    .collect();
                one_by_one(&client, store, &rest, &mut out)?
            }
            Err(Failure::Stop(why)) => {
                store.mark_failed(&ids, &why)?;
                out.stopped = Some(why);
                false
            }
            Ok(None) | Err(Failure::Refused(..)) => one_by_one(&client, store, batch, &mut out)?,
        };
        if !go_on {
            break;
        }
        done += batch.len();
        progress(done, total);
    }
    out.queued = store.outbox_counts().unsent as usize;
    Ok(out)
}

/// Sends a batch's statements one `PUT` each: an id the LRS already has with the same
/// content is confirmed (PUT is idempotent); a refused one is reported and left queued.
/// Returns false when the run must stop.
fn one_by_one(
    client: &Client,
    store: &mut Store,
    batch: &[Pending],
    out: &mut SyncOutcome,
) -> Result<bool, StoreError> {
    for p in batch {
        let id = std::slice::from_ref(&p.statement_id);
        match client.put(p) {
            Ok(()) => {
                store.mark_sent(id)?;
                out.sent += 1;
            }
            Err(Failure::Refused(code, body)) => {
                let why = format!("HTTP {code}: {body}");
                store.mark_failed(id, &why)?;
                out.refused.push((p.statement_id.clone(), why));
            }
            Err(Failure::Stop(why)) => {
                store.mark_failed(id, &why)?;
                out.stopped = Some(why);
                return Ok(false);
            }
        }
    }
    Ok(true)
}
