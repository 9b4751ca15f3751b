//! The pose stage: one RGB image in, the 17 body keypoints of one person out.
//!
//! Owns the ONNX model (MoveNet SinglePose, run by tract) and nothing else: it does not know
//! about cameras, posture, time or the window. Pre- and post-processing are pure functions in
//! their own files, so they are tested without the model:
//!
//! - [`preprocess`]: letterbox and area-average the image into the model's square input;
//! - [`model`]: choose, read and check the model file;
//! - `layout`: run the depthwise convolutions channel-last (faster in tract on x86);
//! - [`postprocess`]: decode the output and map it back to source pixels;
//! - [`keypoints`]: the [`Pose`] type and the "is a person in view" rule;
//! - [`face`]: the face mesh run on the face MoveNet found (chin, face width, head pitch).

pub mod face;
pub mod keypoints;
mod layout;
pub mod model;
pub mod postprocess;
pub mod preprocess;

use std::sync::Arc;

use image::RgbImage;
use tract_onnx::prelude::*;

pub use face::{Face, FacePoint, FaceReader};
pub use keypoints::{
    KEYPOINT_COUNT, KEYPOINT_MIN_SCORE, Keypoint, KeypointName, PERSON_MIN_UPPER_BODY_KEYPOINTS, Pose,
};
pub use model::{LoadOptions, ModelChoice, ModelError};
pub use preprocess::{Letterbox, Preprocessor};

/// When the whole frame shows a person but not both shoulders, the frame is looked at again
/// inside a square this many times its longer side, centred on it. MoveNet finds people who fill
/// part of its input; a webcam's head-and-shoulders framing puts the shoulder joints at the
/// frame's edge, where it loses them: on the frontal desk frames of `../shared/eval/people`, a
/// shoulder at the edge scored 0.13 on the whole frame and 0.71-0.83 with the frame at half size
/// in a square twice as wide (docs/ACCURACY.md).
pub const ZOOM_OUT_FACTOR: f32 = 2.0;

/// A frame the model could not turn into a pose.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PoseError {
    /// The image has no pixels.
    #[error("the image is empty ({width}x{height} pixels)")]
    EmptyImage {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// tract failed while running the model.
    #[error("the pose model failed on this frame: {reason}")]
    Inference {
        /// What tract said.
        reason: String,
    },
    /// The model ran but its output was not 17 finite keypoints.
    #[error("the pose model returned {len} values that are not 17 finite keypoints")]
    BadOutput {
        /// How many values came back.
        len: usize,
    },
}

/// Runs MoveNet, then the face mesh, on images. Load once, then call [`PoseEstimator::estimate`]
/// per frame; it keeps its input tensors and pre-processing buffers between calls.
pub struct PoseEstimator {
    model: ModelChoice,
    /// The prepared network's running state, kept between frames so its working buffers are
    /// reused rather than allocated for every frame.
    state: TypedSimpleState,
    preprocessor: Preprocessor,
    /// The model input, filled in place for every frame (shared with tract only during a run).
    input: Arc<Tensor>,
    /// The letterbox of the image last passed to [`PoseEstimator::prepare`].
    letterbox: Letterbox,
    /// The plan ends at the network's heads, decoded by [`postprocess::decode_heads`].
    heads: bool,
    /// The face mesh, run after MoveNet when the head is in view (`None`: MoveNet alone).
    face: Option<FaceReader>,
}

impl PoseEstimator {
    /// Reads, checks and optimises the chosen model (about 0.2 s for Lightning).
    pub fn load(model: &ModelChoice) -> Result<PoseEstimator, ModelError> {
        Self::load_with(model, LoadOptions::default())
    }

    /// Loads `model` with [`LoadOptions`] (another input size, or the graph's own decoding).
    pub fn load_with(model: &ModelChoice, options: LoadOptions) -> Result<PoseEstimator, ModelError> {
        let loaded = crate::memory::while_loading(|| model::load(model, options))?;
        // The face mesh is built in; should it fail to load, posture goes on from the body's
        // keypoints, as with a face that cannot be read.
        let face = if options.without_face {
            None
        } else {
            FaceReader::load()
                .map_err(|error| tracing::warn!("face mesh not loaded ({error}); faces are not read"))
                .ok()
        };
        let size = loaded.input_size;
        let input = Tensor::zero::<f32>(&[1, size, size, 3])
            .map_err(|error| ModelError::Unsupported { model: model.to_string(), reason: format!("{error:#}") })?;
        Ok(PoseEstimator {
            model: model.clone(),
            state: loaded
                .plan
                .spawn()
                .map_err(|error| ModelError::Unsupported { model: model.to_string(), reason: format!("{error:#}") })?,
            preprocessor: Preprocessor::new(size),
            input: Arc::new(input),
            letterbox: Letterbox::for_image(size as u32, size as u32),
            heads: loaded.heads,
            face,
        })
    }

    /// Whether the face mesh runs after MoveNet.
    pub fn reads_faces(&self) -> bool {
        self.face.is_some()
    }

    /// Which model this runs.
    pub fn model(&self) -> &ModelChoice {
        &self.model
    }

    /// Side of the model's square input, in pixels (192 for Lightning, 256 for Thunder).
    pub fn input_size(&self) -> usize {
        self.preprocessor.input_size()
    }

    /// Finds the keypoints of the person in `image`, in `image` pixels, and their face.
    /// Always returns 17 keypoints; use [`Pose::person_in_view`] to know whether anyone is there.
    ///
    /// When the person is found without both shoulders (they touch the frame's edge), the frame
    /// is looked at once more, zoomed out by [`ZOOM_OUT_FACTOR`], and the pose with more
    /// confident head-and-shoulder keypoints is kept. An empty scene costs one run, not two.
    pub fn estimate(&mut self, image: &RgbImage) -> Result<Pose, PoseError> {
        let pose = self.estimate_body(image)?;
        self.with_face(image, pose)
    }

