//! `firstline lint`: scenario smells beyond validation. Every finding is a located
//! warning (`PATH:LINE:COL: warning: FIELD: MESSAGE [rule]`) with a suggestion.
//!
//! A finding can be silenced where it is intended with a comment on the same line as the
//! reported value or on the line above it: `// lint: allow(rule-id)`.

pub mod ambiguous;
pub mod gameable;
mod hygiene;
mod reachable;
mod shifts;
mod usage;

use super::{Locator, tool_calls};
use crate::ids::*;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::format::{Category, EscalationMode, Tag, Trait};
use crate::scenario::load::{Pack, Playtest};
use crate::scenario::model::Scenario;
use crate::session::Session;
use crate::world::condition::Cond;
use reachable::Reach;
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// Every rule, with what it looks for.
pub const RULES: [(&str, &str); 21] = [
    (
        "shift-untested",
        "a shift without an expert play-test expected to pass, or without one expected to fail",
    ),
    (
        "shift-no-expert-path",
        "a scenario scheduled in a shift that has no expert play-test",
    ),
    (
        "shift-overloaded",
        "a shift that schedules far more minutes of work than it lasts",
    ),
    (
        "never-chosen",
        "a dialogue option, question or node that can never be reached under its conditions",
    ),
    (
        "no-way-out",
        "a conversation node that is not an ending and from which no ending can be reached",
    ),
    (
        "duplicate-option",
        "an option with the same tags, effects, conditions and destination as a sibling",
    ),
    (
        "unreachable-max",
        "a scoring criterion no attempt can earn, so 100 is out of reach",
    ),
    (
        "unmentioned-fact",
        "a rubric fact the expert play-test's notes never state",
    ),
    (
        "unused-tool",
        "a tool no expert runs, not in `diagnosis`, asked about by no condition, whose output never shows the fault",
    ),
    (
        "unused-fix",
        "a fix no play-test uses, no condition asks about, no resolution needs and that changes nothing in any variant",
    ),
    (
        "unused-kb",
        "a listed article no play-test opens and that shares no title word or tag with the scenario",
    ),
    (
        "indistinguishable-variants",
        "two variants that every tool prints the same for, and that the conversation does not tell apart",
    ),
    (
        "escalation-policy",
        "an escalation policy that contradicts the pack's teams",
    ),
    ("uncovered-variant", "a variant no play-test plays"),
    (
        "gameable-skip-diagnosis",
        "an attempt that changes things before any check showed the fault still passes",
    ),
    (
        "gameable-skip-identity",
        "a variant that needs an identity-guarded fix can be passed without verifying identity",
    ),
    (
        "gameable-skip-escalation",
        "a variant whose escalation is required can be passed without escalating",
    ),
    (
        "ambiguous-phrasing",
        "a phrasing of a variant-specific fact that another variant's expert notes state (an honest note reads as a false claim)",
    ),
    (
        "stale-promise",
        "an option promising what stays on offer once it is done, or a teaching line said again on a loop",
    ),
    (
        "premature-cause",
        "a variant-only option offered before any evidence, which gives the cause away",
    ),
    (
        "unknown-rule",
        "a `lint: allow(...)` comment naming a rule that does not exist",
    ),
];

/// One smell.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    #[serde(flatten)]
    pub diag: Diagnostic,
    pub suggestion: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} [{}]\n    help: {}",
            self.diag, self.rule, self.suggestion
        )
    }
}

struct Out<'l> {
    loc: &'l mut Locator,
    findings: Vec<Finding>,
}

impl Out<'_> {
    fn warn(&mut self, s: &Scenario, rule: &'static str, field: &str, msg: String, help: String) {
        let diag = self.loc.warning(&s.source, field, msg);
        self.findings.push(Finding {
            rule,
            diag,
            suggestion: help,
        });
    }
}

/// Lints every scenario of a loaded pack.
pub fn lint_pack(pack: &Pack) -> Vec<Finding> {
    let mut f = lint_scenarios(pack, |_| true);
    f.extend(shifts::lint(pack));
    f
}

