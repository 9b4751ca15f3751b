//! The live screen: the status card (state, why, today's ring) or the warning in its place,
//! the camera picture with the keypoints, the measures against their limits and today's totals.

use egui::{RichText, Ui};

use super::kit::{self, StateShape};
use super::status::{status_look, today_words};
use super::warning::{WarningView, warning_card};
use super::{Screen, UiCommand};
use crate::engine::status::MonitorState;
use crate::engine::{DayTotals, Snapshot};
use crate::pose::KeypointName;
use crate::posture::verdict::Reading;
use crate::posture::{Calibration, CameraPlacement, Problem};
use crate::settings::Settings;
use crate::ui::theme;

/// One row of the measures grid: the name, a bar that is full at twice the limit with the limit
/// marked across it at the middle (its colour says which side of the limit the value is, and a
/// problem being warned about is drawn over it), and the value against the limit beside it,
/// never on the fill. All bars start on one line.
pub(crate) fn measure_row(ui: &mut Ui, label: &str, reading: Option<&Reading>, warned: bool, bar_width: f32) {
    ui.label(label);
    match reading {
        Some(reading) => {
            let fraction = (reading.value.max(0.0) / (2.0 * reading.limit)).clamp(0.0, 1.0);
            limit_bar(ui, bar_width, Some((fraction, bar_colour(reading, warned))));
            ui.label(measure_words(reading, warned));
        }
        None => {
            limit_bar(ui, bar_width, None);
            ui.weak("not judged");
        }
    }
    ui.end_row();
}

/// How wide the measures' bars are drawn in a column `available` points wide: as wide as the
/// room left beside the names and the words allows, within bounds.
pub(crate) fn bar_width(available: f32) -> f32 {
    (available - 2.0 * theme::BAR_SIDE_ROOM).clamp(theme::MEASURE_BAR_WIDTH, theme::MEASURE_BAR_MAX_WIDTH)
}

/// A measure's bar: the track, the filled part, and the limit as a line across the middle.
fn limit_bar(ui: &mut Ui, width: f32, fill: Option<(f32, egui::Color32)>) {
    let size = egui::vec2(width, theme::MEASURE_BAR_HEIGHT);
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
        egui::Stroke::new(theme::MARK_WIDTH, visuals.text_color()),
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
    } else if reading.over() {
        // Said in words too, not by the red alone.
        format!("{value:.0}{unit} (over the {limit:.0}{unit} limit)")
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
    /// The warning standing, and how long the slouch behind it has lasted, seconds: it takes
    /// the status card's place.
    pub warning: Option<(&'a WarningView, f64)>,
    /// Why there is no camera, if there is none.
    pub camera_problem: Option<&'a str>,
    /// A short acknowledgement to show (e.g. after Done).
    pub acknowledgement: Option<&'a str>,
    /// The source has ended (a replayed folder played to its last picture): nothing more comes.
    pub source_ended: bool,
}

impl LiveView<'_> {
    /// The problems of the warning standing (their bars are drawn over the limit).
    fn warned(&self) -> &[Problem] {
        self.warning.map(|(warning, _)| warning.problems.as_slice()).unwrap_or_default()
    }
}

/// The live screen, in a centred column: the status card (or the warning in its place, so
/// nothing below moves), then the camera picture beside the measures card when the window is
/// wide, or under it when narrow (so the bars a warning names are in sight with it, and the
/// picture never moves when a warning comes).
pub fn live_panel(ui: &mut Ui, view: &LiveView) -> Vec<UiCommand> {
    kit::centred(ui, theme::CONTENT_MAX_WIDTH, |ui| {
        let mut commands = Vec::new();
        match view.warning {
            Some((warning, slouched_s)) => {
                let readings = view.snapshot.map(judged_readings).unwrap_or_default();
                commands.extend(warning_card(ui, warning, &readings, slouched_s));
            }
            None => commands.extend(status_card(ui, view)),
        }
        ui.add_space(theme::CARD_GAP - theme::GRID);
        if view.camera_problem.is_some() {
            kit::card(ui, |ui| {
                ui.label("Check that the camera is connected and that no other program (a video call?) is using it.");
                if kit::primary_button(ui, "Retry").clicked() {
                    commands.push(UiCommand::Retry);
                }
                ui.label(RichText::new("To use another camera, choose it under Settings.").weak());
            });
            return commands;
        }
        let picture = |ui: &mut Ui, commands: &mut Vec<UiCommand>| kit::card(ui, |ui| picture_card(ui, view, commands));
        let numbers = |ui: &mut Ui| kit::card(ui, |ui| measures_card(ui, view));
        if ui.available_width() >= theme::WIDE_LAYOUT_MIN_WIDTH {
            ui.columns(2, |columns| {
                // Columns justify (stretch) what they hold: the picture must keep its own size
                // for the keypoints to land on it, and wrapped text reads better left-aligned.
                let left = egui::Layout::top_down(egui::Align::LEFT);
                columns[0].with_layout(left, |ui| picture(ui, &mut commands));
                columns[1].with_layout(left, numbers);
            });
        } else {
            numbers(ui);
            picture(ui, &mut commands);
        }
        commands
    })
}

