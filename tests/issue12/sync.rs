//! `firstline sync` against a fault-injection LRS on 127.0.0.1: every answer that is
//! not a correct xAPI acknowledgement leaves the statements queued; credentials never
//! travel in argv, URLs or the store.

use super::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One request as the fake LRS received it.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The statement ids of a POSTed batch.
    fn ids(&self) -> Vec<String> {
        let v: Vec<serde_json::Value> = serde_json::from_str(&self.body).unwrap_or_default();
        v.iter()
            .filter_map(|s| s["id"].as_str().map(str::to_string))
            .collect()
    }
}

type Responder = dyn Fn(&Req) -> Vec<u8> + Send + Sync;

/// A scripted HTTP server on 127.0.0.1: answers each request with the raw bytes the
/// responder gives, then closes the connection. Stopped when dropped.
pub struct FaultLrs {
    port: u16,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Req>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn read_req(s: &mut TcpStream) -> Option<Req> {
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = vec![];
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(Req {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

impl FaultLrs {
    pub fn start(respond: impl Fn(&Req) -> Vec<u8> + Send + Sync + 'static) -> FaultLrs {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(vec![]));
        let respond: Arc<Responder> = Arc::new(respond);
        let (stop2, seen2) = (stop.clone(), seen.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut s) = conn else { continue };
                let Some(req) = read_req(&mut s) else {
                    continue;
                };
                let answer = respond(&req);
                seen2.lock().unwrap().push(req);
                let _ = s.write_all(&answer);
                let _ = s.flush();
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
        });
        FaultLrs {
            port,
            stop,
            seen,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    pub fn requests(&self) -> Vec<Req> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for FaultLrs {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A raw HTTP/1.1 response.
pub fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut s = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.into_bytes()
}

/// The correct acknowledgement of a POSTed batch: 200 with the JSON array of its ids.
fn ack(req: &Req) -> Vec<u8> {
    http(
        "200 OK",
        &[("Content-Type", "application/json")],
        &serde_json::to_string(&req.ids()).unwrap(),
    )
}

const PASSWORD: &str = "s3cret-issue12";

/// `firstline sync` against `url` with the password in the environment.
fn sync(home: &Path, data: &Path, url: &str) -> Out {
    let mut c = firstline(home);
    c.env("FIRSTLINE_LRS_PASSWORD", PASSWORD)
        .arg("--data-dir")
        .arg(data)
        .args(["sync", "--lrs", url, "--user", "trainer"]);
    run(c, "sync")
}

fn unsent(data: &Path) -> u64 {
    Store::open(Some(data)).unwrap().outbox_counts().unsent
}

fn last_errors(data: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(data.join("progress.sqlite3")).unwrap();
    let mut st = c
        .prepare("SELECT coalesce(last_error, '') FROM outbox")
        .unwrap();
    st.query_map([], |r| r.get(0)).unwrap().flatten().collect()
}

/// Every misbehaviour of the LRS, by name: none of them is an acknowledgement.
fn misbehaviours() -> Vec<(&'static str, Box<Responder>)> {
    let redirect = |code: &'static str| -> Box<Responder> {
        Box::new(move |r: &Req| {
            if r.target.starts_with("/elsewhere") {
                // Where a followed redirect would land: it "acknowledges" anything.
                http("200 OK", &[], &serde_json::to_string(&r.ids()).unwrap())
            } else {
                http(code, &[("Location", "/elsewhere/statements")], "")
            }
        })
    };
    vec![
        (
            "200 garbage",
            Box::new(|_: &Req| http("200 OK", &[], "garbage")),
        ),
        (
            "200 html",
            Box::new(|_: &Req| {
                http(
                    "200 OK",
                    &[("Content-Type", "text/html")],
                    "<html><body>Welcome to nginx!</body></html>",
                )
            }),
        ),
        ("200 empty", Box::new(|_: &Req| http("200 OK", &[], ""))),
        (
            "202 accepted with ids",
            Box::new(|r: &Req| {
                let mut a = ack(r);
                a.splice(9..15, b"202 Accepted".iter().copied());
                a
            }),
        ),
        // 204 names no ids: each statement is then PUT on its own, and a 200 is not
        // the xAPI answer to a PUT.
        (
            "204 to a POST, 200 to a PUT",
            Box::new(|r: &Req| {
                if r.method == "POST" {
                    b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".to_vec()
                } else {
                    http("200 OK", &[], "")
                }
            }),
        ),
        (
            "200 cut mid-body",
            Box::new(|r: &Req| {
                let body = serde_json::to_string(&r.ids()).unwrap();
                let mut head = format!(
                    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                head.extend_from_slice(&body.as_bytes()[..body.len() / 2]);
                head
            }),
        ),
        (
            "200 other ids",
            Box::new(|_: &Req| http("200 OK", &[], r#"["00000000-0000-0000-0000-000000000000"]"#)),
        ),
        (
            "200 ids as objects",
            Box::new(|r: &Req| {
                let v: Vec<serde_json::Value> = r
                    .ids()
                    .iter()
                    .map(|i| serde_json::json!({ "id": i }))
                    .collect();
                http("200 OK", &[], &serde_json::to_string(&v).unwrap())
            }),
        ),
        ("301", redirect("301 Moved Permanently")),
        ("302", redirect("302 Found")),
        ("303", redirect("303 See Other")),
        ("307", redirect("307 Temporary Redirect")),
        ("308", redirect("308 Permanent Redirect")),
    ]
}

#[test]
fn issue12_sync_misbehaving_lrs_leaves_every_statement_queued() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, (name, respond)) in misbehaviours().into_iter().enumerate() {
        let data = tmp.path().join(format!("data-{i}"));
        data_with_attempts(&data, "Ada", 1);
        let lrs = FaultLrs::start(respond);
        let o = sync(tmp.path(), &data, &lrs.url());
        assert_eq!(
            o.code,
            Some(1),
            "{name}: exit 1\nstdout: {}\nstderr: {}",
            o.stdout,
            o.stderr
        );
        assert!(
            o.stdout.contains("Sent 0 statement(s)") && o.stdout.contains("; 3 queued."),
            "{name}: {}",
            o.stdout
        );
        assert!(o.stderr.contains("stay queued"), "{name}: {}", o.stderr);
        assert_eq!(unsent(&data), 3, "{name}: all three statements stay queued");
        let reqs = lrs.requests();
        assert!(
            reqs.iter()
                .all(|r| r.method != "GET" && !r.target.starts_with("/elsewhere")),
            "{name}: no redirect followed: {reqs:?}"
        );
        assert!(
            last_errors(&data).iter().any(|e| !e.is_empty()),
            "{name}: the reason is stored"
        );
    }
}

#[test]
fn issue12_sync_partial_acknowledgement_marks_only_the_acknowledged_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 2);
    // The POST acknowledges four ids; the other two are checked one by one with PUT:
    // the first is confirmed (204), the second conflicts (409) and stays queued.
    let puts = Arc::new(Mutex::new(0));
    let lrs = FaultLrs::start(move |r: &Req| {
        if r.method == "POST" {
            let ids = r.ids();
            return http("200 OK", &[], &serde_json::to_string(&ids[..4]).unwrap());
        }
        let mut n = puts.lock().unwrap();
        *n += 1;
        if *n == 1 {
            b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".to_vec()
        } else {
            http("409 Conflict", &[], "a different statement has this id")
        }
    });
    let o = sync(tmp.path(), &data, &lrs.url());
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("Sent 5 statement(s)"), "{}", o.stdout);
    assert!(o.stdout.contains("; 1 queued."), "{}", o.stdout);
    assert!(o.stderr.contains("409"), "{}", o.stderr);
    assert_eq!(unsent(&data), 1);
    let puts = lrs.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 2, "only the two unacknowledged ids are PUT");
}

#[test]
fn issue12_sync_correct_acknowledgement_empties_the_queue() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 2);
    let lrs = FaultLrs::start(ack);
    let o = sync(tmp.path(), &data, &lrs.url());
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("Sent 6 statement(s)") && o.stdout.contains("; 0 queued."));
    assert_eq!(unsent(&data), 0);
    let reqs = lrs.requests();
    assert_eq!(reqs.len(), 1, "one batch");
    let auth = reqs[0].header("authorization").unwrap();
    use base64::Engine;
    let want = base64::engine::general_purpose::STANDARD.encode(format!("trainer:{PASSWORD}"));
    assert_eq!(auth, format!("Basic {want}"));
    assert_eq!(reqs[0].header("x-experience-api-version"), Some("1.0.3"));
}

