//! `firstline shift`: a shift's schedule, an action log played headlessly (the shift
//! report), terminal play of a shift, and the shift play-tests `firstline test` runs.

use super::commands::Format;
use crate::scenario::diagnostic::{Diagnostic, has_errors};
use crate::scenario::load::Pack;
use crate::shift::engine::{Shift, State, state_word};
use crate::shift::format::RawShiftAction;
use crate::shift::load::{self, ShiftAction};
use crate::shift::score::{clock, ctx_prio};
use crate::shift::{self as sh, report};
use std::path::Path;

fn print_diags(diags: &[Diagnostic]) {
    for d in diags {
        errln!("{d}");
    }
}

/// The schedule as text or JSON: number, time, channel, priority, scenario, variant,
/// caller and the expert play-test for that variant, if any.
fn schedule(pack: &Pack, shift: &Shift, format: Format) -> i32 {
    let rows: Vec<serde_json::Value> = shift
        .tickets
        .iter()
        .map(|t| {
            let sc = &t.arrival.source.scenario;
            let expert = pack
                .expert_path(&sc.id, t.session.variant_key())
                .map(|p| p.path.display().to_string());
            serde_json::json!({
                "ticket": t.no,
                "at": t.arrival.at,
                "channel": format!("{:?}", t.channel()),
                "priority": ctx_prio(t.arrival.source.priority),
                "scenario": sc.id,
                "variant": t.session.variant_key(),
                "caller": t.caller(),
                "incident": t.arrival.incident,
                "expert": expert,
            })
        })
        .collect();
    match format {
        Format::Json => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            )
        }
        Format::Text => {
            for t in &shift.tickets {
                outln!(
                    "#{:<2} {} {:<6} {} {:<18} [{}] {}{}",
                    t.no,
                    clock(t.arrival.at),
                    format!("{:?}", t.channel()),
                    ctx_prio(t.arrival.source.priority),
                    t.arrival.source.scenario.id,
                    t.session.variant_key(),
                    t.caller(),
                    if t.arrival.incident.is_some() {
                        " (major incident)"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    0
}

/// What `firstline shift` was given.
pub struct ShiftArgs<'a> {
    pub id: &'a str,
    pub actions: Option<&'a Path>,
    pub seed: u64,
    pub schedule: bool,
    pub format: Format,
    pub trainee: Option<&'a str>,
    pub data_dir: Option<&'a Path>,
}

/// Saves a finished shift for a trainee; returns the exit code.
fn save(
    store: Option<(crate::progress::Store, crate::progress::Profile)>,
    s: &Shift,
    card: &crate::shift::score::ShiftCard,
    started: std::time::SystemTime,
    wall: std::time::Duration,
) -> i32 {
    let Some((mut store, who)) = store else {
        return 0;
    };
    let new = crate::progress::shifts::NewShift::from_shift(s, card, started, wall);
    match store.save_shift_or_recover(&who, &new) {
        Ok(crate::progress::recovery::ShiftSaved::Recovered { file, why }) => {
            errln!(
                "error: {why}\nThe shift was kept in {}; it is added to {}'s progress the next time Firstline opens the store.",
                file.display(),
                who.name
            );
            2
        }
        Ok(crate::progress::recovery::ShiftSaved::Stored(_)) => {
            errln!(
                "saved the shift for {} in {}",
                who.name,
                store.path().display()
            );
            0
        }
        Err(e) => {
            errln!("error: the shift could not be saved: {e}");
            2
        }
    }
}

/// `firstline shift SHIFT [--actions FILE] [--seed N] [--schedule] [--trainee NAME]`.
pub fn shift_cmd(pack: &Pack, args: &ShiftArgs) -> i32 {
    let (id, actions, seed, show_schedule, format) =
        (args.id, args.actions, args.seed, args.schedule, args.format);
    let Some(profile) = pack.shift(id) else {
        let hint =
            crate::scenario::doc::did_you_mean(id, pack.shifts.iter().map(|s| s.id.as_str()));
        errln!("error: no shift `{id}` in the pack{hint}");
        return 2;
    };
    if show_schedule {
        return schedule(pack, &Shift::new(profile, seed), format);
    }
    let store = match args.trainee {
        Some(name) => match super::progress::open_profile(args.data_dir, name) {
            Ok(sp) => Some(sp),
            Err(c) => return c,
        },
        None => None,
    };
    let started = std::time::SystemTime::now();
    let clock0 = std::time::Instant::now();
    let Some(path) = actions else {
        let (s, card) = play(profile, seed);
        return save(store, &s, &card, started, clock0.elapsed());
    };
    let bytes = match crate::scenario::files::read_regular(path, "shift action log") {
        Ok(b) => b,
        Err(e) => {
            errln!("error: {}: {e}", path.display());
            return 2;
        }
    };
    let (acts, diags) = load::load_shift_log(path, &bytes, profile, seed);
    print_diags(&diags);
    let Some(acts) = acts.filter(|_| !has_errors(&diags)) else {
        return 1;
    };
    let run = sh::run(profile, seed, &acts);
    for (i, e) in &run.rejected {
        errln!(
            "{}: warning: action {} was rejected: {e}",
            path.display(),
            i + 1
        );
    }
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&run.card).unwrap_or_default()
        ),
        Format::Text => out!("{}", report::text(&run.shift, &run.card)),
    }
    save(store, &run.shift, &run.card, started, clock0.elapsed())
}

