//! Command-line interface: argument parsing and dispatch, and the one place errors become exit
//! codes and messages.

mod calibrate;
mod control;
mod errors;
mod handoff;
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use crate::alerts::AlertSettings;
use crate::analyze::{self, AnalyzeError, PostureOptions};
use crate::coach::{Catalog, Coach, SuggestionContext, Target};
use crate::engine::session::{self, CameraCheck, SessionError, SessionSpec};
use crate::engine::{self, EngineCommand, EngineConfig, EngineMessage};
use crate::files::calibration as calibration_file;
use crate::images;
use crate::pose::{ModelChoice, PoseEstimator};
use crate::posture::{PlacementSetting, PostureSettings};
use crate::source::camera;
use crate::source::{SourceError, SourceSpec};

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
        /// Judge against this calibration file (from `slouchwatch calibrate --out FILE`); without
        /// it posture is not judged, apart from the few rules that need no calibration.
        #[arg(long, value_name = "FILE")]
        calibration: Option<PathBuf>,
        /// Where the camera is: auto (detect), front or side.
        #[arg(long, default_value = "auto")]
        placement: PlacementSetting,
        /// Pose model: `lightning` (built in, default), `thunder` (an installed file, slower, more precise)
        /// or the path of a MoveNet-format ONNX file.
        #[arg(long, default_value = "lightning")]
        model: ModelChoice,
    },
    /// Record your neutral, upright posture (from the camera, or photos of you sitting well) as
    /// one of your setups (or to a calibration file with --out), and check the desk. While
    /// slouchwatch runs, opens its calibration wizard.
    Calibrate {
        /// The setup to make or recalibrate ("Desk", "Laptop", "Standing"); default: the one
        /// used last, or "Desk".
        #[arg(long, conflicts_with = "out")]
        setup: Option<String>,
        /// The setup is for standing (at a standing desk): time in it counts as standing.
        #[arg(long, conflicts_with = "out")]
        standing: bool,
        /// `camera` (or `camera:INDEX`, `camera:NAME`): capture a few seconds of you sitting
        /// upright; or an image, or a folder of images, of you sitting upright as you normally work.
        #[arg(long, default_value = "camera")]
        source: SourceSpec,
        /// Write a lone calibration file (JSON) here instead of a setup (for `analyze
        /// --calibration` and `run --calibration`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where the camera is: auto (detect), front or side.
        #[arg(long, default_value = "auto")]
        placement: PlacementSetting,
        /// Pose model (as for `analyze`).
        #[arg(long, default_value = "lightning")]
        model: ModelChoice,
    },
    /// Monitor posture without a window: read the camera (or replay a folder), warn, write the
    /// history, print one JSON line per event.
    Run(RunArgs),
    /// List your setups (named calibrations), with any limit that "I'm sitting fine" widened;
    /// remove one, or reset its limits.
    Setups {
        /// Remove the setup of this name.
        #[arg(long, conflicts_with = "reset")]
        remove: Option<String>,
        /// Put the setup of this name back to the default limits.
        #[arg(long)]
        reset: Option<String>,
    },
    /// List the cameras slouchwatch can use.
    Cameras,
    /// Open the window (also what `slouchwatch` with no command does).
    Gui(GuiArgs),
    /// The daily slouch report (or the last 7 or 30 days) from the history.
    Report(report::ReportArgs),
    /// Commands for the running monitor (status, pause, resume, snooze).
    #[command(flatten)]
    Control(control::ControlCommand),
    /// The stretch catalog, or the ranked suggestions for one problem.
    Stretches {
        /// A problem (forward_head, rounded_shoulders, shoulders_raised, leaning, too_close, head_down) or
        /// need (upper_back_tension, stress, sitting_long): list what helps, best first for a
        /// person at the desk.
        #[arg(long, value_parser = parse_target)]
        problem: Option<Target>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Options of `slouchwatch run` (and, later, of the window).
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Where frames come from: `camera` (the first webcam), `camera:INDEX`, `camera:NAME`, or a
    /// folder of images to replay in name order.
    #[arg(long, default_value = "camera")]
    pub source: SourceSpec,
    /// Frames analysed per second (a replay's frames are this far apart in virtual time).
    #[arg(long, default_value_t = engine::DEFAULT_ANALYSIS_FPS, value_parser = parse_fps)]
    pub fps: f64,
    /// Virtual start time of a replay (RFC 3339, e.g. 2026-11-20T09:00:00+01:00); default now.
    #[arg(long, value_parser = parse_start)]
    pub start: Option<DateTime<FixedOffset>>,
    /// Judge against this lone calibration file (from `slouchwatch calibrate --out FILE`)
    /// instead of your setups (`setups.json` in the config folder).
    #[arg(long, value_name = "FILE")]
    pub calibration: Option<PathBuf>,
    /// Folder for the history database (default: the platform data folder).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Where the camera is: auto (detect), front or side.
    #[arg(long, default_value = "auto")]
    pub placement: PlacementSetting,
    /// Never warn about a head tipped down (for work that needs looking down).
    #[arg(long)]
    pub no_head_down: bool,
    /// Pose model (as for `analyze`).
    #[arg(long, default_value = "lightning")]
    pub model: ModelChoice,
    /// Seconds of bad posture before a warning (0 to 3600).
    #[arg(long, allow_negative_numbers = true, default_value_t = crate::alerts::DEFAULT_WARN_AFTER_S,
          value_parser = clap::value_parser!(i64).range(0..=MAX_WARN_AFTER_S))]
    pub warn_after: i64,
    /// Minutes between warnings (0 to 240).
    #[arg(long, allow_negative_numbers = true, default_value_t = crate::alerts::DEFAULT_COOLDOWN_S / 60,
          value_parser = clap::value_parser!(i64).range(0..=MAX_COOLDOWN_MIN))]
    pub cooldown: i64,
    /// Minutes of sitting before a movement-break reminder (1 to 480).
    #[arg(long, allow_negative_numbers = true, default_value_t = crate::alerts::DEFAULT_BREAK_INTERVAL_S / 60,
          value_parser = clap::value_parser!(i64).range(1..=MAX_BREAK_INTERVAL_MIN))]
    pub break_interval: i64,
    /// Do not show desktop notifications.
    #[arg(long)]
    pub no_notify: bool,
    /// With no camera (or a busy one) at start, keep waiting for it instead of exiting.
    #[arg(long)]
    pub wait_for_camera: bool,
    /// Replay a folder at this speed (virtual seconds per real second; 1 plays it like a camera)
    /// instead of as fast as it can be read.
    #[arg(long, value_parser = parse_speed)]
    pub replay_speed: Option<f64>,
    /// Run this command (through `sh -c`) on warning, cleared, away, back and break_reminder,
    /// with the event's JSON line on its standard input (a smart lamp, a desk controller).
    #[arg(long, value_name = "CMD")]
    pub on_event: Option<String>,
}

