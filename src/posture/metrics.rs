//! Posture measures: the numbers a person understands, in degrees, percent or ratios, computed
//! from one frame's [`observation`](super::observation) and, for the front view, the calibrated
//! reference. The geometric model behind the front-view estimates is in the module docs of
//! [`crate::posture`].

use serde::{Deserialize, Serialize};

use super::observation::{EyesToEars, FaceGeometry, FrontObservation, Point, SideObservation};

/// Horizontal field of view assumed for the camera, degrees. Laptop and monitor webcams span
/// about 55-80 degrees; 65 sits in the middle. Only the front-view forward-head estimate depends
/// on it, through the ratio of camera distance to neck length (a 20% error in the focal length
/// scales that estimate by about 20%).
pub const ASSUMED_HORIZONTAL_FOV_DEG: f32 = 65.0;

/// Angle from vertical of the shoulder-joint-to-ear line when sitting upright, degrees, assumed
/// for front-view calibrations (a front camera cannot measure it). With the shoulder joint rather
/// than C7 as the lower point, an upright ear sits almost over the shoulder; 10 degrees matches
/// the side-view photos of upright sitting we checked and keeps the estimate's zero honest.
pub const NEUTRAL_NECK_ANGLE_DEG: f32 = 10.0;

/// Hip-joint-to-shoulder-joint height in shoulder widths (about 50 cm over about 36 cm in adult
/// anthropometric tables). Used to tell a whole-trunk lean toward the screen from the head alone
/// moving forward.
pub const TRUNK_HEIGHT_SHOULDER_WIDTHS: f32 = 1.4;

/// How far the nose tip sits in front of the line between the ears, in head widths (about 10 cm
/// over about 15 cm). Turns the nose's apparent drop and shift into head pitch and turn angles.
pub const NOSE_DEPTH_HEAD_WIDTHS: f32 = 0.67;

/// Beyond this head turn (degrees) the ears' apparent width no longer measures head distance,
/// so the front-view forward-head and shrug estimates become unknown.
pub const HEAD_TURN_LIMIT_DEG: f32 = 30.0;

/// The chin-to-shoulder measure is not judged when the shoulder line, in face widths, is shorter
/// than this share of its calibrated length. When the shoulders drop below the picture MoveNet
/// puts its shoulder points on the base of the neck instead, and the line collapses (on
/// `../shared/eval/people`, person D's upright frames 30-36: about 1.2 face widths against 2.1
/// at calibration, which would read as the chin 22-124% nearer the shoulders). Real rounding seldom
/// narrows the line by more than 15% (a 30-degree rounding); 25% leaves room for it.
pub const FACE_SHOULDERS_COLLAPSED_SHARE: f32 = 0.75;

/// How far the chin sits in front of the axis the head nods about (the skull's joint with the
/// spine, just below and in front of the ear canals), in face widths: about 8-9 cm over a face
/// about 14 cm wide at the cheekbones. Turns a change of head pitch into the chin's rise or
/// drop, so the chin-to-shoulder measure does not count a nod.
pub const CHIN_AHEAD_OF_NOD_AXIS_FACE_WIDTHS: f32 = 0.6;

/// Focal length in pixels for an image `width_px` wide under [`ASSUMED_HORIZONTAL_FOV_DEG`].
///
/// ```
/// let f = slouchwatch::posture::metrics::assumed_focal_px(1280);
/// assert!((f - 1004.7).abs() < 0.5);
/// ```
pub fn assumed_focal_px(width_px: u32) -> f32 {
    (width_px as f32 / 2.0) / (ASSUMED_HORIZONTAL_FOV_DEG.to_radians() / 2.0).tan()
}

