//! The searches: best-first (or worst-first) over completed states with a novelty queue,
//! and random play-throughs.

use super::ctx::Ctx;
use super::{FRONTIER_CAP, Finish, MAX_FINDINGS, Moves, Path, Progress, StateFinding, TEXT_GRADED};
use crate::authoring::Observed;
use crate::ids::*;
use crate::scenario::format::Severity;
use crate::scoring::{Dimension, Scorecard};
use crate::session::Session;
use crate::session::action::Action;
use crate::session::event::{CallEnd, EventKind};
use crate::session::ticket::TicketStatus;
use crate::world::condition::Cond;
use crate::world::tools::ToolKind;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// One explored state.
#[derive(Clone)]
pub(super) struct Node {
    pub(super) sess: Session,
    /// Tool calls already run, by index in `Ctx::tools`.
    pub(super) ran: Vec<bool>,
    pub(super) depth: usize,
    pub(super) world_hash: u64,
    /// Options chosen, with the condition signature at the time.
    pub(super) said: Vec<(OptionId, u64)>,
    /// The state's de-duplication key (set when visited).
    pub(super) key: u64,
}

impl Node {
    /// What makes a state new for the novelty queue: where the conversation is, the
    /// flags, the world, the tools run and the ticket's state.
    pub(super) fn feature(&self) -> u64 {
        let s = &self.sess;
        let mut h = DefaultHasher::new();
        s.node().index().hash(&mut h);
        s.call_active().hash(&mut h);
        self.cond_sig().hash(&mut h);
        h.finish()
    }

    /// A signature of what conditions can read apart from the dialogue history: the
    /// world, the flags, the tools run, the fixes applied and the ticket.
    pub(super) fn cond_sig(&self) -> u64 {
        let s = &self.sess;
        let mut h = DefaultHasher::new();
        self.world_hash.hash(&mut h);
        for f in 0..s.scenario().flags.len() {
            s.flag(FlagId::from_index(f)).hash(&mut h);
        }
        self.ran.hash(&mut h);
        format!(
            "{:?}{:?}",
            s.ticket().status,
            s.ticket().escalation.as_ref().map(|e| &e.0)
        )
        .hash(&mut h);
        for e in s.events() {
            if let EventKind::FixApplied {
                command,
                changed: true,
                ..
            } = &e.kind
            {
                command.hash(&mut h);
            }
        }
        h.finish()
    }

    pub(super) fn asked(&self, q: QuestionId) -> bool {
        let key = &self.sess.scenario().question(q).key;
        self.sess
            .events()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Asked { question, .. } if question == key))
    }
    pub(super) fn ran_kind(&self, cx: &Ctx, k: ToolKind) -> bool {
        cx.tools
            .iter()
            .zip(&self.ran)
            .any(|(c, r)| *r && c.kind() == k)
    }
}

pub(super) fn hash_world(w: &crate::world::state::World) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{w:?}").hash(&mut h);
    h.finish()
}

/// A hash of what the trainee can observe of a state, plus its completed score (two
/// states that look alike but were reached by differently scored histories stay apart).
pub(super) fn state_key(n: &Node, card: &Scorecard) -> u64 {
    let s = &n.sess;
    let mut h = DefaultHasher::new();
    s.node().index().hash(&mut h);
    format!("{:?}", s.call_end()).hash(&mut h);
    s.mood().hash(&mut h);
    s.patience().hash(&mut h);
    s.clock().hash(&mut h);
    n.world_hash.hash(&mut h);
    for f in 0..s.scenario().flags.len() {
        s.flag(FlagId::from_index(f)).hash(&mut h);
    }
    let t = s.ticket();
    format!(
        "{:?}{:?}{:?}{:?}{}{:?}",
        t.category,
        t.impact,
        t.urgency,
        t.status,
        t.notes.len(),
        t.escalation.as_ref().map(|e| &e.0)
    )
    .hash(&mut h);
    n.ran.hash(&mut h);
    s.hints_used().hash(&mut h);
    // What was asked, said and fixed, as sets: the same moves in another order reach the
    // same state (time adds up the same; mood and patience are hashed above).
    let mut said: Vec<&str> = vec![];
    for e in s.events() {
        match &e.kind {
            EventKind::Asked { question, .. } => said.push(question),
            EventKind::TraineeSaid { option, .. } => said.push(option),
            EventKind::FixApplied { command, .. } => said.push(command),
            _ => {}
        }
    }
    said.sort_unstable();
    said.hash(&mut h);
    let d = &card.dimensions;
    (d.technical, d.empathy, d.documentation, d.escalation).hash(&mut h);
    h.finish()
}

