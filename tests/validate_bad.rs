//! `firstline validate` on a corpus of bad scenario files (tests/bad/).
//!
//! Every file in tests/bad/ (except pack.ron) is a small variation of the bundled
//! scenarios/password-reset.ron. Each one must be rejected with exit code 1 and a
//! diagnostic `PATH:LINE:COL: error: ...` at the expected place, in text and JSON form,
//! without panicking. Two inputs too big to commit (a >10 MB file and 10,000 nested
//! brackets) are generated into a temporary pack.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// file name in tests/bad/ → (line, column, message substring) of one expected error.
const EXPECTED: &[(&str, usize, usize, &str)] = &[
    // Custom systems (tests/bad/systems/erp.ron defines the `erp` kind).
    (
        "custom-unknown-kind.ron",
        35,
        20,
        "no system kind `erpp` (did you mean `erp`?)",
    ),
    (
        "custom-unknown-attribute.ron",
        36,
        61,
        "no attribute of `erp` called `sod_enforcd`",
    ),
    (
        "custom-wrong-type.ron",
        36,
        62,
        "found `\"yes\"`; expected `true` or `false`",
    ),
    (
        "custom-change-missing-record.ron",
        45,
        20,
        "`ledger` has no record `dwhitfeld` in `users`",
    ),
    (
        "custom-unknown-tool.ron",
        141,
        32,
        "no custom tool `erp_usr`",
    ),
    (
        "custom-condition-bad-field.ron",
        151,
        94,
        "no field of `users` called `stauts` (did you mean `status`?)",
    ),
    // Syntax.
    ("syntax-unclosed-paren.ron", 2, 9, "`(` is never closed"),
    (
        "syntax-missing-comma.ron",
        5,
        5,
        "expected `,` between fields",
    ),
    (
        "syntax-unclosed-string.ron",
        166,
        16,
        "string is never closed",
    ),
    ("syntax-bad-escape.ron", 4, 24, "escape"),
    (
        "syntax-missing-colon.ron",
        8,
        13,
        "expected `:` after field `channel`",
    ),
    ("syntax-stray-token.ron", 9, 14, "unexpected `@`"),
    ("empty.ron", 1, 1, "empty"),
    ("non-utf8.ron", 4, 20, "not valid UTF-8"),
    // Types.
    ("type-minutes-string.ron", 9, 14, "expected integer"),
    ("type-unknown-enum.ron", 6, 17, "`Easy`"),
    ("type-mood-out-of-range.ron", 17, 15, "out of bounds"),
    ("type-skills-not-list.ron", 7, 13, "expected opening `[`"),
    ("multiple-type-errors.ron", 9, 14, "expected integer"),
    // Structure.
    (
        "missing-required-field.ron",
        167,
        1,
        "missing the required field `summary`",
    ),
    (
        "unknown-field.ron",
        9,
        5,
        "unknown field `chanel` in Scenario (did you mean `channel`?)",
    ),
    // Dangling references.
    (
        "dangling-goto.ron",
        53,
        78,
        "no node `verfy` (did you mean `verify`?)",
    ),
    (
        "dangling-team.ron",
        140,
        42,
        "no team in pack.ron `helpdesk-l5`",
    ),
    (
        "dangling-kb.ron",
        136,
        28,
        "no knowledge-base article in kb/ `vpn-setup`",
    ),
    ("dangling-device.ron", 15, 17, "no device `LT-9999`"),
    ("dangling-flag.ron", 71, 56, "`identity_verifed`"),
    // Customer steps and spoken violations (issue 11).
    (
        "step-not-customer.ron",
        71,
        83,
        "`reset_password` is done by the help desk, not by the customer",
    ),
    (
        "step-unknown-device.ron",
        71,
        83,
        "no device called `LT-9999`",
    ),
    ("violation-no-reason.ron", 71, 78, "empty `reason`"),
    // Timers (issue 11).
    (
        "timer-every-zero.ron",
        38,
        39,
        "expected a period of at least 1 minute",
    ),
    (
        "timer-unknown-account.ron",
        38,
        42,
        "no account `dwhitfeld`",
    ),
    // Network segments (issue 11).
    ("segment-unknown.ron", 23, 65, "no segment `floor9`"),
    (
        "dangling-handoff-fact.ron",
        140,
        76,
        "no rubric fact `root-cause`",
    ),
    (
        "dangling-account-in-condition.ron",
        142,
        39,
        "no account `dwhitfeld`",
    ),
    // Dialogue graph.
    (
        "unreachable-node.ron",
        124,
        18,
        "node `orphan` can never be reached",
    ),
    ("no-ending.ron", 45, 15, "no reachable ending"),
    (
        "too-many-options.ron",
        104,
        23,
        "10 options; a node may offer at most 9",
    ),
    // Duplicates and variants.
    (
        "duplicate-option-id.ron",
        88,
        22,
        "duplicate dialogue option `hold`; it is already defined at line 78",
    ),
    (
        "duplicate-variant-id.ron",
        40,
        14,
        "duplicate variant `locked`",
    ),
    ("zero-weight.ron", 38, 32, "weight 0"),
    (
        "unresolvable.ron",
        142,
        20,
        "variant `expired` can never be resolved",
    ),
    // Paths.
    ("path-traversal-kb.ron", 136, 10, "`../secret` uses `..`"),
    (
        "absolute-portrait.ron",
        20,
        19,
        "`/etc/passwd` is an absolute path",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn firstline() -> Command {
    let mut c = Command::cargo_bin("firstline").expect("the firstline binary");
    c.current_dir(root());
    c
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Out {
    let o = firstline().args(args).output().expect("run firstline");
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Checks one rejected file in text and JSON form.
fn check_rejected(path: &str, line: usize, col: usize, needle: &str) {
    // Text.
    let o = run(&["validate", path]);
    assert!(
        !o.stderr.contains("panicked"),
        "{path}: the validator panicked:\n{}",
        o.stderr
    );
    assert_eq!(o.code, Some(1), "{path}: exit code; stderr:\n{}", o.stderr);
    let prefix = format!("{path}:{line}:{col}: error: ");
    assert!(
        o.stderr
            .lines()
            .any(|l| l.starts_with(&prefix) && l.contains(needle)),
        "{path}: expected a line starting `{prefix}` containing `{needle}`; got:\n{}",
        o.stderr
    );
    for l in o.stderr.lines().filter(|l| l.contains(": error: ")) {
        assert!(
            l.starts_with(&format!("{path}:")),
            "{path}: diagnostic for another file or without a location: {l}"
        );
    }

    // JSON.
    let o = run(&["validate", path, "--format", "json"]);
    assert!(!o.stderr.contains("panicked"), "{path}: panicked (json)");
    assert_eq!(o.code, Some(1), "{path}: exit code (json)");
    let v: serde_json::Value = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("{path}: stdout is not JSON ({e}):\n{}", o.stdout));
    let arr = v.as_array().expect("a JSON array");
    assert!(!arr.is_empty(), "{path}: empty JSON array");
    for d in arr {
        assert!(d["path"].is_string(), "{path}: {d}");
        assert!(d["line"].is_u64(), "{path}: {d}");
        assert!(d["column"].is_u64(), "{path}: {d}");
        assert!(
            d["severity"] == "error" || d["severity"] == "warning",
            "{path}: {d}"
        );
        assert!(d["message"].is_string(), "{path}: {d}");
    }
    assert!(
        arr.iter().any(|d| d["path"] == path
            && d["line"] == line
            && d["column"] == col
            && d["severity"] == "error"
            && d["message"].as_str().unwrap_or("").contains(needle)),
        "{path}: no JSON diagnostic at {line}:{col} containing `{needle}`:\n{}",
        o.stdout
    );
}

#[test]
fn corpus_has_at_least_20_files_and_each_has_an_expectation() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/bad"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron") && n != "pack.ron")
        .collect();
    files.sort();
    assert!(files.len() >= 20, "only {} bad files", files.len());
    for f in &files {
        assert!(
            EXPECTED.iter().any(|(n, ..)| n == f),
            "tests/bad/{f} has no entry in EXPECTED"
        );
    }
    for (n, ..) in EXPECTED {
        assert!(files.iter().any(|f| f == n), "EXPECTED names missing {n}");
    }
}

