//! The authoring format: what instructors write in `pack.ron`, scenario files and
//! play-tests. Names here are strings; [`super::compile`] resolves them to typed ids.

use crate::world::change::Change;
use crate::world::condition::Condition;
use crate::world::fixes::FixKind;
use crate::world::state::World;
use crate::world::tools::ToolKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `pack.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Pack")]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    pub id: String,
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// The organisation's support teams, for escalation.
    pub teams: Vec<TeamDef>,
    #[serde(default)]
    pub weights: Weights,
    /// Overall score needed to pass (0–100).
    #[serde(default = "default_pass")]
    pub pass_mark: u8,
    /// Highest overall score an attempt with a critical fail can get.
    #[serde(default = "default_cap")]
    pub critical_cap: u8,
    /// Base IRI of the pack's xAPI activities (`https://…`); scenario activities are
    /// `<base>/scenarios/<id>`.
    #[serde(default)]
    pub xapi_base: Option<String>,
    /// The organisation's policy: actions that are violations in every scenario of the pack.
    #[serde(default)]
    pub policy: PolicyDef,
    /// Re-weighted scoring criteria: criterion id → maximum points (0 switches it off).
    #[serde(default)]
    pub criteria: BTreeMap<String, u32>,
}

/// A pack's written policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Policy")]
#[serde(deny_unknown_fields)]
pub struct PolicyDef {
    /// Actions the organisation forbids, wherever they happen.
    #[serde(default)]
    pub violations: Vec<ViolationDef>,
}

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub enum Severity {
    /// Costs points in the technical dimension.
    Minor,
    /// Harm: the attempt cannot pass.
    #[default]
    Harm,
    /// A critical fail: the attempt fails and its overall score is capped.
    Critical,
}

/// An action an author declares a violation: a fix (a console command pattern, `*`
/// matching any one argument) or a dialogue option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Violation")]
#[serde(deny_unknown_fields)]
pub struct ViolationDef {
    /// A fix command pattern, e.g. `"add_group * Domain-Admins"`.
    #[serde(default)]
    pub fix: Option<String>,
    /// A dialogue option id (scenario violations only).
    #[serde(default)]
    pub option: Option<String>,
    #[serde(default)]
    pub severity: Severity,
    /// Why it is a violation, shown in the debrief.
    pub reason: String,
    /// What to do instead, shown in the debrief.
    #[serde(default)]
    pub better: Option<String>,
}

/// A scenario-specific scoring criterion: points earned when a condition holds at the end
/// of the attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Criterion")]
#[serde(deny_unknown_fields)]
pub struct CriterionDef {
    pub id: String,
    pub dimension: DimensionDef,
    pub title: String,
    pub points: u32,
    pub when: Condition,
    /// What went wrong when the condition did not hold.
    pub what: String,
    pub why: String,
    pub better: String,
}

/// The four scored dimensions, as written by authors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DimensionDef {
    Technical,
    Empathy,
    Documentation,
    Escalation,
}

fn default_pass() -> u8 {
    70
}
fn default_cap() -> u8 {
    40
}

/// A support team or tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Team")]
#[serde(deny_unknown_fields)]
pub struct TeamDef {
    pub id: String,
    pub name: String,
    /// 1 = service desk, 2 = specialist, 3 = engineering / field / vendor.
    pub tier: u8,
    #[serde(default)]
    pub handles: String,
}

/// Relative weights of the four dimensions in the overall score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub technical: u32,
    pub empathy: u32,
    pub documentation: u32,
    pub escalation: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            technical: 35,
            empathy: 25,
            documentation: 20,
            escalation: 20,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Phone,
    Chat,
    Email,
    WalkIn,
}

/// The skills a scenario practises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Skill {
    Communication,
    Empathy,
    Writing,
    Training,
    CriticalThinking,
    Technical,
    Security,
    Troubleshooting,
    BusinessAwareness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TechLevel {
    Novice,
    Intermediate,
    Expert,
}

