//! The webcam: listing cameras, choosing one, opening it in a mode we decode, and reading
//! frames. The pieces are pure where they can be: [`modes`] chooses the capture mode from what a
//! camera offers, [`nodes`] judges which video nodes are cameras, [`decode`] turns raw frames
//! into RGB. The device calls are the platform's backend: V4L2 on Linux ([`v4l2`]), nokhwa
//! elsewhere. [`CameraSource`] ties them together behind [`FrameSource`]; it is meant to run
//! inside [`super::guard::GuardedSource`], so a read that never returns or a panic in the camera
//! stack becomes a camera error.

pub mod decode;
pub mod modes;
pub mod nodes;
#[cfg(test)]
pub(crate) mod recorded;
#[cfg(target_os = "linux")]
pub mod v4l2;
#[cfg(target_os = "linux")]
use v4l2 as backend;
#[cfg(not(target_os = "linux"))]
mod native;
#[cfg(not(target_os = "linux"))]
use native as backend;

pub use decode::FrameError;
pub use modes::{PREFERRED_FPS, PREFERRED_HEIGHT, PREFERRED_WIDTH, PixelFormat, Preference};
pub use nodes::{CameraListing, Skipped};

use super::guard::GuardedSource;
use super::{CameraSelector, Frame, FrameSource, SourceError};

/// MJPEG frames in a row that cannot be read before the camera is reopened asking for an
/// uncompressed format: one bad frame is a USB hiccup; ten (two seconds at 5 fps) mean the camera's
/// MJPEG is something the decoder does not read.
pub const UNREADABLE_BEFORE_SWITCH: u32 = 10;

/// The selected camera on a thread of its own (see [`GuardedSource`]), opened at its first
/// frame or [`FrameSource::reconnect`]: how monitoring, the probe at start and `calibrate` use
/// the camera.
pub fn guarded(selector: CameraSelector) -> GuardedSource {
    // Shared by every source the guard builds: one rebuilt after a stall or a panic reopens the
    // camera it had and keeps avoiding an MJPEG it could not read.
    let memory = std::sync::Arc::new(std::sync::Mutex::new(Remembered::default()));
    GuardedSource::new(std::sync::Arc::new(move || {
        Box::new(CameraSource::remembering(selector.clone(), memory.clone())) as Box<dyn FrameSource>
    }))
}

/// What a camera source learnt that outlives it: the camera it opened, and which formats to prefer.
#[derive(Debug, Clone, Default)]
pub struct Remembered {
    /// The camera opened last (remembered only once it opened), looked for again when lost.
    chosen: Option<CameraListing>,
    /// Which formats to prefer when opening.
    preference: Preference,
}

/// Lists every video node, judged (cameras and the nodes that are not, with the reason).
pub fn list_all() -> Result<Vec<CameraListing>, SourceError> {
    Ok(backend::list_cameras())
}

/// Lists the cameras that can be opened. An empty list means none (not an error).
pub fn list_cameras() -> Result<Vec<CameraListing>, SourceError> {
    Ok(list_all()?.into_iter().filter(CameraListing::usable).collect())
}

/// Why a read gave no frame: the camera's trouble, or only this frame's.
#[derive(Debug)]
pub enum ReadError {
    /// The camera (lost, stalled, busy).
    Source(SourceError),
    /// This frame (damaged, cut short).
    Frame(FrameError),
}

/// Error codes that mean the camera went away (unplugged, its driver gone).
const LOST_ERRNOS: &[i32] = &[
    libc::ENODEV,
    libc::ENOENT,
    libc::ENXIO,
    libc::EIO,
    #[cfg(unix)]
    libc::ESHUTDOWN,
    libc::EPIPE,
];

/// The camera error an OS error code means, told apart by errno (`detail` is the system's words).
pub fn os_error(device: &str, errno: Option<i32>, detail: String) -> SourceError {
    let device = device.to_owned();
    match errno {
        Some(libc::EBUSY) => SourceError::CameraBusy { device },
        Some(libc::EACCES | libc::EPERM) => SourceError::CameraPermission { device },
        Some(code) if LOST_ERRNOS.contains(&code) => SourceError::CameraLost { device, detail },
        _ => SourceError::CameraOpen { device, detail },
    }
}

