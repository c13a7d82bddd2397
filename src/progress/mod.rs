//! Trainee progress: profiles and best scores (plain Rust, no Bevy).

pub mod profiles;
