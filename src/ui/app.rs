//! The window's state and its update loop: it reads what the engine publishes, draws the
//! screens, and applies the user's commands in one place after layout. It never captures or
//! runs the model itself (the engine thread does, and goes on when the window is minimised).

use std::path::PathBuf;

use chrono::{DateTime, Local, TimeDelta, Utc};

use super::panels::{self, Screen, SetupChoice, UiCommand, WarningView, WizardStep, WizardView};

mod leaving;
mod setups;
use super::report::{ReportReader, ReportView, report_panel};
use crate::alerts::AlertEvent;
use crate::coach::Catalog;
use crate::engine::calibrate::{CALIBRATION_COUNTDOWN_S, CALIBRATION_FRAMES, CALIBRATION_STALL_S, CalibrateError};
use crate::engine::{CalibrationUpdate, EngineCommand, EngineEvent, EngineMessage, Snapshot, SourceEvent};
use crate::posture::Calibration;
use crate::posture::calibration::framing_advice;
use crate::posture::setups::SetupBook;
use crate::session::{Session, SessionError};
use crate::settings::{self, Settings};
use leaving::{AfterSettings, Closing, Leaving};

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
    /// The autostart folder for "start at login" (`None`: the setting is not offered).
    pub autostart: Option<PathBuf>,
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

/// The calibration wizard's working state.
#[derive(Default)]
struct Wizard {
    step: WizardStep,
    /// Which setup the calibration is for.
    choice: SetupChoice,
    countdown_ends: Option<f64>,
    /// UI time of the capture's start or its latest picture: the stall timer.
    last_progress_s: Option<f64>,
    /// The setup as it was before the calibration just saved replaced it (`None`: it is new).
    replaced: Option<crate::posture::setups::Setup>,
    /// Whether the calibration just saved is the user's first.
    first: bool,
    /// Whether the calibration just measured reached the setups file (it is used either way).
    saved: bool,
    /// Whether this is a Try again after a result: `replaced` and `first` are the first try's.
    retried: bool,
}

impl Wizard {
    /// The wizard back at its start for another try at the same setup: the setup chosen, and
    /// (after a result) what can be put back, are kept.
    fn fresh_try(&mut self) -> Wizard {
        Wizard {
            choice: std::mem::take(&mut self.choice),
            replaced: self.replaced.take(),
            first: self.first,
            retried: self.retried,
            ..Wizard::default()
        }
    }
}

/// The desktop app.
pub struct SlouchApp {
    settings: Settings,
    draft: Settings,
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
    latest: Option<Snapshot>,
    texture: Option<egui::TextureHandle>,
    texture_time: Option<DateTime<Utc>>,
    camera_problem: Option<String>,
    warning: Option<WarningView>,
    /// (entry id, start time in UI seconds) of the running hold timer.
    timer: Option<(String, f64)>,
    /// Whether the warning's stretch card is open.
    show_card: bool,
    /// What the last Save on the Settings screen said.
    settings_saved: Option<String>,
    /// The window's size and position as last seen, to remember at exit.
    window: Option<[f32; 4]>,
    /// A short acknowledgement and the UI time it was given (shown for [`ACKNOWLEDGEMENT_S`]).
    acknowledgement: Option<(String, f64)>,
    wizard: Wizard,
    report: ReportView,

    /// Reads the Report screen's days from the history.
    report_reader: ReportReader,
    notice: Option<String>,
    /// The history-writing problem last reported, so the notice can go when it is solved.
    history_problem: Option<String>,
    /// Every event kind received, in order (shown nowhere; lets tests check what happened).
    pub event_log: Vec<String>,
    finished: bool,
    /// What this run watches instead of the settings' camera (`--source`), for Settings to say.
    source_override: Option<String>,
    /// The tray icon, when a tray host shows it, and what its menu asks for.
    tray: Option<(crate::tray::Tray, std::sync::mpsc::Receiver<crate::tray::TrayRequest>)>,
    /// Whether the first close to the tray is being explained (a dialog over the window).
    explaining_close: bool,
    /// Set (from any thread, e.g. Ctrl-C) when the next close of the window is a Quit.
    quit_asked: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Where the window goes once a way out was chosen (`None`: it stays).
    leaving: Option<Leaving>,
    /// Unsaved settings are being asked about before this goes ahead.
    settings_question: Option<AfterSettings>,
    /// How the window ended, for whoever started it.
    exit: std::sync::Arc<std::sync::Mutex<WindowExit>>,
}

