//! The window's state and its update loop: it reads what the engine publishes, draws the
//! screens, and applies the user's commands in one place after layout. It never captures or
//! runs the model itself (the engine thread does, and goes on when the window is minimised).

use std::path::PathBuf;

use chrono::{DateTime, Local, TimeDelta, Utc};

use super::panels::{self, Screen, UiCommand, WarningView, WizardStep, WizardView};
use super::report::{ReportView, report_panel};
use crate::alerts::AlertEvent;
use crate::coach::Catalog;
use crate::engine::calibrate::{CALIBRATION_COUNTDOWN_S, CALIBRATION_FRAMES, CALIBRATION_STALL_S, CalibrateError};
use crate::engine::session::SessionError;
use crate::engine::{
    CalibrationUpdate, EngineCommand, EngineEvent, EngineHandle, EngineMessage, Snapshot, SourceEvent,
};
use crate::files::calibration as calibration_file;
use crate::files::settings::{self, Settings};
use crate::posture::Calibration;
use crate::posture::calibration::framing_advice;

/// How often the window redraws while monitoring, to show new snapshots.
const REFRESH: std::time::Duration = std::time::Duration::from_millis(200);
/// While the Report screen is open, it is re-read from the history this often, seconds (the
/// history gains a row a minute).
const REPORT_REFRESH_S: f64 = 60.0;

/// Starts an engine for the given settings and calibration (the camera in the app, a replay in
/// tests), or says why it cannot.
pub type EngineStarter = Box<dyn Fn(&Settings, Option<Calibration>) -> Result<EngineHandle, SessionError>>;

/// Where the window keeps its files.
#[derive(Debug, Clone)]
pub struct AppPaths {
    /// The settings file (`None`: settings are not saved).
    pub settings: Option<PathBuf>,
    /// The calibration file.
    pub calibration: PathBuf,
    /// The history folder the report reads (`None`: no report).
    pub data_dir: Option<PathBuf>,
}

/// The calibration wizard's working state.
#[derive(Default)]
struct Wizard {
    step: WizardStep,
    countdown_ends: Option<f64>,
    /// UI time of the capture's start or its latest picture: the stall timer.
    last_progress_s: Option<f64>,
}

/// The desktop app.
pub struct SlouchApp {
    settings: Settings,
    draft: Settings,
    paths: AppPaths,
    starter: EngineStarter,
    engine: Option<EngineHandle>,
    catalog: Catalog,
    calibration: Option<Calibration>,
    screen: Screen,
    latest: Option<Snapshot>,
    texture: Option<egui::TextureHandle>,
    texture_time: Option<DateTime<Utc>>,
    camera_problem: Option<String>,
    warning: Option<WarningView>,
    /// (entry id, start time in UI seconds) of the running hold timer.
    timer: Option<(String, f64)>,
    wizard: Wizard,
    report: ReportView,
    /// UI time (seconds) the report was last read.
    report_read_at: Option<f64>,
    /// The history, opened for reading by the Report screen.
    report_store: Option<crate::history::HistoryStore>,
    notice: Option<String>,
    /// The history-writing problem last reported, so the notice can go when it is solved.
    history_problem: Option<String>,
    /// Every event kind received, in order (shown nowhere; lets tests check what happened).
    pub event_log: Vec<String>,
    finished: bool,
}

impl SlouchApp {
    /// Builds the app and starts monitoring. Opens the calibration wizard when there is no
    /// calibration yet.
    pub fn new(paths: AppPaths, starter: EngineStarter, catalog: Catalog) -> SlouchApp {
        let (settings, settings_notice) = match &paths.settings {
            Some(path) => settings::load(path),
            None => (Settings::default(), None),
        };
        let (calibration, calibration_notice) = match calibration_file::load(&paths.calibration) {
            Ok(calibration) => (Some(calibration), None),
            Err(calibration_file::CalibrationIoError::Missing { .. }) => (None, None),
            Err(error) => (None, Some(format!("{error}"))),
        };
        let screen = if calibration.is_some() { Screen::Live } else { Screen::Calibration };
        let mut app = SlouchApp {
            draft: settings.clone(),
            settings,
            paths,
            starter,
            engine: None,
            catalog,
            calibration,
            screen,
            latest: None,
            texture: None,
            texture_time: None,
            camera_problem: None,
            warning: None,
            timer: None,
            wizard: Wizard::default(),
            report: ReportView::new(Local::now().date_naive()),
            report_read_at: None,
            report_store: None,
            notice: settings_notice.or(calibration_notice),
            history_problem: None,
            event_log: Vec::new(),
            finished: false,
        };
        app.start_engine();
        app
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
        self.finished
    }