/// Persona traits that change how the customer reacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trait {
    /// Senior; expects speed; demands a manager rather than hanging up.
    Vip,
    HatesJargon,
    Anxious,
    Chatty,
    InAHurry,
    Angry,
    WantsToLearn,
}

/// Communication tags carried by dialogue options and questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tag {
    Greeting,
    AcknowledgeFeelings,
    Apologise,
    TakeOwnership,
    SetExpectations,
    Reassure,
    PlainLanguage,
    Jargon,
    BlameUser,
    Dismissive,
    OpenQuestion,
    ClosedQuestion,
    VerifyIdentity,
    TeachUser,
    ConfirmResolution,
    PoliteClose,
    Rushed,
    Refuse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Account,
    Access,
    Network,
    Hardware,
    Software,
    Email,
    Printing,
    Security,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    Low,
    Medium,
    High,
}

/// A scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Scenario")]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default = "one")]
    pub version: u32,
    pub difficulty: Difficulty,
    pub skills: Vec<Skill>,
    pub channel: Channel,
    /// Typical minutes an expert needs.
    pub minutes: u32,
    /// Minutes allowed before the ticket breaches its SLA.
    pub sla_minutes: u32,
    pub customer: CustomerDef,
    pub world: World,
    pub variants: Vec<VariantDef>,
    /// Custom session flags (the built-in ones need no declaration).
    #[serde(default)]
    pub flags: Vec<String>,
    pub dialogue: DialogueDef,
    #[serde(default)]
    pub questions: Vec<QuestionDef>,
    pub tools: Vec<ToolKind>,
    pub fixes: Vec<FixKind>,
    #[serde(default)]
    pub kb: Vec<String>,
    /// Tools whose output points at the cause (diagnosis before fix).
    #[serde(default)]
    pub diagnosis: Vec<ToolKind>,
    pub ticket: TicketDef,
    pub escalation: EscalationDef,
    pub resolution: ResolutionDef,
    pub rubric: RubricDef,
    #[serde(default)]
    pub hints: Vec<HintDef>,
    /// There is a chance to teach the user to help themselves next time.
    #[serde(default)]
    pub teaching: bool,
    #[serde(default)]
    pub weights: Option<Weights>,
    #[serde(default)]
    pub pass_mark: Option<u8>,
    /// Actions that are violations in this scenario (added to the pack's policy).
    #[serde(default)]
    pub violations: Vec<ViolationDef>,
    /// Secrets of the scenario (besides generated temporary passwords) that must never
    /// appear in a ticket: recovery keys, PINs...
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Scenario-specific "better" advice per criterion id or violation, shown in the debrief.
    #[serde(default)]
    pub advice: BTreeMap<String, String>,
    /// Extra scoring criteria for this scenario.
    #[serde(default)]
    pub criteria: Vec<CriterionDef>,
}

fn one() -> u32 {
    1
}

/// The simulated customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Customer")]
#[serde(deny_unknown_fields)]
pub struct CustomerDef {
    /// One is picked by the seeded RNG.
    pub names: Vec<String>,
    pub role: String,
    /// Their directory account (username).
    #[serde(default)]
    pub account: Option<String>,
    /// Their device (hostname); tools default to it.
    #[serde(default)]
    pub device: Option<String>,
    pub tech_level: TechLevel,
    /// Starting mood 0 (furious) – 100 (happy).
    pub mood: u8,
    /// Starting patience 0–100; at 0 they hang up or demand a manager.
    pub patience: u8,
    #[serde(default)]
    pub traits: Vec<Trait>,
    /// Portrait image, relative to the pack folder.
    #[serde(default)]
    pub portrait: Option<String>,
}

/// One alternative root cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Variant")]
#[serde(deny_unknown_fields)]
pub struct VariantDef {
    pub id: String,
    #[serde(default = "one")]
    pub weight: u32,
    pub description: String,
    /// Changes applied to `world` to create this variant's fault.
    #[serde(default)]
    pub changes: Vec<Change>,
    #[serde(default)]
    pub escalation: Option<EscalationDef>,
    #[serde(default)]
    pub resolution: Option<ResolutionDef>,
    #[serde(default)]
    pub ticket: Option<TicketDef>,
    #[serde(default)]
    pub diagnosis: Option<Vec<ToolKind>>,
    /// The caller is an impostor (social engineering): their mood, confirmation and
    /// farewell are not scored, and the debrief says so.
    #[serde(default)]
    pub impostor: bool,
    /// Changes that happen later in the attempt (see `super::timers`).
    #[serde(default)]
    pub timers: Vec<super::timers::TimerDef>,
}

