//! The database's shape: the schema version, the migrations that bring an older file up to it,
//! and opening a file (checked, WAL journal, migrated). A file that is damaged or from a newer
//! slouchwatch is reported as unusable, for [`HistoryStore::open`] to move aside.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{HistoryStore, StoreError};

/// Schema version this build writes. Version 1: minutes, episodes, warnings, breaks, stretches.
/// Version 2: stretches record the answer to a suggestion ("done" or "not now").
/// Version 3: movement-break reminders are recorded, so the report can say which were followed.
/// Version 4: head-down seconds. Version 5: minutes keep the means' change from the calibrated
/// upright posture, the scale of the live bars and the limits (older minutes have none).
/// Version 6: minutes record the setup measured in and the seconds standing; warnings record an
/// "I'm sitting fine" answer. Version 7: minutes record the seconds the camera was given over to
/// another program or held for a call; warnings record being held back while presenting.
/// Version 8: minutes record the seconds slumped low and the mean shortening of the chin's gap
/// to the shoulders (the face mesh's measure).
pub const SCHEMA_VERSION: i64 = 8;

/// Each step takes the schema from version `i` to `i + 1`.
pub(super) const MIGRATIONS: [&str; 8] = [
    r#"
    CREATE TABLE minutes (
        minute INTEGER PRIMARY KEY,            -- unix seconds, start of the UTC minute
        monitored_s REAL NOT NULL DEFAULT 0,
        good_s REAL NOT NULL DEFAULT 0,
        bad_s REAL NOT NULL DEFAULT 0,
        unknown_s REAL NOT NULL DEFAULT 0,
        away_s REAL NOT NULL DEFAULT 0,
        paused_s REAL NOT NULL DEFAULT 0,
        forward_head_s REAL NOT NULL DEFAULT 0,
        rounded_shoulders_s REAL NOT NULL DEFAULT 0,
        shoulders_raised_s REAL NOT NULL DEFAULT 0,
        leaning_s REAL NOT NULL DEFAULT 0,
        too_close_s REAL NOT NULL DEFAULT 0,
        forward_head_deg_sum REAL NOT NULL DEFAULT 0,
        forward_head_weight_s REAL NOT NULL DEFAULT 0,
        shoulder_rounding_deg_sum REAL NOT NULL DEFAULT 0,
        shoulder_rounding_weight_s REAL NOT NULL DEFAULT 0
    );
    CREATE TABLE episodes (
        id INTEGER PRIMARY KEY,
        start INTEGER NOT NULL,                -- unix milliseconds
        end INTEGER NOT NULL,
        problems TEXT NOT NULL,                -- comma-separated problem names
        peak_severity TEXT NOT NULL,
        warned INTEGER NOT NULL
    );
    CREATE INDEX episodes_start ON episodes(start);
    CREATE TABLE warnings (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,                   -- unix milliseconds
        problems TEXT NOT NULL,
        severity TEXT NOT NULL,
        snoozed INTEGER NOT NULL
    );
    CREATE INDEX warnings_at ON warnings(at);
    CREATE TABLE breaks (
        id INTEGER PRIMARY KEY,
        start INTEGER NOT NULL,                -- unix milliseconds
        end INTEGER NOT NULL
    );
    CREATE INDEX breaks_start ON breaks(start);
    CREATE TABLE stretches (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,                   -- unix milliseconds
        name TEXT NOT NULL
    );
"#,
    r#"
    ALTER TABLE stretches ADD COLUMN answer TEXT NOT NULL DEFAULT 'done';
    CREATE INDEX stretches_at ON stretches(at);
"#,
    r#"
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,                   -- unix milliseconds
        sitting_min INTEGER NOT NULL           -- minutes seated when reminded
    );
    CREATE INDEX reminders_at ON reminders(at);
"#,
    r#"
    ALTER TABLE minutes ADD COLUMN head_down_s REAL NOT NULL DEFAULT 0;
