//! Raw geometry read off one pose: distances and angles in image pixels and degrees, before any
//! comparison with a calibration. Pure functions of the keypoints.
//!
//! Every quantity needs specific keypoints to pass [`KEYPOINT_MIN_SCORE`](crate::pose::KEYPOINT_MIN_SCORE);
//! when they do not, it is `None`, never a guess.

use serde::{Deserialize, Serialize};

use crate::pose::{Face, Keypoint, KeypointName, Pose};

/// A point in image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Pixels from the left edge.
    pub x: f32,
    /// Pixels from the top edge.
    pub y: f32,
}

impl Point {
    fn of(keypoint: Keypoint) -> Point {
        Point { x: keypoint.x, y: keypoint.y }
    }

    fn midpoint(a: Point, b: Point) -> Point {
        Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 }
    }

    /// Straight-line distance to `other`, in pixels.
    pub fn distance(self, other: Point) -> f32 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

/// What a camera in front of the person shows: both shoulders and the head from the front.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrontObservation {
    /// Midpoint of the two shoulder keypoints.
    pub shoulder_mid: Point,
    /// Distance between the shoulder keypoints, pixels (`W` in the module docs).
    pub shoulder_width_px: f32,
    /// Angle of the shoulder line from horizontal, degrees; positive when the shoulder on the
    /// image's right is lower.
    pub shoulder_line_deg: f32,
    /// Midpoint of the ears, when both are confident.
    pub ear_mid: Option<Point>,
    /// Distance between the ears, pixels (`E`): the head's apparent width.
    pub ear_width_px: Option<f32>,
    /// Height of the ear midpoint above the shoulder midpoint, measured square to the shoulder
    /// line so that a sideways lean does not change it (`v`).
    pub neck_height_px: Option<f32>,
    /// Angle of the ear line (or, with ears hidden, the eye line) from horizontal, degrees; same
    /// sign rule as `shoulder_line_deg`.
    pub head_line_deg: Option<f32>,
    /// The nose, when confident.
    pub nose: Option<Point>,
    /// How far the nose sits below the ear midpoint, square to the shoulder line, in ear widths.
    pub nose_drop: Option<f32>,
    /// How far the nose sits to the image's right of the ear midpoint, along the shoulder line, in
    /// ear widths.
    pub nose_shift: Option<f32>,
    /// Midpoint of the eyes, when both are confident.
    #[serde(default)]
    pub eye_mid: Option<Point>,
    /// Distance between the eyes, pixels.
    #[serde(default)]
    pub eye_width_px: Option<f32>,
    /// True when the ear fields were estimated from the eyes (ears hidden, e.g. by headphones).
    #[serde(default)]
    pub ears_from_eyes: bool,
    /// What the face mesh adds, when it read the face.
    #[serde(default)]
    pub face: Option<FaceGeometry>,
}

/// The front-view geometry of a face the mesh read ([`crate::pose::face`]), in the face's own
/// width so that distance to the camera does not change it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FaceGeometry {
    /// The face's width, edge to edge, pixels (the unit of the other two).
    pub width_px: f32,
    /// How far the chin sits above the shoulder line, square to it, in face widths.
    pub chin_gap: f32,
    /// The shoulder line's length in face widths: when MoveNet loses the shoulders below the
    /// picture and puts them on the neck instead, it collapses.
    pub shoulder_width: f32,
    /// The forehead-to-chin line's tilt in depth, degrees: larger when the chin is further from
    /// the camera than the forehead, as when the head pitches down. Its zero depends on the face
    /// and on where the camera looks from, so only its change from calibration is a pitch.
    pub pitch_deg: f32,
}

impl FaceGeometry {
    /// The face geometry over a front observation's shoulders, or `None` for a face too small to
    /// measure.
    pub fn of(
        face: &Face,
        shoulder_mid: Point,
        shoulder_width_px: f32,
        shoulder_line_deg: f32,
    ) -> Option<FaceGeometry> {
        let width_px = face.width_px();
        if width_px < 1.0 {
            return None;
        }
        let angle = shoulder_line_deg.to_radians();
        let down = (-angle.sin(), angle.cos());
        let chin_above = (shoulder_mid.x - face.chin.x) * down.0 + (shoulder_mid.y - face.chin.y) * down.1;
        // The face's own down: square to its edge line, so a tilted head does not read as pitch.
        let edge = (face.left_edge.x - face.right_edge.x, face.left_edge.y - face.right_edge.y);
        let face_down = (-edge.1 / width_px, edge.0 / width_px);
        let (forehead, chin) = (face.forehead, face.chin);
        let length = (chin.x - forehead.x) * face_down.0 + (chin.y - forehead.y) * face_down.1;
        Some(FaceGeometry {
            width_px,
            chin_gap: chin_above / width_px,
            shoulder_width: shoulder_width_px / width_px,
            pitch_deg: (chin.z - forehead.z).atan2(length).to_degrees(),
        })
    }
}

