//! The screens and cards of the window, as free functions: each draws from plain data and
//! returns what the user asked for as [`UiCommand`]s; the app applies them in one place.

use egui::{Color32, RichText, Ui};

use super::theme;

mod about;
mod settings;
pub use about::about_panel;
mod setups;
mod stretches;
mod wizard;
use crate::alerts::{AlertState, Severity};
use crate::coach::Entry;
use crate::engine::Snapshot;
use crate::files::settings::Settings;
use crate::pose::KeypointName;
use crate::posture::verdict::{Reading, Unit};
use crate::posture::{Calibration, CameraPlacement, Posture, Problem};
pub use settings::settings_panel;
pub use settings::settings_save_bar;
pub use setups::setups_section;
pub use stretches::{see_a_professional, stretch_card, stretch_under_way, stretches_panel};
use stretches::{timer_buttons, timer_words};
pub use wizard::{SetupChoice, WizardStep, WizardView, calibration_panel};

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum UiCommand {
    /// Switch screen.
    Show(Screen),
    /// Snooze warnings for this many minutes.
    SnoozeMinutes(i64),
    /// Snooze warnings until tomorrow (local midnight).
    SnoozeUntilTomorrow,
    /// Pause monitoring.
    Pause,
    /// Resume monitoring.
    Resume,
    /// End a snooze: warnings again from now.
    EndSnooze,
    /// The suggested stretch was done.
    StretchDone(String),
    /// The suggested stretch was declined for now.
    StretchNotNow(String),
    /// Start the hold timer of an entry.
    StartTimer(String),
    /// Stop the hold timer.
    StopTimer,
    /// Restart the engine (after camera trouble, or with another camera).
    Retry,
    /// Save the settings being edited and apply them.
    SaveSettings,
    /// Forget the settings being edited (back to those in force).
    DiscardSettings,
    /// Start (or not) slouchwatch at login.
    StartAtLogin(bool),
    /// Show or hide the camera picture (monitoring goes on either way).
    ShowCameraImage(bool),
    /// Show or hide the suggested stretch's card in the warning.
    ToggleStretchCard,
    /// Begin the calibration countdown.
    StartCalibration,
    /// Stop a calibration under way.
    CancelCalibration,
    /// Put back the calibration that the one just measured (and saved) replaced.
    KeepEarlierCalibration,
    /// Measure again.
    RetryCalibration,
    /// Show the report of this day (reloading it).
    ReportDay(chrono::NaiveDate),
    /// Show the trend over this many days.
    ReportTrendDays(u32),
    /// Save the report shown as an HTML file.
    SaveReport,
    /// Open a file or folder with the desktop's default program.
    OpenPath(std::path::PathBuf),
    /// "I'm sitting fine": the warning was wrong for this person.
    Dispute,
    /// Open the wizard to calibrate the setup of this name (a new one when there is none).
    CalibrateSetup {
        /// The setup's name.
        name: String,
        /// Whether it is a standing setup.
        standing: bool,
    },
    /// Back to the default limit of one problem (or all) in a setup.
    ResetLimits {
        /// The setup's name.
        setup: String,
        /// The problem, or `None` for all.
        problem: Option<Problem>,
    },
    /// Remove a setup.
    RemoveSetup(String),
    /// The wizard's setup name or standing box was changed.
    ChooseSetup(SetupChoice),
}

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Screen {
    /// Live view and status.
    Live,
    /// The calibration wizard.
    Calibration,
    /// The stretch catalog.
    Stretches,
    /// Settings.
    Settings,
    /// The daily report.
    Report,
    /// About, disclaimer, when to see a professional.
    About,
}

impl From<crate::control::WindowRequest> for Screen {
    /// The screen a request from outside opens.
    fn from(request: crate::control::WindowRequest) -> Screen {
        match request {
            crate::control::WindowRequest::Live => Screen::Live,
            crate::control::WindowRequest::Calibration => Screen::Calibration,
            crate::control::WindowRequest::Report => Screen::Report,
        }
    }
}

