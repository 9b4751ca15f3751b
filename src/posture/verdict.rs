//! The verdict: from measures (and the calibration, if any) to good / bad / unknown and the list
//! of problems. Thresholds are named defaults, scaled by the user's sensitivity and widened to the
//! person's own calibration spread, never diagnoses.

use serde::{Deserialize, Serialize};

use super::PostureSettings;
use super::calibration::Calibration;
use super::metrics::Metrics;
use super::placement::CameraPlacement;
pub use super::problem::Problem;

/// Forward-head change from the calibrated neutral that counts as a forward head, degrees. Twice
/// the 5-degree smallest real change of photo-based CVA measurement (Gallego-Izquierdo et al.
/// 2020), so noise alone does not trip it.
pub const FORWARD_HEAD_CHANGE_DEG: f32 = 10.0;

/// Side view without calibration: the ear-shoulder line's angle from vertical that counts as a
/// forward head, degrees. Our upright side photos measure 10-15 and the hunched ones about 40;
/// 25 corresponds to a CVA proxy of 65 (clinical CVA cut-offs of 40-50 use C7, which sits
/// further back, so they are not comparable).
pub const SIDE_FORWARD_HEAD_ABSOLUTE_DEG: f32 = 25.0;

/// Side view: shoulder-rounding change that counts as rounded shoulders, degrees.
pub const SHOULDER_ROUNDING_CHANGE_DEG: f32 = 12.0;

/// Front view: shoulder-rounding change that counts as rounded shoulders, degrees. Wider than the
/// side view's because the front estimate is the arccosine of a width ratio, which magnifies
/// keypoint jitter near zero: MoveNet's shoulder width wobbles by about 2% between frames of
/// someone sitting still (our desk photos), which alone reads as up to 11-19 degrees; 20 degrees
/// is a 6% narrowing.
pub const FRONT_SHOULDER_ROUNDING_CHANGE_DEG: f32 = 20.0;

/// Side view without calibration: shoulder forward of the hip-to-ear line by this many degrees
/// counts as rounded shoulders.
pub const SIDE_SHOULDER_ROUNDING_ABSOLUTE_DEG: f32 = 8.0;

/// Shrinking of the ear-to-shoulder gap that counts as raised shoulders, percent.
pub const SHOULDERS_RAISED_PCT: f32 = 15.0;

/// Sideways lean of the shoulder line that counts as leaning, degrees (change from calibration,
/// or from level without one).
pub const LEAN_DEG: f32 = 8.0;

/// Front: this much nearer than calibrated counts as too close (0.85 = 15% nearer).
pub const TOO_CLOSE_DISTANCE_RATIO: f32 = 0.85;

/// Side: forward trunk lean (change from calibration) that counts as leaning in toward the screen.
pub const TRUNK_LEAN_CHANGE_DEG: f32 = 12.0;

/// The head pitched down (change from the calibrated neutral) by this many degrees counts as a
/// head down ("tech neck": looking down at a screen or a laptop for minutes). A still person's
/// front-view reading (the nose's drop below the ears) jitters by about 2 degrees between frames
/// (calibration spreads on `../shared/eval/people`), so 7 is well clear of noise; a glance at the
/// keyboard is kept from warning by the engine's delay, not by this limit.
pub const HEAD_DOWN_CHANGE_DEG: f32 = 7.0;

/// Front view: the head sunk toward the shoulders by this share of the calibrated ear-to-shoulder
/// height (both in head widths) counts as a forward head. A head that comes forward or drops, or
/// rides on a slumped back, shortens the neck seen from the front; a still person's reading
/// jitters by a few percent (an ear keypoint off by 1% of the head's width moves it by 1%), so
/// 15% is a change of posture, not noise.
pub const NECK_SHORTENING_PCT: f32 = 15.0;

