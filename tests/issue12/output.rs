//! What the CLI prints: reports escape formula cells and control characters; a closed
//! pipe or a full stderr ends the command quietly with a non-zero exit (never a panic);
//! a BOM is accepted, CR-only line endings are handled, NUL is refused with a location.

use super::packs::pack_copy;
use super::*;
use std::process::Stdio;

#[test]
fn issue12_reports_escape_formula_cells_and_control_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let names = [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "\u{1b}[2JWiped\nFake — 99 attempt(s)",
    ];
    for n in names {
        data_with_attempts(&data, n, 1);
    }
    let report = |fmt: &str| {
        let mut c = firstline(tmp.path());
        c.arg("--data-dir")
            .arg(&data)
            .args(["report", "--format", fmt]);
        run(c, "report")
    };
    let o = report("csv");
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let mut r = csv::Reader::from_reader(o.stdout.as_bytes());
    let trainees: Vec<String> = r
        .records()
        .map(|x| x.unwrap()[0].to_string())
        .filter(|t| t != "*")
        .collect();
    for t in &trainees {
        assert!(!t.starts_with(['=', '+', '-', '@']), "formula cell: {t:?}");
    }
    assert!(trainees.contains(&format!("'{}", names[0])), "{trainees:?}");
    let o = report("text");
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(!o.stdout.contains('\u{1b}'), "{}", o.stdout);
    assert!(
        !o.stdout.lines().any(|l| l.starts_with("Fake")),
        "a name must not make its own line:\n{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("\\u{1b}[2JWiped\\u{a}Fake"),
        "{}",
        o.stdout
    );
    // JSON keeps the exact names (JSON escapes them itself).
    let o = report("json");
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(
        v["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["trainee"] == names[3])
    );
}

/// Runs firstline with stdout or stderr connected to a pipe nobody reads (read end
/// closed) or to /dev/full.
fn run_broken(home: &Path, args: &[&str], stdout_broken: bool, stderr: Stdio) -> Out {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("firstline"));
    c.current_dir(root()).env("HOME", home).args(args);
    if stdout_broken {
        c.stdout(writer).stderr(Stdio::piped());
    } else {
        c.stdout(Stdio::piped()).stderr(stderr);
    }
    let o = c.output().unwrap();
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn issue12_closed_pipes_and_full_stderr_exit_non_zero_without_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let full = || {
        Stdio::from(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
    };
    let closed_pipe = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Stdio::from(writer)
    };
    // stdout closed: `firstline list | head -0`.
    for args in [
        &["list"][..],
        &["validate", "scenarios", "--format", "json"],
    ] {
        let o = run_broken(tmp.path(), args, true, Stdio::null());
        assert!(!o.stderr.contains("panicked"), "{args:?}: {}", o.stderr);
        assert_eq!(o.code, Some(2), "{args:?}: {}", o.stderr);
    }
    // stderr full or closed: `firstline validate BAD 2>/dev/full`, `2>&1 | head -0`.
    for (what, err) in [("full", full()), ("closed", closed_pipe())] {
        let o = run_broken(
            tmp.path(),
            &["validate", "tests/bad/multiple-type-errors.ron"],
            false,
            err,
        );
        assert_eq!(o.code, Some(1), "stderr {what}");
        let o = run_broken(
            tmp.path(),
            &["validate", "scenarios"],
            false,
            if what == "full" {
                full()
            } else {
                closed_pipe()
            },
        );
        assert_eq!(o.code, Some(2), "stderr {what}: ok but unreported");
    }
}

fn validate(home: &Path, path: &Path) -> Out {
    let mut c = firstline(home);
    c.args(["validate", path.to_str().unwrap()]);
    run(c, "validate")
}

#[test]
fn issue12_bom_is_stripped_and_cr_only_line_endings_are_handled() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = pack_copy(tmp.path());
    let bom = |p: &Path| {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend(std::fs::read(p).unwrap());
        std::fs::write(p, b).unwrap();
    };
    bom(&pack.join("pack.ron"));
    bom(&pack.join("password-reset.ron"));
    bom(&pack.join("kb/password-reset.md"));
    let pt = std::fs::read_dir(pack.join("playtests"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    bom(&pt);
    let cr = |p: &Path| {
        let t = std::fs::read_to_string(p)
            .unwrap()
            .replace("\r\n", "\n")
            .replace('\n', "\r");
        std::fs::write(p, t).unwrap();
    };
    cr(&pack.join("printer-queue.ron"));
    cr(&pack.join("kb/printing-nothing-prints.md"));
    let o = validate(tmp.path(), &pack);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    // Errors in a CR-only file are still located by line.
    let f = pack.join("printer-queue.ron");
    let t = std::fs::read_to_string(&f).unwrap().replacen(
        "difficulty:",
        "difficulty: 3,\r    dificulty:",
        1,
    );
    let line = t[..t.find("dificulty").unwrap()].matches('\r').count() + 1;
    std::fs::write(&f, t).unwrap();
    let o = validate(tmp.path(), &f);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr
            .contains(&format!("printer-queue.ron:{line}:5: error:")),
        "want line {line}: {}",
        o.stderr
    );
}

#[test]
fn issue12_nul_in_strings_is_refused_with_its_location() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = pack_copy(tmp.path());
    let f = pack.join("password-reset.ron");
    let text = std::fs::read_to_string(&f).unwrap();
    let at = text.find("title: \"").unwrap() + "title: \"".len();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    for (insert, what) in [
        ("\0", "NUL character (byte 0x00)"),
        ("\\u{0}", "NUL character"),
        ("\\0", "NUL character"),
    ] {
        let mut t = text.clone();
        t.insert_str(at, insert);
        std::fs::write(&f, &t).unwrap();
        let o = validate(tmp.path(), &f);
        assert_eq!(o.code, Some(1), "{insert:?}: {}", o.stderr);
        assert!(
            o.stderr
                .contains(&format!("password-reset.ron:{line}:{col}: error:"))
                && o.stderr.contains(what),
            "{insert:?} at {line}:{col}: {}",
            o.stderr
        );
    }
}
