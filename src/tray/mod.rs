//! The tray icon, its colour the state at a glance, with the same menu everywhere
//! ([`menu::entries`]):
//! - Linux and the other free desktops (`sni.rs`): a StatusNotifierItem on the session bus (the
//!   freedesktop / KDE protocol that GNOME with AppIndicator, KDE, XFCE, Cinnamon and most
//!   Wayland panels show), with a `com.canonical.dbusmenu` menu. Pure Rust over zbus, no GTK.
//!   Where no tray host is running, [`Tray::start`] says so and the window goes on as before
//!   (closing it quits).
//! - Windows (`notify_area.rs`): an icon in the notification area (`Shell_NotifyIcon`), its menu
//!   a popup menu, owned by a hidden window on the tray's thread.
//! - macOS has no tray yet: `start` says so there, as if no host were running.
//!
//! The tray never acts on the engine itself: each menu choice is a [`TrayRequest`] for the
//! window, which applies it the same way as its own buttons, or, with the window closed, for
//! [`background`], which sends the same engine commands ([`TrayRequest::engine_command`]).

pub mod background;
// The pictures and the menu's words serve both icons; the bus-only parts are unused on Windows.
#[cfg_attr(windows, allow(dead_code))]
mod icon;
#[cfg_attr(windows, allow(dead_code))]
mod menu;
#[cfg(windows)]
mod notify_area;
#[cfg(not(windows))]
mod sni;

use std::sync::Arc;
use std::sync::mpsc::Sender;

use chrono::{DateTime, Local, TimeDelta, Utc};

use crate::control::{ControlState, MonitorStatus, WindowRequest};
use crate::engine::EngineCommand;

/// What the tray menu (or a click on the icon) asks of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayRequest {
    /// Show the window and bring it to the front.
    Open,
    /// Pause monitoring.
    Pause,
    /// Resume monitoring.
    Resume,
    /// No posture warnings for this many minutes.
    SnoozeMinutes(i64),
    /// No posture warnings until tomorrow.
    SnoozeUntilTomorrow,
    /// Pause for an hour (a call).
    PauseForCall,
    /// "I'm sitting fine": the warning was wrong for this person.
    Dispute,
    /// Open the calibration wizard.
    Calibrate,
    /// Open today's report.
    Report,
    /// Quit slouchwatch.
    Quit,
}

/// Minutes of "Pause for a call".
pub const CALL_PAUSE_MIN: i64 = 60;

impl TrayRequest {
    /// The engine command a request is, at `now`, for those that are one (Open, Calibrate,
    /// Report and Quit are the window's business).
    pub fn engine_command(self, now: DateTime<Utc>) -> Option<EngineCommand> {
        match self {
            TrayRequest::Pause => Some(EngineCommand::Pause),
            TrayRequest::Resume => Some(EngineCommand::Resume),
            TrayRequest::SnoozeMinutes(minutes) => Some(EngineCommand::SnoozeUntil(now + TimeDelta::minutes(minutes))),
            TrayRequest::SnoozeUntilTomorrow => Some(EngineCommand::SnoozeUntil(next_midnight(now))),
            TrayRequest::PauseForCall => Some(EngineCommand::PauseUntil(now + TimeDelta::minutes(CALL_PAUSE_MIN))),
            TrayRequest::Dispute => Some(EngineCommand::Dispute),
            TrayRequest::Open | TrayRequest::Calibrate | TrayRequest::Report | TrayRequest::Quit => None,
        }
    }

    /// The window screen a request opens, for those that open one.
    pub fn window(self) -> Option<WindowRequest> {
        match self {
            TrayRequest::Open => Some(WindowRequest::Live),
            TrayRequest::Calibrate => Some(WindowRequest::Calibration),
            TrayRequest::Report => Some(WindowRequest::Report),
            _ => None,
        }
    }
}

