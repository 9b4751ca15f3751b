//! The posture stage: from a [`Pose`] to posture measures a person understands, compared with
//! their own calibrated neutral posture, and a verdict per frame.
//!
//! Pure code: no camera, clock, file or GUI. Frame sizes and timestamps are passed in.
//!
//! - [`observation`]: raw geometry in pixels from confident keypoints;
//! - [`placement`]: front or side camera, detected or set;
//! - [`metrics`]: the measures (degrees, percent, ratios), with the models below;
//! - [`calibration`]: the neutral posture from several frames, its quality, and staleness;
//! - [`problem`]: the problems a verdict can report, and their words;
//! - [`disputes`]: "I'm sitting fine", remembered per setup as widened limits;
//! - [`verdict`]: good / bad / unknown and the problems;
//! - [`setups`]: named calibrations, and which one fits the person now;
//! - [`smoothing`]: One Euro filtering for streams (used by the live engine).
//!
//! # What is measured, and from where
//!
//! Clinically, forward head posture is measured from the **side** as the craniovertebral angle
//! (CVA): the angle between the horizontal and the line from C7 to the ear's tragus. Side-view
//! photo measurement is repeatable (test-retest ICC about 0.9: Carrasco-Uribarren et al. 2023;
//! Gallego-Izquierdo et al. 2020, smallest real change about 5 degrees), but its cut-offs
//! (40-50 degrees) vary and are not validated, so ours are defaults, not diagnoses. Rounded
//! shoulders (the forward shoulder angle) do not correlate with CVA (Kim et al. 2016), so they are
//! reported separately. MoveNet has no C7 keypoint; the side view uses the shoulder joint, which
//! sits in front of C7, so [`Metrics::cva_proxy_deg`] is larger than a clinical CVA.
//!
//! No study validates CVA from a **front** webcam. Front measures therefore only mean something
//! against the same person's calibration, and are estimates from the model below.
//!
//! # The front-view geometric model
//!
//! A pinhole camera with a horizontal field of view of
//! [`ASSUMED_HORIZONTAL_FOV_DEG`](metrics::ASSUMED_HORIZONTAL_FOV_DEG), principal point at the
//! image centre. Lengths are in shoulder widths `w` (the distance between the shoulder joints,
//! assumed fixed for a person); depths are distances from the camera.
//!
//! - **Trunk**: the shoulder joints sit at depth `D`. At calibration `D0 = f / W0`, with `f` the
//!   focal length in pixels and `W0` the calibrated shoulder width in pixels.
//! - **Neck**: a rigid segment of length `L` from the shoulder midpoint to the ear midpoint,
//!   tilted forward by the neck angle `theta` from vertical. At calibration `theta` is
//!   [`NEUTRAL_NECK_ANGLE_DEG`](metrics::NEUTRAL_NECK_ANGLE_DEG) (assumed: the front camera cannot
//!   see it), which fixes `L` from the calibrated ear height `v0`: `L cos(theta0) = v0 / W0`.
//!   The head sits at depth `D - L sin(theta)`; its apparent width `E` (between the ears) grows as
//!   it comes forward.
//! - **Rounded shoulders**: the shoulder joints draw in toward the midline as the shoulder blades
//!   wrap forward, so the shoulder line's apparent width shrinks by `cos(rho)` against the head's,
//!   which does not shrink with it. The joints' own forward travel (a few centimetres at 50-90 cm)
//!   is not modelled: from the front it is indistinguishable from a small trunk movement, and it
//!   makes the front estimate of rounding read low. The side view measures rounding directly.
//! - **Trunk scale**: shoulders alone narrow when they round, the head alone grows when it comes
//!   forward; when both shrink or both grow the whole person moved. The trunk scale is the median
//!   of 1, `W/W0` and `E/E0`, which picks the reading both agree on. Its inverse is
//!   [`Metrics::screen_distance`].
//! - **Leaning in**: when the trunk comes nearer we take it as pitching forward about the hips,
//!   [`TRUNK_HEIGHT_SHOULDER_WIDTHS`](metrics::TRUNK_HEIGHT_SHOULDER_WIDTHS) below the shoulders,
//!   and subtract that pitch from the neck angle: leaning in with the neck in line with the trunk
//!   is "too close", not "forward head". (Sliding nearer without pitching then reads as a slightly
//!   *backward* head, which errs on the side of not nagging.)
//! - **Forward head**: the head's forward offset from the shoulders, `F = D_shoulders - D_head`,
//!   comes from the head's change of scale; its rise above the shoulders comes from the ear
//!   height measured in head widths (`v / E`, which no distance change affects). The neck angle
//!   is `atan2(F, rise)` minus the trunk pitch.
//! - **Looking down** rotates the head about an axis close to the ears, so the ears (and the
//!   forward-head estimate) barely move while the nose drops: the nose's drop below the ear line
//!   gives [`Metrics::head_down_deg`], and it is never a forward head by itself.
//! - **Shrug**: the ear-to-shoulder rise shrinks more than the head's forward offset explains.
//!
//! What is assumed fixed: the person's body proportions, the camera (position, focal length),
//! the shoulders' height in the chair apart from shrugging, and a head that faces the camera
//! within [`HEAD_TURN_LIMIT_DEG`](metrics::HEAD_TURN_LIMIT_DEG) (beyond it forward head and shrug
//! are unknown; turning away to a second monitor makes the head look smaller, never forward).
//!
//! # The side-view model
//!
//! The camera at about shoulder height sees the profile: the forward head angle is the near
//! ear-to-shoulder line's angle from vertical; the trunk lean is the hip-to-shoulder line's;
//! rounding is how far the shoulder sits forward of the hip-to-ear line. Leaning the trunk in
//! carries the ear forward too, so the verdict subtracts the trunk's change from the head's.