/// Front view, with the face read: the gap from the chin down to the shoulder line shortened by
/// this share of its calibrated length (both in face widths) counts as slumped low. On the
/// frontal frames of `../shared/eval/people` a person sitting upright, from other seats and
/// camera positions than at calibration, reads at most 6.3% (person D; person A at most 3%),
/// while D's slumps read a median 14% and A's slouches 44% (a nod's share taken off;
/// docs/ACCURACY.md); 10% is above every upright reading there. A lower limit was not bought: at 8% the people held back from
/// tuning roughly doubled their false alarms (issue 33's research).
pub const CHIN_GAP_SHORTENING_PCT: f32 = 10.0;

/// A threshold is never tighter than this many calibration spreads, so a person whose keypoints
/// jitter more is not warned by jitter.
pub const SPREAD_MULTIPLIER: f32 = 3.0;

/// ...but a noisy calibration widens a limit to at most this many times its default: a head that
/// moved while calibrating must not let a real slouch pass (a "poor" calibration once widened the
/// forward-head limit so far that slouches 19 degrees past neutral passed). Calibrations noisier
/// than that are refused ([`crate::posture::calibration::NOISY_MAX_SPREAD_DEG`]).
pub const SPREAD_WIDENING_CAP: f32 = 1.5;

/// The limit a measure's change from the calibrated neutral is judged against: the default
/// scaled by the sensitivity, widened to [`SPREAD_MULTIPLIER`] calibration spreads for a person
/// whose keypoints jitter more, but never past [`SPREAD_WIDENING_CAP`] times the default.
///
/// ```
/// use slouchwatch::posture::verdict::limit;
/// assert_eq!(limit(10.0, 1.0, 1.0), 10.0); // a steady calibration: the default
/// assert_eq!(limit(10.0, 1.0, 4.0), 12.0); // three spreads of 4 degrees
/// assert_eq!(limit(10.0, 1.0, 6.0), 15.0); // capped at 1.5 times the default
/// ```
pub fn limit(default: f32, scale: f32, spread: f32) -> f32 {
    let base = default * scale;
    (SPREAD_MULTIPLIER * spread).clamp(base, SPREAD_WIDENING_CAP * base)
}

/// Overall posture in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Posture {
    /// Every measure that could be judged is within its limit.
    Good,
    /// At least one problem.
    Bad,
    /// Not judged: no person, unclear keypoints, a stale calibration, or no calibration (nothing
    /// wrong was seen, but upright means "as calibrated").
    #[default]
    Unknown,
}

/// How strict the verdict is: thresholds are divided by it (1.0 default; 1.5 warns at two thirds
/// of the default change, 0.75 only at a third more).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity(pub f32);

impl Default for Sensitivity {
    fn default() -> Self {
        Sensitivity(1.0)
    }
}

/// The verdict on one frame.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Judgement {
    /// Good, bad or unknown.
    pub posture: Posture,
    /// What is wrong, sorted.
    pub problems: Vec<Problem>,
    /// How far past its limit the worst problem is (value over limit: 1.0 at the limit, 2.0 at
    /// twice the limit); 0 when nothing is wrong.
    pub excess: f32,
    /// Each problem that could be judged, with the value it was judged on and its limit: the
    /// one set of numbers the window's bars and its warning sentence draw.
    pub readings: Vec<Reading>,
}

/// What one problem was judged on: the measured value and the limit it warns past, in `unit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reading {
    /// The problem.
    pub problem: Problem,
    /// How far (a change from upright, or an absolute angle without a calibration).
    pub value: f32,
    /// Past this, it is a problem.
    pub limit: f32,
    /// What `value` and `limit` are in.
    pub unit: Unit,
}

impl Reading {
    /// Whether the value is past the limit.
    pub fn over(&self) -> bool {
        self.value > self.limit
    }
}

/// The unit of a [`Reading`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Degrees.
    Degrees,
    /// Percent.
    Percent,
}

impl Unit {
    /// The unit's sign after a number ("°", "%").
    pub fn sign(self) -> &'static str {
        match self {
            Unit::Degrees => "°",
            Unit::Percent => "%",
        }
    }
}

impl Judgement {
    /// The reading of `problem`, when it was judged.
    pub fn reading(&self, problem: Problem) -> Option<&Reading> {
        self.readings.iter().find(|reading| reading.problem == problem)
    }
}

