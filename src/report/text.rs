//! The report as a compact summary for the terminal.

use std::fmt::Write;

use super::day::DayReport;
use super::period::PeriodReport;
use super::{DailyReport, Report, count_words, duration_words, percent};
use crate::posture::Problem;

/// Width of the per-hour bars, characters for a full hour.
const HOUR_BAR_WIDTH: f64 = 30.0;

/// The report as text.
pub fn render(report: &Report) -> String {
    match report {
        Report::Day(daily) => day(daily),
        Report::Week(period) => period_text("Last 7 days", period),
        Report::Month(period) => period_text("Last 30 days", period),
    }
}

fn day(daily: &DailyReport) -> String {
    let day: &DayReport = &daily.day;
    let mut out = String::new();
    let _ = writeln!(out, "slouchwatch report for {}", day.date.format("%A %-d %B %Y"));
    if !day.has_data {
        let _ = writeln!(out, "Nothing was recorded on this day: slouchwatch was not running.");
    } else {
        let _ = writeln!(
            out,
            "Monitored {}: upright {} ({}), slouched {}, not judged {}",
            duration_words(day.monitored_s),
            duration_words(day.upright_s),
            percent(day.upright_share),
            duration_words(day.slouched_s),
            duration_words(day.unclear_s),
        );
        let problems: Vec<String> = Problem::ALL
            .iter()
            .filter(|problem| day.problem_s(**problem) > 0.0)
            .map(|problem| format!("{} {}", problem.words(), duration_words(day.problem_s(*problem))))
            .collect();
        if !problems.is_empty() {
            let _ = writeln!(out, "Slouched by problem: {}", problems.join(", "));
        }
        let _ = writeln!(
            out,
            "Slouch episodes {}, warnings {} ({} answered \"I'm sitting fine\", {} more while snoozed{})",
            day.episodes,
            day.warnings,
            day.warnings_disputed,
            day.warnings_snoozed,
            match day.warnings_held_back {
                0 => String::new(),
                held => format!(", {held} held back while you presented"),
            }
        );
        let _ = writeln!(out, "Sitting {}, standing {}", duration_words(day.sitting_s), duration_words(day.standing_s));
        if let Some(stretch) = &day.longest_upright {
            let _ = writeln!(out, "Longest upright stretch {}", stretch.words());
        }
        if let Some(worst) = &day.worst_hour {
            let _ = writeln!(
                out,
                "Worst hour {:02}:00-{:02}:00: slouched {} ({:.0}% of it)",
                worst.hour,
                (worst.hour + 1) % 24,
                duration_words(worst.slouched_s),
                worst.share * 100.0
            );
        }
        let _ = writeln!(
            out,
            "Away {}, breaks {}, break reminders followed {} of {}; stretches done {}",
            duration_words(day.away_s),
            day.breaks,
            day.break_reminders_followed,
            day.break_reminders,
            day.stretches_done
        );
        if day.in_calls_s > 0.0 {
            let _ = writeln!(out, "In calls / camera used elsewhere {} (not judged)", duration_words(day.in_calls_s));
        }
        let degrees = |value: Option<f64>| value.map(|v| format!("{v:.1} deg")).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "On average, head forward {} and shoulders rounded {} more than when calibrated upright",
            degrees(day.mean_head_change_deg),
            degrees(day.mean_rounding_change_deg)
        );
        if let Some(slump) = day.mean_slump_change_pct {
            let _ = writeln!(out, "On average, chin {slump:.0}% nearer the shoulders than when calibrated upright");
        }
        let _ = writeln!(out, "By hour (# upright, x slouched, . away):");
        for hour in day.hours.iter().filter(|hour| hour.monitored_s + hour.away_s + hour.paused_s > 0.0) {
            let bar = |seconds: f64, mark: char| {
                mark.to_string().repeat((seconds / 3600.0 * HOUR_BAR_WIDTH).round() as usize)
            };
            let _ = writeln!(
                out,
                "  {:02}:00 {}{}{} {} upright, {} slouched",
                hour.hour,
                bar(hour.upright_s, '#'),
                bar(hour.slouched_s, 'x'),
                bar(hour.away_s, '.'),
                duration_words(hour.upright_s),
                duration_words(hour.slouched_s)
            );
        }
    }
    let month = &daily.last_30_days;
    if month.monitored_s > 0.0 {
        let _ = writeln!(
            out,
            "Last 30 days: sitting {}, standing {}",
            duration_words(month.sitting_s),
            duration_words(month.standing_s)
        );
        out.push_str(&weeks_text(month));
    }
    for (label, period) in [("Last 7 days", &daily.last_7_days), ("Last 30 days", &daily.last_30_days)] {
        let _ = writeln!(
            out,
            "{label}: upright {} of monitored time; share upright {}; episodes {}; goal {:.0}% met {} in a row (best {})",
            percent(period.upright_share),
            period.upright_trend.words("points"),
            period.episodes_trend.words("episodes"),
            period.goal_upright_pct,
            count_words(period.streaks.current_days, "day", "days"),
            count_words(period.streaks.best_days, "day", "days"),
        );
    }
    if !day.advice.is_empty() {
        let _ = writeln!(out, "For the end of the day:");
        for line in &day.advice {
            let _ = writeln!(out, "  - {}: {}", line.name, line.reason);
        }
    }
    out
}

