//! Per-frame cost of the pose stage: pre-processing (letterbox + area average) and inference,
//! for both built-in models, plus model load time. Run with `cargo bench --bench pose`.
//!
//! Frames are synthetic (a smooth gradient with noise) at common webcam sizes; the model's cost
//! does not depend on content.

use criterion::{Criterion, criterion_group, criterion_main};
use image::{Rgb, RgbImage};
use slouchwatch::pose::{ModelChoice, PoseEstimator, Preprocessor};

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

fn inference(c: &mut Criterion) {
    let mut group = c.benchmark_group("inference");
    group.sample_size(20);
    for (name, model) in [("lightning", ModelChoice::Lightning), ("thunder", ModelChoice::Thunder)] {
        let mut estimator = PoseEstimator::load(&model).expect("built-in model loads");
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

criterion_group!(benches, preprocess, inference, load);
criterion_main!(benches);
