//! Issue 6 through the game shell: finishing saves the attempt to the store, the
//! Progress screen lists it and opens its debrief by replay, and a random start never
//! repeats the variant played last. Headless `App` (no window) and egui_kittest.
#![cfg(feature = "game")]

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use firstline::game::progress::progress_ui;
use firstline::game::{
    ActivePlay, LastAttempt, PackState, ProfileState, Screen, UiCommand, UiQueue, core_plugin,
};
use firstline::progress::Store;
use firstline::scenario::load::Pack;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn new_app(data: &Path) -> App {
    let mut pack = PackState {
        dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        ..Default::default()
    };
    pack.reload();
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .add_plugins(core_plugin)
        .insert_resource(pack)
        .insert_resource(ProfileState::open(Some(data)));
    app.update();
    app
}

fn send(app: &mut App, cmds: impl IntoIterator<Item = UiCommand>) {
    app.world_mut().resource_mut::<UiQueue>().0.extend(cmds);
    app.update();
    app.update();
}

fn pack(app: &App) -> Arc<Pack> {
    app.world().resource::<PackState>().pack.clone().unwrap()
}

/// Plays the expert play-test of `scenario` through the shell and finishes it.
fn play_expert(app: &mut App, scenario: &str) {
    let p = pack(app);
    let t = p
        .playtests
        .iter()
        .find(|t| t.expert && t.scenario.id == scenario)
        .unwrap()
        .clone();
    send(
        app,
        [UiCommand::Start {
            scenario: scenario.into(),
            seed: Some(t.seed),
        }],
    );
    for a in &t.actions {
        send(
            app,
            [UiCommand::Play(firstline::game::play_ui::PlayCommand::Act(
                a.clone(),
            ))],
        );
    }
    send(app, [UiCommand::Finish]);
}

#[test]
fn issue_6_a_finished_attempt_is_saved_and_its_debrief_rebuilt_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = new_app(dir.path());
    send(&mut app, [UiCommand::CreateProfile("Sam".into())]);
    play_expert(&mut app, "password-reset");
    let original = app
        .world()
        .resource::<LastAttempt>()
        .0
        .as_ref()
        .unwrap()
        .scorecard
        .clone();
    let profiles = app.world().resource::<ProfileState>();
    assert_eq!(profiles.problem, None);
    assert_eq!(profiles.attempts.len(), 1);
    let id = profiles.attempts[0].id;
    assert_eq!(profiles.attempts[0].overall, original.overall);
    assert!(profiles.attempts[0].wall_ms < 60_000);

    // A new process (a fresh app on the same data dir) opens it from the Progress screen.
    drop(app);
    let mut app = new_app(dir.path());
    assert_eq!(
        app.world()
            .resource::<ProfileState>()
            .current
            .as_ref()
            .unwrap()
            .name,
        "Sam"
    );
    send(&mut app, [UiCommand::Go(Screen::Progress)]);
    send(&mut app, [UiCommand::OpenAttempt(id)]);
    assert_eq!(
        *app.world().resource::<State<Screen>>().get(),
        Screen::Debrief
    );
    let f = app.world().resource::<LastAttempt>().0.clone().unwrap();
    assert_eq!(f.scorecard, original);
    assert_eq!(
        serde_json::to_string(&f.scorecard).unwrap(),
        serde_json::to_string(&original).unwrap()
    );
    assert_eq!(f.note, None);
    assert!(!f.session.events().is_empty(), "the timeline is replayed");
}

#[test]
fn issue_6_a_random_start_never_repeats_the_last_variant() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = new_app(dir.path());
    send(&mut app, [UiCommand::CreateProfile("Sam".into())]);
    let mut last: Option<String> = None;
    for _ in 0..6 {
        send(
            &mut app,
            [UiCommand::Start {
                scenario: "password-reset".into(),
                seed: None,
            }],
        );
        let v = app
            .world()
            .resource::<ActivePlay>()
            .0
            .as_ref()
            .unwrap()
            .session
            .variant_key()
            .to_string();
        if let Some(l) = &last {
            assert_ne!(&v, l, "the same variant twice in a row");
        }
        send(&mut app, [UiCommand::Finish]);
        last = Some(v);
    }
    assert_eq!(app.world().resource::<ProfileState>().attempts.len(), 6);
}

type Kit = (Arc<Pack>, ProfileState, Vec<UiCommand>);

fn progress_harness(dir: &Path) -> Harness<'static, Kit> {
    let pack = Arc::new(
        firstline::scenario::load::load_pack(Path::new("scenarios"))
            .unwrap()
            .0
            .unwrap(),
    );
    let mut store = Store::open(Some(dir)).unwrap();
    let sam = store.create_profile("Sam").unwrap();
    for t in pack.playtests.iter().filter(|t| t.expert).take(3) {
        let run = firstline::playtest::run(&t.scenario, t.seed, &t.actions);
        let rec = firstline::progress::NewAttempt::from_session(
            &run.session,
            &run.scorecard,
            std::time::SystemTime::now(),
            std::time::Duration::from_secs(300),
        );
        store.save_attempt(&sam, &rec).unwrap();
    }
    let profiles = ProfileState::with_store(store);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            |ui, st: &mut Kit| {
                progress_ui(ui, &st.0, &st.1, time::OffsetDateTime::now_utc(), &mut st.2)
            },
            (pack, profiles, Vec::new()),
        );
    h.run();
    h
}

#[test]
fn issue_6_the_progress_screen_lists_attempts_recommends_and_opens_debriefs() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = progress_harness(dir.path());
    // Three attempts, newest first: each row has a Debrief button.
    let buttons: Vec<_> = h.query_all_by_label("Debrief").collect();
    assert_eq!(buttons.len(), 3);
    let newest = h.state().1.attempts[2].id;
    buttons[0].click();
    h.run();
    let cmds = std::mem::take(&mut h.state_mut().2);
    assert_eq!(cmds, vec![UiCommand::OpenAttempt(newest)]);
    // The recommendation is one line with a Play button that starts that scenario.
    // (get_by_* panics when the label is missing.)
    h.get_by_label_contains("not played yet");
    let play = h.get_by_label_contains("Play ");
    play.click();
    h.run();
    let cmds = std::mem::take(&mut h.state_mut().2);
    assert!(
        matches!(&cmds[..], [UiCommand::Start { seed: None, .. }]),
        "{cmds:?}"
    );
}
