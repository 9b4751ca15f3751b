//! The warning card: what is wrong in plain words, with the numbers its bars draw, for how
//! long, the suggested stretch and the answers.

use egui::{RichText, Ui};

use super::UiCommand;
use super::kit::{self, StateShape};
use crate::alerts::Severity;
use crate::coach::{Entry, HoldTimer};
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
    /// How long the slouch had lasted when the warning came, seconds.
    pub bad_for_s: f64,
    /// When the warning came.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl WarningView {
    /// How long the slouch behind it has lasted at `now`, seconds.
    pub fn slouched_s(&self, now: chrono::DateTime<chrono::Utc>) -> f64 {
        self.bad_for_s + (now - self.at).num_milliseconds().max(0) as f64 / 1000.0
    }
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
            Problem::Slumped => "You have sunk low in your chair, your chin nearer your shoulders.".to_owned(),
        })
        .collect();
    sentences.join(" ")
}

/// How long the slouch behind a warning has lasted, in words.
pub fn slouched_for_words(seconds: f64) -> String {
    match (seconds / 60.0).round() as i64 {
        minutes if minutes < 1 => "Slouched for under a minute.".to_owned(),
        1 => "Slouched for about a minute.".to_owned(),
        minutes => format!("Slouched for about {minutes} minutes."),
    }
}

/// The primary action of a warning: the suggested stretch, by name and length.
pub fn stretch_action_words(entry: &Entry) -> String {
    let total = HoldTimer::for_entry(entry).total_s().round() as u32;
    format!("Start {}, {}", entry.name, super::stretches::duration_words(total))
}

/// The warning card, in the status card's place and size: what is wrong and for how long, the
/// suggested stretch as the one primary action (it opens the stretch sheet), Snooze as a menu,
/// and the quieter answers (not now, "I'm sitting fine").
pub fn warning_card(ui: &mut Ui, warning: &WarningView, readings: &[Reading], slouched_s: f64) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    let edge = egui::Stroke::new(theme::warning_frame_width(warning.severity), theme::WARNING);
    let column = ui.available_width();
    kit::card_with(ui, theme::tint(theme::WARNING, dark), edge, |ui| {
        // The same outer height as the status card's (whose edge is 1 point wide).
        let least = theme::STATUS_CARD_HEIGHT - 2.0 * (theme::CARD_PADDING + edge.width);
        let extra_edge = 2.0 * (edge.width - 1.0);
        ui.set_min_height(kit::top_card_height(ui, column, least + extra_edge) - extra_edge);
        let top = ui.min_rect().top();
        ui.horizontal_top(|ui| {
            kit::state_icon(ui, StateShape::Warning, theme::WARNING, theme::STATE_ICON_SIZE);
            ui.vertical(|ui| {
                ui.label(RichText::new("Time to sit up").size(theme::TEXT_DISPLAY).strong());
                ui.label(format!(
                    "{} {}",
                    warning_message(&warning.problems, readings),
                    slouched_for_words(slouched_s)
                ));
                ui.horizontal_wrapped(|ui| {
                    if let Some(entry) = &warning.suggestion
                        && kit::primary_button(ui, stretch_action_words(entry))
                            .on_hover_text(format!("{}. Opens the steps with a timer.", entry.summary))
                            .clicked()
                    {
                        commands.push(UiCommand::StartTimer(entry.id.clone()));
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
                    if let Some(entry) = &warning.suggestion
                        && kit::quiet_button(ui, "Not now")
                            .on_hover_text("Skip this stretch; the next warning may suggest another.")
                            .clicked()
                    {
                        commands.push(UiCommand::StretchNotNow(entry.id.clone()));
                    }
                    if kit::quiet_button(ui, "I'm sitting fine")
                        .on_hover_text(
                            "Tell slouchwatch this warning was wrong for you. After a few of the same problem, its \
                             limit for this setup widens a step (see Settings).",
                        )
                        .clicked()
                    {
                        commands.push(UiCommand::Dispute);
                    }
                });
            });
        });
        kit::top_card_seen(ui, column, ui.min_rect().bottom() - top + extra_edge);
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
        assert_eq!(measure_words(&over, true), "16° (over the 12° limit)");
        assert_eq!(bar_colour(&over, true), theme::GAUGE_OVER);
        assert_eq!(bar_colour(&over, false), theme::GAUGE_OVER);

        let easing = forward(11.0, Unit::Degrees);
        assert_eq!(bar_colour(&easing, true), theme::GAUGE_OVER, "warned: drawn as over");
        assert_eq!(measure_words(&easing, true), "11° (back under 12°: hold it)");
        assert_eq!(bar_colour(&easing, false), theme::GAUGE_OK);
        assert_eq!(measure_words(&easing, false), "11° (warns past 12°)");
    }

    #[test]
    fn how_long_and_the_stretch_are_said_in_words() {
        assert_eq!(slouched_for_words(20.0), "Slouched for under a minute.");
        assert_eq!(slouched_for_words(70.0), "Slouched for about a minute.");
        assert_eq!(slouched_for_words(400.0), "Slouched for about 7 minutes.");
        let catalog = crate::coach::Catalog::built_in().unwrap();
        let chin_tuck = catalog.entry("chin_tuck").unwrap();
        let words = stretch_action_words(chin_tuck);
        assert!(words.starts_with("Start Chin tuck, ") && words.ends_with(" s"), "{words}");
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
