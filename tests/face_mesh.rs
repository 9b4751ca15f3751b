//! The real face mesh (models/face-landmarks.onnx, built in) after the real MoveNet, on the
//! repository's own photo of a face (`tests/fixtures/astronaut.png`): the face is read, its
//! landmarks sit where a face's do, a turned picture gives the same face turned, and a scene
//! without a person never runs the mesh. Posture on it: the face's measures are recorded by a
//! calibration and read as upright on the same picture.

use std::path::{Path, PathBuf};

use image::{Rgb, RgbImage};
use slouchwatch::analyze::{self, PostureOptions};
use slouchwatch::images::load_rgb;
use slouchwatch::pose::{KeypointName, LoadOptions, ModelChoice, PoseEstimator};
use slouchwatch::posture::{PlacementSetting, Posture, PostureSettings};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn the_face_on_the_photo_is_read_where_a_face_is() {
    let image = load_rgb(&fixture("astronaut.png")).unwrap();
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    assert!(estimator.reads_faces());
    let pose = estimator.estimate(&image).unwrap();
    let face = pose.face.expect("the astronaut's face is read");
    assert!(face.score > 0.9, "score {}", face.score);

    let nose = pose.get(KeypointName::Nose);
    let eyes_y = (pose.get(KeypointName::LeftEye).y + pose.get(KeypointName::RightEye).y) / 2.0;
    let shoulders_y = (pose.get(KeypointName::LeftShoulder).y + pose.get(KeypointName::RightShoulder).y) / 2.0;
    assert!(face.forehead.y < eyes_y, "forehead {:?} not above the eyes at {eyes_y}", face.forehead);
    assert!(face.chin.y > nose.y && face.chin.y < shoulders_y, "chin {:?}", face.chin);
    // The person's right edge is on the image's left, either side of the nose.
    assert!(face.right_edge.x < nose.x && nose.x < face.left_edge.x, "{face:?}");
    let ears = (pose.get(KeypointName::LeftEar).x - pose.get(KeypointName::RightEar).x).abs();
    let ratio = face.width_px() / ears;
    assert!((0.7..1.3).contains(&ratio), "face width {} against ears {ears}", face.width_px());
}

/// `image` turned by `degrees` about its centre (nearest pixel; outside is black).
fn rotated(image: &RgbImage, degrees: f32) -> RgbImage {
    let (width, height) = image.dimensions();
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    RgbImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
        let (sx, sy) = (cx + cos * dx + sin * dy, cy - sin * dx + cos * dy);
        if sx < 0.0 || sy < 0.0 || sx >= width as f32 || sy >= height as f32 {
            Rgb([0, 0, 0])
        } else {
            *image.get_pixel(sx as u32, sy as u32)
        }
    })
}

#[test]
fn a_turned_picture_gives_the_same_face_turned() {
    let image = load_rgb(&fixture("astronaut.png")).unwrap();
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let level = estimator.estimate(&image).unwrap().face.unwrap();
    let angle = 15.0f32;
    let tilted = estimator.estimate(&rotated(&image, angle)).unwrap().face.expect("a tilted face is read");
    let (cx, cy) = (image.width() as f32 / 2.0, image.height() as f32 / 2.0);
    let (sin, cos) = angle.to_radians().sin_cos();
    let turn = |x: f32, y: f32| (cx + cos * (x - cx) - sin * (y - cy), cy + sin * (x - cx) + cos * (y - cy));
    let within = 0.06 * level.width_px();
    for (name, a, b) in [("chin", level.chin, tilted.chin), ("forehead", level.forehead, tilted.forehead)] {
        let (x, y) = turn(a.x, a.y);
        let off = (x - b.x).hypot(y - b.y);
        assert!(off < within, "{name}: expected ({x:.1}, {y:.1}), got ({:.1}, {:.1}), {off:.1} px off", b.x, b.y);
    }
    assert!((level.width_px() - tilted.width_px()).abs() < within);
}

#[test]
fn no_person_no_face_and_without_the_mesh_no_face() {
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let coffee = load_rgb(&fixture("coffee.png")).unwrap();
    assert_eq!(estimator.estimate(&coffee).unwrap().face, None);

    let options = LoadOptions { without_face: true, ..LoadOptions::default() };
    let mut body_only = PoseEstimator::load_with(&ModelChoice::Lightning, options).unwrap();
    assert!(!body_only.reads_faces());
    let astronaut = load_rgb(&fixture("astronaut.png")).unwrap();
    let pose = body_only.estimate(&astronaut).unwrap();
    assert_eq!(pose.face, None);
    // The body is found as with the mesh on.
    let with_face = estimator.estimate(&astronaut).unwrap();
    assert_eq!(pose.keypoints, with_face.keypoints);
}

#[test]
fn a_calibration_records_the_face_and_judges_the_same_picture_upright() {
    let path = fixture("astronaut.png");
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let calibration = analyze::calibrate_images(&mut estimator, std::slice::from_ref(&path), PlacementSetting::Front)
        .unwrap()
        .calibration;
    let reference = calibration.front.as_ref().unwrap().face.expect("the calibration records the face");
    assert!(reference.chin_gap > 0.0 && reference.shoulder_width > 1.0, "{reference:?}");

    let options = PostureOptions {
        calibration: Some(calibration),
        settings: PostureSettings { placement: PlacementSetting::Front, ..Default::default() },
    };
    let record = analyze::analyze_file(&mut estimator, &path, &options).unwrap();
    assert!(record.face_read);
    assert_eq!(record.posture, Posture::Good, "{:?}", record.problems);
    let shortening = record.metrics.chin_gap_shortening_pct.expect("the chin gap is judged");
    assert!(shortening.abs() < 1.0, "{shortening}");
    assert!(record.metrics.head_down_deg.unwrap().abs() < 1.0);
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["face_read"], true);
    for landmark in ["forehead", "chin", "right_edge", "left_edge"] {
        assert!(json["face"][landmark]["z"].is_number(), "{landmark}: {}", json["face"]);
    }
    assert!(json["metrics"]["chin_gap_shortening_pct"].is_number());
}