pub mod calibration;
pub mod desk;
pub mod disputes;
pub mod metrics;
pub mod observation;
pub mod placement;
pub mod problem;
pub mod setups;
pub mod smoothing;
pub mod verdict;

use serde::Serialize;

pub use calibration::{
    Calibration, CalibrationError, CalibrationFileError, CalibrationQuality, QualityGrade, StaleReason, calibrate,
};
pub use metrics::Metrics;
pub use placement::{CameraPlacement, PlacementSetting};
pub use problem::ProblemSeconds;
pub use verdict::{Posture, Problem, Sensitivity};

use crate::pose::Pose;
use observation::{FrontObservation, SideObservation};

/// Settings that change how a frame is judged.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PostureSettings {
    /// Camera placement: detected, or fixed by the user.
    pub placement: PlacementSetting,
    /// How strict the verdict is.
    pub sensitivity: Sensitivity,
    /// Never call a head pitched down a problem (for people who must look down at their work,
    /// e.g. at paper or a drawing tablet).
    pub ignore_head_down: bool,
}

/// Everything the posture stage concludes about one frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The camera placement used (`None` when no person could be read).
    pub placement: Option<CameraPlacement>,
    /// The measures.
    pub metrics: Metrics,
    /// Good, bad or unknown.
    pub posture: Posture,
    /// What is wrong, empty unless `posture` is bad.
    pub problems: Vec<Problem>,
    /// How far past its limit the worst problem is (1.0 = at the limit; 0 when good).
    pub excess: f32,
    /// What each judged problem was judged on: value and limit ([`verdict::Reading`]).
    pub readings: Vec<verdict::Reading>,
    /// Why the calibration no longer fits (then `posture` is unknown and the user should
    /// recalibrate), or `None`.
    pub calibration_stale: Option<StaleReason>,
}

impl Assessment {
    fn unknown(placement: Option<CameraPlacement>, metrics: Metrics, stale: Option<StaleReason>) -> Assessment {
        Assessment {
            placement,
            metrics,
            posture: Posture::Unknown,
            problems: Vec::new(),
            excess: 0.0,
            readings: Vec::new(),
            calibration_stale: stale,
        }
    }
}

/// Measures and judges one pose from a frame of `frame_size` (width, height) pixels.
pub fn assess(
    pose: &Pose,
    frame_size: (u32, u32),
    calibration: Option<&Calibration>,
    settings: &PostureSettings,
) -> Assessment {
    if !pose.person_in_view() {
        return Assessment::unknown(None, Metrics::default(), None);
    }
    let placement = settings
        .placement
        .fixed()
        .or(calibration.map(|calibration| calibration.placement))
        .or_else(|| placement::detect(pose));
    let Some(placement) = placement else {
        return Assessment::unknown(None, Metrics::default(), None);
    };
    // A calibration taken from the other placement cannot be compared with.
    let calibration = calibration.filter(|calibration| calibration.placement == placement);
    let metrics = match placement {
        CameraPlacement::Front => FrontObservation::from_pose(pose)
            .map(|front| metrics::front_metrics(&front, calibration.and_then(|c| c.front.as_ref())))
            .unwrap_or_default(),
        CameraPlacement::Side => {
            SideObservation::from_pose(pose).map(|side| metrics::side_metrics(&side)).unwrap_or_default()
        }
    };
    let stale = calibration.and_then(|calibration| calibration.staleness(pose, frame_size));
    if stale.is_some() {
        return Assessment::unknown(Some(placement), metrics, stale);
    }
    let judgement = verdict::judge(&metrics, placement, calibration, settings);
    Assessment {
        placement: Some(placement),
        metrics,
        posture: judgement.posture,
        problems: judgement.problems,
        excess: judgement.excess,
        readings: judgement.readings,
        calibration_stale: None,
    }
}
