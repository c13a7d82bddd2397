//! Abstract reachability of the dialogue under conditions, per variant.

use crate::ids::*;
use crate::scenario::format::Tag;
use crate::scenario::model::{Effect, Scenario};
use crate::scenario::reach;
use crate::world::condition::{Cond, SessionFacts};
use crate::world::fixes::{FixContext, FixKind};
use crate::world::state::World;
use crate::world::tools::ToolKind;
use std::collections::{BTreeSet, HashSet};
// ---------------------------------------------------------------------------------------
// Abstract reachability of the dialogue under conditions.

/// What can happen in one variant: which options can be chosen, questions asked, flags
/// set and nodes reached, and which world facts can hold, as a fixpoint that ignores the
/// order of events (an over-approximation, so "never" findings are certain).
pub(super) struct Reach<'a> {
    pub(super) s: &'a Scenario,
    pub(super) v: VariantId,
    pub(super) worlds: Vec<World>,
    pub(super) nodes: Vec<bool>,
    pub(super) options: Vec<bool>,
    pub(super) questions: Vec<bool>,
    pub(super) flags: Vec<bool>,
}

pub(super) struct NoSession(VariantId);
impl SessionFacts for NoSession {
    fn flag(&self, _: FlagId) -> bool {
        false
    }
    fn variant(&self) -> VariantId {
        self.0
    }
    fn asked(&self, _: QuestionId) -> bool {
        false
    }
    fn chose(&self, _: OptionId) -> bool {
        false
    }
    fn ran_tool(&self, _: ToolKind) -> bool {
        false
    }
    fn applied(&self, _: FixKind) -> bool {
        false
    }
    fn escalated_to(&self, _: TeamId) -> bool {
        false
    }
    fn mood(&self) -> u8 {
        0
    }
    fn elapsed_secs(&self) -> u32 {
        0
    }
}

/// The variant's world and the worlds a few fixes away from it.
pub(super) fn reachable_worlds(s: &Scenario, v: VariantId) -> Vec<World> {
    let start = s.variant(v).world.clone();
    let ctx = FixContext {
        change_approved: true,
        password_seed: 0,
        customer: None,
    };
    let mut seen: HashSet<String> = HashSet::from([format!("{start:?}")]);
    let mut all = vec![start.clone()];
    let mut frontier = vec![start];
    let steps = crate::scenario::steps::step_calls(s);
    for _ in 0..3 {
        let mut next = vec![];
        for w in &frontier {
            let fixed = reach::candidate_fixes(s, w)
                .into_iter()
                .chain(steps.clone())
                .filter_map(|call| {
                    let mut w2 = w.clone();
                    call.apply(&mut w2, &ctx).changed.then_some(w2)
                });
            // Time passing: any timer of the variant may fire.
            let timed = s.variant(v).timers.iter().map(|t| {
                let mut w2 = w.clone();
                crate::scenario::timers::fire(t, &mut w2);
                w2
            });
            for w2 in fixed.chain(timed).collect::<Vec<_>>() {
                if seen.insert(format!("{w2:?}")) {
                    all.push(w2.clone());
                    next.push(w2);
                }
                if all.len() > 400 {
                    return all;
                }
            }
        }
        frontier = next;
    }
    all
}

