//! Interned command names of custom tools and fixes.
//!
//! A custom tool or fix kind is `ToolKind::Custom(Sym)` / `FixKind::Custom(Sym)`: a small
//! copyable id, like the built-in kinds, written `Custom("erp_user")` by authors. The name
//! table is process-wide and append-only (names are a pure function of their text, so two
//! packs that both define `erp_user` share the symbol; what it does comes from each pack's
//! [`Registry`](super::Registry)). Ordering is by name, so sets of kinds iterate the same way
//! in every process.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Most distinct custom command names one process interns.
pub const MAX_SYMS: usize = 8192;
/// Longest custom command name.
pub const MAX_LEN: usize = 40;

/// An interned custom command name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sym(u16);

#[derive(Default)]
struct Table {
    names: Vec<&'static str>,
    ids: HashMap<&'static str, u16>,
}

fn table() -> &'static Mutex<Table> {
    static T: OnceLock<Mutex<Table>> = OnceLock::new();
    T.get_or_init(Default::default)
}

/// Whether `name` is a valid command word: lower-case letters, digits and `_`, starting
/// with a letter, at most [`MAX_LEN`].
pub fn valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_LEN
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Sym {
    /// Interns a valid command name.
    pub fn intern(name: &str) -> Result<Sym, String> {
        if !valid(name) {
            return Err(format!(
                "`{name}` is not a command word; expected lower-case letters, digits and `_`, starting with a letter (at most {MAX_LEN})"
            ));
        }
        let mut t = table().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&i) = t.ids.get(name) {
            return Ok(Sym(i));
        }
        if t.names.len() >= MAX_SYMS {
            return Err(format!(
                "more than {MAX_SYMS} distinct custom command names in this process"
            ));
        }
        let s: &'static str = Box::leak(name.to_string().into_boxed_str());
        let i = t.names.len() as u16;
        t.names.push(s);
        t.ids.insert(s, i);
        Ok(Sym(i))
    }

    /// The symbol of a name already interned (case-insensitive), without adding one.
    pub fn lookup(name: &str) -> Option<Sym> {
        let lower = name.to_ascii_lowercase();
        let t = table().lock().unwrap_or_else(|e| e.into_inner());
        t.ids.get(lower.as_str()).map(|&i| Sym(i))
    }

    /// The command word.
    pub fn as_str(self) -> &'static str {
        let t = table().lock().unwrap_or_else(|e| e.into_inner());
        t.names.get(self.0 as usize).copied().unwrap_or("?")
    }
}

impl PartialOrd for Sym {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Sym {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(o.as_str())
    }
}

impl Serialize for Sym {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Sym {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sym, D::Error> {
        let s = String::deserialize(d)?;
        Sym::intern(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_ordered_by_name() {
        let a = Sym::intern("zz_test_tool").unwrap();
        let b = Sym::intern("aa_test_tool").unwrap();
        assert_eq!(Sym::intern("zz_test_tool").unwrap(), a);
        assert_eq!(Sym::lookup("ZZ_test_tool"), Some(a));
        assert_eq!(a.as_str(), "zz_test_tool");
        assert!(b < a);
        assert!(Sym::intern("Bad Name").is_err());
        assert!(Sym::intern("").is_err());
        assert_eq!(Sym::lookup("never_interned_name_x"), None);
    }
}