/// The posture measures of one frame. `None` means unknown: the keypoints it needs were not
/// confident, the camera placement cannot see it, or it needs a calibration that is missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Angle of the shoulder-joint-to-ear line from vertical, degrees; larger is a more forward
    /// head. Side view: measured directly. Front view: estimated against the calibration (its
    /// neutral is [`NEUTRAL_NECK_ANGLE_DEG`]), relative to the trunk, so leaning the whole trunk
    /// toward the screen does not count.
    pub forward_head_deg: Option<f32>,
    /// Side view only: 90 minus `forward_head_deg`, a proxy for the craniovertebral angle. Not
    /// the clinical CVA: that uses C7, which sits behind the shoulder joint, so clinical cut-offs
    /// (40-50 degrees) do not apply to it directly.
    pub cva_proxy_deg: Option<f32>,
    /// How far the shoulders have rounded (drawn forward and in), degrees, 0 when as calibrated
    /// or further back. Front: from the shoulder line's apparent width against the head, relative
    /// to calibration. Side: how far the shoulder sits forward of the hip-to-ear line.
    pub shoulder_rounding_deg: Option<f32>,
    /// Front view, calibrated: how far the shoulders have risen toward the ears (beyond any rise
    /// of the ears themselves), percent of the calibrated ear-to-shoulder height; a shrug.
    pub shoulders_raised_pct: Option<f32>,
    /// Sideways lean of the shoulder line from horizontal, degrees; positive when the shoulder on
    /// the image's right is lower. Front view.
    pub lean_deg: Option<f32>,
    /// Sideways tilt of the head (ear or eye line) from horizontal, degrees; same sign rule.
    pub head_tilt_deg: Option<f32>,
    /// How far the head is pitched down, degrees: relative to calibration in the front view
    /// (from the nose's drop below the ears, in head widths), the ear-to-nose line below
    /// horizontal in the side view. A glance down is not slouching; minutes of it are.
    pub head_down_deg: Option<f32>,
    /// Front view, calibrated: how far the head has sunk toward the shoulders, percent of the
    /// calibrated ear-to-shoulder height. Both heights are measured in head widths (ear to ear),
    /// so moving nearer or further, or where the person sits in the picture, does not change it;
    /// a head that comes forward or drops, and slumping in the chair, do. 0 when as calibrated or
    /// taller.
    pub neck_shortening_pct: Option<f32>,
    /// Front view: how far the head is turned left or right, degrees (positive: nose toward the
    /// image's right).
    pub head_turn_deg: Option<f32>,
    /// Side view: forward lean of the trunk (hip-to-shoulder line) from vertical, degrees.
    pub trunk_lean_deg: Option<f32>,
    /// Front view, calibrated: current distance to the camera over the calibrated one (0.8 is 20%
    /// closer than when calibrated).
    pub screen_distance: Option<f32>,
    /// Front view, calibrated, with the face read by the face mesh: how much the gap from the
    /// chin down to the shoulder line has shortened, percent of the calibrated gap. Both are in
    /// face widths, so distance does not change it; sinking low in the chair, even with a level
    /// head, does. 0 when as calibrated or longer; unknown when the shoulders are below the
    /// picture or collapsed onto the neck ([`FACE_SHOULDERS_COLLAPSED_SHARE`]).
    #[serde(default)]
    pub chin_gap_shortening_pct: Option<f32>,
}

/// Number of fields in [`Metrics`].
pub const METRIC_COUNT: usize = 12;

/// JSON names of the [`Metrics`] fields, in [`Metrics::to_array`] order.
pub const METRIC_NAMES: [&str; METRIC_COUNT] = [
    "forward_head_deg",
    "cva_proxy_deg",
    "shoulder_rounding_deg",
    "shoulders_raised_pct",
    "lean_deg",
    "head_tilt_deg",
    "head_down_deg",
    "neck_shortening_pct",
    "head_turn_deg",
    "trunk_lean_deg",
    "screen_distance",
    "chin_gap_shortening_pct",
];

impl Metrics {
    /// All fields in a fixed order ([`METRIC_NAMES`]), for code that treats them alike
    /// (medians, spreads, smoothing).
    pub fn to_array(&self) -> [Option<f32>; METRIC_COUNT] {
        [
            self.forward_head_deg,
            self.cva_proxy_deg,
            self.shoulder_rounding_deg,
            self.shoulders_raised_pct,
            self.lean_deg,
            self.head_tilt_deg,
            self.head_down_deg,
            self.neck_shortening_pct,
            self.head_turn_deg,
            self.trunk_lean_deg,
            self.screen_distance,
            self.chin_gap_shortening_pct,
        ]
    }

    /// The inverse of [`Metrics::to_array`].
    pub fn from_array(values: [Option<f32>; METRIC_COUNT]) -> Metrics {
        let [
            forward_head_deg,
            cva_proxy_deg,
            shoulder_rounding_deg,
            shoulders_raised_pct,
            lean_deg,
            head_tilt_deg,
            head_down_deg,
            neck_shortening_pct,
            head_turn_deg,
            trunk_lean_deg,
            screen_distance,
            chin_gap_shortening_pct,
        ] = values;
        Metrics {
            forward_head_deg,
            cva_proxy_deg,
            shoulder_rounding_deg,
            shoulders_raised_pct,
            lean_deg,
            head_tilt_deg,
            head_down_deg,
            neck_shortening_pct,
            head_turn_deg,
            trunk_lean_deg,
            screen_distance,
            chin_gap_shortening_pct,
        }
    }
}

