//! The warning banner: what is wrong in plain words, with the numbers its bars draw, the
//! suggested stretch and the answers.

use egui::{RichText, Ui};

use super::{UiCommand, stretch_card};
use crate::alerts::Severity;
use crate::coach::Entry;
use crate::posture::Problem;
use crate::posture::verdict::{Reading, Unit};
use crate::ui::theme;

/// The warning the engine raised, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningView {
    /// What is wrong.
    pub problems: Vec<Problem>,
    /// How strong.
    pub severity: Severity,
    /// The coach's suggestion.
    pub suggestion: Option<Entry>,
}

/// The plain-words sentence for a warning, with the numbers of `readings` (the latest judged
/// frame's, the ones its bars draw) where a number helps.
pub fn warning_message(problems: &[Problem], readings: &[Reading]) -> String {
    let degrees = |problem: Problem| {
        readings.iter().find(|r| r.problem == problem && r.unit == Unit::Degrees).map(|r| r.value.max(0.0))
    };
    let sentences: Vec<String> = problems
        .iter()
        .map(|problem| match problem {
            Problem::ForwardHead => match degrees(Problem::ForwardHead) {
                Some(drift) => format!("Your head has drifted about {drift:.0} degrees forward."),
                None => "Your head has drifted forward of your shoulders.".to_owned(),
            },
            Problem::RoundedShoulders => "Your shoulders have rounded forward.".to_owned(),
            Problem::ShouldersRaised => "Your shoulders have crept up toward your ears.".to_owned(),
            Problem::Leaning => "You are leaning to one side.".to_owned(),
            Problem::TooClose => "You have moved close to the screen.".to_owned(),
            Problem::HeadDown => "Your head has been tipped down toward the screen for a while.".to_owned(),
        })
        .collect();
    sentences.join(" ")
}

/// The warning banner: what is wrong in words, the suggested stretch by name, and the answers,
/// compact enough to leave the live view in sight. The stretch's card opens on demand.
pub fn warning_panel(
    ui: &mut Ui,
    warning: &WarningView,
    readings: &[Reading],
    show_card: bool,
    timer_elapsed_s: Option<f64>,
) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    egui::Frame::new()
        .stroke(egui::Stroke::new(theme::warning_frame_width(warning.severity), theme::WARNING))
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.label(RichText::new("Time to sit up").size(theme::WARNING_TITLE_SIZE).color(theme::WARNING).strong());
            ui.label(warning_message(&warning.problems, readings));
            ui.horizontal_wrapped(|ui| {
                if let Some(entry) = &warning.suggestion {
                    ui.label(format!("Try: {}.", entry.name));
                    let toggle = if show_card { "Hide stretch" } else { "Show stretch" };
                    if ui.button(toggle).clicked() {
                        commands.push(UiCommand::ToggleStretchCard);
                    }
                    if ui.button("Done").clicked() {
                        commands.push(UiCommand::StretchDone(entry.id.clone()));
                    }
                    if ui.button("Not now").clicked() {
                        commands.push(UiCommand::StretchNotNow(entry.id.clone()));
                    }
                }
                if ui
                    .button("I'm sitting fine")
                    .on_hover_text(
                        "Tell slouchwatch this warning was wrong for you. After a few of the same problem, its limit \
                         for this setup widens a step (see Settings).",
                    )
                    .clicked()
                {
                    commands.push(UiCommand::Dispute);
                }
                ui.menu_button("Snooze", |ui| {
                    if ui.button("15 minutes").clicked() {
                        commands.push(UiCommand::SnoozeMinutes(15));
                    }
                    if ui.button("1 hour").clicked() {
                        commands.push(UiCommand::SnoozeMinutes(60));
                    }
                    if ui.button("Until tomorrow").clicked() {
                        commands.push(UiCommand::SnoozeUntilTomorrow);
                    }
                });
            });
            if let (Some(entry), true) = (&warning.suggestion, show_card) {
                commands.extend(stretch_card(ui, entry, timer_elapsed_s));
            }
        });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::panels::live::{bar_colour, measure_words};

    fn forward(value: f32, unit: Unit) -> Reading {
        Reading { problem: Problem::ForwardHead, value, limit: 12.0, unit }
    }

    /// The banner and the bar read one number: 15.6 degrees is 16 in both, and the bar of the
    /// problem warned about is red even as the value eases back under its limit.
    #[test]
    fn the_banner_and_the_bar_say_the_same_number_and_a_warned_bar_is_red() {
        let over = forward(15.6, Unit::Degrees);
        let banner = warning_message(&[Problem::ForwardHead], &[over]);
        assert!(banner.contains("about 16 degrees"), "{banner}");
        assert_eq!(measure_words(&over, true), "16° (warns past 12°)");
        assert_eq!(bar_colour(&over, true), theme::GAUGE_OVER);
        assert_eq!(bar_colour(&over, false), theme::GAUGE_OVER);

        let easing = forward(11.0, Unit::Degrees);
        assert_eq!(bar_colour(&easing, true), theme::GAUGE_OVER, "warned: drawn as over");
        assert_eq!(measure_words(&easing, true), "11° (back under 12°: hold it)");
        assert_eq!(bar_colour(&easing, false), theme::GAUGE_OK);
        assert_eq!(measure_words(&easing, false), "11° (warns past 12°)");
    }

    #[test]
    fn warning_messages_are_plain_words() {
        assert_eq!(
            warning_message(&[Problem::ForwardHead], &[forward(12.4, Unit::Degrees)]),
            "Your head has drifted about 12 degrees forward."
        );
        // Judged on the neck's shortening (percent), no number of degrees is made up.
        assert_eq!(
            warning_message(&[Problem::ForwardHead], &[forward(30.0, Unit::Percent)]),
            "Your head has drifted forward of your shoulders."
        );
        let both = warning_message(&[Problem::RoundedShoulders, Problem::TooClose], &[]);
        assert_eq!(both, "Your shoulders have rounded forward. You have moved close to the screen.");
    }
}
