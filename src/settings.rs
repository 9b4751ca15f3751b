//! App configuration: the user's settings (a JSON file in the platform config folder, which the
//! window edits and the tray reads) and the one way settings become an engine's configuration
//! ([`Settings::engine_config`]), used by the window, the tray and `slouchwatch run` (whose
//! options are settings too). It sits above the stages whose defaults it gathers.
//!
//! Every field has a default (`#[serde(default)]`), so files from older versions load; a damaged
//! file is kept as a backup and the defaults are used, with a notice.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::alerts::{self, AlertSettings};
use crate::coach::Catalog;
use crate::engine::sinks::SetupsSink;
use crate::engine::{DEFAULT_ANALYSIS_FPS, EngineConfig};
use crate::pose::ModelChoice;
use crate::posture::setups::SetupBook;
use crate::posture::{Calibration, PlacementSetting, PostureSettings, Sensitivity};

pub use crate::files::SETTINGS_FILE;

/// Version of the settings file this build writes; a file from a newer slouchwatch is kept as a
/// backup and the defaults are used.
pub const SETTINGS_VERSION: u32 = 1;

/// What the window offers for each number (its sliders use these); a hand-edited file outside
/// them is brought inside, with a notice.
pub const SENSITIVITY_RANGE: RangeInclusive<f32> = 0.5..=2.0;
/// See [`SENSITIVITY_RANGE`]. Seconds.
pub const WARN_AFTER_S_RANGE: RangeInclusive<i64> = 5..=300;
/// See [`SENSITIVITY_RANGE`]. Minutes.
pub const COOLDOWN_MIN_RANGE: RangeInclusive<i64> = 0..=60;
/// See [`SENSITIVITY_RANGE`]. Minutes.
pub const BREAK_INTERVAL_MIN_RANGE: RangeInclusive<i64> = 15..=120;
/// See [`SENSITIVITY_RANGE`]. Frames a second.
pub const FPS_RANGE: RangeInclusive<f64> = 0.5..=10.0;
/// Remembered window widths and heights that are used, points (the narrowest layout is 480 wide).
pub const WINDOW_WIDTH_RANGE: RangeInclusive<f32> = 480.0..=8000.0;
/// See [`WINDOW_WIDTH_RANGE`].
pub const WINDOW_HEIGHT_RANGE: RangeInclusive<f32> = 360.0..=8000.0;
/// See [`SENSITIVITY_RANGE`]. Percent.
pub const GOAL_UPRIGHT_PCT_RANGE: RangeInclusive<f64> = 50.0..=100.0;

/// Which built-in model to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelSetting {
    /// MoveNet Lightning (fast).
    #[default]
    Lightning,
    /// MoveNet Thunder (precise).
    Thunder,
}

/// The camera setting that means "the first camera found".
pub const DEFAULT_SOURCE: &str = "camera";