    /// The calibration in use.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_ref()
    }

    fn start_engine(&mut self) {
        if let Some(engine) = self.engine.take() {
            engine.stop();
        }
        self.finished = false;
        self.camera_problem = None;
        match (self.starter)(&self.settings, self.calibration.clone()) {
            Ok(engine) => self.engine = Some(engine),
            Err(error) => self.camera_problem = Some(error.to_string()),
        }
    }

    fn send(&self, command: EngineCommand) {
        if let Some(engine) = &self.engine {
            engine.send(command);
        }
    }

    /// Takes in everything the engine published since the last frame.
    fn poll_engine(&mut self, ctx: &egui::Context) {
        let mut messages = Vec::new();
        if let Some(engine) = &self.engine {
            while let Ok(message) = engine.messages.try_recv() {
                messages.push(message);
            }
        }
        for message in messages {
            match message {
                EngineMessage::Snapshot(snapshot) => self.take_snapshot(ctx, *snapshot),
                EngineMessage::Event(event) => self.take_event(event.event, event.suggestion.map(|s| s.id)),
                EngineMessage::Calibration(update) => self.take_calibration_update(update),
                EngineMessage::Finished(_) => self.finished = true,
            }
        }
    }

    fn take_snapshot(&mut self, ctx: &egui::Context, snapshot: Snapshot) {
        self.camera_problem = None;
        if let Some(preview) = &snapshot.preview
            && self.texture_time != Some(snapshot.time)
        {
            let image =
                egui::ColorImage::from_rgb([preview.width() as usize, preview.height() as usize], preview.as_raw());
            match &mut self.texture {
                Some(texture) => texture.set(image, egui::TextureOptions::LINEAR),
                None => self.texture = Some(ctx.load_texture("camera", image, egui::TextureOptions::LINEAR)),
            }
            self.texture_time = Some(snapshot.time);
        }
        self.latest = Some(snapshot);
    }

    fn take_event(&mut self, event: EngineEvent, suggestion: Option<String>) {
        let kind = serde_json::to_value(&event)
            .ok()
            .and_then(|value| value.get("event").and_then(|kind| kind.as_str().map(str::to_owned)))
            .unwrap_or_default();
        self.event_log.push(kind);
        match event {
            EngineEvent::Alert(AlertEvent::Warning { problems, severity, .. }) => {
                let drift = self.forward_drift();
                self.warning = Some(WarningView {
                    message: panels::warning_message(&problems, drift),
                    problems,
                    severity,
                    suggestion: suggestion.and_then(|id| self.catalog.entry(&id).cloned()),
                });
                self.screen = Screen::Live;
            }
            EngineEvent::Alert(AlertEvent::Cleared { .. } | AlertEvent::Away) => self.warning = None,
            EngineEvent::Source(SourceEvent::CameraLost { detail } | SourceEvent::SourceFailed { detail }) => {
                self.camera_problem = Some(detail);
            }
            EngineEvent::Source(SourceEvent::CameraBack { .. }) => self.camera_problem = None,
            EngineEvent::Source(SourceEvent::HistoryUnavailable { detail }) => {
                self.history_problem = Some(detail.clone());
                self.notice = Some(detail);
            }
            EngineEvent::Source(SourceEvent::HistoryBack)
                if self.notice.is_some() && self.notice == self.history_problem =>
            {
                self.notice = None;
                self.history_problem = None;
            }
            _ => {}
        }
    }

    /// The head's forward change from calibration in the latest frame.
    fn forward_drift(&self) -> Option<f32> {
        let now = self.latest.as_ref()?.assessment.as_ref()?.metrics.forward_head_deg?;
        Some(now - self.calibration.as_ref()?.baseline.forward_head_deg?)
    }

    /// The engine's news of the calibration it was asked for.
    fn take_calibration_update(&mut self, update: CalibrationUpdate) {
        let capturing = matches!(self.wizard.step, WizardStep::Capturing { .. } | WizardStep::Computing);
        if !capturing {
            return;
        }
        self.wizard.last_progress_s = None;
        self.wizard.step = match update {
            CalibrationUpdate::Captured { frames, wanted } => WizardStep::Capturing { frames, wanted },
            CalibrationUpdate::Measuring => WizardStep::Computing,
            CalibrationUpdate::Done(mut calibration) => {
                calibration.created = Some(Local::now().to_rfc3339());
                WizardStep::Done(calibration)
            }
            CalibrationUpdate::Failed(error) => WizardStep::Failed(error),
        };
    }

    fn advance_wizard(&mut self, now_s: f64) {
        if let (WizardStep::Countdown { .. }, Some(ends)) = (&self.wizard.step, self.wizard.countdown_ends) {
            if now_s >= ends {
                self.wizard.countdown_ends = None;
                // The engine takes the frames and measures them with its own model.
                self.send(EngineCommand::Calibrate(self.settings.placement));
                self.wizard.step = WizardStep::Capturing { frames: 0, wanted: CALIBRATION_FRAMES };
            } else {
                self.wizard.step = WizardStep::Countdown { remaining_s: ends - now_s };
            }
        }
        if let WizardStep::Capturing { .. } = self.wizard.step {
            // A camera that stops, or never sends a usable picture, ends the capture with a reason
            // instead of "Hold still" for ever.
            let since = *self.wizard.last_progress_s.get_or_insert(now_s);
            let failure = match &self.camera_problem {
                Some(detail) => Some(CalibrateError::CameraLost { detail: detail.clone() }),
                None if now_s - since > CALIBRATION_STALL_S as f64 => {
                    Some(CalibrateError::Stalled { seconds: CALIBRATION_STALL_S })
                }
                None => None,
            };
            if let Some(error) = failure {
                self.send(EngineCommand::CancelCalibration);
                self.wizard = Wizard { step: WizardStep::Failed(error), ..Wizard::default() };
            }
        }
    }

    /// Draws the whole window and applies what the user did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_engine(&ctx);
        let now_s = ui.input(|input| input.time);
        self.advance_wizard(now_s);
        ctx.set_visuals(if self.settings.dark_mode { egui::Visuals::dark() } else { egui::Visuals::light() });

        if self.screen == Screen::Report
            && self.report_read_at.is_none_or(|read_at| now_s - read_at >= REPORT_REFRESH_S)
        {
            self.read_report(now_s);
        }
        let mut commands = Vec::new();
        egui::Panel::top("tabs").show(ui, |ui| {
            ui.horizontal(|ui| {
                for (screen, label) in [
                    (Screen::Live, "Live"),
                    (Screen::Calibration, "Calibrate"),
                    (Screen::Stretches, "Stretches"),
                    (Screen::Report, "Report"),
                    (Screen::Settings, "Settings"),
                    (Screen::About, "About"),
                ] {
                    if ui.selectable_label(self.screen == screen, label).clicked() {
                        commands.push(UiCommand::Show(screen));
                    }
                }
                ui.separator();
                let paused = self.latest.as_ref().is_some_and(|s| s.alert_state == crate::alerts::AlertState::Paused);
                if paused {
                    if ui.button("Resume").clicked() {
                        commands.push(UiCommand::Resume);
                    }
                } else if ui.button("Pause monitoring").clicked() {
                    commands.push(UiCommand::Pause);
                }
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                if let Some(notice) = &self.notice {
                    ui.colored_label(super::theme::SLOUCHING, notice);
                }
                let timer_for = |id: &str| {
                    self.timer.as_ref().filter(|(timer_id, _)| timer_id == id).map(|(_, start)| now_s - start)
                };
                match self.screen {
                    Screen::Live => {
                        if let Some(warning) = &self.warning {
                            let elapsed = warning.suggestion.as_ref().and_then(|entry| timer_for(&entry.id));
                            commands.extend(panels::warning_panel(ui, warning, elapsed));
                            ui.separator();
                        }
                        commands.extend(panels::live_panel(
                            ui,
                            self.latest.as_ref(),
                            self.texture.as_ref(),
                            self.calibration.as_ref(),
                            &self.settings,
                            self.camera_problem.as_deref(),
                        ));
                    }
                    Screen::Calibration => {
                        let picture = self.latest.as_ref().and_then(|snapshot| {
                            self.texture
                                .as_ref()
                                .filter(|_| snapshot.preview.is_some())
                                .map(|texture| (texture, snapshot))
                        });
                        let framing = self.latest.as_ref().and_then(|snapshot| {
                            let pose = snapshot.pose.as_ref()?;
                            framing_advice(pose, snapshot.frame_size, self.settings.placement)
                        });
                        let view = WizardView {
                            step: &self.wizard.step,
                            camera_problem: self.camera_problem.as_deref(),
                            picture,
                            framing,
                            in_use: self.calibration.as_ref(),
                        };
                        commands.extend(panels::calibration_panel(ui, &view));
                    }
                    Screen::Stretches => {
                        let timer = self.timer.as_ref().map(|(id, start)| (id.as_str(), now_s - start));
                        commands.extend(panels::stretches_panel(ui, &self.catalog, timer));
                    }
                    Screen::Settings => commands.extend(panels::settings_panel(ui, &mut self.draft, None)),
                    Screen::Report => {
                        commands.extend(report_panel(ui, &self.report, Local::now().date_naive()));
                    }
                    Screen::About => about(ui, &self.catalog),
                }
            });
        });
        for command in commands {
            self.apply(command, now_s);
        }
        if self.engine.is_some() && !self.finished {
            ctx.request_repaint_after(REFRESH);
        }
    }

    fn apply(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::Show(screen) => {
                if screen == Screen::Report && self.screen != Screen::Report {
                    self.report_read_at = None;
                }
                self.screen = screen;
            }
            UiCommand::ReportDay(date) => {
                self.report.date = date;
                self.report.saved = None;
                self.read_report(now_s);
            }
            UiCommand::ReportTrendDays(days) => self.report.trend_days = days,
            UiCommand::SaveReport => self.save_report(),
            UiCommand::SnoozeMinutes(minutes) => {
                self.send(EngineCommand::SnoozeUntil(Utc::now() + TimeDelta::minutes(minutes)));
                self.warning = None;
            }
            UiCommand::SnoozeUntilTomorrow => {
                let tomorrow = (Local::now() + TimeDelta::days(1))
                    .date_naive()
                    .and_hms_opt(0, 0, 0)
                    .and_then(|midnight| midnight.and_local_timezone(Local).earliest())
                    .map(|midnight| midnight.with_timezone(&Utc))
                    .unwrap_or_else(|| Utc::now() + TimeDelta::hours(12));
                self.send(EngineCommand::SnoozeUntil(tomorrow));
                self.warning = None;
            }
            UiCommand::Pause => {
                self.send(EngineCommand::Pause);
                self.warning = None;
            }
            UiCommand::Resume => self.send(EngineCommand::Resume),
            UiCommand::StretchDone(id) => {
                self.send(EngineCommand::StretchDone(id));
                self.warning = None;
                self.timer = None;
            }
            UiCommand::StretchNotNow(id) => {
                self.send(EngineCommand::StretchDeclined(id));
                self.warning = None;
                self.timer = None;
            }
            UiCommand::StartTimer(id) => self.timer = Some((id, now_s)),
            UiCommand::StopTimer => self.timer = None,
            UiCommand::Retry => self.start_engine(),
            UiCommand::SaveSettings => {
                let restart = self.draft.source != self.settings.source
                    || self.draft.model != self.settings.model
                    || self.draft.fps != self.settings.fps
                    || self.draft.notifications != self.settings.notifications
                    || self.draft.alert_settings() != self.settings.alert_settings()
                    || self.draft.posture_settings() != self.settings.posture_settings();
                self.settings = self.draft.clone();
                self.notice = match &self.paths.settings {
                    Some(path) => settings::save(path, &self.settings)
                        .err()
                        .map(|error| format!("cannot save settings to {}: {error}", path.display())),
                    None => None,
                };
                if restart {
                    self.start_engine();
                }
            }
            UiCommand::ShowCameraImage(show) => {
                self.settings.show_camera_image = show;
                self.draft.show_camera_image = show;
                if let Some(path) = &self.paths.settings
                    && let Err(error) = settings::save(path, &self.settings)
                {
                    self.notice = Some(format!("cannot save settings to {}: {error}", path.display()));
                }
            }
            UiCommand::StartCalibration => {
                let countdown_s = CALIBRATION_COUNTDOWN_S as f64;
                self.wizard = Wizard { countdown_ends: Some(now_s + countdown_s), ..Wizard::default() };
                self.wizard.step = WizardStep::Countdown { remaining_s: countdown_s };
            }
            UiCommand::CancelCalibration => {
                self.send(EngineCommand::CancelCalibration);
                self.wizard = Wizard::default();
            }
            UiCommand::RetryCalibration => {
                self.send(EngineCommand::CancelCalibration);
                self.wizard = Wizard::default();
            }
            UiCommand::AcceptCalibration => {
                if let WizardStep::Done(calibration) = std::mem::take(&mut self.wizard.step) {
                    if let Err(error) = calibration_file::save(&self.paths.calibration, &calibration) {
                        self.notice = Some(format!("{error}"));
                    }
                    self.send(EngineCommand::SetCalibration(calibration.clone()));
                    self.calibration = Some(*calibration);
                    self.screen = Screen::Live;
                }
            }
        }
    }

    /// Stops the engine and waits for it to save the history.
    pub fn shut_down(&mut self) {
        if let Some(engine) = self.engine.take() {
            engine.stop();
        }
    }
}

