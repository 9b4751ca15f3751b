//! The settings screen: boxed groups of rows (label and a line of help on the left, the control
//! on the right) in a centred column. Each change applies as it is made: a slider when it is let
//! go, a text field when it is left (`ui::app::settings`); the last change's outcome is said
//! under the page.

use egui::{RichText, Ui};

use super::{UiCommand, kit};
use crate::posture::PlacementSetting;
use crate::settings::{
    BREAK_INTERVAL_MIN_RANGE, COOLDOWN_MIN_RANGE, FPS_RANGE, GOAL_UPRIGHT_PCT_RANGE, ModelSetting, SENSITIVITY_RANGE,
    Settings, WARN_AFTER_S_RANGE,
};
use crate::source::camera::CameraListing;
use crate::ui::theme;

/// One group: a heading and a line of what it is about, then its rows, in a card.
pub fn group(ui: &mut Ui, title: &str, explanation: &str, add: impl FnOnce(&mut Ui)) {
    kit::card(ui, |ui| {
        kit::card_title(ui, title);
        ui.label(RichText::new(explanation).weak());
        ui.add_space(theme::GRID / 2.0);
        add(ui);
    });
    ui.add_space(theme::GRID);
}

/// What the Settings screen shows besides the settings being edited.
pub struct SettingsView<'a> {
    /// What this run watches instead of the camera setting (`--source`).
    pub source_override: Option<&'a str>,
    /// Whether a tray shows the icon.
    pub tray_shown: bool,
    /// The cameras found (`None`: not looked for yet).
    pub cameras: Option<&'a [CameraListing]>,
    /// What the last change said ("Saved", or why it could not be).
    pub outcome: Option<&'a str>,
    /// What this desktop can do of each nudge (`None`: not asked yet).
    pub nudges: Option<&'a crate::nudge::NudgeSupport>,
    /// What the last "Try it" said.
    pub tried: Option<&'a str>,
}

/// The camera setting for a camera found: by its name when no other camera has it (a number
/// can change when cameras are plugged in), else by its number.
pub fn camera_setting(camera: &CameraListing, cameras: &[CameraListing]) -> String {
    let same_name = cameras.iter().filter(|other| other.name == camera.name).count();
    if same_name == 1 { format!("camera:{}", camera.name) } else { format!("camera:{}", camera.index) }
}

/// The camera row's choice: the first camera found, or one of the cameras found by name; a
/// setting that names none of them (unplugged now) stays as it is, said as such.
fn camera_choice(
    ui: &mut Ui,
    draft: &mut Settings,
    cameras: Option<&[CameraListing]>,
    label: egui::Id,
) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    let cameras = cameras.unwrap_or_default();
    let default = crate::settings::DEFAULT_SOURCE;
    let shown = if draft.source == default {
        "The first camera found".to_owned()
    } else if let Some(camera) = cameras.iter().find(|camera| camera_setting(camera, cameras) == draft.source) {
        camera.name.clone()
    } else {
        format!("{} (not found now)", draft.source)
    };
    let choice = egui::ComboBox::from_id_salt("camera")
        .selected_text(shown)
        .width(theme::CONTROL_WIDTH - theme::GRID)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut draft.source, default.to_owned(), "The first camera found");
            for camera in cameras.iter().filter(|camera| camera.usable()) {
                let setting = camera_setting(camera, cameras);
                let infrared = if camera.infrared { " (infrared)" } else { "" };
                ui.selectable_value(
                    &mut draft.source,
                    setting,
                    format!("{}{infrared}, {}", camera.name, camera.device.display()),
                );
            }
        });
    choice.response.labelled_by(label);
    if cameras.iter().all(|camera| !camera.usable()) {
        ui.label(RichText::new("No camera found.").small().weak());
    }
    if ui.small_button("Look again").on_hover_text("List the cameras connected now.").clicked() {
        commands.push(UiCommand::ListCameras);
    }
    commands
}

/// The help line of a nudge's row: what it does, or why this desktop cannot do it.
fn nudge_help(does: &'static str, support: Option<&Result<(), String>>) -> String {
    match support {
        Some(Err(why)) => crate::engine::status::capitalised(why),
        _ => does.to_owned(),
    }
}

