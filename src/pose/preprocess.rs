//! Pre-processing: from a source image of any size to the model's square RGB input.
//!
//! Pure code: takes pixels, fills a caller-owned `f32` buffer, allocates only when the source
//! size changes.
//!
//! **Letterbox, not crop.** The image is scaled as a whole into the model square, keeping its
//! aspect ratio, and the leftover band is padded with black (value 0), centred, as
//! `tf.image.resize_with_pad` does in Google's MoveNet examples. A centred square crop would give
//! the model more pixels of the person, but it cuts off the shoulders of anyone who sits off to
//! one side of a wide webcam frame, and shoulders are half of what slouchwatch measures.
//!
//! **Area averaging.** Webcam frames are 3-10 times larger than the model input, so each model pixel
//! is the exact average of the source pixels under it (like OpenCV's `INTER_AREA` or PIL's `BOX`),
//! which does not alias the way 4-tap bilinear sampling does at those ratios. Padding counts as
//! black in the average, so the image edge blends into the band just as in a padded-then-resized
//! image.

/// The square of source-image coordinates that the model sees: the whole image, centred, with
/// padding on the short side. Maps model-normalised coordinates back to source pixels.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Letterbox {
    /// Source x of the square's left edge (negative when the image is taller than wide).
    pub left: f32,
    /// Source y of the square's top edge (negative when the image is wider than tall).
    pub top: f32,
    /// Side of the square, in source pixels: the longer image side.
    pub side: f32,
}

impl Letterbox {
    /// The letterbox square for an image of `width` x `height` pixels.
    ///
    /// ```
    /// use slouchwatch::pose::Letterbox;
    /// let wide = Letterbox::for_image(1920, 1080);
    /// assert_eq!((wide.left, wide.top, wide.side), (0.0, -420.0, 1920.0));
    /// ```
    pub fn for_image(width: u32, height: u32) -> Letterbox {
        let side = width.max(height) as f32;
        Letterbox { left: (width as f32 - side) / 2.0, top: (height as f32 - side) / 2.0, side }
    }

    /// Source pixel coordinates of a point given in model coordinates normalised to 0..1.
    ///
    /// ```
    /// use slouchwatch::pose::Letterbox;
    /// let wide = Letterbox::for_image(1920, 1080);
    /// // The centre of the model square is the centre of the image.
    /// assert_eq!(wide.to_source(0.5, 0.5), (960.0, 540.0));
    /// // The top of the model square lies in the padding above the image.
    /// assert_eq!(wide.to_source(0.0, 0.0), (0.0, -420.0));
    /// ```
    pub fn to_source(&self, normalised_x: f32, normalised_y: f32) -> (f32, f32) {
        (self.left + normalised_x * self.side, self.top + normalised_y * self.side)
    }

    /// Whether this square covers every pixel of a `width` x `height` frame: looking at it shows
    /// nothing the whole frame does not, at fewer pixels (the rest is padding).
    ///
    /// ```
    /// use slouchwatch::pose::Letterbox;
    /// assert!(Letterbox { left: -10.0, top: -50.0, side: 300.0 }.holds((224, 224)));
    /// assert!(!Letterbox { left: 10.0, top: -50.0, side: 300.0 }.holds((224, 224)));
    /// ```
    pub fn holds(&self, (width, height): (u32, u32)) -> bool {
        self.left <= 0.0
            && self.top <= 0.0
            && self.left + self.side >= width as f32
            && self.top + self.side >= height as f32
    }
}

/// Precomputed area-averaging weights along one axis: for each output pixel, the source pixels
/// it covers and the share of the output footprint each one fills.
#[derive(Debug, Clone, Default)]
struct AxisTaps {
    /// For output pixel `i`: first source index, and range into `weights`.
    spans: Vec<(usize, std::ops::Range<usize>)>,
    weights: Vec<f32>,
}

impl AxisTaps {
    /// Taps for `output_len` model pixels covering `[start, start + span)` of a source axis of
    /// `source_len` pixels. Parts of the footprint outside `0..source_len` are padding: they get no
    /// tap, so they count as zero while the weights still divide by the whole footprint.
    fn new(source_len: usize, start: f32, span: f32, output_len: usize) -> AxisTaps {
        let step = span / output_len as f32;
        let mut taps = AxisTaps::default();
        for i in 0..output_len {
            let from = (start + i as f32 * step).max(0.0);
            let to = (start + (i + 1) as f32 * step).min(source_len as f32);
            let first = from.floor() as usize;
            let weights_start = taps.weights.len();
            let mut pixel = first;
            while (pixel as f32) < to && pixel < source_len {
                let covered = (to.min(pixel as f32 + 1.0) - from.max(pixel as f32)).max(0.0);
                taps.weights.push(covered / step);
                pixel += 1;
            }
            taps.spans.push((first, weights_start..taps.weights.len()));
        }
        taps
    }
}

