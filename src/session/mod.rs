//! The session engine: one attempt at one scenario, driven by [`Action`]s.

pub mod action;
pub mod customer;
pub mod event;
pub mod ticket;
mod timers;

use crate::ids::*;
use crate::scenario::format::Severity;
use crate::scenario::format::{RawAction, Tag, Trait};
use crate::scenario::kb;
use crate::scenario::model::*;
use crate::world::condition::SessionFacts;
use crate::world::fixes::{FixCall, FixContext, FixKind, Policy};
use crate::world::state::World;
use crate::world::tools::{ToolCall, ToolKind};
use action::{Action, ActionError, MAX_NOTE_CHARS};
use customer::{CustomerState, Reaction};
use event::{CallEnd, ChangeClass, Event, EventKind, Violation};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;
use ticket::{Ticket, TicketStatus};

/// An action with the simulated second it was taken at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimedAction {
    pub at: u32,
    pub action: RawAction,
}

/// The record of an attempt: everything scoring needs, and enough to replay it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub scenario: String,
    pub version: u32,
    pub seed: u64,
    pub variant: String,
    pub customer: String,
    pub actions: Vec<TimedAction>,
    pub events: Vec<Event>,
    pub ticket: Ticket,
    pub resolved: bool,
    pub mood: i32,
    pub patience: i32,
    pub call_end: Option<CallEnd>,
    pub elapsed_secs: u32,
    pub hints_used: u32,
    pub temp_passwords: Vec<String>,
    pub escalated_at: Option<u32>,
    /// Per rubric fact: whether its `requires` condition held at the end of the attempt.
    #[serde(default)]
    pub fact_truth: Vec<bool>,
    /// Per scenario-specific criterion: whether its condition held at the end.
    #[serde(default)]
    pub custom_met: Vec<bool>,
    /// The fault is fixed but the customer never confirmed it (the only thing missing).
    #[serde(default)]
    pub fixed_unconfirmed: bool,
    /// Whether each escalation `after` condition held when escalating.
    pub escalated_after_checks: Option<bool>,
}

/// The session's one seeded RNG (cloneable so sessions can be forked for search).
#[derive(Debug)]
struct SeededRng(ChaCha8Rng);

impl Clone for SeededRng {
    fn clone(&self) -> Self {
        SeededRng(ChaCha8Rng::deserialize_state(&self.0.serialize_state()))
    }
}

#[derive(Debug, Clone)]
struct Pending {
    at: u32,
    account: AccountId,
}

/// One attempt in progress.
#[derive(Debug, Clone)]
pub struct Session {
    scenario: Arc<Scenario>,
    seed: u64,
    variant: VariantId,
    customer_name: String,
    rng: SeededRng,
    world: World,
    clock: u32,
    last_contact: u32,
    customer: CustomerState,
    node: NodeId,
    call_end: Option<CallEnd>,
    ticket: Ticket,
    flags: Vec<bool>,
    /// Accounts whose owner's identity has been verified.
    verified: Vec<bool>,
    /// Accounts for which a change has been approved.
    approved: Vec<bool>,
    asked: Vec<bool>,
    chosen: Vec<bool>,
    tools_ran: BTreeSet<ToolKind>,
    fixes_applied: BTreeSet<FixKind>,
    /// The main escalation: team, when, whether the policy's checks were done.
    escalated: Option<(TeamId, u32, bool)>,
    /// Every team escalated to, in order.
    escalations: Vec<TeamId>,
    hints_shown: Vec<bool>,
    hints_used: u32,
    temp_passwords: Vec<String>,
    actions: Vec<TimedAction>,
    events: Vec<Event>,
    pending: Vec<Pending>,
    timers: Vec<timers::TimerState>,
}

struct Facts<'a>(&'a Session);

impl SessionFacts for Facts<'_> {
    fn flag(&self, f: FlagId) -> bool {
        self.0.flags.get(f.index()).copied().unwrap_or(false)
    }
    fn variant(&self) -> VariantId {
        self.0.variant
    }
    fn asked(&self, q: QuestionId) -> bool {
        self.0.asked[q.index()]
    }
    fn chose(&self, o: OptionId) -> bool {
        self.0.chosen[o.index()]
    }
    fn ran_tool(&self, k: ToolKind) -> bool {
        self.0.tools_ran.contains(&k)
    }
    fn applied(&self, k: FixKind) -> bool {
        self.0.fixes_applied.contains(&k)
    }
    fn escalated_to(&self, t: TeamId) -> bool {
        self.0.escalations.contains(&t)
    }
    fn mood(&self) -> u8 {
        self.0.customer.mood.clamp(0, 100) as u8
    }
    fn elapsed_secs(&self) -> u32 {
        self.0.clock
    }
}

/// Session facts as if the customer had confirmed the outcome.
struct Confirmed<'a>(Facts<'a>);

