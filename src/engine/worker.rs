//! The engine thread: reads frames at the configured rate, handles commands between them, hands
//! each frame to [`Step`] and the outcome to the sinks, reopens a lost camera with growing
//! waits, and at the end accounts the last frame, flushes the history and sends the summary.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

use super::calibrate::{CALIBRATION_FRAMES, Capture, calibrate_frames};
use super::sinks::{ChannelSink, DesktopNotifier, HistorySink, HookSink};
use super::step::{FrameKind, Step};
use super::summary::{DayTotals, Summary, local_day};
use super::yielding::{UseWatch, WatchedNode};
use super::{
    CalibrationUpdate, EngineCommand, EngineConfig, EngineEvent, Hold, InUseElsewhere, SourceEvent, SuggestionNote,
    TimedEvent,
};
use crate::alerts::AlertEvent;
use crate::coach::{Answer, Coach, SuggestionContext, break_routine};
use crate::history::{HistoryStore, MinuteRow};
use crate::pose::PoseEstimator;
use crate::source::{Frame, FrameSource, SourceError};

/// First wait before reopening a lost camera; doubles up to [`RECONNECT_MAX_S`].
pub const RECONNECT_FIRST_S: u64 = 1;
/// Longest wait between attempts to reopen a lost camera.
pub const RECONNECT_MAX_S: u64 = 30;
/// Minutes of the routine offered with a movement-break reminder.
pub const BREAK_ROUTINE_MINUTES: u32 = 3;
/// Days of "done" / "not now" answers that shape suggestions.
pub const ANSWER_MEMORY_DAYS: i64 = 14;
/// Local hours counted as working hours (desk-friendly suggestions first).
const WORK_HOURS: std::ops::Range<u32> = 7..19;

/// The engine thread's state: the step, the sinks and the totals.
pub struct Worker {
    fps: f64,
    step: Step,
    estimator: PoseEstimator,
    history: HistorySink,
    notifier: Option<DesktopNotifier>,
    hook: Option<HookSink>,
    channel: ChannelSink,
    coach: Option<Coach>,
    commands: Receiver<EngineCommand>,
    summary: Summary,
    today: DayTotals,
    /// Frames being taken for a calibration the window asked for.
    capture: Option<Capture>,
    stopping: bool,
    /// Told the state for control from outside.
    status: Option<std::sync::Arc<dyn super::sinks::StatusSink>>,
    /// What holds monitoring on the desktop's side (locked, asleep).
    holds: Vec<super::Hold>,
    /// Whether the pause in force is the holds' (released with them), not the user's.
    paused_by_holds: bool,
    /// Where the setups are saved when the engine changes them.
    setups_sink: Option<std::sync::Arc<dyn super::sinks::SetupsSink>>,
    /// The other programs the camera is given over to, oldest first.
    others: Vec<InUseElsewhere>,
    /// Uses the user took the camera back from (Resume during a yield): not yielded to again
    /// until that use has ended.
    dismissed: Vec<super::OtherUse>,
    /// Whether to watch for them, and how long they must have let go.
    yield_to_others: Option<Duration>,
    /// The camera's device node, for the watcher.
    node: WatchedNode,
    /// Sends to this engine's own commands (the watcher's yields, a notification's button).
    answers: Sender<EngineCommand>,
    /// Why the desktop asks for quiet now (warnings are held back), if it does.
    quiet: Option<super::Quiet>,
    /// The warning held back while quiet, to show when the quiet ends if it still stands.
    held_warning: Option<TimedEvent>,
    /// The nudge beside the notification, and whether it is on now.
    nudge: Option<std::sync::Arc<dyn super::sinks::NudgeSink>>,
    nudging: bool,
}

impl Worker {
    /// A worker for `config`, sending on `channel`, taking commands from `commands` (`answers`
    /// sends to them: a notification's button).
    pub fn new(
        config: EngineConfig,
        estimator: PoseEstimator,
        store: Option<HistoryStore>,
        channel: ChannelSink,
        commands: Receiver<EngineCommand>,
        answers: std::sync::mpsc::Sender<EngineCommand>,
    ) -> Worker {
        let today = store.as_ref().map(today_so_far).unwrap_or_default();
        Worker {
            fps: config.fps,
            step: Step::new(&config),
            notifier: config.notifications.then(|| DesktopNotifier::new(Some(answers.clone()))),
            hook: config.hook.filter(|command| !command.trim().is_empty()).map(HookSink::new),
            coach: config.catalog.map(Coach::new),
            estimator,
            history: HistorySink::new(store),
            channel,
            commands,
            summary: Summary::default(),
            today,
            capture: None,
            stopping: false,
            status: config.status,
            holds: Vec::new(),
            paused_by_holds: false,
            setups_sink: config.setups_sink,
            others: Vec::new(),
            dismissed: Vec::new(),
            yield_to_others: config.yield_to_others.then_some(config.yield_grace),
            node: WatchedNode::default(),
            answers,
            quiet: None,
            held_warning: None,
            nudge: config.nudge,
            nudging: false,
        }
    }

