//! Whether the person still sits where they calibrated, and where to look for them: a
//! calibration is compared against only while they do. Leaning in and sinking low are posture
//! (judged), not a new seat; sitting far back, moving aside or standing up are a new seat.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Calibration, anchor_of};
use crate::pose::{KeypointName, Letterbox, Pose};
use crate::posture::placement::detect;

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

/// Side of the square the model looks at when following the calibrated person, in body scales:
/// room for the head above the shoulders and for ordinary shifting in the chair.
pub const PERSON_REGION_SCALES: f32 = 3.0;

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

impl Calibration {
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
    /// nothing there), or when [`Calibration::looks_at_whole_frame`].
    pub fn region_for(&self, frame_size: (u32, u32)) -> Option<Letterbox> {
        ((self.frame_width, self.frame_height) == frame_size)
            .then(|| self.person_region())
            .filter(|_| !self.looks_at_whole_frame(frame_size))
    }

    /// Whether this calibration, and monitoring against it, look at the whole frame rather than
    /// the person's region: when the region holds the whole frame (a webcam picture of someone
    /// at a desk) and the calibration measured the face. MoveNet then sees the person at three
    /// times the pixels, which steadies the shoulder points the face's measures rest on (on
    /// `../shared/eval/people` they moved up to 9 px between the two views: 12-13% of the chin's
    /// gap). A calibration without the face keeps the region, the view its measures were made
    /// for. Decided by the calibration, so every frame judged against it is seen alike.
    pub fn looks_at_whole_frame(&self, frame_size: (u32, u32)) -> bool {
        self.measured_face() && self.person_region().holds(frame_size)
    }

    /// Whether the face mesh's geometry was recorded (front view, face read at calibration).
    pub fn measured_face(&self) -> bool {
        self.front.as_ref().is_some_and(|front| front.face.is_some())
    }

    /// Whether the head in `pose` (front view, both ears seen, the face read now and at
    /// calibration) looks no further than the calibration's, within [`STALE_SCALE_FACTOR`]. When it does while the shoulder line looks
    /// far smaller, the person has not sat back: MoveNet lost their shoulders (below the
    /// picture, or placed on the neck), which the measures gate ([`crate::posture::metrics`]).
    fn head_as_near(&self, pose: &Pose) -> bool {
        // Only where the face's measures gate the lost shoulders: without them, narrow shoulders
        // would read as rounded, so the old rule (sat further back: not judged) stands.
        if pose.face.is_none() || !self.measured_face() {
            return false;
        }
        let Some(reference) = self.front.as_ref().filter(|reference| !reference.ears_from_eyes) else {
            return false;
        };
        let ears = pose.confident(KeypointName::LeftEar).zip(pose.confident(KeypointName::RightEar));
        ears.is_some_and(|(left, right)| {
            (left.x - right.x).hypot(left.y - right.y) * STALE_SCALE_FACTOR >= reference.ear_width_px
        })
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
        if anchor.scale_px * STALE_SCALE_FACTOR < self.anchor.scale_px && !self.head_as_near(pose) {
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
mod tests {
    use super::super::tests::front_pose;
    use super::*;
    use crate::posture::PlacementSetting;
    use crate::posture::calibration::calibrate;

    #[test]
    fn leaning_in_and_sinking_low_are_judged_not_stale() {
        let calibration = calibrate(&[front_pose(0.0, 0.0, 1.0)], (1280, 720), PlacementSetting::Auto).unwrap();
        let frame = (1280, 720);
        assert_eq!(calibration.staleness(&front_pose(0.0, 40.0, 1.7), frame), None, "leaning in");
        assert_eq!(calibration.staleness(&front_pose(0.0, 350.0, 1.0), frame), None, "sunk low in the chair");
        assert_eq!(calibration.staleness(&front_pose(0.0, 650.0, 1.0), frame), Some(StaleReason::Moved));
    }

    /// `pose` with a face read on it, as the face mesh gives one.
    fn with_face(mut pose: Pose) -> Pose {
        use crate::pose::{Face, FacePoint};
        let at = |x: f32, y: f32, z: f32| FacePoint { x, y, z };
        pose.face = Some(Face {
            score: 0.99,
            forehead: at(640.0, 220.0, -5.0),
            chin: at(640.0, 400.0, 5.0),
            right_edge: at(570.0, 300.0, 30.0),
            left_edge: at(710.0, 300.0, 30.0),
        });
        pose
    }

    #[test]
    fn the_whole_frame_is_looked_at_only_for_a_face_calibration_whose_region_holds_it() {
        // Shoulders 400 px wide, centred at x 580: the region is 1200 px square from x -20.
        let pose = front_pose(-60.0, 0.0, 1.0);
        let wide = (1280, 720);
        let with = calibrate(&[with_face(pose.clone())], wide, PlacementSetting::Auto).unwrap();
        let without = calibrate(std::slice::from_ref(&pose), wide, PlacementSetting::Auto).unwrap();
        // It does not hold a 1280 px wide frame: the region is kept either way.
        assert!(!with.person_region().holds(wide));
        assert_eq!(with.region_for(wide), Some(with.person_region()));
        // It holds a 1100x700 frame: only the calibration that measured the face looks at the
        // whole of it.
        let small = (1100, 700);
        let with = calibrate(&[with_face(pose.clone())], small, PlacementSetting::Auto).unwrap();
        let without_small = calibrate(&[pose], small, PlacementSetting::Auto).unwrap();
        assert!(with.measured_face() && !without.measured_face());
        assert!(with.person_region().holds(small));
        assert!(with.looks_at_whole_frame(small) && with.region_for(small).is_none());
        assert!(!without_small.looks_at_whole_frame(small));
        assert_eq!(without_small.region_for(small), Some(without_small.person_region()));
    }

    #[test]
    fn far_back_is_stale_but_lost_shoulders_under_a_near_head_are_not() {
        let frame = (1280, 720);
        let calibration = calibrate(&[with_face(front_pose(0.0, 0.0, 1.0))], frame, PlacementSetting::Auto).unwrap();
        assert!(calibration.measured_face());
        assert_eq!(calibration.staleness(&front_pose(0.0, 0.0, 0.6), frame), Some(StaleReason::DistanceChanged));
        // The shoulders drawn in onto the neck (as MoveNet does when they are below the picture),
        // the head as large as at calibration, the face read: not a new seat.
        let mut lost = front_pose(0.0, 0.0, 1.0);
        lost.keypoints[KeypointName::LeftShoulder.index()].x = 740.0;
        lost.keypoints[KeypointName::RightShoulder.index()].x = 540.0;
        assert_eq!(calibration.staleness(&with_face(lost.clone()), frame), None);
        // Without the face now, or in a calibration made without it, the old rule stands.
        assert_eq!(calibration.staleness(&lost, frame), Some(StaleReason::DistanceChanged));
        let without = calibrate(&[front_pose(0.0, 0.0, 1.0)], frame, PlacementSetting::Auto).unwrap();
        assert_eq!(without.staleness(&with_face(lost), frame), Some(StaleReason::DistanceChanged));
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
}
