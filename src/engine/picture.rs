//! Is the picture worth analysing? A check on the motion thumbnail (see [`super::motion`]) for
//! frames the model cannot read: the room too dark, the picture blown out by a window or a lamp
//! behind the person, or a lens that shows nothing (covered, a privacy shutter). Such frames give
//! keypoints that are noise, so they are never judged: the verdict is unknown, never bad.
//!
//! Also the frozen-stream check: a real sensor never sends two identical frames, so a picture
//! that does not change by a single grey level for [`FROZEN_AFTER_S`] means the camera is stuck.

use serde::Serialize;

/// Mean grey level (0-255) below which the picture is too dark to read. An office lit for
/// reading gives a webcam picture around 80-140 after auto-exposure; the lights off at dusk
/// gives 5-15.
pub const TOO_DARK_MEAN_GREY: f32 = 20.0;

/// Grey level (0-255) from which a thumbnail cell counts as burnt out to white.
pub const SATURATED_GREY: f32 = 250.0;

/// Share of burnt-out cells above which the picture is blown out (exposure stuck high, or a
/// bright window or lamp flooding the lens). A well-exposed desk scene has almost none; with more
/// than half of the picture white there is too little of the person left to read.
pub const BLOWN_OUT_SHARE: f32 = 0.5;

/// Spread (standard deviation of the thumbnail's cells, grey levels) below which the picture
/// shows nothing: a covered lens or a closed privacy shutter. A person at a desk gives 30-70.
pub const FEATURELESS_MAX_SPREAD: f32 = 4.0;

/// Seconds of frames identical to the last grey level after which a live camera counts as frozen
/// and is reopened.
pub const FROZEN_AFTER_S: i64 = 10;

/// What the picture allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Picture {
    /// Bright and varied enough to analyse.
    #[default]
    Usable,
    /// Too dark.
    TooDark,
    /// Blown out.
    TooBright,
    /// Nothing to see (covered lens).
    Featureless,
}

impl Picture {
    /// Judges a grey thumbnail (cell means, 0-255).
    pub fn of_thumbnail(thumbnail: &[f32]) -> Picture {
        if thumbnail.is_empty() {
            return Picture::Featureless;
        }
        let count = thumbnail.len() as f32;
        let mean = thumbnail.iter().sum::<f32>() / count;
        let spread = (thumbnail.iter().map(|grey| (grey - mean).powi(2)).sum::<f32>() / count).sqrt();
        if mean < TOO_DARK_MEAN_GREY {
            Picture::TooDark
        } else if thumbnail.iter().filter(|&&grey| grey >= SATURATED_GREY).count() as f32 > BLOWN_OUT_SHARE * count {
            Picture::TooBright
        } else if spread < FEATURELESS_MAX_SPREAD {
            Picture::Featureless
        } else {
            Picture::Usable
        }
    }

    /// What to tell the person, or `None` when the picture is fine.
    pub fn advice(self) -> Option<&'static str> {
        match self {
            Picture::Usable => None,
            Picture::TooDark => {
                Some("too dark to see you: turn on a light in front of you; posture is not judged meanwhile")
            }
            Picture::TooBright => Some(
                "the picture is washed out by bright light: draw a blind or move the lamp from behind you; \
                 posture is not judged meanwhile",
            ),
            Picture::Featureless => Some(
                "the camera shows nothing: is the lens covered or its shutter closed? Posture is not judged meanwhile",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thumbnail(grey: impl Fn(usize) -> f32) -> Vec<f32> {
        (0..32 * 24).map(grey).collect()
    }

    #[test]
    fn lighting_is_judged_by_mean_and_spread() {
        let scene = thumbnail(|i| 60.0 + ((i * 37) % 120) as f32);
        assert_eq!(Picture::of_thumbnail(&scene), Picture::Usable);
        let dark = thumbnail(|i| ((i * 37) % 30) as f32);
        assert_eq!(Picture::of_thumbnail(&dark), Picture::TooDark);
        let glare = thumbnail(|i| if i % 10 < 7 { 255.0 } else { 80.0 + (i % 50) as f32 });
        assert_eq!(Picture::of_thumbnail(&glare), Picture::TooBright);
        let bright_but_readable = thumbnail(|i| if i % 10 < 4 { 255.0 } else { 80.0 + (i % 50) as f32 });
        assert_eq!(Picture::of_thumbnail(&bright_but_readable), Picture::Usable);
        let covered = thumbnail(|i| 90.0 + (i % 3) as f32);
        assert_eq!(Picture::of_thumbnail(&covered), Picture::Featureless);
        assert_eq!(Picture::of_thumbnail(&[]), Picture::Featureless);
        assert!(Picture::Usable.advice().is_none());
        for bad in [Picture::TooDark, Picture::TooBright, Picture::Featureless] {
            assert!(bad.advice().unwrap().contains("not judged"), "{bad:?}");
        }
    }
}
