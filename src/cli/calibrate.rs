//! `slouchwatch calibrate` and `slouchwatch setups`: measuring a neutral posture from the camera
//! or from photos, saving it as a setup (or a lone calibration file), the desk check it prints,
//! and listing, removing and resetting setups.

use std::path::PathBuf;
use std::process::ExitCode;

use super::load_model;
use crate::analyze;
use crate::engine::calibrate::{CALIBRATION_COUNTDOWN_S, CALIBRATION_FRAMES, CALIBRATION_INTERVAL_MS};
use crate::files::calibration as calibration_file;
use crate::images;
use crate::pose::ModelChoice;
use crate::posture::{self, PlacementSetting};
use crate::source::camera;
use crate::source::{FrameSource, SourceSpec};

/// `slouchwatch calibrate`: from the camera into your setups while slouchwatch runs, its
/// window's wizard does it (the camera is in use there); else measured here, into a setup or
/// the `--out` file.
pub(super) fn command(
    setup: Option<String>,
    standing: bool,
    source: &SourceSpec,
    out: Option<PathBuf>,
    placement: PlacementSetting,
    model: &ModelChoice,
) -> anyhow::Result<ExitCode> {
    if matches!(source, SourceSpec::Camera(_)) && out.is_none() {
        match crate::control::client::open(crate::control::WindowRequest::Calibration) {
            Ok(()) => {
                println!("{}", opened_in_window(setup.as_deref()));
                return Ok(ExitCode::SUCCESS);
            }
            Err(error @ crate::control::client::ClientError::NoWindow) => {
                eprintln!("error: {error}, or calibrate with `slouchwatch calibrate --out FILE`");
                return Ok(ExitCode::from(super::EXIT_ALREADY_MONITORING));
            }
            Err(_) => {}
        }
    }
    let target = match (out, crate::files::default_calibration_path()) {
        (Some(out), _) => CalibrationTarget::File(out),
        (None, Some(legacy)) => CalibrationTarget::Setup { name: setup, standing, legacy },
        (None, None) => anyhow::bail!("no config folder could be found; pass --out FILE"),
    };
    run_calibrate(source, &target, placement, model)
}

/// [`CALIBRATION_INTERVAL_MS`] as a duration.
const CALIBRATION_INTERVAL: std::time::Duration = std::time::Duration::from_millis(CALIBRATION_INTERVAL_MS as u64);

