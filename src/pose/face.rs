//! Face landmarks: MediaPipe's Face Mesh run on the face MoveNet found, for the measures its 17
//! points cannot give (the chin, the face's own width, the head's pitch in depth).
//!
//! After MoveNet, when both eyes are in view, a square around the face is taken from the head
//! keypoints ([`face_region`]): rotated so the eyes are level, as the mesh was trained, and
//! sampled into the mesh's 192x192 input ([`sample_region`]). The mesh gives 468 points with
//! depth and a face score; the few slouchwatch uses are mapped back to frame pixels
//! ([`decode`]). Everything but running the network is a pure function, tested without it.
//!
//! The region comes from MoveNet's head points rather than MediaPipe's face detector: on the
//! frontal desk frames of `../shared/eval/people` the chin it gives moved by at most 2 px when the
//! region was taken again from the mesh's own landmarks (MediaPipe's tracking step), so a second
//! network (the detector) or a second pass would buy nothing there. A face the mesh cannot read
//! (a mask, a hand, turned away) gets a low score and is `None`: posture then uses MoveNet's
//! points alone, as before the mesh.

use std::sync::Arc;

use image::RgbImage;
use prost::Message;
use serde::Serialize;
use tract_onnx::prelude::*;

use super::PoseError;
use super::keypoints::{KeypointName, Pose};
use super::model::ModelError;

/// MediaPipe Face Mesh (`face_landmark.tflite` of the `mediapipe==0.10.14` wheel), converted by
/// `scripts/export-models.sh` (`models/README.md`).
pub const FACE_ONNX: &[u8] = include_bytes!("../../models/face-landmarks.onnx");

/// Side of the mesh's square input, pixels.
pub const FACE_INPUT_SIZE: usize = 192;

/// Number of landmarks the mesh gives.
pub const FACE_LANDMARK_COUNT: usize = 468;

/// Side of the face region in ear widths. MediaPipe takes 1.5 times its face detector's box (about
/// the face's width, cheek to cheek) and the ear keypoints sit a little outside the cheeks; on the
/// people frames the region MediaPipe's own tracking step chose from the landmarks was 1.6-1.7
/// ear widths.
pub const FACE_REGION_EAR_WIDTHS: f32 = 1.6;

/// How far below the eye line the region's centre lies, in ear widths: about the nose's height,
/// the middle of the face from brow to chin (0.25-0.35 in the tracking step's regions).
pub const FACE_CENTRE_BELOW_EYES: f32 = 0.3;

/// Ear width over eye width, for placing the region from the eyes when an ear is hidden (an
/// average adult head: about 15 cm between the ear keypoints, 6.3 cm between the pupils).
pub const EAR_WIDTH_EYE_WIDTHS: f32 = 2.4;

/// The face score (the sigmoid of the mesh's face flag) a read face needs. The mesh scores a
/// clear face near 1 and a crop with no face (or a masked one) near 0; 0.5 is the even odds.
pub const FACE_MIN_SCORE: f32 = 0.5;

/// A face region smaller than this (pixels) holds too few pixels for the mesh to read.
pub const FACE_MIN_REGION_PX: f32 = 24.0;

/// At most this many samples a side per input pixel when the face region is larger than the
/// input (a face filling a 1080p frame is about 3 frame pixels per input pixel). MediaPipe's own
/// crop takes one bilinear sample (what the mesh was made with); two a side soften the aliasing
/// of a large face for a quarter of a millisecond (3 a side cost 2 ms on 1080p frames).
const MAX_TAPS: f32 = 2.0;

/// The landmarks slouchwatch uses, by their index in MediaPipe's canonical face mesh.
pub mod landmark {
    /// The top of the forehead, on the face's midline.
    pub const FOREHEAD: usize = 10;
    /// The bottom of the chin, on the midline.
    pub const CHIN: usize = 152;
    /// The face's edge on the person's right (the image's left), at the cheekbone.
    pub const RIGHT_EDGE: usize = 234;
    /// The face's edge on the person's left.
    pub const LEFT_EDGE: usize = 454;
}

/// A landmark in frame pixels, with depth (`z`, on the x scale, smaller nearer the camera;
/// relative to the face, not a distance from the camera).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct FacePoint {
    /// Pixels from the frame's left edge.
    pub x: f32,
    /// Pixels from the frame's top edge.
    pub y: f32,
    /// Depth, pixels.
    pub z: f32,
}

