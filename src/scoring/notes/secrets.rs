//! Secrets written into a ticket, found in any case or separator form.

/// Lower case with spaces, dashes, dots, underscores, slashes (and every other
/// non-alphanumeric character) removed: "Spring-0042-Tide", "spring 0042 tide" and
/// "SPRING.0042.TIDE" all read "spring0042tide".
fn squash(s: &str) -> String {
    if s.is_ascii() {
        // The common case, without per-character Unicode case mapping.
        return s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Finds any of `secrets` (temporary passwords and the like) in `text`, case- and
/// separator-insensitively. Returns a redacted description such as "the temporary
/// password (Sp…)" — never the secret itself.
pub fn secret_in(text: &str, secrets: &[String]) -> Option<String> {
    if secrets.is_empty() {
        return None;
    }
    static MEMO: super::memo::Memo<std::sync::Arc<str>> = std::sync::OnceLock::new();
    let hay = super::memo::get(&MEMO, text, |t| squash(t).into());
    secrets.iter().find_map(|s| {
        let needle = squash(s);
        // Too short to tell from ordinary words: never reported.
        if needle.chars().count() < 4 || !hay.contains(&needle) {
            return None;
        }
        let shown: String = s.chars().filter(|c| c.is_alphanumeric()).take(2).collect();
        Some(format!("the temporary password ({shown}…)"))
    })
}

/// Secrets without a list to compare against: a BitLocker recovery key (eight groups
/// of six digits) or a password written after "password:" and the like.
pub fn written_secret(text: &str) -> Option<String> {
    for tok in text.split_whitespace() {
        let groups: Vec<&str> = tok
            .trim_matches(|c: char| !c.is_ascii_digit())
            .split('-')
            .collect();
        if groups.len() == 8
            && groups
                .iter()
                .all(|g| g.len() == 6 && g.chars().all(|c| c.is_ascii_digit()))
        {
            return Some("a BitLocker recovery key".to_string());
        }
    }
    let lower = text.to_lowercase();
    for key in [
        "password:",
        "password is",
        "password =",
        "pwd:",
        "pw:",
        "passcode:",
        "password set to",
    ] {
        // `to_lowercase` can change byte lengths; only search when it did not.
        if lower.len() != text.len() {
            break;
        }
        if let Some(i) = lower.find(key) {
            let rest = text[i + key.len()..].trim_start();
            let tok: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            let tok = tok.trim_end_matches(['.', ',', ';']);
            let looks_secret = tok.len() >= 6
                && tok.chars().any(|c| c.is_ascii_digit())
                && tok.chars().any(|c| c.is_alphabetic());
            if looks_secret {
                return Some(format!("a password written after \"{key}\""));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue10_leaked_password_in_any_form() {
        let secret = vec!["Spring-0042-Tide".to_string()];
        let cases: &[(&str, bool)] = &[
            ("Gave her Spring-0042-Tide over the phone", true),
            ("temp pw spring-0042-tide", true),
            ("it is SPRING 0042 TIDE", true),
            ("password Spring0042Tide", true),
            ("Spring.0042.Tide", true),
            ("spring_0042/tide", true),
            ("S p r i n g - 0 0 4 2 - T i d e", true),
            (
                "Temporary password given verbally to the verified user.",
                false,
            ),
            ("Spring-0043-Tide", false),
            ("", false),
        ];
        for (text, leaked) in cases {
            let got = secret_in(text, &secret);
            assert_eq!(got.is_some(), *leaked, "{text:?}");
            if let Some(d) = got {
                assert!(
                    !squash(&d).contains("spring0042tide"),
                    "the description leaks it: {d}"
                );
                assert_eq!(d, "the temporary password (Sp…)");
            }
        }
    }

    #[test]
    fn written_secrets_are_found() {
        assert!(written_secret("Temp password: Spring-1234-Tide given").is_some());
        assert!(
            written_secret("key 111111-222222-333333-444444-555555-666666-777777-888888").is_some()
        );
        assert!(written_secret("Password was reset after verifying identity.").is_none());
        assert!(secret_in("x", &["ab".into()]).is_none());
    }
}
