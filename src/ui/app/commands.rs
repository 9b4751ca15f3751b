//! Applying what the user asked for, in one place after layout: [`SlouchApp::apply`] hands
//! each command to the file of its concern (the wizard's, the settings', the setups') or
//! applies it here (screens, the report, monitoring, the warning and its stretch).

use chrono::{Local, TimeDelta, Utc};

use super::{Screen, SlouchApp, UiCommand};
use crate::engine::EngineCommand;

impl SlouchApp {
    /// Applies one command.
    pub(super) fn apply(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::Show(screen) => self.show_screen(screen),
            command @ (UiCommand::ReportDay(_)
            | UiCommand::ReportTrendDays(_)
            | UiCommand::SaveReport
            | UiCommand::OpenPath(_)) => self.apply_report_command(command, now_s),
            command @ (UiCommand::SnoozeMinutes(_)
            | UiCommand::SnoozeUntilTomorrow
            | UiCommand::Pause
            | UiCommand::Resume
            | UiCommand::EndSnooze
            | UiCommand::Retry) => self.apply_monitoring_command(command, now_s),
            command @ (UiCommand::StretchDone(_)
            | UiCommand::StretchNotNow(_)
            | UiCommand::StartTimer(_)
            | UiCommand::StopTimer) => self.apply_stretch_command(command, now_s),
            command @ (UiCommand::ListCameras
            | UiCommand::TryNudges
            | UiCommand::StartAtLogin(_)
            | UiCommand::ShowCameraImage(_)) => self.apply_settings_command(command),
            command @ (UiCommand::GetStarted
            | UiCommand::StartCalibration
            | UiCommand::CancelCalibration
            | UiCommand::RetryCalibration) => self.apply_wizard_command(command, now_s),
            command @ (UiCommand::ChooseSetup(_)
            | UiCommand::Dispute
            | UiCommand::CalibrateSetup { .. }
            | UiCommand::ResetLimits { .. }
            | UiCommand::RemoveSetup(_)
            | UiCommand::KeepEarlierCalibration) => self.apply_setup_command(command, now_s),
        }
    }

    /// Switches screen; a change still being made on Settings (a text field) is applied first.
    fn show_screen(&mut self, screen: Screen) {
        if self.settings_unsaved() {
            self.apply_draft();
        }
        self.settings_saved = None;

        if screen == Screen::Report && self.screen != Screen::Report {
            self.report_reader.read_at = None;
        }
        self.wizard_on_screen_change(self.screen, screen);
        self.screen = screen;
    }

    fn apply_report_command(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::ReportDay(date) => {
                if date != self.report.date {
                    // Never another day's numbers under this day's heading.
                    self.report.loaded = None;
                }
                self.report.date = date;
                self.report.saved = None;
                self.read_report(now_s);
            }
            UiCommand::ReportTrendDays(days) => self.report.trend_days = days,
            UiCommand::SaveReport => self.report.export(),
            UiCommand::OpenPath(path) => {
                if let Err(error) = open::that_detached(&path) {
                    self.report.saved = Some(Err(crate::ui::report::SaveError::Open { path, error }));
                }
            }
            _ => {}
        }
    }

    /// Pause, resume, snooze and Retry (restarting the engine).
    fn apply_monitoring_command(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::SnoozeMinutes(minutes) => {
                let until = Utc::now() + TimeDelta::minutes(minutes);
                self.send(EngineCommand::SnoozeUntil(until));
                self.coaching.warning = None;
                let until = until.with_timezone(&Local).format("%H:%M");
                self.coaching.acknowledgement = Some((format!("No posture warnings until {until}."), now_s));
            }
            UiCommand::SnoozeUntilTomorrow => {
                self.send(EngineCommand::SnoozeUntil(crate::tray::next_midnight(Utc::now())));
                self.coaching.warning = None;
                self.coaching.acknowledgement = Some(("No posture warnings until tomorrow.".to_owned(), now_s));
            }
            UiCommand::Pause => {
                self.send(EngineCommand::Pause);
                self.coaching.warning = None;
            }
            UiCommand::Resume => self.send(EngineCommand::Resume),
            UiCommand::EndSnooze => {
                self.send(EngineCommand::Unsnooze);
                let said = "Snooze ended: posture warnings are on again.".to_owned();
                self.coaching.acknowledgement = Some((said, now_s));
            }
            UiCommand::Retry => self.start_engine(),
            _ => {}
        }
    }

    /// The warning's stretch: done, not now, its card and its hold timer.
    fn apply_stretch_command(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::StretchDone(id) => {
                let name = self.catalog.entry(&id).map(|entry| entry.name.clone()).unwrap_or_default();
                // The warning that suggested it is answered; a newer one (another stretch) stays.
                let newer = self
                    .coaching
                    .warning
                    .take()
                    .filter(|warning| warning.suggestion.as_ref().is_some_and(|entry| entry.id != id));
                self.send(EngineCommand::StretchDone(id));
                let said = format!("Well done: {name} is in today's report.");
                self.coaching =
                    super::Coaching { acknowledgement: Some((said, now_s)), warning: newer, ..Default::default() };
            }
            UiCommand::StretchNotNow(id) => {
                self.send(EngineCommand::StretchDeclined(id));
                self.coaching.warning = None;
            }
            UiCommand::StartTimer(id) => self.coaching.timer = Some((id, now_s)),
            UiCommand::StopTimer => self.coaching.timer = None,
            _ => {}
        }
    }
}
