//! Headless Bevy `App` tests of the game shell: screen transitions and the routing of
//! UI commands to the core session (`MinimalPlugins`, no window, no GPU).
#![cfg(feature = "game")]

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use firstline::game::play_ui::PlayCommand;
use firstline::game::{
    ActivePlay, LastAttempt, PackState, Screen, UiCommand, UiQueue, core_plugin,
};
use firstline::session::action::Action;
use firstline::session::event::EventKind;
use std::path::PathBuf;

fn app() -> App {
    let mut pack = PackState {
        dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        ..Default::default()
    };
    pack.reload();
    assert!(
        pack.pack.is_some(),
        "the bundled pack loads: {}",
        pack.status
    );
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .add_plugins(core_plugin)
        .insert_resource(pack);
    app.update();
    app
}

/// Queues commands and runs two frames, so `NextState` is applied.
fn send(app: &mut App, cmds: impl IntoIterator<Item = UiCommand>) {
    app.world_mut().resource_mut::<UiQueue>().0.extend(cmds);
    app.update();
    app.update();
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn active(app: &App) -> &firstline::game::play_ui::PlayUi {
    app.world()
        .resource::<ActivePlay>()
        .0
        .as_ref()
        .expect("an attempt in progress")
}

fn start(app: &mut App, scenario: &str, seed: u64) {
    send(
        app,
        [UiCommand::Start {
            scenario: scenario.into(),
            seed: Some(seed),
        }],
    );
}

fn say(app: &App, key: &str) -> UiCommand {
    let o = active(app)
        .session
        .scenario()
        .option_id(key)
        .unwrap_or_else(|| panic!("option `{key}`"));
    UiCommand::Play(PlayCommand::Act(Action::Say(o)))
}

#[test]
fn starts_on_the_title_and_goes_between_screens() {
    let mut app = app();
    assert_eq!(screen(&app), Screen::Title);
    for s in [Screen::Browser, Screen::Title, Screen::Browser] {
        send(&mut app, [UiCommand::Go(s)]);
        assert_eq!(screen(&app), s);
    }
    assert!(app.world().resource::<ActivePlay>().0.is_none());
    assert!(app.world().resource::<UiQueue>().0.is_empty());
}

/// Issue 13: the Instructor view (every variant and answer) is for instructors only.
#[test]
fn issue13_instructor_view_needs_instructor_mode() {
    let mut app = app();
    send(&mut app, [UiCommand::Go(Screen::Instructor)]);
    assert_eq!(screen(&app), Screen::Title, "a trainee stays on the title");
    app.insert_resource(firstline::game::Mode { instructor: true });
    send(&mut app, [UiCommand::Go(Screen::Instructor)]);
    assert_eq!(screen(&app), Screen::Instructor);
}

#[test]
fn start_opens_play_with_the_scenario_and_seed() {
    let mut app = app();
    send(&mut app, [UiCommand::Go(Screen::Browser)]);
    start(&mut app, "password-reset", 5);
    assert_eq!(screen(&app), Screen::Play);
    let ui = active(&app);
    assert_eq!(ui.session.scenario().id, "password-reset");
    assert_eq!(ui.session.seed(), 5);
    assert_eq!(ui.session.variant_key(), "expired");
    assert!(ui.error.is_none());
}

#[test]
fn starting_an_unknown_scenario_does_nothing() {
    let mut app = app();
    send(&mut app, [UiCommand::Go(Screen::Browser)]);
    start(&mut app, "no-such-scenario", 5);
    assert_eq!(screen(&app), Screen::Browser);
    assert!(app.world().resource::<ActivePlay>().0.is_none());
}

#[test]
fn play_commands_reach_the_session() {
    let mut app = app();
    start(&mut app, "password-reset", 5);
    let before = active(&app).session.events().len();
    let node = active(&app).session.node();
    let cmd = say(&app, "greet_ack");
    send(&mut app, [cmd]);
    let ui = active(&app);
    assert!(ui.error.is_none(), "{:?}", ui.error);
    assert!(
        ui.session.events().len() > before,
        "saying something adds events"
    );
    assert!(
        ui.session.events()[before..]
            .iter()
            .any(|e| matches!(e.kind, EventKind::TraineeSaid { .. })),
        "the reply is in the transcript"
    );
    assert_ne!(ui.session.node(), node, "the conversation moved on");
    assert_eq!(ui.session.actions().len(), 1);

    // A console line goes through the same route and runs the tool.
    send(
        &mut app,
        [UiCommand::Play(PlayCommand::Console(
            "account dwhitfield".into(),
        ))],
    );
    let ui = active(&app);
    assert!(
        ui.session
            .events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::ToolRan { .. }))
    );
    assert!(
        ui.console
            .last()
            .unwrap()
            .text
            .contains("Password expired: Yes")
    );
    assert_eq!(screen(&app), Screen::Play);
}