/// Everything the user can set in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Version of the file's layout ([`SETTINGS_VERSION`]).
    pub version: u32,
    /// `camera`, `camera:INDEX`, `camera:NAME` or a folder to replay.
    pub source: String,
    /// Pose model.
    pub model: ModelSetting,
    /// Camera placement.
    pub placement: PlacementSetting,
    /// Verdict sensitivity (1.0 default; higher warns earlier).
    pub sensitivity: f32,
    /// Warn when the head stays tipped down (off for work that needs looking down, such as
    /// paper or a drawing tablet).
    pub warn_head_down: bool,
    /// Seconds of bad posture before a warning.
    pub warn_after_s: i64,
    /// Minutes between warnings.
    pub cooldown_min: i64,
    /// Minutes of sitting before a break reminder.
    pub break_interval_min: i64,
    /// Desktop notifications.
    pub notifications: bool,
    /// Analysed frames per second.
    pub fps: f64,
    /// Start with the window minimised.
    pub start_minimised: bool,
    /// Show the camera picture in the live view (monitoring goes on either way).
    pub show_camera_image: bool,
    /// Dark theme (else light).
    pub dark_mode: bool,
    /// Daily goal: percent of monitored time upright (the report's streaks count days that meet it).
    pub goal_upright_pct: f64,
    /// The window's size and position when it was last closed: `[width, height, x, y]` in points
    /// (`None`: the default size, placed by the desktop).
    pub window: Option<[f32; 4]>,
    /// A command run (through `sh -c`) on warnings, clears, away, back and break reminders, with
    /// the event's JSON on its standard input; empty for none.
    pub hook_command: String,
    /// Start slouchwatch when you log in (an XDG autostart entry).
    pub start_at_login: bool,
    /// Closing the window keeps monitoring from the tray icon (when a tray is there); Quit ends.
    pub close_to_tray: bool,
    /// The first close to the tray has been explained.
    pub close_to_tray_explained: bool,
    /// Give the camera over (pause) while another program uses the camera or records from a
    /// microphone: a video call.
    pub pause_for_calls: bool,
    /// Hold warnings back while the desktop's Do Not Disturb is on or a window is fullscreen
    /// (presenting); one still standing is shown after.
    pub quiet_while_presenting: bool,
    /// Nudge with a glow around the screen's edge while a warning stands.
    pub nudge_glow: bool,
    /// Nudge by dimming the screen a little while a warning stands.
    pub nudge_dim: bool,
    /// Nudge with a sound from the desktop's sound theme when a warning comes.
    pub nudge_sound: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SETTINGS_VERSION,
            source: DEFAULT_SOURCE.into(),
            model: ModelSetting::default(),
            placement: PlacementSetting::Auto,
            sensitivity: 1.0,
            warn_head_down: true,
            warn_after_s: alerts::DEFAULT_WARN_AFTER_S,
            cooldown_min: alerts::DEFAULT_COOLDOWN_S / 60,
            break_interval_min: alerts::DEFAULT_BREAK_INTERVAL_S / 60,
            notifications: true,
            fps: DEFAULT_ANALYSIS_FPS,
            start_minimised: false,
            show_camera_image: true,
            dark_mode: false,
            goal_upright_pct: crate::report::DEFAULT_GOAL_UPRIGHT_PCT,
            window: None,
            hook_command: String::new(),
            start_at_login: false,
            close_to_tray: true,
            close_to_tray_explained: false,
            pause_for_calls: true,
            quiet_while_presenting: true,
            // The glow is the nudge that is seen without reading anything; the dimming and the
            // sound reach further into what the person is doing, so they are asked for.
            nudge_glow: true,
            nudge_dim: false,
            nudge_sound: false,
        }
    }
}

impl Settings {
    /// The nudges chosen besides the notification.
    pub fn nudge_choice(&self) -> crate::nudge::NudgeChoice {
        crate::nudge::NudgeChoice { glow: self.nudge_glow, dim: self.nudge_dim, sound: self.nudge_sound }
    }

    /// The model to load.
    pub fn model_choice(&self) -> ModelChoice {
        match self.model {
            ModelSetting::Lightning => ModelChoice::Lightning,
            ModelSetting::Thunder => ModelChoice::Thunder,
        }
    }

    /// These settings with every number inside what the window offers, and a line for each that
    /// was not (a hand-edited file): its name, the value found and the value used.
    pub fn within_ranges(mut self) -> (Settings, Vec<String>) {
        let defaults = Settings::default();
        let mut changes = Vec::new();
        fn fit<T: PartialOrd + Copy + Display>(
            name: &str,
            value: &mut T,
            range: &RangeInclusive<T>,
            default: T,
            changes: &mut Vec<String>,
        ) {
            // A NaN is neither inside nor comparable: the default replaces it.
            #[allow(clippy::eq_op)]
            let fitted = if *value != *value {
                default
            } else if *value < *range.start() {
                *range.start()
            } else if *value > *range.end() {
                *range.end()
            } else {
                return;
            };
            changes.push(format!("{name} {value} is outside {}-{}, {fitted} is used", range.start(), range.end()));
            *value = fitted;
        }
        fit("sensitivity", &mut self.sensitivity, &SENSITIVITY_RANGE, defaults.sensitivity, &mut changes);
        fit("warn_after_s", &mut self.warn_after_s, &WARN_AFTER_S_RANGE, defaults.warn_after_s, &mut changes);
        fit("cooldown_min", &mut self.cooldown_min, &COOLDOWN_MIN_RANGE, defaults.cooldown_min, &mut changes);
        fit(
            "break_interval_min",
            &mut self.break_interval_min,
            &BREAK_INTERVAL_MIN_RANGE,
            defaults.break_interval_min,
            &mut changes,
        );
        fit("fps", &mut self.fps, &FPS_RANGE, defaults.fps, &mut changes);
        fit(
            "goal_upright_pct",
            &mut self.goal_upright_pct,
            &GOAL_UPRIGHT_PCT_RANGE,
            defaults.goal_upright_pct,
            &mut changes,
        );
        // A remembered window smaller than the narrowest layout, or not finite, is forgotten.
        if let Some([width, height, x, y]) = self.window
            && !([width, height, x, y].iter().all(|v| v.is_finite())
                && WINDOW_WIDTH_RANGE.contains(&width)
                && WINDOW_HEIGHT_RANGE.contains(&height))
        {
            changes.push(format!("window size {width}x{height} is outside what fits; the default is used"));
            self.window = None;
        }
        (self, changes)
    }

