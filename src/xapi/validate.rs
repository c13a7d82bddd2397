//! Checks statements against the xAPI 1.0.3 rules for the parts Firstline writes.
//!
//! Real LRSs differ in how strictly they check (Ralph accepts a scaled score of 1.5), so
//! the tests hold our statements to the specification here rather than to one LRS.

use serde_json::{Map, Value};

#[path = "validate_cmi5.rs"]
pub mod cmi5;

/// Every rule a statement breaks, as `path: problem`.
pub fn problems(statement: &Value) -> Vec<String> {
    let mut p = vec![];
    let Some(s) = statement.as_object() else {
        return vec!["statement: expected a JSON object".into()];
    };
    only(
        s,
        "statement",
        &[
            "id",
            "actor",
            "verb",
            "object",
            "result",
            "context",
            "timestamp",
            "stored",
            "authority",
            "version",
            "attachments",
        ],
        &mut p,
    );
    uuid_at(s.get("id"), "id", &mut p);
    match s.get("actor").and_then(Value::as_object) {
        Some(a) => agent(a, "actor", &mut p),
        None => p.push("actor: required object".into()),
    }
    match s.get("verb").and_then(Value::as_object) {
        Some(v) => {
            only(v, "verb", &["id", "display"], &mut p);
            iri_at(v.get("id"), "verb.id", &mut p);
            if let Some(d) = v.get("display") {
                language_map(d, "verb.display", &mut p);
            }
        }
        None => p.push("verb: required object".into()),
    }
    match s.get("object").and_then(Value::as_object) {
        Some(o) => activity(o, "object", &mut p),
        None => p.push("object: required object".into()),
    }
    if let Some(r) = s.get("result") {
        match r.as_object() {
            Some(r) => result(r, &mut p),
            None => p.push("result: expected an object".into()),
        }
    }
    if let Some(c) = s.get("context") {
        match c.as_object() {
            Some(c) => context(c, &mut p),
            None => p.push("context: expected an object".into()),
        }
    }
    if let Some(t) = s.get("timestamp") {
        match t.as_str() {
            Some(t) if timestamp_ok(t) => {}
            _ => p.push(format!(
                "timestamp: {t} is not an ISO 8601 time with a time zone"
            )),
        }
    }
    p
}

fn only(o: &Map<String, Value>, at: &str, allowed: &[&str], p: &mut Vec<String>) {
    for k in o.keys() {
        if !allowed.contains(&k.as_str()) {
            p.push(format!("{at}.{k}: not an xAPI property here"));
        }
    }
}

fn uuid_at(v: Option<&Value>, at: &str, p: &mut Vec<String>) {
    match v.and_then(Value::as_str).map(uuid::Uuid::parse_str) {
        Some(Ok(u)) if u.get_variant() == uuid::Variant::RFC4122 => {}
        _ => p.push(format!("{at}: expected an RFC 4122 UUID")),
    }
}

/// An absolute IRI: a scheme, a colon, and no spaces.
pub fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

fn iri_at(v: Option<&Value>, at: &str, p: &mut Vec<String>) {
    match v.and_then(Value::as_str) {
        Some(s) if is_iri(s) => {}
        _ => p.push(format!("{at}: expected an absolute IRI")),
    }
}

fn language_map(v: &Value, at: &str, p: &mut Vec<String>) {
    let Some(m) = v.as_object() else {
        p.push(format!("{at}: expected a language map"));
        return;
    };
    for (k, v) in m {
        let tag_ok = !k.is_empty()
            && k.split('-')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
        if !tag_ok || !v.is_string() {
            p.push(format!(
                "{at}.{k}: expected a language tag mapped to a string"
            ));
        }
    }
}