/// Options of the window; unset ones follow the saved settings.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GuiArgs {
    /// Where frames come from (as for `run`), instead of the camera chosen in the settings.
    #[arg(long)]
    pub source: Option<String>,
    /// Frames analysed per second, instead of the settings' rate.
    #[arg(long, value_parser = parse_fps)]
    pub fps: Option<f64>,
    /// Keep your setups (the calibrations) in `setups.json` beside this file instead of in the
    /// config folder; while there is no setups file there, the calibration in this file (from
    /// `calibrate --out`) becomes the first setup. Default: `setups.json` in the config folder.
    #[arg(long, value_name = "FILE")]
    pub calibration: Option<PathBuf>,
    /// Folder for the history database (default: the platform data folder).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Folder for the settings and your setups, `settings.json` and `setups.json` (default: the
    /// platform config folder, `~/.config/slouchwatch` on Linux).
    #[arg(long)]
    pub config_dir: Option<PathBuf>,
    /// The screen to open on (default: live, or calibration before the first calibration).
    #[arg(long, value_enum)]
    pub screen: Option<crate::ui::panels::Screen>,
    /// Open the window at this size, WIDTHxHEIGHT in points (default: as last closed).
    #[arg(long, value_parser = parse_window_size)]
    pub window_size: Option<[f32; 2]>,
    /// Open minimised.
    #[arg(long)]
    pub minimised: bool,
    /// Start in the tray, without the window (how the login entry starts it); where there is
    /// no tray, the window opens minimised instead.
    #[arg(long)]
    pub background: bool,
    /// The pause and snooze handed over by the window or the tray (JSON; set by slouchwatch
    /// itself when it moves between the two).
    #[arg(long, hide = true, value_parser = handoff::parse_carry)]
    pub carry: Option<crate::engine::Carry>,
}

