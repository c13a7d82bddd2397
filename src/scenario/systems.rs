//! Loading and validating a pack's custom systems (`systems/*.ron`), and compiling the
//! parts of a scenario that use them: world instances, conditions, tool and fix lists.
//! Every problem is reported with its file, line and column.

use super::diagnostic::Diagnostic;
use super::doc::Doc;
use super::format::ScenarioFile;
use super::model::PackMeta;
use super::ron_tree::{RonKind, RonNode};
use crate::world::condition::Cond;
use crate::world::custom::check::{self, Problems, Scope};
use crate::world::custom::def::{CheckDef, SystemFile};
use crate::world::custom::{Coll, Kind, Registry, Ty, edit, fix, tool};
use crate::world::fixes::FixKind;
use crate::world::state::World;
use crate::world::tools::ToolKind;
use std::path::Path;
use std::sync::Arc;

/// Most system files in a pack.
pub const MAX_SYSTEM_FILES: usize = 64;

/// Finds the byte offset of a problem path; `#key` steps into a map by key.
fn locate(doc: &Doc, path: &str) -> usize {
    let mut parts = path.split('#');
    let base = parts.next().unwrap_or("");
    let mut node: &RonNode = doc.tree.deepest(&super::doc::parse_path(base));
    for part in parts {
        let key_end = part.find(['[', '.']).unwrap_or(part.len());
        let (key, rest) = part.split_at(key_end);
        let RonKind::Map(entries) = &node.kind else {
            break;
        };
        match entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, RonKind::Str(s) if s == key))
        {
            Some((_, v)) => {
                node = v;
                if !rest.is_empty() {
                    node = node.deepest(&super::doc::parse_path(rest.trim_start_matches('.')));
                }
            }
            None => break,
        }
    }
    node.span.start
}