/// Lints the scenarios of a pack that pass a filter (e.g. one file).
pub fn lint_scenarios(pack: &Pack, keep: impl Fn(&Scenario) -> bool) -> Vec<Finding> {
    let mut loc = Locator::default();
    let mut out = Out {
        loc: &mut loc,
        findings: vec![],
    };
    for s in pack.scenarios.iter().filter(|s| keep(s)) {
        let tests: Vec<&Playtest> = pack
            .playtests
            .iter()
            .filter(|p| p.scenario.id == s.id)
            .collect();
        lint_scenario(s, Some(&tests), &mut out);
    }
    let mut findings = out.findings;
    suppress(&mut findings, &mut loc);
    findings
}

/// Lints one scenario without its pack's play-tests (rules that need them are skipped).
pub fn lint_alone(s: &Arc<Scenario>) -> Vec<Finding> {
    let mut loc = Locator::default();
    let mut out = Out {
        loc: &mut loc,
        findings: vec![],
    };
    lint_scenario(s, None, &mut out);
    let mut findings = out.findings;
    suppress(&mut findings, &mut loc);
    findings
}

/// Drops findings silenced by `lint: allow(rule)` on their line or the line above, and
/// reports allow comments naming unknown rules.
fn suppress(findings: &mut Vec<Finding>, loc: &mut Locator) {
    let mut extra = vec![];
    let mut checked: HashSet<std::path::PathBuf> = HashSet::new();
    findings.retain(|f| {
        let Some(src) = loc.source(&f.diag.path) else {
            return true;
        };
        if checked.insert(f.diag.path.clone()) {
            for (i, line) in src.lines().enumerate() {
                for rule in allowed(line) {
                    if !RULES.iter().any(|(r, _)| *r == rule) {
                        extra.push(Finding {
                            rule: "unknown-rule",
                            diag: Diagnostic::warning(
                                &f.diag.path,
                                i + 1,
                                line.find("lint:").map(|c| c + 1).unwrap_or(1),
                                format!("`lint: allow({rule})` names no lint rule"),
                            ),
                            suggestion: format!(
                                "use one of: {}",
                                RULES.iter().map(|(r, _)| *r).collect::<Vec<_>>().join(", ")
                            ),
                        });
                    }
                }
            }
        }
        let lines: Vec<&str> = src.lines().collect();
        let l = f.diag.line.max(1);
        let here = lines.get(l - 1).copied().unwrap_or("");
        let above = if l >= 2 { lines[l - 2] } else { "" };
        !(allowed(here).contains(&f.rule.to_string())
            || allowed(above).contains(&f.rule.to_string()))
    });
    findings.extend(extra);
}

