//! What to practise next, and seeds for new attempts.
//!
//! The recommendation weighs the trainee's weakest dimension (over their recent
//! attempts), scenarios they have not played or not played recently, and the difficulty
//! they have reached. A level is mastered on evidence ([`mastery`]): several passed
//! attempts at that level, recently, across different scenarios and variants — one good
//! call is not a level.

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

/// Passed attempts a level needs before it counts as mastered.
pub const MASTERY_PASSES: usize = 3;
/// Different scenarios those passes must cover (fewer if the level has fewer).
pub const MASTERY_SCENARIOS: usize = 2;
/// Passes older than this many days do not count.
pub const MASTERY_DAYS: i64 = 30;

/// How far a trainee is at one difficulty level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelProgress {
    pub level: Difficulty,
    /// Recent passed attempts at this level, one per scenario and variant.
    pub passes: usize,
    /// Different scenarios among them.
    pub scenarios: usize,
    /// Different scenarios this level needs.
    pub scenarios_needed: usize,
    pub mastered: bool,
}

impl LevelProgress {
    /// One line: "beginner: mastered (3 passes, 3 scenarios, last 30 days)" or what is
    /// still missing.
    pub fn describe(&self) -> String {
        let l = level(self.level);
        if self.mastered {
            format!(
                "{l} mastered ({} passes across {} scenarios in the last {MASTERY_DAYS} days)",
                self.passes, self.scenarios
            )
        } else {
            format!(
                "{l}: {} of {MASTERY_PASSES} recent passes across different calls, {} of {} scenarios",
                self.passes.min(MASTERY_PASSES),
                self.scenarios.min(self.scenarios_needed),
                self.scenarios_needed
            )
        }
    }
}

