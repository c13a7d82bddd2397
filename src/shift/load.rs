//! Loading shift profiles, shift action logs and shift play-tests with located
//! diagnostics, through the same `Doc` machinery and file policy as scenarios.

use super::format::*;
use super::model::*;
use crate::scenario::diagnostic::{Diagnostic, has_errors};
use crate::scenario::doc::{Doc, did_you_mean};
use crate::scenario::format::Channel;
use crate::scenario::model::Scenario;
use crate::scenario::ron_tree::RonNode;
use crate::session::action::Action;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Longest shift, in simulated minutes (a long day).
pub const MAX_MINUTES: u32 = 720;
/// Most tickets one shift may schedule.
pub const MAX_TICKETS: u32 = 200;
/// Most shift files in a pack.
pub const MAX_SHIFTS: usize = 200;

/// A resolved shift action.
#[derive(Debug, Clone, PartialEq)]
pub enum ShiftAction {
    Answer(u32),
    Hold {
        ticket: u32,
        minutes: u32,
    },
    Resume(u32),
    Park {
        ticket: u32,
        on: WaitingOn,
        callback: u32,
    },
    Link {
        ticket: u32,
        parent: u32,
    },
    Broadcast {
        parent: u32,
        text: String,
    },
    Work(u32, Action),
    Wait(u32),
    Handover(String),
}

/// A resolved shift play-test.
#[derive(Debug, Clone)]
pub struct ShiftPlaytest {
    pub path: PathBuf,
    pub name: String,
    pub shift: Arc<ShiftProfile>,
    pub seed: u64,
    pub expert: bool,
    pub actions: Vec<ShiftAction>,
    pub expect: ShiftExpect,
}

const KNOWN: &[&str] = &[
    "id",
    "title",
    "summary",
    "level",
    "unlock",
    "minutes",
    "ring_secs",
    "hold_secs",
    "sla",
    "arrivals",
    "pool",
    "events",
    "pass_mark",
];

fn find(
    scenarios: &[Arc<Scenario>],
    doc: &mut Doc,
    field: &str,
    id: &str,
) -> Option<Arc<Scenario>> {
    let s = scenarios.iter().find(|s| s.id == id).cloned();
    if s.is_none() {
        let hint = did_you_mean(id, scenarios.iter().map(|s| s.id.as_str()));
        doc.error(field, format!("no scenario `{id}` in this pack{hint}"));
    }
    s
}

fn source(
    scenarios: &[Arc<Scenario>],
    doc: &mut Doc,
    field: &str,
    id: &str,
    channel: Option<Channel>,
    priority: crate::session::ticket::Priority,
    vip: bool,
) -> Option<Source> {
    let scenario = find(scenarios, doc, &format!("{field}.scenario"), id)?;
    Some(Source {
        channel: channel.unwrap_or(scenario.channel),
        scenario,
        priority,
        vip,
    })
}

fn minute_in(doc: &mut Doc, field: &str, at: u32, minutes: u32) {
    if at >= minutes {
        doc.error(
            field,
            format!(
                "minute {at} is not inside the shift (0–{})",
                minutes.saturating_sub(1)
            ),
        );
    }
}