/// Rule ids in `lint: allow(a, b)` comments on a line.
fn allowed(line: &str) -> Vec<String> {
    let Some(i) = line.find("//") else {
        return vec![];
    };
    let c = &line[i..];
    let Some(j) = c.find("lint: allow(").or_else(|| c.find("lint:allow(")) else {
        return vec![];
    };
    let rest = &c[j..];
    let Some(open) = rest.find('(') else {
        return vec![];
    };
    let Some(close) = rest.find(')') else {
        return vec![];
    };
    rest[open + 1..close]
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------------------

fn option_path(s: &Scenario, o: OptionId) -> String {
    let opt = s.option(o);
    let j = s
        .node(opt.node)
        .options
        .iter()
        .position(|x| *x == o)
        .unwrap_or(0);
    format!("dialogue.nodes[{}].options[{j}]", opt.node.index())
}

fn variant_list(s: &Scenario, vs: &[usize]) -> String {
    vs.iter()
        .map(|i| format!("`{}`", s.variants[*i].key))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The variant a play-test plays.
fn played_variant(p: &Playtest) -> VariantId {
    Session::new(&p.scenario, p.seed).variant()
}

fn lint_scenario(s: &Arc<Scenario>, tests: Option<&[&Playtest]>, out: &mut Out) {
    let reaches: Vec<Reach> = (0..s.variants.len())
        .map(|i| Reach::new(s, VariantId::from_index(i)))
        .collect();
    dialogue_rules(s, &reaches, out);
    hygiene::hygiene_rules(s, out);
    max_rules(s, &reaches, out);
    variant_rules(s, tests, out);
    escalation_rules(s, out);
    if let Some(tests) = tests {
        fact_rule(s, tests, out);
        usage::usage_rules(s, tests, out);
        ambiguous::ambiguous_rule(s, tests, out);
    }
    gameable::gameable_rules(s, tests, out);
}

fn dialogue_rules(s: &Scenario, reaches: &[Reach], out: &mut Out) {
    // Nodes never reached under their conditions (validation already rejects nodes that
    // no `goto` leads to at all).
    for (n, node) in s.nodes.iter().enumerate() {
        if !reaches.iter().any(|r| r.nodes[n]) {
            out.warn(
                s,
                "never-chosen",
                &format!("dialogue.nodes[{n}].id"),
                format!(
                    "node `{}` can never be reached: every option that leads here can never be chosen, or its branch condition can never hold",
                    node.key
                ),
                "check the `when` and `branches` conditions on the way here (a flag no option sets, a variant that does not exist on that path), or remove the node".into(),
            );
        }
    }
    // Options whose condition never holds (in a node that can be reached).
    for (i, o) in s.options.iter().enumerate() {
        let reached = reaches.iter().any(|r| r.nodes[o.node.index()]);
        if reached && !reaches.iter().any(|r| r.options[i]) {
            let path = option_path(s, OptionId::from_index(i));
            out.warn(
                s,
                "never-chosen",
                &format!("{path}.when"),
                format!(
                    "option `{}` can never be chosen: its `when` condition can never hold",
                    o.key
                ),
                "a flag in it may be set by no option, or the world state it asks for never occurs; fix the condition or remove the option".into(),
            );
        }
    }
    for (i, q) in s.questions.iter().enumerate() {
        if !reaches.iter().any(|r| r.questions[i]) {
            out.warn(
                s,
                "never-chosen",
                &format!("questions[{i}].when"),
                format!(
                    "question `{}` can never be asked: its `when` condition can never hold",
                    q.key
                ),
                "fix the condition or remove the question".into(),
            );
        }
    }
    // Nodes that lead nowhere.
    let ends: Vec<Vec<bool>> = reaches.iter().map(Reach::can_end).collect();
    for (n, node) in s.nodes.iter().enumerate() {
        if node.end {
            continue;
        }
        let stuck: Vec<usize> = (0..reaches.len())
            .filter(|v| reaches[*v].nodes[n] && !ends[*v][n])
            .collect();
        if !stuck.is_empty() {
            let which = if stuck.len() == reaches.len() {
                String::new()
            } else {
                format!(" in variant(s) {}", variant_list(s, &stuck))
            };
            out.warn(
                s,
                "no-way-out",
                &format!("dialogue.nodes[{n}].id"),
                format!(
                    "node `{}` is not an ending, but no ending can be reached from it{which}: its options stay here or loop back",
                    node.key
                ),
                "give one option a `goto` towards an ending (or mark the node `end: true`), so the call can close without the trainee hanging up".into(),
            );
        }
    }
    // Options identical to a sibling.
    for (n, node) in s.nodes.iter().enumerate() {
        for (j, &o) in node.options.iter().enumerate() {
            let a = s.option(o);
            let sig = |x: &crate::scenario::model::DialogueOption| {
                let tags: BTreeSet<String> = x.tags.iter().map(|t| format!("{t:?}")).collect();
                format!(
                    "{tags:?}|{:?}|{:?}|{:?}|{:?}",
                    x.effects, x.goto, x.branches, x.when
                )
            };
            if let Some(first) = node.options[..j]
                .iter()
                .find(|p| sig(s.option(**p)) == sig(a))
            {
                out.warn(
                    s,
                    "duplicate-option",
                    &format!("dialogue.nodes[{n}].options[{j}].id"),
                    format!(
                        "option `{}` has the same tags, effects, conditions and destination as `{}`: whichever the trainee picks, the same thing happens",
                        a.key,
                        s.option(*first).key
                    ),
                    "make the choice matter (different tags, effects or destination) or merge the two options".into(),
                );
            }
        }
    }
}

fn max_rules(s: &Scenario, reaches: &[Reach], out: &mut Out) {
    let mut tags = BTreeSet::new();
    for r in reaches {
        tags.extend(r.tags());
    }
    let any_question = reaches.iter().any(|r| r.questions.iter().any(|q| *q));
    let c = &s.customer;
    let upset = c.mood < 50 || c.has(Trait::Anxious) || c.has(Trait::Angry) || c.has(Trait::Vip);
    let mut missing: Vec<(String, &str, u32, String)> = vec![];
    let need = |t: Tag| !tags.contains(&t);
    if upset && need(Tag::AcknowledgeFeelings) {
        missing.push((
            "dialogue".into(),
            "Acknowledged feelings",
            15,
            "the customer starts upset, but no option or question is tagged `AcknowledgeFeelings`"
                .into(),
        ));
    }
    if need(Tag::TakeOwnership) || need(Tag::SetExpectations) {
        let which: Vec<&str> = [Tag::TakeOwnership, Tag::SetExpectations]
            .iter()
            .filter(|t| need(**t))
            .map(|t| {
                if *t == Tag::TakeOwnership {
                    "TakeOwnership"
                } else {
                    "SetExpectations"
                }
            })
            .collect();
        missing.push((
            "dialogue".into(),
            "Ownership and expectations",
            10,
            format!("no option or question is tagged `{}`", which.join("` or `")),
        ));
    }
    if need(Tag::OpenQuestion) && need(Tag::ClosedQuestion) && !any_question {
        missing.push((
            "dialogue".into(),
            "Probing questions before acting",
            10,
            "no question can be asked and no option is tagged `OpenQuestion` or `ClosedQuestion`"
                .into(),
        ));
    }
    if s.teaching && need(Tag::TeachUser) {
        missing.push((
            "teaching".into(),
            "Taught the user to help themselves",
            10,
            "`teaching: true`, but no option or question is tagged `TeachUser`".into(),
        ));
    }
    if need(Tag::ConfirmResolution) {
        missing.push((
            "dialogue".into(),
            "Confirmed the outcome with the customer",
            10,
            "no option or question is tagged `ConfirmResolution`".into(),
        ));
    }
    if need(Tag::PoliteClose) {
        missing.push((
            "dialogue".into(),
            "Courteous close",
            5,
            "no option is tagged `PoliteClose`".into(),
        ));
    }
    for (field, title, pts, why) in missing {
        out.warn(
            s,
            "unreachable-max",
            &field,
            format!("the {pts}-point criterion \"{title}\" can never be earned: {why}, so no attempt can score 100"),
            "tag the option that does this with the missing tag (and make sure it can be chosen)".into(),
        );
    }
    // Resolution conditions that can never hold.
    for (i, v) in s.variants.iter().enumerate() {
        let r = &reaches[i];
        if r.can_be(&v.resolution.condition, true) {
            continue;
        }
        let mut flags = vec![];
        collect_flags(&v.resolution.condition, true, &mut flags);
        let dead: Vec<String> = flags
            .iter()
            .filter(|f| !r.flags[f.index()])
            .map(|f| format!("`{}`", s.flags[f.index()]))
            .collect();
        let field = if out.loc.has(&s.source, &format!("variants[{i}].resolution")) {
            format!("variants[{i}].resolution.condition")
        } else {
            "resolution.condition".to_string()
        };
        let why = if dead.is_empty() {
            "its conditions can never hold together".to_string()
        } else {
            format!("no option that can be chosen sets {}", dead.join(", "))
        };
        out.warn(
            s,
            "unreachable-max",
            &field,
            format!(
                "variant `{}` can never be resolved in play: {why} (the validator assumes any option that sets a flag can be chosen)",
                v.key
            ),
            "make the option that sets the flag reachable in this variant, or change the condition".into(),
        );
    }
}

fn collect_flags(c: &Cond, positive: bool, out: &mut Vec<FlagId>) {
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|x| collect_flags(x, positive, out)),
        Cond::Not(x) => collect_flags(x, !positive, out),
        Cond::Flag(f) if positive => out.push(*f),
        _ => {}
    }
}

