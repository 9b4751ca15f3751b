//! The live engine: a named worker thread that runs source -> pose -> posture -> alerts -> sinks
//! (history, notifications, the channel the window or CLI reads) and publishes small snapshots.
//!
//! Glue, not logic: the decisions live in the pure modules ([`crate::posture`],
//! [`crate::alerts`], [`crate::history::minutes`]) and in [`step`], which takes one frame through
//! them without any I/O. The files:
//!
//! - this file: the public face ([`EngineConfig`], [`EngineCommand`], [`EngineMessage`],
//!   [`EngineHandle`], [`spawn`]);
//! - [`worker`]: the thread: commands, pacing, reconnecting, finishing;
//! - [`step`]: one frame's decisions, returned as a [`step::FrameOutcome`];
//! - [`sinks`]: history, desktop notifications, the message channel;
//! - [`summary`]: the run summary and the day's totals, folded from minute rows;
//! - [`motion`], [`picture`]: the cheap per-frame checks that decide whether the model runs;
//! - [`yielding`]: giving the camera over while another program uses it or a microphone.

pub mod calibrate;
pub mod freeze;
pub mod motion;
pub mod outcome;
pub mod picture;
pub mod sinks;
pub mod status;
pub mod step;
pub mod summary;
pub mod tracking;
pub mod worker;
pub mod yielding;

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::alerts::{AlertEvent, AlertSettings, AlertState};
use crate::coach::{Catalog, Routine};
use crate::history::HistoryStore;
use crate::pose::{Pose, PoseEstimator};
use crate::posture::setups::{SetupBook, SetupTag};
use crate::posture::{Assessment, Calibration, PlacementSetting, PostureSettings};
use crate::source::SourceFactory;
use calibrate::CalibrateError;
use picture::Picture;
use sinks::ChannelSink;
pub use sinks::history::MAX_PENDING_MINUTES;
pub use step::MAX_HOLD_S;
pub use summary::{DayTotals, Summary};
use worker::Worker;
pub use worker::{ANSWER_MEMORY_DAYS, BREAK_ROUTINE_MINUTES, RECONNECT_FIRST_S, RECONNECT_MAX_S};

/// Default analysis rate, frames a second: posture changes slowly, and every analysed frame
/// costs CPU.
pub const DEFAULT_ANALYSIS_FPS: f64 = 2.0;

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
    /// Told the state of monitoring for control from outside (the bus interface), if served.
    pub status: Option<std::sync::Arc<dyn sinks::StatusSink>>,
    /// A command of the user's run on warnings, clears, away, back and break reminders, with
    /// the event's JSON on its standard input ([`sinks::hooks`]).
    pub hook: Option<String>,
    /// The user's setups: when there are any, the engine judges against the one that fits the
    /// camera and where the person is, and `calibration` is not used.
    pub setups: SetupBook,
    /// The camera's name, for picking a setup (`None`: not known, every setup fits).
    pub camera: Option<String>,
    /// Where the setups are saved when the engine changes them (a dispute widened a limit, a
    /// setup switched); `None`: changes last as long as the engine.
    pub setups_sink: Option<std::sync::Arc<dyn sinks::SetupsSink>>,
    /// Give the camera over while another program opens it or records from a microphone (a
    /// video call), taking it back when they have let go for [`EngineConfig::yield_grace`].
    pub yield_to_others: bool,
    /// How long the others must have let go before the camera is taken back.
    pub yield_grace: std::time::Duration,
    /// Hold warnings back while the desktop's Do Not Disturb is on or a window is fullscreen
    /// (the session starts the watcher; the engine obeys [`EngineCommand::Quiet`] either way).
    pub quiet_while_presenting: bool,
    /// The nudge beside the notification while a warning stands (`None`: none).
    pub nudge: Option<std::sync::Arc<dyn sinks::NudgeSink>>,
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
            status: None,
            hook: None,
            setups: SetupBook::default(),
            camera: None,
            setups_sink: None,
            yield_to_others: false,
            yield_grace: std::time::Duration::from_secs(yielding::YIELD_GRACE_S),
            quiet_while_presenting: false,
            nudge: None,
        }
    }
}

/// A screen of the window someone asked for from outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowRequest {
    /// The live view.
    Live,
    /// The calibration wizard.
    Calibration,
    /// Today's report.
    Report,
}

impl WindowRequest {
    /// The name used on the bus.
    pub fn name(self) -> &'static str {
        match self {
            WindowRequest::Live => "live",
            WindowRequest::Calibration => "calibration",
            WindowRequest::Report => "report",
        }
    }

    /// The request named `name` on the bus.
    pub fn from_name(name: &str) -> Option<WindowRequest> {
        [WindowRequest::Live, WindowRequest::Calibration, WindowRequest::Report]
            .into_iter()
            .find(|request| request.name() == name)
    }
}

