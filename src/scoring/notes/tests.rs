//! Data-driven tests of `analyse` and the wrappers.

use super::*;

fn fact(key: &str, p: &[&str]) -> Fact {
    Fact {
        key: key.into(),
        label: key.into(),
        phrasings: p.iter().map(|s| s.to_string()).collect(),
        variants: vec![],
        requires: None,
    }
}

#[test]
fn keyword_lists_are_not_sentences() {
    let f = fact("f", &["dns", "intranet"]);
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

/// The password-reset rubric (scenarios/password-reset.ron).
fn password_reset() -> Vec<Fact> {
    vec![
        fact(
            "symptom",
            &[
                "sign in",
                "signin",
                "log in",
                "login",
                "log on",
                "logon",
                "locked out",
                "access her laptop",
                "get into her laptop",
            ],
        ),
        fact(
            "verified",
            &[
                "verified",
                "call-back",
                "callback",
                "called back",
                "called her back",
                "employee id",
            ],
        ),
        fact("cause-expired", &["expired"]),
        fact(
            "cause-locked",
            &[
                "locked out after",
                "failed attempts",
                "failed sign-ins",
                "bad password attempts",
                "too many attempts",
            ],
        ),
        fact(
            "cause-phone",
            &["phone", "mail app", "activesync", "old password"],
        ),
        fact(
            "action",
            &[
                "reset the password",
                "password reset",
                "reset her password",
                "unlocked",
                "temporary password",
            ],
        ),
        fact(
            "outcome",
            &[
                "confirmed",
                "signed in successfully",
                "able to sign in",
                "can sign in",
                "back in",
            ],
        ),
    ]
}

/// The phishing-report rubric (scenarios/phishing-report.ron), and its people.
fn phishing() -> Vec<Fact> {
    vec![
        fact(
            "symptom",
            &[
                "phishing",
                "suspicious email",
                "suspicious e-mail",
                "scam email",
                "fake email",
                "confirm her password",
                "asking for her password",
                "asked for her password",
                "asked her to confirm",
            ],
        ),
        fact(
            "sender-it",
            &[
                "northwind-support.com",
                "northwind-support",
                "it service desk",
                "pretending to be it",
                "posing as it",
                "claiming to be from it",
                "impersonating it",
                "impersonating the service desk",
            ],
        ),
        fact(
            "sender-ceo",
            &[
                "northwlnd",
                "richard hale",
                "the ceo",
                "chief executive",
                "impersonating the ceo",
                "posing as the ceo",
            ],
        ),
        fact(
            "subject-it",
            &[
                "password expiry",
                "password expires",
                "expiry notice",
                "keep my current password",
                "keep her current password",
            ],
        ),
        fact(
            "not-clicked",
            &[
                "did not click",
                "didn't click",
                "not clicked",
                "never clicked",
                "nobody clicked",
                "no one clicked",
                "did not enter",
                "didn't enter",
                "no credentials were entered",
                "did not open the link",
            ],
        ),
        fact(
            "clicked",
            &[
                "clicked the link",
                "clicked on the link",
                "entered her password",
                "typed her password",
                "typed in her password",
                "entered her credentials",
                "entered credentials",
                "submitted her password",
                "gave her password",
                "entered her username and password",
                "typed her username and password",
            ],
        ),
        fact(
            "headers",
            &[
                "report phishing",
                "report button",
                "reported it with",
                "reported the original",
                "headers",
            ],
        ),
        fact(
            "reset",
            &[
                "reset her password",
                "password was reset",
                "reset the password",
                "password reset",
                "temporary password",
            ],
        ),
        fact(
            "signin",
            &[
                "203.0.113.77",
                "failed sign-in",
                "failed sign in",
                "sign-in attempt",
                "sign-in from",
                "amsterdam",
                "netherlands",
                "outside northwind",
                "not a northwind network",
            ],
        ),
        fact(
            "forwarded",
            &[
                "forwarded it",
                "forwarded the email",
                "forwarded the message",
                "forwarded to",
                "sent it to",
                "kath doyle",
                "kdoyle",
            ],
        ),
        fact(
            "colleague",
            &[
                "tom brennan",
                "tbrennan",
                "tom entered",
                "tom may have",
                "tom has entered",
                "tom has typed",
                "tom typed",
                "tom probably",
                "colleague entered",
                "colleague may have",
            ],
        ),
        fact(
            "escalated",
            &[
                "escalated to security",
                "escalating to security",
                "security operations",
                "passed to security",
                "handed to security",
                "handed over to security",
                "security team",
            ],
        ),
    ]
}

fn phishing_people() -> Vec<(String, String)> {
    [
        ("Helen Marsh", "hmarsh"),
        ("Kath Doyle", "kdoyle"),
        ("Tom Brennan", "tbrennan"),
        ("Carol Webb", "cwebb"),
        ("Richard Hale", "rhale"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// What one sentence should read as.
struct Want {
    real: bool,
    list: bool,
    stuffed: bool,
    claims: &'static [&'static str],
    negated: &'static [&'static str],
    section: Option<Section>,
}

const fn real(claims: &'static [&'static str], section: Option<Section>) -> Want {
    Want {
        real: true,
        list: false,
        stuffed: false,
        claims,
        negated: &[],
        section,
    }
}

fn check(rubric: &[Fact], people: &[(String, String)], cases: &[(&str, Want)]) {
    let facts: Vec<&Fact> = rubric.iter().collect();
    let mut bad = vec![];
    for (text, w) in cases {
        let a = analyse(text, &facts, people);
        assert_eq!(
            a.sentences.len(),
            1,
            "{text:?} is one sentence: {:#?}",
            a.sentences
        );
        let s = &a.sentences[0];
        let keys =
            |v: &[usize]| -> Vec<&str> { v.iter().map(|&i| rubric[i].key.as_str()).collect() };
        let got = (
            s.real,
            s.list,
            s.stuffed,
            keys(&s.claims),
            keys(&s.negated),
            s.section,
        );
        let want = (
            w.real,
            w.list,
            w.stuffed,
            w.claims.to_vec(),
            w.negated.to_vec(),
            w.section,
        );
        if got != want {
            bad.push(format!(
                "{text:?}\n   got  {got:?} ({:?})\n   want {want:?}",
                s.reason
            ));
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

#[test]
fn issue10_new_hire_notes_are_real_in_their_sections() {
    use Section::*;
    check(
        &password_reset(),
        &[],
        &[
            (
                "Cause: password expired during leave.",
                real(&["cause-expired"], Some(Cause)),
            ),
            (
                "Outcome: user signed in and set a new password",
                real(&["symptom"], Some(Outcome)),
            ),
            ("Reset the password.", real(&["action"], Some(Actions))),
            (
                "User signed in and set a new password.",
                real(&["symptom"], Some(Actions)),
            ),
            (
                "Dana could not log on to her laptop this morning.",
                real(&["symptom"], Some(Symptom)),
            ),
            (
                "Her password had expired while she was on leave.",
                real(&["cause-expired"], None),
            ),
            (
                "Identity was verified with her employee ID and a call-back.",
                real(&["verified"], Some(Diagnosis)),
            ),
            (
                "I called her back on the number on file to check it was her.",
                real(&["verified"], Some(Symptom)),
            ),
            (
                "Her password was reset and I read her a temporary one.",
                real(&["action"], Some(Actions)),
            ),
            (
                "Dana confirmed she signed in successfully.",
                real(&["outcome"], Some(Outcome)),
            ),
            (
                "She was locked out after too many attempts.",
                real(&["cause-locked"], None),
            ),
            (
                "Her phone kept trying the old password.",
                real(&["cause-phone"], None),
            ),
        ],
    );
}

#[test]
fn issue10_recall_in_the_trainees_own_words() {
    let p = phishing_people();
    check(
        &phishing(),
        &p,
        &[
            (
                "She forwarded it at 09:56 to Kath Doyle (kdoyle) and Tom Brennan (tbrennan)",
                real(&["forwarded", "colleague"], None),
            ),
            (
                "Helen sent it to kdoyle before calling us.",
                real(&["forwarded"], Some(Section::Symptom)),
            ),
            (
                "The sender was servicedesk@northwind-support.com, pretending to be IT.",
                real(&["sender-it"], None),
            ),
            (
                "Subject line: Password expiry notice - action required today.",
                real(&["subject-it"], None),
            ),
            (
                "Richard Hale was impersonated from a look-alike northwlnd domain.",
                real(&["sender-ceo"], Some(Section::Diagnosis)),
            ),
            (
                "Her password was reset while she was on the line.",
                real(&["reset"], Some(Section::Actions)),
            ),
            (
                "The account showed a failed sign-in from 203.0.113.77 in Amsterdam.",
                real(&["signin"], Some(Section::Diagnosis)),
            ),
            (
                "Tom has probably typed his password in too.",
                real(&["colleague"], None),
            ),
            (
                "I escalated the ticket to Security Operations with the headers.",
                Want {
                    real: true,
                    list: false,
                    stuffed: false,
                    claims: &["headers", "escalated"],
                    negated: &[],
                    section: Some(Section::Actions),
                },
            ),
            (
                "She reported it with the Report button.",
                real(&["headers"], Some(Section::Symptom)),
            ),
        ],
    );
}

/// Issue 10, recall: a terse technician's shorthand states its facts like full sentences
/// ("Pw reset", "Acct: pw expired while away", "User back in w/ own new pw").
#[test]
fn issue10_terse_shorthand_earns_its_facts() {
    use Section::*;
    check(
        &password_reset(),
        &[("Dana Whitfield".into(), "dwhitfield".into())],
        &[
            (
                "Acct: pw expired while away.",
                real(&["cause-expired"], None),
            ),
            ("ID ok: callback to desk no.", real(&["verified"], None)),
            ("Pw reset.", real(&["action"], Some(Actions))),
            ("User back in w/ own new pw.", real(&["outcome"], None)),
            (
                "dwhitfield: can't log on to LT-0117.",
                real(&["symptom"], Some(Symptom)),
            ),
        ],
    );
}

/// ... and the same words as a list or a column of labels are still keywords.
#[test]
fn issue10_shorthand_lists_and_label_columns_earn_one_fact_at_most() {
    let rubric = password_reset();
    let facts: Vec<&Fact> = rubric.iter().collect();
    for note in [
        "pw expired + acct verified + callback + pw reset + temp pw -> back in, confirmed",
        "Symptom: sign in, log on\nFound: verified, callback, employee id\nCause: expired, old password\nDone: password reset, unlocked, temporary password\nOutcome: confirmed, back in",
        "Password: expired\nIdentity: verified\nCheck: callback\nAccount: reset\nUser: back in",
        "Found: no lease\nFound: no sign in\nFound: no callback\nFound: no temporary password",
        "password expired, identity verified, password reset, user back in",
    ] {
        let a = analyse(note, &facts, &[]);
        assert!(a.earned(|_| true).len() <= 1, "{note:?}: {a:#?}");
    }
}

#[test]
fn issue10_negations_are_denials_not_claims() {
    let p = phishing_people();
    let denial = |claims: &'static [&'static str], negated: &'static [&'static str]| Want {
        real: true,
        list: false,
        stuffed: false,
        claims,
        negated,
        section: None,
    };
    check(
        &phishing(),
        &p,
        &[
            (
                "She did not click the link.",
                denial(&["not-clicked"], &["clicked"]),
            ),
            (
                "She never entered her password.",
                denial(&["not-clicked"], &["clicked"]),
            ),
            (
                "Helen didn't click the link and no credentials were entered.",
                denial(&["not-clicked"], &["clicked"]),
            ),
            (
                "She clicked the link and typed her password.",
                denial(&["clicked"], &[]),
            ),
            (
                "The password was not reset.",
                Want {
                    section: Some(Section::Actions),
                    ..denial(&[], &["reset"])
                },
            ),
            (
                "She has not forwarded it to anyone.",
                denial(&[], &["forwarded"]),
            ),
            ("No, she clicked the link.", denial(&["clicked"], &[])),
            (
                "She clicked the link but did not enter her password.",
                denial(&["not-clicked", "clicked"], &[]),
            ),
            (
                "I asked whether she clicked the link.",
                Want {
                    real: true,
                    list: false,
                    stuffed: false,
                    claims: &[],
                    negated: &[],
                    section: None,
                },
            ),
        ],
    );
}

#[test]
fn issue10_lists_fragments_and_keywords_earn_nothing() {
    use Section::*;
    let no = |list: bool, section: Option<Section>| Want {
        real: false,
        list,
        stuffed: list,
        claims: &[],
        negated: &[],
        section,
    };
    check(
        &password_reset(),
        &[],
        &[
            (
                "Cause: expired",
                Want {
                    claims: &["cause-expired"],
                    ..no(false, Some(Cause))
                },
            ),
            (
                "Diagnosis: verified callback",
                Want {
                    claims: &["verified"],
                    ..no(false, Some(Diagnosis))
                },
            ),
            (
                "Symptom: could not sign in",
                Want {
                    claims: &["symptom"],
                    ..no(false, Some(Symptom))
                },
            ),
            (
                "Outcome: confirmed back in",
                Want {
                    claims: &["outcome"],
                    ..no(false, Some(Outcome))
                },
            ),
            (
                "expired password reset verified callback",
                Want {
                    claims: &["verified", "cause-expired", "action"],
                    stuffed: true,
                    ..no(false, Some(Actions))
                },
            ),
            (
                "Diagnosis: verified, callback, employee id",
                Want {
                    claims: &["verified"],
                    ..no(true, Some(Diagnosis))
                },
            ),
            (
                "Symptom Diagnosis Cause Actions Outcome",
                no(false, Some(Cause)),
            ),
        ],
    );
}

#[test]
fn issue10_function_words_in_phrasings_do_not_make_sentences_lists() {
    let rubric = vec![
        fact(
            "gateway",
            &["the gateway was down", "gateway", "the router"],
        ),
        fact("wan", &["internet link", "the wan was down"]),
    ];
    check(
        &rubric,
        &[],
        &[
            ("The gateway is down.", real(&["gateway"], None)),
            (
                "The router at the depot was down, so the internet link failed.",
                real(&["gateway", "wan"], None),
            ),
        ],
    );
}

#[test]
fn issue10_universal_stuffed_note_earns_nothing() {
    let mut all: Vec<Fact> = password_reset();
    all.extend(phishing());
    let phrasings: Vec<&str> = all
        .iter()
        .flat_map(|f| f.phrasings.iter().map(String::as_str))
        .collect();
    let mut note = String::new();
    for h in ["Symptom", "Diagnosis", "Cause", "Actions", "Outcome"] {
        note.push_str(&format!("{h}: We did all of them to be sure.\n"));
    }
    for (i, chunk) in phrasings.chunks(12).enumerate() {
        let opener = [
            "We saw that it was all of: ",
            "It was the ",
            "Then we had ",
            "We checked that it was ",
        ][i % 4];
        note.push_str(&format!("{opener}{}.\n", chunk.join(", ")));
    }
    let facts: Vec<&Fact> = all.iter().collect();
    let a = analyse(&note, &facts, &phishing_people());
    assert_eq!(a.earned(|_| true), vec![], "{a:#?}");
    for s in &a.sentences {
        if s.text.contains("to be sure") {
            assert!(s.claims.is_empty(), "{s:?}");
            let r = s.reason.as_deref();
            assert!(
                r == Some("matched nothing in the rubric")
                    || r == Some("repeats an earlier sentence"),
                "{s:?}"
            );
        } else {
            assert!(s.list && s.stuffed && !s.real, "{s:?}");
            assert_eq!(
                s.reason.as_deref(),
                Some("a list of keywords, not a sentence")
            );
        }
    }
}

#[test]
fn issue10_stuffed_sentences_earn_one_fact() {
    let rubric = password_reset();
    let facts: Vec<&Fact> = rubric.iter().collect();
    let text = "I confirmed the expired password and the callback and the temporary password.";
    let a = analyse(text, &facts, &[]);
    let s = &a.sentences[0];
    assert!(s.real && s.stuffed && !s.list, "{s:?}");
    assert_eq!(s.claims.len(), 4, "{s:?}");
    assert_eq!(
        s.reason.as_deref(),
        Some("states 4 facts at once — write one sentence per fact")
    );
    assert_eq!(a.earned(|_| true).len(), 1);
    // One fact per clause is writing, not stuffing.
    let text = "I verified her with a call-back, reset the password because it had expired, and she confirmed she was back in.";
    let a = analyse(text, &facts, &[]);
    let s = &a.sentences[0];
    assert!(s.real && !s.stuffed && s.claims.len() == 4, "{s:?}");
    // The same facts one sentence each earn all four.
    let text = "I verified her with a call-back. I reset the password. It had expired during her leave. She confirmed she was back in.";
    assert_eq!(analyse(text, &facts, &[]).earned(|_| true).len(), 4);
}

#[test]
fn issue10_good_note_earns_its_facts_and_sections() {
    let rubric = password_reset();
    let facts: Vec<&Fact> = rubric.iter().collect();
    let note = "Symptom: Dana Whitfield could not sign in to her laptop on her first day back from leave.\n\
                Diagnosis: I verified her identity with her employee ID and a call-back to the number on file. The account lookup showed the password had expired.\n\
                Cause: The password expired while she was on leave and she could not remember the old one.\n\
                Actions: I reset the password and read the temporary password to her; she changed it at sign-in.\n\
                Outcome: Dana confirmed she signed in successfully and I sent her the self-service guide.";
    let a = analyse(note, &facts, &[]);
    let earned: Vec<&str> = a
        .earned(|_| true)
        .iter()
        .map(|e| rubric[e.0].key.as_str())
        .collect();
    for k in ["symptom", "verified", "cause-expired", "action", "outcome"] {
        assert!(earned.contains(&k), "{k} not earned: {a:#?}");
    }
    assert_eq!(a.sections, Section::ALL.to_vec());
    assert!(a.sentences.iter().all(|s| s.real), "{a:#?}");
}

#[test]
fn repeats_and_questions_earn_nothing() {
    let rubric = password_reset();
    let facts: Vec<&Fact> = rubric.iter().collect();
    let a = analyse(
        "I reset the password. I reset the password. Was it expired?",
        &facts,
        &[],
    );
    let reasons: Vec<Option<&str>> = a.sentences.iter().map(|s| s.reason.as_deref()).collect();
    assert_eq!(
        reasons,
        vec![
            None,
            Some("repeats an earlier sentence"),
            Some("a question, not a statement: write what you found")
        ]
    );
    assert_eq!(a.earned(|_| true).len(), 1);
}

#[test]
fn the_cache_returns_the_same_analysis() {
    let rubric = password_reset();
    let facts: Vec<&Fact> = rubric.iter().collect();
    let a = analyse("Reset the password for Dana.", &facts, &[]);
    let b = analyse("Reset the password for Dana.", &facts, &[]);
    assert!(Arc::ptr_eq(&a, &b));
    let c = analyse("Reset the password for Dana.", &facts[..1], &[]);
    assert!(!Arc::ptr_eq(&a, &c));
    assert_eq!(*a, compute("Reset the password for Dana.", &facts, &[]));
}

#[test]
fn wrappers_keep_working() {
    let rubric = password_reset();
    let facts: Vec<&Fact> = rubric.iter().collect();
    let note = "Cause: password expired during leave.\nexpired, verified, callback";
    let covered: Vec<&str> = facts_covered(note, &facts)
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(covered, vec!["cause-expired"]);
    assert_eq!(sections(note, &facts), vec![Section::Cause]);
    assert_eq!(
        sentences(note, &facts)
            .iter()
            .map(|s| s.real)
            .collect::<Vec<_>>(),
        vec![true, false]
    );
    assert!(secret("temp pw spring 0042 tide", &["Spring-0042-Tide".into()]).is_some());
    assert!(secret("Temp password: Spring-1234-Tide given", &[]).is_some());
    assert!(secret("Password was reset after verifying identity.", &[]).is_none());
    assert_eq!(
        unprofessional("lol the user error"),
        vec!["user error", "lol"]
    );
    // Whole words in any case; two-word expressions only as consecutive words.
    assert_eq!(
        unprofessional("User ERROR. Gonna fix. LOL."),
        vec!["user error", "lol", "gonna"]
    );
    assert!(unprofessional("superuser errors; the user reported an error; lollipop").is_empty());
    assert_eq!(word_count(" a b  c "), 3);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn words() -> impl Strategy<Value = String> {
        let vocab = prop::sample::select(vec![
            "the", "password", "was", "reset", "not", "never", "didn't", "Kath", "Doyle",
            "(kdoyle)", "expired", ",", ";", ":", ".", "?", "\n", "Cause:", "Outcome:", "and",
            "she", "clicked", "link", "10.0.0.", "verif", "—", "'", "’s", "@", "%", "e.g.", "-",
            "ü", "İ", "🙂", "",
        ]);
        prop::collection::vec(vocab, 0..60).prop_map(|v| v.join(" "))
    }

    proptest! {
        #[test]
        fn analyse_never_panics_and_is_deterministic(text in "\\PC{0,300}", soup in words()) {
            let rubric = phishing();
            let facts: Vec<&Fact> = rubric.iter().collect();
            let people = phishing_people();
            for t in [text.as_str(), soup.as_str()] {
                let a = compute(t, &facts, &people);
                prop_assert_eq!(&a, &compute(t, &facts, &people));
                prop_assert_eq!(&a, &*analyse(t, &facts, &people));
                for s in &a.sentences {
                    prop_assert!(s.claims.iter().chain(&s.negated).all(|&i| i < facts.len()));
                    prop_assert!(!s.real || s.reason.is_none() || s.stuffed || s.claims.is_empty());
                }
                let _ = secret_in(t, &["Spring-0042-Tide".to_string()]);
            }
        }
    }
}
