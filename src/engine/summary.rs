//! Totals folded from minute rows: the run summary (the last line of `slouchwatch run`) and the
//! day's totals the window shows under "Today". Both add up the very [`MinuteRow`]s the history
//! stores (and the report reads), so the three cannot disagree about how long someone sat
//! upright: there is one rule for a second of posture, [`crate::history::minutes`]'s.

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::Serialize;

use crate::history::MinuteRow;

/// Totals of a run, printed at the end of a replay.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Frames read from the source.
    pub frames: u64,
    /// Frames the model ran on.
    pub analysed: u64,
    /// Frames skipped because nothing moved.
    pub held: u64,
    /// Frames that could not be read.
    pub unreadable: u64,
    /// Warnings shown.
    pub warnings: u64,
    /// Seconds at the desk and judged.
    pub monitored_s: f64,
    /// Seconds of good posture.
    pub good_s: f64,
    /// Seconds of bad posture.
    pub bad_s: f64,
    /// Seconds away.
    pub away_s: f64,
    /// First frame time.
    pub started: Option<DateTime<Utc>>,
    /// Last frame time.
    pub ended: Option<DateTime<Utc>>,
    /// The pause and snooze in force at the end, for the next engine (not printed).
    #[serde(skip)]
    pub carry: super::Carry,
}

impl Summary {
    /// Adds a completed minute's time.
    pub fn add_minute(&mut self, row: &MinuteRow) {
        self.monitored_s += row.monitored_s;
        self.good_s += row.good_s;
        self.bad_s += row.bad_s;
        self.away_s += row.away_s;
    }

    /// Notes a frame read at `time`.
    pub fn add_frame(&mut self, time: DateTime<Utc>) {
        self.frames += 1;
        self.started.get_or_insert(time);
        self.ended = Some(time);
    }
}

/// One local day's totals so far, as the window shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayTotals {
    /// The local day (`None` until the first minute).
    pub day: Option<NaiveDate>,
    /// Seconds judged at the desk.
    pub monitored_s: f64,
    /// Seconds upright.
    pub upright_s: f64,
    /// Seconds slouched.
    pub slouched_s: f64,
    /// Warnings shown.
    pub warnings: u32,
    /// Seconds the camera was given over to another program or held for a call.
    pub in_calls_s: f64,
}

impl DayTotals {
    /// Adds a minute's time; a minute of a later local day starts the totals afresh.
    pub fn add_minute(&mut self, row: &MinuteRow) {
        self.roll_to(local_day(row.minute));
        if self.day == Some(local_day(row.minute)) {
            self.monitored_s += row.monitored_s;
            self.upright_s += row.good_s;
            self.slouched_s += row.bad_s;
            self.in_calls_s += row.yielded_s;
        }
    }

    /// Counts a warning shown at `time`.
    pub fn add_warning(&mut self, time: DateTime<Utc>) {
        self.roll_to(local_day(time));
        if self.day == Some(local_day(time)) {
            self.warnings += 1;
        }
    }

    /// Seconds at the desk that were not judged (not calibrated, unclear, stale).
    pub fn not_judged_s(&self) -> f64 {
        (self.monitored_s - self.upright_s - self.slouched_s).max(0.0)
    }

    /// These totals with a minute still in progress added (for a live view).
    pub fn with_partial(&self, row: Option<&MinuteRow>) -> DayTotals {
        let mut totals = self.clone();
        if let Some(row) = row {
            totals.add_minute(row);
        }
        totals
    }

    fn roll_to(&mut self, day: NaiveDate) {
        if self.day.is_none_or(|current| current < day) {
            *self = DayTotals { day: Some(day), ..DayTotals::default() };
        }
    }
}

/// The local calendar day of a time (the report's days are local days too).
pub fn local_day(time: DateTime<Utc>) -> NaiveDate {
    time.with_timezone(&Local).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn row(minute: DateTime<Utc>, good: f64, bad: f64, unknown: f64, away: f64) -> MinuteRow {
        MinuteRow {
            minute,
            monitored_s: good + bad + unknown,
            good_s: good,
            bad_s: bad,
            unknown_s: unknown,
            away_s: away,
            ..MinuteRow::default()
        }
    }

    fn noon() -> DateTime<Utc> {
        let local = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap().and_hms_opt(12, 0, 0).unwrap();
        local.and_local_timezone(Local).single().unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_summary_and_the_day_add_the_same_rows() {
        let rows = [row(noon(), 40.0, 15.0, 5.0, 0.0), row(noon() + TimeDelta::minutes(1), 0.0, 0.0, 0.0, 60.0)];
        let mut summary = Summary::default();
        let mut day = DayTotals::default();
        for row in &rows {
            summary.add_minute(row);
            day.add_minute(row);
        }
        assert_eq!((summary.monitored_s, summary.good_s, summary.bad_s, summary.away_s), (60.0, 40.0, 15.0, 60.0));
        // Unknown time is monitored but never upright.
        assert_eq!((day.monitored_s, day.upright_s), (summary.monitored_s, summary.good_s));
        assert_eq!((day.slouched_s, day.not_judged_s()), (15.0, 5.0));
        assert_eq!(day.day, Some(local_day(noon())));
    }

    #[test]
    fn a_new_day_starts_afresh_and_an_old_minute_is_not_added() {
        let mut day = DayTotals::default();
        day.add_minute(&row(noon(), 60.0, 0.0, 0.0, 0.0));
        day.add_warning(noon());
        let tomorrow = noon() + TimeDelta::days(1);
        day.add_minute(&row(tomorrow, 10.0, 20.0, 0.0, 0.0));
        assert_eq!((day.monitored_s, day.upright_s, day.warnings), (30.0, 10.0, 0));
        day.add_minute(&row(noon(), 60.0, 0.0, 0.0, 0.0));
        assert_eq!(day.monitored_s, 30.0, "yesterday's minute is not today's");
    }

    #[test]
    fn a_partial_minute_shows_without_being_kept() {
        let mut day = DayTotals::default();
        day.add_minute(&row(noon(), 30.0, 0.0, 0.0, 0.0));
        let live = day.with_partial(Some(&row(noon() + TimeDelta::minutes(1), 5.0, 5.0, 0.0, 0.0)));
        assert_eq!((live.monitored_s, live.upright_s), (40.0, 35.0));
        assert_eq!(day.monitored_s, 30.0);
    }
}
