//! Author-declared policy: violations written by the pack (the organisation's rules) and
//! by a scenario, compiled into [`Rule`]s the session checks on every action.

use super::doc::Doc;
use super::format::{PackFile, ViolationDef};
use super::model::{Rule, Trigger};
use crate::ids::OptionId;
use crate::world::fixes::{FixCall, FixKind};
use crate::world::state::World;

/// Checks the pack's policy: every violation names a known fix command (packs cannot name
/// dialogue options, which belong to one scenario).
pub fn check_pack_policy(doc: &mut Doc, p: &PackFile) {
    for (i, v) in p.policy.violations.iter().enumerate() {
        let path = format!("policy.violations[{i}]");
        if v.option.is_some() {
            doc.error(
                &format!("{path}.option"),
                "a pack's policy cannot name a dialogue option (options belong to one scenario); expected `fix: \"COMMAND ARGS\"`",
            );
        }
        match &v.fix {
            Some(f) => {
                if let Err(e) = parse_pattern(f) {
                    doc.error(&format!("{path}.fix"), e);
                }
            }
            None if v.option.is_none() => doc.error(
                &path,
                "expected `fix: \"COMMAND ARGS\"` (use `*` for any argument)",
            ),
            None => {}
        }
        if v.reason.trim().is_empty() {
            doc.error(
                &format!("{path}.reason"),
                "empty; expected why this is forbidden (shown in the debrief)",
            );
        }
    }
}

/// Splits a fix pattern into its command and argument patterns.
fn parse_pattern(f: &str) -> Result<(FixKind, Vec<Option<String>>), String> {
    let mut words = f.split_whitespace();
    let Some(first) = words.next() else {
        return Err("empty fix pattern; expected e.g. `\"add_group * Domain-Admins\"`".into());
    };
    let kind = FixKind::from_command(first).ok_or_else(|| {
        format!("`{first}` is not a fix command; expected one of the fixes (e.g. `add_group`, `reset_password`)")
    })?;
    let args = words
        .map(|w| (w != "*").then(|| w.to_lowercase()))
        .collect::<Vec<_>>();
    let max = if matches!(kind, FixKind::Custom(_)) {
        8
    } else {
        2
    };
    if args.len() > max {
        return Err(format!(
            "too many arguments for `{first}`; usage: {}",
            kind.usage()
        ));
    }
    Ok((kind, args))
}

/// Compiles the pack's and the scenario's violations. Scenario errors are located in `doc`;
/// pack rules whose fix the scenario does not offer are skipped (they cannot happen).
pub fn compile_rules(
    doc: &mut Doc,
    pack: &[ViolationDef],
    own: &[ViolationDef],
    fixes: &[FixKind],
    options: &[String],
) -> Vec<Rule> {
    let mut rules = vec![];
    for v in pack {
        if let Some(Ok((kind, args))) = v.fix.as_deref().map(parse_pattern)
            && fixes.contains(&kind)
        {
            rules.push(rule(v, Trigger::Fix { kind, args }));
        }
    }
    for (i, v) in own.iter().enumerate() {
        let path = format!("violations[{i}]");
        if v.reason.trim().is_empty() {
            doc.error(
                &format!("{path}.reason"),
                "empty; expected why this is a violation (shown in the debrief)",
            );
        }
        match (&v.fix, &v.option) {
            (Some(f), None) => match parse_pattern(f) {
                Ok((kind, args)) => {
                    if !fixes.contains(&kind) {
                        doc.error(
                            &format!("{path}.fix"),
                            format!(
                                "`{}` is not in this scenario's `fixes`, so it can never happen",
                                kind.command()
                            ),
                        );
                    }
                    rules.push(rule(v, Trigger::Fix { kind, args }));
                }
                Err(e) => doc.error(&format!("{path}.fix"), e),
            },
            (None, Some(o)) => match options.iter().position(|x| x == o) {
                Some(i) => rules.push(rule(v, Trigger::Option(OptionId::from_index(i)))),
                None => {
                    let hint = super::doc::did_you_mean(o, options.iter().map(String::as_str));
                    doc.error(
                        &format!("{path}.option"),
                        format!("no dialogue option `{o}`{hint}"),
                    );
                }
            },
            _ => doc.error(
                &path,
                "expected exactly one of `fix: \"COMMAND ARGS\"` or `option: \"OPTION_ID\"`",
            ),
        }
    }
    rules
}

fn rule(v: &ViolationDef, trigger: Trigger) -> Rule {
    Rule {
        trigger,
        severity: v.severity,
        reason: v.reason.clone(),
        better: v.better.clone(),
    }
}

impl Trigger {
    /// Whether a fix call matches (its arguments as the console shows them).
    pub fn matches_fix(&self, call: &FixCall, w: &World) -> bool {
        let Trigger::Fix { kind, args } = self else {
            return false;
        };
        if *kind != call.kind() {
            return false;
        }
        let cmd = call.to_command(w).to_lowercase();
        let got: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        args.iter().enumerate().all(|(i, a)| match a {
            None => i < got.len(),
            Some(want) => got.get(i).is_some_and(|g| g == want),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_with_wildcards() {
        let (k, a) = parse_pattern("add_group * Domain-Admins").unwrap();
        assert_eq!(k, FixKind::AddGroup);
        assert_eq!(a, vec![None, Some("domain-admins".into())]);
        assert!(parse_pattern("frobnicate x").is_err());
        assert!(parse_pattern("").is_err());
        assert!(parse_pattern("add_group a b c").is_err());
    }
}
