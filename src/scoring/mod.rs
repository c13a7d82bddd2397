//! Scoring: a pure function from scenario + attempt to a scorecard, as a table of small
//! criteria (`registry`), one module per dimension. Every point is earned by evidence
//! from the attempt: what was done, to which target, what the world showed, what was true.

pub mod context;
pub mod documentation;
pub mod empathy;
pub mod escalation;
pub mod further;
pub mod notes;
pub mod registry;
pub mod technical;
pub mod writing;

use crate::scenario::format::{Category, DimensionDef, EscalationMode, Severity};
use crate::scenario::model::Scenario;
use crate::session::Attempt;
use crate::session::event::{ChangeClass, Event, EventKind, Violation, clock};
use context::Ctx;
use registry::Mark;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
pub use writing::SentenceVerdict;

/// The four skills scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Technical,
    Empathy,
    Documentation,
    Escalation,
}

/// One event cited as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub at: u32,
    pub time: String,
    pub text: String,
}

/// What happened, why it matters, what better looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub what: String,
    pub why: String,
    pub better: String,
}

/// One scored criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub dimension: Dimension,
    /// Borrowed for built-in criteria (no allocation per scoring), owned for a
    /// scenario's own.
    pub id: Cow<'static, str>,
    pub title: Cow<'static, str>,
    pub points: u32,
    pub max: u32,
    pub evidence: Vec<Evidence>,
    pub feedback: Option<Feedback>,
}

/// A mistake serious enough to cap the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriticalFail {
    pub id: String,
    pub what: String,
    pub at: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimensions {
    pub technical: u32,
    pub empathy: u32,
    pub documentation: u32,
    pub escalation: u32,
}

impl Dimensions {
    /// Machine names of the four dimensions (serde field names, report columns, xAPI
    /// extension names), in [`Dimensions::named`] order.
    pub const KEYS: [&'static str; 4] = ["technical", "empathy", "documentation", "escalation"];

    /// The four scores with their machine names.
    pub fn keyed(&self) -> [(&'static str, u32); 4] {
        let n = self.named();
        std::array::from_fn(|i| (Self::KEYS[i], n[i].1))
    }

    /// The four scores with their display names, in the order screens and reports show them.
    pub fn named(&self) -> [(&'static str, u32); 4] {
        [
            ("Technical", self.technical),
            ("Empathy", self.empathy),
            ("Documentation", self.documentation),
            ("Escalation", self.escalation),
        ]
    }
}

/// The result of an attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub scenario: String,
    pub version: u32,
    pub seed: u64,
    pub variant: String,
    pub resolved: bool,
    pub overall: u32,
    pub passed: bool,
    pub pass_mark: u32,
    pub dimensions: Dimensions,
    pub critical: Vec<CriticalFail>,
    pub criteria: Vec<Criterion>,
    /// One line per lesson, most important first.
    pub feedback: Vec<String>,
    pub elapsed: String,
    /// What the grader made of each sentence of the notes and the hand-off.
    #[serde(default)]
    pub writing: Writing,
}

/// Per-sentence verdicts on the trainee's writing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Writing {
    pub notes: Vec<SentenceVerdict>,
    pub handoff: Vec<SentenceVerdict>,
}

impl Scorecard {
    /// Labels of the rubric facts the notes earned.
    pub fn earned_facts(&self) -> Vec<&str> {
        self.writing
            .notes
            .iter()
            .flat_map(|v| v.earned.iter().map(String::as_str))
            .collect()
    }
}

/// Evidence from one event.
pub(crate) fn ev(e: &Event, text: impl Into<String>) -> Evidence {
    Evidence {
        at: e.at,
        time: clock(e.at),
        text: text.into(),
    }
}

/// Feedback: what happened, why it matters, what better looks like.
pub(crate) fn fb(what: impl Into<String>, why: &str, better: impl Into<String>) -> Feedback {
    Feedback {
        what: what.into(),
        why: why.into(),
        better: better.into(),
    }
}

/// How far below the pass mark an attempt that cannot pass is shown at most, so a
/// failed attempt never reads as a near miss.
pub const BLOCKED_MARGIN: u32 = 10;

/// How important a lesson is in the debrief (lower first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Critical,
    Outcome,
    Harm,
    Rest,
}