/// The state's headline and the line of why under it: the words before and after the colon of
/// [`MonitorState::words`], or a line of its own for a state said in one phrase.
pub fn headline_and_why(state: &MonitorState) -> (String, String) {
    let words = state.words();
    if let Some((headline, why)) = words.split_once(": ") {
        return (headline.to_owned(), crate::engine::status::capitalised(why));
    }
    let why = match state {
        MonitorState::Upright => "Head and shoulders are where they were when you calibrated.",
        MonitorState::Slouching { .. } => "Checking whether it lasts before warning you.",
        MonitorState::Starting => "Opening the camera and the pose model.",
        MonitorState::LookingForYou => "Sit where the camera sees your head and both shoulders.",
        MonitorState::Away => "Nobody at the desk: this time is not judged.",
        MonitorState::Snoozed { .. } => "Your posture is still judged and counted; you are just not warned.",
        _ => "",
    };
    (words, why.to_owned())
}

/// The status card: the state's icon and colour, the state in large type and a line of why,
/// a row for what to do about it (or a passing note), and today's upright share as a ring
/// against the goal. Always the same height, so a note or the warning never moves the screen.
fn status_card(ui: &mut Ui, view: &LiveView) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    let LiveView { snapshot, calibration, camera_problem, .. } = *view;
    let state = MonitorState::of(camera_problem, snapshot, calibration.is_some());
    let (colour, shape, (headline, why)) = if view.source_ended && camera_problem.is_none() {
        // The last picture's verdict is not news of the person: the replay has stopped.
        let (headline, why) = REPLAY_ENDED.split_once(": ").unwrap_or((REPLAY_ENDED, ""));
        (theme::NEUTRAL, StateShape::Dash, (headline.to_owned(), crate::engine::status::capitalised(why)))
    } else {
        let (colour, shape) = status_look(&state);
        (colour, shape, headline_and_why(&state))
    };
    let today = snapshot.map(|snapshot| snapshot.today.clone()).unwrap_or_default();
    let column = ui.available_width();
    kit::card(ui, |ui| {
        let least = theme::STATUS_CARD_HEIGHT - 2.0 * (theme::CARD_PADDING + 1.0);
        ui.set_min_height(kit::top_card_height(ui, column, least));
        let top = ui.min_rect().top();
        ui.horizontal_top(|ui| {
            kit::state_icon(ui, shape, colour, theme::STATE_ICON_SIZE);
            let ring_room = theme::RING_SIZE + 4.0 * theme::GRID;
            let text_width = (ui.available_width() - ring_room).max(theme::RING_SIZE);
            ui.vertical(|ui| {
                ui.set_width(text_width);
                ui.label(RichText::new(headline).size(theme::TEXT_DISPLAY).strong());
                if !why.is_empty() {
                    ui.label(RichText::new(why).weak());
                }
                ui.horizontal_wrapped(|ui| commands.extend(status_actions(ui, view)));
            });
            today_ring(ui, &today, view.settings.goal_upright_pct);
        });
        kit::top_card_seen(ui, column, ui.min_rect().bottom() - top);
    });
    commands
}

