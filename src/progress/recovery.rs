//! Recovery files: a finished attempt that could not be saved (a full disk, a read-only
//! folder, a locked or damaged database) is written as JSON to `recovery/` in the data
//! directory — or, when that cannot be written either, to `firstline-recovery/` in the
//! temporary directory — and imported into the store the next time it opens.

use super::record::{AttemptId, NewAttempt, Profile};
use super::shifts::NewShift;
use super::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a recovery file holds.
#[derive(Debug, Serialize, Deserialize)]
struct RecoveryFile {
    data_dir: PathBuf,
    trainee: String,
    reason: String,
    /// A single attempt (`attempt-UUID.json`) ...
    #[serde(default)]
    attempt: Option<NewAttempt>,
    /// ... or a whole shift with its tickets (`shift-UUID.json`).
    #[serde(default)]
    shift: Option<NewShift>,
}

/// Where a finished attempt ended up.
#[derive(Debug)]
pub enum Saved {
    /// In the store.
    Stored(AttemptId),
    /// In a recovery file, because saving failed; imported at the next start.
    Recovered { file: PathBuf, why: StoreError },
}

/// The recovery folders for a data directory, in order of preference.
fn folders(data_dir: &Path) -> [PathBuf; 2] {
    [
        data_dir.join("recovery"),
        std::env::temp_dir().join("firstline-recovery"),
    ]
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Writes `text` to `dir/name` atomically (temporary file, fsync, rename), readable only
/// by its owner.
fn write_atomic(dir: &Path, name: &str, text: &str) -> std::io::Result<PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let r = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        let to = dir.join(name);
        std::fs::rename(&tmp, &to)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(to)
    })();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

/// Writes an attempt that could not be saved to a recovery file; returns its path.
pub fn write(
    data_dir: &Path,
    trainee: &str,
    attempt: &NewAttempt,
    reason: &str,
) -> Result<PathBuf, String> {
    let file = RecoveryFile {
        data_dir: canonical(data_dir),
        trainee: trainee.to_string(),
        reason: reason.to_string(),
        attempt: Some(attempt.clone()),
        shift: None,
    };
    write_file(
        data_dir,
        &format!("attempt-{}.json", attempt.summary.uuid),
        &file,
    )
}

/// Writes a shift (with its tickets) that could not be saved to a recovery file.
pub fn write_shift(
    data_dir: &Path,
    trainee: &str,
    shift: &NewShift,
    reason: &str,
) -> Result<PathBuf, String> {
    let file = RecoveryFile {
        data_dir: canonical(data_dir),
        trainee: trainee.to_string(),
        reason: reason.to_string(),
        attempt: None,
        shift: Some(shift.clone()),
    };
    write_file(
        data_dir,
        &format!("shift-{}.json", shift.summary.uuid),
        &file,
    )
}

fn write_file(data_dir: &Path, name: &str, file: &RecoveryFile) -> Result<PathBuf, String> {
    let text = serde_json::to_string(file).map_err(|e| e.to_string())?;
    let mut errors = vec![];
    for dir in folders(data_dir) {
        match write_atomic(&dir, name, &text) {
            Ok(p) => return Ok(p),
            Err(e) => errors.push(format!("{}: {e}", dir.display())),
        }
    }
    Err(errors.join("; "))
}

/// Imports the recovery files that belong to this store; each imported file is removed.
/// Returns one line per file imported or left in place.
pub fn import(store: &mut Store) -> Vec<String> {
    let Some(data_dir) = store.path().parent().map(canonical) else {
        return vec![];
    };
    let mut out = vec![];
    for dir in folders(&data_dir) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with("attempt-") || n.starts_with("shift-")
                    })
            })
            .collect();
        files.sort();
        for f in files {
            let Ok(bytes) = crate::scenario::files::read_regular(&f, "recovery") else {
                continue;
            };
            let Ok(rec) = serde_json::from_slice::<RecoveryFile>(&bytes) else {
                out.push(format!(
                    "{}: not a readable recovery file; left in place",
                    f.display()
                ));
                continue;
            };
            if rec.data_dir != data_dir {
                continue;
            }
            match import_one(store, &rec) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&f);
                    let what = match (&rec.attempt, &rec.shift) {
                        (Some(a), _) => format!("attempt at {}", a.summary.scenario_id),
                        (None, Some(sh)) => format!("shift {}", sh.summary.shift_id),
                        (None, None) => "nothing".to_string(),
                    };
                    out.push(format!(
                        "recovered {}'s {what} from {}",
                        rec.trainee,
                        f.display()
                    ));
                }
                Err(e) => out.push(format!(
                    "{}: could not import it yet ({e}); it stays for the next start",
                    f.display()
                )),
            }
        }
    }
    out
}