impl Screen {
    /// What to ask a running slouchwatch for to show this screen (the live view for those
    /// that cannot be asked for).
    pub fn request(self) -> crate::control::WindowRequest {
        match self {
            Screen::Calibration => crate::control::WindowRequest::Calibration,
            Screen::Report => crate::control::WindowRequest::Report,
            _ => crate::control::WindowRequest::Live,
        }
    }
}

/// The warning the engine raised, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningView {
    /// What is wrong.
    pub problems: Vec<Problem>,
    /// How strong.
    pub severity: Severity,
    /// The coach's suggestion.
    pub suggestion: Option<Entry>,
}

/// The plain-words sentence for a warning, with the numbers of `readings` (the latest judged
/// frame's, the ones its bars draw) where a number helps.
pub fn warning_message(problems: &[Problem], readings: &[Reading]) -> String {
    let degrees = |problem: Problem| {
        readings.iter().find(|r| r.problem == problem && r.unit == Unit::Degrees).map(|r| r.value.max(0.0))
    };
    let sentences: Vec<String> = problems
        .iter()
        .map(|problem| match problem {
            Problem::ForwardHead => match degrees(Problem::ForwardHead) {
                Some(drift) => format!("Your head has drifted about {drift:.0} degrees forward."),
                None => "Your head has drifted forward of your shoulders.".to_owned(),
            },
            Problem::RoundedShoulders => "Your shoulders have rounded forward.".to_owned(),
            Problem::ShouldersRaised => "Your shoulders have crept up toward your ears.".to_owned(),
            Problem::Leaning => "You are leaning to one side.".to_owned(),
            Problem::TooClose => "You have moved close to the screen.".to_owned(),
            Problem::HeadDown => "Your head has been tipped down toward the screen for a while.".to_owned(),
        })
        .collect();
    sentences.join(" ")
}

