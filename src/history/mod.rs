//! The history: a real SQLite database of numbers (never images) in the platform data folder.
//!
//! An I/O edge around pure bookkeeping ([`minutes`]). The schema is versioned with
//! `PRAGMA user_version` and migrated forward; the journal is WAL, so a crash loses at most the
//! transaction in flight. A database that is damaged or from a newer slouchwatch is never
//! deleted: it is moved aside and a new one started, and the caller is told.

pub mod minutes;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, params};

use crate::alerts::Severity;
use crate::coach::Answer;
use crate::posture::Problem;
pub use minutes::{Activity, MinuteAccumulator, MinuteRow};

/// File name of the history database inside the data folder.
pub const DATABASE_FILE: &str = "history.sqlite3";

/// Schema version this build writes. Version 1: minutes, episodes, warnings, breaks, stretches.
/// Version 2: stretches record the answer to a suggestion ("done" or "not now").
/// Version 3: movement-break reminders are recorded, so the report can say which were followed.
pub const SCHEMA_VERSION: i64 = 4;

/// SQLite page cache, as SQLite's negative "KiB" form: 256 KiB.
const CACHE_SIZE_KIB: i64 = -256;

/// Each step takes the schema from version `i` to `i + 1`.
const MIGRATIONS: [&str; 4] = [
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
];

/// What went wrong with the history database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data folder cannot be created or written.
    #[error(
        "cannot use the data folder {path}: {detail}; slouchwatch keeps monitoring but cannot save history (check permissions and free space, or pass --data-dir)"
    )]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        detail: String,
    },
    /// The data folder is on a read-only disk (or mounted read-only).
    #[error(
        "the history in {path} is on a read-only disk: slouchwatch keeps monitoring and keeps the numbers in \
         memory but cannot save them, and leaves the files there untouched. Make the disk writable again (remount \
         it, or check that it is not write-protected), or pass --data-dir with a writable folder"
    )]
    ReadOnly {
        /// The folder.
        path: PathBuf,
    },
    /// An SQLite error.
    #[error(
        "history database {path}: {detail}. slouchwatch keeps monitoring and keeps the numbers in memory; \
         check free disk space and permissions"
    )]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
}

/// Something the user should know about how the database was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenNotice {
    /// The old file was damaged or from a newer version; it was kept under `moved_to`.
    MovedAside {
        /// Why.
        reason: String,
        /// Where the old file now is.
        moved_to: PathBuf,
    },
}

impl std::fmt::Display for OpenNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenNotice::MovedAside { reason, moved_to } => write!(
                f,
                "the history database could not be used ({reason}); it was kept as {} and a new one started",
                moved_to.display()
            ),
        }
    }
}

/// The history database.
pub struct HistoryStore {
    path: PathBuf,
    connection: Connection,
    /// Held while this store is used for monitoring ([`open_for_monitoring`]): the lock that
    /// keeps a second slouchwatch from writing the same history.
    _monitor_lock: Option<std::fs::File>,
}

/// File in the data folder that the monitoring slouchwatch holds locked; it holds its process id.
pub const LOCK_FILE: &str = "monitor.lock";

/// Another slouchwatch is already monitoring with this history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "another slouchwatch{} is already monitoring with the history in {folder}: only one may write it. \
     Close the other one first (or use it), or pass --data-dir for a separate history",
    pid.map(|pid| format!(" (process {pid})")).unwrap_or_default()
)]
pub struct AlreadyMonitoring {
    /// The data folder.
    pub folder: PathBuf,
    /// The other process, if it could be read.
    pub pid: Option<u32>,
}

