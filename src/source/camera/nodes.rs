//! Which video nodes are cameras (pure but for reading the sysfs tree): a UVC webcam shows up as
//! two nodes of the same name since Linux 4.16 (the second carries metadata, not pictures);
//! laptops add an IR camera for face unlock (grey only, often listed first); Intel IPU6/IPU7
//! laptops list raw image-processor nodes that only libcamera can drive. Cameras are numbered by
//! their node (`/dev/videoN`), listed in that order, and named by the driver's card name, or by
//! their `/dev/v4l/by-id` link where the card name is cut short or shared by twins.

use std::path::{Path, PathBuf};

use super::modes::{FormatOffer, PixelFormat};

/// Where the kernel lists video nodes.
pub const SYSFS_VIDEO4LINUX: &str = "/sys/class/video4linux";
/// Where udev links nodes under stable names (vendor, model, serial).
pub const BY_ID: &str = "/dev/v4l/by-id";
/// Bytes in V4L2's card name field, its final NUL included: a name of one less was likely cut.
const CARD_NAME_BYTES: usize = 32;
/// Words in a card name or driver that mark the raw nodes of an Intel IPU image processor.
const IMAGE_PROCESSOR_MARKS: [&str; 3] = ["ipu6", "ipu7", "isys"];

/// A node as sysfs and udev name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFacts {
    /// N of `/dev/videoN`.
    pub number: u32,
    /// The device file.
    pub device: PathBuf,
    /// The name sysfs gives (the driver's card name).
    pub name: String,
    /// The `/dev/v4l/by-id` link pointing to it, by file name.
    pub by_id: Option<String>,
}

/// What asking the node itself told (VIDIOC_QUERYCAP and the format enumeration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The card name.
    pub card: String,
    /// The driver ("uvcvideo").
    pub driver: String,
    /// Whether the node captures pictures (a metadata node does not).
    pub video_capture: bool,
    /// The formats it offers.
    pub formats: Vec<FormatOffer>,
}

/// Why a node is not offered as a camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// It does not capture pictures (a UVC metadata node).
    NotCapture,
    /// None of its formats is one slouchwatch decodes.
    NoUsableFormat {
        /// What it offers.
        offered: Vec<String>,
    },
    /// It could not be asked.
    Unreadable {
        /// What the system said.
        detail: String,
    },
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skipped::NotCapture => f.write_str("metadata node: no pictures"),
            Skipped::NoUsableFormat { offered } if offered.is_empty() => f.write_str("offers no picture format"),
            Skipped::NoUsableFormat { offered } => {
                write!(f, "no format slouchwatch reads (offers {})", offered.join(", "))
            }
            Skipped::Unreadable { detail } => write!(f, "could not be asked: {detail}"),
        }
    }
}

/// A node, named and judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraListing {
    /// N of `/dev/videoN`: `--source camera:N`.
    pub index: u32,
    /// The name people see.
    pub name: String,
    /// The device file.
    pub device: PathBuf,
    /// The driver.
    pub driver: String,
    /// The formats it offers (fourccs, readable or not).
    pub formats: Vec<FormatOffer>,
    /// An IR camera (grey pictures only): used only when chosen by number or name.
    pub infrared: bool,
    /// A raw image-processor node (Intel IPU6/IPU7).
    pub image_processor: bool,
    /// Why it is not a camera, if it is not.
    pub skipped: Option<Skipped>,
}

impl CameraListing {
    /// Whether it can be opened as a camera.
    pub fn usable(&self) -> bool {
        self.skipped.is_none()
    }

    /// Whether the default camera may be this one: usable and not IR.
    pub fn default_candidate(&self) -> bool {
        self.usable() && !self.infrared
    }

    /// "MJPG, YUYV" (what it offers).
    pub fn format_names(&self) -> String {
        self.formats.iter().map(FormatOffer::fourcc_text).collect::<Vec<_>>().join(", ")
    }
}

