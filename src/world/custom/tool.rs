//! Custom diagnostic tools: output computed from a system's state through templates,
//! tables over records and condition → output rules.

use super::check::{At, Check, Problems, Scope, find, find_coll};
use super::def::{BlockDef, ToolFile};
use super::{Record, Registry, Sym, SysState, Value};
use crate::world::state::World;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Lit(String),
    Attr(usize),
    Field(usize),
    Count(usize),
    System,
    Key,
    Arg(usize),
}

/// A compiled `{name}` template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(pub Vec<Piece>);

/// Compiles a template; every `{name}` must name something in scope.
pub fn template(src: &str, sc: &Scope, path: &str, p: &mut Problems) -> Option<Template> {
    let mut out = vec![];
    let mut rest = src;
    let mut ok = true;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Lit(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            p.push((
                path.into(),
                format!("template `{src}` opens `{{` without closing it; expected `{{name}}`"),
            ));
            return None;
        };
        let name = after[..close].trim();
        match resolve(name, sc) {
            Ok(piece) => out.push(piece),
            Err(e) => {
                p.push((path.into(), format!("template names `{{{name}}}`: {e}")));
                ok = false;
            }
        }
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Lit(rest.to_string()));
    }
    ok.then_some(Template(out))
}

fn resolve(name: &str, sc: &Scope) -> Result<Piece, String> {
    if name == "system" {
        return Ok(Piece::System);
    }
    if let Some(c) = name.strip_prefix('#') {
        return find_coll(sc.kind, c).map(Piece::Count);
    }
    if name == "key" && sc.coll.is_some() {
        return Ok(Piece::Key);
    }
    if let Ok(i) = find(sc.args, name, "argument") {
        return Ok(Piece::Arg(i));
    }
    if let Some(c) = sc.coll
        && let Some(i) = sc.kind.colls[c].field(name)
    {
        return Ok(Piece::Field(i));
    }
    if let Some(i) = sc.kind.attr(name) {
        return Ok(Piece::Attr(i));
    }
    let mut known: Vec<String> = vec!["system".into()];
    known.extend(sc.args.iter().map(|(n, _)| n.clone()));
    if let Some(c) = sc.coll {
        known.push("key".into());
        known.extend(sc.kind.colls[c].fields.iter().map(|(n, _)| n.clone()));
    }
    known.extend(sc.kind.attrs.iter().map(|(n, _)| n.clone()));
    known.extend(sc.kind.colls.iter().map(|c| format!("#{}", c.name)));
    let hint = crate::scenario::doc::did_you_mean(name, known.iter().map(String::as_str));
    Err(format!(
        "no attribute, field or argument `{name}` of `{}` here{hint}; expected one of: {}",
        sc.kind.name,
        super::quoted(&known)
    ))
}

/// What a template is filled from.
pub struct Fill<'a> {
    pub w: &'a World,
    pub reg: &'a Registry,
    pub sys: &'a SysState,
    pub coll: Option<usize>,
    pub rec: Option<&'a Record>,
    pub args: &'a [Value],
}

impl Template {
    pub fn render(&self, f: &Fill) -> String {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                Piece::Lit(t) => s.push_str(t),
                Piece::Attr(i) => s.push_str(&f.sys.attrs[*i].show(f.w)),
                Piece::Field(i) => {
                    if let Some(r) = f.rec {
                        s.push_str(&r[*i].show(f.w));
                    }
                }
                Piece::Count(c) => s.push_str(&f.sys.colls[*c].len().to_string()),
                Piece::System => s.push_str(&f.sys.name),
                Piece::Key => {
                    if let (Some(c), Some(r)) = (f.coll, f.rec) {
                        let k = f.reg.kinds[f.sys.kind as usize].colls[c].key;
                        s.push_str(&r[k].show(f.w));
                    }
                }
                Piece::Arg(i) => {
                    s.push_str(&f.args.get(*i).map(|v| v.show(f.w)).unwrap_or_default())
                }
            }
        }
        s
    }
}

/// A compiled block of output.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Line(Template),
    Table {
        coll: usize,
        columns: Vec<usize>,
        filter: Option<Check>,
        empty: Option<String>,
    },
    When {
        check: Check,
        then: Vec<Block>,
        otherwise: Vec<Block>,
    },
}

/// Compiles output blocks.
pub fn blocks(v: &[BlockDef], sc: &Scope, path: &str, p: &mut Problems) -> Option<Vec<Block>> {
    let out: Vec<Option<Block>> = v
        .iter()
        .enumerate()
        .map(|(i, b)| block(b, sc, &format!("{path}[{i}]"), p))
        .collect();
    out.into_iter().collect()
}

