//! Sentences, clauses and lists: is this a real sentence?
//!
//! A clause is real when it has a finite verb with a subject ("Password expired during
//! leave", "The gateway is down") or is a note-style clause led by a verb with an object
//! or a prepositional phrase ("Reset the password", "Escalated to Security"). Verbs are
//! told by morphology (-ed), a closed lexicon (auxiliaries, modals, irregular pasts) and
//! position (a word after a subject pronoun; a word that opens a clause and is followed
//! by a determiner). A clause without any function word is real only when it is short
//! and has one verb after its subject ("Spooler crashed overnight"). A comma list of
//! short non-clauses is a list, whatever words open it.

use super::sections::{Section, strip_heading};
use super::tokens::{Class, Token};

/// Why a clause is not a sentence (or that it is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Real,
    NoVerb,
    TooShort,
    Keywords,
    NoSubject,
}

impl Verdict {
    /// What the trainee should do about it.
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Verdict::Real => None,
            Verdict::NoVerb => Some("no verb: write what happened"),
            Verdict::TooShort => Some("too short: write a full sentence saying who did what"),
            Verdict::Keywords => Some("a string of keywords, not a sentence: write what happened"),
            Verdict::NoSubject => Some("no subject or object: write who did what to what"),
        }
    }
}

/// A sentence of the note before analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSentence {
    /// The original text, trimmed.
    pub text: String,
    /// The section of the heading it stands under.
    pub heading: Option<Section>,
    /// The line it is on (0-based).
    pub line: usize,
    /// Blank-line-separated block it is in (0-based).
    pub block: usize,
}

const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "etc.", "approx.", "ext.", "no.", "vs.", "mr.", "mrs.", "ms.", "dr.", "st.",
    "tel.", "ref.", "cf.",
];

/// Splits a note into sentences: at line breaks and at `.`, `!`, `?` before a space,
/// keeping track of `Heading:` sections (a heading holds until a blank line or the
/// next heading).
pub fn split(text: &str) -> Vec<RawSentence> {
    let mut out = vec![];
    let mut current: Option<Section> = None;
    let mut block = 0;
    for (no, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            current = None;
            block += 1;
            continue;
        }
        let (head, rest) = strip_heading(line);
        if head.is_some() {
            current = head;
        }
        let rest = rest.trim();
        // A bullet is no part of the sentence; an arrow ("-> SecOps") is.
        let rest = if rest.starts_with("->") || rest.starts_with("=>") {
            rest
        } else {
            rest.trim_start_matches(['-', '*', '•', '>', ' '])
        };
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        let mut start = 0;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let next = chars.get(k + 1).map(|x| x.1);
            if !next.is_none_or(|n| n.is_whitespace() || matches!(n, '"' | ')' | '\'')) {
                continue;
            }
            let piece = &rest[start..i + c.len_utf8()];
            let last_word = piece
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_lowercase();
            // "e.g.", and an initial ("J. Ashworth") end no sentence.
            let initial = last_word.len() == 2
                && last_word.starts_with(|ch: char| ch.is_alphabetic())
                && piece.trim_end().ends_with('.')
                && rest[..i].chars().last().is_some_and(char::is_uppercase);
            if c == '.' && (ABBREVIATIONS.contains(&last_word.as_str()) || initial) {
                continue;
            }
            push(&mut out, piece, current, no, block);
            start = i + c.len_utf8();
        }
        push(&mut out, &rest[start..], current, no, block);
    }
    out
}

fn push(out: &mut Vec<RawSentence>, s: &str, heading: Option<Section>, line: usize, block: usize) {
    let t = s.trim();
    if t.chars().any(char::is_alphanumeric) {
        out.push(RawSentence {
            text: t.to_string(),
            heading,
            line,
            block,
        });
    }
}

/// The structure of one sentence.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Clauses as token positions: a piece with a verb and the verbless pieces after it.
    pub clauses: Vec<Vec<usize>>,
    /// For each token position, the piece (between separators and clause conjunctions)
    /// it belongs to.
    pub piece: Vec<usize>,
    /// Items of a list (0 when the sentence is not a list).
    pub list_items: usize,
    /// The first item of the list is a clause of its own ("We checked the printer: ...").
    pub opener_real: bool,
    /// The verdict of the best piece.
    pub verdict: Verdict,
    /// Some piece is a sentence without the note's verbless shorthand (how an item of a
    /// list or of a one-per-line column is judged).
    pub strict_real: bool,
    /// How many pieces are real clauses (those without any function word count as one).
    pub real_pieces: usize,
}

