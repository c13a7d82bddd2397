//! Launched from an LMS: cmi5 and SCORM 1.2, as plain Rust the shells call.
//!
//! - [`launch`]: the cmi5 launch URL's parameters; [`token`]: the one-time auth token
//!   and `LMS.LaunchData` ([`launch_data`]); [`cmi5`]: the session's statements.
//! - [`scorm`]: the SCORM 1.2 run-time values an attempt sets.
//! - [`package`]: `cmi5.xml` and `imsmanifest.xml` for `firstline package`.
//!
//! Every exchange is a [`http::Request`] built here and a [`http::Reply`] read here, so
//! the browser's asynchronous `fetch` and a blocking test client share the same rules.

pub mod cmi5;
pub mod http;
pub mod launch;
pub mod launch_data;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod package;
pub mod scorm;
pub mod send;
pub mod token;
