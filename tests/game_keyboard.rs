//! Issue 13: the game by keyboard alone (egui_kittest, no pointer events): from the
//! title to the debrief, the focus order of the play screen, no path of Enter presses
//! that ends an attempt, and a name for every control in the AccessKit tree.
#![cfg(feature = "game")]

use bevy_egui::egui::{self, Key, Modifiers, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use firstline::game::browser::{BrowserState, browser_ui};
use firstline::game::debrief::debrief_ui;
use firstline::game::panels::play_screen;
use firstline::game::play_ui::PlayUi;
use firstline::game::title::title_ui;
use firstline::game::{Finished, ProfileState, Screen, Settings, UiCommand};
use firstline::scenario::load::{Pack, load_pack};
use firstline::session::Session;
use std::sync::Arc;

/// The game's screens without Bevy: what `route` does, for egui-only tests.
struct Game {
    pack: Arc<Pack>,
    screen: Screen,
    profiles: ProfileState,
    settings: Settings,
    browser: BrowserState,
    new_name: String,
    play: Option<PlayUi>,
    finished: Option<Finished>,
    out: Vec<UiCommand>,
    /// Every command the UI sent.
    log: Vec<UiCommand>,
}

impl Game {
    fn new() -> Game {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        Game {
            pack: Arc::new(load_pack(&dir).unwrap().0.unwrap()),
            screen: Screen::Title,
            profiles: ProfileState::default(),
            settings: Settings::default(),
            browser: BrowserState::default(),
            new_name: String::new(),
            play: None,
            finished: None,
            out: vec![],
            log: vec![],
        }
    }

    fn draw(&mut self, ui: &mut egui::Ui) {
        match self.screen {
            Screen::Title => title_ui(
                ui,
                &self.profiles,
                &self.settings,
                &self.pack.meta.title,
                false,
                &mut self.new_name,
                &mut self.out,
            ),
            Screen::Browser => browser_ui(
                ui,
                &self.pack,
                &self.profiles,
                &mut self.browser,
                &mut self.out,
            ),
            Screen::Play => {
                if let Some(p) = self.play.as_mut() {
                    play_screen(ui, p, &mut self.out)
                }
            }
            Screen::Debrief => {
                if let Some(f) = &self.finished {
                    debrief_ui(ui, f, None, false, &mut self.out)
                }
            }
            _ => {}
        }
    }

    /// Applies the queued commands as `route` does.
    fn route(&mut self) {
        for c in std::mem::take(&mut self.out) {
            self.log.push(c.clone());
            match c {
                UiCommand::Go(s) => self.screen = s,
                UiCommand::Start { scenario, seed } => {
                    let s = self.pack.scenario(&scenario).unwrap().clone();
                    self.play = Some(PlayUi::new(
                        Session::new(&s, seed.unwrap_or(1)),
                        self.pack.clone(),
                    ));
                    self.screen = Screen::Play;
                }
                UiCommand::Play(pc) => {
                    if let Some(p) = self.play.as_mut() {
                        p.apply(pc)
                    }
                }
                UiCommand::Finish => {
                    let p = self.play.take().unwrap();
                    let card =
                        firstline::scoring::score(p.session.scenario(), &p.session.attempt());
                    self.finished = Some(Finished {
                        session: p.session,
                        scorecard: card,
                        note: None,
                    });
                    self.screen = Screen::Debrief;
                }
                UiCommand::Abandon => {
                    self.play = None;
                    self.screen = Screen::Browser;
                }
                _ => {}
            }
        }
    }

    fn ended(&self) -> bool {
        self.log
            .iter()
            .any(|c| matches!(c, UiCommand::Finish | UiCommand::Abandon))
    }
}

fn harness(game: Game) -> Harness<'static, Game> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, g: &mut Game| g.draw(ui), game);
    firstline::game::theme::prepare(&h.ctx, true);
    h.run();
    h
}

/// Runs a frame, routes what the UI asked for, runs again.
fn step(h: &mut Harness<'_, Game>) {
    h.step();
    h.state_mut().route();
    h.step();
}

fn key(h: &mut Harness<'_, Game>, k: Key) {
    h.key_press(k);
    step(h);
}

