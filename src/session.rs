//! The one way to start monitoring, and the composition root above the engine: where frames
//! come from, which model, which history folder, and the engine's settings in; a running
//! engine with its bus interface and lock watcher (or a typed error that says what to do) out.
//! `slouchwatch run`, the window and the tray all start their engines here, so a camera, a
//! model or a history is opened the same way whoever asks. The engine knows nothing of the bus:
//! it is handed [`crate::control::ControlState`] as its status sink, and this session owns the
//! service that serves it and the watcher that pauses on a locked screen.
//!
//! The order is the person's: the camera is checked first (the commonest problem, and the one
//! they can fix at once), then the model is loaded, then the history folder is locked.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::control::lock::LockWatch;
use crate::control::service::ControlService;
use crate::engine::{EngineCommand, EngineConfig, EngineHandle, EngineMessage, Summary, spawn};
use crate::history::{self, AlreadyMonitoring};
use crate::pose::{ModelChoice, ModelError, PoseEstimator};
use crate::source::camera;
use crate::source::guard::{Build, GuardedSource};
use crate::source::replay::ReplaySource;
use crate::source::stand_in::{self, StandInCamera};
use crate::source::{FrameSource, SourceError, SourceFactory, SourceSpec};

/// How to treat a camera that cannot be opened when monitoring starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraCheck {
    /// Open it now and fail if it cannot be (`slouchwatch run`).
    Require,
    /// Open it now; if it is missing or busy, start anyway and wait for it (`run
    /// --wait-for-camera`), with a notice.
    WaitIfMissing,
    /// Do not open it here: the engine thread opens it and reports "camera lost" until it
    /// can, which the window shows with a Retry button.
    OnEngineThread,
}

/// Where a monitoring session gets frames, its model and its history.
#[derive(Debug, Clone)]
pub struct SessionSpec {
    /// A camera or a folder of images to replay.
    pub source: SourceSpec,
    /// The time of a replay's first frame (`None`: now).
    pub replay_start: Option<DateTime<Utc>>,
    /// A replay's speed, virtual seconds per real second (`None`: as fast as it can go).
    pub replay_speed: Option<f64>,
    /// What to do about a camera that cannot be opened at the start.
    pub camera_check: CameraCheck,
    /// The pose model.
    pub model: ModelChoice,
    /// The history folder (`None`: the platform data folder).
    pub data_dir: Option<PathBuf>,
    /// Serve the bus interface for control from outside ([`crate::control`]).
    pub control: bool,
    /// Whoever reads this engine can show the window when asked (the window or the tray, not
    /// `run`): the bus interface's `Open` is offered.
    pub window: bool,
}

impl SessionSpec {
    /// A spec for `source` with the defaults: replays start now at full speed, the camera
    /// must open, the built-in fast model, the platform data folder, no bus interface.
    pub fn new(source: SourceSpec) -> SessionSpec {
        SessionSpec {
            source,
            replay_start: None,
            replay_speed: None,
            camera_check: CameraCheck::Require,
            model: ModelChoice::Lightning,
            data_dir: None,
            control: false,
            window: false,
        }
    }
}