fn agent(a: &Map<String, Value>, at: &str, p: &mut Vec<String>) {
    only(
        a,
        at,
        &[
            "objectType",
            "name",
            "mbox",
            "mbox_sha1sum",
            "openid",
            "account",
        ],
        p,
    );
    if let Some(t) = a.get("objectType")
        && t != "Agent"
    {
        p.push(format!("{at}.objectType: expected \"Agent\""));
    }
    let ifis = ["mbox", "mbox_sha1sum", "openid", "account"]
        .iter()
        .filter(|k| a.contains_key(**k))
        .count();
    if ifis != 1 {
        p.push(format!(
            "{at}: expected exactly one identifier (mbox, mbox_sha1sum, openid or account), found {ifis}"
        ));
    }
    if let Some(acc) = a.get("account") {
        match acc.as_object() {
            Some(acc) => {
                only(acc, &format!("{at}.account"), &["homePage", "name"], p);
                match acc.get("homePage").and_then(Value::as_str) {
                    Some(h) if h.starts_with("http://") || h.starts_with("https://") => {}
                    _ => p.push(format!(
                        "{at}.account.homePage: expected an IRL (http/https)"
                    )),
                }
                if !acc.get("name").is_some_and(Value::is_string) {
                    p.push(format!("{at}.account.name: expected a string"));
                }
            }
            None => p.push(format!("{at}.account: expected an object")),
        }
    }
}

fn activity(o: &Map<String, Value>, at: &str, p: &mut Vec<String>) {
    only(o, at, &["objectType", "id", "definition"], p);
    if let Some(t) = o.get("objectType")
        && t != "Activity"
    {
        p.push(format!("{at}.objectType: expected \"Activity\""));
    }
    iri_at(o.get("id"), &format!("{at}.id"), p);
    if let Some(d) = o.get("definition") {
        match d.as_object() {
            Some(d) => {
                let at = format!("{at}.definition");
                only(
                    d,
                    &at,
                    &["name", "description", "type", "moreInfo", "extensions"],
                    p,
                );
                for k in ["name", "description"] {
                    if let Some(v) = d.get(k) {
                        language_map(v, &format!("{at}.{k}"), p);
                    }
                }
                if let Some(t) = d.get("type") {
                    iri_at(Some(t), &format!("{at}.type"), p);
                }
            }
            None => p.push(format!("{at}.definition: expected an object")),
        }
    }
}

fn extensions(v: &Value, at: &str, p: &mut Vec<String>) {
    match v.as_object() {
        Some(m) => {
            for k in m.keys() {
                if !is_iri(k) {
                    p.push(format!("{at}.{k}: extension keys must be IRIs"));
                }
            }
        }
        None => p.push(format!("{at}: expected an object")),
    }
}

fn result(r: &Map<String, Value>, p: &mut Vec<String>) {
    only(
        r,
        "result",
        &[
            "score",
            "success",
            "completion",
            "response",
            "duration",
            "extensions",
        ],
        p,
    );
    if let Some(s) = r.get("score") {
        let Some(s) = s.as_object() else {
            p.push("result.score: expected an object".into());
            return;
        };
        only(s, "result.score", &["scaled", "raw", "min", "max"], p);
        let num = |k: &str| s.get(k).and_then(Value::as_f64);
        if let Some(x) = num("scaled")
            && !(-1.0..=1.0).contains(&x)
        {
            p.push(format!("result.score.scaled: {x} is outside -1..1"));
        }
        if let (Some(min), Some(max)) = (num("min"), num("max")) {
            if min >= max {
                p.push("result.score: min must be below max".into());
            }
            if let Some(raw) = num("raw")
                && (raw < min || raw > max)
            {
                p.push(format!("result.score.raw: {raw} is outside {min}..{max}"));
            }
        }
    }
    for k in ["success", "completion"] {
        if let Some(v) = r.get(k)
            && !v.is_boolean()
        {
            p.push(format!("result.{k}: expected true or false"));
        }
    }
    if let Some(d) = r.get("duration")
        && !d.as_str().is_some_and(duration_ok)
    {
        p.push(format!("result.duration: {d} is not an ISO 8601 duration"));
    }
    if let Some(e) = r.get("extensions") {
        extensions(e, "result.extensions", p);
    }
}

fn context(c: &Map<String, Value>, p: &mut Vec<String>) {
    only(
        c,
        "context",
        &[
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        ],
        p,
    );
    if c.contains_key("registration") {
        uuid_at(c.get("registration"), "context.registration", p);
    }
    if let Some(ca) = c.get("contextActivities") {
        match ca.as_object() {
            Some(ca) => {
                only(
                    ca,
                    "context.contextActivities",
                    &["parent", "grouping", "category", "other"],
                    p,
                );
                for (k, v) in ca {
                    let list: Vec<&Value> = match v {
                        Value::Array(a) => a.iter().collect(),
                        other => vec![other],
                    };
                    for (i, a) in list.iter().enumerate() {
                        match a.as_object() {
                            Some(a) => {
                                activity(a, &format!("context.contextActivities.{k}[{i}]"), p)
                            }
                            None => p.push(format!(
                                "context.contextActivities.{k}[{i}]: expected an activity"
                            )),
                        }
                    }
                }
            }
            None => p.push("context.contextActivities: expected an object".into()),
        }
    }
    if let Some(e) = c.get("extensions") {
        extensions(e, "context.extensions", p);
    }
}

