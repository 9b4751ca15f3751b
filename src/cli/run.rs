//! `slouchwatch run` (the engine without a window, one JSON line per event) and `slouchwatch cameras`.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;

use super::{EXIT_ALREADY_MONITORING, EXIT_NO_CAMERA, RunArgs};
use crate::coach::Catalog;
use crate::engine::{self, EngineCommand, EngineMessage};
use crate::files::calibration as calibration_file;
use crate::session::{self, CameraCheck, SessionError, SessionSpec};
use crate::source::{SourceError, camera};

/// `slouchwatch cameras`: the cameras there are.
pub(super) fn list_cameras() -> anyhow::Result<ExitCode> {
    let cameras = camera::list_cameras()?;
    if cameras.is_empty() {
        println!(
            "No camera found. Connect a webcam (and check that your user may use it, e.g. is in the 'video' group)."
        );
        return Ok(ExitCode::SUCCESS);
    }
    for camera in cameras {
        println!("camera:{}  {}  ({})", camera.index, camera.name, camera.description);
    }
    Ok(ExitCode::SUCCESS)
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
        ..crate::settings::Settings::default()
    };
    let config = settings.engine_config(crate::settings::EngineParts {
        setups,
        setups_file,
        calibration,
        camera: Some(args.source.camera_key()),
        catalog: Some(Catalog::built_in()?),
        preview: false,
    });
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
        Err(SessionError::AlreadyMonitoring(already)) => {
            eprintln!("error: {already}");
            return Ok(ExitCode::from(EXIT_ALREADY_MONITORING));
        }
        Err(error) => return Err(error.into()),
    };
    for notice in &session.notices {
        eprintln!("warning: {notice}");
    }
    let stop = session.commands();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(EngineCommand::Stop);
    }) {
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
