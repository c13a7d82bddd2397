//! Issue 12 — nothing lost, nothing leaked: sync against a misbehaving LRS
//! ([`sync`]), pack file access under hostile files ([`packs`]), the store under faults
//! ([`store`]), what the CLI prints ([`output`]) and a concurrent save soak ([`soak`]).
//! One test binary, so the suite links once.
#![cfg(unix)]

#[path = "../common/mod.rs"]
mod common;
mod output;
mod packs;
mod soak;
mod store;
mod sync;

use assert_cmd::Command;
use common::{Out, out};
use firstline::progress::{NewAttempt, Profile, Store};
use firstline::scenario::load::{Pack, load_pack};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled pack, loaded once.
pub fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| {
        let (p, diags) = load_pack(&root().join("scenarios")).unwrap();
        p.unwrap_or_else(|| panic!("the bundled pack loads: {diags:?}"))
    })
}

/// A finished attempt (the first expert play-test), with a fresh uuid.
pub fn an_attempt() -> NewAttempt {
    static RUN: OnceLock<firstline::playtest::Run> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        let t = &pack().playtests[0];
        firstline::playtest::run(&t.scenario, t.seed, &t.actions)
    });
    NewAttempt::from_session(
        &run.session,
        &run.scorecard,
        SystemTime::now() - Duration::from_secs(60),
        Duration::from_secs(30),
    )
}

/// A data directory holding `n` saved attempts of trainee `name`.
pub fn data_with_attempts(dir: &Path, name: &str, n: usize) -> Profile {
    let mut store = Store::open(Some(dir)).expect("open the store");
    let who = store.create_profile(name).expect("profile");
    for _ in 0..n {
        store.save_attempt(&who, &an_attempt()).expect("save");
    }
    who
}

/// `firstline ARGS` in the repository, isolated from the user's config and LRS settings.
pub fn firstline(home: &Path) -> Command {
    let mut c = Command::cargo_bin("firstline").expect("the firstline binary");
    c.current_dir(root())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data-home"))
        .env_remove("FIRSTLINE_LRS_URL")
        .env_remove("FIRSTLINE_LRS_USER")
        .env_remove("FIRSTLINE_LRS_PASSWORD")
        .timeout(Duration::from_secs(60));
    c
}

/// Runs a prepared command and collects its output (a panic fails the test).
pub fn run(mut c: Command, what: &str) -> Out {
    out(c.output().expect("run firstline"), what)
}
