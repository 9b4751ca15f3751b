//! Windows' own means, shared by the stages that need them there (Windows only): wide strings,
//! and a hidden window with its own thread and message loop, which is how Windows tells a
//! program about its notification-area icon, a locked screen or sleep. Each user of it (the
//! tray's icon, the lock watch) hands in what to do with its messages; nothing here knows about
//! posture, the engine or the tray.
//!
//! - [`acl`]: folders private to their owner;
//! - [`pipe`]: a named pipe, one line asked and one answered, for control from outside;
//! - [`registry`]: string values under the user's registry key (start at login).

pub mod acl;
pub mod pipe;
pub mod registry;

use std::cell::RefCell;
use std::sync::mpsc::channel;

use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DestroyWindow, DispatchMessageW, GetMessageW, MSG, PostMessageW, PostQuitMessage,
    RegisterClassW, TranslateMessage, WM_APP, WM_CLOSE, WM_DESTROY, WNDCLASSW, WS_OVERLAPPED,
};

/// Closes the console window Windows opened for this program when it was started from the Start
/// menu, Explorer or at login (the only process on its console): the window and the tray need
/// none. A console shared with a terminal (started from cmd or PowerShell) is kept.
pub fn leave_own_console() {
    use windows_sys::Win32::System::Console::{FreeConsole, GetConsoleProcessList};
    let mut processes = [0u32; 2];
    // SAFETY: the buffer holds the two entries asked for at most.
    if unsafe { GetConsoleProcessList(processes.as_mut_ptr(), processes.len() as u32) } == 1 {
        // SAFETY: detaches from the console; files the output goes to stay open.
        unsafe { FreeConsole() };
    }
}

/// `text` as a NUL-terminated UTF-16 string, as the `W` functions take it.
pub fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}

/// A NUL-terminated UTF-16 buffer (e.g. a fixed-size field) read back as text.
pub fn from_wide(buffer: &[u16]) -> String {
    let end = buffer.iter().position(|&unit| unit == 0).unwrap_or(buffer.len());
    String::from_utf16_lossy(&buffer[..end])
}

/// Copies `text` into a fixed-size UTF-16 field, cut to fit with its NUL.
pub fn fill_wide(field: &mut [u16], text: &str) {
    let mut units = text.encode_utf16().take(field.len().saturating_sub(1)).collect::<Vec<u16>>();
    units.push(0);
    field[..units.len()].copy_from_slice(&units);
}

/// What a window's thread does with a message: `Some(result)` when it handled it, `None` for
/// Windows' default handling. Called on the window's own thread.
pub type Handler = Box<dyn FnMut(HWND, u32, WPARAM, LPARAM) -> Option<LRESULT>>;

thread_local! {
    /// The handler of this thread's hidden window (one per thread). Taken out while it runs, so
    /// a message that arrives inside it (a menu's own loop) gets the default handling.
    static HANDLER: RefCell<Option<Handler>> = const { RefCell::new(None) };
    /// The program's own messages that came while the handler was busy, each once, to be posted
    /// again when it is back (posting them at once would make them circle through a menu's loop).
    static DEFERRED: RefCell<Vec<(u32, WPARAM, LPARAM)>> = const { RefCell::new(Vec::new()) };
}

unsafe extern "system" fn window_procedure(window: HWND, message: u32, wparam: WPARAM, lparam: LPARAM) -> LRESULT {
    let handler = HANDLER.with(|cell| cell.borrow_mut().take());
    let handled = match handler {
        Some(mut handler) => {
            let handled = handler(window, message, wparam, lparam);
            HANDLER.with(|cell| *cell.borrow_mut() = Some(handler));
            for (message, wparam, lparam) in DEFERRED.with(|cell| std::mem::take(&mut *cell.borrow_mut())) {
                // SAFETY: posting to this thread's own window.
                unsafe { PostMessageW(window, message, wparam, lparam) };
            }
            handled
        }
        // The handler is busy (a call it made, such as Shell_NotifyIcon or a menu, waits and lets
        // other messages in): the program's own messages wait for it, each kept once.
        None if message >= WM_APP => {
            DEFERRED.with(|cell| {
                let mut deferred = cell.borrow_mut();
                if !deferred.contains(&(message, wparam, lparam)) {
                    deferred.push((message, wparam, lparam));
                }
            });
            Some(0)
        }
        None => None,
    };
    if message == WM_DESTROY {
        // SAFETY: ends this thread's message loop; no pointers involved.
        unsafe { PostQuitMessage(0) };
    }
    // SAFETY: the arguments are the ones Windows passed in.
    handled.unwrap_or_else(|| unsafe { DefWindowProcW(window, message, wparam, lparam) })
}

