//! Frame sources: where frames come from. The webcam ([`camera`]) and the replay of an image
//! folder ([`replay`]) implement the same [`FrameSource`] trait, so tests, benchmarks and people
//! with recorded frames drive exactly the engine the camera drives.
//!
//! An I/O edge: frames live in memory only and are never written anywhere.

pub mod camera;
pub mod guard;
pub mod in_use;
pub mod microphone;
pub mod replay;
pub mod stand_in;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use image::RgbImage;

/// One frame and when it was taken (real time for the camera, virtual time for a replay).
#[derive(Debug, Clone)]
pub struct Frame {
    /// The pixels.
    pub image: RgbImage,
    /// When the frame was taken.
    pub time: DateTime<Utc>,
    /// The driver's frame counter, where the source has one: a counter that does not advance
    /// means the same frame was handed out again.
    pub sequence: Option<u64>,
}

impl Frame {
    /// A frame without a driver's counter (a replay, a test).
    pub fn new(image: RgbImage, time: DateTime<Utc>) -> Frame {
        Frame { image, time, sequence: None }
    }
}

/// What to check when the system keeps the camera from us, in this platform's words.
#[cfg(windows)]
const CAMERA_ACCESS: &str =
    "that camera access is on for desktop apps (Windows Settings > Privacy & security > Camera)";
#[cfg(not(windows))]
const CAMERA_ACCESS: &str = "that your user may use it (e.g. is in the 'video' group)";
/// How to be let in when the system refuses the camera, in this platform's words.
#[cfg(windows)]
const CAMERA_PERMISSION: &str = "turn on camera access for desktop apps in Windows Settings > Privacy & security > \
                                 Camera, then slouchwatch will retry";
#[cfg(not(windows))]
const CAMERA_PERMISSION: &str = "add your user to the 'video' group (then log out and in), or, if you are logged \
                                 in over SSH or your session is not the active one on this computer's seat, run \
                                 slouchwatch from the desktop session in front of the camera";

/// Why a source gave no frame.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SourceError {
    /// No camera is connected (or none the system lets us see).
    #[error("no camera found: connect a webcam, and check {}", CAMERA_ACCESS)]
    NoCamera,
    /// The wanted camera is not among those present.
    #[error("camera '{wanted}' not found; cameras present: {available}")]
    CameraNotFound {
        /// What was asked for.
        wanted: String,
        /// What there is.
        available: String,
    },
    /// Another program holds the camera.
    #[error(
        "camera '{device}' is busy: another program (a video call?) is using it. Close it and slouchwatch will retry"
    )]
    CameraBusy {
        /// The camera.
        device: String,
    },
    /// Another program, known by name, is streaming from the camera (a video call): waited for.
    #[error("camera '{device}' is in use by {program}; slouchwatch starts watching when {program} lets go of it")]
    CameraInUseBy {
        /// The camera.
        device: String,
        /// The program holding it.
        program: String,
    },
    /// The camera could not be opened for another reason.
    #[error(
        "cannot open camera '{device}': {detail}. Check that it is connected and {}, or choose another camera",
        CAMERA_ACCESS
    )]
    CameraOpen {
        /// The camera.
        device: String,
        /// What the system said.
        detail: String,
    },
    /// The camera stopped delivering frames (unplugged, driver trouble).
    #[error("camera '{device}' stopped delivering frames ({detail}); retrying")]
    CameraLost {
        /// The camera.
        device: String,
        /// What the system said.
        detail: String,
    },
    /// The system does not let this user open the camera.
    #[error("not allowed to use camera '{device}': {}", CAMERA_PERMISSION)]
    CameraPermission {
        /// The camera.
        device: String,
    },
    /// The only camera nodes belong to an Intel IPU6/IPU7 image processor.
    #[error(
        "this computer's camera sits behind an Intel IPU6/IPU7 image processor, which only libcamera \
         (usually through PipeWire) can drive; slouchwatch reads V4L2 cameras only so far: use a USB webcam, \
         or a v4l2loopback bridge fed by libcamera"
    )]
    ImageProcessorCamera,
    /// No frame came for a while, and the camera did not say why.
    #[error("camera '{device}' sent no picture for {seconds} s and seems stalled; reopening it")]
    CameraStalled {
        /// The camera.
        device: String,
        /// For how long.
        seconds: u64,
    },
    /// The camera code failed unexpectedly (a bug, in slouchwatch or a library it uses).
    #[error("the camera code for '{device}' failed ({detail}); reopening the camera")]
    CameraCrashed {
        /// The camera.
        device: String,
        /// What failed.
        detail: String,
    },
    /// MJPEG frames kept being unreadable: the camera is reopened asking for uncompressed YUYV.
    #[error(
        "camera '{device}' sent {frames} MJPEG pictures in a row that could not be read (last: {last}); \
         reopening it in an uncompressed format (YUYV) instead"
    )]
    UnreadableMjpeg {
        /// The camera.
        device: String,
        /// How many in a row.
        frames: u32,
        /// Why the last one was unreadable.
        last: String,
    },
    /// The camera keeps sending the very same picture: its driver is stuck.
    #[error("the camera has sent the very same picture for {seconds} s and seems frozen; reopening it")]
    CameraFrozen {
        /// For how long.
        seconds: i64,
    },
    /// One frame could not be decoded (corrupt MJPEG, unreadable file); the next may be fine.
    #[error("skipped a frame: {detail}")]
    BadFrame {
        /// Which frame and why.
        detail: String,
    },
    /// The replay folder cannot be used at all.
    #[error("{0}")]
    Folder(String),
    /// The engine is stopping: a wait for the camera was given up.
    #[error("stopping")]
    Stopping,
}