/// Takes the monitoring lock of `data_dir`. `Ok(None)` when no lock file can be made (the
/// folder is not writable: there will be no history to protect either).
fn lock_for_monitoring(data_dir: &Path) -> Result<Option<std::fs::File>, AlreadyMonitoring> {
    #[cfg(unix)]
    {
        use std::io::{Read, Seek, Write};
        use std::os::unix::fs::OpenOptionsExt;
        use std::os::unix::io::AsRawFd;
        if crate::private_files::create_folder(data_dir).is_err() {
            return Ok(None);
        }
        let path = data_dir.join(LOCK_FILE);
        let Ok(mut file) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(crate::private_files::FILE_MODE)
            .open(&path)
        else {
            return Ok(None);
        };
        // SAFETY: flock on a file descriptor we own; the lock ends when the file is closed.
        let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
        if !locked {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Err(AlreadyMonitoring { folder: data_dir.to_owned(), pid: text.trim().parse().ok() });
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = writeln!(file, "{}", std::process::id());
        Ok(Some(file))
    }
    #[cfg(not(unix))]
    {
        let _ = data_dir;
        Ok(None)
    }
}

fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// Comma-separated snake_case problem names.
fn problem_list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| {
            serde_json::to_value(problem).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Mild => "mild",
        Severity::Moderate => "moderate",
        Severity::Strong => "strong",
    }
}

/// The default data folder: the platform's per-user data directory (on Linux
/// `~/.local/share/slouchwatch`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "slouchwatch").map(|dirs| dirs.data_dir().to_owned())
}

/// What [`open_for_monitoring`] gives: the history (if it could be opened) and what to tell the
/// user (a database moved aside, or why there is no history).
pub type MonitoringHistory = (Option<HistoryStore>, Option<String>);

/// Opens the history for monitoring, in `data_dir` or the default folder, holding the folder's
/// monitoring lock for as long as the store lives. Monitoring goes on without a history that
/// cannot be opened; it must not start while another slouchwatch monitors with the same one.
pub fn open_for_monitoring(data_dir: Option<&Path>) -> Result<MonitoringHistory, AlreadyMonitoring> {
    let Some(dir) = data_dir.map(Path::to_owned).or_else(default_data_dir) else {
        return Ok((
            None,
            Some(
                "no data folder could be found for the history; pass --data-dir. Monitoring goes on without history."
                    .into(),
            ),
        ));
    };
    let lock = lock_for_monitoring(&dir)?;
    Ok(match HistoryStore::open(&dir) {
        Ok((mut store, notice)) => {
            store._monitor_lock = lock;
            (Some(store), notice.map(|notice| notice.to_string()))
        }
        Err(error) => (None, Some(error.to_string())),
    })
}

impl HistoryStore {
    /// Opens (creating or migrating) the database in `data_dir`. A damaged or newer database is
    /// moved aside, never deleted, and a notice says where it went.
    pub fn open(data_dir: &Path) -> Result<(HistoryStore, Option<OpenNotice>), StoreError> {
        let data_dir_error =
            |error: std::io::Error| StoreError::DataDir { path: data_dir.to_owned(), detail: error.to_string() };
        crate::private_files::create_folder(data_dir).map_err(data_dir_error)?;
        let path = data_dir.join(DATABASE_FILE);
        crate::private_files::create_file_if_missing(&path).map_err(data_dir_error)?;
        // Before anything could be judged damaged and moved aside: can the file be written at all?
        if let Err(error) = std::fs::OpenOptions::new().append(true).open(&path) {
            return Err(match error.kind() {
                std::io::ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly { path: data_dir.to_owned() },
                _ => data_dir_error(error),
            });
        }
        match Self::open_file(&path) {
            Ok(store) => Ok((store, None)),
            Err(OpenFailure::Unusable(reason)) => {
                let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
                let moved_to = data_dir.join(format!("{DATABASE_FILE}.unusable-{stamp}"));
                std::fs::rename(&path, &moved_to).map_err(data_dir_error)?;
                for suffix in ["-wal", "-shm"] {
                    let side = data_dir.join(format!("{DATABASE_FILE}{suffix}"));
                    if side.exists() {
                        let _ =
                            std::fs::rename(&side, data_dir.join(format!("{DATABASE_FILE}.unusable-{stamp}{suffix}")));
                    }
                }
                crate::private_files::create_file_if_missing(&path).map_err(data_dir_error)?;
                let store = Self::open_file(&path).map_err(|failure| failure.into_error(&path))?;
                Ok((store, Some(OpenNotice::MovedAside { reason, moved_to })))
            }
            Err(failure) => Err(failure.into_error(&path)),
        }
    }

