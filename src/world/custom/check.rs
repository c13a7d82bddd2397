//! Conditions over a custom system's state: compiled from [`CheckDef`] with every name
//! resolved to an index, evaluated against an instance (and a current record and the fix's
//! arguments, where there are some).

use super::def::{CheckDef, Lit, TestDef};
use super::{Kind, Record, Registry, SysState, Ty, Value, quoted};
use crate::ids::{AccountId, DeviceId};
use crate::world::state::World;
use serde::{Deserialize, Serialize};

/// A located problem: a path below the definition's root and what was expected.
pub type Problems = Vec<(String, String)>;

/// A compiled test of one value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Test {
    Is(Value),
    IsArg(usize),
    Contains(String),
    ContainsArg(usize),
    AtLeast(i64),
    AtMost(i64),
    Empty,
}

/// A compiled condition over one system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Check {
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
    Attr(usize, Test),
    Field(usize, Test),
    Arg(usize, Test),
    Count {
        coll: usize,
        filter: Option<Box<Check>>,
        test: Test,
    },
    Record {
        coll: usize,
        key: String,
        check: Box<Check>,
    },
}

/// What names mean where a check (or template) is written.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// The scenario's world (for account and device literals); `None` in pack definitions.
    pub world: Option<&'a World>,
    pub kind: &'a Kind,
    /// The collection whose record is "current" (`Field`).
    pub coll: Option<usize>,
    /// The fix's arguments.
    pub args: &'a [(String, Ty)],
}

/// Converts a literal to a value of a type, or says what was expected.
pub fn lit_value(lit: &Lit, ty: &Ty, w: Option<&World>) -> Result<Value, String> {
    let bad = || {
        Err(format!(
            "found {}; expected {}",
            show_lit(lit),
            ty.describe()
        ))
    };
    Ok(match (ty, lit) {
        (Ty::Text, Lit::Text(s)) => Value::Text(s.clone()),
        (Ty::Int, Lit::Int(i)) => Value::Int(*i),
        (Ty::Bool, Lit::Bool(b)) => Value::Bool(*b),
        (Ty::List, Lit::List(v)) => Value::List(v.clone()),
        (Ty::Enum(opts), Lit::Text(s)) => match opts.iter().find(|o| o.eq_ignore_ascii_case(s)) {
            Some(o) => Value::Text(o.clone()),
            None => return bad(),
        },
        (Ty::Account, Lit::Text(s)) => match w {
            Some(w) => match w.account_index(s) {
                Some(i) => Value::Account(AccountId::from_index(i)),
                None => {
                    return Err(format!(
                        "no account `{s}` in the world; expected {}",
                        ty.describe()
                    ));
                }
            },
            None => return Err("an account can only be named in a scenario's world".into()),
        },
        (Ty::Device, Lit::Text(s)) => match w {
            Some(w) => match w.device_index(s) {
                Some(i) => Value::Device(DeviceId::from_index(i)),
                None => {
                    return Err(format!(
                        "no device `{s}` in the world; expected {}",
                        ty.describe()
                    ));
                }
            },
            None => return Err("a device can only be named in a scenario's world".into()),
        },
        _ => return bad(),
    })
}

fn show_lit(l: &Lit) -> String {
    match l {
        Lit::Bool(b) => format!("`{b}`"),
        Lit::Int(i) => format!("`{i}`"),
        Lit::Text(s) => format!("`\"{s}\"`"),
        Lit::List(_) => "a list".into(),
    }
}

/// Resolves a name in a list of typed names, or explains.
pub fn find(list: &[(String, Ty)], name: &str, what: &str) -> Result<usize, String> {
    list.iter().position(|(n, _)| n == name).ok_or_else(|| {
        let names: Vec<String> = list.iter().map(|(n, _)| n.clone()).collect();
        let hint = crate::scenario::doc::did_you_mean(name, names.iter().map(String::as_str));
        format!(
            "no {what} called `{name}`{hint}; expected one of: {}",
            quoted(&names)
        )
    })
}

/// Resolves a collection name of a kind.
pub fn find_coll(k: &Kind, name: &str) -> Result<usize, String> {
    k.coll(name).ok_or_else(|| {
        let names: Vec<String> = k.colls.iter().map(|c| c.name.clone()).collect();
        format!(
            "system kind `{}` has no collection `{name}`; expected one of: {}",
            k.name,
            quoted(&names)
        )
    })
}

