//! Camera faults through the real engine: no webcam exists here, so a scripted source plays the
//! camera (the one fake the project allows), delivering real frames and failing as a camera does.

mod common;

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use common::fixture;
use slouchwatch::alerts::{AlertEvent, AlertSettings};
use slouchwatch::engine::picture::Picture;
use slouchwatch::engine::{
    self, CalibrationUpdate, EngineCommand, EngineConfig, EngineEvent, EngineMessage, Snapshot, SourceEvent, Summary,
};
use slouchwatch::pose::{ModelChoice, PoseEstimator};
use slouchwatch::posture::{PlacementSetting, Posture, calibrate};
use slouchwatch::source::{Frame, FrameSource, SourceError};

/// What the scripted camera does on each read.
#[derive(Clone, Copy)]
enum Step {
    Frame,
    /// The frame with its light scaled by this factor and lifted by this many grey levels
    /// ((0.04, 0): lights off; (4, 150): glare flooding the lens).
    Lit(f32, f32),
    Lost,
    Corrupt,
}

struct ScriptedCamera {
    image: image::RgbImage,
    steps: VecDeque<Step>,
    start: DateTime<Utc>,
    served: i32,
    reconnects: u32,
    /// Reopening fails this many times before it works.
    failed_reconnects: u32,
    /// Whether identical frames mean it is stuck (as for a real camera).
    can_freeze: bool,
}

impl ScriptedCamera {
    fn new(steps: &[Step]) -> ScriptedCamera {
        ScriptedCamera {
            image: image::open(fixture("astronaut.png")).unwrap().into_rgb8(),
            steps: steps.iter().copied().collect(),
            start: Utc::now(),
            served: 0,
            reconnects: 0,
            failed_reconnects: 1,
            can_freeze: false,
        }
    }
}

fn lit(image: &image::RgbImage, gain: f32, lift: f32) -> image::RgbImage {
    let mut out = image.clone();
    for value in out.iter_mut() {
        *value = (*value as f32 * gain + lift).round().clamp(0.0, 255.0) as u8;
    }
    out
}

impl FrameSource for ScriptedCamera {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let step = self.steps.pop_front();
        let mut frame = |image: image::RgbImage| {
            self.served += 1;
            let time = self.start + TimeDelta::milliseconds(500) * self.served;
            Ok(Some(Frame::new(image, time)))
        };
        match step {
            None => Ok(None),
            Some(Step::Frame) => frame(self.image.clone()),
            Some(Step::Lit(gain, lift)) => frame(lit(&self.image, gain, lift)),
            Some(Step::Lost) => Err(SourceError::CameraLost {
                device: "0: scripted".into(),
                detail: "No such device (os error 19)".into(),
            }),
            Some(Step::Corrupt) => Err(SourceError::BadFrame { detail: "corrupt MJPEG frame".into() }),
        }
    }

    fn is_live(&self) -> bool {
        false
    }

    fn can_freeze(&self) -> bool {
        self.can_freeze
    }

    fn reconnect(&mut self) -> Result<(), SourceError> {
        self.reconnects += 1;
        if self.reconnects <= self.failed_reconnects { Err(SourceError::NoCamera) } else { Ok(()) }
    }

    fn describe(&self) -> String {
        "camera 0: scripted".into()
    }
}

/// What a run of the real engine on `camera` produced.
struct Run {
    events: Vec<EngineEvent>,
    snapshots: Vec<Snapshot>,
    summary: Summary,
}

impl Run {
    fn sources(&self) -> Vec<&SourceEvent> {
        self.events
            .iter()
            .filter_map(|event| match event {
                EngineEvent::Source(source) => Some(source),
                EngineEvent::Alert(_) => None,
            })
            .collect()
    }

    fn alerts(&self) -> Vec<&AlertEvent> {
        self.events
            .iter()
            .filter_map(|event| match event {
                EngineEvent::Alert(alert) => Some(alert),
                EngineEvent::Source(_) => None,
            })
            .collect()
    }
}

