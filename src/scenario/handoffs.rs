//! Several escalations per attempt: besides the main escalation decision, a variant can
//! require further hand-offs (Identity & Access fixes it *and* Security is told), each
//! scored for its team and its hand-off.

use crate::ids::{FactId, TeamId};
use serde::{Deserialize, Serialize};

/// A further hand-off the variant requires, as the author writes it (`escalation.also`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Also")]
#[serde(deny_unknown_fields)]
pub struct AlsoDef {
    /// The team(s) it must go to (one of them).
    pub teams: Vec<String>,
    /// Rubric facts its hand-off must state (all the variant's facts when empty).
    #[serde(default)]
    pub handoff: Vec<String>,
    /// Why they must be told (shown in feedback).
    pub why: String,
}

/// A compiled further hand-off.
#[derive(Debug, Clone, Serialize)]
pub struct Also {
    pub teams: Vec<TeamId>,
    pub handoff: Vec<FactId>,
    pub why: String,
}
