//! `firstline explore`: searches the space of action sequences of one scenario over the
//! real [`Session`], with state de-duplication, and reports whether every variant can be
//! resolved, the best and worst reachable scores with the paths that produce them, the
//! score distribution of random play, dead ends and states where the customer always
//! hangs up.
//!
//! Every explored state is *completed* (ticket, notes, resolve or escalate, end the call)
//! and scored, so each state stands for a whole attempt a trainee could make. Three
//! searches run per variant:
//!
//! - a best-first search over sensible moves (every dialogue option, questions and tools
//!   that can matter, fixes that change the world, resolving or escalating to a team of
//!   the policy with written-up paperwork), ordered by the completed score and progress
//!   towards the resolution condition;
//! - a worst-first search over every move (also wrong fixes, a wrong ticket, escalating to
//!   every team, hints, hanging up), ordered by the lowest completed score;
//! - random play: uniformly random moves from a seeded RNG.
//!
//! Everything is deterministic for a given scenario, seed and budget.

mod ctx;
mod gameable;
mod report;
mod search;

pub use gameable::{
    GameableOptions, GameablePath, Skip, VariantGameable, gameable_paths, rewrite_skipping,
    search_skip,
};
pub use report::report_text;

use crate::authoring::action_text;
use crate::ids::*;
use crate::scenario::format::RawAction;
use crate::scenario::model::Scenario;
use crate::scoring::{Dimension, Scorecard};
use crate::session::Session;
use ctx::Ctx;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use search::{Acc, playout, search};
use serde::Serialize;
use std::sync::Arc;

/// Distinct states explored per scenario by default.
pub const DEFAULT_BUDGET: usize = 4000;
/// Longest move sequence by default.
pub const DEFAULT_MAX_DEPTH: usize = 40;
/// Random play-throughs by default.
pub const DEFAULT_PLAYOUTS: usize = 200;
/// Distinct states per gameability search (per variant and skipped step) by default.
pub const DEFAULT_GAMEABLE_BUDGET: usize = 400;
/// Most tool calls of one kind tried (devices, hosts, accounts, ...).
pub(super) const TOOL_CAP: usize = 4;
/// Most frontier states kept in memory per search.
pub(super) const FRONTIER_CAP: usize = 20_000;
/// Criteria graded on free text.
pub(super) const TEXT_GRADED: [&str; 6] = [
    "facts",
    "structure",
    "length",
    "professional",
    "no_secrets",
    "handoff",
];
/// Most examples kept per kind of finding.
pub(super) const MAX_FINDINGS: usize = 8;

/// How to explore.
#[derive(Debug, Clone)]
pub struct ExploreOptions {
    pub seed: u64,
    pub max_depth: usize,
    /// Distinct states explored over all variants (search only; random play is extra).
    pub budget: usize,
    pub playouts: usize,
    /// Distinct states per gameability search: one per variant and step it can skip
    /// (diagnosis, identity, a required escalation); extra to `budget`. 0: none.
    pub gameable_budget: usize,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            seed: 1,
            max_depth: DEFAULT_MAX_DEPTH,
            budget: DEFAULT_BUDGET,
            playouts: DEFAULT_PLAYOUTS,
            gameable_budget: DEFAULT_GAMEABLE_BUDGET,
        }
    }
}

/// A complete attempt found by the search: its score and the actions that produce it.
#[derive(Debug, Clone, Serialize)]
pub struct Path {
    pub variant: String,
    pub seed: u64,
    pub overall: u32,
    pub technical: u32,
    pub empathy: u32,
    pub documentation: u32,
    pub escalation: u32,
    pub resolved: bool,
    pub passed: bool,
    pub critical: usize,
    pub actions: Vec<RawAction>,
}

impl Path {
    fn new(session: &Session, card: &Scorecard) -> Path {
        let d = &card.dimensions;
        Path {
            variant: card.variant.clone(),
            seed: session.seed(),
            overall: card.overall,
            technical: d.technical,
            empathy: d.empathy,
            documentation: d.documentation,
            escalation: d.escalation,
            resolved: card.resolved,
            passed: card.passed,
            critical: card.critical.len(),
            actions: session.actions().iter().map(|a| a.action.clone()).collect(),
        }
    }

