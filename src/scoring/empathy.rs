//! Empathy and communication, earned by behaviour in context: silence earns nothing.

use super::context::Ctx;
use super::registry::{Def, Mark};
use super::{Dimension, Evidence, fb};
use crate::scenario::format::{Tag, TechLevel, Trait};

/// Lines a trainee must have said before restraint (no jargon, no blame) counts.
const MIN_LINES: usize = 3;

fn line_ev(c: &Ctx, t: Tag) -> Vec<Evidence> {
    c.said(t)
        .map(|l| vec![c.evidence(l.event)])
        .unwrap_or_default()
}

/// The persona is under stress (or senior) and needs acknowledging.
fn upset(c: &Ctx) -> bool {
    let p = &c.s.customer;
    p.mood < 50 || p.has(Trait::Anxious) || p.has(Trait::Angry) || p.has(Trait::Vip)
}

pub static ACKNOWLEDGE: Def = Def {
    id: "acknowledge",
    dimension: Dimension::Empathy,
    title: "Acknowledged feelings",
    max: 15,
    eval: acknowledge,
    how: "Only for stressed, anxious, angry or VIP callers (not impostors): acknowledging the feeling within the first three lines 15, later 8.",
};

fn acknowledge(c: &Ctx) -> Option<Mark> {
    if !upset(c) || c.impostor() {
        return None;
    }
    let early = c
        .lines
        .iter()
        .take(3)
        .any(|l| l.tags.contains(&Tag::AcknowledgeFeelings));
    let any = c.said(Tag::AcknowledgeFeelings).is_some();
    Some(Mark::new(
        if early {
            15
        } else if any {
            8
        } else {
            0
        },
        15,
        line_ev(c, Tag::AcknowledgeFeelings),
        || {
            fb(
            if any {
                "You acknowledged their feelings, but late."
            } else {
                "The customer was stressed and you never acknowledged it."
            },
            "An upset person cannot listen to troubleshooting steps until they feel heard.",
            c.advice(
                "acknowledge",
                "Early in the call, name the feeling and the impact: \"That sounds stressful with your deadline — let's sort it out.\"",
            ),
        )
        },
    ))
}

pub static OWNERSHIP: Def = Def {
    id: "ownership",
    dimension: Dimension::Empathy,
    title: "Ownership and expectations",
    max: 10,
    eval: ownership,
    how: "Taking ownership and setting expectations (before any hold or long check): 10; one of the two: 6.",
};

fn ownership(c: &Ctx) -> Option<Mark> {
    let own = c.said(Tag::TakeOwnership).is_some();
    let exp = c.said(Tag::SetExpectations).is_some();
    let mut ev = line_ev(c, Tag::TakeOwnership);
    ev.extend(line_ev(c, Tag::SetExpectations));
    Some(Mark::new(
        match (own, exp) {
            (true, true) => 10,
            (true, false) | (false, true) => 6,
            _ => 0,
        },
        10,
        ev,
        || {
            fb(
            match (own, exp) {
                (false, false) => "You never took ownership or told the customer what would happen next.",
                (true, false) => "You took ownership but never told the customer what would happen next or how long it would take.",
                _ => "You set expectations but never took ownership of the problem.",
            },
            "Customers relax when someone owns the problem and they know what to expect (and for how long).",
            c.advice(
                "ownership",
                "Say \"I'll take care of this\" and set expectations before a check: \"This takes about two minutes; please stay on the line.\"",
            ),
        )
        },
    ))
}

pub static LANGUAGE: Def = Def {
    id: "language",
    dimension: Dimension::Empathy,
    title: "Language fitted to the customer",
    max: 15,
    eval: language,
    how: "Earned by talking (at least three lines): 15, minus 8 per jargon line for a novice or a jargon-hater, 4 for an intermediate user.",
};

