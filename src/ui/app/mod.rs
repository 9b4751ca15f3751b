//! The window: its state and its update loop. It reads what the engine publishes, draws the
//! screens, and applies the user's commands in one place after layout. It never captures or
//! runs the model itself (the engine thread does, and goes on when the window is minimised).
//!
//! One file per concern, each an `impl SlouchApp`:
//! - this file: the state (grouped by concern) and the window's life: start, accessors, shut down;
//! - `engine.rs`: starting the engine and taking in its messages;
//! - `draw.rs`: drawing a frame (tabs, the screen shown);
//! - `commands.rs`: applying the user's commands (handing each to its concern's file);
//! - `wizard.rs`, `setups.rs`, `settings.rs`: the calibration wizard, the setups, the settings;
//! - `tray.rs`: the tray icon while the window is open; `leaving.rs`: every way out.

use std::path::PathBuf;

use chrono::{DateTime, Local, Utc};

use super::panels::{self, Screen, SetupChoice, UiCommand, WarningView};

mod commands;
mod draw;
mod engine;
mod leaving;
mod settings;
mod setups;
mod tray;
mod wizard;
use super::report::{ReportReader, ReportView};
use crate::coach::Catalog;
use crate::engine::Snapshot;
use crate::posture::Calibration;
use crate::posture::setups::SetupBook;
use crate::session::{Session, SessionError};
use crate::settings::Settings;
use leaving::Leaving;
pub use settings::SettingsSaveError;
use wizard::Wizard;

/// How often the window redraws while monitoring, to show new snapshots.
const REFRESH: std::time::Duration = std::time::Duration::from_millis(200);
/// How long an acknowledgement (after Done, after a snooze) stays on the live screen, seconds.
const ACKNOWLEDGEMENT_S: f64 = 6.0;

/// While the Report screen is open, it is re-read from the history this often, seconds (the
/// history gains a row a minute).
const REPORT_REFRESH_S: f64 = 60.0;

/// Starts an engine for the given settings and calibration (the camera in the app, a replay in
/// tests), or says why it cannot.
pub type EngineStarter = Box<dyn Fn(&Settings, &SetupBook, Option<&std::path::Path>) -> Result<Session, SessionError>>;

/// Where the window keeps its files.
#[derive(Debug, Clone)]
pub struct AppPaths {
    /// The settings file (`None`: settings are not saved).
    pub settings: Option<PathBuf>,
    /// The calibration file.
    pub calibration: PathBuf,
    /// The history folder the report reads (`None`: no report).
    pub data_dir: Option<PathBuf>,
    /// Where "start at login" is kept (`None`: the setting is not offered).
    pub autostart: Option<crate::files::autostart::LoginEntry>,
}

/// How the window ended: quit, or closed to the tray with the pause and snooze to carry to the
/// tray's engine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WindowExit {
    /// Monitoring ends with the window.
    #[default]
    Quit,
    /// Monitoring goes on from the tray.
    ToTray(crate::engine::Carry),
}

/// What the engine last said: the latest snapshot (and its picture, uploaded), the camera's
/// trouble, whether the source has ended.
#[derive(Default)]
struct Watched {
    latest: Option<Snapshot>,
    texture: Option<egui::TextureHandle>,
    texture_time: Option<DateTime<Utc>>,
    camera_problem: Option<String>,
    /// The source has ended (a replay reached its last picture).
    finished: bool,
    /// Every event kind received, in order (shown nowhere; [`SlouchApp::events_seen`]).
    events: Vec<String>,
}

/// The warning standing and the stretch it suggested.
#[derive(Default)]
struct Coaching {
    warning: Option<WarningView>,
    /// (entry id, start time in UI seconds) of the stretch under way: its sheet is open.
    timer: Option<(String, f64)>,
    /// A short acknowledgement and the UI time it was given (shown for [`ACKNOWLEDGEMENT_S`]).
    acknowledgement: Option<(String, f64)>,
}

/// The ways out of the window (`leaving.rs`): the tray to close to, the questions asked on the
/// way, and how the window ended.
#[derive(Default)]
struct WaysOut {
    /// The tray icon, when a tray host shows it, and what its menu asks for.
    tray: Option<(crate::tray::Tray, std::sync::mpsc::Receiver<crate::tray::TrayRequest>)>,
    /// Whether the first close to the tray is being explained (a dialog over the window).
    explaining_close: bool,
    /// Set (from any thread, e.g. Ctrl-C) when the next close of the window is a Quit.
    quit_asked: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Where the window goes once a way out was chosen (`None`: it stays).
    leaving: Option<Leaving>,
    /// How the window ended, for whoever started it.
    exit: std::sync::Arc<std::sync::Mutex<WindowExit>>,
}

/// The desktop app.
pub struct SlouchApp {
    /// The settings in force.
    settings: Settings,
    /// The settings being edited on the Settings screen (applied once a change is finished).
    draft: Settings,
    /// What applying the last change on the Settings screen said.
    settings_saved: Option<String>,
    /// A settings change needs monitoring restarted (once changes settle), and since when (UI
    /// seconds, set at the first frame after the change).
    restart_asked: Option<()>,
    restart_asked_at: Option<f64>,
    /// The cameras found, for the Settings screen's choice (`None`: not looked for yet).
    cameras: Option<Vec<crate::source::camera::CameraListing>>,
    /// What this desktop can do of each nudge (`None`: not asked yet), and what "Try it" said.
    nudges: Option<crate::nudge::NudgeSupport>,
    nudges_tried: Option<String>,
    paths: AppPaths,
    starter: EngineStarter,
    engine: Option<Session>,
    catalog: Catalog,
    /// The calibration of the setup in use (as the engine last said).
    calibration: Option<Calibration>,
    /// Every setup of the user's, as the engine last said (it saves them).
    setups: SetupBook,
    /// Where they are saved.
    setups_file: std::path::PathBuf,
    screen: Screen,
    watched: Watched,
    coaching: Coaching,
    ways_out: WaysOut,
    /// The window's size and position as last seen, to remember at exit.
    window: Option<[f32; 4]>,
    wizard: Wizard,
    report: ReportView,
    /// Reads the Report screen's days from the history.
    report_reader: ReportReader,
    notice: Option<String>,
    /// The history-writing problem last reported, so the notice can go when it is solved.
    history_problem: Option<String>,
    /// What this run watches instead of the settings' camera (`--source`), for Settings to say.
    source_override: Option<String>,
    /// Whether the theme's type scale and spacing are set on the window's context.
    styled: bool,
}

