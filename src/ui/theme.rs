//! The window's visual system, in one place: the type scale, the spacing grid, the accent for
//! primary actions, the cards, the state colours (always drawn with a shape beside them, never
//! alone) and the light and dark looks. Widgets built from these live in `ui/panels/kit.rs`.

use egui::{Color32, FontFamily, FontId, TextStyle};

use crate::alerts::Severity;

// ---- Type scale: four sizes, each a step of about 1.3 from the next. ----

/// The state on the status card, the screen's one big line.
pub const TEXT_DISPLAY: f32 = 28.0;
/// Screen and card titles.
pub const TEXT_TITLE: f32 = 20.0;
/// Body text and buttons.
pub const TEXT_BODY: f32 = 15.0;
/// Help lines, captions, axis labels.
pub const TEXT_SMALL: f32 = 13.0;
/// The name of the display style ([`TEXT_DISPLAY`]) among egui's text styles.
pub const DISPLAY_STYLE: &str = "Display";

// ---- Spacing: everything on an 8 px grid. ----

/// The grid step, points.
pub const GRID: f32 = 8.0;
/// Inside a card, points.
pub const CARD_PADDING: f32 = 2.0 * GRID;
/// Between cards, points.
pub const CARD_GAP: f32 = 2.0 * GRID;
/// A card's corner radius, points.
pub const CARD_RADIUS: u8 = 12;
/// A button's corner radius, points.
pub const BUTTON_RADIUS: u8 = 8;
/// Height of a primary button, points (a comfortable click and touch target).
pub const PRIMARY_BUTTON_HEIGHT: f32 = 4.0 * GRID;
/// The widest the screens' content runs, centred in a wider window, points.
pub const CONTENT_MAX_WIDTH: f32 = 1120.0;
/// The widest a column of rows runs (Settings, onboarding), centred, points.
pub const COLUMN_MAX_WIDTH: f32 = 680.0;

// ---- Colours. ----

/// The accent of primary actions (one per screen), light theme.
pub const ACCENT_LIGHT: Color32 = Color32::from_rgb(0x3b, 0x4c, 0xc0);
/// The accent of primary actions, dark theme: lighter, to stand out on the dark cards (3:1),
/// yet dark enough for its white text (4.5:1).
pub const ACCENT_DARK: Color32 = Color32::from_rgb(0x5a, 0x68, 0xe8);
/// Text on the accent.
pub const ON_ACCENT: Color32 = Color32::WHITE;
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

/// The window's background, light theme.
const PANEL_LIGHT: Color32 = Color32::from_rgb(0xf2, 0xf3, 0xf6);
/// A card's fill, light theme.
const CARD_LIGHT: Color32 = Color32::from_rgb(0xff, 0xff, 0xff);
/// A card's edge, light theme.
const CARD_EDGE_LIGHT: Color32 = Color32::from_rgb(0xdf, 0xe2, 0xe8);
/// Body text, light theme (contrast about 15:1 on the cards).
const TEXT_LIGHT: Color32 = Color32::from_rgb(0x1f, 0x23, 0x29);
/// Help text, light theme (about 6:1 on the background: readable, yet quieter).
const WEAK_TEXT_LIGHT: Color32 = Color32::from_rgb(0x55, 0x5d, 0x68);
/// The window's background, dark theme.
const PANEL_DARK: Color32 = Color32::from_rgb(0x16, 0x18, 0x1c);
/// A card's fill, dark theme.
const CARD_DARK: Color32 = Color32::from_rgb(0x22, 0x25, 0x2b);
/// A card's edge, dark theme.
const CARD_EDGE_DARK: Color32 = Color32::from_rgb(0x33, 0x37, 0x3f);
/// Body text, dark theme.
const TEXT_DARK: Color32 = Color32::from_rgb(0xe8, 0xea, 0xee);
/// Help text, dark theme (about 7:1 on the background).
const WEAK_TEXT_DARK: Color32 = Color32::from_rgb(0xa6, 0xad, 0xb8);
/// Grid lines of the report's charts: light enough to read past.
pub fn grid_line(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(0x2c, 0x30, 0x37) } else { Color32::from_rgb(0xe6, 0xe8, 0xec) }
}

/// The colour of quiet actions (links) in this theme: the accent, lighter on dark, so it reads
/// at 4.5:1 on the cards and on the warning's tint.
pub fn link(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(0xb4, 0xbc, 0xff) } else { ACCENT_LIGHT }
}

/// The edge of a control that is not filled (a check box, a radio button, a field): 3:1 against
/// the cards, as controls need to be seen.
fn control_edge(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(0x80, 0x88, 0x95) } else { Color32::from_rgb(0x86, 0x8e, 0x9a) }
}

/// The accent of primary actions in this theme.
pub fn accent(dark: bool) -> Color32 {
    if dark { ACCENT_DARK } else { ACCENT_LIGHT }
}

/// A card's fill and edge in this theme.
pub fn card_colours(dark: bool) -> (Color32, Color32) {
    if dark { (CARD_DARK, CARD_EDGE_DARK) } else { (CARD_LIGHT, CARD_EDGE_LIGHT) }
}

