//! Custom fixes: typed arguments, preconditions, a state patch, side effects; identity
//! and approval are checked for the fix's subject like the built-in fixes'.

use super::check::{At, Check, Problems, Scope, find, find_coll, lit_value};
use super::def::{ExprDef, FixFile, OpDef, PolicyDef};
use super::tool::{Fill, Template, pick_system, template};
use super::{Registry, Sym, SysState, Ty, Value};
use crate::ids::{AccountId, DeviceId};
use crate::world::fixes::{FixContext, FixOutcome, Policy};
use crate::world::state::World;
use serde::{Deserialize, Serialize};

/// A value a patch writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Val(Value),
    Arg(usize),
}

/// One compiled patch step.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    SetAttr(usize, Expr),
    SetField(usize, Expr),
    AddTo(usize, Expr),
    RemoveFrom(usize, Expr),
    DeleteRecord,
    DeleteWhere {
        coll: usize,
        filter: Check,
    },
    SetWhere {
        coll: usize,
        filter: Check,
        field: usize,
        value: Expr,
    },
}

/// Where the fix's subject (the account identity and approval are checked for) comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Subject {
    Field(usize),
    Arg(usize),
}

/// A compiled custom fix.
#[derive(Debug, Clone, PartialEq)]
pub struct FixDef {
    pub command: Sym,
    pub kind: usize,
    pub coll: Option<usize>,
    pub args: Vec<(String, Ty)>,
    pub usage: String,
    pub cost: u32,
    pub policy: Policy,
    pub subject: Option<Subject>,
    pub security: bool,
    pub guided: bool,
    pub requires: Vec<(Check, String)>,
    pub patch: Vec<Op>,
    pub message: Template,
    pub harm: Vec<(Check, Template)>,
}

fn expr(e: &ExprDef, ty: &Ty, sc: &Scope, path: &str, p: &mut Problems) -> Option<Expr> {
    match e {
        ExprDef::Val(l) => match lit_value(l, ty, None) {
            Ok(v) => Some(Expr::Val(v)),
            Err(m) => {
                p.push((format!("{path}[0]"), m));
                None
            }
        },
        ExprDef::Arg(n) => match find(sc.args, n, "fix argument") {
            Ok(i) => {
                let aty = &sc.args[i].1;
                let fits = aty == ty
                    || matches!((aty, ty), (Ty::Enum(_), Ty::Text | Ty::List | Ty::Enum(_)));
                if !fits {
                    p.push((
                        format!("{path}[0]"),
                        format!(
                            "argument `{n}` is {}; the target is {}",
                            aty.describe(),
                            ty.describe()
                        ),
                    ));
                    return None;
                }
                Some(Expr::Arg(i))
            }
            Err(m) => {
                p.push((format!("{path}[0]"), m));
                None
            }
        },
    }
}