/// Captures a few seconds of frames from the camera, in memory only (as the window's wizard
/// does, with the same counts).
fn capture_calibration_frames(selector: &crate::source::CameraSelector) -> anyhow::Result<Vec<image::RgbImage>> {
    let mut camera = camera::guarded(selector.clone());
    camera.reconnect()?;
    println!("Sit upright as you normally work, look at the screen and hold still.");
    for second in (1..=CALIBRATION_COUNTDOWN_S).rev() {
        println!("  {second}...");
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    println!("Capturing for {:.0} seconds...", CALIBRATION_FRAMES as f32 * CALIBRATION_INTERVAL.as_secs_f32());
    let mut frames = Vec::new();
    while frames.len() < CALIBRATION_FRAMES {
        match camera.next_frame() {
            Ok(Some(frame)) => frames.push(frame.image),
            Ok(None) => break,
            Err(error) if error.is_single_frame() => tracing::debug!("{error}"),
            Err(error) => return Err(error.into()),
        }
        std::thread::sleep(CALIBRATION_INTERVAL);
    }
    // The camera (and its light) goes off now, not when its thread gets round to it.
    camera.release();
    Ok(frames)
}

/// What `calibrate` says when the running window's wizard takes over (it holds the camera). The
/// bus only opens the wizard, so a setup named on the command line is not carried over: the
/// person is told to name it in the wizard's Setup field rather than have it silently dropped.
pub(super) fn opened_in_window(setup: Option<&str>) -> String {
    match setup {
        Some(name) => format!(
            "The calibration opens in the slouchwatch window. To calibrate the setup \"{name}\", type {name} \
             in its Setup field there before you start."
        ),
        None => "The calibration opens in the slouchwatch window.".to_owned(),
    }
}

/// Where `calibrate` puts what it measured.
pub(super) enum CalibrationTarget {
    /// A lone calibration file.
    File(PathBuf),
    /// A setup in the setups file beside `legacy` (the old calibration file's place).
    Setup {
        /// Its name (`None`: the one used last, or the default).
        name: Option<String>,
        /// Whether it is a standing setup.
        standing: bool,
        /// The old single calibration file, migrated first if there is no setups file.
        legacy: PathBuf,
    },
}

/// Calibrates from the camera or the images at `source`, saves it as `target` says, and prints
/// its quality, the neutral measures and the desk check.
pub(super) fn run_calibrate(
    source: &SourceSpec,
    target: &CalibrationTarget,
    placement: PlacementSetting,
    model: &ModelChoice,
) -> anyhow::Result<ExitCode> {
    if let CalibrationTarget::Setup { name: Some(name), .. } = target {
        crate::posture::setups::clean_name(name)?;
    }
    let mut estimator = load_model(model)?;
    let mut calibration = match source {
        SourceSpec::Camera(selector) => {
            let frames = capture_calibration_frames(selector)?;
            crate::engine::calibrate::calibrate_frames(&mut estimator, &frames, placement)?
        }
        SourceSpec::Folder(path) => {
            let paths = images::expand_paths(std::slice::from_ref(path)).into_iter().collect::<Result<Vec<_>, _>>()?;
            let analyze::ImageCalibration { calibration, skipped } =
                analyze::calibrate_images(&mut estimator, &paths, placement)?;
            for message in skipped {
                eprintln!("skipped: {message}");
            }
            calibration
        }
    };
    calibration.created = Some(chrono::Local::now().to_rfc3339());
    match target {
        CalibrationTarget::File(out) => {
            calibration_file::save(out, &calibration)?;
            println!("Calibration written to {}", out.display());
        }
        CalibrationTarget::Setup { name, standing, legacy } => {
            let (path, loaded) = crate::files::setups::load_beside(legacy);
            if let Some(notice) = loaded.notice {
                eprintln!("note: {notice}");
            }
            let mut book = loaded.book;
            let name = match name {
                Some(name) => crate::posture::setups::clean_name(name)?,
                None => book.last_used.clone().unwrap_or_else(|| posture::setups::MIGRATED_SETUP_NAME.to_owned()),
            };
            // A camera is the setup's camera; photos fit any camera.
            let camera = matches!(source, SourceSpec::Camera(_)).then(|| source.camera_key());
            let verb = if book.get(&name).is_some() { "recalibrated" } else { "made" };
            let made = posture::setups::Setup { name: name.clone(), camera, standing: *standing, calibration };
            book.put(made.clone());
            crate::files::setups::save(&path, &book)?;
            println!("Setup \"{name}\" {verb} in {} (your setups: {})", path.display(), book.names());
            calibration = made.calibration;
        }
    }

    let quality = &calibration.quality;
    let grade = quality.grade.words();
    println!(
        "Quality: {grade}: {} of {} used, camera placement {}",
        quality.frames_used,
        crate::report::count_words(quality.frames_total as u64, "frame", "frames"),
        calibration.placement
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
    if calibration.placement == posture::CameraPlacement::Front {
        let items = posture::desk::desk_check(&calibration, &posture::desk::DayMeasures::default());
        for line in posture::desk::desk_lines(&items) {
            println!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slouchwatch setups`: lists them; `--remove NAME`, `--reset NAME` change them first. (While
/// the window runs, change them in its Settings: it keeps its own copy.)
pub(super) fn manage_setups(remove: Option<&str>, reset: Option<&str>) -> anyhow::Result<ExitCode> {
    let legacy = crate::files::default_calibration_path()
        .ok_or_else(|| anyhow::anyhow!("no config folder could be found (is HOME set?)"))?;
    let (path, loaded) = crate::files::setups::load_beside(&legacy);
    if let Some(notice) = loaded.notice {
        eprintln!("note: {notice}");
    }
    let mut book = loaded.book;
    if let Some(name) = remove {
        let name = book.require(name)?.name.clone();
        book.remove(&name);
        crate::files::setups::save(&path, &book)?;
        println!("Removed the setup \"{name}\".");
    }
    if let Some(name) = reset {
        let name = book.require(name)?.name.clone();
        if let Some(setup) = book.get_mut(&name) {
            setup.calibration.disputes.reset(None);
        }
        crate::files::setups::save(&path, &book)?;
        println!("The setup \"{name}\" is back to the default limits.");
    }
    if book.setups.is_empty() {
        println!("No setups yet: run `slouchwatch calibrate --setup NAME` (or calibrate in the window).");
        return Ok(ExitCode::SUCCESS);
    }
    for setup in &book.setups {
        let last = if book.last_used.as_deref() == Some(setup.name.as_str()) { ", used last" } else { "" };
        println!(
            "{}{}: camera {}, calibrated {}, quality {}{last}",
            setup.name,
            if setup.standing { " (standing)" } else { "" },
            setup.camera.as_deref().unwrap_or("any"),
            setup.calibration.created.as_deref().map(|created| created.get(..10).unwrap_or(created)).unwrap_or("-"),
            setup.calibration.quality.grade.words(),
        );
        for (problem, widening) in setup.calibration.disputes.widened() {
            println!("  {} limit {}", problem.words(), widening.reason());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setup_named_for_the_window_is_not_dropped_silently() {
        let said = opened_in_window(Some("Laptop"));
        assert!(said.contains("\"Laptop\"") && said.contains("Setup field"), "{said}");
        assert!(!opened_in_window(None).contains("Setup field"));
    }
}
