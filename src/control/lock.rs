//! The camera rests while nobody can be at the desk: monitoring pauses when the screen locks or
//! the machine goes to sleep, and resumes on unlock or wake. Linux: the screen saver's
//! `ActiveChanged` on the session bus (`org.freedesktop.ScreenSaver`, GNOME's
//! `org.gnome.ScreenSaver`), and logind's `Lock` / `Unlock` of this session and
//! `PrepareForSleep` on the system bus, where there is one. A pause the user made is theirs:
//! unlocking never ends it.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use futures_core::Stream;
use zbus::{Connection, MatchRule, MessageStream};

use crate::engine::{EngineCommand, Hold};

/// The screen savers whose `ActiveChanged(bool)` means locked (true) or back (false).
const SCREEN_SAVER_INTERFACES: [&str; 2] = ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];
/// logind's manager (sleep) and session (lock) interfaces.
const LOGIND_MANAGER: &str = "org.freedesktop.login1.Manager";
const LOGIND_SESSION: &str = "org.freedesktop.login1.Session";

/// The watchers, while they run; dropping this ends them (with the engine).
pub struct LockWatch {
    stop: Arc<Stop>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// Tells the watching threads to end.
#[derive(Default)]
struct Stop {
    asked: AtomicBool,
    event: zruntime::Event,
}

impl Drop for LockWatch {
    fn drop(&mut self) {
        self.stop.asked.store(true, Ordering::Release);
        self.stop.event.notify(usize::MAX);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Starts watching both buses on threads of their own; each sends [`EngineCommand::Hold`] and
/// [`EngineCommand::Release`] to `commands` until the returned [`LockWatch`] is dropped. Also
/// returns what could not be watched (to log), e.g. no system bus.
pub fn watch(commands: Sender<EngineCommand>) -> (LockWatch, Vec<String>) {
    let stop = Arc::new(Stop::default());
    let mut missing = Vec::new();
    let mut threads = Vec::new();
    for (name, bus) in [("session", Bus::Session), ("system", Bus::System)] {
        let (ready_tx, ready) = std::sync::mpsc::channel();
        let (commands, stopping) = (commands.clone(), stop.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("slouchwatch-{name}-watch"))
            .spawn(move || zbus::block_on(listen(bus, commands, ready_tx, stopping)));
        let outcome = match spawned {
            Ok(thread) => {
                threads.push(thread);
                ready.recv().unwrap_or(Err(WatchError::ThreadEnded))
            }
            Err(error) => Err(WatchError::NoThread(error)),
        };
        if let Err(reason) = outcome {
            missing.push(format!("screen lock and sleep are not watched on the {name} bus ({reason})"));
        }
    }
    (LockWatch { stop, threads }, missing)
}

/// Why a bus is not watched.
#[derive(Debug, thiserror::Error)]
enum WatchError {
    /// The bus could not be reached or its signals not subscribed to.
    #[error("{0}")]
    NoBus(#[source] zbus::Error),
    /// No thread could be started.
    #[error("no thread for it: {0}")]
    NoThread(#[source] std::io::Error),
    /// The thread ended before saying whether it worked.
    #[error("the watching thread ended")]
    ThreadEnded,
}

#[derive(Clone, Copy)]
enum Bus {
    Session,
    System,
}

async fn connect(bus: Bus) -> zbus::Result<(Connection, Vec<MessageStream>)> {
    let signal = || MatchRule::builder().msg_type(zbus::message::Type::Signal);
    match bus {
        Bus::Session => {
            let connection = Connection::session().await?;
            let mut streams = Vec::new();
            for interface in SCREEN_SAVER_INTERFACES {
                let rule = signal().interface(interface).member("ActiveChanged").build()?;
                streams.push(MessageStream::for_match_rule(rule, &connection, None).await?);
            }
            Ok((connection, streams))
        }
        Bus::System => {
            let connection = Connection::system().await?;
            let sleep = signal().interface(LOGIND_MANAGER).member("PrepareForSleep").build()?;
            let mut streams = vec![MessageStream::for_match_rule(sleep, &connection, None).await?];
            // Lock and Unlock of this session only, not of other people's.
            let reply = connection
                .call_method(
                    Some("org.freedesktop.login1"),
                    "/org/freedesktop/login1",
                    Some(LOGIND_MANAGER),
                    "GetSessionByPID",
                    &(std::process::id(),),
                )
                .await;
            if let Ok(reply) = reply
                && let Ok(path) = reply.body().deserialize::<zbus::OwnedObjectPath>()
            {
                let rule = signal().interface(LOGIND_SESSION).path(path).build()?;
                streams.push(MessageStream::for_match_rule(rule, &connection, None).await?);
            }
            Ok((connection, streams))
        }
    }
}

/// What a signal means for monitoring: hold (pause) or release, and why.
fn meaning(message: &zbus::Message) -> Option<(Hold, bool)> {
    let header = message.header();
    let interface = header.interface()?.as_str();
    let member = header.member()?.as_str();
    match (interface, member) {
        (interface, "ActiveChanged") if SCREEN_SAVER_INTERFACES.contains(&interface) => {
            message.body().deserialize::<bool>().ok().map(|active| (Hold::Locked, active))
        }
        (LOGIND_MANAGER, "PrepareForSleep") => {
            message.body().deserialize::<bool>().ok().map(|sleeping| (Hold::Asleep, sleeping))
        }
        (LOGIND_SESSION, "Lock") => Some((Hold::Locked, true)),
        (LOGIND_SESSION, "Unlock") => Some((Hold::Locked, false)),
        _ => None,
    }
}

async fn listen(bus: Bus, commands: Sender<EngineCommand>, ready: Sender<Result<(), WatchError>>, stop: Arc<Stop>) {
    let (_connection, mut streams) = match connect(bus).await {
        Ok(connected) => connected,
        Err(error) => {
            let _ = ready.send(Err(WatchError::NoBus(error)));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        // Listen before looking, so a stop asked in between is not missed.
        let mut stopped = std::pin::pin!(stop.event.listen());
        if stop.asked.load(Ordering::Acquire) {
            return;
        }
        // The next message from whichever stream has one, or the stop.
        let next = poll_fn(|context| {
            if stopped.as_mut().poll(context).is_ready() {
                return std::task::Poll::Ready(None);
            }
            for stream in streams.iter_mut() {
                if let std::task::Poll::Ready(item) = Pin::new(stream).poll_next(context) {
                    return std::task::Poll::Ready(item);
                }
            }
            std::task::Poll::Pending
        })
        .await;
        let Some(Ok(message)) = next else { return };
        let Some((hold, on)) = meaning(&message) else { continue };
        let command = if on { EngineCommand::Hold(hold) } else { EngineCommand::Release(hold) };
        tracing::info!(?hold, on, "the desk session changed");
        if commands.send(command).is_err() {
            return;
        }
    }
}
