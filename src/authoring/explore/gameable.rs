//! Gameability: the best attempt that skips a step the scenario exists to teach —
//! diagnosis, identity verification, a required escalation — found by the same
//! best-first search over the real [`Session`], with every state that takes the step
//! pruned. When such an attempt passes, the scenario can be passed without the skill.

use super::ctx::Ctx;
use super::search::search;
use super::{Finish, Moves, Path, Progress, Quiet, variant_seeds};
use crate::ids::VariantId;
use crate::scenario::format::{EscalationMode, Tag};
use crate::scenario::model::{Effect, IDENTITY_VERIFIED, Scenario, Variant};
use crate::session::Session;
use crate::session::action::Action;
use crate::session::event::EventKind;
use crate::world::fixes::Policy;
use serde::Serialize;
use std::sync::Arc;

/// A step an attempt can skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Skip {
    /// No tool run observed the fault before the first change (or escalation).
    Diagnosis,
    /// No line tagged `VerifyIdentity` and no verification effect before the first
    /// identity-guarded fix (or at all, when the attempt applies none).
    Identity,
    /// A variant whose escalation is `Required` is never escalated.
    Escalation,
}

impl Skip {
    pub const ALL: [Skip; 3] = [Skip::Diagnosis, Skip::Identity, Skip::Escalation];

    /// Short name, as in the lint rule ids (`gameable-skip-NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Skip::Diagnosis => "diagnosis",
            Skip::Identity => "identity",
            Skip::Escalation => "escalation",
        }
    }

    /// What skipping means, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Skip::Diagnosis => "skips diagnosis (acts before any check showed the fault)",
            Skip::Identity => {
                "skips identity verification (no verification before an identity-guarded fix)"
            }
            Skip::Escalation => "skips the required escalation",
        }
    }

    /// Whether the step matters in a variant: a fault to look at (not an impostor's
    /// call), a needed identity-guarded fix, an escalation the policy requires.
    pub fn applies(self, v: &Variant) -> bool {
        match self {
            Skip::Diagnosis => {
                !v.impostor && (v.affected.fault_in_world || !v.diagnosis.is_empty())
            }
            Skip::Identity => v
                .needed
                .iter()
                .any(|c| c.kind().policy_in(&v.world) == Policy::Identity),
            Skip::Escalation => v.escalation.mode == EscalationMode::Required,
        }
    }

    /// The session took the step this search must skip (monotone: once true, every
    /// continuation is true too, so the state and all that follow are pruned).
    pub(super) fn took_step(self, sess: &Session, verifying: &[String]) -> bool {
        let events = sess.events();
        match self {
            Skip::Diagnosis => {
                for e in events {
                    match &e.kind {
                        EventKind::FixApplied { changed: true, .. }
                        | EventKind::Escalated { .. } => return false,
                        EventKind::ToolRan { observed: true, .. } => return true,
                        _ => {}
                    }
                }
                false
            }
            Skip::Identity => {
                for e in events {
                    match &e.kind {
                        EventKind::FixApplied { fix, .. }
                            if fix.policy_in(sess.world()) == Policy::Identity =>
                        {
                            return false;
                        }
                        EventKind::TraineeSaid { option, tags, .. }
                            if tags.contains(&Tag::VerifyIdentity)
                                || verifying.iter().any(|o| o == option) =>
                        {
                            return true;
                        }
                        EventKind::Asked { tags, .. } if tags.contains(&Tag::VerifyIdentity) => {
                            return true;
                        }
                        _ => {}
                    }
                }
                false
            }
            Skip::Escalation => events
                .iter()
                .any(|e| matches!(e.kind, EventKind::Escalated { .. })),
        }
    }
}

/// Keys of the options whose effects verify someone's identity.
pub(super) fn verifying_options(s: &Scenario) -> Vec<String> {
    s.options
        .iter()
        .filter(|o| {
            o.effects.iter().any(|e| {
                matches!(e, Effect::Verify(_))
                    || matches!(e, Effect::Set(f) if *f == IDENTITY_VERIFIED)
            })
        })
        .map(|o| o.key.clone())
        .collect()
}

/// The best attempt found that skips one step in one variant.
#[derive(Debug, Clone, Serialize)]
pub struct GameablePath {
    pub skip: Skip,
    /// The best-scoring attempt that skips the step (None: no complete attempt found).
    pub path: Option<Path>,
    /// States explored for it.
    pub states: usize,
    /// The search ran out of moves before its budget (the finding is complete).
    pub exhausted: bool,
}

impl GameablePath {
    /// A skipping attempt passes: the scenario can be passed without the step.
    pub fn passes(&self) -> bool {
        self.path.as_ref().is_some_and(|p| p.passed)
    }
}

