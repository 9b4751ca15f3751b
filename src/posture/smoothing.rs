//! Temporal smoothing for streams of measures: the One Euro filter (Casiez, Roussel and Vogel,
//! CHI 2012), a low-pass filter whose cut-off rises with speed, so keypoint jitter at rest is
//! smoothed away while a real change of posture comes through with little lag.
//!
//! Pure: timestamps are passed in (seconds), there is no clock here.

use serde::{Deserialize, Serialize};

use super::metrics::{METRIC_COUNT, Metrics};
use super::{Assessment, Calibration, PostureSettings, verdict};
use crate::pose::Pose;

/// Cut-off at rest, Hz. At 2 analysed frames a second, 0.5 Hz keeps about a second of memory
/// when nothing moves: enough to hide MoveNet's frame-to-frame jitter of a few pixels.
pub const DEFAULT_MIN_CUTOFF_HZ: f32 = 0.5;

/// How fast the cut-off rises with the signal's speed (per unit per second). 0.05 lets a
/// 10-degree-per-second change through within a frame or two.
pub const DEFAULT_BETA: f32 = 0.05;

/// Cut-off for the derivative estimate, Hz (the paper's default).
pub const DEFAULT_DERIVATIVE_CUTOFF_HZ: f32 = 1.0;

/// A gap longer than this (seconds) between samples starts the filter afresh rather than
/// blending across it (the person was away, or the camera stalled).
pub const RESET_AFTER_GAP_S: f64 = 10.0;

/// Tuning of a [`OneEuroFilter`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OneEuroConfig {
    /// Cut-off at rest, Hz.
    pub min_cutoff_hz: f32,
    /// Speed coefficient.
    pub beta: f32,
    /// Derivative cut-off, Hz.
    pub derivative_cutoff_hz: f32,
}

impl Default for OneEuroConfig {
    fn default() -> Self {
        OneEuroConfig {
            min_cutoff_hz: DEFAULT_MIN_CUTOFF_HZ,
            beta: DEFAULT_BETA,
            derivative_cutoff_hz: DEFAULT_DERIVATIVE_CUTOFF_HZ,
        }
    }
}

/// One Euro filter over one scalar signal.
#[derive(Debug, Clone, PartialEq)]
pub struct OneEuroFilter {
    config: OneEuroConfig,
    /// (time, filtered value, filtered derivative) of the last sample.
    state: Option<(f64, f32, f32)>,
}

fn smoothing_factor(cutoff_hz: f32, dt: f32) -> f32 {
    let tau = 1.0 / (2.0 * std::f32::consts::PI * cutoff_hz);
    1.0 / (1.0 + tau / dt)
}

impl OneEuroFilter {
    /// A filter with no history.
    pub fn new(config: OneEuroConfig) -> OneEuroFilter {
        OneEuroFilter { config, state: None }
    }

    /// Filters `value` observed at `time_s` seconds. Samples that do not move time forward are
    /// returned as the previous output.
    pub fn filter(&mut self, value: f32, time_s: f64) -> f32 {
        let Some((last_time, last_value, last_derivative)) = self.state else {
            self.state = Some((time_s, value, 0.0));
            return value;
        };
        let dt = time_s - last_time;
        if dt > RESET_AFTER_GAP_S {
            self.state = Some((time_s, value, 0.0));
            return value;
        }
        if dt <= 0.0 {
            return last_value;
        }
        let dt = dt as f32;
        let derivative = (value - last_value) / dt;
        let a_d = smoothing_factor(self.config.derivative_cutoff_hz, dt);
        let derivative = last_derivative + a_d * (derivative - last_derivative);
        let cutoff = self.config.min_cutoff_hz + self.config.beta * derivative.abs();
        let a = smoothing_factor(cutoff, dt);
        let filtered = last_value + a * (value - last_value);
        self.state = Some((time_s, filtered, derivative));
        filtered
    }

    /// Forgets the history (the next sample passes through unchanged).
    pub fn reset(&mut self) {
        self.state = None;
    }
}

/// One Euro filters over every field of [`Metrics`]. A field that becomes unknown resets its
/// filter, so a value is never blended with one from before a gap.
#[derive(Debug, Clone)]
pub struct MetricsSmoother {
    filters: [OneEuroFilter; METRIC_COUNT],
}

impl MetricsSmoother {
    /// A smoother with the same tuning for every measure.
    pub fn new(config: OneEuroConfig) -> MetricsSmoother {
        MetricsSmoother { filters: std::array::from_fn(|_| OneEuroFilter::new(config)) }
    }

    /// Smooths one frame's measures taken at `time_s` seconds.
    pub fn smooth(&mut self, metrics: &Metrics, time_s: f64) -> Metrics {
        let mut values = metrics.to_array();
        for (value, filter) in values.iter_mut().zip(&mut self.filters) {
            match value {
                Some(v) => *v = filter.filter(*v, time_s),
                None => filter.reset(),
            }
        }
        Metrics::from_array(values)
    }

    /// Forgets all history.
    pub fn reset(&mut self) {
        self.filters.iter_mut().for_each(OneEuroFilter::reset);
    }
}

