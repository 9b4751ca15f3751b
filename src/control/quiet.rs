//! Quiet while presenting: warnings are held back while the desktop's Do Not Disturb is on or
//! the active window is fullscreen (a slide show, a shared screen, a film). Looked at every
//! [`LOOK_EVERY`]:
//!
//! - Do Not Disturb: the notification server's `Inhibited` property
//!   (`org.freedesktop.Notifications`, where the server has it: KDE Plasma, some others), and
//!   GNOME's `org.gnome.desktop.notifications show-banners` setting (read with `gsettings`);
//! - fullscreen: the X11 window manager's `_NET_ACTIVE_WINDOW` and its `_NET_WM_STATE`
//!   (`_NET_WM_STATE_FULLSCREEN`). Under Wayland only X11 programs' windows can be seen this way:
//!   a native Wayland window in fullscreen cannot be known, and is not.
//!
//! The engine decides what quiet means for a warning (`EngineCommand::Quiet`); this only looks.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::engine::{EngineCommand, Quiet};

/// How often the desktop is looked at: a warning comes after half a minute of slouching, so a
/// couple of seconds late to notice a presentation costs nothing.
pub const LOOK_EVERY: Duration = Duration::from_secs(2);

/// The watcher, while it runs; dropping it ends it.
pub struct QuietWatch {
    stop: Arc<AtomicBool>,
}

impl Drop for QuietWatch {
    /// Tells the thread to end without waiting for it: it may be inside a bus call or
    /// `gsettings`, and stopping monitoring waits on neither. It ends at its next look.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Starts looking, sending [`EngineCommand::Quiet`] to `commands` when quiet starts or ends.
pub fn watch(commands: Sender<EngineCommand>) -> std::io::Result<QuietWatch> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    std::thread::Builder::new().name("slouchwatch-quiet-watch".into()).spawn(move || {
        let mut desktop = Desktop::connect();
        let mut said: Option<Quiet> = None;
        while !stopping.load(Ordering::SeqCst) {
            let now = desktop.quiet();
            if now != said {
                tracing::info!(?now, "quiet while presenting");
                if commands.send(EngineCommand::Quiet(now)).is_err() {
                    return;
                }
                said = now;
            }
            std::thread::sleep(LOOK_EVERY);
        }
    })?;
    Ok(QuietWatch { stop })
}

/// GNOME's setting is read by starting `gsettings` (a few milliseconds of CPU), so only every
/// this many looks (10 s): cheap enough to leave running all day.
const GNOME_EVERY_LOOKS: u32 = 5;

/// What the watcher reaches: the session bus, GNOME's settings, the X server.
struct Desktop {
    bus: Option<zbus::Connection>,
    gnome: bool,
    x11: Option<X11>,
    /// GNOME's banners were off at the last reading, and the looks since.
    gnome_quiet: bool,
    looks: u32,
}

impl Desktop {
    fn connect() -> Desktop {
        let bus = zbus::block_on(zbus::Connection::session()).ok();
        let gnome = std::env::var("XDG_CURRENT_DESKTOP").is_ok_and(|desktop| desktop.contains("GNOME"));
        let x11 = X11::connect();
        if x11.is_none() && std::env::var_os("WAYLAND_DISPLAY").is_some() {
            tracing::info!("fullscreen windows cannot be seen under Wayland: only Do Not Disturb keeps warnings quiet");
        }
        Desktop { bus, gnome, x11, gnome_quiet: false, looks: 0 }
    }

    /// Why it is quiet now, if it is.
    fn quiet(&mut self) -> Option<Quiet> {
        if self.gnome && self.looks.is_multiple_of(GNOME_EVERY_LOOKS) {
            self.gnome_quiet = gnome_banners_off();
        }
        self.looks = self.looks.wrapping_add(1);
        if self.bus.as_ref().is_some_and(notifications_inhibited) || self.gnome_quiet {
            return Some(Quiet::DoNotDisturb);
        }
        if self.x11.as_ref().is_some_and(X11::active_window_is_fullscreen) {
            return Some(Quiet::Fullscreen);
        }
        None
    }
}

/// The notification server's `Inhibited` property (false where it has none).
fn notifications_inhibited(bus: &zbus::Connection) -> bool {
    zbus::block_on(async {
        let reply = bus
            .call_method(
                Some("org.freedesktop.Notifications"),
                "/org/freedesktop/Notifications",
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.freedesktop.Notifications", "Inhibited"),
            )
            .await
            .ok()?;
        let value: zbus::OwnedVariant = reply.body().deserialize().ok()?;
        bool::try_from(value).ok()
    })
    .unwrap_or(false)
}

/// GNOME's Do Not Disturb: banners turned off.
fn gnome_banners_off() -> bool {
    std::process::Command::new("gsettings")
        .args(["get", "org.gnome.desktop.notifications", "show-banners"])
        .stderr(std::process::Stdio::null())
        .output()
        .is_ok_and(|output| output.status.success() && String::from_utf8_lossy(&output.stdout).trim() == "false")
}

/// The X server, with the atoms the fullscreen question needs.
#[cfg(target_os = "linux")]
struct X11 {
    connection: x11rb::rust_connection::RustConnection,
    root: u32,
    active: u32,
    state: u32,
    fullscreen: u32,
}

#[cfg(target_os = "linux")]
impl X11 {
    fn connect() -> Option<X11> {
        use x11rb::connection::Connection as _;
        use x11rb::protocol::xproto::ConnectionExt as _;
        std::env::var_os("DISPLAY")?;
        let (connection, screen) = x11rb::connect(None).ok()?;
        let root = connection.setup().roots.get(screen)?.root;
        let atom = |name: &str| Some(connection.intern_atom(false, name.as_bytes()).ok()?.reply().ok()?.atom);
        let (active, state, fullscreen) =
            (atom("_NET_ACTIVE_WINDOW")?, atom("_NET_WM_STATE")?, atom("_NET_WM_STATE_FULLSCREEN")?);
        Some(X11 { connection, root, active, state, fullscreen })
    }

    /// Whether the window the window manager calls active is fullscreen.
    fn active_window_is_fullscreen(&self) -> bool {
        use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _};
        // Any type: window managers write WINDOW and ATOM, other tools CARDINAL.
        let property = |window: u32, name: u32| {
            self.connection
                .get_property(false, window, name, AtomEnum::ANY, 0, 64)
                .ok()?
                .reply()
                .ok()
                .map(|reply| reply.value32().map(|values| values.collect::<Vec<u32>>()).unwrap_or_default())
        };
        let Some(active) = property(self.root, self.active).and_then(|ids| ids.first().copied()) else {
            return false;
        };
        active != 0 && property(active, self.state).is_some_and(|states| states.contains(&self.fullscreen))
    }
}

/// Elsewhere (Windows) there is no X server: a fullscreen window is not looked for.
#[cfg(not(target_os = "linux"))]
struct X11;

#[cfg(not(target_os = "linux"))]
impl X11 {
    fn connect() -> Option<X11> {
        None
    }

    fn active_window_is_fullscreen(&self) -> bool {
        false
    }
}
