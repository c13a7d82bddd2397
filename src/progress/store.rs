//! The progress store: one SQLite file (`progress.sqlite3`) in the data directory.
//!
//! Every write is one transaction; the file is in WAL mode with `synchronous=FULL`, so
//! an attempt reported saved survives a crash. A file that is not a Firstline database,
//! is damaged, or was written by a newer Firstline is refused and never modified.

use super::profiles::{self, MAX_NAME};
use super::record::*;
use super::schema::{APPLICATION_ID, MIGRATIONS, latest};
use crate::scoring::{Dimensions, Scorecard};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// File name of the database inside the data directory.
pub const FILE_NAME: &str = "progress.sqlite3";

/// Why the store cannot be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: not a Firstline progress database ({detail}). The file was left untouched; move it aside or use --data-dir to start a new one."
    )]
    NotOurs { path: PathBuf, detail: String },
    #[error(
        "{path}: the progress database is damaged ({detail}). The file was left untouched; keep a copy, then move it aside or use --data-dir to start a new one."
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path}: written by a newer Firstline (database schema version {found}; this version understands up to {known}). The file was left untouched; update Firstline to open it."
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path}: cannot write the progress database here: the folder or file is read-only ({detail}). Your progress is intact; make the folder and the file writable for your user, or use --data-dir to work elsewhere."
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "{path}: the disk is full ({detail}). Your progress is intact; free some space on that disk and try again."
    )]
    DiskFull { path: PathBuf, detail: String },
    #[error("{path}: {detail}")]
    Io { path: PathBuf, detail: String },
    #[error("no data directory: set --data-dir")]
    NoDataDir,
}

/// Why a profile could not be created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("type a name first")]
    Empty,
    #[error("names are at most {MAX_NAME} characters")]
    TooLong,
    #[error("could not save the profile: {0}")]
    Store(String),
}

/// Counts of the xAPI outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub unsent: u64,
    pub sent: u64,
}

/// An unsent statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub statement_id: String,
    pub json: String,
}

/// An open progress database.
#[derive(Debug)]
pub struct Store {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    recovered: Vec<String>,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Whether a file exists to be checked; refuses one that is not SQLite. Creates the
/// folder of a new file.
fn sniff(path: &Path) -> Result<bool, StoreError> {
    use std::io::Read;
    for round in 0..4 {
        match std::fs::metadata(path) {
            Ok(m) if m.len() > 0 => {
                let mut head = [0u8; 16];
                let n = std::fs::File::open(path)
                    .and_then(|mut f| f.read(&mut head))
                    .map_err(|e| io_error(path, &e))?;
                if n == 16 && &head == SQLITE_MAGIC {
                    return Ok(true);
                }
                // A first page being written by another process's first run: look again.
                if n < 16 && round < 3 {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    continue;
                }
                return Err(StoreError::NotOurs {
                    path: path.to_path_buf(),
                    detail: "it is not an SQLite file".into(),
                });
            }
            Ok(_) => return Ok(false),
            Err(_) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| io_error(path, &e))?;
                }
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Checks an existing file through a read-only connection that never checkpoints, so
/// neither the file nor its `-wal`/`-shm` is written or removed.
fn inspect(path: &Path, existed: bool) -> Result<i64, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(classify(path))?;
    let _ = conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    );
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(classify(path))?;
    check(path, &conn, existed)
}

/// Integrity (for an existing file), owner and version, read in one transaction so a
/// concurrent first run is seen either before or after its creation. Returns the
/// schema version.
fn check(path: &Path, conn: &Connection, existed: bool) -> Result<i64, StoreError> {
    let classify = classify(path);
    retry_busy(|| conn.execute_batch("BEGIN")).map_err(&classify)?;
    let r = (|| {
        if existed {
            let check: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(&classify)?;
            if check != "ok" {
                return Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: check,
                });
            }
        }
        let q = |sql: &str| -> Result<i64, StoreError> {
            conn.query_row(sql, [], |r| r.get(0)).map_err(&classify)
        };
        let app = q("PRAGMA application_id")?;
        let version = q("PRAGMA user_version")?;
        let tables = q("SELECT count(*) FROM sqlite_master")?;
        if app != i64::from(APPLICATION_ID) && (app != 0 || tables > 0) {
            return Err(StoreError::NotOurs {
                path: path.to_path_buf(),
                detail: "an SQLite database belonging to another program".into(),
            });
        }
        if version > latest() {
            return Err(StoreError::Newer {
                path: path.to_path_buf(),
                found: version,
                known: latest(),
            });
        }
        Ok(version)
    })();
    let _ = conn.execute_batch("COMMIT");
    r
}

