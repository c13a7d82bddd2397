//! Issue 12: output.
