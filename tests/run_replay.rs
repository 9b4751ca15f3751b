//! `slouchwatch run` end to end: replays of frame sequences through the real model, the real
//! alert machine and a real SQLite history.

mod common;
// Control over the session bus, with signals and /proc: Linux's (Windows' named pipe is checked
// by scripts/windows-check.sh against the real process).
#[cfg(target_os = "linux")]
mod control;

use std::path::Path;

use chrono::{DateTime, Utc};
use common::{calibrate_on_astronaut, fixture, json_lines, slouchwatch};
use image::{RgbImage, imageops};
use rusqlite::Connection;
use serde_json::Value;

/// Virtual start of every replay.
const START: &str = "2026-11-20T09:00:00Z";
/// Analysis rate of the replays: frames are half a second apart.
const FPS: f64 = 2.0;

struct Frames {
    upright: RgbImage,
    /// The same person 30% larger: head and shoulders came toward the screen together.
    too_close: RgbImage,
    /// No one there.
    empty: RgbImage,
}

fn frames() -> Frames {
    let upright = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let (width, height) = upright.dimensions();
    let crop = (width as f32 / 1.3) as u32;
    let offset = (width - crop) / 2;
    let zoomed = imageops::crop_imm(&upright, offset, offset, crop, crop).to_image();
    let too_close = imageops::resize(&zoomed, width, height, imageops::FilterType::Triangle);
    let coffee = image::open(fixture("coffee.png")).unwrap().into_rgb8();
    let empty = imageops::resize(&coffee, width, height, imageops::FilterType::Triangle);
    Frames { upright, too_close, empty }
}

/// Writes the sequence as numbered PNGs into a new folder.
fn write_sequence(dir: &Path, sequence: &[(&RgbImage, usize)]) -> std::path::PathBuf {
    let folder = dir.join("frames");
    std::fs::create_dir_all(&folder).unwrap();
    let mut index = 0;
    for (image, count) in sequence {
        for _ in 0..*count {
            image.save(folder.join(format!("frame_{index:05}.png"))).unwrap();
            index += 1;
        }
    }
    folder
}

fn calibrate(dir: &Path) -> std::path::PathBuf {
    let calibration = dir.join("calibration.json");
    calibrate_on_astronaut(&calibration);
    calibration
}