    /// The alert timings.
    pub fn alert_settings(&self) -> AlertSettings {
        AlertSettings {
            warn_after: TimeDelta::seconds(self.warn_after_s.max(0)),
            cooldown: TimeDelta::minutes(self.cooldown_min.max(0)),
            break_interval: TimeDelta::minutes(self.break_interval_min.max(1)),
            ..AlertSettings::default()
        }
    }

    /// Placement, sensitivity and which problems are judged.
    pub fn posture_settings(&self) -> PostureSettings {
        PostureSettings {
            placement: self.placement,
            sensitivity: Sensitivity(self.sensitivity.clamp(*SENSITIVITY_RANGE.start(), *SENSITIVITY_RANGE.end())),
            ignore_head_down: !self.warn_head_down,
        }
    }
}

/// What an engine is started with besides the user's settings.
#[derive(Debug, Clone, Default)]
pub struct EngineParts {
    /// The user's setups (judged against when there are any).
    pub setups: SetupBook,
    /// Where the engine's changes to the setups are saved (`None`: kept in memory only).
    pub setups_file: Option<PathBuf>,
    /// A lone calibration (`run --calibration FILE`), used when there are no setups.
    pub calibration: Option<Calibration>,
    /// The camera's name, for picking a setup (`None`: not known).
    pub camera: Option<String>,
    /// The stretch catalog, for suggestions with warnings.
    pub catalog: Option<Catalog>,
    /// Attach each analysed frame to the snapshot (the window's live view).
    pub preview: bool,
}

impl Settings {
    /// The engine's configuration for these settings: the one conversion the window, the tray
    /// and `slouchwatch run` share. The bus status is the session's to attach.
    pub fn engine_config(&self, parts: EngineParts) -> EngineConfig {
        EngineConfig {
            fps: self.fps,
            calibration: parts.calibration,
            posture: self.posture_settings(),
            alerts: self.alert_settings(),
            notifications: self.notifications,
            preview: parts.preview,
            catalog: parts.catalog,
            status: None,
            hook: Some(self.hook_command.clone()).filter(|command| !command.trim().is_empty()),
            setups: parts.setups,
            camera: parts.camera,
            setups_sink: parts.setups_file.map(|path| Arc::new(SetupsFile { path }) as Arc<dyn SetupsSink>),
            yield_to_others: self.pause_for_calls,
            quiet_while_presenting: self.quiet_while_presenting,
            nudge: self.nudge_choice().any().then(|| {
                Arc::new(crate::nudge::ScreenNudger::new(self.nudge_choice()))
                    as Arc<dyn crate::engine::sinks::NudgeSink>
            }),
            ..EngineConfig::default()
        }
    }
}

/// The setups file, as the engine's [`SetupsSink`]: what the engine changed is written at once.
#[derive(Debug)]
pub struct SetupsFile {
    /// The file (`setups.json` in the config folder, or beside `--calibration`).
    pub path: PathBuf,
}

impl SetupsSink for SetupsFile {
    fn setups_changed(&self, book: &SetupBook) {
        if let Err(error) = crate::files::setups::save(&self.path, book) {
            // Monitoring goes on with the setups in memory; said once per failed save.
            tracing::warn!("{error}");
        }
    }
}

