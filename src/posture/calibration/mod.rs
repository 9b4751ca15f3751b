//! Calibration: the person's own neutral posture, captured over several frames, against which
//! the front-view measures and every threshold are set; and the check that they still sit where
//! they calibrated.
//!
//! Pure: frames come in as poses, the result goes out as a value or JSON text. Reading and
//! writing the file is the caller's job.

use serde::{Deserialize, Serialize};

use super::disputes::Disputes;
use super::metrics::{FaceReference, FrontReference, METRIC_COUNT, Metrics, body_heights, front_metrics, side_metrics};
use super::observation::{EyesToEars, FrontObservation, Point, SideObservation};
use super::placement::{CameraPlacement, PlacementSetting, detect};
use crate::pose::{Letterbox, Pose};

mod checks;
mod stale;
pub use checks::framing_advice;
pub use checks::{
    CENTRED_MARGIN_FRACTION, FAIR_CALIBRATION_FRAMES, GOOD_CALIBRATION_FRAMES, NOISY_MAX_SPREAD_DEG,
    SHOULDER_OUTSIDE_TOLERANCE_SCALES, STEADY_MAX_SPREAD_DEG,
};
use checks::{grade, refuse_off_centre, refuse_shoulders_outside};
pub use stale::{PERSON_REGION_SCALES, STALE_SCALE_FACTOR, STALE_SHIFT_SCALES, STALE_SINK_SCALES, StaleReason};

/// Version of the calibration JSON this build writes and reads.
pub const CALIBRATION_VERSION: u32 = 1;

/// A frame is dropped as movement when the person's anchor (shoulder midpoint) is further than
/// this many body scales (shoulder widths front, ear-to-shoulder lengths side) from the median,
/// or their scale differs from the median by more than this fraction.
pub const MOVEMENT_REJECT_SCALES: f32 = 0.1;

/// Side view: the body scale is this many ear-to-shoulder lengths, which makes it about a shoulder
/// width (16 cm of neck against 36 cm of shoulders), so the same movement limits apply to both views.
pub const SIDE_SCALE_NECK_LENGTHS: f32 = 2.25;

/// The face mesh must read the face in at least this share of the kept calibration frames for
/// the calibration to record the face's geometry (half: most frames, so the medians are the
/// person's and not one lucky frame's).
pub const FACE_READ_MIN_SHARE: f32 = 0.5;

/// Where the person was, for staleness and for following the calibrated person.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// Shoulder midpoint (front) or near shoulder (side), pixels.
    pub position: Point,
    /// Body scale, pixels: shoulder width (front) or [`SIDE_SCALE_NECK_LENGTHS`] ear-to-shoulder
    /// lengths (side).
    pub scale_px: f32,
}

/// How trustworthy a calibration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityGrade {
    /// Enough steady frames of a centred person.
    Good,
    /// Usable, with a note on what to improve.
    Fair,
    /// Usable but weak; recalibrating is advised.
    Poor,
}

impl QualityGrade {
    /// How the window and `slouchwatch calibrate` say it.
    pub fn words(self) -> &'static str {
        match self {
            QualityGrade::Good => "good",
            QualityGrade::Fair => "fair",
            QualityGrade::Poor => "poor: consider calibrating again",
        }
    }
}

/// The calibration's quality report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationQuality {
    /// Overall grade.
    pub grade: QualityGrade,
    /// Frames the baseline was computed from.
    pub frames_used: usize,
    /// Frames offered.
    pub frames_total: usize,
    /// Whether the measures held still across the frames.
    pub steady: bool,
    /// Whether the person sat near the middle of the frame: always true for calibrations made now
    /// (an off-centre one is refused); kept so that older files still read.
    pub centred: bool,
    /// Plain-language notes on what lowered the grade.
    pub notes: Vec<String>,
}

