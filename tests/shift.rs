//! Shift mode (issue 14): determinism over many seeds, rejected actions change nothing,
//! bad shift files are located, the shift loader never panics, and the bundled shift
//! play-tests hold (the expert triages and passes; arrival order and one-by-one fail).

use firstline::scenario::Diagnostic;
use firstline::scenario::load::{Pack, load_pack};
use firstline::shift::autoplay::{Style, play};
use firstline::shift::load::{ShiftAction, load_shift_bytes};
use firstline::shift::{self, Shift, report, score};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, diags) = load_pack(&dir).expect("the bundled pack exists");
        pack.unwrap_or_else(|| panic!("the bundled pack does not load: {diags:#?}"))
    })
}

fn fingerprint(r: &shift::ShiftRun) -> String {
    format!(
        "{}\n{}",
        serde_json::to_string(&r.card).unwrap(),
        report::text(&r.shift, &r.card)
    )
}

#[test]
fn issue14_shift_is_deterministic_over_many_seeds() {
    let p = pack();
    assert!(p.shifts.len() >= 3);
    for profile in &p.shifts {
        for seed in 0..12u64 {
            for style in [Style::Expert, Style::ArrivalOrder, Style::OneByOne] {
                let log = play(p, profile, seed, style);
                assert_eq!(
                    log,
                    play(p, profile, seed, style),
                    "{} seed {seed}",
                    profile.id
                );
                let a = shift::run(profile, seed, &log);
                let b = shift::run(profile, seed, &log);
                assert!(a.rejected.is_empty(), "{:?}", a.rejected);
                assert_eq!(
                    fingerprint(&a),
                    fingerprint(&b),
                    "{} seed {seed}",
                    profile.id
                );
            }
        }
    }
}

#[test]
fn issue14_schedule_depends_on_the_seed_only() {
    let p = pack();
    let busy = p.shift("busy").unwrap();
    let key = |seed| {
        busy.schedule(seed)
            .iter()
            .map(|a| format!("{}@{}:{}", a.source.scenario.id, a.at, a.seed))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(7), key(7));
    assert!(
        (0..20).any(|s| key(s) != key(7)),
        "the pool draw never varies"
    );
}

#[test]
fn issue14_bundled_shift_playtests_hold() {
    let p = pack();
    let mut experts = 0;
    for t in &p.shift_playtests {
        let (run, failures) = shift::run_playtest(t);
        assert!(failures.is_empty(), "{}: {failures:?}", t.path.display());
        if t.expert {
            experts += 1;
            assert!(run.card.passed, "{}", t.path.display());
        }
    }
    assert!(experts >= 3);
    for id in ["quiet", "busy", "outage"] {
        let profile = p.shift(id).unwrap();
        let poor = shift::run(profile, 1, &play(p, profile, 1, Style::ArrivalOrder));
        assert!(!poor.card.passed, "{id}: arrival order passed");
        assert!(
            poor.card.blockers.iter().any(|b| b.starts_with("Triage")),
            "{id}"
        );
    }
    let outage = p.shift("outage").unwrap();
    let one = shift::run(outage, 1, &play(p, outage, 1, Style::OneByOne));
    assert!(!one.card.passed);
    assert!(one.card.points("triage").unwrap() < 15);
}

#[test]
fn issue14_rejected_action_changes_nothing_and_says_why() {
    let p = pack();
    let profile = p.shift("outage").unwrap();
    let mut s = Shift::new(profile, 1);
    s.apply(ShiftAction::Answer(1)).unwrap();
    let bad = [
        ShiftAction::Answer(1),
        ShiftAction::Answer(99),
        ShiftAction::Hold {
            ticket: 1,
            minutes: 2,
        },
        ShiftAction::Resume(3),
        ShiftAction::Link {
            ticket: 3,
            parent: 2,
        },
        ShiftAction::Link {
            ticket: 1,
            parent: 1,
        },
        ShiftAction::Broadcast {
            parent: 1,
            text: "hello".into(),
        },
        ShiftAction::Handover("   ".into()),
        ShiftAction::Wait(0),
        ShiftAction::Work(2, firstline::session::action::Action::EndCall),
    ];
    for a in bad {
        let before = (
            s.clock,
            s.log.len(),
            s.actions.len(),
            s.active,
            s.samples.len(),
        );
        let card = serde_json::to_string(&score::score(&s)).unwrap();
        let e = s
            .apply(a.clone())
            .expect_err(&format!("{a:?} was accepted"));
        assert!(!e.0.is_empty());
        assert_eq!(
            before,
            (
                s.clock,
                s.log.len(),
                s.actions.len(),
                s.active,
                s.samples.len()
            ),
            "{a:?}"
        );
        assert_eq!(card, serde_json::to_string(&score::score(&s)).unwrap());
    }
}

