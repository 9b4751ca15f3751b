//! The Report screen: a day picker, the day's numbers, `egui_plot` charts (timeline, per-hour
//! bars, the 7- or 30-day trend) and the coach's end-of-day advice. Draws a
//! [`DailyReport`] read by [`ReportReader`] on its own thread (`reader.rs`).

use std::path::PathBuf;

use chrono::{NaiveDate, TimeDelta};
use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

mod export;
mod reader;
mod trend;

pub use export::{Chosen, choose_save_file, file_uri_path};
pub use reader::{ReadError, ReportReader};
use trend::trend_section;
pub use trend::trend_words;

use super::panels::{UiCommand, kit, measure_row};
use super::theme;
use crate::posture::Problem;
use crate::posture::verdict::Limits;
use crate::posture::verdict::{Reading, Unit};
use crate::report::day::{DayReport, MinuteState};
use crate::report::{DailyReport, count_words, duration_words, percent};

/// What the Report screen shows.
#[derive(Debug)]
pub struct ReportView {
    /// The day picked.
    pub date: NaiveDate,
    /// Days in the trend chart: 7 or 30.
    pub trend_days: u32,
    /// The loaded report, or why there is none (`None` while the first read is under way).
    pub loaded: Option<Result<Box<DailyReport>, ReadError>>,
    /// The folder the file chooser starts in, and where the report is saved when no chooser
    /// answers ([`default_save_folder`]).
    pub save_folder: String,
    /// The file the last export wrote, or why it failed.
    pub saved: Option<Result<PathBuf, SaveError>>,
    /// A note on the last export (saved without a chooser, and why).
    pub export_note: Option<String>,
    /// Whether the file chooser is open.
    pub exporting: bool,
    /// The session bus to ask for the file chooser on (`None`: this session's; tests use their own).
    pub portal_bus: Option<String>,
    /// The file chooser's answer, when it comes, and the report it is for (the day shown may
    /// change while the chooser is open).
    chooser: Option<(std::sync::mpsc::Receiver<Chosen>, Box<DailyReport>)>,
}

impl ReportView {
    /// A view of `today`.
    pub fn new(today: NaiveDate) -> ReportView {
        ReportView {
            date: today,
            trend_days: crate::report::WEEK_DAYS,
            loaded: None,
            save_folder: default_save_folder().map(|folder| folder.display().to_string()).unwrap_or_default(),
            saved: None,
            export_note: None,
            exporting: false,
            portal_bus: None,
            chooser: None,
        }
    }
}

/// Why "Export as HTML" (or opening what it saved) did not work.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// No report is shown.
    #[error("There is no report to save yet.")]
    NothingToSave,
    /// No chooser answered and there is no folder to save in.
    #[error("No file chooser answered and no Downloads or home folder was found, so the report was not saved.")]
    NoFolder,
    /// The file could not be written.
    #[error(
        "Could not save {}: {error}. Check that the folder can be written to and the disk is not full.",
        path.display()
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        error: std::io::Error,
    },
    /// The desktop could not open the file or folder.
    #[error("Could not open {}: {error}. Open it from your file manager.", path.display())]
    Open {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        error: std::io::Error,
    },
}

/// Where a saved report goes unless the user picks another folder: Downloads, else Documents,
/// else the home folder (never the history folder, where nobody would look for it).
pub fn default_save_folder() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(dirs.download_dir().or(dirs.document_dir()).unwrap_or(dirs.home_dir()).to_owned())
}

impl ReportView {
    /// Export: asks the desktop's file chooser where to save the report shown (the answer is
    /// taken by [`ReportView::take_export`]).
    pub fn export(&mut self) {
        let Some(Ok(daily)) = &self.loaded else {
            self.saved = Some(Err(SaveError::NothingToSave));
            return;
        };
        let name = format!("slouchwatch-report-{}.html", daily.day.date);
        let folder = Some(PathBuf::from(self.save_folder.trim())).filter(|folder| folder.is_dir());
        let asked_for = daily.clone();
        self.chooser = Some((choose_save_file(self.portal_bus.clone(), name, folder), asked_for));
        self.exporting = true;
        self.saved = None;
        self.export_note = None;
    }

