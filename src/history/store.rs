//! Writes: one method per kind of row. Every write is one statement (SQLite makes each atomic);
//! a failure is a [`StoreError`] for the caller to keep the row and try again later.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{HistoryStore, MinuteRow, StoreError};
use crate::alerts::Severity;
use crate::coach::Answer;
use crate::posture::Problem;

pub(super) fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// Comma-separated snake_case problem names.
pub(super) fn problem_list(problems: &[Problem]) -> String {
    problems.iter().map(|problem| problem.key()).collect::<Vec<_>>().join(",")
}

/// A minute's columns before its problems' seconds.
const MINUTE_HEAD: [&str; 7] = ["minute", "monitored_s", "good_s", "bad_s", "unknown_s", "away_s", "paused_s"];
/// A minute's columns after its problems' seconds (`setup` last: it is not summed).
const MINUTE_TAIL: [&str; 13] = [
    "forward_head_deg_sum",
    "forward_head_weight_s",
    "shoulder_rounding_deg_sum",
    "shoulder_rounding_weight_s",
    "head_change_deg_sum",
    "head_change_weight_s",
    "rounding_change_deg_sum",
    "rounding_change_weight_s",
    "standing_s",
    "yielded_s",
    "slump_change_pct_sum",
    "slump_change_weight_s",
    "setup",
];

/// Every stored column of a minute, in the order [`minute_values`] gives and
/// [`minute_from_row`] reads them: the time by state, each problem's `{problem}_s` (one column
/// per [`Problem`]), the sums, the setup.
pub(super) fn minute_columns() -> Vec<String> {
    let problems = Problem::ALL.map(Problem::seconds_key);
    MINUTE_HEAD.iter().map(|c| c.to_string()).chain(problems).chain(MINUTE_TAIL.iter().map(|c| c.to_string())).collect()
}

/// Adds a minute, summing into a row stored for the same minute.
static ADD_MINUTE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let columns = minute_columns();
    let places: Vec<String> = (1..=columns.len()).map(|n| format!("?{n}")).collect();
    let sums: Vec<String> = columns[1..columns.len() - 1].iter().map(|c| format!("{c} = {c} + excluded.{c}")).collect();
    format!(
        "INSERT INTO minutes ({}) VALUES ({}) ON CONFLICT(minute) DO UPDATE SET {}, setup = COALESCE(excluded.setup, setup)",
        columns.join(", "),
        places.join(", "),
        sums.join(", ")
    )
});

/// A minute's values in [`minute_columns`]'s order.
fn minute_values(row: &MinuteRow) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    let head = [row.monitored_s, row.good_s, row.bad_s, row.unknown_s, row.away_s, row.paused_s];
    let tail = [
        row.forward_head_deg_sum,
        row.forward_head_weight_s,
        row.shoulder_rounding_deg_sum,
        row.shoulder_rounding_weight_s,
        row.head_change_deg_sum,
        row.head_change_weight_s,
        row.rounding_change_deg_sum,
        row.rounding_change_weight_s,
        row.standing_s,
        row.yielded_s,
        row.slump_change_pct_sum,
        row.slump_change_weight_s,
    ];
    std::iter::once(Value::Integer(row.minute.timestamp()))
        .chain(head.into_iter().map(Value::Real))
        .chain(row.problem_s.iter().map(|(_, seconds)| Value::Real(seconds)))
        .chain(tail.into_iter().map(Value::Real))
        .chain(std::iter::once(row.setup.clone().map_or(Value::Null, Value::Text)))
        .collect()
}

/// A minute read back in [`minute_columns`]'s order.
pub(super) fn minute_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MinuteRow> {
    let mut minute = MinuteRow {
        minute: DateTime::from_timestamp(row.get(0)?, 0).unwrap_or_default(),
        monitored_s: row.get(1)?,
        good_s: row.get(2)?,
        bad_s: row.get(3)?,
        unknown_s: row.get(4)?,
        away_s: row.get(5)?,
        paused_s: row.get(6)?,
        ..MinuteRow::default()
    };
    for (offset, problem) in Problem::ALL.into_iter().enumerate() {
        minute.problem_s[problem] = row.get(MINUTE_HEAD.len() + offset)?;
    }
    let tail = MINUTE_HEAD.len() + Problem::COUNT;
    minute.forward_head_deg_sum = row.get(tail)?;
    minute.forward_head_weight_s = row.get(tail + 1)?;
    minute.shoulder_rounding_deg_sum = row.get(tail + 2)?;
    minute.shoulder_rounding_weight_s = row.get(tail + 3)?;
    minute.head_change_deg_sum = row.get(tail + 4)?;
    minute.head_change_weight_s = row.get(tail + 5)?;
    minute.rounding_change_deg_sum = row.get(tail + 6)?;
    minute.rounding_change_weight_s = row.get(tail + 7)?;
    minute.standing_s = row.get(tail + 8)?;
    minute.yielded_s = row.get(tail + 9)?;
    minute.slump_change_pct_sum = row.get(tail + 10)?;
    minute.slump_change_weight_s = row.get(tail + 11)?;
    minute.setup = row.get(tail + 12)?;
    Ok(minute)
}

pub(super) fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Mild => "mild",
        Severity::Moderate => "moderate",
        Severity::Strong => "strong",
    }
}

impl HistoryStore {
    /// Adds a minute's aggregates (merging with any row already stored for that minute, e.g.
    /// from an earlier run in the same minute).
    pub fn add_minute(&self, row: &MinuteRow) -> Result<(), StoreError> {
        self.connection
            .execute(&ADD_MINUTE, rusqlite::params_from_iter(minute_values(row)))
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

    /// Marks the warning given at `at` as held back (due while the desktop asked for quiet: not
    /// shown then).
    pub fn hold_back_warning(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.connection
            .execute("UPDATE warnings SET held_back = 1 WHERE snoozed = 0 AND at = ?1", params![millis(at)])
            .map(|_| ())
            .map_err(|error| self.sqlite_error(error))
    }

    /// Marks the latest warning shown at or before `at` as disputed ("I'm sitting fine"); returns
    /// whether there was one to mark.
    pub fn dispute_warning(&self, at: DateTime<Utc>) -> Result<bool, StoreError> {
        self.connection
            .execute(
                "UPDATE warnings SET disputed = 1 WHERE id =
                    (SELECT id FROM warnings WHERE snoozed = 0 AND at <= ?1 ORDER BY at DESC, id DESC LIMIT 1)",
                params![millis(at)],
            )
            .map(|changed| changed > 0)
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

    /// Makes every write fail (on) or work again (off), as a full disk would: for tests of the
    /// callers' recovery.
    #[cfg(test)]
    pub(crate) fn set_read_only_for_tests(&self, on: bool) {
        self.connection.pragma_update(None, "query_only", on).expect("query_only pragma");
    }
}
