//! Dialogue hygiene (issue 13): options that go stale or give the answer away.
//!
//! - `stale-promise`: an option promising an action ("I'll check your account",
//!   "restarting it") that stays on offer after that action was done — its `when` has no
//!   `Not(RanTool(..))` / `Not(Applied(..))` guard — or a teaching line that can be said
//!   again on a conversation loop without a `Not(Chose(..))` guard.
//! - `premature-cause`: an option shown only in one variant (`when: Variant(..)`) that can
//!   be offered before any evidence — no tool run, question asked, fix applied or world
//!   state — so the trainee is handed the cause instead of finding it.

use super::{Out, option_path};
use crate::ids::{NodeId, OptionId};
use crate::scenario::format::Tag;
use crate::scenario::model::Scenario;
use crate::world::condition::Cond;
use crate::world::fixes::FixKind;
use crate::world::tools::ToolKind;

/// What fulfils a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Tool(ToolKind),
    Fix(FixKind),
}

/// Promises and what fulfils them: phrases matched in lower case.
pub const PROMISES: &[(&[&str], Done)] = &[
    (
        &[
            "i'll check your account",
            "i'll look at your account",
            "i'll have a look at your account",
            "i'm going to look at your account",
            "i'm going to have a look at your account",
            "let me look at your account",
            "let me check your account",
        ],
        Done::Tool(ToolKind::Account),
    ),
    (
        &["i'll reset your password", "i'll reset it now"],
        Done::Fix(FixKind::ResetPassword),
    ),
    (
        &["i'll unlock your account", "i'll unlock it"],
        Done::Fix(FixKind::UnlockAccount),
    ),
    (
        &[
            "i'll restart your",
            "i'll restart yours",
            "i'll restart it",
            "i'm restarting it",
            "i'll reboot",
        ],
        Done::Fix(FixKind::Reboot),
    ),
    (
        &["i'll restart the service", "i'll restart the spooler"],
        Done::Fix(FixKind::RestartService),
    ),
    (
        &["i'll clear the queue", "i'm clearing the queue"],
        Done::Fix(FixKind::ClearQueue),
    ),
    (
        &["i'll repair", "i'm repairing"],
        Done::Fix(FixKind::RepairSoftware),
    ),
];

/// The promises an option's text makes that this scenario can fulfil.
pub fn promises(s: &Scenario, text: &str) -> Vec<Done> {
    let t = text.to_lowercase();
    PROMISES
        .iter()
        .filter(|(phrases, _)| phrases.iter().any(|p| t.contains(p)))
        .map(|(_, d)| *d)
        .filter(|d| match d {
            Done::Tool(k) => s.tools.contains(k),
            Done::Fix(k) => s.fixes.contains(k),
        })
        .collect()
}

/// Does the condition say "not done yet" for this action (a `Not(RanTool)`/`Not(Applied)`
/// that must hold)?
fn guards(c: &Cond, d: Done) -> bool {
    match c {
        Cond::All(v) => v.iter().any(|x| guards(x, d)),
        Cond::Any(v) => !v.is_empty() && v.iter().all(|x| guards(x, d)),
        Cond::Not(x) => {
            matches!(
                (x.as_ref(), d),
                (Cond::RanTool(a), Done::Tool(b)) if *a == b
            ) || matches!(
                (x.as_ref(), d),
                (Cond::Applied(a), Done::Fix(b)) if *a == b
            )
        }
        _ => false,
    }
}

/// Does the condition rule out saying this option twice?
fn once(c: &Cond, o: OptionId) -> bool {
    match c {
        Cond::All(v) => v.iter().any(|x| once(x, o)),
        Cond::Any(v) => !v.is_empty() && v.iter().all(|x| once(x, o)),
        Cond::Not(x) => matches!(x.as_ref(), Cond::Chose(y) if *y == o),
        _ => false,
    }
}

