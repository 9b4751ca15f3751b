//! Choosing a capture mode (pure): from what a camera offers (pixel formats, frame sizes, frame
//! intervals, as V4L2 enumerates them), the mode slouchwatch asks for.
//!
//! The order, best first: MJPEG near 640x480 (small to move over USB, cheap to decode, enough for
//! the pose model's 192-256 px input with room to crop), then YUYV near 640x480, then either at any
//! size up to 1280x720, then NV12, then anything larger, then raw RGB or grey. After a run of MJPEG
//! frames that cannot be read, [`Preference::AvoidMjpeg`] puts MJPEG last. The frame rate asked
//! for is the lowest one of at least [`PREFERRED_FPS`]: analysis reads two frames a second, and a
//! low rate keeps the frame read fresh. Rates are fractions (a camera left at 7.5 fps is fine).

use std::fmt;

/// Width of the mode aimed for.
pub const PREFERRED_WIDTH: u32 = 640;
/// Height of the mode aimed for.
pub const PREFERRED_HEIGHT: u32 = 480;
/// Lowest frame rate asked for: the lowest rate UVC webcams commonly offer at 640x480, and more
/// than twice the analysis rate.
pub const PREFERRED_FPS: u32 = 5;
/// Sizes from a quarter of 640x480 (320x240) to 2.25 times it (960x720) count as "near".
const NEAR_AREA_RATIO: (f64, f64) = (0.25, 2.25);
/// The largest size taken before formats further down the order: 1280x720 decodes in a few
/// milliseconds; larger frames cost more than they give the model.
const LARGEST_EASY: (u32, u32) = (1280, 720);

/// A pixel format slouchwatch can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    /// Motion JPEG (fourcc MJPG, or JPEG on some cameras).
    Mjpeg,
    /// YUV 4:2:2 packed as Y0 U Y1 V.
    Yuyv,
    /// YUV 4:2:0: a Y plane, then interleaved U/V.
    Nv12,
    /// 8-bit grey (IR cameras).
    Grey,
    /// 24-bit RGB.
    Rgb24,
    /// 24-bit BGR.
    Bgr24,
}

impl PixelFormat {
    /// The format of a V4L2 fourcc, `None` for one slouchwatch does not decode (H264, NV21, ...).
    pub fn from_fourcc(fourcc: [u8; 4]) -> Option<PixelFormat> {
        Some(match &fourcc {
            b"MJPG" | b"JPEG" => PixelFormat::Mjpeg,
            b"YUYV" => PixelFormat::Yuyv,
            b"NV12" => PixelFormat::Nv12,
            b"GREY" => PixelFormat::Grey,
            b"RGB3" => PixelFormat::Rgb24,
            b"BGR3" => PixelFormat::Bgr24,
            _ => return None,
        })
    }

    /// Its V4L2 fourcc.
    pub fn fourcc(self) -> [u8; 4] {
        *match self {
            PixelFormat::Mjpeg => b"MJPG",
            PixelFormat::Yuyv => b"YUYV",
            PixelFormat::Nv12 => b"NV12",
            PixelFormat::Grey => b"GREY",
            PixelFormat::Rgb24 => b"RGB3",
            PixelFormat::Bgr24 => b"BGR3",
        }
    }

    /// Bytes per pixel in a line of an uncompressed format's first plane (`None` for MJPEG).
    pub fn bytes_per_pixel(self) -> Option<u32> {
        match self {
            PixelFormat::Mjpeg => None,
            PixelFormat::Yuyv => Some(2),
            PixelFormat::Nv12 | PixelFormat::Grey => Some(1),
            PixelFormat::Rgb24 | PixelFormat::Bgr24 => Some(3),
        }
    }
}

impl fmt::Display for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(std::str::from_utf8(&self.fourcc()).unwrap_or("?"))
    }
}

/// A frame interval in seconds, as a fraction (1/30 for 30 fps, 2/15 for 7.5 fps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// Numerator.
    pub numerator: u32,
    /// Denominator.
    pub denominator: u32,
}

impl Interval {
    /// `numerator / denominator` seconds.
    pub const fn new(numerator: u32, denominator: u32) -> Interval {
        Interval { numerator, denominator }
    }

