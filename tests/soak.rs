//! Endurance: a whole 8-hour working day of virtual time replayed through `slouchwatch run` (the
//! real engine, model and SQLite history), watching the process from outside while it runs.
//! Ignored by default (about two minutes in a release build); run it with
//! `bash scripts/soak.sh` or `cargo test --release --test soak -- --ignored --nocapture`.
//!
//! Checks: resident memory stays flat once warmed up, no file handles or threads leak, the run
//! ends normally, and the day's report adds up to exactly the replayed time. Linux: the process
//! is watched through /proc.
#![cfg(target_os = "linux")]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fixture;
use image::{RgbImage, imageops};
use serde_json::Value;

/// Replayed hours.
const HOURS: u32 = 8;
/// Frames a second (the default analysis rate).
const FPS: u32 = 2;
/// Share of the samples at the start treated as warm-up (model load, first allocations).
const WARM_UP_SHARE: f64 = 0.1;
/// Largest growth of resident memory allowed between the warmed-up start and the end, MB.
/// SQLite's page cache is 256 KiB and pending minutes are at most a day's rows, so anything
/// growing with the length of the run would show well above this.
const MAX_RSS_GROWTH_MB: f64 = 3.0;
/// How often the process is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);

/// The desk scene: the person at one of twelve slightly different positions, or the empty room.
fn make_poses(folder: &Path) {
    let room = imageops::blur(
        &imageops::resize(
            &image::open(fixture("coffee.png")).unwrap().into_rgb8(),
            640,
            480,
            imageops::FilterType::Triangle,
        ),
        4.0,
    );
    let person = imageops::resize(
        &image::open(fixture("astronaut.png")).unwrap().into_rgb8(),
        330,
        330,
        imageops::FilterType::Triangle,
    );
    for i in 0..12 {
        let mut frame: RgbImage = room.clone();
        let dx = 155 + (14.0 * (i as f64).sin()) as i64;
        let dy = 150 + (5.0 * (i as f64 * 1.7).cos()) as i64;
        imageops::overlay(&mut frame, &person, dx, dy);
        frame.save(folder.join(format!("p{i}.jpg"))).unwrap();
    }
    let empty: RgbImage = room.clone();
    empty.save(folder.join("empty.jpg")).unwrap();
    // A frame that is not an image, as a damaged camera frame would be.
    std::fs::write(folder.join("broken.jpg"), b"\xff\xd8 not really a jpeg").unwrap();
}

/// The day as symbolic links into the poses: still stretches of 1-10 minutes with a few
/// seconds of movement between them, a 15-minute break every two hours and now and then a
/// damaged frame. Returns the number of frames.
fn make_day(poses: &Path, day: &Path) -> usize {
    let total = (HOURS * 3600 * FPS) as usize;
    let mut names: Vec<String> = Vec::with_capacity(total);
    let still_s = [120, 300, 60, 600, 180, 240, 90, 420];
    let two_hours = (2 * 3600 * FPS) as usize;
    let (mut pose, mut stretch, mut next_break) = (0usize, 0usize, two_hours);
    while names.len() < total {
        let seconds = still_s[stretch % still_s.len()];
        names.extend(std::iter::repeat_n(format!("p{pose}.jpg"), seconds * FPS as usize));
        names.extend((1..=10).map(|step| format!("p{}.jpg", (pose + step) % 12)));
        if stretch % 7 == 3 {
            names.push("broken.jpg".into());
        }
        if names.len() >= next_break {
            names.extend(std::iter::repeat_n("empty.jpg".to_owned(), 15 * 60 * FPS as usize));
            next_break += two_hours;
        }
        pose = (pose + 5) % 12;
        stretch += 1;
    }
    names.truncate(total);
    for (i, name) in names.iter().enumerate() {
        std::os::unix::fs::symlink(poses.join(name), day.join(format!("f{i:06}.jpg"))).unwrap();
    }
    names.iter().filter(|name| *name == "broken.jpg").count()
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    rss_kb: u64,
    fds: usize,
    threads: usize,
}

fn sample(pid: u32) -> Option<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next().and_then(|value| value.parse::<u64>().ok()))
    };
    Some(Sample {
        rss_kb: field("VmRSS:")?,
        fds: std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count(),
        threads: field("Threads:")? as usize,
    })
}