/// Scores an attempt. Pure: the same scenario and attempt always give the same scorecard.
pub fn score(s: &Scenario, a: &Attempt) -> Scorecard {
    let c = Ctx::new(s, a);
    let mut criteria: Vec<Criterion> =
        Vec::with_capacity(registry::CRITERIA.len() + s.criteria.len());
    for d in registry::CRITERIA {
        let Some(m) = (d.eval)(&c) else { continue };
        push(
            &mut criteria,
            s,
            d.id.into(),
            d.dimension,
            d.title.into(),
            m,
        );
    }
    for (i, cc) in s.criteria.iter().enumerate() {
        let met = a.custom_met.get(i).copied().unwrap_or(false);
        let m = Mark {
            points: if met { cc.points } else { 0 },
            max: cc.points,
            evidence: vec![],
            feedback: (!met).then(|| fb(cc.what.clone(), &cc.why, cc.better.clone())),
        };
        let dim = match cc.dimension {
            DimensionDef::Technical => Dimension::Technical,
            DimensionDef::Empathy => Dimension::Empathy,
            DimensionDef::Documentation => Dimension::Documentation,
            DimensionDef::Escalation => Dimension::Escalation,
        };
        push(
            &mut criteria,
            s,
            cc.id.clone().into(),
            dim,
            cc.title.clone().into(),
            m,
        );
    }

    let critical = critical_fails(&c);
    let dim = |d: Dimension| -> u32 {
        let (p, m) = criteria
            .iter()
            .filter(|c| c.dimension == d)
            .fold((0u32, 0u32), |(p, m), c| (p + c.points, m + c.max));
        (p * 100 + m / 2).checked_div(m).unwrap_or(0)
    };
    let dims = Dimensions {
        technical: dim(Dimension::Technical),
        empathy: dim(Dimension::Empathy),
        documentation: dim(Dimension::Documentation),
        escalation: dim(Dimension::Escalation),
    };
    let w = s.weights;
    let total_w = (w.technical + w.empathy + w.documentation + w.escalation).max(1);
    let weighted = dims.technical * w.technical
        + dims.empathy * w.empathy
        + dims.documentation * w.documentation
        + dims.escalation * w.escalation;
    let mut overall = (weighted + total_w / 2) / total_w;
    if !critical.is_empty() {
        overall = overall.min(u32::from(s.pack.critical_cap));
    }
    let blockers = blockers(&c);
    if !blockers.is_empty() {
        overall = overall.min(u32::from(s.pass_mark).saturating_sub(BLOCKED_MARGIN));
    }
    let passed = critical.is_empty() && blockers.is_empty() && overall >= u32::from(s.pass_mark);
    let feedback = lessons(&c, &criteria, &critical, &blockers);
    Scorecard {
        scenario: s.id.clone(),
        version: s.version,
        seed: a.seed,
        variant: a.variant.clone(),
        resolved: a.resolved,
        overall,
        passed,
        pass_mark: u32::from(s.pass_mark),
        dimensions: dims,
        critical,
        criteria,
        feedback,
        elapsed: clock(a.elapsed_secs),
        writing: Writing {
            notes: c.notes.verdicts.clone(),
            handoff: c.handoff.verdicts.clone(),
        },
    }
}

fn push(
    out: &mut Vec<Criterion>,
    s: &Scenario,
    id: Cow<'static, str>,
    d: Dimension,
    title: Cow<'static, str>,
    m: Mark,
) {
    let (points, max) = match s.pack.criteria.get(id.as_ref()) {
        Some(0) => return,
        Some(&new) => ((m.points * new).checked_div(m.max).unwrap_or(0), new),
        None => (m.points, m.max),
    };
    if max == 0 {
        return;
    }
    out.push(Criterion {
        dimension: d,
        id,
        title,
        points,
        max,
        evidence: m.evidence,
        feedback: if points < max { m.feedback } else { None },
    });
}

