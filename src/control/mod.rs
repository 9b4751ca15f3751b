//! Control from outside: the running monitor (`run` or the window) offers a session-bus
//! interface, `io.github.slouchwatch.Monitor1`, that scripts, panel applets and the
//! `slouchwatch status / pause / resume / snooze` commands use. On Windows the same calls go
//! over a named pipe ([`pipe_name`]), one line of JSON each way ([`calls`]).
//!
//! - this file: the names, what the monitor says about itself ([`MonitorStatus`], built from the
//!   engine's snapshots by a pure function) and the durations people type;
//! - [`calls`]: what each call does, whatever carries it, and the pipe's lines;
//! - [`service`]: the interface, served on its own thread;
//! - [`client`]: the calls the command line makes;
//! - [`lock`]: pausing while the screen is locked or the machine sleeps (`lock_windows.rs` on
//!   Windows).
//!
//! Bus interface (object `/io/github/slouchwatch/Monitor1`):
//! - `Pause(u seconds)`: pause monitoring (the camera is closed); 0 pauses until `Resume`.
//! - `Resume()`, `Snooze(u seconds)` (no posture warnings for that long), `Unsnooze()`.
//! - `Dispute()`: "I'm sitting fine" to the warning standing (or shown in the last minutes).
//! - `Status() -> s`: the status as JSON ([`MonitorStatus`]).
//! - `Open(s screen)`: show the window at `live`, `calibration` or `report` (opening it from
//!   the tray if it was closed); fails on a monitor without a window (`slouchwatch run`).
//! - property `State` (`s`, one of [`STATES`]) with `PropertiesChanged`, and the signal
//!   `StateChanged(s state, s words)` when it changes.

pub mod calls;
pub mod client;
#[cfg(not(windows))]
pub mod lock;
#[cfg(windows)]
#[path = "lock_windows.rs"]
pub mod lock;
pub mod quiet;
pub mod service;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::engine::Snapshot;
use crate::engine::sinks::StatusSink;
use crate::engine::status::MonitorState;

/// The monitor's well-known name on the session bus.
pub const BUS_NAME: &str = "io.github.slouchwatch.Monitor1";
/// The object that carries the interface.
pub const OBJECT_PATH: &str = "/io/github/slouchwatch/Monitor1";
/// The interface's name.
pub const INTERFACE: &str = "io.github.slouchwatch.Monitor1";

/// The named pipe the monitor answers on where there is no session bus (Windows): the bus
/// name and the user's, so each person at a shared computer reaches their own monitor.
pub fn pipe_name() -> String {
    let user = std::env::var("USERNAME").unwrap_or_default();
    let user: String = user.chars().filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    format!(r"\\.\pipe\{BUS_NAME}-{user}")
}

pub use crate::engine::WindowRequest;

/// Every value of [`MonitorStatus::state`].
pub use crate::engine::status::STATE_NAMES as STATES;

/// What the running monitor says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorStatus {
    /// One of [`STATES`].
    pub state: String,
    /// The state in words, as the window says it.
    pub words: String,
    /// When a pause for a while ends.
    pub paused_until: Option<DateTime<Utc>>,
    /// When a snooze ends.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Whether there is a calibration to judge against.
    pub calibrated: bool,
    /// Today so far (local day), seconds judged upright.
    pub today_upright_s: f64,
    /// Today so far, seconds slouching.
    pub today_slouched_s: f64,
    /// Today so far, seconds at the desk not judged.
    pub today_not_judged_s: f64,
    /// While the camera is given over (state `yielded`): to which program, and what it uses.
    #[serde(default)]
    pub in_use_elsewhere: Option<crate::engine::InUseElsewhere>,
    /// Today so far, seconds the camera was given over to another program or held for a call.
    #[serde(default)]
    pub today_in_calls_s: f64,
    /// The monitor's process.
    pub pid: u32,
}

impl Default for MonitorStatus {
    fn default() -> MonitorStatus {
        MonitorStatus {
            state: MonitorState::Starting.name().into(),
            words: MonitorState::Starting.words(),
            paused_until: None,
            snoozed_until: None,
            calibrated: false,
            today_upright_s: 0.0,
            today_slouched_s: 0.0,
            today_not_judged_s: 0.0,
            in_use_elsewhere: None,
            today_in_calls_s: 0.0,
            pid: std::process::id(),
        }
    }
}

impl MonitorStatus {
    /// The status of `state`, with today's totals from `snapshot` (none before the first one).
    pub fn new(state: &MonitorState, snapshot: Option<&Snapshot>, calibrated: bool) -> MonitorStatus {
        let today = snapshot.map(|snapshot| snapshot.today.clone()).unwrap_or_default();
        MonitorStatus {
            state: state.name().to_owned(),
            words: state.words(),
            paused_until: snapshot.and_then(|snapshot| snapshot.paused_until),
            snoozed_until: snapshot.and_then(|snapshot| snapshot.snoozed_until),
            calibrated,
            today_upright_s: today.upright_s,
            today_slouched_s: today.slouched_s,
            today_not_judged_s: today.not_judged_s(),
            in_use_elsewhere: match state {
                MonitorState::Yielded(other) => Some(other.clone()),
                _ => None,
            },
            today_in_calls_s: today.in_calls_s,
            pid: std::process::id(),
        }
    }
}

