//! The Report screen: a day picker, the day's numbers, `egui_plot` charts (timeline, per-hour
//! bars, the 7- or 30-day trend) and the coach's end-of-day advice. Draws a
//! [`DailyReport`] read by [`ReportReader`], a read-only use of the history.

use chrono::{NaiveDate, TimeDelta};
use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, HLine, Legend, Plot};

use super::panels::UiCommand;
use super::theme;
use crate::report::day::{DayReport, MinuteState};
use crate::report::period::PeriodReport;
use crate::report::{DailyReport, duration_words, percent};

/// What the Report screen shows.
#[derive(Debug, Clone)]
pub struct ReportView {
    /// The day picked.
    pub date: NaiveDate,
    /// Days in the trend chart: 7 or 30.
    pub trend_days: u32,
    /// The loaded report, or why there is none.
    pub loaded: Option<Result<Box<DailyReport>, String>>,
    /// Where the last "Save as HTML" went, or why it failed.
    pub saved: Option<String>,
}

impl ReportView {
    /// A view of `today`.
    pub fn new(today: NaiveDate) -> ReportView {
        ReportView { date: today, trend_days: crate::report::WEEK_DAYS, loaded: None, saved: None }
    }
}

/// Reads the Report screen's day from the history: a separate read-only use of the database
/// the engine writes (SQLite's WAL lets both go on at once), opened once and kept.
#[derive(Default)]
pub struct ReportReader {
    /// UI time (seconds) the report was last read.
    pub read_at: Option<f64>,
    store: Option<crate::history::HistoryStore>,
}

impl ReportReader {
    /// Loads `view.date`'s report from the history in `data_dir` into `view`.
    pub fn read(
        &mut self,
        view: &mut ReportView,
        data_dir: Option<&std::path::Path>,
        goal_upright_pct: f64,
        catalog: &crate::coach::Catalog,
        now_s: f64,
    ) {
        self.read_at = Some(now_s);
        let today = chrono::Local::now().date_naive();
        let Some(dir) = data_dir else {
            view.loaded = Some(Err(
                "No history folder was found, so there is no report; start slouchwatch with --data-dir DIR.".into(),
            ));
            return;
        };
        if !dir.join(crate::history::DATABASE_FILE).exists() {
            view.loaded =
                Some(Err("No history yet: the report fills in minute by minute while slouchwatch watches.".into()));
            return;
        }
        if self.store.is_none() {
            match crate::history::HistoryStore::open(dir) {
                Ok((store, _)) => self.store = Some(store),
                Err(error) => {
                    view.loaded = Some(Err(error.to_string()));
                    return;
                }
            }
        }
        let Some(store) = &self.store else { return };
        let loaded = crate::report::load_day(store, &chrono::Local, view.date, goal_upright_pct, today, catalog)
            .map_err(|error| error.to_string());
        if loaded.is_err() {
            // Open afresh next time (the file may have been replaced).
            self.store = None;
        }
        view.loaded = Some(loaded);
    }
}

impl ReportView {
    /// Saves the report shown as a self-contained HTML page in the Downloads (or Documents, or
    /// history) folder.
    pub fn save(&mut self, data_dir: Option<&std::path::Path>) {
        let Some(Ok(daily)) = &self.loaded else {
            self.saved = Some("There is no report to save yet.".into());
            return;
        };
        let folder = directories::UserDirs::new()
            .and_then(|dirs| dirs.download_dir().or(dirs.document_dir()).map(std::path::PathBuf::from))
            .or_else(|| data_dir.map(std::path::Path::to_owned));
        let Some(folder) = folder else {
            self.saved = Some("No folder was found to save the report in.".into());
            return;
        };
        let path = folder.join(format!("slouchwatch-report-{}.html", daily.day.date));
        let html = crate::report::Report::Day(daily.clone()).render(crate::report::Format::Html);
        self.saved = Some(match std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, html)) {
            Ok(()) => format!("Saved as {}", path.display()),
            Err(error) => format!("Could not save {}: {error} (is the disk full?)", path.display()),
        });
    }
}

fn colour(state: MinuteState) -> Color32 {
    let [r, g, b] = state.rgb();
    Color32::from_rgb(r, g, b)
}

