//! How fast is the session engine?
//!
//! - `new_and_replay_expert`: `Session::new` plus replaying the expert action log of
//!   `scenarios/playtests/password-reset-expert-expired.ron` (13 actions);
//! - `apply_run_account`: one `Session::apply` of a cheap action (`Run("account
//!   dwhitfield")`) on a clone of a fresh session (the clone is made outside the timing);
//! - `score_expert`: scoring the finished expert attempt.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use firstline::scenario::format::RawAction;
use firstline::scenario::load::load_pack;
use firstline::scoring;
use firstline::session::Session;
use firstline::session::action::Action;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn session(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, diags) = load_pack(&dir).expect("load the bundled pack");
    let pack = pack.unwrap_or_else(|| {
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        panic!("the bundled pack has errors:\n{}", shown.join("\n"))
    });
    let expert = pack
        .playtests
        .iter()
        .find(|p| {
            p.path
                .file_stem()
                .is_some_and(|s| s == "password-reset-expert-expired")
        })
        .expect("the expert play-test password-reset-expert-expired.ron");
    let scenario = expert.scenario.clone();
    let seed = expert.seed;
    let actions = expert.actions.clone();

    // Sanity check outside the timing: the log replays without rejections.
    let mut done = Session::new(&scenario, seed);
    for a in &actions {
        done.apply(a.clone())
            .expect("the expert log replays cleanly");
    }
    let attempt = done.attempt();
    assert!(attempt.resolved, "the expert attempt resolves the fault");

    let run_account = Action::resolve(&RawAction::Run("account dwhitfield".into()), &scenario)
        .expect("resolve `account dwhitfield`");
    let fresh = Session::new(&scenario, seed);
    fresh
        .clone()
        .apply(run_account.clone())
        .expect("the account lookup is accepted");

    let mut g = c.benchmark_group("session");
    g.sample_size(50);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("new_and_replay_expert", |b| {
        b.iter_batched(
            || actions.clone(),
            |acts| {
                let mut s = Session::new(&scenario, black_box(seed));
                for a in acts {
                    let _ = black_box(s.apply(a));
                }
                s
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("apply_run_account", |b| {
        b.iter_batched(
            || (fresh.clone(), run_account.clone()),
            |(mut s, a)| {
                let events = s.apply(a);
                (s, events)
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("score_expert", |b| {
        b.iter(|| scoring::score(black_box(&scenario), black_box(&attempt)))
    });
    g.finish();
}

criterion_group!(benches, session);
criterion_main!(benches);
