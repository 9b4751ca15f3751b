//! Posture through the real binary and the real model: `calibrate`, `analyze --calibration`,
//! and following the calibrated person when two are in view.

mod common;

use serde_json::Value;

use common::{calibrate_on_astronaut, fixture, json_lines, slouchwatch};
use image::{Rgb, RgbImage, imageops};
use slouchwatch::analyze::{PostureOptions, analyze_file, calibrate_images};
use slouchwatch::pose::{KeypointName, ModelChoice, PoseEstimator};
use slouchwatch::posture::PlacementSetting;

#[test]
fn calibrate_then_analyze_reports_posture_fields() {
    let dir = tempfile::tempdir().unwrap();
    let calibration = dir.path().join("nested/calibration.json");
    let output = calibrate_on_astronaut(&calibration);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Calibration written to") && stdout.contains("camera placement front"), "{stdout}");
    assert!(stdout.contains("1 of 1 frame used"), "{stdout}");
    // The astronaut photo is taken from below her eyes: the desk check says the screen is low.
    assert!(stdout.contains("Desk check") && stdout.contains("Screen too low"), "{stdout}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&calibration).unwrap()).unwrap();
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["placement"], "front");
    assert!(saved["created"].as_str().is_some());

    let output = slouchwatch(&[
        "analyze".as_ref(),
        "--json".as_ref(),
        "--calibration".as_ref(),
        calibration.as_os_str(),
        fixture("astronaut.png").as_os_str(),
        fixture("astronaut-wide.jpg").as_os_str(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = json_lines(&output);
    let same = &records[0];
    assert_eq!(same["placement"], "front");
    assert_eq!(same["posture"], "good", "{same}");
    assert_eq!(same["problems"].as_array().unwrap().len(), 0);
    assert_eq!(same["calibration_stale"], false);
    let metrics = same["metrics"].as_object().unwrap();
    for name in slouchwatch::posture::metrics::METRIC_NAMES {
        assert!(metrics.contains_key(name), "metrics lack {name}");
    }
    let forward = metrics["forward_head_deg"].as_f64().unwrap();
    assert!((forward - 10.0).abs() < 0.5, "the calibration photo itself reads neutral: {forward}");
    // Another frame size means another camera or mode: recalibrate rather than guess.
    let other = &records[1];
    assert_eq!(other["calibration_stale"], true);
    assert_eq!(other["stale_reason"], "camera_changed");
    assert_eq!(other["posture"], "unknown");
}

#[test]
fn uncalibrated_analysis_judges_what_needs_no_baseline_and_says_so() {
    let output = slouchwatch(&["analyze".as_ref(), fixture("astronaut.png").as_os_str()]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Upright means "as calibrated": without a calibration not judged, never good, and never
    // said as if it had been looked at and found fine.
    assert!(stdout.contains("posture: not judged (posture is compared with your calibration, and none"), "{stdout}");
    assert!(stdout.contains("--calibration FILE"), "{stdout}");
    assert!(!stdout.contains("posture: good") && !stdout.contains("nothing wrong"), "{stdout}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("slouchwatch calibrate"));

    let output = slouchwatch(&["analyze".as_ref(), "--json".as_ref(), fixture("astronaut.png").as_os_str()]);
    let record = &json_lines(&output)[0];
    assert!(record["metrics"]["lean_deg"].is_number());
    assert_eq!(record["posture"], "unknown");
    assert_eq!(record["calibrated"], false);
    assert!(record["metrics"]["forward_head_deg"].is_null(), "front forward head needs a calibration");
}

#[test]
fn a_damaged_calibration_file_stops_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let calibration = dir.path().join("calibration.json");
    std::fs::write(&calibration, "{ not json").unwrap();
    let output = slouchwatch(&[
        "analyze".as_ref(),
        "--calibration".as_ref(),
        calibration.as_os_str(),
        fixture("astronaut.png").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("calibration.json") && stderr.contains("calibrate again"), "{stderr}");
    assert_eq!(stderr.matches("the calibration file is damaged").count(), 1, "said once: {stderr}");

    // `run` reads it before anything else, and says it once too.
    let output = slouchwatch(&[
        "run".as_ref(),
        "--calibration".as_ref(),
        calibration.as_os_str(),
        "--source".as_ref(),
        dir.path().as_os_str(),
        "--data-dir".as_ref(),
        dir.path().join("history").as_os_str(),
        "--no-notify".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("calibration.json") && stderr.contains("calibrate again"), "{stderr}");
    assert_eq!(stderr.matches("the calibration file is damaged").count(), 1, "said once: {stderr}");
    assert!(output.stdout.is_empty(), "nothing monitored");
}

#[test]
fn calibrating_on_an_empty_scene_explains_what_is_needed() {
    let dir = tempfile::tempdir().unwrap();
    let output = slouchwatch(&[
        "calibrate".as_ref(),
        "--source".as_ref(),
        fixture("coffee.png").as_os_str(),
        "--out".as_ref(),
        dir.path().join("c.json").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("head and both shoulders in view"));
    assert!(!dir.path().join("c.json").exists());
}

/// Two people in one frame: the calibrated one (smaller, on the right) is followed, not the
/// larger one on the left.
#[test]
fn the_calibrated_person_is_followed_when_two_are_in_view() {
    let astronaut = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let small = imageops::resize(&astronaut, 400, 400, imageops::FilterType::Triangle);
    let (width, height) = (1400, 560);
    let grey = Rgb([128, 128, 128]);
    let (small_x, small_y) = (960i64, 140i64);

    let mut alone = RgbImage::from_pixel(width, height, grey);
    imageops::overlay(&mut alone, &small, small_x, small_y);
    let mut both = alone.clone();
    imageops::overlay(&mut both, &astronaut, 40, 24);

    let dir = tempfile::tempdir().unwrap();
    let alone_path = dir.path().join("alone.png");
    let both_path = dir.path().join("both.png");
    alone.save(&alone_path).unwrap();
    both.save(&both_path).unwrap();

    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let calibration = calibrate_images(&mut estimator, &[alone_path], PlacementSetting::Auto).unwrap().calibration;

    // Without a calibration the model is free to pick either person; with it, the right one.
    let record = analyze_file(
        &mut estimator,
        &both_path,
        &PostureOptions { calibration: Some(calibration), ..Default::default() },
    )
    .unwrap();
    let nose = record.keypoints.get(KeypointName::Nose);
    let expected_nose_x = small_x as f32 + 221.0 * 400.0 / 512.0;
    assert!((nose.x - expected_nose_x).abs() < 30.0, "nose at {} instead of near {expected_nose_x}", nose.x);
    assert!(!record.calibration_stale);
    assert_eq!(record.posture, slouchwatch::posture::Posture::Good, "{:?}", record.problems);
}