/// Applies a move; None if its first action is refused (a refused move changes nothing).
pub(super) fn step(cx: &Ctx, n: &Node, mv: &[Action]) -> Option<Node> {
    let mut sess = n.sess.clone();
    let mut ran = n.ran.clone();
    let mut said = n.said.clone();
    for (i, a) in mv.iter().enumerate() {
        if let Action::Say(o) = a {
            said.retain(|(x, _)| x != o);
            said.push((*o, n.cond_sig()));
        }
        if let Action::Run(call) = a
            && let Some(j) = cx.tools.iter().position(|c| c == call)
        {
            ran[j] = true;
        }
        if sess.apply(a.clone()).is_err() && i == 0 {
            return None;
        }
    }
    if cx.pruned(&sess) {
        return None;
    }
    let world_hash = if sess.world() == n.sess.world() {
        n.world_hash
    } else {
        hash_world(sess.world())
    };
    Some(Node {
        sess,
        ran,
        depth: n.depth + 1,
        world_hash,
        said,
        key: 0,
    })
}

/// Priority of a state in a search (bigger first).
pub(super) type Key = (u64, u64, u64);

/// Shared results while searching.
#[derive(Default)]
pub(super) struct Acc {
    /// Best points per criterion: (dimension, id) → (title, best, max).
    pub(super) criteria: BTreeMap<(String, String), (Dimension, String, u32, u32)>,
    pub(super) dead_ends: Vec<StateFinding>,
    pub(super) hang_ups: Vec<StateFinding>,
}

impl Acc {
    /// Records the points each criterion reached; text-graded criteria only from exact
    /// scorecards (quick ones leave the text out).
    pub(super) fn record_criteria(&mut self, card: &Scorecard, exact: bool) {
        for c in &card.criteria {
            if !exact && TEXT_GRADED.contains(&c.id.as_ref()) {
                continue;
            }
            let key = (format!("{:?}", c.dimension), c.id.to_string());
            let e =
                self.criteria
                    .entry(key)
                    .or_insert((c.dimension, c.title.to_string(), 0, c.max));
            e.2 = e.2.max(c.points);
            e.3 = e.3.max(c.max);
        }
    }

    pub(super) fn finding(list: &mut Vec<StateFinding>, cx: &Ctx, sess: &Session, what: String) {
        let node = cx.s.node(sess.node()).key.clone();
        if list.len() >= MAX_FINDINGS || list.iter().any(|f| f.node == node && f.what == what) {
            return;
        }
        list.push(StateFinding {
            variant: cx.s.variant(cx.v).key.clone(),
            node,
            what,
            actions: sess.actions().iter().map(|a| a.action.clone()).collect(),
        });
    }
}

/// Can the resolution still be reached once the call has ended? No more dialogue, so
/// flags, questions and options are frozen; the world is assumed fixable (fixes, tools
/// and escalation remain possible while the ticket is open), so this only finds what the
/// conversation left undone.
pub(super) fn still_resolvable(cx: &Ctx, sess: &Session) -> bool {
    pub(super) fn possible(c: &Cond, o: &Observed, cx: &Ctx, positive: bool) -> bool {
        let sess = o.session;
        match c {
            Cond::All(v) => v.iter().all(|x| possible(x, o, cx, positive)),
            Cond::Any(v) => v.iter().any(|x| possible(x, o, cx, positive)),
            Cond::Not(x) => !possible(x, o, cx, !positive),
            Cond::Flag(_)
            | Cond::Variant(_)
            | Cond::Asked(_)
            | Cond::Chose(_)
            | Cond::MoodAtLeast(_) => o.eval(c),
            // Time keeps passing while the ticket is worked.
            Cond::MinutesPassed(_) => o.eval(c) || positive,
            Cond::RanTool(k) => o.eval(c) || (positive && cx.s.tools.contains(k)),
            Cond::Applied(k) => {
                o.eval(c)
                    || (positive
                        && cx.s.fixes.contains(k)
                        && sess.ticket().status != TicketStatus::Resolved)
            }
            Cond::Escalated(_) => o.eval(c) || (positive && !sess.ticket().closed()),
            // World facts: fixable if the ticket still takes fixes.
            _ => {
                if sess.ticket().status == TicketStatus::Resolved {
                    o.eval(c)
                } else {
                    positive
                }
            }
        }
    }
    let o = Observed::new(sess);
    possible(&cx.s.variant(cx.v).resolution.condition, &o, cx, true)
}

/// Result of one search in one variant.
pub(super) struct SearchOut {
    pub(super) states: usize,
    pub(super) exhausted: bool,
    pub(super) resolving: Option<Path>,
    /// The passing attempt with the fewest actions found (best-first searches only).
    pub(super) shortest_passing: Option<Path>,
    pub(super) extreme: Option<Path>,
    /// An exactly scored attempt passed.
    pub(super) passed: bool,
}

