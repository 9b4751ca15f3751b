//! The alert state machine: when to warn about posture, when to stop, and the reminders around it
//! (away, breaks, recalibration), without nagging.
//!
//! Pure: every call takes `now`; there is no clock, thread or I/O here, so the live engine, replays
//! and tests with a fake clock drive exactly the same logic.

use chrono::{DateTime, TimeDelta, Utc};

use crate::posture::{Posture, Problem, StaleReason};

mod events;
#[cfg(test)]
mod tests;

pub use events::{AlertEvent, AlertState, Severity};

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

/// What one analysed frame says, as far as alerts care.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// Nobody in view.
    NoPerson,
    /// Someone in view, but they no longer match the calibration.
    Stale(StaleReason),
    /// Someone in view and judged.
    Judged {
        /// Good, bad or unknown.
        posture: Posture,
        /// What is wrong.
        problems: Vec<Problem>,
        /// How far past its limit the worst measure is (1.0 = at the limit; 0 when good).
        excess: f32,
    },
}

/// Severity grows with how far past the limit (`excess`) and how long (`bad_for`).
fn severity(settings: &AlertSettings, bad_for: TimeDelta, excess: f32) -> Severity {
    if bad_for >= settings.warn_after * STRONG_DURATION_DELAYS {
        Severity::Strong
    } else if excess >= MODERATE_EXCESS {
        Severity::Moderate
    } else {
        Severity::Mild
    }
}

/// An ongoing stretch of bad posture.
#[derive(Debug, Clone, PartialEq)]
struct BadStretch {
    since: DateTime<Utc>,
    problems: Vec<Problem>,
    peak: Severity,
    warned_at: Option<DateTime<Utc>>,
    /// Whether a snoozed warning was already recorded for this stretch.
    snooze_noted: bool,
    good_since: Option<DateTime<Utc>>,
}

/// The alert state machine. Feed it every analysed frame with [`AlertMachine::update`].
#[derive(Debug, Clone)]
pub struct AlertMachine {
    settings: AlertSettings,
    bad: Option<BadStretch>,
    last_warning: Option<DateTime<Utc>>,
    snoozed_until: Option<DateTime<Utc>>,
    paused: bool,
    no_person_since: Option<DateTime<Utc>>,
    away_since: Option<DateTime<Utc>>,
    sitting_since: Option<DateTime<Utc>>,
    last_break_reminder: Option<DateTime<Utc>>,
    stale: Option<StaleReason>,
}

impl AlertMachine {
    /// A machine with nothing seen yet.
    pub fn new(settings: AlertSettings) -> AlertMachine {
        AlertMachine {
            settings,
            bad: None,
            last_warning: None,
            snoozed_until: None,
            paused: false,
            no_person_since: None,
            away_since: None,
            sitting_since: None,
            last_break_reminder: None,
            stale: None,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> AlertSettings {
        self.settings
    }

    /// Replaces the settings (takes effect from the next frame).
    pub fn set_settings(&mut self, settings: AlertSettings) {
        self.settings = settings;
    }

    /// No posture warnings (or break reminders) until `until`.
    pub fn snooze_until(&mut self, until: DateTime<Utc>) {
        self.snoozed_until = Some(until);
    }

    /// Ends a snooze early.
    pub fn unsnooze(&mut self) {
        self.snoozed_until = None;
    }

    /// Stops judging altogether until [`AlertMachine::resume`]; an ongoing slouch is forgotten.
    pub fn pause(&mut self, now: DateTime<Utc>) -> Vec<AlertEvent> {
        self.paused = true;
        let mut events = Vec::new();
        self.end_bad_stretch(now, &mut events);
        events
    }

    /// Resumes after [`AlertMachine::pause`].
    pub fn resume(&mut self) {
        self.paused = false;
        self.no_person_since = None;
    }

    /// Whether monitoring is paused.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// When the current snooze ends, if one is on at `now`.
    pub fn snoozed_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.snoozed_until.filter(|&until| until > now)
    }

    /// The state to show at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> AlertState {
        if self.paused {
            AlertState::Paused
        } else if self.away_since.is_some() {
            AlertState::Away
        } else if self.stale.is_some() {
            AlertState::Recalibrate
        } else if self.bad.as_ref().is_some_and(|bad| bad.warned_at.is_some()) {
            AlertState::Warning
        } else if self.snoozed_until(now).is_some() {
            AlertState::Snoozed
        } else if self.bad.is_some() {
            AlertState::Slouching
        } else {
            AlertState::Good
        }
    }

