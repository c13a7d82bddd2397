//! Issue 13: the play screen holds up at every window size and UI scale. egui_kittest
//! draws the play screen in the worst bundled case (the moment with the most replies and
//! questions on screen) at 1024×640, 1280×800 and 1920×1080, scales 1.0 and 1.5, and
//! asserts that no two interactive widgets overlap and that every one is on screen.
#![cfg(feature = "game")]

use bevy_egui::egui::{self, Rect};
use egui_kittest::Harness;
use firstline::game::UiCommand;
use firstline::game::panels::{play_screen, regions};
use firstline::game::play_ui::{PlayCommand, PlayUi};
use firstline::scenario::load::{Pack, load_pack};
use firstline::session::Session;
use std::sync::Arc;

type State = (PlayUi, Vec<UiCommand>);

fn pack() -> Arc<Pack> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    Arc::new(
        load_pack(&dir)
            .expect("read the pack")
            .0
            .expect("the pack loads"),
    )
}

/// The moment of any bundled play-test with the most replies plus questions available:
/// (scenario, seed, actions taken so far, replies, questions).
fn worst_case(pack: &Pack) -> (String, u64, usize, usize, usize) {
    let mut worst = (String::new(), 0, 0, 0, 0);
    for t in &pack.playtests {
        let mut s = Session::new(&t.scenario, t.seed);
        for i in 0..=t.actions.len() {
            let (o, q) = (s.available_options().len(), s.available_questions().len());
            if o + q > worst.3 + worst.4 {
                worst = (t.scenario.id.clone(), t.seed, i, o, q);
            }
            if let Some(a) = t.actions.get(i) {
                let _ = s.apply(a.clone());
            }
        }
    }
    worst
}

fn worst_ui(pack: &Arc<Pack>) -> PlayUi {
    let (id, seed, n, _, _) = worst_case(pack);
    let t = pack
        .playtests
        .iter()
        .find(|t| t.scenario.id == id && t.seed == seed)
        .unwrap();
    let mut ui = PlayUi::new(Session::new(&t.scenario, seed), pack.clone());
    for a in &t.actions[..n] {
        ui.apply(PlayCommand::Act(a.clone()));
    }
    // Some console output and notes, as part-way through a call.
    ui.console_line("help");
    ui.notes = "Symptom: the application closes at start-up.".into();
    ui
}

fn harness(pack: &Arc<Pack>, size: (f32, f32), scale: f32) -> Harness<'static, State> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(size.0 / scale, size.1 / scale))
        .with_pixels_per_point(scale)
        .build_ui_state(
            |ui, st: &mut State| play_screen(ui, &mut st.0, &mut st.1),
            (worst_ui(pack), Vec::new()),
        );
    firstline::game::theme::prepare(&h.ctx, true);
    h.run();
    h.run();
    h
}

/// Interactive widgets cut off at the side (nothing scrolls sideways, so a widget wider
/// than where it is shown is drawn past its region's edge).
fn cut_sideways(ctx: &egui::Context) -> Vec<String> {
    ctx.viewport(|vp| {
        vp.prev_pass
            .widgets
            .layers()
            .flat_map(|(_, ws)| ws.iter())
            .filter(|r| r.enabled && (r.sense.senses_click() || r.sense.is_focusable()))
            .filter(|r| r.interact_rect.is_positive())
            .filter(|r| r.rect.width() - r.interact_rect.width() > 1.0)
            .map(|r| format!("{:?} shown {:?} of {:?}", r.id, r.interact_rect, r.rect))
            .collect()
    })
}

/// Interactive widgets of the last frame: (what, rect where it takes clicks).
fn interactive(ctx: &egui::Context) -> Vec<(String, Rect)> {
    ctx.viewport(|vp| {
        let w = &vp.prev_pass.widgets;
        w.layers()
            .flat_map(|(_, ws)| ws.iter())
            .filter(|r| r.enabled && (r.sense.senses_click() || r.sense.is_focusable()))
            .filter(|r| r.interact_rect.is_positive() && r.interact_rect.area() > 4.0)
            .map(|r| {
                let name = w
                    .info(r.id)
                    .map(|i| format!("{:?} {:?}", i.typ, i.label.clone().unwrap_or_default()))
                    .unwrap_or_else(|| format!("{:?}", r.id));
                (name, r.interact_rect)
            })
            .collect()
    })
}

fn overlaps(ws: &[(String, Rect)]) -> Vec<String> {
    let mut bad = vec![];
    for (i, (a, ra)) in ws.iter().enumerate() {
        for (b, rb) in &ws[i + 1..] {
            let x = ra.intersect(*rb);
            if x.width() > 0.5 && x.height() > 0.5 {
                bad.push(format!("{a} {ra:?} overlaps {b} {rb:?}"));
            }
        }
    }
    bad
}

