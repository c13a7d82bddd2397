//! Rubric phrasings matched on normalised words, and what a match means (stated,
//! denied or only asked about).
//!
//! A phrasing matches a clause when every required word of it occurs in the clause, in
//! any order, compared by stem ("forwarded" = "forward", "gave" = "given"), with names
//! and usernames of the scenario's people as one token. Articles, possessives, object
//! pronouns and forms of be/have/do are optional (unless the phrasing would be left
//! with a single word); prepositions, modals and negators are not. A negator in a
//! phrasing must come before the word it negates.

use super::tokens::{Class, NEG, People, Token, tokenize};

/// One word a phrasing needs.
#[derive(Debug, Clone)]
struct Need {
    key: String,
    /// A code written with a trailing dot ("10.0.0."): matches any longer code.
    raw_prefix: bool,
    /// A word stem the author cut short ("verif", "delet"): also matches stems one
    /// letter longer ("verifi").
    stem_prefix: bool,
    neg: bool,
    /// The possessive the phrasing puts before this word ("her" in "reset her
    /// password"): optional, but a different one ("his password") does not match.
    owner: Option<String>,
}

const POSSESSIVES: &[&str] = &["my", "your", "his", "her", "its", "our", "their"];

/// A compiled phrasing.
#[derive(Debug, Clone)]
pub struct Phrase {
    needs: Vec<Need>,
    /// The phrasing itself denies something ("did not click", "failed to renew").
    pub negative: bool,
    /// The phrasing is an instruction ("not to switch it off").
    instruction: bool,
}

/// Where a phrasing matched: the token position of each word it needs, in its order.
pub type Hit = Vec<usize>;

fn optional(t: &Token) -> bool {
    matches!(t.class, Class::Det | Class::Obj | Class::Aux)
        || (t.class == Class::Subj && t.norm != "there")
        || (t.class == Class::Conj && matches!(t.norm.as_str(), "and" | "or"))
}

/// "failed to", "unable to": negators written as words.
pub fn negator(toks: &[Token], i: usize) -> bool {
    !toks[i].quoted && negator_word(toks, i)
}

fn negator_word(toks: &[Token], i: usize) -> bool {
    toks[i].key == NEG
        || ((toks[i].key == "fail" || toks[i].key == "unabl")
            && toks.get(i + 1).is_some_and(|n| n.norm == "to"))
}

impl Phrase {
    /// Compiles a phrasing against the scenario's people.
    pub fn new(text: &str, people: &People) -> Phrase {
        let toks: Vec<Token> = people
            .resolve(tokenize(text))
            .into_iter()
            .filter(|t| t.class != Class::Sep)
            .collect();
        let negative = (0..toks.len()).any(|i| negator(&toks, i));
        let instruction = toks
            .windows(2)
            .any(|w| w[0].key == NEG && w[1].norm == "to");
        let keep_all = toks.iter().filter(|t| !optional(t)).count() < 2;
        let mut needs = vec![];
        for (i, t) in toks.iter().enumerate() {
            if optional(t) && !keep_all {
                continue;
            }
            let owner = i
                .checked_sub(1)
                .map(|j| toks[j].norm.as_str())
                .filter(|o| POSSESSIVES.contains(o))
                .map(str::to_string);
            needs.push(Need {
                key: t.key.clone(),
                raw_prefix: t.dot_after && t.key.chars().any(|c| c.is_ascii_digit()),
                stem_prefix: t.class != Class::Name
                    && t.key.len() >= 4
                    && t.key.chars().all(|c| c.is_alphabetic()),
                neg: t.key == NEG,
                owner,
            });
        }
        Phrase {
            needs,
            negative,
            instruction,
        }
    }

    /// How specific the phrasing is: the number of words it needs.
    pub fn size(&self) -> usize {
        self.needs.len()
    }

