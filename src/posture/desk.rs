//! The desk check: what the calibrated neutral posture says about the desk itself. A person who
//! sits well in a poor setup still slouches by the afternoon, because the setup pulls them
//! there: a low screen pulls the head down, a far one pulls it forward, an off-side one turns
//! it, a high desk lifts the shoulders. Each item names the change to make.
//!
//! Pure: from a [`Calibration`] (and optionally the day's measures) to a list of items. Every
//! distance and angle here is an estimate from one camera whose lens and position are assumed,
//! and the text says so.

use serde::Serialize;

use super::calibration::Calibration;
use super::metrics::{NOSE_DEPTH_HEAD_WIDTHS, assumed_focal_px};
use super::placement::CameraPlacement;

/// Shoulder-joint to shoulder-joint width of an adult, cm (biacromial breadth is about 36 cm for
/// women and 40 for men in anthropometric tables; MoveNet's shoulder points sit on the joints,
/// a little inside it). The same figure as the side view's neck-to-shoulders proportion.
pub const TYPICAL_SHOULDER_WIDTH_CM: f32 = 37.0;

/// Nearer than this (estimated camera-to-shoulders distance, cm) is too close to the screen:
/// about an arm's length (50-70 cm) is the usual advice, and the estimate's own error (the lens's
/// field of view and the person's width are assumed) is about a fifth, so the limit sits below it.
pub const TOO_CLOSE_CM: f32 = 42.0;

/// Further than this (cm) is too far: the head tends to come forward to read.
pub const TOO_FAR_CM: f32 = 100.0;

/// How far the nose tip sits below the ears when the head is level, in head widths (ear to ear):
/// the nose tip is 2-3 cm below the ear canal's level with the Frankfort plane horizontal, over a
/// head about 14 cm wide.
pub const LEVEL_NOSE_DROP_HEAD_WIDTHS: f32 = 0.18;

/// The neutral head pitched down by more than this (degrees, estimated) means the screen sits
/// below the eyes: the person looks down at it all day.
pub const SCREEN_LOW_HEAD_DOWN_DEG: f32 = 15.0;

/// The eyes seen more than this far (degrees) above the camera's centre line mean the camera, and
/// with it the screen it sits on, is well below eye level (a laptop on the desk).
pub const SCREEN_LOW_CAMERA_DEG: f32 = 12.0;

/// The head turned more than this (degrees) at neutral means the camera or the screen is off to
/// one side, or the seat is: the neck holds a twist all day.
pub const OFF_CENTRE_TURN_DEG: f32 = 12.0;

/// Ear-to-shoulder height over ear-to-ear width at neutral for relaxed shoulders, from the front:
/// the three people of `../shared/eval` who calibrated upright measured 1.15-1.23 (their shoulders
/// relaxed); 1.1 leaves room for people with shorter necks.
pub const TYPICAL_NECK_HEIGHT_HEAD_WIDTHS: f32 = 1.1;

/// A neutral neck shorter than this share of the typical one means the shoulders were lifted
/// while calibrating: the desk or the armrests hold them up.
pub const RAISED_NECK_SHARE: f32 = 0.6;

/// The report says the person leaned in toward the screen for much of the day when they were
/// "too close" for more than this share of the time their posture was judged (a fifth: more than
/// an odd moment of reading small print).
pub const DAY_LEANING_IN_SHARE: f32 = 0.2;

/// One thing about the desk worth changing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum DeskItem {
    /// The screen sits below the eyes.
    ScreenTooLow {
        /// Estimated neutral head pitch down, degrees (`None` when not measured).
        head_down_deg: Option<f32>,
        /// How far above the camera's centre line the eyes were, degrees.
        eyes_above_camera_deg: f32,
    },
    /// The screen (the camera on it) is nearer than about an arm's length.
    TooClose {
        /// Estimated distance, cm.
        distance_cm: f32,
    },
    /// The screen is further than needed to read it.
    TooFar {
        /// Estimated distance, cm.
        distance_cm: f32,
    },
    /// The head is turned at neutral: camera, screen or seat off to one side.
    OffCentre {
        /// Head turn, degrees (positive: nose toward the picture's right, the person's left).
        turn_deg: f32,
    },
    /// The shoulders were raised at neutral.
    ShouldersRaised {
        /// Neutral neck height over the typical, as a share.
        neck_share: f32,
    },
    /// Over the day the person often sat nearer than when calibrated (leaning in).
    LeanedInToday {
        /// Share of the judged time spent too close.
        time_share: f32,
    },
}