#[test]
fn every_bad_file_is_rejected_at_the_expected_location() {
    for (file, line, col, needle) in EXPECTED {
        check_rejected(&format!("tests/bad/{file}"), *line, *col, needle);
    }
}

#[test]
fn several_type_errors_are_all_reported_in_one_run() {
    let o = run(&["validate", "tests/bad/multiple-type-errors.ron"]);
    assert_eq!(o.code, Some(1));
    let p = "tests/bad/multiple-type-errors.ron";
    for (pos, needle) in [
        ("9:14", "minutes: found `\"twelve\"`; expected integer"),
        ("10:18", "sla_minutes: integer is out of bounds"),
        ("17:15", "expected integer"),
        ("138:15", "teaching: found `\"yes\"`; expected boolean"),
    ] {
        let prefix = format!("{p}:{pos}: error: ");
        assert!(
            o.stderr
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(needle)),
            "missing `{prefix}... {needle}` in:\n{}",
            o.stderr
        );
    }
    assert!(o.stderr.contains("4 error(s)"), "{}", o.stderr);
}

/// A temporary pack folder with the test corpus's pack.ron and kb/.
fn temp_pack() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let bad = root().join("tests/bad");
    std::fs::copy(bad.join("pack.ron"), dir.path().join("pack.ron")).unwrap();
    std::fs::create_dir(dir.path().join("kb")).unwrap();
    for e in std::fs::read_dir(bad.join("kb")).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join("kb").join(e.file_name())).unwrap();
    }
    dir
}

