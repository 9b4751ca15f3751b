//! Never in the way of a call, on real processes: `slouchwatch run` replays a folder standing in
//! for the camera at a device node (`SLOUCHWATCH_CAMERA_NODE`, a temporary file here), other
//! programs open that node (a real `tail`, a real `perl`), and a real PulseAudio server in a
//! private runtime folder carries a real recording (`parecord`). The watcher, the process table
//! and the sound server are the real ones; only the webcam is a file.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Bus, Monitor, frames};
use crate::common::calibrate_on_astronaut;

/// Seconds the others must have let go before the camera is taken back (`--yield-grace`; 30 in
/// use, shorter so the test does not wait half a minute each time).
const GRACE_S: &str = "2";

/// Whether process `pid` has `node` open.
fn holds(pid: u32, node: &Path) -> bool {
    let node = std::fs::canonicalize(node).unwrap();
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|files| files.flatten().any(|file| std::fs::read_link(file.path()).is_ok_and(|target| target == node)))
        .unwrap_or(false)
}

/// Waits up to 20 s for `done`; how long it took.
fn within_20_s(what: &str, done: impl Fn() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(20), "no {what} within 20 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    started.elapsed()
}

/// Another program that opens `node` itself and holds it: `tail` (following it) or `perl`
/// (sleeping with it open), both on every Debian system.
fn opener(program: &str, node: &Path) -> Child {
    let mut command = Command::new(program);
    match program {
        "tail" => command.arg("-f").arg(node),
        _ => command.args(["-e", "open(my $node, '<', $ARGV[0]) or die; sleep 60"]).arg(node),
    };
    command.stdout(Stdio::null()).spawn().unwrap()
}

/// An empty runtime folder: no sound server is found there unless the test starts one.
fn no_sound_server(command: &mut Command, runtime: &Path) {
    command.env("XDG_RUNTIME_DIR", runtime).env("HOME", runtime).env_remove("PULSE_SERVER");
}

struct Setup {
    dir: tempfile::TempDir,
    node: PathBuf,
    calibration: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let node = dir.path().join("video9");
        std::fs::write(&node, b"").unwrap();
        let calibration = dir.path().join("calibration.json");
        calibrate_on_astronaut(&calibration);
        frames(&dir.path().join("frames"), 4);
        std::fs::create_dir(dir.path().join("runtime")).unwrap();
        Setup { dir, node, calibration }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `run` (with `extra` options) on the stand-in camera, its events on a thread that collects
    /// them.
    fn run(&self, bus: &Bus, runtime: &Path, extra: &[&str]) -> (Monitor, std::sync::mpsc::Receiver<Value>) {
        let mut command = bus.command(env!("CARGO_BIN_EXE_slouchwatch"));
        command
            .args(["run", "--no-notify", "--fps", "4", "--yield-grace", GRACE_S])
            .args(extra)
            .arg("--source")
            .arg(self.dir.path().join("frames"))
            .arg("--calibration")
            .arg(&self.calibration)
            .arg("--data-dir")
            .arg(self.data())
            .env("SLOUCHWATCH_CAMERA_NODE", &self.node)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        no_sound_server(&mut command, runtime);
        let mut child = command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tell, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(event) = serde_json::from_str::<Value>(&line) {
                    let _ = tell.send(event);
                }
            }
        });
        (Monitor(Some(child)), events)
    }
}

fn kinds_of(events: &std::sync::mpsc::Receiver<Value>) -> Vec<Value> {
    events.try_iter().filter(|event| event["event"].as_str().is_some_and(|kind| kind.starts_with("camera_"))).collect()
}