/// Ear width over eye width for an average adult head: the pose stage's constant (it sizes the
/// face mesh's region from the eyes too). Used only when the ears were hidden at calibration.
pub use crate::pose::face::EAR_WIDTH_EYE_WIDTHS;

/// How far the ear midpoint sits below the eye midpoint, in eye widths, for an average adult
/// head held level (the ear canal is about 2-3 cm below the pupils). As [`EAR_WIDTH_EYE_WIDTHS`].
pub const EAR_DROP_EYE_WIDTHS: f32 = 0.4;

/// Where a person's ears sit relative to their eyes, in eye widths: lets the front measures go on
/// from the eyes when the ears are hidden (headphones, hair, a hood). Learned at calibration
/// when both were seen; the anatomical averages otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EyesToEars {
    /// Ear width over eye width.
    pub width_ratio: f32,
    /// Ear midpoint below the eye midpoint, square to the shoulder line, in eye widths.
    pub drop: f32,
}

impl Default for EyesToEars {
    fn default() -> Self {
        EyesToEars { width_ratio: EAR_WIDTH_EYE_WIDTHS, drop: EAR_DROP_EYE_WIDTHS }
    }
}

/// What a camera beside the desk shows: the near-side ear, shoulder and (if in frame) hip.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SideObservation {
    /// +1 when the person faces the image's right, -1 when they face left.
    pub facing: f32,
    /// The more confident ear.
    pub ear: Point,
    /// The more confident shoulder.
    pub shoulder: Point,
    /// The more confident hip, if either is confident.
    pub hip: Option<Point>,
    /// The nose, if confident.
    pub nose: Option<Point>,
}

fn confident_point(pose: &Pose, name: KeypointName) -> Option<Point> {
    pose.confident(name).map(Point::of)
}

/// The more confident of a left/right pair, if either passes the threshold.
fn better_of(pose: &Pose, left: KeypointName, right: KeypointName) -> Option<Point> {
    let (l, r) = (pose.get(left), pose.get(right));
    let best = if l.score >= r.score { l } else { r };
    best.is_confident().then(|| Point::of(best))
}

/// Angle of the line from `right` to `left` (the person's right and left, as a camera facing
/// them sees them) from horizontal, in degrees; positive when `left` (image right) is lower.
fn line_angle_deg(right: Point, left: Point) -> f32 {
    (left.y - right.y).atan2(left.x - right.x).to_degrees()
}

impl FrontObservation {
    /// Reads the front-view geometry; `None` when either shoulder is not confident.
    pub fn from_pose(pose: &Pose) -> Option<FrontObservation> {
        let left_shoulder = confident_point(pose, KeypointName::LeftShoulder)?;
        let right_shoulder = confident_point(pose, KeypointName::RightShoulder)?;
        let shoulder_mid = Point::midpoint(left_shoulder, right_shoulder);
        let shoulder_width_px = left_shoulder.distance(right_shoulder);
        if shoulder_width_px < 1.0 {
            return None;
        }
        let ears = confident_point(pose, KeypointName::LeftEar).zip(confident_point(pose, KeypointName::RightEar));
        let eyes = confident_point(pose, KeypointName::LeftEye).zip(confident_point(pose, KeypointName::RightEye));
        let width = |(left, right): (Point, Point)| Some(left.distance(right)).filter(|&width| width >= 1.0);
        let mut front = FrontObservation {
            shoulder_mid,
            shoulder_width_px,
            shoulder_line_deg: line_angle_deg(right_shoulder, left_shoulder),
            ear_mid: None,
            ear_width_px: None,
            neck_height_px: None,
            head_line_deg: ears.or(eyes).map(|(left, right)| line_angle_deg(right, left)),
            nose: confident_point(pose, KeypointName::Nose),
            nose_drop: None,
            nose_shift: None,
            eye_mid: eyes.map(|(left, right)| Point::midpoint(left, right)),
            eye_width_px: eyes.and_then(width),
            ears_from_eyes: false,
            face: None,
        };
        front.face = pose
            .face
            .as_ref()
            .and_then(|face| FaceGeometry::of(face, shoulder_mid, shoulder_width_px, front.shoulder_line_deg));
        if let Some(ears) = ears {
            front.set_ears(Point::midpoint(ears.0, ears.1), width(ears));
        }
        Some(front)
    }