impl Shape {
    pub fn list(&self) -> bool {
        self.list_items > 0
    }
}

/// Verb particles: "back to work" is a keyword item, not an adjunct like "on Monday".
const PARTICLES: &[&str] = &["back", "out", "up", "off", "down", "away"];

/// Conjunctions that start a new clause when a verb follows.
const CLAUSE_CONJ: &[&str] = &[
    "and", "but", "so", "because", "which", "while", "whereas", "although", "though", "then",
];

/// Is the word at `i` of the clause `t` a verb?
fn is_verb(t: &[&Token], i: usize) -> bool {
    let prev = |i: usize| -> Option<&Token> {
        (0..i)
            .rev()
            .map(|j| t[j])
            .find(|x| !matches!(x.class, Class::Adv | Class::Ly | Class::Neg))
    };
    match t[i].class {
        Class::Aux | Class::Modal => true,
        // Not after a determiner, preposition or quantity ("the expired password",
        // "after five failed attempts"); a code ("LT-0611 reached") is a subject.
        Class::Ed | Class::Irr => match i.checked_sub(1).map(|j| t[j].class) {
            // "Both warned via Teams": a quantifier standing as the subject.
            Some(Class::Det)
                if matches!(t[i - 1].norm.as_str(), "both" | "all" | "each")
                    && t.get(i + 1).is_none_or(|x| {
                        matches!(x.class, Class::Prep | Class::Adv | Class::Ly | Class::Sep)
                    }) =>
            {
                true
            }
            Some(Class::Det | Class::Prep) => false,
            Some(Class::Num) => i >= 2 && matches!(t[i - 2].class, Class::Word | Class::Num),
            _ => true,
        },
        Class::Word => {
            // After a pronoun, or an -s form after a person ("Dave forwards the mail").
            let s_word =
                t[i].norm.len() >= 4 && t[i].norm.ends_with('s') && !t[i].norm.ends_with("ss");
            let after_subject = prev(i).is_some_and(|p| {
                p.class == Class::Subj
                    || (s_word && p.class == Class::Name && i >= 1 && t[i - 1].class == Class::Name)
            });
            // A present tense after its noun phrase: "the status board shows the ...",
            // "Excel says the disk ...", "email works on mobiles".
            let start = (0..i)
                .rev()
                .take_while(|&j| matches!(t[j].class, Class::Word | Class::Name | Class::Num))
                .last();
            // A person opening the noun phrase is its subject ("edemir wants access").
            let person = start.is_some_and(|s| t[s].class == Class::Name);
            let opened = start.is_some_and(|s| {
                s == 0
                    || t[s - 1].class == Class::Det
                    || matches!(t[s - 1].class, Class::Conj | Class::Sep)
            });
            let then = t.get(i + 1).is_none_or(|n| {
                matches!(
                    n.class,
                    Class::Det
                        | Class::Obj
                        | Class::Prep
                        | Class::Adv
                        | Class::Ly
                        | Class::Subj
                        | Class::Neg
                )
            });
            let s_form = t[i].norm.len() >= 4
                && t[i].norm.ends_with('s')
                && !t[i].norm.ends_with("ss")
                && !t[i].norm.ends_with("us")
                && opened
                && (then
                    || person
                    || start.is_some_and(|s| s >= 1 && t[s - 1].class == Class::Det));
            after_subject || s_form || imperative(t, i)
        }
        _ => false,
    }
}

/// A plain word that opens a clause and is followed by a determiner or object pronoun
/// ("Restart the spooler", "Tell her").
fn imperative(t: &[&Token], i: usize) -> bool {
    let opens = t[..i]
        .iter()
        .all(|x| matches!(x.class, Class::Conj | Class::Adv | Class::Ly | Class::Neg));
    opens
        && t[i].class == Class::Word
        && t.get(i + 1)
            .is_some_and(|n| matches!(n.class, Class::Det | Class::Obj | Class::Name))
}

