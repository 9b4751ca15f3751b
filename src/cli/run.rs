//! `slouchwatch run` (the engine without a window, one JSON line per event) and `slouchwatch cameras`.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;

use super::{EXIT_ALREADY_MONITORING, EXIT_NO_CAMERA, RunArgs};
use crate::coach::Catalog;
use crate::engine::{self, EngineMessage};
use crate::files::calibration as calibration_file;
use crate::session::{self, CameraCheck, SessionError, SessionSpec};
use crate::source::camera::{self, CameraListing, Preference, modes};
use crate::source::{CameraSelector, SourceError};

/// `slouchwatch cameras`: the cameras there are, which one is the default, and why the other
/// video nodes are not cameras.
pub(super) fn list_cameras() -> anyhow::Result<ExitCode> {
    print!("{}", cameras_text(&camera::list_all()?));
    Ok(ExitCode::SUCCESS)
}

/// What `slouchwatch cameras` prints for the video nodes `all` (every node, judged).
pub(crate) fn cameras_text(all: &[CameraListing]) -> String {
    use std::fmt::Write as _;
    let default = camera::choose(&CameraSelector::Default, all);
    let mut text = String::new();
    let usable: Vec<&CameraListing> = all.iter().filter(|listing| listing.usable()).collect();
    if usable.is_empty() {
        match default.as_ref().err().cloned().unwrap_or(SourceError::NoCamera) {
            // "no camera found: connect a webcam, ..."
            SourceError::NoCamera => {
                let reason = SourceError::NoCamera.to_string();
                let _ = writeln!(text, "N{}.", reason.strip_prefix('n').unwrap_or(&reason));
            }
            reason => {
                let _ = writeln!(text, "No camera found: {reason}.");
            }
        }
    } else {
        let _ = writeln!(text, "Cameras (the default, used by --source camera, is marked *):");
    }
    for listing in &usable {
        let is_default = default.as_ref().is_ok_and(|chosen| chosen.index == listing.index);
        let mark = if is_default { "*" } else { " " };
        let driver = if listing.driver.is_empty() { String::new() } else { format!(", {}", listing.driver) };
        let _ =
            writeln!(text, "{mark} camera:{}  {}  ({}{driver})", listing.index, listing.name, listing.device.display());
        if !listing.formats.is_empty() {
            let mode =
                modes::choose_mode(&listing.formats, Preference::Usual, &mut |_, _, _| modes::Intervals::Unknown);
            let opens = mode.map(|mode| format!("; opens in {mode}")).unwrap_or_default();
            let _ = writeln!(text, "      offers {}{opens}", listing.format_names());
        }
        if listing.infrared {
            let _ = writeln!(
                text,
                "      an IR camera (face unlock, grey pictures): used only when chosen by number or name"
            );
        }
    }
    let skipped: Vec<&CameraListing> = all.iter().filter(|listing| !listing.usable()).collect();
    if !skipped.is_empty() {
        let _ = writeln!(text, "Video nodes that are not cameras slouchwatch can use:");
        for listing in skipped {
            let reason = listing.skipped.as_ref().map(ToString::to_string).unwrap_or_default();
            let _ = writeln!(text, "  {}  {}: {reason}", listing.device.display(), listing.name);
        }
    }
    text
}