impl SessionFacts for Confirmed<'_> {
    fn flag(&self, f: FlagId) -> bool {
        f == CUSTOMER_CONFIRMED || self.0.flag(f)
    }
    fn variant(&self) -> VariantId {
        self.0.variant()
    }
    fn asked(&self, q: QuestionId) -> bool {
        self.0.asked(q)
    }
    fn chose(&self, o: OptionId) -> bool {
        self.0.chose(o)
    }
    fn ran_tool(&self, k: ToolKind) -> bool {
        self.0.ran_tool(k)
    }
    fn applied(&self, k: FixKind) -> bool {
        self.0.applied(k)
    }
    fn escalated_to(&self, t: TeamId) -> bool {
        self.0.escalated_to(t)
    }
    fn mood(&self) -> u8 {
        self.0.mood()
    }
    fn elapsed_secs(&self) -> u32 {
        self.0.elapsed_secs()
    }
}

/// Picks a variant by weight.
fn pick_variant(s: &Scenario, rng: &mut ChaCha8Rng) -> VariantId {
    let total: u64 = s.variants.iter().map(|v| u64::from(v.weight)).sum();
    let mut r = rng.random_range(0..total.max(1));
    for (i, v) in s.variants.iter().enumerate() {
        if r < u64::from(v.weight) {
            return VariantId::from_index(i);
        }
        r -= u64::from(v.weight);
    }
    VariantId(0)
}

impl Session {
    /// Starts an attempt: the seed picks the variant and the customer's name.
    pub fn new(scenario: &Arc<Scenario>, seed: u64) -> Session {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let variant = pick_variant(scenario, &mut rng);
        let name_i = rng.random_range(0..scenario.customer.names.len().max(1));
        let customer_name = scenario
            .customer
            .names
            .get(name_i)
            .cloned()
            .unwrap_or_else(|| "Caller".into());
        let world = scenario.variant(variant).world.clone();
        let start = scenario.start;
        let mut s = Session {
            scenario: scenario.clone(),
            seed,
            variant,
            customer_name: customer_name.clone(),
            rng: SeededRng(rng),
            world,
            clock: 0,
            last_contact: 0,
            customer: CustomerState::new(&scenario.customer),
            node: start,
            call_end: None,
            ticket: Ticket::default(),
            flags: vec![false; scenario.flags.len()],
            verified: vec![false; scenario.shape().accounts.len()],
            approved: vec![false; scenario.shape().accounts.len()],
            asked: vec![false; scenario.questions.len()],
            chosen: vec![false; scenario.options.len()],
            tools_ran: BTreeSet::new(),
            fixes_applied: BTreeSet::new(),
            escalated: None,
            escalations: vec![],
            hints_shown: vec![false; scenario.hints.len()],
            hints_used: 0,
            temp_passwords: vec![],
            actions: vec![],
            events: vec![],
            pending: vec![],
            timers: vec![],
        };
        s.timers = s.new_timer_states();
        s.push(EventKind::CallStarted {
            customer: customer_name,
            channel: scenario.channel,
        });
        let line = scenario.node(start).line_for(variant).to_string();
        s.push(EventKind::CustomerSaid { text: line });
        if scenario.node(start).end {
            s.end_call(CallEnd::Conversation);
        }
        s.start_timers();
        s.fire_timers();
        s
    }

    /// A seed near `start` that plays a different variant than `variant` (the same
    /// seed when the scenario has only one), so "new variant" never repeats the last one.
    pub fn seed_for_other_variant(scenario: &Arc<Scenario>, variant: &str, start: u64) -> u64 {
        (0..512u64)
            .map(|i| start.wrapping_add(i.wrapping_mul(7919)))
            .find(|seed| Session::new(scenario, *seed).variant_key() != variant)
            .unwrap_or(start)
    }

    fn push(&mut self, kind: EventKind) {
        self.events.push(Event {
            at: self.clock,
            kind,
        });
    }