fn run(camera: ScriptedCamera, config: EngineConfig) -> Run {
    let estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let handle =
        engine::spawn(config, Box::new(move || Ok(Box::new(camera) as Box<dyn FrameSource>)), estimator, None).unwrap();
    let (mut events, mut snapshots, mut summary) = (Vec::new(), Vec::new(), None);
    for message in handle.messages.iter() {
        match message {
            EngineMessage::Snapshot(snapshot) => snapshots.push(*snapshot),
            EngineMessage::Event(event) => events.push(event.event),
            EngineMessage::Finished(done) => summary = Some(done),
            EngineMessage::Calibration(_) | EngineMessage::ShowWindow(_) | EngineMessage::Setups(_) => {}
        }
    }
    Run { events, snapshots, summary: summary.expect("the engine reports its totals") }
}

fn quiet() -> EngineConfig {
    EngineConfig { notifications: false, ..EngineConfig::default() }
}

#[test]
fn a_camera_lost_mid_run_is_reported_retried_and_resumed() {
    let steps = [Step::Frame, Step::Frame, Step::Corrupt, Step::Frame, Step::Lost, Step::Frame, Step::Frame];
    let run = run(ScriptedCamera::new(&steps), quiet());
    let sources = run.sources();
    assert!(matches!(sources[0], SourceEvent::FrameSkipped { .. }), "{sources:?}");
    assert!(
        matches!(sources[1], SourceEvent::CameraLost { detail } if detail.contains("No such device")),
        "{sources:?}"
    );
    assert!(matches!(sources[2], SourceEvent::CameraBack { .. }), "{sources:?}");
    assert_eq!(sources.len(), 3);
    assert_eq!(run.summary.frames, 5, "monitoring resumed after the camera came back");
    assert_eq!(run.summary.unreadable, 1);
    assert_eq!(run.snapshots.len(), 5);
}

#[test]
fn dark_and_blown_out_frames_are_unknown_never_bad_and_the_person_is_told_why() {
    // Calibrated on the astronaut, warned at the first bad frame: any verdict read from noise
    // would show as a warning.
    let estimator_image = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let pose = estimator.estimate(&estimator_image).unwrap();
    let calibration = calibrate(&[pose], estimator_image.dimensions(), PlacementSetting::Auto).unwrap();
    let alerts = AlertSettings { warn_after: TimeDelta::zero(), ..AlertSettings::default() };
    let config = EngineConfig { calibration: Some(calibration), alerts, ..quiet() };

    let mut steps = vec![Step::Frame; 4];
    steps.extend([Step::Lit(0.04, 0.0); 6]);
    steps.extend([Step::Frame; 2]);
    steps.extend([Step::Lit(4.0, 150.0); 6]);
    steps.extend([Step::Frame; 2]);
    let run = run(ScriptedCamera::new(&steps), config);

    let pictures: Vec<Picture> = run.snapshots.iter().map(|snapshot| snapshot.picture).collect();
    let expected: Vec<Picture> = steps
        .iter()
        .map(|step| match step {
            Step::Lit(gain, _) if *gain < 1.0 => Picture::TooDark,
            Step::Lit(..) => Picture::TooBright,
            _ => Picture::Usable,
        })
        .collect();
    assert_eq!(pictures, expected);
    for snapshot in &run.snapshots {
        let judged = snapshot.assessment.as_ref().map(|assessment| assessment.posture);
        match snapshot.picture {
            Picture::Usable => assert_eq!(judged, Some(Posture::Good)),
            _ => assert_eq!(judged, None, "an unreadable picture is never judged"),
        }
    }
    assert!(run.alerts().iter().all(|alert| !matches!(alert, AlertEvent::Warning { .. })), "{:?}", run.alerts());
    let sources = run.sources();
    assert_eq!(sources.len(), 4, "{sources:?}");
    assert!(matches!(sources[0], SourceEvent::PictureUnusable { detail } if detail.contains("too dark")));
    assert_eq!(sources[1], &SourceEvent::PictureUsable);
    assert!(matches!(sources[2], SourceEvent::PictureUnusable { detail } if detail.contains("bright light")));
    assert_eq!(sources[3], &SourceEvent::PictureUsable);
    assert_eq!(run.summary.analysed, 3, "the model ran once on each readable stretch (still frames are held)");
    assert_eq!(run.summary.analysed + run.summary.held, 8, "and on no unreadable frame");
    assert_eq!(run.summary.bad_s, 0.0);
}

