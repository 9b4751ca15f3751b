//! The live engine: a named worker thread that runs source -> pose -> posture -> alerts -> sinks
//! (history, notifications, the channel the window or CLI reads) and publishes small snapshots.
//!
//! Glue, not logic: the decisions live in the pure modules ([`crate::posture`],
//! [`crate::alerts`], [`crate::history::minutes`]); this module moves data between them and the
//! I/O edges, and keeps going through camera and disk trouble.

pub mod motion;
pub mod picture;

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::alerts::{AlertEvent, AlertMachine, AlertSettings, AlertState, Observation};
use crate::coach::{Answer, Catalog, Coach, Routine, SuggestionContext, break_routine};
use crate::history::{Activity, HistoryStore, MinuteAccumulator, MinuteRow};
use crate::notify::DesktopNotifier;
use crate::pose::{Pose, PoseEstimator};
use crate::posture::smoothing::{MetricsSmoother, OneEuroConfig};
use crate::posture::{self, Assessment, Calibration, Posture, PostureSettings, verdict};
use crate::source::{Frame, FrameSource, SourceError, SourceFactory};
use motion::MotionDetector;
use picture::{FROZEN_AFTER_S, Picture};

/// Default analysis rate, frames a second: posture changes slowly, and every analysed frame
/// costs CPU.
pub const DEFAULT_ANALYSIS_FPS: f64 = 2.0;
/// Even a still scene is analysed again after this long, so a slow drift is not missed.
pub const MAX_HOLD_S: i64 = 10;
/// First wait before reopening a lost camera; doubles up to [`RECONNECT_MAX_S`].
pub const RECONNECT_FIRST_S: u64 = 1;
/// Longest wait between attempts to reopen a lost camera.
pub const RECONNECT_MAX_S: u64 = 30;
/// Minute rows kept in memory while the history cannot be written (a day).
pub const MAX_PENDING_MINUTES: usize = 24 * 60;

/// How the engine runs.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Analysed frames per second.
    pub fps: f64,
    /// The person's calibration, if any.
    pub calibration: Option<Calibration>,
    /// Placement and sensitivity.
    pub posture: PostureSettings,
    /// Alert timings.
    pub alerts: AlertSettings,
    /// Show desktop notifications.
    pub notifications: bool,
    /// Attach each analysed frame to the snapshot (for the window's live view; memory only).
    pub preview: bool,
    /// The stretch catalog; without it warnings carry no suggestion.
    pub catalog: Option<Catalog>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            fps: DEFAULT_ANALYSIS_FPS,
            calibration: None,
            posture: PostureSettings::default(),
            alerts: AlertSettings::default(),
            notifications: true,
            preview: false,
            catalog: None,
        }
    }
}

/// What the window (or the CLI) can ask of a running engine.
#[derive(Debug, Clone)]
pub enum EngineCommand {
    /// Stop, flush history, end the thread.
    Stop,
    /// Pause monitoring.
    Pause,
    /// Resume monitoring.
    Resume,
    /// No posture warnings until then.
    SnoozeUntil(DateTime<Utc>),
    /// End a snooze.
    Unsnooze,
    /// Use this calibration from now on.
    SetCalibration(Box<Calibration>),
    /// Record a stretch done (entry id).
    StretchDone(String),
    /// Record that a suggestion was declined (entry id).
    StretchDeclined(String),
}

/// Events about the source and the sinks (the alert events come from [`AlertEvent`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SourceEvent {
    /// The camera stopped delivering frames (or is busy, or absent); the engine retries.
    CameraLost {
        /// What happened.
        detail: String,
    },
    /// The camera delivers frames again.
    CameraBack {
        /// Which camera.
        device: String,
    },
    /// One frame could not be read; the rest go on.
    FrameSkipped {
        /// Which and why.
        detail: String,
    },
    /// The picture cannot be read (too dark, blown out, nothing to see): posture is not judged
    /// until it can.
    PictureUnusable {
        /// What is wrong and what to do.
        detail: String,
    },
    /// The picture can be read again.
    PictureUsable,
    /// History cannot be written; monitoring goes on and rows wait in memory.
    HistoryUnavailable {
        /// What happened.
        detail: String,
    },
    /// History can be written again; the minutes kept meanwhile are saved.
    HistoryBack,
    /// The source failed for good.
    SourceFailed {
        /// What happened.
        detail: String,
    },
}

