//! A drawn face per customer persona: skin, hair style and colour come from the
//! customer's name, glasses from their technical level, a tie for a VIP, furrowed brows
//! when angry or upset, a sweat drop when anxious; the mouth follows the mood.

use crate::scenario::format::{TechLevel, Trait};
use crate::scenario::model::Customer;
use bevy_egui::egui::{self, Color32, Pos2, Stroke, vec2};

/// What a persona looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Look {
    pub skin: usize,
    pub hair: usize,
    pub style: usize,
    pub glasses: bool,
    pub tie: bool,
    pub anxious: bool,
    pub angry: bool,
}

const SKIN: [Color32; 5] = [
    Color32::from_rgb(248, 214, 182),
    Color32::from_rgb(224, 172, 128),
    Color32::from_rgb(189, 130, 88),
    Color32::from_rgb(141, 90, 60),
    Color32::from_rgb(96, 62, 42),
];
const HAIR: [Color32; 6] = [
    Color32::from_rgb(40, 30, 25),
    Color32::from_rgb(95, 60, 30),
    Color32::from_rgb(190, 140, 70),
    Color32::from_rgb(150, 150, 150),
    Color32::from_rgb(160, 70, 40),
    Color32::from_rgb(235, 225, 210),
];
/// Short, long, bun, bald with sides, curly.
const STYLES: usize = 5;

fn hash(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The look of a customer called `name`.
pub fn look(name: &str, c: &Customer) -> Look {
    let h = hash(name);
    Look {
        skin: (h % SKIN.len() as u64) as usize,
        hair: ((h >> 8) % HAIR.len() as u64) as usize,
        style: ((h >> 16) % STYLES as u64) as usize,
        glasses: c.tech_level == TechLevel::Expert || (h >> 24).is_multiple_of(4),
        tie: c.has(Trait::Vip),
        anxious: c.has(Trait::Anxious),
        angry: c.has(Trait::Angry),
    }
}

/// Draws the persona's face, `size` points square; hover says the mood.
pub fn face(ui: &mut egui::Ui, name: &str, c: &Customer, mood: i32, size: f32) {
    let (rect, resp) = ui.allocate_exact_size(vec2(size, size), egui::Sense::hover());
    resp.on_hover_text(format!(
        "{name} looks {}",
        crate::session::customer::mood_label(mood)
    ));
    let l = look(name, c);
    paint(&ui.painter_at(rect), rect, &l, mood, ui.visuals().dark_mode);
}

fn paint(p: &egui::Painter, rect: egui::Rect, l: &Look, mood: i32, dark: bool) {
    let s = rect.width() / 64.0;
    let c = rect.center();
    let at = |x: f32, y: f32| -> Pos2 { c + vec2(x * s, y * s) };
    let ring = super::theme::score_color(mood as i64);
    p.circle_filled(
        c,
        31.0 * s,
        ring.gamma_multiply(if dark { 0.25 } else { 0.35 }),
    );
    p.circle_stroke(c, 31.0 * s, Stroke::new(2.0 * s, ring));
    let skin = SKIN[l.skin];
    let hair = HAIR[l.hair];
    let ink = Color32::from_rgb(35, 30, 30);
    // Shoulders, with a tie for a VIP.
    p.circle_filled(at(0.0, 40.0), 22.0 * s, Color32::from_rgb(70, 95, 140));
    if l.tie {
        p.add(egui::Shape::convex_polygon(
            vec![
                at(-3.0, 19.0),
                at(3.0, 19.0),
                at(4.0, 29.0),
                at(0.0, 31.0),
                at(-4.0, 29.0),
            ],
            Color32::from_rgb(200, 160, 40),
            Stroke::NONE,
        ));
    }
    // Hair behind the head (long hair and bun).
    match l.style {
        1 => {
            p.rect_filled(
                egui::Rect::from_min_max(at(-15.0, -10.0), at(15.0, 14.0)),
                6.0 * s,
                hair,
            );
        }
        2 => {
            p.circle_filled(at(0.0, -20.0), 7.0 * s, hair);
        }
        _ => {}
    }
    // Head.
    p.circle_filled(at(0.0, -2.0), 14.0 * s, skin);
    // Hair on top.
    match l.style {
        0..=2 => {
            p.add(egui::Shape::convex_polygon(
                vec![
                    at(-14.0, -3.0),
                    at(-12.0, -12.0),
                    at(-5.0, -16.5),
                    at(5.0, -16.5),
                    at(12.0, -12.0),
                    at(14.0, -3.0),
                    at(8.0, -10.0),
                    at(-8.0, -10.0),
                ],
                hair,
                Stroke::NONE,
            ));
        }
        3 => {
            p.circle_filled(at(-13.0, -2.0), 3.5 * s, hair);
            p.circle_filled(at(13.0, -2.0), 3.5 * s, hair);
        }
        _ => {
            for (x, y) in [
                (-10.0, -11.0),
                (-4.0, -15.0),
                (3.0, -15.5),
                (9.0, -12.0),
                (13.0, -6.0),
                (-13.0, -5.0),
            ] {
                p.circle_filled(at(x, y), 4.5 * s, hair);
            }
        }
    }
    // Eyes, brows, glasses.
    p.circle_filled(at(-5.0, -3.0), 1.6 * s, ink);
    p.circle_filled(at(5.0, -3.0), 1.6 * s, ink);
    if l.angry || mood < 25 {
        p.line_segment([at(-8.5, -8.5), at(-2.5, -6.5)], Stroke::new(1.6 * s, ink));
        p.line_segment([at(8.5, -8.5), at(2.5, -6.5)], Stroke::new(1.6 * s, ink));
    }
    if l.glasses {
        let g = Stroke::new(1.2 * s, ink);
        p.circle_stroke(at(-5.0, -3.0), 4.0 * s, g);
        p.circle_stroke(at(5.0, -3.0), 4.0 * s, g);
        p.line_segment([at(-1.0, -3.0), at(1.0, -3.0)], g);
    }
    if l.anxious {
        p.circle_filled(at(11.0, -8.0), 1.8 * s, Color32::from_rgb(120, 180, 240));
    }
    // The mouth curves with mood: a frown below 40, flat around 50, a smile above 60.
    let curve = ((mood - 50) as f32 / 50.0).clamp(-1.0, 1.0) * 3.5;
    let pts: Vec<Pos2> = (0..=8)
        .map(|i| {
            let t = i as f32 / 8.0 * 2.0 - 1.0;
            at(t * 5.5, 5.0 + curve * (1.0 - t * t))
        })
        .collect();
    p.add(egui::Shape::line(pts, Stroke::new(1.6 * s, ink)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::load_pack;
    use std::collections::HashSet;

    #[test]
    fn issue13_bundled_personas_look_different() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let pack = load_pack(&dir).unwrap().0.unwrap();
        let looks: Vec<Look> = pack
            .scenarios
            .iter()
            .map(|s| look(&s.customer.names[0], &s.customer))
            .collect();
        let distinct: HashSet<_> = looks.iter().collect();
        // Nearly every customer of the pack has a look of their own.
        assert!(
            distinct.len() * 10 >= looks.len() * 8,
            "{} distinct looks for {} customers",
            distinct.len(),
            looks.len()
        );
    }
}
