//! Where `firstline sync` sends statements and with which credentials.
//!
//! The URL and user come from flags, environment variables (`FIRSTLINE_LRS_URL`,
//! `FIRSTLINE_LRS_USER`) or a RON file, `lrs.ron` in the platform config directory by
//! default:
//!
//! ```ron
//! (url: "https://lrs.example.com/xAPI/", user: "firstline", password: "secret")
//! ```
//!
//! The password is never a command-line argument (other users can read a process's
//! arguments): it comes from `FIRSTLINE_LRS_PASSWORD`, from standard input
//! (`--password-stdin`), from the config file — only when no other user can read it
//! (mode 600) — or from a prompt on the terminal. URLs carrying a user name or password
//! (`https://user:pw@host/`) are refused, and [`redact`] hides user info wherever a URL
//! from elsewhere (a redirect's `Location`) is printed or stored.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The environment variable holding the LRS password.
pub const PASSWORD_ENV: &str = "FIRSTLINE_LRS_PASSWORD";

/// A resolved LRS endpoint with its credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct LrsConfig {
    /// The xAPI endpoint (statements go to `<url>/statements`).
    pub url: String,
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for LrsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LrsConfig")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password", &"***")
            .finish()
    }
}

/// The config file's fields, all optional (flags and environment fill the gaps).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LrsFile {
    pub url: String,
    pub user: String,
    pub password: String,
}

fn given(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// The default config file.
pub fn default_path() -> Option<PathBuf> {
    crate::progress::profiles::project_dirs().map(|d| d.config_dir().join("lrs.ron"))
}

/// Why a config file holding a password must not be used: other users can read it.
fn readable_by_others(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "{p} holds the LRS password and other users can read it (mode {:03o}); run `chmod 600 {p}` — the password in it was not used",
                mode & 0o777,
                p = path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

/// `url` with any user name and password replaced by `***` (for messages and the store).
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***@{}", &url[..scheme_end + 3], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Replaces every URL with user info inside a message by its redacted form.
pub fn redact_all(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|w| {
            if w.contains("://") && w.contains('@') {
                let trimmed = w.trim_end();
                format!("{}{}", redact(trimmed), &w[trimmed.len()..])
            } else {
                w.to_string()
            }
        })
        .collect()
}

/// Combines flags/environment (which win) with the config file. `file` is the explicit
/// `--config` path; without it the default file is read when it exists. `password` is
/// what the environment or standard input gave; when it is `None`, the file's password
/// is used (if only its owner can read the file), else `prompt` is asked.
pub fn resolve(
    url: Option<String>,
    user: Option<String>,
    password: Option<String>,
    file: Option<&Path>,
    prompt: impl FnOnce() -> Option<String>,
) -> Result<LrsConfig, String> {
    let path = file.map(Path::to_path_buf).or_else(default_path);
    let from_file = match &path {
        Some(p) if p.is_file() || file.is_some() => {
            let bytes = crate::scenario::files::read_regular(p, "LRS config")
                .map_err(|e| format!("{}: {e}", p.display()))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{}: the LRS config is not UTF-8 text", p.display()))?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            ron::from_str::<LrsFile>(text).map_err(|e| {
                format!(
                    "{}:{}:{}: {}; expected (url: \"https://…\", user: \"…\", password: \"…\")",
                    p.display(),
                    e.span.start.line,
                    e.span.start.col,
                    e.code
                )
            })?
        }
        _ => LrsFile::default(),
    };
    let shown = path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "lrs.ron".into());
    let missing =
        |what: &str, how: &str| format!("no LRS {what}: {how}, or put `{what}: \"…\"` in {shown}");
    let url = url
        .or(given(from_file.url))
        .ok_or_else(|| missing("url", "pass --lrs URL or set FIRSTLINE_LRS_URL"))?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "LRS url `{}` must start with http:// or https:// (for example https://lrs.example.com/xAPI/)",
            redact(&url)
        ));
    }
    if redact(&url) != url {
        return Err(format!(
            "LRS url `{}` carries a user name or password; give the URL without them, the user with --user and the password with {PASSWORD_ENV}, --password-stdin or lrs.ron",
            redact(&url)
        ));
    }
    let user = user
        .or(given(from_file.user))
        .ok_or_else(|| missing("user", "pass --user U or set FIRSTLINE_LRS_USER"))?;
    let password = match password {
        Some(p) => p,
        None => match (given(from_file.password), &path) {
            (Some(p), Some(file)) => match readable_by_others(file) {
                Some(why) => return Err(why),
                None => p,
            },
            _ => prompt().ok_or_else(|| {
                missing(
                    "password",
                    &format!("set {PASSWORD_ENV}, pipe it to --password-stdin, type it at the prompt (on a terminal)"),
                )
            })?,
        },
    };
    Ok(LrsConfig {
        url,
        user,
        password,
    })
}

/// Reads the password from the first line of `input` (for `--password-stdin`).
pub fn password_from(input: impl std::io::Read) -> Result<String, String> {
    use std::io::BufRead;
    let mut buf = Vec::new();
    std::io::BufReader::new(input.take(4096))
        .read_until(b'\n', &mut buf)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let text = String::from_utf8(buf)
        .map_err(|_| "the password on standard input is not UTF-8 text".to_string())?;
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err("--password-stdin: standard input held no password".into());
    }
    Ok(line.to_string())
}