/// Reports problems in a document.
pub fn report(doc: &mut Doc, problems: Problems) {
    for (path, msg) in problems {
        let off = locate(doc, &path);
        let field = path.replace('#', ".");
        doc.error_at(off, &field, msg);
    }
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Checks one kind's shape; returns it compiled.
fn kind(doc: &mut Doc, f: &SystemFile) -> Option<Kind> {
    let mut p: Problems = vec![];
    if !valid_name(&f.kind) {
        p.push((
            "kind".into(),
            format!(
                "found `{}`; expected a kind name of lower-case letters, digits, `-` or `_`",
                f.kind
            ),
        ));
    }
    let mut colls = vec![];
    for (name, c) in &f.collections {
        let fields: Vec<(String, Ty)> = c
            .fields
            .iter()
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect();
        match fields.iter().position(|(n, _)| *n == c.key) {
            Some(k) if fields[k].1 == Ty::Text => colls.push(Coll { name: name.clone(), fields, key: k }),
            Some(_) => p.push((format!("collections#{name}.key"), format!("key field `{}` must be `Text` (it is typed in the console)", c.key))),
            None => p.push((
                format!("collections#{name}.key"),
                format!("no field `{}` in `{name}`; expected the field that names a record (one of: {})", c.key, crate::world::custom::quoted(&fields.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>())),
            )),
        }
    }
    for (n, t) in f
        .attributes
        .iter()
        .chain(f.collections.values().flat_map(|c| c.fields.iter()))
    {
        if let Ty::Enum(v) = t
            && v.is_empty()
        {
            p.push((
                "attributes".into(),
                format!("`{n}` is an `Enum` with no values; expected the words it may take"),
            ));
        }
    }
    let ok = p.is_empty();
    report(doc, p);
    ok.then(|| Kind {
        name: f.kind.clone(),
        title: f.title.clone(),
        attrs: f
            .attributes
            .iter()
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect(),
        colls,
    })
}

/// Loads `systems/*.ron` into the pack's registry; every problem goes to `diags`.
pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Arc<Registry> {
    let mut reg = Registry::default();
    let files = super::load::list_dir(&root.join("systems"), "ron");
    if files.len() > MAX_SYSTEM_FILES {
        diags.push(Diagnostic::error(
            &root.join("systems"),
            0,
            0,
            format!(
                "{} system files; a pack may hold at most {MAX_SYSTEM_FILES}",
                files.len()
            ),
        ));
        return Arc::new(reg);
    }
    for path in &files {
        let bytes = match super::files::read_in_pack(root, path, "system") {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        diags.append(&mut load_bytes(path, &bytes, &mut reg));
    }
    Arc::new(reg)
}

/// Reads one system file's bytes into the registry; returns its problems.
pub fn load_bytes(path: &Path, bytes: &[u8], reg: &mut Registry) -> Vec<Diagnostic> {
    let mut doc = match Doc::open(path, bytes, "system") {
        Ok(d) => d,
        Err(d) => return vec![d],
    };
    let tree = doc.tree.clone();
    if let Some(f) = doc.de::<SystemFile>(&tree, "") {
        add_file(&mut doc, reg, &f);
    }
    doc.diags
}

/// Adds one system file to the registry (its kind, tools and fixes), reporting problems.
pub fn add_file(doc: &mut Doc, reg: &mut Registry, f: &SystemFile) {
    if reg.kind(&f.kind).is_some() {
        doc.error(
            "kind",
            format!("system kind `{}` is defined twice in this pack", f.kind),
        );
        return;
    }
    let Some(k) = kind(doc, f) else {
        return;
    };
    reg.kinds.push(k);
    let ki = reg.kinds.len() - 1;
    let taken = |reg: &Registry, c: &str| {
        ToolKind::ALL.iter().any(|k| k.command() == c)
            || FixKind::ALL.iter().any(|k| k.command() == c)
            || reg.tools.iter().any(|t| t.command.as_str() == c)
            || reg.fixes.iter().any(|t| t.command.as_str() == c)
    };
    let mut p: Problems = vec![];
    for (i, t) in f.tools.iter().enumerate() {
        if taken(reg, t.command.as_str()) {
            p.push((format!("tools[{i}].command"), format!("`{}` is already a command (built in or defined by another system); expected a new name", t.command.as_str())));
            continue;
        }
        if let Some(d) = tool::compile(t, reg, ki, &format!("tools[{i}]"), &mut p) {
            reg.tools.push(d);
        }
    }
    for (i, x) in f.fixes.iter().enumerate() {
        if taken(reg, x.command.as_str()) {
            p.push((format!("fixes[{i}].command"), format!("`{}` is already a command (built in or defined by another system); expected a new name", x.command.as_str())));
            continue;
        }
        if let Some(d) = fix::compile(x, reg, ki, &format!("fixes[{i}]"), &mut p) {
            reg.fixes.push(d);
        }
    }
    report(doc, p);
}

/// Compiles the world's instances (before the rest of the scenario is compiled).
pub fn instantiate(f: &mut ScenarioFile, doc: &mut Doc, pack: &PackMeta) {
    if f.world.systems.is_empty() && pack.systems.kinds.is_empty() {
        return;
    }
    let mut p = vec![];
    edit::instantiate(&mut f.world, &pack.systems, &mut p);
    report(doc, p);
    // Custom tools and fixes the scenario offers must be the pack's.
    let reg = pack.systems.clone();
    for (i, k) in f.tools.iter().enumerate() {
        if let ToolKind::Custom(s) = k
            && reg.tool(*s).is_none()
        {
            doc.error(
                &format!("tools[{i}]"),
                format!(
                    "no custom tool `{}` in the pack's systems/; expected one of: {}",
                    s.as_str(),
                    names(reg.tools.iter().map(|t| t.command.as_str()))
                ),
            );
        }
    }
    for (i, k) in f.fixes.iter().enumerate() {
        if let FixKind::Custom(s) = k
            && reg.fix(*s).is_none()
        {
            doc.error(
                &format!("fixes[{i}]"),
                format!(
                    "no custom fix `{}` in the pack's systems/; expected one of: {}",
                    s.as_str(),
                    names(reg.fixes.iter().map(|t| t.command.as_str()))
                ),
            );
        }
    }
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none are defined".into()
    } else {
        v.join(", ")
    }
}

/// Compiles `System("NAME", CHECK)`.
pub fn cond(doc: &mut Doc, w: &World, name: &str, c: &CheckDef, path: &str) -> Option<Cond> {
    let Some(i) = w.custom.system(name) else {
        let list: Vec<String> = w.custom.systems.iter().map(|s| s.name.clone()).collect();
        doc.error(
            &format!("{path}[0]"),
            format!(
                "no system `{name}` in the world; expected one of: {}",
                names(list.iter().map(String::as_str))
            ),
        );
        return None;
    };
    let reg = w.custom.reg.clone();
    let k = &reg.kinds[w.custom.systems[i].kind as usize];
    let mut p = vec![];
    let sc = Scope {
        world: Some(w),
        kind: k,
        coll: None,
        args: &[],
    };
    let c = check::compile(c, &sc, &format!("{path}[1]"), &mut p);
    report(doc, p);
    Some(Cond::System(u16::try_from(i).ok()?, c?))
}

#[cfg(test)]
mod tests {
    //! Issue 11: custom tools and fixes get the built-ins' treatment (observed output, fix
    //! classes, policy, harm) on the bundled pack's custom-system scenarios.
    use crate::scenario::format::RawAction;
    use crate::scenario::load::{Pack, load_pack};
    use crate::session::Session;
    use crate::session::action::Action;
    use crate::session::event::{ChangeClass, EventKind};
    use crate::world::fixes::FixKind;
    use crate::world::tools::ToolKind;
    use std::path::Path;
    use std::sync::OnceLock;

    fn pack() -> &'static Pack {
        static P: OnceLock<Pack> = OnceLock::new();
        P.get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
            load_pack(&dir).unwrap().0.expect("the bundled pack loads")
        })
    }

    /// Plays `actions` on a scenario and returns the last action's events.
    fn play(id: &str, seed: u64, actions: &[RawAction]) -> Vec<EventKind> {
        let s = pack().scenario(id).expect("scenario").clone();
        let mut sess = Session::new(&s, seed);
        let mut last = vec![];
        for a in actions {
            let act = Action::resolve(a, &s).unwrap_or_else(|e| panic!("{a:?}: {e:?}"));
            last = sess.apply(act).unwrap_or_else(|e| panic!("{a:?}: {e:?}"));
        }
        last.into_iter().map(|e| e.kind).collect()
    }

    fn run(s: &str) -> RawAction {
        RawAction::Run(s.into())
    }
    fn fix(s: &str) -> RawAction {
        RawAction::Fix(s.into())
    }
    fn say(s: &str) -> RawAction {
        RawAction::Say(s.into())
    }

    fn class(ev: &[EventKind]) -> ChangeClass {
        ev.iter()
            .find_map(|e| match e {
                EventKind::FixApplied { class, .. } => Some(*class),
                _ => None,
            })
            .expect("a FixApplied event")
    }

    #[test]
    fn issue11_a_custom_fix_word_is_not_a_tool_and_vice_versa() {
        let w = &pack().scenario("licence-pool").unwrap().healthy;
        assert_eq!(ToolKind::from_command_in("lic_release", w), None);
        assert!(matches!(
            FixKind::from_command_in("lic_release", w),
            Some(FixKind::Custom(_))
        ));
        assert!(matches!(
            ToolKind::from_command_in("lic_pool", w),
            Some(ToolKind::Custom(_))
        ));
        assert_eq!(FixKind::from_command_in("lic_pool", w), None);
    }

    #[test]
    fn issue11_custom_tool_observes_the_fault_only_where_it_shows() {
        let seen = |ev: &[EventKind]| {
            ev.iter()
                .any(|e| matches!(e, EventKind::ToolRan { observed: true, .. }))
        };
        // The pool's output differs from the healthy pool's: observed.
        assert!(seen(&play("licence-pool", 1, &[run("lic_pool")])));
        // An in-use seat looks the same as in the healthy world: not observed.
        assert!(!seen(&play("licence-pool", 1, &[run("lic_seat S01")])));
    }

    #[test]
    fn issue11_custom_fix_classes_needed_harmful_and_refused() {
        assert_eq!(
            class(&play("licence-pool", 1, &[fix("lic_release S09")])),
            ChangeClass::Needed
        );
        let ev = play("licence-pool", 1, &[fix("lic_release S04")]);
        assert_eq!(class(&ev), ChangeClass::Harmful);
        assert!(
            ev.iter()
                .any(|e| matches!(e, EventKind::Harm { detail } if detail.contains("mpatel")))
        );
        // Approval per subject: refused until the promotion request is recorded.
        let grant = fix("erp_grant_role pnovak payment_approver");
        assert_eq!(
            class(&play(
                "finance-approver-role",
                1,
                std::slice::from_ref(&grant)
            )),
            ChangeClass::Refused
        );
        let approved = [
            say("greet_ack"),
            say("ask_open"),
            say("thanks"),
            say("ask_approval"),
            say("check_request"),
            grant,
        ];
        assert_eq!(
            class(&play("finance-approver-role", 1, &approved)),
            ChangeClass::Needed
        );
        // A precondition (segregation of duties) refuses with its reason.
        let mut sod = approved.to_vec();
        sod.pop();
        sod.push(fix("erp_grant_role pnovak payment_approver"));
        let ev = play("finance-approver-role", 2, &sod);
        assert_eq!(class(&ev), ChangeClass::Refused);
        assert!(ev.iter().any(|e| matches!(e, EventKind::FixApplied { message, .. } if message.contains("segregation of duties"))));
    }

    #[test]
    fn issue11_unknown_record_is_a_rejected_fix_and_a_plain_tool_answer() {
        let s = pack().scenario("licence-pool").unwrap().clone();
        assert!(Action::resolve(&fix("lic_release S99"), &s).is_err());
        let ev = play("licence-pool", 1, &[run("lic_seat S99")]);
        assert!(ev.iter().any(
            |e| matches!(e, EventKind::ToolRan { output, .. } if output.contains("no record `S99`"))
        ));
    }
}