/// The video nodes under `class_dir` (a `/sys/class/video4linux`), with the `by_id_dir` link
/// naming each, sorted by node number. Entries that are not `videoN` are ignored.
pub fn read_sysfs(class_dir: &Path, by_id_dir: &Path, dev_dir: &Path) -> Vec<NodeFacts> {
    let links: Vec<(String, String)> = std::fs::read_dir(by_id_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let target = std::fs::read_link(entry.path()).ok()?;
            let node = target.file_name()?.to_string_lossy().into_owned();
            Some((node, entry.file_name().to_string_lossy().into_owned()))
        })
        .collect();
    let mut nodes: Vec<NodeFacts> = std::fs::read_dir(class_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let node = entry.file_name().to_string_lossy().into_owned();
            let number = node.strip_prefix("video")?.parse::<u32>().ok()?;
            let name = std::fs::read_to_string(entry.path().join("name")).unwrap_or_default().trim().to_owned();
            let mut by_id: Vec<&String> =
                links.iter().filter(|(target, _)| *target == node).map(|(_, link)| link).collect();
            by_id.sort();
            Some(NodeFacts {
                number,
                device: dev_dir.join(&node),
                name,
                by_id: by_id.first().map(|link| (*link).clone()),
            })
        })
        .collect();
    nodes.sort_by_key(|node| node.number);
    nodes
}

/// The name a by-id link gives: `usb-046d_HD_Pro_Webcam_C920_8A1B2C3D-video-index0` becomes
/// "046d HD Pro Webcam C920 8A1B2C3D".
fn by_id_name(link: &str) -> String {
    let stem = link.split_once('-').map_or(link, |(_, rest)| rest);
    let stem = stem.rsplit_once("-video-index").map_or(stem, |(stem, _)| stem);
    stem.replace('_', " ")
}

/// Judges each node from what it told: which are cameras, which are IR, what each is called.
pub fn classify(nodes: Vec<(NodeFacts, Result<Probe, String>)>) -> Vec<CameraListing> {
    let card_of = |facts: &NodeFacts, probe: &Result<Probe, String>| match probe {
        Ok(probe) if !probe.card.is_empty() => probe.card.clone(),
        _ => facts.name.clone(),
    };
    let capture_cards: Vec<String> = nodes
        .iter()
        .filter(|(_, probe)| probe.as_ref().is_ok_and(|probe| probe.video_capture && has_usable_format(probe)))
        .map(|(facts, probe)| card_of(facts, probe))
        .collect();
    nodes
        .into_iter()
        .map(|(facts, probe)| {
            let card = card_of(&facts, &probe);
            let twins = capture_cards.iter().filter(|other| **other == card).count() > 1;
            let cut_short = card.len() >= CARD_NAME_BYTES - 1;
            let name = match &facts.by_id {
                Some(link) if twins || cut_short => by_id_name(link),
                _ => card.clone(),
            };
            let (driver, formats, skipped) = match probe {
                Err(detail) => (String::new(), Vec::new(), Some(Skipped::Unreadable { detail })),
                Ok(probe) => {
                    let skipped = if !probe.video_capture {
                        Some(Skipped::NotCapture)
                    } else if !has_usable_format(&probe) {
                        Some(Skipped::NoUsableFormat {
                            offered: probe.formats.iter().map(FormatOffer::fourcc_text).collect(),
                        })
                    } else {
                        None
                    };
                    (probe.driver, probe.formats, skipped)
                }
            };
            let decodable: Vec<PixelFormat> = formats.iter().filter_map(FormatOffer::format).collect();
            let infrared = (!decodable.is_empty() && decodable.iter().all(|format| *format == PixelFormat::Grey))
                || name
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|word| word == "IR" || word.eq_ignore_ascii_case("infrared"));
            let lower = format!("{card} {driver}").to_lowercase();
            let image_processor = IMAGE_PROCESSOR_MARKS.iter().any(|mark| lower.contains(mark));
            CameraListing {
                index: facts.number,
                name,
                device: facts.device,
                driver,
                formats,
                infrared,
                image_processor,
                skipped,
            }
        })
        .collect()
}

fn has_usable_format(probe: &Probe) -> bool {
    probe.formats.iter().any(|offer| offer.format().is_some())
}

/// Twins left with one name (no serial to tell them apart) get their node number added, so
/// every usable camera's name is its own.
pub fn name_twins_apart(cameras: &mut [CameraListing]) {
    let names: Vec<String> =
        cameras.iter().filter(|camera| camera.usable()).map(|camera| camera.name.clone()).collect();
    for camera in cameras.iter_mut().filter(|camera| camera.usable()) {
        if names.iter().filter(|name| **name == camera.name).count() > 1 {
            camera.name = format!("{} (video{})", camera.name, camera.index);
        }
    }
}

/// Whether the machine's only cameras are raw image-processor nodes: its camera needs libcamera
/// (through PipeWire), which slouchwatch does not drive yet.
pub fn only_image_processor(cameras: &[CameraListing]) -> bool {
    !cameras.iter().any(CameraListing::usable) && cameras.iter().any(|camera| camera.image_processor)
}
