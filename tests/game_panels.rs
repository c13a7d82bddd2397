//! egui_kittest tests of the play panels (plain egui, no Bevy, no GPU): widgets are found
//! through egui's AccessKit output, clicked and typed into, and the resulting
//! `UiCommand`s are applied the way the shell's `route` system applies them.
#![cfg(feature = "game")]

use bevy_egui::egui::{self, Key, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};
use firstline::game::UiCommand;
use firstline::game::panels::{option_label, play_screen};
use firstline::game::play_ui::{LineKind, PlayCommand, PlayUi};
use firstline::scenario::format::Level;
use firstline::scenario::load::load_pack;
use firstline::session::Session;
use firstline::session::event::EventKind;
use firstline::session::ticket::{Priority, TicketStatus};
use std::sync::Arc;

type State = (PlayUi, Vec<UiCommand>);

/// password-reset, seed 5: the expired-password variant.
fn play_ui() -> PlayUi {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let pack = Arc::new(
        load_pack(&dir)
            .expect("read the pack")
            .0
            .expect("the pack loads"),
    );
    let s = pack.scenario("password-reset").unwrap().clone();
    let ui = PlayUi::new(Session::new(&s, 5), pack);
    assert_eq!(ui.session.variant_key(), "expired");
    ui
}

fn harness() -> Harness<'static, State> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            |ui, st: &mut State| play_screen(ui, &mut st.0, &mut st.1),
            (play_ui(), Vec::new()),
        );
    firstline::game::theme::prepare(&h.ctx, true);
    h.run();
    h
}

/// Runs the UI, applies the queued play commands as `route` does, runs again; returns
/// the commands seen.
fn pump(h: &mut Harness<'_, State>) -> Vec<UiCommand> {
    h.run();
    let st = h.state_mut();
    let cmds = std::mem::take(&mut st.1);
    for c in &cmds {
        if let UiCommand::Play(pc) = c {
            st.0.apply(pc.clone());
        }
    }
    h.run();
    cmds
}

fn session<'a>(h: &'a Harness<'_, State>) -> &'a Session {
    &h.state().0.session
}

/// Picks a choice of a row of choices (`GROUP: ENTRY`, as screen readers hear it).
fn choose(h: &mut Harness<'_, State>, group: &str, entry: &str) -> Vec<UiCommand> {
    let name = format!("{group}: {entry}");
    h.get_by_role_and_label(Role::RadioButton, &name)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::RadioButton, &name).click();
    pump(h)
}

/// Scrolls a button into view and clicks it, as a trainee would.
fn press(h: &mut Harness<'_, State>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, label).click();
}

#[test]
fn clicking_a_dialogue_option_by_its_label_moves_the_conversation() {
    let mut h = harness();
    let (text, id) = {
        let s = session(&h);
        let first = s.available_options()[0];
        (s.scenario().option(first).text.clone(), first)
    };
    let node = session(&h).node();
    let events = session(&h).events().len();
    let said = |s: &Session| {
        s.events()
            .iter()
            .filter(|e| matches!(e.kind, EventKind::TraineeSaid { .. }))
            .count()
    };
    assert_eq!(said(session(&h)), 0);

    let label = option_label(1, &text);
    h.get_by_label(&label).click();
    let cmds = pump(&mut h);

    assert_eq!(
        cmds,
        vec![UiCommand::Play(PlayCommand::Act(
            firstline::session::action::Action::Say(id)
        ))]
    );
    let s = session(&h);
    assert_ne!(s.node(), node, "the conversation moved to the next node");
    assert!(s.events().len() > events, "the transcript grew");
    assert_eq!(said(s), 1);
    assert!(h.state().0.error.is_none());
    // The reply is now in the transcript on screen, and the option buttons changed.
    let you = format!("You: {text}");
    h.get_by_label(&you);
    assert!(h.query_by_label(&label).is_none());
}

