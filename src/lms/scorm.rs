//! SCORM 1.2 run-time values. The page's JavaScript finds the LMS's `API` object and
//! calls `LMSInitialize`, `LMSGetValue`, `LMSSetValue` and `LMSCommit`; which values
//! to set, and when, is decided here so it is tested with the rest of the core.
//!
//! - At start, in normal mode: `cmi.core.lesson_status` becomes `incomplete` when the
//!   LMS says `not attempted` (a started attempt that is then abandoned is not blank).
//! - On finish: status `passed`/`failed` (the game's verdict; the LMS's
//!   `cmi.student_data.mastery_score` can raise the bar, never lower it, as for cmi5),
//!   `score.raw` 0–100 with `min`/`max`, `session_time`, `exit` empty (a normal end).
//!   In browse mode only `browsed`; in review mode nothing is judged.
//! - On unload before the finish: `exit` is `suspend`, with the session time.
//!
//! The page commits (`LMSCommit("")`) after each of these, and `LMSFinish("")` on unload.

use super::cmi5::judge;

/// `cmi.core.lesson_mode` (SCORM 1.2 RTE 3.4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonMode {
    Normal,
    Browse,
    Review,
}

/// What the page read from the LMS at start.
#[derive(Debug, Clone, PartialEq)]
pub struct ScormStart {
    pub mode: LessonMode,
    /// `cmi.student_data.mastery_score`, 0–100, when the LMS has one.
    pub mastery: Option<u32>,
    /// `cmi.core.lesson_status` before this session.
    pub status: String,
}

impl ScormStart {
    /// Reads the values the LMS gave (`LMSGetValue` answers; empty when unsupported).
    /// Unknown modes are normal; a mastery score that is not a number 0–100 is ignored.
    pub fn from_lms(lesson_mode: &str, mastery_score: &str, lesson_status: &str) -> ScormStart {
        let mode = match lesson_mode.trim() {
            "browse" => LessonMode::Browse,
            "review" => LessonMode::Review,
            _ => LessonMode::Normal,
        };
        let mastery = mastery_score
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|m| (0.0..=100.0).contains(m))
            .map(|m| m.ceil() as u32);
        ScormStart {
            mode,
            mastery,
            status: lesson_status.trim().to_string(),
        }
    }

    /// The values to set when the page starts.
    pub fn start_values(&self) -> Vec<(&'static str, String)> {
        if self.mode == LessonMode::Normal && matches!(self.status.as_str(), "" | "not attempted") {
            vec![("cmi.core.lesson_status", "incomplete".into())]
        } else {
            vec![]
        }
    }

    /// The values to set when an attempt reaches its debrief.
    pub fn finish_values(
        &self,
        overall: u32,
        passed: bool,
        session_ms: u64,
    ) -> Vec<(&'static str, String)> {
        let time = ("cmi.core.session_time", session_time(session_ms));
        match self.mode {
            LessonMode::Review => vec![time],
            LessonMode::Browse => vec![("cmi.core.lesson_status", "browsed".into()), time],
            LessonMode::Normal => {
                let mastery = self.mastery.map(|m| f64::from(m) / 100.0);
                let (passed, _) = judge(overall, passed, mastery);
                let overall = overall.min(100);
                vec![
                    ("cmi.core.score.min", "0".into()),
                    ("cmi.core.score.max", "100".into()),
                    ("cmi.core.score.raw", overall.to_string()),
                    (
                        "cmi.core.lesson_status",
                        if passed { "passed" } else { "failed" }.into(),
                    ),
                    time,
                    ("cmi.core.exit", String::new()),
                ]
            }
        }
    }

    /// The values to set when the page unloads before an attempt finished.
    pub fn unload_values(&self, session_ms: u64) -> Vec<(&'static str, String)> {
        vec![
            ("cmi.core.exit", "suspend".into()),
            ("cmi.core.session_time", session_time(session_ms)),
        ]
    }
}

/// A SCORM 1.2 `CMITimespan`: `HHHH:MM:SS.SS` (hours capped at 9999).
pub fn session_time(ms: u64) -> String {
    let cs = (ms / 10) % 100;
    let s = (ms / 1000) % 60;
    let m = (ms / 60_000) % 60;
    let h = (ms / 3_600_000).min(9999);
    if ms / 3_600_000 > 9999 {
        return "9999:59:59.99".into();
    }
    format!("{h:04}:{m:02}:{s:02}.{cs:02}")
}