    /// Frames per second (0 for a malformed interval).
    pub fn fps(self) -> f64 {
        if self.numerator == 0 { 0.0 } else { f64::from(self.denominator) / f64::from(self.numerator) }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fps = self.fps();
        if (fps - fps.round()).abs() < 0.01 { write!(f, "{fps:.0} fps") } else { write!(f, "{fps:.2} fps") }
    }
}

/// The frame intervals offered at one size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intervals {
    /// A list.
    Discrete(Vec<Interval>),
    /// Any interval from `min` to `max` (in steps, or continuous).
    Range {
        /// Shortest interval (fastest rate).
        min: Interval,
        /// Longest interval (slowest rate).
        max: Interval,
    },
    /// The driver did not say (some capture cards): the driver's own rate is taken.
    Unknown,
}

/// The frame sizes offered in one format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sizes {
    /// A list of sizes, each with its intervals.
    Discrete(Vec<(u32, u32, Intervals)>),
    /// Any size in a range, by steps (a step of 0 is taken as 1). Intervals are asked for at the
    /// size chosen.
    Stepwise {
        /// Smallest width and height.
        min: (u32, u32),
        /// Largest width and height.
        max: (u32, u32),
        /// Width and height steps.
        step: (u32, u32),
    },
}

/// One format a camera offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatOffer {
    /// The fourcc, as the driver gives it (also those slouchwatch cannot decode).
    pub fourcc: [u8; 4],
    /// The sizes in it.
    pub sizes: Sizes,
}

impl FormatOffer {
    /// The format, if slouchwatch decodes it.
    pub fn format(&self) -> Option<PixelFormat> {
        PixelFormat::from_fourcc(self.fourcc)
    }

    /// The fourcc as text ("MJPG", "H264").
    pub fn fourcc_text(&self) -> String {
        String::from_utf8_lossy(&self.fourcc).trim_end_matches(['\0', ' ']).to_owned()
    }
}

/// What to prefer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preference {
    /// The usual order.
    #[default]
    Usual,
    /// MJPEG last: this camera's MJPEG frames could not be read.
    AvoidMjpeg,
}

/// The mode to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// Pixel format.
    pub format: PixelFormat,
    /// The fourcc the camera named it by (MJPEG is "MJPG" on most cameras, "JPEG" on some).
    pub fourcc: [u8; 4],
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frame interval, `None` to keep the driver's.
    pub interval: Option<Interval>,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}x{}", self.format, self.width, self.height)?;
        match self.interval {
            Some(interval) => write!(f, " at {interval}"),
            None => Ok(()),
        }
    }
}

/// The mode to ask for among `offers`, `None` when no offered format can be decoded.
/// `intervals_at` gives the intervals of a size picked from a stepwise range (the driver is asked).
pub fn choose_mode(
    offers: &[FormatOffer],
    preference: Preference,
    intervals_at: &mut dyn FnMut(PixelFormat, u32, u32) -> Intervals,
) -> Option<Mode> {
    // The best so far: its rank, the mode without its rate, the intervals listed for it.
    let mut best: Option<((u8, u64), Mode, Option<&Intervals>)> = None;
    for offer in offers {
        let Some(format) = offer.format() else { continue };
        for (width, height, intervals) in candidate_sizes(&offer.sizes) {
            if width == 0 || height == 0 {
                continue;
            }
            let rank = (tier(format, width, height, preference), distance(width, height));
            // Ties go to the format the driver lists first.
            if best.as_ref().is_none_or(|(best_rank, ..)| rank < *best_rank) {
                let mode = Mode { format, fourcc: offer.fourcc, width, height, interval: None };
                best = Some((rank, mode, intervals));
            }
        }
    }
    let (_, mode, intervals) = best?;
    let intervals = match intervals {
        Some(intervals) => intervals.clone(),
        None => intervals_at(mode.format, mode.width, mode.height),
    };
    Some(Mode { interval: choose_interval(&intervals), ..mode })
}

