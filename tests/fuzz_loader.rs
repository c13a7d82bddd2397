//! Property tests: the scenario loader never panics, and every problem it reports on a
//! file's content is located (line >= 1, column >= 1).

use firstline::scenario::Diagnostic;
use firstline::scenario::load::{load_pack, load_scenario_bytes};
use firstline::scenario::model::PackMeta;
use proptest::prelude::*;
use std::path::Path;
use std::sync::{Arc, OnceLock};

fn meta() -> &'static Arc<PackMeta> {
    static META: OnceLock<Arc<PackMeta>> = OnceLock::new();
    META.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, diags) = load_pack(&dir).expect("the bundled pack exists");
        pack.unwrap_or_else(|| panic!("the bundled pack does not load: {diags:#?}"))
            .meta
    })
}

fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/password-reset.ron"),
        )
        .unwrap()
    })
}

/// Loads bytes; checks that rejected input comes with located errors.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = Path::new("fuzz.ron");
    let (scenario, diags) = load_scenario_bytes(path, bytes, meta());
    if scenario.is_none() {
        prop_assert!(
            diags.iter().any(Diagnostic::is_error),
            "rejected without an error: {diags:?}"
        );
    }
    for d in &diags {
        prop_assert!(
            d.line >= 1 && d.column >= 1,
            "unlocated diagnostic {}:{}: {}",
            d.line,
            d.column,
            d.message
        );
        prop_assert_eq!(d.path.as_path(), path);
        prop_assert!(!d.message.is_empty());
    }
    Ok(())
}

/// Splits text into tokens (runs of word characters, single punctuation, whitespace runs).
fn tokens(s: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut start = 0;
    let mut kind = None;
    for (i, c) in s.char_indices() {
        let k = if c.is_alphanumeric() || c == '_' {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        };
        if kind != Some(k) || k == 2 {
            if i > start {
                out.push(&s[start..i]);
            }
            start = i;
        }
        kind = Some(k);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// RON-ish text: mostly punctuation, names and literals, to get past the first character.
fn ron_soup() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "\"",
        "'",
        "\\",
        "//",
        "/*",
        "*/",
        "r#\"",
        "\"#",
        "#![enable(implicit_some)]",
        "\n",
        " ",
        "-",
        "+",
        ".",
        "Scenario",
        "id",
        "dialogue",
        "nodes",
        "start",
        "options",
        "goto",
        "end",
        "true",
        "None",
        "Some",
        "All",
        "Flag",
        "\"opening\"",
        "\"x\"",
        "0",
        "1",
        "255",
        "99999999999999999999999",
        "1e400",
        "NaN",
    ];
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(TOKENS).prop_map(str::to_string),
            1 => any::<i64>().prop_map(|n| n.to_string()),
            1 => any::<char>().prop_map(String::from),
        ],
        0..200,
    )
    .prop_map(|v| v.concat())
}

const CASES: u32 = 256;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes)?;
    }

    #[test]
    fn random_strings_never_panic(s in any::<String>()) {
        check(s.as_bytes())?;
    }

    #[test]
    fn ron_like_soup_never_panics(s in ron_soup()) {
        check(s.as_bytes())?;
    }

    #[test]
    fn scenario_with_deleted_range(a in any::<prop::sample::Index>(), len in 0usize..400) {
        let b = base().as_bytes();
        let start = a.index(b.len());
        let end = (start + len).min(b.len());
        let mut m = b[..start].to_vec();
        m.extend_from_slice(&b[end..]);
        check(&m)?;
    }

    #[test]
    fn scenario_with_inserted_chars(
        a in any::<prop::sample::Index>(),
        ins in prop_oneof!["[(){}\\[\\],:\"'\\\\/*#r0-9a-z \n-]{1,8}", any::<String>()],
    ) {
        let s = base();
        let mut at = a.index(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        let m = format!("{}{}{}", &s[..at], ins, &s[at..]);
        check(m.as_bytes())?;
    }

    #[test]
    fn scenario_with_inserted_bytes(
        a in any::<prop::sample::Index>(),
        ins in prop::collection::vec(any::<u8>(), 1..8),
    ) {
        let b = base().as_bytes();
        let at = a.index(b.len() + 1);
        let mut m = b[..at].to_vec();
        m.extend_from_slice(&ins);
        m.extend_from_slice(&b[at..]);
        check(&m)?;
    }

    #[test]
    fn scenario_with_swapped_tokens(
        pairs in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4),
    ) {
        let mut t = tokens(base());
        for (x, y) in pairs {
            let (i, j) = (x.index(t.len()), y.index(t.len()));
            t.swap(i, j);
        }
        check(t.concat().as_bytes())?;
    }

    #[test]
    fn scenario_with_duplicated_or_dropped_tokens(
        a in any::<prop::sample::Index>(),
        n in 1usize..6,
        dup in any::<bool>(),
    ) {
        let t = tokens(base());
        let i = a.index(t.len());
        let end = (i + n).min(t.len());
        let mut out: Vec<&str> = t[..i].to_vec();
        if dup {
            out.extend_from_slice(&t[i..end]);
            out.extend_from_slice(&t[i..end]);
        }
        out.extend_from_slice(&t[end..]);
        check(out.concat().as_bytes())?;
    }

    #[test]
    fn truncated_scenario(a in any::<prop::sample::Index>()) {
        let b = base().as_bytes();
        check(&b[..a.index(b.len() + 1)])?;
    }
}

