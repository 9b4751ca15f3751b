//! Giving the camera over: while another program has the camera's device node open, or records
//! from a microphone (a call), the engine closes the camera, and takes it back only once they
//! have let go for a grace period. On Linux a webcam streams to one program at a time, so a
//! monitor that keeps it would break the user's next video call.
//!
//! - [`OtherUses`] decides (pure, with the time passed in): who uses what, and when to yield or
//!   reclaim;
//! - [`UseWatch`] is the thread that looks (the node's opens and holders, the sound server's
//!   capture streams; [`crate::source::in_use`], [`crate::source::microphone`]) and sends the
//!   engine [`EngineCommand::Yield`] and [`EngineCommand::Reclaim`].

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{EngineCommand, InUseElsewhere, OtherUse};
use crate::source::in_use::{self, OpenWatch};
use crate::source::microphone::{self, Subscription};

/// Seconds the other program must have let go before the camera is taken back: a call program
/// that closes the camera to switch devices or resolutions, or a caller who mutes the video for a
/// moment, opens it again within seconds; half a minute keeps the light from blinking between.
pub const YIELD_GRACE_S: u64 = 30;

/// A program that let go of the camera within this many seconds of taking it was only looking
/// (a browser listing cameras, a settings panel): the camera comes back after [`PROBE_GRACE_S`].
pub const PROBE_S: u64 = 2;
/// The grace after a look of [`PROBE_S`] or less, seconds.
pub const PROBE_GRACE_S: u64 = 3;

/// How often the watcher looks while nothing wakes it: the node's holders while the camera is
/// given over (who still holds it), and the sound server's news. An open of the node wakes it at
/// once.
const LOOK_EVERY: Duration = Duration::from_millis(250);

/// Older than a look ([`PROBE_S`]): what a use that came back within its grace counts as.
const PROBE_LONGER: Duration = Duration::from_secs(PROBE_S + 1);

/// How often the holders of a node given over are counted (a scan of the process table, a few
/// milliseconds, only while given over).
const HOLDERS_EVERY: Duration = Duration::from_secs(1);

/// After an open of the node, the holders are looked for again this often, for
/// [`OPEN_SETTLE`]: the kernel reports the open before the opener's file descriptor shows in
/// `/proc`, so a look at once can miss it (seen in a CI run: the camera was never given over).
const OPEN_LOOK_AGAIN: Duration = Duration::from_millis(20);

/// How long after an open the holders are looked for again ([`OPEN_LOOK_AGAIN`]).
const OPEN_SETTLE: Duration = Duration::from_secs(1);

/// What one kind of use is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Use {
    /// Nobody else.
    Free,
    /// The camera is given over to `program`, since `since`.
    Taken { program: String, since: Instant },
    /// The others let go at `since`; taken back when `grace` has passed.
    Ending { program: String, since: Instant, grace: Duration },
}

/// Who else uses the camera or a microphone, and what the engine should do about it.
#[derive(Debug, Clone)]
pub struct OtherUses {
    grace: Duration,
    camera: Use,
    microphone: Use,
}

impl OtherUses {
    /// Nobody else, with `grace` to wait after they let go.
    pub fn new(grace: Duration) -> OtherUses {
        OtherUses { grace, camera: Use::Free, microphone: Use::Free }
    }

    /// Who uses `what` now (`users`: the programs; empty when nobody), seen at `now`: the
    /// command to send, if any.
    pub fn observe(&mut self, what: OtherUse, users: &[String], now: Instant) -> Option<EngineCommand> {
        let full_grace = self.grace;
        let state = self.state_mut(what);
        let (next, command) = match (std::mem::replace(state, Use::Free), users.first()) {
            (Use::Free, None) => (Use::Free, None),
            (Use::Free, Some(program)) => (
                Use::Taken { program: program.clone(), since: now },
                Some(EngineCommand::Yield(InUseElsewhere { program: program.clone(), uses: what })),
            ),
            (taken @ Use::Taken { .. }, Some(_)) => (taken, None),
            // Back within the grace: a use, not a look, whatever it was before.
            (Use::Ending { program, .. }, Some(_)) => (Use::Taken { program, since: now - PROBE_LONGER }, None),
            (Use::Taken { program, since }, None) => {
                let looked = now.duration_since(since) <= Duration::from_secs(PROBE_S);
                let grace = if looked { Duration::from_secs(PROBE_GRACE_S).min(full_grace) } else { full_grace };
                (Use::Ending { program, since: now, grace }, None)
            }
            (Use::Ending { program, since, grace }, None) if now.duration_since(since) < grace => {
                (Use::Ending { program, since, grace }, None)
            }
            (Use::Ending { .. }, None) => (Use::Free, Some(EngineCommand::Reclaim(what))),
        };
        *state = next;
        command
    }

