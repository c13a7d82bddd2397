//! The scenario format, its loader and validator.

pub mod compile;
pub mod diagnostic;
pub mod doc;
pub mod files;
pub mod format;
pub mod handoffs;
pub mod kb;
pub mod load;
pub mod model;
pub mod policy;
pub mod reach;
pub mod ron_tree;
pub mod segments;
pub mod steps;
pub mod systems;
pub mod timers;

pub use diagnostic::{Diagnostic, Severity};
pub use load::{LoadError, Pack, Playtest, load_pack, load_scenario_file};
pub use model::Scenario;