fn variant_rules(s: &Scenario, tests: Option<&[&Playtest]>, out: &mut Out) {
    // Variants the tools cannot tell apart.
    if s.variants.len() > 1 {
        let calls = tool_calls(s, 8);
        let outputs: Vec<Vec<String>> = s
            .variants
            .iter()
            .map(|v| calls.iter().map(|c| c.run(&v.world)).collect())
            .collect();
        let mut reported = vec![false; s.variants.len()];
        for j in 1..s.variants.len() {
            if let Some(i) = (0..j).find(|i| {
                outputs[*i] == outputs[j]
                    && !told_apart(s, VariantId::from_index(*i), VariantId::from_index(j))
            }) {
                if reported[j] || calls.is_empty() {
                    continue;
                }
                reported[j] = true;
                out.warn(
                    s,
                    "indistinguishable-variants",
                    &format!("variants[{j}].id"),
                    format!(
                        "variants `{}` and `{}` look the same to every tool ({}): the trainee cannot tell the causes apart by diagnosis",
                        s.variants[i].key,
                        s.variants[j].key,
                        s.tools.iter().map(|t| t.command()).collect::<Vec<_>>().join(", ")
                    ),
                    "make the fault visible to a tool the scenario lists (an event-log entry, a status, a setting), or add the tool that shows it".into(),
                );
            }
        }
    }
    // Variants no play-test plays.
    if let Some(tests) = tests {
        let played: HashSet<VariantId> = tests.iter().map(|p| played_variant(p)).collect();
        for (i, v) in s.variants.iter().enumerate() {
            if !played.contains(&VariantId::from_index(i)) {
                out.warn(
                    s,
                    "uncovered-variant",
                    &format!("variants[{i}].id"),
                    format!("no play-test plays variant `{}`", v.key),
                    format!(
                        "add a play-test in playtests/ whose seed picks `{}` (check with `expect: (variant: \"{}\")`), ideally an expert path",
                        v.key, v.key
                    ),
                );
            }
        }
    }
}

