//! A source that can neither hang monitoring nor kill it: the real source lives on a thread of
//! its own, and every call to it is a request answered within a bounded time.
//!
//! - A read that does not answer within [`ANSWER_WITHIN_S`] (a camera stalled inside its driver,
//!   where no timeout of ours reaches) becomes [`SourceError::CameraStalled`]: the engine reopens,
//!   which starts a new thread; the stuck one is left to finish its call and then closes its
//!   camera. Stop, Pause, Ctrl-C and SIGTERM are answered meanwhile, since nothing waits for it.
//! - A panic inside the source (the camera stack) becomes [`SourceError::CameraCrashed`], reported
//!   and retried like a lost camera; the source is built afresh for the next call.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::{Frame, FrameSource, SourceError};

/// Longest wait for a frame, in seconds: the camera's own stall limit (2 s) plus the first
/// second after an open, when frames are dropped while exposure settles, and a margin.
pub const ANSWER_WITHIN_S: u64 = 5;
/// Longest wait for the camera to open, in seconds: UVC cameras open within a second or two.
pub const OPEN_WITHIN_S: u64 = 8;

/// Builds the source on its thread, again after a panic.
pub type Build = Arc<dyn Fn() -> Box<dyn FrameSource> + Send + Sync>;

enum Request {
    Next,
    Reconnect,
    Release,
}

enum Answer {
    Frame(Result<Option<Frame>, SourceError>),
    Done(Result<(), SourceError>),
    /// The source's traits, sent once when the thread starts.
    Hello {
        live: bool,
        can_freeze: bool,
    },
}

struct Reply {
    answer: Answer,
    described: String,
    /// The device node the source reads, as it stands after the call.
    node: Option<PathBuf>,
}

/// The channels to one source thread.
struct Link {
    requests: Sender<Request>,
    replies: Receiver<Reply>,
}

/// A [`FrameSource`] run on its own thread, answering within bounded times.
pub struct GuardedSource {
    build: Build,
    link: Option<Link>,
    described: String,
    node: Option<PathBuf>,
    live: bool,
    can_freeze: bool,
    answer_within: Duration,
    open_within: Duration,
    /// Set when the engine stops: a wait for an answer ends then.
    stopping: Arc<AtomicBool>,
}

impl GuardedSource {
    /// Guards the source `build` makes, with the usual time limits.
    pub fn new(build: Build) -> GuardedSource {
        GuardedSource::with_limits(build, Duration::from_secs(ANSWER_WITHIN_S), Duration::from_secs(OPEN_WITHIN_S))
    }

    /// Guards with other time limits (tests).
    pub fn with_limits(build: Build, answer_within: Duration, open_within: Duration) -> GuardedSource {
        let mut guarded = GuardedSource {
            build,
            link: None,
            described: "camera".to_owned(),
            node: None,
            live: true,
            can_freeze: true,
            answer_within,
            open_within,
            stopping: Arc::default(),
        };
        // Building is quick (a camera is opened at its first frame); a build that hangs or
        // panics leaves the camera's traits and is retried at the first call.
        let _ = guarded.connect();
        guarded
    }

    /// Starts a source thread and takes its hello.
    fn connect(&mut self) -> Result<(), SourceError> {
        let (requests, inbox) = mpsc::channel();
        let (outbox, replies) = mpsc::channel();
        let build = Arc::clone(&self.build);
        std::thread::Builder::new()
            .name("camera".into())
            .spawn(move || serve(build, inbox, outbox))
            .map_err(|error| self.crashed(format!("cannot start the camera thread: {error}")))?;
        let link = Link { requests, replies };
        match link.replies.recv_timeout(self.answer_within) {
            Ok(Reply { answer: Answer::Hello { live, can_freeze }, described, node }) => {
                (self.live, self.can_freeze, self.described, self.node) = (live, can_freeze, described, node);
                self.link = Some(link);
                Ok(())
            }
            Ok(_) | Err(RecvTimeoutError::Disconnected) => Err(self.crashed("the camera could not be set up".into())),
            Err(RecvTimeoutError::Timeout) => Err(self.stalled()),
        }
    }

    fn crashed(&self, detail: String) -> SourceError {
        SourceError::CameraCrashed { device: self.device(), detail }
    }

    fn stalled(&self) -> SourceError {
        SourceError::CameraStalled { device: self.device(), seconds: self.answer_within.as_secs() }
    }

    /// The device as messages name it ("2: HD Pro Webcam C920").
    fn device(&self) -> String {
        self.described.strip_prefix("camera ").unwrap_or(&self.described).to_owned()
    }