    /// Feeds one analysed frame observed at `now`; returns what happened.
    pub fn update(&mut self, now: DateTime<Utc>, observation: &Observation) -> Vec<AlertEvent> {
        let mut events = Vec::new();
        if self.paused {
            return events;
        }
        if *observation == Observation::NoPerson {
            self.no_person(now, &mut events);
            return events;
        }
        self.person(now, &mut events);
        match observation {
            Observation::NoPerson => {}
            Observation::Stale(reason) => {
                if self.stale.is_none() {
                    events.push(AlertEvent::Recalibrate { reason: *reason });
                }
                self.stale = Some(*reason);
                self.end_bad_stretch(now, &mut events);
            }
            Observation::Judged { posture, problems, excess } => {
                self.stale = None;
                match posture {
                    Posture::Bad => self.bad_frame(now, problems, *excess, &mut events),
                    Posture::Good => self.good_frame(now, &mut events),
                    Posture::Unknown => {}
                }
            }
        }
        events
    }

    fn no_person(&mut self, now: DateTime<Utc>, events: &mut Vec<AlertEvent>) {
        let since = *self.no_person_since.get_or_insert(now);
        if self.away_since.is_none() && now - since >= self.settings.away_after {
            self.away_since = Some(since);
            self.end_bad_stretch(since, events);
            events.push(AlertEvent::Away);
        }
    }

    fn person(&mut self, now: DateTime<Utc>, events: &mut Vec<AlertEvent>) {
        self.no_person_since = None;
        if let Some(away_since) = self.away_since.take() {
            let away_for = now - away_since;
            let was_break = away_for >= self.settings.break_min;
            if was_break {
                self.sitting_since = Some(now);
                self.last_break_reminder = None;
            }
            events.push(AlertEvent::Back { away_for_s: away_for.num_seconds(), was_break });
        }
        let sitting_since = *self.sitting_since.get_or_insert(now);
        let reminded = self.last_break_reminder.unwrap_or(sitting_since);
        if now - reminded >= self.settings.break_interval && self.snoozed_until(now).is_none() {
            self.last_break_reminder = Some(now);
            events.push(AlertEvent::BreakReminder { sitting_for_min: (now - sitting_since).num_minutes() });
        }
    }

    fn bad_frame(&mut self, now: DateTime<Utc>, problems: &[Problem], excess: f32, events: &mut Vec<AlertEvent>) {
        let snoozed = self.snoozed_until(now).is_some();
        let cooling_down = self.last_warning.is_some_and(|last| now - last < self.settings.cooldown);
        let settings = self.settings;
        let bad = self.bad.get_or_insert_with(|| BadStretch {
            since: now,
            problems: Vec::new(),
            peak: Severity::Mild,
            warned_at: None,
            snooze_noted: false,
            good_since: None,
        });
        bad.good_since = None;
        for problem in problems {
            if !bad.problems.contains(problem) {
                bad.problems.push(*problem);
            }
        }
        bad.problems.sort();
        let bad_for = now - bad.since;
        bad.peak = bad.peak.max(severity(&settings, bad_for, excess));
        if bad.warned_at.is_some() || bad_for < settings.warn_after {
            return;
        }
        if snoozed {
            if !bad.snooze_noted {
                bad.snooze_noted = true;
                events.push(AlertEvent::WarningSnoozed { problems: problems.to_vec() });
            }
            return;
        }
        if cooling_down {
            return;
        }
        bad.warned_at = Some(now);
        self.last_warning = Some(now);
        events.push(AlertEvent::Warning {
            problems: problems.to_vec(),
            severity: severity(&settings, bad_for, excess),
            bad_for_s: bad_for.num_seconds(),
        });
    }

    fn good_frame(&mut self, now: DateTime<Utc>, events: &mut Vec<AlertEvent>) {
        let Some(bad) = &mut self.bad else {
            return;
        };
        let good_since = *bad.good_since.get_or_insert(now);
        if now - good_since >= self.settings.clear_after {
            self.end_bad_stretch(good_since, events);
        }
    }

    /// Ends an ongoing bad stretch at `end`: a `cleared` if it was warned about, and an episode
    /// if it lasted past the warning delay.
    fn end_bad_stretch(&mut self, end: DateTime<Utc>, events: &mut Vec<AlertEvent>) {
        let Some(bad) = self.bad.take() else {
            return;
        };
        if let Some(warned_at) = bad.warned_at {
            events.push(AlertEvent::Cleared { warned_for_s: (end - warned_at).num_seconds().max(0) });
        }
        if end - bad.since >= self.settings.warn_after {
            events.push(AlertEvent::EpisodeEnded {
                start: bad.since,
                end,
                problems: bad.problems,
                peak: bad.peak,
                warned: bad.warned_at.is_some(),
            });
        }
    }
}
