//! The tray icon, drawn: the application icon's figure (head over shoulders, as in
//! `assets/icons/io.github.slouchwatch.svg`) in the state's colour, only its outline while paused
//! or snoozed, as ARGB32 pixmaps in the sizes panels ask for most.

/// Sizes offered, pixels (panels pick the nearest).
const SIZES: [i32; 2] = [22, 44];

/// The SVG's canvas, in its units: the figure's numbers below are on it.
const CANVAS: f32 = 512.0;
/// The head: centre and radius.
const HEAD: (f32, f32, f32) = (256.0, 176.0, 72.0);
/// The shoulders: the top half of an ellipse with this centre and these radii.
const SHOULDERS: (f32, f32, f32, f32) = (256.0, 420.0, 150.0, 130.0);
/// The figure sits on the icon's full height: it is moved up and scaled to fill the tray square.
const FIGURE_TOP: f32 = 104.0;
const FIGURE_BOTTOM: f32 = 420.0;
/// Width of the outline while paused or snoozed, as a share of the icon's size.
const OUTLINE_SHARE: f32 = 0.12;

/// The colour of a state (`crate::control::STATES`), and whether it is drawn as an outline.
fn look(state: &str) -> ([u8; 3], bool) {
    match state {
        "upright" => ([0x2e, 0x9d, 0x5b], false),
        "slouching" | "recalibrate" => ([0xd9, 0x9a, 0x2b], false),
        "warning" => ([0xc8, 0x4b, 0x31], false),
        // Answered "I'm sitting fine", like a snooze of that one warning.
        // Given over to a call: paused, as far as the person is concerned.
        "paused" | "yielded" | "snoozed" | "disputed" => ([0x6b, 0x7b, 0x8c], true),
        // Not judged, not calibrated, away, no camera, starting.
        _ => ([0x6b, 0x7b, 0x8c], false),
    }
}

/// How much of the pixel centred at (`x`, `y`) (icon pixels, icon of `size`) the figure covers,
/// 0 to 1, with the figure's edge moved `inset` pixels inwards.
fn figure_coverage(size: f32, x: f32, y: f32, inset: f32) -> f32 {
    let scale = size / (FIGURE_BOTTOM - FIGURE_TOP);
    let to_canvas = |px: f32, py: f32| ((px - size / 2.0) / scale + CANVAS / 2.0, py / scale + FIGURE_TOP);
    let (cx, cy) = to_canvas(x, y);
    let inset = inset / scale;
    let (hx, hy, hr) = HEAD;
    let head = ((hr - inset) - ((cx - hx).powi(2) + (cy - hy).powi(2)).sqrt()) * scale;
    let (sx, sy, rx, ry) = SHOULDERS;
    let (rx, ry) = (rx - inset, ry - inset);
    let along = (((cx - sx) / rx).powi(2) + ((cy - sy) / ry).powi(2)).sqrt();
    let shoulders = ((1.0 - along) * rx.min(ry)).min(sy - inset - cy) * scale;
    (head.max(shoulders) + 0.5).clamp(0.0, 1.0)
}

/// The icon for `state` in each of [`SIZES`]: (width, height, ARGB32 bytes, big-endian).
pub fn pixmaps(state: &str) -> Vec<(i32, i32, Vec<u8>)> {
    SIZES.iter().map(|&size| pixmap(state, size)).collect()
}

/// The icon for `state`, `size` pixels square: (width, height, ARGB32 bytes, big-endian).
pub fn pixmap(state: &str, size: i32) -> (i32, i32, Vec<u8>) {
    let ([r, g, b], outline) = look(state);
    let side = size as f32;
    let width = (side * OUTLINE_SHARE).max(1.5);
    let mut bytes = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let filled = figure_coverage(side, px, py, 0.0);
            let coverage = if outline { filled * (1.0 - figure_coverage(side, px, py, width)) } else { filled };
            bytes.extend([(coverage * 255.0).round() as u8, r, g, b]);
        }
    }
    (size, size, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_has_its_colour_and_a_paused_icon_is_an_outline() {
        let upright = pixmaps("upright");
        let (size, _, bytes) = &upright[1];
        // The head's centre: (256, 176) on the canvas, in icon pixels.
        let scale = *size as f32 / (FIGURE_BOTTOM - FIGURE_TOP);
        let head = |row: f32| (((row * scale) as i32) * size + size / 2) as usize * 4;
        let centre = head(HEAD.1 - FIGURE_TOP);
        assert_eq!(&bytes[centre..centre + 4], &[255, 0x2e, 0x9d, 0x5b], "opaque green in the head");
        assert_eq!(bytes[0], 0, "transparent in the corner");
        let between = head(HEAD.1 + HEAD.2 + 10.0 - FIGURE_TOP);
        let side = between + 4 * (*size as usize / 2 - 2);
        assert_eq!(bytes[side], 0, "clear beside the neck");
        let paused = pixmaps("paused");
        assert_eq!(paused[1].2[centre], 0, "an outline: the head's centre is clear");
        let rim = head(HEAD.1 - HEAD.2 + 2.0 - FIGURE_TOP);
        assert!(paused[1].2[rim] > 128, "the outline is drawn at the head's rim");
        assert_ne!(pixmaps("warning")[1].2[centre + 1..centre + 4], bytes[centre + 1..centre + 4]);
        assert!(upright.iter().all(|(w, h, data)| data.len() == (w * h * 4) as usize));
    }
}