impl DeskItem {
    /// A stable name for the item (`screen_too_low`, ...), as in the JSON.
    pub fn id(&self) -> &'static str {
        match self {
            DeskItem::ScreenTooLow { .. } => "screen_too_low",
            DeskItem::TooClose { .. } => "too_close",
            DeskItem::TooFar { .. } => "too_far",
            DeskItem::OffCentre { .. } => "off_centre",
            DeskItem::ShouldersRaised { .. } => "shoulders_raised",
            DeskItem::LeanedInToday { .. } => "leaned_in_today",
        }
    }

    /// What was seen, with the numbers, in a few words.
    pub fn finding(&self) -> String {
        match self {
            DeskItem::ScreenTooLow { head_down_deg, eyes_above_camera_deg } => match head_down_deg {
                Some(down) if *down > SCREEN_LOW_HEAD_DOWN_DEG => {
                    format!("Screen too low: your head rests about {down:.0}\u{b0} down when you sit upright")
                }
                _ => format!(
                    "Screen too low: the camera looks up at your eyes from about {eyes_above_camera_deg:.0}\u{b0} below"
                ),
            },
            DeskItem::TooClose { distance_cm } => {
                format!("Screen too close: about {distance_cm:.0} cm from you (an estimate)")
            }
            DeskItem::TooFar { distance_cm } => {
                format!("Screen far away: about {distance_cm:.0} cm from you (an estimate)")
            }
            DeskItem::OffCentre { turn_deg } => format!(
                "Screen or camera off to your {}: your head is turned about {:.0}\u{b0} when you sit upright",
                if *turn_deg > 0.0 { "left" } else { "right" },
                turn_deg.abs()
            ),
            DeskItem::ShouldersRaised { neck_share } => format!(
                "Shoulders raised: your neck looked {:.0}% shorter than usual when you sat upright",
                (1.0 - neck_share) * 100.0
            ),
            DeskItem::LeanedInToday { time_share } => format!(
                "Leaning in today: you sat nearer the screen than when you calibrated for {:.0}% of the day",
                time_share * 100.0
            ),
        }
    }

    /// The change to make, in the app's words.
    pub fn change(&self) -> &'static str {
        match self {
            DeskItem::ScreenTooLow { .. } => {
                "Raise the screen until its top edge is level with your eyes or a little below: a stand or a \
                 stack of books under a laptop, with a separate keyboard."
            }
            DeskItem::TooClose { .. } => {
                "Push the screen back to about an arm's length, and enlarge the text if you then lean in to read."
            }
            DeskItem::TooFar { .. } => {
                "Bring the screen nearer, to about an arm's length, or enlarge the text, so you do not push your \
                 head forward to read."
            }
            DeskItem::OffCentre { .. } => {
                "Put the screen you use most, and the camera, straight in front of you, or turn your chair to face \
                 them."
            }
            DeskItem::ShouldersRaised { .. } => {
                "Lower the desk or the armrests (or raise the chair, with a footrest if your feet then hang) so \
                 your elbows rest at your sides at about a right angle with your shoulders dropped."
            }
            DeskItem::LeanedInToday { .. } => {
                "Pull the keyboard and mouse close and sit back against the chair; if you lean in to read, \
                 enlarge the text."
            }
        }
    }
}

/// What the day's measures add to the desk check (from the history).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DayMeasures {
    /// Share of the day's judged time spent too close to the screen, if any was judged.
    pub too_close_share: Option<f32>,
}