    /// The actions as play-test lines.
    pub fn lines(&self) -> Vec<String> {
        self.actions.iter().map(action_text).collect()
    }
}

/// Whether a variant was shown to be resolvable.
#[derive(Debug, Clone, Serialize)]
pub struct VariantReport {
    pub variant: String,
    /// The seed used for this variant's attempts.
    pub seed: Option<u64>,
    pub resolvable: bool,
    /// The search ran out of moves (not of budget) without finding a resolution.
    pub exhausted: bool,
    pub states: usize,
    /// The shortest resolving attempt found, if any.
    pub resolving: Option<Path>,
    /// The passing attempt with the fewest actions found, if any.
    pub shortest_passing: Option<Path>,
    /// The best attempt found that skips each step that matters in this variant.
    pub gameable: Vec<GameablePath>,
    pub best: Option<Path>,
    pub worst: Option<Path>,
}

/// A scoring criterion whose maximum no explored attempt reached.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub dimension: Dimension,
    pub id: String,
    pub title: String,
    pub best: u32,
    pub max: u32,
    /// Graded on free text (notes, hand-off); the explorer writes generated text.
    pub text_graded: bool,
}

/// A state worth an author's attention, with the path that reaches it.
#[derive(Debug, Clone, Serialize)]
pub struct StateFinding {
    pub variant: String,
    pub node: String,
    pub what: String,
    pub actions: Vec<RawAction>,
}

/// Score distribution of random play.
#[derive(Debug, Clone, Serialize)]
pub struct RandomPlay {
    pub playouts: usize,
    /// Counts of overall scores in 0–9, 10–19, ..., 90–100.
    pub histogram: [u32; 10],
    pub mean: f64,
    pub min: u32,
    pub max: u32,
    pub resolved: usize,
    pub passed: usize,
    pub hung_up: usize,
}

/// Everything `explore` found.
#[derive(Debug, Clone, Serialize)]
pub struct ExploreReport {
    pub scenario: String,
    pub seed: u64,
    pub budget: usize,
    pub max_depth: usize,
    /// Distinct states explored by the searches.
    pub states: usize,
    /// Session states visited by random play.
    pub random_states: usize,
    pub variants: Vec<VariantReport>,
    pub best: Option<Path>,
    pub worst: Option<Path>,
    pub gaps: Vec<Gap>,
    pub random: RandomPlay,
    pub dead_ends: Vec<StateFinding>,
    pub hang_ups: Vec<StateFinding>,
}

impl ExploreReport {
    /// Every variant was shown resolvable.
    pub fn all_resolvable(&self) -> bool {
        self.variants.iter().all(|v| v.resolvable)
    }
    /// The best score is below 100 for a reason the scenario controls (a criterion that
    /// is not graded on free text never reached its maximum).
    pub fn max_unreachable(&self) -> bool {
        self.gaps.iter().any(|g| !g.text_graded)
    }
}

/// Something that reports progress (the CLI wraps a progress bar around it).
pub trait Progress {
    fn start(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn message(&self, _m: &str) {}
}

/// No progress reporting.
pub struct Quiet;
impl Progress for Quiet {}

/// Generated free text for one variant.
pub(super) struct Texts {
    pub(super) notes: String,
    pub(super) resolve: String,
}

/// Notes written to cover every rubric fact of the variant in real sentences under the
/// five section headings (the facts dealt out over the sections, since a section counts
/// when a sentence in it earns a fact), so documentation is not what limits the search.
pub(super) fn texts(s: &Scenario, v: VariantId) -> Texts {
    const SECTIONS: [(&str, &str); 5] = [
        (
            "Symptom",
            "The user called the service desk and explained the problem to me.",
        ),
        (
            "Diagnosis",
            "I checked the details with the user and ran the tools that were needed.",
        ),
        (
            "Cause",
            "The cause of the problem was found and it is recorded in this ticket.",
        ),
        (
            "Actions",
            "I took the steps that were needed and tested them with the user.",
        ),
        (
            "Outcome",
            "The user confirmed the result and the ticket will be updated.",
        ),
    ];
    let facts: Vec<&String> = s
        .rubric
        .facts
        .iter()
        .filter(|f| f.applies(v))
        .filter_map(|f| f.phrasings.first())
        .collect();
    let mut notes = String::new();
    for (i, (head, line)) in SECTIONS.iter().enumerate() {
        notes.push_str(&format!("{head}: {line}"));
        for p in facts.iter().skip(i).step_by(SECTIONS.len()) {
            notes.push_str(&format!(" This ticket records {p} for the case."));
        }
        notes.push('\n');
    }
    Texts {
        notes: notes.trim_end().to_string(),
        resolve: "Resolved at first line and confirmed with the user.".into(),
    }
}

/// How a state is turned into a finished attempt for scoring.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Finish {
    /// Ticket and notes written, resolved or escalated per policy, call ended.
    Good,
    /// Resolved with a bare note, call ended.
    Bare,
}

