//! The Linux camera: V4L2 nodes through the `v4l` crate's device calls. Lists the nodes sysfs
//! names and asks each what it is ([`nodes`] judges), chooses the mode itself ([`modes`]),
//! accepts what the driver sets (format, size, stride and rate read back), streams through two
//! buffers ([`buffers`]), drops the first second of frames while auto-exposure settles and a
//! frame that waited in its buffer, and stamps each with the driver's capture time. Errors are
//! told apart by errno, not by message text.

mod buffers;

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use v4l::Device;
use v4l::capability::Flags as CapabilityFlags;
use v4l::frameinterval::FrameIntervalEnum;
use v4l::framesize::FrameSizeEnum;
use v4l::video::Capture;

use self::buffers::Buffers;
use super::decode::{FrameError, RawFrame};
use super::modes::{self, FormatOffer, Interval, Intervals, Mode, PixelFormat, Preference, Sizes};
use super::nodes::{self, CameraListing, Probe};
use super::{ReadError, os_error};
use crate::source::{Frame, SourceError};

/// Capture buffers: one lent to the frame being read, one for the driver to fill. More would
/// hand out older frames (4 buffers at 5 fps: up to 0.8 s old).
const BUFFER_COUNT: u32 = 2;
/// Seconds without a frame after which the camera counts as stalled (and is reopened). Webcams
/// deliver at 5-30 fps; even in a dark room, with exposure at its longest, a frame comes within
/// half a second.
pub const STALL_AFTER_S: u64 = 2;
/// Frames of the first second after opening are dropped: auto-exposure and white balance are
/// still settling, so the first pictures are dark or tinted.
const SETTLE: Duration = Duration::from_secs(1);
/// A frame older than this when read waited in its buffer for the engine: it is given back and
/// the next one, taken fresh, is read instead (once per read).
const STALE_AFTER: Duration = Duration::from_millis(250);

/// The cameras present: every video node, judged.
pub fn list_cameras() -> Vec<CameraListing> {
    let facts = nodes::read_sysfs(Path::new(nodes::SYSFS_VIDEO4LINUX), Path::new(nodes::BY_ID), Path::new("/dev"));
    let probed = facts.into_iter().map(|node| {
        // v4l panics on some answers (a card name that is not UTF-8, a colour space it does not
        // know): that node is unreadable, the others are still listed.
        let probe = std::panic::catch_unwind(|| probe(&node.device))
            .unwrap_or_else(|_| Err("the camera's description could not be read".to_owned()));
        (node, probe)
    });
    let mut cameras = nodes::classify(probed.collect());
    nodes::name_twins_apart(&mut cameras);
    cameras
}

/// What a node says it is and offers. Opening a node does not start the camera (its light stays
/// off); another program streaming from it does not stop this.
fn probe(device: &Path) -> Result<Probe, String> {
    let node = open_node(device).map_err(|error| describe_io(&error))?;
    let caps = node.query_caps().map_err(|error| describe_io(&error))?;
    let video_capture = caps.capabilities.contains(CapabilityFlags::VIDEO_CAPTURE);
    let formats = if video_capture { enumerate(&node) } else { Vec::new() };
    Ok(Probe { card: caps.card, driver: caps.driver, video_capture, formats })
}