/// An event of either kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EngineEvent {
    /// From the alert state machine.
    Alert(AlertEvent),
    /// From the source or the sinks.
    Source(SourceEvent),
}

/// An event with its time: one JSON line of `slouchwatch run`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimedEvent {
    /// When (frame time: virtual in a replay).
    pub time: DateTime<Utc>,
    /// What.
    #[serde(flatten)]
    pub event: EngineEvent,
    /// With a warning: the coach's suggestion for the problem seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<SuggestionNote>,
    /// With a break reminder: a short routine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routine: Option<Routine>,
}

impl TimedEvent {
    fn plain(time: DateTime<Utc>, event: EngineEvent) -> TimedEvent {
        TimedEvent { time, event, suggestion: None, routine: None }
    }
}

/// The coach's suggestion attached to a warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestionNote {
    /// Catalog entry id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One sentence.
    pub summary: String,
}

/// Minutes of the routine offered with a movement-break reminder.
pub const BREAK_ROUTINE_MINUTES: u32 = 3;
/// Days of "done" / "not now" answers that shape suggestions.
pub const ANSWER_MEMORY_DAYS: i64 = 14;
/// Local hours counted as working hours (desk-friendly suggestions first).
const WORK_HOURS: std::ops::Range<u32> = 7..19;

/// What the engine saw in the latest frame: small, cloned to the UI.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Frame time.
    pub time: DateTime<Utc>,
    /// Frame size, pixels.
    pub frame_size: (u32, u32),
    /// The keypoints, when the frame was analysed or the last analysis still holds.
    pub pose: Option<Pose>,
    /// Measures and verdict.
    pub assessment: Option<Assessment>,
    /// True when inference was skipped because nothing moved: the last verdict still holds.
    pub held: bool,
    /// The alert state.
    pub alert_state: AlertState,
    /// Whether the picture could be read (when not, nothing was analysed).
    pub picture: Picture,
    /// The frame itself, only when [`EngineConfig::preview`] is on (never stored).
    pub preview: Option<std::sync::Arc<image::RgbImage>>,
}

/// Messages from the engine thread.
#[derive(Debug, Clone)]
pub enum EngineMessage {
    /// A frame was processed.
    Snapshot(Box<Snapshot>),
    /// Something happened.
    Event(TimedEvent),
    /// The engine stopped.
    Finished(Summary),
}

/// Totals of a run, printed at the end of a replay.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Frames read from the source.
    pub frames: u64,
    /// Frames the model ran on.
    pub analysed: u64,
    /// Frames skipped because nothing moved.
    pub held: u64,
    /// Frames that could not be read.
    pub unreadable: u64,
    /// Warnings shown.
    pub warnings: u64,
    /// Seconds at the desk and judged.
    pub monitored_s: f64,
    /// Seconds of good posture.
    pub good_s: f64,
    /// Seconds of bad posture.
    pub bad_s: f64,
    /// Seconds away.
    pub away_s: f64,
    /// First frame time.
    pub started: Option<DateTime<Utc>>,
    /// Last frame time.
    pub ended: Option<DateTime<Utc>>,
}

/// A running engine: read [`EngineHandle::messages`], send commands, join at the end.
pub struct EngineHandle {
    /// Snapshots, events and the final summary.
    pub messages: Receiver<EngineMessage>,
    commands: Sender<EngineCommand>,
    thread: Option<JoinHandle<()>>,
}

impl EngineHandle {
    /// A sender for commands (clone it for a Ctrl-C handler).
    pub fn commands(&self) -> Sender<EngineCommand> {
        self.commands.clone()
    }

    /// Sends a command; false if the engine has already stopped.
    pub fn send(&self, command: EngineCommand) -> bool {
        self.commands.send(command).is_ok()
    }

