//! The 17 COCO body keypoints and the `Pose` that holds them.
//!
//! Pure data: no model, no image. Keypoints are addressed by name ([`KeypointName`]), never by a
//! bare index, so `pose[KeypointName::LeftShoulder]` reads as what it is.

use std::ops::Index;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// A keypoint whose score is below this is not trusted for anything: not for counting a person in
/// view and not for posture. MoveNet's own demos draw keypoints above 0.11 and most published
/// MoveNet pipelines gate on 0.2-0.3; 0.3 keeps a half-hidden ear from posing as a real one.
pub const KEYPOINT_MIN_SCORE: f32 = 0.3;

/// How many of the seven head-and-shoulder keypoints (nose, eyes, ears, shoulders) must pass
/// [`KEYPOINT_MIN_SCORE`] for a person to count as in view. A person at a desk shows at least the
/// face and one shoulder; MoveNet on an empty scene seldom gives more than one or two of them a
/// score that high (checked on empty scenes, see `tests/pose_model.rs`).
pub const PERSON_MIN_UPPER_BODY_KEYPOINTS: usize = 4;

/// The 17 keypoints of the COCO body layout, in the order MoveNet outputs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeypointName {
    /// Tip of the nose.
    Nose,
    /// The person's left eye (on the right of a camera image that faces them).
    LeftEye,
    /// The person's right eye.
    RightEye,
    /// The person's left ear (tragus area).
    LeftEar,
    /// The person's right ear.
    RightEar,
    /// The person's left shoulder joint.
    LeftShoulder,
    /// The person's right shoulder joint.
    RightShoulder,
    /// The person's left elbow.
    LeftElbow,
    /// The person's right elbow.
    RightElbow,
    /// The person's left wrist.
    LeftWrist,
    /// The person's right wrist.
    RightWrist,
    /// The person's left hip.
    LeftHip,
    /// The person's right hip.
    RightHip,
    /// The person's left knee.
    LeftKnee,
    /// The person's right knee.
    RightKnee,
    /// The person's left ankle.
    LeftAnkle,
    /// The person's right ankle.
    RightAnkle,
}

/// Number of keypoints in a [`Pose`].
pub const KEYPOINT_COUNT: usize = 17;

impl KeypointName {
    /// All keypoints, in model output order.
    pub const ALL: [KeypointName; KEYPOINT_COUNT] = [
        KeypointName::Nose,
        KeypointName::LeftEye,
        KeypointName::RightEye,
        KeypointName::LeftEar,
        KeypointName::RightEar,
        KeypointName::LeftShoulder,
        KeypointName::RightShoulder,
        KeypointName::LeftElbow,
        KeypointName::RightElbow,
        KeypointName::LeftWrist,
        KeypointName::RightWrist,
        KeypointName::LeftHip,
        KeypointName::RightHip,
        KeypointName::LeftKnee,
        KeypointName::RightKnee,
        KeypointName::LeftAnkle,
        KeypointName::RightAnkle,
    ];

    /// The head and shoulders: what a desk webcam sees of a seated person, and what posture needs.
    pub const UPPER_BODY: [KeypointName; 7] = [
        KeypointName::Nose,
        KeypointName::LeftEye,
        KeypointName::RightEye,
        KeypointName::LeftEar,
        KeypointName::RightEar,
        KeypointName::LeftShoulder,
        KeypointName::RightShoulder,
    ];

    /// The snake_case name used in JSON output (`"left_shoulder"`).
    pub fn as_str(self) -> &'static str {
        match self {
            KeypointName::Nose => "nose",
            KeypointName::LeftEye => "left_eye",
            KeypointName::RightEye => "right_eye",
            KeypointName::LeftEar => "left_ear",
            KeypointName::RightEar => "right_ear",
            KeypointName::LeftShoulder => "left_shoulder",
            KeypointName::RightShoulder => "right_shoulder",
            KeypointName::LeftElbow => "left_elbow",
            KeypointName::RightElbow => "right_elbow",
            KeypointName::LeftWrist => "left_wrist",
            KeypointName::RightWrist => "right_wrist",
            KeypointName::LeftHip => "left_hip",
            KeypointName::RightHip => "right_hip",
            KeypointName::LeftKnee => "left_knee",
            KeypointName::RightKnee => "right_knee",
            KeypointName::LeftAnkle => "left_ankle",
            KeypointName::RightAnkle => "right_ankle",
        }
    }

    /// Position in the model output and in [`Pose::keypoints`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One keypoint: where it is in the source image, in pixels, and how sure the model is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Keypoint {
    /// Horizontal position in source-image pixels, from the left edge. May fall slightly outside
    /// the image when the model places a joint in the letterbox padding.
    pub x: f32,
    /// Vertical position in source-image pixels, from the top edge.
    pub y: f32,
    /// Model confidence, 0..1.
    pub score: f32,
}

impl Keypoint {
    /// Whether this keypoint passes [`KEYPOINT_MIN_SCORE`].
    pub fn is_confident(&self) -> bool {
        self.score >= KEYPOINT_MIN_SCORE
    }
}

/// The 17 keypoints of one person in one image, in source-image pixels, and their face when the
/// face mesh read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pose {
    /// Keypoints in [`KeypointName::ALL`] order; index with a [`KeypointName`].
    pub keypoints: [Keypoint; KEYPOINT_COUNT],
    /// The face landmarks ([`super::face`]); `None` when the mesh did not run or read no face.
    pub face: Option<super::face::Face>,
}

