//! The tray icon on Windows: an icon in the notification area (`Shell_NotifyIcon`) drawn in the
//! state's colour ([`super::icon::pixmap`]), its tip the state in words, a click opening the
//! window and a right click the same menu as on Linux ([`super::menu::entries`]) as a popup
//! menu. A hidden window on the tray's own thread owns the icon and gets its clicks
//! ([`crate::win32::HiddenWindow`]); when Explorer restarts, the icon is put back.

use std::sync::Arc;

use windows_sys::Win32::Foundation::{HWND, LPARAM, POINT};
use windows_sys::Win32::Graphics::Gdi::{CreateBitmap, DeleteObject};
use windows_sys::Win32::UI::Shell::{
    NIF_ICON, NIF_MESSAGE, NIF_TIP, NIM_ADD, NIM_DELETE, NIM_MODIFY, NOTIFYICONDATAW, Shell_NotifyIconW,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    AppendMenuW, CreateIconIndirect, CreatePopupMenu, DestroyIcon, DestroyMenu, GetCursorPos, GetSystemMetrics, HICON,
    ICONINFO, MF_SEPARATOR, MF_STRING, PostMessageW, RegisterWindowMessageW, SM_CXSMICON, SetForegroundWindow,
    TPM_NONOTIFY, TPM_RETURNCMD, TPM_RIGHTBUTTON, TrackPopupMenu, WM_APP, WM_CONTEXTMENU, WM_DESTROY, WM_LBUTTONUP,
    WM_NULL, WM_RBUTTONUP,
};

use super::{RequestSink, TrayError, TrayRequest, icon, menu};
use crate::control::{ControlState, MonitorStatus};
use crate::win32::{HiddenWindow, fill_wide, wide};

/// The icon's number among this window's icons (it has one).
const ICON_ID: u32 = 1;
/// The message the notification area sends about clicks on the icon.
const ICON_MESSAGE: u32 = WM_APP + 1;
/// The message asking the icon to show the state now.
const REFRESH: u32 = WM_APP + 2;
/// The message asking for the menu. A right click posts it rather than opening the menu at once:
/// the notification area may be waiting for the click's message to return, and a menu open
/// inside it would hold the notification area (and, in Wine's desktop, all input) until closed.
const SHOW_MENU: u32 = WM_APP + 3;
/// The hidden window's class.
const WINDOW_CLASS: &str = "slouchwatch-tray";
/// Smallest and largest icon drawn, pixels (the notification area's small-icon size, 16 at
/// 100 % scaling, is asked for and kept within these).
const ICON_PIXELS: (i32, i32) = (16, 64);

/// The icon in the notification area, while shown; dropping it takes the icon away.
pub struct NotifyIcon {
    window: HiddenWindow,
}

impl NotifyIcon {
    /// Puts the icon in the notification area, showing `state`; menu choices and clicks go to
    /// `sink`. Fails when Windows will not show it.
    pub fn show(state: Arc<ControlState>, sink: RequestSink) -> Result<NotifyIcon, TrayError> {
        let first = state.status();
        let set_up = move |window: HWND| {
            if place(window, NIM_ADD, &first) { Ok(()) } else { Err(std::io::Error::last_os_error().to_string()) }
        };
        let handler = move || -> crate::win32::Handler {
            // SAFETY: a NUL-terminated name; Explorer broadcasts it when it (re)starts.
            let taskbar_created = unsafe { RegisterWindowMessageW(wide("TaskbarCreated").as_ptr()) };
            let mut shown = first_shown(&state);
            Box::new(move |window, message, _, lparam| match message {
                ICON_MESSAGE => {
                    match mouse_message(lparam) {
                        WM_LBUTTONUP => sink.send(TrayRequest::Open),
                        WM_RBUTTONUP | WM_CONTEXTMENU => {
                            // SAFETY: posting to this thread's own window.
                            unsafe { PostMessageW(window, SHOW_MENU, 0, 0) };
                        }
                        _ => {}
                    }
                    Some(0)
                }
                SHOW_MENU => {
                    if let Some(request) = pop_up_menu(window, &state.status().state) {
                        sink.send(request);
                    }
                    Some(0)
                }
                REFRESH => {
                    let now = state.status();
                    if (now.state.as_str(), now.words.as_str()) != (shown.0.as_str(), shown.1.as_str()) {
                        place(window, NIM_MODIFY, &now);
                        shown = (now.state, now.words);
                    }
                    Some(0)
                }
                WM_DESTROY => {
                    remove(window);
                    None
                }
                message if message == taskbar_created && taskbar_created != 0 => {
                    place(window, NIM_ADD, &state.status());
                    Some(0)
                }
                _ => None,
            })
        };
        HiddenWindow::spawn("slouchwatch-tray", WINDOW_CLASS, set_up, handler)
            .map(|window| NotifyIcon { window })
            .map_err(|error| TrayError::NotificationArea(error.to_string()))
    }

