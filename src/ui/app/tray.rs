//! The tray icon while the window is open: it shows the state the window shows, and its menu
//! does what the window's own buttons do.

use chrono::Utc;

use super::leaving::Closing;
use super::{Screen, SlouchApp, UiCommand, bring_forward};

impl SlouchApp {
    /// Shows the tray icon on the session bus at `address` (`None`: the usual one); its menu
    /// wakes `ctx`. Fails with the reason (no bus, no tray host) to say once.
    pub fn start_tray(&mut self, ctx: &egui::Context, address: Option<&str>) -> Result<(), crate::tray::TrayError> {
        let (requests, received) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        let sink = crate::tray::RequestSink::new(requests, move || ctx.request_repaint());
        let tray = crate::tray::Tray::start(address, sink)?;
        self.ways_out.tray = Some((tray, received));
        Ok(())
    }

    /// Keeps the tray icon on the state shown, and does what its menu asked, as the window's own
    /// buttons would.
    pub(super) fn serve_tray(&mut self, ctx: &egui::Context, now_s: f64) {
        let Some((tray, requests)) = &self.ways_out.tray else { return };
        let status = crate::control::shown_status(
            self.watched.camera_problem.as_deref(),
            self.watched.latest.as_ref(),
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
}
