//! The report as CSV: one row per minute for a day, one row per day for a week or a month.

use chrono::{FixedOffset, SecondsFormat};
use serde::Serialize;

use super::day::MinuteState;
use super::period::DaySummary;
use super::{DailyReport, Report};

/// One minute of a day.
#[derive(Debug, Serialize)]
struct MinuteLine {
    minute_local: String,
    minute_utc: String,
    state: Option<MinuteState>,
    monitored_s: f64,
    upright_s: f64,
    slouched_s: f64,
    unclear_s: f64,
    away_s: f64,
    paused_s: f64,
    forward_head_s: f64,
    rounded_shoulders_s: f64,
    shoulders_raised_s: f64,
    leaning_s: f64,
    too_close_s: f64,
    mean_forward_head_deg: Option<f64>,
    mean_shoulder_rounding_deg: Option<f64>,
    /// Added after the others, so readers that go by column position keep working.
    head_down_s: f64,
    mean_head_change_deg: Option<f64>,
    mean_rounding_change_deg: Option<f64>,
    standing_s: f64,
    setup: Option<String>,
}

/// The header of the per-minute CSV.
pub const MINUTE_COLUMNS: [&str; 21] = [
    "minute_local",
    "minute_utc",
    "state",
    "monitored_s",
    "upright_s",
    "slouched_s",
    "unclear_s",
    "away_s",
    "paused_s",
    "forward_head_s",
    "rounded_shoulders_s",
    "shoulders_raised_s",
    "leaning_s",
    "too_close_s",
    "mean_forward_head_deg",
    "mean_shoulder_rounding_deg",
    "head_down_s",
    "mean_head_change_deg",
    "mean_rounding_change_deg",
    "standing_s",
    "setup",
];

/// The header of the per-day CSV.
pub const DAY_COLUMNS: [&str; 14] = [
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
    let lines = daily.minutes.iter().zip(&daily.utc_offset_s).map(|(row, offset)| {
        let zone = FixedOffset::east_opt(*offset).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
        let mean = |sum: f64, weight: f64| (weight > 0.0).then(|| sum / weight);
        MinuteLine {
            minute_local: row.minute.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false),
            minute_utc: row.minute.to_rfc3339_opts(SecondsFormat::Secs, true),
            state: MinuteState::of(row),
            monitored_s: row.monitored_s,
            upright_s: row.good_s,
            slouched_s: row.bad_s,
            unclear_s: row.unknown_s,
            away_s: row.away_s,
            paused_s: row.paused_s,
            forward_head_s: row.forward_head_s,
            rounded_shoulders_s: row.rounded_shoulders_s,
            shoulders_raised_s: row.shoulders_raised_s,
            leaning_s: row.leaning_s,
            too_close_s: row.too_close_s,
            head_down_s: row.head_down_s,
            mean_forward_head_deg: mean(row.forward_head_deg_sum, row.forward_head_weight_s),
            mean_shoulder_rounding_deg: mean(row.shoulder_rounding_deg_sum, row.shoulder_rounding_weight_s),
            mean_head_change_deg: mean(row.head_change_deg_sum, row.head_change_weight_s),
            mean_rounding_change_deg: mean(row.rounding_change_deg_sum, row.rounding_change_weight_s),
            standing_s: row.standing_s,
            setup: row.setup.clone(),
        }
    });
    write_rows(&MINUTE_COLUMNS, lines)
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