/// A finite verb with a subject before it ("Password expired", "She forwarded it").
fn has_subject(t: &[&Token], verbs: &[usize]) -> bool {
    let n = t.len();
    verbs.iter().any(|&v| {
        // "Nothing was granted", "nobody clicked": a negative pronoun is a subject.
        let s = (0..v).rev().find(|&j| {
            !matches!(
                t[j].class,
                Class::Adv | Class::Ly | Class::Neg | Class::Aux | Class::Modal
            ) || matches!(t[j].norm.as_str(), "nothing" | "nobody" | "none" | "noone")
        });
        s.is_some_and(|s| {
            let subject = t[s].class == Class::Subj
                || t[s].class.nominal()
                || t[s].class == Class::Neg
                || matches!(t[s].norm.as_str(), "both" | "all" | "each");
            subject && (n >= 3 || t[s].class == Class::Subj)
        })
    })
}

/// Adjectives that say what state something is in ("Teams offline", "web OK", "cable
/// fine"): in a note they stand for "is offline", "is OK".
const STATES: &[&str] = &[
    "ok",
    "okay",
    "fine",
    "down",
    "offline",
    "online",
    "full",
    "empty",
    "valid",
    "invalid",
    "dead",
    "faulty",
    "corrupt",
    "missing",
    "intact",
    "healthy",
    "bad",
    "good",
    "same",
    "slow",
    "busy",
    "free",
    "blank",
    "normal",
    "live",
    "active",
    "inactive",
    "wrong",
    "correct",
    "loose",
    "unknown",
    "unaffected",
    "affected",
    "unavailable",
    "available",
    "unreachable",
    "reachable",
    "unresponsive",
    "responsive",
    "inaccessible",
    "accessible",
    "unusable",
    "usable",
    "current",
    "due",
    "over",
    "away",
    "gone",
    "fixed",
    "enabled",
    "disabled",
    "locked",
    "expired",
];

/// Prepositions that can carry a verbless predicate ("user on a spare desk", "owner on
/// leave till the 24th"); not those that only build a noun phrase ("loss of the line").
const PRED_PREPS: &[&str] = &[
    "in", "on", "at", "from", "with", "without", "since", "until", "till", "after", "before",
    "during", "over", "under", "off", "out", "up", "back", "away", "behind", "near", "within",
    "across", "between", "despite",
];

/// A word stating a state, by the closed list above or by its shape ("un-...-able").
fn state(t: &Token) -> bool {
    let w = t.norm.as_str();
    STATES.contains(&w)
        || (w.len() >= 8 && (w.starts_with("un") || w.starts_with("in")) && w.ends_with("able"))
}

/// A clause whose copula or auxiliary a note leaves out: a subject noun phrase, then its
/// predicate — a state ("Teams offline", "web OK", "link down"), a present participle
/// ("HDD dying"), or a prepositional phrase ("user on a spare hot desk", "owner
/// on leave till the 24th"). "No power", "not a device issue": the negated existence
/// of a thing ("there was no power").
fn verbless(t: &[&Token]) -> bool {
    let n = t.len();
    let mut i = 0;
    while i < n && matches!(t[i].class, Class::Conj | Class::Adv | Class::Ly) {
        i += 1;
    }
    // "no power", "not a device issue", "no quota change"
    if i < n && matches!(t[i].norm.as_str(), "no" | "not") {
        let mut j = i + 1;
        if t[i].norm == "not" {
            if !(j < n && t[j].class == Class::Det) {
                return false;
            }
            j += 1;
        }
        let start = j;
        while j < n
            && matches!(
                t[j].class,
                Class::Word | Class::Name | Class::Num | Class::Ing
            )
        {
            j += 1;
        }
        return j > start && j - start <= 4;
    }
    if i < n && t[i].class == Class::Det {
        i += 1;
    }
    let start = i;
    while i < n {
        let c = t[i].class;
        let next_nominal = t.get(i + 1).is_some_and(|x| x.class.nominal() && !state(x));
        let join = matches!(t[i].norm.as_str(), "and" | "or") && i > start && next_nominal;
        // "6 failed sign-ins", "the expired password": a participle before its noun.
        let attributive = matches!(c, Class::Ed | Class::Irr) && next_nominal;
        if !(join || attributive || (c.nominal() && !state(t[i]))) {
            break;
        }
        i += 1;
    }
    let nominals = (start..i).filter(|&j| t[j].class.nominal()).count();
    if nominals == 0 || nominals > 6 {
        return false;
    }
    // "HDD dying": a participle closing the noun phrase is its predicate.
    if nominals >= 2 && t[i - 1].class == Class::Ing && (i == n || t[i].class != Class::Det) {
        return true;
    }
    // "PC no lights": what it lacks.
    if t.get(i).is_some_and(|x| x.norm == "no") && t.get(i + 1).is_some_and(|x| x.class.nominal()) {
        return true;
    }
    while i < n && matches!(t[i].class, Class::Adv | Class::Ly | Class::Neg) {
        i += 1;
    }
    let Some(p) = t.get(i) else {
        return false;
    };
    // "monitor 'No DP signal'": what it showed, quoted.
    if p.quoted && !t[i - 1].quoted {
        return true;
    }
    // "server not responding", "Priya to be told", "line provider to restore the line"
    if p.class == Class::Ing
        || (p.norm == "to"
            && t.get(i + 1).is_some_and(|x| {
                x.class == Class::Aux
                    || (x.class == Class::Word
                        && t.get(i + 2)
                            .is_some_and(|y| matches!(y.class, Class::Det | Class::Obj)))
            }))
    {
        return true;
    }
    if state(p) {
        return true;
    }
    // "user back in", "server back up": a particle closing the clause.
    if PARTICLES.contains(&p.norm.as_str())
        && t.get(i + 1).is_none_or(|x| x.class == Class::Prep)
        && (i + 1 >= n || t[i + 1].norm != "of")
    {
        return true;
    }
    if p.class == Class::Prep && PRED_PREPS.contains(&p.norm.as_str()) {
        let mut j = i + 1;
        // "out of addresses", "back in the office"
        if PARTICLES.contains(&p.norm.as_str()) && t.get(j).is_some_and(|x| x.class == Class::Prep)
        {
            j += 1;
        }
        while j < n && matches!(t[j].class, Class::Det | Class::Adv) {
            j += 1;
        }
        return j < n && t[j].class.nominal();
    }
    false
}