    /// [`PoseEstimator::estimate`] without the face.
    fn estimate_body(&mut self, image: &RgbImage) -> Result<Pose, PoseError> {
        self.prepare(image)?;
        let whole = self.infer()?;
        if !whole.person_in_view() || whole.both_shoulders_confident() {
            return Ok(whole);
        }
        let (width, height) = image.dimensions();
        let frame = Letterbox::for_image(width, height);
        let side = frame.side * ZOOM_OUT_FACTOR;
        let zoomed_out =
            Letterbox { left: width as f32 / 2.0 - side / 2.0, top: height as f32 / 2.0 - side / 2.0, side };
        self.prepare_region(image, Some(zoomed_out))?;
        let wider = self.infer()?;
        Ok(if wider.confident_upper_body_count() > whole.confident_upper_body_count() { wider } else { whole })
    }

    /// Finds the keypoints of the person inside `region` (a square of `image` coordinates), in
    /// `image` pixels, and their face. Used to follow one person when others are in view.
    pub fn estimate_in(&mut self, image: &RgbImage, region: Letterbox) -> Result<Pose, PoseError> {
        let pose = self.estimate_body_in(image, region)?;
        self.with_face(image, pose)
    }

    fn estimate_body_in(&mut self, image: &RgbImage, region: Letterbox) -> Result<Pose, PoseError> {
        self.prepare_region(image, Some(region))?;
        self.infer()
    }

    /// `pose` with the face the mesh reads around its head, when a person is in view (the mesh
    /// is not run on an empty scene). A mesh that fails on a frame costs that frame its face,
    /// not its pose: posture then goes on from the body's keypoints.
    fn with_face(&mut self, image: &RgbImage, mut pose: Pose) -> Result<Pose, PoseError> {
        if let Some(reader) = self.face.as_mut()
            && pose.person_in_view()
        {
            pose.face = reader.read(image, &pose).unwrap_or_else(|error| {
                tracing::warn!("face mesh: {error}; this frame is judged on the body's keypoints alone");
                None
            });
        }
        Ok(pose)
    }

    /// Looks for the person inside `region` first and, if nobody is there (or there is no
    /// region), in the whole frame. With the calibrated person's region this follows them rather
    /// than whoever else is in view.
    pub fn estimate_preferring(&mut self, image: &RgbImage, region: Option<Letterbox>) -> Result<Pose, PoseError> {
        if let Some(region) = region {
            let pose = self.estimate_in(image, region)?;
            if pose.person_in_view() {
                return Ok(pose);
            }
        }
        self.estimate(image)
    }

    /// First half of [`PoseEstimator::estimate`]: letterbox `image` into the model input.
    /// Public so benchmarks can time pre-processing apart from inference.
    pub fn prepare(&mut self, image: &RgbImage) -> Result<(), PoseError> {
        self.prepare_region(image, None)
    }

    fn prepare_region(&mut self, image: &RgbImage, region: Option<Letterbox>) -> Result<(), PoseError> {
        let (width, height) = image.dimensions();
        if width == 0 || height == 0 {
            return Err(PoseError::EmptyImage { width, height });
        }
        // tract drops its reference to the input when a run ends, so this is the only one left.
        let tensor = Arc::make_mut(&mut self.input);
        let mut view = tensor
            .to_plain_array_view_mut::<f32>()
            .map_err(|error| PoseError::Inference { reason: format!("{error:#}") })?;
        let buffer = view
            .as_slice_mut()
            .ok_or_else(|| PoseError::Inference { reason: "model input is not contiguous".to_owned() })?;
        self.letterbox = match region {
            Some(region) if region.side >= 1.0 => self.preprocessor.fill_region(image, region, buffer),
            _ => self.preprocessor.fill(image, buffer),
        };
        Ok(())
    }

    /// Second half of [`PoseEstimator::estimate`]: run the model on the prepared input.
    pub fn infer(&mut self) -> Result<Pose, PoseError> {
        let outputs = self
            .state
            .run(tvec!(TValue::from_const(self.input.clone())))
            .map_err(|error| PoseError::Inference { reason: format!("{error:#}") })?;
        if self.heads {
            let slice = |index: usize| -> Result<&[f32], PoseError> {
                let view = outputs
                    .get(index)
                    .ok_or(PoseError::BadOutput { len: index })?
                    .to_plain_array_view::<f32>()
                    .map_err(|error| PoseError::Inference { reason: format!("{error:#}") })?;
                let len = view.len();
                // The tensors live as long as `outputs`; the view borrows them.
                view.to_slice().ok_or(PoseError::BadOutput { len })
            };
            let heads = postprocess::Heads {
                grid: self.input_size() / 4,
                center: slice(0)?,
                regression: slice(1)?,
                heatmaps: slice(2)?,
                offsets: slice(3)?,
            };
            let values = postprocess::decode_heads(&heads).ok_or(PoseError::BadOutput { len: 0 })?;
            return postprocess::decode(&values, &self.letterbox).ok_or(PoseError::BadOutput { len: values.len() });
        }
        let output = outputs
            .first()
            .ok_or(PoseError::BadOutput { len: 0 })?
            .to_plain_array_view::<f32>()
            .map_err(|error| PoseError::Inference { reason: format!("{error:#}") })?;
        let values = output.as_slice().ok_or(PoseError::BadOutput { len: output.len() })?;
        postprocess::decode(values, &self.letterbox).ok_or(PoseError::BadOutput { len: values.len() })
    }
}