    /// The two shoulder joints: (the one on the image's left, the one on its right).
    pub fn shoulder_ends(&self) -> (Point, Point) {
        let (along, _) = self.axes();
        let half = self.shoulder_width_px / 2.0;
        let at = |sign: f32| Point {
            x: self.shoulder_mid.x + sign * half * along.0,
            y: self.shoulder_mid.y + sign * half * along.1,
        };
        (at(-1.0), at(1.0))
    }

    /// Unit vectors along the shoulder line (towards image right) and square to it (down).
    fn axes(&self) -> ((f32, f32), (f32, f32)) {
        let angle = self.shoulder_line_deg.to_radians();
        let along = (angle.cos(), angle.sin());
        (along, (-along.1, along.0))
    }

    /// Sets the ear midpoint and width and the measures that follow from them.
    fn set_ears(&mut self, ear_mid: Point, ear_width_px: Option<f32>) {
        let (along, down) = self.axes();
        let project = |from: Point, to: Point, axis: (f32, f32)| (to.x - from.x) * axis.0 + (to.y - from.y) * axis.1;
        self.ear_mid = Some(ear_mid);
        self.ear_width_px = ear_width_px;
        self.neck_height_px = Some(-project(self.shoulder_mid, ear_mid, down));
        (self.nose_drop, self.nose_shift) = match (self.nose, ear_width_px) {
            (Some(nose), Some(width)) => {
                (Some(project(ear_mid, nose, down) / width), Some(project(ear_mid, nose, along) / width))
            }
            _ => (None, None),
        };
    }

    /// This observation with the ears placed where `relation` puts them from the eyes (replacing
    /// any ears that were seen); `None` without both eyes.
    pub fn with_ears_from_eyes(&self, relation: EyesToEars) -> Option<FrontObservation> {
        let (eye_mid, eye_width) = self.eye_mid.zip(self.eye_width_px)?;
        let (_, down) = self.axes();
        let drop = relation.drop * eye_width;
        let ear_mid = Point { x: eye_mid.x + down.0 * drop, y: eye_mid.y + down.1 * drop };
        let mut front = *self;
        front.set_ears(ear_mid, Some(relation.width_ratio * eye_width));
        front.ears_from_eyes = true;
        Some(front)
    }

    /// This observation with the ears and the measures that need them removed.
    pub fn without_ears(&self) -> FrontObservation {
        FrontObservation {
            ear_mid: None,
            ear_width_px: None,
            neck_height_px: None,
            nose_drop: None,
            nose_shift: None,
            ears_from_eyes: false,
            ..*self
        }
    }

    /// Where this person's ears sit relative to their eyes, when both pairs were seen.
    pub fn eyes_to_ears(&self) -> Option<EyesToEars> {
        if self.ears_from_eyes {
            return None;
        }
        let (eye_mid, eye_width) = self.eye_mid.zip(self.eye_width_px)?;
        let (ear_mid, ear_width) = self.ear_mid.zip(self.ear_width_px)?;
        let (_, down) = self.axes();
        let drop = ((ear_mid.x - eye_mid.x) * down.0 + (ear_mid.y - eye_mid.y) * down.1) / eye_width;
        Some(EyesToEars { width_ratio: ear_width / eye_width, drop })
    }
}

impl SideObservation {
    /// Reads the side-view geometry; `None` without a confident ear and shoulder, or without a
    /// nose or eye to tell which way the person faces.
    pub fn from_pose(pose: &Pose) -> Option<SideObservation> {
        let ear = better_of(pose, KeypointName::LeftEar, KeypointName::RightEar)?;
        let shoulder = better_of(pose, KeypointName::LeftShoulder, KeypointName::RightShoulder)?;
        let nose = confident_point(pose, KeypointName::Nose);
        let face = nose.or_else(|| better_of(pose, KeypointName::LeftEye, KeypointName::RightEye))?;
        let facing = if face.x >= ear.x { 1.0 } else { -1.0 };
        let hip = better_of(pose, KeypointName::LeftHip, KeypointName::RightHip);
        Some(SideObservation { facing, ear, shoulder, hip, nose })
    }

