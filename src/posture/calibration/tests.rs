use super::*;
use crate::pose::{KEYPOINT_COUNT, Keypoint, KeypointName};

/// A front-view upright person, shifted by (dx, dy) and scaled about the shoulder midpoint.
fn front_pose(dx: f32, dy: f32, scale: f32) -> Pose {
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
    Pose { keypoints }
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
    assert!(matches!(error, CalibrationError::TooNoisy { spread_deg } if spread_deg > NOISY_MAX_SPREAD_DEG), "{error}");
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

#[test]
fn leaning_in_and_sinking_low_are_judged_not_stale() {
    let calibration = calibrate(&[front_pose(0.0, 0.0, 1.0)], (1280, 720), PlacementSetting::Auto).unwrap();
    let frame = (1280, 720);
    assert_eq!(calibration.staleness(&front_pose(0.0, 40.0, 1.7), frame), None, "leaning in");
    assert_eq!(calibration.staleness(&front_pose(0.0, 350.0, 1.0), frame), None, "sunk low in the chair");
    assert_eq!(calibration.staleness(&front_pose(0.0, 650.0, 1.0), frame), Some(StaleReason::Moved));
}

#[test]
fn the_person_region_surrounds_head_and_shoulders() {
    let calibration = calibrate(&[front_pose(0.0, 0.0, 1.0)], (1280, 720), PlacementSetting::Auto).unwrap();
    let region = calibration.person_region();
    let pose = front_pose(0.0, 0.0, 1.0);
    for keypoint in pose.keypoints.iter().filter(|k| k.score > 0.5) {
        assert!((region.left..region.left + region.side).contains(&keypoint.x), "{keypoint:?} {region:?}");
        assert!((region.top..region.top + region.side).contains(&keypoint.y), "{keypoint:?} {region:?}");
    }
    assert_eq!(region.side, 1200.0);
}

#[test]
fn staleness_notices_moving_standing_and_distance() {
    let calibration = calibrate(&[front_pose(0.0, 0.0, 1.0)], (1280, 720), PlacementSetting::Auto).unwrap();
    let frame = (1280, 720);
    assert_eq!(calibration.staleness(&front_pose(30.0, 20.0, 1.05), frame), None);
    assert_eq!(calibration.staleness(&front_pose(0.0, -350.0, 1.0), frame), Some(StaleReason::Moved));
    assert_eq!(calibration.staleness(&front_pose(0.0, 0.0, 0.6), frame), Some(StaleReason::DistanceChanged));
    assert_eq!(calibration.staleness(&front_pose(350.0, 0.0, 1.0), frame), Some(StaleReason::Moved));
    assert_eq!(calibration.staleness(&front_pose(0.0, 0.0, 1.0), (640, 480)), Some(StaleReason::CameraChanged));
}
