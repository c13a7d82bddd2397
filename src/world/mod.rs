//! The simulated IT environment: state, faults, tools, fixes and conditions.

pub mod change;
pub mod condition;
pub mod custom;
pub mod fixes;
pub mod net;
pub mod segments;
pub mod state;
pub mod tools;

#[cfg(test)]
pub mod fixture;
