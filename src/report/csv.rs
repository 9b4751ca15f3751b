//! The report as CSV: one row per minute for a day, one row per day for a week or a month.

use chrono::{FixedOffset, SecondsFormat};
use serde::Serialize;

use super::day::MinuteState;
use super::period::DaySummary;
use super::{DailyReport, Report};
use crate::history::MinuteRow;
use crate::posture::Problem;

/// The per-minute CSV's problem columns in the places they have had since the first version
/// (readers go by position), before the mean measures.
const FIRST_PROBLEMS: [Problem; 5] =
    [Problem::ForwardHead, Problem::RoundedShoulders, Problem::ShouldersRaised, Problem::Leaning, Problem::TooClose];
/// A problem added later, in the place its column was appended.
const HEAD_DOWN: Problem = Problem::HeadDown;
/// Problems added after `in_calls_s`, whose columns follow it (with the slumped mean after them).
const AFTER_IN_CALLS: [Problem; 1] = [Problem::Slumped];

/// One field of a CSV record.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Field {
    Text(Option<String>),
    Number(f64),
    Mean(Option<f64>),
    State(Option<MinuteState>),
}

/// The header of the per-minute CSV: the columns of the first version, then each added one
/// appended (a problem added later gets its `{problem}_s` at the end).
pub fn minute_columns() -> Vec<String> {
    let named = |names: &[&str]| names.iter().map(|name| name.to_string()).collect::<Vec<_>>();
    let mut columns = named(&[
        "minute_local",
        "minute_utc",
        "state",
        "monitored_s",
        "upright_s",
        "slouched_s",
        "unclear_s",
        "away_s",
        "paused_s",
    ]);
    columns.extend(FIRST_PROBLEMS.map(Problem::seconds_key));
    columns.extend(named(&["mean_forward_head_deg", "mean_shoulder_rounding_deg"]));
    columns.push(HEAD_DOWN.seconds_key());
    columns.extend(named(&["mean_head_change_deg", "mean_rounding_change_deg", "standing_s", "setup"]));
    columns.push("in_calls_s".to_owned());
    columns.extend(AFTER_IN_CALLS.map(Problem::seconds_key));
    columns.push("mean_slump_change_pct".to_owned());
    columns.extend(unlisted_problems().map(Problem::seconds_key));
    columns
}

/// Problems no list above places (none yet): a problem added without a place of its own gets its
/// column at the very end, so no existing column moves.
fn unlisted_problems() -> impl Iterator<Item = Problem> {
    Problem::ALL.into_iter().filter(|problem| {
        !FIRST_PROBLEMS.contains(problem) && *problem != HEAD_DOWN && !AFTER_IN_CALLS.contains(problem)
    })
}

/// One minute as a record in [`minute_columns`]'s order.
fn minute_record(row: &MinuteRow, zone: FixedOffset) -> Vec<Field> {
    let mean = |sum: f64, weight: f64| Field::Mean((weight > 0.0).then(|| sum / weight));
    let mut record = vec![
        Field::Text(Some(row.minute.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false))),
        Field::Text(Some(row.minute.to_rfc3339_opts(SecondsFormat::Secs, true))),
        Field::State(MinuteState::of(row)),
        Field::Number(row.monitored_s),
        Field::Number(row.good_s),
        Field::Number(row.bad_s),
        Field::Number(row.unknown_s),
        Field::Number(row.away_s),
        Field::Number(row.paused_s),
    ];
    record.extend(FIRST_PROBLEMS.map(|problem| Field::Number(row.problem_s[problem])));
    record.push(mean(row.forward_head_deg_sum, row.forward_head_weight_s));
    record.push(mean(row.shoulder_rounding_deg_sum, row.shoulder_rounding_weight_s));
    record.push(Field::Number(row.problem_s[HEAD_DOWN]));
    record.push(mean(row.head_change_deg_sum, row.head_change_weight_s));
    record.push(mean(row.rounding_change_deg_sum, row.rounding_change_weight_s));
    record.push(Field::Number(row.standing_s));
    record.push(Field::Text(row.setup.clone()));
    record.push(Field::Number(row.yielded_s));
    record.extend(AFTER_IN_CALLS.map(|problem| Field::Number(row.problem_s[problem])));
    record.push(mean(row.slump_change_pct_sum, row.slump_change_weight_s));
    record.extend(unlisted_problems().map(|problem| Field::Number(row.problem_s[problem])));
    record
}

/// The header of the per-day CSV.
pub const DAY_COLUMNS: [&str; 15] = [
    "date",
    "monitored_s",
    "upright_s",
    "upright_share",
    "slouched_s",
    "episodes",
    "warnings",
    "breaks",
    "stretches_done",
    "counted",
    "met_goal",
    "warnings_disputed",
    "sitting_s",
    "standing_s",
    "in_calls_s",
];

fn write_rows<T: Serialize>(header: &[&str], rows: impl Iterator<Item = T>) -> String {
    let mut writer = ::csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    // Written explicitly so an empty report still has its header.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.serialize(row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn minutes(daily: &DailyReport) -> String {
    let records = daily.minutes.iter().zip(&daily.utc_offset_s).map(|(row, offset)| {
        let zone = FixedOffset::east_opt(*offset).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
        minute_record(row, zone)
    });
    let header = minute_columns();
    write_rows(&header.iter().map(String::as_str).collect::<Vec<_>>(), records)
}

fn days(days: &[DaySummary]) -> String {
    write_rows(&DAY_COLUMNS, days.iter())
}

/// The report as CSV.
pub fn render(report: &Report) -> String {
    match report {
        Report::Day(daily) => minutes(daily),
        Report::Week(period) | Report::Month(period) => days(&period.days),
    }
}