"#,
    r#"
    ALTER TABLE minutes ADD COLUMN head_change_deg_sum REAL NOT NULL DEFAULT 0;
    ALTER TABLE minutes ADD COLUMN head_change_weight_s REAL NOT NULL DEFAULT 0;
    ALTER TABLE minutes ADD COLUMN rounding_change_deg_sum REAL NOT NULL DEFAULT 0;
    ALTER TABLE minutes ADD COLUMN rounding_change_weight_s REAL NOT NULL DEFAULT 0;
"#,
    r#"
    ALTER TABLE minutes ADD COLUMN standing_s REAL NOT NULL DEFAULT 0;   -- judged in a standing setup
    ALTER TABLE minutes ADD COLUMN setup TEXT;                           -- the setup measured in, if named
    ALTER TABLE warnings ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0; -- answered "I'm sitting fine"
"#,
    r#"
    ALTER TABLE minutes ADD COLUMN yielded_s REAL NOT NULL DEFAULT 0;    -- camera given to another program
    ALTER TABLE warnings ADD COLUMN held_back INTEGER NOT NULL DEFAULT 0; -- due while presenting
"#,
    r#"
    ALTER TABLE minutes ADD COLUMN slumped_s REAL NOT NULL DEFAULT 0;
    ALTER TABLE minutes ADD COLUMN slump_change_pct_sum REAL NOT NULL DEFAULT 0;   -- chin gap shortening
    ALTER TABLE minutes ADD COLUMN slump_change_weight_s REAL NOT NULL DEFAULT 0;
"#,
];

/// SQLite page cache, as SQLite's negative "KiB" form: 256 KiB.
const CACHE_SIZE_KIB: i64 = -256;

impl HistoryStore {
    pub(super) fn open_file(path: &Path) -> Result<HistoryStore, OpenFailure> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let connection = Connection::open_with_flags(path, flags).map_err(OpenFailure::classify)?;
        connection.busy_timeout(std::time::Duration::from_secs(5)).map_err(OpenFailure::classify)?;
        let version: i64 =
            connection.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(OpenFailure::classify)?;
        if version > SCHEMA_VERSION {
            return Err(OpenFailure::Unusable(format!(
                "it was written by a newer slouchwatch (schema {version}, this one reads up to {SCHEMA_VERSION})"
            )));
        }
        let check: String =
            connection.query_row("PRAGMA quick_check", [], |row| row.get(0)).map_err(OpenFailure::classify)?;
        if check != "ok" {
            return Err(OpenFailure::Unusable(format!("integrity check failed: {check}")));
        }
        connection.pragma_update(None, "journal_mode", "WAL").map_err(OpenFailure::classify)?;
        connection.pragma_update(None, "synchronous", "NORMAL").map_err(OpenFailure::classify)?;
        // A row a minute needs no big page cache (SQLite's default is 2 MB).
        connection.pragma_update(None, "cache_size", CACHE_SIZE_KIB).map_err(OpenFailure::classify)?;
        let mut store = HistoryStore { path: path.to_owned(), connection, _monitor_lock: None };
        store.migrate(version).map_err(|error| OpenFailure::Other(error.to_string()))?;
        Ok(store)
    }

    fn migrate(&mut self, from: i64) -> rusqlite::Result<()> {
        for (step, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let transaction = self.connection.transaction()?;
            transaction.execute_batch(sql)?;
            transaction.pragma_update(None, "user_version", step as i64 + 1)?;
            transaction.commit()?;
        }
        Ok(())
    }
}

pub(super) enum OpenFailure {
    /// The file is not a usable database (damaged, not SQLite, newer schema): move it aside.
    Unusable(String),
    /// Anything else (permissions, full disk): report, do not touch the file.
    Other(String),
}

impl OpenFailure {
    pub(super) fn classify(error: rusqlite::Error) -> OpenFailure {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => OpenFailure::Unusable(error.to_string()),
            _ => OpenFailure::Other(error.to_string()),
        }
    }

    pub(super) fn into_error(self, path: &Path) -> StoreError {
        match self {
            OpenFailure::Unusable(detail) | OpenFailure::Other(detail) => {
                StoreError::Sqlite { path: path.to_owned(), detail }
            }
        }
    }
}
