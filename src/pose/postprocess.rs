//! Post-processing: from the model's raw output to a [`Pose`] in source-image pixels.
//!
//! Pure code. MoveNet's output is `[1, 1, 17, 3]`: for each keypoint `y`, `x` (both normalised
//! 0..1 over the model's input square) and a score.

use super::keypoints::{KEYPOINT_COUNT, Keypoint, Pose};
use super::preprocess::Letterbox;

/// Values per keypoint in the model output: y, x, score.
pub const VALUES_PER_KEYPOINT: usize = 3;

/// Length of the flat model output.
pub const OUTPUT_LEN: usize = KEYPOINT_COUNT * VALUES_PER_KEYPOINT;

/// Decodes a flat `[y, x, score] x 17` output into a [`Pose`], mapping coordinates through the
/// letterbox that made the input.
///
/// Returns `None` if `output` does not hold exactly 17 keypoints (the model is checked at load
/// time, so this means a bug) or holds a non-finite number (a broken model file).
pub fn decode(output: &[f32], letterbox: &Letterbox) -> Option<Pose> {
    if output.len() != OUTPUT_LEN || output.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut keypoints = [Keypoint { x: 0.0, y: 0.0, score: 0.0 }; KEYPOINT_COUNT];
    for (keypoint, raw) in keypoints.iter_mut().zip(output.chunks_exact(VALUES_PER_KEYPOINT)) {
        let (x, y) = letterbox.to_source(raw[1], raw[0]);
        *keypoint = Keypoint { x, y, score: raw[2].clamp(0.0, 1.0) };
    }
    Some(Pose { keypoints })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::KeypointName;

    fn output_with(nose: [f32; 3], right_ankle: [f32; 3]) -> Vec<f32> {
        let mut output = vec![0.5; OUTPUT_LEN];
        output[..3].copy_from_slice(&nose);
        output[OUTPUT_LEN - 3..].copy_from_slice(&right_ankle);
        output
    }

    #[test]
    fn maps_y_x_order_through_a_wide_letterbox() {
        let letterbox = Letterbox::for_image(1280, 720);
        let pose = decode(&output_with([0.25, 0.75, 0.9], [1.0, 0.0, 0.1]), &letterbox).unwrap();
        let nose = pose.get(KeypointName::Nose);
        assert_eq!((nose.x, nose.y, nose.score), (960.0, 320.0 - 280.0, 0.9));
        let ankle = pose.get(KeypointName::RightAnkle);
        assert_eq!((ankle.x, ankle.y), (0.0, 1280.0 - 280.0));
    }

    #[test]
    fn maps_through_a_tall_letterbox() {
        let letterbox = Letterbox::for_image(480, 640);
        let pose = decode(&output_with([0.5, 0.5, 0.7], [0.0, 0.125, 0.2]), &letterbox).unwrap();
        let nose = pose.get(KeypointName::Nose);
        assert_eq!((nose.x, nose.y), (240.0, 320.0));
        let ankle = pose.get(KeypointName::RightAnkle);
        assert_eq!((ankle.x, ankle.y), (0.0, 0.0));
    }

    #[test]
    fn rejects_wrong_length_and_non_finite_output() {
        let letterbox = Letterbox::for_image(100, 100);
        assert!(decode(&[0.5; OUTPUT_LEN - 1], &letterbox).is_none());
        assert!(decode(&output_with([f32::NAN, 0.5, 0.5], [0.5; 3]), &letterbox).is_none());
    }

    #[test]
    fn clamps_scores_into_zero_to_one() {
        let letterbox = Letterbox::for_image(100, 100);
        let pose = decode(&output_with([0.5, 0.5, 1.5], [0.5, 0.5, -0.5]), &letterbox).unwrap();
        assert_eq!(pose.get(KeypointName::Nose).score, 1.0);
        assert_eq!(pose.get(KeypointName::RightAnkle).score, 0.0);
    }
}