    /// Shows the state now (after [`ControlState::set`]); only a change redraws.
    pub fn refresh(&self) {
        self.window.post(REFRESH);
    }
}

impl Drop for NotifyIcon {
    fn drop(&mut self) {
        // Taken away here too, not only when the window closes: a menu open at that moment
        // keeps the window's handler busy, and the icon would stay behind.
        remove(self.window.handle() as HWND);
    }
}

/// The state the icon was first drawn with.
fn first_shown(state: &ControlState) -> (String, String) {
    let status = state.status();
    (status.state, status.words)
}

/// The mouse message in a notification's `lparam` (the icon's first notification version).
fn mouse_message(lparam: LPARAM) -> u32 {
    (lparam as u32) & 0xFFFF
}

/// The icon's tip: the name and the state in words, as the Linux tray's tool tip says it.
pub fn tip(status: &MonitorStatus) -> String {
    format!("slouchwatch: {}", status.words)
}

/// The protocol's ARGB32 (big-endian) as a Windows bitmap's BGRA bytes.
pub fn bgra(argb: &[u8]) -> Vec<u8> {
    argb.chunks_exact(4).flat_map(|pixel| [pixel[3], pixel[2], pixel[1], pixel[0]]).collect()
}

/// The menu entry `id` chosen in `state`'s menu, as a request.
pub fn chosen(state: &str, id: i32) -> Option<TrayRequest> {
    menu::entries(state).into_iter().find(|entry| entry.0 == id).and_then(|entry| entry.2)
}

/// The icon data for this window's icon.
fn icon_data(window: HWND) -> NOTIFYICONDATAW {
    // SAFETY: plain data; all-zero is its empty value.
    let mut data: NOTIFYICONDATAW = unsafe { std::mem::zeroed() };
    data.cbSize = std::mem::size_of::<NOTIFYICONDATAW>() as u32;
    data.hWnd = window;
    data.uID = ICON_ID;
    data
}

/// Adds (`NIM_ADD`) or changes (`NIM_MODIFY`) the icon to show `status`; whether Windows took it.
fn place(window: HWND, how: u32, status: &MonitorStatus) -> bool {
    let Some(picture) = draw(&status.state) else { return false };
    let mut data = icon_data(window);
    data.uFlags = NIF_ICON | NIF_MESSAGE | NIF_TIP;
    data.uCallbackMessage = ICON_MESSAGE;
    data.hIcon = picture;
    fill_wide(&mut data.szTip, &tip(status));
    // SAFETY: valid data for this window's icon; the notification area keeps its own copy of
    // the picture, so ours is destroyed after.
    unsafe {
        let taken = Shell_NotifyIconW(how, &data) != 0;
        DestroyIcon(picture);
        taken
    }
}

/// Takes the icon away.
fn remove(window: HWND) {
    let data = icon_data(window);
    // SAFETY: valid data for this window's icon.
    unsafe { Shell_NotifyIconW(NIM_DELETE, &data) };
}

/// The icon for `state` as a Windows icon at the notification area's size.
fn draw(state: &str) -> Option<HICON> {
    // SAFETY: a plain query.
    let size = unsafe { GetSystemMetrics(SM_CXSMICON) }.clamp(ICON_PIXELS.0, ICON_PIXELS.1);
    let (width, height, argb) = icon::pixmap(state, size);
    let colour = bgra(&argb);
    // A 1-bit mask of zeros (the colour's alpha does the shaping), rows padded to 16 bits.
    let mask = vec![0u8; (width as usize).div_ceil(16) * 2 * height as usize];
    // SAFETY: both buffers hold a whole bitmap of the given size; the bitmaps are freed once
    // the icon (which copies them) is made.
    unsafe {
        let colour = CreateBitmap(width, height, 1, 32, colour.as_ptr().cast());
        let mask = CreateBitmap(width, height, 1, 1, mask.as_ptr().cast());
        let info = ICONINFO { fIcon: 1, xHotspot: 0, yHotspot: 0, hbmMask: mask, hbmColor: colour };
        let picture = CreateIconIndirect(&info);
        DeleteObject(colour);
        DeleteObject(mask);
        (!picture.is_null()).then_some(picture)
    }
}