/// Removes the recovery files of a trainee of this store (so a deleted trainee's
/// attempts never come back). Returns how many were removed.
pub fn forget(store: &Store, trainee: &str) -> usize {
    let Some(data_dir) = store.path().parent().map(canonical) else {
        return 0;
    };
    let mut n = 0;
    for dir in folders(&data_dir) {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let f = e.path();
            let ours = crate::scenario::files::read_regular(&f, "recovery")
                .ok()
                .and_then(|b| serde_json::from_slice::<RecoveryFile>(&b).ok())
                .is_some_and(|r| r.data_dir == data_dir && r.trainee == trainee);
            if ours && std::fs::remove_file(&f).is_ok() {
                n += 1;
            }
        }
    }
    n
}

fn import_one(store: &mut Store, rec: &RecoveryFile) -> Result<(), String> {
    let done = match (&rec.attempt, &rec.shift) {
        (Some(a), _) => store.has_attempt(&a.summary.uuid),
        (None, Some(sh)) => store.has_shift(&sh.summary.uuid),
        (None, None) => true,
    };
    if done {
        return Ok(());
    }
    let who = store
        .ensure_profile(&rec.trainee)
        .map_err(|e| e.to_string())?;
    match (&rec.attempt, &rec.shift) {
        (Some(a), _) => store.save_attempt(&who, a).map(|_| ()),
        (None, Some(sh)) => store.save_shift(&who, sh).map(|_| ()),
        (None, None) => Ok(()),
    }
    .map_err(|e| e.to_string())
}

/// Where a finished shift ended up.
#[derive(Debug)]
pub enum ShiftSaved {
    /// In the store, with this row id.
    Stored(i64),
    /// In a recovery file, imported the next time the store opens.
    Recovered { file: PathBuf, why: StoreError },
}

impl Store {
    /// Saves a finished shift with its tickets; when that fails, keeps the whole shift in
    /// a recovery file instead. `Err` only when both failed (with both reasons).
    pub fn save_shift_or_recover(
        &mut self,
        profile: &Profile,
        shift: &NewShift,
    ) -> Result<ShiftSaved, String> {
        match self.save_shift(profile, shift) {
            Ok(id) => Ok(ShiftSaved::Stored(id)),
            Err(why) => self
                .keep(why, "shift", |dir, reason| {
                    write_shift(dir, &profile.name, shift, reason)
                })
                .map(|(file, why)| ShiftSaved::Recovered { file, why }),
        }
    }

    /// Saves a finished attempt; when that fails, keeps it in a recovery file instead.
    /// `Err` only when both failed (with both reasons).
    pub fn save_or_recover(
        &mut self,
        profile: &Profile,
        attempt: &NewAttempt,
    ) -> Result<Saved, String> {
        match self.save_attempt(profile, attempt) {
            Ok(id) => Ok(Saved::Stored(id)),
            Err(why) => self
                .keep(why, "attempt", |dir, reason| {
                    write(dir, &profile.name, attempt, reason)
                })
                .map(|(file, why)| Saved::Recovered { file, why }),
        }
    }

    /// After a failed save: writes the recovery file beside the store (`write` gets the
    /// data directory and the reason); `Err` with both reasons when that fails too.
    fn keep(
        &self,
        why: StoreError,
        what: &str,
        write: impl FnOnce(&Path, &str) -> Result<PathBuf, String>,
    ) -> Result<(PathBuf, StoreError), String> {
        let dir = self.path().parent().unwrap_or(Path::new("."));
        match write(dir, &why.to_string()) {
            Ok(file) => Ok((file, why)),
            Err(e) => Err(format!(
                "{why}\nThe {what} could not be kept in a recovery file either: {e}"
            )),
        }
    }
}
