//! Issue 12: store.
