//! The loaded, validated scenario: every reference is a typed id.

use super::format::*;
use super::kb::KbArticle;
use crate::ids::*;
use crate::world::condition::Cond;
use crate::world::fixes::{FixCall, FixKind};
use crate::world::state::World;
use crate::world::tools::ToolKind;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// Built-in flag: the caller's identity has been verified.
pub const IDENTITY_VERIFIED: FlagId = FlagId(0);
/// Built-in flag: the change was approved (manager, owner, HR or change request).
pub const CHANGE_APPROVED: FlagId = FlagId(1);
/// Built-in flag: the customer confirmed the problem is solved.
pub const CUSTOMER_CONFIRMED: FlagId = FlagId(2);
/// Names of the built-in flags, in id order.
pub const BUILTIN_FLAGS: [&str; 3] = ["identity_verified", "change_approved", "customer_confirmed"];

/// Pack-level data every scenario of the pack shares.
#[derive(Debug, Clone, Serialize)]
pub struct PackMeta {
    pub id: String,
    pub title: String,
    pub version: String,
    pub authors: Vec<String>,
    pub description: String,
    pub teams: Vec<TeamDef>,
    pub weights: Weights,
    pub pass_mark: u8,
    pub critical_cap: u8,
    /// Base IRI for xAPI activities, if the pack sets one.
    pub xapi_base: Option<String>,
    /// The organisation's forbidden actions (compiled into each scenario's rules).
    pub policy: Vec<ViolationDef>,
    /// Re-weighted criteria: id → maximum points.
    pub criteria: std::collections::BTreeMap<String, u32>,
    pub kb: Vec<KbArticle>,
    /// The pack's custom systems (`systems/*.ron`): kinds, tools and fixes.
    #[serde(skip)]
    pub systems: Arc<crate::world::custom::Registry>,
    pub root: PathBuf,
}

impl PackMeta {
    /// Base IRI of the pack's xAPI activities: the pack's own, or one derived from its id.
    pub fn xapi_base(&self) -> String {
        match &self.xapi_base {
            Some(b) => b.trim_end_matches('/').to_string(),
            None => format!("https://firstline.invalid/packs/{}", self.id),
        }
    }
    pub fn team(&self, id: TeamId) -> &TeamDef {
        &self.teams[id.index()]
    }
    pub fn article(&self, id: KbId) -> &KbArticle {
        &self.kb[id.index()]
    }
    /// Resolves a team id written by an author or typed by a trainee.
    pub fn team_id(&self, key: &str) -> Option<TeamId> {
        self.teams
            .iter()
            .position(|t| t.id == key)
            .map(TeamId::from_index)
    }
    pub fn kb_id(&self, key: &str) -> Option<KbId> {
        self.kb
            .iter()
            .position(|a| a.id == key)
            .map(KbId::from_index)
    }
}

/// The customer persona.
#[derive(Debug, Clone, Serialize)]
pub struct Customer {
    pub names: Vec<String>,
    pub role: String,
    pub account: Option<AccountId>,
    pub device: Option<DeviceId>,
    pub tech_level: TechLevel,
    pub mood: u8,
    pub patience: u8,
    pub traits: Vec<Trait>,
    pub portrait: Option<PathBuf>,
}

impl Customer {
    pub fn has(&self, t: Trait) -> bool {
        self.traits.contains(&t)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Escalation {
    pub mode: EscalationMode,
    pub teams: Vec<TeamId>,
    pub within_minutes: Option<u32>,
    pub after: Option<Cond>,
    pub handoff: Vec<FactId>,
    pub why: String,
    /// Further hand-offs that must happen as well.
    pub also: Vec<super::handoffs::Also>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub condition: Cond,
    pub description: String,
}

/// One variant with its fully prepared initial world.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub key: String,
    pub weight: u32,
    pub description: String,
    pub world: World,
    pub escalation: Escalation,
    pub resolution: Resolution,
    pub ticket: TicketDef,
    pub diagnosis: Vec<ToolKind>,
    /// Fix calls on some shortest path to the resolution (computed at load time).
    pub needed: Vec<FixCall>,
    /// What the fault touches (computed at load time), for judging diagnosis targets.
    pub affected: Affected,
    /// The caller is an impostor.
    pub impostor: bool,
    /// Changes that happen later in the attempt.
    pub timers: Vec<super::timers::Timer>,
}

impl Affected {
    /// Whether the fault concerns this entity.
    pub fn contains(&self, e: crate::world::tools::Entity) -> bool {
        use crate::world::tools::Entity;
        match e {
            Entity::Device(d) => self.devices.contains(&d),
            Entity::Account(a) => self.accounts.contains(&a),
            Entity::Printer(p) => self.printers.contains(&p),
            Entity::Mailbox(m) => self.mailboxes.contains(&m),
        }
    }
}

/// The entities a variant's fault (or its resolution) concerns.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Affected {
    pub devices: Vec<DeviceId>,
    pub accounts: Vec<AccountId>,
    pub printers: Vec<PrinterId>,
    pub mailboxes: Vec<MailboxId>,
    /// The variant's world differs from the healthy world (a fault a tool can show).
    pub fault_in_world: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub key: String,
    pub line: String,
    pub variant_lines: Vec<(VariantId, String)>,
    pub options: Vec<OptionId>,
    pub end: bool,
}

impl Node {
    /// The customer's line in this variant.
    pub fn line_for(&self, v: VariantId) -> &str {
        self.variant_lines
            .iter()
            .find(|(id, _)| *id == v)
            .map(|(_, s)| s.as_str())
            .unwrap_or(&self.line)
    }
}

