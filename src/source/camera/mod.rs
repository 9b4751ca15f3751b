//! The webcam, through nokhwa: listing cameras, opening one in a small MJPEG or YUYV mode near
//! 640x480, and turning its raw frames into RGB. Decoding is ours (MJPEG by `image`, YUYV and NV12
//! by the converters below), so a corrupt frame is one skipped frame, not a crash.

use chrono::Utc;
use image::RgbImage;
use nokhwa::Camera;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, CameraInfo, FrameFormat, RequestedFormat, RequestedFormatType, Resolution,
};

use super::{CameraSelector, Frame, FrameSource, SourceError};

/// The capture mode asked for: enough for MoveNet's 192-256 px input with room to crop, and
/// cheap to decode. The camera picks its closest mode.
pub const PREFERRED_WIDTH: u32 = 640;
/// See [`PREFERRED_WIDTH`].
pub const PREFERRED_HEIGHT: u32 = 480;
/// Capture rate asked for: the lowest rate UVC webcams commonly offer at 640x480. Analysis runs at
/// two frames a second and only the frames it reads are decoded; a low rate saves the camera and
/// USB work for frames nobody looks at, and keeps the frame read fresher (fewer stale buffers).
/// The camera picks its closest mode.
pub const PREFERRED_FPS: u32 = 5;

/// Frame formats we decode, in order of preference.
const WANTED_FORMATS: [FrameFormat; 2] = [FrameFormat::MJPEG, FrameFormat::YUYV];

/// A camera the system reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraListing {
    /// Index to pass as `--source camera:INDEX`.
    pub index: u32,
    /// Human-readable name.
    pub name: String,
    /// Driver description.
    pub description: String,
}

/// Lists the cameras present. An empty list means none (not an error).
pub fn list_cameras() -> Result<Vec<CameraListing>, SourceError> {
    let cameras = nokhwa::query(ApiBackend::Auto)
        .map_err(|error| SourceError::CameraOpen { device: "camera list".into(), detail: error.to_string() })?;
    Ok(cameras.iter().filter_map(listing).collect())
}

fn listing(info: &CameraInfo) -> Option<CameraListing> {
    let index = info.index().as_index().ok()?;
    Some(CameraListing { index, name: info.human_name(), description: info.description().to_owned() })
}

/// Picks the camera `selector` names among `cameras`.
pub fn choose(selector: &CameraSelector, cameras: &[CameraListing]) -> Result<CameraListing, SourceError> {
    if cameras.is_empty() {
        return Err(SourceError::NoCamera);
    }
    let found = match selector {
        CameraSelector::Default => cameras.first(),
        CameraSelector::Index(index) => cameras.iter().find(|camera| camera.index == *index),
        CameraSelector::Name(name) => {
            let name = name.to_lowercase();
            cameras.iter().find(|camera| camera.name.to_lowercase().contains(&name))
        }
    };
    found
        .cloned()
        .ok_or_else(|| SourceError::CameraNotFound { wanted: selector.to_string(), available: listed(cameras) })
}

/// "0: Integrated Webcam, 2: Logitech C920", for messages.
fn listed(cameras: &[CameraListing]) -> String {
    cameras.iter().map(|camera| format!("{}: {}", camera.index, camera.name)).collect::<Vec<_>>().join(", ")
}

/// Picks the camera to reopen after it was lost. Unplugging a camera and plugging it back can
/// give it another index, so the camera used before is looked for by name wherever it now is.
/// When it is not there, a camera chosen by index or name waits for it to come back (an error
/// the engine retries); with the default selector any camera present will do.
pub fn choose_again(
    selector: &CameraSelector,
    previous: Option<&CameraListing>,
    cameras: &[CameraListing],
) -> Result<CameraListing, SourceError> {
    let Some(previous) = previous else {
        return choose(selector, cameras);
    };
    let same_name = |camera: &&CameraListing| camera.name == previous.name;
    let found = cameras
        .iter()
        .filter(same_name)
        .find(|camera| camera.index == previous.index)
        .or_else(|| cameras.iter().find(same_name));
    match (found, selector) {
        (Some(camera), _) => Ok(camera.clone()),
        (None, CameraSelector::Default) => choose(selector, cameras),
        (None, _) if cameras.is_empty() => Err(SourceError::NoCamera),
        (None, _) => Err(SourceError::CameraNotFound { wanted: previous.name.clone(), available: listed(cameras) }),
    }
}

