//! Where progress lives, and the RON profiles file of earlier versions (imported once
//! into the database, then left in place).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Longest profile name accepted.
pub const MAX_NAME: usize = 40;

/// Firstline's platform directories (data, config).
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "Firstline", "firstline")
}

/// The platform data directory (or the override).
pub fn data_dir(over: Option<&Path>) -> Option<PathBuf> {
    match over {
        Some(p) => Some(p.to_path_buf()),
        None => project_dirs().map(|d| d.data_dir().to_path_buf()),
    }
}

/// The old `profiles.ron`: names, the current one, and best score per scenario.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Profiles {
    pub names: Vec<String>,
    pub current: Option<String>,
    /// profile → scenario → best overall score.
    #[serde(default)]
    pub best: BTreeMap<String, BTreeMap<String, u32>>,
}