/// The next local midnight after `now` ("until tomorrow"); twelve hours on if the local clock
/// skips midnight that day.
pub fn next_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    (now.with_timezone(&Local) + TimeDelta::days(1))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.and_local_timezone(Local).earliest())
        .map(|midnight| midnight.with_timezone(&Utc))
        .unwrap_or_else(|| now + TimeDelta::hours(12))
}

/// Where the tray's requests go: the window's queue, and a way to wake the window to read it.
#[derive(Clone)]
pub struct RequestSink {
    requests: Sender<TrayRequest>,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl RequestSink {
    /// Requests go to `requests`; `wake` is called after each (the window repaints).
    pub fn new(requests: Sender<TrayRequest>, wake: impl Fn() + Send + Sync + 'static) -> RequestSink {
        RequestSink { requests, wake: Arc::new(wake) }
    }

    fn send(&self, request: TrayRequest) {
        if self.requests.send(request).is_ok() {
            (self.wake)();
        }
    }
}

/// Why there is no tray icon (said once; the window or monitoring goes on without it).
#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    /// This platform's tray is not written yet.
    #[error("no tray icon: this platform's tray is not supported yet")]
    Unsupported,
    /// There is no session bus to show it on.
    #[error("no tray icon: no session bus ({0})")]
    NoBus(#[source] zbus::Error),
    /// Nothing on the bus shows tray icons (no panel, or GNOME without the extension).
    #[error("no tray icon: no tray host is running ({0}); on GNOME, the AppIndicator extension adds one")]
    NoHost(#[source] zbus::Error),
    /// The icon's objects could not be put on the bus.
    #[error("no tray icon: its objects were not served")]
    NotServed,
    /// No thread could be started for it.
    #[error("no tray icon: no thread for it ({0})")]
    NoThread(#[source] std::io::Error),
    /// Its thread ended before saying whether it worked.
    #[error("no tray icon: the tray thread ended at once")]
    ThreadEnded,
    /// Windows would not show the icon in the notification area.
    #[error("no tray icon: {0}")]
    NotificationArea(String),
}

/// The tray icon, while it is shown; dropping it takes the icon away.
pub struct Tray {
    state: Arc<ControlState>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Windows: the notification-area icon (its own thread and window).
    #[cfg(windows)]
    icon: Option<notify_area::NotifyIcon>,
}

impl Tray {
    /// Shows the icon on the session bus at `address` (`None`: the usual session bus).
    /// Fails, with a reason to say once, when there is no bus or no tray host.
    pub fn start(address: Option<&str>, sink: RequestSink) -> Result<Tray, TrayError> {
        #[cfg(windows)]
        {
            let _ = address;
            let state = ControlState::new();
            let icon = notify_area::NotifyIcon::show(state.clone(), sink)?;
            Ok(Tray { state, thread: None, icon: Some(icon) })
        }
        #[cfg(not(windows))]
        {
            if !cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd")) {
                return Err(TrayError::Unsupported);
            }
            let state = ControlState::new();
            let (ready_tx, ready) = std::sync::mpsc::channel::<Result<(), TrayError>>();
            let served = state.clone();
            let address = address.map(str::to_owned);
            let thread = std::thread::Builder::new()
                .name("slouchwatch-tray".into())
                .spawn(move || zbus::block_on(sni::serve(address, served, sink, ready_tx)))
                .map_err(TrayError::NoThread)?;
            match ready.recv() {
                Ok(Ok(())) => Ok(Tray { state, thread: Some(thread) }),
                Ok(Err(reason)) => {
                    let _ = thread.join();
                    Err(reason)
                }
                Err(_) => Err(TrayError::ThreadEnded),
            }
        }
    }

    /// Shows `status` (the icon changes only when the state or its words do).
    pub fn show(&self, status: MonitorStatus) {
        self.state.set(status);
        #[cfg(windows)]
        if let Some(icon) = &self.icon {
            icon.refresh();
        }
    }
}

impl Drop for Tray {
    fn drop(&mut self) {
        self.state.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
