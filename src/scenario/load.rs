//! Loading packs, scenario files and play-tests from disk, collecting every problem.

use super::compile;
use super::diagnostic::{Diagnostic, has_errors};
use super::doc::{Doc, did_you_mean};
use super::format::*;
use super::kb::{self, KbArticle};
use super::model::*;
use crate::session::action::Action;
use crate::world::state::World;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Most scenario files in one pack.
pub const MAX_SCENARIOS: usize = 5000;

/// A resolved play-test.
#[derive(Debug, Clone)]
pub struct Playtest {
    pub path: PathBuf,
    pub name: String,
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    pub expert: bool,
    pub actions: Vec<Action>,
    pub expect: Expect,
}

/// A loaded pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub meta: Arc<PackMeta>,
    pub scenarios: Vec<Arc<Scenario>>,
    pub playtests: Vec<Playtest>,
    /// Shift profiles (`shifts/*.ron`).
    pub shifts: Vec<Arc<crate::shift::model::ShiftProfile>>,
    /// Shift play-tests (`shifts/playtests/*.ron`).
    pub shift_playtests: Vec<crate::shift::ShiftPlaytest>,
}

impl Pack {
    /// A shift profile by id.
    pub fn shift(&self, id: &str) -> Option<&Arc<crate::shift::model::ShiftProfile>> {
        self.shifts.iter().find(|s| s.id == id)
    }
    pub fn scenario(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.scenarios.iter().find(|s| s.id == id)
    }
    /// The expert play-test for a scenario and variant, if any.
    pub fn expert_path(&self, scenario: &str, variant: &str) -> Option<&Playtest> {
        self.playtests.iter().find(|p| {
            p.expert
                && p.scenario.id == scenario
                && crate::session::Session::new(&p.scenario, p.seed).variant_key() == variant
        })
    }
}

/// Errors that stop loading before any file is read (exit code 2 in the CLI).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
}

/// Reads a file of the pack at `root` under the pack file policy (`files`).
fn read(root: &Path, path: &Path, what: &str) -> Result<Vec<u8>, Diagnostic> {
    super::files::read_in_pack(root, path, what)
}