/// Mistakes that fail the attempt and cap its score.
fn critical_fails(c: &Ctx) -> Vec<CriticalFail> {
    let mut out = vec![];
    for (e, sev) in &c.violations {
        if *sev != Severity::Critical {
            continue;
        }
        let (id, what) = match &e.kind {
            EventKind::PolicyViolation {
                rule: Violation::NoIdentityCheck,
                detail,
                ..
            } => (
                "no_identity_check",
                format!(
                    "{} Verify identity (a call-back to the number on file, verification questions) before changing anyone's credentials or access.",
                    sentence(detail)
                ),
            ),
            EventKind::PolicyViolation { detail, .. } => ("policy_violation", sentence(detail)),
            _ => continue,
        };
        out.push(CriticalFail {
            id: id.into(),
            what,
            at: Some(e.at),
        });
    }
    if let Some(x) = documentation::leaked(c) {
        out.push(CriticalFail {
            id: "secret_in_ticket".into(),
            what: format!(
                "The ticket contains {x}: a password or key in a ticket is a security incident."
            ),
            at: None,
        });
    }
    if c.v.escalation.mode == EscalationMode::Required
        && c.v.ticket.category == Category::Security
        && c.team.is_none()
    {
        out.push(CriticalFail {
            id: "security_not_escalated".into(),
            what: format!(
                "A security incident was not reported to {}.",
                c.team_names()
            ),
            at: None,
        });
    }
    out
}

fn sentence(s: &str) -> String {
    let mut t = s.trim().to_string();
    if let Some(f) = t.get(0..1) {
        t.replace_range(0..1, &f.to_uppercase());
    }
    if !t.ends_with(['.', '!', '?']) {
        t.push('.');
    }
    t
}

/// Reasons the attempt cannot pass, whatever its points.
fn blockers(c: &Ctx) -> Vec<String> {
    let mut out = vec![];
    let a = c.a;
    if !a.resolved {
        out.push("the outcome was not reached".into());
    }
    if !c.harms.is_empty() || c.violations.iter().any(|(_, s)| *s == Severity::Harm) {
        out.push("harm was done".into());
    }
    // A ticket whose notes record nothing true is not a finished job, however well the
    // call went: the next person has nothing to work from.
    if !c.notes.required.is_empty() && c.notes.earned.is_empty() {
        out.push("the ticket notes record nothing of the call".into());
    }
    let esc = &c.v.escalation;
    match esc.mode {
        EscalationMode::Never if c.team.is_some() => out.push("it was escalated needlessly".into()),
        EscalationMode::Required => {
            if !c.right_team() {
                out.push("it did not reach the right team".into());
            } else {
                if !escalation::handoff_complete(c) {
                    out.push("the hand-off did not carry what the team needs".into());
                }
                if esc.after.is_some() && a.escalated_after_checks != Some(true) {
                    out.push("it was escalated before the required checks".into());
                }
                if esc
                    .within_minutes
                    .is_some_and(|m| a.escalated_at.is_some_and(|t| t > m * 60))
                {
                    out.push("it was escalated too late".into());
                }
            }
        }
        _ => {}
    }
    let random = c
        .changes
        .iter()
        .filter(|(_, k)| {
            matches!(
                k,
                ChangeClass::NoEffect | ChangeClass::Refused | ChangeClass::Unneeded
            )
        })
        .count();
    if random >= 2 {
        out.push(format!(
            "{random} fixes were tried that the fault did not need"
        ));
    }
    let first_seen = c.observations.first().map(|e| e.at);
    let acted_blind = c.changes.iter().any(|(e, k)| {
        !matches!(k, ChangeClass::NoEffect | ChangeClass::Refused)
            && first_seen.is_none_or(|t| e.at < t)
    }) || c
        .escalation_event
        .is_some_and(|e| first_seen.is_none_or(|t| e.at < t));
    let a = &c.v.affected;
    let nothing_named = a.devices.is_empty()
        && a.accounts.is_empty()
        && a.printers.is_empty()
        && a.mailboxes.is_empty();
    let observable = a.fault_in_world || !(c.v.diagnosis.is_empty() || nothing_named);
    if observable && (acted_blind || first_seen.is_none()) {
        out.push("the fault was never looked at before acting".into());
    }
    out
}