/// The status card's row of what to do: a passing note, the setup question, or calibrating.
fn status_actions(ui: &mut Ui, view: &LiveView) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    if view.camera_problem.is_some() {
        return commands;
    }
    if let Some(note) = view.acknowledgement {
        kit::state_icon(ui, StateShape::Tick, theme::GOOD, theme::TEXT_BODY);
        ui.label(note);
    } else if let Some(snapshot) = view.snapshot.filter(|snapshot| snapshot.no_setup_fits) {
        // Asked, not judged: where the person sits now fits none of their setups.
        ui.label("Which setup is this?");
        if let Some(setup) = &snapshot.setup
            && kit::primary_button(ui, format!("Recalibrate {}", setup.name)).clicked()
        {
            commands.push(UiCommand::CalibrateSetup { name: setup.name.clone(), standing: setup.standing });
        }
        if ui.button("Add a setup...").clicked() {
            commands.push(UiCommand::Show(Screen::Settings));
        }
    } else if view.calibration.is_none() {
        ui.label("Calibrate once so slouchwatch knows your upright posture.");
        if kit::primary_button(ui, "Calibrate now").clicked() {
            commands.push(UiCommand::Show(Screen::Calibration));
        }
    }
    commands
}

/// Today's share of time upright as a ring, with the goal marked on it and both in words.
fn today_ring(ui: &mut Ui, today: &DayTotals, goal_pct: f64) {
    let share = upright_share(today);
    let colour = match share {
        Some(share) if share >= goal_pct => theme::GOOD,
        _ => theme::accent(ui.visuals().dark_mode),
    };
    let words = match share {
        Some(share) => format!("{share:.0}% upright today, goal {goal_pct:.0}%"),
        None => format!("Nothing judged today yet, goal {goal_pct:.0}% upright"),
    };
    ui.vertical(|ui| {
        let rect = kit::ring(
            ui,
            theme::RING_SIZE,
            share.map(|share| (share / 100.0) as f32),
            Some((goal_pct / 100.0) as f32),
            colour,
            &words,
        );
        // The number in the ring is a label: read out, and found by tests, like the today line's.
        let middle = share.map(|share| format!("{share:.0}%")).unwrap_or_else(|| "-".to_owned());
        ui.put(rect, egui::Label::new(RichText::new(middle).size(theme::TEXT_BODY + 2.0).strong()));
        ui.label(RichText::new(format!("upright today, goal {goal_pct:.0}%")).small().weak());
    });
}

/// Today's share of monitored time judged upright, percent: the ring's number and the today
/// line's, one rule. `None` before anything was judged.
pub fn upright_share(today: &DayTotals) -> Option<f64> {
    (today.monitored_s > 0.0 && today.upright_s + today.slouched_s > 0.0)
        .then(|| 100.0 * today.upright_s / today.monitored_s)
}

/// The picture card: the switch, then the camera picture with the keypoints, or why there is
/// none.
fn picture_card(ui: &mut Ui, view: &LiveView, commands: &mut Vec<UiCommand>) {
    let LiveView { snapshot, texture, settings, .. } = *view;
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
        ui.label(
            RichText::new(format!(
                "The camera is off {why}. Monitoring resumes by itself {} seconds after that ends.",
                crate::engine::yielding::YIELD_GRACE_S
            ))
            .weak(),
        );
    } else if camera_off {
        ui.label(RichText::new("The camera is off while monitoring is paused.").weak());
    } else if let (Some(snapshot), Some(texture), true) = (snapshot, texture, settings.show_camera_image) {
        picture_with_pose(ui, texture, snapshot, theme::LIVE_IMAGE_MAX_WIDTH);
    } else if !settings.show_camera_image {
        ui.label(RichText::new("Camera picture hidden. Monitoring goes on.").weak());
    } else {
        ui.label(RichText::new("Waiting for the camera picture...").weak());
    }
}

