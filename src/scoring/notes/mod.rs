//! Text analysis for documentation grading: sentences, clauses, sections, facts,
//! secrets.
//!
//! A fact counts when a real sentence in the trainee's own words states it. [`analyse`]
//! splits a note into sentences ([`clause`]), judges each by its grammar (a finite verb
//! with a subject, or a note-style clause led by its verb), matches the rubric's
//! phrasings on stemmed words within a clause ([`matching`]), tells statements from
//! denials ("did not click the link"), marks lists and sentences stuffed with facts,
//! and says in plain words why a sentence earns nothing. Results are cached per input.

mod clause;
mod matching;
mod memo;
mod secrets;
mod sections;
mod tokens;

pub use secrets::secret_in;
pub use sections::{Section, strip_heading};

use crate::scenario::model::Fact;
use clause::Verdict;
use matching::{Hit, Phrase, Stance};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use tokens::{Class, People, tokenize};

/// One sentence of a note and what it states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceInfo {
    /// The original text, trimmed.
    pub text: String,
    /// The section it belongs to: its heading's, else the first whose cue words it has.
    pub section: Option<Section>,
    /// Reads as a sentence (a clause with a verb and a subject, or a note-style clause
    /// led by its verb), not a keyword list, a fragment, a question or a repeat.
    pub real: bool,
    /// A comma/semicolon list of short items.
    pub list: bool,
    /// A list, or a sentence claiming three or more facts: it may earn one fact at most.
    pub stuffed: bool,
    /// Indices into the analysed facts that the sentence states. Only `real` sentences
    /// earn them (see [`Analysis::earned`]).
    pub claims: Vec<usize>,
    /// Indices of facts the sentence explicitly denies ("did not click the link").
    pub negated: Vec<usize>,
    /// Why the sentence earns nothing or less than it says, in words a trainee can act on.
    pub reason: Option<String>,
}

/// The analysis of one note against one rubric.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Analysis {
    pub sentences: Vec<SentenceInfo>,
    /// Sections with real content (a real sentence under the heading or with its cue
    /// words; each sentence credits one section), in `Section::ALL` order.
    pub sections: Vec<Section>,
}