/// Runs the pack's shift play-tests; returns (passed, failed).
pub fn test_shifts(pack: &Pack) -> (u32, u32) {
    let (mut pass, mut fail) = (0, 0);
    for t in &pack.shift_playtests {
        let (run, failures) = sh::run_playtest(t);
        let file = t
            .path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let c = &run.card;
        let triage = c.points("triage").map_or("-".into(), |p| p.to_string());
        if failures.is_empty() {
            pass += 1;
            outln!(
                "ok    {file} — {} [shift {}] overall {} triage {triage}",
                t.name,
                c.shift,
                c.overall
            );
        } else {
            fail += 1;
            outln!(
                "FAIL  {file} — {} [shift {}] overall {}",
                t.name,
                c.shift,
                c.overall
            );
            for f in failures {
                outln!("        {f}");
            }
        }
    }
    (pass, fail)
}

/// The queue as the terminal shows it.
pub fn queue_text(s: &Shift) -> String {
    let mut o = format!("[{} of {}] ", clock(s.clock), clock(s.length()));
    match s.active_ticket() {
        Some(t) => o.push_str(&format!(
            "working #{} {} — {}\n",
            t.no,
            t.caller(),
            t.subject()
        )),
        None => o.push_str("no ticket in hand\n"),
    }
    for t in &s.tickets {
        if matches!(t.state, State::Pending | State::Closed | State::Abandoned) {
            continue;
        }
        let clock_note = if let Some(r) = s.ring_left(t.no) {
            format!("rings out in {r}s")
        } else if let Some(h) = s.hold_left(t.no) {
            format!("hangs up in {h}s")
        } else if let Some(l) = s.sla_left(t.no) {
            if l < 0 {
                format!("SLA breached {}m ago", -l / 60)
            } else {
                format!("SLA in {}m", l / 60)
            }
        } else {
            String::new()
        };
        o.push_str(&format!(
            "  #{:<2} {:<6} {:<22} {:<28} {} {}{}\n",
            t.no,
            format!("{:?}", t.channel()),
            state_word(t.state),
            t.subject(),
            t.caller(),
            clock_note,
            if t.arrival.source.vip { " VIP" } else { "" }
        ));
    }
    o
}