/// Can the condition only hold once something was found out or done?
pub fn needs_evidence(c: &Cond) -> bool {
    match c {
        Cond::All(v) => v.iter().any(needs_evidence),
        Cond::Any(v) => !v.is_empty() && v.iter().all(needs_evidence),
        // A world state that must not hold (a process gone, an account not locked) is
        // evidence too; "not yet asked/run/done" is not.
        Cond::Not(x) => !matches!(
            x.as_ref(),
            Cond::All(_)
                | Cond::Any(_)
                | Cond::Not(_)
                | Cond::Flag(_)
                | Cond::Variant(_)
                | Cond::Asked(_)
                | Cond::Chose(_)
                | Cond::RanTool(_)
                | Cond::Applied(_)
                | Cond::Escalated(_)
                | Cond::MoodAtLeast(_)
                | Cond::MinutesPassed(_)
        ),
        Cond::Variant(_)
        | Cond::Chose(_)
        | Cond::Escalated(_)
        | Cond::MoodAtLeast(_)
        | Cond::MinutesPassed(_) => false,
        // Tools, questions, fixes, flags the dialogue set and world states all stand for
        // something the trainee learnt or did.
        _ => true,
    }
}

/// Is `Variant(..)` required (not under a `Not`) by the condition?
fn names_variant(c: &Cond) -> bool {
    match c {
        Cond::All(v) => v.iter().any(names_variant),
        Cond::Any(v) => !v.is_empty() && v.iter().all(names_variant),
        Cond::Variant(_) => true,
        _ => false,
    }
}

/// The variants a condition requires.
fn variants_named(c: &Cond) -> Vec<crate::ids::VariantId> {
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().flat_map(variants_named).collect(),
        Cond::Variant(x) => vec![*x],
        _ => vec![],
    }
}

/// Nodes the conversation can reach before any evidence: through options and branches
/// whose conditions need none, and not past a customer line that differs by variant.
fn reachable_without_evidence(s: &Scenario) -> Vec<bool> {
    let mut seen = vec![false; s.nodes.len()];
    let mut stack = vec![s.start];
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut seen[n.index()], true) {
            continue;
        }
        // A customer line that differs by variant tells the trainee something: what
        // follows it comes after evidence.
        if !s.nodes[n.index()].variant_lines.is_empty() {
            continue;
        }
        for &o in &s.nodes[n.index()].options {
            let opt = s.option(o);
            if opt.when.as_ref().is_some_and(needs_evidence) {
                continue;
            }
            let mut next: Vec<NodeId> = opt.goto.into_iter().collect();
            next.extend(
                opt.branches
                    .iter()
                    .filter(|(c, _)| !needs_evidence(c))
                    .map(|(_, t)| *t),
            );
            stack.extend(next.into_iter().filter(|t| !seen[t.index()]));
        }
    }
    seen
}