#[test]
fn issue14_ringing_calls_are_abandoned_and_held_callers_give_up() {
    let p = pack();
    let profile = p.shift("outage").unwrap();
    let mut s = Shift::new(profile, 1);
    s.apply(ShiftAction::Wait(2 * 60 + 15)).unwrap();
    s.apply(ShiftAction::Answer(2)).unwrap();
    s.apply(ShiftAction::Hold {
        ticket: 2,
        minutes: 0,
    })
    .unwrap();
    s.apply(ShiftAction::Wait(profile.hold_secs + 1)).unwrap();
    assert_eq!(
        s.ticket(2).unwrap().state,
        firstline::shift::engine::State::Abandoned
    );
    s.apply(ShiftAction::Wait(profile.ring_secs + 60)).unwrap();
    assert_eq!(
        s.ticket(3).unwrap().state,
        firstline::shift::engine::State::Abandoned
    );
    let card = score::score(&s);
    assert!(card.points("abandoned").unwrap() < 10);
}

#[test]
fn issue14_handover_names_open_tickets() {
    let p = pack();
    let profile = p.shift("quiet").unwrap();
    let run = |text: &str| {
        let mut s = Shift::new(profile, 1);
        s.apply(ShiftAction::Wait(10 * 60)).unwrap();
        s.apply(ShiftAction::Handover(text.into())).unwrap();
        score::score(&s).points("handover").unwrap()
    };
    let open = "Grace Mensah is waiting on chat about her full mailbox. Ticket 2 for Dana Whitfield rang out.";
    assert!(run(open) > 0);
    assert_eq!(run("All quiet, nothing to hand over."), 0);
    assert_eq!(
        run("Grace, Dana, Julian"),
        run("Grace is waiting on chat.").min(run("Grace, Dana, Julian"))
    );
}

/// A bad shift file → (line, column, message substring).
const BAD: &[(&str, &str, usize, usize, &str)] = &[
    (
        "unknown field",
        "Shift(id: \"x\", title: \"X\", minutes: 10, pass_mark: 50, arivals: [])",
        1,
        56,
        "did you mean `arrivals`",
    ),
    (
        "missing field",
        "Shift(\n  id: \"x\",\n  title: \"X\",\n  pass_mark: 50,\n)",
        5,
        1,
        "`minutes`",
    ),
    (
        "no scenario",
        "Shift(id: \"x\", title: \"X\", minutes: 10, pass_mark: 50,\n arrivals: [(at: 0, scenario: \"pasword-reset\", priority: P3)])",
        2,
        31,
        "did you mean `password-reset`",
    ),
    (
        "late arrival",
        "Shift(id: \"x\", title: \"X\", minutes: 10, pass_mark: 50,\n arrivals: [(at: 10, scenario: \"password-reset\", priority: P3)])",
        2,
        18,
        "not inside the shift",
    ),
    (
        "bad priority",
        "Shift(id: \"x\", title: \"X\", minutes: 10, pass_mark: 50,\n arrivals: [(at: 1, scenario: \"password-reset\", priority: P7)])",
        2,
        59,
        "P7",
    ),
    (
        "empty",
        "Shift(id: \"x\", title: \"X\", minutes: 10, pass_mark: 50)",
        1,
        1,
        "no tickets",
    ),
    (
        "incident",
        "Shift(id: \"x\", title: \"X\", minutes: 10, pass_mark: 50,\n events: [MajorIncident(at: 1, scenario: \"site-outage\", callers: 1)])",
        2,
        66,
        "2–50 callers",
    ),
    (
        "sla order",
        "Shift(id: \"x\", title: \"X\", minutes: 10, pass_mark: 50, sla: (p1: 30, p2: 10, p3: 60, p4: 90),\n arrivals: [(at: 1, scenario: \"password-reset\", priority: P3)])",
        1,
        61,
        "grow with priority",
    ),
];

