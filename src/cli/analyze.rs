//! `slouchwatch analyze`: the keypoints and the verdict of image files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{errors, load_model};
use crate::analyze::{self, AnalyzeError, PostureOptions};
use crate::files::calibration as calibration_file;
use crate::images;
use crate::pose::ModelChoice;
use crate::posture::{PlacementSetting, PostureSettings};

/// Analyses every image; reports each failure on stderr and goes on. Exit code 1 if any image
/// failed; an error (model, calibration) stops before any image.
pub(super) fn run_analyze(
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
    let mut failures = 0u64;
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
                eprintln!("error: {}", errors::error_words(&error));
            }
        }
    }
    if failures > 0 {
        eprintln!("{} could not be analysed", crate::report::count_words(failures, "input", "inputs"));
        return Ok(ExitCode::FAILURE);
    }
    if options.calibration.is_none() && !json {
        eprintln!(
            "note: without a calibration only sideways lean (front camera) or absolute limits (side camera) are \
             judged; for forward head and shoulders, make one with `slouchwatch calibrate --out FILE` and pass \
             --calibration FILE"
        );
    }
    Ok(ExitCode::SUCCESS)
}
