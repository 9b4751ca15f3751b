//! The tray icon: a StatusNotifierItem on the session bus (the freedesktop / KDE protocol that
//! GNOME with AppIndicator, KDE, XFCE, Cinnamon and most Wayland panels show), its colour the
//! state at a glance, with a `com.canonical.dbusmenu` menu. Pure Rust over zbus, no GTK. Where no
//! tray host is running, [`Tray::start`] says so and the window goes on as before (closing it
//! quits). Other platforms (macOS, Windows) have no tray yet: `start` says so there, as if no
//! host were running; a crate such as `tray-icon` would go behind the same `cfg`.
//!
//! The tray never acts on the engine itself: each menu choice is a [`TrayRequest`] for the
//! window, which applies it the same way as its own buttons, or, with the window closed, for
//! [`background`], which sends the same engine commands ([`TrayRequest::engine_command`]).

pub mod background;
mod icon;
mod menu;

use std::sync::Arc;
use std::sync::mpsc::Sender;

use zbus::OwnedObjectPath;
use zbus::object_server::SignalEmitter;

use chrono::{DateTime, Local, TimeDelta, Utc};

use crate::control::{ControlState, MonitorStatus, WindowRequest};
use crate::engine::EngineCommand;

/// The item's object path, as the protocol expects.
const ITEM_PATH: &str = "/StatusNotifierItem";
/// The menu's object path.
const MENU_PATH: &str = "/MenuBar";
/// The tray host's registry.
const WATCHER_NAME: &str = "org.kde.StatusNotifierWatcher";
const WATCHER_PATH: &str = "/StatusNotifierWatcher";

/// One icon picture: width, height and ARGB32 bytes (big-endian), as the protocol sends it.
type Pixmap = (i32, i32, Vec<u8>);
/// A tool tip as the protocol sends it: icon name, icon pictures, title, text.
type ToolTip = (String, Vec<Pixmap>, String, String);

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

/// The served item.
struct Item {
    state: Arc<ControlState>,
    sink: RequestSink,
}

#[zbus::interface(name = "org.kde.StatusNotifierItem")]
impl Item {
    /// A click on the icon opens the window.
    fn activate(&self, _x: i32, _y: i32) {
        self.sink.send(TrayRequest::Open);
    }

    fn secondary_activate(&self, _x: i32, _y: i32) {}

    fn context_menu(&self, _x: i32, _y: i32) {}

    fn scroll(&self, _delta: i32, _orientation: &str) {}

    #[zbus(property)]
    fn category(&self) -> String {
        "ApplicationStatus".into()
    }

    #[zbus(property)]
    fn id(&self) -> String {
        "slouchwatch".into()
    }

    #[zbus(property)]
    fn title(&self) -> String {
        "slouchwatch".into()
    }

    /// `NeedsAttention` while a warning stands, else `Active`.
    #[zbus(property)]
    fn status(&self) -> String {
        if self.state.status().state == "warning" { "NeedsAttention".into() } else { "Active".into() }
    }

    #[zbus(property)]
    fn window_id(&self) -> i32 {
        0
    }

    #[zbus(property)]
    fn icon_name(&self) -> String {
        String::new()
    }

    /// The icon, drawn in the state's colour.
    #[zbus(property)]
    fn icon_pixmap(&self) -> Vec<Pixmap> {
        icon::pixmaps(&self.state.status().state)
    }

    #[zbus(property)]
    fn attention_icon_pixmap(&self) -> Vec<Pixmap> {
        icon::pixmaps("warning")
    }

    /// Hovering the icon says the state in words.
    #[zbus(property)]
    fn tool_tip(&self) -> ToolTip {
        (String::new(), Vec::new(), "slouchwatch".into(), self.state.status().words)
    }

    #[zbus(property)]
    fn item_is_menu(&self) -> bool {
        false
    }

    #[zbus(property)]
    fn menu(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(MENU_PATH).expect("a valid object path")
    }

    #[zbus(signal)]
    async fn new_icon(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn new_tool_tip(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn new_status(emitter: &SignalEmitter<'_>, status: &str) -> zbus::Result<()>;
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
}

/// The tray icon, while it is shown; dropping it takes the icon away.
pub struct Tray {
    state: Arc<ControlState>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Tray {
    /// Shows the icon on the session bus at `address` (`None`: the usual session bus).
    /// Fails, with a reason to say once, when there is no bus or no tray host.
    pub fn start(address: Option<&str>, sink: RequestSink) -> Result<Tray, TrayError> {
        if !cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd")) {
            return Err(TrayError::Unsupported);
        }
        let state = ControlState::new();
        let (ready_tx, ready) = std::sync::mpsc::channel::<Result<(), TrayError>>();
        let served = state.clone();
        let address = address.map(str::to_owned);
        let thread = std::thread::Builder::new()
            .name("slouchwatch-tray".into())
            .spawn(move || zbus::block_on(serve(address, served, sink, ready_tx)))
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

    /// Shows `status` (the icon changes only when the state or its words do).
    pub fn show(&self, status: MonitorStatus) {
        self.state.set(status);
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

async fn serve(
    address: Option<String>,
    state: Arc<ControlState>,
    sink: RequestSink,
    ready: std::sync::mpsc::Sender<Result<(), TrayError>>,
) {
    let name = format!("org.kde.StatusNotifierItem-{}-1", std::process::id());
    let builder = match &address {
        Some(address) => zbus::connection::Builder::address(address.as_str()),
        None => zbus::connection::Builder::session(),
    };
    let item = Item { state: state.clone(), sink: sink.clone() };
    let menu = menu::Menu::new(state.clone(), sink);
    let built = builder.name(name.as_str()).serve_at(ITEM_PATH, item).serve_at(MENU_PATH, menu).build().await;
    let connection = match built {
        Ok(connection) => connection,
        Err(error) => {
            let _ = ready.send(Err(TrayError::NoBus(error)));
            return;
        }
    };
    let registered = connection
        .call_method(
            Some(WATCHER_NAME),
            WATCHER_PATH,
            Some(WATCHER_NAME),
            "RegisterStatusNotifierItem",
            &(name.as_str(),),
        )
        .await;
    if let Err(error) = registered {
        let _ = ready.send(Err(TrayError::NoHost(error)));
        return;
    }
    let (Ok(item), Ok(menu)) = (
        connection.object_server().interface::<_, Item>(ITEM_PATH).await,
        connection.object_server().interface::<_, menu::Menu>(MENU_PATH).await,
    ) else {
        let _ = ready.send(Err(TrayError::NotServed));
        return;
    };
    let _ = ready.send(Ok(()));
    let mut shown = state.status();
    loop {
        let listener = state.changed.listen();
        if state.is_stopping() {
            break;
        }
        let now = state.status();
        if now.state != shown.state || now.words != shown.words {
            let emitter = item.signal_emitter();
            let status = if now.state == "warning" { "NeedsAttention" } else { "Active" };
            let sent = async {
                emitter.new_icon().await?;
                emitter.new_tool_tip().await?;
                emitter.new_status(status).await?;
                menu.get().await.changed(menu.signal_emitter()).await
            };
            if let Err(error) = sent.await {
                tracing::debug!("could not update the tray icon: {error}");
            }
            shown = now;
        }
        listener.await;
    }
}
