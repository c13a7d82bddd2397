//! Shifts in the progress store: a shift row, each worked ticket as an attempt (its
//! statements under the shift), and the shift's own xAPI statements — one transaction.

#[cfg(not(target_arch = "wasm32"))]
use super::record::Profile;
use super::record::{NewAttempt, ProfileId, timestamp};
#[cfg(not(target_arch = "wasm32"))]
use super::store::{Store, StoreError, classify, insert_attempt};
use crate::shift::Shift;
use crate::shift::score::ShiftCard;
#[cfg(not(target_arch = "wasm32"))]
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};

/// A stored (or about to be stored) shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftSummary {
    pub id: i64,
    pub uuid: uuid::Uuid,
    pub profile: ProfileId,
    pub trainee: String,
    pub pack_id: String,
    pub pack_title: String,
    pub xapi_base: String,
    pub shift_id: String,
    pub shift_title: String,
    pub seed: u64,
    pub started_at: String,
    pub finished_at: String,
    pub wall_ms: u64,
    pub sim_secs: u32,
    pub overall: u32,
    pub passed: bool,
    pub triage: Option<u32>,
}

/// A finished shift about to be saved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewShift {
    pub summary: ShiftSummary,
    /// The shift action log as RON.
    pub actions: String,
    pub card: ShiftCard,
    /// Each ticket worked (at least one action), as an attempt.
    pub tickets: Vec<(u32, NewAttempt)>,
}

impl NewShift {
    /// Describes a finished shift for saving (`started` and `wall` are real time).
    pub fn from_shift(
        shift: &Shift,
        card: &ShiftCard,
        started: SystemTime,
        wall: Duration,
    ) -> NewShift {
        let pack = shift
            .tickets
            .first()
            .map(|t| t.arrival.source.scenario.pack.clone());
        let (pack_id, pack_title, xapi_base) = pack
            .map(|p| (p.id.clone(), p.title.clone(), p.xapi_base()))
            .unwrap_or_default();
        let tickets = shift
            .tickets
            .iter()
            .filter(|t| !t.session.actions().is_empty())
            .map(|t| {
                let c = crate::scoring::score(&t.arrival.source.scenario, &t.session.attempt());
                (
                    t.no,
                    NewAttempt::from_session(&t.session, &c, started, wall),
                )
            })
            .collect();
        NewShift {
            summary: ShiftSummary {
                id: 0,
                uuid: uuid::Uuid::new_v4(),
                profile: ProfileId(0),
                trainee: String::new(),
                pack_id,
                pack_title,
                xapi_base,
                shift_id: shift.profile.id.clone(),
                shift_title: shift.profile.title.clone(),
                seed: shift.seed,
                started_at: timestamp(started),
                finished_at: timestamp(started + wall),
                wall_ms: wall.as_millis().min(u128::from(u64::MAX)) as u64,
                sim_secs: shift.clock,
                overall: card.overall,
                passed: card.passed,
                triage: card.points("triage"),
            },
            actions: crate::shift::load::log_text(shift),
            card: card.clone(),
            tickets,
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Store {
    /// Whether a shift with this uuid is stored.
    pub fn has_shift(&self, uuid: &uuid::Uuid) -> bool {
        self.conn
            .query_row(
                "SELECT 1 FROM shifts WHERE uuid = ?1",
                [uuid.to_string()],
                |_| Ok(()),
            )
            .is_ok()
    }

    /// Saves a finished shift, its tickets (as attempts under it) and every statement in
    /// one transaction. Returns the shift's row id.
    pub fn save_shift(&mut self, profile: &Profile, shift: &NewShift) -> Result<i64, StoreError> {
        let io = classify(&self.path);
        let mut s = shift.summary.clone();
        s.profile = profile.id;
        s.trainee = profile.name.clone();
        let card = serde_json::to_string(&shift.card).map_err(|e| StoreError::Io {
            path: self.path.clone(),
            detail: e.to_string(),
        })?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&io)?;
        tx.execute(
            "INSERT INTO shifts (uuid, profile_id, pack_id, pack_title, xapi_base, shift_id,
                shift_title, seed, started_at, finished_at, wall_ms, sim_secs, overall, passed,
                triage, actions, card)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                s.uuid.to_string(),
                s.profile.0,
                s.pack_id,
                s.pack_title,
                s.xapi_base,
                s.shift_id,
                s.shift_title,
                s.seed.to_string(),
                s.started_at,
                s.finished_at,
                s.wall_ms as i64,
                s.sim_secs,
                s.overall,
                s.passed,
                s.triage,
                shift.actions,
                card,
            ],
        )
        .map_err(&io)?;
        let id = tx.last_insert_rowid();
        s.id = id;
        for (no, attempt) in &shift.tickets {
            let within = crate::xapi::build::InShift {
                shift_id: s.shift_id.clone(),
                shift_title: s.shift_title.clone(),
                shift_uuid: s.uuid,
                ticket: *no,
            };
            let a = insert_attempt(&tx, &path, profile, attempt, Some(&within))?;
            tx.execute(
                "INSERT INTO shift_tickets (shift_id, ticket, attempt_id) VALUES (?1, ?2, ?3)",
                params![id, no, a.0],
            )
            .map_err(&io)?;
        }
        let who = crate::xapi::build::Trainee {
            name: profile.name.clone(),
            account: profile.uuid.to_string(),
        };
        for (seq, st) in crate::xapi::shift::statements(&s, &shift.card, &who)
            .iter()
            .enumerate()
        {
            let json = serde_json::to_string(st).map_err(|e| StoreError::Io {
                path: path.clone(),
                detail: e.to_string(),
            })?;
            tx.execute(
                "INSERT INTO shift_outbox (statement_id, shift_id, seq, statement) VALUES (?1, ?2, ?3, ?4)",
                params![st.id.to_string(), id, seq as i64, json],
            )
            .map_err(&io)?;
        }
        tx.commit().map_err(&io)?;
        Ok(id)
    }