    /// Asks the engine to stop and waits for it.
    pub fn stop(mut self) {
        let _ = self.commands.send(EngineCommand::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Waits for the engine thread to end (a replay ends by itself).
    pub fn join(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
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

/// Starts the engine on its own named thread; `make_source` builds the frame source there.
pub fn spawn(
    config: EngineConfig,
    make_source: SourceFactory,
    estimator: PoseEstimator,
    store: Option<HistoryStore>,
) -> std::io::Result<EngineHandle> {
    let (message_tx, messages) = mpsc::channel();
    let (commands, command_rx) = mpsc::channel();
    let thread = std::thread::Builder::new().name("slouchwatch-engine".into()).spawn(move || {
        let mut engine = Engine::new(config, estimator, store, message_tx, command_rx);
        match make_source() {
            Ok(source) => engine.run(source),
            Err(error) => {
                engine.emit_source(Utc::now(), SourceEvent::SourceFailed { detail: error.to_string() });
                engine.finish();
            }
        }
    })?;
    Ok(EngineHandle { messages, commands, thread: Some(thread) })
}

struct Engine {
    config: EngineConfig,
    estimator: PoseEstimator,
    store: Option<HistoryStore>,
    notifier: Option<DesktopNotifier>,
    out: Sender<EngineMessage>,
    commands: Receiver<EngineCommand>,
    alerts: AlertMachine,
    smoother: MetricsSmoother,
    motion: MotionDetector,
    minutes: MinuteAccumulator,
    pending_minutes: Vec<MinuteRow>,
    history_warned: bool,
    /// Time and activity of the previous frame: it accounts for the time up to this frame.
    previous: Option<(DateTime<Utc>, Activity)>,
    last_analysis: Option<(DateTime<Utc>, Pose, Assessment)>,
    /// The latest frame's picture check (events are sent when it changes).
    picture: Picture,
    /// Whether identical frames mean a stuck source (see [`FrameSource::can_freeze`]).
    watch_freezing: bool,
    /// The previous frame's thumbnail and since when frames have been identical to it.
    freeze: (Option<Vec<f32>>, Option<DateTime<Utc>>),
    /// Set when the source has sent one picture for [`FROZEN_AFTER_S`]: it is reopened.
    frozen: Option<SourceError>,
    summary: Summary,
    stopping: bool,
    coach: Option<Coach>,
}

impl Engine {
    fn new(
        config: EngineConfig,
        estimator: PoseEstimator,
        store: Option<HistoryStore>,
        out: Sender<EngineMessage>,
        commands: Receiver<EngineCommand>,
    ) -> Engine {
        Engine {
            alerts: AlertMachine::new(config.alerts),
            notifier: config.notifications.then(DesktopNotifier::new),
            coach: config.catalog.clone().map(Coach::new),
            config,
            estimator,
            store,
            out,
            commands,
            smoother: MetricsSmoother::new(OneEuroConfig::default()),
            motion: MotionDetector::new(),
            minutes: MinuteAccumulator::new(),
            pending_minutes: Vec::new(),
            history_warned: false,
            previous: None,
            last_analysis: None,
            picture: Picture::Usable,
            watch_freezing: false,
            freeze: (None, None),
            frozen: None,
            summary: Summary::default(),
            stopping: false,
        }
    }

    fn interval(&self) -> TimeDelta {
        TimeDelta::microseconds((1e6 / self.config.fps.max(0.01)).round() as i64)
    }

    fn run(&mut self, mut source: Box<dyn FrameSource>) {
        let live = source.is_live();
        self.watch_freezing = source.can_freeze();
        while !self.stopping {
            self.handle_commands(Utc::now());
            if self.stopping {
                break;
            }
            let started = Instant::now();
            match source.next_frame() {
                Ok(None) => break,
                Ok(Some(frame)) => {
                    self.process(frame);
                    if let Some(error) = self.frozen.take()
                        && !self.recover(source.as_mut(), error)
                    {
                        break;
                    }
                }
                Err(error) if error.is_single_frame() => {
                    self.summary.unreadable += 1;
                    self.emit_source(Utc::now(), SourceEvent::FrameSkipped { detail: error.to_string() });
                }
                Err(error) if error.is_retryable() => {
                    if !self.recover(source.as_mut(), error) {
                        break;
                    }
                }
                Err(error) => {
                    self.emit_source(Utc::now(), SourceEvent::SourceFailed { detail: error.to_string() });
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

    /// Waits up to `duration`, handling commands as they come.
    fn wait(&mut self, duration: Duration) {
        let deadline = Instant::now() + duration;
        while !self.stopping {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            match self.commands.recv_timeout(left) {
                Ok(command) => self.apply(command, Utc::now()),
                Err(RecvTimeoutError::Timeout) => return,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Retries a lost camera with growing waits until it is back (true) or the engine stops.
    fn recover(&mut self, source: &mut dyn FrameSource, error: SourceError) -> bool {
        self.emit_source(Utc::now(), SourceEvent::CameraLost { detail: error.to_string() });
        // Time without a camera is not monitored time.
        self.previous = None;
        self.motion.reset();
        self.freeze = (None, None);
        let mut wait = RECONNECT_FIRST_S;
        loop {
            self.wait(Duration::from_secs(wait));
            if self.stopping {
                return false;
            }
            match source.reconnect() {
                Ok(()) => {
                    self.emit_source(Utc::now(), SourceEvent::CameraBack { device: source.describe() });
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
    }

    fn apply(&mut self, command: EngineCommand, now: DateTime<Utc>) {
        match command {
            EngineCommand::Stop => self.stopping = true,
            EngineCommand::Pause => {
                let events = self.alerts.pause(now);
                self.handle_alert_events(now, events);
            }
            EngineCommand::Resume => self.alerts.resume(),
            EngineCommand::SnoozeUntil(until) => self.alerts.snooze_until(until),
            EngineCommand::Unsnooze => self.alerts.unsnooze(),
            EngineCommand::SetCalibration(calibration) => {
                self.config.calibration = Some(*calibration);
                self.smoother.reset();
                self.motion.reset();
                self.last_analysis = None;
            }
            EngineCommand::StretchDeclined(name) => {
                if let Some(store) = &self.store
                    && let Err(error) = store.add_answer(now, &name, Answer::NotNow)
                {
                    self.history_failed(now, error.to_string());
                }
            }
            EngineCommand::StretchDone(name) => {
                if let Some(store) = &self.store
                    && let Err(error) = store.add_answer(now, &name, Answer::Done)
                {
                    self.history_failed(now, error.to_string());
                }
            }
        }
    }

    fn process(&mut self, frame: Frame) {
        let now = frame.time;
        self.summary.frames += 1;
        self.summary.started.get_or_insert(now);
        self.summary.ended = Some(now);

        if self.alerts.is_paused() {
            self.account(now, Activity::Paused);
            self.publish(now, frame, None, false);
            return;
        }

        let (changed, thumbnail) = self.motion.changed(&frame.image);
        self.watch_for_freezing(now, &thumbnail);
        let picture = Picture::of_thumbnail(&thumbnail);
        self.note_picture(now, picture);
        if picture != Picture::Usable {
            // Keypoints from such a frame are noise: unknown, never bad, and nothing held over.
            self.last_analysis = None;
            self.motion.reset();
            self.smoother.reset();
            let unknown = Observation::Judged { posture: Posture::Unknown, problems: vec![], excess: 0.0 };
            self.account(
                now,
                Activity::Judged { posture: Posture::Unknown, problems: vec![], metrics: posture::Metrics::default() },
            );
            let events = self.alerts.update(now, &unknown);
            self.handle_alert_events(now, events);
            self.publish(now, frame, None, false);
            return;
        }
        // Nothing moved and the last analysis is recent: its raw result still holds, skip the
        // model. Smoothing still advances, as if the model had measured the same again.
        let still_holds = self
            .last_analysis
            .as_ref()
            .filter(|(at, _, _)| !changed && now - *at < TimeDelta::seconds(MAX_HOLD_S))
            .map(|(_, pose, raw)| (pose.clone(), raw.clone()));
        let held = still_holds.is_some();
        let (pose, raw) = match still_holds {
            Some(analysis) => {
                self.summary.held += 1;
                analysis
            }
            None => match self.analyse(&frame) {
                Ok(result) => {
                    self.motion.remember(thumbnail);
                    self.summary.analysed += 1;
                    self.last_analysis = Some((now, result.0.clone(), result.1.clone()));
                    result
                }
                Err(error) => {
                    self.summary.unreadable += 1;
                    self.emit_source(now, SourceEvent::FrameSkipped { detail: error.to_string() });
                    return;
                }
            },
        };
        let assessment = self.smooth_and_judge(&pose, raw, now);

        let observation = if !pose.person_in_view() {
            Observation::NoPerson
        } else if let Some(reason) = assessment.calibration_stale {
            Observation::Stale(reason)
        } else {
            Observation::Judged {
                posture: assessment.posture,
                problems: assessment.problems.clone(),
                excess: assessment.excess,
            }
        };
        let activity = match &observation {
            Observation::NoPerson => Activity::Away,
            Observation::Stale(_) => {
                Activity::Judged { posture: Posture::Unknown, problems: vec![], metrics: assessment.metrics }
            }
            Observation::Judged { posture, problems, .. } => {
                Activity::Judged { posture: *posture, problems: problems.clone(), metrics: assessment.metrics }
            }
        };
        self.account(now, activity);
        let events = self.alerts.update(now, &observation);
        self.handle_alert_events(now, events);
        self.publish(now, frame, Some((pose, assessment)), held);
    }

    /// Notices a source that sends the very same picture for [`FROZEN_AFTER_S`].
    fn watch_for_freezing(&mut self, now: DateTime<Utc>, thumbnail: &[f32]) {
        if !self.watch_freezing {
            return;
        }
        let (last, since) = &mut self.freeze;
        if last.as_deref() == Some(thumbnail) {
            let since = *since.get_or_insert(now);
            if now - since >= TimeDelta::seconds(FROZEN_AFTER_S) {
                self.frozen = Some(SourceError::CameraFrozen { seconds: FROZEN_AFTER_S });
            }
        } else {
            *last = Some(thumbnail.to_vec());
            *since = None;
        }
    }

    /// Tells the person when the picture becomes unreadable, and when it is fine again.
    fn note_picture(&mut self, now: DateTime<Utc>, picture: Picture) {
        if picture == self.picture {
            return;
        }
        self.picture = picture;
        let event = match picture.advice() {
            Some(advice) => SourceEvent::PictureUnusable { detail: advice.to_owned() },
            None => SourceEvent::PictureUsable,
        };
        self.emit_source(now, event);
    }

    /// Runs the model (on the calibrated person's region first) and the posture stage.
    fn analyse(&mut self, frame: &Frame) -> Result<(Pose, Assessment), crate::pose::PoseError> {
        let frame_size = frame.image.dimensions();
        let calibration = self.config.calibration.as_ref();
        let region = calibration.and_then(|calibration| calibration.region_for(frame_size));
        let pose = self.estimator.estimate_preferring(&frame.image, region)?;
        let assessment = posture::assess(&pose, frame_size, calibration, &self.config.posture);
        Ok((pose, assessment))
    }

    /// Smooths the measures over time and judges the smoothed ones, so one jittery frame
    /// neither starts nor ends a slouch.
    fn smooth_and_judge(&mut self, pose: &Pose, mut assessment: Assessment, now: DateTime<Utc>) -> Assessment {
        let seconds = now.timestamp_micros() as f64 / 1e6;
        match (assessment.placement, assessment.calibration_stale, pose.person_in_view()) {
            (Some(placement), None, true) => {
                let smoothed = self.smoother.smooth(&assessment.metrics, seconds);
                let calibration = self.config.calibration.as_ref().filter(|c| c.placement == placement);
                let judgement = verdict::judge(&smoothed, placement, calibration, &self.config.posture);
                assessment.metrics = smoothed;
                assessment.posture = judgement.posture;
                assessment.problems = judgement.problems;
                assessment.excess = judgement.excess;
            }
            _ => self.smoother.reset(),
        }
        assessment
    }

    /// Attributes the time since the previous frame to the previous frame's activity.
    fn account(&mut self, now: DateTime<Utc>, activity: Activity) {
        if let Some((from, previous)) = self.previous.take() {
            let rows = self.minutes.record(from, now, &previous);
            self.add_to_summary(from, now, &previous);
            self.save_minutes(now, rows);
        }
        self.previous = Some((now, activity));
    }

    fn add_to_summary(&mut self, from: DateTime<Utc>, to: DateTime<Utc>, activity: &Activity) {
        let seconds = (to - from).as_seconds_f64().min(crate::history::minutes::MAX_FRAME_SPAN_S);
        match activity {
            Activity::Away => self.summary.away_s += seconds,
            Activity::Paused => {}
            Activity::Judged { posture, .. } => {
                self.summary.monitored_s += seconds;
                match posture {
                    Posture::Good => self.summary.good_s += seconds,
                    Posture::Bad => self.summary.bad_s += seconds,
                    Posture::Unknown => {}
                }
            }
        }
    }

    fn save_minutes(&mut self, now: DateTime<Utc>, rows: Vec<MinuteRow>) {
        if rows.is_empty() && self.pending_minutes.is_empty() {
            return;
        }
        self.pending_minutes.extend(rows);
        let Some(store) = &self.store else {
            self.trim_pending();
            return;
        };
        let mut failure = None;
        let mut saved = 0;
        for row in &self.pending_minutes {
            match store.add_minute(row) {
                Ok(()) => saved += 1,
                Err(error) => {
                    failure = Some(error.to_string());
                    break;
                }
            }
        }
        self.pending_minutes.drain(..saved);
        match failure {
            Some(detail) => self.history_failed(now, detail),
            None if self.history_warned => {
                // Said again if writing fails again later.
                self.history_warned = false;
                self.emit_source(now, SourceEvent::HistoryBack);
            }
            None => {}
        }
        self.trim_pending();
    }

    fn trim_pending(&mut self) {
        if self.pending_minutes.len() > MAX_PENDING_MINUTES {
            let excess = self.pending_minutes.len() - MAX_PENDING_MINUTES;
            self.pending_minutes.drain(..excess);
        }
    }

    fn history_failed(&mut self, now: DateTime<Utc>, detail: String) {
        if !self.history_warned {
            self.history_warned = true;
            self.emit_source(now, SourceEvent::HistoryUnavailable { detail });
        }
    }

    fn handle_alert_events(&mut self, now: DateTime<Utc>, events: Vec<AlertEvent>) {
        for event in events {
            self.record(now, &event);
            if let AlertEvent::Warning { .. } = event {
                self.summary.warnings += 1;
            }
            if let Some(notifier) = &mut self.notifier {
                notifier.notify(&event);
            }
            let mut timed = TimedEvent::plain(now, EngineEvent::Alert(event.clone()));
            if let Some(coach) = &mut self.coach {
                match &event {
                    AlertEvent::Warning { problems, .. } => {
                        let context = suggestion_context(self.store.as_ref(), now);
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
            let _ = self.out.send(EngineMessage::Event(timed));
        }
    }

    /// Writes an alert event to the history, if it belongs there.
    fn record(&mut self, now: DateTime<Utc>, event: &AlertEvent) {
        let Some(store) = &self.store else {
            return;
        };
        let result = match event {
            AlertEvent::Warning { problems, severity, .. } => store.add_warning(now, problems, Some(*severity), false),
            AlertEvent::WarningSnoozed { problems } => store.add_warning(now, problems, None, true),
            AlertEvent::EpisodeEnded { start, end, problems, peak, warned } => {
                store.add_episode(*start, *end, problems, *peak, *warned)
            }
            AlertEvent::Back { away_for_s, was_break: true } => {
                store.add_break(now - TimeDelta::seconds(*away_for_s), now)
            }
            AlertEvent::BreakReminder { sitting_for_min } => store.add_reminder(now, *sitting_for_min),
            _ => Ok(()),
        };
        if let Err(error) = result {
            self.history_failed(now, error.to_string());
        }
    }

    fn emit_source(&mut self, time: DateTime<Utc>, event: SourceEvent) {
        tracing::info!(?event, "source event");
        let _ = self.out.send(EngineMessage::Event(TimedEvent::plain(time, EngineEvent::Source(event))));
    }

    fn publish(&mut self, now: DateTime<Utc>, frame: Frame, analysis: Option<(Pose, Assessment)>, held: bool) {
        let frame_size = frame.image.dimensions();
        let preview = self.config.preview.then(|| std::sync::Arc::new(frame.image));
        let (pose, assessment) = match analysis {
            Some((pose, assessment)) => (Some(pose), Some(assessment)),
            None => (None, None),
        };
        let snapshot = Snapshot {
            time: now,
            frame_size,
            pose,
            assessment,
            held,
            alert_state: self.alerts.state(now),
            picture: self.picture,
            preview,
        };
        let _ = self.out.send(EngineMessage::Snapshot(Box::new(snapshot)));
    }

    /// Accounts the last frame's interval, flushes the history and reports the totals.
    fn finish(&mut self) {
        if let Some((from, activity)) = self.previous.take() {
            let to = from + self.interval();
            let rows = self.minutes.record(from, to, &activity);
            self.add_to_summary(from, to, &activity);
            self.save_minutes(to, rows);
            let end_events = self.alerts.pause(to);
            self.handle_alert_events(to, end_events);
        }
        if let Some(last) = self.minutes.flush() {
            self.save_minutes(self.summary.ended.unwrap_or_else(Utc::now), vec![last]);
        }
        let _ = self.out.send(EngineMessage::Finished(self.summary.clone()));
    }
}
