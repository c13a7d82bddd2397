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

use super::{Observed, action_text, tool_calls};
use crate::ids::*;
use crate::scenario::format::{Category, EscalationMode, Level, RawAction, Tag};
use crate::scenario::model::{CHANGE_APPROVED, IDENTITY_VERIFIED, Scenario};
use crate::scenario::reach::candidate_fixes;
use crate::scoring::{self, Dimension, Scorecard};
use crate::session::Session;
use crate::session::action::Action;
use crate::session::event::{CallEnd, EventKind};
use crate::session::ticket::TicketStatus;
use crate::world::condition::Cond;
use crate::world::fixes::{FixCall, FixContext};
use crate::world::tools::ToolKind;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;

/// Distinct states explored per scenario by default.
pub const DEFAULT_BUDGET: usize = 4000;
/// Longest move sequence by default.
pub const DEFAULT_MAX_DEPTH: usize = 40;
/// Random play-throughs by default.
pub const DEFAULT_PLAYOUTS: usize = 200;
/// Most tool calls of one kind tried (devices, hosts, accounts, ...).
const TOOL_CAP: usize = 4;
/// Most frontier states kept in memory per search.
const FRONTIER_CAP: usize = 20_000;
/// Criteria graded on free text.
const TEXT_GRADED: [&str; 6] = [
    "facts",
    "structure",
    "length",
    "professional",
    "no_secrets",
    "handoff",
];
/// Most examples kept per kind of finding.
const MAX_FINDINGS: usize = 8;

/// How to explore.
#[derive(Debug, Clone)]
pub struct ExploreOptions {
    pub seed: u64,
    pub max_depth: usize,
    /// Distinct states explored over all variants (search only; random play is extra).
    pub budget: usize,
    pub playouts: usize,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            seed: 1,
            max_depth: DEFAULT_MAX_DEPTH,
            budget: DEFAULT_BUDGET,
            playouts: DEFAULT_PLAYOUTS,
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
struct Texts {
    notes: String,
    resolve: String,
}

/// Notes written to cover every rubric fact of the variant in real sentences under the
/// five section headings, so documentation is not what limits the search.
fn texts(s: &Scenario, v: VariantId) -> Texts {
    let mut notes = String::from(
        "Symptom: The user called the service desk and explained the problem to me.\n\
         Diagnosis: I checked the details with the user and ran the tools that were needed.\n\
         Cause: The cause of the problem was found and it is recorded in this ticket.\n\
         Actions: I took the steps that were needed and tested them with the user.\n\
         Outcome: The user confirmed the result and the ticket will be updated.\n\n",
    );
    for f in s.rubric.facts.iter().filter(|f| f.applies(v)) {
        if let Some(p) = f.phrasings.first() {
            notes.push_str(&format!("This ticket records {p} for the case.\n"));
        }
    }
    Texts {
        notes: notes.trim_end().to_string(),
        resolve: "Resolved at first line and confirmed with the user.".into(),
    }
}

/// How a state is turned into a finished attempt for scoring.
#[derive(Clone, Copy, PartialEq)]
enum Finish {
    /// Ticket and notes written, resolved or escalated per policy, call ended.
    Good,
    /// Resolved with a bare note, call ended.
    Bare,
}

/// Which moves a search considers.
#[derive(Clone, Copy, PartialEq)]
enum Moves {
    Sensible,
    All,
}

/// Relevant fixes and whether each changes the world, per (world hash, approval).
type FixCache =
    std::cell::RefCell<std::collections::HashMap<(u64, bool), Rc<Vec<(FixCall, bool)>>>>;

/// Per-variant constants for the searches.
struct Ctx<'a> {
    s: &'a Arc<Scenario>,
    v: VariantId,
    texts: Texts,
    tools: Vec<crate::world::tools::ToolCall>,
    /// Tool kinds some condition asks about.
    cond_tools: Vec<ToolKind>,
    /// Questions some condition asks about.
    cond_questions: Vec<QuestionId>,
    /// Top-level conjuncts of the resolution condition.
    goals: Vec<Cond>,
    /// Documentation score of the generated notes in this variant.
    doc_score: u32,
    /// The entities fixes are tried on.
    relevant: Relevant,
    /// Relevant fixes per (world hash, approval).
    fix_cache: FixCache,
    /// For each flag the resolution needs: dialogue moves from each node to an option
    /// that sets it (`UNREACHABLE` if none).
    flag_goals: Vec<(FlagId, Vec<u32>)>,
}