impl Drop for SlouchApp {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl SlouchApp {
    /// Reads the report of the picked day from the history (a separate read-only use of the
    /// database the engine writes; SQLite's WAL lets both go on at once).
    fn read_report(&mut self, now_s: f64) {
        self.report_read_at = Some(now_s);
        let today = Local::now().date_naive();
        let Some(dir) = &self.paths.data_dir else {
            self.report.loaded = Some(Err(
                "No history folder was found, so there is no report; start slouchwatch with --data-dir DIR.".into(),
            ));
            return;
        };
        if !dir.join(crate::history::DATABASE_FILE).exists() {
            self.report.loaded =
                Some(Err("No history yet: the report fills in minute by minute while slouchwatch watches.".into()));
            return;
        }
        // Opened once (integrity check, migration) and kept for the refreshes that follow.
        if self.report_store.is_none() {
            match crate::history::HistoryStore::open(dir) {
                Ok((store, _)) => self.report_store = Some(store),
                Err(error) => {
                    self.report.loaded = Some(Err(error.to_string()));
                    return;
                }
            }
        }
        let Some(store) = &self.report_store else { return };
        let loaded = crate::report::load_day(
            store,
            &Local,
            self.report.date,
            self.settings.goal_upright_pct,
            today,
            &self.catalog,
        )
        .map_err(|error| error.to_string());
        if loaded.is_err() {
            // Open afresh next time (the file may have been replaced).
            self.report_store = None;
        }
        self.report.loaded = Some(loaded);
    }

