//! The tray icon, drawn: a disc in the state's colour (a ring while paused or snoozed), as
//! ARGB32 pixmaps in the sizes panels ask for most.

/// Sizes offered, pixels (panels pick the nearest).
const SIZES: [i32; 2] = [22, 44];

/// The colour of a state (`crate::control::STATES`), and whether it is drawn as a ring.
fn look(state: &str) -> ([u8; 3], bool) {
    match state {
        "upright" => ([0x2e, 0x9d, 0x5b], false),
        "slouching" | "recalibrate" => ([0xd9, 0x9a, 0x2b], false),
        "warning" => ([0xc8, 0x4b, 0x31], false),
        "paused" | "snoozed" => ([0x6b, 0x7b, 0x8c], true),
        // Not judged, not calibrated, away, no camera, starting.
        _ => ([0x6b, 0x7b, 0x8c], false),
    }
}

/// The icon for `state` in each of [`SIZES`]: (width, height, ARGB32 bytes, big-endian).
pub fn pixmaps(state: &str) -> Vec<(i32, i32, Vec<u8>)> {
    let ([r, g, b], ring) = look(state);
    SIZES
        .iter()
        .map(|&size| {
            let centre = size as f32 / 2.0;
            let outer = centre - 1.0;
            let inner = if ring { outer * 0.55 } else { -1.0 };
            let mut bytes = Vec::with_capacity((size * size * 4) as usize);
            for y in 0..size {
                for x in 0..size {
                    let distance = ((x as f32 + 0.5 - centre).powi(2) + (y as f32 + 0.5 - centre).powi(2)).sqrt();
                    // A soft edge of one pixel on each side of the disc or ring.
                    let coverage = (outer + 0.5 - distance).clamp(0.0, 1.0) * (distance - inner + 0.5).clamp(0.0, 1.0);
                    bytes.extend([(coverage * 255.0).round() as u8, r, g, b]);
                }
            }
            (size, size, bytes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_has_its_colour_and_a_paused_icon_is_a_ring() {
        let upright = pixmaps("upright");
        let (size, _, bytes) = &upright[0];
        let centre = ((size / 2) * size + size / 2) as usize * 4;
        assert_eq!(&bytes[centre..centre + 4], &[255, 0x2e, 0x9d, 0x5b], "opaque green at the centre");
        assert_eq!(bytes[0], 0, "transparent in the corner");
        let paused = pixmaps("paused");
        assert_eq!(paused[0].2[centre], 0, "a ring: the centre is clear");
        assert_ne!(pixmaps("warning")[0].2[centre + 1..centre + 4], bytes[centre + 1..centre + 4]);
        assert!(upright.iter().all(|(w, h, data)| data.len() == (w * h * 4) as usize));
    }
}
