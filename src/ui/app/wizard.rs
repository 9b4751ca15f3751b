//! The calibration wizard: its working state, the countdown and the capture the engine does,
//! a camera that stalls, and the result, saved at once (`setups.rs` keeps it).

use chrono::Local;

use super::{Screen, SlouchApp, UiCommand, panels};
use crate::engine::calibrate::{CALIBRATION_COUNTDOWN_S, CALIBRATION_FRAMES, CALIBRATION_STALL_S, CalibrateError};
use crate::engine::{CalibrationUpdate, EngineCommand};
use crate::posture::calibration::framing_advice;
use crate::ui::panels::{SetupChoice, WizardStep, WizardView};

/// The calibration wizard's working state.
#[derive(Default)]
pub(super) struct Wizard {
    pub(super) step: WizardStep,
    /// Which setup the calibration is for.
    pub(super) choice: SetupChoice,
    pub(super) countdown_ends: Option<f64>,
    /// UI time of the capture's start or its latest picture: the stall timer.
    pub(super) last_progress_s: Option<f64>,
    /// The setup as it was before the calibration just saved replaced it (`None`: it is new).
    pub(super) replaced: Option<crate::posture::setups::Setup>,
    /// Whether the calibration just saved is the user's first.
    pub(super) first: bool,
    /// Whether the calibration just measured reached the setups file (it is used either way).
    pub(super) saved: bool,
    /// Whether this is a Try again after a result: `replaced` and `first` are the first try's.
    pub(super) retried: bool,
    /// The first run's welcome was read ("Get started").
    pub(super) welcomed: bool,
}

impl Wizard {
    /// The wizard back at its start for another try at the same setup: the setup chosen, and
    /// (after a result) what can be put back, are kept.
    pub(super) fn fresh_try(&mut self) -> Wizard {
        Wizard {
            choice: std::mem::take(&mut self.choice),
            replaced: self.replaced.take(),
            first: self.first,
            retried: self.retried,
            welcomed: self.welcomed,
            ..Wizard::default()
        }
    }
}

impl SlouchApp {
    /// The engine's news of the calibration it was asked for.
    pub(super) fn take_calibration_update(&mut self, update: CalibrationUpdate) {
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

    pub(super) fn advance_wizard(&mut self, now_s: f64) {
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
            let failure = match &self.watched.camera_problem {
                Some(detail) => Some(CalibrateError::CameraLost { detail: detail.clone() }),
                None if now_s - since > CALIBRATION_STALL_S as f64 => {
                    Some(CalibrateError::Stalled { seconds: CALIBRATION_STALL_S })
                }
                None => None,
            };
            if let Some(error) = failure {
                self.send(EngineCommand::CancelCalibration);
                self.wizard =
                    Wizard { step: WizardStep::Failed(error), welcomed: self.wizard.welcomed, ..Wizard::default() };
            }
        }
    }

    /// Applies a command of the wizard's own buttons.
    pub(super) fn apply_wizard_command(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::GetStarted => self.wizard.welcomed = true,
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
            // The other commands are `apply`'s.
            _ => {}
        }
    }

    /// The wizard as the screen changes from `from` to `to`: a result is kept and the wizard
    /// starts afresh; left between tries, the next one is new; entered, it recalibrates the
    /// setup in use unless another was chosen.
    pub(super) fn wizard_on_screen_change(&mut self, from: Screen, to: Screen) {
        if from == Screen::Calibration
            && to != Screen::Calibration
            && matches!(self.wizard.step, WizardStep::Done(_) | WizardStep::Failed(_))
        {
            // The result is saved (or there was none): the wizard starts afresh next time.
            self.wizard = Wizard::default();
        } else if from == Screen::Calibration && matches!(self.wizard.step, WizardStep::Intro) {
            // Left between tries: the next calibration is a new one, not a Try again.
            self.wizard = Wizard { choice: std::mem::take(&mut self.wizard.choice), ..Wizard::default() };
        }
        if to == Screen::Calibration && from != Screen::Calibration && matches!(self.wizard.step, WizardStep::Intro) {
            // Recalibrating: the setup in use, unless another was chosen.
            self.wizard.choice = self.setup_in_use();
        }
    }

    /// The wizard's screen: its step, the camera picture while there is one, framing advice.
    pub(super) fn calibration_screen(&self, ui: &mut egui::Ui) -> Vec<UiCommand> {
        let latest = self.watched.latest.as_ref();
        let picture = latest.and_then(|snapshot| {
            self.watched.texture.as_ref().filter(|_| snapshot.preview.is_some()).map(|texture| (texture, snapshot))
        });
        let framing = latest.and_then(|snapshot| {
            let pose = snapshot.pose.as_ref()?;
            framing_advice(pose, snapshot.frame_size, self.settings.placement)
        });
        let view = WizardView {
            step: &self.wizard.step,
            camera_problem: self.watched.camera_problem.as_deref(),
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
            first_run: self.setups.setups.is_empty() || self.wizard.first,
            welcomed: self.wizard.welcomed,
        };
        panels::calibration_panel(ui, &view)
    }
}
