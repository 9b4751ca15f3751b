//! The window's side of setups: which setup's calibration it shows (the engine picks), the
//! wizard's setup choice, "I'm sitting fine", and the Settings screen's changes to setups, which
//! it saves and hands to the engine.

use super::{Screen, SetupChoice, SlouchApp, UiCommand, Wizard, WizardStep};
use crate::engine::EngineCommand;
use crate::posture::setups::{Setup, SetupBook};

impl SlouchApp {
    /// The calibration of the setup the engine judges in (it picks; the window follows).
    pub(super) fn follow_setup(&mut self) {
        let in_use = self.latest.as_ref().and_then(|snapshot| snapshot.setup.as_ref()).map(|tag| tag.name.clone());
        let source = self.source_key();
        let setup = match in_use {
            Some(name) => self.setups.get(&name),
            None => self.setups.starting(Some(&source)),
        };
        if let Some(setup) = setup {
            self.calibration = Some(setup.calibration.clone());
        }
    }

    /// The setups, for tests and the settings screen.
    pub fn setups(&self) -> &SetupBook {
        &self.setups
    }

    /// The setup in use as a wizard choice (to recalibrate it), or the default for a first one.
    pub(super) fn setup_in_use(&self) -> SetupChoice {
        self.latest
            .as_ref()
            .and_then(|snapshot| snapshot.setup.clone())
            .or_else(|| self.setups.starting(Some(&self.source_key())).map(Setup::tag))
            .map(|tag| SetupChoice { name: tag.name, standing: tag.standing })
            .unwrap_or_default()
    }

    /// The setup just made or changed is the one in use.
    pub(super) fn follow_setup_named(&mut self) {
        let made = self.setups.last_used.as_deref().and_then(|name| self.setups.get(name));
        self.calibration = made.map(|setup| setup.calibration.clone()).or(self.calibration.take());
    }

    /// The camera (or replayed folder) in use, as setups remember it.
    pub(super) fn source_key(&self) -> String {
        let source = self.source_override.clone().unwrap_or_else(|| self.settings.source.clone());
        match source.parse::<crate::source::SourceSpec>() {
            Ok(spec) => spec.camera_key(),
            Err(never) => match never {},
        }
    }

    /// Saves the setups (said in the window if it fails) and hands them to the engine, which
    /// judges with them from now on.
    pub(super) fn save_setups(&mut self) {
        if let Err(error) = crate::files::setups::save(&self.setups_file, &self.setups) {
            self.notice = Some(error.to_string());
        }
        self.send(EngineCommand::SetSetups(Box::new(self.setups.clone())));
    }

    /// Applies a command about setups, disputes or the wizard's result.
    pub(super) fn apply_setup_command(&mut self, command: UiCommand) {
        match command {
            UiCommand::ChooseSetup(choice) => self.wizard.choice = choice,
            UiCommand::Dispute => {
                self.send(EngineCommand::Dispute);
                self.warning = None;
            }
            UiCommand::CalibrateSetup { name, standing } => {
                self.send(EngineCommand::CancelCalibration);
                self.wizard = Wizard::default();
                self.wizard.choice = SetupChoice { name, standing };
                self.screen = Screen::Calibration;
            }
            UiCommand::ResetLimits { setup, problem } => {
                if let Some(setup) = self.setups.get_mut(&setup) {
                    setup.calibration.disputes.reset(problem);
                    self.save_setups();
                    self.follow_setup();
                }
            }
            UiCommand::RemoveSetup(name) => self.remove_setup(&name),
            UiCommand::AcceptCalibration => {
                if let WizardStep::Done(calibration) = std::mem::take(&mut self.wizard.step) {
                    let choice = std::mem::take(&mut self.wizard.choice);
                    let name = crate::posture::setups::clean_name(&choice.name)
                        .unwrap_or_else(|_| crate::posture::setups::MIGRATED_SETUP_NAME.to_owned());
                    let camera = Some(self.source_key());
                    self.setups.put(Setup { name, camera, standing: choice.standing, calibration: *calibration });
                    self.save_setups();
                    self.follow_setup_named();
                    self.screen = Screen::Live;
                }
            }
            // The other commands are `apply`'s.
            _ => {}
        }
    }

    fn remove_setup(&mut self, name: &str) {
        if self.setups.remove(name) {
            self.save_setups();
            self.calibration = None;
            self.follow_setup();
        }
    }
}
