//! The adversarial corpus (issue 10): cases as data (`cases.ron`), each a bundled play-test
//! transformed the way a trainee gaming the scorecard would, with the score ranges the
//! attempt must land in. Shared by `tests/adversarial.rs` and the calibration table.

use firstline::ids::{AccountId, DeviceId, MailboxId, PrinterId};
use firstline::scenario::format::RawAction;
use firstline::scenario::load::{Pack, Playtest, load_pack};
use firstline::scenario::reach;
use firstline::scoring::{self, Scorecard};
use firstline::session::Session;
use firstline::session::action::{Action, MAX_NOTE_CHARS};
use firstline::world::tools::{Entity, ToolCall, ToolKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

/// The bundled pack, loaded once.
pub static PACK: LazyLock<Pack> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (pack, diags) = load_pack(&dir).expect("the bundled pack exists");
    pack.unwrap_or_else(|| panic!("the bundled pack does not load: {diags:#?}"))
});

/// The corpus file.
#[derive(Debug, Deserialize)]
pub struct Corpus {
    pub cases: Vec<Case>,
}

/// One adversarial case, run once per listed play-test.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub name: String,
    pub class: Class,
    /// File stems in `scenarios/playtests/`; the play-test gives scenario, seed and log.
    pub playtests: Vec<String>,
    pub ops: Vec<Op>,
    pub expect: Expect,
}

/// The gaming classes of issue 10's "Why" (the number in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum Class {
    /// (1) one content-free stuffed note everywhere.
    Stuffing,
    /// (1) notes that claim what did not happen (another variant, an action not taken).
    FalseClaims,
    /// (2) a leaked temporary password in any form.
    Secrets,
    /// (3) unneeded changes / "apply every fix".
    Shotgun,
    /// (4) diagnosis of the wrong or a nonexistent target.
    Diagnosis,
    /// (5) acting on an account without verifying its owner.
    Identity,
    /// (5) privileges that policy forbids.
    Privilege,
    /// (5) the question that tells the variants apart never asked.
    Probing,
    /// (6) escalation farmed: nothing done, needless, empty hand-off.
    Escalation,
    /// (7) empathy without speaking.
    Silence,
    /// (6, 7) doing nothing at all.
    Nothing,
    /// (7) "confirmed"/"satisfied" while the fault is still broken.
    Confirm,
    /// (8) hints that give the cause away.
    Hints,
}

/// A kind of action, for the transformations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Kind {
    Say,
    Ask,
    Run,
    Fix,
    Notes,
    Escalate,
    Resolve,
    EndCall,
    Hint,
    Ticket,
    Kb,
    Wait,
}

impl Kind {
    fn of(a: &RawAction) -> Kind {
        match a {
            RawAction::Say(_) => Kind::Say,
            RawAction::Ask(_) => Kind::Ask,
            RawAction::Run(_) => Kind::Run,
            RawAction::Fix(_) => Kind::Fix,
            RawAction::Notes(_) => Kind::Notes,
            RawAction::Escalate { .. } => Kind::Escalate,
            RawAction::Resolve(_) => Kind::Resolve,
            RawAction::EndCall => Kind::EndCall,
            RawAction::Hint => Kind::Hint,
            RawAction::Ticket { .. } => Kind::Ticket,
            RawAction::SearchKb(_) | RawAction::OpenKb(_) => Kind::Kb,
            RawAction::Wait(_) => Kind::Wait,
        }
    }
}

/// Where to insert actions.
#[derive(Debug, Clone, Copy, Deserialize)]
pub enum At {
    Start,
    /// Before the first action of this kind (the end when there is none).
    Before(Kind),
    /// After the last action of this kind (the end when there is none).
    After(Kind),
    End,
}