    fn interval(&self) -> TimeDelta {
        TimeDelta::microseconds((1e6 / self.fps.max(0.01)).round() as i64)
    }

    /// Reports a source that could not be built, then finishes.
    pub fn fail(self, detail: String) {
        self.channel.source(Utc::now(), SourceEvent::SourceFailed { detail });
        self.finish();
    }

    /// Runs until the source ends, fails for good, or a Stop command; then finishes.
    pub fn run(mut self, mut source: Box<dyn FrameSource>) {
        let live = source.is_live();
        self.step.watch_freezing(source.can_freeze());
        // Kept to the end of the run: dropping it stops the watcher.
        let _watch = self.watch_other_uses(live);
        // Whether the camera was closed for a pause.
        let mut closed = false;
        while !self.stopping {
            self.handle_commands(Utc::now());
            if self.stopping {
                break;
            }
            if live && self.step.alerts().is_paused() {
                // Paused: the camera is closed (its light goes off) and no frame is read; the
                // time still counts as paused, at the usual pace.
                if !closed {
                    source.release();
                    closed = true;
                }
                self.paused_tick(Utc::now());
                self.wait(self.interval().to_std().unwrap_or_default());
                continue;
            }
            if closed {
                closed = false;
                self.step.source_lost();
                match source.reconnect() {
                    Ok(()) => {}
                    Err(SourceError::Stopping) => break,
                    Err(error) => {
                        if !self.recover(source.as_mut(), error) {
                            break;
                        }
                    }
                }
            }
            let started = Instant::now();
            let read = source.next_frame();
            self.follow_node(source.as_ref());
            match read {
                Ok(None) => break,
                Ok(Some(frame)) => {
                    if let Some(error) = self.process(frame)
                        && !self.recover(source.as_mut(), error)
                    {
                        break;
                    }
                }
                // Asked to stop while waiting for the camera: nothing failed.
                Err(SourceError::Stopping) => break,
                Err(error) if error.is_single_frame() => {
                    self.summary.unreadable += 1;
                    self.channel.source(Utc::now(), SourceEvent::FrameSkipped { detail: error.to_string() });
                }
                Err(error) if error.is_retryable() => {
                    if !self.recover(source.as_mut(), error) {
                        break;
                    }
                }
                Err(error) => {
                    self.channel.source(Utc::now(), SourceEvent::SourceFailed { detail: error.to_string() });
                    break;
                }
            }
            if live {
                let wait = self.interval().to_std().unwrap_or_default().saturating_sub(started.elapsed());
                self.wait(wait);
            }
        }
        self.finish();
    }

    /// One frame: the step decides, the sinks get the outcome. Returns a frozen source's error.
    fn process(&mut self, frame: Frame) -> Option<SourceError> {
        let now = frame.time;
        self.summary.add_frame(now);
        let outcome = match &mut self.capture {
            Some(capture) => {
                if capture.offer(now, &frame.image) {
                    let frames = capture.len();
                    self.channel.calibration(CalibrationUpdate::Captured { frames, wanted: CALIBRATION_FRAMES });
                }
                let outcome = self.step.calibrating(frame);
                self.measure_if_captured();
                outcome
            }
            None => self.step.step(frame, &mut self.estimator),
        };
        match outcome.kind {
            FrameKind::Held => self.summary.held += 1,
            FrameKind::Analysed => self.summary.analysed += 1,
            FrameKind::Unreadable => self.summary.unreadable += 1,
            FrameKind::Paused | FrameKind::Unusable | FrameKind::Calibrating => {}
        }
        self.deliver(now, outcome)
    }

