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
        if !self.styled {
            theme::install(&ctx);
            self.styled = true;
        }
        ctx.set_visuals(theme::visuals(self.draft.dark_mode));
        self.report_reader.wake(&ctx);
        if self.screen == Screen::Report
            && self.report_reader.read_at.is_none_or(|read_at| now_s - read_at >= REPORT_REFRESH_S)
        {
            self.read_report(now_s);
        }
        self.take_report();
        self.report.take_export();

        let mut commands = Vec::new();
        let (bar_fill, bar_edge) = theme::card_colours(self.draft.dark_mode);
        let bar = egui::Frame::new()
            .fill(bar_fill)
            .stroke(egui::Stroke::new(1.0, bar_edge))
            .inner_margin(egui::Margin::symmetric(theme::CARD_PADDING as i8, theme::GRID as i8));
        egui::Panel::top("tabs").frame(bar).show(ui, |ui| commands.extend(self.top_bar(ui)));
        let page = egui::Frame::new()
            .fill(theme::visuals(self.draft.dark_mode).panel_fill)
            .inner_margin(egui::Margin::same(theme::CARD_PADDING as i8));
        egui::CentralPanel::default().frame(page).show(ui, |ui| {
            // As wide as the window, so its bar is at the window's edge, not beside the column.
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                if let Some(notice) = &self.notice {
                    notice_card(ui, notice);
                }
                commands.extend(self.screen_shown(ui, now_s));
            });
        });
        if let Some((entry, elapsed)) =
            self.coaching.timer.as_ref().and_then(|(id, start)| Some((self.catalog.entry(id)?, now_s - start)))
        {
            // Over any screen, until finished with: the warning may come and go meanwhile.
            commands.extend(panels::stretch_sheet(&ctx, entry, elapsed, self.draft.dark_mode));
        }
        for command in commands {
            self.apply(command, now_s);
        }
        // Wherever the window went from Settings (a setup's Recalibrate, say), a change made
        // there is applied.
        self.apply_finished_changes(&ctx);
        if (self.engine.is_some() && !self.watched.finished) || self.report.exporting {
            // New snapshots, or the file chooser's answer, are looked for this often.
            ctx.request_repaint_after(REFRESH);
        }
    }

    /// The tabs, then Pause or Resume, and End snooze while snoozed. Wraps onto a second line
    /// in a narrow window rather than cutting buttons off.
    fn top_bar(&self, ui: &mut egui::Ui) -> Vec<UiCommand> {
        let mut commands = Vec::new();
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new("slouchwatch").size(theme::TEXT_TITLE).strong());
            ui.add_space(theme::GRID);
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
                let under_way = self.coaching.timer.as_ref().map(|(id, _)| id.as_str());
                panels::stretches_panel(ui, &self.catalog, under_way)
            }
            Screen::Settings => {
                // Asked once, when Settings is first shown ("Look again" asks again).
                if self.cameras.is_none() {
                    self.list_cameras();
                }
                if self.nudges.is_none() {
                    self.nudges = Some(crate::nudge::NudgeSupport::detect());
                }
                self.settings_screen(ui)
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

    /// Settings: the setups, then the settings' groups, in a centred column.
    fn settings_screen(&mut self, ui: &mut egui::Ui) -> Vec<UiCommand> {
        panels::kit::centred(ui, theme::COLUMN_MAX_WIDTH, |ui| {
            let latest = self.watched.latest.as_ref();
            let in_use = latest.and_then(|s| s.setup.as_ref()).map(|tag| tag.name.as_str());
            let mut commands = panels::setups_section(ui, &self.setups, in_use);
            let view = panels::SettingsView {
                source_override: self.source_override.as_deref(),
                tray_shown: self.ways_out.tray.is_some(),
                cameras: self.cameras.as_deref(),
                outcome: self.settings_saved.as_deref(),
                nudges: self.nudges.as_ref(),
                tried: self.nudges_tried.as_deref(),
            };
            commands.extend(panels::settings_panel(ui, &mut self.draft, &view));
            commands
        })
    }

    /// Live: the status card, or the warning in its place, then the live view.
    fn live_screen(&self, ui: &mut egui::Ui, now_s: f64) -> Vec<UiCommand> {
        let coaching = &self.coaching;
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
            warning: coaching.warning.as_ref().map(|warning| (warning, warning.slouched_s(chrono::Utc::now()))),
            camera_problem: self.watched.camera_problem.as_deref(),
            acknowledgement,
            source_ended: self.watched.finished,
        };
        panels::live_panel(ui, &view)
    }

    /// The verdict's limits for the calibration and settings in use (the report's gauges).
    fn limits(&self) -> crate::posture::verdict::Limits {
        let placement =
            self.calibration.as_ref().map(|c| c.placement).unwrap_or(crate::posture::CameraPlacement::Front);
        crate::posture::verdict::limits(placement, self.calibration.as_ref(), &self.settings.posture_settings())
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

/// A notice (a file that could not be read or written): a caution sign, the words, in a card
/// tinted with the caution colour.
fn notice_card(ui: &mut egui::Ui, notice: &str) {
    let dark = ui.visuals().dark_mode;
    let edge = egui::Stroke::new(1.0, theme::SLOUCHING);
    panels::kit::centred(ui, theme::CONTENT_MAX_WIDTH, |ui| {
        panels::kit::card_with(ui, theme::tint(theme::SLOUCHING, dark), edge, |ui| {
            ui.horizontal_top(|ui| {
                panels::kit::state_icon(ui, panels::kit::StateShape::Caution, theme::SLOUCHING, theme::TEXT_TITLE);
                // Wrapped: in a row, a label would otherwise run on past the window's edge.
                ui.add(egui::Label::new(crate::engine::status::capitalised(notice)).wrap());
            });
        });
    });
    ui.add_space(theme::GRID);
}
