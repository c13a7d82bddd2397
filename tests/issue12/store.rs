//! The store under faults: concurrent first runs, refused files left untouched with
//! their `-wal`/`-shm`, read-only and full disks named as such, undecodable rows
//! reported, attempts that cannot be saved kept in a recovery file and imported at the
//! next start, and `play` keeping an attempt through a line that is not UTF-8.

use super::*;
use firstline::progress::StoreError;
use firstline::progress::recovery::Saved;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[test]
fn issue12_concurrent_first_runs_all_open_the_new_store() {
    let tmp = tempfile::tempdir().unwrap();
    for round in 0..12 {
        let dir = tmp.path().join(format!("data-{round}"));
        let gate = std::sync::Barrier::new(8);
        let results: Vec<Result<(), String>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|i| {
                    let (dir, gate) = (&dir, &gate);
                    s.spawn(move || {
                        gate.wait();
                        let mut st = Store::open(Some(dir)).map_err(|e| e.to_string())?;
                        st.ensure_profile(&format!("T{i}"))
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &results {
            assert!(r.is_ok(), "round {round}: {r:?}");
        }
        assert_eq!(Store::open(Some(&dir)).unwrap().profiles().len(), 8);
    }
}

/// A database left with a `-wal` and `-shm` beside it (its writer crashed), whose
/// newest content — here a schema version from the future — is only in the WAL.
fn leftover_wal(dir: &Path, version: i64, app: i32) -> PathBuf {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let db = src.join("progress.sqlite3");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;
         CREATE TABLE t(x); INSERT INTO t VALUES (1);
         PRAGMA application_id = {app}; PRAGMA user_version = {version};"
    ))
    .unwrap();
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for ext in ["", "-wal", "-shm"] {
        std::fs::copy(
            src.join(format!("progress.sqlite3{ext}")),
            data.join(format!("progress.sqlite3{ext}")),
        )
        .unwrap();
    }
    drop(c);
    data
}

fn files(data: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|ext| {
            let name = format!("progress.sqlite3{ext}");
            let bytes = std::fs::read(data.join(&name)).ok();
            (name, bytes)
        })
        .collect()
}

#[test]
fn issue12_refused_database_with_leftover_wal_is_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, (version, app, want)) in [
        (99, 0x464c_5052, "newer"),
        (1, 0x1234_5678, "another program"),
    ]
    .into_iter()
    .enumerate()
    {
        let data = leftover_wal(&tmp.path().join(i.to_string()), version, app);
        let before = files(&data);
        assert!(
            before.iter().all(|(_, b)| b.is_some()),
            "all three files exist"
        );
        let e = Store::open(Some(&data)).unwrap_err();
        assert!(e.to_string().contains(want), "{e}");
        assert!(e.to_string().contains("left untouched"), "{e}");
        let after = files(&data);
        for ((name, a), (_, b)) in before.iter().zip(&after) {
            assert!(b.is_some(), "{want}: {name} was deleted");
            if !name.ends_with("-shm") {
                assert!(a == b, "{want}: {name} was rewritten");
            }
        }
    }
}

