//! Notes and hand-offs graded against the attempt: a fact counts when a real sentence
//! states it and it is true of this attempt; a claim that is false costs.

use super::notes::Section;
use crate::scenario::model::{Fact, Scenario};
use crate::session::Attempt;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A note with at least this many lines that match nothing, and more than
/// `NOISE_RATIO` times as many as lines that earn, is padding around a few facts.
const NOISE_LINES: usize = 8;
const NOISE_RATIO: usize = 3;

/// Index of the built-in "it is fixed" claim (after the rubric's facts).
const FIXED_CLAIM: &str = "claim-fixed";

static CLAIM_FIXED: LazyLock<Fact> = LazyLock::new(|| Fact {
    key: FIXED_CLAIM.into(),
    label: "the problem is fixed".into(),
    phrasings: [
        "resolved",
        "fixed",
        "working again",
        "works again",
        "working now",
        "now working",
        "back to normal",
        "problem solved",
        "issue solved",
    ]
    .map(String::from)
    .to_vec(),
    variants: vec![],
    requires: None,
});

/// What the grader made of one sentence, for the debrief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceVerdict {
    pub text: String,
    /// Labels of the facts this sentence earned.
    pub earned: Vec<String>,
    /// Labels of claims in it that are false for this attempt.
    pub false_claims: Vec<String>,
    /// Why it earned nothing (or less than it states), when it did.
    pub reason: Option<String>,
}

/// A note graded against the attempt.
#[derive(Debug, Clone, Default)]
pub struct Graded {
    /// Facts this text had to state.
    pub required: Vec<usize>,
    /// Required facts earned (rubric indices), in the order earned.
    pub earned: Vec<usize>,
    /// False claims: (label, sentence).
    pub false_claims: Vec<(String, String)>,
    pub verdicts: Vec<SentenceVerdict>,
    /// Sections that hold a sentence that earned a fact.
    pub sections: Vec<Section>,
    pub words: usize,
    /// A secret found in the text (described, never quoted).
    pub secret: Option<String>,
    /// Sentences that only restate facts already counted (keyword padding).
    pub padding: usize,
}

impl Graded {
    /// Share of the required facts earned, 0.0–1.0 (0 when nothing was required).
    pub fn coverage(&self) -> f64 {
        if self.required.is_empty() {
            0.0
        } else {
            self.earned.len() as f64 / self.required.len() as f64
        }
    }
    /// Labels of required facts not earned.
    pub fn missing<'a>(&self, s: &'a Scenario) -> Vec<&'a str> {
        self.required
            .iter()
            .filter(|i| !self.earned.contains(i))
            .map(|i| s.rubric.facts[*i].label.as_str())
            .collect()
    }
}

/// Display name and username of every account, so names match with or without them.
fn aliases(s: &Scenario) -> Vec<(String, String)> {
    s.shape()
        .accounts
        .iter()
        .map(|a| (a.display_name.clone(), a.username.clone()))
        .collect()
}