/// A face the mesh read: its score and the landmarks the posture measures use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Face {
    /// How sure the mesh is that this is a face, 0..1 (at least [`FACE_MIN_SCORE`]).
    pub score: f32,
    /// Top of the forehead ([`landmark::FOREHEAD`]).
    pub forehead: FacePoint,
    /// Bottom of the chin ([`landmark::CHIN`]).
    pub chin: FacePoint,
    /// The face's edge on the person's right ([`landmark::RIGHT_EDGE`]).
    pub right_edge: FacePoint,
    /// The face's edge on the person's left ([`landmark::LEFT_EDGE`]).
    pub left_edge: FacePoint,
}

impl Face {
    /// The face's width, edge to edge in the picture, pixels.
    pub fn width_px(&self) -> f32 {
        (self.left_edge.x - self.right_edge.x).hypot(self.left_edge.y - self.right_edge.y)
    }
}

/// The square of the frame the mesh looks at: centred on the face, turned by the eye line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceRegion {
    /// Centre, frame pixels.
    pub centre_x: f32,
    /// Centre, frame pixels.
    pub centre_y: f32,
    /// Side, frame pixels.
    pub side: f32,
    /// Rotation, radians: the angle of the eye line (person's right eye to left) from horizontal.
    pub angle: f32,
}

impl FaceRegion {
    /// Frame pixels of a point at `(u, v)` of the mesh's input (0..[`FACE_INPUT_SIZE`]).
    pub fn to_frame(&self, u: f32, v: f32) -> (f32, f32) {
        let scale = self.side / FACE_INPUT_SIZE as f32;
        let half = FACE_INPUT_SIZE as f32 / 2.0;
        let (du, dv) = ((u - half) * scale, (v - half) * scale);
        let (sin, cos) = self.angle.sin_cos();
        (self.centre_x + cos * du - sin * dv, self.centre_y + sin * du + cos * dv)
    }

    /// Frame pixels per input pixel.
    pub fn scale(&self) -> f32 {
        self.side / FACE_INPUT_SIZE as f32
    }
}

/// Where the face is, from MoveNet's head keypoints: both eyes are needed (they give the
/// rotation); the region's size comes from the ears when both are confident, else from the eyes.
pub fn face_region(pose: &Pose) -> Option<FaceRegion> {
    let left_eye = pose.confident(KeypointName::LeftEye)?;
    let right_eye = pose.confident(KeypointName::RightEye)?;
    let eye_width = (left_eye.x - right_eye.x).hypot(left_eye.y - right_eye.y);
    let ear_width = match (pose.confident(KeypointName::LeftEar), pose.confident(KeypointName::RightEar)) {
        (Some(left), Some(right)) => (left.x - right.x).hypot(left.y - right.y),
        _ => eye_width * EAR_WIDTH_EYE_WIDTHS,
    };
    let side = ear_width * FACE_REGION_EAR_WIDTHS;
    if !side.is_finite() || side < FACE_MIN_REGION_PX {
        return None;
    }
    // The person's left eye is on the image's right when they face the camera.
    let angle = (left_eye.y - right_eye.y).atan2(left_eye.x - right_eye.x);
    let below = FACE_CENTRE_BELOW_EYES * ear_width;
    let (sin, cos) = angle.sin_cos();
    Some(FaceRegion {
        centre_x: (left_eye.x + right_eye.x) / 2.0 - sin * below,
        centre_y: (left_eye.y + right_eye.y) / 2.0 + cos * below,
        side,
        angle,
    })
}