/// The limit each measure is judged against, for one camera placement, calibration and
/// settings: the defaults scaled by the sensitivity and widened (capped) by the calibration's
/// spread. [`judge`] uses these, and the window's gauges draw them, so the limit drawn is the
/// limit that warns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Forward head: change of the neck angle from neutral (front and side), or the absolute
    /// ear-over-shoulder angle (side, uncalibrated), degrees.
    pub forward_head_deg: f32,
    /// Forward head seen from the front as the neck's shortening, percent.
    pub neck_shortening_pct: f32,
    /// Head pitched down from neutral, degrees.
    pub head_down_deg: f32,
    /// Slumped low: the chin-to-shoulder gap's shortening, percent.
    pub chin_gap_shortening_pct: f32,
    /// Shoulders rounded: change from neutral, or the absolute angle (side, uncalibrated),
    /// degrees.
    pub shoulder_rounding_deg: f32,
    /// Shoulders raised, percent of the neck's height.
    pub shoulders_raised_pct: f32,
    /// Sideways lean, degrees either way.
    pub lean_deg: f32,
    /// Whole-trunk lean toward the screen seen from the side, degrees.
    pub trunk_lean_deg: f32,
    /// How much nearer than at calibration (1 - distance ratio) counts as too close.
    pub nearer: f32,
}

/// The [`Limits`] for `placement`, `calibration` (`None`: the uncalibrated rules) and `settings`.
pub fn limits(placement: CameraPlacement, calibration: Option<&Calibration>, settings: &PostureSettings) -> Limits {
    let scale = 1.0 / settings.sensitivity.0.max(0.1);
    let spread = |pick: fn(&Metrics) -> Option<f32>| calibration.and_then(|c| pick(&c.spread)).unwrap_or(0.0);
    // "I'm sitting fine", repeated for one problem in this setup, widens that problem's default
    // by named steps up to a named cap (`posture::setups`).
    let disputed = |problem: Problem| calibration.map_or(1.0, |c| c.disputes.factor(problem));
    let widened_for = |problem: Problem, default: f32, pick: fn(&Metrics) -> Option<f32>| {
        limit(default * disputed(problem), scale, spread(pick))
    };
    let side_uncalibrated = placement == CameraPlacement::Side && calibration.is_none();
    Limits {
        forward_head_deg: if side_uncalibrated {
            SIDE_FORWARD_HEAD_ABSOLUTE_DEG * scale
        } else {
            widened_for(Problem::ForwardHead, FORWARD_HEAD_CHANGE_DEG, |m| m.forward_head_deg)
        },
        neck_shortening_pct: widened_for(Problem::ForwardHead, NECK_SHORTENING_PCT, |m| m.neck_shortening_pct),
        head_down_deg: widened_for(Problem::HeadDown, HEAD_DOWN_CHANGE_DEG, |m| m.head_down_deg),
        chin_gap_shortening_pct: widened_for(Problem::Slumped, CHIN_GAP_SHORTENING_PCT, |m| m.chin_gap_shortening_pct),
        shoulder_rounding_deg: match placement {
            CameraPlacement::Front => {
                widened_for(Problem::RoundedShoulders, FRONT_SHOULDER_ROUNDING_CHANGE_DEG, |m| m.shoulder_rounding_deg)
            }
            CameraPlacement::Side if side_uncalibrated => SIDE_SHOULDER_ROUNDING_ABSOLUTE_DEG * scale,
            CameraPlacement::Side => {
                widened_for(Problem::RoundedShoulders, SHOULDER_ROUNDING_CHANGE_DEG, |m| m.shoulder_rounding_deg)
            }
        },
        shoulders_raised_pct: widened_for(Problem::ShouldersRaised, SHOULDERS_RAISED_PCT, |m| m.shoulders_raised_pct),
        lean_deg: widened_for(Problem::Leaning, LEAN_DEG, |m| m.lean_deg),
        trunk_lean_deg: widened_for(Problem::TooClose, TRUNK_LEAN_CHANGE_DEG, |m| m.trunk_lean_deg),
        nearer: (1.0 - TOO_CLOSE_DISTANCE_RATIO) * scale * disputed(Problem::TooClose),
    }
}

