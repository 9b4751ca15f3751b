//! Per-minute aggregation of monitored time: pure bookkeeping that turns "this state held from t0
//! to t1" into one row per clock minute, split exactly at minute boundaries.

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::posture::calibration::Calibration;
use crate::posture::setups::SetupTag;
use crate::posture::verdict::change_from_upright;
use crate::posture::{Metrics, Posture, Problem, ProblemSeconds};

/// Longest interval one analysed frame may account for. A longer gap (the camera stalled, the
/// machine slept) is not counted as monitored time.
pub const MAX_FRAME_SPAN_S: f64 = 5.0;

/// What the user was doing over an interval, as far as history cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// At the desk and judged.
    Judged {
        /// Good, bad or unknown.
        posture: Posture,
        /// Problems when bad.
        problems: Vec<Problem>,
        /// The measures (for per-minute means).
        metrics: Metrics,
        /// The measures as changes from the calibrated upright posture.
        from_upright: FromUpright,
        /// The setup judged in (`None`: a lone calibration, or none).
        setup: Option<SetupTag>,
    },
    /// Nobody in view.
    Away,
    /// Monitoring paused.
    Paused,
    /// The camera given over to another program (a video call): paused, counted apart.
    Yielded,
}

/// The measures the report averages, as changes from the calibrated upright posture (the scale
/// the live bars and the verdict's limits are on); none when there is no calibration.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FromUpright {
    /// Head forward, degrees more than when calibrated.
    pub forward_head_deg: Option<f32>,
    /// Shoulders rounded, degrees more than when calibrated.
    pub shoulder_rounding_deg: Option<f32>,
    /// The chin's gap to the shoulders, percent shorter than when calibrated (slumped low).
    pub chin_gap_shortening_pct: Option<f32>,
}

impl FromUpright {
    /// `metrics` against `calibration`.
    pub fn of(metrics: &Metrics, calibration: Option<&Calibration>) -> FromUpright {
        FromUpright {
            forward_head_deg: change_from_upright(metrics, calibration, |m| m.forward_head_deg),
            shoulder_rounding_deg: change_from_upright(metrics, calibration, |m| m.shoulder_rounding_deg),
            chin_gap_shortening_pct: change_from_upright(metrics, calibration, |m| m.chin_gap_shortening_pct),
        }
    }
}

/// One minute of history. All durations in seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MinuteRow {
    /// Start of the minute (UTC, whole minute).
    pub minute: DateTime<Utc>,
    /// Seconds at the desk being judged (good + bad + unknown).
    pub monitored_s: f64,
    /// Seconds of good posture.
    pub good_s: f64,
    /// Seconds of bad posture.
    pub bad_s: f64,
    /// Seconds at the desk that could not be judged.
    pub unknown_s: f64,
    /// Seconds away from the desk.
    pub away_s: f64,
    /// Seconds paused.
    pub paused_s: f64,
    /// Seconds the camera was given over to another program or held for a call (paused time,
    /// counted apart from `paused_s`).
    #[serde(default)]
    pub yielded_s: f64,
    /// Seconds slouched by problem (the `{problem}_s` columns).
    #[serde(flatten)]
    pub problem_s: ProblemSeconds,
    /// Time-weighted sum of forward-head degrees (divide by `forward_head_weight_s` for the mean).
    pub forward_head_deg_sum: f64,
    /// Seconds over which `forward_head_deg_sum` was accumulated.
    pub forward_head_weight_s: f64,
    /// Time-weighted sum of shoulder-rounding degrees.
    pub shoulder_rounding_deg_sum: f64,
    /// Seconds over which `shoulder_rounding_deg_sum` was accumulated.
    pub shoulder_rounding_weight_s: f64,
    /// Time-weighted sum of the head's forward change from upright, degrees.
    #[serde(default)]
    pub head_change_deg_sum: f64,
    /// Seconds over which `head_change_deg_sum` was accumulated.
    #[serde(default)]
    pub head_change_weight_s: f64,
    /// Time-weighted sum of the shoulders' rounding change from upright, degrees.
    #[serde(default)]
    pub rounding_change_deg_sum: f64,
    /// Seconds over which `rounding_change_deg_sum` was accumulated.
    #[serde(default)]
    pub rounding_change_weight_s: f64,
    /// Seconds of `monitored_s` judged in a standing setup (the rest is sitting).
    #[serde(default)]
    pub standing_s: f64,
    /// The setup the minute was last measured in (`None`: a lone calibration, or none).
    #[serde(default)]
    pub setup: Option<String>,
    /// Time-weighted sum of the chin gap's shortening from upright, percent (slumped low).
    #[serde(default)]
    pub slump_change_pct_sum: f64,
    /// Seconds over which `slump_change_pct_sum` was accumulated.
    #[serde(default)]
    pub slump_change_weight_s: f64,
}