/// Which moves a search considers.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Moves {
    Sensible,
    All,
}

/// Relevant fixes and whether each changes the world, per (world hash, approval).
/// The first seed at or after `from` whose attempt plays each variant.
pub fn variant_seeds(s: &Arc<Scenario>, from: u64) -> Vec<Option<u64>> {
    let mut out = vec![None; s.variants.len()];
    let mut left = s.variants.len();
    let mut seed = from;
    for _ in 0..20_000 {
        let v = Session::new(s, seed).variant().index();
        if out[v].is_none() {
            out[v] = Some(seed);
            left -= 1;
            if left == 0 {
                break;
            }
        }
        seed = seed.wrapping_add(1);
    }
    out
}

/// Explores a scenario.
pub fn explore(s: &Arc<Scenario>, opts: &ExploreOptions, progress: &dyn Progress) -> ExploreReport {
    let skips: usize = s
        .variants
        .iter()
        .map(|v| Skip::ALL.iter().filter(|k| k.applies(v)).count())
        .sum();
    progress.start((opts.budget + opts.playouts + skips * opts.gameable_budget) as u64);
    let seeds = variant_seeds(s, opts.seed);
    let nv = s.variants.len().max(1);
    let per_variant = (opts.budget / nv).max(2);
    let best_budget = (per_variant * 3 / 4).max(1);
    let worst_budget = per_variant.saturating_sub(best_budget).max(1);
    let mut acc = Acc::default();
    let gopts = GameableOptions {
        seed: opts.seed,
        max_depth: opts.max_depth,
        budget: opts.gameable_budget,
        stop_on_pass: false,
    };
    let mut variants = vec![];
    let mut states = 0;
    for (i, v) in s.variants.iter().enumerate() {
        let vid = VariantId::from_index(i);
        progress.message(&format!("variant {}", v.key));
        let Some(seed) = seeds[i] else {
            variants.push(VariantReport {
                variant: v.key.clone(),
                seed: None,
                resolvable: false,
                exhausted: false,
                states: 0,
                resolving: None,
                shortest_passing: None,
                gameable: vec![],
                best: None,
                worst: None,
            });
            continue;
        };
        let cx = Ctx::new(s, vid);
        let start = Session::new(s, seed);
        let best = search(
            &cx,
            &start,
            Moves::Sensible,
            Finish::Good,
            best_budget,
            opts.max_depth,
            false,
            &mut acc,
            progress,
        );
        let worst = search(
            &cx,
            &start,
            Moves::All,
            Finish::Bare,
            worst_budget,
            opts.max_depth,
            false,
            &mut acc,
            progress,
        );
        states += best.states + worst.states;
        let resolving = best.resolving.or(worst.resolving);
        let gameable = if opts.gameable_budget == 0 {
            vec![]
        } else {
            Skip::ALL
                .iter()
                .filter(|k| k.applies(v))
                .map(|k| {
                    progress.message(&format!("variant {}: skipping {}", v.key, k.name()));
                    gameable::search_skip(s, vid, seed, *k, &gopts, progress)
                })
                .collect()
        };
        variants.push(VariantReport {
            variant: v.key.clone(),
            seed: Some(seed),
            resolvable: resolving.is_some(),
            exhausted: best.exhausted,
            states: best.states + worst.states,
            resolving,
            shortest_passing: best.shortest_passing,
            gameable,
            best: best.extreme,
            worst: worst.extreme,
        });
    }
    // Random play.
    progress.message("random play");
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut scores = vec![];
    let mut random = RandomPlay {
        playouts: opts.playouts,
        histogram: [0; 10],
        mean: 0.0,
        min: 0,
        max: 0,
        resolved: 0,
        passed: 0,
        hung_up: 0,
    };
    let mut random_states = 0;
    let cxs: Vec<Ctx> = (0..s.variants.len())
        .map(|i| Ctx::new(s, VariantId::from_index(i)))
        .collect();
    for _ in 0..opts.playouts {
        let seed: u64 = rng.random();
        let sess = Session::new(s, seed);
        let cx = &cxs[sess.variant().index()];
        let (card, visited, hung_up) = playout(cx, sess, &mut rng, opts.max_depth);
        random_states += visited;
        progress.advance(1);
        random.histogram[(card.overall.min(99) / 10) as usize] += 1;
        random.resolved += usize::from(card.resolved);
        random.passed += usize::from(card.passed);
        random.hung_up += usize::from(hung_up);
        scores.push(card.overall);
    }
    if !scores.is_empty() {
        random.mean = scores.iter().map(|x| f64::from(*x)).sum::<f64>() / scores.len() as f64;
        random.min = scores.iter().copied().min().unwrap_or(0);
        random.max = scores.iter().copied().max().unwrap_or(0);
    }
    let pick = |f: &dyn Fn(&VariantReport) -> Option<&Path>, better: &dyn Fn(u32, u32) -> bool| {
        let mut out: Option<Path> = None;
        for v in &variants {
            if let Some(p) = f(v)
                && out.as_ref().is_none_or(|b| better(p.overall, b.overall))
            {
                out = Some(p.clone());
            }
        }
        out
    };
    let best = pick(&|v| v.best.as_ref(), &|a, b| a > b);
    let worst = pick(&|v| v.worst.as_ref(), &|a, b| a < b);
    let gaps = acc
        .criteria
        .iter()
        .filter(|(_, (_, _, best, max))| best < max)
        .map(|((_, id), (dim, title, best, max))| Gap {
            dimension: *dim,
            id: id.clone(),
            title: title.clone(),
            best: *best,
            max: *max,
            text_graded: TEXT_GRADED.contains(&id.as_str()),
        })
        .collect();
    ExploreReport {
        scenario: s.id.clone(),
        seed: opts.seed,
        budget: opts.budget,
        max_depth: opts.max_depth,
        states,
        random_states,
        variants,
        best,
        worst,
        gaps,
        random,
        dead_ends: acc.dead_ends,
        hang_ups: acc.hang_ups,
    }
}