/// Why a hidden window could not be made.
#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    /// No thread could be started.
    #[error("no thread for it ({0})")]
    NoThread(#[source] std::io::Error),
    /// Windows refused the window.
    #[error("Windows made no window for it ({0})")]
    NoWindow(#[source] std::io::Error),
    /// The caller's set-up failed.
    #[error("{0}")]
    SetUp(String),
    /// The thread ended before saying whether it worked.
    #[error("its thread ended at once")]
    ThreadEnded,
}

/// A hidden top-level window (top-level, so broadcasts such as sleep reach it) on a thread of
/// its own; dropping it closes the window and ends the thread.
pub struct HiddenWindow {
    /// The window's handle as a number (a handle is not `Send`; the number is).
    window: isize,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HiddenWindow {
    /// Starts thread `name` with a hidden window of class `class`; `set_up` runs on that
    /// thread once the window exists (its failure is returned here), then `handler` gets
    /// every message until the window is closed.
    pub fn spawn(
        name: &str,
        class: &'static str,
        set_up: impl FnOnce(HWND) -> Result<(), String> + Send + 'static,
        handler: impl FnOnce() -> Handler + Send + 'static,
    ) -> Result<HiddenWindow, WindowError> {
        let (ready_tx, ready) = channel::<Result<isize, WindowError>>();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let class_name = wide(class);
                // SAFETY: plain calls with valid NUL-terminated strings; the class may already be
                // registered by an earlier window of this process, with the same procedure.
                let window = unsafe {
                    let instance = GetModuleHandleW(std::ptr::null());
                    let class_info = WNDCLASSW {
                        lpfnWndProc: Some(window_procedure),
                        hInstance: instance,
                        lpszClassName: class_name.as_ptr(),
                        ..std::mem::zeroed()
                    };
                    RegisterClassW(&class_info);
                    CreateWindowExW(
                        0,
                        class_name.as_ptr(),
                        class_name.as_ptr(),
                        WS_OVERLAPPED,
                        0,
                        0,
                        0,
                        0,
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                        instance,
                        std::ptr::null(),
                    )
                };
                if window.is_null() {
                    let _ = ready_tx.send(Err(WindowError::NoWindow(std::io::Error::last_os_error())));
                    return;
                }
                if let Err(reason) = set_up(window) {
                    // SAFETY: the window was made on this thread.
                    unsafe { DestroyWindow(window) };
                    let _ = ready_tx.send(Err(WindowError::SetUp(reason)));
                    return;
                }
                HANDLER.with(|cell| *cell.borrow_mut() = Some(handler()));
                let _ = ready_tx.send(Ok(window as isize));
                // SAFETY: the usual message loop of this thread; MSG is plain data.
                unsafe {
                    let mut message: MSG = std::mem::zeroed();
                    while GetMessageW(&mut message, std::ptr::null_mut(), 0, 0) > 0 {
                        TranslateMessage(&message);
                        DispatchMessageW(&message);
                    }
                }
                HANDLER.with(|cell| cell.borrow_mut().take());
            })
            .map_err(WindowError::NoThread)?;
        match ready.recv() {
            Ok(Ok(window)) => Ok(HiddenWindow { window, thread: Some(thread) }),
            Ok(Err(error)) => {
                let _ = thread.join();
                Err(error)
            }
            Err(_) => Err(WindowError::ThreadEnded),
        }
    }

    /// Posts `message` to the window (handled on its thread, in turn).
    pub fn post(&self, message: u32) {
        // SAFETY: posting to a window of this process; a closed one just fails.
        unsafe { PostMessageW(self.window as HWND, message, 0, 0) };
    }

    /// The window's handle, as a number.
    pub fn handle(&self) -> isize {
        self.window
    }
}

impl Drop for HiddenWindow {
    fn drop(&mut self) {
        self.post(WM_CLOSE);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_goes_to_utf16_and_back_cut_to_its_field() {
        assert_eq!(wide("ab"), vec![97, 98, 0]);
        let mut field = [7u16; 4];
        fill_wide(&mut field, "Upright and more");
        assert_eq!(from_wide(&field), "Upr");
        fill_wide(&mut field, "é");
        assert_eq!(from_wide(&field), "é");
    }

    #[test]
    fn a_hidden_window_gets_its_messages_on_its_thread_and_closes_when_dropped() {
        const ASK: u32 = windows_sys::Win32::UI::WindowsAndMessaging::WM_APP + 7;
        let (seen_tx, seen) = channel();
        let window = HiddenWindow::spawn(
            "test-window",
            "slouchwatch-test-window",
            |_| Ok(()),
            move || {
                Box::new(move |_, message, _, _| {
                    if message == ASK || message == WM_DESTROY {
                        let _ = seen_tx.send((message, std::thread::current().name().map(str::to_owned)));
                    }
                    None
                })
            },
        )
        .unwrap();
        window.post(ASK);
        let timeout = std::time::Duration::from_secs(5);
        assert_eq!(seen.recv_timeout(timeout).unwrap(), (ASK, Some("test-window".to_owned())));
        drop(window);
        assert_eq!(seen.recv_timeout(timeout).unwrap().0, WM_DESTROY, "closed with the drop");
        let refused = HiddenWindow::spawn(
            "test-refused",
            "slouchwatch-test-window",
            |_| Err("no".into()),
            || Box::new(|_, _, _, _| None),
        );
        assert!(matches!(refused, Err(WindowError::SetUp(reason)) if reason == "no"));
    }
}