/// A clause with a subject and its verb, and some function word (not telegraphic).
fn subject_clause(t: &[&Token]) -> bool {
    let verbs: Vec<usize> = (0..t.len()).filter(|&i| is_verb(t, i)).collect();
    t.iter().any(|x| x.class.closed()) && has_subject(t, &verbs)
}

/// Judges one clause. A note's verbless shorthand ("PSU failed", "Teams offline",
/// "user on a spare desk") is a clause of its own.
pub fn verdict(t: &[&Token]) -> Verdict {
    judge(t, true)
}

/// Judges one clause; `terse` accepts the verbless forms and two-word clauses of a
/// note. An item of a comma enumeration is judged without them: "own mailbox full" is a
/// sentence on its own line but a keyword among keywords.
fn judge(t: &[&Token], terse: bool) -> Verdict {
    let n = t.len();
    if n == 0 {
        return Verdict::NoVerb;
    }
    let verbs: Vec<usize> = (0..n).filter(|&i| is_verb(t, i)).collect();
    let closed = t.iter().any(|x| x.class.closed());
    if !closed {
        // Telegraphic: "Spooler crashed overnight", one verb after its subject.
        // ... or two, each after its own subject ("User confirmed contracts printed").
        let telegraphic = (if terse { 2 } else { 3 }..=6).contains(&n)
            && (verbs.len() == 1 || (terse && verbs.len() == 2))
            && verbs.iter().all(|&v| v >= 1 && t[v - 1].class.nominal());
        // "Escalated L2 Network", "Cancelled job 1044": a past verb and what it acted
        // on, named by a code, number or name (not "verified callback").
        let acted_on = terse
            && (2..=6).contains(&n)
            && matches!(t[0].class, Class::Ed | Class::Irr)
            && t[1..]
                .iter()
                .all(|x| x.class.nominal() || x.class == Class::Ly)
            && t[1..]
                .iter()
                .any(|x| matches!(x.class, Class::Num | Class::Name));
        return if telegraphic || acted_on || (terse && verbless(t)) {
            Verdict::Real
        } else if verbs.is_empty() {
            Verdict::NoVerb
        } else if n < 3 {
            Verdict::TooShort
        } else {
            Verdict::Keywords
        };
    }
    if has_subject(t, &verbs) {
        return Verdict::Real;
    }
    // A note-style clause led by its verb, with an object or prepositional phrase.
    let f = (0..n).find(|&i| {
        !matches!(
            t[i].class,
            Class::Conj | Class::Adv | Class::Ly | Class::Neg
        )
    });
    if let Some(f) = f {
        let led = verbs.contains(&f) || imperative(t, f);
        let main = if matches!(t[f].class, Class::Aux | Class::Modal) {
            (f + 1..n).find(|&i| {
                !matches!(
                    t[i].class,
                    Class::Adv | Class::Ly | Class::Neg | Class::Aux | Class::Modal
                )
            })
        } else {
            Some(f)
        };
        if led
            && n >= 3
            && let Some(v) = main
        {
            let complement = (v + 1..n).any(|j| {
                matches!(
                    t[j].class,
                    Class::Det | Class::Obj | Class::Prep | Class::Num | Class::Subj
                ) && (j..n).any(|k| {
                    t[k].class.nominal()
                        || (k > j && t[k].class == Class::Obj)
                        || t[k].class == Class::Num
                        // "left it on", "switched it off"
                        || (k == j + 1
                            && matches!(t[j].class, Class::Obj | Class::Subj)
                            && (PARTICLES.contains(&t[k].norm.as_str())
                                || matches!(t[k].norm.as_str(), "on" | "in")))
                })
            });
            if complement {
                return Verdict::Real;
            }
        }
    }
    if terse && verbless(t) {
        Verdict::Real
    } else if verbs.is_empty() && !f.is_some_and(|f| imperative(t, f)) {
        Verdict::NoVerb
    } else if n < 3 {
        Verdict::TooShort
    } else {
        Verdict::NoSubject
    }
}

