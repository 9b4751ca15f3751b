//! The window's side of the settings: each change applied and saved as it is made (a slider
//! once let go, a text field once left), monitoring restarted when a change needs it, the login
//! entry, and the cameras to choose from.

use super::{SlouchApp, UiCommand};

/// How long settings changes must have stopped before monitoring restarts for them, seconds.
const RESTART_SETTLE_S: f64 = 0.8;
use crate::settings;

impl SlouchApp {
    /// Applies a command of the Settings screen (and of the switches elsewhere that save at once).
    pub(super) fn apply_settings_command(&mut self, command: UiCommand) {
        match command {
            UiCommand::ListCameras => self.list_cameras(),
            UiCommand::TryNudges => self.try_nudges(),
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

    /// Applies the changes made on the Settings screen once they are finished (no slider held,
    /// no text field being typed in): see [`SlouchApp::apply_draft`].
    pub(super) fn apply_finished_changes(&mut self, ctx: &egui::Context) {
        let changing = ctx.egui_is_using_pointer() || ctx.text_edit_focused();
        if self.settings_unsaved() && !changing {
            self.apply_draft();
        }
        // Monitoring restarts once the changes have settled (a slider moved with the arrow keys
        // changes at every key), keeping a pause or snooze in force.
        if self.restart_asked.is_some() {
            let now_s = ctx.input(|input| input.time);
            let asked = *self.restart_asked_at.get_or_insert(now_s);
            if now_s - asked >= RESTART_SETTLE_S && !ctx.egui_is_using_pointer() {
                self.restart_asked = None;
                self.restart_asked_at = None;
                self.restart_engine_keeping_pause();
            } else {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(RESTART_SETTLE_S));
            }
        }
    }

    /// Stops monitoring and starts it again with the settings in force; a pause or a snooze
    /// goes along, as it does to the tray.
    fn restart_engine_keeping_pause(&mut self) {
        let carry = self.engine.take().and_then(|engine| engine.finish()).map(|summary| summary.carry);
        self.start_engine();
        if let Some(carry) = carry {
            self.carry_over(carry);
        }
    }

    /// "Try it": the nudges chosen on the Settings screen, for a few seconds, and a sample
    /// notification when notifications are on; says what was shown or why not.
    fn try_nudges(&mut self) {
        let choice = self.draft.nudge_choice();
        let mut shown = Vec::new();
        if self.draft.notifications {
            let sample = crate::alerts::AlertEvent::Warning {
                problems: vec![crate::posture::Problem::ForwardHead],
                severity: crate::alerts::Severity::Moderate,
                bad_for_s: 60,
            };
            crate::engine::sinks::DesktopNotifier::new(None).notify(&sample);
            shown.push("a notification");
        }
        let problems = crate::nudge::try_it(choice);
        let overlay_shown = !problems.iter().any(|problem| problem.contains("glow"));
        // Without a compositor, dimming is said by the glow instead.
        let can_dim = self.nudges.as_ref().is_none_or(|support| support.dim.is_ok());
        if overlay_shown && (choice.glow || (choice.dim && !can_dim)) {
            shown.push("the glow");
        }
        if overlay_shown && choice.dim && can_dim {
            shown.push("the dimming");
        }
        if choice.sound && !problems.iter().any(|problem| problem.contains("sound")) {
            shown.push("the sound");
        }
        let mut said = match shown.as_slice() {
            [] => "Nothing is chosen to show.".to_owned(),
            shown => format!("Shown: {}.", shown.join(", ")),
        };
        for problem in problems {
            said.push(' ');
            said.push_str(&problem);
        }
        self.nudges_tried = Some(said);
    }

    /// Looks for the cameras connected now, for the Settings screen's choice.
    pub(super) fn list_cameras(&mut self) {
        self.cameras = Some(crate::source::camera::list_all().unwrap_or_default());
    }

    /// The changes on the Settings screen become the settings in force, are saved, and restart
    /// monitoring when they change what the engine was started with.
    pub(super) fn apply_draft(&mut self) {
        let restart = self.draft.source != self.settings.source
            || self.draft.hook_command != self.settings.hook_command
            || self.draft.model != self.settings.model
            || self.draft.fps != self.settings.fps
            || self.draft.notifications != self.settings.notifications
            || self.draft.pause_for_calls != self.settings.pause_for_calls
            || self.draft.quiet_while_presenting != self.settings.quiet_while_presenting
            || self.draft.nudge_choice() != self.settings.nudge_choice()
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
            Ok(()) if restart => "Saved. Monitoring restarts with the new settings.".to_owned(),
            Ok(()) => "Saved.".to_owned(),
            Err(error) => {
                // Also as the notice: said wherever the change was applied from.
                self.notice = Some(error.to_string());
                error.to_string()
            }
        });
        if restart {
            // Each change puts the restart back a little: it happens once they settle.
            self.restart_asked = Some(());
            self.restart_asked_at = None;
        }
    }

    /// Saves the settings in force at once (a switch outside the Settings screen); a failure is
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
        let Some(entry) = &self.paths.autostart else { return Ok(()) };
        let program = std::env::current_exe().map_err(SettingsSaveError::OwnProgram)?;
        entry
            .set(self.settings.start_at_login, &program)
            .map_err(|error| SettingsSaveError::LoginEntry { entry: entry.clone(), error })
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
    #[error("Could not change the login entry in {entry}: {error}")]
    LoginEntry {
        /// Where the entry is kept.
        entry: crate::files::autostart::LoginEntry,
        /// Why.
        #[source]
        error: std::io::Error,
    },
}
