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
    Some(Pose { keypoints, face: None })
}

/// Added to distances on MoveNet's heatmap grid before dividing by them (read from the exported
/// graph: `add_5/y` = 1.8); keeps the weights finite at distance zero.
pub const GRID_DISTANCE_BIAS: f32 = 1.8;

/// The raw outputs of MoveNet's four heads for one image, channel-first (`[C, n, n]` flattened),
/// on a grid of `n x n` cells (the input size / 4).
#[derive(Debug, Clone, Copy)]
pub struct Heads<'a> {
    /// Cells per side.
    pub grid: usize,
    /// Person-centre heatmap, `[1, n, n]` (after the sigmoid).
    pub center: &'a [f32],
    /// Keypoint positions regressed from each cell, `[34, n, n]`: for keypoint `k`, channel `2k`
    /// is the y offset and `2k + 1` the x offset in cells.
    pub regression: &'a [f32],
    /// Keypoint heatmaps, `[17, n, n]` (after the sigmoid).
    pub heatmaps: &'a [f32],
    /// Sub-cell refinements, `[34, n, n]`, y then x per keypoint.
    pub offsets: &'a [f32],
}

/// Index of the largest value (the first of equal ones, as ONNX ArgMax).
fn argmax(values: impl Iterator<Item = f32>) -> usize {
    let mut best = (0, f32::NEG_INFINITY);
    for (index, value) in values.enumerate() {
        if value > best.1 {
            best = (index, value);
        }
    }
    best.0
}

/// MoveNet SinglePose's decoding, as its exported graph does it for a 48x48 grid, written for any
/// grid size so the network can run at other input sizes:
/// 1. the person centre is the peak of the centre heatmap weighted by `1 / (distance to the
///    grid centre + 1.8)`, which prefers the person nearest the middle;
/// 2. each keypoint's rough position is regressed from that centre cell;
/// 3. each keypoint heatmap is divided by `distance to the rough position + 1.8`, so a joint of
///    someone else does not win, and its peak is the keypoint cell;
/// 4. the cell's offset refines it; its heatmap value is the score.
///
/// Returns the `[y, x, score] x 17` output the full graph gives (coordinates normalised 0..1),
/// or `None` if a head has the wrong length.
pub fn decode_heads(heads: &Heads) -> Option<[f32; OUTPUT_LEN]> {
    let n = heads.grid;
    let cells = n * n;
    if n == 0
        || heads.center.len() != cells
        || heads.regression.len() != 2 * KEYPOINT_COUNT * cells
        || heads.heatmaps.len() != KEYPOINT_COUNT * cells
        || heads.offsets.len() != 2 * KEYPOINT_COUNT * cells
    {
        return None;
    }
    let middle = n as f32 / 2.0;
    let centre = argmax(heads.center.iter().enumerate().map(|(cell, value)| {
        let (y, x) = ((cell / n) as f32, (cell % n) as f32);
        value / (((y - middle).powi(2) + (x - middle).powi(2)).sqrt() + GRID_DISTANCE_BIAS)
    }));
    let (centre_y, centre_x) = ((centre / n) as f32, (centre % n) as f32);
    let mut output = [0.0; OUTPUT_LEN];
    for k in 0..KEYPOINT_COUNT {
        let rough_y = centre_y + heads.regression[2 * k * cells + centre];
        let rough_x = centre_x + heads.regression[(2 * k + 1) * cells + centre];
        let heatmap = &heads.heatmaps[k * cells..(k + 1) * cells];
        let cell = argmax(heatmap.iter().enumerate().map(|(cell, value)| {
            let (y, x) = ((cell / n) as f32, (cell % n) as f32);
            value / (((y - rough_y).powi(2) + (x - rough_x).powi(2)).sqrt() + GRID_DISTANCE_BIAS)
        }));
        let (y, x) = ((cell / n) as f32, (cell % n) as f32);
        let offset_y = heads.offsets[2 * k * cells + cell];
        let offset_x = heads.offsets[(2 * k + 1) * cells + cell];
        output[k * VALUES_PER_KEYPOINT] = (y + offset_y) / n as f32;
        output[k * VALUES_PER_KEYPOINT + 1] = (x + offset_x) / n as f32;
        output[k * VALUES_PER_KEYPOINT + 2] = heatmap[cell];
    }
    Some(output)
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
