//! The alert machine driven by a fake clock.

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
