//! The screens and cards of the window, as free functions: each draws from plain data and
//! returns what the user asked for as [`UiCommand`]s; the app applies them in one place.

mod about;
pub mod kit;
mod live;
mod settings;
mod setups;
mod status;
mod stretches;
mod warning;
mod wizard;
use crate::posture::Problem;
pub use about::about_panel;
pub(crate) use live::bar_width;
pub(crate) use live::measure_row;
pub use live::{LiveView, REPLAY_ENDED, headline_and_why, judged_readings, live_panel, upright_share};
pub use settings::{SettingsView, camera_setting, settings_panel};
pub use setups::setups_section;
pub use status::{status_colour, status_look, status_text, today_words};
pub use stretches::{see_a_professional, stretch_card, stretch_sheet, stretches_panel};
pub use warning::{WarningView, warning_card, warning_message};
pub use wizard::{SetupChoice, WizardStep, WizardView, calibration_panel};

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum UiCommand {
    /// Switch screen.
    Show(Screen),
    /// Snooze warnings for this many minutes.
    SnoozeMinutes(i64),
    /// Snooze warnings until tomorrow (local midnight).
    SnoozeUntilTomorrow,
    /// Pause monitoring.
    Pause,
    /// Resume monitoring.
    Resume,
    /// End a snooze: warnings again from now.
    EndSnooze,
    /// The suggested stretch was done.
    StretchDone(String),
    /// The suggested stretch was declined for now.
    StretchNotNow(String),
    /// Start an entry in the stretch sheet, its hold timer running.
    StartTimer(String),
    /// End the stretch under way without counting it (the sheet closes).
    StopTimer,
    /// Restart the engine (after camera trouble, or with another camera).
    Retry,
    /// List the cameras connected now (for the Settings screen's choice).
    ListCameras,
    /// Show the nudges chosen for a few seconds ("Try it").
    TryNudges,
    /// Start (or not) slouchwatch at login.
    StartAtLogin(bool),
    /// Show or hide the camera picture (monitoring goes on either way).
    ShowCameraImage(bool),
    /// The first run's welcome is read: on to calibrating.
    GetStarted,
    /// Begin the calibration countdown.
    StartCalibration,
    /// Stop a calibration under way.
    CancelCalibration,
    /// Put back the calibration that the one just measured (and saved) replaced.
    KeepEarlierCalibration,
    /// Measure again.
    RetryCalibration,
    /// Show the report of this day (reloading it).
    ReportDay(chrono::NaiveDate),
    /// Show the trend over this many days.
    ReportTrendDays(u32),
    /// Export the report shown as an HTML file, through the desktop's file chooser.
    SaveReport,
    /// Open a file or folder with the desktop's default program.
    OpenPath(std::path::PathBuf),
    /// "I'm sitting fine": the warning was wrong for this person.
    Dispute,
    /// Open the wizard to calibrate the setup of this name (a new one when there is none).
    CalibrateSetup {
        /// The setup's name.
        name: String,
        /// Whether it is a standing setup.
        standing: bool,
    },
    /// Back to the default limit of one problem (or all) in a setup.
    ResetLimits {
        /// The setup's name.
        setup: String,
        /// The problem, or `None` for all.
        problem: Option<Problem>,
    },
    /// Remove a setup.
    RemoveSetup(String),
    /// The wizard's setup name or standing box was changed.
    ChooseSetup(SetupChoice),
}

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Screen {
    /// Live view and status.
    Live,
    /// The calibration wizard.
    Calibration,
    /// The stretch catalog.
    Stretches,
    /// Settings.
    Settings,
    /// The daily report.
    Report,
    /// About, disclaimer, when to see a professional.
    About,
}

impl From<crate::control::WindowRequest> for Screen {
    /// The screen a request from outside opens.
    fn from(request: crate::control::WindowRequest) -> Screen {
        match request {
            crate::control::WindowRequest::Live => Screen::Live,
            crate::control::WindowRequest::Calibration => Screen::Calibration,
            crate::control::WindowRequest::Report => Screen::Report,
        }
    }
}

impl Screen {
    /// What to ask a running slouchwatch for to show this screen (the live view for those
    /// that cannot be asked for).
    pub fn request(self) -> crate::control::WindowRequest {
        match self {
            Screen::Calibration => crate::control::WindowRequest::Calibration,
            Screen::Report => crate::control::WindowRequest::Report,
            _ => crate::control::WindowRequest::Live,
        }
    }
}
