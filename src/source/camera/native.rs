//! The camera on Windows and macOS, through nokhwa (Media Foundation, AVFoundation): capture
//! only; frames are decoded by [`super::decode`]. nokhwa chooses the mode closest to the one
//! asked for among the formats given. Not built on Linux, where [`super::v4l2`] is the backend.
//! Built for Windows and run there under Wine, which has no camera: what a camera says is read
//! by [`open_error`], tested on the words Media Foundation uses.

use std::path::PathBuf;

use chrono::Utc;
use nokhwa::Camera;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType, Resolution,
};

use super::ReadError;
use super::decode::RawFrame;
use super::modes::{Mode, PREFERRED_FPS, PREFERRED_HEIGHT, PREFERRED_WIDTH, PixelFormat, Preference};
use super::nodes::CameraListing;
use crate::source::{Frame, SourceError};

/// The cameras the system reports (nokhwa says nothing of formats before opening).
pub fn list_cameras() -> Vec<CameraListing> {
    let Ok(cameras) = nokhwa::query(ApiBackend::Auto) else {
        return Vec::new();
    };
    cameras
        .iter()
        .filter_map(|info| {
            let index = info.index().as_index().ok()?;
            Some(CameraListing {
                index,
                name: info.human_name(),
                device: PathBuf::new(),
                driver: info.description().to_owned(),
                formats: Vec::new(),
                infrared: false,
                image_processor: false,
                skipped: None,
            })
        })
        .collect()
}

fn pixel_format(format: FrameFormat) -> Option<PixelFormat> {
    Some(match format {
        FrameFormat::MJPEG => PixelFormat::Mjpeg,
        FrameFormat::YUYV => PixelFormat::Yuyv,
        FrameFormat::NV12 => PixelFormat::Nv12,
        FrameFormat::GRAY => PixelFormat::Grey,
        FrameFormat::RAWRGB => PixelFormat::Rgb24,
        FrameFormat::RAWBGR => PixelFormat::Bgr24,
    })
}

/// What Media Foundation says when another program holds the camera: "in use" words, or the
/// codes `ERROR_BUSY` (0x800700AA) and `MF_E_HW_MFT_FAILED_START_STREAMING` (0xC00D3704), as hex
/// or as the signed numbers nokhwa sometimes prints.
const BUSY_MARKS: [&str; 6] = ["busy", "in use", "0x800700aa", "-2147024726", "0xc00d3704", "-1072875772"];
/// What it says when the user's privacy settings keep desktop apps from the camera:
/// `E_ACCESSDENIED` (0x80070005).
const DENIED_MARKS: [&str; 3] = ["access is denied", "0x80070005", "-2147024891"];

/// nokhwa reports errors as text only: read as busy, refused or another failure (pure).
fn open_error(device: &str, detail: String) -> SourceError {
    let lower = detail.to_lowercase();
    if BUSY_MARKS.iter().any(|mark| lower.contains(mark)) {
        SourceError::CameraBusy { device: device.to_owned() }
    } else if DENIED_MARKS.iter().any(|mark| lower.contains(mark)) {
        SourceError::CameraPermission { device: device.to_owned() }
    } else {
        SourceError::CameraOpen { device: device.to_owned(), detail }
    }
}

/// An open, streaming camera.
pub struct OpenCamera {
    camera: Camera,
    mode: Mode,
}

impl OpenCamera {
    /// Opens `listing` in the mode nearest 640x480 MJPEG (YUYV first after unreadable MJPEG).
    pub fn open(listing: &CameraListing, preference: Preference) -> Result<OpenCamera, SourceError> {
        let name = format!("{}: {}", listing.index, listing.name);
        let formats = match preference {
            Preference::Usual => [FrameFormat::MJPEG, FrameFormat::YUYV, FrameFormat::NV12],
            Preference::AvoidMjpeg => [FrameFormat::YUYV, FrameFormat::NV12, FrameFormat::MJPEG],
        };
        let wanted = CameraFormat::new(Resolution::new(PREFERRED_WIDTH, PREFERRED_HEIGHT), formats[0], PREFERRED_FPS);
        let request = RequestedFormat::with_formats(RequestedFormatType::Closest(wanted), &formats);
        let mut camera = Camera::new(CameraIndex::Index(listing.index), request)
            .map_err(|error| open_error(&name, error.to_string()))?;
        camera.open_stream().map_err(|error| open_error(&name, error.to_string()))?;
        let format = camera.camera_format();
        let pixel = pixel_format(format.format()).unwrap_or(PixelFormat::Mjpeg);
        let mode = Mode {
            format: pixel,
            fourcc: pixel.fourcc(),
            width: format.width(),
            height: format.height(),
            interval: None,
        };
        tracing::info!(device = %name, mode = %mode, "camera opened");
        Ok(OpenCamera { camera, mode })
    }

    /// The mode in use.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The next frame, decoded.
    pub fn read(&mut self, device: &str) -> Result<Frame, ReadError> {
        let buffer = self.camera.frame().map_err(|error| {
            ReadError::Source(SourceError::CameraLost { device: device.to_owned(), detail: error.to_string() })
        })?;
        let time = Utc::now();
        let resolution = buffer.resolution();
        let format = pixel_format(buffer.source_frame_format()).unwrap_or(self.mode.format);
        let raw = RawFrame {
            format,
            width: resolution.width(),
            height: resolution.height(),
            stride: 0,
            data: buffer.buffer(),
        };
        let image = raw.decode().map_err(ReadError::Frame)?;
        Ok(Frame::new(image, time))
    }
}

impl Drop for OpenCamera {
    fn drop(&mut self) {
        // Stopping the stream first is the polite way; a camera that has gone away fails it.
        let _ = self.camera.stop_stream();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_foundations_words_become_busy_refused_or_a_plain_failure() {
        let busy = "Could not open device: Error: 0xC00D3704, The hardware MFT failed to start streaming";
        assert_eq!(open_error("0: Cam", busy.into()), SourceError::CameraBusy { device: "0: Cam".into() });
        assert_eq!(
            open_error("0: Cam", "HRESULT(-2147024726) The requested resource is in use.".into()),
            SourceError::CameraBusy { device: "0: Cam".into() }
        );
        let denied = open_error("0: Cam", "Failed to open: 0x80070005 Access is denied.".into());
        assert_eq!(denied, SourceError::CameraPermission { device: "0: Cam".into() });
        assert!(denied.to_string().contains("Privacy & security > Camera"), "{denied}");
        let other = open_error("0: Cam", "no such format".into());
        assert!(matches!(other, SourceError::CameraOpen { detail, .. } if detail == "no such format"));
    }
}