fn op(o: &OpDef, sc: &Scope, path: &str, p: &mut Problems) -> Option<Op> {
    let k = sc.kind;
    let a0 = format!("{path}[0]");
    let a1 = format!("{path}[1]");
    let field = |n: &str, p: &mut Problems| -> Option<usize> {
        let Some(c) = sc.coll else {
            p.push((a0.clone(), "this fix has no `record`, so it has no fields to patch; patch attributes with `SetAttr`".into()));
            return None;
        };
        find(
            &k.colls[c].fields,
            n,
            &format!("field of `{}`", k.colls[c].name),
        )
        .map_err(|e| p.push((a0.clone(), e)))
        .ok()
    };
    let fty = |i: usize| k.colls[sc.coll.unwrap_or(0)].fields[i].1.clone();
    match o {
        OpDef::SetAttr(n, e) => {
            let i = find(&k.attrs, n, "attribute")
                .map_err(|e| p.push((a0.clone(), e)))
                .ok()?;
            expr(e, &k.attrs[i].1, sc, &a1, p).map(|e| Op::SetAttr(i, e))
        }
        OpDef::SetField(n, e) => {
            let i = field(n, p)?;
            if sc.coll.is_some_and(|c| k.colls[c].key == i) {
                p.push((a0, "the key of a record cannot be patched".into()));
                return None;
            }
            expr(e, &fty(i), sc, &a1, p).map(|e| Op::SetField(i, e))
        }
        OpDef::AddTo(n, e) | OpDef::RemoveFrom(n, e) => {
            let i = field(n, p)?;
            if fty(i) != Ty::List {
                p.push((
                    a0,
                    format!(
                        "`{n}` is {}; `AddTo`/`RemoveFrom` need a list field",
                        fty(i).describe()
                    ),
                ));
                return None;
            }
            let e = expr(e, &Ty::Text, sc, &a1, p)?;
            Some(if matches!(o, OpDef::AddTo(..)) {
                Op::AddTo(i, e)
            } else {
                Op::RemoveFrom(i, e)
            })
        }
        OpDef::DeleteRecord => {
            if sc.coll.is_none() {
                p.push((path.into(), "this fix has no `record` to delete".into()));
                return None;
            }
            Some(Op::DeleteRecord)
        }
        OpDef::DeleteWhere { of, filter } | OpDef::SetWhere { of, filter, .. } => {
            let coll = find_coll(k, of)
                .map_err(|e| p.push((format!("{path}.of"), e)))
                .ok()?;
            let inner = Scope {
                coll: Some(coll),
                ..*sc
            };
            let filter = super::check::compile(filter, &inner, &format!("{path}.where"), p)?;
            let OpDef::SetWhere { field, value, .. } = o else {
                return Some(Op::DeleteWhere { coll, filter });
            };
            let c = &k.colls[coll];
            let f = find(&c.fields, field, &format!("field of `{}`", c.name))
                .map_err(|e| p.push((format!("{path}.field"), e)))
                .ok()?;
            let value = expr(value, &c.fields[f].1, sc, &format!("{path}.value"), p)?;
            Some(Op::SetWhere {
                coll,
                filter,
                field: f,
                value,
            })
        }
    }
}

/// Compiles a fix of a kind.
pub fn compile(
    f: &FixFile,
    reg: &Registry,
    kind: usize,
    path: &str,
    p: &mut Problems,
) -> Option<FixDef> {
    let k = &reg.kinds[kind];
    let before = p.len();
    let coll = match &f.record {
        Some(c) => find_coll(k, c)
            .map_err(|e| p.push((format!("{path}.record"), e)))
            .ok(),
        None => None,
    };
    let mut args = vec![];
    for (i, a) in f.args.iter().enumerate() {
        if !matches!(a.ty, Ty::Enum(_) | Ty::Bool | Ty::Account | Ty::Device) {
            p.push((format!("{path}.args[{i}].type"), format!("found {}; expected `Enum([...])`, `Bool`, `Account` or `Device` (arguments must be values the search can try)", a.ty.describe())));
        }
        if args.iter().any(|(n, _): &(String, Ty)| *n == a.name) {
            p.push((
                format!("{path}.args[{i}].name"),
                format!("duplicate argument `{}`", a.name),
            ));
        }
        args.push((a.name.clone(), a.ty.clone()));
    }
    let sc = Scope {
        world: None,
        kind: k,
        coll,
        args: &args,
    };
    let subject = match &f.subject {
        None => None,
        Some(n) => {
            let field = coll.and_then(|c| {
                k.colls[c]
                    .field(n)
                    .filter(|&i| k.colls[c].fields[i].1 == Ty::Account)
            });
            let arg = args.iter().position(|(a, t)| a == n && *t == Ty::Account);
            match (field, arg) {
                (Some(i), _) => Some(Subject::Field(i)),
                (None, Some(i)) => Some(Subject::Arg(i)),
                _ => {
                    p.push((format!("{path}.subject"), format!("no `Account` field of the record or `Account` argument called `{n}`; expected the account the fix acts for")));
                    None
                }
            }
        }
    };
    let policy = match f.policy {
        PolicyDef::None => Policy::None,
        PolicyDef::Identity => Policy::Identity,
        PolicyDef::Approval => Policy::Approval,
    };
    if policy != Policy::None && f.subject.is_none() {
        p.push((format!("{path}.policy"), "identity and approval belong to an account; expected `subject: \"FIELD_OR_ARG\"` naming it".into()));
    }
    let mut requires = vec![];
    for (i, r) in f.requires.iter().enumerate() {
        if let Some(c) =
            super::check::compile(&r.check, &sc, &format!("{path}.requires[{i}].check"), p)
        {
            requires.push((c, r.refuse.clone()));
        }
    }
    let mut patch = vec![];
    for (i, o) in f.patch.iter().enumerate() {
        if let Some(o) = op(o, &sc, &format!("{path}.patch[{i}]"), p) {
            patch.push(o);
        }
    }
    if f.patch.is_empty() {
        p.push((
            format!("{path}.patch"),
            "empty; expected the state changes the fix makes".into(),
        ));
    }
    let mut harm = vec![];
    for (i, h) in f.harm.iter().enumerate() {
        let c = super::check::compile(&h.check, &sc, &format!("{path}.harm[{i}].check"), p);
        let t = template(&h.message, &sc, &format!("{path}.harm[{i}].message"), p);
        if let (Some(c), Some(t)) = (c, t) {
            harm.push((c, t));
        }
    }
    let message = template(&f.message, &sc, &format!("{path}.message"), p);
    if p.len() > before {
        return None;
    }
    let mut usage = format!("{} [{}]", f.command.as_str(), k.name.to_uppercase());
    if let Some(c) = coll {
        usage.push_str(&format!(
            " {}",
            k.colls[c].fields[k.colls[c].key].0.to_uppercase()
        ));
    }
    for (n, _) in &args {
        usage.push_str(&format!(" {}", n.to_uppercase()));
    }
    usage.push_str(&format!(" — {}", f.summary));
    Some(FixDef {
        command: f.command,
        kind,
        coll,
        args,
        usage,
        cost: f.cost.unwrap_or(60),
        policy,
        subject,
        security: f.security,
        guided: f.guided,
        requires,
        patch,
        message: message?,
        harm,
    })
}

