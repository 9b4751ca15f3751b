//! Command-line interface: argument parsing and dispatch, and the one place errors become exit
//! codes and messages.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::analyze::{self, AnalyzeError, PostureOptions};
use crate::calibration_file;
use crate::images;
use crate::pose::{ModelChoice, PoseEstimator};
use crate::posture::{self, PlacementSetting, PostureSettings, QualityGrade};

/// slouchwatch: a local webcam posture monitor. Frames never leave this machine.
#[derive(Debug, Parser)]
#[command(name = "slouchwatch", version, about, long_about = None)]
pub struct Cli {
    /// More log output on stderr (-v: info, -vv: debug, -vvv: trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find the body keypoints and judge the posture in image files or folders of images.
    Analyze {
        /// Image files, or folders whose images are taken in name order.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON object per image, one per line, instead of a summary.
        #[arg(long)]
        json: bool,
        /// Your calibration file (from `slouchwatch calibrate`); without it only the
        /// uncalibrated rules apply.
        #[arg(long)]
        calibration: Option<PathBuf>,
        /// Where the camera is: auto (detect), front or side.
        #[arg(long, default_value = "auto")]
        placement: PlacementSetting,
        /// Pose model: `lightning` (built in, default), `thunder` (built in, slower, more precise)
        /// or the path of a MoveNet-format ONNX file.
        #[arg(long, default_value = "lightning")]
        model: ModelChoice,
    },
    /// Record your neutral, upright posture from photos of you sitting well, and write it to a
    /// calibration file.
    Calibrate {
        /// An image, or a folder of images, of you sitting upright as you normally work (several
        /// frames over a few seconds give a steadier baseline).
        #[arg(long)]
        source: PathBuf,
        /// Where to write the calibration (JSON).
        #[arg(long)]
        out: PathBuf,
        /// Where the camera is: auto (detect), front or side.
        #[arg(long, default_value = "auto")]
        placement: PlacementSetting,
        /// Pose model (as for `analyze`).
        #[arg(long, default_value = "lightning")]
        model: ModelChoice,
    },
}

/// Entry point called by `main.rs`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        Some(Command::Analyze { paths, json, calibration, placement, model }) => {
            run_analyze(&paths, json, calibration.as_deref(), placement, &model)
        }
        Some(Command::Calibrate { source, out, placement, model }) => run_calibrate(&source, &out, placement, &model),
        None => {
            // The window arrives in a later version; until then, show what there is.
            let mut help = <Cli as clap::CommandFactory>::command();
            let _ = help.print_help();
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt().with_max_level(level).with_writer(std::io::stderr).init();
}

fn load_model(model: &ModelChoice) -> anyhow::Result<PoseEstimator> {
    let started = std::time::Instant::now();
    let estimator = PoseEstimator::load(model)?;
    tracing::debug!(model = %model, seconds = started.elapsed().as_secs_f32(), "pose model loaded");
    Ok(estimator)
}

/// Analyses every image; reports each failure on stderr and goes on. Exit code 1 if any image
/// failed; an error (model, calibration) stops before any image.
fn run_analyze(
    paths: &[PathBuf],
    json: bool,
    calibration: Option<&Path>,
    placement: PlacementSetting,
    model: &ModelChoice,
) -> anyhow::Result<ExitCode> {
    let calibration = calibration.map(calibration_file::load).transpose()?;
    let options = PostureOptions { calibration, settings: PostureSettings { placement, ..PostureSettings::default() } };
    let mut estimator = load_model(model)?;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0usize;
    for entry in images::expand_paths(paths) {
        let result =
            entry.map_err(AnalyzeError::from).and_then(|path| analyze::analyze_file(&mut estimator, &path, &options));
        match result {
            Ok(record) => {
                let line = if json {
                    serde_json::to_string(&record).unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
                } else {
                    analyze::summary_line(&record)
                };
                if writeln!(out, "{line}").is_err() {
                    // stdout closed (e.g. piped into `head`): nothing more to say.
                    return Ok(ExitCode::FAILURE);
                }
            }
            Err(error) => {
                failures += 1;
                eprintln!("error: {error:#}");
            }
        }
    }
    if failures > 0 {
        eprintln!("{failures} input(s) could not be analysed");
        return Ok(ExitCode::FAILURE);
    }
    if options.calibration.is_none() && !json {
        eprintln!(
            "note: without a calibration only sideways lean (front camera) or absolute limits (side camera) are \
             judged; run `slouchwatch calibrate` for forward head and shoulder measures"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Calibrates from the images at `source` and writes the file.
fn run_calibrate(
    source: &Path,
    out: &Path,
    placement: PlacementSetting,
    model: &ModelChoice,
) -> anyhow::Result<ExitCode> {
    let mut estimator = load_model(model)?;
    let paths = images::expand_paths(&[source.to_owned()]).into_iter().collect::<Result<Vec<_>, _>>()?;
    let analyze::ImageCalibration { mut calibration, skipped } =
        analyze::calibrate_images(&mut estimator, &paths, placement)?;
    for message in skipped {
        eprintln!("skipped: {message}");
    }
    calibration.created = Some(chrono::Local::now().to_rfc3339());
    calibration_file::save(out, &calibration)?;

    let quality = &calibration.quality;
    let grade = match quality.grade {
        QualityGrade::Good => "good",
        QualityGrade::Fair => "fair",
        QualityGrade::Poor => "poor (consider calibrating again)",
    };
    println!("Calibration written to {}", out.display());
    println!(
        "Quality: {grade}: {} of {} frames used, camera placement {}",
        quality.frames_used, quality.frames_total, calibration.placement
    );
    for note in &quality.notes {
        println!("  - {note}");
    }
    let neutral = &calibration.baseline;
    let show = |label: &str, value: Option<f32>, unit: &str| match value {
        Some(value) => println!("  {label}: {value:.1}{unit}"),
        None => println!("  {label}: unknown"),
    };
    println!("Neutral posture:");
    show("ear-shoulder line from vertical", neutral.forward_head_deg, " degrees");
    show("sideways lean", neutral.lean_deg, " degrees");
    show("head tilt", neutral.head_tilt_deg, " degrees");
    if calibration.placement == posture::CameraPlacement::Side {
        show("trunk lean", neutral.trunk_lean_deg, " degrees");
    }
    Ok(ExitCode::SUCCESS)
}