/// Runs a replay; returns the JSON events (without the summary) and the summary.
fn run(dir: &Path, folder: &Path, calibration: &Path) -> (Vec<Value>, Value) {
    let data = dir.join("data");
    let output = slouchwatch(&[
        "run".as_ref(),
        "--source".as_ref(),
        folder.as_os_str(),
        "--fps".as_ref(),
        FPS.to_string().as_ref(),
        "--start".as_ref(),
        START.as_ref(),
        "--calibration".as_ref(),
        calibration.as_os_str(),
        "--data-dir".as_ref(),
        data.as_os_str(),
        "--no-notify".as_ref(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut lines = json_lines(&output);
    let summary = lines.pop().unwrap();
    assert_eq!(summary["event"], "summary");
    (lines, summary)
}

fn seconds_after_start(event: &Value) -> f64 {
    let time: DateTime<Utc> = event["time"].as_str().unwrap().parse().unwrap();
    let start: DateTime<Utc> = START.parse().unwrap();
    (time - start).as_seconds_f64()
}

fn kinds(events: &[Value]) -> Vec<String> {
    events.iter().map(|event| event["event"].as_str().unwrap().to_owned()).collect()
}

fn database(dir: &Path) -> Connection {
    Connection::open(dir.join("data").join(slouchwatch::history::DATABASE_FILE)).unwrap()
}

fn sum(connection: &Connection, column: &str) -> f64 {
    connection.query_row(&format!("SELECT TOTAL({column}) FROM minutes"), [], |row| row.get(0)).unwrap()
}

fn count(connection: &Connection, table: &str) -> i64 {
    connection.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| row.get(0)).unwrap()
}

#[test]
fn a_long_slouch_warns_once_at_the_right_time_clears_and_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    // 10 s upright, 40 s too close, 10 s upright.
    let folder = write_sequence(dir.path(), &[(&frames.upright, 20), (&frames.too_close, 80), (&frames.upright, 20)]);
    let (events, summary) = run(dir.path(), &folder, &calibrate(dir.path()));

    assert_eq!(kinds(&events), ["warning", "cleared"], "{events:?}");
    let warning = &events[0];
    let slouch_start = 10.0;
    let at = seconds_after_start(warning);
    // 30 s after the slouch began; smoothing may take a frame or two to see it.
    assert!((slouch_start + 30.0..=slouch_start + 31.5).contains(&at), "warning at {at} s");
    let problems = warning["problems"].as_array().unwrap();
    assert!(problems.contains(&serde_json::json!("too_close")), "{warning}");
    // The coach's suggestion comes with the warning, and it can be done at the desk.
    let suggestion = warning["suggestion"]["id"].as_str().unwrap();
    let catalog = slouchwatch::coach::Catalog::built_in().unwrap();
    assert!(catalog.entry(suggestion).unwrap().at_desk(), "{warning}");
    let cleared_at = seconds_after_start(&events[1]);
    assert!((55.0..=57.0).contains(&cleared_at), "cleared at {cleared_at} s");

    assert_eq!(summary["frames"], 120);
    assert_eq!(summary["warnings"], 1);
    assert!(summary["analysed"].as_u64().unwrap() < 40, "still frames skip the model: {summary}");

    let db = database(dir.path());
    assert!((sum(&db, "monitored_s") - 60.0).abs() < 1e-6, "monitored {}", sum(&db, "monitored_s"));
    let bad = sum(&db, "bad_s");
    assert!((39.0..=40.0).contains(&bad), "bad {bad}");
    let too_close = sum(&db, "too_close_s");
    assert!(too_close <= bad + 1e-6 && too_close >= bad - 1.0, "too close {too_close} of bad {bad}");
    assert!((sum(&db, "good_s") + bad - 60.0).abs() < 1e-6);
    assert_eq!(count(&db, "warnings"), 1);
    let (start, end, warned): (i64, i64, bool) =
        db.query_row("SELECT start, end, warned FROM episodes", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    let start_s =
        (DateTime::from_timestamp_millis(start).unwrap() - START.parse::<DateTime<Utc>>().unwrap()).as_seconds_f64();
    assert!((10.0..=11.5).contains(&start_s), "episode start {start_s}");
    assert!(end > start && warned);
    // Minutes are whole minutes of the replay's virtual clock.
    let minutes: i64 = db.query_row("SELECT COUNT(*) FROM minutes", [], |r| r.get(0)).unwrap();
    assert_eq!(minutes, 1);
}

#[test]
fn a_slouch_shorter_than_the_delay_does_not_warn() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    let folder = write_sequence(dir.path(), &[(&frames.upright, 20), (&frames.too_close, 40), (&frames.upright, 20)]);
    let (events, summary) = run(dir.path(), &folder, &calibrate(dir.path()));
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(summary["warnings"], 0);
    let db = database(dir.path());
    assert_eq!(count(&db, "warnings"), 0);
    assert_eq!(count(&db, "episodes"), 0);
    assert!(sum(&db, "bad_s") > 15.0, "the slouch is still in the minutes");
}

#[test]
fn an_empty_chair_is_away_then_back() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    // 10 s upright, 30 s empty chair, 10 s upright.
    let folder = write_sequence(dir.path(), &[(&frames.upright, 20), (&frames.empty, 60), (&frames.upright, 20)]);
    let (events, _) = run(dir.path(), &folder, &calibrate(dir.path()));
    assert_eq!(kinds(&events), ["away", "back"], "{events:?}");
    assert!((seconds_after_start(&events[0]) - 30.0).abs() < 0.01, "away after 20 s of empty chair");
    assert!((seconds_after_start(&events[1]) - 40.0).abs() < 0.01);
    assert_eq!(events[1]["away_for_s"], 30);
    assert_eq!(events[1]["was_break"], false);
    let db = database(dir.path());
    assert!((sum(&db, "away_s") - 30.0).abs() < 1e-6);
    assert!((sum(&db, "monitored_s") - 20.0).abs() < 1e-6);
}

#[test]
fn unreadable_frames_are_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    let folder = write_sequence(dir.path(), &[(&frames.upright, 6)]);
    std::fs::write(folder.join("frame_00003.png"), b"not a png").unwrap();
    let (events, summary) = run(dir.path(), &folder, &calibrate(dir.path()));
    assert_eq!(kinds(&events), ["frame_skipped"]);
    assert!(events[0]["detail"].as_str().unwrap().contains("frame_00003.png"));
    assert_eq!(summary["unreadable"], 1);
    assert_eq!(summary["frames"], 5);
}

