//! Recorded cameras for tests: `v4l2-ctl --info` and `v4l2-ctl --list-formats-ext` outputs
//! (tests/fixtures/cameras/, where README.md says which camera each came from) read back into
//! what the V4L2 backend would have enumerated, so mode choice and node listing are tested on
//! real cameras' offers without a camera.

use std::path::{Path, PathBuf};

use super::modes::{FormatOffer, Interval, Intervals, Sizes};
use super::nodes::{CameraListing, Probe, classify, name_twins_apart, read_sysfs};

/// V4L2's device-capability bit for video capture (`V4L2_CAP_VIDEO_CAPTURE`).
const CAP_VIDEO_CAPTURE: u32 = 0x0000_0001;

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cameras")
}

/// The formats in a `v4l2-ctl --list-formats-ext` output.
pub fn parse_formats(text: &str) -> Vec<FormatOffer> {
    let mut offers: Vec<FormatOffer> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') && line.contains("]: '") {
            let fourcc = line.split('\'').nth(1).unwrap_or_default();
            let mut bytes = [b' '; 4];
            for (slot, byte) in bytes.iter_mut().zip(fourcc.bytes()) {
                *slot = byte;
            }
            offers.push(FormatOffer { fourcc: bytes, sizes: Sizes::Discrete(Vec::new()) });
        } else if let Some(size) = line.strip_prefix("Size: Discrete ") {
            let (width, height) = parse_size(size);
            if let Some(FormatOffer { sizes: Sizes::Discrete(list), .. }) = offers.last_mut() {
                list.push((width, height, Intervals::Discrete(Vec::new())));
            }
        } else if let Some(range) = line.strip_prefix("Size: Stepwise ") {
            // "16x16 - 1920x1080 with step 1/1"
            let words: Vec<&str> = range.split_whitespace().collect();
            let step: Vec<u32> = words[5].split('/').map(|n| n.parse().unwrap_or(0)).collect();
            if let Some(offer) = offers.last_mut() {
                offer.sizes =
                    Sizes::Stepwise { min: parse_size(words[0]), max: parse_size(words[2]), step: (step[0], step[1]) };
            }
        } else if let Some(interval) = line.strip_prefix("Interval: ") {
            let Some(FormatOffer { sizes: Sizes::Discrete(list), .. }) = offers.last_mut() else { continue };
            let Some((_, _, intervals)) = list.last_mut() else { continue };
            if let Some(discrete) = interval.strip_prefix("Discrete ") {
                // "0.133s (7.500 fps)"
                let fps = discrete.split('(').nth(1).and_then(|rest| rest.split_whitespace().next()).unwrap_or("0");
                if let Intervals::Discrete(list) = intervals {
                    list.push(interval_of_fps(fps.parse().unwrap_or(0.0)));
                }
            } else {
                // "Stepwise 0.033s - 1.000s with step 0.000s (1.000-30.000 fps)"
                let fps = interval.split('(').nth(1).unwrap_or_default().trim_end_matches(" fps)");
                let (slow, fast) = fps.split_once('-').unwrap_or(("0", "0"));
                *intervals = Intervals::Range {
                    min: interval_of_fps(fast.parse().unwrap_or(0.0)),
                    max: interval_of_fps(slow.parse().unwrap_or(0.0)),
                };
            }
        }
    }
    offers
}

fn parse_size(text: &str) -> (u32, u32) {
    let (width, height) = text.split_once('x').unwrap_or(("0", "0"));
    (width.trim().parse().unwrap_or(0), height.trim().parse().unwrap_or(0))
}

/// The interval of a rate as v4l2-ctl prints it (7.500 becomes 2/15 s).
fn interval_of_fps(fps: f64) -> Interval {
    let milli = (fps * 1000.0).round() as u32;
    let divisor = gcd(1000, milli.max(1));
    Interval::new(1000 / divisor, milli / divisor)
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// A node's probe from its `v4l2-ctl --info` and `--list-formats-ext` outputs.
pub fn parse_probe(info: &str, formats: &str) -> Probe {
    let field = |name: &str| {
        info.lines()
            .find_map(|line| {
                line.trim().strip_prefix(name).map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
            })
            .unwrap_or_default()
    };
    let device_caps =
        u32::from_str_radix(field("Device Caps").trim_start_matches("0x").split_whitespace().next().unwrap_or("0"), 16)
            .unwrap_or(0);
    Probe {
        card: field("Card type"),
        driver: field("Driver name"),
        video_capture: device_caps & CAP_VIDEO_CAPTURE != 0,
        formats: parse_formats(formats),
    }
}

/// A recorded camera's formats (`tests/fixtures/cameras/NAME.txt`).
pub fn formats_of(name: &str) -> Vec<FormatOffer> {
    let path = fixtures().join(format!("{name}.txt"));
    parse_formats(&std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display())))
}

/// A recorded machine (tests/fixtures/cameras/NAME): its sysfs tree and by-id links, each node's
/// `v4l2-ctl` outputs (named in its nodes.tsv), judged as the V4L2 backend judges real ones.
pub fn machine(name: &str) -> Vec<CameraListing> {
    let root = fixtures().join(name);
    let facts = read_sysfs(&root.join("sys"), &root.join("by-id"), Path::new("/dev"));
    let table = std::fs::read_to_string(root.join("nodes.tsv")).unwrap();
    let probed = facts
        .into_iter()
        .map(|node| {
            let node_name = node.device.file_name().unwrap().to_string_lossy().into_owned();
            let row = table.lines().find(|line| line.split('\t').next() == Some(&node_name)).unwrap();
            let files: Vec<&str> = row.split('\t').collect();
            let read = |file: &str| std::fs::read_to_string(fixtures().join(file)).unwrap();
            let probe = parse_probe(&read(files[1]), &read(files[2]));
            (node, Ok(probe))
        })
        .collect();
    let mut listed = classify(probed);
    name_twins_apart(&mut listed);
    listed
}
