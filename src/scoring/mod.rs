//! Scoring: a pure function from scenario + attempt to a scorecard.

pub mod notes;

use crate::scenario::format::{Category, EscalationMode, Tag, TechLevel, Trait};
use crate::scenario::model::{Fact, Scenario};
use crate::session::Attempt;
use crate::session::event::{CallEnd, Event, EventKind, Violation, clock};
use crate::session::ticket::priority;
use serde::{Deserialize, Serialize};

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
    pub id: String,
    pub title: String,
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
}

fn ev(e: &Event, text: impl Into<String>) -> Evidence {
    Evidence {
        at: e.at,
        time: clock(e.at),
        text: text.into(),
    }
}

fn fb(what: impl Into<String>, why: &str, better: impl Into<String>) -> Option<Feedback> {
    Some(Feedback {
        what: what.into(),
        why: why.into(),
        better: better.into(),
    })
}

struct Builder {
    criteria: Vec<Criterion>,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        dimension: Dimension,
        id: &str,
        title: &str,
        points: u32,
        max: u32,
        evidence: Vec<Evidence>,
        feedback: Option<Feedback>,
    ) {
        let points = points.min(max);
        self.criteria.push(Criterion {
            dimension,
            id: id.into(),
            title: title.into(),
            points,
            max,
            evidence,
            feedback: if points < max { feedback } else { None },
        });
    }
    fn score(&self, d: Dimension) -> u32 {
        let (p, m) = self
            .criteria
            .iter()
            .filter(|c| c.dimension == d)
            .fold((0u32, 0u32), |(p, m), c| (p + c.points, m + c.max));
        (p * 100 + m / 2).checked_div(m).unwrap_or(100)
    }
}

fn said_tags(events: &[Event]) -> Vec<(&Event, &Vec<Tag>)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::TraineeSaid { tags, .. } | EventKind::Asked { tags, .. } => Some((e, tags)),
            _ => None,
        })
        .collect()
}

fn trainee_line(e: &Event) -> String {
    match &e.kind {
        EventKind::TraineeSaid { text, .. } => format!("You said: \"{text}\""),
        EventKind::Asked { text, .. } => format!("You asked: \"{text}\""),
        _ => String::new(),
    }
}

