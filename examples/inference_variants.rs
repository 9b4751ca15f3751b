//! Inference alone, several ways of preparing the model side by side: each variant is loaded
//! once, then the variants take turns (rounds of 20 inferences each, alternating, so a busy
//! machine slows them alike) and the median CPU time per inference is printed as a Markdown
//! table, with each variant's keypoints compared to the first one's.
//!
//!     cargo run --release --example inference_variants -- [ROUNDS] VARIANT...
//!
//! A variant is a model (`lightning`, `thunder` or an ONNX file) with optional suffixes:
//! `+tract-layout` (no channel-last step, as tract alone runs it) and `@SIZE` (another input
//! size). Example: `lightning lightning+tract-layout lightning@160 old.onnx+tract-layout`.

use image::{Rgb, RgbImage};
use slouchwatch::pose::{LoadOptions, ModelChoice, PoseEstimator};

/// Inferences per variant in one round.
const PER_ROUND: usize = 20;

/// CPU time of this thread, seconds.
fn thread_cpu_seconds() -> f64 {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    time.tv_sec as f64 + time.tv_nsec as f64 * 1e-9
}

fn parse(spec: &str) -> (ModelChoice, LoadOptions) {
    let mut options = LoadOptions::default();
    let mut rest = spec;
    if let Some(stripped) = rest.strip_suffix("+tract-layout") {
        options.tract_layout = true;
        rest = stripped;
    }
    if let Some((model, size)) = rest.rsplit_once('@') {
        options.run_size = Some(size.parse().expect("@SIZE is a number"));
        rest = model;
    }
    (rest.parse().expect("infallible"), options)
}

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = match args.first().and_then(|first| first.parse().ok()) {
        Some(rounds) => {
            args.remove(0);
            rounds
        }
        None => 15,
    };
    anyhow::ensure!(!args.is_empty(), "usage: inference_variants [ROUNDS] VARIANT...");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/astronaut.png");
    let photo: RgbImage = image::open(path)?.into_rgb8();
    let blank = RgbImage::from_pixel(64, 64, Rgb([0, 0, 0]));
    let mut estimators = Vec::new();
    for spec in &args {
        let (model, options) = parse(spec);
        let mut estimator = PoseEstimator::load_with(&model, options)?;
        estimator.prepare(&blank)?;
        estimators.push(estimator);
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); args.len()];
    for _ in 0..rounds {
        for (estimator, times) in estimators.iter_mut().zip(&mut samples) {
            estimator.prepare(&photo)?;
            estimator.infer()?;
            let start = thread_cpu_seconds();
            for _ in 0..PER_ROUND {
                estimator.infer()?;
            }
            times.push(1000.0 * (thread_cpu_seconds() - start) / PER_ROUND as f64);
        }
    }
    let poses: Vec<_> = estimators
        .iter_mut()
        .map(|estimator| estimator.prepare(&photo).map_err(anyhow::Error::from).and_then(|_| Ok(estimator.infer()?)))
        .collect::<anyhow::Result<_>>()?;
    let first = &poses[0];
    let span = photo.width().max(photo.height()) as f32;
    println!(
        "| variant | CPU ms per inference (median of {rounds} rounds) | vs first | largest keypoint move vs first (share of the photo) |"
    );
    println!("|---|---|---|---|");
    let base = median(&mut samples[0].clone());
    for ((spec, times), pose) in args.iter().zip(&mut samples).zip(&poses) {
        let ms = median(times);
        let moved = pose
            .keypoints
            .iter()
            .zip(&first.keypoints)
            .map(|(a, b)| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt() / span)
            .fold(0.0f32, f32::max);
        println!("| {spec} | {ms:.2} | {:.2}x | {moved:.1e} |", ms / base);
    }
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
