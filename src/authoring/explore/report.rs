//! The explore report as terminal text.

use super::{ExploreReport, Path, StateFinding};
use crate::authoring::action_text;
use std::fmt::Write;

/// The report as terminal text.
pub fn report_text(r: &ExploreReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Explored `{}`: {} states (budget {}, max depth {}, seed {}), {} random play-throughs",
        r.scenario, r.states, r.budget, r.max_depth, r.seed, r.random.playouts
    );
    let _ = writeln!(s, "\nResolvable per variant:");
    for v in &r.variants {
        let verdict = if v.resolvable {
            "yes".to_string()
        } else if v.seed.is_none() {
            "unknown (no seed picks this variant)".to_string()
        } else if v.exhausted {
            "NO (the search ran out of moves before its budget: no resolving path among the moves tried)".to_string()
        } else {
            "NO (none found within the budget)".to_string()
        };
        let _ = writeln!(
            s,
            "  {:<24} {verdict}  [{} states, seed {}]",
            v.variant,
            v.states,
            v.seed.map(|x| x.to_string()).unwrap_or("-".into())
        );
        if let Some(p) = &v.resolving {
            let _ = writeln!(
                s,
                "      shortest resolving path found: {} actions, overall {}",
                p.actions.len(),
                p.overall
            );
        }
    }
    gameable_text(&mut s, r);
    let path = |s: &mut String, title: &str, p: &Option<Path>| {
        if let Some(p) = p {
            let _ = writeln!(
                s,
                "\n{title}: overall {} (T{} E{} D{} X{}), variant `{}`, seed {}, resolved {}, {}",
                p.overall,
                p.technical,
                p.empathy,
                p.documentation,
                p.escalation,
                p.variant,
                p.seed,
                if p.resolved { "yes" } else { "no" },
                if p.passed { "passed" } else { "not passed" }
            );
            for (i, l) in p.lines().iter().enumerate() {
                let _ = writeln!(s, "  {:>2}. {l}", i + 1);
            }
        }
    };
    path(&mut s, "Best reachable score", &r.best);
    path(&mut s, "Worst reachable score", &r.worst);
    if r.gaps.is_empty() {
        let _ = writeln!(
            s,
            "\nEvery scoring criterion reached its maximum in some explored attempt."
        );
    } else {
        let _ = writeln!(s, "\nMaximum not reached by any explored attempt:");
        for g in &r.gaps {
            let line = format!(
                "  {:<13} {:<40} best {:>3}/{:<3}{}",
                format!("{:?}", g.dimension).to_lowercase(),
                g.title,
                g.best,
                g.max,
                if g.text_graded {
                    "  (graded on free text; the explorer writes generated notes)"
                } else {
                    ""
                }
            );
            let _ = writeln!(s, "{}", line.trim_end());
        }
    }
    let rp = &r.random;
    let _ = writeln!(
        s,
        "\nRandom play ({} play-throughs): mean {:.1}, min {}, max {}; resolved {}, passed {}, customer hung up {}",
        rp.playouts, rp.mean, rp.min, rp.max, rp.resolved, rp.passed, rp.hung_up
    );
    let top = rp.histogram.iter().copied().max().unwrap_or(0).max(1);
    for (i, n) in rp.histogram.iter().enumerate() {
        let width = (*n as usize * 40).div_ceil(top as usize);
        let label = if i == 9 {
            "90–100".to_string()
        } else {
            format!("{}–{}", i * 10, i * 10 + 9)
        };
        let _ = writeln!(s, "  {label:>7} | {:<40} {n}", "█".repeat(width));
    }
    let findings = |s: &mut String, title: &str, list: &[StateFinding]| {
        if list.is_empty() {
            let _ = writeln!(s, "\n{title}: none found");
            return;
        }
        let _ = writeln!(s, "\n{title}:");
        for f in list {
            let _ = writeln!(s, "  - [{}] at node `{}`: {}", f.variant, f.node, f.what);
            let lines: Vec<String> = f.actions.iter().map(action_text).collect();
            let _ = writeln!(
                s,
                "      after: {}",
                if lines.is_empty() {
                    "(the start)".into()
                } else {
                    lines.join(", ")
                }
            );
        }
    };
    findings(&mut s, "Dead ends", &r.dead_ends);
    findings(
        &mut s,
        "States where the customer always hangs up",
        &r.hang_ups,
    );
    s
}

/// Per variant: the shortest passing path, and the best path that skips each step that
/// matters (diagnosis, identity verification, a required escalation).
fn gameable_text(s: &mut String, r: &ExploreReport) {
    let _ = writeln!(s, "\nShortest passing path and skipped steps per variant:");
    let brief = |p: &Path| {
        format!(
            "overall {} (T{} E{} D{} X{}), {}, {} actions",
            p.overall,
            p.technical,
            p.empathy,
            p.documentation,
            p.escalation,
            if p.passed { "PASSES" } else { "does not pass" },
            p.actions.len()
        )
    };
    for v in &r.variants {
        let _ = writeln!(s, "  {}:", v.variant);
        match &v.shortest_passing {
            Some(p) => {
                let _ = writeln!(s, "    shortest passing path: {}", brief(p));
                let _ = writeln!(s, "      {}", p.lines().join(", "));
            }
            None => {
                let _ = writeln!(s, "    shortest passing path: none found");
            }
        }
        if v.gameable.is_empty() {
            let _ = writeln!(
                s,
                "    (no step to skip: no fault to diagnose, no identity-guarded fix needed, no required escalation)"
            );
        }
        for g in &v.gameable {
            match &g.path {
                Some(p) => {
                    let _ = writeln!(
                        s,
                        "    best path that {}: {}{}",
                        g.skip.describe(),
                        brief(p),
                        if p.passed { "  <- gameable" } else { "" }
                    );
                    let _ = writeln!(s, "      {}", p.lines().join(", "));
                }
                None => {
                    let _ = writeln!(
                        s,
                        "    best path that {}: none found ({} states)",
                        g.skip.describe(),
                        g.states
                    );
                }
            }
        }
    }
}
