//! Sessions are deterministic: a seed fixes the variant and every random choice.

use firstline::scenario::load::{Pack, load_pack};
use firstline::session::Session;
use std::collections::BTreeSet;
use std::path::Path;

fn pack() -> Pack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, diags) = load_pack(&dir).expect("the bundled pack exists");
    pack.unwrap_or_else(|| panic!("the bundled pack does not load: {diags:#?}"))
}

#[test]
fn same_seed_and_actions_give_byte_identical_scorecards() {
    let pack = pack();
    assert!(!pack.playtests.is_empty());
    for t in &pack.playtests {
        for seed in [t.seed, t.seed + 1, 0] {
            let a = firstline::playtest::run(&t.scenario, seed, &t.actions);
            let b = firstline::playtest::run(&t.scenario, seed, &t.actions);
            let ja = serde_json::to_string(&a.scorecard).unwrap();
            let jb = serde_json::to_string(&b.scorecard).unwrap();
            assert_eq!(ja, jb, "{} with seed {seed}", t.path.display());
            assert_eq!(a.session.events().len(), b.session.events().len());
        }
    }
}

#[test]
fn expert_expired_playtest_is_stable() {
    let pack = pack();
    let t = pack
        .playtests
        .iter()
        .find(|t| t.path.ends_with("password-reset-expert-expired.ron"))
        .expect("the expert expired play-test");
    let runs: Vec<String> = (0..3)
        .map(|_| {
            let r = firstline::playtest::run(&t.scenario, 5, &t.actions);
            serde_json::to_string_pretty(&r.scorecard).unwrap()
        })
        .collect();
    assert!(runs.windows(2).all(|w| w[0] == w[1]));
    assert!(runs[0].contains("\"variant\": \"expired\""));
}

#[test]
fn every_variant_is_chosen_for_some_seed_below_200() {
    let pack = pack();
    assert!(!pack.scenarios.is_empty());
    for s in &pack.scenarios {
        let all: BTreeSet<&str> = s.variants.iter().map(|v| v.key.as_str()).collect();
        let mut seen = BTreeSet::new();
        for seed in 0..200 {
            let session = Session::new(s, seed);
            // The same seed always picks the same variant.
            assert_eq!(
                session.variant_key(),
                Session::new(s, seed).variant_key(),
                "{} seed {seed}",
                s.id
            );
            seen.insert(session.variant_key().to_string());
        }
        let seen: BTreeSet<&str> = seen.iter().map(String::as_str).collect();
        assert_eq!(
            seen, all,
            "scenario `{}`: variants chosen by seeds 0..200",
            s.id
        );
    }
}