/// ISO 8601 duration in the `P[nY][nM][nD][T[nH][nM][n[.n]S]]` form xAPI uses.
pub fn duration_ok(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    fn parts(s: &str, units: &[char], frac_last: bool) -> Option<usize> {
        let mut count = 0;
        let mut num = String::new();
        let mut next_unit = 0;
        for c in s.chars() {
            if c.is_ascii_digit() || (c == '.' && frac_last) {
                num.push(c);
                continue;
            }
            let pos = units.iter().position(|u| *u == c)?;
            if num.is_empty() || pos < next_unit {
                return None;
            }
            if num.contains('.') && (!frac_last || pos != units.len() - 1) {
                return None;
            }
            if num.starts_with('.') || num.ends_with('.') || num.matches('.').count() > 1 {
                return None;
            }
            next_unit = pos + 1;
            count += 1;
            num.clear();
        }
        num.is_empty().then_some(count)
    }
    let Some(d) = parts(date, &['Y', 'M', 'W', 'D'], false) else {
        return false;
    };
    match time {
        None => d > 0,
        Some(t) => parts(t, &['H', 'M', 'S'], true).is_some_and(|n| n > 0),
    }
}

fn timestamp_ok(t: &str) -> bool {
    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({
            "id": "6f1c1f1e-3f1a-4b6e-9a57-0c2f6f0b8d11",
            "actor": {"objectType": "Agent", "name": "Sam", "account": {"homePage": "https://x.example", "name": "sam"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
            "object": {"objectType": "Activity", "id": "https://x.example/s/1",
                       "definition": {"name": {"en-US": "One"}, "type": "http://adlnet.gov/expapi/activities/simulation"}},
            "result": {"score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100}, "success": true,
                       "completion": true, "duration": "PT4M12.5S", "extensions": {"https://x.example/e/t": 90}},
            "context": {"registration": "6f1c1f1e-3f1a-4b6e-9a57-0c2f6f0b8d12", "platform": "Firstline",
                        "contextActivities": {"parent": [{"id": "https://x.example", "objectType": "Activity"}]}},
            "timestamp": "2026-11-22T10:00:00.000Z"
        })
    }

    #[test]
    fn a_good_statement_passes() {
        assert_eq!(problems(&good()), Vec::<String>::new());
    }

    #[test]
    fn each_broken_rule_is_named() {
        let cases: [(&str, Value, &str); 7] = [
            ("/result/score/scaled", json!(1.5), "outside -1..1"),
            ("/id", json!("not-a-uuid"), "UUID"),
            ("/result/duration", json!("4 minutes"), "ISO 8601 duration"),
            ("/timestamp", json!("yesterday"), "time zone"),
            ("/verb/id", json!("passed"), "IRI"),
            ("/result/success", json!("yes"), "true or false"),
            ("/context/registration", json!("x"), "UUID"),
        ];
        for (ptr, v, want) in cases {
            let mut s = good();
            *s.pointer_mut(ptr).unwrap() = v;
            let p = problems(&s);
            assert!(p.iter().any(|m| m.contains(want)), "{ptr}: {p:?}");
        }
        let mut s = good();
        s["result"]["extensions"] = json!({"technical": 1});
        assert!(!problems(&s).is_empty());
        let mut s = good();
        s["actor"]["mbox"] = json!("mailto:sam@example.com");
        assert!(problems(&s).iter().any(|m| m.contains("exactly one")));
        let mut s = good();
        s["bogus"] = json!(1);
        assert!(problems(&s).iter().any(|m| m.contains("statement.bogus")));
    }

    #[test]
    fn durations() {
        for ok in ["PT0S", "PT4M12.5S", "PT1H", "P1D", "P1DT2H", "PT1H2M3.04S"] {
            assert!(duration_ok(ok), "{ok}");
        }
        for bad in ["P", "PT", "4M", "PT1.5M", "PTS", "PT1S2M", "PT.5S", "P1H"] {
            assert!(!duration_ok(bad), "{bad}");
        }
    }
}
