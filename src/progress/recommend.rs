//! What to practise next, and seeds for new attempts.
//!
//! The recommendation weighs the trainee's weakest dimension (over their recent
//! attempts), scenarios they have not played or not played recently, and the difficulty
//! they have reached: a level is met once their best scores there average the pass mark.

use super::record::{AttemptSummary, parse_timestamp};
use crate::scenario::format::{Difficulty, Skill};
use crate::scenario::load::Pack;
use crate::scenario::model::Scenario;
use crate::scoring::Dimensions;
use crate::session::Session;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// How many recent attempts decide the weakest dimension.
pub const RECENT: usize = 5;

/// A dimension averaging this or more is not called weak.
const WEAK: f64 = 90.0;

/// A suggested next scenario with its one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub scenario: String,
    pub title: String,
    /// One line explaining the choice.
    pub reason: String,
}

/// Which dimensions a skill exercises (index into [`Dimensions::KEYS`]).
fn skill_dims(s: Skill) -> &'static [usize] {
    match s {
        Skill::Technical | Skill::Troubleshooting => &[0],
        Skill::CriticalThinking => &[0, 3],
        Skill::Security => &[0, 3],
        Skill::Empathy | Skill::Communication | Skill::Training => &[1],
        Skill::Writing => &[2],
        Skill::BusinessAwareness => &[3],
    }
}

fn level(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Beginner => "beginner",
        Difficulty::Intermediate => "intermediate",
        Difficulty::Advanced => "advanced",
    }
}

/// Mean of each dimension over the last [`RECENT`] attempts.
pub fn recent_means(attempts: &[AttemptSummary]) -> Option<[f64; 4]> {
    let recent: Vec<_> = attempts.iter().rev().take(RECENT).collect();
    if recent.is_empty() {
        return None;
    }
    let mut sum = [0.0; 4];
    for a in &recent {
        for (i, (_, v)) in a.dimensions.named().iter().enumerate() {
            sum[i] += f64::from(*v);
        }
    }
    Some(sum.map(|s| s / recent.len() as f64))
}

/// Suggests the next scenario for a trainee given their attempts (oldest first).
pub fn recommend(
    pack: &Pack,
    attempts: &[AttemptSummary],
    now: OffsetDateTime,
) -> Option<Recommendation> {
    let pass = u32::from(pack.meta.pass_mark);
    let mut best: BTreeMap<&str, u32> = BTreeMap::new();
    let mut last: BTreeMap<&str, OffsetDateTime> = BTreeMap::new();
    for a in attempts {
        let b = best.entry(a.scenario_id.as_str()).or_insert(0);
        *b = (*b).max(a.overall);
        if let Some(t) = parse_timestamp(&a.finished_at) {
            last.insert(a.scenario_id.as_str(), t);
        }
    }
    // The level to work at: the first whose played scenarios' best scores do not yet
    // average the pass mark (or that has not been played at all).
    let levels = [
        Difficulty::Beginner,
        Difficulty::Intermediate,
        Difficulty::Advanced,
    ];
    let at = |d: Difficulty| -> Vec<&Arc<Scenario>> {
        pack.scenarios
            .iter()
            .filter(|s| s.difficulty == d)
            .collect()
    };
    let mut target = None;
    let mut met = None;
    for d in levels {
        let here = at(d);
        if here.is_empty() {
            continue;
        }
        let played: Vec<u32> = here
            .iter()
            .filter_map(|s| best.get(s.id.as_str()).copied())
            .collect();
        let mean = if played.is_empty() {
            0.0
        } else {
            f64::from(played.iter().sum::<u32>()) / played.len() as f64
        };
        if played.is_empty() || mean < f64::from(pass) {
            target = Some(d);
            break;
        }
        met = Some(d);
    }
    let all_met = target.is_none();
    let target = target.or(met)?;
    let means = recent_means(attempts);
    // The weakest dimension, when one clearly lags (below 90 and below another).
    let weakest = means.and_then(|m| {
        let i = (0..4).fold(0, |i, j| if m[j] < m[i] { j } else { i });
        let top = m.iter().copied().fold(f64::MIN, f64::max);
        (m[i] < WEAK && m[i] + 1.0 <= top).then_some((i, m[i]))
    });
    let most_recent = attempts.last().map(|a| a.scenario_id.as_str());
    let mut pool: Vec<&Arc<Scenario>> = if all_met {
        pack.scenarios.iter().collect()
    } else {
        at(target)
    };
    if pool.len() > 1 {
        pool.retain(|s| Some(s.id.as_str()) != most_recent);
    }
    let score = |s: &Scenario| -> i64 {
        let mut v = 0;
        match best.get(s.id.as_str()) {
            None => v += 30,
            Some(b) if *b < pass => v += 20,
            _ => {}
        }
        if let Some((w, _)) = weakest
            && s.skills.iter().any(|k| skill_dims(*k).contains(&w))
        {
            v += 20;
        }
        if let Some(t) = last.get(s.id.as_str()) {
            v += (now - *t).whole_days().clamp(0, 14);
        }
        v
    };
    let pick = pool.iter().max_by_key(|s| {
        (
            score(s),
            std::cmp::Reverse(pack.scenarios.iter().position(|x| x.id == s.id)),
        )
    })?;
    // The one-line reason.
    let mut why: Vec<String> = vec![];
    match best.get(pick.id.as_str()) {
        None => why.push("not played yet".into()),
        Some(b) if *b < pass => why.push(format!("best so far {b}, pass mark {pass}")),
        Some(b) => {
            let days = last
                .get(pick.id.as_str())
                .map(|t| (now - *t).whole_days())
                .unwrap_or(0);
            if days >= 1 {
                why.push(format!("passed with {b}, last played {days} days ago"));
            } else {
                why.push(format!("passed with {b}; try another variant"));
            }
        }
    }
    let lead = match weakest {
        Some((w, m)) if pick.skills.iter().any(|k| skill_dims(*k).contains(&w)) => format!(
            "Work on {} (your weakest, {m:.0} on average lately)",
            Dimensions::KEYS[w]
        ),
        _ if attempts.is_empty() => "Start with".to_string(),
        _ => "Try".to_string(),
    };
    let step = match (met, all_met) {
        (_, true) => " You have met the pass mark at every level.".to_string(),
        (Some(m), false) => format!(
            " You met the pass mark at {} level, so this is {}.",
            level(m),
            level(target)
        ),
        (None, false) => String::new(),
    };
    Some(Recommendation {
        scenario: pick.id.clone(),
        title: pick.title.clone(),
        reason: format!(
            "{lead}: {} ({}, {}).{step}",
            quoted(&pick.title),
            level(pick.difficulty),
            why.join(", ")
        ),
    })
}

/// A title in curly quotes, unless it already starts with a quote.
fn quoted(title: &str) -> String {
    if title.starts_with(['"', '\u{201c}', '\'']) {
        title.to_string()
    } else {
        format!("\u{201c}{title}\u{201d}")
    }
}

/// A fresh seed from the operating system's entropy.
pub fn fresh_seed() -> u64 {
    uuid::Uuid::new_v4().as_u64_pair().0
}

/// A seed for a new attempt: `fresh`, moved on if needed so the variant differs from the
/// one played last time (when the scenario has another).
pub fn seed_avoiding(scenario: &Arc<Scenario>, last_variant: Option<&str>, fresh: u64) -> u64 {
    match last_variant {
        Some(v) => Session::seed_for_other_variant(scenario, v, fresh),
        None => fresh,
    }
}