/// The debrief's lessons, most important first: critical fails, the outcome, every harm
/// and violation, then the rest by how many overall points they cost.
fn lessons(
    c: &Ctx,
    criteria: &[Criterion],
    critical: &[CriticalFail],
    blockers: &[String],
) -> Vec<String> {
    let mut out: Vec<(Tier, i64, String)> = vec![];
    for x in critical {
        out.push((Tier::Critical, 0, format!("CRITICAL — {}", x.what)));
    }
    if c.impostor() && !c.a.resolved {
        out.push((
            Tier::Outcome,
            0,
            "The caller was an impostor: a social-engineering attempt, not a customer to help."
                .into(),
        ));
    }
    for (e, sev) in &c.violations {
        if *sev == Severity::Critical {
            continue;
        }
        if let EventKind::PolicyViolation { detail, better, .. } = &e.kind {
            let better = better.clone().unwrap_or_else(|| {
                "Follow the policy: verify, get approval, or leave it to the owning team.".into()
            });
            // The damage the same action did, said in the same lesson.
            let damage: Vec<String> = c
                .harms
                .iter()
                .filter(|h| h.at == e.at)
                .filter_map(|h| match &h.kind {
                    EventKind::Harm { detail } => Some(sentence(detail)),
                    _ => None,
                })
                .collect();
            let text = if damage.is_empty() {
                format!("Policy ({}): {}", clock(e.at), sentence(detail))
            } else {
                format!(
                    "Harm ({}): {} Policy: {}",
                    clock(e.at),
                    damage.join(" "),
                    sentence(detail)
                )
            };
            out.push((Tier::Harm, 0, format!("{text} Better: {better}")));
        }
    }
    for e in &c.harms {
        // The same action already explained as a violation is not explained twice.
        if c.violations.iter().any(|(v, _)| v.at == e.at) {
            continue;
        }
        if let EventKind::Harm { detail } = &e.kind {
            out.push((
                Tier::Harm,
                0,
                format!("Harm ({}): {}", clock(e.at), sentence(detail)),
            ));
        }
    }
    let w = c.s.weights;
    let dim_max = |d: Dimension| -> u32 {
        criteria
            .iter()
            .filter(|x| x.dimension == d)
            .map(|x| x.max)
            .sum::<u32>()
            .max(1)
    };
    let weight = |d: Dimension| match d {
        Dimension::Technical => w.technical,
        Dimension::Empathy => w.empathy,
        Dimension::Documentation => w.documentation,
        Dimension::Escalation => w.escalation,
    };
    for x in criteria {
        let Some(f) = &x.feedback else { continue };
        if x.id == "no_harm" && (!c.harms.is_empty() || !c.violations.is_empty()) {
            continue;
        }
        if x.id == "decision" && critical.iter().any(|k| k.id == "security_not_escalated") {
            continue;
        }
        let loss =
            i64::from((x.max - x.points) * weight(x.dimension) * 1000 / dim_max(x.dimension));
        let tier = if x.id == "root_cause" {
            Tier::Outcome
        } else {
            Tier::Rest
        };
        out.push((
            tier,
            -loss,
            format!("{}: {} {} Better: {}", x.title, f.what, f.why, f.better),
        ));
    }
    out.sort_by_key(|x| (x.0, x.1));
    let mut lines: Vec<String> = out.into_iter().map(|x| x.2).collect();
    if critical.is_empty() && !blockers.is_empty() && !c.a.resolved && lines.is_empty() {
        lines.push(format!("Not passed: {}.", blockers.join("; ")));
    }
    lines
}