/// A transformation of a play-test's action log.
///
/// Texts may hold placeholders, filled in when the action is played: `{universal}` (the
/// universal stuffed note; `{universal:short}` its 240-word cut), `{expert}` (the text this action had in the play-test),
/// `{notes:STEM}` (the notes of another play-test), `{caller}` (the caller's username) and the
/// attempt's first temporary password as `{pw}`, `{pw:lower}`, `{pw:upper}`, `{pw:spaces}`,
/// `{pw:nodash}`, `{pw:dots}`, `{pw:underscores}`.
#[derive(Debug, Clone, Deserialize)]
pub enum Op {
    /// Replace every `Notes` text (adds one before `Resolve` when the log has none).
    Notes(String),
    /// Replace the hand-off of every `Escalate`.
    Handoff(String),
    /// Replace every `Resolve` text.
    Resolution(String),
    /// Drop every action of these kinds.
    Drop(Vec<Kind>),
    /// Keep the first `first` actions and every later action of `kinds`.
    Keep {
        first: usize,
        kinds: Vec<Kind>,
    },
    /// Play nothing at all.
    Empty,
    /// Insert every fix the scenario offers that is aimed at the caller's device or account
    /// or at any target some variant's fix concerns (not already in the log), before the
    /// log's first fix: "apply every fix" without knowing which one is needed.
    AddEveryFix,
    /// Move the console work (every `Run` and `Fix`, in order) to right after the first
    /// action: the change is made on a diagnosed target before any verification dialogue.
    ConsoleFirst,
    Insert(At, Vec<RawAction>),
    /// Point every console tool at this target instead (`{caller}` allowed).
    RetargetRuns(String),
    /// Point every console tool at a working entity of the same kind (one the variant's
    /// fault does not touch and that is not the caller's device): checks that look at the
    /// wrong thing. Runs with no such entity (and `status`) are dropped; at least one run
    /// must be retargeted.
    RetargetHealthy,
    /// Replace a dialogue option by another.
    ReplaceSay(String, String),
}

/// Expected ranges (inclusive); everything is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Expect {
    pub overall: Option<(u32, u32)>,
    pub technical: Option<(u32, u32)>,
    pub empathy: Option<(u32, u32)>,
    pub documentation: Option<(u32, u32)>,
    pub escalation: Option<(u32, u32)>,
    pub passed: Option<bool>,
    /// Whether there is at least one critical fail.
    pub critical: Option<bool>,
    /// Ids that must be among the critical fails (e.g. `secret_in_ticket`).
    pub critical_ids: Vec<String>,
    /// Criterion id → points range. A criterion that is absent counts as 0 points.
    pub criteria: BTreeMap<String, (u32, u32)>,
    /// Whether the notes or hand-off must be charged with at least one false claim.
    pub false_claims: Option<bool>,
    /// Documentation must be at least this many points below the unchanged play-test's.
    pub below_expert: Option<u32>,
    /// Words (case-insensitive, any of `a|b`) the debrief's first lesson must contain.
    pub lesson: Option<String>,
    /// Each entry (any of `a|b`) must appear in some lesson of the debrief.
    pub feedback: Vec<String>,
    /// No lesson may contain any of these (text that presumes what did not happen).
    pub absent: Vec<String>,
    /// (word, n): at most n lessons mention the word (one omission is explained once).
    pub mentions_at_most: Option<(String, usize)>,
}

/// A case run on one play-test.
pub struct Outcome {
    pub case: String,
    pub playtest: String,
    pub scenario: String,
    pub card: Scorecard,
    /// Actions refused (by resolution or by the session), for the failure message.
    pub refused: Vec<String>,
    pub failures: Vec<String>,
}

/// Loads the corpus.
pub fn corpus() -> Corpus {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial/cases.ron");
    let text = std::fs::read_to_string(&path).expect("tests/adversarial/cases.ron");
    ron::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A bundled play-test by file stem.
pub fn playtest(stem: &str) -> &'static Playtest {
    PACK.playtests
        .iter()
        .find(|p| p.path.file_stem().is_some_and(|s| s == stem))
        .unwrap_or_else(|| panic!("no play-test `{stem}` in scenarios/playtests"))
}