/// Runs `f` again while SQLite says another connection holds the lock (up to ~10 s).
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match f() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && std::time::Instant::now() < until =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            r => return r,
        }
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> StoreError {
    let detail = e.to_string();
    let path = path.to_path_buf();
    match e.raw_os_error() {
        Some(libc::ENOSPC) | Some(libc::EDQUOT) => StoreError::DiskFull { path, detail },
        Some(libc::EROFS) | Some(libc::EACCES) | Some(libc::EPERM) => {
            StoreError::ReadOnly { path, detail }
        }
        _ => StoreError::Io { path, detail },
    }
}

/// Names an SQLite error for what it is: damage, a read-only place, a full disk, or
/// another I/O problem.
pub fn classify(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    move |e| {
        use rusqlite::ErrorCode::*;
        let detail = e.to_string();
        let path = path.clone();
        match e.sqlite_error_code() {
            Some(DatabaseCorrupt | NotADatabase) => StoreError::Corrupt { path, detail },
            Some(ReadOnly) => StoreError::ReadOnly { path, detail },
            Some(DiskFull) => StoreError::DiskFull { path, detail },
            Some(CannotOpen | PermissionDenied) if !writable(&path) => {
                StoreError::ReadOnly { path, detail }
            }
            _ => StoreError::Io { path, detail },
        }
    }
}

