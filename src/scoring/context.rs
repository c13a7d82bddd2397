//! What an attempt shows, read once from its events and ticket, for every criterion.

use super::writing::{self, Graded};
use super::{Evidence, ev};
use crate::ids::{TeamId, VariantId};
use crate::scenario::format::{EscalationMode, Reveals, Severity, Tag};
use crate::scenario::model::{Fact, Scenario, Variant};
use crate::session::Attempt;
use crate::session::event::{CallEnd, ChangeClass, Event, EventKind};
use crate::world::condition::Cond;

/// A line the trainee said (an option or a question) with its tags.
pub struct Line<'a> {
    pub event: &'a Event,
    pub tags: &'a [Tag],
    /// The fault was fixed when it was said.
    pub fixed: bool,
    pub question: bool,
}

/// Everything criteria read.
pub struct Ctx<'a> {
    pub s: &'a Scenario,
    pub a: &'a Attempt,
    pub vid: VariantId,
    pub v: &'a Variant,
    pub events: &'a [Event],
    /// When the first change to the world (or the escalation) happened.
    pub first_act_at: Option<u32>,
    /// Tool runs that showed the fault.
    pub observations: Vec<&'a Event>,
    /// Questions whose answer tells this variant apart, asked.
    pub revealing_questions: Vec<&'a Event>,
    /// The scenario has questions whose answer depends on the variant.
    pub has_revealing_questions: bool,
    /// Lines the trainee said.
    pub lines: Vec<Line<'a>>,
    /// Changes made, with their class.
    pub changes: Vec<(&'a Event, ChangeClass)>,
    /// Policy violations, each with its severity.
    pub violations: Vec<(&'a Event, Severity)>,
    /// Harm events.
    pub harms: Vec<&'a Event>,
    /// Hints shown with what each gave away, in order.
    pub hints: Vec<(&'a Event, Reveals)>,
    /// The team escalated to, if any.
    pub team: Option<TeamId>,
    pub escalation_event: Option<&'a Event>,
    /// The work notes graded against the attempt.
    pub notes: Graded,
    /// The hand-off graded against the attempt.
    pub handoff: Graded,
    /// The caller dropped the call (hung up or demanded a manager).
    pub dropped: bool,
    /// The customer's confirmation is part of the resolution.
    pub customer_confirms: bool,
}

impl<'a> Ctx<'a> {
    pub fn new(s: &'a Scenario, a: &'a Attempt) -> Ctx<'a> {
        let vid = s.variant_id(&a.variant).unwrap_or(VariantId(0));
        let v = s.variant(vid);
        let events = &a.events[..];
        let first_act_at = events
            .iter()
            .find(|e| {
                matches!(
                    e.kind,
                    EventKind::FixApplied { changed: true, .. } | EventKind::Escalated { .. }
                )
            })
            .map(|e| e.at);
        let observations = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::ToolRan { observed: true, .. }))
            .collect();
        let revealing_questions = events
            .iter()
            .filter(|e| match &e.kind {
                EventKind::Asked { question, .. } => s
                    .question_id(question)
                    .is_some_and(|q| s.question(q).reveals),
                EventKind::TraineeSaid { option, .. } => {
                    s.option_id(option).is_some_and(|o| s.option(o).reveals)
                }
                _ => false,
            })
            .collect();
        let has_revealing =
            s.questions.iter().any(|q| q.reveals) || s.options.iter().any(|o| o.reveals);
        let lines = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::TraineeSaid { tags, fixed, .. } => Some(Line {
                    event: e,
                    tags,
                    fixed: *fixed,
                    question: false,
                }),
                EventKind::Asked { tags, .. } => Some(Line {
                    event: e,
                    tags,
                    fixed: false,
                    question: true,
                }),
                _ => None,
            })
            .collect();
        let changes = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::FixApplied { class, .. } => Some((e, *class)),
                _ => None,
            })
            .collect();
        let violations = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::PolicyViolation { severity, .. } => Some((e, *severity)),
                _ => None,
            })
            .collect();
        let harms = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Harm { .. }))
            .collect();
        let hint_reveals: Vec<(&Event, Reveals)> = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::HintShown { text } => Some((
                    e,
                    s.hints
                        .iter()
                        .find(|h| &h.text == text)
                        .map(|h| h.reveals)
                        .unwrap_or(Reveals::Nudge),
                )),
                _ => None,
            })
            .collect();
        // The main escalation's event (further hand-offs are scored on their own).
        let main_team = a.ticket.escalation.as_ref().map(|(t, _)| t);
        let escalation_event = events.iter().find(
            |e| matches!(&e.kind, EventKind::Escalated { team, .. } if Some(team) == main_team),
        );
        let team = a
            .ticket
            .escalation
            .as_ref()
            .and_then(|(t, _)| s.pack.team_id(t));
        let truth = |i: usize, f: &Fact| -> bool {
            f.applies(vid) && a.fact_truth.get(i).copied().unwrap_or(true) && implied_truth(f, a)
        };
        let notes = writing::grade(s, a, &a.ticket.notes, &required_notes(s, vid), &truth);
        let handoff_text = a
            .ticket
            .escalation
            .as_ref()
            .map(|(_, h)| h.as_str())
            .unwrap_or("");
        let handoff = writing::grade(s, a, handoff_text, &required_handoff(s, v), &truth);
        let dropped = matches!(
            a.call_end,
            Some(CallEnd::CustomerHungUp | CallEnd::DemandedManager)
        );
        Ctx {
            s,
            a,
            vid,
            v,
            events,
            first_act_at,
            observations,
            revealing_questions,
            has_revealing_questions: has_revealing,
            lines,
            changes,
            violations,
            harms,
            hints: hint_reveals,
            team,
            escalation_event,
            notes,
            handoff,
            dropped,
            customer_confirms: mentions_confirmed(&v.resolution.condition),
        }
    }

    /// Grades a text (a further hand-off) against these rubric facts, like the hand-off.
    pub fn grade_text(&self, text: &str, facts: &[usize]) -> Graded {
        let (a, vid) = (self.a, self.vid);
        let truth = |i: usize, f: &Fact| -> bool {
            f.applies(vid) && a.fact_truth.get(i).copied().unwrap_or(true) && implied_truth(f, a)
        };
        writing::grade(self.s, a, text, facts, &truth)
    }

    /// Evidence for one event, described.
    pub fn evidence(&self, e: &Event) -> Evidence {
        ev(e, super::describe(e))
    }

    /// The first line the trainee said with this tag.
    pub fn said(&self, t: Tag) -> Option<&Line<'a>> {
        self.lines.iter().find(|l| l.tags.contains(&t))
    }

    /// Lines actually spoken (options and questions).
    pub fn spoke(&self) -> usize {
        self.lines.len()
    }

    /// The trainee did something that counts: looked at the fault, changed something
    /// or escalated.
    pub fn engaged(&self) -> bool {
        !self.observations.is_empty() || self.first_act_at.is_some() || !self.lines.is_empty()
    }

    /// A team's display name.
    pub fn team_name(&self, t: TeamId) -> String {
        self.s.pack.team(t).name.clone()
    }

    /// Display names of the teams this variant may escalate to.
    pub fn team_names(&self) -> String {
        self.v
            .escalation
            .teams
            .iter()
            .map(|t| self.team_name(*t))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// Escalated to one of the variant's teams.
    pub fn right_team(&self) -> bool {
        self.team
            .is_some_and(|t| self.v.escalation.teams.contains(&t))
    }

    /// The variant is handled by first line (escalating is wrong).
    pub fn never_escalate(&self) -> bool {
        self.v.escalation.mode == EscalationMode::Never
    }

    /// The variant's caller is an impostor.
    pub fn impostor(&self) -> bool {
        self.v.impostor
    }

    /// Scenario-specific advice for a criterion, or the default.
    pub fn advice(&self, id: &str, default: impl Into<String>) -> String {
        self.s
            .advice
            .get(id)
            .cloned()
            .unwrap_or_else(|| default.into())
    }
}