#[test]
fn typing_a_console_command_runs_the_tool() {
    let mut h = harness();
    let input = h.get(by().role(Role::TextInput).predicate(|n| {
        n.placeholder()
            .is_some_and(|p| p.starts_with("type a command"))
    }));
    input.focus();
    h.run();
    h.get_by_role(Role::TextInput)
        .type_text("account dwhitfield");
    h.run();
    assert_eq!(h.state().0.console_input, "account dwhitfield");
    h.key_press(Key::Enter);
    let cmds = pump(&mut h);

    assert_eq!(
        cmds,
        vec![UiCommand::Play(PlayCommand::Console(
            "account dwhitfield".into()
        ))]
    );
    let st = &h.state().0;
    assert!(st.console_input.is_empty(), "Enter clears the input");
    assert!(
        st.session
            .events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::ToolRan { .. })),
        "a ToolRan event"
    );
    let out = st.console.last().unwrap();
    assert_eq!(out.kind, LineKind::Output);
    assert!(out.text.contains("Password expired: Yes"), "{}", out.text);
    assert!(
        st.console
            .iter()
            .any(|l| l.kind == LineKind::Input && l.text == "> account dwhitfield")
    );
    // The input keeps focus for the next command, and the output is on screen.
    assert!(h.get_by_role(Role::TextInput).is_focused());
    h.get_by_label_contains("Password expired: Yes");
}

#[test]
fn a_rejected_console_command_is_shown_inline_and_changes_nothing() {
    let mut h = harness();
    h.get_by_role(Role::TextInput).focus();
    h.run();
    h.get_by_role(Role::TextInput).type_text("ipconfig");
    h.run();
    h.key_press(Key::Enter);
    let events = session(&h).events().len();
    pump(&mut h);
    let st = &h.state().0;
    assert_eq!(st.session.events().len(), events);
    assert_eq!(st.console.last().unwrap().kind, LineKind::Error);
}

#[test]
fn impact_and_urgency_combos_set_the_priority() {
    let mut h = harness();
    h.get_by_label("Priority: set impact and urgency");
    choose(&mut h, "Impact", "High");
    assert_eq!(session(&h).ticket().impact, Some(Level::High));
    assert_eq!(session(&h).ticket().priority(), None);

    choose(&mut h, "Urgency", "High");
    let t = session(&h).ticket();
    assert_eq!(t.urgency, Some(Level::High));
    assert_eq!(t.priority(), Some(Priority::P1));
    h.get_by_label("Priority: P1 Critical");

    // Lowering the impact lowers the priority.
    choose(&mut h, "Impact", "Low");
    assert_eq!(session(&h).ticket().impact, Some(Level::Low));
    let p = session(&h).ticket().priority().expect("a priority");
    assert_ne!(p, Priority::P1);
    let shown = format!("Priority: {p}");
    h.get_by_label(&shown);
    assert!(h.state().0.error.is_none());
}

#[test]
fn escalating_with_a_team_and_handoff() {
    let mut h = harness();
    let (team_key, team_label) = {
        let meta = &h.state().0.pack.meta;
        let t = meta
            .teams
            .iter()
            .find(|t| t.id == "identity")
            .unwrap_or(&meta.teams[0]);
        (t.id.clone(), firstline::game::labels::team(&t.name, t.tier))
    };

    // Without a team, Escalate refuses and says why.
    press(&mut h, "Escalate");
    pump(&mut h);
    assert!(session(&h).ticket().escalation.is_none());
    assert!(
        h.state()
            .0
            .error
            .as_deref()
            .is_some_and(|e| e.contains("team"))
    );

    choose(&mut h, "Team", &team_label);
    assert_eq!(
        h.state().0.team,
        h.state().0.pack.meta.team_id(&team_key),
        "the combo sets the team"
    );
    let handoff = "Dana Whitfield cannot sign in; her password expired while on leave. \
                   Identity verified by call-back. Please review the account.";
    h.get(
        by().role(Role::MultilineTextInput)
            .predicate(|n| n.placeholder().is_some_and(|p| p.starts_with("Hand-off"))),
    )
    .focus();
    h.run();
    h.event(egui::Event::Text(handoff.into()));
    h.run();
    assert_eq!(h.state().0.handoff, handoff);

    press(&mut h, "Escalate");
    let cmds = pump(&mut h);
    assert!(cmds.contains(&UiCommand::Play(PlayCommand::Escalate)));
    let st = &h.state().0;
    assert!(st.error.is_none(), "{:?}", st.error);
    let t = st.session.ticket();
    assert_eq!(t.status, TicketStatus::Escalated);
    assert_eq!(t.escalation, Some((team_key, handoff.to_string())));
}

#[test]
fn number_keys_pick_replies_when_not_typing() {
    let mut h = harness();
    let second = session(&h).available_options()[1];
    h.key_press(Key::Num2);
    let cmds = pump(&mut h);
    assert_eq!(
        cmds,
        vec![UiCommand::Play(PlayCommand::Act(
            firstline::session::action::Action::Say(second)
        ))]
    );
    assert_eq!(session(&h).actions().len(), 1);

    // While the console has focus, digits are typed, not replies.
    h.get_by_role(Role::TextInput).focus();
    h.run();
    h.key_press(Key::Num1);
    h.get_by_role(Role::TextInput).type_text("1");
    let cmds = pump(&mut h);
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(session(&h).actions().len(), 1);
    assert_eq!(h.state().0.console_input, "1");
}

