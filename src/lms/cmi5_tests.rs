//! A whole cmi5 session built by [`Cmi5Session`] and held to the cmi5 checker; each
//! rule the checker knows is broken once to show it is caught.

use super::*;
use crate::lms::launch_data::{LaunchData, LaunchMode};
use crate::lms::token::tests::{DATA, launch};
use crate::progress::record::{AttemptId, ProfileId};
use crate::scoring::Dimensions;
use crate::xapi::validate::cmi5::{registration_problems, session_problems};

pub(crate) fn attempt(overall: u32, passed: bool) -> AttemptSummary {
    AttemptSummary {
        id: AttemptId(1),
        uuid: uuid::Uuid::from_u128(7),
        profile: ProfileId(1),
        trainee: "Sam".into(),
        pack_id: "core".into(),
        pack_title: "Core".into(),
        pack_version: "1.0".into(),
        xapi_base: "https://firstline.example".into(),
        scenario_id: "password-reset".into(),
        scenario_title: "Password reset".into(),
        scenario_version: 1,
        difficulty: "Beginner".into(),
        variant: "locked".into(),
        seed: 42,
        started_at: "2026-12-08T10:00:05.000Z".into(),
        finished_at: "2026-12-08T10:04:05.000Z".into(),
        wall_ms: 240_000,
        sim_secs: 300,
        overall,
        passed,
        resolved: passed,
        dimensions: Dimensions {
            technical: overall,
            empathy: overall,
            documentation: overall,
            escalation: overall,
        },
    }
}

fn who() -> Trainee {
    Trainee {
        name: "Sam".into(),
        account: "u-1".into(),
    }
}

fn session(data: &str, prior: Prior, a: &AttemptSummary) -> (Cmi5Session, Vec<Value>) {
    let mut s = Cmi5Session::new(launch(), LaunchData::from_json(data).unwrap(), prior);
    let mut out = vec![s.initialized("2026-12-08T10:00:00.000Z").unwrap()];
    out.extend(s.finished(a, &who()));
    out.extend(s.terminated("2026-12-08T10:05:00.000Z", 300_000));
    (s, out)
}

