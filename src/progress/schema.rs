//! The progress database's versioned schema.
//!
//! `PRAGMA user_version` holds the number of migrations applied; each migration runs in
//! its own transaction together with the version bump. Never edit a migration that has
//! shipped: append a new one.

/// Marks the file as a Firstline progress database (`PRAGMA application_id`, "FLPR").
pub const APPLICATION_ID: i32 = 0x464c_5052;

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: profiles, attempts, the xAPI outbox, settings, and best scores imported from the
    // old RON profiles file.
    r#"
    CREATE TABLE profiles (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        uuid        TEXT NOT NULL UNIQUE,
        created_at  TEXT NOT NULL
    );
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE attempts (
        id               INTEGER PRIMARY KEY,
        uuid             TEXT NOT NULL UNIQUE,
        profile_id       INTEGER NOT NULL REFERENCES profiles(id),
        pack_id          TEXT NOT NULL,
        pack_title       TEXT NOT NULL,
        pack_version     TEXT NOT NULL,
        xapi_base        TEXT NOT NULL,
        scenario_id      TEXT NOT NULL,
        scenario_title   TEXT NOT NULL,
        scenario_version INTEGER NOT NULL,
        difficulty       TEXT NOT NULL,
        variant          TEXT NOT NULL,
        seed             TEXT NOT NULL,
        started_at       TEXT NOT NULL,
        finished_at      TEXT NOT NULL,
        wall_ms          INTEGER NOT NULL,
        sim_secs         INTEGER NOT NULL,
        overall          INTEGER NOT NULL,
        passed           INTEGER NOT NULL,
        resolved         INTEGER NOT NULL,
        technical        INTEGER NOT NULL,
        empathy          INTEGER NOT NULL,
        documentation    INTEGER NOT NULL,
        escalation       INTEGER NOT NULL,
        actions          TEXT NOT NULL,
        scorecard        TEXT NOT NULL
    );
    CREATE INDEX attempts_by_profile ON attempts(profile_id, finished_at);
    CREATE TABLE outbox (
        statement_id TEXT PRIMARY KEY,
        attempt_id   INTEGER NOT NULL REFERENCES attempts(id),
        seq          INTEGER NOT NULL,
        statement    TEXT NOT NULL,
        sent_at      TEXT,
        tries        INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT
    );
    CREATE INDEX outbox_unsent ON outbox(sent_at, attempt_id, seq);
    CREATE TABLE legacy_best (
        profile_id  INTEGER NOT NULL REFERENCES profiles(id),
        scenario_id TEXT NOT NULL,
        overall     INTEGER NOT NULL,
        PRIMARY KEY (profile_id, scenario_id)
    );
    "#,
    // 2: shifts (issue 14): a shift with its tickets (each an attempt) and its own xAPI
    // statements, queued beside the attempts' outbox.
    r#"
    CREATE TABLE shifts (
        id            INTEGER PRIMARY KEY,
        uuid          TEXT NOT NULL UNIQUE,
        profile_id    INTEGER NOT NULL REFERENCES profiles(id),
        pack_id       TEXT NOT NULL,
        pack_title    TEXT NOT NULL,
        xapi_base     TEXT NOT NULL,
        shift_id      TEXT NOT NULL,
        shift_title   TEXT NOT NULL,
        seed          TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        finished_at   TEXT NOT NULL,
        wall_ms       INTEGER NOT NULL,
        sim_secs      INTEGER NOT NULL,
        overall       INTEGER NOT NULL,
        passed        INTEGER NOT NULL,
        triage        INTEGER,
        actions       TEXT NOT NULL,
        card          TEXT NOT NULL
    );
    CREATE INDEX shifts_by_profile ON shifts(profile_id, finished_at);
    CREATE TABLE shift_tickets (
        shift_id    INTEGER NOT NULL REFERENCES shifts(id),
        ticket      INTEGER NOT NULL,
        attempt_id  INTEGER NOT NULL REFERENCES attempts(id),
        PRIMARY KEY (shift_id, ticket)
    );
    CREATE TABLE shift_outbox (
        statement_id TEXT PRIMARY KEY,
        shift_id     INTEGER NOT NULL REFERENCES shifts(id),
        seq          INTEGER NOT NULL,
        statement    TEXT NOT NULL,
        sent_at      TEXT,
        tries        INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT
    );
    CREATE INDEX shift_outbox_unsent ON shift_outbox(sent_at, shift_id, seq);
    "#,
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}
