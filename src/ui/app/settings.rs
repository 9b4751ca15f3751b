//! The window's side of the settings: saving them (with Save, or at once for the switches that
//! act without it), restarting monitoring when a saved change needs it, and the login entry.

use super::{SlouchApp, UiCommand};
use crate::settings;

impl SlouchApp {
    /// Applies a command of the Settings screen (and of the switches elsewhere that save at once).
    pub(super) fn apply_settings_command(&mut self, command: UiCommand) {
        match command {
            UiCommand::DiscardSettings => {
                self.draft = self.settings.clone();
                self.settings_saved = Some("Changes discarded.".to_owned());
            }
            UiCommand::SaveSettings => self.save_draft(),
            UiCommand::StartAtLogin(on) => {
                self.settings.start_at_login = on;
                self.draft.start_at_login = on;
                self.save_settings_now();
                if let Err(error) = self.apply_start_at_login() {
                    self.notice = Some(error.to_string());
                }
            }
            UiCommand::ShowCameraImage(show) => {
                self.settings.show_camera_image = show;
                self.draft.show_camera_image = show;
                self.save_settings_now();
            }
            // The other commands are `apply`'s.
            _ => {}
        }
    }

    /// Save on the Settings screen: the draft becomes the settings in force, is saved, and
    /// restarts monitoring when it changes what the engine was started with.
    fn save_draft(&mut self) {
        let restart = self.draft.source != self.settings.source
            || self.draft.hook_command != self.settings.hook_command
            || self.draft.model != self.settings.model
            || self.draft.fps != self.settings.fps
            || self.draft.notifications != self.settings.notifications
            || self.draft.pause_for_calls != self.settings.pause_for_calls
            || self.draft.quiet_while_presenting != self.settings.quiet_while_presenting
            || self.draft.alert_settings() != self.settings.alert_settings()
            || self.draft.posture_settings() != self.settings.posture_settings();
        self.settings = self.draft.clone();
        let saved = match &self.paths.settings {
            Some(path) => settings::save(path, &self.settings)
                .map_err(|error| SettingsSaveError::Settings { path: path.clone(), error }),
            None => Ok(()),
        };
        let saved = saved.and_then(|()| self.apply_start_at_login());
        self.settings_saved = Some(match saved {
            Ok(()) if restart => "Saved. Monitoring restarted with the new settings.".to_owned(),
            Ok(()) => "Saved.".to_owned(),
            Err(error) => error.to_string(),
        });
        if restart {
            self.start_engine();
        }
    }

    /// Saves the settings in force at once (a switch that acts without Save); a failure is
    /// shown as the notice.
    pub(super) fn save_settings_now(&mut self) {
        if let Some(path) = &self.paths.settings
            && let Err(error) = settings::save(path, &self.settings)
        {
            let error = SettingsSaveError::Settings { path: path.clone(), error };
            self.notice = Some(error.to_string());
        }
    }

    /// Adds or removes the login entry as the settings say.
    fn apply_start_at_login(&self) -> Result<(), SettingsSaveError> {
        let Some(dir) = &self.paths.autostart else { return Ok(()) };
        let program = std::env::current_exe().map_err(SettingsSaveError::OwnProgram)?;
        crate::files::autostart::set_start_at_login(dir, self.settings.start_at_login, &program)
            .map_err(|error| SettingsSaveError::LoginEntry { dir: dir.clone(), error })
    }
}

/// Why the settings did not all take effect.
#[derive(Debug, thiserror::Error)]
pub enum SettingsSaveError {
    /// The settings file could not be written.
    #[error("Could not save the settings to {}: {error}", path.display())]
    Settings {
        /// The settings file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        error: std::io::Error,
    },
    /// The program's own path is unknown, so no login entry can start it.
    #[error("Could not find slouchwatch itself: {0}")]
    OwnProgram(std::io::Error),
    /// The login entry could not be written or removed.
    #[error("Could not change the login entry in {}: {error}", dir.display())]
    LoginEntry {
        /// The autostart folder.
        dir: std::path::PathBuf,
        /// Why.
        #[source]
        error: std::io::Error,
    },
}