/// The name of the focused node, if any.
fn focused(h: &Harness<'_, Game>) -> Option<String> {
    h.query_all(by())
        .find(|n| n.is_focused())
        .map(|n| n.accesskit_node().label().unwrap_or_default())
}

/// Presses Tab until the focused control's name starts with `name` (at most 200 Tabs).
fn tab_to(h: &mut Harness<'_, Game>, name: &str) -> usize {
    for n in 1..=200 {
        key(h, Key::Tab);
        if focused(h).is_some_and(|f| f.starts_with(name)) {
            return n;
        }
    }
    panic!("Tab never reached `{name}`; stuck at {:?}", focused(h));
}

fn type_text(h: &mut Harness<'_, Game>, text: &str) {
    h.event(egui::Event::Text(text.into()));
    step(h);
}

fn play<'a>(h: &'a Harness<'_, Game>) -> &'a PlayUi {
    h.state().play.as_ref().expect("playing")
}

#[test]
fn issue13_keyboard_only_from_title_to_debrief() {
    let mut h = harness(Game::new());
    tab_to(&mut h, "Scenarios");
    key(&mut h, Key::Enter);
    assert_eq!(h.state().screen, Screen::Browser);
    // The seed field, then the scenario's Start button.
    tab_to(&mut h, "");
    let mut guard = 0;
    while !h
        .query_all(by().role(Role::TextInput))
        .any(|n| n.is_focused())
    {
        key(&mut h, Key::Tab);
        guard += 1;
        assert!(guard < 80, "the seed field is reachable");
    }
    type_text(&mut h, "5");
    let title = h
        .state()
        .pack
        .scenario("password-reset")
        .unwrap()
        .title
        .clone();
    tab_to(&mut h, &format!("Start {title}"));
    key(&mut h, Key::Enter);
    assert_eq!(h.state().screen, Screen::Play);
    assert_eq!(play(&h).session.variant_key(), "expired");

    // Replies by number keys, a tool from the console (F2), notes (F3, Ctrl+Enter).
    key(&mut h, Key::Num1);
    assert_eq!(play(&h).session.actions().len(), 1);
    key(&mut h, Key::F2);
    type_text(&mut h, "account dwhitfield");
    key(&mut h, Key::Enter);
    assert!(
        play(&h)
            .console
            .iter()
            .any(|l| l.text.contains("Password expired: Yes"))
    );
    key(&mut h, Key::Escape);
    key(&mut h, Key::F3);
    type_text(
        &mut h,
        "Symptom: Dana cannot sign in; her password expired.",
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    step(&mut h);
    assert_eq!(
        play(&h).session.ticket().notes,
        "Symptom: Dana cannot sign in; her password expired."
    );
    key(&mut h, Key::Escape);

    // Finish: Tab to the button, Enter opens the question, Tab then Enter confirms.
    tab_to(&mut h, "Finish");
    key(&mut h, Key::Enter);
    assert!(play(&h).confirm.is_some(), "Finish asks first");
    assert_eq!(
        focused(&h).as_deref(),
        Some("Cancel"),
        "Cancel has the focus"
    );
    tab_to(&mut h, "Yes, finish");
    key(&mut h, Key::Enter);
    assert_eq!(h.state().screen, Screen::Debrief);
    let f = h.state().finished.as_ref().unwrap();
    assert_eq!(
        f.session.ticket().notes,
        "Symptom: Dana cannot sign in; her password expired."
    );
    h.get_by_label_contains("Debrief — ");
}

fn at_play(seed: u64, scenario: &str) -> Harness<'static, Game> {
    let mut g = Game::new();
    let s = g.pack.scenario(scenario).unwrap().clone();
    g.play = Some(PlayUi::new(Session::new(&s, seed), g.pack.clone()));
    g.screen = Screen::Play;
    harness(g)
}

/// The order Tab visits the play screen's controls in.
fn tab_order(h: &mut Harness<'_, Game>, stops: usize) -> Vec<String> {
    (0..stops)
        .map(|_| {
            key(h, Key::Tab);
            focused(h).unwrap_or_default()
        })
        .collect()
}