    /// Gives up following `what` (its watch is gone): the camera is taken back if it was given
    /// over for it.
    pub fn forget(&mut self, what: OtherUse) -> Option<EngineCommand> {
        match std::mem::replace(self.state_mut(what), Use::Free) {
            Use::Free => None,
            _ => Some(EngineCommand::Reclaim(what)),
        }
    }

    /// Whether the camera is given over for `what` (the others' grace included).
    pub fn is_taken(&self, what: OtherUse) -> bool {
        let state = match what {
            OtherUse::Camera => &self.camera,
            OtherUse::Microphone => &self.microphone,
        };
        !matches!(state, Use::Free)
    }

    fn state_mut(&mut self, what: OtherUse) -> &mut Use {
        match what {
            OtherUse::Camera => &mut self.camera,
            OtherUse::Microphone => &mut self.microphone,
        }
    }
}

/// The camera's device node as the engine last saw it open (the watcher follows it).
pub type WatchedNode = Arc<Mutex<Option<PathBuf>>>;

/// The watching thread; told to stop when dropped.
pub struct UseWatch {
    stop: Arc<AtomicBool>,
}

impl UseWatch {
    /// Starts watching `node` (as the engine updates it) and the sound server, sending commands
    /// to the engine on `commands`. What cannot be watched is said once in the log.
    pub fn start(node: WatchedNode, grace: Duration, commands: Sender<EngineCommand>) -> std::io::Result<UseWatch> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        std::thread::Builder::new()
            .name("camera-users".into())
            .spawn(move || watch(&node, grace, &commands, &stopping))?;
        Ok(UseWatch { stop })
    }
}

