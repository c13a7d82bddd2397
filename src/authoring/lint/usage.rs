//! Usage rules: tools, fixes and knowledge-base articles that serve no purpose.

use super::Out;
use crate::authoring::{base_world, tool_calls};
use crate::ids::VariantId;
use crate::scenario::format::RawAction;
use crate::scenario::load::Playtest;
use crate::scenario::model::Scenario;
use crate::scenario::reach;
use crate::world::condition::Cond;
use crate::world::fixes::{FixContext, FixKind};
use crate::world::tools::ToolKind;
use std::collections::HashSet;
use std::sync::Arc;

fn conds(s: &Scenario) -> Vec<&Cond> {
    let mut c: Vec<&Cond> = vec![];
    for o in &s.options {
        c.extend(o.when.iter());
        c.extend(o.branches.iter().map(|(x, _)| x));
    }
    for q in &s.questions {
        c.extend(q.when.iter());
    }
    for h in &s.hints {
        c.extend(h.when.iter());
    }
    for v in &s.variants {
        c.extend(v.escalation.after.iter());
        c.push(&v.resolution.condition);
    }
    c
}

fn mentions(c: &Cond, tool: Option<ToolKind>, fix: Option<FixKind>) -> bool {
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().any(|x| mentions(x, tool, fix)),
        Cond::Not(x) => mentions(x, tool, fix),
        Cond::RanTool(k) => Some(*k) == tool,
        Cond::Applied(k) => Some(*k) == fix,
        _ => false,
    }
}

pub(super) fn usage_rules(s: &Arc<Scenario>, tests: &[&Playtest], out: &mut Out) {
    let cs = conds(s);
    let raw = |p: &Playtest| -> Vec<RawAction> { p.actions.iter().map(|a| a.to_raw(s)).collect() };
    let first_word = |cmd: &str| cmd.split_whitespace().next().unwrap_or("").to_lowercase();
    // Tools.
    let expert_tools: HashSet<String> = tests
        .iter()
        .filter(|p| p.expert)
        .flat_map(|p| raw(p))
        .filter_map(|a| match a {
            RawAction::Run(c) => Some(first_word(&c)),
            _ => None,
        })
        .collect();
    let base = base_world(s);
    let all_calls = tool_calls(s, 8);
    for (i, k) in s.tools.iter().enumerate() {
        let in_diag = s.variants.iter().any(|v| v.diagnosis.contains(k));
        // A tool whose output differs between variants, or from the healthy world, shows
        // something about the fault: a fair part of a realistic console.
        let informative = all_calls.iter().filter(|c| c.kind() == *k).any(|c| {
            let outs: Vec<String> = s.variants.iter().map(|v| c.run(&v.world)).collect();
            outs.iter().any(|o| *o != outs[0]) || base.as_ref().is_some_and(|w| c.run(w) != outs[0])
        });
        if in_diag
            || informative
            || expert_tools.contains(k.command())
            || cs.iter().any(|c| mentions(c, Some(*k), None))
        {
            continue;
        }
        out.warn(
            s,
            "unused-tool",
            &format!("tools[{i}]"),
            format!(
                "tool `{}` is never run by an expert play-test, is not in `diagnosis`, no condition asks about it, and its output is the same in every variant as in the healthy world",
                k.command()
            ),
            "remove it, or make the fault visible in it (e.g. an event-log entry) and use it in the expert path".into(),
        );
    }
    // Fixes.
    let used_fixes: HashSet<String> = tests
        .iter()
        .flat_map(|p| raw(p))
        .filter_map(|a| match a {
            RawAction::Fix(c) => Some(first_word(&c)),
            _ => None,
        })
        .collect();
    let mut planned: HashSet<FixKind> = HashSet::new();
    for i in 0..s.variants.len() {
        if let reach::Reach::Yes(plan) = reach::resolvable(s, VariantId::from_index(i)) {
            planned.extend(plan.iter().map(|c| c.kind()));
        }
    }
    let ctx = FixContext {
        change_approved: true,
        password_seed: 0,
        customer: None,
    };
    for (i, k) in s.fixes.iter().enumerate() {
        // A fix that changes something somewhere is a plausible (if wrong) move.
        let does_something = s.variants.iter().any(|v| {
            reach::candidate_fixes(s, &v.world)
                .iter()
                .filter(|c| c.kind() == *k)
                .any(|c| c.apply(&mut v.world.clone(), &ctx).changed)
        });
        if does_something
            || used_fixes.contains(k.command())
            || planned.contains(k)
            || cs.iter().any(|c| mentions(c, None, Some(*k)))
        {
            continue;
        }
        out.warn(
            s,
            "unused-fix",
            &format!("fixes[{i}]"),
            format!(
                "fix `{}` changes nothing in any variant, and no play-test, condition or resolution uses it",
                k.command()
            ),
            "remove it, or give the world something it acts on".into(),
        );
    }
    // Knowledge base.
    let opened: HashSet<String> = tests
        .iter()
        .flat_map(|p| raw(p))
        .filter_map(|a| match a {
            RawAction::OpenKb(k) => Some(k),
            _ => None,
        })
        .collect();
    let mut text = format!("{} {}", s.title, s.summary);
    for n in &s.nodes {
        text.push(' ');
        text.push_str(&n.line);
    }
    for o in &s.options {
        text.push(' ');
        text.push_str(&o.text);
    }
    for q in &s.questions {
        text.push(' ');
        text.push_str(&q.text);
        text.push(' ');
        text.push_str(&q.answer);
    }
    for h in &s.hints {
        text.push(' ');
        text.push_str(&h.text);
    }
    let text = text.to_lowercase();
    let related = |a: &crate::scenario::kb::KbArticle| {
        let title_words = a
            .title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 5)
            .map(str::to_lowercase);
        a.tags
            .iter()
            .filter(|t| t.len() >= 3)
            .cloned()
            .chain(title_words)
            .any(|w| text.contains(&w))
    };
    for (i, k) in s.kb.iter().enumerate() {
        let a = s.pack.article(*k);
        if opened.contains(&a.id) || related(a) {
            continue;
        }
        out.warn(
            s,
            "unused-kb",
            &format!("kb[{i}]"),
            format!(
                "article `{}` is opened by no play-test and none of its tags or title words occur in the scenario",
                a.id
            ),
            "give the article tags and a title that match how a trainee would search for this problem, or remove it from `kb`".into(),
        );
    }
}