/// Shows `state`'s menu at the pointer and returns the choice.
fn pop_up_menu(window: HWND, state: &str) -> Option<TrayRequest> {
    let entries = menu::entries(state);
    // SAFETY: a menu made, shown and destroyed here; labels live until it is destroyed.
    unsafe {
        let popup = CreatePopupMenu();
        if popup.is_null() {
            return None;
        }
        let labels: Vec<Option<Vec<u16>>> = entries.iter().map(|entry| entry.1.map(wide)).collect();
        for (entry, label) in entries.iter().zip(&labels) {
            match label {
                Some(label) => AppendMenuW(popup, MF_STRING, entry.0 as usize, label.as_ptr()),
                None => AppendMenuW(popup, MF_SEPARATOR, 0, std::ptr::null()),
            };
        }
        let mut pointer = POINT { x: 0, y: 0 };
        GetCursorPos(&mut pointer);
        // The menu closes when the person clicks elsewhere only if its window is in front.
        SetForegroundWindow(window);
        let id = TrackPopupMenu(
            popup,
            TPM_RETURNCMD | TPM_RIGHTBUTTON | TPM_NONOTIFY,
            pointer.x,
            pointer.y,
            0,
            window,
            std::ptr::null(),
        );
        PostMessageW(window, WM_NULL, 0, 0);
        DestroyMenu(popup);
        chosen(state, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pictures_bytes_go_to_windows_order_and_menu_ids_to_requests() {
        assert_eq!(bgra(&[255, 0x2e, 0x9d, 0x5b, 0, 1, 2, 3]), vec![0x5b, 0x9d, 0x2e, 255, 3, 2, 1, 0]);
        assert_eq!(chosen("upright", 3), Some(TrayRequest::Pause));
        assert_eq!(chosen("paused", 3), Some(TrayRequest::Resume));
        assert_eq!(chosen("warning", 13), Some(TrayRequest::Dispute));
        assert_eq!(chosen("upright", 13), None, "no \"I'm sitting fine\" without a warning");
        assert_eq!(chosen("upright", 2), None, "a separator asks nothing");
        assert_eq!(chosen("upright", 0), None, "the menu closed without a choice");
        assert_eq!(chosen("upright", 12), Some(TrayRequest::Quit));
        assert_eq!(mouse_message(0x0001_0205), WM_RBUTTONUP);
        let status = MonitorStatus { words: "Slouching: head forward".into(), ..MonitorStatus::default() };
        assert_eq!(tip(&status), "slouchwatch: Slouching: head forward");
    }

    /// The real icon: shown, told of a new state, clicked (as the notification area would send
    /// it), and taken away.
    #[test]
    fn the_icon_is_shown_and_a_click_opens_the_window() {
        use windows_sys::Win32::UI::WindowsAndMessaging::{FindWindowW, SendMessageW};
        let (requests, received) = std::sync::mpsc::channel();
        let tray = super::super::Tray::start(None, RequestSink::new(requests, || {})).unwrap();
        tray.show(MonitorStatus { state: "warning".into(), words: "Slouching".into(), ..MonitorStatus::default() });
        let class = wide(WINDOW_CLASS);
        // SAFETY: finding and messaging the tray's own window, as the notification area would.
        unsafe {
            let window = FindWindowW(class.as_ptr(), std::ptr::null());
            assert!(!window.is_null(), "the icon has its window");
            SendMessageW(window, ICON_MESSAGE, ICON_ID as usize, WM_LBUTTONUP as isize);
        }
        let timeout = std::time::Duration::from_secs(5);
        assert_eq!(received.recv_timeout(timeout), Ok(TrayRequest::Open));
        drop(tray);
        // SAFETY: a plain lookup.
        assert!(unsafe { FindWindowW(class.as_ptr(), std::ptr::null()) }.is_null(), "gone with the tray");
    }

    #[test]
    fn a_picture_is_made_for_every_state() {
        for state in crate::control::STATES {
            let picture = draw(state).unwrap_or_else(|| panic!("no icon for {state}"));
            // SAFETY: an icon made just now.
            unsafe { DestroyIcon(picture) };
        }
    }
}