    /// Sends `request` and waits for its answer at most `within`. A source that does not answer
    /// in time is let go (its thread finishes alone) and the next call starts another.
    fn ask(&mut self, request: Request, within: Duration) -> Result<Answer, SourceError> {
        if self.link.is_none() {
            self.connect()?;
        }
        let link = self.link.as_ref().ok_or_else(|| self.crashed("no camera thread".into()))?;
        if link.requests.send(request).is_err() {
            self.link = None;
            return Err(self.crashed("the camera thread ended".into()));
        }
        match wait_for_reply(&link.replies, within, &self.stopping) {
            Err(Waited::Stopping) => {
                // Its thread finishes its call alone; the engine is going.
                self.link = None;
                Err(SourceError::Stopping)
            }
            Err(Waited::Over(RecvTimeoutError::Timeout)) => {
                self.link = None;
                tracing::warn!(device = %self.described, "the camera did not answer; leaving its thread behind");
                Err(SourceError::CameraStalled { device: self.device(), seconds: within.as_secs() })
            }
            Err(Waited::Over(RecvTimeoutError::Disconnected)) => {
                self.link = None;
                Err(self.crashed("the camera thread ended".into()))
            }
            Ok(reply) => {
                self.described = reply.described;
                self.node = reply.node;
                Ok(reply.answer)
            }
        }
    }
}

/// How a wait for a reply ended without one.
enum Waited {
    /// The engine is stopping.
    Stopping,
    /// Out of time, or the thread is gone.
    Over(RecvTimeoutError),
}

/// How often a wait for the camera looks whether the engine is stopping.
const STOP_CHECK_EVERY: Duration = Duration::from_millis(50);

/// A reply within `within`, unless `stopping` is set first.
fn wait_for_reply(replies: &Receiver<Reply>, within: Duration, stopping: &AtomicBool) -> Result<Reply, Waited> {
    let deadline = std::time::Instant::now() + within;
    loop {
        if stopping.load(Ordering::SeqCst) {
            return Err(Waited::Stopping);
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(Waited::Over(RecvTimeoutError::Timeout));
        }
        match replies.recv_timeout(left.min(STOP_CHECK_EVERY)) {
            Ok(reply) => return Ok(reply),
            Err(RecvTimeoutError::Timeout) => {}
            Err(disconnected) => return Err(Waited::Over(disconnected)),
        }
    }
}

/// The text of a panic's payload.
fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected failure".to_owned())
}

/// The source thread: builds the source, answers requests until the guard lets go, closes it.
fn serve(build: Build, requests: Receiver<Request>, replies: Sender<Reply>) {
    let make = || catch_unwind(AssertUnwindSafe(|| build())).map_err(|payload| panic_text(payload.as_ref()));
    let mut source = make();
    let hello = match &source {
        Ok(built) => Reply {
            answer: Answer::Hello { live: built.is_live(), can_freeze: built.can_freeze() },
            described: built.describe(),
            node: built.device_node(),
        },
        Err(_) => {
            Reply { answer: Answer::Hello { live: true, can_freeze: true }, described: "camera".into(), node: None }
        }
    };
    if replies.send(hello).is_err() {
        return;
    }
    for request in requests {
        let built = match &mut source {
            Ok(built) => built,
            Err(_) => {
                source = make();
                match &mut source {
                    Ok(built) => built,
                    Err(detail) => {
                        let error = SourceError::CameraCrashed { device: "camera".into(), detail: detail.clone() };
                        let answer = match request {
                            Request::Next => Answer::Frame(Err(error)),
                            Request::Reconnect | Request::Release => Answer::Done(Err(error)),
                        };
                        let _ = replies.send(Reply { answer, described: "camera".into(), node: None });
                        continue;
                    }
                }
            }
        };
        let is_read = matches!(request, Request::Next);
        let outcome = catch_unwind(AssertUnwindSafe(|| match request {
            Request::Next => Answer::Frame(built.next_frame()),
            Request::Reconnect => Answer::Done(built.reconnect()),
            Request::Release => {
                built.release();
                Answer::Done(Ok(()))
            }
        }));
        let described = built.describe();
        let node = built.device_node();
        let answer = match outcome {
            Ok(answer) => answer,
            Err(payload) => {
                let detail = panic_text(payload.as_ref());
                tracing::error!(device = %described, "the camera code panicked: {detail}");
                // Whatever state it was left in, this source is done; closing it may panic too.
                let broken = std::mem::replace(&mut source, Err(detail.clone()));
                let _ = catch_unwind(AssertUnwindSafe(move || drop(broken)));
                let device = described.strip_prefix("camera ").unwrap_or(&described).to_owned();
                let error = SourceError::CameraCrashed { device, detail };
                if is_read { Answer::Frame(Err(error)) } else { Answer::Done(Err(error)) }
            }
        };
        if replies.send(Reply { answer, described, node }).is_err() {
            break;
        }
    }
    // Let go of: closing the camera may fail or panic on a device that has gone.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(source)));
}