/// A state colour washed into a card's fill: the warning card's background, a tile's tint.
pub fn tint(colour: Color32, dark: bool) -> Color32 {
    let (card, _) = card_colours(dark);
    let share = if dark { 0.22 } else { 0.12 };
    let mix = |a: u8, b: u8| (a as f32 * (1.0 - share) + b as f32 * share).round() as u8;
    Color32::from_rgb(mix(card.r(), colour.r()), mix(card.g(), colour.g()), mix(card.b(), colour.b()))
}

// ---- Sizes of particular things. ----

/// Height of the status card, points: the warning takes the same room, so nothing below moves.
pub const STATUS_CARD_HEIGHT: f32 = 20.0 * GRID;
/// Diameter of the state's icon on the status card, points.
pub const STATE_ICON_SIZE: f32 = 6.0 * GRID;
/// Diameter of today's upright ring, points.
pub const RING_SIZE: f32 = 10.0 * GRID;
/// Width of a ring's stroke, points.
pub const RING_WIDTH: f32 = GRID;
/// Diameter of the stretch sheet's countdown ring, points.
pub const COUNTDOWN_RING_SIZE: f32 = 16.0 * GRID;
/// Narrowest a measure's bar is drawn, points (in a 480 px window, beside its name and words).
pub const MEASURE_BAR_WIDTH: f32 = 80.0;
/// Widest a measure's bar is drawn, points.
pub const MEASURE_BAR_MAX_WIDTH: f32 = 320.0;
/// Height of a measure's bar, points.
pub const MEASURE_BAR_HEIGHT: f32 = 12.0;
/// From this width on (points) the live screen puts the picture beside the measures.
pub const WIDE_LAYOUT_MIN_WIDTH: f32 = 820.0;
/// Width of the warning card's edge by severity: the stronger, the heavier.
pub fn warning_frame_width(severity: Severity) -> f32 {
    match severity {
        Severity::Mild => 2.0,
        Severity::Moderate => 3.0,
        Severity::Strong => 4.0,
    }
}
/// Keypoint dot radius on the live view.
pub const KEYPOINT_RADIUS: f32 = 4.0;
/// Line width of the overlay.
pub const OVERLAY_LINE_WIDTH: f32 = 3.0;
/// Largest width of the live camera picture.
pub const LIVE_IMAGE_MAX_WIDTH: f32 = 640.0;
/// Largest share of the window's height the camera picture takes.
pub const PICTURE_MAX_HEIGHT_SHARE: f32 = 0.5;
/// Widest the onboarding shows the camera picture, points.
pub const WIZARD_IMAGE_MAX_WIDTH: f32 = 560.0;
/// Size of a stretch illustration on a card.
pub const ILLUSTRATION_SIZE: f32 = 140.0;
/// Size of the illustration in the stretch sheet.
pub const SHEET_ILLUSTRATION_SIZE: f32 = 240.0;
/// Widest the stretch sheet runs, points.
pub const SHEET_WIDTH: f32 = 560.0;
/// Height of the report's timeline chart.
pub const REPORT_TIMELINE_HEIGHT: f32 = 90.0;
/// Height of the report's bar charts.
pub const REPORT_CHART_HEIGHT: f32 = 170.0;
/// Height of the report's episodes-per-day chart.
pub const REPORT_EPISODES_HEIGHT: f32 = 110.0;
/// Narrowest a report tile's content is, points (four tiles a row when four fit, else two).
pub const TILE_MIN_WIDTH: f32 = 150.0;
/// Width of a settings row's control column (and of a text field on it) when there is room.
pub const CONTROL_WIDTH: f32 = 320.0;
/// Widest a dialog's text runs, points (it wraps inside a 480 px window).
pub const DIALOG_WIDTH: f32 = 400.0;
/// Room kept on each side of a measure's bar for its name and its words.
pub const BAR_SIDE_ROOM: f32 = 170.0;
/// The widest the calibration wizard's column runs, points (the preview is as wide as it).
pub const WIZARD_COLUMN_WIDTH: f32 = 760.0;
/// The head-and-shoulders outline over the wizard's preview: white, a little see-through.
pub const OUTLINE: Color32 = Color32::from_rgba_premultiplied(200, 200, 200, 200);
/// Width of the outline over the preview, of a ring's goal mark and of a bar's limit mark.
pub const MARK_WIDTH: f32 = 2.0;
/// Width of the ring drawn around the widget with keyboard focus (Tab moves it), points.
pub const FOCUS_RING_WIDTH: f32 = 2.0;
/// The focus ring's colour on a light background.
pub const FOCUS_RING_LIGHT: Color32 = Color32::from_rgb(0x1f, 0x6f, 0xd1);
/// The focus ring's colour on a dark background.
pub const FOCUS_RING_DARK: Color32 = Color32::from_rgb(0x7c, 0xb8, 0xff);

