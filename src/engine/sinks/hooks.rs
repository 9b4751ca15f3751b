//! The user's hook: a command of their own (a smart lamp, a desk controller) run on the events
//! people act on, with the event's JSON (the line `slouchwatch run` prints) on its standard
//! input. It runs beside the engine, never in its way: started and fed on a thread of its own,
//! stopped if it outlives [`HOOK_TIMEOUT_S`], and a failure is logged once, not every time.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::alerts::AlertEvent;
use crate::engine::{EngineEvent, TimedEvent};

/// Longest a hook may run before it is stopped, seconds.
pub const HOOK_TIMEOUT_S: u64 = 10;
/// How often a running hook is checked on.
const HOOK_POLL: Duration = Duration::from_millis(50);

/// The events a hook hears of, by their names in the JSON.
pub const HOOK_EVENTS: [&str; 5] = ["warning", "cleared", "away", "back", "break_reminder"];

/// Runs the hook command (through `sh -c`, or `cmd /C` on Windows) on each event in
/// [`HOOK_EVENTS`].
pub struct HookSink {
    command: String,
    /// Whether a failure was logged already.
    complained: Arc<AtomicBool>,
}

impl HookSink {
    /// A sink running `command`.
    pub fn new(command: String) -> HookSink {
        HookSink { command, complained: Arc::new(AtomicBool::new(false)) }
    }

    /// Starts the hook for `event` if it is one hooks hear of; returns at once.
    pub fn offer(&self, event: &TimedEvent) {
        let EngineEvent::Alert(alert) = &event.event else { return };
        let wanted = matches!(
            alert,
            AlertEvent::Warning { .. }
                | AlertEvent::Cleared { .. }
                | AlertEvent::Away
                | AlertEvent::Back { .. }
                | AlertEvent::BreakReminder { .. }
        );
        if !wanted {
            return;
        }
        let Ok(json) = serde_json::to_string(event) else { return };
        let (command, complained) = (self.command.clone(), self.complained.clone());
        let started = std::thread::Builder::new()
            .name("slouchwatch-hook".into())
            .spawn(move || run_hook(&command, &json, &complained));
        if let Err(error) = started {
            complain(&self.complained, &format!("could not start a thread for it: {error}"));
        }
    }
}

fn complain(complained: &AtomicBool, what: &str) {
    if !complained.swap(true, Ordering::Relaxed) {
        tracing::warn!("the event hook failed: {what} (said once; later failures are not repeated)");
    }
}

/// `command` run by the platform's shell: `sh -c` (Unix), `cmd /C` (Windows, the line passed
/// as typed, so its own quotes hold).
fn shell(command: &str) -> Command {
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        let mut shell = Command::new("cmd");
        shell.arg("/C").raw_arg(command);
        shell
    }
    #[cfg(not(windows))]
    {
        let mut shell = Command::new("sh");
        shell.arg("-c").arg(command);
        shell
    }
}

/// Runs one hook to its end (or its timeout), feeding it `json` on its standard input.
fn run_hook(command: &str, json: &str, complained: &AtomicBool) {
    let spawned = shell(command).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => return complain(complained, &format!("`{command}` could not be started: {error}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input only loses it.
        let _ = stdin.write_all(json.as_bytes()).and_then(|()| stdin.write_all(b"\n"));
    }
    let deadline = Instant::now() + Duration::from_secs(HOOK_TIMEOUT_S);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return,
            Ok(Some(status)) => return complain(complained, &format!("`{command}` ended with {status}")),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return complain(complained, &format!("`{command}` ran over {HOOK_TIMEOUT_S} s and was stopped"));
            }
            Ok(None) => std::thread::sleep(HOOK_POLL),
            Err(error) => return complain(complained, &format!("`{command}`: {error}")),
        }
    }
}
