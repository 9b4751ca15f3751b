//! The calibration wizard's screen: what to do, the countdown, the capture, the result to
//! accept or retry.

use egui::{RichText, Ui};

use super::UiCommand;
use crate::engine::calibrate::CalibrateError;
use crate::posture::Calibration;
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

/// The calibration wizard.
pub fn calibration_panel(ui: &mut Ui, step: &WizardStep) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    ui.heading("Calibrate your upright posture");
    match step {
        WizardStep::Intro => {
            ui.label("1. Put the camera at the top of your screen (or beside your desk at shoulder height), so it sees your head and both shoulders.");
            ui.label("2. Sit upright as you normally work: back against the chair, feet flat, shoulders relaxed, eyes on the screen.");
            ui.label("3. Press Start, then hold still for a few seconds while slouchwatch measures.");
            if ui.button("Start").clicked() {
                commands.push(UiCommand::StartCalibration);
            }
        }
        WizardStep::Countdown { remaining_s } => {
            ui.label(RichText::new(format!("Sit upright... {:.0}", remaining_s.ceil())).size(theme::STATUS_TEXT_SIZE));
        }
        WizardStep::Capturing { frames, wanted } => {
            ui.label(RichText::new("Hold still...").size(theme::STATUS_TEXT_SIZE));
            ui.add(egui::ProgressBar::new(*frames as f32 / (*wanted).max(1) as f32));
        }
        WizardStep::Computing => {
            ui.label("Measuring...");
            ui.spinner();
        }
        WizardStep::Done(calibration) => {
            let quality = &calibration.quality;
            let grade = quality.grade.words();
            ui.label(RichText::new(format!("Quality: {grade}")).size(20.0));
            ui.label(format!(
                "{} of {} frames used; camera placement: {}",
                quality.frames_used, quality.frames_total, calibration.placement
            ));
            for note in &quality.notes {
                ui.label(format!("- {note}"));
            }
            if let Some(forward) = calibration.baseline.forward_head_deg {
                ui.label(format!("Ear-shoulder line: {forward:.1} degrees from vertical"));
            }
            if let Some(lean) = calibration.baseline.lean_deg {
                ui.label(format!("Shoulder line: {lean:.1} degrees from level"));
            }
            ui.horizontal(|ui| {
                if ui.button("Use this calibration").clicked() {
                    commands.push(UiCommand::AcceptCalibration);
                }
                if ui.button("Try again").clicked() {
                    commands.push(UiCommand::RetryCalibration);
                }
            });
        }
        WizardStep::Failed(error) => {
            ui.colored_label(theme::WARNING, error.to_string());
            if ui.button("Try again").clicked() {
                commands.push(UiCommand::RetryCalibration);
            }
        }
    }
    commands
}