/// How the calibration places the desk, in numbers (each an estimate; `None` when the calibration
/// cannot tell, e.g. a side view).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct DeskGeometry {
    /// Camera to shoulders, cm, assuming a typical shoulder width and lens.
    pub distance_cm: Option<f32>,
    /// How far above the camera's centre line the ears were, degrees.
    pub eyes_above_camera_deg: Option<f32>,
    /// Neutral head pitch down, degrees.
    pub head_down_deg: Option<f32>,
    /// Neutral head turn, degrees.
    pub turn_deg: Option<f32>,
    /// Neutral neck height against the typical, as a share.
    pub neck_share: Option<f32>,
}

/// The desk geometry of a front-view calibration.
pub fn geometry(calibration: &Calibration) -> DeskGeometry {
    let Some(front) = calibration.front.as_ref().filter(|_| calibration.placement == CameraPlacement::Front) else {
        return DeskGeometry::default();
    };
    let focal = assumed_focal_px(front.frame_width_px);
    let distance_cm =
        (front.shoulder_width_px > 0.0).then(|| focal * TYPICAL_SHOULDER_WIDTH_CM / front.shoulder_width_px);
    // `ear_height` is below the centre line, in focal lengths: negative when above it.
    let eyes_above_camera_deg = Some((-front.ear_height).atan().to_degrees());
    // The nose's drop gives the pitch against the camera's line of sight; a camera below the eyes
    // sees a level head as tipped up by its own angle, which is added back (the camera assumed
    // level).
    let head_down_deg = front.nose_drop.zip(eyes_above_camera_deg).map(|(drop, camera_below)| {
        ((drop - LEVEL_NOSE_DROP_HEAD_WIDTHS) / NOSE_DEPTH_HEAD_WIDTHS).clamp(-1.0, 1.0).asin().to_degrees()
            + camera_below
    });
    let neck_share = (front.ear_width_px > 0.0 && !front.ears_from_eyes)
        .then(|| front.neck_height_px / front.ear_width_px / TYPICAL_NECK_HEIGHT_HEAD_WIDTHS);
    DeskGeometry {
        distance_cm,
        eyes_above_camera_deg,
        head_down_deg,
        turn_deg: calibration.baseline.head_turn_deg,
        neck_share,
    }
}

/// The desk check: what to change, most important first. Empty when nothing stands out (or the
/// calibration is a side view, from which the desk cannot be judged).
pub fn desk_check(calibration: &Calibration, day: &DayMeasures) -> Vec<DeskItem> {
    let geometry = geometry(calibration);
    let mut items = Vec::new();
    let eyes_above = geometry.eyes_above_camera_deg.unwrap_or(0.0);
    let head_down = geometry.head_down_deg.filter(|down| *down > SCREEN_LOW_HEAD_DOWN_DEG);
    if head_down.is_some() || eyes_above > SCREEN_LOW_CAMERA_DEG {
        items.push(DeskItem::ScreenTooLow { head_down_deg: geometry.head_down_deg, eyes_above_camera_deg: eyes_above });
    }
    match geometry.distance_cm {
        Some(distance_cm) if distance_cm < TOO_CLOSE_CM => items.push(DeskItem::TooClose { distance_cm }),
        Some(distance_cm) if distance_cm > TOO_FAR_CM => items.push(DeskItem::TooFar { distance_cm }),
        _ => {}
    }
    if let Some(turn_deg) = geometry.turn_deg.filter(|turn| turn.abs() > OFF_CENTRE_TURN_DEG) {
        items.push(DeskItem::OffCentre { turn_deg });
    }
    if let Some(neck_share) = geometry.neck_share.filter(|share| *share < RAISED_NECK_SHARE) {
        items.push(DeskItem::ShouldersRaised { neck_share });
    }
    if let Some(time_share) = day.too_close_share.filter(|share| *share > DAY_LEANING_IN_SHARE) {
        items.push(DeskItem::LeanedInToday { time_share });
    }
    items
}