/// A parsed custom fix call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FixCall {
    pub command: Sym,
    pub def: u16,
    pub system: u16,
    /// The record's key as stored.
    pub key: Option<String>,
    pub args: Vec<Value>,
    /// The account identity and approval are checked for.
    pub subject: Option<AccountId>,
}

fn arg_value(w: &World, ty: &Ty, s: &str) -> Result<Value, String> {
    match ty {
        Ty::Enum(o) => o
            .iter()
            .find(|x| x.eq_ignore_ascii_case(s))
            .map(|x| Value::Text(x.clone()))
            .ok_or_else(|| format!("`{s}` is not one of {}", super::quoted(o))),
        Ty::Bool => match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Ok(Value::Bool(true)),
            "false" | "no" | "off" => Ok(Value::Bool(false)),
            _ => Err(format!("`{s}` is not `true` or `false`")),
        },
        Ty::Account => w
            .account_index(s)
            .map(|i| Value::Account(AccountId::from_index(i)))
            .ok_or_else(|| format!("no account `{s}` in the directory")),
        Ty::Device => w
            .device_index(s)
            .map(|i| Value::Device(DeviceId::from_index(i)))
            .ok_or_else(|| format!("no device `{s}` in the inventory")),
        _ => Err("unsupported argument type".into()),
    }
}

/// Builds a call (checking the record exists), resolving its subject.
pub fn make(
    w: &World,
    def: usize,
    system: usize,
    key: Option<&str>,
    args: Vec<Value>,
) -> Result<FixCall, String> {
    let reg = &w.custom.reg;
    let d = &reg.fixes[def];
    let sys = &w.custom.systems[system];
    let rec = match (d.coll, key) {
        (Some(c), Some(k)) => {
            let i = sys.record(reg, c, k).ok_or_else(|| {
                format!(
                    "{} has no record `{k}` in {}",
                    sys.name, reg.kinds[d.kind].colls[c].name
                )
            })?;
            Some(&sys.colls[c][i])
        }
        _ => None,
    };
    let subject = match d.subject {
        Some(Subject::Field(i)) => rec.and_then(|r| match &r[i] {
            Value::Account(a) => Some(*a),
            _ => None,
        }),
        Some(Subject::Arg(i)) => match args.get(i) {
            Some(Value::Account(a)) => Some(*a),
            _ => None,
        },
        None => None,
    };
    let key = match (d.coll, rec) {
        (Some(c), Some(_)) => key
            .and_then(|k| sys.record(reg, c, k))
            .map(|i| sys.key_of(reg, c, i)),
        _ => None,
    };
    Ok(FixCall {
        command: d.command,
        def: def as u16,
        system: system as u16,
        key,
        args,
        subject,
    })
}

