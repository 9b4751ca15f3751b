//! Several days side by side: the share upright and the episodes of each day, the direction they
//! are moving in, and streaks of days that met the user's goal. Pure.

use chrono::NaiveDate;
use serde::Serialize;

use super::day::DayReport;

/// A day counts for trends and streaks only with at least this much monitored time (a day the
/// app ran for five minutes says little). Days under it neither extend nor break a streak.
pub const MIN_COUNTED_DAY_S: f64 = 30.0 * 60.0;
/// Trends need at least this many counted days.
pub const MIN_TREND_DAYS: usize = 3;
/// A change in the share upright smaller than this (percentage points a day) is steady.
pub const STEADY_UPRIGHT_POINTS_PER_DAY: f64 = 0.5;
/// A change in episodes smaller than this (episodes a day, per day) is steady.
pub const STEADY_EPISODES_PER_DAY: f64 = 0.2;
/// The default goal: share of monitored time upright, percent.
pub const DEFAULT_GOAL_UPRIGHT_PCT: f64 = 75.0;

/// One day in a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DaySummary {
    /// The local date.
    pub date: NaiveDate,
    /// Seconds monitored.
    pub monitored_s: f64,
    /// Seconds upright.
    pub upright_s: f64,
    /// Upright share, 0-1 (`None` without monitored time).
    pub upright_share: Option<f64>,
    /// Seconds slouched.
    pub slouched_s: f64,
    /// Slouch episodes.
    pub episodes: u32,
    /// Warnings shown.
    pub warnings: u32,
    /// Breaks taken.
    pub breaks: u32,
    /// Suggested stretches done.
    pub stretches_done: u32,
    /// Whether the day counts for trends and streaks ([`MIN_COUNTED_DAY_S`]).
    pub counted: bool,
    /// Whether the upright share met the goal (`None` when the day does not count).
    pub met_goal: Option<bool>,
    /// Warnings answered "I'm sitting fine" (after the others: the CSV's columns keep their
    /// places).
    pub warnings_disputed: u32,
    /// Seconds sitting.
    pub sitting_s: f64,
    /// Seconds standing.
    pub standing_s: f64,
    /// Seconds the camera was given over to another program or held for a call.
    pub in_calls_s: f64,
}

impl DaySummary {
    /// The summary of a day's report against a goal (percent upright).
    pub fn of(day: &DayReport, goal_pct: f64) -> DaySummary {
        let counted = day.monitored_s >= MIN_COUNTED_DAY_S;
        DaySummary {
            date: day.date,
            monitored_s: day.monitored_s,
            upright_s: day.upright_s,
            upright_share: day.upright_share,
            slouched_s: day.slouched_s,
            episodes: day.episodes,
            warnings: day.warnings,
            warnings_disputed: day.warnings_disputed,
            sitting_s: day.sitting_s,
            standing_s: day.standing_s,
            in_calls_s: day.in_calls_s,
            breaks: day.breaks,
            stretches_done: day.stretches_done,
            counted,
            met_goal: counted.then(|| day.upright_share.unwrap_or(0.0) * 100.0 >= goal_pct),
        }
    }
}

/// Which way a measure is moving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Getting better.
    Improving,
    /// No clear change.
    Steady,
    /// Getting worse.
    Worsening,
    /// Fewer than [`MIN_TREND_DAYS`] counted days.
    NotEnoughData,
}

impl Direction {
    /// Plain words.
    pub fn words(self) -> &'static str {
        match self {
            Direction::Improving => "improving",
            Direction::Steady => "steady",
            Direction::Worsening => "worsening",
            Direction::NotEnoughData => "not enough days yet",
        }
    }
}

/// A measure's direction and its least-squares change per day over the counted days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Which way it is moving.
    pub direction: Direction,
    /// Change per day (percentage points for the share upright, episodes for episodes).
    pub change_per_day: Option<f64>,
}

/// Days in a row that met the goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Streaks {
    /// The run ending with the latest counted day (today counts once it meets the goal and does
    /// not break the run while it is still going).
    pub current_days: u32,
    /// The longest run in the period.
    pub best_days: u32,
}