/// What the window (or the CLI) can ask of a running engine.
#[derive(Debug, Clone)]
pub enum EngineCommand {
    /// Stop, flush history, end the thread.
    Stop,
    /// Pause monitoring (the camera is closed) until resumed.
    Pause,
    /// Pause monitoring until then (a call, a meeting), then resume by itself.
    PauseUntil(DateTime<Utc>),
    /// Resume monitoring.
    Resume,
    /// Nobody can be at the desk (screen locked, machine asleep): pause until every hold is
    /// released, unless the user paused already.
    Hold(Hold),
    /// A [`EngineCommand::Hold`] ended (unlocked, awake).
    Release(Hold),
    /// No posture warnings until then.
    SnoozeUntil(DateTime<Utc>),
    /// End a snooze.
    Unsnooze,
    /// Take the next few seconds of frames and measure a calibration from them (answered with
    /// [`EngineMessage::Calibration`] updates; the calibration is not used until it is put in a
    /// setup and sent with [`EngineCommand::SetSetups`]).
    Calibrate(PlacementSetting),
    /// Stop taking calibration frames.
    CancelCalibration,
    /// Record a stretch done (entry id).
    StretchDone(String),
    /// Record that a suggestion was declined (entry id).
    StretchDeclined(String),
    /// Someone outside asked to see the window at this screen (`slouchwatch calibrate`, a
    /// second `slouchwatch`): passed on as [`EngineMessage::ShowWindow`] to whoever shows it.
    ShowWindow(WindowRequest),
    /// "I'm sitting fine": the warning standing (or just shown) was wrong for this person.
    Dispute,
    /// Another program started using the camera or a microphone: give the camera over (a pause
    /// that the user's own Pause and Resume leave alone).
    Yield(InUseElsewhere),
    /// The other program has let go (for the grace period): take the camera back, unless
    /// something else still holds monitoring.
    Reclaim(OtherUse),
    /// The desktop asks for quiet (Do Not Disturb, a fullscreen window), or no longer
    /// (`None`): warnings are held back meanwhile, and one still standing is shown after.
    Quiet(Option<Quiet>),
    /// The user's setups changed (a new setup, a reset limit, a removed setup): use these. The
    /// sender has saved them; the engine neither writes them again nor sends them back.
    SetSetups(Box<SetupBook>),
}

/// What someone asked of monitoring that outlasts one engine (a pause, a snooze). When the
/// window closes to the tray, or opens from it, the next engine starts in the same state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Carry {
    /// Paused by the user until resumed (not by a locked screen: the next engine's lock
    /// watcher decides that again).
    pub paused: bool,
    /// A pause for a while ends then.
    pub paused_until: Option<DateTime<Utc>>,
    /// Warnings are snoozed until then.
    pub snoozed_until: Option<DateTime<Utc>>,
}

impl Carry {
    /// The commands that put a new engine in this state at `now`; what has run out is dropped.
    pub fn commands(&self, now: DateTime<Utc>) -> Vec<EngineCommand> {
        let mut commands = Vec::new();
        match self.paused_until {
            Some(until) if until > now => commands.push(EngineCommand::PauseUntil(until)),
            Some(_) => {}
            None if self.paused => commands.push(EngineCommand::Pause),
            None => {}
        }
        if let Some(until) = self.snoozed_until.filter(|&until| until > now) {
            commands.push(EngineCommand::SnoozeUntil(until));
        }
        commands
    }
}

/// Why monitoring is held by the desktop session rather than by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The screen is locked.
    Locked,
    /// The machine is going to sleep.
    Asleep,
    /// Another program is using the camera, or a microphone (a call): the camera is given over.
    OtherUse(OtherUse),
}

/// What another program is using, for which the camera is given over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherUse {
    /// It opened the camera.
    Camera,
    /// It records from a microphone: a call, whose camera may come next.
    Microphone,
}

/// Why warnings are held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quiet {
    /// The desktop's Do Not Disturb is on.
    DoNotDisturb,
    /// The active window is fullscreen (presenting, sharing the screen).
    Fullscreen,
}

/// The other program the camera is given over to, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InUseElsewhere {
    /// The program, as the system names it ("zoom", "firefox").
    pub program: String,
    /// What it uses.
    pub uses: OtherUse,
}

