//! Where `firstline sync` sends statements: flags, environment variables
//! (`FIRSTLINE_LRS_URL`, `FIRSTLINE_LRS_USER`, `FIRSTLINE_LRS_PASSWORD`) or a RON file,
//! `lrs.ron` in the platform config directory by default:
//!
//! ```ron
//! (url: "https://lrs.example.com/xAPI/", user: "firstline", password: "secret")
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

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
#[derive(Debug, Default, Deserialize)]
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

/// A warning when the config file (holding a password) can be read by other users.
pub fn permission_warning(file: Option<&Path>) -> Option<String> {
    let path = file.map(Path::to_path_buf).or_else(default_path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "{} holds the LRS password and other users can read it; run `chmod 600 {}`",
                path.display(),
                path.display()
            ));
        }
    }
    None
}

/// Combines flags/environment (which win) with the config file. `file` is the explicit
/// `--config` path; without it the default file is read when it exists.
pub fn resolve(
    url: Option<String>,
    user: Option<String>,
    password: Option<String>,
    file: Option<&Path>,
) -> Result<LrsConfig, String> {
    let path = file.map(Path::to_path_buf).or_else(default_path);
    let from_file = match &path {
        Some(p) if p.is_file() || file.is_some() => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("{}: cannot read the LRS config: {e}", p.display()))?;
            ron::from_str::<LrsFile>(&text).map_err(|e| {
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
    let missing = |what: &str, flag: &str, env: &str| {
        format!(
            "no LRS {what}: pass {flag}, set {env}, or put `{what}: \"…\"` in {}",
            path.as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "lrs.ron".into())
        )
    };
    let url = url
        .or(given(from_file.url))
        .ok_or_else(|| missing("url", "--lrs URL", "FIRSTLINE_LRS_URL"))?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "LRS url `{url}` must start with http:// or https:// (for example https://lrs.example.com/xAPI/)"
        ));
    }
    Ok(LrsConfig {
        url,
        user: user
            .or(given(from_file.user))
            .ok_or_else(|| missing("user", "--user U", "FIRSTLINE_LRS_USER"))?,
        password: password
            .or(given(from_file.password))
            .ok_or_else(|| missing("password", "--password P", "FIRSTLINE_LRS_PASSWORD"))?,
    })
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

    #[test]
    fn flags_win_over_the_file_and_gaps_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("lrs.ron");
        std::fs::write(&f, r#"(url: "http://file/xAPI", user: "u", password: "p")"#).unwrap();
        let c = resolve(Some("http://flag/xAPI/".into()), None, None, Some(&f)).unwrap();
        assert_eq!(c.url, "http://flag/xAPI/");
        assert_eq!(c.user, "u");
        assert_eq!(statements_url(&c.url), "http://flag/xAPI/statements");
        std::fs::write(&f, r#"(url: "http://file/xAPI")"#).unwrap();
        let e = resolve(None, None, None, Some(&f)).unwrap_err();
        assert!(e.contains("--user"), "{e}");
        std::fs::write(&f, r#"(uri: "x")"#).unwrap();
        let e = resolve(None, None, None, Some(&f)).unwrap_err();
        assert!(e.contains("lrs.ron:1:"), "{e}");
        assert!(!format!("{c:?}").contains("\"p\""));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(permission_warning(Some(&f)).unwrap().contains("chmod 600"));
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
            assert_eq!(permission_warning(Some(&f)), None);
        }
    }

    proptest::proptest! {
        /// Any config file text gives a config or a located message; never a panic.
        #[test]
        fn any_config_text_is_handled(text in ".{0,200}") {
            let dir = tempfile::tempdir().unwrap();
            let f = dir.path().join("lrs.ron");
            std::fs::write(&f, &text).unwrap();
            if let Err(e) = resolve(None, None, None, Some(&f)) {
                proptest::prop_assert!(e.contains("lrs.ron") || e.contains("http"), "{}", e);
            }
        }
    }
}