    /// A moment of a pause with the camera closed: counted as paused (or as given over to
    /// another program), shown as such.
    fn paused_tick(&mut self, now: DateTime<Utc>) {
        self.summary.started.get_or_insert(now);
        self.summary.ended = Some(now);
        let activity = match self.yielded_to() {
            Some(_) => crate::history::Activity::Yielded,
            None => crate::history::Activity::Paused,
        };
        let outcome = self.step.paused_tick(now, activity);
        self.deliver(now, outcome);
    }

    /// The other program the camera is given over to, while that is what holds monitoring (not
    /// the user's own pause, which says so itself).
    fn yielded_to(&self) -> Option<&InUseElsewhere> {
        self.others.first().filter(|_| self.paused_by_holds && self.step.is_paused())
    }

    /// Starts the watcher of other programs using the camera or a microphone (a live source,
    /// when asked for).
    fn watch_other_uses(&self, live: bool) -> Option<UseWatch> {
        let grace = self.yield_to_others.filter(|_| live)?;
        match UseWatch::start(self.node.clone(), grace, self.answers.clone()) {
            Ok(watch) => Some(watch),
            Err(error) => {
                tracing::warn!("cannot watch for other programs using the camera: {error}");
                None
            }
        }
    }

    /// Tells the watcher the camera's node, when the source has one that is new.
    fn follow_node(&self, source: &dyn FrameSource) {
        if self.yield_to_others.is_none() {
            return;
        }
        if let Some(node) = source.device_node()
            && let Ok(mut watched) = self.node.lock()
            && watched.as_ref() != Some(&node)
        {
            *watched = Some(node);
        }
    }

    /// Hands an outcome to the sinks: history, alerts (notifier, channel), the snapshot.
    fn deliver(&mut self, now: DateTime<Utc>, outcome: super::step::FrameOutcome) -> Option<SourceError> {
        for event in outcome.source_events {
            self.channel.source(now, event);
        }
        if let Some(activity) = outcome.activity {
            let mut events = Vec::new();
            let rows = self.history.account(now, activity, &mut events);
            self.add_rows(&rows);
            self.tell(now, events);
        }
        self.handle_alert_events(now, outcome.alert_events);
        self.follow_nudge();
        self.save_setups_if_changed();
        if let Some(mut snapshot) = outcome.snapshot {
            snapshot.today = self.today.with_partial(self.history.current_minute());
            snapshot.in_use_elsewhere = self.yielded_to().cloned();
            if let Some(status) = &self.status {
                status.snapshot(&snapshot, self.step.is_calibrated());
            }
            self.channel.snapshot(snapshot);
        }
        outcome.frozen
    }

    /// Once all calibration frames are in, measures them with the engine's model (a fraction of
    /// a second for ten frames) and sends the result; the frames are dropped.
    fn measure_if_captured(&mut self) {
        if !self.capture.as_ref().is_some_and(Capture::is_full) {
            return;
        }
        let Some(capture) = self.capture.take() else {
            return;
        };
        self.channel.calibration(CalibrationUpdate::Measuring);
        let placement = capture.placement;
        let update = match calibrate_frames(&mut self.estimator, &capture.into_frames(), placement) {
            Ok(calibration) => CalibrationUpdate::Done(Box::new(calibration)),
            Err(error) => CalibrationUpdate::Failed(error),
        };
        self.channel.calibration(update);
    }

    fn add_rows(&mut self, rows: &[MinuteRow]) {
        for row in rows {
            self.summary.add_minute(row);
            self.today.add_minute(row);
        }
    }

    fn tell(&self, now: DateTime<Utc>, events: Vec<SourceEvent>) {
        for event in events {
            self.channel.source(now, event);
        }
    }

