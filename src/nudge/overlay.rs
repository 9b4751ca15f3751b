//! The glow around the screen's edge and the dimmed screen: override-redirect windows on the X
//! server (XWayland on a Wayland desktop) that take no input (their input shape is empty, so
//! every click goes through to what is under them), kept above the others, on a thread of their
//! own. Four strips make the glow: nothing covers the middle of the screen, and no compositor is
//! needed for it. Dimming is one black window over the whole screen at low opacity, which only a
//! compositing desktop blends; without one it is left out (see [`probe`]).

use crate::alerts::Severity;

/// The glow windows' name (what `xdotool search --name` finds).
pub const GLOW_NAME: &str = "slouchwatch glow";
/// The dimming window's name.
pub const DIM_NAME: &str = "slouchwatch dim";
/// The glow's colour: the window's warning colour (`ui::theme::WARNING`), 0xRRGGBB.
#[cfg(target_os = "linux")]
const GLOW_RGB: u32 = 0x00c8_4b31;
/// The glow's opacity where a compositor blends it (about 85%): the colour of the screen edge
/// shows through a little.
#[cfg(target_os = "linux")]
const GLOW_OPACITY: u32 = 0xd900_0000;
/// The dimming's opacity (about 20% black): the screen stays readable, just darker.
#[cfg(target_os = "linux")]
const DIM_OPACITY: u32 = 0x3300_0000;
/// How often the shown windows are raised again above windows opened since, seconds.
#[cfg(target_os = "linux")]
const RAISE_EVERY_S: u64 = 2;

/// How wide the glow is at a severity, pixels: it grows as the warning does.
pub fn glow_width(severity: Severity) -> u16 {
    match severity {
        Severity::Mild => 6,
        Severity::Moderate => 12,
        Severity::Strong => 20,
    }
}

/// Why the glow cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    /// No X server to draw on (a Wayland desktop without XWayland, or no desktop).
    #[error("no X display to draw on (a Wayland desktop without XWayland does not allow it)")]
    NoDisplay,
    /// The X server cannot make windows that let clicks through.
    #[error("the display cannot make a window that lets clicks through (no SHAPE extension)")]
    NoClickThrough,
    /// The X server refused a request.
    #[error("the display refused the glow: {0}")]
    Refused(String),
    /// Not on this system.
    #[error("not available on this system")]
    Unsupported,
}

/// A command to the overlay's thread.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))] // the glow is drawn on X11 only
enum Command {
    Show { severity: Severity, glow: bool, dim: bool },
    Hide,
}

