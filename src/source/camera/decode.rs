//! Raw camera frames to RGB (pure): MJPEG through [`crate::images::decode_jpeg`] (standard Huffman
//! tables filled in, frames cut short refused), YUYV and NV12 by the BT.601 converters here, raw
//! RGB/BGR and grey copied. Lines are read at the stride the driver reports, which can be longer
//! than the picture is wide. A damaged frame is an error for that one frame, never a panic.

use image::RgbImage;

use super::modes::PixelFormat;
use crate::images::huffman;

/// One frame as the driver delivered it.
#[derive(Debug, Clone, Copy)]
pub struct RawFrame<'a> {
    /// Its pixel format.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Bytes from one line to the next in the first plane (0: packed, no padding).
    pub stride: u32,
    /// The bytes the driver filled (its "bytes used", not the whole buffer).
    pub data: &'a [u8],
}

/// Why a frame could not be turned into a picture.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    /// Fewer bytes than the mode needs.
    #[error("{format} frame of {width}x{height} has {got} bytes, needs {needed}")]
    TooShort {
        /// The format.
        format: PixelFormat,
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Bytes there were.
        got: usize,
        /// Bytes needed.
        needed: usize,
    },
    /// An MJPEG frame without its end marker: cut short in transfer.
    #[error("MJPEG frame cut short ({bytes} bytes, no end-of-image marker)")]
    CutShort {
        /// Bytes there were.
        bytes: usize,
    },
    /// An MJPEG frame the decoder refused.
    #[error("corrupt MJPEG frame: {0}")]
    Corrupt(String),
    /// The driver marked the frame as damaged.
    #[error("the camera marked this frame as damaged")]
    FlaggedByDriver,
}

impl RawFrame<'_> {
    /// The line stride to use: the driver's, or the packed width when it gave none.
    fn stride(&self) -> usize {
        let packed = self.width as usize * self.format.bytes_per_pixel().unwrap_or(1) as usize;
        (self.stride as usize).max(packed)
    }

    fn check_length(&self, needed: usize) -> Result<(), FrameError> {
        if self.data.len() < needed {
            return Err(FrameError::TooShort {
                format: self.format,
                width: self.width,
                height: self.height,
                got: self.data.len(),
                needed,
            });
        }
        Ok(())
    }

    /// The picture.
    pub fn decode(&self) -> Result<RgbImage, FrameError> {
        let (width, height, data) = (self.width, self.height, self.data);
        let stride = self.stride();
        let lines = height as usize;
        match self.format {
            PixelFormat::Mjpeg => {
                if !huffman::ends_cleanly(data) {
                    return Err(FrameError::CutShort { bytes: data.len() });
                }
                crate::images::decode_jpeg(data).map_err(FrameError::Corrupt)
            }
            PixelFormat::Yuyv => {
                self.check_length(stride * lines.saturating_sub(1) + width as usize * 2)?;
                Ok(yuyv_to_rgb(width, height, stride, data))
            }
            PixelFormat::Nv12 => {
                let chroma_lines = lines.div_ceil(2);
                self.check_length(stride * lines + stride * chroma_lines.saturating_sub(1) + width as usize)?;
                Ok(nv12_to_rgb(width, height, stride, data))
            }
            PixelFormat::Rgb24 | PixelFormat::Bgr24 => {
                self.check_length(stride * lines.saturating_sub(1) + width as usize * 3)?;
                let blue_first = self.format == PixelFormat::Bgr24;
                Ok(RgbImage::from_fn(width, height, |x, y| {
                    let at = y as usize * stride + x as usize * 3;
                    let [a, b, c] = [data[at], data[at + 1], data[at + 2]];
                    image::Rgb(if blue_first { [c, b, a] } else { [a, b, c] })
                }))
            }
            PixelFormat::Grey => {
                self.check_length(stride * lines.saturating_sub(1) + width as usize)?;
                Ok(RgbImage::from_fn(width, height, |x, y| image::Rgb([data[y as usize * stride + x as usize]; 3])))
            }
        }
    }
}

/// BT.601 limited-range YUV to RGB, the encoding webcams use.
fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = 1.164 * (y as f32 - 16.0);
    let d = u as f32 - 128.0;
    let e = v as f32 - 128.0;
    let clamp = |value: f32| value.round().clamp(0.0, 255.0) as u8;
    [clamp(c + 1.596 * e), clamp(c - 0.392 * d - 0.813 * e), clamp(c + 2.017 * d)]
}

/// YUYV 4:2:2 (Y0 U Y1 V per two pixels) to RGB, lines `stride` bytes apart.
pub fn yuyv_to_rgb(width: u32, height: u32, stride: usize, data: &[u8]) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let pair = y as usize * stride + (x as usize & !1) * 2;
        let luma = data[pair + if x % 2 == 0 { 0 } else { 2 }];
        image::Rgb(yuv_to_rgb(luma, data[pair + 1], data[pair + 3]))
    })
}

