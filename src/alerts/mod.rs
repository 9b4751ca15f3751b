//! The alert state machine: when to warn about posture, when to stop, and the reminders around it
//! (away, breaks, recalibration), without nagging.
//!
//! Pure: every call takes `now`; there is no clock, thread or I/O here, so the live engine, replays
//! and tests with a fake clock drive exactly the same logic.

use chrono::{DateTime, TimeDelta, Utc};

use crate::posture::{Posture, Problem, StaleReason};

mod events;
mod presence;
mod settings;

pub use events::{AlertEvent, AlertState, Severity};
use settings::severity;
pub use settings::{
    AlertSettings, DEFAULT_AWAY_AFTER_S, DEFAULT_BREAK_INTERVAL_S, DEFAULT_BREAK_MIN_S, DEFAULT_CLEAR_AFTER_S,
    DEFAULT_COOLDOWN_S, DEFAULT_WARN_AFTER_S, DISPUTE_LATE_S, MODERATE_EXCESS, STRONG_DURATION_DELAYS,
};

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

/// An ongoing stretch of bad posture.
#[derive(Debug, Clone, PartialEq)]
struct BadStretch {
    since: DateTime<Utc>,
    problems: Vec<Problem>,
    peak: Severity,
    warned_at: Option<DateTime<Utc>>,
    /// Whether a snoozed warning was already recorded for this stretch.
    snooze_noted: bool,
    /// Whether the person answered its warning "I'm sitting fine".
    disputed: bool,
    good_since: Option<DateTime<Utc>>,
}

/// The latest warning shown, for a late "I'm sitting fine".
#[derive(Debug, Clone, PartialEq)]
struct ShownWarning {
    at: DateTime<Utc>,
    problems: Vec<Problem>,
    disputed: bool,
}

