//! `firstline screenshot`: open a screen in a real window, save a PNG, exit.

use super::{ActivePlay, Finished, LastAttempt, PackState, Screen};
use crate::scoring;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::window::RequestRedraw;
use std::path::PathBuf;

/// What to capture.
#[derive(Debug, Clone, Resource)]
pub struct ScreenshotRequest {
    pub screen: Screen,
    pub out: PathBuf,
    pub scenario: Option<String>,
    pub seed: Option<u64>,
    pub width: u32,
    pub height: u32,
    /// Play screen: how many expert actions to take first (default: half).
    pub actions: Option<usize>,
}

#[derive(Resource, Default)]
struct Progress {
    frames: u32,
    taken: bool,
    done: bool,
}

/// Sets up the requested screen from the pack's expert play-test.
fn prepare(
    req: Res<ScreenshotRequest>,
    pack: Res<PackState>,
    mut next: ResMut<NextState<Screen>>,
    mut play: ResMut<ActivePlay>,
    mut last: ResMut<LastAttempt>,
    mut profiles: ResMut<super::ProfileState>,
    mut shift: ResMut<super::shift::ActiveShift>,
) {
    let Some(p) = pack.pack.clone() else { return };
    let scenario = req
        .scenario
        .as_deref()
        .and_then(|id| p.scenario(id))
        .or_else(|| p.scenarios.first())
        .cloned();
    let Some(s) = scenario else { return };
    let expert = p
        .playtests
        .iter()
        .find(|t| t.expert && t.scenario.id == s.id && req.seed.is_none_or(|x| x == t.seed));
    let seed = req.seed.or(expert.map(|t| t.seed)).unwrap_or(1);
    let actions = expert.map(|t| t.actions.clone()).unwrap_or_default();
    match req.screen {
        Screen::Play => {
            // Part-way through: the first half of the expert path (or as asked).
            let n = req.actions.unwrap_or(actions.len() / 2).min(actions.len());
            let half = &actions[..n];
            let mut ui = super::play_ui::PlayUi::new(crate::Session::new(&s, seed), p.clone());
            for a in half {
                ui.apply(super::play_ui::PlayCommand::Act(a.clone()));
            }
            ui.console_line("help");
            play.0 = Some(ui);
        }
        Screen::Debrief => {
            let run = crate::playtest::run(&s, seed, &actions);
            let card = scoring::score(&s, &run.session.attempt());
            last.0 = Some(Finished {
                session: run.session,
                scorecard: card,
                note: None,
            });
        }
        Screen::Progress => demo_history(&p, &mut profiles),
        Screen::Shift | Screen::ShiftReport => {
            // The outage expert's shift: part-way for the queue, finished for the report.
            let id = req.scenario.as_deref().unwrap_or("outage");
            if let Some(t) = p
                .shift_playtests
                .iter()
                .find(|t| t.expert && t.shift.id == id)
            {
                let mut ui = super::shift_ui::ShiftUi::new(&t.shift, t.seed, p.clone());
                let n = match req.screen {
                    Screen::Shift => req.actions.unwrap_or(12).min(t.actions.len()),
                    _ => t.actions.len(),
                };
                for a in &t.actions[..n] {
                    ui.apply(super::shift_ui::ShiftCommand::Act(a.clone()));
                }
                shift.0 = Some(ui);
            }
        }
        _ => {}
    }
    next.set(req.screen);
}

/// A trainee's fortnight in the (scratch) store, for the Progress screenshot: play-tests
/// from the pack, easiest first, a few per day.
fn demo_history(p: &crate::scenario::load::Pack, profiles: &mut super::ProfileState) {
    profiles.create("Sam Trainee");
    // Per scenario, easiest first: a weaker try, then the expert path.
    let mut tests: Vec<_> = vec![];
    for s in p
        .scenarios
        .iter()
        .filter(|s| s.difficulty != crate::scenario::format::Difficulty::Advanced)
    {
        let of = |expert: bool| {
            p.playtests
                .iter()
                .find(|t| t.scenario.id == s.id && t.expert == expert)
        };
        tests.extend(of(false));
        tests.extend(of(true));
    }
    tests.sort_by_key(|t| t.scenario.difficulty);
    let start = std::time::SystemTime::now() - std::time::Duration::from_secs(14 * 86_400);
    for (i, t) in tests.iter().take(14).enumerate() {
        let run = crate::playtest::run(&t.scenario, t.seed, &t.actions);
        let at = start + std::time::Duration::from_secs(i as u64 * 86_400);
        let wall = std::time::Duration::from_secs(240 + 30 * i as u64);
        let rec = crate::progress::NewAttempt::from_session(&run.session, &run.scorecard, at, wall);
        profiles.save(&rec);
    }
}

fn capture(
    mut commands: Commands,
    req: Res<ScreenshotRequest>,
    mut progress: ResMut<Progress>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut exit: MessageWriter<AppExit>,
    fonts: Option<Res<super::fonts::UiFonts>>,
    mut ready_at: Local<Option<u32>>,
) {
    progress.frames += 1;
    redraw.write(RequestRedraw);
    // Wait for the bundled fonts (or give up on them after 300 frames).
    if ready_at.is_none() && (fonts.is_none_or(|f| f.installed) || progress.frames > 300) {
        *ready_at = Some(progress.frames);
    }
    let Some(ready) = *ready_at else { return };
    if progress.frames == ready + 20 && !progress.taken {
        progress.taken = true;
        let path = req.out.clone();
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path));
    }
    if progress.taken && !progress.done && req.out.exists() && progress.frames > ready + 24 {
        progress.done = true;
    }
    if progress.done {
        exit.write(AppExit::Success);
    }
    if progress.frames > 900 {
        eprintln!("screenshot: timed out waiting for the image to be written");
        exit.write(AppExit::error());
    }
}

/// The plugin for one screenshot run.
pub fn plugin(req: ScreenshotRequest) -> impl Fn(&mut App) {
    move |app: &mut App| {
        let _ = std::fs::remove_file(&req.out);
        app.insert_resource(req.clone())
            .init_resource::<Progress>()
            .insert_resource(bevy::winit::WinitSettings::game())
            .add_systems(PostStartup, prepare)
            .add_systems(Update, capture)
            .add_systems(
                PreUpdate,
                ignore_pointer
                    .after(bevy_egui::EguiPreUpdateSet::ProcessInput)
                    .before(bevy_egui::EguiPreUpdateSet::BeginPass),
            );
    }
}

/// Screenshots show the screen as it is, not where Xvfb's pointer happens to rest (no
/// hover highlight or tooltip).
fn ignore_pointer(mut inputs: Query<&mut bevy_egui::EguiInput>) {
    for mut input in &mut inputs {
        input.0.events.retain(|e| {
            !matches!(
                e,
                bevy_egui::egui::Event::PointerMoved(_)
                    | bevy_egui::egui::Event::MouseMoved(_)
                    | bevy_egui::egui::Event::PointerButton { .. }
            )
        });
    }
}
