//! Replay of an image folder as if it were a camera: images in name order, with virtual
//! timestamps `1/fps` apart from a start time, delivered as fast as they can be decoded.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

use super::{Frame, FrameSource, SourceError};
use crate::images;

/// Replays the images of one folder.
#[derive(Debug, Clone)]
pub struct ReplaySource {
    folder: PathBuf,
    files: Vec<PathBuf>,
    next: usize,
    start: DateTime<Utc>,
    interval: TimeDelta,
    /// Virtual seconds per real second; `None` replays as fast as frames can be read.
    speed: Option<f64>,
}

impl ReplaySource {
    /// Lists the folder's images; frame `i` is stamped `start + i / fps`.
    pub fn open(folder: &Path, fps: f64, start: DateTime<Utc>) -> Result<ReplaySource, SourceError> {
        let files = images::images_in_folder(folder).map_err(|error| SourceError::Folder(error.to_string()))?;
        if files.is_empty() {
            return Err(SourceError::Folder(format!(
                "{}: folder holds no images (looked for {})",
                folder.display(),
                images::IMAGE_EXTENSIONS.join(", ")
            )));
        }
        let interval = TimeDelta::microseconds((1e6 / fps).round() as i64);
        Ok(ReplaySource { folder: folder.to_owned(), files, next: 0, start, interval, speed: None })
    }

    /// Plays at `speed` times real time (1.0: as recorded) instead of as fast as possible, for
    /// watching a replay in the window.
    pub fn with_speed(mut self, speed: f64) -> ReplaySource {
        self.speed = Some(speed).filter(|speed| speed.is_finite() && *speed > 0.0);
        self
    }

    /// Starts again from the first image (a stand-in camera plays its folder round and round).
    pub fn rewind(&mut self) {
        self.next = 0;
    }

    /// How many images the replay holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the replay holds no images (never true for an opened replay).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl FrameSource for ReplaySource {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        let Some(path) = self.files.get(self.next) else {
            return Ok(None);
        };
        let time = self.start + self.interval * self.next as i32;
        if let (Some(speed), true) = (self.speed, self.next > 0) {
            std::thread::sleep(self.interval.to_std().unwrap_or_default().div_f64(speed));
        }
        self.next += 1;
        let image = images::load_rgb(path).map_err(|error| SourceError::BadFrame { detail: error.to_string() })?;
        Ok(Some(Frame::new(image, time)))
    }

    fn is_live(&self) -> bool {
        false
    }

    fn describe(&self) -> String {
        format!("folder {} ({} images)", self.folder.display(), self.files.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    #[test]
    fn frames_come_in_name_order_with_virtual_time_and_bad_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        for (name, value) in [("b.png", 20u8), ("a.png", 10), ("d.png", 40)] {
            RgbImage::from_pixel(4, 3, Rgb([value; 3])).save(dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join("c.png"), b"broken").unwrap();
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut replay = ReplaySource::open(dir.path(), 2.0, start).unwrap();
        assert_eq!(replay.len(), 4);
        assert!(!replay.is_live());

        let a = replay.next_frame().unwrap().unwrap();
        assert_eq!((a.image.get_pixel(0, 0).0[0], a.time), (10, start));
        let b = replay.next_frame().unwrap().unwrap();
        assert_eq!((b.image.get_pixel(0, 0).0[0], b.time), (20, start + TimeDelta::milliseconds(500)));
        let c = replay.next_frame().unwrap_err();
        assert!(c.is_single_frame() && c.to_string().contains("c.png"), "{c}");
        let d = replay.next_frame().unwrap().unwrap();
        assert_eq!(d.time, start + TimeDelta::milliseconds(1500));
        assert!(replay.next_frame().unwrap().is_none());
    }

    #[test]
    fn an_empty_or_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let start = Utc::now();
        assert!(matches!(ReplaySource::open(dir.path(), 2.0, start), Err(SourceError::Folder(_))));
        assert!(matches!(ReplaySource::open(&dir.path().join("nope"), 2.0, start), Err(SourceError::Folder(_))));
    }
}