#[test]
fn a_frozen_camera_is_noticed_and_reopened() {
    // 30 identical frames half a second apart: frozen after 10 s, reopened, then frozen again
    // would take another 10 s, more than the 4.5 s left.
    let mut camera = ScriptedCamera::new(&[Step::Frame; 30]);
    camera.can_freeze = true;
    camera.failed_reconnects = 0;
    let frozen = run(camera, quiet());
    let sources = frozen.sources();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(matches!(sources[0], SourceEvent::CameraLost { detail } if detail.contains("frozen")), "{sources:?}");
    assert!(matches!(sources[1], SourceEvent::CameraBack { .. }));
    assert_eq!(frozen.summary.frames, 30);

    // A replay repeats frames on purpose: never frozen.
    let replay_like = run(ScriptedCamera::new(&[Step::Frame; 30]), quiet());
    assert!(replay_like.sources().is_empty(), "{:?}", replay_like.sources());
}

#[test]
fn the_engine_calibrates_from_its_own_frames_and_does_not_judge_them() {
    let camera = ScriptedCamera::new(&[Step::Frame; 14]);
    let estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    // The source opens only once the command is in, so no frame comes before it.
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let make_source = Box::new(move || {
        let _ = wait.recv();
        Ok(Box::new(camera) as Box<dyn FrameSource>)
    });
    let handle = engine::spawn(quiet(), make_source, estimator, None).unwrap();
    assert!(handle.send(EngineCommand::Calibrate(PlacementSetting::Auto)));
    go.send(()).unwrap();
    let (mut updates, mut snapshots, mut summary) = (Vec::new(), Vec::new(), None);
    for message in handle.messages.iter() {
        match message {
            EngineMessage::Calibration(update) => updates.push(update),
            EngineMessage::Snapshot(snapshot) => snapshots.push(snapshot),
            EngineMessage::Finished(done) => summary = Some(done),
            EngineMessage::Event(_) | EngineMessage::ShowWindow(_) | EngineMessage::Setups(_) => {}
        }
    }
    let captured: Vec<usize> = updates
        .iter()
        .filter_map(|update| match update {
            CalibrationUpdate::Captured { frames, .. } => Some(*frames),
            _ => None,
        })
        .collect();
    assert_eq!(captured, (1..=10).collect::<Vec<_>>(), "one frame every 500 ms, ten in all");
    assert!(matches!(updates[10], CalibrationUpdate::Measuring), "{updates:?}");
    let CalibrationUpdate::Done(calibration) = &updates[11] else { panic!("{updates:?}") };
    assert_eq!(calibration.quality.frames_total, 10);
    // The ten frames taken were not judged; the four after were, against no calibration.
    assert!(snapshots[..10].iter().all(|snapshot| snapshot.assessment.is_none()));
    assert!(snapshots[10..].iter().all(|snapshot| snapshot.assessment.is_some()));
    let summary = summary.unwrap();
    assert_eq!((summary.frames, summary.analysed + summary.held), (14, 4));
}

/// What a live scripted camera saw, shared with the test.
#[derive(Default)]
struct CameraLog {
    /// Frames read.
    reads: u32,
    /// Times the device was closed.
    releases: u32,
    /// Times it was (re)opened.
    reopens: u32,
    /// Frames read while closed (must stay 0).
    reads_while_closed: u32,
    closed: bool,
}

/// A camera in real time (as the engine paces a webcam) that logs opening and closing.
struct LiveCamera {
    image: image::RgbImage,
    log: std::sync::Arc<std::sync::Mutex<CameraLog>>,
}

impl FrameSource for LiveCamera {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let mut log = self.log.lock().unwrap();
        log.reads += 1;
        if log.closed {
            log.reads_while_closed += 1;
        }
        Ok(Some(Frame::new(self.image.clone(), Utc::now())))
    }

    fn is_live(&self) -> bool {
        true
    }

    fn can_freeze(&self) -> bool {
        false
    }

    fn reconnect(&mut self) -> Result<(), SourceError> {
        let mut log = self.log.lock().unwrap();
        log.reopens += 1;
        log.closed = false;
        Ok(())
    }

    fn release(&mut self) {
        let mut log = self.log.lock().unwrap();
        log.releases += 1;
        log.closed = true;
    }

    fn describe(&self) -> String {
        "camera 0: live scripted".into()
    }
}