/// Fills `buffer` (`FACE_INPUT_SIZE`² RGB values, channel-last, 0..1 as the mesh expects) with
/// the region of `image`. Each input pixel averages a grid of bilinear samples over its footprint
/// (one when the region is no larger than the input), so a large face is not aliased; outside
/// the frame is black.
pub fn sample_region(image: &RgbImage, region: &FaceRegion, buffer: &mut [f32]) {
    let size = FACE_INPUT_SIZE;
    debug_assert_eq!(buffer.len(), size * size * 3);
    let (width, height) = (image.width() as i64, image.height() as i64);
    let raw = image.as_raw();
    let row = width as usize * 3;
    let taps = region.scale().ceil().clamp(1.0, MAX_TAPS) as usize;
    let weight = 1.0 / (taps * taps) as f32 / 255.0;
    // Frame pixels per input pixel along the input's rows and columns (turned with the region).
    let (sin, cos) = region.angle.sin_cos();
    let step = region.scale() / taps as f32;
    let (along_x, along_y) = (cos * step, sin * step);
    let (down_x, down_y) = (-sin * step, cos * step);
    // Where the first sample of the first input pixel lands, with pixel centres at half-integers.
    let first = 0.5 / taps as f32;
    let (origin_x, origin_y) = region.to_frame(first, first);
    let (origin_x, origin_y) = (origin_x - 0.5, origin_y - 0.5);
    let inside = |x: i64, y: i64| x >= 0 && y >= 0 && x + 1 < width && y + 1 < height;
    let pixel = |x: i64, y: i64| -> [f32; 3] {
        if x < 0 || y < 0 || x >= width || y >= height {
            return [0.0; 3];
        }
        let at = y as usize * row + x as usize * 3;
        [raw[at] as f32, raw[at + 1] as f32, raw[at + 2] as f32]
    };
    for v in 0..size {
        for u in 0..size {
            let mut sum = [0.0f32; 3];
            for tv in 0..taps {
                for tu in 0..taps {
                    let (i, j) = ((u * taps + tu) as f32, (v * taps + tv) as f32);
                    let x = origin_x + i * along_x + j * down_x;
                    let y = origin_y + i * along_y + j * down_y;
                    let (x0, y0) = (x.floor(), y.floor());
                    let (fx, fy) = (x - x0, y - y0);
                    let (x0, y0) = (x0 as i64, y0 as i64);
                    let weights = [(1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy];
                    if inside(x0, y0) {
                        // The common case: all four neighbours in the frame, read straight.
                        let at = y0 as usize * row + x0 as usize * 3;
                        for (channel, total) in sum.iter_mut().enumerate() {
                            let c = at + channel;
                            *total += raw[c] as f32 * weights[0]
                                + raw[c + 3] as f32 * weights[1]
                                + raw[c + row] as f32 * weights[2]
                                + raw[c + row + 3] as f32 * weights[3];
                        }
                    } else {
                        let corners = [pixel(x0, y0), pixel(x0 + 1, y0), pixel(x0, y0 + 1), pixel(x0 + 1, y0 + 1)];
                        for (channel, total) in sum.iter_mut().enumerate() {
                            *total += corners.iter().zip(weights).map(|(corner, w)| corner[channel] * w).sum::<f32>();
                        }
                    }
                }
            }
            let at = (v * size + u) * 3;
            for channel in 0..3 {
                buffer[at + channel] = sum[channel] * weight;
            }
        }
    }
}

/// The face in frame pixels from the mesh's outputs (`landmarks`: 468 x, y, z in input pixels;
/// `flag`: the face logit), or `None` when the score is under [`FACE_MIN_SCORE`] or the values
/// are not finite.
pub fn decode(landmarks: &[f32], flag: f32, region: &FaceRegion) -> Option<Face> {
    if landmarks.len() != FACE_LANDMARK_COUNT * 3 {
        return None;
    }
    let score = 1.0 / (1.0 + (-flag).exp());
    // A NaN flag gives a NaN score, which is not a face either.
    if score.is_nan() || score < FACE_MIN_SCORE {
        return None;
    }
    let point = |index: usize| -> Option<FacePoint> {
        let values = &landmarks[index * 3..index * 3 + 3];
        if !values.iter().all(|value| value.is_finite()) {
            return None;
        }
        let (x, y) = region.to_frame(values[0], values[1]);
        Some(FacePoint { x, y, z: values[2] * region.scale() })
    };
    Some(Face {
        score,
        forehead: point(landmark::FOREHEAD)?,
        chin: point(landmark::CHIN)?,
        right_edge: point(landmark::RIGHT_EDGE)?,
        left_edge: point(landmark::LEFT_EDGE)?,
    })
}

/// Runs the face mesh. Load once, then [`FaceReader::read`] per frame (about a third of
/// MoveNet Lightning's work; docs/PERFORMANCE.md).
pub struct FaceReader {
    state: TypedSimpleState,
    input: Arc<Tensor>,
}

impl FaceReader {
    /// Reads and optimises the built-in face mesh, laid out as tract lays it out.
    pub fn load() -> Result<FaceReader, ModelError> {
        Self::load_with(false)
    }

    /// [`FaceReader::load`]; `channel_last` moves its depthwise convolutions channel-last as
    /// MoveNet's are (`super::layout`). With the export's PRelu rewrite that buys nothing
    /// measurable here (6.07 against 6.03 ms, docs/PERFORMANCE.md), so it is off; kept for
    /// measuring.
    pub fn load_with(channel_last: bool) -> Result<FaceReader, ModelError> {
        crate::memory::while_loading(|| load_bytes(FACE_ONNX, channel_last))
    }

    /// The face around `pose`'s head in `image`, or `None` when the head's keypoints do not place
    /// it or the mesh does not read a face there.
    pub fn read(&mut self, image: &RgbImage, pose: &Pose) -> Result<Option<Face>, PoseError> {
        let Some(region) = face_region(pose) else {
            return Ok(None);
        };
        let inference = |error: TractError| PoseError::Inference { reason: format!("{error:#}") };
        {
            let tensor = Arc::make_mut(&mut self.input);
            let mut view = tensor.to_plain_array_view_mut::<f32>().map_err(inference)?;
            let buffer = view
                .as_slice_mut()
                .ok_or_else(|| PoseError::Inference { reason: "face input is not contiguous".to_owned() })?;
            sample_region(image, &region, buffer);
        }
        let outputs = self.state.run(tvec!(TValue::from_const(self.input.clone()))).map_err(inference)?;
        let values = |index: usize| -> Result<Vec<f32>, PoseError> {
            let view = outputs
                .get(index)
                .ok_or(PoseError::BadOutput { len: outputs.len() })?
                .to_plain_array_view::<f32>()
                .map_err(inference)?;
            Ok(view.iter().copied().collect())
        };
        let landmarks = values(0)?;
        let flag = values(1)?;
        let flag = *flag.first().ok_or(PoseError::BadOutput { len: flag.len() })?;
        Ok(decode(&landmarks, flag, &region))
    }
}

fn load_bytes(bytes: &'static [u8], channel_last: bool) -> Result<FaceReader, ModelError> {
    let name = "built-in face mesh";
    let not_onnx = |error: TractError| ModelError::NotOnnx { model: name.to_owned(), reason: format!("{error:#}") };
    let unsupported =
        |error: TractError| ModelError::Unsupported { model: name.to_owned(), reason: format!("{error:#}") };
    let proto = tract_onnx::pb::ModelProto::decode(bytes).map_err(|error| not_onnx(error.into()))?;
    crate::memory::release_file_pages(bytes);
    let model = tract_onnx::onnx().model_for_proto_model(&proto).map_err(not_onnx)?;
    drop(proto);
    let size = FACE_INPUT_SIZE;
    let decluttered = model
        .with_input_fact(0, InferenceFact::dt_shape(f32::datum_type(), tvec!(1, size, size, 3)))
        .and_then(|model| model.into_typed())
        .and_then(|model| model.into_decluttered())
        .map_err(unsupported)?;
    // As for MoveNet, a speed-up only: a graph it cannot handle runs as tract lays it out.
    let decluttered = if !channel_last {
        decluttered
    } else {
        match super::layout::depthwise_channel_last(decluttered.clone()) {
            Ok((model, moved)) => {
                tracing::debug!(moved, "face mesh: depthwise convolutions run channel-last");
                model
            }
            Err(error) => {
                tracing::warn!("face mesh: depthwise convolutions stay channel-first (slower): {error:#}");
                decluttered
            }
        }
    };
    let optimized = decluttered.into_optimized().map_err(unsupported)?;
    // The export's outputs, in its order: the landmarks, then the face flag.
    for (index, len) in [(0, FACE_LANDMARK_COUNT * 3), (1, 1)] {
        let fact = optimized.output_fact(index).map_err(unsupported)?;
        let found = fact.shape.as_concrete().map(|dims| dims.iter().product::<usize>());
        if found != Some(len) {
            return Err(ModelError::WrongShape {
                model: name.to_owned(),
                what: "output size",
                found: format!("{:?} at output {index}", fact.shape),
            });
        }
    }
    let plan = optimized.into_runnable().map_err(unsupported)?;
    let input = Tensor::zero::<f32>(&[1, size, size, 3]).map_err(unsupported)?;
    Ok(FaceReader { state: plan.spawn().map_err(unsupported)?, input: Arc::new(input) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::Keypoint;

    fn head(left_eye: (f32, f32), right_eye: (f32, f32), ears: Option<((f32, f32), (f32, f32))>) -> Pose {
        let at = |(x, y): (f32, f32)| Keypoint { x, y, score: 0.9 };
        let mut points = vec![(KeypointName::LeftEye, at(left_eye)), (KeypointName::RightEye, at(right_eye))];
        if let Some((left, right)) = ears {
            points.push((KeypointName::LeftEar, at(left)));
            points.push((KeypointName::RightEar, at(right)));
        }
        Pose::from_named(points)
    }

    #[test]
    fn a_level_face_gets_a_level_square_below_the_eyes() {
        let pose = head((120.0, 100.0), (80.0, 100.0), Some(((150.0, 110.0), (50.0, 110.0))));
        let region = face_region(&pose).unwrap();
        assert_eq!(region.angle, 0.0);
        assert!((region.side - 100.0 * FACE_REGION_EAR_WIDTHS).abs() < 1e-3);
        assert!((region.centre_x - 100.0).abs() < 1e-3);
        assert!((region.centre_y - (100.0 + 100.0 * FACE_CENTRE_BELOW_EYES)).abs() < 1e-3);
        // The input's corners and centre land where the square puts them.
        let (x, y) = region.to_frame(0.0, 0.0);
        assert!(
            (x - (100.0 - region.side / 2.0)).abs() < 1e-3 && (y - (region.centre_y - region.side / 2.0)).abs() < 1e-3
        );
        assert_eq!(region.to_frame(96.0, 96.0), (region.centre_x, region.centre_y));
    }

    #[test]
    fn a_tilted_head_turns_the_square_and_hidden_ears_size_it_from_the_eyes() {
        // Eyes 40 px apart on a line tilted 30 degrees, ears hidden.
        let (sin, cos) = 30f32.to_radians().sin_cos();
        let pose = head((100.0 + 20.0 * cos, 100.0 + 20.0 * sin), (100.0 - 20.0 * cos, 100.0 - 20.0 * sin), None);
        let region = face_region(&pose).unwrap();
        assert!((region.angle.to_degrees() - 30.0).abs() < 1e-3);
        assert!((region.side - 40.0 * EAR_WIDTH_EYE_WIDTHS * FACE_REGION_EAR_WIDTHS).abs() < 1e-2);
        // "Below the eyes" is along the face's own down, turned with it.
        assert!(region.centre_x < 100.0 && region.centre_y > 100.0);
        // Moving right along the input's top row follows the eye line.
        let (a, b) = (region.to_frame(0.0, 0.0), region.to_frame(192.0, 0.0));
        assert!(((b.1 - a.1).atan2(b.0 - a.0).to_degrees() - 30.0).abs() < 1e-3);
    }

    #[test]
    fn no_region_without_both_eyes_or_for_a_tiny_face() {
        let mut pose = head((120.0, 100.0), (80.0, 100.0), None);
        pose.keypoints[KeypointName::LeftEye.index()].score = 0.1;
        assert!(face_region(&pose).is_none());
        assert!(face_region(&head((101.0, 100.0), (100.0, 100.0), None)).is_none());
    }

    #[test]
    fn sampling_copies_a_region_the_size_of_the_input_pixel_for_pixel() {
        // A gradient image; a level region exactly 192 px square maps each input pixel to one
        // frame pixel.
        let image = RgbImage::from_fn(300, 300, |x, y| image::Rgb([x as u8, y as u8, 200]));
        let region = FaceRegion { centre_x: 150.0, centre_y: 150.0, side: 192.0, angle: 0.0 };
        let mut buffer = vec![0.0; FACE_INPUT_SIZE * FACE_INPUT_SIZE * 3];
        sample_region(&image, &region, &mut buffer);
        let at = |u: usize, v: usize| &buffer[(v * FACE_INPUT_SIZE + u) * 3..(v * FACE_INPUT_SIZE + u) * 3 + 3];
        assert!((at(0, 0)[0] * 255.0 - 54.0).abs() < 1e-3, "{:?}", at(0, 0));
        assert!((at(10, 20)[1] * 255.0 - 74.0).abs() < 1e-3);
        assert!((at(10, 20)[2] * 255.0 - 200.0).abs() < 1e-3);
        // Outside the frame is black.
        let outside = FaceRegion { centre_x: -500.0, ..region };
        sample_region(&image, &outside, &mut buffer);
        assert!(buffer.iter().all(|&value| value == 0.0));
    }

    #[test]
    fn decoding_maps_the_landmarks_back_and_refuses_a_low_score() {
        let region = FaceRegion { centre_x: 500.0, centre_y: 300.0, side: 384.0, angle: 0.0 };
        let mut landmarks = vec![0.0; FACE_LANDMARK_COUNT * 3];
        landmarks[landmark::CHIN * 3..landmark::CHIN * 3 + 3].copy_from_slice(&[96.0, 180.0, 4.0]);
        let face = decode(&landmarks, 5.0, &region).unwrap();
        assert!(face.score > 0.99);
        assert_eq!((face.chin.x, face.chin.y, face.chin.z), (500.0, 300.0 + 84.0 * 2.0, 8.0));
        assert!(decode(&landmarks, -5.0, &region).is_none());
        assert!(decode(&landmarks[..30], 5.0, &region).is_none());
        landmarks[landmark::FOREHEAD * 3] = f32::NAN;
        assert!(decode(&landmarks, 5.0, &region).is_none());
    }
}