impl InUseElsewhere {
    /// "the camera is in use by zoom", "zoom is recording from a microphone (a call?)".
    pub fn words(&self) -> String {
        match self.uses {
            OtherUse::Camera => format!("the camera is in use by {}", self.program),
            OtherUse::Microphone => format!("{} is recording from a microphone (a call?)", self.program),
        }
    }
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
    /// Another program uses the camera (or a microphone): the camera is closed for it.
    CameraYielded {
        /// The program.
        program: String,
        /// What it uses.
        uses: OtherUse,
    },
    /// The other program let go: the camera is taken back.
    CameraReclaimed,
    /// A warning came while the desktop asked for quiet: recorded, not shown or notified (shown
    /// when the quiet ends, if it still stands).
    WarningHeldBack {
        /// What is wrong.
        problems: Vec<crate::posture::Problem>,
        /// Why it is quiet.
        quiet: Quiet,
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
    /// The person moved into another of their setups (sat at the laptop, stood up at the
    /// standing desk): judged against it from now on.
    SetupChanged {
        /// Its name.
        name: String,
        /// Whether it is a standing setup.
        standing: bool,
    },
    /// The person sits where none of their setups fits: not judged until they pick one by
    /// calibrating it (again) or go back.
    NoSetupFits {
        /// The setups there are, comma-separated.
        setups: String,
    },
    /// The person answered a warning "I'm sitting fine".
    WarningDisputed {
        /// The warning's problems.
        problems: Vec<crate::posture::Problem>,
        /// The problems whose limit this widened a step (in the setup in use).
        widened: Vec<crate::posture::Problem>,
        /// The setup it counted for, if named.
        setup: Option<String>,
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
    /// An event with nothing attached.
    pub fn plain(time: DateTime<Utc>, event: EngineEvent) -> TimedEvent {
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
    /// Today's totals so far, from the same minute rows the history and the report use.
    pub today: DayTotals,
    /// When warnings are snoozed: until when.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// When a pause for a while ends by itself.
    pub paused_until: Option<DateTime<Utc>>,
    /// The setup judged against, if named.
    pub setup: Option<SetupTag>,
    /// Set when the person sits where none of their setups fits (then nothing is judged).
    pub no_setup_fits: bool,
    /// While the camera is given over to another program (and the user has not paused): to whom.
    pub in_use_elsewhere: Option<InUseElsewhere>,
}

/// Messages from the engine thread.
#[derive(Debug, Clone)]
pub enum EngineMessage {
    /// A frame was processed.
    Snapshot(Box<Snapshot>),
    /// Something happened.
    Event(TimedEvent),
    /// How a calibration asked for with [`EngineCommand::Calibrate`] is going.
    Calibration(CalibrationUpdate),
    /// The engine stopped.
    Finished(Summary),
    /// Show the window at this screen (from [`EngineCommand::ShowWindow`]).
    ShowWindow(WindowRequest),
    /// The setups as the engine now has them (after a dispute or a switch).
    Setups(Box<SetupBook>),
}

/// How a calibration is going.
#[derive(Debug, Clone)]
pub enum CalibrationUpdate {
    /// Frames taken so far.
    Captured {
        /// Taken.
        frames: usize,
        /// Wanted.
        wanted: usize,
    },
    /// All frames are in; the model is measuring them.
    Measuring,
    /// Measured: the calibration to show for approval.
    Done(Box<Calibration>),
    /// It could not be made.
    Failed(CalibrateError),
}

/// A running engine: read [`EngineHandle::messages`], send commands, join at the end.
pub struct EngineHandle {
    /// Snapshots, events and the final summary.
    pub messages: Receiver<EngineMessage>,
    commands: Sender<EngineCommand>,
    /// Set with every Stop: the source stops waiting for a camera that does not answer.
    stopping: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Stops an engine from elsewhere (a Ctrl-C handler): the Stop command, and the flag that ends
/// a wait for a stuck camera at once rather than at the guard's limit.
#[derive(Clone)]
pub struct Stopper {
    commands: Sender<EngineCommand>,
    stopping: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Stopper {
    /// Asks the engine to stop.
    pub fn stop(&self) {
        self.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = self.commands.send(EngineCommand::Stop);
    }
}

impl EngineHandle {
    /// What stops this engine from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper { commands: self.commands.clone(), stopping: self.stopping.clone() }
    }

    /// A sender for commands (clone it for a Ctrl-C handler).
    pub fn commands(&self) -> Sender<EngineCommand> {
        self.commands.clone()
    }

    /// Sends a command; false if the engine has already stopped.
    pub fn send(&self, command: EngineCommand) -> bool {
        if matches!(command, EngineCommand::Stop) {
            self.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        self.commands.send(command).is_ok()
    }

    /// Asks the engine to stop and waits for it.
    pub fn stop(mut self) {
        self.stopper().stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Asks the engine to stop, waits for it, and returns its summary (with the state to carry
    /// to the next engine), or `None` if the summary was already read.
    pub fn finish(mut self) -> Option<Summary> {
        self.stopper().stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.messages.try_iter().find_map(|message| match message {
            EngineMessage::Finished(summary) => Some(summary),
            _ => None,
        })
    }

    /// Waits for the engine thread to end (a replay ends by itself).
    pub fn join(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
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
    let answers = commands.clone();
    let stopping = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let told = stopping.clone();
    let thread = std::thread::Builder::new().name("slouchwatch-engine".into()).spawn(move || {
        let worker = Worker::new(config, estimator, store, ChannelSink::new(message_tx), command_rx, answers);
        match make_source() {
            Ok(mut source) => {
                source.stop_waiting_when(told);
                worker.run(source)
            }
            Err(error) => worker.fail(error.to_string()),
        }
    })?;
    Ok(EngineHandle { messages, commands, stopping, thread: Some(thread) })
}