/// A person's calibrated neutral posture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// File format version ([`CALIBRATION_VERSION`]).
    pub version: u32,
    /// Camera placement during calibration.
    pub placement: CameraPlacement,
    /// Frame width, pixels.
    pub frame_width: u32,
    /// Frame height, pixels.
    pub frame_height: u32,
    /// Where the person sat and how large they appeared.
    pub anchor: Anchor,
    /// Front-view reference geometry (front placement only).
    pub front: Option<FrontReference>,
    /// Median of each measure over the calibration frames: the person's neutral.
    pub baseline: Metrics,
    /// Robust spread (1.4826 x median absolute deviation) of each measure over the frames.
    pub spread: Metrics,
    /// Quality report.
    pub quality: CalibrationQuality,
    /// The square of the frame the model looked at for the calibration frames; monitoring looks
    /// at the same square so both see the same keypoints. `None`: derived from the anchor.
    #[serde(default)]
    pub region: Option<Letterbox>,
    /// When it was taken (RFC 3339), set by the caller; the posture core has no clock.
    #[serde(default)]
    pub created: Option<String>,
    /// What "I'm sitting fine" taught for this calibration's setup: per problem, how much wider
    /// its limit is ([`crate::posture::setups`]).
    #[serde(default, skip_serializing_if = "Disputes::is_empty")]
    pub disputes: Disputes,
}

/// Why no calibration could be made.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum CalibrationError {
    /// No frame showed the person clearly enough.
    #[error(
        "none of the {total} frames shows a person clearly enough to calibrate ({needs}); sit \
         facing the camera with your head and both shoulders in view, in good light, and try again"
    )]
    NoUsableFrames {
        /// Frames offered.
        total: usize,
        /// What each frame needed.
        needs: &'static str,
    },
    /// The person sat too far to one side of the picture.
    #[error(
        "you sit near the {edge} edge of the picture: move {toward} (or turn the camera) until you are in \
         the middle, then calibrate again"
    )]
    OffCentre {
        /// Which edge of the picture ("left" or "right").
        edge: &'static str,
        /// Which way to move, in the person's own terms.
        toward: &'static str,
    },
    /// A shoulder was outside the picture in most frames.
    #[error(
        "your {shoulder} shoulder is outside the picture: move {toward} or further from the camera until \
         both shoulders are in view, then calibrate again"
    )]
    ShoulderOutside {
        /// The person's own "left" or "right".
        shoulder: &'static str,
        /// Which way to move, in the person's own terms.
        toward: &'static str,
    },
    /// The measures moved too much across the frames to be a baseline.
    #[error(
        "your head moved while calibrating (its angle varied by {spread_deg:.1} degrees; at most \
         {NOISY_MAX_SPREAD_DEG:.0} can be judged against): sit still, look at the screen, and calibrate again"
    )]
    TooNoisy {
        /// The larger spread of the forward-head and head-down measures, degrees.
        spread_deg: f32,
    },
}

/// A calibration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationFileError {
    /// Not valid calibration JSON.
    #[error("the calibration file is damaged ({reason}); calibrate again to replace it")]
    Corrupt {
        /// What the parser said.
        reason: String,
    },
    /// Written by a newer slouchwatch.
    #[error(
        "the calibration file has version {found}, but this slouchwatch reads version \
         {CALIBRATION_VERSION}; update slouchwatch or calibrate again"
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
    },
}

/// One usable calibration frame.
struct Sample {
    anchor: Anchor,
    front: Option<FrontObservation>,
    side: Option<SideObservation>,
}

fn sample(pose: &Pose, placement: CameraPlacement) -> Option<Sample> {
    if !pose.person_in_view() {
        return None;
    }
    match placement {
        CameraPlacement::Front => {
            let front = FrontObservation::from_pose(pose)?;
            let ears_seen = front.ear_width_px.is_some() && front.neck_height_px.is_some();
            let eyes_seen = front.eye_mid.is_some() && front.eye_width_px.is_some();
            if !ears_seen && !eyes_seen {
                return None;
            }
            let anchor = Anchor { position: front.shoulder_mid, scale_px: front.shoulder_width_px };
            Some(Sample { anchor, front: Some(front), side: None })
        }
        CameraPlacement::Side => {
            let side = SideObservation::from_pose(pose)?;
            let anchor = Anchor {
                position: side.shoulder,
                scale_px: SIDE_SCALE_NECK_LENGTHS * side.ear.distance(side.shoulder).max(1.0),
            };
            Some(Sample { anchor, front: None, side: Some(side) })
        }
    }
}