impl SlouchApp {
    /// Builds the app and starts monitoring. Opens the calibration wizard when there is no
    /// calibration yet.
    pub fn new(paths: AppPaths, starter: EngineStarter, catalog: Catalog) -> SlouchApp {
        let (settings, settings_notice) = match &paths.settings {
            Some(path) => settings::load(path),
            None => (Settings::default(), None),
        };
        let (setups_file, loaded) = crate::files::setups::load_beside(&paths.calibration);
        let (setups, calibration_notice) = (loaded.book, loaded.notice);
        let calibration = setups.starting(Some(&settings.source)).map(|setup| setup.calibration.clone());
        let screen = if calibration.is_some() { Screen::Live } else { Screen::Calibration };
        let mut app = SlouchApp {
            draft: settings.clone(),
            settings,
            paths,
            starter,
            engine: None,
            catalog,
            calibration,
            setups,
            setups_file,
            screen,
            latest: None,
            texture: None,
            texture_time: None,
            camera_problem: None,
            warning: None,
            timer: None,
            show_card: false,
            settings_saved: None,
            window: None,
            acknowledgement: None,
            wizard: Wizard::default(),
            report: ReportView::new(Local::now().date_naive()),
            report_reader: ReportReader::default(),
            notice: settings_notice.or(calibration_notice),
            history_problem: None,
            event_log: Vec::new(),
            finished: false,
            source_override: None,
            tray: None,
            explaining_close: false,
            quit_asked: Default::default(),
            leaving: None,
            settings_question: None,
            exit: Default::default(),
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

    /// Puts the engine in the pause and snooze carried from the tray's engine.
    pub fn carry_over(&mut self, carry: crate::engine::Carry) {
        for command in carry.commands(Utc::now()) {
            self.send(command);
        }
    }

    /// How the window ended, filled in when it shuts down.
    pub fn exit(&self) -> std::sync::Arc<std::sync::Mutex<WindowExit>> {
        self.exit.clone()
    }

    /// A flag that makes the next close of the window a Quit (for Ctrl-C in the terminal).
    pub fn quit_flag(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.quit_asked.clone()
    }

    /// Whether the dialog explaining the first close to the tray is shown.
    pub fn explaining_close(&self) -> bool {
        self.explaining_close
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
        match (self.starter)(&self.settings, &self.setups, Some(&self.setups_file)) {
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
            while let Ok(message) = engine.messages().try_recv() {
                messages.push(message);
            }
        }
        for message in messages {
            match message {
                EngineMessage::Snapshot(snapshot) => self.take_snapshot(ctx, *snapshot),
                EngineMessage::Event(event) => self.take_event(event.event, event.suggestion.map(|s| s.id)),
                EngineMessage::Calibration(update) => self.take_calibration_update(update),
                EngineMessage::Finished(_) => self.finished = true,
                EngineMessage::ShowWindow(request) => {
                    let now_s = ctx.input(|input| input.time);
                    self.apply(UiCommand::Show(Screen::from(request)), now_s);
                    bring_forward(ctx);
                }
                EngineMessage::Setups(book) => {
                    self.setups = *book;
                    self.follow_setup();
                }
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
        let switched = self.latest.as_ref().map(|latest| &latest.setup) != Some(&snapshot.setup);
        self.latest = Some(snapshot);
        if switched {
            self.follow_setup();
        }
    }

    fn take_event(&mut self, event: EngineEvent, suggestion: Option<String>) {
        let kind = serde_json::to_value(&event)
            .ok()
            .and_then(|value| value.get("event").and_then(|kind| kind.as_str().map(str::to_owned)))
            .unwrap_or_default();
        self.event_log.push(kind);
        match event {
            EngineEvent::Alert(AlertEvent::Warning { problems, severity, .. }) => {
                // A running stretch keeps its card open.
                self.show_card = self.show_card && self.timer.is_some();
                self.warning = Some(WarningView {
                    problems,
                    severity,
                    suggestion: suggestion.and_then(|id| self.catalog.entry(&id).cloned()),
                });
                // Unsaved settings are not left behind for it: the banner waits on Live.
                if !(self.screen == Screen::Settings && self.settings_unsaved()) {
                    self.screen = Screen::Live;
                }
            }
            EngineEvent::Alert(AlertEvent::Cleared { .. } | AlertEvent::Away) => {
                self.warning = None;
                // A stretch under way outlives the warning that suggested it.
                if self.timer.is_none() {
                    self.show_card = false;
                }
            }
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

    /// Shows the tray icon on the session bus at `address` (`None`: the usual one); its menu
    /// wakes `ctx`. Fails with the reason (no bus, no tray host) to say once.
    pub fn start_tray(&mut self, ctx: &egui::Context, address: Option<&str>) -> Result<(), String> {
        let (requests, received) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        let sink = crate::tray::RequestSink::new(requests, move || ctx.request_repaint());
        let tray = crate::tray::Tray::start(address, sink)?;
        self.tray = Some((tray, received));
        Ok(())
    }

    /// Keeps the tray icon on the state shown, and does what its menu asked, as the window's own
    /// buttons would.
    fn serve_tray(&mut self, ctx: &egui::Context, now_s: f64) {
        let Some((tray, requests)) = &self.tray else { return };
        let status = crate::control::shown_status(
            self.camera_problem.as_deref(),
            self.latest.as_ref(),
            self.calibration.is_some(),
        );
        tray.show(status);
        let asked: Vec<crate::tray::TrayRequest> = requests.try_iter().collect();
        use crate::tray::TrayRequest;
        for request in asked {
            match request {
                TrayRequest::Open => bring_forward(ctx),
                TrayRequest::Pause => self.apply(UiCommand::Pause, now_s),
                TrayRequest::Resume => self.apply(UiCommand::Resume, now_s),
                TrayRequest::SnoozeMinutes(minutes) => self.apply(UiCommand::SnoozeMinutes(minutes), now_s),
                TrayRequest::SnoozeUntilTomorrow => self.apply(UiCommand::SnoozeUntilTomorrow, now_s),
                TrayRequest::Dispute => self.apply(UiCommand::Dispute, now_s),
                TrayRequest::PauseForCall => {
                    if let Some(command) = request.engine_command(Utc::now()) {
                        self.send(command);
                    }
                }
                TrayRequest::Calibrate => {
                    self.apply(UiCommand::Show(Screen::Calibration), now_s);
                    bring_forward(ctx);
                }
                TrayRequest::Report => {
                    self.apply(UiCommand::Show(Screen::Report), now_s);
                    bring_forward(ctx);
                }
                TrayRequest::Quit => self.close(ctx, Closing::Quit, false),
            }
        }
    }

    /// Saves the settings in force at once (a switch that acts without Save); a failure is
    /// shown as the notice.
    fn save_settings_now(&mut self) {
        if let Some(path) = &self.paths.settings
            && let Err(error) = settings::save(path, &self.settings)
        {
            self.notice = Some(format!("Could not save the settings to {}: {error}", path.display()));
        }
    }

    /// Adds or removes the login entry as the settings say.
    fn apply_start_at_login(&self) -> Result<(), String> {
        let Some(dir) = &self.paths.autostart else { return Ok(()) };
        let program = std::env::current_exe().map_err(|error| format!("Could not find slouchwatch itself: {error}"))?;
        crate::files::autostart::set_start_at_login(dir, self.settings.start_at_login, &program)
            .map_err(|error| format!("Could not change the login entry in {}: {error}", dir.display()))
    }

    /// The verdict's limits for the calibration and settings in use.
    fn limits(&self) -> crate::posture::verdict::Limits {
        let placement =
            self.calibration.as_ref().map(|c| c.placement).unwrap_or(crate::posture::CameraPlacement::Front);
        crate::posture::verdict::limits(placement, self.calibration.as_ref(), &self.settings.posture_settings())
    }

    /// What the latest judged frame's problems were judged on: the numbers the bars and the
    /// warning's sentence share. None from a frame measured against a setup that does not fit.
    fn latest_readings(&self) -> Vec<crate::posture::verdict::Reading> {
        self.latest.as_ref().map(panels::judged_readings).unwrap_or_default()
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
                // Kept at once, as the result says; the previous one can be put back.
                self.keep_calibration(&calibration);
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
        self.serve_tray(&ctx, now_s);
        // Ctrl+Q quits; Ctrl+W closes the window like its close button (the history is saved on
        // the way out either way).
        self.handle_ways_out(ui);
        self.advance_wizard(now_s);
        if let Some((inner, outer)) = ctx.input(|input| input.viewport().inner_rect.zip(input.viewport().outer_rect)) {
            self.window = Some([inner.width(), inner.height(), outer.min.x, outer.min.y]);
        }
        // The theme being edited shows at once, before Save.
        ctx.set_visuals(super::theme::visuals(self.draft.dark_mode));

        if self.screen == Screen::Report
            && self.report_reader.read_at.is_none_or(|read_at| now_s - read_at >= REPORT_REFRESH_S)
        {
            self.read_report(now_s);
        }
        let mut commands = Vec::new();
        egui::Panel::top("tabs").show(ui, |ui| {
            // Wraps onto a second line in a narrow window rather than cutting buttons off.
            ui.horizontal_wrapped(|ui| {
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
                let snoozed = self.latest.as_ref().and_then(|s| s.snoozed_until).filter(|_| !paused);
                if let Some(until) = snoozed {
                    let until = until.with_timezone(&Local).format("%H:%M");
                    if ui
                        .button("End snooze")
                        .on_hover_text(format!("Warnings are snoozed until {until}; end it to be warned again now."))
                        .clicked()
                    {
                        commands.push(UiCommand::EndSnooze);
                    }
                }
            });
        });
        if self.screen == Screen::Settings {
            // Always in sight, whatever the page's scroll: whether there is anything to save.
            let unsaved = self.settings_unsaved();
            egui::Panel::bottom("settings-save").show(ui, |ui| {
                commands.extend(panels::settings_save_bar(ui, unsaved, self.settings_saved.as_deref()));
            });
        }
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
                        let timed_entry =
                            self.timer.as_ref().and_then(|(id, start)| Some((self.catalog.entry(id)?, now_s - start)));
                        if let Some(warning) = &self.warning {
                            let elapsed = warning.suggestion.as_ref().and_then(|entry| timer_for(&entry.id));
                            let readings = self.latest_readings();
                            commands.extend(panels::warning_panel(ui, warning, &readings, self.show_card, elapsed));
                            ui.separator();
                        } else if let (Some((entry, elapsed)), true) = (timed_entry, self.show_card) {
                            // The stretch under way keeps its card when the warning that
                            // suggested it has cleared (the stretch itself clears it).
                            commands.extend(panels::stretch_under_way(ui, entry, elapsed));
                            ui.separator();
                        }
                        // A timer whose card is not open stays in sight as a line.
                        let timer_card_open = self.show_card
                            && self.warning.as_ref().is_none_or(|warning| {
                                warning.suggestion.as_ref().map(|entry| &entry.id)
                                    == self.timer.as_ref().map(|(id, _)| id)
                            });
                        let timer = timed_entry.filter(|_| !timer_card_open);
                        let acknowledgement = self
                            .acknowledgement
                            .as_ref()
                            .filter(|(_, at)| now_s - at < ACKNOWLEDGEMENT_S)
                            .map(|(text, _)| text.as_str());
                        let view = panels::LiveView {
                            snapshot: self.latest.as_ref(),
                            texture: self.texture.as_ref(),
                            calibration: self.calibration.as_ref(),
                            settings: &self.settings,
                            warned: self
                                .warning
                                .as_ref()
                                .map(|warning| warning.problems.as_slice())
                                .unwrap_or_default(),
                            camera_problem: self.camera_problem.as_deref(),
                            acknowledgement,
                            timer,
                            source_ended: self.finished,
                        };
                        commands.extend(panels::live_panel(ui, &view));
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
                            // Offered once, with the first calibration.
                            offer_start_at_login: (self.wizard.first && self.paths.autostart.is_some())
                                .then_some(self.settings.start_at_login),
                            choice: &self.wizard.choice,
                            can_keep_earlier: self.wizard.replaced.is_some(),
                            saved: self.wizard.saved,
                            setup_names: self.setups.setups.iter().map(|setup| setup.name.clone()).collect(),
                        };
                        commands.extend(panels::calibration_panel(ui, &view));
                    }
                    Screen::Stretches => {
                        let timer = self.timer.as_ref().map(|(id, start)| (id.as_str(), now_s - start));
                        commands.extend(panels::stretches_panel(ui, &self.catalog, timer));
                    }
                    Screen::Settings => {
                        let in_use = self.latest.as_ref().and_then(|s| s.setup.as_ref()).map(|tag| tag.name.as_str());
                        commands.extend(panels::setups_section(ui, &self.setups, in_use));
                        panels::settings_panel(
                            ui,
                            &mut self.draft,
                            self.source_override.as_deref(),
                            self.tray.is_some(),
                        );
                    }
                    Screen::Report => {
                        let limits = self.limits();
                        commands.extend(report_panel(ui, &mut self.report, Local::now().date_naive(), &limits));
                    }
                    Screen::About => panels::about_panel(ui, &self.catalog, &self.paths),
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

    fn read_report(&mut self, now_s: f64) {
        let (data_dir, goal) = (self.paths.data_dir.as_deref(), self.settings.goal_upright_pct);
        self.report_reader.read(&mut self.report, data_dir, goal, &self.catalog, now_s);
        if let (Some(Ok(daily)), Some(calibration)) = (&mut self.report.loaded, self.calibration.as_ref()) {
            daily.day.add_desk_check(calibration);
        }
    }

    fn apply(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::Show(screen) => {
                if self.screen == Screen::Settings && screen != Screen::Settings && self.settings_unsaved() {
                    // Asked first; the answer goes on to the screen.
                    self.settings_question = Some(AfterSettings::Show(screen));
                    return;
                }
                self.settings_saved = None;
                if screen == Screen::Report && self.screen != Screen::Report {
                    self.report_reader.read_at = None;
                }
                if self.screen == Screen::Calibration
                    && screen != Screen::Calibration
                    && matches!(self.wizard.step, WizardStep::Done(_) | WizardStep::Failed(_))
                {
                    // The result is saved (or there was none): the wizard starts afresh next time.
                    self.wizard = Wizard::default();
                } else if self.screen == Screen::Calibration && matches!(self.wizard.step, WizardStep::Intro) {
                    // Left between tries: the next calibration is a new one, not a Try again.
                    self.wizard = Wizard { choice: std::mem::take(&mut self.wizard.choice), ..Wizard::default() };
                }
                if screen == Screen::Calibration
                    && self.screen != Screen::Calibration
                    && matches!(self.wizard.step, WizardStep::Intro)
                {
                    // Recalibrating: the setup in use, unless another was chosen.
                    self.wizard.choice = self.setup_in_use();
                }
                self.screen = screen;
            }
            UiCommand::ReportDay(date) => {
                self.report.date = date;
                self.report.saved = None;
                self.read_report(now_s);
            }
            UiCommand::ReportTrendDays(days) => self.report.trend_days = days,
            UiCommand::SaveReport => self.report.save(),
            UiCommand::OpenPath(path) => {
                if let Err(error) = open::that_detached(&path) {
                    self.report.saved = Some(Err(format!(
                        "Could not open {}: {error}. Open it from your file manager.",
                        path.display()
                    )));
                }
            }
            UiCommand::SnoozeMinutes(minutes) => {
                let until = Utc::now() + TimeDelta::minutes(minutes);
                self.send(EngineCommand::SnoozeUntil(until));
                self.warning = None;
                let until = until.with_timezone(&Local).format("%H:%M");
                self.acknowledgement = Some((format!("No posture warnings until {until}."), now_s));
            }
            UiCommand::SnoozeUntilTomorrow => {
                self.send(EngineCommand::SnoozeUntil(crate::tray::next_midnight(Utc::now())));
                self.warning = None;
                self.acknowledgement = Some(("No posture warnings until tomorrow.".to_owned(), now_s));
            }
            UiCommand::Pause => {
                self.send(EngineCommand::Pause);
                self.warning = None;
            }
            UiCommand::Resume => self.send(EngineCommand::Resume),
            UiCommand::EndSnooze => {
                self.send(EngineCommand::Unsnooze);
                self.acknowledgement = Some(("Snooze ended: posture warnings are on again.".to_owned(), now_s));
            }
            UiCommand::DiscardSettings => {
                self.draft = self.settings.clone();
                self.settings_saved = Some("Changes discarded.".to_owned());
            }
            UiCommand::StretchDone(id) => {
                let name = self.catalog.entry(&id).map(|entry| entry.name.clone()).unwrap_or_default();
                self.send(EngineCommand::StretchDone(id));
                self.warning = None;
                self.timer = None;
                self.show_card = false;
                self.acknowledgement = Some((format!("Well done: {name} is in today's report."), now_s));
            }
            UiCommand::ToggleStretchCard => self.show_card = !self.show_card,
            UiCommand::StretchNotNow(id) => {
                self.send(EngineCommand::StretchDeclined(id));
                self.warning = None;
                self.show_card = false;
            }
            UiCommand::StartTimer(id) => self.timer = Some((id, now_s)),
            UiCommand::StopTimer => self.timer = None,
            UiCommand::Retry => self.start_engine(),
            UiCommand::SaveSettings => {
                let restart = self.draft.source != self.settings.source
                    || self.draft.hook_command != self.settings.hook_command
                    || self.draft.model != self.settings.model
                    || self.draft.fps != self.settings.fps
                    || self.draft.notifications != self.settings.notifications
                    || self.draft.alert_settings() != self.settings.alert_settings()
                    || self.draft.posture_settings() != self.settings.posture_settings();
                self.settings = self.draft.clone();
                let saved = match &self.paths.settings {
                    Some(path) => settings::save(path, &self.settings)
                        .map_err(|error| format!("Could not save the settings to {}: {error}", path.display())),
                    None => Ok(()),
                };
                let saved = saved.and_then(|()| self.apply_start_at_login());
                self.settings_saved = Some(match saved {
                    Ok(()) if restart => "Saved. Monitoring restarted with the new settings.".to_owned(),
                    Ok(()) => "Saved.".to_owned(),
                    Err(message) => message,
                });
                if restart {
                    self.start_engine();
                }
            }
            UiCommand::StartAtLogin(on) => {
                self.settings.start_at_login = on;
                self.draft.start_at_login = on;
                self.save_settings_now();
                if let Err(message) = self.apply_start_at_login() {
                    self.notice = Some(message);
                }
            }
            UiCommand::ShowCameraImage(show) => {
                self.settings.show_camera_image = show;
                self.draft.show_camera_image = show;
                self.save_settings_now();
            }
            UiCommand::StartCalibration => {
                let countdown_s = CALIBRATION_COUNTDOWN_S as f64;
                // For the setup chosen (typed) in the wizard; a Try again keeps what it replaced.
                self.wizard = Wizard {
                    countdown_ends: Some(now_s + countdown_s),
                    step: WizardStep::Countdown { remaining_s: countdown_s },
                    ..self.wizard.fresh_try()
                };
            }
            UiCommand::CancelCalibration => {
                self.send(EngineCommand::CancelCalibration);
                self.wizard = self.wizard.fresh_try();
            }
            UiCommand::RetryCalibration => {
                self.send(EngineCommand::CancelCalibration);
                // Measured again for the same setup; the one just saved stays in use meanwhile,
                // and what the first try replaced is still the one that can be put back.
                self.wizard = Wizard { retried: true, ..self.wizard.fresh_try() };
            }
            command @ (UiCommand::ChooseSetup(_)
            | UiCommand::Dispute
            | UiCommand::CalibrateSetup { .. }
            | UiCommand::ResetLimits { .. }
            | UiCommand::RemoveSetup(_)
            | UiCommand::KeepEarlierCalibration) => self.apply_setup_command(command, now_s),
        }
    }

    /// Stops the engine and waits for it to save the history; remembers the window's size and
    /// place for next time.
    pub fn shut_down(&mut self) {
        if let Some(engine) = self.engine.take() {
            let carry = engine.finish().map(|summary| summary.carry).unwrap_or_default();
            if let Ok(mut exit) = self.exit.lock() {
                *exit = match self.leaving {
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
            if let Err(error) = settings::save(path, &self.settings) {
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