/// The `*.ext` entries of a folder that are not folders. Links, pipes and devices are
/// listed so that reading them reports what they are instead of skipping them silently.
pub(crate) fn list_dir(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// Reads `pack.ron`.
fn load_pack_file(dir: &Path, diags: &mut Vec<Diagnostic>) -> Option<PackFile> {
    let path = dir.join("pack.ron");
    if std::fs::symlink_metadata(&path).is_err() {
        diags.push(Diagnostic::error(
            &path,
            0,
            0,
            "the pack has no pack.ron; expected a file with `Pack(id: ..., title: ..., version: ..., teams: [...])`",
        ));
        return None;
    }
    let bytes = match read(dir, &path, "pack") {
        Ok(b) => b,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut doc = match Doc::open(&path, &bytes, "pack") {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let tree = doc.tree.clone();
    let known = [
        "id",
        "title",
        "version",
        "authors",
        "description",
        "teams",
        "weights",
        "pass_mark",
        "critical_cap",
        "xapi_base",
        "policy",
        "criteria",
    ];
    let ok = doc
        .struct_fields(
            &tree,
            "",
            "Pack",
            &known,
            &["id", "title", "version", "teams"],
        )
        .is_some();
    let pack = if ok {
        doc.de::<PackFile>(&tree, "")
    } else {
        None
    };
    if let Some(p) = &pack {
        if p.teams.is_empty() {
            doc.error(
                "teams",
                "no teams; expected the organisation's escalation teams",
            );
        }
        let mut seen: Vec<&str> = vec![];
        for (i, t) in p.teams.iter().enumerate() {
            if seen.contains(&t.id.as_str()) {
                doc.error(
                    &format!("teams[{i}].id"),
                    format!("duplicate team `{}`", t.id),
                );
            }
            seen.push(&t.id);
        }
        if let Some(base) = &p.xapi_base
            && let Err(why) = crate::xapi::check_base_iri(base)
        {
            doc.error("xapi_base", why);
        }
        super::policy::check_pack_policy(&mut doc, p);
        if p.pass_mark > 100 || p.critical_cap > 100 {
            doc.error(
                "pass_mark",
                "pass_mark and critical_cap are scores; expected 0 to 100",
            );
        }
    }
    let failed = has_errors(&doc.diags);
    diags.append(&mut doc.diags);
    if failed { None } else { pack }
}

fn load_kb(dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<KbArticle> {
    let mut out = vec![];
    for path in list_dir(&dir.join("kb"), "md") {
        let bytes = match read(dir, &path, "knowledge-base") {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let text = match super::doc::check_text(&path, &bytes, "knowledge-base") {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        match kb::parse_article(&id, &path, &text) {
            Ok(a) => out.push(a),
            Err(d) => diags.push(d),
        }
    }
    out
}

/// Reads and validates one scenario file's text against a pack.
pub fn load_scenario_bytes(
    path: &Path,
    bytes: &[u8],
    pack: &Arc<PackMeta>,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut doc = match Doc::open(path, bytes, "scenario") {
        Ok(d) => d,
        Err(d) => return (None, vec![d]),
    };
    let file = read_scenario_fields(&mut doc);
    let scenario = file.and_then(|mut f| {
        super::systems::instantiate(&mut f, &mut doc, pack);
        compile::compile(&f, &mut doc, pack)
    });
    (scenario, doc.diags)
}

const SCENARIO_FIELDS: [&str; 31] = [
    "id",
    "title",
    "summary",
    "version",
    "difficulty",
    "skills",
    "channel",
    "minutes",
    "sla_minutes",
    "customer",
    "world",
    "variants",
    "flags",
    "dialogue",
    "questions",
    "tools",
    "fixes",
    "kb",
    "diagnosis",
    "ticket",
    "escalation",
    "resolution",
    "rubric",
    "hints",
    "teaching",
    "weights",
    "pass_mark",
    "violations",
    "secrets",
    "advice",
    "criteria",
];
const SCENARIO_REQUIRED: [&str; 19] = [
    "id",
    "title",
    "summary",
    "difficulty",
    "skills",
    "channel",
    "minutes",
    "sla_minutes",
    "customer",
    "world",
    "variants",
    "dialogue",
    "tools",
    "fixes",
    "ticket",
    "escalation",
    "resolution",
    "rubric",
    "kb",
];

/// Deserializes a scenario field by field (and long lists element by element) so that
/// every type error in the file is reported, not just the first.
fn read_scenario_fields(doc: &mut Doc) -> Option<ScenarioFile> {
    let tree = doc.tree.clone();
    let required: Vec<&str> = SCENARIO_REQUIRED
        .iter()
        .copied()
        .filter(|f| *f != "kb")
        .collect();
    let fields = doc.struct_fields(&tree, "", "Scenario", &SCENARIO_FIELDS, &required);
    let fields = match fields {
        Some(f) => f,
        None => {
            // Still type-check the fields that are there, to report everything at once.
            if let super::ron_tree::RonKind::Struct { fields, .. } = &tree.kind {
                fields
                    .iter()
                    .map(|(k, _, v)| (k.clone(), v.clone()))
                    .collect()
            } else {
                return None;
            }
        }
    };
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    macro_rules! field {
        ($name:literal, $t:ty) => {
            match get($name) {
                Some(node) => doc.de::<$t>(&node, $name),
                None => None,
            }
        };
    }
    macro_rules! list {
        ($name:literal, $t:ty) => {
            match get($name) {
                Some(node) => doc.list::<$t>(&node, $name),
                None => Some(vec![]),
            }
        };
    }
    let id = field!("id", String);
    let title = field!("title", String);
    let summary = field!("summary", String);
    let version = match get("version") {
        Some(n) => doc.de::<u32>(&n, "version"),
        None => Some(1),
    };
    let difficulty = field!("difficulty", Difficulty);
    let skills = field!("skills", Vec<Skill>);
    let channel = field!("channel", Channel);
    let minutes = field!("minutes", u32);
    let sla = field!("sla_minutes", u32);
    let customer = field!("customer", CustomerDef);
    let world = get("world").and_then(|n| read_world(doc, &n));
    let variants = list!("variants", VariantDef);
    let flags = list!("flags", String);
    let dialogue = get("dialogue").and_then(|n| {
        let nodes = n.field("nodes").cloned();
        let start = n.field("start").cloned();
        let f = doc.struct_fields(
            &n,
            "dialogue",
            "Dialogue",
            &["start", "nodes"],
            &["start", "nodes"],
        );
        let nodes = nodes.and_then(|x| doc.list::<NodeDef>(&x, "dialogue.nodes"));
        let start = start.and_then(|x| doc.de::<String>(&x, "dialogue.start"));
        f?;
        Some(DialogueDef {
            start: start?,
            nodes: nodes?,
        })
    });
    let questions = list!("questions", QuestionDef);
    let tools = list!("tools", crate::world::tools::ToolKind);
    let fixes = list!("fixes", crate::world::fixes::FixKind);
    let kb = list!("kb", String);
    let diagnosis = list!("diagnosis", crate::world::tools::ToolKind);
    let ticket = field!("ticket", TicketDef);
    let escalation = field!("escalation", EscalationDef);
    let resolution = field!("resolution", ResolutionDef);
    let rubric = field!("rubric", RubricDef);
    let hints = list!("hints", HintDef);
    let teaching = match get("teaching") {
        Some(n) => doc.de::<bool>(&n, "teaching"),
        None => Some(false),
    };
    let weights = match get("weights") {
        Some(n) => doc.de::<Weights>(&n, "weights").map(Some),
        None => Some(None),
    };
    let pass_mark = match get("pass_mark") {
        Some(n) => doc.de::<u8>(&n, "pass_mark").map(Some),
        None => Some(None),
    };
    let violations = list!("violations", ViolationDef);
    let secrets = list!("secrets", String);
    let advice = match get("advice") {
        Some(n) => doc.de::<std::collections::BTreeMap<String, String>>(&n, "advice"),
        None => Some(Default::default()),
    };
    let criteria = list!("criteria", CriterionDef);
    Some(ScenarioFile {
        id: id?,
        title: title?,
        summary: summary?,
        version: version?,
        difficulty: difficulty?,
        skills: skills?,
        channel: channel?,
        minutes: minutes?,
        sla_minutes: sla?,
        customer: customer?,
        world: world?,
        variants: variants?,
        flags: flags?,
        dialogue: dialogue?,
        questions: questions?,
        tools: tools?,
        fixes: fixes?,
        kb: kb?,
        diagnosis: diagnosis?,
        ticket: ticket?,
        escalation: escalation?,
        resolution: resolution?,
        rubric: rubric?,
        hints: hints?,
        teaching: teaching?,
        weights: weights?,
        pass_mark: pass_mark?,
        violations: violations?,
        secrets: secrets?,
        advice: advice?,
        criteria: criteria?,
    })
}

fn read_world(doc: &mut Doc, node: &super::ron_tree::RonNode) -> Option<World> {
    let known = [
        "devices",
        "accounts",
        "network",
        "printers",
        "mailboxes",
        "catalogue",
        "systems",
    ];
    let fields = doc.struct_fields(node, "world", "World", &known, &[])?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let mut w = World::default();
    let mut ok = true;
    macro_rules! list {
        ($name:literal, $slot:expr) => {
            if let Some(n) = get($name) {
                match doc.list(&n, concat!("world.", $name)) {
                    Some(v) => $slot = v,
                    None => ok = false,
                }
            }
        };
    }
    list!("devices", w.devices);
    list!("accounts", w.accounts);
    list!("printers", w.printers);
    list!("mailboxes", w.mailboxes);
    list!("catalogue", w.catalogue);
    list!("systems", w.systems);
    if let Some(n) = get("network") {
        match doc.de(&n, "world.network") {
            Some(v) => w.network = v,
            None => ok = false,
        }
    }
    ok.then_some(w)
}

/// Finds `pack.ron` beside a scenario file (or in its parent folder) and loads the pack's
/// metadata and knowledge base.
fn pack_meta_for(file: &Path, diags: &mut Vec<Diagnostic>) -> Option<Arc<PackMeta>> {
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let candidates = [
        dir.clone(),
        dir.parent().map(Path::to_path_buf).unwrap_or_default(),
    ];
    let Some(root) = candidates.iter().find(|d| d.join("pack.ron").is_file()) else {
        diags.push(Diagnostic::error(
            file,
            0,
            0,
            "no pack.ron beside this scenario or in its parent folder; a scenario needs its pack's teams and knowledge base",
        ));
        return None;
    };
    meta_from_dir(root, diags)
}

fn meta_from_dir(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Arc<PackMeta>> {
    // Custom systems first: their command names are then known to the pack's policy.
    let systems = super::systems::load(root, diags);
    let pf = load_pack_file(root, diags);
    let kb = load_kb(root, diags);
    let pf = pf?;
    Some(Arc::new(PackMeta {
        id: pf.id,
        title: pf.title,
        version: pf.version,
        authors: pf.authors,
        description: pf.description,
        teams: pf.teams,
        weights: pf.weights,
        pass_mark: pf.pass_mark,
        critical_cap: pf.critical_cap,
        xapi_base: pf.xapi_base,
        policy: pf.policy.violations,
        criteria: pf.criteria,
        kb,
        systems,
        root: root.to_path_buf(),
    }))
}

/// Loads a single scenario file with its pack context.
pub fn load_scenario_file(
    path: &Path,
) -> Result<(Option<Arc<Scenario>>, Vec<Diagnostic>), LoadError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(LoadError::NotFound(path.to_path_buf()));
    }
    let mut diags = vec![];
    let bytes = match super::files::read_file(path, "scenario") {
        Ok(b) => b,
        Err(super::files::ReadError::TooLarge(m)) => {
            return Ok((None, vec![Diagnostic::error(path, 1, 1, m)]));
        }
        Err(super::files::ReadError::Unreadable(message)) => {
            return Err(LoadError::Io {
                path: path.to_path_buf(),
                message,
            });
        }
    };
    let Some(meta) = pack_meta_for(path, &mut diags) else {
        return Ok((None, diags));
    };
    if let Err(m) = super::files::check_inside(&meta.root, path) {
        diags.push(Diagnostic::error(path, 1, 1, m));
        return Ok((None, diags));
    }
    let (s, mut d) = load_scenario_bytes(path, &bytes, &meta);
    diags.append(&mut d);
    Ok((s.map(Arc::new), diags))
}

/// The scenario files of a pack folder: `*.ron` beside `pack.ron` and in `scenarios/`.
pub fn scenario_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = list_dir(dir, "ron")
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "pack.ron"))
        .collect();
    files.extend(list_dir(&dir.join("scenarios"), "ron"));
    files
}

/// Loads a whole pack: pack.ron, kb/, scenarios and playtests/.
pub fn load_pack(dir: &Path) -> Result<(Option<Pack>, Vec<Diagnostic>), LoadError> {
    if !dir.exists() {
        return Err(LoadError::NotFound(dir.to_path_buf()));
    }
    if !dir.is_dir() {
        return Err(LoadError::Io {
            path: dir.to_path_buf(),
            message: "not a folder".into(),
        });
    }
    let mut diags = vec![];
    let meta = meta_from_dir(dir, &mut diags);
    let files = scenario_files(dir);
    if files.len() > MAX_SCENARIOS {
        diags.push(Diagnostic::error(
            dir,
            0,
            0,
            format!(
                "{} scenario files; a pack may hold at most {MAX_SCENARIOS}",
                files.len()
            ),
        ));
        return Ok((None, diags));
    }
    if files.is_empty() {
        diags.push(Diagnostic::warning(
            dir,
            0,
            0,
            "the pack has no scenario files (*.ron beside pack.ron)",
        ));
    }
    let Some(meta) = meta else {
        return Ok((None, diags));
    };
    let mut scenarios: Vec<Arc<Scenario>> = vec![];
    for f in &files {
        let bytes = match read(dir, f, "scenario") {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let (s, mut d) = load_scenario_bytes(f, &bytes, &meta);
        diags.append(&mut d);
        if let Some(s) = s {
            if let Some(prev) = scenarios.iter().find(|x| x.id == s.id) {
                diags.push(Diagnostic::error(
                    f,
                    1,
                    1,
                    format!(
                        "scenario id `{}` is already used by {}",
                        s.id,
                        prev.source.display()
                    ),
                ));
                continue;
            }
            scenarios.push(Arc::new(s));
        }
    }
    // Articles nobody uses.
    for a in &meta.kb {
        let used = scenarios
            .iter()
            .any(|s| s.kb.iter().any(|k| meta.article(*k).id == a.id));
        if !used && !scenarios.is_empty() && !has_errors(&diags) {
            diags.push(Diagnostic::warning(
                &dir.join("kb").join(format!("{}.md", a.id)),
                1,
                1,
                format!("article `{}` is not listed in any scenario's `kb`", a.id),
            ));
        }
    }
    let mut playtests = vec![];
    for f in list_dir(&dir.join("playtests"), "ron") {
        let bytes = match read(dir, &f, "play-test") {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let (p, mut d) = load_playtest_bytes(&f, &bytes, &scenarios);
        diags.append(&mut d);
        playtests.extend(p);
    }
    let (shifts, shift_playtests, mut d) = crate::shift::load::load_shifts(dir, &scenarios);
    diags.append(&mut d);
    let ok = !has_errors(&diags);
    Ok((
        ok.then_some(Pack {
            meta,
            scenarios,
            playtests,
            shifts,
            shift_playtests,
        }),
        diags,
    ))
}

/// Reads a play-test and resolves its actions against the scenario.
pub fn load_playtest_bytes(
    path: &Path,
    bytes: &[u8],
    scenarios: &[Arc<Scenario>],
) -> (Option<Playtest>, Vec<Diagnostic>) {
    let mut doc = match Doc::open(path, bytes, "play-test") {
        Ok(d) => d,
        Err(d) => return (None, vec![d]),
    };
    let tree = doc.tree.clone();
    let known = ["scenario", "name", "seed", "expert", "actions", "expect"];
    let Some(fields) = doc.struct_fields(
        &tree,
        "",
        "Playtest",
        &known,
        &["scenario", "seed", "actions"],
    ) else {
        return (None, doc.diags);
    };
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let scenario_key = get("scenario").and_then(|n| doc.de::<String>(&n, "scenario"));
    let name = get("name")
        .map(|n| doc.de::<Option<String>>(&n, "name"))
        .unwrap_or(Some(None));
    let seed = get("seed").and_then(|n| doc.de::<u64>(&n, "seed"));
    let expert = get("expert")
        .map(|n| doc.de::<bool>(&n, "expert"))
        .unwrap_or(Some(false));
    let raw = get("actions").and_then(|n| doc.list::<RawAction>(&n, "actions"));
    let expect = get("expect")
        .map(|n| doc.de::<Expect>(&n, "expect"))
        .unwrap_or(Some(Expect::default()));
    let scenario = scenario_key.as_ref().and_then(|k| {
        let s = scenarios.iter().find(|s| &s.id == k).cloned();
        if s.is_none() {
            let hint = did_you_mean(k, scenarios.iter().map(|s| s.id.as_str()));
            doc.error("scenario", format!("no scenario `{k}` in this pack{hint}"));
        }
        s
    });
    let (Some(scenario), Some(raw), Some(seed), Some(name), Some(expert), Some(expect)) =
        (scenario, raw, seed, name, expert, expect)
    else {
        return (None, doc.diags);
    };
    let mut actions = vec![];
    for (i, r) in raw.iter().enumerate() {
        match Action::resolve(r, &scenario) {
            Ok(a) => actions.push(a),
            Err(e) => doc.error(&format!("actions[{i}]"), e),
        }
    }
    if let Some(v) = &expect.variant
        && scenario.variant_id(v).is_none()
    {
        doc.error(
            "expect.variant",
            format!("scenario `{}` has no variant `{v}`", scenario.id),
        );
    }
    if has_errors(&doc.diags) {
        return (None, doc.diags);
    }
    let name = name.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    });
    (
        Some(Playtest {
            path: path.to_path_buf(),
            name,
            scenario,
            seed,
            expert,
            actions,
            expect,
        }),
        doc.diags,
    )
}

/// Reads a bare action log (a RON list of actions) for `firstline playtest --actions`.
pub fn load_action_log(
    path: &Path,
    bytes: &[u8],
    scenario: &Scenario,
) -> (Option<Vec<Action>>, Vec<Diagnostic>) {
    let mut doc = match Doc::open(path, bytes, "action log") {
        Ok(d) => d,
        Err(d) => return (None, vec![d]),
    };
    let tree = doc.tree.clone();
    // Accept either a bare list or a play-test file.
    let (node, prefix) = match tree.field("actions") {
        Some(n) => (n.clone(), "actions"),
        None => (tree.clone(), ""),
    };
    let Some(raw) = doc.list::<RawAction>(&node, prefix) else {
        return (None, doc.diags);
    };
    let mut actions = vec![];
    for (i, r) in raw.iter().enumerate() {
        let field = if prefix.is_empty() {
            format!("[{i}]")
        } else {
            format!("{prefix}[{i}]")
        };
        match Action::resolve(r, scenario) {
            Ok(a) => actions.push(a),
            Err(e) => doc.error(&field, e),
        }
    }
    let ok = !has_errors(&doc.diags);
    (ok.then_some(actions), doc.diags)
}