/// The status a snapshot shows (pure): [`MonitorState::of`], the window's rule and words.
pub fn status_of(snapshot: &Snapshot, calibrated: bool) -> MonitorStatus {
    MonitorStatus::new(&MonitorState::of(None, Some(snapshot), calibrated), Some(snapshot), calibrated)
}

/// The status while the camera is missing or lost (today's totals kept).
pub fn no_camera(previous: &MonitorStatus, detail: &str) -> MonitorStatus {
    let state = MonitorState::NoCamera { detail: detail.to_owned() };
    MonitorStatus { state: state.name().to_owned(), words: state.words(), ..previous.clone() }
}

/// What the monitor shows: no camera when the camera has a problem, else what the latest
/// snapshot says, else "starting".
pub fn shown_status(camera_problem: Option<&str>, latest: Option<&Snapshot>, calibrated: bool) -> MonitorStatus {
    MonitorStatus::new(&MonitorState::of(camera_problem, latest, calibrated), latest, calibrated)
}

/// The status shared between the engine (which updates it) and the bus service (which serves
/// it and tells listeners when it changes).
#[derive(Default)]
pub struct ControlState {
    status: Mutex<MonitorStatus>,
    pub(crate) changed: zruntime::Event,
    stopping: std::sync::atomic::AtomicBool,
    /// Whether this monitor can show a window (the window or the tray, not `run`).
    window: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for ControlState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlState").field("status", &self.status()).finish()
    }
}

impl ControlState {
    /// A state saying "starting".
    pub fn new() -> Arc<ControlState> {
        Arc::new(ControlState::default())
    }

    /// The status now.
    pub fn status(&self) -> MonitorStatus {
        self.status.lock().map(|status| status.clone()).unwrap_or_default()
    }

    /// Sets the status; listeners hear of it when the state or its words changed.
    pub fn set(&self, status: MonitorStatus) {
        let Ok(mut current) = self.status.lock() else { return };
        let news = current.state != status.state || current.words != status.words;
        *current = status;
        drop(current);
        if news {
            self.changed.notify(usize::MAX);
        }
    }

    /// Asks the service to end (the engine stopped).
    pub fn stop(&self) {
        self.stopping.store(true, std::sync::atomic::Ordering::Release);
        self.changed.notify(usize::MAX);
    }

    /// Says that this monitor can show its window when asked ([`WindowRequest`]).
    pub fn offer_window(&self) {
        self.window.store(true, std::sync::atomic::Ordering::Release);
    }

    pub(crate) fn has_window(&self) -> bool {
        self.window.load(std::sync::atomic::Ordering::Acquire)
    }

    #[cfg(not(windows))]
    pub(crate) fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl StatusSink for ControlState {
    fn snapshot(&self, snapshot: &Snapshot, calibrated: bool) {
        self.set(status_of(snapshot, calibrated));
    }

    fn camera_lost(&self, detail: &str) {
        self.set(no_camera(&self.status(), detail));
    }

    fn finished(&self) {
        self.stop();
    }
}

/// Reads a duration as people type it: `90s`, `15m`, `15min`, `1h`, `1h30m`, or a bare number
/// of minutes.
pub fn parse_duration(text: &str) -> Result<TimeDelta, String> {
    let text = text.trim().to_lowercase();
    let invalid = || format!("'{text}' is not a duration: write e.g. 15m, 1h, 1h30m or 90s");
    if let Ok(minutes) = text.parse::<u32>() {
        return Ok(TimeDelta::minutes(minutes.into()));
    }
    let mut total = TimeDelta::zero();
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let mut unit = String::from(c);
        while let Some(next) = chars.peek().filter(|next| next.is_ascii_alphabetic()) {
            unit.push(*next);
            chars.next();
        }
        let value: i64 = number.parse().map_err(|_| invalid())?;
        number.clear();
        total += match unit.as_str() {
            "s" | "sec" | "secs" => TimeDelta::seconds(value),
            "m" | "min" | "mins" => TimeDelta::minutes(value),
            "h" | "hr" | "hrs" | "hour" | "hours" => TimeDelta::hours(value),
            _ => return Err(invalid()),
        };
        any = true;
    }
    if !number.is_empty() || !any || total <= TimeDelta::zero() {
        return Err(invalid());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("15m"), Ok(TimeDelta::minutes(15)));
        assert_eq!(parse_duration("1h30m"), Ok(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("90s"), Ok(TimeDelta::seconds(90)));
        assert_eq!(parse_duration("2 h"), Err("'2 h' is not a duration: write e.g. 15m, 1h, 1h30m or 90s".into()));
        assert_eq!(parse_duration("45"), Ok(TimeDelta::minutes(45)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0m").is_err());
        assert!(parse_duration("10x").is_err());
    }

    #[test]
    fn listeners_hear_of_a_new_state_not_of_the_same_one() {
        let state = ControlState::new();
        let listener = state.changed.listen();
        state.set(MonitorStatus::default());
        let upright = MonitorStatus { state: "upright".into(), words: "Upright".into(), ..MonitorStatus::default() };
        state.set(upright.clone());
        zbus::block_on(listener);
        let quiet = state.changed.listen();
        state.set(MonitorStatus { today_upright_s: 5.0, ..upright });
        // Same state and words: nobody is told (the listener is still pending).
        let waker = std::task::Waker::noop();
        let mut quiet = std::pin::pin!(quiet);
        assert!(quiet.as_mut().poll(&mut std::task::Context::from_waker(waker)).is_pending());
        assert_eq!(state.status().today_upright_s, 5.0);
    }
}
