//! The five parts of a note, found from headings ("Cause:") or cue words.

use super::matching::Phrase;
use super::tokens::{People, Token};
use std::sync::OnceLock;

/// The five parts of a well-structured note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

    /// How the debrief names the section.
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
                "checks",
                "troubleshooting",
                "investigation",
                "found",
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
                "done",
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
                "needed",
                "next",
                "todo",
                "to do",
            ],
        }
    }

    /// Cue phrasings, matched like rubric phrasings (stemmed, any order in a clause).
    fn cues(self) -> &'static [&'static str] {
        match self {
            Section::Symptom => &[
                "reported",
                "unable",
                "cannot",
                "could not",
                "error",
                "not working",
                "called",
                "says",
                "said",
            ],
            Section::Diagnosis => &[
                "checked",
                "ran",
                "showed",
                "found",
                "confirmed that",
                "verified",
                "looked",
                "tested",
                "lookup",
                "output",
            ],
            Section::Cause => &["cause", "because", "due to", "turned out", "reason"],
            Section::Actions => &[
                "renewed",
                "restarted",
                "reset",
                "unlocked",
                "cleared",
                "set",
                "installed",
                "repaired",
                "cancelled",
                "canceled",
                "escalated",
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
                "can now",
                "next step",
                "follow up",
                "closed",
                "awaiting",
                "handed",
                "will",
            ],
        }
    }
}

/// Splits a `Heading: content` line; returns the section and the content.
pub fn strip_heading(line: &str) -> (Option<Section>, &str) {
    let t = line
        .trim_start()
        .trim_start_matches(['-', '*', '#', ' ', '•']);
    if let Some(i) = t.find(':') {
        let head = t[..i].trim().trim_matches('*').trim().to_lowercase();
        if head.split_whitespace().count() <= 3 {
            for s in Section::ALL {
                if s.headings().contains(&head.as_str()) {
                    return (Some(s), t[i + 1..].trim().trim_start_matches('*').trim());
                }
            }
        }
    }
    (None, line)
}

/// The sections whose cues a sentence's tokens contain, the earliest cue first.
pub fn cued(toks: &[Token]) -> Vec<Section> {
    static CUES: OnceLock<Vec<(Section, Vec<Phrase>)>> = OnceLock::new();
    let cues = CUES.get_or_init(|| {
        let none = People::default();
        Section::ALL
            .into_iter()
            .map(|s| (s, s.cues().iter().map(|c| Phrase::new(c, &none)).collect()))
            .collect()
    });
    let all: Vec<usize> = (0..toks.len()).collect();
    let mut found: Vec<(usize, Section)> = cues
        .iter()
        .filter_map(|(s, ps)| {
            ps.iter()
                .filter_map(|p| p.find(toks, &all))
                .filter_map(|h| h.into_iter().min())
                .min()
                .map(|at| (at, *s))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::notes::tokens::tokenize;

    #[test]
    fn headings_are_found_with_decoration() {
        let cases: &[(&str, Option<Section>, &str)] = &[
            (
                "Cause: password expired",
                Some(Section::Cause),
                "password expired",
            ),
            ("**Outcome:** done", Some(Section::Outcome), "done"),
            ("- Root cause: x", Some(Section::Cause), "x"),
            ("Note: x", None, "Note: x"),
            (
                "Symptom Diagnosis Cause Actions Outcome: x",
                None,
                "Symptom Diagnosis Cause Actions Outcome: x",
            ),
        ];
        for (line, sec, rest) in cases {
            assert_eq!(strip_heading(line), (*sec, *rest), "{line}");
        }
    }

    #[test]
    fn cues_are_stemmed() {
        assert_eq!(
            cued(&tokenize("She restarts the spooler")),
            vec![Section::Actions]
        );
        assert_eq!(
            cued(&tokenize("because the lease expired")),
            vec![Section::Cause]
        );
        assert!(cued(&tokenize("The laptop")).is_empty());
    }
}