/// The real engine at 20 frames a second on a live scripted camera, and the camera's log.
fn live_engine() -> (engine::EngineHandle, std::sync::Arc<std::sync::Mutex<CameraLog>>) {
    let log = std::sync::Arc::new(std::sync::Mutex::new(CameraLog::default()));
    let camera = LiveCamera { image: image::open(fixture("astronaut.png")).unwrap().into_rgb8(), log: log.clone() };
    let estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let config = EngineConfig { fps: 20.0, ..quiet() };
    let handle =
        engine::spawn(config, Box::new(move || Ok(Box::new(camera) as Box<dyn FrameSource>)), estimator, None).unwrap();
    (handle, log)
}

#[test]
fn a_paused_engine_closes_the_camera_and_reopens_it_on_resume_or_when_a_timed_pause_ends() {
    use slouchwatch::alerts::AlertState;
    let (handle, log) = live_engine();
    let settle = || std::thread::sleep(std::time::Duration::from_millis(600));
    settle();
    let before_pause = log.lock().unwrap().reads;
    assert!(before_pause > 0, "frames are read while monitoring");

    assert!(handle.send(EngineCommand::Pause));
    settle();
    let paused_reads = log.lock().unwrap().reads;
    settle();
    {
        let log = log.lock().unwrap();
        assert_eq!(log.releases, 1, "the camera is closed once when paused");
        assert_eq!(log.reads, paused_reads, "no frame is read while paused");
        assert_eq!(log.reopens, 0);
    }
    assert!(handle.send(EngineCommand::Resume));
    settle();
    {
        let log = log.lock().unwrap();
        assert_eq!(log.reopens, 1, "resuming reopens the camera");
        assert!(log.reads > paused_reads, "and frames come again");
    }

    // A pause for a while ends by itself.
    let until = Utc::now() + TimeDelta::milliseconds(700);
    assert!(handle.send(EngineCommand::PauseUntil(until)));
    settle();
    assert_eq!(log.lock().unwrap().releases, 2);
    settle();
    settle();
    assert_eq!(log.lock().unwrap().reopens, 2, "reopened when the timed pause ended");
    assert!(handle.send(EngineCommand::Stop));

    let mut states = Vec::new();
    let mut paused_until_shown = false;
    for message in handle.messages.iter() {
        if let EngineMessage::Snapshot(snapshot) = message {
            if snapshot.alert_state == AlertState::Paused {
                assert!(snapshot.preview.is_none() && snapshot.frame_size == (0, 0), "no picture while paused");
                paused_until_shown |= snapshot.paused_until == Some(until);
            }
            if states.last() != Some(&snapshot.alert_state) {
                states.push(snapshot.alert_state);
            }
        }
    }
    assert!(paused_until_shown, "the timed pause says until when");
    assert_eq!(states.iter().filter(|state| **state == AlertState::Paused).count(), 2, "{states:?}");
    assert_eq!(log.lock().unwrap().reads_while_closed, 0);
}

/// Emits the screen saver's `ActiveChanged(active)` on the bus at `address`, as a desktop does.
fn screen_saver(address: &str, active: bool) {
    let status = std::process::Command::new("dbus-send")
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .args(["--session", "--type=signal", "/org/freedesktop/ScreenSaver"])
        .arg("org.freedesktop.ScreenSaver.ActiveChanged")
        .arg(format!("boolean:{active}"))
        .status()
        .expect("dbus-send runs (bash scripts/setup-debian.sh installs it)");
    assert!(status.success());
}