fn verbs(st: &[Value]) -> Vec<String> {
    st.iter()
        .map(|s| {
            let v = s["verb"]["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap();
            if is_defined(s) {
                v.to_uppercase()
            } else {
                v.to_string()
            }
        })
        .collect()
}

#[test]
fn a_passed_session_is_valid_cmi5() {
    let (s, st) = session(DATA, Prior::default(), &attempt(85, true));
    assert!(s.is_terminated());
    assert_eq!(
        verbs(&st),
        [
            "INITIALIZED",
            "attempted",
            "completed",
            "passed",
            "COMPLETED",
            "PASSED",
            "TERMINATED"
        ]
    );
    let data = LaunchData::from_json(DATA).unwrap();
    assert_eq!(
        session_problems(&st, &launch(), &data),
        Vec::<String>::new()
    );
    assert_eq!(registration_problems(&st), Vec::<String>::new());
    let passed = &st[5];
    assert_eq!(passed["result"]["score"]["scaled"], 0.85);
    assert_eq!(passed["context"]["extensions"][MASTERY_EXT], 0.7);
    assert_eq!(passed["object"]["id"], "https://lms.example.com/au/42");
    // The allowed statements keep the scenario as object, the template's grouping and
    // the attempt id, with the LMS's registration.
    let attempted = &st[1];
    assert_eq!(
        attempted["object"]["id"],
        "https://firstline.example/scenarios/password-reset"
    );
    assert_eq!(
        attempted["context"]["registration"],
        "760e3480-ba55-4991-94b0-01820dbd23a2"
    );
    assert_eq!(attempted["actor"], launch().actor);
    assert!(attempted["context"]["contextActivities"]["grouping"].is_array());
    assert!(attempted["context"]["contextActivities"]["parent"].is_array());
    // Rebuilding gives the same ids (an LRS de-duplicates a re-sent session).
    let (_, again) = session(DATA, Prior::default(), &attempt(85, true));
    assert_eq!(again, st);
}

#[test]
fn timestamps_follow_the_sending_order() {
    // An attempt started before initialized was sent (a slow LMS handshake) and a
    // terminated stamped with the same time as the finish.
    let mut a = attempt(85, true);
    a.started_at = "2026-12-08T09:59:00.000Z".into();
    let mut s = Cmi5Session::new(
        launch(),
        LaunchData::from_json(DATA).unwrap(),
        Prior::default(),
    );
    let mut st = vec![s.initialized("2026-12-08T10:00:00.000Z").unwrap()];
    st.extend(s.finished(&a, &who()));
    st.extend(s.terminated(&a.finished_at.clone(), 1000));
    let times: Vec<&str> = st
        .iter()
        .map(|s| s["timestamp"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert_eq!(times[1], "2026-12-08T10:00:00.001Z");
    let data = LaunchData::from_json(DATA).unwrap();
    assert_eq!(
        session_problems(&st, &launch(), &data),
        Vec::<String>::new()
    );
}

#[test]
fn mastery_can_raise_the_bar_never_lower_it() {
    assert_eq!(judge(85, true, Some(0.7)), (true, true));
    assert_eq!(judge(70, true, Some(0.7)), (true, true));
    assert_eq!(judge(75, true, Some(0.8)), (false, true));
    // Failed by the game (a critical mistake) with a score at the LMS's mastery: failed,
    // without the score that would contradict the masteryScore.
    assert_eq!(judge(60, false, Some(0.5)), (false, false));
    assert_eq!(judge(60, false, None), (false, true));
    let data = LaunchData::from_json(DATA).unwrap();
    for (overall, passed) in [
        (75, true),
        (69, false),
        (60, false),
        (100, true),
        (0, false),
    ] {
        for mastery in ["0.7", "0.5", "0.9", "1", "0"] {
            let text = DATA.replace("0.7", mastery);
            let (_, st) = session(&text, Prior::default(), &attempt(overall, passed));
            let d = LaunchData::from_json(&text).unwrap();
            let p = session_problems(&st, &launch(), &d);
            assert_eq!(p, Vec::<String>::new(), "{overall} {passed} {mastery}");
        }
    }
    let (_, st) = session(
        &DATA.replace("0.7", "0.5"),
        Prior::default(),
        &attempt(60, false),
    );
    assert_eq!(verbs(&st)[5], "FAILED");
    assert!(st[5]["result"].get("score").is_none());
    let _ = data;
}

#[test]
fn browse_and_review_record_no_judgement() {
    for mode in ["Browse", "Review"] {
        let text = DATA.replace("Normal", mode);
        let (_, st) = session(&text, Prior::default(), &attempt(85, true));
        assert_eq!(verbs(&st), ["INITIALIZED", "TERMINATED"]);
        let d = LaunchData::from_json(&text).unwrap();
        assert_eq!(
            d.launch_mode,
            if mode == "Browse" {
                LaunchMode::Browse
            } else {
                LaunchMode::Review
            }
        );
        assert_eq!(session_problems(&st, &launch(), &d), Vec::<String>::new());
    }
}

#[test]
fn the_registration_rules_hold_across_sessions_and_retries() {
    // An earlier session completed and passed: only the allowed statements go.
    let done = Prior {
        completed: true,
        passed: true,
    };
    let (_, st) = session(DATA, done, &attempt(90, true));
    assert_eq!(
        verbs(&st),
        [
            "INITIALIZED",
            "attempted",
            "completed",
            "passed",
            "TERMINATED"
        ]
    );
    // Completed earlier, failed earlier: a pass is still sent.
    let (_, st) = session(
        DATA,
        Prior {
            completed: true,
            passed: false,
        },
        &attempt(90, true),
    );
    assert_eq!(verbs(&st)[4], "PASSED");
    // A retry in the same session: allowed statements only, one passed/failed per session.
    let mut s = Cmi5Session::new(
        launch(),
        LaunchData::from_json(DATA).unwrap(),
        Prior::default(),
    );
    let mut st = vec![s.initialized("2026-12-08T10:00:00.000Z").unwrap()];
    st.extend(s.finished(&attempt(40, false), &who()));
    let mut second = attempt(90, true);
    second.uuid = uuid::Uuid::from_u128(8);
    second.started_at = "2026-12-08T10:04:30.000Z".into();
    second.finished_at = "2026-12-08T10:06:00.000Z".into();
    st.extend(s.finished(&second, &who()));
    st.extend(s.terminated("2026-12-08T10:07:00.000Z", 420_000));
    assert_eq!(s.initialized("2026-12-08T10:08:00.000Z"), None);
    assert_eq!(s.terminated("2026-12-08T10:08:00.000Z", 1), None);
    assert!(
        s.finished(&second, &who()).is_empty(),
        "nothing after terminated"
    );
    let data = LaunchData::from_json(DATA).unwrap();
    assert_eq!(
        session_problems(&st, &launch(), &data),
        Vec::<String>::new()
    );
    assert_eq!(registration_problems(&st), Vec::<String>::new());
}

#[test]
fn the_checker_catches_each_broken_rule() {
    let data = LaunchData::from_json(DATA).unwrap();
    let (_, good) = session(DATA, Prior::default(), &attempt(85, true));
    type Break = fn(&mut Vec<Value>);
    let cases: Vec<(&str, Break, &str)> = vec![
        (
            "no initialized",
            |s| {
                s.remove(0);
            },
            "first statement",
        ),
        (
            "statement after terminated",
            |s| {
                let mut x = s[1].clone();
                x["timestamp"] = json!("2026-12-08T10:06:00.000Z");
                s.push(x);
            },
            "last statement",
        ),
        (
            "duplicate completed",
            |s| {
                let mut x = s[4].clone();
                x["id"] = json!(uuid::Uuid::from_u128(99));
                s.insert(5, x);
            },
            "once per session",
        ),
        (
            "passed and failed",
            |s| {
                let mut x = s[5].clone();
                x["verb"]["id"] = json!(crate::xapi::build::FAILED);
                x["result"]["success"] = json!(false);
                x["result"].as_object_mut().unwrap().remove("score");
                s.insert(5, x);
            },
            "only one of passed and failed",
        ),
        (
            "wrong object",
            |s| s[5]["object"]["id"] = json!("https://elsewhere/au"),
            "activityId",
        ),
        (
            "wrong actor",
            |s| s[5]["actor"]["account"]["name"] = json!("someone"),
            "actor",
        ),
        (
            "wrong registration",
            |s| s[2]["context"]["registration"] = json!(uuid::Uuid::from_u128(5)),
            "registration",
        ),
        (
            "session id dropped",
            |s| {
                s[1]["context"]["extensions"]
                    .as_object_mut()
                    .unwrap()
                    .remove(crate::lms::launch_data::SESSION_ID);
            },
            "session id",
        ),
        (
            "template grouping dropped",
            |s| {
                s[4]["context"]["contextActivities"]
                    .as_object_mut()
                    .unwrap()
                    .remove("grouping");
            },
            "template's activity",
        ),
        (
            "score on completed",
            |s| s[4]["result"]["score"] = json!({"scaled": 0.5}),
            "only in passed and failed",
        ),
        (
            "completion on passed",
            |s| s[5]["result"]["completion"] = json!(true),
            "only in completed",
        ),
        (
            "no duration",
            |s| {
                s[6]["result"].as_object_mut().unwrap().remove("duration");
            },
            "duration is required",
        ),
        (
            "no moveon",
            |s| {
                s[4]["context"]["contextActivities"]["category"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "moveon category",
        ),
        (
            "moveon on terminated",
            |s| {
                s[6]["context"]["contextActivities"]["category"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"id": MOVEON_CATEGORY}));
            },
            "belongs only",
        ),
        (
            "passed below mastery",
            |s| s[5]["result"]["score"]["scaled"] = json!(0.5),
            "below the masteryScore",
        ),
        (
            "mastery extension missing",
            |s| {
                s[5]["context"]["extensions"]
                    .as_object_mut()
                    .unwrap()
                    .remove(MASTERY_EXT);
            },
            "masteryScore 0.7 is missing",
        ),
        (
            "LMS verb",
            |s| s[4]["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/launched"),
            "LMS's",
        ),
        (
            "category on another verb",
            |s| s[4]["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/answered"),
            "not a cmi5 defined verb",
        ),
        (
            "local time",
            |s| s[1]["timestamp"] = json!("2026-12-08T11:00:06+01:00"),
            "UTC",
        ),
        (
            "bad xAPI",
            |s| s[5]["result"]["score"]["scaled"] = json!(1.5),
            "outside -1..1",
        ),
    ];
    for (name, f, want) in cases {
        let mut st = good.clone();
        f(&mut st);
        let p = session_problems(&st, &launch(), &data);
        assert!(p.iter().any(|m| m.contains(want)), "{name}: {p:?}");
    }
    let review = LaunchData::from_json(&DATA.replace("Normal", "Review")).unwrap();
    let p = session_problems(&good, &launch(), &review);
    assert!(p.iter().any(|m| m.contains("Review launch mode")), "{p:?}");
    assert!(!session_problems(&[], &launch(), &data).is_empty());
}

#[test]
fn registration_rules_are_checked() {
    let (_, first) = session(DATA, Prior::default(), &attempt(85, true));
    let mut again = first.clone();
    for s in &mut again {
        let t = s["timestamp"].as_str().unwrap().replace("T10", "T12");
        s["timestamp"] = json!(t);
    }
    let mut both = first.clone();
    both.extend(again.clone());
    let p = registration_problems(&both);
    assert!(p.iter().any(|m| m.contains("2 completed")), "{p:?}");
    assert!(p.iter().any(|m| m.contains("2 passed")), "{p:?}");
    let mut failed_after = first.clone();
    let mut f = again[5].clone();
    f["verb"]["id"] = json!(crate::xapi::build::FAILED);
    failed_after.push(f);
    assert!(
        registration_problems(&failed_after)
            .iter()
            .any(|m| m.contains("must not follow"))
    );
}

#[test]
fn prior_sessions_are_read_from_the_lrs() {
    let token = crate::lms::token::read_token(&Reply {
        status: 200,
        body: r#"{"auth-token":"T"}"#.into(),
    })
    .unwrap();
    let r = prior_request(&launch(), &token, crate::xapi::build::PASSED);
    assert!(
        r.url
            .starts_with("https://lms.example.com/xapi/statements?agent=")
    );
    assert!(r.url.contains("registration=760e3480"));
    let (_, st) = session(DATA, Prior::default(), &attempt(85, true));
    let body = json!({"statements": [st[3].clone()], "more": ""}).to_string();
    assert_eq!(
        read_prior(&Reply { status: 200, body }),
        Ok(false),
        "an allowed statement is not the defined one"
    );
    let body = json!({"statements": [st[5].clone()]}).to_string();
    assert_eq!(read_prior(&Reply { status: 200, body }), Ok(true));
    assert!(
        read_prior(&Reply {
            status: 401,
            body: String::new()
        })
        .is_err()
    );
    assert!(
        read_prior(&Reply {
            status: 200,
            body: "{}".into()
        })
        .is_err()
    );
}