/// Whether fewer than half of the front samples show both ears (headphones, hair, a hood).
fn ears_mostly_hidden(samples: &[Sample]) -> bool {
    let with_ears = samples.iter().filter(|s| s.front.is_some_and(|f| f.ear_width_px.is_some())).count();
    with_ears * 2 < samples.len()
}

/// A front sample as calibration uses it: with the ears seen, or, when the ears were mostly
/// hidden, with ears placed from the eyes by the anatomical average. `None` when it lacks what
/// the chosen way needs.
fn with_calibration_ears(sample: Sample, ears_hidden: bool) -> Option<Sample> {
    let front = sample.front?;
    let front = if ears_hidden {
        front.with_ears_from_eyes(EyesToEars::default())?
    } else {
        front.ear_width_px.and(front.neck_height_px).map(|_| front)?
    };
    Some(Sample { front: Some(front), ..sample })
}

/// The median eyes-to-ears relation over samples that saw both, if any did.
fn learned_eyes_to_ears(kept: &[&Sample]) -> Option<EyesToEars> {
    let relation = |s: &&Sample| s.front.and_then(|f| f.eyes_to_ears());
    Some(EyesToEars {
        width_ratio: median_of(kept, |s| relation(s).map(|r| r.width_ratio))?,
        drop: median_of(kept, |s| relation(s).map(|r| r.drop))?,
    })
}

/// The calibrated face geometry (medians), when the face mesh read the face in at least
/// [`FACE_READ_MIN_SHARE`] of the kept frames: a face it read only now and then (a mask, a hand
/// at the chin) is no neutral to measure against, and MoveNet's measures go on alone.
fn face_reference(kept: &[&Sample]) -> Option<FaceReference> {
    let faces: Vec<_> = kept.iter().filter_map(|s| s.front.and_then(|f| f.face)).collect();
    if (faces.len() as f32) < FACE_READ_MIN_SHARE * kept.len() as f32 || faces.is_empty() {
        return None;
    }
    Some(FaceReference {
        chin_gap: median_of(&faces, |face| Some(face.chin_gap))?,
        shoulder_width: median_of(&faces, |face| Some(face.shoulder_width))?,
        pitch_deg: median_of(&faces, |face| Some(face.pitch_deg))?,
    })
}

/// The anchor of a pose under a placement, if its keypoints allow.
pub fn anchor_of(pose: &Pose, placement: CameraPlacement) -> Option<Anchor> {
    match placement {
        CameraPlacement::Front => FrontObservation::from_pose(pose)
            .map(|front| Anchor { position: front.shoulder_mid, scale_px: front.shoulder_width_px }),
        CameraPlacement::Side => SideObservation::from_pose(pose).map(|side| Anchor {
            position: side.shoulder,
            scale_px: SIDE_SCALE_NECK_LENGTHS * side.ear.distance(side.shoulder).max(1.0),
        }),
    }
}

/// Median of `values` (which it reorders); `None` when empty.
pub fn median(values: &mut [f32]) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f32::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

/// Robust standard deviation: 1.4826 times the median absolute deviation (equals the standard
/// deviation for normal data, ignores outliers).
pub fn robust_spread(values: &[f32]) -> Option<f32> {
    let mut sorted = values.to_vec();
    let centre = median(&mut sorted)?;
    let mut deviations: Vec<f32> = values.iter().map(|v| (v - centre).abs()).collect();
    median(&mut deviations).map(|mad| 1.4826 * mad)
}