#[test]
fn another_program_opening_the_camera_gets_it_at_once_and_monitoring_resumes_after_it_lets_go() {
    let setup = Setup::new();
    let bus = Bus::start();
    let runtime = setup.dir.path().join("runtime");
    let (mut monitor, events) = setup.run(&bus, &runtime, &[]);
    bus.wait_for("upright status", |status| status["state"] == "upright");
    assert!(holds(monitor.id(), &setup.node), "streaming holds the node open");

    // A call program opens the camera: released at once (measured from its open).
    let opened = Instant::now();
    let mut call = opener("tail", &setup.node);
    within_20_s("the other program's open", || holds(call.id(), &setup.node));
    let released = within_20_s("the release", || !holds(monitor.id(), &setup.node));
    let released_after = opened.elapsed();
    eprintln!("released the camera {:.0} ms after the other program opened it", released_after.as_secs_f64() * 1e3);
    assert!(released < Duration::from_secs(3), "the camera is let go within seconds, not {released:?}");
    let status = bus.wait_for("the yield", |status| status["state"] == "yielded");
    assert_eq!(status["words"], "Paused: the camera is in use by tail");
    assert_eq!(status["in_use_elsewhere"]["program"], "tail");
    assert_eq!(status["in_use_elsewhere"]["uses"], "camera");
    let tooltip = bus.slouchwatch(&["status"]);
    assert_eq!(String::from_utf8_lossy(&tooltip.stdout).trim(), "Paused: the camera is in use by tail");

    // The user's own pause, taken during the yield, outlasts it.
    assert!(bus.slouchwatch(&["pause"]).status.success());
    bus.wait_for("the user's pause", |status| status["state"] == "paused");
    call.kill().unwrap();
    call.wait().unwrap();
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(bus.status().unwrap()["state"], "paused", "the call's end did not end the user's pause");
    assert!(!holds(monitor.id(), &setup.node), "still off while the user pauses");
    assert!(bus.slouchwatch(&["resume"]).status.success());
    bus.wait_for("monitoring again", |status| status["state"] == "upright");
    assert!(holds(monitor.id(), &setup.node));

    // A second program; the camera comes back only once it has let go for the grace period.
    let mut tail = opener("perl", &setup.node);
    let status = bus.wait_for("the second yield", |status| status["state"] == "yielded");
    assert_eq!(status["in_use_elsewhere"]["program"], "perl");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(bus.status().unwrap()["state"], "yielded", "given over while it holds the camera");
    tail.kill().unwrap();
    tail.wait().unwrap();
    let let_go = Instant::now();
    bus.wait_for("the camera taken back", |status| status["state"] == "upright");
    assert!(let_go.elapsed() >= Duration::from_secs(2), "not before the grace period");
    assert!(holds(monitor.id(), &setup.node));
    let in_calls = bus.status().unwrap()["today_in_calls_s"].as_f64().unwrap();
    assert!(in_calls >= 3.0, "the yielded time is counted: {in_calls}");

    // "Use the camera anyway" (Resume) during a yield takes it back while the other still holds
    // it, and that use is not yielded to again.
    let mut again = opener("tail", &setup.node);
    bus.wait_for("the third yield", |status| status["state"] == "yielded");
    assert!(bus.slouchwatch(&["resume"]).status.success());
    bus.wait_for("the camera taken back", |status| status["state"] == "upright");
    within_20_s("the camera reopened", || holds(monitor.id(), &setup.node));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(bus.status().unwrap()["state"], "upright", "not given over again to the same use");
    again.kill().unwrap();
    again.wait().unwrap();

    unsafe { super::libc_kill(monitor.id() as i32, 15) };
    assert!(monitor.wait().success());
    let said: Vec<(String, String)> = kinds_of(&events)
        .iter()
        .map(|event| {
            (event["event"].as_str().unwrap().to_owned(), event["program"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    let expected = [
        ("camera_yielded", "tail"),
        ("camera_reclaimed", ""),
        ("camera_yielded", "perl"),
        ("camera_reclaimed", ""),
        ("camera_yielded", "tail"),
        ("camera_reclaimed", ""),
    ]
    .map(|(kind, program)| (kind.to_owned(), program.to_owned()));
    assert_eq!(said, expected);

    // In the history: time in calls, in its own row, never upright.
    let report = bus.slouchwatch(&["report", "--format", "json", "--data-dir", setup.data().to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    let day = &report["day"];
    assert!(day["in_calls_s"].as_f64().unwrap() >= 3.0, "{day}");
    assert!(day["paused_s"].as_f64().unwrap() >= 3.0, "the user's own pause is paused time: {day}");
    let total = day["monitored_s"].as_f64().unwrap();
    let seen =
        day["upright_s"].as_f64().unwrap() + day["slouched_s"].as_f64().unwrap() + day["unclear_s"].as_f64().unwrap();
    assert!((total - seen).abs() < 0.5, "the time in calls is not in the watched time: {day}");
    let text = bus.slouchwatch(&["report", "--data-dir", setup.data().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("In calls / camera used elsewhere"));
}

#[test]
fn with_call_pause_off_the_camera_is_kept() {
    let setup = Setup::new();
    let bus = Bus::start();
    let runtime = setup.dir.path().join("runtime");
    let (monitor, _) = setup.run(&bus, &runtime, &["--no-call-pause"]);
    bus.wait_for("upright status", |status| status["state"] == "upright");
    let mut call = opener("tail", &setup.node);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(bus.status().unwrap()["state"], "upright");
    assert!(holds(monitor.id(), &setup.node));
    call.kill().unwrap();
    call.wait().unwrap();
}

/// A PulseAudio server with a microphone (`mic`) and speakers (`speakers`, whose monitor
/// records what is played) in a private runtime folder; stopped when dropped.
struct SoundServer(Child);

impl SoundServer {
    fn start(runtime: &Path) -> SoundServer {
        let mut command = Command::new("pulseaudio");
        command
            .args(["-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no"])
            .args(["-L", "module-native-protocol-unix", "-L", "module-null-source source_name=mic"])
            .args(["-L", "module-null-sink sink_name=speakers"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        no_sound_server(&mut command, runtime);
        let server =
            SoundServer(command.spawn().expect("pulseaudio runs (bash scripts/setup-debian.sh --tests installs it)"));
        within_20_s("the sound server", || {
            let mut info = Command::new("pactl");
            info.arg("info").stdout(Stdio::null()).stderr(Stdio::null());
            no_sound_server(&mut info, runtime);
            info.status().is_ok_and(|status| status.success())
        });
        server
    }

    fn record(&self, runtime: &Path, device: &str) -> Child {
        let mut command = Command::new("parecord");
        command.arg(format!("--device={device}")).arg("/dev/null");
        no_sound_server(&mut command, runtime);
        command.spawn().unwrap()
    }
}

impl Drop for SoundServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_program_recording_from_a_microphone_pauses_monitoring_and_recording_the_speakers_does_not() {
    let setup = Setup::new();
    let bus = Bus::start();
    let runtime = setup.dir.path().join("runtime");
    let server = SoundServer::start(&runtime);
    let (mut monitor, events) = setup.run(&bus, &runtime, &[]);
    bus.wait_for("upright status", |status| status["state"] == "upright");

    // A screen recorder taking the desktop's sound is no call.
    let mut recorder = server.record(&runtime, "speakers.monitor");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(bus.status().unwrap()["state"], "upright");
    recorder.kill().unwrap();
    recorder.wait().unwrap();

    let mut call = server.record(&runtime, "mic");
    let status = bus.wait_for("the call pause", |status| status["state"] == "yielded");
    assert_eq!(status["in_use_elsewhere"]["uses"], "microphone");
    assert_eq!(status["in_use_elsewhere"]["program"], "pacat", "parecord is pacat");
    assert!(status["words"].as_str().unwrap().contains("recording from a microphone"), "{status}");
    within_20_s("the release", || !holds(monitor.id(), &setup.node));
    call.kill().unwrap();
    call.wait().unwrap();
    bus.wait_for("monitoring after the call", |status| status["state"] == "upright");

    unsafe { super::libc_kill(monitor.id() as i32, 15) };
    assert!(monitor.wait().success());
    let said: Vec<String> = kinds_of(&events).iter().map(|event| event["event"].as_str().unwrap().to_owned()).collect();
    assert_eq!(said, ["camera_yielded", "camera_reclaimed"]);
}

#[test]
fn a_camera_stuck_in_its_driver_does_not_hold_up_sigterm_and_the_stall_is_said() {
    let setup = Setup::new();
    // A named pipe nobody writes to: opening it blocks, as a camera stuck in its driver does.
    let fifo = setup.dir.path().join("stuck");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let bus = Bus::start();
    let runtime = setup.dir.path().join("runtime");
    let mut command = bus.command(env!("CARGO_BIN_EXE_slouchwatch"));
    command
        .args(["run", "--no-notify", "--fps", "4", "--source"])
        .arg(setup.dir.path().join("frames"))
        .arg("--data-dir")
        .arg(setup.data())
        .env("SLOUCHWATCH_CAMERA_NODE", &fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    no_sound_server(&mut command, &runtime);
    let mut monitor = Monitor(Some(command.spawn().unwrap()));
    // Past the guard's answer limit (5 s): the stall is said.
    let stdout = monitor.0.as_mut().unwrap().stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let stall = lines.by_ref().find(|line| line.contains("\"camera_lost\"") && line.contains("seems stalled"));
    assert!(stall.is_some(), "the stall is said");
    let asked = Instant::now();
    unsafe { super::libc_kill(monitor.id() as i32, 15) };
    let rest: Vec<String> = lines.collect();
    let status = monitor.wait();
    let took = asked.elapsed();
    eprintln!("SIGTERM answered in {:.1} s with the camera stuck", took.as_secs_f64());
    assert!(status.success(), "{status:?}");
    assert!(took < Duration::from_secs(3), "SIGTERM ended run at once, not after the stuck read: {took:?}");
    let last: Value = serde_json::from_str(rest.last().expect("a summary")).unwrap();
    assert_eq!(last["event"], "summary");
}