/// Reads one shift file and resolves it against the pack's scenarios.
pub fn load_shift_bytes(
    path: &Path,
    bytes: &[u8],
    scenarios: &[Arc<Scenario>],
) -> (Option<ShiftProfile>, Vec<Diagnostic>) {
    let mut doc = match Doc::open(path, bytes, "shift") {
        Ok(d) => d,
        Err(d) => return (None, vec![d]),
    };
    let tree = doc.tree.clone();
    let required = ["id", "title", "minutes", "pass_mark"];
    let Some(fields) = doc.struct_fields(&tree, "", "Shift", KNOWN, &required) else {
        return (None, doc.diags);
    };
    let get = |k: &str| -> Option<RonNode> {
        fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    };
    let id = get("id").and_then(|n| doc.de::<String>(&n, "id"));
    let title = get("title").and_then(|n| doc.de::<String>(&n, "title"));
    let summary = get("summary").map_or(Some(String::new()), |n| doc.de(&n, "summary"));
    let level = get("level").map_or(Some(1), |n| doc.de::<u32>(&n, "level"));
    let unlock = get("unlock").map_or(Some(None), |n| doc.de::<Option<String>>(&n, "unlock"));
    let minutes = get("minutes").and_then(|n| doc.de::<u32>(&n, "minutes"));
    let ring = get("ring_secs").map_or(Some(120), |n| doc.de::<u32>(&n, "ring_secs"));
    let hold = get("hold_secs").map_or(Some(180), |n| doc.de::<u32>(&n, "hold_secs"));
    let sla = get("sla").map_or(Some(SlaTargets::default()), |n| doc.de(&n, "sla"));
    let arrivals =
        get("arrivals").map_or(Some(vec![]), |n| doc.list::<ArrivalFile>(&n, "arrivals"));
    let pool = get("pool").map_or(Some(None), |n| doc.de::<Option<PoolFile>>(&n, "pool"));
    let events = get("events").map_or(Some(vec![]), |n| doc.list::<ShiftEventFile>(&n, "events"));
    let pass = get("pass_mark").and_then(|n| doc.de::<u32>(&n, "pass_mark"));
    let (
        Some(id),
        Some(title),
        Some(summary),
        Some(level),
        Some(unlock),
        Some(minutes),
        Some(ring_secs),
        Some(hold_secs),
        Some(sla),
        Some(arrivals),
        Some(pool),
        Some(events),
        Some(pass_mark),
    ) = (
        id, title, summary, level, unlock, minutes, ring, hold, sla, arrivals, pool, events, pass,
    )
    else {
        return (None, doc.diags);
    };
    check_header(
        &mut doc, &id, minutes, ring_secs, hold_secs, pass_mark, &sla,
    );
    let mut fixed = vec![];
    for (i, a) in arrivals.iter().enumerate() {
        let f = format!("arrivals[{i}]");
        minute_in(&mut doc, &format!("{f}.at"), a.at, minutes);
        fixed.extend(
            source(
                scenarios,
                &mut doc,
                &f,
                &a.scenario,
                a.channel,
                a.priority,
                a.vip,
            )
            .map(|s| (a.at, s)),
        );
    }
    let declared = arrivals.len() + events.len() + usize::from(pool.is_some());
    let pool = pool.and_then(|p| resolve_pool(scenarios, &mut doc, p, minutes));
    let (incidents, walkups) = resolve_events(scenarios, &mut doc, &events, minutes);
    let total = fixed.len() as u64
        + pool.as_ref().map_or(0, |p| u64::from(p.draws))
        + incidents.iter().map(|i| u64::from(i.callers)).sum::<u64>()
        + walkups.len() as u64;
    if total == 0 && declared == 0 {
        doc.error(
            "",
            "the shift schedules no tickets: add `arrivals`, a `pool` or `events`",
        );
    } else if total > u64::from(MAX_TICKETS) {
        doc.error(
            "",
            format!("the shift schedules {total} tickets; at most {MAX_TICKETS}"),
        );
    }
    if has_errors(&doc.diags) {
        return (None, doc.diags);
    }
    let profile = ShiftProfile {
        source: path.to_path_buf(),
        id,
        title,
        summary,
        level,
        unlock,
        minutes,
        ring_secs,
        hold_secs,
        sla,
        fixed,
        pool,
        incidents,
        walkups,
        pass_mark,
    };
    (Some(profile), doc.diags)
}

fn check_header(
    doc: &mut Doc,
    id: &str,
    minutes: u32,
    ring: u32,
    hold: u32,
    pass: u32,
    sla: &SlaTargets,
) {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        doc.error(
            "id",
            "a shift id is letters, digits, `-` and `_` (e.g. \"busy-monday\")",
        );
    }
    if minutes == 0 || minutes > MAX_MINUTES {
        doc.error(
            "minutes",
            format!("a shift lasts 1–{MAX_MINUTES} simulated minutes"),
        );
    }
    if ring == 0 || ring > 3600 {
        doc.error(
            "ring_secs",
            "a phone rings for 1–3600 seconds before the caller gives up",
        );
    }
    if hold == 0 || hold > 3600 {
        doc.error("hold_secs", "a caller waits on hold for 1–3600 seconds");
    }
    if pass > 100 {
        doc.error("pass_mark", "the pass mark is a score out of 100");
    }
    if !(sla.p1 <= sla.p2 && sla.p2 <= sla.p3 && sla.p3 <= sla.p4) || sla.p1 == 0 {
        doc.error(
            "sla",
            "pickup targets must grow with priority: 0 < p1 <= p2 <= p3 <= p4 minutes",
        );
    }
}