fn language(c: &Ctx) -> Option<Mark> {
    let p = &c.s.customer;
    let jargon: Vec<Evidence> = c
        .lines
        .iter()
        .filter(|l| l.tags.contains(&Tag::Jargon))
        .map(|l| c.evidence(l.event))
        .collect();
    let per = if p.has(Trait::HatesJargon) || p.tech_level == TechLevel::Novice {
        8
    } else if p.tech_level == TechLevel::Intermediate {
        4
    } else {
        0
    };
    let talked = c.spoke() >= MIN_LINES;
    Some(Mark::new(
        if talked {
            15u32.saturating_sub(per * jargon.len() as u32)
        } else {
            0
        },
        15,
        jargon.clone(),
        || {
            fb(
                if !talked {
                    "You barely spoke to the customer, so there was no explaining in their terms."
                        .to_string()
                } else {
                    format!(
                        "You used jargon with a {}-level customer.",
                        p.tech_level.label()
                    )
                },
                "Jargon makes a non-technical customer feel lost — and they stop cooperating.",
                c.advice(
                    "language",
                    "Explain in plain words what you are doing and why.",
                ),
            )
        },
    ))
}

pub static RESPECT: Def = Def {
    id: "respect",
    dimension: Dimension::Empathy,
    title: "No blame or dismissiveness",
    max: 15,
    eval: respect,
    how: "Earned by talking (at least three lines): 15, minus 10 per blaming or dismissive line.",
};

fn respect(c: &Ctx) -> Option<Mark> {
    let rude: Vec<Evidence> = c
        .lines
        .iter()
        .filter(|l| l.tags.contains(&Tag::BlameUser) || l.tags.contains(&Tag::Dismissive))
        .map(|l| c.evidence(l.event))
        .collect();
    let talked = c.spoke() >= MIN_LINES;
    if !talked && rude.is_empty() {
        // "Language" already says the customer was barely spoken to.
        return Some(Mark::silent(0, 15, rude));
    }
    Some(Mark::new(
        if talked {
            15u32.saturating_sub(10 * rude.len() as u32)
        } else {
            0
        },
        15,
        rude.clone(),
        || {
            fb(
                "You blamed or dismissed the customer.",
                "Blame makes people hide problems next time; dismissiveness loses their trust in IT.",
                c.advice(
                    "respect",
                    "Focus on the problem, not the person: \"This happens — let's get it fixed.\"",
                ),
            )
        },
    ))
}

pub static PROBING: Def = Def {
    id: "probing",
    dimension: Dimension::Empathy,
    title: "Probing questions before acting",
    max: 10,
    eval: probing,
    how: "A question before the first change: 10 when it (or another before acting) is one whose answer tells this variant apart, if the scenario has such questions; any question only: 5.",
};

fn probing(c: &Ctx) -> Option<Mark> {
    let before = |at: u32| c.first_act_at.is_none_or(|t| at <= t);
    let probe = c.lines.iter().find(|l| {
        (l.question || l.tags.contains(&Tag::OpenQuestion) || l.tags.contains(&Tag::ClosedQuestion))
            && before(l.event.at)
    });
    let revealing = c.revealing_questions.iter().find(|e| before(e.at));
    let points = match (probe.is_some() || revealing.is_some(), revealing.is_some()) {
        (_, true) => 10,
        (true, false) if !c.has_revealing_questions => 10,
        (true, false) => 5,
        _ => 0,
    };
    let ev = revealing
        .map(|e| vec![c.evidence(e)])
        .or_else(|| probe.map(|l| vec![c.evidence(l.event)]))
        .unwrap_or_default();
    Some(Mark::new(points, 10, ev, || {
        fb(
            if points == 5 {
                "You asked something, but not the question that tells what actually happened."
            } else {
                "You acted before asking the customer anything about the problem."
            },
            "The customer knows when it started, what changed and what they did — that's free evidence.",
            c.advice(
                "probing",
                "Before acting, ask what happened and what they already did; the answer decides the fix.",
            ),
        )
    }))
}

pub static TEACHING: Def = Def {
    id: "teaching",
    dimension: Dimension::Empathy,
    title: "Taught the user to help themselves",
    max: 10,
    eval: teaching,
    how: "Only where the scenario offers a teaching moment: a line that teaches the user.",
};