    /// Takes the file chooser's answer, if it has come, and saves there; with no chooser, saves
    /// in [`ReportView::save_folder`] and says why. Returns whether an answer came.
    pub fn take_export(&mut self) -> bool {
        let Some(answer) = self.chooser.as_ref().and_then(|(chooser, _)| chooser.try_recv().ok()) else {
            return false;
        };
        let Some((_, daily)) = self.chooser.take() else { return false };
        self.exporting = false;
        match answer {
            Chosen::File(path) => self.saved = Some(save_report(&daily, path)),
            Chosen::Cancelled => {}
            Chosen::NoChooser(why) => {
                let folder = PathBuf::from(self.save_folder.trim());
                if folder.as_os_str().is_empty() {
                    self.saved = Some(Err(SaveError::NoFolder));
                } else {
                    let path = folder.join(format!("slouchwatch-report-{}.html", daily.day.date));
                    self.saved = Some(save_report(&daily, path));
                    self.export_note = Some(format!("No file chooser answered ({why}), so it went to this folder."));
                }
            }
        }
        true
    }
}

/// Writes `daily` to `path` as a self-contained HTML page (its folder created if missing).
fn save_report(daily: &DailyReport, path: PathBuf) -> Result<PathBuf, SaveError> {
    let html = crate::report::Report::Day(Box::new(daily.clone())).render(crate::report::Format::Html);
    match path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, html)) {
        Ok(()) => Ok(path),
        Err(error) => Err(SaveError::Write { path, error }),
    }
}

fn colour(state: MinuteState) -> Color32 {
    let [r, g, b] = state.rgb();
    Color32::from_rgb(r, g, b)
}

/// The Report screen, in a centred column: the day picker and Export, the day's four key
/// numbers as tiles, the charts full width on one time axis, the day's averages, the rest of
/// the day's numbers, the trend and the coach's advice, each in a card. `limits` are the
/// verdict's limits for the calibration and settings in use, drawn on the day's average change
/// from upright (the same bars as Live). The screen follows the history: it is read again while
/// shown, so there is nothing to refresh.
pub fn report_panel(ui: &mut Ui, view: &mut ReportView, today: NaiveDate, limits: &Limits) -> Vec<UiCommand> {
    kit::centred(ui, theme::CONTENT_MAX_WIDTH, |ui| {
        let mut commands = Vec::new();
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Daily report").size(theme::TEXT_TITLE).strong());
            ui.add_space(theme::GRID);
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
            let exporting = view.exporting;
            if ui
                .add_enabled(
                    !exporting,
                    egui::Button::new(if exporting { "Exporting..." } else { "Export as HTML..." }),
                )
                .on_hover_text("Save this day's report as a web page, choosing where in your desktop's file chooser.")
                .clicked()
            {
                commands.push(UiCommand::SaveReport);
            }
        });
        export_outcome(ui, view, &mut commands);
        ui.add_space(theme::GRID);
        match &view.loaded {
            None => {
                ui.label("Reading the history...");
            }
            Some(Err(error)) => {
                kit::card(ui, |ui| ui.label(error.to_string()));
            }
            Some(Ok(daily)) => {
                day_section(ui, &daily.day, view.date == today, limits, daily.last_7_days.goal_upright_pct);
                kit::card(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        kit::card_title(ui, "Trend");
                        for days in [crate::report::WEEK_DAYS, crate::report::MONTH_DAYS] {
                            if ui.selectable_label(view.trend_days == days, format!("Last {days} days")).clicked() {
                                commands.push(UiCommand::ReportTrendDays(days));
                            }
                        }
                    });
                    let period = if view.trend_days == crate::report::WEEK_DAYS {
                        &daily.last_7_days
                    } else {
                        &daily.last_30_days
                    };
                    trend_section(ui, period);
                });
                if !daily.day.advice.is_empty() {
                    ui.add_space(theme::GRID);
                    kit::card(ui, |ui| {
                        kit::card_title(ui, "For the end of the day");
                        for line in &daily.day.advice {
                            ui.label(format!("- {}: {}", line.name, line.reason));
                        }
                    });
                }
            }
        }
        commands
    })
}

