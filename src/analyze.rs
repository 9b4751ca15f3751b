//! `slouchwatch analyze`: run the pose stage on image files and describe what it found.
//!
//! Glue between the image files on disk ([`crate::images`]) and the pose stage ([`crate::pose`]);
//! it builds one [`AnalysisRecord`] per image and formats it. Writing to the terminal is left to
//! [`crate::cli`].

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::engine::calibrate::{CalibrateError, calibrate_frames};
use crate::images::{self, ImageInputError};
use crate::pose::{KeypointName, Pose, PoseError, PoseEstimator};
use crate::posture::{
    self, Assessment, Calibration, CameraPlacement, Metrics, Posture, PostureSettings, Problem, StaleReason,
};

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
    /// Whether the face mesh read a face ([`crate::pose::face`]); without one, posture is judged
    /// on the keypoints alone.
    pub face_read: bool,
    /// The face landmarks used, in source pixels with depth: `{"score", "forehead", "chin",
    /// "right_edge", "left_edge"}` (each `{"x", "y", "z"}`), or `null`.
    pub face: Option<crate::pose::Face>,
    /// Camera placement used for the posture measures (`null` when no person was read).
    pub placement: Option<CameraPlacement>,
    /// Posture measures; unknown ones are `null`.
    pub metrics: Metrics,
    /// `good`, `bad` or `unknown` (not judged). Without a calibration never `good`: upright
    /// means "as calibrated".
    pub posture: Posture,
    /// Whether a calibration was given to judge against.
    pub calibrated: bool,
    /// What is wrong (`forward_head`, `rounded_shoulders`, `shoulders_raised`, `leaning`,
    /// `too_close`, `head_down`, `slumped`); empty unless `posture` is `bad`.
    pub problems: Vec<Problem>,
    /// Whether the person no longer matches the calibration (then `posture` is `unknown`).
    pub calibration_stale: bool,
    /// Why the calibration looks stale (`moved`, `distance_changed`, `placement_changed`,
    /// `camera_changed`), or `null`.
    pub stale_reason: Option<StaleReason>,
}

/// How to judge posture: the calibration (if any) and the settings.
#[derive(Debug, Clone, Default)]
pub struct PostureOptions {
    /// The person's calibration; without one the uncalibrated rules apply.
    pub calibration: Option<Calibration>,
    /// Placement and sensitivity.
    pub settings: PostureSettings,
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
pub fn load_and_estimate(
    estimator: &mut PoseEstimator,
    path: &Path,
    calibration: Option<&Calibration>,
) -> Result<(Pose, (u32, u32)), AnalyzeError> {
    let image = images::load_rgb(path)?;
    let frame_size = image.dimensions();
    let pose_error = |error| AnalyzeError::Pose { path: path.display().to_string(), source: error };
    let region = calibration.and_then(|calibration| calibration.region_for(frame_size));
    let pose = estimator.estimate_preferring(&image, region).map_err(pose_error)?;
    Ok((pose, frame_size))
}

/// Decodes the image at `path`, finds the pose and judges the posture.
pub fn analyze_file(
    estimator: &mut PoseEstimator,
    path: &Path,
    options: &PostureOptions,
) -> Result<AnalysisRecord, AnalyzeError> {
    let (pose, (width, height)) = load_and_estimate(estimator, path, options.calibration.as_ref())?;
    let assessment: Assessment =
        posture::assess(&pose, (width, height), options.calibration.as_ref(), &options.settings);
    Ok(AnalysisRecord {
        source: path.display().to_string(),
        width,
        height,
        person: pose.person_in_view(),
        face_read: pose.face.is_some(),
        face: pose.face,
        keypoints: pose,
        placement: assessment.placement,
        metrics: assessment.metrics,
        posture: assessment.posture,
        calibrated: options.calibration.is_some(),
        problems: assessment.problems,
        calibration_stale: assessment.calibration_stale.is_some(),
        stale_reason: assessment.calibration_stale,
    })
}

/// Why a calibration could not be made from image files.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateImagesError {
    /// None of the files could be read.
    #[error(
        "no readable image among the {} given: pass a photo, or a folder of photos, of you sitting \
         upright (.jpg, .png, .bmp or .webp)",
        crate::report::count_words(*.count as u64, "file", "files")
    )]
    NoImages {
        /// How many files were tried.
        count: usize,
    },
    /// The images could not be measured, or did not show a person clearly enough.
    #[error(transparent)]
    Frames(#[from] CalibrateError),
}

