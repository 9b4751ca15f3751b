//! Helpers shared by the integration tests that run the real binary.
// Each test crate that includes this module uses only some of the helpers.
#![allow(dead_code)]

pub mod notifications;
pub mod portal;
pub mod tray_host;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Path of a file in `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Runs the `slouchwatch` binary with `args`.
pub fn slouchwatch(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slouchwatch")).args(args).output().expect("the slouchwatch binary runs")
}

/// Parses each stdout line as JSON.
pub fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// Runs `slouchwatch calibrate` on the astronaut photo, writing `out`; returns its output.
pub fn calibrate_on_astronaut(out: &Path) -> Output {
    let output = slouchwatch(&[
        "calibrate".as_ref(),
        "--source".as_ref(),
        fixture("astronaut.png").as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Whether this machine has a video device (tests that need "no camera" skip then).
pub fn has_camera() -> bool {
    std::fs::read_dir("/dev")
        .map(|entries| entries.flatten().any(|entry| entry.file_name().to_string_lossy().starts_with("video")))
        .unwrap_or(false)
}

/// For tests that need a machine without a camera: true (and says so) when there is one.
pub fn skip_with_a_camera() -> bool {
    let skip = has_camera();
    if skip {
        eprintln!("skipped: this machine has a camera");
    }
    skip
}

/// A private session bus (`dbus-daemon`), stopped when dropped.
pub struct PrivateBus {
    daemon: std::process::Child,
    /// Its address, for `DBUS_SESSION_BUS_ADDRESS` or `dbus-send --bus=`.
    pub address: String,
}

impl PrivateBus {
    /// Starts one and reads its address.
    pub fn start() -> PrivateBus {
        use std::io::BufRead;
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("dbus-daemon runs (bash scripts/setup-debian.sh installs it)");
        let mut address = String::new();
        std::io::BufReader::new(daemon.stdout.take().unwrap()).read_line(&mut address).unwrap();
        PrivateBus { daemon, address: address.trim().to_owned() }
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
