//! Everything a trainee can do, as values.

use crate::ids::*;
use crate::scenario::doc::did_you_mean;
use crate::scenario::format::{Category, Level, RawAction};
use crate::scenario::model::Scenario;
use crate::world::fixes::FixCall;
use crate::world::tools::ToolCall;
use serde::{Deserialize, Serialize};

/// Longest free text accepted in notes, hand-offs and resolutions.
pub const MAX_NOTE_CHARS: usize = 8000;

/// A trainee action with every reference resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Say(OptionId),
    Ask(QuestionId),
    Run(ToolCall),
    Fix(FixCall),
    SearchKb(String),
    OpenKb(KbId),
    Ticket {
        category: Option<Category>,
        impact: Option<Level>,
        urgency: Option<Level>,
    },
    Notes(String),
    Hint,
    Escalate {
        team: TeamId,
        handoff: String,
    },
    Resolve(String),
    EndCall,
    Wait(u32),
}

impl Action {
    /// Resolves an action written by an author (play-test, action log) or typed by a trainee.
    pub fn resolve(raw: &RawAction, s: &Scenario) -> Result<Action, String> {
        let w = s.shape();
        Ok(match raw {
            RawAction::Say(k) => Action::Say(s.option_id(k).ok_or_else(|| {
                format!(
                    "no dialogue option `{k}`{}",
                    did_you_mean(k, s.options.iter().map(|o| o.key.as_str()))
                )
            })?),
            RawAction::Ask(k) => Action::Ask(s.question_id(k).ok_or_else(|| {
                format!(
                    "no question `{k}`{}",
                    did_you_mean(k, s.questions.iter().map(|o| o.key.as_str()))
                )
            })?),
            RawAction::Run(cmd) => {
                let call = ToolCall::parse(cmd, w, s.customer.device)?;
                if !s.tools.contains(&call.kind()) {
                    return Err(format!(
                        "the tool `{}` is not available in this scenario",
                        call.kind().command()
                    ));
                }
                Action::Run(call)
            }
            RawAction::Fix(cmd) => {
                let call = FixCall::parse(cmd, w, s.customer.device)?;
                if !s.fixes.contains(&call.kind()) {
                    return Err(format!(
                        "the fix `{}` is not available in this scenario",
                        call.kind().command()
                    ));
                }
                Action::Fix(call)
            }
            RawAction::SearchKb(q) => Action::SearchKb(q.clone()),
            RawAction::OpenKb(k) => Action::OpenKb(s.pack.kb_id(k).ok_or_else(|| {
                format!(
                    "no knowledge-base article `{k}`{}",
                    did_you_mean(k, s.pack.kb.iter().map(|a| a.id.as_str()))
                )
            })?),
            RawAction::Ticket {
                category,
                impact,
                urgency,
            } => Action::Ticket {
                category: *category,
                impact: *impact,
                urgency: *urgency,
            },
            RawAction::Notes(n) => Action::Notes(n.clone()),
            RawAction::Hint => Action::Hint,
            RawAction::Escalate { team, handoff } => Action::Escalate {
                team: s.pack.team_id(team).ok_or_else(|| {
                    format!(
                        "no team `{team}`{}; the pack's teams are: {}",
                        did_you_mean(team, s.pack.teams.iter().map(|t| t.id.as_str())),
                        s.pack
                            .teams
                            .iter()
                            .map(|t| t.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?,
                handoff: handoff.clone(),
            },
            RawAction::Resolve(n) => Action::Resolve(n.clone()),
            RawAction::EndCall => Action::EndCall,
            RawAction::Wait(m) => Action::Wait(*m),
        })
    }

    /// The author-readable form (round-trips through [`Action::resolve`]).
    pub fn to_raw(&self, s: &Scenario) -> RawAction {
        let w = s.shape();
        match self {
            Action::Say(o) => RawAction::Say(s.option(*o).key.clone()),
            Action::Ask(q) => RawAction::Ask(s.question(*q).key.clone()),
            Action::Run(c) => RawAction::Run(c.to_command(w)),
            Action::Fix(c) => RawAction::Fix(c.to_command(w)),
            Action::SearchKb(q) => RawAction::SearchKb(q.clone()),
            Action::OpenKb(k) => RawAction::OpenKb(s.pack.article(*k).id.clone()),
            Action::Ticket {
                category,
                impact,
                urgency,
            } => RawAction::Ticket {
                category: *category,
                impact: *impact,
                urgency: *urgency,
            },
            Action::Notes(n) => RawAction::Notes(n.clone()),
            Action::Hint => RawAction::Hint,
            Action::Escalate { team, handoff } => RawAction::Escalate {
                team: s.pack.team(*team).id.clone(),
                handoff: handoff.clone(),
            },
            Action::Resolve(n) => RawAction::Resolve(n.clone()),
            Action::EndCall => RawAction::EndCall,
            Action::Wait(m) => RawAction::Wait(*m),
        }
    }
}

/// Why an action was rejected. A rejected action changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ActionError {
    #[error("the attempt is over: the ticket is closed and the call has ended")]
    AttemptOver,
    #[error("the call has ended, so you cannot talk to the customer any more")]
    CallEnded,
    #[error("that reply is not available at this point in the conversation")]
    NotAvailableHere,
    #[error("that question cannot be asked yet")]
    QuestionNotAvailable,
    #[error("the ticket is already {0}; reopen is not possible in this attempt")]
    TicketClosed(String),
    #[error("the {0} `{1}` is not available in this scenario")]
    NotAvailable(String, String),
    #[error("{0} is empty; write something first")]
    Empty(String),
    #[error("{0} is {1} characters; keep it under {MAX_NOTE_CHARS}")]
    TooLong(String, usize),
    #[error("no hint is available right now")]
    NoHint,
    #[error("wait between 1 and 120 minutes")]
    BadWait,
    #[error("set at least one ticket field")]
    NoTicketChange,
    #[error("{0}")]
    Invalid(String),
}