/// Whether this process may create files beside `path` and write `path` itself.
fn writable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        let ok = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_encoded_bytes())
                // SAFETY: a valid C string; access() only reads it.
                .map(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
                .unwrap_or(false)
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        ok(dir) && (!path.exists() || ok(path))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

impl Store {
    /// Opens (creating if needed) the store in the data directory, or `over` instead.
    pub fn open(over: Option<&Path>) -> Result<Store, StoreError> {
        let dir = profiles::data_dir(over).ok_or(StoreError::NoDataDir)?;
        Store::open_file(&dir.join(FILE_NAME))
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens a database file, refusing anything that is not a healthy Firstline database
    /// of this or an older schema version. An existing file is first inspected through a
    /// read-only connection, so a refused file and its `-wal`/`-shm` are never written;
    /// creation and migrations run in `BEGIN IMMEDIATE` transactions that re-check the
    /// version, so concurrent first runs agree. Recovery files left by saves that failed
    /// are imported afterwards.
    pub fn open_file(path: &Path) -> Result<Store, StoreError> {
        let existed = sniff(path)?;
        let classify = classify(path);
        if existed {
            // The read-only connection may create an empty `-wal`/`-shm` to read a WAL
            // file; a refused file gets back exactly the companions it had.
            let companions = |ext: &str| PathBuf::from(format!("{}{ext}", path.display()));
            let had: Vec<bool> = ["-wal", "-shm"]
                .iter()
                .map(|e| companions(e).exists())
                .collect();
            if let Err(
                e @ (StoreError::NotOurs { .. }
                | StoreError::Corrupt { .. }
                | StoreError::Newer { .. }),
            ) = inspect(path, true)
            {
                for (ext, had) in ["-wal", "-shm"].iter().zip(had) {
                    if !had {
                        let _ = std::fs::remove_file(companions(ext));
                    }
                }
                return Err(e);
            }
            // Any other failure (a read-only folder without `-shm`, ...): the read-write
            // open below names the problem.
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(&classify)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(&classify)?;
        let version = check(path, &conn, existed)?;
        retry_busy(|| {
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
            )
        })
        .map_err(&classify)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            recovered: vec![],
        };
        if version < latest() {
            retry_busy(|| store.migrate()).map_err(&classify)?;
        }
        store.recovered = super::recovery::import(&mut store);
        Ok(store)
    }

    /// What was imported from recovery files when the store opened (one line each).
    pub fn recovered(&self) -> &[String] {
        &self.recovered
    }

    /// Applies the migrations this file lacks, each in its own `BEGIN IMMEDIATE`
    /// transaction that re-reads the version (another process may have applied it).
    fn migrate(&mut self) -> rusqlite::Result<()> {
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now > i as i64 {
                continue;
            }
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
                i + 1
            ))?;
            if i == 0 {
                import_legacy(&tx, &self.path)?;
            }
            tx.commit()?;
        }
        Ok(())
    }

    // ----- profiles -----

    /// All profiles, oldest first.
    pub fn profiles(&self) -> Vec<Profile> {
        let Ok(mut st) = self
            .conn
            .prepare("SELECT id, name, uuid, created_at FROM profiles ORDER BY id")
        else {
            return vec![];
        };
        st.query_map([], profile_row)
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }

    /// The profile with this name.
    pub fn profile(&self, name: &str) -> Option<Profile> {
        self.conn
            .query_row(
                "SELECT id, name, uuid, created_at FROM profiles WHERE name = ?1",
                [name],
                profile_row,
            )
            .optional()
            .ok()
            .flatten()
    }

    /// Creates a profile (or finds the existing one of that name) and makes it current.
    pub fn create_profile(&mut self, name: &str) -> Result<Profile, ProfileError> {
        self.save_profile(name, true)
    }

    /// Creates a profile (or finds the existing one of that name) without changing which
    /// profile is current (for the command line).
    pub fn ensure_profile(&mut self, name: &str) -> Result<Profile, ProfileError> {
        self.save_profile(name, false)
    }

    fn save_profile(&mut self, name: &str, make_current: bool) -> Result<Profile, ProfileError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ProfileError::Empty);
        }
        if name.chars().count() > MAX_NAME {
            return Err(ProfileError::TooLong);
        }
        let err = |e: rusqlite::Error| ProfileError::Store(e.to_string());
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        tx.execute(
            "INSERT OR IGNORE INTO profiles (name, uuid, created_at) VALUES (?1, ?2, ?3)",
            params![
                name,
                uuid::Uuid::new_v4().to_string(),
                timestamp(SystemTime::now())
            ],
        )
        .map_err(err)?;
        if make_current {
            set_setting(&tx, "current_profile", name).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        self.profile(name)
            .ok_or_else(|| ProfileError::Store("the profile vanished".into()))
    }

    /// Deletes a trainee: the profile, every attempt, their statements (sent or not —
    /// nothing more is queued for them) and imported best scores, in one transaction
    /// with SQLite's secure delete; then `VACUUM` and a WAL checkpoint, so no copy of
    /// their data stays in the file. Returns
    /// (attempts deleted, statements that were still queued), or `None` when there is
    /// no such trainee.
    pub fn delete_profile(&mut self, name: &str) -> Result<Option<(u64, u64)>, StoreError> {
        let Some(p) = self.profile(name) else {
            return Ok(None);
        };
        let io = sql_error(&self.path);
        self.conn
            .execute_batch("PRAGMA secure_delete = ON")
            .map_err(&io)?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&io)?;
        let queued: i64 = tx
            .query_row(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempt_id IN
                   (SELECT id FROM attempts WHERE profile_id = ?1)",
                [p.id.0],
                |r| r.get(0),
            )
            .map_err(&io)?;
        let queued_shift: i64 = tx
            .query_row(
                "SELECT count(*) FROM shift_outbox WHERE sent_at IS NULL AND shift_id IN
                   (SELECT id FROM shifts WHERE profile_id = ?1)",
                [p.id.0],
                |r| r.get(0),
            )
            .map_err(&io)?;
        let queued = queued + queued_shift;
        for sql in [
            "DELETE FROM shift_outbox WHERE shift_id IN (SELECT id FROM shifts WHERE profile_id = ?1)",
            "DELETE FROM shift_tickets WHERE shift_id IN (SELECT id FROM shifts WHERE profile_id = ?1)",
            "DELETE FROM shifts WHERE profile_id = ?1",
        ] {
            tx.execute(sql, [p.id.0]).map_err(&io)?;
        }
        tx.execute(
            "DELETE FROM outbox WHERE attempt_id IN (SELECT id FROM attempts WHERE profile_id = ?1)",
            [p.id.0],
        )
        .map_err(&io)?;
        let attempts = tx
            .execute("DELETE FROM attempts WHERE profile_id = ?1", [p.id.0])
            .map_err(&io)?;
        tx.execute("DELETE FROM legacy_best WHERE profile_id = ?1", [p.id.0])
            .map_err(&io)?;
        tx.execute("DELETE FROM profiles WHERE id = ?1", [p.id.0])
            .map_err(&io)?;
        tx.execute(
            "DELETE FROM settings WHERE key = 'current_profile' AND value = ?1",
            [name],
        )
        .map_err(&io)?;
        tx.commit().map_err(&io)?;
        // Rebuild the file from live rows only (old page images and unused space may
        // still hold the trainee's text), then empty the WAL.
        self.conn.execute_batch("VACUUM").map_err(&io)?;
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        Ok(Some((attempts as u64, queued.max(0) as u64)))
    }

    /// The current profile, if one was chosen.
    pub fn current_profile(&self) -> Option<Profile> {
        let name = self.setting("current_profile")?;
        self.profile(&name)
    }

    /// Makes an existing profile current.
    pub fn select_profile(&mut self, name: &str) -> Result<(), StoreError> {
        if self.profile(name).is_none() {
            return Err(self.io(format!("no profile named `{name}`")));
        }
        set_setting(&self.conn, "current_profile", name).map_err(|e| self.io(e))?;
        Ok(())
    }

    /// A stored setting.
    pub fn setting(&self, key: &str) -> Option<String> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .ok()
            .flatten()
    }

    /// Stores a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        set_setting(&self.conn, key, value).map_err(|e| self.io(e))
    }

    fn io(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Io {
            path: self.path.clone(),
            detail: e.to_string(),
        }
    }

    // ----- attempts -----

    /// Saves a finished attempt for a profile together with its xAPI statements, in one
    /// transaction. When this returns `Ok`, the attempt is on disk.
    pub fn save_attempt(
        &mut self,
        profile: &Profile,
        attempt: &NewAttempt,
    ) -> Result<AttemptId, StoreError> {
        let io = sql_error(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&io)?;
        let id = insert_attempt(&tx, &self.path, profile, attempt, None)?;
        tx.commit().map_err(&io)?;
        Ok(id)
    }
}

