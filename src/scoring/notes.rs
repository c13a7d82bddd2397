//! Text analysis for documentation grading: sentences, sections, facts, secrets.
//!
//! Grading rewards facts stated *in sentences* and sections that *have content*, so a
//! list of rubric keywords or a line of section names earns almost nothing.

use crate::scenario::model::Fact;

/// Words that real sentences contain and keyword lists do not.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "to", "was", "were", "is", "are", "and", "of", "on", "in", "with", "from",
    "by", "for", "after", "before", "it", "their", "they", "she", "he", "her", "his", "user", "i",
    "we", "has", "had", "have", "not", "no", "could", "can", "which", "that", "this", "then", "so",
    "as", "at", "be", "been", "now", "but", "because", "when", "did", "do", "does", "will", "him",
    "them", "its", "you", "your", "me", "us", "there", "all", "any", "up", "out", "off", "again",
    "also", "still", "would", "should", "into", "our", "my",
];

/// The five parts of a well-structured note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Symptom,
    Diagnosis,
    Cause,
    Actions,
    Outcome,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Symptom,
        Section::Diagnosis,
        Section::Cause,
        Section::Actions,
        Section::Outcome,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Section::Symptom => "symptom",
            Section::Diagnosis => "diagnosis",
            Section::Cause => "cause",
            Section::Actions => "actions taken",
            Section::Outcome => "outcome / next step",
        }
    }

    fn headings(self) -> &'static [&'static str] {
        match self {
            Section::Symptom => &[
                "symptom",
                "symptoms",
                "issue",
                "problem",
                "reported",
                "description",
                "summary",
            ],
            Section::Diagnosis => &[
                "diagnosis",
                "findings",
                "checked",
                "troubleshooting",
                "investigation",
                "checks",
            ],
            Section::Cause => &["cause", "root cause"],
            Section::Actions => &[
                "actions",
                "action",
                "actions taken",
                "action taken",
                "fix",
                "steps",
                "work done",
            ],
            Section::Outcome => &[
                "outcome",
                "result",
                "resolution",
                "next steps",
                "next step",
                "status",
                "handoff",
                "hand-off",
            ],
        }
    }

    fn cues(self) -> &'static [&'static str] {
        match self {
            Section::Symptom => &[
                "reported",
                "reports",
                "unable",
                "cannot",
                "can't",
                "could not",
                "couldn't",
                "error",
                "not working",
                "called",
                "says",
            ],
            Section::Diagnosis => &[
                "checked",
                "ran ",
                "showed",
                "shows",
                "found",
                "confirmed that",
                "verified",
                "looked",
                "tested",
                "lookup",
                "output",
            ],
            Section::Cause => &[
                "cause",
                "because",
                "due to",
                "caused",
                "was the reason",
                "turned out",
            ],
            Section::Actions => &[
                "renewed",
                "restarted",
                "reset",
                "unlocked",
                "cleared",
                "set ",
                "installed",
                "repaired",
                "cancelled",
                "canceled",
                "escalated",
                "re-enabled",
                "enabled",
                "reseated",
                "updated",
                "isolated",
                "backed up",
                "archived",
                "guided",
                "walked",
            ],
            Section::Outcome => &[
                "confirmed",
                "resolved",
                "now working",
                "works now",
                "is working",
                "can now",
                "next step",
                "follow up",
                "follow-up",
                "closed",
                "awaiting",
                "handed",
                "will ",
            ],
        }
    }
}

/// A sentence of the notes with its analysis.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub text: String,
    pub lower: String,
    /// Reads like a sentence (not a keyword list).
    pub real: bool,
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '.'))
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Normalises whitespace and case.
pub fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Splits text into sentences (on `.`, `!`, `?`, `;` followed by space, and on line breaks),
/// judging each against the rubric's vocabulary.
pub fn sentences(text: &str, facts: &[&Fact]) -> Vec<Sentence> {
    let vocab: std::collections::HashSet<String> = facts
        .iter()
        .flat_map(|f| f.phrasings.iter().flat_map(|p| words(p)))
        .collect();
    let mut out: Vec<Sentence> = vec![];
    for line in text.lines() {
        let line = strip_heading(line).1;
        let mut cur = String::new();
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            cur.push(*c);
            let boundary = matches!(c, '.' | '!' | '?' | ';')
                && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
                && !cur.trim_end().ends_with("e.g.")
                && !cur.trim_end().ends_with("i.e.");
            if boundary {
                push_sentence(&mut out, &cur, &vocab);
                cur.clear();
            }
        }
        push_sentence(&mut out, &cur, &vocab);
    }
    out
}