/// What came of the last export: where it was saved (with Open and Show folder), or why not.
fn export_outcome(ui: &mut Ui, view: &ReportView, commands: &mut Vec<UiCommand>) {
    match &view.saved {
        Some(Ok(path)) => {
            ui.horizontal_wrapped(|ui| {
                kit::state_icon(ui, kit::StateShape::Tick, theme::GOOD, theme::TEXT_BODY);
                ui.label(format!("Saved as {}", path.display()));
                if ui.button("Open").clicked() {
                    commands.push(UiCommand::OpenPath(path.clone()));
                }
                if let Some(folder) = path.parent()
                    && ui.button("Show folder").clicked()
                {
                    commands.push(UiCommand::OpenPath(folder.to_owned()));
                }
            });
            if let Some(note) = &view.export_note {
                ui.label(RichText::new(note).small().weak());
            }
        }
        Some(Err(error)) => {
            ui.horizontal_wrapped(|ui| {
                kit::state_icon(ui, kit::StateShape::Caution, theme::SLOUCHING, theme::TEXT_BODY);
                ui.label(error.to_string());
            });
        }
        None => {}
    }
}

/// One stat tile: a small label, the number large (with a sign beside it when it is judged
/// against the goal), a line under it.
struct Tile {
    label: &'static str,
    value: String,
    under: String,
    sign: Option<(kit::StateShape, Color32)>,
}

impl Tile {
    fn show(&self, ui: &mut Ui) {
        // Left-aligned: a column justifies what it holds, which spreads the words apart.
        ui.with_layout(egui::Layout::top_down(egui::Align::LEFT), |ui| self.card(ui));
    }

    fn card(&self, ui: &mut Ui) {
        kit::card(ui, |ui| {
            ui.label(RichText::new(self.label).small().weak());
            ui.horizontal(|ui| {
                if let Some((shape, colour)) = self.sign {
                    kit::state_icon(ui, shape, colour, theme::TEXT_TITLE);
                }
                ui.label(RichText::new(&self.value).size(theme::TEXT_DISPLAY).strong());
            });
            ui.label(RichText::new(&self.under).small().weak());
        });
    }
}

/// The day's four key numbers: the share upright against the goal, the time watched, the
/// warnings and the longest upright stretch. Four in a row when there is room, else two.
fn tiles(ui: &mut Ui, day: &DayReport, goal_pct: f64) {
    let met = day.upright_share.is_some_and(|share| share * 100.0 >= goal_pct);
    let upright_shape =
        if met { (kit::StateShape::Tick, theme::GOOD) } else { (kit::StateShape::Caution, theme::SLOUCHING) };
    let warnings_under = match (day.warnings_held_back, day.warnings_disputed) {
        (0, 0) => "none held back or disputed".to_owned(),
        (held, 0) => format!("{held} held back while you presented"),
        (0, disputed) => format!("{disputed} answered \"I'm sitting fine\""),
        (held, disputed) => format!("{held} held back, {disputed} disputed"),
    };
    let (longest, longest_under) = match &day.longest_upright {
        Some(stretch) => (duration_words(stretch.span_s), format!("{}-{}", stretch.from, stretch.to)),
        None => ("-".to_owned(), "no upright stretch yet".to_owned()),
    };
    let watched_under =
        format!("sitting {}, standing {}", duration_words(day.sitting_s), duration_words(day.standing_s));
    let upright_under = format!("{} upright, goal {goal_pct:.0}%", duration_words(day.upright_s));
    let all = [
        Tile { label: "Upright", value: percent(day.upright_share), under: upright_under, sign: Some(upright_shape) },
        Tile { label: "Watched", value: duration_words(day.monitored_s), under: watched_under, sign: None },
        Tile { label: "Warnings", value: day.warnings.to_string(), under: warnings_under, sign: None },
        Tile { label: "Longest upright", value: longest, under: longest_under, sign: None },
    ];
    let tile_width = theme::TILE_MIN_WIDTH + 2.0 * (theme::CARD_PADDING + 1.0);
    let per_row = if ui.available_width() >= 4.0 * tile_width + 3.0 * theme::GRID { 4 } else { 2 };
    for row in all.chunks(per_row) {
        ui.columns(per_row, |columns| {
            for (column, tile) in columns.iter_mut().zip(row) {
                tile.show(column);
            }
        });
    }
}