    /// Finds the phrasing among the tokens at `scope`; returns the position used for
    /// each word it needs.
    pub fn find(&self, toks: &[Token], scope: &[usize]) -> Option<Hit> {
        if self.needs.is_empty() {
            return None;
        }
        let mut cands: Vec<Vec<usize>> = Vec::with_capacity(self.needs.len());
        for n in &self.needs {
            let c: Vec<usize> = scope
                .iter()
                .copied()
                .filter(|&i| n.matches(toks, i))
                .collect();
            if c.is_empty() {
                return None;
            }
            cands.push(c);
        }
        let mut hit: Hit = cands.iter().map(|c| c[0]).collect();
        // A negator must come before the next word of the phrasing: take the last
        // negator before that word's last occurrence, and that word after it.
        for (i, n) in self.needs.iter().enumerate() {
            if !n.neg {
                continue;
            }
            if let Some(j) = (i + 1..self.needs.len()).find(|&j| !self.needs[j].neg) {
                let last_j = *cands[j].last()?;
                let p = *cands[i].iter().rev().find(|&&p| p < last_j)?;
                hit[i] = p;
                hit[j] = *cands[j].iter().find(|&&q| q > p)?;
            }
        }
        Some(hit)
    }

    /// The negators a match of this (negative) phrasing uses.
    pub fn negators_used(&self, hit: &Hit) -> Vec<usize> {
        self.needs
            .iter()
            .zip(hit)
            .filter(|(n, _)| n.neg)
            .map(|(_, &h)| h)
            .collect()
    }

    /// Reads a match in its clause (`piece[i]` numbers the pieces between separators
    /// and clause conjunctions; `consumed` are negators that another fact's negative
    /// phrasing states, like the "not" of "could not print").
    ///
    /// - "if"/"whether"/"unless"/"once"/"until" or "not to" before it in its piece:
    ///   supposed, conditional or instructed, not stated (`Hedged`).
    /// - A negative phrasing ("did not click") claims, if its negator is in the piece
    ///   of the word it negates (else `None`: "No, she clicked it" is no "did not
    ///   click").
    /// - A negator before the phrase's last word in its pieces denies it, unless the
    ///   phrase sits in an adjunct after the negated verb ("did not come back after
    ///   the blip at 09:20"), or "no" names something else ("no labels print since
    ///   09:20"), or it is an inability of someone other than the writer that no
    ///   negative phrasing accounts for ("Dana could not sign in": the symptom).
    /// - A single-word phrasing after "be not" or "no" names a state, not an event
    ///   ("was not connected", "no internet" are symptoms, "is not locked" a finding):
    ///   neither (`Hedged`).
    pub fn stance(
        &self,
        toks: &[Token],
        piece: &[usize],
        scope: &[usize],
        hit: &Hit,
        consumed: &[usize],
    ) -> Option<Stance> {
        let first = *hit.iter().min()?;
        let last = *hit.iter().max()?;
        // A supposition ("if", "whether"), a condition ("once Raj approves") or an
        // instruction ("told her not to click") states nothing happened.
        let before: Vec<usize> = scope
            .iter()
            .copied()
            .filter(|&q| q < first && piece[q] == piece[first])
            .collect();
        let supposed = before.iter().any(|&q| {
            matches!(
                toks[q].norm.as_str(),
                "if" | "whether" | "unless" | "once" | "until"
            )
        });
        let instructed = !self.instruction
            && before
                .iter()
                .chain(hit)
                .any(|&q| toks[q].key == NEG && toks.get(q + 1).is_some_and(|t| t.norm == "to"));
        let hedged = supposed || instructed;
        if hedged {
            return Some(Stance::Hedged);
        }
        if self.negative {
            for (i, n) in self.needs.iter().enumerate() {
                let next = (i + 1..self.needs.len()).find(|&j| !self.needs[j].neg);
                if n.neg && next.is_some_and(|j| piece[hit[i]] != piece[hit[j]]) {
                    return None;
                }
            }
            return Some(Stance::Claims);
        }
        let pieces: Vec<usize> = hit.iter().map(|&i| piece[i]).collect();
        let neg = scope.iter().copied().rfind(|&q| {
            q < last
                && pieces.contains(&piece[q])
                && negator(toks, q)
                && (toks[q].norm != "no" || hit.iter().any(|&h| h > q && h <= np_end(toks, q)))
                && !in_adjunct(toks, q, first)
        });
        Some(match neg {
            None => Stance::Claims,
            Some(q) if !consumed.contains(&q) && inability(toks, scope, q) => Stance::Claims,
            Some(q)
                if self.needs.len() == 1
                    && ((q >= 1 && toks[q - 1].key == "be")
                        || matches!(toks[q].norm.as_str(), "no" | "none" | "without")) =>
            {
                Stance::Hedged
            }
            Some(_) => Stance::Denies,
        })
    }
}