fn teaching(c: &Ctx) -> Option<Mark> {
    if !c.s.teaching || c.impostor() {
        return None;
    }
    let t = c.said(Tag::TeachUser);
    Some(Mark::new(
        if t.is_some() { 10 } else { 0 },
        10,
        line_ev(c, Tag::TeachUser),
        || {
            fb(
            if c.a.resolved || c.a.fixed_unconfirmed {
                "You fixed it for them but did not show them how to avoid or fix it next time."
            } else {
                "You did not show the user how to help themselves next time."
            },
            "Teaching users self-service prevents repeat calls and builds their confidence.",
            c.advice(
                "teaching",
                "Walk them through it once (\"next time, you can...\") and point them to the self-service guide.",
            ),
        )
        },
    ))
}

pub static CONFIRM: Def = Def {
    id: "confirm",
    dimension: Dimension::Empathy,
    title: "Confirmed the outcome with the customer",
    max: 10,
    eval: confirm,
    how: "Where the customer's confirmation is part of the resolution: asking them to confirm while the fault was really fixed.",
};

fn confirm(c: &Ctx) -> Option<Mark> {
    if !c.customer_confirms || c.impostor() {
        return None;
    }
    let real = c
        .lines
        .iter()
        .find(|l| l.fixed && l.tags.contains(&Tag::ConfirmResolution));
    let early = c.said(Tag::ConfirmResolution);
    Some(Mark::new(
        if real.is_some() { 10 } else { 0 },
        10,
        real.or(early)
            .map(|l| vec![c.evidence(l.event)])
            .unwrap_or_default(),
        || {
            fb(
            if early.is_some() {
                "You asked the customer to try it while it was still broken."
            } else {
                "You never checked with the customer that it works."
            },
            "Only the customer can confirm the problem is gone from their point of view.",
            c.advice(
                "confirm",
                "Once your checks show it fixed, ask them to try it while you're still on the line.",
            ),
        )
        },
    ))
}

pub static CLOSE: Def = Def {
    id: "close",
    dimension: Dimension::Empathy,
    title: "Courteous close",
    max: 5,
    eval: close,
    how: "A polite closing line on a call the customer did not abandon (not for impostors).",
};

fn close(c: &Ctx) -> Option<Mark> {
    if c.impostor() {
        return None;
    }
    let line = c.said(Tag::PoliteClose);
    Some(Mark::new(
        if line.is_some() && !c.dropped { 5 } else { 0 },
        5,
        line_ev(c, Tag::PoliteClose),
        || {
            fb(
                "The call did not end with a courteous close.",
                "The last impression is the one the customer remembers (and rates).",
                "Summarise, give the ticket number, ask if there is anything else, and thank them.",
            )
        },
    ))
}

pub static FINAL_MOOD: Def = Def {
    id: "final_mood",
    dimension: Dimension::Empathy,
    title: "Customer left satisfied",
    max: 10,
    eval: final_mood,
    how: "Only when the customer was really helped (resolved, or handed to the right team) and spoken to: mood 70+ 10, 50–69 6, 30–49 3. Not for impostors.",
};

fn final_mood(c: &Ctx) -> Option<Mark> {
    if c.impostor() {
        return None;
    }
    let helped = c.a.resolved || c.right_team();
    let m = c.a.mood;
    if !helped && !c.dropped {
        // Not helped: the outcome lesson says so; the mood at the end says little.
        return Some(Mark::silent(0, 10, vec![]));
    }
    let points = if c.dropped || !helped || c.spoke() < MIN_LINES {
        0
    } else {
        match m {
            70.. => 10,
            50..=69 => 6,
            30..=49 => 3,
            _ => 0,
        }
    };
    let ev = c
        .events
        .iter()
        .filter(|e| matches!(e.kind, crate::session::event::EventKind::CallEnded { .. }))
        .map(|e| c.evidence(e))
        .collect();
    Some(Mark::new(points, 10, ev, || {
        fb(
            if c.dropped {
                "The customer ran out of patience and the call ended badly.".to_string()
            } else if !helped {
                "The customer was not actually helped, so their mood at the end says little."
                    .to_string()
            } else {
                format!(
                    "The customer ended the call {} (mood {m}).",
                    crate::session::customer::mood_label(m)
                )
            },
            "How the customer feels at the end decides whether they trust the help desk next time.",
            "Keep them informed during silences, acknowledge frustration, and avoid blame and jargon.",
        )
    }))
}
