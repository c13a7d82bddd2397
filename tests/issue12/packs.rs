//! One file-access policy for packs: paths stay inside the pack after symlinks, only
//! regular files are read, reads are bounded while reading, and no error prints a file
//! from outside the pack — for `validate`, the loader the game uses, CLI paths and
//! `new scenario`'s writes.

use super::*;
use std::os::unix::fs::symlink;

/// A copy of the bundled pack in `dir/pack`.
pub fn pack_copy(dir: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    let pack = dir.join("pack");
    copy(&root().join("scenarios"), &pack);
    pack
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

fn cmd(home: &Path, args: &[&str]) -> Out {
    let mut c = firstline(home);
    c.args(args).timeout(Duration::from_secs(30));
    run(c, &format!("{args:?}"))
}

fn validate(home: &Path, path: &Path) -> Out {
    cmd(home, &["validate", path.to_str().unwrap()])
}

/// A secret outside the pack whose first line must never be printed.
fn secret(dir: &Path) -> PathBuf {
    let f = dir.join("shadow");
    std::fs::write(&f, "root:SECRET-HASH-ISSUE12:19000:0:99999:7:::\n").unwrap();
    f
}

#[test]
fn issue12_kb_symlink_to_dev_zero_or_a_fifo_is_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = pack_copy(tmp.path());
    symlink("/dev/zero", pack.join("kb/zero.md")).unwrap();
    mkfifo(&pack.join("kb/pipe.md"));
    mkfifo(&pack.join("playtests/pipe.ron"));
    let t = std::time::Instant::now();
    let o = validate(tmp.path(), &pack);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr.contains("kb/zero.md:1:1: error:")
            && o.stderr
                .contains("kb/pipe.md:1:1: error: this is a named pipe (FIFO)")
            && o.stderr
                .contains("playtests/pipe.ron:1:1: error: this is a named pipe"),
        "{}",
        o.stderr
    );
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    // The loader the game uses says the same.
    let (p, diags) = load_pack(&pack).unwrap();
    assert!(p.is_none() && diags.iter().any(|d| d.path.ends_with("kb/zero.md")));
}

#[test]
fn issue12_cli_paths_to_devices_and_fifos_are_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("s.ron");
    mkfifo(&fifo);
    for p in [Path::new("/dev/zero"), fifo.as_path()] {
        let t = std::time::Instant::now();
        let o = validate(tmp.path(), p);
        assert_eq!(o.code, Some(2), "{}", o.stderr);
        assert!(
            o.stderr.contains("expected a regular scenario file"),
            "{}",
            o.stderr
        );
        assert!(t.elapsed() < Duration::from_secs(20));
    }
    let o = cmd(
        tmp.path(),
        &["playtest", "password-reset", "--actions", "/dev/zero"],
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("character device"), "{}", o.stderr);
    let o = cmd(
        tmp.path(),
        &[
            "playtest",
            "password-reset",
            "--actions",
            fifo.to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
}

#[test]
fn issue12_symlink_out_of_the_pack_never_prints_the_target() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = pack_copy(tmp.path());
    let shadow = secret(tmp.path());
    std::fs::remove_file(pack.join("kb/password-reset.md")).ok();
    symlink(&shadow, pack.join("kb/password-reset.md")).unwrap();
    symlink(&shadow, pack.join("leak.ron")).unwrap();
    let o = validate(tmp.path(), &pack);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(!o.stderr.contains("SECRET"), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("kb/password-reset.md:1:1: error: this path leads outside the pack"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("leak.ron:1:1: error: this path leads outside")
    );
    // Named on the command line, inside the pack folder: the same.
    let o = validate(tmp.path(), &pack.join("leak.ron"));
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(!o.stderr.contains("SECRET"), "{}", o.stderr);
    // A link within the pack is fine.
    std::fs::remove_file(pack.join("leak.ron")).unwrap();
    std::fs::remove_file(pack.join("kb/password-reset.md")).unwrap();
    std::fs::copy(
        root().join("scenarios/kb/password-reset.md"),
        pack.join("kb/real.txt"),
    )
    .unwrap();
    symlink("real.txt", pack.join("kb/password-reset.md")).unwrap();
    let o = validate(tmp.path(), &pack);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

#[test]
fn issue12_portrait_through_a_symlinked_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = pack_copy(tmp.path());
    symlink("/", pack.join("img")).unwrap();
    let f = pack.join("password-reset.ron");
    let text = std::fs::read_to_string(&f).unwrap();
    let text = text.replacen(
        "customer: (",
        "customer: (\n        portrait: \"img/etc/passwd\",",
        1,
    );
    std::fs::write(&f, text).unwrap();
    let o = validate(tmp.path(), &pack);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("customer.portrait: `img/etc/passwd`: this path leads outside the pack"),
        "{}",
        o.stderr
    );
}

#[test]
fn issue12_new_scenario_never_writes_through_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = pack_copy(tmp.path());
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    // A play-test path that is a dangling link to a file outside the pack.
    symlink(
        outside.join("pwned.ron"),
        pack.join("playtests/fresh-expert.ron"),
    )
    .unwrap();
    let o = cmd(
        tmp.path(),
        &["new", "scenario", "fresh", "--pack", pack.to_str().unwrap()],
    );
    assert_ne!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(!outside.join("pwned.ron").exists());
    assert!(!pack.join("fresh.ron").exists(), "nothing half-written");
    // The whole playtests/ folder linked outside.
    std::fs::remove_file(pack.join("playtests/fresh-expert.ron")).unwrap();
    std::fs::rename(pack.join("playtests"), tmp.path().join("pt")).unwrap();
    symlink(&outside, pack.join("playtests")).unwrap();
    let o = cmd(
        tmp.path(),
        &["new", "scenario", "fresh", "--pack", pack.to_str().unwrap()],
    );
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("leads outside the pack"), "{}", o.stderr);
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert!(!pack.join("fresh.ron").exists());
}