fn push_sentence(out: &mut Vec<Sentence>, s: &str, vocab: &std::collections::HashSet<String>) {
    let t = s.trim();
    if t.is_empty() {
        return;
    }
    let w = words(t);
    let function = w
        .iter()
        .filter(|x| FUNCTION_WORDS.contains(&x.as_str()))
        .count();
    let distinct: std::collections::HashSet<&String> = w.iter().collect();
    let keywords = w
        .iter()
        .filter(|x| vocab.contains(*x) && !FUNCTION_WORDS.contains(&x.as_str()))
        .count();
    // A sentence has some grammar (function words), does not repeat itself, and is not
    // mostly rubric vocabulary: at most three in four of its content words may be keywords.
    // Grammar words that are not part of the rubric's own phrasings ("in" of "sign in"
    // does not make a keyword list a sentence). Sentences with rich grammar (three
    // different such words) may be dense in facts.
    let grammar: std::collections::HashSet<&String> = w
        .iter()
        .filter(|x| FUNCTION_WORDS.contains(&x.as_str()) && !vocab.contains(*x))
        .collect();
    let content = w.len() - function;
    let real = w.len() >= 4
        && !grammar.is_empty()
        && content >= 1
        && distinct.len() * 10 >= w.len() * 6
        && (keywords * 4 <= content * 3 || grammar.len() >= 3);
    let lower = norm(t);
    // The same sentence twice counts once.
    if out.iter().any(|x| x.lower == lower) {
        return;
    }
    out.push(Sentence {
        text: t.to_string(),
        lower,
        real,
    });
}

/// Splits a `Heading: content` line; returns the section and the content.
pub fn strip_heading(line: &str) -> (Option<Section>, &str) {
    let t = line.trim_start().trim_start_matches(['-', '*', '#', ' ']);
    if let Some(i) = t.find(':') {
        let head = t[..i].trim().to_lowercase();
        if head.split_whitespace().count() <= 3 {
            for s in Section::ALL {
                if s.headings().contains(&head.as_str()) {
                    return (Some(s), t[i + 1..].trim());
                }
            }
        }
    }
    (None, line)
}

/// Sections that carry real content: a heading followed by a real sentence, or a real
/// sentence with that section's cue words. Each sentence credits at most one section.
pub fn sections(text: &str, facts: &[&Fact]) -> Vec<Section> {
    let mut found: Vec<Section> = vec![];
    let mut current: Option<Section> = None;
    for line in text.lines() {
        let (head, _) = strip_heading(line);
        if head.is_some() {
            current = head;
        }
        for s in sentences(line, facts) {
            if !s.real {
                continue;
            }
            let by_cue = Section::ALL
                .into_iter()
                .find(|sec| !found.contains(sec) && sec.cues().iter().any(|c| s.lower.contains(c)));
            let credit = match current {
                Some(h) if !found.contains(&h) => Some(h),
                _ => by_cue,
            };
            if let Some(c) = credit {
                found.push(c);
            }
        }
        if line.trim().is_empty() {
            current = None;
        }
    }
    found.sort();
    found
}

/// Facts stated in real sentences.
pub fn facts_covered<'a>(text: &str, facts: &[&'a Fact]) -> Vec<&'a Fact> {
    facts_covered_with(text, facts, facts)
}