fn check_generated(dir: &Path, name: &str, bytes: &[u8], line: usize, col: usize, needle: &str) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    check_rejected(path.to_str().unwrap(), line, col, needle);
}

#[test]
fn generated_huge_and_deeply_nested_files_are_rejected() {
    let dir = temp_pack();
    // Sanity: the unmodified scenario validates in the temporary pack.
    let good = std::fs::read(root().join("scenarios/password-reset.ron")).unwrap();
    let ok_path = dir.path().join("password-reset.ron");
    std::fs::write(&ok_path, &good).unwrap();
    let o = run(&["validate", ok_path.to_str().unwrap()]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);

    // More than 10 MB: a valid scenario followed by a huge comment.
    let mut huge = good.clone();
    huge.extend_from_slice(b"// ");
    huge.resize(10 * 1024 * 1024 + 4096, b'x');
    huge.push(b'\n');
    check_generated(dir.path(), "huge.ron", &huge, 1, 1, "MB");

    // 10,000 nested `[`.
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    check_generated(dir.path(), "deep.ron", deep.as_bytes(), 1, 65, "nested");

    // 10,000 nested `[` inside the scenario's `kb` field, never closed.
    let text = String::from_utf8(good).unwrap();
    let at = text.find("kb: [").unwrap() + "kb: ".len();
    let (line, col0) = {
        let before = &text[..at];
        (
            before.matches('\n').count() + 1,
            before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1,
        )
    };
    let mut deep_in = text[..at].to_string();
    deep_in.push_str(&"[".repeat(10_000));
    // `Scenario(` is one level deep, so the 64th `[` is the 65th level.
    check_generated(
        dir.path(),
        "deep-in-field.ron",
        deep_in.as_bytes(),
        line,
        col0 + 63,
        "nested more than 64 levels",
    );
}

#[test]
fn missing_path_exits_2() {
    let o = run(&["validate", "tests/bad/no-such-file.ron"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("no such file"), "{}", o.stderr);
    assert!(!o.stderr.contains("panicked"));
}

#[test]
fn bundled_pack_validates_without_warnings() {
    let o = run(&["validate", "scenarios"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(
        !o.stderr.contains(": warning:") && !o.stderr.contains(": error:"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("0 warning(s)"), "{}", o.stderr);

    let o = run(&["validate", "scenarios", "--format", "json"]);
    assert_eq!(o.code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v, serde_json::json!([]));
}

/// Bad custom-system definitions (tests/bad-systems/systems/): each one located.
#[test]
fn issue11_bad_custom_system_definitions_are_located() {
    let o = run(&["validate", "tests/bad-systems"]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    for (file, pos, needle) in [
        (
            "collection-key-missing.ron",
            "13:34",
            "no field `username` in `users`",
        ),
        (
            "fix-patches-missing-field.ron",
            "70:30",
            "no field of `users` called `statuss`",
        ),
        (
            "table-unknown-collection.ron",
            "36:27",
            "has no collection `user`",
        ),
        (
            "template-missing-field.ron",
            "28:22",
            "template names `{rolez}`",
        ),
        (
            "test-wrong-type.ron",
            "52:48",
            "`AtLeast`/`AtMost` need a number",
        ),
        ("unknown-type.ron", "10:25", "`Boolean`"),
    ] {
        let prefix = format!("tests/bad-systems/systems/{file}:{pos}: error: ");
        assert!(
            o.stderr
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(needle)),
            "missing `{prefix}... {needle}` in:\n{}",
            o.stderr
        );
    }
}