#[test]
fn an_unwritable_data_folder_warns_and_monitoring_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    let folder = write_sequence(dir.path(), &[(&frames.upright, 4)]);
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"a file where the data folder should go").unwrap();
    let output = slouchwatch(&[
        "run".as_ref(),
        "--source".as_ref(),
        folder.as_os_str(),
        "--data-dir".as_ref(),
        blocker.join("data").as_os_str(),
        "--no-notify".as_ref(),
    ]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("keeps monitoring"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\"event\":\"summary\""), "{stdout}");
}

#[test]
fn without_a_camera_run_says_so_and_cameras_lists_none() {
    if common::skip_with_a_camera() {
        return;
    }
    let output = slouchwatch(&["run".as_ref(), "--source".as_ref(), "camera".as_ref(), "--no-notify".as_ref()]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no camera found") && stderr.contains("--wait-for-camera"), "{stderr}");

    let output = slouchwatch(&["cameras".as_ref()]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("No camera found"));
}

/// Starts `run` on a camera that is not there, waiting for it, with the history in `data`.
fn wait_for_camera(data: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--source", "camera", "--wait-for-camera", "--no-notify", "--data-dir"])
        .arg(data)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends Ctrl-C (SIGINT) to `child` and waits for it.
fn interrupt(child: std::process::Child) -> std::process::Output {
    let interrupted = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    child.wait_with_output().unwrap()
}

#[test]
#[cfg_attr(windows, ignore = "Ctrl-C is sent with kill -INT (Unix)")]
fn waiting_for_a_camera_reports_it_lost_and_stops_cleanly_on_ctrl_c() {
    if common::skip_with_a_camera() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let child = wait_for_camera(dir.path());
    std::thread::sleep(std::time::Duration::from_secs(3));
    let output = interrupt(child);
    assert!(output.status.success(), "{output:?}");
    let events = json_lines(&output);
    assert_eq!(events.first().unwrap()["event"], "camera_lost", "{events:?}");
    assert_eq!(events.last().unwrap()["event"], "summary", "{events:?}");
}

#[test]
#[cfg_attr(
    windows,
    ignore = "Ctrl-C is sent with kill -INT (Unix); Windows keeps a locked file from being read, so the holder is not named"
)]
fn a_second_monitor_on_the_same_history_is_refused_politely() {
    if common::skip_with_a_camera() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The first one waits for a camera that never comes, holding the history.
    let first = wait_for_camera(&data);
    let lock = data.join(slouchwatch::history::LOCK_FILE);
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&lock).map(|text| text.trim() != first.id().to_string()).unwrap_or(true) {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "the first monitor never took the history");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let frames = write_sequence(dir.path(), &[(&frames().upright, 4)]);
    let second = slouchwatch(&[
        "run".as_ref(),
        "--source".as_ref(),
        frames.as_os_str(),
        "--data-dir".as_ref(),
        data.as_os_str(),
        "--no-notify".as_ref(),
    ]);
    assert_eq!(second.status.code(), Some(4), "{second:?}");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("already monitoring") && stderr.contains(&format!("process {}", first.id())), "{stderr}");
    assert!(second.stdout.is_empty(), "the second wrote nothing");

    assert!(interrupt(first).status.success());
    // Once the first has stopped, the history is free again.
    let third = slouchwatch(&[
        "run".as_ref(),
        "--source".as_ref(),
        frames.as_os_str(),
        "--data-dir".as_ref(),
        data.as_os_str(),
        "--no-notify".as_ref(),
    ]);
    assert!(third.status.success(), "{}", String::from_utf8_lossy(&third.stderr));
}