impl<'a> Reach<'a> {
    pub(super) fn new(s: &'a Scenario, v: VariantId) -> Reach<'a> {
        let mut r = Reach {
            s,
            v,
            worlds: reachable_worlds(s, v),
            nodes: vec![false; s.nodes.len()],
            options: vec![false; s.options.len()],
            questions: vec![false; s.questions.len()],
            flags: vec![false; s.flags.len()],
        };
        r.fixpoint();
        r
    }

    /// Can the condition take this value at some point?
    pub(super) fn can_be(&self, c: &Cond, want: bool) -> bool {
        match c {
            Cond::All(v) => {
                if want {
                    v.iter().all(|x| self.can_be(x, true))
                } else {
                    v.iter().any(|x| self.can_be(x, false))
                }
            }
            Cond::Any(v) => {
                if want {
                    v.iter().any(|x| self.can_be(x, true))
                } else {
                    v.iter().all(|x| self.can_be(x, false))
                }
            }
            Cond::Not(x) => self.can_be(x, !want),
            Cond::Flag(f) => !want || self.flags[f.index()],
            Cond::Variant(x) => (*x == self.v) == want,
            Cond::Asked(q) => !want || self.questions[q.index()],
            Cond::Chose(o) => !want || self.options[o.index()],
            Cond::RanTool(k) => !want || self.s.tools.contains(k),
            Cond::Applied(k) => {
                !want
                    || self.s.fixes.contains(k)
                    || crate::scenario::steps::step_kinds(self.s).contains(k)
            }
            Cond::Escalated(_) => true,
            Cond::MinutesPassed(m) => want || *m > 0,
            Cond::MoodAtLeast(m) => {
                if want {
                    *m <= 100
                } else {
                    *m > 0
                }
            }
            leaf => {
                let facts = NoSession(self.v);
                self.worlds.iter().any(|w| leaf.eval(w, &facts) == want)
            }
        }
    }

    pub(super) fn holds_possibly(&self, c: &Option<Cond>) -> bool {
        c.as_ref().is_none_or(|c| self.can_be(c, true))
    }

    pub(super) fn fixpoint(&mut self) {
        let s = self.s;
        loop {
            let before = (
                self.nodes.clone(),
                self.options.clone(),
                self.questions.clone(),
                self.flags.clone(),
            );
            self.nodes[s.start.index()] = true;
            for (i, q) in s.questions.iter().enumerate() {
                if self.holds_possibly(&q.when) {
                    self.questions[i] = true;
                }
            }
            for n in 0..s.nodes.len() {
                if !self.nodes[n] || s.nodes[n].end {
                    continue;
                }
                for &o in &s.nodes[n].options {
                    let opt = s.option(o);
                    if !self.holds_possibly(&opt.when) {
                        continue;
                    }
                    self.options[o.index()] = true;
                    for e in &opt.effects {
                        if let Effect::Set(f) = e {
                            self.flags[f.index()] = true;
                        }
                    }
                    let mut goto_possible = true;
                    for (c, t) in &opt.branches {
                        if goto_possible && self.can_be(c, true) {
                            self.nodes[t.index()] = true;
                        }
                        if !self.can_be(c, false) {
                            goto_possible = false;
                        }
                    }
                    if goto_possible && let Some(t) = opt.goto {
                        self.nodes[t.index()] = true;
                    }
                }
            }
            if before
                == (
                    self.nodes.clone(),
                    self.options.clone(),
                    self.questions.clone(),
                    self.flags.clone(),
                )
            {
                break;
            }
        }
    }

    /// Nodes from which an ending can be reached through choosable options.
    pub(super) fn can_end(&self) -> Vec<bool> {
        let s = self.s;
        let mut ok: Vec<bool> = s.nodes.iter().map(|n| n.end).collect();
        loop {
            let mut changed = false;
            for n in 0..s.nodes.len() {
                if ok[n] || !self.nodes[n] {
                    continue;
                }
                let leads = s.nodes[n].options.iter().any(|o| {
                    self.options[o.index()] && {
                        let opt = s.option(*o);
                        opt.goto
                            .iter()
                            .chain(opt.branches.iter().map(|(_, t)| t))
                            .any(|t| ok[t.index()])
                    }
                });
                if leads {
                    ok[n] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        ok
    }

    /// Tags that some choosable option or askable question carries.
    pub(super) fn tags(&self) -> BTreeSet<Tag> {
        let mut t = BTreeSet::new();
        for (i, o) in self.s.options.iter().enumerate() {
            if self.options[i] {
                t.extend(o.tags.iter().copied());
            }
        }
        for (i, q) in self.s.questions.iter().enumerate() {
            if self.questions[i] {
                t.extend(q.tags.iter().copied());
            }
        }
        t
    }
}
