//! Monitoring with the window closed: the engine and the tray icon, nothing else. The window's
//! process replaces itself with this one when it closes to the tray (see `cli::handoff`), so
//! the window's memory (GL, fonts, textures) goes with it; this loop holds the engine's share.
//!
//! The menu acts as in the window: pause, snooze and the call pause go to the engine; Open,
//! Calibrate and Report end this loop asking for the window at that screen; Quit ends it.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use chrono::Utc;

use super::{Tray, TrayRequest};
use crate::control::{WindowRequest, shown_status};
use crate::engine::{Carry, EngineEvent, EngineMessage, Snapshot, SourceEvent};
use crate::session::Session;

/// How long the loop waits for the engine before looking at the menu again: the most a menu
/// click waits (the engine publishes a snapshot per analysed frame anyway).
const MENU_LATENCY: Duration = Duration::from_millis(250);

/// Why the background loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackgroundExit {
    /// Quit from the menu.
    Quit,
    /// The window was asked for, at this screen (menu, icon click, `slouchwatch calibrate`).
    OpenWindow(WindowRequest),
}

/// Keeps the tray icon on the engine's state and does what the menu asks, until the menu (or
/// someone on the bus) asks for the window or Quit. Stops the engine on the way out and returns
/// what to carry to the next one.
pub fn run(
    engine: Session,
    tray: &Tray,
    requests: &Receiver<TrayRequest>,
    calibrated: bool,
) -> (BackgroundExit, Carry) {
    let mut latest: Option<Snapshot> = None;
    let mut camera_problem: Option<String> = None;
    let mut finished = false;
    let exit = loop {
        let message = if finished {
            // A replay ended: only the menu is left to serve.
            std::thread::sleep(MENU_LATENCY);
            None
        } else {
            match engine.messages().recv_timeout(MENU_LATENCY) {
                Ok(message) => Some(message),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => {
                    finished = true;
                    None
                }
            }
        };
        match message {
            Some(EngineMessage::Snapshot(snapshot)) => {
                camera_problem = None;
                latest = Some(*snapshot);
            }
            Some(EngineMessage::Event(event)) => match event.event {
                EngineEvent::Source(SourceEvent::CameraLost { detail } | SourceEvent::SourceFailed { detail }) => {
                    camera_problem = Some(detail);
                }
                EngineEvent::Source(SourceEvent::CameraBack { .. }) => camera_problem = None,
                _ => {}
            },
            Some(EngineMessage::ShowWindow(request)) => break BackgroundExit::OpenWindow(request),
            Some(EngineMessage::Finished(_)) => finished = true,
            Some(EngineMessage::Calibration(_) | EngineMessage::Setups(_)) | None => {}
        }
        tray.show(shown_status(camera_problem.as_deref(), latest.as_ref(), calibrated));
        let asked: Vec<TrayRequest> = requests.try_iter().collect();
        if let Some(exit) = asked.into_iter().find_map(|request| {
            if request == TrayRequest::Quit {
                return Some(BackgroundExit::Quit);
            }
            if let Some(window) = request.window() {
                return Some(BackgroundExit::OpenWindow(window));
            }
            if let Some(command) = request.engine_command(Utc::now()) {
                engine.send(command);
            }
            None
        }) {
            break exit;
        }
    };
    let carry = engine.finish().map(|summary| summary.carry).unwrap_or_default();
    (exit, carry)
}
