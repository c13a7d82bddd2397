//! How fast is shift mode?
//!
//! - `advance_one_action`: one `Shift::apply` on the 12-ticket outage shift, half-way
//!   through its expert play-test (the shift is cloned outside the timing);
//! - `score_whole_shift`: scoring the finished expert outage shift (every ticket's own
//!   scorecard plus the shift criteria).

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use firstline::scenario::load::load_pack;
use firstline::shift::{Shift, score};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn shift(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, diags) = load_pack(&dir).expect("load the bundled pack");
    let pack = pack.unwrap_or_else(|| {
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        panic!("the bundled pack has errors:\n{}", shown.join("\n"))
    });
    let t = pack
        .shift_playtests
        .iter()
        .find(|t| t.expert && t.shift.id == "outage")
        .expect("the outage expert shift play-test");
    let mut half = Shift::new(&t.shift, t.seed);
    assert_eq!(half.tickets.len(), 12, "the outage shift has 12 tickets");
    let mid = t.actions.len() / 2;
    for a in &t.actions[..mid] {
        half.apply(a.clone()).expect("the expert log replays");
    }
    let next = t.actions[mid].clone();
    let mut done = half.clone();
    for a in &t.actions[mid..] {
        done.apply(a.clone()).expect("the expert log replays");
    }
    let mut g = c.benchmark_group("shift");
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("advance_one_action", |b| {
        b.iter_batched(
            || half.clone(),
            |mut s| black_box(s.apply(next.clone()).is_ok()),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("score_whole_shift", |b| {
        b.iter(|| black_box(score::score(black_box(&done))))
    });
    g.finish();
}

criterion_group!(benches, shift);
criterion_main!(benches);
