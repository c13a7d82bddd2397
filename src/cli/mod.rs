//! The command-line interface (`firstline validate | playtest | test | list | ...`).
//!
//! Everything the CLI prints goes through [`outln!`], [`out!`] and [`errln!`]: a closed
//! pipe (`firstline list | head -1`), a closed or full stderr never panics; the failed
//! write is remembered and the command ends with exit code 2 ([`output_failed`]).

use std::sync::atomic::{AtomicBool, Ordering};

static OUTPUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout or stderr, remembering (not panicking on) a failure.
pub(crate) fn emit(to_stderr: bool, args: std::fmt::Arguments) {
    use std::io::Write;
    let r = if to_stderr {
        std::io::stderr().lock().write_fmt(args)
    } else {
        let mut out = std::io::stdout().lock();
        out.write_fmt(args).and_then(|()| out.flush())
    };
    if r.is_err() {
        OUTPUT_FAILED.store(true, Ordering::Relaxed);
    }
}

/// Whether some output could not be written (a closed pipe, a full disk).
pub fn output_failed() -> bool {
    OUTPUT_FAILED.load(Ordering::Relaxed)
}

/// A line to stdout.
macro_rules! outln {
    () => { $crate::cli::emit(false, format_args!("\n")) };
    ($($t:tt)*) => { $crate::cli::emit(false, format_args!("{}\n", format_args!($($t)*))) };
}

/// Text to stdout.
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::emit(false, format_args!($($t)*)) };
}

/// A line to stderr.
macro_rules! errln {
    ($($t:tt)*) => { $crate::cli::emit(true, format_args!("{}\n", format_args!($($t)*))) };
}

mod commands;
pub mod package;
mod progress;
mod shift;

pub use commands::{Cli, main_with};