/// The Report screen.
pub fn report_panel(ui: &mut Ui, view: &ReportView, today: NaiveDate) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    ui.heading("Daily report");
    ui.horizontal_wrapped(|ui| {
        if ui.button("< Previous day").clicked() {
            commands.push(UiCommand::ReportDay(view.date - TimeDelta::days(1)));
        }
        ui.label(RichText::new(view.date.format("%A %-d %B %Y").to_string()).strong());
        if ui.add_enabled(view.date < today, egui::Button::new("Next day >")).clicked() {
            commands.push(UiCommand::ReportDay(view.date + TimeDelta::days(1)));
        }
        if ui.add_enabled(view.date != today, egui::Button::new("Today")).clicked() {
            commands.push(UiCommand::ReportDay(today));
        }
        if ui.button("Refresh").clicked() {
            commands.push(UiCommand::ReportDay(view.date));
        }
        if ui.button("Save as HTML").clicked() {
            commands.push(UiCommand::SaveReport);
        }
    });
    if let Some(saved) = &view.saved {
        ui.label(saved);
    }
    match &view.loaded {
        None => {
            ui.label("Loading...");
        }
        Some(Err(message)) => {
            ui.colored_label(theme::SLOUCHING, message);
        }
        Some(Ok(daily)) => {
            day_section(ui, &daily.day);
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                ui.strong("Trend");
                for days in [crate::report::WEEK_DAYS, crate::report::MONTH_DAYS] {
                    if ui.selectable_label(view.trend_days == days, format!("Last {days} days")).clicked() {
                        commands.push(UiCommand::ReportTrendDays(days));
                    }
                }
            });
            let period =
                if view.trend_days == crate::report::WEEK_DAYS { &daily.last_7_days } else { &daily.last_30_days };
            trend_section(ui, period);
            if !daily.day.advice.is_empty() {
                ui.separator();
                ui.strong("For the end of the day");
                for line in &daily.day.advice {
                    ui.label(format!("- {}: {}", line.name, line.reason));
                }
            }
        }
    }
    commands
}

