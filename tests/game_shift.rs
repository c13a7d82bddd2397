//! Shift mode in the shell (issue 14): the queue panel driven by egui_kittest (plain
//! egui, no Bevy), and every expert shift play-test through the real shell's routing
//! (headless Bevy `App`) giving the same shift report as `firstline shift`, byte for byte.
#![cfg(feature = "game")]

use assert_cmd::Command;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use firstline::game::shift::{ActiveShift, ShiftQueue};
use firstline::game::shift_ui::{ShiftCommand, ShiftUi, queue_panel};
use firstline::game::{PackState, Screen, core_plugin};
use firstline::scenario::load::Pack;
use firstline::shift::engine::State as TicketState;
use firstline::shift::load::ShiftAction;
use std::path::PathBuf;
use std::sync::Arc;

fn pack_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn load() -> Arc<Pack> {
    let mut pack = PackState {
        dir: pack_dir(),
        ..Default::default()
    };
    pack.reload();
    pack.pack.expect("the bundled pack loads")
}

type St = (ShiftUi, Vec<ShiftCommand>);

/// Runs the panel, applies its commands as the shell does, runs again.
fn pump(h: &mut Harness<'_, St>) -> Vec<ShiftCommand> {
    h.run();
    let st = h.state_mut();
    let cmds = std::mem::take(&mut st.1);
    for c in &cmds {
        st.0.apply(c.clone());
    }
    h.run();
    cmds
}

#[test]
fn issue14_queue_panel_answers_holds_links_and_resumes() {
    let pack = load();
    let outage = pack.shift("outage").unwrap().clone();
    let mut ui = ShiftUi::new(&outage, 1, pack.clone());
    ui.apply(ShiftCommand::Act(ShiftAction::Wait(135)));
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 600.0))
        .build_ui_state(
            |ui, st: &mut St| queue_panel(ui, &st.0, &mut st.1),
            (ui, vec![]),
        );
    firstline::game::theme::prepare(&h.ctx, true);
    h.run();
    // The depot's first caller rings with a countdown; the chat waits with its SLA clock.
    h.get_by_label_contains("ringing");
    h.get_by_label_contains("SLA");
    h.get_by_label("Answer #2").click();
    assert_eq!(
        pump(&mut h),
        vec![ShiftCommand::Act(ShiftAction::Answer(2))]
    );
    assert_eq!(h.state().0.shift.active, Some(2));
    h.get_by_label_contains("in hand");
    // Another depot caller rings: hold the first (told two minutes), link, resume.
    h.state_mut().0.apply(ShiftCommand::Act(ShiftAction::Work(
        2,
        firstline::session::action::Action::Wait(1),
    )));
    h.run();
    h.get_by_label("Hold #2").click();
    pump(&mut h);
    assert!(matches!(
        h.state().0.shift.ticket(2).unwrap().state,
        TicketState::OnHold {
            expectation: true,
            ..
        }
    ));
    h.get_by_label("Link #3 to #2").click();
    pump(&mut h);
    assert_eq!(h.state().0.shift.ticket(3).unwrap().parent, Some(2));
    h.get_by_label_contains("linked to an incident");
    h.get_by_label("Resume #2").click();
    pump(&mut h);
    assert_eq!(h.state().0.shift.active, Some(2));
    // A refused action changes nothing and says why.
    h.state_mut()
        .0
        .apply(ShiftCommand::Act(ShiftAction::Answer(1)));
    h.run();
    assert!(
        h.state()
            .0
            .notice
            .as_deref()
            .unwrap()
            .starts_with("Not done")
    );
    h.get_by_label_contains("Not done");
}

fn app(pack: &Arc<Pack>) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .add_plugins(core_plugin)
        .add_plugins(firstline::game::shift::plugin)
        .insert_resource(PackState {
            dir: pack_dir(),
            pack: Some(pack.clone()),
            generation: 1,
            ..Default::default()
        });
    app.update();
    app
}

fn send(app: &mut App, c: ShiftCommand) {
    app.world_mut().resource_mut::<ShiftQueue>().0.push(c);
    app.update();
    app.update();
}

#[test]
fn issue14_every_expert_shift_through_the_shell_equals_firstline_shift() {
    let pack = load();
    let experts: Vec<_> = pack.shift_playtests.iter().filter(|t| t.expert).collect();
    assert!(experts.len() >= 3);
    for t in experts {
        let mut app = app(&pack);
        send(
            &mut app,
            ShiftCommand::Start {
                shift: t.shift.id.clone(),
                seed: t.seed,
            },
        );
        assert_eq!(
            *app.world().resource::<State<Screen>>().get(),
            Screen::Shift
        );
        for a in &t.actions {
            send(&mut app, ShiftCommand::Act(a.clone()));
            let st = app.world().resource::<ActiveShift>();
            let n = st.0.as_ref().unwrap().notice.clone().unwrap_or_default();
            assert!(
                !n.starts_with("Not done"),
                "{}: {a:?}: {n}",
                t.path.display()
            );
        }
        assert_eq!(
            *app.world().resource::<State<Screen>>().get(),
            Screen::ShiftReport
        );
        let st = app.world().resource::<ActiveShift>();
        let ui = st.0.as_ref().unwrap();
        let shell = firstline::shift::report::text(&ui.shift, ui.card.as_ref().unwrap());
        let cli = Command::cargo_bin("firstline")
            .unwrap()
            .args(["--pack", pack_dir().to_str().unwrap(), "shift", &t.shift.id])
            .args([
                "--seed",
                &t.seed.to_string(),
                "--actions",
                t.path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(cli.status.success());
        assert_eq!(
            shell,
            String::from_utf8(cli.stdout).unwrap(),
            "{}",
            t.path.display()
        );
    }
}

/// Issue 14: a ticket in hand can be finished in the window — ticket fields, questions
/// and the hand-off go through the shift console as in terminal play, and a mistyped
/// field is refused with what was expected.
#[test]
fn issue14_shift_console_sets_the_ticket_and_escalates() {
    let pack = load();
    let quiet = pack.shift("quiet").unwrap().clone();
    let mut ui = ShiftUi::new(&quiet, 1, pack.clone());
    let first = ui.next_to_answer().expect("a ticket to answer");
    ui.apply(ShiftCommand::Act(ShiftAction::Answer(first)));
    ui.apply(ShiftCommand::Console(
        "ticket category=Email impact=Low urgency=High".into(),
    ));
    let t = ui.shift.active_ticket().unwrap();
    assert_eq!(
        t.session.ticket().category,
        Some(firstline::scenario::format::Category::Email),
        "{:?}",
        ui.notice
    );
    ui.apply(ShiftCommand::Console("ticket category=Emial".into()));
    assert!(
        ui.notice
            .as_deref()
            .unwrap_or("")
            .contains("not a category"),
        "{:?}",
        ui.notice
    );
    let team = pack.meta.teams[0].id.clone();
    ui.apply(ShiftCommand::Console(format!(
        "escalate {team} User reports the issue; checked the account; needs the owning team."
    )));
    let t = ui.shift.active_ticket();
    let escalated = t.is_none_or(|t| t.session.ticket().escalation.is_some());
    assert!(escalated, "{:?}", ui.notice);
}
