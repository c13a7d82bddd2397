//! Soak: N processes save attempts concurrently into a fresh data directory (their
//! first runs race to create it) while other processes are SIGKILLed at random moments
//! of opening and saving. Every attempt a process reported saved must be in the store,
//! and the store must pass `PRAGMA integrity_check`. Runs for FIRSTLINE_SOAK_SECS
//! seconds (default 4).

use super::*;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::Instant;

const DIR_ENV: &str = "FIRSTLINE_SOAK_CHILD_DIR";
const CHILD: &str = "soak::soak_child_saves_until_the_deadline";

/// The child: opens the store, saves the attempt in `attempt.json` under fresh uuids
/// and prints `saved UUID` after each save returned. Does nothing unless
/// FIRSTLINE_SOAK_CHILD_DIR is set.
#[test]
#[ignore = "the saving child of issue12_soak_concurrent_saves_and_sigkills_lose_nothing"]
fn soak_child_saves_until_the_deadline() {
    let Some(dir) = std::env::var_os(DIR_ENV) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let secs: u64 = std::env::var("FIRSTLINE_SOAK_CHILD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let name = std::env::var("FIRSTLINE_SOAK_CHILD_NAME").unwrap_or_else(|_| "Soak".into());
    let attempt: NewAttempt =
        serde_json::from_slice(&std::fs::read(dir.join("attempt.json")).unwrap()).unwrap();
    let data = dir.join("data");
    let mut store = Store::open(Some(&data)).unwrap_or_else(|e| panic!("open: {e}"));
    let who = store.ensure_profile(&name).expect("profile");
    let until = Instant::now() + Duration::from_secs(secs);
    let mut out = std::io::stdout();
    while Instant::now() < until {
        let mut a = attempt.clone();
        a.summary.uuid = uuid::Uuid::new_v4();
        store
            .save_attempt(&who, &a)
            .unwrap_or_else(|e| panic!("save: {e}"));
        writeln!(out, "saved {}", a.summary.uuid).unwrap();
        out.flush().unwrap();
    }
}

fn spawn(dir: &Path, name: &str, secs: u64) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            CHILD,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR_ENV, dir)
        .env("FIRSTLINE_SOAK_CHILD_SECS", secs.to_string())
        .env("FIRSTLINE_SOAK_CHILD_NAME", name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every `saved UUID` line of a child's stdout, read to its end.
fn reader(child: &mut std::process::Child) -> std::thread::JoinHandle<Vec<uuid::Uuid>> {
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                w.windows(2)
                    .find(|w| w[0] == "saved")
                    .and_then(|w| w[1].parse().ok())
            })
            .collect()
    })
}

#[test]
fn issue12_soak_concurrent_saves_and_sigkills_lose_nothing() {
    use std::os::unix::process::ExitStatusExt;
    let secs: u64 = std::env::var("FIRSTLINE_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let savers = 4;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("attempt.json"),
        serde_json::to_vec(&an_attempt()).unwrap(),
    )
    .unwrap();
    let mut seed = SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("soak: {secs} s, {savers} savers, seed {seed}");
    let mut rand = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    // The savers start together on a data directory that does not exist yet.
    let mut running: Vec<(
        std::process::Child,
        std::thread::JoinHandle<Vec<uuid::Uuid>>,
    )> = (0..savers)
        .map(|i| {
            let mut c = spawn(dir, &format!("Saver {i}"), secs);
            let r = reader(&mut c);
            (c, r)
        })
        .collect();
    let mut reported: Vec<uuid::Uuid> = vec![];
    let (mut kills, mut killed_saves) = (0, 0);
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        let mut c = spawn(dir, "Victim", secs + 10);
        let r = reader(&mut c);
        std::thread::sleep(Duration::from_millis(20 + rand(400)));
        c.kill().unwrap();
        let status = c.wait().unwrap();
        let saved = r.join().unwrap();
        if status.signal() == Some(9) {
            kills += 1;
        }
        killed_saves += saved.len();
        reported.extend(saved);
    }
    for (mut c, r) in running.drain(..) {
        let status = c.wait().unwrap();
        let mut err = String::new();
        let _ = std::io::Read::read_to_string(c.stderr.as_mut().unwrap(), &mut err);
        let saved = r.join().unwrap();
        assert!(status.success(), "a saver failed ({status}):\n{err}");
        assert!(!saved.is_empty(), "a saver saved nothing:\n{err}");
        reported.extend(saved);
    }
    let store = Store::open(Some(&dir.join("data"))).expect("the store opens after the soak");
    let stored: std::collections::BTreeSet<uuid::Uuid> =
        store.attempts(None).iter().map(|a| a.uuid).collect();
    let lost: Vec<&uuid::Uuid> = reported.iter().filter(|u| !stored.contains(u)).collect();
    eprintln!(
        "soak: {} saves reported ({killed_saves} by {kills} killed processes), {} stored",
        reported.len(),
        stored.len()
    );
    assert!(
        lost.is_empty(),
        "attempts reported saved but lost: {lost:?}"
    );
    assert!(kills > 0, "no process was killed");
    assert!(stored.len() >= reported.len());
    assert_eq!(
        store.outbox_counts().unsent,
        3 * stored.len() as u64,
        "three statements per attempt"
    );
    drop(store);
    let c = rusqlite::Connection::open(dir.join("data/progress.sqlite3")).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