/// The alert state machine. Feed it every analysed frame with [`AlertMachine::update`].
#[derive(Debug, Clone)]
pub struct AlertMachine {
    settings: AlertSettings,
    bad: Option<BadStretch>,
    last_warning: Option<DateTime<Utc>>,
    snoozed_until: Option<DateTime<Utc>>,
    paused: bool,
    /// When a pause for a while ends by itself (`None`: paused until resumed).
    paused_until: Option<DateTime<Utc>>,
    no_person_since: Option<DateTime<Utc>>,
    away_since: Option<DateTime<Utc>>,
    sitting_since: Option<DateTime<Utc>>,
    last_break_reminder: Option<DateTime<Utc>>,
    stale: Option<StaleReason>,
    shown: Option<ShownWarning>,
    /// Since when the person has been standing (judged in a standing setup).
    standing_since: Option<DateTime<Utc>>,
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
            paused_until: None,
            no_person_since: None,
            away_since: None,
            sitting_since: None,
            last_break_reminder: None,
            stale: None,
            shown: None,
            standing_since: None,
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
        self.paused_until = None;
        let mut events = Vec::new();
        self.end_bad_stretch(now, &mut events);
        events
    }

    /// Pauses until `until` (a call, a meeting); [`AlertMachine::resume_if_due`] ends it.
    pub fn pause_until(&mut self, now: DateTime<Utc>, until: DateTime<Utc>) -> Vec<AlertEvent> {
        let events = self.pause(now);
        self.paused_until = Some(until);
        events
    }

    /// Resumes after [`AlertMachine::pause`].
    pub fn resume(&mut self) {
        self.paused = false;
        self.paused_until = None;
        self.no_person_since = None;
    }

    /// Ends a pause for a while once its time has come; true when it did.
    pub fn resume_if_due(&mut self, now: DateTime<Utc>) -> bool {
        let due = self.paused && self.paused_until.is_some_and(|until| until <= now);
        if due {
            self.resume();
        }
        due
    }

    /// When the pause ends by itself, if it is a pause for a while.
    pub fn paused_until(&self) -> Option<DateTime<Utc>> {
        self.paused_until.filter(|_| self.paused)
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
        } else if self.snoozed_until(now).is_some() {
            // A snooze dismisses a standing warning too: the tray and the status stop saying
            // "warning" once the user has answered it.
            AlertState::Snoozed
        } else if self.bad.as_ref().is_some_and(|bad| bad.disputed) {
            AlertState::Disputed
        } else if self.bad.as_ref().is_some_and(|bad| bad.warned_at.is_some()) {
            AlertState::Warning
        } else if self.bad.is_some() {
            AlertState::Slouching
        } else {
            AlertState::Good
        }
    }

    /// "I'm sitting fine": answers the warning standing at `now`, or the latest one shown within
    /// [`DISPUTE_LATE_S`]. Returns its time and problems, or `None` when there is no warning to
    /// answer (or it was answered already). The slouch goes on unwarned; the next one warns.
    pub fn dispute(&mut self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, Vec<Problem>)> {
        let shown = self.shown.as_mut().filter(|shown| !shown.disputed)?;
        if now - shown.at > TimeDelta::seconds(DISPUTE_LATE_S) {
            return None;
        }
        shown.disputed = true;
        if let Some(bad) = self.bad.as_mut().filter(|bad| bad.warned_at == Some(shown.at)) {
            bad.disputed = true;
        }
        Some((shown.at, shown.problems.clone()))
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
            disputed: false,
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
        self.shown = Some(ShownWarning { at: now, problems: problems.to_vec(), disputed: false });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake clock: seconds after a fixed instant.
    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn bad(problem: Problem, excess: f32) -> Observation {
        Observation::Judged { posture: Posture::Bad, problems: vec![problem], excess }
    }

    fn good() -> Observation {
        Observation::Judged { posture: Posture::Good, problems: vec![], excess: 0.0 }
    }

    /// Feeds `observation` every `step` seconds over [from, to) and collects (time, event).
    fn feed(
        machine: &mut AlertMachine,
        from: i64,
        to: i64,
        step: i64,
        observation: &Observation,
    ) -> Vec<(i64, AlertEvent)> {
        let mut events = Vec::new();
        let mut t = from;
        while t < to {
            events.extend(machine.update(at(t), observation).into_iter().map(|event| (t, event)));
            t += step;
        }
        events
    }

    #[test]
    fn im_sitting_fine_answers_the_warning_once_and_the_next_slouch_warns_again() {
        let settings = AlertSettings { cooldown: TimeDelta::seconds(0), ..AlertSettings::default() };
        let mut machine = AlertMachine::new(settings);
        assert_eq!(machine.dispute(at(0)), None, "nothing to answer yet");
        feed(&mut machine, 0, 40, 1, &bad(Problem::ForwardHead, 1.2));
        assert_eq!(machine.state(at(40)), AlertState::Warning);
        assert_eq!(machine.dispute(at(40)), Some((at(30), vec![Problem::ForwardHead])));
        assert_eq!(machine.state(at(41)), AlertState::Disputed);
        assert_eq!(machine.dispute(at(41)), None, "answered once");
        // The slouch goes on unwarned, ends, and the next one warns.
        let events = feed(&mut machine, 41, 100, 1, &bad(Problem::ForwardHead, 1.2));
        assert!(!events.iter().any(|(_, event)| matches!(event, AlertEvent::Warning { .. })));
        feed(&mut machine, 100, 110, 1, &good());
        assert_eq!(machine.state(at(110)), AlertState::Good);
        let events = feed(&mut machine, 110, 150, 1, &bad(Problem::HeadDown, 1.2));
        assert!(events.iter().any(|(_, event)| matches!(event, AlertEvent::Warning { .. })));
        // A late answer (a notification's button) still counts, within the window.
        feed(&mut machine, 150, 160, 1, &good());
        assert_eq!(machine.dispute(at(140 + DISPUTE_LATE_S + 1)), None, "too late");
        assert_eq!(machine.dispute(at(150)), Some((at(140), vec![Problem::HeadDown])));
    }

    #[test]
    fn standing_is_a_break_from_sitting() {
        let settings = AlertSettings { break_interval: TimeDelta::seconds(600), ..AlertSettings::default() };
        let mut machine = AlertMachine::new(settings);
        feed(&mut machine, 0, 500, 5, &good());
        // Standing for three minutes (past the break length), then sitting again.
        for t in (500..680).step_by(5) {
            machine.set_standing(at(t), true);
            assert!(machine.update(at(t), &good()).is_empty(), "no reminder while standing");
        }
        machine.set_standing(at(680), false);
        let events = feed(&mut machine, 680, 1400, 5, &good());
        let reminders: Vec<i64> =
            events.iter().filter(|(_, e)| matches!(e, AlertEvent::BreakReminder { .. })).map(|(t, _)| *t).collect();
        // The sitting clock restarted at the end of the standing break (675): the reminder comes
        // 600 s later, not at 600.
        assert_eq!(reminders, vec![1275]);
    }

    fn kinds(events: &[(i64, AlertEvent)]) -> Vec<(i64, &'static str)> {
        events
            .iter()
            .map(|(t, event)| {
                let kind = match event {
                    AlertEvent::Warning { .. } => "warning",
                    AlertEvent::Cleared { .. } => "cleared",
                    AlertEvent::EpisodeEnded { .. } => "episode",
                    AlertEvent::WarningSnoozed { .. } => "snoozed",
                    AlertEvent::Away => "away",
                    AlertEvent::Back { .. } => "back",
                    AlertEvent::BreakReminder { .. } => "break_reminder",
                    AlertEvent::Recalibrate { .. } => "recalibrate",
                };
                (*t, kind)
            })
            .collect()
    }

    #[test]
    fn a_long_slouch_warns_once_after_the_delay_and_clears_after_good_posture_holds() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let mut events = feed(&mut machine, 0, 10, 1, &good());
        events.extend(feed(&mut machine, 10, 70, 1, &bad(Problem::ForwardHead, 1.2)));
        assert_eq!(machine.state(at(69)), AlertState::Warning);
        events.extend(feed(&mut machine, 70, 90, 1, &good()));
        assert_eq!(kinds(&events), vec![(40, "warning"), (75, "cleared"), (75, "episode")]);
        match &events[0].1 {
            AlertEvent::Warning { problems, severity, bad_for_s } => {
                assert_eq!(problems, &vec![Problem::ForwardHead]);
                assert_eq!(*severity, Severity::Mild);
                assert_eq!(*bad_for_s, 30);
            }
            other => panic!("{other:?}"),
        }
        match &events[2].1 {
            AlertEvent::EpisodeEnded { start, end, warned, .. } => {
                assert_eq!((*start, *end, *warned), (at(10), at(70), true));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(machine.state(at(90)), AlertState::Good);
    }

    #[test]
    fn a_short_slouch_never_warns() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let mut events = feed(&mut machine, 0, 29, 1, &bad(Problem::RoundedShoulders, 2.0));
        events.extend(feed(&mut machine, 29, 60, 1, &good()));
        assert!(events.is_empty(), "{events:?}");
    }

    #[test]
    fn brief_good_blips_do_not_restart_the_delay() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let mut events = feed(&mut machine, 0, 20, 1, &bad(Problem::ForwardHead, 1.1));
        events.extend(feed(&mut machine, 20, 23, 1, &good()));
        events.extend(feed(&mut machine, 23, 40, 1, &bad(Problem::ForwardHead, 1.1)));
        assert_eq!(kinds(&events), vec![(30, "warning")]);
    }

    #[test]
    fn warnings_respect_the_cool_down() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let slouch = bad(Problem::ForwardHead, 1.1);
        let mut events = feed(&mut machine, 0, 40, 1, &slouch);
        events.extend(feed(&mut machine, 40, 50, 1, &good()));
        // A second long slouch within five minutes of the first warning: no new warning.
        events.extend(feed(&mut machine, 50, 120, 1, &slouch));
        events.extend(feed(&mut machine, 120, 130, 1, &good()));
        let warnings = kinds(&events).into_iter().filter(|(_, kind)| *kind == "warning").count();
        assert_eq!(warnings, 1, "{events:?}");
        // After the cool-down a new slouch warns again.
        let later = feed(&mut machine, 400, 440, 1, &slouch);
        assert_eq!(kinds(&later), vec![(430, "warning")]);
    }

    #[test]
    fn snooze_and_pause_silence_warnings() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        machine.snooze_until(at(15 * 60));
        let events = feed(&mut machine, 0, 100, 1, &bad(Problem::Leaning, 1.0));
        assert_eq!(kinds(&events), vec![(30, "snoozed")]);
        assert_eq!(machine.snoozed_until(at(100)), Some(at(900)));
        // After the snooze the ongoing slouch warns.
        let events = feed(&mut machine, 900, 902, 1, &bad(Problem::Leaning, 1.0));
        assert_eq!(kinds(&events), vec![(900, "warning")]);

        let mut paused = AlertMachine::new(AlertSettings::default());
        assert!(paused.pause(at(0)).is_empty());
        assert!(feed(&mut paused, 0, 100, 1, &bad(Problem::Leaning, 1.0)).is_empty());
        assert_eq!(paused.state(at(100)), AlertState::Paused);
        paused.resume();
        assert_eq!(kinds(&feed(&mut paused, 100, 131, 1, &bad(Problem::Leaning, 1.0))), vec![(130, "warning")]);
    }

    #[test]
    fn a_snooze_answers_the_standing_warning() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let slouch = bad(Problem::ForwardHead, 1.1);
        assert_eq!(kinds(&feed(&mut machine, 0, 40, 1, &slouch)), vec![(30, "warning")]);
        assert_eq!(machine.state(at(40)), AlertState::Warning);
        machine.snooze_until(at(15 * 60));
        assert_eq!(machine.state(at(41)), AlertState::Snoozed, "no longer shown as a warning once answered");
        // The slouch goes on; once the snooze is over it is a warning again.
        feed(&mut machine, 41, 901, 1, &slouch);
        assert_eq!(machine.state(at(901)), AlertState::Warning);
    }

    #[test]
    fn severity_grows_with_excess_and_duration() {
        let settings = AlertSettings::default();
        assert_eq!(severity(&settings, TimeDelta::seconds(30), 1.1), Severity::Mild);
        assert_eq!(severity(&settings, TimeDelta::seconds(30), 1.6), Severity::Moderate);
        assert_eq!(severity(&settings, TimeDelta::seconds(125), 1.0), Severity::Strong);
        let mut machine = AlertMachine::new(settings);
        let mut events = feed(&mut machine, 0, 200, 1, &bad(Problem::ForwardHead, 1.1));
        events.extend(feed(&mut machine, 200, 210, 1, &good()));
        let peak = events.iter().find_map(|(_, event)| match event {
            AlertEvent::EpisodeEnded { peak, .. } => Some(*peak),
            _ => None,
        });
        assert_eq!(peak, Some(Severity::Strong));
    }

    #[test]
    fn leaving_is_away_and_a_long_absence_is_a_break() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let mut events = feed(&mut machine, 0, 10, 1, &good());
        events.extend(feed(&mut machine, 10, 200, 1, &Observation::NoPerson));
        assert_eq!(machine.state(at(199)), AlertState::Away);
        events.extend(feed(&mut machine, 200, 205, 1, &good()));
        assert_eq!(kinds(&events), vec![(30, "away"), (200, "back")]);
        assert_eq!(events[1].1, AlertEvent::Back { away_for_s: 190, was_break: true });

        // A short absence is not a break.
        let short = feed(&mut machine, 205, 240, 1, &Observation::NoPerson);
        let back = feed(&mut machine, 240, 241, 1, &good());
        assert_eq!(kinds(&short), vec![(225, "away")]);
        assert_eq!(back[0].1, AlertEvent::Back { away_for_s: 35, was_break: false });
    }

    #[test]
    fn leaving_mid_slouch_ends_the_episode_without_a_warning() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let mut events = feed(&mut machine, 0, 20, 1, &bad(Problem::ForwardHead, 1.1));
        events.extend(feed(&mut machine, 20, 60, 1, &Observation::NoPerson));
        assert_eq!(kinds(&events), vec![(40, "away")]);
    }

    #[test]
    fn sitting_too_long_brings_a_break_reminder_and_a_break_resets_it() {
        let settings = AlertSettings { break_interval: TimeDelta::minutes(45), ..AlertSettings::default() };
        let mut machine = AlertMachine::new(settings);
        let events = feed(&mut machine, 0, 46 * 60, 10, &good());
        assert_eq!(kinds(&events), vec![(45 * 60, "break_reminder")]);
        // Another reminder after another interval, unless a break comes first.
        let mut events = feed(&mut machine, 46 * 60, 50 * 60, 10, &good());
        events.extend(feed(&mut machine, 50 * 60, 55 * 60, 10, &Observation::NoPerson));
        events.extend(feed(&mut machine, 55 * 60, 95 * 60, 10, &good()));
        assert_eq!(kinds(&events), vec![(50 * 60 + 20, "away"), (55 * 60, "back")]);
    }

    #[test]
    fn a_stale_calibration_asks_once_to_recalibrate_instead_of_warning() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let events = feed(&mut machine, 0, 100, 1, &Observation::Stale(StaleReason::Moved));
        assert_eq!(kinds(&events), vec![(0, "recalibrate")]);
        assert_eq!(machine.state(at(100)), AlertState::Recalibrate);
        // Back in place: judged again.
        let events = feed(&mut machine, 100, 140, 1, &bad(Problem::TooClose, 1.2));
        assert_eq!(kinds(&events), vec![(130, "warning")]);
    }

    #[test]
    fn unknown_frames_neither_warn_nor_clear() {
        let mut machine = AlertMachine::new(AlertSettings::default());
        let unknown = Observation::Judged { posture: Posture::Unknown, problems: vec![], excess: 0.0 };
        let mut events = feed(&mut machine, 0, 35, 1, &bad(Problem::ForwardHead, 1.1));
        events.extend(feed(&mut machine, 35, 100, 1, &unknown));
        assert_eq!(kinds(&events), vec![(30, "warning")]);
        assert_eq!(machine.state(at(100)), AlertState::Warning);
    }
}