/// Inserts an attempt and queues its statements inside `tx` (under a shift when given).
pub(super) fn insert_attempt(
    tx: &rusqlite::Transaction,
    path: &Path,
    profile: &Profile,
    attempt: &NewAttempt,
    shift: Option<&crate::xapi::build::InShift>,
) -> Result<AttemptId, StoreError> {
    let io = sql_error(path);
    let enc = |e: serde_json::Error| StoreError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    {
        let mut s = attempt.summary.clone();
        s.profile = profile.id;
        s.trainee = profile.name.clone();
        let actions = serde_json::to_string(&attempt.actions).map_err(enc)?;
        let card = serde_json::to_string(&attempt.scorecard).map_err(enc)?;
        tx.execute(
            "INSERT INTO attempts (uuid, profile_id, pack_id, pack_title, pack_version,
                xapi_base, scenario_id, scenario_title, scenario_version, difficulty, variant,
                seed, started_at, finished_at, wall_ms, sim_secs, overall, passed, resolved,
                technical, empathy, documentation, escalation, actions, scorecard)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
            params![
                s.uuid.to_string(),
                s.profile.0,
                s.pack_id,
                s.pack_title,
                s.pack_version,
                s.xapi_base,
                s.scenario_id,
                s.scenario_title,
                s.scenario_version,
                s.difficulty,
                s.variant,
                s.seed.to_string(),
                s.started_at,
                s.finished_at,
                s.wall_ms as i64,
                s.sim_secs,
                s.overall,
                s.passed,
                s.resolved,
                s.dimensions.technical,
                s.dimensions.empathy,
                s.dimensions.documentation,
                s.dimensions.escalation,
                actions,
                card,
            ],
        )
        .map_err(&io)?;
        let id = AttemptId(tx.last_insert_rowid());
        s.id = id;
        let who = crate::xapi::build::Trainee {
            name: profile.name.clone(),
            account: profile.uuid.to_string(),
        };
        for (seq, st) in crate::xapi::build::statements_in(&s, &who, shift)
            .iter()
            .enumerate()
        {
            let json = serde_json::to_string(st).map_err(enc)?;
            tx.execute(
                "INSERT INTO outbox (statement_id, attempt_id, seq, statement) VALUES (?1, ?2, ?3, ?4)",
                params![st.id.to_string(), id.0, seq as i64, json],
            )
            .map_err(&io)?;
        }
        Ok(id)
    }
}

