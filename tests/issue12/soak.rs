//! Issue 12: soak.