/// Why monitoring could not start.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The camera or the replay folder cannot be used.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The pose model cannot be loaded.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Another slouchwatch monitors with the same history.
    #[error(transparent)]
    AlreadyMonitoring(#[from] AlreadyMonitoring),
    /// The engine thread could not be started.
    #[error("cannot start the monitoring thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// A running monitoring session: the engine, and what serves it from outside while it runs.
pub struct Session {
    /// The engine: messages out, commands in.
    handle: EngineHandle,
    /// What the person should know (waiting for the camera, a history moved aside or not
    /// available).
    pub notices: Vec<String>,
    /// The bus interface, served while the engine runs (dropped after it stopped).
    control: Option<ControlService>,
    /// The screen lock and sleep watchers, ended with the engine.
    lock_watch: Option<LockWatch>,
    /// The watcher of presenting (Do Not Disturb, fullscreen), ended with the engine.
    quiet_watch: Option<crate::control::quiet::QuietWatch>,
}

impl Session {
    /// Snapshots, events and the final summary.
    pub fn messages(&self) -> &std::sync::mpsc::Receiver<EngineMessage> {
        &self.handle.messages
    }

    /// A sender for commands.
    pub fn commands(&self) -> std::sync::mpsc::Sender<EngineCommand> {
        self.handle.commands()
    }

    /// What stops the engine from a Ctrl-C handler (also ending a wait for a stuck camera).
    pub fn stopper(&self) -> crate::engine::Stopper {
        self.handle.stopper()
    }

    /// Sends a command; false if the engine has already stopped.
    pub fn send(&self, command: EngineCommand) -> bool {
        self.handle.send(command)
    }

    /// Asks the engine to stop and waits for it; then the bus interface and the watchers end.
    pub fn stop(self) {
        let Session { handle, control, lock_watch, quiet_watch, .. } = self;
        handle.stop();
        drop((control, lock_watch, quiet_watch));
    }

    /// Asks the engine to stop, waits for it, and returns its summary (see
    /// [`EngineHandle::finish`]); then the bus interface and the watchers end.
    pub fn finish(self) -> Option<Summary> {
        let Session { handle, control, lock_watch, quiet_watch, .. } = self;
        let summary = handle.finish();
        drop((control, lock_watch, quiet_watch));
        summary
    }

    /// Waits for the engine thread to end (a replay ends by itself).
    pub fn join(self) {
        let Session { handle, control, lock_watch, quiet_watch, .. } = self;
        handle.join();
        drop((control, lock_watch, quiet_watch));
    }
}

/// Opens the source, loads the model, opens the history and starts the engine with `config`.
pub fn start(spec: &SessionSpec, config: EngineConfig) -> Result<Session, SessionError> {
    let mut notices = Vec::new();
    let make_source = source_factory(spec, config.fps, &mut notices)?;
    let started = std::time::Instant::now();
    let estimator = PoseEstimator::load(&spec.model)?;
    tracing::debug!(model = %spec.model, seconds = started.elapsed().as_secs_f32(), "pose model loaded");
    let (store, notice) = history::open_for_monitoring(spec.data_dir.as_deref())?;
    notices.extend(notice);
    let control = spec.control.then(crate::control::ControlState::new);
    let status = control.clone().map(|state| state as std::sync::Arc<dyn crate::engine::sinks::StatusSink>);
    let quiet_while_presenting = config.quiet_while_presenting;
    let config = EngineConfig { status, ..config };
    let handle = spawn(config, make_source, estimator, store)?;
    let mut session = Session { handle, notices, control: None, lock_watch: None, quiet_watch: None };
    if quiet_while_presenting {
        match crate::control::quiet::watch(session.commands()) {
            Ok(watch) => session.quiet_watch = Some(watch),
            Err(error) => tracing::warn!("presenting is not watched: {error}"),
        }
    }
    if let Some(state) = control {
        if spec.window {
            state.offer_window();
        }
        match ControlService::start(state, session.commands()) {
            Ok(service) => session.control = Some(service),
            Err(reason) => session.notices.push(format!(
                "{reason}; `slouchwatch status` and the other control commands will not reach this monitor"
            )),
        }
        // Not being able to watch the lock (no system bus in a container) is only logged.
        let (watch, missing) = crate::control::lock::watch(session.commands());
        for missing in missing {
            tracing::info!("{missing}");
        }
        session.lock_watch = Some(watch);
    }
    Ok(session)
}

/// Opens a replay folder now (so a wrong folder is reported before anything starts), or checks
/// the camera as `spec.camera_check` says; the engine thread opens the camera again.
fn source_factory(spec: &SessionSpec, fps: f64, notices: &mut Vec<String>) -> Result<SourceFactory, SourceError> {
    match &spec.source {
        SourceSpec::Folder(folder) => {
            let mut replay = ReplaySource::open(folder, fps, spec.replay_start.unwrap_or_else(Utc::now))?;
            if let Some(node) = stand_in::camera_node_from_env() {
                // A testing aid: the replay behaves as the camera at that node, on the camera's
                // guarded path (opened, watched, given over, reopened).
                let build: Build = std::sync::Arc::new(move || {
                    Box::new(StandInCamera::new(replay.clone(), &node)) as Box<dyn FrameSource>
                });
                return Ok(Box::new(move || Ok(Box::new(GuardedSource::new(build)) as Box<dyn FrameSource>)));
            }
            if let Some(speed) = spec.replay_speed {
                replay = replay.with_speed(speed);
            }
            Ok(Box::new(move || Ok(Box::new(replay) as Box<dyn FrameSource>)))
        }
        SourceSpec::Camera(selector) => {
            let probe = match spec.camera_check {
                CameraCheck::OnEngineThread => Ok(()),
                CameraCheck::Require | CameraCheck::WaitIfMissing => {
                    // Closed before the engine opens it (a guarded source closes it on its own
                    // thread, so closing is asked for rather than left to the drop).
                    let mut probe = camera::guarded(selector.clone());
                    let opened = probe.reconnect();
                    probe.release();
                    opened
                }
            };
            match probe {
                Ok(()) => {}
                Err(error) if spec.camera_check == CameraCheck::WaitIfMissing && error.is_retryable() => {
                    notices.push(format!("waiting for the camera: {error}"));
                }
                // A call has the camera: waited for, never an error (the engine gives it over).
                Err(error @ SourceError::CameraInUseBy { .. }) => notices.push(error.to_string()),
                Err(error) => return Err(error),
            }
            let selector = selector.clone();
            Ok(Box::new(move || Ok(Box::new(camera::guarded(selector)) as Box<dyn FrameSource>)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineMessage;

    #[test]
    fn a_missing_replay_folder_is_a_source_error_before_anything_starts() {
        let dir = tempfile::tempdir().unwrap();
        let spec = SessionSpec {
            data_dir: Some(dir.path().join("data")),
            ..SessionSpec::new(SourceSpec::Folder(dir.path().join("no-such-folder")))
        };
        let error = start(&spec, EngineConfig::default()).err().expect("no folder, no session");
        assert!(matches!(error, SessionError::Source(_)), "{error}");
        assert!(!dir.path().join("data").exists(), "the history is not touched");
    }

    #[test]
    fn a_second_session_on_the_same_history_is_refused_while_the_first_runs() {
        let dir = tempfile::tempdir().unwrap();
        let frames = dir.path().join("frames");
        std::fs::create_dir(&frames).unwrap();
        for index in 0..20 {
            image::RgbImage::from_pixel(64, 48, image::Rgb([90, 90, 90]))
                .save(frames.join(format!("{index:03}.png")))
                .unwrap();
        }
        // Twenty frames at two a second in real time: ten seconds, far longer than the checks.
        let spec = SessionSpec {
            data_dir: Some(dir.path().join("data")),
            replay_speed: Some(1.0),
            ..SessionSpec::new(SourceSpec::Folder(frames.clone()))
        };
        let config = EngineConfig { notifications: false, ..EngineConfig::default() };
        let first = start(&spec, config.clone()).unwrap();
        let second = start(&spec, config);
        assert!(matches!(second, Err(SessionError::AlreadyMonitoring(_))), "only one may write the history");
        first.send(crate::engine::EngineCommand::Stop);
        let finished = first.messages().iter().any(|message| matches!(message, EngineMessage::Finished(_)));
        assert!(finished, "the first session stops cleanly");
    }
}
