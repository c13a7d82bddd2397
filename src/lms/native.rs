//! [`Http`] over a blocking `ureq` client (desktop, CLI, tests). Redirects are never
//! followed and every status is an answer, not an error; the body read is bounded.

use super::http::{Http, Reply, Request};
use std::time::Duration;

/// Largest answer body read (launch data, acknowledgements, statement queries).
const MAX_BODY: u64 = 4 * 1024 * 1024;

/// A blocking client.
pub struct UreqHttp {
    agent: ureq::Agent,
}

impl Default for UreqHttp {
    fn default() -> Self {
        UreqHttp {
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(Duration::from_secs(30)))
                .build()
                .into(),
        }
    }
}

impl Http for UreqHttp {
    fn send(&mut self, r: &Request) -> Result<Reply, String> {
        let mut b = ureq::http::Request::builder().method(r.method).uri(&r.url);
        for (k, v) in &r.headers {
            b = b.header(k, v);
        }
        let req = b
            .body(r.body.clone().unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let mut resp = self.agent.run(req).map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .unwrap_or_default();
        Ok(Reply { status, body })
    }
}