#[test]
fn a_rejected_action_sets_the_error_and_changes_nothing() {
    let mut app = app();
    start(&mut app, "password-reset", 5);
    let ui = active(&app);
    let available = ui.session.available_options();
    let unavailable = (0..ui.session.scenario().options.len())
        .map(firstline::ids::OptionId::from_index)
        .find(|o| !available.contains(o))
        .expect("some option is not available at the start");
    let events = ui.session.events().to_vec();
    let ticket = ui.session.ticket().clone();
    let clock = ui.session.clock();
    send(
        &mut app,
        [
            UiCommand::Play(PlayCommand::Act(Action::Say(unavailable))),
            UiCommand::Play(PlayCommand::Act(Action::Resolve("   ".into()))),
        ],
    );
    let ui = active(&app);
    assert!(ui.error.is_some(), "the reason is shown inline");
    assert_eq!(ui.session.events(), &events[..]);
    assert_eq!(ui.session.ticket(), &ticket);
    assert_eq!(ui.session.clock(), clock);
    assert!(ui.session.actions().is_empty());
    assert_eq!(screen(&app), Screen::Play);

    // The next accepted action clears the error.
    let cmd = say(&app, "greet_ack");
    send(&mut app, [cmd]);
    assert!(active(&app).error.is_none());
}

#[test]
fn finish_opens_the_debrief_with_a_scorecard() {
    let mut app = app();
    start(&mut app, "password-reset", 5);
    let cmd = say(&app, "greet_ack");
    send(&mut app, [cmd, UiCommand::Finish]);
    assert_eq!(screen(&app), Screen::Debrief);
    assert!(app.world().resource::<ActivePlay>().0.is_none());
    let last = app.world().resource::<LastAttempt>();
    let f = last.0.as_ref().expect("the finished attempt");
    assert_eq!(f.scorecard.scenario, "password-reset");
    assert_eq!(f.scorecard.seed, 5);
    assert_eq!(f.scorecard.variant, "expired");
    assert!(!f.scorecard.resolved);
    assert!(!f.scorecard.passed);
    assert_eq!(f.session.actions().len(), 1);
}

#[test]
fn finish_without_an_attempt_does_nothing() {
    let mut app = app();
    send(
        &mut app,
        [UiCommand::Go(Screen::Browser), UiCommand::Finish],
    );
    assert_eq!(screen(&app), Screen::Browser);
    assert!(app.world().resource::<LastAttempt>().0.is_none());
}

#[test]
fn abandon_goes_back_to_the_browser_without_scoring() {
    let mut app = app();
    start(&mut app, "password-reset", 5);
    let cmd = say(&app, "greet_ack");
    send(&mut app, [cmd]);
    send(&mut app, [UiCommand::Abandon]);
    assert_eq!(screen(&app), Screen::Browser);
    assert!(app.world().resource::<ActivePlay>().0.is_none());
    assert!(
        app.world().resource::<LastAttempt>().0.is_none(),
        "an abandoned attempt is not scored"
    );
}

#[test]
fn retry_same_variant_reuses_the_seed() {
    let mut app = app();
    start(&mut app, "password-reset", 5);
    send(&mut app, [UiCommand::Finish]);
    assert_eq!(screen(&app), Screen::Debrief);
    send(&mut app, [UiCommand::Retry { same_variant: true }]);
    assert_eq!(screen(&app), Screen::Play);
    let ui = active(&app);
    assert_eq!(ui.session.scenario().id, "password-reset");
    assert_eq!(ui.session.seed(), 5);
    assert_eq!(ui.session.variant_key(), "expired");
    assert!(ui.session.actions().is_empty(), "a fresh attempt");
}

#[test]
fn retry_new_variant_gives_another_variant() {
    let mut app = app();
    start(&mut app, "password-reset", 5);
    send(&mut app, [UiCommand::Finish]);
    for _ in 0..3 {
        send(
            &mut app,
            [UiCommand::Retry {
                same_variant: false,
            }],
        );
        assert_eq!(screen(&app), Screen::Play);
        let ui = active(&app);
        assert_eq!(ui.session.scenario().id, "password-reset");
        assert_ne!(ui.session.seed(), 5);
        assert_ne!(ui.session.variant_key(), "expired");
        assert!(ui.session.actions().is_empty());
        // LastAttempt still holds the seed-5 attempt, so every retry differs from it.
        assert_eq!(
            app.world()
                .resource::<LastAttempt>()
                .0
                .as_ref()
                .unwrap()
                .session
                .seed(),
            5
        );
    }
}

#[test]
fn retry_without_a_finished_attempt_does_nothing() {
    let mut app = app();
    send(&mut app, [UiCommand::Go(Screen::Browser)]);
    send(&mut app, [UiCommand::Retry { same_variant: true }]);
    assert_eq!(screen(&app), Screen::Browser);
    assert!(app.world().resource::<ActivePlay>().0.is_none());
}