/// The nudges, each a row, and "Try it". Each respects the quiet rules (a call, Do Not Disturb,
/// a fullscreen window): while they hold, nothing nudges.
fn nudge_rows(ui: &mut Ui, draft: &mut Settings, view: &SettingsView) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    let support = view.nudges;
    kit::setting_row(
        ui,
        "Notification",
        Some("A desktop notification, with an \"I'm sitting fine\" button where the desktop shows buttons."),
        |ui, _| ui.checkbox(&mut draft.notifications, "Desktop notifications"),
    );
    let help = nudge_help(
        "A red glow around the edge of the screen, wider the longer and further you slouch; clicks go through it.",
        support.map(|support| &support.glow),
    );
    kit::setting_row(ui, "Glow", Some(&help), |ui, _| {
        ui.checkbox(&mut draft.nudge_glow, "Glow around the screen's edge")
    });
    let help = nudge_help("The whole screen a little darker until you sit up.", support.map(|support| &support.dim));
    kit::setting_row(ui, "Dim", Some(&help), |ui, _| ui.checkbox(&mut draft.nudge_dim, "Dim the screen a little"));
    let help = nudge_help(
        "The warning sound of your desktop's sound theme, once per warning.",
        support.map(|support| &support.sound),
    );
    kit::setting_row(ui, "Sound", Some(&help), |ui, _| ui.checkbox(&mut draft.nudge_sound, "Play a sound"));
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Try it")
            .on_hover_text(format!("Shows the nudges chosen for {} seconds.", crate::nudge::TRY_IT_S))
            .clicked()
        {
            commands.push(UiCommand::TryNudges);
        }
        if let Some(tried) = view.tried {
            ui.label(RichText::new(tried).weak());
        }
    });
    ui.label(
        RichText::new(
            "With \"Video calls\" and \"Presenting\" on (under Warnings), none of them nudges during a call, with Do \
             Not Disturb on, or while a window is fullscreen.",
        )
        .small()
        .weak(),
    );
    commands
}