/// A run of days: each day's numbers, totals, trends and streaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodReport {
    /// First local date.
    pub from: NaiveDate,
    /// Last local date.
    pub to: NaiveDate,
    /// The goal, percent of monitored time upright.
    pub goal_upright_pct: f64,
    /// Seconds monitored over the period.
    pub monitored_s: f64,
    /// Seconds upright.
    pub upright_s: f64,
    /// Upright share over the period, 0-1.
    pub upright_share: Option<f64>,
    /// Seconds slouched.
    pub slouched_s: f64,
    /// Slouch episodes.
    pub episodes: u32,
    /// Warnings shown.
    pub warnings: u32,
    /// Warnings answered "I'm sitting fine".
    pub warnings_disputed: u32,
    /// Seconds sitting.
    pub sitting_s: f64,
    /// Seconds standing.
    pub standing_s: f64,
    /// Seconds the camera was given over to another program or held for a call.
    pub in_calls_s: f64,
    /// Warnings, disputed warnings and the dispute rate, by week (Monday to Sunday) that the
    /// period touches, oldest first.
    pub weeks: Vec<WeekDisputes>,
    /// Breaks taken.
    pub breaks: u32,
    /// Suggested stretches done.
    pub stretches_done: u32,
    /// Days that count ([`MIN_COUNTED_DAY_S`]).
    pub counted_days: u32,
    /// Mean upright share of the counted days, 0-1.
    pub mean_daily_upright_share: Option<f64>,
    /// Mean episodes per counted day.
    pub mean_daily_episodes: Option<f64>,
    /// The share upright per day: up is improving.
    pub upright_trend: Trend,
    /// Episodes per day: down is improving.
    pub episodes_trend: Trend,
    /// Goal streaks.
    pub streaks: Streaks,
    /// Every day of the period, oldest first.
    pub days: Vec<DaySummary>,
}

/// Least-squares slope of `points` (x, y).
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|(x, _)| x).sum::<f64>() / n;
    let mean_y = points.iter().map(|(_, y)| y).sum::<f64>() / n;
    let covariance: f64 = points.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let variance: f64 = points.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    (variance > 0.0).then(|| covariance / variance)
}

fn trend(points: &[(f64, f64)], steady: f64, higher_is_better: bool) -> Trend {
    if points.len() < MIN_TREND_DAYS {
        return Trend { direction: Direction::NotEnoughData, change_per_day: None };
    }
    let Some(change) = slope(points) else {
        return Trend { direction: Direction::NotEnoughData, change_per_day: None };
    };
    let direction = if change.abs() < steady {
        Direction::Steady
    } else if (change > 0.0) == higher_is_better {
        Direction::Improving
    } else {
        Direction::Worsening
    };
    Trend { direction, change_per_day: Some(change) }
}

impl Trend {
    /// Plain words: "improving (+1.2 points a day)", with `unit` naming what changes.
    pub fn words(&self, unit: &str) -> String {
        match self.change_per_day {
            Some(change) => format!("{} ({change:+.1} {unit} a day)", self.direction.words()),
            None => self.direction.words().to_owned(),
        }
    }
}

impl PeriodReport {
    /// The period made of `days` (consecutive, oldest first), judged against `goal_pct`. `today`
    /// is the current local date: a today that has not met the goal yet does not break a streak.
    pub fn build(days: &[DayReport], goal_pct: f64, today: NaiveDate) -> PeriodReport {
        let summaries: Vec<DaySummary> = days.iter().map(|day| DaySummary::of(day, goal_pct)).collect();
        let counted: Vec<(usize, &DaySummary)> = summaries.iter().enumerate().filter(|(_, day)| day.counted).collect();
        let upright_points: Vec<(f64, f64)> =
            counted.iter().map(|(index, day)| (*index as f64, day.upright_share.unwrap_or(0.0) * 100.0)).collect();
        let episode_points: Vec<(f64, f64)> =
            counted.iter().map(|(index, day)| (*index as f64, day.episodes as f64)).collect();
        let monitored_s: f64 = summaries.iter().map(|day| day.monitored_s).sum();
        let upright_s: f64 = summaries.iter().map(|day| day.upright_s).sum();
        let mean = |values: &[(f64, f64)]| {
            (!values.is_empty()).then(|| values.iter().map(|(_, y)| y).sum::<f64>() / values.len() as f64)
        };
        PeriodReport {
            from: summaries.first().map(|day| day.date).unwrap_or(today),
            to: summaries.last().map(|day| day.date).unwrap_or(today),
            goal_upright_pct: goal_pct,
            monitored_s,
            upright_s,
            upright_share: (monitored_s > 0.0).then(|| upright_s / monitored_s),
            slouched_s: summaries.iter().map(|day| day.slouched_s).sum(),
            episodes: summaries.iter().map(|day| day.episodes).sum(),
            warnings: summaries.iter().map(|day| day.warnings).sum(),
            warnings_disputed: summaries.iter().map(|day| day.warnings_disputed).sum(),
            sitting_s: summaries.iter().map(|day| day.sitting_s).sum(),
            standing_s: summaries.iter().map(|day| day.standing_s).sum(),
            in_calls_s: summaries.iter().map(|day| day.in_calls_s).sum(),
            weeks: weeks(&summaries),
            breaks: summaries.iter().map(|day| day.breaks).sum(),
            stretches_done: summaries.iter().map(|day| day.stretches_done).sum(),
            counted_days: counted.len() as u32,
            mean_daily_upright_share: mean(&upright_points).map(|pct| pct / 100.0),
            mean_daily_episodes: mean(&episode_points),
            upright_trend: trend(&upright_points, STEADY_UPRIGHT_POINTS_PER_DAY, true),
            episodes_trend: trend(&episode_points, STEADY_EPISODES_PER_DAY, false),
            streaks: streaks(&summaries, today),
            days: summaries,
        }
    }
}