/// The measures card: the bars against their limits, what the mark on them is, and today.
fn measures_card(ui: &mut Ui, view: &LiveView) {
    measures(ui, view.snapshot, view.calibration, view.settings, view.warned());
    ui.separator();
    let today = view.snapshot.map(|snapshot| snapshot.today.clone()).unwrap_or_default();
    ui.label(today_words(&today));
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

/// The rows of the measures grid: each problem the verdict judges from this camera placement
/// (slumped low only with a calibration that read the face: without one it is never judged).
fn measure_rows(
    placement: CameraPlacement,
    settings: &Settings,
    face_calibrated: bool,
) -> Vec<(Problem, &'static str)> {
    let mut rows = vec![(Problem::ForwardHead, "Head forward")];
    if !settings.posture_settings().ignore_head_down {
        rows.push((Problem::HeadDown, "Head down"));
    }
    rows.push((Problem::RoundedShoulders, "Shoulders rounded"));
    if placement == CameraPlacement::Front {
        rows.push((Problem::ShouldersRaised, "Shoulders raised"));
        rows.push((Problem::Leaning, "Leaning sideways"));
        if face_calibrated {
            rows.push((Problem::Slumped, "Slumped low"));
        }
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
    kit::card_title(ui, "Change from your upright posture");
    ui.label(
        RichText::new("The mark across each bar is where a warning starts; past it the bar turns red and says so.")
            .small()
            .weak(),
    );
    let width = bar_width(ui.available_width());
    let face_calibrated = calibration.and_then(|c| c.front.as_ref()).is_some_and(|front| front.face.is_some());
    egui::Grid::new("measures").num_columns(3).spacing([theme::GRID, theme::GRID]).show(ui, |ui| {
        for (problem, label) in measure_rows(placement, settings, face_calibrated) {
            let reading = readings.iter().find(|reading| reading.problem == problem);
            measure_row(ui, label, reading, warned.contains(&problem), width);
        }
    });
    // A front calibration without the face: made before slouchwatch read faces, or of a face it
    // could not read. It keeps working; calibrating again adds the slumped measure.
    if placement == CameraPlacement::Front && calibration.is_some() && !face_calibrated {
        ui.label(RichText::new(NO_FACE_CALIBRATION).small().weak());
    }
}

/// Said under the measures when the calibration in use has no face to measure slumping against.
pub const NO_FACE_CALIBRATION: &str = "Slumping low is not measured: this calibration has no face in it (made before \
     version 0.5, or of a face that could not be read). Calibrate again, with your face uncovered and in view, to add it.";

/// The camera picture, at most `max_width` wide, with the keypoints drawn over it; returns where
/// it is.
pub(super) fn picture_with_pose(
    ui: &mut Ui,
    texture: &egui::TextureHandle,
    snapshot: &Snapshot,
    max_width: f32,
) -> egui::Rect {
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
    picture
}

fn draw_overlay(ui: &Ui, rect: egui::Rect, frame_size: (u32, u32), pose: &crate::pose::Pose) {
    let painter = ui.painter_at(rect);
    let (width, height) = (frame_size.0 as f32, frame_size.1 as f32);
    // A point the model placed outside the picture (guessed) is not drawn, nor its lines.
    let at = |x: f32, y: f32| {
        ((0.0..=width).contains(&x) && (0.0..=height).contains(&y))
            .then(|| egui::pos2(rect.min.x + x / width * rect.width(), rect.min.y + y / height * rect.height()))
    };
    let to_screen = |name: KeypointName| pose.confident(name).and_then(|k| at(k.x, k.y));
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
    // The face the mesh read: its chin, with a thin line down to the shoulder line (the gap
    // "slumped low" is measured on), and its two edges (the unit of that gap).
    if let Some(face) = &pose.face {
        let chin = at(face.chin.x, face.chin.y);
        let shoulders = to_screen(KeypointName::LeftShoulder).zip(to_screen(KeypointName::RightShoulder));
        if let (Some(chin), Some((left, right))) = (chin, shoulders) {
            // The foot of the chin on the shoulder line.
            let along = (right - left).normalized();
            let foot = left + along * (chin - left).dot(along);
            painter.line_segment([chin, foot], egui::Stroke::new(theme::OVERLAY_LINE_WIDTH / 2.0, theme::OVERLAY));
        }
        for point in [chin, at(face.right_edge.x, face.right_edge.y), at(face.left_edge.x, face.left_edge.y)]
            .into_iter()
            .flatten()
        {
            painter.circle_stroke(
                point,
                theme::KEYPOINT_RADIUS,
                egui::Stroke::new(theme::OVERLAY_LINE_WIDTH / 2.0, theme::OVERLAY),
            );
        }
    }
}
