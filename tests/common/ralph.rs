//! A real Ralph LRS for the integration tests (`scripts/ralph.sh`): installed once into
//! `target/tmp/ralph-venv`, started on a free 127.0.0.1 port per test, stopped on drop.
//! Included by path (`#[path = "common/ralph.rs"] mod ralph;`) by the tests that need it.
#![allow(dead_code)]

use base64::Engine;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const USER: &str = "firstline";
pub const PASSWORD: &str = "firstline-test";
pub const XAPI_VERSION: &str = "1.0.3";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs `scripts/ralph.sh ARGS` with this test's credentials; Err carries its output.
pub fn ralph_sh(args: &[&std::ffi::OsStr]) -> Result<String, String> {
    let out = std::process::Command::new("bash")
        .arg(root().join("scripts/ralph.sh"))
        .args(args)
        .env("FIRSTLINE_RALPH_USER", USER)
        .env("FIRSTLINE_RALPH_PASSWORD", PASSWORD)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run bash scripts/ralph.sh: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!(
            "scripts/ralph.sh {args:?} failed ({}):\n{text}",
            out.status
        ))
    }
}

/// Installs Ralph into the shared cache (one installer at a time, under a file lock) and
/// sets up `run` from it: the cached venv (symlinked), credentials and app shim; the
/// run's data, pid file and log are its own.
pub fn install_into(run: &Path) -> Result<(), String> {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let cache = tmp.join("ralph-venv");
    let err = |e: std::io::Error| format!("{}: {e}", cache.display());
    fs::create_dir_all(&cache).map_err(err)?;
    let lock = fs::File::create(tmp.join("ralph-venv.lock")).map_err(err)?;
    lock.lock().map_err(err)?;
    let had_venv = cache.join("venv").exists();
    match ralph_sh(&["install".as_ref(), cache.as_os_str()]) {
        Ok(_) => {}
        // A stale cache (interrupted pip, Python upgraded): rebuild it once.
        Err(_) if had_venv => {
            fs::remove_dir_all(cache.join("venv")).map_err(err)?;
            ralph_sh(&["install".as_ref(), cache.as_os_str()])?;
        }
        Err(e) => return Err(e),
    }
    std::os::unix::fs::symlink(cache.join("venv"), run.join("venv"))
        .map_err(|e| format!("symlink the venv into {}: {e}", run.display()))?;
    for f in ["auth.json", "firstline_ralph_app.py"] {
        fs::copy(cache.join(f), run.join(f)).map_err(|e| format!("copy {f}: {e}"))?;
    }
    Ok(())
}

pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local address").port()
}

/// A running Ralph with its own data directory; stopped on drop.
pub struct Ralph {
    pub dir: tempfile::TempDir,
    pub port: u16,
    pub running: bool,
    pub http: ureq::Agent,
}

impl Ralph {
    /// Installs (or reuses) Ralph; Err when it cannot be installed on this machine.
    pub fn install() -> Result<Ralph, String> {
        let dir = tempfile::Builder::new()
            .prefix("ralph-run-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .map_err(|e| format!("tempdir: {e}"))?;
        install_into(dir.path())?;
        Ok(Ralph {
            dir,
            port: 0,
            running: false,
            http: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(30)))
                .build()
                .into(),
        })
    }

    /// Starts the server: on the previous port when there was one and it is free,
    /// else on a fresh one. Panics when it does not come up.
    pub fn start(&mut self) {
        assert!(!self.running, "Ralph is already running");
        let mut errors = vec![];
        for attempt in 0..4 {
            let port = if attempt == 0 && self.port != 0 {
                self.port
            } else {
                free_port()
            };
            let p = port.to_string();
            match ralph_sh(&["start".as_ref(), self.dir.path().as_os_str(), p.as_ref()]) {
                Ok(_) => {
                    self.port = port;
                    self.running = true;
                    return;
                }
                Err(e) if e.contains("already in use") => errors.push(e),
                Err(e) => panic!("Ralph did not start: {e}"),
            }
        }
        panic!("Ralph did not start, no free port:\n{}", errors.join("\n"));
    }

    pub fn stop(&mut self) -> Result<(), String> {
        self.running = false;
        ralph_sh(&["stop".as_ref(), self.dir.path().as_os_str()]).map(|_| ())
    }

    /// The xAPI endpoint as given to `firstline sync --lrs`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// GET /xAPI/statements with a query, following `more` to the end.
    pub fn statements(&self, query: &[(&str, &str)]) -> Vec<Value> {
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
        );
        let mut url = format!("{}statements", self.url());
        let mut all = vec![];
        for page in 0.. {
            assert!(page < 100, "more than 100 pages from {url}");
            let mut req = self
                .http
                .get(&url)
                .header("Authorization", &auth)
                .header("X-Experience-API-Version", XAPI_VERSION);
            if page == 0 {
                for (k, v) in query {
                    req = req.query(*k, *v);
                }
            }
            let mut resp = req.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
            let body = resp.body_mut().read_to_string().unwrap_or_default();
            assert_eq!(resp.status().as_u16(), 200, "GET {url} {query:?}: {body}");
            let v: Value = serde_json::from_str(&body).expect("a JSON statement result");
            all.extend(
                v["statements"]
                    .as_array()
                    .unwrap_or_else(|| panic!("no statements array: {body}"))
                    .iter()
                    .cloned(),
            );
            match v.get("more").and_then(Value::as_str) {
                Some(more) if !more.is_empty() => {
                    url = if more.starts_with("http") {
                        more.to_string()
                    } else {
                        format!("http://127.0.0.1:{}{more}", self.port)
                    }
                }
                _ => break,
            }
        }
        all
    }

    /// Every statement the LRS holds (paged 10 at a time, so `more` is exercised).
    pub fn all_statements(&self) -> Vec<Value> {
        self.statements(&[("limit", "10")])
    }

    pub fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.dir.path().join("ralph.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- Ralph log (tail) ---\n{}", self.log_tail());
        }
        if self.running
            && let Err(e) = self.stop()
        {
            eprintln!("could not stop Ralph: {e}");
        }
    }
}
