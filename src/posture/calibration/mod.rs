//! Calibration: the person's own neutral posture, captured over several frames, against which
//! the front-view measures and every threshold are set; and the check that they still sit where
//! they calibrated.
//!
//! Pure: frames come in as poses, the result goes out as a value or JSON text. Reading and
//! writing the file is the caller's job.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::metrics::{FrontReference, METRIC_COUNT, Metrics, body_heights, front_metrics, side_metrics};
use super::observation::{EyesToEars, FrontObservation, Point, SideObservation};
use super::placement::{CameraPlacement, PlacementSetting, detect};
use crate::pose::{Letterbox, Pose};

/// Version of the calibration JSON this build writes and reads.
pub const CALIBRATION_VERSION: u32 = 1;

/// Frames for a calibration graded good: five seconds at the default two analysed frames a second.
pub const GOOD_CALIBRATION_FRAMES: usize = 10;

/// Frames for a calibration graded fair; fewer is poor (a single photo still calibrates).
pub const FAIR_CALIBRATION_FRAMES: usize = 3;

/// A frame is dropped as movement when the person's anchor (shoulder midpoint) is further than
/// this many body scales (shoulder widths front, ear-to-shoulder lengths side) from the median,
/// or their scale differs from the median by more than this fraction.
pub const MOVEMENT_REJECT_SCALES: f32 = 0.1;

/// Largest spread (robust standard deviation, degrees) of the forward-head measure over the
/// calibration frames for the calibration to count as steady. MoveNet Lightning's frame-to-frame
/// jitter alone gives about 3 degrees on our upright desk photos (1% of ear width is about 2.7
/// degrees); more than 4 means the person moved.
pub const STEADY_MAX_SPREAD_DEG: f32 = 4.0;

/// Share of the frame width kept free on each side for the person to count as centred; a
/// calibration of someone sitting further out is refused with a hint which way to move (the
/// front measures assume a camera roughly in front of the person).
pub const CENTRED_MARGIN_FRACTION: f32 = 0.2;

/// A shoulder joint placed further than this many shoulder widths beyond the picture's edge is
/// outside the picture, and the calibration is refused: MoveNet still places a joint it cannot
/// see, and measures resting on a guessed joint are not a baseline. A joint just at the edge
/// (its outline in view) is kept.
pub const SHOULDER_OUTSIDE_TOLERANCE_SCALES: f32 = 0.1;

/// Largest calibration spread (robust standard deviation over the frames) of the forward-head
/// and head-down measures, degrees, that a calibration may have. Beyond it the limits it would
/// need are wider than [`SPREAD_WIDENING_CAP`](super::verdict::SPREAD_WIDENING_CAP) allows, so
/// it cannot be judged against: the person is asked to sit still and calibrate again.
pub const NOISY_MAX_SPREAD_DEG: f32 = 5.0;

/// The calibration is stale when the person's anchor has moved more than this many calibrated
/// body scales (about a shoulder width: the chair or the laptop moved, or they stood up).
pub const STALE_SHIFT_SCALES: f32 = 0.75;

/// The calibration is stale when the person appears smaller than calibrated by more than this
/// factor (they sit much further back than when calibrating). Appearing larger is leaning in
/// toward the screen: that is judged (too close), never stale.
pub const STALE_SCALE_FACTOR: f32 = 1.5;

/// Sinking low in the chair moves the shoulders straight down the picture: that is judged (the
/// head sinks toward the shoulders, or comes forward), not stale, until the shoulders have
/// dropped this many calibrated body scales, which no chair allows (the person left it).
pub const STALE_SINK_SCALES: f32 = 1.5;

/// Side view: the body scale is this many ear-to-shoulder lengths, which makes it about a shoulder
/// width (16 cm of neck against 36 cm of shoulders), so the same movement limits apply to both views.
pub const SIDE_SCALE_NECK_LENGTHS: f32 = 2.25;

/// Side of the square the model looks at when following the calibrated person, in body scales:
/// room for the head above the shoulders and for ordinary shifting in the chair.
pub const PERSON_REGION_SCALES: f32 = 3.0;

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

/// Why the person no longer matches their calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaleReason {
    /// The camera now sees them from the other placement.
    PlacementChanged,
    /// They sit far from where they calibrated, or stood up.
    Moved,
    /// They appear much further away than when calibrating.
    DistanceChanged,
    /// The frame size changed (another camera or mode).
    CameraChanged,
}

impl fmt::Display for StaleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StaleReason::PlacementChanged => "the camera now sees you from another side than when you calibrated",
            StaleReason::Moved => "you sit far from where you calibrated (or stood up, or the camera moved)",
            StaleReason::DistanceChanged => "you sit much further back than when you calibrated",
            StaleReason::CameraChanged => "the camera picture changed size since you calibrated",
        })
    }
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
    })
}

/// Which way a person should move to come away from the picture's `edge`, in their own terms.
/// A webcam picture is not mirrored: its left edge is on the person's right.
fn away_from(edge: &str) -> &'static str {
    if edge == "left" { "a little to your left" } else { "a little to your right" }
}