#[test]
fn issue12_read_only_folder_is_named_read_only_not_damaged() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 1);
    // A copy of the binary in the (world-readable) temporary folder: the build folder
    // may be out of reach for `nobody`.
    let bin = tmp.path().join("firstline");
    std::fs::copy(assert_cmd::cargo::cargo_bin("firstline"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut c = std::process::Command::new(&bin);
    c.current_dir(tmp.path())
        .env("HOME", tmp.path())
        .env("TMPDIR", tmp.path())
        .arg("--data-dir")
        .arg(&data)
        .arg("report");
    if is_root() {
        // Root writes anywhere: run as `nobody`, for whom the folder is read-only.
        c.uid(65534).gid(65534);
    } else {
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let o = common::out(c.output().unwrap(), "report (read-only)");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(
        !o.stderr.contains("damaged") && !o.stderr.contains("move it aside"),
        "{}",
        o.stderr
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("read-only"), "{}", o.stderr);
    assert!(o.stderr.contains("intact"), "{}", o.stderr);
    let st = Store::open(Some(&data)).unwrap();
    assert_eq!(st.attempts(None).len(), 1);
}

/// A small tmpfs mounted for the test (root only), unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Result<SmallDisk, String> {
        std::fs::create_dir_all(at).unwrap();
        let o = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .map_err(|e| e.to_string())?;
        if o.status.success() {
            Ok(SmallDisk(at.to_path_buf()))
        } else {
            Err(String::from_utf8_lossy(&o.stderr).into_owned())
        }
    }

    /// Fills the disk; returns the filler file.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let f = self.0.join("filler");
        let mut w = std::fs::File::create(&f).unwrap();
        let block = vec![0u8; 4096];
        while w.write_all(&block).is_ok() {}
        let _ = w.sync_all();
        f
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn issue12_full_disk_is_named_and_the_attempt_is_recovered_at_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let disk = match SmallDisk::mount(&tmp.path().join("disk"), "2m") {
        Ok(d) => d,
        Err(e) if in_ci() => panic!("cannot mount a small tmpfs for the full-disk test: {e}"),
        Err(e) => {
            eprintln!("skipped: the full-disk test needs to mount a tmpfs (root): {e}");
            return;
        }
    };
    let data = disk.0.join("data");
    let mut store = Store::open(Some(&data)).unwrap();
    let who = store.create_profile("Ada").unwrap();
    store.save_attempt(&who, &an_attempt()).unwrap();
    let filler = disk.fill();
    let lost = an_attempt();
    let why = match store.save_or_recover(&who, &lost) {
        Ok(Saved::Recovered { file, why }) => {
            assert!(file.exists(), "{}", file.display());
            why
        }
        other => panic!("expected a recovery file, got {other:?}"),
    };
    assert!(matches!(why, StoreError::DiskFull { .. }), "{why}");
    assert!(why.to_string().contains("disk is full"), "{why}");
    drop(store);
    // Opening on the full disk: named as a full disk if it fails at all, never damage.
    match Store::open(Some(&data)) {
        Ok(_) => {}
        Err(e) => assert!(matches!(e, StoreError::DiskFull { .. }), "{e}"),
    }
    std::fs::remove_file(filler).unwrap();
    let store = Store::open(Some(&data)).unwrap();
    assert_eq!(store.recovered().len(), 1, "{:?}", store.recovered());
    let all = store.attempts(None);
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|a| a.uuid == lost.summary.uuid));
    drop(store);
    // Imported once: the file is gone.
    assert!(Store::open(Some(&data)).unwrap().recovered().is_empty());
}

/// A finished shift (the quiet expert play-test) with a fresh uuid.
fn a_shift() -> firstline::progress::shifts::NewShift {
    let t = pack()
        .shift_playtests
        .iter()
        .find(|t| t.expert && t.shift.id == "quiet")
        .expect("the quiet expert shift play-test");
    let (run, _) = firstline::shift::run_playtest(t);
    firstline::progress::shifts::NewShift::from_shift(
        &run.shift,
        &run.card,
        SystemTime::now(),
        Duration::from_secs(600),
    )
}

/// Issue 14 with issue 12's rule: a shift that cannot be saved (a full disk) is kept
/// whole, with its tickets, in a recovery file and imported at the next start.
#[test]
fn issue14_full_disk_keeps_the_shift_in_a_recovery_file() {
    use firstline::progress::recovery::ShiftSaved;
    let tmp = tempfile::tempdir().unwrap();
    let disk = match SmallDisk::mount(&tmp.path().join("disk"), "2m") {
        Ok(d) => d,
        Err(e) if in_ci() => panic!("cannot mount a small tmpfs for the full-disk test: {e}"),
        Err(e) => {
            eprintln!("skipped: the full-disk test needs to mount a tmpfs (root): {e}");
            return;
        }
    };
    let data = disk.0.join("data");
    let mut store = Store::open(Some(&data)).unwrap();
    let who = store.create_profile("Ada").unwrap();
    let lost = a_shift();
    let filler = disk.fill();
    match store.save_shift_or_recover(&who, &lost) {
        Ok(ShiftSaved::Recovered { file, why }) => {
            assert!(file.exists(), "{}", file.display());
            assert!(matches!(why, StoreError::DiskFull { .. }), "{why}");
        }
        other => panic!("expected a recovery file, got {other:?}"),
    }
    assert!(!store.has_shift(&lost.summary.uuid));
    drop(store);
    std::fs::remove_file(filler).unwrap();
    let store = Store::open(Some(&data)).unwrap();
    assert_eq!(store.recovered().len(), 1, "{:?}", store.recovered());
    assert!(
        store.recovered()[0].contains("shift quiet"),
        "{:?}",
        store.recovered()
    );
    assert!(store.has_shift(&lost.summary.uuid));
    let shifts = store.shifts(None);
    assert_eq!(shifts.len(), 1);
    assert_eq!(shifts[0].overall, lost.card.overall);
    // Its tickets came back as attempts too.
    assert_eq!(store.attempts(None).len(), lost.tickets.len());
    drop(store);
    // Imported once: the file is gone.
    assert!(Store::open(Some(&data)).unwrap().recovered().is_empty());
}

