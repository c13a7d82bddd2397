//! How the simulated customer reacts: mood and patience respond to communication tags
//! in context (their persona, how upset they are) and to time.

use crate::scenario::format::{Tag, TechLevel, Trait};
use crate::scenario::model::Customer;

/// The customer's current feelings and what they have heard so far.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerState {
    pub mood: i32,
    pub patience: i32,
    pub acknowledged: u32,
    pub apologies: u32,
    /// How often the trainee set expectations (repeating it stops helping).
    #[serde(default)]
    pub expectations: u32,
    /// Patience drain accumulated in tenths of a point × seconds.
    pub drain_acc: u32,
    /// Until this simulated second, silence is expected (the trainee said they'd check).
    pub hold_until: u32,
}

impl CustomerState {
    pub fn new(c: &Customer) -> Self {
        Self {
            mood: c.mood as i32,
            patience: c.patience as i32,
            acknowledged: 0,
            apologies: 0,
            expectations: 0,
            drain_acc: 0,
            hold_until: 0,
        }
    }
}

/// A describable change of mood/patience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reaction {
    pub mood: i32,
    pub patience: i32,
}

/// The reaction to one communication tag.
pub fn react(tag: Tag, c: &Customer, st: &CustomerState) -> Reaction {
    let upset = st.mood < 50 || c.has(Trait::Anxious) || c.has(Trait::Angry);
    let novice = c.tech_level == TechLevel::Novice;
    let busy = c.has(Trait::InAHurry) || c.has(Trait::Vip);
    let (mood, patience) = match tag {
        Tag::Greeting => (2, 0),
        Tag::AcknowledgeFeelings => match (upset, st.acknowledged) {
            (_, n) if n >= 2 => (0, -2),
            (true, _) => (10, 5),
            (false, _) => (3, 0),
        },
        Tag::Apologise => {
            if st.apologies >= 2 {
                (-3, -3)
            } else {
                (4, 0)
            }
        }
        Tag::TakeOwnership => (6, 3),
        Tag::SetExpectations if st.expectations >= 3 => (0, -2),
        Tag::SetExpectations => {
            if busy {
                (8, 8)
            } else {
                (5, 5)
            }
        }
        Tag::Reassure => {
            if c.has(Trait::Anxious) {
                (10, 3)
            } else {
                (3, 0)
            }
        }
        Tag::PlainLanguage => {
            if novice || c.has(Trait::HatesJargon) {
                (5, 0)
            } else {
                (1, 0)
            }
        }
        Tag::Jargon => {
            if c.has(Trait::HatesJargon) {
                (-15, -8)
            } else {
                match c.tech_level {
                    TechLevel::Novice => (-10, -5),
                    TechLevel::Intermediate => (-3, 0),
                    TechLevel::Expert => (2, 0),
                }
            }
        }
        Tag::BlameUser => (-20, -10),
        Tag::Dismissive => (-15, -10),
        Tag::OpenQuestion => {
            if c.has(Trait::Chatty) {
                (3, 0)
            } else {
                (1, 0)
            }
        }
        Tag::ClosedQuestion => (0, 0),
        Tag::VerifyIdentity => {
            if busy {
                (-3, -2)
            } else {
                (0, 0)
            }
        }
        Tag::TeachUser => {
            if c.has(Trait::WantsToLearn) || (novice && !busy) {
                (6, 0)
            } else if busy {
                (-5, -5)
            } else {
                (2, 0)
            }
        }
        Tag::ConfirmResolution => (5, 3),
        Tag::PoliteClose => (4, 0),
        Tag::Rushed => {
            if c.has(Trait::Anxious) {
                (-10, 0)
            } else {
                (-4, 0)
            }
        }
        Tag::Refuse => (-5, 0),
    };
    Reaction { mood, patience }
}

/// Patience lost per minute, in tenths of a point.
pub fn drain_per_minute(c: &Customer, silent: bool) -> u32 {
    let mut r: i32 = 10;
    if c.has(Trait::InAHurry) {
        r += 10;
    }
    if c.has(Trait::Vip) {
        r += 5;
    }
    if c.has(Trait::Angry) {
        r += 5;
    }
    if c.has(Trait::Chatty) {
        r -= 5;
    }
    if silent {
        r += 10;
    }
    r.max(2) as u32
}

/// A human label for a mood value.
pub fn mood_label(mood: i32) -> &'static str {
    match mood {
        i32::MIN..=19 => "furious",
        20..=39 => "upset",
        40..=59 => "uneasy",
        60..=79 => "calm",
        _ => "happy",
    }
}
