//! How fast is the progress store?
//!
//! - `save_attempt`: one attempt with its three xAPI statements, one durable transaction
//!   (WAL, `synchronous=FULL`: includes the fsync);
//! - `list_1000_attempts`: reading 1,000 attempt summaries (the Progress screen's query);
//! - `recommend_1000`: the recommendation over 1,000 attempts;
//! - `report_1000`: building the instructor report over 1,000 attempts;
//! - `replay_stored`: rebuilding one stored attempt's debrief by replay.

use criterion::{Criterion, criterion_group, criterion_main};
use firstline::playtest;
use firstline::progress::{NewAttempt, Store, recommend, replay, report};
use firstline::scenario::load::load_pack;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn progress(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let pack = load_pack(&dir)
        .expect("load")
        .0
        .expect("the bundled pack loads");
    let records: Vec<NewAttempt> = pack
        .playtests
        .iter()
        .map(|t| {
            let run = playtest::run(&t.scenario, t.seed, &t.actions);
            NewAttempt::from_session(
                &run.session,
                &run.scorecard,
                SystemTime::now(),
                Duration::from_secs(300),
            )
        })
        .collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(Some(tmp.path())).expect("store");
    let sam = store.create_profile("Sam").expect("profile");
    let mut i = 0;
    c.bench_function("save_attempt", |b| {
        b.iter(|| {
            let mut r = records[i % records.len()].clone();
            r.summary.uuid = uuid::Uuid::new_v4();
            i += 1;
            black_box(store.save_attempt(&sam, &r).expect("saved"))
        })
    });

    let tmp2 = tempfile::tempdir().expect("tempdir");
    let mut big = Store::open(Some(tmp2.path())).expect("store");
    let ada = big.create_profile("Ada").expect("profile");
    for n in 0..1000 {
        let mut r = records[n % records.len()].clone();
        r.summary.uuid = uuid::Uuid::new_v4();
        big.save_attempt(&ada, &r).expect("saved");
    }
    c.bench_function("list_1000_attempts", |b| {
        b.iter(|| black_box(big.attempts(Some(ada.id)).len()))
    });
    let attempts = big.attempts(Some(ada.id));
    let now = time::OffsetDateTime::now_utc();
    c.bench_function("recommend_1000", |b| {
        b.iter(|| black_box(recommend::recommend(&pack, &attempts, now)))
    });
    c.bench_function("report_1000", |b| {
        b.iter(|| black_box(report::build(&attempts)))
    });
    let stored = big.attempt(attempts[0].id).expect("stored");
    c.bench_function("replay_stored", |b| {
        b.iter(|| black_box(replay::replay(&pack, &stored).expect("replays")))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = progress
}
criterion_main!(benches);