/// The conversation graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Dialogue")]
#[serde(deny_unknown_fields)]
pub struct DialogueDef {
    pub start: String,
    pub nodes: Vec<NodeDef>,
}

/// A customer turn and the trainee's possible replies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Node")]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    pub id: String,
    /// What the customer says on arriving here.
    pub line: String,
    /// Variant-specific wording of `line`.
    #[serde(default)]
    pub variant_lines: BTreeMap<String, String>,
    #[serde(default)]
    pub options: Vec<OptionDef>,
    /// The conversation is over once this node is reached.
    #[serde(default)]
    pub end: bool,
}

/// Something the trainee can say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Choice")]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// What the customer answers when the option keeps the conversation on this node.
    #[serde(default)]
    pub reply: Option<String>,
    /// Next node; None stays on this node.
    #[serde(default)]
    pub goto: Option<String>,
    /// Checked in order before `goto`.
    #[serde(default)]
    pub branches: Vec<BranchDef>,
    /// Only offered while this holds.
    #[serde(default)]
    pub when: Option<Condition>,
    #[serde(default)]
    pub effects: Vec<EffectDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Branch")]
#[serde(deny_unknown_fields)]
pub struct BranchDef {
    pub when: Condition,
    pub goto: String,
}

/// What choosing an option does besides moving the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EffectDef {
    Set(String),
    Clear(String),
    /// The identity of this account's owner has been verified (a call-back, an ID check).
    Verify(String),
    /// A change to this account (or its mailbox/device) has been approved by someone
    /// entitled to approve it.
    Approve(String),
    Mood(i8),
    Patience(i8),
    /// The customer does a step on their side while the trainee talks them through it:
    /// a fix command line (`"power_on PC-WHS-031"`; the host defaults to the customer's
    /// device), applied to the world and scored exactly like that fix.
    Step(String),
    /// Saying this breaks the organisation's policy: recorded as a violation.
    Violation {
        #[serde(default)]
        severity: Severity,
        reason: String,
        #[serde(default)]
        better: Option<String>,
    },
}

/// A question the trainee can ask at any time during the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Question")]
#[serde(deny_unknown_fields)]
pub struct QuestionDef {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub tags: Vec<Tag>,
    pub answer: String,
    #[serde(default)]
    pub variant_answers: BTreeMap<String, String>,
    #[serde(default)]
    pub when: Option<Condition>,
}