fn block(b: &BlockDef, sc: &Scope, path: &str, p: &mut Problems) -> Option<Block> {
    match b {
        BlockDef::Line(t) => template(t, sc, &format!("{path}[0]"), p).map(Block::Line),
        BlockDef::Table {
            of,
            columns,
            filter,
            empty,
        } => {
            let coll = match find_coll(sc.kind, of) {
                Ok(c) => c,
                Err(e) => {
                    p.push((format!("{path}.of"), e));
                    return None;
                }
            };
            let c = &sc.kind.colls[coll];
            let mut cols = vec![];
            for (i, name) in columns.iter().enumerate() {
                match find(&c.fields, name, &format!("field of `{}`", c.name)) {
                    Ok(f) => cols.push(f),
                    Err(e) => p.push((format!("{path}.columns[{i}]"), e)),
                }
            }
            if columns.is_empty() {
                p.push((
                    format!("{path}.columns"),
                    "no columns; expected the fields to show".into(),
                ));
            }
            let inner = Scope {
                coll: Some(coll),
                ..*sc
            };
            let filter = match filter {
                Some(f) => Some(super::check::compile(
                    f,
                    &inner,
                    &format!("{path}.where"),
                    p,
                )?),
                None => None,
            };
            (cols.len() == columns.len() && !cols.is_empty()).then_some(Block::Table {
                coll,
                columns: cols,
                filter,
                empty: empty.clone(),
            })
        }
        BlockDef::When {
            check,
            then,
            otherwise,
        } => {
            let c = super::check::compile(check, sc, &format!("{path}.check"), p);
            let t = blocks(then, sc, &format!("{path}.then"), p);
            let o = blocks(otherwise, sc, &format!("{path}.else"), p);
            Some(Block::When {
                check: c?,
                then: t?,
                otherwise: o?,
            })
        }
    }
}

fn render(blocks: &[Block], f: &Fill, out: &mut String) {
    for b in blocks {
        match b {
            Block::Line(t) => {
                let _ = writeln!(out, "{}", t.render(f));
            }
            Block::Table {
                coll,
                columns,
                filter,
                empty,
            } => {
                let c = &f.reg.kinds[f.sys.kind as usize].colls[*coll];
                let at = At {
                    reg: f.reg,
                    sys: f.sys,
                    rec: f.rec,
                    args: f.args,
                };
                let rows: Vec<Vec<String>> = f.sys.colls[*coll]
                    .iter()
                    .filter(|r| {
                        filter
                            .as_ref()
                            .is_none_or(|x| x.eval(At { rec: Some(r), ..at }))
                    })
                    .map(|r| columns.iter().map(|i| r[*i].show(f.w)).collect())
                    .collect();
                if rows.is_empty() {
                    let _ = writeln!(out, "{}", empty.as_deref().unwrap_or("(none)"));
                    continue;
                }
                let heads: Vec<String> = columns
                    .iter()
                    .map(|i| c.fields[*i].0.to_uppercase())
                    .collect();
                let width: Vec<usize> = (0..columns.len())
                    .map(|j| {
                        rows.iter()
                            .map(|r| r[j].chars().count())
                            .chain([heads[j].len()])
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                for row in std::iter::once(&heads).chain(rows.iter()) {
                    let cells: Vec<String> = row
                        .iter()
                        .zip(&width)
                        .map(|(c, w)| format!("{c:<w$}"))
                        .collect();
                    let _ = writeln!(out, "{}", cells.join("  ").trim_end());
                }
            }
            Block::When {
                check,
                then,
                otherwise,
            } => {
                let at = At {
                    reg: f.reg,
                    sys: f.sys,
                    rec: f.rec,
                    args: f.args,
                };
                render(if check.eval(at) { then } else { otherwise }, f, out);
            }
        }
    }
}

/// A compiled custom tool.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDef {
    pub command: Sym,
    /// Index of its kind in the registry.
    pub kind: usize,
    pub coll: Option<usize>,
    pub usage: String,
    pub cost: u32,
    pub output: Vec<Block>,
}

/// Compiles a tool of a kind.
pub fn compile(
    t: &ToolFile,
    reg: &Registry,
    kind: usize,
    path: &str,
    p: &mut Problems,
) -> Option<ToolDef> {
    let k = &reg.kinds[kind];
    let coll = match &t.record {
        Some(c) => match find_coll(k, c) {
            Ok(i) => Some(i),
            Err(e) => {
                p.push((format!("{path}.record"), e));
                return None;
            }
        },
        None => None,
    };
    let sc = Scope {
        world: None,
        kind: k,
        coll,
        args: &[],
    };
    let output = blocks(&t.output, &sc, &format!("{path}.output"), p)?;
    let key = coll
        .map(|c| format!(" {}", k.colls[c].fields[k.colls[c].key].0.to_uppercase()))
        .unwrap_or_default();
    Some(ToolDef {
        command: t.command,
        kind,
        coll,
        usage: format!(
            "{} [{}]{key} — {}",
            t.command.as_str(),
            k.name.to_uppercase(),
            t.summary
        ),
        cost: t.cost.unwrap_or(45),
        output,
    })
}

/// A parsed custom tool call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ToolCall {
    pub command: Sym,
    pub def: u16,
    /// The instance looked at.
    pub system: u16,
    /// The record asked for (it may not exist).
    pub key: Option<String>,
}

