//! `slouchwatch analyze` as a user runs it: the real binary on real files.

mod common;

use std::path::Path;

use common::{fixture, json_lines, slouchwatch};

#[test]
fn analyze_json_prints_one_object_per_image_of_a_folder_in_name_order() {
    let output = slouchwatch(&["analyze".as_ref(), "--json".as_ref(), fixture("").as_os_str()]);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let records = json_lines(&output);
    let sources: Vec<String> = records
        .iter()
        .map(|record| Path::new(record["source"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // The folder also holds .json and .onnx files: only images are taken.
    assert_eq!(sources, ["astronaut-tall.png", "astronaut-wide.jpg", "astronaut.png", "coffee.png"]);

    let persons: Vec<bool> = records.iter().map(|record| record["person"].as_bool().unwrap()).collect();
    assert_eq!(persons, [true, true, true, false]);
    let wide = &records[1];
    assert_eq!((wide["width"].as_u64(), wide["height"].as_u64()), (Some(768), Some(512)));
    let keypoints = wide["keypoints"].as_object().unwrap();
    assert_eq!(keypoints.len(), 17);
    let nose = &keypoints["nose"];
    // The astronaut's face is in the left two thirds of the wide frame, in its upper half.
    let (x, y) = (nose["x"].as_f64().unwrap(), nose["y"].as_f64().unwrap());
    assert!((150.0..300.0).contains(&x) && (60.0..200.0).contains(&y), "nose at ({x}, {y})");
}

#[test]
fn analyze_summary_is_one_readable_line_per_image() {
    let output =
        slouchwatch(&["analyze".as_ref(), fixture("astronaut.png").as_os_str(), fixture("coffee.png").as_os_str()]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].contains("astronaut.png  512x512  person in view"), "{stdout}");
    assert!(lines[0].contains("left shoulder ("), "{stdout}");
    assert!(lines[1].contains("coffee.png  600x400  no person in view"), "{stdout}");
}

#[test]
fn bad_inputs_are_reported_and_the_rest_still_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.jpg");
    std::fs::write(&broken, b"not a jpeg at all").unwrap();
    let missing = dir.path().join("missing.png");
    let output = slouchwatch(&[
        "analyze".as_ref(),
        "--json".as_ref(),
        broken.as_os_str(),
        fixture("astronaut.png").as_os_str(),
        missing.as_os_str(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.jpg") && stderr.contains("not a readable image"), "{stderr}");
    assert!(stderr.contains("missing.png") && stderr.contains("no such file"), "{stderr}");
    assert!(stderr.contains("2 inputs could not be analysed"), "{stderr}");
    let records = json_lines(&output);
    assert_eq!(records.len(), 1);
    assert!(records[0]["source"].as_str().unwrap().ends_with("astronaut.png"));
}

#[test]
fn a_missing_model_stops_with_a_clear_message() {
    let output = slouchwatch(&[
        "analyze".as_ref(),
        "--model".as_ref(),
        "/nowhere/model.onnx".as_ref(),
        fixture("astronaut.png").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nowhere/model.onnx") && stderr.contains("does not exist"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn analyze_without_paths_is_a_usage_error() {
    let output = slouchwatch(&["analyze".as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("PATHS"));
}

#[test]
fn stretches_lists_the_catalog_and_ranks_for_a_problem() {
    let output = slouchwatch(&["stretches".as_ref()]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    for name in ["Chin tuck", "Wall angels", "Bird-dog", "Moist heat", "Desk changes:", "physical therapist"] {
        assert!(stdout.contains(name), "missing {name}");
    }

    let output =
        slouchwatch(&["stretches".as_ref(), "--problem".as_ref(), "rounded_shoulders".as_ref(), "--json".as_ref()]);
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entries = value["entries"].as_array().unwrap();
    assert!(entries.len() >= 2);
    assert!(entries.iter().all(|entry| entry["targets"].as_array().unwrap().contains(&"rounded_shoulders".into())));
    assert!(entries.iter().all(|entry| entry["places"] != serde_json::json!(["floor"])), "no floor-only at the desk");

    // One round is one round: Moist heat has a single one, Chin tuck eight.
    assert!(stdout.contains(", 1 round;") && stdout.contains(", 8 rounds;"), "{stdout}");
    assert!(!stdout.contains("(s)") && !stdout.contains(" 1 rounds"), "{stdout}");

    let output = slouchwatch(&["stretches".as_ref(), "--problem".as_ref(), "knees".as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("forward_head"));
}

#[test]
fn every_bad_run_argument_gets_a_message_that_says_what_is_accepted() {
    for (args, expected) in [
        (vec!["--start", "9am"], "RFC 3339"),
        (vec!["--warn-after", "-5"], "0..=3600"),
        (vec!["--cooldown", "1000"], "0..=240"),
        (vec!["--break-interval", "0"], "1..=480"),
        (vec!["--fps", "0"], "above 0 and at most 60"),
        (vec!["--fps", "1e9"], "above 0 and at most 60"),
        (vec!["--fps", "fast"], "not a number of frames per second"),
        (vec!["--placement", "above"], "auto"),
    ] {
        let mut full: Vec<&std::ffi::OsStr> = vec!["run".as_ref(), "--source".as_ref(), "camera".as_ref()];
        full.extend(args.iter().map(std::ffi::OsStr::new));
        let output = slouchwatch(&full);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

/// The version the package, `--version`, the About box (`CARGO_PKG_VERSION`), the changelog,
/// the Debian changelog and the AppStream releases give is one and the same.
#[test]
fn every_place_that_names_the_version_names_the_same_one() {
    let version = env!("CARGO_PKG_VERSION");
    let output = common::slouchwatch(&["--version".as_ref()]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("slouchwatch {version}"));

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let changelog = read("CHANGELOG.md");
    let newest = changelog.lines().find(|line| line.starts_with("## ")).unwrap();
    assert!(newest.starts_with(&format!("## {version} ")), "CHANGELOG.md's newest entry: {newest}");
    let debian = read("assets/debian/changelog");
    assert!(debian.starts_with(&format!("slouchwatch ({version}-1) ")), "the Debian changelog: {debian}");
    let metainfo = read("assets/io.github.slouchwatch.metainfo.xml");
    let release = metainfo.split("<release ").nth(1).unwrap();
    assert!(release.starts_with(&format!("version=\"{version}\"")), "the newest AppStream release: {release}");
    // Both give the same date.
    let date = newest.trim_start_matches(&format!("## {version} (")).trim_end_matches(')');
    assert!(release.contains(&format!("date=\"{date}\"")), "AppStream's date is CHANGELOG.md's ({date})");
}

/// The precise model is a file beside the program: found where it is installed (here, the
/// folder named by SLOUCHWATCH_MODEL_DIR), and its absence said with what to do.
#[test]
fn the_thunder_model_is_read_from_its_folder_and_its_absence_says_what_to_do() {
    let analyze = |dir: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_slouchwatch"))
            .env("SLOUCHWATCH_MODEL_DIR", dir)
            .args(["analyze", "--json", "--model", "thunder"])
            .arg(fixture("astronaut.png"))
            .output()
            .unwrap()
    };
    let empty = tempfile::tempdir().unwrap();
    let missing = analyze(empty.path());
    assert!(!missing.status.success());
    let said = String::from_utf8_lossy(&missing.stderr);
    assert!(said.contains("MoveNet Thunder) is not installed"), "{said}");
    assert!(said.contains(&empty.path().join("movenet-thunder.onnx").display().to_string()), "{said}");
    assert!(said.contains("Choose the fast model"), "{said}");

    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let found = analyze(&models);
    assert!(found.status.success(), "{}", String::from_utf8_lossy(&found.stderr));
    assert_eq!(json_lines(&found)[0]["person"], true, "{:?}", json_lines(&found));
}

/// The window keeps its calibrations as setups in `setups.json`; its help must not send anyone
/// to `calibration.json`, the old file it only migrates from.
#[test]
fn the_window_help_names_setups_json_as_where_calibrations_live() {
    let output = slouchwatch(&["gui".as_ref(), "--help".as_ref()]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("setups.json"), "{help}");
    assert!(!help.contains("calibration.json"), "{help}");
    for command in ["run", "analyze", "calibrate"] {
        let output = slouchwatch(&[command.as_ref(), "--help".as_ref()]);
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(!help.contains("calibration.json"), "{command} --help: {help}");
    }
}

/// The `cargo deb` commands in `text` that make a package (not `cargo deb --version`).
fn package_commands(text: &str) -> Vec<&str> {
    text.match_indices("cargo deb --")
        .filter_map(|(at, _)| text[at..].split(['`', '\n', ')']).next())
        .filter(|command| !command.starts_with("cargo deb --version"))
        .collect()
}

/// The README's way to make the package and CI's (scripts/package-check.sh) both strip the
/// binary: the release profile keeps line tables, which cargo-deb packages unless told
/// `--strip` (a 76 MB binary instead of 50 MB).
#[test]
fn the_documented_package_command_strips_like_ci() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let (readme, ci) = (read("README.md"), read("scripts/package-check.sh"));
    let commands = [package_commands(&readme), package_commands(&ci)];
    assert!(commands.iter().all(|found| !found.is_empty()), "{commands:?}");
    for command in commands.iter().flatten() {
        assert!(command.contains(" --strip"), "`{command}` packages the line tables too");
    }
}
