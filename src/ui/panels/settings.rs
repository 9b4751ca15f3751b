//! The settings screen: grouped by what they are about, each group with a line saying what it
//! changes. Changes take effect when saved from the bar pinned under the page, which shows
//! whenever something is unsaved (the theme previews at once); leaving with unsaved changes
//! asks first (`ui::app::leaving`).

use egui::{RichText, Ui};

use super::UiCommand;
use crate::posture::PlacementSetting;
use crate::settings::{
    BREAK_INTERVAL_MIN_RANGE, COOLDOWN_MIN_RANGE, FPS_RANGE, GOAL_UPRIGHT_PCT_RANGE, ModelSetting, SENSITIVITY_RANGE,
    Settings, WARN_AFTER_S_RANGE,
};

/// One group: a heading, a line of explanation, then its controls, label above control so
/// nothing is cut off in a narrow window.
fn group(ui: &mut Ui, title: &str, explanation: &str, add: impl FnOnce(&mut Ui)) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).heading());
    ui.weak(explanation);
    ui.indent(title, add);
}

/// The settings editor. `source_override`: what this run watches instead of the camera setting
/// (`--source`).
pub fn settings_panel(ui: &mut Ui, draft: &mut Settings, source_override: Option<&str>, tray_shown: bool) {
    group(ui, "Camera", "Which camera watches you, and how closely.", |ui| {
        if let Some(source) = source_override {
            ui.colored_label(
                crate::ui::theme::SLOUCHING,
                format!("This run watches {source} (given with --source); the camera below is used otherwise."),
            );
        }
        ui.label("Camera: camera (the first one), camera:1, or part of its name");
        ui.text_edit_singleline(&mut draft.source);
        ui.label("Pose model");
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut draft.model, ModelSetting::Lightning, "Fast (Lightning)");
            ui.radio_value(&mut draft.model, ModelSetting::Thunder, "Precise (Thunder, more CPU)");
        });
        ui.label("Looks per second");
        ui.add(egui::Slider::new(&mut draft.fps, FPS_RANGE).suffix(" a second").fixed_decimals(1));
    });
    group(ui, "Posture", "Where the camera sits and how strict the judging is.", |ui| {
        ui.label("Camera placement");
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut draft.placement, PlacementSetting::Auto, "Find out");
            ui.radio_value(&mut draft.placement, PlacementSetting::Front, "In front of me");
            ui.radio_value(&mut draft.placement, PlacementSetting::Side, "Beside me");
        });
        ui.label("Strictness: higher warns at smaller changes");
        ui.add(egui::Slider::new(&mut draft.sensitivity, SENSITIVITY_RANGE).fixed_decimals(1).suffix("x"));
        ui.checkbox(&mut draft.warn_head_down, "Warn when my head stays tipped down")
            .on_hover_text("Turn off if your work needs you to look down, e.g. at paper or a drawing tablet.");
    });
    group(ui, "Warnings", "How long a slouch lasts before you hear of it, and how often.", |ui| {
        ui.label("Warn after slouching for");
        ui.add(egui::Slider::new(&mut draft.warn_after_s, WARN_AFTER_S_RANGE).suffix(" s"));
        ui.label("At most one warning every");
        ui.add(egui::Slider::new(&mut draft.cooldown_min, COOLDOWN_MIN_RANGE).suffix(" min"));
        ui.checkbox(&mut draft.notifications, "Desktop notifications");
        ui.checkbox(&mut draft.pause_for_calls, "Pause while the camera or microphone is in use by another program")
            .on_hover_text(
                "A video call gets the camera: slouchwatch lets go of it and pauses, and resumes by itself \
                 half a minute after the call ends.",
            );
        ui.checkbox(&mut draft.quiet_while_presenting, "Hold warnings back while I present").on_hover_text(
            "While Do Not Disturb is on or a window is fullscreen, warnings wait; one that still stands \
                 afterwards is shown then.",
        );
    });
    group(ui, "Breaks", "A reminder to get up after sitting long, and your daily goal.", |ui| {
        ui.label("Remind me to move after sitting for");
        ui.add(egui::Slider::new(&mut draft.break_interval_min, BREAK_INTERVAL_MIN_RANGE).suffix(" min"));
        ui.label("Daily goal: time upright");
        ui.add(
            egui::Slider::new(&mut draft.goal_upright_pct, GOAL_UPRIGHT_PCT_RANGE)
                .step_by(1.0)
                .fixed_decimals(0)
                .suffix(" %"),
        );
    });
    group(ui, "Privacy", "Pictures are looked at in memory and never saved; only numbers are kept.", |ui| {
        ui.checkbox(&mut draft.show_camera_image, "Show the camera picture");
    });
    group(ui, "Appearance", "How the window looks and starts.", |ui| {
        ui.checkbox(&mut draft.dark_mode, "Dark theme");
        ui.checkbox(&mut draft.start_minimised, "Start minimised");
    });
    group(
        ui,
        "Background",
        "Watching with the window closed, starting with your session, and telling other programs what happens.",
        |ui| {
            ui.checkbox(
                &mut draft.close_to_tray,
                "Closing the window keeps watching from the tray (Quit in its menu ends)",
            );
            if !tray_shown {
                ui.weak("No tray was found on this desktop, so closing the window quits.");
            }
            ui.checkbox(&mut draft.start_at_login, "Start slouchwatch in the tray when I log in");
            ui.label("Run a command on warnings, clears, away, back and break reminders");
            ui.add(
                egui::TextEdit::singleline(&mut draft.hook_command)
                    .hint_text("e.g. ~/bin/lamp.sh")
                    .desired_width(ui.available_width().min(crate::ui::theme::SAVE_FOLDER_WIDTH)),
            )
            .on_hover_text("Run through sh -c with the event's JSON on its standard input; stopped after 10 s.");
        },
    );
}

/// The bar under the Settings page: with unsaved changes, Save and Discard; otherwise what the
/// last save said ("Saved", or why it could not), or that changes apply once saved.
pub fn settings_save_bar(ui: &mut Ui, unsaved: bool, notice: Option<&str>) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        if unsaved {
            ui.label(RichText::new("You have unsaved changes.").strong());
            if ui.button("Save settings").clicked() {
                commands.push(UiCommand::SaveSettings);
            }
            if ui.button("Discard changes").clicked() {
                commands.push(UiCommand::DiscardSettings);
            }
        } else {
            ui.weak(notice.unwrap_or("Changes here apply when you save them."));
        }
    });
    ui.add_space(4.0);
    commands
}