#[test]
fn locking_the_screen_closes_the_camera_and_unlocking_reopens_it_but_never_ends_the_users_own_pause() {
    // A private session bus, and slouchwatch watching it.
    let bus = common::PrivateBus::start();
    let address = bus.address.clone();
    // Only this test in this binary talks to a bus.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address) };

    let (handle, log) = live_engine();
    let (watch, missing) = slouchwatch::control::lock::watch(handle.commands());
    assert!(!missing.iter().any(|line| line.contains("session bus")), "{missing:?}");
    let settle = || std::thread::sleep(std::time::Duration::from_millis(600));
    settle();
    let counts = || {
        let log = log.lock().unwrap();
        (log.releases, log.reopens)
    };
    assert!(log.lock().unwrap().reads > 0);

    screen_saver(&address, true);
    settle();
    assert_eq!(counts(), (1, 0), "locked: the camera is closed");
    let locked_reads = log.lock().unwrap().reads;
    settle();
    assert_eq!(log.lock().unwrap().reads, locked_reads, "no frame is read while locked");
    screen_saver(&address, false);
    settle();
    assert_eq!(counts(), (1, 1), "unlocked: reopened");

    // The user's own pause outlasts a lock and an unlock.
    assert!(handle.send(EngineCommand::Pause));
    settle();
    screen_saver(&address, true);
    screen_saver(&address, false);
    settle();
    assert_eq!(counts(), (2, 1), "still paused, still closed");
    assert!(handle.send(EngineCommand::Resume));
    settle();
    assert_eq!(counts(), (2, 2));
    assert!(handle.send(EngineCommand::Stop));
    for _ in handle.messages.iter() {}
    assert_eq!(log.lock().unwrap().reads_while_closed, 0);
    // The watchers end when asked, not at the next signal (dropping joins them).
    let (dropped_tx, dropped) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        drop(watch);
        let _ = dropped_tx.send(());
    });
    assert!(dropped.recv_timeout(std::time::Duration::from_secs(5)).is_ok(), "the watchers did not end");
    drop(bus);
}

#[test]
fn a_closed_shutter_is_too_dark_once_and_never_a_frozen_camera() {
    // Half a minute of identical black frames from a camera that can freeze: before, the freeze
    // check (run before the darkness check) reopened it every ~11 s.
    let mut camera = ScriptedCamera::new(&[Step::Frame, Step::Frame]);
    camera.steps.extend([Step::Lit(0.0, 0.0); 60]);
    camera.can_freeze = true;
    let run = run(camera, quiet());
    let sources = run.sources();
    assert!(!sources.iter().any(|event| matches!(event, SourceEvent::CameraLost { .. })), "{sources:?}");
    let told: Vec<&&SourceEvent> =
        sources.iter().filter(|event| matches!(event, SourceEvent::PictureUnusable { .. })).collect();
    assert_eq!(told.len(), 1, "said once: {sources:?}");
    assert!(matches!(told[0], SourceEvent::PictureUnusable { detail } if detail.contains("too dark")));
    assert_eq!(run.summary.frames, 62);
}

/// What goes wrong with a [`TroubledCamera`] at its `at`th read.
#[derive(Clone, Copy, PartialEq)]
enum Trouble {
    /// The read never returns (a camera stalled inside its driver).
    Block,
    /// The camera code panics.
    Panic,
}

/// A live camera that blocks or panics once, run as monitoring runs the webcam: behind the
/// guard, on a thread of its own.
struct TroubledCamera {
    image: image::RgbImage,
    reads: std::sync::Arc<std::sync::atomic::AtomicU32>,
    trouble: Trouble,
    at: u32,
}

impl FrameSource for TroubledCamera {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let read = self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if read == self.at {
            match self.trouble {
                Trouble::Block => std::thread::sleep(std::time::Duration::from_secs(3600)),
                Trouble::Panic => panic!("attempt to divide by zero (a frame size step of 0)"),
            }
        }
        Ok(Some(Frame::new(self.image.clone(), Utc::now())))
    }

    fn is_live(&self) -> bool {
        true
    }

    fn can_freeze(&self) -> bool {
        false
    }

    fn describe(&self) -> String {
        "camera 0: troubled".into()
    }
}

