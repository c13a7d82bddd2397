//! Typed ids: indices resolved from author-written names at load time.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($($(#[$m:meta])* $name:ident;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u16);
        impl $name {
            /// The index this id stands for.
            pub fn index(self) -> usize { self.0 as usize }
            /// Builds an id from an index (panics only beyond u16::MAX, which load limits forbid).
            pub fn from_index(i: usize) -> Self { Self(u16::try_from(i).unwrap_or(u16::MAX)) }
        }
    )*};
}

id! {
    /// A device in the world.
    DeviceId;
    /// A directory account.
    AccountId;
    /// A printer.
    PrinterId;
    /// A mailbox.
    MailboxId;
    /// A named host on the network.
    HostId;
    /// A dialogue node.
    NodeId;
    /// A trainee dialogue option (global across nodes).
    OptionId;
    /// A question the trainee can ask.
    QuestionId;
    /// A session flag.
    FlagId;
    /// An escalation team of the pack.
    TeamId;
    /// A knowledge-base article of the pack.
    KbId;
    /// A documentation rubric fact.
    FactId;
    /// A scenario variant.
    VariantId;
}

/// A service on a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceRef {
    pub device: DeviceId,
    pub index: u16,
}

/// A disk on a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DiskRef {
    pub device: DeviceId,
    pub index: u16,
}
