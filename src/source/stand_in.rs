//! A replayed folder standing in for the camera at a device node: a testing aid, so the
//! camera's whole path (watched for other programs opening its node, given over, reopened, a
//! read stuck in the driver) runs on machines without a webcam. Set
//! [`CAMERA_NODE_VARIABLE`]`=PATH` and replay a folder: the folder plays round and round in real
//! time, and PATH is held open while "streaming", exactly as the camera's node would be.
//!
//! Opening PATH blocks when it is a named pipe nobody writes to: that is a camera stuck in its
//! driver, for the guard to turn into a stall.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::replay::ReplaySource;
use super::{Frame, FrameSource, SourceError};

/// The environment variable naming the device node a replay stands in for.
pub const CAMERA_NODE_VARIABLE: &str = "SLOUCHWATCH_CAMERA_NODE";

/// The node named by [`CAMERA_NODE_VARIABLE`], if set.
pub fn camera_node_from_env() -> Option<PathBuf> {
    std::env::var_os(CAMERA_NODE_VARIABLE).filter(|value| !value.is_empty()).map(PathBuf::from)
}

/// A replay that behaves as the camera at `node`.
pub struct StandInCamera {
    replay: ReplaySource,
    node: PathBuf,
    /// The node held open while "streaming" (closed when released).
    open: Option<File>,
}

impl StandInCamera {
    /// `replay` standing in for the camera at `node`; the node is opened at the first frame.
    pub fn new(replay: ReplaySource, node: &Path) -> StandInCamera {
        StandInCamera { replay, node: node.to_owned(), open: None }
    }

    fn open_node(&mut self) -> Result<(), SourceError> {
        let device = self.node.display().to_string();
        let file = File::open(&self.node).map_err(|error| match error.kind() {
            std::io::ErrorKind::PermissionDenied => SourceError::CameraPermission { device: device.clone() },
            _ => SourceError::CameraLost { device: device.clone(), detail: error.to_string() },
        })?;
        self.open = Some(file);
        Ok(())
    }
}

impl FrameSource for StandInCamera {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        if self.open.is_none() {
            self.open_node()?;
        }
        let frame = match self.replay.next_frame()? {
            Some(frame) => frame,
            None => {
                self.replay.rewind();
                match self.replay.next_frame()? {
                    Some(frame) => frame,
                    None => return Ok(None),
                }
            }
        };
        // Live time, as a camera stamps its frames.
        Ok(Some(Frame { time: Utc::now(), ..frame }))
    }

    fn is_live(&self) -> bool {
        true
    }

    /// A replay may repeat its pictures on purpose.
    fn can_freeze(&self) -> bool {
        false
    }

    fn reconnect(&mut self) -> Result<(), SourceError> {
        self.open = None;
        self.open_node()
    }

    fn release(&mut self) {
        self.open = None;
    }

    fn describe(&self) -> String {
        format!("camera {} (stand-in: {})", self.node.display(), self.replay.describe())
    }

    fn device_node(&self) -> Option<PathBuf> {
        Some(self.node.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    #[test]
    fn the_stand_in_holds_its_node_while_streaming_loops_and_lets_go_when_released() {
        let dir = tempfile::tempdir().unwrap();
        let frames = dir.path().join("frames");
        std::fs::create_dir(&frames).unwrap();
        RgbImage::from_pixel(4, 3, Rgb([9; 3])).save(frames.join("a.png")).unwrap();
        let node = dir.path().join("video9");
        std::fs::write(&node, b"").unwrap();
        let replay = ReplaySource::open(&frames, 5.0, Utc::now()).unwrap();
        let mut camera = StandInCamera::new(replay, &node);
        assert!(camera.is_live());
        assert_eq!(camera.device_node(), Some(node.clone()));
        let held = |camera: &StandInCamera| camera.open.is_some();
        for _ in 0..3 {
            assert!(camera.next_frame().unwrap().is_some(), "the one picture comes round again");
        }
        assert!(held(&camera));
        camera.release();
        assert!(!held(&camera));
        camera.reconnect().unwrap();
        assert!(held(&camera));
        std::fs::remove_file(&node).unwrap();
        assert!(matches!(camera.reconnect(), Err(SourceError::CameraLost { .. })), "an unplugged node");
    }
}