    /// Shift summaries, oldest first; all trainees when `profile` is `None`. Rows that
    /// cannot be decoded are left out.
    pub fn shifts(&self, profile: Option<ProfileId>) -> Vec<ShiftSummary> {
        let sql = "SELECT s.id, s.uuid, s.profile_id, p.name, s.pack_id, s.pack_title,
            s.xapi_base, s.shift_id, s.shift_title, s.seed, s.started_at, s.finished_at,
            s.wall_ms, s.sim_secs, s.overall, s.passed, s.triage
            FROM shifts s JOIN profiles p ON p.id = s.profile_id
            WHERE (?1 IS NULL OR s.profile_id = ?1) ORDER BY s.finished_at, s.id";
        let Ok(mut st) = self.conn.prepare(sql) else {
            return vec![];
        };
        st.query_map([profile.map(|p| p.0)], |r| {
            let uuid: String = r.get(1)?;
            let seed: String = r.get(9)?;
            Ok(ShiftSummary {
                id: r.get(0)?,
                uuid: uuid.parse().unwrap_or_default(),
                profile: ProfileId(r.get(2)?),
                trainee: r.get(3)?,
                pack_id: r.get(4)?,
                pack_title: r.get(5)?,
                xapi_base: r.get(6)?,
                shift_id: r.get(7)?,
                shift_title: r.get(8)?,
                seed: seed.parse().unwrap_or_default(),
                started_at: r.get(10)?,
                finished_at: r.get(11)?,
                wall_ms: r.get::<_, i64>(12)?.max(0) as u64,
                sim_secs: r.get(13)?,
                overall: r.get(14)?,
                passed: r.get(15)?,
                triage: r.get(16)?,
            })
        })
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
    }

    /// The attempts (tickets) of a stored shift, by ticket number.
    pub fn shift_tickets(&self, shift: i64) -> Vec<(u32, super::AttemptId)> {
        let Ok(mut st) = self.conn.prepare(
            "SELECT ticket, attempt_id FROM shift_tickets WHERE shift_id = ?1 ORDER BY ticket",
        ) else {
            return vec![];
        };
        st.query_map([shift], |r| Ok((r.get(0)?, super::AttemptId(r.get(1)?))))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }

    /// The statements queued for a shift (sent or not), in order.
    pub fn shift_statements(&self, shift: i64) -> Vec<String> {
        let Ok(mut st) = self
            .conn
            .prepare("SELECT statement FROM shift_outbox WHERE shift_id = ?1 ORDER BY seq")
        else {
            return vec![];
        };
        st.query_map([shift], |r| r.get(0))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }
}