/// The universal stuffed note of issue 10, point 1: the same text for every scenario. Five
/// filler lines, then one comma list per scenario of every rubric phrasing (all variants),
/// each opened by a few function words. Phrasings are taken round-robin (every fact's first
/// phrasing, then every fact's second, ...) until the note reaches the length limit, so it
/// names every fact of every bundled scenario.
pub static UNIVERSAL: LazyLock<String> =
    LazyLock::new(|| universal(MAX_NOTE_CHARS - 16, usize::MAX));

/// The universal note cut to fit the rubric's usual length window (at most 240 words), so
/// the length criterion cannot be what stops it.
pub static UNIVERSAL_SHORT: LazyLock<String> = LazyLock::new(|| universal(usize::MAX, 240));

fn universal(max_chars: usize, max_words: usize) -> String {
    let filler = [
        "Symptom: It was all of the above and we saw that it was.",
        "Diagnosis: We did check all of them and it was what it was.",
        "Cause: It was that one, as we said it was.",
        "Actions: We did all of them to be sure.",
        "Outcome: It is all as it was to be and the user is fine with it.",
    ];
    let openers: &[&str] = if max_words == usize::MAX {
        &[
            "We saw that it was all of",
            "It was one of these, and we did them all",
            "As we said, it is",
            "We did this for it and that was",
        ]
    } else {
        &["We saw it was", "It was all of", "We did it for"]
    };
    let opener = |i: usize| openers[i % openers.len()];
    let words = |t: &str| t.split_whitespace().count();
    let mut lists: Vec<Vec<&str>> = vec![vec![]; PACK.scenarios.len()];
    let mut chars = filler.iter().map(|f| f.len() + 1).sum::<usize>();
    let mut count = filler.iter().map(|f| words(f)).sum::<usize>();
    let deepest = PACK
        .scenarios
        .iter()
        .flat_map(|s| s.rubric.facts.iter().map(|f| f.phrasings.len()))
        .max()
        .unwrap_or(0);
    let most_facts = PACK
        .scenarios
        .iter()
        .map(|s| s.rubric.facts.len())
        .max()
        .unwrap_or(0);
    // Round robin: every scenario's first fact's first phrasing, then its second fact's, ...
    'fill: for depth in 0..deepest {
        for k in 0..most_facts {
            for (i, s) in PACK.scenarios.iter().enumerate() {
                let Some(p) = s.rubric.facts.get(k).and_then(|f| f.phrasings.get(depth)) else {
                    continue;
                };
                if lists[i].contains(&p.as_str()) {
                    continue;
                }
                let (mut c, mut w) = (p.len() + 2, words(p));
                if lists[i].is_empty() {
                    c += opener(i).len() + 4;
                    w += words(opener(i));
                }
                if chars + c > max_chars || count + w > max_words {
                    break 'fill;
                }
                lists[i].push(p);
                chars += c;
                count += w;
            }
        }
    }
    let mut out: Vec<String> = filler.iter().map(|f| f.to_string()).collect();
    for (i, l) in lists.iter().enumerate() {
        if !l.is_empty() {
            out.push(format!("{}: {}.", opener(i), l.join(", ")));
        }
    }
    out.join("\n")
}

fn text_of(a: &RawAction) -> Option<&str> {
    match a {
        RawAction::Notes(t) | RawAction::Resolve(t) => Some(t),
        RawAction::Escalate { handoff, .. } => Some(handoff),
        _ => None,
    }
}

