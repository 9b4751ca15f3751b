//! The calibration wizard's screen: what to do, the countdown, the capture, the result to
//! accept or retry.

use egui::{RichText, Ui};

use super::UiCommand;
use crate::engine::Snapshot;
use crate::engine::calibrate::CalibrateError;
use crate::posture::{Calibration, CameraPlacement};
use crate::ui::theme;

/// Where the calibration wizard is.
#[derive(Debug, Default)]
pub enum WizardStep {
    /// Explains what to do.
    #[default]
    Intro,
    /// Counting down to the capture.
    Countdown {
        /// Seconds left.
        remaining_s: f64,
    },
    /// Collecting frames.
    Capturing {
        /// Frames so far.
        frames: usize,
        /// Frames wanted.
        wanted: usize,
    },
    /// Measuring (on a worker thread).
    Computing,
    /// Measured: shown for approval.
    Done(Box<Calibration>),
    /// Could not calibrate.
    Failed(CalibrateError),
}

/// Which setup a calibration is for: its name, and whether it is standing.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupChoice {
    /// The setup's name ("Desk", "Laptop", "Standing").
    pub name: String,
    /// Calibrated standing at a standing desk.
    pub standing: bool,
}

impl Default for SetupChoice {
    fn default() -> Self {
        SetupChoice { name: crate::posture::setups::MIGRATED_SETUP_NAME.to_owned(), standing: false }
    }
}

/// What the wizard shows besides its step.
pub struct WizardView<'a> {
    /// Where it is.
    pub step: &'a WizardStep,
    /// Why there is no camera picture, if there is none.
    pub camera_problem: Option<&'a str>,
    /// The live picture and what it showed, for checking the framing.
    pub picture: Option<(&'a egui::TextureHandle, &'a Snapshot)>,
    /// What to change in the framing (`None`: it is right, or there is no picture).
    pub framing: Option<String>,
    /// The calibration in use.
    pub in_use: Option<&'a Calibration>,
    /// With a first calibration: whether slouchwatch starts at login now, to offer the choice.
    pub offer_start_at_login: Option<bool>,
    /// Which setup this calibration is for.
    pub choice: &'a SetupChoice,
    /// The names of the setups there are.
    pub setup_names: Vec<String>,
    /// Whether the calibration just saved replaced one that can be put back.
    pub can_keep_earlier: bool,
    /// Whether the calibration just measured was written to the setups file.
    pub saved: bool,
}

/// The calibration wizard.
pub fn calibration_panel(ui: &mut Ui, view: &WizardView) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    ui.heading("Calibrate your upright posture");
    if let Some(problem) = view.camera_problem {
        ui.colored_label(theme::WARNING, format!("No camera picture: {problem}"));
        ui.label("Connect the camera, close any other program using it (a video call?), then retry.");
        if ui.button("Retry").clicked() {
            commands.push(UiCommand::Retry);
        }
        if matches!(view.step, WizardStep::Countdown { .. } | WizardStep::Capturing { .. }) {
            commands.push(UiCommand::CancelCalibration);
        }
        return commands;
    }
    match view.step {
        WizardStep::Intro => {
            if let Some(calibration) = view.in_use {
                ui.label(in_use_words(calibration));
            }
            setup_choice(ui, view, &mut commands);
            ui.label("1. Put the camera at the top of your screen (or beside your desk at shoulder height), so it sees your head and both shoulders.");
            ui.label("2. Sit upright as you normally work: back against the chair, feet flat, shoulders relaxed, eyes on the screen.");
            let label = if view.in_use.is_some() { "Recalibrate" } else { "Start" };
            ui.label(format!("3. Press {label}, then hold still for about five seconds while slouchwatch measures."));
            framing(ui, view);
            if ui.button(label).clicked() {
                commands.push(UiCommand::StartCalibration);
            }
        }
        WizardStep::Countdown { remaining_s } => {
            ui.label(RichText::new(format!("Sit upright... {:.0}", remaining_s.ceil())).size(theme::STATUS_TEXT_SIZE));
            framing(ui, view);
            if ui.button("Cancel").clicked() {
                commands.push(UiCommand::CancelCalibration);
            }
        }
        WizardStep::Capturing { frames, wanted } => {
            ui.label(RichText::new("Hold still...").size(theme::STATUS_TEXT_SIZE));
            ui.add(
                egui::ProgressBar::new(*frames as f32 / (*wanted).max(1) as f32)
                    .text(format!("{frames} of {wanted} pictures")),
            );
            framing(ui, view);
            if ui.button("Cancel").clicked() {
                commands.push(UiCommand::CancelCalibration);
            }
        }
        WizardStep::Computing => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Measuring...");
            });
        }
        WizardStep::Done(calibration) => {
            let quality = &calibration.quality;
            ui.label(RichText::new(format!("Quality: {}", quality.grade.words())).size(20.0));
            let standing = if view.choice.standing { ", standing" } else { "" };
            let name = view.choice.name.trim();
            if view.saved {
                ui.label(format!(
                    "Saved as the setup \"{name}\"{standing}: slouchwatch now knows how you sit upright, and from \
                     here on compares your posture with this."
                ));
            } else {
                // The reason (e.g. a full disk) is the notice above; the calibration is in use.
                ui.colored_label(
                    theme::WARNING,
                    format!(
                        "In use for the setup \"{name}\"{standing} until slouchwatch quits, but not saved: free some \
                         space or fix the folder above, then press Try again."
                    ),
                );
            }
            for note in &quality.notes {
                ui.label(format!("To do better next time: {note}."));
            }
            ui.weak(format!(
                "{} of {} pictures used; camera {}.",
                quality.frames_used,
                quality.frames_total,
                placement_words(calibration.placement)
            ));
            desk_check(ui, calibration);
            if let Some(mut start_at_login) = view.offer_start_at_login
                && ui
                    .checkbox(&mut start_at_login, "Start slouchwatch when I log in")
                    .on_hover_text(
                        "It opens minimised and watches from the start of the day. Change it any time in Settings.",
                    )
                    .changed()
            {
                commands.push(UiCommand::StartAtLogin(start_at_login));
            }
            ui.horizontal_wrapped(|ui| {
                if ui.button("Show the live view").clicked() {
                    commands.push(UiCommand::Show(super::Screen::Live));
                }
                if ui.button("Try again").on_hover_text("Measure again; this calibration is used meanwhile.").clicked()
                {
                    commands.push(UiCommand::RetryCalibration);
                }
                if view.can_keep_earlier
                    && ui
                        .button("Keep the earlier calibration")
                        .on_hover_text("Put back the calibration this one replaced.")
                        .clicked()
                {
                    commands.push(UiCommand::KeepEarlierCalibration);
                }
            });
        }
        WizardStep::Failed(error) => {
            ui.colored_label(theme::WARNING, crate::engine::status::capitalised(&error.to_string()));
            if ui.button("Try again").clicked() {
                commands.push(UiCommand::RetryCalibration);
            }
        }
    }
    commands
}

