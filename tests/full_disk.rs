//! A disk that fills up mid-run, then has room again, through the real engine and a real SQLite
//! file. The full disk is real as far as SQLite can tell: the process's file-size limit
//! (RLIMIT_FSIZE) makes every write that would grow a file fail with EFBIG, the same failed
//! write a full file system gives, without needing a small partition. The limit is per process,
//! so this file holds this one test. The limit is Unix's: Windows has no such thing.
#![cfg(unix)]

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::fixture;
use slouchwatch::engine::{self, EngineConfig, EngineEvent, EngineMessage, SourceEvent};
use slouchwatch::history::HistoryStore;
use slouchwatch::pose::{ModelChoice, PoseEstimator};
use slouchwatch::source::replay::ReplaySource;
use slouchwatch::source::{Frame, FrameSource, SourceError};

/// Replayed minutes; the disk is full for the first half.
const MINUTES: i64 = 6;
const FPS: f64 = 2.0;

fn set_file_size_limit(bytes: Option<u64>) {
    let limit: libc::rlim_t = bytes.map_or(libc::RLIM_INFINITY, |bytes| bytes as libc::rlim_t);
    let mut current = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: plain system calls on this process's limits with valid pointers.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut current), 0);
        current.rlim_cur = limit.min(current.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &current), 0);
    }
}

/// The replay, with the disk given room again (the limit lifted) once `free_at` frames were read.
struct DiskFreedLater {
    replay: ReplaySource,
    read: usize,
    free_at: usize,
}

impl FrameSource for DiskFreedLater {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        self.read += 1;
        if self.read == self.free_at {
            set_file_size_limit(None);
        }
        self.replay.next_frame()
    }

    fn is_live(&self) -> bool {
        false
    }

    fn describe(&self) -> String {
        self.replay.describe()
    }
}

#[test]
fn a_full_disk_loses_no_minute_once_there_is_room_again() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    let total = (MINUTES as f64 * 60.0 * FPS) as usize;
    for i in 0..total {
        std::os::unix::fs::symlink(fixture("astronaut.png"), frames.join(format!("f{i:05}.png"))).unwrap();
    }
    let data = dir.path().join("data");
    let (store, _) = HistoryStore::open(&data).unwrap();
    let database = store.path().to_owned();

    // SIGXFSZ would end the process at the first write past the limit; ignored, the write just fails.
    // SAFETY: setting a signal's disposition to "ignore" has no handler to race with.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    let size_now = std::fs::metadata(&database).unwrap().len();
    set_file_size_limit(Some(size_now));

    let start: DateTime<Utc> = "2026-11-20T09:00:00Z".parse().unwrap();
    let replay = ReplaySource::open(&frames, FPS, start).unwrap();
    let source = DiskFreedLater { replay, read: 0, free_at: total / 2 };
    let estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let config = EngineConfig { notifications: false, fps: FPS, ..EngineConfig::default() };
    let handle =
        engine::spawn(config, Box::new(move || Ok(Box::new(source) as Box<dyn FrameSource>)), estimator, Some(store))
            .unwrap();
    let mut unavailable = Vec::new();
    let mut back = 0;
    let mut summary = None;
    for message in handle.messages.iter() {
        match message {
            EngineMessage::Event(event) => match event.event {
                EngineEvent::Source(SourceEvent::HistoryUnavailable { detail }) => unavailable.push(detail),
                EngineEvent::Source(SourceEvent::HistoryBack) => back += 1,
                _ => {}
            },
            EngineMessage::Finished(done) => summary = Some(done),
            EngineMessage::Snapshot(_)
            | EngineMessage::Calibration(_)
            | EngineMessage::ShowWindow(_)
            | EngineMessage::Setups(_) => {}
        }
    }
    set_file_size_limit(None);
    let summary = summary.unwrap();
    eprintln!("while the disk was full: {unavailable:?}");
    assert_eq!(unavailable.len(), 1, "said once, not every minute: {unavailable:?}");
    assert!(
        unavailable[0].contains("full") || unavailable[0].contains("I/O") || unavailable[0].contains("disk"),
        "{}",
        unavailable[0]
    );
    assert_eq!(back, 1, "and told once that the history is saved again");
    assert_eq!(summary.frames as usize, total, "monitoring went on throughout");

    let (store, notice) = HistoryStore::open(&data).unwrap();
    assert!(notice.is_none(), "the database is intact: {notice:?}");
    let rows = store.minutes(start, start + TimeDelta::minutes(MINUTES)).unwrap();
    let minutes: Vec<i64> = rows.iter().map(|row| (row.minute - start).num_minutes()).collect();
    assert_eq!(minutes, (0..MINUTES).collect::<Vec<_>>(), "every minute, including those from the full spell");
    let seconds: f64 = rows.iter().map(|row| row.monitored_s + row.away_s).sum();
    assert!((seconds - (MINUTES * 60) as f64).abs() < 1e-6, "{seconds} s stored for {MINUTES} min replayed");
    assert_eq!(summary.monitored_s + summary.away_s, seconds);
}