/// The notes a play-test writes (its last `Notes`).
pub fn notes_of(p: &Playtest) -> String {
    p.actions
        .iter()
        .rev()
        .find_map(|a| match a {
            Action::Notes(n) => Some(n.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// A play-test's log as authoring actions, each with the text it had (for `{expert}`).
fn raw_log(p: &Playtest) -> Vec<(RawAction, String)> {
    p.actions
        .iter()
        .map(|a| {
            let r = a.to_raw(&p.scenario);
            let t = text_of(&r).unwrap_or_default().to_string();
            (r, t)
        })
        .collect()
}

fn position(log: &[(RawAction, String)], at: At) -> usize {
    let kind = |k: Kind| move |x: &(RawAction, String)| Kind::of(&x.0) == k;
    match at {
        At::Start => 0,
        At::End => log.len(),
        At::Before(k) => log.iter().position(kind(k)).unwrap_or(log.len()),
        At::After(k) => log.iter().rposition(kind(k)).map_or(log.len(), |i| i + 1),
    }
}

fn set_text(a: &mut RawAction, t: &str) {
    match a {
        RawAction::Notes(x) | RawAction::Resolve(x) => *x = t.into(),
        RawAction::Escalate { handoff, .. } => *handoff = t.into(),
        _ => {}
    }
}

/// Applies one transformation to a log; `Err` when it cannot apply to this play-test (the
/// case is then wrong, not the engine).
fn transform(p: &Playtest, log: &mut Vec<(RawAction, String)>, op: &Op) -> Result<(), String> {
    let s = &p.scenario;
    match op {
        Op::Notes(t) => {
            let mut any = false;
            for (a, _) in log.iter_mut() {
                if let RawAction::Notes(_) = a {
                    set_text(a, t);
                    any = true;
                }
            }
            if !any {
                let i = position(log, At::Before(Kind::Resolve));
                log.insert(i, (RawAction::Notes(t.clone()), String::new()));
            }
        }
        Op::Handoff(t) => {
            for (a, _) in log.iter_mut() {
                if let RawAction::Escalate { .. } = a {
                    set_text(a, t);
                }
            }
        }
        Op::Resolution(t) => {
            for (a, _) in log.iter_mut() {
                if let RawAction::Resolve(_) = a {
                    set_text(a, t);
                }
            }
        }
        Op::Drop(kinds) => log.retain(|(a, _)| !kinds.contains(&Kind::of(a))),
        Op::Keep { first, kinds } => {
            let mut i = 0;
            log.retain(|(a, _)| {
                i += 1;
                i <= *first || kinds.contains(&Kind::of(a))
            });
        }
        Op::Empty => log.clear(),
        Op::AddEveryFix => {
            // What a trainee who does not diagnose would aim at: the caller's device and
            // account, and every target any variant's fix concerns.
            let w = s.shape();
            let mut targets: Vec<String> = vec![];
            if let Some(d) = s.customer.device {
                targets.push(w.devices[d.index()].hostname.to_lowercase());
            }
            if let Some(a) = s.customer.account {
                targets.push(w.accounts[a.index()].username.to_lowercase());
            }
            for v in &s.variants {
                for f in &v.needed {
                    let c = f.to_command(w).to_lowercase();
                    targets.extend(c.split_whitespace().skip(1).map(String::from));
                }
            }
            let mut fixes: Vec<String> = vec![];
            for f in reach::candidate_fixes(s, w) {
                let c = f.to_command(w);
                let aimed = c
                    .to_lowercase()
                    .split_whitespace()
                    .skip(1)
                    .any(|a| targets.iter().any(|t| t == a));
                let present = log
                    .iter()
                    .any(|(a, _)| matches!(a, RawAction::Fix(x) if *x == c));
                if aimed && !present && !fixes.contains(&c) {
                    fixes.push(c);
                }
            }
            if fixes.is_empty() {
                return Err("AddEveryFix: no fix to add".into());
            }
            let at = log
                .iter()
                .position(|(a, _)| Kind::of(a) == Kind::Fix)
                .unwrap_or_else(|| position(log, At::Before(Kind::Notes)));
            for (k, c) in fixes.into_iter().enumerate() {
                log.insert(at + k, (RawAction::Fix(c), String::new()));
            }
        }
        Op::ConsoleFirst => {
            let first = if log.is_empty() {
                vec![]
            } else {
                vec![log.remove(0)]
            };
            let (console, rest): (Vec<_>, Vec<_>) = log
                .drain(..)
                .partition(|(a, _)| matches!(Kind::of(a), Kind::Run | Kind::Fix));
            log.extend(first);
            log.extend(console);
            log.extend(rest);
        }
        Op::Insert(at, actions) => {
            let i = position(log, *at);
            for (k, a) in actions.iter().enumerate() {
                let t = text_of(a).unwrap_or_default().to_string();
                log.insert(i + k, (a.clone(), t));
            }
        }
        Op::RetargetRuns(target) => {
            for (a, _) in log.iter_mut() {
                if let RawAction::Run(cmd) = a {
                    let word = cmd
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    if word != "status" {
                        *cmd = format!("{word} {target}");
                    }
                }
            }
        }
        Op::RetargetHealthy => {
            let w = s.shape();
            let v = &s.variants[Session::new(s, p.seed).variant().index()];
            let aff = &v.affected;
            let healthy_device = (0..w.devices.len())
                .map(DeviceId::from_index)
                .find(|d| !aff.contains(Entity::Device(*d)) && Some(*d) != s.customer.device)
                .map(|d| w.devices[d.index()].hostname.clone());
            let healthy_account = (0..w.accounts.len())
                .map(AccountId::from_index)
                .find(|a| !aff.contains(Entity::Account(*a)))
                .map(|a| w.accounts[a.index()].username.clone());
            let healthy_printer = (0..w.printers.len())
                .map(PrinterId::from_index)
                .find(|x| !aff.contains(Entity::Printer(*x)))
                .map(|x| w.printers[x.index()].id.clone());
            let healthy_mailbox = (0..w.mailboxes.len())
                .map(MailboxId::from_index)
                .find(|x| !aff.contains(Entity::Mailbox(*x)))
                .map(|x| w.mailboxes[x.index()].address.clone());
            let mut changed = 0;
            let mut drop = vec![];
            for (i, (a, _)) in log.iter_mut().enumerate() {
                let RawAction::Run(cmd) = a else { continue };
                let call = ToolCall::parse(cmd, w, s.customer.device)
                    .map_err(|e| format!("RetargetHealthy: {cmd}: {e}"))?;
                let words: Vec<&str> = cmd.split_whitespace().collect();
                let new = match call.kind() {
                    ToolKind::Status => None,
                    ToolKind::Ping | ToolKind::Nslookup => healthy_device
                        .as_ref()
                        .map(|d| format!("{} {} {d}", words[0], words.get(1).unwrap_or(&""))),
                    ToolKind::Account => healthy_account
                        .as_ref()
                        .map(|x| format!("{} {x}", words[0])),
                    ToolKind::PrintQueue => healthy_printer
                        .as_ref()
                        .map(|x| format!("{} {x}", words[0])),
                    ToolKind::Mailbox => healthy_mailbox
                        .as_ref()
                        .map(|x| format!("{} {x}", words[0])),
                    _ => healthy_device.as_ref().map(|x| format!("{} {x}", words[0])),
                };
                match new {
                    Some(new) => {
                        *cmd = new;
                        changed += 1;
                    }
                    None => drop.push(i),
                }
            }
            for i in drop.into_iter().rev() {
                log.remove(i);
            }
            if changed == 0 {
                return Err("RetargetHealthy: no tool run to retarget".into());
            }
        }
        Op::ReplaceSay(from, to) => {
            for (a, _) in log.iter_mut() {
                if matches!(a, RawAction::Say(x) if x == from) {
                    *a = RawAction::Say(to.clone());
                }
            }
        }
    }
    Ok(())
}

/// The password in a written form a trainee might use.
fn password_form(pw: &str, form: &str) -> String {
    let words: Vec<&str> = pw
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    match form {
        "" => pw.to_string(),
        "lower" => pw.to_lowercase(),
        "upper" => pw.to_uppercase(),
        "spaces" => words.join(" "),
        "nodash" => words.concat(),
        "dots" => words.join(".").to_lowercase(),
        "underscores" => words.join("_"),
        other => panic!("unknown password form `{other}`"),
    }
}

/// An expert play-test of the same scenario for another variant.
fn other_variant(session: &Session) -> Result<&'static Playtest, String> {
    let id = &session.scenario().id;
    PACK.playtests
        .iter()
        .find(|p| {
            p.expert
                && &p.scenario.id == id
                && Session::new(&p.scenario, p.seed).variant_key() != session.variant_key()
        })
        .ok_or_else(|| format!("no expert play-test of {id} for another variant"))
}

/// Fills a text's placeholders from the attempt so far.
fn fill(t: &str, expert: &str, session: &Session) -> Result<String, String> {
    let s = session.scenario();
    let mut out = t
        .replace("{universal}", &UNIVERSAL)
        .replace("{universal:short}", &UNIVERSAL_SHORT)
        .replace("{expert}", expert);
    if let Some(id) = s.customer.account {
        out = out.replace("{caller}", &s.shape().accounts[id.index()].username);
    }
    while let Some(i) = out.find("{notes:") {
        let end = out[i..].find('}').ok_or("unclosed {notes:")? + i;
        let stem = out[i + 7..end].to_string();
        let notes = if stem == "other" {
            notes_of(other_variant(session)?)
        } else {
            notes_of(playtest(&stem))
        };
        out.replace_range(i..=end, &notes);
    }
    while let Some(i) = out.find("{pw") {
        let end = out[i..].find('}').ok_or("unclosed {pw")? + i;
        let form = out[i + 3..end].trim_start_matches(':').to_string();
        let attempt = session.attempt();
        let pw = attempt
            .temp_passwords
            .first()
            .ok_or("no temporary password had been issued when this text was written")?;
        out.replace_range(i..=end, &password_form(pw, &form));
    }
    // A placeholder left unfilled would make the case test something else.
    if let Some(i) = out.find('{')
        && let Some(j) = out[i..].find('}')
        && out[i + 1..i + j]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == ':')
    {
        return Err(format!("unknown placeholder {}", &out[i..=i + j]));
    }
    Ok(out)
}

/// Plays a case on one play-test and checks its expectations.
pub fn run(case: &Case, stem: &str) -> Outcome {
    let p = playtest(stem);
    let mut log = raw_log(p);
    let mut failures = vec![];
    for op in &case.ops {
        if let Err(e) = transform(p, &mut log, op) {
            failures.push(format!("case does not apply: {e}"));
        }
    }
    let mut session = Session::new(&p.scenario, p.seed);
    let mut refused = vec![];
    for (i, (raw, expert)) in log.iter().enumerate() {
        let mut raw = raw.clone();
        if let RawAction::Run(c) | RawAction::Fix(c) = &mut raw
            && let Some(id) = p.scenario.customer.account
        {
            *c = c.replace(
                "{caller}",
                &p.scenario.shape().accounts[id.index()].username,
            );
        }
        if let Some(t) = text_of(&raw) {
            match fill(t, expert, &session) {
                Ok(t) => set_text(&mut raw, &t),
                Err(e) => failures.push(format!("action {}: {e}", i + 1)),
            }
        }
        let applied = Action::resolve(&raw, &p.scenario)
            .and_then(|a| session.apply(a).map_err(|e| e.to_string()));
        if let Err(e) = applied {
            // A refused note or hand-off means the case did not test what it says.
            let vital = match &raw {
                RawAction::Notes(_) => true,
                RawAction::Escalate { handoff, .. } => !handoff.is_empty(),
                _ => false,
            };
            if vital {
                failures.push(format!("the case's text was refused: {e}"));
            }
            refused.push(format!("#{} {raw:?}: {e}", i + 1));
        }
    }
    let card = scoring::score(&p.scenario, &session.attempt());
    failures.extend(check(&card, &case.expect));
    if let Some(n) = case.expect.below_expert {
        let expert = firstline::playtest::run(&p.scenario, p.seed, &p.actions).scorecard;
        let (got, base) = (
            card.dimensions.documentation,
            expert.dimensions.documentation,
        );
        if got + n > base {
            failures.push(format!(
                "documentation {got}, expected at most {} ({base} unchanged − {n})",
                base.saturating_sub(n)
            ));
        }
    }
    // ADVERSARIAL_DEBUG=<playtest stem> prints what a case played and how it was scored.
    if std::env::var("ADVERSARIAL_DEBUG").is_ok_and(|d| d == stem) {
        eprintln!("== {} on {stem}", case.name);
        for (a, _) in &log {
            eprintln!("  {a:?}");
        }
        for e in session.events() {
            eprintln!("  event {:?}", e.kind);
        }
        for v in card.writing.notes.iter().chain(&card.writing.handoff) {
            eprintln!(
                "  sentence {:?} earned {:?} false {:?} ({:?})",
                v.text, v.earned, v.false_claims, v.reason
            );
        }
        for c in &card.criteria {
            eprintln!("  {} {}/{}", c.id, c.points, c.max);
        }
        eprintln!("  {}", card.feedback.join("\n  "));
    }
    Outcome {
        case: case.name.clone(),
        playtest: stem.into(),
        scenario: p.scenario.id.clone(),
        card,
        refused,
        failures,
    }
}

fn range(name: &str, got: u32, want: Option<(u32, u32)>, out: &mut Vec<String>) {
    if let Some((lo, hi)) = want
        && (got < lo || got > hi)
    {
        out.push(format!("{name} {got}, expected {lo}–{hi}"));
    }
}

/// What did not hold.
pub fn check(c: &Scorecard, e: &Expect) -> Vec<String> {
    let mut out = vec![];
    range("overall", c.overall, e.overall, &mut out);
    range("technical", c.dimensions.technical, e.technical, &mut out);
    range("empathy", c.dimensions.empathy, e.empathy, &mut out);
    range(
        "documentation",
        c.dimensions.documentation,
        e.documentation,
        &mut out,
    );
    range(
        "escalation",
        c.dimensions.escalation,
        e.escalation,
        &mut out,
    );
    if let Some(p) = e.passed
        && c.passed != p
    {
        out.push(format!("passed {}, expected {p}", c.passed));
    }
    if let Some(k) = e.critical
        && c.critical.is_empty() == k
    {
        out.push(format!(
            "critical fail {}, expected {k}",
            !c.critical.is_empty()
        ));
    }
    for id in &e.critical_ids {
        if !c.critical.iter().any(|x| &x.id == id) {
            out.push(format!("no critical fail `{id}`"));
        }
    }
    for (id, want) in &e.criteria {
        let got = c
            .criteria
            .iter()
            .find(|x| &x.id == id)
            .map_or(0, |x| x.points);
        range(&format!("criterion {id}"), got, Some(*want), &mut out);
    }
    if let Some(f) = e.false_claims {
        let any = c
            .writing
            .notes
            .iter()
            .chain(&c.writing.handoff)
            .any(|v| !v.false_claims.is_empty());
        if any != f {
            out.push(format!("false claims charged: {any}, expected {f}"));
        }
    }
    let lessons: Vec<String> = c.feedback.iter().map(|l| l.to_lowercase()).collect();
    for want in &e.feedback {
        if !want
            .split('|')
            .any(|w| lessons.iter().any(|l| l.contains(&w.to_lowercase())))
        {
            out.push(format!("no lesson mentions {want:?}"));
        }
    }
    for bad in &e.absent {
        if let Some(l) = lessons.iter().find(|l| l.contains(&bad.to_lowercase())) {
            out.push(format!("a lesson says {bad:?}: {l:?}"));
        }
    }
    if let Some((w, n)) = &e.mentions_at_most {
        let k = lessons
            .iter()
            .filter(|l| l.contains(&w.to_lowercase()))
            .count();
        if k > *n {
            out.push(format!("{k} lessons mention {w:?}, expected at most {n}"));
        }
    }
    if let Some(words) = &e.lesson {
        let first = c
            .feedback
            .first()
            .map(|l| l.to_lowercase())
            .unwrap_or_default();
        if !words.split('|').any(|w| first.contains(&w.to_lowercase())) {
            out.push(format!(
                "first lesson does not mention {words:?}: {first:?}"
            ));
        }
    }
    out
}

/// One line describing a scorecard, for failure messages and tables.
pub fn summary(c: &Scorecard) -> String {
    let d = &c.dimensions;
    format!(
        "overall {} (T{} E{} D{} X{}) passed={} critical=[{}]",
        c.overall,
        d.technical,
        d.empathy,
        d.documentation,
        d.escalation,
        c.passed,
        c.critical
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    )
}