impl Store {
    /// Attempt summaries, oldest first; all trainees when `profile` is `None`. Rows that
    /// cannot be decoded are left out: see [`Store::attempts_checked`].
    pub fn attempts(&self, profile: Option<ProfileId>) -> Vec<AttemptSummary> {
        self.attempts_checked(profile).0
    }

    /// Attempt summaries, oldest first, and one message per stored row that could not be
    /// decoded (a wrong-typed value, a bad uuid...), so reports never drop rows silently.
    pub fn attempts_checked(
        &self,
        profile: Option<ProfileId>,
    ) -> (Vec<AttemptSummary>, Vec<String>) {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE (?1 IS NULL OR a.profile_id = ?1) ORDER BY a.finished_at, a.id"
        );
        let (mut good, mut bad) = (vec![], vec![]);
        let r = self.conn.prepare(&sql).and_then(|mut st| {
            let mut rows = st.query([profile.map(|p| p.0)])?;
            while let Some(row) = rows.next()? {
                match summary_row(row) {
                    Ok(a) => good.push(a),
                    Err(e) => {
                        let id = row.get::<_, i64>(0).map(|i| i.to_string());
                        let who = row.get::<_, String>(3).unwrap_or_default();
                        bad.push(format!(
                            "attempt row {} (trainee `{}`) cannot be read: {e}; it is left out — the file may have been edited by another program",
                            id.unwrap_or_else(|_| "?".into()),
                            crate::progress::report::escape_text(&who)
                        ));
                    }
                }
            }
            Ok(())
        });
        if let Err(e) = r {
            bad.push(format!(
                "{}: cannot list attempts: {e}",
                self.path.display()
            ));
        }
        (good, bad)
    }

    /// Whether an attempt with this uuid is stored.
    pub fn has_attempt(&self, uuid: &uuid::Uuid) -> bool {
        self.conn
            .query_row(
                "SELECT 1 FROM attempts WHERE uuid = ?1",
                [uuid.to_string()],
                |_| Ok(()),
            )
            .optional()
            .ok()
            .flatten()
            .is_some()
    }

    /// One attempt with its action log and scorecard.
    pub fn attempt(&self, id: AttemptId) -> Option<StoredAttempt> {
        let sql = format!("{SUMMARY_SELECT} WHERE a.id = ?1");
        let summary = self
            .conn
            .query_row(&sql, [id.0], summary_row)
            .optional()
            .ok()??;
        let (actions, card): (String, String) = self
            .conn
            .query_row(
                "SELECT actions, scorecard FROM attempts WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok()?;
        Some(StoredAttempt {
            summary,
            actions: serde_json::from_str(&actions).ok()?,
            scorecard: serde_json::from_str::<Scorecard>(&card).ok()?,
        })
    }

    /// The profile's best overall score on a scenario.
    pub fn best_for(&self, profile: ProfileId, scenario: &str) -> Option<u32> {
        self.best_scores(profile).get(scenario).copied()
    }

    /// The profile's best overall score per scenario, including scores imported from the
    /// old profiles file.
    pub fn best_scores(&self, profile: ProfileId) -> std::collections::BTreeMap<String, u32> {
        let Ok(mut st) = self.conn.prepare(
            "SELECT scenario_id, max(overall) FROM (
                SELECT scenario_id, overall FROM attempts WHERE profile_id = ?1
                UNION ALL
                SELECT scenario_id, overall FROM legacy_best WHERE profile_id = ?1)
             GROUP BY scenario_id",
        ) else {
            return Default::default();
        };
        st.query_map([profile.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }

    /// The variant of the profile's most recent attempt at a scenario.
    pub fn last_variant(&self, profile: ProfileId, scenario: &str) -> Option<String> {
        self.conn
            .query_row(
                "SELECT variant FROM attempts WHERE profile_id = ?1 AND scenario_id = ?2
                 ORDER BY finished_at DESC, id DESC LIMIT 1",
                params![profile.0, scenario],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten()
    }

    // ----- the xAPI outbox -----

    /// Every unsent statement, oldest attempt first.
    pub fn unsent(&self) -> Vec<Pending> {
        let Ok(mut st) = self.conn.prepare(
            "SELECT statement_id, statement FROM (
                SELECT statement_id, statement, 0 AS k, attempt_id AS o, seq FROM outbox
                  WHERE sent_at IS NULL
                UNION ALL
                SELECT statement_id, statement, 1 AS k, shift_id AS o, seq FROM shift_outbox
                  WHERE sent_at IS NULL)
             ORDER BY k, o, seq",
        ) else {
            return vec![];
        };
        st.query_map([], |r| {
            Ok(Pending {
                statement_id: r.get(0)?,
                json: r.get(1)?,
            })
        })
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
    }

    /// Marks statements acknowledged by the LRS; they are never sent again.
    pub fn mark_sent(&mut self, ids: &[String]) -> Result<(), StoreError> {
        let now = timestamp(SystemTime::now());
        self.update_each(
            "UPDATE outbox SET sent_at = ?2, last_error = NULL WHERE statement_id = ?1",
            ids,
            &now,
        )?;
        self.update_each(
            "UPDATE shift_outbox SET sent_at = ?2, last_error = NULL WHERE statement_id = ?1",
            ids,
            &now,
        )
    }

    /// Records a failed try; the statements stay queued.
    pub fn mark_failed(&mut self, ids: &[String], error: &str) -> Result<(), StoreError> {
        self.update_each(
            "UPDATE outbox SET tries = tries + 1, last_error = ?2 WHERE statement_id = ?1",
            ids,
            error,
        )?;
        self.update_each(
            "UPDATE shift_outbox SET tries = tries + 1, last_error = ?2 WHERE statement_id = ?1",
            ids,
            error,
        )
    }

    /// Runs `sql` with `?1` = each id and `?2` = `value`, all in one transaction.
    fn update_each(&mut self, sql: &str, ids: &[String], value: &str) -> Result<(), StoreError> {
        let io = sql_error(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&io)?;
        for id in ids {
            tx.execute(sql, params![id, value]).map_err(&io)?;
        }
        tx.commit().map_err(&io)
    }

    /// How many statements are queued and sent.
    pub fn outbox_counts(&self) -> OutboxCounts {
        self.conn
            .query_row(
                "SELECT count(*) - count(sent_at), count(sent_at) FROM (
                    SELECT sent_at FROM outbox UNION ALL SELECT sent_at FROM shift_outbox)",
                [],
                |r| {
                    Ok(OutboxCounts {
                        unsent: r.get::<_, i64>(0)? as u64,
                        sent: r.get::<_, i64>(1)? as u64,
                    })
                },
            )
            .unwrap_or_default()
    }

    /// The statements stored for an attempt (sent or not), in order.
    pub fn statements_for(&self, id: AttemptId) -> Vec<String> {
        let Ok(mut st) = self
            .conn
            .prepare("SELECT statement FROM outbox WHERE attempt_id = ?1 ORDER BY seq")
        else {
            return vec![];
        };
        st.query_map([id.0], |r| r.get(0))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }
}