/// Splits the token positions of `idx` at clause conjunctions followed by a verb.
fn pieces_of(toks: &[Token], idx: &[usize]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![];
    let mut cur: Vec<usize> = vec![];
    for (k, &i) in idx.iter().enumerate() {
        let conj = CLAUSE_CONJ.contains(&toks[i].norm.as_str()) && !cur.is_empty();
        if conj {
            let rest: Vec<&Token> = idx[k + 1..].iter().map(|&j| &toks[j]).collect();
            if (0..rest.len()).any(|j| is_verb(&rest, j)) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(i);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn refs<'a>(toks: &'a [Token], idx: &[usize]) -> Vec<&'a Token> {
    idx.iter().map(|&i| &toks[i]).collect()
}

/// Analyses the structure of a sentence's tokens.
pub fn shape(toks: &[Token]) -> Shape {
    // Segments between separators.
    let mut segments: Vec<Vec<usize>> = vec![vec![]];
    for (i, t) in toks.iter().enumerate() {
        if t.class == Class::Sep {
            segments.push(vec![]);
        } else if let Some(s) = segments.last_mut() {
            s.push(i);
        }
    }
    segments.retain(|s| !s.is_empty());

    // A label before a colon ("Status:", "Found:", "LT-0342 (kmensah):") names what the
    // line is about; it is no item of a list that follows.
    let labelled = segments.len() >= 2
        && segments[0].len() <= 4
        && toks
            .get(segments[0][segments[0].len() - 1] + 1)
            .is_some_and(|t| t.norm == ":")
        && verdict(&refs(toks, &segments[0])) != Verdict::Real;

    // List items: the segments, the last one split at a final "and"/"or".
    let mut items = segments[usize::from(labelled)..].to_vec();
    if items.len() >= 2
        && let Some(last) = items.pop()
    {
        // ("no clean-up or restart" is one negated phrase, not two items.)
        let negated = matches!(toks[last[0]].norm.as_str(), "no" | "not" | "neither");
        match last
            .iter()
            .position(|&i| matches!(toks[i].norm.as_str(), "and" | "or"))
        {
            Some(p) if p > 0 && p + 1 < last.len() && !negated => {
                items.push(last[..p].to_vec());
                items.push(last[p + 1..].to_vec());
            }
            _ => items.push(last),
        }
    }
    // Keyword items: short, not clauses, not adjuncts ("on Monday", "at 9:15"); only
    // those after the last clause with its own subject count, so appositives before
    // the verb ("Meg Castellano, Credit Control manager, reported ...") are no list.
    let after = items
        .iter()
        .rposition(|it| subject_clause(&refs(toks, it)))
        .map_or(0, |i| i + 1);
    let keyword = |it: &&Vec<usize>| {
        it.len() <= 5
            && toks[it[0]].class != Class::Conj
            && !(matches!(toks[it[0]].class, Class::Prep | Class::Adv | Class::Ly)
                && !PARTICLES.contains(&toks[it[0]].norm.as_str())
                && it[1..].iter().any(|&i| toks[i].class.nominal()))
            && judge(&refs(toks, it), false) != Verdict::Real
    };
    // Two keyword items among commas make a list only after the last real clause longer
    // than a keyword item (so a subject with appositives, "Priya Raman, working from
    // home, couldn't reach the CRM", is no list).
    let after_real = items
        .iter()
        .rposition(|it| it.len() > 5 && judge(&refs(toks, it), false) == Verdict::Real)
        .map_or(0, |i| i + 1);
    let trailing = items[after_real..].iter().filter(keyword).count();
    let keywords = items[after..].iter().filter(|it| keyword(it)).count();
    let commas = toks
        .iter()
        .filter(|t| t.class == Class::Sep && matches!(t.norm.as_str(), "," | ";"))
        .count();
    // After a colon, keyword items and nothing else: with two or more, a list however
    // few commas ("We saw it was: crash, payroll."); after an opener of function words
    // only ("It was all of: password reset."), keywords and no sentence at all.
    let colon = toks
        .iter()
        .position(|t| t.class == Class::Sep && t.norm == ":");
    let after_colon: Vec<&Vec<usize>> = colon
        .map(|c| items.iter().filter(|it| it[0] > c).collect())
        .unwrap_or_default();
    let keywords_after_colon = !after_colon.is_empty() && after_colon.iter().all(keyword);
    let empty_opener = colon.is_some_and(|c| {
        c > 0
            && toks[..c]
                .iter()
                .all(|t| t.class.closed() || t.class == Class::Sep)
    });
    // Short items after a colon, no conjunction among them, at least one a keyword and at
    // most one a clause of its own ("We saw it was: mailbox is full, mb of."): a list too.
    let short_items_after_colon = colon.is_some_and(|c| {
        after_colon.len() >= 2
            && after_colon.iter().all(|it| it.len() <= 5)
            && after_colon.iter().any(keyword)
            && after_colon
                .iter()
                .filter(|it| verdict(&refs(toks, it)) == Verdict::Real)
                .count()
                <= 1
            && !toks[c..].iter().any(|t| t.class == Class::Conj)
            && toks[c + 1..]
                .iter()
                .all(|t| t.class != Class::Sep || t.norm == ",")
    });
    let colon_list = (keywords_after_colon && (after_colon.len() >= 2 || empty_opener))
        || short_items_after_colon;
    // Two keyword items are enough among two or more commas.
    let list = colon_list
        || (items.len() >= 3
            && (keywords >= 3 || (trailing >= 2 && commas >= 2))
            && 2 * keywords >= items.len() + usize::from(labelled))
        // Eight or more comma items, nearly all short, are an enumeration whatever their
        // grammar: prose does not run eight clauses on commas alone.
        || (items.len() >= 8
            && 5 * items[1..].iter().filter(|it| it.len() <= 8).count()
                >= 4 * (items.len() - 1))
        || (items.len() >= 6
            && items[1..].iter().all(|it| it.len() <= 5)
            && (items.len() >= 8
                || items[1..]
                    .iter()
                    .filter(|it| subject_clause(&refs(toks, it)))
                    .count()
                    <= 1));

    // Pieces: segments split at clause conjunctions; clauses: a piece with a verb and
    // the verbless pieces after it (verbless pieces before the first verb join it).
    let mut piece = vec![0; toks.len()];
    let mut clauses: Vec<Vec<usize>> = vec![];
    let mut pending: Vec<usize> = vec![];
    let mut best: Option<(Verdict, usize)> = None;
    let mut strict_real = false;
    let mut real_pieces = 0;
    let mut terse_pieces = 0;
    let mut k = 0;
    // "ghartley / PC-GIN-02: can't sign in": a person's label is the subject of what
    // follows it.
    let person_label = labelled && segments[0].iter().any(|&i| toks[i].class == Class::Name);
    for (si, seg) in segments.iter().enumerate() {
        for (pi, p) in pieces_of(toks, seg).into_iter().enumerate() {
            for &i in &p {
                piece[i] = k;
            }
            k += 1;
            let r = refs(toks, &p);
            let mut v = verdict(&r);
            strict_real |= judge(&r, false) == Verdict::Real;
            if person_label && si == 1 && pi == 0 && v == Verdict::NoSubject {
                let first = r
                    .iter()
                    .find(|x| !matches!(x.class, Class::Adv | Class::Ly | Class::Neg));
                if first.is_some_and(|x| matches!(x.class, Class::Aux | Class::Modal)) {
                    let mut with: Vec<usize> = segments[0].clone();
                    with.extend(&p);
                    v = verdict(&refs(toks, &with));
                }
            }
            // Clauses without a single function word ("pw expired", "acct verified")
            // count as one between them: chained, they are a list.
            if v == Verdict::Real {
                let body = r.iter().skip_while(|x| x.class == Class::Conj);
                if body.clone().any(|x| x.class.closed()) {
                    real_pieces += 1;
                } else {
                    terse_pieces += 1;
                }
            }
            let rank = |v: Verdict| match v {
                Verdict::Real => 4,
                Verdict::NoSubject => 3,
                Verdict::Keywords => 2,
                Verdict::TooShort => 1,
                Verdict::NoVerb => 0,
            };
            if best.is_none_or(|(b, len)| (rank(v), p.len()) > (rank(b), len)) {
                best = Some((v, p.len()));
            }
            let has_verb = (0..r.len()).any(|j| is_verb(&r, j));
            // A relative clause ("..., which failed") is read with what it is about.
            let relative = matches!(toks[p[0]].norm.as_str(), "which" | "who");
            if has_verb && relative && !clauses.is_empty() {
                if let Some(c) = clauses.last_mut() {
                    c.extend(&p);
                }
            } else if has_verb {
                let mut c = std::mem::take(&mut pending);
                c.extend(&p);
                clauses.push(c);
            } else if let Some(c) = clauses.last_mut() {
                c.extend(&p);
            } else {
                pending.extend(&p);
            }
        }
    }
    if !pending.is_empty() {
        clauses.push(pending);
    }
    Shape {
        clauses,
        piece,
        list_items: if list { items.len() } else { 0 },
        opener_real: items
            .first()
            .is_some_and(|it| verdict(&refs(toks, it)) == Verdict::Real),
        verdict: if keywords_after_colon && empty_opener {
            Verdict::Keywords
        } else {
            best.map(|b| b.0).unwrap_or(Verdict::NoVerb)
        },
        strict_real,
        real_pieces: real_pieces + terse_pieces.min(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::notes::tokens::tokenize;

    fn judge(s: &str) -> (Verdict, bool) {
        let sh = shape(&tokenize(s));
        (sh.verdict, sh.list())
    }

    #[test]
    fn real_sentences_by_grammar() {
        use Verdict::*;
        let cases: &[(&str, Verdict, bool)] = &[
            ("Reset the password.", Real, false),
            ("Password expired during leave.", Real, false),
            ("User signed in and set a new password.", Real, false),
            ("The gateway is down.", Real, false),
            (
                "She forwarded it at 09:56 to Kath Doyle (kdoyle) and Tom Brennan (tbrennan)",
                Real,
                false,
            ),
            (
                "Escalated to Security with the sender and subject.",
                Real,
                false,
            ),
            ("Restart the print spooler.", Real, false),
            ("Spooler crashed overnight", Real, false),
            ("It works now", Real, false),
            ("The printer works again.", Real, false),
            (
                "The status board shows the depot link as an outage.",
                Real,
                false,
            ),
            ("Excel says the disk is full", Real, false),
            ("Symptom Diagnosis Cause Actions Outcome", NoVerb, false),
            ("Did not click the link.", Real, false),
            ("Was locked out after five failed attempts.", Real, false),
            (
                "A ping from LT-0611 reached wms.corp but not outlook.office365.com.",
                Real,
                false,
            ),
            (
                "Meg Castellano, Credit Control manager, reported that the batch was awaiting approval by Tobias Wren (tbwren), a leaver.",
                Real,
                false,
            ),
            (
                "Diagnostics showed no power, with the monitor, cable and input fine.",
                Real,
                true,
            ),
            ("On Monday, the user called.", Real, false),
            (
                "Priya Raman (praman), working from home, couldn't reach the CRM system",
                Real,
                false,
            ),
            (
                "The spooler kept falling over, and the log showed it crashing on job 1044, Priya's PDF, which was corrupted.",
                Real,
                false,
            ),
            (
                "It gets no power at all: no light, no fan, and hwdiag shows no power, while the monitor, its cable and input are fine.",
                Real,
                false,
            ),
            ("We did all of them to be sure.", Real, false),
            ("On Monday, at 9:15, the screen went black.", Real, false),
            (
                "password reset, temporary password, reset the password",
                Real,
                true,
            ),
            (
                "Subject line: Password expiry notice - action required today.",
                Real,
                false,
            ),
            ("intranet dns apipa dhcp renew", NoVerb, false),
            ("expired password reset verified callback", Keywords, false),
            ("password reset unlocked", Keywords, false),
            ("verified callback", TooShort, false),
            ("expired", TooShort, false),
            ("could not sign in", NoSubject, false),
            ("confirmed back in", NoSubject, false),
            ("Symptom Diagnosis Cause Actions Outcome", NoVerb, false),
            ("verified, callback, employee id", TooShort, true),
            ("confirmed, back in, can sign in", NoSubject, true),
            (
                "sign in, locked out, verified, callback, expired, reset the password, temporary password",
                Real,
                true,
            ),
            (
                "We saw that it was all of: dns, dhcp, apipa, lease, scope",
                Real,
                true,
            ),
            // Issue 10 with a larger pack: short keyword lists after a colon.
            ("We saw it was: crash, payroll.", Real, true),
            ("We saw it was: mailbox is full, mb of.", Real, true),
            ("It was all of: password reset.", Keywords, true),
            ("We did it for: dl-sales-uk, line manager.", Keywords, true),
            (
                "The user reported two problems: no sound, and the camera shows nothing.",
                Real,
                false,
            ),
            // A note's verbless shorthand: the copula or auxiliary left out.
            ("PSU failed.", Real, false),
            ("Acct disabled.", Real, false),
            ("Teams and Outlook offline", Real, false),
            ("user on a spare hot desk meanwhile", Real, false),
            ("office DHCP pool out of addresses (0 free)", Real, false),
            ("PC no lights/fan", Real, false),
            ("monitor 'No DP signal' after desk move", Real, false),
            ("Escalated L2 Network, urgent.", Real, false),
            ("User confirmed contracts printed.", Real, false),
            ("Nothing was granted.", Real, false),
            ("client error 809, server not responding", Real, false),
            ("Both warned via Teams.", Real, false),
            ("-> SecOps P2", Real, false),
            (
                "Priya (pnair) to be told to send her board pack again.",
                Real,
                false,
            ),
            ("left it on", Real, false),
            ("Found: enabled despite HR status left", Real, false),
            ("Please bring the VPN gateway back", Real, false),
            ("Done: renew_dhcp on LT-0342, which failed", Real, false),
            // ... but not a keyword, and a list of such lines is still a list.
            ("sign in", NoVerb, false),
            ("online archive", NoVerb, false),
            ("Caller: 'computer acting funny'", NoVerb, false),
            ("Found: no lease, no free leases, no ip address", Real, true),
            (
                "We saw it was: mailbox is full, mb of, own mailbox full, online archive.",
                Real,
                true,
            ),
            (
                "password expired, identity verified, password reset, user back in",
                Real,
                true,
            ),
            // one crammed clause (stuffed: see the notes tests)
            (
                "pw expired + acct verified + callback + pw reset",
                Real,
                false,
            ),
        ];
        for (s, v, list) in cases {
            assert_eq!(judge(s), (*v, *list), "{s:?}");
        }
    }

    #[test]
    fn sentences_split_at_stops_and_lines_with_headings() {
        let got = split(
            "Cause: password expired. E.g. during leave!\nnext line? yes\n\nOutcome:\nUser signed in, e.g. today.",
        );
        let want: Vec<(&str, Option<Section>)> = vec![
            ("password expired.", Some(Section::Cause)),
            ("E.g. during leave!", Some(Section::Cause)),
            ("next line?", Some(Section::Cause)),
            ("yes", Some(Section::Cause)),
            ("User signed in, e.g. today.", Some(Section::Outcome)),
        ];
        let got: Vec<(&str, Option<Section>)> =
            got.iter().map(|r| (r.text.as_str(), r.heading)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_relative_clause_is_read_with_its_antecedent() {
        let toks = tokenize("I ran renew_dhcp on LT-0342, which failed");
        let sh = shape(&toks);
        let has = |c: &Vec<usize>, w: &str| c.iter().any(|&i| toks[i].norm == w);
        assert!(
            sh.clauses
                .iter()
                .any(|c| has(c, "renew") && has(c, "failed")),
            "{:?}",
            sh.clauses
        );
    }

    #[test]
    fn an_initial_ends_no_sentence() {
        let got = split("J. Ashworth, boardroom. Screen on HDMI 1.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].text, "J. Ashworth, boardroom.");
    }

    #[test]
    fn clauses_attach_verbless_pieces() {
        let toks = tokenize("She forwarded it, at 09:56, to Kath and then Tom deleted it");
        let sh = shape(&toks);
        assert_eq!(sh.clauses.len(), 2, "{:?}", sh.clauses);
    }
}
