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
//! `face` is the face mesh (`face+channel-last`: its depthwise convolutions moved channel-last
//! as MoveNet's), run on the face Lightning finds; its
//! "keypoint move" is the chin's, against the first face variant.

use image::{Rgb, RgbImage};
use slouchwatch::pose::{FaceReader, LoadOptions, ModelChoice, Pose, PoseEstimator};

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
    enum Variant {
        Pose(Box<PoseEstimator>),
        Face(FaceReader),
    }
    let mut finder = PoseEstimator::load_with(
        &ModelChoice::Lightning,
        LoadOptions { without_face: true, ..LoadOptions::default() },
    )?;
    let body: Pose = finder.estimate(&photo)?;
    let mut variants = Vec::new();
    for spec in &args {
        if let Some(rest) = spec.strip_prefix("face") {
            variants.push(Variant::Face(FaceReader::load_with(rest == "+channel-last")?));
            continue;
        }
        let (model, options) = parse(spec);
        let mut estimator = PoseEstimator::load_with(&model, LoadOptions { without_face: true, ..options })?;
        estimator.prepare(&blank)?;
        variants.push(Variant::Pose(Box::new(estimator)));
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); args.len()];
    for _ in 0..rounds {
        for (variant, times) in variants.iter_mut().zip(&mut samples) {
            let mut once: Box<dyn FnMut() -> anyhow::Result<()>> = match variant {
                Variant::Pose(estimator) => {
                    estimator.prepare(&photo)?;
                    Box::new(move || Ok(estimator.infer().map(|_| ())?))
                }
                Variant::Face(reader) => Box::new(|| Ok(reader.read(&photo, &body).map(|_| ())?)),
            };
            once()?;
            let start = thread_cpu_seconds();
            for _ in 0..PER_ROUND {
                once()?;
            }
            times.push(1000.0 * (thread_cpu_seconds() - start) / PER_ROUND as f64);
        }
    }
    // Where each variant puts its points: the 17 keypoints, or the face's chin.
    let points: Vec<Vec<(f32, f32)>> = variants
        .iter_mut()
        .map(|variant| -> anyhow::Result<Vec<(f32, f32)>> {
            Ok(match variant {
                Variant::Pose(estimator) => {
                    estimator.prepare(&photo)?;
                    estimator.infer()?.keypoints.iter().map(|k| (k.x, k.y)).collect()
                }
                Variant::Face(reader) => {
                    reader.read(&photo, &body)?.map(|face| vec![(face.chin.x, face.chin.y)]).unwrap_or_default()
                }
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let first_of_kind = |index: usize| {
        let is_face = matches!(variants[index], Variant::Face(_));
        variants.iter().position(|variant| matches!(variant, Variant::Face(_)) == is_face).unwrap_or(index)
    };
    let span = photo.width().max(photo.height()) as f32;
    println!(
        "| variant | CPU ms per inference (median of {rounds} rounds) | vs first | largest keypoint move vs first of its kind (share of the photo) |"
    );
    println!("|---|---|---|---|");
    let base = median(&mut samples[0].clone());
    for (index, (spec, times)) in args.iter().zip(&mut samples).enumerate() {
        let ms = median(times);
        let moved = points[index]
            .iter()
            .zip(&points[first_of_kind(index)])
            .map(|(a, b)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt() / span)
            .fold(0.0f32, f32::max);
        println!("| {spec} | {ms:.2} | {:.2}x | {moved:.1e} |", ms / base);
    }
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