/// The calibrated front-view geometry the front measures are relative to (medians over the
/// calibration frames).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrontReference {
    /// Shoulder width, pixels (`W0`).
    pub shoulder_width_px: f32,
    /// Ear width, pixels (`E0`).
    pub ear_width_px: f32,
    /// Ear height above the shoulders, pixels (`v0`).
    pub neck_height_px: f32,
    /// How far the nose sat below the ear midpoint, in ear widths (the head's neutral pitch).
    /// `None` in calibrations made before it was recorded: head pitch is then unknown until the
    /// person calibrates again.
    #[serde(default)]
    pub nose_drop: Option<f32>,
    /// Shoulder midpoint's height in normalised camera coordinates (see [`body_heights`]).
    pub shoulder_height: f32,
    /// Ear midpoint's height in normalised camera coordinates.
    pub ear_height: f32,
    /// Width of the frame the calibration was taken in, pixels (sets the assumed focal length).
    pub frame_width_px: u32,
    /// Height of that frame, pixels (with the width, sets the principal point).
    pub frame_height_px: u32,
    /// Where this person's ears sit relative to their eyes, when calibration saw both: lets the
    /// measures go on from the eyes when headphones or hair hide the ears later.
    #[serde(default)]
    pub eyes_to_ears: Option<EyesToEars>,
    /// True when the ears were hidden during calibration: the ear fields above were placed from
    /// the eyes, and every later frame is measured from the eyes too, so both are measured alike.
    #[serde(default)]
    pub ears_from_eyes: bool,
    /// The face mesh's calibrated geometry (medians), when it read the face in calibration.
    /// `None` in calibrations made before the mesh, or of a face it could not read (a mask):
    /// the measures then come from MoveNet's points alone.
    #[serde(default)]
    pub face: Option<FaceReference>,
}

/// The calibrated face geometry ([`crate::posture::observation::FaceGeometry`] medians).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FaceReference {
    /// Chin above the shoulder line, face widths.
    pub chin_gap: f32,
    /// Shoulder line, face widths.
    pub shoulder_width: f32,
    /// Forehead-to-chin tilt in depth, degrees.
    pub pitch_deg: f32,
}

/// The observation with the ears the front measures use. As seen when they are; when they are
/// hidden, placed from the eyes by the calibrated relation (without one, by the anatomical
/// average, which only the uncalibrated head-turn estimate relies on). When calibration itself
/// used the eyes, every frame does, even if the ears show now.
pub fn with_ears_resolved(front: &FrontObservation, reference: Option<&FrontReference>) -> FrontObservation {
    let ears_seen = front.ear_mid.is_some() && front.ear_width_px.is_some();
    let from_eyes = |relation: EyesToEars| front.with_ears_from_eyes(relation);
    let resolved = match reference {
        Some(reference) if reference.ears_from_eyes => from_eyes(reference.eyes_to_ears.unwrap_or_default()),
        _ if ears_seen => Some(*front),
        Some(reference) => reference.eyes_to_ears.and_then(from_eyes),
        None => from_eyes(EyesToEars::default()),
    };
    resolved.unwrap_or_else(|| front.without_ears())
}

/// Heights of the shoulder and ear midpoints in normalised camera coordinates: pixels below the
/// image centre, measured square to the shoulder line (so a sideways lean does not change
/// them), divided by the focal length. Multiplied by a point's depth this gives its height
/// below the camera. `None` without both ears.
pub fn body_heights(front: &FrontObservation, frame_size: (u32, u32)) -> Option<(f32, f32)> {
    let ear_mid = front.ear_mid?;
    Some((normalised_height(front, front.shoulder_mid, frame_size), normalised_height(front, ear_mid, frame_size)))
}

/// One point's height in normalised camera coordinates, as in [`body_heights`].
pub fn normalised_height(front: &FrontObservation, point: Point, frame_size: (u32, u32)) -> f32 {
    let focal = assumed_focal_px(frame_size.0);
    let (centre_x, centre_y) = (frame_size.0 as f32 / 2.0, frame_size.1 as f32 / 2.0);
    let angle = front.shoulder_line_deg.to_radians();
    let down = (-angle.sin(), angle.cos());
    ((point.x - centre_x) * down.0 + (point.y - centre_y) * down.1) / focal
}

