//! Trainee progress (plain Rust, no Bevy): the SQLite store of profiles and attempts
//! ([`store`]), replaying stored attempts ([`replay`]), what to practise next
//! ([`recommend`]), instructor reports ([`report`]) and recovery files for attempts that
//! could not be saved ([`recovery`]).

pub mod profiles;
pub mod recommend;
pub mod record;
pub mod recovery;
pub mod replay;
pub mod report;
pub mod schema;
pub mod shifts;
pub mod store;

pub use record::{AttemptId, AttemptSummary, NewAttempt, Profile, ProfileId, StoredAttempt};
pub use store::{Store, StoreError};
