//! Instructor reports: per trainee and per scenario, attempts, best and mean scores per
//! dimension and pass rate, as text, CSV or JSON.

use super::record::AttemptSummary;
use serde::Serialize;
use std::collections::BTreeMap;

/// Best and mean of one score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stat {
    pub best: u32,
    pub mean: f64,
}

/// Attempts, passes and score statistics over a group of attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub attempts: u32,
    pub passes: u32,
    /// Passes / attempts, 0–1.
    pub pass_rate: f64,
    pub overall: Stat,
    pub technical: Stat,
    pub empathy: Stat,
    pub documentation: Stat,
    pub escalation: Stat,
    /// When the latest attempt finished (RFC 3339).
    pub last_played: String,
}

/// One scenario's row for a trainee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioRow {
    pub scenario: String,
    pub title: String,
    #[serde(flatten)]
    pub row: Row,
}

/// A trainee's totals and per-scenario rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraineeReport {
    pub trainee: String,
    pub total: Row,
    pub scenarios: Vec<ScenarioRow>,
}

/// The whole report: trainees by name, then every scenario across those trainees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub trainees: Vec<TraineeReport>,
    /// Per scenario over all the report's trainees (which scenarios are hard).
    pub scenarios: Vec<ScenarioRow>,
    /// Everything in the report.
    pub total: Row,
    /// Shifts per trainee and shift profile (issue 14); empty when none were played.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<ShiftRow>,
}

/// One trainee's results on one shift profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftRow {
    pub trainee: String,
    pub shift: String,
    pub title: String,
    pub attempts: u32,
    pub passes: u32,
    pub overall: Stat,
    /// Best triage points (of 25), when triage applied.
    pub best_triage: Option<u32>,
    pub last_played: String,
}

/// Adds the shifts' rows (by trainee, then shift id) to a report.
pub fn add_shifts(r: &mut Report, shifts: &[super::shifts::ShiftSummary]) {
    let mut groups: BTreeMap<(String, String), Vec<&super::shifts::ShiftSummary>> = BTreeMap::new();
    for s in shifts {
        groups
            .entry((s.trainee.clone(), s.shift_id.clone()))
            .or_default()
            .push(s);
    }
    r.shifts = groups
        .into_iter()
        .map(|((trainee, shift), list)| {
            let n = list.len() as u32;
            ShiftRow {
                trainee,
                shift,
                title: list[0].shift_title.clone(),
                attempts: n,
                passes: list.iter().filter(|s| s.passed).count() as u32,
                overall: Stat {
                    best: list.iter().map(|s| s.overall).max().unwrap_or(0),
                    mean: list.iter().map(|s| f64::from(s.overall)).sum::<f64>()
                        / f64::from(n.max(1)),
                },
                best_triage: list.iter().filter_map(|s| s.triage).max(),
                last_played: list
                    .iter()
                    .map(|s| s.finished_at.clone())
                    .max()
                    .unwrap_or_default(),
            }
        })
        .collect();
}

/// The shifts section of the text report.
pub fn shifts_text(r: &Report) -> String {
    if r.shifts.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "
Shifts (overall best / mean, best triage of 25)
",
    );
    for s in &r.shifts {
        out.push_str(&format!(
            "  {:<20} {:<12} {} shift(s), {} passed, overall {} / {:.1}, triage {}, last played {}\n",
            escape_text(&s.trainee),
            escape_text(&s.shift),
            s.attempts,
            s.passes,
            s.overall.best,
            s.overall.mean,
            s.best_triage.map_or("-".into(), |t| t.to_string()),
            s.last_played
        ));
    }
    out
}