    fn open_file(path: &Path) -> Result<HistoryStore, OpenFailure> {
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

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::Sqlite { path: self.path.clone(), detail: error.to_string() }
    }

    /// Adds a minute's aggregates (merging with any row already stored for that minute, e.g.
    /// from an earlier run in the same minute).
    pub fn add_minute(&self, row: &MinuteRow) -> Result<(), StoreError> {
        self.connection
            .execute(
                "INSERT INTO minutes (minute, monitored_s, good_s, bad_s, unknown_s, away_s, paused_s,
                    forward_head_s, rounded_shoulders_s, shoulders_raised_s, leaning_s, too_close_s,
                    forward_head_deg_sum, forward_head_weight_s, shoulder_rounding_deg_sum, shoulder_rounding_weight_s,
                    head_down_s)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                 ON CONFLICT(minute) DO UPDATE SET
                    monitored_s = monitored_s + excluded.monitored_s,
                    good_s = good_s + excluded.good_s,
                    bad_s = bad_s + excluded.bad_s,
                    unknown_s = unknown_s + excluded.unknown_s,
                    away_s = away_s + excluded.away_s,
                    paused_s = paused_s + excluded.paused_s,
                    forward_head_s = forward_head_s + excluded.forward_head_s,
                    rounded_shoulders_s = rounded_shoulders_s + excluded.rounded_shoulders_s,
                    shoulders_raised_s = shoulders_raised_s + excluded.shoulders_raised_s,
                    leaning_s = leaning_s + excluded.leaning_s,
                    too_close_s = too_close_s + excluded.too_close_s,
                    forward_head_deg_sum = forward_head_deg_sum + excluded.forward_head_deg_sum,
                    forward_head_weight_s = forward_head_weight_s + excluded.forward_head_weight_s,
                    shoulder_rounding_deg_sum = shoulder_rounding_deg_sum + excluded.shoulder_rounding_deg_sum,
                    shoulder_rounding_weight_s = shoulder_rounding_weight_s + excluded.shoulder_rounding_weight_s,
                    head_down_s = head_down_s + excluded.head_down_s",
                params![
                    row.minute.timestamp(),
                    row.monitored_s,
                    row.good_s,
                    row.bad_s,
                    row.unknown_s,
                    row.away_s,
                    row.paused_s,
                    row.forward_head_s,
                    row.rounded_shoulders_s,
                    row.shoulders_raised_s,
                    row.leaning_s,
                    row.too_close_s,
                    row.forward_head_deg_sum,
                    row.forward_head_weight_s,
                    row.shoulder_rounding_deg_sum,
                    row.shoulder_rounding_weight_s,
                    row.head_down_s,
                ],
            )
            .map(|_| ())
            .map_err(|error| self.sqlite_error(error))
    }

    /// Records a slouch episode.
    pub fn add_episode(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        problems: &[Problem],
        peak: Severity,
        warned: bool,
    ) -> Result<(), StoreError> {
        self.connection
            .execute(
                "INSERT INTO episodes (start, end, problems, peak_severity, warned) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![millis(start), millis(end), problem_list(problems), severity_name(peak), warned],
            )
            .map(|_| ())
            .map_err(|error| self.sqlite_error(error))
    }

    /// Records a warning (shown, or due but snoozed).
    pub fn add_warning(
        &self,
        at: DateTime<Utc>,
        problems: &[Problem],
        severity: Option<Severity>,
        snoozed: bool,
    ) -> Result<(), StoreError> {
        self.connection
            .execute(
                "INSERT INTO warnings (at, problems, severity, snoozed) VALUES (?1, ?2, ?3, ?4)",
                params![millis(at), problem_list(problems), severity.map(severity_name).unwrap_or(""), snoozed],
            )
            .map(|_| ())
            .map_err(|error| self.sqlite_error(error))
    }

    /// Records a break (away long enough).
    pub fn add_break(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<(), StoreError> {
        self.connection
            .execute("INSERT INTO breaks (start, end) VALUES (?1, ?2)", params![millis(start), millis(end)])
            .map(|_| ())
            .map_err(|error| self.sqlite_error(error))
    }

    /// Records the answer to a suggested entry: done, or not now.
    pub fn add_answer(&self, at: DateTime<Utc>, entry_id: &str, answer: Answer) -> Result<(), StoreError> {
        let answer = match answer {
            Answer::Done => "done",
            Answer::NotNow => "not_now",
        };
        self.connection
            .execute(
                "INSERT INTO stretches (at, name, answer) VALUES (?1, ?2, ?3)",
                params![millis(at), entry_id, answer],
            )
            .map(|_| ())
            .map_err(|error| self.sqlite_error(error))
    }

    /// Records a movement-break reminder.
    pub fn add_reminder(&self, at: DateTime<Utc>, sitting_min: i64) -> Result<(), StoreError> {
        self.connection
            .execute("INSERT INTO reminders (at, sitting_min) VALUES (?1, ?2)", params![millis(at), sitting_min])
            .map(|_| ())
            .map_err(|error| self.sqlite_error(error))
    }

    /// Answers given since `since`, oldest first.
    pub fn answers_since(&self, since: DateTime<Utc>) -> Result<Vec<(String, Answer)>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT name, answer FROM stretches WHERE at >= ?1 ORDER BY at")
            .map_err(|error| self.sqlite_error(error))?;
        let rows = statement
            .query_map(params![millis(since)], |row| {
                let answer: String = row.get(1)?;
                Ok((row.get(0)?, if answer == "not_now" { Answer::NotNow } else { Answer::Done }))
            })
            .map_err(|error| self.sqlite_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sqlite_error(error))
    }

    /// Makes every write fail (on) or work again (off), as a full disk would: for tests of the
    /// callers' recovery.
    #[cfg(test)]
    pub(crate) fn set_read_only_for_tests(&self, on: bool) {
        self.connection.pragma_update(None, "query_only", on).expect("query_only pragma");
    }

    /// The minute rows from `from` (inclusive) to `to` (exclusive), in order.
    pub fn minutes(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<MinuteRow>, StoreError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT minute, monitored_s, good_s, bad_s, unknown_s, away_s, paused_s, forward_head_s,
                    rounded_shoulders_s, shoulders_raised_s, leaning_s, too_close_s, forward_head_deg_sum,
                    forward_head_weight_s, shoulder_rounding_deg_sum, shoulder_rounding_weight_s, head_down_s
                 FROM minutes WHERE minute >= ?1 AND minute < ?2 ORDER BY minute",
            )
            .map_err(|error| self.sqlite_error(error))?;
        let rows = statement
            .query_map(params![from.timestamp(), to.timestamp()], |row| {
                Ok(MinuteRow {
                    minute: DateTime::from_timestamp(row.get(0)?, 0).unwrap_or_default(),
                    monitored_s: row.get(1)?,
                    good_s: row.get(2)?,
                    bad_s: row.get(3)?,
                    unknown_s: row.get(4)?,
                    away_s: row.get(5)?,
                    paused_s: row.get(6)?,
                    forward_head_s: row.get(7)?,
                    rounded_shoulders_s: row.get(8)?,
                    shoulders_raised_s: row.get(9)?,
                    leaning_s: row.get(10)?,
                    too_close_s: row.get(11)?,
                    forward_head_deg_sum: row.get(12)?,
                    forward_head_weight_s: row.get(13)?,
                    shoulder_rounding_deg_sum: row.get(14)?,
                    shoulder_rounding_weight_s: row.get(15)?,
                    head_down_s: row.get(16)?,
                })
            })
            .map_err(|error| self.sqlite_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sqlite_error(error))
    }

    /// Counts rows of one table (`episodes`, `warnings`, `breaks`, `stretches`) in [from, to).
    pub fn count(&self, table: HistoryTable, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<i64, StoreError> {
        let (name, column) = table.name_and_time_column();
        self.connection
            .query_row(
                &format!("SELECT COUNT(*) FROM {name} WHERE {column} >= ?1 AND {column} < ?2"),
                params![millis(from), millis(to)],
                |row| row.get(0),
            )
            .map_err(|error| self.sqlite_error(error))
    }

    /// The episodes that started in [from, to), in order.
    pub fn episodes(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<EpisodeRow>, StoreError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT start, end, problems, peak_severity, warned FROM episodes
                 WHERE start >= ?1 AND start < ?2 ORDER BY start",
            )
            .map_err(|error| self.sqlite_error(error))?;
        let rows = statement
            .query_map(params![millis(from), millis(to)], |row| {
                Ok(EpisodeRow {
                    start: DateTime::from_timestamp_millis(row.get(0)?).unwrap_or_default(),
                    end: DateTime::from_timestamp_millis(row.get(1)?).unwrap_or_default(),
                    problems: row.get(2)?,
                    peak_severity: row.get(3)?,
                    warned: row.get(4)?,
                })
            })
            .map_err(|error| self.sqlite_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sqlite_error(error))
    }

    /// Everything stored for [from, to): minutes, and the events that started in the range.
    pub fn range(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<RangeRows, StoreError> {
        let times = |sql: &str| -> Result<Vec<DateTime<Utc>>, StoreError> {
            let mut statement = self.connection.prepare_cached(sql).map_err(|error| self.sqlite_error(error))?;
            let rows = statement
                .query_map(params![millis(from), millis(to)], |row| {
                    Ok(DateTime::from_timestamp_millis(row.get(0)?).unwrap_or_default())
                })
                .map_err(|error| self.sqlite_error(error))?;
            rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sqlite_error(error))
        };
        let warnings = times("SELECT at FROM warnings WHERE at >= ?1 AND at < ?2 AND snoozed = 0 ORDER BY at")?;
        let snoozed = times("SELECT at FROM warnings WHERE at >= ?1 AND at < ?2 AND snoozed != 0 ORDER BY at")?;
        let reminders = times("SELECT at FROM reminders WHERE at >= ?1 AND at < ?2 ORDER BY at")?;
        let breaks = {
            let mut statement = self
                .connection
                .prepare_cached("SELECT start, end FROM breaks WHERE start >= ?1 AND start < ?2 ORDER BY start")
                .map_err(|error| self.sqlite_error(error))?;
            let rows = statement
                .query_map(params![millis(from), millis(to)], |row| {
                    Ok((
                        DateTime::from_timestamp_millis(row.get(0)?).unwrap_or_default(),
                        DateTime::from_timestamp_millis(row.get(1)?).unwrap_or_default(),
                    ))
                })
                .map_err(|error| self.sqlite_error(error))?;
            rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sqlite_error(error))?
        };
        let answers = {
            let mut statement = self
                .connection
                .prepare_cached("SELECT at, name, answer FROM stretches WHERE at >= ?1 AND at < ?2 ORDER BY at")
                .map_err(|error| self.sqlite_error(error))?;
            let rows = statement
                .query_map(params![millis(from), millis(to)], |row| {
                    let answer: String = row.get(2)?;
                    Ok(AnswerRow {
                        at: DateTime::from_timestamp_millis(row.get(0)?).unwrap_or_default(),
                        entry_id: row.get(1)?,
                        answer: if answer == "not_now" { Answer::NotNow } else { Answer::Done },
                    })
                })
                .map_err(|error| self.sqlite_error(error))?;
            rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sqlite_error(error))?
        };
        Ok(RangeRows {
            minutes: self.minutes(from, to)?,
            episodes: self.episodes(from, to)?,
            warnings,
            snoozed_warnings: snoozed,
            breaks,
            reminders,
            answers,
        })
    }
}

