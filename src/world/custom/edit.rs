//! Instances in a scenario's world and variants' edits of them: literals checked against
//! the kind's types and turned into typed state.
//!
//! Problem paths may step into a map by key with `#key` (`world.systems[0].records#users[1]#roles`).

use super::check::{Problems, find, find_coll, lit_value};
use super::def::{EditDef, InstanceDef, Lit};
use super::{Coll, Custom, Record, Registry, SysState, Value, quoted};
use crate::world::state::World;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most instances in a world and records per collection.
pub const MAX_SYSTEMS: usize = 64;
pub const MAX_RECORDS: usize = 1000;

fn record(
    c: &Coll,
    fields: &BTreeMap<String, Lit>,
    w: &World,
    path: &str,
    p: &mut Problems,
) -> Option<Record> {
    let mut out: Vec<Option<Value>> = vec![None; c.fields.len()];
    let mut ok = true;
    for (name, lit) in fields {
        match find(&c.fields, name, &format!("field of `{}`", c.name)) {
            Ok(i) => match lit_value(lit, &c.fields[i].1, Some(w)) {
                Ok(v) => out[i] = Some(v),
                Err(e) => {
                    p.push((format!("{path}#{name}"), format!("field `{name}`: {e}")));
                    ok = false;
                }
            },
            Err(e) => {
                p.push((format!("{path}#{name}"), e));
                ok = false;
            }
        }
    }
    let missing: Vec<String> = c
        .fields
        .iter()
        .zip(&out)
        .filter(|(_, v)| v.is_none())
        .map(|((n, _), _)| n.clone())
        .collect();
    if ok && !missing.is_empty() {
        p.push((
            path.into(),
            format!(
                "record lacks {}; every field of `{}` needs a value",
                quoted(&missing),
                c.name
            ),
        ));
        ok = false;
    }
    if ok { out.into_iter().collect() } else { None }
}

fn instance(
    reg: &Registry,
    d: &InstanceDef,
    w: &World,
    path: &str,
    p: &mut Problems,
) -> Option<SysState> {
    let Some(kind) = reg.kind(&d.kind) else {
        let names: Vec<String> = reg.kinds.iter().map(|k| k.name.clone()).collect();
        let hint = crate::scenario::doc::did_you_mean(&d.kind, names.iter().map(String::as_str));
        p.push((
            format!("{path}.kind"),
            format!(
                "no system kind `{}`{hint} in the pack's systems/; expected one of: {}",
                d.kind,
                quoted(&names)
            ),
        ));
        return None;
    };
    let k = &reg.kinds[kind];
    let before = p.len();
    let mut attrs: Vec<Option<Value>> = vec![None; k.attrs.len()];
    for (name, lit) in &d.attributes {
        match find(&k.attrs, name, &format!("attribute of `{}`", k.name)) {
            Ok(i) => match lit_value(lit, &k.attrs[i].1, Some(w)) {
                Ok(v) => attrs[i] = Some(v),
                Err(e) => p.push((
                    format!("{path}.attributes#{name}"),
                    format!("attribute `{name}`: {e}"),
                )),
            },
            Err(e) => p.push((format!("{path}.attributes#{name}"), e)),
        }
    }
    let missing: Vec<String> = k
        .attrs
        .iter()
        .zip(&attrs)
        .filter(|(_, v)| v.is_none())
        .map(|((n, _), _)| n.clone())
        .collect();
    if p.len() == before && !missing.is_empty() {
        p.push((
            format!("{path}.attributes"),
            format!(
                "no value for {}; every attribute of `{}` needs one",
                quoted(&missing),
                k.name
            ),
        ));
    }
    let mut colls: Vec<Vec<Record>> = vec![vec![]; k.colls.len()];
    for (cname, recs) in &d.records {
        let Ok(ci) =
            find_coll(k, cname).map_err(|e| p.push((format!("{path}.records#{cname}"), e)))
        else {
            continue;
        };
        if recs.len() > MAX_RECORDS {
            p.push((
                format!("{path}.records#{cname}"),
                format!("{} records; at most {MAX_RECORDS}", recs.len()),
            ));
            continue;
        }
        for (j, r) in recs.iter().enumerate() {
            let rp = format!("{path}.records#{cname}[{j}]");
            if let Some(rec) = record(&k.colls[ci], r, w, &rp, p) {
                let key = &rec[k.colls[ci].key];
                if colls[ci].iter().any(|x| key_eq(&x[k.colls[ci].key], key)) {
                    p.push((
                        rp,
                        format!("duplicate key {key:?} in `{cname}`; keys must be unique"),
                    ));
                }
                colls[ci].push(rec);
            }
        }
    }
    if p.len() > before {
        return None;
    }
    Some(SysState {
        kind: kind as u16,
        name: d.name.clone(),
        attrs: attrs.into_iter().flatten().collect(),
        colls,
    })
}

