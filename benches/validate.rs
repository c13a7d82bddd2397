//! How long does validating a large pack take?
//!
//! Builds a 1,000-scenario pack in a temporary folder (the bundled `pack.ron` and `kb/`,
//! plus 1,000 copies of `password-reset.ron` with distinct ids) and compares, in one group:
//!
//! - `load_pack`: the full loader — span tree, typed deserialization, every validation
//!   rule and the resolvability search of each variant;
//! - `ron_value_parse`: a plain `ron::from_str::<ron::Value>` of the same 1,000 files
//!   (already in memory), i.e. the cost of the syntax alone.
//!
//! - `load_pack_custom_systems` (issue 11): the full loader on 1,000 copies of
//!   `finance-approver-role.ron`, whose world instantiates a custom system of the pack's
//!   `systems/` (copied along), with custom tools, fixes and conditions.
//!
//! All report throughput in scenarios per second, so the per-scenario cost is the
//! reciprocal.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use firstline::scenario::load::load_pack;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

const SCENARIOS: usize = 1000;

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Writes a 1,000-scenario pack of `finance-approver-role.ron` copies (with `systems/`).
fn build_custom_pack(dir: &Path) {
    let src = bundled();
    std::fs::copy(src.join("pack.ron"), dir.join("pack.ron")).expect("copy pack.ron");
    let sys = dir.join("systems");
    std::fs::create_dir_all(&sys).expect("create systems/");
    for entry in std::fs::read_dir(src.join("systems")).expect("read systems/") {
        let path = entry.expect("systems entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, sys.join(name)).expect("copy system");
        }
    }
    let template = std::fs::read_to_string(src.join("finance-approver-role.ron"))
        .expect("read finance-approver-role.ron");
    let id = "id: \"finance-approver-role\"";
    assert!(template.contains(id), "the template no longer has `{id}`");
    for i in 0..SCENARIOS {
        let text = template.replacen(id, &format!("id: \"finance-approver-role-{i:04}\""), 1);
        std::fs::write(dir.join(format!("finance-approver-role-{i:04}.ron")), &text)
            .expect("write scenario");
    }
}

/// Writes the generated pack into `dir` and returns the scenario sources.
fn build_pack(dir: &Path) -> Vec<String> {
    let src = bundled();
    std::fs::copy(src.join("pack.ron"), dir.join("pack.ron")).expect("copy pack.ron");
    let kb = dir.join("kb");
    std::fs::create_dir_all(&kb).expect("create kb/");
    for entry in std::fs::read_dir(src.join("kb")).expect("read kb/") {
        let path = entry.expect("kb entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, kb.join(name)).expect("copy kb article");
        }
    }
    let template =
        std::fs::read_to_string(src.join("password-reset.ron")).expect("read password-reset.ron");
    assert!(
        template.contains("id: \"password-reset\""),
        "the template no longer has `id: \"password-reset\"`"
    );
    (0..SCENARIOS)
        .map(|i| {
            let text = template.replacen(
                "id: \"password-reset\"",
                &format!("id: \"password-reset-{i:04}\""),
                1,
            );
            std::fs::write(dir.join(format!("password-reset-{i:04}.ron")), &text)
                .expect("write scenario");
            text
        })
        .collect()
}

fn validate(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let sources = build_pack(tmp.path());

    // Sanity check outside the timing: the generated pack loads cleanly.
    let (pack, diags) = load_pack(tmp.path()).expect("load the generated pack");
    let pack = pack.unwrap_or_else(|| {
        let shown: Vec<String> = diags.iter().take(5).map(ToString::to_string).collect();
        panic!("the generated pack has errors:\n{}", shown.join("\n"))
    });
    assert_eq!(pack.scenarios.len(), SCENARIOS);
    for s in &sources {
        ron::from_str::<ron::Value>(s).expect("the scenario parses as a ron::Value");
    }

    let custom = tempfile::tempdir().expect("temporary folder");
    build_custom_pack(custom.path());
    let (cpack, cdiags) = load_pack(custom.path()).expect("load the custom-system pack");
    let cpack = cpack.unwrap_or_else(|| {
        let shown: Vec<String> = cdiags.iter().take(5).map(ToString::to_string).collect();
        panic!("the custom-system pack has errors:\n{}", shown.join("\n"))
    });
    assert_eq!(cpack.scenarios.len(), SCENARIOS);

    let mut g = c.benchmark_group("validate_1000_scenarios");
    g.throughput(Throughput::Elements(SCENARIOS as u64));
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("load_pack", |b| {
        b.iter(|| {
            let (pack, _diags) = load_pack(black_box(tmp.path())).expect("load");
            black_box(pack)
        })
    });
    g.bench_function("load_pack_custom_systems", |b| {
        b.iter(|| {
            let (pack, _diags) = load_pack(black_box(custom.path())).expect("load");
            black_box(pack)
        })
    });
    g.bench_function("ron_value_parse", |b| {
        b.iter(|| {
            for s in &sources {
                black_box(ron::from_str::<ron::Value>(black_box(s)).expect("parse"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
