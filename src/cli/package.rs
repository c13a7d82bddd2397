//! `firstline package cmi5 | scorm`: course packages for an LMS.
//!
//! - `cmi5 --base-url URL --out course.zip`: a zip with `cmi5.xml`, one AU per scenario,
//!   each launching `URL/index.html?scenario=ID` (the web build hosted at URL).
//! - `scorm --out course.zip [--web dist/web]`: the web build, the pack under `pack/`
//!   (with `pack/files.json`, the list the page loads) and a SCORM 1.2
//!   `imsmanifest.xml`, in one zip that runs inside the LMS.
//!
//! Zips are deterministic (sorted entries, fixed times) and written atomically
//! (a temporary file renamed over `--out`).

use crate::lms::launch_data::MoveOn;
use crate::lms::package::{Course, cmi5_xml, scorm_manifest};
use crate::scenario::files::{check_inside, read_regular};
use std::io::Write;
use std::path::Path;

/// Where a pack goes inside a web build.
pub const PACK_DIR: &str = "pack";
/// The pack's file list inside a web build (a static server cannot list folders).
pub const PACK_INDEX: &str = "pack/files.json";

/// moveOn values for `--move-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MoveOnArg {
    Passed,
    Completed,
    CompletedAndPassed,
    CompletedOrPassed,
    NotApplicable,
}

impl From<MoveOnArg> for MoveOn {
    fn from(m: MoveOnArg) -> MoveOn {
        match m {
            MoveOnArg::Passed => MoveOn::Passed,
            MoveOnArg::Completed => MoveOn::Completed,
            MoveOnArg::CompletedAndPassed => MoveOn::CompletedAndPassed,
            MoveOnArg::CompletedOrPassed => MoveOn::CompletedOrPassed,
            MoveOnArg::NotApplicable => MoveOn::NotApplicable,
        }
    }
}

/// The pack's files for a web build, as (path under `pack/`, bytes), sorted: regular
/// files inside the pack (symlinks followed only when they stay inside), hidden files
/// and folders skipped, each read with the pack's 1 MB limit.
pub fn pack_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = vec![];
    walk(root, root, 0, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), String> {
    if depth > 8 {
        return Err(format!("{}: folders nested too deep", dir.display()));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries {
        let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        check_inside(root, &path).map_err(|m| format!("{}: {m}", path.display()))?;
        let meta = std::fs::metadata(&path).map_err(|m| format!("{}: {m}", path.display()))?;
        if meta.is_dir() {
            walk(root, &path, depth + 1, out)?;
        } else if meta.is_file() {
            let bytes =
                read_regular(&path, "pack").map_err(|m| format!("{}: {m}", path.display()))?;
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect();
            out.push((rel.join("/"), bytes));
        }
    }
    Ok(())
}

/// The files of a web build (`index.html`, wasm, JS), sorted, without its own `pack/`.
fn web_files(web: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    if !web.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the web version first (scripts/web.sh), or give its folder with --web",
            web.display()
        ));
    }
    let mut out = vec![];
    let mut stack = vec![web.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
            let path = e.path();
            let rel = path
                .strip_prefix(web)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let meta =
                std::fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            if rel == PACK_DIR || rel.starts_with('.') {
                continue;
            }
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                out.push((rel, bytes));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes `entries` as a deterministic zip to `out`, through a temporary file.
pub fn write_zip(out: &Path, entries: &[(String, Vec<u8>)]) -> Result<(), String> {
    use zip::write::SimpleFileOptions;
    let tmp = out.with_extension("zip.partial");
    let run = || -> Result<(), String> {
        let file = std::fs::File::create(&tmp)
            .map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
        let mut z = zip::ZipWriter::new(file);
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (name, bytes) in entries {
            z.start_file(name.as_str(), opts)
                .map_err(|e| format!("{name}: {e}"))?;
            z.write_all(bytes).map_err(|e| format!("{name}: {e}"))?;
        }
        let file = z
            .finish()
            .map_err(|e| format!("cannot finish the zip: {e}"))?;
        file.sync_all()
            .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, out).map_err(|e| format!("cannot write {}: {e}", out.display()))
    };
    let r = run();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

fn load(pack_dir: &Path) -> Result<crate::scenario::load::Pack, i32> {
    super::commands::pack_or_exit_pub(pack_dir)
}

/// `firstline package cmi5`.
pub fn cmi5_cmd(pack_dir: &Path, base_url: &str, out: &Path, move_on: MoveOnArg) -> i32 {
    let pack = match load(pack_dir) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let course = Course::from_pack(&pack, move_on.into());
    let xml = match cmi5_xml(&course, base_url) {
        Ok(x) => x,
        Err(e) => {
            errln!("error: {e}");
            return 2;
        }
    };
    match write_zip(out, &[("cmi5.xml".into(), xml.into_bytes())]) {
        Ok(()) => {
            outln!(
                "wrote {} ({} AUs launching {}/index.html)",
                out.display(),
                course.units.len(),
                base_url.trim_end_matches('/')
            );
            0
        }
        Err(e) => {
            errln!("error: {e}");
            2
        }
    }
}

/// `firstline package scorm`.
pub fn scorm_cmd(pack_dir: &Path, web: &Path, out: &Path) -> i32 {
    let pack = match load(pack_dir) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let built = web_files(web).and_then(|mut files| {
        let pack = pack_files(pack_dir)?;
        let list: Vec<&str> = pack.iter().map(|(p, _)| p.as_str()).collect();
        let index = serde_json::to_vec(&list).map_err(|e| e.to_string())?;
        files.extend(
            pack.iter()
                .map(|(p, b)| (format!("{PACK_DIR}/{p}"), b.clone())),
        );
        files.push((PACK_INDEX.into(), index));
        files.sort();
        Ok(files)
    });
    let mut files = match built {
        Ok(f) => f,
        Err(e) => {
            errln!("error: {e}");
            return 2;
        }
    };
    let course = Course::from_pack(&pack, MoveOn::Passed);
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    files.insert(
        0,
        (
            "imsmanifest.xml".into(),
            scorm_manifest(&course, &names).into_bytes(),
        ),
    );
    match write_zip(out, &files) {
        Ok(()) => {
            outln!(
                "wrote {} ({} items, {} files)",
                out.display(),
                course.units.len(),
                files.len()
            );
            0
        }
        Err(e) => {
            errln!("error: {e}");
            2
        }
    }
}
