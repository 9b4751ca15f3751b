//! Colours and sizes of the window, in one place.

use egui::Color32;

use crate::alerts::Severity;

/// Status colour for good posture.
pub const GOOD: Color32 = Color32::from_rgb(0x2e, 0x9d, 0x5b);
/// Status colour for slouching (before a warning).
pub const SLOUCHING: Color32 = Color32::from_rgb(0xd9, 0x9a, 0x2b);
/// Status colour for a standing warning.
pub const WARNING: Color32 = Color32::from_rgb(0xc8, 0x4b, 0x31);
/// Status colour for away, paused, snoozed and unknown states.
pub const NEUTRAL: Color32 = Color32::from_rgb(0x6b, 0x7b, 0x8c);
/// Keypoint and line overlay colour.
pub const OVERLAY: Color32 = Color32::from_rgb(0x3d, 0xc1, 0xd3);
/// Gauge fill when within the limit.
pub const GAUGE_OK: Color32 = GOOD;
/// Gauge fill past the limit.
pub const GAUGE_OVER: Color32 = WARNING;

/// Size of the big status text.
pub const STATUS_TEXT_SIZE: f32 = 28.0;
/// Size of the warning banner's title.
pub const WARNING_TITLE_SIZE: f32 = 20.0;
/// Width of a measure's bar on the live screen.
pub const MEASURE_BAR_WIDTH: f32 = 140.0;
/// Height of a measure's bar, points.
pub const MEASURE_BAR_HEIGHT: f32 = 12.0;
/// From this width on (points) the live screen puts the picture beside the measures.
pub const WIDE_LAYOUT_MIN_WIDTH: f32 = 820.0;
/// Width of the tinted frame around the window during a warning, by severity.
pub fn warning_frame_width(severity: Severity) -> f32 {
    match severity {
        Severity::Mild => 4.0,
        Severity::Moderate => 8.0,
        Severity::Strong => 12.0,
    }
}
/// Keypoint dot radius on the live view.
pub const KEYPOINT_RADIUS: f32 = 4.0;
/// Line width of the overlay.
pub const OVERLAY_LINE_WIDTH: f32 = 3.0;
/// Largest width of the live camera picture.
pub const LIVE_IMAGE_MAX_WIDTH: f32 = 480.0;
/// Largest share of the window's height the camera picture takes.
pub const PICTURE_MAX_HEIGHT_SHARE: f32 = 0.45;
/// Widest the calibration wizard shows the camera picture, points.
pub const WIZARD_IMAGE_MAX_WIDTH: f32 = 360.0;
/// Size of a stretch illustration on a card.
pub const ILLUSTRATION_SIZE: f32 = 140.0;
/// Height of the report's timeline chart.
pub const REPORT_TIMELINE_HEIGHT: f32 = 90.0;
/// Height of the report's bar charts.
pub const REPORT_CHART_HEIGHT: f32 = 170.0;
/// Height of the report's episodes-per-day chart.
pub const REPORT_EPISODES_HEIGHT: f32 = 110.0;
/// Width of the report's save-folder field when there is room.
pub const SAVE_FOLDER_WIDTH: f32 = 320.0;
/// Widest a dialog's text runs, points (it wraps inside a 480 px window).
pub const DIALOG_WIDTH: f32 = 400.0;
/// Room kept beside the save-folder field for its label and button.
pub const SAVE_BUTTON_ROOM: f32 = 170.0;
/// Width of the ring drawn around the widget with keyboard focus (Tab moves it), points.
pub const FOCUS_RING_WIDTH: f32 = 2.0;
/// The focus ring's colour on a light background.
pub const FOCUS_RING_LIGHT: Color32 = Color32::from_rgb(0x1f, 0x6f, 0xd1);
/// The focus ring's colour on a dark background.
pub const FOCUS_RING_DARK: Color32 = Color32::from_rgb(0x7c, 0xb8, 0xff);

/// egui's light or dark look with a visible focus ring: the widget with keyboard focus (drawn
/// with the "active" look, as a pressed one is) gets a wide outline in a colour of its own.
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut visuals = if dark { egui::Visuals::dark() } else { egui::Visuals::light() };
    let ring = if dark { FOCUS_RING_DARK } else { FOCUS_RING_LIGHT };
    visuals.widgets.active.bg_stroke = egui::Stroke::new(FOCUS_RING_WIDTH, ring);
    visuals.widgets.active.expansion = 2.0;
    visuals.selection.stroke.width = visuals.selection.stroke.width.max(FOCUS_RING_WIDTH);
    visuals
}