fn resolve_pool(
    scenarios: &[Arc<Scenario>],
    doc: &mut Doc,
    p: PoolFile,
    minutes: u32,
) -> Option<Pool> {
    if p.from > p.to {
        doc.error(
            "pool.from",
            format!("`from` ({}) is after `to` ({})", p.from, p.to),
        );
    }
    minute_in(doc, "pool.to", p.to, minutes);
    if p.entries.is_empty() {
        doc.error("pool.entries", "a pool needs at least one entry");
    }
    if p.draws > MAX_TICKETS {
        doc.error("pool.draws", format!("at most {MAX_TICKETS} draws"));
    }
    let mut entries = vec![];
    for (i, e) in p.entries.iter().enumerate() {
        let f = format!("pool.entries[{i}]");
        if e.weight == 0 || e.weight > 10_000 {
            doc.error(&format!("{f}.weight"), "a weight is 1–10000");
        }
        entries.extend(
            source(
                scenarios,
                doc,
                &f,
                &e.scenario,
                e.channel,
                e.priority,
                false,
            )
            .map(|s| (s, e.weight)),
        );
    }
    (entries.len() == p.entries.len() && !entries.is_empty()).then_some(Pool {
        draws: p.draws,
        from: p.from,
        to: p.to,
        entries,
    })
}

fn resolve_events(
    scenarios: &[Arc<Scenario>],
    doc: &mut Doc,
    events: &[ShiftEventFile],
    minutes: u32,
) -> (Vec<Incident>, Vec<(u32, Source)>) {
    let (mut incidents, mut walkups) = (vec![], vec![]);
    for (i, e) in events.iter().enumerate() {
        let f = format!("events[{i}]");
        match e {
            ShiftEventFile::MajorIncident {
                at,
                scenario,
                priority,
                callers,
                every_secs,
                names,
            } => {
                minute_in(doc, &format!("{f}.at"), *at, minutes);
                if *callers < 2 || *callers > 50 {
                    doc.error(&format!("{f}.callers"), "a major incident has 2–50 callers");
                }
                if *every_secs == 0 || *every_secs > 1800 {
                    doc.error(
                        &format!("{f}.every_secs"),
                        "callers ring 1–1800 seconds apart",
                    );
                }
                if names.len() > *callers as usize {
                    doc.error(
                        &format!("{f}.names"),
                        format!("{} names for {callers} callers", names.len()),
                    );
                }
                let src = source(scenarios, doc, &f, scenario, None, *priority, false);
                if let Some(source) = src {
                    incidents.push(Incident {
                        at: *at,
                        source,
                        callers: *callers,
                        every_secs: *every_secs,
                        names: names.clone(),
                    });
                }
            }
            ShiftEventFile::VipWalkUp {
                at,
                scenario,
                priority,
            } => {
                minute_in(doc, &format!("{f}.at"), *at, minutes);
                let src = source(
                    scenarios,
                    doc,
                    &f,
                    scenario,
                    Some(Channel::WalkIn),
                    *priority,
                    true,
                );
                walkups.extend(src.map(|s| (*at, s)));
            }
        }
    }
    (incidents, walkups)
}

/// The `*.ron` files of a folder, sorted.
fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

