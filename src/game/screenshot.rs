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
            // Part-way through: the first half of the expert path.
            let half = &actions[..actions.len() / 2];
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
        _ => {}
    }
    next.set(req.screen);
}

fn capture(
    mut commands: Commands,
    req: Res<ScreenshotRequest>,
    mut progress: ResMut<Progress>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut exit: MessageWriter<AppExit>,
) {
    progress.frames += 1;
    redraw.write(RequestRedraw);
    if progress.frames == 20 && !progress.taken {
        progress.taken = true;
        let path = req.out.clone();
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path));
    }
    if progress.taken && !progress.done && req.out.exists() && progress.frames > 24 {
        progress.done = true;
    }
    if progress.done {
        exit.write(AppExit::Success);
    }
    if progress.frames > 600 {
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
            .add_systems(Update, capture);
    }
}