/// Turns RGB images into the model's `[S, S, 3]` input (raw 0..255 values, row-major, RGB).
/// Keeps its weights and scratch row between calls; they are rebuilt only when the image size
/// changes, which for a webcam is never after the first frame.
#[derive(Debug, Clone)]
pub struct Preprocessor {
    input_size: usize,
    /// The image size and region the taps were built for.
    cached_for: Option<(u32, u32, Letterbox)>,
    columns: AxisTaps,
    rows: AxisTaps,
    /// One vertically averaged source row (width x 3), reused for every output row.
    row_scratch: Vec<f32>,
}

impl Preprocessor {
    /// A pre-processor for a square model input of `input_size` pixels.
    pub fn new(input_size: usize) -> Preprocessor {
        Preprocessor {
            input_size,
            cached_for: None,
            columns: AxisTaps::default(),
            rows: AxisTaps::default(),
            row_scratch: Vec::new(),
        }
    }

    /// Side of the model input square, in pixels.
    pub fn input_size(&self) -> usize {
        self.input_size
    }

    /// Fills `out` (length `S*S*3`) with the letterboxed image and returns the letterbox used,
    /// which maps the model's normalised output coordinates back to `image` pixels.
    ///
    /// # Panics
    /// If `out` is not `S*S*3` long: that is a bug in the caller, which owns the buffer.
    pub fn fill(&mut self, image: &image::RgbImage, out: &mut [f32]) -> Letterbox {
        let (width, height) = image.dimensions();
        self.fill_region(image, Letterbox::for_image(width, height), out)
    }