/// The live verdict: smooths one frame's measures over time and judges the smoothed ones, so
/// one jittery frame neither starts nor ends a slouch. The engine hands it each frame's raw
/// [`Assessment`] (from [`super::assess`]); only a judged frame of a person in view is smoothed,
/// anything else (no one there, no placement, a stale calibration) starts the smoothing afresh.
#[derive(Debug, Clone)]
pub struct SmoothedAssessor {
    smoother: MetricsSmoother,
}

impl Default for SmoothedAssessor {
    fn default() -> Self {
        SmoothedAssessor::new()
    }
}

impl SmoothedAssessor {
    /// An assessor with the default One Euro tuning.
    pub fn new() -> SmoothedAssessor {
        SmoothedAssessor { smoother: MetricsSmoother::new(OneEuroConfig::default()) }
    }

    /// The assessment to act on at `time_s` seconds: `raw` with smoothed measures and the
    /// verdict on them.
    pub fn assess(
        &mut self,
        pose: &Pose,
        mut raw: Assessment,
        time_s: f64,
        calibration: Option<&Calibration>,
        settings: &PostureSettings,
    ) -> Assessment {
        match (raw.placement, raw.calibration_stale, pose.person_in_view()) {
            (Some(placement), None, true) => {
                let smoothed = self.smoother.smooth(&raw.metrics, time_s);
                let calibration = calibration.filter(|calibration| calibration.placement == placement);
                let judgement = verdict::judge(&smoothed, placement, calibration, settings);
                raw.metrics = smoothed;
                raw.posture = judgement.posture;
                raw.problems = judgement.problems;
                raw.excess = judgement.excess;
                raw.readings = judgement.readings;
            }
            _ => self.smoother.reset(),
        }
        raw
    }

    /// Forgets all history (new calibration, unreadable picture, camera lost).
    pub fn reset(&mut self) {
        self.smoother.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic noise in -1..1 (a linear congruential generator).
    fn noise(seed: &mut u64) -> f32 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((*seed >> 33) as f32 / (1u64 << 31) as f32) * 2.0 - 1.0
    }

    #[test]
    fn a_constant_signal_passes_unchanged() {
        let mut filter = OneEuroFilter::new(OneEuroConfig::default());
        for i in 0..20 {
            assert_eq!(filter.filter(7.5, i as f64 * 0.5), 7.5);
        }
    }

    #[test]
    fn jitter_at_rest_is_reduced() {
        let mut filter = OneEuroFilter::new(OneEuroConfig::default());
        let mut seed = 1;
        let (mut raw_error, mut smooth_error) = (0.0, 0.0);
        for i in 0..200 {
            let raw = 10.0 + 2.0 * noise(&mut seed);
            let smooth = filter.filter(raw, i as f64 * 0.5);
            if i > 10 {
                raw_error += (raw - 10.0f32).powi(2);
                smooth_error += (smooth - 10.0f32).powi(2);
            }
        }
        assert!(smooth_error < raw_error * 0.5, "raw {raw_error}, smoothed {smooth_error}");
    }

    #[test]
    fn a_real_step_comes_through_within_a_few_seconds() {
        let mut filter = OneEuroFilter::new(OneEuroConfig::default());
        for i in 0..10 {
            filter.filter(10.0, i as f64 * 0.5);
        }
        let mut last = 10.0;
        for i in 10..20 {
            last = filter.filter(25.0, i as f64 * 0.5);
        }
        assert!(last > 24.0, "after 5 s the output is {last}");
        let mut slow = OneEuroFilter::new(OneEuroConfig { beta: 0.0, ..OneEuroConfig::default() });
        for i in 0..10 {
            slow.filter(10.0, i as f64 * 0.5);
        }
        let first_fast = filter_after_step(OneEuroConfig::default());
        let first_slow = slow.filter(25.0, 5.0);
        assert!(first_fast > first_slow, "speed raises the cut-off: {first_fast} vs {first_slow}");
    }

    fn filter_after_step(config: OneEuroConfig) -> f32 {
        let mut filter = OneEuroFilter::new(config);
        for i in 0..10 {
            filter.filter(10.0, i as f64 * 0.5);
        }
        filter.filter(25.0, 5.0)
    }

    #[test]
    fn a_long_gap_restarts_the_filter() {
        let mut filter = OneEuroFilter::new(OneEuroConfig::default());
        filter.filter(10.0, 0.0);
        assert_eq!(filter.filter(30.0, RESET_AFTER_GAP_S + 1.0), 30.0);
        assert_eq!(filter.filter(31.0, RESET_AFTER_GAP_S + 1.0), 30.0, "no time passed");
    }

    #[test]
    fn unknown_measures_reset_their_filter_only() {
        let mut smoother = MetricsSmoother::new(OneEuroConfig::default());
        let both = |a: f32, b: f32| Metrics { forward_head_deg: Some(a), lean_deg: Some(b), ..Metrics::default() };
        smoother.smooth(&both(10.0, 0.0), 0.0);
        let out = smoother.smooth(&Metrics { forward_head_deg: None, lean_deg: Some(4.0), ..Metrics::default() }, 0.5);
        assert_eq!(out.forward_head_deg, None);
        assert!(out.lean_deg.unwrap() < 4.0, "lean is smoothed");
        let out = smoother.smooth(&both(30.0, 4.0), 1.0);
        assert_eq!(out.forward_head_deg, Some(30.0), "no blending across the gap");
    }
}