/// Facts whose id says they are about the outcome are only true when the attempt
/// resolved it (authors can be precise with `requires`).
fn implied_truth(f: &Fact, a: &Attempt) -> bool {
    if f.requires.is_some() {
        return true;
    }
    let k = f.key.as_str();
    if k.starts_with("outcome") || k.starts_with("resolved") || k.starts_with("confirmed") {
        return a.resolved || a.fixed_unconfirmed;
    }
    true
}

/// Rubric facts the notes must state in this variant.
pub(super) fn required_notes(s: &Scenario, v: VariantId) -> Vec<usize> {
    (0..s.rubric.facts.len())
        .filter(|i| s.rubric.facts[*i].applies(v))
        .collect()
}

/// Facts the hand-off must state: the variant's declared ones, else all the notes' facts.
fn required_handoff(s: &Scenario, v: &Variant) -> Vec<usize> {
    if v.escalation.handoff.is_empty() {
        let vid = s.variant_id(&v.key).unwrap_or(VariantId(0));
        required_notes(s, vid)
    } else {
        let vid = s.variant_id(&v.key).unwrap_or(VariantId(0));
        v.escalation
            .handoff
            .iter()
            .map(|f| f.index())
            .filter(|i| s.rubric.facts[*i].applies(vid))
            .collect()
    }
}

fn mentions_confirmed(c: &Cond) -> bool {
    use crate::scenario::model::CUSTOMER_CONFIRMED;
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().any(mentions_confirmed),
        Cond::Not(_) => false,
        Cond::Flag(f) => *f == CUSTOMER_CONFIRMED,
        _ => false,
    }
}