fn compile_test(t: &TestDef, ty: &Ty, sc: &Scope, path: &str, p: &mut Problems) -> Option<Test> {
    let mut err = |m: String| {
        p.push((path.to_string(), m));
        None
    };
    match t {
        TestDef::Is(l) => match lit_value(l, ty, sc.world) {
            Ok(v) => Some(Test::Is(v)),
            Err(e) => err(e),
        },
        TestDef::IsArg(a) | TestDef::ContainsArg(a) => {
            let i = match find(sc.args, a, "fix argument") {
                Ok(i) => i,
                Err(e) => return err(e),
            };
            let aty = &sc.args[i].1;
            if matches!(t, TestDef::IsArg(_)) {
                let same = aty == ty || matches!((aty, ty), (Ty::Enum(_), Ty::Text | Ty::Enum(_)));
                if !same {
                    return err(format!(
                        "argument `{a}` is {}, the value is {}; expected the same type",
                        aty.describe(),
                        ty.describe()
                    ));
                }
                Some(Test::IsArg(i))
            } else if *ty != Ty::List {
                err(format!(
                    "`ContainsArg` needs a list; the value is {}",
                    ty.describe()
                ))
            } else {
                Some(Test::ContainsArg(i))
            }
        }
        TestDef::Contains(s) => match ty {
            Ty::List | Ty::Text => Some(Test::Contains(s.to_lowercase())),
            _ => err(format!(
                "`Contains` needs text or a list; the value is {}",
                ty.describe()
            )),
        },
        TestDef::AtLeast(n) | TestDef::AtMost(n) => {
            if *ty != Ty::Int {
                return err(format!(
                    "`AtLeast`/`AtMost` need a number; the value is {}",
                    ty.describe()
                ));
            }
            Some(if matches!(t, TestDef::AtLeast(_)) {
                Test::AtLeast(*n)
            } else {
                Test::AtMost(*n)
            })
        }
        TestDef::Empty => match ty {
            Ty::List | Ty::Text => Some(Test::Empty),
            _ => err(format!(
                "`Empty` needs text or a list; the value is {}",
                ty.describe()
            )),
        },
    }
}

/// Compiles a check, collecting every problem with its path.
pub fn compile(c: &CheckDef, sc: &Scope, path: &str, p: &mut Problems) -> Option<Check> {
    let list = |v: &[CheckDef], p: &mut Problems| -> Option<Vec<Check>> {
        let out: Vec<Option<Check>> = v
            .iter()
            .enumerate()
            .map(|(i, c)| compile(c, sc, &format!("{path}[0][{i}]"), p))
            .collect();
        out.into_iter().collect()
    };
    let a0 = format!("{path}[0]");
    let a1 = format!("{path}[1]");
    match c {
        CheckDef::All(v) => list(v, p).map(Check::All),
        CheckDef::Any(v) => list(v, p).map(Check::Any),
        CheckDef::Not(c) => compile(c, sc, &a0, p).map(|c| Check::Not(Box::new(c))),
        CheckDef::Attr(n, t) => match find(&sc.kind.attrs, n, "attribute") {
            Ok(i) => compile_test(t, &sc.kind.attrs[i].1, sc, &a1, p).map(|t| Check::Attr(i, t)),
            Err(e) => {
                p.push((a0, format!("{e} (attributes of `{}`)", sc.kind.name)));
                None
            }
        },
        CheckDef::Field(n, t) => {
            let Some(ci) = sc.coll else {
                p.push((a0, format!("`Field(\"{n}\", ...)` needs a current record; here there is none (use `Record(of: ..., key: ..., check: ...)` or `Count`)")));
                return None;
            };
            let coll = &sc.kind.colls[ci];
            match find(&coll.fields, n, &format!("field of `{}`", coll.name)) {
                Ok(i) => compile_test(t, &coll.fields[i].1, sc, &a1, p).map(|t| Check::Field(i, t)),
                Err(e) => {
                    p.push((a0, e));
                    None
                }
            }
        }
        CheckDef::Arg(n, t) => match find(sc.args, n, "fix argument") {
            Ok(i) => compile_test(t, &sc.args[i].1, sc, &a1, p).map(|t| Check::Arg(i, t)),
            Err(e) => {
                p.push((a0, e));
                None
            }
        },
        CheckDef::Count { of, filter, test } => {
            let coll = match find_coll(sc.kind, of) {
                Ok(c) => c,
                Err(e) => {
                    p.push((format!("{path}.of"), e));
                    return None;
                }
            };
            let inner = Scope {
                coll: Some(coll),
                ..*sc
            };
            let filter = match filter {
                Some(f) => Some(Box::new(compile(f, &inner, &format!("{path}.where"), p)?)),
                None => None,
            };
            let test = compile_test(test, &Ty::Int, sc, &format!("{path}.test"), p)?;
            Some(Check::Count { coll, filter, test })
        }
        CheckDef::Record { of, key, check } => {
            let coll = match find_coll(sc.kind, of) {
                Ok(c) => c,
                Err(e) => {
                    p.push((format!("{path}.of"), e));
                    return None;
                }
            };
            let inner = Scope {
                coll: Some(coll),
                ..*sc
            };
            let check = compile(check, &inner, &format!("{path}.check"), p)?;
            Some(Check::Record {
                coll,
                key: key.clone(),
                check: Box::new(check),
            })
        }
    }
}