/// NV12 (a Y plane, then interleaved U/V at half resolution) to RGB, lines `stride` bytes apart
/// in both planes.
pub fn nv12_to_rgb(width: u32, height: u32, stride: usize, data: &[u8]) -> RgbImage {
    let plane = stride * height as usize;
    RgbImage::from_fn(width, height, |x, y| {
        let (x, y) = (x as usize, y as usize);
        let chroma = plane + (y / 2) * stride + (x & !1);
        image::Rgb(yuv_to_rgb(data[y * stride + x], data[chroma], data[chroma + 1]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(format: PixelFormat, width: u32, height: u32, data: &[u8]) -> RawFrame<'_> {
        RawFrame { format, width, height, stride: 0, data }
    }

    #[test]
    fn yuyv_and_nv12_grey_and_colour_convert() {
        // Mid grey: Y=126, U=V=128 -> about 128.
        let grey = yuyv_to_rgb(2, 1, 4, &[126, 128, 126, 128]);
        for pixel in grey.pixels() {
            assert!(pixel.0.iter().all(|&c| (c as i32 - 128).abs() <= 1), "{pixel:?}");
        }
        // Pure red in BT.601: Y=81, U=90, V=240.
        let red = yuyv_to_rgb(2, 1, 4, &[81, 90, 81, 240]);
        let [r, g, b] = red.get_pixel(1, 0).0;
        assert!(r > 240 && g < 15 && b < 15, "{r} {g} {b}");
        let nv12 = nv12_to_rgb(2, 2, 2, &[81, 81, 81, 81, 90, 240]);
        assert_eq!(nv12.get_pixel(1, 1).0, red.get_pixel(0, 0).0);
    }

    #[test]
    fn lines_are_read_at_the_drivers_stride() {
        // Two lines of 2 YUYV pixels, each line padded to 8 bytes: red, then grey.
        let padded = [81, 90, 81, 240, 0xEE, 0xEE, 0xEE, 0xEE, 126, 128, 126, 128, 0xEE, 0xEE, 0xEE, 0xEE];
        let frame = RawFrame { format: PixelFormat::Yuyv, width: 2, height: 2, stride: 8, data: &padded };
        let picture = frame.decode().unwrap();
        assert!(picture.get_pixel(1, 0).0[0] > 240);
        assert!(picture.get_pixel(0, 1).0.iter().all(|&c| (c as i32 - 128).abs() <= 1));
        // Grey with padding: the padding is never read as a pixel.
        let grey =
            RawFrame { format: PixelFormat::Grey, width: 2, height: 2, stride: 4, data: &[10, 20, 99, 99, 30, 40] };
        assert_eq!(grey.decode().unwrap().as_raw(), &[10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40]);
        let bgr = RawFrame { format: PixelFormat::Bgr24, width: 1, height: 1, stride: 0, data: &[1, 2, 3] };
        assert_eq!(bgr.decode().unwrap().as_raw(), &[3, 2, 1]);
    }

    #[test]
    fn short_cut_and_corrupt_frames_are_errors_not_panics() {
        let short = raw(PixelFormat::Yuyv, 640, 480, &[0; 100]).decode().unwrap_err();
        assert!(short.to_string().contains("needs 614400"), "{short}");
        let nv12 = raw(PixelFormat::Nv12, 640, 480, &[0; 460_799]).decode().unwrap_err();
        assert!(matches!(nv12, FrameError::TooShort { needed: 460_800, .. }), "{nv12}");
        assert!(raw(PixelFormat::Rgb24, 2, 2, &[0; 5]).decode().is_err());
        assert!(matches!(
            raw(PixelFormat::Mjpeg, 640, 480, b"\xff\xd8\xff garbage\xff\xd9").decode(),
            Err(FrameError::Corrupt(_))
        ));
        let jpeg = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut-wide.jpg")).unwrap();
        let whole = raw(PixelFormat::Mjpeg, 0, 0, &jpeg).decode().unwrap();
        // A frame cut short, as a USB hiccup delivers (a decoder would fill the rest with grey):
        // refused, whatever its length.
        for cut in [jpeg.len() / 2, jpeg.len() - 2, jpeg.len() * 9 / 10] {
            let error = raw(PixelFormat::Mjpeg, 0, 0, &jpeg[..cut]).decode().unwrap_err();
            assert_eq!(error, FrameError::CutShort { bytes: cut });
        }
        // A frame without Huffman tables, as many UVC cameras send them: the same picture.
        let stripped = huffman::without_huffman_tables(&jpeg);
        assert_eq!(raw(PixelFormat::Mjpeg, 0, 0, &stripped).decode().unwrap(), whole);
    }
}
