//! The live screen: the status line, a line for passing notes, the camera picture with the
//! keypoints, the measures against their limits and today's totals.

use egui::{RichText, Ui};

use super::status::{status_text, today_words};
use super::stretches::{timer_buttons, timer_words};
use super::{Screen, UiCommand};
use crate::coach::Entry;
use crate::engine::Snapshot;
use crate::pose::KeypointName;
use crate::posture::verdict::Reading;
use crate::posture::{Calibration, CameraPlacement, Problem};
use crate::settings::Settings;
use crate::ui::theme;

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
pub(super) fn bar_colour(reading: &Reading, warned: bool) -> egui::Color32 {
    if reading.over() || warned { theme::GAUGE_OVER } else { theme::GAUGE_OK }
}

/// A measure's value against its limit, in the same rounding as the warning's sentence.
pub(super) fn measure_words(reading: &Reading, warned: bool) -> String {
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
        status_text(snapshot, camera_problem, calibration.is_some())
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
        if let Some(other) = snapshot.and_then(|s| s.in_use_elsewhere.as_ref()) {
            let why = match other.uses {
                crate::engine::OtherUse::Camera => format!("while {} uses it", other.program),
                crate::engine::OtherUse::Microphone => {
                    format!("while {} records from a microphone (a call?)", other.program)
                }
            };
            ui.weak(format!(
                "The camera is off {why}. Monitoring resumes by itself {} seconds after that ends.",
                crate::engine::yielding::YIELD_GRACE_S
            ));
        } else if camera_off {
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
pub(super) fn picture_with_pose(ui: &mut Ui, texture: &egui::TextureHandle, snapshot: &Snapshot, max_width: f32) {
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