/// Loads settings; a missing file gives the defaults, a damaged one is copied to `.bak` and gives
/// the defaults with a notice.
pub fn load(path: &Path) -> (Settings, Option<String>) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return (Settings::default(), None),
        Err(error) => {
            return (
                Settings::default(),
                Some(format!("cannot read {}: {error}; using default settings", path.display())),
            );
        }
    };
    let unusable = match serde_json::from_str::<Settings>(&text) {
        Ok(settings) if settings.version <= SETTINGS_VERSION => {
            let (settings, changes) = settings.within_ranges();
            let notice = (!changes.is_empty())
                .then(|| format!("in the settings file {}: {}", path.display(), changes.join("; ")));
            return (settings, notice);
        }
        Ok(settings) => format!(
            "was written by a newer slouchwatch (settings version {}, this one reads up to {SETTINGS_VERSION})",
            settings.version
        ),
        Err(error) => format!("was damaged ({error})"),
    };
    let backup = path.with_extension("json.bak");
    let notice = if std::fs::copy(path, &backup).is_ok() {
        format!(
            "the settings file {} {unusable}; it was kept as {} and the defaults are used",
            path.display(),
            backup.display()
        )
    } else {
        format!("the settings file {} {unusable}; the defaults are used", path.display())
    };
    (Settings::default(), Some(notice))
}

/// Saves settings (write to a temporary file, then rename).
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(settings).map_err(std::io::Error::other)?;
    crate::files::private::write_atomically(path, (text + "\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_old_files_load_with_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join(SETTINGS_FILE);
        assert_eq!(load(&path), (Settings::default(), None));
        let changed =
            Settings { notifications: false, warn_after_s: 60, model: ModelSetting::Thunder, ..Settings::default() };
        save(&path, &changed).unwrap();
        assert_eq!(load(&path).0, changed);
        std::fs::write(&path, r#"{"warn_after_s": 45}"#).unwrap();
        let (old, notice) = load(&path);
        assert_eq!((old.warn_after_s, old.cooldown_min, notice), (45, 5, None));
    }

    #[test]
    fn each_number_outside_what_the_window_offers_is_brought_inside_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        /// (field, value written, how to read it back, value expected)
        type Case = (&'static str, &'static str, fn(&Settings) -> f64, f64);
        let cases: [Case; 10] = [
            ("sensitivity", "9", |s| s.sensitivity as f64, 2.0),
            ("sensitivity", "0", |s| s.sensitivity as f64, 0.5),
            ("warn_after_s", "-5", |s| s.warn_after_s as f64, 5.0),
            ("warn_after_s", "100000", |s| s.warn_after_s as f64, 300.0),
            ("cooldown_min", "-1", |s| s.cooldown_min as f64, 0.0),
            ("break_interval_min", "1", |s| s.break_interval_min as f64, 15.0),
            ("break_interval_min", "100000", |s| s.break_interval_min as f64, 120.0),
            ("fps", "0", |s| s.fps, 0.5),
            ("fps", "1e9", |s| s.fps, 10.0),
            ("goal_upright_pct", "500", |s| s.goal_upright_pct, 100.0),
        ];
        for (name, value, read, expected) in cases {
            std::fs::write(&path, format!(r#"{{"{name}": {value}, "dark_mode": true}}"#)).unwrap();
            let (settings, notice) = load(&path);
            assert_eq!(read(&settings), expected, "{name} {value}");
            assert!(settings.dark_mode, "the other settings are kept");
            let notice = notice.unwrap_or_default();
            assert!(notice.contains(name) && notice.contains("is used"), "{name}: {notice}");
        }
        let (nan, _) = Settings { fps: f64::NAN, ..Settings::default() }.within_ranges();
        assert_eq!(nan.fps, DEFAULT_ANALYSIS_FPS);
        assert_eq!(Settings::default().within_ranges(), (Settings::default(), vec![]));
    }

    #[test]
    fn a_file_from_a_newer_version_is_kept_and_defaults_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        let future = r#"{"version": 7, "dark_mode": true, "hologram": "on"}"#;
        std::fs::write(&path, future).unwrap();
        let (settings, notice) = load(&path);
        assert_eq!(settings, Settings::default());
        assert!(notice.unwrap().contains("newer slouchwatch (settings version 7"));
        assert_eq!(std::fs::read_to_string(path.with_extension("json.bak")).unwrap(), future);
    }

    #[test]
    fn a_damaged_file_is_kept_and_defaults_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        std::fs::write(&path, "{ damaged").unwrap();
        let (settings, notice) = load(&path);
        assert_eq!(settings, Settings::default());
        assert!(notice.unwrap().contains("kept as"));
        assert_eq!(std::fs::read_to_string(path.with_extension("json.bak")).unwrap(), "{ damaged");
    }
}
