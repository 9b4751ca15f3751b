//! Reads: every query goes through [`HistoryStore::rows`], which prepares (cached), binds a
//! time range and maps each row, so the error handling is written once.

use chrono::{DateTime, Utc};
use rusqlite::{Params, Row, params};

use super::store::{millis, minute_columns, minute_from_row};
use super::{AnswerRow, EpisodeRow, HistoryStore, HistoryTable, MinuteRow, RangeRows, StoreError};
use crate::coach::Answer;
use crate::posture::Problem;

fn time(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

fn answer(text: &str) -> Answer {
    if text == "not_now" { Answer::NotNow } else { Answer::Done }
}

/// Problems from their stored comma-separated snake_case names (unknown names are skipped: a
/// newer slouchwatch may know more problems).
pub(super) fn parse_problems(text: &str) -> Vec<Problem> {
    text.split(',').filter_map(|name| Problem::ALL.into_iter().find(|problem| problem.key() == name)).collect()
}

/// The minutes of a time range, in order.
static SELECT_MINUTES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("SELECT {} FROM minutes WHERE minute >= ?1 AND minute < ?2 ORDER BY minute", minute_columns().join(", "))
});

impl HistoryStore {
    /// Runs `sql` with `params` and maps every row.
    fn rows<T>(
        &self,
        sql: &str,
        params: impl Params,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut statement = self.connection.prepare_cached(sql).map_err(|error| self.sqlite_error(error))?;
        let rows = statement.query_map(params, map).map_err(|error| self.sqlite_error(error))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|error| self.sqlite_error(error))
    }

    /// Answers given since `since`, oldest first.
    pub fn answers_since(&self, since: DateTime<Utc>) -> Result<Vec<(String, Answer)>, StoreError> {
        self.rows("SELECT name, answer FROM stretches WHERE at >= ?1 ORDER BY at", params![millis(since)], |row| {
            Ok((row.get(0)?, answer(&row.get::<_, String>(1)?)))
        })
    }

    /// The minute rows from `from` (inclusive) to `to` (exclusive), in order.
    pub fn minutes(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<MinuteRow>, StoreError> {
        self.rows(&SELECT_MINUTES, params![from.timestamp(), to.timestamp()], minute_from_row)
    }

    /// Counts rows of one table (`episodes`, `warnings`, `breaks`, `stretches`) in [from, to).
    pub fn count(&self, table: HistoryTable, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<i64, StoreError> {
        let (name, column) = table.name_and_time_column();
        let sql = format!("SELECT COUNT(*) FROM {name} WHERE {column} >= ?1 AND {column} < ?2");
        let counts = self.rows(&sql, params![millis(from), millis(to)], |row| row.get(0))?;
        Ok(counts.first().copied().unwrap_or(0))
    }

    /// The episodes that started in [from, to), in order.
    pub fn episodes(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<EpisodeRow>, StoreError> {
        self.rows(
            "SELECT start, end, problems, peak_severity, warned FROM episodes
             WHERE start >= ?1 AND start < ?2 ORDER BY start",
            params![millis(from), millis(to)],
            |row| {
                Ok(EpisodeRow {
                    start: time(row.get(0)?),
                    end: time(row.get(1)?),
                    problems: parse_problems(&row.get::<_, String>(2)?),
                    peak_severity: row.get(3)?,
                    warned: row.get(4)?,
                })
            },
        )
    }

    /// Everything stored for [from, to): minutes, and the events that started in the range.
    pub fn range(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<RangeRows, StoreError> {
        let range = params![millis(from), millis(to)];
        let times = |sql: &str| self.rows(sql, range, |row| Ok(time(row.get(0)?)));
        Ok(RangeRows {
            warnings: times("SELECT at FROM warnings WHERE at >= ?1 AND at < ?2 AND snoozed = 0 ORDER BY at")?,
            snoozed_warnings: times("SELECT at FROM warnings WHERE at >= ?1 AND at < ?2 AND snoozed != 0 ORDER BY at")?,
            held_back_warnings: times(
                "SELECT at FROM warnings WHERE at >= ?1 AND at < ?2 AND snoozed = 0 AND held_back != 0 ORDER BY at",
            )?,
            disputed_warnings: times(
                "SELECT at FROM warnings WHERE at >= ?1 AND at < ?2 AND snoozed = 0 AND disputed != 0 ORDER BY at",
            )?,
            reminders: times("SELECT at FROM reminders WHERE at >= ?1 AND at < ?2 ORDER BY at")?,
            breaks: self.rows(
                "SELECT start, end FROM breaks WHERE start >= ?1 AND start < ?2 ORDER BY start",
                range,
                |row| Ok((time(row.get(0)?), time(row.get(1)?))),
            )?,
            answers: self.rows(
                "SELECT at, name, answer FROM stretches WHERE at >= ?1 AND at < ?2 ORDER BY at",
                range,
                |row| {
                    Ok(AnswerRow {
                        at: time(row.get(0)?),
                        entry_id: row.get(1)?,
                        answer: answer(&row.get::<_, String>(2)?),
                    })
                },
            )?,
            minutes: self.minutes(from, to)?,
            episodes: self.episodes(from, to)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_problem_names_read_back_and_unknown_ones_are_skipped() {
        let written = super::super::store::problem_list(&[Problem::HeadDown, Problem::TooClose]);
        assert_eq!(parse_problems(&written), [Problem::HeadDown, Problem::TooClose]);
        assert_eq!(parse_problems("forward_head,slumped_from_the_future"), [Problem::ForwardHead]);
        assert!(parse_problems("").is_empty());
    }
}