/// Loads `shifts/*.ron` and `shifts/playtests/*.ron` of the pack at `dir`.
pub fn load_shifts(
    dir: &Path,
    scenarios: &[Arc<Scenario>],
) -> (Vec<Arc<ShiftProfile>>, Vec<ShiftPlaytest>, Vec<Diagnostic>) {
    let mut diags = vec![];
    let mut shifts: Vec<Arc<ShiftProfile>> = vec![];
    let files = ron_files(&dir.join("shifts"));
    if files.len() > MAX_SHIFTS {
        diags.push(Diagnostic::error(
            &dir.join("shifts"),
            1,
            1,
            format!(
                "{} shift files; a pack may hold at most {MAX_SHIFTS}",
                files.len()
            ),
        ));
        return (shifts, vec![], diags);
    }
    for f in &files {
        let bytes = match crate::scenario::files::read_in_pack(dir, f, "shift") {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let (s, mut d) = load_shift_bytes(f, &bytes, scenarios);
        diags.append(&mut d);
        if let Some(s) = s {
            if let Some(prev) = shifts.iter().find(|x| x.id == s.id) {
                let msg = format!(
                    "shift id `{}` is already used by {}",
                    s.id,
                    prev.source.display()
                );
                diags.push(Diagnostic::error(f, 1, 1, msg));
                continue;
            }
            shifts.push(Arc::new(s));
        }
    }
    for s in &shifts {
        if let Some(u) = &s.unlock
            && !shifts.iter().any(|x| &x.id == u)
        {
            let hint = did_you_mean(u, shifts.iter().map(|x| x.id.as_str()));
            let bytes =
                crate::scenario::files::read_in_pack(dir, &s.source, "shift").unwrap_or_default();
            let d = match Doc::open(&s.source, &bytes, "shift") {
                Ok(mut doc) => {
                    doc.error("unlock", format!("no shift `{u}` in this pack{hint}"));
                    doc.diags.remove(0)
                }
                Err(d) => d,
            };
            diags.push(d);
        }
    }
    let mut tests = vec![];
    for f in ron_files(&dir.join("shifts").join("playtests")) {
        let bytes = match crate::scenario::files::read_in_pack(dir, &f, "shift play-test") {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let (p, mut d) = load_shift_playtest_bytes(&f, &bytes, &shifts);
        diags.append(&mut d);
        tests.extend(p);
    }
    (shifts, tests, diags)
}

/// Resolves raw shift actions against the schedule of `shift` played with `seed`.
/// `field` names the list for located errors (`actions` or empty for a bare list).
pub fn resolve_actions(
    doc: &mut Doc,
    prefix: &str,
    raw: &[RawShiftAction],
    shift: &ShiftProfile,
    seed: u64,
) -> Vec<ShiftAction> {
    let schedule = shift.schedule(seed);
    let n = schedule.len() as u32;
    let mut out = vec![];
    for (i, r) in raw.iter().enumerate() {
        let field = if prefix.is_empty() {
            format!("[{i}]")
        } else {
            format!("{prefix}[{i}]")
        };
        let ticket_ok = |t: u32| (1..=n).contains(&t);
        let bad = |t: u32| format!("no ticket {t}: this shift (seed {seed}) has tickets 1–{n}");
        let a = match r {
            RawShiftAction::Answer(t)
            | RawShiftAction::Hold { ticket: t, .. }
            | RawShiftAction::Resume(t)
                if !ticket_ok(*t) =>
            {
                Err(bad(*t))
            }
            RawShiftAction::Park { ticket: t, .. } | RawShiftAction::Work(t, _)
                if !ticket_ok(*t) =>
            {
                Err(bad(*t))
            }
            RawShiftAction::Link { ticket, parent }
                if !ticket_ok(*ticket) || !ticket_ok(*parent) =>
            {
                Err(bad(if ticket_ok(*ticket) { *parent } else { *ticket }))
            }
            RawShiftAction::Broadcast { parent, .. } if !ticket_ok(*parent) => Err(bad(*parent)),
            RawShiftAction::Answer(t) => Ok(ShiftAction::Answer(*t)),
            RawShiftAction::Hold { ticket, minutes } => Ok(ShiftAction::Hold {
                ticket: *ticket,
                minutes: *minutes,
            }),
            RawShiftAction::Resume(t) => Ok(ShiftAction::Resume(*t)),
            RawShiftAction::Park {
                ticket,
                on,
                callback,
            } => Ok(ShiftAction::Park {
                ticket: *ticket,
                on: *on,
                callback: *callback,
            }),
            RawShiftAction::Link { ticket, parent } => Ok(ShiftAction::Link {
                ticket: *ticket,
                parent: *parent,
            }),
            RawShiftAction::Broadcast { parent, text } => Ok(ShiftAction::Broadcast {
                parent: *parent,
                text: text.clone(),
            }),
            RawShiftAction::Work(t, a) => {
                let s = &schedule[*t as usize - 1].source.scenario;
                Action::resolve(a, s)
                    .map(|x| ShiftAction::Work(*t, x))
                    .map_err(|e| format!("ticket {t} ({}): {e}", s.id))
            }
            RawShiftAction::Wait(s) => Ok(ShiftAction::Wait(*s)),
            RawShiftAction::Handover(t) => Ok(ShiftAction::Handover(t.clone())),
        };
        match a {
            Ok(a) => out.push(a),
            Err(e) => doc.error(&field, e),
        }
    }
    out
}

/// Reads a shift play-test.
pub fn load_shift_playtest_bytes(
    path: &Path,
    bytes: &[u8],
    shifts: &[Arc<ShiftProfile>],
) -> (Option<ShiftPlaytest>, Vec<Diagnostic>) {
    let mut doc = match Doc::open(path, bytes, "shift play-test") {
        Ok(d) => d,
        Err(d) => return (None, vec![d]),
    };
    let tree = doc.tree.clone();
    let known = ["shift", "name", "seed", "expert", "actions", "expect"];
    let Some(fields) = doc.struct_fields(
        &tree,
        "",
        "ShiftPlaytest",
        &known,
        &["shift", "seed", "actions"],
    ) else {
        return (None, doc.diags);
    };
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let key = get("shift").and_then(|n| doc.de::<String>(&n, "shift"));
    let name = get("name").map_or(Some(None), |n| doc.de::<Option<String>>(&n, "name"));
    let seed = get("seed").and_then(|n| doc.de::<u64>(&n, "seed"));
    let expert = get("expert").map_or(Some(false), |n| doc.de::<bool>(&n, "expert"));
    let raw = get("actions").and_then(|n| doc.list::<RawShiftAction>(&n, "actions"));
    let expect = get("expect").map_or(Some(ShiftExpect::default()), |n| doc.de(&n, "expect"));
    let shift = key.as_ref().and_then(|k| {
        let s = shifts.iter().find(|s| &s.id == k).cloned();
        if s.is_none() {
            let hint = did_you_mean(k, shifts.iter().map(|s| s.id.as_str()));
            doc.error("shift", format!("no shift `{k}` in this pack{hint}"));
        }
        s
    });
    let (Some(shift), Some(raw), Some(seed), Some(name), Some(expert), Some(expect)) =
        (shift, raw, seed, name, expert, expect)
    else {
        return (None, doc.diags);
    };
    let actions = resolve_actions(&mut doc, "actions", &raw, &shift, seed);
    if has_errors(&doc.diags) {
        return (None, doc.diags);
    }
    let name = name.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    });
    let p = ShiftPlaytest {
        path: path.to_path_buf(),
        name,
        shift,
        seed,
        expert,
        actions,
        expect,
    };
    (Some(p), doc.diags)
}