/// One week's warnings and how many the person disputed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekDisputes {
    /// The week's Monday.
    pub week_of: NaiveDate,
    /// Warnings shown in the week's days of the period.
    pub warnings: u32,
    /// Of those, answered "I'm sitting fine".
    pub disputed: u32,
    /// Disputed over warnings, 0-1 (`None` without warnings).
    pub dispute_rate: Option<f64>,
}

/// The days grouped by week (Monday first).
fn weeks(days: &[DaySummary]) -> Vec<WeekDisputes> {
    use chrono::Datelike;
    let mut weeks: Vec<WeekDisputes> = Vec::new();
    for day in days {
        let week_of = day.date - chrono::Days::new(day.date.weekday().num_days_from_monday() as u64);
        if weeks.last().is_none_or(|week| week.week_of != week_of) {
            weeks.push(WeekDisputes { week_of, warnings: 0, disputed: 0, dispute_rate: None });
        }
        if let Some(week) = weeks.last_mut() {
            week.warnings += day.warnings;
            week.disputed += day.warnings_disputed;
            week.dispute_rate = (week.warnings > 0).then(|| week.disputed as f64 / week.warnings as f64);
        }
    }
    weeks
}

fn streaks(days: &[DaySummary], today: NaiveDate) -> Streaks {
    let mut best = 0;
    let mut run = 0;
    for day in days {
        match day.met_goal {
            Some(true) => {
                run += 1;
                best = best.max(run);
            }
            Some(false) if day.date == today => {}
            Some(false) => run = 0,
            None => {}
        }
    }
    Streaks { current_days: run, best_days: best }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(date: u32, share: Option<f64>, counted: bool, goal: f64) -> DaySummary {
        DaySummary {
            date: NaiveDate::from_ymd_opt(2026, 11, date).unwrap(),
            monitored_s: if counted { 3600.0 } else { 60.0 },
            upright_s: 0.0,
            upright_share: share,
            slouched_s: 0.0,
            episodes: 0,
            warnings: 0,
            breaks: 0,
            stretches_done: 0,
            counted,
            met_goal: counted.then(|| share.unwrap_or(0.0) * 100.0 >= goal),
            warnings_disputed: 0,
            sitting_s: 0.0,
            standing_s: 0.0,
            in_calls_s: 0.0,
        }
    }

    #[test]
    fn streaks_skip_days_without_monitoring_and_today_in_progress() {
        let goal = 75.0;
        let days = [
            summary(1, Some(0.8), true, goal),
            summary(2, Some(0.5), true, goal), // breaks the run
            summary(3, Some(0.9), true, goal),
            summary(4, None, false, goal), // weekend: skipped
            summary(5, Some(0.76), true, goal),
            summary(6, Some(0.6), true, goal), // today, not there yet
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 6).unwrap();
        assert_eq!(streaks(&days, today), Streaks { current_days: 2, best_days: 2 });
        let yesterday = NaiveDate::from_ymd_opt(2026, 11, 7).unwrap();
        assert_eq!(streaks(&days, yesterday), Streaks { current_days: 0, best_days: 2 });
    }

    #[test]
    fn trend_direction_follows_the_least_squares_slope() {
        let rising: Vec<(f64, f64)> = (0..5).map(|i| (i as f64, 60.0 + 2.0 * i as f64)).collect();
        let up = trend(&rising, STEADY_UPRIGHT_POINTS_PER_DAY, true);
        assert_eq!(up.direction, Direction::Improving);
        assert!((up.change_per_day.unwrap() - 2.0).abs() < 1e-9);
        // More episodes a day is worse.
        assert_eq!(trend(&rising, STEADY_EPISODES_PER_DAY, false).direction, Direction::Worsening);
        let flat: Vec<(f64, f64)> = (0..5).map(|i| (i as f64, 70.0 + 0.1 * (i % 2) as f64)).collect();
        assert_eq!(trend(&flat, STEADY_UPRIGHT_POINTS_PER_DAY, true).direction, Direction::Steady);
        assert_eq!(trend(&rising[..2], STEADY_UPRIGHT_POINTS_PER_DAY, true).direction, Direction::NotEnoughData);
    }
}
