//! The one file-access policy for packs, used by every loader (`validate`, the game,
//! `lint`, play-tests, CLI paths) and by `new scenario`'s writes:
//!
//! - a pack file is resolved (symlinks followed) and must stay inside the pack folder;
//!   a link leading out is refused with a located error that names neither the target
//!   nor its contents;
//! - only regular files are read: FIFOs, devices, sockets and folders are refused before
//!   they are opened (and checked again on the open handle, opened non-blocking);
//! - every read is bounded while reading ([`MAX_FILE_BYTES`]), not after.

use super::diagnostic::Diagnostic;
pub use super::doc::MAX_FILE_BYTES;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What kind of thing a path is, for messages.
fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn too_large(what: &str, len: Option<u64>) -> String {
    let size = match len {
        Some(n) => format!("{:.1} MB", n as f64 / 1_048_576.0),
        None => format!("more than {} KB", MAX_FILE_BYTES / 1024),
    };
    format!(
        "the file is {size}; {what} files are limited to {} KB — split it or remove unused content",
        MAX_FILE_BYTES / 1024
    )
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Missing, unreadable, or not a regular file.
    Unreadable(String),
    /// Over [`MAX_FILE_BYTES`] (an authoring problem, reported like the others).
    TooLarge(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Unreadable(m) | ReadError::TooLarge(m) => f.write_str(m),
        }
    }
}

impl From<ReadError> for String {
    fn from(e: ReadError) -> String {
        e.to_string()
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]. `what` names the kind of file in
/// messages ("scenario", "action log"...). Never blocks on a FIFO, never reads past the
/// limit.
pub fn read_regular(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    read_file(path, what).map_err(String::from)
}

/// [`read_regular`] with the kind of failure.
pub fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, ReadError> {
    use ReadError::*;
    let cannot = |e: std::io::Error| Unreadable(format!("cannot read the file: {e}"));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Unreadable(format!(
            "this is {}; expected a regular {what} file",
            kind(&meta.file_type())
        )));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(TooLarge(too_large(what, Some(meta.len()))));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(cannot)?;
    // The path may have been swapped since the check: check what was opened.
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(Unreadable(format!(
            "this is {}; expected a regular {what} file",
            kind(&meta.file_type())
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(TooLarge(too_large(what, None)));
    }
    Ok(bytes)
}

/// The pack folder with symlinks resolved (itself when it cannot be resolved).
pub fn canonical_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Checks that `path`, with every symlink followed, lies inside the pack folder `root`.
/// A path that does not exist yet is checked through its nearest existing ancestor.
pub fn check_inside(root: &Path, path: &Path) -> Result<(), String> {
    let root = canonical_root(root);
    let mut probe = path.to_path_buf();
    let mut rest = vec![];
    let resolved = loop {
        match std::fs::canonicalize(&probe) {
            Ok(p) => break p,
            Err(_) => {
                // A dangling symlink is refused outright: where it points is unknown.
                if std::fs::symlink_metadata(&probe).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(
                        "this is a symbolic link to nothing; packs may only link to files inside their own folder"
                            .into(),
                    );
                }
                match (probe.file_name(), probe.parent()) {
                    (Some(name), Some(parent)) => {
                        rest.push(name.to_os_string());
                        probe = parent.to_path_buf();
                        if probe.as_os_str().is_empty() {
                            probe = PathBuf::from(".");
                        }
                    }
                    _ => return Ok(()),
                }
            }
        }
    };
    if resolved.starts_with(&root) {
        Ok(())
    } else {
        Err(
            "this path leads outside the pack folder (through a symbolic link); packs may only link to files inside their own folder"
                .into(),
        )
    }
}

/// Reads a file of the pack at `root` under the policy; the error is located at the file.
pub fn read_in_pack(root: &Path, path: &Path, what: &str) -> Result<Vec<u8>, Diagnostic> {
    check_inside(root, path)
        .and_then(|()| read_regular(path, what))
        .map_err(|m| Diagnostic::error(path, 1, 1, m))
}

/// Creates a new file inside the pack at `root`, never through a symlink and never over
/// an existing file.
pub fn create_in_pack(root: &Path, path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    check_inside(root, path).map_err(|m| format!("{}: {m}", path.display()))?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn issue12_devices_fifos_and_folders_are_refused_without_reading() {
        assert!(
            read_regular(Path::new("/dev/zero"), "scenario")
                .unwrap_err()
                .contains("character device")
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.ron");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(
            read_regular(&fifo, "scenario")
                .unwrap_err()
                .contains("FIFO")
        );
        assert!(
            read_regular(dir.path(), "scenario")
                .unwrap_err()
                .contains("folder")
        );
    }

    #[test]
    fn issue12_reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("big.ron");
        std::fs::write(&f, vec![b' '; MAX_FILE_BYTES + 1]).unwrap();
        assert!(
            read_regular(&f, "scenario")
                .unwrap_err()
                .contains("limited to 1024 KB")
        );
        std::fs::write(&f, vec![b' '; MAX_FILE_BYTES]).unwrap();
        assert_eq!(read_regular(&f, "scenario").unwrap().len(), MAX_FILE_BYTES);
    }

    #[test]
    fn issue12_symlinks_must_stay_inside_the_pack() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        std::fs::create_dir_all(pack.join("kb")).unwrap();
        std::fs::write(dir.path().join("secret"), "top secret").unwrap();
        std::fs::write(pack.join("kb/a.md"), "# A").unwrap();
        symlink("a.md", pack.join("kb/inside.md")).unwrap();
        symlink(dir.path().join("secret"), pack.join("kb/out.md")).unwrap();
        symlink("/", pack.join("img")).unwrap();
        symlink(dir.path().join("nowhere"), pack.join("kb/dangling.md")).unwrap();
        assert!(check_inside(&pack, &pack.join("kb/inside.md")).is_ok());
        assert!(check_inside(&pack, &pack.join("kb/new.md")).is_ok());
        for bad in [
            "kb/out.md",
            "img/etc/shadow",
            "img/nonexistent",
            "kb/dangling.md",
        ] {
            let e = read_in_pack(&pack, &pack.join(bad), "knowledge-base").unwrap_err();
            assert!(!e.message.contains("secret") && e.line == 1, "{bad}: {e}");
        }
        let e = create_in_pack(&pack, &pack.join("kb/dangling.md"), "x").unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        assert!(!dir.path().join("nowhere").exists());
        assert!(create_in_pack(&pack, &pack.join("img/tmp/x"), "x").is_err());
        create_in_pack(&pack, &pack.join("kb/new.md"), "x").unwrap();
        assert!(create_in_pack(&pack, &pack.join("kb/new.md"), "y").is_err());
    }
}
