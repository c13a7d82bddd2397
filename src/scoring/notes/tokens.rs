//! Words of a note: normalised, classed and stemmed.
//!
//! Every word gets a matching `key` (the Snowball stem of its lemma, a person id for a
//! scenario account's name or username, `NEG` for every negator, the text itself for
//! codes and numbers) and a word `Class` from a small closed-class lexicon and its
//! morphology. Punctuation that separates clauses is kept as `Sep` tokens.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// The key every negator ("not", "never", "no", "n't", "without", ...) is reduced to.
pub const NEG: &str = "¬";

/// What a word can be, as far as a closed lexicon and morphology tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// the, a, this, her, their, some, ...
    Det,
    /// A pronoun that can be a subject: i, we, she, it, they, someone, ...
    Subj,
    /// An object pronoun: him, them, me, us, herself, ...
    Obj,
    /// Prepositions and verb particles: to, in, on, back, out, ...
    Prep,
    /// Conjunctions and clause openers: and, but, because, which, if, ...
    Conj,
    /// Forms of be, have, do.
    Aux,
    /// can, could, will, would, should, may, might, must.
    Modal,
    /// not, never, no, without, nobody, ...
    Neg,
    /// A closed-class adverb (now, then, also, still, again, ...).
    Adv,
    /// An adverb by morphology (-ly).
    Ly,
    /// A past tense or participle by morphology (-ed).
    Ed,
    /// An irregular past tense or participle (sent, gave, found, reset, ...).
    Irr,
    /// A present participle or gerund (-ing).
    Ing,
    /// A number, time, address or code (contains a digit), or a number word.
    Num,
    /// A person of the scenario (display name, part of it, or username).
    Name,
    /// Any other word: a noun, adjective or base-form verb; position decides.
    Word,
    /// A clause separator: `,` `;` `:` or a dash.
    Sep,
}

impl Class {
    /// Function words: the grammar a sentence has and a keyword list lacks.
    pub fn closed(self) -> bool {
        matches!(
            self,
            Class::Det
                | Class::Subj
                | Class::Obj
                | Class::Prep
                | Class::Conj
                | Class::Aux
                | Class::Modal
                | Class::Neg
                | Class::Adv
        )
    }

    /// Can head a noun phrase or stand as a subject.
    pub fn nominal(self) -> bool {
        matches!(self, Class::Word | Class::Name | Class::Num | Class::Ing)
    }
}

/// One word (or separator) of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower-case surface form after contractions are expanded.
    pub norm: String,
    /// What phrasings are matched against.
    pub key: String,
    pub class: Class,
    /// The word was written directly before a `.` (a phrasing like "10.0.0." ends so).
    pub dot_after: bool,
    /// The word stands inside quotation marks ('No DP signal'): quoted, not asserted.
    pub quoted: bool,
}