#[test]
fn issue14_bad_shifts_are_located() {
    let p = pack();
    for (name, text, line, col, msg) in BAD {
        let (s, diags) = load_shift_bytes(Path::new("bad.ron"), text.as_bytes(), &p.scenarios);
        assert!(s.is_none(), "{name}: accepted");
        assert!(
            !diags.iter().any(|d| d.message.contains("no tickets")) || *name == "empty",
            "{name}: a follow-on error"
        );
        assert!(
            diags.iter().any(|d| d.is_error()
                && d.line == *line
                && d.column == *col
                && d.message.contains(msg)),
            "{name}: expected {line}:{col} {msg}, got {:#?}",
            diags.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        );
    }
}

fn quiet_text() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/shifts/busy.ron"),
        )
        .unwrap()
    })
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let (s, diags) = load_shift_bytes(Path::new("fuzz.ron"), bytes, &pack().scenarios);
    if s.is_none() {
        prop_assert!(
            diags.iter().any(Diagnostic::is_error),
            "rejected without an error"
        );
    }
    for d in &diags {
        prop_assert!(d.line >= 1 && d.column >= 1, "unlocated: {}", d);
        prop_assert!(!d.message.is_empty());
    }
    if let Some(s) = s {
        // Whatever loads can be played.
        let s = std::sync::Arc::new(s);
        let mut sh = Shift::new(&s, 3);
        let _ = sh.apply(ShiftAction::Wait(600));
        let _ = score::score(&sh);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn shift_loader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes)?;
    }

    #[test]
    fn shift_loader_never_panics_on_edits(at in 0usize..2000, cut in 0usize..40, insert in "[\\(\\)\\[\\],:\"0-9a-zA-Z_ ]{0,12}") {
        let t = quiet_text();
        let at = at.min(t.len());
        let at = (0..=at).rev().find(|i| t.is_char_boundary(*i)).unwrap_or(0);
        let end = (at + cut).min(t.len());
        let end = (end..=t.len()).find(|i| t.is_char_boundary(*i)).unwrap_or(t.len());
        let mutated = format!("{}{}{}", &t[..at], insert, &t[end..]);
        check(mutated.as_bytes())?;
    }
}