/// The match at `first` sits in a prepositional adjunct of the verb the negator at `q`
/// negates: a verb-like word, then a preposition, between them.
fn in_adjunct(toks: &[Token], q: usize, first: usize) -> bool {
    if first <= q {
        return false;
    }
    let between = &toks[q + 1..first];
    between.iter().enumerate().any(|(k, t)| {
        t.class == Class::Prep
            && between[..k]
                .iter()
                .any(|v| matches!(v.class, Class::Word | Class::Ed | Class::Irr | Class::Ing))
    })
}

/// The last position of the noun phrase a determiner "no" opens ("no labels or
/// consignment notes"): "no" denies only what it names, not the rest of the clause.
fn np_end(toks: &[Token], q: usize) -> usize {
    let mut end = q;
    for (i, t) in toks.iter().enumerate().skip(q + 1) {
        let joins = matches!(
            t.class,
            Class::Word | Class::Num | Class::Name | Class::Ing | Class::Ly | Class::Ed
        ) || (matches!(t.norm.as_str(), "or" | "and") && i > q + 1);
        if !joins {
            break;
        }
        end = i;
    }
    // "No credentials were entered": the passive verb after the phrase is what it denies.
    if toks.get(end + 1).is_some_and(|t| t.class == Class::Aux)
        && toks
            .get(end + 2)
            .is_some_and(|t| matches!(t.class, Class::Ed | Class::Irr))
    {
        end += 2;
    }
    end
}

/// "could not", "can't", "won't", "does not", "unable to" said of someone other than
/// "I"/"we": a state or a symptom, not a denial of what was done.
fn inability(toks: &[Token], scope: &[usize], q: usize) -> bool {
    let modal = toks[q].key == "unabl"
        || (q >= 1
            && toks[q - 1].class == Class::Modal
            && matches!(
                toks[q - 1].norm.as_str(),
                "can" | "could" | "will" | "would"
            ))
        || (q >= 1 && matches!(toks[q - 1].norm.as_str(), "does" | "do"))
        || (q >= 2 && toks[q - 1].class == Class::Aux && toks[q].key == "unabl");
    if !modal {
        return false;
    }
    let subject = scope
        .iter()
        .copied()
        .rfind(|&i| i < q && matches!(toks[i].class, Class::Subj | Class::Name | Class::Word));
    !subject.is_some_and(|i| matches!(toks[i].norm.as_str(), "i" | "we"))
}

impl Need {
    fn matches(&self, toks: &[Token], i: usize) -> bool {
        let t = &toks[i];
        if t.class == Class::Sep {
            return false;
        }
        if let Some(o) = &self.owner
            && i >= 1
            && POSSESSIVES.contains(&toks[i - 1].norm.as_str())
            && toks[i - 1].norm != *o
        {
            return false;
        }
        if t.key == self.key {
            return true;
        }
        if self.raw_prefix {
            return t.norm.starts_with(&self.key);
        }
        self.stem_prefix
            && t.key.len() == self.key.len() + 1
            && t.key.starts_with(&self.key)
            && (t.key.ends_with('i') || t.key.ends_with('e'))
    }
}

