//! `ambiguous-phrasing`: a phrasing of a variant-specific rubric fact that matches a
//! sentence of another variant's expert notes or hand-off. In that variant the fact is
//! false, so the grader reads the honest sentence as a false claim and takes points
//! off — the phrasing is too general for the fact it stands for.

use super::{Out, played_variant};
use crate::scenario::load::Playtest;
use crate::scenario::model::{Fact, Scenario};
use crate::scoring::notes::analyse;

/// One phrasing that matched another variant's expert text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub fact: usize,
    pub phrasing: usize,
    /// (play-test name, its variant, the sentence that matched).
    pub matches: Vec<(String, String, String)>,
}

/// Display name and username of every account, as the grader matches names.
fn aliases(s: &Scenario) -> Vec<(String, String)> {
    s.shape()
        .accounts
        .iter()
        .map(|a| (a.display_name.clone(), a.username.clone()))
        .collect()
}

/// Every phrasing of a variant-specific fact that a sentence of an expert play-test of
/// another variant states (its notes and hand-off, as the grader reads them).
pub fn ambiguities(s: &Scenario, tests: &[&Playtest]) -> Vec<Ambiguity> {
    let aliases = aliases(s);
    // The experts' texts, run once each.
    let texts: Vec<(String, crate::ids::VariantId, Vec<String>)> = tests
        .iter()
        .filter(|p| p.expert)
        .map(|p| {
            let run = crate::playtest::run(&p.scenario, p.seed, &p.actions);
            let t = run.session.ticket();
            let mut texts = vec![t.notes.clone()];
            if let Some((_, h)) = &t.escalation {
                texts.push(h.clone());
            }
            (p.name.clone(), played_variant(p), texts)
        })
        .collect();
    // Every phrasing of a variant-specific fact as a fact of its own, so one analysis
    // per text says which phrasings it states.
    let mut which: Vec<(usize, usize)> = vec![];
    let mut ones: Vec<Fact> = vec![];
    for (fi, f) in s.rubric.facts.iter().enumerate() {
        if f.variants.is_empty() {
            continue;
        }
        for (pi, phrasing) in f.phrasings.iter().enumerate() {
            which.push((fi, pi));
            ones.push(Fact {
                key: f.key.clone(),
                label: f.label.clone(),
                phrasings: vec![phrasing.clone()],
                variants: vec![],
                requires: None,
            });
        }
    }
    let refs: Vec<&Fact> = ones.iter().collect();
    let mut out: Vec<Ambiguity> = vec![];
    if refs.is_empty() {
        return out;
    }
    for (name, v, texts) in &texts {
        for text in texts.iter().filter(|t| !t.trim().is_empty()) {
            let an = analyse(text, &refs, &aliases);
            for (k, &(fi, pi)) in which.iter().enumerate() {
                if s.rubric.facts[fi].applies(*v) {
                    continue;
                }
                let Some(sent) = an.sentences.iter().find(|x| x.claims.contains(&k)) else {
                    continue;
                };
                let m = (name.clone(), s.variant(*v).key.clone(), sent.text.clone());
                match out.iter_mut().find(|a| (a.fact, a.phrasing) == (fi, pi)) {
                    Some(a) => {
                        if !a.matches.contains(&m) {
                            a.matches.push(m);
                        }
                    }
                    None => out.push(Ambiguity {
                        fact: fi,
                        phrasing: pi,
                        matches: vec![m],
                    }),
                }
            }
        }
    }
    out.sort_by_key(|a| (a.fact, a.phrasing));
    out
}

pub(super) fn ambiguous_rule(s: &Scenario, tests: &[&Playtest], out: &mut Out) {
    for a in ambiguities(s, tests) {
        let f = &s.rubric.facts[a.fact];
        let only: Vec<String> = f
            .variants
            .iter()
            .map(|v| format!("`{}`", s.variant(*v).key))
            .collect();
        let (name, variant, sentence) = &a.matches[0];
        let more = if a.matches.len() > 1 {
            format!(" (and {} more)", a.matches.len() - 1)
        } else {
            String::new()
        };
        out.warn(
            s,
            "ambiguous-phrasing",
            &format!("rubric.facts[{}].phrasings[{}]", a.fact, a.phrasing),
            format!(
                "phrasing \"{}\" of fact `{}` (only true in {}) matches \"{sentence}\" in the expert play-test `{name}` (variant `{variant}`){more}: there the honest sentence reads as a false claim and costs points",
                f.phrasings[a.phrasing],
                f.key,
                only.join(", ")
            ),
            "make the phrasing say what only this variant shows (add the distinguishing word: the cause, the object, the value), or drop it and keep the specific phrasings".into(),
        );
    }
}
