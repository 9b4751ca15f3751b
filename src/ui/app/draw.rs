//! Drawing the window, once a frame: the engine's news first, then the ways out, the tabs and
//! the screen shown; what the user did is collected as [`UiCommand`]s and applied after layout.

use chrono::Local;

use super::{ACKNOWLEDGEMENT_S, REFRESH, REPORT_REFRESH_S, Screen, SlouchApp, UiCommand, panels};
use crate::ui::report::report_panel;
use crate::ui::theme;

impl SlouchApp {
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
        ctx.set_visuals(theme::visuals(self.draft.dark_mode));
        self.report_reader.wake(&ctx);
        if self.screen == Screen::Report
            && self.report_reader.read_at.is_none_or(|read_at| now_s - read_at >= REPORT_REFRESH_S)
        {
            self.read_report(now_s);
        }
        self.take_report();

        let mut commands = Vec::new();
        egui::Panel::top("tabs").show(ui, |ui| commands.extend(self.top_bar(ui)));
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
                    ui.colored_label(theme::SLOUCHING, notice);
                }
                commands.extend(self.screen_shown(ui, now_s));
            });
        });
        for command in commands {
            self.apply(command, now_s);
        }
        if self.engine.is_some() && !self.watched.finished {
            ctx.request_repaint_after(REFRESH);
        }
    }

    /// The tabs, then Pause or Resume, and End snooze while snoozed. Wraps onto a second line
    /// in a narrow window rather than cutting buttons off.
    fn top_bar(&self, ui: &mut egui::Ui) -> Vec<UiCommand> {
        let mut commands = Vec::new();
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
            let latest = self.watched.latest.as_ref();
            // Given over to a call, the camera is not the user's to resume; their own Pause is
            // still offered (and stays after the call).
            let paused = latest
                .is_some_and(|s| s.alert_state == crate::alerts::AlertState::Paused && s.in_use_elsewhere.is_none());
            let yielded_to = latest.and_then(|s| s.in_use_elsewhere.as_ref()).map(|other| other.program.clone());
            if paused {
                if ui.button("Resume").clicked() {
                    commands.push(UiCommand::Resume);
                }
            } else {
                // During a call: the user's own pause (kept after the call) beside taking the
                // camera back.
                if ui.button("Pause monitoring").clicked() {
                    commands.push(UiCommand::Pause);
                }
                if let Some(program) = yielded_to
                    && ui
                        .button("Use the camera anyway")
                        .on_hover_text(format!("Take the camera back from {program}, which may lose its picture."))
                        .clicked()
                {
                    commands.push(UiCommand::Resume);
                }
            }
            if let Some(until) = latest.and_then(|s| s.snoozed_until).filter(|_| !paused) {
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
        commands
    }

    /// The screen shown, below the tabs.
    fn screen_shown(&mut self, ui: &mut egui::Ui, now_s: f64) -> Vec<UiCommand> {
        match self.screen {
            Screen::Live => self.live_screen(ui, now_s),
            Screen::Calibration => self.calibration_screen(ui),
            Screen::Stretches => {
                let timer = self.coaching.timer.as_ref().map(|(id, start)| (id.as_str(), now_s - start));
                panels::stretches_panel(ui, &self.catalog, timer)
            }
            Screen::Settings => {
                let latest = self.watched.latest.as_ref();
                let in_use = latest.and_then(|s| s.setup.as_ref()).map(|tag| tag.name.as_str());
                let commands = panels::setups_section(ui, &self.setups, in_use);
                let has_tray = self.ways_out.tray.is_some();
                panels::settings_panel(ui, &mut self.draft, self.source_override.as_deref(), has_tray);
                commands
            }
            Screen::Report => {
                let limits = self.limits();
                report_panel(ui, &mut self.report, Local::now().date_naive(), &limits)
            }
            Screen::About => {
                panels::about_panel(ui, &self.catalog, &self.paths);
                Vec::new()
            }
        }
    }

    /// Live: the warning banner (or the stretch under way), then the live view.
    fn live_screen(&self, ui: &mut egui::Ui, now_s: f64) -> Vec<UiCommand> {
        let mut commands = Vec::new();
        let coaching = &self.coaching;
        let timer_for =
            |id: &str| coaching.timer.as_ref().filter(|(timer_id, _)| timer_id == id).map(|(_, start)| now_s - start);
        let timed_entry =
            coaching.timer.as_ref().and_then(|(id, start)| Some((self.catalog.entry(id)?, now_s - start)));
        if let Some(warning) = &coaching.warning {
            let elapsed = warning.suggestion.as_ref().and_then(|entry| timer_for(&entry.id));
            let readings = self.latest_readings();
            commands.extend(panels::warning_panel(ui, warning, &readings, coaching.show_card, elapsed));
            ui.separator();
        } else if let (Some((entry, elapsed)), true) = (timed_entry, coaching.show_card) {
            // The stretch under way keeps its card when the warning that suggested it has
            // cleared (the stretch itself clears it).
            commands.extend(panels::stretch_under_way(ui, entry, elapsed));
            ui.separator();
        }
        // A timer whose card is not open stays in sight as a line.
        let timer_card_open = coaching.show_card
            && coaching.warning.as_ref().is_none_or(|warning| {
                warning.suggestion.as_ref().map(|entry| &entry.id) == coaching.timer.as_ref().map(|(id, _)| id)
            });
        let acknowledgement = coaching
            .acknowledgement
            .as_ref()
            .filter(|(_, at)| now_s - at < ACKNOWLEDGEMENT_S)
            .map(|(text, _)| text.as_str());
        let view = panels::LiveView {
            snapshot: self.watched.latest.as_ref(),
            texture: self.watched.texture.as_ref(),
            calibration: self.calibration.as_ref(),
            settings: &self.settings,
            warned: coaching.warning.as_ref().map(|warning| warning.problems.as_slice()).unwrap_or_default(),
            camera_problem: self.watched.camera_problem.as_deref(),
            acknowledgement,
            timer: timed_entry.filter(|_| !timer_card_open),
            source_ended: self.watched.finished,
        };
        commands.extend(panels::live_panel(ui, &view));
        commands
    }

    /// The verdict's limits for the calibration and settings in use (the report's gauges).
    fn limits(&self) -> crate::posture::verdict::Limits {
        let placement =
            self.calibration.as_ref().map(|c| c.placement).unwrap_or(crate::posture::CameraPlacement::Front);
        crate::posture::verdict::limits(placement, self.calibration.as_ref(), &self.settings.posture_settings())
    }

    /// What the latest judged frame's problems were judged on: the numbers the bars and the
    /// warning's sentence share. None from a frame measured against a setup that does not fit.
    fn latest_readings(&self) -> Vec<crate::posture::verdict::Reading> {
        self.watched.latest.as_ref().map(panels::judged_readings).unwrap_or_default()
    }

    /// Asks for the Report screen's day (and trend) from the history; it is read off this thread.
    pub(super) fn read_report(&mut self, now_s: f64) {
        let (data_dir, goal) = (self.paths.data_dir.as_deref(), self.settings.goal_upright_pct);
        self.report_reader.ask(self.report.date, data_dir, goal, &self.catalog, now_s);
    }

    /// Takes the day read, if it is the day shown, with the desk check of the calibration in use.
    fn take_report(&mut self) {
        let Some((date, mut loaded)) = self.report_reader.take() else { return };
        if date != self.report.date {
            return; // an answer for a day no longer shown
        }
        if let (Ok(daily), Some(calibration)) = (&mut loaded, self.calibration.as_ref()) {
            daily.day.add_desk_check(calibration);
        }
        self.report.loaded = Some(loaded);
    }
}
