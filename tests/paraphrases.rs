//! Issue 10, point 9 ("good notes are marked wrong"): correct notes and hand-offs in a
//! trainee's own words (`tests/paraphrases/*.ron`, written by a reviewer who did not author
//! the scenarios nor read the matcher) earn every fact they state and are charged no false
//! claim. Each text replaces the notes (or the hand-off) of the expert play-test it names;
//! everything else is played as written. See tests/paraphrases/README.md.

use firstline::scenario::format::RawAction;
use firstline::scenario::load::{Pack, Playtest, load_pack};
use firstline::scoring::{self, Scorecard, SentenceVerdict};
use firstline::session::Session;
use firstline::session::action::Action;
use serde::Deserialize;
use std::path::Path;
use std::sync::LazyLock;

static PACK: LazyLock<Pack> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, diags) = load_pack(&dir).expect("the bundled pack exists");
    pack.unwrap_or_else(|| panic!("the bundled pack does not load: {diags:#?}"))
});

#[derive(Debug, Deserialize)]
struct Paraphrases {
    playtest: String,
    notes: Vec<Text>,
    #[serde(default)]
    handoffs: Vec<Text>,
}

#[derive(Debug, Deserialize)]
struct Text {
    style: String,
    text: String,
    states: Vec<String>,
}

/// Which text of the play-test a paraphrase replaces.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Notes,
    Handoff,
}

fn files() -> Vec<(String, Paraphrases)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/paraphrases");
    let mut out: Vec<(String, Paraphrases)> = std::fs::read_dir(&dir)
        .expect("tests/paraphrases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            let parsed: Paraphrases =
                ron::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                parsed,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn playtest(stem: &str) -> &'static Playtest {
    PACK.playtests
        .iter()
        .find(|p| p.path.file_stem().is_some_and(|s| s == stem))
        .unwrap_or_else(|| panic!("no play-test `{stem}`"))
}

/// Plays the play-test with `text` in place of its notes or hand-off.
fn play(p: &Playtest, slot: Slot, text: &str) -> Scorecard {
    let mut session = Session::new(&p.scenario, p.seed);
    let mut replaced = false;
    for a in &p.actions {
        let a = match (a, slot) {
            (Action::Notes(_), Slot::Notes) => {
                replaced = true;
                Action::Notes(text.into())
            }
            (Action::Escalate { team, .. }, Slot::Handoff) => {
                replaced = true;
                Action::Escalate {
                    team: *team,
                    handoff: text.into(),
                }
            }
            (a, _) => a.clone(),
        };
        let raw: RawAction = a.to_raw(&p.scenario);
        session
            .apply(a)
            .unwrap_or_else(|e| panic!("{}: {raw:?} refused: {e}", p.name));
    }
    assert!(replaced, "{}: nothing to replace", p.name);
    scoring::score(&p.scenario, &session.attempt())
}

/// The label of a rubric fact by id.
fn label<'a>(p: &'a Playtest, id: &str) -> &'a str {
    p.scenario
        .rubric
        .facts
        .iter()
        .find(|f| f.key == id)
        .map(|f| f.label.as_str())
        .unwrap_or_else(|| panic!("{}: no rubric fact `{id}`", p.scenario.id))
}

fn false_claims(v: &[SentenceVerdict]) -> Vec<String> {
    v.iter()
        .filter(|s| !s.false_claims.is_empty())
        .map(|s| format!("{:?} → {}", s.text, s.false_claims.join("; ")))
        .collect()
}

/// Sentences that earned nothing, with the grader's reason.
fn unearned(v: &[SentenceVerdict]) -> Vec<String> {
    v.iter()
        .filter(|s| s.earned.is_empty())
        .map(|s| {
            format!(
                "{:?} ({})",
                s.text,
                s.reason.as_deref().unwrap_or("no reason given")
            )
        })
        .collect()
}