/// A webcam delivering frames in real time.
pub struct CameraSource {
    selector: CameraSelector,
    device: String,
    camera: Option<Camera>,
    /// The camera opened last, looked for again when it is lost.
    chosen: Option<CameraListing>,
}

impl CameraSource {
    /// A source for the selected camera that opens it on the first frame (on the thread that
    /// reads frames); if that fails, the engine's retry loop waits for the camera.
    pub fn disconnected(selector: CameraSelector) -> CameraSource {
        CameraSource { device: selector.to_string(), selector, camera: None, chosen: None }
    }

    /// Finds and opens the selected camera.
    pub fn open(selector: CameraSelector) -> Result<CameraSource, SourceError> {
        let mut source = CameraSource { selector, device: String::new(), camera: None, chosen: None };
        source.reconnect()?;
        Ok(source)
    }
}

fn open_error(device: &str, detail: String) -> SourceError {
    let lower = detail.to_lowercase();
    if lower.contains("busy") || lower.contains("ebusy") || lower.contains("in use") {
        SourceError::CameraBusy { device: device.to_owned() }
    } else {
        SourceError::CameraOpen { device: device.to_owned(), detail }
    }
}

impl FrameSource for CameraSource {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        if self.camera.is_none() {
            self.reconnect()?;
        }
        let device = self.device.clone();
        let camera = self
            .camera
            .as_mut()
            .ok_or_else(|| SourceError::CameraLost { device: device.clone(), detail: "not open".into() })?;
        let buffer = camera
            .frame()
            .map_err(|error| SourceError::CameraLost { device: device.clone(), detail: error.to_string() })?;
        let time = Utc::now();
        let resolution = buffer.resolution();
        let image =
            decode_frame(buffer.source_frame_format(), resolution.width(), resolution.height(), buffer.buffer())
                .map_err(|detail| SourceError::BadFrame { detail })?;
        Ok(Some(Frame { image, time }))
    }

    fn is_live(&self) -> bool {
        true
    }

    fn reconnect(&mut self) -> Result<(), SourceError> {
        if let Some(mut old) = self.camera.take() {
            // Closing a camera that has gone away can fail too; the new one is what matters.
            let _ = old.stop_stream();
        }
        let chosen = choose_again(&self.selector, self.chosen.as_ref(), &list_cameras()?)?;
        self.device = format!("{}: {}", chosen.index, chosen.name);
        self.chosen = Some(chosen.clone());
        let wanted =
            CameraFormat::new(Resolution::new(PREFERRED_WIDTH, PREFERRED_HEIGHT), FrameFormat::MJPEG, PREFERRED_FPS);
        let request = RequestedFormat::with_formats(RequestedFormatType::Closest(wanted), &WANTED_FORMATS);
        let mut camera = Camera::new(CameraIndex::Index(chosen.index), request)
            .map_err(|error| open_error(&self.device, error.to_string()))?;
        camera.open_stream().map_err(|error| open_error(&self.device, error.to_string()))?;
        tracing::info!(device = %self.device, format = %camera.camera_format(), "camera opened");
        self.camera = Some(camera);
        Ok(())
    }

    fn release(&mut self) {
        if let Some(mut camera) = self.camera.take() {
            // Dropping the camera closes the device; stopping the stream first is the polite way.
            let _ = camera.stop_stream();
            tracing::info!(device = %self.device, "camera closed");
        }
    }

    fn describe(&self) -> String {
        format!("camera {}", self.device)
    }
}

