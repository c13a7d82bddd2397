//! Custom systems: a pack's own kinds of system (an ERP, a licence pool, mail-flow rules,
//! a provisioning connector...) declared as data in `systems/*.ron`, instantiated by
//! scenario worlds, edited by variant changes, read by custom tools and patched by custom
//! fixes.
//!
//! The authoring types (names, literals) are in [`def`]; [`Registry`] holds the compiled
//! kinds, tools and fixes of a pack with every name resolved to an index; a world carries
//! the registry and its instances' state ([`Custom`]). Custom tool and fix kinds are
//! [`ToolKind::Custom`](super::tools::ToolKind) / [`FixKind::Custom`](super::fixes::FixKind)
//! with an interned command [`Sym`], so they go through the same table, session, scoring,
//! lint and search code as the built-in ones.

pub mod check;
pub mod def;
pub mod edit;
pub mod fix;
pub mod sym;
pub mod tool;

pub use sym::Sym;

use crate::ids::{AccountId, DeviceId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The type of an attribute or record field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ty {
    Text,
    Int,
    Bool,
    /// One of these words.
    Enum(Vec<String>),
    /// A list of words (roles, tags).
    List,
    /// A directory account of the world (by username).
    Account,
    /// A device of the world (by hostname).
    Device,
}

impl Ty {
    /// How the type is written, for messages.
    pub fn describe(&self) -> String {
        match self {
            Ty::Text => "text (\"...\")".into(),
            Ty::Int => "a whole number".into(),
            Ty::Bool => "`true` or `false`".into(),
            Ty::Enum(v) => format!("one of {}", quoted(v)),
            Ty::List => "a list of words ([\"a\", \"b\"])".into(),
            Ty::Account => "the username of one of the world's accounts".into(),
            Ty::Device => "the hostname of one of the world's devices".into(),
        }
    }
}

/// `"a", "b"` for messages.
pub fn quoted(v: &[String]) -> String {
    if v.is_empty() {
        return "none".into();
    }
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A typed value of an attribute, field or argument.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<String>),
    Account(AccountId),
    Device(DeviceId),
}

impl Value {
    /// The value as the console shows it.
    pub fn show(&self, w: &super::state::World) -> String {
        match self {
            Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
            Value::Int(i) => i.to_string(),
            Value::Text(s) => s.clone(),
            Value::List(v) if v.is_empty() => "(none)".into(),
            Value::List(v) => v.join(", "),
            Value::Account(a) => w
                .accounts
                .get(a.index())
                .map(|x| x.username.clone())
                .unwrap_or_default(),
            Value::Device(d) => w
                .devices
                .get(d.index())
                .map(|x| x.hostname.clone())
                .unwrap_or_default(),
        }
    }

    /// The value as a console argument (`true`, a word, a username).
    pub fn arg(&self, w: &super::state::World) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            other => other.show(w),
        }
    }
}

/// A collection of records with typed fields, one of them the key.
#[derive(Debug, Clone, PartialEq)]
pub struct Coll {
    pub name: String,
    pub fields: Vec<(String, Ty)>,
    /// Index of the key field (a `Text` field unique per record).
    pub key: usize,
}

impl Coll {
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|(n, _)| n == name)
    }
}

/// A kind of system: typed attributes and collections of records.
#[derive(Debug, Clone, PartialEq)]
pub struct Kind {
    pub name: String,
    pub title: String,
    pub attrs: Vec<(String, Ty)>,
    pub colls: Vec<Coll>,
}

impl Kind {
    pub fn attr(&self, name: &str) -> Option<usize> {
        self.attrs.iter().position(|(n, _)| n == name)
    }
    pub fn coll(&self, name: &str) -> Option<usize> {
        self.colls.iter().position(|c| c.name == name)
    }
}

/// A pack's compiled custom kinds, tools and fixes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Registry {
    pub kinds: Vec<Kind>,
    pub tools: Vec<tool::ToolDef>,
    pub fixes: Vec<fix::FixDef>,
}

impl Registry {
    pub fn kind(&self, name: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.name == name)
    }
    /// The custom tool with this command.
    pub fn tool(&self, s: Sym) -> Option<usize> {
        self.tools.iter().position(|t| t.command == s)
    }
    /// The custom fix with this command.
    pub fn fix(&self, s: Sym) -> Option<usize> {
        self.fixes.iter().position(|f| f.command == s)
    }
}

/// One record: its fields' values in the collection's field order.
pub type Record = Vec<Value>;

/// The state of one instance of a custom system.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SysState {
    /// Index of its kind in the registry.
    pub kind: u16,
    pub name: String,
    pub attrs: Vec<Value>,
    /// Records per collection.
    pub colls: Vec<Vec<Record>>,
}

impl SysState {
    /// Index of the record whose key is `key` (case-insensitive).
    pub fn record(&self, reg: &Registry, coll: usize, key: &str) -> Option<usize> {
        let k = reg.kinds[self.kind as usize].colls[coll].key;
        self.colls[coll]
            .iter()
            .position(|r| matches!(&r[k], Value::Text(t) if t.eq_ignore_ascii_case(key)))
    }
    /// The key of a record.
    pub fn key_of(&self, reg: &Registry, coll: usize, rec: usize) -> String {
        let k = reg.kinds[self.kind as usize].colls[coll].key;
        match &self.colls[coll][rec][k] {
            Value::Text(t) => t.clone(),
            _ => String::new(),
        }
    }
}

/// The custom part of a world: the pack's registry and the instances' state.
#[derive(Clone, Default)]
pub struct Custom {
    pub reg: Arc<Registry>,
    pub systems: Vec<SysState>,
}

impl Custom {
    /// The instance called `name` (case-insensitive).
    pub fn system(&self, name: &str) -> Option<usize> {
        self.systems
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(name))
    }
    /// Instances of a kind.
    pub fn of_kind(&self, kind: usize) -> impl Iterator<Item = usize> + '_ {
        self.systems
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.kind as usize == kind)
            .map(|(i, _)| i)
    }
}

impl PartialEq for Custom {
    /// Two worlds' custom parts are equal when their instances are (the registry is the pack's).
    fn eq(&self, o: &Self) -> bool {
        self.systems == o.systems
    }
}

impl std::fmt::Debug for Custom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.systems).finish()
    }
}