/// The report as terminal text.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::load_pack;

    fn scenario(id: &str) -> Arc<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, diags) = load_pack(&dir).unwrap();
        let pack = pack.unwrap_or_else(|| panic!("bundled pack loads: {diags:?}"));
        pack.scenario(id).unwrap().clone()
    }

    #[test]
    fn generated_notes_earn_full_documentation_marks() {
        let s = scenario("password-reset");
        for (i, _) in s.variants.iter().enumerate() {
            let v = VariantId::from_index(i);
            let t = texts(&s, v);
            let facts: Vec<_> = s.rubric.facts.iter().filter(|f| f.applies(v)).collect();
            let all: Vec<_> = s.rubric.facts.iter().collect();
            let covered = crate::scoring::notes::facts_covered_with(&t.notes, &facts, &all);
            assert_eq!(covered.len(), facts.len(), "{}", t.notes);
            assert_eq!(crate::scoring::notes::sections(&t.notes, &all).len(), 5);
        }
    }

    #[test]
    fn same_seed_same_report() {
        let s = scenario("password-reset");
        let o = ExploreOptions {
            budget: 300,
            playouts: 20,
            ..Default::default()
        };
        let a = serde_json::to_string(&explore(&s, &o, &Quiet)).unwrap();
        let b = serde_json::to_string(&explore(&s, &o, &Quiet)).unwrap();
        assert_eq!(a, b);
    }
}
