//! Located problems found while loading packs, scenarios and play-tests.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors stop a pack from loading, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line (0 when the problem concerns the whole file or folder).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    pub severity: Severity,
    /// Dotted field path, e.g. `dialogue.nodes[2].options[0].goto`; empty when not applicable.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line,
            column,
            severity: Severity::Error,
            field: String::new(),
            message: message.into(),
        }
    }

    /// A warning at a position.
    pub fn warning(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, line, column, message)
        }
    }

    /// Attaches a field path.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let line = self.line.max(1);
        let col = self.column.max(1);
        write!(f, "{}:{}:{}: {}: ", self.path.display(), line, col, sev)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}