impl MinuteRow {
    fn empty(minute: DateTime<Utc>) -> MinuteRow {
        MinuteRow { minute, ..MinuteRow::default() }
    }

    fn add(&mut self, seconds: f64, activity: &Activity) {
        match activity {
            Activity::Away => self.away_s += seconds,
            Activity::Paused => self.paused_s += seconds,
            Activity::Yielded => self.yielded_s += seconds,
            Activity::Judged { posture, problems, metrics, from_upright, setup } => {
                self.monitored_s += seconds;
                if let Some(setup) = setup {
                    if setup.standing {
                        self.standing_s += seconds;
                    }
                    if self.setup.as_deref() != Some(setup.name.as_str()) {
                        self.setup = Some(setup.name.clone());
                    }
                }
                match posture {
                    Posture::Good => self.good_s += seconds,
                    Posture::Bad => self.bad_s += seconds,
                    Posture::Unknown => self.unknown_s += seconds,
                }
                for problem in problems {
                    self.problem_s[*problem] += seconds;
                }
                if let Some(value) = metrics.forward_head_deg {
                    self.forward_head_deg_sum += value as f64 * seconds;
                    self.forward_head_weight_s += seconds;
                }
                if let Some(value) = metrics.shoulder_rounding_deg {
                    self.shoulder_rounding_deg_sum += value as f64 * seconds;
                    self.shoulder_rounding_weight_s += seconds;
                }
                if let Some(value) = from_upright.forward_head_deg {
                    self.head_change_deg_sum += value as f64 * seconds;
                    self.head_change_weight_s += seconds;
                }
                if let Some(value) = from_upright.shoulder_rounding_deg {
                    self.rounding_change_deg_sum += value as f64 * seconds;
                    self.rounding_change_weight_s += seconds;
                }
                if let Some(value) = from_upright.chin_gap_shortening_pct {
                    self.slump_change_pct_sum += value as f64 * seconds;
                    self.slump_change_weight_s += seconds;
                }
            }
        }
    }

    /// Merges another row of the same minute into this one.
    pub fn merge(&mut self, other: &MinuteRow) {
        self.monitored_s += other.monitored_s;
        self.good_s += other.good_s;
        self.bad_s += other.bad_s;
        self.unknown_s += other.unknown_s;
        self.away_s += other.away_s;
        self.paused_s += other.paused_s;
        self.yielded_s += other.yielded_s;
        self.problem_s.add(&other.problem_s);
        self.forward_head_deg_sum += other.forward_head_deg_sum;
        self.forward_head_weight_s += other.forward_head_weight_s;
        self.shoulder_rounding_deg_sum += other.shoulder_rounding_deg_sum;
        self.shoulder_rounding_weight_s += other.shoulder_rounding_weight_s;
        self.head_change_deg_sum += other.head_change_deg_sum;
        self.head_change_weight_s += other.head_change_weight_s;
        self.rounding_change_deg_sum += other.rounding_change_deg_sum;
        self.rounding_change_weight_s += other.rounding_change_weight_s;
        self.standing_s += other.standing_s;
        self.slump_change_pct_sum += other.slump_change_pct_sum;
        self.slump_change_weight_s += other.slump_change_weight_s;
        if other.setup.is_some() {
            self.setup.clone_from(&other.setup);
        }
    }
}

fn minute_start(time: DateTime<Utc>) -> DateTime<Utc> {
    time.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(time)
}

/// Accumulates intervals into minute rows; hands back each minute once it is complete.
#[derive(Debug, Clone, Default)]
pub struct MinuteAccumulator {
    current: Option<MinuteRow>,
}

impl MinuteAccumulator {
    /// An empty accumulator.
    pub fn new() -> MinuteAccumulator {
        MinuteAccumulator::default()
    }