/// Does the conversation tell two variants apart (different customer lines or answers,
/// or a condition that names one of them)?
fn told_apart(s: &Scenario, a: VariantId, b: VariantId) -> bool {
    if s.nodes.iter().any(|n| n.line_for(a) != n.line_for(b))
        || s.questions
            .iter()
            .any(|q| q.answer_for(a) != q.answer_for(b))
    {
        return true;
    }
    fn names(c: &Cond, a: VariantId, b: VariantId) -> bool {
        match c {
            Cond::All(v) | Cond::Any(v) => v.iter().any(|x| names(x, a, b)),
            Cond::Not(x) => names(x, a, b),
            Cond::Variant(x) => *x == a || *x == b,
            _ => false,
        }
    }
    s.options.iter().any(|o| {
        o.when
            .iter()
            .chain(o.branches.iter().map(|(c, _)| c))
            .any(|c| names(c, a, b))
    })
}

/// Words that say what a team handles, per ticket category.
fn category_words(c: Category) -> &'static [&'static str] {
    match c {
        Category::Account | Category::Access => &[
            "account", "identity", "access", "password", "mfa", "group", "licen", "sign",
        ],
        Category::Network => &[
            "network", "dns", "dhcp", "wi-fi", "wifi", "vpn", "switch", "outage", "site",
            "internet", "router",
        ],
        Category::Hardware => &[
            "hardware", "laptop", "desktop", "repair", "replace", "device", "field", "disk",
            "monitor",
        ],
        Category::Software => &[
            "software",
            "application",
            "app",
            "packag",
            "desktop",
            "install",
        ],
        Category::Email => &["email", "mail", "exchange", "identity", "account"],
        Category::Printing => &["print"],
        Category::Security => &[
            "security",
            "phishing",
            "malware",
            "incident",
            "suspicious",
            "threat",
        ],
        Category::Other => &[],
    }
}

