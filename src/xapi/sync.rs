//! Sends the store's unsent statements to an LRS.
//!
//! Statements go in batches (`POST <endpoint>/statements`) with Basic auth and
//! `X-Experience-API-Version`. A batch the LRS acknowledges is marked sent in the same
//! moment, so it is never sent again; a batch that fails stays queued for the next run.
//! When a batch is refused as a whole (400/409), its statements are sent one by one with
//! `PUT ?statementId=` so one bad or already-stored statement does not block the rest.

use super::config::{LrsConfig, statements_url};
use super::statement::XAPI_VERSION;
use crate::progress::store::{Pending, Store, StoreError};
use base64::Engine;
use std::time::Duration;

/// Statements per request.
pub const BATCH: usize = 50;

/// What a sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncOutcome {
    /// Statements acknowledged by the LRS in this run.
    pub sent: usize,
    /// Still queued afterwards.
    pub queued: usize,
    /// Statements the LRS refused for good (reason per statement id).
    pub refused: Vec<(String, String)>,
    /// Why the run stopped early (LRS down, credentials refused...).
    pub stopped: Option<String>,
}

/// Why a request did not go through.
enum Failure {
    /// Stop this run and keep everything queued: the LRS is unreachable or busy
    /// (network, 5xx, 429), or will not accept us until something changes (401/403/404).
    Stop(String),
    /// The LRS refused the content (400/409...).
    Refused(u16, String),
}

struct Client {
    agent: ureq::Agent,
    url: String,
    auth: String,
}

impl Client {
    fn new(cfg: &LrsConfig) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
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

    fn check(
        &self,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(), Failure> {
        let mut resp =
            r.map_err(|e| Failure::Stop(format!("cannot reach the LRS at {}: {e}", self.url)))?;
        let code = resp.status().as_u16();
        if (200..300).contains(&code) {
            return Ok(());
        }
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        let body: String = body.chars().take(300).collect();
        Err(match code {
            401 | 403 => Failure::Stop(format!(
                "the LRS refused the credentials (HTTP {code}); check --user/--password"
            )),
            404 => Failure::Stop(format!(
                "no xAPI statements resource at {} (HTTP 404); the URL should be the LRS's xAPI endpoint, e.g. https://lrs.example.com/xAPI/",
                self.url
            )),
            408 | 429 | 500..=599 => Failure::Stop(format!("the LRS answered HTTP {code}: {body}")),
            _ => Failure::Refused(code, body),
        })
    }

    fn post(&self, batch: &[Pending]) -> Result<(), Failure> {
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
        self.check(r)
    }

    /// Asks for one statement: proves the LRS is reachable and accepts the credentials.
    fn probe(&self) -> Result<(), Failure> {
        let r = self
            .agent
            .get(&self.url)
            .query("limit", "1")
            .header("Authorization", &self.auth)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .call();
        self.check(r)
    }

    fn put(&self, p: &Pending) -> Result<(), Failure> {
        let r = self
            .agent
            .put(&self.url)
            .query("statementId", &p.statement_id)
            .header("Authorization", &self.auth)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .send(p.json.as_str());
        self.check(r)
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
    'batches: for batch in pending.chunks(BATCH) {
        let ids: Vec<String> = batch.iter().map(|p| p.statement_id.clone()).collect();
        match client.post(batch) {
            Ok(()) => {
                store.mark_sent(&ids)?;
                out.sent += ids.len();
            }
            Err(Failure::Stop(why)) => {
                store.mark_failed(&ids, &why)?;
                out.stopped = Some(why);
                break 'batches;
            }
            Err(Failure::Refused(..)) => {
                // One by one: an id the LRS already has with the same content is accepted
                // (PUT is idempotent); anything else is reported and left queued.
                for p in batch {
                    match client.put(p) {
                        Ok(()) => {
                            store.mark_sent(std::slice::from_ref(&p.statement_id))?;
                            out.sent += 1;
                        }
                        Err(Failure::Refused(code, body)) => {
                            let why = format!("HTTP {code}: {body}");
                            store.mark_failed(std::slice::from_ref(&p.statement_id), &why)?;
                            out.refused.push((p.statement_id.clone(), why));
                        }
                        Err(Failure::Stop(why)) => {
                            store.mark_failed(std::slice::from_ref(&p.statement_id), &why)?;
                            out.stopped = Some(why);
                            break 'batches;
                        }
                    }
                }
            }
        }
        done += batch.len();
        progress(done, total);
    }
    out.queued = store.outbox_counts().unsent as usize;
    Ok(out)
}