const DET: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "some", "any", "each", "every", "all",
    "both", "another", "my", "your", "his", "her", "its", "our", "their", "such",
];
const SUBJ: &[&str] = &[
    "i",
    "we",
    "you",
    "he",
    "she",
    "it",
    "they",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "anyone",
    "anybody",
    "there",
];
const OBJ: &[&str] = &[
    "me",
    "us",
    "him",
    "them",
    "herself",
    "himself",
    "themselves",
    "myself",
    "itself",
    "ourselves",
    "yourself",
];
const PREP: &[&str] = &[
    "to", "in", "on", "at", "by", "for", "from", "with", "of", "into", "onto", "over", "under",
    "through", "via", "about", "after", "before", "during", "since", "until", "till", "per",
    "across", "between", "against", "within", "off", "out", "up", "down", "back", "away", "around",
    "like", "as", "than", "towards", "toward", "behind", "upon", "near", "despite",
];
const CONJ: &[&str] = &[
    "and", "or", "but", "so", "because", "then", "while", "whereas", "although", "though", "if",
    "whether", "when", "which", "who", "whom", "where", "once", "unless", "nor", "what", "how",
    "why",
];
const AUX: &[&str] = &[
    "be", "is", "am", "are", "was", "were", "been", "being", "has", "have", "had", "having", "do",
    "does", "did",
];
const MODAL: &[&str] = &[
    "can", "could", "will", "would", "shall", "should", "may", "might", "must",
];
const NEGS: &[&str] = &[
    "not", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without", "noone",
];
const ADV: &[&str] = &[
    "now",
    "also",
    "still",
    "again",
    "already",
    "just",
    "only",
    "very",
    "too",
    "here",
    "yet",
    "even",
    "soon",
    "later",
    "today",
    "yesterday",
    "first",
    "then",
    "finally",
    "instead",
    "however",
    "therefore",
    "meanwhile",
    "afterwards",
    "together",
    "ever",
    "almost",
    "quite",
    "please",
];
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "hundred", "several", "many", "few", "second", "third",
];
/// Words ending in -ed that are not past tenses.
const NOT_ED: &[&str] = &[
    "need", "bed", "red", "shed", "speed", "feed", "seed", "hundred", "sacred", "wed", "embed",
    "naked", "wicked", "deed", "breed", "greed", "weed", "indeed",
];
/// Words ending in -ing that are not participles.
const NOT_ING: &[&str] = &[
    "nothing",
    "something",
    "anything",
    "everything",
    "morning",
    "evening",
    "during",
    "string",
    "thing",
    "things",
    "ring",
    "bring",
    "king",
    "sing",
    "sting",
    "swing",
    "wing",
    "spring",
    "ceiling",
    "sibling",
    "pending",
];