/// Measures from a side-view observation. All are absolute; comparing them with a calibration
/// is the verdict's job.
pub fn side_metrics(side: &SideObservation) -> Metrics {
    let forward_head_deg = side.forward_angle_deg(side.shoulder, side.ear);
    let trunk_lean_deg = side.hip.map(|hip| side.forward_angle_deg(hip, side.shoulder));
    let shoulder_rounding_deg =
        side.hip.map(|hip| side.forward_angle_deg(hip, side.shoulder) - side.forward_angle_deg(hip, side.ear));
    let head_down_deg =
        side.nose.map(|nose| (nose.y - side.ear.y).atan2(side.facing * (nose.x - side.ear.x)).to_degrees());
    Metrics {
        forward_head_deg: Some(forward_head_deg),
        cva_proxy_deg: Some(90.0 - forward_head_deg),
        shoulder_rounding_deg,
        head_down_deg,
        trunk_lean_deg,
        ..Metrics::default()
    }
}

/// Measures from a front-view observation. Without a reference only the lean, head tilt and head
/// turn are known; forward head, rounding, shrug, head pitch and distance need the calibration.
pub fn front_metrics(front: &FrontObservation, reference: Option<&FrontReference>) -> Metrics {
    let front = &with_ears_resolved(front, reference);
    let head_turn_deg = front.nose_shift.map(|shift| (shift / NOSE_DEPTH_HEAD_WIDTHS).atan().to_degrees());
    let mut metrics = Metrics {
        lean_deg: Some(front.shoulder_line_deg),
        head_tilt_deg: front.head_line_deg,
        head_turn_deg,
        ..Metrics::default()
    };
    let Some(reference) = reference else {
        return metrics;
    };
    // With the face read now and at calibration, the mesh measures the head's pitch in depth,
    // which the nose's drop (below) only estimates; it needs no ears and no shoulders.
    let face_pitch = front.face.zip(reference.face).map(|(face, neutral)| face.pitch_deg - neutral.pitch_deg);
    if shoulders_lost(front, reference) {
        // Only what the head alone shows: its pitch from the face, and its distance from its size.
        metrics.lean_deg = None;
        metrics.head_down_deg = face_pitch;
        metrics.screen_distance = front.ear_width_px.map(|width| reference.ear_width_px / width);
        return metrics;
    }

    // Trunk scale: how much nearer (>1) the trunk is than at calibration. The shoulders narrow
    // when they round and the head grows when it comes forward, so each alone is biased; their
    // median with 1 picks the reading both agree on (see the module docs).
    let shoulder_scale = front.shoulder_width_px / reference.shoulder_width_px;
    let head_turned_too_far = head_turn_deg.is_some_and(|turn| turn.abs() > HEAD_TURN_LIMIT_DEG);
    let head_scale = front.ear_width_px.filter(|_| !head_turned_too_far).map(|width| width / reference.ear_width_px);
    let trunk_scale = median3(1.0, shoulder_scale, head_scale.unwrap_or(shoulder_scale));
    metrics.screen_distance = Some(1.0 / trunk_scale);
    metrics.shoulder_rounding_deg = Some((shoulder_scale / trunk_scale).min(1.0).acos().to_degrees());
    metrics.chin_gap_shortening_pct = chin_gap_shortening_pct(front, reference);
    metrics.head_down_deg = face_pitch;

    let frame_size = (reference.frame_width_px, reference.frame_height_px);
    let (Some(head_scale), Some((shoulder_height, ear_height))) = (head_scale, body_heights(front, frame_size)) else {
        return metrics;
    };
    // Lengths in shoulder widths (w = 1); depths are distances from the camera along its axis.
    let neutral = NEUTRAL_NECK_ANGLE_DEG.to_radians();
    let calibrated_distance = assumed_focal_px(reference.frame_width_px) / reference.shoulder_width_px;
    // At calibration the neck rises L cos(theta0) and the head sits L sin(theta0) nearer:
    // rise0 = D0 * shoulder_height0 - (D0 - L sin(theta0)) * ear_height0, solved for L.
    let neck_length = calibrated_distance * (reference.shoulder_height - reference.ear_height)
        / (neutral.cos() - neutral.sin() * reference.ear_height);
    let neutral_rise = neck_length * neutral.cos();
    let calibrated_head_distance = calibrated_distance - neck_length * neutral.sin();

    let shoulder_distance = calibrated_distance / trunk_scale;
    let trunk_pitch = ((calibrated_distance - shoulder_distance) / TRUNK_HEIGHT_SHOULDER_WIDTHS).clamp(0.0, 1.0).asin();
    let head_distance = calibrated_head_distance / head_scale;
    let head_forward = shoulder_distance - head_distance;
    let head_rise = shoulder_distance * shoulder_height - head_distance * ear_height;
    let neck_angle = head_forward.atan2(head_rise);
    metrics.forward_head_deg = Some((neck_angle - trunk_pitch).to_degrees());

    // Head pitch: the nose sits NOSE_DEPTH head widths in front of the ears, so pitching the
    // head down by `phi` drops it by NOSE_DEPTH * sin(phi) head widths below where it sat.
    // Measured within the head, it does not depend on where the camera looks from.
    // The trunk's own pitch is not taken off: the front estimate of it comes from the distance
    // change alone, and on the people set it removed most of the head-down slouches, which come
    // with leaning in (docs/ACCURACY.md).
    metrics.head_down_deg = face_pitch.or_else(|| {
        front.nose_drop.zip(reference.nose_drop).map(|(drop, neutral_drop)| {
            ((drop - neutral_drop) / NOSE_DEPTH_HEAD_WIDTHS).clamp(-1.0, 1.0).asin().to_degrees()
        })
    });

    // A shrug lifts the shoulders while the head stays: how far the shoulders rose (in world
    // units, from their depth and image height) beyond any rise of the ears. A forward head drops
    // the ears instead, and sinking into the chair lowers both, so neither reads as a shrug.
    let shoulder_lift = calibrated_distance * reference.shoulder_height - shoulder_distance * shoulder_height;
    let ear_lift = calibrated_head_distance * reference.ear_height - head_distance * ear_height;
    let shoulders_raised_pct = ((shoulder_lift - ear_lift.max(0.0)) / neutral_rise * 100.0).max(0.0);
    metrics.shoulders_raised_pct = Some(shoulders_raised_pct);

    // The neck's height in head widths: distance scales both alike, while a head that comes
    // forward or drops shortens it. What a shrug (shoulders rising) or a whole-trunk lean (the
    // neck tilting with the trunk) explains is not the head's doing and is taken off.
    let neutral_neck = reference.neck_height_px / reference.ear_width_px;
    let tilted_with_trunk = (neutral + trunk_pitch).cos() / neutral.cos();
    metrics.neck_shortening_pct = front
        .neck_height_px
        .zip(front.ear_width_px)
        .map(|(neck, ears)| ((tilted_with_trunk - neck / ears / neutral_neck) * 100.0 - shoulders_raised_pct).max(0.0));
    metrics
}