/// Turns one raw camera frame into RGB. Errors say what was wrong with the frame.
pub fn decode_frame(format: FrameFormat, width: u32, height: u32, data: &[u8]) -> Result<RgbImage, String> {
    let pixels = width as usize * height as usize;
    let too_short =
        |needed: usize| format!("{format} frame of {width}x{height} has {} bytes, needs {needed}", data.len());
    match format {
        FrameFormat::MJPEG => crate::images::decode_jpeg(data).map_err(|error| format!("corrupt MJPEG frame: {error}")),
        FrameFormat::YUYV => {
            if data.len() < pixels * 2 {
                return Err(too_short(pixels * 2));
            }
            Ok(yuyv_to_rgb(width, height, data))
        }
        FrameFormat::NV12 => {
            if data.len() < pixels * 3 / 2 {
                return Err(too_short(pixels * 3 / 2));
            }
            Ok(nv12_to_rgb(width, height, data))
        }
        FrameFormat::RAWRGB => RgbImage::from_raw(width, height, data[..data.len().min(pixels * 3)].to_vec())
            .ok_or_else(|| too_short(pixels * 3)),
        FrameFormat::RAWBGR => {
            if data.len() < pixels * 3 {
                return Err(too_short(pixels * 3));
            }
            Ok(RgbImage::from_fn(width, height, |x, y| {
                let at = (y as usize * width as usize + x as usize) * 3;
                image::Rgb([data[at + 2], data[at + 1], data[at]])
            }))
        }
        FrameFormat::GRAY => {
            if data.len() < pixels {
                return Err(too_short(pixels));
            }
            Ok(RgbImage::from_fn(width, height, |x, y| image::Rgb([data[y as usize * width as usize + x as usize]; 3])))
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

/// YUYV 4:2:2 (Y0 U Y1 V per two pixels) to RGB.
pub fn yuyv_to_rgb(width: u32, height: u32, data: &[u8]) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let pair = (y as usize * width as usize + (x as usize & !1)) * 2;
        let luma = data[pair + if x % 2 == 0 { 0 } else { 2 }];
        image::Rgb(yuv_to_rgb(luma, data[pair + 1], data[pair + 3]))
    })
}