/// Picks the instance: named by the first argument, or the only one of its kind.
pub fn pick_system<'a>(
    w: &World,
    kind: usize,
    args: &'a [&'a str],
    want: usize,
    usage: &str,
) -> Result<(usize, &'a [&'a str]), String> {
    let mine: Vec<usize> = w.custom.of_kind(kind).collect();
    if args.len() == want + 1 {
        let n = args[0];
        return match mine
            .iter()
            .find(|&&i| w.custom.systems[i].name.eq_ignore_ascii_case(n))
        {
            Some(&i) => Ok((i, &args[1..])),
            None => Err(format!(
                "no {} called `{n}`; expected one of: {}",
                w.custom.reg.kinds[kind].title,
                mine.iter()
                    .map(|&i| w.custom.systems[i].name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
    }
    if args.len() == want {
        return match mine.as_slice() {
            [one] => Ok((*one, args)),
            [] => Err(format!(
                "there is no {} here",
                w.custom.reg.kinds[kind].title
            )),
            _ => Err(format!("name the system; usage: {usage}")),
        };
    }
    let what = if args.len() > want + 1 {
        "too many"
    } else {
        "missing"
    };
    Err(format!("{what} arguments; usage: {usage}"))
}

/// Parses `COMMAND [SYSTEM] [KEY]`.
pub fn parse(w: &World, command: Sym, args: &[&str]) -> Result<ToolCall, String> {
    let reg = &w.custom.reg;
    let def = reg
        .tool(command)
        .ok_or_else(|| format!("`{}` is not a tool of this pack", command.as_str()))?;
    let d = &reg.tools[def];
    let want = usize::from(d.coll.is_some());
    let (system, rest) = pick_system(w, d.kind, args, want, &d.usage)?;
    Ok(ToolCall {
        command,
        def: def as u16,
        system: system as u16,
        key: rest.first().map(|s| s.to_string()),
    })
}

impl ToolCall {
    pub fn to_command(&self, w: &World) -> String {
        let sys = w
            .custom
            .systems
            .get(self.system as usize)
            .map(|s| s.name.as_str())
            .unwrap_or("?");
        match &self.key {
            Some(k) => format!("{} {sys} {k}", self.command.as_str()),
            None => format!("{} {sys}", self.command.as_str()),
        }
    }

    /// The tool's output in this world.
    pub fn run(&self, w: &World) -> String {
        let reg = &w.custom.reg;
        let (Some(d), Some(sys)) = (
            reg.tools.get(self.def as usize),
            w.custom.systems.get(self.system as usize),
        ) else {
            return "(no such system)\n".into();
        };
        let rec = match (d.coll, &self.key) {
            (Some(c), Some(k)) => match sys.record(reg, c, k) {
                Some(i) => Some(&sys.colls[c][i]),
                None => {
                    let cname = &reg.kinds[d.kind].colls[c].name;
                    return format!("{}: no record `{k}` in {cname}\n", sys.name);
                }
            },
            _ => None,
        };
        let f = Fill {
            w,
            reg,
            sys,
            coll: d.coll,
            rec,
            args: &[],
        };
        let mut out = String::new();
        render(&d.output, &f, &mut out);
        out
    }
}

/// Every concrete call of a tool in this world (each instance, each record).
pub fn candidates(w: &World, command: Sym, cap: usize) -> Vec<ToolCall> {
    let reg = &w.custom.reg;
    let Some(def) = reg.tool(command) else {
        return vec![];
    };
    let d = &reg.tools[def];
    let mut out = vec![];
    for s in w.custom.of_kind(d.kind) {
        let sys = &w.custom.systems[s];
        let keys: Vec<Option<String>> = match d.coll {
            Some(c) => (0..sys.colls[c].len())
                .map(|r| Some(sys.key_of(reg, c, r)))
                .collect(),
            None => vec![None],
        };
        for key in keys.into_iter().take(cap) {
            out.push(ToolCall {
                command,
                def: def as u16,
                system: s as u16,
                key,
            });
        }
    }
    out
}
