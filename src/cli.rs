//! Command-line interface: argument parsing and dispatch, and the one place errors become exit
//! codes and messages.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::analyze;
use crate::images;
use crate::pose::{ModelChoice, PoseEstimator};

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
    /// Find the 17 body keypoints in image files or folders of images.
    Analyze {
        /// Image files, or folders whose images are taken in name order.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON object per image, one per line, instead of a summary.
        #[arg(long)]
        json: bool,
        /// Pose model: `lightning` (built in, default), `thunder` (built in, slower, more precise)
        /// or the path of a MoveNet-format ONNX file.
        #[arg(long, default_value = "lightning")]
        model: ModelChoice,
    },
}

/// Entry point called by `main.rs`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match cli.command {
        Some(Command::Analyze { paths, json, model }) => run_analyze(&paths, json, &model),
        None => {
            // The window arrives in a later version; until then, show what there is.
            let mut help = <Cli as clap::CommandFactory>::command();
            let _ = help.print_help();
            ExitCode::SUCCESS
        }
    }
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

/// Analyses every image; reports each failure on stderr and goes on. Exit code 1 if any image
/// failed or the model could not be loaded.
fn run_analyze(paths: &[PathBuf], json: bool, model: &ModelChoice) -> ExitCode {
    let started = std::time::Instant::now();
    let mut estimator = match PoseEstimator::load(model) {
        Ok(estimator) => estimator,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    tracing::debug!(model = %model, seconds = started.elapsed().as_secs_f32(), "pose model loaded");

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0usize;
    for entry in images::expand_paths(paths) {
        let result =
            entry.map_err(analyze::AnalyzeError::from).and_then(|path| analyze::analyze_file(&mut estimator, &path));
        match result {
            Ok(record) => {
                let line = if json {
                    serde_json::to_string(&record).unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
                } else {
                    analyze::summary_line(&record)
                };
                if writeln!(out, "{line}").is_err() {
                    // stdout closed (e.g. piped into `head`): nothing more to say.
                    return ExitCode::FAILURE;
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
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
