//! The Report screen's trend over the last 7 or 30 days: in words, the share upright each day
//! against the goal, and the slouch episodes each day.

use chrono::NaiveDate;
use egui::Ui;
use egui_plot::{Bar, BarChart, HLine, Plot};

use super::{DAY_STEPS, PERCENT_STEPS, bar_name, legend, steps_from};
use crate::report::period::{Direction, MIN_TREND_DAYS, PeriodReport};
use crate::report::{count_words, duration_words, percent};
use crate::ui::theme;

/// The trend in words: the share upright over the period, which way things are going (or that
/// it is too soon to say), and the daily goal's streak.
pub fn trend_words(period: &PeriodReport) -> Vec<String> {
    let mut lines = vec![format!("Upright {} of the time watched over these days.", percent(period.upright_share))];
    if period.upright_trend.direction == Direction::NotEnoughData {
        lines.push(format!("A trend shows once {MIN_TREND_DAYS} days have been watched."));
    } else {
        lines.push(format!(
            "Share upright: {}. Slouch episodes: {}.",
            period.upright_trend.direction.words(),
            period.episodes_trend.direction.words()
        ));
    }
    lines.push(format!(
        "Daily goal of {:.0}% upright: met {} in a row (best {}).",
        period.goal_upright_pct,
        count_words(period.streaks.current_days, "day", "days"),
        count_words(period.streaks.best_days, "day", "days")
    ));
    lines.push(format!(
        "Sitting {}, standing {}.",
        duration_words(period.sitting_s),
        duration_words(period.standing_s)
    ));
    let weeks: Vec<String> = period
        .weeks
        .iter()
        .filter(|week| week.warnings > 0)
        .map(|week| {
            format!(
                "week of {}: {} of {} ({})",
                week.week_of.format("%-d %b"),
                week.disputed,
                week.warnings,
                percent(week.dispute_rate)
            )
        })
        .collect();
    if !weeks.is_empty() {
        lines.push(format!("Warnings answered \"I'm sitting fine\": {}.", weeks.join("; ")));
    }
    lines
}

pub(super) fn trend_section(ui: &mut Ui, period: &PeriodReport) {
    for line in trend_words(period) {
        ui.label(line);
    }
    let labels: Vec<NaiveDate> = period.days.iter().map(|day| day.date).collect();
    let day_label = move |mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>| {
        let index = mark.value.round();
        labels
            .get(index.max(0.0) as usize)
            .filter(|_| index >= 0.0 && (mark.value - index).abs() < 1e-6)
            .map(|date| date.format("%d %b").to_string())
            .unwrap_or_default()
    };
    ui.strong("Share upright each day");
    Plot::new("report trend")
        .height(theme::REPORT_CHART_HEIGHT)
        .grid_color(theme::grid_line(ui.visuals().dark_mode))
        .include_x(-0.5)
        .include_x(period.days.len() as f64 - 0.5)
        .include_y(0.0)
        .include_y(100.0)
        .show_x(false)
        .show_y(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(day_label.clone())
        .x_grid_spacer(steps_from(&DAY_STEPS))
        .y_grid_spacer(steps_from(&PERCENT_STEPS))
        // (Rounded, + 0.0: a mark a hair below zero reads 0, not -0.)
        .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value.round() + 0.0))
        .y_axis_label("upright")
        .show(ui, |plot| {
            let (mut met, mut missed) = (Vec::new(), Vec::new());
            for (index, day) in period.days.iter().enumerate() {
                let Some(share) = day.upright_share else { continue };
                let fill = if day.met_goal == Some(true) { theme::GOOD } else { theme::SLOUCHING };
                let bar = Bar::new(index as f64, share * 100.0).width(0.7).fill(fill).name(format!(
                    "{}: {} upright, {}",
                    day.date.format("%a %-d %b"),
                    percent(Some(share)),
                    count_words(day.episodes, "slouch episode", "slouch episodes")
                ));
                if day.met_goal == Some(true) {
                    met.push(bar);
                } else {
                    missed.push(bar);
                }
            }
            plot.bar_chart(BarChart::new("goal met", met).color(theme::GOOD).element_formatter(bar_name()));
            plot.bar_chart(BarChart::new("goal not met", missed).color(theme::SLOUCHING).element_formatter(bar_name()));
            plot.hline(HLine::new("goal", period.goal_upright_pct).color(theme::NEUTRAL));
        });
    let goal_line = format!("goal, {:.0}%", period.goal_upright_pct);
    legend(ui, &[(theme::GOOD, "goal met"), (theme::SLOUCHING, "goal not met"), (theme::NEUTRAL, &goal_line)]);
    ui.strong("Slouch episodes each day");
    Plot::new("report episodes")
        .height(theme::REPORT_EPISODES_HEIGHT)
        .grid_color(theme::grid_line(ui.visuals().dark_mode))
        .include_x(-0.5)
        .include_x(period.days.len() as f64 - 0.5)
        .include_y(0.0)
        .include_y(1.0)
        .show_x(false)
        .show_y(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(day_label)
        .x_grid_spacer(steps_from(&DAY_STEPS))
        .y_axis_formatter(|mark, _| {
            // Whole episodes only.
            if (mark.value - mark.value.round()).abs() < 1e-6 {
                format!("{:.0}", mark.value.round() + 0.0)
            } else {
                String::new()
            }
        })
        .y_axis_label("episodes")
        .show(ui, |plot| {
            let bars: Vec<Bar> = period
                .days
                .iter()
                .enumerate()
                .filter(|(_, day)| day.monitored_s > 0.0)
                .map(|(index, day)| {
                    Bar::new(index as f64, day.episodes as f64).width(0.7).fill(theme::NEUTRAL).name(format!(
                        "{}: {}",
                        day.date.format("%a %-d %b"),
                        count_words(day.episodes, "slouch episode", "slouch episodes")
                    ))
                })
                .collect();
            plot.bar_chart(BarChart::new("episodes", bars).color(theme::NEUTRAL).element_formatter(bar_name()));
        });
}