/// Why no camera can be chosen among `all` (every node listed, judged).
fn nothing_usable(all: &[CameraListing]) -> SourceError {
    if nodes::only_image_processor(all) {
        return SourceError::ImageProcessorCamera;
    }
    let denied = all.iter().find(|camera| {
        matches!(&camera.skipped, Some(Skipped::Unreadable { detail }) if detail.contains("permission denied"))
    });
    match denied {
        Some(camera) => SourceError::CameraPermission { device: camera.device.display().to_string() },
        None => SourceError::NoCamera,
    }
}

/// Picks the camera `selector` names among `all` (every node, judged): by default the first
/// usable one that is not an IR camera (or an IR camera when there is nothing else); by number
/// or name any usable one.
pub fn choose(selector: &CameraSelector, all: &[CameraListing]) -> Result<CameraListing, SourceError> {
    let usable: Vec<&CameraListing> = all.iter().filter(|camera| camera.usable()).collect();
    if usable.is_empty() {
        return Err(nothing_usable(all));
    }
    let found = match selector {
        CameraSelector::Default => {
            usable.iter().find(|camera| camera.default_candidate()).or_else(|| usable.first()).copied()
        }
        CameraSelector::Index(index) => usable.iter().find(|camera| camera.index == *index).copied(),
        CameraSelector::Name(name) => {
            let name = name.to_lowercase();
            usable.iter().find(|camera| camera.name.to_lowercase().contains(&name)).copied()
        }
    };
    found
        .cloned()
        .ok_or_else(|| SourceError::CameraNotFound { wanted: selector.to_string(), available: listed(&usable) })
}

/// "0: Integrated Webcam, 2: Logitech C920", for messages.
fn listed(cameras: &[&CameraListing]) -> String {
    cameras.iter().map(|camera| format!("{}: {}", camera.index, camera.name)).collect::<Vec<_>>().join(", ")
}

/// Picks the camera to reopen after it was lost. Unplugging a camera and plugging it back can
/// give it another index, so the camera used before is looked for by name wherever it now is.
/// When it is not there, a camera chosen by index or name waits for it to come back (an error
/// the engine retries); with the default selector any camera present will do.
pub fn choose_again(
    selector: &CameraSelector,
    previous: Option<&CameraListing>,
    all: &[CameraListing],
) -> Result<CameraListing, SourceError> {
    let Some(previous) = previous else {
        return choose(selector, all);
    };
    let usable: Vec<&CameraListing> = all.iter().filter(|camera| camera.usable()).collect();
    let same_name = |camera: &&&CameraListing| camera.name == previous.name;
    let found = usable
        .iter()
        .filter(same_name)
        .find(|camera| camera.index == previous.index)
        .or_else(|| usable.iter().find(same_name));
    match (found, selector) {
        (Some(camera), _) => Ok((*camera).clone()),
        (None, CameraSelector::Default) => choose(selector, all),
        (None, _) if usable.is_empty() => Err(nothing_usable(all)),
        (None, _) => Err(SourceError::CameraNotFound { wanted: previous.name.clone(), available: listed(&usable) }),
    }
}

/// Unreadable frames in a row, and when they mean the camera's MJPEG is the trouble.
#[derive(Debug, Default)]
struct UnreadableRun {
    frames: u32,
}

impl UnreadableRun {
    /// One more frame in `format` could not be read; true when the camera should be reopened
    /// avoiding MJPEG (once: not when already avoiding it, never for other formats).
    fn unreadable(&mut self, format: PixelFormat, preference: Preference) -> bool {
        self.frames += 1;
        format == PixelFormat::Mjpeg && preference == Preference::Usual && self.frames >= UNREADABLE_BEFORE_SWITCH
    }

    /// A frame was read (or the camera opened afresh): the run is over.
    fn reset(&mut self) {
        self.frames = 0;
    }
}

/// A webcam delivering frames in real time.
pub struct CameraSource {
    selector: CameraSelector,
    /// "2: HD Pro Webcam C920", for messages.
    device: String,
    camera: Option<backend::OpenCamera>,
    /// The camera chosen and the formats preferred, kept for the next source if this one is
    /// rebuilt (see [`guarded`]).
    memory: std::sync::Arc<std::sync::Mutex<Remembered>>,
    /// The device node of the camera opened last.
    node: Option<std::path::PathBuf>,
    /// Frames in a row that could not be read.
    unreadable: UnreadableRun,
}

