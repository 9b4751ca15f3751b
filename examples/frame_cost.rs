//! slouchwatch's side of `scripts/bench-compare.sh`: the per-frame cost from a camera frame to a
//! verdict (MJPEG decoding as the camera path does it, pre-processing, MoveNet Lightning,
//! decoding, the posture stage), one thread, on every frame of a folder of JPEGs read into memory
//! first. Prints one JSON line like the Python pipelines beside it.
//!
//!     cargo run --release --example frame_cost -- FRAME_DIR [--repeat N] [--stages]
//!
//! `--stages` also prints where a frame's time goes (CPU ms per frame, medians over the
//! frames): decoding with libjpeg-turbo (what slouchwatch uses) and with `image`'s pure-Rust
//! decoder (zune-jpeg, what it used before), and finding the pose on the decoded frame, with
//! MoveNet and the face mesh timed apart.

use std::time::Instant;

use slouchwatch::images;
use slouchwatch::pose::{FaceReader, LoadOptions, ModelChoice, PoseEstimator};
use slouchwatch::posture::{self, PostureSettings};
use slouchwatch::source::camera::PixelFormat;
use slouchwatch::source::camera::decode::RawFrame;

/// CPU time of this process, seconds.
fn cpu_seconds() -> f64 {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    time.tv_sec as f64 + time.tv_nsec as f64 * 1e-9
}

/// Peak resident memory of this process, MB (VmHWM).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let folder = args.get(1).ok_or_else(|| anyhow::anyhow!("usage: frame_cost FRAME_DIR [--repeat N]"))?;
    let repeat: usize = args
        .iter()
        .position(|arg| arg == "--repeat")
        .and_then(|at| args.get(at + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let frames: Vec<Vec<u8>> =
        images::images_in_folder(std::path::Path::new(folder))?.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let (width, height) = image::load_from_memory(&frames[0])?.into_rgb8().dimensions();
    let load_started = Instant::now();
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning)?;
    let load_s = load_started.elapsed().as_secs_f64();
    let settings = PostureSettings::default();
    let mut verdict = |bytes: &[u8]| -> anyhow::Result<posture::Posture> {
        let image = RawFrame { format: PixelFormat::Mjpeg, width, height, stride: 0, data: bytes }.decode()?;
        let pose = estimator.estimate(&image)?;
        Ok(posture::assess(&pose, image.dimensions(), None, &settings).posture)
    };
    // One warm-up frame, not counted (as in the Python pipelines).
    verdict(&frames[0])?;
    let (cpu_start, wall_start) = (cpu_seconds(), Instant::now());
    let mut count = 0;
    for _ in 0..repeat {
        for bytes in &frames {
            verdict(bytes)?;
            count += 1;
        }
    }
    let (cpu, wall) = (cpu_seconds() - cpu_start, wall_start.elapsed().as_secs_f64());
    println!(
        "{}",
        serde_json::json!({
            "pipeline": "slouchwatch (Rust, tract, MoveNet Lightning, 1 thread)",
            "frames": count,
            "cpu_ms": 1000.0 * cpu / count as f64,
            "wall_ms": 1000.0 * wall / count as f64,
            "peak_rss_mb": peak_rss_mb(),
            "model_load_s": load_s,
        })
    );
    if args.iter().any(|arg| arg == "--stages") {
        print_stages(&frames, &mut estimator)?;
    }
    Ok(())
}

/// CPU ms one call of `work` takes on `bytes`, over a few repeats.
fn time_ms(bytes: &[u8], work: &mut dyn FnMut(&[u8]) -> anyhow::Result<()>) -> anyhow::Result<f64> {
    const REPEATS: usize = 3;
    work(bytes)?;
    let start = cpu_seconds();
    for _ in 0..REPEATS {
        work(bytes)?;
    }
    Ok(1000.0 * (cpu_seconds() - start) / REPEATS as f64)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Each stage timed on each frame, the stages taking turns frame by frame (so a busy machine
/// slows them alike); medians over the frames.
fn print_stages(frames: &[Vec<u8>], estimator: &mut PoseEstimator) -> anyhow::Result<()> {
    let mut turbo = |bytes: &[u8]| -> anyhow::Result<()> {
        images::decode_jpeg(bytes).map_err(|detail| anyhow::anyhow!(detail))?;
        Ok(())
    };
    let mut zune = |bytes: &[u8]| -> anyhow::Result<()> {
        let _ = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)?.into_rgb8();
        Ok(())
    };
    let mut body_only = PoseEstimator::load_with(
        &ModelChoice::Lightning,
        LoadOptions { without_face: true, ..LoadOptions::default() },
    )?;
    let mut face_reader = FaceReader::load()?;
    let mut times = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut faces_read = 0;
    for bytes in frames {
        let decoded = images::decode_jpeg(bytes).map_err(|detail| anyhow::anyhow!(detail))?;
        let body = body_only.estimate(&decoded)?;
        faces_read += usize::from(face_reader.read(&decoded, &body)?.is_some());
        times[0].push(time_ms(bytes, &mut turbo)?);
        times[1].push(time_ms(bytes, &mut zune)?);
        times[2].push(time_ms(bytes, &mut |_| Ok(estimator.estimate(&decoded).map(|_| ())?))?);
        times[3].push(time_ms(bytes, &mut |_| Ok(body_only.estimate(&decoded).map(|_| ())?))?);
        times[4].push(time_ms(bytes, &mut |_| Ok(face_reader.read(&decoded, &body).map(|_| ())?))?);
    }
    let [turbo, zune, pose, body, face] = times.map(median);
    println!(
        "{}",
        serde_json::json!({
            "stages_cpu_ms": {
                "decode (images::decode_jpeg)": turbo,
                "decode (image / zune-jpeg)": zune,
                "pose (pre-processing, inference, decoding)": pose,
                "of which MoveNet (the pose without the face mesh)": body,
                "of which the face mesh (crop, inference, decoding)": face,
            },
            "faces_read": format!("{faces_read} of {}", frames.len()),
        })
    );
    Ok(())
}