/// The live picture with the keypoints, and the framing hint or a go-ahead.
fn framing(ui: &mut Ui, view: &WizardView) {
    match &view.framing {
        Some(advice) => ui.colored_label(theme::SLOUCHING, advice),
        None if view.picture.is_some() => {
            ui.colored_label(theme::GOOD, "Good framing: head and both shoulders in view.")
        }
        None => ui.weak("Waiting for the camera picture..."),
    };
    if let Some((texture, snapshot)) = view.picture {
        super::live::picture_with_pose(ui, texture, snapshot, theme::WIZARD_IMAGE_MAX_WIDTH);
    }
}

/// The calibration in use, in words: when and how good.
pub fn in_use_words(calibration: &Calibration) -> String {
    let when = calibration
        .created
        .as_deref()
        .and_then(|created| chrono::DateTime::parse_from_rfc3339(created).ok())
        .map(|created| created.with_timezone(&chrono::Local).format("%e %b %Y at %H:%M").to_string())
        .map(|when| format!(" on {}", when.trim()))
        .unwrap_or_default();
    format!(
        "In use: calibrated{when}, quality {}, camera {}. Recalibrate after moving the camera, the chair or the desk.",
        calibration.quality.grade.words(),
        placement_words(calibration.placement)
    )
}

fn placement_words(placement: CameraPlacement) -> &'static str {
    match placement {
        CameraPlacement::Front => "in front of you",
        CameraPlacement::Side => "beside you",
    }
}

/// The desk check after a calibration: what to change about the desk, each with its reason.
fn desk_check(ui: &mut Ui, calibration: &Calibration) {
    use crate::posture::desk;
    if calibration.placement != crate::posture::CameraPlacement::Front {
        return;
    }
    let items = desk::desk_check(calibration, &desk::DayMeasures::default());
    ui.add_space(6.0);
    ui.label(RichText::new("Desk check").strong());
    if items.is_empty() {
        ui.label("Nothing to change that the camera can see: screen height, distance and centring look right.");
        return;
    }
    for item in &items {
        ui.label(format!("\u{2022} {}.", item.finding()));
        ui.weak(item.change());
    }
    ui.weak("Distances and angles are estimates from one camera, assumed to sit on the screen you look at.");
}

/// The setup this calibration is for: a name (an existing one recalibrates it), and whether the
/// person stands for it.
fn setup_choice(ui: &mut Ui, view: &WizardView, commands: &mut Vec<UiCommand>) {
    let mut choice = view.choice.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label("Setup:");
        ui.add(egui::TextEdit::singleline(&mut choice.name).desired_width(160.0))
            .on_hover_text("A name for where and how you work: Desk, Laptop, Standing...");
        ui.checkbox(&mut choice.standing, "Standing (a standing desk)");
    });
    let existing = view.setup_names.iter().any(|name| name.eq_ignore_ascii_case(choice.name.trim()));
    if existing {
        ui.weak(format!("This recalibrates \"{}\".", choice.name.trim()));
    } else if !view.setup_names.is_empty() {
        ui.weak(format!(
            "A new setup, beside {}. slouchwatch picks the setup that fits where you are.",
            view.setup_names.join(", ")
        ));
    }
    if &choice != view.choice {
        commands.push(UiCommand::ChooseSetup(choice));
    }
}