fn day_section(ui: &mut Ui, day: &DayReport) {
    if !day.has_data {
        ui.label("Nothing was recorded on this day: slouchwatch was not running.");
        return;
    }
    let degrees = |value: Option<f64>| value.map(|v| format!("{v:.1}\u{b0}")).unwrap_or_else(|| "-".into());
    egui::Grid::new("report numbers").num_columns(4).spacing([18.0, 4.0]).striped(true).show(ui, |ui| {
        let pair = |ui: &mut Ui, label: &str, value: String| {
            ui.label(label);
            ui.strong(value);
        };
        pair(ui, "Monitored", duration_words(day.monitored_s));
        pair(ui, "Upright", format!("{} ({})", duration_words(day.upright_s), percent(day.upright_share)));
        ui.end_row();
        pair(ui, "Slouched", duration_words(day.slouched_s));
        pair(ui, "Episodes / warnings", format!("{} / {}", day.episodes, day.warnings));
        ui.end_row();
        pair(
            ui,
            "Longest upright",
            day.longest_upright
                .as_ref()
                .map(|s| format!("{} ({}-{})", duration_words(s.upright_s), s.from, s.to))
                .unwrap_or_else(|| "-".into()),
        );
        pair(
            ui,
            "Worst hour",
            day.worst_hour
                .as_ref()
                .map(|w| format!("{:02}:00 ({} slouched)", w.hour, duration_words(w.slouched_s)))
                .unwrap_or_else(|| "-".into()),
        );
        ui.end_row();
        pair(ui, "Away / breaks", format!("{} / {}", duration_words(day.away_s), day.breaks));
        pair(ui, "Break reminders followed", format!("{} of {}", day.break_reminders_followed, day.break_reminders));
        ui.end_row();
        pair(ui, "Stretches done", day.stretches_done.to_string());
        pair(
            ui,
            "Head forward / rounding",
            format!("{} / {}", degrees(day.mean_forward_head_deg), degrees(day.mean_shoulder_rounding_deg)),
        );
        ui.end_row();
    });
    let problems: Vec<String> = crate::posture::Problem::ALL
        .iter()
        .filter(|problem| day.problem_s(**problem) > 0.0)
        .map(|problem| format!("{} {}", MinuteState::from(*problem).words(), duration_words(day.problem_s(*problem))))
        .collect();
    if !problems.is_empty() {
        ui.label(format!("Slouched by problem: {}", problems.join(", ")));
    }

    ui.add_space(4.0);
    ui.strong("The day");
    // Show the hours that hold something, with an hour to spare on each side.
    let first_h = day.timeline.first().map(|s| (s.start_min / 60) as f64 - 1.0).unwrap_or(0.0).max(0.0);
    let last_h = day
        .timeline
        .last()
        .map(|s| ((s.end_min + 59) / 60) as f64 + 1.0)
        .unwrap_or(24.0)
        .min(day.day_length_min as f64 / 60.0);
    Plot::new("report timeline")
        .height(theme::REPORT_TIMELINE_HEIGHT)
        .show_y(false)
        .show_axes([true, false])
        .show_grid([true, false])
        .include_x(first_h)
        .include_x(last_h)
        .include_y(0.0)
        .include_y(1.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(hour_label)
        .show(ui, |plot| {
            for state in MinuteState::ALL {
                let bars: Vec<Bar> = day
                    .timeline
                    .iter()
                    .filter(|segment| segment.state == state)
                    .map(|segment| {
                        let start = segment.start_min as f64 / 60.0;
                        let width = (segment.end_min - segment.start_min) as f64 / 60.0;
                        Bar::new(start + width / 2.0, 1.0)
                            .width(width)
                            .fill(colour(state))
                            .stroke(egui::Stroke::NONE)
                            .name(format!("{}-{} {}", segment.from, segment.to, state.words()))
                    })
                    .collect();
                if !bars.is_empty() {
                    plot.bar_chart(BarChart::new(state.words(), bars).color(colour(state)));
                }
            }
        });
    ui.horizontal_wrapped(|ui| {
        for state in MinuteState::ALL {
            if day.timeline.iter().any(|segment| segment.state == state) {
                ui.colored_label(colour(state), state.words());
            }
        }
    });

    ui.strong("Hour by hour (minutes)");
    let stack = [
        ("upright", MinuteState::Upright),
        ("slouched", MinuteState::ForwardHead),
        ("not judged", MinuteState::Unclear),
        ("away", MinuteState::Away),
    ];
    Plot::new("report hours")
        .height(theme::REPORT_CHART_HEIGHT)
        .include_x(first_h)
        .include_x(last_h)
        .x_axis_formatter(hour_label)
        .include_y(0.0)
        // Headroom above a full hour for the legend.
        .include_y(80.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .legend(Legend::default())
        .show(ui, |plot| {
            let mut charts: Vec<BarChart> = Vec::new();
            for (name, state) in stack {
                let bars: Vec<Bar> = day
                    .hours
                    .iter()
                    .filter(|hour| (first_h..last_h).contains(&(hour.hour as f64)))
                    .map(|hour| {
                        let seconds = match state {
                            MinuteState::Upright => hour.upright_s,
                            MinuteState::Unclear => hour.unclear_s,
                            MinuteState::Away => hour.away_s,
                            _ => hour.slouched_s,
                        };
                        Bar::new(hour.hour as f64 + 0.5, seconds / 60.0).width(0.8).fill(colour(state))
                    })
                    .collect();
                let below: Vec<&BarChart> = charts.iter().collect();
                let chart = BarChart::new(name, bars).color(colour(state)).stack_on(&below);
                charts.push(chart);
            }
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}

/// Axis labels of hour charts: `09:00` at whole hours.
fn hour_label(mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    let hour = mark.value.round();
    if (mark.value - hour).abs() < 1e-6 && (0.0..=24.0).contains(&hour) {
        format!("{hour:02}:00")
    } else {
        String::new()
    }
}

fn trend_section(ui: &mut Ui, period: &PeriodReport) {
    ui.label(format!(
        "Upright {} of monitored time; share upright {}; episodes {}; goal of {:.0}% met {} days in a row (best {}).",
        percent(period.upright_share),
        period.upright_trend.direction.words(),
        period.episodes_trend.direction.words(),
        period.goal_upright_pct,
        period.streaks.current_days,
        period.streaks.best_days
    ));
    let labels: Vec<NaiveDate> = period.days.iter().map(|day| day.date).collect();
    let day_label = move |mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>| {
        let index = mark.value.round();
        labels
            .get(index.max(0.0) as usize)
            .filter(|_| index >= 0.0 && (mark.value - index).abs() < 1e-6)
            .map(|date| date.format("%d %b").to_string())
            .unwrap_or_default()
    };
    Plot::new("report trend")
        .height(theme::REPORT_CHART_HEIGHT)
        .include_x(-0.5)
        .include_x(period.days.len() as f64 - 0.5)
        .include_y(0.0)
        // Headroom above 100% for the legend.
        .include_y(125.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(day_label.clone())
        .legend(Legend::default())
        .show(ui, |plot| {
            let (mut met, mut missed) = (Vec::new(), Vec::new());
            for (index, day) in period.days.iter().enumerate() {
                let Some(share) = day.upright_share else { continue };
                let fill = if day.met_goal == Some(true) { theme::GOOD } else { theme::SLOUCHING };
                let bar = Bar::new(index as f64, share * 100.0).width(0.7).fill(fill).name(format!(
                    "{} {} upright, {} episodes",
                    day.date,
                    percent(Some(share)),
                    day.episodes
                ));
                if day.met_goal == Some(true) {
                    met.push(bar);
                } else {
                    missed.push(bar);
                }
            }
            plot.bar_chart(BarChart::new("goal met", met).color(theme::GOOD));
            plot.bar_chart(BarChart::new("goal not met", missed).color(theme::SLOUCHING));
            plot.hline(HLine::new("goal", period.goal_upright_pct).color(theme::NEUTRAL));
        });
    ui.label("Slouch episodes per day");
    Plot::new("report episodes")
        .height(theme::REPORT_EPISODES_HEIGHT)
        .include_x(-0.5)
        .include_x(period.days.len() as f64 - 0.5)
        .include_y(0.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(day_label)
        .show(ui, |plot| {
            let bars: Vec<Bar> = period
                .days
                .iter()
                .enumerate()
                .filter(|(_, day)| day.monitored_s > 0.0)
                .map(|(index, day)| {
                    Bar::new(index as f64, day.episodes as f64)
                        .width(0.7)
                        .fill(theme::NEUTRAL)
                        .name(format!("{} {} episodes", day.date, day.episodes))
                })
                .collect();
            plot.bar_chart(BarChart::new("episodes", bars).color(theme::NEUTRAL));
        });
}