/// Everything the history holds for a time range (see [`HistoryStore::range`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RangeRows {
    /// Minute rows, in order.
    pub minutes: Vec<MinuteRow>,
    /// Slouch episodes that started in the range.
    pub episodes: Vec<EpisodeRow>,
    /// Warnings shown.
    pub warnings: Vec<DateTime<Utc>>,
    /// Warnings that were due but snoozed.
    pub snoozed_warnings: Vec<DateTime<Utc>>,
    /// Breaks (start, end) that started in the range.
    pub breaks: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Movement-break reminders.
    pub reminders: Vec<DateTime<Utc>>,
    /// Answers to suggestions.
    pub answers: Vec<AnswerRow>,
}

/// A stored answer to a suggested entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    /// When.
    pub at: DateTime<Utc>,
    /// The catalog entry.
    pub entry_id: String,
    /// Done or not now.
    pub answer: Answer,
}

/// A stored slouch episode.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeRow {
    /// When the bad posture began.
    pub start: DateTime<Utc>,
    /// When it ended.
    pub end: DateTime<Utc>,
    /// Comma-separated problem names.
    pub problems: String,
    /// `mild`, `moderate` or `strong`.
    pub peak_severity: String,
    /// Whether a warning was shown.
    pub warned: bool,
}

/// The event tables of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryTable {
    /// Slouch episodes.
    Episodes,
    /// Warnings.
    Warnings,
    /// Breaks.
    Breaks,
    /// Answers to suggested stretches.
    Stretches,
    /// Movement-break reminders.
    Reminders,
}