impl CameraSource {
    /// A source for the selected camera that opens it on the first frame (on the thread that
    /// reads frames; if that fails, the engine's retry loop waits for the camera), starting from
    /// (and adding to) what `memory` holds.
    pub fn remembering(selector: CameraSelector, memory: std::sync::Arc<std::sync::Mutex<Remembered>>) -> CameraSource {
        CameraSource {
            device: selector.to_string(),
            selector,
            camera: None,
            memory,
            node: None,
            unreadable: UnreadableRun::default(),
        }
    }

    /// What is remembered (a copy: a poisoned lock, left by a panic mid-update, still holds it).
    fn remembered(&self) -> Remembered {
        self.memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn remember(&self, change: impl FnOnce(&mut Remembered)) {
        change(&mut self.memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    }

    fn close(&mut self) {
        if self.camera.take().is_some() {
            tracing::info!(device = %self.device, "camera closed");
        }
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
        match camera.read(&device) {
            Ok(frame) => {
                self.unreadable.reset();
                Ok(Some(frame))
            }
            Err(ReadError::Frame(error)) => {
                if self.unreadable.unreadable(camera.mode().format, self.remembered().preference) {
                    self.remember(|memory| memory.preference = Preference::AvoidMjpeg);
                    self.close();
                    let frames = self.unreadable.frames;
                    return Err(SourceError::UnreadableMjpeg { device, frames, last: error.to_string() });
                }
                Err(SourceError::BadFrame { detail: error.to_string() })
            }
            Err(ReadError::Source(error)) => {
                self.close();
                Err(error)
            }
        }
    }

    fn is_live(&self) -> bool {
        true
    }

    fn reconnect(&mut self) -> Result<(), SourceError> {
        self.close();
        self.unreadable.reset();
        let remembered = self.remembered();
        let candidate = choose_again(&self.selector, remembered.chosen.as_ref(), &list_all()?)?;
        self.device = format!("{}: {}", candidate.index, candidate.name);
        // Known before it opens: a camera busy with a call is watched for that call's end.
        self.node = Some(candidate.device.clone());
        let camera = backend::OpenCamera::open(&candidate, remembered.preference).map_err(|error| match error {
            SourceError::CameraBusy { device } => match super::in_use::holders(&candidate.device).into_iter().next() {
                Some(holder) => SourceError::CameraInUseBy { device, program: holder.program },
                None => SourceError::CameraBusy { device },
            },
            other => other,
        })?;
        self.camera = Some(camera);
        self.remember(|memory| memory.chosen = Some(candidate));
        Ok(())
    }

    fn release(&mut self) {
        self.close();
    }

    fn describe(&self) -> String {
        format!("camera {}", self.device)
    }

    fn device_node(&self) -> Option<std::path::PathBuf> {
        self.node.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::nodes::{NodeFacts, Probe, classify};
    use super::recorded::machine;
    use super::*;

    fn camera(index: u32, name: &str) -> CameraListing {
        let formats = super::recorded::formats_of("logitech-c920");
        let facts =
            NodeFacts { number: index, device: format!("/dev/video{index}").into(), name: name.into(), by_id: None };
        let probe = Probe { card: name.into(), driver: "uvcvideo".into(), video_capture: true, formats };
        classify(vec![(facts, Ok(probe))]).remove(0)
    }

    fn cameras() -> Vec<CameraListing> {
        vec![camera(0, "Integrated Webcam"), camera(2, "Logitech C920")]
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
        let replugged = vec![camera(0, "Integrated Webcam"), camera(4, "Logitech C920")];
        for selector in [CameraSelector::Index(2), CameraSelector::Default, CameraSelector::Name("c920".into())] {
            let again = choose_again(&selector, Some(&c920), &replugged).unwrap();
            assert_eq!((again.index, again.name.as_str()), (4, "Logitech C920"), "{selector}");
        }
        // Still where it was: kept, even with another camera of the same name elsewhere.
        let mut twins = cameras();
        twins.push(camera(6, "Logitech C920"));
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
    fn a_run_of_unreadable_mjpeg_turns_to_yuyv_once() {
        let mut run = UnreadableRun::default();
        let switched: Vec<bool> =
            (0..UNREADABLE_BEFORE_SWITCH).map(|_| run.unreadable(PixelFormat::Mjpeg, Preference::Usual)).collect();
        assert_eq!(switched.iter().filter(|now| **now).count(), 1);
        assert_eq!(switched.last(), Some(&true), "at the {UNREADABLE_BEFORE_SWITCH}th frame in a row");
        let mut yuyv = UnreadableRun::default();
        assert!((0..50).all(|_| !yuyv.unreadable(PixelFormat::Yuyv, Preference::Usual)), "only MJPEG is turned from");
        let mut avoiding = UnreadableRun::default();
        assert!((0..50).all(|_| !avoiding.unreadable(PixelFormat::Mjpeg, Preference::AvoidMjpeg)), "once only");
        let said = SourceError::UnreadableMjpeg { device: "0: cam".into(), frames: 10, last: "x".into() }.to_string();
        assert!(said.contains("YUYV"), "{said}");
    }

    #[test]
    fn errors_are_told_apart_by_errno() {
        assert!(matches!(os_error("0: cam", Some(libc::EBUSY), "x".into()), SourceError::CameraBusy { .. }));
        assert!(matches!(os_error("0: cam", Some(libc::EACCES), "x".into()), SourceError::CameraPermission { .. }));
        assert!(matches!(os_error("0: cam", Some(libc::ENODEV), "x".into()), SourceError::CameraLost { .. }));
        // A message that merely mentions "busy" is not mistaken for a busy camera.
        let other = os_error("0: cam", Some(libc::EINVAL), "device or resource busy?".into());
        assert!(matches!(other, SourceError::CameraOpen { .. }), "{other}");
        let denied = SourceError::CameraPermission { device: "0: cam".into() }.to_string();
        if cfg!(windows) {
            assert!(denied.contains("Privacy & security > Camera"), "{denied}");
        } else {
            assert!(denied.contains("'video' group") && denied.contains("SSH"), "{denied}");
        }
    }

    #[test]
    #[cfg(target_os = "linux")] // V4L2 device nodes and their by-id links
    fn a_desk_with_a_laptop_camera_an_ir_camera_and_twin_webcams() {
        let all = machine("desk");
        let numbers: Vec<u32> = all.iter().map(|camera| camera.index).collect();
        assert_eq!(numbers, [0, 1, 2, 3, 4, 5, 10, 11], "by node number, not directory order; v4l-subdev0 ignored");
        let usable: Vec<(u32, &str, bool)> =
            all.iter().filter(|camera| camera.usable()).map(|c| (c.index, c.name.as_str(), c.infrared)).collect();
        assert_eq!(
            usable,
            [
                (0, "CN0J8NNP7248713EB1A0A00 Integrated Webcam HD 200901010001 (video0)", false),
                (2, "CN0J8NNP7248713EB1A0A00 Integrated Webcam HD 200901010001 (video2)", true),
                (4, "046d HD Pro Webcam C920 8A1B2C3D", false),
                (10, "046d HD Pro Webcam C920 F00DCAFE", false),
            ],
            "the cut-short laptop name and the twin C920s are named by their by-id links"
        );
        for metadata in [1, 3, 5, 11] {
            assert_eq!(all.iter().find(|c| c.index == metadata).unwrap().skipped, Some(Skipped::NotCapture));
        }
        assert_eq!(choose(&CameraSelector::Default, &all).unwrap().index, 0);
        assert_eq!(choose(&CameraSelector::Index(2), &all).unwrap().index, 2, "IR only when asked for");
        assert_eq!(choose(&CameraSelector::Name("F00DCAFE".into()), &all).unwrap().index, 10);
        assert!(matches!(choose(&CameraSelector::Index(1), &all), Err(SourceError::CameraNotFound { .. })));
        // With the laptop's lid closed (its RGB camera gone) the default is a C920, not the IR.
        let lid_closed: Vec<CameraListing> = all.iter().filter(|camera| camera.index != 0).cloned().collect();
        assert_eq!(choose(&CameraSelector::Default, &lid_closed).unwrap().index, 4);
    }

    #[test]
    fn a_laptop_with_only_image_processor_nodes_is_told_why() {
        let all = machine("ipu6-laptop");
        assert_eq!(all.len(), 4);
        assert!(all.iter().all(|camera| camera.image_processor && !camera.usable()));
        let error = choose(&CameraSelector::Default, &all).unwrap_err();
        assert_eq!(error, SourceError::ImageProcessorCamera);
        assert!(error.to_string().contains("libcamera"), "{error}");
    }
}
