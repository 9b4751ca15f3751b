//! The history: a real SQLite database of numbers (never images) in the platform data folder.
//!
//! An I/O edge around pure bookkeeping ([`minutes`]). The schema is versioned with
//! `PRAGMA user_version` and migrated forward; the journal is WAL, so a crash loses at most the
//! transaction in flight. A database that is damaged or from a newer slouchwatch is never
//! deleted: it is moved aside and a new one started, and the caller is told.

//!
//! - `schema.rs`: the version, the migrations, opening a file;
//! - `lock.rs`: one monitoring slouchwatch per history folder;
//! - `store.rs`: writes; `queries.rs`: reads; `rows.rs`: the typed rows they return;
//! - [`minutes`]: the pure per-minute bookkeeping the engine feeds.

mod lock;
pub mod minutes;
mod queries;
mod rows;
mod schema;
mod store;

use std::path::{Path, PathBuf};

use chrono::Utc;
use rusqlite::Connection;

pub use lock::{AlreadyMonitoring, LOCK_FILE};
pub use minutes::{Activity, FromUpright, MinuteAccumulator, MinuteRow};
pub use rows::{AnswerRow, EpisodeRow, HistoryTable, RangeRows};
use schema::OpenFailure;
pub use schema::SCHEMA_VERSION;

/// File name of the history database inside the data folder.
pub const DATABASE_FILE: &str = "history.sqlite3";

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

/// What [`open_for_monitoring`] gives: the history (if it could be opened) and what to tell the
/// user (a database moved aside, or why there is no history).
pub type MonitoringHistory = (Option<HistoryStore>, Option<String>);

/// Opens the history for monitoring, in `data_dir` or the default folder, holding the folder's
/// monitoring lock for as long as the store lives. Monitoring goes on without a history that
/// cannot be opened; it must not start while another slouchwatch monitors with the same one.
pub fn open_for_monitoring(data_dir: Option<&Path>) -> Result<MonitoringHistory, AlreadyMonitoring> {
    let Some(dir) = data_dir.map(Path::to_owned).or_else(crate::files::data_dir) else {
        return Ok((
            None,
            Some(
                "no data folder could be found for the history; pass --data-dir. Monitoring goes on without history."
                    .into(),
            ),
        ));
    };
    let lock = lock::lock_for_monitoring(&dir)?;
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
        crate::files::private::create_folder(data_dir).map_err(data_dir_error)?;
        let path = data_dir.join(DATABASE_FILE);
        crate::files::private::create_file_if_missing(&path).map_err(data_dir_error)?;
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
                crate::files::private::create_file_if_missing(&path).map_err(data_dir_error)?;
                let store = Self::open_file(&path).map_err(|failure| failure.into_error(&path))?;
                Ok((store, Some(OpenNotice::MovedAside { reason, moved_to })))
            }
            Err(failure) => Err(failure.into_error(&path)),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::Sqlite { path: self.path.clone(), detail: error.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::Severity;
    use crate::coach::Answer;
    use crate::posture::Problem;
    use chrono::{DateTime, TimeDelta};

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
        assert_eq!(episodes[0].problems, [Problem::ForwardHead, Problem::Leaning]);
        assert_eq!(episodes[0].peak_severity, "moderate");
        assert_eq!(episodes[0].end - episodes[0].start, TimeDelta::seconds(45));
        assert!(episodes[0].warned);
    }

    #[test]
    fn a_version_1_database_is_migrated_with_its_rows_kept() {
        let dir = tempfile::tempdir().unwrap();
        {
            let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            connection.execute_batch(schema::MIGRATIONS[0]).unwrap();
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

    #[test]
    fn a_version_5_database_gains_setups_standing_and_disputes_with_its_rows_kept() {
        let dir = tempfile::tempdir().unwrap();
        {
            let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            for step in &schema::MIGRATIONS[..5] {
                connection.execute_batch(step).unwrap();
            }
            connection.execute_batch("PRAGMA user_version = 5;").unwrap();
            connection
                .execute(
                    "INSERT INTO minutes (minute, monitored_s, good_s) VALUES (?1, 60.0, 60.0)",
                    [at(0).timestamp()],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO warnings (at, problems, severity, snoozed) VALUES (?1, 'head_down', 'mild', 0)",
                    [at(30).timestamp_millis()],
                )
                .unwrap();
        }
        let (store, notice) = HistoryStore::open(dir.path()).unwrap();
        assert!(notice.is_none());
        let old = &store.minutes(at(0), at(60)).unwrap()[0];
        // What was recorded before setups: sitting (no standing seconds), in no named setup.
        assert_eq!((old.monitored_s, old.standing_s, old.setup.as_deref()), (60.0, 0.0, None));
        assert!(store.range(at(0), at(60)).unwrap().disputed_warnings.is_empty());
        // An old warning can still be answered; new minutes keep their setup and standing time.
        assert!(store.dispute_warning(at(31)).unwrap());
        assert_eq!(store.range(at(0), at(60)).unwrap().disputed_warnings, vec![at(30)]);
        let standing = MinuteRow {
            minute: at(60),
            monitored_s: 60.0,
            standing_s: 45.0,
            setup: Some("Standing".into()),
            ..MinuteRow::default()
        };
        store.add_minute(&standing).unwrap();
        store
            .add_minute(&MinuteRow { minute: at(60), monitored_s: 0.0, away_s: 10.0, ..MinuteRow::default() })
            .unwrap();
        let read = &store.minutes(at(60), at(120)).unwrap()[0];
        assert_eq!((read.standing_s, read.setup.as_deref()), (45.0, Some("Standing")), "merged, the setup kept");
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