/// Distance used for a goal flag no option path leads to.
const UNREACHABLE: u32 = 12;

/// For each node, the fewest dialogue options to choose (conditions ignored) before one
/// that sets the flag has been chosen.
fn flag_distances(s: &Scenario, f: FlagId) -> Vec<u32> {
    let n = s.nodes.len();
    let mut dist = vec![UNREACHABLE; n];
    let sets = |o: &crate::scenario::model::DialogueOption| {
        o.effects
            .iter()
            .any(|e| matches!(e, crate::scenario::model::Effect::Set(x) if *x == f))
    };
    for (i, node) in s.nodes.iter().enumerate() {
        if !node.end && node.options.iter().any(|o| sets(s.option(*o))) {
            dist[i] = 1;
        }
    }
    // Relax until stable (graphs are small).
    loop {
        let mut changed = false;
        for (i, node) in s.nodes.iter().enumerate() {
            if node.end {
                continue;
            }
            for o in &node.options {
                let o = s.option(*o);
                for t in o.goto.iter().chain(o.branches.iter().map(|(_, t)| t)) {
                    let d = dist[t.index()].saturating_add(1).min(UNREACHABLE);
                    if d < dist[i] {
                        dist[i] = d;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    dist
}

/// Devices, accounts, printers and mailboxes that matter to a scenario: the customer's,
/// those named by any condition, print servers and mailbox owners of those. Fixes on
/// anything else are not tried (a trainee resetting a bystander's password is not a line
/// of play the author needs to see explored).
#[derive(Default)]
struct Relevant {
    devices: HashSet<DeviceId>,
    accounts: HashSet<AccountId>,
    printers: HashSet<PrinterId>,
    mailboxes: HashSet<MailboxId>,
}

/// The conditions the dialogue tests: options (and their branches), questions, hints.
fn dialogue_conds(s: &Scenario) -> Vec<&Cond> {
    let mut conds: Vec<&Cond> = vec![];
    for o in &s.options {
        conds.extend(o.when.iter());
        conds.extend(o.branches.iter().map(|(c, _)| c));
    }
    for q in &s.questions {
        conds.extend(q.when.iter());
    }
    for h in &s.hints {
        conds.extend(h.when.iter());
    }
    conds
}

impl Relevant {
    fn new(s: &Scenario) -> Relevant {
        let mut r = Relevant::default();
        r.devices.extend(s.customer.device);
        r.accounts.extend(s.customer.account);
        let mut conds = dialogue_conds(s);
        for v in &s.variants {
            conds.extend(v.escalation.after.iter());
            conds.push(&v.resolution.condition);
        }
        for c in conds {
            r.collect(c);
        }
        let w = s.shape();
        if w.devices.len() <= 2 {
            r.devices
                .extend((0..w.devices.len()).map(DeviceId::from_index));
        }
        // Printers mapped on relevant devices, and their servers.
        for d in r.devices.clone() {
            for p in &w.devices[d.index()].printers {
                if let Some(i) = w.printer_index(p) {
                    r.printers.insert(PrinterId::from_index(i));
                }
            }
        }
        for p in r.printers.clone() {
            if let Some(srv) = &w.printers[p.index()].server
                && let Some(i) = w.device_index(srv)
            {
                r.devices.insert(DeviceId::from_index(i));
            }
        }
        for m in r.mailboxes.clone() {
            if let Some(o) = &w.mailboxes[m.index()].owner
                && let Some(i) = w.account_index(o)
            {
                r.accounts.insert(AccountId::from_index(i));
            }
        }
        // The customer's own mailbox.
        for (i, m) in w.mailboxes.iter().enumerate() {
            if m.owner
                .as_ref()
                .and_then(|o| w.account_index(o))
                .is_some_and(|a| r.accounts.contains(&AccountId::from_index(a)))
            {
                r.mailboxes.insert(MailboxId::from_index(i));
            }
        }
        r
    }

    fn collect(&mut self, c: &Cond) {
        match c {
            Cond::All(v) | Cond::Any(v) => v.iter().for_each(|x| self.collect(x)),
            Cond::Not(x) => self.collect(x),
            Cond::Resolves(d, _)
            | Cond::Reaches(d, _)
            | Cond::DataBackedUp(d)
            | Cond::SoftwareInstalled(d, _)
            | Cond::SoftwareHealthy(d, _)
            | Cond::VpnConnected(d)
            | Cond::Booted(d)
            | Cond::Isolated(d)
            | Cond::DisplayOk(d)
            | Cond::NoMaliciousProcess(d)
            | Cond::ProcessRunning(d, _) => {
                self.devices.insert(*d);
            }
            Cond::ServiceRunning(r) => {
                self.devices.insert(r.device);
            }
            Cond::DiskFreeAtLeast(r, _) => {
                self.devices.insert(r.device);
            }
            Cond::AccountUsable(a)
            | Cond::AccountLocked(a)
            | Cond::AccountDisabled(a)
            | Cond::HasGroup(a, _)
            | Cond::HasLicence(a, _) => {
                self.accounts.insert(*a);
            }
            Cond::PrinterPrinting(p) => {
                self.printers.insert(*p);
            }
            Cond::MailboxBelowQuota(m) => {
                self.mailboxes.insert(*m);
            }
            Cond::HasMailboxAccess(m, a) => {
                self.mailboxes.insert(*m);
                self.accounts.insert(*a);
            }
            _ => {}
        }
    }

    fn fix(&self, f: &crate::world::fixes::FixCall) -> bool {
        use crate::world::fixes::FixCall::*;
        match f {
            Device(_, d) | SetDns(d, _) | EndProcess(d, _) | Package(_, d, _) => {
                self.devices.contains(d)
            }
            Service(r) => self.devices.contains(&r.device),
            Printer(_, p) | CancelJob(p, _) => self.printers.contains(p),
            Account(_, a) | AccountItem(_, a, _) => self.accounts.contains(a),
            Mailbox(_, m) => self.mailboxes.contains(m),
            GrantMailboxAccess(m, a) => self.mailboxes.contains(m) && self.accounts.contains(a),
        }
    }
}

fn collect_cond(c: &Cond, tools: &mut Vec<ToolKind>, qs: &mut Vec<QuestionId>) {
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|x| collect_cond(x, tools, qs)),
        Cond::Not(x) => collect_cond(x, tools, qs),
        Cond::RanTool(k) => tools.push(*k),
        Cond::Asked(q) => qs.push(*q),
        _ => {}
    }
}

impl<'a> Ctx<'a> {
    fn new(s: &'a Arc<Scenario>, v: VariantId) -> Self {
        let mut conds = dialogue_conds(s);
        let var = s.variant(v);
        conds.extend(var.escalation.after.iter());
        conds.push(&var.resolution.condition);
        let (mut cond_tools, mut cond_questions) = (vec![], vec![]);
        for c in conds {
            collect_cond(c, &mut cond_tools, &mut cond_questions);
        }
        let goals = match &var.resolution.condition {
            Cond::All(v) => v.clone(),
            c => vec![c.clone()],
        };
        let mut cx = Ctx {
            s,
            v,
            texts: texts(s, v),
            tools: tool_calls(s, TOOL_CAP),
            cond_tools,
            cond_questions,
            goals,
            doc_score: 100,
            relevant: Relevant::new(s),
            fix_cache: Default::default(),
            flag_goals: vec![],
        };
        // Flags the resolution needs, and those the fixes that reach it need: approval
        // when a fix of the validator's plan is refused without it, identity when one is
        // identity-guarded.
        let mut flags: Vec<FlagId> = cx
            .goals
            .iter()
            .filter_map(|g| match g {
                Cond::Flag(f) => Some(*f),
                _ => None,
            })
            .collect();
        if let crate::scenario::reach::Reach::Yes(plan) = crate::scenario::reach::resolvable(s, v) {
            let mut w = s.variant(v).world.clone();
            let ctx = FixContext {
                change_approved: false,
                password_seed: 0,
                customer: None,
            };
            for call in &plan {
                if call.apply(&mut w, &ctx).blocked && !flags.contains(&CHANGE_APPROVED) {
                    flags.push(CHANGE_APPROVED);
                }
                if call.kind().policy() == crate::world::fixes::Policy::Identity
                    && !flags.contains(&IDENTITY_VERIFIED)
                {
                    flags.push(IDENTITY_VERIFIED);
                }
            }
        }
        for f in flags {
            let d = flag_distances(s, f);
            if d[s.start.index()] < UNREACHABLE {
                cx.flag_goals.push((f, d));
            }
        }
        // Measure the generated notes once: any attempt of this variant that writes them.
        let mut sess = Session::new(s, 0);
        if sess.variant() == v {
            let _ = sess.apply(Action::Notes(cx.texts.notes.clone()));
            cx.doc_score = cx.exact(&sess).dimensions.documentation;
        } else {
            let mut a = sess.attempt();
            a.variant = s.variant(v).key.clone();
            a.ticket.notes = cx.texts.notes.clone();
            cx.doc_score = scoring::score(s, &a).dimensions.documentation;
        }
        cx
    }

    fn expected_ticket(&self) -> Action {
        let t = self.s.variant(self.v).ticket;
        Action::Ticket {
            category: Some(t.category),
            impact: Some(t.impact),
            urgency: Some(t.urgency),
        }
    }

    fn wrong_ticket(&self) -> Action {
        let t = self.s.variant(self.v).ticket;
        let category = if t.category == Category::Other {
            Category::Network
        } else {
            Category::Other
        };
        let (impact, urgency) = if t.impact == Level::Low && t.urgency == Level::Low {
            (Level::High, Level::High)
        } else {
            (Level::Low, Level::Low)
        };
        Action::Ticket {
            category: Some(category),
            impact: Some(impact),
            urgency: Some(urgency),
        }
    }

    /// Ticket and notes if not written yet.
    fn paperwork(&self, sess: &Session) -> Vec<Action> {
        let mut out = vec![];
        if sess.ticket().status != TicketStatus::Resolved {
            if sess.ticket().category.is_none() {
                out.push(self.expected_ticket());
            }
            if sess.ticket().notes.trim().is_empty() {
                out.push(Action::Notes(self.texts.notes.clone()));
            }
        }
        out
    }

    fn escalate(&self, team: TeamId) -> Action {
        Action::Escalate {
            team,
            handoff: self.texts.notes.clone(),
        }
    }

    /// Finishing sequences for a state; the best-scoring one is used.
    fn finishes(&self, sess: &Session, how: Finish) -> Vec<Vec<Action>> {
        let end = |mut v: Vec<Action>| {
            if sess.call_active() {
                v.push(Action::EndCall);
            }
            v
        };
        if how == Finish::Bare || sess.is_over() {
            let mut v = vec![];
            if !sess.ticket().closed() {
                v.push(Action::Resolve("Done.".into()));
            }
            return vec![end(v)];
        }
        let paper = self.paperwork(sess);
        if sess.ticket().closed() {
            return vec![end(paper)];
        }
        let policy = &self.s.variant(self.v).escalation;
        let mut out = vec![];
        if policy.mode != EscalationMode::Required || policy.teams.is_empty() {
            let mut v = paper.clone();
            v.push(Action::Resolve(self.texts.resolve.clone()));
            out.push(end(v));
        }
        if policy.mode != EscalationMode::Never
            && let Some(t) = policy.teams.first()
        {
            let mut v = paper;
            v.push(self.escalate(*t));
            out.push(end(v));
        }
        out
    }

    /// Completes a state and scores it quickly: the free text (notes, hand-off,
    /// resolution note) is left out of the scoring, because grading text is by far the
    /// slowest part of scoring and the explorer's text is always the same generated text.
    /// Returns the finished session, its text-free scorecard and the estimated weighted
    /// score with the text's points added back (see [`Ctx::estimate`]).
    fn complete(&self, sess: &Session, how: Finish) -> (Session, Scorecard, u64) {
        let mut best: Option<(Session, Scorecard, u64)> = None;
        for seq in self.finishes(sess, how) {
            let mut done = sess.clone();
            for a in seq {
                let _ = done.apply(a);
            }
            let (card, est) = self.quick_score(&done);
            let better = match &best {
                None => true,
                Some((_, b, e)) => match how {
                    Finish::Good => (card.overall, est) > (b.overall, *e),
                    Finish::Bare => (card.overall, est) < (b.overall, *e),
                },
            };
            if better {
                best = Some((done, card, est));
            }
        }
        best.unwrap_or_else(|| {
            let (card, est) = self.quick_score(sess);
            (sess.clone(), card, est)
        })
    }

    /// Scores an attempt without its free text; returns the card and the estimate.
    fn quick_score(&self, done: &Session) -> (Scorecard, u64) {
        let mut a = done.attempt();
        let notes = !a.ticket.notes.trim().is_empty();
        let handoff = a
            .ticket
            .escalation
            .as_ref()
            .is_some_and(|e| !e.1.trim().is_empty());
        a.ticket.notes.clear();
        if let Some(e) = a.ticket.escalation.as_mut() {
            e.1.clear();
        }
        a.ticket.resolution = None;
        let card = scoring::score(self.s, &a);
        let est = self.estimate(&card, notes, handoff);
        (card, est)
    }

    /// The exact scorecard of a finished attempt (with its text).
    fn exact(&self, done: &Session) -> Scorecard {
        scoring::score(self.s, &done.attempt())
    }

    /// The weighted score in hundredths, before caps, of a text-free scorecard with the
    /// generated text's points added back: the documentation score of the generated
    /// notes (measured once per variant) and full hand-off points (the generated hand-off
    /// states every fact).
    fn estimate(&self, card: &Scorecard, notes: bool, handoff: bool) -> u64 {
        let mut d = card.dimensions;
        if notes {
            d.documentation = self.doc_score;
        }
        if handoff {
            let (p, m) = card
                .criteria
                .iter()
                .filter(|c| c.dimension == Dimension::Escalation)
                .fold((0, 0), |(p, m), c| {
                    (
                        p + if c.id == "handoff" { c.max } else { c.points },
                        m + c.max,
                    )
                });
            d.escalation = (p * 100 + m / 2).checked_div(m).unwrap_or(100);
        }
        let w = &self.s.weights;
        let total = u64::from(w.technical + w.empathy + w.documentation + w.escalation).max(1);
        (u64::from(d.technical) * u64::from(w.technical)
            + u64::from(d.empathy) * u64::from(w.empathy)
            + u64::from(d.documentation) * u64::from(w.documentation)
            + u64::from(d.escalation) * u64::from(w.escalation))
            * 100
            / total
    }

    /// Dialogue moves still needed to set the flags the resolution needs.
    fn flag_distance(&self, sess: &Session) -> u64 {
        self.flag_goals
            .iter()
            .filter(|(f, _)| !sess.flag(*f))
            .map(|(_, d)| {
                if sess.call_active() {
                    u64::from(d[sess.node().index()])
                } else {
                    u64::from(UNREACHABLE)
                }
            })
            .sum()
    }

    /// Goal conjuncts that hold now.
    fn progress(&self, sess: &Session) -> u32 {
        let o = Observed::new(sess);
        self.goals.iter().filter(|g| o.eval(g)).count() as u32
    }

    /// The relevant concrete fixes in a state's world and whether each changes it
    /// (cached per world and approval: dialogue moves do not change the world).
    fn fixes_for(&self, n: &Node) -> Rc<Vec<(FixCall, bool)>> {
        let approved = n.sess.flag(CHANGE_APPROVED);
        let key = (n.world_hash, approved);
        if let Some(v) = self.fix_cache.borrow().get(&key) {
            return v.clone();
        }
        let s = self.s;
        let w = n.sess.world();
        let ctx = FixContext {
            change_approved: approved,
            password_seed: 0,
            customer: s
                .customer
                .account
                .map(|a| w.accounts[a.index()].username.clone()),
        };
        let v: Vec<(FixCall, bool)> = candidate_fixes(s, w)
            .into_iter()
            .filter(|c| self.relevant.fix(c))
            .map(|c| {
                let mut w2 = w.clone();
                let changed = c.apply(&mut w2, &ctx).changed;
                (c, changed)
            })
            .collect();
        let v = Rc::new(v);
        let mut cache = self.fix_cache.borrow_mut();
        if cache.len() > 5000 {
            cache.clear();
        }
        cache.insert(key, v.clone());
        v
    }

    /// The moves available in a state.
    fn moves(&self, n: &Node, which: Moves) -> Vec<Vec<Action>> {
        let sess = &n.sess;
        let s = self.s;
        let mut out: Vec<Vec<Action>> = vec![];
        if sess.is_over() {
            return out;
        }
        let active = sess.call_active();
        // Dialogue. Sensible play repeats an option only if something it could depend on
        // changed since it was last chosen (loops would otherwise only burn the clock).
        let sig = n.cond_sig();
        for o in sess.available_options() {
            if which == Moves::Sensible && n.said.iter().any(|(x, g)| *x == o && *g == sig) {
                continue;
            }
            out.push(vec![Action::Say(o)]);
        }
        // Questions, each once.
        let probed = sess.events().iter().any(|e| match &e.kind {
            EventKind::Asked { .. } => true,
            EventKind::TraineeSaid { tags, .. } => {
                tags.contains(&Tag::OpenQuestion) || tags.contains(&Tag::ClosedQuestion)
            }
            _ => false,
        });
        for q in sess.available_questions() {
            if n.asked(q) {
                continue;
            }
            let question = s.question(q);
            let plain = question
                .tags
                .iter()
                .all(|t| matches!(t, Tag::OpenQuestion | Tag::ClosedQuestion));
            if which == Moves::All || !probed || !plain || self.cond_questions.contains(&q) {
                out.push(vec![Action::Ask(q)]);
            }
        }
        // Tools, each call once.
        let diag = &s.variant(self.v).diagnosis;
        let diagnosed = sess.events().iter().any(|e| {
            matches!(&e.kind, EventKind::ToolRan { tool, .. } if diag.is_empty() || diag.contains(tool))
        });
        let mut kinds_offered: Vec<ToolKind> = vec![];
        for (i, call) in self.tools.iter().enumerate() {
            if n.ran.get(i).copied().unwrap_or(false) {
                continue;
            }
            let k = call.kind();
            let useful = (!diagnosed && (diag.is_empty() || diag.contains(&k)))
                || (self.cond_tools.contains(&k) && !n.ran_kind(self, k));
            if which == Moves::All || (useful && !kinds_offered.contains(&k)) {
                kinds_offered.push(k);
                out.push(vec![Action::Run(call.clone())]);
            }
        }
        // Fixes: those that change the world (and, for the worst search, one that does not).
        if sess.ticket().status != TicketStatus::Resolved {
            let mut wasted = 0;
            for (call, changed) in self.fixes_for(n).iter() {
                if *changed || (which == Moves::All && wasted < 1) {
                    if !changed {
                        wasted += 1;
                    }
                    out.push(vec![Action::Fix(call.clone())]);
                }
            }
        }
        // Ticket and notes on their own (the best search writes them when finishing).
        if which == Moves::All && sess.ticket().status != TicketStatus::Resolved {
            if sess.ticket().category.is_none() {
                out.push(vec![self.expected_ticket()]);
                out.push(vec![self.wrong_ticket()]);
            }
            if sess.ticket().notes.is_empty() {
                out.push(vec![Action::Notes(self.texts.notes.clone())]);
            }
        }
        // Closing the ticket.
        if !sess.ticket().closed() {
            let policy = &s.variant(self.v).escalation;
            match which {
                Moves::Sensible => {
                    if policy.mode != EscalationMode::Required {
                        let mut v = self.paperwork(sess);
                        v.push(Action::Resolve(self.texts.resolve.clone()));
                        out.push(v);
                    }
                    if policy.mode != EscalationMode::Never {
                        for t in &policy.teams {
                            let mut v = self.paperwork(sess);
                            v.push(self.escalate(*t));
                            out.push(v);
                        }
                    }
                }
                Moves::All => {
                    for t in 0..s.pack.teams.len() {
                        out.push(vec![self.escalate(TeamId::from_index(t))]);
                    }
                    out.push(vec![Action::Resolve(self.texts.resolve.clone())]);
                }
            }
        }
        if which == Moves::All {
            if active {
                out.push(vec![Action::EndCall]);
            }
            out.push(vec![Action::Hint]);
        }
        out
    }
}

/// One explored state.
#[derive(Clone)]
struct Node {
    sess: Session,
    /// Tool calls already run, by index in `Ctx::tools`.
    ran: Vec<bool>,
    depth: usize,
    world_hash: u64,
    /// Options chosen, with the condition signature at the time.
    said: Vec<(OptionId, u64)>,
    /// The state's de-duplication key (set when visited).
    key: u64,
}

impl Node {
    /// What makes a state new for the novelty queue: where the conversation is, the
    /// flags, the world, the tools run and the ticket's state.
    fn feature(&self) -> u64 {
        let s = &self.sess;
        let mut h = DefaultHasher::new();
        s.node().index().hash(&mut h);
        s.call_active().hash(&mut h);
        self.cond_sig().hash(&mut h);
        h.finish()
    }

    /// A signature of what conditions can read apart from the dialogue history: the
    /// world, the flags, the tools run, the fixes applied and the ticket.
    fn cond_sig(&self) -> u64 {
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

    fn asked(&self, q: QuestionId) -> bool {
        let key = &self.sess.scenario().question(q).key;
        self.sess
            .events()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Asked { question, .. } if question == key))
    }
    fn ran_kind(&self, cx: &Ctx, k: ToolKind) -> bool {
        cx.tools
            .iter()
            .zip(&self.ran)
            .any(|(c, r)| *r && c.kind() == k)
    }
}

fn hash_world(w: &crate::world::state::World) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{w:?}").hash(&mut h);
    h.finish()
}

/// A hash of what the trainee can observe of a state, plus its completed score (two
/// states that look alike but were reached by differently scored histories stay apart).
fn state_key(n: &Node, card: &Scorecard) -> u64 {
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
fn step(cx: &Ctx, n: &Node, mv: &[Action]) -> Option<Node> {
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
type Key = (u64, u64, u64);

/// Shared results while searching.
struct Acc {
    /// Best points per criterion: (dimension, id) → (title, best, max).
    criteria: BTreeMap<(String, String), (Dimension, String, u32, u32)>,
    dead_ends: Vec<StateFinding>,
    hang_ups: Vec<StateFinding>,
}

impl Acc {
    /// Records the points each criterion reached; text-graded criteria only from exact
    /// scorecards (quick ones leave the text out).
    fn record_criteria(&mut self, card: &Scorecard, exact: bool) {
        for c in &card.criteria {
            if !exact && TEXT_GRADED.contains(&c.id.as_str()) {
                continue;
            }
            let key = (format!("{:?}", c.dimension), c.id.clone());
            let e = self
                .criteria
                .entry(key)
                .or_insert((c.dimension, c.title.clone(), 0, c.max));
            e.2 = e.2.max(c.points);
            e.3 = e.3.max(c.max);
        }
    }

    fn finding(list: &mut Vec<StateFinding>, cx: &Ctx, sess: &Session, what: String) {
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
fn still_resolvable(cx: &Ctx, sess: &Session) -> bool {
    fn possible(c: &Cond, o: &Observed, cx: &Ctx, positive: bool) -> bool {
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
struct SearchOut {
    states: usize,
    exhausted: bool,
    resolving: Option<Path>,
    extreme: Option<Path>,
}

/// A best-first (or worst-first) search with a second, breadth-first queue of *novel*
/// states (a dialogue node, flags, world or ticket state not seen before). The two queues
/// take turns, so the search does not spend its budget on a plateau of look-alike states
/// while a different line of play is never tried.
struct Search<'c, 'a> {
    cx: &'c Ctx<'a>,
    which: Moves,
    how: Finish,
    max_depth: usize,
    out: SearchOut,
    seen: HashSet<u64>,
    features: HashSet<u64>,
    best_q: BTreeMap<Key, Rc<Node>>,
    novel_q: VecDeque<Rc<Node>>,
    seq: u64,
    extreme_est: Option<(u32, u64)>,
    extreme_score: Option<(u32, u64)>,
}

impl Search<'_, '_> {
    fn better(&self, a: (u32, u64), b: Option<(u32, u64)>) -> bool {
        match (self.how, b) {
            (_, None) => true,
            (Finish::Good, Some(b)) => a > b,
            (Finish::Bare, Some(b)) => a < b,
        }
    }

    /// Scores a new state, records what it shows, and queues it. False if seen before.
    fn visit(&mut self, mut n: Node, acc: &mut Acc, progress: &dyn Progress) -> bool {
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
        // Candidates for the best (worst) attempt are scored exactly, text included.
        let key = (card.overall, est);
        if self.better(key, self.extreme_est) {
            self.extreme_est = Some(key);
            let exact = cx.exact(&done);
            if self.how == Finish::Good {
                acc.record_criteria(&exact, true);
            }
            let exact_key = (exact.overall, cx.estimate(&exact, false, false));
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
                    .saturating_sub(cx.flag_distance(sess) * 150),
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

    fn expand(&mut self, n: &Node, acc: &mut Acc, budget: usize, progress: &dyn Progress) {
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
            if self.out.states >= budget {
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
fn search(
    cx: &Ctx,
    start: &Session,
    which: Moves,
    how: Finish,
    budget: usize,
    max_depth: usize,
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
            extreme: None,
        },
        seen: HashSet::new(),
        features: HashSet::new(),
        best_q: BTreeMap::new(),
        novel_q: VecDeque::new(),
        seq: 0,
        extreme_est: None,
        extreme_score: None,
    };
    st.visit(root, acc, progress);
    let mut expanded: HashSet<u64> = HashSet::new();
    let mut turn = 0u64;
    while st.out.states < budget {
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
fn playout(
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
    progress.start((opts.budget + opts.playouts) as u64);
    let seeds = variant_seeds(s, opts.seed);
    let nv = s.variants.len().max(1);
    let per_variant = (opts.budget / nv).max(2);
    let best_budget = (per_variant * 3 / 4).max(1);
    let worst_budget = per_variant.saturating_sub(best_budget).max(1);
    let mut acc = Acc {
        criteria: BTreeMap::new(),
        dead_ends: vec![],
        hang_ups: vec![],
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
            &mut acc,
            progress,
        );
        states += best.states + worst.states;
        let resolving = best.resolving.or(worst.resolving);
        variants.push(VariantReport {
            variant: v.key.clone(),
            seed: Some(seed),
            resolvable: resolving.is_some(),
            exhausted: best.exhausted,
            states: best.states + worst.states,
            resolving,
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
pub fn report_text(r: &ExploreReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Explored `{}`: {} states (budget {}, max depth {}, seed {}), {} random play-throughs",
        r.scenario, r.states, r.budget, r.max_depth, r.seed, r.random.playouts
    );
    let _ = writeln!(s, "\nResolvable per variant:");
    for v in &r.variants {
        let verdict = if v.resolvable {
            "yes".to_string()
        } else if v.seed.is_none() {
            "unknown (no seed picks this variant)".to_string()
        } else if v.exhausted {
            "NO (the search ran out of moves before its budget: no resolving path among the moves tried)".to_string()
        } else {
            "NO (none found within the budget)".to_string()
        };
        let _ = writeln!(
            s,
            "  {:<24} {verdict}  [{} states, seed {}]",
            v.variant,
            v.states,
            v.seed.map(|x| x.to_string()).unwrap_or("-".into())
        );
        if let Some(p) = &v.resolving {
            let _ = writeln!(
                s,
                "      shortest resolving path found: {} actions, overall {}",
                p.actions.len(),
                p.overall
            );
        }
    }
    let path = |s: &mut String, title: &str, p: &Option<Path>| {
        if let Some(p) = p {
            let _ = writeln!(
                s,
                "\n{title}: overall {} (T{} E{} D{} X{}), variant `{}`, seed {}, resolved {}, {}",
                p.overall,
                p.technical,
                p.empathy,
                p.documentation,
                p.escalation,
                p.variant,
                p.seed,
                if p.resolved { "yes" } else { "no" },
                if p.passed { "passed" } else { "not passed" }
            );
            for (i, l) in p.lines().iter().enumerate() {
                let _ = writeln!(s, "  {:>2}. {l}", i + 1);
            }
        }
    };
    path(&mut s, "Best reachable score", &r.best);
    path(&mut s, "Worst reachable score", &r.worst);
    if r.gaps.is_empty() {
        let _ = writeln!(
            s,
            "\nEvery scoring criterion reached its maximum in some explored attempt."
        );
    } else {
        let _ = writeln!(s, "\nMaximum not reached by any explored attempt:");
        for g in &r.gaps {
            let line = format!(
                "  {:<13} {:<40} best {:>3}/{:<3}{}",
                format!("{:?}", g.dimension).to_lowercase(),
                g.title,
                g.best,
                g.max,
                if g.text_graded {
                    "  (graded on free text; the explorer writes generated notes)"
                } else {
                    ""
                }
            );
            let _ = writeln!(s, "{}", line.trim_end());
        }
    }
    let rp = &r.random;
    let _ = writeln!(
        s,
        "\nRandom play ({} play-throughs): mean {:.1}, min {}, max {}; resolved {}, passed {}, customer hung up {}",
        rp.playouts, rp.mean, rp.min, rp.max, rp.resolved, rp.passed, rp.hung_up
    );
    let top = rp.histogram.iter().copied().max().unwrap_or(0).max(1);
    for (i, n) in rp.histogram.iter().enumerate() {
        let width = (*n as usize * 40).div_ceil(top as usize);
        let label = if i == 9 {
            "90–100".to_string()
        } else {
            format!("{}–{}", i * 10, i * 10 + 9)
        };
        let _ = writeln!(s, "  {label:>7} | {:<40} {n}", "█".repeat(width));
    }
    let findings = |s: &mut String, title: &str, list: &[StateFinding]| {
        if list.is_empty() {
            let _ = writeln!(s, "\n{title}: none found");
            return;
        }
        let _ = writeln!(s, "\n{title}:");
        for f in list {
            let _ = writeln!(s, "  - [{}] at node `{}`: {}", f.variant, f.node, f.what);
            let lines: Vec<String> = f.actions.iter().map(action_text).collect();
            let _ = writeln!(
                s,
                "      after: {}",
                if lines.is_empty() {
                    "(the start)".into()
                } else {
                    lines.join(", ")
                }
            );
        }
    };
    findings(&mut s, "Dead ends", &r.dead_ends);
    findings(
        &mut s,
        "States where the customer always hangs up",
        &r.hang_ups,
    );
    s
}

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