#[test]
fn console_tab_completes_and_up_recalls_history() {
    let mut h = harness();
    h.get_by_role(Role::TextInput).focus();
    h.run();
    h.get_by_role(Role::TextInput).type_text("acc");
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(h.state().0.console_input, "account ");
    assert!(
        h.get_by_role(Role::TextInput).is_focused(),
        "Tab completes instead of moving focus"
    );
    h.state_mut().0.console_input = "account dwh".into();
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(h.state().0.console_input, "account dwhitfield ");
    h.key_press(Key::Enter);
    pump(&mut h);
    assert!(h.state().0.console_input.is_empty());
    assert_eq!(h.state().0.history, vec!["account dwhitfield".to_string()]);
    assert!(h.get_by_role(Role::TextInput).is_focused());
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().0.console_input, "account dwhitfield");
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().0.console_input, "");
}

/// Shell bug: after Tab completion (or Up/Down recall) the text cursor stays where it
/// was, so what the trainee types next lands in the middle of the completed word
/// (`acc` Tab `dwh` gives `accdwhount `). `panels::console` replaces
/// `st.console_input` without moving the `TextEdit`'s cursor to the end.
#[test]
fn typing_after_tab_completion_continues_at_the_end() {
    let mut h = harness();
    h.get_by_role(Role::TextInput).focus();
    h.run();
    h.get_by_role(Role::TextInput).type_text("acc");
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(h.state().0.console_input, "account ");
    h.get_by_role(Role::TextInput).type_text("dwh");
    h.run();
    assert_eq!(h.state().0.console_input, "account dwh");
}

/// Issue 13: every action confirms itself on screen for a moment.
#[test]
fn issue13_save_notes_and_ticket_changes_confirm_visibly() {
    let mut h = harness();
    h.get(
        by().role(Role::MultilineTextInput)
            .predicate(|n| n.placeholder().is_some_and(|p| p.starts_with("Symptom"))),
    )
    .focus();
    h.run();
    h.event(egui::Event::Text("Symptom: she cannot sign in.".into()));
    h.run();
    press(&mut h, "Save notes");
    pump(&mut h);
    assert_eq!(session(&h).ticket().notes, "Symptom: she cannot sign in.");
    h.get_by_label_contains("Work notes saved (5 words)");
    h.get_by_label("Saved");
    // The last categories are as reachable as the first (no hidden scroll edge).
    choose(&mut h, "Category", "Other");
    h.get_by_label_contains("Ticket set: category Other");
    choose(&mut h, "Category", "Security");
    assert_eq!(
        session(&h).ticket().category,
        Some(firstline::scenario::format::Category::Security)
    );
}

/// Issue 13: a Directory look-up shows its output in the Directory tab, where the
/// trainee is looking (it used to go silently to the Console tab).
#[test]
fn issue13_directory_lookup_shows_its_output_in_place() {
    let mut h = harness();
    h.get_by_label("Directory").click();
    h.run();
    let before = session(&h).clock();
    h.get_by_role_and_label(Role::Button, "Look up dwhitfield")
        .click();
    let cmds = pump(&mut h);
    assert!(
        matches!(&cmds[..], [UiCommand::Play(PlayCommand::Lookup(l))] if l.starts_with("account "))
    );
    assert!(
        session(&h).clock() > before,
        "the look-up took simulated time"
    );
    assert_eq!(
        h.state().0.tab,
        firstline::game::play_ui::WorkTab::Directory
    );
    h.get_by_label("Result (also in the Console)");
    h.get_by_label_contains("Password expired:");
}

/// Issue 13, B9: Tab into the console does not print the whole command list.
#[test]
fn issue13_tabbing_into_the_console_prints_nothing() {
    let mut h = harness();
    let lines = h.state().0.console.len();
    for _ in 0..60 {
        h.key_press(Key::Tab);
        h.run();
        if h.get_by_role(Role::TextInput).is_focused() {
            break;
        }
    }
    assert!(
        h.get_by_role(Role::TextInput).is_focused(),
        "Tab reaches the console"
    );
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        h.state().0.console.len(),
        lines,
        "{:?}",
        h.state().0.console
    );
}
