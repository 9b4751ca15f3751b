//! Control from outside through a real session bus: a private `dbus-daemon` is started for the
//! test, `slouchwatch run` replays a folder in real time on it, and the control commands talk to
//! it as a script would. `dbus-monitor` on the same bus records the signals. (A module of
//! `run_replay`, so it needs no test binary of its own to link.)

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{PrivateBus, calibrate_on_astronaut, fixture};
use serde_json::Value;

/// A private session bus with the helpers the control test uses on it.
struct Bus(PrivateBus);

impl Bus {
    fn start() -> Bus {
        Bus(PrivateBus::start())
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("DBUS_SESSION_BUS_ADDRESS", &self.0.address).env_remove("DISPLAY");
        command
    }

    fn slouchwatch(&self, args: &[&str]) -> Output {
        self.command(env!("CARGO_BIN_EXE_slouchwatch")).args(args).output().unwrap()
    }

    fn status(&self) -> Option<Value> {
        let output = self.slouchwatch(&["status", "--json"]);
        output.status.success().then(|| serde_json::from_slice(&output.stdout).unwrap())
    }

    /// Waits up to 20 s for the monitor's status to satisfy `done`.
    fn wait_for(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            if let Some(status) = self.status().filter(|status| done(status)) {
                return status;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "no {what} within 20 s: {:?}", self.status());
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

fn frames(folder: &Path, count: usize) {
    std::fs::create_dir_all(folder).unwrap();
    for index in 0..count {
        std::fs::copy(fixture("astronaut.png"), folder.join(format!("frame_{index:04}.png"))).unwrap();
    }
}

#[test]
fn status_pause_resume_and_snooze_reach_the_running_monitor_and_say_so_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let bus = Bus::start();

    // Nothing running yet: said plainly, with its own exit code.
    let alone = bus.slouchwatch(&["status"]);
    assert_eq!(alone.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("slouchwatch is not running"));
    assert_eq!(bus.slouchwatch(&["pause"]).status.code(), Some(5));

    let calibration = dir.path().join("calibration.json");
    calibrate_on_astronaut(&calibration);
    frames(&dir.path().join("frames"), 120);
    let mut signals = bus
        .command("dbus-monitor")
        .arg("type='signal',interface='io.github.slouchwatch.Monitor1'")
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-monitor runs");
    let data = dir.path().join("data");
    let mut monitor = bus
        .command(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--no-notify", "--replay-speed", "1", "--fps", "4"])
        .arg("--source")
        .arg(dir.path().join("frames"))
        .arg("--calibration")
        .arg(&calibration)
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let upright = bus.wait_for("upright status", |status| status["state"] == "upright");
    assert_eq!(upright["calibrated"], true);
    assert_eq!(upright["pid"], monitor.id());
    let text = bus.slouchwatch(&["status"]);
    assert_eq!(String::from_utf8_lossy(&text.stdout).trim(), "Upright");

    let paused = bus.slouchwatch(&["pause", "--for", "10m"]);
    assert!(paused.status.success(), "{}", String::from_utf8_lossy(&paused.stderr));
    let status = bus.wait_for("the pause", |status| status["state"] == "paused");
    let until: chrono::DateTime<chrono::Utc> = serde_json::from_value(status["paused_until"].clone()).unwrap();
    let minutes = (until - chrono::Utc::now()).num_seconds() as f64 / 60.0;
    assert!((9.0..=10.0).contains(&minutes), "paused for 10 minutes, not {minutes:.1}");
    assert!(status["words"].as_str().unwrap().starts_with("Paused until "), "{status}");
    std::thread::sleep(Duration::from_secs(1));

    assert!(bus.slouchwatch(&["resume"]).status.success());
    bus.wait_for("monitoring again", |status| status["state"] == "upright");

    assert!(bus.slouchwatch(&["snooze", "15m"]).status.success());
    let snoozed = bus.wait_for("the snooze", |status| status["state"] == "snoozed");
    assert!(snoozed["snoozed_until"].is_string());
    let bad = bus.slouchwatch(&["snooze", "soon"]);
    assert_eq!(bad.status.code(), Some(2), "a duration it cannot read is a usage error");

    // Ctrl-C ends the monitor, which lets go of its name on the bus.
    unsafe { libc_kill(monitor.id() as i32, 2) };
    let ended = monitor.wait().unwrap();
    assert!(ended.success(), "{ended:?}");
    assert_eq!(bus.slouchwatch(&["status"]).status.code(), Some(5), "gone from the bus");

    let _ = signals.kill();
    let out = signals.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    for state in ["\"upright\"", "\"paused\"", "\"snoozed\""] {
        assert!(said.contains("member=StateChanged") && said.contains(state), "no StateChanged to {state}: {said}");
    }

    // The paused time is in the history as paused.
    let report = bus.slouchwatch(&["report", "--format", "json", "--data-dir", data.to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    assert!(report["day"]["paused_s"].as_f64().unwrap() >= 1.0, "{}", report["day"]);
}

unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, signal: i32) -> i32;
}
