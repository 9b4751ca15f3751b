//! What the alert machine says: its events, the warning's severity and the one-word state.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::posture::{Problem, StaleReason};

/// How strong a warning is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Just past the limit.
    Mild,
    /// Well past the limit.
    Moderate,
    /// Well past the limit for a long time.
    Strong,
}

/// Something the user should hear about (or the history should record).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AlertEvent {
    /// Bad posture lasted past the delay.
    Warning {
        /// What is wrong.
        problems: Vec<Problem>,
        /// How strong.
        severity: Severity,
        /// How long the bad posture has lasted, seconds.
        bad_for_s: i64,
    },
    /// Good posture held after a warning.
    Cleared {
        /// How long the warning stood, seconds.
        warned_for_s: i64,
    },
    /// A slouch episode ended (bad posture lasting past the delay, warned or not). For history.
    EpisodeEnded {
        /// When the bad posture began.
        start: DateTime<Utc>,
        /// When good posture returned (or the person left).
        end: DateTime<Utc>,
        /// Every problem seen during the episode.
        problems: Vec<Problem>,
        /// The strongest severity reached.
        peak: Severity,
        /// Whether a warning was shown (not snoozed, paused or cooling down).
        warned: bool,
    },
    /// A warning was due but snoozed. For history.
    WarningSnoozed {
        /// What was wrong.
        problems: Vec<Problem>,
    },
    /// Nobody in view for a while.
    Away,
    /// The person came back.
    Back {
        /// How long they were away, seconds.
        away_for_s: i64,
        /// Whether that was long enough to count as a break.
        was_break: bool,
    },
    /// Sitting too long without a break.
    BreakReminder {
        /// Minutes since the last break (or since monitoring began).
        sitting_for_min: i64,
    },
    /// The person no longer matches the calibration: warnings stop until they recalibrate.
    Recalibrate {
        /// Why.
        reason: StaleReason,
    },
}

/// The state to show, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// Posture fine (or not judged yet).
    Good,
    /// Bad posture, not yet long enough to warn.
    Slouching,
    /// A warning stands.
    Warning,
    /// Nobody in view.
    Away,
    /// Monitoring paused by the user.
    Paused,
    /// Warnings snoozed by the user.
    Snoozed,
    /// The person answered the warning "I'm sitting fine": no warning for this slouch.
    Disputed,
    /// The calibration no longer fits.
    Recalibrate,
}
