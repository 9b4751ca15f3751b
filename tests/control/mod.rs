//! Control from outside through a real session bus: a private `dbus-daemon` is started for the
//! test, `slouchwatch run` replays a folder in real time on it, and the control commands talk to
//! it as a script would. `dbus-monitor` on the same bus records the signals. (A module of
//! `run_replay`, so it needs no test binary of its own to link.)

mod calls;
mod presenting;

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
        .map(|child| Monitor(Some(child)))
        .unwrap();

    let upright = bus.wait_for("upright status", |status| status["state"] == "upright");
    assert_eq!(upright["calibrated"], true);
    assert_eq!(upright["pid"], monitor.id());
    let text = bus.slouchwatch(&["status"]);
    assert_eq!(String::from_utf8_lossy(&text.stdout).trim(), "Good posture", "the window's words");

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

    // `run` has no window: the window and the wizard say so instead of starting a second monitor.
    for args in [&["gui"][..], &["calibrate"][..]] {
        let refused = bus.slouchwatch(args);
        assert_eq!(refused.status.code(), Some(4), "{args:?}");
        assert!(String::from_utf8_lossy(&refused.stderr).contains("has no window"), "{args:?}");
    }

    // SIGTERM (logging out) ends the monitor as cleanly as Ctrl-C; it lets go of its name on the bus.
    unsafe { libc_kill(monitor.id() as i32, 15) };
    let ended = monitor.wait();
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

/// A monitor process that is stopped if the test fails before it ends it.
struct Monitor(Option<std::process::Child>);

impl Monitor {
    fn id(&self) -> u32 {
        self.0.as_ref().unwrap().id()
    }

    fn wait(&mut self) -> std::process::ExitStatus {
        self.0.take().unwrap().wait().unwrap()
    }

