//! The window's persisted settings: a JSON file in the platform config folder. Every field has a
//! default (`#[serde(default)]`), so files from older versions load; a damaged file is kept as a
//! backup and the defaults are used, with a notice.

use std::path::{Path, PathBuf};

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::alerts::{self, AlertSettings};
use crate::engine::DEFAULT_ANALYSIS_FPS;
use crate::pose::ModelChoice;
use crate::posture::{PlacementSetting, PostureSettings, Sensitivity};

/// File name of the settings inside the config folder.
pub const SETTINGS_FILE: &str = "settings.json";

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

/// Everything the user can set in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `camera`, `camera:INDEX`, `camera:NAME` or a folder to replay.
    pub source: String,
    /// Pose model.
    pub model: ModelSetting,
    /// Camera placement.
    pub placement: PlacementSetting,
    /// Verdict sensitivity (1.0 default; higher warns earlier).
    pub sensitivity: f32,
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            source: "camera".into(),
            model: ModelSetting::default(),
            placement: PlacementSetting::Auto,
            sensitivity: 1.0,
            warn_after_s: alerts::DEFAULT_WARN_AFTER_S,
            cooldown_min: alerts::DEFAULT_COOLDOWN_S / 60,
            break_interval_min: alerts::DEFAULT_BREAK_INTERVAL_S / 60,
            notifications: true,
            fps: DEFAULT_ANALYSIS_FPS,
            start_minimised: false,
            show_camera_image: true,
            dark_mode: false,
            goal_upright_pct: crate::report::DEFAULT_GOAL_UPRIGHT_PCT,
        }
    }
}

impl Settings {
    /// The model to load.
    pub fn model_choice(&self) -> ModelChoice {
        match self.model {
            ModelSetting::Lightning => ModelChoice::Lightning,
            ModelSetting::Thunder => ModelChoice::Thunder,
        }
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

    /// Placement and sensitivity.
    pub fn posture_settings(&self) -> PostureSettings {
        PostureSettings { placement: self.placement, sensitivity: Sensitivity(self.sensitivity.clamp(0.5, 2.0)) }
    }
}

/// The default settings file: `~/.config/slouchwatch/settings.json` on Linux.
pub fn default_settings_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "slouchwatch").map(|dirs| dirs.config_dir().join(SETTINGS_FILE))
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
    match serde_json::from_str(&text) {
        Ok(settings) => (settings, None),
        Err(error) => {
            let backup = path.with_extension("json.bak");
            let kept = std::fs::copy(path, &backup).is_ok();
            let notice = if kept {
                format!(
                    "the settings file {} was damaged ({error}); it was kept as {} and the defaults are used",
                    path.display(),
                    backup.display()
                )
            } else {
                format!("the settings file {} was damaged ({error}); the defaults are used", path.display())
            };
            (Settings::default(), Some(notice))
        }
    }
}

/// Saves settings (write to a temporary file, then rename).
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(settings).map_err(std::io::Error::other)?;
    crate::private_files::write_atomically(path, (text + "\n").as_bytes())
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