/// The whole check as lines of text (for `slouchwatch calibrate` and the report's advice).
pub fn desk_lines(items: &[DeskItem]) -> Vec<String> {
    if items.is_empty() {
        return vec!["Desk check: nothing to change that the camera can see.".to_owned()];
    }
    let mut lines = vec!["Desk check (estimates from one camera, assumed to sit on your screen):".to_owned()];
    for item in items {
        lines.push(format!("- {}. {}", item.finding(), item.change()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::{KEYPOINT_COUNT, Keypoint, KeypointName, Pose};
    use crate::posture::{PlacementSetting, calibrate};

    const FRAME: (u32, u32) = (1280, 720);

    /// A front-view neutral posture with known geometry: shoulders `width` px apart at height `y`,
    /// ears `neck` px above them and `ears` px apart, the nose `nose_drop` head widths below the
    /// ears and `nose_shift` head widths to the picture's right.
    struct Neutral {
        width: f32,
        y: f32,
        neck: f32,
        ears: f32,
        nose_drop: f32,
        nose_shift: f32,
    }

    impl Default for Neutral {
        fn default() -> Self {
            // 400 px of shoulders at 1280 px wide is about 93 cm; the ears at the picture's centre.
            Neutral { width: 400.0, y: 560.0, neck: 200.0, ears: 200.0, nose_drop: 0.2, nose_shift: 0.0 }
        }
    }

    impl Neutral {
        fn pose(&self) -> Pose {
            use KeypointName::*;
            let mut keypoints = [Keypoint { x: 0.0, y: 0.0, score: 0.05 }; KEYPOINT_COUNT];
            let centre = FRAME.0 as f32 / 2.0;
            let ear_y = self.y - self.neck;
            for (name, x, y) in [
                (LeftShoulder, centre + self.width / 2.0, self.y),
                (RightShoulder, centre - self.width / 2.0, self.y),
                (LeftEar, centre + self.ears / 2.0, ear_y),
                (RightEar, centre - self.ears / 2.0, ear_y),
                (LeftEye, centre + self.ears * 0.2, ear_y - 0.05 * self.ears),
                (RightEye, centre - self.ears * 0.2, ear_y - 0.05 * self.ears),
                (Nose, centre + self.nose_shift * self.ears, ear_y + self.nose_drop * self.ears),
            ] {
                keypoints[name.index()] = Keypoint { x, y, score: 0.9 };
            }
            Pose { keypoints, face: None }
        }

        fn check(&self) -> Vec<DeskItem> {
            let poses = vec![self.pose(); 10];
            let calibration = calibrate(&poses, FRAME, PlacementSetting::Front).unwrap();
            desk_check(&calibration, &DayMeasures::default())
        }
    }

    fn distance_for(width: f32) -> f32 {
        assumed_focal_px(FRAME.0) * TYPICAL_SHOULDER_WIDTH_CM / width
    }

    #[test]
    fn a_good_desk_has_nothing_to_change() {
        let neutral = Neutral { width: 600.0, y: 500.0, neck: 150.0, ears: 160.0, ..Neutral::default() };
        assert!((distance_for(600.0) - 62.0).abs() < 1.0, "{}", distance_for(600.0));
        assert_eq!(neutral.check(), vec![]);
        assert_eq!(desk_lines(&[]), vec!["Desk check: nothing to change that the camera can see."]);
    }

    #[test]
    fn distance_comes_from_the_apparent_shoulder_width() {
        // 1004.7 px focal length x 37 cm: 930 px of shoulders is 40 cm away, 300 px is 124 cm.
        let near = Neutral { width: 930.0, y: 500.0, neck: 150.0, ears: 160.0, ..Neutral::default() };
        let items = near.check();
        assert!(
            matches!(items.as_slice(), [DeskItem::TooClose { distance_cm }] if (*distance_cm - 40.0).abs() < 1.0),
            "{items:?}"
        );
        let far = Neutral { width: 300.0, y: 440.0, neck: 100.0, ears: 110.0, ..Neutral::default() };
        let items = far.check();
        assert!(
            matches!(items.as_slice(), [DeskItem::TooFar { distance_cm }] if (*distance_cm - 124.0).abs() < 1.0),
            "{items:?}"
        );
        assert!(items[0].finding().contains("124 cm") && items[0].finding().contains("estimate"));
        assert!(items[0].change().contains("arm's length"));
    }

    #[test]
    fn a_low_screen_shows_as_eyes_high_in_the_picture_or_a_head_resting_down() {
        // Ears 300 px above the centre of a 1280-px-wide picture: atan(300 / 1004.7) = 16.6 degrees.
        let laptop = Neutral { width: 600.0, y: 210.0, neck: 150.0, ears: 160.0, ..Neutral::default() };
        let items = laptop.check();
        assert!(
            matches!(items.as_slice(), [DeskItem::ScreenTooLow { eyes_above_camera_deg, .. }]
                if (*eyes_above_camera_deg - 16.6).abs() < 0.3),
            "{items:?}"
        );
        assert!(items[0].change().contains("top edge is level with your eyes"));
        // The nose 0.4 head widths below the ears: asin((0.4 - 0.18) / 0.67) = 19.2 degrees down,
        // and the ears 10 px above the centre line add 0.6.
        let looking_down =
            Neutral { width: 600.0, y: 500.0, neck: 150.0, ears: 160.0, nose_drop: 0.4, ..Neutral::default() };
        let items = looking_down.check();
        assert!(
            matches!(items.as_slice(), [DeskItem::ScreenTooLow { head_down_deg: Some(down), .. }] if (*down - 19.8).abs() < 0.3),
            "{items:?}"
        );
        assert!(items[0].finding().contains("20\u{b0} down"), "{}", items[0].finding());
    }

    #[test]
    fn a_turned_head_and_raised_shoulders_at_neutral_are_named() {
        // The nose 0.2 head widths toward the picture's right: atan(0.2 / 0.67) = 16.6 degrees.
        let turned =
            Neutral { width: 600.0, y: 500.0, neck: 150.0, ears: 160.0, nose_shift: 0.2, ..Neutral::default() };
        let items = turned.check();
        assert!(
            matches!(items.as_slice(), [DeskItem::OffCentre { turn_deg }] if (*turn_deg - 16.6).abs() < 0.5),
            "{items:?}"
        );
        assert!(items[0].finding().contains("off to your left"), "{}", items[0].finding());
        // A neck 0.5 head widths tall against the typical 1.1: 45% of it.
        let shrugged = Neutral { width: 600.0, y: 500.0, neck: 80.0, ears: 160.0, ..Neutral::default() };
        let items = shrugged.check();
        assert!(
            matches!(items.as_slice(), [DeskItem::ShouldersRaised { neck_share }] if (*neck_share - 0.4545).abs() < 0.01),
            "{items:?}"
        );
        assert!(items[0].change().contains("armrests"));
    }

    #[test]
    fn the_days_leaning_in_is_added_and_a_side_view_has_no_desk_check() {
        let neutral = Neutral { width: 600.0, y: 500.0, neck: 150.0, ears: 160.0, ..Neutral::default() };
        let calibration = calibrate(&vec![neutral.pose(); 10], FRAME, PlacementSetting::Front).unwrap();
        let items = desk_check(&calibration, &DayMeasures { too_close_share: Some(0.35) });
        assert_eq!(items, vec![DeskItem::LeanedInToday { time_share: 0.35 }]);
        assert!(items[0].finding().contains("35% of the day"));
        assert!(desk_check(&calibration, &DayMeasures { too_close_share: Some(0.1) }).is_empty());
        let side = Calibration { placement: CameraPlacement::Side, front: None, ..calibration };
        assert_eq!(geometry(&side), DeskGeometry::default());
    }
}