impl SlouchApp {
    /// Builds the app and starts monitoring. Opens the calibration wizard when there is no
    /// calibration yet.
    pub fn new(paths: AppPaths, starter: EngineStarter, catalog: Catalog) -> SlouchApp {
        let (mut settings, settings_notice) = match &paths.settings {
            Some(path) => crate::settings::load(path),
            None => (Settings::default(), None),
        };
        // The login entry itself says whether slouchwatch starts at login (the installer may
        // have made it, or the person removed it): the setting shows what is true.
        if let Some(entry) = &paths.autostart {
            settings.start_at_login = entry.is_on();
        }
        let (setups_file, loaded) = crate::files::setups::load_beside(&paths.calibration);
        let (setups, calibration_notice) = (loaded.book, loaded.notice);
        let calibration = setups.starting(Some(&settings.source)).map(|setup| setup.calibration.clone());
        let screen = if calibration.is_some() { Screen::Live } else { Screen::Calibration };
        let mut app = SlouchApp {
            draft: settings.clone(),
            settings,
            settings_saved: None,
            restart_asked: None,
            restart_asked_at: None,
            cameras: None,
            nudges: None,
            nudges_tried: None,
            paths,
            starter,
            engine: None,
            catalog,
            calibration,
            setups,
            setups_file,
            screen,
            watched: Watched::default(),
            coaching: Coaching::default(),
            ways_out: WaysOut::default(),
            window: None,
            wizard: Wizard::default(),
            report: ReportView::new(Local::now().date_naive()),
            report_reader: ReportReader::default(),
            notice: settings_notice.or(calibration_notice),
            history_problem: None,
            source_override: None,
            styled: false,
        };
        app.start_engine();
        app
    }

    /// Says that this run watches `source` (`--source`) instead of the settings' camera, so the
    /// Settings screen does not claim the camera is in use.
    pub fn with_source_override(mut self, source: Option<String>) -> SlouchApp {
        self.source_override = source;
        // The setup that fits this source, not the camera setting's.
        let had_calibration = self.calibration.is_some();
        self.calibration = None;
        self.follow_setup();
        if !had_calibration && self.calibration.is_some() && self.screen == Screen::Calibration {
            self.screen = Screen::Live;
        }
        self
    }

    /// Asks for the Report's file chooser on the session bus at `bus` (`None`: this session's),
    /// and saves in `folder` when none answers (tests use their own bus and folder).
    pub fn with_report_export(mut self, bus: Option<String>, folder: PathBuf) -> SlouchApp {
        self.report.portal_bus = bus;
        self.report.save_folder = folder.display().to_string();
        self
    }

    /// Puts the engine in the pause and snooze carried from the tray's engine.
    pub fn carry_over(&mut self, carry: crate::engine::Carry) {
        for command in carry.commands(Utc::now()) {
            self.send(command);
        }
    }

    /// How the window ended, filled in when it shuts down.
    pub fn exit(&self) -> std::sync::Arc<std::sync::Mutex<WindowExit>> {
        self.ways_out.exit.clone()
    }

    /// A flag that makes the next close of the window a Quit (for Ctrl-C in the terminal).
    pub fn quit_flag(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.ways_out.quit_asked.clone()
    }

    /// Whether the dialog explaining the first close to the tray is shown.
    pub fn explaining_close(&self) -> bool {
        self.ways_out.explaining_close
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Opens a screen (`slouchwatch gui --screen`).
    pub fn open_screen(&mut self, screen: Screen) {
        self.screen = screen;
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// Whether the engine has stopped (a replay reached its end).
    pub fn engine_finished(&self) -> bool {
        self.watched.finished
    }

    /// The calibration in use.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_ref()
    }

    /// Stops the engine and waits for it to save the history; remembers the window's size and
    /// place for next time.
    pub fn shut_down(&mut self) {
        if let Some(engine) = self.engine.take() {
            let carry = engine.finish().map(|summary| summary.carry).unwrap_or_default();
            if let Ok(mut exit) = self.ways_out.exit.lock() {
                *exit = match self.ways_out.leaving {
                    Some(Leaving::ToTray) => WindowExit::ToTray(carry),
                    Some(Leaving::Quit) | None => WindowExit::Quit,
                };
            }
        }
        if let (Some(window), Some(path)) = (self.window.take(), &self.paths.settings)
            && self.settings.window != Some(window)
        {
            self.settings.window = Some(window);
            self.draft.window = Some(window);
            if let Err(error) = crate::settings::save(path, &self.settings) {
                tracing::warn!("the window's size is not remembered: {error}");
            }
        }
    }
}

/// Shows the window and brings it to the front.
fn bring_forward(ctx: &egui::Context) {
    ctx.send_viewport_cmd(egui::ViewportCommand::Visible(true));
    ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
    ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
}

impl Drop for SlouchApp {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl eframe::App for SlouchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.shut_down();
    }
}