    /// Waits up to `duration`, handling commands as they come.
    /// Returns early when a command pauses or resumes (the camera is closed or opened at once:
    /// another program is waiting for it).
    fn wait(&mut self, duration: Duration) {
        let deadline = Instant::now() + duration;
        let paused = self.step.is_paused();
        while !self.stopping && self.step.is_paused() == paused {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            match self.commands.recv_timeout(left) {
                Ok(command) => {
                    self.apply(command, Utc::now());
                    // A snooze, a pause or quiet while waiting ends the nudge now.
                    self.follow_nudge();
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Retries a lost camera with growing waits until it is back (true) or the engine stops.
    fn recover(&mut self, source: &mut dyn FrameSource, error: SourceError) -> bool {
        self.channel.source(Utc::now(), SourceEvent::CameraLost { detail: error.to_string() });
        if let Some(status) = &self.status {
            status.camera_lost(&error.to_string());
        }
        // Time without a camera is not monitored time, and nobody is seen to nudge.
        self.history.forget_previous();
        self.step.source_lost();
        if std::mem::take(&mut self.nudging)
            && let Some(nudge) = &self.nudge
        {
            nudge.clear();
        }
        let mut wait = RECONNECT_FIRST_S;
        loop {
            self.wait(Duration::from_secs(wait));
            if self.stopping {
                return false;
            }
            if self.step.is_paused() {
                // Paused meanwhile (by the user, or for another program that holds the camera):
                // no point fighting for it now. Closed, so the next read opens it afresh.
                source.release();
                return true;
            }
            let reopened = source.reconnect();
            self.follow_node(source);
            match reopened {
                Ok(()) => {
                    self.channel.source(Utc::now(), SourceEvent::CameraBack { device: source.describe() });
                    return true;
                }
                Err(error) => tracing::debug!("camera still unavailable: {error}"),
            }
            wait = (wait * 2).min(RECONNECT_MAX_S);
        }
    }

    fn handle_commands(&mut self, now: DateTime<Utc>) {
        while let Ok(command) = self.commands.try_recv() {
            self.apply(command, now);
        }
        self.follow_nudge();
        // A pause for a while ends by itself; what holds monitoring (a locked screen, a call)
        // then holds it on.
        self.step.alerts().resume_if_due(now);
        if !self.holds.is_empty() && !self.step.alerts().is_paused() {
            let events = self.step.alerts().pause(now);
            self.handle_alert_events(now, events);
            self.paused_by_holds = true;
        }
    }

    fn apply(&mut self, command: EngineCommand, now: DateTime<Utc>) {
        match command {
            EngineCommand::Stop => self.stopping = true,
            // The user's own pause: no hold's end ends it.
            EngineCommand::Pause => {
                let events = self.step.alerts().pause(now);
                self.handle_alert_events(now, events);
                self.paused_by_holds = false;
            }
            EngineCommand::PauseUntil(until) => {
                let events = self.step.alerts().pause_until(now, until);
                self.handle_alert_events(now, events);
                self.paused_by_holds = false;
            }
            EngineCommand::Resume => {
                // Resumed during a yield: the user wants the camera (a call that always records,
                // an echo canceller taken for a call); that use is not yielded to again until it ends.
                let others = std::mem::take(&mut self.others);
                for other in &others {
                    self.holds.retain(|held| *held != Hold::OtherUse(other.uses));
                    self.dismissed.push(other.uses);
                }
                if !others.is_empty() {
                    self.channel.source(now, SourceEvent::CameraReclaimed);
                }
                self.step.alerts().resume();
                self.paused_by_holds = false;
            }
            EngineCommand::Hold(hold) => self.hold(hold, now),
            EngineCommand::Release(hold) => self.release(hold),
            EngineCommand::Yield(other) if self.dismissed.contains(&other.uses) => {}
            EngineCommand::Yield(other) => {
                let uses = other.uses;
                self.others.retain(|known| known.uses != uses);
                self.others.push(other.clone());
                self.hold(Hold::OtherUse(uses), now);
                self.channel.source(now, SourceEvent::CameraYielded { program: other.program, uses });
            }
            EngineCommand::Quiet(quiet) => {
                self.quiet = quiet;
                if quiet.is_none() {
                    self.show_held_warning(now);
                }
            }
            EngineCommand::Reclaim(uses) => {
                self.dismissed.retain(|dismissed| *dismissed != uses);
                let had = !self.others.is_empty();
                self.others.retain(|known| known.uses != uses);
                self.release(Hold::OtherUse(uses));
                if had && self.others.is_empty() {
                    self.channel.source(now, SourceEvent::CameraReclaimed);
                }
            }
            EngineCommand::SnoozeUntil(until) => self.step.alerts().snooze_until(until),
            EngineCommand::Unsnooze => self.step.alerts().unsnooze(),
            EngineCommand::Calibrate(placement) => self.capture = Some(Capture::new(placement)),
            EngineCommand::CancelCalibration => self.capture = None,
            EngineCommand::StretchDeclined(id) => self.answer(now, &id, Answer::NotNow),
            EngineCommand::StretchDone(id) => self.answer(now, &id, Answer::Done),
            EngineCommand::ShowWindow(request) => self.channel.show_window(request),
            EngineCommand::Dispute => {
                // Frame time, which the warning was stamped with (virtual in a replay).
                let frame_now = self.summary.ended.unwrap_or(now);
                if let Some(disputed) = self.step.dispute(frame_now) {
                    let mut events = Vec::new();
                    self.history.record_dispute(disputed.warned_at, &mut events);
                    self.tell(frame_now, events);
                    self.channel.source(
                        frame_now,
                        SourceEvent::WarningDisputed {
                            problems: disputed.problems,
                            widened: disputed.widened,
                            setup: disputed.setup,
                        },
                    );
                    self.save_setups_if_changed();
                }
            }
            // The sender (the window) has saved them: writing or echoing them here would race
            // its next change, an older book landing on the file and in the window after a newer.
            EngineCommand::SetSetups(book) => self.step.set_setups(*book),
        }
    }

    /// Something on the desktop's side holds monitoring: paused (the camera closed) unless the
    /// user has paused already, whose pause stays theirs.
    fn hold(&mut self, hold: Hold, now: DateTime<Utc>) {
        if !self.holds.contains(&hold) {
            self.holds.push(hold);
        }
        if !self.step.alerts().is_paused() {
            let events = self.step.alerts().pause(now);
            self.handle_alert_events(now, events);
            self.paused_by_holds = true;
        }
    }

    /// A hold ended: monitoring resumes when it was the holds' pause and none is left.
    fn release(&mut self, hold: Hold) {
        self.holds.retain(|held| *held != hold);
        if self.holds.is_empty() && self.paused_by_holds {
            self.step.alerts().resume();
            self.paused_by_holds = false;
        }
    }

    /// Saves the setups and tells the window, when the step changed them (a dispute, a switch).
    fn save_setups_if_changed(&mut self) {
        if self.step.take_changed_setups() {
            self.save_setups();
        }
    }

    /// Saves the setups (when there is a file for them) and tells the window.
    fn save_setups(&mut self) {
        let book = self.step.setups();
        if let Some(sink) = &self.setups_sink
            && !book.setups.is_empty()
        {
            sink.setups_changed(book);
        }
        self.channel.setups(book);
    }

    /// The user's pause and snooze in force at `now`.
    fn carry(&mut self, now: DateTime<Utc>) -> super::Carry {
        let paused_by_holds = self.paused_by_holds;
        let alerts = self.step.alerts();
        super::Carry {
            paused: alerts.is_paused() && !paused_by_holds && alerts.paused_until().is_none(),
            paused_until: alerts.paused_until().filter(|_| !paused_by_holds),
            snoozed_until: alerts.snoozed_until(now),
        }
    }

    fn answer(&mut self, now: DateTime<Utc>, id: &str, answer: Answer) {
        let mut events = Vec::new();
        self.history.record_answer(now, id, answer, &mut events);
        self.tell(now, events);
    }

    /// Each alert event goes to the history, the notifier and the channel (with the coach's
    /// suggestion or break routine attached).
    fn handle_alert_events(&mut self, now: DateTime<Utc>, alert_events: Vec<AlertEvent>) {
        for event in alert_events {
            let mut events = Vec::new();
            self.history.record_alert(now, &event, &mut events);
            self.tell(now, events);
            if let AlertEvent::Warning { .. } = event {
                self.summary.warnings += 1;
                self.today.add_warning(now);
            }
            let mut timed = TimedEvent::plain(now, EngineEvent::Alert(event.clone()));
            if let Some(coach) = &mut self.coach {
                match &event {
                    AlertEvent::Warning { problems, .. } => {
                        let context = suggestion_context(self.history.store(), now);
                        timed.suggestion = coach.suggest(problems, &context).map(|entry| SuggestionNote {
                            id: entry.id,
                            name: entry.name,
                            summary: entry.summary,
                        });
                    }
                    AlertEvent::BreakReminder { .. } => {
                        timed.routine = Some(break_routine(coach.catalog(), BREAK_ROUTINE_MINUTES));
                    }
                    _ => {}
                }
            }
            match (&event, self.quiet) {
                // The desktop asks for quiet: recorded, said as held back, shown later if it
                // still stands.
                (AlertEvent::Warning { problems, .. }, Some(quiet)) => {
                    let mut events = Vec::new();
                    self.history.record_held_back(now, &mut events);
                    self.tell(now, events);
                    self.channel.source(now, SourceEvent::WarningHeldBack { problems: problems.clone(), quiet });
                    self.held_warning = Some(timed);
                    continue;
                }
                // A warning never shown needs no all-clear either.
                (AlertEvent::Cleared { .. }, _) if self.held_warning.take().is_some() => continue,
                _ => {}
            }
            self.deliver_alert(&event, timed);
        }
    }

    /// An alert event to the notifier (not while the desktop asks for quiet: a break reminder
    /// waits for the next one), the user's hook and the channel.
    fn deliver_alert(&mut self, event: &AlertEvent, timed: TimedEvent) {
        if let Some(notifier) = self.notifier.as_mut().filter(|_| self.quiet.is_none()) {
            notifier.notify(event);
        }
        if let (AlertEvent::Warning { severity, .. }, Some(nudge)) = (event, &self.nudge) {
            nudge.warn(*severity);
            self.nudging = true;
        }
        if let Some(hook) = &self.hook {
            hook.offer(&timed);
        }
        self.channel.event(timed);
    }

    /// Ends the nudge once no shown warning stands: cleared, answered, snoozed, paused, given
    /// over to a call, or the desktop asks for quiet.
    fn follow_nudge(&mut self) {
        if !self.nudging {
            return;
        }
        // Frame time, which the alert machine runs on (virtual in a replay).
        let now = self.summary.ended.unwrap_or_else(Utc::now);
        let standing = self.step.alerts().state(now) == crate::alerts::AlertState::Warning;
        if !standing || self.quiet.is_some() {
            self.nudging = false;
            if let Some(nudge) = &self.nudge {
                nudge.clear();
            }
        }
    }

    /// The quiet ended: the warning held back is shown now if it still stands.
    fn show_held_warning(&mut self, now: DateTime<Utc>) {
        let Some(held) = self.held_warning.take() else {
            return;
        };
        if self.step.alerts().state(now) != crate::alerts::AlertState::Warning {
            return;
        }
        if let EngineEvent::Alert(event) = held.event.clone() {
            self.deliver_alert(&event, TimedEvent { time: now, ..held });
        }
    }

    /// Accounts the last frame's interval, flushes the history and reports the totals.
    fn finish(mut self) {
        // Before the last minute's close pauses the alerts.
        self.summary.carry = self.carry(self.summary.ended.unwrap_or_else(Utc::now));
        let mut events = Vec::new();
        if let Some((to, rows)) = self.history.close_last(self.interval(), &mut events) {
            self.add_rows(&rows);
            self.tell(to, std::mem::take(&mut events));
            let end_events = self.step.alerts().pause(to);
            self.handle_alert_events(to, end_events);
        }
        if let Some(last) = self.history.flush(&mut events) {
            self.add_rows(std::slice::from_ref(&last));
        }
        self.tell(self.summary.ended.unwrap_or_else(Utc::now), events);
        if let (Some(nudge), true) = (&self.nudge, self.nudging) {
            nudge.clear();
        }
        if let Some(status) = &self.status {
            status.finished();
        }
        self.channel.finished(self.summary);
    }
}

/// What the coach should know when suggesting at `now`: at the desk, working hours by local
/// time, and the recent answers from the history.
fn suggestion_context(store: Option<&HistoryStore>, now: DateTime<Utc>) -> SuggestionContext {
    use chrono::Timelike;
    let answers =
        store.and_then(|store| store.answers_since(now - TimeDelta::days(ANSWER_MEMORY_DAYS)).ok()).unwrap_or_default();
    let hour = now.with_timezone(&chrono::Local).hour();
    SuggestionContext { at_desk: true, work_hours: WORK_HOURS.contains(&hour), answers }
}

/// Today's totals from the minutes and warnings already in the history (an earlier session of
/// the same day), so the window's "Today" matches the report from the start.
fn today_so_far(store: &HistoryStore) -> DayTotals {
    let now = Utc::now();
    let day = local_day(now);
    let Some(start) =
        day.and_hms_opt(0, 0, 0).and_then(|midnight| midnight.and_local_timezone(chrono::Local).earliest())
    else {
        return DayTotals::default();
    };
    let mut totals = DayTotals::default();
    match store.range(start.with_timezone(&Utc), now) {
        Ok(rows) => {
            rows.minutes.iter().for_each(|row| totals.add_minute(row));
            rows.warnings.iter().for_each(|at| totals.add_warning(*at));
        }
        Err(error) => tracing::warn!("today's earlier history is not shown: {error}"),
    }
    totals
}