    /// Records that `activity` held from `from` to `to` (capped at [`MAX_FRAME_SPAN_S`]); returns
    /// the minutes this completed.
    pub fn record(&mut self, from: DateTime<Utc>, to: DateTime<Utc>, activity: &Activity) -> Vec<MinuteRow> {
        let mut done = Vec::new();
        let cap = TimeDelta::microseconds((MAX_FRAME_SPAN_S * 1e6) as i64);
        let to = to.min(from + cap);
        let mut start = from;
        while start < to {
            let minute = minute_start(start);
            let end = to.min(minute + TimeDelta::minutes(1));
            if self.current.as_ref().is_some_and(|row| row.minute != minute) {
                done.extend(self.current.take());
            }
            let row = self.current.get_or_insert_with(|| MinuteRow::empty(minute));
            row.add((end - start).as_seconds_f64(), activity);
            start = end;
        }
        done
    }

    /// The minute in progress, not yet handed back (for live totals).
    pub fn current(&self) -> Option<&MinuteRow> {
        self.current.as_ref()
    }

    /// Hands back the minute in progress (at shutdown).
    pub fn flush(&mut self) -> Option<MinuteRow> {
        self.current.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: f64) -> DateTime<Utc> {
        // A whole minute (1_800_000_000 is a multiple of 60) plus seconds.
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::microseconds((seconds * 1e6) as i64)
    }

    fn judged(posture: Posture, problems: Vec<Problem>, forward: f32) -> Activity {
        Activity::Judged {
            posture,
            problems,
            metrics: Metrics { forward_head_deg: Some(forward), ..Metrics::default() },
            from_upright: FromUpright { forward_head_deg: Some(forward - 5.0), ..FromUpright::default() },
            setup: None,
        }
    }

    #[test]
    fn intervals_split_exactly_at_minute_boundaries() {
        let mut minutes = MinuteAccumulator::new();
        let good = judged(Posture::Good, vec![], 10.0);
        let bad = judged(Posture::Bad, vec![Problem::ForwardHead, Problem::TooClose], 30.0);
        let mut done = Vec::new();
        let mut t = 0.0;
        while t < 58.0 {
            done.extend(minutes.record(at(t), at(t + 0.5), &good));
            t += 0.5;
        }
        // 58.0 .. 63.0 bad, straddling the minute.
        done.extend(minutes.record(at(58.0), at(63.0), &bad));
        done.extend(minutes.record(at(63.0), at(64.0), &Activity::Away));
        assert_eq!(done.len(), 1);
        let first = &done[0];
        assert_eq!(first.minute, at(0.0));
        assert!((first.good_s - 58.0).abs() < 1e-9 && (first.bad_s - 2.0).abs() < 1e-9, "{first:?}");
        assert!((first.monitored_s - 60.0).abs() < 1e-9);
        assert!(
            (first.problem_s[Problem::ForwardHead] - 2.0).abs() < 1e-9
                && (first.problem_s[Problem::TooClose] - 2.0).abs() < 1e-9
        );
        let mean = first.forward_head_deg_sum / first.forward_head_weight_s;
        assert!((mean - (58.0 * 10.0 + 2.0 * 30.0) / 60.0).abs() < 1e-6);
        let second = minutes.flush().unwrap();
        assert_eq!(second.minute, at(60.0));
        assert!((second.bad_s - 3.0).abs() < 1e-9 && (second.away_s - 1.0).abs() < 1e-9, "{second:?}");
        assert!(minutes.flush().is_none());
    }

    #[test]
    fn long_gaps_are_not_counted() {
        let mut minutes = MinuteAccumulator::new();
        minutes.record(at(0.0), at(40.0), &judged(Posture::Good, vec![], 10.0));
        let row = minutes.flush().unwrap();
        assert!((row.monitored_s - MAX_FRAME_SPAN_S).abs() < 1e-9);
    }

    #[test]
    fn merging_adds_every_field() {
        let mut a = MinuteRow { good_s: 1.0, forward_head_deg_sum: 10.0, ..MinuteRow::default() };
        let b = MinuteRow { good_s: 2.0, paused_s: 3.0, forward_head_deg_sum: 5.0, ..MinuteRow::default() };
        a.merge(&b);
        assert_eq!((a.good_s, a.paused_s, a.forward_head_deg_sum), (3.0, 3.0, 15.0));
    }
}