/// Whether MoveNet has lost the shoulders the calibration saw: with the face read now and at
/// calibration, the shoulder line collapsed onto the neck, under
/// [`FACE_SHOULDERS_COLLAPSED_SHARE`] of its calibrated length in face widths. The measures
/// that rest on the shoulders are then not judged.
pub fn shoulders_lost(front: &FrontObservation, reference: &FrontReference) -> bool {
    front
        .face
        .zip(reference.face)
        .is_some_and(|(face, neutral)| face.shoulder_width < FACE_SHOULDERS_COLLAPSED_SHARE * neutral.shoulder_width)
}

/// Whether a shoulder point lies below the picture (placed there by the model, not seen): the
/// chin's gap to it is then not measured. The other shoulder measures keep their own rules.
fn shoulder_below_picture(front: &FrontObservation, reference: &FrontReference) -> bool {
    let (left_end, right_end) = front.shoulder_ends();
    left_end.y.max(right_end.y) > reference.frame_height_px as f32
}

/// How much the chin-to-shoulder gap shortened against calibration, percent (0 when longer); see
/// [`Metrics::chin_gap_shortening_pct`]. Needs the face now and at calibration, and shoulders
/// that are where the calibration saw them: not below the picture, not collapsed onto the neck.
fn chin_gap_shortening_pct(front: &FrontObservation, reference: &FrontReference) -> Option<f32> {
    let (face, neutral): (FaceGeometry, FaceReference) = front.face.zip(reference.face)?;
    if neutral.chin_gap <= 0.0 || shoulder_below_picture(front, reference) {
        return None;
    }
    // Nodding moves the chin too: pitching the head down by `phi` lowers the chin by about
    // CHIN_AHEAD_OF_NOD_AXIS * sin(phi) face widths, which is the head-down measure's to name.
    // Added back, what is left is the head sinking as a whole.
    let pitch = (face.pitch_deg - neutral.pitch_deg).to_radians();
    let gap = face.chin_gap + CHIN_AHEAD_OF_NOD_AXIS_FACE_WIDTHS * pitch.sin();
    Some(((1.0 - gap / neutral.chin_gap) * 100.0).max(0.0))
}