/// Room for the y axis of the day's charts, points: the same in both, so their hours line up.
const REPORT_Y_AXIS_WIDTH: f32 = 48.0;

/// Side of a legend's colour swatch, points.
const LEGEND_SWATCH: f32 = 12.0;

/// Legend entries under a chart: a colour swatch and the words in the text colour, so every
/// label reads on light and dark and none covers the data.
fn legend(ui: &mut Ui, entries: &[(Color32, &str)]) {
    ui.horizontal_wrapped(|ui| {
        for (fill, words) in entries {
            // Swatch and words move to the next line together, never split.
            let galley = egui::WidgetText::from(*words).into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            );
            let needed = LEGEND_SWATCH + ui.spacing().item_spacing.x + galley.size().x;
            if ui.available_size_before_wrap().x < needed {
                ui.end_row();
            }
            let (rect, _) = ui.allocate_exact_size(egui::vec2(LEGEND_SWATCH, LEGEND_SWATCH), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, *fill);
            ui.label(galley);
            ui.add_space(crate::ui::theme::GRID);
        }
    });
}

fn day_section(ui: &mut Ui, day: &DayReport, is_today: bool, limits: &Limits, goal_pct: f64) {
    if !day.has_data {
        kit::card(ui, |ui| {
            ui.label(if is_today {
                "Nothing recorded yet today. The report fills in minute by minute while slouchwatch watches."
            } else {
                "Nothing was recorded on this day."
            })
        });
        ui.add_space(theme::GRID);
        return;
    }
    tiles(ui, day, goal_pct);
    ui.add_space(theme::GRID);
    kit::card(ui, |ui| day_charts(ui, day));
    ui.add_space(theme::GRID);
    kit::card(ui, |ui| day_averages(ui, day, limits));
    ui.add_space(theme::GRID);
    kit::card(ui, |ui| day_details(ui, day));
    ui.add_space(theme::GRID);
}

/// The rest of the day's numbers (the tiles hold the four key ones), two pairs a row when wide.
fn day_details(ui: &mut Ui, day: &DayReport) {
    kit::card_title(ui, "More about the day");
    let figures: Vec<(&str, String)> = vec![
        ("Upright", format!("{} ({})", duration_words(day.upright_s), percent(day.upright_share))),
        ("Slouched", duration_words(day.slouched_s)),
        ("Not judged", duration_words(day.unclear_s)),
        ("Slouch episodes", day.episodes.to_string()),
        (
            "Worst hour",
            day.worst_hour
                .as_ref()
                .map(|w| format!("{:02}:00 ({} slouched)", w.hour, duration_words(w.slouched_s)))
                .unwrap_or_else(|| "-".into()),
        ),
        ("Away", format!("{} ({})", duration_words(day.away_s), count_words(day.breaks, "break", "breaks"))),
        ("In calls / camera used elsewhere", duration_words(day.in_calls_s)),
        ("Break reminders followed", format!("{} of {}", day.break_reminders_followed, day.break_reminders)),
        ("Stretches done", day.stretches_done.to_string()),
    ];
    // Two label-value pairs a row when there is room, one when narrow.
    let pairs_per_row = if ui.available_width() >= theme::WIDE_LAYOUT_MIN_WIDTH { 2 } else { 1 };
    egui::Grid::new("report numbers").num_columns(2 * pairs_per_row).spacing([3.0 * theme::GRID, theme::GRID]).show(
        ui,
        |ui| {
            for row in figures.chunks(pairs_per_row) {
                for (label, value) in row {
                    ui.label(*label);
                    ui.strong(value);
                }
                ui.end_row();
            }
        },
    );
    let problems: Vec<String> = crate::posture::Problem::ALL
        .iter()
        .filter(|problem| day.problem_s(**problem) > 0.0)
        .map(|problem| format!("{} {}", MinuteState::from(*problem).words(), duration_words(day.problem_s(*problem))))
        .collect();
    if !problems.is_empty() {
        ui.label(format!("Slouched by problem: {}", problems.join(", ")));
    }
}

