//! What a calibration must pass before it is a baseline (the person in the picture's middle,
//! both shoulders in view, a head that held still) and how trustworthy it is when it passes.
//! A refusal says which way to move, in the person's own terms.

use super::{Anchor, CalibrationError, CalibrationQuality, QualityGrade, Sample};
use crate::pose::Pose;
use crate::posture::{Metrics, PlacementSetting};

/// Frames for a calibration graded good: five seconds at the default two analysed frames a second.
pub const GOOD_CALIBRATION_FRAMES: usize = 10;

/// Frames for a calibration graded fair; fewer is poor (a single photo still calibrates).
pub const FAIR_CALIBRATION_FRAMES: usize = 3;

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
/// need are wider than [`SPREAD_WIDENING_CAP`](crate::posture::verdict::SPREAD_WIDENING_CAP) allows, so
/// it cannot be judged against: the person is asked to sit still and calibrate again.
pub const NOISY_MAX_SPREAD_DEG: f32 = 5.0;

/// Which way a person should move to come away from the picture's `edge`, in their own terms.
/// A webcam picture is not mirrored: its left edge is on the person's right.
fn away_from(edge: &str) -> &'static str {
    if edge == "left" { "a little to your left" } else { "a little to your right" }
}

/// Drops front samples whose shoulder lies outside the picture; refuses the calibration, naming
/// the shoulder and which way to move, when that leaves fewer than half of them.
pub(super) fn refuse_shoulders_outside(
    samples: Vec<Sample>,
    frame_size: (u32, u32),
) -> Result<Vec<Sample>, CalibrationError> {
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
pub(super) fn refuse_off_centre(anchor: Anchor, frame_size: (u32, u32)) -> Result<(), CalibrationError> {
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

/// What to change before calibrating, judged from one live pose by the very rules calibration
/// applies: `None` when the framing is right (head and both shoulders in view, in the middle).
pub fn framing_advice(pose: &Pose, frame_size: (u32, u32), placement: PlacementSetting) -> Option<String> {
    let error = super::calibrate(std::slice::from_ref(pose), frame_size, placement).err()?;
    Some(match error {
        CalibrationError::OffCentre { toward, .. } => {
            format!("Move {toward} until you are in the middle of the picture.")
        }
        CalibrationError::ShoulderOutside { shoulder, toward } => {
            format!("Your {shoulder} shoulder is outside the picture: move {toward} or a little further back.")
        }
        CalibrationError::NoUsableFrames { .. } => {
            "Sit facing the camera with your head and both shoulders in the picture.".to_owned()
        }
        // One frame cannot vary; kept for completeness.
        CalibrationError::TooNoisy { .. } => "Hold still.".to_owned(),
    })
}

/// The quality of a calibration that passed the refusals (off-centre, shoulder outside, too
/// noisy): how many frames it rests on and whether the head held still.
pub(super) fn grade(used: usize, total: usize, spread: &Metrics) -> CalibrationQuality {
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

#[cfg(test)]
mod tests {
    use super::super::tests::front_pose;
    use crate::pose::Pose;
    use crate::posture::PlacementSetting;
    use crate::posture::calibration::{CalibrationError, QualityGrade, calibrate};

    #[test]
    fn an_off_centre_person_is_told_which_way_to_move() {
        let error = calibrate(&[front_pose(-500.0, 0.0, 0.5)], (1280, 720), PlacementSetting::Auto).unwrap_err();
        assert_eq!(error, CalibrationError::OffCentre { edge: "left", toward: "a little to your left" });
        assert!(error.to_string().contains("move a little to your left"), "{error}");
        let error = calibrate(&[front_pose(480.0, 0.0, 0.5)], (1280, 720), PlacementSetting::Auto).unwrap_err();
        assert!(matches!(error, CalibrationError::OffCentre { edge: "right", .. }), "{error}");
        let single = calibrate(&[front_pose(0.0, 0.0, 1.0)], (1280, 720), PlacementSetting::Auto).unwrap();
        assert_eq!(single.quality.grade, QualityGrade::Poor, "one photo still calibrates, graded poor");
    }

    #[test]
    fn a_shoulder_outside_the_picture_is_refused_with_the_way_to_move() {
        // Shoulders 600 px apart around x = 640 - 420: the right shoulder (image left) lands at
        // -80, beyond the 60 px (0.1 shoulder widths) tolerance.
        let poses: Vec<Pose> = (0..10).map(|_| front_pose(-420.0, 0.0, 1.5)).collect();
        let error = calibrate(&poses, (1280, 720), PlacementSetting::Front).unwrap_err();
        assert_eq!(error, CalibrationError::ShoulderOutside { shoulder: "right", toward: "a little to your left" });
        // Just at the edge is still in view.
        let at_edge: Vec<Pose> = (0..10).map(|_| front_pose(-345.0, 0.0, 1.5)).collect();
        assert!(calibrate(&at_edge, (1280, 720), PlacementSetting::Front).is_ok());
    }

    #[test]
    fn the_live_framing_hint_uses_the_calibration_rules() {
        use super::framing_advice;
        let size = (1280, 720);
        assert_eq!(framing_advice(&front_pose(0.0, 0.0, 1.0), size, PlacementSetting::Auto), None);
        let hint = framing_advice(&front_pose(-500.0, 0.0, 0.5), size, PlacementSetting::Auto).unwrap();
        assert_eq!(hint, "Move a little to your left until you are in the middle of the picture.");
        let nobody = Pose {
            keypoints: [crate::pose::Keypoint { x: 0.0, y: 0.0, score: 0.0 }; crate::pose::KEYPOINT_COUNT],
            face: None,
        };
        let hint = framing_advice(&nobody, size, PlacementSetting::Auto).unwrap();
        assert!(hint.contains("head and both shoulders"), "{hint}");
    }
}
