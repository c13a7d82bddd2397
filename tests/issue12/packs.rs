//! Issue 12: packs.
