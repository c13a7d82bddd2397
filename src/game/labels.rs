//! Human labels and icons for the core's enums (no CamelCase on screen). Plain Rust.

use crate::scenario::format::{Category, Channel, Difficulty, Level, Skill, Tag, TechLevel, Trait};
use crate::session::ticket::TicketStatus;
use crate::world::state::DeviceKind;
use crate::world::tools::ToolKind;

/// Splits a CamelCase identifier into lower-case words, first letter capitalised
/// ("BusinessAwareness" → "Business awareness", "WalkIn" → "Walk in").
pub fn humanize(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A skill as trainees read it.
pub fn skill(s: Skill) -> String {
    humanize(&format!("{s:?}"))
}

/// A channel as trainees read it.
pub fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Phone => "Phone call",
        Channel::Chat => "Chat",
        Channel::Email => "Email",
        Channel::WalkIn => "Walk-in",
    }
}

/// A difficulty level.
pub fn difficulty(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Beginner => "Beginner",
        Difficulty::Intermediate => "Intermediate",
        Difficulty::Advanced => "Advanced",
    }
}

/// A ticket category.
pub fn category(c: Category) -> &'static str {
    c.label()
}

/// An impact or urgency level.
pub fn level(l: Level) -> &'static str {
    match l {
        Level::Low => "Low",
        Level::Medium => "Medium",
        Level::High => "High",
    }
}

/// A ticket status.
pub fn status(s: TicketStatus) -> &'static str {
    match s {
        TicketStatus::InProgress => "In progress",
        TicketStatus::Escalated => "Escalated",
        TicketStatus::Resolved => "Resolved",
    }
}

/// A communication tag.
pub fn tag(t: Tag) -> String {
    humanize(&format!("{t:?}"))
}

/// A customer trait.
pub fn customer_trait(t: Trait) -> &'static str {
    match t {
        Trait::Vip => "VIP",
        Trait::HatesJargon => "Hates jargon",
        Trait::Anxious => "Anxious",
        Trait::Chatty => "Chatty",
        Trait::InAHurry => "In a hurry",
        Trait::Angry => "Angry",
        Trait::WantsToLearn => "Wants to learn",
    }
}

/// A customer's technical level.
pub fn tech_level(t: TechLevel) -> &'static str {
    match t {
        TechLevel::Novice => "Novice with computers",
        TechLevel::Intermediate => "Comfortable with computers",
        TechLevel::Expert => "Technical expert",
    }
}

/// A device kind.
pub fn device_kind(k: DeviceKind) -> &'static str {
    match k {
        DeviceKind::Laptop => "Laptop",
        DeviceKind::Desktop => "Desktop",
        DeviceKind::Server => "Server",
        DeviceKind::Phone => "Phone",
    }
}

/// A team with its tier, without doubling a tier its name already states
/// ("Service Desk (L1)" stays as it is; "L2 Network" is not given "(L2)" again).
pub fn team(name: &str, tier: u8) -> String {
    if name.contains(&format!("L{tier}")) {
        name.to_string()
    } else {
        format!("{name} (L{tier})")
    }
}

/// Icons of the bundled icon font (`assets/fonts/lucide.ttf`, Lucide, ISC): private-use
/// code points, drawn in the `icons` font family.
pub mod icon {
    pub const PHONE: char = '\u{e133}';
    pub const CHAT: char = '\u{e117}';
    pub const EMAIL: char = '\u{e10f}';
    pub const WALK_IN: char = '\u{e21e}';
    pub const TERMINAL: char = '\u{e20a}';
    pub const USERS: char = '\u{e1a4}';
    pub const BOOK: char = '\u{e05f}';
    pub const TICKET: char = '\u{e20f}';
    pub const CLOCK: char = '\u{e087}';
    pub const TIMER: char = '\u{e1e0}';
    pub const IN_PROGRESS: char = '\u{e345}';
    pub const ESCALATED: char = '\u{e07b}';
    pub const RESOLVED: char = '\u{e226}';
    pub const NETWORK: char = '\u{e125}';
    pub const DISK: char = '\u{e0ed}';
    pub const KEY: char = '\u{e0fd}';
    pub const PRINTER: char = '\u{e141}';
    pub const MAIL: char = '\u{e10f}';
    pub const LIST: char = '\u{e106}';
    pub const ACTIVITY: char = '\u{e038}';
    pub const CPU: char = '\u{e0a9}';
    pub const SHIELD: char = '\u{e158}';
    pub const PACKAGE: char = '\u{e129}';
    pub const GLOBE: char = '\u{e0e8}';
    pub const WRENCH: char = '\u{e1b1}';
    pub const LIGHTBULB: char = '\u{e1c2}';
    pub const SAVE: char = '\u{e14d}';
    pub const PAUSE: char = '\u{e12e}';
    pub const FLAG: char = '\u{e0d1}';
    pub const ALERT: char = '\u{e193}';
    pub const KEYBOARD: char = '\u{e284}';
    pub const SEARCH: char = '\u{e151}';
    pub const CHECK: char = '\u{e06c}';
    pub const USER: char = '\u{e19f}';
    pub const HEADSET: char = '\u{e5bd}';
    pub const LAPTOP: char = '\u{e1cd}';
    pub const MONITOR: char = '\u{e11d}';
    pub const SERVER: char = '\u{e153}';
    pub const CROWN: char = '\u{e1d6}';
    pub const INFO: char = '\u{e0f9}';
}

/// The icon of a channel.
pub fn channel_icon(c: Channel) -> char {
    match c {
        Channel::Phone => icon::PHONE,
        Channel::Chat => icon::CHAT,
        Channel::Email => icon::EMAIL,
        Channel::WalkIn => icon::WALK_IN,
    }
}

/// The icon of a ticket status.
pub fn status_icon(s: TicketStatus) -> char {
    match s {
        TicketStatus::InProgress => icon::IN_PROGRESS,
        TicketStatus::Escalated => icon::ESCALATED,
        TicketStatus::Resolved => icon::RESOLVED,
    }
}

/// The icon of a diagnostic tool.
pub fn tool_icon(k: ToolKind) -> char {
    match k {
        ToolKind::Ipconfig | ToolKind::Ping | ToolKind::Vpn => icon::NETWORK,
        ToolKind::Nslookup => icon::GLOBE,
        ToolKind::Account => icon::KEY,
        ToolKind::Services | ToolKind::TaskList => icon::LIST,
        ToolKind::EventLog => icon::ACTIVITY,
        ToolKind::Disk => icon::DISK,
        ToolKind::PrintQueue => icon::PRINTER,
        ToolKind::Mailbox => icon::MAIL,
        ToolKind::Software => icon::PACKAGE,
        ToolKind::HwDiag => icon::CPU,
        ToolKind::Status => icon::SHIELD,
        ToolKind::Custom(_) => icon::LIST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue13_labels_are_human() {
        assert_eq!(skill(Skill::BusinessAwareness), "Business awareness");
        assert_eq!(skill(Skill::CriticalThinking), "Critical thinking");
        assert_eq!(channel(Channel::WalkIn), "Walk-in");
        assert_eq!(tag(Tag::AcknowledgeFeelings), "Acknowledge feelings");
        assert_eq!(humanize("InAHurry"), "In a hurry");
    }

    #[test]
    fn issue13_team_tier_is_not_doubled() {
        assert_eq!(team("Service Desk (L1)", 1), "Service Desk (L1)");
        assert_eq!(team("L2 Network", 2), "L2 Network");
        assert_eq!(team("Identity & Access", 2), "Identity & Access (L2)");
    }
}
