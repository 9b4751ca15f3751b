//! The real MoveNet models on real photos, checked against onnxruntime reference keypoints
//! (`tests/fixtures/reference-keypoints.json`, made by `scripts/make-test-fixtures.sh` with an
//! independent Python pre-processing).

use std::path::{Path, PathBuf};

use serde_json::Value;
use slouchwatch::images::load_rgb;
use slouchwatch::pose::{KeypointName, LoadOptions, ModelChoice, ModelError, PoseEstimator};

/// How far (pixels) a keypoint may land from the onnxruntime reference. The two pipelines differ
/// in float rounding order and in JPEG decoders (libjpeg via PIL there, zune-jpeg here).
const REFERENCE_TOLERANCE_PX: f32 = 1.5;
/// How far a score may differ from the reference.
const REFERENCE_SCORE_TOLERANCE: f32 = 0.02;

const PHOTOS: [&str; 4] = ["astronaut.png", "astronaut-wide.jpg", "astronaut-tall.png", "coffee.png"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("reference-keypoints.json")).unwrap()).unwrap()
}

fn check_against_reference(model: ModelChoice, model_key: &str) {
    let reference = reference();
    let mut estimator = PoseEstimator::load(&model).unwrap();
    for photo in PHOTOS {
        let expected = &reference["models"][model_key][photo];
        let image = load_rgb(&fixture(photo)).unwrap();
        assert_eq!(image.width() as u64, expected["width"].as_u64().unwrap(), "{photo}");
        assert_eq!(image.height() as u64, expected["height"].as_u64().unwrap(), "{photo}");
        let pose = estimator.estimate(&image).unwrap();
        for name in KeypointName::UPPER_BODY {
            let want = &expected["keypoints"][name.as_str()];
            let got = pose.get(name);
            let (want_x, want_y) = (want["x"].as_f64().unwrap() as f32, want["y"].as_f64().unwrap() as f32);
            let want_score = want["score"].as_f64().unwrap() as f32;
            // Points the model is unsure of wander freely; only confident ones must agree.
            if want_score >= 0.3 {
                let distance = ((got.x - want_x).powi(2) + (got.y - want_y).powi(2)).sqrt();
                assert!(
                    distance <= REFERENCE_TOLERANCE_PX,
                    "{model_key} {photo} {}: got ({:.1}, {:.1}), reference ({want_x:.1}, {want_y:.1}), {distance:.1} px off",
                    name.as_str(),
                    got.x,
                    got.y
                );
            }
            assert!(
                (got.score - want_score).abs() <= REFERENCE_SCORE_TOLERANCE,
                "{model_key} {photo} {}: score {:.3}, reference {want_score:.3}",
                name.as_str(),
                got.score
            );
        }
        let person = photo != "coffee.png";
        assert_eq!(pose.person_in_view(), person, "{model_key} {photo}: person in view");
    }
}

#[test]
fn lightning_matches_onnxruntime_on_real_photos() {
    check_against_reference(ModelChoice::Lightning, "lightning");
}

#[test]
fn thunder_matches_onnxruntime_on_real_photos() {
    check_against_reference(ModelChoice::Thunder, "thunder");
}

#[test]
fn a_model_file_on_disk_loads_like_the_built_in_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/movenet-lightning.onnx");
    let mut from_file = PoseEstimator::load(&ModelChoice::File(path)).unwrap();
    let mut built_in = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    assert_eq!(from_file.input_size(), 192);
    let image = load_rgb(&fixture("astronaut.png")).unwrap();
    assert_eq!(from_file.estimate(&image).unwrap(), built_in.estimate(&image).unwrap());
}

#[test]
fn reusing_the_estimator_across_frame_sizes_gives_fresh_results() {
    let wide = load_rgb(&fixture("astronaut-wide.jpg")).unwrap();
    let tall = load_rgb(&fixture("astronaut-tall.png")).unwrap();
    let mut reused = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let first_wide = reused.estimate(&wide).unwrap();
    let tall_after_wide = reused.estimate(&tall).unwrap();
    let wide_again = reused.estimate(&wide).unwrap();
    let mut fresh = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    assert_eq!(tall_after_wide, fresh.estimate(&tall).unwrap());
    assert_eq!(first_wide, wide_again);
}

#[test]
fn thunder_uses_its_larger_input() {
    let estimator = PoseEstimator::load(&ModelChoice::Thunder).unwrap();
    assert_eq!(estimator.input_size(), 256);
}

#[test]
fn an_empty_image_is_an_error_not_a_pose() {
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    assert!(estimator.estimate(&image::RgbImage::new(0, 0)).is_err());
}

fn load_error(path: PathBuf) -> ModelError {
    match PoseEstimator::load(&ModelChoice::File(path)) {
        Ok(_) => panic!("a bad model loaded"),
        Err(error) => error,
    }
}

