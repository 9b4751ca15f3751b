//! What one frame through [`super::step::Step`] decided, for the worker to hand to the sinks, and
//! how the step reaches the model ([`PoseFinder`]: the model in the app, scripted poses in tests).

use chrono::{DateTime, Utc};
use image::RgbImage;

use super::{Snapshot, SourceEvent};
use crate::alerts::AlertEvent;
use crate::history::Activity;
use crate::pose::{Letterbox, Pose, PoseError, PoseEstimator};
use crate::source::SourceError;

/// Finds a person's keypoints in a frame: the pose model in the app, scripted poses in tests.
pub trait PoseFinder {
    /// The pose in `image`, looking inside `region` (the calibrated person) first.
    fn find(&mut self, image: &RgbImage, region: Option<Letterbox>) -> Result<Pose, PoseError>;
}

impl PoseFinder for PoseEstimator {
    fn find(&mut self, image: &RgbImage, region: Option<Letterbox>) -> Result<Pose, PoseError> {
        self.estimate_preferring(image, region)
    }
}

/// What was done with a frame (counted in the run summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// Monitoring is paused: nothing looked at.
    Paused,
    /// The picture cannot be read (dark, blown out, blank): not judged.
    Unusable,
    /// Nothing moved: the last analysis still holds, the model did not run.
    Held,
    /// The model ran.
    Analysed,
    /// The model failed on the frame: it is skipped.
    Unreadable,
    /// Taken for a calibration: not judged.
    Calibrating,
}

/// Everything one frame decided, for the sinks.
#[derive(Debug)]
pub struct FrameOutcome {
    /// What was done with the frame.
    pub kind: FrameKind,
    /// What to show (`None` for a skipped frame); its `today` is the worker's to fill.
    pub snapshot: Option<Snapshot>,
    /// What the time from this frame to the next counts as (`None` for a skipped frame).
    pub activity: Option<Activity>,
    /// From the alert machine.
    pub alert_events: Vec<AlertEvent>,
    /// About the picture or the frame.
    pub source_events: Vec<SourceEvent>,
    /// Set when the source has sent one picture for [`super::picture::FROZEN_AFTER_S`]: reopen it.
    pub frozen: Option<SourceError>,
}

impl FrameOutcome {
    /// An outcome of `kind` with nothing to show, count or tell.
    pub(super) fn new(kind: FrameKind) -> FrameOutcome {
        FrameOutcome {
            kind,
            snapshot: None,
            activity: None,
            alert_events: Vec::new(),
            source_events: Vec::new(),
            frozen: None,
        }
    }
}

/// What an "I'm sitting fine" did.
#[derive(Debug, Clone, PartialEq)]
pub struct Disputed {
    /// When the warning it answered was shown.
    pub warned_at: DateTime<Utc>,
    /// The warning's problems.
    pub problems: Vec<crate::posture::Problem>,
    /// The problems whose limit widened a step.
    pub widened: Vec<crate::posture::Problem>,
    /// The setup it counted for, if named.
    pub setup: Option<String>,
}