#[test]
fn issue12_sync_refused_batch_goes_one_by_one_and_only_204_counts() {
    // 400 to the batch; PUTs: the first answered 204, the second 200 (not the xAPI
    // answer), so the run stops there.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 1);
    let puts = Arc::new(Mutex::new(0));
    let lrs = FaultLrs::start(move |r: &Req| {
        if r.method == "POST" {
            return http("400 Bad Request", &[], "bad");
        }
        let mut n = puts.lock().unwrap();
        *n += 1;
        if *n == 1 {
            b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".to_vec()
        } else {
            http("200 OK", &[], "")
        }
    });
    let o = sync(tmp.path(), &data, &lrs.url());
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("Sent 1 statement(s)"), "{}", o.stdout);
    assert_eq!(unsent(&data), 2);
}

#[test]
fn issue12_sync_password_never_in_argv() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 1);
    let lrs = FaultLrs::start(ack);
    // --password is refused before anything is sent.
    let mut c = firstline(tmp.path());
    c.arg("--data-dir").arg(&data).args([
        "sync",
        "--lrs",
        &lrs.url(),
        "--user",
        "trainer",
        "--password",
        PASSWORD,
    ]);
    let o = run(c, "sync --password");
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("FIRSTLINE_LRS_PASSWORD") && o.stderr.contains("--password-stdin"));
    assert!(!o.stderr.contains(PASSWORD));
    assert!(lrs.requests().is_empty());
    // --password-stdin: the first line of standard input.
    let mut c = firstline(tmp.path());
    c.arg("--data-dir")
        .arg(&data)
        .args([
            "sync",
            "--lrs",
            &lrs.url(),
            "--user",
            "trainer",
            "--password-stdin",
        ])
        .write_stdin(format!("{PASSWORD}\n"));
    let o = run(c, "sync --password-stdin");
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    use base64::Engine;
    let want = base64::engine::general_purpose::STANDARD.encode(format!("trainer:{PASSWORD}"));
    assert_eq!(
        lrs.requests()[0].header("authorization"),
        Some(format!("Basic {want}").as_str())
    );
    assert!(!o.stdout.contains(PASSWORD) && !o.stderr.contains(PASSWORD));
}

