//! xAPI 1.0.3: statements for each attempt ([`build`]), their serde types
//! ([`statement`]) and sending the store's outbox to a Learning Record Store ([`sync`]).

pub mod build;
#[cfg(not(target_arch = "wasm32"))]
pub mod config;
pub mod shift;
pub mod statement;
#[cfg(not(target_arch = "wasm32"))]
pub mod sync;
pub mod validate;

/// Checks a pack's `xapi_base`: an absolute `http(s)://host/...` IRI without query,
/// fragment or spaces. Returns what was expected when it is not.
pub fn check_base_iri(base: &str) -> Result<(), String> {
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(format!(
            "`{base}` is not an absolute IRI; expected something like \"https://training.example.com/firstline\""
        ));
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(format!(
            "`{base}` has no host; expected \"https://HOST/PATH\""
        ));
    }
    if base.contains(['?', '#', ' ', '\t', '\n']) {
        return Err(format!(
            "`{base}` contains a query, fragment or space; expected a plain \"https://HOST/PATH\""
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn base_iris_are_checked() {
        assert!(super::check_base_iri("https://lms.example.com/firstline").is_ok());
        assert!(super::check_base_iri("lms.example.com").is_err());
        assert!(super::check_base_iri("https:///x").is_err());
        assert!(super::check_base_iri("https://x/y?z").is_err());
    }
}
