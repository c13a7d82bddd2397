//! The play screen's keyboard map: one table, shown in the game and the README.

use super::{FocusTarget, act};
use crate::game::UiCommand;
use crate::game::play_ui::{PlayCommand, PlayUi, WorkTab};
use crate::session::action::Action;
use bevy_egui::egui::{self, Key, Modifiers};

/// Every shortcut of the play screen: (keys, what they do).
pub const SHORTCUTS: [(&str, &str); 15] = [
    ("F1", "Customer: focus the first reply"),
    ("F2", "Console: open it and focus the command line"),
    ("F3", "Ticket: focus the work notes"),
    ("F4", "Knowledge base: open it and focus the search"),
    ("F6", "Pause or resume"),
    ("1–9", "Say the numbered reply (when not typing)"),
    ("Ctrl+Enter", "Save the work notes"),
    (
        "Tab / Shift+Tab",
        "Next / previous control (a focus ring shows where you are)",
    ),
    ("Space or Enter", "Press the focused button"),
    ("Esc", "Leave a text field, or cancel a confirmation"),
    (
        "Tab (in the console)",
        "Complete a command or name; Up/Down recall history",
    ),
    ("PageUp / PageDown", "Scroll the debrief"),
    (
        "A",
        "Shift: answer the longest-ringing call (or the oldest waiting chat)",
    ),
    (
        "H",
        "Shift: hold the call in hand (telling the caller: two minutes)",
    ),
    (
        "S",
        "Shift: switch to the next ticket on hold, parked or set aside",
    ),
];

/// The label of the n-th dialogue option button (1-based).
pub fn option_label(n: usize, text: &str) -> String {
    format!("{n}. {text}")
}

/// Handles the play screen's shortcuts before anything is drawn; returns where focus
/// should go this frame. `ticket_tab`: the ticket is a workstation tab (narrow window).
pub fn handle(
    ui: &mut egui::Ui,
    st: &mut PlayUi,
    out: &mut Vec<UiCommand>,
    ticket_tab: bool,
) -> Option<FocusTarget> {
    let pressed = |ui: &mut egui::Ui, k: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, k));
    if pressed(ui, Key::F6) {
        st.set_paused(!st.paused);
        return Some(FocusTarget::Customer);
    }
    if st.paused {
        return None;
    }
    if ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter)) {
        if st.notes != st.session.ticket().notes {
            out.push(UiCommand::Play(PlayCommand::SaveNotes));
        } else {
            st.notify("The work notes are already saved.", false);
        }
    }
    let mut target = None;
    if pressed(ui, Key::F1) {
        target = Some(FocusTarget::Customer);
    }
    if pressed(ui, Key::F2) {
        st.tab = WorkTab::Console;
        target = Some(FocusTarget::Console);
    }
    if pressed(ui, Key::F3) {
        if ticket_tab {
            st.tab = WorkTab::Ticket;
        }
        target = Some(FocusTarget::Ticket);
    }
    if pressed(ui, Key::F4) {
        st.tab = WorkTab::Knowledge;
        target = Some(FocusTarget::Knowledge);
    }
    // Keys 1–9 pick a reply when nothing is being typed.
    if target.is_none() && !ui.ctx().egui_wants_keyboard_input() && st.session.call_active() {
        const DIGITS: [Key; 9] = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        let options = st.session.available_options();
        for (i, k) in DIGITS.iter().enumerate() {
            if ui.input(|inp| inp.key_pressed(*k))
                && let Some(o) = options.get(i)
            {
                act(out, Action::Say(*o));
            }
        }
    }
    target
}