fn median3(a: f32, b: f32, c: f32) -> f32 {
    a.max(b).min(a.min(b).max(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::observation::Point;

    fn front(shoulder_width: f32, ear_width: f32, neck_height: f32, nose_drop: f32) -> FrontObservation {
        FrontObservation {
            shoulder_mid: Point { x: 640.0, y: 500.0 },
            shoulder_width_px: shoulder_width,
            shoulder_line_deg: 0.0,
            ear_mid: Some(Point { x: 640.0, y: 500.0 - neck_height }),
            ear_width_px: Some(ear_width),
            neck_height_px: Some(neck_height),
            head_line_deg: Some(0.0),
            nose: Some(Point { x: 640.0, y: 500.0 - neck_height + nose_drop * ear_width }),
            nose_drop: Some(nose_drop),
            nose_shift: Some(0.0),
            eye_mid: None,
            eye_width_px: None,
            ears_from_eyes: false,
            face: None,
        }
    }

    fn reference() -> FrontReference {
        FrontReference {
            shoulder_width_px: 400.0,
            ear_width_px: 160.0,
            neck_height_px: 200.0,
            nose_drop: Some(0.05),
            shoulder_height: 0.0,
            ear_height: -200.0 / assumed_focal_px(1280),
            frame_width_px: 1280,
            frame_height_px: 1000,
            eyes_to_ears: None,
            ears_from_eyes: false,
            face: None,
        }
    }

    /// A front observation of the calibrated posture with the face read: chin `chin_gap` face
    /// widths above the shoulder line, the head pitched `pitch` degrees (neutral 0), shoulders
    /// `shoulders` face widths wide (neutral 2).
    fn with_face(chin_gap: f32, pitch: f32, shoulders: f32) -> FrontObservation {
        let face = FaceGeometry { width_px: 150.0, chin_gap, shoulder_width: shoulders, pitch_deg: pitch };
        FrontObservation { face: Some(face), ..front(400.0, 160.0, 200.0, 0.05) }
    }

    fn face_reference() -> FrontReference {
        FrontReference {
            face: Some(FaceReference { chin_gap: 0.5, shoulder_width: 2.0, pitch_deg: 0.0 }),
            ..reference()
        }
    }

    #[test]
    fn the_chin_sinking_toward_the_shoulders_reads_as_its_gap_shortening() {
        let upright = front_metrics(&with_face(0.5, 0.0, 2.0), Some(&face_reference()));
        assert_eq!(upright.chin_gap_shortening_pct, Some(0.0));
        let sunk = front_metrics(&with_face(0.42, 0.0, 2.0), Some(&face_reference()));
        assert!((sunk.chin_gap_shortening_pct.unwrap() - 16.0).abs() < 1e-3, "{sunk:?}");
        // Sitting taller never reads as less than upright.
        let taller = front_metrics(&with_face(0.6, 0.0, 2.0), Some(&face_reference()));
        assert_eq!(taller.chin_gap_shortening_pct, Some(0.0));
    }

    #[test]
    fn a_nod_is_head_down_not_a_slump() {
        // Pitching down 12 degrees lowers the chin by the nod's share alone.
        let pitch = 12.0f32;
        let lowered = 0.5 - CHIN_AHEAD_OF_NOD_AXIS_FACE_WIDTHS * pitch.to_radians().sin();
        let nod = front_metrics(&with_face(lowered, pitch, 2.0), Some(&face_reference()));
        assert!(nod.chin_gap_shortening_pct.unwrap() < 0.01, "{nod:?}");
        // The face mesh's pitch, not the nose's drop, is the head-down reading.
        assert!((nod.head_down_deg.unwrap() - pitch).abs() < 1e-3, "{nod:?}");
        // Head tipped back while sinking: the raised chin does not hide the slump.
        let tipped_back =
            front_metrics(&with_face(0.45 + 0.6 * 5f32.to_radians().sin(), -5.0, 2.0), Some(&face_reference()));
        assert!((tipped_back.chin_gap_shortening_pct.unwrap() - 10.0).abs() < 0.01, "{tipped_back:?}");
    }

    #[test]
    fn shoulders_collapsed_onto_the_neck_leave_the_head_alone_judged() {
        let lost = with_face(0.1, 2.0, 1.2);
        assert!(shoulders_lost(&lost, &face_reference()));
        let metrics = front_metrics(&lost, Some(&face_reference()));
        assert_eq!(metrics.chin_gap_shortening_pct, None);
        assert_eq!(metrics.shoulder_rounding_deg, None);
        assert_eq!(metrics.forward_head_deg, None);
        assert_eq!(metrics.neck_shortening_pct, None);
        assert_eq!(metrics.lean_deg, None);
        assert_eq!(metrics.head_down_deg, Some(2.0));
        assert_eq!(metrics.screen_distance, Some(1.0));
        // A little narrower is rounding, still judged.
        assert!(!shoulders_lost(&with_face(0.5, 0.0, 1.8), &face_reference()));
    }

    #[test]
    fn shoulders_below_the_picture_leave_the_chin_gap_unmeasured() {
        let mut below = with_face(0.5, 0.0, 2.0);
        below.shoulder_mid.y = 1010.0;
        below.ear_mid = Some(Point { x: 640.0, y: 810.0 });
        let metrics = front_metrics(&below, Some(&face_reference()));
        assert_eq!(metrics.chin_gap_shortening_pct, None);
        assert!(metrics.shoulder_rounding_deg.is_some());
    }

    #[test]
    fn a_calibration_without_the_face_keeps_the_keypoint_rules() {
        // Calibrated before the face mesh (or with a face it could not read): the nose gives
        // the pitch and the chin gap is not measured.
        let metrics = front_metrics(&with_face(0.3, 20.0, 2.0), Some(&reference()));
        assert_eq!(metrics.chin_gap_shortening_pct, None);
        assert!(metrics.head_down_deg.unwrap().abs() < 1e-3);
        // A face not read now, against a calibration that has it: the same.
        let metrics = front_metrics(&front(400.0, 160.0, 200.0, 0.05), Some(&face_reference()));
        assert_eq!(metrics.chin_gap_shortening_pct, None);
        assert!(metrics.head_down_deg.unwrap().abs() < 1e-3);
    }

    #[test]
    fn array_round_trip_keeps_every_field_in_place() {
        let values: [Option<f32>; METRIC_COUNT] = std::array::from_fn(|i| Some(i as f32));
        let metrics = Metrics::from_array(values);
        assert_eq!(metrics.to_array(), values);
        let json = serde_json::to_value(metrics).unwrap();
        for (i, name) in METRIC_NAMES.iter().enumerate() {
            assert_eq!(json[name].as_f64(), Some(i as f64), "{name}");
        }
    }

    #[test]
    fn median3_picks_the_middle() {
        assert_eq!(median3(1.0, 0.8, 1.2), 1.0);
        assert_eq!(median3(1.0, 1.3, 1.2), 1.2);
        assert_eq!(median3(1.0, 0.7, 0.9), 0.9);
    }

    #[test]
    fn the_calibrated_posture_measures_neutral() {
        let metrics = front_metrics(&front(400.0, 160.0, 200.0, 0.05), Some(&reference()));
        assert!((metrics.forward_head_deg.unwrap() - NEUTRAL_NECK_ANGLE_DEG).abs() < 1e-3);
        assert!(metrics.shoulder_rounding_deg.unwrap().abs() < 1e-3);
        assert!(metrics.shoulders_raised_pct.unwrap().abs() < 1e-3);
        assert!(metrics.head_down_deg.unwrap().abs() < 1e-3);
        assert_eq!(metrics.screen_distance, Some(1.0));
    }

    #[test]
    fn narrower_shoulders_with_a_steady_head_read_as_rounding() {
        let narrowed = 400.0 * 20f32.to_radians().cos();
        let metrics = front_metrics(&front(narrowed, 160.0, 200.0, 0.05), Some(&reference()));
        assert!((metrics.shoulder_rounding_deg.unwrap() - 20.0).abs() < 0.01);
        assert!((metrics.forward_head_deg.unwrap() - NEUTRAL_NECK_ANGLE_DEG).abs() < 0.01);
        assert_eq!(metrics.screen_distance, Some(1.0));
    }

    #[test]
    fn moving_back_is_not_rounding() {
        let metrics = front_metrics(&front(360.0, 144.0, 180.0, 0.05), Some(&reference()));
        assert!(metrics.shoulder_rounding_deg.unwrap() < 0.01);
        assert!((metrics.screen_distance.unwrap() - 1.0 / 0.9).abs() < 1e-4);
    }

    #[test]
    fn a_bigger_lower_head_reads_as_forward_head() {
        let metrics = front_metrics(&front(400.0, 180.0, 170.0, 0.05), Some(&reference()));
        assert!(metrics.forward_head_deg.unwrap() > NEUTRAL_NECK_ANGLE_DEG + 10.0, "{metrics:?}");
        assert!(metrics.shoulder_rounding_deg.unwrap() < 0.01);
    }

    #[test]
    fn shoulders_rising_under_a_steady_head_read_as_a_shrug() {
        // Shoulders 40 px higher, ears where they were: 20% of the 200 px neck.
        let mut shrugged = front(400.0, 160.0, 160.0, 0.05);
        shrugged.shoulder_mid.y -= 40.0;
        shrugged.ear_mid = Some(Point { x: 640.0, y: 300.0 });
        shrugged.nose = Some(Point { x: 640.0, y: 308.0 });
        let metrics = front_metrics(&shrugged, Some(&reference()));
        assert!((metrics.shoulders_raised_pct.unwrap() - 20.0).abs() < 1.0, "{metrics:?}");
        assert!(metrics.forward_head_deg.unwrap() < NEUTRAL_NECK_ANGLE_DEG + 5.0, "{metrics:?}");

        // The ears dropping by the same 40 px is not a shrug.
        let dropped = front_metrics(&front(400.0, 160.0, 160.0, 0.05), Some(&reference()));
        assert_eq!(dropped.shoulders_raised_pct, Some(0.0), "{dropped:?}");
    }

    #[test]
    fn nose_drop_gives_head_pitch_without_moving_forward_head() {
        let pitch_for = |drop: f32| front_metrics(&front(400.0, 160.0, 200.0, drop), Some(&reference()));
        let mut last = pitch_for(0.05).head_down_deg.unwrap();
        assert!(last.abs() < 0.01, "neutral pitch {last}");
        for drop in [0.2, 0.35, 0.5] {
            let metrics = pitch_for(drop);
            let pitch = metrics.head_down_deg.unwrap();
            assert!(pitch > last + 5.0, "drop {drop}: pitch {pitch} after {last}");
            assert!((metrics.forward_head_deg.unwrap() - NEUTRAL_NECK_ANGLE_DEG).abs() < 0.01);
            last = pitch;
        }
    }

    #[test]
    fn without_calibration_only_lean_tilt_and_turn_are_known() {
        let metrics = front_metrics(&front(400.0, 160.0, 200.0, 0.05), None);
        assert_eq!(metrics.lean_deg, Some(0.0));
        assert_eq!(metrics.head_tilt_deg, Some(0.0));
        assert_eq!(metrics.head_turn_deg, Some(0.0));
        assert_eq!(metrics.forward_head_deg, None);
        assert_eq!(metrics.shoulder_rounding_deg, None);
        assert_eq!(metrics.screen_distance, None);
    }

    #[test]
    fn side_view_measures_the_ear_shoulder_line_directly() {
        let side = SideObservation {
            facing: 1.0,
            ear: Point { x: 330.0, y: 200.0 },
            shoulder: Point { x: 300.0, y: 330.0 },
            hip: Some(Point { x: 290.0, y: 600.0 }),
            nose: Some(Point { x: 400.0, y: 215.0 }),
        };
        let metrics = side_metrics(&side);
        let expected = 30f32.atan2(130.0).to_degrees();
        assert!((metrics.forward_head_deg.unwrap() - expected).abs() < 1e-4);
        assert!((metrics.cva_proxy_deg.unwrap() - (90.0 - expected)).abs() < 1e-4);
        assert!(metrics.trunk_lean_deg.unwrap() > 0.0);
        // The ear is further forward of the hip line than the shoulder: no rounding.
        assert!(metrics.shoulder_rounding_deg.unwrap() < 0.0);
        assert!((metrics.head_down_deg.unwrap() - 15f32.atan2(70.0).to_degrees()).abs() < 1e-4);
    }
}