fn median_of<T>(items: &[T], value: impl Fn(&T) -> Option<f32>) -> Option<f32> {
    let mut values: Vec<f32> = items.iter().filter_map(value).collect();
    median(&mut values)
}

/// Median and spread of each measure over frames.
fn summarise(frames: &[Metrics]) -> (Metrics, Metrics) {
    let mut baseline = [None; METRIC_COUNT];
    let mut spread = [None; METRIC_COUNT];
    for i in 0..METRIC_COUNT {
        let values: Vec<f32> = frames.iter().filter_map(|metrics| metrics.to_array()[i]).collect();
        baseline[i] = median(&mut values.clone());
        spread[i] = robust_spread(&values);
    }
    (Metrics::from_array(baseline), Metrics::from_array(spread))
}

/// Builds a calibration from frames of the person sitting in their neutral posture.
///
/// Frames without a clear person are dropped, then frames where the person had moved away from
/// the median position or size (movement); the reference geometry is the median of the rest.
pub fn calibrate(
    poses: &[Pose],
    frame_size: (u32, u32),
    setting: PlacementSetting,
) -> Result<Calibration, CalibrationError> {
    let placement = setting.fixed().unwrap_or_else(|| majority_placement(poses));
    let needs = match placement {
        CameraPlacement::Front => "both shoulders and both ears (or both eyes) confident",
        CameraPlacement::Side => "an ear, a shoulder and the nose or an eye confident",
    };
    let mut samples: Vec<Sample> = poses.iter().filter_map(|pose| sample(pose, placement)).collect();
    let ears_hidden = placement == CameraPlacement::Front && ears_mostly_hidden(&samples);
    if placement == CameraPlacement::Front {
        samples = samples.into_iter().filter_map(|sample| with_calibration_ears(sample, ears_hidden)).collect();
    }
    let no_usable = CalibrationError::NoUsableFrames { total: poses.len(), needs };
    if placement == CameraPlacement::Front {
        samples = refuse_shoulders_outside(samples, frame_size)?;
    }
    let centre_x = median_of(&samples, |s| Some(s.anchor.position.x)).ok_or(no_usable.clone())?;
    let centre_y = median_of(&samples, |s| Some(s.anchor.position.y)).ok_or(no_usable.clone())?;
    let scale = median_of(&samples, |s| Some(s.anchor.scale_px)).ok_or(no_usable.clone())?;
    let centre = Point { x: centre_x, y: centre_y };
    let kept: Vec<&Sample> = samples
        .iter()
        .filter(|s| {
            s.anchor.position.distance(centre) <= MOVEMENT_REJECT_SCALES * scale
                && (s.anchor.scale_px / scale - 1.0).abs() <= MOVEMENT_REJECT_SCALES
        })
        .collect();
    if kept.is_empty() {
        return Err(no_usable);
    }

    let front = (placement == CameraPlacement::Front).then(|| {
        let front_of = |s: &&Sample| s.front;
        FrontReference {
            shoulder_width_px: median_of(&kept, |s| front_of(s).map(|f| f.shoulder_width_px)).unwrap_or(scale),
            ear_width_px: median_of(&kept, |s| front_of(s).and_then(|f| f.ear_width_px)).unwrap_or(1.0),
            neck_height_px: median_of(&kept, |s| front_of(s).and_then(|f| f.neck_height_px)).unwrap_or(1.0),
            nose_drop: median_of(&kept, |s| front_of(s).and_then(|f| f.nose_drop)),
            shoulder_height: median_of(&kept, |s| front_of(s).and_then(|f| body_heights(&f, frame_size)).map(|h| h.0))
                .unwrap_or(0.0),
            ear_height: median_of(&kept, |s| front_of(s).and_then(|f| body_heights(&f, frame_size)).map(|h| h.1))
                .unwrap_or(0.0),
            frame_width_px: frame_size.0,
            frame_height_px: frame_size.1,
            eyes_to_ears: learned_eyes_to_ears(&kept),
            ears_from_eyes: ears_hidden,
            face: face_reference(&kept),
        }
    });
    let frame_metrics: Vec<Metrics> = kept
        .iter()
        .map(|s| match (s.front, s.side) {
            (Some(observation), _) => front_metrics(&observation, front.as_ref()),
            (None, Some(observation)) => side_metrics(&observation),
            (None, None) => Metrics::default(),
        })
        .collect();
    let (baseline, spread) = summarise(&frame_metrics);
    let anchor = Anchor { position: centre, scale_px: scale };
    refuse_off_centre(anchor, frame_size)?;
    let noisiest = [spread.forward_head_deg, spread.head_down_deg].into_iter().flatten().fold(0.0, f32::max);
    if noisiest > NOISY_MAX_SPREAD_DEG {
        return Err(CalibrationError::TooNoisy { spread_deg: noisiest });
    }
    let quality = grade(kept.len(), poses.len(), &spread);
    Ok(Calibration {
        version: CALIBRATION_VERSION,
        placement,
        frame_width: frame_size.0,
        frame_height: frame_size.1,
        anchor,
        front,
        baseline,
        spread,
        quality,
        region: None,
        created: None,
        disputes: Disputes::default(),
    })
}