impl FrameSource for GuardedSource {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        match self.ask(Request::Next, self.answer_within)? {
            Answer::Frame(result) => result,
            Answer::Done(_) | Answer::Hello { .. } => Err(self.crashed("the camera answered out of turn".into())),
        }
    }

    fn is_live(&self) -> bool {
        self.live
    }

    fn can_freeze(&self) -> bool {
        self.can_freeze
    }

    fn reconnect(&mut self) -> Result<(), SourceError> {
        match self.ask(Request::Reconnect, self.open_within)? {
            Answer::Done(result) => result,
            Answer::Frame(_) | Answer::Hello { .. } => Err(self.crashed("the camera answered out of turn".into())),
        }
    }

    fn release(&mut self) {
        // A camera that does not answer is let go with its thread, which closes it when its
        // call returns.
        if let Err(error) = self.ask(Request::Release, self.answer_within) {
            tracing::warn!("closing the camera: {error}");
        }
    }

    fn describe(&self) -> String {
        self.described.clone()
    }

    fn device_node(&self) -> Option<PathBuf> {
        self.node.clone()
    }

    fn stop_waiting_when(&mut self, stopping: Arc<AtomicBool>) {
        self.stopping = stopping;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Instant;

    use chrono::Utc;
    use image::RgbImage;

    use super::*;

    /// A camera that blocks, panics or delivers, as the test says.
    struct Troubled {
        /// Reads so far, across rebuilds.
        reads: Arc<AtomicU32>,
        /// Reads that panic / block (by number, from 1).
        panic_on: u32,
        block_on: u32,
    }

    impl FrameSource for Troubled {
        fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
            let read = self.reads.fetch_add(1, Ordering::SeqCst) + 1;
            if read == self.panic_on {
                panic!("index out of bounds in the camera stack");
            }
            if read == self.block_on {
                std::thread::sleep(Duration::from_secs(3600));
            }
            Ok(Some(Frame::new(RgbImage::new(4, 4), Utc::now())))
        }

        fn is_live(&self) -> bool {
            true
        }

        fn describe(&self) -> String {
            "camera 0: troubled".into()
        }
    }

    fn guarded(panic_on: u32, block_on: u32) -> (GuardedSource, Arc<AtomicU32>, Arc<AtomicU32>) {
        let reads = Arc::new(AtomicU32::new(0));
        let builds = Arc::new(AtomicU32::new(0));
        let (counted_reads, counted_builds) = (Arc::clone(&reads), Arc::clone(&builds));
        let build: Build = Arc::new(move || {
            counted_builds.fetch_add(1, Ordering::SeqCst);
            Box::new(Troubled { reads: Arc::clone(&counted_reads), panic_on, block_on }) as Box<dyn FrameSource>
        });
        let limits = (Duration::from_millis(300), Duration::from_millis(300));
        (GuardedSource::with_limits(build, limits.0, limits.1), reads, builds)
    }

    #[test]
    fn a_panic_in_the_camera_is_an_error_and_the_next_read_works() {
        let (mut source, reads, builds) = guarded(2, 0);
        assert!(source.is_live() && source.can_freeze());
        assert_eq!(source.describe(), "camera 0: troubled");
        assert!(source.next_frame().unwrap().is_some());
        let error = source.next_frame().unwrap_err();
        assert!(matches!(&error, SourceError::CameraCrashed { detail, .. } if detail.contains("index out of bounds")));
        assert!(error.is_retryable(), "the engine reopens and goes on");
        assert!(error.to_string().contains("0: troubled"), "{error}");
        source.reconnect().unwrap();
        assert!(source.next_frame().unwrap().is_some());
        assert_eq!(
            (reads.load(Ordering::SeqCst), builds.load(Ordering::SeqCst)),
            (3, 2),
            "built again after the panic"
        );
    }

    #[test]
    fn a_read_that_never_returns_is_a_stall_and_the_camera_is_opened_afresh() {
        let (mut source, reads, builds) = guarded(0, 2);
        assert!(source.next_frame().unwrap().is_some());
        let asked = Instant::now();
        let error = source.next_frame().unwrap_err();
        assert!(asked.elapsed() < Duration::from_secs(3), "answered after the limit, not after the read");
        assert!(matches!(error, SourceError::CameraStalled { .. }), "{error}");
        assert!(error.is_retryable());
        // The stuck thread is left behind; the next call has a new source.
        source.reconnect().unwrap();
        assert!(source.next_frame().unwrap().is_some());
        assert_eq!((reads.load(Ordering::SeqCst), builds.load(Ordering::SeqCst)), (3, 2));
        // Letting go never waits for the stuck thread.
        let dropped = Instant::now();
        drop(source);
        assert!(dropped.elapsed() < Duration::from_secs(1));
    }
}