fn troubled_engine(trouble: Trouble, at: u32) -> (engine::EngineHandle, std::sync::Arc<std::sync::atomic::AtomicU32>) {
    use slouchwatch::source::guard::{Build, GuardedSource};
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let image = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let counted = reads.clone();
    let build: Build = std::sync::Arc::new(move || {
        Box::new(TroubledCamera { image: image.clone(), reads: counted.clone(), trouble, at }) as Box<dyn FrameSource>
    });
    let estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let config = EngineConfig { fps: 20.0, ..quiet() };
    let factory = Box::new(move || Ok(Box::new(GuardedSource::new(build)) as Box<dyn FrameSource>));
    (engine::spawn(config, factory, estimator, None).unwrap(), reads)
}

fn events_until_finished(handle: engine::EngineHandle) -> (Vec<SourceEvent>, Summary) {
    let mut events = Vec::new();
    for message in handle.messages.iter() {
        match message {
            EngineMessage::Event(event) => {
                if let EngineEvent::Source(source) = event.event {
                    events.push(source);
                }
            }
            EngineMessage::Finished(summary) => return (events, summary),
            _ => {}
        }
    }
    panic!("the engine ended without its summary");
}

#[test]
fn a_camera_read_that_never_returns_does_not_hold_up_stop_and_is_reported_as_a_stall() {
    let (handle, reads) = troubled_engine(Trouble::Block, 4);
    while reads.load(std::sync::atomic::Ordering::SeqCst) < 4 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The read is stuck now: said as a stall once the guard's limit has passed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let stalled = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match handle.messages.recv_timeout(left) {
            Ok(EngineMessage::Event(event)) => match event.event {
                EngineEvent::Source(SourceEvent::CameraLost { detail }) if detail.contains("stalled") => break true,
                _ => {}
            },
            Ok(_) => {}
            Err(_) => break false,
        }
    };
    assert!(stalled, "the stall is reported within a minute");
    // Reopening blocks again. Stop is what Ctrl-C, SIGTERM and the window's Quit send.
    let asked = std::time::Instant::now();
    assert!(handle.send(EngineCommand::Stop));
    let (_, summary) = events_until_finished(handle);
    let took = asked.elapsed();
    assert!(
        took < std::time::Duration::from_secs(slouchwatch::source::guard::ANSWER_WITHIN_S),
        "Stop was answered after {took:?}, not after the stuck read"
    );
    assert_eq!(summary.frames, 3);
}

#[test]
fn a_panic_in_the_camera_code_is_reported_and_retried_and_monitoring_goes_on() {
    let (handle, reads) = troubled_engine(Trouble::Panic, 4);
    while reads.load(std::sync::atomic::Ordering::SeqCst) < 20 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(handle.send(EngineCommand::Stop));
    let (events, summary) = events_until_finished(handle);
    let lost = events
        .iter()
        .position(|event| matches!(event, SourceEvent::CameraLost { detail } if detail.contains("divide by zero")));
    let lost = lost.unwrap_or_else(|| panic!("the panic is reported: {events:?}"));
    assert!(matches!(events.get(lost + 1), Some(SourceEvent::CameraBack { .. })), "{events:?}");
    assert!(summary.frames >= 16, "frames kept coming after the camera came back: {}", summary.frames);
}

/// Counts the engine's writes of the setups file.
#[derive(Debug, Default)]
struct CountedSetupsFile {
    writes: std::sync::atomic::AtomicU32,
}