#[test]
#[ignore = "about two minutes: run by scripts/soak.sh"]
fn an_eight_hour_day_runs_flat_and_its_report_adds_up() {
    let work = tempfile::tempdir().unwrap();
    let (poses, day, data) = (work.path().join("poses"), work.path().join("day"), work.path().join("data"));
    for folder in [&poses, &day] {
        std::fs::create_dir_all(folder).unwrap();
    }
    make_poses(&poses);
    let broken = make_day(&poses, &day);
    let calibration = work.path().join("calibration.json");
    let calibrated = common::slouchwatch(&[
        "calibrate".as_ref(),
        "--source".as_ref(),
        poses.join("p0.jpg").as_os_str(),
        "--out".as_ref(),
        calibration.as_os_str(),
    ]);
    assert!(calibrated.status.success(), "{}", String::from_utf8_lossy(&calibrated.stderr));

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--fps", &FPS.to_string(), "--start", "2026-11-20T09:00:00Z", "--no-notify"])
        .arg("--source")
        .arg(&day)
        .arg("--calibration")
        .arg(&calibration)
        .arg("--data-dir")
        .arg(&data)
        .env("TZ", "UTC")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let mut samples = Vec::new();
    while child.try_wait().unwrap().is_none() {
        if let Some(sample) = sample(pid) {
            samples.push(sample);
        }
        std::thread::sleep(SAMPLE_EVERY);
    }
    let status = child.wait().unwrap();
    let output = reader.join().unwrap();
    let wall = started.elapsed();
    assert!(status.success(), "run failed");
    assert!(samples.len() >= 20, "too few samples ({}) to judge", samples.len());

    let warm = ((samples.len() as f64 * WARM_UP_SHARE).ceil() as usize).max(1);
    let steady = &samples[warm..];
    let quarter = (steady.len() / 4).max(1);
    let mb = |kb: u64| kb as f64 / 1024.0;
    let early_peak = steady[..quarter].iter().map(|s| s.rss_kb).max().unwrap();
    let late_peak = steady[steady.len() - quarter..].iter().map(|s| s.rss_kb).max().unwrap();
    let overall_peak = samples.iter().map(|s| s.rss_kb).max().unwrap();
    // A handle is open for a moment while each frame's file is read, so a sample may catch one
    // more: a leak shows as the fewest handles (or threads) seen late in the day exceeding the
    // fewest seen early.
    let fewest = |part: &[Sample], field: fn(&Sample) -> usize| part.iter().map(field).min().unwrap();
    let (early, late) = (&steady[..quarter], &steady[steady.len() - quarter..]);
    eprintln!(
        "soak: {HOURS} h replayed in {:.0} s; {} samples; RSS early {:.1} MB, late {:.1} MB, peak {:.1} MB; \
         fds {}..{}, threads {}..{}",
        wall.as_secs_f64(),
        samples.len(),
        mb(early_peak),
        mb(late_peak),
        mb(overall_peak),
        steady.iter().map(|s| s.fds).min().unwrap(),
        steady.iter().map(|s| s.fds).max().unwrap(),
        steady.iter().map(|s| s.threads).min().unwrap(),
        steady.iter().map(|s| s.threads).max().unwrap(),
    );
    assert!(
        mb(late_peak) <= mb(early_peak) + MAX_RSS_GROWTH_MB,
        "memory grew from {:.1} MB to {:.1} MB",
        mb(early_peak),
        mb(late_peak)
    );
    for (what, field) in [("file handles", (|s: &Sample| s.fds) as fn(&Sample) -> usize), ("threads", |s| s.threads)] {
        let (before, after) = (fewest(early, field), fewest(late, field));
        assert!(after <= before, "{what} leaked: at least {before} open early in the day, {after} late");
    }

    let lines: Vec<Value> = output.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let summary = lines.last().unwrap();
    let frames = (HOURS * 3600 * FPS) as u64;
    assert_eq!(summary["frames"].as_u64(), Some(frames - broken as u64), "{summary}");
    assert_eq!(summary["unreadable"].as_u64(), Some(broken as u64));
    let monitored = summary["monitored_s"].as_f64().unwrap();
    let away = summary["away_s"].as_f64().unwrap();

    let report = Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["report", "--date", "2026-11-20", "--format", "json", "--data-dir"])
        .arg(&data)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let report: Value = serde_json::from_slice::<Value>(&report.stdout).unwrap()["day"].clone();
    let (reported_monitored, reported_away) =
        (report["monitored_s"].as_f64().unwrap(), report["away_s"].as_f64().unwrap());
    eprintln!(
        "run: monitored {monitored} s, away {away} s; report: monitored {reported_monitored} s, away {reported_away} s, \
         upright {} s, slouched {} s, unclear {} s",
        report["upright_s"], report["slouched_s"], report["unclear_s"]
    );
    assert!((reported_monitored - monitored).abs() < 1e-6, "report {reported_monitored} vs run {monitored}");
    assert!((reported_away - away).abs() < 1e-6, "report {reported_away} vs run {away}");
    assert_eq!(monitored + away, (HOURS * 3600) as f64, "every replayed second is monitored or away");
    assert!(away >= 3.0 * 15.0 * 60.0 * 0.9, "the three breaks show as away time: {away} s");
    let parts = ["upright_s", "slouched_s", "unclear_s"].iter().map(|key| report[key].as_f64().unwrap()).sum::<f64>();
    assert!(
        (parts - reported_monitored).abs() < 1e-6,
        "upright + slouched + unclear = {parts}, monitored {reported_monitored}"
    );
}
