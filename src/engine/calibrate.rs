//! Calibrating from frames in memory: the few seconds of frames a calibration is taken from,
//! and turning them into a [`Calibration`] with the pose model. The engine does this when the
//! window's wizard asks (`EngineCommand::Calibrate`), with the model it already runs, so the
//! window loads none; `slouchwatch calibrate` uses the same constants and the same function.
//! Frames are held in memory only, and dropped once measured.

use chrono::{DateTime, TimeDelta, Utc};
use image::RgbImage;

use crate::pose::{Pose, PoseError, PoseEstimator};
use crate::posture::{self, Calibration, CalibrationError, PlacementSetting};

/// Frames a calibration is taken from.
pub const CALIBRATION_FRAMES: usize = 10;
/// Least time between two calibration frames, milliseconds: ten frames span five seconds, long
/// enough to average out keypoint jitter, short enough to hold still for.
pub const CALIBRATION_INTERVAL_MS: i64 = 500;
/// Seconds of countdown before the capture, to sit back and settle.
pub const CALIBRATION_COUNTDOWN_S: u64 = 3;
/// Seconds without a new calibration frame after which the wizard gives up and says why (ten
/// frames take five seconds; a working camera never pauses this long).
pub const CALIBRATION_STALL_S: u64 = 5;

/// Why frames could not be turned into a calibration.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CalibrateError {
    /// No frame was captured.
    #[error("no frames were captured: check that the camera shows you, then calibrate again")]
    NoFrames,
    /// No frame came for a while (the camera stopped, or shows nothing readable).
    #[error(
        "no usable camera picture came for {seconds} s: check that the camera is connected, that no other \
         program uses it and that it shows you in good light, then try again"
    )]
    Stalled {
        /// How long the wizard waited.
        seconds: u64,
    },
    /// The camera was lost while the frames were being taken.
    #[error("the camera stopped while calibrating ({detail}): reconnect it, then try again")]
    CameraLost {
        /// What the camera said.
        detail: String,
    },
    /// The model failed.
    #[error(transparent)]
    Pose(#[from] PoseError),
    /// The frames did not show a person clearly or steadily enough.
    #[error(transparent)]
    Calibration(#[from] CalibrationError),
}

/// Calibrates from frames in memory (all of one size, at least one), in two passes: the whole
/// frames find where the person sits, then the frames are analysed again within
/// [`Calibration::person_region`], exactly as monitoring will look at them, so that calibration
/// and monitoring see the same keypoints. When monitoring will look at the whole frame
/// ([`Calibration::looks_at_whole_frame`]), the first pass is that view and is kept.
pub fn calibrate_frames(
    estimator: &mut PoseEstimator,
    frames: &[RgbImage],
    placement: PlacementSetting,
) -> Result<Calibration, CalibrateError> {
    let size = frames.first().map(|first| first.dimensions()).ok_or(CalibrateError::NoFrames)?;
    let whole: Vec<Pose> = frames.iter().map(|frame| estimator.estimate(frame)).collect::<Result<_, _>>()?;
    let first_pass = posture::calibrate(&whole, size, placement)?;
    // Monitoring will look at the whole frame too: the first pass is already that view.
    if first_pass.looks_at_whole_frame(size) {
        return Ok(first_pass);
    }
    let region = first_pass.person_region();
    let placement = PlacementSetting::from(first_pass.placement);
    let mut in_region: Vec<Pose> =
        frames.iter().map(|frame| estimator.estimate_in(frame, region)).collect::<Result<_, _>>()?;
    if region.holds(size) {
        // The face was not read on the whole frame, so monitoring keeps to the region, and a face
        // read there would make the calibration ask for the whole frame: without it, its
        // measures are the body's alone, as before the face mesh.
        for pose in &mut in_region {
            pose.face = None;
        }
    }
    Ok(match posture::calibrate(&in_region, size, placement) {
        Ok(calibration) => Calibration { region: Some(region), ..calibration },
        Err(_) => first_pass,
    })
}

/// Frames being collected for a calibration: one every [`CALIBRATION_INTERVAL_MS`] at most,
/// until [`CALIBRATION_FRAMES`].
#[derive(Debug)]
pub struct Capture {
    /// Where the camera is, as the person set it.
    pub placement: PlacementSetting,
    frames: Vec<RgbImage>,
    last: Option<DateTime<Utc>>,
}

impl Capture {
    /// An empty capture.
    pub fn new(placement: PlacementSetting) -> Capture {
        Capture { placement, frames: Vec::with_capacity(CALIBRATION_FRAMES), last: None }
    }

    /// Takes the frame if it is due; true when it was taken.
    pub fn offer(&mut self, time: DateTime<Utc>, image: &RgbImage) -> bool {
        let due = self.last.is_none_or(|last| time - last >= TimeDelta::milliseconds(CALIBRATION_INTERVAL_MS));
        let fits = self.frames.first().is_none_or(|first| first.dimensions() == image.dimensions());
        if !due || !fits || self.is_full() {
            return false;
        }
        self.frames.push(image.clone());
        self.last = Some(time);
        true
    }

    /// Frames so far.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether no frame was taken yet.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Whether all frames are in.
    pub fn is_full(&self) -> bool {
        self.frames.len() >= CALIBRATION_FRAMES
    }

    /// The frames, for measuring.
    pub fn into_frames(self) -> Vec<RgbImage> {
        self.frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::milliseconds(millis)
    }

    #[test]
    fn a_capture_takes_frames_at_most_every_interval_until_full() {
        let mut capture = Capture::new(PlacementSetting::Auto);
        let image = RgbImage::new(8, 6);
        let mut taken = 0;
        // Frames every 100 ms: one in five is taken.
        for step in 0..100 {
            if capture.offer(at(step * 100), &image) {
                taken += 1;
            }
        }
        assert_eq!(taken, CALIBRATION_FRAMES);
        assert!(capture.is_full());
        assert!(!capture.offer(at(100_000), &image), "a full capture takes no more");
        assert!(!capture.offer(at(0), &RgbImage::new(4, 4)), "never frames of another size");
        assert_eq!(capture.into_frames().len(), CALIBRATION_FRAMES);
    }

    #[test]
    fn no_frames_is_an_error_that_says_what_to_do() {
        let mut estimator = PoseEstimator::load(&crate::pose::ModelChoice::Lightning).unwrap();
        let error = calibrate_frames(&mut estimator, &[], PlacementSetting::Auto).unwrap_err();
        assert!(matches!(error, CalibrateError::NoFrames));
        assert!(error.to_string().contains("calibrate again"));
    }
}
