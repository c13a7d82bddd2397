//! Trainee progress (plain Rust, no Bevy): the SQLite store of profiles and attempts
//! ([`store`]), replaying stored attempts ([`replay`]), what to practise next
//! ([`recommend`]) and instructor reports ([`report`]).

pub mod profiles;
pub mod recommend;
pub mod record;
pub mod replay;
pub mod report;
pub mod schema;
pub mod store;

pub use record::{AttemptId, AttemptSummary, NewAttempt, Profile, ProfileId, StoredAttempt};
pub use store::{Store, StoreError};
