//! Trainee profiles and their best score per scenario, saved atomically as RON.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Longest profile name accepted.
pub const MAX_NAME: usize = 40;

/// The profiles file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profiles {
    #[serde(skip)]
    pub path: Option<PathBuf>,
    pub names: Vec<String>,
    pub current: Option<String>,
    /// profile → scenario → best overall score.
    pub best: BTreeMap<String, BTreeMap<String, u32>>,
}

/// The platform data directory (or the override).
pub fn data_dir(over: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = over {
        return Some(p.to_path_buf());
    }
    directories::ProjectDirs::from("org", "Firstline", "firstline")
        .map(|d| d.data_dir().to_path_buf())
}

impl Profiles {
    /// Reads the profiles file from the data dir; a missing or unreadable file gives an
    /// empty list (an unreadable one is kept aside, never overwritten).
    pub fn open(dir: Option<&Path>) -> Profiles {
        let Some(dir) = data_dir(dir) else {
            return Profiles::default();
        };
        let path = dir.join("profiles.ron");
        let mut p = match std::fs::read_to_string(&path) {
            Ok(text) => match ron::from_str::<Profiles>(&text) {
                Ok(p) => p,
                Err(_) => {
                    let _ = std::fs::rename(&path, dir.join("profiles.ron.unreadable"));
                    Profiles::default()
                }
            },
            Err(_) => Profiles::default(),
        };
        p.path = Some(path);
        p
    }

    /// Adds a profile and makes it current.
    pub fn create(&mut self, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("type a name first".into());
        }
        if name.chars().count() > MAX_NAME {
            return Err(format!("names are at most {MAX_NAME} characters"));
        }
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
        }
        self.current = Some(name.to_string());
        Ok(())
    }

    /// Records a score if it beats the profile's best for the scenario.
    pub fn record_best(&mut self, profile: &str, scenario: &str, overall: u32) {
        let e = self
            .best
            .entry(profile.to_string())
            .or_default()
            .entry(scenario.to_string())
            .or_insert(0);
        *e = (*e).max(overall);
    }

    /// The current profile's best for a scenario.
    pub fn best_for(&self, scenario: &str) -> Option<u32> {
        self.best
            .get(self.current.as_ref()?)?
            .get(scenario)
            .copied()
    }

    /// Saves atomically (write a temporary file, then rename over the old one).
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let tmp = path.with_extension("ron.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_the_best() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Profiles::open(Some(dir.path()));
        p.create("Sam").unwrap();
        p.record_best("Sam", "password-reset", 70);
        p.record_best("Sam", "password-reset", 60);
        p.save().unwrap();
        let q = Profiles::open(Some(dir.path()));
        assert_eq!(q.best_for("password-reset"), Some(70));
        assert_eq!(q.current.as_deref(), Some("Sam"));
        assert!(p.create("  ").is_err());
    }

    #[test]
    fn an_unreadable_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("profiles.ron"), "garbage(").unwrap();
        let p = Profiles::open(Some(dir.path()));
        assert!(p.names.is_empty());
        assert!(dir.path().join("profiles.ron.unreadable").exists());
    }
}