/// Asks for the password on the terminal with echo turned off; `None` without a terminal.
pub fn prompt_password(user: Option<&str>) -> Option<String> {
    #[cfg(unix)]
    {
        use std::io::{BufRead, IsTerminal, Write};
        use std::os::fd::AsRawFd;
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let tty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .ok()?;
        let fd = tty.as_raw_fd();
        // SAFETY: termios is plain data; tcgetattr fills it for a valid terminal fd.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
            return None;
        }
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        let mut w = &tty;
        let _ = write!(
            w,
            "LRS password{}: ",
            user.map(|u| format!(" for {u}")).unwrap_or_default()
        );
        let _ = w.flush();
        // SAFETY: restores/changes the attributes of the terminal fd we opened.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) };
        let mut line = String::new();
        let read = std::io::BufReader::new(&tty).read_line(&mut line);
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
        read.ok()?;
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        (!line.is_empty()).then_some(line)
    }
    #[cfg(not(unix))]
    {
        let _ = user;
        None
    }
}

/// The statements resource under an endpoint given with or without `/statements`.
pub fn statements_url(endpoint: &str) -> String {
    let e = endpoint.trim_end_matches('/');
    if e.ends_with("/statements") {
        e.to_string()
    } else {
        format!("{e}/statements")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_prompt() -> Option<String> {
        None
    }

    #[test]
    fn flags_win_over_the_file_and_gaps_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("lrs.ron");
        std::fs::write(&f, r#"(url: "http://file/xAPI", user: "u", password: "p")"#).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let c = resolve(
            Some("http://flag/xAPI/".into()),
            None,
            None,
            Some(&f),
            no_prompt,
        )
        .unwrap();
        assert_eq!(c.url, "http://flag/xAPI/");
        assert_eq!(c.user, "u");
        assert_eq!(c.password, "p");
        assert_eq!(statements_url(&c.url), "http://flag/xAPI/statements");
        assert!(!format!("{c:?}").contains("\"p\""));
        std::fs::write(&f, r#"(url: "http://file/xAPI")"#).unwrap();
        let e = resolve(None, None, None, Some(&f), no_prompt).unwrap_err();
        assert!(e.contains("--user"), "{e}");
        let e = resolve(None, Some("u".into()), None, Some(&f), no_prompt).unwrap_err();
        assert!(
            e.contains(PASSWORD_ENV) && e.contains("--password-stdin"),
            "{e}"
        );
        let c = resolve(None, Some("u".into()), None, Some(&f), || {
            Some("typed".into())
        })
        .unwrap();
        assert_eq!(c.password, "typed");
        std::fs::write(&f, r#"(uri: "x")"#).unwrap();
        let e = resolve(None, None, None, Some(&f), no_prompt).unwrap_err();
        assert!(e.contains("lrs.ron:1:"), "{e}");
    }

    #[test]
    #[cfg(unix)]
    fn issue12_a_password_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("lrs.ron");
        std::fs::write(
            &f,
            r#"(url: "http://h/xAPI", user: "u", password: "hunter2")"#,
        )
        .unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = resolve(None, None, None, Some(&f), no_prompt).unwrap_err();
        assert!(e.contains("chmod 600") && !e.contains("hunter2"), "{e}");
        // A password from the environment does not need the file's.
        let c = resolve(None, None, Some("env".into()), Some(&f), no_prompt).unwrap();
        assert_eq!(c.password, "env");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            resolve(None, None, None, Some(&f), no_prompt)
                .unwrap()
                .password,
            "hunter2"
        );
    }

    #[test]
    fn issue12_urls_with_user_info_are_refused_and_redacted() {
        for url in [
            "https://alice:hunter2@lrs.example.com/xAPI/",
            "http://hunter2@lrs.example.com",
            "https://a:b@c@lrs.example.com/x?y=@z",
        ] {
            let e = resolve(
                Some(url.into()),
                Some("u".into()),
                Some("p".into()),
                None,
                no_prompt,
            )
            .unwrap_err();
            assert!(!e.contains("hunter2") && !e.contains("a:b"), "{e}");
            assert!(e.contains("***@lrs.example.com"), "{e}");
        }
        assert_eq!(
            redact("https://lrs.example.com/a@b"),
            "https://lrs.example.com/a@b"
        );
        assert_eq!(
            redact_all("moved to http://u:pw@h/x, try again"),
            "moved to http://***@h/x, try again"
        );
    }

    #[test]
    fn issue12_password_stdin_takes_the_first_line() {
        assert_eq!(password_from(&b"s3cret\r\nrest"[..]).unwrap(), "s3cret");
        assert_eq!(password_from(&b"s3cret"[..]).unwrap(), "s3cret");
        assert!(password_from(&b"\n"[..]).is_err());
        assert!(password_from(&b"\xff\n"[..]).is_err());
    }

    proptest::proptest! {
        /// Any config file text gives a config or a located message; never a panic.
        #[test]
        fn any_config_text_is_handled(text in ".{0,200}") {
            let dir = tempfile::tempdir().unwrap();
            let f = dir.path().join("lrs.ron");
            std::fs::write(&f, &text).unwrap();
            if let Err(e) = resolve(None, None, None, Some(&f), no_prompt) {
                proptest::prop_assert!(e.contains("lrs.ron") || e.contains("http"), "{}", e);
            }
        }
    }
}
