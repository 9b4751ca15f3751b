//! The camera rests while nobody can be at the desk (Windows): monitoring pauses when the
//! session is locked or the machine goes to sleep, and resumes on unlock or wake. Windows says
//! so to a window: `WM_WTSSESSION_CHANGE` (after `WTSRegisterSessionNotification`, this session
//! only) and the `WM_POWERBROADCAST` broadcast, received by a hidden window of our own
//! ([`crate::win32::HiddenWindow`]). A pause the user made is theirs: unlocking never ends it.
//! The Linux watch (`lock.rs`) offers the same [`watch`] and [`LockWatch`].

use std::sync::mpsc::Sender;

use crate::engine::{EngineCommand, Hold};
use crate::win32::HiddenWindow;

/// `WM_WTSSESSION_CHANGE`: the session changed; `wparam` says how.
const SESSION_CHANGE: u32 = 0x02B1;
/// `WTS_SESSION_LOCK` and `WTS_SESSION_UNLOCK`.
const SESSION_LOCK: usize = 0x7;
const SESSION_UNLOCK: usize = 0x8;
/// `WM_POWERBROADCAST`: power news; `wparam` says which.
const POWER_BROADCAST: u32 = 0x0218;
/// `PBT_APMSUSPEND`: going to sleep now.
const POWER_SUSPEND: usize = 0x4;
/// `PBT_APMRESUMESUSPEND` (a person woke it) and `PBT_APMRESUMEAUTOMATIC` (it woke, maybe with
/// nobody there: the camera then finds nobody and says "away", as usual).
const POWER_RESUME_BY_PERSON: usize = 0x7;
const POWER_RESUME: usize = 0x12;
/// `NOTIFY_FOR_THIS_SESSION`: only this session's lock and unlock, not other people's.
const THIS_SESSION: u32 = 0;
/// The hidden window's class.
const WINDOW_CLASS: &str = "slouchwatch-lock-watch";

/// What a window message means for monitoring: hold (pause) or release, and why (pure).
pub fn meaning(message: u32, wparam: usize) -> Option<(Hold, bool)> {
    match (message, wparam) {
        (SESSION_CHANGE, SESSION_LOCK) => Some((Hold::Locked, true)),
        (SESSION_CHANGE, SESSION_UNLOCK) => Some((Hold::Locked, false)),
        (POWER_BROADCAST, POWER_SUSPEND) => Some((Hold::Asleep, true)),
        (POWER_BROADCAST, POWER_RESUME | POWER_RESUME_BY_PERSON) => Some((Hold::Asleep, false)),
        _ => None,
    }
}

/// The watcher, while it runs; dropping it ends it (with the engine).
pub struct LockWatch {
    _window: Option<HiddenWindow>,
}

/// Starts watching on a thread of its own; it sends [`EngineCommand::Hold`] and
/// [`EngineCommand::Release`] to `commands` until the returned [`LockWatch`] is dropped. Also
/// returns what could not be watched (to log).
pub fn watch(commands: Sender<EngineCommand>) -> (LockWatch, Vec<String>) {
    let set_up = |window| {
        // SAFETY: a window of this thread; the registration ends with the window.
        let registered =
            unsafe { windows_sys::Win32::System::RemoteDesktop::WTSRegisterSessionNotification(window, THIS_SESSION) };
        if registered == 0 {
            // Sleep still reaches the window; only the lock is not told.
            tracing::info!("screen lock is not watched ({})", std::io::Error::last_os_error());
        }
        Ok(())
    };
    let handler = move || -> crate::win32::Handler {
        Box::new(move |window, message, wparam, _| {
            if message == windows_sys::Win32::UI::WindowsAndMessaging::WM_DESTROY {
                // SAFETY: the window registered in set-up, before it is gone.
                unsafe { windows_sys::Win32::System::RemoteDesktop::WTSUnRegisterSessionNotification(window) };
                return None;
            }
            let (hold, on) = meaning(message, wparam)?;
            tracing::info!(?hold, on, "the desk session changed");
            let _ = commands.send(if on { EngineCommand::Hold(hold) } else { EngineCommand::Release(hold) });
            // Both messages are answered TRUE (power) or ignored (session): 1 suits both.
            Some(1)
        })
    };
    match HiddenWindow::spawn("slouchwatch-lock-watch", WINDOW_CLASS, set_up, handler) {
        Ok(window) => (LockWatch { _window: Some(window) }, Vec::new()),
        Err(error) => (LockWatch { _window: None }, vec![format!("screen lock and sleep are not watched ({error})")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_and_sleep_messages_hold_and_release_and_others_mean_nothing() {
        assert_eq!(meaning(SESSION_CHANGE, SESSION_LOCK), Some((Hold::Locked, true)));
        assert_eq!(meaning(SESSION_CHANGE, SESSION_UNLOCK), Some((Hold::Locked, false)));
        assert_eq!(meaning(POWER_BROADCAST, POWER_SUSPEND), Some((Hold::Asleep, true)));
        assert_eq!(meaning(POWER_BROADCAST, POWER_RESUME), Some((Hold::Asleep, false)));
        assert_eq!(meaning(POWER_BROADCAST, POWER_RESUME_BY_PERSON), Some((Hold::Asleep, false)));
        assert_eq!(meaning(SESSION_CHANGE, 0x1), None, "a console connecting is not a lock");
        assert_eq!(meaning(0x0010, SESSION_LOCK), None);
    }

    #[test]
    fn the_watch_window_turns_a_lock_into_a_hold_and_an_unlock_into_a_release() {
        use windows_sys::Win32::UI::WindowsAndMessaging::{FindWindowW, SendMessageW};
        let (commands, received) = std::sync::mpsc::channel();
        let (_watch, missing) = watch(commands);
        assert!(missing.is_empty(), "{missing:?}");
        let class = crate::win32::wide(WINDOW_CLASS);
        // SAFETY: finding and messaging the watch's own window, as Windows would.
        unsafe {
            let window = FindWindowW(class.as_ptr(), std::ptr::null());
            assert!(!window.is_null(), "the watch has its window");
            SendMessageW(window, SESSION_CHANGE, SESSION_LOCK, 0);
            SendMessageW(window, SESSION_CHANGE, SESSION_UNLOCK, 0);
        }
        let timeout = std::time::Duration::from_secs(5);
        assert!(matches!(received.recv_timeout(timeout), Ok(EngineCommand::Hold(Hold::Locked))));
        assert!(matches!(received.recv_timeout(timeout), Ok(EngineCommand::Release(Hold::Locked))));
    }
}