#[test]
fn issue13_worst_case_is_a_crowded_moment() {
    let (id, _, _, o, q) = worst_case(&pack());
    assert!(o + q >= 8, "{id}: {o} replies + {q} questions");
}

#[test]
fn issue13_no_two_interactive_widgets_overlap_at_any_size_or_scale() {
    let pack = pack();
    let mut failures = vec![];
    for size in [(1024.0, 640.0), (1280.0, 800.0), (1920.0, 1080.0)] {
        for scale in [1.0, 1.5] {
            let h = harness(&pack, size, scale);
            let ws = interactive(&h.ctx);
            assert!(
                ws.len() >= 15,
                "{size:?}@{scale}: only {} widgets",
                ws.len()
            );
            let screen = h.ctx.viewport_rect();
            for (name, r) in &ws {
                if !screen.expand(0.5).contains_rect(*r) {
                    failures.push(format!("{size:?}@{scale}: {name} {r:?} is off screen"));
                }
            }
            for o in overlaps(&ws) {
                failures.push(format!("{size:?}@{scale}: {o}"));
            }
            for c in cut_sideways(&h.ctx) {
                failures.push(format!("{size:?}@{scale}: cut off: {c}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn issue13_regions_never_overlap_and_the_transcript_keeps_its_room() {
    for (w, h) in [
        (1024.0, 640.0),
        (1280.0, 800.0),
        (1920.0, 1080.0),
        (2560.0, 1440.0),
    ] {
        for scale in [0.75, 1.0, 1.5, 2.0] {
            let screen = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w / scale, h / scale));
            let r = regions(screen);
            let mut all = vec![r.top, r.customer, r.work];
            all.extend(r.ticket);
            for (i, a) in all.iter().enumerate() {
                assert!(screen.contains_rect(*a), "{w}x{h}@{scale}: {a:?}");
                assert!(a.width() >= 200.0, "{w}x{h}@{scale}: {a:?} too narrow");
                for b in &all[i + 1..] {
                    assert!(
                        !a.intersects(*b) || a.intersect(*b).area() < 1.0,
                        "{w}x{h}@{scale}"
                    );
                }
            }
        }
    }
}

#[test]
fn issue13_replies_do_not_move_after_a_choice() {
    let pack = pack();
    let s = pack.scenario("app-crash").unwrap().clone();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, st: &mut State| play_screen(ui, &mut st.0, &mut st.1),
            (PlayUi::new(Session::new(&s, 1), pack.clone()), Vec::new()),
        );
    firstline::game::theme::prepare(&h.ctx, true);
    h.run();
    use egui_kittest::kittest::Queryable;
    let first = |h: &Harness<'_, State>| h.get_by_label_contains("1. ").rect();
    let before = first(&h);
    let q_before = h.get_by_label_contains("Ask a question").rect();
    h.get_by_label_contains("1. ").click();
    h.run();
    let cmds = std::mem::take(&mut h.state_mut().1);
    for c in cmds {
        if let UiCommand::Play(pc) = c {
            h.state_mut().0.apply(pc);
        }
    }
    h.run();
    h.run();
    assert_eq!(h.state().0.session.actions().len(), 1);
    assert_eq!(
        first(&h).min,
        before.min,
        "the first reply stays where it was"
    );
    assert_eq!(
        h.get_by_label_contains("Ask a question").rect().min,
        q_before.min,
        "the questions stay where they were"
    );
}

/// The check itself sees overlaps: two buttons put on the same spot are reported.
#[test]
fn issue13_the_overlap_check_sees_an_overlap() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(400.0, 300.0))
        .build_ui(|ui| {
            let r = Rect::from_min_size(egui::pos2(20.0, 20.0), egui::vec2(120.0, 30.0));
            let _ = ui.put(r, egui::Button::new("under"));
            let _ = ui.put(
                r.translate(egui::vec2(40.0, 10.0)),
                egui::Button::new("over"),
            );
            let _ = ui.put(
                r.translate(egui::vec2(0.0, 100.0)),
                egui::Button::new("apart"),
            );
        });
    h.run();
    let ws = interactive(&h.ctx);
    assert_eq!(ws.len(), 3, "{ws:?}");
    assert_eq!(overlaps(&ws).len(), 1, "{:?}", overlaps(&ws));
}

#[test]
#[ignore = "prints the widgets of the worst case, for looking at"]
fn issue13_print_widgets() {
    let pack = pack();
    println!("{:?}", worst_case(&pack));
    let h = harness(&pack, (1024.0, 640.0), 1.5);
    for (n, r) in interactive(&h.ctx) {
        println!("{n} {r:?}");
    }
}