const HELP: &str = "\
Shift commands:
  queue                     the queue: ringing calls, waiting chats, SLA clocks
  answer N | resume N
  hold N [MINUTES]          hold the call, telling the caller for how long
  park N user|team MINUTES  park the ticket in hand with a callback time
  link N PARENT             link ticket N to the incident ticket PARENT
  broadcast PARENT TEXT     update everyone linked to PARENT
  wait SECONDS              let time pass (not while on a call)
  handover TEXT             the end-of-shift handover note (ends the shift)
  do ACTION                 an action on the ticket in hand, as in action logs,
                            e.g. do Say(\"greet\")   do Run(\"account jdoe\")
  options                   the replies you can give on the ticket in hand
  quit";

/// Parses one typed line into a raw shift action (or a display command's text).
fn parse(s: &Shift, line: &str) -> Result<Option<RawShiftAction>, String> {
    let mut w = line.split_whitespace();
    let cmd = w.next().unwrap_or("");
    let num = |x: Option<&str>| -> Result<u32, String> {
        x.and_then(|v| v.trim_start_matches('#').parse().ok())
            .ok_or_else(|| "expected a ticket number".to_string())
    };
    let rest = |n: usize| {
        line.split_whitespace()
            .skip(n)
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(Some(match cmd {
        "answer" => RawShiftAction::Answer(num(w.next())?),
        "hold" => RawShiftAction::Hold {
            ticket: num(w.next())?,
            minutes: w.next().and_then(|m| m.parse().ok()).unwrap_or(0),
        },
        "resume" => RawShiftAction::Resume(num(w.next())?),
        "park" => {
            let ticket = num(w.next())?;
            let on = match w.next() {
                Some("user") => crate::shift::format::WaitingOn::User,
                Some("team") => crate::shift::format::WaitingOn::Team,
                _ => return Err("park N user|team MINUTES".into()),
            };
            let callback = num(w.next())?;
            RawShiftAction::Park {
                ticket,
                on,
                callback,
            }
        }
        "link" => RawShiftAction::Link {
            ticket: num(w.next())?,
            parent: num(w.next())?,
        },
        "broadcast" => RawShiftAction::Broadcast {
            parent: num(w.next())?,
            text: rest(2),
        },
        "wait" => RawShiftAction::Wait(num(w.next())?),
        "handover" => RawShiftAction::Handover(rest(1).replace("\\n", "\n")),
        "do" => {
            let n = s
                .active
                .ok_or("no ticket in hand: answer or resume one first")?;
            let raw = ron::from_str(&rest(1)).map_err(|e| format!("not an action: {e}"))?;
            RawShiftAction::Work(n, raw)
        }
        _ => return Ok(None),
    }))
}

fn resolve(s: &Shift, raw: RawShiftAction) -> Result<ShiftAction, String> {
    let text = ron::to_string(&vec![raw]).map_err(|e| e.to_string())?;
    let (acts, diags) =
        load::load_shift_log(Path::new("input"), text.as_bytes(), &s.profile, s.seed);
    acts.and_then(|mut a| a.pop()).ok_or_else(|| {
        diags
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

fn options_text(s: &Shift) -> String {
    let Some(t) = s.active_ticket() else {
        return "no ticket in hand".into();
    };
    let sc = t.session.scenario();
    let mut o = String::new();
    for id in t.session.available_options() {
        let opt = sc.option(id);
        o.push_str(&format!("  do Say(\"{}\")  — {}\n", opt.key, opt.text));
    }
    o
}

/// Terminal play of a shift on standard input.
fn play(
    profile: &std::sync::Arc<crate::shift::model::ShiftProfile>,
    seed: u64,
) -> (Shift, crate::shift::score::ShiftCard) {
    use std::io::BufRead;
    let mut s = Shift::new(profile, seed);
    outln!(
        "{} — {}\n{}\n{HELP}\n",
        profile.title,
        profile.summary,
        queue_text(&s)
    );
    let stdin = std::io::stdin();
    let mut seen: Option<(u32, usize)> = None;
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        match line {
            "" => continue,
            "quit" => break,
            "help" => outln!("{HELP}"),
            "queue" => out!("{}", queue_text(&s)),
            "options" => out!("{}", options_text(&s)),
            _ => match parse(&s, line)
                .and_then(|r| r.ok_or_else(|| "unknown command; `help` lists them".into()))
            {
                Err(e) => outln!("{e}"),
                Ok(raw) => {
                    match resolve(&s, raw).and_then(|a| s.apply(a).map_err(|e| e.to_string())) {
                        Err(e) => outln!("refused: {e}"),
                        Ok(entries) => {
                            for e in &entries {
                                outln!("{}  {}", clock(e.at), report::describe(&s, &e.event));
                            }
                            // What the ticket in hand said or showed since the last action.
                            if let Some(t) = s.active_ticket() {
                                let ev = t.session.events();
                                let key = (t.no, ev.len());
                                let from = match seen {
                                    Some((n, len)) if n == t.no => len.min(ev.len()),
                                    _ => ev.len().saturating_sub(1),
                                };
                                out!("{}", crate::authoring::terminal::render(&ev[from..]));
                                seen = Some(key);
                            }
                            out!("{}", queue_text(&s));
                        }
                    }
                }
            },
        }
        if s.is_over() {
            break;
        }
    }
    let card = crate::shift::score::score(&s);
    out!("{}", report::text(&s, &card));
    (s, card)
}

/// `firstline shift SHIFT --autoplay expert|arrival`: a scripted player's log as a shift
/// play-test file on standard output.
pub fn autoplay_cmd(pack: &Pack, id: &str, seed: u64, who: &str) -> i32 {
    use crate::shift::autoplay::{Style, play};
    let style = match who {
        "expert" => Style::Expert,
        "arrival" => Style::ArrivalOrder,
        "one-by-one" => Style::OneByOne,
        _ => {
            errln!("error: --autoplay takes `expert`, `arrival` or `one-by-one`");
            return 2;
        }
    };
    let Some(profile) = pack.shift(id) else {
        errln!("error: no shift `{id}` in the pack");
        return 2;
    };
    let log = play(pack, profile, seed, style);
    let shift = Shift::new(profile, seed);
    let body = load::actions_text(&shift, &log).replace("\n    ", "\n        ");
    let body = body.trim_end().trim_end_matches(']').trim_end();
    let o = format!(
        "ShiftPlaytest(\n    shift: \"{id}\",\n    seed: {seed},\n    actions: {body}\n    ],\n)\n"
    );
    out!("{o}");
    0
}