fn period_text(label: &str, period: &PeriodReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "slouchwatch report, {label} ({} to {})", period.from, period.to);
    if period.monitored_s <= 0.0 {
        let _ = writeln!(out, "Nothing was recorded in these days: slouchwatch was not running.");
        return out;
    }
    let _ = writeln!(
        out,
        "Monitored {} on {}: upright {} ({}), slouched {}; {}, {}, {}, {} done",
        duration_words(period.monitored_s),
        count_words(period.counted_days, "day", "days"),
        duration_words(period.upright_s),
        percent(period.upright_share),
        duration_words(period.slouched_s),
        count_words(period.episodes, "episode", "episodes"),
        count_words(period.warnings, "warning", "warnings"),
        count_words(period.breaks, "break", "breaks"),
        count_words(period.stretches_done, "stretch", "stretches")
    );
    let _ = writeln!(
        out,
        "Share upright {}; episodes {}; goal {:.0}% met {} in a row (best {})",
        period.upright_trend.words("points"),
        period.episodes_trend.words("episodes"),
        period.goal_upright_pct,
        count_words(period.streaks.current_days, "day", "days"),
        count_words(period.streaks.best_days, "day", "days")
    );
    let _ = writeln!(
        out,
        "Sitting {}, standing {}; in calls / camera used elsewhere {}",
        duration_words(period.sitting_s),
        duration_words(period.standing_s),
        duration_words(period.in_calls_s)
    );
    out.push_str(&weeks_text(period));
    for day in &period.days {
        if day.monitored_s <= 0.0 {
            let _ = writeln!(out, "  {}  -", day.date.format("%a %Y-%m-%d"));
            continue;
        }
        let mark = match day.met_goal {
            Some(true) => " goal met",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  {}  {:>4} upright of {:>11}, {:>11}{mark}",
            day.date.format("%a %Y-%m-%d"),
            percent(day.upright_share),
            duration_words(day.monitored_s),
            count_words(day.episodes, "episode", "episodes")
        );
    }
    out
}

/// Warnings, "I'm sitting fine" answers and their rate, a line per week.
fn weeks_text(period: &PeriodReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Warnings by week (disputed: answered \"I'm sitting fine\"):");
    for week in &period.weeks {
        let _ = writeln!(
            out,
            "  week of {}: {}, {} disputed ({})",
            week.week_of.format("%a %Y-%m-%d"),
            count_words(week.warnings, "warning", "warnings"),
            week.disputed,
            percent(week.dispute_rate)
        );
    }
    out
}