/// `slouchwatch run`: the engine without a window.
pub(super) fn run_monitor(args: &RunArgs) -> anyhow::Result<ExitCode> {
    // With --calibration, that file alone; without, the setups `calibrate` and the window keep.
    let calibration = args.calibration.as_deref().map(calibration_file::load).transpose()?;
    let (setups, setups_file) = match (&calibration, crate::files::default_calibration_path()) {
        (None, Some(legacy)) => {
            let (path, loaded) = crate::files::setups::load_beside(&legacy);
            if let Some(notice) = loaded.notice {
                eprintln!("note: {notice}");
            }
            (loaded.book, Some(path))
        }
        _ => (Default::default(), None),
    };
    if calibration.is_none() && setups.setups.is_empty() {
        eprintln!("note: no calibration yet: run `slouchwatch calibrate` for forward-head and shoulder warnings");
    }
    // The options are settings, made into the engine's configuration as the window's are.
    let settings = crate::settings::Settings {
        fps: args.fps,
        placement: args.placement,
        warn_head_down: !args.no_head_down,
        warn_after_s: args.warn_after,
        cooldown_min: args.cooldown,
        break_interval_min: args.break_interval,
        notifications: !args.no_notify,
        hook_command: args.on_event.clone().unwrap_or_default(),
        pause_for_calls: !args.no_call_pause,
        quiet_while_presenting: !args.warn_while_presenting,
        ..crate::settings::Settings::default()
    };
    let mut config = settings.engine_config(crate::settings::EngineParts {
        setups,
        setups_file,
        calibration,
        camera: Some(args.source.camera_key()),
        catalog: Some(Catalog::built_in()?),
        preview: false,
    });
    if let Some(seconds) = args.yield_grace {
        config.yield_grace = std::time::Duration::from_secs(seconds);
    }
    let spec = SessionSpec {
        replay_start: args.start.map(|start| start.with_timezone(&Utc)),
        camera_check: if args.wait_for_camera { CameraCheck::WaitIfMissing } else { CameraCheck::Require },
        model: args.model.clone(),
        data_dir: args.data_dir.clone(),
        control: true,
        replay_speed: args.replay_speed,
        ..SessionSpec::new(args.source.clone())
    };
    let session = match session::start(&spec, config) {
        Ok(session) => session,
        Err(SessionError::Source(
            error @ (SourceError::NoCamera | SourceError::CameraBusy { .. } | SourceError::CameraNotFound { .. }),
        )) => {
            let hint = error.command_line_hint().map(|hint| format!("; {hint}")).unwrap_or_default();
            eprintln!("error: {error}{hint} (or pass --wait-for-camera to wait for it)");
            return Ok(ExitCode::from(EXIT_NO_CAMERA));
        }
        Err(SessionError::Source(
            error @ (SourceError::ImageProcessorCamera | SourceError::CameraPermission { .. }),
        )) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(EXIT_NO_CAMERA));
        }
        Err(SessionError::AlreadyMonitoring(already)) => {
            eprintln!("error: {already}");
            return Ok(ExitCode::from(EXIT_ALREADY_MONITORING));
        }
        Err(error) => return Err(error.into()),
    };
    for notice in &session.notices {
        eprintln!("warning: {notice}");
    }
    let stop = session.stopper();
    if let Err(error) = ctrlc::set_handler(move || stop.stop()) {
        tracing::warn!("Ctrl-C will not stop cleanly: {error}");
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for message in session.messages().iter() {
        let line = match message {
            EngineMessage::Snapshot(_)
            | EngineMessage::Calibration(_)
            | EngineMessage::ShowWindow(_)
            | EngineMessage::Setups(_) => continue,
            EngineMessage::Event(event) => match &event.event {
                // Episodes and snoozed warnings go to the history only.
                engine::EngineEvent::Alert(
                    crate::alerts::AlertEvent::EpisodeEnded { .. } | crate::alerts::AlertEvent::WarningSnoozed { .. },
                ) => continue,
                _ => serde_json::to_string(&event)?,
            },
            EngineMessage::Finished(summary) => {
                let mut value = serde_json::to_value(&summary)?;
                if let Some(object) = value.as_object_mut() {
                    object.insert("event".into(), "summary".into());
                }
                serde_json::to_string(&value)?
            }
        };
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
    session.join();
    Ok(ExitCode::SUCCESS)
}

// `cameras` on recorded V4L2 machines (device nodes, by-id links): Linux's.
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use crate::source::camera::recorded::machine;

    #[test]
    fn cameras_lists_the_default_the_ir_camera_and_what_is_not_a_camera() {
        let text = cameras_text(&machine("desk"));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Cameras"), "{text}");
        let default: Vec<&&str> = lines.iter().filter(|line| line.starts_with('*')).collect();
        assert_eq!(default.len(), 1, "{text}");
        assert!(default[0].contains("camera:0") && default[0].contains("/dev/video0"), "{text}");
        assert!(text.contains("offers YUYV; opens in YUYV 640x480 at 30 fps"), "{text}");
        assert!(text.contains("offers YUYV, H264, MJPG; opens in MJPG 640x480 at 5 fps"), "{text}");
        assert!(text.contains("camera:2") && text.contains("an IR camera"), "{text}");
        assert_eq!(text.matches("metadata node: no pictures").count(), 4, "{text}");
    }

    #[test]
    fn cameras_on_an_ipu6_laptop_says_why_none_is_usable() {
        let text = cameras_text(&machine("ipu6-laptop"));
        assert!(text.starts_with("No camera found: this computer's camera sits behind an Intel IPU6"), "{text}");
        assert!(text.contains("libcamera"), "{text}");
        let video3 = text.lines().find(|line| line.contains("/dev/video3")).unwrap_or_default();
        assert!(video3.contains("Intel IPU6 ISYS Capture"), "{text}");
        assert!(video3.ends_with("no format slouchwatch reads (offers BG10, pBAA, GR10)"), "{text}");
        let nothing = cameras_text(&[]);
        assert!(nothing.starts_with("No camera found: connect a webcam"), "{nothing}");
    }
}