fn parse_window_size(text: &str) -> Result<[f32; 2], String> {
    let parsed = text.split_once('x').and_then(|(w, h)| Some([w.trim().parse().ok()?, h.trim().parse().ok()?]));
    match parsed {
        Some([w, h]) if w >= 480.0 && h >= 360.0 && w <= 8000.0 && h <= 8000.0 => Ok([w, h]),
        _ => Err(format!("'{text}' is not a window size: write WIDTHxHEIGHT, at least 480x360, e.g. 1280x800")),
    }
}

/// Longest accepted delay before a warning, seconds: an hour.
const MAX_WARN_AFTER_S: i64 = 3600;
/// Longest accepted time between warnings, minutes: four hours.
const MAX_COOLDOWN_MIN: i64 = 240;
/// Longest accepted break interval, minutes: a working day.
const MAX_BREAK_INTERVAL_MIN: i64 = 480;

fn parse_start(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text).map_err(|_| {
        format!("'{text}' is not a time; write it as RFC 3339 with its offset, e.g. 2026-11-20T09:00:00+01:00")
    })
}

/// Highest accepted analysis rate: beyond a webcam's frame rate nothing is gained.
const MAX_FPS: f64 = 60.0;

fn parse_fps(text: &str) -> Result<f64, String> {
    let fps: f64 = text.parse().map_err(|_| format!("'{text}' is not a number of frames per second"))?;
    if fps.is_finite() && fps > 0.0 && fps <= MAX_FPS {
        Ok(fps)
    } else {
        Err(format!("the analysis rate must be above 0 and at most {MAX_FPS} frames a second, not {text}"))
    }
}

fn parse_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(speed) if speed.is_finite() && speed > 0.0 => Ok(speed),
        _ => Err(format!("the replay speed must be a number above 0 (1 is real time), not {text}")),
    }
}

/// Exit code when the camera cannot be used at start.
const EXIT_NO_CAMERA: u8 = 3;
/// Exit code when another slouchwatch already monitors with the same history.
const EXIT_ALREADY_MONITORING: u8 = 4;