impl HistoryTable {
    fn name_and_time_column(self) -> (&'static str, &'static str) {
        match self {
            HistoryTable::Episodes => ("episodes", "start"),
            HistoryTable::Warnings => ("warnings", "at"),
            HistoryTable::Breaks => ("breaks", "start"),
            HistoryTable::Stretches => ("stretches", "at"),
            HistoryTable::Reminders => ("reminders", "at"),
        }
    }
}

enum OpenFailure {
    /// The file is not a usable database (damaged, not SQLite, newer schema): move it aside.
    Unusable(String),
    /// Anything else (permissions, full disk): report, do not touch the file.
    Other(String),
}

impl OpenFailure {
    fn classify(error: rusqlite::Error) -> OpenFailure {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => OpenFailure::Unusable(error.to_string()),
            _ => OpenFailure::Other(error.to_string()),
        }
    }

    fn into_error(self, path: &Path) -> StoreError {
        match self {
            OpenFailure::Unusable(detail) | OpenFailure::Other(detail) => {
                StoreError::Sqlite { path: path.to_owned(), detail }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_new_database_is_created_versioned_in_wal_mode_and_rows_add_up() {
        let dir = tempfile::tempdir().unwrap();
        let (store, notice) = HistoryStore::open(&dir.path().join("data")).unwrap();
        assert!(notice.is_none());
        let version: i64 = store.connection.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let mode: String = store.connection.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");

        let row = MinuteRow { minute: at(0), monitored_s: 30.0, good_s: 20.0, bad_s: 10.0, ..MinuteRow::default() };
        store.add_minute(&row).unwrap();
        store.add_minute(&row).unwrap();
        let rows = store.minutes(at(0), at(60)).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].monitored_s, rows[0].good_s, rows[0].bad_s), (60.0, 40.0, 20.0));

        store.add_episode(at(5), at(50), &[Problem::ForwardHead, Problem::Leaning], Severity::Moderate, true).unwrap();
        store.add_warning(at(35), &[Problem::ForwardHead], Some(Severity::Mild), false).unwrap();
        store.add_break(at(100), at(400)).unwrap();
        assert_eq!(store.count(HistoryTable::Episodes, at(0), at(60)).unwrap(), 1);
        assert_eq!(store.count(HistoryTable::Warnings, at(0), at(60)).unwrap(), 1);
        assert_eq!(store.count(HistoryTable::Breaks, at(0), at(60)).unwrap(), 0);
        assert_eq!(store.count(HistoryTable::Breaks, at(60), at(600)).unwrap(), 1);
        let episodes = store.episodes(at(0), at(60)).unwrap();
        assert_eq!(episodes[0].problems, "forward_head,leaning");
        assert_eq!(episodes[0].peak_severity, "moderate");
        assert_eq!(episodes[0].end - episodes[0].start, TimeDelta::seconds(45));
        assert!(episodes[0].warned);
    }

    #[test]
    fn a_version_1_database_is_migrated_with_its_rows_kept() {
        let dir = tempfile::tempdir().unwrap();
        {
            let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            connection.execute_batch(MIGRATIONS[0]).unwrap();
            connection.execute_batch("PRAGMA user_version = 1;").unwrap();
            connection.execute("INSERT INTO stretches (at, name) VALUES (1000, 'chin_tuck')", []).unwrap();
            connection.execute("INSERT INTO minutes (minute, good_s) VALUES (60, 42.0)", []).unwrap();
        }
        let (store, notice) = HistoryStore::open(dir.path()).unwrap();
        assert!(notice.is_none());
        let version: i64 = store.connection.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let since = DateTime::from_timestamp(0, 0).unwrap();
        assert_eq!(store.answers_since(since).unwrap(), vec![("chin_tuck".to_owned(), Answer::Done)]);
        let minute = DateTime::from_timestamp(60, 0).unwrap();
        assert_eq!(store.minutes(minute, minute + TimeDelta::minutes(1)).unwrap()[0].good_s, 42.0);
        store.add_answer(at(0), "shoulder_rolls", Answer::NotNow).unwrap();
        assert_eq!(store.answers_since(at(0)).unwrap(), vec![("shoulder_rolls".to_owned(), Answer::NotNow)]);
    }

    #[cfg(unix)]
    #[test]
    fn the_history_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let (store, _) = HistoryStore::open(&data).unwrap();
        store.add_minute(&MinuteRow { minute: at(0), good_s: 5.0, ..MinuteRow::default() }).unwrap();
        let mode = |name: &str| std::fs::metadata(data.join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(""), 0o700);
        assert_eq!(mode(DATABASE_FILE), 0o600);
        assert_eq!(mode(&format!("{DATABASE_FILE}-wal")), 0o600, "SQLite's journal follows the database");
    }

    #[cfg(unix)]
    #[test]
    fn only_one_monitor_writes_a_history_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let (first, _) = open_for_monitoring(Some(dir.path())).unwrap();
        assert!(first.is_some());
        let refused = open_for_monitoring(Some(dir.path())).err().unwrap();
        assert_eq!(refused.pid, Some(std::process::id()));
        assert!(refused.to_string().contains("already monitoring") && refused.to_string().contains("--data-dir"));
        // Reading (the report) is not monitoring: it goes on.
        assert!(HistoryStore::open(dir.path()).is_ok());
        drop(first);
        assert!(open_for_monitoring(Some(dir.path())).unwrap().0.is_some(), "free again once the first is gone");
    }

    #[test]
    fn history_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (store, _) = HistoryStore::open(dir.path()).unwrap();
            store.add_minute(&MinuteRow { minute: at(0), good_s: 5.0, ..MinuteRow::default() }).unwrap();
        }
        let (store, notice) = HistoryStore::open(dir.path()).unwrap();
        assert!(notice.is_none());
        assert_eq!(store.minutes(at(0), at(60)).unwrap()[0].good_s, 5.0);
    }

    #[test]
    fn a_damaged_database_is_moved_aside_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        std::fs::write(&path, b"this is not an sqlite database, but it is someone's file").unwrap();
        let (store, notice) = HistoryStore::open(dir.path()).unwrap();
        let Some(OpenNotice::MovedAside { moved_to, .. }) = notice else { panic!("no notice") };
        assert_eq!(std::fs::read(&moved_to).unwrap(), b"this is not an sqlite database, but it is someone's file");
        store.add_minute(&MinuteRow { minute: at(0), good_s: 1.0, ..MinuteRow::default() }).unwrap();
    }

    #[test]
    fn a_database_from_a_newer_version_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        {
            let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            connection.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;").unwrap();
        }
        let (_, notice) = HistoryStore::open(dir.path()).unwrap();
        let notice = notice.unwrap();
        assert!(notice.to_string().contains("newer slouchwatch"), "{notice}");
    }

    #[test]
    fn an_unwritable_data_folder_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let error = HistoryStore::open(&blocker.join("data")).err().unwrap();
        assert!(matches!(error, StoreError::DataDir { .. }));
        assert!(error.to_string().contains("keeps monitoring"));
    }
}
