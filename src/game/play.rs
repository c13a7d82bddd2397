//! The play screen plugin: draws [`super::panels::play_screen`] over the active attempt.

use super::theme::root_ui;
use super::{ActivePlay, Screen, UiQueue};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

fn draw(
    mut contexts: EguiContexts,
    mut play: ResMut<ActivePlay>,
    mut queue: ResMut<UiQueue>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(st) = play.0.as_mut() else {
        return Ok(());
    };
    let mut ui = root_ui(ctx);
    super::panels::play_screen(&mut ui, st, &mut queue.0);
    Ok(())
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.run_if(in_state(Screen::Play)));
}