#[test]
fn issue14_shifts_are_stored_with_their_tickets_and_valid_xapi() {
    use firstline::progress::Store;
    use firstline::progress::shifts::NewShift;
    use std::time::{Duration, SystemTime};
    let p = pack();
    let t = p
        .shift_playtests
        .iter()
        .find(|t| t.expert && t.shift.id == "outage")
        .unwrap();
    let (run, _) = shift::run_playtest(t);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(Some(dir.path())).unwrap();
    let who = store.ensure_profile("Sam").unwrap();
    let new = NewShift::from_shift(
        &run.shift,
        &run.card,
        SystemTime::now(),
        Duration::from_secs(900),
    );
    let id = store.save_shift(&who, &new).unwrap();
    let shifts = store.shifts(Some(who.id));
    assert_eq!(shifts.len(), 1);
    assert_eq!(shifts[0].overall, run.card.overall);
    assert_eq!(shifts[0].triage, run.card.points("triage"));
    let tickets = store.shift_tickets(id);
    // The parent and the two other tickets were worked; linked callers were not.
    assert_eq!(tickets.len(), new.tickets.len());
    assert!(tickets.len() >= 3);
    assert_eq!(store.attempts(Some(who.id)).len(), tickets.len());
    // The action log replays to the same card.
    let (acts, d) = firstline::shift::load::load_shift_log(
        Path::new("log.ron"),
        new.actions.as_bytes(),
        &run.shift.profile,
        run.shift.seed,
    );
    assert!(d.is_empty(), "{d:?}");
    let again = shift::run(&run.shift.profile, run.shift.seed, &acts.unwrap());
    assert_eq!(fingerprint(&again), fingerprint(&run));
    // Every statement is valid xAPI; ticket statements name the shift as their parent.
    let shift_iri = format!(
        "{}/shifts/outage",
        shifts[0].xapi_base.trim_end_matches('/')
    );
    let own = store.shift_statements(id);
    assert_eq!(own.len(), 3);
    let mut all: Vec<String> = own.clone();
    for (_, a) in &tickets {
        let sts = store.statements_for(*a);
        for s in &sts {
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            let parent = &v["context"]["contextActivities"]["parent"][0]["id"];
            assert_eq!(parent.as_str(), Some(shift_iri.as_str()));
        }
        all.extend(sts);
    }
    for s in &all {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        let problems = firstline::xapi::validate::problems(&v);
        assert!(problems.is_empty(), "{problems:?}\n{s}");
    }
    let v: serde_json::Value = serde_json::from_str(&own[0]).unwrap();
    assert_eq!(v["object"]["id"].as_str(), Some(shift_iri.as_str()));
    // Queued for sync alongside attempts; deleting the trainee removes everything.
    assert_eq!(store.unsent().len(), all.len());
    store.delete_profile("Sam").unwrap();
    assert!(store.shifts(None).is_empty());
    assert!(store.unsent().is_empty());
}

#[test]
fn issue14_lint_flags_a_shift_without_a_failing_playtest() {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            if e.path().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        tmp.path(),
    );
    let clean = firstline::authoring::lint::lint_pack(pack());
    assert!(
        !clean.iter().any(|f| f.rule.starts_with("shift-")),
        "{clean:?}"
    );
    std::fs::remove_file(tmp.path().join("shifts/playtests/busy-arrival-order.ron")).unwrap();
    let p = load_pack(tmp.path()).unwrap().0.unwrap();
    let f = firstline::authoring::lint::lint_pack(&p);
    let hit = f
        .iter()
        .find(|f| f.rule == "shift-untested")
        .expect("shift-untested");
    assert!(hit.diag.path.ends_with("shifts/busy.ron"), "{hit}");
    assert!(hit.diag.message.contains("expected to fail"));
}

#[test]
fn issue14_handing_over_early_does_not_dodge_the_queue() {
    let p = pack();
    let profile = p.shift("busy").unwrap();
    let mut s = Shift::new(profile, 1);
    s.apply(ShiftAction::Handover(
        "Nothing happened on my shift.".into(),
    ))
    .unwrap();
    let card = score::score(&s);
    assert!(s.clock >= s.length());
    assert!(
        s.tickets
            .iter()
            .all(|t| t.state != firstline::shift::engine::State::Pending)
    );
    assert!(!card.passed);
    assert!(card.points("sla").unwrap() < 5, "{card:?}");
    assert_eq!(card.points("abandoned"), Some(0));
}

#[test]
fn issue14_validate_a_shift_file_reports_located_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("pack");
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            if e.path().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        &root,
    );
    let f = root.join("shifts/busy.ron");
    let ok = assert_cmd::Command::cargo_bin("firstline")
        .unwrap()
        .args(["validate", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(ok.status.success());
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("\"app-crash\"", "\"app-crsh\"");
    std::fs::write(&f, text).unwrap();
    let bad = assert_cmd::Command::cargo_bin("firstline")
        .unwrap()
        .args(["validate", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let out =
        String::from_utf8_lossy(&bad.stdout).to_string() + &String::from_utf8_lossy(&bad.stderr);
    assert!(out.contains("busy.ron:16:27: error"), "{out}");
    assert!(out.contains("did you mean `app-crash`"), "{out}");
}
