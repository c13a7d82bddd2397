//! How fast is the session engine?
//!
//! - `new_and_replay_expert`: `Session::new` plus replaying the expert action log of
//!   `scenarios/playtests/password-reset-expert-expired.ron` (13 actions);
//! - `apply_run_account`: one `Session::apply` of a cheap action (`Run("account
//!   dwhitfield")`) on a clone of a fresh session (the clone is made outside the timing);
//! - `score_expert`: scoring the finished expert attempt;
//! - `apply_run_custom_tool`: one `Session::apply` of a custom system's tool (`Run("erp_user
//!   pnovak")` in `finance-approver-role`, issue 11), to compare with `apply_run_account`;
//! - `apply_fix_custom`: one `Session::apply` of a custom fix (`erp_grant_role pnovak
//!   payment_approver`, approval recorded) — preconditions, patch, class.

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

    // Issue 11: the same single `apply` on a scenario with a custom system.
    let custom = pack
        .scenario("finance-approver-role")
        .expect("the bundled finance-approver-role scenario")
        .clone();
    let run_custom = Action::resolve(&RawAction::Run("erp_user pnovak".into()), &custom)
        .expect("resolve `erp_user pnovak`");
    let fresh_custom = Session::new(&custom, 1);
    fresh_custom
        .clone()
        .apply(run_custom.clone())
        .expect("the custom tool is accepted");
    g.bench_function("apply_run_custom_tool", |b| {
        b.iter_batched(
            || (fresh_custom.clone(), run_custom.clone()),
            |(mut s, a)| {
                let events = s.apply(a);
                (s, events)
            },
            BatchSize::SmallInput,
        )
    });
    let mut approved = Session::new(&custom, 1);
    for a in [
        "greet_ack",
        "ask_open",
        "thanks",
        "ask_approval",
        "check_request",
    ] {
        let act = Action::resolve(&RawAction::Say(a.into()), &custom).expect("resolve option");
        approved.apply(act).expect("the option is offered");
    }
    let grant = Action::resolve(
        &RawAction::Fix("erp_grant_role pnovak payment_approver".into()),
        &custom,
    )
    .expect("resolve the custom fix");
    approved
        .clone()
        .apply(grant.clone())
        .expect("the custom fix is accepted");
    g.bench_function("apply_fix_custom", |b| {
        b.iter_batched(
            || (approved.clone(), grant.clone()),
            |(mut s, a)| {
                let events = s.apply(a);
                (s, events)
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, session);
criterion_main!(benches);