/// A best-first (or worst-first) search with a second, breadth-first queue of *novel*
/// states (a dialogue node, flags, world or ticket state not seen before). The two queues
/// take turns, so the search does not spend its budget on a plateau of look-alike states
/// while a different line of play is never tried.
pub(super) struct Search<'c, 'a> {
    pub(super) cx: &'c Ctx<'a>,
    pub(super) which: Moves,
    pub(super) how: Finish,
    pub(super) max_depth: usize,
    pub(super) out: SearchOut,
    pub(super) seen: HashSet<u64>,
    pub(super) features: HashSet<u64>,
    pub(super) best_q: BTreeMap<Key, Rc<Node>>,
    pub(super) novel_q: VecDeque<Rc<Node>>,
    pub(super) seq: u64,
    pub(super) extreme_est: Option<(u32, u64)>,
    pub(super) extreme_score: Option<(u32, u64)>,
    /// Stop at the first passing attempt.
    pub(super) stop_on_pass: bool,
}

/// Priority lost by a state that can no longer pass (a critical fail or harm is done).
const DOOMED: u64 = 6_000;

/// Nothing after this state can pass: a critical fail or harm happened (events stay).
fn doomed(card: &Scorecard, sess: &Session) -> bool {
    !card.critical.is_empty()
        || sess.events().iter().any(|e| {
            matches!(
                e.kind,
                EventKind::Harm { .. }
                    | EventKind::PolicyViolation {
                        severity: Severity::Harm,
                        ..
                    }
            )
        })
}

impl Search<'_, '_> {
    /// The search may stop: it only wanted a passing attempt and found one.
    fn finished(&self) -> bool {
        self.stop_on_pass && self.out.passed
    }

    pub(super) fn better(&self, a: (u32, u64), b: Option<(u32, u64)>) -> bool {
        match (self.how, b) {
            (_, None) => true,
            (Finish::Good, Some(b)) => a > b,
            (Finish::Bare, Some(b)) => a < b,
        }
    }

    /// Scores a new state, records what it shows, and queues it. False if seen before.
    pub(super) fn visit(&mut self, mut n: Node, acc: &mut Acc, progress: &dyn Progress) -> bool {
        let cx = self.cx;
        let (done, card, est) = cx.complete(&n.sess, self.how);
        n.key = state_key(&n, &card);
        if !self.seen.insert(n.key) {
            return false;
        }
        self.out.states += 1;
        progress.advance(1);
        if self.how == Finish::Good {
            acc.record_criteria(&card, false);
        }
        if card.resolved && self.out.resolving.is_none() {
            self.out.resolving = Some(Path::new(&done, &cx.exact(&done)));
        }
        // The shortest passing attempt: resolved states shorter than the one found.
        if self.how == Finish::Good
            && card.resolved
            && self
                .out
                .shortest_passing
                .as_ref()
                .is_none_or(|p| done.actions().len() < p.actions.len())
        {
            let exact = cx.exact(&done);
            if exact.passed {
                self.out.passed = true;
                self.out.shortest_passing = Some(Path::new(&done, &exact));
            }
        }
        // Candidates for the best (worst) attempt are scored exactly, text included.
        let key = (card.overall, est);
        if self.better(key, self.extreme_est) {
            self.extreme_est = Some(key);
            let exact = cx.exact(&done);
            if self.how == Finish::Good {
                acc.record_criteria(&exact, true);
            }
            let exact_key = (exact.overall, cx.estimate(&exact, false, false));
            self.out.passed |= exact.passed && self.how == Finish::Good;
            if self.better(exact_key, self.extreme_score) {
                self.extreme_score = Some(exact_key);
                self.out.extreme = Some(Path::new(&done, &exact));
            }
        }
        let sess = &n.sess;
        if sess.call_active() && !cx.s.node(sess.node()).end && sess.available_options().is_empty()
        {
            Acc::finding(
                &mut acc.dead_ends,
                cx,
                sess,
                "the conversation is stuck: no dialogue option is available here, so the call can only end by hanging up".into(),
            );
        }
        if n.depth < self.max_depth && !sess.is_over() {
            let prio = match self.how {
                Finish::Good => (est + u64::from(cx.progress(sess)) * 300 + 10_000)
                    .saturating_sub(cx.flag_distance(sess) * 150)
                    .saturating_sub(if doomed(&card, sess) { DOOMED } else { 0 }),
                Finish::Bare => 10_000 - est.min(10_000),
            };
            let novel = self.features.insert(n.feature());
            self.seq += 1;
            let n = Rc::new(n);
            if novel {
                self.novel_q.push_back(n.clone());
            }
            self.best_q
                .insert((prio, u64::MAX - n.depth as u64, u64::MAX - self.seq), n);
            if self.best_q.len() > FRONTIER_CAP {
                self.best_q.pop_first();
            }
        }
        true
    }