impl Row {
    /// The overall score and the four dimensions with their machine names.
    pub fn stats(&self) -> [(&'static str, Stat); 5] {
        let [t, e, d, x] = crate::scoring::Dimensions::KEYS;
        [
            ("overall", self.overall),
            (t, self.technical),
            (e, self.empathy),
            (d, self.documentation),
            (x, self.escalation),
        ]
    }
}

fn row(attempts: &[&AttemptSummary]) -> Row {
    let n = attempts.len() as u32;
    let stat = |f: &dyn Fn(&AttemptSummary) -> u32| {
        let best = attempts.iter().map(|a| f(a)).max().unwrap_or(0);
        let sum: u32 = attempts.iter().map(|a| f(a)).sum();
        Stat {
            best,
            mean: if n == 0 {
                0.0
            } else {
                (f64::from(sum) / f64::from(n) * 10.0).round() / 10.0
            },
        }
    };
    let passes = attempts.iter().filter(|a| a.passed).count() as u32;
    Row {
        attempts: n,
        passes,
        pass_rate: if n == 0 {
            0.0
        } else {
            (f64::from(passes) / f64::from(n) * 1000.0).round() / 1000.0
        },
        overall: stat(&|a| a.overall),
        technical: stat(&|a| a.dimensions.technical),
        empathy: stat(&|a| a.dimensions.empathy),
        documentation: stat(&|a| a.dimensions.documentation),
        escalation: stat(&|a| a.dimensions.escalation),
        last_played: attempts
            .iter()
            .map(|a| a.finished_at.clone())
            .max()
            .unwrap_or_default(),
    }
}

/// One row per scenario, by id.
fn by_scenario(list: &[&AttemptSummary]) -> Vec<ScenarioRow> {
    let mut groups: BTreeMap<&str, Vec<&AttemptSummary>> = BTreeMap::new();
    for a in list {
        groups.entry(a.scenario_id.as_str()).or_default().push(a);
    }
    groups
        .into_iter()
        .map(|(id, l)| ScenarioRow {
            scenario: id.to_string(),
            title: l
                .last()
                .map(|a| a.scenario_title.clone())
                .unwrap_or_default(),
            row: row(&l),
        })
        .collect()
}

/// Builds the report from attempt summaries (any order).
pub fn build(attempts: &[AttemptSummary]) -> Report {
    let mut by_trainee: BTreeMap<&str, Vec<&AttemptSummary>> = BTreeMap::new();
    for a in attempts {
        by_trainee.entry(a.trainee.as_str()).or_default().push(a);
    }
    let trainees = by_trainee
        .into_iter()
        .map(|(name, list)| TraineeReport {
            trainee: name.to_string(),
            total: row(&list),
            scenarios: by_scenario(&list),
        })
        .collect();
    let all: Vec<&AttemptSummary> = attempts.iter().collect();
    Report {
        trainees,
        scenarios: by_scenario(&all),
        total: row(&all),
        shifts: vec![],
    }
}

fn pct(r: f64) -> String {
    format!("{:.0}%", r * 100.0)
}

fn cell(s: Stat) -> String {
    format!("{:>3} / {:>5.1}", s.best, s.mean)
}

/// The text table's column widths after the name: attempts, pass rate, then one per stat.
const WIDTHS: [usize; 5] = [11, 11, 11, 13, 11];

fn header() -> String {
    let mut out = format!("  {:<28} {:>8} {:>6}", "scenario", "attempts", "pass");
    for (i, name) in std::iter::once("overall")
        .chain(crate::scoring::Dimensions::KEYS)
        .enumerate()
    {
        out.push_str(&format!("  {name:<w$}", w = WIDTHS[i]));
    }
    out.push('\n');
    out
}

fn line(name: &str, r: &Row) -> String {
    let mut out = format!(
        "  {:<28} {:>8} {:>6}",
        escape_text(name),
        r.attempts,
        pct(r.pass_rate)
    );
    for (i, (_, s)) in r.stats().iter().enumerate() {
        out.push_str(&format!("  {:<w$}", cell(*s), w = WIDTHS[i]));
    }
    out.push('\n');
    out
}

/// A plain-text report for the terminal; names are printed with control characters
/// escaped ([`escape_text`]).
pub fn text(r: &Report) -> String {
    let mut out = String::new();
    if r.trainees.is_empty() && r.shifts.is_empty() {
        out.push_str("No attempts recorded yet.\n");
        return out;
    }
    out.push_str("Scores are best / mean.\n");
    let shifts = shifts_text(r);
    for t in &r.trainees {
        let tot = &t.total;
        out.push_str(&format!(
            "\n{} — {} attempt(s), {} passed ({}), last played {}\n",
            escape_text(&t.trainee),
            tot.attempts,
            tot.passes,
            pct(tot.pass_rate),
            tot.last_played
        ));
        out.push_str(&header());
        for s in &t.scenarios {
            out.push_str(&line(&s.scenario, &s.row));
        }
        out.push_str(&line("(all scenarios)", tot));
    }
    if r.trainees.len() > 1 {
        out.push_str(&format!(
            "\nAll {} trainees by scenario — {} attempt(s), {} passed ({})\n",
            r.trainees.len(),
            r.total.attempts,
            r.total.passes,
            pct(r.total.pass_rate)
        ));
        out.push_str(&header());
        for s in &r.scenarios {
            out.push_str(&line(&s.scenario, &s.row));
        }
        out.push_str(&line("(all scenarios)", &r.total));
    }
    out.push_str(&shifts);
    out
}

/// CSV: one row per trainee and scenario, plus a `*` row with the trainee's totals; then
/// trainee `*` rows per scenario over all trainees, and a `*`,`*` grand total. Text cells
/// that a spreadsheet would run as a formula are escaped ([`csv_cell`]).
pub fn csv(r: &Report) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![]);
    let mut header = vec![
        "trainee".to_string(),
        "scenario".into(),
        "title".into(),
        "attempts".into(),
        "passes".into(),
        "pass_rate".into(),
    ];
    for (d, _) in Row::stats(&r.total) {
        header.push(format!("best_{d}"));
        header.push(format!("mean_{d}"));
    }
    header.push("last_played".into());
    w.write_record(&header)?;
    let everyone = (!r.trainees.is_empty()).then_some(("*", &r.scenarios, &r.total));
    let groups = r
        .trainees
        .iter()
        .map(|t| (t.trainee.as_str(), &t.scenarios, &t.total))
        .chain(everyone);
    for (who, scenarios, total) in groups {
        let rows = scenarios
            .iter()
            .map(|s| (s.scenario.as_str(), s.title.as_str(), &s.row))
            .chain(std::iter::once(("*", "all scenarios", total)));
        for (id, title, row) in rows {
            let mut rec = vec![
                csv_cell(who),
                csv_cell(id),
                csv_cell(title),
                row.attempts.to_string(),
                row.passes.to_string(),
                format!("{:.3}", row.pass_rate),
            ];
            for (_, s) in row.stats() {
                rec.push(s.best.to_string());
                rec.push(format!("{:.1}", s.mean));
            }
            rec.push(csv_cell(&row.last_played));
            w.write_record(&rec)?;
        }
    }
    // Shift rows: scenario `shift:ID`, the overall stat only.
    for s in &r.shifts {
        let mut rec = vec![
            csv_cell(&s.trainee),
            csv_cell(&format!("shift:{}", s.shift)),
            csv_cell(&s.title),
            s.attempts.to_string(),
            s.passes.to_string(),
            format!("{:.3}", f64::from(s.passes) / f64::from(s.attempts.max(1))),
            s.overall.best.to_string(),
            format!("{:.1}", s.overall.mean),
        ];
        rec.resize(header.len() - 1, String::new());
        rec.push(csv_cell(&s.last_played));
        w.write_record(&rec)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Text safe to print on a terminal: control characters (escape sequences, newlines,
/// tabs, DEL, C1) and bidirectional overrides are shown as `\u{…}` escapes, so a name
/// cannot move the cursor, recolour the terminal or fake extra report lines.
pub fn escape_text(s: &str) -> String {
    let risky = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(risky) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if risky(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A CSV cell a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (the OWASP rule).
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}