/// The status line for the current state. Only a judged frame that matches the calibration is
/// "good posture": not calibrated, not judged and snoozed each say so.
pub fn status_text(
    state: Option<AlertState>,
    snapshot: Option<&Snapshot>,
    camera_problem: Option<&str>,
    calibrated: bool,
) -> (String, Color32) {
    if let Some(problem) = camera_problem {
        return (format!("No camera: {problem}"), theme::NEUTRAL);
    }
    // While paused nothing is analysed, so the last picture check says nothing about now.
    if let Some(advice) = snapshot.and_then(|snapshot| snapshot.picture.advice())
        && state != Some(AlertState::Paused)
    {
        return (capitalised(advice), theme::NEUTRAL);
    }
    let assessment = snapshot.and_then(|snapshot| snapshot.assessment.as_ref());
    let problems = assessment
        .map(|assessment| assessment.problems.iter().map(|p| p.words()).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    let slouching = |colour| match problems.as_str() {
        "" => ("Slouching".to_owned(), colour),
        problems => (format!("Slouching: {problems}"), colour),
    };
    let person = snapshot.and_then(|s| s.pose.as_ref()).is_some_and(|pose| pose.person_in_view());
    match state {
        None => ("Starting...".into(), theme::NEUTRAL),
        Some(AlertState::Good) => match assessment.map(|a| a.posture) {
            Some(Posture::Good) => ("Good posture".into(), theme::GOOD),
            Some(Posture::Bad) => slouching(theme::SLOUCHING),
            _ if snapshot.is_some_and(|s| s.no_setup_fits) => {
                ("Not judged: none of your setups fits where you are".into(), theme::SLOUCHING)
            }
            _ if !calibrated && person => ("Not calibrated: posture is not judged yet".into(), theme::NEUTRAL),
            _ if person => ("Cannot see you clearly: posture is not judged".into(), theme::NEUTRAL),
            _ => ("Looking for you...".into(), theme::NEUTRAL),
        },
        Some(AlertState::Slouching) => slouching(theme::SLOUCHING),
        Some(AlertState::Warning) => slouching(theme::WARNING),
        Some(AlertState::Away) => ("Away".into(), theme::NEUTRAL),
        Some(AlertState::Paused) => {
            let until = snapshot
                .and_then(|s| s.paused_until)
                .map(|until| format!(" until {}", until.with_timezone(&chrono::Local).format("%H:%M")))
                .unwrap_or_default();
            // A closed camera sends no frame, so the snapshot has no picture size.
            let camera_off = snapshot.is_some_and(|s| s.frame_size == (0, 0));
            let what = if camera_off { "the camera is off" } else { "the camera picture is not looked at" };
            (format!("Paused{until}: {what}"), theme::NEUTRAL)
        }
        Some(AlertState::Snoozed) => match snapshot.and_then(|s| s.snoozed_until) {
            Some(until) => (
                format!("Warnings snoozed until {}", until.with_timezone(&chrono::Local).format("%H:%M")),
                theme::NEUTRAL,
            ),
            None => ("Warnings snoozed".into(), theme::NEUTRAL),
        },
        Some(AlertState::Recalibrate) if snapshot.is_some_and(|s| s.no_setup_fits) => {
            ("Not judged: none of your setups fits where you are".into(), theme::SLOUCHING)
        }
        Some(AlertState::Recalibrate) => {
            ("You moved since calibrating: recalibrate to be judged again".into(), theme::SLOUCHING)
        }
        Some(AlertState::Disputed) => {
            ("You said you are sitting fine: no warning for this slouch".into(), theme::NEUTRAL)
        }
    }
}

/// Today's totals in words: time upright is only what was judged upright; the rest is said as
/// what it was.
pub fn today_words(today: &crate::engine::DayTotals) -> String {
    let minutes = |seconds: f64| match seconds {
        0.0 => "0 min".to_owned(),
        seconds if seconds < 60.0 => "under 1 min".to_owned(),
        seconds => format!("{} min", (seconds / 60.0).round()),
    };
    let mut text = format!("Today: {} at the desk", minutes(today.monitored_s));
    if today.monitored_s > 0.0 && today.upright_s + today.slouched_s == 0.0 {
        // Nothing judged: no share upright to give, not even 0%.
        text += ", none of it judged yet";
    } else if today.monitored_s > 0.0 {
        let share = 100.0 * today.upright_s / today.monitored_s;
        text +=
            &format!(", {} upright ({share:.0}%), {} slouching", minutes(today.upright_s), minutes(today.slouched_s));
        if today.not_judged_s() >= 30.0 {
            text += &format!(", {} not judged", minutes(today.not_judged_s()));
        }
    }
    let warnings = match today.warnings {
        0 => "no warnings".to_owned(),
        n => crate::report::count_words(n, "warning", "warnings"),
    };
    format!("{text}; {warnings}")
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// One row of the measures grid: the name, a bar that is full at twice the limit with the limit
/// marked across it at the middle (its colour says which side of the limit the value is, and a
/// problem being warned about is drawn over it), and the value against the limit beside it,
/// never on the fill. All bars start on one line.
pub(crate) fn measure_row(ui: &mut Ui, label: &str, reading: Option<&Reading>, warned: bool) {
    ui.label(label);
    match reading {
        Some(reading) => {
            let fraction = (reading.value.max(0.0) / (2.0 * reading.limit)).clamp(0.0, 1.0);
            limit_bar(ui, Some((fraction, bar_colour(reading, warned))));
            ui.label(measure_words(reading, warned));
        }
        None => {
            limit_bar(ui, None);
            ui.weak("not judged");
        }
    }
    ui.end_row();
}

/// A measure's bar: the track, the filled part, and the limit as a line across the middle.
fn limit_bar(ui: &mut Ui, fill: Option<(f32, egui::Color32)>) {
    let size = egui::vec2(theme::MEASURE_BAR_WIDTH, theme::MEASURE_BAR_HEIGHT);
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let painter = ui.painter();
    let visuals = ui.visuals();
    painter.rect_filled(rect, 2.0, visuals.widgets.inactive.bg_fill);
    if let Some((fraction, colour)) = fill {
        let filled = egui::Rect::from_min_size(rect.min, egui::vec2(rect.width() * fraction, rect.height()));
        painter.rect_filled(filled, 2.0, colour);
    }
    let limit_x = rect.center().x;
    painter.line_segment(
        [egui::pos2(limit_x, rect.top() - 2.0), egui::pos2(limit_x, rect.bottom() + 2.0)],
        egui::Stroke::new(2.0, visuals.text_color()),
    );
}

/// A measure's bar colour: over its limit, or the problem of the warning standing, is drawn as over.
fn bar_colour(reading: &Reading, warned: bool) -> egui::Color32 {
    if reading.over() || warned { theme::GAUGE_OVER } else { theme::GAUGE_OK }
}

/// A measure's value against its limit, in the same rounding as the warning's sentence.
fn measure_words(reading: &Reading, warned: bool) -> String {
    let (value, limit, unit) = (reading.value.max(0.0), reading.limit, reading.unit.sign());
    if warned && !reading.over() {
        // The warning stands until the better posture has held; the number says it is easing.
        format!("{value:.0}{unit} (back under {limit:.0}{unit}: hold it)")
    } else {
        format!("{value:.0}{unit} (warns past {limit:.0}{unit})")
    }
}

/// The status once a replayed folder has played to its end.
pub const REPLAY_ENDED: &str = "The replay has ended: there are no more pictures to watch";

/// What the live screen shows besides the latest snapshot.
pub struct LiveView<'a> {
    /// The latest snapshot.
    pub snapshot: Option<&'a Snapshot>,
    /// The camera picture, uploaded.
    pub texture: Option<&'a egui::TextureHandle>,
    /// The calibration in use.
    pub calibration: Option<&'a Calibration>,
    /// The settings in force.
    pub settings: &'a Settings,
    /// The problems of the warning standing (their bars are drawn over the limit).
    pub warned: &'a [Problem],
    /// Why there is no camera, if there is none.
    pub camera_problem: Option<&'a str>,
    /// A short acknowledgement to show (e.g. after Done).
    pub acknowledgement: Option<&'a str>,
    /// A stretch timer running while its card is not shown, and its elapsed seconds.
    pub timer: Option<(&'a Entry, f64)>,
    /// The source has ended (a replayed folder played to its last picture): nothing more comes.
    pub source_ended: bool,
}

/// The live screen: status, a fixed line for passing notes, then the camera picture beside the
/// measures and today's totals when the window is wide, or above them when it is narrow.
pub fn live_panel(ui: &mut Ui, view: &LiveView) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    let LiveView { snapshot, texture, calibration, settings, camera_problem, .. } = *view;
    let (text, colour) = if view.source_ended && camera_problem.is_none() {
        // The last picture's verdict is not news of the person: the replay has stopped.
        (REPLAY_ENDED.to_owned(), theme::NEUTRAL)
    } else {
        status_text(snapshot.map(|s| s.alert_state), snapshot, camera_problem, calibration.is_some())
    };
    ui.label(RichText::new(text).size(theme::STATUS_TEXT_SIZE).color(colour).strong());
    if camera_problem.is_some() {
        ui.label("Check that the camera is connected and that no other program (a video call?) is using it.");
        if ui.button("Retry").clicked() {
            commands.push(UiCommand::Retry);
        }
        ui.label("To use another camera, choose it under Settings.");
        return commands;
    }
    // One line that is always there, so passing notes never move the screen.
    ui.horizontal_wrapped(|ui| {
        if let Some(note) = view.acknowledgement {
            ui.colored_label(theme::GOOD, note);
        } else if let Some(snapshot) = snapshot.filter(|snapshot| snapshot.no_setup_fits) {
            // Asked, not judged: where the person sits now fits none of their setups.
            ui.label("Which setup is this? None of yours fits where you are, so nothing is judged.");
            if let Some(setup) = &snapshot.setup
                && ui.button(format!("Recalibrate {}", setup.name)).clicked()
            {
                commands.push(UiCommand::CalibrateSetup { name: setup.name.clone(), standing: setup.standing });
            }
            if ui.button("Add a setup...").clicked() {
                commands.push(UiCommand::Show(Screen::Settings));
            }
        } else if calibration.is_none() {
            ui.label("Calibrate once so slouchwatch knows your upright posture.");
            if ui.button("Calibrate now").clicked() {
                commands.push(UiCommand::Show(Screen::Calibration));
            }
        } else {
            ui.label(" ");
        }
    });
    if let Some((entry, elapsed)) = view.timer {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{}: {}", entry.name, timer_words(entry, elapsed)));
            commands.extend(timer_buttons(ui, entry, elapsed));
        });
    }

    let picture = |ui: &mut Ui, commands: &mut Vec<UiCommand>| {
        let mut show_image = settings.show_camera_image;
        if ui.checkbox(&mut show_image, "Show camera picture").changed() {
            commands.push(UiCommand::ShowCameraImage(show_image));
        }
        let camera_off = snapshot.is_some_and(|s| s.frame_size == (0, 0));
        if camera_off {
            ui.weak("The camera is off while monitoring is paused.");
        } else if let (Some(snapshot), Some(texture), true) = (snapshot, texture, settings.show_camera_image) {
            picture_with_pose(ui, texture, snapshot, theme::LIVE_IMAGE_MAX_WIDTH);
        } else if !settings.show_camera_image {
            ui.weak("Camera picture hidden. Monitoring goes on.");
        }
    };
    let numbers = |ui: &mut Ui| {
        measures(ui, snapshot, calibration, settings, view.warned);
        ui.separator();
        let today = snapshot.map(|snapshot| snapshot.today.clone()).unwrap_or_default();
        ui.label(today_words(&today));
    };
    if ui.available_width() >= theme::WIDE_LAYOUT_MIN_WIDTH {
        ui.columns(2, |columns| {
            // Columns justify (stretch) what they hold: the picture must keep its own size for
            // the keypoints to land on it, and wrapped text reads better left-aligned.
            let left = egui::Layout::top_down(egui::Align::LEFT);
            columns[0].with_layout(left, |ui| picture(ui, &mut commands));
            columns[1].with_layout(left, numbers);
        });
    } else if view.warned.is_empty() {
        picture(ui, &mut commands);
        numbers(ui);
    } else {
        // Narrow and warned: the bars the warning names come first, in sight with it.
        numbers(ui);
        ui.separator();
        picture(ui, &mut commands);
    }
    commands
}