/// What a match says about its fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stance {
    Claims,
    Denies,
    /// Asked or supposed ("whether she clicked", "if you need to sign in"): neither.
    Hedged,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> People {
        People::new(&[
            ("Kath Doyle".into(), "kdoyle".into()),
            ("Tom Brennan".into(), "tbrennan".into()),
        ])
    }

    fn finds(phrasing: &str, text: &str) -> Option<Stance> {
        let p = people();
        let ph = Phrase::new(phrasing, &p);
        let toks = p.resolve(tokenize(text));
        let scope: Vec<usize> = (0..toks.len())
            .filter(|&i| toks[i].class != Class::Sep)
            .collect();
        let mut piece = vec![0; toks.len()];
        let mut k = 0;
        for (i, t) in toks.iter().enumerate() {
            if t.class == Class::Sep {
                k += 1;
            }
            piece[i] = k;
        }
        let hit = ph.find(&toks, &scope)?;
        ph.stance(&toks, &piece, &scope, &hit, &[])
    }

    #[test]
    fn phrasings_match_words_not_strings() {
        use Stance::*;
        let cases: &[(&str, &str, Option<Stance>)] = &[
            (
                "forwarded it to kath doyle and tom brennan",
                "She forwarded it at 09:56 to Kath Doyle (kdoyle) and Tom Brennan (tbrennan)",
                Some(Claims),
            ),
            ("kdoyle", "sent to Kath Doyle", Some(Claims)),
            ("reset her password", "the password was reset", Some(Claims)),
            ("password reset", "Reset the user's password", Some(Claims)),
            ("expired", "her password expiry date passed", Some(Claims)),
            ("verif", "I verified her identity", Some(Claims)),
            ("verif", "the server", None),
            ("10.0.0.", "got 10.0.0.57 from DHCP", Some(Claims)),
            ("sign in", "the signal was lost", None),
            ("dead", "before the deadline", None),
            (
                "gave her password",
                "she had given her password",
                Some(Claims),
            ),
            (
                "clicked the link",
                "She did not click the link",
                Some(Denies),
            ),
            (
                "entered her password",
                "She never entered her password",
                Some(Denies),
            ),
            (
                "reset the password",
                "The password was not reset",
                Some(Denies),
            ),
            ("renewed", "I failed to renew the lease", Some(Denies)),
            (
                "09:20",
                "no labels or notes print since 09:20",
                Some(Claims),
            ),
            (
                "at 09:20",
                "the server did not come back after the blip at 09:20",
                Some(Claims),
            ),
            (
                "it service desk",
                "the email was not from the IT service desk",
                Some(Denies),
            ),
            (
                "connected",
                "the screen said she was not connected",
                Some(Hedged),
            ),
            (
                "internet",
                "the depot has had no internet since 09:20",
                Some(Hedged),
            ),
            (
                "failed sign-in",
                "no failed sign-ins from that address",
                Some(Denies),
            ),
            (
                "failed sign-in",
                "The account lookup shows no failed sign-ins",
                Some(Denies),
            ),
            (
                "signal",
                "her screen said 'No DP signal from your device'",
                Some(Claims),
            ),
            (
                "delet",
                "make sure Jas does not delete the message",
                Some(Claims),
            ),
            ("deleted", "I do not delete messages", Some(Denies)),
            (
                "labels",
                "no labels or notes print since 09:20",
                Some(Hedged),
            ),
            (
                "entered credentials",
                "no credentials were entered",
                Some(Denies),
            ),
            ("did not click", "She never clicked the link", Some(Claims)),
            ("did not click", "She didn't click it", Some(Claims)),
            (
                "not clicked",
                "She clicked the link, not the attachment",
                None,
            ),
            ("clicked the link", "No, she clicked the link", Some(Claims)),
            ("did not click", "No, she clicked the link", None),
            ("typed her password", "Tom typed his password", None),
            ("reset her password", "reset the password", Some(Claims)),
            ("sign in", "Dana could not sign in", Some(Claims)),
            ("sign in", "She was unable to sign in", Some(Claims)),
            (
                "reset the password",
                "I could not reset the password",
                Some(Denies),
            ),
            (
                "clicked the link",
                "I asked whether she clicked the link",
                Some(Hedged),
            ),
            ("sign in", "if you need to sign in as her", Some(Hedged)),
            (
                "did not click",
                "I told her not to click or delete it",
                Some(Hedged),
            ),
            (
                "clicked the link",
                "I told her not to click the link",
                Some(Hedged),
            ),
            (
                "approved",
                "she will be added once Raj approves",
                Some(Hedged),
            ),
            (
                "once approved",
                "she will be added once approved",
                Some(Claims),
            ),
            (
                "tom entered",
                "Tom Brennan (tbrennan) entered his password",
                Some(Claims),
            ),
            ("the ceo", "impersonating the CEO", Some(Claims)),
            ("mb of", "4,968 MB of 5,120", Some(Claims)),
            (
                "bookings@",
                "mail to bookings@northwind.example",
                Some(Claims),
            ),
        ];
        for (ph, text, want) in cases {
            assert_eq!(finds(ph, text), *want, "{ph:?} in {text:?}");
        }
    }
}