const SUMMARY_SELECT: &str = "SELECT a.id, a.uuid, a.profile_id, p.name, a.pack_id,
    a.pack_title, a.pack_version, a.xapi_base, a.scenario_id, a.scenario_title,
    a.scenario_version, a.difficulty, a.variant, a.seed, a.started_at, a.finished_at,
    a.wall_ms, a.sim_secs, a.overall, a.passed, a.resolved, a.technical, a.empathy,
    a.documentation, a.escalation
    FROM attempts a JOIN profiles p ON p.id = a.profile_id";

/// Parses a text column, as a decoding error naming the column when it does not parse.
fn parsed<T: std::str::FromStr>(r: &rusqlite::Row, i: usize) -> rusqlite::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = r.get(i)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn summary_row(r: &rusqlite::Row) -> rusqlite::Result<AttemptSummary> {
    Ok(AttemptSummary {
        id: AttemptId(r.get(0)?),
        uuid: parsed(r, 1)?,
        profile: ProfileId(r.get(2)?),
        trainee: r.get(3)?,
        pack_id: r.get(4)?,
        pack_title: r.get(5)?,
        pack_version: r.get(6)?,
        xapi_base: r.get(7)?,
        scenario_id: r.get(8)?,
        scenario_title: r.get(9)?,
        scenario_version: r.get(10)?,
        difficulty: r.get(11)?,
        variant: r.get(12)?,
        seed: parsed(r, 13)?,
        started_at: r.get(14)?,
        finished_at: r.get(15)?,
        wall_ms: r.get::<_, i64>(16)?.max(0) as u64,
        sim_secs: r.get(17)?,
        overall: r.get(18)?,
        passed: r.get(19)?,
        resolved: r.get(20)?,
        dimensions: Dimensions {
            technical: r.get(21)?,
            empathy: r.get(22)?,
            documentation: r.get(23)?,
            escalation: r.get(24)?,
        },
    })
}