/// Opens a video node, closed on exec: `v4l` opens without `O_CLOEXEC`, and a program
/// slouchwatch starts (the user's hook, `pactl`, a browser for the report) would otherwise keep
/// the camera open, and be taken for another program using it.
fn open_node(path: &Path) -> io::Result<Device> {
    let device = Device::with_path(path)?;
    // SAFETY: fcntl on a descriptor the device owns and keeps open.
    if unsafe { libc::fcntl(device.handle().fd(), libc::F_SETFD, libc::FD_CLOEXEC) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(device)
}

/// A system error as people read it, with the errno's own words.
fn describe_io(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(libc::EACCES | libc::EPERM) => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

/// The formats, sizes and intervals a node offers. Failures to enumerate a part leave it out.
fn enumerate(node: &Device) -> Vec<FormatOffer> {
    let formats = node.enum_formats().unwrap_or_default();
    formats
        .into_iter()
        .map(|description| {
            let fourcc = description.fourcc;
            let mut listed = Vec::new();
            let mut stepwise = None;
            for size in node.enum_framesizes(fourcc).unwrap_or_default() {
                match size.size {
                    FrameSizeEnum::Discrete(size) => {
                        let format = PixelFormat::from_fourcc(fourcc.repr);
                        let intervals = match format {
                            Some(format) => intervals(node, format, size.width, size.height),
                            None => Intervals::Unknown,
                        };
                        listed.push((size.width, size.height, intervals));
                    }
                    FrameSizeEnum::Stepwise(range) => {
                        stepwise = Some(Sizes::Stepwise {
                            min: (range.min_width, range.min_height),
                            max: (range.max_width, range.max_height),
                            step: (range.step_width, range.step_height),
                        });
                    }
                }
            }
            FormatOffer { fourcc: fourcc.repr, sizes: stepwise.unwrap_or(Sizes::Discrete(listed)) }
        })
        .collect()
}

/// The intervals a node offers for a format at a size.
fn intervals(node: &Device, format: PixelFormat, width: u32, height: u32) -> Intervals {
    let Ok(offered) = node.enum_frameintervals(v4l::FourCC::new(&format.fourcc()), width, height) else {
        return Intervals::Unknown;
    };
    let mut list = Vec::new();
    for interval in offered {
        match interval.interval {
            FrameIntervalEnum::Discrete(fraction) => list.push(Interval::new(fraction.numerator, fraction.denominator)),
            FrameIntervalEnum::Stepwise(range) => {
                return Intervals::Range {
                    min: Interval::new(range.min.numerator, range.min.denominator),
                    max: Interval::new(range.max.numerator, range.max.denominator),
                };
            }
        }
    }
    if list.is_empty() { Intervals::Unknown } else { Intervals::Discrete(list) }
}

/// An open, streaming camera.
pub struct OpenCamera {
    /// Declared before the device: the buffers are unmapped before its descriptor is closed.
    buffers: Buffers,
    _device: Device,
    /// The mode the driver set.
    mode: Mode,
    /// Bytes per line the driver set.
    stride: u32,
    /// When streaming started, for [`SETTLE`].
    opened: Instant,
}

impl OpenCamera {
    /// Opens `camera` in the best mode it offers and starts streaming.
    pub fn open(camera: &CameraListing, preference: Preference) -> Result<OpenCamera, SourceError> {
        let name = format!("{}: {}", camera.index, camera.name);
        let failed = |error: io::Error| os_error(&name, error.raw_os_error(), describe_io(&error));
        let device = open_node(&camera.device).map_err(failed)?;
        // What the listing just enumerated, unless it could not (then asked again).
        let offers = if camera.formats.is_empty() { enumerate(&device) } else { camera.formats.clone() };
        let mut ask = |format: PixelFormat, width, height| intervals(&device, format, width, height);
        let wanted = modes::choose_mode(&offers, preference, &mut ask).ok_or_else(|| SourceError::CameraOpen {
            device: name.clone(),
            detail: format!(
                "it offers no picture format slouchwatch reads (it offers {})",
                offers.iter().map(FormatOffer::fourcc_text).collect::<Vec<_>>().join(", ")
            ),
        })?;
        let mut format = device.format().map_err(failed)?;
        format.width = wanted.width;
        format.height = wanted.height;
        format.fourcc = v4l::FourCC::new(&wanted.fourcc);
        // The driver sets what it can; what it set is what the frames are.
        let set = device.set_format(&format).map_err(failed)?;
        let Some(pixel_format) = PixelFormat::from_fourcc(set.fourcc.repr) else {
            return Err(SourceError::CameraOpen {
                device: name,
                detail: format!("asked for {wanted}, the driver set {} which slouchwatch does not read", set.fourcc),
            });
        };
        if let Some(interval) = wanted.interval {
            // Some drivers (capture cards) have no rate to set; their own rate is fine.
            let _ = device.set_params(&v4l::video::capture::Parameters::new(v4l::Fraction::new(
                interval.numerator,
                interval.denominator,
            )));
        }
        let interval = device
            .params()
            .ok()
            .map(|params| Interval::new(params.interval.numerator, params.interval.denominator))
            .filter(|interval| interval.fps() > 0.0);
        let mode =
            Mode { format: pixel_format, fourcc: set.fourcc.repr, width: set.width, height: set.height, interval };
        let buffers = Buffers::start(device.handle(), BUFFER_COUNT).map_err(failed)?;
        tracing::info!(device = %name, wanted = %wanted, set = %mode, stride = set.stride, "camera opened");
        Ok(OpenCamera { buffers, _device: device, mode, stride: set.stride, opened: Instant::now() })
    }

    /// The mode in use.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The next frame, decoded. Waits at most [`STALL_AFTER_S`] for one.
    pub fn read(&mut self, device: &str) -> Result<Frame, ReadError> {
        let mut passed_stale = false;
        loop {
            let frame = match self.buffers.next(Duration::from_secs(STALL_AFTER_S)) {
                Ok(frame) => frame,
                Err(error) if error.kind() == io::ErrorKind::TimedOut => {
                    return Err(ReadError::Source(SourceError::CameraStalled {
                        device: device.to_owned(),
                        seconds: STALL_AFTER_S,
                    }));
                }
                // Whatever the driver says mid-stream (unplugged, EPROTO, an unknown buffer),
                // the camera may come back: it is reopened, never given up on.
                Err(error) => {
                    return Err(ReadError::Source(SourceError::CameraLost {
                        device: device.to_owned(),
                        detail: describe_io(&error),
                    }));
                }
            };
            if self.opened.elapsed() < SETTLE {
                continue;
            }
            if frame.damaged {
                return Err(ReadError::Frame(FrameError::FlaggedByDriver));
            }
            if frame.age.is_some_and(|age| age > STALE_AFTER) && !passed_stale {
                passed_stale = true;
                continue;
            }
            let time = match frame.age {
                Some(age) => Utc::now() - TimeDelta::from_std(age).unwrap_or_default(),
                None => Utc::now(),
            };
            let raw = RawFrame {
                format: self.mode.format,
                width: self.mode.width,
                height: self.mode.height,
                stride: self.stride,
                data: frame.data,
            };
            let image = raw.decode().map_err(ReadError::Frame)?;
            return Ok(Frame { image, time, sequence: Some(u64::from(frame.sequence)) });
        }
    }
}