/// Each level's progress: passes count once per (scenario, variant) and only within the
/// last [`MASTERY_DAYS`]; a level is mastered with [`MASTERY_PASSES`] of them across
/// [`MASTERY_SCENARIOS`] scenarios (or every scenario of a smaller level).
pub fn mastery(
    pack: &Pack,
    attempts: &[AttemptSummary],
    now: OffsetDateTime,
) -> Vec<LevelProgress> {
    [
        Difficulty::Beginner,
        Difficulty::Intermediate,
        Difficulty::Advanced,
    ]
    .into_iter()
    .filter_map(|d| {
        let here: Vec<&str> = pack
            .scenarios
            .iter()
            .filter(|s| s.difficulty == d)
            .map(|s| s.id.as_str())
            .collect();
        if here.is_empty() {
            return None;
        }
        let mut pairs: std::collections::BTreeSet<(&str, &str)> = Default::default();
        for a in attempts
            .iter()
            .filter(|a| a.passed && here.contains(&a.scenario_id.as_str()))
        {
            let recent = parse_timestamp(&a.finished_at)
                .is_some_and(|t| (now - t).whole_days() < MASTERY_DAYS);
            if recent {
                pairs.insert((a.scenario_id.as_str(), a.variant.as_str()));
            }
        }
        let scenarios = pairs
            .iter()
            .map(|(s, _)| *s)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let needed = MASTERY_SCENARIOS.min(here.len());
        Some(LevelProgress {
            level: d,
            passes: pairs.len(),
            scenarios,
            scenarios_needed: needed,
            mastered: pairs.len() >= MASTERY_PASSES && scenarios >= needed,
        })
    })
    .collect()
}

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
    // The level to work at: the first not yet mastered on evidence.
    let at = |d: Difficulty| -> Vec<&Arc<Scenario>> {
        pack.scenarios
            .iter()
            .filter(|s| s.difficulty == d)
            .collect()
    };
    let progress = mastery(pack, attempts, now);
    let mut target = None;
    let mut met = None;
    for p in &progress {
        if !p.mastered {
            target = Some(p.level);
            break;
        }
        met = Some(p.level);
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
    let here = progress.iter().find(|p| p.level == target);
    let step = match (met, all_met, here) {
        (_, true, _) => format!(
            " You have mastered every level ({MASTERY_PASSES}+ recent passes across different scenarios at each); keep your skills fresh."
        ),
        (Some(m), false, Some(h)) => format!(
            " You mastered {} level ({MASTERY_PASSES}+ recent passes across different scenarios), so this is {}; {}.",
            level(m),
            level(target),
            h.describe()
        ),
        (None, false, Some(h)) if !attempts.is_empty() => format!(" Progress: {}.", h.describe()),
        _ => String::new(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NewAttempt;
    use crate::scenario::load::load_pack;

    fn pack() -> Pack {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        load_pack(&dir).unwrap().0.unwrap()
    }

    /// A passed attempt (overall 90) on a scenario and variant, `day` days after the epoch.
    fn passed(pack: &Pack, scenario: &str, variant: &str, day: i64) -> AttemptSummary {
        let s = pack.scenario(scenario).unwrap();
        let run = crate::playtest::run(s, 1, &[]);
        let mut a = NewAttempt::from_session(
            &run.session,
            &run.scorecard,
            std::time::SystemTime::UNIX_EPOCH,
            std::time::Duration::ZERO,
        )
        .summary;
        a.overall = 90;
        a.passed = true;
        a.variant = variant.into();
        a.dimensions = Dimensions {
            technical: 90,
            empathy: 90,
            documentation: 90,
            escalation: 90,
        };
        a.finished_at = (OffsetDateTime::UNIX_EPOCH + time::Duration::days(day))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        a
    }

    fn beginners(pack: &Pack) -> Vec<String> {
        pack.scenarios
            .iter()
            .filter(|s| s.difficulty == Difficulty::Beginner)
            .map(|s| s.id.clone())
            .collect()
    }

    fn day(n: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + time::Duration::days(n)
    }

    fn difficulty_of(pack: &Pack, r: &Recommendation) -> Difficulty {
        pack.scenario(&r.scenario).unwrap().difficulty
    }

    #[test]
    fn issue13_one_passed_call_is_not_a_level() {
        let pack = pack();
        let b = beginners(&pack);
        let history = vec![passed(&pack, &b[0], "a", 10)];
        let r = recommend(&pack, &history, day(11)).unwrap();
        assert_eq!(
            difficulty_of(&pack, &r),
            Difficulty::Beginner,
            "{}",
            r.reason
        );
        assert!(!r.reason.contains("intermediate"), "{}", r.reason);
        assert!(r.reason.contains("1 of 3 recent passes"), "{}", r.reason);
    }

    #[test]
    fn issue13_the_same_call_passed_three_times_is_one_pass() {
        let pack = pack();
        let b = beginners(&pack);
        let history: Vec<_> = (0..3).map(|i| passed(&pack, &b[0], "a", i)).collect();
        let m = mastery(&pack, &history, day(5));
        assert_eq!(m[0].passes, 1);
        assert!(!m[0].mastered);
        let r = recommend(&pack, &history, day(5)).unwrap();
        assert_eq!(
            difficulty_of(&pack, &r),
            Difficulty::Beginner,
            "{}",
            r.reason
        );
    }

    #[test]
    fn issue13_passes_across_scenarios_and_variants_master_a_level() {
        let pack = pack();
        let b = beginners(&pack);
        assert!(b.len() >= 2);
        // Two scenarios, three variants.
        let history = vec![
            passed(&pack, &b[0], "a", 1),
            passed(&pack, &b[0], "b", 2),
            passed(&pack, &b[1], "a", 3),
        ];
        let m = mastery(&pack, &history, day(4));
        assert!(m[0].mastered, "{m:?}");
        assert!(!m[1].mastered);
        let r = recommend(&pack, &history, day(4)).unwrap();
        assert_eq!(
            difficulty_of(&pack, &r),
            Difficulty::Intermediate,
            "{}",
            r.reason
        );
        assert!(r.reason.contains("mastered beginner"), "{}", r.reason);
        assert!(!r.reason.contains("every level"), "{}", r.reason);
        // Three variants of one scenario are not enough: the level has more scenarios.
        let one: Vec<_> = ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(i, v)| passed(&pack, &b[0], v, i as i64))
            .collect();
        assert!(!mastery(&pack, &one, day(4))[0].mastered);
    }

    #[test]
    fn issue13_old_passes_do_not_count() {
        let pack = pack();
        let b = beginners(&pack);
        let history = vec![
            passed(&pack, &b[0], "a", 1),
            passed(&pack, &b[1], "a", 2),
            passed(&pack, &b[1], "b", 3),
        ];
        assert!(mastery(&pack, &history, day(20))[0].mastered);
        let m = mastery(&pack, &history, day(3 + MASTERY_DAYS));
        assert!(!m[0].mastered, "{m:?}");
        assert_eq!(m[0].passes, 0);
    }
}