/// What the latest frame's problems were judged on, when it was judged against a setup that
/// fits (measured against one that does not, the changes mean nothing).
pub fn judged_readings(snapshot: &Snapshot) -> Vec<Reading> {
    match &snapshot.assessment {
        Some(assessment) if !snapshot.no_setup_fits && assessment.calibration_stale.is_none() => {
            assessment.readings.clone()
        }
        _ => Vec::new(),
    }
}

/// The rows of the measures grid: each problem the verdict judges from this camera placement.
fn measure_rows(placement: CameraPlacement, settings: &Settings) -> Vec<(Problem, &'static str)> {
    let mut rows = vec![(Problem::ForwardHead, "Head forward")];
    if !settings.posture_settings().ignore_head_down {
        rows.push((Problem::HeadDown, "Head down"));
    }
    rows.push((Problem::RoundedShoulders, "Shoulders rounded"));
    if placement == CameraPlacement::Front {
        rows.push((Problem::ShouldersRaised, "Shoulders raised"));
        rows.push((Problem::Leaning, "Leaning sideways"));
    }
    // From the front, how much nearer than at calibration; from the side, the trunk leaning in.
    let closer = if placement == CameraPlacement::Front { "Closer to the screen" } else { "Leaning in" };
    rows.push((Problem::TooClose, closer));
    rows
}