    /// Saves the report shown as a self-contained HTML page in the Downloads (or Documents, or
    /// history) folder.
    fn save_report(&mut self) {
        let Some(Ok(daily)) = &self.report.loaded else {
            self.report.saved = Some("There is no report to save yet.".into());
            return;
        };
        let folder = directories::UserDirs::new()
            .and_then(|dirs| dirs.download_dir().or(dirs.document_dir()).map(PathBuf::from))
            .or_else(|| self.paths.data_dir.clone());
        let Some(folder) = folder else {
            self.report.saved = Some("No folder was found to save the report in.".into());
            return;
        };
        let path = folder.join(format!("slouchwatch-report-{}.html", daily.day.date));
        let html = crate::report::Report::Day(daily.clone()).render(crate::report::Format::Html);
        self.report.saved = Some(match std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, html)) {
            Ok(()) => format!("Saved as {}", path.display()),
            Err(error) => format!("Could not save {}: {error} (is the disk full?)", path.display()),
        });
    }
}

fn about(ui: &mut egui::Ui, catalog: &Catalog) {
    ui.heading("About slouchwatch");
    ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
    ui.label(
        "slouchwatch watches your posture through your webcam and suggests what to do about it. \
         Everything runs on this computer: camera pictures are analysed in memory and never saved or sent; \
         only numbers are kept.",
    );
    ui.label(
        "slouchwatch is a health-adjacent habit tool, not a medical device. It does not diagnose or treat anything.",
    );
    ui.separator();
    panels::see_a_professional(ui, catalog);
}

impl eframe::App for SlouchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.shut_down();
    }
}