/// The light or dark look: the background and cards, text with enough contrast, rounder
/// controls, and a visible focus ring (the widget with keyboard focus is drawn with the "active"
/// look, as a pressed one is, with a wide outline in a colour of its own).
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut visuals = if dark { egui::Visuals::dark() } else { egui::Visuals::light() };
    let (text, weak, panel) =
        if dark { (TEXT_DARK, WEAK_TEXT_DARK, PANEL_DARK) } else { (TEXT_LIGHT, WEAK_TEXT_LIGHT, PANEL_LIGHT) };
    let (card, edge) = card_colours(dark);
    visuals.panel_fill = panel;
    visuals.window_fill = card;
    visuals.window_stroke = egui::Stroke::new(1.0, edge);
    // Text fields a shade off the cards they sit on, with an edge, so they read as fields.
    visuals.extreme_bg_color = if dark { Color32::from_rgb(0x12, 0x14, 0x17) } else { PANEL_LIGHT };
    visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, control_edge(dark));
    visuals.faint_bg_color = card;
    visuals.weak_text_color = Some(weak);
    visuals.widgets.noninteractive.fg_stroke.color = text;
    visuals.widgets.noninteractive.bg_stroke.color = edge;
    visuals.widgets.inactive.fg_stroke.color = text;
    let radius = egui::CornerRadius::same(BUTTON_RADIUS);
    for widget in [
        &mut visuals.widgets.inactive,
        &mut visuals.widgets.hovered,
        &mut visuals.widgets.active,
        &mut visuals.widgets.open,
        &mut visuals.widgets.noninteractive,
    ] {
        widget.corner_radius = radius;
    }
    visuals.window_corner_radius = egui::CornerRadius::same(CARD_RADIUS);
    visuals.selection.bg_fill = accent(dark);
    visuals.selection.stroke.color = ON_ACCENT;
    visuals.hyperlink_color = accent(dark);
    let ring = if dark { FOCUS_RING_DARK } else { FOCUS_RING_LIGHT };
    visuals.widgets.active.bg_stroke = egui::Stroke::new(FOCUS_RING_WIDTH, ring);
    visuals.widgets.active.expansion = 2.0;
    visuals.selection.stroke.width = visuals.selection.stroke.width.max(FOCUS_RING_WIDTH);
    visuals
}

/// The type scale and the spacing grid, set once on the window's context.
pub fn install(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Name(DISPLAY_STYLE.into()), FontId::new(TEXT_DISPLAY, FontFamily::Proportional)),
            (TextStyle::Heading, FontId::new(TEXT_TITLE, FontFamily::Proportional)),
            (TextStyle::Body, FontId::new(TEXT_BODY, FontFamily::Proportional)),
            (TextStyle::Button, FontId::new(TEXT_BODY, FontFamily::Proportional)),
            (TextStyle::Small, FontId::new(TEXT_SMALL, FontFamily::Proportional)),
            (TextStyle::Monospace, FontId::new(TEXT_SMALL, FontFamily::Monospace)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(GRID, GRID);
        style.spacing.button_padding = egui::vec2(1.5 * GRID, 0.5 * GRID);
        style.spacing.interact_size.y = 3.0 * GRID;
        style.spacing.slider_width = 20.0 * GRID;
        // The scroll bar keeps its own room at the window's edge instead of floating over the
        // cards.
        style.spacing.scroll = egui::style::ScrollStyle::solid();
        style.spacing.window_margin = egui::Margin::same(CARD_PADDING as i8);
        style.spacing.menu_margin = egui::Margin::same(GRID as i8);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's relative luminance and contrast ratio.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let channel = |v: u8| {
                let v = v as f32 / 255.0;
                if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// Body and help text read at WCAG AA (4.5:1) on both the background and the cards, in both
    /// themes; the accent's white text too.
    #[test]
    fn text_has_enough_contrast_in_both_themes() {
        for dark in [false, true] {
            let visuals = visuals(dark);
            let (card, _) = card_colours(dark);
            let text = visuals.widgets.noninteractive.fg_stroke.color;
            let weak = visuals.weak_text_color.unwrap();
            for background in [visuals.panel_fill, card] {
                assert!(contrast(text, background) >= 7.0, "dark {dark}: body text");
                assert!(contrast(weak, background) >= 4.5, "dark {dark}: help text {}", contrast(weak, background));
            }
        }
        assert!(contrast(ON_ACCENT, ACCENT_LIGHT) >= 4.5);
        for dark in [false, true] {
            let (card, _) = card_colours(dark);
            assert!(contrast(control_edge(dark), card) >= 3.0, "dark {dark}: a box's edge");
            assert!(contrast(link(dark), card) >= 4.5, "dark {dark}: a link on a card");
            assert!(contrast(link(dark), tint(WARNING, dark)) >= 4.5, "dark {dark}: a link on the warning");
        }
        assert!(contrast(ON_ACCENT, ACCENT_DARK) >= 4.5);
        assert!(contrast(ACCENT_DARK, card_colours(true).0) >= 3.0, "a primary button stands out on a dark card");
    }
}
