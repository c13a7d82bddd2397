//! Issue 10: correct notes in a trainee's own words earn their facts.
//!
//! Each row is one sentence written in plain words (not copied from the rubric) and the
//! bundled scenario's fact it must earn, analysed against the scenario's whole rubric and
//! its people, as scoring does.

use firstline::scenario::load::load_pack;
use firstline::scenario::model::{Fact, Scenario};
use firstline::scoring::notes;
use std::path::Path;
use std::sync::Arc;

const PARAPHRASES: &[(&str, &str, &str)] = &[
    // The new hire's notes from the issue.
    (
        "password-reset",
        "cause-expired",
        "Cause: password expired during leave.",
    ),
    (
        "password-reset",
        "symptom",
        "Outcome: user signed in and set a new password",
    ),
    (
        "password-reset",
        "symptom",
        "Dana couldn't log on to her laptop this morning.",
    ),
    (
        "password-reset",
        "action",
        "Her password was reset once I had verified her.",
    ),
    (
        "password-reset",
        "outcome",
        "She confirmed she could get in again.",
    ),
    (
        "phishing-report",
        "forwarded",
        "She forwarded it at 09:56 to Kath Doyle (kdoyle) and Tom Brennan (tbrennan)",
    ),
    (
        "phishing-report",
        "sender-it",
        "The sender was servicedesk@northwind-support.com, posing as IT.",
    ),
    (
        "phishing-report",
        "subject-it",
        "The subject line was an urgent password expiry notice.",
    ),
    (
        "phishing-report",
        "not-clicked",
        "Helen never clicked the link in it.",
    ),
    (
        "phishing-report",
        "escalated",
        "I handed the case over to Security with the headers attached.",
    ),
    (
        "printer-queue",
        "symptom",
        "Janet was unable to print anything to the shared printer.",
    ),
    (
        "printer-queue",
        "printer",
        "The printer in question is OPS-2F-MFP on the second floor.",
    ),
    (
        "printer-queue",
        "cause-paper",
        "Tray 2 of the printer was empty.",
    ),
    (
        "printer-queue",
        "action-restart",
        "I restarted the spooler service on PRN-SRV01.",
    ),
    (
        "laptop-intranet",
        "symptom",
        "He could not reach the intranet or the planner from his laptop.",
    ),
    (
        "laptop-intranet",
        "dns-wrong",
        "His network adapter had been set by hand to Google's DNS at 8.8.8.8.",
    ),
    (
        "laptop-intranet",
        "dns-action",
        "I set the adapter to get its DNS servers automatically again.",
    ),
    (
        "laptop-intranet",
        "scope",
        "The office DHCP scope had no free leases left.",
    ),
    (
        "mailbox-full",
        "fix-archive",
        "I moved her older mail into the online archive.",
    ),
    (
        "mailbox-full",
        "cause-recipient",
        "The recipient's mailbox at Harbour Logistics was full, not ours.",
    ),
    (
        "ransomware",
        "isolated",
        "The laptop was cut off from the network straight away.",
    ),
    (
        "ransomware",
        "powered-on",
        "I told her not to switch the laptop off.",
    ),
    (
        "ransomware",
        "origin",
        "It began when she opened a zip file attached to an invoice email.",
    ),
    (
        "new-starter",
        "new-starter",
        "Amira is a new hire and today is her first day.",
    ),
    (
        "new-starter",
        "fix-enabled",
        "I enabled her account in the directory.",
    ),
    (
        "new-starter",
        "fix-group",
        "I added her to the Ops-Planning group.",
    ),
    (
        "new-starter",
        "hr-followup",
        "I emailed HR so that they correct her start date.",
    ),
    (
        "vpn-remote",
        "internet-ok",
        "Her home broadband was working and public websites loaded.",
    ),
    (
        "vpn-remote",
        "outage",
        "The status page showed the VPN gateway was down for everyone.",
    ),
];

fn scenarios() -> Vec<Arc<Scenario>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, diags) = load_pack(&dir).expect("the bundled pack exists");
    pack.unwrap_or_else(|| panic!("the bundled pack does not load: {diags:#?}"))
        .scenarios
}

#[test]
fn issue10_paraphrases_earn_their_facts() {
    let all = scenarios();
    let mut bad = vec![];
    for (id, key, text) in PARAPHRASES {
        let s = all.iter().find(|s| s.id == *id).expect("scenario exists");
        let facts: Vec<&Fact> = s.rubric.facts.iter().collect();
        let i = facts
            .iter()
            .position(|f| f.key == *key)
            .expect("fact exists");
        let aliases: Vec<(String, String)> = s.variants[0]
            .world
            .accounts
            .iter()
            .map(|a| (a.display_name.clone(), a.username.clone()))
            .collect();
        let a = notes::analyse(text, &facts, &aliases);
        if !a.earned(|_| true).iter().any(|e| e.0 == i) {
            bad.push(format!("{id}/{key}: {text:?}\n    {:?}", a.sentences));
        }
    }
    assert!(
        bad.is_empty(),
        "paraphrases that earned nothing:\n{}",
        bad.join("\n")
    );
    assert!(PARAPHRASES.len() >= 20);
}

/// The universal stuffed note of the issue: filler lines and comma lists of every
/// rubric phrasing of every bundled scenario, opened by a few function words. It earns
/// at most one fact (from a short list) in any scenario.
#[test]
fn issue10_universal_stuffed_note_earns_at_most_one_fact_anywhere() {
    let all = scenarios();
    let phrasings: Vec<&str> = all
        .iter()
        .flat_map(|s| s.rubric.facts.iter())
        .flat_map(|f| f.phrasings.iter().map(String::as_str))
        .collect();
    let mut note = String::new();
    for (h, filler) in [
        ("Symptom", "We did all of them to be sure."),
        ("Diagnosis", "We checked all of it as well."),
        ("Cause", "It was all of the things below."),
        ("Actions", "We did all of them to be sure."),
        ("Outcome", "We think it is all done now."),
    ] {
        note.push_str(&format!("{h}: {filler}\n"));
    }
    let openers = [
        "We saw that it was all of: ",
        "It was the ",
        "Then we had ",
        "We checked that it was ",
    ];
    for (i, chunk) in phrasings.chunks(15).enumerate() {
        note.push_str(&format!(
            "{}{}.\n",
            openers[i % openers.len()],
            chunk.join(", ")
        ));
    }
    let mut bad = vec![];
    for s in &all {
        let facts: Vec<&Fact> = s.rubric.facts.iter().collect();
        let a = notes::analyse(&note, &facts, &[]);
        // A short list after a clause may earn one fact (stuffing counts once); the
        // whole note at most one.
        let earned = a.earned(|_| true);
        if earned.len() > 1 || earned.iter().any(|e| !a.sentences[e.1].stuffed) {
            let by: Vec<&str> = earned
                .iter()
                .map(|e| a.sentences[e.1].text.as_str())
                .collect();
            bad.push(format!(
                "{}: earned {} facts from {by:?}",
                s.id,
                earned.len()
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
