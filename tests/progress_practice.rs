//! Issue 6: self-paced practice and xAPI statements, checked on the bundled pack.

use firstline::playtest;
use firstline::progress::recommend::{recommend, seed_avoiding};
use firstline::progress::{AttemptSummary, NewAttempt, Store};
use firstline::scenario::load::{Pack, load_pack};
use firstline::session::Session;
use firstline::xapi::validate::problems;
use std::path::Path;
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;

fn pack() -> Pack {
    load_pack(Path::new("scenarios")).unwrap().0.unwrap()
}

/// Saves every play-test of the pack as an attempt by one trainee; returns the store.
fn store_with_all_playtests(dir: &Path, pack: &Pack) -> Store {
    let mut store = Store::open(Some(dir)).unwrap();
    let sam = store.create_profile("Sam").unwrap();
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    for (i, t) in pack.playtests.iter().enumerate() {
        let run = playtest::run(&t.scenario, t.seed, &t.actions);
        let rec = NewAttempt::from_session(
            &run.session,
            &run.scorecard,
            t0 + Duration::from_secs(600 * i as u64),
            Duration::from_millis(61_500 + i as u64),
        );
        store.save_attempt(&sam, &rec).unwrap();
    }
    store
}

#[test]
fn issue_6_every_statement_is_valid_xapi_1_0_3() {
    let pack = pack();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_all_playtests(dir.path(), &pack);
    let attempts = store.attempts(None);
    assert_eq!(attempts.len(), pack.playtests.len());
    let mut ids = std::collections::BTreeSet::new();
    for a in &attempts {
        let stored = store.statements_for(a.id);
        assert_eq!(stored.len(), 3, "{}", a.scenario_id);
        let verbs: Vec<String> = stored
            .iter()
            .map(|json| {
                let v: serde_json::Value = serde_json::from_str(json).unwrap();
                let p = problems(&v);
                assert!(p.is_empty(), "{}: {p:?}\n{v:#}", a.scenario_id);
                assert!(ids.insert(v["id"].as_str().unwrap().to_string()));
                assert_eq!(v["context"]["registration"], a.uuid.to_string());
                assert_eq!(
                    v["object"]["id"],
                    format!(
                        "https://northwind.example.com/training/firstline/scenarios/{}",
                        a.scenario_id
                    )
                );
                if !v["result"].is_null() {
                    assert_eq!(v["result"]["score"]["raw"], a.overall);
                    assert_eq!(v["result"]["success"], a.passed);
                    let ext = &v["result"]["extensions"];
                    for (name, score) in a.dimensions.named() {
                        let key = format!(
                            "https://northwind.example.com/training/firstline/extensions/{}",
                            name.to_lowercase()
                        );
                        assert_eq!(ext[&key], score, "{key}");
                    }
                    assert!(
                        v["result"]["duration"]
                            .as_str()
                            .unwrap()
                            .starts_with("PT1M1.")
                    );
                }
                v["verb"]["display"]["en-US"].as_str().unwrap().to_string()
            })
            .collect();
        let outcome = if a.passed { "passed" } else { "failed" };
        assert_eq!(verbs, ["attempted", "completed", outcome]);
    }
    assert_eq!(store.outbox_counts().unsent as usize, 3 * attempts.len());
}

fn summary(pack: &Pack, scenario: &str, overall: u32, dims: [u32; 4], day: i64) -> AttemptSummary {
    let s = pack.scenario(scenario).unwrap();
    let run = playtest::run(s, 1, &[]);
    let mut rec = NewAttempt::from_session(
        &run.session,
        &run.scorecard,
        SystemTime::UNIX_EPOCH,
        Duration::ZERO,
    )
    .summary;
    rec.overall = overall;
    rec.passed = overall >= 70;
    rec.dimensions.technical = dims[0];
    rec.dimensions.empathy = dims[1];
    rec.dimensions.documentation = dims[2];
    rec.dimensions.escalation = dims[3];
    rec.finished_at = (OffsetDateTime::UNIX_EPOCH + time::Duration::days(day))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    rec
}

#[test]
fn issue_6_a_new_trainee_is_sent_to_a_beginner_scenario() {
    let pack = pack();
    let r = recommend(&pack, &[], OffsetDateTime::UNIX_EPOCH).unwrap();
    let s = pack.scenario(&r.scenario).unwrap();
    assert_eq!(format!("{:?}", s.difficulty), "Beginner");
    assert!(r.reason.contains("not played yet"), "{}", r.reason);
    assert!(!r.reason.contains('\n'));
}

