//! The daily slouch report, built from the history: one day's numbers, timeline and per-hour
//! breakdown, the last 7 and 30 days as trends with goal streaks, and the coach's end-of-day advice.
//!
//! - [`day`]: one local day's numbers (pure);
//! - [`period`]: days side by side, trends and streaks (pure);
//! - [`text`], [`csv`], [`html`]: the report as a terminal summary, a spreadsheet and a page;
//!   JSON is the serde form of [`Report`] (field names documented in the README).
//!
//! Days are local days: [`LocalDay`] turns a date in a time zone into the UTC instants of its two
//! midnights, so a session over midnight falls into two days, and days of a clock change last 23
//! or 25 hours. The only I/O is [`load`], which reads one range of the history.

pub mod csv;
pub mod day;
pub mod html;
pub mod period;
pub mod text;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use serde::Serialize;

use crate::coach::Catalog;
use crate::history::{HistoryStore, MinuteRow, RangeRows, StoreError};
pub use day::{DayReport, MinuteState};
pub use period::{DEFAULT_GOAL_UPRIGHT_PCT, Direction, PeriodReport};

/// Days in the short trend (and in `--week`).
pub const WEEK_DAYS: u32 = 7;
/// Days in the long trend (and in `--month`).
pub const MONTH_DAYS: u32 = 30;

/// A local calendar day as a half-open range of UTC instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalDay {
    /// The local date.
    pub date: NaiveDate,
    /// The local midnight that starts it.
    pub start: DateTime<Utc>,
    /// The local midnight that ends it.
    pub end: DateTime<Utc>,
}

/// The first instant of `date` in `tz`: its midnight, or where a clock change skips midnight, the
/// first local time that exists.
fn day_start<Tz: TimeZone>(tz: &Tz, date: NaiveDate) -> DateTime<Utc> {
    let mut local = date.and_time(NaiveTime::MIN);
    for _ in 0..(24 * 4) {
        if let Some(time) = tz.from_local_datetime(&local).earliest() {
            return time.with_timezone(&Utc);
        }
        local += TimeDelta::minutes(15);
    }
    // No zone skips a whole day of quarter hours; fall back to UTC midnight.
    date.and_time(NaiveTime::MIN).and_utc()
}

impl LocalDay {
    /// `date` in `tz`.
    pub fn new<Tz: TimeZone>(tz: &Tz, date: NaiveDate) -> LocalDay {
        let next = date.succ_opt().unwrap_or(date);
        LocalDay { date, start: day_start(tz, date), end: day_start(tz, next) }
    }

    /// Whether `time` falls in the day.
    pub fn contains(&self, time: DateTime<Utc>) -> bool {
        time >= self.start && time < self.end
    }

    /// The rows of this day out of rows sorted by minute.
    pub fn minutes_of<'a>(&self, rows: &'a [MinuteRow]) -> &'a [MinuteRow] {
        let first = rows.partition_point(|row| row.minute < self.start);
        let last = rows.partition_point(|row| row.minute < self.end);
        &rows[first..last.max(first)]
    }
}

/// What to report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// One day, with the 7- and 30-day trends up to it.
    Day(NaiveDate),
    /// The seven days ending with this date.
    Week(NaiveDate),
    /// The thirty days ending with this date.
    Month(NaiveDate),
}

/// A day with its trends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyReport {
    /// The day.
    pub day: DayReport,
    /// The seven days ending with it.
    pub last_7_days: PeriodReport,
    /// The thirty days ending with it.
    pub last_30_days: PeriodReport,
    /// The raw minute rows of the day (for the per-minute CSV; not in the JSON).
    #[serde(skip)]
    pub minutes: Vec<MinuteRow>,
    /// The UTC offset of each minute's local time is taken from here (for the CSV).
    #[serde(skip)]
    pub utc_offset_s: Vec<i32>,
}

/// A report, tagged by what it covers (`"report": "day" | "week" | "month"` in the JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum Report {
    /// One day.
    Day(Box<DailyReport>),
    /// Seven days.
    Week(PeriodReport),
    /// Thirty days.
    Month(PeriodReport),
}

/// How to write a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A compact summary for the terminal.
    Text,
    /// Every number, with stable field names.
    Json,
    /// One row per minute (a day) or per day (a week or month).
    Csv,
    /// A single self-contained page with charts, for a browser or a printer.
    Html,
}

impl Report {
    /// Writes the report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::render(self),
            Format::Json => serde_json::to_string_pretty(self).unwrap_or_default() + "\n",
            Format::Csv => csv::render(self),
            Format::Html => html::render(self),
        }
    }
}

/// The local days of `count` days ending with `last`.
fn days_ending<Tz: TimeZone>(tz: &Tz, last: NaiveDate, count: u32) -> Vec<LocalDay> {
    (0..count as u64)
        .rev()
        .filter_map(|back| last.checked_sub_days(chrono::Days::new(back)))
        .map(|date| LocalDay::new(tz, date))
        .collect()
}

