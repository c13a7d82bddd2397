//! `gameable-skip-diagnosis`, `gameable-skip-identity`, `gameable-skip-escalation`: an
//! attempt that skips a step the scenario exists to teach still passes. Found by
//! `explore`'s pruned best-first search over the real session (see
//! [`crate::authoring::explore::gameable_paths`]), with a small budget per search and
//! stopping at the first passing attempt, so `lint` stays fast enough for CI.

use super::{Out, played_variant};
use crate::authoring::explore::{self, GameableOptions, GameablePath, Quiet, Skip};
use crate::ids::VariantId;
use crate::scenario::load::Playtest;
use crate::scenario::model::Scenario;
use std::sync::Arc;

/// States per search (per variant and skippable step) when linting.
pub const LINT_BUDGET: usize = 250;
/// Longest attempt tried when linting.
pub const LINT_MAX_DEPTH: usize = 30;

/// The rule id for a skipped step.
pub fn rule(skip: Skip) -> &'static str {
    match skip {
        Skip::Diagnosis => "gameable-skip-diagnosis",
        Skip::Identity => "gameable-skip-identity",
        Skip::Escalation => "gameable-skip-escalation",
    }
}

pub(super) fn gameable_rules(s: &Arc<Scenario>, tests: Option<&[&Playtest]>, out: &mut Out) {
    let opts = GameableOptions {
        seed: 1,
        max_depth: LINT_MAX_DEPTH,
        budget: LINT_BUDGET,
        stop_on_pass: true,
    };
    let seeds = explore::variant_seeds(s, opts.seed);
    for (i, v) in s.variants.iter().enumerate() {
        let vid = VariantId::from_index(i);
        let experts: Vec<&&Playtest> = tests
            .unwrap_or(&[])
            .iter()
            .filter(|p| p.expert && played_variant(p) == vid)
            .collect();
        for skip in Skip::ALL.into_iter().filter(|k| k.applies(v)) {
            // The authors' own expert path, rewritten to skip the step, first; then a
            // search.
            let rewritten = experts.iter().find_map(|p| {
                explore::rewrite_skipping(s, p.seed, &p.actions, skip).filter(|x| x.passed)
            });
            let g = match rewritten {
                Some(path) => GameablePath {
                    skip,
                    path: Some(path),
                    states: 0,
                    exhausted: false,
                },
                None => match seeds[i] {
                    Some(seed) => explore::search_skip(s, vid, seed, skip, &opts, &Quiet),
                    None => continue,
                },
            };
            if g.passes() {
                let (field, msg, help) = finding(s, i, &g, &mut |f| out.loc.has(&s.source, f));
                out.warn(s, rule(skip), &field, msg, help);
            }
        }
    }
}

/// Where a passing skipping attempt is reported, what is said and what to change.
/// `has` tells whether a field path exists in the file (a variant's own policy or
/// resolution, or the scenario's shared one).
pub fn finding(
    s: &Scenario,
    vi: usize,
    g: &GameablePath,
    has: &mut dyn FnMut(&str) -> bool,
) -> (String, String, String) {
    let v = &s.variants[vi];
    let Some(p) = &g.path else {
        return (format!("variants[{vi}].id"), String::new(), String::new());
    };
    let own = |has: &mut dyn FnMut(&str) -> bool, part: &str, leaf: &str| {
        if has(&format!("variants[{vi}].{part}")) {
            format!("variants[{vi}].{part}.{leaf}")
        } else {
            format!("{part}.{leaf}")
        }
    };
    let path = p.lines().join(", ");
    let scored = format!(
        "scores {} (pass mark {}) and passes, e.g. with seed {}: {path}",
        p.overall, s.pass_mark, p.seed
    );
    match g.skip {
        Skip::Diagnosis => {
            let tools: Vec<String> = v.diagnosis.iter().map(|k| format!("{k:?}")).collect();
            let ran = if tools.is_empty() {
                "RanTool(...)".to_string()
            } else {
                format!("RanTool({})", tools[0])
            };
            (
                format!("variants[{vi}].id"),
                format!(
                    "variant `{}` can be passed without diagnosis: an attempt that changes things before any check has shown the fault {scored}",
                    v.key
                ),
                format!(
                    "make looking first decide the pass: let the resolution need a flag that only an option available after the check and while the fault still shows can set (`when: All([{ran}, <the fault's condition>])`, `effects: [Set(\"diagnosed\")]`), or, if acting first is acceptable here, silence it with `// lint: allow({})`",
                    rule(g.skip)
                ),
            )
        }
        Skip::Identity => {
            let shortcut = p.actions.iter().find_map(|a| match a {
                crate::scenario::format::RawAction::Fix(c) => Some(c.clone()),
                _ => None,
            });
            let violation = match shortcut {
                Some(c) => format!(
                    ", or declare the shortcut `{c}` a violation (`violations: [(fix: \"{c}\", severity: Harm, reason: \"...\")]`)"
                ),
                None => String::new(),
            };
            (
                own(has, "resolution", "condition"),
                format!(
                    "variant `{}` needs an identity-guarded fix, but an attempt that never verifies anyone's identity {scored}",
                    v.key
                ),
                format!(
                    "require the verification in the resolution (add `Flag(\"identity_verified\")`), or close the way round it: give the facts that need it a `requires`{violation}"
                ),
            )
        }
        Skip::Escalation => {
            let teams: Vec<String> = v
                .escalation
                .teams
                .iter()
                .map(|t| format!("Escalated(\"{}\")", s.pack.team(*t).id))
                .collect();
            (
                own(has, "escalation", "mode"),
                format!(
                    "variant `{}` requires an escalation, but an attempt that never escalates {scored}",
                    v.key
                ),
                format!(
                    "put the escalation in the resolution condition ({}), or change `mode` if first line may close it",
                    if teams.is_empty() {
                        "`Escalated(\"team\")`".to_string()
                    } else {
                        format!("`{}`", teams.join("` or `"))
                    }
                ),
            )
        }
    }
}