/// Gameable paths of one variant.
#[derive(Debug, Clone, Serialize)]
pub struct VariantGameable {
    pub variant: String,
    pub index: usize,
    pub seed: Option<u64>,
    pub paths: Vec<GameablePath>,
}

/// How hard to look for gameable paths.
#[derive(Debug, Clone)]
pub struct GameableOptions {
    pub seed: u64,
    pub max_depth: usize,
    /// Distinct states per search (one search per variant and applicable step).
    pub budget: usize,
    /// Stop a search at the first passing attempt (enough for a warning).
    pub stop_on_pass: bool,
}

impl Default for GameableOptions {
    fn default() -> Self {
        GameableOptions {
            seed: 1,
            max_depth: super::DEFAULT_MAX_DEPTH,
            budget: super::DEFAULT_GAMEABLE_BUDGET,
            stop_on_pass: false,
        }
    }
}

/// Searches one variant (its attempts start from `seed`) for the best attempt that
/// skips `skip`.
pub fn search_skip(
    s: &Arc<Scenario>,
    v: VariantId,
    seed: u64,
    skip: Skip,
    opts: &GameableOptions,
    progress: &dyn Progress,
) -> GameablePath {
    let cx = Ctx::new(s, v).skipping(skip);
    let start = Session::new(s, seed);
    let mut acc = super::search::Acc::default();
    let out = search(
        &cx,
        &start,
        Moves::Sensible,
        Finish::Good,
        opts.budget,
        opts.max_depth,
        opts.stop_on_pass,
        &mut acc,
        progress,
    );
    GameablePath {
        skip,
        path: out.extreme,
        states: out.states,
        exhausted: out.exhausted,
    }
}

/// For every variant, the best attempt that skips each step that applies to it.
pub fn gameable_paths(s: &Arc<Scenario>, opts: &GameableOptions) -> Vec<VariantGameable> {
    let seeds = variant_seeds(s, opts.seed);
    s.variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let paths = match seeds[i] {
                Some(seed) => Skip::ALL
                    .iter()
                    .filter(|k| k.applies(v))
                    .map(|k| search_skip(s, VariantId::from_index(i), seed, *k, opts, &Quiet))
                    .collect(),
                None => vec![],
            };
            VariantGameable {
                variant: v.key.clone(),
                index: i,
                seed: seeds[i],
                paths,
            }
        })
        .collect()
}

/// An author's passing attempt (e.g. an expert play-test) rewritten to skip a step:
/// checks that showed the fault before the first change move to just after it
/// (diagnosis), lines that verify identity before the first identity-guarded fix are
/// dropped (identity), an escalation becomes a resolution (escalation). The rewritten
/// attempt is played on the real session and scored; returned when it really skips the
/// step. A cheap, direct counterexample to try before searching.
pub fn rewrite_skipping(
    s: &Arc<Scenario>,
    seed: u64,
    actions: &[Action],
    skip: Skip,
) -> Option<Path> {
    let verifying = verifying_options(s);
    let mut probe = Session::new(s, seed);
    let mut out: Vec<Action> = vec![];
    let mut deferred: Vec<Action> = vec![];
    let mut acted = false;
    let mut identity_fixed = false;
    for a in actions {
        let events = probe.apply(a.clone()).unwrap_or_default();
        let has = |f: &dyn Fn(&EventKind) -> bool| events.iter().any(|e| f(&e.kind));
        match skip {
            Skip::Diagnosis => {
                if !acted && has(&|k| matches!(k, EventKind::ToolRan { observed: true, .. })) {
                    deferred.push(a.clone());
                    continue;
                }
                out.push(a.clone());
                if !acted
                    && has(&|k| {
                        matches!(
                            k,
                            EventKind::FixApplied { changed: true, .. }
                                | EventKind::Escalated { .. }
                        )
                    })
                {
                    acted = true;
                    out.append(&mut deferred);
                }
            }
            Skip::Identity => {
                let verifies = has(&|k| match k {
                    EventKind::TraineeSaid { option, tags, .. } => {
                        tags.contains(&Tag::VerifyIdentity) || verifying.contains(option)
                    }
                    EventKind::Asked { tags, .. } => tags.contains(&Tag::VerifyIdentity),
                    _ => false,
                });
                if verifies && !identity_fixed {
                    continue;
                }
                let w = &s.healthy;
                identity_fixed |= has(
                    &|k| matches!(k, EventKind::FixApplied { fix, .. } if fix.policy_in(w) == Policy::Identity),
                );
                out.push(a.clone());
            }
            Skip::Escalation => match a {
                Action::Escalate { handoff, .. } => out.push(Action::Resolve(handoff.clone())),
                other => out.push(other.clone()),
            },
        }
    }
    out.append(&mut deferred);
    let run = crate::playtest::run(s, seed, &out);
    if skip.took_step(&run.session, &verifying) {
        return None;
    }
    Some(Path::new(&run.session, &run.scorecard))
}