    fn wait_with_output(mut self) -> Output {
        self.0.take().unwrap().wait_with_output().unwrap()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `slouchwatch gui --background` on `bus` with `extra` arguments, replaying `frames`.
fn background(bus: &Bus, dir: &Path, extra: &[&str]) -> Monitor {
    bus.command(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["gui", "--background", "--fps", "4"])
        .arg("--source")
        .arg(dir.join("frames"))
        .arg("--config-dir")
        .arg(dir.join("config"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map(|child| Monitor(Some(child)))
        .unwrap()
}

/// A `dbus-send` click on item `id` of the tray menu of `name`.
fn click(bus: &Bus, name: &str, id: u32) {
    let output = bus
        .command("dbus-send")
        .arg(format!("--dest={name}"))
        .args(["--print-reply", "/MenuBar", "com.canonical.dbusmenu.Event"])
        .arg(format!("int32:{id}"))
        .args(["string:clicked", "variant:int32:0", "uint32:0"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// A property of the tray icon `name`, as `dbus-send` prints it.
fn item_property(bus: &Bus, name: &str, property: &str) -> String {
    let output = bus
        .command("dbus-send")
        .arg(format!("--dest={name}"))
        .args(["--print-reply", "/StatusNotifierItem", "org.freedesktop.DBus.Properties.Get"])
        .args(["string:org.kde.StatusNotifierItem".to_owned(), format!("string:{property}")])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_tray_alone_follows_a_slouch_carries_a_pause_serves_its_menu_quits_and_hands_over_to_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let bus = Bus::start();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    calibrate_on_astronaut(&dir.path().join("config/calibration.json"));
    let settings = "{\"notifications\": false, \"warn_after_s\": 3}\n";
    std::fs::write(dir.path().join("config/settings.json"), settings).unwrap();
    let frames = super::frames();
    super::write_sequence(dir.path(), &[(&frames.upright, 16), (&frames.too_close, 400)]);

    // No tray on this bus: it says so and turns to the window (which cannot open without a display).
    let alone = background(&bus, dir.path(), &[]).wait_with_output();
    let said = String::from_utf8_lossy(&alone.stderr);
    assert!(said.contains("no tray host is running") && said.contains("opening the window instead"), "{said}");
    assert!(said.contains("cannot open the window"), "it handed over to the window: {said}");

    // With a tray host: the icon registers; a pause handed over from the window is in force.
    let registered = crate::common::tray_host::serve(Some(bus.0.address.clone()));
    let until = chrono::Utc::now() + chrono::TimeDelta::hours(1);
    let carry = serde_json::json!({"paused": false, "paused_until": until, "snoozed_until": null}).to_string();
    let mut monitor = background(&bus, dir.path(), &["--carry", &carry]);
    let paused = bus.wait_for("the carried pause", |status| status["state"] == "paused");
    assert_eq!(paused["pid"], monitor.id(), "the tray process is the monitor");
    assert!(paused["words"].as_str().unwrap().starts_with("Paused until "), "{paused}");
    let name = registered.lock().unwrap().first().cloned().expect("the tray icon registered");
    assert!(item_property(&bus, &name, "ToolTip").contains("Paused until"));

    // Resume from the menu; the icon follows the replayed slouch to a warning.
    click(&bus, &name, 3);
    bus.wait_for("monitoring again", |status| status["state"] == "upright");
    assert!(item_property(&bus, &name, "Status").contains("\"Active\""));
    bus.wait_for("the warning", |status| status["state"] == "warning");
    assert!(item_property(&bus, &name, "Status").contains("\"NeedsAttention\""));

    // Snooze 15 min from the menu.
    click(&bus, &name, 5);
    let snoozed = bus.wait_for("the snooze from the menu", |status| status["state"] == "snoozed");
    let until: chrono::DateTime<chrono::Utc> = serde_json::from_value(snoozed["snoozed_until"].clone()).unwrap();
    let minutes = (until - chrono::Utc::now()).num_seconds() as f64 / 60.0;
    assert!((14.0..=15.0).contains(&minutes), "snoozed for 15 minutes, not {minutes:.1}");

    // Quit ends it, with the minutes in the history.
    click(&bus, &name, 12);
    let ended = monitor.wait();
    assert!(ended.success(), "{ended:?}");
    assert_eq!(bus.slouchwatch(&["status"]).status.code(), Some(5), "gone from the bus");
    let data = dir.path().join("data");
    let report = bus.slouchwatch(&["report", "--format", "json", "--data-dir", data.to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    assert!(report["day"]["monitored_s"].as_f64().unwrap() >= 1.0, "{}", report["day"]);
    assert!(report["day"]["paused_s"].as_f64().unwrap() > 0.0, "the carried pause is paused time: {}", report["day"]);

    // `slouchwatch calibrate` asks the running monitor for its wizard: the tray process becomes
    // the window at the calibration screen (which cannot open here, and says so).
    let monitor = background(&bus, dir.path(), &[]);
    bus.wait_for("monitoring from the tray", |status| status["state"] == "upright");
    let asked = bus.slouchwatch(&["calibrate"]);
    assert!(asked.status.success(), "{}", String::from_utf8_lossy(&asked.stderr));
    assert!(String::from_utf8_lossy(&asked.stdout).contains("The calibration opens in the slouchwatch window"));
    let handed = monitor.wait_with_output();
    let said = String::from_utf8_lossy(&handed.stderr);
    assert!(said.contains("cannot open the window"), "it handed over to the window: {said}");
}

unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, signal: i32) -> i32;
}

/// "I'm sitting fine" from outside the window: the warning's notification button (a service
/// that shows buttons) answers the first warning, `slouchwatch fine` the second; both reach the
/// history as disputed and the status says so.
#[test]
fn the_notifications_button_and_slouchwatch_fine_answer_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let bus = Bus::start();
    let shown = crate::common::notifications::serve(&bus.0.address, "sitting-fine");
    let calibration = dir.path().join("calibration.json");
    calibrate_on_astronaut(&calibration);
    let images = super::frames();
    // At 4 frames a second: 2 s upright, 12 s too close, 8 s upright, 12 s too close, 5 s upright.
    let folder = super::write_sequence(
        dir.path(),
        &[
            (&images.upright, 8),
            (&images.too_close, 48),
            (&images.upright, 32),
            (&images.too_close, 48),
            (&images.upright, 20),
        ],
    );
    let data = dir.path().join("data");
    let monitor = bus
        .command(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--replay-speed", "1", "--fps", "4", "--warn-after", "3", "--cooldown", "0"])
        .arg("--source")
        .arg(&folder)
        .arg("--calibration")
        .arg(&calibration)
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map(|child| Monitor(Some(child)))
        .unwrap();

    // The first warning's notification carries the button; the stand-in presses it.
    bus.wait_for("the first answer", |status| status["state"] == "disputed");
    {
        let shown = shown.lock().unwrap();
        let (summary, actions) = &shown[0];
        assert_eq!(summary, "Time to sit up");
        assert_eq!(actions, &["sitting-fine".to_owned(), "I'm sitting fine".to_owned()]);
    }
    // The second warning, answered from a terminal.
    bus.wait_for("the second warning", |status| status["state"] == "warning");
    let fine = bus.slouchwatch(&["fine"]);
    assert!(fine.status.success(), "{}", String::from_utf8_lossy(&fine.stderr));
    assert!(String::from_utf8_lossy(&fine.stdout).contains("I'm sitting fine"));
    bus.wait_for("the second answer", |status| status["state"] == "disputed");

    let output = monitor.wait_with_output();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let events = crate::common::json_lines(&output);
    let disputed: Vec<&Value> = events.iter().filter(|event| event["event"] == "warning_disputed").collect();
    assert_eq!(disputed.len(), 2, "{events:?}");
    assert!(disputed[0]["problems"].as_array().unwrap().contains(&Value::from("too_close")), "{}", disputed[0]);
    let history = rusqlite::Connection::open(data.join(slouchwatch::history::DATABASE_FILE)).unwrap();
    let counted: i64 =
        history.query_row("SELECT COUNT(*) FROM warnings WHERE disputed = 1", [], |row| row.get(0)).unwrap();
    assert_eq!(counted, 2);
}