/// Grades `text` for the facts in `required`, judging each claim by `truth`.
pub fn grade(
    s: &Scenario,
    a: &Attempt,
    text: &str,
    required: &[usize],
    truth: &dyn Fn(usize, &Fact) -> bool,
) -> Graded {
    let mut g = Graded {
        required: required.to_vec(),
        words: text.split_whitespace().count(),
        ..Graded::default()
    };
    let mut secrets = a.temp_passwords.clone();
    secrets.extend(s.secrets.iter().cloned());
    g.secret = super::notes::secret_in(text, &secrets);
    if text.trim().is_empty() {
        return g;
    }
    let n = s.rubric.facts.len();
    let mut facts: Vec<&Fact> = s.rubric.facts.iter().collect();
    facts.push(&CLAIM_FIXED);
    let an = super::notes::analyse(text, &facts, &aliases(s));
    let unfixed = !a.resolved && !a.fixed_unconfirmed && a.ticket.escalation.is_none();
    let counts = |i: usize| i < n && required.contains(&i) && truth(i, facts[i]);
    let mut verdicts: Vec<SentenceVerdict> = an
        .sentences
        .iter()
        .map(|sent| SentenceVerdict {
            text: sent.text.clone(),
            earned: vec![],
            false_claims: vec![],
            reason: sent.reason.clone(),
        })
        .collect();
    // False claims, each named once. A sentence that also states something true is not
    // charged for an incidental match (its other words belong to what it truly says).
    for (sent, v) in an.sentences.iter().zip(verdicts.iter_mut()) {
        let states_truth = sent.claims.iter().any(|&i| i < n && truth(i, facts[i]));
        let protected = states_truth && !sent.stuffed && !sent.list;
        for &i in &sent.claims {
            if protected {
                continue;
            }
            let false_claim = if i == n { unfixed } else { !truth(i, facts[i]) };
            if false_claim {
                let label = facts[i].label.clone();
                if !g.false_claims.iter().any(|(l, _)| *l == label) {
                    g.false_claims.push((label.clone(), sent.text.clone()));
                }
                v.false_claims.push(label);
            }
        }
    }
    // Facts: sentences stating one countable fact first, then the rest (a sentence that
    // could mean two facts takes the one nothing else stated). Stuffed sentences and
    // lists earn at most one.
    let countable: Vec<Vec<usize>> = an
        .sentences
        .iter()
        .map(|sent| sent.claims.iter().copied().filter(|i| counts(*i)).collect())
        .collect();
    let mut from_lists = 0usize;
    for single in [true, false] {
        for (k, sent) in an.sentences.iter().enumerate() {
            if !sent.real || (countable[k].len() == 1) != single {
                continue;
            }
            let listy = sent.stuffed || sent.list;
            if listy && from_lists >= 1 {
                if verdicts[k].earned.is_empty() && !countable[k].is_empty() {
                    verdicts[k].reason = Some(
                        "another list already counted: lists and crammed sentences earn one fact in all"
                            .into(),
                    );
                }
                continue;
            }
            let cap = if listy { 1 } else { usize::MAX };
            for &i in &countable[k] {
                if verdicts[k].earned.len() >= cap {
                    verdicts[k].reason = Some(format!(
                        "states {} facts at once: one sentence per fact, please",
                        sent.claims.len()
                    ));
                    break;
                }
                if !g.earned.contains(&i) {
                    g.earned.push(i);
                    verdicts[k].earned.push(facts[i].label.clone());
                    if listy {
                        from_lists += 1;
                    }
                }
            }
        }
    }
    let mut earning = 0usize;
    for (k, sent) in an.sentences.iter().enumerate() {
        let v = &mut verdicts[k];
        if !v.earned.is_empty() {
            earning += 1;
            v.reason = None;
        } else if v.false_claims.is_empty() && !countable[k].is_empty() {
            g.padding += 1;
        }
        if v.earned.is_empty() && v.reason.is_none() {
            v.reason = Some(if !v.false_claims.is_empty() {
                "what it states is not true of this attempt".to_string()
            } else if sent.claims.is_empty() {
                "matched nothing the ticket needs".to_string()
            } else {
                "repeats facts already counted".to_string()
            });
        }
    }
    g.verdicts = verdicts;
    // A note where restating sentences outnumber the ones that say something new is a
    // keyword list spread over lines; a note mostly made of lines that say nothing about
    // this call (another ticket's words pasted in bulk) is one too. Either keeps only
    // its share of the facts.
    let idle = an
        .sentences
        .iter()
        .filter(|sent| sent.claims.is_empty())
        .count();
    let dump = g.padding > earning && !g.earned.is_empty();
    let noise = idle >= NOISE_LINES && idle > NOISE_RATIO * earning && !g.earned.is_empty();
    if dump || noise {
        let other = if dump { g.padding } else { idle };
        let keep = (g.earned.len() * earning).div_ceil(earning + other).max(1);
        let why = if dump {
            "the note repeats the same facts line after line, like a keyword list"
        } else {
            "the note is mostly lines that say nothing about this call, like pasted text"
        };
        for i in g.earned.split_off(keep) {
            let label = &s.rubric.facts[i].label;
            for v in &mut g.verdicts {
                if v.earned.contains(label) {
                    v.earned.retain(|l| l != label);
                    v.reason = Some(why.into());
                }
            }
        }
    }
    let dump = dump || noise;
    // Sections: a section counts when a real sentence in it states a true fact.
    for (k, sent) in an.sentences.iter().enumerate() {
        let ok = if dump {
            countable[k].iter().any(|i| g.earned.contains(i))
        } else {
            sent.real && !countable[k].is_empty()
        };
        if ok
            && let Some(sec) = sent.section
            && !g.sections.contains(&sec)
        {
            g.sections.push(sec);
        }
    }
    g.sections.sort();
    g
}