    // ----- read access for the shell and scoring -----

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn variant(&self) -> VariantId {
        self.variant
    }
    pub fn variant_key(&self) -> &str {
        &self.scenario.variant(self.variant).key
    }
    pub fn customer_name(&self) -> &str {
        &self.customer_name
    }
    pub fn world(&self) -> &World {
        &self.world
    }
    pub fn clock(&self) -> u32 {
        self.clock
    }
    /// Seconds left before the SLA is breached (negative once breached).
    pub fn sla_remaining(&self) -> i64 {
        i64::from(self.scenario.sla_minutes) * 60 - i64::from(self.clock)
    }
    pub fn mood(&self) -> i32 {
        self.customer.mood
    }
    pub fn patience(&self) -> i32 {
        self.customer.patience
    }
    pub fn node(&self) -> NodeId {
        self.node
    }
    pub fn call_active(&self) -> bool {
        self.call_end.is_none()
    }
    pub fn call_end(&self) -> Option<CallEnd> {
        self.call_end
    }
    pub fn ticket(&self) -> &Ticket {
        &self.ticket
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    pub fn actions(&self) -> &[TimedAction] {
        &self.actions
    }
    pub fn flag(&self, f: FlagId) -> bool {
        self.flags[f.index()]
    }
    pub fn hints_used(&self) -> u32 {
        self.hints_used
    }
    /// The attempt is over: ticket closed and call ended.
    pub fn is_over(&self) -> bool {
        self.ticket.closed() && self.call_end.is_some()
    }
    /// The resolution condition holds right now.
    pub fn resolved(&self) -> bool {
        self.scenario
            .variant(self.variant)
            .resolution
            .condition
            .eval(&self.world, &Facts(self))
    }
    /// Dialogue options offered right now (empty once the call has ended).
    pub fn available_options(&self) -> Vec<OptionId> {
        if self.call_end.is_some() {
            return vec![];
        }
        self.scenario
            .node(self.node)
            .options
            .iter()
            .copied()
            .filter(|o| {
                self.scenario
                    .option(*o)
                    .when
                    .as_ref()
                    .is_none_or(|c| c.eval(&self.world, &Facts(self)))
            })
            .collect()
    }
    /// Questions that can be asked right now.
    pub fn available_questions(&self) -> Vec<QuestionId> {
        if self.call_end.is_some() {
            return vec![];
        }
        (0..self.scenario.questions.len())
            .map(QuestionId::from_index)
            .filter(|q| {
                self.scenario
                    .question(*q)
                    .when
                    .as_ref()
                    .is_none_or(|c| c.eval(&self.world, &Facts(self)))
            })
            .collect()
    }

    /// The record of the attempt so far.
    pub fn attempt(&self) -> Attempt {
        Attempt {
            scenario: self.scenario.id.clone(),
            version: self.scenario.version,
            seed: self.seed,
            variant: self.variant_key().to_string(),
            customer: self.customer_name.clone(),
            actions: self.actions.clone(),
            events: self.events.clone(),
            ticket: self.ticket.clone(),
            resolved: self.resolved(),
            mood: self.customer.mood,
            patience: self.customer.patience,
            call_end: self.call_end,
            elapsed_secs: self.clock,
            hints_used: self.hints_used,
            temp_passwords: self.temp_passwords.clone(),
            escalated_at: self.escalated.map(|(_, t, _)| t),
            fact_truth: self
                .scenario
                .rubric
                .facts
                .iter()
                .map(|f| {
                    f.requires
                        .as_ref()
                        .is_none_or(|c| c.eval(&self.world, &Facts(self)))
                })
                .collect(),
            custom_met: self
                .scenario
                .criteria
                .iter()
                .map(|c| c.when.eval(&self.world, &Facts(self)))
                .collect(),
            fixed_unconfirmed: !self.resolved()
                && self
                    .scenario
                    .variant(self.variant)
                    .resolution
                    .condition
                    .eval(&self.world, &Confirmed(Facts(self))),
            escalated_after_checks: self.escalated.map(|(_, _, ok)| ok),
        }
    }

    // ----- the engine -----

    /// Checks whether an action would be accepted, without changing anything.
    fn check(&self, a: &Action) -> Result<(), ActionError> {
        let s = &self.scenario;
        if self.is_over() {
            return Err(ActionError::AttemptOver);
        }
        let closed =
            || ActionError::TicketClosed(format!("{:?}", self.ticket.status).to_lowercase());
        let text = |what: &str, t: &str| -> Result<(), ActionError> {
            if t.trim().is_empty() {
                return Err(ActionError::Empty(what.into()));
            }
            let n = t.chars().count();
            if n > MAX_NOTE_CHARS {
                return Err(ActionError::TooLong(what.into(), n));
            }
            Ok(())
        };
        match a {
            Action::Say(o) => {
                if self.call_end.is_some() {
                    return Err(ActionError::CallEnded);
                }
                if o.index() >= s.options.len() || !self.available_options().contains(o) {
                    return Err(ActionError::NotAvailableHere);
                }
            }
            Action::Ask(q) => {
                if self.call_end.is_some() {
                    return Err(ActionError::CallEnded);
                }
                if q.index() >= s.questions.len() || !self.available_questions().contains(q) {
                    return Err(ActionError::QuestionNotAvailable);
                }
            }
            Action::Run(c) => {
                if !s.tools.contains(&c.kind()) {
                    return Err(ActionError::NotAvailable(
                        "tool".into(),
                        c.kind().command().into(),
                    ));
                }
            }
            Action::Fix(c) => {
                if self.ticket.status == TicketStatus::Resolved {
                    return Err(closed());
                }
                if c.kind().guided_in(&self.world) && self.call_end.is_some() {
                    return Err(ActionError::Invalid(format!(
                        "`{}` is done by the user while you talk them through it, and the call has ended",
                        c.kind().command()
                    )));
                }
                if !s.fixes.contains(&c.kind()) {
                    return Err(ActionError::NotAvailable(
                        "fix".into(),
                        c.kind().command().into(),
                    ));
                }
            }
            Action::SearchKb(q) => text("the search", q)?,
            Action::OpenKb(k) => {
                if k.index() >= s.pack.kb.len() {
                    return Err(ActionError::Invalid("no such article".into()));
                }
            }
            Action::Ticket {
                category,
                impact,
                urgency,
            } => {
                if self.ticket.status == TicketStatus::Resolved {
                    return Err(closed());
                }
                if category.is_none() && impact.is_none() && urgency.is_none() {
                    return Err(ActionError::NoTicketChange);
                }
            }
            Action::Notes(n) => {
                if n.chars().count() > MAX_NOTE_CHARS {
                    return Err(ActionError::TooLong("the notes".into(), n.chars().count()));
                }
            }
            Action::Hint => {
                if self.next_hint().is_none() {
                    return Err(ActionError::NoHint);
                }
            }
            Action::Escalate { team, handoff } => {
                // Several teams can be handed a part (each once); a resolved ticket is closed.
                if self.ticket.status == TicketStatus::Resolved
                    || (self.ticket.closed() && self.escalations.is_empty())
                {
                    return Err(closed());
                }
                if self.escalations.contains(team) {
                    return Err(ActionError::Invalid(format!(
                        "the ticket is already with {}",
                        s.pack.team(*team).name
                    )));
                }
                if team.index() >= s.pack.teams.len() {
                    return Err(ActionError::Invalid("no such team".into()));
                }
                text("the hand-off note", handoff)?;
            }
            Action::Resolve(n) => {
                if self.ticket.closed() {
                    return Err(closed());
                }
                text("the resolution note", n)?;
            }
            Action::EndCall => {
                if self.call_end.is_some() {
                    return Err(ActionError::CallEnded);
                }
            }
            Action::Wait(m) => {
                if *m == 0 || *m > 120 {
                    return Err(ActionError::BadWait);
                }
            }
        }
        Ok(())
    }

    fn next_hint(&self) -> Option<usize> {
        (0..self.scenario.hints.len()).find(|i| {
            !self.hints_shown[*i]
                && self.scenario.hints[*i]
                    .when
                    .as_ref()
                    .is_none_or(|c| c.eval(&self.world, &Facts(self)))
        })
    }

    /// Applies an action. On error nothing changed.
    pub fn apply(&mut self, a: Action) -> Result<Vec<Event>, ActionError> {
        self.check(&a)?;
        let first_new = self.events.len();
        let raw = a.to_raw(&self.scenario);
        self.actions.push(TimedAction {
            at: self.clock,
            action: raw,
        });
        let s = self.scenario.clone();
        match a {
            Action::Say(o) => {
                self.advance(60);
                if self.call_end.is_none() {
                    self.say(&s, o);
                }
            }
            Action::Ask(q) => {
                self.advance(45);
                if self.call_end.is_none() {
                    let question = s.question(q);
                    let repeat = self.asked[q.index()];
                    self.asked[q.index()] = true;
                    self.last_contact = self.clock;
                    self.push(EventKind::Asked {
                        question: question.key.clone(),
                        text: question.text.clone(),
                        tags: question.tags.clone(),
                        repeat,
                    });
                    let mut r = Reaction::default();
                    for t in &question.tags {
                        let x = customer::react(*t, &s.customer, &self.customer);
                        r.mood += x.mood;
                        r.patience += x.patience;
                    }
                    if repeat {
                        r.mood -= 5;
                        r.patience -= 10;
                    }
                    self.feel(
                        r,
                        if repeat {
                            "asked the same question again"
                        } else {
                            "question"
                        },
                    );
                    if self.call_end.is_none() {
                        let answer = if repeat {
                            format!("Like I said... {}", question.answer_for(self.variant))
                        } else {
                            question.answer_for(self.variant).to_string()
                        };
                        self.push(EventKind::CustomerSaid { text: answer });
                    }
                }
            }
            Action::Run(call) => {
                self.advance(call.kind().cost_in(&self.world));
                self.tools_ran.insert(call.kind());
                let output = call.run(&self.world);
                let command = call.to_command(&self.world);
                let observed = self.observes_fault(&call, &output);
                self.push(EventKind::ToolRan {
                    tool: call.kind(),
                    command,
                    output,
                    observed,
                });
            }
            Action::Fix(call) => self.fix(&s, &call),
            Action::SearchKb(q) => {
                self.advance(30);
                let hits = kb::search(s.pack.kb.iter().enumerate(), &q);
                let results = hits
                    .into_iter()
                    .take(8)
                    .map(|i| s.pack.kb[i].id.clone())
                    .collect();
                self.push(EventKind::KbSearched { query: q, results });
            }
            Action::OpenKb(k) => {
                self.advance(60);
                let a = s.pack.article(k);
                self.push(EventKind::KbOpened {
                    article: a.id.clone(),
                    title: a.title.clone(),
                });
            }
            Action::Ticket {
                category,
                impact,
                urgency,
            } => {
                self.advance(10);
                if category.is_some() {
                    self.ticket.category = category;
                }
                if impact.is_some() {
                    self.ticket.impact = impact;
                }
                if urgency.is_some() {
                    self.ticket.urgency = urgency;
                }
                self.push(EventKind::TicketChanged {
                    category: self.ticket.category,
                    impact: self.ticket.impact,
                    urgency: self.ticket.urgency,
                    priority: self.ticket.priority(),
                });
            }
            Action::Notes(n) => {
                self.advance(30);
                let words = n.split_whitespace().count();
                self.ticket.notes = n;
                self.push(EventKind::NotesWritten { words });
            }
            Action::Hint => {
                if let Some(i) = self.next_hint() {
                    self.hints_shown[i] = true;
                    self.hints_used += 1;
                    self.push(EventKind::HintShown {
                        text: s.hints[i].text.clone(),
                    });
                }
            }
            Action::Escalate { team, handoff } => {
                self.advance(120);
                let policy = &s.variant(self.variant).escalation;
                let checks = policy
                    .after
                    .as_ref()
                    .is_none_or(|c| c.eval(&self.world, &Facts(self)));
                let t = s.pack.team(team).id.clone();
                // A further hand-off (`also`) never stands for the main decision.
                let further = policy.also.iter().any(|x| x.teams.contains(&team))
                    && !policy.teams.contains(&team);
                if self.escalated.is_none() && !further {
                    self.escalated = Some((team, self.clock, checks));
                    self.ticket.escalation = Some((t.clone(), handoff.clone()));
                }
                self.escalations.push(team);
                self.ticket.handoffs.push((t.clone(), handoff.clone()));
                self.ticket.status = TicketStatus::Escalated;
                self.push(EventKind::Escalated { team: t, handoff });
            }
            Action::Resolve(note) => {
                self.advance(30);
                self.ticket.status = TicketStatus::Resolved;
                self.ticket.resolution = Some(note.clone());
                let met = self.resolved();
                self.push(EventKind::Resolved {
                    note,
                    condition_met: met,
                });
            }
            Action::EndCall => {
                self.advance(10);
                if self.call_end.is_none() {
                    if !s.node(self.node).end {
                        self.feel(
                            Reaction {
                                mood: -10,
                                patience: 0,
                            },
                            "the call was ended abruptly",
                        );
                    }
                    self.end_call(CallEnd::Trainee);
                }
            }
            Action::Wait(m) => {
                self.advance(m * 60);
                self.push(EventKind::Waited { minutes: m });
            }
        }
        // A timer whose `after` this action made true counts from now.
        self.start_timers();
        self.fire_timers();
        Ok(self.events[first_new..].to_vec())
    }

    /// All of the resolution but the customer's confirmation holds.
    fn fault_fixed(&self) -> bool {
        self.scenario
            .variant(self.variant)
            .resolution
            .condition
            .eval(&self.world, &Confirmed(Facts(self)))
    }

    /// Whether a tool run looked at the fault: one of the variant's diagnosis tools on an
    /// entity the fault or the resolution concerns, or any call whose output differs from
    /// the same call on the healthy world, now and at the start (so the fault, not the
    /// trainee's own changes, makes the difference).
    fn observes_fault(&self, call: &ToolCall, output: &str) -> bool {
        let v = self.scenario.variant(self.variant);
        let on_target = call.targets().iter().any(|t| v.affected.contains(*t));
        if on_target && v.diagnosis.contains(&call.kind()) {
            return true;
        }
        if !v.affected.fault_in_world {
            return on_target && v.diagnosis.is_empty();
        }
        let healthy = call.run(&self.scenario.healthy);
        output != healthy && call.run(&v.world) != healthy
    }

    /// Applies a fix: identity and approval per subject, authored violations, the
    /// change's class (needed, unneeded, harmful), side effects.
    fn fix(&mut self, s: &Scenario, call: &FixCall) {
        let kind = call.kind();
        self.advance(kind.cost_in(&self.world));
        let subject = call.account();
        let mut violated = false;
        if kind.policy_in(&self.world) == Policy::Identity
            && !subject.is_some_and(|a| self.verified[a.index()])
        {
            let who = subject
                .map(|a| {
                    let acc = &self.world.accounts[a.index()];
                    format!("{} ({})", acc.display_name, acc.username)
                })
                .unwrap_or_else(|| "an account".into());
            let unlock = matches!(kind, FixKind::UnlockAccount | FixKind::EnableAccount);
            let (rule, severity) = if unlock {
                (Violation::UnlockWithoutIdentity, Severity::Harm)
            } else {
                (Violation::NoIdentityCheck, Severity::Critical)
            };
            let impostor = if s.variant(self.variant).impostor {
                " — and the caller was an impostor"
            } else {
                ""
            };
            self.push(EventKind::PolicyViolation {
                rule,
                detail: format!(
                    "you ran `{}` on the account of {who} without verifying that you were dealing with its owner{impostor}",
                    call.to_command(&self.world)
                ),
                severity,
                better: None,
            });
            violated = true;
        }
        self.change_world(s, call, violated, false);
    }

    /// Makes a change to the world (a console fix, or a step the customer does when
    /// asked): authored violations, the change's class (needed, unneeded, harmful), side
    /// effects. A customer step is judged exactly like the fix it stands for.
    fn change_world(
        &mut self,
        s: &Scenario,
        call: &FixCall,
        mut violated: bool,
        by_customer: bool,
    ) {
        let kind = call.kind();
        let hits: Vec<EventKind> = s
            .rules
            .iter()
            .filter(|r| r.trigger.matches_fix(call, &self.world))
            .map(|r| EventKind::PolicyViolation {
                rule: Violation::Authored,
                detail: format!("`{}`: {}", call.to_command(&self.world), r.reason),
                severity: r.severity,
                better: r.better.clone(),
            })
            .collect();
        violated |= !hits.is_empty();
        for k in hits {
            self.push(k);
        }
        let approver = self.approval_subject(call);
        let ctx = FixContext {
            change_approved: approver.is_some_and(|a| self.approved[a.index()]),
            password_seed: self.rng.0.random_range(0..10_000),
            customer: s
                .customer
                .account
                .map(|a| self.world.accounts[a.index()].username.clone()),
        };
        let command = call.to_command(&self.world);
        let out = call.apply(&mut self.world, &ctx);
        if out.changed {
            self.fixes_applied.insert(kind);
        }
        if let Some(pw) = &out.temp_password {
            self.temp_passwords.push(pw.clone());
        }
        let class = if out.blocked {
            ChangeClass::Refused
        } else if !out.changed {
            ChangeClass::NoEffect
        } else if s.variant(self.variant).needed.contains(call) {
            ChangeClass::Needed
        } else if kind.security_in(&self.world) {
            ChangeClass::Harmful
        } else {
            ChangeClass::Unneeded
        };
        self.push(EventKind::FixApplied {
            fix: kind,
            command: command.clone(),
            changed: out.changed,
            blocked: out.blocked,
            message: out.message.clone(),
            class,
            by_customer,
        });
        if let Some(h) = out.harm {
            self.push(EventKind::Harm { detail: h });
        } else if class == ChangeClass::Harmful && !violated {
            self.push(EventKind::Harm {
                detail: format!(
                    "`{command}` was not needed for this fault, and it changes security or data"
                ),
            });
        }
        if matches!(kind, FixKind::UnlockAccount | FixKind::ResetPassword)
            && out.changed
            && let Some(acc) = call.account()
            && !self.world.accounts[acc.index()]
                .stale_credentials
                .is_empty()
        {
            self.pending.push(Pending {
                at: self.clock + 120,
                account: acc,
            });
        }
    }

    /// Whose approval a change needs: the account it acts on, or the owner of the
    /// mailbox or device it changes.
    fn approval_subject(&self, call: &FixCall) -> Option<AccountId> {
        let owner = |name: &Option<String>| {
            name.as_deref()
                .and_then(|n| self.world.account_index(n))
                .map(AccountId::from_index)
        };
        match call {
            FixCall::Mailbox(_, m) | FixCall::GrantMailboxAccess(m, _) => {
                owner(&self.world.mailboxes[m.index()].owner)
            }
            FixCall::Package(_, d, _) | FixCall::Device(_, d) => {
                owner(&self.world.devices[d.index()].owner)
            }
            other => other.account(),
        }
    }

    fn say(&mut self, s: &Scenario, o: OptionId) {
        let opt = s.option(o);
        let fixed = self.fault_fixed();
        self.chosen[o.index()] = true;
        self.last_contact = self.clock;
        self.push(EventKind::TraineeSaid {
            option: opt.key.clone(),
            text: opt.text.clone(),
            tags: opt.tags.clone(),
            fixed,
        });
        for r in s
            .rules
            .iter()
            .filter(|r| matches!(r.trigger, Trigger::Option(x) if x == o))
        {
            self.push(EventKind::PolicyViolation {
                rule: Violation::Authored,
                detail: format!("you said \"{}\": {}", opt.text, r.reason),
                severity: r.severity,
                better: r.better.clone(),
            });
        }
        let mut r = Reaction::default();
        let mut reasons = vec![];
        for t in &opt.tags {
            let x = customer::react(*t, &s.customer, &self.customer);
            if x.mood != 0 {
                reasons.push(format!("{t:?}"));
            }
            r.mood += x.mood;
            r.patience += x.patience;
            match t {
                Tag::AcknowledgeFeelings => self.customer.acknowledged += 1,
                Tag::Apologise => self.customer.apologies += 1,
                Tag::SetExpectations => {
                    self.customer.hold_until = self.clock + 600;
                    self.customer.expectations += 1;
                }
                _ => {}
            }
        }
        let caller = s.customer.account;
        let mut steps = vec![];
        for e in &opt.effects {
            match e {
                Effect::Set(f) => {
                    self.flags[f.index()] = true;
                    // The built-in flags speak for the caller's own account; an approval
                    // also covers the accounts this ticket is about (what the fault or the
                    // resolution concerns), never anyone else's.
                    if *f == IDENTITY_VERIFIED
                        && let Some(a) = caller
                    {
                        self.verified[a.index()] = true;
                    } else if *f == CHANGE_APPROVED {
                        let v = s.variant(self.variant);
                        let owners =
                            v.affected
                                .mailboxes
                                .iter()
                                .filter_map(|m| self.world.mailboxes[m.index()].owner.as_deref())
                                .chain(
                                    v.affected.devices.iter().filter_map(|d| {
                                        self.world.devices[d.index()].owner.as_deref()
                                    }),
                                )
                                .filter_map(|n| self.world.account_index(n))
                                .map(AccountId::from_index)
                                .collect::<Vec<_>>();
                        for a in caller.iter().chain(&v.affected.accounts).chain(&owners) {
                            self.approved[a.index()] = true;
                        }
                    }
                }
                Effect::Clear(f) => self.flags[f.index()] = false,
                Effect::Verify(a) => {
                    self.verified[a.index()] = true;
                    self.flags[IDENTITY_VERIFIED.index()] = true;
                }
                Effect::Approve(a) => {
                    self.approved[a.index()] = true;
                    self.flags[CHANGE_APPROVED.index()] = true;
                }
                Effect::Mood(m) => r.mood += i32::from(*m),
                Effect::Patience(p) => r.patience += i32::from(*p),
                Effect::Step(c) => steps.push(c.clone()),
                Effect::Violation {
                    severity,
                    reason,
                    better,
                } => self.push(EventKind::PolicyViolation {
                    rule: Violation::Authored,
                    detail: format!("you said \"{}\": {reason}", opt.text),
                    severity: *severity,
                    better: better.clone(),
                }),
            }
        }
        for c in &steps {
            self.change_world(s, c, false, true);
        }
        self.feel(r, &reasons.join(", "));
        if self.call_end.is_some() {
            return;
        }
        let facts = Facts(self);
        let next = opt
            .branches
            .iter()
            .find(|(c, _)| c.eval(&self.world, &facts))
            .map(|(_, n)| *n)
            .or(opt.goto);
        match next {
            Some(n) => {
                self.node = n;
                let line = s.node(n).line_for(self.variant).to_string();
                self.push(EventKind::CustomerSaid { text: line });
                if s.node(n).end {
                    self.end_call(CallEnd::Conversation);
                }
            }
            None => {
                if let Some(reply) = &opt.reply {
                    self.push(EventKind::CustomerSaid {
                        text: reply.clone(),
                    });
                }
            }
        }
    }

    /// Applies a mood/patience change and checks whether the customer gives up.
    fn feel(&mut self, r: Reaction, reason: &str) {
        if r.mood == 0 && r.patience == 0 {
            return;
        }
        self.customer.mood = (self.customer.mood + r.mood).clamp(0, 100);
        self.customer.patience = (self.customer.patience + r.patience).clamp(0, 100);
        if r.mood.abs() >= 5 || r.patience.abs() >= 5 {
            self.push(EventKind::Mood {
                mood: self.customer.mood,
                patience: self.customer.patience,
                reason: reason.to_string(),
            });
        }
        self.check_patience();
    }

    fn check_patience(&mut self) {
        if self.call_end.is_none() && self.customer.patience <= 0 {
            let vip = self.scenario.customer.has(Trait::Vip);
            let (text, how) = if vip {
                (
                    "That's it. I want to speak to your manager. Now.",
                    CallEnd::DemandedManager,
                )
            } else {
                (
                    "I'm sorry, I can't keep waiting like this. I'll try someone else.",
                    CallEnd::CustomerHungUp,
                )
            };
            self.push(EventKind::CustomerSaid { text: text.into() });
            self.end_call(how);
        }
    }

    fn end_call(&mut self, how: CallEnd) {
        self.call_end = Some(how);
        self.push(EventKind::CallEnded { how });
    }

    /// Moves the clock, draining patience while the customer waits on the line and
    /// firing delayed world changes.
    fn advance(&mut self, secs: u32) {
        let target = self.clock + secs;
        while self.clock < target {
            let step = (target - self.clock).min(60);
            self.clock += step;
            if self.call_end.is_none() {
                let silent = self.clock.saturating_sub(self.last_contact) > 120
                    && self.clock > self.customer.hold_until;
                let rate = customer::drain_per_minute(&self.scenario.customer, silent);
                self.customer.drain_acc += rate * step;
                let lost = self.customer.drain_acc / 600;
                self.customer.drain_acc %= 600;
                if lost > 0 {
                    self.customer.patience = (self.customer.patience - lost as i32).max(0);
                    if silent && self.customer.patience % 10 == 0 {
                        self.push(EventKind::Mood {
                            mood: self.customer.mood,
                            patience: self.customer.patience,
                            reason: "waiting in silence on the line".into(),
                        });
                    }
                    self.check_patience();
                }
            }
            let due: Vec<Pending> = self
                .pending
                .iter()
                .filter(|p| p.at <= self.clock)
                .cloned()
                .collect();
            self.pending.retain(|p| p.at > self.clock);
            for p in due {
                let acc = &mut self.world.accounts[p.account.index()];
                if !acc.stale_credentials.is_empty() && !acc.locked {
                    acc.locked = true;
                    acc.failed_logins = 5;
                    acc.lockout_source = Some(acc.stale_credentials[0].clone());
                    let text = format!(
                        "Account {} was locked again: 5 bad passwords from {}.",
                        acc.username, acc.stale_credentials[0]
                    );
                    self.push(EventKind::WorldChanged { text });
                }
            }
            self.start_timers();
            self.fire_timers();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::format::RawAction;
    use crate::scenario::load::load_pack;

    fn scenario() -> Arc<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, diags) = load_pack(&dir).unwrap();
        let pack = pack.unwrap_or_else(|| panic!("bundled pack loads: {diags:?}"));
        pack.scenario("password-reset").unwrap().clone()
    }

    fn act(s: &Scenario, r: RawAction) -> Action {
        Action::resolve(&r, s).unwrap()
    }

    #[test]
    fn rejected_actions_change_nothing() {
        let s = scenario();
        let mut sess = Session::new(&s, 5);
        let before = (
            sess.clock(),
            sess.events().len(),
            sess.actions().len(),
            sess.mood(),
            sess.node(),
        );
        // Not offered at the opening node.
        let e = sess
            .apply(act(&s, RawAction::Say("close_polite".into())))
            .unwrap_err();
        assert_eq!(e, ActionError::NotAvailableHere);
        assert!(
            sess.apply(act(&s, RawAction::Resolve("  ".into())))
                .is_err()
        );
        assert!(sess.apply(act(&s, RawAction::Wait(0))).is_err());
        assert!(
            sess.apply(Action::Ticket {
                category: None,
                impact: None,
                urgency: None
            })
            .is_err()
        );
        assert_eq!(
            before,
            (
                sess.clock(),
                sess.events().len(),
                sess.actions().len(),
                sess.mood(),
                sess.node()
            )
        );
    }

    #[test]
    fn closed_ticket_and_ended_call_end_the_attempt() {
        let s = scenario();
        let mut sess = Session::new(&s, 5);
        sess.apply(act(&s, RawAction::Resolve("done".into())))
            .unwrap();
        assert!(matches!(
            sess.apply(act(&s, RawAction::Fix("unlock_account dwhitfield".into()))),
            Err(ActionError::TicketClosed(_))
        ));
        sess.apply(Action::EndCall).unwrap();
        assert!(sess.is_over());
        assert_eq!(sess.apply(Action::Hint), Err(ActionError::AttemptOver));
    }

    #[test]
    fn silence_drains_patience_until_the_customer_hangs_up() {
        let s = scenario();
        let mut sess = Session::new(&s, 5);
        sess.apply(Action::Wait(45)).unwrap();
        assert_eq!(sess.call_end(), Some(CallEnd::CustomerHungUp));
        assert!(
            sess.apply(act(&s, RawAction::Say("greet_ack".into())))
                .is_err()
        );
        // The ticket can still be worked after the customer is gone.
        assert!(
            sess.apply(act(&s, RawAction::Run("account dwhitfield".into())))
                .is_ok()
        );
    }

    #[test]
    fn a_vip_demands_a_manager_instead() {
        let mut s = (*scenario()).clone();
        s.customer.traits.push(Trait::Vip);
        let s = Arc::new(s);
        let mut sess = Session::new(&s, 5);
        sess.apply(Action::Wait(45)).unwrap();
        assert_eq!(sess.call_end(), Some(CallEnd::DemandedManager));
    }

    #[test]
    fn jargon_upsets_a_novice_more_than_empathy_does() {
        let s = scenario();
        let mut a = Session::new(&s, 5);
        let mut b = Session::new(&s, 5);
        a.apply(act(&s, RawAction::Say("greet_ack".into())))
            .unwrap();
        b.apply(act(&s, RawAction::Say("greet_jargon".into())))
            .unwrap();
        assert!(a.mood() > s.customer.mood as i32);
        assert!(b.mood() < s.customer.mood as i32);
    }

    #[test]
    fn reset_without_verification_is_a_policy_violation() {
        let s = scenario();
        let mut sess = Session::new(&s, 5);
        let ev = sess
            .apply(act(&s, RawAction::Fix("reset_password dwhitfield".into())))
            .unwrap();
        assert!(ev.iter().any(|e| matches!(
            e.kind,
            EventKind::PolicyViolation {
                rule: Violation::NoIdentityCheck,
                ..
            }
        )));
        assert_eq!(sess.attempt().temp_passwords.len(), 1);
    }

    #[test]
    fn hints_run_out_and_are_counted() {
        let s = scenario();
        let mut sess = Session::new(&s, 5);
        let mut n = 0;
        while sess.apply(Action::Hint).is_ok() {
            n += 1;
        }
        assert_eq!(n as usize, s.hints.len());
        assert_eq!(sess.hints_used(), n);
    }

    #[test]
    fn same_seed_same_everything() {
        let s = scenario();
        let log = [
            RawAction::Say("greet_ack".into()),
            RawAction::Say("skip_verify".into()),
            RawAction::Fix("reset_password dwhitfield".into()),
        ];
        let run = |seed| {
            let mut sess = Session::new(&s, seed);
            for r in &log {
                let _ = sess.apply(act(&s, r.clone()));
            }
            serde_json::to_string(&sess.attempt()).unwrap()
        };
        assert_eq!(run(9), run(9));
        let variants: std::collections::BTreeSet<String> = (0..64)
            .map(|seed| Session::new(&s, seed).variant_key().to_string())
            .collect();
        assert_eq!(variants.len(), s.variants.len());
    }
}
