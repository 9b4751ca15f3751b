//! The command line's arguments (clap) and the checks of their values.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use clap::{Parser, Subcommand};

use super::{control, handoff, report};
use crate::coach::Target;
use crate::pose::ModelChoice;
use crate::posture::PlacementSetting;
use crate::source::SourceSpec;

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
        /// A problem (forward_head, rounded_shoulders, shoulders_raised, leaning, too_close, head_down, slumped) or
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
    #[arg(long, default_value_t = crate::engine::DEFAULT_ANALYSIS_FPS, value_parser = parse_fps)]
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
    /// Keep the camera while another program opens it or records from a microphone (by
    /// default slouchwatch gives it over and pauses until they let go: a video call).
    #[arg(long)]
    pub no_call_pause: bool,
    /// Show warnings even while the desktop's Do Not Disturb is on or a window is fullscreen (by
    /// default they are held back then, and one still standing is shown after).
    #[arg(long)]
    pub warn_while_presenting: bool,
    /// Seconds the other program must have let go before the camera is taken back (a testing
    /// aid; default 30).
    #[arg(long, hide = true, value_name = "SECONDS")]
    pub yield_grace: Option<u64>,
    /// Replay a folder at this speed (virtual seconds per real second; 1 plays it like a camera)
    /// instead of as fast as it can be read.
    #[arg(long, value_parser = parse_speed)]
    pub replay_speed: Option<f64>,
    /// Run this command (through `sh -c`; `cmd /C` on Windows) on warning, cleared, away, back
    /// and break_reminder, with the event's JSON line on its standard input (a smart lamp, a
    /// desk controller).
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

pub(super) fn parse_window_size(text: &str) -> Result<[f32; 2], String> {
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

pub(super) fn parse_start(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text).map_err(|_| {
        format!("'{text}' is not a time; write it as RFC 3339 with its offset, e.g. 2026-11-20T09:00:00+01:00")
    })
}

/// Highest accepted analysis rate: beyond a webcam's frame rate nothing is gained.
const MAX_FPS: f64 = 60.0;

pub(super) fn parse_fps(text: &str) -> Result<f64, String> {
    let fps: f64 = text.parse().map_err(|_| format!("'{text}' is not a number of frames per second"))?;
    if fps.is_finite() && fps > 0.0 && fps <= MAX_FPS {
        Ok(fps)
    } else {
        Err(format!("the analysis rate must be above 0 and at most {MAX_FPS} frames a second, not {text}"))
    }
}

pub(super) fn parse_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(speed) if speed.is_finite() && speed > 0.0 => Ok(speed),
        _ => Err(format!("the replay speed must be a number above 0 (1 is real time), not {text}")),
    }
}

pub(super) fn parse_target(text: &str) -> Result<Target, String> {
    Target::named(text).ok_or_else(|| {
        let names: Vec<&str> = Target::all().map(Target::key).collect();
        let (last, rest) = names.split_last().expect("there are targets");
        format!("unknown problem '{text}': use {} or {last}", rest.join(", "))
    })
}