impl Drop for UseWatch {
    /// Tells the thread to end, without waiting: it may be inside a `pactl` call, and monitoring
    /// stops without waiting on the sound server. It ends at its next look.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The watcher's loop: wakes on an open of the node or every [`LOOK_EVERY`].
fn watch(node: &WatchedNode, grace: Duration, commands: &Sender<EngineCommand>, stop: &AtomicBool) {
    let mut uses = OtherUses::new(grace);
    let mut opens: Option<OpenWatch> = None;
    // A node that could not be watched, not tried again (said once).
    let mut unwatchable: Option<PathBuf> = None;
    let mut holders_counted = Instant::now();
    // Until when the holders are looked for again after an open (see [`OPEN_LOOK_AGAIN`]).
    let mut settling_until: Option<Instant> = None;
    let mut sound = start_sound_watch();
    // The programs recording, as last asked: asked again only when the sound server says
    // capture streams changed.
    let mut recording: Vec<String> = Vec::new();
    if sound.is_some() {
        // Calls already under way when monitoring starts.
        recording = recorders_now();
    }
    while !stop.load(Ordering::SeqCst) {
        let wanted = node.lock().ok().and_then(|node| node.clone());
        // Unplugged (the kernel drops the watch) or another camera: watched afresh.
        if opens.as_ref().is_some_and(OpenWatch::is_gone) || opens.as_ref().map(OpenWatch::node) != wanted.as_deref() {
            opens = wanted.as_deref().filter(|path| unwatchable.as_deref() != Some(*path)).and_then(|path| {
                match OpenWatch::new(path) {
                    Ok(watch) => {
                        // An open made before the watch existed wakes nothing: the holders are
                        // looked for now, as after an open (seen in a CI run: a program that
                        // opened the camera as monitoring began was never given it).
                        settling_until = Some(Instant::now() + OPEN_SETTLE);
                        Some(watch)
                    }
                    Err(error) => {
                        tracing::warn!("cannot watch {} for other programs opening it: {error}", path.display());
                        unwatchable = Some(path.to_owned());
                        None
                    }
                }
            });
        }
        let settling = settling_until.is_some_and(|until| Instant::now() < until);
        let wait = if settling { OPEN_LOOK_AGAIN } else { LOOK_EVERY };
        let opened = match &mut opens {
            Some(watch) => watch.opened_within(wait),
            None => {
                std::thread::sleep(wait);
                false
            }
        };
        if opened {
            settling_until = Some(Instant::now() + OPEN_SETTLE);
        }
        let due = uses.is_taken(OtherUse::Camera) && holders_counted.elapsed() >= HOLDERS_EVERY;
        if let (Some(path), true) = (&wanted, opened || settling || due) {
            holders_counted = Instant::now();
            let programs: Vec<String> = in_use::holders(path).into_iter().map(|holder| holder.program).collect();
            send(uses.observe(OtherUse::Camera, &programs, Instant::now()), commands);
        }
        if let Some(subscription) = &mut sound {
            if subscription.changed() {
                recording = recorders_now();
            }
            send(uses.observe(OtherUse::Microphone, &recording, Instant::now()), commands);
            if !subscription.is_running() {
                tracing::warn!("the sound server went away: microphone use is no longer watched");
                sound = None;
                send(uses.forget(OtherUse::Microphone), commands);
            }
        }
    }
}

fn start_sound_watch() -> Option<Subscription> {
    match Subscription::start() {
        Ok(subscription) => Some(subscription),
        Err(error) => {
            tracing::warn!("{error}");
            None
        }
    }
}

/// The programs recording from a microphone now (none when the sound server cannot say).
fn recorders_now() -> Vec<String> {
    microphone::recorders().unwrap_or_else(|error| {
        tracing::debug!("{error}");
        Vec::new()
    })
}

fn send(command: Option<EngineCommand>, commands: &Sender<EngineCommand>) {
    if let Some(command) = command {
        let _ = commands.send(command);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yielded_to(command: Option<EngineCommand>) -> Option<String> {
        match command {
            Some(EngineCommand::Yield(InUseElsewhere { program, .. })) => Some(program),
            _ => None,
        }
    }

    #[test]
    fn another_user_takes_the_camera_at_once_and_gives_it_back_only_after_the_grace() {
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);
        let mut uses = OtherUses::new(Duration::from_secs(30));
        let zoom = ["zoom".to_owned()];
        assert!(uses.observe(OtherUse::Camera, &[], at(0)).is_none());
        assert_eq!(yielded_to(uses.observe(OtherUse::Camera, &zoom, at(1))).as_deref(), Some("zoom"));
        assert!(uses.observe(OtherUse::Camera, &zoom, at(2)).is_none(), "said once");
        // Let go, back within the grace: still given over, the grace starts again.
        assert!(uses.observe(OtherUse::Camera, &[], at(10)).is_none());
        assert!(uses.observe(OtherUse::Camera, &zoom, at(20)).is_none());
        assert!(uses.observe(OtherUse::Camera, &[], at(30)).is_none());
        assert!(uses.observe(OtherUse::Camera, &[], at(59)).is_none(), "29 s after letting go");
        assert!(uses.is_taken(OtherUse::Camera));
        assert!(matches!(uses.observe(OtherUse::Camera, &[], at(60)), Some(EngineCommand::Reclaim(OtherUse::Camera))));
        assert!(!uses.is_taken(OtherUse::Camera));
        // A second program later is a second yield.
        let chrome = ["chrome".to_owned()];
        assert_eq!(yielded_to(uses.observe(OtherUse::Camera, &chrome, at(90))).as_deref(), Some("chrome"));
    }

    #[test]
    fn a_program_that_only_looked_gives_the_camera_back_after_the_short_grace() {
        let start = Instant::now();
        let at = |millis: u64| start + Duration::from_millis(millis);
        let mut uses = OtherUses::new(Duration::from_secs(30));
        let browser = ["chrome".to_owned()];
        assert!(yielded_to(uses.observe(OtherUse::Camera, &browser, at(0))).is_some());
        assert!(uses.observe(OtherUse::Camera, &[], at(500)).is_none());
        assert!(uses.observe(OtherUse::Camera, &[], at(3_400)).is_none());
        assert!(matches!(
            uses.observe(OtherUse::Camera, &[], at(3_500)),
            Some(EngineCommand::Reclaim(OtherUse::Camera))
        ));
        // A watch that goes away takes the camera back at once.
        assert!(yielded_to(uses.observe(OtherUse::Microphone, &browser, at(4_000))).is_some());
        assert!(matches!(uses.forget(OtherUse::Microphone), Some(EngineCommand::Reclaim(OtherUse::Microphone))));
        assert!(uses.forget(OtherUse::Microphone).is_none());
    }

    #[test]
    fn camera_and_microphone_are_followed_apart() {
        let start = Instant::now();
        let mut uses = OtherUses::new(Duration::from_secs(5));
        let call = ["teams".to_owned()];
        assert!(matches!(
            uses.observe(OtherUse::Microphone, &call, start),
            Some(EngineCommand::Yield(InUseElsewhere { uses: OtherUse::Microphone, .. }))
        ));
        assert!(!uses.is_taken(OtherUse::Camera));
        assert!(uses.observe(OtherUse::Camera, &[], start + Duration::from_secs(60)).is_none());
        assert!(uses.observe(OtherUse::Microphone, &[], start + Duration::from_secs(60)).is_none());
        assert!(matches!(
            uses.observe(OtherUse::Microphone, &[], start + Duration::from_secs(66)),
            Some(EngineCommand::Reclaim(OtherUse::Microphone))
        ));
    }
}
