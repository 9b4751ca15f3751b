//! The files the person owns and where they live: the calibration, the setups and the settings
//! (in the platform's config folder) and the history folder (in its data folder). Every file is
//! private to the user ([`private`]); a damaged file is kept aside, never deleted. A leaf: it
//! knows the posture types it stores, nothing of the engine or the window (the settings file's
//! contents are [`crate::settings`]'s).
//!
//! - [`calibration`]: the calibration JSON;
//! - [`setups`]: the setups JSON;
//! - [`autostart`]: the login entry;
//! - [`private`]: creating folders and files only the user can read.

pub mod autostart;
pub mod calibration;
pub mod private;
pub mod setups;

use std::path::PathBuf;

/// The application's id: the launcher entry's and the icon's name, the window's class (the bus
/// name, `io.github.slouchwatch.Monitor1`, is built on it).
pub const APP_ID: &str = "io.github.slouchwatch";

/// File name of the settings inside the config folder ([`crate::settings`] reads and writes it).
pub const SETTINGS_FILE: &str = "settings.json";

/// File name of the calibration inside the config folder.
pub const CALIBRATION_FILE: &str = "calibration.json";

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "slouchwatch")
}

/// The platform config folder (`~/.config/slouchwatch` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().to_owned())
}

/// The platform's per-user data folder, where the history lives (on Linux
/// `~/.local/share/slouchwatch`).
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().to_owned())
}

/// Where `calibrate` writes and the window and `run` read the calibration by default.
pub fn default_calibration_path() -> Option<PathBuf> {
    config_dir().map(|dir| dir.join(CALIBRATION_FILE))
}

/// Where the settings live by default.
pub fn default_settings_path() -> Option<PathBuf> {
    config_dir().map(|dir| dir.join(SETTINGS_FILE))
}