#[test]
fn issue13_focus_order_replies_first_finish_last() {
    let mut h = at_play(5, "password-reset");
    let order = tab_order(&mut h, 80);
    let at = |p: &str| {
        order
            .iter()
            .position(|n| n.starts_with(p))
            .unwrap_or_else(|| panic!("`{p}` is never focused: {order:?}"))
    };
    assert_eq!(
        at("1. "),
        0,
        "the first Tab lands on the first reply: {order:?}"
    );
    assert!(at("1. ") < at("2. "));
    assert!(at("2. ") < at("Console"), "{order:?}");
    assert!(at("Console") < at("Category: Account"));
    assert!(at("Category: Account") < at("Work notes"));
    assert!(at("Work notes") < at("Escalate"));
    assert!(at("Escalate") < at("Pause"));
    assert!(at("Pause") < at("Abandon") && at("Abandon") < at("Finish"));
    // After Esc, the first Tab is not one Enter away from ending the attempt.
    key(&mut h, Key::Escape);
    key(&mut h, Key::Tab);
    assert!(!focused(&h).unwrap_or_default().starts_with("Finish"));
    // The shortcut map: F4 knowledge base, F2 console, F3 ticket, F1 customer.
    key(&mut h, Key::F4);
    assert_eq!(focused(&h).as_deref(), Some("Knowledge base search"));
    key(&mut h, Key::F2);
    assert_eq!(focused(&h).as_deref(), Some("Console command"));
    key(&mut h, Key::F3);
    assert_eq!(focused(&h).as_deref(), Some("Work notes"));
    key(&mut h, Key::F1);
    assert!(focused(&h).unwrap_or_default().starts_with("1. "));
}

#[test]
fn issue13_no_enter_only_path_ends_an_attempt() {
    // From every Tab stop of the play screen, Enter pressed over and over never
    // finishes, abandons or resolves.
    let order = tab_order(&mut at_play(5, "password-reset"), 42);
    for b in ["Finish", "Abandon", "Resolve ticket"] {
        assert!(
            order.iter().any(|s| s.starts_with(b)),
            "{b} is a Tab stop: {order:?}"
        );
    }
    let mut h = at_play(5, "password-reset");
    for name in &order {
        // Back to the start of the call, with the focus on this stop.
        let (pack, s) = {
            let g = h.state();
            (
                g.pack.clone(),
                g.pack.scenario("password-reset").unwrap().clone(),
            )
        };
        h.state_mut().play = Some(PlayUi::new(Session::new(&s, 5), pack));
        h.step();
        h.get(by().label(name).predicate(|n| n.role() != Role::Label))
            .focus();
        h.step();
        assert_eq!(focused(&h).as_ref(), Some(name));
        for _ in 0..3 {
            key(&mut h, Key::Enter);
        }
        assert!(!h.state().ended(), "Enter at {name:?}: {:?}", h.state().log);
        let status = h.state().play.as_ref().map(|p| p.session.ticket().status);
        assert_ne!(
            status,
            Some(firstline::session::ticket::TicketStatus::Resolved),
            "Enter at {name:?}"
        );
    }
}

#[test]
fn issue13_every_control_of_the_play_screen_has_a_name() {
    for (scenario, seed) in [("password-reset", 5), ("app-crash", 1)] {
        let h = at_play(seed, scenario);
        let controls = [
            Role::Button,
            Role::TextInput,
            Role::MultilineTextInput,
            Role::RadioButton,
            Role::CheckBox,
            Role::ComboBox,
            Role::Slider,
            Role::Tab,
        ];
        let mut nameless = vec![];
        let mut n = 0;
        for node in h.query_all(by()) {
            let a = node.accesskit_node();
            if !controls.contains(&a.role()) {
                continue;
            }
            n += 1;
            let name = a.label().unwrap_or_default();
            if name.trim().is_empty()
                || name.chars().any(|c| ('\u{e000}'..='\u{f8ff}').contains(&c))
            {
                nameless.push(format!("{:?} {:?} at {:?}", a.role(), name, node.rect()));
            }
        }
        assert!(n >= 25, "{scenario}: only {n} controls");
        assert!(nameless.is_empty(), "{scenario}: {nameless:#?}");
    }
}

/// The README's keyboard map is the game's.
#[test]
fn issue13_readme_lists_every_shortcut() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (k, what) in firstline::game::panels::SHORTCUTS {
        assert!(
            readme.contains(&format!("| `{k}` | {what} |")),
            "README lacks `{k}`"
        );
    }
}
