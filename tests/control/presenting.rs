//! Quiet while presenting, on real processes: `slouchwatch run` on a private session bus whose
//! notification service (a stand-in that records what it shows) says Do Not Disturb through
//! its `Inhibited` property, as KDE's does. The fullscreen half is checked on a real X server
//! by `scripts/smoke-window.sh`.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Bus, Monitor};
use crate::common::calibrate_on_astronaut;

#[test]
fn a_warning_due_during_do_not_disturb_waits_and_is_shown_when_it_ends_if_it_still_stands() {
    let dir = tempfile::tempdir().unwrap();
    let bus = Bus::start();
    let do_not_disturb = Arc::new(AtomicBool::new(true));
    let shown = crate::common::notifications::serve_with_do_not_disturb(&bus.0.address, "-", do_not_disturb.clone());
    let calibration = dir.path().join("calibration.json");
    calibrate_on_astronaut(&calibration);
    let images = crate::frames();
    // At 4 frames a second: 2 s upright, then 40 s too close.
    let folder = crate::write_sequence(dir.path(), &[(&images.upright, 8), (&images.too_close, 160)]);
    let data = dir.path().join("data");
    let monitor = bus
        .command(env!("CARGO_BIN_EXE_slouchwatch"))
        .args(["run", "--replay-speed", "1", "--fps", "4", "--warn-after", "3", "--source"])
        .arg(&folder)
        .arg("--calibration")
        .arg(&calibration)
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map(|child| Monitor(Some(child)))
        .unwrap();

    // The warning is due (the state says so) but nothing is shown.
    bus.wait_for("the warning", |status| status["state"] == "warning");
    std::thread::sleep(Duration::from_secs(3));
    assert!(shown.lock().unwrap().is_empty(), "nothing shown during Do Not Disturb: {:?}", shown.lock().unwrap());

    // Do Not Disturb ends: the warning still stands, so it is shown now.
    do_not_disturb.store(false, Ordering::SeqCst);
    let ended = Instant::now();
    while shown.lock().unwrap().is_empty() {
        assert!(ended.elapsed() < Duration::from_secs(10), "the held warning is shown after the quiet");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(shown.lock().unwrap()[0].0, "Time to sit up");

    unsafe { super::libc_kill(monitor.id() as i32, 15) };
    let output = monitor.wait_with_output();
    assert!(output.status.success());
    let events = crate::common::json_lines(&output);
    let kinds: Vec<&str> = events.iter().filter_map(|event| event["event"].as_str()).collect();
    let held = kinds.iter().position(|kind| *kind == "warning_held_back").unwrap_or_else(|| panic!("{kinds:?}"));
    let warned = kinds.iter().position(|kind| *kind == "warning").unwrap_or_else(|| panic!("{kinds:?}"));
    assert!(held < warned, "held back first, shown after: {kinds:?}");
    assert_eq!(events[held]["quiet"], "do_not_disturb");
    assert_eq!(kinds.iter().filter(|kind| **kind == "warning").count(), 1, "{kinds:?}");

    // In the history: one warning, held back.
    let report = bus.slouchwatch(&["report", "--format", "json", "--data-dir", data.to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!((report["day"]["warnings"].as_u64(), report["day"]["warnings_held_back"].as_u64()), (Some(1), Some(1)));
    let text = bus.slouchwatch(&["report", "--data-dir", data.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("1 held back while you presented"));
}
