//! Shared by the integration tests that run the `firstline` binary.

/// A finished `firstline` run.
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Collects a run's output; a panic message on stderr fails the test at once.
pub fn out(o: std::process::Output, what: &str) -> Out {
    let out = Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(
        !out.stderr.contains("panicked"),
        "firstline {what} panicked:\n{}",
        out.stderr
    );
    out
}