/// Every file under `root`, relative.
fn files_under(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                found.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
#[cfg_attr(windows, ignore = "the folders are moved with HOME and XDG variables (Linux)")]
fn monitoring_writes_nothing_but_the_history_and_no_frame_ever() {
    let dir = tempfile::tempdir().unwrap();
    let calibration = calibrate(dir.path());
    let frames = frames();
    let folder = write_sequence(dir.path(), &[(&frames.upright, 10), (&frames.too_close, 10)]);
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let before = files_under(dir.path());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--no-notify", "--fps", "2", "--start", START, "--source"])
        .arg(&folder)
        .arg("--calibration")
        .arg(&calibration)
        .current_dir(&home)
        // Everything a program might write to by default points inside the test folder.
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let new: Vec<String> = files_under(dir.path()).into_iter().filter(|file| !before.contains(file)).collect();
    for file in &new {
        assert!(file.starts_with("home/data/slouchwatch/"), "written outside the history folder: {file}");
        let name = file.rsplit('/').next().unwrap();
        assert!(
            name.starts_with(slouchwatch::history::DATABASE_FILE) || name == slouchwatch::history::LOCK_FILE,
            "not a history file: {file}"
        );
    }
    assert!(new.iter().any(|file| file.ends_with(slouchwatch::history::DATABASE_FILE)), "{new:?}");
}

#[cfg(unix)]
#[test]
fn a_monitor_killed_during_writes_leaves_a_history_that_opens_with_every_finished_minute() {
    let dir = tempfile::tempdir().unwrap();
    let frame = dir.path().join("frame.png");
    frames().upright.save(&frame).unwrap();
    // Almost three hours of virtual time: far more than the run lasts before it is killed.
    let long = dir.path().join("long");
    std::fs::create_dir_all(&long).unwrap();
    for index in 0..20_000 {
        std::os::unix::fs::symlink(&frame, long.join(format!("f{index:05}.png"))).unwrap();
    }
    let data = dir.path().join("data");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--no-notify", "--fps", "2", "--start", START, "--source"])
        .arg(&long)
        .arg("--data-dir")
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let database = data.join(slouchwatch::history::DATABASE_FILE);
    let rows = |connection: &Connection| -> i64 {
        connection.query_row("SELECT COUNT(*) FROM minutes", [], |row| row.get(0)).unwrap_or(0)
    };
    let started = std::time::Instant::now();
    loop {
        let written = Connection::open_with_flags(&database, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map(|connection| rows(&connection))
            .unwrap_or(0);
        if written >= 10 {
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "no minutes written");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Power loss: no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();

    let (store, notice) = slouchwatch::history::HistoryStore::open(&data).unwrap();
    assert!(notice.is_none(), "the database was usable: {notice:?}");
    drop(store);
    let connection = Connection::open(&database).unwrap();
    let check: String = connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(check, "ok");
    let (count, first, last): (i64, i64, i64) = connection
        .query_row("SELECT COUNT(*), MIN(minute), MAX(minute) FROM minutes", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert!(count >= 10);
    assert_eq!(count, (last - first) / 60 + 1, "every finished minute up to the kill is there, no holes");
    let full: i64 = connection
        .query_row("SELECT COUNT(*) FROM minutes WHERE monitored_s + away_s < 59.999", [], |r| r.get(0))
        .unwrap();
    assert_eq!(full, 0, "only whole minutes were written");
    drop(connection);

    // Monitoring starts again on the same history.
    let short = write_sequence(dir.path(), &[(&frames().upright, 4)]);
    let again = slouchwatch(&[
        "run".as_ref(),
        "--no-notify".as_ref(),
        "--start".as_ref(),
        "2026-11-20T15:00:00Z".as_ref(),
        "--source".as_ref(),
        short.as_os_str(),
        "--data-dir".as_ref(),
        data.as_os_str(),
    ]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(rows(&Connection::open(&database).unwrap()), count + 1);
}

/// Every file in `folder` with its bytes.
fn files_in(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
#[cfg_attr(windows, ignore = "the folder is made read-only with Unix permissions")]
fn a_history_on_a_read_only_disk_is_left_untouched_and_monitoring_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    let folder = write_sequence(dir.path(), &[(&frames.upright, 4)]);
    let data = dir.path().join("data");
    let run_args = |data: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "run".into(),
            "--source".into(),
            folder.clone().into(),
            "--data-dir".into(),
            data.into(),
            "--no-notify".into(),
            "--start".into(),
            "2026-11-20T09:00:00Z".into(),
        ]
    };
    let args = run_args(&data);
    let first = slouchwatch(&args.iter().map(|arg| arg.as_os_str()).collect::<Vec<_>>());
    assert!(first.status.success());
    let before = files_in(&data);
    assert!(before.iter().any(|(name, _)| name == "history.sqlite3"), "{:?}", before.iter().map(|f| &f.0));

    // The data folder read-only for the second run: a read-only bind mount over it in a private
    // mount namespace (needs no privileges where user namespaces are allowed).
    let script = r#"mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 97; shift; exec "$@""#;
    let output = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"])
        .arg(&data)
        .arg(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(run_args(&data))
        .output()
        .unwrap();
    if output.status.code() == Some(97) || String::from_utf8_lossy(&output.stderr).starts_with("unshare:") {
        eprintln!("skipped: this system allows no read-only mount: {}", String::from_utf8_lossy(&output.stderr));
        return;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("read-only: {stderr}");
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("keeps monitoring") && stderr.contains("read-only"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"event\":\"summary\""));
    assert_eq!(files_in(&data), before, "nothing in the read-only folder was changed, moved or deleted");
}

#[test]
#[cfg_attr(windows, ignore = "system calls are watched with strace (Linux)")]
fn monitoring_calibrating_and_reporting_open_no_network_socket() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    let folder = write_sequence(dir.path(), &[(&frames.upright, 3), (&frames.too_close, 3)]);
    let data = dir.path().join("data");
    let calibration = dir.path().join("calibration.json");
    let os = |text: &str| std::ffi::OsString::from(text);
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec![os("calibrate"), os("--source"), fixture("astronaut.png").into(), os("--out"), calibration.clone().into()],
        vec![
            os("run"),
            os("--source"),
            folder.clone().into(),
            os("--calibration"),
            calibration.clone().into(),
            os("--data-dir"),
            data.clone().into(),
            os("--start"),
            os("2026-11-20T09:00:00Z"),
        ],
        vec![os("report"), os("--date"), os("2026-11-20"), os("--format"), os("html"), os("--data-dir"), data.into()],
    ];
    for args in runs {
        let log = dir.path().join("syscalls.txt");
        let traced = std::process::Command::new("strace")
            .args(["-f", "-q", "-e", "trace=socket,socketpair,connect,bind,sendto,sendmsg", "-o"])
            .arg(&log)
            .arg(env!("CARGO_BIN_EXE_slouchwatch"))
            .args(&args)
            .env("TZ", "UTC")
            .output()
            .expect("strace runs (install it: scripts/setup-debian.sh does)");
        assert!(traced.status.success(), "{args:?}: {}", String::from_utf8_lossy(&traced.stderr));
        let trace = std::fs::read_to_string(&log).unwrap();
        assert!(trace.contains("+++ exited with 0 +++"), "strace followed the process: {trace}");
        let network: Vec<&str> = trace
            .lines()
            .filter(|line| {
                ["AF_INET", "AF_INET6", "AF_PACKET", "AF_NETLINK"].iter().any(|family| line.contains(family))
            })
            .collect();
        assert!(network.is_empty(), "{args:?} opened network sockets: {network:?}");
        eprintln!("{:?}: {} socket calls, none to a network", args[0], trace.lines().count() - 1);
    }
}

#[test]
#[cfg_attr(windows, ignore = "the config folder is moved with XDG_CONFIG_HOME (Linux)")]
fn without_a_calibration_time_at_the_desk_is_never_counted_upright() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    let folder = write_sequence(dir.path(), &[(&frames.upright, 40)]);
    let data = dir.path().join("data");
    // No --calibration, and no calibration in the (empty) config folder either.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--fps", "2", "--start", START, "--no-notify", "--source"])
        .arg(&folder)
        .arg("--data-dir")
        .arg(&data)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("slouchwatch calibrate"));
    let summary = json_lines(&output).pop().unwrap();
    assert!((summary["monitored_s"].as_f64().unwrap() - 20.0).abs() < 1e-6, "{summary}");
    assert_eq!(summary["good_s"], 0.0, "{summary}");
    let db = database(dir.path());
    assert_eq!(sum(&db, "good_s"), 0.0);
    assert!((sum(&db, "unknown_s") - 20.0).abs() < 1e-6, "not judged, at the desk");
}

