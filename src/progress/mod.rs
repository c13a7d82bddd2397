//! Trainee progress (plain Rust, no Bevy): the SQLite store of profiles and attempts
//! ([`store`]), replaying stored attempts ([`replay`]), what to practise next
//! ([`recommend`]), instructor reports ([`report`]) and recovery files for attempts that
//! could not be saved ([`recovery`]).

#[cfg(not(target_arch = "wasm32"))]
pub mod profiles;
pub mod recommend;
pub mod record;
#[cfg(not(target_arch = "wasm32"))]
pub mod recovery;
pub mod replay;
pub mod report;
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
pub mod shifts;
#[cfg(not(target_arch = "wasm32"))]
pub mod store;

pub use record::{AttemptId, AttemptSummary, NewAttempt, Profile, ProfileId, StoredAttempt};
#[cfg(not(target_arch = "wasm32"))]
pub use store::{Store, StoreError};