impl SourceError {
    /// Whether only this frame is lost and the source goes on.
    pub fn is_single_frame(&self) -> bool {
        matches!(self, SourceError::BadFrame { .. })
    }

    /// Whether the camera may come back (busy, lost), so retrying makes sense.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            SourceError::CameraBusy { .. }
                | SourceError::CameraInUseBy { .. }
                | SourceError::CameraLost { .. }
                | SourceError::CameraFrozen { .. }
                | SourceError::CameraStalled { .. }
                | SourceError::CameraCrashed { .. }
                | SourceError::UnreadableMjpeg { .. }
                | SourceError::NoCamera
        )
    }

    /// What to do about it on the command line (the window says it in its own words, with its
    /// own Retry and Settings).
    pub fn command_line_hint(&self) -> Option<&'static str> {
        match self {
            SourceError::NoCamera => Some("pass --source PATH to replay a folder of images"),
            SourceError::CameraNotFound { .. } => Some("run `slouchwatch cameras` to list them"),
            SourceError::CameraOpen { .. } => Some("choose another with --source camera:INDEX"),
            _ => None,
        }
    }
}

/// Where frames come from. Not `Send`: a camera handle must stay on the thread that opened it,
/// so the engine builds its source on its own thread from a [`SourceFactory`].
pub trait FrameSource {
    /// The next frame; `Ok(None)` at the end of a finite source. A live source blocks until a
    /// frame arrives.
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError>;

    /// Whether frames arrive in real time (the engine then paces itself to the analysis rate)
    /// rather than as fast as they can be read (a replay with virtual time).
    fn is_live(&self) -> bool;

    /// Whether a picture that never changes means the source is stuck: true for a camera (a
    /// real sensor never sends two identical frames); a replay may repeat frames on purpose.
    fn can_freeze(&self) -> bool {
        self.is_live()
    }

    /// Tries to get going again after a retryable error (reopen the camera).
    fn reconnect(&mut self) -> Result<(), SourceError> {
        Ok(())
    }

    /// Closes the device until the next [`FrameSource::reconnect`]: the camera (and its light)
    /// is off while monitoring is paused. A replay has nothing to close.
    fn release(&mut self) {}

    /// A short description for messages ("camera 0: Integrated Webcam", "folder frames/").
    fn describe(&self) -> String;

