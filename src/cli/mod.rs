//! The command-line interface (`firstline validate | playtest | test | list`).

mod commands;

pub use commands::{Cli, main_with};