/// Parses `COMMAND [SYSTEM] [KEY] ARGS...`.
pub fn parse(w: &World, command: Sym, args: &[&str]) -> Result<FixCall, String> {
    let reg = &w.custom.reg;
    let def = reg
        .fix(command)
        .ok_or_else(|| format!("`{}` is not a fix of this pack", command.as_str()))?;
    let d = &reg.fixes[def];
    let nkey = usize::from(d.coll.is_some());
    let (system, rest) = pick_system(w, d.kind, args, nkey + d.args.len(), &d.usage)?;
    let key = if nkey == 1 {
        rest.first().copied()
    } else {
        None
    };
    let mut vals = vec![];
    for ((_, ty), s) in d.args.iter().zip(&rest[nkey..]) {
        vals.push(arg_value(w, ty, s).map_err(|e| format!("{e}; usage: {}", d.usage))?);
    }
    make(w, def, system, key, vals)
}

fn value(e: &Expr, args: &[Value]) -> Value {
    match e {
        Expr::Val(v) => v.clone(),
        Expr::Arg(i) => args.get(*i).cloned().unwrap_or(Value::Text(String::new())),
    }
}

fn word(v: &Value, w: &World) -> String {
    v.arg(w)
}

fn patch(
    sys: &mut SysState,
    reg: &Registry,
    d: &FixDef,
    rec: Option<usize>,
    args: &[Value],
    w: &World,
) {
    let snapshot = sys.clone();
    let mut delete = false;
    for o in &d.patch {
        match o {
            Op::SetAttr(i, e) => sys.attrs[*i] = value(e, args),
            Op::SetField(i, e) => {
                if let (Some(c), Some(r)) = (d.coll, rec) {
                    sys.colls[c][r][*i] = value(e, args);
                }
            }
            Op::AddTo(i, e) | Op::RemoveFrom(i, e) => {
                let wd = word(&value(e, args), w);
                if let (Some(c), Some(r)) = (d.coll, rec)
                    && let Value::List(l) = &mut sys.colls[c][r][*i]
                {
                    let has = l.iter().position(|x| x.eq_ignore_ascii_case(&wd));
                    match (o, has) {
                        (Op::AddTo(..), None) => l.push(wd),
                        (Op::RemoveFrom(..), Some(j)) => {
                            l.remove(j);
                        }
                        _ => {}
                    }
                }
            }
            Op::DeleteRecord => delete = true,
            Op::SetWhere {
                coll,
                filter,
                field,
                value: v,
            } => {
                for (j, r) in snapshot.colls[*coll].iter().enumerate() {
                    if filter.eval(At {
                        reg,
                        sys: &snapshot,
                        rec: Some(r),
                        args,
                    }) {
                        sys.colls[*coll][j][*field] = value(v, args);
                    }
                }
            }
            Op::DeleteWhere { .. } => {}
        }
    }
    // Deletions last, so indices above stay valid.
    for o in &d.patch {
        if let Op::DeleteWhere { coll, filter } = o {
            let keep: Vec<bool> = snapshot.colls[*coll]
                .iter()
                .map(|r| {
                    !filter.eval(At {
                        reg,
                        sys: &snapshot,
                        rec: Some(r),
                        args,
                    })
                })
                .collect();
            let mut k = keep.iter();
            sys.colls[*coll].retain(|_| *k.next().unwrap_or(&true));
        }
    }
    if delete && let (Some(c), Some(r)) = (d.coll, rec) {
        sys.colls[c].remove(r);
    }
}

impl FixCall {
    pub fn to_command(&self, w: &World) -> String {
        let mut s = format!(
            "{} {}",
            self.command.as_str(),
            w.custom
                .systems
                .get(self.system as usize)
                .map(|s| s.name.as_str())
                .unwrap_or("?")
        );
        if let Some(k) = &self.key {
            s.push(' ');
            s.push_str(k);
        }
        for a in &self.args {
            s.push(' ');
            s.push_str(&a.arg(w));
        }
        s
    }