    /// Hands the source the flag its engine sets when asked to stop: a source that waits for a
    /// device (the guarded camera) stops waiting then, with [`SourceError::Stopping`].
    fn stop_waiting_when(&mut self, _stopping: std::sync::Arc<std::sync::atomic::AtomicBool>) {}

    /// The device node the source reads (`/dev/video0`), once it has opened one: watched for
    /// other programs opening it (see [`in_use`]). A replay has none.
    fn device_node(&self) -> Option<PathBuf> {
        None
    }
}

/// Builds a source on the engine's thread.
pub type SourceFactory = Box<dyn FnOnce() -> Result<Box<dyn FrameSource>, SourceError> + Send>;

/// Which camera to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraSelector {
    /// The first camera.
    Default,
    /// By index, as listed by `slouchwatch cameras`.
    Index(u32),
    /// By (part of) its name, case-insensitive.
    Name(String),
}

impl fmt::Display for CameraSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CameraSelector::Default => f.write_str("default camera"),
            CameraSelector::Index(index) => write!(f, "camera {index}"),
            CameraSelector::Name(name) => write!(f, "camera '{name}'"),
        }
    }
}

/// The `--source` option: `camera`, `camera:INDEX`, `camera:NAME`, or a folder of images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// A webcam.
    Camera(CameraSelector),
    /// A folder of images replayed in name order.
    Folder(PathBuf),
}

impl Default for SourceSpec {
    fn default() -> Self {
        SourceSpec::Camera(CameraSelector::Default)
    }
}

impl SourceSpec {
    /// The source as setups remember their camera: `camera`, `camera:2`, `camera:NAME`, or the
    /// folder's path (a replay stands in for a camera).
    pub fn camera_key(&self) -> String {
        match self {
            SourceSpec::Camera(CameraSelector::Default) => "camera".to_owned(),
            SourceSpec::Camera(CameraSelector::Index(index)) => format!("camera:{index}"),
            SourceSpec::Camera(CameraSelector::Name(name)) => format!("camera:{name}"),
            SourceSpec::Folder(path) => path.display().to_string(),
        }
    }
}

impl FromStr for SourceSpec {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.strip_prefix("camera") {
            Some("") => SourceSpec::Camera(CameraSelector::Default),
            Some(rest) if rest.starts_with(':') => {
                let rest = &rest[1..];
                match rest.parse::<u32>() {
                    Ok(index) => SourceSpec::Camera(CameraSelector::Index(index)),
                    Err(_) => SourceSpec::Camera(CameraSelector::Name(rest.to_owned())),
                }
            }
            _ => SourceSpec::Folder(PathBuf::from(text)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_spec_parses_cameras_and_folders() {
        assert_eq!("camera".parse::<SourceSpec>().unwrap(), SourceSpec::Camera(CameraSelector::Default));
        assert_eq!("camera:2".parse::<SourceSpec>().unwrap(), SourceSpec::Camera(CameraSelector::Index(2)));
        assert_eq!(
            "camera:Logitech C920".parse::<SourceSpec>().unwrap(),
            SourceSpec::Camera(CameraSelector::Name("Logitech C920".into()))
        );
        assert_eq!("frames/day1".parse::<SourceSpec>().unwrap(), SourceSpec::Folder(PathBuf::from("frames/day1")));
        assert_eq!("cameras".parse::<SourceSpec>().unwrap(), SourceSpec::Folder(PathBuf::from("cameras")));
        for text in ["camera", "camera:2", "camera:Logitech C920", "frames/day1"] {
            assert_eq!(text.parse::<SourceSpec>().unwrap().camera_key(), text);
        }
    }

    #[test]
    fn only_camera_troubles_are_retryable() {
        assert!(SourceError::CameraBusy { device: "x".into() }.is_retryable());
        assert!(!SourceError::Folder("x".into()).is_retryable());
        assert!(SourceError::BadFrame { detail: "x".into() }.is_single_frame());
        let busy = SourceError::CameraBusy { device: "Integrated Webcam".into() }.to_string();
        assert!(busy.contains("another program"), "{busy}");
    }
}