/// Scores an attempt. Pure: the same scenario and attempt always give the same scorecard.
pub fn score(s: &Scenario, a: &Attempt) -> Scorecard {
    let vid = s.variant_id(&a.variant).unwrap_or(crate::ids::VariantId(0));
    let v = s.variant(vid);
    let events = &a.events;
    let mut b = Builder { criteria: vec![] };
    let mut critical: Vec<CriticalFail> = vec![];

    let first_action_at = events
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                EventKind::FixApplied { changed: true, .. } | EventKind::Escalated { .. }
            )
        })
        .map(|e| e.at);

    // ---------------- technical ----------------
    use Dimension::*;
    let resolved_ev: Vec<Evidence> = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Resolved { .. } | EventKind::Escalated { .. }
            )
        })
        .map(|e| ev(e, describe(e)))
        .collect();
    b.add(
        Technical,
        "root_cause",
        "Root cause fixed",
        if a.resolved { 35 } else { 0 },
        35,
        resolved_ev,
        fb(
            if a.fixed_unconfirmed {
                "The fault itself was fixed, but the customer never confirmed it works, so the ticket is not resolved from their side.".to_string()
            } else {
                format!("The fault was not fixed. In this attempt the cause was: {}.", v.description)
            },
            "Until the root cause is fixed the customer cannot work, and the ticket will come back.",
            format!("Aim for: {}.", v.resolution.description),
        ),
    );
    let diag_tools = &v.diagnosis;
    let diag_events: Vec<&Event> = events
        .iter()
        .filter(|e| match &e.kind {
            EventKind::ToolRan { tool, .. } => diag_tools.is_empty() || diag_tools.contains(tool),
            _ => false,
        })
        .collect();
    let diagnosed_first = match first_action_at {
        Some(t) => diag_events.iter().any(|e| e.at <= t),
        None => !diag_events.is_empty(),
    };
    let tool_names: Vec<&str> = diag_tools.iter().map(|t| t.command()).collect();
    b.add(
        Technical,
        "diagnosis_first",
        "Diagnosed before fixing",
        if diagnosed_first {
            20
        } else if !diag_events.is_empty() {
            8
        } else {
            0
        },
        20,
        diag_events
            .iter()
            .take(3)
            .map(|e| ev(e, describe(e)))
            .collect(),
        fb(
            if diag_events.is_empty() {
                "You did not run the diagnostic that shows the cause.".to_string()
            } else {
                "You changed things before gathering evidence.".to_string()
            },
            "Fixing without evidence is guessing: it wastes time and can make things worse.",
            if tool_names.is_empty() {
                "Run a diagnostic tool first, then fix what it shows.".to_string()
            } else {
                format!(
                    "Run {} first and let its output point you at the cause.",
                    tool_names.join(" / ")
                )
            },
        ),
    );
    let harms: Vec<&Event> = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Harm { .. } | EventKind::PolicyViolation { .. }
            )
        })
        .collect();
    let harm_pts = harms.iter().fold(15i32, |acc, e| {
        acc - match e.kind {
            EventKind::PolicyViolation { .. } => 15,
            _ => 8,
        }
    });
    b.add(
        Technical,
        "no_harm",
        "No harmful actions",
        harm_pts.max(0) as u32,
        15,
        harms.iter().map(|e| ev(e, describe(e))).collect(),
        fb(
            format!("You did something harmful: {}.", harms.first().map(|e| describe(e)).unwrap_or_default()),
            "A help desk action that breaks policy or destroys other people's work creates a bigger incident than the one you were fixing.",
            "Check the policy (identity, approval, who else is affected) before acting, and choose the narrowest fix.",
        ),
    );
    let wasted: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::FixApplied { changed: false, .. }))
        .collect();
    let shotgun = 10i32 - 4 * (wasted.len() as i32 - 1).max(0);
    b.add(
        Technical,
        "no_shotgun",
        "No shotgun fixes",
        shotgun.max(0) as u32,
        10,
        wasted.iter().map(|e| ev(e, describe(e))).collect(),
        fb(
            format!("{} fixes changed nothing.", wasted.len()),
            "Trying fixes at random costs the customer time and hides what actually worked.",
            "Form a hypothesis from the diagnostics and apply the one fix it points to.",
        ),
    );
    let cat_ok = a.ticket.category == Some(v.ticket.category);
    b.add(
        Technical,
        "ticket_category",
        "Ticket category",
        if cat_ok { 5 } else { 0 },
        5,
        vec![],
        fb(
            format!(
                "Category was {}.",
                a.ticket
                    .category
                    .map(|c| format!("{c:?}"))
                    .unwrap_or_else(|| "not set".into())
            ),
            "Categories route tickets and drive reporting; a wrong one hides trends.",
            format!("This is a {:?} ticket.", v.ticket.category),
        ),
    );
    let want = priority(v.ticket.impact, v.ticket.urgency);
    let got = a.ticket.priority();
    let prio_pts = match got {
        Some(p) if p == want => 10,
        Some(p) if (p as i32 - want as i32).abs() == 1 => 5,
        _ => 0,
    };
    b.add(
        Technical,
        "ticket_priority",
        "Ticket priority",
        prio_pts,
        10,
        vec![],
        fb(
            format!("Priority was {}.", got.map(|p| p.to_string()).unwrap_or_else(|| "not set (impact and urgency are both needed)".into())),
            "Priority decides who gets helped first; over- or under-rating it hurts other customers.",
            format!(
                "Impact {:?} × urgency {:?} gives {want}.",
                v.ticket.impact, v.ticket.urgency
            ),
        ),
    );
    let in_sla = a.elapsed_secs <= s.sla_minutes * 60;
    b.add(
        Technical,
        "sla",
        "Within the SLA",
        if in_sla { 5 } else { 0 },
        5,
        vec![],
        fb(
            format!("The attempt took {} against an SLA of {} minutes.", clock(a.elapsed_secs), s.sla_minutes),
            "SLAs are promises to the business; breaching them has consequences for the whole desk.",
            format!("An expert needs about {} minutes: diagnose, fix, document.", s.minutes),
        ),
    );
    let hint_events: Vec<Evidence> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::HintShown { .. }))
        .map(|e| ev(e, "Asked for a hint"))
        .collect();
    b.add(
        Technical,
        "independence",
        "Worked without hints",
        5u32.saturating_sub(2 * a.hints_used),
        5,
        hint_events,
        fb(
            format!("You used {} hint(s).", a.hints_used),
            "Hints are fine while learning, but on the job you'll need to reason it out.",
            "Next time try the knowledge base and the diagnostic tools before asking for a hint.",
        ),
    );

    // ---------------- empathy ----------------
    let tags = said_tags(events);
    let has = |t: Tag| tags.iter().find(|(_, ts)| ts.contains(&t)).map(|(e, _)| *e);
    let c = &s.customer;
    let upset = c.mood < 50 || c.has(Trait::Anxious) || c.has(Trait::Angry) || c.has(Trait::Vip);
    if upset {
        let early = tags
            .iter()
            .take(3)
            .any(|(_, ts)| ts.contains(&Tag::AcknowledgeFeelings));
        let any = has(Tag::AcknowledgeFeelings);
        b.add(
            Empathy,
            "acknowledge",
            "Acknowledged feelings",
            if early { 15 } else if any.is_some() { 8 } else { 0 },
            15,
            any.map(|e| vec![ev(e, trainee_line(e))]).unwrap_or_default(),
            fb(
                if any.is_some() { "You acknowledged their feelings, but late." } else { "The customer was stressed and you never acknowledged it." },
                "An upset person cannot listen to troubleshooting steps until they feel heard.",
                "Early in the call, name the feeling and the impact: \"That sounds really stressful with your deadline — let's sort it out.\"",
            ),
        );
    }
    let own = has(Tag::TakeOwnership).or(has(Tag::SetExpectations));
    b.add(
        Empathy,
        "ownership",
        "Ownership and expectations",
        if has(Tag::TakeOwnership).is_some() && has(Tag::SetExpectations).is_some() {
            10
        } else if own.is_some() {
            6
        } else {
            0
        },
        10,
        own.map(|e| vec![ev(e, trainee_line(e))]).unwrap_or_default(),
        fb(
            "You did not both take ownership and tell the customer what would happen next.",
            "Customers relax when someone owns the problem and they know what to expect (and for how long).",
            "Say \"I'll take care of this\" and set expectations: \"I'll check a few things — about two minutes; please stay on the line.\"",
        ),
    );
    let jargon: Vec<&Event> = tags
        .iter()
        .filter(|(_, ts)| ts.contains(&Tag::Jargon))
        .map(|(e, _)| *e)
        .collect();
    let per = if c.has(Trait::HatesJargon) || c.tech_level == TechLevel::Novice {
        8
    } else if c.tech_level == TechLevel::Intermediate {
        4
    } else {
        0
    };
    b.add(
        Empathy,
        "language",
        "Language fitted to the customer",
        15u32.saturating_sub(per * jargon.len() as u32),
        15,
        jargon.iter().map(|e| ev(e, trainee_line(e))).collect(),
        fb(
            format!("You used jargon with a {:?}-level customer.", c.tech_level),
            "Jargon makes a non-technical customer feel stupid and lost — and they stop cooperating.",
            "Explain in plain words what you are doing and why (\"your laptop is asking the wrong phone book for addresses\").",
        ),
    );
    let rude: Vec<&Event> = tags
        .iter()
        .filter(|(_, ts)| ts.contains(&Tag::BlameUser) || ts.contains(&Tag::Dismissive))
        .map(|(e, _)| *e)
        .collect();
    b.add(
        Empathy,
        "respect",
        "No blame or dismissiveness",
        15u32.saturating_sub(10 * rude.len() as u32),
        15,
        rude.iter().map(|e| ev(e, trainee_line(e))).collect(),
        fb(
            "You blamed or dismissed the customer.",
            "Blame makes people hide problems next time; dismissiveness loses their trust in IT.",
            "Focus on the problem, not the person: \"This happens — let's get it fixed.\"",
        ),
    );
    let probe = tags
        .iter()
        .find(|(e, ts)| {
            (ts.contains(&Tag::OpenQuestion)
                || ts.contains(&Tag::ClosedQuestion)
                || matches!(e.kind, EventKind::Asked { .. }))
                && first_action_at.is_none_or(|t| e.at <= t)
        })
        .map(|(e, _)| *e);
    b.add(
        Empathy,
        "probing",
        "Probing questions before acting",
        if probe.is_some() { 10 } else { 0 },
        10,
        probe.map(|e| vec![ev(e, trainee_line(e))]).unwrap_or_default(),
        fb(
            "You acted before asking the customer anything about the problem.",
            "The customer knows when it started, what changed and what the error says — that's free evidence.",
            "Ask an open question first: \"What happens when you try?\" then narrow down.",
        ),
    );
    if s.teaching {
        let t = has(Tag::TeachUser);
        b.add(
            Empathy,
            "teaching",
            "Taught the user to help themselves",
            if t.is_some() { 10 } else { 0 },
            10,
            t.map(|e| vec![ev(e, trainee_line(e))]).unwrap_or_default(),
            fb(
                "You fixed it for them but did not show them how to avoid or fix it next time.",
                "Teaching users self-service prevents repeat calls and builds their confidence.",
                "Walk them through it once (\"next time, you can...\") and point them to the self-service guide.",
            ),
        );
    }
    let confirm = has(Tag::ConfirmResolution);
    b.add(
        Empathy,
        "confirm",
        "Confirmed the outcome with the customer",
        if confirm.is_some() { 10 } else { 0 },
        10,
        confirm.map(|e| vec![ev(e, trainee_line(e))]).unwrap_or_default(),
        fb(
            "You never checked with the customer that it works (or that they understood the next step).",
            "Only the customer can confirm the problem is gone from their point of view.",
            "Ask them to try it while you're still on the line: \"Could you try opening it now?\"",
        ),
    );
    let close = has(Tag::PoliteClose);
    let dropped = matches!(
        a.call_end,
        Some(CallEnd::CustomerHungUp | CallEnd::DemandedManager)
    );
    b.add(
        Empathy,
        "close",
        "Courteous close",
        if close.is_some() && !dropped { 5 } else { 0 },
        5,
        close
            .map(|e| vec![ev(e, trainee_line(e))])
            .unwrap_or_default(),
        fb(
            "The call did not end with a courteous close.",
            "The last impression is the one the customer remembers (and rates).",
            "Summarise, give the ticket number, ask if there is anything else, and thank them.",
        ),
    );
    let mood_pts = match a.mood {
        70.. => 10,
        50..=69 => 6,
        30..=49 => 3,
        _ => 0,
    };
    let end_ev: Vec<Evidence> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::CallEnded { .. }))
        .map(|e| ev(e, describe(e)))
        .collect();
    b.add(
        Empathy,
        "final_mood",
        "Customer left satisfied",
        if dropped { 0 } else { mood_pts },
        10,
        end_ev,
        fb(
            if dropped {
                "The customer ran out of patience and the call ended badly.".to_string()
            } else {
                format!("The customer ended the call {} (mood {}).", crate::session::customer::mood_label(a.mood), a.mood)
            },
            "How the customer feels at the end decides whether they trust the help desk next time.",
            "Keep them informed during silences, acknowledge frustration, and avoid blame and jargon.",
        ),
    );

    // ---------------- documentation ----------------
    let facts: Vec<&Fact> = s.rubric.facts.iter().filter(|f| f.applies(vid)).collect();
    let text = &a.ticket.notes;
    let all_facts: Vec<&Fact> = s.rubric.facts.iter().collect();
    let covered = notes::facts_covered_with(text, &facts, &all_facts);
    let missing: Vec<&str> = facts
        .iter()
        .filter(|f| !covered.iter().any(|c| c.key == f.key))
        .map(|f| f.label.as_str())
        .collect();
    let fact_pts = if facts.is_empty() {
        50
    } else {
        (50 * covered.len() as u32) / facts.len() as u32
    };
    let notes_ev: Vec<Evidence> = events
        .iter()
        .rfind(|e| matches!(e.kind, EventKind::NotesWritten { .. }))
        .map(|e| vec![ev(e, describe(e))])
        .unwrap_or_default();
    b.add(
        Documentation,
        "facts",
        "Notes state the key facts",
        fact_pts,
        50,
        notes_ev.clone(),
        fb(
            format!("The notes are missing: {}.", missing.join("; ")),
            "The next technician (or you, next week) must be able to understand the case from the notes alone.",
            "Write full sentences that state each fact: what the user reported, what you found, the cause, what you did and the result.",
        ),
    );
    let secs = notes::sections(text, &all_facts);
    let missing_secs: Vec<&str> = notes::Section::ALL
        .iter()
        .filter(|x| !secs.contains(x))
        .map(|x| x.label())
        .collect();
    b.add(
        Documentation,
        "structure",
        "Structured notes",
        4 * secs.len() as u32,
        20,
        vec![],
        fb(
            format!("No content for: {}.", missing_secs.join(", ")),
            "A predictable structure lets anyone find the cause and the outcome in seconds.",
            "Use Symptom / Diagnosis / Cause / Actions / Outcome, each with a real sentence.",
        ),
    );
    let wc = notes::word_count(text) as u32;
    let len_pts = if wc == 0 {
        0
    } else if wc < s.rubric.min_words {
        10 * wc / s.rubric.min_words
    } else if wc > s.rubric.max_words {
        5
    } else {
        10
    };
    b.add(
        Documentation,
        "length",
        "Concise but complete",
        len_pts,
        10,
        vec![],
        fb(
            format!(
                "The notes are {wc} words (aim for {}–{}).",
                s.rubric.min_words, s.rubric.max_words
            ),
            "Too short loses facts; too long buries them.",
            "Cover the five parts in a few sentences each.",
        ),
    );
    let slang = notes::unprofessional(&format!(
        "{text}\n{}",
        a.ticket
            .escalation
            .as_ref()
            .map(|e| e.1.as_str())
            .unwrap_or("")
    ));
    b.add(
        Documentation,
        "professional",
        "Professional tone",
        if wc == 0 {
            0
        } else {
            10u32.saturating_sub(5 * slang.len() as u32)
        },
        10,
        vec![],
        fb(
            if wc == 0 {
                "There are no notes.".to_string()
            } else {
                format!("Unprofessional wording: {}.", slang.join(", "))
            },
            "Tickets are business records; customers and auditors may read them.",
            "Describe facts neutrally, without blame or slang.",
        ),
    );
    let all_text = format!(
        "{text}\n{}\n{}",
        a.ticket
            .escalation
            .as_ref()
            .map(|e| e.1.as_str())
            .unwrap_or(""),
        a.ticket.resolution.as_deref().unwrap_or("")
    );
    let secret = notes::secret(&all_text, &a.temp_passwords);
    b.add(
        Documentation,
        "no_secrets",
        "No secrets in the ticket",
        if secret.is_none() && wc > 0 { 10 } else { 0 },
        10,
        vec![],
        fb(
            secret.clone().map(|x| format!("The ticket contains {x}.")).unwrap_or_else(|| "There are no notes.".into()),
            "Tickets are widely readable; a password in a ticket is a security incident.",
            "Write \"temporary password given verbally to the verified user\" — never the password itself.",
        ),
    );
    if let Some(sx) = secret {
        critical.push(CriticalFail {
            id: "secret_in_ticket".into(),
            what: format!("The ticket contains {sx}."),
            at: None,
        });
    }

    // ---------------- escalation ----------------
    let esc = &v.escalation;
    let esc_event = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Escalated { .. }));
    let (esc_team, handoff) = match a.ticket.escalation.as_ref() {
        Some((t, h)) => (Some(t.as_str()), h.as_str()),
        None => (None, ""),
    };
    let right_team = esc_team.is_some_and(|t| esc.teams.iter().any(|id| s.pack.team(*id).id == t));
    let team_names: Vec<String> = esc
        .teams
        .iter()
        .map(|t| s.pack.team(*t).name.clone())
        .collect();
    let handoff_facts: Vec<&Fact> = esc
        .handoff
        .iter()
        .map(|f| &s.rubric.facts[f.index()])
        .filter(|f| f.applies(vid))
        .collect();
    let handoff_pts = |max: u32| -> u32 {
        if handoff.trim().is_empty() {
            return 0;
        }
        if handoff_facts.is_empty() {
            let real = notes::sentences(handoff, &[])
                .iter()
                .filter(|x| x.real)
                .count();
            return if real >= 2 {
                max
            } else if real == 1 {
                max / 2
            } else {
                0
            };
        }
        max * notes::facts_covered(handoff, &handoff_facts).len() as u32
            / handoff_facts.len() as u32
    };
    let esc_ev: Vec<Evidence> = esc_event
        .map(|e| vec![ev(e, describe(e))])
        .unwrap_or_default();
    let missing_handoff: Vec<&str> = {
        let cov = notes::facts_covered(handoff, &handoff_facts);
        handoff_facts
            .iter()
            .filter(|f| !cov.iter().any(|c| c.key == f.key))
            .map(|f| f.label.as_str())
            .collect()
    };
    match esc.mode {
        EscalationMode::Never => {
            b.add(
                Escalation,
                "not_escalated",
                "Kept it at first line",
                if esc_team.is_none() { 100 } else { 0 },
                100,
                esc_ev,
                fb(
                    format!(
                        "You escalated to {}, but first line could and should resolve this.",
                        esc_team.unwrap_or("")
                    ),
                    "Needless escalations waste specialist time and make the customer wait longer.",
                    format!("Resolve it yourself: {}", esc.why),
                ),
            );
        }
        EscalationMode::Required => {
            b.add(
                Escalation,
                "escalated",
                "Escalated when required",
                if esc_team.is_some() { 40 } else { 0 },
                40,
                esc_ev.clone(),
                fb(
                    "This needed escalating and you did not escalate.",
                    "Some problems are outside first-line rights or skills; holding on to them delays the fix.",
                    format!("Escalate to {}: {}", team_names.join(" or "), esc.why),
                ),
            );
            b.add(
                Escalation,
                "right_team",
                "Escalated to the right team",
                if right_team { 25 } else { 0 },
                25,
                esc_ev.clone(),
                fb(
                    format!("It went to {}.", esc_team.unwrap_or("nobody")),
                    "The wrong queue adds a hop and hours of delay.",
                    format!("The right team is {}.", team_names.join(" or ")),
                ),
            );
            let in_time = a
                .escalated_at
                .is_some_and(|t| esc.within_minutes.is_none_or(|m| t <= m * 60));
            let checks = a.escalated_after_checks.unwrap_or(false);
            b.add(
                Escalation,
                "timing",
                "Escalated at the right time",
                match (esc_team.is_some(), in_time, checks) {
                    (false, _, _) => 0,
                    (true, true, true) => 15,
                    (true, true, false) | (true, false, true) => 7,
                    (true, false, false) => 3,
                },
                15,
                esc_ev.clone(),
                fb(
                    if esc_team.is_none() {
                        "You did not escalate, so it was not escalated in time.".to_string()
                    } else if !checks {
                        "You escalated before doing the basic checks first line is expected to do."
                            .to_string()
                    } else {
                        format!(
                            "You escalated late (policy: within {} minutes).",
                            esc.within_minutes.unwrap_or(0)
                        )
                    },
                    "Escalate too early and L2 repeats your job; too late and the damage grows.",
                    esc.why.clone(),
                ),
            );
            b.add(
                Escalation,
                "handoff",
                "Complete hand-off",
                handoff_pts(20),
                20,
                esc_ev,
                fb(
                    if missing_handoff.is_empty() {
                        "The hand-off note was missing or too thin.".to_string()
                    } else {
                        format!("The hand-off did not say: {}.", missing_handoff.join("; "))
                    },
                    "The next team should never have to call the customer to ask what you already know.",
                    "State what was reported, what you checked and found, what you did, and what you need from them.",
                ),
            );
            if esc_team.is_none() && v.ticket.category == Category::Security {
                critical.push(CriticalFail {
                    id: "security_not_escalated".into(),
                    what: "A security incident was not escalated.".into(),
                    at: None,
                });
            }
        }
        EscalationMode::Optional => {
            if esc_team.is_some() {
                b.add(
                    Escalation,
                    "right_team",
                    "Escalated to a suitable team",
                    if right_team { 50 } else { 0 },
                    50,
                    esc_ev.clone(),
                    fb(
                        format!("It went to {}.", esc_team.unwrap_or("")),
                        "The wrong queue adds a hop and delay.",
                        format!("Suitable teams: {}.", team_names.join(", ")),
                    ),
                );
                b.add(
                    Escalation,
                    "handoff",
                    "Complete hand-off",
                    handoff_pts(50),
                    50,
                    esc_ev,
                    fb(
                        "The hand-off was incomplete.",
                        "The next team should not have to start over.",
                        "State symptom, checks, findings and what you need.",
                    ),
                );
            } else {
                b.add(
                    Escalation,
                    "handled",
                    "Handled or escalated",
                    if a.resolved { 100 } else { 30 },
                    100,
                    vec![],
                    fb(
                        "You neither resolved it nor escalated it.",
                        "A ticket that is neither fixed nor handed on leaves the customer stuck.",
                        format!(
                            "If you cannot fix it, escalate to {}: {}",
                            team_names.join(" or "),
                            esc.why
                        ),
                    ),
                );
            }
        }
    }

    // ---------------- critical fails from events ----------------
    for e in events {
        if let EventKind::PolicyViolation {
            rule: Violation::NoIdentityCheck,
            detail,
        } = &e.kind
        {
            critical.push(CriticalFail {
                id: "no_identity_check".into(),
                what: format!("Critical: {detail}. Always verify identity (call-back or verification questions) before changing someone's credentials or access."),
                at: Some(e.at),
            });
        }
    }

    let dims = Dimensions {
        technical: b.score(Technical),
        empathy: b.score(Empathy),
        documentation: b.score(Documentation),
        escalation: b.score(Escalation),
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
    // An unresolved or harmful attempt never shows a passing number, and neither does a
    // required escalation that missed its deadline (outages and incidents are about time).
    let late = esc.mode == EscalationMode::Required
        && esc
            .within_minutes
            .is_some_and(|m| a.escalated_at.is_some_and(|t| t > m * 60));
    let harmed = late
        || events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Harm { .. }));
    if !a.resolved || harmed {
        overall = overall.min(u32::from(s.pass_mark).saturating_sub(1));
    }
    // An attempt that leaves the fault in place cannot pass, however polite it was.
    let passed = critical.is_empty() && a.resolved && !harmed && overall >= u32::from(s.pass_mark);

    let mut lessons: Vec<(u32, String)> = b
        .criteria
        .iter()
        .filter_map(|c| {
            c.feedback.as_ref().map(|f| {
                (
                    c.max - c.points,
                    format!("{}: {} {} Better: {}", c.title, f.what, f.why, f.better),
                )
            })
        })
        .collect();
    lessons.sort_by_key(|l| std::cmp::Reverse(l.0));
    let mut feedback: Vec<String> = critical
        .iter()
        .map(|c| format!("CRITICAL — {}", c.what))
        .collect();
    feedback.extend(lessons.into_iter().map(|(_, s)| s));

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
        criteria: b.criteria,
        feedback,
        elapsed: clock(a.elapsed_secs),
    }
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
            ..
        } => format!(
            "Applied `{command}`{} — {message}",
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
        assert!(c.feedback.iter().any(|f| f.contains("Root cause fixed")));
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