#[test]
fn missing_model_file_names_the_path() {
    let error = load_error(PathBuf::from("/nonexistent/movenet.onnx"));
    assert!(matches!(error, ModelError::Missing { .. }), "{error}");
    assert!(error.to_string().contains("/nonexistent/movenet.onnx"));
    assert!(error.to_string().contains("--model"));
}

#[test]
fn model_with_wrong_input_shape_says_what_was_expected() {
    let error = load_error(fixture("wrong-input.onnx"));
    assert!(matches!(error, ModelError::WrongShape { what: "input shape", .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("wrong-input.onnx") && message.contains("[1, 3, 224, 224]"), "{message}");
    assert!(message.contains("[1,S,S,3]"), "{message}");
}

#[test]
fn model_with_wrong_output_shape_says_what_was_expected() {
    let error = load_error(fixture("wrong-output.onnx"));
    assert!(matches!(error, ModelError::WrongShape { what: "output shape", .. }), "{error}");
    assert!(error.to_string().contains("[1,1,17,3]"));
}

#[test]
fn truncated_and_non_onnx_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("truncated.onnx");
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/movenet-lightning.onnx")).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let error = load_error(truncated);
    assert!(error.to_string().contains("truncated.onnx"), "{error}");

    let photo_as_model = fixture("coffee.png");
    let error = load_error(photo_as_model);
    assert!(matches!(error, ModelError::NotOnnx { .. }), "{error}");
    assert!(error.to_string().contains("coffee.png"));
}

/// Both models on every photo: the keypoints with `options` land within `within_px` of the
/// default load's, with scores within `score_within`.
fn assert_same_keypoints_as_default(options: LoadOptions, within_px: f32, score_within: f32) {
    for model in [ModelChoice::Lightning, ModelChoice::Thunder] {
        let mut ours = PoseEstimator::load(&model).unwrap();
        let mut other = PoseEstimator::load_with(&model, options).unwrap();
        for photo in PHOTOS {
            let image = load_rgb(&fixture(photo)).unwrap();
            let (a, b) = (ours.estimate(&image).unwrap(), other.estimate(&image).unwrap());
            for (name, (p, q)) in KeypointName::ALL.iter().zip(a.keypoints.iter().zip(&b.keypoints)) {
                let distance = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
                assert!(
                    distance < within_px && (p.score - q.score).abs() <= score_within,
                    "{model} {photo} {name:?}: {p:?} vs {q:?}"
                );
            }
        }
    }
}

#[test]
fn decoding_the_heads_in_rust_matches_the_graphs_own_decoding() {
    // Same cells, same offsets, same scores; the graph's constants are float16-rounded (its 1/48
    // is 0.020828, 0.02% small), which moves a point by under 0.2 px.
    assert_same_keypoints_as_default(LoadOptions { whole_graph: true, ..LoadOptions::default() }, 0.2, 0.0);
}

#[test]
fn channel_last_depthwise_convolutions_give_the_keypoints_tract_gives_alone() {
    // The load-time layout step (src/pose/layout.rs) reorders the work, not the arithmetic of
    // each output: every keypoint lands where tract's own layout puts it, to float rounding.
    assert_same_keypoints_as_default(LoadOptions { tract_layout: true, ..LoadOptions::default() }, 0.01, 1e-4);
}

#[test]
fn the_network_runs_at_smaller_input_sizes() {
    let image = load_rgb(&fixture("astronaut.png")).unwrap();
    let full = PoseEstimator::load(&ModelChoice::Lightning).unwrap().estimate(&image).unwrap();
    let shoulders = full.get(KeypointName::LeftShoulder).x - full.get(KeypointName::RightShoulder).x;
    for size in [160, 128] {
        let options = LoadOptions { run_size: Some(size), ..LoadOptions::default() };
        let mut small = PoseEstimator::load_with(&ModelChoice::Lightning, options).unwrap();
        assert_eq!(small.input_size(), size);
        let pose = small.estimate(&image).unwrap();
        assert!(pose.person_in_view(), "{size} px");
        for name in [KeypointName::Nose, KeypointName::LeftShoulder, KeypointName::RightShoulder] {
            let (p, q) = (pose.get(name), full.get(name));
            let distance = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
            // The person fills this photo: within a fifth of the shoulder width of 192 px.
            assert!(distance < 0.2 * shoulders, "{size} px {name:?}: {distance} px off");
        }
    }
    let odd = LoadOptions { run_size: Some(150), ..LoadOptions::default() };
    let error = PoseEstimator::load_with(&ModelChoice::Lightning, odd).err().unwrap();
    assert!(error.to_string().contains("multiple of 32"), "{error}");
}