/// The sizes worth looking at: every listed one, or from a stepwise range the sizes nearest
/// 640x480 and 1280x720 and the range's ends (intervals to be asked for).
fn candidate_sizes(sizes: &Sizes) -> Vec<(u32, u32, Option<&Intervals>)> {
    match sizes {
        Sizes::Discrete(list) => {
            list.iter().map(|(width, height, intervals)| (*width, *height, Some(intervals))).collect()
        }
        Sizes::Stepwise { min, max, step } => {
            let snap = |wanted: u32, low: u32, high: u32, step: u32| {
                let step = step.max(1);
                let high = high.max(low);
                let clamped = wanted.clamp(low, high);
                (low + (clamped - low) / step * step).min(high)
            };
            [(PREFERRED_WIDTH, PREFERRED_HEIGHT), LARGEST_EASY, *min, *max]
                .into_iter()
                .map(|(width, height)| (snap(width, min.0, max.0, step.0), snap(height, min.1, max.1, step.1), None))
                .collect()
        }
    }
}

/// The place of a format at a size in the order (lower is better).
fn tier(format: PixelFormat, width: u32, height: u32, preference: Preference) -> u8 {
    let ratio = f64::from(width) * f64::from(height) / f64::from(PREFERRED_WIDTH * PREFERRED_HEIGHT);
    let near = (NEAR_AREA_RATIO.0..=NEAR_AREA_RATIO.1).contains(&ratio);
    let easy = width <= LARGEST_EASY.0 && height <= LARGEST_EASY.1;
    let avoid_mjpeg = preference == Preference::AvoidMjpeg;
    match format {
        PixelFormat::Mjpeg if avoid_mjpeg => 10 + u8::from(!easy),
        PixelFormat::Mjpeg if near => 0,
        PixelFormat::Yuyv if near => 1,
        PixelFormat::Mjpeg | PixelFormat::Yuyv if easy => 2,
        PixelFormat::Nv12 if easy => 3 + u8::from(!near),
        PixelFormat::Mjpeg | PixelFormat::Yuyv | PixelFormat::Nv12 => 5,
        PixelFormat::Rgb24 | PixelFormat::Bgr24 => 6 + u8::from(!easy),
        PixelFormat::Grey => 8 + u8::from(!easy),
    }
}

/// How far a size is from 640x480 (area ratio, symmetric in log), for ordering within a tier.
fn distance(width: u32, height: u32) -> u64 {
    let ratio = f64::from(width) * f64::from(height) / f64::from(PREFERRED_WIDTH * PREFERRED_HEIGHT);
    (ratio.ln().abs() * 1e6) as u64
}