fn profile_row(r: &rusqlite::Row) -> rusqlite::Result<Profile> {
    let uuid: String = r.get(2)?;
    Ok(Profile {
        id: ProfileId(r.get(0)?),
        name: r.get(1)?,
        uuid: uuid.parse().unwrap_or_default(),
        created_at: r.get(3)?,
    })
}

/// Turns an SQLite error into a `StoreError` naming the file and the kind of problem.
fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError {
    classify(path)
}

fn set_setting(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        params![key, value],
    )
    .map(|_| ())
}

/// Imports profiles and best scores from the RON file earlier versions kept beside the
/// database. The old file is left in place.
fn import_legacy(conn: &Connection, db: &Path) -> rusqlite::Result<()> {
    let Some(dir) = db.parent() else {
        return Ok(());
    };
    let Ok(text) = std::fs::read_to_string(dir.join("profiles.ron")) else {
        return Ok(());
    };
    let Ok(old) = ron::from_str::<profiles::Profiles>(&text) else {
        return Ok(());
    };
    let now = timestamp(SystemTime::now());
    for name in &old.names {
        conn.execute(
            "INSERT OR IGNORE INTO profiles (name, uuid, created_at) VALUES (?1, ?2, ?3)",
            params![name, uuid::Uuid::new_v4().to_string(), now],
        )?;
    }
    for (name, scores) in &old.best {
        for (scenario, best) in scores {
            conn.execute(
                "INSERT OR REPLACE INTO legacy_best (profile_id, scenario_id, overall)
                 SELECT id, ?2, ?3 FROM profiles WHERE name = ?1",
                params![name, scenario, best],
            )?;
        }
    }
    if let Some(cur) = &old.current {
        set_setting(conn, "current_profile", cur)?;
    }
    Ok(())
}
