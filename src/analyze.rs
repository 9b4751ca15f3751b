//! `slouchwatch analyze`: run the pose stage on image files and describe what it found.
//!
//! Glue between the image files on disk ([`crate::images`]) and the pose stage ([`crate::pose`]);
//! it builds one [`AnalysisRecord`] per image and formats it. Writing to the terminal is left to
//! [`crate::cli`].

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::images::{self, ImageInputError};
use crate::pose::{KeypointName, Pose, PoseError, PoseEstimator};

/// What was found in one image; the `--json` output, one object per line.
/// Later stages add fields; existing ones keep their names and meaning.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisRecord {
    /// The image path as given (or as found in a folder).
    pub source: String,
    /// Image width in pixels (after EXIF rotation).
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Whether a person is in view ([`Pose::person_in_view`]).
    pub person: bool,
    /// The 17 keypoints by name, in source pixels: `{"nose": {"x", "y", "score"}, ...}`.
    pub keypoints: Pose,
}

/// Why one image could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// The file could not be read or decoded.
    #[error(transparent)]
    Input(#[from] ImageInputError),
    /// The model failed on this image.
    #[error("{path}: {source}")]
    Pose {
        /// The image.
        path: String,
        /// What went wrong.
        source: PoseError,
    },
}

/// Decodes the image at `path` and finds the pose in it.
pub fn analyze_file(estimator: &mut PoseEstimator, path: &Path) -> Result<AnalysisRecord, AnalyzeError> {
    let image = images::load_rgb(path)?;
    let source = path.display().to_string();
    let pose =
        estimator.estimate(&image).map_err(|error| AnalyzeError::Pose { path: source.clone(), source: error })?;
    Ok(AnalysisRecord {
        source,
        width: image.width(),
        height: image.height(),
        person: pose.person_in_view(),
        keypoints: pose,
    })
}

/// A one-line human summary of a record, e.g.
/// `photo.png  512x512  person in view (7/7 head & shoulder points)  nose (254, 117)  ...`.
pub fn summary_line(record: &AnalysisRecord) -> String {
    let pose = &record.keypoints;
    let mut line = format!("{}  {}x{}  ", record.source, record.width, record.height);
    let confident = pose.confident_upper_body_count();
    let total = KeypointName::UPPER_BODY.len();
    if !record.person {
        let _ = write!(line, "no person in view ({confident}/{total} head & shoulder points)");
        return line;
    }
    let _ = write!(line, "person in view ({confident}/{total} head & shoulder points)");
    for (label, name) in [
        ("nose", KeypointName::Nose),
        ("left ear", KeypointName::LeftEar),
        ("right ear", KeypointName::RightEar),
        ("left shoulder", KeypointName::LeftShoulder),
        ("right shoulder", KeypointName::RightShoulder),
    ] {
        match pose.confident(name) {
            Some(point) => {
                let _ = write!(line, "  {label} ({:.0}, {:.0})", point.x, point.y);
            }
            None => {
                let _ = write!(line, "  {label} ?");
            }
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::{KEYPOINT_COUNT, Keypoint};

    fn record(score: f32) -> AnalysisRecord {
        let mut keypoints = [Keypoint { x: 10.4, y: 20.6, score }; KEYPOINT_COUNT];
        keypoints[KeypointName::RightEar.index()].score = 0.0;
        let pose = Pose { keypoints };
        AnalysisRecord { source: "a.png".into(), width: 64, height: 48, person: pose.person_in_view(), keypoints: pose }
    }

    #[test]
    fn summary_names_points_and_marks_unknown_ones() {
        let line = summary_line(&record(0.9));
        assert!(line.starts_with("a.png  64x48  person in view (6/7"), "{line}");
        assert!(line.contains("nose (10, 21)"), "{line}");
        assert!(line.contains("right ear ?"), "{line}");
    }

    #[test]
    fn summary_says_when_nobody_is_there() {
        let line = summary_line(&record(0.05));
        assert!(line.contains("no person in view (0/7"), "{line}");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let value = serde_json::to_value(record(0.9)).unwrap();
        let object = value.as_object().unwrap();
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        for key in ["source", "width", "height", "person", "keypoints"] {
            assert!(keys.contains(&key), "missing {key}");
        }
        assert_eq!(value["keypoints"]["left_shoulder"]["score"].as_f64().unwrap() as f32, 0.9);
    }
}
