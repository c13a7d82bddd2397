//! Per-variant search context: the moves a state offers, how a state is finished into a
//! whole attempt, and how it is scored (quickly without free text, or exactly).

use super::gameable::{Skip, verifying_options};
use super::search::Node;
use super::{Finish, Moves, TOOL_CAP, Texts, texts};
use crate::authoring::{Observed, tool_calls};
use crate::ids::*;
use crate::scenario::format::{Category, EscalationMode, Level, Tag};
use crate::scenario::model::{CHANGE_APPROVED, IDENTITY_VERIFIED, Scenario};
use crate::scenario::reach::candidate_fixes;
use crate::scoring::{self, Dimension, Scorecard};
use crate::session::Session;
use crate::session::action::Action;
use crate::session::event::EventKind;
use crate::session::ticket::TicketStatus;
use crate::world::condition::Cond;
use crate::world::fixes::{FixCall, FixContext};
use crate::world::tools::ToolKind;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

pub(super) type FixCache =
    std::cell::RefCell<std::collections::HashMap<(u64, bool), Rc<Vec<(FixCall, bool)>>>>;

/// Per-variant constants for the searches.
pub(super) struct Ctx<'a> {
    pub(super) s: &'a Arc<Scenario>,
    pub(super) v: VariantId,
    pub(super) texts: Texts,
    pub(super) tools: Vec<crate::world::tools::ToolCall>,
    /// Tool kinds some condition asks about.
    pub(super) cond_tools: Vec<ToolKind>,
    /// Questions some condition asks about.
    pub(super) cond_questions: Vec<QuestionId>,
    /// Top-level conjuncts of the resolution condition.
    pub(super) goals: Vec<Cond>,
    /// Documentation score of the generated notes in this variant.
    pub(super) doc_score: u32,
    /// The entities fixes are tried on.
    pub(super) relevant: Relevant,
    /// Relevant fixes per (world hash, approval).
    pub(super) fix_cache: FixCache,
    /// For each flag the resolution needs: dialogue moves from each node to an option
    /// that sets it (`UNREACHABLE` if none).
    pub(super) flag_goals: Vec<(FlagId, Vec<u32>)>,
    /// A step every explored attempt must skip (gameability searches), if any.
    pub(super) skip: Option<Skip>,
    /// Keys of the options whose effects verify identity.
    pub(super) verifying: Vec<String>,
}

/// Distance used for a goal flag no option path leads to.
pub(super) const UNREACHABLE: u32 = 12;

/// For each node, the fewest dialogue options to choose (conditions ignored) before one
/// that sets the flag has been chosen.
pub(super) fn flag_distances(s: &Scenario, f: FlagId) -> Vec<u32> {
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
pub(super) struct Relevant {
    pub(super) devices: HashSet<DeviceId>,
    pub(super) accounts: HashSet<AccountId>,
    pub(super) printers: HashSet<PrinterId>,
    pub(super) mailboxes: HashSet<MailboxId>,
}

/// The conditions the dialogue tests: options (and their branches), questions, hints.
pub(super) fn dialogue_conds(s: &Scenario) -> Vec<&Cond> {
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
    pub(super) fn new(s: &Scenario) -> Relevant {
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

    pub(super) fn collect(&mut self, c: &Cond) {
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

    pub(super) fn fix(&self, f: &crate::world::fixes::FixCall) -> bool {
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
            Custom(_) => true,
        }
    }
}

pub(super) fn collect_cond(c: &Cond, tools: &mut Vec<ToolKind>, qs: &mut Vec<QuestionId>) {
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|x| collect_cond(x, tools, qs)),
        Cond::Not(x) => collect_cond(x, tools, qs),
        Cond::RanTool(k) => tools.push(*k),
        Cond::Asked(q) => qs.push(*q),
        _ => {}
    }
}

impl<'a> Ctx<'a> {
    /// The same context for a search whose every attempt skips `skip` (the flags that
    /// lead to the skipped step no longer guide the search).
    pub(super) fn skipping(mut self, skip: Skip) -> Self {
        if skip == Skip::Identity {
            self.flag_goals.retain(|(f, _)| *f != IDENTITY_VERIFIED);
        }
        self.skip = Some(skip);
        self
    }

    /// The session took the step this context's search must skip.
    pub(super) fn pruned(&self, sess: &Session) -> bool {
        self.skip
            .is_some_and(|k| k.took_step(sess, &self.verifying))
    }

    /// Resolving (not escalating) closes this variant's ticket in this search.
    fn may_resolve(&self) -> bool {
        let policy = &self.s.variant(self.v).escalation;
        policy.mode != EscalationMode::Required
            || policy.teams.is_empty()
            || self.skip == Some(Skip::Escalation)
    }

    /// Escalating closes this variant's ticket in this search.
    fn may_escalate(&self) -> bool {
        self.s.variant(self.v).escalation.mode != EscalationMode::Never
            && self.skip != Some(Skip::Escalation)
    }
    pub(super) fn new(s: &'a Arc<Scenario>, v: VariantId) -> Self {
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
            skip: None,
            verifying: verifying_options(s),
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
                if call.kind().policy_in(&w) == crate::world::fixes::Policy::Identity
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

    pub(super) fn expected_ticket(&self) -> Action {
        let t = self.s.variant(self.v).ticket;
        Action::Ticket {
            category: Some(t.category),
            impact: Some(t.impact),
            urgency: Some(t.urgency),
        }
    }

    pub(super) fn wrong_ticket(&self) -> Action {
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
    pub(super) fn paperwork(&self, sess: &Session) -> Vec<Action> {
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

    pub(super) fn escalate(&self, team: TeamId) -> Action {
        Action::Escalate {
            team,
            handoff: self.texts.notes.clone(),
        }
    }

    /// Finishing sequences for a state; the best-scoring one is used.
    pub(super) fn finishes(&self, sess: &Session, how: Finish) -> Vec<Vec<Action>> {
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
        if self.may_resolve() {
            let mut v = paper.clone();
            v.push(Action::Resolve(self.texts.resolve.clone()));
            out.push(end(v));
        }
        if self.may_escalate()
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
    pub(super) fn complete(&self, sess: &Session, how: Finish) -> (Session, Scorecard, u64) {
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
    pub(super) fn quick_score(&self, done: &Session) -> (Scorecard, u64) {
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
    pub(super) fn exact(&self, done: &Session) -> Scorecard {
        scoring::score(self.s, &done.attempt())
    }

    /// The weighted score in hundredths, before caps, of a text-free scorecard with the
    /// generated text's points added back: the documentation score of the generated
    /// notes (measured once per variant) and full hand-off points (the generated hand-off
    /// states every fact).
    pub(super) fn estimate(&self, card: &Scorecard, notes: bool, handoff: bool) -> u64 {
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
    pub(super) fn flag_distance(&self, sess: &Session) -> u64 {
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
    pub(super) fn progress(&self, sess: &Session) -> u32 {
        let o = Observed::new(sess);
        self.goals.iter().filter(|g| o.eval(g)).count() as u32
    }

    /// The relevant concrete fixes in a state's world and whether each changes it
    /// (cached per world and approval: dialogue moves do not change the world).
    pub(super) fn fixes_for(&self, n: &Node) -> Rc<Vec<(FixCall, bool)>> {
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
    pub(super) fn moves(&self, n: &Node, which: Moves) -> Vec<Vec<Action>> {
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
                    if self.may_resolve() {
                        let mut v = self.paperwork(sess);
                        v.push(Action::Resolve(self.texts.resolve.clone()));
                        out.push(v);
                    }
                    if self.may_escalate() {
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