#[test]
fn issue10_paraphrases_earn_their_facts_without_false_claims() {
    let mut failures = vec![];
    let mut table = vec![];
    let (mut all_stated, mut all_earned, mut texts) = (0usize, 0usize, 0usize);
    let mut ungraded = 0usize;
    for (file, para) in files() {
        let p = playtest(&para.playtest);
        let (mut stated, mut earned) = (0usize, 0usize);
        let slots = para
            .notes
            .iter()
            .map(|t| (Slot::Notes, t))
            .chain(para.handoffs.iter().map(|t| (Slot::Handoff, t)));
        for (i, (slot, t)) in slots.enumerate() {
            texts += 1;
            let card = play(p, slot, &t.text);
            let verdicts = match slot {
                Slot::Notes => &card.writing.notes,
                Slot::Handoff => &card.writing.handoff,
            };
            let got: Vec<&str> = verdicts
                .iter()
                .flat_map(|v| v.earned.iter().map(String::as_str))
                .collect();
            // A hand-off is graded on the variant's hand-off facts only: a stated fact
            // outside them cannot be earned there (counted, and marked, all the same).
            let graded = |id: &str| {
                slot == Slot::Notes || {
                    let v = Session::new(&p.scenario, p.seed).variant();
                    let hf = &p.scenario.variants[v.index()].escalation.handoff;
                    hf.is_empty()
                        || hf
                            .iter()
                            .any(|f| p.scenario.rubric.facts[f.index()].key == id)
                }
            };
            let missing: Vec<String> = t
                .states
                .iter()
                .filter(|id| !got.contains(&label(p, id)))
                .map(|id| {
                    if graded(id) {
                        label(p, id).to_string()
                    } else {
                        ungraded += 1;
                        format!("{} (not a hand-off fact of this variant)", label(p, id))
                    }
                })
                .collect();
            stated += t.states.len();
            earned += t.states.len() - missing.len();
            let what = match slot {
                Slot::Notes => "note",
                Slot::Handoff => "hand-off",
            };
            let mut problems = vec![];
            if !missing.is_empty() {
                problems.push(format!("missing: {}", missing.join("; ")));
            }
            let fc = false_claims(verdicts);
            if !fc.is_empty() {
                problems.push(format!("false claims: {}", fc.join(" | ")));
            }
            if slot == Slot::Handoff {
                let v = Session::new(&p.scenario, p.seed).variant();
                let required: Vec<&str> = p.scenario.variants[v.index()]
                    .escalation
                    .handoff
                    .iter()
                    .map(|f| p.scenario.rubric.facts[f.index()].label.as_str())
                    .filter(|l| !got.contains(l))
                    .collect();
                if !required.is_empty() {
                    problems.push(format!(
                        "required hand-off facts not met: {}",
                        required.join("; ")
                    ));
                }
            }
            if !problems.is_empty() {
                let mut s = format!(
                    "{file} {what} {} ({}): {}",
                    i + 1,
                    t.style,
                    problems.join("; ")
                );
                let un = unearned(verdicts);
                if !un.is_empty() {
                    s.push_str(&format!(
                        "\n    sentences that earned nothing: {}",
                        un.join(" | ")
                    ));
                }
                failures.push(s);
            }
        }
        all_stated += stated;
        all_earned += earned;
        table.push(format!(
            "| {} | {} | {earned}/{stated} | {:.0} % |",
            p.scenario.id,
            para.playtest,
            100.0 * earned as f64 / stated.max(1) as f64
        ));
    }
    println!("| scenario | play-test | facts earned / stated | recall |");
    println!("|---|---|---|---|");
    for row in &table {
        println!("{row}");
    }
    println!(
        "| **all ({texts} texts)** | | {all_earned}/{all_stated} | {:.1} % |",
        100.0 * all_earned as f64 / all_stated.max(1) as f64
    );
    println!(
        "({ungraded} of the misses are hand-off facts outside the variant's `handoff` list, \
         which a hand-off cannot earn; over the graded facts: {all_earned}/{} = {:.1} %)",
        all_stated - ungraded,
        100.0 * all_earned as f64 / (all_stated - ungraded).max(1) as f64
    );
    assert!(
        texts >= 20,
        "the corpus must hold at least 20 paraphrases, has {texts}"
    );
    // No paraphrase may be charged a false claim: an honest note is never punished.
    let false_claimed: Vec<&String> = failures
        .iter()
        .filter(|f| f.contains("false claims:"))
        .collect();
    assert!(
        false_claimed.is_empty(),
        "{} paraphrases were charged false claims:\n{}",
        false_claimed.len(),
        false_claimed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Recall: the measured floor (issue 10 asks for every fact; the misses are listed so
    // the grader can be improved — mostly verbless shorthand such as "Acct locked.").
    let recall = all_earned as f64 / all_stated.max(1) as f64;
    if !failures.is_empty() {
        println!(
            "{} of {texts} paraphrases not fully credited:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    assert!(
        recall >= RECALL_FLOOR,
        "paraphrase recall fell to {all_earned}/{all_stated} ({:.1} %), below the floor {:.0} %:\n{}",
        100.0 * recall,
        100.0 * RECALL_FLOOR,
        failures.join("\n")
    );
}

/// The share of paraphrased facts the grader must credit (measured 322/431 = 74.7 % when
/// the corpus landed; 390/431 = 90.5 % on those 65 texts and 525/586 = 89.6 % with the
/// second round of 24 texts once the note shorthand was read as grammar; raise it as the
/// clause analysis improves, never lower it).
const RECALL_FLOOR: f64 = 0.88;

/// The control for the paraphrases: every bundled expert play-test's own notes and hand-off
/// are true of its attempt, so none of their sentences may be charged as a false claim.
#[test]
fn issue10_expert_notes_make_no_false_claims() {
    let mut failures = vec![];
    for p in PACK.playtests.iter().filter(|p| p.expert) {
        let r = firstline::playtest::run(&p.scenario, p.seed, &p.actions);
        let w = &r.scorecard.writing;
        let fc: Vec<String> = false_claims(&w.notes)
            .into_iter()
            .chain(false_claims(&w.handoff))
            .collect();
        if !fc.is_empty() {
            let stem = p.path.file_stem().unwrap_or_default().to_string_lossy();
            failures.push(format!("{stem}: {}", fc.join(" | ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} expert play-tests are charged false claims for their own notes:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
