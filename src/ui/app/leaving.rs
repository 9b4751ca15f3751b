//! Leaving the window, each way a person can: Quit (Ctrl+Q, the tray's Quit, the dialog's
//! button, Ctrl-C in the terminal) ends monitoring; the close button and Ctrl+W close to the
//! tray when there is one. The choice is made once and the desktop's close that follows carries
//! it out, never judged again as an ordinary close. A settings change still being made is
//! applied first, and the first close to the tray explains itself.

use super::{SlouchApp, bring_forward};

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
            // A change still being made (a text field being typed in) is kept, not lost.
            self.apply_draft();
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

    /// Whether the Settings screen holds changes not applied yet (one being made).
    pub fn settings_unsaved(&self) -> bool {
        self.draft != self.settings
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
            ui.add_space(crate::ui::theme::GRID);
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