/// Drops front samples whose shoulder lies outside the picture; refuses the calibration, naming
/// the shoulder and which way to move, when that leaves fewer than half of them.
fn refuse_shoulders_outside(samples: Vec<Sample>, frame_size: (u32, u32)) -> Result<Vec<Sample>, CalibrationError> {
    let total = samples.len();
    let width = frame_size.0 as f32;
    let mut outside_left = 0;
    let mut outside_right = 0;
    let inside: Vec<Sample> = samples
        .into_iter()
        .filter(|sample| {
            let Some(front) = sample.front else { return true };
            let tolerance = SHOULDER_OUTSIDE_TOLERANCE_SCALES * front.shoulder_width_px;
            let (image_left, image_right) = front.shoulder_ends();
            let left_out = image_left.x.min(image_right.x) < -tolerance;
            let right_out = image_left.x.max(image_right.x) > width + tolerance;
            outside_left += usize::from(left_out);
            outside_right += usize::from(right_out);
            !left_out && !right_out
        })
        .collect();
    if total > 0 && inside.len() * 2 < total {
        // The picture's left edge is on the person's right.
        let (shoulder, edge) = if outside_left >= outside_right { ("right", "left") } else { ("left", "right") };
        return Err(CalibrationError::ShoulderOutside { shoulder, toward: away_from(edge) });
    }
    Ok(inside)
}

/// Refuses a calibration of a person whose shoulder midpoint lies outside the central band of the
/// picture ([`CENTRED_MARGIN_FRACTION`] kept free on each side).
fn refuse_off_centre(anchor: Anchor, frame_size: (u32, u32)) -> Result<(), CalibrationError> {
    let width = frame_size.0 as f32;
    let margin = CENTRED_MARGIN_FRACTION * width;
    let edge = if anchor.position.x < margin {
        "left"
    } else if anchor.position.x > width - margin {
        "right"
    } else {
        return Ok(());
    };
    Err(CalibrationError::OffCentre { edge, toward: away_from(edge) })
}

fn majority_placement(poses: &[Pose]) -> CameraPlacement {
    let detected: Vec<CameraPlacement> = poses.iter().filter_map(detect).collect();
    let side = detected.iter().filter(|&&p| p == CameraPlacement::Side).count();
    if side * 2 > detected.len() { CameraPlacement::Side } else { CameraPlacement::Front }
}

/// The quality of a calibration that passed the refusals (off-centre, shoulder outside, too
/// noisy): how many frames it rests on and whether the head held still.
fn grade(used: usize, total: usize, spread: &Metrics) -> CalibrationQuality {
    let mut notes = Vec::new();
    let steady = spread.forward_head_deg.is_none_or(|s| s <= STEADY_MAX_SPREAD_DEG);
    if !steady {
        notes.push("your head moved during calibration: sit still and look at the screen".to_owned());
    }
    if used < GOOD_CALIBRATION_FRAMES {
        notes.push(format!(
            "only {used} usable frame(s) of {total}: calibrate over at least {GOOD_CALIBRATION_FRAMES} for a steadier baseline"
        ));
    }
    let grade = if used < FAIR_CALIBRATION_FRAMES || !steady {
        QualityGrade::Poor
    } else if used < GOOD_CALIBRATION_FRAMES {
        QualityGrade::Fair
    } else {
        QualityGrade::Good
    };
    // An off-centre person is refused before grading (`refuse_off_centre`).
    CalibrationQuality { grade, frames_used: used, frames_total: total, steady, centred: true, notes }
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

    /// The square of the frame around where the calibrated person sat (their shoulders a little
    /// below its centre, so the head fits above). With several people in view, running the
    /// single-person model on this square follows the calibrated person rather than whoever is
    /// largest.
    pub fn person_region(&self) -> Letterbox {
        if let Some(region) = self.region {
            return region;
        }
        let side = PERSON_REGION_SCALES * self.anchor.scale_px;
        Letterbox { left: self.anchor.position.x - side / 2.0, top: self.anchor.position.y - 0.6 * side, side }
    }

    /// [`Calibration::person_region`] for a frame of `frame_size`, or `None` when the frame is
    /// not the size the calibration was taken at (another camera or mode: the region means
    /// nothing there).
    pub fn region_for(&self, frame_size: (u32, u32)) -> Option<Letterbox> {
        ((self.frame_width, self.frame_height) == frame_size).then(|| self.person_region())
    }

    /// Whether the person in `pose` still sits where they calibrated; the reason if not.
    /// `None` also when the pose is too unclear to tell (the verdict then says unknown anyway).
    pub fn staleness(&self, pose: &Pose, frame_size: (u32, u32)) -> Option<StaleReason> {
        if frame_size != (self.frame_width, self.frame_height) {
            return Some(StaleReason::CameraChanged);
        }
        if let Some(now) = detect(pose)
            && now != self.placement
        {
            return Some(StaleReason::PlacementChanged);
        }
        let anchor = anchor_of(pose, self.placement)?;
        if anchor.scale_px * STALE_SCALE_FACTOR < self.anchor.scale_px {
            return Some(StaleReason::DistanceChanged);
        }
        let sideways = (anchor.position.x - self.anchor.position.x).abs();
        let down = anchor.position.y - self.anchor.position.y;
        let limit = STALE_SHIFT_SCALES * self.anchor.scale_px;
        // Sideways or up (standing) is moving away from the calibrated seat; down is sinking.
        if sideways > limit || -down > limit || down > STALE_SINK_SCALES * self.anchor.scale_px {
            return Some(StaleReason::Moved);
        }
        None
    }
}

#[cfg(test)]
mod tests;