/// Entry point called by `main.rs`.
pub fn main() -> ExitCode {
    crate::memory::tune_allocator();
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        Some(Command::Analyze { paths, json, calibration, placement, model }) => {
            run_analyze(&paths, json, calibration.as_deref(), placement, &model)
        }
        Some(Command::Calibrate { setup, standing, source, out, placement, model }) => {
            // From the camera into the usual file while slouchwatch runs: its window's wizard
            // does it (the camera is in use there).
            if matches!(source, SourceSpec::Camera(_)) && out.is_none() {
                match crate::control::client::open(crate::control::WindowRequest::Calibration) {
                    Ok(()) => {
                        println!("{}", calibrate::opened_in_window(setup.as_deref()));
                        return ExitCode::SUCCESS;
                    }
                    Err(error @ crate::control::client::ClientError::NoWindow) => {
                        eprintln!("error: {error}, or calibrate with `slouchwatch calibrate --out FILE`");
                        return ExitCode::from(EXIT_ALREADY_MONITORING);
                    }
                    Err(_) => {}
                }
            }
            let target = match (out, crate::files::default_calibration_path()) {
                (Some(out), _) => Ok(calibrate::CalibrationTarget::File(out)),
                (None, Some(legacy)) => Ok(calibrate::CalibrationTarget::Setup { name: setup, standing, legacy }),
                (None, None) => Err(anyhow::anyhow!("no config folder could be found; pass --out FILE")),
            };
            target.and_then(|target| calibrate::run_calibrate(&source, &target, placement, &model))
        }
        Some(Command::Run(args)) => run_monitor(&args),
        Some(Command::Setups { remove, reset }) => calibrate::manage_setups(remove.as_deref(), reset.as_deref()),
        Some(Command::Cameras) => list_cameras(),
        Some(Command::Stretches { problem, json }) => show_stretches(problem, json),
        Some(Command::Gui(args)) => run_gui(args, cli.verbose),
        Some(Command::Control(command)) => return control::run(&command),
        Some(Command::Report(args)) => {
            report::run(&args, crate::files::config_dir().map(|dir| dir.join(crate::files::settings::SETTINGS_FILE)))
        }
        None => run_gui(GuiArgs::default(), cli.verbose),
    };
    result.unwrap_or_else(|error| {
        let hint = error
            .chain()
            .find_map(|cause| cause.downcast_ref::<SourceError>())
            .and_then(SourceError::command_line_hint)
            .map(|hint| format!("; {hint}"))
            .unwrap_or_default();
        eprintln!("error: {}{hint}", errors::error_words(error.as_ref()));
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

fn list_cameras() -> anyhow::Result<ExitCode> {
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
fn run_monitor(args: &RunArgs) -> anyhow::Result<ExitCode> {
    // With --calibration, that file alone; without, the setups `calibrate` and the window keep.
    let calibration = args.calibration.as_deref().map(calibration_file::load).transpose()?;
    let (setups, setups_file) = match (&calibration, crate::files::default_calibration_path()) {
        (None, Some(legacy)) => {
            let path = crate::files::setups::path_beside(&legacy);
            let loaded = crate::files::setups::load(&path, &legacy);
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
    let config = EngineConfig {
        setups,
        setups_file,
        camera: Some(args.source.camera_key()),
        fps: args.fps,
        calibration,
        posture: PostureSettings {
            placement: args.placement,
            ignore_head_down: args.no_head_down,
            ..PostureSettings::default()
        },
        alerts: AlertSettings {
            warn_after: TimeDelta::seconds(args.warn_after.max(0)),
            cooldown: TimeDelta::minutes(args.cooldown.max(0)),
            break_interval: TimeDelta::minutes(args.break_interval.max(1)),
            ..AlertSettings::default()
        },
        notifications: !args.no_notify,
        preview: false,
        catalog: Some(Catalog::built_in()?),
        control: None,
        hook: args.on_event.clone(),
    };
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
    let handle = session.handle;
    let stop = handle.commands();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(EngineCommand::Stop);
    }) {
        tracing::warn!("Ctrl-C will not stop cleanly: {error}");
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for message in handle.messages.iter() {
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
    handle.join();
    Ok(ExitCode::SUCCESS)
}

fn parse_target(text: &str) -> Result<Target, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        format!(
            "unknown problem '{text}': use forward_head, rounded_shoulders, shoulders_raised, leaning, too_close, head_down, \
             upper_back_tension, stress or sitting_long"
        )
    })
}

/// `slouchwatch stretches`: the catalog, or what helps with one problem.
fn show_stretches(problem: Option<Target>, json: bool) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::built_in()?;
    let coach = Coach::new(catalog.clone());
    let context = SuggestionContext { at_desk: true, work_hours: true, answers: Vec::new() };
    let entries: Vec<&crate::coach::Entry> = match problem {
        Some(target) => coach.ranked(target, &context),
        None => catalog.entries.iter().collect(),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "entries": entries,
                "ergonomic": catalog.ergonomic,
                "see_a_professional": catalog.see_a_professional,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    for entry in entries {
        let sides = if entry.both_sides { " each side" } else { "" };
        println!("{} - {}", entry.name, entry.summary);
        let places: Vec<&str> = entry.places.iter().map(|place| place.words()).collect();
        let rounds = crate::report::count_words(entry.rounds, "round", "rounds");
        println!("  hold {} s{sides}, {rounds}; {}", entry.hold_s, places.join(", "));
        for (number, step) in entry.steps.iter().enumerate() {
            println!("  {}. {step}", number + 1);
        }
        println!("  Breathing: {}", entry.breathing);
        for caution in &entry.cautions {
            println!("  Careful: {caution}");
        }
        println!();
    }
    if problem.is_none() {
        println!("Desk changes:");
        for fix in &catalog.ergonomic {
            println!("  {}: {}", fix.title, fix.text);
        }
        println!();
    }
    println!("{}", catalog.see_a_professional.intro);
    for sign in &catalog.see_a_professional.signs {
        println!("  - {sign}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `slouchwatch` / `slouchwatch gui`: the window, or the tray alone with `--background`. A
/// running slouchwatch is asked to show its window instead of starting a second one.
fn run_gui(args: GuiArgs, verbose: u8) -> anyhow::Result<ExitCode> {
    if args.carry.is_none() {
        let screen = args.screen.map(crate::ui::panels::Screen::request).unwrap_or(crate::control::WindowRequest::Live);
        let asked = if args.background {
            crate::control::client::status().map(drop)
        } else {
            crate::control::client::open(screen)
        };
        match asked {
            Ok(()) => {
                println!(
                    "slouchwatch is already running{}.",
                    if args.background { "" } else { "; its window is open" }
                );
                return Ok(ExitCode::SUCCESS);
            }
            Err(error @ crate::control::client::ClientError::NoWindow) => {
                eprintln!("error: {error}");
                return Ok(ExitCode::from(EXIT_ALREADY_MONITORING));
            }
            // Nothing running (or no bus to ask on): start.
            Err(_) => {}
        }
    }
    let config_dir = args
        .config_dir
        .clone()
        .or_else(crate::files::config_dir)
        .ok_or_else(|| anyhow::anyhow!("no config folder could be found; pass --config-dir"))?;
    let paths = crate::ui::AppPaths {
        settings: Some(config_dir.join(crate::files::settings::SETTINGS_FILE)),
        calibration: args.calibration.clone().unwrap_or_else(|| config_dir.join(crate::files::CALIBRATION_FILE)),
        data_dir: args.data_dir.clone().or_else(crate::files::data_dir),
        autostart: crate::files::autostart::autostart_dir(),
    };
    let catalog = Catalog::built_in()?;
    let overrides = crate::ui::EngineOverrides {
        source: args.source.clone(),
        fps: args.fps,
        data_dir: args.data_dir.clone(),
        replay_speed: None,
    };
    let starter = crate::ui::engine_starter(overrides, catalog.clone());
    let carry = args.carry.unwrap_or_default();
    if args.background {
        return run_background(&args, verbose, &paths, starter, carry);
    }
    let mut app = crate::ui::SlouchApp::new(paths, starter, catalog).with_source_override(args.source.clone());
    app.carry_over(carry);
    if let Some(screen) = args.screen {
        app.open_screen(screen);
    }
    let minimised = args.minimised || app.settings().start_minimised;
    let exit = app.exit();
    crate::ui::run_window(app, minimised, args.window_size).map_err(|message| anyhow::anyhow!(message))?;
    let exit = exit.lock().map(|exit| *exit).unwrap_or_default();
    if let crate::ui::WindowExit::ToTray(carry) = exit {
        handoff::replace_process(&handoff::arguments(&args, verbose, handoff::Next::Background, &carry))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `slouchwatch gui --background`: the engine and the tray icon, no window. Hands over to the
/// window when it is asked for, or at once (minimised) when there is no tray to live in.
fn run_background(
    args: &GuiArgs,
    verbose: u8,
    paths: &crate::ui::AppPaths,
    starter: crate::ui::EngineStarter,
    carry: crate::engine::Carry,
) -> anyhow::Result<ExitCode> {
    use crate::ui::panels::Screen;
    let to_window = |screen: Screen, minimised: bool, carry: &crate::engine::Carry| {
        let mut arguments = handoff::arguments(args, verbose, handoff::Next::Window(screen), carry);
        if minimised {
            arguments.push("--minimised".into());
        }
        handoff::replace_process(&arguments)
    };
    let (requests, received) = std::sync::mpsc::channel();
    // Ctrl-C, SIGTERM and SIGHUP (logging out) quit like the menu's Quit, so the history is saved.
    let quit = requests.clone();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = quit.send(crate::tray::TrayRequest::Quit);
    }) {
        tracing::warn!("Ctrl-C will not stop cleanly: {error}");
    }
    let tray = match crate::tray::Tray::start(None, crate::tray::RequestSink::new(requests, || {})) {
        Ok(tray) => tray,
        Err(reason) => {
            eprintln!("warning: {reason}; opening the window instead");
            to_window(Screen::Live, true, &carry)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let (settings, settings_notice) = paths.settings.as_deref().map(crate::files::settings::load).unwrap_or_default();
    if let Some(notice) = settings_notice {
        eprintln!("warning: {notice}");
    }
    let setups_file = crate::files::setups::path_beside(&paths.calibration);
    let loaded = crate::files::setups::load(&setups_file, &paths.calibration);
    if let Some(notice) = loaded.notice {
        eprintln!("note: {notice}");
    }
    let calibrated = !loaded.book.setups.is_empty();
    let engine = match starter(&settings, &loaded.book, Some(&setups_file)) {
        Ok(engine) => engine,
        Err(error) => {
            // The window says what is wrong and offers Retry.
            eprintln!("warning: {error}; opening the window");
            drop(tray);
            to_window(Screen::Live, false, &carry)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    for command in carry.commands(Utc::now()) {
        engine.send(command);
    }
    let (exit, carry) = crate::tray::background::run(engine, &tray, &received, calibrated);
    drop(tray);
    match exit {
        crate::tray::background::BackgroundExit::Quit => Ok(ExitCode::SUCCESS),
        crate::tray::background::BackgroundExit::OpenWindow(request) => {
            to_window(Screen::from(request), false, &carry)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