fn majority_placement(poses: &[Pose]) -> CameraPlacement {
    let detected: Vec<CameraPlacement> = poses.iter().filter_map(detect).collect();
    let side = detected.iter().filter(|&&p| p == CameraPlacement::Side).count();
    if side * 2 > detected.len() { CameraPlacement::Side } else { CameraPlacement::Front }
}

impl Calibration {
    /// The calibration as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain numbers, strings and enums cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads calibration JSON, refusing damaged files and newer versions.
    pub fn from_json(text: &str) -> Result<Calibration, CalibrationFileError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let version = serde_json::from_str::<VersionOnly>(text)
            .map_err(|error| CalibrationFileError::Corrupt { reason: error.to_string() })?
            .version;
        if version != CALIBRATION_VERSION {
            return Err(CalibrationFileError::UnsupportedVersion { found: version });
        }
        serde_json::from_str(text).map_err(|error| CalibrationFileError::Corrupt { reason: error.to_string() })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pose::{KEYPOINT_COUNT, Keypoint, KeypointName};

    /// A front-view upright person, shifted by (dx, dy) and scaled about the shoulder midpoint
    /// (shoulders 400 px apart at (640, 500) in a 1280 x 720 picture; also used by other
    /// modules' tests).
    pub(crate) fn front_pose(dx: f32, dy: f32, scale: f32) -> Pose {
        use KeypointName::*;
        let mut keypoints = [Keypoint { x: 0.0, y: 0.0, score: 0.05 }; KEYPOINT_COUNT];
        let at = |x: f32, y: f32| Keypoint {
            x: 640.0 + dx + (x - 640.0) * scale,
            y: 500.0 + dy + (y - 500.0) * scale,
            score: 0.9,
        };
        for (name, x, y) in [
            (LeftShoulder, 840.0, 500.0),
            (RightShoulder, 440.0, 500.0),
            (LeftEar, 720.0, 300.0),
            (RightEar, 560.0, 300.0),
            (LeftEye, 670.0, 290.0),
            (RightEye, 610.0, 290.0),
            (Nose, 640.0, 310.0),
        ] {
            keypoints[name.index()] = at(x, y);
        }
        Pose { keypoints, face: None }
    }