#[derive(Debug, Clone, Serialize)]
pub enum Effect {
    Set(FlagId),
    Clear(FlagId),
    /// The owner of this account has been verified.
    Verify(AccountId),
    /// A change to this account has been approved.
    Approve(AccountId),
    Mood(i8),
    Patience(i8),
    /// The customer does this fix on their side (see `EffectDef::Step`).
    Step(crate::world::fixes::FixCall),
    /// Saying this is a policy violation.
    Violation {
        severity: crate::scenario::format::Severity,
        reason: String,
        better: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct DialogueOption {
    pub key: String,
    pub node: NodeId,
    pub text: String,
    pub tags: Vec<Tag>,
    pub reply: Option<String>,
    pub goto: Option<NodeId>,
    pub branches: Vec<(Cond, NodeId)>,
    pub when: Option<Cond>,
    pub effects: Vec<Effect>,
    /// The customer's answer to it depends on the variant (it tells variants apart).
    pub reveals: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub key: String,
    pub text: String,
    pub tags: Vec<Tag>,
    pub answer: String,
    pub variant_answers: Vec<(VariantId, String)>,
    pub when: Option<Cond>,
    /// The answer depends on the variant (it tells variants apart).
    pub reveals: bool,
}

impl Question {
    pub fn answer_for(&self, v: VariantId) -> &str {
        self.variant_answers
            .iter()
            .find(|(id, _)| *id == v)
            .map(|(_, s)| s.as_str())
            .unwrap_or(&self.answer)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub key: String,
    pub label: String,
    /// Lower-cased, whitespace-normalised phrasings.
    pub phrasings: Vec<String>,
    /// Variants where the fact applies (all when empty).
    pub variants: Vec<VariantId>,
    /// The fact is true only when this holds at the end of the attempt.
    pub requires: Option<Cond>,
}

impl Fact {
    pub fn applies(&self, v: VariantId) -> bool {
        self.variants.is_empty() || self.variants.contains(&v)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Rubric {
    pub facts: Vec<Fact>,
    pub min_words: u32,
    pub max_words: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hint {
    pub text: String,
    pub when: Option<Cond>,
    pub reveals: Reveals,
}

/// What triggers an author-declared violation.
#[derive(Debug, Clone, Serialize)]
pub enum Trigger {
    /// A fix of this kind whose arguments match (lower-case; `None` matches anything).
    Fix {
        kind: FixKind,
        args: Vec<Option<String>>,
    },
    /// Choosing this dialogue option.
    Option(OptionId),
}

/// A violation declared by the pack's policy or the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub trigger: Trigger,
    pub severity: Severity,
    pub reason: String,
    pub better: Option<String>,
}

/// A scenario-specific criterion.
#[derive(Debug, Clone, Serialize)]
pub struct CustomCriterion {
    pub id: String,
    pub dimension: DimensionDef,
    pub title: String,
    pub points: u32,
    pub when: Cond,
    pub what: String,
    pub why: String,
    pub better: String,
}

/// A loaded scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    #[serde(skip)]
    pub pack: Arc<PackMeta>,
    pub source: PathBuf,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub version: u32,
    pub difficulty: Difficulty,
    pub skills: Vec<Skill>,
    pub channel: Channel,
    pub minutes: u32,
    pub sla_minutes: u32,
    pub customer: Customer,
    pub variants: Vec<Variant>,
    /// Flag names by id (built-ins first).
    pub flags: Vec<String>,
    pub start: NodeId,
    pub nodes: Vec<Node>,
    pub options: Vec<DialogueOption>,
    pub questions: Vec<Question>,
    pub tools: Vec<ToolKind>,
    pub fixes: Vec<FixKind>,
    pub kb: Vec<KbId>,
    pub rubric: Rubric,
    pub hints: Vec<Hint>,
    pub teaching: bool,
    pub weights: Weights,
    pub pass_mark: u8,
    /// The world without any variant's fault.
    pub healthy: World,
    /// Author-declared violations: the pack's policy and the scenario's own.
    pub rules: Vec<Rule>,
    /// Secrets that must never appear in the ticket (besides temporary passwords).
    pub secrets: Vec<String>,
    /// Scenario-specific advice per criterion id.
    pub advice: std::collections::BTreeMap<String, String>,
    /// Scenario-specific criteria.
    pub criteria: Vec<CustomCriterion>,
}

impl Scenario {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }
    pub fn option(&self, id: OptionId) -> &DialogueOption {
        &self.options[id.index()]
    }
    pub fn question(&self, id: QuestionId) -> &Question {
        &self.questions[id.index()]
    }
    pub fn variant(&self, id: VariantId) -> &Variant {
        &self.variants[id.index()]
    }
    pub fn option_id(&self, key: &str) -> Option<OptionId> {
        self.options
            .iter()
            .position(|o| o.key == key)
            .map(OptionId::from_index)
    }
    pub fn question_id(&self, key: &str) -> Option<QuestionId> {
        self.questions
            .iter()
            .position(|q| q.key == key)
            .map(QuestionId::from_index)
    }
    pub fn variant_id(&self, key: &str) -> Option<VariantId> {
        self.variants
            .iter()
            .position(|v| v.key == key)
            .map(VariantId::from_index)
    }
    /// The world every variant shares the shape of (variant 0's).
    pub fn shape(&self) -> &World {
        &self.variants[0].world
    }
}
