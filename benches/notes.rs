//! How fast is note analysis?
//!
//! - `analyse_expert_uncached`: analysing the expert note of
//!   `scenarios/playtests/password-reset-expert-expired.ron` against the scenario's whole
//!   rubric and people (the cache is bypassed: a unique suffix per iteration);
//! - `analyse_expert_cached`: the same call once the analysis is cached (what scoring the
//!   same notes again costs).

use criterion::{Criterion, criterion_group, criterion_main};
use firstline::scenario::load::load_pack;
use firstline::scenario::model::Fact;
use firstline::scoring::notes;
use firstline::session::action::Action;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn analysis(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, diags) = load_pack(&dir).expect("load the bundled pack");
    let pack = pack.unwrap_or_else(|| panic!("the bundled pack has errors: {diags:?}"));
    let expert = pack
        .playtests
        .iter()
        .find(|p| p.path.ends_with("password-reset-expert-expired.ron"))
        .expect("the expert play-test password-reset-expert-expired.ron");
    let note = expert
        .actions
        .iter()
        .find_map(|a| match a {
            Action::Notes(n) => Some(n.clone()),
            _ => None,
        })
        .expect("the expert writes notes");
    let s = &expert.scenario;
    let facts: Vec<&Fact> = s.rubric.facts.iter().collect();
    let aliases: Vec<(String, String)> = s.variants[0]
        .world
        .accounts
        .iter()
        .map(|a| (a.display_name.clone(), a.username.clone()))
        .collect();
    let first = notes::analyse(&note, &facts, &aliases);
    assert!(
        first.real_sentences() >= 5,
        "the expert note reads as sentences"
    );

    let mut g = c.benchmark_group("notes");
    g.sample_size(50);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    let mut n = 0u64;
    g.bench_function("analyse_expert_uncached", |b| {
        b.iter(|| {
            n += 1;
            let text = format!("{note}\nTicket {n}.");
            black_box(notes::analyse(black_box(&text), &facts, &aliases))
        })
    });
    g.bench_function("analyse_expert_cached", |b| {
        b.iter(|| black_box(notes::analyse(black_box(&note), &facts, &aliases)))
    });
    g.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
