//! A cheap "did anything change?" check on a tiny grey thumbnail, so inference can be skipped
//! on frames that show the same scene as the last analysed one.

use image::RgbImage;

/// Thumbnail width, pixels: enough to see a head move, cheap to compare.
pub const THUMBNAIL_WIDTH: usize = 32;
/// Thumbnail height, pixels.
pub const THUMBNAIL_HEIGHT: usize = 24;
/// Mean absolute grey difference (0..255) below which a frame counts as unchanged. Webcam sensor
/// noise on a still scene averages out to well under 1 on a 32x24 thumbnail; a head turn or a
/// lean changes several grey levels.
pub const MOTION_MIN_MEAN_DIFF: f32 = 1.5;
/// Sample every this many source pixels in each direction when building the thumbnail.
const SAMPLE_STEP: usize = 2;

/// Grey thumbnail of `image`: the mean of sampled pixels in each cell.
pub fn thumbnail(image: &RgbImage) -> Vec<f32> {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let mut sums = vec![0.0f32; THUMBNAIL_WIDTH * THUMBNAIL_HEIGHT];
    let mut counts = vec![0u32; THUMBNAIL_WIDTH * THUMBNAIL_HEIGHT];
    if width == 0 || height == 0 {
        return sums;
    }
    let raw = image.as_raw();
    for y in (0..height).step_by(SAMPLE_STEP) {
        let cell_row = y * THUMBNAIL_HEIGHT / height * THUMBNAIL_WIDTH;
        for x in (0..width).step_by(SAMPLE_STEP) {
            let at = (y * width + x) * 3;
            let grey = 0.299 * raw[at] as f32 + 0.587 * raw[at + 1] as f32 + 0.114 * raw[at + 2] as f32;
            let cell = cell_row + x * THUMBNAIL_WIDTH / width;
            sums[cell] += grey;
            counts[cell] += 1;
        }
    }
    for (sum, count) in sums.iter_mut().zip(counts) {
        *sum /= count.max(1) as f32;
    }
    sums
}

/// Remembers the thumbnail of the last analysed frame.
#[derive(Debug, Default)]
pub struct MotionDetector {
    last: Option<Vec<f32>>,
}

impl MotionDetector {
    /// A detector that has seen nothing (the first frame always counts as changed).
    pub fn new() -> MotionDetector {
        MotionDetector::default()
    }

    /// Whether `image` differs from the last frame passed to [`MotionDetector::remember`].
    /// Returns the thumbnail to remember if the frame gets analysed.
    pub fn changed(&self, image: &RgbImage) -> (bool, Vec<f32>) {
        let current = thumbnail(image);
        let changed = match &self.last {
            Some(last) if last.len() == current.len() => {
                let total: f32 = last.iter().zip(&current).map(|(a, b)| (a - b).abs()).sum();
                total / current.len() as f32 >= MOTION_MIN_MEAN_DIFF
            }
            _ => true,
        };
        (changed, current)
    }

    /// Records the thumbnail of the frame that was analysed.
    pub fn remember(&mut self, thumbnail: Vec<f32>) {
        self.last = Some(thumbnail);
    }

    /// Forgets the last frame (the next one counts as changed).
    pub fn reset(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn same_and_slightly_noisy_frames_are_unchanged_a_moved_block_is_not() {
        let base = RgbImage::from_fn(320, 240, |x, y| Rgb([(x / 2) as u8, (y / 2) as u8, 90]));
        let mut detector = MotionDetector::new();
        let (changed, thumb) = detector.changed(&base);
        assert!(changed, "the first frame is always new");
        detector.remember(thumb);
        assert!(!detector.changed(&base).0);

        let noisy = RgbImage::from_fn(320, 240, |x, y| {
            let noise = ((x * 7 + y * 13) % 3) as u8;
            Rgb([(x / 2) as u8 + noise, (y / 2) as u8, 90])
        });
        assert!(!detector.changed(&noisy).0, "sensor-like noise is not motion");

        let mut moved = base.clone();
        for y in 60..180 {
            for x in 100..200 {
                moved.put_pixel(x, y, Rgb([250, 250, 250]));
            }
        }
        assert!(detector.changed(&moved).0);
        detector.reset();
        assert!(detector.changed(&base).0);
    }
}
