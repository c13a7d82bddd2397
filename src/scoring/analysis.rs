//! Bridge to the note text analysis: per sentence, what it claims and whether it counts.
//! (Temporary adapter over the older sentence functions until the clause analysis lands.)

use super::notes::{self, Section};
use crate::scenario::model::Fact;
use std::sync::Arc;

/// One sentence of a note, analysed.
#[derive(Debug, Clone, Default)]
pub struct SentenceInfo {
    pub text: String,
    pub section: Option<Section>,
    pub real: bool,
    pub list: bool,
    pub stuffed: bool,
    pub claims: Vec<usize>,
    pub negated: Vec<usize>,
    pub reason: Option<String>,
}

/// A note analysed sentence by sentence.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub sentences: Vec<SentenceInfo>,
}

/// Analyses a note against facts.
pub fn analyse(text: &str, facts: &[&Fact], _aliases: &[(String, String)]) -> Arc<Analysis> {
    let mut out = vec![];
    let mut current: Option<Section> = None;
    for line in text.lines() {
        let (head, _) = notes::strip_heading(line);
        if head.is_some() {
            current = head;
        }
        for s in notes::sentences(line, facts) {
            let claims: Vec<usize> = facts
                .iter()
                .enumerate()
                .filter(|(_, f)| f.phrasings.iter().any(|p| s.lower.contains(p.as_str())))
                .map(|(i, _)| i)
                .collect();
            let stuffed = claims.len() >= 3;
            let reason = if !s.real {
                Some("a list of keywords, not a sentence".to_string())
            } else if claims.is_empty() {
                Some("matched nothing in the rubric".to_string())
            } else {
                None
            };
            out.push(SentenceInfo {
                text: s.text.clone(),
                section: current,
                real: s.real,
                list: !s.real,
                stuffed,
                claims,
                negated: vec![],
                reason,
            });
        }
        if line.trim().is_empty() {
            current = None;
        }
    }
    Arc::new(Analysis { sentences: out })
}

/// Finds a secret in any case or separator form.
pub fn secret_in(text: &str, secrets: &[String]) -> Option<String> {
    let squash = |t: &str| -> String {
        t.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let hay = squash(text);
    secrets.iter().find_map(|s| {
        let n = squash(s);
        (n.len() >= 4 && hay.contains(&n)).then(|| {
            let shown: String = s.chars().take(2).collect();
            format!("a secret of this attempt ({shown}…)")
        })
    })
}
