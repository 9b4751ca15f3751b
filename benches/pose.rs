//! Per-frame cost of each stage from camera frame to verdict: MJPEG decoding, pre-processing
//! (letterbox + area average), inference (both built-in models; Lightning also at smaller
//! inputs and with the graph's own decoding), the posture stage, and model load time. Run with
//! `cargo bench --bench pose`.
//!
//! Pre-processing and inference frames are synthetic (a smooth gradient with noise): their cost
//! does not depend on content. Decoding uses the astronaut photo scaled up and JPEG-encoded, like
//! a webcam's MJPEG frame.

use criterion::{Criterion, criterion_group, criterion_main};
use image::{Rgb, RgbImage};
use slouchwatch::pose::{LoadOptions, ModelChoice, PoseEstimator, Preprocessor};
use slouchwatch::posture::{self, PlacementSetting, PostureSettings};
use slouchwatch::source::camera::PixelFormat;
use slouchwatch::source::camera::decode::RawFrame;

/// Webcam frame sizes worth timing: the 640x480 mode the live monitor asks for, and 1080p.
const FRAME_SIZES: [(u32, u32); 2] = [(640, 480), (1920, 1080)];

fn frame(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104729)) % 32;
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, (noise * 8) as u8])
    })
}

fn preprocess(c: &mut Criterion) {
    let mut group = c.benchmark_group("preprocess");
    for size in [192usize, 256] {
        for (width, height) in FRAME_SIZES {
            let image = frame(width, height);
            let mut pre = Preprocessor::new(size);
            let mut out = vec![0.0; size * size * 3];
            group.bench_function(format!("{width}x{height}->{size}"), |b| b.iter(|| pre.fill(&image, &mut out)));
        }
    }
    group.finish();
}

/// The astronaut photo at `width` x `height`, JPEG-encoded at quality 90 (a webcam MJPEG frame).
fn jpeg_frame(width: u32, height: u32) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut.png");
    let photo = image::open(path).expect("fixture loads").into_rgb8();
    let frame = image::imageops::resize(&photo, width, height, image::imageops::FilterType::Triangle);
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&frame).expect("encodes");
    bytes
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for (width, height) in FRAME_SIZES {
        let bytes = jpeg_frame(width, height);
        let frame = RawFrame { format: PixelFormat::Mjpeg, width, height, stride: 0, data: &bytes };
        group.bench_function(format!("mjpeg {width}x{height}"), |b| b.iter(|| frame.decode().expect("decodes")));
    }
    // YUYV, the mode a camera without MJPEG near 640x480 (or with unreadable MJPEG) is opened in.
    let (width, height) = (640, 480);
    let yuyv: Vec<u8> = (0..width * height * 2).map(|at| (at * 7 % 251) as u8).collect();
    let frame = RawFrame { format: PixelFormat::Yuyv, width, height, stride: 0, data: &yuyv };
    group.bench_function(format!("yuyv {width}x{height}"), |b| b.iter(|| frame.decode().expect("decodes")));
    group.finish();
}

fn posture_stage(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut.png");
    let photo = image::open(path).expect("fixture loads").into_rgb8();
    let mut estimator = PoseEstimator::load(&ModelChoice::Lightning).expect("built-in model loads");
    let pose = estimator.estimate(&photo).expect("pose");
    let size = photo.dimensions();
    let calibration =
        posture::calibrate(&vec![pose.clone(); 10], size, PlacementSetting::Auto).expect("calibrates on the photo");
    let settings = PostureSettings::default();
    c.bench_function("posture/assess (calibrated)", |b| {
        b.iter(|| posture::assess(&pose, size, Some(&calibration), &settings))
    });
}

fn inference(c: &mut Criterion) {
    let mut group = c.benchmark_group("inference");
    group.sample_size(20);
    let whole = LoadOptions { whole_graph: true, ..LoadOptions::default() };
    let small = |size| LoadOptions { run_size: Some(size), ..LoadOptions::default() };
    let tract_layout = LoadOptions { tract_layout: true, ..LoadOptions::default() };
    for (name, model, options) in [
        ("lightning", ModelChoice::Lightning, LoadOptions::default()),
        ("lightning, tract's own layout", ModelChoice::Lightning, tract_layout),
        ("lightning, graph's own decoding", ModelChoice::Lightning, whole),
        ("lightning at 160", ModelChoice::Lightning, small(160)),
        ("lightning at 128", ModelChoice::Lightning, small(128)),
        ("thunder", ModelChoice::Thunder, LoadOptions::default()),
    ] {
        let mut estimator = PoseEstimator::load_with(&model, options).expect("built-in model loads");
        estimator.prepare(&frame(640, 480)).expect("frame is not empty");
        group.bench_function(name, |b| b.iter(|| estimator.infer().expect("inference runs")));
    }
    group.finish();
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for (name, model) in [("lightning", ModelChoice::Lightning), ("thunder", ModelChoice::Thunder)] {
        group.bench_function(name, |b| b.iter(|| PoseEstimator::load(&model).expect("built-in model loads")));
    }
    group.finish();
}

criterion_group!(benches, decode, preprocess, inference, posture_stage, load);
criterion_main!(benches);