/// How far one measure has moved from the calibrated upright posture, when both are known: the
/// scale every limit is on. The verdict, the live bars and the history's means all use it.
pub fn change_from_upright(
    metrics: &Metrics,
    calibration: Option<&Calibration>,
    pick: fn(&Metrics) -> Option<f32>,
) -> Option<f32> {
    Some(pick(metrics)? - pick(&calibration?.baseline)?)
}

/// Judges one frame's measures: every measure that can be judged against its limit
/// ([`limits`]), the problems past it, and how far past the worst one is.
pub fn judge(
    metrics: &Metrics,
    placement: CameraPlacement,
    calibration: Option<&Calibration>,
    settings: &PostureSettings,
) -> Judgement {
    let limits = limits(placement, calibration, settings);
    let change = |pick: fn(&Metrics) -> Option<f32>| change_from_upright(metrics, calibration, pick);
    // A measured (value, limit) in degrees or percent.
    let degrees = |measured: Option<(f32, f32)>| measured.map(|(value, limit)| (value, limit, Unit::Degrees));
    let percent = |measured: Option<(f32, f32)>| measured.map(|(value, limit)| (value, limit, Unit::Percent));
    // The worse (by value over limit) of two readings of one problem.
    let worse = |a: Option<(f32, f32, Unit)>, b: Option<(f32, f32, Unit)>| match (a, b) {
        (Some(a), Some(b)) => Some(if b.0 / b.1 > a.0 / a.1 { b } else { a }),
        (a, b) => a.or(b),
    };
    let head_down =
        change(|m| m.head_down_deg).filter(|_| !settings.ignore_head_down).map(|delta| (delta, limits.head_down_deg));

    let mut judgement = Judgement::default();
    let mut judged = 0;
    // Each check is (how far, its limit, unit): bad when how far > limit.
    let mut check = |problem: Problem, measured: Option<(f32, f32, Unit)>| {
        if let Some((value, limit, unit)) = measured {
            judged += 1;
            if value > limit {
                judgement.problems.push(problem);
                judgement.excess = judgement.excess.max(value / limit.max(f32::EPSILON));
            }
            judgement.readings.push(Reading { problem, value, limit, unit });
        }
    };

    match placement {
        CameraPlacement::Front => {
            // The head's forward travel, and the neck's shortening seen from the front, are two
            // readings of one forward head.
            let forward_travel = degrees(change(|m| m.forward_head_deg).map(|delta| (delta, limits.forward_head_deg)));
            // When the whole trunk came nearer, the neck's shortening is the lean's (too close),
            // as the forward-head angle already takes the trunk's pitch off.
            let trunk_came_nearer = metrics.screen_distance.is_some_and(|d| d < TOO_CLOSE_DISTANCE_RATIO);
            let neck_shortening = percent(
                change(|m| m.neck_shortening_pct)
                    .filter(|_| !trunk_came_nearer)
                    .map(|delta| (delta, limits.neck_shortening_pct)),
            );
            check(Problem::ForwardHead, worse(forward_travel, neck_shortening));
            check(Problem::HeadDown, degrees(head_down));
            // Leaning the whole trunk in brings the chin nearer the shoulder line too (the trunk
            // tips and the perspective grows): that is "too close", as for the neck's shortening.
            check(
                Problem::Slumped,
                percent(
                    change(|m| m.chin_gap_shortening_pct)
                        .filter(|_| !trunk_came_nearer)
                        .map(|delta| (delta, limits.chin_gap_shortening_pct)),
                ),
            );
            check(
                Problem::RoundedShoulders,
                degrees(change(|m| m.shoulder_rounding_deg).map(|delta| (delta, limits.shoulder_rounding_deg))),
            );
            check(
                Problem::ShouldersRaised,
                percent(change(|m| m.shoulders_raised_pct).map(|delta| (delta, limits.shoulders_raised_pct))),
            );
            let lean = match calibration {
                Some(_) => change(|m| m.lean_deg),
                None => metrics.lean_deg,
            };
            check(Problem::Leaning, degrees(lean.map(|delta| (delta.abs(), limits.lean_deg))));
            // In percent of the calibrated distance, as it is shown.
            let nearer = metrics.screen_distance.map(|distance| ((1.0 - distance) * 100.0, limits.nearer * 100.0));
            check(Problem::TooClose, percent(nearer));
        }
        CameraPlacement::Side => {
            // Leaning the whole trunk in moves the ear forward too: that part is "too close".
            let trunk_change = change(|m| m.trunk_lean_deg).map(|delta| delta.max(0.0)).unwrap_or(0.0);
            let forward_head = match calibration {
                Some(_) => change(|m| m.forward_head_deg).map(|delta| delta - trunk_change),
                None => metrics.forward_head_deg,
            };
            check(Problem::ForwardHead, degrees(forward_head.map(|value| (value, limits.forward_head_deg))));
            // The same for the head's pitch: the trunk leaning in tips the ear-to-nose line too.
            check(Problem::HeadDown, degrees(head_down.map(|(delta, limit)| (delta - trunk_change, limit))));
            let rounding = match calibration {
                Some(_) => change(|m| m.shoulder_rounding_deg),
                None => metrics.shoulder_rounding_deg,
            };
            check(Problem::RoundedShoulders, degrees(rounding.map(|value| (value, limits.shoulder_rounding_deg))));
            check(Problem::TooClose, degrees(change(|m| m.trunk_lean_deg).map(|delta| (delta, limits.trunk_lean_deg))));
        }
    }

    // Upright means "as in your calibration": without one, a frame can be bad (an absolute rule
    // fired) but never upright, so uncalibrated time is never shown or counted as good.
    judgement.posture = if !judgement.problems.is_empty() {
        Posture::Bad
    } else if judged > 0 && calibration.is_some() {
        Posture::Good
    } else {
        Posture::Unknown
    };
    judgement.problems.sort();
    judgement.readings.sort_by_key(|reading| reading.problem);
    judgement
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(
        metrics: &Metrics,
        placement: CameraPlacement,
        calibration: Option<&Calibration>,
        sensitivity: Sensitivity,
    ) -> (Posture, Vec<Problem>) {
        let settings = PostureSettings { sensitivity, ..PostureSettings::default() };
        let judgement = judge(metrics, placement, calibration, &settings);
        (judgement.posture, judgement.problems)
    }
    use crate::posture::calibration::{Anchor, CalibrationQuality, QualityGrade};
    use crate::posture::observation::Point;

    fn calibration(placement: CameraPlacement, baseline: Metrics, spread: Metrics) -> Calibration {
        Calibration {
            version: 1,
            placement,
            frame_width: 1280,
            frame_height: 720,
            anchor: Anchor { position: Point { x: 640.0, y: 500.0 }, scale_px: 400.0 },
            front: None,
            baseline,
            spread,
            quality: CalibrationQuality {
                grade: QualityGrade::Good,
                frames_used: 10,
                frames_total: 10,
                steady: true,
                centred: true,
                notes: vec![],
            },
            region: None,
            created: None,
            disputes: Default::default(),
        }
    }

    fn front_neutral() -> Metrics {
        Metrics {
            forward_head_deg: Some(10.0),
            shoulder_rounding_deg: Some(0.0),
            shoulders_raised_pct: Some(0.0),
            lean_deg: Some(1.0),
            screen_distance: Some(1.0),
            ..Metrics::default()
        }
    }

    #[test]
    fn a_chin_sunk_toward_the_shoulders_is_slumped_past_its_limit_only() {
        let baseline = Metrics { chin_gap_shortening_pct: Some(0.0), ..front_neutral() };
        let cal = calibration(CameraPlacement::Front, baseline, Metrics::default());
        let sunk = |pct: f32| Metrics { chin_gap_shortening_pct: Some(pct), ..front_neutral() };
        let below = CHIN_GAP_SHORTENING_PCT - 1.0;
        assert_eq!(
            verdict(&sunk(below), CameraPlacement::Front, Some(&cal), Sensitivity(1.0)),
            (Posture::Good, vec![])
        );
        let (posture, problems) =
            verdict(&sunk(CHIN_GAP_SHORTENING_PCT + 2.0), CameraPlacement::Front, Some(&cal), Sensitivity(1.0));
        assert_eq!((posture, problems), (Posture::Bad, vec![Problem::Slumped]));
        // Its reading is in percent, against the same limit.
        let judgement = judge(&sunk(14.0), CameraPlacement::Front, Some(&cal), &PostureSettings::default());
        let reading = judgement.reading(Problem::Slumped).unwrap();
        assert_eq!((reading.value, reading.limit, reading.unit), (14.0, CHIN_GAP_SHORTENING_PCT, Unit::Percent));
        // Leaning in close is "too close", not slumped.
        let close = Metrics { screen_distance: Some(0.8), ..sunk(14.0) };
        let (_, problems) = verdict(&close, CameraPlacement::Front, Some(&cal), Sensitivity(1.0));
        assert_eq!(problems, vec![Problem::TooClose]);
        // A calibration made before the face mesh has no neutral for it: never judged.
        let old = calibration(CameraPlacement::Front, front_neutral(), Metrics::default());
        let judgement = judge(&sunk(40.0), CameraPlacement::Front, Some(&old), &PostureSettings::default());
        assert!(judgement.reading(Problem::Slumped).is_none());
        assert_eq!(judgement.posture, Posture::Good);
    }

    #[test]
    fn disputes_widen_only_that_problems_limit_and_a_far_slouch_still_warns() {
        use crate::posture::setups::{DISPUTE_CAP, DISPUTE_STEP, DISPUTES_PER_STEP};
        let mut cal = calibration(CameraPlacement::Front, front_neutral(), Metrics::default());
        let settings = PostureSettings::default();
        let before = limits(CameraPlacement::Front, Some(&cal), &settings);
        for _ in 0..DISPUTES_PER_STEP {
            cal.disputes.dispute(Problem::ForwardHead, "2026-11-30T10:00:00Z");
        }
        let after = limits(CameraPlacement::Front, Some(&cal), &settings);
        assert_eq!(after.forward_head_deg, FORWARD_HEAD_CHANGE_DEG * (1.0 + DISPUTE_STEP));
        assert_eq!(after.neck_shortening_pct, NECK_SHORTENING_PCT * (1.0 + DISPUTE_STEP));
        assert_eq!(
            Limits {
                forward_head_deg: before.forward_head_deg,
                neck_shortening_pct: before.neck_shortening_pct,
                ..after
            },
            before,
            "every other limit is as it was"
        );
        // 11 degrees forward warned before the step and does not after it.
        let forward = Metrics { forward_head_deg: Some(21.0), ..front_neutral() };
        assert_eq!(verdict(&forward, CameraPlacement::Front, Some(&cal), Sensitivity::default()).0, Posture::Good);
        // However many disputes: never past the cap, so a slouch past it still warns.
        for _ in 0..20 {
            cal.disputes.dispute(Problem::ForwardHead, "2026-11-30T11:00:00Z");
        }
        let capped = limits(CameraPlacement::Front, Some(&cal), &settings);
        assert_eq!(capped.forward_head_deg, FORWARD_HEAD_CHANGE_DEG * DISPUTE_CAP);
        let far =
            Metrics { forward_head_deg: Some(10.0 + FORWARD_HEAD_CHANGE_DEG * DISPUTE_CAP + 1.0), ..front_neutral() };
        assert_eq!(
            verdict(&far, CameraPlacement::Front, Some(&cal), Sensitivity::default()).1,
            vec![Problem::ForwardHead]
        );
        cal.disputes.reset(None);
        assert_eq!(limits(CameraPlacement::Front, Some(&cal), &settings), before, "a reset restores the limits");
    }

    #[test]
    fn front_calibrated_flags_each_problem_past_its_limit() {
        let cal = calibration(CameraPlacement::Front, front_neutral(), Metrics::default());
        let judge_front =
            |metrics: Metrics| verdict(&metrics, CameraPlacement::Front, Some(&cal), Sensitivity::default());
        assert_eq!(judge_front(front_neutral()), (Posture::Good, vec![]));
        let forward = Metrics { forward_head_deg: Some(21.0), ..front_neutral() };
        assert_eq!(judge_front(forward), (Posture::Bad, vec![Problem::ForwardHead]));
        let just_under = Metrics { forward_head_deg: Some(19.9), ..front_neutral() };
        assert_eq!(judge_front(just_under).0, Posture::Good);
        let many = Metrics {
            shoulder_rounding_deg: Some(21.0),
            shoulders_raised_pct: Some(16.0),
            lean_deg: Some(-8.0),
            screen_distance: Some(0.8),
            ..front_neutral()
        };
        assert_eq!(
            judge_front(many).1,
            vec![Problem::RoundedShoulders, Problem::ShouldersRaised, Problem::Leaning, Problem::TooClose]
        );
    }

    #[test]
    fn excess_says_how_far_past_the_limit_the_worst_problem_is() {
        let cal = calibration(CameraPlacement::Front, front_neutral(), Metrics::default());
        let twice = Metrics { forward_head_deg: Some(30.0), lean_deg: Some(10.0), ..front_neutral() };
        let judgement = judge(&twice, CameraPlacement::Front, Some(&cal), &PostureSettings::default());
        assert!((judgement.excess - 2.0).abs() < 1e-4, "{judgement:?}");
        assert_eq!(
            judge(&front_neutral(), CameraPlacement::Front, Some(&cal), &PostureSettings::default()).excess,
            0.0
        );
    }

    #[test]
    fn a_jittery_calibration_widens_the_limit() {
        let spread = Metrics { forward_head_deg: Some(5.0), ..Metrics::default() };
        let cal = calibration(CameraPlacement::Front, front_neutral(), spread);
        let forward = Metrics { forward_head_deg: Some(22.0), ..front_neutral() };
        let (posture, _) = verdict(&forward, CameraPlacement::Front, Some(&cal), Sensitivity::default());
        assert_eq!(posture, Posture::Good, "12 degrees is within 3 spreads of 5");
    }

    #[test]
    fn sensitivity_scales_the_limits() {
        let cal = calibration(CameraPlacement::Front, front_neutral(), Metrics::default());
        let forward = Metrics { forward_head_deg: Some(18.0), ..front_neutral() };
        assert_eq!(verdict(&forward, CameraPlacement::Front, Some(&cal), Sensitivity(1.0)).0, Posture::Good);
        assert_eq!(verdict(&forward, CameraPlacement::Front, Some(&cal), Sensitivity(1.5)).0, Posture::Bad);
    }

    #[test]
    fn uncalibrated_front_judges_only_lean() {
        let level = Metrics { lean_deg: Some(2.0), forward_head_deg: Some(60.0), ..Metrics::default() };
        // Nothing wrong, but without a calibration nothing is upright either.
        assert_eq!(verdict(&level, CameraPlacement::Front, None, Sensitivity::default()), (Posture::Unknown, vec![]));
        let tilted = Metrics { lean_deg: Some(12.0), ..Metrics::default() };
        assert_eq!(verdict(&tilted, CameraPlacement::Front, None, Sensitivity::default()).1, vec![Problem::Leaning]);
        assert_eq!(
            verdict(&Metrics::default(), CameraPlacement::Front, None, Sensitivity::default()).0,
            Posture::Unknown
        );
    }

    #[test]
    fn uncalibrated_side_uses_absolute_limits() {
        let upright = Metrics { forward_head_deg: Some(12.0), shoulder_rounding_deg: Some(2.0), ..Metrics::default() };
        assert_eq!(verdict(&upright, CameraPlacement::Side, None, Sensitivity::default()), (Posture::Unknown, vec![]));
        let hunched = Metrics { forward_head_deg: Some(40.0), shoulder_rounding_deg: Some(12.0), ..Metrics::default() };
        assert_eq!(
            verdict(&hunched, CameraPlacement::Side, None, Sensitivity::default()).1,
            vec![Problem::ForwardHead, Problem::RoundedShoulders]
        );
    }

    #[test]
    fn side_trunk_lean_is_too_close_not_forward_head() {
        let neutral = Metrics {
            forward_head_deg: Some(12.0),
            trunk_lean_deg: Some(5.0),
            shoulder_rounding_deg: Some(0.0),
            ..Metrics::default()
        };
        let cal = calibration(CameraPlacement::Side, neutral, Metrics::default());
        let leaning_in = Metrics { forward_head_deg: Some(27.0), trunk_lean_deg: Some(20.0), ..neutral };
        assert_eq!(
            verdict(&leaning_in, CameraPlacement::Side, Some(&cal), Sensitivity::default()).1,
            vec![Problem::TooClose]
        );
        let head_only = Metrics { forward_head_deg: Some(27.0), ..neutral };
        assert_eq!(
            verdict(&head_only, CameraPlacement::Side, Some(&cal), Sensitivity::default()).1,
            vec![Problem::ForwardHead]
        );
    }

    #[test]
    fn the_limits_drawn_are_the_limits_judged() {
        // A noisy calibration widens the forward-head limit (capped), and the sensitivity scales it.
        let spread = Metrics { forward_head_deg: Some(4.0), ..Metrics::default() };
        let calibrated = calibration(CameraPlacement::Front, front_neutral(), spread);
        for sensitivity in [Sensitivity(0.5), Sensitivity(1.0), Sensitivity(2.0)] {
            let settings = PostureSettings { sensitivity, ..PostureSettings::default() };
            let limit = limits(CameraPlacement::Front, Some(&calibrated), &settings).forward_head_deg;
            let at = |delta: f32| Metrics { forward_head_deg: Some(10.0 + delta), ..front_neutral() };
            assert_eq!(
                judge(&at(limit - 0.1), CameraPlacement::Front, Some(&calibrated), &settings).posture,
                Posture::Good
            );
            let over = judge(&at(limit + 0.1), CameraPlacement::Front, Some(&calibrated), &settings);
            assert_eq!(over.problems, [Problem::ForwardHead], "sensitivity {sensitivity:?}, limit {limit}");
        }
        let plain = limits(CameraPlacement::Front, Some(&calibrated), &PostureSettings::default());
        assert_eq!(plain.forward_head_deg, 12.0, "three spreads, within the cap");
        let side = limits(CameraPlacement::Side, None, &PostureSettings::default());
        assert_eq!(side.forward_head_deg, SIDE_FORWARD_HEAD_ABSOLUTE_DEG, "uncalibrated side view: absolute");
    }

    #[test]
    fn each_judged_problem_has_one_reading_and_the_problems_are_the_readings_over_their_limits() {
        let calibrated = calibration(CameraPlacement::Front, front_neutral(), Metrics::default());
        let settings = PostureSettings::default();
        let limit = limits(CameraPlacement::Front, Some(&calibrated), &settings);
        let slouched = Metrics {
            forward_head_deg: Some(10.0 + limit.forward_head_deg + 4.0),
            screen_distance: Some(1.0 - limit.nearer / 2.0),
            ..front_neutral()
        };
        let judgement = judge(&slouched, CameraPlacement::Front, Some(&calibrated), &settings);
        let forward = judgement.reading(Problem::ForwardHead).expect("forward head judged");
        assert_eq!(forward.unit, Unit::Degrees);
        assert!((forward.value - (limit.forward_head_deg + 4.0)).abs() < 1e-4, "{forward:?}");
        assert_eq!(forward.limit, limit.forward_head_deg);
        let nearer = judgement.reading(Problem::TooClose).expect("distance judged");
        assert_eq!(nearer.unit, Unit::Percent);
        assert!((nearer.value - limit.nearer * 50.0).abs() < 1e-3 && !nearer.over(), "{nearer:?}");
        let over: Vec<Problem> = judgement.readings.iter().filter(|r| r.over()).map(|r| r.problem).collect();
        assert_eq!(over, judgement.problems);
        let mut problems: Vec<Problem> = judgement.readings.iter().map(|r| r.problem).collect();
        problems.dedup();
        assert_eq!(problems.len(), judgement.readings.len(), "one reading a problem");
    }
}