/// The correct ticket classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Ticket")]
#[serde(deny_unknown_fields)]
pub struct TicketDef {
    pub category: Category,
    pub impact: Level,
    pub urgency: Level,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EscalationMode {
    /// L1 can and should resolve it: escalating is wrong.
    Never,
    /// Must go to one of `teams`.
    Required,
    /// May go to one of `teams`; resolving at L1 is also fine.
    Optional,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Escalation")]
#[serde(deny_unknown_fields)]
pub struct EscalationDef {
    pub mode: EscalationMode,
    #[serde(default)]
    pub teams: Vec<String>,
    /// Escalate within this many simulated minutes of the call starting.
    #[serde(default)]
    pub within_minutes: Option<u32>,
    /// Checks that should be done before escalating.
    #[serde(default)]
    pub after: Option<Condition>,
    /// Rubric facts the hand-off note must contain.
    #[serde(default)]
    pub handoff: Vec<String>,
    /// Why this is the right policy (shown in feedback).
    pub why: String,
    /// Further hand-offs that must happen as well (each to its own team).
    #[serde(default)]
    pub also: Vec<super::handoffs::AlsoDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Resolution")]
#[serde(deny_unknown_fields)]
pub struct ResolutionDef {
    pub condition: Condition,
    pub description: String,
}

/// What good work notes must contain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Rubric")]
#[serde(deny_unknown_fields)]
pub struct RubricDef {
    pub facts: Vec<FactDef>,
    #[serde(default = "min_words")]
    pub min_words: u32,
    #[serde(default = "max_words")]
    pub max_words: u32,
}

fn min_words() -> u32 {
    25
}
fn max_words() -> u32 {
    250
}

/// One fact the notes should state, with accepted phrasings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Fact")]
#[serde(deny_unknown_fields)]
pub struct FactDef {
    pub id: String,
    pub label: String,
    pub phrasings: Vec<String>,
    /// Only required in these variants (all when empty).
    #[serde(default)]
    pub variants: Vec<String>,
    /// The fact is only true when this holds at the end of the attempt (an action fact
    /// needs its action, an outcome fact the outcome); stating it otherwise is a false claim.
    #[serde(default)]
    pub requires: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Hint")]
#[serde(deny_unknown_fields)]
pub struct HintDef {
    pub text: String,
    #[serde(default)]
    pub when: Option<Condition>,
    /// What the hint gives away (inferred from its text when absent).
    #[serde(default)]
    pub reveals: Option<Reveals>,
}

/// What a hint gives away, which decides what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reveals {
    /// A general nudge (a procedure, where to look).
    Nudge,
    /// Which check shows the cause: the diagnosis credit is given away.
    Cause,
    /// The fix itself: diagnosis credit given away and the fix named.
    Fix,
}

/// An action as written in action logs and play-tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawAction {
    /// Choose a dialogue option by id.
    Say(String),
    /// Ask a question by id.
    Ask(String),
    /// Run a console command, e.g. `"ipconfig LT-0042"`.
    Run(String),
    /// Apply a fix, e.g. `"restart_service PRN-SRV01 Spooler"`.
    Fix(String),
    SearchKb(String),
    OpenKb(String),
    /// Set ticket fields.
    Ticket {
        #[serde(default)]
        category: Option<Category>,
        #[serde(default)]
        impact: Option<Level>,
        #[serde(default)]
        urgency: Option<Level>,
    },
    /// Replace the work notes.
    Notes(String),
    Hint,
    Escalate {
        team: String,
        handoff: String,
    },
    Resolve(String),
    EndCall,
    /// Let simulated minutes pass.
    Wait(u32),
}

/// A play-test file in `playtests/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Playtest")]
#[serde(deny_unknown_fields)]
pub struct PlaytestFile {
    pub scenario: String,
    #[serde(default)]
    pub name: Option<String>,
    pub seed: u64,
    /// The expert path shown in the debrief.
    #[serde(default)]
    pub expert: bool,
    pub actions: Vec<RawAction>,
    #[serde(default)]
    pub expect: Expect,
}

/// Expected results; each range is inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub resolved: Option<bool>,
    #[serde(default)]
    pub passed: Option<bool>,
    #[serde(default)]
    pub critical: Option<bool>,
    #[serde(default)]
    pub overall: Option<(u32, u32)>,
    #[serde(default)]
    pub technical: Option<(u32, u32)>,
    #[serde(default)]
    pub empathy: Option<(u32, u32)>,
    #[serde(default)]
    pub documentation: Option<(u32, u32)>,
    #[serde(default)]
    pub escalation: Option<(u32, u32)>,
    /// Each string must appear in some feedback text (case-insensitive).
    #[serde(default)]
    pub feedback: Vec<String>,
    /// How many actions may be rejected (default 0).
    #[serde(default)]
    pub rejected: u32,
}

impl TechLevel {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            TechLevel::Novice => "novice",
            TechLevel::Intermediate => "intermediate",
            TechLevel::Expert => "expert",
        }
    }
}

impl Category {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Category::Account => "Account",
            Category::Access => "Access",
            Category::Network => "Network",
            Category::Hardware => "Hardware",
            Category::Software => "Software",
            Category::Email => "Email",
            Category::Printing => "Printing",
            Category::Security => "Security",
            Category::Other => "Other",
        }
    }
}

impl Level {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }
}
