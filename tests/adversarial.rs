//! Issue 10: scores that cannot be gamed. The adversarial corpus (`tests/adversarial/
//! cases.ron`) transforms the bundled play-tests the way a trainee gaming the scorecard
//! would — a universal stuffed note, a leaked password in another form, every fix applied,
//! tools pointed at nothing, changes before verification, admin rights handed out, needless
//! or empty escalations, silence, nothing at all, hints first — and states the score range
//! each attempt must land in. One test per class; each reports every failing case at once.
//!
//! `cargo test --test adversarial -- --ignored --nocapture issue10_calibration` prints the
//! tables of docs/scoring.md (regenerate them with `scripts/calibration.sh`).

#[path = "adversarial/corpus.rs"]
mod corpus;

use corpus::{Class, Outcome, PACK, corpus, summary};
use std::collections::{BTreeMap, BTreeSet};

/// Runs every case of the given classes; panics listing each case that failed.
fn check_classes(classes: &[Class]) {
    let corpus = corpus();
    let mut failed = vec![];
    let mut ran = 0;
    for case in corpus.cases.iter().filter(|c| classes.contains(&c.class)) {
        for stem in &case.playtests {
            ran += 1;
            let o = corpus::run(case, stem);
            if !o.failures.is_empty() {
                failed.push(describe(&o));
            }
        }
    }
    assert!(ran > 0, "no cases for {classes:?}");
    assert!(
        failed.is_empty(),
        "{} of {ran} adversarial runs ({classes:?}) scored outside their range:\n\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

fn describe(o: &Outcome) -> String {
    let mut s = format!(
        "[{}] on {}: {}\n  got: {}\n  first lesson: {}",
        o.case,
        o.playtest,
        o.failures.join("; "),
        summary(&o.card),
        o.card.feedback.first().map_or("(none)", String::as_str)
    );
    if !o.refused.is_empty() {
        s.push_str(&format!("\n  refused actions: {}", o.refused.join(" | ")));
    }
    s
}

#[test]
fn issue10_universal_stuffed_note_scores_at_most_40_documentation() {
    check_classes(&[Class::Stuffing]);
}

#[test]
fn issue10_false_claims_cost() {
    check_classes(&[Class::FalseClaims]);
}

#[test]
fn issue10_leaked_password_in_any_form_is_a_critical_fail() {
    check_classes(&[Class::Secrets]);
}

#[test]
fn issue10_apply_every_fix_fails() {
    check_classes(&[Class::Shotgun]);
}

#[test]
fn issue10_diagnosis_of_wrong_or_missing_targets_earns_nothing() {
    check_classes(&[Class::Diagnosis]);
}

#[test]
fn issue10_unverified_changes_fail() {
    check_classes(&[Class::Identity]);
}

#[test]
fn issue10_forbidden_admin_rights_are_a_critical_fail() {
    check_classes(&[Class::Privilege]);
}

#[test]
fn issue10_probing_is_earned_by_the_revealing_question() {
    check_classes(&[Class::Probing]);
}

#[test]
fn issue10_escalation_cannot_be_farmed() {
    check_classes(&[Class::Escalation]);
}

#[test]
fn issue10_doing_nothing_scores_at_most_20_everywhere() {
    check_classes(&[Class::Nothing]);
}

#[test]
fn issue10_silence_scores_at_most_20_empathy() {
    check_classes(&[Class::Silence]);
}

#[test]
fn issue10_confirmation_not_credited_while_broken() {
    check_classes(&[Class::Confirm]);
}

#[test]
fn issue10_hints_that_give_the_cause_away_remove_diagnosis_credit() {
    check_classes(&[Class::Hints]);
}

/// Acceptance: every bundled expert play-test still scores at least 90 (the calibration
/// anchor: the adversarial ranges only mean something next to it).
#[test]
fn issue10_every_expert_playtest_scores_at_least_90() {
    let low: Vec<String> = PACK
        .playtests
        .iter()
        .filter(|p| p.expert)
        .filter_map(|p| {
            let r = firstline::playtest::run(&p.scenario, p.seed, &p.actions);
            (r.scorecard.overall < 90).then(|| {
                format!(
                    "{}: {} — {}",
                    p.path.file_stem().unwrap_or_default().to_string_lossy(),
                    summary(&r.scorecard),
                    r.scorecard.feedback.first().map_or("", String::as_str)
                )
            })
        })
        .collect();
    assert!(
        low.is_empty(),
        "expert play-tests below 90:\n{}",
        low.join("\n")
    );
}

/// The issue's "Why" classes, each with the corpus classes that exercise it.
const WHY: &[(&str, &[Class])] = &[
    (
        "1 stuffed or false notes",
        &[Class::Stuffing, Class::FalseClaims],
    ),
    ("2 leaked password", &[Class::Secrets]),
    ("3 unneeded changes", &[Class::Shotgun]),
    ("4 diagnosis targets", &[Class::Diagnosis]),
    (
        "5 security lapses",
        &[Class::Identity, Class::Privilege, Class::Probing],
    ),
    ("6 escalation farming", &[Class::Escalation, Class::Nothing]),
    (
        "7 empathy given",
        &[Class::Silence, Class::Confirm, Class::Nothing],
    ),
    ("8 hints", &[Class::Hints]),
];

/// Acceptance: the corpus covers each class on at least 8 bundled scenarios, and the
/// debrief's first lesson is checked on at least 8 (class 10). Class 9 (good notes marked
/// wrong) is tests/paraphrases.rs. Class 2 is bounded by the bundle: only scenarios that
/// issue a temporary password can leak one (checked: all of them are covered).
#[test]
fn issue10_corpus_covers_every_class_on_8_scenarios() {
    let corpus = corpus();
    let scenario = |stem: &str| corpus::playtest(stem).scenario.id.clone();
    let mut short = vec![];
    for (why, classes) in WHY {
        let set: BTreeSet<String> = corpus
            .cases
            .iter()
            .filter(|c| classes.contains(&c.class))
            .flat_map(|c| c.playtests.iter().map(|p| scenario(p)))
            .collect();
        if *why == "2 leaked password" {
            let issuing: BTreeSet<String> = PACK
                .playtests
                .iter()
                .filter(|p| p.expert)
                .filter(|p| {
                    let r = firstline::playtest::run(&p.scenario, p.seed, &p.actions);
                    !r.session.attempt().temp_passwords.is_empty()
                })
                .map(|p| p.scenario.id.clone())
                .collect();
            let missing: Vec<_> = issuing.difference(&set).collect();
            if !missing.is_empty() {
                short.push(format!(
                    "{why}: scenarios issuing passwords not covered: {missing:?}"
                ));
            }
            continue;
        }
        if set.len() < 8 {
            short.push(format!("{why}: {} scenarios {set:?}", set.len()));
        }
    }
    let lessons: BTreeSet<String> = corpus
        .cases
        .iter()
        .filter(|c| c.expect.lesson.is_some())
        .flat_map(|c| c.playtests.iter().map(|p| scenario(p)))
        .collect();
    if lessons.len() < 8 {
        short.push(format!(
            "10 debrief first lesson: {} scenarios {lessons:?}",
            lessons.len()
        ));
    }
    assert!(
        short.is_empty(),
        "classes covered on too few scenarios:\n{}",
        short.join("\n")
    );
}

/// Prints the criteria table and the calibration table of docs/scoring.md (markdown).
/// Run by scripts/calibration.sh, which splices the output into the document.
#[test]
#[ignore = "generates docs/scoring.md tables; run via scripts/calibration.sh"]
fn issue10_calibration_tables() {
    println!("<!-- criteria:begin -->");
    println!("| id | dimension | max | how it is earned |");
    println!("|---|---|---|---|");
    for d in firstline::scoring::registry::CRITERIA {
        println!(
            "| `{}` | {:?} | {} | {} |",
            d.id,
            d.dimension,
            d.max,
            d.how.replace('|', "\\|")
        );
    }
    println!("<!-- criteria:end -->");

    // Play-tests by scenario and kind.
    #[derive(Default)]
    struct Row {
        expert: Vec<(u32, bool)>,
        wrong: Vec<(u32, bool)>,
        poor: Vec<(u32, bool)>,
        adversarial: Vec<(u32, bool, String)>,
        stuffed: Vec<(u32, bool)>,
    }
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for s in &PACK.scenarios {
        rows.entry(s.id.clone()).or_default();
    }
    for p in &PACK.playtests {
        let r = firstline::playtest::run(&p.scenario, p.seed, &p.actions);
        let c = &r.scorecard;
        let row = rows.entry(p.scenario.id.clone()).or_default();
        let stem = p.path.file_stem().unwrap_or_default().to_string_lossy();
        let slot = if p.expert {
            &mut row.expert
        } else if stem.ends_with("-poor") {
            &mut row.poor
        } else {
            &mut row.wrong
        };
        slot.push((c.overall, c.passed));
    }
    // Adversarial runs: the cases whose spec says they must not pass (the gaming attempts),
    // and the universal stuffed note's documentation score.
    for case in &corpus().cases {
        let must_fail = case.expect.passed == Some(false) || case.expect.critical == Some(true);
        for stem in &case.playtests {
            let o = corpus::run(case, stem);
            let row = rows.entry(o.scenario.clone()).or_default();
            if must_fail {
                row.adversarial
                    .push((o.card.overall, o.card.passed, case.name.clone()));
            }
            if case.class == Class::Stuffing && case.name.starts_with("universal stuffed note") {
                row.stuffed
                    .push((o.card.dimensions.documentation, o.card.passed));
            }
        }
    }
    let span = |v: &[(u32, bool)], passes: bool| -> String {
        if v.is_empty() {
            return "–".into();
        }
        let lo = v.iter().map(|x| x.0).min().unwrap_or(0);
        let hi = v.iter().map(|x| x.0).max().unwrap_or(0);
        let r = if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo}–{hi}")
        };
        if !passes {
            return r;
        }
        let pass = v.iter().filter(|x| x.1).count();
        format!("{r} ({pass}/{} pass)", v.len())
    };
    println!("<!-- calibration:begin -->");
    println!(
        "| scenario | expert | plausible-wrong | poor | adversarial (must fail) | best adversarial run | stuffed note: documentation |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (id, r) in &rows {
        let adv: Vec<(u32, bool)> = r.adversarial.iter().map(|x| (x.0, x.1)).collect();
        let best = r
            .adversarial
            .iter()
            .max_by_key(|x| x.0)
            .map_or("–".to_string(), |x| {
                format!("{}{} — {}", x.0, if x.1 { " **passed**" } else { "" }, x.2)
            });
        println!(
            "| {id} | {} | {} | {} | {} | {best} | {} |",
            span(&r.expert, true),
            span(&r.wrong, true),
            span(&r.poor, true),
            span(&adv, true),
            span(&r.stuffed, false)
        );
    }
    println!("<!-- calibration:end -->");
}

/// Prints the full debrief of the three poor attempts issue 10 asks to read as a team lead
/// would write them: admin rights granted, an impostor obeyed, printer jobs deleted.
#[test]
#[ignore = "prints debriefs for review"]
fn issue10_print_poor_debriefs() {
    for stem in [
        "install-request-poor",
        "pretexting-caller-poor",
        "printer-queue-clear-queue",
    ] {
        let p = corpus::playtest(stem);
        let r = firstline::playtest::run(&p.scenario, p.seed, &p.actions);
        println!("== {stem}: {}", summary(&r.scorecard));
        for (i, l) in r.scorecard.feedback.iter().enumerate() {
            println!("{}. {l}", i + 1);
        }
        println!();
    }
}