/// The measures against the limits the verdict warns at, as the verdict judged them (this
/// setup's spread, disputes and the sensitivity included): the same numbers as the warning's.
fn measures(
    ui: &mut Ui,
    snapshot: Option<&Snapshot>,
    calibration: Option<&Calibration>,
    settings: &Settings,
    warned: &[Problem],
) {
    let readings = snapshot.map(judged_readings).unwrap_or_default();
    let placement = calibration
        .map(|c| c.placement)
        .or_else(|| snapshot.and_then(|s| s.assessment.as_ref()).and_then(|a| a.placement))
        .unwrap_or(CameraPlacement::Front);
    ui.label(RichText::new("Change from your upright posture").strong());
    egui::Grid::new("measures").num_columns(3).spacing([8.0, 6.0]).show(ui, |ui| {
        for (problem, label) in measure_rows(placement, settings) {
            let reading = readings.iter().find(|reading| reading.problem == problem);
            measure_row(ui, label, reading, warned.contains(&problem));
        }
    });
}

/// The camera picture, at most `max_width` wide, with the keypoints drawn over it.
fn picture_with_pose(ui: &mut Ui, texture: &egui::TextureHandle, snapshot: &Snapshot, max_width: f32) {
    let (width, height) = (snapshot.frame_size.0 as f32, snapshot.frame_size.1 as f32);
    // Never taller than a share of the window, so what follows stays in sight.
    let max_height = ui.ctx().content_rect().height() * theme::PICTURE_MAX_HEIGHT_SHARE;
    let display_width = max_width.min(ui.available_width()).min(max_height * width / height.max(1.0));
    let size = egui::vec2(display_width, display_width * height / width.max(1.0));
    let response = ui.add(egui::Image::new((texture.id(), size)));
    // The picture's own rectangle, whatever room the layout gave the widget.
    let picture = egui::Rect::from_min_size(response.rect.min, size);
    if let Some(pose) = &snapshot.pose {
        draw_overlay(ui, picture, snapshot.frame_size, pose);
    }
}

