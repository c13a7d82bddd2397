//! The command-line interface (`firstline validate | playtest | test | list`).

mod commands;
mod progress;

pub use commands::{Cli, main_with};