/// A one-line description of an event for evidence and timelines.
pub fn describe(e: &Event) -> String {
    match &e.kind {
        EventKind::CallStarted { customer, channel } => format!("{channel:?} from {customer}"),
        EventKind::CustomerSaid { text } => format!("Customer: \"{text}\""),
        EventKind::TraineeSaid { text, .. } => format!("You: \"{text}\""),
        EventKind::Asked { text, repeat, .. } => {
            format!(
                "You asked: \"{text}\"{}",
                if *repeat { " (again)" } else { "" }
            )
        }
        EventKind::ToolRan { command, .. } => format!("Ran `{command}`"),
        EventKind::FixApplied {
            command,
            changed,
            blocked,
            message,
            by_customer,
            ..
        } => format!(
            "{} `{command}`{} — {message}",
            if *by_customer {
                "The customer did"
            } else {
                "Applied"
            },
            if *blocked {
                " (refused)"
            } else if *changed {
                ""
            } else {
                " (no effect)"
            }
        ),
        EventKind::PolicyViolation { detail, .. } => format!("Policy violation: {detail}"),
        EventKind::Harm { detail } => format!("Harm: {detail}"),
        EventKind::KbSearched { query, results } => format!(
            "Searched the KB for \"{query}\": {}",
            if results.is_empty() {
                "no results".to_string()
            } else {
                results.join(", ")
            }
        ),
        EventKind::KbOpened { title, .. } => format!("Opened KB article \"{title}\""),
        EventKind::TicketChanged {
            category, priority, ..
        } => format!(
            "Ticket: {} {}",
            category.map(|c| format!("{c:?}")).unwrap_or_default(),
            priority.map(|p| p.to_string()).unwrap_or_default()
        ),
        EventKind::NotesWritten { words } => format!("Wrote work notes ({words} words)"),
        EventKind::HintShown { text } => format!("Hint: {text}"),
        EventKind::Mood {
            mood,
            patience,
            reason,
        } => format!("Customer mood {mood}, patience {patience} ({reason})"),
        EventKind::Escalated { team, .. } => format!("Escalated to {team}"),
        EventKind::Resolved { condition_met, .. } => {
            format!(
                "Resolved the ticket{}",
                if *condition_met {
                    ""
                } else {
                    " (but the fault was still there)"
                }
            )
        }
        EventKind::WorldChanged { text } => text.clone(),
        EventKind::CallEnded { how } => format!("Call ended ({how:?})"),
        EventKind::Waited { minutes } => format!("Waited {minutes} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::format::RawAction;
    use crate::scenario::load::load_pack;
    use crate::session::Session;
    use crate::session::action::Action;
    use std::sync::Arc;

    fn scenario() -> Arc<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, _) = load_pack(&dir).unwrap();
        pack.unwrap().scenario("password-reset").unwrap().clone()
    }

    fn play(s: &Arc<Scenario>, seed: u64, log: &[RawAction]) -> Scorecard {
        let mut sess = Session::new(s, seed);
        for r in log {
            let _ = sess.apply(Action::resolve(r, s).unwrap());
        }
        score(s, &sess.attempt())
    }

    #[test]
    fn doing_nothing_fails_and_explains_why() {
        let s = scenario();
        let c = play(&s, 5, &[]);
        assert!(!c.passed && !c.resolved);
        assert!(
            c.feedback
                .iter()
                .any(|f| f.contains("Root cause dealt with"))
        );
        assert!(c.criteria.iter().all(|x| x.points <= x.max));
    }

    #[test]
    fn a_critical_fail_caps_the_overall_score() {
        let s = scenario();
        let c = play(
            &s,
            5,
            &[
                RawAction::Say("greet_ack".into()),
                RawAction::Say("skip_verify".into()),
                RawAction::Fix("reset_password dwhitfield".into()),
                RawAction::Say("try_now".into()),
            ],
        );
        assert!(!c.critical.is_empty());
        assert!(c.overall <= u32::from(s.pack.critical_cap));
        assert!(c.feedback[0].starts_with("CRITICAL"));
    }

    #[test]
    fn escalating_an_l1_problem_scores_zero_on_escalation() {
        let s = scenario();
        let c = play(
            &s,
            5,
            &[RawAction::Escalate {
                team: "identity".into(),
                handoff: "Please reset her password.".into(),
            }],
        );
        assert_eq!(c.dimensions.escalation, 0);
        assert!(c.feedback.iter().any(|f| f.contains("first line")));
    }

    /// Issue 10: nothing is free. The expert call, word for word, with no ticket notes
    /// cannot pass: the notes are part of the job.
    #[test]
    fn issue10_a_call_without_notes_does_not_pass() {
        let s = scenario();
        let mut log = vec![
            RawAction::Say("greet_ack".into()),
            RawAction::Say("verify_id".into()),
            RawAction::Say("do_callback".into()),
            RawAction::Say("ask_open".into()),
            RawAction::Run("account dwhitfield".into()),
            RawAction::Say("hold2".into()),
            RawAction::Fix("reset_password dwhitfield".into()),
            RawAction::Say("try_now".into()),
            RawAction::Say("teach_sspr".into()),
            RawAction::Say("close_polite".into()),
            RawAction::Resolve("Password reset; user signed in.".into()),
        ];
        let bare = play(&s, 5, &log);
        assert!(bare.resolved && !bare.passed, "{}", bare.overall);
        assert!(bare.overall < u32::from(s.pass_mark));
        log.insert(
            10,
            RawAction::Notes(
                "Dana Whitfield's password had expired during her leave; the account lookup showed it. I reset it after a call-back and she signed in."
                    .into(),
            ),
        );
        let noted = play(&s, 5, &log);
        assert!(noted.overall > bare.overall);
    }

    #[test]
    fn evidence_carries_simulated_time() {
        let s = scenario();
        let c = play(&s, 5, &[RawAction::Run("account dwhitfield".into())]);
        let diag = c
            .criteria
            .iter()
            .find(|x| x.id == "diagnosis_first")
            .unwrap();
        assert_eq!(diag.evidence[0].time, "00:45");
    }
}
