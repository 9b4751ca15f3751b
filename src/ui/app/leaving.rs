//! Leaving the window, each way a person can: Quit (Ctrl+Q, the tray's Quit, the dialog's
//! button, Ctrl-C in the terminal) ends monitoring; the close button and Ctrl+W close to the
//! tray when there is one. The choice is made once and the desktop's close that follows carries
//! it out, never judged again as an ordinary close. Unsaved settings are asked about before
//! anything leaves them behind, and the first close to the tray explains itself.

use super::{Screen, SlouchApp, UiCommand, bring_forward};

/// What asked the window to close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Closing {
    /// The window's close button or Ctrl+W: to the tray, if there is one and the setting says so.
    Window,
    /// Quit (Ctrl+Q, the tray's Quit, the dialog's Quit, Ctrl-C in the terminal): monitoring ends.
    Quit,
}

/// Where the window goes, once decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leaving {
    /// Monitoring ends with the window.
    Quit,
    /// Monitoring goes on from the tray.
    ToTray,
}

/// What waits for the answer about unsaved settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AfterSettings {
    /// Closing the window this way.
    Close(Closing),
    /// Showing another screen.
    Show(Screen),
}

impl SlouchApp {
    /// This frame's ways out: the desktop's close (its button, or the close this window asked
    /// for), Ctrl+Q and Ctrl+W.
    pub(super) fn handle_ways_out(&mut self, ui: &egui::Ui) {
        let ctx = ui.ctx().clone();
        let (quit_key, close_key, desktop_close) = ui.input(|input| {
            let command = input.modifiers.command;
            (
                command && input.key_pressed(egui::Key::Q),
                command && input.key_pressed(egui::Key::W),
                input.viewport().close_requested(),
            )
        });
        if desktop_close {
            // Ctrl-C in the terminal asks from another thread with the flag and a close.
            let interrupted = self.ways_out.quit_asked.load(std::sync::atomic::Ordering::Acquire);
            if interrupted && self.ways_out.leaving.is_none() {
                self.ways_out.leaving = Some(Leaving::Quit);
            }
            self.close(&ctx, Closing::Window, true);
        } else if quit_key {
            self.close(&ctx, Closing::Quit, false);
        } else if close_key {
            self.close(&ctx, Closing::Window, false);
        }
        if self.ways_out.explaining_close {
            self.explain_close(&ctx);
        }
        if self.ways_out.settings_question.is_some() {
            self.ask_about_unsaved_settings(&ctx);
        }
    }

    /// Closes the window as `how` asks. `from_desktop`: the desktop is closing it already (the
    /// close button, or the close asked for before), so it is cancelled when the close must wait
    /// for a question. Once decided, whatever closes the window carries out that decision.
    pub(super) fn close(&mut self, ctx: &egui::Context, how: Closing, from_desktop: bool) {
        if self.ways_out.leaving.is_some() {
            if !from_desktop {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            return;
        }
        let wait = |ctx: &egui::Context| {
            if from_desktop {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
            bring_forward(ctx);
        };
        if self.settings_unsaved() {
            wait(ctx);
            self.ways_out.settings_question = Some(AfterSettings::Close(how));
            return;
        }
        let to_tray = how == Closing::Window && self.ways_out.tray.is_some() && self.settings.close_to_tray;
        if to_tray && !self.settings.close_to_tray_explained {
            wait(ctx);
            self.ways_out.explaining_close = true;
            return;
        }
        self.ways_out.leaving = Some(if to_tray { Leaving::ToTray } else { Leaving::Quit });
        if !from_desktop {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Whether the Settings screen holds changes that are not saved.
    pub fn settings_unsaved(&self) -> bool {
        self.draft != self.settings
    }

    /// Whether the question about unsaved settings is shown.
    pub fn asking_about_unsaved_settings(&self) -> bool {
        self.ways_out.settings_question.is_some()
    }

    /// The question before unsaved settings would be left behind: save them, discard them, or
    /// go back to them.
    fn ask_about_unsaved_settings(&mut self, ctx: &egui::Context) {
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("unsaved-settings")).show(ctx, |ui| {
            ui.set_max_width(crate::ui::theme::DIALOG_WIDTH);
            ui.heading("Save your settings?");
            ui.label("You changed settings without saving them. Unsaved changes are lost when you leave.");
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                if ui.button("Save").clicked() {
                    answer = Some(UiCommand::SaveSettings);
                }
                if ui.button("Don't save").clicked() {
                    answer = Some(UiCommand::DiscardSettings);
                }
                if ui.button("Keep editing").clicked() {
                    self.ways_out.settings_question = None;
                    self.screen = Screen::Settings;
                }
            });
        });
        let Some(answer) = answer else { return };
        let Some(then) = self.ways_out.settings_question.take() else { return };
        let now_s = ctx.input(|input| input.time);
        self.apply(answer, now_s);
        if self.settings_unsaved() {
            // The save failed: its reason shows on the Settings screen, and nothing is left.
            self.screen = Screen::Settings;
            return;
        }
        match then {
            AfterSettings::Close(how) => self.close(ctx, how, false),
            AfterSettings::Show(screen) => self.apply(UiCommand::Show(screen), now_s),
        }
    }

    /// The first close to the tray: says that monitoring goes on, and how to quit.
    fn explain_close(&mut self, ctx: &egui::Context) {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("close-to-tray")).show(ctx, |ui| {
            ui.set_max_width(crate::ui::theme::DIALOG_WIDTH);
            ui.heading("slouchwatch keeps watching");
            ui.label(
                "With the window closed, slouchwatch goes on checking your posture and warning you. \
                 The icon in the tray shows how you sit; its menu opens this window again, pauses, or quits.",
            );
            ui.weak("Settings > Background changes what closing the window does.");
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                if ui.button("Close to the tray").clicked() {
                    choice = Some(Closing::Window);
                }
                if ui.button("Quit slouchwatch").clicked() {
                    choice = Some(Closing::Quit);
                }
                if ui.button("Cancel").clicked() {
                    self.ways_out.explaining_close = false;
                }
            });
        });
        if let Some(how) = choice {
            self.ways_out.explaining_close = false;
            self.settings.close_to_tray_explained = true;
            self.draft.close_to_tray_explained = true;
            self.save_settings_now();
            self.close(ctx, how, false);
        }
    }
}