impl Pose {
    /// A pose from named keypoints; keypoints not given are at (0, 0) with score 0 (unseen).
    /// For synthetic poses: tests, simulations.
    pub fn from_named(points: impl IntoIterator<Item = (KeypointName, Keypoint)>) -> Pose {
        let mut keypoints = [Keypoint { x: 0.0, y: 0.0, score: 0.0 }; KEYPOINT_COUNT];
        for (name, keypoint) in points {
            keypoints[name.index()] = keypoint;
        }
        Pose { keypoints, face: None }
    }

    /// Looks up one keypoint by name.
    pub fn get(&self, name: KeypointName) -> Keypoint {
        self.keypoints[name.index()]
    }

    /// Looks up one keypoint only if its score passes [`KEYPOINT_MIN_SCORE`].
    pub fn confident(&self, name: KeypointName) -> Option<Keypoint> {
        Some(self.get(name)).filter(Keypoint::is_confident)
    }

    /// How many head-and-shoulder keypoints pass [`KEYPOINT_MIN_SCORE`].
    pub fn confident_upper_body_count(&self) -> usize {
        KeypointName::UPPER_BODY.iter().filter(|&&name| self.get(name).is_confident()).count()
    }

    /// Whether both shoulder keypoints pass [`KEYPOINT_MIN_SCORE`].
    pub fn both_shoulders_confident(&self) -> bool {
        self.get(KeypointName::LeftShoulder).is_confident() && self.get(KeypointName::RightShoulder).is_confident()
    }

    /// The "no person in view" rule: a person is in view when at least
    /// [`PERSON_MIN_UPPER_BODY_KEYPOINTS`] head-and-shoulder keypoints are confident.
    /// MoveNet always returns 17 keypoints, even for an empty room; this is what tells them apart.
    pub fn person_in_view(&self) -> bool {
        self.confident_upper_body_count() >= PERSON_MIN_UPPER_BODY_KEYPOINTS
    }

    /// Keypoints paired with their names, in model order.
    pub fn iter(&self) -> impl Iterator<Item = (KeypointName, Keypoint)> + '_ {
        KeypointName::ALL.iter().map(|&name| (name, self.get(name)))
    }
}

impl Index<KeypointName> for Pose {
    type Output = Keypoint;

    fn index(&self, name: KeypointName) -> &Keypoint {
        &self.keypoints[name.index()]
    }
}

/// Serialises as a JSON object keyed by keypoint name, in model order:
/// `{"nose": {"x": .., "y": .., "score": ..}, ...}`.
impl Serialize for Pose {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(KEYPOINT_COUNT))?;
        for (name, keypoint) in self.iter() {
            map.serialize_entry(name.as_str(), &keypoint)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pose_with_scores(score_of: impl Fn(KeypointName) -> f32) -> Pose {
        let mut keypoints = [Keypoint { x: 0.0, y: 0.0, score: 0.0 }; KEYPOINT_COUNT];
        for name in KeypointName::ALL {
            keypoints[name.index()] =
                Keypoint { x: name.index() as f32, y: 2.0 * name.index() as f32, score: score_of(name) };
        }
        Pose { keypoints, face: None }
    }

    #[test]
    fn names_follow_model_order_and_serde_names() {
        for (i, name) in KeypointName::ALL.iter().enumerate() {
            assert_eq!(name.index(), i);
            let json = serde_json::to_string(name).unwrap();
            assert_eq!(json, format!("\"{}\"", name.as_str()));
        }
    }

    #[test]
    fn person_rule_counts_only_confident_head_and_shoulders() {
        let everything_but_upper_body =
            pose_with_scores(|name| if KeypointName::UPPER_BODY.contains(&name) { 0.0 } else { 0.9 });
        assert!(!everything_but_upper_body.person_in_view());

        let just_enough = pose_with_scores(|name| match name {
            KeypointName::Nose | KeypointName::LeftEye | KeypointName::RightEye => 0.5,
            KeypointName::LeftShoulder => KEYPOINT_MIN_SCORE,
            _ => 0.1,
        });
        assert_eq!(just_enough.confident_upper_body_count(), PERSON_MIN_UPPER_BODY_KEYPOINTS);
        assert!(just_enough.person_in_view());

        let one_short = pose_with_scores(|name| match name {
            KeypointName::Nose | KeypointName::LeftEye | KeypointName::RightEye => 0.5,
            KeypointName::LeftShoulder => KEYPOINT_MIN_SCORE - 0.01,
            _ => 0.1,
        });
        assert!(!one_short.person_in_view());
    }

    #[test]
    fn confident_filters_by_score() {
        let pose = pose_with_scores(|name| if name == KeypointName::Nose { 0.8 } else { 0.1 });
        assert!(pose.confident(KeypointName::Nose).is_some());
        assert!(pose.confident(KeypointName::LeftEar).is_none());
        assert_eq!(pose[KeypointName::RightEye].x, 2.0);
    }

    #[test]
    fn serialises_as_named_map_in_model_order() {
        let pose = pose_with_scores(|_| 0.5);
        let json = serde_json::to_string(&pose).unwrap();
        assert!(json.starts_with("{\"nose\":{\"x\":0.0,\"y\":0.0,\"score\":0.5},\"left_eye\":"));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let object = value.as_object().unwrap();
        assert_eq!(object.len(), KEYPOINT_COUNT);
        assert_eq!(object["right_ankle"]["x"], 16.0);
        assert_eq!(object["right_ankle"]["y"], 32.0);
    }
}