fn key_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

/// Compiles the world's `systems` against the pack's registry into `w.custom`.
pub fn instantiate(w: &mut World, reg: &Arc<Registry>, p: &mut Problems) {
    let mut systems = vec![];
    if w.systems.len() > MAX_SYSTEMS {
        p.push((
            "world.systems".into(),
            format!("{} systems; at most {MAX_SYSTEMS}", w.systems.len()),
        ));
    }
    for (i, d) in w.systems.iter().enumerate() {
        let path = format!("world.systems[{i}]");
        if systems
            .iter()
            .any(|s: &SysState| s.name.eq_ignore_ascii_case(&d.name))
        {
            p.push((
                format!("{path}.name"),
                format!("duplicate system `{}`", d.name),
            ));
        }
        if d.name.is_empty() || d.name.chars().any(char::is_whitespace) {
            p.push((
                format!("{path}.name"),
                format!(
                    "found `{}`; expected a name without spaces (it is typed in the console)",
                    d.name
                ),
            ));
        }
        if let Some(s) = instance(reg, d, w, &path, p) {
            systems.push(s);
        }
    }
    w.custom = Custom {
        reg: reg.clone(),
        systems,
    };
}

/// Applies a variant's edit to an instance.
pub fn apply(w: &mut World, system: &str, e: &EditDef) -> Result<(), String> {
    let Some(si) = w.custom.system(system) else {
        let names: Vec<String> = w.custom.systems.iter().map(|s| s.name.clone()).collect();
        return Err(format!(
            "no system `{system}` in the world; expected one of: {}",
            quoted(&names)
        ));
    };
    let reg = w.custom.reg.clone();
    let k = &reg.kinds[w.custom.systems[si].kind as usize];
    let coll = |of: &str| find_coll(k, of);
    let snapshot = w.clone();
    let sys = &mut w.custom.systems[si];
    match e {
        EditDef::SetAttr(n, l) => {
            let i = find(&k.attrs, n, &format!("attribute of `{}`", k.name))?;
            sys.attrs[i] = lit_value(l, &k.attrs[i].1, Some(&snapshot))
                .map_err(|e| format!("attribute `{n}`: {e}"))?;
        }
        EditDef::SetField {
            of,
            key,
            field,
            value,
        } => {
            let c = coll(of)?;
            let r = sys
                .record(&reg, c, key)
                .ok_or_else(|| format!("`{system}` has no record `{key}` in `{of}`"))?;
            let col = &k.colls[c];
            let f = find(&col.fields, field, &format!("field of `{of}`"))?;
            if f == col.key {
                return Err(
                    "the key of a record cannot be changed; remove the record and add another"
                        .into(),
                );
            }
            sys.colls[c][r][f] = lit_value(value, &col.fields[f].1, Some(&snapshot))
                .map_err(|e| format!("field `{field}`: {e}"))?;
        }
        EditDef::AddRecord { of, record: fields } => {
            let c = coll(of)?;
            let mut p = vec![];
            let rec = record(&k.colls[c], fields, &snapshot, "", &mut p).ok_or_else(|| {
                p.iter()
                    .map(|(_, m)| m.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
            let kf = k.colls[c].key;
            if sys.colls[c].iter().any(|x| key_eq(&x[kf], &rec[kf])) {
                return Err(format!(
                    "`{of}` already has a record with key {:?}",
                    rec[kf]
                ));
            }
            sys.colls[c].push(rec);
        }
        EditDef::RemoveRecord { of, key } => {
            let c = coll(of)?;
            let r = sys
                .record(&reg, c, key)
                .ok_or_else(|| format!("`{system}` has no record `{key}` in `{of}`"))?;
            sys.colls[c].remove(r);
        }
    }
    Ok(())
}
