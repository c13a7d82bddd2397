//! The authoring format of custom systems (names and literals; compiled by
//! `scenario::systems`).

use super::{Sym, Ty};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A literal as authors write it: `true`, `3`, `"text"`, `["a", "b"]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Lit {
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<String>),
}

/// `systems/NAME.ron`: one kind of system with its tools and fixes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "System")]
#[serde(deny_unknown_fields)]
pub struct SystemFile {
    /// The kind's name, used by scenario worlds (`kind: "erp"`).
    pub kind: String,
    pub title: String,
    /// Typed attributes of every instance.
    #[serde(default)]
    pub attributes: BTreeMap<String, Ty>,
    /// Collections of records.
    #[serde(default)]
    pub collections: BTreeMap<String, CollDef>,
    #[serde(default)]
    pub tools: Vec<ToolFile>,
    #[serde(default)]
    pub fixes: Vec<FixFile>,
}

/// A collection: typed fields, one of them (a `Text`) the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Collection")]
#[serde(deny_unknown_fields)]
pub struct CollDef {
    pub key: String,
    pub fields: BTreeMap<String, Ty>,
}

/// A test of one value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TestDef {
    /// Equal to this literal (`Is(true)`, `Is("active")`, `Is(3)`).
    Is(Lit),
    /// Equal to the fix argument of this name.
    IsArg(String),
    /// A list holds this word, or a text contains it (case-insensitive).
    Contains(String),
    /// A list holds the fix argument of this name.
    ContainsArg(String),
    AtLeast(i64),
    AtMost(i64),
    /// Empty text or list.
    Empty,
}

/// A condition over a system's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CheckDef {
    All(Vec<CheckDef>),
    Any(Vec<CheckDef>),
    Not(Box<CheckDef>),
    /// An attribute of the system.
    Attr(String, TestDef),
    /// A field of the current record (the record a tool shows or a fix patches, or the
    /// row a `Count`/`Table` filter looks at).
    Field(String, TestDef),
    /// A fix argument.
    Arg(String, TestDef),
    /// The number of records of a collection (matching `where`).
    Count {
        of: String,
        #[serde(default, rename = "where")]
        filter: Option<Box<CheckDef>>,
        test: TestDef,
    },
    /// The record with this key exists and satisfies `check` (`All([])` for "exists").
    Record {
        of: String,
        key: String,
        #[serde(default = "always")]
        check: Box<CheckDef>,
    },
}

fn always() -> Box<CheckDef> {
    Box::new(CheckDef::All(vec![]))
}

/// A custom diagnostic tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Tool")]
#[serde(deny_unknown_fields)]
pub struct ToolFile {
    pub command: Sym,
    /// What the tool shows (for `help`).
    pub summary: String,
    /// The tool looks at one record of this collection (`COMMAND [SYSTEM] KEY`).
    #[serde(default)]
    pub record: Option<String>,
    /// Simulated seconds (45 when unset).
    #[serde(default)]
    pub cost: Option<u32>,
    pub output: Vec<BlockDef>,
}

/// Part of a tool's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BlockDef {
    /// A line; `{name}` is an attribute, a field of the record, `{system}`, `{key}` or
    /// `{#collection}` (its number of records).
    Line(String),
    /// One row per record of a collection (matching `where`).
    Table {
        of: String,
        columns: Vec<String>,
        #[serde(default, rename = "where")]
        filter: Option<CheckDef>,
        /// Shown when no record matches.
        #[serde(default)]
        empty: Option<String>,
    },
    /// Condition → output.
    When {
        check: CheckDef,
        then: Vec<BlockDef>,
        #[serde(default, rename = "else")]
        otherwise: Vec<BlockDef>,
    },
}

/// A value a patch writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ExprDef {
    /// A literal.
    Val(Lit),
    /// The fix argument of this name.
    Arg(String),
}

/// One step of a fix's state patch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OpDef {
    SetAttr(String, ExprDef),
    /// Sets a field of the fix's record.
    SetField(String, ExprDef),
    /// Adds a word to a list field of the record.
    AddTo(String, ExprDef),
    /// Removes a word from a list field of the record.
    RemoveFrom(String, ExprDef),
    /// Deletes the fix's record.
    DeleteRecord,
    /// Deletes every record of a collection matching `where`.
    DeleteWhere {
        of: String,
        #[serde(rename = "where")]
        filter: CheckDef,
    },
    /// Sets a field of every record of a collection matching `where`.
    SetWhere {
        of: String,
        #[serde(rename = "where")]
        filter: CheckDef,
        field: String,
        value: ExprDef,
    },
}

/// A typed fix argument; only types a search can enumerate (enum, bool, account, device).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Arg")]
#[serde(deny_unknown_fields)]
pub struct ArgDef {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Ty,
}

/// Who the fix acts for: identity and approval are checked for this subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PolicyDef {
    #[default]
    None,
    /// Doing it before verifying the subject's identity is a critical violation.
    Identity,
    /// The system refuses it until a change for the subject is approved.
    Approval,
}

/// A precondition: the fix is refused with `refuse` unless `check` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Require")]
#[serde(deny_unknown_fields)]
pub struct RequireDef {
    pub check: CheckDef,
    pub refuse: String,
}

/// A side effect: when `check` holds before the patch, the fix does this harm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Harm")]
#[serde(deny_unknown_fields)]
pub struct HarmDef {
    pub check: CheckDef,
    pub message: String,
}

/// A custom fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Fix")]
#[serde(deny_unknown_fields)]
pub struct FixFile {
    pub command: Sym,
    pub summary: String,
    /// The fix acts on one record of this collection (`COMMAND [SYSTEM] KEY ARGS`).
    #[serde(default)]
    pub record: Option<String>,
    #[serde(default)]
    pub args: Vec<ArgDef>,
    /// Simulated seconds (60 when unset).
    #[serde(default)]
    pub cost: Option<u32>,
    #[serde(default)]
    pub policy: PolicyDef,
    /// The account the fix acts for: a record field or argument of type `Account`.
    #[serde(default)]
    pub subject: Option<String>,
    /// Changes security or data: applied without need it is harm.
    #[serde(default)]
    pub security: bool,
    /// The user does it while the trainee talks them through it (needs the call).
    #[serde(default)]
    pub guided: bool,
    #[serde(default)]
    pub requires: Vec<RequireDef>,
    pub patch: Vec<OpDef>,
    /// Shown when the fix changed something (a template like a tool line; `{arg}` too).
    pub message: String,
    #[serde(default)]
    pub harm: Vec<HarmDef>,
}

/// An instance of a custom system in a scenario's world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "System")]
#[serde(deny_unknown_fields)]
pub struct InstanceDef {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, Lit>,
    /// Records per collection, each a map of field to literal.
    #[serde(default)]
    pub records: BTreeMap<String, Vec<BTreeMap<String, Lit>>>,
}

/// A variant's edit of a custom system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EditDef {
    SetAttr(String, Lit),
    SetField {
        of: String,
        key: String,
        field: String,
        value: Lit,
    },
    AddRecord {
        of: String,
        record: BTreeMap<String, Lit>,
    },
    RemoveRecord {
        of: String,
        key: String,
    },
}