impl slouchwatch::engine::sinks::SetupsSink for CountedSetupsFile {
    fn setups_changed(&self, _book: &slouchwatch::posture::setups::SetupBook) {
        self.writes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn setups_handed_to_the_engine_are_used_but_never_written_back_or_echoed() {
    use slouchwatch::posture::setups::{Setup, SetupBook};
    // The window saves a book and hands it over; an engine that wrote it again (or sent it back)
    // could land it on the file, and in the window, after the user's next change ("Keep the
    // earlier calibration" undone by the echo of the calibration it replaced).
    let image = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let pose = estimator.estimate(&image).unwrap();
    let calibration = calibrate(&[pose], image.dimensions(), PlacementSetting::Auto).unwrap();
    let file = std::sync::Arc::new(CountedSetupsFile::default());
    let config = EngineConfig {
        setups_sink: Some(file.clone() as std::sync::Arc<dyn slouchwatch::engine::sinks::SetupsSink>),
        ..quiet()
    };
    let steps = vec![Step::Frame; 40];
    let handle = engine::spawn(
        config,
        Box::new(move || Ok(Box::new(ScriptedCamera::new(&steps)) as Box<dyn FrameSource>)),
        estimator,
        None,
    )
    .unwrap();
    let desk = Setup { name: "Desk".into(), camera: None, standing: false, calibration };
    let book = SetupBook { setups: vec![desk], ..SetupBook::default() };
    assert!(handle.send(EngineCommand::SetSetups(Box::new(book))));
    let mut judged = 0;
    let mut echoed = 0;
    for message in handle.messages.iter() {
        match message {
            EngineMessage::Snapshot(snapshot) if snapshot.assessment.is_some() => judged += 1,
            EngineMessage::Setups(_) => echoed += 1,
            _ => {}
        }
    }
    assert!(judged > 0, "the book's calibration is used: frames are judged");
    assert_eq!(echoed, 0, "the book is not sent back");
    assert_eq!(file.writes.load(std::sync::atomic::Ordering::SeqCst), 0, "nor written again");
}

/// A nudge that records what the engine asked of it.
#[derive(Debug, Default)]
struct RecordedNudge(std::sync::Mutex<Vec<String>>);

impl slouchwatch::engine::sinks::NudgeSink for RecordedNudge {
    fn warn(&self, severity: slouchwatch::alerts::Severity) {
        self.0.lock().unwrap().push(format!("warn {severity:?}"));
    }
    fn clear(&self) {
        self.0.lock().unwrap().push("clear".to_owned());
    }
}

/// Not a camera fault, but the same real engine: the nudge (glow, dimming, sound) comes with a
/// shown warning and goes once the person sits up, and never nudges without a warning.
#[test]
fn the_nudge_comes_with_a_warning_and_goes_when_it_clears() {
    let upright = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let pose = estimator.estimate(&upright).unwrap();
    let calibration = calibrate(&[pose], upright.dimensions(), PlacementSetting::Auto).unwrap();
    // The same person 30% larger: too close to the screen.
    let (width, height) = upright.dimensions();
    let crop = (width as f32 / 1.3) as u32;
    let zoomed = image::imageops::crop_imm(&upright, (width - crop) / 2, (height - crop) / 2, crop, crop).to_image();
    let too_close = image::imageops::resize(&zoomed, width, height, image::imageops::FilterType::Triangle);
    let dir = tempfile::tempdir().unwrap();
    let mut index = 0;
    for (image, count) in [(&upright, 4), (&too_close, 20), (&upright, 40)] {
        for _ in 0..count {
            image.save(dir.path().join(format!("frame_{index:03}.png"))).unwrap();
            index += 1;
        }
    }
    let nudge = std::sync::Arc::new(RecordedNudge::default());
    let alerts = AlertSettings { warn_after: TimeDelta::seconds(2), ..AlertSettings::default() };
    let config = EngineConfig {
        calibration: Some(calibration),
        alerts,
        nudge: Some(nudge.clone() as std::sync::Arc<dyn slouchwatch::engine::sinks::NudgeSink>),
        ..quiet()
    };
    let folder = dir.path().to_owned();
    let source = move || {
        slouchwatch::source::replay::ReplaySource::open(&folder, 2.0, Utc::now())
            .map(|replay| Box::new(replay) as Box<dyn FrameSource>)
    };
    let handle = engine::spawn(config, Box::new(source), estimator, None).unwrap();
    let mut alerts = Vec::new();
    for message in handle.messages.iter() {
        if let EngineMessage::Event(event) = message
            && let EngineEvent::Alert(alert) = event.event
        {
            alerts.push(alert);
        }
    }
    assert!(alerts.iter().any(|alert| matches!(alert, AlertEvent::Warning { .. })), "{alerts:?}");
    assert!(alerts.iter().any(|alert| matches!(alert, AlertEvent::Cleared { .. })), "{alerts:?}");
    let asked = nudge.0.lock().unwrap().clone();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(asked[0].starts_with("warn "), "{asked:?}");
    assert_eq!(asked[1], "clear");
}