#[test]
fn issue_6_the_weakest_dimension_and_unplayed_scenarios_lead_the_choice() {
    let pack = pack();
    // Good at everything but empathy, on one beginner scenario.
    let played = pack
        .scenarios
        .iter()
        .find(|s| format!("{:?}", s.difficulty) == "Beginner")
        .unwrap()
        .id
        .clone();
    let history = vec![summary(&pack, &played, 62, [90, 35, 80, 85], 10)];
    let r = recommend(
        &pack,
        &history,
        OffsetDateTime::UNIX_EPOCH + time::Duration::days(11),
    )
    .unwrap();
    assert_ne!(r.scenario, played, "never the scenario just played");
    assert!(r.reason.contains("empathy"), "{}", r.reason);
    let s = pack.scenario(&r.scenario).unwrap();
    assert_eq!(format!("{:?}", s.difficulty), "Beginner");
    assert!(
        s.skills.iter().any(|k| matches!(
            format!("{k:?}").as_str(),
            "Empathy" | "Communication" | "Training"
        )),
        "{:?}",
        s.skills
    );
}

#[test]
fn issue_6_meeting_the_pass_mark_moves_the_trainee_up_a_level() {
    let pack = pack();
    let beginners: Vec<String> = pack
        .scenarios
        .iter()
        .filter(|s| format!("{:?}", s.difficulty) == "Beginner")
        .map(|s| s.id.clone())
        .collect();
    // Issue 13: a level takes several recent passes across different scenarios.
    let history: Vec<AttemptSummary> = beginners
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, id)| summary(&pack, id, 88, [90, 85, 85, 90], i as i64))
        .collect();
    let r = recommend(
        &pack,
        &history,
        OffsetDateTime::UNIX_EPOCH + time::Duration::days(3),
    )
    .unwrap();
    let s = pack.scenario(&r.scenario).unwrap();
    assert_eq!(
        format!("{:?}", s.difficulty),
        "Intermediate",
        "{}",
        r.reason
    );
    assert!(r.reason.contains("mastered beginner"), "{}", r.reason);
}

#[test]
fn issue_6_a_new_variant_never_repeats_the_last_one_when_another_exists() {
    let pack = pack();
    let mut multi = 0;
    for s in &pack.scenarios {
        let distinct: std::collections::BTreeSet<String> = (0..200u64)
            .map(|seed| Session::new(s, seed).variant_key().to_string())
            .collect();
        for seed in 0..40u64 {
            let last = Session::new(s, seed).variant_key().to_string();
            let fresh = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let next = seed_avoiding(s, Some(&last), fresh);
            let again = Session::new(s, next).variant_key().to_string();
            if distinct.len() > 1 {
                assert_ne!(again, last, "{}: seed {next}", s.id);
            } else {
                assert_eq!(next, fresh, "{}: one variant, the fresh seed is kept", s.id);
            }
        }
        if distinct.len() > 1 {
            multi += 1;
        }
    }
    assert!(
        multi >= 5,
        "the pack should have several multi-variant scenarios"
    );
}

/// Copies the bundled pack into a scratch folder for editing.
fn copy_pack(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let dest = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &dest);
            } else {
                std::fs::copy(e.path(), dest).unwrap();
            }
        }
    }
    copy(Path::new("scenarios"), to);
}

#[test]
fn issue_6_an_attempt_on_an_older_scenario_version_keeps_its_recorded_scores() {
    let pack = pack();
    let t = pack
        .playtests
        .iter()
        .find(|t| t.expert && t.scenario.id == "password-reset")
        .unwrap();
    let run = playtest::run(&t.scenario, t.seed, &t.actions);
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(Some(data.path())).unwrap();
    let sam = store.create_profile("Sam").unwrap();
    let rec = NewAttempt::from_session(
        &run.session,
        &run.scorecard,
        SystemTime::now(),
        Duration::from_secs(90),
    );
    let id = store.save_attempt(&sam, &rec).unwrap();
    let stored = store.attempt(id).unwrap();

    // The instructor releases version 2 with a stricter pass mark.
    let edited = tempfile::tempdir().unwrap();
    copy_pack(edited.path());
    let f = edited.path().join("password-reset.ron");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        text.replacen(
            "    difficulty: Beginner,",
            "    version: 2,\n    difficulty: Beginner,",
            1,
        ),
    )
    .unwrap();
    let p = edited.path().join("pack.ron");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("pass_mark: 70", "pass_mark: 100")).unwrap();
    let newer = load_pack(edited.path()).unwrap().0.unwrap();
    let r = firstline::progress::replay::replay(&newer, &stored).unwrap();
    assert_eq!(r.scorecard, run.scorecard, "the recorded scores are shown");
    let note = r.note.expect("the debrief says the scenario changed");
    assert!(
        note.contains("version 1") && note.contains("version 2"),
        "{note}"
    );

    // A scenario removed from the pack cannot be replayed, and says so.
    std::fs::remove_file(&f).unwrap();
    for e in std::fs::read_dir(edited.path().join("playtests")).unwrap() {
        let e = e.unwrap();
        if e.file_name()
            .to_string_lossy()
            .starts_with("password-reset")
        {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    // Shifts schedule it too (issue 14): they go with it, as its play-tests did.
    std::fs::remove_dir_all(edited.path().join("shifts")).unwrap();
    let gone = load_pack(edited.path()).unwrap().0.unwrap();
    let e = firstline::progress::replay::replay(&gone, &stored).unwrap_err();
    assert!(e.contains("no longer in the pack"), "{e}");
}