impl Analysis {
    /// The facts the note earns, as (fact index, sentence index), in fact order: every
    /// claim of a real sentence that is not stuffed, and at most one more fact from each
    /// stuffed real sentence. `counts` says which facts may be earned (e.g. the facts
    /// true of this attempt); the others are passed over.
    pub fn earned(&self, counts: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = vec![];
        for (si, s) in self.sentences.iter().enumerate() {
            if s.real && !s.stuffed {
                for &f in &s.claims {
                    if counts(f) && !out.iter().any(|e| e.0 == f) {
                        out.push((f, si));
                    }
                }
            }
        }
        for (si, s) in self.sentences.iter().enumerate() {
            if s.real && s.stuffed {
                let pick = s
                    .claims
                    .iter()
                    .copied()
                    .find(|&f| counts(f) && !out.iter().any(|e| e.0 == f));
                if let Some(f) = pick {
                    out.push((f, si));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Facts a real sentence denies, as (fact index, sentence index).
    pub fn denied(&self) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = vec![];
        for (si, s) in self.sentences.iter().enumerate() {
            if s.real {
                for &f in &s.negated {
                    if !out.iter().any(|e| e.0 == f) {
                        out.push((f, si));
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// How many sentences are real.
    pub fn real_sentences(&self) -> usize {
        self.sentences.iter().filter(|s| s.real).count()
    }
}

/// Analyses `text` against `facts` (their phrasings) and the scenario's people
/// (`aliases`: display name and username, so "Kath Doyle (kdoyle)", "kdoyle" and "Kath
/// Doyle" are one person). The result for the same inputs is computed once and shared.
pub fn analyse(text: &str, facts: &[&Fact], aliases: &[(String, String)]) -> Arc<Analysis> {
    type Cache = Mutex<HashMap<u64, (String, Arc<Analysis>)>>;
    const CACHE_MAX: usize = 4096;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut h = FxHasher::default();
    text.hash(&mut h);
    facts.len().hash(&mut h);
    for f in facts {
        f.phrasings.hash(&mut h);
    }
    aliases.hash(&mut h);
    let key = h.finish();
    let cache = CACHE.get_or_init(Default::default);
    if let Some((t, a)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key)
        && t == text
    {
        return a.clone();
    }
    let a = Arc::new(compute(text, facts, aliases));
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    if c.len() >= CACHE_MAX {
        c.clear();
    }
    c.insert(key, (text.to_string(), a.clone()));
    a
}

/// A fast non-cryptographic hash (FxHash) for the cache key: notes are hashed on
/// every scoring, so the key must cost far less than the analysis.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A sentence claiming this many facts in too few clauses is stuffed.
const STUFFED_AT: usize = 3;
/// Sentences up to this many words are matched as a whole, not clause by clause.
const SHORT_SENTENCE: usize = 10;

fn compute(text: &str, facts: &[&Fact], aliases: &[(String, String)]) -> Analysis {
    let people = People::new(aliases);
    let phrases: Vec<Vec<Phrase>> = facts
        .iter()
        .map(|f| {
            f.phrasings
                .iter()
                .map(|p| Phrase::new(p, &people))
                .collect()
        })
        .collect();
    let mut out = Analysis::default();
    let mut seen: Vec<String> = vec![];
    // Per sentence: its heading, its cue sections, and its block when it is a short
    // unpunctuated line of its own (a candidate item of a one-per-line keyword column).
    let mut meta: Vec<Meta> = vec![];
    let raws = clause::split(text);
    for (ri, raw) in raws.iter().enumerate() {
        let toks = people.resolve(tokenize(&raw.text));
        let shape = clause::shape(&toks);
        // A semicolon ends a statement (in a line that is no list as a whole): each part
        // is read as a sentence of its own.
        let parts: Vec<&str> = if !shape.list() && raw.text.contains(';') {
            raw.text
                .split(';')
                .filter(|p| !p.trim().is_empty())
                .collect()
        } else {
            vec![raw.text.as_str()]
        };
        let alone = |r: Option<&clause::RawSentence>| r.is_none_or(|r| r.line != raw.line);
        let column_item = parts.len() == 1
            && alone(ri.checked_sub(1).and_then(|i| raws.get(i)))
            && alone(raws.get(ri + 1))
            && !raw.text.ends_with(['.', '!', '?'])
            && toks.iter().filter(|t| t.class != Class::Sep).count() <= 5;
        for part in parts {
            let (toks, shape) = if part.len() == raw.text.len() {
                (toks.clone(), shape.clone())
            } else {
                let t = people.resolve(tokenize(part));
                let s = clause::shape(&t);
                (t, s)
            };
            let (info, cues) =
                sentence(part.trim(), raw.heading, &toks, &shape, &phrases, &mut seen);
            out.sentences.push(info);
            meta.push((
                raw.heading,
                cues,
                column_item.then_some(raw.block),
                shape.strict_real,
            ));
        }
    }
    mark_columns(&mut out.sentences, &meta);
    for (info, (heading, cues, _, _)) in out.sentences.iter().zip(&meta) {
        let credit = match heading {
            Some(h) if !out.sections.contains(h) => Some(*h),
            _ => cues.iter().copied().find(|c| !out.sections.contains(c)),
        };
        if info.real
            && let Some(c) = credit
        {
            out.sections.push(c);
        }
    }
    out.sections.sort();
    out
}

/// A run of three or more short unpunctuated lines, most of them not sentences, is a
/// keyword list written one item per line: every line of it is a list item.
/// Lines are judged as column items would be: without the verbless shorthand ("Found:
/// no lease" line after line is a column of keywords).
type Meta = (Option<Section>, Vec<Section>, Option<usize>, bool);

fn mark_columns(sentences: &mut [SentenceInfo], meta: &[Meta]) {
    let mut i = 0;
    while i < sentences.len() {
        let Some(block) = meta[i].2 else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j < sentences.len() && meta[j].2 == Some(block) {
            j += 1;
        }
        let fragments = (i..j).filter(|&k| !sentences[k].real || !meta[k].3).count();
        let run = &mut sentences[i..j];
        if run.len() >= 3 && 2 * fragments >= run.len() {
            for s in run {
                s.list = true;
                s.stuffed = true;
                if s.reason.as_deref() != Some("repeats an earlier sentence") {
                    s.real = false;
                    s.reason = Some("a list of keywords, not a sentence".to_string());
                }
            }
        }
        i = j;
    }
}

/// Analyses one sentence; returns it with the sections its cue words point to.
fn sentence(
    text: &str,
    heading: Option<Section>,
    toks: &[tokens::Token],
    shape: &clause::Shape,
    phrases: &[Vec<Phrase>],
    seen: &mut Vec<String>,
) -> (SentenceInfo, Vec<Section>) {
    let words: Vec<usize> = (0..toks.len())
        .filter(|&i| toks[i].class != Class::Sep)
        .collect();
    let cues = sections::cued(toks);
    let lower = norm(text);
    let repeat = seen.contains(&lower);
    if !repeat {
        seen.push(lower);
    }
    let question = text.trim_end().ends_with('?');
    let list = shape.list();
    let grammatical = shape.verdict == Verdict::Real;
    // A list is a sentence only as a short enumeration after a clause of its own.
    let real = grammatical
        && !repeat
        && !question
        && !(list && (shape.list_items >= 5 || !shape.opener_real));

    // Scopes in which a phrasing must be found whole.
    let mut scopes: Vec<&[usize]> = shape.clauses.iter().map(Vec::as_slice).collect();
    if words.len() <= SHORT_SENTENCE {
        scopes.push(&words);
    }
    let mut claimed: Vec<(usize, Hit)> = vec![];
    let mut negated: Vec<usize> = vec![];
    if !repeat {
        // Negators stated by negative phrasings ("could not print") are theirs.
        let mut consumed: Vec<usize> = vec![];
        for p in phrases.iter().flatten().filter(|p| p.negative) {
            for scope in &scopes {
                if let Some(hit) = p.find(toks, scope)
                    && p.stance(toks, &shape.piece, scope, &hit, &[]) == Some(Stance::Claims)
                {
                    consumed.extend(p.negators_used(&hit));
                }
            }
        }
        for (fi, ps) in phrases.iter().enumerate() {
            let mut best: Option<(usize, Hit)> = None;
            let mut denied = false;
            for p in ps {
                for scope in &scopes {
                    let Some(hit) = p.find(toks, scope) else {
                        continue;
                    };
                    match p.stance(toks, &shape.piece, scope, &hit, &consumed) {
                        Some(Stance::Claims) => {
                            if best.as_ref().is_none_or(|b| p.size() > b.0) {
                                best = Some((p.size(), hit));
                            }
                        }
                        Some(Stance::Denies) => denied = true,
                        Some(Stance::Hedged) | None => {}
                    }
                }
            }
            match best {
                Some((_, hit)) => claimed.push((fi, hit)),
                None if denied => negated.push(fi),
                None => {}
            }
        }
    }
    // A match inside a longer match of another fact is that fact's wording
    // ("sign in" inside "signed in successfully").
    let sets: Vec<Vec<usize>> = claimed
        .iter()
        .map(|(_, h)| {
            let mut s = h.clone();
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect();
    let claims: Vec<usize> = claimed
        .iter()
        .zip(&sets)
        .filter(|(_, h)| {
            !sets
                .iter()
                .any(|o| o.len() > h.len() && h.iter().all(|i| o.contains(i)))
        })
        .map(|(c, _)| c)
        .map(|(f, _)| *f)
        .collect();
    // Stuffed: a list, or three or more facts packed into fewer than half as many
    // clauses ("I verified her, reset it and she confirmed" carries one per clause).
    // Naming the device or person ("on LT-0342", "Kath Doyle") is no extra fact here.
    // Facts read from the same words ("internet link down": the symptom and the
    // finding) are one statement, not two.
    let mut used: Vec<usize> = vec![];
    let substantive = claimed
        .iter()
        .filter(|(f, h)| {
            let counts = claims.contains(f)
                && h.iter()
                    .any(|&i| !matches!(toks[i].class, Class::Num | Class::Name))
                && !h.iter().any(|i| used.contains(i));
            if counts {
                used.extend(h);
            }
            counts
        })
        .count();
    let dense = claims.len() >= STUFFED_AT
        && substantive >= STUFFED_AT
        && substantive > 2 * shape.real_pieces.max(1);
    let stuffed = list || dense;
    let reason = if repeat {
        Some("repeats an earlier sentence".to_string())
    } else if question {
        Some("a question, not a statement: write what you found".to_string())
    } else if list && !real {
        Some("a list of keywords, not a sentence".to_string())
    } else if !real {
        shape.verdict.reason().map(str::to_string)
    } else if dense {
        Some(format!(
            "states {} facts at once — write one sentence per fact",
            claims.len()
        ))
    } else if list {
        Some("a list, so it counts for one fact at most — write one sentence per fact".to_string())
    } else if claims.is_empty() && negated.is_empty() {
        Some("matched nothing in the rubric".to_string())
    } else {
        None
    };
    let info = SentenceInfo {
        text: text.to_string(),
        section: heading.or(cues.first().copied()),
        real,
        list,
        stuffed,
        claims,
        negated,
        reason,
    };
    (info, cues)
}

// ---------------------------------------------------------------------------------
// The API before `analyse`, kept as thin wrappers while callers move over.

/// A sentence of the notes with its analysis.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub text: String,
    pub lower: String,
    /// Reads like a sentence (not a keyword list).
    pub real: bool,
}

/// Normalises whitespace and case.
pub fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The sentences of `text` (each distinct sentence once) and whether each is real.
pub fn sentences(text: &str, facts: &[&Fact]) -> Vec<Sentence> {
    analyse(text, facts, &[])
        .sentences
        .iter()
        .filter(|s| s.reason.as_deref() != Some("repeats an earlier sentence"))
        .map(|s| Sentence {
            text: s.text.clone(),
            lower: norm(&s.text),
            real: s.real,
        })
        .collect()
}

/// Sections that carry real content.
pub fn sections(text: &str, facts: &[&Fact]) -> Vec<Section> {
    analyse(text, facts, &[]).sections.clone()
}

/// Facts stated in real sentences (stuffed sentences earn one at most).
pub fn facts_covered<'a>(text: &str, facts: &[&'a Fact]) -> Vec<&'a Fact> {
    facts_covered_with(text, facts, facts)
}

/// Facts of `facts` stated in real sentences, analysing the text against the wider
/// rubric `vocab` (every fact of the scenario, so a sentence stuffed with other
/// variants' facts is still stuffed).
pub fn facts_covered_with<'a>(text: &str, facts: &[&'a Fact], vocab: &[&Fact]) -> Vec<&'a Fact> {
    let index = |f: &Fact| {
        vocab
            .iter()
            .position(|v| std::ptr::eq(*v, f))
            .or_else(|| vocab.iter().position(|v| v.key == f.key))
    };
    let wanted: Vec<usize> = facts.iter().filter_map(|f| index(f)).collect();
    let earned = analyse(text, vocab, &[]).earned(|i| wanted.contains(&i));
    facts
        .iter()
        .filter(|f| index(f).is_some_and(|i| earned.iter().any(|e| e.0 == i)))
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

const _: () = assert!(UNPROFESSIONAL.len() <= 32, "hits are a u32 bit set");

/// Unprofessional words found (whole words, any case; two-word expressions as
/// consecutive words), in the table's order. Allocates nothing per word: it runs on
/// every scoring.
pub fn unprofessional(text: &str) -> Vec<&'static str> {
    static MEMO: memo::Memo<Vec<&'static str>> = OnceLock::new();
    memo::get(&MEMO, text, slang)
}

fn slang(text: &str) -> Vec<&'static str> {
    /// (first word or "", last word) of each expression, and a bit set of the last
    /// words' lengths, so most words are dismissed with one test.
    static TABLE: LazyLock<(Vec<(&str, &str)>, u64)> = LazyLock::new(|| {
        let parts: Vec<(&str, &str)> = UNPROFESSIONAL
            .iter()
            .map(|u| u.split_once(' ').unwrap_or(("", u)))
            .collect();
        let lens = parts
            .iter()
            .fold(0u64, |m, (_, w)| m | 1 << w.len().min(63));
        (parts, lens)
    });
    let (parts, lens) = &*TABLE;
    let mut hits = 0u32; // bit i: UNPROFESSIONAL[i] found
    let mut prev = "";
    for w in word_slices(text) {
        if lens & (1 << w.len().min(63)) != 0 {
            for (i, (a, b)) in parts.iter().enumerate() {
                if w.len() == b.len()
                    && w.eq_ignore_ascii_case(b)
                    && (a.is_empty() || prev.eq_ignore_ascii_case(a))
                {
                    hits |= 1 << i;
                }
            }
        }
        prev = w;
    }
    UNPROFESSIONAL
        .iter()
        .enumerate()
        .filter(|(i, _)| hits & (1 << i) != 0)
        .map(|(_, u)| *u)
        .collect()
}

/// Finds a secret: one of the attempt's temporary passwords in any case or separator
/// form, a BitLocker recovery key, or a password written after "password:". The
/// description never contains the secret.
pub fn secret(text: &str, temp_passwords: &[String]) -> Option<String> {
    secret_in(text, temp_passwords).or_else(|| secrets::written_secret(text))
}

/// Word count.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Words of `s` (letters, digits, inner dashes, apostrophes and dots), as slices.
fn word_slices(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests;