    pub(super) fn expand(
        &mut self,
        n: &Node,
        acc: &mut Acc,
        budget: usize,
        progress: &dyn Progress,
    ) {
        let cx = self.cx;
        let mut active_children = 0;
        let mut hung_up = 0;
        for mv in cx.moves(n, self.which) {
            let Some(child) = step(cx, n, &mv) else {
                continue;
            };
            let was_active = n.sess.call_active();
            let how_ended = child.sess.call_end();
            if was_active && !matches!(mv.first(), Some(Action::EndCall | Action::Hint)) {
                active_children += 1;
                if matches!(
                    how_ended,
                    Some(CallEnd::CustomerHungUp | CallEnd::DemandedManager)
                ) {
                    hung_up += 1;
                }
            }
            let dead = was_active
                && how_ended.is_some_and(|e| e != CallEnd::Trainee)
                && !child.sess.resolved()
                && !still_resolvable(cx, &child.sess);
            if dead && let Some(end) = how_ended {
                let why = match end {
                    CallEnd::Conversation => "the conversation reached an ending",
                    CallEnd::CustomerHungUp => "the customer hung up",
                    _ => "the customer demanded a manager",
                };
                Acc::finding(
                    &mut acc.dead_ends,
                    cx,
                    &child.sess,
                    format!(
                        "{why} before the resolution could be reached; nothing left to do can resolve the ticket"
                    ),
                );
            }
            self.visit(child, acc, progress);
            if self.out.states >= budget || self.finished() {
                break;
            }
        }
        if active_children > 0 && hung_up == active_children {
            Acc::finding(
                &mut acc.hang_ups,
                cx,
                &n.sess,
                format!(
                    "the customer hangs up whatever the trainee does next (patience {}, mood {})",
                    n.sess.patience(),
                    n.sess.mood()
                ),
            );
        }
    }
}

/// Runs one search from a start state.
#[allow(clippy::too_many_arguments)]
pub(super) fn search(
    cx: &Ctx,
    start: &Session,
    which: Moves,
    how: Finish,
    budget: usize,
    max_depth: usize,
    stop_on_pass: bool,
    acc: &mut Acc,
    progress: &dyn Progress,
) -> SearchOut {
    let root = Node {
        sess: start.clone(),
        ran: vec![false; cx.tools.len()],
        depth: 0,
        world_hash: hash_world(start.world()),
        said: vec![],
        key: 0,
    };
    let mut st = Search {
        cx,
        which,
        how,
        max_depth,
        out: SearchOut {
            states: 0,
            exhausted: false,
            resolving: None,
            shortest_passing: None,
            extreme: None,
            passed: false,
        },
        seen: HashSet::new(),
        features: HashSet::new(),
        best_q: BTreeMap::new(),
        novel_q: VecDeque::new(),
        seq: 0,
        extreme_est: None,
        extreme_score: None,
        stop_on_pass,
    };
    st.visit(root, acc, progress);
    let mut expanded: HashSet<u64> = HashSet::new();
    let mut turn = 0u64;
    while st.out.states < budget && !st.finished() {
        turn += 1;
        let next = if turn.is_multiple_of(2) {
            st.novel_q
                .pop_front()
                .or_else(|| st.best_q.pop_last().map(|(_, n)| n))
        } else {
            st.best_q
                .pop_last()
                .map(|(_, n)| n)
                .or_else(|| st.novel_q.pop_front())
        };
        let Some(n) = next else {
            st.out.exhausted = true;
            break;
        };
        if !expanded.insert(n.key) {
            continue;
        }
        st.expand(&n, acc, budget, progress);
    }
    st.out
}

/// One random play-through: uniformly random moves until the attempt is over.
pub(super) fn playout(
    cx: &Ctx,
    sess: Session,
    rng: &mut ChaCha8Rng,
    max_depth: usize,
) -> (Scorecard, usize, bool) {
    let mut n = Node {
        world_hash: hash_world(sess.world()),
        ran: vec![false; cx.tools.len()],
        depth: 0,
        said: vec![],
        key: 0,
        sess,
    };
    let mut visited = 1;
    while n.depth < max_depth && !n.sess.is_over() {
        let moves = cx.moves(&n, Moves::All);
        if moves.is_empty() {
            break;
        }
        let i = rng.random_range(0..moves.len());
        match step(cx, &n, &moves[i]) {
            Some(c) => {
                n = c;
                visited += 1;
            }
            None => n.depth += 1,
        }
    }
    let hung_up = matches!(
        n.sess.call_end(),
        Some(CallEnd::CustomerHungUp | CallEnd::DemandedManager)
    );
    let (done, _, _) = cx.complete(&n.sess, Finish::Bare);
    (cx.exact(&done), visited, hung_up)
}
