//! `firstline report`, `firstline sync` and `firstline trainee delete`: the progress
//! store for instructors and LRSs.

use super::commands::ReportFormat;
use crate::progress::{Profile, Store, report};
use crate::xapi::{config, sync};
use std::path::Path;

fn say(text: &str) {
    out!("{text}");
}

fn open_store(data_dir: Option<&Path>) -> Result<Store, i32> {
    let store = Store::open(data_dir).map_err(|e| {
        errln!("error: {e}");
        2
    })?;
    for line in store.recovered() {
        errln!("note: {line}");
    }
    Ok(store)
}

/// Opens the store and the named trainee's profile (creating it; the game's current
/// profile stays as it was).
pub fn open_profile(data_dir: Option<&Path>, name: &str) -> Result<(Store, Profile), i32> {
    let mut store = open_store(data_dir)?;
    match store.ensure_profile(name) {
        Ok(p) => Ok((store, p)),
        Err(e) => {
            errln!("error: trainee `{name}`: {e}");
            Err(2)
        }
    }
}

/// Prints the instructor report. Exit 1 when the named trainee does not exist or a stored
/// row could not be read (each such row is named on stderr).
pub fn report_cmd(data_dir: Option<&Path>, trainee: Option<&str>, format: ReportFormat) -> i32 {
    let store = match open_store(data_dir) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let profile = match trainee {
        None => None,
        Some(name) => match store.profile(name) {
            Some(p) => Some(p.id),
            None => {
                let names: Vec<String> = store.profiles().into_iter().map(|p| p.name).collect();
                errln!(
                    "error: no trainee named `{name}` in {}; trainees: {}",
                    store.path().display(),
                    if names.is_empty() {
                        "(none yet)".to_string()
                    } else {
                        names.join(", ")
                    }
                );
                return 1;
            }
        },
    };
    let (attempts, problems) = store.attempts_checked(profile);
    for p in &problems {
        errln!("error: {}: {p}", store.path().display());
    }
    let mut r = report::build(&attempts);
    report::add_shifts(&mut r, &store.shifts(profile));
    match format {
        ReportFormat::Text => say(&report::text(&r)),
        ReportFormat::Json => say(&format!(
            "{}\n",
            serde_json::to_string_pretty(&r).unwrap_or_default()
        )),
        ReportFormat::Csv => match report::csv(&r) {
            Ok(t) => say(&t),
            Err(e) => {
                errln!("error: {e}");
                return 2;
            }
        },
    }
    if problems.is_empty() { 0 } else { 1 }
}

/// What `firstline sync` was given.
pub struct SyncArgs<'a> {
    pub url: Option<String>,
    pub user: Option<String>,
    /// `--password` was on the command line (refused).
    pub password_flag: bool,
    pub password_stdin: bool,
    pub config: Option<&'a Path>,
    pub dry_run: bool,
}

/// Sends queued statements. Exit 0 when everything queued was acknowledged, 1 when some
/// stay queued (LRS down, refused, not acknowledged), 2 for usage or store errors.
pub fn sync_cmd(data_dir: Option<&Path>, args: SyncArgs) -> i32 {
    if args.password_flag {
        errln!(
            "error: --password is not accepted: other users can read a command line. Set {}, pipe the password to --password-stdin, put it in lrs.ron (mode 600), or type it at the prompt",
            config::PASSWORD_ENV
        );
        return 2;
    }
    let mut store = match open_store(data_dir) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if args.dry_run {
        let pending = store.unsent();
        let values: Vec<serde_json::Value> = pending
            .iter()
            .filter_map(|p| serde_json::from_str(&p.json).ok())
            .collect();
        say(&format!(
            "{}\n",
            serde_json::to_string_pretty(&values).unwrap_or_default()
        ));
        return 0;
    }
    let password = if args.password_stdin {
        match config::password_from(std::io::stdin().lock()) {
            Ok(p) => Some(p),
            Err(e) => {
                errln!("error: {e}");
                return 2;
            }
        }
    } else {
        std::env::var(config::PASSWORD_ENV)
            .ok()
            .filter(|p| !p.is_empty())
    };
    let user = args.user.clone();
    let cfg = match config::resolve(args.url, args.user, password, args.config, || {
        config::prompt_password(user.as_deref())
    }) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return 2;
        }
    };
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} sending [{bar:30}] {pos}/{len} statements",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let result = sync::sync(&mut store, &cfg, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    let out = match result {
        Ok(o) => o,
        Err(e) => {
            errln!("error: {e}");
            return 2;
        }
    };
    say(&format!(
        "Sent {} statement(s) to {}; {} queued.\n",
        out.sent,
        config::statements_url(&cfg.url),
        out.queued
    ));
    for (id, why) in &out.refused {
        errln!("refused {id}: {why}");
    }
    match &out.stopped {
        Some(why) if out.queued > 0 => errln!(
            "error: {why}\n{} statement(s) stay queued; run `firstline sync` again later.",
            out.queued
        ),
        Some(why) => errln!("error: {why}"),
        None => {}
    }
    if out.queued > 0 || out.stopped.is_some() {
        1
    } else {
        0
    }
}

/// Deletes a trainee and their attempts. Exit 1 when there is no such trainee, 2 when
/// not confirmed or the store fails.
pub fn delete_trainee_cmd(data_dir: Option<&Path>, name: &str, yes: bool) -> i32 {
    use std::io::{BufRead, IsTerminal};
    let mut store = match open_store(data_dir) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let Some(p) = store.profile(name) else {
        let names: Vec<String> = store.profiles().into_iter().map(|p| p.name).collect();
        errln!(
            "error: no trainee named `{}` in {}; trainees: {}",
            report::escape_text(name),
            store.path().display(),
            if names.is_empty() {
                "(none)".to_string()
            } else {
                report::escape_text(&names.join(", "))
            }
        );
        return 1;
    };
    let n = store.attempts(Some(p.id)).len();
    if !yes {
        if !std::io::stdin().is_terminal() {
            errln!(
                "error: deleting `{}` needs confirmation: add --yes",
                report::escape_text(name)
            );
            return 2;
        }
        errln!(
            "Delete trainee `{}` and their {n} attempt(s) from {}? This cannot be undone. [y/N]",
            report::escape_text(name),
            store.path().display()
        );
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            errln!("Nothing was deleted.");
            return 2;
        }
    }
    match store.delete_profile(name) {
        Ok(Some((attempts, queued))) => {
            let recovered = crate::progress::recovery::forget(&store, name);
            say(&format!(
                "Deleted trainee `{}`: {attempts} attempt(s); {queued} statement(s) not yet sent to the LRS were dropped{}.\n",
                report::escape_text(name),
                if recovered > 0 {
                    format!(", and {recovered} recovery file(s)")
                } else {
                    String::new()
                }
            ));
            0
        }
        Ok(None) => 1,
        Err(e) => {
            errln!("error: {e}");
            2
        }
    }
}