    /// Like [`Preprocessor::fill`], but the model sees only `region`, a square of source
    /// coordinates (parts outside the image are black). Used to follow one person in a frame
    /// with several.
    pub fn fill_region(&mut self, image: &image::RgbImage, region: Letterbox, out: &mut [f32]) -> Letterbox {
        let size = self.input_size;
        assert_eq!(out.len(), size * size * 3, "model input buffer has the wrong length");
        let (width, height) = image.dimensions();
        if self.cached_for != Some((width, height, region)) {
            self.columns = AxisTaps::new(width as usize, region.left, region.side, size);
            self.rows = AxisTaps::new(height as usize, region.top, region.side, size);
            self.row_scratch = vec![0.0; width as usize * 3];
            self.cached_for = Some((width, height, region));
        }
        let letterbox = region;

        let source = image.as_raw();
        let stride = width as usize * 3;
        for (out_row, (first_row, row_weights)) in out.chunks_exact_mut(size * 3).zip(&self.rows.spans) {
            // Vertical pass: average the source rows under this output row.
            self.row_scratch.fill(0.0);
            for (k, &weight) in self.rows.weights[row_weights.clone()].iter().enumerate() {
                let row = &source[(first_row + k) * stride..(first_row + k + 1) * stride];
                for (acc, &value) in self.row_scratch.iter_mut().zip(row) {
                    *acc += weight * value as f32;
                }
            }
            // Horizontal pass: average the columns under each output pixel.
            for (out_pixel, (first_column, column_weights)) in out_row.chunks_exact_mut(3).zip(&self.columns.spans) {
                let mut rgb = [0.0f32; 3];
                for (k, &weight) in self.columns.weights[column_weights.clone()].iter().enumerate() {
                    let at = (first_column + k) * 3;
                    rgb[0] += weight * self.row_scratch[at];
                    rgb[1] += weight * self.row_scratch[at + 1];
                    rgb[2] += weight * self.row_scratch[at + 2];
                }
                out_pixel.copy_from_slice(&rgb);
            }
        }
        letterbox
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn fill(image: &RgbImage, size: usize) -> (Vec<f32>, Letterbox) {
        let mut pre = Preprocessor::new(size);
        let mut out = vec![-1.0; size * size * 3];
        let letterbox = pre.fill(image, &mut out);
        (out, letterbox)
    }

    fn pixel(out: &[f32], size: usize, x: usize, y: usize) -> [f32; 3] {
        let at = (y * size + x) * 3;
        [out[at], out[at + 1], out[at + 2]]
    }

    #[test]
    fn letterbox_of_wide_image_pads_top_and_bottom() {
        let letterbox = Letterbox::for_image(640, 480);
        assert_eq!(letterbox, Letterbox { left: 0.0, top: -80.0, side: 640.0 });
        assert_eq!(letterbox.to_source(1.0, 1.0), (640.0, 560.0));
        assert_eq!(letterbox.to_source(0.25, 0.125), (160.0, 0.0));
    }

    #[test]
    fn letterbox_of_tall_image_pads_left_and_right() {
        let letterbox = Letterbox::for_image(300, 500);
        assert_eq!(letterbox, Letterbox { left: -100.0, top: 0.0, side: 500.0 });
        assert_eq!(letterbox.to_source(0.2, 0.5), (0.0, 250.0));
        assert_eq!(letterbox.to_source(0.8, 1.0), (300.0, 500.0));
    }

    #[test]
    fn square_image_has_no_padding() {
        let letterbox = Letterbox::for_image(512, 512);
        assert_eq!(letterbox, Letterbox { left: 0.0, top: 0.0, side: 512.0 });
    }

    #[test]
    fn uniform_square_image_stays_uniform() {
        let image = RgbImage::from_pixel(400, 400, Rgb([10, 120, 250]));
        let (out, _) = fill(&image, 8);
        for y in 0..8 {
            for x in 0..8 {
                let [r, g, b] = pixel(&out, 8, x, y);
                assert!((r - 10.0).abs() < 1e-3 && (g - 120.0).abs() < 1e-3 && (b - 250.0).abs() < 1e-3);
            }
        }
    }

    #[test]
    fn wide_image_is_centred_between_black_bands() {
        // 16x8 white image into 8x8: rows 0-1 and 6-7 are padding, rows 2-5 are image.
        let image = RgbImage::from_pixel(16, 8, Rgb([200, 200, 200]));
        let (out, letterbox) = fill(&image, 8);
        assert_eq!(letterbox.top, -4.0);
        for x in 0..8 {
            assert_eq!(pixel(&out, 8, x, 0), [0.0; 3]);
            assert_eq!(pixel(&out, 8, x, 1), [0.0; 3]);
            assert_eq!(pixel(&out, 8, x, 2), [200.0; 3]);
            assert_eq!(pixel(&out, 8, x, 5), [200.0; 3]);
            assert_eq!(pixel(&out, 8, x, 6), [0.0; 3]);
        }
    }

    #[test]
    fn tall_image_is_centred_between_black_bands() {
        let image = RgbImage::from_pixel(6, 12, Rgb([90, 90, 90]));
        let (out, letterbox) = fill(&image, 4);
        assert_eq!(letterbox.left, -3.0);
        for y in 0..4 {
            assert_eq!(pixel(&out, 4, 0, y), [0.0; 3]);
            assert_eq!(pixel(&out, 4, 1, y), [90.0; 3]);
            assert_eq!(pixel(&out, 4, 2, y), [90.0; 3]);
            assert_eq!(pixel(&out, 4, 3, y), [0.0; 3]);
        }
    }

    #[test]
    fn partial_padding_blends_into_the_edge_pixel() {
        // 3 rows into 2 output rows over a side of 3: footprint 1.5 rows each. The letterbox has
        // no vertical padding (square), so check the half-pixel split instead.
        let mut image = RgbImage::new(3, 3);
        for x in 0..3 {
            image.put_pixel(x, 0, Rgb([0, 0, 0]));
            image.put_pixel(x, 1, Rgb([60, 60, 60]));
            image.put_pixel(x, 2, Rgb([120, 120, 120]));
        }
        let (out, _) = fill(&image, 2);
        // Row 0 covers source rows 0 (weight 1) and half of 1: (0 + 0.5*60) / 1.5 = 20.
        assert!((pixel(&out, 2, 0, 0)[0] - 20.0).abs() < 1e-4);
        // Row 1 covers half of row 1 and all of row 2: (30 + 120) / 1.5 = 100.
        assert!((pixel(&out, 2, 1, 1)[0] - 100.0).abs() < 1e-4);
    }

    #[test]
    fn area_average_keeps_mean_brightness_of_a_pattern() {
        // A fine checkerboard averages to its mean grey instead of aliasing to black or white.
        let image =
            RgbImage::from_fn(640, 640, |x, y| if (x + y) % 2 == 0 { Rgb([255, 255, 255]) } else { Rgb([0, 0, 0]) });
        let (out, _) = fill(&image, 192);
        let mean = out.iter().sum::<f32>() / out.len() as f32;
        assert!((mean - 127.5).abs() < 0.5, "mean {mean}");
        let spread = out.iter().fold(0.0f32, |worst, &v| worst.max((v - 127.5).abs()));
        assert!(spread < 10.0, "largest deviation from grey {spread}");
    }

    #[test]
    fn upscaling_a_small_image_copies_its_pixels() {
        // 2x2 image into 4x4: each source pixel fills a 2x2 block.
        let mut image = RgbImage::new(2, 2);
        image.put_pixel(0, 0, Rgb([10, 0, 0]));
        image.put_pixel(1, 0, Rgb([20, 0, 0]));
        image.put_pixel(0, 1, Rgb([30, 0, 0]));
        image.put_pixel(1, 1, Rgb([40, 0, 0]));
        let (out, _) = fill(&image, 4);
        assert_eq!(pixel(&out, 4, 0, 0)[0], 10.0);
        assert_eq!(pixel(&out, 4, 1, 1)[0], 10.0);
        assert_eq!(pixel(&out, 4, 3, 0)[0], 20.0);
        assert_eq!(pixel(&out, 4, 0, 3)[0], 30.0);
        assert_eq!(pixel(&out, 4, 3, 3)[0], 40.0);
    }

    #[test]
    fn a_bright_spot_lands_where_the_letterbox_says() {
        // One white pixel in a dark wide frame: the brightest model pixel maps back near it.
        let (width, height) = (320u32, 180u32);
        let spot = (250u32, 40u32);
        let mut image = RgbImage::new(width, height);
        image.put_pixel(spot.0, spot.1, Rgb([255, 255, 255]));
        let size = 64;
        let (out, letterbox) = fill(&image, size);
        let brightest = (0..size * size).max_by(|&a, &b| out[a * 3].total_cmp(&out[b * 3])).unwrap();
        let (mx, my) = ((brightest % size) as f32 + 0.5, (brightest / size) as f32 + 0.5);
        let (sx, sy) = letterbox.to_source(mx / size as f32, my / size as f32);
        let pixel_side = letterbox.side / size as f32;
        assert!((sx - (spot.0 as f32 + 0.5)).abs() <= pixel_side, "x {sx}");
        assert!((sy - (spot.1 as f32 + 0.5)).abs() <= pixel_side, "y {sy}");
    }

    #[test]
    fn a_region_shows_only_that_part_of_the_image() {
        // Left half dark, right half bright; a region over the right half sees only bright.
        let image = RgbImage::from_fn(200, 100, |x, _| if x < 100 { Rgb([10, 10, 10]) } else { Rgb([240, 240, 240]) });
        let mut pre = Preprocessor::new(10);
        let mut out = vec![0.0; 10 * 10 * 3];
        let region = Letterbox { left: 100.0, top: 0.0, side: 100.0 };
        assert_eq!(pre.fill_region(&image, region, &mut out), region);
        assert!(out.iter().all(|&v| (v - 240.0).abs() < 1e-3));
        // A region reaching past the image edge is padded with black there.
        let past_edge = Letterbox { left: 150.0, top: 0.0, side: 100.0 };
        pre.fill_region(&image, past_edge, &mut out);
        assert_eq!(pixel(&out, 10, 0, 5), [240.0; 3]);
        assert_eq!(pixel(&out, 10, 9, 5), [0.0; 3]);
    }

    #[test]
    fn buffers_are_rebuilt_when_the_size_changes() {
        let mut pre = Preprocessor::new(4);
        let mut out = vec![0.0; 4 * 4 * 3];
        pre.fill(&RgbImage::from_pixel(8, 4, Rgb([100, 100, 100])), &mut out);
        assert_eq!(pixel(&out, 4, 0, 0), [0.0; 3]);
        let letterbox = pre.fill(&RgbImage::from_pixel(4, 8, Rgb([50, 50, 50])), &mut out);
        assert_eq!(letterbox.left, -2.0);
        assert_eq!(pixel(&out, 4, 0, 0), [0.0; 3]);
        assert_eq!(pixel(&out, 4, 1, 0), [50.0; 3]);
    }
}