/// Reads a bare shift action log (a RON list, or a shift play-test's `actions`).
pub fn load_shift_log(
    path: &Path,
    bytes: &[u8],
    shift: &ShiftProfile,
    seed: u64,
) -> (Option<Vec<ShiftAction>>, Vec<Diagnostic>) {
    let mut doc = match Doc::open(path, bytes, "shift action log") {
        Ok(d) => d,
        Err(d) => return (None, vec![d]),
    };
    let tree = doc.tree.clone();
    let (node, prefix) = match tree.field("actions") {
        Some(n) => (n.clone(), "actions"),
        None => (tree.clone(), ""),
    };
    let Some(raw) = doc.list::<RawShiftAction>(&node, prefix) else {
        return (None, doc.diags);
    };
    let actions = resolve_actions(&mut doc, prefix, &raw, shift, seed);
    let ok = !has_errors(&doc.diags);
    (ok.then_some(actions), doc.diags)
}

impl ShiftAction {
    /// The author-readable form (round-trips through [`resolve_actions`]).
    pub fn to_raw(&self, shift: &super::Shift) -> RawShiftAction {
        match self {
            ShiftAction::Answer(n) => RawShiftAction::Answer(*n),
            ShiftAction::Hold { ticket, minutes } => RawShiftAction::Hold {
                ticket: *ticket,
                minutes: *minutes,
            },
            ShiftAction::Resume(n) => RawShiftAction::Resume(*n),
            ShiftAction::Park {
                ticket,
                on,
                callback,
            } => RawShiftAction::Park {
                ticket: *ticket,
                on: *on,
                callback: *callback,
            },
            ShiftAction::Link { ticket, parent } => RawShiftAction::Link {
                ticket: *ticket,
                parent: *parent,
            },
            ShiftAction::Broadcast { parent, text } => RawShiftAction::Broadcast {
                parent: *parent,
                text: text.clone(),
            },
            ShiftAction::Work(n, act) => {
                let sc = shift.tickets[*n as usize - 1].session.scenario();
                RawShiftAction::Work(*n, act.to_raw(sc))
            }
            ShiftAction::Wait(s) => RawShiftAction::Wait(*s),
            ShiftAction::Handover(t) => RawShiftAction::Handover(t.clone()),
        }
    }
}

/// A shift's accepted actions as a RON list, one action a line (an action log for
/// `firstline shift --actions`).
pub fn actions_text(shift: &super::Shift, actions: &[ShiftAction]) -> String {
    let mut o = String::from("[\n");
    let cfg = ron::ser::PrettyConfig::new()
        .compact_structs(true)
        .compact_arrays(true);
    for a in actions {
        let text = ron::ser::to_string_pretty(&a.to_raw(shift), cfg.clone()).unwrap_or_default();
        o.push_str(&format!("    {},\n", text.replace('\n', " ")));
    }
    o.push_str("]\n");
    o
}

/// The action log of a shift so far.
pub fn log_text(shift: &super::Shift) -> String {
    let acts: Vec<ShiftAction> = shift.actions.iter().map(|(_, a)| a.clone()).collect();
    actions_text(shift, &acts)
}
