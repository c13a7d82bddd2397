//! Shift mode's plugin: the career ladder (`Screen::Shifts`), the queue and the ticket in
//! hand (`Screen::Shift`) and the shift report (`Screen::ShiftReport`), drawn by
//! [`super::shift_ui`]. Its own command queue is routed once per frame: every action goes
//! to the core's `Shift::apply`; a finished shift is saved with its tickets.

use super::shift_ui::{ShiftCommand, ShiftUi, ladder, report_screen, shift_screen};
use super::theme::root_ui;
use super::{PackState, ProfileState, Screen};
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

/// The shift being played (or just finished).
#[derive(Resource, Default)]
pub struct ActiveShift(pub Option<ShiftUi>);

/// Shift commands queued by the UI this frame.
#[derive(Resource, Default)]
pub struct ShiftQueue(pub Vec<ShiftCommand>);

/// The real time the shift started (stored with it; never read by scoring).
#[derive(Resource)]
pub struct Started(pub std::time::SystemTime, pub std::time::Instant);

fn draw_ladder(
    mut contexts: EguiContexts,
    pack: Res<PackState>,
    profiles: Res<ProfileState>,
    mut queue: ResMut<ShiftQueue>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(p) = pack.pack.clone() else {
        return Ok(());
    };
    let mut ui = root_ui(ctx);
    egui::CentralPanel::default_margins().show(&mut ui, |ui| {
        if ui.button("◀ Back").clicked() {
            next.set(Screen::Title);
        }
        ui.heading("Shifts — a day on the desk");
        ui.label("Calls ring while you work, chats wait, tickets age against their SLA. Triage: take P1/P2 first, link incident callers to one ticket, hand over what is open.");
        ladder(ui, &p, &profiles.passed_shifts(), &mut queue.0);
    });
    Ok(())
}

fn draw_shift(
    mut contexts: EguiContexts,
    mut shift: ResMut<ActiveShift>,
    mut queue: ResMut<ShiftQueue>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(st) = shift.0.as_mut() else {
        return Ok(());
    };
    let mut ui = root_ui(ctx);
    shift_screen(&mut ui, st, &mut queue.0);
    Ok(())
}

fn draw_report(
    mut contexts: EguiContexts,
    shift: Res<ActiveShift>,
    mut queue: ResMut<ShiftQueue>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(st) = shift.0.as_ref() else {
        return Ok(());
    };
    let mut ui = root_ui(ctx);
    report_screen(&mut ui, st, &mut queue.0);
    Ok(())
}

/// Turns queued shift commands into core actions, saves and screen changes.
#[allow(clippy::too_many_arguments)]
pub fn route_shift(
    mut commands: Commands,
    mut queue: ResMut<ShiftQueue>,
    mut shift: ResMut<ActiveShift>,
    mut next: ResMut<NextState<Screen>>,
    pack: Res<PackState>,
    mut profiles: ResMut<ProfileState>,
    started: Option<Res<Started>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if queue.0.is_empty() {
        return;
    }
    for c in std::mem::take(&mut queue.0) {
        match c {
            ShiftCommand::Start { shift: id, seed } => {
                let Some(p) = pack.pack.clone() else { continue };
                let Some(profile) = p.shift(&id).cloned() else {
                    continue;
                };
                shift.0 = Some(ShiftUi::new(&profile, seed, p));
                commands.insert_resource(Started(
                    std::time::SystemTime::now(),
                    std::time::Instant::now(),
                ));
                next.set(Screen::Shift);
            }
            ShiftCommand::Back => next.set(Screen::Shifts),
            other => {
                let Some(st) = shift.0.as_mut() else { continue };
                let was_over = st.shift.is_over();
                st.apply(other);
                if st.shift.is_over() && !was_over {
                    if let (Some(card), Some(t)) = (&st.card, &started) {
                        let new = crate::progress::shifts::NewShift::from_shift(
                            &st.shift,
                            card,
                            t.0,
                            t.1.elapsed(),
                        );
                        profiles.save_shift(&new);
                    }
                    next.set(Screen::ShiftReport);
                }
            }
        }
    }
    redraw.write(RequestRedraw);
}

/// The shift screens, their resources and routing.
pub fn plugin(app: &mut App) {
    app.init_resource::<ActiveShift>()
        .init_resource::<ShiftQueue>()
        .add_systems(Update, route_shift)
        .add_systems(
            EguiPrimaryContextPass,
            draw_ladder.run_if(in_state(Screen::Shifts)),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw_shift.run_if(in_state(Screen::Shift)),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw_report.run_if(in_state(Screen::ShiftReport)),
        );
}