/// Whether a string is a valid SCORM 1.2 `CMITimespan` (`HH[HH]:MM:SS[.S[S]]`).
pub fn is_timespan(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    let [h, m, s] = parts.as_slice() else {
        return false;
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let (whole, frac) = s.split_once('.').unwrap_or((s, "1"));
    (2..=4).contains(&h.len())
        && digits(h)
        && m.len() == 2
        && digits(m)
        && m.parse::<u32>().is_ok_and(|v| v < 60)
        && whole.len() == 2
        && digits(whole)
        && whole.parse::<u32>().is_ok_and(|v| v < 60)
        && (1..=2).contains(&frac.len())
        && digits(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(v: &'a [(&str, String)], k: &str) -> Option<&'a str> {
        v.iter().find(|(x, _)| *x == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn session_times_are_cmi_timespans() {
        assert_eq!(session_time(0), "0000:00:00.00");
        assert_eq!(session_time(252_500), "0000:04:12.50");
        assert_eq!(session_time(3_723_040), "0001:02:03.04");
        assert_eq!(session_time(u64::MAX), "9999:59:59.99");
        for ms in [0, 999, 61_010, 3_599_999, 86_400_000 * 3] {
            assert!(is_timespan(&session_time(ms)), "{ms}");
        }
        for bad in ["1:00:00", "00:60:00", "00:00:00.123", "0000:00", "aa:00:00"] {
            assert!(!is_timespan(bad), "{bad}");
        }
    }

    #[test]
    fn a_normal_attempt_sets_status_score_and_time() {
        let s = ScormStart::from_lms("normal", "", "not attempted");
        assert_eq!(
            s.start_values(),
            vec![("cmi.core.lesson_status", "incomplete".to_string())]
        );
        let v = s.finish_values(85, true, 252_500);
        assert_eq!(get(&v, "cmi.core.lesson_status"), Some("passed"));
        assert_eq!(get(&v, "cmi.core.score.raw"), Some("85"));
        assert_eq!(get(&v, "cmi.core.session_time"), Some("0000:04:12.50"));
        assert_eq!(get(&v, "cmi.core.exit"), Some(""));
        let v = s.finish_values(60, false, 1000);
        assert_eq!(get(&v, "cmi.core.lesson_status"), Some("failed"));
        // The raw score is set before the status, so an LMS that derives the status from
        // the mastery score sees the score first.
        let pos = |k| v.iter().position(|(x, _)| *x == k).unwrap();
        assert!(pos("cmi.core.score.raw") < pos("cmi.core.lesson_status"));
        // Resuming after a pass keeps the status.
        assert!(
            ScormStart::from_lms("normal", "", "passed")
                .start_values()
                .is_empty()
        );
    }

    #[test]
    fn the_lms_mastery_score_raises_the_bar_only() {
        let strict = ScormStart::from_lms("normal", "90", "incomplete");
        assert_eq!(strict.mastery, Some(90));
        assert_eq!(
            get(&strict.finish_values(85, true, 0), "cmi.core.lesson_status"),
            Some("failed")
        );
        let lax = ScormStart::from_lms("normal", "50.5", "incomplete");
        assert_eq!(lax.mastery, Some(51));
        assert_eq!(
            get(&lax.finish_values(60, false, 0), "cmi.core.lesson_status"),
            Some("failed")
        );
        assert_eq!(ScormStart::from_lms("normal", "abc", "").mastery, None);
        assert_eq!(ScormStart::from_lms("normal", "140", "").mastery, None);
    }

    #[test]
    fn browse_and_review_judge_nothing() {
        let b = ScormStart::from_lms("browse", "", "not attempted");
        assert!(b.start_values().is_empty());
        let v = b.finish_values(85, true, 0);
        assert_eq!(get(&v, "cmi.core.lesson_status"), Some("browsed"));
        assert_eq!(get(&v, "cmi.core.score.raw"), None);
        let r = ScormStart::from_lms("review", "", "passed");
        let v = r.finish_values(10, false, 0);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, "cmi.core.session_time");
        let u = r.unload_values(5_000);
        assert_eq!(get(&u, "cmi.core.exit"), Some("suspend"));
    }
}