fn draw_overlay(ui: &Ui, rect: egui::Rect, frame_size: (u32, u32), pose: &crate::pose::Pose) {
    let painter = ui.painter_at(rect);
    let (width, height) = (frame_size.0 as f32, frame_size.1 as f32);
    // A joint the model placed outside the picture (guessed) is not drawn, nor its lines.
    let to_screen = |name: KeypointName| {
        pose.confident(name).filter(|k| (0.0..=width).contains(&k.x) && (0.0..=height).contains(&k.y)).map(|k| {
            egui::pos2(
                rect.min.x + k.x / frame_size.0 as f32 * rect.width(),
                rect.min.y + k.y / frame_size.1 as f32 * rect.height(),
            )
        })
    };
    let stroke = egui::Stroke::new(theme::OVERLAY_LINE_WIDTH, theme::OVERLAY);
    for (a, b) in [
        (KeypointName::LeftShoulder, KeypointName::RightShoulder),
        (KeypointName::LeftEar, KeypointName::RightEar),
        (KeypointName::LeftEar, KeypointName::LeftShoulder),
        (KeypointName::RightEar, KeypointName::RightShoulder),
    ] {
        if let (Some(a), Some(b)) = (to_screen(a), to_screen(b)) {
            painter.line_segment([a, b], stroke);
        }
    }
    for name in KeypointName::UPPER_BODY {
        if let Some(point) = to_screen(name) {
            painter.circle_filled(point, theme::KEYPOINT_RADIUS, theme::OVERLAY);
        }
    }
}