/// Irregular past tenses and participles with their lemma.
const IRREGULAR: &[(&str, &str)] = &[
    ("sent", "send"),
    ("gave", "give"),
    ("given", "give"),
    ("went", "go"),
    ("gone", "go"),
    ("ran", "run"),
    ("rang", "ring"),
    ("rung", "ring"),
    ("took", "take"),
    ("taken", "take"),
    ("got", "get"),
    ("gotten", "get"),
    ("found", "find"),
    ("saw", "see"),
    ("seen", "see"),
    ("told", "tell"),
    ("said", "say"),
    ("made", "make"),
    ("kept", "keep"),
    ("left", "leave"),
    ("lost", "lose"),
    ("came", "come"),
    ("done", "do"),
    ("brought", "bring"),
    ("bought", "buy"),
    ("began", "begin"),
    ("begun", "begin"),
    ("wrote", "write"),
    ("written", "write"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("broke", "break"),
    ("broken", "break"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("knew", "know"),
    ("known", "know"),
    ("thought", "think"),
    ("felt", "feel"),
    ("heard", "hear"),
    ("held", "hold"),
    ("stood", "stand"),
    ("understood", "understand"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("fell", "fall"),
    ("fallen", "fall"),
    ("built", "build"),
    ("rebuilt", "rebuild"),
    ("hung", "hang"),
    ("stuck", "stick"),
    ("paid", "pay"),
    ("led", "lead"),
    ("meant", "mean"),
    ("spent", "spend"),
    ("drew", "draw"),
    ("drawn", "draw"),
    ("drove", "drive"),
    ("driven", "drive"),
    ("sat", "sit"),
    ("met", "meet"),
    ("woke", "wake"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("blew", "blow"),
    ("grew", "grow"),
    ("flew", "fly"),
    ("shook", "shake"),
    ("taught", "teach"),
    ("caught", "catch"),
    ("sought", "seek"),
    ("dealt", "deal"),
    ("slept", "sleep"),
    ("sold", "sell"),
    ("lit", "light"),
    ("fed", "feed"),
    ("became", "become"),
    ("shown", "show"),
    ("undid", "undo"),
    ("undone", "undo"),
    ("overwrote", "overwrite"),
    ("reran", "rerun"),
    ("withdrew", "withdraw"),
    ("set", "set"),
    ("reset", "reset"),
    ("put", "put"),
    ("shut", "shut"),
    ("cut", "cut"),
    ("read", "read"),
    ("let", "let"),
    ("hit", "hit"),
    ("agreed", "agree"),
    ("freed", "free"),
    ("wore", "wear"),
    ("won", "win"),
];

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

fn lemma(w: &str) -> &str {
    match w {
        "is" | "am" | "are" | "was" | "were" | "been" | "being" => "be",
        "has" | "had" | "having" => "have",
        "does" | "did" => "do",
        _ => IRREGULAR
            .iter()
            .find(|(s, _)| *s == w)
            .map(|(_, l)| *l)
            .unwrap_or(w),
    }
}

/// The class of a lower-case word, ignoring names.
pub fn class_of(w: &str) -> Class {
    let has = |l: &[&str]| l.contains(&w);
    if w.chars().any(|c| c.is_ascii_digit()) || w == "%" || w == "@" || has(NUMBER_WORDS) {
        Class::Num
    } else if has(NEGS) {
        Class::Neg
    } else if has(AUX) {
        Class::Aux
    } else if has(MODAL) {
        Class::Modal
    } else if has(DET) {
        Class::Det
    } else if has(SUBJ) {
        Class::Subj
    } else if has(OBJ) {
        Class::Obj
    } else if has(CONJ) {
        Class::Conj
    } else if has(PREP) {
        Class::Prep
    } else if has(ADV) {
        Class::Adv
    } else if IRREGULAR.iter().any(|(s, _)| *s == w) {
        Class::Irr
    } else if w.len() >= 4 && w.ends_with("ed") && !has(NOT_ED) && !w.ends_with("eed") {
        Class::Ed
    } else if w.len() >= 5 && w.ends_with("ing") && !has(NOT_ING) {
        Class::Ing
    } else if w.len() >= 5 && w.ends_with("ly") {
        Class::Ly
    } else {
        Class::Word
    }
}

/// The matching key of a lower-case word (not a name).
pub fn key_of(w: &str, class: Class) -> String {
    match class {
        Class::Neg => NEG.to_string(),
        Class::Num => w.to_string(),
        _ if !w.chars().all(|c| c.is_alphabetic()) => w.to_string(),
        _ => stemmer().stem(lemma(w)).into_owned(),
    }
}

fn word(norm: &str, dot_after: bool) -> Token {
    let class = class_of(norm);
    Token {
        norm: norm.to_string(),
        key: key_of(norm, class),
        class,
        dot_after,
        quoted: false,
    }
}

fn sep(c: char) -> Token {
    Token {
        norm: c.to_string(),
        key: c.to_string(),
        class: Class::Sep,
        dot_after: false,
        quoted: false,
    }
}

/// Help-desk shorthand and the words it stands for ("pw" = "password", "acct" =
/// "account", "fwd" = "forwarded", "esc" = "escalated"), so a terse note is read like
/// the same note written out.
const SHORTHAND: &[(&str, &str)] = &[
    ("pw", "password"),
    ("pwd", "password"),
    ("passwd", "password"),
    ("pws", "passwords"),
    ("acct", "account"),
    ("accts", "accounts"),
    ("msg", "message"),
    ("msgs", "messages"),
    ("fwd", "forwarded"),
    ("fwds", "forwards"),
    ("fwded", "forwarded"),
    ("fwdd", "forwarded"),
    ("esc", "escalated"),
    ("escd", "escalated"),
    ("esc'd", "escalated"),
    ("pls", "please"),
    ("plz", "please"),
    ("mbx", "mailbox"),
    ("emp", "employee"),
    ("svc", "service"),
    ("svcs", "services"),
    ("eng", "engineer"),
    ("cert", "certificate"),
    ("certs", "certificates"),
    ("err", "error"),
    ("pg", "page"),
    ("rpt", "report"),
    ("rptd", "reported"),
    ("req", "request"),
    ("reqd", "requested"),
    ("mins", "minutes"),
    ("hrs", "hours"),
    ("wk", "week"),
    ("wks", "weeks"),
    ("yr", "year"),
    ("yrs", "years"),
    ("mgr", "manager"),
    ("temp", "temporary"),
    ("tmp", "temporary"),
    ("usr", "user"),
    ("cust", "customer"),
    ("addr", "address"),
    ("hw", "hardware"),
    ("sw", "software"),
    ("ack", "acknowledged"),
    ("ackd", "acknowledged"),
    ("b/c", "because"),
    ("w/", "with"),
    ("w/o", "without"),
];

/// Expands a contraction or possessive into plain words.
fn expand(w: &str, out: &mut Vec<String>) {
    let w = w.trim_matches('\'');
    if w.is_empty() {
        return;
    }
    if let Some((_, full)) = SHORTHAND.iter().find(|(a, _)| *a == w) {
        out.push((*full).to_string());
        return;
    }
    if let Some(stem) = w.strip_suffix("n't") {
        let base = match stem {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            "ai" => "is",
            s => s,
        };
        out.push(base.to_string());
        out.push("not".into());
        return;
    }
    if let Some(i) = w.find('\'') {
        let (head, tail) = (&w[..i], &w[i + 1..]);
        let extra = match tail {
            "s" if matches!(
                head,
                "it" | "that" | "she" | "he" | "there" | "what" | "who"
            ) =>
            {
                Some("is")
            }
            "s" => None,
            "re" => Some("are"),
            "ve" => Some("have"),
            "ll" => Some("will"),
            "d" => Some("would"),
            "m" => Some("am"),
            _ => {
                // o'clock, names like o'brien: keep the word whole.
                out.push(w.replace('\'', ""));
                return;
            }
        };
        out.push(head.to_string());
        if let Some(e) = extra {
            out.push(e.to_string());
        }
        return;
    }
    if w == "cannot" {
        out.push("can".into());
        out.push("not".into());
        return;
    }
    out.push(w.to_string());
}

/// Splits one sentence (or phrasing) into tokens. Names are not resolved here.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '’' | '‘' | '`' => '\'',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect();
    let mut out: Vec<Token> = vec![];
    // Start of the current run of words joined by '-', '_', '/' or '+' without spaces.
    let mut run_start: Option<usize> = None;
    let mut quoted = false;
    // Inside brackets a comma separates nothing of the sentence ("LT-0461 (Bernie,
    // reception): ...").
    let mut depth = 0usize;
    let mut i = 0;
    let n = chars.len();
    let alnum = |i: usize| i < n && chars[i].is_alphanumeric();
    let digit = |i: usize| i < n && chars[i].is_ascii_digit();
    while i < n {
        let c = chars[i];
        if c.is_alphanumeric() {
            let start = i;
            while i < n {
                let d = chars[i];
                let joins = match d {
                    _ if d.is_alphanumeric() => true,
                    '.' | ',' | ':' => i > start && digit(i - 1) && digit(i + 1),
                    '\'' => alnum(i + 1) && i > start,
                    _ => false,
                };
                if !joins {
                    break;
                }
                i += 1;
            }
            let joined = start > 0
                && matches!(chars[start - 1], '-' | '_' | '/' | '+')
                && start >= 2
                && chars[start - 2].is_alphanumeric();
            if !joined {
                run_start = Some(out.len());
            }
            let mut raw: String = chars[start..i].iter().collect();
            // "w/", "w/o", "b/c": shorthand written with a slash.
            if i < n && chars[i] == '/' && matches!(raw.as_str(), "w" | "b") {
                let tail = if raw == "w" && i + 1 < n && chars[i + 1] == 'o' && !alnum(i + 2) {
                    Some("/o")
                } else if raw == "b" && i + 1 < n && chars[i + 1] == 'c' && !alnum(i + 2) {
                    Some("/c")
                } else if raw == "w" && !alnum(i + 1) {
                    Some("/")
                } else {
                    None
                };
                if let Some(t) = tail {
                    raw.push_str(t);
                    i += t.chars().count();
                }
            }
            let dot_after = i < n && chars[i] == '.';
            let mut words = vec![];
            expand(&raw, &mut words);
            for w in words {
                let mut t = word(&w, dot_after);
                t.quoted = quoted;
                out.push(t);
            }
            // A code ("PC-WHS-031", "M365-E3") is one name: all its parts are codes.
            if let Some(r) = run_start
                && out.len() - r >= 2
                && out[r..].iter().any(|t| t.class == Class::Num)
            {
                for t in &mut out[r..] {
                    if t.class != Class::Num {
                        t.class = Class::Num;
                        t.key = t.norm.clone();
                    }
                }
            }
            continue;
        }
        let spaced = |j: usize| j >= n || chars[j].is_whitespace();
        match c {
            // Arrows, and "=", "@" standing between spaces, read as the words they stand
            // for in a note ("esc -> Field Services", "fwd to kdoyle @ 09:56").
            '-' | '=' if i + 1 < n && chars[i + 1] == '>' => {
                // Opening a line, the arrow is the hand-over itself ("-> SecOps").
                if out.is_empty() {
                    out.push(word("passed", false));
                }
                out.push(word("to", false));
                i += 1;
            }
            '→' => {
                if out.is_empty() {
                    out.push(word("passed", false));
                }
                out.push(word("to", false));
            }
            // "x + y" joins words like "and", but never opens a clause of its own
            // ("pw expired + acct verified + pw reset" is one crammed clause).
            '+' if i > 0 && spaced(i - 1) && spaced(i + 1) => out.push(Token {
                norm: "+".into(),
                key: "and".into(),
                class: Class::Conj,
                dot_after: false,
                quoted: false,
            }),
            '=' if i > 0 && spaced(i - 1) && spaced(i + 1) => out.push(word("is", false)),
            '@' if i > 0 && spaced(i - 1) && spaced(i + 1) => out.push(word("at", false)),
            '%' | '@' => out.push(word(&c.to_string(), false)),
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth > 0 => {}
            ',' | ';' | ':' | '—' | '–' => out.push(sep(c)),
            '-' if i > 0
                && chars[i - 1].is_whitespace()
                && i + 1 < n
                && chars[i + 1].is_whitespace() =>
            {
                out.push(sep('—'))
            }
            '&' => out.push(word("and", false)),
            '"' | '“' | '”' | '\'' => quoted = !quoted,
            _ => {}
        }
        i += 1;
    }
    out
}

/// A scenario's people: their names and usernames, matched as one token each.
#[derive(Debug, Default, Clone)]
pub struct People {
    /// (word sequence, person index), longest first.
    forms: Vec<(Vec<String>, usize)>,
}

impl People {
    /// Builds the table from (display name, username) pairs.
    pub fn new(aliases: &[(String, String)]) -> People {
        let mut forms: Vec<(Vec<String>, usize)> = vec![];
        let words = |s: &str| -> Vec<String> {
            tokenize(s)
                .into_iter()
                .filter(|t| t.class != Class::Sep)
                .map(|t| t.norm)
                .collect()
        };
        for (i, (name, user)) in aliases.iter().enumerate() {
            let w = words(name);
            if !w.is_empty() {
                forms.push((w.clone(), i));
            }
            let u = words(user);
            if !u.is_empty() {
                forms.push((u, i));
            }
            // A first or last name alone, when only one person has it and it is no
            // function word ("Will", "May").
            if w.len() >= 2 {
                for part in &w {
                    let unique = aliases
                        .iter()
                        .enumerate()
                        .all(|(j, (n, _))| j == i || !words(n).contains(part));
                    if unique && part.len() >= 3 && class_of(part) == Class::Word {
                        forms.push((vec![part.clone()], i));
                    }
                }
            }
        }
        forms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        People { forms }
    }

    /// Replaces names and usernames by person tokens; "Kath Doyle (kdoyle)" is one.
    pub fn resolve(&self, toks: Vec<Token>) -> Vec<Token> {
        if self.forms.is_empty() {
            return toks;
        }
        let mut out: Vec<Token> = Vec::with_capacity(toks.len());
        let mut i = 0;
        while i < toks.len() {
            let hit = self.forms.iter().find(|(f, _)| {
                i + f.len() <= toks.len() && f.iter().zip(&toks[i..]).all(|(a, t)| *a == t.norm)
            });
            match hit {
                Some((f, p)) => {
                    let key = format!("\u{1}p{p}");
                    let same = out.last().is_some_and(|l| l.key == key);
                    if !same {
                        out.push(Token {
                            norm: f.join(" "),
                            key,
                            class: Class::Name,
                            dot_after: toks[i + f.len() - 1].dot_after,
                            quoted: toks[i].quoted,
                        });
                    }
                    i += f.len();
                }
                None => {
                    out.push(toks[i].clone());
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn words_are_normalised() {
        let cases: &[(&str, &[&str])] = &[
            ("Didn't click", &["do", NEG, "click"]),
            ("never clicked", &[NEG, "click"]),
            ("Can't print", &["can", NEG, "print"]),
            ("Signed-in", &["sign", "in"]),
            (
                "at 09:56, IP 10.0.0.15",
                &["at", "09:56", ",", "ip", "10.0.0.15"],
            ),
            (
                "4,968 MB of 5,120 (97%)",
                &["4,968", "mb", "of", "5,120", "97", "%"],
            ),
            (
                "bookings@northwind.example",
                &["book", "@", "northwind", "exampl"],
            ),
            ("colleague's phone", &["colleagu", "phone"]),
            ("it's working", &["it", "be", "work"]),
            ("gave / given", &["give", "give"]),
            ("ctrl+alt+del", &["ctrl", "alt", "del"]),
            ("PC-WHS-031 reseated", &["pc", "whs", "031", "reseat"]),
            (
                "said 'No DP signal' then",
                &["say", NEG, "dp", "signal", "then"],
            ),
            // Help-desk shorthand reads as the words it stands for.
            (
                "Pw reset w/ temp pw, acct ok",
                &[
                    "password",
                    "reset",
                    "with",
                    "temporari",
                    "password",
                    ",",
                    "account",
                    "ok",
                ],
            ),
            ("esc -> SecOps", &["escal", "to", "secop"]),
            ("-> SecOps", &["pass", "to", "secop"]),
            (
                "fwd to kdoyle + tbrennan @ 09:56",
                &["forward", "to", "kdoyl", "and", "tbrennan", "at", "09:56"],
            ),
            (
                "LT-0461 (Bernie, reception): down",
                &["lt", "0461", "berni", "recept", ":", "down"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(keys(text), *want, "{text}");
        }
    }

    #[test]
    fn quotations_are_marked() {
        let q: Vec<bool> = tokenize("said 'No DP signal', it's \"not\" fine")
            .into_iter()
            .filter(|t| t.class != Class::Sep)
            .map(|t| t.quoted)
            .collect();
        assert_eq!(q, vec![false, true, true, true, false, false, true, false]);
    }

    #[test]
    fn classes_come_from_lexicon_and_morphology() {
        let cases: &[(&str, Class)] = &[
            ("the", Class::Det),
            ("expired", Class::Ed),
            ("need", Class::Word),
            ("used", Class::Ed),
            ("sent", Class::Irr),
            ("printing", Class::Ing),
            ("nothing", Class::Neg),
            ("successfully", Class::Ly),
            ("09:56", Class::Num),
            ("password", Class::Word),
        ];
        for (w, c) in cases {
            assert_eq!(class_of(w), *c, "{w}");
        }
    }

    #[test]
    fn people_are_one_token_with_or_without_username() {
        let p = People::new(&[
            ("Kath Doyle".into(), "kdoyle".into()),
            ("Tom Brennan".into(), "tbrennan".into()),
        ]);
        let k = |s: &str| -> Vec<String> {
            p.resolve(tokenize(s)).into_iter().map(|t| t.key).collect()
        };
        assert_eq!(k("Kath Doyle (kdoyle)"), k("kdoyle"));
        assert_eq!(k("Kath Doyle"), k("kdoyle"));
        assert_eq!(
            k("to Tom and Kath"),
            vec!["to", "\u{1}p1", "and", "\u{1}p0"]
        );
    }
}