    /// Applies the fix: approval, preconditions, side effects, then the patch.
    pub fn apply(&self, w: &mut World, ctx: &FixContext) -> FixOutcome {
        let reg = w.custom.reg.clone();
        let out = |changed, blocked, message: String, harm| FixOutcome {
            changed,
            blocked,
            message,
            harm,
            temp_password: None,
        };
        let (Some(d), Some(sys)) = (
            reg.fixes.get(self.def as usize),
            w.custom.systems.get(self.system as usize),
        ) else {
            return out(false, true, "no such system".into(), None);
        };
        let rec = match (d.coll, &self.key) {
            (Some(c), Some(k)) => match sys.record(&reg, c, k) {
                Some(i) => Some(i),
                None => {
                    return out(
                        false,
                        true,
                        format!("{} has no record `{k}` any more", sys.name),
                        None,
                    );
                }
            },
            _ => None,
        };
        let record = d.coll.zip(rec).map(|(c, r)| &sys.colls[c][r]);
        let at = At {
            reg: &reg,
            sys,
            rec: record,
            args: &self.args,
        };
        if d.policy == Policy::Approval && !ctx.change_approved {
            return out(
                false,
                true,
                format!(
                    "refused: `{}` needs an approved change for this account; none is recorded",
                    self.command.as_str()
                ),
                None,
            );
        }
        if let Some((_, why)) = d.requires.iter().find(|(c, _)| !c.eval(at)) {
            return out(false, true, format!("refused: {why}"), None);
        }
        let fill = Fill {
            w,
            reg: &reg,
            sys,
            coll: d.coll,
            rec: record,
            args: &self.args,
        };
        let harms: Vec<String> = d
            .harm
            .iter()
            .filter(|(c, _)| c.eval(at))
            .map(|(_, t)| t.render(&fill))
            .collect();
        let message = d.message.render(&fill);
        let mut next = sys.clone();
        patch(&mut next, &reg, d, rec, &self.args, w);
        if next == *sys {
            return out(
                false,
                false,
                format!("`{}` changed nothing: it is already so", self.to_command(w)),
                None,
            );
        }
        w.custom.systems[self.system as usize] = next;
        out(
            true,
            false,
            message,
            (!harms.is_empty()).then(|| harms.join("; ")),
        )
    }
}

/// Every concrete call of a fix in this world (for the reachability search).
pub fn candidates(w: &World, def: usize, cap: usize) -> Vec<FixCall> {
    let reg = &w.custom.reg;
    let d = &reg.fixes[def];
    let mut combos: Vec<Vec<Value>> = vec![vec![]];
    for (_, ty) in &d.args {
        let dom: Vec<Value> = match ty {
            Ty::Enum(o) => o.iter().map(|x| Value::Text(x.clone())).collect(),
            Ty::Bool => vec![Value::Bool(true), Value::Bool(false)],
            Ty::Account => (0..w.accounts.len())
                .map(|i| Value::Account(AccountId::from_index(i)))
                .collect(),
            Ty::Device => (0..w.devices.len())
                .map(|i| Value::Device(DeviceId::from_index(i)))
                .collect(),
            _ => vec![],
        };
        combos = combos
            .iter()
            .flat_map(|c| {
                dom.iter()
                    .map(move |v| [c.clone(), vec![v.clone()]].concat())
            })
            .take(cap)
            .collect();
    }
    let mut out = vec![];
    for s in w.custom.of_kind(d.kind) {
        let keys: Vec<Option<String>> = match d.coll {
            Some(c) => (0..w.custom.systems[s].colls[c].len())
                .map(|r| Some(w.custom.systems[s].key_of(reg, c, r)))
                .collect(),
            None => vec![None],
        };
        for k in &keys {
            for a in &combos {
                if out.len() >= cap {
                    return out;
                }
                if let Ok(c) = make(w, def, s, k.as_deref(), a.clone()) {
                    out.push(c);
                }
            }
        }
    }
    out
}