/// Runs a replay with `--on-event hook`; returns the event kinds and stderr.
fn run_with_hook(dir: &Path, folder: &Path, calibration: &Path, hook: &str) -> (Vec<String>, String) {
    let output = slouchwatch(&[
        "run".as_ref(),
        "--source".as_ref(),
        folder.as_os_str(),
        "--start".as_ref(),
        START.as_ref(),
        "--calibration".as_ref(),
        calibration.as_os_str(),
        "--data-dir".as_ref(),
        dir.join("data").as_os_str(),
        "--no-notify".as_ref(),
        "--on-event".as_ref(),
        hook.as_ref(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut lines = json_lines(&output);
    lines.pop();
    (kinds(&lines), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_hook_hears_each_event_as_json_and_a_failing_hanging_or_missing_one_never_stalls_monitoring() {
    let dir = tempfile::tempdir().unwrap();
    let frames = frames();
    let folder = write_sequence(
        dir.path(),
        &[
            (&frames.upright, 20),
            (&frames.too_close, 80),
            (&frames.upright, 20),
            (&frames.empty, 60),
            (&frames.upright, 20),
        ],
    );
    let calibration = calibrate(dir.path());
    let heard = dir.path().join("heard.jsonl");
    // The hook runs through the platform's shell: sh on Linux, cmd on Windows.
    let append = if cfg!(windows) {
        format!("more >> \"{}\"", heard.display())
    } else {
        format!("cat >> '{}'", heard.display())
    };
    let (kinds, stderr) = run_with_hook(dir.path(), &folder, &calibration, &append);
    assert!(!stderr.contains("hook failed"), "{stderr}");
    let wanted: Vec<&String> = kinds
        .iter()
        .filter(|kind| ["warning", "cleared", "away", "back", "break_reminder"].contains(&kind.as_str()))
        .collect();
    assert_eq!(wanted, ["warning", "cleared", "away", "back"], "{kinds:?}");
    // The hooks run beside the monitor: wait for the last to write.
    let started = std::time::Instant::now();
    let lines = loop {
        let text = std::fs::read_to_string(&heard).unwrap_or_default();
        if text.lines().count() >= 4 || started.elapsed().as_secs() > 10 {
            break text.lines().map(|line| serde_json::from_str::<Value>(line).unwrap()).collect::<Vec<_>>();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut heard_kinds: Vec<&str> = lines.iter().map(|event| event["event"].as_str().unwrap()).collect();
    heard_kinds.sort();
    assert_eq!(heard_kinds, ["away", "back", "cleared", "warning"]);
    let warning = lines.iter().find(|event| event["event"] == "warning").unwrap();
    assert!(
        warning["problems"].as_array().unwrap().iter().any(|problem| problem == "too_close"),
        "the same JSON as run prints: {warning}"
    );
    assert!(warning["suggestion"]["name"].is_string());

    // A hook that fails, one that hangs and one that does not exist: monitoring goes on to
    // the end with every event, and the failure is said once.
    let hooks: &[(&str, &str)] = if cfg!(windows) {
        &[("fails", "exit 3"), ("missing", r"C:\no\such\hook-program")]
    } else {
        &[("fails", "exit 3"), ("hangs", "sleep 12"), ("missing", "/no/such/hook-program")]
    };
    for &(name, hook) in hooks {
        let run_dir = dir.path().join(name);
        let started = std::time::Instant::now();
        let (kinds, stderr) = run_with_hook(&run_dir, &folder, &calibration, hook);
        let seconds = started.elapsed().as_secs_f64();
        assert!(kinds.contains(&"back".to_owned()), "{name}: {kinds:?}");
        // Four hooks waited for in turn would take at least 4 x 10 s.
        assert!(seconds < 20.0, "{name}: the replay took {seconds:.0} s, as if it waited for its hooks");
        if name != "hangs" {
            assert_eq!(stderr.matches("the event hook failed").count(), 1, "{name}: said once: {stderr}");
        }
    }
}

/// The astronaut on a wider, taller canvas at (x, y): sitting low in the picture, standing high
/// in it, or moved aside.
fn placed(x: u32, y: u32) -> RgbImage {
    let person = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let mut canvas = RgbImage::from_pixel(912, 704, image::Rgb([128, 128, 128]));
    imageops::overlay(&mut canvas, &person, x.into(), y.into());
    canvas
}

/// `slouchwatch` with its config folder (where the setups live) and data folder inside `home`.
fn in_home(home: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap()
}

#[test]
#[cfg_attr(windows, ignore = "the folders are moved with XDG variables (Linux)")]
fn standing_up_switches_to_the_standing_setup_counts_as_standing_and_an_unknown_place_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (sitting, standing, aside) = (placed(0, 200), placed(0, 0), placed(400, 200));
    let photo = |name: &str, image: &RgbImage| {
        let path = dir.path().join(name);
        image.save(&path).unwrap();
        path
    };
    let (sitting_photo, standing_photo) = (photo("sitting.png", &sitting), photo("standing.png", &standing));
    for (name, path, standing) in [("Desk", &sitting_photo, false), ("Standing", &standing_photo, true)] {
        let mut args: Vec<&std::ffi::OsStr> =
            vec!["calibrate".as_ref(), "--setup".as_ref(), name.as_ref(), "--source".as_ref(), path.as_os_str()];
        if standing {
            args.push("--standing".as_ref());
        }
        let output = in_home(&home, &args);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(String::from_utf8_lossy(&output.stdout).contains(&format!("Setup \"{name}\" made")));
    }
    let listed = in_home(&home, &["setups".as_ref()]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("Desk: camera any") && listed.contains("Standing (standing)"), "{listed}");

    // 10 s sitting, 30 s standing, 10 s sitting, 10 s moved aside (fits neither), 5 s sitting.
    let folder =
        write_sequence(dir.path(), &[(&sitting, 20), (&standing, 60), (&sitting, 20), (&aside, 20), (&sitting, 10)]);
    let data = dir.path().join("data");
    let output = in_home(
        &home,
        &[
            "run".as_ref(),
            "--source".as_ref(),
            folder.as_os_str(),
            "--fps".as_ref(),
            "2".as_ref(),
            "--start".as_ref(),
            START.as_ref(),
            "--data-dir".as_ref(),
            data.as_os_str(),
            "--no-notify".as_ref(),
        ],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let events = json_lines(&output);
    let setup_events: Vec<(String, f64)> = events
        .iter()
        .filter(|event| ["setup_changed", "no_setup_fits"].contains(&event["event"].as_str().unwrap_or("")))
        .map(|event| {
            let what = event["name"].as_str().map(str::to_owned).unwrap_or_else(|| "none fits".to_owned());
            (what, seconds_after_start(event))
        })
        .collect();
    let names: Vec<&str> = setup_events.iter().map(|(name, _)| name.as_str()).collect();
    // The setup used last was the standing one (calibrated last): the first frame, sitting, is
    // nearer the desk's.
    // Back at the desk after being aside: the desk's setup fits again (still the one in use, so
    // no change to announce) and judging resumes.
    assert_eq!(names, ["Desk", "Standing", "Desk", "none fits"], "{setup_events:?}");
    let at = |index: usize| setup_events[index].1;
    assert!(at(0) < 1.0, "{setup_events:?}");
    assert!((10.0..=12.0).contains(&at(1)) && (40.0..=42.0).contains(&at(2)), "{setup_events:?}");
    assert!((50.0..=52.0).contains(&at(3)), "{setup_events:?}");
    let standing_event = events.iter().find(|event| event["name"] == "Standing").unwrap();
    assert_eq!(standing_event["standing"], true);
    let asked = events.iter().find(|event| event["event"] == "no_setup_fits").unwrap();
    assert_eq!(asked["setups"], "Desk, Standing");

    // The history: standing time is the standing stretch; each minute names its setup; the
    // time aside was not judged (never upright).
    let connection = Connection::open(data.join(slouchwatch::history::DATABASE_FILE)).unwrap();
    let standing_s = sum(&connection, "standing_s");
    assert!((28.0..=31.0).contains(&standing_s), "standing {standing_s} s");
    let unknown_s = sum(&connection, "unknown_s");
    assert!((9.0..=12.0).contains(&unknown_s), "not judged {unknown_s} s");
    let setups: Vec<Option<String>> = connection
        .prepare("SELECT setup FROM minutes ORDER BY minute")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(setups, [Some("Desk".to_owned()), Some("Desk".to_owned())], "minutes 09:00 and 09:01");
    // The setups file remembers the last one used; the report says sitting and standing.
    let book = std::fs::read_to_string(home.join("config/slouchwatch/setups.json")).unwrap();
    assert!(book.contains("\"last_used\": \"Desk\""), "{book}");
    let report = in_home(
        &home,
        &["report".as_ref(), "--date".as_ref(), "2026-11-20".as_ref(), "--data-dir".as_ref(), data.as_os_str()],
    );
    let report = String::from_utf8_lossy(&report.stdout);
    assert!(report.contains("standing under 1 min") || report.contains("standing 1 min"), "{report}");
}