fn escalation_rules(s: &Scenario, out: &mut Out) {
    let mut policies: Vec<(String, usize)> = vec![("escalation".into(), 0)];
    for i in 0..s.variants.len() {
        if out.loc.has(&s.source, &format!("variants[{i}].escalation")) {
            policies.push((format!("variants[{i}].escalation"), i));
        }
    }
    for (field, vi) in policies {
        let v = &s.variants[vi];
        let e = &v.escalation;
        let category = v.ticket.category;
        if e.mode == EscalationMode::Never {
            if category == Category::Security {
                out.warn(
                    s,
                    "escalation-policy",
                    &format!("{field}.mode"),
                    "the expected ticket is a Security incident, but the policy says never escalate".into(),
                    "security incidents go to the security team: use `mode: Required` with it, or correct the ticket category".into(),
                );
            }
            continue;
        }
        for (k, t) in e.teams.iter().enumerate() {
            let team = s.pack.team(*t);
            let tf = format!("{field}.teams[{k}]");
            if team.tier <= 1 {
                out.warn(
                    s,
                    "escalation-policy",
                    &tf,
                    format!(
                        "`{}` ({}) is a tier-{} team — the first line itself — so escalating to it hands the ticket to no one",
                        team.id, team.name, team.tier
                    ),
                    "name the tier-2 or tier-3 team that owns this kind of problem".into(),
                );
                continue;
            }
            let words = category_words(category);
            let handles = format!("{} {}", team.handles, team.name).to_lowercase();
            if !team.handles.trim().is_empty()
                && !words.is_empty()
                && e.mode == EscalationMode::Required
                && !words.iter().any(|w| handles.contains(w))
            {
                out.warn(
                    s,
                    "escalation-policy",
                    &tf,
                    format!(
                        "the policy requires `{}` for a {category:?} ticket, but pack.ron says it handles \"{}\"",
                        team.id, team.handles
                    ),
                    format!(
                        "send it to the team whose `handles` covers {category:?} work, fix the expected ticket category, or update the team's `handles` in pack.ron"
                    ),
                );
            }
        }
    }
}

fn fact_rule(s: &Scenario, tests: &[&Playtest], out: &mut Out) {
    let experts: Vec<&&Playtest> = tests.iter().filter(|p| p.expert).collect();
    if experts.is_empty() {
        return;
    }
    let all: Vec<&crate::scenario::model::Fact> = s.rubric.facts.iter().collect();
    for (i, f) in s.rubric.facts.iter().enumerate() {
        let mut missed = vec![];
        for p in &experts {
            let v = played_variant(p);
            if !f.applies(v) {
                continue;
            }
            let run = crate::playtest::run(&p.scenario, p.seed, &p.actions);
            let notes = &run.session.ticket().notes;
            if crate::scoring::notes::facts_covered_with(notes, &[f], &all).is_empty() {
                missed.push(format!("`{}` (variant `{}`)", p.name, s.variant(v).key));
            }
        }
        if !missed.is_empty() {
            out.warn(
                s,
                "unmentioned-fact",
                &format!("rubric.facts[{i}]"),
                format!(
                    "fact `{}` ({}) is never stated in the notes of the expert play-test {}",
                    f.key,
                    f.label,
                    missed.join(", ")
                ),
                "add a phrasing that matches how the expert wrote it, or complete the expert's notes — the expert path should earn every fact".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_comments_parse() {
        assert_eq!(
            allowed("  (id: \"x\", // lint: allow(unused-fix, no-way-out)"),
            vec!["unused-fix".to_string(), "no-way-out".to_string()]
        );
        assert!(allowed("no comment here").is_empty());
    }
}
