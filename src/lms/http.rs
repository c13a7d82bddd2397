//! Requests as data: the cmi5 exchanges are built as [`Request`]s and their answers
//! read from [`Reply`]s, so the same core runs over a blocking client (tests, the CLI)
//! and over the browser's asynchronous `fetch` (the web shell sends the request and
//! hands the answer back). [`Http`] ties the two together for synchronous callers.
//!
//! Also the URL helpers cmi5 needs: query-string decoding (`%XX`, `+`), encoding of
//! values for a query, and joining a resource to an xAPI endpoint.

/// One HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// The answer to a [`Request`]: status and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// Something that can send a [`Request`] and wait for its [`Reply`]. An `Err` is a
/// transport failure (no answer at all), said in words.
pub trait Http {
    fn send(&mut self, request: &Request) -> Result<Reply, String>;
}

/// Decodes one query-string component: `+` is a space, `%XX` a byte; the bytes must be
/// UTF-8. A malformed escape is an error naming it.
pub fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| {
                    std::str::from_utf8(h)
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                });
                match hex {
                    Some(b) => out.push(b),
                    None => {
                        let bad: String = s[i..].chars().take(3).collect();
                        return Err(format!("`{bad}` is not a %XX escape"));
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "the decoded value is not UTF-8".to_string())
}

/// Encodes a value for a query string: everything but `A-Z a-z 0-9 - _ . ~` as `%XX`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Splits a query string (with or without its leading `?`) into decoded name/value
/// pairs, in order. Empty pieces (`a=1&&b=2`) are skipped; a piece without `=` has an
/// empty value.
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let query = query.split('#').next().unwrap_or("");
    let mut pairs = vec![];
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        let name = percent_decode(name).map_err(|e| format!("parameter name: {e}"))?;
        let value = percent_decode(value).map_err(|e| format!("parameter `{name}`: {e}"))?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Builds `?a=1&b=2` from pairs, each value encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    format!("?{}", parts.join("&"))
}

/// `endpoint` + `resource`, with exactly one `/` between them
/// (`https://lrs/xapi` + `statements` → `https://lrs/xapi/statements`).
pub fn join(endpoint: &str, resource: &str) -> String {
    format!(
        "{}/{}",
        endpoint.trim_end_matches('/'),
        resource.trim_start_matches('/')
    )
}

/// Whether `s` is an absolute `http://` or `https://` URL with a host and no spaces.
pub fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_and_encoding_round_trip() {
        for s in [
            "plain",
            "a b&c=d",
            "{\"x\": \"é\"}",
            "100%",
            "https://a/b?c=d",
        ] {
            assert_eq!(percent_decode(&percent_encode(s)).unwrap(), s);
        }
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a b c");
        assert!(percent_decode("%zz").unwrap_err().contains("%zz"));
        assert!(percent_decode("abc%4").is_err());
        assert!(percent_decode("%ff%fe").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn queries_parse_in_order() {
        let q = parse_query("?b=2&a=%7B%7D&&flag#frag").unwrap();
        assert_eq!(
            q,
            vec![
                ("b".to_string(), "2".to_string()),
                ("a".to_string(), "{}".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
        assert_eq!(query(&[("a", "x y"), ("b", "/")]), "?a=x%20y&b=%2F");
    }

    #[test]
    fn urls() {
        assert_eq!(
            join("https://l/x/", "/statements"),
            "https://l/x/statements"
        );
        assert_eq!(join("https://l/x", "statements"), "https://l/x/statements");
        assert!(is_http_url("http://127.0.0.1:8080/x"));
        assert!(!is_http_url("https:///x"));
        assert!(!is_http_url("ftp://x"));
        assert!(!is_http_url("https://a b"));
    }
}
