//! The `list`, `test` and `playtest` subcommands and their exit codes.

mod common;
use assert_cmd::Command;
use common::{Out, out};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Out {
    let o = Command::cargo_bin("firstline")
        .expect("the firstline binary")
        .current_dir(root())
        .args(args)
        .output()
        .expect("run firstline");
    out(o, &format!("{args:?}"))
}

#[test]
fn list_json_describes_every_scenario() {
    let o = run(&["list", "--format", "json"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    let arr = v.as_array().expect("a JSON array");
    assert!(!arr.is_empty());
    for s in arr {
        for key in ["id", "title", "difficulty", "channel"] {
            assert!(s[key].is_string(), "`{key}` in {s}");
        }
        let skills = s["skills"].as_array().expect("skills is an array");
        assert!(
            !skills.is_empty() && skills.iter().all(|k| k.is_string()),
            "{s}"
        );
    }
    let pr = arr
        .iter()
        .find(|s| s["id"] == "password-reset")
        .expect("password-reset is listed");
    assert_eq!(pr["difficulty"], "Beginner");
    assert_eq!(pr["channel"], "Phone");
    assert!(
        pr["skills"]
            .as_array()
            .unwrap()
            .contains(&"Security".into())
    );
}

#[test]
fn test_runs_every_bundled_playtest() {
    let o = run(&["test", "scenarios"]);
    assert_eq!(
        o.code,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        o.stdout,
        o.stderr
    );
    let last = o.stdout.lines().last().expect("output");
    let n: usize = last
        .strip_suffix(" passed, 0 failed")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("last line was `{last}`"));
    assert!(n >= 1, "{last}");
    assert_eq!(o.stdout.lines().filter(|l| l.starts_with("ok ")).count(), n);
}

#[test]
fn playtest_json_scorecard() {
    let o = run(&[
        "playtest",
        "password-reset",
        "--actions",
        "scenarios/playtests/password-reset-expert-expired.ron",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    for key in [
        "scenario",
        "seed",
        "variant",
        "resolved",
        "overall",
        "passed",
        "dimensions",
        "criteria",
        "feedback",
    ] {
        assert!(v.get(key).is_some(), "missing `{key}` in {v}");
    }
    assert_eq!(v["scenario"], "password-reset");
    assert_eq!(v["seed"], 5);
    assert_eq!(v["variant"], "expired");
    assert_eq!(v["resolved"], true);
    assert_eq!(v["passed"], true);
    assert!(v["overall"].as_u64().is_some_and(|x| x <= 100));
    for d in ["technical", "empathy", "documentation", "escalation"] {
        assert!(
            v["dimensions"][d].as_u64().is_some_and(|x| x <= 100),
            "dimensions.{d} in {v}"
        );
    }
    assert!(v["criteria"].as_array().is_some_and(|c| !c.is_empty()));
    assert!(v["feedback"].is_array());
}

#[test]
fn playtest_with_bad_action_log_reports_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("actions.ron");
    std::fs::write(
        &log,
        "[\n    Say(\"greet_ack\"),\n    Say(\"verify_idd\"),\n]\n",
    )
    .unwrap();
    let log = log.to_str().unwrap();
    let o = run(&["playtest", "password-reset", "--actions", log]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    let prefix = format!("{log}:3:5: error: ");
    assert!(
        o.stderr
            .lines()
            .any(|l| l.starts_with(&prefix) && l.contains("no dialogue option `verify_idd`")),
        "{}",
        o.stderr
    );
    assert!(
        o.stdout.is_empty(),
        "no scorecard for a bad log: {}",
        o.stdout
    );

    // A syntax error in the log.
    let log2 = dir.path().join("broken.ron");
    std::fs::write(
        &log2,
        "[\n    Say(\"greet_ack\")\n    Say(\"verify_id\"),\n]\n",
    )
    .unwrap();
    let log2 = log2.to_str().unwrap();
    let o = run(&["playtest", "password-reset", "--actions", log2]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!("{log2}:3:5: error: ")),
        "{}",
        o.stderr
    );
}

#[test]
fn playtest_unknown_scenario_exits_2() {
    let o = run(&[
        "playtest",
        "no-such-scenario",
        "--actions",
        "scenarios/playtests/password-reset-expert-expired.ron",
    ]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr.contains("no scenario `no-such-scenario`"),
        "{}",
        o.stderr
    );
}

#[test]
fn playtest_missing_action_log_exits_2() {
    let o = run(&[
        "playtest",
        "password-reset",
        "--actions",
        "scenarios/playtests/no-such-log.ron",
    ]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
}
