//! How fast is `firstline explore`? States explored per second.
//!
//! - `explore_password_reset`: the search part of `explore` on the bundled
//!   `password-reset` scenario (3 variants) with a budget of 1,500 states and no random
//!   play; throughput is reported in states (criterion's "elem/s").
//! - `random_playouts_password_reset`: 50 random play-throughs (seeded), no search.
//! - `gameable_password_reset`: the gameability searches alone (best attempt skipping
//!   diagnosis / identity verification per variant, 400 states each).
//! - `lint_bundled_pack`: `firstline lint scenarios` (every rule, gameability included),
//!   as CI runs it.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use firstline::authoring::explore::{
    ExploreOptions, GameableOptions, Quiet, explore, gameable_paths,
};
use firstline::authoring::lint::lint_pack;
use firstline::scenario::load::load_pack;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, _) = load_pack(&dir).expect("load the bundled pack");
    let pack = pack.expect("the bundled pack loads");
    let s = pack
        .scenario("password-reset")
        .expect("password-reset")
        .clone();
    let search = ExploreOptions {
        budget: 1500,
        playouts: 0,
        gameable_budget: 0,
        ..Default::default()
    };
    // The number of states actually explored (the budget, unless the space is smaller).
    let states = explore(&s, &search, &Quiet).states as u64;
    let mut g = c.benchmark_group("explore");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(states));
    g.bench_function("explore_password_reset", |b| {
        b.iter(|| black_box(explore(&s, &search, &Quiet)))
    });
    let random = ExploreOptions {
        budget: 1,
        playouts: 50,
        gameable_budget: 0,
        ..Default::default()
    };
    g.throughput(Throughput::Elements(50));
    g.bench_function("random_playouts_password_reset", |b| {
        b.iter(|| black_box(explore(&s, &random, &Quiet)))
    });
    let gopts = GameableOptions::default();
    g.throughput(Throughput::Elements(1));
    g.bench_function("gameable_password_reset", |b| {
        b.iter(|| black_box(gameable_paths(&s, &gopts)))
    });
    g.bench_function("lint_bundled_pack", |b| {
        b.iter(|| black_box(lint_pack(&pack)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