/// Where a check is evaluated.
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub reg: &'a Registry,
    pub sys: &'a SysState,
    pub rec: Option<&'a Record>,
    pub args: &'a [Value],
}

fn test(t: &Test, v: &Value, args: &[Value]) -> bool {
    let contains = |v: &Value, word: &str| match v {
        Value::List(l) => l.iter().any(|x| x.eq_ignore_ascii_case(word)),
        Value::Text(s) => s.to_lowercase().contains(&word.to_lowercase()),
        _ => false,
    };
    match t {
        Test::Is(x) => match (x, v) {
            (Value::Text(a), Value::Text(b)) => a.eq_ignore_ascii_case(b),
            _ => x == v,
        },
        Test::IsArg(i) => match (args.get(*i), v) {
            (Some(Value::Text(a)), Value::Text(b)) => a.eq_ignore_ascii_case(b),
            (Some(a), b) => a == b,
            _ => false,
        },
        Test::Contains(w) => contains(v, w),
        Test::ContainsArg(i) => match args.get(*i) {
            Some(Value::Text(a)) => contains(v, a),
            _ => false,
        },
        Test::AtLeast(n) => matches!(v, Value::Int(i) if i >= n),
        Test::AtMost(n) => matches!(v, Value::Int(i) if i <= n),
        Test::Empty => match v {
            Value::List(l) => l.is_empty(),
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        },
    }
}

impl Check {
    /// Evaluates the check.
    pub fn eval(&self, at: At) -> bool {
        match self {
            Check::All(v) => v.iter().all(|c| c.eval(at)),
            Check::Any(v) => v.iter().any(|c| c.eval(at)),
            Check::Not(c) => !c.eval(at),
            Check::Attr(i, t) => at.sys.attrs.get(*i).is_some_and(|v| test(t, v, at.args)),
            Check::Field(i, t) => at
                .rec
                .and_then(|r| r.get(*i))
                .is_some_and(|v| test(t, v, at.args)),
            Check::Arg(i, t) => at.args.get(*i).is_some_and(|v| test(t, v, at.args)),
            Check::Count {
                coll,
                filter,
                test: t,
            } => {
                let n = at.sys.colls[*coll]
                    .iter()
                    .filter(|r| {
                        filter
                            .as_ref()
                            .is_none_or(|f| f.eval(At { rec: Some(r), ..at }))
                    })
                    .count();
                test(t, &Value::Int(n as i64), at.args)
            }
            Check::Record { coll, key, check } => {
                at.sys.record(at.reg, *coll, key).is_some_and(|i| {
                    check.eval(At {
                        rec: Some(&at.sys.colls[*coll][i]),
                        ..at
                    })
                })
            }
        }
    }
}

/// Evaluates a scenario condition on an instance of a world.
pub fn eval_in(w: &World, sys: usize, c: &Check) -> bool {
    let Some(s) = w.custom.systems.get(sys) else {
        return false;
    };
    c.eval(At {
        reg: &w.custom.reg,
        sys: s,
        rec: None,
        args: &[],
    })
}
