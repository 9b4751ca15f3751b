//! Development check on the real photos in `../shared/eval/` (not part of the project: their
//! licences do not allow copying them in). Calibrates on some upright frames, classifies the rest
//! and prints confusion tables, with how many frames' faces the face mesh read. Skips, successfully, when `../shared/eval` is absent.
//!
//! Run: `cargo run --release --example eval_check [-- --size 160]` (`--size`: run the model at
//! another input size, a multiple of 32)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use slouchwatch::analyze::{self, PostureOptions};
use slouchwatch::images;
use slouchwatch::pose::{LoadOptions, ModelChoice, PoseEstimator};
use slouchwatch::posture::{self, Calibration, PlacementSetting, Posture};

/// Upright front frames used for calibration (the rest of `front/good` is tested).
const FRONT_CALIBRATION_FRAMES: usize = 4;

fn main() -> anyhow::Result<()> {
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    if !eval.join("MANIFEST.tsv").exists() {
        println!("skipped: {} is not here (it lives beside the repository on development machines)", eval.display());
        return Ok(());
    }
    let args: Vec<String> = std::env::args().collect();
    let run_size =
        args.iter().position(|arg| arg == "--size").and_then(|at| args.get(at + 1)).map(|n| n.parse()).transpose()?;
    let mut estimator =
        PoseEstimator::load_with(&ModelChoice::Lightning, LoadOptions { run_size, ..LoadOptions::default() })?;

    let front_good = images::images_in_folder(&eval.join("front/good"))?;
    let (calibration_frames, test_good) = front_good.split_at(FRONT_CALIBRATION_FRAMES);
    let front_calibration = calibrate(&mut estimator, calibration_frames, PlacementSetting::Front)?;
    let desk = slouchwatch::posture::desk::desk_check(&front_calibration, &Default::default());
    println!("Desk: {:?}", slouchwatch::posture::desk::geometry(&front_calibration));
    for line in slouchwatch::posture::desk::desk_lines(&desk) {
        println!("  {line}");
    }
    println!(
        "Front: calibrated on {} upright frames (quality {:?}; {})",
        calibration_frames.len(),
        front_calibration.quality.grade,
        front_calibration.quality.notes.join("; ")
    );
    let front_sets = [
        ("good", test_good.to_vec()),
        ("borderline", images::images_in_folder(&eval.join("front/borderline"))?),
        ("bad", images::images_in_folder(&eval.join("front/bad"))?),
    ];
    table(&mut estimator, &front_sets, &PostureOptions { calibration: Some(front_calibration), ..Default::default() })?;

    let side_sets = [
        ("good", images::images_in_folder(&eval.join("side/good"))?),
        ("bad", images::images_in_folder(&eval.join("side/bad"))?),
        ("other", images::images_in_folder(&eval.join("side/other"))?),
    ];
    println!("\nSide, uncalibrated (absolute limits):");
    let side_uncalibrated = PostureOptions {
        settings: posture::PostureSettings { placement: PlacementSetting::Side, ..Default::default() },
        ..Default::default()
    };
    table(&mut estimator, &side_sets, &side_uncalibrated)?;

    println!("\nStanding, front, uncalibrated (only sideways lean is judged):");
    let standing = [("labelled", images::images_in_folder(&eval.join("standing"))?)];
    table(&mut estimator, &standing, &PostureOptions::default())?;
    Ok(())
}

fn calibrate(
    estimator: &mut PoseEstimator,
    frames: &[PathBuf],
    placement: PlacementSetting,
) -> anyhow::Result<Calibration> {
    Ok(analyze::calibrate_images(estimator, frames, placement)?.calibration)
}

fn table(estimator: &mut PoseEstimator, sets: &[(&str, Vec<PathBuf>)], options: &PostureOptions) -> anyhow::Result<()> {
    println!("{:<12} {:>5} {:>5} {:>8} {:>6}   problems seen", "label", "good", "bad", "unknown", "faces");
    for (label, frames) in sets {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut problems: BTreeMap<String, usize> = BTreeMap::new();
        let mut faces = 0;
        for frame in frames {
            let record = analyze::analyze_file(estimator, frame, options)?;
            faces += usize::from(record.face_read);
            let verdict = match record.posture {
                Posture::Good => "good",
                Posture::Bad => "bad",
                Posture::Unknown => "unknown",
            };
            *counts.entry(verdict).or_default() += 1;
            for problem in &record.problems {
                *problems.entry(problem.words().to_owned()).or_default() += 1;
            }
        }
        let count = |key| counts.get(key).copied().unwrap_or(0);
        let seen: Vec<String> = problems.iter().map(|(problem, n)| format!("{problem} x{n}")).collect();
        println!(
            "{:<12} {:>5} {:>5} {:>8} {:>6}   {}",
            label,
            count("good"),
            count("bad"),
            count("unknown"),
            format!("{faces}/{}", frames.len()),
            seen.join(", ")
        );
    }
    Ok(())
}