/// The day's average change from upright, on the same bars as Live.
fn day_averages(ui: &mut Ui, day: &DayReport, limits: &Limits) {
    kit::card_title(ui, "Change from your upright posture, the day's average");
    if day.mean_head_change_deg.is_none() && day.mean_rounding_change_deg.is_none() {
        ui.label(RichText::new("Not measured: no calibrated minutes on this day.").weak());
    } else {
        let width = crate::ui::panels::bar_width(ui.available_width());
        egui::Grid::new("report measures").num_columns(3).spacing([8.0, 6.0]).show(ui, |ui| {
            let average = |problem, value: Option<f64>, limit, unit| {
                value.map(|value| Reading { problem, value: value as f32, limit, unit })
            };
            let head = average(Problem::ForwardHead, day.mean_head_change_deg, limits.forward_head_deg, Unit::Degrees);
            measure_row(ui, "Head forward", head.as_ref(), false, width);
            let rounding = average(
                Problem::RoundedShoulders,
                day.mean_rounding_change_deg,
                limits.shoulder_rounding_deg,
                Unit::Degrees,
            );
            measure_row(ui, "Shoulders rounded", rounding.as_ref(), false, width);
            // Only days the face mesh measured have it (from version 0.5).
            if day.mean_slump_change_pct.is_some() {
                let slump =
                    average(Problem::Slumped, day.mean_slump_change_pct, limits.chin_gap_shortening_pct, Unit::Percent);
                measure_row(ui, "Slumped low", slump.as_ref(), false, width);
            }
        });
    }
}

/// The day's timeline and its hour-by-hour bars, full width, on one shared time axis (the same
/// hours, the same room left for the y axis, the x axes linked), with light grid lines.
fn day_charts(ui: &mut Ui, day: &DayReport) {
    kit::card_title(ui, "The day");
    let grid = theme::grid_line(ui.visuals().dark_mode);
    let time_axis = egui::Id::unique("report time axis");
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
        .show_x(false)
        .show_grid([true, false])
        .grid_color(grid)
        .link_axis(time_axis, [true, false])
        .y_axis_min_width(REPORT_Y_AXIS_WIDTH)
        .y_axis_formatter(|_, _| String::new())
        .include_x(first_h)
        .include_x(last_h)
        .include_y(0.0)
        .include_y(1.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .x_axis_formatter(hour_label)
        .x_grid_spacer(steps_from(&HOUR_STEPS))
        .x_axis_label("time of day")
        .show(ui, |plot| {
            for state in MinuteState::ALL {
                let bars: Vec<Bar> = day
                    .timeline
                    .iter()
                    .filter(|segment| segment.state == state)
                    .map(|segment| {
                        let start = segment.start_min as f64 / 60.0;
                        let width = (segment.end_min - segment.start_min) as f64 / 60.0;
                        let minutes = (segment.end_min - segment.start_min) as f64 * 60.0;
                        Bar::new(start + width / 2.0, 1.0)
                            .width(width)
                            .fill(colour(state))
                            .stroke(egui::Stroke::NONE)
                            .name(format!(
                                "{}-{}: {} ({})",
                                segment.from,
                                segment.to,
                                state.words(),
                                duration_words(minutes)
                            ))
                    })
                    .collect();
                if !bars.is_empty() {
                    plot.bar_chart(
                        BarChart::new(state.words(), bars).color(colour(state)).element_formatter(bar_name()),
                    );
                }
            }
        });
    let shown: Vec<(Color32, &str)> = MinuteState::ALL
        .into_iter()
        .filter(|state| day.timeline.iter().any(|segment| segment.state == *state))
        .map(|state| (colour(state), state.words()))
        .collect();
    legend(ui, &shown);

    ui.add_space(theme::GRID);
    ui.label(RichText::new("Hour by hour").strong());
    let stack = [
        ("upright", MinuteState::Upright),
        ("slouched", MinuteState::SLOUCHED),
        ("not judged", MinuteState::Unclear),
        ("away", MinuteState::Away),
    ];
    Plot::new("report hours")
        .height(theme::REPORT_CHART_HEIGHT)
        .grid_color(grid)
        .link_axis(time_axis, [true, false])
        .y_axis_min_width(REPORT_Y_AXIS_WIDTH)
        .include_x(first_h)
        .include_x(last_h)
        .x_axis_formatter(hour_label)
        .x_grid_spacer(steps_from(&HOUR_STEPS))
        .x_axis_label("time of day")
        .y_axis_formatter(|mark, _| format!("{:.0}", mark.value.round() + 0.0))
        .y_grid_spacer(steps_from(&MINUTE_STEPS))
        .y_axis_label("minutes")
        .include_y(0.0)
        .include_y(60.0)
        .show_x(false)
        .show_y(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
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
                        Bar::new(hour.hour as f64 + 0.5, seconds / 60.0).width(0.8).fill(colour(state)).name(format!(
                            "{:02}:00-{:02}:00: {} {name}",
                            hour.hour,
                            hour.hour + 1,
                            duration_words(seconds)
                        ))
                    })
                    .collect();
                let below: Vec<&BarChart> = charts.iter().collect();
                let chart =
                    BarChart::new(name, bars).color(colour(state)).element_formatter(bar_name()).stack_on(&below);
                charts.push(chart);
            }
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
    legend(ui, &stack.map(|(name, state)| (colour(state), name)));
}