/// NV12 (a Y plane, then interleaved U/V at half resolution) to RGB.
pub fn nv12_to_rgb(width: u32, height: u32, data: &[u8]) -> RgbImage {
    let (w, plane) = (width as usize, width as usize * height as usize);
    RgbImage::from_fn(width, height, |x, y| {
        let (x, y) = (x as usize, y as usize);
        let chroma = plane + (y / 2) * w + (x & !1);
        image::Rgb(yuv_to_rgb(data[y * w + x], data[chroma], data[chroma + 1]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cameras() -> Vec<CameraListing> {
        vec![
            CameraListing { index: 0, name: "Integrated Webcam".into(), description: "uvcvideo".into() },
            CameraListing { index: 2, name: "Logitech C920".into(), description: "uvcvideo".into() },
        ]
    }

    #[test]
    fn cameras_are_chosen_by_default_index_or_name() {
        assert_eq!(choose(&CameraSelector::Default, &cameras()).unwrap().index, 0);
        assert_eq!(choose(&CameraSelector::Index(2), &cameras()).unwrap().name, "Logitech C920");
        assert_eq!(choose(&CameraSelector::Name("c920".into()), &cameras()).unwrap().index, 2);
        let missing = choose(&CameraSelector::Index(5), &cameras()).unwrap_err();
        assert!(missing.to_string().contains("0: Integrated Webcam, 2: Logitech C920"), "{missing}");
        assert_eq!(choose(&CameraSelector::Default, &[]).unwrap_err(), SourceError::NoCamera);
    }

    #[test]
    fn a_camera_that_comes_back_on_another_index_is_found_by_name() {
        let c920 = cameras()[1].clone();
        let replugged = vec![
            CameraListing { index: 0, name: "Integrated Webcam".into(), description: "uvcvideo".into() },
            CameraListing { index: 4, name: "Logitech C920".into(), description: "uvcvideo".into() },
        ];
        for selector in [CameraSelector::Index(2), CameraSelector::Default, CameraSelector::Name("c920".into())] {
            let again = choose_again(&selector, Some(&c920), &replugged).unwrap();
            assert_eq!((again.index, again.name.as_str()), (4, "Logitech C920"), "{selector}");
        }
        // Still where it was: kept, even with another camera of the same name elsewhere.
        let mut twins = cameras();
        twins.push(CameraListing { index: 6, name: "Logitech C920".into(), description: "uvcvideo".into() });
        assert_eq!(choose_again(&CameraSelector::Index(2), Some(&c920), &twins).unwrap().index, 2);
        // Gone: a chosen camera is waited for (never swapped for the built-in one); the default
        // selector takes what there is.
        let only_built_in = &replugged[..1];
        let waiting = choose_again(&CameraSelector::Index(2), Some(&c920), only_built_in).unwrap_err();
        assert!(matches!(&waiting, SourceError::CameraNotFound { wanted, .. } if wanted == "Logitech C920"));
        assert_eq!(choose_again(&CameraSelector::Default, Some(&c920), only_built_in).unwrap().index, 0);
        assert_eq!(choose_again(&CameraSelector::Index(2), Some(&c920), &[]).unwrap_err(), SourceError::NoCamera);
        assert_eq!(choose_again(&CameraSelector::Index(2), None, &cameras()).unwrap(), c920);
    }

    #[test]
    fn busy_devices_are_recognised_in_open_errors() {
        let busy = open_error("0: cam", "Failed to open: Device or resource busy (os error 16)".into());
        assert!(matches!(busy, SourceError::CameraBusy { .. }));
        let other = open_error("0: cam", "Permission denied".into());
        assert!(matches!(other, SourceError::CameraOpen { .. }));
    }

    #[test]
    fn yuyv_and_nv12_grey_and_colour_convert() {
        // Mid grey: Y=126, U=V=128 -> about 128.
        let grey = yuyv_to_rgb(2, 1, &[126, 128, 126, 128]);
        for pixel in grey.pixels() {
            assert!(pixel.0.iter().all(|&c| (c as i32 - 128).abs() <= 1), "{pixel:?}");
        }
        // Pure red in BT.601: Y=81, U=90, V=240.
        let red = yuyv_to_rgb(2, 1, &[81, 90, 81, 240]);
        let [r, g, b] = red.get_pixel(1, 0).0;
        assert!(r > 240 && g < 15 && b < 15, "{r} {g} {b}");
        let nv12 = nv12_to_rgb(2, 2, &[81, 81, 81, 81, 90, 240]);
        assert_eq!(nv12.get_pixel(1, 1).0, red.get_pixel(0, 0).0);
    }

    #[test]
    fn short_and_corrupt_frames_are_errors_not_panics() {
        assert!(decode_frame(FrameFormat::YUYV, 640, 480, &[0; 100]).unwrap_err().contains("needs 614400"));
        assert!(
            decode_frame(FrameFormat::MJPEG, 640, 480, b"\xff\xd8\xff garbage").unwrap_err().contains("corrupt MJPEG")
        );
        assert!(decode_frame(FrameFormat::RAWRGB, 2, 2, &[0; 5]).is_err());
        let jpeg = {
            let mut bytes = Vec::new();
            RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]))
                .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
                .unwrap();
            bytes
        };
        let decoded = decode_frame(FrameFormat::MJPEG, 8, 8, &jpeg).unwrap();
        assert_eq!(decoded.dimensions(), (8, 8));
        // A truncated MJPEG frame, as a USB hiccup delivers: an error, never a panic.
        assert!(decode_frame(FrameFormat::MJPEG, 8, 8, &jpeg[..jpeg.len() / 2]).is_err());
    }
}