/// The day reports of `count` days ending with `last`, from one read of the history, and the
/// rows of the last day.
fn load_days<Tz: TimeZone>(
    store: &HistoryStore,
    tz: &Tz,
    last: NaiveDate,
    count: u32,
    catalog: &Catalog,
) -> Result<(Vec<DayReport>, Vec<MinuteRow>), StoreError> {
    let days = days_ending(tz, last, count);
    let (Some(first), Some(final_day)) = (days.first(), days.last()) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let rows = store.range(first.start, final_day.end)?;
    let reports = days.iter().map(|day| DayReport::build(tz, day, &rows, catalog)).collect();
    Ok((reports, final_day.minutes_of(&rows.minutes).to_vec()))
}

/// The report of one local `date` with the 7- and 30-day trends up to it, against a goal of
/// `goal_pct` percent upright. `today` is the current local date (for streaks).
pub fn load_day<Tz: TimeZone>(
    store: &HistoryStore,
    tz: &Tz,
    date: NaiveDate,
    goal_pct: f64,
    today: NaiveDate,
    catalog: &Catalog,
) -> Result<Box<DailyReport>, StoreError> {
    let (reports, minutes) = load_days(store, tz, date, MONTH_DAYS, catalog)?;
    let week_start = reports.len().saturating_sub(WEEK_DAYS as usize);
    let utc_offset_s = minutes
        .iter()
        .map(|row| (row.minute.with_timezone(tz).naive_local() - row.minute.naive_utc()).num_seconds() as i32)
        .collect();
    let day = match reports.last() {
        Some(day) => day.clone(),
        None => DayReport::build(tz, &LocalDay::new(tz, date), &RangeRows::default(), catalog),
    };
    Ok(Box::new(DailyReport {
        last_7_days: PeriodReport::build(&reports[week_start..], goal_pct, today),
        last_30_days: PeriodReport::build(&reports, goal_pct, today),
        day,
        minutes,
        utc_offset_s,
    }))
}

/// A report of `period` from the history, days in `tz`, against a goal of `goal_pct` percent
/// upright. `today` is the current local date (for streaks).
pub fn load<Tz: TimeZone>(
    store: &HistoryStore,
    tz: &Tz,
    period: Period,
    goal_pct: f64,
    today: NaiveDate,
    catalog: &Catalog,
) -> Result<Report, StoreError> {
    Ok(match period {
        Period::Day(date) => Report::Day(load_day(store, tz, date, goal_pct, today, catalog)?),
        Period::Week(date) => {
            let (reports, _) = load_days(store, tz, date, WEEK_DAYS, catalog)?;
            Report::Week(PeriodReport::build(&reports, goal_pct, today))
        }
        Period::Month(date) => {
            let (reports, _) = load_days(store, tz, date, MONTH_DAYS, catalog)?;
            Report::Month(PeriodReport::build(&reports, goal_pct, today))
        }
    })
}

/// `seconds` as a short duration: `4 h 05 min`, `12 min`, `0 min` (rounded to the minute).
pub fn duration_words(seconds: f64) -> String {
    let minutes = (seconds / 60.0).round() as i64;
    if minutes == 0 && seconds > 0.0 {
        return "under 1 min".into();
    }
    if minutes >= 60 { format!("{} h {:02} min", minutes / 60, minutes % 60) } else { format!("{minutes} min") }
}

/// A count with its noun in the right number: `1 day`, `0 days`, `3 episodes`. The one rule for
/// every count the reports, the window and the command line print with a noun.
///
/// ```
/// use slouchwatch::report::count_words;
/// assert_eq!(count_words(1u32, "break", "breaks"), "1 break");
/// assert_eq!(count_words(0u32, "break", "breaks"), "0 breaks");
/// ```
pub fn count_words(count: impl Into<u64>, singular: &str, plural: &str) -> String {
    let count = count.into();
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// A 0-1 share as a whole percentage, or a dash.
pub fn percent(share: Option<f64>) -> String {
    share.map(|share| format!("{:.0}%", share * 100.0)).unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn local_days_start_at_local_midnight() {
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let day = LocalDay::new(&tokyo, date);
        assert_eq!(day.start.to_rfc3339(), "2026-11-19T15:00:00+00:00");
        assert_eq!(day.end - day.start, TimeDelta::hours(24));
        assert!(day.contains(day.start) && !day.contains(day.end));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(0.0), "0 min");
        assert_eq!(duration_words(12.0 * 60.0 + 20.0), "12 min");
        assert_eq!(duration_words(4.0 * 3600.0 + 5.0 * 60.0), "4 h 05 min");
        assert_eq!(percent(Some(0.784)), "78%");
        assert_eq!(percent(None), "-");
    }

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(count_words(1u32, "day", "days"), "1 day");
        assert_eq!(count_words(0u32, "day", "days"), "0 days");
        assert_eq!(count_words(2u32, "day", "days"), "2 days");
        assert_eq!(count_words(11u64, "slouch episode", "slouch episodes"), "11 slouch episodes");
        assert_eq!(count_words(1u8, "stretch", "stretches"), "1 stretch");
    }
}