#[test]
fn unmodified_scenario_loads() {
    let (s, diags) = load_scenario_bytes(Path::new("x.ron"), base().as_bytes(), meta());
    assert!(s.is_some(), "{diags:#?}");
    assert!(diags.is_empty(), "{diags:#?}");
}

/// Found by `scenario_with_inserted_chars`: a backslash before a multi-byte character
/// inside a string made the syntax parser slice through the character and panic.
#[test]
fn regression_escaped_multibyte_char_in_string() {
    let s = base();
    let at = s.find("Locked out").unwrap();
    for ins in ["\\\u{fe54}", "\\\u{e9}", "\\"] {
        let m = format!("{}{}{}", &s[..at], ins, &s[at..]);
        check(m.as_bytes()).unwrap();
        let end = format!("{}{}", &s[..at], ins);
        check(end.as_bytes()).unwrap();
    }
}

#[test]
fn tokens_round_trip() {
    assert_eq!(tokens(base()).concat(), base());
}

// Issue 11: custom systems. The system-file loader and a scenario that instantiates a custom
// system are fuzzed the same way.

fn custom_base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/finance-approver-role.ron"),
        )
        .unwrap()
    })
}

fn system_base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/systems/finance-erp.ron"),
        )
        .unwrap()
    })
}

/// Loads a system file's bytes; every problem is located in that file.
fn check_system(bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = Path::new("systems/fuzz.ron");
    let mut reg = firstline::world::custom::Registry::default();
    let diags = firstline::scenario::systems::load_bytes(path, bytes, &mut reg);
    for d in &diags {
        prop_assert!(
            d.line >= 1 && d.column >= 1,
            "unlocated diagnostic {}:{}: {}",
            d.line,
            d.column,
            d.message
        );
        prop_assert_eq!(d.path.as_path(), path);
    }
    if reg.kinds.is_empty() {
        prop_assert!(diags.iter().any(Diagnostic::is_error), "rejected silently");
    }
    Ok(())
}

fn mutate(base: &str, a: usize, len: usize, insert: &str) -> String {
    let mut cut = a.min(base.len());
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut end = (cut + len).min(base.len());
    while !base.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{insert}{}", &base[..cut], &base[end..])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn issue11_system_file_mutations_never_panic(
        a in any::<prop::sample::Index>(),
        len in 0usize..200,
        insert in "[a-z\"(){}\\[\\]:,0-9 _#]{0,12}",
    ) {
        let base = system_base();
        let s = mutate(base, a.index(base.len()), len, &insert);
        check_system(s.as_bytes())?;
    }

    #[test]
    fn issue11_system_file_random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_system(&bytes)?;
    }

    #[test]
    fn issue11_custom_scenario_mutations_never_panic(
        a in any::<prop::sample::Index>(),
        len in 0usize..200,
        insert in "[a-z\"(){}\\[\\]:,0-9 _]{0,12}",
    ) {
        let base = custom_base();
        let s = mutate(base, a.index(base.len()), len, &insert);
        check(s.as_bytes())?;
    }
}

#[test]
fn issue11_unmodified_custom_scenario_loads() {
    let (s, d) = load_scenario_bytes(Path::new("fuzz.ron"), custom_base().as_bytes(), meta());
    assert!(s.is_some(), "{d:#?}");
    let mut reg = firstline::world::custom::Registry::default();
    let d = firstline::scenario::systems::load_bytes(
        Path::new("erp.ron"),
        system_base().as_bytes(),
        &mut reg,
    );
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(reg.kinds.len(), 1);
}
