//! Shift smells: a shift without an expert and a failing play-test, a shift that
//! schedules more work than it lasts, a scheduled scenario no expert play-test covers.

use super::Finding;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::load::Pack;
use crate::shift::model::ShiftProfile;

/// Line and column of the first `"needle"` string in the shift file (1:1 when absent).
fn locate(pack: &Pack, s: &ShiftProfile, needle: Option<&str>) -> (usize, usize) {
    let Some(n) = needle else { return (1, 1) };
    let text = crate::scenario::files::read_in_pack(&pack.meta.root, &s.source, "shift")
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let quoted = format!("\"{n}\"");
    text.find(&quoted)
        .map(|off| crate::scenario::ron_tree::line_col(&text, off))
        .unwrap_or((1, 1))
}

fn warn(
    pack: &Pack,
    s: &ShiftProfile,
    rule: &'static str,
    at: Option<&str>,
    msg: String,
    help: &str,
) -> Finding {
    let (l, c) = locate(pack, s, at);
    Finding {
        rule,
        diag: Diagnostic::warning(&s.source, l, c, msg),
        suggestion: help.into(),
    }
}

/// Lints every shift of the pack.
pub fn lint(pack: &Pack) -> Vec<Finding> {
    let mut out = vec![];
    for s in &pack.shifts {
        let tests: Vec<_> = pack
            .shift_playtests
            .iter()
            .filter(|t| t.shift.id == s.id)
            .collect();
        if !tests
            .iter()
            .any(|t| t.expert && t.expect.passed == Some(true))
        {
            out.push(warn(pack, s, "shift-untested", None,
                format!("shift `{}` has no expert play-test that is expected to pass", s.id),
                "add shifts/playtests/<shift>-expert.ron with `expert: true` and `expect: (passed: Some(true))`; `firstline shift <shift> --autoplay expert` writes a first draft"));
        }
        if !tests.iter().any(|t| t.expect.passed == Some(false)) {
            out.push(warn(pack, s, "shift-untested", None,
                format!("shift `{}` has no play-test that is expected to fail (e.g. tickets taken in arrival order)", s.id),
                "add a poor play-test (`firstline shift <shift> --autoplay arrival`) with `expect: (passed: Some(false))`, so a change that lets bad triage pass is caught"));
        }
        let mut sources: Vec<&crate::shift::model::Source> = s.fixed.iter().map(|f| &f.1).collect();
        sources.extend(s.walkups.iter().map(|w| &w.1));
        sources.extend(s.incidents.iter().map(|i| &i.source));
        if let Some(p) = &s.pool {
            sources.extend(p.entries.iter().map(|e| &e.0));
        }
        let mut seen = vec![];
        for src in sources {
            let id = src.scenario.id.as_str();
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            if !pack
                .playtests
                .iter()
                .any(|p| p.expert && p.scenario.id == id)
            {
                out.push(warn(pack, s, "shift-no-expert-path", Some(id),
                    format!("scenario `{id}` is scheduled in shift `{}` but has no expert play-test", s.id),
                    "add an expert play-test for each of its variants, so the debrief and `--autoplay` can show the expert path"));
            }
        }
        let work: u32 = s.fixed.iter().map(|f| f.1.scenario.minutes).sum::<u32>()
            + s.walkups.iter().map(|w| w.1.scenario.minutes).sum::<u32>()
            + s.incidents
                .iter()
                .map(|i| i.source.scenario.minutes + i.callers)
                .sum::<u32>()
            + s.pool.as_ref().map_or(0, |p| {
                let n = p.entries.len().max(1) as u32;
                p.draws * p.entries.iter().map(|e| e.0.scenario.minutes).sum::<u32>() / n
            });
        if work > s.minutes * 3 / 2 {
            out.push(warn(pack, s, "shift-overloaded", None,
                format!("shift `{}` schedules about {work} minutes of work in {} minutes; even an expert leaves most of it", s.id, s.minutes),
                "lengthen the shift (`minutes`), or schedule fewer or shorter tickets; a busy shift should be hard, not impossible"));
        }
    }
    out
}