#[test]
fn issue12_report_names_rows_it_cannot_decode() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    data_with_attempts(&data, "Ada", 1);
    data_with_attempts(&data, "Grace", 1);
    let c = rusqlite::Connection::open(data.join("progress.sqlite3")).unwrap();
    c.execute(
        "UPDATE attempts SET overall = 'lots' WHERE profile_id =
           (SELECT id FROM profiles WHERE name = 'Ada')",
        [],
    )
    .unwrap();
    drop(c);
    let mut cmd = firstline(tmp.path());
    cmd.arg("--data-dir").arg(&data).arg("report");
    let o = run(cmd, "report");
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr
            .contains("attempt row 1 (trainee `Ada`) cannot be read"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.contains("Grace"), "{}", o.stdout);
}

#[test]
fn issue12_play_line_that_is_not_utf8_is_an_error_and_the_attempt_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut cmd = firstline(tmp.path());
    cmd.arg("--data-dir")
        .arg(&data)
        .args(["play", "password-reset", "--trainee", "Ada"])
        .write_stdin(b"\xff\xfe hello\nend\nresolve gave up\n".to_vec());
    let o = run(cmd, "play");
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("not UTF-8"), "{}", o.stderr);
    assert!(
        o.stdout.contains("Saved to Ada's progress."),
        "{}",
        o.stdout
    );
    assert_eq!(Store::open(Some(&data)).unwrap().attempts(None).len(), 1);
}

#[test]
fn issue12_trainee_delete_removes_profile_attempts_and_queues_nothing_more() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ada = data_with_attempts(&data, "Ada", 2);
    data_with_attempts(&data, "Grace", 1);
    // A recovery file of Ada's must not bring an attempt back.
    let rec = firstline::progress::recovery::write(&data, "Ada", &an_attempt(), "test").unwrap();
    let go = |args: &[&str]| {
        let mut c = firstline(tmp.path());
        c.arg("--data-dir").arg(&data).args(args);
        run(c, &format!("{args:?}"))
    };
    let o = go(&["trainee", "delete", "Ada"]);
    assert_eq!(
        o.code,
        Some(2),
        "needs --yes without a terminal: {}",
        o.stderr
    );
    assert!(o.stderr.contains("--yes"), "{}", o.stderr);
    assert_eq!(
        Store::open(Some(&data)).unwrap().profiles().len(),
        2,
        "nothing deleted"
    );
    assert!(
        !rec.exists(),
        "opening the store imported the recovery file"
    );
    let o = go(&["trainee", "delete", "Ada", "--yes"]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout
            .contains("Deleted trainee `Ada`: 3 attempt(s); 9 statement(s)"),
        "{}",
        o.stdout
    );
    let store = Store::open(Some(&data)).unwrap();
    let names: Vec<String> = store.profiles().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Grace"]);
    assert!(store.attempts(None).iter().all(|a| a.trainee == "Grace"));
    assert_eq!(
        store.outbox_counts().unsent,
        3,
        "only Grace's statements stay queued"
    );
    assert!(
        store
            .unsent()
            .iter()
            .all(|p| !p.json.contains(&ada.uuid.to_string()))
    );
    drop(store);
    // Nothing of Ada's is left in the file (secure delete, WAL checkpointed).
    let bytes = std::fs::read(data.join("progress.sqlite3")).unwrap();
    let needle = ada.uuid.to_string();
    assert!(
        !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "Ada's uuid is still in the database file"
    );
    let o = go(&["trainee", "delete", "Ada", "--yes"]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(o.stderr.contains("no trainee named `Ada`") && o.stderr.contains("Grace"));
}