/// The interval to ask for: the slowest rate of at least [`PREFERRED_FPS`], else the fastest
/// there is; `None` when the driver lists none (its own rate is kept).
fn choose_interval(intervals: &Intervals) -> Option<Interval> {
    let wanted = f64::from(PREFERRED_FPS);
    match intervals {
        Intervals::Discrete(list) => {
            let valid = list.iter().copied().filter(|interval| interval.fps() > 0.0);
            let fast_enough = valid.clone().filter(|interval| interval.fps() >= wanted - 1e-6);
            fast_enough
                .min_by(|a, b| a.fps().total_cmp(&b.fps()))
                .or_else(|| valid.max_by(|a, b| a.fps().total_cmp(&b.fps())))
        }
        Intervals::Range { min, max } => {
            if max.fps() >= wanted {
                Some(*max)
            } else if min.fps() >= wanted {
                Some(Interval::new(1, PREFERRED_FPS))
            } else {
                Some(*min).filter(|interval| interval.fps() > 0.0)
            }
        }
        Intervals::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::camera::recorded::formats_of;

    fn chosen(camera: &str, preference: Preference) -> String {
        let offers = formats_of(camera);
        let mut ask =
            |_: PixelFormat, _: u32, _: u32| Intervals::Range { min: Interval::new(1, 30), max: Interval::new(1, 1) };
        choose_mode(&offers, preference, &mut ask).map_or_else(|| "none".to_owned(), |mode| mode.to_string())
    }

    #[test]
    fn recorded_cameras_open_in_the_mode_that_suits_them() {
        // A common UVC webcam: MJPEG at 640x480, the lowest listed rate of at least 5 fps.
        assert_eq!(chosen("logitech-c920", Preference::Usual), "MJPG 640x480 at 5 fps");
        // YUYV only (nokhwa's MJPEG request failed on it): YUYV at 640x480, its only rate.
        assert_eq!(chosen("chicony-yuyv-only", Preference::Usual), "YUYV 640x480 at 30 fps");
        // MJPEG only at 720p and up (and H264, which is not read): MJPEG at 1280x720.
        assert_eq!(chosen("mjpeg-720p-only", Preference::Usual), "MJPG 1280x720 at 5 fps");
        // A capture card offering 10-60 fps: MJPEG 640x480 at its slowest, 10 fps.
        assert_eq!(chosen("ms2109-capture-card", Preference::Usual), "MJPG 640x480 at 10 fps");
        // An IR camera: grey is all there is.
        assert_eq!(chosen("dell-ir-camera", Preference::Usual), "GREY 640x360 at 15 fps");
        // A metadata node and raw Bayer nodes offer nothing to read.
        assert_eq!(chosen("uvc-metadata-node", Preference::Usual), "none");
        assert_eq!(chosen("ipu6-raw-node", Preference::Usual), "none");
        // Every size by steps (Raspberry Pi camera): 640x480 within the range, the rate asked for.
        assert_eq!(chosen("raspberry-pi-camera", Preference::Usual), "MJPG 640x480 at 5 fps");
    }

    #[test]
    fn unreadable_mjpeg_turns_to_yuyv() {
        assert_eq!(chosen("logitech-c920", Preference::AvoidMjpeg), "YUYV 640x480 at 5 fps");
        assert_eq!(chosen("ms2109-capture-card", Preference::AvoidMjpeg), "YUYV 640x480 at 30 fps");
        // Nothing else to turn to: MJPEG it stays.
        assert_eq!(chosen("mjpeg-720p-only", Preference::AvoidMjpeg), "MJPG 1280x720 at 5 fps");
    }

    #[test]
    fn rates_are_fractions_and_odd_offers_do_not_panic() {
        // A camera left at 7.5 fps: 2/15 s.
        let seven_and_a_half = Interval::new(2, 15);
        assert_eq!(seven_and_a_half.to_string(), "7.50 fps");
        let offer = |sizes| vec![FormatOffer { fourcc: *b"YUYV", sizes }];
        let only = |intervals| offer(Sizes::Discrete(vec![(640, 480, intervals)]));
        let mut never = |_: PixelFormat, _: u32, _: u32| -> Intervals { panic!("not asked for listed sizes") };
        let pick = |offers: &[FormatOffer], ask: &mut dyn FnMut(PixelFormat, u32, u32) -> Intervals| {
            choose_mode(offers, Preference::Usual, ask).unwrap()
        };
        let slow = only(Intervals::Discrete(vec![Interval::new(1, 2), seven_and_a_half, Interval::new(1, 3)]));
        assert_eq!(pick(&slow, &mut never).interval, Some(seven_and_a_half), "the slowest of at least 5 fps");
        let too_slow = only(Intervals::Discrete(vec![Interval::new(1, 2), Interval::new(1, 3), Interval::new(0, 0)]));
        assert_eq!(pick(&too_slow, &mut never).interval, Some(Interval::new(1, 3)), "else the fastest");
        assert_eq!(pick(&only(Intervals::Unknown), &mut never).interval, None, "the driver's own rate");
        // Steps of zero, an inverted range, a zero size: no panic, a size inside the range.
        let mut unknown = |_: PixelFormat, _: u32, _: u32| Intervals::Unknown;
        let zero_step = offer(Sizes::Stepwise { min: (160, 120), max: (1920, 1080), step: (0, 0) });
        let mode = pick(&zero_step, &mut unknown);
        assert_eq!((mode.width, mode.height), (640, 480));
        let inverted = offer(Sizes::Stepwise { min: (800, 600), max: (320, 240), step: (16, 16) });
        assert_eq!((pick(&inverted, &mut unknown).width, pick(&inverted, &mut unknown).height), (800, 600));
        let zero = offer(Sizes::Discrete(vec![(0, 0, Intervals::Unknown)]));
        assert!(choose_mode(&zero, Preference::Usual, &mut unknown).is_none());
    }
}