/// A bar's hover text: its name, which carries the units.
type BarText = Box<dyn Fn(&Bar, &BarChart) -> String>;

fn bar_name() -> BarText {
    Box::new(|bar, _| bar.name.clone())
}

/// Marks at steps taken from `candidates` (ascending, in axis units): the finest that leaves
/// room for grid lines, and the next two for labels, so a narrow chart labels every few hours
/// or days instead of one in ten.
fn steps_from(candidates: &'static [f64]) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    move |input: egui_plot::GridInput| {
        // A label needs about this many times the finest step egui would draw a line at.
        const LABEL_ROOM: f64 = 9.0;
        let label_step = candidates
            .iter()
            .copied()
            .find(|step| *step >= input.base_step_size * LABEL_ROOM)
            .unwrap_or(*candidates.last().unwrap_or(&1.0));
        let (min, max) = input.bounds;
        let mut marks = Vec::new();
        let mut value = (min / label_step).ceil() * label_step;
        while value <= max {
            marks.push(egui_plot::GridMark { value, step_size: label_step });
            value += label_step;
        }
        marks
    }
}

/// Steps for an axis of clock hours.
const HOUR_STEPS: [f64; 5] = [1.0, 2.0, 3.0, 6.0, 12.0];
/// Steps for an axis of minutes in an hour.
const MINUTE_STEPS: [f64; 4] = [10.0, 15.0, 30.0, 60.0];
/// Steps for an axis of days.
const DAY_STEPS: [f64; 4] = [1.0, 2.0, 7.0, 14.0];
/// Steps for an axis of percent.
const PERCENT_STEPS: [f64; 3] = [25.0, 50.0, 100.0];

/// Axis labels of hour charts: `09:00` at whole hours.
fn hour_label(mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    // (+ 0.0: a mark a hair below midnight is 00:00, not -0:00.)
    let hour = mark.value.round() + 0.0;
    if (mark.value - hour).abs() < 1e-6 && (0.0..=24.0).contains(&hour) {
        format!("{hour:02}:00")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_marks_read_as_clock_times_and_midnight_is_never_negative() {
        let label = |value: f64| hour_label(egui_plot::GridMark { value, step_size: 1.0 }, &(0.0..=24.0));
        assert_eq!(label(-1e-9), "00:00");
        assert_eq!(label(6.0), "06:00");
        assert_eq!(label(13.0), "13:00");
        assert_eq!(label(6.5), "");
        assert_eq!(label(-1.0), "");
    }
}