/// The warning banner: what is wrong in words, the suggested stretch by name, and the answers,
/// compact enough to leave the live view in sight. The stretch's card opens on demand.
pub fn warning_panel(
    ui: &mut Ui,
    warning: &WarningView,
    readings: &[Reading],
    show_card: bool,
    timer_elapsed_s: Option<f64>,
) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    egui::Frame::new()
        .stroke(egui::Stroke::new(theme::warning_frame_width(warning.severity), theme::WARNING))
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.label(RichText::new("Time to sit up").size(theme::WARNING_TITLE_SIZE).color(theme::WARNING).strong());
            ui.label(warning_message(&warning.problems, readings));
            ui.horizontal_wrapped(|ui| {
                if let Some(entry) = &warning.suggestion {
                    ui.label(format!("Try: {}.", entry.name));
                    let toggle = if show_card { "Hide stretch" } else { "Show stretch" };
                    if ui.button(toggle).clicked() {
                        commands.push(UiCommand::ToggleStretchCard);
                    }
                    if ui.button("Done").clicked() {
                        commands.push(UiCommand::StretchDone(entry.id.clone()));
                    }
                    if ui.button("Not now").clicked() {
                        commands.push(UiCommand::StretchNotNow(entry.id.clone()));
                    }
                }
                if ui
                    .button("I'm sitting fine")
                    .on_hover_text(
                        "Tell slouchwatch this warning was wrong for you. After a few of the same problem, its limit \
                         for this setup widens a step (see Settings).",
                    )
                    .clicked()
                {
                    commands.push(UiCommand::Dispute);
                }
                ui.menu_button("Snooze", |ui| {
                    if ui.button("15 minutes").clicked() {
                        commands.push(UiCommand::SnoozeMinutes(15));
                    }
                    if ui.button("1 hour").clicked() {
                        commands.push(UiCommand::SnoozeMinutes(60));
                    }
                    if ui.button("Until tomorrow").clicked() {
                        commands.push(UiCommand::SnoozeUntilTomorrow);
                    }
                });
            });
            if let (Some(entry), true) = (&warning.suggestion, show_card) {
                commands.extend(stretch_card(ui, entry, timer_elapsed_s));
            }
        });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forward(value: f32, unit: Unit) -> Reading {
        Reading { problem: Problem::ForwardHead, value, limit: 12.0, unit }
    }

    /// The banner and the bar read one number: 15.6 degrees is 16 in both, and the bar of the
    /// problem warned about is red even as the value eases back under its limit.
    #[test]
    fn the_banner_and_the_bar_say_the_same_number_and_a_warned_bar_is_red() {
        let over = forward(15.6, Unit::Degrees);
        let banner = warning_message(&[Problem::ForwardHead], &[over]);
        assert!(banner.contains("about 16 degrees"), "{banner}");
        assert_eq!(measure_words(&over, true), "16° (warns past 12°)");
        assert_eq!(bar_colour(&over, true), theme::GAUGE_OVER);
        assert_eq!(bar_colour(&over, false), theme::GAUGE_OVER);

        let easing = forward(11.0, Unit::Degrees);
        assert_eq!(bar_colour(&easing, true), theme::GAUGE_OVER, "warned: drawn as over");
        assert_eq!(measure_words(&easing, true), "11° (back under 12°: hold it)");
        assert_eq!(bar_colour(&easing, false), theme::GAUGE_OK);
        assert_eq!(measure_words(&easing, false), "11° (warns past 12°)");
    }

    #[test]
    fn warning_messages_are_plain_words() {
        assert_eq!(
            warning_message(&[Problem::ForwardHead], &[forward(12.4, Unit::Degrees)]),
            "Your head has drifted about 12 degrees forward."
        );
        // Judged on the neck's shortening (percent), no number of degrees is made up.
        assert_eq!(
            warning_message(&[Problem::ForwardHead], &[forward(30.0, Unit::Percent)]),
            "Your head has drifted forward of your shoulders."
        );
        let both = warning_message(&[Problem::RoundedShoulders, Problem::TooClose], &[]);
        assert_eq!(both, "Your shoulders have rounded forward. You have moved close to the screen.");
    }

    #[test]
    fn an_unreadable_picture_says_what_to_do_instead_of_a_verdict() {
        use crate::engine::picture::Picture;
        let mut snapshot = Snapshot {
            time: chrono::Utc::now(),
            frame_size: (640, 480),
            pose: None,
            assessment: None,
            held: false,
            alert_state: AlertState::Good,
            picture: Picture::TooDark,
            preview: None,
            today: Default::default(),
            snoozed_until: None,
            paused_until: None,
            setup: None,
            no_setup_fits: false,
        };
        let (text, _) = status_text(Some(AlertState::Good), Some(&snapshot), None, true);
        assert!(text.starts_with("Too dark to see you: turn on a light"), "{text}");
        let paused = status_text(Some(AlertState::Paused), Some(&snapshot), None, true).0;
        assert!(paused.starts_with("Paused"), "{paused}");
        snapshot.picture = Picture::Usable;
        let (lost, _) = status_text(Some(AlertState::Good), Some(&snapshot), Some("unplugged"), true);
        assert_eq!(lost, "No camera: unplugged");
    }

    #[test]
    fn only_a_judged_upright_frame_is_good_posture() {
        use crate::engine::picture::Picture;
        use crate::pose::{KEYPOINT_COUNT, Keypoint, Pose};
        use crate::posture::Assessment;
        let person = Pose { keypoints: [Keypoint { x: 100.0, y: 100.0, score: 0.9 }; KEYPOINT_COUNT] };
        let assessed = |posture: Posture, problems: Vec<Problem>| Snapshot {
            time: chrono::Utc::now(),
            frame_size: (640, 480),
            pose: Some(person.clone()),
            assessment: Some(Assessment {
                placement: Some(CameraPlacement::Front),
                metrics: Default::default(),
                posture,
                problems,
                excess: 0.0,
                readings: Vec::new(),
                calibration_stale: None,
            }),
            held: false,
            alert_state: AlertState::Good,
            picture: Picture::Usable,
            preview: None,
            today: Default::default(),
            snoozed_until: None,
            paused_until: None,
            setup: None,
            no_setup_fits: false,
        };
        let good = assessed(Posture::Good, vec![]);
        assert_eq!(status_text(Some(AlertState::Good), Some(&good), None, true), ("Good posture".into(), theme::GOOD));
        let unjudged = assessed(Posture::Unknown, vec![]);
        let (text, colour) = status_text(Some(AlertState::Good), Some(&unjudged), None, false);
        assert!(text.starts_with("Not calibrated"), "{text}");
        assert_ne!(colour, theme::GOOD, "never green when not judged");
        let (text, _) = status_text(Some(AlertState::Good), Some(&unjudged), None, true);
        assert!(text.starts_with("Cannot see you clearly"), "{text}");
        // A slouch state with no problem in the latest frame never shows an empty reason.
        assert_eq!(status_text(Some(AlertState::Slouching), Some(&unjudged), None, true).0, "Slouching");
        let bad = assessed(Posture::Bad, vec![Problem::HeadDown]);
        assert_eq!(status_text(Some(AlertState::Warning), Some(&bad), None, true).0, "Slouching: head down");
        let until = chrono::Utc::now() + chrono::TimeDelta::minutes(30);
        let snoozed = Snapshot { snoozed_until: Some(until), ..good };
        let expected = format!("Warnings snoozed until {}", until.with_timezone(&chrono::Local).format("%H:%M"));
        assert_eq!(status_text(Some(AlertState::Snoozed), Some(&snoozed), None, true).0, expected);
        // Where no setup fits (or none is for this camera) it is asked, never "not calibrated"
        // or green, in the window and on the bus (the tray's words) alike.
        let unfitted = Snapshot { no_setup_fits: true, ..unjudged };
        for state in [AlertState::Good, AlertState::Recalibrate] {
            let (text, colour) = status_text(Some(state), Some(&unfitted), None, false);
            assert_eq!(text, "Not judged: none of your setups fits where you are", "{state:?}");
            assert_ne!(colour, theme::GOOD);
            let bus = crate::control::status_of(&Snapshot { alert_state: state, ..unfitted.clone() }, false);
            assert_eq!(bus.state, "recalibrate");
            assert!(bus.words.contains("None of your setups fits"), "{}", bus.words);
        }
        let disputed = Snapshot { alert_state: AlertState::Disputed, ..bad };
        assert!(status_text(Some(AlertState::Disputed), Some(&disputed), None, true).0.contains("sitting fine"));
        assert_eq!(crate::control::status_of(&disputed, true).state, "disputed");
    }

    #[test]
    fn today_counts_only_judged_upright_time_as_upright() {
        let today =
            crate::engine::DayTotals { day: None, monitored_s: 600.0, upright_s: 0.0, slouched_s: 0.0, warnings: 1 };
        assert_eq!(today_words(&today), "Today: 10 min at the desk, none of it judged yet; 1 warning");
        let judged = crate::engine::DayTotals { upright_s: 120.0, slouched_s: 60.0, warnings: 2, ..today };
        assert_eq!(
            today_words(&judged),
            "Today: 10 min at the desk, 2 min upright (20%), 1 min slouching, 7 min not judged; 2 warnings"
        );
        assert_eq!(today_words(&Default::default()), "Today: 0 min at the desk; no warnings");
    }
}