/// Facts stated in real sentences, judging sentences against a wider rubric vocabulary
/// (every fact of the scenario, so other variants' keywords cannot dilute a keyword list).
pub fn facts_covered_with<'a>(text: &str, facts: &[&'a Fact], vocab: &[&Fact]) -> Vec<&'a Fact> {
    let sents = sentences(text, vocab);
    facts
        .iter()
        .filter(|f| {
            sents
                .iter()
                .any(|s| s.real && f.phrasings.iter().any(|p| s.lower.contains(p.as_str())))
        })
        .copied()
        .collect()
}

const UNPROFESSIONAL: &[&str] = &[
    "stupid",
    "idiot",
    "dumb",
    "clueless",
    "moron",
    "pebkac",
    "id10t",
    "user error",
    "lol",
    "lmao",
    "gonna",
    "wanna",
    "dunno",
    "whatever",
    "ffs",
    "wtf",
    "omg",
    "luser",
    "computer illiterate",
];

/// Unprofessional words found.
pub fn unprofessional(text: &str) -> Vec<&'static str> {
    let w = words(text);
    let lower = norm(text);
    UNPROFESSIONAL
        .iter()
        .copied()
        .filter(|u| {
            if u.contains(' ') {
                lower.contains(u)
            } else {
                w.iter().any(|x| x == u)
            }
        })
        .collect()
}

/// Finds a secret: a generated temporary password, or "password: X" written out.
pub fn secret(text: &str, temp_passwords: &[String]) -> Option<String> {
    for p in temp_passwords {
        if text.contains(p.as_str()) {
            return Some(format!("the temporary password `{p}`"));
        }
    }
    // A BitLocker recovery key: eight groups of six digits.
    for tok in text.split_whitespace() {
        let groups: Vec<&str> = tok
            .trim_matches(|c: char| !c.is_ascii_digit())
            .split('-')
            .collect();
        if groups.len() == 8
            && groups
                .iter()
                .all(|g| g.len() == 6 && g.chars().all(|c| c.is_ascii_digit()))
        {
            return Some("a BitLocker recovery key".to_string());
        }
    }
    let lower = text.to_lowercase();
    for key in [
        "password:",
        "password is",
        "password =",
        "pwd:",
        "pw:",
        "passcode:",
        "password set to",
    ] {
        if let Some(i) = lower.find(key) {
            let rest = text[i + key.len()..].trim_start();
            let tok: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            let tok = tok.trim_end_matches(['.', ',', ';']);
            let looks_secret = tok.len() >= 6
                && tok.chars().any(|c| c.is_ascii_digit())
                && tok.chars().any(|c| c.is_alphabetic());
            if looks_secret {
                return Some(format!("a password written after \"{key}\""));
            }
        }
    }
    None
}

/// Word count.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(p: &[&str]) -> Fact {
        Fact {
            key: "f".into(),
            label: "f".into(),
            phrasings: p.iter().map(|s| s.to_string()).collect(),
            variants: vec![],
            requires: None,
        }
    }

    #[test]
    fn keyword_lists_are_not_sentences() {
        let f = fact(&["dns", "intranet"]);
        let s = sentences("intranet dns apipa dhcp renew", &[&f]);
        assert!(!s[0].real);
        let s = sentences(
            "The user could not open the intranet from the laptop.",
            &[&f],
        );
        assert!(s[0].real);
    }

    #[test]
    fn section_names_alone_earn_nothing() {
        assert!(sections("Symptom Diagnosis Cause Actions Outcome", &[]).is_empty());
        assert!(sections("Symptom:\nDiagnosis:\nCause:\nActions:\nOutcome:", &[]).is_empty());
        let good = "Symptom: The user could not open the intranet site this morning.\nCause: The laptop had a wrong DNS server set by hand.";
        assert_eq!(sections(good, &[]), vec![Section::Symptom, Section::Cause]);
    }

    #[test]
    fn secrets_are_found() {
        assert!(secret("Temp password: Spring-1234-Tide given", &[]).is_some());
        assert!(
            secret(
                "gave the user Spring-0042-Tide",
                &["Spring-0042-Tide".into()]
            )
            .is_some()
        );
        assert!(secret("Password was reset after verifying identity.", &[]).is_none());
    }
}
