//! Where the camera is: in front of the person (laptop or monitor webcam) or beside the desk.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::pose::{KeypointName, Pose};

/// Shoulder span over ear-to-shoulder height above which the camera sees the person from the
/// front. Seen from the front the shoulder line is 1.5-2.5 times the neck's height (1.9 and 2.5
/// on our upright and forward-head desk photos); seen from the side the shoulders overlap
/// (below 0.3 on our side photos). 0.8 leaves room for a person turned halfway.
pub const FRONT_MIN_SHOULDER_SPAN_RATIO: f32 = 0.8;

/// The camera's place relative to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CameraPlacement {
    /// A laptop or monitor webcam facing the person.
    Front,
    /// A camera at about shoulder height beside the desk, seeing the person's profile.
    Side,
}

impl fmt::Display for CameraPlacement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CameraPlacement::Front => "front",
            CameraPlacement::Side => "side",
        })
    }
}

/// The user's placement setting: detected from each frame, or fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementSetting {
    /// Detect from the keypoints (the calibration's placement once calibrated).
    #[default]
    Auto,
    /// Always front.
    Front,
    /// Always side.
    Side,
}

impl FromStr for PlacementSetting {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "auto" => Ok(PlacementSetting::Auto),
            "front" => Ok(PlacementSetting::Front),
            "side" => Ok(PlacementSetting::Side),
            other => Err(format!("unknown camera placement '{other}': use auto, front or side")),
        }
    }
}

impl From<CameraPlacement> for PlacementSetting {
    fn from(placement: CameraPlacement) -> Self {
        match placement {
            CameraPlacement::Front => PlacementSetting::Front,
            CameraPlacement::Side => PlacementSetting::Side,
        }
    }
}

impl PlacementSetting {
    /// The fixed placement, if the setting is not `Auto`.
    pub fn fixed(self) -> Option<CameraPlacement> {
        match self {
            PlacementSetting::Auto => None,
            PlacementSetting::Front => Some(CameraPlacement::Front),
            PlacementSetting::Side => Some(CameraPlacement::Side),
        }
    }
}

/// Detects the placement from one pose: both shoulders confident and far apart compared with
/// the neck's height means front; overlapping shoulders or a single visible one means side.
/// `None` when there is too little to tell (no confident ear or shoulder).
pub fn detect(pose: &Pose) -> Option<CameraPlacement> {
    let ear = [KeypointName::LeftEar, KeypointName::RightEar, KeypointName::LeftEye, KeypointName::RightEye]
        .into_iter()
        .filter_map(|name| pose.confident(name))
        .max_by(|a, b| a.score.total_cmp(&b.score))?;
    let left = pose.confident(KeypointName::LeftShoulder);
    let right = pose.confident(KeypointName::RightShoulder);
    let (left, right) = match (left, right) {
        (Some(left), Some(right)) => (left, right),
        (None, None) => return None,
        // One shoulder hidden: a face seen from the front means the other shoulder is outside
        // the picture (the person sits off-centre or close), not a side camera.
        _ if face_seen_from_front(pose) => return Some(CameraPlacement::Front),
        _ => return Some(CameraPlacement::Side),
    };
    let neck_height = ((left.y + right.y) / 2.0 - ear.y).abs().max(1.0);
    let span = (left.x - right.x).hypot(left.y - right.y);
    Some(if span / neck_height >= FRONT_MIN_SHOULDER_SPAN_RATIO {
        CameraPlacement::Front
    } else {
        CameraPlacement::Side
    })
}

/// Whether the face is seen from the front: both ears (or both eyes) confident, with the nose
/// between them. In profile the far ear is hidden and the nose sticks out past the eyes.
fn face_seen_from_front(pose: &Pose) -> bool {
    let Some(nose) = pose.confident(KeypointName::Nose) else {
        return false;
    };
    let between = |left: KeypointName, right: KeypointName| match (pose.confident(left), pose.confident(right)) {
        (Some(left), Some(right)) => (left.x.min(right.x)..=left.x.max(right.x)).contains(&nose.x),
        _ => false,
    };
    between(KeypointName::LeftEar, KeypointName::RightEar) || between(KeypointName::LeftEye, KeypointName::RightEye)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::Keypoint;

    fn pose(points: &[(KeypointName, f32, f32)]) -> Pose {
        Pose::from_named(points.iter().map(|&(name, x, y)| (name, Keypoint { x, y, score: 0.8 })))
    }

    #[test]
    fn wide_shoulders_are_front_overlapping_ones_are_side() {
        use KeypointName::*;
        let front = pose(&[
            (LeftEar, 560.0, 300.0),
            (RightEar, 400.0, 300.0),
            (LeftShoulder, 680.0, 500.0),
            (RightShoulder, 300.0, 500.0),
        ]);
        assert_eq!(detect(&front), Some(CameraPlacement::Front));
        let side = pose(&[(LeftEar, 440.0, 180.0), (LeftShoulder, 473.0, 322.0), (RightShoulder, 478.0, 318.0)]);
        assert_eq!(detect(&side), Some(CameraPlacement::Side));
        let one_shoulder = pose(&[(RightEar, 440.0, 180.0), (RightShoulder, 478.0, 318.0)]);
        assert_eq!(detect(&one_shoulder), Some(CameraPlacement::Side));
        let profile = pose(&[
            (RightEar, 440.0, 180.0),
            (RightEye, 500.0, 170.0),
            (LeftEye, 510.0, 170.0),
            (Nose, 530.0, 190.0),
            (RightShoulder, 478.0, 318.0),
        ]);
        assert_eq!(detect(&profile), Some(CameraPlacement::Side), "nose past both eyes: a profile");
        assert_eq!(detect(&pose(&[(Nose, 1.0, 1.0)])), None);
    }

    #[test]
    fn a_front_face_with_one_shoulder_outside_the_picture_is_front() {
        use KeypointName::*;
        // Sitting off-centre: the right shoulder is past the picture's left edge.
        let off_centre = pose(&[
            (LeftEar, 98.0, 50.0),
            (RightEar, 16.0, 48.0),
            (LeftEye, 79.0, 40.0),
            (RightEye, 45.0, 40.0),
            (Nose, 64.0, 61.0),
            (LeftShoulder, 131.0, 146.0),
        ]);
        assert_eq!(detect(&off_centre), Some(CameraPlacement::Front));
    }

    #[test]
    fn setting_parses_and_fixes() {
        assert_eq!("SIDE".parse::<PlacementSetting>().unwrap().fixed(), Some(CameraPlacement::Side));
        assert_eq!("auto".parse::<PlacementSetting>().unwrap().fixed(), None);
        assert!("above".parse::<PlacementSetting>().unwrap_err().contains("auto, front or side"));
    }
}
