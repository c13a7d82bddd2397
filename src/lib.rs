//! Firstline: a training and simulation game for IT help desk staff.
//!
//! The core (everything here except `game`) is plain Rust: the scenario format and
//! validator ([`scenario`]), the simulated IT world ([`world`]), the session engine
//! ([`session`]), scoring ([`scoring`]) and play-tests ([`playtest`]). It never imports
//! Bevy; the shell drives it through [`session::Session::apply`].

pub mod authoring;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(feature = "game")]
pub mod game;
pub mod ids;
pub mod lms;
pub mod playtest;
pub mod progress;
pub mod scenario;
pub mod scoring;
pub mod session;
pub mod shift;
pub mod world;
pub mod xapi;

pub use session::Session;