/// The overlay's thread: [`Overlay::show`] and [`Overlay::hide`] are sent to it; dropping the
/// overlay takes its windows down and ends it.
#[derive(Debug)]
pub struct Overlay {
    commands: Option<std::sync::mpsc::Sender<Command>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Overlay {
    /// Connects to the X server and starts the thread (no window is shown yet).
    pub fn start() -> Result<Overlay, OverlayError> {
        let display = x11::Display::open()?;
        let (commands, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("slouchwatch-overlay".into())
            .spawn(move || x11::serve(display, receiver))
            .map_err(|error| OverlayError::Refused(error.to_string()))?;
        Ok(Overlay { commands: Some(commands), thread: Some(thread) })
    }

    /// Shows the glow (and the dimming) for a warning of `severity`.
    pub fn show(&self, severity: Severity, glow: bool, dim: bool) {
        self.send(Command::Show { severity, glow, dim });
    }

    /// Takes the glow and the dimming down.
    pub fn hide(&self) {
        self.send(Command::Hide);
    }

    fn send(&self, command: Command) {
        if let Some(commands) = &self.commands {
            // The thread ended (the X server went away): nothing left to show or hide.
            let _ = commands.send(command);
        }
    }
}

impl Drop for Overlay {
    fn drop(&mut self) {
        self.commands.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Whether the glow can be shown here, and whether a compositor runs (so dimming blends).
pub fn probe() -> Result<bool, OverlayError> {
    x11::Display::open().map(|display| display.compositing)
}

#[cfg(target_os = "linux")]
mod x11 {
    use std::sync::mpsc::{Receiver, RecvTimeoutError};
    use std::time::Duration;

    use x11rb::connection::{Connection, RequestConnection as _};
    use x11rb::protocol::shape::{self, ConnectionExt as _};
    use x11rb::protocol::xproto::{
        AtomEnum, ClipOrdering, ConfigureWindowAux, ConnectionExt as _, CreateWindowAux, PropMode, StackMode, Window,
        WindowClass,
    };
    use x11rb::rust_connection::RustConnection;
    use x11rb::wrapper::ConnectionExt as _;

    use super::{Command, DIM_NAME, DIM_OPACITY, GLOW_NAME, GLOW_OPACITY, GLOW_RGB, OverlayError, RAISE_EVERY_S};

    /// A connection to the X server, with what the overlay needs to know of it.
    pub(super) struct Display {
        connection: RustConnection,
        root: Window,
        size: (u16, u16),
        opacity_atom: u32,
        /// A compositor runs (it owns `_NET_WM_CM_S<screen>`).
        pub(super) compositing: bool,
    }

    fn refused(error: impl std::fmt::Display) -> OverlayError {
        OverlayError::Refused(error.to_string())
    }

    impl Display {
        pub(super) fn open() -> Result<Display, OverlayError> {
            let (connection, screen_number) = x11rb::connect(None).map_err(|_| OverlayError::NoDisplay)?;
            let screen = &connection.setup().roots[screen_number];
            let (root, size) = (screen.root, (screen.width_in_pixels, screen.height_in_pixels));
            let shape = connection.extension_information(shape::X11_EXTENSION_NAME).map_err(refused)?;
            if shape.is_none() {
                return Err(OverlayError::NoClickThrough);
            }
            let atom = |name: &str| -> Result<u32, OverlayError> {
                Ok(connection.intern_atom(false, name.as_bytes()).map_err(refused)?.reply().map_err(refused)?.atom)
            };
            let opacity_atom = atom("_NET_WM_WINDOW_OPACITY")?;
            let manager = atom(&format!("_NET_WM_CM_S{screen_number}"))?;
            let owner = connection.get_selection_owner(manager).map_err(refused)?.reply().map_err(refused)?.owner;
            Ok(Display { connection, root, size, opacity_atom, compositing: owner != x11rb::NONE })
        }

        /// An override-redirect window at `(x, y, width, height)` in `rgb`, named `name`, at
        /// `opacity`, letting every click through, shown above the others.
        fn window(
            &self,
            (x, y, width, height): (i16, i16, u16, u16),
            rgb: u32,
            name: &str,
            opacity: u32,
        ) -> Result<Window, OverlayError> {
            let connection = &self.connection;
            let window = connection.generate_id().map_err(refused)?;
            let aux = CreateWindowAux::new().background_pixel(rgb).override_redirect(1);
            connection
                .create_window(
                    0,
                    window,
                    self.root,
                    x,
                    y,
                    width.max(1),
                    height.max(1),
                    0,
                    WindowClass::INPUT_OUTPUT,
                    0,
                    &aux,
                )
                .map_err(refused)?;
            connection
                .change_property8(PropMode::REPLACE, window, AtomEnum::WM_NAME, AtomEnum::STRING, name.as_bytes())
                .map_err(refused)?;
            connection
                .change_property8(
                    PropMode::REPLACE,
                    window,
                    AtomEnum::WM_CLASS,
                    AtomEnum::STRING,
                    b"slouchwatch\0slouchwatch\0",
                )
                .map_err(refused)?;
            connection
                .change_property32(PropMode::REPLACE, window, self.opacity_atom, AtomEnum::CARDINAL, &[opacity])
                .map_err(refused)?;
            // An empty input shape: the window is seen, never clicked.
            connection
                .shape_rectangles(shape::SO::SET, shape::SK::INPUT, ClipOrdering::UNSORTED, window, 0, 0, &[])
                .map_err(refused)?;
            connection.map_window(window).map_err(refused)?;
            Ok(window)
        }

        /// The glow's four strips, `width` pixels wide, along the screen's edges.
        fn glow(&self, width: u16) -> Result<Vec<Window>, OverlayError> {
            let (w, h) = self.size;
            let edge = width.min(w / 4).min(h / 4);
            let strips = [
                (0, 0, w, edge),
                (0, (h - edge) as i16, w, edge),
                (0, edge as i16, edge, h - 2 * edge),
                ((w - edge) as i16, edge as i16, edge, h - 2 * edge),
            ];
            strips.into_iter().map(|strip| self.window(strip, GLOW_RGB, GLOW_NAME, GLOW_OPACITY)).collect()
        }

        fn raise(&self, windows: &[Window]) {
            for window in windows {
                let _ =
                    self.connection.configure_window(*window, &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE));
            }
            let _ = self.connection.flush();
        }

        fn destroy(&self, windows: &mut Vec<Window>) {
            for window in windows.drain(..) {
                let _ = self.connection.destroy_window(window);
            }
            let _ = self.connection.flush();
        }
    }

    /// The overlay's thread: shows and hides as told, raises what is shown now and then, and
    /// takes everything down when the [`super::Overlay`] is dropped.
    pub(super) fn serve(display: Display, commands: Receiver<Command>) {
        let mut shown: Vec<Window> = Vec::new();
        loop {
            // The server's events and errors (of requests nobody waits on) are read and dropped,
            // so they never pile up.
            while let Ok(Some(_)) = display.connection.poll_for_event() {}
            match commands.recv_timeout(Duration::from_secs(RAISE_EVERY_S)) {
                Ok(Command::Show { severity, glow, dim }) => {
                    display.destroy(&mut shown);
                    let mut made = Vec::new();
                    if dim && display.compositing {
                        let (w, h) = display.size;
                        made.push(display.window((0, 0, w, h), 0, DIM_NAME, DIM_OPACITY));
                    }
                    // Dimming asked for where it cannot blend: the glow says it instead.
                    if glow || (dim && !display.compositing) {
                        match display.glow(super::glow_width(severity)) {
                            Ok(strips) => made.extend(strips.into_iter().map(Ok)),
                            Err(error) => made.push(Err(error)),
                        }
                    }
                    for window in made {
                        match window {
                            Ok(window) => shown.push(window),
                            Err(error) => tracing::warn!("the screen nudge is not shown: {error}"),
                        }
                    }
                    display.raise(&shown);
                }
                Ok(Command::Hide) => display.destroy(&mut shown),
                Err(RecvTimeoutError::Timeout) if !shown.is_empty() => display.raise(&shown),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        display.destroy(&mut shown);
    }
}

#[cfg(not(target_os = "linux"))]
mod x11 {
    use std::sync::mpsc::Receiver;

    use super::{Command, OverlayError};

    /// No overlay on this system yet.
    pub(super) struct Display {
        pub(super) compositing: bool,
    }

    impl Display {
        pub(super) fn open() -> Result<Display, OverlayError> {
            Err(OverlayError::Unsupported)
        }
    }

    pub(super) fn serve(_display: Display, _commands: Receiver<Command>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glow_grows_with_the_warning() {
        assert!(glow_width(Severity::Mild) < glow_width(Severity::Moderate));
        assert!(glow_width(Severity::Moderate) < glow_width(Severity::Strong));
    }
}