#[test]
fn issue12_sync_config_file_password_only_at_mode_600() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 1);
    let lrs = FaultLrs::start(ack);
    let cfg = tmp.path().join("lrs.ron");
    std::fs::write(
        &cfg,
        format!(
            r#"(url: "{}", user: "trainer", password: "{PASSWORD}")"#,
            lrs.url()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    let go = || {
        let mut c = firstline(tmp.path());
        c.arg("--data-dir")
            .arg(&data)
            .arg("sync")
            .arg("--config")
            .arg(&cfg);
        run(c, "sync --config")
    };
    let o = go();
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("chmod 600") && !o.stderr.contains(PASSWORD));
    assert!(lrs.requests().is_empty());
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = go();
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert_eq!(unsent(&data), 0);
}

#[test]
fn issue12_sync_url_with_user_info_is_refused_and_never_printed_or_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 1);
    let lrs = FaultLrs::start(ack);
    let url = lrs
        .url()
        .replace("http://", &format!("http://trainer:{PASSWORD}@"));
    let o = sync(tmp.path(), &data, &url);
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("user name or password"), "{}", o.stderr);
    assert!(!o.stderr.contains(PASSWORD) && !o.stdout.contains(PASSWORD));
    assert!(lrs.requests().is_empty());
    // A redirect to a URL with credentials: redacted in the message and the store.
    let lrs = FaultLrs::start(|_: &Req| {
        http(
            "302 Found",
            &[(
                "Location",
                "http://mallory:hunter2@evil.example/xAPI/statements",
            )],
            "",
        )
    });
    let o = sync(tmp.path(), &data, &lrs.url());
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("http://***@evil.example"), "{}", o.stderr);
    assert!(!o.stderr.contains("hunter2"));
    assert!(
        last_errors(&data)
            .iter()
            .all(|e| !e.contains("hunter2") && !e.is_empty())
    );
}