/// A calibration made from image files, and what was skipped on the way.
#[derive(Debug)]
pub struct ImageCalibration {
    /// The calibration.
    pub calibration: Calibration,
    /// One message per file that was not used (unreadable, or another frame size).
    pub skipped: Vec<String>,
}

/// Calibrates from images of the person's neutral posture, all of one frame size (the first
/// readable image's; others are skipped), as [`calibrate_frames`] does from camera frames.
pub fn calibrate_images(
    estimator: &mut PoseEstimator,
    paths: &[std::path::PathBuf],
    placement: posture::PlacementSetting,
) -> Result<ImageCalibration, CalibrateImagesError> {
    let mut frames = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        match images::load_rgb(path) {
            Ok(image) => match frames.first().map(|first: &image::RgbImage| first.dimensions()) {
                Some(size) if size != image.dimensions() => skipped.push(format!(
                    "{}: {}x{} differs from the first image's {}x{}; calibrate from one camera at one size",
                    path.display(),
                    image.width(),
                    image.height(),
                    size.0,
                    size.1
                )),
                _ => frames.push(image),
            },
            Err(error) => skipped.push(error.to_string()),
        }
    }
    if frames.is_empty() {
        return Err(CalibrateImagesError::NoImages { count: paths.len() });
    }
    let calibration = calibrate_frames(estimator, &frames, placement)?;
    Ok(ImageCalibration { calibration, skipped })
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
    let _ = write!(line, "  posture: {}", posture_words(record));
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

/// The verdict for a person seen without a calibration, when no rule that needs none fired:
/// upright means "as calibrated", so nothing about the posture is known, good or bad.
const NOT_JUDGED_WITHOUT_CALIBRATION: &str = "not judged (posture is compared with your calibration, and none was \
     given: make one sitting upright with `slouchwatch calibrate --out FILE`, then pass --calibration FILE)";

/// The verdict in words: "good", "bad (forward head, leaning)", "unknown (recalibrate: ...)",
/// "not judged (...)" without a calibration.
fn posture_words(record: &AnalysisRecord) -> String {
    if let Some(reason) = record.stale_reason {
        return format!("unknown (recalibrate: {reason})");
    }
    match record.posture {
        Posture::Good => "good".to_owned(),
        Posture::Unknown if !record.calibrated && record.person => NOT_JUDGED_WITHOUT_CALIBRATION.to_owned(),
        Posture::Unknown => "unknown".to_owned(),
        Posture::Bad => {
            let problems: Vec<&str> = record.problems.iter().map(|problem| problem.words()).collect();
            format!("bad ({})", problems.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::{KEYPOINT_COUNT, Keypoint};

    fn record(score: f32) -> AnalysisRecord {
        let mut keypoints = [Keypoint { x: 10.4, y: 20.6, score }; KEYPOINT_COUNT];
        keypoints[KeypointName::RightEar.index()].score = 0.0;
        let pose = Pose { keypoints, face: None };
        AnalysisRecord {
            source: "a.png".into(),
            width: 64,
            height: 48,
            person: pose.person_in_view(),
            face_read: false,
            face: None,
            keypoints: pose,
            placement: Some(CameraPlacement::Front),
            metrics: Metrics::default(),
            posture: Posture::Bad,
            calibrated: true,
            problems: vec![Problem::ForwardHead, Problem::Leaning],
            calibration_stale: false,
            stale_reason: None,
        }
    }

    #[test]
    fn summary_names_points_and_marks_unknown_ones() {
        let line = summary_line(&record(0.9));
        assert!(line.starts_with("a.png  64x48  person in view (6/7"), "{line}");
        assert!(line.contains("nose (10, 21)"), "{line}");
        assert!(line.contains("right ear ?"), "{line}");
        assert!(line.contains("posture: bad (forward head, leaning to one side)"), "{line}");
    }

    #[test]
    fn without_a_calibration_posture_is_not_judged_nor_called_fine() {
        let mut uncalibrated = record(0.9);
        (uncalibrated.posture, uncalibrated.calibrated) = (Posture::Unknown, false);
        uncalibrated.problems.clear();
        let line = summary_line(&uncalibrated);
        assert!(line.contains("posture: not judged (posture is compared with your calibration, and none"), "{line}");
        assert!(!line.contains("nothing wrong") && !line.contains("good"), "{line}");
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
        for key in [
            "source",
            "width",
            "height",
            "person",
            "keypoints",
            "placement",
            "metrics",
            "posture",
            "problems",
            "calibration_stale",
        ] {
            assert!(keys.contains(&key), "missing {key}");
        }
        assert_eq!(value["keypoints"]["left_shoulder"]["score"].as_f64().unwrap() as f32, 0.9);
    }
}