/// Nodes on a loop of the conversation (reachable again from themselves).
fn on_loop(s: &Scenario) -> Vec<bool> {
    let next = |n: usize| -> Vec<usize> {
        s.nodes[n]
            .options
            .iter()
            .flat_map(|o| {
                let opt = s.option(*o);
                opt.goto
                    .iter()
                    .chain(opt.branches.iter().map(|(_, t)| t))
                    .map(|t| t.index())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    (0..s.nodes.len())
        .map(|n| {
            let mut seen = vec![false; s.nodes.len()];
            let mut stack = next(n);
            while let Some(m) = stack.pop() {
                if m == n {
                    return true;
                }
                if !std::mem::replace(&mut seen[m], true) {
                    stack.extend(next(m));
                }
            }
            false
        })
        .collect()
}

/// Does choosing the option lead the conversation back to the option's own node?
fn comes_back(s: &Scenario, o: OptionId, looped: &[bool]) -> bool {
    let opt = s.option(o);
    if !looped[opt.node.index()] {
        return false;
    }
    let mut seen = vec![false; s.nodes.len()];
    let mut stack: Vec<usize> = opt
        .goto
        .iter()
        .chain(opt.branches.iter().map(|(_, t)| t))
        .map(|t| t.index())
        .collect();
    while let Some(n) = stack.pop() {
        if n == opt.node.index() {
            return true;
        }
        if std::mem::replace(&mut seen[n], true) || s.nodes[n].end {
            continue;
        }
        for x in &s.nodes[n].options {
            let x = s.option(*x);
            stack.extend(
                x.goto
                    .iter()
                    .chain(x.branches.iter().map(|(_, t)| t))
                    .map(|t| t.index()),
            );
        }
    }
    false
}

fn describe(d: Done) -> String {
    match d {
        Done::Tool(k) => format!("`{}` has been run", k.command()),
        Done::Fix(k) => format!("`{}` has been applied", k.command()),
    }
}

fn guard(d: Done) -> String {
    match d {
        Done::Tool(k) => format!("Not(RanTool({k:?}))"),
        Done::Fix(k) => format!("Not(Applied({k:?}))"),
    }
}

/// Both rules on one scenario.
pub(super) fn hygiene_rules(s: &Scenario, out: &mut Out) {
    let early = reachable_without_evidence(s);
    let looped = on_loop(s);
    for (i, o) in s.options.iter().enumerate() {
        let id = OptionId::from_index(i);
        let path = option_path(s, id);
        for d in promises(s, &o.text) {
            if !o.when.as_ref().is_some_and(|c| guards(c, d)) {
                out.warn(
                    s,
                    "stale-promise",
                    &format!("{path}.text"),
                    format!(
                        "option `{}` promises what stays on offer after {}: \"{}\"",
                        o.key,
                        describe(d),
                        o.text
                    ),
                    format!("hide it once done: `when: {}`", guard(d)),
                );
            }
        }
        if o.tags.contains(&Tag::TeachUser)
            && comes_back(s, id, &looped)
            && !o.when.as_ref().is_some_and(|c| once(c, id))
        {
            out.warn(
                s,
                "stale-promise",
                &format!("{path}.text"),
                format!(
                    "teaching line `{}` can be said again when the conversation comes back to `{}`",
                    o.key,
                    s.node(o.node).key
                ),
                format!("say it once: `when: Not(Chose(\"{}\"))`", o.key),
            );
        }
        // The customer's own variant-specific line at this node is evidence too.
        let told = |w: &Cond| {
            let lines = &s.node(o.node).variant_lines;
            !lines.is_empty() && !variants_named(w).is_empty()
        };
        if let Some(w) = &o.when
            && names_variant(w)
            && !needs_evidence(w)
            && !told(w)
            && early[o.node.index()]
        {
            out.warn(
                s,
                "premature-cause",
                &format!("{path}.when"),
                format!(
                    "option `{}` is shown only in one variant and can be chosen before any evidence, so it gives the cause away",
                    o.key
                ),
                "require what shows the cause first (e.g. `All([Variant(..), RanTool(..)])`), or offer it in every variant among plausible wrong ones".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue13_needs_evidence_reads_conditions() {
        use crate::ids::*;
        let v = Cond::Variant(VariantId::from_index(0));
        let ran = Cond::RanTool(ToolKind::Account);
        assert!(!needs_evidence(&v));
        assert!(needs_evidence(&Cond::All(vec![v.clone(), ran.clone()])));
        assert!(!needs_evidence(&Cond::Any(vec![v.clone(), ran.clone()])));
        assert!(!needs_evidence(&Cond::Not(Box::new(ran.clone()))));
        let gone = Cond::ProcessRunning(DeviceId::from_index(0), "x".into());
        assert!(needs_evidence(&Cond::Not(Box::new(gone))));
        assert!(names_variant(&Cond::All(vec![v.clone(), ran])));
        assert!(!names_variant(&Cond::Not(Box::new(v))));
        let g = Cond::All(vec![Cond::Not(Box::new(Cond::RanTool(ToolKind::Account)))]);
        assert!(guards(&g, Done::Tool(ToolKind::Account)));
        assert!(!guards(&g, Done::Fix(FixKind::Reboot)));
    }
}