/// The settings editor; what it returns are the commands of its buttons (the changes themselves
/// are made in `draft`).
pub fn settings_panel(ui: &mut Ui, draft: &mut Settings, view: &SettingsView) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    group(ui, "Camera", "Which camera watches you, and how closely. Pictures never leave this computer.", |ui| {
        if let Some(source) = view.source_override {
            ui.label(format!("This run watches {source} (given with --source); the camera below is used otherwise."));
        }
        kit::setting_row(ui, "Camera", Some("Plugged in a new one? Press Look again."), |ui, label| {
            commands.extend(camera_choice(ui, draft, view.cameras, label));
        });
        kit::setting_row(
            ui,
            "Pose model",
            Some("Precise sees small changes better and uses more of the processor."),
            |ui, _| {
                ui.radio_value(&mut draft.model, ModelSetting::Lightning, "Fast (Lightning)");
                ui.radio_value(&mut draft.model, ModelSetting::Thunder, "Precise (Thunder)");
            },
        );
        kit::setting_row(ui, "Looks per second", Some("Fewer looks use less power."), |ui, label| {
            ui.add(egui::Slider::new(&mut draft.fps, FPS_RANGE).suffix(" a second").fixed_decimals(1))
                .labelled_by(label);
        });
    });
    group(ui, "Posture", "Where the camera sits and how strict the judging is.", |ui| {
        kit::setting_row(ui, "Camera placement", None, |ui, _| {
            ui.radio_value(&mut draft.placement, PlacementSetting::Auto, "Find out");
            ui.radio_value(&mut draft.placement, PlacementSetting::Front, "In front of me");
            ui.radio_value(&mut draft.placement, PlacementSetting::Side, "Beside me");
        });
        kit::setting_row(ui, "Strictness", Some("Higher warns at smaller changes."), |ui, label| {
            ui.add(egui::Slider::new(&mut draft.sensitivity, SENSITIVITY_RANGE).fixed_decimals(1).suffix("x"))
                .labelled_by(label);
        });
        kit::setting_row(
            ui,
            "Head tipped down",
            Some("Turn off if your work needs you to look down, e.g. at paper or a drawing tablet."),
            |ui, _| ui.checkbox(&mut draft.warn_head_down, "Warn when my head stays tipped down"),
        );
    });
    group(ui, "Warnings", "How long a slouch lasts before you hear of it, and how often.", |ui| {
        kit::setting_row(ui, "Warn after slouching for", None, |ui, label| {
            ui.add(egui::Slider::new(&mut draft.warn_after_s, WARN_AFTER_S_RANGE).suffix(" s")).labelled_by(label);
        });
        kit::setting_row(ui, "At most one warning every", None, |ui, label| {
            ui.add(egui::Slider::new(&mut draft.cooldown_min, COOLDOWN_MIN_RANGE).suffix(" min")).labelled_by(label);
        });
        kit::setting_row(
            ui,
            "Video calls",
            Some("slouchwatch lets go of the camera and resumes half a minute after the call."),
            |ui, _| {
                ui.checkbox(
                    &mut draft.pause_for_calls,
                    "Pause while the camera or microphone is in use by another program",
                )
            },
        );
        kit::setting_row(
            ui,
            "Presenting",
            Some("While Do Not Disturb is on or a window is fullscreen, warnings wait until it ends."),
            |ui, _| ui.checkbox(&mut draft.quiet_while_presenting, "Hold warnings back while I present"),
        );
    });
    group(
        ui,
        "How to nudge me",
        "What happens when a warning comes, besides the Live screen and the tray icon.",
        |ui| {
            commands.extend(nudge_rows(ui, draft, view));
        },
    );
    group(ui, "Breaks and goal", "A reminder to get up after sitting long, and your daily goal.", |ui| {
        kit::setting_row(ui, "Remind me to move after", None, |ui, label| {
            ui.add(egui::Slider::new(&mut draft.break_interval_min, BREAK_INTERVAL_MIN_RANGE).suffix(" min"))
                .labelled_by(label);
        });
        kit::setting_row(ui, "Daily goal: time upright", Some("The mark on the Live screen's ring."), |ui, label| {
            ui.add(
                egui::Slider::new(&mut draft.goal_upright_pct, GOAL_UPRIGHT_PCT_RANGE)
                    .step_by(1.0)
                    .fixed_decimals(0)
                    .suffix(" %"),
            )
            .labelled_by(label);
        });
    });
    group(ui, "Privacy", "Pictures are looked at in memory and never saved; only numbers are kept.", |ui| {
        kit::setting_row(ui, "Camera picture", Some("Monitoring goes on either way."), |ui, _| {
            ui.checkbox(&mut draft.show_camera_image, "Show the camera picture")
        });
    });
    group(ui, "Appearance", "How the window looks and starts.", |ui| {
        kit::setting_row(ui, "Theme", None, |ui, _| ui.checkbox(&mut draft.dark_mode, "Dark theme"));
        kit::setting_row(ui, "At start", None, |ui, _| ui.checkbox(&mut draft.start_minimised, "Start minimised"));
    });
    group(
        ui,
        "Background",
        "Watching with the window closed, starting with your session, and telling other programs what happens.",
        |ui| {
            let help = (!view.tray_shown).then_some("No tray was found on this desktop, so closing the window quits.");
            kit::setting_row(ui, "Closing the window", help, |ui, _| {
                ui.checkbox(
                    &mut draft.close_to_tray,
                    "Closing the window keeps watching from the tray (Quit in its menu ends)",
                )
            });
            kit::setting_row(ui, "At login", None, |ui, _| {
                ui.checkbox(&mut draft.start_at_login, "Start slouchwatch in the tray when I log in")
            });
            kit::setting_row(
                ui,
                "Run a command on warnings, clears, away, back and break reminders",
                Some("Run through sh -c with the event's JSON on its standard input; stopped after 10 s."),
                |ui, label| {
                    ui.add(
                        egui::TextEdit::singleline(&mut draft.hook_command)
                            .hint_text("e.g. ~/bin/lamp.sh")
                            .desired_width(ui.available_width().min(theme::CONTROL_WIDTH)),
                    )
                    .labelled_by(label)
                },
            );
        },
    );
    ui.label(RichText::new(view.outcome.unwrap_or("Changes apply as you make them.")).weak());
    commands
}
