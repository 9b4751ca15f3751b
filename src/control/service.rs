//! The bus interface, served on its own thread for as long as the engine runs. Method calls
//! become engine commands; the state comes from [`ControlState`], which the engine keeps
//! current, and listeners are told when it changes.

use std::sync::Arc;
use std::sync::mpsc::Sender;

use chrono::Utc;
use zbus::object_server::SignalEmitter;

use super::ControlState;
use super::calls::{self, Call, RefusalKind};
#[cfg(not(windows))]
use super::{BUS_NAME, OBJECT_PATH};
use crate::engine::EngineCommand;

/// The served object.
struct Monitor {
    state: Arc<ControlState>,
    commands: Sender<EngineCommand>,
}

impl Monitor {
    /// Answers `call` as every carrier does ([`calls::answer`]), its refusal as a bus error.
    fn answer(&self, call: Call) -> zbus::fdo::Result<Option<super::MonitorStatus>> {
        calls::answer(&call, &self.state, &self.commands, Utc::now()).map_err(|refusal| match refusal.kind {
            RefusalKind::InvalidArgs => zbus::fdo::Error::InvalidArgs(refusal.message),
            RefusalKind::NotSupported => zbus::fdo::Error::NotSupported(refusal.message),
            RefusalKind::Failed => zbus::fdo::Error::Failed(refusal.message),
        })
    }
}

#[zbus::interface(name = "io.github.slouchwatch.Monitor1")]
impl Monitor {
    /// Pauses monitoring (the camera is closed) for `seconds`, or until Resume when 0.
    fn pause(&self, seconds: u32) -> zbus::fdo::Result<()> {
        self.answer(Call::Pause { seconds }).map(drop)
    }

    /// Resumes monitoring.
    fn resume(&self) -> zbus::fdo::Result<()> {
        self.answer(Call::Resume).map(drop)
    }

    /// No posture warnings for `seconds`.
    fn snooze(&self, seconds: u32) -> zbus::fdo::Result<()> {
        self.answer(Call::Snooze { seconds }).map(drop)
    }

    /// Ends a snooze.
    fn unsnooze(&self) -> zbus::fdo::Result<()> {
        self.answer(Call::Unsnooze).map(drop)
    }

    /// "I'm sitting fine": answers the warning standing (or shown in the last minutes).
    fn dispute(&self) -> zbus::fdo::Result<()> {
        self.answer(Call::Dispute).map(drop)
    }

    /// Shows the window at `screen` (`live`, `calibration` or `report`).
    fn open(&self, screen: &str) -> zbus::fdo::Result<()> {
        self.answer(Call::Open { screen: screen.to_owned() }).map(drop)
    }

    /// The status as JSON.
    fn status(&self) -> String {
        serde_json::to_string(&self.state.status()).unwrap_or_default()
    }

    /// The state (see `slouchwatch::control::STATES`).
    #[zbus(property)]
    fn state(&self) -> String {
        self.state.status().state
    }

    /// Sent when the state (or its words) changes.
    #[zbus(signal, name = "StateChanged")]
    async fn announce_state(emitter: &SignalEmitter<'_>, state: &str, words: &str) -> zbus::Result<()>;
}

/// Why the bus interface is not offered (said once; monitoring goes on without it).
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// No session bus, or another monitor holds the name.
    #[error("control from outside is off ({0})")]
    NoBus(#[source] zbus::Error),
    /// The interface could not be put on the bus.
    #[error("control from outside is off (the interface was not served)")]
    NotServed,
    /// No thread could be started for it.
    #[error("control from outside is off (no thread for it: {0})")]
    NoThread(#[source] std::io::Error),
    /// Its thread ended before saying whether it worked.
    #[error("control from outside is off (the control thread ended at once)")]
    ThreadEnded,
    /// The named pipe could not be served (Windows).
    #[cfg(windows)]
    #[error("control from outside is off ({0})")]
    Pipe(#[source] crate::win32::pipe::PipeError),
}

/// The running service; dropping it releases the name and ends the thread.
pub struct ControlService {
    state: Arc<ControlState>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Windows: the named pipe, served on its own thread.
    #[cfg(windows)]
    _pipe: Option<crate::win32::pipe::PipeServer>,
}

impl ControlService {
    /// Windows: serves the calls on the user's named pipe ([`super::pipe_name`]). Fails (with a
    /// reason to show once) when another monitor serves it.
    #[cfg(windows)]
    pub fn start(state: Arc<ControlState>, commands: Sender<EngineCommand>) -> Result<ControlService, ControlError> {
        let answered = state.clone();
        let pipe = crate::win32::pipe::PipeServer::serve(&super::pipe_name(), "slouchwatch-control", move |line| {
            calls::answer_line(line, &answered, &commands, Utc::now())
        })
        .map_err(ControlError::Pipe)?;
        Ok(ControlService { state, thread: None, _pipe: Some(pipe) })
    }

    /// Takes the name on the session bus and serves the interface. Fails (with a reason to show
    /// once) when there is no session bus or another monitor holds the name.
    #[cfg(not(windows))]
    pub fn start(state: Arc<ControlState>, commands: Sender<EngineCommand>) -> Result<ControlService, ControlError> {
        let (ready_tx, ready) = std::sync::mpsc::channel::<Result<(), ControlError>>();
        let served = state.clone();
        let thread = std::thread::Builder::new()
            .name("slouchwatch-control".into())
            .spawn(move || serve(served, commands, ready_tx))
            .map_err(ControlError::NoThread)?;
        match ready.recv() {
            Ok(Ok(())) => Ok(ControlService { state, thread: Some(thread) }),
            Ok(Err(reason)) => {
                let _ = thread.join();
                Err(reason)
            }
            Err(_) => Err(ControlError::ThreadEnded),
        }
    }
}

impl Drop for ControlService {
    fn drop(&mut self) {
        self.state.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(not(windows))]
/// The thread: builds the connection, says whether it worked, then tells listeners of each new
/// state until asked to stop. The connection is served while this thread waits in `block_on`.
fn serve(state: Arc<ControlState>, commands: Sender<EngineCommand>, ready: Sender<Result<(), ControlError>>) {
    zbus::block_on(async move {
        let monitor = Monitor { state: state.clone(), commands };
        let built = zbus::connection::Builder::session().name(BUS_NAME).serve_at(OBJECT_PATH, monitor).build().await;
        let connection = match built {
            Ok(connection) => connection,
            Err(error) => {
                let _ = ready.send(Err(ControlError::NoBus(error)));
                return;
            }
        };
        let Ok(interface) = connection.object_server().interface::<_, Monitor>(OBJECT_PATH).await else {
            let _ = ready.send(Err(ControlError::NotServed));
            return;
        };
        let _ = ready.send(Ok(()));
        let mut told = state.status();
        loop {
            // Listen before looking, so a change in between is not missed.
            let listener = state.changed.listen();
            if state.is_stopping() {
                break;
            }
            let now = state.status();
            if now.state != told.state || now.words != told.words {
                let emitter = interface.signal_emitter();
                if let Err(error) = emitter.announce_state(&now.state, &now.words).await {
                    tracing::debug!("could not send StateChanged: {error}");
                }
                if let Err(error) = interface.get().await.state_changed(emitter).await {
                    tracing::debug!("could not send PropertiesChanged: {error}");
                }
                told = now;
            }
            listener.await;
        }
        let _ = connection.release_name(BUS_NAME).await;
    });
}
