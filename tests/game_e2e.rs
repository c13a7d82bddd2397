//! Scripted end-to-end runs through the real shell's routing (headless Bevy `App`,
//! injected `UiCommand`s): every expert play-test of the bundled pack reaches the debrief
//! with the same scorecard as `firstline playtest` on the same actions and seed.
#![cfg(feature = "game")]

use assert_cmd::Command;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use firstline::game::play_ui::PlayCommand;
use firstline::game::{
    ActivePlay, LastAttempt, PackState, Screen, UiCommand, UiQueue, core_plugin,
};
use firstline::scenario::load::{Pack, Playtest};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

fn pack_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// The bundled pack, loaded once through the shell's own loader.
fn load() -> Arc<Pack> {
    let mut pack = PackState {
        dir: pack_dir(),
        ..Default::default()
    };
    pack.reload();
    pack.pack
        .unwrap_or_else(|| panic!("the bundled pack loads: {}", pack.status))
}

fn app(pack: &Arc<Pack>) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .add_plugins(core_plugin)
        .insert_resource(PackState {
            dir: pack_dir(),
            pack: Some(pack.clone()),
            generation: 1,
            ..Default::default()
        });
    app.update();
    app
}

fn send(app: &mut App, cmd: UiCommand) {
    app.world_mut().resource_mut::<UiQueue>().0.push(cmd);
    app.update();
    app.update();
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// Plays a play-test through the shell and returns the debrief's scorecard as JSON.
fn play_in_shell(pack: &Arc<Pack>, p: &Playtest) -> String {
    let mut app = app(pack);
    send(&mut app, UiCommand::Go(Screen::Browser));
    send(
        &mut app,
        UiCommand::Start {
            scenario: p.scenario.id.clone(),
            seed: Some(p.seed),
        },
    );
    assert_eq!(screen(&app), Screen::Play, "{}", p.name);
    for (i, a) in p.actions.iter().enumerate() {
        send(&mut app, UiCommand::Play(PlayCommand::Act(a.clone())));
        let play = app.world().resource::<ActivePlay>();
        let ui = play.0.as_ref().expect("still playing");
        if p.expect.rejected == 0 {
            assert!(
                ui.error.is_none(),
                "{}: action {} ({a:?}) was rejected: {:?}",
                p.path.display(),
                i + 1,
                ui.error
            );
        }
        assert_eq!(screen(&app), Screen::Play);
    }
    send(&mut app, UiCommand::Finish);
    assert_eq!(screen(&app), Screen::Debrief, "{}", p.name);
    assert!(app.world().resource::<ActivePlay>().0.is_none());
    let last = app.world().resource::<LastAttempt>();
    let f = last
        .0
        .as_ref()
        .expect("the debrief has the finished attempt");
    assert_eq!(f.session.seed(), p.seed);
    if p.expect.rejected == 0 {
        assert_eq!(f.session.actions().len(), p.actions.len(), "{}", p.name);
    }
    serde_json::to_string_pretty(&f.scorecard).expect("scorecard JSON")
}

fn playtest_cli(p: &Playtest) -> String {
    let o = Command::cargo_bin("firstline")
        .expect("the firstline binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--pack")
        .arg(pack_dir())
        .arg("playtest")
        .arg(&p.scenario.id)
        .arg("--actions")
        .arg(&p.path)
        .arg("--seed")
        .arg(p.seed.to_string())
        .args(["--format", "json"])
        .output()
        .expect("run firstline playtest");
    assert_eq!(
        o.status.code(),
        Some(0),
        "firstline playtest {}: {}",
        p.path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("UTF-8 stdout")
}

fn check(pack: &Arc<Pack>, p: &Playtest) {
    let shell = play_in_shell(pack, p);
    let cli = playtest_cli(p);
    assert_eq!(
        shell,
        cli.trim_end(),
        "{}: the shell's debrief differs from `firstline playtest`",
        p.path.display()
    );
    // The same scorecard as the core's own play-test runner.
    let run = firstline::playtest::run(&p.scenario, p.seed, &p.actions);
    assert_eq!(
        shell,
        serde_json::to_string_pretty(&run.scorecard).unwrap(),
        "{}",
        p.path.display()
    );
}

#[test]
fn expert_playtests_through_the_shell_match_the_cli_scorecard() {
    let pack = load();
    let experts: Vec<&Playtest> = pack.playtests.iter().filter(|p| p.expert).collect();
    let scenarios: BTreeSet<&str> = experts.iter().map(|p| p.scenario.id.as_str()).collect();
    assert!(
        scenarios.len() >= 2,
        "expert play-tests of at least two scenarios: {scenarios:?}"
    );
    for must in ["password-reset", "printer-queue"] {
        assert!(scenarios.contains(must), "an expert play-test of {must}");
    }
    // Spread over the cores: each play-test has its own App and `firstline` process.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (pack, experts) = (&pack, &experts);
            scope.spawn(move || {
                for p in experts.iter().skip(w).step_by(workers) {
                    check(pack, p);
                }
            });
        }
    });
}
