//! The alert machine's timing settings and their defaults, and how strong a warning is.

use chrono::TimeDelta;

use super::Severity;

/// Bad posture must last this long before a warning: short slouches (reaching for a cup) pass.
pub const DEFAULT_WARN_AFTER_S: i64 = 30;
/// Good posture must hold this long to clear a warning (hysteresis against flicker).
pub const DEFAULT_CLEAR_AFTER_S: i64 = 5;
/// At least this long between two warnings.
pub const DEFAULT_COOLDOWN_S: i64 = 5 * 60;
/// No person for this long means the person is away.
pub const DEFAULT_AWAY_AFTER_S: i64 = 20;
/// Being away at least this long counts as a break and restarts the sitting clock.
pub const DEFAULT_BREAK_MIN_S: i64 = 2 * 60;
/// Continuous sitting past this brings a movement-break reminder (and again after as long).
pub const DEFAULT_BREAK_INTERVAL_S: i64 = 45 * 60;
/// A warning is "moderate" when the worst measure is this many times past its limit.
pub const MODERATE_EXCESS: f32 = 1.5;
/// A warning is "strong" when bad posture has lasted this many warning delays.
pub const STRONG_DURATION_DELAYS: i32 = 4;
/// "I'm sitting fine" still answers a warning this long after it was shown (a notification's
/// button pressed after the slouch ended), seconds.
pub const DISPUTE_LATE_S: i64 = 10 * 60;

/// Timing settings of the alert state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertSettings {
    /// Bad posture lasting this long brings a warning.
    pub warn_after: TimeDelta,
    /// Good posture holding this long clears it.
    pub clear_after: TimeDelta,
    /// Minimum time between warnings.
    pub cooldown: TimeDelta,
    /// No person this long: away.
    pub away_after: TimeDelta,
    /// Away this long: a break.
    pub break_min: TimeDelta,
    /// Sitting this long without a break: a reminder.
    pub break_interval: TimeDelta,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            warn_after: TimeDelta::seconds(DEFAULT_WARN_AFTER_S),
            clear_after: TimeDelta::seconds(DEFAULT_CLEAR_AFTER_S),
            cooldown: TimeDelta::seconds(DEFAULT_COOLDOWN_S),
            away_after: TimeDelta::seconds(DEFAULT_AWAY_AFTER_S),
            break_min: TimeDelta::seconds(DEFAULT_BREAK_MIN_S),
            break_interval: TimeDelta::seconds(DEFAULT_BREAK_INTERVAL_S),
        }
    }
}

/// Severity grows with how far past the limit (`excess`) and how long (`bad_for`).
pub(super) fn severity(settings: &AlertSettings, bad_for: TimeDelta, excess: f32) -> Severity {
    if bad_for >= settings.warn_after * STRONG_DURATION_DELAYS {
        Severity::Strong
    } else if excess >= MODERATE_EXCESS {
        Severity::Moderate
    } else {
        Severity::Mild
    }
}
