//! The window's side of setups: which setup's calibration it shows (the engine picks), the
//! wizard's setup choice, "I'm sitting fine", and the Settings screen's changes to setups, which
//! it saves and hands to the engine.

use super::{Screen, SetupChoice, SlouchApp, UiCommand, Wizard};
use crate::engine::EngineCommand;
use crate::posture::setups::{Setup, SetupBook};

impl SlouchApp {
    /// The calibration of the setup the engine judges in (it picks; the window follows).
    pub(super) fn follow_setup(&mut self) {
        let in_use =
            self.watched.latest.as_ref().and_then(|snapshot| snapshot.setup.as_ref()).map(|tag| tag.name.clone());
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
        self.watched
            .latest
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
    /// Whether they were written (if not, the notice says why); the engine has them either way.
    pub(super) fn save_setups(&mut self) -> bool {
        let written = crate::files::setups::save(&self.setups_file, &self.setups);
        if let Err(error) = &written {
            self.notice = Some(error.to_string());
        }
        self.send(EngineCommand::SetSetups(Box::new(self.setups.clone())));
        written.is_ok()
    }

    /// Applies a command about setups, disputes or the wizard's result.
    pub(super) fn apply_setup_command(&mut self, command: UiCommand, now_s: f64) {
        match command {
            UiCommand::ChooseSetup(choice) => self.wizard.choice = choice,
            UiCommand::Dispute => {
                self.send(EngineCommand::Dispute);
                self.coaching.warning = None;
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
            UiCommand::KeepEarlierCalibration => {
                if let Some(earlier) = self.wizard.replaced.take() {
                    let name = earlier.name.clone();
                    self.setups.put(earlier);
                    self.save_setups();
                    self.follow_setup_named();
                    self.wizard = Wizard::default();
                    self.screen = Screen::Live;
                    let said = format!("The earlier calibration of \"{name}\" is in use again.");
                    self.coaching.acknowledgement = Some((said, now_s));
                }
            }
            // The other commands are `apply`'s.
            _ => {}
        }
    }

    /// Saves a calibration just measured into the setup the wizard is for, and uses it; keeps
    /// what it replaced, so the wizard can put it back.
    pub(super) fn keep_calibration(&mut self, calibration: &crate::posture::Calibration) {
        let choice = &self.wizard.choice;
        let name = crate::posture::setups::clean_name(&choice.name)
            .unwrap_or_else(|_| crate::posture::setups::MIGRATED_SETUP_NAME.to_owned());
        if !self.wizard.retried {
            self.wizard.replaced = self.setups.get(&name).cloned();
            self.wizard.first = self.setups.setups.is_empty();
        }
        let camera = Some(self.source_key());
        self.setups.put(Setup { name, camera, standing: choice.standing, calibration: calibration.clone() });
        self.wizard.saved = self.save_setups();
        self.follow_setup_named();
    }

    fn remove_setup(&mut self, name: &str) {
        if self.setups.remove(name) {
            self.save_setups();
            self.calibration = None;
            self.follow_setup();
        }
    }
}
