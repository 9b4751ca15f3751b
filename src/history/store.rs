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
    problems
        .iter()
        .map(|problem| {
            serde_json::to_value(problem).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(",")
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
            .execute(
                "INSERT INTO minutes (minute, monitored_s, good_s, bad_s, unknown_s, away_s, paused_s,
                    forward_head_s, rounded_shoulders_s, shoulders_raised_s, leaning_s, too_close_s,
                    forward_head_deg_sum, forward_head_weight_s, shoulder_rounding_deg_sum, shoulder_rounding_weight_s,
                    head_down_s, head_change_deg_sum, head_change_weight_s, rounding_change_deg_sum,
                    rounding_change_weight_s, standing_s, setup)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                    ?20, ?21, ?22, ?23)
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
                    head_down_s = head_down_s + excluded.head_down_s,
                    head_change_deg_sum = head_change_deg_sum + excluded.head_change_deg_sum,
                    head_change_weight_s = head_change_weight_s + excluded.head_change_weight_s,
                    rounding_change_deg_sum = rounding_change_deg_sum + excluded.rounding_change_deg_sum,
                    rounding_change_weight_s = rounding_change_weight_s + excluded.rounding_change_weight_s,
                    standing_s = standing_s + excluded.standing_s,
                    setup = COALESCE(excluded.setup, setup)",
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
                    row.head_change_deg_sum,
                    row.head_change_weight_s,
                    row.rounding_change_deg_sum,
                    row.rounding_change_weight_s,
                    row.standing_s,
                    row.setup,
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