    /// Angle from vertical of the line from `lower` up to `upper`, degrees, positive when `upper`
    /// is further forward (in the direction the person faces).
    pub fn forward_angle_deg(&self, lower: Point, upper: Point) -> f32 {
        (self.facing * (upper.x - lower.x)).atan2(lower.y - upper.y).to_degrees()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pose(points: &[(KeypointName, f32, f32)]) -> Pose {
        Pose::from_named(points.iter().map(|&(name, x, y)| (name, Keypoint { x, y, score: 0.9 })))
    }

    fn face(points: [(f32, f32, f32); 4]) -> Face {
        let at = |(x, y, z): (f32, f32, f32)| crate::pose::FacePoint { x, y, z };
        Face {
            score: 0.99,
            forehead: at(points[0]),
            chin: at(points[1]),
            right_edge: at(points[2]),
            left_edge: at(points[3]),
        }
    }

    #[test]
    fn the_face_geometry_is_in_face_widths_and_its_pitch_in_depth() {
        // A face 100 px wide, chin 60 px above a level shoulder line 220 px wide, chin 20 px
        // further from the camera than the forehead over 130 px of face.
        let level = face([(300.0, 120.0, -10.0), (300.0, 250.0, 10.0), (250.0, 180.0, 30.0), (350.0, 180.0, 30.0)]);
        let geometry = FaceGeometry::of(&level, Point { x: 300.0, y: 310.0 }, 220.0, 0.0).unwrap();
        assert_eq!(geometry.width_px, 100.0);
        assert!((geometry.chin_gap - 0.6).abs() < 1e-5);
        assert!((geometry.shoulder_width - 2.2).abs() < 1e-5);
        assert!((geometry.pitch_deg - 20f32.atan2(130.0).to_degrees()).abs() < 1e-4);
        // The chin further back than the forehead is pitched down; the other way, up.
        let up = face([(300.0, 120.0, 10.0), (300.0, 250.0, -10.0), (250.0, 180.0, 30.0), (350.0, 180.0, 30.0)]);
        assert!(FaceGeometry::of(&up, Point { x: 300.0, y: 310.0 }, 220.0, 0.0).unwrap().pitch_deg < 0.0);
        // The same face tilted sideways by 20 degrees about the chin keeps its pitch.
        let (sin, cos) = 20f32.to_radians().sin_cos();
        let turn = |(x, y, z): (f32, f32, f32)| {
            (300.0 + cos * (x - 300.0) - sin * (y - 250.0), 250.0 + sin * (x - 300.0) + cos * (y - 250.0), z)
        };
        let tilted =
            face([(300.0, 120.0, -10.0), (300.0, 250.0, 10.0), (250.0, 180.0, 30.0), (350.0, 180.0, 30.0)].map(turn));
        let tilted = FaceGeometry::of(&tilted, Point { x: 300.0, y: 310.0 }, 220.0, 0.0).unwrap();
        assert!((tilted.pitch_deg - geometry.pitch_deg).abs() < 1e-3, "{tilted:?}");
    }

    #[test]
    fn front_geometry_of_a_level_upright_person() {
        use KeypointName::*;
        let pose = pose(&[
            (LeftShoulder, 400.0, 500.0),
            (RightShoulder, 200.0, 500.0),
            (LeftEar, 340.0, 300.0),
            (RightEar, 260.0, 300.0),
            (Nose, 300.0, 308.0),
        ]);
        let front = FrontObservation::from_pose(&pose).unwrap();
        assert_eq!(front.shoulder_width_px, 200.0);
        assert_eq!(front.ear_width_px, Some(80.0));
        assert_eq!(front.neck_height_px, Some(200.0));
        assert_eq!(front.shoulder_line_deg, 0.0);
        assert_eq!(front.nose_drop, Some(0.1));
        assert_eq!(front.nose_shift, Some(0.0));
    }

    #[test]
    fn neck_height_ignores_a_sideways_lean() {
        use KeypointName::*;
        // The whole upper body rotated 10 degrees about the shoulder midpoint (300, 500).
        let (sin, cos) = 10f32.to_radians().sin_cos();
        let rotate = |x: f32, y: f32| {
            (300.0 + (x - 300.0) * cos - (y - 500.0) * sin, 500.0 + (x - 300.0) * sin + (y - 500.0) * cos)
        };
        let at = |name, x, y| {
            let (rx, ry) = rotate(x, y);
            (name, rx, ry)
        };
        let pose = pose(&[
            at(LeftShoulder, 400.0, 500.0),
            at(RightShoulder, 200.0, 500.0),
            at(LeftEar, 340.0, 300.0),
            at(RightEar, 260.0, 300.0),
        ]);
        let front = FrontObservation::from_pose(&pose).unwrap();
        assert!((front.neck_height_px.unwrap() - 200.0).abs() < 1e-3);
        assert!((front.shoulder_line_deg - 10.0).abs() < 1e-3);
        assert!((front.head_line_deg.unwrap() - 10.0).abs() < 1e-3);
    }

    #[test]
    fn front_needs_both_shoulders_and_both_ears_for_head_measures() {
        use KeypointName::*;
        let no_shoulder = pose(&[(LeftShoulder, 400.0, 500.0), (LeftEar, 340.0, 300.0), (RightEar, 260.0, 300.0)]);
        assert!(FrontObservation::from_pose(&no_shoulder).is_none());
        let one_ear = pose(&[(LeftShoulder, 400.0, 500.0), (RightShoulder, 200.0, 500.0), (LeftEar, 340.0, 300.0)]);
        let front = FrontObservation::from_pose(&one_ear).unwrap();
        assert_eq!(front.ear_width_px, None);
        assert_eq!(front.neck_height_px, None);
    }

    #[test]
    fn ears_placed_from_the_eyes_land_where_the_learned_relation_puts_them() {
        use KeypointName::*;
        let seen = pose(&[
            (LeftShoulder, 400.0, 500.0),
            (RightShoulder, 200.0, 500.0),
            (LeftEar, 340.0, 300.0),
            (RightEar, 260.0, 300.0),
            (LeftEye, 316.0, 280.0),
            (RightEye, 284.0, 280.0),
            (Nose, 300.0, 308.0),
        ]);
        let front = FrontObservation::from_pose(&seen).unwrap();
        let relation = front.eyes_to_ears().unwrap();
        assert!((relation.width_ratio - 2.5).abs() < 1e-5 && (relation.drop - 20.0 / 32.0).abs() < 1e-5);
        let mut covered = seen;
        covered.keypoints[LeftEar.index()].score = 0.1;
        covered.keypoints[RightEar.index()].score = 0.1;
        let hidden = FrontObservation::from_pose(&covered).unwrap();
        assert_eq!(hidden.ear_mid, None);
        let placed = hidden.with_ears_from_eyes(relation).unwrap();
        assert!(placed.ears_from_eyes && placed.eyes_to_ears().is_none());
        for (got, want) in [
            (placed.neck_height_px, front.neck_height_px),
            (placed.ear_width_px, front.ear_width_px),
            (placed.nose_drop, front.nose_drop),
            (placed.nose_shift, front.nose_shift),
        ] {
            assert!((got.unwrap() - want.unwrap()).abs() < 1e-4, "{got:?} vs {want:?}");
        }
        assert_eq!(hidden.without_ears().with_ears_from_eyes(relation), Some(placed));
    }

    #[test]
    fn side_geometry_knows_which_way_the_person_faces() {
        use KeypointName::*;
        let facing_left = pose(&[
            (LeftEar, 300.0, 200.0),
            (LeftShoulder, 330.0, 330.0),
            (Nose, 240.0, 215.0),
            (LeftHip, 340.0, 600.0),
        ]);
        let side = SideObservation::from_pose(&facing_left).unwrap();
        assert_eq!(side.facing, -1.0);
        // Ear 30 px forward of the shoulder over 130 px of height: about 13 degrees forward.
        let angle = side.forward_angle_deg(side.shoulder, side.ear);
        assert!((angle - (30f32).atan2(130.0).to_degrees()).abs() < 1e-4);
        assert!(side.hip.is_some());
    }
}