    #[test]
    fn median_and_spread_ignore_an_outlier() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
        let spread = robust_spread(&[10.0, 10.0, 10.0, 11.0, 9.0, 100.0]).unwrap();
        assert!(spread < 1.5, "{spread}");
    }

    #[test]
    fn steady_centred_frames_make_a_good_calibration() {
        let poses: Vec<Pose> = (0..12).map(|i| front_pose((i % 3) as f32, 0.0, 1.0)).collect();
        let calibration = calibrate(&poses, (1280, 720), PlacementSetting::Auto).unwrap();
        assert_eq!(calibration.placement, CameraPlacement::Front);
        assert_eq!(calibration.quality.grade, QualityGrade::Good, "{:?}", calibration.quality);
        assert_eq!(calibration.quality.frames_used, 12);
        let front = calibration.front.unwrap();
        assert_eq!(front.shoulder_width_px, 400.0);
        assert_eq!(front.ear_width_px, 160.0);
        assert_eq!(front.neck_height_px, 200.0);
        assert!(calibration.spread.forward_head_deg.unwrap() < 0.1);
    }

    #[test]
    fn moving_and_unclear_frames_are_dropped() {
        let mut poses: Vec<Pose> = (0..8).map(|_| front_pose(0.0, 0.0, 1.0)).collect();
        poses.push(front_pose(200.0, 0.0, 1.0));
        poses.push(front_pose(0.0, 0.0, 1.4));
        let mut unclear = front_pose(0.0, 0.0, 1.0);
        unclear.keypoints[KeypointName::LeftEar.index()].score = 0.1;
        poses.push(unclear);
        let calibration = calibrate(&poses, (1280, 720), PlacementSetting::Front).unwrap();
        assert_eq!(calibration.quality.frames_used, 8);
        assert_eq!(calibration.quality.frames_total, 11);
        assert_eq!(calibration.quality.grade, QualityGrade::Fair);
        assert!(calibration.quality.notes.iter().any(|note| note.contains("only 8 usable")));
    }

    #[test]
    fn a_still_person_keeps_every_frame_and_a_moving_head_is_refused() {
        // Keypoint jitter of a still person: a pixel or two each way.
        let still: Vec<Pose> = (0..10).map(|i| front_pose((i % 3) as f32 - 1.0, (i % 2) as f32, 1.0)).collect();
        let calibration = calibrate(&still, (1280, 720), PlacementSetting::Front).unwrap();
        assert_eq!(calibration.quality.frames_used, 10);
        // The nose bobbing up and down by a fifth of the head's width: the head pitched about
        // 17 degrees each way.
        let nodding: Vec<Pose> = (0..10)
            .map(|i| {
                let mut pose = front_pose(0.0, 0.0, 1.0);
                pose.keypoints[KeypointName::Nose.index()].y += if i % 2 == 0 { 32.0 } else { -32.0 };
                pose
            })
            .collect();
        let error = calibrate(&nodding, (1280, 720), PlacementSetting::Front).unwrap_err();
        assert!(
            matches!(error, CalibrationError::TooNoisy { spread_deg } if spread_deg > NOISY_MAX_SPREAD_DEG),
            "{error}"
        );
        assert!(error.to_string().contains("sit still"), "{error}");
    }

    #[test]
    fn no_person_is_an_error_that_says_what_to_do() {
        let mut nobody = front_pose(0.0, 0.0, 1.0);
        for keypoint in &mut nobody.keypoints {
            keypoint.score = 0.05;
        }
        let error = calibrate(&[nobody], (1280, 720), PlacementSetting::Auto).unwrap_err();
        assert!(error.to_string().contains("both shoulders in view"));
    }

    #[test]
    fn json_round_trips_and_refuses_damage_and_future_versions() {
        let calibration = calibrate(&[front_pose(0.0, 0.0, 1.0)], (1280, 720), PlacementSetting::Auto).unwrap();
        let json = calibration.to_json();
        assert_eq!(Calibration::from_json(&json).unwrap(), calibration);
        assert!(matches!(Calibration::from_json(&json[..json.len() / 2]), Err(CalibrationFileError::Corrupt { .. })));
        let future = json.replacen("\"version\": 1", "\"version\": 99", 1);
        assert!(matches!(Calibration::from_json(&future), Err(CalibrationFileError::UnsupportedVersion { found: 99 })));
    }
}
