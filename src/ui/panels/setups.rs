//! The setups group of the settings screen: each setup with its camera, whether it is for
//! standing, when it was calibrated, and any limit that "I'm sitting fine" widened (with the
//! reason and a reset); recalibrate or remove it, or make a new one.

use egui::{RichText, Ui};

use super::UiCommand;
use crate::posture::setups::SetupBook;

/// The name offered for a new setup: "Laptop", "Standing", "Desk", then "Setup N"; the first
/// not `taken`.
fn new_name(taken: impl Fn(&str) -> bool) -> String {
    ["Laptop", "Standing", "Desk"]
        .into_iter()
        .map(str::to_owned)
        .chain((2..).map(|n| format!("Setup {n}")))
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// The setups group. `in_use`: the setup the engine judges in now.
pub fn setups_section(ui: &mut Ui, book: &SetupBook, in_use: Option<&str>) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    let explanation = "One calibration for each place you work (laptop, desk, standing desk). slouchwatch picks the \
                       one that fits the camera and where you are, and asks when none does.";
    super::settings::group(ui, "Setups", explanation, |ui| {
        if book.setups.is_empty() {
            ui.label("No setup yet: calibrate once to make the first.");
        }
        for setup in &book.setups {
            ui.add_space(crate::ui::theme::GRID / 2.0);
            let mut title = setup.name.clone();
            if setup.standing {
                title.push_str(" (standing)");
            }
            if in_use.is_some_and(|name| name.eq_ignore_ascii_case(&setup.name)) {
                title.push_str(": in use");
            }
            ui.label(RichText::new(title).strong());
            let created = setup.calibration.created.as_deref().map(|c| c.get(..10).unwrap_or(c)).unwrap_or("-");
            ui.label(
                RichText::new(format!(
                    "Camera {}; calibrated {created}, quality {}.",
                    setup.camera.as_deref().unwrap_or("any"),
                    setup.calibration.quality.grade.words()
                ))
                .weak(),
            );
            for (problem, widening) in setup.calibration.disputes.widened() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!("{} limit {}.", capitalised(problem.words()), widening.reason()));
                    if ui.small_button("Reset limit").clicked() {
                        commands.push(UiCommand::ResetLimits { setup: setup.name.clone(), problem: Some(problem) });
                    }
                });
            }
            ui.horizontal_wrapped(|ui| {
                if ui.button("Recalibrate").clicked() {
                    commands.push(UiCommand::CalibrateSetup { name: setup.name.clone(), standing: setup.standing });
                }
                if book.setups.len() > 1 && ui.button("Remove").clicked() {
                    commands.push(UiCommand::RemoveSetup(setup.name.clone()));
                }
            });
        }
        ui.add_space(crate::ui::theme::GRID / 2.0);
        if ui.button("Add a setup...").clicked() {
            let name = new_name(|name| book.get(name).is_some());
            let standing = name == "Standing";
            commands.push(UiCommand::CalibrateSetup { name, standing });
        }
    });
    commands
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_setup_gets_a_name_not_taken() {
        assert_eq!(new_name(|_| false), "Laptop");
        assert_eq!(new_name(|name| name == "Laptop"), "Standing");
        assert_eq!(new_name(|name| ["Laptop", "Standing", "Desk", "Setup 2"].contains(&name)), "Setup 3");
        assert_eq!(capitalised("forward head"), "Forward head");
    }
}
